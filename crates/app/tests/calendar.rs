//! Calendars as use cases on the demo: a body's, a person's, one meeting's and everything a
//! reader sees, each with the zones its events use; hidden meetings in none of them; and the
//! calendar feeds, whose secrets open their user's calendar and nothing else, until revoked,
//! expired or the user disabled.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use defcoop_app::accounts::BAD_CREDENTIALS;
use defcoop_app::workspace::CalendarScope;
use defcoop_app::{Actor, App, AppError, UserEdit};
use defcoop_domain::account::TokenScope;
use defcoop_domain::model::Kind;
use defcoop_domain::{json, Clearance, Reader};
use defcoop_store::{AuditFilter, Progress, Store, Writer};
use serde_json::json;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

/// 2026-12-06 12:00 UTC.
const NOW: i64 = 1_796_558_400;

async fn app(dir: &tempfile::TempDir) -> (App, Arc<AtomicI64>) {
    let store = Store::open(&dir.path().join("c.db").display().to_string())
        .await
        .unwrap();
    store
        .import(
            &json::parse(DEMO.as_bytes()).unwrap(),
            &Writer::operator(),
            Progress::NONE,
        )
        .await
        .unwrap();
    let now = Arc::new(AtomicI64::new(NOW));
    let clock = now.clone();
    let app = App::direct(store).with_clock(Arc::new(move || clock.load(Ordering::SeqCst)));
    (app, now)
}

/// The UIDs of a calendar's events, in order.
fn uids(ics: &str) -> Vec<&str> {
    ics.lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(|u| u.trim_end_matches("@defcoop"))
        .collect()
}

fn zones(ics: &str) -> Vec<&str> {
    ics.split("BEGIN:VTIMEZONE\r\n")
        .skip(1)
        .filter_map(|z| z.lines().find_map(|l| l.strip_prefix("TZID:")))
        .collect()
}

/// The calendar's name, its folded line joined again (RFC 5545 §3.1).
fn name(ics: &str) -> String {
    ics.replace("\r\n ", "")
        .lines()
        .find_map(|l| l.strip_prefix("X-WR-CALNAME:"))
        .unwrap_or("")
        .to_string()
}

/// A planned meeting of the demo's body with Seok Jong-gun.
fn meeting(id: &str, start: &str, zone: &str) -> serde_json::Value {
    let end = format!("{}T18:00", &start[..10]);
    json!({"id": id, "body": "kor-nato-eu-consultative-body", "title": format!("Meeting {id}"),
           "start": start, "end": end, "time_zone": zone,
           "participants": [{"person": "seok-jong-gun", "role": "member"}], "status": "planned"})
}

#[tokio::test]
async fn calendars_hold_a_body_a_person_a_meeting_or_everything_the_reader_sees() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app(&dir).await;
    let op = Actor::operator();
    let cal = |actor: Actor, scope: CalendarScope| {
        let app = app.clone();
        async move { app.calendar(&actor, &scope).await }
    };

    let one = cal(
        op.clone(),
        CalendarScope::Meeting("inaugural-meeting".into()),
    )
    .await
    .unwrap();
    assert_eq!(uids(&one), ["meeting-inaugural-meeting"]);
    assert_eq!(name(&one), "Inaugural meeting of the consultative body");
    assert!(one.contains("DTSTART;TZID=Europe/Brussels:20251120T100000\r\n"));
    assert!(
        one.contains("DTSTAMP:20261206T120000Z\r\n"),
        "stamped by the app's clock"
    );
    assert_eq!(zones(&one), ["Europe/Brussels"]);

    // A Seoul meeting, and one in Brussels after the clocks went forward in March.
    for (id, start, zone) in [
        ("seoul-2026", "2026-05-12T09:30", "Asia/Seoul"),
        ("brussels-spring", "2026-03-30T10:00", "Europe/Brussels"),
    ] {
        app.create_record(&op, Kind::Meeting, &meeting(id, start, zone))
            .await
            .unwrap();
    }
    let body = cal(
        op.clone(),
        CalendarScope::Body("kor-nato-eu-consultative-body".into()),
    )
    .await
    .unwrap();
    assert_eq!(
        uids(&body),
        [
            "meeting-inaugural-meeting",
            "meeting-brussels-spring",
            "meeting-seoul-2026"
        ],
        "by start"
    );
    assert_eq!(
        name(&body),
        "Korea–NATO–EU consultative body on defence-industry cooperation — meetings"
    );
    assert_eq!(zones(&body), ["Asia/Seoul", "Europe/Brussels"]);
    assert!(body.contains("DTSTART;TZID=Asia/Seoul:20260512T093000\r\n"));

    let seok = cal(op.clone(), CalendarScope::Person("seok-jong-gun".into()))
        .await
        .unwrap();
    assert_eq!(
        uids(&seok),
        [
            "engagement-seok-kubilius-brussels",
            "engagement-seok-shekerinska-brussels",
            "meeting-inaugural-meeting",
            "meeting-brussels-spring",
            "meeting-seoul-2026"
        ]
    );
    assert_eq!(name(&seok), "Seok Jong-gun — meetings and engagements");
    assert!(seok.contains("DTSTART;VALUE=DATE:20250423\r\n"), "all-day");
    let kubilius = cal(op.clone(), CalendarScope::Person("andrius-kubilius".into()))
        .await
        .unwrap();
    assert_eq!(
        uids(&kubilius),
        [
            "engagement-seok-kubilius-brussels",
            "meeting-inaugural-meeting"
        ]
    );
    let all = cal(op.clone(), CalendarScope::Everything).await.unwrap();
    assert_eq!(uids(&all).len(), 5);
    assert_eq!(name(&all), "defcoop — meetings and engagements (operator)");

    // Unknown ids are not found.
    for scope in [
        CalendarScope::Body("nobody".into()),
        CalendarScope::Person("nobody".into()),
        CalendarScope::Meeting("nothing".into()),
    ] {
        let e = cal(op.clone(), scope.clone()).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{scope:?}: {e:?}");
    }

    // A meeting labelled CONFIDENTIAL is in no calendar of a RESTRICTED reader, and asking
    // for it is "not found" exactly like a meeting that does not exist.
    let mut secret = meeting("secret-talks", "2026-06-01T10:00", "Europe/Brussels");
    secret["label"] = json!({"policy": "DEFCOOP", "classification": "CONFIDENTIAL"});
    app.create_record(&op, Kind::Meeting, &secret)
        .await
        .unwrap();
    let restricted = Actor::reading_as(
        "reader",
        Reader::Cleared(Clearance::default().with_level("DEFCOOP", "RESTRICTED")),
    );
    for scope in [
        CalendarScope::Everything,
        CalendarScope::Body("kor-nato-eu-consultative-body".into()),
        CalendarScope::Person("seok-jong-gun".into()),
    ] {
        let theirs = cal(restricted.clone(), scope.clone()).await.unwrap();
        assert!(!theirs.contains("secret-talks"), "{scope:?}");
        let full = cal(op.clone(), scope.clone()).await.unwrap();
        assert!(full.contains("meeting-secret-talks@defcoop"), "{scope:?}");
    }
    let hidden = cal(
        restricted.clone(),
        CalendarScope::Meeting("secret-talks".into()),
    )
    .await
    .unwrap_err();
    let absent = cal(restricted, CalendarScope::Meeting("no-talks".into()))
        .await
        .unwrap_err();
    assert_eq!(
        hidden.to_string().replace("secret-talks", "X"),
        absent.to_string().replace("no-talks", "X")
    );
}

#[tokio::test]
async fn a_feed_opens_its_users_calendar_and_nothing_else_until_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let (app, now) = app(&dir).await;
    let op = Actor::operator();
    app.demo_personas().await.unwrap();
    let dapa = app.actor_of("dapa-officer").await.unwrap();
    let refused = |r: Result<String, AppError>| match r {
        Err(AppError::Unauthenticated(m)) => assert_eq!(m, BAD_CREDENTIALS),
        other => panic!("expected the uniform refusal, got {other:?}"),
    };

    let feed = app.create_feed(&dapa, "dapa-officer", None).await.unwrap();
    assert_eq!(feed.info.scope, TokenScope::Calendar);
    assert!(feed.info.id.starts_with("cal-"), "{}", feed.info.id);
    assert!(feed.token.starts_with("dcf_"), "{}", feed.token);
    assert_eq!(
        feed.info.expires_at,
        Some(NOW + 365 * 86_400),
        "a year by default"
    );
    assert_eq!(
        defcoop_app::workspace::feed_path(&feed.token),
        format!("/calendar/feed/{}.ics", feed.token)
    );
    let mine = app.calendar_for_feed(&feed.token).await.unwrap();
    assert_eq!(
        mine,
        app.calendar(&dapa, &CalendarScope::Everything)
            .await
            .unwrap(),
        "the user's calendar: everything they may read"
    );
    assert!(mine.contains("meeting-inaugural-meeting@defcoop"));

    // The feed is no API token, and an API token opens no feed.
    let api = app.create_token(&dapa, "dapa-officer", None).await.unwrap();
    assert!(matches!(
        app.authenticate_token(&feed.token).await,
        Err(AppError::Unauthenticated(m)) if m == BAD_CREDENTIALS
    ));
    refused(app.calendar_for_feed(&api.token).await);
    refused(app.calendar_for_feed("dcf_nothing").await);
    refused(
        app.calendar_for_feed(&format!("dcf_{}", "0".repeat(64)))
            .await,
    );
    let ids = |ts: Vec<defcoop_store::TokenInfo>| -> Vec<String> {
        ts.into_iter().map(|t| t.id).collect()
    };
    assert_eq!(
        ids(app.feeds(&dapa, None).await.unwrap()),
        [feed.info.id.as_str()]
    );
    assert_eq!(
        ids(app.tokens(&dapa, None).await.unwrap()),
        [api.info.id.as_str()]
    );
    assert!(app.revoke_token(&dapa, &feed.info.id).await.is_err());
    assert!(app.revoke_feed(&dapa, &api.info.id).await.is_err());

    // Only admins make, see and revoke others' feeds.
    assert!(app
        .create_feed(&dapa, "nato-staff", None)
        .await
        .unwrap_err()
        .is_not_found());
    let admin = app.actor_of("admin").await.unwrap();
    let nato = app
        .create_feed(&admin, "nato-staff", Some(30))
        .await
        .unwrap();
    assert!(app.feeds(&dapa, Some("nato-staff")).await.is_err());
    assert_eq!(app.feeds(&admin, None).await.unwrap().len(), 2);
    assert!(app
        .revoke_feed(&dapa, &nato.info.id)
        .await
        .unwrap_err()
        .is_not_found());
    assert!(app
        .create_feed(&dapa, "dapa-officer", Some(0))
        .await
        .is_err());

    // What the feed shows is its user's view: a CONFIDENTIAL meeting is in the
    // administrator's feed only.
    let secret = json!({"id": "secret-talks", "title": "Talks", "start": "2026-06-01T10:00",
        "end": "2026-06-01T12:00", "time_zone": "Europe/Brussels", "status": "planned",
        "label": {"policy": "DEFCOOP", "classification": "CONFIDENTIAL"}});
    app.create_record(&op, Kind::Meeting, &secret)
        .await
        .unwrap();
    let admins = app.create_feed(&admin, "admin", None).await.unwrap();
    assert!(app
        .calendar_for_feed(&admins.token)
        .await
        .unwrap()
        .contains("secret-talks"));
    assert!(!app
        .calendar_for_feed(&feed.token)
        .await
        .unwrap()
        .contains("secret-talks"));

    // Revoked: refused at once. Disabled user: refused. Expired: refused.
    app.revoke_feed(&dapa, &feed.info.id).await.unwrap();
    refused(app.calendar_for_feed(&feed.token).await);
    app.calendar_for_feed(&nato.token).await.unwrap();
    app.set_user(
        &op,
        "nato-staff",
        UserEdit {
            disabled: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    refused(app.calendar_for_feed(&nato.token).await);
    app.calendar_for_feed(&admins.token).await.unwrap();
    now.store(NOW + 365 * 86_400, Ordering::SeqCst);
    refused(app.calendar_for_feed(&admins.token).await);

    // Each feed written is audited, without its secret.
    let filter = AuditFilter {
        actor: None,
        record: Some(("token".into(), feed.info.id.clone())),
        from_ms: None,
        to_ms: None,
        before_seq: None,
        limit: 10,
    };
    let log = app.audit(&op, &filter).await.unwrap();
    let summary: Vec<String> = log
        .iter()
        .map(|e| format!("{} {} {}", e.actor, e.action, e.detail))
        .collect();
    assert_eq!(
        summary[0],
        format!("dapa-officer token.revoke calendar feed {}", feed.info.id)
    );
    assert!(
        summary[1].starts_with(&format!(
            "dapa-officer token.create calendar feed {} expires ",
            feed.info.id
        )),
        "{summary:?}"
    );
    assert!(log.iter().all(|e| !e.detail.contains(&feed.token)));
}
