//! `defcoop idp add|list|remove` and `defcoop user link` end to end: secrets come from standard
//! input and are never printed, refusals name their flag and write nothing, only admins act.

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use common::*;

const SECRET: &str = "the-client-secret-of-mnd-0123456789";

/// `defcoop ARGS` with `stdin` on standard input.
fn with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn add_mnd(db: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "idp",
        "add",
        "--db",
        db,
        "--id",
        "mnd-kr",
        "--organization",
        "mnd",
        "--issuer",
        "https://login.mnd.example",
        "--client-id",
        "defcoop",
        "--client-secret-stdin",
    ];
    args.extend_from_slice(extra);
    with_stdin(&args, &format!("{SECRET}\nignored second line\n"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn providers_are_added_listed_without_secrets_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let added = add_mnd(db, &["--name", "Ministry of National Defense"]);
    assert!(added.status.success(), "{}", text(&added));
    assert!(!text(&added).contains(SECRET), "{}", text(&added));
    let again = add_mnd(db, &[]);
    assert!(!again.status.success());
    assert!(text(&again).contains("already exists"), "{}", text(&again));

    let list = ok(&["idp", "list", "--db", db]);
    assert!(list.contains("mnd-kr") && list.contains("https://login.mnd.example"));
    assert!(list.contains("Ministry of National Defense"), "{list}");
    let json = ok(&["idp", "list", "--db", db, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["id"], "mnd-kr");
    assert_eq!(v[0]["client_id"], "defcoop");
    assert!(!json.contains(SECRET) && !json.contains("secret"), "{json}");
    let audit = ok(&["audit", "list", "--db", db]);
    assert!(audit.contains("idp.add"), "{audit}");
    assert!(!audit.contains(SECRET), "{audit}");

    ok(&["idp", "remove", "--db", db, "mnd-kr"]);
    assert_eq!(
        ok(&["idp", "list", "--db", db, "--format", "json"]).trim(),
        "[]"
    );
    let err = fails(&["idp", "remove", "--db", db, "mnd-kr"]);
    assert!(err.contains("not found"), "{err}");
    assert!(ok(&["audit", "list", "--db", db]).contains("idp.remove"));
    ok(&["audit", "verify", "--db", db]);
}

#[test]
fn bad_providers_are_refused_with_every_problem_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    let bad = with_stdin(
        &[
            "idp",
            "add",
            "--db",
            db,
            "--id",
            "MND KR",
            "--organization",
            "mnd",
            "--issuer",
            "http://login.mnd.example",
            "--client-id",
            "defcoop",
            "--client-secret-stdin",
        ],
        &format!("{SECRET}\n"),
    );
    assert!(!bad.status.success());
    let err = text(&bad);
    assert!(err.contains("--id"), "{err}");
    assert!(
        err.contains("--issuer") && err.contains("localhost"),
        "{err}"
    );
    let empty = with_stdin(
        &[
            "idp",
            "add",
            "--db",
            db,
            "--id",
            "mnd",
            "--organization",
            "mnd",
            "--issuer",
            "https://login.mnd.example",
            "--client-id",
            "defcoop",
            "--client-secret-stdin",
        ],
        "",
    );
    assert!(!empty.status.success());
    assert!(
        text(&empty).contains("no client secret"),
        "{}",
        text(&empty)
    );
    assert_eq!(
        ok(&["idp", "list", "--db", db, "--format", "json"]).trim(),
        "[]"
    );
    assert!(!ok(&["audit", "list", "--db", db]).contains("idp."));
}

#[test]
fn identities_link_under_registered_issuers_by_admins_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = s(&db);
    for (name, role) in [("kim", "member"), ("root", "admin")] {
        ok(&[
            "user",
            "add",
            "--db",
            db,
            "--name",
            name,
            "--nationality",
            "KOR",
            "--organization",
            "mnd",
            "--role",
            role,
        ]);
    }
    let link = |user: &str, issuer: &str, subject: &str| -> Vec<String> {
        [
            "user",
            "link",
            "--db",
            db,
            user,
            "--issuer",
            issuer,
            "--subject",
            subject,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let args = link("kim", "https://login.mnd.example", "8c1f-kim");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = fails(&args);
    assert!(err.contains("no identity provider is registered"), "{err}");
    assert!(add_mnd(db, &[]).status.success());

    let mut as_kim = args.clone();
    as_kim.extend(["--as", "kim"]);
    let err = fails(&as_kim);
    assert!(err.contains("may not"), "only admins link: {err}");
    let mut as_root = args.clone();
    as_root.extend(["--as", "root"]);
    ok(&as_root);
    let err = fails(&args);
    assert!(err.contains("already belongs to user \"kim\""), "{err}");
    let bad = link("kim", "https://login.mnd.example", "has space");
    let bad: Vec<&str> = bad.iter().map(String::as_str).collect();
    assert!(fails(&bad).contains("--subject"));

    let shown = ok(&["user", "show", "--db", db, "kim"]);
    assert!(
        shown.contains("identity https://login.mnd.example 8c1f-kim"),
        "{shown}"
    );
    let audit = ok(&["audit", "list", "--db", db, "--record", "user:kim"]);
    assert!(audit.contains("user.identity"), "{audit}");
}

#[test]
fn serve_refuses_a_public_url_that_cannot_be_a_redirect_base() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    for bad in [
        "ftp://defcoop.example",
        "https://defcoop.example/app",
        "defcoop.example",
    ] {
        let err = fails(&[
            "serve",
            "--db",
            s(&db),
            "--bind",
            "127.0.0.1:0",
            "--public-url",
            bad,
        ]);
        assert!(err.contains("--public-url"), "{bad}: {err}");
    }
    assert!(!db.exists(), "refused before opening the database");
}
