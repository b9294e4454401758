//! Sign-in through real OpenID providers on loopback: two instances of `oidc-provider` (npm)
//! play two ministries, each with its own signing key and one client whose redirect URI is
//! this server's callback. The test drives the providers' development login forms like a
//! browser (cookies, redirects followed by hand) and then delivers — or tampers with — the
//! callback.
//!
//! Needs `node` and `npm`: `oidc-provider@9` is installed into `TARGET/oidc-node` when missing
//! (`scripts/test` installs node and npm where it can).

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use defcoop_app::{Actor, App, NewProvider, NewUser};
use defcoop_store::{AuditFilter, Store};
use defcoop_web::Application;
use reqwest::header::LOCATION;
use reqwest::redirect::Policy;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oidc/provider.mjs");

/// Where oidc-provider is installed: `TARGET/oidc-node` (TARGET from `CARGO_TARGET_DIR`, or
/// the directory above this test binary's `debug/deps`).
fn node_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .or_else(|| {
                std::env::current_exe()
                    .ok()
                    .and_then(|exe| exe.ancestors().nth(3).map(PathBuf::from))
            })
            .expect("the target directory");
        let dir = target.join("oidc-node");
        let installed = dir.join("node_modules/oidc-provider/package.json");
        if !installed.exists() {
            std::fs::create_dir_all(&dir).expect("create the oidc-node directory");
            let status = std::process::Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(&dir)
                .arg("oidc-provider@9")
                .status();
            match status {
                Ok(s) if s.success() && installed.exists() => {}
                Ok(s) => panic!(
                    "`npm install --prefix {} oidc-provider@9` failed ({s}): these tests need \
                     the npm registry once (scripts/test installs node and npm)",
                    dir.display()
                ),
                Err(e) => panic!(
                    "these tests need node and npm to run oidc-provider, and npm could not be \
                     started: {e} (scripts/test installs them with apt-get when run as root)"
                ),
            }
        }
        dir
    })
    .clone()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running oidc-provider; killed when dropped.
struct Ministry {
    issuer: String,
    _child: Child,
}

async fn ministry(client_id: &str, secret: &str, redirect: &str, auth_method: &str) -> Ministry {
    // The port is free when chosen, but another process may take it before the provider
    // binds it (other tests start servers at the same time): then the provider ends at once,
    // and it is started again on another port.
    for _ in 0..3 {
        if let Some(m) = try_ministry(client_id, secret, redirect, auth_method).await {
            return m;
        }
    }
    panic!("oidc-provider ended before it was ready, three times (see {SCRIPT})")
}

async fn try_ministry(
    client_id: &str,
    secret: &str,
    redirect: &str,
    auth_method: &str,
) -> Option<Ministry> {
    let port = free_port();
    let mut child = Command::new("node")
        .arg(SCRIPT)
        .arg(node_dir())
        .arg(port.to_string())
        .args([client_id, secret, redirect, auth_method])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs (install Node.js: scripts/test does it with apt-get as root)");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let ready = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.expect("provider output") {
            if let Some(issuer) = line.strip_prefix("ready ") {
                return Some(issuer.to_string());
            }
        }
        None
    })
    .await
    .expect("oidc-provider ready within 60 s")?;
    // Keep reading: the provider dies of a closed pipe if nobody does.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Some(Ministry {
        issuer: ready,
        _child: child,
    })
}

struct World {
    base: String,
    app: App,
    a: Ministry,
    b: Ministry,
    _dir: tempfile::TempDir,
}

/// What the error pages say (English).
const NOT_VALID: &str = "This sign-in is not valid (any more)";
const UNVERIFIED: &str = "could not be verified";

const SECRET_A: &str = "secret-of-ministry-a-0123456789";
const SECRET_B: &str = "secret-of-ministry-b-0123456789";

/// Our server, ministries A (client_secret_basic) and B (client_secret_post) registered, and
/// alice linked to subject "alice" at A.
async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("oidc.db").display().to_string())
        .await
        .unwrap();
    let app = App::cached(store).await.unwrap();
    let server = Application::build(app.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    assert_eq!(
        server.public_url_str(),
        base,
        "the public URL defaults to the bound one"
    );
    tokio::spawn(server.run_until(std::future::pending()));
    let redirect = format!("{base}/signin/oidc/callback");
    let (a, b) = tokio::join!(
        ministry("defcoop-a", SECRET_A, &redirect, "client_secret_basic"),
        ministry("defcoop-b", SECRET_B, &redirect, "client_secret_post"),
    );
    let op = Actor::operator();
    for (id, m, client, secret) in [
        ("ministry-a", &a, "defcoop-a", SECRET_A),
        ("ministry-b", &b, "defcoop-b", SECRET_B),
    ] {
        app.add_identity_provider(
            &op,
            NewProvider {
                id: id.into(),
                organization: format!("{id}-org"),
                issuer: m.issuer.clone(),
                client_id: client.into(),
                client_secret: secret.into(),
                name: Some(format!("Sign in with {id}")),
            },
        )
        .await
        .unwrap();
    }
    app.add_user(
        &op,
        NewUser {
            name: "alice".into(),
            nationality: "KOR".into(),
            organization: "mnd".into(),
            roles: vec!["member".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app.link_identity(&op, "alice", &a.issuer, "alice")
        .await
        .unwrap();
    World {
        base,
        app,
        a,
        b,
        _dir: dir,
    }
}

/// A browser: cookies kept, redirects followed by hand.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    let l = r
        .headers()
        .get(LOCATION)
        .unwrap_or_else(|| panic!("a redirect, got {}", r.status()))
        .to_str()
        .unwrap()
        .to_string();
    if l.starts_with('/') {
        let u = r.url();
        format!(
            "{}://{}{}{l}",
            u.scheme(),
            u.host_str().unwrap_or_default(),
            port(u)
        )
    } else {
        l
    }
}

fn port(u: &reqwest::Url) -> String {
    u.port().map(|p| format!(":{p}")).unwrap_or_default()
}

fn query(url: &str, key: &str) -> Option<String> {
    reqwest::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

impl World {
    /// Starts a sign-in at provider `idp` and signs in there as `account`: the callback URL the
    /// provider sends the browser to (not yet followed).
    async fn to_callback(&self, b: &reqwest::Client, idp: &str, account: &str) -> String {
        let r = b
            .get(format!("{}/signin/oidc/{idp}?next=/transfers", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "off to the provider");
        let auth = location(&r);
        assert_eq!(query(&auth, "response_type").as_deref(), Some("code"));
        assert_eq!(
            query(&auth, "code_challenge_method").as_deref(),
            Some("S256")
        );
        assert!(query(&auth, "scope").is_some_and(|s| s.split(' ').any(|x| x == "openid")));
        assert!(query(&auth, "nonce").is_some_and(|n| n.len() >= 32));
        assert_eq!(
            query(&auth, "redirect_uri"),
            Some(format!("{}/signin/oidc/callback", self.base))
        );
        let mut next = auth;
        for _ in 0..20 {
            if next.starts_with(&format!("{}/signin/oidc/callback", self.base)) {
                return next;
            }
            let r = b.get(&next).send().await.unwrap();
            if r.status().is_redirection() {
                next = location(&r);
                continue;
            }
            let url = r.url().clone();
            let page = r.text().await.unwrap();
            assert!(url.path().starts_with("/interaction/"), "{url}: {page}");
            let form: Vec<(&str, &str)> = if page.contains("value=\"login\"") {
                vec![("prompt", "login"), ("login", account), ("password", "any")]
            } else {
                vec![("prompt", "consent")]
            };
            let r = b.post(url.as_str()).form(&form).send().await.unwrap();
            assert!(r.status().is_redirection(), "{}", r.status());
            next = location(&r);
        }
        panic!("the provider never sent the browser back")
    }

    async fn audit_len(&self) -> usize {
        self.app
            .audit(
                &Actor::operator(),
                &AuditFilter {
                    actor: None,
                    record: None,
                    from_ms: None,
                    to_ms: None,
                    before_seq: None,
                    limit: 1000,
                },
            )
            .await
            .unwrap()
            .len()
    }
}

/// Delivers a callback URL in browser `b`: (status, Location or body).
async fn deliver(b: &reqwest::Client, url: &str) -> (u16, String) {
    let r = b.get(url).send().await.unwrap();
    let status = r.status().as_u16();
    if r.status().is_redirection() {
        (status, location(&r))
    } else {
        (status, r.text().await.unwrap())
    }
}

fn replace_query(url: &str, key: &str, value: &str) -> String {
    let mut u = reqwest::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == key {
                value.to_string()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    u.query_pairs_mut().clear().extend_pairs(pairs);
    u.to_string()
}

#[tokio::test]
async fn a_linked_identity_signs_in_and_its_session_works() {
    let w = world().await;
    let b = browser();
    let page = b
        .get(format!("{}/signin?next=/transfers", w.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("href=\"/signin/oidc/ministry-a?next=%2Ftransfers&#38;lang=en\"")
            && page.contains("Sign in with ministry-b"),
        "the sign-in page lists the providers: {page}"
    );
    let callback = w.to_callback(&b, "ministry-a", "alice").await;
    assert_eq!(
        query(&callback, "iss").as_deref(),
        Some(w.a.issuer.as_str()),
        "the provider says who answers (RFC 9207)"
    );
    let (status, to) = deliver(&b, &callback).await;
    assert_eq!(status, 303, "{to}");
    assert!(to.ends_with("/transfers"), "back to next: {to}");
    let me: serde_json::Value = b
        .get(format!("{}/api/v1/me", w.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["name"], "alice", "{me}");
    assert_eq!(me["via"], "session");
    assert_eq!(
        me["roles"],
        serde_json::json!(["member"]),
        "claims grant nothing"
    );
    let log = w
        .app
        .audit(
            &Actor::operator(),
            &AuditFilter {
                actor: Some("alice".into()),
                record: None,
                from_ms: None,
                to_ms: None,
                before_seq: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(log[0].action, "session.start");
    assert_eq!(log[0].detail, format!("oidc {}", w.a.issuer));

    // The same callback again: its state was used.
    let (status, body) = deliver(&b, &callback).await;
    assert_eq!(status, 401, "a replayed state is refused: {body}");
    assert!(body.contains(NOT_VALID), "{body}");
}

#[tokio::test]
async fn an_identity_nobody_linked_is_refused_and_nothing_is_written() {
    let w = world().await;
    let b = browser();
    let callback = w.to_callback(&b, "ministry-a", "mallory").await;
    let before = w.audit_len().await;
    let (status, body) = deliver(&b, &callback).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("secretariat must link"), "{body}");
    assert_eq!(w.audit_len().await, before, "nothing written");
    let r = b.get(format!("{}/api/v1/me", w.base)).send().await.unwrap();
    assert_eq!(r.status(), 401, "no session");
}

#[tokio::test]
async fn the_same_subject_at_another_ministry_is_someone_else() {
    let w = world().await;
    let b = browser();
    // alice is linked at A; "alice" at B is another person (or B impersonating A's user).
    let callback = w.to_callback(&b, "ministry-b", "alice").await;
    assert_eq!(
        query(&callback, "iss").as_deref(),
        Some(w.b.issuer.as_str())
    );
    let before = w.audit_len().await;
    let (status, body) = deliver(&b, &callback).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("secretariat must link"), "{body}");
    assert_eq!(w.audit_len().await, before, "nothing written");

    // B's answer delivered to a sign-in started with A (a mix-up): A's state, B's code and iss.
    let from_b = w.to_callback(&b, "ministry-b", "alice").await;
    let for_a = w.to_callback(&b, "ministry-a", "alice").await;
    let mixed = replace_query(&from_b, "state", &query(&for_a, "state").expect("a state"));
    let (status, body) = deliver(&b, &mixed).await;
    assert_eq!(status, 401, "B's iss in A's sign-in: {body}");
    assert!(body.contains(UNVERIFIED), "{body}");
    // Without iss, B's code goes to A's token endpoint, which does not know it; and A
    // advertises iss in its answers, so its absence alone is refused.
    let for_a = w.to_callback(&b, "ministry-a", "alice").await;
    let mut no_iss = reqwest::Url::parse(&from_b).unwrap();
    let pairs: Vec<(String, String)> = no_iss
        .query_pairs()
        .filter(|(k, _)| k != "iss")
        .map(|(k, v)| {
            if k == "state" {
                (k.into_owned(), query(&for_a, "state").unwrap_or_default())
            } else {
                (k.into_owned(), v.into_owned())
            }
        })
        .collect();
    no_iss.query_pairs_mut().clear().extend_pairs(pairs);
    let (status, body) = deliver(&b, no_iss.as_str()).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains(UNVERIFIED), "{body}");
    assert_eq!(w.audit_len().await, before, "nothing written");
    let r = b.get(format!("{}/api/v1/me", w.base)).send().await.unwrap();
    assert_eq!(r.status(), 401, "no session");
}

#[tokio::test]
async fn wrong_states_and_a_tampered_iss_are_refused() {
    let w = world().await;
    let b = browser();
    let before = w.audit_len().await;
    let callback = w.to_callback(&b, "ministry-a", "alice").await;

    // A state we never issued (also in the cookie, as an attacker setting both would).
    let forged = "ab".repeat(32);
    let other = browser();
    let r = other
        .get(replace_query(&callback, "state", &forged))
        .header("cookie", format!("defcoop_oidc={forged}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // The right state in another browser (without the cookie the sign-in set).
    let (status, body) = deliver(&other, &callback).await;
    assert_eq!(
        status, 401,
        "a callback belongs to the browser that started it"
    );
    assert!(body.contains(NOT_VALID), "{body}");
    // A tampered iss (the other ministry's issuer): refused, and the state is used up.
    let tampered = replace_query(&callback, "iss", &w.b.issuer);
    let (status, body) = deliver(&b, &tampered).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains(UNVERIFIED), "{body}");
    let (status, body) = deliver(&b, &callback).await;
    assert_eq!(status, 401, "the state was taken by the refused callback");
    assert!(body.contains(NOT_VALID), "{body}");
    // Garbage.
    let (status, _) = deliver(&b, &format!("{}/signin/oidc/callback", w.base)).await;
    assert_eq!(status, 401);
    let (status, _) = deliver(
        &b,
        &format!("{}/signin/oidc/callback?state=%00&code=x", w.base),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(w.audit_len().await, before, "nothing written");
    let r = b.get(format!("{}/api/v1/me", w.base)).send().await.unwrap();
    assert_eq!(r.status(), 401, "no session");

    // An unknown provider is not found; one that does not answer is a bad gateway (discovery
    // comes first, so no sign-in is started); the server still answers.
    let r = b
        .get(format!("{}/signin/oidc/nobody", w.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    w.app
        .add_identity_provider(
            &Actor::operator(),
            NewProvider {
                id: "gone".into(),
                organization: "gone".into(),
                issuer: format!("http://127.0.0.1:{}", free_port()),
                client_id: "c".into(),
                client_secret: "s".into(),
                name: None,
            },
        )
        .await
        .unwrap();
    let r = b
        .get(format!("{}/signin/oidc/gone", w.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 502);
    assert!(
        r.headers().get("set-cookie").is_none(),
        "no sign-in started"
    );
    let r = b.get(format!("{}/healthz", w.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_disabled_account_is_refused() {
    let w = world().await;
    w.app
        .set_user(
            &Actor::operator(),
            "alice",
            defcoop_app::UserEdit {
                disabled: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let b = browser();
    let callback = w.to_callback(&b, "ministry-a", "alice").await;
    let before = w.audit_len().await;
    let (status, body) = deliver(&b, &callback).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("may not sign in"), "{body}");
    assert_eq!(w.audit_len().await, before, "nothing written");
}

#[tokio::test]
async fn a_code_from_another_sign_in_is_refused_by_its_pkce_verifier() {
    let w = world().await;
    let b = browser();
    // Two sign-ins at A in one browser: the cookie holds the second's state.
    let first = w.to_callback(&b, "ministry-a", "alice").await;
    let second = w.to_callback(&b, "ministry-a", "alice").await;
    let before = w.audit_len().await;
    // The first sign-in's code (a stolen one, say) under the second's state: the provider
    // refuses it, since the second's PKCE verifier does not match the first's challenge.
    let stolen = replace_query(
        &first,
        "state",
        &query(&second, "state").unwrap_or_default(),
    );
    let (status, body) = deliver(&b, &stolen).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains(UNVERIFIED), "{body}");
    // The first sign-in's own callback no longer matches this browser's cookie.
    let (status, body) = deliver(&b, &first).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains(NOT_VALID), "{body}");
    assert_eq!(w.audit_len().await, before, "nothing written");
    let r = b.get(format!("{}/api/v1/me", w.base)).send().await.unwrap();
    assert_eq!(r.status(), 401, "no session");
}
