//! Sign-in through the member organizations' own identity providers (OpenID Connect), as use
//! cases: registering providers, linking identities, and the two halves of a sign-in — the
//! start (a sign-in under way, stored, with its `state`, nonce and PKCE verifier) and the end
//! (the sign-in taken once by its `state`, then the verified issuer and subject looked up).
//!
//! Talking to the provider (discovery, the token request, verifying the ID token's signature
//! and claims) is HTTP and happens in the web crate; this module decides who that proves.
//! Accounts are keyed by (issuer, subject), never by e-mail, and an identity signs in only
//! through the provider registered for its issuer (an ID token from another issuer is refused:
//! mix-up). Claims never grant roles, clearances or categories: the platform holds them.

use defcoop_domain::account::Permission;
use defcoop_store::audit::digest;
use defcoop_store::{IdentityProvider, PendingLogin};
use serde::Serialize;

use crate::accounts::{random_token, NewSession};
use crate::{Actor, App, AppError, Result};

/// How long a sign-in under way may take (seconds) before its `state` is refused.
pub const LOGIN_TTL: i64 = 10 * 60;
/// The longest subject OpenID Connect allows (ASCII characters).
const MAX_SUBJECT: usize = 255;

/// A provider to register, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct NewProvider {
    pub id: String,
    pub organization: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// What the sign-in button says; the organization when not given.
    pub name: Option<String>,
}

/// A provider as the sign-in page shows it (anyone may see this).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SignInProvider {
    pub id: String,
    pub name: String,
    pub organization: String,
}

/// What the web needs to talk to a provider: its registration and client secret.
#[derive(Debug, Clone)]
pub struct ProviderClient {
    pub provider: IdentityProvider,
    pub client_secret: String,
}

/// A sign-in just started: the values the authorization request carries.
#[derive(Debug, Clone)]
pub struct LoginStart {
    pub client: ProviderClient,
    pub state: String,
    pub nonce: String,
    /// The PKCE code verifier (its S256 challenge goes to the provider).
    pub verifier: String,
}

/// A sign-in coming back: what the token request and the ID token check need.
#[derive(Debug, Clone)]
pub struct LoginBack {
    pub client: ProviderClient,
    pub nonce: String,
    pub verifier: String,
    pub next: String,
}

/// What refuses a sign-in whose `state` is unknown, used, expired or malformed.
pub const LOGIN_NOT_VALID: &str = "this sign-in is not valid (any more); start again";
/// What refuses an identity no account is linked to.
pub const NOT_LINKED: &str = "no account is linked to this identity; the secretariat must link \
     it to your account first (defcoop user link)";

/// Whether `issuer` is an issuer URL this platform accepts: `https://HOST[/PATH]`, or `http://`
/// on the loopback interface only (a provider on this machine); no query, fragment or
/// credentials.
pub fn check_issuer(issuer: &str) -> std::result::Result<(), String> {
    let shown = crate::render::cut(issuer, 100);
    let bad = |why: &str| Err(format!("--issuer {shown}: {why}"));
    if issuer.len() > 500 {
        return bad("longer than 500 characters");
    }
    if issuer
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '@' | '\\'))
    {
        return bad("an issuer URL has no spaces, query, fragment or credentials");
    }
    let (https, rest) = if let Some(rest) = issuer.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = issuer.strip_prefix("http://") {
        (false, rest)
    } else {
        return bad("an issuer URL starts with https://");
    };
    let authority = rest.split('/').next().unwrap_or("");
    let host = if authority.starts_with('[') {
        authority.split(']').next().map(|h| format!("{h}]"))
    } else {
        authority.split(':').next().map(str::to_string)
    }
    .unwrap_or_default();
    if host.is_empty() {
        return bad("the URL names no host");
    }
    if !https && !matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]") {
        return bad("plain http:// is accepted only for a provider on this machine (localhost)");
    }
    Ok(())
}

fn check_slug(id: &str) -> std::result::Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        // `/signin/oidc/callback` is where every provider sends browsers back.
        && id != "callback";
    if ok {
        Ok(())
    } else {
        Err(format!(
            "--id {}: an id is lower-case letters, digits and '-' (at most 64)",
            crate::render::cut(id, 64)
        ))
    }
}

/// A single-line text field: not empty, at most `max` bytes, no control characters.
fn check_text(flag: &str, value: &str, max: usize) -> std::result::Result<(), String> {
    if value.trim().is_empty() {
        Err(format!("{flag}: must not be empty"))
    } else if value.len() > max {
        Err(format!("{flag}: longer than {max} bytes"))
    } else if value.chars().any(|c| c.is_control()) {
        Err(format!("{flag}: must not contain control characters"))
    } else {
        Ok(())
    }
}

/// The sign-in `state` has the shape of our secrets (64 hex digits); anything else is refused
/// without a database lookup.
fn state_shape(state: &str) -> bool {
    state.len() == 64 && state.bytes().all(|b| b.is_ascii_hexdigit())
}

impl App {
    /// Registers an organization's identity provider (admins only). Problems are named, each
    /// with its flag; nothing is written then.
    pub async fn add_identity_provider(
        &self,
        actor: &Actor,
        new: NewProvider,
    ) -> Result<IdentityProvider> {
        actor.require(Permission::ManageUsers)?;
        let name = new.name.clone().unwrap_or_else(|| new.organization.clone());
        let problems: Vec<String> = [
            check_slug(&new.id),
            check_text("--organization", &new.organization, 200),
            check_issuer(&new.issuer),
            check_text("--client-id", &new.client_id, 500),
            check_text("the client secret", &new.client_secret, 2000),
            check_text("--name", &name, 200),
        ]
        .into_iter()
        .filter_map(|r| r.err())
        .collect();
        if !problems.is_empty() {
            return Err(AppError::BadRequest(problems.join("; ")));
        }
        let provider = IdentityProvider {
            id: new.id,
            organization: new.organization,
            issuer: new.issuer,
            client_id: new.client_id,
            name,
            created_at: self.now(),
        };
        self.store()
            .add_identity_provider(actor.name(), &provider, &new.client_secret)
            .await?;
        Ok(provider)
    }

    /// Every registered provider with issuer and client id, never secrets (admins only).
    pub async fn identity_providers(&self, actor: &Actor) -> Result<Vec<IdentityProvider>> {
        actor.require(Permission::ManageUsers)?;
        Ok(self.store().identity_providers().await?)
    }

    /// The providers the sign-in page offers (public).
    pub async fn sign_in_providers(&self) -> Result<Vec<SignInProvider>> {
        Ok(self
            .store()
            .identity_providers()
            .await?
            .into_iter()
            .map(|p| SignInProvider {
                id: p.id,
                name: p.name,
                organization: p.organization,
            })
            .collect())
    }

    /// Removes a provider (admins only): nobody signs in through it any more.
    pub async fn remove_identity_provider(&self, actor: &Actor, id: &str) -> Result<()> {
        actor.require(Permission::ManageUsers)?;
        Ok(self
            .store()
            .remove_identity_provider(actor.name(), id)
            .await?)
    }

    /// Links an identity (issuer, subject) to a user (admins only). The issuer must be a
    /// registered provider's; an identity belongs to one user.
    pub async fn link_identity(
        &self,
        actor: &Actor,
        user: &str,
        issuer: &str,
        subject: &str,
    ) -> Result<()> {
        actor.require(Permission::ManageUsers)?;
        if subject.is_empty()
            || subject.len() > MAX_SUBJECT
            || !subject.chars().all(|c| c.is_ascii_graphic())
        {
            return Err(AppError::BadRequest(format!(
                "--subject: a subject is 1 to {MAX_SUBJECT} visible ASCII characters"
            )));
        }
        if self
            .store()
            .identity_provider_of_issuer(issuer)
            .await?
            .is_none()
        {
            return Err(AppError::BadRequest(format!(
                "--issuer {}: no identity provider is registered with this issuer (see idp list)",
                crate::render::cut(issuer, 100)
            )));
        }
        Ok(self
            .store()
            .link_identity(actor.name(), user, issuer, subject)
            .await?)
    }

    async fn provider_client(&self, id: &str) -> Result<Option<ProviderClient>> {
        let Some(provider) = self.store().identity_provider(id).await? else {
            return Ok(None);
        };
        let Some(client_secret) = self.store().identity_provider_secret(id).await? else {
            return Ok(None);
        };
        Ok(Some(ProviderClient {
            provider,
            client_secret,
        }))
    }

    /// The provider `id` with its secret, to talk to it; unknown is "not found".
    pub async fn identity_provider_client(&self, id: &str) -> Result<ProviderClient> {
        self.provider_client(id).await?.ok_or_else(|| {
            AppError::NotFound(format!(
                "identity provider \"{}\"",
                crate::render::cut(id, 64)
            ))
        })
    }

    /// Starts a sign-in through provider `id`: new random `state`, nonce and PKCE verifier,
    /// stored (the state hashed) for [`LOGIN_TTL`] seconds, to come back to `next`.
    pub async fn start_oidc_login(&self, id: &str, next: &str) -> Result<LoginStart> {
        let client = self.identity_provider_client(id).await?;
        let start = LoginStart {
            client,
            state: random_token()?,
            nonce: random_token()?,
            verifier: random_token()?,
        };
        let now = self.now();
        let login = PendingLogin {
            state_hash: digest(start.state.as_bytes()),
            provider: start.client.provider.id.clone(),
            nonce: start.nonce.clone(),
            verifier: start.verifier.clone(),
            next: next.to_string(),
            expires_at: now + LOGIN_TTL,
        };
        self.store().add_pending_login(&login, now).await?;
        Ok(start)
    }

    /// Takes the sign-in a callback's `state` names (once: a second callback with the same
    /// `state` is refused, as is an unknown or expired one).
    pub async fn take_oidc_login(&self, state: &str) -> Result<LoginBack> {
        let refused = || AppError::Unauthenticated(LOGIN_NOT_VALID.into());
        if !state_shape(state) {
            return Err(refused());
        }
        let login = self
            .store()
            .take_pending_login(&digest(state.as_bytes()), self.now())
            .await?
            .ok_or_else(refused)?;
        let client = self
            .provider_client(&login.provider)
            .await?
            .ok_or_else(refused)?;
        Ok(LoginBack {
            client,
            nonce: login.nonce,
            verifier: login.verifier,
            next: login.next,
        })
    }

    /// Ends a sign-in whose ID token the web verified (signature, `iss`, `aud`, `azp`, times,
    /// nonce) came from `provider`: the identity (issuer, subject) must be linked to an
    /// enabled user, and the issuer must be the one registered for the provider. Starts a
    /// session (ending `replaces`), audited as `session.start` with how = `oidc ISSUER`.
    pub async fn oidc_sign_in(
        &self,
        provider: &IdentityProvider,
        issuer: &str,
        subject: &str,
        replaces: Option<&str>,
    ) -> Result<NewSession> {
        let registered = self.store().identity_provider(&provider.id).await?;
        if registered.as_ref().map(|p| p.issuer.as_str()) != Some(issuer)
            || provider.issuer != issuer
        {
            return Err(AppError::Unauthenticated(
                "the ID token comes from another issuer than this provider's".into(),
            ));
        }
        let Some(name) = self.store().user_of_identity(issuer, subject).await? else {
            return Err(AppError::Forbidden(NOT_LINKED.into()));
        };
        let user = self.store().user(&name).await?;
        if user.is_none_or(|u| u.user.disabled) {
            return Err(AppError::Forbidden(
                "the account linked to this identity may not sign in".into(),
            ));
        }
        self.start_session(
            &name,
            replaces.map(crate::accounts::session_hash).as_deref(),
            &format!("oidc {issuer}"),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_are_https_or_loopback() {
        for good in [
            "https://login.mnd.example/",
            "https://idp.example:8443/realms/mnd",
            "http://127.0.0.1:4001",
            "http://localhost:9000/oidc",
            "http://[::1]:80/",
        ] {
            assert_eq!(check_issuer(good), Ok(()), "{good}");
        }
        for bad in [
            "http://idp.example/",
            "ftp://idp.example/",
            "https://",
            "https://idp.example/?x=1",
            "https://idp.example/#f",
            "https://user@idp.example/",
            "https://idp.example /",
            "idp.example",
            "http://127.0.0.1.evil.example/",
        ] {
            assert!(check_issuer(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_are_slugs_and_states_our_secrets() {
        assert!(check_slug("mnd-kr").is_ok());
        for bad in ["", "MND", "-x", "a_b", "callback", &"a".repeat(65)] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
        assert!(state_shape(&random_token().unwrap()));
        assert!(!state_shape("abc"));
        assert!(!state_shape(&"g".repeat(64)));
    }
}
