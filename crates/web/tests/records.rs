//! The registry's records over HTTP, as programs and people use them: `/api/v1/{kind}` (list,
//! get, create, update, delete) with API tokens, and the pages and forms with a signed-in
//! session. The real app on port 0 with a fresh database holding the demo.

use defcoop_app::{Actor, App, NewUser};
use defcoop_domain::json;
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::Application;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use serde_json::{json, Value};

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

struct Server {
    base: String,
    app: App,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("records.db").display().to_string())
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
    for (name, role, clearance, categories) in [
        (
            "officer",
            "member",
            "DEFCOOP:RESTRICTED",
            vec!["RELEASABLE-TO:KOR"],
        ),
        (
            "reader",
            "viewer",
            "DEFCOOP:RESTRICTED",
            vec!["RELEASABLE-TO:KOR"],
        ),
        ("outsider", "member", "DEFCOOP:UNCLASSIFIED", vec![]),
    ] {
        app.add_user(
            &Actor::operator(),
            NewUser {
                name: name.into(),
                nationality: "KOR".into(),
                organization: "dapa".into(),
                roles: vec![role.into()],
                clearance: vec![clearance.into()],
                categories: categories.into_iter().map(String::from).collect(),
                password: Some(format!("{name}-password-1234")),
                person: None,
            },
        )
        .await
        .unwrap();
    }
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
        _dir: dir,
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn token(&self, user: &str) -> String {
        self.app
            .create_token(&Actor::operator(), user, None)
            .await
            .unwrap()
            .token
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value, reqwest::header::HeaderMap) {
        let mut r = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let r = r.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, v, headers)
    }

    async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        let (s, v, _) = self.call(reqwest::Method::GET, path, token, None).await;
        (s, v)
    }

    /// Signs `user` in through the form: the session cookie and the session's CSRF token.
    async fn session(&self, user: &str) -> (String, String) {
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
                ("password", &format!("{user}-password-1234")),
                ("csrf", &hidden(&page, "csrf")),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "sign-in");
        let session = cookie(r.headers(), defcoop_web::SESSION_COOKIE).unwrap();
        let cookie = format!("{}={session}", defcoop_web::SESSION_COOKIE);
        let page = self.page("/", &cookie).await.1;
        (cookie, hidden(&page, "csrf"))
    }

    async fn page(&self, path: &str, cookie: &str) -> (u16, String) {
        let r = self
            .client
            .get(self.url(path))
            .header(COOKIE, cookie)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    async fn post_form(
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
}

fn cookie(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers.get_all(SET_COOKIE).iter().find_map(|v| {
        let v = v.to_str().ok()?;
        let pair = v.split(';').next()?;
        let (k, value) = pair.split_once('=')?;
        (k == name).then(|| value.to_string())
    })
}

fn hidden(page: &str, name: &str) -> String {
    let mark = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&mark)
        .unwrap_or_else(|| panic!("no {name} in page"))
        + mark.len();
    page[start..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn lists_filter_sort_and_page_with_a_total() {
    let s = start().await;
    let t = s.token("officer").await;
    let (status, all) = s.get("/api/v1/systems?per_page=500", &t).await;
    assert_eq!(status, 200, "{all}");
    let total = all["total"].as_u64().unwrap();
    assert_eq!(all["items"].as_array().unwrap().len() as u64, total);
    assert_eq!(all["kind"], "systems");

    // Filters are case-insensitive; every item matches.
    let (_, kor) = s.get("/api/v1/systems?origin=kor", &t).await;
    assert!(kor["total"].as_u64().unwrap() > 0);
    for item in kor["items"].as_array().unwrap() {
        assert_eq!(item["origin"], "KOR");
    }
    // A list field matches one of its entries (operators are objects: their nation).
    let (_, pol) = s.get("/api/v1/systems?operators=POL", &t).await;
    assert!(pol["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == "k9"));

    // Sorted by name, descending; pages cut the same order.
    let (_, sorted) = s.get("/api/v1/systems?sort=-name&per_page=500", &t).await;
    let names: Vec<String> = sorted["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_lowercase())
        .collect();
    let mut expected = names.clone();
    expected.sort();
    expected.reverse();
    assert_eq!(names, expected);
    let (_, p2) = s
        .get("/api/v1/systems?sort=-name&per_page=3&page=2", &t)
        .await;
    assert_eq!(p2["total"].as_u64().unwrap(), total);
    assert_eq!(p2["page"], 2);
    let p2_names: Vec<String> = p2["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_lowercase())
        .collect();
    assert_eq!(p2_names, names[3..6]);
    // Past the end: empty, with the total.
    let (status, past) = s.get("/api/v1/systems?page=9999", &t).await;
    assert_eq!(status, 200);
    assert_eq!(past["items"], json!([]));
    assert_eq!(past["total"].as_u64().unwrap(), total);

    // Members of a bloc on a day.
    let (_, nato) = s
        .get("/api/v1/nations?bloc=NATO&on=2020-01-01&per_page=500", &t)
        .await;
    let codes: Vec<&str> = nato["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"POL") && !codes.contains(&"FIN") && !codes.contains(&"KOR"));
    let (_, nato_now) = s.get("/api/v1/nations?bloc=nato&per_page=500", &t).await;
    assert!(nato_now["total"].as_u64().unwrap() > nato["total"].as_u64().unwrap());

    // Words.
    let (_, q) = s.get("/api/v1/people?q=kubilius", &t).await;
    assert_eq!(q["total"], 1);

    // Bad requests name what is wrong.
    for (path, needle) in [
        ("/api/v1/systems?colour=red", "colour"),
        ("/api/v1/systems?sort=weight", "weight"),
        ("/api/v1/systems?per_page=0", "per_page"),
        ("/api/v1/systems?per_page=501", "per_page"),
        ("/api/v1/systems?page=0", "page"),
        ("/api/v1/systems?page=x", "page"),
        ("/api/v1/people?bloc=NATO", "bloc"),
        ("/api/v1/systems?sort=", "sort"),
        ("/api/v1/systems?on=2020", "on"),
    ] {
        let (status, body) = s.get(path, &t).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert!(
            body["error"].as_str().unwrap().contains(needle),
            "{path}: {body}"
        );
    }
    assert_eq!(s.get("/api/v1/widgets", &t).await.0, 404);
    assert_eq!(s.get("/api/v1/nations?bloc=NOPE", &t).await.0, 404);
}

#[tokio::test]
async fn hidden_records_are_neither_listed_counted_nor_reachable() {
    let s = start().await;
    let insider = s.token("officer").await;
    let outsider = s.token("outsider").await;
    let (_, seen) = s.get("/api/v1/systems?per_page=500", &insider).await;
    let (_, less) = s.get("/api/v1/systems?per_page=500", &outsider).await;
    assert!(seen["total"].as_u64().unwrap() > less["total"].as_u64().unwrap());
    assert!(seen["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == "fa-50pl"));
    assert!(!less.to_string().contains("fa-50pl"));
    for method in [
        reqwest::Method::GET,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let body = (method == reqwest::Method::PUT).then(|| json!({"name": "x"}));
        let (status, _, _) = s
            .call(
                method.clone(),
                "/api/v1/systems/fa-50pl",
                &outsider,
                body.clone(),
            )
            .await;
        let (absent, _, _) = s
            .call(
                method.clone(),
                "/api/v1/systems/no-such-system",
                &outsider,
                body,
            )
            .await;
        assert_eq!(
            (status, absent),
            (404, 404),
            "{method}: hidden looks absent"
        );
    }
    // Counted by a filter either: the outsider's KOR-origin total excludes it.
    let (_, a) = s.get("/api/v1/systems?origin=KOR", &insider).await;
    let (_, b) = s.get("/api/v1/systems?origin=KOR", &outsider).await;
    assert!(a["total"].as_u64().unwrap() > b["total"].as_u64().unwrap());
    // Without a token: 401, whatever the record.
    let r = s.client.get(s.url("/api/v1/systems")).send().await.unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn create_update_and_delete_through_the_api() {
    let s = start().await;
    let t = s.token("officer").await;
    let system = json!({
        "id": "k9x-test", "name": "K9X (test)", "category": "self-propelled-howitzer",
        "origin": "KOR", "producer": "hanwha-aerospace", "operators": [{"nation": "KOR"}]
    });
    let (status, created, headers) = s
        .call(
            reqwest::Method::POST,
            "/api/v1/systems",
            &t,
            Some(system.clone()),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(headers[LOCATION], "/api/v1/systems/k9x-test");
    assert_eq!(created["name"], "K9X (test)");
    assert_eq!(s.get("/api/v1/systems/k9x-test", &t).await.1, created);

    // Again: 409; with problems: 422 naming the fields, nothing written.
    let (status, _, _) = s
        .call(reqwest::Method::POST, "/api/v1/systems", &t, Some(system))
        .await;
    assert_eq!(status, 409);
    let (status, body, _) = s
        .call(
            reqwest::Method::POST,
            "/api/v1/systems",
            &t,
            Some(json!({"id": "bad one", "name": "B", "category": "x", "origin": "XXX"})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"origin") && fields.contains(&"id"),
        "{body}"
    );
    assert_eq!(s.get("/api/v1/systems/bad%20one", &t).await.0, 404);
    let (status, body, _) = s
        .call(
            reqwest::Method::POST,
            "/api/v1/systems",
            &t,
            Some(json!([1, 2])),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let r = s
        .client
        .post(s.url("/api/v1/systems"))
        .bearer_auth(&t)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);

    // Update: the key may be left out, must not change; a missing label keeps the stored one.
    let label = json!({"policy": "DEFCOOP", "classification": "RESTRICTED",
        "categories": [{"type": "restrictive", "name": "RELEASABLE-TO", "values": ["KOR"]}]});
    let (status, body, _) = s
        .call(
            reqwest::Method::PUT,
            "/api/v1/systems/k9x-test",
            &t,
            Some(
                json!({"name": "K9X", "category": "self-propelled-howitzer", "origin": "KOR",
                "label": label}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["label"], label);
    let (status, body, _) = s
        .call(
            reqwest::Method::PUT,
            "/api/v1/systems/k9x-test",
            &t,
            Some(
                json!({"name": "K9X renamed", "category": "self-propelled-howitzer",
                "origin": "KOR"}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "K9X renamed");
    assert_eq!(
        body["label"], label,
        "omitting the label never declassifies"
    );
    let (status, body, _) = s
        .call(
            reqwest::Method::PUT,
            "/api/v1/systems/k9x-test",
            &t,
            Some(json!({"id": "other", "name": "x", "category": "x", "origin": "KOR"})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "id");

    // Delete: refused while something refers to the record, naming it.
    let (status, body, _) = s
        .call(
            reqwest::Method::DELETE,
            "/api/v1/domains/tactical-data-link",
            &t,
            None,
        )
        .await;
    assert_eq!(status, 409, "{body}");
    let message = body["error"].as_str().unwrap();
    assert!(message.contains("referred to by standard"), "{body}");
    let (status, _, _) = s
        .call(
            reqwest::Method::DELETE,
            "/api/v1/systems/k9x-test",
            &t,
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(s.get("/api/v1/systems/k9x-test", &t).await.0, 404);
    let (status, _, _) = s
        .call(
            reqwest::Method::DELETE,
            "/api/v1/systems/k9x-test",
            &t,
            None,
        )
        .await;
    assert_eq!(status, 404);

    // Every write is in the audit log.
    let log = s
        .app
        .audit(
            &Actor::operator(),
            &defcoop_store::AuditFilter {
                actor: None,
                record: None,
                from_ms: None,
                to_ms: None,
                before_seq: None,
                limit: 1000,
            },
        )
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for a in ["record.create", "record.update", "record.delete"] {
        assert!(actions.contains(&a), "{actions:?}");
    }
    assert!(matches!(
        s.app.verify_audit().await.unwrap(),
        defcoop_store::Verdict::Whole { .. }
    ));
}

#[tokio::test]
async fn roles_decide_who_writes() {
    let s = start().await;
    let viewer = s.token("reader").await;
    let (status, body, _) = s
        .call(
            reqwest::Method::POST,
            "/api/v1/nations",
            &viewer,
            Some(json!({"code": "ZZZ", "name": "Nowhere"})),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, _, _) = s
        .call(
            reqwest::Method::DELETE,
            "/api/v1/people/andrius-kubilius",
            &viewer,
            None,
        )
        .await;
    assert_eq!(status, 403);
    // A member writes registry records but not policies.
    let member = s.token("officer").await;
    let (status, _, _) = s
        .call(
            reqwest::Method::DELETE,
            "/api/v1/policies/DEFCOOP",
            &member,
            None,
        )
        .await;
    assert_eq!(status, 403);
    // Pages: the viewer sees no forms and may not open them.
    let (cookie, _) = s.session("reader").await;
    let (status, page) = s.page("/systems/k9", &cookie).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("/systems/k9/edit"),
        "no edit link for a viewer"
    );
    assert_eq!(s.page("/systems/new", &cookie).await.0, 403);
    assert_eq!(s.page("/systems/k9/edit", &cookie).await.0, 403);
}

#[tokio::test]
async fn pages_list_show_and_link_every_kind() {
    let s = start().await;
    let (cookie, _) = s.session("officer").await;
    let (status, page) = s.page("/", &cookie).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("officer") && page.contains("href=\"/systems\""),
        "dashboard"
    );
    for kind in [
        "policies",
        "nations",
        "blocs",
        "organizations",
        "people",
        "domains",
        "standards",
        "profiles",
        "systems",
        "conformances",
        "gateways",
    ] {
        let (status, page) = s.page(&format!("/{kind}"), &cookie).await;
        assert_eq!(status, 200, "/{kind}");
        // The list was made: a count of what matches, and a table when anything does.
        let shown = page.contains("Showing 1–");
        assert!(
            shown || page.contains("No record you may read matches."),
            "/{kind}"
        );
        assert_eq!(shown, page.contains("<table"), "/{kind}");
    }
    let (_, page) = s.page("/systems?origin=KOR&sort=-name", &cookie).await;
    assert!(page.contains("href=\"/systems/k9\""), "{page}");
    assert!(page.contains("aria-sort=\"descending\""));
    let (status, page) = s.page("/systems/k9", &cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains("K9 Thunder"));
    assert!(
        page.contains("href=\"/nations/KOR\""),
        "origin links to its nation"
    );
    assert!(page.contains("href=\"/organizations/hanwha-aerospace\""));
    assert!(page.contains("/interop/pair?a=k9"), "compare link");
    // A person: the native name beside the romanized one.
    let (status, page) = s.page("/people/seok-jong-gun", &cookie).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("석종건") && page.contains("Seok Jong-gun"),
        "{page}"
    );
    // Korean.
    let (_, page) = s.page("/systems/k9?lang=ko", &cookie).await;
    assert!(page.contains("원산국"), "field names in Korean");
    assert!(page.contains(">대한민국</a>"), "nation names in Korean");
    let (_, page) = s.page("/conformances?lang=en", &cookie).await;
    assert!(
        page.contains(">tested<") || page.contains(">claimed<"),
        "statuses in English"
    );
    let (_, page) = s.page("/conformances?lang=ko", &cookie).await;
    assert!(
        !page.contains(">tested<") && !page.contains(">claimed<"),
        "statuses in Korean"
    );
    // A bad filter is the list page with the problem, 400.
    let (status, page) = s.page("/systems?colour=red", &cookie).await;
    assert_eq!(status, 400);
    assert!(page.contains("colour") && page.contains("role=\"alert\""));
    // A hidden or absent record is 404.
    let (cookie_out, _) = s.session("outsider").await;
    assert_eq!(s.page("/systems/fa-50pl", &cookie_out).await.0, 404);
    assert_eq!(s.page("/systems/fa-50pl", &cookie).await.0, 200);
    assert_eq!(s.page("/systems/no-such", &cookie).await.0, 404);
}

#[tokio::test]
async fn forms_create_edit_and_delete_with_problems_beside_their_fields() {
    let s = start().await;
    let (cookie, csrf) = s.session("officer").await;
    let (status, page) = s.page("/systems/new", &cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"origin\"") && page.contains("list=\"suggest-origin\""));

    // Problems: the form again, 422, each message beside its field; nothing written.
    let (status, _, page) = s
        .post_form(
            "/systems",
            &cookie,
            &[
                ("csrf", &csrf),
                ("id", "k9-form"),
                ("name", ""),
                ("category", "artillery"),
                ("origin", "XXX"),
                ("operators", "[{"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("id=\"e-name\""), "name is required");
    assert!(page.contains("id=\"e-operators\""), "operators is not JSON");
    assert!(page.contains("value=\"k9-form\""), "what was typed is kept");
    assert_eq!(s.page("/systems/k9-form", &cookie).await.0, 404);
    let (status, _, page) = s
        .post_form(
            "/systems",
            &cookie,
            &[
                ("csrf", &csrf),
                ("id", "k9-form"),
                ("name", "K9 form"),
                ("category", "artillery"),
                ("origin", "XXX"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("id=\"e-origin\""),
        "unknown nation beside origin"
    );

    // Without the CSRF token: refused.
    let (status, _, _) = s
        .post_form(
            "/systems",
            &cookie,
            &[
                ("id", "k9-form"),
                ("name", "K9"),
                ("category", "a"),
                ("origin", "KOR"),
            ],
        )
        .await;
    assert_eq!(status, 403);

    let (status, location, _) = s
        .post_form(
            "/systems",
            &cookie,
            &[
                ("csrf", &csrf),
                ("id", "k9-form"),
                ("name", "K9 form"),
                ("aliases", "K9F, K-9F"),
                ("category", "artillery"),
                ("origin", "KOR"),
                ("producer", "hanwha-aerospace"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some("/systems/k9-form"));
    let (_, page) = s.page("/systems/k9-form", &cookie).await;
    assert!(page.contains("K9 form") && page.contains("K-9F"));

    // Edit: prefilled; saved.
    let (_, page) = s.page("/systems/k9-form/edit", &cookie).await;
    assert!(page.contains("value=\"K9 form\""));
    let (status, location, page) = s
        .post_form(
            "/systems/k9-form/edit",
            &cookie,
            &[
                ("csrf", &csrf),
                ("name", "K9 form, edited"),
                ("category", "artillery"),
                ("origin", "KOR"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{page}");
    assert_eq!(location.as_deref(), Some("/systems/k9-form"));
    let t = s.token("officer").await;
    let (_, record) = s.get("/api/v1/systems/k9-form", &t).await;
    assert_eq!(record["name"], "K9 form, edited");
    assert!(
        record.get("aliases").is_none(),
        "the form replaces the record"
    );

    // Delete: a referenced record stays, with the reason; this one goes.
    let (status, _, page) = s
        .post_form("/nations/KOR/delete", &cookie, &[("csrf", &csrf)])
        .await;
    assert_eq!(status, 409);
    assert!(page.contains("role=\"alert\"") && page.contains("referred to by"));
    let (status, location, _) = s
        .post_form("/systems/k9-form/delete", &cookie, &[("csrf", &csrf)])
        .await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some("/systems?deleted=k9-form"));
    let (_, page) = s.page("/systems?deleted=k9-form", &cookie).await;
    assert!(page.contains("role=\"status\""));
    assert_eq!(s.page("/systems/k9-form", &cookie).await.0, 404);
}
