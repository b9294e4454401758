//! End to end: the dataset file and CSV folders (import, export, synth, located errors).

mod common;

use common::*;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

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

/// `--max-mib` counts the bytes actually read: `/dev/zero` (whose size reads as 0) and a pipe
/// used to be read until memory ran out. Both are refused, naming the file and the limit, and
/// nothing is imported.
#[test]
fn the_size_limit_holds_for_devices_and_pipes() {
    let zero = Path::new("/dev/zero");
    if !zero.exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.db");
    let refused = "/dev/zero holds more than the limit of 1 MiB (raise it with --max-mib)";
    let err = fails(&["import", "--db", s(&db), "--max-mib", "1", "/dev/zero"]);
    assert!(err.contains(refused), "{err}");
    for format in ["csv", "sipri"] {
        let err = fails(&[
            "import",
            "--db",
            s(&db),
            "--format",
            format,
            "--max-mib",
            "1",
            "/dev/zero",
        ]);
        let expected = if format == "csv" {
            "is not a folder"
        } else {
            refused
        };
        assert!(err.contains(expected), "{format}: {err}");
    }

    // Standard input from a pipe, 3 MiB of a valid-looking start.
    let mut child = bin()
        .args(["import", "--db", s(&db), "--max-mib", "1", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..48 {
            if stdin.write_all(&chunk).is_err() {
                break; // the reader stopped at its limit
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/dev/stdin holds more than the limit of 1 MiB"),
        "{err}"
    );
    // The input is refused before the database is opened: not even an empty one is created,
    // and reading commands say so.
    assert!(!db.exists(), "nothing imported, no database created");
    let err = fails(&["export", "--db", s(&db), "-"]);
    assert!(err.contains("does not exist"), "{err}");
}
