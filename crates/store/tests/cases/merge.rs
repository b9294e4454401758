//! Store cases of `merge_systems` (issue 8), run on both backends with the rest of the suite.

use super::*;

const TWINS: &str = r#"{"format": "defcoop-dataset", "version": 1,
  "policies": [{"id": "P", "classifications": ["PUBLIC", "SECRET"]}],
  "nations": [{"code": "KOR", "name": "Korea"}, {"code": "POL", "name": "Poland"},
    {"code": "EGY", "name": "Egypt"}],
  "blocs": [{"code": "EU", "name": "European Union", "kind": "union",
    "members": [{"nation": "POL", "since": "2004-05-01", "until": "2099"}]}],
  "domains": [{"code": "d", "name": "D"}],
  "standards": [{"id": "A", "title": "A", "aliases": ["a-ed1"], "body": "NATO", "domain": "d"},
    {"id": "B", "title": "B", "body": "NATO", "domain": "d"}],
  "systems": [
    {"id": "k9", "name": "K9 Thunder", "aliases": ["K9A1"], "category": "c", "origin": "KOR",
     "operators": [{"nation": "POL", "quantity": 364}]},
    {"id": "twin", "name": "K-9 155mm", "category": "c", "origin": "KOR",
     "operators": [{"nation": "POL", "quantity": 212}, {"nation": "EGY"}],
     "sources": [{"title": "SIPRI"}]}],
  "conformances": [{"system": "k9", "standard": "A", "status": "claimed"},
    {"system": "twin", "standard": "A", "status": "tested"},
    {"system": "twin", "standard": "B", "status": "claimed"}],
  "transfers": [{"id": "t1", "supplier": "KOR", "recipient": "POL", "system": "twin",
    "designation": "K-9 155mm", "category": "artillery"}]}"#;

/// Two records of one system become one, keeping everything, in one write (the generation
/// moves once); an unknown or hidden twin, or a record it cannot see naming it, writes nothing.
pub async fn merging_systems_keeps_everything_in_one_write(s: &Store) {
    import(s, &parse(TWINS)).await.unwrap();
    let before = s.generation().await.unwrap();
    let out = s
        .merge_systems("k9", "twin", &defcoop_store::Writer::operator())
        .await
        .unwrap();
    assert_eq!((out.conformances, out.transfers), (2, 1));
    assert_eq!(s.generation().await.unwrap(), before + 1);
    let log = s
        .audit(&defcoop_store::AuditFilter {
            actor: None,
            record: Some(("system".into(), "twin".into())),
            from_ms: None,
            to_ms: None,
            before_seq: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(log[0].action, "system.merge", "the merge is audited");
    assert!(matches!(
        s.verify_audit().await.unwrap(),
        defcoop_store::Verdict::Whole { .. }
    ));
    let d = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
    let ids: Vec<&str> = d.systems.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["k9"]);
    let k9 = &d.systems[0];
    assert_eq!(k9.aliases, ["K-9 155mm", "K9A1"]);
    assert_eq!(k9.sources.len(), 1);
    let ops: Vec<(&str, Option<u32>)> = k9
        .operators
        .iter()
        .map(|o| (o.nation.as_str(), o.quantity))
        .collect();
    assert_eq!(ops, [("EGY", None), ("POL", Some(364))]);
    let cs: Vec<(&str, &str, ConformanceStatus)> = d
        .conformances
        .iter()
        .map(|c| (c.system.as_str(), c.standard.as_str(), c.status))
        .collect();
    assert_eq!(
        cs,
        [
            ("k9", "A", ConformanceStatus::Tested),
            ("k9", "B", ConformanceStatus::Claimed)
        ]
    );
    assert_eq!(d.transfers[0].system.as_deref(), Some("k9"));
    assert_eq!(d.blocs[0].members[0].until.as_deref(), Some("2099"));
    assert_eq!(d.blocs[0].kind, Some(BlocKind::Union));
    assert_eq!(d.standards[0].aliases, ["a-ed1"]);

    let at = s.generation().await.unwrap();
    assert!(matches!(
        s.merge_systems("k9", "twin", &defcoop_store::Writer::operator())
            .await,
        Err(ImportError::NotFound(_))
    ));
    assert!(matches!(
        s.merge_systems("k9", "k9", &defcoop_store::Writer::operator())
            .await,
        Err(ImportError::Invalid(_))
    ));
    // A twin whose conformance the writer may not see is not merged by that writer.
    let hidden = r#"{"format": "defcoop-dataset", "version": 1,
      "systems": [{"id": "twin2", "name": "K-9 SPH", "category": "c", "origin": "KOR"}],
      "conformances": [{"system": "twin2", "standard": "B", "status": "claimed",
        "label": {"policy": "P", "classification": "SECRET"}}]}"#;
    import(s, &parse(hidden)).await.unwrap();
    let at = at.max(s.generation().await.unwrap());
    let outsider = Reader::Cleared(Clearance::default().with_level("P", "PUBLIC"));
    assert!(matches!(
        s.merge_systems(
            "k9",
            "twin2",
            &defcoop_store::Writer::new("outsider", outsider.clone())
        )
        .await,
        Err(ImportError::Invalid(_))
    ));
    assert_eq!(s.generation().await.unwrap(), at, "nothing written");
}
