//! Store cases for accounts, tokens, sessions and the audit chain (run on both backends).

use defcoop_domain::account::{Role, TokenScope, User};
use defcoop_domain::label::Clearance;
use defcoop_domain::model::Kind;
use defcoop_store::{AuditFilter, SessionInfo, Store, StoreError, TokenInfo, UserChange, Verdict};

use super::{import, parse, DEMO};

// Identity providers, identities and sign-ins under way (their own file, run by the same suite).
#[path = "idp.rs"]
mod idp;
pub use idp::*;

// Users' people and calendar feed tokens (their own file, run by the same suite).
#[path = "feeds.rs"]
mod feeds;
pub use feeds::*;

pub(crate) fn alice() -> User {
    User {
        name: "alice".into(),
        nationality: "KOR".into(),
        organization: "DAPA".into(),
        roles: vec![Role::Member],
        clearance: Clearance::default().with_level("DEFCOOP", "RESTRICTED"),
        disabled: false,
        person: None,
    }
}

pub(crate) fn change<'a>(user: &'a User, password: Option<Option<&'a str>>) -> UserChange<'a> {
    UserChange {
        by: "operator",
        user,
        password,
        detail: "test".into(),
        now: 1_000,
    }
}

pub(crate) fn all() -> AuditFilter {
    AuditFilter {
        actor: None,
        record: None,
        from_ms: None,
        to_ms: None,
        before_seq: None,
        limit: 100,
    }
}

pub(crate) async fn whole(s: &Store) -> i64 {
    match s.verify_audit().await.unwrap() {
        Verdict::Whole { entries, .. } => entries,
        broken => panic!("the chain should be whole: {broken:?}"),
    }
}

pub async fn users_are_added_once_changed_and_audited(s: &Store) {
    assert_eq!(s.user_count().await.unwrap(), 0);
    let mut u = alice();
    s.add_user(&change(&u, Some(Some("$argon2id$fake"))))
        .await
        .unwrap();
    let again = s.add_user(&change(&u, None)).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let stored = s.user("alice").await.unwrap().unwrap();
    assert_eq!(stored.user, u);
    assert!(stored.has_password);
    assert_eq!(
        s.password_hash("alice").await.unwrap().as_deref(),
        Some("$argon2id$fake")
    );

    u.roles = vec![Role::Admin, Role::Viewer];
    u.clearance = u.clearance.with_value("RELEASABLE-TO", "KOR");
    s.update_user(&change(&u, Some(None))).await.unwrap();
    let stored = s.user("alice").await.unwrap().unwrap();
    assert_eq!(stored.user, u, "roles and clearance roundtrip");
    assert!(!stored.has_password, "the password was removed");
    let missing = User {
        name: "bob".into(),
        ..alice()
    };
    let r = s.update_user(&change(&missing, None)).await;
    assert!(matches!(r, Err(StoreError::Absent(_))), "{r:?}");

    assert_eq!(s.users().await.unwrap().len(), 1);
    let log = s.audit(&all()).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["user.set", "user.add"],
        "newest first, nothing for refused writes"
    );
    assert!(
        log[0].digest_before == log[1].digest_after,
        "a change starts where the last ended"
    );
    assert_ne!(log[0].digest_before, log[0].digest_after);
    assert_eq!(whole(s).await, 2);
}

pub async fn tokens_are_found_by_hash_listed_and_revoked(s: &Store) {
    s.add_user(&change(&alice(), None)).await.unwrap();
    let t = TokenInfo {
        id: "tok-1".into(),
        user: "alice".into(),
        created_at: 1_000,
        expires_at: Some(2_000),
        revoked_at: None,
        last_used_at: None,
        scope: TokenScope::Api,
    };
    s.add_token("operator", &t, "hash-1", "t1").await.unwrap();
    let orphan = TokenInfo {
        id: "tok-2".into(),
        user: "nobody".into(),
        ..t.clone()
    };
    assert!(matches!(
        s.add_token("operator", &orphan, "hash-2", "t2").await,
        Err(StoreError::Absent(_))
    ));
    assert_eq!(s.token_by_hash("hash-1").await.unwrap().unwrap(), t);
    assert!(s.token_by_hash("hash-x").await.unwrap().is_none());
    s.touch_token("tok-1", 1_500).await.unwrap();
    s.revoke_token("operator", "tok-1", 1_600).await.unwrap();
    s.revoke_token("operator", "tok-1", 1_700).await.unwrap();
    let listed = s.tokens(Some("alice")).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].revoked_at,
        Some(1_600),
        "the first revocation stands"
    );
    assert_eq!(listed[0].last_used_at, Some(1_500));
    assert!(s.tokens(Some("bob")).await.unwrap().is_empty());
    assert!(matches!(
        s.revoke_token("operator", "tok-9", 1).await,
        Err(StoreError::Absent(_))
    ));
    let actions: Vec<String> = s
        .audit(&all())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["token.revoke", "token.create", "user.add"]);
    assert_eq!(whole(s).await, 3);
}

pub async fn sessions_start_replace_and_end_everywhere(s: &Store) {
    s.add_user(&change(&alice(), None)).await.unwrap();
    let session = |at: i64| SessionInfo {
        user: "alice".into(),
        csrf: format!("csrf-{at}"),
        created_at: at,
        seen_at: at,
        expires_at: at + 100,
    };
    s.start_session("h1", &session(10), None, "password")
        .await
        .unwrap();
    s.start_session("h2", &session(20), Some("h1"), "password")
        .await
        .unwrap();
    assert!(
        s.session("h1").await.unwrap().is_none(),
        "the replaced session ended"
    );
    assert_eq!(s.session("h2").await.unwrap().unwrap(), session(20));
    s.touch_session("h2", 30).await.unwrap();
    assert_eq!(s.session("h2").await.unwrap().unwrap().seen_at, 30);
    s.start_session("h3", &session(40), None, "password")
        .await
        .unwrap();
    // Starting a session clears expired ones.
    s.start_session("h4", &session(500), None, "password")
        .await
        .unwrap();
    assert!(s.session("h2").await.unwrap().is_none());
    s.start_session("h5", &session(510), None, "password")
        .await
        .unwrap();
    assert_eq!(
        s.end_session("h4", true).await.unwrap(),
        2,
        "both live sessions end"
    );
    assert!(s.session("h5").await.unwrap().is_none());
    assert_eq!(
        s.end_session("h4", false).await.unwrap(),
        0,
        "ending twice is harmless"
    );

    // Disabling a user ends its sessions in the same transaction.
    s.start_session("h6", &session(600), None, "password")
        .await
        .unwrap();
    let disabled = User {
        disabled: true,
        ..alice()
    };
    s.update_user(&change(&disabled, None)).await.unwrap();
    assert!(s.session("h6").await.unwrap().is_none());
    let log = s.audit(&all()).await.unwrap();
    assert_eq!(log[0].action, "user.disable");
    assert_eq!(whole(s).await, log.len() as i64);
}

pub async fn sign_in_failures_count_per_key_and_expire(s: &Store) {
    let keys = ["user:alice".to_string(), "addr:10.0.0.1".to_string()];
    for at in [100, 200, 300] {
        s.sign_in_failed(&keys, at).await.unwrap();
    }
    assert_eq!(s.sign_in_failures("user:alice", 0).await.unwrap(), 3);
    assert_eq!(s.sign_in_failures("user:alice", 150).await.unwrap(), 2);
    assert_eq!(s.sign_in_failures("user:bob", 0).await.unwrap(), 0);
    s.clear_sign_in_failures("user:alice", 250).await.unwrap();
    assert_eq!(s.sign_in_failures("user:alice", 0).await.unwrap(), 0);
    assert_eq!(
        s.sign_in_failures("addr:10.0.0.1", 0).await.unwrap(),
        1,
        "older ones pruned"
    );
}

pub async fn the_first_admin_needs_a_valid_setup_link_once(s: &Store) {
    s.add_setup_link("link", 2_000).await.unwrap();
    assert!(s.setup_link_valid("link", 1_000).await.unwrap());
    assert!(!s.setup_link_valid("link", 2_000).await.unwrap(), "expired");
    assert!(!s.setup_link_valid("other", 1_000).await.unwrap());
    let admin = User {
        roles: vec![Role::Admin],
        ..alice()
    };
    assert!(!s
        .add_first_admin("other", &change(&admin, None))
        .await
        .unwrap());
    assert_eq!(
        s.user_count().await.unwrap(),
        0,
        "a wrong link writes nothing"
    );
    assert!(
        s.setup_link_valid("link", 1_000).await.unwrap(),
        "and does not spoil the link"
    );
    assert!(s
        .add_first_admin("link", &change(&admin, None))
        .await
        .unwrap());
    let bob = User {
        name: "bob".into(),
        ..admin.clone()
    };
    s.add_setup_link("link2", 2_000).await.unwrap();
    assert!(
        !s.add_first_admin("link2", &change(&bob, None))
            .await
            .unwrap(),
        "users exist"
    );
    assert!(!s.setup_link_valid("link2", 1_000).await.unwrap());
    assert_eq!(s.user_count().await.unwrap(), 1);
}

pub async fn registry_writes_join_the_audit_chain(s: &Store) {
    import(s, &parse(DEMO)).await.unwrap();
    import(s, &parse(DEMO)).await.unwrap();
    let log = s.audit(&all()).await.unwrap();
    assert_eq!(
        log.len(),
        1,
        "a re-import writes nothing, so audits nothing"
    );
    assert_eq!(log[0].action, "import");
    assert_eq!(log[0].actor, "operator");
    assert!(log[0].digest_before.is_empty(), "everything was created");
    assert_eq!(log[0].digest_after.len(), 64);
    assert!(log[0].detail.contains("created"), "{}", log[0].detail);
    let public = defcoop_domain::Label {
        policy: "DEFCOOP".into(),
        classification: "PUBLIC".into(),
        categories: vec![],
    };
    s.set_label(
        Kind::System,
        "k9",
        Some(public),
        &defcoop_store::Writer::operator(),
    )
    .await
    .unwrap();
    let k9 = AuditFilter {
        record: Some(("system".into(), "k9".into())),
        ..all()
    };
    let history: Vec<String> = s
        .audit(&k9)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(history, ["label.set", "import"]);
    let by_nobody = AuditFilter {
        actor: Some("mallory".into()),
        ..all()
    };
    assert!(s.audit(&by_nobody).await.unwrap().is_empty());
    let paged = AuditFilter {
        before_seq: Some(2),
        ..all()
    };
    assert_eq!(s.audit(&paged).await.unwrap().len(), 1);
    assert_eq!(whole(s).await, 2);
}

/// Changing a stored entry (as someone with the database file could) is found by `verify`.
pub async fn a_changed_audit_entry_is_found(s: &Store, location: &str) {
    for name in ["a", "b", "c"] {
        let u = User {
            name: name.into(),
            ..alice()
        };
        s.add_user(&change(&u, None)).await.unwrap();
    }
    assert_eq!(whole(s).await, 3);
    super::raw_sql(location, "UPDATE audit SET actor = 'mallory' WHERE seq = 2").await;
    match s.verify_audit().await.unwrap() {
        Verdict::Broken { seq, why } => {
            assert_eq!(seq, 2);
            assert!(why.contains("changed"), "{why}");
        }
        whole => panic!("tampering not found: {whole:?}"),
    }
}
