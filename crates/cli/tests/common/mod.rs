//! Shared helpers of the end-to-end tests of the `defcoop` binary (SQLite files in a temp
//! folder). Each test file under `tests/` starts with `mod common;` and uses what it needs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const DEMO: &str = "../../data/demo/dataset.json";

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_defcoop"));
    c.env_remove("DEFCOOP_DB").env_remove("RUST_LOG");
    c
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run defcoop")
}

pub fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "defcoop {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert!(!out.status.success(), "defcoop {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(DEMO)
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

pub fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("demo.db");
    ok(&["import", "--db", s(&db), s(&demo())]);
    db
}

/// A database with the SIPRI excerpt and the demo dataset (for its blocs and nation names).
pub fn sipri_demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("flows.db");
    let register = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sipri-excerpt.csv");
    ok(&["import", "--db", s(&db), "--format", "sipri", s(&register)]);
    ok(&["import", "--db", s(&db), s(&demo())]);
    db
}

/// The flow lines of `flows --format table`: (supplier, recipient, TIV, items, deals).
pub fn table_flows(table: &str) -> Vec<(String, String, f64, u64, u64)> {
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

/// A path in the public source data kept in the repository (`data/sources`), or in
/// `DEFCOOP_SHARED_DATA` when set.
pub fn shared(rel: &str) -> PathBuf {
    let base = std::env::var_os("DEFCOOP_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sources"));
    let p = base.join(rel);
    assert!(p.exists(), "{} is missing", p.display());
    p
}
