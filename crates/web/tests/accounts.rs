//! Signing in as users and attackers would: without credentials, with API tokens (good, forged,
//! revoked), with a password through the form (CSRF, fixation, throttling, sign-out), and the
//! first administrator's setup link. The real app on port 0 with a fresh database.

use defcoop_app::{Actor, App};
use defcoop_domain::json;
use defcoop_store::{Progress, Store, Writer};
use defcoop_web::Application;
use reqwest::header::{HeaderMap, COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

struct Server {
    base: String,
    app: App,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn start(with_demo: bool) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("accounts.db").display().to_string())
        .await
        .unwrap();
    if with_demo {
        let incoming = json::parse(DEMO.as_bytes()).unwrap();
        store
            .import(&incoming, &Writer::operator(), Progress::NONE)
            .await
            .unwrap();
    }
    let app = App::cached(store).await.unwrap();
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

/// The value a `Set-Cookie` header gives `name`, with the header itself.
fn set_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<(String, &'a str)> {
    headers.get_all(SET_COOKIE).iter().find_map(|v| {
        let v = v.to_str().ok()?;
        let (pair, _) = v.split_once(';').unwrap_or((v, ""));
        let (k, value) = pair.split_once('=')?;
        (k == name).then(|| (value.to_string(), v))
    })
}

/// The value of a hidden input in a form.
fn hidden(page: &str, name: &str) -> String {
    let mark = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&mark)
        .unwrap_or_else(|| panic!("no {name} in {page}"))
        + mark.len();
    page[start..].split('"').next().unwrap().to_string()
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn token_for(&self, user: &str) -> String {
        self.app
            .create_token(&Actor::operator(), user, None)
            .await
            .unwrap()
            .token
    }

    async fn get_as(&self, path: &str, token: &str) -> (u16, String) {
        let r = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// The sign-in form: its form cookie and token.
    async fn sign_in_form(&self) -> (String, String) {
        let r = self.client.get(self.url("/signin")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let (cookie, header) = set_cookie(r.headers(), "defcoop_form").expect("form cookie");
        assert!(
            header.contains("HttpOnly") && header.contains("SameSite=Lax"),
            "{header}"
        );
        let page = r.text().await.unwrap();
        (cookie, hidden(&page, "csrf"))
    }

    /// Posts the sign-in form; returns the status, headers and body.
    async fn sign_in(
        &self,
        name: &str,
        password: &str,
        cookies: &str,
        csrf: &str,
        next: &str,
    ) -> (u16, HeaderMap, String) {
        let r = self
            .client
            .post(self.url("/signin"))
            .header(COOKIE, cookies)
            .form(&[
                ("name", name),
                ("password", password),
                ("csrf", csrf),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        (status, headers, r.text().await.unwrap())
    }
}

#[tokio::test]
async fn without_credentials_the_api_is_401_and_pages_send_to_sign_in() {
    let s = start(true).await;
    let r = s
        .client
        .get(s.url("/api/v1/transfers"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    let body = r.text().await.unwrap();
    assert!(body.contains("sign in first"), "{body}");
    for path in [
        "/api/v1/records/system/k9",
        "/api/v1/records/system/no-such",
        "/api/v1/me",
    ] {
        let r = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(
            r.status(),
            401,
            "{path}: hidden, absent and present all look alike"
        );
    }
    let r = s
        .client
        .get(s.url("/transfers?lang=ko"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()[LOCATION],
        "/signin?next=%2Ftransfers%3Flang%3Dko"
    );
    for public in ["/healthz", "/readyz", "/signin"] {
        let r = s.client.get(s.url(public)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{public}");
    }
    let r = s.client.get(s.url("/signin?lang=ko")).send().await.unwrap();
    assert!(r.text().await.unwrap().contains("로그인"));
}

#[tokio::test]
async fn tokens_read_as_their_user_and_stop_when_revoked() {
    let s = start(true).await;
    s.app.demo_personas().await.unwrap();
    let dapa = s.token_for("dapa-officer").await;
    let eu = s.token_for("eu-official").await;
    // The gateway is RESTRICTED and releasable to KOR: the DAPA officer sees it, the EU
    // official gets exactly what a missing record gets.
    let kor_only = "/api/v1/records/gateway/";
    let (_, me) = s.get_as("/api/v1/me", &dapa).await;
    assert!(
        me.contains("\"name\":\"dapa-officer\"") && me.contains("\"via\":\"token\""),
        "{me}"
    );
    let all = s.app.export(&Actor::operator()).await.unwrap();
    let gateway = all
        .gateways
        .iter()
        .find(|g| g.label.is_some())
        .expect("a labelled gateway in the demo");
    let path = format!("{kor_only}{}", gateway.id);
    assert_eq!(s.get_as(&path, &dapa).await.0, 200);
    let hidden = s.get_as(&path, &eu).await;
    let absent = s.get_as(&format!("{kor_only}no-such-gateway"), &eu).await;
    assert_eq!(hidden.0, 404);
    assert_eq!(
        hidden.1.replace(&gateway.id, "X"),
        absent.1.replace("no-such-gateway", "X"),
        "a hidden record answers exactly like an absent one"
    );

    for forged in [
        "nonsense",
        &dapa[..dapa.len() - 1],
        // The last digit changed (to 0, or to 1 when it is 0).
        &format!(
            "{}{}",
            &dapa[..dapa.len() - 1],
            if dapa.ends_with('0') { '1' } else { '0' }
        ),
    ] {
        assert_eq!(s.get_as("/api/v1/me", forged).await.0, 401, "{forged}");
    }
    let basic = s
        .client
        .get(s.url("/api/v1/me"))
        .header("Authorization", "Basic YWRtaW46YWRtaW4=")
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);

    let id = s
        .app
        .tokens(&Actor::operator(), Some("eu-official"))
        .await
        .unwrap()[0]
        .id
        .clone();
    s.app.revoke_token(&Actor::operator(), &id).await.unwrap();
    assert_eq!(s.get_as("/api/v1/me", &eu).await.0, 401);

    // A viewer may read but not write; the write is refused for its role, not its records.
    let r = s
        .client
        .put(s.url("/api/v1/labels/system/k9"))
        .bearer_auth(s.token_for("eu-official").await)
        .header("Content-Type", "application/json")
        .body(r#"{"label": null}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn password_sign_in_csrf_fixation_throttling_and_sign_out() {
    let s = start(true).await;
    let personas = s.app.demo_personas().await.unwrap();
    let dapa = personas.iter().find(|p| p.name == "dapa-officer").unwrap();
    let (form, csrf) = s.sign_in_form().await;
    let cookies = format!("defcoop_form={form}");

    // Without the form's cookie, or with another token, the form is refused.
    let (status, _, _) = s
        .sign_in("dapa-officer", &dapa.password, "", &csrf, "/")
        .await;
    assert_eq!(status, 403);
    let (status, _, _) = s
        .sign_in(
            "dapa-officer",
            &dapa.password,
            &cookies,
            &"0".repeat(64),
            "/",
        )
        .await;
    assert_eq!(status, 403);

    // A session id planted before sign-in is never the one signed in.
    let planted = "a".repeat(64);
    let with_plant = format!("{cookies}; defcoop_session={planted}");
    let (status, headers, _) = s
        .sign_in(
            "dapa-officer",
            &dapa.password,
            &with_plant,
            &csrf,
            "/transfers",
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(headers[LOCATION], "/transfers");
    let (session, header) = set_cookie(&headers, "defcoop_session").expect("session cookie");
    assert_ne!(session, planted);
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Lax"),
        "{header}"
    );
    let signed_in = format!("defcoop_session={session}");
    let page = s
        .client
        .get(s.url("/"))
        .header(COOKIE, &signed_in)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<b>dapa-officer</b>"), "the account bar");
    let session_csrf = hidden(&page, "csrf");

    // Writes with the session need its CSRF token.
    let put = |token: Option<&str>| {
        let mut r = s
            .client
            .put(s.url("/api/v1/labels/system/k9"))
            .header(COOKIE, &signed_in)
            .header("Content-Type", "application/json")
            .body(r#"{"label": null}"#);
        if let Some(t) = token {
            r = r.header("X-CSRF-Token", t);
        }
        r.send()
    };
    assert_eq!(put(None).await.unwrap().status(), 403);
    assert_eq!(put(Some("wrong")).await.unwrap().status(), 403);
    assert_eq!(put(Some(&session_csrf)).await.unwrap().status(), 200);

    // An open redirect through `next` is not possible.
    let (_, headers, _) = s
        .sign_in(
            "dapa-officer",
            &dapa.password,
            &cookies,
            &csrf,
            "//evil.example/",
        )
        .await;
    assert_eq!(headers[LOCATION], "/");

    // Signing out needs the token too, ends the session and clears the cookie.
    let out = |token: &str| {
        s.client
            .post(s.url("/signout"))
            .header(COOKIE, &signed_in)
            .form(&[("csrf", token)])
            .send()
    };
    assert_eq!(out("wrong").await.unwrap().status(), 403);
    let r = out(&session_csrf).await.unwrap();
    assert_eq!(r.status(), 303);
    let (cleared, _) = set_cookie(r.headers(), "defcoop_session").unwrap();
    assert!(cleared.is_empty());
    let after = s
        .client
        .get(s.url("/"))
        .header(COOKIE, &signed_in)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 303, "the old cookie no longer signs in");

    // Five wrong passwords for one account: then even the right one waits.
    for _ in 0..5 {
        let (status, _, body) = s
            .sign_in("nato-staff", "wrong password!!", &cookies, &csrf, "/")
            .await;
        assert_eq!(status, 401);
        assert!(body.contains("not right"), "{body}");
    }
    let nato = personas.iter().find(|p| p.name == "nato-staff").unwrap();
    let (status, headers, _) = s
        .sign_in("nato-staff", &nato.password, &cookies, &csrf, "/")
        .await;
    assert_eq!(status, 429);
    assert!(headers.contains_key("retry-after"));
    // An unknown user is told exactly what a wrong password is.
    let (status, _, body) = s
        .sign_in("no-such-user", "whatever123456", &cookies, &csrf, "/")
        .await;
    assert_eq!(status, 401);
    assert!(body.contains("not right"));
}

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_once() {
    let s = start(true).await;
    let secret = s.app.setup_link().await.unwrap().expect("no users yet");
    assert_eq!(
        s.client
            .get(s.url("/setup?token=nonsense"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let r = s
        .client
        .get(s.url(&format!("/setup?token={secret}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (form, _) = set_cookie(r.headers(), "defcoop_form").unwrap();
    let page = r.text().await.unwrap();
    let csrf = hidden(&page, "csrf");
    let post = |password2: &str| {
        s.client
            .post(s.url("/setup"))
            .header(COOKIE, format!("defcoop_form={form}"))
            .form(&[
                ("token", secret.as_str()),
                ("name", "first-admin"),
                ("nationality", "KOR"),
                ("organization", "dapa"),
                ("password", "a long enough passphrase"),
                ("password2", password2),
                ("csrf", csrf.as_str()),
            ])
            .send()
    };
    assert_eq!(post("a different passphrase").await.unwrap().status(), 422);
    let r = post("a long enough passphrase").await.unwrap();
    assert_eq!(r.status(), 303);
    let (session, _) = set_cookie(r.headers(), "defcoop_session").unwrap();
    let me = s
        .client
        .get(s.url("/api/v1/me"))
        .header(COOKIE, format!("defcoop_session={session}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(me.contains("\"roles\":[\"admin\"]"), "{me}");
    assert_eq!(
        post("a long enough passphrase").await.unwrap().status(),
        404
    );
    let again = s
        .client
        .get(s.url(&format!("/setup?token={secret}")))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404, "the link worked once");
}

#[tokio::test]
async fn pages_carry_the_highest_marking_of_what_they_show_and_nothing_more() {
    let s = start(true).await;
    s.app.demo_personas().await.unwrap();
    let banner = |page: &str| {
        let at = page.find("class=\"banner").expect("a banner");
        page[at..].split("</div>").next().unwrap().to_string()
    };
    let (_, dapa) = s.get_as("/", &s.token_for("dapa-officer").await).await;
    let b = banner(&dapa);
    assert!(b.contains("DEFCOOP RESTRICTED"), "{b}");
    assert!(b.contains("RELEASABLE-TO KOR"), "{b}");
    assert!(
        !b.contains("HANWHA"),
        "the Hanwha-only conformance is not the officer's: {b}"
    );
    assert!(
        dapa.contains(
            "<span class=\"marking\">DEFCOOP UNCLASSIFIED · RELEASABLE-TO KOR / POL</span>"
        ),
        "the labelled system's own marking"
    );
    let (_, admin) = s.get_as("/", &s.token_for("admin").await).await;
    assert!(
        banner(&admin).contains("COMPANY HANWHA"),
        "{}",
        banner(&admin)
    );
    let (_, eu) = s
        .get_as("/?lang=ko", &s.token_for("eu-official").await)
        .await;
    let b = banner(&eu);
    assert!(b.contains("unmarked") && b.contains("표지 없음"), "{b}");
    for hidden in ["RELEASABLE-TO", "HANWHA", "RESTRICTED", "class=\"marking\""] {
        assert!(
            !eu.contains(hidden),
            "{hidden} leaks into the EU official's page"
        );
    }
    let (_, transfers) = s.get_as("/transfers", &s.token_for("admin").await).await;
    assert!(
        banner(&transfers).contains("unmarked"),
        "the demo's transfers are unlabelled"
    );
}

#[tokio::test]
async fn the_audit_page_is_for_admins_and_filters() {
    let s = start(true).await;
    s.app.demo_personas().await.unwrap();
    let admin = s.token_for("admin").await;
    let (status, page) = s.get_as("/admin/audit", &admin).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("user.add") && page.contains("token.create"),
        "{page}"
    );
    let (_, mine) = s
        .get_as("/admin/audit?record=user%3Adapa-officer&verify=1", &admin)
        .await;
    assert!(mine.contains("The chain is whole"), "{mine}");
    assert!(mine.contains("user dapa-officer") && !mine.contains("user nato-staff"));
    let (status, bad) = s
        .get_as("/admin/audit?record=nonsense&lang=ko", &admin)
        .await;
    assert_eq!(status, 200);
    assert!(bad.contains("종류:키"), "{bad}");
    let (status, _) = s.get_as("/admin/audit?since=2026-02-30", &admin).await;
    assert_eq!(status, 200, "a bad date is said on the page");
    let (status, body) = s
        .get_as("/admin/audit", &s.token_for("secretariat").await)
        .await;
    assert_eq!(status, 403, "{body}");
}
