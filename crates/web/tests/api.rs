//! API tests: the real app on port 0 with a fresh SQLite database.

use defcoop_app::{Actor, App};
use defcoop_domain::{json, Label, Reader};
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::Application;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

struct TestApp {
    base: String,
    store: Store,
    app: App,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn spawn_app(with_demo: bool) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("web.db").display().to_string())
        .await
        .expect("open store");
    if with_demo {
        let incoming = json::parse(DEMO.as_bytes()).expect("demo parses");
        store
            .import(&incoming, &Writer::operator(), Progress::NONE)
            .await
            .expect("demo imports");
    }
    let cached = App::cached(store.clone()).await.expect("cache");
    // An uncleared reader (what these tests check is rendering and what labels hide); signing
    // in is tested in accounts.rs.
    let app = Application::build(cached.clone(), "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind")
        .reading_as(Reader::Cleared(Default::default()));
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        base,
        store,
        app: cached,
        client: reqwest::Client::new(),
        _dir: dir,
    }
}

impl TestApp {
    async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        (r.status().as_u16(), r.text().await.expect("body"))
    }
}

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app(false).await;
    assert_eq!(app.get("/healthz").await, (200, "ok\n".to_string()));
    assert_eq!(app.get("/readyz").await, (200, "ready\n".to_string()));
    app.store.close().await;
    assert_eq!(app.get("/healthz").await.0, 200);
    assert_eq!(
        app.get("/readyz").await,
        (503, "database unavailable\n".to_string())
    );
}

#[tokio::test]
async fn overview_lists_visible_systems_and_standards() {
    let app = spawn_app(true).await;
    let (status, page) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("id=\"system-k9\""), "unlabelled system shown");
    assert!(page.contains("K2 Black Panther"));
    assert!(page.contains("id=\"standard-STANAG-5516\""));
    // The FA-50PL is releasable to KOR and POL only: an anonymous reader must not learn of it,
    // not even through the Link 16 user count.
    assert!(!page.contains("fa-50pl"), "labelled system hidden");
    assert!(!page.contains("FA-50PL"));
    let data = app
        .store
        .snapshot(&Reader::Full, defcoop_store::Parts::All)
        .await
        .expect("snapshot");
    let visible_link16_users = data
        .conformances
        .iter()
        .filter(|c| c.standard == "STANAG-5516" && c.system != "fa-50pl")
        .count();
    let row_start = page.find("id=\"standard-STANAG-5516\"").expect("row");
    let row = &page[row_start..row_start + page[row_start..].find("</tr>").expect("row end")];
    assert!(
        row.contains(&format!("<td>{visible_link16_users}</td>")),
        "count excludes hidden records: {row}"
    );
}

#[tokio::test]
async fn korean_by_query_or_accept_language() {
    let app = spawn_app(true).await;
    let (_, page) = app.get("/?lang=ko").await;
    assert!(page.contains("<html lang=\"ko\">"));
    assert!(page.contains("무기체계"));
    let page = app
        .client
        .get(format!("{}/", app.base))
        .header("accept-language", "ko-KR,ko;q=0.9,en;q=0.8")
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    assert!(page.contains("<html lang=\"ko\">"));
    let (_, page) = app.get("/?lang=en").await;
    assert!(page.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn empty_registry_says_how_to_fill_it() {
    let app = spawn_app(false).await;
    let (status, page) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(page.contains("defcoop import FILE"));
}

#[tokio::test]
async fn text_is_escaped() {
    let app = spawn_app(false).await;
    let evil = r#"{"format": "defcoop-dataset", "version": 1,
      "nations": [{"code": "KOR", "name": "Korea"}],
      "systems": [{"id": "x", "name": "<script>alert(1)</script>", "category": "uav", "origin": "KOR"}]}"#;
    let incoming = json::parse(evil.as_bytes()).expect("parses");
    app.app
        .import(&Actor::operator(), &incoming, Progress::NONE)
        .await
        .expect("imports");
    let (_, page) = app.get("/").await;
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&#60;script&#62;") || page.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let app = spawn_app(false).await;
    assert_eq!(app.get("/nope").await.0, 404);
}

/// Two visible transfers and one whose label the anonymous reader does not satisfy.
const TRANSFERS: &str = r#"{
  "format": "defcoop-dataset", "version": 1,
  "policies": [{"id": "DEFCOOP", "classifications": ["PUBLIC", "RESTRICTED"]}],
  "nations": [{"code": "KOR", "name": "South Korea"}, {"code": "POL", "name": "Poland"}],
  "transfers": [
    {"id": "sipri-1", "sipri_id": 1, "supplier": "KOR", "recipient": "POL", "designation": "K-2",
     "description": "tank", "category": "armoured-vehicles", "ordered": 2022,
     "deliveries": [{"year": 2022, "number": 10, "tiv": 47.5}, {"year": 2023, "number": 46, "tiv": 218.5}],
     "sources": [{"title": "SIPRI Arms Transfers Database", "url": "https://www.sipri.org/databases/armstransfers"}]},
    {"id": "sipri-2", "sipri_id": 2, "supplier": "unknown supplier(s)", "supplier_kind": "unknown",
     "recipient": "HoR (Libya)*", "recipient_kind": "non-state", "designation": "Mi-24P & <co>", "category": "aircraft",
     "deliveries": [{"year": 2015, "number": 4, "tiv": 14.4}]},
    {"id": "sipri-3", "sipri_id": 3, "supplier": "KOR", "recipient": "POL", "designation": "Secret thing",
     "category": "missiles", "label": {"policy": "DEFCOOP", "classification": "RESTRICTED"},
     "deliveries": [{"year": 2023, "number": 1, "tiv": 1000}]}
  ]
}"#;

async fn spawn_with_transfers() -> TestApp {
    let app = spawn_app(false).await;
    let incoming = json::parse(TRANSFERS.as_bytes()).expect("parses");
    app.app
        .import(&Actor::operator(), &incoming, Progress::NONE)
        .await
        .expect("imports");
    app
}

#[tokio::test]
async fn transfers_api_lists_filters_and_hides() {
    let app = spawn_with_transfers().await;
    let (status, body) = app.get("/api/v1/transfers").await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["total"], 2,
        "the labelled transfer is neither listed nor counted: {body}"
    );
    assert!(!body.contains("Secret"));
    assert_eq!(v["transfers"][0]["deliveries"][1]["tiv"], 218.5);

    let (_, body) = app
        .get("/api/v1/transfers?supplier=KOR&from=2023&to=2023")
        .await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["total"], 1, "{body}");
    let (_, body) = app.get("/api/v1/transfers?recipient=POL&to=2021").await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["total"],
        0
    );
    let (_, body) = app.get("/api/v1/transfers?limit=1&offset=1").await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (v["total"].as_u64(), v["transfers"][0]["id"].as_str()),
        (Some(2), Some("sipri-2"))
    );

    let (status, body) = app.get("/api/v1/transfers/sipri-1").await;
    assert_eq!(status, 200);
    assert!(body.contains("\"K-2\""));
    // Hidden and absent answer the same.
    let hidden = app.get("/api/v1/transfers/sipri-3").await;
    let absent = app.get("/api/v1/transfers/sipri-9").await;
    assert_eq!(hidden.0, 404);
    assert_eq!(absent.0, 404);
    assert_eq!(
        hidden.1.replace("sipri-3", "X"),
        absent.1.replace("sipri-9", "X")
    );

    for bad in [
        "/api/v1/transfers?from=20x5",
        "/api/v1/transfers?from=2025&to=2020",
        "/api/v1/transfers?limit=0",
        // An empty number is a mistake in a program (the page's form may send one).
        "/api/v1/transfers?limit=",
        "/api/v1/transfers?offset=%20",
        "/api/v1/transfers?offset=4294967296",
    ] {
        let (status, body) = app.get(bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body.contains("\"error\""), "{body}");
    }
}

#[tokio::test]
async fn transfers_page_in_both_languages() {
    let app = spawn_with_transfers().await;
    let (status, body) = app.get("/transfers?supplier=KOR").await;
    assert_eq!(status, 200);
    assert!(body.contains("South Korea") && body.contains("Poland") && body.contains("K-2"));
    assert!(body.contains("266.0"), "TIV delivered, summed: {body}");
    assert!(!body.contains("Secret"));
    assert!(body.contains("sipri.org"), "the source is credited");
    let (_, body) = app.get("/transfers?lang=ko").await;
    assert!(body.contains("무기 이전"));
    assert!(
        body.contains("Mi-24P &#38; &#60;co&#62;") && !body.contains("<co>"),
        "escaped: {body}"
    );
    let (status, body) = app.get("/transfers?from=abc").await;
    assert_eq!(status, 200);
    assert!(body.contains("is not a number"), "{body}");
}

#[tokio::test]
async fn labels_per_record_as_json_or_stanag_4774() {
    // Anonymous: unlabelled records show a null label; labelled ones are not found.
    let app = spawn_app(true).await;
    let (status, body) = app.get("/api/v1/labels/system/k9").await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["label"], serde_json::Value::Null);
    let hidden = app.get("/api/v1/labels/systems/fa-50pl").await;
    let absent = app.get("/api/v1/labels/systems/nope").await;
    assert_eq!((hidden.0, absent.0), (404, 404));
    assert_eq!(
        hidden.1.replace("fa-50pl", "X"),
        absent.1.replace("nope", "X"),
        "hidden and absent are indistinguishable"
    );
    assert_eq!(app.get("/api/v1/labels/widgets/k9").await.0, 404);
    assert_eq!(app.get("/api/v1/labels/system/k9?format=pdf").await.0, 400);

    // A reader cleared for the demo's labels sees them, in both forms.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("l.db").display().to_string())
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
    let cleared = defcoop_domain::Clearance::default()
        .with_level("DEFCOOP", "CONFIDENTIAL")
        .with_value("RELEASABLE-TO", "KOR")
        .with_value("COMPANY", "HANWHA");
    let app = Application::build(
        App::cached(store).await.expect("cache"),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
    .reading_as(Reader::Cleared(cleared));
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::new();
    let r = client
        .get(format!("{base}/api/v1/labels/systems/fa-50pl"))
        .header("Accept", "application/xml")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap_or("").starts_with("application/xml")));
    let xml = r.text().await.unwrap();
    let label = defcoop_domain::stanag4774::label_from_xml("api", xml.as_bytes()).unwrap();
    let body = client
        .get(format!("{base}/api/v1/labels/system/fa-50pl"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        json["label"],
        serde_json::to_value(&label).unwrap(),
        "XML and JSON agree"
    );
    let r = client
        .get(format!("{base}/api/v1/labels/system/k9?format=stanag4774"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        404,
        "an unlabelled record has no 4774 label"
    );
    let r = client
        .get(format!(
            "{base}/api/v1/labels/conformance/k9/STANAG-4425?format=stanag4774"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        200,
        "conformance keys are SYSTEM/STANDARD"
    );
}

#[tokio::test]
async fn labels_are_written_per_record_as_json_or_stanag_4774() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("w.db").display().to_string())
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
    let kor_reader = defcoop_domain::Clearance::default()
        .with_level("DEFCOOP", "RESTRICTED")
        .with_value("RELEASABLE-TO", "KOR");
    let app = Application::build(
        App::cached(store.clone()).await.expect("cache"),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
    .acting_as(Reader::Cleared(kor_reader));
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::new();
    let put = |body: String, xml: bool| {
        let content_type = if xml {
            "application/xml"
        } else {
            "application/json"
        };
        client
            .put(format!("{base}/api/v1/labels/system/k2"))
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };
    let label = Label {
        policy: "DEFCOOP".into(),
        classification: "RESTRICTED".into(),
        categories: vec![defcoop_domain::label::Category {
            kind: defcoop_domain::label::CategoryKind::Permissive,
            name: "RELEASABLE-TO".into(),
            values: vec!["KOR".into(), "POL".into()],
        }],
    };
    let xml = defcoop_domain::stanag4774::label_to_xml(&label);
    let r = put(xml.clone(), true).await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
    let stored = store
        .snapshot(&Reader::Full, defcoop_store::Parts::Entities)
        .await
        .unwrap();
    assert_eq!(
        stored.label_of(defcoop_domain::Kind::System, "k2"),
        Some(Some(&label))
    );
    // The same again changes nothing; null removes it.
    let r = put(xml, true).await.unwrap();
    assert_eq!(r.text().await.unwrap(), r#"{"written":0}"#);
    let r = put(r#"{"label": null}"#.into(), false).await.unwrap();
    assert_eq!(r.text().await.unwrap(), r#"{"written":1}"#);

    // A label the reader does not satisfy (CONFIDENTIAL) is refused with the reason.
    let mut secret = label.clone();
    secret.classification = "CONFIDENTIAL".into();
    let r = put(serde_json::json!({"label": secret}).to_string(), false)
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("satisfy"));
    // Malformed XML and malformed JSON are 400 with a message.
    let r = put("<ConfidentialityLabel xmlns:4774=\"x\"/>".into(), true)
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("4774"));
    let r = put(r#"{"lable": null}"#.into(), false).await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    // A record the reader cannot see is not found.
    let r = client
        .put(format!("{base}/api/v1/labels/conformance/k9/STANAG-4425"))
        .header("Content-Type", "application/json")
        .body(r#"{"label": null}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}
