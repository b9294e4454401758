//! `defcoop meeting ics`, `defcoop calendar feed` and `user add|set --person` end to end.

mod common;

use common::*;

const KIM: &[&str] = &[
    "--name",
    "kim",
    "--nationality",
    "KOR",
    "--organization",
    "dapa",
    "--role",
    "member",
    "--clearance",
    "DEFCOOP:RESTRICTED",
];

/// A meeting labelled CONFIDENTIAL, which kim (RESTRICTED) may not read.
const SECRET: &str = r#"{"format": "defcoop-dataset", "version": 1, "meetings": [
  {"id": "secret-talks", "title": "Secret talks", "start": "2026-06-01T10:00",
   "end": "2026-06-01T12:00", "time_zone": "Asia/Tokyo", "status": "planned",
   "participants": [{"person": "seok-jong-gun", "role": "member"}],
   "label": {"policy": "DEFCOOP", "classification": "CONFIDENTIAL"}}]}"#;

fn uids(ics: &str) -> Vec<&str> {
    ics.lines().filter_map(|l| l.strip_prefix("UID:")).collect()
}

#[test]
fn users_are_linked_to_a_person_the_registry_has() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let mut add = vec!["user", "add", "--db", db, "--person", "seok-jong-gun"];
    add.extend_from_slice(KIM);
    let added = ok(&add);
    assert!(added.contains("  person seok-jong-gun"), "{added}");
    let shown = ok(&["user", "show", "kim", "--db", db, "--format", "json"]);
    assert!(shown.contains("\"person\": \"seok-jong-gun\""), "{shown}");
    let e = fails(&["user", "set", "kim", "--db", db, "--person", "nobody"]);
    assert!(e.contains("--person: person \"nobody\" not found"), "{e}");
    let e = fails(&[
        "user",
        "set",
        "kim",
        "--db",
        db,
        "--person",
        "x",
        "--no-person",
    ]);
    assert!(e.contains("cannot be used with"), "{e}");
    ok(&["user", "set", "kim", "--db", db, "--no-person"]);
    let shown = ok(&["user", "show", "kim", "--db", db, "--format", "json"]);
    assert!(!shown.contains("person"), "{shown}");
}

#[test]
fn meeting_ics_writes_what_the_actor_sees_of_the_chosen_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let secret = dir.path().join("secret.json");
    std::fs::write(&secret, SECRET).unwrap();
    ok(&["import", "--db", db, s(&secret)]);
    let mut add = vec!["user", "add", "--db", db];
    add.extend_from_slice(KIM);
    ok(&add);

    let all = ok(&["meeting", "ics", "--db", db]);
    assert!(all.starts_with("BEGIN:VCALENDAR\r\n"), "{all}");
    assert_eq!(
        uids(&all),
        [
            "engagement-seok-kubilius-brussels@defcoop",
            "engagement-seok-shekerinska-brussels@defcoop",
            "meeting-inaugural-meeting@defcoop",
            "meeting-secret-talks@defcoop",
        ]
    );
    let kims = ok(&["meeting", "ics", "--db", db, "--as", "kim"]);
    assert_eq!(
        uids(&kims).len(),
        3,
        "the CONFIDENTIAL meeting is not kim's"
    );
    assert!(!kims.contains("Asia/Tokyo"), "nor is its zone");
    let body = ok(&[
        "meeting",
        "ics",
        "--db",
        db,
        "--body",
        "kor-nato-eu-consultative-body",
    ]);
    assert_eq!(uids(&body), ["meeting-inaugural-meeting@defcoop"]);
    let person = ok(&["meeting", "ics", "--db", db, "--person", "andrius-kubilius"]);
    assert_eq!(
        uids(&person),
        [
            "engagement-seok-kubilius-brussels@defcoop",
            "meeting-inaugural-meeting@defcoop"
        ]
    );
    let e = fails(&[
        "meeting",
        "ics",
        "--db",
        db,
        "--meeting",
        "secret-talks",
        "--as",
        "kim",
    ]);
    assert!(e.contains("meeting \"secret-talks\" not found"), "{e}");
    let e = fails(&["meeting", "ics", "--db", db, "--body", "b", "--person", "p"]);
    assert!(e.contains("cannot be used with"), "{e}");

    let out = dir.path().join("inaugural.ics");
    let printed = ok(&[
        "meeting",
        "ics",
        "--db",
        db,
        "--meeting",
        "inaugural-meeting",
        "--out",
        s(&out),
    ]);
    assert!(printed.is_empty(), "{printed}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("DTSTART;TZID=Europe/Brussels:20251120T100000\r\n"));
    assert!(written.ends_with("END:VCALENDAR\r\n"));
}

#[test]
fn calendar_feeds_are_made_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let mut add = vec!["user", "add", "--db", db];
    add.extend_from_slice(KIM);
    ok(&add);

    let e = fails(&["calendar", "feed", "create", "--db", db]);
    assert!(e.contains("--user NAME"), "{e}");
    let path = ok(&["calendar", "feed", "create", "--db", db, "--user", "kim"]);
    let path = path.lines().last().unwrap();
    // Without --public-url (nor DEFCOOP_PUBLIC_URL), the path alone.
    assert!(
        path.contains("/calendar/feed/dcf_") && path.ends_with(".ics"),
        "{path}"
    );
    let url = ok(&[
        "calendar",
        "feed",
        "create",
        "--db",
        db,
        "--as",
        "kim",
        "--public-url",
        "https://defcoop.example/",
        "--expires",
        "30",
    ]);
    assert!(
        url.trim_end()
            .starts_with("https://defcoop.example/calendar/feed/dcf_"),
        "{url}"
    );
    let e = fails(&[
        "calendar", "feed", "create", "--db", db, "--as", "kim", "--user", "admin",
    ]);
    assert!(e.contains("not found"), "{e}");

    let listed = ok(&["calendar", "feed", "list", "--db", db, "--format", "json"]);
    let feeds: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let feeds = feeds.as_array().unwrap();
    assert_eq!(feeds.len(), 2);
    assert!(feeds
        .iter()
        .all(|f| f["scope"] == "calendar" && f["user"] == "kim"));
    assert!(!listed.contains("dcf_"), "never a secret");
    let id = feeds[0]["id"].as_str().unwrap();
    assert!(id.starts_with("cal-"), "{id}");
    let text = ok(&["calendar", "feed", "list", "--db", db]);
    assert!(text.contains("  kim  calendar feed  created "), "{text}");
    assert!(
        ok(&["token", "list", "--db", db]).trim().is_empty(),
        "feeds are no API tokens"
    );
    let e = fails(&["token", "revoke", id, "--db", db]);
    assert!(e.contains("not found"), "{e}");
    ok(&["calendar", "feed", "revoke", id, "--db", db, "--as", "kim"]);
    let listed = ok(&["calendar", "feed", "list", "--db", db, "--format", "json"]);
    let feeds: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let revoked: Vec<bool> = feeds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["revoked_at"].is_i64())
        .collect();
    assert_eq!(revoked.iter().filter(|r| **r).count(), 1, "{listed}");
    let log = ok(&[
        "audit",
        "list",
        "--db",
        db,
        "--record",
        &format!("token:{id}"),
    ]);
    assert!(
        log.contains("token.revoke") && log.contains("token.create"),
        "{log}"
    );
}
