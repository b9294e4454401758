//! Store cases for identity providers, identities and sign-ins under way (run on both
//! backends).

use defcoop_domain::account::{Role, User};
use defcoop_domain::label::Clearance;
use defcoop_store::{AuditFilter, IdentityProvider, PendingLogin, Store, StoreError, UserChange};

fn provider(id: &str, issuer: &str) -> IdentityProvider {
    IdentityProvider {
        id: id.into(),
        organization: "mnd-kr".into(),
        issuer: issuer.into(),
        client_id: format!("{id}-client"),
        name: format!("Ministry {id}"),
        created_at: 1_000,
    }
}

fn login(state_hash: &str, provider: &str, expires_at: i64) -> PendingLogin {
    PendingLogin {
        state_hash: state_hash.into(),
        provider: provider.into(),
        nonce: format!("nonce-{state_hash}"),
        verifier: format!("verifier-{state_hash}"),
        next: "/transfers".into(),
        expires_at,
    }
}

fn actions(entries: &[defcoop_store::AuditEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.action.as_str()).collect()
}

async fn log(s: &Store) -> Vec<defcoop_store::AuditEntry> {
    s.audit(&AuditFilter {
        actor: None,
        record: None,
        from_ms: None,
        to_ms: None,
        before_seq: None,
        limit: 100,
    })
    .await
    .unwrap()
}

pub async fn identity_providers_are_registered_once_audited_and_removed(s: &Store) {
    let a = provider("ministry-a", "https://a.example/");
    s.add_identity_provider("operator", &a, "secret-a")
        .await
        .unwrap();
    let same_id = provider("ministry-a", "https://other.example/");
    let r = s.add_identity_provider("operator", &same_id, "x").await;
    assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
    let same_issuer = provider("ministry-b", "https://a.example/");
    let r = s.add_identity_provider("operator", &same_issuer, "x").await;
    assert!(
        matches!(&r, Err(StoreError::Conflict(m)) if m.contains("ministry-a")),
        "{r:?}"
    );
    let b = provider("ministry-b", "https://b.example/");
    s.add_identity_provider("admin", &b, "secret-b")
        .await
        .unwrap();

    assert_eq!(
        s.identity_providers().await.unwrap(),
        [a.clone(), b.clone()]
    );
    assert_eq!(
        s.identity_provider("ministry-a").await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(
        s.identity_provider_of_issuer("https://b.example/")
            .await
            .unwrap(),
        Some(b.clone())
    );
    assert_eq!(
        s.identity_provider_of_issuer("https://b.example")
            .await
            .unwrap(),
        None,
        "issuers compare exactly"
    );
    assert_eq!(
        s.identity_provider_secret("ministry-b")
            .await
            .unwrap()
            .as_deref(),
        Some("secret-b")
    );
    let entries = log(s).await;
    assert_eq!(
        actions(&entries),
        ["idp.add", "idp.add"],
        "refusals write nothing"
    );
    assert!(
        entries.iter().all(|e| !e.detail.contains("secret")),
        "secrets are never audited: {entries:?}"
    );
    assert_eq!(entries[0].actor, "admin");

    let r = s.remove_identity_provider("operator", "ministry-z").await;
    assert!(matches!(r, Err(StoreError::Absent(_))), "{r:?}");
    s.remove_identity_provider("operator", "ministry-a")
        .await
        .unwrap();
    assert_eq!(s.identity_providers().await.unwrap(), [b]);
    assert_eq!(
        s.identity_provider_secret("ministry-a").await.unwrap(),
        None
    );
    let entries = log(s).await;
    assert_eq!(actions(&entries), ["idp.remove", "idp.add", "idp.add"]);
    assert_eq!(entries[0].digest_before, entries[2].digest_after);
    assert!(entries[0].digest_after.is_empty());
    assert!(matches!(
        s.verify_audit().await.unwrap(),
        defcoop_store::Verdict::Whole { entries: 3, .. }
    ));
}

pub async fn identities_link_only_under_registered_issuers(s: &Store) {
    let alice = User {
        name: "alice".into(),
        nationality: "KOR".into(),
        organization: "mnd-kr".into(),
        roles: vec![Role::Member],
        clearance: Clearance::default(),
        disabled: false,
        person: None,
    };
    s.add_user(&UserChange {
        by: "operator",
        user: &alice,
        password: None,
        detail: "test".into(),
        now: 1_000,
    })
    .await
    .unwrap();
    let r = s
        .link_identity("operator", "alice", "https://a.example/", "sub-1")
        .await;
    assert!(matches!(r, Err(StoreError::Absent(_))), "{r:?}");
    assert!(s.identities("alice").await.unwrap().is_empty());
    s.add_identity_provider("operator", &provider("a", "https://a.example/"), "s")
        .await
        .unwrap();
    s.add_identity_provider("operator", &provider("b", "https://b.example/"), "s")
        .await
        .unwrap();
    s.link_identity("operator", "alice", "https://a.example/", "sub-1")
        .await
        .unwrap();
    let r = s
        .link_identity("operator", "alice", "https://a.example/", "sub-1")
        .await;
    assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
    let r = s
        .link_identity("operator", "nobody", "https://a.example/", "sub-2")
        .await;
    assert!(matches!(r, Err(StoreError::Absent(_))), "{r:?}");
    assert_eq!(
        s.user_of_identity("https://a.example/", "sub-1")
            .await
            .unwrap()
            .as_deref(),
        Some("alice")
    );
    assert_eq!(
        s.user_of_identity("https://b.example/", "sub-1")
            .await
            .unwrap(),
        None,
        "the same subject at another issuer is someone else"
    );
    let entries = log(s).await;
    assert_eq!(
        actions(&entries),
        ["user.identity", "idp.add", "idp.add", "user.add"]
    );
}

pub async fn sign_ins_under_way_are_taken_once_and_expire(s: &Store) {
    let r = s.add_pending_login(&login("h0", "a", 2_000), 1_000).await;
    assert!(matches!(r, Err(StoreError::Absent(_))), "{r:?}");
    s.add_identity_provider("operator", &provider("a", "https://a.example/"), "s")
        .await
        .unwrap();
    let before = log(s).await.len();
    let one = login("h1", "a", 2_000);
    s.add_pending_login(&one, 1_000).await.unwrap();
    s.add_pending_login(&login("h2", "a", 1_500), 1_000)
        .await
        .unwrap();
    assert_eq!(s.take_pending_login("h1", 1_100).await.unwrap(), Some(one));
    assert_eq!(
        s.take_pending_login("h1", 1_100).await.unwrap(),
        None,
        "a sign-in is taken once"
    );
    assert_eq!(s.take_pending_login("nope", 1_100).await.unwrap(), None);
    assert_eq!(
        s.take_pending_login("h2", 1_500).await.unwrap(),
        None,
        "expired"
    );

    // Expired ones are pruned by the next sign-in that starts.
    s.add_pending_login(&login("h3", "a", 1_200), 1_000)
        .await
        .unwrap();
    s.add_pending_login(&login("h4", "a", 9_000), 1_300)
        .await
        .unwrap();
    assert_eq!(
        s.take_pending_login("h3", 0).await.unwrap(),
        None,
        "pruned, not merely filtered"
    );
    // Removing the provider drops its sign-ins under way.
    s.remove_identity_provider("operator", "a").await.unwrap();
    assert_eq!(s.take_pending_login("h4", 1_300).await.unwrap(), None);
    assert_eq!(
        log(s).await.len(),
        before + 1,
        "sign-ins under way are bookkeeping; only the removal is audited"
    );
}
