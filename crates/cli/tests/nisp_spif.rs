//! End to end: the NISP folder import, SPIF policies and STANAG 4774 labels.

mod common;

use common::*;

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
