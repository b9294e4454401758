//! The store suite: every case runs against SQLite and against PostgreSQL, each on a fresh
//! database. PostgreSQL comes from `DEFCOOP_TEST_PG` (a superuser URL; `scripts/test` starts a
//! throwaway cluster and sets it). Test names say the backend: `sqlite::...`, `postgres::...`.

use defcoop_domain::import::{Incoming, Problem};
use defcoop_domain::label::{Category, CategoryKind, Clearance, Label};
use defcoop_domain::model::*;
use defcoop_domain::synth::{self, Params};
use defcoop_domain::{json, Reader};
use defcoop_store::{ImportError, Parts, Progress, Store, Writer};

const DEMO: &str = include_str!("../../../data/demo/dataset.json");
/// Every field of closed policies, catalogue standards, profiles and transfers.
const CATALOGUES: &str = include_str!("fixtures/catalogues.json");

/// A fresh database of each backend, removed when dropped (SQLite) or at the end (PostgreSQL).
struct Fresh {
    store: Store,
    location: String,
    _dir: Option<tempfile::TempDir>,
    pg_admin: Option<(String, String)>,
}

impl Fresh {
    async fn sqlite() -> Fresh {
        let dir = tempfile::tempdir().expect("temp dir");
        let location = dir.path().join("test.db").display().to_string();
        let store = Store::open(&location).await.expect("open sqlite");
        Fresh {
            store,
            location,
            _dir: Some(dir),
            pg_admin: None,
        }
    }

    async fn postgres() -> Fresh {
        let (admin, name, location) = Fresh::empty_postgres_database().await;
        let store = Store::open(&location).await.expect("open postgres");
        Fresh {
            store,
            location,
            _dir: None,
            pg_admin: Some((admin, name)),
        }
    }

    /// Creates an empty PostgreSQL database: (admin URL, name, URL of the new database).
    async fn empty_postgres_database() -> (String, String, String) {
        let admin = std::env::var("DEFCOOP_TEST_PG").unwrap_or_else(|_| {
            panic!(
                "DEFCOOP_TEST_PG is not set: run scripts/test (it starts a throwaway PostgreSQL), \
                 or set it to a superuser URL such as postgres://postgres@127.0.0.1:5432/postgres"
            )
        });
        use sqlx::Connection;
        let name = format!(
            "defcoop_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .expect("connect to DEFCOOP_TEST_PG");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let (base, _) = admin.rsplit_once('/').expect("URL with a database");
        let location = format!("{base}/{name}");
        (admin, name, location)
    }

    async fn drop_postgres_database(admin: &str, name: &str) {
        use sqlx::Connection;
        if let Ok(mut conn) = sqlx::PgConnection::connect(admin).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    }

    async fn finish(self) {
        self.store.close().await;
        if let Some((admin, name)) = self.pg_admin {
            Fresh::drop_postgres_database(&admin, &name).await;
        }
    }
}

static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn parse(text: &str) -> Incoming {
    json::parse(text.as_bytes()).unwrap_or_else(|p| panic!("test input does not parse: {p:?}"))
}

async fn import(
    store: &Store,
    incoming: &Incoming,
) -> Result<defcoop_store::ImportOutcome, ImportError> {
    store
        .import(incoming, &Writer::operator(), Progress::NONE)
        .await
}

fn problems(r: Result<defcoop_store::ImportOutcome, ImportError>) -> Vec<Problem> {
    match r {
        Err(ImportError::Invalid(p)) => p,
        Err(ImportError::Store(e)) => panic!("store error instead of problems: {e}"),
        Err(ImportError::NotFound(what)) => panic!("{what} not found instead of problems"),
        Ok(_) => panic!("import succeeded but should have failed"),
    }
}

fn outsider() -> Reader {
    Reader::Cleared(Clearance::default().with_level("DEFCOOP", "CONFIDENTIAL"))
}

/// A writer holding the store's write lock from outside it, as a long import would.
enum WriteLock {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl WriteLock {
    async fn take(store: &Store) -> WriteLock {
        match store {
            Store::Sqlite(pool) => WriteLock::Sqlite(
                pool.begin_with("BEGIN IMMEDIATE")
                    .await
                    .expect("take SQLite's write lock"),
            ),
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await.expect("begin");
                // The store's writer lock (postgres.rs `WRITE_LOCK`).
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(0x6465_6663_6f6f_7002_i64)
                    .execute(&mut *tx)
                    .await
                    .expect("take the writer advisory lock");
                WriteLock::Postgres(tx)
            }
        }
    }

    async fn release(self) {
        match self {
            WriteLock::Sqlite(tx) => tx.rollback().await.expect("release"),
            WriteLock::Postgres(tx) => tx.rollback().await.expect("release"),
        }
    }
}

/// Bounds a write that must not wait for the write lock (it would wait 30 s or forever).
async fn without_waiting<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(10), f)
        .await
        .unwrap_or_else(|_| panic!("{what} waited for the write lock"))
}

fn small() -> Dataset {
    synth::generate(Params {
        systems: 200,
        standards: 40,
        gateways: 15,
        domains: 6,
        seed: 42,
    })
    .expect("synth")
}

mod cases {
    use super::*;

    pub async fn new_database_is_empty(s: &Store) {
        assert!(s.is_empty().await.unwrap());
        assert_eq!(
            s.snapshot(&Reader::Full, Parts::All).await.unwrap(),
            Dataset::default()
        );
        s.ping().await.unwrap();
    }

    pub async fn demo_export_import_export_is_byte_identical(s: &Store) {
        let incoming = parse(DEMO);
        let out = import(s, &incoming).await.unwrap();
        assert_eq!(out.written, incoming.data.len());
        let exported = json::to_string(&s.snapshot(&Reader::Full, Parts::All).await.unwrap());
        assert_eq!(
            exported, DEMO,
            "the demo file is in canonical form and survives the store"
        );
        assert!(!s.is_empty().await.unwrap());
    }

    pub async fn synth_roundtrips_every_field(s: &Store) {
        let data = small();
        import(s, &Incoming::from_dataset(data.clone()))
            .await
            .unwrap();
        let back = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
        assert_eq!(back, data);
        assert_eq!(json::to_string(&back), json::to_string(&data));
    }

    pub async fn catalogues_and_transfers_roundtrip_every_field(s: &Store) {
        let incoming = parse(CATALOGUES);
        import(s, &incoming).await.unwrap();
        let back = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
        let mut expected = incoming.data.clone();
        expected.normalize();
        assert_eq!(back, expected);
        let t = &back.transfers[0];
        assert_eq!(
            t.deliveries[1].tiv,
            Some(Tiv(147.6)),
            "TIV survives exactly"
        );
        assert_eq!(back.policies[0].categories.len(), 2);
        assert_eq!(import(s, &incoming).await.unwrap().written, 0, "idempotent");

        // Lists are replaced on update: drop a delivery, an obligation and a covered standard.
        let mut changed = back.clone();
        changed.transfers[0].deliveries.pop();
        changed.profiles[1].obligations.pop();
        changed.standards[1].covers.clear();
        changed.policies[0].required.clear();
        import(s, &Incoming::from_dataset(changed.clone()))
            .await
            .unwrap();
        assert_eq!(
            s.snapshot(&Reader::Full, Parts::All).await.unwrap(),
            changed
        );

        // Entities leave out the large tables, transfers among them.
        let entities = s.snapshot(&Reader::Full, Parts::Entities).await.unwrap();
        assert!(entities.transfers.is_empty());
        assert_eq!(entities.profiles, changed.profiles);
    }

    pub async fn set_label_checks_the_writer_and_keeps_what_it_cannot_see(s: &Store) {
        import(s, &parse(DEMO)).await.unwrap();
        let kor = Label {
            policy: "DEFCOOP".into(),
            classification: "RESTRICTED".into(),
            categories: vec![Category {
                kind: CategoryKind::Restrictive,
                name: "RELEASABLE-TO".into(),
                values: vec!["KOR".into()],
            }],
        };
        // Hide Poland from outsiders: k9's operator entry for POL is invisible to them.
        s.set_label(Kind::Nation, "POL", Some(kor.clone()), &Writer::operator())
            .await
            .unwrap();
        let before = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
        let k9_ops = |d: &Dataset| {
            d.systems
                .iter()
                .find(|x| x.id == "k9")
                .map(|x| x.operators.clone())
        };
        assert!(k9_ops(&before).unwrap().iter().any(|o| o.nation == "POL"));

        // An outsider labels k9 with a label they satisfy: POL stays among its operators.
        let public = Label {
            policy: "DEFCOOP".into(),
            classification: "UNCLASSIFIED".into(),
            categories: vec![],
        };
        let out = s
            .set_label(
                Kind::System,
                "k9",
                Some(public.clone()),
                &Writer::new("outsider", outsider()),
            )
            .await
            .unwrap();
        assert_eq!(out.written, 1);
        let after = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
        assert_eq!(k9_ops(&after), k9_ops(&before), "hidden operator kept");
        assert_eq!(after.label_of(Kind::System, "k9"), Some(Some(&public)));

        // A label the writer does not satisfy is refused; a hidden record is not found, like
        // an absent one; nothing changes.
        let refused = s
            .set_label(
                Kind::System,
                "k9",
                Some(kor.clone()),
                &Writer::new("outsider", outsider()),
            )
            .await;
        assert!(matches!(refused, Err(ImportError::Invalid(_))));
        for key in ["POL", "XXX"] {
            let r = s
                .set_label(
                    Kind::Nation,
                    key,
                    None,
                    &Writer::new("outsider", outsider()),
                )
                .await;
            assert!(matches!(r, Err(ImportError::NotFound(_))), "{key}");
        }
        assert_eq!(s.snapshot(&Reader::Full, Parts::All).await.unwrap(), after);
    }

    pub async fn reimport_changes_nothing(s: &Store) {
        let incoming = Incoming::from_dataset(small());
        let first = import(s, &incoming).await.unwrap();
        assert!(first.written > 0);
        let second = import(s, &incoming).await.unwrap();
        assert_eq!(second.written, 0);
        for (kind, c) in second.counts {
            assert_eq!((c.created, c.updated), (0, 0), "{kind:?}");
            assert_eq!(c.unchanged, incoming.data.count(kind));
        }
    }

    pub async fn updates_replace_records_and_their_lists(s: &Store) {
        import(s, &parse(DEMO)).await.unwrap();
        let mut data = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
        let k9 = data
            .systems
            .iter_mut()
            .find(|x| x.id == "k9")
            .expect("demo has k9");
        k9.name = "K9 Thunder (renamed)".into();
        k9.operators.truncate(1);
        k9.operators[0].quantity = Some(1);
        let changed = k9.clone();
        let out = import(s, &Incoming::from_dataset(data.clone()))
            .await
            .unwrap();
        assert_eq!(out.written, 1);
        let sys = out
            .counts
            .iter()
            .find(|(k, _)| *k == Kind::System)
            .unwrap()
            .1;
        assert_eq!(sys.updated, 1);
        let back = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
        assert_eq!(back.systems.iter().find(|x| x.id == "k9"), Some(&changed));
        assert_eq!(back, data);
    }

    pub async fn invalid_import_changes_nothing_and_reports_everything(s: &Store) {
        import(s, &parse(DEMO)).await.unwrap();
        let before = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
        let bad = r#"{"format": "defcoop-dataset", "version": 1,
          "nations": [{"code": "XXA", "name": "New"}],
          "systems": [
            {"id": "new-sys", "name": "New", "category": "uav", "origin": "ZZZ"},
            {"id": "k9", "name": "K9", "category": "uav", "origin": "KOR", "producer": "nobody"}],
          "conformances": [{"system": "ghost", "standard": "STANAG-5516", "status": "claimed"}],
          "gateways": [{"id": "g1", "name": "g", "domain": "tactical-data-link", "from": "STANAG-5516",
                        "to": "STANAG-4425", "bidirectional": true, "fidelity": "full", "status": "fielded"}]}"#;
        let p = problems(import(s, &parse(bad)).await);
        let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            text,
            vec![
                "$.systems[0].origin: unknown nation \"ZZZ\"",
                "$.systems[1].producer: unknown organization \"nobody\"",
                "$.conformances[0].system: unknown system \"ghost\"",
                "$.gateways[0].to: standard \"STANAG-4425\" is in domain \"artillery-ammunition\", not in the gateway's domain \"tactical-data-link\"",
            ]
        );
        assert_eq!(s.snapshot(&Reader::Full, Parts::All).await.unwrap(), before);
    }

    pub async fn references_may_point_at_stored_records(s: &Store) {
        let nations = r#"{"format": "defcoop-dataset", "version": 1,
          "nations": [{"code": "KOR", "name": "Republic of Korea"}]}"#;
        import(s, &parse(nations)).await.unwrap();
        let orgs = r#"{"format": "defcoop-dataset", "version": 1,
          "organizations": [{"id": "dapa", "name": "DAPA", "kind": "agency", "nation": "KOR"}]}"#;
        let out = import(s, &parse(orgs)).await.unwrap();
        assert_eq!(out.written, 1);
        assert_eq!(
            s.snapshot(&Reader::Full, Parts::All)
                .await
                .unwrap()
                .organizations
                .len(),
            1
        );
    }

    pub async fn duplicates_in_one_file_are_refused(s: &Store) {
        let dup = r#"{"format": "defcoop-dataset", "version": 1,
          "nations": [{"code": "KOR", "name": "A"}, {"code": "KOR", "name": "B"}]}"#;
        let p = problems(import(s, &parse(dup)).await);
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].to_string(),
            "$.nations[1]: duplicate nation \"KOR\" (first at $.nations[0])"
        );
        assert!(s.is_empty().await.unwrap());
    }

    pub async fn reads_hide_what_the_reader_may_not_see(s: &Store) {
        import(s, &parse(DEMO)).await.unwrap();
        let mut data = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
        // Hide one system from everyone without KOR releasability.
        let target = data.systems[0].id.clone();
        data.systems[0].label = Some(Label {
            policy: "DEFCOOP".into(),
            classification: "PUBLIC".into(),
            categories: vec![Category {
                kind: CategoryKind::Restrictive,
                name: "RELEASABLE-TO".into(),
                values: vec!["KOR".into()],
            }],
        });
        data.conformances.push(Conformance {
            system: target.clone(),
            standard: data.standards[0].id.clone(),
            status: ConformanceStatus::Certified,
            evidence: None,
            label: None,
            sources: vec![],
            illustrative: true,
        });
        data.conformances
            .dedup_by(|a, b| a.system == b.system && a.standard == b.standard);
        import(s, &Incoming::from_dataset(data.clone()))
            .await
            .unwrap();

        let seen = s.snapshot(&outsider(), Parts::All).await.unwrap();
        assert!(seen.systems.iter().all(|x| x.id != target));
        assert!(
            seen.conformances.iter().all(|c| c.system != target),
            "conformance of a hidden system is hidden"
        );
        let insider = Reader::Cleared(
            Clearance::default()
                .with_level("DEFCOOP", "CONFIDENTIAL")
                .with_value("RELEASABLE-TO", "KOR")
                .with_value("RELEASABLE-TO", "POL")
                .with_value("COMPANY", "HANWHA"),
        );
        let all = s.snapshot(&insider, Parts::All).await.unwrap();
        assert!(all.systems.iter().any(|x| x.id == target));
        assert!(all.conformances.iter().any(|c| c.system == target));
        // Entities-only reads apply the same rules.
        let entities = s.snapshot(&outsider(), Parts::Entities).await.unwrap();
        assert_eq!(entities.systems, seen.systems);
        assert!(entities.conformances.is_empty());
    }

    pub async fn writer_must_satisfy_the_labels_it_writes(s: &Store) {
        import(s, &parse(DEMO)).await.unwrap();
        let before = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
        let text = r#"{"format": "defcoop-dataset", "version": 1,
          "nations": [{"code": "XXB", "name": "Secret",
             "label": {"policy": "DEFCOOP", "classification": "CONFIDENTIAL"}}]}"#;
        let low = Reader::Cleared(Clearance::default().with_level("DEFCOOP", "RESTRICTED"));
        let r = s
            .import(&parse(text), &Writer::new("low", low), Progress::NONE)
            .await;
        let p = problems(r);
        assert_eq!(
            p[0].to_string(),
            "$.nations[0].label: you may only write a label that you satisfy yourself"
        );
        let high = Reader::Cleared(Clearance::default().with_level("DEFCOOP", "CONFIDENTIAL"));
        s.import(&parse(text), &Writer::new("high", high), Progress::NONE)
            .await
            .unwrap();
        assert_eq!(
            s.snapshot(&Reader::Full, Parts::All)
                .await
                .unwrap()
                .nations
                .len(),
            before.nations.len() + 1
        );
    }

    pub async fn labels_must_name_known_policies_and_classifications(s: &Store) {
        let text = r#"{"format": "defcoop-dataset", "version": 1,
          "policies": [{"id": "DEFCOOP", "classifications": ["PUBLIC", "RESTRICTED"]}],
          "nations": [
            {"code": "AAA", "name": "A", "label": {"policy": "NATO", "classification": "PUBLIC"}},
            {"code": "BBB", "name": "B", "label": {"policy": "DEFCOOP", "classification": "SECRET"}}]}"#;
        let p = problems(import(s, &parse(text)).await);
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[0].to_string(),
            "$.nations[0].label: unknown policy \"NATO\""
        );
        assert!(p[1].to_string().starts_with(
            "$.nations[1].label: policy \"DEFCOOP\" has no classification \"SECRET\""
        ));
    }

    pub async fn a_policy_change_may_not_strand_stored_labels(s: &Store) {
        let text = r#"{"format": "defcoop-dataset", "version": 1,
          "policies": [{"id": "DEFCOOP", "classifications": ["PUBLIC", "RESTRICTED"]}],
          "nations": [{"code": "AAA", "name": "A", "label": {"policy": "DEFCOOP", "classification": "RESTRICTED"}}]}"#;
        import(s, &parse(text)).await.unwrap();
        let shrink = r#"{"format": "defcoop-dataset", "version": 1,
          "policies": [{"id": "DEFCOOP", "classifications": ["PUBLIC"]}]}"#;
        let p = problems(import(s, &parse(shrink)).await);
        assert_eq!(p.len(), 1);
        assert!(p[0].to_string().starts_with("nation \"AAA\" (stored), field label: policy \"DEFCOOP\" has no classification \"RESTRICTED\""), "{}", p[0]);
    }

    /// Two instances starting at once on a database nobody has migrated yet.
    pub async fn two_instances_opening_at_once_both_work(location: &str) {
        let (a, b, c) = tokio::join!(
            Store::open(location),
            Store::open(location),
            Store::open(location)
        );
        let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
        import(&a, &parse(DEMO)).await.unwrap();
        assert_eq!(
            json::to_string(&b.snapshot(&Reader::Full, Parts::All).await.unwrap()),
            DEMO
        );
        for s in [a, b, c] {
            s.close().await;
        }
    }

    /// Every write transaction moves the generation, in the same transaction; a read or a
    /// write that changes nothing does not.
    pub async fn generation_moves_with_every_write_and_only_then(s: &Store) {
        let g0 = s.generation().await.unwrap();
        import(s, &parse(DEMO)).await.unwrap();
        let g1 = s.generation().await.unwrap();
        assert!(g1 > g0);
        let (at, data) = s.snapshot_at(&Reader::Full, Parts::All).await.unwrap();
        assert_eq!((at, json::to_string(&data).as_str()), (g1, DEMO));
        import(s, &parse(DEMO)).await.unwrap();
        assert_eq!(s.generation().await.unwrap(), g1, "a no-op import");
        s.set_label(Kind::System, "k9", None, &Writer::operator())
            .await
            .unwrap();
        assert_eq!(s.generation().await.unwrap(), g1, "k9 had no label");
        let label: Label =
            serde_json::from_str(r#"{"policy": "DEFCOOP", "classification": "RESTRICTED"}"#)
                .unwrap();
        s.set_label(Kind::System, "k9", Some(label), &Writer::operator())
            .await
            .unwrap();
        assert!(s.generation().await.unwrap() > g1);
        // A refused import moves nothing.
        let g2 = s.generation().await.unwrap();
        let bad = r#"{"format": "defcoop-dataset", "version": 1,
          "systems": [{"id": "x", "name": "X", "category": "c", "origin": "NOPE"}]}"#;
        assert!(import(s, &parse(bad)).await.is_err());
        assert_eq!(s.generation().await.unwrap(), g2);
    }

    /// `write_with` computes its records from the writer's view inside the write transaction.
    pub async fn write_with_sees_the_writers_view(s: &Store) {
        import(s, &parse(DEMO)).await.unwrap();
        let anonymous = Reader::Cleared(Clearance::default());
        let full = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
        let mut seen = (0, 0);
        let out = s
            .write_with(&Writer::new("anonymous", anonymous), "test", |view| {
                seen = (view.gateways.len(), view.systems.len());
                Ok(Incoming::from_dataset(Dataset::default()))
            })
            .await
            .unwrap();
        assert_eq!(out.written, 0);
        assert!(
            seen.0 < full.gateways.len(),
            "the labelled gateway is hidden"
        );
        assert!(seen.1 < full.systems.len(), "the labelled system is hidden");
        // An error from the closure writes nothing and comes back as it is.
        let g = s.generation().await.unwrap();
        let err = s
            .write_with(&Writer::operator(), "test", |_| {
                Err(ImportError::NotFound("system \"zz\"".into()))
            })
            .await
            .unwrap_err();
        assert!(matches!(err, ImportError::NotFound(_)));
        assert_eq!(s.generation().await.unwrap(), g);
    }

    /// Fail closed: a label that cannot be found when its record is written is an error that
    /// aborts the whole import, never a public record. (`lose_every_new_label` has damaged the
    /// database first.)
    pub async fn a_label_lost_at_write_time_aborts_the_import(s: &Store) {
        let text = r#"{"format": "defcoop-dataset", "version": 1,
          "policies": [{"id": "DEFCOOP", "classifications": ["PUBLIC", "SECRET"]}],
          "nations": [{"code": "AAA", "name": "Hidden",
             "label": {"policy": "DEFCOOP", "classification": "SECRET"}}]}"#;
        match import(s, &parse(text)).await {
            Err(ImportError::Store(e)) => {
                assert!(e.to_string().contains("cannot be found"), "{e}")
            }
            Err(e) => panic!("expected a store error, got {e}"),
            Ok(_) => panic!("the import succeeded; the nation was written without its label"),
        }
        let public = Reader::Cleared(Clearance::default());
        assert!(s
            .snapshot(&public, Parts::All)
            .await
            .unwrap()
            .nations
            .is_empty());
        assert_eq!(
            s.snapshot(&Reader::Full, Parts::All).await.unwrap(),
            Dataset::default(),
            "nothing was written, the policy neither"
        );
    }

    pub async fn concurrent_imports_serialize(s: &Store) {
        let data = small();
        let incoming = Incoming::from_dataset(data.clone());
        let (x, y) = tokio::join!(import(s, &incoming), import(s, &incoming));
        let (x, y) = (x.unwrap(), y.unwrap());
        // One wrote everything, the other found it all in place.
        assert_eq!(x.written + y.written, data.len());
        assert_eq!(s.snapshot(&Reader::Full, Parts::All).await.unwrap(), data);
    }

    pub async fn writes_that_change_nothing_do_not_wait_for_the_write_lock(s: &Store) {
        import(s, &parse(DEMO)).await.unwrap();
        let lock = WriteLock::take(s).await;
        let again = without_waiting("a re-import", import(s, &parse(DEMO)))
            .await
            .unwrap();
        assert_eq!(again.written, 0);
        let same = without_waiting(
            "a label write to the same label",
            s.set_label(Kind::System, "k2", None, &Writer::operator()),
        )
        .await
        .unwrap();
        assert_eq!(same.written, 0);
        let nothing = without_waiting(
            "a computed write that computes nothing new",
            s.write_with(&Writer::operator(), "test", |view| {
                let k9 = view.systems.iter().find(|x| x.id == "k9").cloned();
                Ok(Incoming::from_dataset(Dataset {
                    systems: k9.into_iter().collect(),
                    ..Dataset::default()
                }))
            }),
        )
        .await
        .unwrap();
        assert_eq!(nothing.written, 0);
        // Refusals are decided on the read snapshot too.
        let missing = without_waiting(
            "a label write to a missing record",
            s.set_label(Kind::System, "no-such-system", None, &Writer::operator()),
        )
        .await;
        assert!(matches!(missing, Err(ImportError::NotFound(_))));
        let bad = r#"{"format": "defcoop-dataset", "version": 1,
          "nations": [{"code": "XXX", "name": "X", "label": {"policy": "NOPE", "classification": "A"}}]}"#;
        let p = problems(without_waiting("an invalid import", import(s, &parse(bad))).await);
        assert!(!p.is_empty());
        lock.release().await;
        // A real change still lands.
        let label = Label {
            policy: "DEFCOOP".into(),
            classification: "RESTRICTED".into(),
            categories: vec![],
        };
        let out = s
            .set_label(Kind::System, "k2", Some(label.clone()), &Writer::operator())
            .await
            .unwrap();
        assert_eq!(out.written, 1);
        let stored = s.snapshot(&Reader::Full, Parts::Entities).await.unwrap();
        assert_eq!(stored.label_of(Kind::System, "k2"), Some(Some(&label)));
    }

    /// Two writers plan the same change while a third holds the lock: the second to get the
    /// lock plans again against what the first wrote and writes nothing.
    pub async fn a_write_is_planned_again_under_the_lock(s: &Store) {
        import(s, &parse(DEMO)).await.unwrap();
        let label = Label {
            policy: "DEFCOOP".into(),
            classification: "RESTRICTED".into(),
            categories: vec![],
        };
        let lock = WriteLock::take(s).await;
        let write = || {
            let (s, label) = (s.clone(), label.clone());
            tokio::spawn(async move {
                s.set_label(Kind::System, "k2", Some(label), &Writer::operator())
                    .await
            })
        };
        let (a, b) = (write(), write());
        // Let both plan on the read snapshot and queue for the lock.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        lock.release().await;
        let a = a.await.unwrap().unwrap();
        let b = b.await.unwrap().unwrap();
        assert_eq!(
            a.written + b.written,
            1,
            "one wrote, the other found it done"
        );
        let stored = s.snapshot(&Reader::Full, Parts::Entities).await.unwrap();
        assert_eq!(stored.label_of(Kind::System, "k2"), Some(Some(&label)));
    }
}

mod cases_more {
    use super::*;

    /// A writer who may not see everything: validated against its own view (a hidden nation is
    /// "unknown" exactly like an absent one), refused a key a hidden record holds, and an update
    /// keeps the nested entries that name hidden records.
    pub async fn a_partial_writer_is_validated_against_its_view(s: &Store) {
        let base = r#"{"format": "defcoop-dataset", "version": 1,
          "policies": [{"id": "P", "classifications": ["PUBLIC", "SECRET"]}],
          "nations": [{"code": "KOR", "name": "Korea"}, {"code": "POL", "name": "Poland"},
            {"code": "ZZZ", "name": "Hidden", "label": {"policy": "P", "classification": "SECRET"}}],
          "systems": [{"id": "s", "name": "S", "category": "c", "origin": "KOR",
            "operators": [{"nation": "POL"}, {"nation": "ZZZ", "quantity": 3}]}]}"#;
        import(s, &parse(base)).await.unwrap();
        let writer = Writer::new(
            "writer",
            Reader::Cleared(Clearance::default().with_level("P", "PUBLIC")),
        );
        let try_import = |text: String| {
            let writer = writer.clone();
            async move { s.import(&parse(&text), &writer, Progress::NONE).await }
        };
        let system = |origin: &str| {
            format!(
                r#"{{"format": "defcoop-dataset", "version": 1,
                  "systems": [{{"id": "x", "name": "X", "category": "c", "origin": "{origin}"}}]}}"#
            )
        };
        let hidden = problems(try_import(system("ZZZ")).await);
        let absent = problems(try_import(system("QQQ")).await);
        let text = |p: &[Problem]| {
            p.iter()
                .map(|p| p.to_string().replace("ZZZ", "?").replace("QQQ", "?"))
                .collect::<Vec<_>>()
        };
        assert_eq!(text(&hidden), text(&absent), "hidden = absent");

        let g = s.generation().await.unwrap();
        let over = r#"{"format": "defcoop-dataset", "version": 1,
          "nations": [{"code": "ZZZ", "name": "Overwritten"}]}"#;
        let p = problems(try_import(over.to_string()).await);
        assert_eq!(p.len(), 1);
        assert!(p[0].to_string().contains("cannot be used"), "{}", p[0]);
        assert_eq!(s.generation().await.unwrap(), g, "nothing written");

        let rename = r#"{"format": "defcoop-dataset", "version": 1,
          "systems": [{"id": "s", "name": "S renamed", "category": "c", "origin": "KOR"}]}"#;
        assert_eq!(try_import(rename.to_string()).await.unwrap().written, 1);
        let stored = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
        let sys = &stored.systems[0];
        assert_eq!(sys.name, "S renamed");
        let ops: Vec<&str> = sys.operators.iter().map(|o| o.nation.as_str()).collect();
        assert_eq!(
            ops,
            ["ZZZ"],
            "the hidden operator is kept, the visible one removed"
        );
        assert_eq!(
            stored
                .nations
                .iter()
                .find(|n| n.code == "ZZZ")
                .unwrap()
                .name,
            "Hidden"
        );
    }

    /// Two imports of the same change queue behind a held write lock: the first writes; the
    /// second sees that the generation moved since it planned, plans again and finds nothing
    /// to do. (Reusing its first plan would write the records a second time.)
    pub async fn an_import_is_planned_again_when_someone_wrote_meanwhile(s: &Store) {
        import(s, &parse(DEMO)).await.unwrap();
        let add = r#"{"format": "defcoop-dataset", "version": 1,
          "nations": [{"code": "ZZZ", "name": "Zedland"}]}"#;
        let lock = WriteLock::take(s).await;
        let write = || {
            let s = s.clone();
            tokio::spawn(async move {
                s.import(&parse(add), &Writer::operator(), Progress::NONE)
                    .await
            })
        };
        let (a, b) = (write(), write());
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        lock.release().await;
        let a = a.await.unwrap().unwrap();
        let b = b.await.unwrap().unwrap();
        assert_eq!(
            a.written + b.written,
            1,
            "one wrote, the other found it done"
        );
        let g = s.generation().await.unwrap();
        // Nobody in between: the plan made on the read snapshot is written as it is.
        let more = r#"{"format": "defcoop-dataset", "version": 1,
          "nations": [{"code": "ZZY", "name": "Zedland Two"}]}"#;
        assert_eq!(import(s, &parse(more)).await.unwrap().written, 1);
        assert_eq!(s.generation().await.unwrap(), g + 1);
    }
}

#[path = "store_cases/accounts.rs"]
mod cases_accounts;
#[path = "cases/merge.rs"]
mod cases_merge;
#[path = "store_cases/workspace.rs"]
mod cases_workspace;
#[path = "store_cases/tamper.rs"]
mod tamper;
use tamper::{lose_every_new_label, raw_sql};

mod cases_all {
    pub use super::cases::*;
    pub use super::cases_accounts::*;
    pub use super::cases_merge::*;
    pub use super::cases_more::*;
    pub use super::cases_workspace::*;
}

macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let fresh = super::Fresh::sqlite().await;
                    super::cases_all::$name(&fresh.store).await;
                    fresh.finish().await;
                }
            )*

            #[tokio::test]
            async fn a_changed_audit_entry_is_found() {
                let fresh = super::Fresh::sqlite().await;
                super::cases_accounts::a_changed_audit_entry_is_found(&fresh.store, &fresh.location).await;
                fresh.finish().await;
            }

            #[tokio::test]
            async fn tokens_made_before_scopes_are_api_tokens() {
                let fresh = super::Fresh::sqlite().await;
                super::cases_accounts::tokens_made_before_scopes_are_api_tokens(&fresh.store, &fresh.location).await;
                fresh.finish().await;
            }

            #[tokio::test]
            async fn a_label_lost_at_write_time_aborts_the_import() {
                let fresh = super::Fresh::sqlite().await;
                super::lose_every_new_label(&fresh.location).await;
                super::cases::a_label_lost_at_write_time_aborts_the_import(&fresh.store).await;
                fresh.finish().await;
            }

            #[tokio::test]
            async fn two_instances_opening_at_once_both_work() {
                let dir = tempfile::tempdir().expect("temp dir");
                let location = dir.path().join("race.db").display().to_string();
                super::cases::two_instances_opening_at_once_both_work(&location).await;
            }
        }

        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let fresh = super::Fresh::postgres().await;
                    super::cases_all::$name(&fresh.store).await;
                    fresh.finish().await;
                }
            )*

            #[tokio::test]
            async fn a_changed_audit_entry_is_found() {
                let fresh = super::Fresh::postgres().await;
                super::cases_accounts::a_changed_audit_entry_is_found(&fresh.store, &fresh.location).await;
                fresh.finish().await;
            }

            #[tokio::test]
            async fn tokens_made_before_scopes_are_api_tokens() {
                let fresh = super::Fresh::postgres().await;
                super::cases_accounts::tokens_made_before_scopes_are_api_tokens(&fresh.store, &fresh.location).await;
                fresh.finish().await;
            }

            #[tokio::test]
            async fn a_label_lost_at_write_time_aborts_the_import() {
                let fresh = super::Fresh::postgres().await;
                super::lose_every_new_label(&fresh.location).await;
                super::cases::a_label_lost_at_write_time_aborts_the_import(&fresh.store).await;
                fresh.finish().await;
            }

            #[tokio::test]
            async fn two_instances_opening_at_once_both_work() {
                let (admin, name, location) = super::Fresh::empty_postgres_database().await;
                super::cases::two_instances_opening_at_once_both_work(&location).await;
                super::Fresh::drop_postgres_database(&admin, &name).await;
            }
        }
    };
}

suite!(
    new_database_is_empty,
    demo_export_import_export_is_byte_identical,
    synth_roundtrips_every_field,
    catalogues_and_transfers_roundtrip_every_field,
    set_label_checks_the_writer_and_keeps_what_it_cannot_see,
    reimport_changes_nothing,
    updates_replace_records_and_their_lists,
    invalid_import_changes_nothing_and_reports_everything,
    references_may_point_at_stored_records,
    duplicates_in_one_file_are_refused,
    reads_hide_what_the_reader_may_not_see,
    writer_must_satisfy_the_labels_it_writes,
    labels_must_name_known_policies_and_classifications,
    a_policy_change_may_not_strand_stored_labels,
    concurrent_imports_serialize,
    writes_that_change_nothing_do_not_wait_for_the_write_lock,
    a_write_is_planned_again_under_the_lock,
    generation_moves_with_every_write_and_only_then,
    write_with_sees_the_writers_view,
    an_import_is_planned_again_when_someone_wrote_meanwhile,
    a_partial_writer_is_validated_against_its_view,
    users_are_added_once_changed_and_audited,
    tokens_are_found_by_hash_listed_and_revoked,
    sessions_start_replace_and_end_everywhere,
    sign_in_failures_count_per_key_and_expire,
    the_first_admin_needs_a_valid_setup_link_once,
    registry_writes_join_the_audit_chain,
    merging_systems_keeps_everything_in_one_write,
    deleting_a_record_refuses_while_others_refer_to_it,
    identity_providers_are_registered_once_audited_and_removed,
    identities_link_only_under_registered_issuers,
    sign_ins_under_way_are_taken_once_and_expire,
    workspace_roundtrips_and_hides_by_label_and_role,
    workspace_rules_hold_in_the_store,
    a_partial_writer_keeps_the_workspace_entries_it_cannot_see,
    users_keep_the_person_they_are,
    token_scopes_are_kept_and_feeds_revoked_like_tokens,
);
