//! Search over HTTP: the page, the JSON answer, suggestions and their script, as a reader
//! and as an attacker would ask them.

use defcoop_app::App;
use defcoop_domain::{json, Clearance, Reader};
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::Application;
use serde_json::Value;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

struct Served {
    base: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// The demo served as `reader` (or, without one, to signed-in users only).
async fn serve(reader: Option<Reader>) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("search.db").display().to_string())
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
    let app = App::cached(store).await.unwrap();
    let mut server = Application::build(app, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    if let Some(r) = reader {
        server = server.reading_as(r);
    }
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until(std::future::pending()));
    Served {
        base,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        _dir: dir,
    }
}

fn kor() -> Reader {
    Reader::Cleared(
        Clearance::default()
            .with_level("DEFCOOP", "RESTRICTED")
            .with_value("RELEASABLE-TO", "KOR"),
    )
}

fn uncleared() -> Reader {
    Reader::Cleared(Clearance::default())
}

impl Served {
    async fn get(&self, path: &str) -> (u16, String, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let kind = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, kind, r.text().await.unwrap())
    }

    async fn json(&self, path: &str) -> (u16, Value) {
        let (status, kind, body) = self.get(path).await;
        assert!(kind.starts_with("application/json"), "{path}: {kind}");
        (status, serde_json::from_str(&body).unwrap())
    }
}

fn keys(answer: &Value, kind: &str) -> Vec<String> {
    answer["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == kind)
        .flat_map(|g| g["hits"].as_array().unwrap())
        .map(|h| h["key"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_api_finds_korean_names_and_designations() {
    let s = serve(Some(kor())).await;
    let (status, a) = s.json("/api/v1/search?q=%EC%84%9D%EC%A2%85%EA%B1%B4").await;
    assert_eq!(status, 200);
    assert_eq!(keys(&a, "people"), ["seok-jong-gun"]);
    assert_eq!(a["groups"][0]["hits"][0]["url"], "/people/seok-jong-gun");
    for q in ["K9", "k-9", "K%209", "k9%20thunder"] {
        let (status, a) = s.json(&format!("/api/v1/search?q={q}")).await;
        assert_eq!(status, 200);
        assert_eq!(
            keys(&a, "systems").first().map(String::as_str),
            Some("k9"),
            "{q}"
        );
    }
    let (_, a) = s.json("/api/v1/search?q=K239").await;
    assert_eq!(keys(&a, "systems"), ["k239-chunmoo"]);
    let (_, a) = s
        .json("/api/v1/search?q=korea&kind=systems&limit=2&page=2")
        .await;
    assert_eq!(a["kind"], "systems");
    assert_eq!(a["groups"][0]["page"], 2);
    assert_eq!(a["groups"][0]["hits"].as_array().unwrap().len(), 2);
    let (status, sug) = s.json("/api/v1/search/suggest?q=K9%20Thu").await;
    assert_eq!(status, 200);
    assert_eq!(sug["suggestions"][0]["key"], "k9");
    let (_, sug) = s.json("/api/v1/search/suggest?q=%EC%84%9D&limit=3").await;
    assert_eq!(sug["suggestions"][0]["key"], "seok-jong-gun");
    // A labelled record: its marking, and the banner.
    let (_, a) = s.json("/api/v1/search?q=FA-50PL").await;
    assert_eq!(keys(&a, "systems")[0], "fa-50pl");
    assert!(a["banner"].as_str().unwrap().contains("RELEASABLE-TO"));
    assert!(a["groups"][0]["hits"][0]["marking"]
        .as_str()
        .unwrap()
        .contains("KOR"));
}

#[tokio::test]
async fn bad_queries_are_400s_naming_the_parameter() {
    let s = serve(Some(kor())).await;
    let long = "k".repeat(201);
    let many = vec!["k9"; 40].join("+");
    for (path, field) in [
        ("/api/v1/search".to_string(), "\"q\""),
        (format!("/api/v1/search?q={long}"), "q:"),
        (format!("/api/v1/search?q={many}"), "q:"),
        ("/api/v1/search?q=k9&kind=widgets".into(), "kind:"),
        ("/api/v1/search?q=k9&kind=systems&page=0".into(), "page:"),
        ("/api/v1/search?q=k9&kind=systems&page=1001".into(), "page:"),
        ("/api/v1/search?q=k9&page=2".into(), "page:"),
        ("/api/v1/search?q=k9&limit=-1".into(), "limit:"),
        ("/api/v1/search/suggest".into(), "\"q\""),
        (format!("/api/v1/search/suggest?q={long}"), "q:"),
        ("/api/v1/search/suggest?q=k&limit=21".into(), "limit:"),
    ] {
        let (status, e) = s.json(&path).await;
        assert_eq!(status, 400, "{path}: {e}");
        assert!(e["error"].as_str().unwrap().contains(field), "{path}: {e}");
    }
    // Query syntax, punctuation, control characters, odd Unicode: answers, never errors.
    for q in [
        "title%3A(k9%20OR",
        "%22",
        "*",
        "%2B%2B%2B",
        "k9~2",
        "%00%01",
        "%F0%9F%92%A3",
        "%E2%80%AE",
        "a%CC%81",
        "%20",
        "",
    ] {
        for route in ["/api/v1/search", "/api/v1/search/suggest"] {
            let (status, _) = s.json(&format!("{route}?q={q}")).await;
            assert_eq!(status, 200, "{route}?q={q}");
        }
    }
    let (_, a) = s.json("/api/v1/search?q=%21%21%21%20---").await;
    assert_eq!(a["total"], 0);
    assert_eq!(a["groups"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_page_groups_hits_and_links_to_records() {
    let s = serve(Some(kor())).await;
    let (status, kind, page) = s.get("/search?q=k9").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"));
    assert!(page.contains(r#"href="/systems/k9""#), "{page}");
    let (_, _, page) = s.get("/search?q=korea").await;
    assert!(page.contains(r#"id="group-systems""#));
    assert!(
        page.contains("/search?q=korea&#38;kind=systems"),
        "a link to every system: {page}"
    );
    assert_eq!(page.matches("<h1").count(), 1, "one h1");
    assert!(page.contains(r#"<form role="search" action="/search""#));
    assert!(page.contains(r#"<label for="site-q">"#));
    // One kind, paged.
    let (_, _, page) = s.get("/search?q=korea&kind=systems&limit=2").await;
    assert!(page.contains("kind=systems&#38;page=2"), "{page}");
    assert!(page.contains(r#"rel="next""#));
    // Asked in Korean: Korean words, and links that keep the language.
    let (_, _, page) = s.get("/search?q=K9&lang=ko").await;
    assert!(page.contains("무기체계"));
    assert!(page.contains(r#"href="/systems/k9?lang=ko""#), "{page}");
    assert!(page.contains(r#"<html lang="ko">"#));
    // The banner covers what matched.
    let (_, _, page) = s.get("/search?q=FA-50PL").await;
    assert!(page.contains(r#"<div class="banner" role="region""#));
    assert!(page.contains("RELEASABLE-TO"));
    // No query: the form alone; a bad one: the form with the message, 400.
    let (status, _, page) = s.get("/search").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"name="q""#) && !page.contains("results-title"));
    let (status, _, page) = s.get(&format!("/search?q={}", "x".repeat(300))).await;
    assert_eq!(status, 400);
    assert!(page.contains(r#"role="alert""#) && page.contains("at most 200"));
    let (status, _, _) = s.get("/search?q=k9&kind=nope").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn what_the_reader_may_not_read_is_never_found() {
    let s = serve(Some(uncleared())).await;
    // FA-50PL is releasable to KOR and POL only; the KOR-only gateway too is hidden.
    for path in [
        "/api/v1/search?q=FA-50PL",
        "/api/v1/search?q=fa-50",
        "/api/v1/search?q=block%2020",
        "/api/v1/search/suggest?q=FA-50",
        "/api/v1/search?q=gateway",
        "/api/v1/search?q=link-k%20stanag-5516",
        "/search?q=FA-50PL",
        "/search?q=gateway&kind=gateways",
    ] {
        let (status, _, body) = s.get(path).await;
        assert_eq!(status, 200, "{path}");
        for hidden in [
            "fa-50pl",
            "FA-50PL (Block 20)",
            "gw-link-k-stanag-5516",
            "RELEASABLE-TO",
        ] {
            assert!(!body.contains(hidden), "{path} shows {hidden}");
        }
    }
    let (_, a) = s.json("/api/v1/search?q=fa-50").await;
    assert_eq!(keys(&a, "systems"), ["fa-50gf"]);
    assert_eq!(a["groups"][0]["total"], 1);
    assert!(a["banner"].is_null());
}

#[tokio::test]
async fn html_in_the_query_is_text() {
    let s = serve(Some(kor())).await;
    let (_, _, page) = s
        .get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg%20src%3Dx%3E")
        .await;
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("<img src=x>"));
    assert!(page.contains("&lt;script&gt;") || page.contains("&#60;script&#62;"));
}

#[tokio::test]
async fn without_an_account_search_is_refused_and_the_script_is_served() {
    let s = serve(None).await;
    let (status, _) = s.json("/api/v1/search?q=k9").await;
    assert_eq!(status, 401);
    let (status, _) = s.json("/api/v1/search/suggest?q=k9").await;
    assert_eq!(status, 401);
    let (status, _, _) = s.get("/search?q=k9").await;
    assert_eq!(status, 303, "pages send to the sign-in page");
    let r = s
        .client
        .get(format!("{}/static/search.js", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers();
    assert_eq!(h["content-type"], "text/javascript; charset=utf-8");
    assert!(h["cache-control"].to_str().unwrap().contains("max-age"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    let js = r.text().await.unwrap();
    assert!(js.contains("/api/v1/search/suggest") && js.contains("aria-activedescendant"));
    // The sign-in page has the box too, and its script.
    let (_, _, page) = s.get("/signin").await;
    assert!(page.contains(r#"<script src="/static/search.js" defer></script>"#));
}
