//! Languages: the choice remembered by the `lang` cookie, `/lang/{code}` going back only to
//! this server, Korean nation names, and errors (pages and JSON) in the request's language.
//! The real app on port 0 with a fresh SQLite database.

use defcoop_app::App;
use defcoop_domain::{json, Reader};
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::Application;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE, HOST, LOCATION, REFERER, SET_COOKIE};
use reqwest::StatusCode;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

struct Served {
    base: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// The demo, served as an uncleared reader (`fixed`) or to people who sign in.
async fn serve(fixed: bool) -> Served {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("web.db").display().to_string())
        .await
        .expect("open store");
    let incoming = json::parse(DEMO.as_bytes()).expect("demo parses");
    store
        .import(&incoming, &Writer::operator(), Progress::NONE)
        .await
        .expect("demo imports");
    let cached = App::cached(store).await.expect("cache");
    let mut app = Application::build(cached, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind");
    if fixed {
        app = app.reading_as(Reader::Cleared(Default::default()));
    }
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    Served {
        base,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        _dir: dir,
    }
}

impl Served {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn host(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    async fn page(
        &self,
        path: &str,
        headers: &[(reqwest::header::HeaderName, &str)],
    ) -> (StatusCode, String) {
        let mut r = self.client.get(self.url(path));
        for (k, v) in headers {
            r = r.header(k, *v);
        }
        let r = r.send().await.expect("request");
        (r.status(), r.text().await.expect("body"))
    }

    /// `/lang/...` with these headers: (status, Location, Set-Cookie).
    async fn switch(
        &self,
        path: &str,
        headers: &[(reqwest::header::HeaderName, String)],
    ) -> (StatusCode, Option<String>, Option<String>) {
        let mut r = self.client.get(self.url(path));
        for (k, v) in headers {
            r = r.header(k, v);
        }
        let r = r.send().await.expect("request");
        let h = |name| {
            r.headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        (r.status(), h(LOCATION), h(SET_COOKIE))
    }
}

fn is_korean(page: &str) -> bool {
    page.contains("<html lang=\"ko\">")
}

#[tokio::test]
async fn the_cookie_remembers_and_the_query_and_header_still_count() {
    let s = serve(true).await;
    // Nothing said: English.
    let (_, page) = s.page("/", &[]).await;
    assert!(page.contains("<html lang=\"en\">"));
    // Accept-Language with q-values: Korean preferred though listed second.
    let (_, page) = s
        .page("/", &[(ACCEPT_LANGUAGE, "en;q=0.3, ko;q=0.9")])
        .await;
    assert!(is_korean(&page));
    // The cookie wins over the header, the query over the cookie.
    let (_, page) = s
        .page("/", &[(ACCEPT_LANGUAGE, "en"), (COOKIE, "lang=ko")])
        .await;
    assert!(is_korean(&page));
    let (_, page) = s.page("/?lang=en", &[(COOKIE, "lang=ko")]).await;
    assert!(!is_korean(&page));
    // Pages' own links carry no ?lang= (the cookie does), and switch through /lang.
    assert!(!page.contains("?lang="), "links with ?lang=");
    assert!(page.contains("href=\"/lang/ko\"") && page.contains("href=\"/lang/en\""));
    // Korean nation names on Korean pages.
    let (_, page) = s.page("/", &[(COOKIE, "lang=ko")]).await;
    assert!(page.contains("대한민국"), "Korean nation names");
    let (_, page) = s.page("/transfers", &[(COOKIE, "lang=ko")]).await;
    assert!(is_korean(&page));
}

#[tokio::test]
async fn a_page_asked_with_lang_remembers_it() {
    let s = serve(true).await;
    let r = s
        .client
        .get(s.url("/transfers?lang=ko"))
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get(SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("lang=ko; Path=/;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax") && cookie.contains("Max-Age=31536000"));
    // Not again when the browser has it already, and never from the API.
    let r = s
        .client
        .get(s.url("/?lang=ko"))
        .header(COOKIE, "lang=ko")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get(SET_COOKIE).is_none());
    let r = s
        .client
        .get(s.url("/api/v1/transfers?lang=ko"))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get(SET_COOKIE).is_none());
}

#[tokio::test]
async fn switching_goes_back_with_the_filters_and_sets_the_cookie() {
    let s = serve(false).await;
    let referer = s.url("/transfers?supplier=KOR&lang=en&from=2015");
    let (status, location, cookie) = s.switch("/lang/ko", &[(REFERER, referer)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/transfers?supplier=KOR&from=2015")
    );
    let cookie = cookie.expect("cookie set");
    assert!(cookie.starts_with("lang=ko; Path=/;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax") && cookie.contains("Max-Age=31536000"));
    assert!(!cookie.contains("Secure"));
    // Behind TLS the cookie is Secure.
    let (_, _, cookie) = s
        .switch(
            "/lang/en",
            &[("x-forwarded-proto".parse().unwrap(), "https".into())],
        )
        .await;
    let cookie = cookie.unwrap();
    assert!(
        cookie.starts_with("lang=en;") && cookie.contains("; Secure"),
        "{cookie}"
    );
    // An explicit back, without Referer (no session needed: the sign-in page switches too).
    let (status, location, _) = s
        .switch(
            "/lang/ko?back=%2Fsignin%3Fnext%3D%252Ftransfers%26lang%3Den",
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/signin?next=%2Ftransfers"));
    // Nothing to go back to: the registry.
    let (_, location, _) = s.switch("/lang/ko", &[]).await;
    assert_eq!(location.as_deref(), Some("/"));
    // The page then comes in Korean with the cookie (after signing in, here the sign-in page).
    let (_, page) = s.page("/signin", &[(COOKIE, "lang=ko")]).await;
    assert!(is_korean(&page));
}

#[tokio::test]
async fn switching_never_leaves_this_server() {
    let s = serve(false).await;
    let host = s.host().to_string();
    for referer in [
        "https://evil.example/transfers?supplier=KOR".to_string(),
        format!("http://{host}.evil.example/x"),
        format!("http://{host}@evil.example/x"),
        "http://127.0.0.2:1/x".to_string(),
        "javascript:alert(1)".to_string(),
        "//evil.example/x".to_string(),
    ] {
        let (status, location, cookie) = s.switch("/lang/ko", &[(REFERER, referer.clone())]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{referer}");
        assert_eq!(location.as_deref(), Some("/"), "{referer}");
        assert!(cookie.is_some());
    }
    // A forged Host does not make a foreign Referer ours... unless both agree, and then the
    // browser is sent to a path, which stays on the server it asked.
    let (_, location, _) = s
        .switch(
            "/lang/ko",
            &[
                (HOST, "evil.example".into()),
                (REFERER, "http://evil.example/x?a=1".into()),
            ],
        )
        .await;
    assert_eq!(location.as_deref(), Some("/x?a=1"));
    for back in [
        "//evil.example",
        "https://evil.example",
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example%2F",
        "%2F%5Cevil.example",
        "%2F%09%2Fevil.example",
        "evil.example",
        "%2Flang%2Fko",
    ] {
        let (status, location, _) = s.switch(&format!("/lang/en?back={back}"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{back}");
        assert_eq!(location.as_deref(), Some("/"), "{back}");
    }
    // A language we do not speak is a 404 in the reader's language, and sets nothing.
    let r = s
        .client
        .get(s.url("/lang/fr"))
        .header(ACCEPT_LANGUAGE, "ko")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.headers().get(SET_COOKIE).is_none());
    let page = r.text().await.unwrap();
    assert!(
        is_korean(&page) && page.contains("&#34;fr&#34; 언어는 없습니다"),
        "{page}"
    );
}

#[tokio::test]
async fn errors_come_in_the_readers_language() {
    let s = serve(false).await;
    // JSON: the shape is kept, the message translated.
    let r = s
        .client
        .get(s.url("/api/v1/me"))
        .header(ACCEPT_LANGUAGE, "ko-KR,ko;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().get("www-authenticate").is_some());
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v.as_object().unwrap().len(), 1, "{v}");
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .starts_with("먼저 로그인하십시오"),
        "{v}"
    );
    // English otherwise.
    let r = s.client.get(s.url("/api/v1/me")).send().await.unwrap();
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(
        v["error"].as_str().unwrap().starts_with("sign in first"),
        "{v}"
    );
    // The language from the cookie.
    let r = s
        .client
        .get(s.url("/api/v1/nothing"))
        .header(COOKIE, "lang=ko")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .starts_with("먼저 로그인하십시오"),
        "{v}"
    );
    // A wrong method on a page: the page says it in Korean, with the status's own heading.
    let r = s
        .client
        .delete(s.url("/healthz?lang=ko"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let page = r.text().await.unwrap();
    assert!(is_korean(&page), "{page}");
    assert!(page.contains("허용되지 않는 메서드입니다"), "{page}");
    assert!(
        page.contains("/healthz에서는 DELETE 메서드를 쓸 수 없습니다"),
        "{page}"
    );
}

#[tokio::test]
async fn application_errors_are_translated_too() {
    let s = serve(true).await;
    // Not found (a hidden or absent record), JSON.
    let r = s
        .client
        .get(s.url("/api/v1/transfers/no-such-transfer"))
        .header(ACCEPT_LANGUAGE, "ko")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(
        v["error"].as_str().unwrap().starts_with("찾을 수 없음: "),
        "{v}"
    );
    assert!(
        v["error"].as_str().unwrap().contains("no-such-transfer"),
        "{v}"
    );
    // An unknown API route, with the language from the cookie.
    let r = s
        .client
        .get(s.url("/api/nothing"))
        .header(COOKIE, "lang=ko")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["error"], "/api/nothing에 페이지가 없습니다");
    // An unknown kind of record under /api/v1/{kind}: the refusal translated, names kept.
    let r = s
        .client
        .get(s.url("/api/v1/nothing"))
        .header(COOKIE, "lang=ko")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .starts_with("\"nothing\"라는 종류의 기록은 없습니다"),
        "{v}"
    );
    // A role refusal (this reader has none), JSON: the action translated, names kept.
    let r = s
        .client
        .put(s.url("/api/v1/labels/system/k9"))
        .header(ACCEPT_LANGUAGE, "ko")
        .header("content-type", "application/json")
        .body(r#"{"label": null}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("레지스트리 변경 권한이 없습니다"),
        "{v}"
    );
    // A bad filter on a page, shown inline in Korean.
    let (status, page) = s
        .page("/transfers?from=2020&to=2010", &[(COOKIE, "lang=ko")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("시작 연도(2020)가 끝 연도(2010)보다 늦습니다"),
        "{page}"
    );
}
