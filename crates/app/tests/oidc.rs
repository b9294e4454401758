//! Sign-in through identity providers as use cases: who may register providers and link
//! identities, a sign-in under way taken once and expiring, and what `oidc_sign_in` decides
//! from a verified (issuer, subject) — the HTTP half is the web crate's (`tests/oidc.rs`).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use defcoop_app::oidc::{LOGIN_NOT_VALID, LOGIN_TTL, NOT_LINKED};
use defcoop_app::{Actor, App, AppError, NewProvider, NewUser, UserEdit};
use defcoop_store::{AuditFilter, Store};

async fn app(dir: &tempfile::TempDir) -> (App, Arc<AtomicI64>) {
    let store = Store::open(&dir.path().join("o.db").display().to_string())
        .await
        .unwrap();
    let now = Arc::new(AtomicI64::new(1_800_000_000));
    let clock = now.clone();
    let app = App::direct(store).with_clock(Arc::new(move || clock.load(Ordering::SeqCst)));
    let op = Actor::operator();
    for (id, issuer) in [("a", "https://a.example"), ("b", "https://b.example")] {
        app.add_identity_provider(
            &op,
            NewProvider {
                id: id.into(),
                organization: format!("org-{id}"),
                issuer: issuer.into(),
                client_id: "defcoop".into(),
                client_secret: "s3cret".into(),
                name: None,
            },
        )
        .await
        .unwrap();
    }
    for (name, role) in [("kim", "member"), ("root", "admin")] {
        app.add_user(
            &op,
            NewUser {
                name: name.into(),
                nationality: "KOR".into(),
                organization: "mnd".into(),
                roles: vec![role.into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    app.link_identity(&op, "kim", "https://a.example", "kim-at-a")
        .await
        .unwrap();
    (app, now)
}

async fn log_len(app: &App) -> usize {
    app.audit(
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

#[tokio::test]
async fn only_admins_register_providers_and_link_identities() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app(&dir).await;
    let kim = app.actor_of("kim").await.unwrap();
    let r = app.identity_providers(&kim).await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
    let r = app.remove_identity_provider(&kim, "a").await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
    let r = app
        .link_identity(&kim, "kim", "https://a.example", "other")
        .await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
    let root = app.actor_of("root").await.unwrap();
    assert_eq!(app.identity_providers(&root).await.unwrap().len(), 2);
    let buttons = app.sign_in_providers().await.unwrap();
    assert_eq!(
        buttons[0].name, "org-a",
        "the name defaults to the organization"
    );
}

#[tokio::test]
async fn a_sign_in_under_way_is_taken_once_and_expires() {
    let dir = tempfile::tempdir().unwrap();
    let (app, now) = app(&dir).await;
    let start = app.start_oidc_login("a", "/transfers").await.unwrap();
    assert_ne!(start.state, start.nonce);
    assert_eq!(
        start.verifier.len(),
        64,
        "a PKCE verifier is 43 to 128 characters"
    );
    let back = app.take_oidc_login(&start.state).await.unwrap();
    assert_eq!(back.nonce, start.nonce);
    assert_eq!(back.verifier, start.verifier);
    assert_eq!(back.next, "/transfers");
    assert_eq!(back.client.client_secret, "s3cret");
    let again = app.take_oidc_login(&start.state).await;
    assert!(
        matches!(&again, Err(AppError::Unauthenticated(m)) if m == LOGIN_NOT_VALID),
        "{again:?}"
    );

    let late = app.start_oidc_login("a", "/").await.unwrap();
    now.fetch_add(LOGIN_TTL, Ordering::SeqCst);
    let r = app.take_oidc_login(&late.state).await;
    assert!(
        matches!(r, Err(AppError::Unauthenticated(_))),
        "expired: {r:?}"
    );
    for bad in ["", "x", &"g".repeat(64)] {
        let r = app.take_oidc_login(bad).await;
        assert!(
            matches!(r, Err(AppError::Unauthenticated(_))),
            "{bad}: {r:?}"
        );
    }
    let r = app.start_oidc_login("nobody", "/").await;
    assert!(matches!(r, Err(AppError::NotFound(_))), "{r:?}");
}

#[tokio::test]
async fn a_verified_identity_signs_in_only_through_its_own_provider() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app(&dir).await;
    let a = app.identity_provider_client("a").await.unwrap().provider;
    let b = app.identity_provider_client("b").await.unwrap().provider;
    let before = log_len(&app).await;

    // A token from issuer B presented for provider A (mix-up), and the other way round.
    let r = app
        .oidc_sign_in(&a, "https://b.example", "kim-at-a", None)
        .await;
    assert!(matches!(r, Err(AppError::Unauthenticated(_))), "{r:?}");
    let r = app
        .oidc_sign_in(&b, "https://a.example", "kim-at-a", None)
        .await;
    assert!(matches!(r, Err(AppError::Unauthenticated(_))), "{r:?}");
    // The same subject at B is nobody here.
    let r = app
        .oidc_sign_in(&b, "https://b.example", "kim-at-a", None)
        .await;
    assert!(
        matches!(&r, Err(AppError::Forbidden(m)) if m == NOT_LINKED),
        "{r:?}"
    );
    assert_eq!(log_len(&app).await, before, "refusals write nothing");

    let session = app
        .oidc_sign_in(&a, "https://a.example", "kim-at-a", None)
        .await
        .unwrap();
    assert_eq!(session.user, "kim");
    let actor = app.session_actor(&session.secret).await.unwrap().actor;
    assert_eq!(actor.name(), "kim");

    app.set_user(
        &Actor::operator(),
        "kim",
        UserEdit {
            disabled: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let r = app
        .oidc_sign_in(&a, "https://a.example", "kim-at-a", None)
        .await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "disabled: {r:?}");

    // A removed provider signs nobody in, even with a stale copy of its registration.
    app.remove_identity_provider(&Actor::operator(), "a")
        .await
        .unwrap();
    let r = app
        .oidc_sign_in(&a, "https://a.example", "kim-at-a", None)
        .await;
    assert!(matches!(r, Err(AppError::Unauthenticated(_))), "{r:?}");
}
