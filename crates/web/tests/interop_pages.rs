//! The what-if, plan and flows API and the interoperability pages: the real app on port 0 with
//! a fresh database holding the demo (and a few transfers), read through API tokens of demo
//! personas with different clearances.

use std::sync::Arc;

use defcoop_app::{Actor, App, MatrixQuery, PlanQuery};
use defcoop_domain::json;
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::Application;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");
const SHARED: &str = include_str!("fixtures/shared.json");

struct Served {
    base: String,
    app: App,
    client: reqwest::Client,
    /// The DAPA officer's token, and the administrator's (who reads more).
    dapa: String,
    admin: String,
    _dir: tempfile::TempDir,
}

async fn serve() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("p.db").display().to_string())
        .await
        .unwrap();
    for text in [DEMO, SHARED] {
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
    app.demo_personas().await.unwrap();
    let token = |name: &'static str| {
        let app = app.clone();
        async move {
            app.create_token(&Actor::operator(), name, None)
                .await
                .unwrap()
                .token
        }
    };
    let (dapa, admin) = (token("dapa-officer").await, token("admin").await);
    let server = Application::build(app.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until(std::future::pending()));
    Served {
        base,
        app,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        dapa,
        admin,
        _dir: dir,
    }
}

impl Served {
    async fn get(&self, token: &str, path: &str) -> (u16, String, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, location, r.text().await.unwrap())
    }

    async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, _, body) = self.get(&self.dapa, path).await;
        let v = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{path}: not JSON: {body}"));
        (status, v)
    }

    async fn actor(&self) -> Actor {
        self.app.actor_of("dapa-officer").await.unwrap()
    }
}

fn fleets(left: &str, right: &str, domains: &[&str]) -> MatrixQuery {
    MatrixQuery {
        left: vec![left.into()],
        right: vec![right.into()],
        domains: domains.iter().map(|d| d.to_string()).collect(),
        ..MatrixQuery::default()
    }
}

#[tokio::test]
async fn whatif_plan_and_flows_answer_the_clis_json() {
    let s = serve().await;
    let actor = s.actor().await;

    let (status, body) = s
        .json("/api/v1/interop/whatif?left=ids:k9&right=all&domain=tactical-data-link&action=field:gw-link-k-stanag-5516")
        .await;
    assert_eq!(status, 200, "{body}");
    let q = fleets("ids:k9", "all", &["tactical-data-link"]);
    let w = s
        .app
        .whatif(&actor, &q, &["field:gw-link-k-stanag-5516".to_string()])
        .await
        .unwrap();
    let cli = serde_json::json!({
        "actions": w.actions,
        "before": w.before.report(),
        "after": w.after.report(),
    });
    assert_eq!(body, cli);
    assert_ne!(
        body["before"], body["after"],
        "fielding the gateway lifts pairs"
    );

    let (status, body) = s
        .json("/api/v1/interop/plan?left=origin:KOR&right=operator:POL&domain=tactical-data-link&target=1")
        .await;
    assert_eq!(status, 200, "{body}");
    let plan = s
        .app
        .plan(
            &actor,
            &PlanQuery {
                fleets: fleets("origin:KOR", "operator:POL", &["tactical-data-link"]),
                target: 1,
                budget: 10,
            },
            Arc::new(defcoop_engine::NoProgress),
        )
        .await
        .unwrap();
    assert_eq!(body, serde_json::to_value(&plan.plan).unwrap());

    let (status, body) = s.json("/api/v1/flows?supplier=KOR&top=5").await;
    assert_eq!(status, 200, "{body}");
    let flows = s
        .app
        .flows(
            &actor,
            defcoop_engine::FlowQuery {
                suppliers: vec!["KOR".into()],
                top: 5,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(body, serde_json::to_value(&flows.flows).unwrap());
}

#[tokio::test]
async fn bad_engine_questions_are_400_or_404_json() {
    let s = serve().await;
    let many_actions: String = (0..101)
        .map(|_| "&action=field:gw-link-k-stanag-5516")
        .collect();
    for (path, want, says) in [
        ("/api/v1/interop/whatif?left=all&right=all", 400, "at least one action"),
        ("/api/v1/interop/whatif?left=all&right=all&action=launch:k9", 400, "\"launch:k9\" is not an action"),
        ("/api/v1/interop/whatif?left=all&right=all&action=field:nope", 404, "unknown gateway"),
        ("/api/v1/interop/whatif?left=all&right=all&action=field:gw-link-k-stanag-5516&colour=red", 400, "unknown parameter"),
        ("/api/v1/interop/whatif?right=all&action=field:gw-link-k-stanag-5516", 400, "left fleet"),
        ("/api/v1/interop/plan?left=all&right=all&budget=0", 400, "budget"),
        ("/api/v1/interop/plan?left=all&right=all&budget=101", 400, "budget"),
        ("/api/v1/interop/plan?left=all&right=all&budget=ten", 400, "budget"),
        ("/api/v1/interop/plan?left=all&right=all&target=4", 400, "target"),
        ("/api/v1/interop/plan?left=all&right=all&target=1&target=2", 400, "more than once"),
        ("/api/v1/interop/plan?left=all&right=all&on=", 400, "not a date"),
        ("/api/v1/interop/plan?left=colour:red&right=all", 400, "colour"),
        ("/api/v1/interop/plan?left=all&right=all&domain=space", 404, "unknown domain"),
        ("/api/v1/flows?supplier=ATLANTIS", 400, "ATLANTIS"),
        ("/api/v1/flows?from=2020&to=2010", 400, "year range"),
        ("/api/v1/flows?top=0", 400, "top"),
        ("/api/v1/flows?top=99999999999999999999999", 400, "top"),
        ("/api/v1/flows?members-on=yesterday", 400, "not a date"),
        ("/api/v1/flows?supplier=KOR&colour=red", 400, "unknown parameter"),
    ] {
        let (status, body) = s.json(path).await;
        assert_eq!(status, want, "{path}: {body}");
        let e = body["error"].as_str().unwrap_or_default();
        assert!(e.contains(says), "{path}: {e}");
    }
    let path = format!("/api/v1/interop/whatif?left=all&right=all{many_actions}");
    let (status, body) = s.json(&path).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("at most 100 actions"));
}

#[tokio::test]
async fn pages_show_answers_with_their_banner() {
    let s = serve().await;
    // The DAPA officer may read K9's Hanwha-labelled STANAG-4425 conformance? Whatever the
    // answer, the pair page and the API agree, and the banner covers what the page shows.
    let (status, _, html) = s.get(&s.admin, "/interop/pair?a=k9&b=pzh-2000").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("artillery-ammunition"), "{html}");
    assert!(html.contains("href=\"/systems/k9\""), "links to the record");
    assert!(html.contains("href=\"/standards/STANAG-4425\""), "{html}");
    assert!(html.contains("<datalist id=\"systems\">"));
    assert!(
        html.contains("class=\"banner\""),
        "the labelled conformance marks the page"
    );
    let (status, _, html) = s.get(&s.dapa, "/interop/pair?a=k9&b=nope").await;
    assert_eq!(status, 404);
    assert!(html.contains("unknown system"), "{html}");

    let (status, _, html) = s
        .get(
            &s.dapa,
            "/interop/matrix?left=origin:KOR&right=operator:NATO&lang=ko",
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("편대 행렬") && html.contains("<caption>"),
        "{html}"
    );
    assert!(html.contains("/interop/matrix/cell?"), "cells drill down");
    assert!(
        html.contains("lang=ko"),
        "links keep the language asked for"
    );
    let (status, _, html) = s
        .get(
            &s.dapa,
            "/interop/matrix?left=origin:KOR&right=all&colour=red",
        )
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("unknown parameter"));

    let cell = "/interop/matrix/cell?left=origin:KOR&right=all&in=tactical-data-link&level=0";
    let (status, _, html) = s.get(&s.admin, cell).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("/interop/pair?a="),
        "each pair links to its evidence"
    );

    let (status, _, html) = s
        .get(&s.dapa, "/interop/whatif?left=ids:k9&right=all&domain=tactical-data-link&actions=field:gw-link-k-stanag-5516")
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("→"), "{html}");
    let (status, _, html) = s
        .get(
            &s.dapa,
            "/interop/whatif?left=all&right=all&actions=field:gw-link-k-stanag-5516%0Alaunch:k9",
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        html.contains("2: &#34;launch:k9&#34; is not an action"),
        "names the bad line: {html}"
    );

    // A form sent with its date and domains left empty asks for no date and every domain.
    for page in [
        "/interop/matrix?left=operator:KOR&right=operator:NATO&domain=&on=",
        "/interop/whatif?left=operator:KOR&right=operator:NATO&domain=&on=&actions=field:gw-link-k-stanag-5516",
        "/interop/plan?left=operator:KOR&right=operator:NATO&domain=&on=&target=2&budget=3",
    ] {
        let (status, _, html) = s.get(&s.dapa, page).await;
        assert!(status == 200 || status == 303, "{page}: {status} {html}");
        assert!(!html.contains("is not a date"), "{page}: {html}");
    }
    // Given, a date must be one.
    let (status, _, html) = s
        .get(&s.dapa, "/interop/matrix?left=all&right=all&on=soon")
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("is not a date"), "{html}");

    let (status, _, html) = s.get(&s.dapa, "/flows?supplier=KOR").await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("<svg") && html.contains("flows-table"),
        "{html}"
    );
    let (status, _, _) = s.get(&s.dapa, "/flows?from=2020&to=2010").await;
    assert_eq!(status, 400);
    let (_, _, home) = s.get(&s.dapa, "/").await;
    assert!(home.contains("href=\"/interop/matrix") && home.contains("href=\"/flows"));
}

/// Follows a job page until the plan is done (the page refreshes itself while it runs).
async fn finished_job(s: &Served, token: &str, job: &str) -> String {
    for _ in 0..600 {
        let (status, _, html) = s.get(token, job).await;
        assert_eq!(status, 200, "{html}");
        if !html.contains("http-equiv=\"refresh\"") {
            return html;
        }
        assert!(
            html.contains("<progress"),
            "a running job shows its progress"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the plan does not finish");
}

#[tokio::test]
async fn a_plan_runs_as_a_job_that_only_its_view_may_read() {
    let s = serve().await;
    let ask = "/interop/plan?left=origin:KOR&right=operator:POL&domain=tactical-data-link&target=1&budget=5";
    let (status, job, _) = s.get(&s.dapa, ask).await;
    assert_eq!(status, 303);
    assert!(job.starts_with("/interop/plan/jobs/"), "{job}");
    let html = finished_job(&s, &s.dapa, &job).await;
    assert!(html.contains("k9"), "{html}");
    assert!(html.contains("+6"), "the step's gain: {html}");
    // The same question again is the same job.
    let (_, again, _) = s.get(&s.dapa, ask).await;
    assert_eq!(again, job);

    let (path, query) = job.split_once('?').unwrap();
    let (status, _, json) = s.get(&s.dapa, &format!("{path}/plan.json?{query}")).await;
    assert_eq!(status, 200);
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (_, api) = s
        .json("/api/v1/interop/plan?left=origin:KOR&right=operator:POL&domain=tactical-data-link&target=1&budget=5")
        .await;
    assert_eq!(plan, api, "the download is the CLI's JSON");
    let (status, _, csv) = s.get(&s.dapa, &format!("{path}/plan.csv?{query}")).await;
    assert_eq!(status, 200);
    assert!(
        csv.starts_with(
            "step,kind,system,standard,gateway,domain,from,to,gain\n1,adopt,k9,STANAG-5516,,,,,6\n"
        ),
        "{csv}"
    );
    // Without its question, a held job is found by its id...
    let (status, _, _) = s.get(&s.dapa, path).await;
    assert_eq!(status, 200);

    // ... but not by a reader of another clearance: its id is another, and without the
    // question there is nothing to recompute.
    let (status, _, _) = s.get(&s.admin, path).await;
    assert_eq!(status, 404);
    let (status, theirs, _) = s.get(&s.admin, &job).await;
    assert_eq!(status, 303, "recomputed over the asker's own view");
    assert_ne!(theirs, job);
    assert_eq!(theirs.split_once('?').unwrap().1, query);
    let (status, moved, _) = s.get(&s.admin, &format!("{path}/plan.csv?{query}")).await;
    assert_eq!(status, 303);
    assert!(moved.contains("/plan.csv?"), "{moved}");
    finished_job(&s, &s.admin, &theirs).await;

    // An unknown id: 404 without a question, the question's own job with one.
    let zero = "0".repeat(64);
    let (status, _, _) = s.get(&s.dapa, &format!("/interop/plan/jobs/{zero}")).await;
    assert_eq!(status, 404);
    let (status, to, _) = s
        .get(&s.dapa, &format!("/interop/plan/jobs/{zero}?{query}"))
        .await;
    assert_eq!((status, to.as_str()), (303, job.as_str()));
    let (status, _, _) = s.get(&s.dapa, "/interop/plan/jobs/..%2F..%2Fetc").await;
    assert_eq!(status, 404);
    // A bad question is a 400 page naming the parameter, and starts nothing.
    let (status, _, html) = s
        .get(&s.dapa, "/interop/plan?left=all&right=all&budget=500")
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("budget"), "{html}");
}
