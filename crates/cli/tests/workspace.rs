//! End to end: the workspace's commands (`meeting`, `minutes`, `proposal`, `action`,
//! `engagement`) on the demo database: times in Brussels and Seoul, closing a meeting, the
//! minutes' workflow, proposals' transitions, a plan tabled, agreed and assigned as action
//! items the registry then shows done, timelines and the network, roles, and Korean.

mod common;

use std::path::Path;

use common::*;
use defcoop_domain::model::Day;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let text = ok(args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"))
}

/// The words of `line` (split at spaces) with `--db DB` after them.
fn cmd<'a>(line: &'a str, db: &'a str) -> Vec<&'a str> {
    with_db(&line.split_whitespace().collect::<Vec<_>>(), db)
}

/// `args` with `--db DB` after them.
fn with_db<'a>(args: &[&'a str], db: &'a str) -> Vec<&'a str> {
    let mut full = args.to_vec();
    full.extend(["--db", db]);
    full
}

/// Today (UTC), as the application's clock has it.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Day::from_unix_days((secs / 86_400) as i64).to_string()
}

/// A planned working group of Seok and Kubilius with two agenda items, and its draft minutes.
fn import_working_group(dir: &Path, db: &str) {
    let file = dir.join("wg.json");
    std::fs::write(
        &file,
        r##"{"format": "defcoop-dataset", "version": 1,
 "meetings": [{"id": "wg", "body": "kor-nato-eu-consultative-body", "title": "Working group on data links",
   "start": "2026-03-30T10:00", "end": "2026-03-30T12:00", "time_zone": "Europe/Brussels", "place": "Brussels",
   "participants": [{"person": "seok-jong-gun", "role": "chair"}, {"person": "andrius-kubilius", "role": "member"}],
   "agenda": [{"title": "Opening"}, {"title": "Link 16 gateway"}], "status": "planned"}],
 "minutes": [{"id": "wg-minutes", "meeting": "wg", "version": 1, "status": "draft", "text": "# Working group\n\nNoted."}]}"##,
    )
    .unwrap();
    ok(&["import", "--db", db, s(&file)]);
}

fn add_viewer(db: &str) {
    ok(&[
        "user",
        "add",
        "--db",
        db,
        "--name",
        "vic",
        "--nationality",
        "BEL",
        "--organization",
        "european-commission",
        "--role",
        "viewer",
    ]);
}

#[test]
fn meetings_are_listed_and_shown_in_brussels_and_seoul() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);

    let listed = json(&cmd("meeting list --format json", db));
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["inaugural-meeting"]);
    for (filter, count) in [
        (vec!["--person", "seok-jong-gun"], 1),
        (vec!["--person", "mark-rutte"], 0),
        (vec!["--status", "held"], 1),
        (vec!["--status", "Planned"], 0),
        (vec!["--body", "kor-nato-eu-consultative-body"], 1),
    ] {
        let mut args = vec!["meeting", "list", "--format", "json"];
        args.extend(filter.iter());
        let found = json(&with_db(&args, db));
        assert_eq!(found.as_array().unwrap().len(), count, "{filter:?}");
    }
    let text = ok(&cmd("meeting list", db));
    assert!(
        text.contains("2025-11-20 10:00  Europe/Brussels  held    inaugural-meeting"),
        "{text}"
    );
    assert!(text.ends_with("1 meeting(s)\n"), "{text}");

    // 10:00 in Brussels (+01:00 in November) is 18:00 in Seoul, and 09:00 UTC for a reader
    // who asks for it.
    let view = json(&cmd(
        "meeting show inaugural-meeting --tz UTC --format json",
        db,
    ));
    let times: Vec<(&str, &str, &str)> = view["times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["zone"].as_str().unwrap(),
                t["start"].as_str().unwrap(),
                t["why"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        times,
        [
            ("Europe/Brussels", "2025-11-20 10:00 +01:00", "meeting"),
            ("Asia/Seoul", "2025-11-20 18:00 +09:00", "participants"),
            ("UTC", "2025-11-20 09:00 +00:00", "reader"),
        ]
    );
    assert_eq!(view["minutes"][0], "inaugural-meeting-minutes");
    assert_eq!(view["decisions"][0], "interop-plan-agreed");

    let text = ok(&cmd("meeting show inaugural-meeting", db));
    for line in [
        "Inaugural meeting of the consultative body (inaugural-meeting)",
        "status: held",
        "  Europe/Brussels  2025-11-20 10:00 +01:00 – 2025-11-20 17:00 +01:00  the meeting's zone",
        "  Asia/Seoul       2025-11-20 18:00 +09:00 – 2025-11-21 01:00 +09:00  a participant's nation",
        "  Seok Jong-gun (seok-jong-gun)              co-chair",
        "  2. Interoperability gap-closure plan: Korean fleets against NATO's — agreed",
        "  3. Joint research and development of advanced technologies: next steps — deferred",
        "  inaugural-meeting-minutes  version 1  approved",
    ] {
        assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
    }
    assert!(
        text.contains("  interop-plan-agreed: The body agrees"),
        "{text}"
    );

    for (args, says) in [
        (
            vec!["meeting", "show", "nope"],
            "error: meeting \"nope\" not found",
        ),
        (
            vec![
                "meeting",
                "show",
                "inaugural-meeting",
                "--tz",
                "Mars/Olympus",
            ],
            "--tz: \"Mars/Olympus\" is not an IANA time zone",
        ),
        (
            vec!["meeting", "list", "--status", "late"],
            "--status: \"late\" is not a meeting status (planned, held, cancelled)",
        ),
        (
            vec!["meeting", "list", "--person", "nobody"],
            "person \"nobody\" not found",
        ),
    ] {
        let err = fails(&with_db(&args, db));
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn a_meeting_closes_with_every_outcome_and_its_minutes_follow_their_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    import_working_group(dir.path(), db);
    add_viewer(db);

    // After the clocks went forward in Brussels (29 March 2026), 10:00 there is 17:00 in Seoul.
    let text = ok(&cmd("meeting show wg", db));
    assert!(
        text.contains("  Asia/Seoul       2026-03-30 17:00 +09:00 – 2026-03-30 19:00 +09:00"),
        "{text}"
    );
    assert!(
        text.contains("  2. Link 16 gateway — no outcome yet"),
        "{text}"
    );

    // Closing: every item needs an outcome; the refusal names the one left without.
    let err = fails(&cmd("meeting close wg --outcome 1=noted", db));
    assert!(
        err.contains("agenda[1].outcome: item 2 (\"Link 16 gateway\") has no outcome"),
        "{err}"
    );
    for (outcomes, says) in [
        (
            vec!["--outcome", "1=noted", "--outcome", "3=agreed"],
            "the meeting has 2 agenda item(s); there is no item 3",
        ),
        (
            vec!["--outcome", "agreed"],
            "--outcome \"agreed\": give N=OUTCOME",
        ),
        (
            vec!["--outcome", "2=passed"],
            "--outcome: \"passed\" is not an outcome (noted, agreed, deferred, rejected)",
        ),
        (
            vec!["--outcome", "1=noted", "--outcome", "1=agreed"],
            "--outcome: item 1 is given twice",
        ),
    ] {
        let mut args = vec!["meeting", "close", "wg"];
        args.extend(outcomes.iter());
        let err = fails(&with_db(&args, db));
        assert!(err.contains(says), "{outcomes:?}: {err}");
    }
    let shown = json(&cmd("meeting show wg --format json", db));
    assert_eq!(shown["meeting"]["status"], "planned", "nothing was written");

    // Draft minutes are not circulated before the meeting is held.
    let err = fails(&cmd("minutes circulate wg-minutes", db));
    assert!(err.contains("meeting \"wg\" has not been held"), "{err}");

    let err = fails(&cmd(
        "--as vic meeting close wg --outcome 1=noted --outcome 2=deferred",
        db,
    ));
    assert!(
        err.contains("vic may not run the body's meetings, minutes and decisions"),
        "{err}"
    );
    let text = ok(&cmd(
        "meeting close wg --outcome 1=noted --outcome 2=deferred",
        db,
    ));
    assert_eq!(
        text,
        "meeting \"wg\" is held; agenda: 1. noted, 2. deferred\n"
    );
    let err = fails(&cmd("meeting cancel wg", db));
    assert!(
        err.contains("meeting \"wg\" is held: only a planned meeting is cancelled"),
        "{err}"
    );

    // Draft → circulated (commented by a participant) → approved, then frozen.
    let err = fails(&cmd("minutes approve wg-minutes", db));
    assert!(
        err.contains("minutes \"wg-minutes\" are draft: the next step is circulated, not approved"),
        "{err}"
    );
    let m = json(&cmd("minutes circulate wg-minutes --format json", db));
    assert_eq!(m["status"], "circulated");
    let err = fails(&with_db(
        &["minutes", "comment", "wg-minutes", "--text", "Who am I?"],
        db,
    ));
    assert!(
        err.contains("--person: name the person who comments"),
        "{err}"
    );
    let err = fails(&with_db(
        &[
            "minutes",
            "comment",
            "wg-minutes",
            "--text",
            "I was not there.",
            "--person",
            "mark-rutte",
        ],
        db,
    ));
    assert!(
        err.contains("\"mark-rutte\" did not take part in meeting \"wg\""),
        "{err}"
    );
    let text = ok(&with_db(
        &[
            "minutes",
            "comment",
            "wg-minutes",
            "--text",
            "Item 2 was deferred to March.",
            "--person",
            "andrius-kubilius",
        ],
        db,
    ));
    assert_eq!(
        text,
        "minutes \"wg-minutes\" (version 1 of meeting \"wg\"): circulated, 1 comment(s)\n"
    );
    let err = fails(&cmd("--as vic minutes approve wg-minutes", db));
    assert!(err.contains("vic may not"), "{err}");
    let m = json(&cmd("minutes approve wg-minutes --format json", db));
    assert_eq!(m["status"], "approved");
    assert_eq!(m["comments"][0]["person"], "andrius-kubilius");
    let err = fails(&cmd("minutes approve wg-minutes", db));
    assert!(
        err.contains("minutes \"wg-minutes\" are approved and frozen: write a correction"),
        "{err}"
    );

    // A correction from a file: the next version, in draft, naming what it corrects.
    let fix = dir.path().join("fix.md");
    std::fs::write(
        &fix,
        "# Working group\n\nNoted; item 2 deferred to March.\n",
    )
    .unwrap();
    let c = json(&with_db(
        &[
            "minutes",
            "correct",
            "wg-minutes",
            "--id",
            "wg-minutes-2",
            "--file",
            s(&fix),
            "--format",
            "json",
        ],
        db,
    ));
    assert_eq!(
        (&c["id"], &c["version"], &c["status"], &c["corrects"]),
        (
            &Value::from("wg-minutes-2"),
            &Value::from(2),
            &Value::from("draft"),
            &Value::from("wg-minutes")
        )
    );
    assert_eq!(
        c["text"],
        "# Working group\n\nNoted; item 2 deferred to March.\n"
    );
    let err = fails(&with_db(
        &[
            "minutes",
            "correct",
            "wg-minutes",
            "--id",
            "wg-minutes-3",
            "--file",
            s(&dir.path().join("missing.md")),
        ],
        db,
    ));
    assert!(err.contains("--file: cannot read"), "{err}");
    let latin1 = dir.path().join("latin1.md");
    std::fs::write(&latin1, b"caf\xe9").unwrap();
    let err = fails(&with_db(
        &[
            "minutes",
            "correct",
            "wg-minutes",
            "--id",
            "wg-minutes-3",
            "--file",
            s(&latin1),
        ],
        db,
    ));
    assert!(err.contains("is not UTF-8 text"), "{err}");

    // Markdown, on standard output or written atomically to a file.
    let md = ok(&cmd("minutes export wg-minutes", db));
    assert!(
        md.starts_with("# Minutes: Working group on data links\n"),
        "{md}"
    );
    assert!(md.contains("- Version: 1 (approved)\n"), "{md}");
    assert!(
        md.contains("- **Andrius Kubilius** (") && md.contains("): Item 2 was deferred to March."),
        "{md}"
    );
    let out = dir.path().join("minutes.md");
    let said = run(&with_db(
        &["minutes", "export", "wg-minutes", "--out", s(&out)],
        db,
    ));
    assert!(said.status.success());
    assert!(said.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), md);
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let err = fails(&cmd("minutes export nope", db));
    assert!(err.contains("minutes \"nope\" not found"), "{err}");
}

#[test]
fn proposals_move_by_legal_steps_and_an_agreed_plan_becomes_action_items() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let today = today();

    let listed = json(&cmd("proposal list --status tabled --format json", db));
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["joint-consultative-body", "joint-rd-advanced-technologies"]
    );
    let text = ok(&cmd("proposal show interop-plan-kor-nato", db));
    assert!(text.contains("decided by: consensus\n"), "{text}");
    assert!(
        text.contains("   1. +6  adopt:k9:STANAG-5516 — k9 adopts STANAG-5516 (tested)\n"),
        "{text}"
    );
    assert!(
        text.contains("  2025-11-20  agreed                              inaugural-meeting\n"),
        "{text}"
    );

    // An illegal move names the states the proposal may go to.
    let err = fails(&cmd(
        "proposal move joint-consultative-body --to agreed",
        db,
    ));
    assert!(
        err.contains(
            "a proposal cannot go from tabled to agreed (from tabled: under-consideration, withdrawn)"
        ),
        "{err}"
    );
    let err = fails(&cmd(
        "proposal move interop-plan-kor-nato --to withdrawn",
        db,
    ));
    assert!(
        err.contains("proposal \"interop-plan-kor-nato\" is agreed, which is final"),
        "{err}"
    );
    for (args, says) in [
        (
            vec!["--to", "done"],
            "--to: \"done\" is not a proposal status (draft, tabled, under-consideration, agreed, rejected, withdrawn)",
        ),
        (vec!["--to", "withdrawn", "--on", "someday"], "--on: \"someday\" is not a date (YYYY-MM-DD)"),
        (vec!["--to", "agreed", "--method", "poll"], "--method: \"poll\" is not a decision method (consensus, vote)"),
        (vec!["--to", "agreed", "--votes", "3"], "--votes \"3\": give FOR,AGAINST,ABSTAIN"),
        (
            vec!["--to", "under-consideration", "--method", "vote"],
            "only an agreed or rejected proposal has a decision method",
        ),
    ] {
        let mut full = vec!["proposal", "move", "joint-consultative-body"];
        full.extend(args.iter());
        let err = fails(&with_db(&full, db));
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let p = json(&with_db(
        &[
            "proposal",
            "move",
            "joint-consultative-body",
            "--to",
            "under consideration",
            "--by",
            "seok-jong-gun",
            "--format",
            "json",
        ],
        db,
    ));
    assert_eq!(p["status"], "under-consideration");
    assert_eq!(p["history"][2]["on"], today.as_str());
    assert_eq!(p["history"][2]["by"], "seok-jong-gun");
    let text = ok(&cmd(
        "proposal move joint-consultative-body --to agreed --votes 12,3,1",
        db,
    ));
    assert_eq!(
        text,
        "proposal \"joint-consultative-body\" is agreed, by vote (12 for, 3 against, 1 abstaining)\n"
    );

    // A plan between Korea's and NATO's fleets, tabled, agreed, then assigned.
    let p = json(&with_db(
        &[
            "proposal",
            "table-plan",
            "--id",
            "kor-nato-plan-2",
            "--title",
            "Close Korea's gaps with NATO",
            "--left",
            "operator:KOR",
            "--right",
            "operator:NATO",
            "--target",
            "2",
            "--sponsor",
            "dapa",
            "--body",
            "kor-nato-eu-consultative-body",
            "--by",
            "seok-jong-gun",
            "--format",
            "json",
        ],
        db,
    ));
    assert_eq!(p["status"], "tabled");
    let actions: Vec<&str> = p["plan"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["adopt:k9:STANAG-5516"]);
    assert!(p["plan"]["covered_after"].as_u64() > p["plan"]["covered_before"].as_u64());
    let err = fails(&cmd("proposal table-plan --id kor-nato-plan-2 --title Again --left operator:KOR --right operator:NATO", db));
    assert!(
        err.contains("proposal \"kor-nato-plan-2\" exists already"),
        "{err}"
    );
    let err = fails(&cmd("proposal assign kor-nato-plan-2 --due 2027-06-30", db));
    assert!(
        err.contains(
            "proposal \"kor-nato-plan-2\" is tabled: a plan becomes work once it is agreed"
        ),
        "{err}"
    );
    for to in ["under-consideration", "agreed"] {
        ok(&with_db(
            &["proposal", "move", "kor-nato-plan-2", "--to", to],
            db,
        ));
    }
    let err = fails(&cmd("proposal assign kor-nato-plan-2 --due June", db));
    assert!(
        err.contains("--due: \"June\" is not a date (YYYY-MM-DD)"),
        "{err}"
    );
    let made = json(&cmd(
        "proposal assign kor-nato-plan-2 --due 2027-06-30 --format json",
        db,
    ));
    let made = made.as_array().unwrap();
    assert_eq!(made.len(), 1);
    let item = "kor-nato-plan-2--adopt-k9-STANAG-5516";
    assert_eq!(made[0]["id"], item);
    assert_eq!(made[0]["plan_action"], "adopt:k9:STANAG-5516");
    assert_eq!(made[0]["owner"]["organization"], "hanwha-aerospace");
    let again = ok(&cmd("proposal assign kor-nato-plan-2 --due 2027-06-30", db));
    assert_eq!(
        again,
        "no new action item: every action of the plan has one already\n"
    );

    // Action items with their computed state: the demo's is overdue once 30 June 2026 is
    // past; each is open until done, or until the registry records its change.
    let state_of = |due: &str| {
        if due < today.as_str() {
            "overdue"
        } else {
            "open"
        }
    };
    let states = |db: &str| -> Vec<(String, String)> {
        json(&cmd("action list --format json", db))
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["item"]["id"].as_str().unwrap().to_string(),
                    v["state"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        states(db),
        [
            (
                "k9-adopts-stanag-5516".to_string(),
                state_of("2026-06-30").to_string()
            ),
            (item.to_string(), state_of("2027-06-30").to_string()),
        ]
    );
    let overdue = json(&cmd("action list --state overdue --format json", db));
    assert_eq!(
        overdue.as_array().unwrap().len(),
        [state_of("2026-06-30"), state_of("2027-06-30")]
            .iter()
            .filter(|s| **s == "overdue")
            .count()
    );
    let err = fails(&cmd("action list --state late", db));
    assert!(
        err.contains("--state: \"late\" is not an action item state (open, overdue, done, done-in-registry, cancelled)"),
        "{err}"
    );
    let text = ok(&with_db(&["action", "done", item], db));
    assert_eq!(text, format!("action item \"{item}\" is done\n"));
    let done = json(&cmd("action list --state done --format json", db));
    assert_eq!(done[0]["item"]["id"], item);
    ok(&with_db(&["action", "cancel", item], db));
    let v = json(&with_db(&["action", "show", item, "--format", "json"], db));
    assert_eq!(v["state"], "cancelled");
    ok(&with_db(&["action", "reopen", item], db));

    // The registry records the change: K9's STANAG 5516 conformance, tested.
    let change = dir.path().join("k9.json");
    std::fs::write(
        &change,
        r#"{"format": "defcoop-dataset", "version": 1,
            "conformances": [{"system": "k9", "standard": "STANAG-5516", "status": "tested"}]}"#,
    )
    .unwrap();
    ok(&["import", "--db", db, s(&change)]);
    assert_eq!(
        states(db),
        [
            (
                "k9-adopts-stanag-5516".to_string(),
                "done-in-registry".to_string()
            ),
            (item.to_string(), "done-in-registry".to_string()),
        ]
    );
    let v = json(&cmd("action show k9-adopts-stanag-5516 --format json", db));
    assert_eq!(v["done_by"]["key"], "k9/STANAG-5516");
    assert_eq!(v["overdue"], false);
    let text = ok(&cmd("action list --owner hanwha-aerospace", db));
    assert!(
        text.contains("    → done in the registry: conformance k9/STANAG-5516 is tested\n"),
        "{text}"
    );
    assert!(text.ends_with("2 action item(s), 0 overdue\n"), "{text}");
    let err = fails(&cmd("action show nope", db));
    assert!(err.contains("action item \"nope\" not found"), "{err}");
}

#[test]
fn timelines_and_the_network_of_who_met_whom() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);

    let seok = json(&cmd(
        "engagement timeline --person seok-jong-gun --format json",
        db,
    ));
    let entries: Vec<(&str, &str, &str)> = seok
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["id"].as_str().unwrap(),
                e["start"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("engagement", "seok-kubilius-brussels", "2025-04-23"),
            ("engagement", "seok-shekerinska-brussels", "2025-04-23"),
            ("meeting", "inaugural-meeting", "2025-11-20T10:00"),
        ]
    );
    let text = ok(&cmd("engagement timeline --person seok-jong-gun", db));
    assert!(text.ends_with("3 meeting(s) and engagement(s)\n"), "{text}");
    let korea = json(&cmd(
        "engagement timeline --nation kor --from 2025-05-01 --format json",
        db,
    ));
    assert_eq!(korea.as_array().unwrap().len(), 1, "{korea}");
    assert_eq!(korea[0]["id"], "inaugural-meeting");
    let nato = json(&cmd(
        "engagement timeline --organization nato --to 2025-04-30 --format json",
        db,
    ));
    assert_eq!(nato[0]["id"], "seok-shekerinska-brussels");
    assert_eq!(nato.as_array().unwrap().len(), 1);

    let engagements = json(&cmd("engagement list --format json", db));
    assert_eq!(engagements.as_array().unwrap().len(), 2);

    let text = ok(&cmd("engagement network", db));
    assert_eq!(
        text,
        "3 people, 3 pair(s) who met, in 3 meeting(s) and engagement(s)\n\
         Andrius Kubilius — Seok Jong-gun: 2\n\
         Radmila Shekerinska — Seok Jong-gun: 2\n\
         Andrius Kubilius — Radmila Shekerinska: 1\n"
    );
    let net = json(&cmd("engagement network --to 2025-06-30 --format json", db));
    assert_eq!(net["events"], 2);
    assert_eq!(net["edges"].as_array().unwrap().len(), 2);

    for (args, says) in [
        (
            vec!["engagement", "timeline", "--person", "nobody"],
            "person \"nobody\" not found",
        ),
        (
            vec![
                "engagement",
                "network",
                "--from",
                "2026-01-01",
                "--to",
                "2025-01-01",
            ],
            "--from 2026-01-01 is after --to 2025-01-01",
        ),
        (
            vec!["engagement", "network", "--from", "spring"],
            "--from: \"spring\" is not a date (YYYY-MM-DD)",
        ),
        (vec!["engagement", "timeline"], "--person"),
    ] {
        let err = fails(&with_db(&args, db));
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn korean_answers_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    add_viewer(db);

    let text = ok(&cmd("--lang ko meeting show inaugural-meeting", db));
    for line in [
        "상태: 개최됨",
        "  Asia/Seoul       2025-11-20 18:00 +09:00 – 2025-11-21 01:00 +09:00  참석자 국가의 시간대",
        "  석종건 (seok-jong-gun)                     공동의장",
        "  1. Terms of reference of the body — 합의",
        "  inaugural-meeting-minutes  제1판  승인됨",
    ] {
        assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
    }
    let text = ok(&cmd("--lang ko action list", db));
    assert!(text.starts_with("식별자 "), "{text}");
    assert!(text.contains("조치 사항 1건"), "{text}");
    let text = ok(&cmd("--lang ko engagement network", db));
    assert!(
        text.starts_with("인물 3명, 만난 쌍 3개, 회의·양자 면담 3건\n"),
        "{text}"
    );

    for (args, says) in [
        (
            vec!["proposal", "move", "joint-consultative-body", "--to", "agreed"],
            "status: 제안은 상정됨에서 합의됨(으)로 갈 수 없습니다 (상정됨에서 갈 수 있는 상태: under-consideration, withdrawn)",
        ),
        (
            vec!["meeting", "list", "--status", "late"],
            "--status: \"late\"은(는) 회의 상태가 아닙니다 (가능한 값: planned, held, cancelled)",
        ),
        (vec!["meeting", "show", "nope"], "찾을 수 없음: meeting \"nope\""),
        (
            vec!["--as", "vic", "meeting", "cancel", "inaugural-meeting"],
            "vic에게는 협의체의 회의·회의록·결정 운영 권한이 없습니다",
        ),
        (
            vec!["minutes", "approve", "inaugural-meeting-minutes"],
            "회의록 \"inaugural-meeting-minutes\"은(는) 승인되어 고정되었습니다",
        ),
    ] {
        let mut full = vec!["--lang", "ko"];
        full.extend(args.iter());
        let err = fails(&with_db(&full, db));
        assert!(err.contains(says), "{args:?}: {err}");
    }

    // A viewer reads the workspace but changes nothing of it.
    let seen = json(&cmd("--as vic meeting list --format json", db));
    assert_eq!(seen.as_array().unwrap().len(), 1);
    for args in [
        vec!["action", "done", "k9-adopts-stanag-5516"],
        vec![
            "proposal",
            "move",
            "joint-consultative-body",
            "--to",
            "withdrawn",
        ],
        vec!["meeting", "cancel", "inaugural-meeting"],
    ] {
        let mut full = vec!["--as", "vic"];
        full.extend(args.iter());
        let err = fails(&with_db(&full, db));
        assert!(err.contains("vic may not "), "{args:?}: {err}");
    }
    let v = json(&cmd("action show k9-adopts-stanag-5516 --format json", db));
    assert_eq!(v["item"]["status"], "open", "nothing was written");
    let err = fails(&cmd("--as nobody meeting list", db));
    assert!(
        err.contains("--as nobody: user \"nobody\" not found"),
        "{err}"
    );
}
