//! Plans that become work over HTTP: proposals moved only to their next states, a gap-closure
//! plan tabled (through the API, and from the plan's page through its form), agreed and
//! assigned into action items, and an action the registry carried out shown done.

#[path = "workspace_common/mod.rs"]
mod common;

use common::*;
use defcoop_app::Actor;
use defcoop_domain::model::Kind;
use serde_json::{json, Value};

#[tokio::test]
async fn proposals_move_only_to_their_next_states_and_plans_become_work() {
    let s = start().await;
    let dapa = s.token("dapa-officer").await;
    let viewer = s.token("eu-official").await;
    let (status, v) = s
        .post(
            "/api/v1/workspace/proposals/joint-consultative-body/move",
            &dapa,
            json!({"to": "agreed", "method": "consensus"}),
        )
        .await;
    assert_eq!(status, 422, "{v}");
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("from tabled: under-consideration, withdrawn"),
        "{v}"
    );
    assert_eq!(fields(&v), ["status"]);
    let (status, v) = s
        .post(
            "/api/v1/workspace/proposals/joint-consultative-body/move",
            &viewer,
            json!({"to": "under-consideration"}),
        )
        .await;
    assert_eq!(status, 403, "{v}");
    let (status, v) = s
        .post(
            "/api/v1/workspace/proposals/joint-consultative-body/move",
            &dapa,
            json!({"to": "under-consideration", "on": "2026-12-01", "meeting": "inaugural-meeting"}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["history"][2]["on"], "2026-12-01");
    let (status, v) = s
        .post(
            "/api/v1/workspace/proposals/joint-consultative-body/move",
            &dapa,
            json!({"to": "agreed", "on": "yesterday"}),
        )
        .await;
    assert_eq!((status, fields(&v)), (422, vec!["on".to_string()]), "{v}");

    // A plan tabled, considered, agreed and assigned.
    let (status, p) = s
        .post(
            "/api/v1/workspace/proposals/table-plan",
            &dapa,
            json!({"id": "kor-nato-plan-2", "title": "Close Korea's gaps with NATO",
                   "sponsor": "dapa", "left": ["operator:KOR"], "right": ["operator:NATO"],
                   "target": 2, "budget": 3, "on": "2026-12-01"}),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    assert_eq!(p["status"], "tabled");
    let items = p["plan"]["items"].as_array().unwrap().len();
    assert!(items > 0);
    let path = "/api/v1/workspace/proposals/kor-nato-plan-2";
    let (status, v) = s
        .post(
            &format!("{path}/assign"),
            &dapa,
            json!({"due": "2027-06-30"}),
        )
        .await;
    assert_eq!(status, 422, "not agreed yet: {v}");
    for to in ["under-consideration", "agreed"] {
        let (status, v) = s
            .post(&format!("{path}/move"), &dapa, json!({"to": to}))
            .await;
        assert_eq!(status, 200, "{v}");
    }
    let (status, v) = s
        .post(
            &format!("{path}/assign"),
            &dapa,
            json!({"due": "2027-06-30"}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["items"].as_array().unwrap().len(), items);
    let first = v["items"][0]["id"].as_str().unwrap().to_string();

    // Action items with their computed state: the demo's is overdue on 6 December 2026.
    let (status, v) = s
        .get("/api/v1/workspace/actions?state=overdue", &dapa)
        .await;
    assert_eq!(status, 200, "{v}");
    let overdue: Vec<&str> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["item"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, ["k9-adopts-stanag-5516"]);
    assert_eq!(v["actions"][0]["overdue"], true);
    assert_eq!(v["actions"][0]["done_by"], Value::Null);
    assert_eq!(
        s.get("/api/v1/workspace/actions?state=late", &dapa).await.0,
        400
    );
    let (status, v) = s
        .post(
            &format!("/api/v1/workspace/actions/{first}/status"),
            &dapa,
            json!({"status": "done"}),
        )
        .await;
    assert_eq!((status, v["status"].as_str()), (200, Some("done")), "{v}");
    let (status, v) = s
        .get(&format!("/api/v1/workspace/actions/{first}"), &dapa)
        .await;
    assert_eq!((status, v["state"].as_str()), (200, Some("done")), "{v}");
    let (status, v) = s
        .post(
            &format!("/api/v1/workspace/actions/{first}/status"),
            &viewer,
            json!({"status": "open"}),
        )
        .await;
    assert_eq!(status, 403, "{v}");

    // The proposal page shows the history, the plan and the work it produced, and offers
    // only what is legal: an agreed proposal is final (no move form).
    let (status, page) = s.text("/workspace/proposals/kor-nato-plan-2", &dapa).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(&first), "{page}");
    assert!(!page.contains("name=\"to\""), "{page}");
    let (status, page) = s
        .text("/workspace/proposals/joint-consultative-body", &dapa)
        .await;
    assert_eq!(status, 200);
    let offered: Vec<&str> = page
        .split("name=\"to\"")
        .nth(1)
        .unwrap()
        .split("</select>")
        .next()
        .unwrap()
        .split("<option value=\"")
        .skip(1)
        .filter_map(|o| o.split('"').next())
        .collect();
    assert_eq!(offered, ["agreed", "rejected", "withdrawn"]);
}

#[tokio::test]
async fn an_action_the_registry_carried_out_shows_done_with_the_change() {
    let s = start().await;
    let dapa = s.token("dapa-officer").await;
    let op = Actor::operator();
    let conformance = json!({"system": "k9", "standard": "STANAG-5516", "status": "tested"});
    let exists = s
        .app
        .record(
            &op,
            defcoop_app::RecordKind(Kind::Conformance),
            "k9/STANAG-5516",
        )
        .await
        .is_ok();
    if exists {
        s.app
            .update_record(&op, Kind::Conformance, "k9/STANAG-5516", &conformance)
            .await
            .unwrap();
    } else {
        s.app
            .create_record(&op, Kind::Conformance, &conformance)
            .await
            .unwrap();
    }
    let (status, v) = s
        .get("/api/v1/workspace/actions/k9-adopts-stanag-5516", &dapa)
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["state"], "done-in-registry");
    assert_eq!(v["overdue"], false);
    assert_eq!(v["done_by"]["kind"], "conformance");
    assert_eq!(v["done_by"]["key"], "k9/STANAG-5516");
    let (status, page) = s
        .text("/workspace/actions?state=done-in-registry", &dapa)
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("class=\"done-in-registry\""), "{page}");
    assert!(
        page.contains("href=\"/conformances/k9/STANAG-5516\">conformance k9/STANAG-5516 is tested"),
        "{page}"
    );
}

/// From the plan's page to a tabled proposal: the plan job's page links the table form (for
/// those who may write proposals, not for a viewer); the form shows the question, refuses a
/// proposal without an id beside the field, and tables it as the plan computed on the
/// reader's view, landing on the new proposal's page.
#[tokio::test]
async fn a_plan_is_tabled_from_its_page_through_the_form() {
    let s = start().await;
    let (cookie, csrf) = s.session("secretariat").await;
    let question = "left=operator%3AKOR&right=operator%3ANATO&domain=tactical-data-link&on=2026-12-01&target=2&budget=3";
    let (status, _, _) = {
        let r = s
            .client
            .get(s.url(&format!("/interop/plan?{question}")))
            .header(reqwest::header::COOKIE, &cookie)
            .send()
            .await
            .unwrap();
        let to = r
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap();
        // The job runs in the background; its page refreshes until it is done.
        let mut page = String::new();
        for _ in 0..200 {
            let (status, body) = s.page(&to, &cookie).await;
            assert_eq!(status, 200, "{body}");
            page = body;
            if !page.contains("http-equiv=\"refresh\"") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(
            page.contains("href=\"/workspace/proposals/table?"),
            "the finished plan links the table form: {page}"
        );
        (200, to, page)
    };
    assert_eq!(status, 200);
    let (viewer, _) = s.session("eu-official").await;
    let (status, form) = s
        .page(&format!("/workspace/proposals/table?{question}"), &viewer)
        .await;
    assert_eq!(status, 200);
    assert!(
        !form.contains("name=\"title\""),
        "a viewer gets no form: {form}"
    );

    let (status, form) = s
        .page(&format!("/workspace/proposals/table?{question}"), &cookie)
        .await;
    assert_eq!(status, 200, "{form}");
    assert!(form.contains("<code>operator:KOR</code>"), "{form}");
    assert!(form.contains("tactical-data-link"), "{form}");
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("left", "operator:KOR"),
        ("right", "operator:NATO"),
        ("domain", "tactical-data-link"),
        ("on", "2026-12-01"),
        ("target", "2"),
        ("budget", "3"),
        ("title", "Link 16 for Korea's fleets"),
        ("sponsor", "dapa"),
    ];
    let (status, _, page) = s
        .post_form("/workspace/proposals/table", &cookie, &fields)
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("must not be empty"), "{page}");
    assert!(
        page.contains("value=\"Link 16 for Korea&#39;s fleets\""),
        "the title is kept: {page}"
    );
    fields.push(("id", "link-16-kor"));
    let (status, to, page) = s
        .post_form("/workspace/proposals/table", &cookie, &fields)
        .await;
    assert_eq!(status, 303, "{page}");
    let to = to.unwrap();
    assert!(
        to.starts_with("/workspace/proposals/link-16-kor?done=tabled"),
        "{to}"
    );
    let (status, page) = s.page(&to, &cookie).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("adopt:k9:STANAG-5516"), "{page}");
    let p = s
        .app
        .record(
            &Actor::operator(),
            defcoop_app::RecordKind(Kind::Proposal),
            "link-16-kor",
        )
        .await
        .unwrap();
    assert_eq!(p["status"], "tabled");
    assert_eq!(p["plan"]["domains"], json!(["tactical-data-link"]));
    assert_eq!(p["sponsor"], "dapa");
    // The same id again is refused, and nothing is written twice.
    let (status, _, page) = s
        .post_form("/workspace/proposals/table", &cookie, &fields)
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("exists already"), "{page}");
}
