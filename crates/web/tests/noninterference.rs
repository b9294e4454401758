//! Non-interference: two databases that differ only in records a persona may not read give
//! that persona byte-identical answers on every route — lists, totals, paging, matrices, pairs,
//! single records, errors. This catches what row filters miss: counts, short pages, scores, and
//! "forbidden" where "not found" was due.
//!
//! The routes are the router's own list (`ROUTES` below names a request for each, and the test
//! fails when the router has a GET route this list does not ask).

use defcoop_app::{Actor, App};
use defcoop_domain::json;
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::Application;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

/// What both databases hold beyond the demo: transfers the persona may read.
const SHARED: &str = include_str!("fixtures/shared.json");

/// What only the second database holds: every record hidden from the DAPA officer (DEFCOOP
/// RESTRICTED, releasable to KOR), of every kind, referencing visible records and each other
/// (among them a meeting, an engagement and an action item of the workspace).
/// [`k2_with_hidden_operator`] adds a visible system's operator entry naming a hidden nation.
const HIDDEN: &str = include_str!("fixtures/hidden.json");

/// What only the second database holds of the workspace: a hidden person, a hidden body with
/// its meeting, a hidden meeting of the demo's body in a zone no visible event uses (Seoul),
/// and an engagement with the hidden person.
const HIDDEN_WORKSPACE: &str = include_str!("fixtures/hidden_workspace.json");

/// A request for every GET route, with parameters that touch what is hidden.
const ROUTES: &[(&str, &[&str])] = &[
    ("/", &["/", "/?lang=ko"]),
    (
        "/transfers",
        &[
            "/transfers",
            "/transfers?supplier=KOR",
            "/transfers?recipient=XHN",
            "/transfers?from=2023&to=2023",
        ],
    ),
    (
        "/api/v1/transfers",
        &[
            "/api/v1/transfers",
            "/api/v1/transfers?supplier=KOR",
            "/api/v1/transfers?limit=1&offset=1",
            "/api/v1/transfers?recipient=XHN",
            "/api/v1/transfers?system=k9",
            "/api/v1/transfers?system=hidden-sys",
        ],
    ),
    (
        "/api/v1/transfers/{id}",
        &[
            "/api/v1/transfers/t-vis-1",
            "/api/v1/transfers/t-hid-1",
            "/api/v1/transfers/t-hid-2",
        ],
    ),
    (
        "/api/v1/records/{kind}/{*key}",
        &[
            "/api/v1/records/system/k2",
            "/api/v1/records/system/k9",
            "/api/v1/records/system/hidden-sys",
            "/api/v1/records/nation/XHN",
            "/api/v1/records/organization/hidden-corp",
            "/api/v1/records/standard/HIDDEN-STD",
            "/api/v1/records/conformance/k9/STANAG-5516",
            "/api/v1/records/conformance/pzh-2000/HIDDEN-STD",
            "/api/v1/records/gateway/gw-hidden",
        ],
    ),
    (
        "/api/v1/labels/{kind}/{*key}",
        &[
            "/api/v1/labels/system/hidden-sys",
            "/api/v1/labels/conformance/k9/STANAG-5516",
        ],
    ),
    (
        "/api/v1/interop/pair",
        &[
            "/api/v1/interop/pair?a=k9&b=pzh-2000",
            "/api/v1/interop/pair?a=k9&b=fa-50pl",
            "/api/v1/interop/pair?a=hidden-sys&b=k9",
            "/api/v1/interop/pair?a=k9&b=pzh-2000&domain=tactical-data-link",
        ],
    ),
    (
        "/api/v1/interop/matrix",
        &[
            "/api/v1/interop/matrix?left=all&right=all",
            "/api/v1/interop/matrix?left=origin:KOR&right=operator:POL&pairs=true",
            "/api/v1/interop/matrix?left=operator:XHN&right=all",
            "/api/v1/interop/matrix?left=producer:hidden-corp&right=all",
            "/api/v1/interop/matrix?left=ids:hidden-sys&right=all",
        ],
    ),
    (
        "/api/v1/{kind}",
        &[
            "/api/v1/systems",
            "/api/v1/systems?per_page=2&page=2",
            "/api/v1/systems?sort=-name&per_page=5",
            "/api/v1/systems?origin=KOR",
            "/api/v1/systems?operators=XHN",
            "/api/v1/systems?producer=hidden-corp",
            "/api/v1/systems?q=hidden",
            "/api/v1/nations?bloc=NATO",
            "/api/v1/nations",
            "/api/v1/organizations",
            "/api/v1/standards?domain=tactical-data-link",
            "/api/v1/conformances?standard=HIDDEN-STD",
            "/api/v1/conformances",
            "/api/v1/gateways",
            "/api/v1/people",
            "/api/v1/policies",
            "/api/v1/blocs",
            "/api/v1/domains",
            "/api/v1/profiles",
            "/api/v1/meetings",
            "/api/v1/engagements",
            "/api/v1/action_items",
        ],
    ),
    (
        "/api/v1/{kind}/{*key}",
        &[
            "/api/v1/systems/k2",
            "/api/v1/systems/hidden-sys",
            "/api/v1/nations/XHN",
            "/api/v1/conformances/pzh-2000/HIDDEN-STD",
            "/api/v1/organizations/hidden-corp",
            "/api/v1/meetings/hidden-meeting",
            "/api/v1/engagements/hidden-engagement",
        ],
    ),
    (
        "registry pages (registry::routes)",
        &[
            "/systems",
            "/systems?sort=-name&per_page=5&page=2",
            "/systems?origin=KOR",
            "/systems?q=hidden",
            "/systems?operators=XHN",
            "/nations?bloc=NATO",
            "/nations",
            "/organizations",
            "/standards",
            "/conformances",
            "/gateways",
            "/people",
            "/policies",
            "/systems/k2",
            "/systems/k9",
            "/systems/hidden-sys",
            "/nations/KOR",
            "/nations/XHN",
            "/standards/STANAG-5516",
            "/standards/HIDDEN-STD",
            "/organizations/hidden-corp",
            "/conformances/k9/STANAG-5516",
            "/systems/new",
            "/systems/k2/edit",
            "/systems/hidden-sys/edit",
            "/meetings",
            "/meetings/inaugural-meeting",
            "/meetings/hidden-meeting",
            "/engagements",
            "/action_items",
            "/proposals/joint-consultative-body",
            "/people/seok-jong-gun",
        ],
    ),
    (
        "/api/v1/interop/whatif",
        &[
            "/api/v1/interop/whatif?left=all&right=all&action=field:gw-link-k-stanag-5516",
            "/api/v1/interop/whatif?left=ids:k9&right=all&action=test:k9:HIDDEN-STD",
            "/api/v1/interop/whatif?left=all&right=all&action=field:gw-hidden",
        ],
    ),
    (
        "/api/v1/interop/plan",
        &[
            "/api/v1/interop/plan?left=all&right=all",
            "/api/v1/interop/plan?left=origin:KOR&right=operator:POL&target=1",
        ],
    ),
    (
        "/api/v1/flows",
        &[
            "/api/v1/flows",
            "/api/v1/flows?supplier=KOR",
            "/api/v1/flows?recipient=XHN",
        ],
    ),
    (
        "/interop/pair",
        &[
            "/interop/pair",
            "/interop/pair?a=k9&b=pzh-2000",
            "/interop/pair?a=hidden-sys&b=k9",
        ],
    ),
    (
        "/interop/matrix",
        &[
            "/interop/matrix",
            "/interop/matrix?left=all&right=all",
            "/interop/matrix?left=operator:XHN&right=all",
        ],
    ),
    (
        "/interop/matrix/cell",
        &[
            "/interop/matrix/cell?left=all&right=all&in=tactical-data-link&level=0",
            "/interop/matrix/cell?left=all&right=all&a=KOR&b=POL",
        ],
    ),
    (
        "/interop/whatif",
        &[
            "/interop/whatif",
            "/interop/whatif?left=all&right=all&actions=field:gw-link-k-stanag-5516",
            "/interop/whatif?left=all&right=all&actions=field:gw-hidden",
        ],
    ),
    (
        "/interop/plan",
        &["/interop/plan", "/interop/plan?left=all&right=all&on=2025-01-01"],
    ),
    (
        "/interop/plan/jobs/{id}",
        &[
            "/interop/plan/jobs/0000000000000000000000000000000000000000000000000000000000000000",
            "/interop/plan/jobs/0000000000000000000000000000000000000000000000000000000000000000?left=all&right=all&on=2025-01-01",
        ],
    ),
    (
        "/interop/plan/jobs/{id}/plan.json",
        &["/interop/plan/jobs/00/plan.json"],
    ),
    (
        "/interop/plan/jobs/{id}/plan.csv",
        &["/interop/plan/jobs/00/plan.csv?left=all&right=all&on=2025-01-01"],
    ),
    ("/flows", &["/flows", "/flows?supplier=KOR", "/flows?recipient=XHN"]),
    (
        "/search",
        &[
            "/search",
            "/search?q=k9",
            "/search?q=K9+Thunder&lang=ko",
            "/search?q=hidden",
            "/search?q=korea&kind=systems&page=2&limit=3",
            "/search?q=howitzer&kind=systems",
            "/search?q=%EC%84%9D%EC%A2%85%EA%B1%B4",
            "/search?q=x&kind=nope",
        ],
    ),
    (
        "/api/v1/search",
        &[
            "/api/v1/search?q=k9",
            "/api/v1/search?q=hidden",
            "/api/v1/search?q=K2",
            "/api/v1/search?q=stanag",
            "/api/v1/search?q=tactical+data+link",
            "/api/v1/search?q=korea&kind=transfers",
            "/api/v1/search?q=self+propelled+howitzer&kind=systems&limit=50",
            "/api/v1/search?q=gateway",
            "/api/v1/search?q=Hiddenland",
        ],
    ),
    (
        "/api/v1/search/suggest",
        &[
            "/api/v1/search/suggest?q=k",
            "/api/v1/search/suggest?q=hid",
            "/api/v1/search/suggest?q=K9+Th",
            "/api/v1/search/suggest?q=%EC%84%9D&limit=20",
        ],
    ),
    (
        "/api/v1/workspace/meetings",
        &[
            "/api/v1/workspace/meetings",
            "/api/v1/workspace/meetings?person=seok-jong-gun",
            "/api/v1/workspace/meetings?status=planned",
        ],
    ),
    (
        "/api/v1/workspace/meetings/{id}",
        &[
            "/api/v1/workspace/meetings/inaugural-meeting?tz=UTC",
            "/api/v1/workspace/meetings/hidden-meeting",
            "/api/v1/workspace/meetings/hidden-meeting?tz=Nowhere",
        ],
    ),
    (
        "/api/v1/workspace/minutes/{id}/markdown",
        &["/api/v1/workspace/minutes/inaugural-meeting-minutes/markdown"],
    ),
    (
        "/api/v1/workspace/actions",
        &[
            "/api/v1/workspace/actions",
            "/api/v1/workspace/actions?owner=hanwha-aerospace",
            "/api/v1/workspace/actions?state=overdue",
        ],
    ),
    (
        "/api/v1/workspace/actions/{id}",
        &[
            "/api/v1/workspace/actions/k9-adopts-stanag-5516",
            "/api/v1/workspace/actions/hidden-action",
        ],
    ),
    (
        "/api/v1/workspace/timeline",
        &[
            "/api/v1/workspace/timeline?person=seok-jong-gun",
            "/api/v1/workspace/timeline?nation=KOR&from=2025-11-01",
            "/api/v1/workspace/timeline?organization=dapa",
        ],
    ),
    (
        "/api/v1/workspace/network",
        &[
            "/api/v1/workspace/network",
            "/api/v1/workspace/network?from=2025-11-01&to=2025-12-31",
        ],
    ),
    ("/workspace", &["/workspace", "/workspace?lang=ko"]),
    (
        "/workspace/meetings/{id}",
        &[
            "/workspace/meetings/inaugural-meeting",
            "/workspace/meetings/hidden-meeting",
        ],
    ),
    (
        "/workspace/minutes/{id}",
        &[
            "/workspace/minutes/inaugural-meeting-minutes",
            "/workspace/minutes/inaugural-meeting-minutes.md",
        ],
    ),
    (
        "/workspace/proposals/{id}",
        &[
            "/workspace/proposals/joint-consultative-body",
            "/workspace/proposals/interop-plan-kor-nato",
        ],
    ),
    (
        "/workspace/proposals/table",
        &[
            "/workspace/proposals/table?left=origin%3AKOR&right=operator%3ANATO&target=2&budget=3&on=2026-12-01",
            "/workspace/proposals/table?left=all&right=all&domain=tactical-data-link&target=1&budget=1",
        ],
    ),
    (
        "/workspace/actions",
        &[
            "/workspace/actions",
            "/workspace/actions?owner=hanwha-aerospace&state=open",
        ],
    ),
    (
        "/workspace/timeline",
        &[
            "/workspace/timeline",
            "/workspace/timeline?person=seok-jong-gun",
            "/workspace/timeline?nation=KOR",
        ],
    ),
    (
        "/workspace/network",
        &["/workspace/network", "/workspace/network?from=2025-11-01"],
    ),
    (
        "/api/v1/match",
        &[
            "/api/v1/match?need=pol-artillery-data-link&top=100",
            "/api/v1/match?need=eu-counter-drone-sensors&top=100",
            "/api/v1/match?need=kor-uav-nato-control",
            "/api/v1/match?offer=hanwha-link16-fire-control&top=100",
            "/api/v1/match?need=hidden-need",
            "/api/v1/match?offer=hidden-offer",
        ],
    ),
    (
        "/matchmaking",
        &[
            "/matchmaking",
            "/matchmaking?need=pol-artillery-data-link&top=100",
            "/matchmaking?offer=hidden-offer&lang=ko",
        ],
    ),
    (
        "/api/v1/consortium/build",
        &[
            "/api/v1/consortium/build?need=eu-counter-drone-sensors&instrument=safe-modelled&size=3&top=50",
            "/api/v1/consortium/build?need=pol-artillery-data-link&instrument=edf-modelled&top=50",
            "/api/v1/consortium/build?need=hidden-need&instrument=edf-modelled",
        ],
    ),
    (
        "/matchmaking/build",
        &[
            "/matchmaking/build",
            "/matchmaking/build?need=pol-artillery-data-link&instrument=edf-modelled&size=2",
        ],
    ),
    (
        "/matchmaking/consortium",
        &[
            "/matchmaking/consortium",
            "/matchmaking/consortium?instrument=safe-modelled&members=wb-group,hanwha-aerospace",
            "/matchmaking/consortium?instrument=edf-modelled&members=hidden-corp",
        ],
    ),
    ("/static/search.js", &["/static/search.js"]),
    ("/api/v1/me", &["/api/v1/me"]),
    ("/api/openapi.json", &["/api/openapi.json"]),
    ("/admin/audit", &["/admin/audit"]),
    ("/healthz", &["/healthz"]),
    ("/readyz", &["/readyz"]),
    (
        "/lang/{code}",
        &[
            "/lang/ko",
            "/lang/en?back=/transfers?supplier=XHN",
            "/lang/xx",
        ],
    ),
    ("/signin", &["/signin"]),
    (
        "/signin/oidc/callback",
        &[
            "/signin/oidc/callback",
            "/signin/oidc/callback?state=00&code=x",
        ],
    ),
    ("/signin/oidc/{id}", &["/signin/oidc/nobody"]),
    ("/setup", &["/setup?token=0000"]),
    (
        "/calendar/bodies/{file}",
        &[
            "/calendar/bodies/kor-nato-eu-consultative-body.ics",
            "/calendar/bodies/hidden-body.ics",
            "/calendar/bodies/kor-nato-eu-consultative-body",
        ],
    ),
    (
        "/calendar/people/{file}",
        &[
            "/calendar/people/seok-jong-gun.ics",
            "/calendar/people/hidden-person.ics",
        ],
    ),
    (
        "/calendar/meetings/{file}",
        &[
            "/calendar/meetings/inaugural-meeting.ics",
            "/calendar/meetings/hidden-meeting.ics",
        ],
    ),
    ("/calendar/mine.ics", &["/calendar/mine.ics"]),
    (
        "/calendar/feed/{file}",
        &[
            "/calendar/feed/dcf_0000000000000000000000000000000000000000000000000000000000000000.ics",
            "/calendar/feed/x.ics",
        ],
    ),
    ("/api/v1/calendar/feeds", &["/api/v1/calendar/feeds"]),
    ("(none)", &["/no/such/page", "/api/v1/nothing"]),
];

struct Served {
    base: String,
    /// The DAPA officer's.
    token: String,
    /// The administrator's, who may read everything the demo labels.
    admin: String,
    _dir: tempfile::TempDir,
}

/// The demo's K2 with one more operator: the hidden nation.
fn k2_with_hidden_operator() -> String {
    let demo: serde_json::Value = serde_json::from_str(DEMO).unwrap();
    let mut k2 = demo["systems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "k2")
        .unwrap()
        .clone();
    k2["operators"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"nation": "XHN", "quantity": 7}));
    serde_json::json!({"format": "defcoop-dataset", "version": 1, "systems": [k2]}).to_string()
}

async fn serve(extra: &[&str]) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("ni.db").display().to_string())
        .await
        .unwrap();
    for text in std::iter::once(&DEMO).chain(extra) {
        let incoming = json::parse(text.as_bytes()).unwrap();
        store
            .import(&incoming, &Writer::operator(), Progress::NONE)
            .await
            .unwrap();
    }
    let app = App::cached(store).await.unwrap();
    app.demo_personas().await.unwrap();
    let token = app
        .create_token(&Actor::operator(), "dapa-officer", None)
        .await
        .unwrap()
        .token;
    let admin = app
        .create_token(&Actor::operator(), "admin", None)
        .await
        .unwrap()
        .token;
    let server = Application::build(app, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until(std::future::pending()));
    Served {
        base,
        token,
        admin,
        _dir: dir,
    }
}

/// Status, content type and body; the form token a sign-in page makes is random, and a
/// calendar's stamp is the time it was made: both masked.
async fn answer(client: &reqwest::Client, s: &Served, path: &str) -> String {
    let r = client
        .get(format!("{}{path}", s.base))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or("").to_string())
        .unwrap_or_default();
    let body = r.text().await.unwrap();
    let body = match body.find("name=\"csrf\" value=\"") {
        Some(at) => {
            let start = at + "name=\"csrf\" value=\"".len();
            let end = start + body[start..].find('"').unwrap_or(0);
            format!("{}MASKED{}", &body[..start], &body[end..])
        }
        None => body,
    };
    let body: String = body
        .split_inclusive('\n')
        .map(|l| {
            if l.starts_with("DTSTAMP:") {
                "DTSTAMP:MASKED\r\n"
            } else {
                l
            }
        })
        .collect();
    format!("{status} {kind}\n{body}")
}

#[tokio::test]
async fn records_the_reader_may_not_read_change_no_answer() {
    let shared = serve(&[SHARED]).await;
    let k2 = k2_with_hidden_operator();
    let more = serve(&[SHARED, HIDDEN, &k2, HIDDEN_WORKSPACE]).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut asked = 0;
    for (_, paths) in ROUTES {
        for path in *paths {
            let a = answer(&client, &shared, path).await;
            let b = answer(&client, &more, path).await;
            if a != b {
                let (la, lb) = a
                    .lines()
                    .zip(b.lines())
                    .find(|(x, y)| x != y)
                    .unwrap_or(("(shorter)", "(longer)"));
                panic!("{path} tells the databases apart:\n  without: {la}\n  with:    {lb}");
            }
            asked += 1;
        }
    }
    assert!(asked > 30);
    // The test can fail: the administrator may read most of what the second database adds,
    // and its answers do tell the databases apart.
    let admin = |s: &Served, path: &'static str| {
        let client = client.clone();
        let (base, token) = (s.base.clone(), s.admin.clone());
        async move {
            client
                .get(format!("{base}{path}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    for path in [
        "/api/v1/transfers",
        "/api/v1/records/system/hidden-sys",
        "/",
        "/workspace",
        "/api/v1/workspace/meetings",
        "/api/v1/workspace/network",
    ] {
        assert_ne!(
            admin(&shared, path).await,
            admin(&more, path).await,
            "{path}"
        );
    }
}

#[test]
fn every_get_route_of_the_router_is_asked() {
    // The router's own routes, and those lib.rs merges from calendar.rs.
    let source: String = [
        include_str!("../src/lib.rs"),
        include_str!("../src/calendar.rs"),
    ]
    .concat()
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ");
    let asked: Vec<&str> = ROUTES.iter().map(|(route, _)| *route).collect();
    let mut routes = 0;
    for declaration in source.split(".route(").skip(1) {
        let declaration = declaration.split(".fallback(").next().unwrap_or("");
        let Some(route) = declaration.trim_start().strip_prefix('"') else {
            continue;
        };
        let route = route.split('"').next().unwrap_or("");
        routes += 1;
        if declaration.contains("get(") {
            assert!(
                asked.contains(&route),
                "the router's GET {route} is not asked by ROUTES"
            );
        }
    }
    assert!(routes > 10, "the router's routes were not found in lib.rs");
}
