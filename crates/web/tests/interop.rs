//! `/api/v1/interop/...` and `/api/v1/records/...`: the real app on port 0, a fresh database
//! with the demo, read as an anonymous visitor (labelled records hidden).

use std::sync::Arc;

use defcoop_app::{Actor, App, MatrixQuery};
use defcoop_domain::json;
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::Application;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

struct Served {
    base: String,
    app: App,
    _dir: tempfile::TempDir,
}

async fn serve_demo() -> Served {
    serve(json::parse(DEMO.as_bytes()).unwrap()).await
}

async fn serve(incoming: defcoop_domain::Incoming) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("i.db").display().to_string())
        .await
        .unwrap();
    store
        .import(&incoming, &Writer::operator(), Progress::NONE)
        .await
        .unwrap();
    let app = App::cached(store).await.unwrap();
    // An uncleared reader: what labels hide is part of what these tests check.
    let server = Application::build(app.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
        .reading_as(defcoop_domain::Reader::Cleared(Default::default()));
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until(std::future::pending()));
    Served {
        base,
        app,
        _dir: dir,
    }
}

async fn get(base: &str, path: &str) -> (u16, serde_json::Value) {
    let r = reqwest::get(format!("{base}{path}")).await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, v)
}

#[tokio::test]
async fn pair_over_http_is_the_use_case_answer() {
    let s = serve_demo().await;
    let (status, body) = get(&s.base, "/api/v1/interop/pair?a=k9&b=pzh-2000").await;
    assert_eq!(status, 200, "{body}");
    let direct = s
        .app
        .pair(&Actor::anonymous(), "k9", "pzh-2000", &[])
        .await
        .unwrap();
    assert_eq!(body, serde_json::to_value(&direct).unwrap(), "one shape");
    // K9's conformance to STANAG-4425 is Hanwha commercial-in-confidence: hidden from this
    // reader, so the pair is not rated there (the operator sees level 2).
    let level = |v: &serde_json::Value| {
        v["domains"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["domain"] == "artillery-ammunition")
            .map(|d| d["level"].clone())
    };
    assert_eq!(level(&body), Some(serde_json::json!("na")));
    let full = s
        .app
        .pair(&Actor::operator(), "k9", "pzh-2000", &[])
        .await
        .unwrap();
    assert_eq!(
        level(&serde_json::to_value(&full).unwrap()),
        Some(serde_json::json!(2))
    );

    // FA-50PL is labelled: hidden from this reader, answered exactly like a system that does
    // not exist.
    let hidden = get(&s.base, "/api/v1/interop/pair?a=fa-50pl&b=k9").await;
    let absent = get(&s.base, "/api/v1/interop/pair?a=fa-50zz&b=k9").await;
    assert_eq!((hidden.0, absent.0), (404, 404));
    assert_eq!(
        hidden.1["error"].as_str().unwrap().replace("fa-50pl", "X"),
        absent.1["error"].as_str().unwrap().replace("fa-50zz", "X")
    );

    for (bad, why) in [
        ("/api/v1/interop/pair?a=k9", "missing parameter \"b\""),
        ("/api/v1/interop/pair?a=k9&a=k2&b=x", "more than once"),
        (
            "/api/v1/interop/pair?a=k9&b=k2&colour=red",
            "unknown parameter",
        ),
    ] {
        let (status, body) = get(&s.base, bad).await;
        assert_eq!(status, 400, "{bad}");
        assert!(body["error"].as_str().unwrap().contains(why), "{body}");
    }
}

#[tokio::test]
async fn matrix_over_http_with_repeated_filters() {
    let s = serve_demo().await;
    let path = "/api/v1/interop/matrix?left=origin:KOR&right=operator:NATO&right=category:self-propelled-howitzer&domain=artillery-ammunition&pairs=true";
    let (status, body) = get(&s.base, path).await;
    assert_eq!(status, 200, "{body}");
    let query = MatrixQuery {
        left: vec!["origin:KOR".into()],
        right: vec![
            "operator:NATO".into(),
            "category:self-propelled-howitzer".into(),
        ],
        domains: vec!["artillery-ammunition".into()],
        pairs: true,
        max_listed: None,
        on: None,
    };
    let direct = s
        .app
        .matrix(
            &Actor::anonymous(),
            &query,
            Arc::new(defcoop_engine::NoProgress),
        )
        .await
        .unwrap();
    assert_eq!(body, serde_json::to_value(direct.report()).unwrap());
    let counted: u64 = ["na", "0", "1", "2", "3"]
        .iter()
        .map(|k| body["summary"]["artillery-ammunition"][k].as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, body["pairs"].as_array().unwrap().len());

    for (bad, status_wanted) in [
        ("/api/v1/interop/matrix?left=colour:red&right=all", 400),
        ("/api/v1/interop/matrix?right=all", 400),
        ("/api/v1/interop/matrix?left=all&right=all&pairs=maybe", 400),
        ("/api/v1/interop/matrix?left=all&right=all&pairs=", 400),
        ("/api/v1/interop/matrix?left=&left=all&right=all", 400),
        (
            "/api/v1/interop/matrix?left=all&right=all&domain=space",
            404,
        ),
        ("/api/v1/interop/matrix?left=all&right=all&%zz", 400),
    ] {
        let (status, body) = get(&s.base, bad).await;
        assert_eq!(status, status_wanted, "{bad}: {body}");
        assert!(body["error"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn records_of_every_kind_and_hidden_ones_are_not_found() {
    let s = serve_demo().await;
    let (status, k9) = get(&s.base, "/api/v1/records/system/k9").await;
    assert_eq!(status, 200);
    assert_eq!(k9["name"], "K9 Thunder");
    let (status, c) = get(&s.base, "/api/v1/records/conformances/pzh-2000/STANAG-4425").await;
    assert_eq!((status, &c["status"]), (200, &serde_json::json!("claimed")));
    let (status, p) = get(&s.base, "/api/v1/records/policy/DEFCOOP").await;
    assert_eq!(status, 200);
    assert!(p["classifications"].is_array());
    let hidden = get(&s.base, "/api/v1/records/system/fa-50pl").await;
    let absent = get(&s.base, "/api/v1/records/system/fa-50zz").await;
    assert_eq!((hidden.0, absent.0), (404, 404));
    assert_eq!(
        hidden.1["error"].as_str().unwrap().replace("fa-50pl", "X"),
        absent.1["error"].as_str().unwrap().replace("fa-50zz", "X")
    );
    let (status, _) = get(&s.base, "/api/v1/records/widget/x").await;
    assert_eq!(status, 404);
    // A huge key is not echoed whole.
    let long = "x".repeat(5000);
    let (status, body) = get(&s.base, &format!("/api/v1/records/system/{long}")).await;
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().len() < 400, "{body}");
}

#[tokio::test]
async fn a_matrix_lists_at_most_100_000_pairs_over_http() {
    let synth = defcoop_domain::synth::generate(defcoop_domain::synth::Params {
        systems: 400,
        standards: 4,
        gateways: 0,
        domains: 1,
        seed: 1,
    })
    .unwrap();
    let text = json::to_string(&synth);
    let s = serve(json::parse(text.as_bytes()).unwrap()).await;
    // Some 400 × 400 systems (less the labelled ones) in one domain: over 140,000 triples.
    let (status, body) = get(
        &s.base,
        "/api/v1/interop/matrix?left=all&right=all&pairs=true",
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let error = body["error"].as_str().unwrap();
    assert!(
        error.contains("pairs; narrow") && error.contains("at most 100000"),
        "{error}"
    );
    // The counts alone are answered, and the CLI (no limit of its own) may still list them.
    let (status, body) = get(&s.base, "/api/v1/interop/matrix?left=all&right=all").await;
    assert_eq!(status, 200, "{body}");
    let query = MatrixQuery {
        left: vec!["all".into()],
        right: vec!["all".into()],
        pairs: true,
        ..MatrixQuery::default()
    };
    let direct = s
        .app
        .matrix(
            &Actor::anonymous(),
            &query,
            Arc::new(defcoop_engine::NoProgress),
        )
        .await
        .unwrap();
    assert!(direct.matrix.pairs.len() > 140_000);
}

#[tokio::test]
async fn a_bloc_filter_over_http_takes_a_day() {
    let s = serve_demo().await;
    let fleet = |on: &str| {
        format!("/api/v1/interop/matrix?left=ids:k9&right=operator:EU-SDP&domain=tactical-data-link&on={on}")
    };
    // Korea's Security and Defence Partnership with the EU dates from 2024-11-04: the KDX-I
    // (operated by Korea alone) is in the partners' fleet from that day, not the day before.
    let (status, before) = get(&s.base, &fleet("2024-11-03")).await;
    assert_eq!(status, 200, "{before}");
    let (_, after) = get(&s.base, &fleet("2024-11-04")).await;
    let total = |v: &serde_json::Value| {
        v["summary"]["tactical-data-link"]
            .as_object()
            .map(|m| m.values().filter_map(|n| n.as_u64()).sum::<u64>())
            .unwrap_or_default()
    };
    assert!(total(&before) < total(&after), "{before} {after}");
    let rated = |v: &serde_json::Value| v["unrated"]["tactical-data-link"]["right"].as_u64();
    assert_eq!(
        rated(&before),
        rated(&after),
        "the KDX-I has Link 16 data: rated"
    );
    let (status, body) = get(&s.base, &fleet("")).await;
    assert_eq!(status, 400, "an empty day is an error, not today: {body}");
    let (status, body) = get(&s.base, &fleet("2023-02-30")).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("not a date"),
        "{body}"
    );
}
