//! The workspace as use cases on the demo: meetings in Seoul's and Brussels' times across the
//! daylight-saving change, closing a meeting, the minutes' workflow, proposals' transitions,
//! a gap-closure plan tabled, agreed and turned into action items that the registry later
//! shows as done, timelines and the network, and who may do what.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use defcoop_app::workspace::{ActionState, MeetingQuery, Move, Subject, TablePlan};
use defcoop_app::{Actor, App, AppError, RecordKind};
use defcoop_domain::account::{Role, User};
use defcoop_domain::model::{Day, Kind};
use defcoop_domain::workspace::{MinutesStatus, Outcome, ProposalStatus};
use defcoop_domain::{json, Clearance, Reader};
use defcoop_store::{Progress, Store, Writer};
use serde_json::json;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

/// 2026-12-06 12:00 UTC.
const NOW: i64 = 1_796_558_400;

async fn app(dir: &tempfile::TempDir) -> App {
    let store = Store::open(&dir.path().join("w.db").display().to_string())
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
    App::direct(store).with_clock(Arc::new(move || now.load(Ordering::SeqCst)))
}

fn user(name: &str, roles: &[Role]) -> Actor {
    Actor::user(&User {
        name: name.into(),
        nationality: "KOR".into(),
        organization: "dapa".into(),
        roles: roles.to_vec(),
        clearance: Clearance::default().with_level("DEFCOOP", "RESTRICTED"),
        disabled: false,
        person: None,
    })
}

fn problems(e: AppError) -> Vec<String> {
    match e {
        AppError::Invalid(p) => p.iter().map(|p| p.to_string()).collect(),
        e => panic!("expected problems, got {e:?}"),
    }
}

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

#[tokio::test]
async fn meetings_show_in_seoul_and_brussels_across_daylight_saving() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let op = Actor::operator();
    let v = app
        .meeting(&op, "inaugural-meeting", Some("UTC"))
        .await
        .unwrap();
    let shown: Vec<(String, String, &str)> = v
        .times
        .iter()
        .map(|t| (t.zone.clone(), t.start.clone(), t.why))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "Europe/Brussels".into(),
                "2025-11-20 10:00 +01:00".into(),
                "meeting"
            ),
            (
                "Asia/Seoul".into(),
                "2025-11-20 18:00 +09:00".into(),
                "participants"
            ),
            ("UTC".into(), "2025-11-20 09:00 +00:00".into(), "reader"),
        ]
    );
    assert_eq!(v.minutes, ["inaugural-meeting-minutes"]);
    // The same 10:00 in Brussels is 18:00 in Seoul before the clocks go forward on
    // 29 March 2026, and 17:00 after.
    for (id, on, seoul) in [
        ("before", "2026-03-27", "18:00"),
        ("after", "2026-03-30", "17:00"),
    ] {
        app.create_record(
            &op,
            Kind::Meeting,
            &json!({"id": id, "title": "Working group", "start": format!("{on}T10:00"),
                    "end": format!("{on}T12:00"), "time_zone": "Europe/Brussels",
                    "participants": [{"person": "seok-jong-gun", "role": "member"}],
                    "status": "planned"}),
        )
        .await
        .unwrap();
        let v = app.meeting(&op, id, None).await.unwrap();
        assert_eq!(v.times[1].start, format!("{on} {seoul} +09:00"), "{id}");
    }
    let listed: Vec<String> = app
        .meetings(
            &op,
            &MeetingQuery {
                person: Some("seok-jong-gun".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(listed, ["inaugural-meeting", "before", "after"]);
    // Unknown zones, and times the clocks skip, are refused naming the field.
    let bad = app
        .create_record(
            &op,
            Kind::Meeting,
            &json!({"id": "bad", "title": "T", "start": "2026-03-29T02:30", "end": "2026-03-29T01:00",
                    "time_zone": "Europe/Brussels", "status": "planned"}),
        )
        .await
        .unwrap_err();
    let found = problems(bad);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("start: 2026-03-29T02:30 does not exist")),
        "{found:?}"
    );
    assert!(app
        .meeting(&op, "after", Some("Mars/Olympus"))
        .await
        .is_err());
}

#[tokio::test]
async fn a_meeting_closes_only_with_every_outcome_and_minutes_follow_their_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let secretariat = user("sec", &[Role::Secretariat]);
    let member = user("mem", &[Role::Member]);
    let kubilius = member.clone().with_person(Some("andrius-kubilius".into()));
    let m = json!({"id": "wg", "title": "Working group", "start": "2026-12-10T09:00",
        "end": "2026-12-10T11:00", "time_zone": "Asia/Seoul",
        "participants": [{"person": "seok-jong-gun", "role": "chair"}, {"person": "andrius-kubilius", "role": "member"}],
        "agenda": [{"title": "Opening"}, {"title": "Link 16 gateway"}], "status": "planned"});
    let refused = app
        .create_record(&member, Kind::Meeting, &m)
        .await
        .unwrap_err();
    assert!(matches!(refused, AppError::Forbidden(_)), "{refused:?}");
    app.create_record(&secretariat, Kind::Meeting, &m)
        .await
        .unwrap();
    let open = app
        .close_meeting(&secretariat, "wg", &[(1, Outcome::Noted)])
        .await
        .unwrap_err();
    let found = problems(open);
    assert!(
        found.iter().any(|p| p.contains("agenda[1].outcome")
            && p.contains("item 2 (\"Link 16 gateway\") has no outcome")),
        "{found:?}"
    );
    assert!(app
        .close_meeting(&secretariat, "wg", &[(3, Outcome::Noted)])
        .await
        .is_err());
    let held = app
        .close_meeting(
            &secretariat,
            "wg",
            &[(1, Outcome::Noted), (2, Outcome::Deferred)],
        )
        .await
        .unwrap();
    assert_eq!(held.status.as_str(), "held");

    // Minutes: drafted by the secretariat (others do not see the draft), circulated,
    // commented by a participant, approved and frozen, then corrected by a new version.
    app.create_record(
        &secretariat,
        Kind::Minutes,
        &json!({"id": "wg-minutes", "meeting": "wg", "version": 1, "status": "draft", "text": "# WG\n\nNoted."}),
    )
    .await
    .unwrap();
    let member_sees = app.workspace(&member).await.unwrap();
    assert!(
        member_sees.minutes.iter().all(|x| x.id != "wg-minutes"),
        "drafts are the secretariat's"
    );
    assert!(app
        .comment_minutes(&kubilius, "wg-minutes", None, "Early.")
        .await
        .is_err());
    app.advance_minutes(&secretariat, "wg-minutes", MinutesStatus::Circulated)
        .await
        .unwrap();
    let commented = app
        .comment_minutes(
            &kubilius,
            "wg-minutes",
            None,
            "Item 2 was deferred to March.",
        )
        .await
        .unwrap();
    assert_eq!(commented.comments.len(), 1);
    assert_eq!(
        commented.comments[0].at.as_deref(),
        Some("2026-12-06T21:00"),
        "Seoul's time"
    );
    let rutte = member.clone().with_person(Some("mark-rutte".into()));
    let stranger = app
        .comment_minutes(&rutte, "wg-minutes", None, "I was not there.")
        .await
        .unwrap_err();
    assert!(problems(stranger)[0].contains("did not take part"));
    let unlinked = app
        .comment_minutes(&member, "wg-minutes", None, "Who am I?")
        .await
        .unwrap_err();
    assert!(matches!(unlinked, AppError::Forbidden(_)), "{unlinked:?}");
    let impostor = app
        .comment_minutes(&kubilius, "wg-minutes", Some("seok-jong-gun"), "Not me.")
        .await
        .unwrap_err();
    assert!(matches!(impostor, AppError::Forbidden(_)), "{impostor:?}");
    assert!(app
        .advance_minutes(&secretariat, "wg-minutes", MinutesStatus::Draft)
        .await
        .is_err());
    app.advance_minutes(&secretariat, "wg-minutes", MinutesStatus::Approved)
        .await
        .unwrap();
    let frozen = app
        .update_record(
            &secretariat,
            Kind::Minutes,
            "wg-minutes",
            &json!({"meeting": "wg", "version": 1, "status": "approved", "text": "# WG\n\nRewritten."}),
        )
        .await
        .unwrap_err();
    assert!(problems(frozen)
        .iter()
        .any(|p| p.contains("are approved and frozen")));
    let fix = app
        .correct_minutes(
            &secretariat,
            "wg-minutes",
            "wg-minutes-2",
            "# WG\n\nNoted; item 2 deferred.",
        )
        .await
        .unwrap();
    assert_eq!((fix.version, fix.status), (2, MinutesStatus::Draft));
    let md = app
        .minutes_markdown(&secretariat, "wg-minutes")
        .await
        .unwrap();
    assert!(md.starts_with("# Minutes: Working group\n"), "{md}");
    assert!(
        md.contains("- **Andrius Kubilius** (2026-12-06 21:00): Item 2 was deferred to March."),
        "{md}"
    );
}

#[tokio::test]
async fn a_tabled_plan_is_agreed_into_action_items_the_registry_then_closes() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let op = Actor::operator();
    let p = app
        .table_plan(
            &op,
            &TablePlan {
                id: "kor-nato-plan-2".into(),
                title: "Close Korea's gaps with NATO".into(),
                summary: None,
                body: Some("kor-nato-eu-consultative-body".into()),
                sponsor: Some("dapa".into()),
                by: Some("seok-jong-gun".into()),
                meeting: None,
                left: vec!["operator:KOR".into()],
                right: vec!["operator:NATO".into()],
                domains: vec![],
                target: 2,
                budget: 3,
                on: Some(day("2026-12-01")),
            },
        )
        .await
        .unwrap();
    let plan = p.plan.clone().unwrap();
    assert_eq!(p.status, ProposalStatus::Tabled);
    assert!(
        !plan.items.is_empty() && plan.covered_after > plan.covered_before,
        "{plan:?}"
    );

    // Not yet agreed: no work. An illegal move names the legal ones.
    assert!(app
        .assign_plan(&op, &p.id, day("2027-06-30"), None)
        .await
        .is_err());
    let skip = Move {
        to: ProposalStatus::Agreed,
        on: None,
        by: None,
        meeting: None,
        method: None,
        votes: None,
    };
    let refused = problems(app.move_proposal(&op, &p.id, &skip).await.unwrap_err());
    assert!(
        refused[0].contains(
            "cannot go from tabled to agreed (from tabled: under-consideration, withdrawn)"
        ),
        "{refused:?}"
    );
    let consider = Move {
        to: ProposalStatus::UnderConsideration,
        ..skip.clone()
    };
    app.move_proposal(&op, &p.id, &consider).await.unwrap();
    let agreed = app
        .move_proposal(
            &op,
            &p.id,
            &Move {
                method: Some(defcoop_domain::workspace::DecisionMethod::Consensus),
                ..skip.clone()
            },
        )
        .await
        .unwrap();
    assert_eq!(agreed.history.len(), 4);
    assert_eq!(agreed.history[3].on, "2026-12-06");

    let items = app
        .assign_plan(&op, &p.id, day("2027-06-30"), None)
        .await
        .unwrap();
    assert_eq!(items.len(), plan.items.len());
    assert!(
        app.assign_plan(&op, &p.id, day("2027-06-30"), None)
            .await
            .unwrap()
            .is_empty(),
        "once"
    );
    for item in &items {
        assert!(item.owner.organization.is_some(), "{item:?}");
    }
    // The registry records the first action (a test or an adoption: a tested conformance);
    // its item shows as done, with the change.
    let first = plan.items[0].action.clone();
    let parts: Vec<&str> = first.split(':').collect();
    if parts[0] == "test" || parts[0] == "adopt" {
        let key = format!("{}/{}", parts[1], parts[2]);
        let conformance = json!({"system": parts[1], "standard": parts[2], "status": "tested"});
        if app
            .record(&op, RecordKind(Kind::Conformance), &key)
            .await
            .is_ok()
        {
            app.update_record(&op, Kind::Conformance, &key, &conformance)
                .await
                .unwrap();
        } else {
            app.create_record(&op, Kind::Conformance, &conformance)
                .await
                .unwrap();
        }
        let v = app.action_item(&op, &items[0].id).await.unwrap();
        assert_eq!(v.state, ActionState::DoneInRegistry, "{v:?}");
        assert_eq!(v.done_by.unwrap().key, format!("{}/{}", parts[1], parts[2]));
    }
    // The demo's own item is overdue after 30 June 2026.
    let demo = app.action_item(&op, "k9-adopts-stanag-5516").await.unwrap();
    assert!(
        matches!(
            demo.state,
            ActionState::Overdue | ActionState::DoneInRegistry
        ),
        "{demo:?}"
    );
}

#[tokio::test]
async fn timelines_and_the_network_count_only_what_the_reader_sees() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let op = Actor::operator();
    let seok = app
        .timeline(&op, &Subject::Person("seok-jong-gun".into()), None, None)
        .await
        .unwrap();
    let ids: Vec<&str> = seok.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "seok-kubilius-brussels",
            "seok-shekerinska-brussels",
            "inaugural-meeting"
        ]
    );
    let korea = app
        .timeline(
            &op,
            &Subject::Nation("KOR".into()),
            Some(day("2025-01-01")),
            Some(day("2025-04-30")),
        )
        .await
        .unwrap();
    assert_eq!(korea.len(), 2);
    assert!(app
        .timeline(&op, &Subject::Organization("nobody".into()), None, None)
        .await
        .is_err());
    let net = app.network(&op, None, None).await.unwrap();
    assert_eq!(net.events, 3);
    let names: Vec<&str> = net.nodes.iter().map(|n| n.person.as_str()).collect();
    assert!(names.contains(&"seok-jong-gun") && names.contains(&"radmila-shekerinska"));
    assert!(app
        .network(&op, Some(day("2026-01-01")), Some(day("2025-01-01")))
        .await
        .is_err());

    // Labelled KOR-only, the Kubilius engagement is absent for a reader without KOR.
    let mut rec = app
        .record(&op, RecordKind(Kind::Engagement), "seok-kubilius-brussels")
        .await
        .unwrap();
    rec["label"] = json!({"policy": "DEFCOOP", "classification": "PUBLIC",
        "categories": [{"type": "restrictive", "name": "RELEASABLE-TO", "values": ["KOR"]}]});
    app.update_record(&op, Kind::Engagement, "seok-kubilius-brussels", &rec)
        .await
        .unwrap();
    let outsider = Actor::reading_as(
        "eu",
        Reader::Cleared(Clearance::default().with_level("DEFCOOP", "RESTRICTED")),
    );
    let seen = app
        .timeline(
            &outsider,
            &Subject::Person("seok-jong-gun".into()),
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(seen.len(), 2);
    let net = app.network(&outsider, None, None).await.unwrap();
    assert_eq!(net.events, 2);
    assert!(net.nodes.iter().all(|n| n.person != "andrius-kubilius"
        || net
            .edges
            .iter()
            .any(|e| net.nodes[e.a].person == "andrius-kubilius"
                || net.nodes[e.b].person == "andrius-kubilius")));
}
