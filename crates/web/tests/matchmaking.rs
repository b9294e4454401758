//! Matchmaking over HTTP: `POST /api/v1/consortium/check` on the demo's modelled instruments.

#[path = "workspace_common/mod.rs"]
mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_consortium_is_checked_over_http() {
    let s = start().await;
    let token = s.token("hanwha-user").await;
    let (status, r) = s
        .post(
            "/api/v1/consortium/check",
            &token,
            json!({"instrument": "safe-modelled", "members": [
                {"organization": "wb-group", "share": 60},
                {"organization": "hanwha-aerospace", "share": 40}]}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["eligible"], false);
    assert_eq!(r["members"][1]["standing"], "partner");
    assert_eq!(r["breaches"][0]["rule"], "max_non_eligible_share");
    assert_eq!(
        r["breaches"][0]["message"],
        "40% of the component cost from non-eligible origins (KOR 40%); at most 35%"
    );
    let (status, r) = s
        .post(
            "/api/v1/consortium/check",
            &token,
            json!({"instrument": "edf-modelled", "on": "2026-12-01",
                   "members": [{"organization": "wb-group"}, {"organization": "rheinmetall"},
                               {"organization": "kongsberg"}]}),
        )
        .await;
    assert_eq!((status, r["eligible"].clone()), (200, json!(true)), "{r}");
    // Bad members: every problem named, 422.
    let (status, r) = s
        .post(
            "/api/v1/consortium/check",
            &token,
            json!({"instrument": "safe-modelled", "members": [
                {"organization": "nobody", "share": 50}, {"organization": "wb-group", "share": 20}]}),
        )
        .await;
    assert_eq!(status, 422, "{r}");
    let fields = fields(&r);
    assert!(fields.contains(&"members[0]".to_string()), "{r}");
    assert!(fields.contains(&"members".to_string()), "{r}");
    let (status, _) = s
        .post(
            "/api/v1/consortium/check",
            &token,
            json!({"instrument": "nothing", "members": [{"organization": "wb-group"}]}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = s
        .post(
            "/api/v1/consortium/check",
            &token,
            json!({"instrument": "edf-modelled", "members": [], "colour": "red"}),
        )
        .await;
    assert_eq!(status, 422, "unknown fields are refused");
}

#[tokio::test]
async fn matches_come_with_their_parts_and_only_what_the_reader_may_see() {
    let s = start().await;
    let dapa = s.token("dapa-officer").await;
    let eu = s.token("eu-official").await;
    let (status, r) = s
        .get("/api/v1/match?need=pol-artillery-data-link&top=3", &dapa)
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["of"], "need");
    assert_eq!(r["exact"], true);
    let best = &r["matches"][0];
    assert_eq!(best["id"], "hanwha-link16-fire-control", "{r}");
    let parts: Vec<&str> = best["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["part"].as_str().unwrap())
        .collect();
    assert_eq!(parts, ["area", "text", "trl", "cooperation", "synergy"]);
    let synergy = |r: &serde_json::Value| r["matches"][0]["parts"][4].clone();
    assert_eq!(synergy(&r)["standards"], json!(["STANAG-5516"]));
    assert_eq!(synergy(&r)["offer_fleet"], 3, "{r}");
    // The EU official may not read the FA-50PL (releasable to Korea and Poland): the offer's
    // fleet has two systems for them, the gains are smaller, and the FA-50PL is not named
    // anywhere in the answer.
    let (status, e) = s
        .get("/api/v1/match?need=pol-artillery-data-link&top=3", &eu)
        .await;
    assert_eq!(status, 200, "{e}");
    assert_eq!(e["matches"][0]["id"], "hanwha-link16-fire-control");
    assert_eq!(synergy(&e)["offer_fleet"], 2, "{e}");
    assert!(synergy(&e)["steps"].as_u64() < synergy(&r)["steps"].as_u64());
    assert!(!e.to_string().contains("fa-50pl"), "{e}");

    // The other way round, and bad requests.
    let (status, r) = s
        .get("/api/v1/match?offer=kongsberg-uav-ground-control", &dapa)
        .await;
    assert_eq!(
        (status, r["matches"][0]["id"].clone()),
        (200, json!("kor-uav-nato-control")),
        "{r}"
    );
    for (q, want) in [
        ("", 400),
        (
            "?need=pol-artillery-data-link&offer=kongsberg-uav-ground-control",
            400,
        ),
        ("?need=pol-artillery-data-link&top=0", 400),
        ("?need=pol-artillery-data-link&top=101", 400),
        ("?need=pol-artillery-data-link&top=x", 400),
        ("?need=", 400),
        ("?need=nothing", 404),
        ("?need=pol-artillery-data-link&colour=red", 400),
    ] {
        let (status, r) = s.get(&format!("/api/v1/match{q}"), &dapa).await;
        assert_eq!(status, want, "{q}: {r}");
        assert!(
            r["error"].as_str().is_some_and(|m| !m.is_empty()),
            "{q}: {r}"
        );
    }
}

#[tokio::test]
async fn the_matchmaking_pages_answer_in_both_languages() {
    let s = start().await;
    let (cookie, _) = s.session("dapa-officer").await;
    let (status, page) = s.page("/matchmaking", &cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains("<select name=\"need\">"), "{page}");
    let (status, page) = s
        .page("/matchmaking?need=pol-artillery-data-link", &cookie)
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Link 16 gateway for K9 fire control"),
        "{page}"
    );
    assert!(
        page.contains("adopting STANAG-5516 raises levels"),
        "{page}"
    );
    let (status, page) = s
        .page("/matchmaking?offer=hanwha-155mm-charges&lang=ko", &cookie)
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("제안에 맞는 수요") && page.contains("공통:"),
        "{page}"
    );
    let (status, page) = s
        .page(
            "/matchmaking?need=pol-artillery-data-link&offer=hanwha-155mm-charges",
            &cookie,
        )
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("role=\"alert\""), "{page}");
    let (status, page) = s
        .page(
            "/matchmaking/consortium?instrument=safe-modelled&members=wb-group,+hanwha-aerospace&shares=wb-group%3D60,+hanwha-aerospace%3D40",
            &cookie,
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Not eligible"), "{page}");
    assert!(page.contains("max_non_eligible_share"), "{page}");
    let (status, page) = s
        .page(
            "/matchmaking/consortium?instrument=safe-modelled&members=nobody&lang=ko",
            &cookie,
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("알 수 없는 기관"), "{page}");
}

#[tokio::test]
async fn consortia_are_built_for_a_need_within_the_rules() {
    let s = start().await;
    let token = s.token("dapa-officer").await;
    // SAFE with two members: a Korean partner would bear 50% of the cost, above 35%.
    let (status, r) = s
        .get(
            "/api/v1/consortium/build?need=eu-counter-drone-sensors&instrument=safe-modelled&size=2",
            &token,
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["exact"], true);
    assert_eq!(r["size"], 2);
    let consortia = r["consortia"].as_array().unwrap();
    assert!(!consortia.is_empty(), "{r}");
    for c in consortia {
        for m in c["members"].as_array().unwrap() {
            assert_eq!(m["standing"], "eligible", "{r}");
        }
    }
    // With three, one Korean partner (33.3%) fits, and the best consortium has LIG Nex1's
    // counter-drone radar; the check agrees that it is eligible.
    let (status, r) = s
        .get(
            "/api/v1/consortium/build?need=eu-counter-drone-sensors&instrument=safe-modelled&size=3&top=1",
            &token,
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let members: Vec<serde_json::Value> = r["consortia"][0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| json!({"organization": m["organization"]}))
        .collect();
    assert!(r.to_string().contains("lig-nex1"), "{r}");
    let (status, c) = s
        .post(
            "/api/v1/consortium/check",
            &token,
            json!({"instrument": "safe-modelled", "members": members}),
        )
        .await;
    assert_eq!((status, c["eligible"].clone()), (200, json!(true)), "{c}");
    for (q, want) in [
        ("?need=eu-counter-drone-sensors", 400),
        ("?instrument=safe-modelled", 400),
        (
            "?need=eu-counter-drone-sensors&instrument=safe-modelled&size=0",
            400,
        ),
        (
            "?need=eu-counter-drone-sensors&instrument=safe-modelled&size=21",
            400,
        ),
        (
            "?need=eu-counter-drone-sensors&instrument=safe-modelled&top=51",
            400,
        ),
        (
            "?need=eu-counter-drone-sensors&instrument=safe-modelled&on=2026-02-30",
            400,
        ),
        ("?need=nothing&instrument=safe-modelled", 404),
        ("?need=eu-counter-drone-sensors&instrument=nothing", 404),
    ] {
        let (status, r) = s.get(&format!("/api/v1/consortium/build{q}"), &token).await;
        assert_eq!(status, want, "{q}: {r}");
    }
    // The page, in Korean, links each consortium to its check.
    let (cookie, _) = s.session("dapa-officer").await;
    let (status, page) = s
        .page(
            "/matchmaking/build?need=eu-counter-drone-sensors&instrument=safe-modelled&size=3&lang=ko",
            &cookie,
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("컨소시엄 구성")
            && page.contains("/matchmaking/consortium?instrument=safe-modelled"),
        "{page}"
    );
}

#[tokio::test]
async fn a_brokerage_event_is_scheduled_over_http() {
    let s = start().await;
    let token = s.token("dapa-officer").await;
    let event: serde_json::Value =
        serde_json::from_str(include_str!("../../../data/demo/brokerage.json")).unwrap();
    let (status, r) = s
        .post("/api/v1/brokerage/schedule", &token, event.clone())
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["exact"], true, "{r}");
    assert_eq!(r["slots"][0]["utc"], "2026-03-10 13:00 +00:00");
    let meetings = r["meetings"].as_array().unwrap();
    assert_eq!(meetings.len() as u64, r["placed"].as_u64().unwrap());
    assert_eq!(r["placed"], r["upper_bound"], "{r}");
    // No one twice in a slot; at most two tables.
    let mut seen = std::collections::HashSet::new();
    for m in meetings {
        for who in [&m["a"], &m["b"]] {
            assert!(seen.insert((m["slot"].clone(), who.clone())), "{m}");
        }
        assert!(m["table"].as_u64().unwrap() <= 2);
    }
    // Wb Group's explicit request to Hanwha, and its best match (Hanwha's Link 16 offer).
    assert!(
        meetings
            .iter()
            .any(|m| m["a"] == "wb-group" && m["b"] == "hanwha-aerospace"
                || m["b"] == "wb-group" && m["a"] == "hanwha-aerospace"),
        "{r}"
    );

    // Bad events: each problem located, nothing scheduled.
    let mut bad = event.clone();
    bad["participants"][1]["available"] = json!([]);
    bad["participants"][0]["organization"] = json!("nobody");
    bad["time_zone"] = json!("Europe/Nowhere");
    let (status, r) = s.post("/api/v1/brokerage/schedule", &token, bad).await;
    assert_eq!(status, 422, "{r}");
    let f = fields(&r);
    assert!(f.contains(&"$.time_zone".to_string()), "{r}");
    assert!(
        f.contains(&"$.participants[1].available".to_string()),
        "{r}"
    );
    let mut bad = event.clone();
    bad["participants"][0]["organization"] = json!("nobody");
    bad["participants"][2]["needs"] = json!(["no-such-need"]);
    let (status, r) = s.post("/api/v1/brokerage/schedule", &token, bad).await;
    assert_eq!(status, 422, "{r}");
    let f = fields(&r);
    assert!(
        f.contains(&"$.participants[0].organization".to_string()),
        "{r}"
    );
    assert!(f.contains(&"$.participants[2].needs[0]".to_string()), "{r}");
    let (status, _) = s
        .post("/api/v1/brokerage/agenda?participant=nobody", &token, event)
        .await;
    assert_eq!(status, 404);
}
