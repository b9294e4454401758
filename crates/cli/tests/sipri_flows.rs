//! End to end: the SIPRI register import and `defcoop flows`.

mod common;

use common::*;
use std::path::Path;

/// An excerpt of the real SIPRI export (CRLF, `;` line ends, repeated ids, non-state and
/// unknown parties): `import --format sipri` keeps every party, is idempotent and builds
/// operator fleets that the fleet filters see.
#[test]
fn sipri_import_keeps_every_party_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let register = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sipri-excerpt.csv");
    let first = ok(&["import", "--db", s(&db), "--format", "sipri", s(&register)]);
    assert!(
        first.contains("non-state actors") && first.contains("unknown"),
        "{first}"
    );
    let again = ok(&[
        "import",
        "--db",
        s(&db),
        "--format",
        "sipri",
        s(&register),
        "--summary",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(report["written"], 0, "{again}");
    assert_eq!(report["source"]["parties"]["non_state"], 2, "{again}");
    assert_eq!(report["source"]["parties"]["unknown"], 1, "{again}");

    let out = dir.path().join("out.json");
    ok(&["export", "--db", s(&db), s(&out)]);
    let data: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let transfers = data["transfers"].as_array().unwrap();
    let osce = transfers.iter().find(|t| t["sipri_id"] == 58109).unwrap();
    assert_eq!(osce["recipient"], "OSCE**");
    assert_eq!(osce["recipient_kind"], "non-state");
    assert_eq!(
        osce["deliveries"].as_array().unwrap().len(),
        2,
        "rows of one deal merge"
    );

    // Korean systems operated by Poland form a fleet; with the demo's domains they are rated.
    ok(&["import", "--db", s(&db), s(&demo())]);
    let matrix = ok(&[
        "interop",
        "matrix",
        "--db",
        s(&db),
        "--left",
        "operator:POL",
        "--right",
        "origin:KOR",
        "--format",
        "json",
    ]);
    assert!(matrix.contains("\"summary\""), "{matrix}");
    let pairs = ok(&[
        "interop",
        "matrix",
        "--db",
        s(&db),
        "--left",
        "operator:POL",
        "--right",
        "all",
        "--pairs",
        "--format",
        "csv",
    ]);
    assert!(pairs.contains("sipri-k-2"), "{pairs}");
}

#[test]
fn sipri_import_refuses_a_broken_register_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let register = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sipri-excerpt.csv");
    let text = std::fs::read_to_string(&register).unwrap();
    let broken = dir.path().join("broken.csv");
    // An unknown country and a row with a missing cell.
    let text = text.replacen("Austria,OSCE**", "Atlantis,OSCE**", 1);
    let text = text.replacen(",Second hand,9,3.6,14.4,No;", ",Second hand,9,3.6,No;", 1);
    std::fs::write(&broken, text).unwrap();
    let err = fails(&["import", "--db", s(&db), "--format", "sipri", s(&broken)]);
    assert!(
        err.contains("broken.csv:13") && err.contains("Atlantis"),
        "{err}"
    );
    assert!(err.contains("broken.csv:15"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    let out = ok(&["export", "--db", s(&db), "-"]);
    assert!(out.contains("\"transfers\": []"), "{out}");
    // More than one file is refused with a clear message.
    let err = fails(&[
        "import",
        "--db",
        s(&db),
        "--format",
        "sipri",
        s(&register),
        s(&register),
    ]);
    assert!(err.contains("one file at a time"), "{err}");
}

#[test]
fn flows_json_table_and_svg_give_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = sipri_demo_db(dir.path());
    for filters in [
        vec![],
        vec![
            "--supplier",
            "KOR",
            "--recipient",
            "NATO",
            "--from",
            "2023",
            "--to",
            "2024",
        ],
        vec!["--top", "1"],
    ] {
        let args = |format: &'static str| {
            let mut a = vec!["flows", "--db", s(&db), "--format", format];
            a.extend(filters.iter().copied());
            a
        };
        let json: serde_json::Value = serde_json::from_str(&ok(&args("json"))).unwrap();
        let table = ok(&args("table"));
        let rows = table_flows(&table);
        let flows = json["flows"].as_array().unwrap();
        assert_eq!(rows.len(), flows.len(), "{table}");
        let mut total = 0.0;
        for (row, f) in rows.iter().zip(flows) {
            let tiv = f["tiv"].as_f64().unwrap();
            total += tiv;
            assert!(
                row.0.starts_with(f["supplier"]["name"].as_str().unwrap()),
                "{row:?} {f}"
            );
            assert!(
                row.1.starts_with(f["recipient"]["name"].as_str().unwrap()),
                "{row:?} {f}"
            );
            assert!((row.2 - tiv).abs() <= 0.05 + 1e-9, "{row:?} {f}");
            assert_eq!(row.3, f["items"].as_u64().unwrap());
            assert_eq!(row.4, f["deals"].as_u64().unwrap());
        }
        let json_total = json["total_tiv"].as_f64().unwrap();
        assert!((total - json_total).abs() < 0.01 * flows.len() as f64 + 1e-9);
        let svg = ok(&args("svg"));
        for f in flows {
            let tip = format!(
                "{} → {}:",
                f["supplier"]["name"].as_str().unwrap(),
                f["recipient"]["name"].as_str().unwrap()
            );
            assert!(svg.contains(&tip), "{tip} in the SVG");
        }
    }

    // Korea → NATO, 2023–2024: every Polish deal delivered then, all of them Korean.
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "flows",
        "--db",
        s(&db),
        "--supplier",
        "KOR",
        "--recipient",
        "NATO",
        "--from",
        "2023",
        "--to",
        "2024",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        (json["from"].as_u64(), json["to"].as_u64()),
        (Some(2023), Some(2024))
    );
    let kp = &json["flows"][0];
    assert_eq!(kp["supplier"]["id"], "KOR");
    assert_eq!(kp["recipient"]["id"], "POL");
    // 7 + 7 + 48 + 96 + 197.4 + 19.8 + 39.6 + 208.32 + 260.4
    assert_eq!(kp["tiv"], 883.52);
    assert_eq!(kp["deals"], 5);
    assert!(json["source"]
        .as_str()
        .unwrap()
        .starts_with("Source: SIPRI Arms Transfers Database"));

    // Non-state and unknown parties are kept; --top 1 merges the rest and keeps the total.
    let all: serde_json::Value =
        serde_json::from_str(&ok(&["flows", "--db", s(&db), "--format", "json"])).unwrap();
    let kinds: Vec<&str> = all["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["party"]["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"non-state") && kinds.contains(&"unknown"),
        "{kinds:?}"
    );
    let top: serde_json::Value = serde_json::from_str(&ok(&[
        "flows",
        "--db",
        s(&db),
        "--top",
        "1",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(top["total_tiv"], all["total_tiv"]);
    assert_eq!(top["merged"]["suppliers"], 3);
    assert_eq!(top["flows"].as_array().unwrap().len(), 2);
}

#[test]
fn flows_svg_to_a_file_and_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = sipri_demo_db(dir.path());
    let out = dir.path().join("flows.svg");
    let printed = ok(&[
        "flows",
        "--db",
        s(&db),
        "--supplier",
        "KOR",
        "--category",
        "Artillery",
        "--format",
        "svg",
        "--out",
        s(&out),
    ]);
    assert_eq!(printed, "", "nothing on stdout with --out");
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(
        svg.contains("Arms transfers from Republic of Korea: artillery"),
        "{svg}"
    );
    assert!(svg.contains("Band width = TIV delivered"));
    assert!(svg.contains("Source: SIPRI Arms Transfers Database"));

    let err = fails(&["flows", "--db", s(&db), "--supplier", "XYZ"]);
    assert!(
        err.contains("unknown supplier \"XYZ\" (not a nation code, bloc code or actor name)"),
        "{err}"
    );
    let err = fails(&["flows", "--db", s(&db), "--recipient", "Atlantis"]);
    assert!(err.contains("unknown recipient \"Atlantis\""), "{err}");
    let err = fails(&["flows", "--db", s(&db), "--from", "2025", "--to", "2015"]);
    assert!(err.contains("--from 2025 is after --to 2015"), "{err}");
    let err = fails(&["flows", "--db", s(&db), "--category", "ships"]);
    assert!(
        err.contains(
            "unknown category \"ships\" (known: aircraft, armoured-vehicles, artillery, missiles)"
        ),
        "{err}"
    );
    // A bloc without members (the EU before its founding) is not an error, but it is said.
    let out = run(&[
        "flows",
        "--db",
        s(&db),
        "--recipient",
        "EU",
        "--members-on",
        "1950-01-01",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("bloc EU has no member nations in the registry on 1950-01-01"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["flows"].as_array().unwrap().len(), 0);
}
