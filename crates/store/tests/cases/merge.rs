//! Store cases of `merge_systems` (issue 8) and `delete_record` (issue 12), run on both
//! backends with the rest of the suite.

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

/// A record nothing refers to is deleted with its nested rows, audited, in one write; one
/// that others refer to, or that the writer may not see, or that does not exist, is not, and
/// nothing is written.
pub async fn deleting_a_record_refuses_while_others_refer_to_it(s: &Store) {
    use defcoop_domain::model::Kind;
    import(s, &parse(TWINS)).await.unwrap();
    let op = defcoop_store::Writer::operator();
    let at = s.generation().await.unwrap();
    // KOR is every system's origin; standard A has conformances.
    for (kind, key) in [
        (Kind::Nation, "KOR"),
        (Kind::Standard, "A"),
        (Kind::System, "twin"),
    ] {
        match s.delete_record(kind, key, &op).await {
            Err(ImportError::Store(defcoop_store::StoreError::Conflict(m))) => {
                assert!(m.contains("is referred to by"), "{m}")
            }
            other => panic!("{kind:?} {key}: {other:?}"),
        }
    }
    assert!(matches!(
        s.delete_record(Kind::System, "no-such", &op).await,
        Err(ImportError::NotFound(_))
    ));
    assert!(matches!(
        s.delete_record(Kind::Conformance, "no-slash", &op).await,
        Err(ImportError::NotFound(_))
    ));
    assert_eq!(s.generation().await.unwrap(), at, "nothing written");

    // A conformance, then its system (operators go with it), then the transfer-free twin.
    s.delete_record(Kind::Conformance, "twin/B", &op)
        .await
        .unwrap();
    s.delete_record(Kind::Conformance, "twin/A", &op)
        .await
        .unwrap();
    s.delete_record(Kind::Transfer, "t1", &op).await.unwrap();
    s.delete_record(Kind::System, "twin", &op).await.unwrap();
    assert_eq!(s.generation().await.unwrap(), at + 4);
    let d = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
    let ids: Vec<&str> = d.systems.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["k9"]);
    assert_eq!(d.conformances.len(), 1);
    assert!(d.transfers.is_empty());
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
    assert_eq!(log[0].action, "record.delete");
    assert!(matches!(
        s.verify_audit().await.unwrap(),
        defcoop_store::Verdict::Whole { .. }
    ));
    // Stored again, the deleted system reads as it was written: no row was left behind.
    import(s, &parse(TWINS)).await.unwrap();
    let again = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
    let twin = again.systems.iter().find(|x| x.id == "twin").unwrap();
    assert_eq!(twin.operators.len(), 2);

    // A hidden record is "not found" to a writer who may not see it, like an absent one.
    let hidden = r#"{"format": "defcoop-dataset", "version": 1,
      "systems": [{"id": "secret-sys", "name": "S", "category": "c", "origin": "KOR",
        "label": {"policy": "P", "classification": "SECRET"}}]}"#;
    import(s, &parse(hidden)).await.unwrap();
    let outsider = defcoop_store::Writer::new(
        "outsider",
        Reader::Cleared(Clearance::default().with_level("P", "PUBLIC")),
    );
    assert!(matches!(
        s.delete_record(Kind::System, "secret-sys", &outsider).await,
        Err(ImportError::NotFound(_))
    ));
    // A record referred to only by records the writer may not see: refused, without naming them.
    let hidden_ref = r#"{"format": "defcoop-dataset", "version": 1,
      "nations": [{"code": "XHN", "name": "Hidden referer's nation"}],
      "systems": [{"id": "secret-2", "name": "S2", "category": "c", "origin": "XHN",
        "label": {"policy": "P", "classification": "SECRET"}}]}"#;
    import(s, &parse(hidden_ref)).await.unwrap();
    match s.delete_record(Kind::Nation, "XHN", &outsider).await {
        Err(ImportError::Store(defcoop_store::StoreError::Conflict(m))) => {
            assert!(
                m.contains("records you may not see") && !m.contains("secret-2"),
                "{m}"
            )
        }
        other => panic!("{other:?}"),
    }
}
