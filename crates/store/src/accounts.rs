//! Accounts, API tokens, sessions, sign-in throttling, setup links and the audit log.
//!
//! Secrets never reach this crate in the clear: the application layer hashes tokens and
//! session ids (SHA-256) and passwords (argon2id) and passes the hashes. Every change to an
//! account or token is audited in the same transaction ([`crate::audit`]); so are session
//! starts and ends. Heartbeats (a session's last use, a token's) and throttling counters are
//! bookkeeping, not audited.

use defcoop_domain::account::{TokenScope, User};
use serde::Serialize;

use crate::audit::{AuditEntry, Checker, NewEntry, Verdict};
use crate::{on_backend, postgres, sqlite, Store, StoreError};

/// A user as stored, with facts about its secrets (never the secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredUser {
    #[serde(flatten)]
    pub user: User,
    pub has_password: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A token (an API token or a calendar feed's), without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: String,
    pub user: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// What it is good for: the API, or only its user's calendar feed.
    pub scope: TokenScope,
}

/// A browser session (its id is known only to the browser; the store holds its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub user: String,
    /// The token forms carry against cross-site request forgery.
    pub csrf: String,
    pub created_at: i64,
    pub seen_at: i64,
    /// Absolute expiry.
    pub expires_at: i64,
}

/// Which audit entries to list (newest first).
#[derive(Debug, Clone)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// (kind, key) of a record, e.g. ("system", "k9"), ("user", "alice").
    pub record: Option<(String, String)>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Entries before this one (paging backwards).
    pub before_seq: Option<i64>,
    pub limit: i64,
}

/// A change to a user, audited as one entry.
#[derive(Debug, Clone)]
pub struct UserChange<'a> {
    /// Who changes it (for the audit log).
    pub by: &'a str,
    pub user: &'a User,
    /// `None`: keep the password; `Some(None)`: remove it; `Some(Some(hash))`: set it.
    pub password: Option<Option<&'a str>>,
    /// What changed, for the audit log (`roles, clearance`).
    pub detail: String,
    pub now: i64,
}

fn user_entry(
    by: &str,
    action: &str,
    name: &str,
    detail: String,
    before: String,
    after: String,
) -> NewEntry {
    NewEntry {
        actor: by.to_string(),
        action: action.to_string(),
        subject: format!("user {name}"),
        detail,
        digest_before: before,
        digest_after: after,
        records: vec![("user".into(), name.to_string())],
    }
}

/// The digest of a user's stored fields (not its secrets, which are never digested here).
fn user_digest(u: &User) -> String {
    crate::audit::digest(serde_json::to_string(u).unwrap_or_default().as_bytes())
}

impl Store {
    /// How many users exist.
    pub async fn user_count(&self) -> Result<i64, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::count_users(&mut conn).await
        })
    }

    pub async fn user(&self, name: &str) -> Result<Option<StoredUser>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::get_user(&mut conn, name).await
        })
    }

    pub async fn users(&self) -> Result<Vec<StoredUser>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::list_users(&mut conn).await
        })
    }

    /// A user's identity-provider accounts (issuer, subject).
    pub async fn identities(&self, name: &str) -> Result<Vec<(String, String)>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::identities_of(&mut conn, name).await
        })
    }

    /// The user an identity provider's (issuer, subject) belongs to.
    pub async fn user_of_identity(
        &self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<String>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::user_of_identity(&mut conn, issuer, subject).await
        })
    }

    /// A user's password hash, if it has one.
    pub async fn password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::password_hash(&mut conn, name).await
        })
    }

    /// Adds a user (refused when the name is taken), audited.
    pub async fn add_user(&self, c: &UserChange<'_>) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            if b::get_user(&mut tx, &c.user.name).await?.is_some() {
                return Err(StoreError::Conflict(format!("user \"{}\" already exists", c.user.name)));
            }
            b::insert_user(&mut tx, c.user, c.password.flatten(), c.now).await?;
            let e = user_entry(c.by, "user.add", &c.user.name, c.detail.clone(), String::new(), user_digest(c.user));
            b::append_audit(&mut tx, &e).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Creates the first administrator through a setup link, in one transaction: refused
    /// (`false`, nothing written) when users exist or the link is unknown or expired.
    pub async fn add_first_admin(
        &self,
        link_hash: &str,
        c: &UserChange<'_>,
    ) -> Result<bool, StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            if b::count_users(&mut tx).await? > 0 || !b::take_setup_link(&mut tx, link_hash, c.now).await? {
                return Ok(false);
            }
            b::insert_user(&mut tx, c.user, c.password.flatten(), c.now).await?;
            let e = user_entry(c.by, "user.add", &c.user.name, c.detail.clone(), String::new(), user_digest(c.user));
            b::append_audit(&mut tx, &e).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Replaces a user's fields (and optionally its password), audited. A disabled user's
    /// sessions end in the same transaction.
    pub async fn update_user(&self, c: &UserChange<'_>) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            let Some(old) = b::get_user(&mut tx, &c.user.name).await? else {
                return Err(StoreError::Absent(format!("user \"{}\"", c.user.name)));
            };
            b::update_user(&mut tx, c.user, c.password, c.now).await?;
            if c.user.disabled || c.password.is_some() {
                b::delete_sessions_of(&mut tx, &c.user.name).await?;
            }
            let action = if c.user.disabled && !old.user.disabled { "user.disable" } else { "user.set" };
            let e = user_entry(c.by, action, &c.user.name, c.detail.clone(), user_digest(&old.user), user_digest(c.user));
            b::append_audit(&mut tx, &e).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Links an identity provider's account to a user, audited. The issuer must be a
    /// registered identity provider's.
    pub async fn link_identity(
        &self,
        by: &str,
        name: &str,
        issuer: &str,
        subject: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            if b::get_user(&mut tx, name).await?.is_none() {
                return Err(StoreError::Absent(format!("user \"{name}\"")));
            }
            if b::idp_by_issuer(&mut tx, issuer).await?.is_none() {
                return Err(StoreError::Absent(format!("identity provider with the issuer {issuer}")));
            }
            if let Some(owner) = b::user_of_identity(&mut tx, issuer, subject).await? {
                return Err(StoreError::Conflict(format!("that identity already belongs to user \"{owner}\"")));
            }
            b::insert_identity(&mut tx, name, issuer, subject).await?;
            let e = user_entry(by, "user.identity", name, format!("issuer {issuer}"), String::new(),
                crate::audit::digest(format!("{issuer}\n{subject}").as_bytes()));
            b::append_audit(&mut tx, &e).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Stores a new token (its hash) of either scope, audited `token.create` with `detail`
    /// (what people read: its id, scope, expiry).
    pub async fn add_token(
        &self,
        by: &str,
        t: &TokenInfo,
        hash: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            if b::get_user(&mut tx, &t.user).await?.is_none() {
                return Err(StoreError::Absent(format!("user \"{}\"", t.user)));
            }
            b::insert_token(&mut tx, t, hash).await?;
            let e = NewEntry {
                actor: by.to_string(),
                action: "token.create".into(),
                subject: format!("user {}", t.user),
                detail: detail.to_string(),
                digest_before: String::new(),
                digest_after: hash.to_string(),
                records: vec![("user".into(), t.user.clone()), ("token".into(), t.id.clone())],
            };
            b::append_audit(&mut tx, &e).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The token whose secret hashes to `hash`.
    pub async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::token_by_hash(&mut conn, hash).await
        })
    }

    pub async fn token(&self, id: &str) -> Result<Option<TokenInfo>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::token_by_id(&mut conn, id).await
        })
    }

    /// Tokens of one user, or of everyone.
    pub async fn tokens(&self, user: Option<&str>) -> Result<Vec<TokenInfo>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::list_tokens(&mut conn, user).await
        })
    }

    /// Revokes a token of either scope, at once (a second revocation changes nothing and is not
    /// audited again).
    pub async fn revoke_token(&self, by: &str, id: &str, now: i64) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            let Some(t) = b::token_by_id(&mut tx, id).await? else {
                return Err(StoreError::Absent(format!("token \"{id}\"")));
            };
            if t.revoked_at.is_some() {
                return Ok(());
            }
            b::revoke_token(&mut tx, id, now).await?;
            let e = NewEntry {
                actor: by.to_string(),
                action: "token.revoke".into(),
                subject: format!("user {}", t.user),
                detail: match t.scope {
                    TokenScope::Api => format!("token {id}"),
                    TokenScope::Calendar => format!("calendar feed {id}"),
                },
                records: vec![("user".into(), t.user.clone()), ("token".into(), id.to_string())],
                ..Default::default()
            };
            b::append_audit(&mut tx, &e).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Notes a token's use (bookkeeping; not audited).
    pub async fn touch_token(&self, id: &str, now: i64) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::touch_token(&mut conn, id, now).await
        })
    }

    /// Starts a session, ending `replaces` (the session the browser had before signing in, so a
    /// session id planted before sign-in is never signed in), audited.
    pub async fn start_session(
        &self,
        hash: &str,
        s: &SessionInfo,
        replaces: Option<&str>,
        how: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            if let Some(old) = replaces {
                b::delete_session(&mut tx, old).await?;
            }
            b::delete_expired_sessions(&mut tx, s.created_at).await?;
            b::insert_session(&mut tx, hash, s).await?;
            let e = NewEntry {
                actor: s.user.clone(),
                action: "session.start".into(),
                subject: format!("user {}", s.user),
                detail: how.to_string(),
                records: vec![("user".into(), s.user.clone())],
                ..Default::default()
            };
            b::append_audit(&mut tx, &e).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn session(&self, hash: &str) -> Result<Option<SessionInfo>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::session_by_hash(&mut conn, hash).await
        })
    }

    /// Notes a session's use (bookkeeping; not audited).
    pub async fn touch_session(&self, hash: &str, now: i64) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::touch_session(&mut conn, hash, now).await
        })
    }

    /// Ends a session (`everywhere`: every session of its user), audited when one ended.
    /// Expired sessions are removed without an audit entry.
    pub async fn end_session(&self, hash: &str, everywhere: bool) -> Result<u64, StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            let Some(s) = b::session_by_hash(&mut tx, hash).await? else {
                return Ok(0);
            };
            let ended = if everywhere {
                b::delete_sessions_of(&mut tx, &s.user).await?
            } else {
                b::delete_session(&mut tx, hash).await?
            };
            let e = NewEntry {
                actor: s.user.clone(),
                action: "session.end".into(),
                subject: format!("user {}", s.user),
                detail: if everywhere { format!("signed out everywhere ({ended} sessions)") } else { "signed out".into() },
                records: vec![("user".into(), s.user.clone())],
                ..Default::default()
            };
            b::append_audit(&mut tx, &e).await?;
            tx.commit().await?;
            Ok(ended)
        })
    }

    /// Removes a session that expired (no audit entry: nobody acted).
    pub async fn drop_session(&self, hash: &str) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::delete_session(&mut conn, hash).await.map(|_| ())
        })
    }

    /// Records a failed sign-in under each key (`user:NAME`, `addr:IP`).
    pub async fn sign_in_failed(&self, keys: &[String], now: i64) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            for key in keys {
                b::add_failure(&mut conn, key, now).await?;
            }
            Ok(())
        })
    }

    /// Failed sign-ins under `key` since `since`.
    pub async fn sign_in_failures(&self, key: &str, since: i64) -> Result<i64, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::count_failures(&mut conn, key, since).await
        })
    }

    /// Forgets `key`'s failures, and everyone's older than `before`.
    pub async fn clear_sign_in_failures(&self, key: &str, before: i64) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::clear_failures(&mut conn, key, before).await
        })
    }

    /// Stores a setup link's hash (links expire; the first administrator consumes them all).
    pub async fn add_setup_link(&self, hash: &str, expires_at: i64) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::insert_setup_link(&mut conn, hash, expires_at).await
        })
    }

    /// Whether a setup link is valid now (and no user exists yet).
    pub async fn setup_link_valid(&self, hash: &str, now: i64) -> Result<bool, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            Ok(b::count_users(&mut conn).await? == 0 && b::has_setup_link(&mut conn, hash, now).await?)
        })
    }

    /// Audit entries matching `filter`, newest first.
    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::audit_search(&mut conn, filter).await
        })
    }

    /// Walks the whole audit chain, page by page, and says whether it is whole or where it
    /// first breaks.
    pub async fn verify_audit(&self) -> Result<Verdict, StoreError> {
        const PAGE: i64 = 5000;
        on_backend!(self, b, pool => {
            let mut tx = b::begin_read(pool).await?;
            let mut checker = Checker::default();
            let mut after = 0;
            loop {
                let page = b::audit_after(&mut tx, after, PAGE).await?;
                for e in &page {
                    if let Err(v) = checker.check(e) {
                        return Ok(v);
                    }
                }
                match page.last() {
                    Some(last) if page.len() as i64 == PAGE => after = last.seq,
                    _ => return Ok(checker.finish()),
                }
            }
        })
    }
}
