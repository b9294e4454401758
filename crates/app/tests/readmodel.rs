//! The cached read model: it answers from memory, follows writes made behind its back (another
//! process), and shares one view between readers with the same effective clearance.

use defcoop_app::{Actor, App, RecordKind};
use defcoop_domain::model::Kind;
use defcoop_domain::{json, Clearance, Reader};
use defcoop_store::{Parts, Progress, Store, Writer};

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

async fn demo_store(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&dir.path().join("m.db").display().to_string())
        .await
        .unwrap();
    store
        .import(
            &json::parse(DEMO.as_bytes()).unwrap(),
            &Writer::operator(),
            Progress::NONE,
        )
        .await
        .unwrap();
    store
}

fn kor_restricted() -> Reader {
    Reader::Cleared(
        Clearance::default()
            .with_level("DEFCOOP", "RESTRICTED")
            .with_value("RELEASABLE-TO", "KOR"),
    )
}

#[tokio::test]
async fn follows_writes_of_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir).await;
    let app = App::cached(store.clone()).await.unwrap();
    let model = app.read_model().unwrap().clone();
    let before = model.current().generation();
    let op = Actor::operator();
    assert!(app
        .record(&op, RecordKind(Kind::Nation), "ZZZ")
        .await
        .is_err());

    // Another process: its own connection pool on the same file.
    let other = Store::open(&dir.path().join("m.db").display().to_string())
        .await
        .unwrap();
    let add = r#"{"format": "defcoop-dataset", "version": 1,
        "nations": [{"code": "ZZZ", "name": "Zedland"}]}"#;
    other
        .import(
            &json::parse(add.as_bytes()).unwrap(),
            &Writer::operator(),
            Progress::NONE,
        )
        .await
        .unwrap();
    // Until the model refreshes, the old generation keeps answering.
    assert!(app
        .record(&op, RecordKind(Kind::Nation), "ZZZ")
        .await
        .is_err());
    assert!(model.refresh().await.unwrap(), "the generation moved");
    assert!(model.current().generation() > before);
    let zed = app
        .record(&op, RecordKind(Kind::Nation), "ZZZ")
        .await
        .unwrap();
    assert_eq!(zed["name"], "Zedland");
    assert!(!model.refresh().await.unwrap(), "nothing new: no reload");

    // The watcher does the same by itself.
    let watcher = model.watch(std::time::Duration::from_millis(20));
    let add = r#"{"format": "defcoop-dataset", "version": 1,
        "nations": [{"code": "ZZY", "name": "Zedland Two"}]}"#;
    other
        .import(
            &json::parse(add.as_bytes()).unwrap(),
            &Writer::operator(),
            Progress::NONE,
        )
        .await
        .unwrap();
    let mut seen = false;
    for _ in 0..250 {
        if app
            .record(&op, RecordKind(Kind::Nation), "ZZY")
            .await
            .is_ok()
        {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    watcher.abort();
    assert!(seen, "the watcher reloaded the registry within 5 s");
}

#[tokio::test]
async fn a_write_that_changes_nothing_keeps_the_generation() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir).await;
    let g = store.generation().await.unwrap();
    store
        .import(
            &json::parse(DEMO.as_bytes()).unwrap(),
            &Writer::operator(),
            Progress::NONE,
        )
        .await
        .unwrap();
    assert_eq!(store.generation().await.unwrap(), g);
}

#[tokio::test]
async fn views_are_shared_by_effective_clearance_and_hide_what_they_must() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::cached(demo_store(&dir).await).await.unwrap();
    let registry = app.read_model().unwrap().current();

    let anon = Actor::anonymous();
    let kor = Actor::reading_as("kor", kor_restricted());
    // Same labels satisfied, different clearance otherwise (an extra category value that no
    // stored label names): one view.
    let kor_too = Actor::reading_as(
        "kor2",
        Reader::Cleared(
            Clearance::default()
                .with_level("DEFCOOP", "RESTRICTED")
                .with_value("RELEASABLE-TO", "KOR")
                .with_value("NOTHING-USES", "THIS"),
        ),
    );
    let a = app.view(&kor, Parts::All).await.unwrap();
    let b = app.view(&kor_too, Parts::All).await.unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&a, &b),
        "one view per effective clearance"
    );
    let n = app.view(&anon, Parts::All).await.unwrap();
    assert!(!std::sync::Arc::ptr_eq(&a, &n));
    assert_eq!(registry.views(), 2);
    // The full reader shares the registry itself: no copy.
    let full = app.view(&Actor::operator(), Parts::All).await.unwrap();
    assert_eq!(registry.views(), 2);

    // The demo's KOR-only RESTRICTED gateway: visible to KOR, not to anonymous, not found
    // (not "forbidden") for the latter, and left out of counts.
    let gw = full
        .data()
        .gateways
        .iter()
        .find(|g| g.label.is_some())
        .expect("the demo has a labelled gateway")
        .id
        .clone();
    assert!(app
        .record(&kor, RecordKind(Kind::Gateway), &gw)
        .await
        .is_ok());
    let err = app
        .record(&anon, RecordKind(Kind::Gateway), &gw)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(n.data().gateways.len() + 1, a.data().gateways.len());
}

/// A reader's view shares the full view's JSON rows of the records it sees unchanged; what it
/// reads is exactly its own records' JSON, those it sees in part included.
#[tokio::test]
async fn a_views_rows_are_its_own_records_whatever_it_shares() {
    // The demo with a RESTRICTED nation that is a NATO member and operates the K9: readers
    // without the clearance see NATO and the K9 in part.
    let mut demo: serde_json::Value = serde_json::from_str(DEMO).unwrap();
    let label = serde_json::json!({"policy": "DEFCOOP", "classification": "RESTRICTED"});
    demo["nations"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"code": "ZZZ", "name": "Hidden", "label": label}));
    for (array, key, value, list, entry) in [
        (
            "blocs",
            "code",
            "NATO",
            "members",
            serde_json::json!({"nation": "ZZZ", "since": "2020-01-01"}),
        ),
        (
            "systems",
            "id",
            "k9",
            "operators",
            serde_json::json!({"nation": "ZZZ"}),
        ),
    ] {
        let record = demo[array]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|r| r[key] == value)
            .unwrap();
        record[list].as_array_mut().unwrap().push(entry);
    }
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("m.db").display().to_string())
        .await
        .unwrap();
    let text = serde_json::to_vec(&demo).unwrap();
    store
        .import(
            &json::parse(&text).unwrap(),
            &Writer::operator(),
            Progress::NONE,
        )
        .await
        .unwrap();
    let app = App::cached(store).await.unwrap();
    let full = app.view(&Actor::operator(), Parts::All).await.unwrap();
    let mut partial = Vec::new();
    for actor in [
        Actor::anonymous(),
        Actor::reading_as("kor", kor_restricted()),
    ] {
        let view = app.view(&actor, Parts::All).await.unwrap();
        for kind in Kind::ALL {
            let rows = view.rows(kind);
            let own = defcoop_app::registry::rows(view.data(), kind);
            let shared: Vec<&serde_json::Value> = rows.iter().collect();
            assert_eq!(shared, own.iter().collect::<Vec<_>>(), "{kind:?}");
            assert_eq!(rows.len(), own.len());
            // Seen in part: the same key as a full record, a different body.
            let all = full.rows(kind);
            for r in &own {
                let key = defcoop_app::registry::row_key(kind, r);
                if all
                    .iter()
                    .any(|f| defcoop_app::registry::row_key(kind, f) == key && f != r)
                {
                    partial.push(key);
                }
            }
        }
    }
    partial.sort();
    // The demo's Link 16 offer lists the FA-50PL, releasable to Korea and Poland only.
    assert_eq!(
        partial,
        ["NATO", "hanwha-link16-fire-control", "k9"],
        "seen in part by the anonymous reader only"
    );
}
