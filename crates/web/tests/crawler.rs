//! The crawler: signs in as each demo persona (through the sign-in form for pages, with an
//! API token for the API), follows every link of every page it reaches and asks every GET
//! operation of the API's OpenAPI description, and asserts that no marker of a record hidden
//! from that persona (its id or code, or a name no visible record shares) appears anywhere,
//! and that every hidden record's id answers 404 on every route that takes one.

use std::collections::{BTreeSet, HashSet, VecDeque};

use defcoop_app::{Actor, App};
use defcoop_domain::json;
use defcoop_domain::model::{Dataset, Keyed, Kind};
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::Application;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

const DEMO: &str = include_str!("../../../data/demo/dataset.json");
const SHARED: &str = include_str!("fixtures/shared.json");
const HIDDEN: &str = include_str!("fixtures/hidden.json");
const HIDDEN_WORKSPACE: &str = include_str!("fixtures/hidden_workspace.json");

/// Pages one persona's crawl may visit: every record page, every list in every sort order and
/// page, and every pair of systems in every domain that the matrix cells link to (about 8,000
/// for the administrator; the registry is small, so this only bounds a bug).
const MAX_PAGES: usize = 20_000;

struct Site {
    base: String,
    app: App,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("crawl.db").display().to_string())
        .await
        .unwrap();
    for text in [DEMO, SHARED, HIDDEN, HIDDEN_WORKSPACE] {
        store
            .import(
                &json::parse(text.as_bytes()).unwrap(),
                &Writer::operator(),
                Progress::NONE,
            )
            .await
            .unwrap();
    }
    let app = App::cached(store).await.unwrap();
    let server = Application::build(app.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until(std::future::pending()));
    Site {
        base,
        app,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        _dir: dir,
    }
}

/// The records of `all` that `seen` lacks, by kind and key.
fn hidden(all: &Dataset, seen: &Dataset) -> Vec<(Kind, String)> {
    let seen: HashSet<(Kind, String)> = seen.keys().into_iter().collect();
    all.keys()
        .into_iter()
        .filter(|k| !seen.contains(k))
        .collect()
}

/// Texts that would give a hidden record away: ids and codes, and the names of hidden
/// records that no visible record shares (a visible text containing the name is no leak).
fn markers(all: &Dataset, seen: &Dataset, hidden: &[(Kind, String)]) -> Vec<String> {
    fn names<T: Keyed>(rs: &[T], name: impl Fn(&T) -> &str) -> Vec<(Kind, String, String)> {
        rs.iter()
            .map(|r| (T::KIND, r.key_text(), name(r).to_string()))
            .collect()
    }
    let visible_text = json::to_string(seen);
    let hidden: HashSet<&(Kind, String)> = hidden.iter().collect();
    let mut out = BTreeSet::new();
    let all_names = [
        names(&all.nations, |n| &n.name),
        names(&all.organizations, |o| &o.name),
        names(&all.systems, |s| &s.name),
        names(&all.standards, |s| &s.title),
        names(&all.gateways, |g| &g.name),
        names(&all.transfers, |t| &t.designation),
        names(&all.people, |p| &p.name),
        names(&all.bodies, |b| &b.name),
        names(&all.meetings, |m| &m.title),
        names(&all.proposals, |p| &p.title),
        names(&all.action_items, |a| &a.title),
        names(&all.engagements, |e| &e.title),
    ]
    .concat();
    for (kind, key, name) in all_names {
        if !hidden.contains(&(kind, key.clone())) {
            continue;
        }
        // Short keys (nation codes) only count whole, as a word of their own.
        out.insert(key);
        if !visible_text.contains(&name) {
            out.insert(name);
        }
    }
    out.into_iter().collect()
}

fn leaks(body: &str, markers: &[String]) -> Vec<String> {
    markers
        .iter()
        .filter(|m| {
            body.match_indices(m.as_str()).any(|(at, _)| {
                let before = body[..at].chars().next_back();
                let after = body[at + m.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
                !word(before) && !word(after)
            })
        })
        .cloned()
        .collect()
}

/// Same-site links of a page (`href="/..."`), without fragments.
fn links(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .map(|l| l.replace("&amp;", "&").replace("&#38;", "&"))
        .map(|l| l.split('#').next().unwrap_or("").to_string())
        .collect()
}

/// Signs in through the form; the session cookie.
async fn sign_in(s: &Site, name: &str, password: &str) -> String {
    let r = s
        .client
        .get(format!("{}/signin", s.base))
        .send()
        .await
        .unwrap();
    let form = r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("defcoop_form="))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_string();
    let page = r.text().await.unwrap();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let r = s
        .client
        .post(format!("{}/signin", s.base))
        .header(COOKIE, format!("defcoop_form={form}"))
        .form(&[
            ("name", name),
            ("password", password),
            ("csrf", &csrf),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{name} signs in");
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("defcoop_session="))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn no_persona_sees_a_trace_of_what_it_may_not_read() {
    let s = site().await;
    let personas = s.app.demo_personas().await.unwrap();
    let all = s.app.export(&Actor::operator()).await.unwrap();
    let spec: serde_json::Value =
        serde_json::from_str(include_str!("../../../docs/openapi.json")).unwrap();
    let mut hidden_somewhere = 0;
    for p in &personas {
        let actor = s.app.actor_of(&p.name).await.unwrap();
        let seen = s.app.export(&actor).await.unwrap();
        let hidden = hidden(&all, &seen);
        hidden_somewhere += hidden.len();
        let markers = markers(&all, &seen, &hidden);
        let token = s
            .app
            .create_token(&Actor::operator(), &p.name, None)
            .await
            .unwrap()
            .token;
        let session = sign_in(&s, &p.name, &p.password).await;

        // Pages: every link, breadth first, in both languages.
        let mut queue: VecDeque<String> = [
            "/",
            "/?lang=ko",
            "/transfers",
            "/admin/audit",
            "/search?q=k9",
            "/search?q=hidden&lang=ko",
            "/search?q=korea",
            "/search?q=STANAG-5516",
            "/workspace",
            "/workspace/network",
            "/workspace/timeline?person=seok-jong-gun",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let mut visited = HashSet::new();
        while let Some(path) = queue.pop_front() {
            if !visited.insert(path.clone()) || path.starts_with("/signout") {
                continue;
            }
            // A crawl that does not end says which pages it kept finding.
            if visited.len() > MAX_PAGES {
                let mut by: std::collections::BTreeMap<&str, usize> = Default::default();
                for v in &visited {
                    *by.entry(v.split('?').next().unwrap_or("")).or_default() += 1;
                }
                let mut top: Vec<_> = by.into_iter().collect();
                top.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
                top.truncate(12);
                let sample: Vec<&String> = visited
                    .iter()
                    .filter(|v| v.starts_with(top[0].0))
                    .take(8)
                    .collect();
                panic!(
                    "{}: the crawl does not end; most visited: {top:?}; e.g. {sample:?}",
                    p.name
                );
            }
            let r = s
                .client
                .get(format!("{}{path}", s.base))
                .header(COOKIE, format!("defcoop_session={session}"))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            if let Some(to) = r.headers().get(LOCATION) {
                queue.push_back(to.to_str().unwrap().to_string());
            }
            let body = r.text().await.unwrap();
            assert!(status < 500, "{}: {path} answered {status}", p.name);
            let found = leaks(&body, &markers);
            assert!(found.is_empty(), "{}: {path} shows {found:?}", p.name);
            queue.extend(links(&body));
        }
        assert!(
            visited.len() >= 4,
            "{}: the crawl reached {visited:?}",
            p.name
        );

        // The API: every GET operation of the description, with its examples...
        let get = |path: String| {
            let client = s.client.clone();
            let url = format!("{}{path}", s.base);
            let token = token.clone();
            async move {
                let r = client.get(url).bearer_auth(token).send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            }
        };
        for (path, ops) in spec["paths"].as_object().unwrap() {
            let Some(op) = ops.get("get") else { continue };
            let mut url = path.clone();
            let mut query = Vec::new();
            for param in op["parameters"].as_array().into_iter().flatten() {
                let name = param["name"].as_str().unwrap();
                let example = param
                    .get("example")
                    .or_else(|| param["schema"].get("example"));
                let value = match example {
                    Some(serde_json::Value::String(v)) => v.clone(),
                    Some(serde_json::Value::Array(vs)) => vs
                        .first()
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    _ => continue,
                };
                if param["in"] == "path" {
                    url = url.replace(&format!("{{{name}}}"), &value);
                } else {
                    query.push((name.to_string(), value));
                }
            }
            if !query.is_empty() {
                url = format!("{url}?{}", serde_urlencoded::to_string(&query).unwrap());
            }
            let (status, body) = get(url.clone()).await;
            assert!(status < 500, "{}: {url} answered {status}", p.name);
            let found = leaks(&body, &markers);
            assert!(found.is_empty(), "{}: {url} shows {found:?}", p.name);
        }
        for extra in [
            "/api/v1/transfers?limit=1000",
            "/api/v1/interop/matrix?left=all&right=all&pairs=true",
            "/calendar/mine.ics",
        ] {
            let (_, body) = get(extra.to_string()).await;
            let found = leaks(&body, &markers);
            assert!(found.is_empty(), "{}: {extra} shows {found:?}", p.name);
        }
        // ... and every hidden record on every route that takes an id: 404, like an absent one.
        for (kind, key) in &hidden {
            let noun = kind.noun();
            let mut routes = vec![format!("/api/v1/records/{noun}/{key}")];
            if *kind != Kind::Policy {
                routes.push(format!("/api/v1/labels/{noun}/{key}"));
            }
            if *kind == Kind::Transfer {
                routes.push(format!("/api/v1/transfers/{key}"));
            }
            let calendar = match kind {
                Kind::Body => Some("bodies"),
                Kind::Person => Some("people"),
                Kind::Meeting => Some("meetings"),
                _ => None,
            };
            if let Some(c) = calendar {
                routes.push(format!("/calendar/{c}/{key}.ics"));
            }
            match kind {
                Kind::Meeting => {
                    routes.push(format!("/api/v1/workspace/meetings/{key}"));
                    routes.push(format!("/workspace/meetings/{key}"));
                }
                Kind::Minutes => {
                    routes.push(format!("/api/v1/workspace/minutes/{key}/markdown"));
                    routes.push(format!("/workspace/minutes/{key}"));
                }
                Kind::Proposal => routes.push(format!("/workspace/proposals/{key}")),
                Kind::ActionItem => routes.push(format!("/api/v1/workspace/actions/{key}")),
                _ => {}
            }
            for route in routes {
                let (status, body) = get(route.clone()).await;
                assert_eq!(status, 404, "{}: {route} answered {status}: {body}", p.name);
            }
        }
    }
    assert!(
        hidden_somewhere > 20,
        "the crawl must have something to find"
    );
}

#[test]
fn the_leak_finder_finds_whole_markers_only() {
    let markers = vec!["XHN".to_string(), "Hidden System".to_string()];
    assert_eq!(leaks("code XHN here", &markers), ["XHN"]);
    assert!(leaks("codes XHNX and AXHN", &markers).is_empty());
    assert_eq!(leaks("<td>Hidden System</td>", &markers), ["Hidden System"]);
}
