//! End to end: `defcoop list KIND` and `defcoop show KIND KEY` (the list pages' and
//! `/api/v1/{kind}`'s use cases, in the same JSON).

mod common;

use common::*;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let text = ok(args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"))
}

fn demo_systems() -> Vec<Value> {
    let demo: Value = serde_json::from_slice(&std::fs::read(demo()).unwrap()).unwrap();
    demo["systems"].as_array().unwrap().clone()
}

#[test]
fn list_filters_sorts_and_pages_like_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let systems = demo_systems();
    let korean: Vec<&Value> = systems.iter().filter(|s| s["origin"] == "KOR").collect();

    let page = json(&[
        "list",
        "systems",
        "--db",
        db,
        "--filter",
        "origin=kor",
        "--sort",
        "-name",
        "--format",
        "json",
    ]);
    assert_eq!(page["kind"], "systems");
    assert_eq!(page["total"], korean.len(), "case-insensitive codes");
    assert_eq!(page["page"], 1);
    assert_eq!(page["per_page"], 50);
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| std::cmp::Reverse(n.to_lowercase()));
    assert_eq!(names, sorted, "sorted by name, descending");
    assert!(page["items"][0].get("label").is_some() || page["items"][0].get("id").is_some());

    // Pages of two cover the list once, in order.
    let mut seen = Vec::new();
    for p in 1..=korean.len().div_ceil(2) {
        let page = json(&[
            "list",
            "systems",
            "--db",
            db,
            "--filter",
            "origin=KOR",
            "--per-page",
            "2",
            "--page",
            &p.to_string(),
            "--format",
            "json",
        ]);
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_string());
        }
    }
    let mut ids: Vec<String> = korean
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    assert_eq!(seen, ids, "by key by default, each once");

    // The table: the kind's columns, a row per record, and which records these are.
    let text = ok(&["list", "system", "--db", db, "--per-page", "3"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(
        lines[0].starts_with("name") && lines[0].contains("origin"),
        "{text}"
    );
    assert!(
        lines[4].starts_with(&format!("1–3 of {} systems (page 1 of", systems.len())),
        "{text}"
    );
    let text = ok(&["list", "systems", "--db", db, "--page", "900"]);
    assert!(text.starts_with("no systems on page 900"), "{text}");
    let text = ok(&[
        "--lang",
        "ko",
        "list",
        "systems",
        "--db",
        db,
        "--per-page",
        "3",
    ]);
    assert!(text.contains("건 (1 / "), "{text}");

    // Bloc membership on a day: Poland joined NATO in 1999.
    let before = json(&[
        "list",
        "nations",
        "--db",
        db,
        "--bloc",
        "NATO",
        "--on",
        "1998-01-01",
        "--format",
        "json",
        "--per-page",
        "500",
    ]);
    let after = json(&[
        "list",
        "nations",
        "--db",
        db,
        "--bloc",
        "NATO",
        "--on",
        "2000-01-01",
        "--format",
        "json",
        "--per-page",
        "500",
    ]);
    let has = |p: &Value, code: &str| {
        p["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["code"] == code)
    };
    assert!(!has(&before, "POL") && has(&after, "POL"));
}

#[test]
fn list_and_show_hide_what_the_user_may_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
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
        "ec",
        "--role",
        "viewer",
    ]);
    // FA-50PL is releasable to KOR and POL only.
    let all = json(&[
        "list", "systems", "--db", db, "--q", "FA-50", "--format", "json",
    ]);
    let vic = json(&[
        "--as", "vic", "list", "systems", "--db", db, "--q", "FA-50", "--format", "json",
    ]);
    let ids = |p: &Value| -> Vec<String> {
        p["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids(&all).contains(&"fa-50pl".to_string()));
    assert!(!ids(&vic).contains(&"fa-50pl".to_string()));
    assert_eq!(
        vic["total"].as_u64().unwrap() + 1,
        all["total"].as_u64().unwrap(),
        "never counted"
    );
    let shown = json(&["show", "system", "fa-50pl", "--db", db, "--format", "json"]);
    assert_eq!(shown["id"], "fa-50pl");
    assert!(shown.get("label").is_some());
    let hidden = fails(&["--as", "vic", "show", "system", "fa-50pl", "--db", db]);
    let missing = fails(&["--as", "vic", "show", "system", "no-such", "--db", db]);
    assert!(hidden.contains("system \"fa-50pl\" not found"), "{hidden}");
    assert_eq!(
        hidden.replace("fa-50pl", "X"),
        missing.replace("no-such", "X"),
        "hidden and absent read the same"
    );
}

#[test]
fn show_prints_a_record_and_bad_requests_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let text = ok(&["show", "systems", "k9", "--db", db]);
    assert!(text.contains("name: K9 Thunder"), "{text}");
    assert!(text.contains("origin: KOR"), "{text}");
    let conf = json(&[
        "show",
        "conformance",
        "k9/STANAG-4425",
        "--db",
        db,
        "--format",
        "json",
    ]);
    assert_eq!(conf["system"], "k9");

    for (args, says) in [
        (
            vec!["list", "systems", "--filter", "colour=red"],
            "systems cannot be filtered by \"colour\" (filters: category, origin",
        ),
        (
            vec!["list", "systems", "--filter", "origin"],
            "--filter origin: give FIELD=VALUE",
        ),
        (vec!["list", "systems", "--sort", "-weight"], "sort"),
        (vec!["list", "systems", "--per-page", "501"], "at most 500"),
        (
            vec!["list", "systems", "--page", "0"],
            "page: give a whole number",
        ),
        (
            vec!["list", "nations", "--bloc", "NATO", "--on", "soon"],
            "soon",
        ),
        (vec!["list", "widgets"], "kind of record \"widgets\""),
        (vec!["show", "widget", "x"], "kind of record \"widget\""),
    ] {
        let mut full = args.clone();
        full.extend(["--db", db]);
        let err = fails(&full);
        assert!(err.contains(says), "{args:?}: {err}");
    }
}
