//! What an attacker would try: writes without an account or from another site, bodies that
//! are not what they claim, idle and slow connections, huge and malformed requests. Each test
//! starts the real app on port 0 with a fresh database and checks that `/healthz` still answers.

use std::time::Duration;

use defcoop_app::App as Cached;
use defcoop_domain::{json, Kind, Label, Reader};
use defcoop_store::{Parts, Progress, Store, Writer};
use defcoop_web::{Application, Limits, MAX_MESSAGE};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

struct App {
    base: String,
    addr: std::net::SocketAddr,
    store: Store,
    client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

/// The app over the demo dataset: writing as `writer` when given, with `limits`.
async fn start(writer: Option<Reader>, limits: Limits) -> App {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("hostile.db").display().to_string())
        .await
        .expect("open store");
    let incoming = json::parse(DEMO.as_bytes()).expect("demo parses");
    store
        .import(&incoming, &Writer::operator(), Progress::NONE)
        .await
        .expect("demo imports");
    let cached = Cached::cached(store.clone()).await.expect("cache");
    let mut app = Application::build(cached, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind")
        .limits(limits);
    if let Some(w) = writer {
        app = app.acting_as(w);
    }
    let addr = app.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    App {
        base: format!("http://{addr}"),
        addr,
        store,
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .expect("client"),
        stop: Some(stop),
        server,
        _dir: dir,
    }
}

fn restricted() -> Label {
    Label {
        policy: "DEFCOOP".into(),
        classification: "RESTRICTED".into(),
        categories: vec![],
    }
}

impl App {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn healthy(&self) {
        let r = self
            .client
            .get(self.url("/healthz"))
            .send()
            .await
            .expect("/healthz answers");
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.text().await.expect("body"), "ok\n");
    }

    async fn label_of_k2(&self) -> Option<Label> {
        self.store
            .snapshot(&Reader::Full, Parts::Entities)
            .await
            .expect("snapshot")
            .label_of(Kind::System, "k2")
            .expect("k2 exists")
            .cloned()
    }

    /// PUTs a label on system k2 with the given headers.
    async fn put_k2(&self, body: &str, headers: &[(&str, &str)]) -> (u16, serde_json::Value) {
        let mut r = self
            .client
            .put(self.url("/api/v1/labels/system/k2"))
            .body(body.to_string());
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        json_answer(r.send().await.expect("request")).await
    }

    async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        json_answer(self.client.get(self.url(path)).send().await.expect("get")).await
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(Duration::from_secs(10), self.server)
            .await
            .expect("graceful shutdown ends")
            .expect("server task")
            .expect("server");
    }
}

/// Status and JSON body; fails if the body is not JSON.
async fn json_answer(r: reqwest::Response) -> (u16, serde_json::Value) {
    let status = r.status().as_u16();
    let content_type = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = r.text().await.expect("body");
    let v = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{status}: not JSON ({e}; {content_type}): {text}"));
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    (status, v)
}

fn error_of(v: &serde_json::Value) -> &str {
    v["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no \"error\" string in {v}"))
}

const JSON: (&str, &str) = ("Content-Type", "application/json");

#[tokio::test]
async fn writes_need_an_account() {
    let app = start(None, Limits::default()).await;
    let before = app.label_of_k2().await;
    let set = serde_json::json!({ "label": restricted() }).to_string();
    for body in [set.as_str(), r#"{"label": null}"#] {
        let (status, v) = app.put_k2(body, &[JSON]).await;
        assert_eq!(status, 401, "{v}");
        assert!(error_of(&v).contains("sign in"), "{v}");
        assert!(error_of(&v).contains("token create"), "{v}");
    }
    // Other writing methods, even where no route writes, are refused the same way.
    let r = app
        .client
        .post(app.url("/api/v1/transfers"))
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // Reading as someone is not writing as them: without a role that writes, 403.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("r.db").display().to_string())
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
    let cached = Cached::cached(store).await.unwrap();
    let reader_only = Application::build(cached, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
        .reading_as(Reader::Full);
    let base = format!("http://127.0.0.1:{}", reader_only.port());
    tokio::spawn(reader_only.run_until(std::future::pending()));
    let r = app
        .client
        .put(format!("{base}/api/v1/labels/system/k2"))
        .header("Content-Type", "application/json")
        .body(r#"{"label": null}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let v: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert!(error_of(&v).contains("may not change the registry"), "{v}");
    assert_eq!(app.label_of_k2().await, before, "nothing was written");
    app.healthy().await;
    app.stop().await;
}

#[tokio::test]
async fn writes_from_other_sites_are_forbidden() {
    let app = start(Some(Reader::Full), Limits::default()).await;
    let set = serde_json::json!({ "label": restricted() }).to_string();
    let own = format!("http://{}", app.addr);
    let other_port = format!("http://127.0.0.1:{}", app.addr.port().wrapping_add(1));
    for headers in [
        vec![JSON, ("Origin", "http://evil.example")],
        vec![JSON, ("Origin", other_port.as_str())],
        vec![JSON, ("Origin", "null")],
        vec![JSON, ("Sec-Fetch-Site", "cross-site")],
        vec![
            JSON,
            ("Origin", own.as_str()),
            ("Sec-Fetch-Site", "cross-site"),
        ],
    ] {
        let (status, v) = app.put_k2(&set, &headers).await;
        assert_eq!(status, 403, "{headers:?}: {v}");
        assert!(error_of(&v).contains("other sites") || error_of(&v).contains("cross-site"));
    }
    // A DELETE from elsewhere is refused before routing says the method is not allowed.
    let r = app
        .client
        .delete(app.url("/api/v1/labels/system/k2"))
        .header("Origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(app.label_of_k2().await, None, "nothing was written");
    // The server's own pages, and programs that send no Origin, may write.
    let (status, v) = app
        .put_k2(
            &set,
            &[
                JSON,
                ("Origin", own.as_str()),
                ("Sec-Fetch-Site", "same-origin"),
            ],
        )
        .await;
    assert_eq!((status, &v["written"]), (200, &serde_json::json!(1)), "{v}");
    assert_eq!(app.label_of_k2().await, Some(restricted()));
    app.healthy().await;
    app.stop().await;
}

#[tokio::test]
async fn bodies_must_say_they_are_json_and_empty_objects_clear_nothing() {
    let app = start(Some(Reader::Full), Limits::default()).await;
    let set = serde_json::json!({ "label": restricted() }).to_string();
    let (status, v) = app.put_k2(&set, &[JSON]).await;
    assert_eq!(status, 200, "{v}");
    // What a cross-site form or fetch may send without a preflight: text/plain, forms.
    for ct in [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let (status, v) = app
            .put_k2(r#"{"label": null}"#, &[("Content-Type", ct)])
            .await;
        assert_eq!(status, 415, "{ct}: {v}");
        assert!(error_of(&v).contains("application/json"), "{v}");
    }
    let (status, _) = app.put_k2(r#"{"label": null}"#, &[]).await;
    assert_eq!(status, 415, "no Content-Type");
    // `{}` is an error, not "clear".
    let (status, v) = app.put_k2("{}", &[JSON]).await;
    assert_eq!(status, 400, "{v}");
    assert!(error_of(&v).contains("label"), "{v}");
    assert_eq!(
        app.label_of_k2().await,
        Some(restricted()),
        "still labelled"
    );
    // An explicit null clears.
    let (status, v) = app
        .put_k2(
            r#"{"label": null}"#,
            &[("Content-Type", "application/json; charset=utf-8")],
        )
        .await;
    assert_eq!((status, &v["written"]), (200, &serde_json::json!(1)), "{v}");
    assert_eq!(app.label_of_k2().await, None);
    app.healthy().await;
    app.stop().await;
}

#[tokio::test]
async fn every_api_error_is_json_with_its_status() {
    let limits = Limits {
        max_body_bytes: 64 * 1024,
        ..Limits::default()
    };
    let app = start(Some(Reader::Full), limits).await;
    // A query string that does not deserialize (a repeated field).
    let (status, v) = app.get_json("/api/v1/transfers?limit=1&limit=2").await;
    assert_eq!(status, 400, "{v}");
    assert!(error_of(&v).contains("query"), "{v}");
    // A path that is not UTF-8.
    let (status, v) = app.get_json("/api/v1/transfers/%FF%FE").await;
    assert_eq!(status, 400, "{v}");
    // Unknown routes under /api.
    for path in ["/api/v1/nothing", "/api", "/api/v2/transfers"] {
        let (status, v) = app.get_json(path).await;
        assert_eq!(status, 404, "{path}: {v}");
    }
    // A wrong method.
    let r = app
        .client
        .delete(app.url("/api/v1/transfers"))
        .send()
        .await
        .unwrap();
    let allow = r.headers().get("allow").cloned();
    let (status, v) = json_answer(r).await;
    assert_eq!(status, 405, "{v}");
    assert!(error_of(&v).contains("DELETE"), "{v}");
    assert!(allow.is_some_and(|a| a.to_str().unwrap().contains("GET")));
    // A body over the limit, whatever it claims.
    let huge = format!(r#"{{"label": "{}"}}"#, "x".repeat(200 * 1024));
    let (status, v) = app.put_k2(&huge, &[JSON]).await;
    assert_eq!(status, 413, "{v}");
    // Huge inputs are not echoed in full.
    let long_id = "a".repeat(5000);
    let (status, v) = app.get_json(&format!("/api/v1/transfers/{long_id}")).await;
    assert_eq!(status, 404);
    let msg = error_of(&v);
    assert!(
        msg.chars().count() <= MAX_MESSAGE + 1,
        "{} chars",
        msg.len()
    );
    assert!(msg.ends_with('…'), "{msg}");
    let (status, v) = app
        .put_k2(
            &format!(r#"{{"label": {{"policy": "{long_id}"}}}}"#),
            &[JSON],
        )
        .await;
    assert!(status == 400 || status == 422, "{status}: {v}");
    assert!(error_of(&v).chars().count() <= MAX_MESSAGE + 1);
    // Unprocessable: a label the writer cannot write (an unknown policy).
    let (status, v) = app
        .put_k2(
            r#"{"label": {"policy": "NOPE", "classification": "X"}}"#,
            &[JSON],
        )
        .await;
    assert_eq!(status, 422, "{v}");
    // The handlers' own errors keep their shape.
    let (status, v) = app.get_json("/api/v1/transfers?limit=0").await;
    assert_eq!(status, 400, "{v}");
    app.healthy().await;
    app.stop().await;
}

#[tokio::test]
async fn unknown_pages_are_a_real_404_in_the_readers_language() {
    // Signed in (a visitor who is not is sent to the sign-in page first: accounts.rs).
    let app = start(Some(Reader::Cleared(Default::default())), Limits::default()).await;
    let r = app
        .client
        .get(app.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let page = r.text().await.unwrap();
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    assert!(page.contains("Page not found"));
    let page = app
        .client
        .get(app.url("/no/such/page?lang=ko"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<html lang=\"ko\">"));
    assert!(page.contains("페이지를 찾을 수 없습니다"));
    let r = app
        .client
        .get(app.url("/nowhere"))
        .header("Accept-Language", "ko-KR,ko;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("페이지를 찾을 수 없습니다"));
    // A malformed query on a page is a 400 page, and markup in it is escaped.
    let r = app
        .client
        .get(app.url("/?lang=en&lang=%3Cscript%3E"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    assert!(!page.contains("<script>"));
    // A wrong method on a page is a 405 page.
    let r = app.client.delete(app.url("/")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 405);
    let r = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/transfers"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    assert!(r.text().await.unwrap().contains("OPTIONS"));
    app.healthy().await;
    app.stop().await;
}

fn small_limits() -> Limits {
    Limits {
        max_connections: 4,
        header_read_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(2),
        ..Limits::default()
    }
}

/// Reads until the peer closes (or resets) the connection; `None` if it stays open `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| got)
}

/// One request on a fresh connection; the answer, or `None` if none came `within`.
async fn raw_get(addr: std::net::SocketAddr, path: &str, within: Duration) -> Option<String> {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("write");
    closed_within(&mut s, within)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[tokio::test]
async fn idle_connections_beyond_the_limit_are_closed_and_the_server_answers_again() {
    let app = start(None, small_limits()).await;
    // Twice the limit of connections that never send anything.
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(TcpStream::connect(app.addr).await.expect("connect"));
    }
    // They hold every place, so a request waits in the backlog...
    let waiting = tokio::spawn(raw_get(app.addr, "/healthz", Duration::from_secs(15)));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "the limit holds while idle connections fill it"
    );
    // ...until the header time-out closes them, a round of four at a time.
    let answer = waiting
        .await
        .unwrap()
        .expect("/healthz answered after the idle ones closed");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("ok\n"), "{answer}");
    for (i, s) in idle.iter_mut().enumerate() {
        assert!(
            closed_within(s, Duration::from_secs(10)).await.is_some(),
            "idle connection {i} was closed"
        );
    }
    app.healthy().await;
    app.stop().await;
}

#[tokio::test]
async fn a_slow_loris_is_cut_off() {
    let app = start(None, small_limits()).await;
    let mut s = TcpStream::connect(app.addr).await.unwrap();
    let request = format!(
        "GET /healthz HTTP/1.1\r\nHost: {}\r\nX-Padding: {}\r\n\r\n",
        app.addr,
        "z".repeat(30)
    );
    // One byte a second (here, every 250 ms) never finishes the headers before the time-out.
    let started = tokio::time::Instant::now();
    let mut cut_off = false;
    for (i, b) in request.bytes().enumerate() {
        if i == 2 {
            // Others are served meanwhile.
            app.healthy().await;
        }
        if s.write_all(&[b]).await.is_err() {
            cut_off = true;
            break;
        }
        let mut buf = [0u8; 1024];
        match tokio::time::timeout(Duration::from_millis(250), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                cut_off = true;
                break;
            }
            Ok(Ok(n)) => {
                // hyper may say 408 before closing.
                let text = String::from_utf8_lossy(&buf[..n]).to_string();
                assert!(
                    !text.contains(" 200 "),
                    "the slow request was answered: {text}"
                );
            }
            Err(_) => {}
        }
    }
    assert!(
        cut_off,
        "the connection stayed open for the whole slow request"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "cut off near the 1 s header time-out, not after {:?}",
        started.elapsed()
    );
    app.healthy().await;
    app.stop().await;
}

#[tokio::test]
async fn a_slow_body_gets_503_after_the_request_timeout() {
    let app = start(Some(Reader::Full), small_limits()).await;
    let mut s = TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "PUT /api/v1/labels/system/k2 HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{",
        app.addr
    );
    s.write_all(head.as_bytes()).await.unwrap();
    app.healthy().await;
    // Read the answer (a JSON body ends with "}"), whether or not the server then closes.
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(15), async {
        let mut buf = [0u8; 4096];
        while !(got.windows(4).any(|w| w == b"\r\n\r\n") && got.ends_with(b"}")) {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .expect("the server answers");
    let answer = String::from_utf8_lossy(&got);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after"),
        "{answer}"
    );
    assert!(answer.contains(r#"{"error":"#), "{answer}");
    assert_eq!(app.label_of_k2().await, None);
    app.healthy().await;
    app.stop().await;
}

#[tokio::test]
async fn shutdown_finishes_and_stops_accepting() {
    let app = start(None, small_limits()).await;
    app.healthy().await;
    let addr = app.addr;
    app.stop().await;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}
