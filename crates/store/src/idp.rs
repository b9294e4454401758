//! Identity providers (OpenID Connect) and the sign-ins under way through them.
//!
//! A provider is registered once per issuer; its client secret is stored as given (the
//! platform presents it to the provider) and only [`Store::identity_provider_secret`] reads it:
//! [`IdentityProvider`] has no field for it, so no listing can show it. Every change to
//! providers is audited in its own transaction, like account writes. Sign-ins under way
//! ([`PendingLogin`]) are bookkeeping: stored under the hash of their `state`, taken once,
//! pruned when expired, not audited.

use serde::Serialize;

use crate::audit::NewEntry;
use crate::{on_backend, postgres, sqlite, Store, StoreError};

/// A registered identity provider, without its client secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentityProvider {
    /// A slug (`mnd-kr`): the sign-in URL `/signin/oidc/ID` and the CLI name it.
    pub id: String,
    /// The member organization whose provider it is.
    pub organization: String,
    /// The issuer URL, exactly as the provider's ID tokens say `iss`.
    pub issuer: String,
    pub client_id: String,
    /// What the sign-in page's button says.
    pub name: String,
    pub created_at: i64,
}

/// A sign-in under way: the browser was sent to the provider and has not come back yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    /// SHA-256 (hex) of the `state` parameter.
    pub state_hash: String,
    /// The provider's id.
    pub provider: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE code verifier.
    pub verifier: String,
    /// Where to go after signing in (a path on this site).
    pub next: String,
    pub expires_at: i64,
}

/// The digest of a provider's stored fields (never of its secret).
fn idp_digest(p: &IdentityProvider) -> String {
    crate::audit::digest(serde_json::to_string(p).unwrap_or_default().as_bytes())
}

fn idp_entry(
    by: &str,
    action: &str,
    p: &IdentityProvider,
    before: String,
    after: String,
) -> NewEntry {
    NewEntry {
        actor: by.to_string(),
        action: action.to_string(),
        subject: format!("identity provider {}", p.id),
        detail: format!(
            "organization {}; issuer {}; client {}; name {}",
            p.organization, p.issuer, p.client_id, p.name
        ),
        digest_before: before,
        digest_after: after,
        records: vec![("idp".into(), p.id.clone())],
    }
}

impl Store {
    /// Every registered provider, by id.
    pub async fn identity_providers(&self) -> Result<Vec<IdentityProvider>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::list_idps(&mut conn).await
        })
    }

    pub async fn identity_provider(
        &self,
        id: &str,
    ) -> Result<Option<IdentityProvider>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::get_idp(&mut conn, id).await
        })
    }

    /// The provider registered for `issuer`.
    pub async fn identity_provider_of_issuer(
        &self,
        issuer: &str,
    ) -> Result<Option<IdentityProvider>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::idp_by_issuer(&mut conn, issuer).await
        })
    }

    /// A provider's client secret (to present it to the provider's token endpoint).
    pub async fn identity_provider_secret(&self, id: &str) -> Result<Option<String>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::idp_secret(&mut conn, id).await
        })
    }

    /// Registers a provider (refused when its id or issuer is taken), audited.
    pub async fn add_identity_provider(
        &self,
        by: &str,
        p: &IdentityProvider,
        secret: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            if b::get_idp(&mut tx, &p.id).await?.is_some() {
                return Err(StoreError::Conflict(format!("identity provider \"{}\" already exists", p.id)));
            }
            if let Some(other) = b::idp_by_issuer(&mut tx, &p.issuer).await? {
                return Err(StoreError::Conflict(format!(
                    "the issuer {} is already registered as identity provider \"{}\"", p.issuer, other.id
                )));
            }
            b::insert_idp(&mut tx, p, secret).await?;
            b::append_audit(&mut tx, &idp_entry(by, "idp.add", p, String::new(), idp_digest(p))).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Removes a provider and the sign-ins under way through it, audited. Identities linked
    /// under its issuer stay (no one can sign in through an issuer that is not registered).
    pub async fn remove_identity_provider(&self, by: &str, id: &str) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            let Some(p) = b::get_idp(&mut tx, id).await? else {
                return Err(StoreError::Absent(format!("identity provider \"{id}\"")));
            };
            b::delete_idp(&mut tx, id).await?;
            b::append_audit(&mut tx, &idp_entry(by, "idp.remove", &p, idp_digest(&p), String::new())).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Stores a sign-in under way, and prunes those expired at `now` (bookkeeping: not
    /// audited). Refused when its provider is not registered.
    pub async fn add_pending_login(&self, l: &PendingLogin, now: i64) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            b::delete_expired_logins(&mut conn, now).await?;
            if b::get_idp(&mut conn, &l.provider).await?.is_none() {
                return Err(StoreError::Absent(format!("identity provider \"{}\"", l.provider)));
            }
            b::insert_login(&mut conn, l).await
        })
    }

    /// Takes (removes and returns) the sign-in stored under `state_hash`: `None` when there is
    /// none, it was taken before, or it expired at `now`.
    pub async fn take_pending_login(
        &self,
        state_hash: &str,
        now: i64,
    ) -> Result<Option<PendingLogin>, StoreError> {
        on_backend!(self, b, pool => {
            let mut conn = pool.acquire().await?;
            let taken = b::take_login(&mut conn, state_hash).await?;
            Ok(taken.filter(|l| l.expires_at > now))
        })
    }
}
