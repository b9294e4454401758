//! The workspace over HTTP, as programs and people use it: `/api/v1/workspace/...` with the
//! demo personas' API tokens, and the `/workspace` pages and their forms with a signed-in
//! session. The real app on port 0 with a fresh database holding the demo, its clock fixed on
//! 6 December 2026 (the demo's action item, due 30 June 2026, is overdue).

#[path = "workspace_common/mod.rs"]
mod common;

use common::*;
use defcoop_app::Actor;
use defcoop_domain::model::Kind;
use serde_json::json;

#[tokio::test]
async fn meetings_are_read_in_every_zone_and_closed_only_with_every_outcome() {
    let s = start().await;
    let dapa = s.token("dapa-officer").await;
    let secretariat = s.token("secretariat").await;
    let viewer = s.token("eu-official").await;

    let (status, list) = s.get("/api/v1/workspace/meetings", &dapa).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["meetings"][0]["id"], "inaugural-meeting");
    let (status, held) = s
        .get(
            "/api/v1/workspace/meetings?status=held&person=seok-jong-gun",
            &dapa,
        )
        .await;
    assert_eq!(
        (status, held["meetings"].as_array().unwrap().len()),
        (200, 1)
    );
    assert_eq!(
        s.get("/api/v1/workspace/meetings?status=open", &dapa)
            .await
            .0,
        400
    );
    // The API refuses an empty parameter (pages read it as none): found by the fuzz run.
    for empty in [
        "/api/v1/workspace/meetings?status=",
        "/api/v1/workspace/network?to=",
        "/api/v1/workspace/actions?owner=",
        "/api/v1/workspace/meetings/inaugural-meeting?tz=",
    ] {
        let (status, answer) = s.get(empty, &dapa).await;
        assert_eq!(status, 400, "{empty}: {answer}");
        assert!(
            answer["error"].as_str().unwrap().contains("is empty"),
            "{answer}"
        );
    }
    assert_eq!(
        s.get("/api/v1/workspace/meetings?colour=red", &dapa)
            .await
            .0,
        400
    );
    assert_eq!(
        s.get("/api/v1/workspace/meetings?person=nobody", &dapa)
            .await
            .0,
        404
    );

    // Brussels 10:00 is Seoul 18:00 on 20 November 2025; the reader's zone is added.
    let (status, v) = s
        .get("/api/v1/workspace/meetings/inaugural-meeting?tz=UTC", &dapa)
        .await;
    assert_eq!(status, 200, "{v}");
    let times: Vec<(&str, &str, &str)> = v["times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["zone"].as_str().unwrap(),
                t["start"].as_str().unwrap(),
                t["why"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        times,
        [
            ("Europe/Brussels", "2025-11-20 10:00 +01:00", "meeting"),
            ("Asia/Seoul", "2025-11-20 18:00 +09:00", "participants"),
            ("UTC", "2025-11-20 09:00 +00:00", "reader"),
        ]
    );
    assert_eq!(v["minutes"], json!(["inaugural-meeting-minutes"]));
    assert_eq!(v["decisions"], json!(["interop-plan-agreed"]));
    let (status, bad) = s
        .get(
            "/api/v1/workspace/meetings/inaugural-meeting?tz=Mars/Olympus",
            &dapa,
        )
        .await;
    assert_eq!(status, 400, "{bad}");
    assert_eq!(s.get("/api/v1/workspace/meetings/nope", &dapa).await.0, 404);

    // Closing: an item left without an outcome is named; a viewer may not; a body that is not
    // JSON is 415; with every outcome the meeting is held.
    s.planned("wg", None).await;
    let close = "/api/v1/workspace/meetings/wg/close";
    let (status, refused) = s
        .post(
            close,
            &secretariat,
            json!({"outcomes": [{"item": 1, "outcome": "noted"}]}),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        fields(&refused).iter().any(|f| f == "agenda[1].outcome"),
        "{refused}"
    );
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("Link 16 gateway"),
        "{refused}"
    );
    let (status, forbidden) = s
        .post(close, &viewer, json!({"outcomes": [{"item": 1, "outcome": "noted"}, {"item": 2, "outcome": "agreed"}]}))
        .await;
    assert_eq!(status, 403, "{forbidden}");
    let (status, shape) = s
        .post(
            close,
            &secretariat,
            json!({"outcomes": [{"item": 1, "outcome": "maybe"}]}),
        )
        .await;
    assert_eq!(status, 422, "{shape}");
    let r = s
        .client
        .post(s.url(close))
        .bearer_auth(&secretariat)
        .body("outcomes=noted")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let (status, held) = s
        .post(
            close,
            &secretariat,
            json!({"outcomes": [{"item": 1, "outcome": "noted"}, {"item": 2, "outcome": "deferred"}]}),
        )
        .await;
    assert_eq!(status, 200, "{held}");
    assert_eq!(held["status"], "held");
    assert_eq!(held["agenda"][1]["outcome"], "deferred");
    // A held meeting is not cancelled.
    let (status, v) = s
        .post(
            "/api/v1/workspace/meetings/wg/cancel",
            &secretariat,
            json!({}),
        )
        .await;
    assert_eq!(status, 422, "{v}");
}

#[tokio::test]
async fn minutes_move_through_their_workflow_and_download_as_markdown() {
    let s = start().await;
    let secretariat = s.token("secretariat").await;
    let dapa = s.token("dapa-officer").await;
    let op = Actor::operator();
    s.planned("wg", None).await;
    s.app
        .close_meeting(
            &op,
            "wg",
            &[
                (1, defcoop_domain::workspace::Outcome::Noted),
                (2, defcoop_domain::workspace::Outcome::Agreed),
            ],
        )
        .await
        .unwrap();
    s.app
        .create_record(
            &op,
            Kind::Minutes,
            &json!({"id": "wg-minutes", "meeting": "wg", "version": 1, "status": "draft",
                    "text": "# WG\n\nNoted. <script>alert(1)</script> [x](javascript:alert(2))"}),
        )
        .await
        .unwrap();
    // The draft is the secretariat's: others get 404, like absent minutes.
    assert_eq!(
        s.get("/api/v1/workspace/minutes/wg-minutes/markdown", &dapa)
            .await
            .0,
        404
    );
    let base = "/api/v1/workspace/minutes/wg-minutes";
    let (status, v) = s
        .post(&format!("{base}/approve"), &secretariat, json!({}))
        .await;
    assert_eq!(status, 422, "the next step is circulated: {v}");
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("next step is circulated"),
        "{v}"
    );
    let (status, v) = s.post(&format!("{base}/circulate"), &dapa, json!({})).await;
    assert_eq!(status, 403, "{v}");
    let (status, v) = s
        .post(&format!("{base}/circulate"), &secretariat, json!({}))
        .await;
    assert_eq!(
        (status, v["status"].as_str()),
        (200, Some("circulated")),
        "{v}"
    );
    // A user linked to no person may not comment; the operator names the participant.
    let (status, v) = s
        .post(&format!("{base}/comment"), &dapa, json!({"text": "Early."}))
        .await;
    assert_eq!(status, 403, "{v}");
    let (status, v) = s
        .post(
            &format!("{base}/comment"),
            &dapa,
            json!({"text": "x", "colour": "red"}),
        )
        .await;
    assert_eq!(status, 422, "unknown fields are refused: {v}");
    let (status, v) = s
        .post(&format!("{base}/approve"), &secretariat, json!({}))
        .await;
    assert_eq!(
        (status, v["status"].as_str()),
        (200, Some("approved")),
        "{v}"
    );
    let (status, v) = s
        .post(
            &format!("{base}/correct"),
            &secretariat,
            json!({"id": "wg-minutes-2", "text": "# WG\n\nNoted, and agreed."}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(
        (v["version"].as_u64(), v["corrects"].as_str()),
        (Some(2), Some("wg-minutes"))
    );

    let (status, kind, md) = s
        .call(
            reqwest::Method::GET,
            &format!("{base}/markdown"),
            &secretariat,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(kind, "text/markdown; charset=utf-8");
    let md = md.as_str().unwrap().to_string();
    assert!(md.starts_with("# Minutes: Working group wg\n"), "{md}");
    // The page's download is the same document.
    let (status, page_md) = s
        .text("/workspace/minutes/wg-minutes.md", &secretariat)
        .await;
    assert_eq!((status, page_md), (200, md));
    let (status, md) = s
        .text(
            "/api/v1/workspace/minutes/inaugural-meeting-minutes/markdown",
            &dapa,
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        md.starts_with("# Minutes: Inaugural meeting of the consultative body"),
        "{md}"
    );

    // The page renders the Markdown, raw HTML as text, unsafe links unlinked.
    let (status, page) = s.text("/workspace/minutes/wg-minutes", &secretariat).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<h4>WG</h4>"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("href=\"javascript:"));
    assert!(page.contains("href=\"/workspace/minutes/wg-minutes.md\" download"));
}

#[tokio::test]
async fn a_labelled_meeting_is_absent_for_a_reader_without_clearance() {
    let s = start().await;
    let dapa = s.token("dapa-officer").await;
    let admin = s.token("admin").await;
    let before_hub = s.text("/workspace", &dapa).await.1;
    let before_api = s.get("/api/v1/workspace/meetings", &dapa).await.1;
    let before_network = s.get("/api/v1/workspace/network", &dapa).await.1;
    s.planned(
        "secret-talks",
        Some(json!({"policy": "DEFCOOP", "classification": "CONFIDENTIAL"})),
    )
    .await;
    for path in [
        "/api/v1/workspace/meetings/secret-talks",
        "/api/v1/meetings/secret-talks",
        "/workspace/meetings/secret-talks",
        "/meetings/secret-talks",
    ] {
        assert_eq!(s.text(path, &dapa).await.0, 404, "{path}");
        assert_eq!(s.text(path, &admin).await.0, 200, "{path}");
    }
    // A writer who may not see it gets 404, like for an absent meeting; one without the role
    // is refused for the role first, whatever the meeting.
    let secretariat = s.token("secretariat").await;
    for id in ["secret-talks", "no-such-meeting"] {
        let path = format!("/api/v1/workspace/meetings/{id}/cancel");
        let (status, v) = s.post(&path, &secretariat, json!({})).await;
        assert_eq!(status, 404, "{v}");
        let (status, v) = s.post(&path, &dapa, json!({})).await;
        assert_eq!(status, 403, "{v}");
    }
    // Nothing tells the reader it exists: the hub, the list and the network are unchanged.
    assert_eq!(s.text("/workspace", &dapa).await.1, before_hub);
    assert_eq!(
        s.get("/api/v1/workspace/meetings", &dapa).await.1,
        before_api
    );
    assert_eq!(
        s.get("/api/v1/workspace/network", &dapa).await.1,
        before_network
    );
    let hub = s.text("/workspace", &admin).await.1;
    assert!(hub.contains("Working group secret-talks"), "{hub}");
    assert!(hub.contains("CONFIDENTIAL"), "the banner covers it: {hub}");
    let (_, v) = s.get("/api/v1/workspace/meetings", &admin).await;
    assert_eq!(v["meetings"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn timelines_and_the_network_as_json_and_pages() {
    let s = start().await;
    let dapa = s.token("dapa-officer").await;
    let (status, v) = s
        .get("/api/v1/workspace/timeline?person=seok-jong-gun", &dapa)
        .await;
    assert_eq!(status, 200, "{v}");
    let ids: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "seok-kubilius-brussels",
            "seok-shekerinska-brussels",
            "inaugural-meeting"
        ]
    );
    for bad in [
        "/api/v1/workspace/timeline",
        "/api/v1/workspace/timeline?person=seok-jong-gun&nation=KOR",
        "/api/v1/workspace/timeline?nation=KOR&from=2026-01-01&to=2025-01-01",
        "/api/v1/workspace/network?from=2025-13-01",
    ] {
        assert_eq!(s.get(bad, &dapa).await.0, 400, "{bad}");
    }
    let (status, v) = s
        .get(
            "/api/v1/workspace/timeline?nation=KOR&from=2025-06-01",
            &dapa,
        )
        .await;
    assert_eq!(
        (status, v["entries"].as_array().unwrap().len()),
        (200, 1),
        "{v}"
    );

    let (status, net) = s.get("/api/v1/workspace/network", &dapa).await;
    assert_eq!(status, 200, "{net}");
    let people: Vec<&str> = net["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["person"].as_str().unwrap())
        .collect();
    assert_eq!(
        people,
        ["andrius-kubilius", "radmila-shekerinska", "seok-jong-gun"]
    );
    assert_eq!(net["events"], 3);
    let seok_kubilius = net["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["a"] == 0 && e["b"] == 2)
        .unwrap();
    assert_eq!(seok_kubilius["times"], 2, "{net}");
    let (status, v) = s
        .get(
            "/api/v1/workspace/network?from=2025-06-01&to=2025-12-31",
            &dapa,
        )
        .await;
    assert_eq!((status, v["events"].as_u64()), (200, Some(1)), "{v}");

    let (status, page) = s.text("/workspace/network", &dapa).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{page}"
    );
    assert!(page.contains("<figure class=\"network-svg\" aria-describedby=\"people-table\">"));
    assert!(
        page.contains("— Seok Jong-gun: met"),
        "edge tooltips: {page}"
    );
    assert_eq!(page.matches("<line ").count(), 3);
    let (status, page) = s
        .text("/workspace/network?from=2026-01-01&to=2025-01-01", &dapa)
        .await;
    assert_eq!(status, 400, "{page}");
    let (status, page) = s
        .text("/workspace/timeline?organization=dapa&lang=ko", &dapa)
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("타임라인"), "{page}");
    assert!(page.contains("2025-04-23 (Europe/Brussels)"), "{page}");
    assert!(
        page.contains("종일"),
        "a day is all day, in UTC too: {page}"
    );
    assert!(
        page.contains("2025-11-20 09:00 +00:00"),
        "the same moment in UTC: {page}"
    );
}

#[tokio::test]
async fn the_pages_show_the_meeting_and_their_forms_write_with_the_sessions_token() {
    let s = start().await;
    s.planned("wg", None).await;
    let (cookie, csrf) = s.session("secretariat").await;
    assert!(!csrf.is_empty());

    let (status, hub) = s.page("/workspace", &cookie).await;
    assert_eq!(status, 200, "{hub}");
    assert!(
        hub.contains("href=\"/workspace/meetings/inaugural-meeting\""),
        "{hub}"
    );
    assert!(
        hub.contains("href=\"/workspace/meetings/wg\""),
        "upcoming: {hub}"
    );
    assert!(hub.contains("K9 Thunder adopts STANAG 5516"), "{hub}");
    assert!(hub.contains("class=\"overdue\""), "{hub}");
    assert!(hub.contains(">Workspace</a>"), "the header links the hub");

    let (status, page) = s
        .page(
            "/workspace/meetings/inaugural-meeting?tz=America/New_York",
            &cookie,
        )
        .await;
    assert_eq!(status, 200, "{page}");
    for shown in [
        "Europe/Brussels",
        "2025-11-20 10:00 +01:00",
        "Asia/Seoul",
        "2025-11-20 18:00 +09:00",
        "America/New_York",
        "2025-11-20 04:00 -05:00",
        "href=\"/people/seok-jong-gun\"",
        "href=\"/workspace/proposals/interop-plan-kor-nato\"",
        "href=\"/workspace/minutes/inaugural-meeting-minutes\"",
    ] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    assert!(
        !page.contains("/close\""),
        "a held meeting has no close form"
    );
    let (status, page) = s
        .page(
            "/workspace/meetings/inaugural-meeting?tz=Nowhere/Else",
            &cookie,
        )
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("id=\"tz-error\""), "{page}");
    assert!(
        page.contains("2025-11-20 18:00 +09:00"),
        "the page stays: {page}"
    );

    // The close form: without the token, 403; an item left open is shown beside its field;
    // then every outcome closes it.
    let (status, _, _) = s
        .post_form(
            "/workspace/meetings/wg/close",
            &cookie,
            &[("outcome-1", "noted")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _, page) = s
        .post_form(
            "/workspace/meetings/wg/close",
            &cookie,
            &[("csrf", &csrf), ("outcome-1", "noted"), ("outcome-2", "")],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("id=\"outcome-2-error\""), "{page}");
    assert!(
        page.contains("<option value=\"noted\" selected>"),
        "the choice is kept: {page}"
    );
    let (status, to, _) = s
        .post_form(
            "/workspace/meetings/wg/close",
            &cookie,
            &[
                ("csrf", &csrf),
                ("outcome-1", "noted"),
                ("outcome-2", "agreed"),
            ],
        )
        .await;
    assert_eq!(
        (status, to.as_deref()),
        (303, Some("/workspace/meetings/wg?done=closed"))
    );
    let (_, page) = s.page("/workspace/meetings/wg?done=closed", &cookie).await;
    assert!(page.contains("The meeting is closed."), "{page}");
    let (status, _, page) = s
        .post_form("/workspace/meetings/wg/cancel", &cookie, &[("csrf", &csrf)])
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("only a planned meeting is cancelled"),
        "{page}"
    );

    // A viewer's page has no forms, and its posts are refused.
    let (viewer, viewer_csrf) = s.session("eu-official").await;
    s.planned("wg2", None).await;
    let (_, page) = s.page("/workspace/meetings/wg2", &viewer).await;
    assert!(!page.contains("/close\""), "{page}");
    let (status, _, _) = s
        .post_form(
            "/workspace/meetings/wg2/close",
            &viewer,
            &[
                ("csrf", &viewer_csrf),
                ("outcome-1", "noted"),
                ("outcome-2", "noted"),
            ],
        )
        .await;
    assert_eq!(status, 403);

    // The record page links to the workspace's.
    let (_, page) = s.page("/meetings/inaugural-meeting", &cookie).await;
    assert!(
        page.contains("href=\"/workspace/meetings/inaugural-meeting\""),
        "{page}"
    );
    assert!(page.contains("Open in the workspace"));

    // The actions page: the overdue item, and a button that marks it done.
    let (status, page) = s.page("/workspace/actions?state=overdue", &cookie).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("K9 Thunder adopts STANAG 5516"));
    let (status, to, _) = s
        .post_form(
            "/workspace/actions/k9-adopts-stanag-5516/status",
            &cookie,
            &[("csrf", &csrf), ("status", "done"), ("state", "overdue")],
        )
        .await;
    assert_eq!(
        (status, to.as_deref()),
        (303, Some("/workspace/actions?state=overdue&done=status"))
    );
    let (_, page) = s.page("/workspace/actions?state=done", &cookie).await;
    assert!(page.contains("K9 Thunder adopts STANAG 5516"), "{page}");
}
