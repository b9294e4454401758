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
