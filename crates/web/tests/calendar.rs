//! Calendars over HTTP, checked by an independent parser: the demo with a Seoul meeting and a
//! Brussels meeting after the clocks went forward in March, three personas' feeds made through
//! the API and fetched without signing in, and the signed-in calendars, all parsed by Python's
//! `icalendar` (`tests/calendar/check_ics.py`, in a venv under the target folder, installed
//! here): the inaugural meeting at 10:00 in Brussels is 09:00 UTC, every zone an event names
//! has its VTIMEZONE, and each converts as Python's tz database says; a meeting labelled
//! CONFIDENTIAL is in no calendar of a reader without that clearance, nor is its zone. A
//! revoked feed, an API token as a feed and a feed as an API token are refused exactly like
//! made-up credentials.
//!
//! Without python3 the parser's part is skipped, saying so on standard error; everything else
//! runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use defcoop_app::{Actor, App, UserEdit};
use defcoop_domain::json;
use defcoop_domain::model::Kind;
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::Application;
use serde_json::{json, Value};

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

/// The icalendar release the check is written for.
const ICALENDAR: &str = "icalendar==7.3.0";

const BODY: &str = "kor-nato-eu-consultative-body";

struct Site {
    base: String,
    app: App,
    client: reqwest::Client,
    dir: tempfile::TempDir,
}

async fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cal.db").display().to_string())
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
    let app = App::cached(store).await.unwrap();
    app.demo_personas().await.unwrap();
    let op = Actor::operator();
    let meeting = |id: &str, start: &str, zone: &str| {
        json!({"id": id, "body": BODY, "title": format!("Working group {id}"),
               "start": start, "end": format!("{}T18:00", &start[..10]), "time_zone": zone,
               "participants": [{"person": "seok-jong-gun", "role": "member"}],
               "status": "planned"})
    };
    for m in [
        meeting("seoul-working-group", "2026-05-12T09:30", "Asia/Seoul"),
        meeting("brussels-spring", "2026-03-30T10:00", "Europe/Brussels"),
    ] {
        app.create_record(&op, Kind::Meeting, &m).await.unwrap();
    }
    let mut secret = meeting("secret-talks", "2026-06-01T10:00", "Asia/Tokyo");
    secret["label"] = json!({"policy": "DEFCOOP", "classification": "CONFIDENTIAL"});
    app.create_record(&op, Kind::Meeting, &secret)
        .await
        .unwrap();
    let server = Application::build(app.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until(std::future::pending()));
    Site {
        base,
        app,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        dir,
    }
}

/// Status, content type and body of a GET, with a bearer token or without credentials.
async fn get(s: &Site, url: &str, token: Option<&str>) -> (u16, String, String) {
    let url = if url.starts_with("http") {
        url.to_string()
    } else {
        format!("{}{url}", s.base)
    };
    let mut r = s.client.get(url);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status().as_u16(), kind, r.text().await.unwrap())
}

async fn token(s: &Site, user: &str) -> String {
    s.app
        .create_token(&Actor::operator(), user, None)
        .await
        .unwrap()
        .token
}

/// A feed made through the API with `token`: its URL and its id.
async fn new_feed(s: &Site, token: &str) -> (String, String) {
    let r = s
        .client
        .post(format!("{}/api/v1/calendar/feeds", s.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let made: Value = r.json().await.unwrap();
    let url = made["url"].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&format!("{}/calendar/feed/dcf_", s.base)) && url.ends_with(".ics"),
        "{url}"
    );
    (url, made["feed"]["id"].as_str().unwrap().to_string())
}

fn masked(ics: &str) -> String {
    ics.split_inclusive('\n')
        .filter(|l| !l.starts_with("DTSTAMP:"))
        .collect()
}

#[tokio::test]
async fn feeds_and_calendars_hold_what_their_reader_may_read_as_an_independent_parser_reads_them() {
    let s = site().await;
    let dapa = token(&s, "dapa-officer").await;
    let eu = token(&s, "eu-official").await;
    let admin = token(&s, "admin").await;

    // Feeds, made through the API and fetched without signing in.
    let (dapa_feed, dapa_id) = new_feed(&s, &dapa).await;
    let (eu_feed, _) = new_feed(&s, &eu).await;
    let (admin_feed, _) = new_feed(&s, &admin).await;
    let mut files = Vec::new();
    for (who, url) in [
        ("dapa-officer", &dapa_feed),
        ("eu-official", &eu_feed),
        ("admin", &admin_feed),
    ] {
        let r = s.client.get(url).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{who}");
        assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
        assert_eq!(r.headers()["cache-control"], "private, no-store");
        files.push((format!("{who}'s feed"), r.text().await.unwrap()));
    }
    // The signed-in calendars, with an API token.
    for (what, path) in [
        ("the body", format!("/calendar/bodies/{BODY}.ics")),
        ("Seok Jong-gun", "/calendar/people/seok-jong-gun.ics".into()),
        (
            "the inaugural meeting",
            "/calendar/meetings/inaugural-meeting.ics".into(),
        ),
        ("eu-official's own", "/calendar/mine.ics".into()),
    ] {
        let (status, kind, text) = get(&s, &path, Some(&eu)).await;
        assert_eq!(
            (status, kind.as_str()),
            (200, "text/calendar; charset=utf-8"),
            "{path}"
        );
        files.push((format!("{what} (eu-official)"), text));
    }
    assert_eq!(
        masked(&files[1].1),
        masked(&files[6].1),
        "the feed is the user's own calendar"
    );

    let inaugural = json!({"tzid": "Europe/Brussels", "start_utc": "2025-11-20T09:00:00+00:00",
        "summary": "Inaugural meeting of the consultative body"});
    let seoul = json!({"tzid": "Asia/Seoul", "start_utc": "2026-05-12T00:30:00+00:00"});
    // 10:00 in Brussels after 29 March 2026 is summer time: 08:00 UTC.
    let spring = json!({"tzid": "Europe/Brussels", "start_utc": "2026-03-30T08:00:00+00:00"});
    let engagement = json!({"date": "2025-04-23"});
    let uid = |kind: &str, id: &str| format!("{kind}-{id}@defcoop");
    let everything = |zones: Vec<&str>, hidden: bool| {
        let mut events = serde_json::Map::new();
        events.insert(uid("meeting", "inaugural-meeting"), inaugural.clone());
        events.insert(uid("meeting", "seoul-working-group"), seoul.clone());
        events.insert(uid("meeting", "brussels-spring"), spring.clone());
        events.insert(
            uid("engagement", "seok-kubilius-brussels"),
            engagement.clone(),
        );
        events.insert(
            uid("engagement", "seok-shekerinska-brussels"),
            engagement.clone(),
        );
        if hidden {
            events.insert(
                uid("meeting", "secret-talks"),
                json!({"tzid": "Asia/Tokyo", "start_utc": "2026-06-01T01:00:00+00:00"}),
            );
        }
        json!({"zones": zones, "events": events,
               "absent": if hidden { vec![] } else { vec![uid("meeting", "secret-talks")] }})
    };
    let seen = || everything(vec!["Asia/Seoul", "Europe/Brussels"], false);
    let expected = [
        seen(),
        seen(),
        everything(vec!["Asia/Seoul", "Asia/Tokyo", "Europe/Brussels"], true),
        json!({"zones": ["Asia/Seoul", "Europe/Brussels"],
               "events": {uid("meeting", "inaugural-meeting"): inaugural,
                          uid("meeting", "seoul-working-group"): seoul,
                          uid("meeting", "brussels-spring"): spring},
               "absent": [uid("meeting", "secret-talks"), uid("engagement", "seok-kubilius-brussels")]}),
        seen(),
        json!({"zones": ["Europe/Brussels"],
               "events": {uid("meeting", "inaugural-meeting"): inaugural}}),
        seen(),
    ];
    let mut calendars = Vec::new();
    for (n, ((name, text), mut want)) in files.iter().zip(expected).enumerate() {
        let file = s.dir.path().join(format!("calendar-{n}.ics"));
        std::fs::write(&file, text).unwrap();
        want["name"] = json!(name);
        want["file"] = json!(file.display().to_string());
        calendars.push(want);
    }
    let spec = s.dir.path().join("spec.json");
    std::fs::write(&spec, json!({ "calendars": calendars }).to_string()).unwrap();
    independent_check(&spec);

    // A hidden meeting is "not found" exactly like one that does not exist.
    let (status, _, hidden) = get(&s, "/calendar/meetings/secret-talks.ics", Some(&eu)).await;
    let (_, _, absent) = get(&s, "/calendar/meetings/no-talks.ics", Some(&eu)).await;
    assert_eq!(status, 404);
    assert_eq!(
        hidden.replace("secret-talks", "X"),
        absent.replace("no-talks", "X")
    );
    assert_eq!(
        get(&s, "/calendar/meetings/secret-talks.ics", Some(&admin))
            .await
            .0,
        200
    );
    // Without credentials, a calendar page sends to the sign-in.
    assert_eq!(get(&s, "/calendar/mine.ics", None).await.0, 303);

    // A feed is no API token, an API token no feed, a revoked feed nothing: each is refused
    // exactly like made-up credentials.
    let secret = |url: &str| {
        url.rsplit('/')
            .next()
            .unwrap()
            .trim_end_matches(".ics")
            .to_string()
    };
    let forged_token = format!("dct_{}", "0".repeat(64));
    let as_bearer = get(&s, "/api/v1/me", Some(&secret(&dapa_feed))).await;
    assert_eq!(as_bearer, get(&s, "/api/v1/me", Some(&forged_token)).await);
    assert_eq!(as_bearer.0, 401);
    let no_feed = get(
        &s,
        &format!("/calendar/feed/dcf_{}.ics", "0".repeat(64)),
        None,
    )
    .await;
    assert_eq!(no_feed.0, 404);
    assert_eq!(
        get(&s, &format!("/calendar/feed/{dapa}.ics"), None).await,
        no_feed
    );
    assert_eq!(get(&s, "/calendar/feed/x", None).await, no_feed);
    let listed = get(&s, "/api/v1/calendar/feeds", Some(&dapa)).await.2;
    let listed: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], dapa_id.as_str());
    assert!(!listed.to_string().contains("dcf_"), "never a secret");
    let r = s
        .client
        .delete(format!("{}/api/v1/calendar/feeds/{dapa_id}", s.base))
        .bearer_auth(&eu)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404, "another user's feed");
    let r = s
        .client
        .delete(format!("{}/api/v1/calendar/feeds/{dapa_id}", s.base))
        .bearer_auth(&dapa)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let revoked: Value = r.json().await.unwrap();
    assert!(revoked["revoked_at"].is_i64(), "{revoked}");
    assert_eq!(get(&s, &dapa_feed, None).await, no_feed, "revoked at once");
    assert_eq!(get(&s, &eu_feed, None).await.0, 200, "the others stay");
}

#[tokio::test]
async fn me_says_which_person_the_user_is() {
    let s = site().await;
    let dapa = token(&s, "dapa-officer").await;
    let me: Value = serde_json::from_str(&get(&s, "/api/v1/me", Some(&dapa)).await.2).unwrap();
    assert_eq!(me["person"], Value::Null);
    let link = UserEdit {
        person: Some(Some("seok-jong-gun".into())),
        ..Default::default()
    };
    s.app
        .set_user(&Actor::operator(), "dapa-officer", link)
        .await
        .unwrap();
    let me: Value = serde_json::from_str(&get(&s, "/api/v1/me", Some(&dapa)).await.2).unwrap();
    assert_eq!(me["person"], "seok-jong-gun");
}

/// The target folder: `CARGO_TARGET_DIR`, or the one this test runs from
/// (`TARGET/debug/deps/calendar-…`).
fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().unwrap();
    exe.ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

fn run(what: &str, command: &mut Command) -> bool {
    match command.status() {
        Ok(status) => status.success(),
        Err(e) => panic!("{what}: {e}"),
    }
}

/// Runs `tests/calendar/check_ics.py` on `spec` with the pinned icalendar, in a venv under the
/// target folder that it makes (and, as root, installs python3-venv for) when missing. Skips,
/// loudly, only when there is no python3.
fn independent_check(spec: &Path) {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!(
            "\n*** SKIPPED: the calendars were not checked by an independent parser: python3 \
             is not installed (Debian: apt-get install python3 python3-venv) ***\n"
        );
        return;
    }
    let venv = target_dir().join("calendar-venv");
    let python = venv.join("bin/python");
    let version = ICALENDAR.split("==").nth(1).unwrap();
    let ready = python.exists()
        && run(
            "python",
            Command::new(&python).args([
                "-c",
                &format!("import icalendar, sys; sys.exit(icalendar.__version__ != '{version}')"),
            ]),
        );
    if !ready {
        if !python.exists() {
            let venv_works = || {
                run(
                    "python3",
                    Command::new("python3").args(["-c", "import ensurepip, venv"]),
                )
            };
            if !venv_works() {
                let root = Command::new("id")
                    .arg("-u")
                    .output()
                    .is_ok_and(|o| o.stdout.starts_with(b"0"));
                assert!(
                    root,
                    "python3 cannot make a venv (no venv/ensurepip module): install python3-venv"
                );
                eprintln!("python3 has no venv module: apt-get install python3-venv");
                let apt = |args: &[&str]| {
                    run(
                        "apt-get",
                        Command::new("apt-get")
                            .args(args)
                            .env("DEBIAN_FRONTEND", "noninteractive"),
                    )
                };
                assert!(apt(&["update", "-q"]), "apt-get update failed");
                assert!(
                    apt(&[
                        "install",
                        "-y",
                        "-q",
                        "--no-install-recommends",
                        "python3-venv"
                    ]),
                    "apt-get could not install python3-venv"
                );
                assert!(
                    venv_works(),
                    "python3-venv is installed, but python3 still cannot make a venv"
                );
            }
            assert!(
                run(
                    "python3 -m venv",
                    Command::new("python3").arg("-m").arg("venv").arg(&venv)
                ),
                "python3 -m venv {} failed",
                venv.display()
            );
        }
        eprintln!("installing {ICALENDAR} into {}", venv.display());
        assert!(
            run(
                "pip",
                Command::new(&python).args([
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--disable-pip-version-check",
                    ICALENDAR
                ])
            ),
            "pip could not install {ICALENDAR} (is PyPI reachable?)"
        );
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/calendar/check_ics.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(spec)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    eprintln!("{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "the independent parser refused the calendars:\n{said}"
    );
}

/// The demo's brokerage event: every agenda, fetched from the API, read by the independent
/// parser with each meeting at its Brussels time.
#[tokio::test]
async fn brokerage_agendas_read_in_an_independent_parser() {
    let s = site().await;
    let dapa = token(&s, "dapa-officer").await;
    let event: Value =
        serde_json::from_str(include_str!("../../../data/demo/brokerage.json")).unwrap();
    let r = s
        .client
        .post(format!("{}/api/v1/brokerage/schedule", s.base))
        .bearer_auth(&dapa)
        .json(&event)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let schedule: Value = r.json().await.unwrap();
    let mut calendars = Vec::new();
    for agenda in schedule["agendas"].as_array().unwrap() {
        let who = agenda["participant"].as_str().unwrap();
        let r = s
            .client
            .post(format!(
                "{}/api/v1/brokerage/agenda?participant={who}",
                s.base
            ))
            .bearer_auth(&dapa)
            .json(&event)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{who}");
        assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
        let file = s.dir.path().join(format!("brokerage-{who}.ics"));
        std::fs::write(&file, r.text().await.unwrap()).unwrap();
        let mut events = serde_json::Map::new();
        for m in agenda["meetings"].as_array().unwrap() {
            // Brussels is at +01:00 on 10 March 2026.
            let start = m["start"].as_str().unwrap();
            let (day, hm) = start.split_once('T').unwrap();
            let (h, min) = hm.split_once(':').unwrap();
            let utc = format!("{day}T{:02}:{min}:00+00:00", h.parse::<u32>().unwrap() - 1);
            events.insert(
                format!(
                    "brokerage-korea-eu-defence-industry-day--brokerage-{}-{}@defcoop",
                    m["slot"], m["table"]
                ),
                json!({"tzid": "Europe/Brussels", "start_utc": utc}),
            );
        }
        let zones: Vec<&str> = if events.is_empty() {
            vec![]
        } else {
            vec!["Europe/Brussels"]
        };
        calendars.push(json!({"name": format!("{who}'s agenda"), "file": file,
                              "zones": zones, "events": events, "absent": []}));
    }
    let spec = s.dir.path().join("brokerage-spec.json");
    std::fs::write(&spec, json!({ "calendars": calendars }).to_string()).unwrap();
    independent_check(&spec);
}
