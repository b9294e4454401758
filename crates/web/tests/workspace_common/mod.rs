//! What the workspace's HTTP tests share: the real app on port 0 with a fresh database
//! holding the demo, its clock fixed on 6 December 2026, the demo personas, and helpers to
//! call the API with a token and the pages with a signed-in session.
#![allow(dead_code)]

use std::sync::Arc;

use defcoop_app::accounts::Persona;
use defcoop_app::{Actor, App};
use defcoop_domain::json;
use defcoop_domain::model::Kind;
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::Application;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use serde_json::{json, Value};

pub const DEMO: &str = include_str!("../../../../data/demo/dataset.json");

/// 2026-12-06 12:00 UTC.
pub const NOW: i64 = 1_796_558_400;

pub struct Server {
    pub base: String,
    pub app: App,
    pub client: reqwest::Client,
    pub personas: Vec<Persona>,
    pub _dir: tempfile::TempDir,
}

pub async fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("ws.db").display().to_string())
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
    let app = App::cached(store)
        .await
        .unwrap()
        .with_clock(Arc::new(|| NOW));
    let personas = app.demo_personas().await.unwrap();
    let server = Application::build(app.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until(std::future::pending()));
    Server {
        base,
        app,
        client: reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .unwrap(),
        personas,
        _dir: dir,
    }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn token(&self, user: &str) -> String {
        self.app
            .create_token(&Actor::operator(), user, None)
            .await
            .unwrap()
            .token
    }

    /// Status, content type and body (JSON when it parses).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, String, Value) {
        let mut r = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let r = r.send().await.unwrap();
        let status = r.status().as_u16();
        let kind = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let text = r.text().await.unwrap();
        let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, kind, v)
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        let (s, _, v) = self.call(reqwest::Method::GET, path, token, None).await;
        (s, v)
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        let (s, _, v) = self
            .call(reqwest::Method::POST, path, token, Some(body))
            .await;
        (s, v)
    }

    /// A page as text, read with an API token.
    pub async fn text(&self, path: &str, token: &str) -> (u16, String) {
        let r = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Signs a demo persona in through the form: the session cookie and its CSRF token.
    pub async fn session(&self, user: &str) -> (String, String) {
        let password = &self
            .personas
            .iter()
            .find(|p| p.name == user)
            .unwrap()
            .password;
        let r = self.client.get(self.url("/signin")).send().await.unwrap();
        let form_cookie = cookie(r.headers(), "defcoop_form").unwrap();
        let page = r.text().await.unwrap();
        let r = self
            .client
            .post(self.url("/signin"))
            .header(COOKIE, format!("defcoop_form={form_cookie}"))
            .header("origin", &self.base)
            .form(&[
                ("name", user),
                ("password", password.as_str()),
                ("csrf", &hidden(&page, "csrf")),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "sign-in");
        let session = cookie(r.headers(), defcoop_web::SESSION_COOKIE).unwrap();
        let cookie = format!("{}={session}", defcoop_web::SESSION_COOKIE);
        let page = self.page("/workspace", &cookie).await.1;
        let csrf = hidden_or_none(&page, "csrf");
        (cookie, csrf.unwrap_or_default())
    }

    pub async fn page(&self, path: &str, cookie: &str) -> (u16, String) {
        let r = self
            .client
            .get(self.url(path))
            .header(COOKIE, cookie)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    pub async fn post_form(
        &self,
        path: &str,
        cookie: &str,
        form: &[(&str, &str)],
    ) -> (u16, Option<String>, String) {
        let r = self
            .client
            .post(self.url(path))
            .header(COOKIE, cookie)
            .header("origin", &self.base)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get(LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        (status, location, r.text().await.unwrap())
    }

    /// A planned meeting of two agenda items between Seoul and Brussels, made by the operator.
    pub async fn planned(&self, id: &str, label: Option<Value>) {
        let mut m = json!({"id": id, "title": format!("Working group {id}"),
            "start": "2026-12-10T09:00", "end": "2026-12-10T11:00", "time_zone": "Asia/Seoul",
            "participants": [{"person": "seok-jong-gun", "role": "chair"},
                             {"person": "andrius-kubilius", "role": "member"}],
            "agenda": [{"title": "Opening"}, {"title": "Link 16 gateway"}], "status": "planned"});
        if let Some(l) = label {
            m["label"] = l;
        }
        self.app
            .create_record(&Actor::operator(), Kind::Meeting, &m)
            .await
            .unwrap();
    }
}

pub fn cookie(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers.get_all(SET_COOKIE).iter().find_map(|v| {
        let v = v.to_str().ok()?;
        let pair = v.split(';').next()?;
        let (k, value) = pair.split_once('=')?;
        (k == name).then(|| value.to_string())
    })
}

pub fn hidden_or_none(page: &str, name: &str) -> Option<String> {
    let mark = format!("name=\"{name}\" value=\"");
    let start = page.find(&mark)? + mark.len();
    page[start..].split('"').next().map(str::to_string)
}

pub fn hidden(page: &str, name: &str) -> String {
    hidden_or_none(page, name).unwrap_or_else(|| panic!("no {name} in page"))
}

pub fn fields(v: &Value) -> Vec<String> {
    v["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no fields in {v}"))
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect()
}
