//! End-to-end tests of the `defcoop` binary on SQLite files in a temp folder.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const DEMO: &str = "../../data/demo/dataset.json";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_defcoop"));
    c.env_remove("DEFCOOP_DB").env_remove("RUST_LOG");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run defcoop")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "defcoop {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert!(!out.status.success(), "defcoop {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(DEMO)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

#[test]
fn export_import_export_is_byte_identical_and_reimport_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, db2) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let (out1, out2) = (dir.path().join("1.json"), dir.path().join("2.json"));
    ok(&["import", "--db", s(&db), s(&demo())]);
    assert!(ok(&["import", "--db", s(&db), s(&demo())]).contains("nothing changed"));
    ok(&["export", "--db", s(&db), s(&out1)]);
    ok(&["import", "--db", s(&db2), s(&out1)]);
    ok(&["export", "--db", s(&db2), s(&out2)]);
    let (a, b) = (std::fs::read(&out1).unwrap(), std::fs::read(&out2).unwrap());
    assert_eq!(a, b);
    assert_eq!(a, std::fs::read(demo()).unwrap());
    // Standard output too.
    let stdout = ok(&["export", "--db", s(&db2), "-"]);
    assert_eq!(stdout.as_bytes(), &a[..]);
}

#[test]
fn csv_roundtrip_through_a_fresh_database() {
    let dir = tempfile::tempdir().unwrap();
    let (db, db2) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let folder = dir.path().join("csv");
    let out = dir.path().join("out.json");
    ok(&["import", "--db", s(&db), s(&demo())]);
    ok(&["export", "--db", s(&db), "--format", "csv", s(&folder)]);
    assert!(folder.join("systems.csv").exists());
    ok(&["import", "--db", s(&db2), "--format", "csv", s(&folder)]);
    ok(&["export", "--db", s(&db2), s(&out)]);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(demo()).unwrap());
}

#[test]
fn bad_input_is_located_and_leaves_the_database_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    ok(&["import", "--db", s(&db), s(&demo())]);
    let before = ok(&["export", "--db", s(&db), "-"]);

    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\"format\": \"defcoop-dataset\",\n \"version\": 1,\n \"nations\": [}\n",
    )
    .unwrap();
    let err = fails(&["import", "--db", s(&db), s(&broken)]);
    assert!(err.contains("broken.json: line 3, column"), "{err}");

    // Two files in one import: the good one is not written when the other is bad.
    let good = dir.path().join("good.json");
    std::fs::write(
        &good,
        r#"{"format": "defcoop-dataset", "version": 1, "nations": [{"code": "XXA", "name": "A"}]}"#,
    )
    .unwrap();
    let dangling = dir.path().join("dangling.json");
    std::fs::write(
        &dangling,
        r#"{"format": "defcoop-dataset", "version": 1,
      "organizations": [{"id": "o", "name": "O", "kind": "company", "nation": "XXB"}]}"#,
    )
    .unwrap();
    let err = fails(&["import", "--db", s(&db), s(&good), s(&dangling)]);
    assert!(
        err.contains("dangling.json: $.organizations[0].nation: unknown nation \"XXB\""),
        "{err}"
    );
    assert!(err.contains("nothing was imported"));

    let not_utf8 = dir.path().join("latin1.json");
    std::fs::write(&not_utf8, b"{\"format\": \"caf\xe9\"}").unwrap();
    let err = fails(&["import", "--db", s(&db), s(&not_utf8)]);
    assert!(err.contains("not UTF-8"), "{err}");

    let err = fails(&["import", "--db", s(&db), "--max-mib", "0", s(&demo())]);
    assert!(err.contains("larger than the limit"), "{err}");

    assert_eq!(ok(&["export", "--db", s(&db), "-"]), before);

    // And the pair together, fixed, goes in as one.
    std::fs::write(
        &dangling,
        r#"{"format": "defcoop-dataset", "version": 1,
      "organizations": [{"id": "o", "name": "O", "kind": "company", "nation": "XXA"}]}"#,
    )
    .unwrap();
    ok(&["import", "--db", s(&db), s(&good), s(&dangling)]);
}

#[test]
fn synth_is_deterministic_and_importable() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a.json"),
        dir.path().join("b.json"),
        dir.path().join("c.json"),
    );
    let args = |out: &Path, seed: &str| {
        ok(&[
            "synth",
            "--systems",
            "300",
            "--standards",
            "50",
            "--gateways",
            "10",
            "--domains",
            "5",
            "--seed",
            seed,
            "--out",
            s(out),
        ]);
    };
    args(&a, "9");
    args(&b, "9");
    args(&c, "10");
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_ne!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
    let db = dir.path().join("s.db");
    ok(&["import", "--db", s(&db), s(&a)]);
    let err = fails(&[
        "synth",
        "--systems",
        "1",
        "--standards",
        "2",
        "--domains",
        "5",
        "--out",
        s(&c),
    ]);
    assert!(
        err.contains("--standards (2) must be at least --domains (5)"),
        "{err}"
    );
}

#[test]
fn import_summary_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let out = ok(&["import", "--db", s(&db), "--summary", "json", s(&demo())]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json summary");
    assert_eq!(v["counts"]["systems"]["created"], 22);
    assert!(v["written"].as_u64().unwrap() > 100);
}

#[test]
fn serve_demo_answers_on_its_port() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    let mut child = bin()
        .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--db", s(&db)])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut addr = None;
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("line");
        if let Some(rest) = line.strip_prefix("defcoop: serving http://") {
            addr = rest.split('/').next().map(str::to_string);
            break;
        }
    }
    let addr = addr.expect("serve printed its address");
    let get = |path: &str| {
        let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut body = String::new();
        stream.read_to_string(&mut body).unwrap();
        body
    };
    let health = get("/healthz");
    let page = get("/");
    let _ = child.kill();
    let _ = child.wait();
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(page.contains("K9 Thunder"), "demo loaded and listed");
}

fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("demo.db");
    ok(&["import", "--db", s(&db), s(&demo())]);
    db
}

#[test]
fn interop_pair_explains_the_rating() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let text = ok(&["interop", "pair", "--db", s(&db), "k9", "pzh-2000"]);
    assert!(text.contains("artillery-ammunition"), "{text}");
    assert!(text.contains("shared STANAG-4425"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "interop",
        "pair",
        "--db",
        s(&db),
        "fa-50gf",
        "kdx-i",
        "--format",
        "json",
    ]))
    .unwrap();
    let tdl = v["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["domain"] == "tactical-data-link")
        .unwrap();
    assert_eq!(tdl["level"], 2);
    assert_eq!(tdl["shared"][0]["standard"], "STANAG-5516");
    let err = fails(&["interop", "pair", "--db", s(&db), "k9", "no-such-system"]);
    assert!(err.contains("unknown system \"no-such-system\""), "{err}");
}

#[test]
fn interop_matrix_json_shape_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let out = ok(&[
        "interop",
        "matrix",
        "--db",
        s(&db),
        "--left",
        "origin:KOR",
        "--right",
        "operator:NATO",
        "--domain",
        "tactical-data-link",
        "--pairs",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tdl = &v["summary"]["tactical-data-link"];
    let total: u64 = ["na", "0", "1", "2", "3"]
        .iter()
        .map(|k| tdl[k].as_u64().unwrap())
        .sum();
    let pairs = v["pairs"].as_array().unwrap();
    assert_eq!(
        total as usize,
        pairs.len(),
        "summary counts every listed pair"
    );
    assert!(pairs.iter().all(|p| p["a"] != p["b"]));
    let nation_total: u64 = v["nation_pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            ["na", "0", "1", "2", "3"]
                .iter()
                .map(|k| n["summary"]["tactical-data-link"][k].as_u64().unwrap())
                .sum::<u64>()
        })
        .sum();
    assert_eq!(nation_total, total);
    assert!(ok(&[
        "interop",
        "matrix",
        "--db",
        s(&db),
        "--left",
        "all",
        "--right",
        "all"
    ])
    .contains("domain"));
    assert!(ok(&[
        "interop",
        "matrix",
        "--db",
        s(&db),
        "--left",
        "all",
        "--right",
        "all",
        "--format",
        "csv"
    ])
    .starts_with("a,b,domain,na,0,1,2,3\n"));
    let svg = ok(&[
        "interop",
        "matrix",
        "--db",
        s(&db),
        "--left",
        "origin:KOR",
        "--right",
        "all",
        "--format",
        "svg",
    ]);
    assert!(svg.starts_with("<svg") && svg.contains("Legend") && svg.contains("KOR"));
    let svg = ok(&[
        "interop",
        "matrix",
        "--db",
        s(&db),
        "--left",
        "origin:KOR",
        "--right",
        "all",
        "--format",
        "svg",
        "--pairs",
        "--domain",
        "tactical-data-link",
    ]);
    assert!(svg.contains("k9") && svg.contains("3 integrated"));
}

#[test]
fn interop_bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let base = ["interop", "matrix", "--db", s(&db)];
    let run_with = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        fails(&args)
    };
    assert!(run_with(&["--left", "colour:red", "--right", "all"]).contains("is not a filter"));
    assert!(run_with(&["--left", "origin:XYZ", "--right", "all"])
        .contains("unknown nation or bloc \"XYZ\""));
    assert!(
        run_with(&["--left", "all", "--right", "all", "--domain", "space"])
            .contains("unknown domain \"space\"")
    );
    assert!(
        run_with(&["--left", "ids:k9,nope", "--right", "all"]).contains("unknown system \"nope\"")
    );
    // An empty side is an empty answer, not an error.
    let out = ok(&[
        "interop",
        "matrix",
        "--db",
        s(&db),
        "--left",
        "origin:KOR",
        "--right",
        "origin:KOR",
        "--right",
        "origin:DEU",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["nation_pairs"].as_array().unwrap().len(), 0);
    let err = fails(&[
        "interop",
        "plan",
        "--db",
        s(&db),
        "--left",
        "all",
        "--right",
        "all",
        "--budget",
        "0",
    ]);
    assert!(err.contains("--budget must be at least 1"), "{err}");
}

#[test]
fn interop_plan_json_shape() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let out = ok(&[
        "interop",
        "plan",
        "--db",
        s(&db),
        "--left",
        "origin:KOR",
        "--right",
        "operator:NATO",
        "--budget",
        "3",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["target"], 2);
    let steps = v["steps"].as_array().unwrap();
    assert!(!steps.is_empty() && steps.len() <= 3);
    let gained: u64 = steps.iter().map(|s| s["gain"].as_u64().unwrap()).sum();
    assert_eq!(
        v["covered_after"].as_u64().unwrap() - v["covered_before"].as_u64().unwrap(),
        gained
    );
    for s in steps {
        match s["kind"].as_str().unwrap() {
            "test" | "adopt" => assert!(s["system"].is_string() && s["standard"].is_string()),
            "field" => assert!(s["gateway"].is_string()),
            "gateway" => {
                assert!(s["domain"].is_string() && s["from"].is_string() && s["to"].is_string())
            }
            other => panic!("unknown kind {other}"),
        }
    }
}

#[test]
fn type_errors_and_reference_errors_are_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let mixed = dir.path().join("mixed.json");
    std::fs::write(
        &mixed,
        r#"{"format": "defcoop-dataset", "version": 1,
          "nations": [{"code": "KOR", "name": "Korea"}, {"code": "POL", "name": 7}],
          "organizations": [
            {"id": "a", "name": "A", "kind": "company", "nation": "POL"},
            {"id": "b", "name": "B", "kind": "company", "nation": "XXX"}]}"#,
    )
    .unwrap();
    let err = fails(&["import", "--db", s(&db), s(&mixed)]);
    assert!(
        err.contains("mixed.json: $.nations[1].name: invalid type"),
        "{err}"
    );
    assert!(
        err.contains("mixed.json: $.organizations[1].nation: unknown nation \"XXX\""),
        "{err}"
    );
    // POL could not be read, so the reference to it is not reported as unknown as well.
    assert!(!err.contains("unknown nation \"POL\""), "{err}");
    assert!(
        err.contains("2 problem(s) in the input; nothing was imported"),
        "{err}"
    );
    assert!(ok(&["export", "--db", s(&db), "-"]).contains("\"nations\": []"));
}

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

/// A database with the SIPRI excerpt and the demo dataset (for its blocs and nation names).
fn sipri_demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("flows.db");
    let register = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sipri-excerpt.csv");
    ok(&["import", "--db", s(&db), "--format", "sipri", s(&register)]);
    ok(&["import", "--db", s(&db), s(&demo())]);
    db
}

/// The flow lines of `flows --format table`: (supplier, recipient, TIV, items, deals).
fn table_flows(table: &str) -> Vec<(String, String, f64, u64, u64)> {
    let num = |s: &str| s.replace(',', "");
    table
        .lines()
        .skip_while(|l| !l.starts_with("supplier "))
        .skip(1)
        .take_while(|l| !l.starts_with("total "))
        .map(|l| {
            let cells: Vec<&str> = l
                .split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            assert_eq!(cells.len(), 5, "{l}");
            (
                cells[0].to_string(),
                cells[1].to_string(),
                num(cells[2]).parse().unwrap(),
                num(cells[3]).parse().unwrap(),
                num(cells[4]).parse().unwrap(),
            )
        })
        .collect()
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
    // A bloc without members is not an error, but it is said.
    let out = run(&[
        "flows",
        "--db",
        s(&db),
        "--recipient",
        "EU",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bloc EU has no member nations"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["flows"].as_array().unwrap().len(), 0);
}

/// A path in the public source data kept in the repository (`data/sources`), or in
/// `DEFCOOP_SHARED_DATA` when set.
fn shared(rel: &str) -> PathBuf {
    let base = std::env::var_os("DEFCOOP_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sources"));
    let p = base.join(rel);
    assert!(p.exists(), "{} is missing", p.display());
    p
}

/// The real NISP folder: imported idempotently; a profile works as a fleet filter and as a
/// conformance shortcut.
#[test]
fn nisp_import_profiles_as_filter_and_shortcut() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let nisp = shared("nisp");
    ok(&["import", "--db", s(&db), s(&demo())]);
    let first = ok(&["import", "--db", s(&db), "--format", "nisp", s(&nisp)]);
    assert!(
        first.contains("1257 standards and 92 cover documents"),
        "{first}"
    );
    assert!(
        first.contains("profiles") && first.contains("1742 mandatory"),
        "{first}"
    );
    let again = ok(&["import", "--db", s(&db), "--format", "nisp", s(&nisp)]);
    assert!(again.contains("nothing changed"), "{again}");

    let profile = "fmn4-20211022";
    let err = fails(&[
        "interop",
        "matrix",
        "--db",
        s(&db),
        "--left",
        "profile:nope",
        "--right",
        "all",
    ]);
    assert!(err.contains("unknown profile \"nope\""), "{err}");
    let shown = ok(&[
        "profile",
        "show",
        "--db",
        s(&db),
        "--format",
        "json",
        profile,
    ]);
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    let mandatory = v["mandatory"].as_array().unwrap().len();
    assert!(mandatory > 100, "{shown}");
    assert_eq!(v["systems"].as_array().unwrap().len(), 0);

    let done = ok(&[
        "profile",
        "implement",
        "--db",
        s(&db),
        "--status",
        "tested",
        "k9",
        profile,
    ]);
    assert!(
        done.contains(&format!("{mandatory} new conformance(s)")),
        "{done}"
    );
    let again = ok(&["profile", "implement", "--db", s(&db), "k9", profile]);
    assert!(
        again.contains("0 new conformance(s)") && again.contains("nothing changed"),
        "{again}"
    );
    let shown = ok(&[
        "profile",
        "show",
        "--db",
        s(&db),
        "--format",
        "json",
        profile,
    ]);
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["systems"], serde_json::json!(["k9"]), "{shown}");
    // The filter selects exactly the implementing system.
    let pairs = ok(&[
        "interop",
        "matrix",
        "--db",
        s(&db),
        "--left",
        &format!("profile:{profile}"),
        "--right",
        "ids:k2",
        "--pairs",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&pairs).unwrap();
    let lefts: std::collections::BTreeSet<&str> = v["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["a"].as_str().unwrap())
        .collect();
    assert_eq!(
        lefts,
        ["k9"].into(),
        "only the implementing system is on the left"
    );
    let err = fails(&["profile", "implement", "--db", s(&db), "nope", profile]);
    assert!(err.contains("system \"nope\" not found"), "{err}");
}

/// SPIF policies and STANAG 4774 labels end to end: the NATO SPIF is imported; a record's label
/// is written and read back as 4774 XML; labels the policy forbids and the malformed sample
/// labels are refused with a clear error, changing nothing.
#[test]
fn spif_policy_and_stanag_4774_labels() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    ok(&["import", "--db", s(&db), s(&demo())]);
    let out = ok(&[
        "policy",
        "import",
        "--db",
        s(&db),
        s(&shared("labels/nato.xml")),
    ]);
    assert!(out.contains("policy NATO: 5 classifications"), "{out}");
    assert!(ok(&[
        "policy",
        "import",
        "--db",
        s(&db),
        s(&shared("labels/nato.xml"))
    ])
    .contains("nothing changed"));
    let err = fails(&[
        "policy",
        "import",
        "--db",
        s(&db),
        s(&shared("labels/label1.xml")),
    ]);
    assert!(
        err.contains("label1.xml:2") && err.contains("4774"),
        "{err}"
    );

    let label = dir.path().join("label.xml");
    std::fs::write(
        &label,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ConfidentialityLabel xmlns="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0">
 <ConfidentialityInformation>
  <PolicyIdentifier>NATO</PolicyIdentifier>
  <Classification>RESTRICTED</Classification>
  <Category TagName="Releasable To" Type="PERMISSIVE"><GenericValue>KOR</GenericValue><GenericValue>POL</GenericValue></Category>
 </ConfidentialityInformation>
</ConfidentialityLabel>"#,
    )
    .unwrap();
    ok(&["label", "set", "--db", s(&db), "system", "k9", s(&label)]);
    let json = ok(&["label", "show", "--db", s(&db), "systems", "k9"]);
    assert!(
        json.contains("\"Releasable To\"") && json.contains("\"RESTRICTED\""),
        "{json}"
    );
    let xml = ok(&[
        "label",
        "show",
        "--db",
        s(&db),
        "--format",
        "stanag4774",
        "system",
        "k9",
    ]);
    assert!(
        xml.contains("<PolicyIdentifier>NATO</PolicyIdentifier>")
            && xml.contains("<GenericValue>POL</GenericValue>"),
        "{xml}"
    );
    // Round trip: the XML we print reads back to the same label.
    let again = dir.path().join("again.xml");
    std::fs::write(&again, &xml).unwrap();
    assert!(
        ok(&["label", "set", "--db", s(&db), "system", "k9", s(&again)])
            .contains("nothing changed")
    );

    // ATOMAL may not be combined with RESTRICTED in the NATO policy.
    let forbidden = dir.path().join("forbidden.json");
    std::fs::write(
        &forbidden,
        r#"{"policy": "NATO", "classification": "RESTRICTED", "categories": [{"type": "restrictive", "name": "Additional Sensitivity", "values": ["ATOMAL"]}]}"#,
    )
    .unwrap();
    let err = fails(&[
        "label",
        "set",
        "--db",
        s(&db),
        "system",
        "k9",
        s(&forbidden),
    ]);
    assert!(
        err.contains("ATOMAL") && err.contains("nothing was changed"),
        "{err}"
    );
    let err = fails(&[
        "label",
        "set",
        "--db",
        s(&db),
        "system",
        "k9",
        s(&shared("labels/label1.xml")),
    ]);
    assert!(err.contains("malformed XML"), "{err}");
    assert_eq!(
        ok(&["label", "show", "--db", s(&db), "system", "k9"]),
        json,
        "unchanged"
    );
    let err = fails(&["label", "show", "--db", s(&db), "system", "nope"]);
    assert!(err.contains("system \"nope\" not found"), "{err}");
    let err = fails(&["label", "show", "--db", s(&db), "widget", "k9"]);
    assert!(err.contains("unknown kind of record"), "{err}");
}

/// Transfers, profiles, catalogue standards and closed policies survive export → import →
/// export, in JSON and in CSV, byte for byte.
#[test]
fn real_data_roundtrips_through_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let register = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sipri-excerpt.csv");
    ok(&["import", "--db", s(&db), s(&demo())]);
    ok(&["import", "--db", s(&db), "--format", "sipri", s(&register)]);
    ok(&[
        "import",
        "--db",
        s(&db),
        "--format",
        "nisp",
        s(&shared("nisp")),
    ]);
    ok(&[
        "policy",
        "import",
        "--db",
        s(&db),
        s(&shared("labels/ACME.xml")),
    ]);
    let first = dir.path().join("1.json");
    ok(&["export", "--db", s(&db), s(&first)]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&first).unwrap()).unwrap();
    for array in ["transfers", "profiles", "standards", "policies"] {
        assert!(!v[array].as_array().unwrap().is_empty(), "{array}");
    }

    let db2 = dir.path().join("b.db");
    let out = ok(&["import", "--db", s(&db2), s(&first)]);
    assert!(
        out.contains("transfers") && out.contains("profiles"),
        "{out}"
    );
    let second = dir.path().join("2.json");
    ok(&["export", "--db", s(&db2), s(&second)]);
    assert!(
        std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
        "JSON roundtrip"
    );

    let folder = dir.path().join("csv");
    ok(&["export", "--db", s(&db2), "--format", "csv", s(&folder)]);
    assert!(folder.join("transfers.csv").exists() && folder.join("profiles.csv").exists());
    let db3 = dir.path().join("c.db");
    ok(&["import", "--db", s(&db3), "--format", "csv", s(&folder)]);
    let third = dir.path().join("3.json");
    ok(&["export", "--db", s(&db3), s(&third)]);
    assert!(
        std::fs::read(&first).unwrap() == std::fs::read(&third).unwrap(),
        "CSV roundtrip"
    );
}
