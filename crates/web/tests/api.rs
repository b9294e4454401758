//! API tests: the real app on port 0 with a fresh SQLite database.

use defcoop_domain::{json, Reader};
use defcoop_store::{Progress, Store};
use defcoop_web::Application;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

struct TestApp {
    base: String,
    store: Store,
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
            .import(&incoming, &Reader::Full, Progress::NONE)
            .await
            .expect("demo imports");
    }
    let app = Application::build(store.clone(), "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        base,
        store,
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
    app.store
        .import(&incoming, &Reader::Full, Progress::NONE)
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
