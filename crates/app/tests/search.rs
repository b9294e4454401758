//! Search: Korean names and spellings of designations are found, answers are grouped and
//! bounded, bad queries are clear 400s, and records the reader may not see are never found,
//! never counted and never change the visible hits' order or scores.

use defcoop_app::search::{MAX_QUERY_CHARS, MAX_TERMS};
use defcoop_app::{Actor, App, AppError, SearchAnswer, SearchOptions};
use defcoop_domain::{json, Clearance, Reader};
use defcoop_store::{Progress, Store, Writer};

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

/// Records hidden from a KOR RESTRICTED reader (CONFIDENTIAL, or releasable to POL only), of
/// several kinds, sharing words with visible records so that indexing them would move the
/// visible records' scores.
const HIDDEN: &str = r#"{"format": "defcoop-dataset", "version": 1,
  "nations": [{"code": "XHN", "name": "Hiddenland Korea",
     "label": {"policy": "DEFCOOP", "classification": "CONFIDENTIAL"}}],
  "organizations": [{"id": "hidden-corp", "name": "Hanwha Hidden Works", "kind": "company",
     "nation": "KOR", "label": {"policy": "DEFCOOP", "classification": "CONFIDENTIAL"}}],
  "people": [{"id": "hidden-aide", "name": "Seok Jong-gun Aide", "name_native": "석종건 보좌관",
     "organization": "dapa", "title": "Minister's aide",
     "label": {"policy": "DEFCOOP", "classification": "CONFIDENTIAL"}}],
  "systems": [
    {"id": "k9-thunder-x", "name": "K9 Thunder X (천무 K239 howitzer)", "aliases": ["K-9X"],
     "category": "self-propelled-howitzer", "origin": "KOR", "operators": [],
     "label": {"policy": "DEFCOOP", "classification": "CONFIDENTIAL"}},
    {"id": "k9-pol", "name": "K9 Thunder for Poland", "category": "self-propelled-howitzer",
     "origin": "KOR", "operators": [],
     "label": {"policy": "DEFCOOP", "classification": "RESTRICTED",
       "categories": [{"type": "permissive", "name": "RELEASABLE-TO", "values": ["POL"]}]}}
  ],
  "transfers": [
    {"id": "t-hid-1", "supplier": "KOR", "recipient": "POL", "system": "k9",
     "designation": "K9 Thunder howitzer", "category": "artillery",
     "deliveries": [{"year": 2023, "number": 50, "tiv": 400}],
     "label": {"policy": "DEFCOOP", "classification": "CONFIDENTIAL"}}
  ]}"#;

async fn app(extra: &[&str]) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db").display().to_string())
        .await
        .unwrap();
    for text in std::iter::once(&DEMO).chain(extra) {
        store
            .import(
                &json::parse(text.as_bytes()).unwrap(),
                &Writer::operator(),
                Progress::NONE,
            )
            .await
            .unwrap();
    }
    (App::cached(store).await.unwrap(), dir)
}

fn kor_restricted() -> Actor {
    Actor::reading_as(
        "kor",
        Reader::Cleared(
            Clearance::default()
                .with_level("DEFCOOP", "RESTRICTED")
                .with_value("RELEASABLE-TO", "KOR"),
        ),
    )
}

async fn search(app: &App, actor: &Actor, q: &str) -> SearchAnswer {
    app.search(actor, q, &SearchOptions::default())
        .await
        .unwrap()
}

fn of_kind(kind: &str) -> SearchOptions {
    SearchOptions {
        kind: Some(kind.into()),
        ..Default::default()
    }
}

/// The first hit of a kind.
fn first(a: &SearchAnswer, kind: &str) -> Option<String> {
    a.groups
        .iter()
        .find(|g| g.kind == kind)
        .and_then(|g| g.hits.first())
        .map(|h| h.key.clone())
}

#[tokio::test]
async fn a_korean_name_finds_the_person() {
    let (app, _dir) = app(&[]).await;
    let me = kor_restricted();
    for q in ["석종건", "석종", "종건", "Seok Jong-gun", "jonggun", "seok"] {
        let a = search(&app, &me, q).await;
        assert_eq!(first(&a, "people").as_deref(), Some("seok-jong-gun"), "{q}");
    }
    let a = search(&app, &me, "석종건").await;
    let hit = &a.groups[0].hits[0];
    assert_eq!(hit.title, "Seok Jong-gun (석종건)");
    assert_eq!(hit.url, "/people/seok-jong-gun");
    assert!(hit.subtitle.contains("Minister"), "{}", hit.subtitle);
    // A lone character finds the bigrams it starts, and suggestions complete it.
    let a = search(&app, &me, "석").await;
    assert_eq!(first(&a, "people").as_deref(), Some("seok-jong-gun"));
    let s = app.suggest(&me, "석종", None).await.unwrap();
    assert_eq!(s.suggestions[0].key, "seok-jong-gun");
}

#[tokio::test]
async fn designations_are_found_however_they_are_spelled() {
    let (app, _dir) = app(&[]).await;
    let me = kor_restricted();
    for q in [
        "K9",
        "k9",
        "k-9",
        "K 9",
        "K9 Thunder",
        "thunder",
        "K-9 155mm",
    ] {
        let a = search(&app, &me, q).await;
        assert_eq!(first(&a, "systems").as_deref(), Some("k9"), "{q}");
        assert_eq!(a.groups[0].kind, "systems", "{q}: systems first");
    }
    for q in ["K239", "k-239", "chunmoo", "Homar-K", "homark"] {
        let a = search(&app, &me, q).await;
        assert_eq!(first(&a, "systems").as_deref(), Some("k239-chunmoo"), "{q}");
    }
    let a = search(&app, &me, "PzH-2000").await;
    assert_eq!(first(&a, "systems").as_deref(), Some("pzh-2000"));
    let a = search(&app, &me, "stanag 4425").await;
    assert_eq!(first(&a, "standards").as_deref(), Some("STANAG-4425"));
    // Suggestions complete the word being typed.
    for typed in ["K9 Thu", "k-9", "Thund", "chun", "k23"] {
        let s = app.suggest(&me, typed, None).await.unwrap();
        assert!(s
            .suggestions
            .iter()
            .all(|h| h.kind != "conformances" && h.kind != "transfers"));
        assert!(
            s.suggestions
                .iter()
                .any(|h| h.key == "k9" || h.key == "k239-chunmoo"),
            "{typed}: {:?}",
            s.suggestions
        );
    }
}

#[tokio::test]
async fn answers_are_grouped_by_kind_and_paged() {
    let (app, _dir) = app(&[]).await;
    let op = Actor::operator();
    let a = search(&app, &op, "korea").await;
    assert!(a.groups.len() >= 2, "{a:?}");
    assert_eq!(a.total, a.groups.iter().map(|g| g.total).sum::<usize>());
    for g in &a.groups {
        assert!(g.hits.len() <= 5 && g.hits.len() <= g.total);
        assert!(g.hits.iter().all(|h| h.kind == g.kind));
        assert!(g.hits.windows(2).all(|w| w[0].score >= w[1].score));
    }
    let systems = a.groups.iter().find(|g| g.kind == "systems").unwrap();
    assert!(systems.total > 5, "Korean systems: {}", systems.total);
    // One kind, page by page: the pages follow each other.
    let all = app
        .search(
            &op,
            "korea",
            &SearchOptions {
                limit: Some("50".into()),
                ..of_kind("systems")
            },
        )
        .await
        .unwrap();
    assert_eq!(all.groups.len(), 1);
    assert_eq!(all.groups[0].total, systems.total);
    let keys: Vec<&str> = all.groups[0].hits.iter().map(|h| h.key.as_str()).collect();
    let page = |n: &str| SearchOptions {
        page: Some(n.into()),
        limit: Some("3".into()),
        ..of_kind("system")
    };
    let p1 = app.search(&op, "korea", &page("1")).await.unwrap();
    let p2 = app.search(&op, "korea", &page("2")).await.unwrap();
    let paged: Vec<&str> = p1.groups[0]
        .hits
        .iter()
        .chain(&p2.groups[0].hits)
        .map(|h| h.key.as_str())
        .collect();
    assert_eq!(paged, keys[..6.min(keys.len())]);
    // Past the end: the total, no hits.
    let far = app.search(&op, "korea", &page("999")).await.unwrap();
    assert_eq!(far.groups[0].total, systems.total);
    assert!(far.groups[0].hits.is_empty());
    // The banner covers what matched: FA-50PL is releasable to KOR and POL.
    let a = search(&app, &op, "FA-50PL").await;
    let banner = a.banner.expect("a labelled record matched");
    assert!(banner.contains("RELEASABLE-TO"), "{banner}");
    let hit = &a.groups[0].hits[0];
    assert_eq!(hit.key, "fa-50pl");
    assert!(hit.marking.as_deref().unwrap_or("").contains("POL"));
    // Conformances have their two-part URL.
    let a = app
        .search(&op, "k9 stanag-4425", &of_kind("conformances"))
        .await
        .unwrap();
    assert_eq!(a.groups[0].hits[0].url, "/conformances/k9/STANAG-4425");
}

#[tokio::test]
async fn bad_queries_are_clear_errors_and_odd_ones_are_no_errors() {
    let (app, _dir) = app(&[]).await;
    let me = kor_restricted();
    let bad = |e: AppError| match e {
        AppError::BadRequest(m) => m,
        e => panic!("not a bad request: {e}"),
    };
    let long = "k".repeat(MAX_QUERY_CHARS + 1);
    let e = app.search(&me, &long, &SearchOptions::default()).await;
    assert!(bad(e.unwrap_err()).starts_with("q:"));
    let words = vec!["k9"; MAX_TERMS + 1].join(" ");
    let e = app.search(&me, &words, &SearchOptions::default()).await;
    assert!(bad(e.unwrap_err()).starts_with("q:"));
    let e = app.suggest(&me, &long, None).await;
    assert!(bad(e.unwrap_err()).starts_with("q:"));
    for (options, field) in [
        (of_kind("widgets"), "kind:"),
        (
            SearchOptions {
                page: Some("0".into()),
                ..of_kind("systems")
            },
            "page:",
        ),
        (
            SearchOptions {
                page: Some("2".into()),
                ..Default::default()
            },
            "page:",
        ),
        (
            SearchOptions {
                limit: Some("x".into()),
                ..Default::default()
            },
            "limit:",
        ),
        (
            SearchOptions {
                limit: Some("51".into()),
                ..Default::default()
            },
            "limit:",
        ),
    ] {
        let e = app.search(&me, "k9", &options).await.unwrap_err();
        assert!(bad(e).starts_with(field), "{options:?}");
    }
    let e = app.suggest(&me, "k9", Some("0")).await.unwrap_err();
    assert!(bad(e).starts_with("limit:"));
    // Punctuation only, empty, and tantivy's own query syntax: answers, not errors.
    for q in [
        "",
        "   ",
        "!!! --- ///",
        "title:k9 AND (",
        "\"k9",
        "*",
        "k9^100",
        "~",
    ] {
        let a = search(&app, &me, q).await;
        assert!(a
            .groups
            .iter()
            .all(|g| g.kind != "policies" || q.contains("k9")));
        let _ = app.suggest(&me, q, None).await.unwrap();
    }
    assert!(search(&app, &me, "!!! ---").await.groups.is_empty());
    let a = search(&app, &me, "title:k9 AND (").await;
    assert!(
        a.groups.is_empty(),
        "every word must match: 'title' and 'and' do not"
    );
}

/// Queries that touch the hidden records' words.
const QUERIES: &[&str] = &[
    "k9",
    "K9 Thunder",
    "thunder",
    "howitzer",
    "self propelled howitzer",
    "석종건",
    "석",
    "천무",
    "k239",
    "hanwha",
    "korea",
    "poland",
    "hidden",
    "seok",
    "minister",
    "k-9",
    "2023",
];

#[tokio::test]
async fn hidden_records_are_never_found_counted_or_felt() {
    let (plain, _d1) = app(&[]).await;
    let (more, _d2) = app(&[HIDDEN]).await;
    let me = kor_restricted();
    for q in QUERIES {
        for options in [
            SearchOptions::default(),
            of_kind("systems"),
            of_kind("people"),
        ] {
            let a = plain.search(&me, q, &options).await.unwrap();
            let b = more.search(&me, q, &options).await.unwrap();
            assert_eq!(a, b, "{q} {options:?}: the hidden records are felt");
            let json = serde_json::to_string(&b).unwrap();
            for hidden in [
                "XHN",
                "hidden-corp",
                "hidden-aide",
                "k9-thunder-x",
                "k9-pol",
                "t-hid-1",
            ] {
                assert!(!json.contains(hidden), "{q}: {hidden} is found");
            }
        }
        let a = plain.suggest(&me, q, Some("20")).await.unwrap();
        let b = more.suggest(&me, q, Some("20")).await.unwrap();
        assert_eq!(a, b, "{q}: suggestions feel the hidden records");
    }
    // The test has teeth: whoever may read them finds them, and their answers differ.
    let op = Actor::operator();
    let a = search(&plain, &op, "K9 Thunder").await;
    let b = search(&more, &op, "K9 Thunder").await;
    assert_ne!(a, b);
    assert!(serde_json::to_string(&b).unwrap().contains("k9-thunder-x"));
    assert_eq!(
        first(&search(&more, &op, "석종건 보좌관").await, "people").as_deref(),
        Some("hidden-aide")
    );
    // A POL reader sees one hidden system (k9-pol) and not the others.
    let pol = Actor::reading_as(
        "pol",
        Reader::Cleared(
            Clearance::default()
                .with_level("DEFCOOP", "RESTRICTED")
                .with_value("RELEASABLE-TO", "POL"),
        ),
    );
    let a = more
        .search(&pol, "k9 thunder", &of_kind("systems"))
        .await
        .unwrap();
    let keys: Vec<&str> = a.groups[0].hits.iter().map(|h| h.key.as_str()).collect();
    assert!(
        keys.contains(&"k9-pol") && !keys.contains(&"k9-thunder-x"),
        "{keys:?}"
    );
    assert!(a.banner.unwrap().contains("POL"));
}

#[tokio::test]
async fn a_write_is_found_and_searched_views_come_with_their_index() {
    let (app, _dir) = app(&[]).await;
    let me = kor_restricted();
    assert!(search(&app, &me, "Zedland").await.groups.is_empty());
    let add = r#"{"format": "defcoop-dataset", "version": 1,
        "nations": [{"code": "ZZZ", "name": "Zedland"}]}"#;
    app.import(
        &Actor::operator(),
        &json::parse(add.as_bytes()).unwrap(),
        Progress::NONE,
    )
    .await
    .unwrap();
    let model = app.read_model().unwrap();
    assert!(
        model.current().view(me.reader()).search_built(),
        "the refreshed view was indexed before it was swapped in"
    );
    assert_eq!(
        first(&search(&app, &me, "zedland").await, "nations").as_deref(),
        Some("ZZZ")
    );
}
