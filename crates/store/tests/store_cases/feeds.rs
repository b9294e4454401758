//! Store cases for users linked to a registry person and for calendar feed tokens (run on
//! both backends).

use defcoop_domain::account::{TokenScope, User};
use defcoop_store::{Store, TokenInfo};

use super::{alice, all, change, whole};

fn token(id: &str, scope: TokenScope) -> TokenInfo {
    TokenInfo {
        id: id.into(),
        user: "alice".into(),
        created_at: 1_000,
        expires_at: Some(9_000),
        revoked_at: None,
        last_used_at: None,
        scope,
    }
}

pub async fn users_keep_the_person_they_are(s: &Store) {
    // A user linked to nobody serializes as before the link existed, so the digests of
    // users written then stay what they were.
    let nobody = serde_json::to_value(alice()).unwrap();
    assert!(nobody.get("person").is_none(), "{nobody}");

    let seok = User {
        person: Some("seok-jong-gun".into()),
        ..alice()
    };
    s.add_user(&change(&seok, None)).await.unwrap();
    assert_eq!(s.user("alice").await.unwrap().unwrap().user, seok);
    assert_eq!(
        s.users().await.unwrap()[0].user.person.as_deref(),
        Some("seok-jong-gun")
    );
    s.update_user(&change(&alice(), None)).await.unwrap();
    assert_eq!(
        s.user("alice").await.unwrap().unwrap().user.person,
        None,
        "unlinked"
    );
    let bob = User {
        name: "bob".into(),
        person: Some("radmila-shekerinska".into()),
        ..alice()
    };
    s.add_user(&change(&bob, None)).await.unwrap();
    let people: Vec<Option<String>> = s
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.user.person)
        .collect();
    assert_eq!(people, [None, Some("radmila-shekerinska".into())]);
    // The change of person is audited: the user's digest moved.
    let log = s.audit(&all()).await.unwrap();
    let set = log.iter().find(|e| e.action == "user.set").unwrap();
    assert_ne!(set.digest_before, set.digest_after);
    assert_eq!(whole(s).await, 3);
}

pub async fn token_scopes_are_kept_and_feeds_revoked_like_tokens(s: &Store) {
    s.add_user(&change(&alice(), None)).await.unwrap();
    let api = token("tok-1", TokenScope::Api);
    let feed = token("cal-1", TokenScope::Calendar);
    s.add_token("operator", &api, "hash-api", "token tok-1")
        .await
        .unwrap();
    s.add_token("operator", &feed, "hash-cal", "calendar feed cal-1")
        .await
        .unwrap();
    assert_eq!(s.token_by_hash("hash-api").await.unwrap().unwrap(), api);
    assert_eq!(s.token_by_hash("hash-cal").await.unwrap().unwrap(), feed);
    assert_eq!(
        s.token("cal-1").await.unwrap().unwrap().scope,
        TokenScope::Calendar
    );
    let scopes: Vec<(String, TokenScope)> = s
        .tokens(Some("alice"))
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.id, t.scope))
        .collect();
    assert_eq!(
        scopes,
        [
            ("cal-1".to_string(), TokenScope::Calendar),
            ("tok-1".to_string(), TokenScope::Api)
        ]
    );
    s.revoke_token("operator", "cal-1", 2_000).await.unwrap();
    assert_eq!(
        s.token_by_hash("hash-cal")
            .await
            .unwrap()
            .unwrap()
            .revoked_at,
        Some(2_000),
        "revoked at once"
    );
    assert_eq!(
        s.token("tok-1").await.unwrap().unwrap().revoked_at,
        None,
        "the other token stays"
    );
    let log = s.audit(&all()).await.unwrap();
    let summary: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        summary[..3],
        [
            ("token.revoke", "calendar feed cal-1"),
            ("token.create", "calendar feed cal-1"),
            ("token.create", "token tok-1"),
        ]
    );
    assert_eq!(whole(s).await, 4);
}

/// Tokens stored before scopes existed (a row without one) are API tokens.
pub async fn tokens_made_before_scopes_are_api_tokens(s: &Store, location: &str) {
    s.add_user(&change(&alice(), None)).await.unwrap();
    crate::raw_sql(
        location,
        "INSERT INTO api_tokens (id, hash, user_name, created_at) \
         VALUES ('tok-old', 'hash-old', 'alice', 1)",
    )
    .await;
    let old = s.token_by_hash("hash-old").await.unwrap().unwrap();
    assert_eq!(old.scope, TokenScope::Api);
}
