//! `defcoop user`, `token`, `audit` and `--as USER` end to end.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::*;

fn add_user(db: &str, args: &[&str], password: Option<&str>) -> std::process::Output {
    let mut all = vec!["user", "add", "--db", db];
    all.extend_from_slice(args);
    if password.is_some() {
        all.push("--password-stdin");
    }
    let mut child = bin()
        .args(&all)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(pw) = password {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{pw}\n").as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

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
    "--category",
    "RELEASABLE-TO:KOR",
];

#[test]
fn user_add_refuses_what_the_registry_does_not_know_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let bad = add_user(
        db,
        &[
            "--name",
            "kim",
            "--nationality",
            "KOR",
            "--organization",
            "dapa",
            "--role",
            "boss",
            "--clearance",
            "DEFCOOP:SECRET",
            "--category",
            "TEAM:RED",
        ],
        None,
    );
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("unknown role \"boss\""), "{err}");
    assert!(err.contains("no classification \"SECRET\""), "{err}");
    assert!(err.contains("unknown category \"TEAM\""), "{err}");
    assert_eq!(
        ok(&["user", "list", "--db", db, "--format", "json"]).trim(),
        "[]"
    );
    let short = add_user(db, KIM, Some("short"));
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
}

#[test]
fn as_user_sees_counts_and_writes_exactly_what_that_user_may() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let out = add_user(db, KIM, Some("kims long passphrase"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let viewer = add_user(
        db,
        &[
            "--name",
            "vic",
            "--nationality",
            "BEL",
            "--organization",
            "ec",
            "--role",
            "viewer",
        ],
        None,
    );
    assert!(viewer.status.success());

    let full = ok(&["export", "--db", db, "-"]);
    let kim = ok(&["export", "--db", db, "--as", "kim", "-"]);
    let vic = ok(&["export", "--db", db, "--as", "vic", "-"]);
    let count = |text: &str| text.matches("\"label\"").count();
    assert!(
        count(&full) > count(&kim),
        "kim misses the HANWHA conformance"
    );
    assert_eq!(
        count(&vic),
        0,
        "an uncleared viewer sees no labelled record"
    );
    assert!(kim.len() < full.len() && vic.len() < kim.len());

    // Writing needs a role that writes, and only over what the writer can see.
    let err = fails(&["label", "clear", "--db", db, "--as", "vic", "system", "k9"]);
    assert!(err.contains("vic may not change the registry"), "{err}");
    let err = fails(&["--as", "nobody", "export", "--db", db, "-"]);
    assert!(err.contains("user \"nobody\" not found"), "{err}");
    ok(&["user", "disable", "--db", db, "vic"]);
    let err = fails(&["export", "--db", db, "--as", "vic", "-"]);
    assert!(err.contains("disabled"), "{err}");
    // Only admins manage users.
    let err = fails(&["user", "list", "--db", db, "--as", "kim"]);
    assert!(err.contains("may not manage users"), "{err}");
}

#[test]
fn tokens_print_alone_on_the_last_line_and_the_audit_chain_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    assert!(add_user(db, KIM, None).status.success());
    let out = ok(&[
        "token",
        "create",
        "--db",
        db,
        "--user",
        "kim",
        "--expires",
        "7",
    ]);
    let token = out.lines().last().unwrap();
    assert!(token.starts_with("dct_") && token.len() == 68, "{out}");
    assert_eq!(out.lines().count(), 1, "stdout is the token alone: {out}");
    let list = ok(&["token", "list", "--db", db, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    let id = v[0]["id"].as_str().unwrap().to_string();
    assert!(!list.contains(token), "secrets are never listed");
    ok(&["token", "revoke", "--db", db, &id]);
    let err = fails(&["token", "revoke", "--db", db, "tok-000000000000"]);
    assert!(err.contains("not found"), "{err}");
    assert!(fails(&[
        "token",
        "create",
        "--db",
        db,
        "--user",
        "kim",
        "--expires",
        "0"
    ])
    .contains("between 1 and 3650"));

    let verified = ok(&["audit", "verify", "--db", db]);
    assert!(verified.contains("whole"), "{verified}");
    let log = ok(&[
        "audit", "list", "--db", db, "--record", "user:kim", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&log).unwrap();
    let actions: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["token.revoke", "token.create", "user.add"]);
    let text = ok(&[
        "audit", "list", "--db", db, "--user", "operator", "--limit", "1",
    ]);
    assert!(text.contains("token.revoke"), "{text}");
    assert!(fails(&["audit", "list", "--db", db, "--since", "2026-02-30"]).contains("YYYY-MM-DD"));

    // Tampering with the log is found, and named (python3's sqlite3 plays the attacker who
    // holds the file; the store suite does the same through SQL on both backends).
    let status = std::process::Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
             c.execute(\"UPDATE audit SET subject='nothing' WHERE seq=2\"); c.commit()",
            db,
        ])
        .status()
        .expect("python3 (with its sqlite3 module) is needed by this test");
    assert!(
        status.success(),
        "python3 could not change the test database"
    );
    let err = fails(&["audit", "verify", "--db", db]);
    assert!(err.contains("broken at entry 2"), "{err}");
}
