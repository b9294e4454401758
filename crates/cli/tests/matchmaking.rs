//! End to end: `defcoop consortium check` on the demo's modelled instruments (the EDF's three
//! entities from three eligible countries, SAFE's partners and its 35% of non-eligible cost).

mod common;

use common::*;
use serde_json::Value;

fn check(db: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["consortium", "check", "--db", db];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn a_consortium_is_checked_against_an_instruments_rules() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);

    // SAFE (modelled): a Korean partner with 30% of the cost, a Polish member with 70%.
    let out = check(
        db,
        &[
            "--instrument",
            "safe-modelled",
            "--members",
            "hanwha-aerospace,wb-group",
            "--share",
            "hanwha-aerospace=30",
            "--share",
            "wb-group=70",
        ],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("hanwha-aerospace  Hanwha Aerospace  KOR     partner   30.0%"),
        "{text}"
    );
    assert!(text.contains("condition: hanwha-aerospace (KOR) takes part as a partner: it may join but receives no funds"), "{text}");
    assert!(
        text.ends_with("eligible: the consortium breaks no rule\n"),
        "{text}"
    );

    // 40% from Korea is over SAFE's 35%: the report says so, and the command fails.
    let out = check(
        db,
        &[
            "--instrument",
            "safe-modelled",
            "--members",
            "hanwha-aerospace",
            "--members",
            "wb-group",
            "--share",
            "hanwha-aerospace=40",
            "--share",
            "wb-group=60",
        ],
    );
    assert!(!out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("breaks max_non_eligible_share: 40% of the component cost from non-eligible origins (KOR 40%); at most 35%"),
        "{text}"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("the consortium is not eligible for safe-modelled: 1 rule(s) broken"),
        "{err}"
    );

    // The EDF (modelled) as JSON: three entities from three eligible countries, equal shares.
    let out = check(
        db,
        &[
            "--instrument",
            "edf-modelled",
            "--members",
            "wb-group,rheinmetall,kongsberg",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["eligible"], true);
    assert_eq!(v["equal_shares_assumed"], true);
    assert_eq!(
        v["members"][2]["standing"], "eligible",
        "Norway through the EEA EFTA states"
    );
    // Two Polish companies and a Korean one: every rule broken is listed, in Korean too.
    let out = run(&[
        "--lang",
        "ko",
        "consortium",
        "check",
        "--db",
        db,
        "--instrument",
        "edf-modelled",
        "--members",
        "hanwha-aerospace,wb-group,hsw",
    ]);
    assert!(!out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "위반 min_countries: 서로 다른 자격 국가가 1개국(POL)입니다: 적어도 3개국이 필요합니다"
        ),
        "{text}"
    );
    assert!(text.contains("자격 미충족: 요건 3건 위반"), "{text}");
}

#[test]
fn bad_consortia_and_options_are_refused_naming_each() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let err = fails(&[
        "consortium",
        "check",
        "--db",
        db,
        "--instrument",
        "safe-modelled",
        "--members",
        "wb-group,nobody",
        "--share",
        "wb-group=120",
    ]);
    assert!(
        err.contains("members[0].share: 120 is not a percentage (0 to 100)"),
        "{err}"
    );
    assert!(
        err.contains("members[1]: unknown organization \"nobody\""),
        "{err}"
    );
    assert!(
        err.contains("3 problem(s) in the input; nothing was checked"),
        "{err}"
    );
    let err = fails(&[
        "consortium",
        "check",
        "--db",
        db,
        "--instrument",
        "nothing",
        "--members",
        "wb-group",
    ]);
    assert!(err.contains("instrument \"nothing\" not found"), "{err}");
    let err = fails(&[
        "consortium",
        "check",
        "--db",
        db,
        "--instrument",
        "safe-modelled",
        "--members",
        "wb-group",
        "--share",
        "kmw=10",
    ]);
    assert!(
        err.contains("--share: \"kmw\" is not one of --members"),
        "{err}"
    );
    let err = fails(&[
        "consortium",
        "check",
        "--db",
        db,
        "--instrument",
        "safe-modelled",
        "--members",
        "wb-group",
        "--on",
        "2026-13-01",
    ]);
    assert!(err.contains("--on: \"2026-13-01\" is not a date"), "{err}");
    // A user may not use what they may not see: the viewer without clearance still sees the
    // unlabelled demo instruments, and the check works for them.
    let out = run(&[
        "user",
        "add",
        "--db",
        db,
        "--name",
        "reader",
        "--nationality",
        "KOR",
        "--organization",
        "dapa",
        "--role",
        "viewer",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&[
        "--as",
        "reader",
        "consortium",
        "check",
        "--db",
        db,
        "--instrument",
        "edf-modelled",
        "--members",
        "wb-group,rheinmetall,kongsberg",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn needs_and_offers_are_matched_and_consortia_built() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);

    let out = run(&[
        "match",
        "--db",
        db,
        "--need",
        "pol-artillery-data-link",
        "--top",
        "2",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(text.contains("  1.  "), "{text}");
    assert!(text.contains("hanwha-link16-fire-control"), "{text}");
    for part in ["area ", "text ", "TRL ", "cooperation ", "synergy "] {
        assert!(text.contains(&format!("       {part}")), "{part}: {text}");
    }
    assert!(
        text.contains("adopting STANAG-5516 raises levels"),
        "{text}"
    );

    let out = run(&[
        "match",
        "--db",
        db,
        "--offer",
        "hanwha-155mm-charges",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["of"], "offer");
    assert_eq!(v["matches"][0]["id"], "kor-155mm-ammunition");

    let out = run(&[
        "match",
        "--db",
        db,
        "--offer",
        "hanwha-155mm-charges",
        "--lang",
        "ko",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("에 맞는 수요") && text.contains("기술성숙도"),
        "{text}"
    );

    for (args, says) in [
        (vec!["match", "--db", db], "--need"),
        (
            vec!["match", "--db", db, "--need", "x", "--offer", "y"],
            "cannot be used with",
        ),
        (
            vec![
                "match",
                "--db",
                db,
                "--need",
                "pol-artillery-data-link",
                "--top",
                "0",
            ],
            "--top",
        ),
        (vec!["match", "--db", db, "--need", "nothing"], "not found"),
    ] {
        let out = run(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(says), "{args:?}: {err}");
    }

    let out = run(&[
        "consortium",
        "build",
        "--db",
        db,
        "--need",
        "eu-counter-drone-sensors",
        "--instrument",
        "safe-modelled",
        "--size",
        "3",
        "--top",
        "2",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("3 members") && text.contains("  1. "),
        "{text}"
    );
    assert!(text.contains("(KOR, partner)"), "{text}");
    assert!(
        text.ends_with("check the consortium with its real shares (consortium check)\n"),
        "{text}"
    );
    let out = run(&[
        "consortium",
        "build",
        "--db",
        db,
        "--need",
        "eu-counter-drone-sensors",
        "--instrument",
        "safe-modelled",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // SAFE names no minimum number of entities: three members by default.
    assert_eq!(
        (v["size"].clone(), v["exact"].clone()),
        (serde_json::json!(3), serde_json::json!(true))
    );
    let out = run(&[
        "consortium",
        "build",
        "--db",
        db,
        "--need",
        "nothing",
        "--instrument",
        "safe-modelled",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr).unwrap().contains("not found"));
}

#[test]
fn a_brokerage_event_is_scheduled_with_agendas() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let event = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/demo/brokerage.json"
    );
    let ics = dir.path().join("agendas");
    let out = run(&[
        "brokerage",
        "schedule",
        "--db",
        db,
        "--event",
        event,
        "--ics-dir",
        s(&ics),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("slot 2026-03-10 14:00–14:25 (13:00 UTC)"),
        "{text}"
    );
    assert!(text.contains("  table 1: "), "{text}");
    assert!(
        text.contains("requested meetings placed: the most possible"),
        "{text}"
    );
    let hanwha = std::fs::read_to_string(ics.join("hanwha-aerospace.ics")).unwrap();
    assert!(hanwha.starts_with("BEGIN:VCALENDAR\r\n"), "{hanwha}");
    assert!(hanwha.contains("TZID:Europe/Brussels"), "{hanwha}");
    assert!(
        hanwha.contains("DTSTART;TZID=Europe/Brussels:20260310T"),
        "{hanwha}"
    );

    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"title": "x", "time_zone": "Europe/Brussels", "tables": 1,
            "slots": [{"start": "2026-03-10T14:00", "minutes": 20}],
            "participants": [{"id": "a", "organization": "wb-group", "available": []}]}"#,
    )
    .unwrap();
    let out = run(&["brokerage", "schedule", "--db", db, "--event", s(&bad)]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("$.participants[0].available: no availability"),
        "{err}"
    );
}
