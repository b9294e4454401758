//! End to end: `defcoop interop pair|matrix|plan`.

mod common;

use common::*;

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
    // The same picture in Korean: legend, axes and subtitle translated, the data the same.
    let ko = ok(&[
        "--lang",
        "ko",
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
    assert!(ko.contains("범례") && ko.contains("왼쪽 편대") && ko.contains("원산국별"));
    assert!(!ko.contains("Legend") && !ko.contains("left fleet"));
    let text = ok(&[
        "--lang",
        "ko",
        "interop",
        "pair",
        "--db",
        s(&db),
        "k9",
        "pzh-2000",
    ]);
    assert!(text.contains("공유 표준 STANAG-4425"), "{text}");
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
