//! The OpenAPI document: the committed copy (`docs/openapi.json`) is the generated one, the
//! server serves it, and the router and the document name the same routes and methods.

use std::collections::BTreeSet;
use std::path::PathBuf;

use defcoop_app::App;
use defcoop_domain::{json, Reader};
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::{AppState, Application};
use serde_json::Value;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

#[test]
fn committed_document_is_the_generated_one() {
    let generated = defcoop_web::openapi_json();
    let path = committed();
    if std::env::var_os("DEFCOOP_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write docs/openapi.json");
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/openapi.json is not the API's description: regenerate it with \
         `DEFCOOP_BLESS=1 cargo test -p defcoop-web --test openapi` and commit it"
    );
}

/// Every `$ref` of the document names a schema it holds (a schema used but not registered
/// would leave clients and the fuzz run without its shape).
#[test]
fn every_reference_resolves() {
    let doc: Value = serde_json::from_str(&defcoop_web::openapi_json()).expect("JSON");
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let responses = doc["components"]["responses"].as_object();
    let mut refs = Vec::new();
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    out.push(r.clone());
                }
                o.values().for_each(|x| walk(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    walk(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let ok = if let Some(name) = r.strip_prefix("#/components/schemas/") {
            schemas.contains_key(name)
        } else if let Some(name) = r.strip_prefix("#/components/responses/") {
            responses.is_some_and(|x| x.contains_key(name))
        } else {
            false
        };
        assert!(ok, "{r} names nothing in the document");
    }
}

/// Routes that are HTML pages for people, not part of the JSON API's description.
const PAGES: &[&str] = &[
    "/",
    "/transfers",
    "/search",
    "/static/search.js",
    "/signin",
    "/signout",
    "/setup",
    "/signin/oidc/callback",
    "/signin/oidc/{id}",
    "/admin/audit",
    "/interop/pair",
    "/interop/matrix",
    "/matchmaking",
    "/matchmaking/consortium",
    "/matchmaking/build",
    "/interop/matrix/cell",
    "/interop/whatif",
    "/interop/plan",
    "/interop/plan/jobs/{id}",
    "/interop/plan/jobs/{id}/plan.json",
    "/interop/plan/jobs/{id}/plan.csv",
    "/flows",
    "/lang/{code}",
    "/calendar/bodies/{file}",
    "/calendar/people/{file}",
    "/calendar/meetings/{file}",
    "/calendar/mine.ics",
    "/calendar/feed/{file}",
    "/workspace",
    "/workspace/meetings/{id}",
    "/workspace/meetings/{id}/close",
    "/workspace/meetings/{id}/cancel",
    "/workspace/minutes/{id}",
    "/workspace/minutes/{id}/circulate",
    "/workspace/minutes/{id}/approve",
    "/workspace/minutes/{id}/comment",
    "/workspace/minutes/{id}/correct",
    "/workspace/proposals/{id}",
    "/workspace/proposals/table",
    "/workspace/proposals/{id}/move",
    "/workspace/proposals/{id}/assign",
    "/workspace/actions",
    "/workspace/actions/{id}/status",
    "/workspace/timeline",
    "/workspace/network",
];

/// Whether `path` is one of the registry's pages, which every kind has: `/{plural}`,
/// `/{plural}/new`, `/{plural}/{key}`, its `/edit` and `/delete` (HTML, not the API).
fn is_registry_page(path: &str) -> bool {
    let mut parts = path.trim_start_matches('/').split('/');
    let Some(first) = parts.next() else {
        return false;
    };
    if defcoop_domain::model::Kind::from_array(first).is_none() {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    let key: &[&str] = if first == "conformances" {
        &["{system}", "{standard}"]
    } else {
        &["{key}"]
    };
    rest.is_empty()
        || rest == ["new"]
        || rest == key
        || (rest.len() == key.len() + 1
            && rest[..key.len()] == *key
            && matches!(rest[key.len()], "edit" | "delete"))
}

/// Methods probed on every path of the router.
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

fn document() -> Value {
    serde_json::from_str(&defcoop_web::openapi_json()).expect("the document is JSON")
}

async fn demo_app(dir: &tempfile::TempDir) -> App {
    let store = Store::open(&dir.path().join("o.db").display().to_string())
        .await
        .expect("open store");
    store
        .import(
            &json::parse(DEMO.as_bytes()).expect("demo parses"),
            &Writer::operator(),
            Progress::NONE,
        )
        .await
        .expect("demo imports");
    App::cached(store).await.expect("cache")
}

/// The paths of the router's routes, as axum's `Debug` of a `Router` lists them
/// (`paths: {RouteId(0): "/", ...}` in its `path_router`), in OpenAPI's spelling (`{*key}` is
/// `{key}`). axum has no other way to list routes; should its `Debug` change, this finds
/// none and the test says so.
fn router_paths(router: &axum::Router) -> BTreeSet<String> {
    let debug = format!("{router:?}");
    let routes = debug.split("fallback_router:").next().unwrap_or_default();
    let mut paths = BTreeSet::new();
    let mut rest = routes;
    while let Some(at) = rest.find("RouteId(") {
        rest = &rest[at + "RouteId(".len()..];
        let Some(colon) = rest.find("): \"") else {
            continue;
        };
        if !rest[..colon].chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let path = &rest[colon + 4..];
        let Some(end) = path.find('"') else { break };
        let path = &path[..end];
        if !path.contains("__private__axum") {
            paths.insert(path.replace("{*", "{"));
        }
    }
    paths
}

#[tokio::test]
async fn the_router_and_the_document_name_the_same_paths() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = AppState {
        app: demo_app(&dir).await,
        fixed: None,
        max_body_bytes: defcoop_web::Limits::default().max_body_bytes,
        public_url: "http://127.0.0.1:0".into(),
        oidc: std::sync::Arc::new(defcoop_web::oidc::Oidc::new()),
        plan_jobs: Default::default(),
    };
    let routed = router_paths(&defcoop_web::router(state));
    assert!(
        routed.contains("/healthz") && routed.contains("/api/openapi.json"),
        "found no routes in axum's Debug of the router (has its format changed?): {routed:?}"
    );
    let doc = document();
    let described: BTreeSet<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .cloned()
        .collect();
    let api: BTreeSet<String> = routed
        .iter()
        .filter(|p| !PAGES.contains(&p.as_str()) && !is_registry_page(p))
        .cloned()
        .collect();
    let missing: Vec<_> = api.difference(&described).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the OpenAPI document: {missing:?}. Annotate their handlers with \
         #[utoipa::path] and list them in `paths` of ApiDoc (crates/web/src/openapi.rs); an \
         HTML page goes into PAGES of this test instead"
    );
    let extra: Vec<_> = described.difference(&api).collect();
    assert!(
        extra.is_empty(),
        "the OpenAPI document describes paths the router does not serve: {extra:?}"
    );
}

/// `path` with each `{param}` replaced by its example, and the query string of the required
/// query parameters' examples (and of the optional ones that have one), of one operation of
/// the document.
fn example_request(path: &str, op: &Value) -> String {
    let mut url = path.to_string();
    let mut query = Vec::new();
    for p in op["parameters"].as_array().into_iter().flatten() {
        let name = p["name"].as_str().expect("parameter name");
        let required = p["required"].as_bool().unwrap_or(false);
        let example = &p["example"];
        match p["in"].as_str() {
            Some("path") => {
                let value = example.as_str().unwrap_or_else(|| {
                    panic!("{path}: path parameter {name} needs an example (`example = ...`)")
                });
                url = url.replace(&format!("{{{name}}}"), value);
            }
            // Optional parameters are sent when they have an example: an operation whose
            // parameters are each optional but one of them needed (a timeline's person,
            // organization or nation) is asked as its example says.
            Some("query") if required || !example.is_null() => {
                let values = match example {
                    Value::Array(items) => items.clone(),
                    Value::Null => panic!(
                        "{path}: required query parameter {name} needs an example (`example = ...`)"
                    ),
                    v => vec![v.clone()],
                };
                for v in values {
                    let v = match v {
                        Value::String(s) => s,
                        v => v.to_string(),
                    };
                    query.push(format!("{name}={v}"));
                }
            }
            _ => {}
        }
    }
    if !query.is_empty() {
        url = format!("{url}?{}", query.join("&"));
    }
    url
}

#[tokio::test]
async fn every_described_operation_is_served_and_no_other_method_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    // With a writer, a method no route serves is 405 (without one, every write is 401 first).
    let server = Application::build(demo_app(&dir).await, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind")
        .acting_as(Reader::Full);
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until(std::future::pending()));
    let client = reqwest::Client::new();
    let doc = document();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let ops = item.as_object().expect("path item");
        // Any operation's parameters give the path's examples.
        let first = ops.values().next().expect("an operation");
        let url = format!("{base}{}", example_request(path, first));
        for method in METHODS {
            let op = ops.get(&method.to_ascii_lowercase());
            let url = match op {
                Some(op) => format!("{base}{}", example_request(path, op)),
                None => url.clone(),
            };
            let r = client
                .request(method.parse().expect("method"), &url)
                .send()
                .await
                .expect("request");
            let status = r.status().as_u16();
            let body = r.text().await.expect("body");
            let no_route = status == 404 && body.contains("no page at");
            let served = !(status == 405 || no_route);
            assert_eq!(
                served,
                op.is_some(),
                "{method} {url}: answered {status} {body}, but the document {} it",
                if op.is_some() {
                    "describes"
                } else {
                    "does not describe"
                }
            );
            if let Some(op) = op {
                let documented = op["responses"]
                    .as_object()
                    .expect("responses")
                    .contains_key(&status.to_string());
                assert!(
                    documented,
                    "{method} {url}: answered {status}, which the document does not list: {body}"
                );
                if *method == "GET" {
                    assert_ne!(
                        status, 400,
                        "{method} {url}: the examples are refused: {body}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn the_server_serves_the_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Application::build(demo_app(&dir).await, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind");
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until(std::future::pending()));
    let r = reqwest::get(format!("{base}/api/openapi.json"))
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    assert_eq!(r.text().await.expect("body"), defcoop_web::openapi_json());
    assert_eq!(document()["openapi"], "3.1.0");
}

#[test]
fn the_documented_bounds_are_the_servers() {
    let doc = document();
    let param = |name: &str| {
        doc["paths"]["/api/v1/transfers"]["get"]["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no parameter {name}"))
    };
    assert_eq!(param("limit")["schema"]["maximum"], defcoop_app::MAX_LIMIT);
    assert_eq!(
        param("offset")["schema"]["maximum"],
        defcoop_app::MAX_OFFSET
    );
}

#[tokio::test]
async fn operations_need_credentials_exactly_where_the_document_says() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Nobody fixed: every request must sign in, except on public routes.
    let server = Application::build(demo_app(&dir).await, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind");
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until(std::future::pending()));
    let client = reqwest::Client::new();
    let doc = document();
    assert!(doc["security"].as_array().is_some_and(|s| !s.is_empty()));
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let public = op["security"] == serde_json::json!([{}]);
            let url = format!("{base}{}", example_request(path, op));
            let r = client
                .request(method.to_ascii_uppercase().parse().expect("method"), &url)
                .send()
                .await
                .expect("request");
            let status = r.status().as_u16();
            assert_eq!(
                status == 401,
                !public,
                "{method} {url} answered {status} without credentials, but the document says \
                 it is {}",
                if public { "public" } else { "not public" }
            );
        }
    }
}
