//! Real fleets (issue 8) end to end: the demo database with the SIPRI register and the NISP
//! standards (`defcoop demo`, as `serve --demo` loads it), one record per real system, dated
//! bloc memberships in flows, coverage in matrices, `system merge`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn sources() -> PathBuf {
    repo("data/sources")
}

fn register() -> PathBuf {
    repo("data/sources/sipri/trade_register.csv")
}

/// The demo database `serve --demo` would create, made once for the tests of this file (which
/// only read it, or write what changes nothing).
fn full_demo() -> &'static Path {
    static DB: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, db) = DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("full.db");
        let out = run(&["demo", "--db", s(&db), "--sources", s(&sources())]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (dir, db)
    });
    db
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("JSON answer")
}

/// NATO's members and the year each joined, read from the sourced list as plain lines.
fn nato_since() -> BTreeMap<String, u16> {
    let text = std::fs::read_to_string(repo("data/blocs/blocs.yaml")).unwrap();
    let nato = text
        .split("\n- code: NATO\n")
        .nth(1)
        .and_then(|rest| rest.split("\n- code: EU\n").next())
        .expect("the NATO block");
    let mut out = BTreeMap::new();
    let mut nation = None;
    for line in nato.lines() {
        let line = line.trim();
        if let Some(n) = line.strip_prefix("- nation: ") {
            nation = Some(n.to_string());
        } else if let Some(y) = line.strip_prefix("since: ") {
            if let Some(n) = nation.take() {
                out.insert(n, y[..4].parse().unwrap());
            }
        }
    }
    out
}

#[test]
fn flows_to_nato_on_the_demo_equal_the_sipri_file_summed_over_the_32_members_years() {
    let db = full_demo().to_path_buf();
    let members = nato_since();
    assert_eq!(members.len(), 32, "{members:?}");

    // Straight from the file: South Korea's deliveries to a NATO member in a year it was one.
    let text = std::fs::read_to_string(register()).unwrap();
    let mut rows = text
        .lines()
        .skip_while(|l| !l.starts_with("SIPRI AT Database ID"));
    rows.next();
    let mut tiv: BTreeMap<String, i64> = BTreeMap::new();
    let mut deals: BTreeSet<String> = BTreeSet::new();
    for line in rows {
        let cells: Vec<&str> = line.trim_end().trim_end_matches(';').split(',').collect();
        if cells.len() < 17 || cells[1] != "South Korea" {
            continue;
        }
        let Some(code) =
            defcoop_domain::sipri::actor(cells[2]).and_then(|a| a.code().map(str::to_string))
        else {
            continue;
        };
        let (Some(since), Ok(year)) = (members.get(&code), cells[10].parse::<u16>()) else {
            continue;
        };
        if year < *since {
            continue;
        }
        let units = (cells[15].parse::<f64>().unwrap_or(0.0) * 1e6).round() as i64;
        *tiv.entry(code).or_default() += units;
        deals.insert(cells[0].to_string());
    }
    let total: i64 = tiv.values().sum();

    let answer = json(&[
        "flows",
        "--db",
        s(&db),
        "--supplier",
        "KOR",
        "--recipient",
        "NATO",
        "--top",
        "100",
        "--format",
        "json",
    ]);
    let cents = |v: &Value| (v.as_f64().unwrap() * 100.0).round() as i64;
    let round2 = |units: i64| (units as f64 / 1e4).round() as i64;
    assert_eq!(cents(&answer["total_tiv"]), round2(total));
    assert_eq!(
        answer["total_deals"].as_u64().unwrap() as usize,
        deals.len()
    );
    let got: BTreeMap<String, i64> = answer["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["party"]["id"].as_str().unwrap().to_string(),
                cents(&r["tiv"]),
            )
        })
        .collect();
    let want: BTreeMap<String, i64> = tiv.iter().map(|(c, u)| (c.clone(), round2(*u))).collect();
    assert_eq!(got, want);
    // The members the demo's old six-member NATO left out are counted.
    assert!(
        got.contains_key("GBR") && got.contains_key("USA"),
        "{got:?}"
    );
}

#[test]
fn no_two_demo_systems_share_a_sipri_designation_and_the_import_lists_its_matches() {
    let db = full_demo().to_path_buf();
    let export: Value = serde_json::from_str(&ok(&["export", "--db", s(&db), "-"])).unwrap();
    let mut systems_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for t in export["transfers"].as_array().unwrap() {
        if let Some(sys) = t["system"].as_str() {
            systems_of
                .entry(t["designation"].as_str().unwrap())
                .or_default()
                .insert(sys);
        }
    }
    let shared: Vec<_> = systems_of.iter().filter(|(_, s)| s.len() > 1).collect();
    assert!(shared.is_empty(), "{shared:?}");
    assert_eq!(
        systems_of["K-9 155mm"].iter().copied().collect::<Vec<_>>(),
        ["k9"]
    );
    let ids: BTreeSet<&str> = export["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains("sipri-k-9-155mm") && !ids.contains("sipri-k-2"));

    // Importing the register again reports the matches, and changes nothing.
    let report = json(&[
        "import",
        "--db",
        s(&db),
        "--format",
        "sipri",
        "--summary",
        "json",
        s(&register()),
    ]);
    assert_eq!(report["written"], 0);
    let matched: BTreeMap<&str, &str> = report["source"]["designations"]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["designation"].as_str().unwrap(),
                m["system"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(matched.get("K-9 155mm"), Some(&"k9"));
    assert_eq!(matched.get("K-239 Chunmoo"), Some(&"k239-chunmoo"));
}

#[test]
fn the_readme_imports_give_the_demo_database_and_change_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("readme.db");
    ok(&["import", "--db", s(&db), s(&demo())]);
    let first = json(&[
        "import",
        "--db",
        s(&db),
        "--format",
        "sipri",
        "--summary",
        "json",
        s(&register()),
    ]);
    let d = &first["source"]["designations"];
    let near: Vec<&str> = d["near_duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["designation"].as_str().unwrap())
        .collect();
    assert!(near.contains(&"FA-50"), "{near:?}");
    assert_eq!(
        d["created"].as_array().unwrap().len() + d["matched"].as_array().unwrap().len(),
        first["source"]["systems"].as_u64().unwrap() as usize
    );
    ok(&[
        "import",
        "--db",
        s(&db),
        "--format",
        "nisp",
        s(&sources().join("nisp")),
    ]);
    assert!(ok(&["import", "--db", s(&db), s(&demo())]).contains("nothing changed"));
    // The same registry as `serve --demo` loads in one import.
    let full = full_demo();
    assert_eq!(
        ok(&["export", "--db", s(&db), "-"]),
        ok(&["export", "--db", s(full), "-"])
    );
    // NISP's record of STANAG 5516 is the demo's, with NISP's catalogue fields and profiles.
    let std: Value = serde_json::from_str(&ok(&["export", "--db", s(&db), "-"])).unwrap();
    let s5516 = std["standards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "STANAG-5516")
        .unwrap();
    assert_eq!(s5516["tag"], "STANAG 5516 Ed 4");
    assert!(std["standards"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["id"] != "nato-stanag5516ed4"));
    assert!(std["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["obligations"]
            .as_array()
            .is_some_and(|os| os.iter().any(|o| o["standard"] == "STANAG-5516"))));
}

#[test]
fn matrices_say_how_many_systems_are_not_rated_and_bloc_filters_take_a_day() {
    let db = full_demo().to_path_buf();
    let m = json(&[
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
        "--format",
        "json",
    ]);
    let export: Value = serde_json::from_str(&ok(&["export", "--db", s(&db), "-"])).unwrap();
    let tdl: BTreeSet<&str> = export["standards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["domain"] == "tactical-data-link")
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    let rated: BTreeSet<&str> = export["conformances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| tdl.contains(c["standard"].as_str().unwrap()))
        .map(|c| c["system"].as_str().unwrap())
        .collect();
    let korean: Vec<&str> = export["systems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["origin"] == "KOR")
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    let unrated_left = korean.iter().filter(|id| !rated.contains(*id)).count();
    assert_eq!(m["unrated"]["tactical-data-link"]["left"], unrated_left);
    assert!(unrated_left > 0 && unrated_left < korean.len());
    // Before Finland and Sweden joined, their fleets were not NATO's.
    let fleet = |on: &str| {
        json(&[
            "interop",
            "matrix",
            "--db",
            s(&db),
            "--left",
            "ids:k9",
            "--right",
            "operator:NATO",
            "--right",
            "origin:SWE",
            "--on",
            on,
            "--format",
            "json",
        ])["unrated"]["artillery-ammunition"]["right"]
            .as_u64()
            .unwrap()
    };
    let (before, after) = (fleet("2020-01-01"), fleet("2025-01-01"));
    assert!(before < after, "{before} {after}");
    let err = fails(&[
        "interop",
        "matrix",
        "--db",
        s(&db),
        "--left",
        "all",
        "--right",
        "all",
        "--on",
        "2025-02-30",
    ]);
    assert!(err.contains("not a date"), "{err}");
}

#[test]
fn system_merge_joins_a_twin_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("twins.db");
    // SIPRI first: the demo's K9 and SIPRI's K-9 are two records.
    ok(&[
        "import",
        "--db",
        s(&db),
        "--format",
        "sipri",
        s(&register()),
    ]);
    ok(&["import", "--db", s(&db), s(&demo())]);
    let out = ok(&["system", "merge", "--db", s(&db), "k9", "sipri-k-9-155mm"]);
    assert!(out.contains("7 transfer(s) moved"), "{out}");
    assert!(
        out.contains("operator POL: kept k9's quantity 364"),
        "{out}"
    );
    let export: Value = serde_json::from_str(&ok(&["export", "--db", s(&db), "-"])).unwrap();
    let k9 = export["systems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "k9")
        .unwrap();
    let ops: BTreeSet<&str> = k9["operators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["nation"].as_str().unwrap())
        .collect();
    assert!(ops.contains("EGY") && ops.contains("TUR"), "{ops:?}");
    assert!(export["transfers"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["system"] != "sipri-k-9-155mm"));
    assert!(export["conformances"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["system"] == "k9"));
    let err = fails(&["system", "merge", "--db", s(&db), "k9", "sipri-k-9-155mm"]);
    assert!(
        err.contains("system \"sipri-k-9-155mm\" not found"),
        "{err}"
    );
    let err = fails(&["system", "merge", "--db", s(&db), "k9", "k9"]);
    assert!(err.contains("with itself"), "{err}");
}

/// (nation, since, until) of every membership of a bloc in the demo file.
fn demo_members(code: &str) -> BTreeSet<(String, String, Option<String>)> {
    let demo: Value = serde_json::from_str(&std::fs::read_to_string(demo()).unwrap()).unwrap();
    let bloc = demo["blocs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["code"] == code)
        .unwrap();
    bloc["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["nation"].as_str().unwrap().to_string(),
                m["since"].as_str().unwrap().to_string(),
                m["until"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn the_demo_blocs_are_the_sourced_list() {
    let text = std::fs::read_to_string(repo("data/blocs/blocs.yaml")).unwrap();
    // The EU's members, then its former members, as plain lines of the YAML file.
    let section = |from: &str, to: &str| {
        text.split(from)
            .nth(1)
            .and_then(|rest| rest.split(to).next())
            .unwrap()
            .to_string()
    };
    let eu = section("\n- code: EU\n", "\nformer_members:\n");
    let former = section("\nformer_members:\n", "\nassociated:\n");
    let mut want = BTreeSet::new();
    let (mut nation, mut anchors) = (None::<String>, BTreeMap::<String, String>::new());
    for line in eu.lines().map(str::trim) {
        if let Some(n) = line.strip_prefix("- nation: ") {
            nation = Some(n.to_string());
        } else if let Some(v) = line.strip_prefix("since: ") {
            // YAML anchors (`&id001 1958-01-01`) and aliases (`*id001`) share one date.
            let date = match v.split_once(' ') {
                Some((a, d)) if a.starts_with('&') => {
                    anchors.insert(a[1..].to_string(), d.to_string());
                    d.to_string()
                }
                _ if v.starts_with('*') => anchors[&v[1..]].clone(),
                _ => v.to_string(),
            };
            if let Some(n) = nation.take() {
                want.insert((n, date, None));
            }
        }
    }
    assert_eq!(want.len(), 27);
    let field = |name: &str| {
        former
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(name))
            .unwrap()
            .to_string()
    };
    want.insert((field("nation: "), field("since: "), Some(field("until: "))));
    assert_eq!(demo_members("EU"), want);
    let nato: BTreeSet<String> = nato_since().into_keys().collect();
    let demo_nato: BTreeSet<String> = demo_members("NATO").into_iter().map(|m| m.0).collect();
    assert_eq!(demo_nato, nato);
}
