//! Accounts as use cases: who may manage users, what `user add` refuses, tokens that expire or
//! are revoked, password sign-in with throttling, sessions that end, the first administrator,
//! and that every account write lands in an unbroken audit chain.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use defcoop_app::accounts::BAD_CREDENTIALS;
use defcoop_app::{Actor, App, AppError, NewUser, RecordKind, UserEdit};
use defcoop_domain::account::Role;
use defcoop_domain::json;
use defcoop_store::{AuditFilter, Progress, Store, Verdict, Writer};

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

/// A demo database and an application whose clock the test moves.
async fn app(dir: &tempfile::TempDir) -> (App, Arc<AtomicI64>) {
    let store = Store::open(&dir.path().join("a.db").display().to_string())
        .await
        .unwrap();
    store
        .import(
            &json::parse(DEMO.as_bytes()).unwrap(),
            &Writer::operator(),
            Progress::NONE,
        )
        .await
        .unwrap();
    let now = Arc::new(AtomicI64::new(1_800_000_000));
    let clock = now.clone();
    let app = App::direct(store).with_clock(Arc::new(move || clock.load(Ordering::SeqCst)));
    (app, now)
}

fn kim(password: Option<&str>) -> NewUser {
    NewUser {
        name: "kim".into(),
        nationality: "KOR".into(),
        organization: "dapa".into(),
        roles: vec!["member".into()],
        clearance: vec!["DEFCOOP:RESTRICTED".into()],
        categories: vec!["RELEASABLE-TO:KOR".into()],
        password: password.map(str::to_string),
        person: None,
    }
}

const PASSWORD: &str = "a long enough passphrase";

#[tokio::test]
async fn user_add_refuses_unknown_roles_policies_levels_and_categories_naming_each() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app(&dir).await;
    let op = Actor::operator();
    let bad = NewUser {
        roles: vec!["root".into()],
        clearance: vec!["NATO:SECRET".into(), "DEFCOOP:TOP-SECRET".into()],
        categories: vec!["CLEARED-FOR:X".into()],
        password: Some("short".into()),
        ..kim(None)
    };
    let Err(AppError::BadRequest(msg)) = app.add_user(&op, bad).await else {
        panic!("accepted")
    };
    for part in [
        "unknown role \"root\"",
        "unknown policy \"NATO\"",
        "no classification \"TOP-SECRET\"",
        "unknown category \"CLEARED-FOR\"",
        "at least 12 characters",
    ] {
        assert!(msg.contains(part), "{part:?} missing from: {msg}");
    }
    assert!(app.users(&op).await.unwrap().is_empty(), "nothing written");
    app.add_user(&op, kim(None)).await.unwrap();
    let again = app.add_user(&op, kim(None)).await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
}

#[tokio::test]
async fn only_admins_manage_users_and_roles_decide_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app(&dir).await;
    let op = Actor::operator();
    app.add_user(&op, kim(None)).await.unwrap();
    let kim = app.actor_of("kim").await.unwrap();
    assert_eq!(kim.roles(), [Role::Member]);
    let add = app
        .add_user(
            &kim,
            NewUser {
                name: "lee".into(),
                ..self::kim(None)
            },
        )
        .await;
    assert!(matches!(add, Err(AppError::Forbidden(_))), "{add:?}");
    assert!(matches!(app.users(&kim).await, Err(AppError::Forbidden(_))));
    // Another user's account is "not found" to a non-admin, their own is shown.
    assert!(app.user(&kim, "kim").await.is_ok());
    assert!(app.user(&kim, "admin").await.unwrap_err().is_not_found());

    let viewer = NewUser {
        name: "vic".into(),
        roles: vec!["viewer".into()],
        ..self::kim(None)
    };
    app.add_user(&op, viewer).await.unwrap();
    let vic = app.actor_of("vic").await.unwrap();
    let kind = RecordKind::parse("system").unwrap();
    let write = app.set_label(&vic, kind, "k9", None).await;
    assert!(matches!(write, Err(AppError::Forbidden(_))), "{write:?}");
    // A member may write, within what it can see.
    app.set_label(&kim, kind, "k9", None).await.unwrap();

    app.set_user(
        &op,
        "vic",
        UserEdit {
            disabled: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        app.actor_of("vic").await,
        Err(AppError::Unauthenticated(_))
    ));
}

#[tokio::test]
async fn tokens_authenticate_until_they_expire_or_are_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let (app, now) = app(&dir).await;
    let op = Actor::operator();
    app.add_user(&op, kim(None)).await.unwrap();
    let t = app.create_token(&op, "kim", Some(1)).await.unwrap();
    assert!(t.token.starts_with("dct_"));
    let actor = app.authenticate_token(&t.token).await.unwrap();
    assert_eq!(actor.name(), "kim");
    for forged in [
        "",
        "dct_",
        "Bearer x",
        &t.token[..t.token.len() - 1],
        &t.token.replace("dct_", "dcx_"),
    ] {
        let e = app.authenticate_token(forged).await.unwrap_err();
        assert_eq!(e.to_string(), BAD_CREDENTIALS, "{forged:?}");
    }
    let other = format!("dct_{}", "0".repeat(64));
    assert_eq!(
        app.authenticate_token(&other)
            .await
            .unwrap_err()
            .to_string(),
        BAD_CREDENTIALS
    );

    now.fetch_add(86_400, Ordering::SeqCst);
    let expired = app.authenticate_token(&t.token).await.unwrap_err();
    assert_eq!(
        expired.to_string(),
        BAD_CREDENTIALS,
        "expired says no more than unknown"
    );

    let t2 = app.create_token(&op, "kim", None).await.unwrap();
    assert_eq!(
        t2.info.expires_at,
        Some(now.load(Ordering::SeqCst) + 90 * 86_400)
    );
    app.authenticate_token(&t2.token).await.unwrap();
    // Kim may list and revoke her own tokens, not anyone else's.
    let kim = app.actor_of("kim").await.unwrap();
    assert_eq!(app.tokens(&kim, None).await.unwrap().len(), 2);
    assert!(app
        .tokens(&kim, Some("admin"))
        .await
        .unwrap_err()
        .is_not_found());
    app.revoke_token(&kim, &t2.info.id).await.unwrap();
    assert_eq!(
        app.authenticate_token(&t2.token)
            .await
            .unwrap_err()
            .to_string(),
        BAD_CREDENTIALS
    );
    assert!(app.create_token(&op, "kim", Some(0)).await.is_err());
    assert!(app.create_token(&op, "kim", Some(3651)).await.is_err());
    assert!(app
        .create_token(&op, "nobody", None)
        .await
        .unwrap_err()
        .is_not_found());
}

#[tokio::test]
async fn password_sign_in_is_throttled_and_sessions_end() {
    let dir = tempfile::tempdir().unwrap();
    let (app, now) = app(&dir).await;
    let op = Actor::operator();
    app.add_user(&op, kim(Some(PASSWORD))).await.unwrap();
    let s = app
        .sign_in("kim", PASSWORD, "10.0.0.1", None)
        .await
        .unwrap();
    let who = app.session_actor(&s.secret).await.unwrap();
    assert_eq!(who.actor.name(), "kim");
    assert_eq!(who.csrf, s.csrf);

    // Wrong password and unknown user say the same.
    let wrong = app
        .sign_in("kim", "not the password!", "10.0.0.1", None)
        .await
        .unwrap_err();
    let unknown = app
        .sign_in("nobody", PASSWORD, "10.0.0.1", None)
        .await
        .unwrap_err();
    assert_eq!(wrong.to_string(), unknown.to_string());
    for _ in 0..4 {
        app.sign_in("kim", "not the password!", "10.0.0.2", None)
            .await
            .unwrap_err();
    }
    // Five failures for kim: even the right password is refused for now.
    let throttled = app.sign_in("kim", PASSWORD, "10.0.0.3", None).await;
    assert!(
        matches!(throttled, Err(AppError::Throttled(_))),
        "{throttled:?}"
    );
    now.fetch_add(31 * 60, Ordering::SeqCst);
    // The failures are older than the 15-minute window now, and the first session was idle
    // for more than 30 minutes: it has ended.
    assert!(matches!(
        app.session_actor(&s.secret).await,
        Err(AppError::Unauthenticated(_))
    ));
    let s2 = app
        .sign_in("kim", PASSWORD, "10.0.0.3", None)
        .await
        .unwrap();

    // Signing in again replaces the browser's session (no fixation).
    let s3 = app
        .sign_in("kim", PASSWORD, "10.0.0.3", Some(&s2.secret))
        .await
        .unwrap();
    assert!(app.session_actor(&s2.secret).await.is_err());
    let s4 = app
        .sign_in("kim", PASSWORD, "10.0.0.4", None)
        .await
        .unwrap();
    app.sign_out(&s3.secret, true).await.unwrap();
    assert!(
        app.session_actor(&s4.secret).await.is_err(),
        "signed out everywhere"
    );

    // Absolute expiry: used every 10 minutes, a session still ends after 12 hours.
    let s5 = app
        .sign_in("kim", PASSWORD, "10.0.0.4", None)
        .await
        .unwrap();
    for _ in 0..(12 * 6 - 1) {
        now.fetch_add(600, Ordering::SeqCst);
        app.session_actor(&s5.secret).await.unwrap();
    }
    now.fetch_add(600, Ordering::SeqCst);
    assert!(app.session_actor(&s5.secret).await.is_err());

    // Changing the password ends every session.
    let s6 = app
        .sign_in("kim", PASSWORD, "10.0.0.4", None)
        .await
        .unwrap();
    let edit = UserEdit {
        password: Some("another long passphrase".into()),
        ..Default::default()
    };
    app.set_user(&op, "kim", edit).await.unwrap();
    assert!(app.session_actor(&s6.secret).await.is_err());
    assert!(app
        .sign_in("kim", PASSWORD, "10.0.0.4", None)
        .await
        .is_err());
}

#[tokio::test]
async fn the_first_admin_comes_from_a_one_time_link_and_everything_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app(&dir).await;
    let link = app.setup_link().await.unwrap().expect("no users yet");
    assert!(app.setup_link_valid(&link).await.unwrap());
    let admin = NewUser {
        name: "root-admin".into(),
        roles: vec![],
        password: Some(PASSWORD.into()),
        ..kim(None)
    };
    let wrong = "0".repeat(64);
    assert!(app.setup_first_admin(&wrong, admin.clone()).await.is_err());
    let session = app.setup_first_admin(&link, admin.clone()).await.unwrap();
    let who = app.session_actor(&session.secret).await.unwrap();
    assert_eq!(who.actor.roles(), [Role::Admin]);
    assert!(app
        .setup_first_admin(
            &link,
            NewUser {
                name: "again".into(),
                ..admin
            }
        )
        .await
        .is_err());
    assert!(app.setup_link().await.unwrap().is_none(), "users exist now");

    let op = Actor::operator();
    let personas = app.demo_personas().await.unwrap();
    assert_eq!(personas.len(), 6);
    let again = app.demo_personas().await.unwrap();
    assert_ne!(
        personas[0].password, again[0].password,
        "fresh passwords at every start"
    );
    app.sign_in(&again[0].name, &again[0].password, "127.0.0.1", None)
        .await
        .unwrap();
    assert!(app
        .sign_in(&personas[0].name, &personas[0].password, "127.0.0.1", None)
        .await
        .is_err());

    let filter = AuditFilter {
        actor: None,
        record: Some(("user".into(), "dapa-officer".into())),
        from_ms: None,
        to_ms: None,
        before_seq: None,
        limit: 10,
    };
    let history: Vec<String> = app
        .audit(&op, &filter)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(history, ["session.start", "user.set", "user.add"]);
    let kim = Actor::user(&defcoop_domain::account::User {
        name: "x".into(),
        nationality: "KOR".into(),
        organization: "x".into(),
        roles: vec![Role::Member],
        clearance: Default::default(),
        disabled: false,
        person: None,
    });
    assert!(matches!(
        app.audit(&kim, &filter).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        app.verify_audit().await.unwrap(),
        Verdict::Whole { .. }
    ));
}

#[tokio::test]
async fn a_user_is_the_registry_person_its_admin_links_it_to() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app(&dir).await;
    let op = Actor::operator();
    let seok = NewUser {
        person: Some("seok-jong-gun".into()),
        ..kim(None)
    };
    let added = app.add_user(&op, seok).await.unwrap();
    assert_eq!(added.user.person.as_deref(), Some("seok-jong-gun"));
    let kim = app.actor_of("kim").await.unwrap();
    assert_eq!(
        kim.person(),
        Some("seok-jong-gun"),
        "the actor is the person"
    );

    // A person nobody has, or one the acting administrator may not see, is not found.
    let nobody = NewUser {
        name: "lee".into(),
        person: Some("nobody".into()),
        ..self::kim(None)
    };
    let Err(AppError::BadRequest(msg)) = app.add_user(&op, nobody).await else {
        panic!("accepted an unknown person")
    };
    assert_eq!(msg, "--person: person \"nobody\" not found");
    let kind = RecordKind::parse("person").unwrap();
    let mut andrius = app.record(&op, kind, "andrius-kubilius").await.unwrap();
    andrius["label"] = serde_json::json!({"policy": "DEFCOOP", "classification": "CONFIDENTIAL"});
    app.update_record(&op, kind.0, "andrius-kubilius", &andrius)
        .await
        .unwrap();
    app.add_user(
        &op,
        NewUser {
            name: "adm".into(),
            roles: vec!["admin".into()],
            ..self::kim(None)
        },
    )
    .await
    .unwrap();
    let adm = app.actor_of("adm").await.unwrap();
    let edit = |person: Option<Option<&str>>| UserEdit {
        person: person.map(|p| p.map(str::to_string)),
        ..Default::default()
    };
    let hidden = app
        .set_user(&adm, "kim", edit(Some(Some("andrius-kubilius"))))
        .await
        .unwrap_err();
    assert_eq!(
        hidden.to_string(),
        "--person: person \"andrius-kubilius\" not found"
    );
    app.set_user(&op, "kim", edit(Some(Some("andrius-kubilius"))))
        .await
        .unwrap();
    assert_eq!(
        app.actor_of("kim").await.unwrap().person(),
        Some("andrius-kubilius")
    );
    // Other changes keep the link; --no-person removes it.
    let kept = app
        .set_user(
            &adm,
            "kim",
            UserEdit {
                organization: Some("nato".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(kept.user.person.as_deref(), Some("andrius-kubilius"));
    let gone = app.set_user(&adm, "kim", edit(Some(None))).await.unwrap();
    assert_eq!(gone.user.person, None);
    assert_eq!(app.actor_of("kim").await.unwrap().person(), None);

    let filter = AuditFilter {
        actor: None,
        record: Some(("user".into(), "kim".into())),
        from_ms: None,
        to_ms: None,
        before_seq: None,
        limit: 10,
    };
    let details: Vec<String> = app
        .audit(&op, &filter)
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.action, e.detail))
        .collect();
    assert_eq!(details[0], "user.set person removed");
    assert_eq!(details[2], "user.set person andrius-kubilius");
    assert!(
        details[3].starts_with("user.add roles member;")
            && details[3].ends_with("; person seok-jong-gun"),
        "{details:?}"
    );
}
