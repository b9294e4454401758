//! Accounts: users, API tokens, password sign-in, sessions, the first administrator and the
//! audit log, as use cases.
//!
//! Secrets are made and checked here and never stored in the clear: API tokens and session ids
//! are 32 random bytes, kept as their SHA-256 (they are long and random, so a fast hash is
//! right); passwords are argon2id, verified off the async runtime. Every refusal to
//! authenticate says the same thing whatever was wrong (unknown user, wrong password, disabled
//! account, expired or revoked token), so answers reveal nothing about which accounts exist.

use std::sync::{Arc, OnceLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use defcoop_domain::account::{self, KnownLabels, Permission, Role, TokenScope, User};
use defcoop_store::audit::digest;
use defcoop_store::{
    AuditEntry, AuditFilter, Parts, SessionInfo, StoredUser, TokenInfo, UserChange, Verdict,
};
use serde::Serialize;

use crate::{compute, Actor, App, AppError, Result};

/// What every failed authentication says.
pub const BAD_CREDENTIALS: &str = "the credentials are not valid";

/// How long sessions and tokens live, and how sign-in is throttled (seconds).
#[derive(Debug, Clone, Copy)]
pub struct AuthPolicy {
    /// A session unused this long ends.
    pub session_idle: i64,
    /// A session ends this long after sign-in, used or not.
    pub session_absolute: i64,
    /// Tokens created without `--expires` expire after this many days.
    pub token_days: i64,
    /// Calendar feeds created without `--expires` expire after this many days (calendar
    /// programs subscribe for long).
    pub feed_days: i64,
    /// The window over which failed sign-ins count.
    pub failure_window: i64,
    /// Failed sign-ins for one account within the window before it is refused.
    pub failures_per_account: i64,
    /// Failed sign-ins from one address within the window before it is refused.
    pub failures_per_address: i64,
    /// How long a setup link is valid.
    pub setup_link: i64,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        AuthPolicy {
            session_idle: 30 * 60,
            session_absolute: 12 * 3600,
            token_days: 90,
            feed_days: 365,
            failure_window: 15 * 60,
            failures_per_account: 5,
            failures_per_address: 20,
            setup_link: 24 * 3600,
        }
    }
}

/// The longest token lifetime `--expires` accepts, in days.
pub const MAX_TOKEN_DAYS: i64 = 3650;
/// Passwords are at least this long (characters) and at most [`MAX_PASSWORD`] bytes.
pub const MIN_PASSWORD: usize = 12;
pub const MAX_PASSWORD: usize = 1024;
/// Seconds between two notes of a session's use (a request does not write every time).
const TOUCH_EVERY: i64 = 60;

/// A user to create, as given on the command line or in a form.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub name: String,
    pub nationality: String,
    pub organization: String,
    pub roles: Vec<String>,
    /// `POLICY:LEVEL` each.
    pub clearance: Vec<String>,
    /// `NAME:VALUE` each.
    pub categories: Vec<String>,
    pub password: Option<String>,
    /// The registry person the user is (a person's id the actor sees).
    pub person: Option<String>,
}

/// Changes to a user; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct UserEdit {
    pub nationality: Option<String>,
    pub organization: Option<String>,
    pub roles: Option<Vec<String>>,
    /// Replaces the levels (`POLICY:LEVEL` each) when given.
    pub clearance: Option<Vec<String>>,
    /// Replaces the category values (`NAME:VALUE` each) when given.
    pub categories: Option<Vec<String>>,
    pub password: Option<String>,
    pub remove_password: bool,
    pub disabled: Option<bool>,
    /// `Some(Some(id))` links the user to a registry person, `Some(None)` unlinks it.
    pub person: Option<Option<String>>,
}

/// A user with its identities and tokens, for `user show`.
#[derive(Debug, Clone, Serialize)]
pub struct UserAnswer {
    #[serde(flatten)]
    pub user: StoredUser,
    pub identities: Vec<Identity>,
    pub tokens: Vec<TokenInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
}

/// A token just created: its secret is shown once and never again.
#[derive(Debug, Clone, Serialize)]
pub struct NewToken {
    #[serde(flatten)]
    pub info: TokenInfo,
    pub token: String,
}

/// A session just started: the cookie's value and the form token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub secret: String,
    pub csrf: String,
    pub user: String,
    pub expires_at: i64,
}

/// The actor behind a session, and the token its forms must carry.
#[derive(Debug, Clone)]
pub struct SessionActor {
    pub actor: Actor,
    pub csrf: String,
}

/// A demo persona and the password it was given at this start.
#[derive(Debug, Clone, Serialize)]
pub struct Persona {
    pub name: String,
    pub description: &'static str,
    pub password: String,
}

/// Unix time in seconds.
pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `n` random bytes as lower-case hex.
fn random_hex(n: usize) -> Result<String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(format!("no randomness available: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A new random secret (64 hex digits): form tokens and the like.
pub fn random_token() -> Result<String> {
    random_hex(32)
}

/// The prefix of API tokens (so they are recognisable in logs and secret scanners).
pub const TOKEN_PREFIX: &str = "dct_";
/// The prefix of calendar feeds' secrets (the last segment of a feed's URL).
pub const FEED_PREFIX: &str = "dcf_";

/// Whether `s` has the shape of a token or session secret (64 hex digits after `prefix`):
/// anything else is refused without a database lookup.
fn secret_shape(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix)
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| AppError::Internal(format!("no randomness available: {e}")))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches the stored hash; a hash that cannot be read matches nothing.
fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash of a random password, verified against when there is no real hash to check, so a
/// sign-in for an unknown user takes as long as one with a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let pw = random_hex(16).unwrap_or_else(|_| "decoy-password-0000".into());
        hash_password(&pw).unwrap_or_default()
    })
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::BadRequest(format!(
            "a password has at least {MIN_PASSWORD} characters"
        )));
    }
    if password.len() > MAX_PASSWORD {
        return Err(AppError::BadRequest(format!(
            "a password has at most {MAX_PASSWORD} bytes"
        )));
    }
    Ok(())
}

fn invalid(problems: Vec<String>) -> AppError {
    AppError::BadRequest(problems.join("; "))
}

fn no_user(name: &str) -> AppError {
    AppError::NotFound(format!("user \"{}\"", crate::render::cut(name, 64)))
}

impl App {
    pub(crate) fn now(&self) -> i64 {
        (self.clock)()
    }

    /// What clearances may name: the registry's policies and the categories in use.
    async fn known_labels(&self) -> Result<KnownLabels> {
        let view = self.view(&Actor::operator(), Parts::All).await?;
        Ok(KnownLabels::of(view.data()))
    }

    /// Builds and checks a user from its fields; its person, unless it is `linked` already,
    /// must be one `actor` sees.
    async fn build_user(&self, actor: &Actor, new: &NewUser, linked: Option<&str>) -> Result<User> {
        let mut problems = Vec::new();
        let roles = account::parse_roles(&new.roles).unwrap_or_else(|e| {
            problems.push(format!("--role: {e}"));
            Vec::new()
        });
        let known = self.known_labels().await?;
        let clearance = known
            .clearance(&new.clearance, &new.categories)
            .unwrap_or_else(|e| {
                problems.extend(e);
                Default::default()
            });
        let user = User {
            name: new.name.clone(),
            nationality: new.nationality.clone(),
            organization: new.organization.clone(),
            roles,
            clearance,
            disabled: false,
            person: new.person.clone(),
        };
        if let Err(e) = account::check_user(&user) {
            // "a user needs at least one role" is already said by --role.
            problems.extend(e.into_iter().filter(|p| !p.contains("at least one role")));
        } else if let Some(person) = user.person.as_ref().filter(|p| Some(p.as_str()) != linked) {
            // Hidden and absent alike: a person the actor may not see is not found.
            let view = self.view(actor, Parts::Entities).await?;
            if crate::readmodel::find(&view.data().people, person.as_str()).is_none() {
                problems.push(format!(
                    "--person: person \"{}\" not found",
                    crate::render::cut(person, 64)
                ));
            }
        }
        if let Some(pw) = &new.password {
            if let Err(e) = check_password(pw) {
                problems.push(e.to_string());
            }
        }
        if problems.is_empty() {
            Ok(user)
        } else {
            Err(invalid(problems))
        }
    }

    /// Adds a user (admins only). Unknown roles, policies, levels and categories are refused,
    /// each named; nothing is written then.
    pub async fn add_user(&self, actor: &Actor, new: NewUser) -> Result<StoredUser> {
        actor.require(Permission::ManageUsers)?;
        let user = self.build_user(actor, &new, None).await?;
        let hash = match new.password {
            Some(pw) => Some(compute(move || hash_password(&pw)).await?),
            None => None,
        };
        let change = UserChange {
            by: actor.name(),
            user: &user,
            password: Some(hash.as_deref()),
            detail: match &user.person {
                Some(p) => format!("{}; person {p}", describe(&user)),
                None => describe(&user),
            },
            now: self.now(),
        };
        self.store().add_user(&change).await?;
        self.store()
            .user(&user.name)
            .await?
            .ok_or_else(|| no_user(&user.name))
    }

    /// Every user (admins only).
    pub async fn users(&self, actor: &Actor) -> Result<Vec<StoredUser>> {
        actor.require(Permission::ManageUsers)?;
        Ok(self.store().users().await?)
    }

    /// One user with identities and tokens: admins see everyone, a user sees themselves, and
    /// anyone else is "not found".
    pub async fn user(&self, actor: &Actor, name: &str) -> Result<UserAnswer> {
        if !actor.may(Permission::ManageUsers) && actor.name() != name {
            return Err(no_user(name));
        }
        let user = self
            .store()
            .user(name)
            .await?
            .ok_or_else(|| no_user(name))?;
        let identities = self
            .store()
            .identities(name)
            .await?
            .into_iter()
            .map(|(issuer, subject)| Identity { issuer, subject })
            .collect();
        let tokens = self.store().tokens(Some(name)).await?;
        Ok(UserAnswer {
            user,
            identities,
            tokens,
        })
    }

    /// Changes a user (admins only). Disabling a user or changing its password ends its
    /// sessions.
    pub async fn set_user(&self, actor: &Actor, name: &str, edit: UserEdit) -> Result<StoredUser> {
        actor.require(Permission::ManageUsers)?;
        let old = self
            .store()
            .user(name)
            .await?
            .ok_or_else(|| no_user(name))?;
        let mut new = NewUser {
            name: name.to_string(),
            nationality: edit.nationality.unwrap_or(old.user.nationality.clone()),
            organization: edit.organization.unwrap_or(old.user.organization.clone()),
            roles: edit
                .roles
                .unwrap_or_else(|| old.user.roles.iter().map(|r| r.to_string()).collect()),
            clearance: edit.clearance.unwrap_or_else(|| {
                old.user
                    .clearance
                    .levels
                    .iter()
                    .map(|(p, l)| format!("{p}:{l}"))
                    .collect()
            }),
            categories: edit.categories.unwrap_or_else(|| {
                old.user
                    .clearance
                    .categories
                    .iter()
                    .flat_map(|(n, vs)| vs.iter().map(move |v| format!("{n}:{v}")))
                    .collect()
            }),
            password: edit.password,
            person: edit.person.unwrap_or(old.user.person.clone()),
        };
        if edit.remove_password && new.password.is_some() {
            return Err(AppError::BadRequest(
                "give a new password or remove it, not both".into(),
            ));
        }
        let mut user = self
            .build_user(actor, &new, old.user.person.as_deref())
            .await?;
        user.disabled = edit.disabled.unwrap_or(old.user.disabled);
        let hash = match new.password.take() {
            Some(pw) => Some(Some(compute(move || hash_password(&pw)).await?)),
            None if edit.remove_password => Some(None),
            None => None,
        };
        let mut detail = changed(&old.user, &user);
        if hash.is_some() {
            detail.push(
                if edit.remove_password {
                    "password removed"
                } else {
                    "password"
                }
                .into(),
            );
        }
        if detail.is_empty() {
            return Ok(old);
        }
        let change = UserChange {
            by: actor.name(),
            user: &user,
            password: hash.as_ref().map(|h| h.as_deref()),
            detail: detail.join(", "),
            now: self.now(),
        };
        self.store().update_user(&change).await?;
        self.store().user(name).await?.ok_or_else(|| no_user(name))
    }

    /// Creates an API token for `user`: admins for anyone, a user for themselves. Expires
    /// after `days` (default [`AuthPolicy::token_days`]).
    pub async fn create_token(
        &self,
        actor: &Actor,
        user: &str,
        days: Option<i64>,
    ) -> Result<NewToken> {
        let days = days.unwrap_or(self.auth.token_days);
        self.issue_token(actor, user, days, TokenScope::Api).await
    }

    /// Creates a token of `scope` for `user` (admins for anyone, a user for themselves),
    /// expiring after `days`, stored as its hash and audited `token.create`.
    pub(crate) async fn issue_token(
        &self,
        actor: &Actor,
        user: &str,
        days: i64,
        scope: TokenScope,
    ) -> Result<NewToken> {
        if !actor.may(Permission::ManageUsers) && actor.name() != user {
            return Err(no_user(user));
        }
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            return Err(AppError::BadRequest(format!(
                "--expires: a token lives between 1 and {MAX_TOKEN_DAYS} days"
            )));
        }
        match self.store().user(user).await? {
            Some(u) if !u.user.disabled => {}
            Some(_) => {
                return Err(AppError::BadRequest(format!(
                    "user \"{user}\" is disabled; enable it first"
                )))
            }
            None => return Err(no_user(user)),
        }
        let (prefix, id, what) = match scope {
            TokenScope::Api => (TOKEN_PREFIX, "tok", "token"),
            TokenScope::Calendar => (FEED_PREFIX, "cal", "calendar feed"),
        };
        let secret = format!("{prefix}{}", random_hex(32)?);
        let now = self.now();
        let info = TokenInfo {
            id: format!("{id}-{}", random_hex(6)?),
            user: user.to_string(),
            created_at: now,
            expires_at: Some(now + days * 86_400),
            revoked_at: None,
            last_used_at: None,
            scope,
        };
        let detail = format!(
            "{what} {} expires {}",
            info.id,
            crate::render::datetime(now + days * 86_400)
        );
        self.store()
            .add_token(actor.name(), &info, &digest(secret.as_bytes()), &detail)
            .await?;
        Ok(NewToken {
            info,
            token: secret,
        })
    }

    /// API tokens: admins see anyone's (`user` or all), a user only their own.
    pub async fn tokens(&self, actor: &Actor, user: Option<&str>) -> Result<Vec<TokenInfo>> {
        self.tokens_of(actor, user, TokenScope::Api).await
    }

    /// Tokens of `scope`: admins see anyone's (`user` or all), a user only their own.
    pub(crate) async fn tokens_of(
        &self,
        actor: &Actor,
        user: Option<&str>,
        scope: TokenScope,
    ) -> Result<Vec<TokenInfo>> {
        let user = if actor.may(Permission::ManageUsers) {
            user
        } else {
            match user {
                Some(u) if u != actor.name() => return Err(no_user(u)),
                _ => Some(actor.name()),
            }
        };
        let mut tokens = self.store().tokens(user).await?;
        tokens.retain(|t| t.scope == scope);
        Ok(tokens)
    }

    /// Revokes an API token: admins anyone's, a user their own; others' (and calendar
    /// feeds) are "not found".
    pub async fn revoke_token(&self, actor: &Actor, id: &str) -> Result<TokenInfo> {
        self.revoke_of(actor, id, TokenScope::Api).await
    }

    /// Revokes a token of `scope` at once: admins anyone's, a user their own; others' are
    /// "not found", as are tokens of the other scope.
    pub(crate) async fn revoke_of(
        &self,
        actor: &Actor,
        id: &str,
        scope: TokenScope,
    ) -> Result<TokenInfo> {
        let what = match scope {
            TokenScope::Api => "token",
            TokenScope::Calendar => "calendar feed",
        };
        let not_found = || AppError::NotFound(format!("{what} \"{}\"", crate::render::cut(id, 64)));
        let token = self.store().token(id).await?.ok_or_else(not_found)?;
        if token.scope != scope
            || (!actor.may(Permission::ManageUsers) && token.user != actor.name())
        {
            return Err(not_found());
        }
        self.store()
            .revoke_token(actor.name(), id, self.now())
            .await?;
        self.store().token(id).await?.ok_or_else(not_found)
    }

    /// The actor a user name acts as (the CLI's `--as USER`). A disabled user acts as nobody.
    pub async fn actor_of(&self, name: &str) -> Result<Actor> {
        match self.store().user(name).await? {
            Some(u) if !u.user.disabled => Ok(Actor::user(&u.user)),
            Some(_) => Err(AppError::Unauthenticated(format!(
                "user \"{name}\" is disabled"
            ))),
            None => Err(no_user(name)),
        }
    }

    /// The actor an API token acts as; an unknown, expired or revoked token, one of a
    /// disabled user, or a calendar feed's, is refused with [`BAD_CREDENTIALS`].
    pub async fn authenticate_token(&self, secret: &str) -> Result<Actor> {
        let user = self.token_user(secret, TokenScope::Api).await?;
        Ok(Actor::user(&user))
    }

    /// The user a token of `scope` belongs to (noting its use); a secret of another shape or
    /// scope, an unknown, expired or revoked token, or one of a disabled user, is refused
    /// with [`BAD_CREDENTIALS`], whichever it was.
    pub(crate) async fn token_user(&self, secret: &str, scope: TokenScope) -> Result<User> {
        let refused = || AppError::Unauthenticated(BAD_CREDENTIALS.into());
        let prefix = match scope {
            TokenScope::Api => TOKEN_PREFIX,
            TokenScope::Calendar => FEED_PREFIX,
        };
        if !secret_shape(secret, prefix) {
            return Err(refused());
        }
        let now = self.now();
        let token = self
            .store()
            .token_by_hash(&digest(secret.as_bytes()))
            .await?
            .ok_or_else(refused)?;
        if token.scope != scope
            || token.revoked_at.is_some()
            || token.expires_at.is_some_and(|at| at <= now)
        {
            return Err(refused());
        }
        let user = self
            .store()
            .user(&token.user)
            .await?
            .filter(|u| !u.user.disabled)
            .ok_or_else(refused)?;
        if token.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY) {
            self.store().touch_token(&token.id, now).await?;
        }
        Ok(user.user)
    }

    /// Signs in with a password from `addr`, throttled per account and per address; starts a
    /// new session (ending `replaces`, the browser's previous one).
    pub async fn sign_in(
        &self,
        name: &str,
        password: &str,
        addr: &str,
        replaces: Option<&str>,
    ) -> Result<NewSession> {
        let now = self.now();
        let since = now - self.auth.failure_window;
        let user_key = format!("user:{}", crate::render::cut(name, 64));
        let addr_key = format!("addr:{addr}");
        let store = self.store();
        if store.sign_in_failures(&user_key, since).await? >= self.auth.failures_per_account
            || store.sign_in_failures(&addr_key, since).await? >= self.auth.failures_per_address
        {
            return Err(AppError::Throttled(self.auth.failure_window as u64));
        }
        let user = store.user(name).await?.filter(|u| !u.user.disabled);
        let hash = match &user {
            Some(_) => store.password_hash(name).await?,
            None => None,
        };
        let real = hash.is_some();
        let hash = hash.unwrap_or_else(|| decoy_hash().to_string());
        let pw = password.chars().take(MAX_PASSWORD).collect::<String>();
        let matches = compute(move || Ok(password_matches(&pw, &hash))).await?;
        let Some(user) = user.filter(|_| matches && real) else {
            store.sign_in_failed(&[user_key, addr_key], now).await?;
            return Err(AppError::Unauthenticated(BAD_CREDENTIALS.into()));
        };
        store.clear_sign_in_failures(&user_key, since).await?;
        self.start_session(
            &user.user.name,
            replaces.map(session_hash).as_deref(),
            "password",
        )
        .await
    }

    /// Starts a session for `user` (after a sign-in that proved who they are).
    pub async fn start_session(
        &self,
        user: &str,
        replaces: Option<&str>,
        how: &str,
    ) -> Result<NewSession> {
        let secret = random_hex(32)?;
        let now = self.now();
        let info = SessionInfo {
            user: user.to_string(),
            csrf: random_hex(32)?,
            created_at: now,
            seen_at: now,
            expires_at: now + self.auth.session_absolute,
        };
        self.store()
            .start_session(&session_hash(&secret), &info, replaces, how)
            .await?;
        Ok(NewSession {
            secret,
            csrf: info.csrf,
            user: user.to_string(),
            expires_at: info.expires_at,
        })
    }

    /// The actor behind a session cookie; an unknown, idle or expired session, or one of a
    /// disabled user, is refused (and an expired one removed).
    pub async fn session_actor(&self, secret: &str) -> Result<SessionActor> {
        let refused = || AppError::Unauthenticated("the session has ended; sign in again".into());
        if !secret_shape(secret, "") {
            return Err(refused());
        }
        let hash = session_hash(secret);
        let now = self.now();
        let session = self.store().session(&hash).await?.ok_or_else(refused)?;
        if session.expires_at <= now || now - session.seen_at >= self.auth.session_idle {
            self.store().drop_session(&hash).await?;
            return Err(refused());
        }
        let user = self
            .store()
            .user(&session.user)
            .await?
            .filter(|u| !u.user.disabled)
            .ok_or_else(refused)?;
        if now - session.seen_at >= TOUCH_EVERY {
            self.store().touch_session(&hash, now).await?;
        }
        Ok(SessionActor {
            actor: Actor::user(&user.user),
            csrf: session.csrf,
        })
    }

    /// Ends the session (`everywhere`: all of its user's sessions).
    pub async fn sign_out(&self, secret: &str, everywhere: bool) -> Result<()> {
        if secret_shape(secret, "") {
            self.store()
                .end_session(&session_hash(secret), everywhere)
                .await?;
        }
        Ok(())
    }

    /// With no users yet: a new one-time secret for the link that creates the first
    /// administrator (valid [`AuthPolicy::setup_link`] seconds). `None` once users exist.
    pub async fn setup_link(&self) -> Result<Option<String>> {
        if self.store().user_count().await? > 0 {
            return Ok(None);
        }
        let secret = random_hex(32)?;
        self.store()
            .add_setup_link(
                &digest(secret.as_bytes()),
                self.now() + self.auth.setup_link,
            )
            .await?;
        Ok(Some(secret))
    }

    /// Whether a setup link's secret is valid now.
    pub async fn setup_link_valid(&self, secret: &str) -> Result<bool> {
        if !secret_shape(secret, "") {
            return Ok(false);
        }
        Ok(self
            .store()
            .setup_link_valid(&digest(secret.as_bytes()), self.now())
            .await?)
    }

    /// Creates the first administrator through a setup link (consumed), and signs them in.
    pub async fn setup_first_admin(&self, secret: &str, mut new: NewUser) -> Result<NewSession> {
        let refused =
            || AppError::Unauthenticated("this setup link is not valid (any more)".into());
        if !secret_shape(secret, "") {
            return Err(refused());
        }
        new.roles = vec![Role::Admin.to_string()];
        let Some(password) = new.password.clone() else {
            return Err(AppError::BadRequest(
                "the administrator needs a password".into(),
            ));
        };
        let user = self.build_user(&Actor::operator(), &new, None).await?;
        let hash = compute(move || hash_password(&password)).await?;
        let change = UserChange {
            by: &user.name,
            user: &user,
            password: Some(Some(&hash)),
            detail: format!("first administrator: {}", describe(&user)),
            now: self.now(),
        };
        if !self
            .store()
            .add_first_admin(&digest(secret.as_bytes()), &change)
            .await?
        {
            return Err(refused());
        }
        self.start_session(&user.name, None, "setup link").await
    }

    /// The audit log, newest first (admins only).
    pub async fn audit(&self, actor: &Actor, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        actor.require(Permission::ManageUsers)?;
        Ok(self.store().audit(filter).await?)
    }

    /// Checks the whole audit chain.
    pub async fn verify_audit(&self) -> Result<Verdict> {
        Ok(self.store().verify_audit().await?)
    }

    /// The demo personas: created when missing, each given a fresh random password at every
    /// call (so there is never a default password), returned to be printed.
    pub async fn demo_personas(&self) -> Result<Vec<Persona>> {
        let operator = Actor::operator();
        let mut out = Vec::new();
        for p in PERSONAS {
            let password = random_hex(8)?;
            let exists = self.store().user(p.name).await?.is_some();
            if exists {
                let edit = UserEdit {
                    password: Some(password.clone()),
                    disabled: Some(false),
                    ..Default::default()
                };
                self.set_user(&operator, p.name, edit).await?;
            } else {
                let new = NewUser {
                    name: p.name.into(),
                    nationality: p.nationality.into(),
                    organization: p.organization.into(),
                    roles: p.roles.iter().map(|r| r.to_string()).collect(),
                    clearance: p.clearance.iter().map(|s| s.to_string()).collect(),
                    categories: p.categories.iter().map(|s| s.to_string()).collect(),
                    password: Some(password.clone()),
                    person: None,
                };
                self.add_user(&operator, new).await?;
            }
            out.push(Persona {
                name: p.name.into(),
                description: p.description,
                password,
            });
        }
        Ok(out)
    }
}

/// The hash a session is stored under.
pub(crate) fn session_hash(secret: &str) -> String {
    digest(secret.as_bytes())
}

/// A user's roles and clearance, for the audit log.
fn describe(u: &User) -> String {
    let roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
    let levels: Vec<String> = u
        .clearance
        .levels
        .iter()
        .map(|(p, l)| format!("{p}:{l}"))
        .collect();
    let cats: Vec<String> = u
        .clearance
        .categories
        .iter()
        .flat_map(|(n, vs)| vs.iter().map(move |v| format!("{n}:{v}")))
        .collect();
    format!(
        "roles {}; clearance {}; categories {}",
        roles.join(" "),
        none(levels.join(" ")),
        none(cats.join(" "))
    )
}

fn none(s: String) -> String {
    if s.is_empty() {
        "none".into()
    } else {
        s
    }
}

/// The fields that differ, for the audit log.
fn changed(old: &User, new: &User) -> Vec<String> {
    let mut out = Vec::new();
    if old.nationality != new.nationality {
        out.push(format!("nationality {}", new.nationality));
    }
    if old.organization != new.organization {
        out.push(format!("organization {}", new.organization));
    }
    if old.roles != new.roles || old.clearance != new.clearance {
        out.push(describe(new));
    }
    if old.disabled != new.disabled {
        out.push(if new.disabled { "disabled" } else { "enabled" }.into());
    }
    if old.person != new.person {
        out.push(match &new.person {
            Some(p) => format!("person {p}"),
            None => "person removed".into(),
        });
    }
    out
}

struct PersonaSpec {
    name: &'static str,
    description: &'static str,
    nationality: &'static str,
    organization: &'static str,
    roles: &'static [Role],
    clearance: &'static [&'static str],
    categories: &'static [&'static str],
}

/// Who the demo signs in as: different nations, organizations, roles and clearances, so the
/// same registry shows each of them something different.
const PERSONAS: &[PersonaSpec] = &[
    PersonaSpec {
        name: "dapa-officer",
        description: "DAPA standardisation officer (KOR; RESTRICTED, releasable to KOR)",
        nationality: "KOR",
        organization: "dapa",
        roles: &[Role::Member],
        clearance: &["DEFCOOP:RESTRICTED"],
        categories: &["RELEASABLE-TO:KOR"],
    },
    PersonaSpec {
        name: "nato-staff",
        description: "NATO staff officer (POL; RESTRICTED, releasable to POL)",
        nationality: "POL",
        organization: "nato",
        roles: &[Role::Member],
        clearance: &["DEFCOOP:RESTRICTED"],
        categories: &["RELEASABLE-TO:POL"],
    },
    PersonaSpec {
        name: "eu-official",
        description: "European Commission official (BEL; UNCLASSIFIED)",
        nationality: "BEL",
        organization: "european-commission",
        roles: &[Role::Viewer],
        clearance: &["DEFCOOP:UNCLASSIFIED"],
        categories: &[],
    },
    PersonaSpec {
        name: "hanwha-user",
        description: "Hanwha Aerospace engineer (KOR; UNCLASSIFIED, company HANWHA)",
        nationality: "KOR",
        organization: "hanwha-aerospace",
        roles: &[Role::Industry],
        clearance: &["DEFCOOP:UNCLASSIFIED"],
        categories: &["COMPANY:HANWHA"],
    },
    PersonaSpec {
        name: "secretariat",
        description: "Secretariat of the body (BEL; RESTRICTED, releasable to KOR and POL)",
        nationality: "BEL",
        organization: "defcoop-secretariat",
        roles: &[Role::Secretariat],
        clearance: &["DEFCOOP:RESTRICTED"],
        categories: &["RELEASABLE-TO:KOR", "RELEASABLE-TO:POL"],
    },
    PersonaSpec {
        name: "admin",
        description: "Platform administrator (KOR; CONFIDENTIAL, every demo category)",
        nationality: "KOR",
        organization: "defcoop-secretariat",
        roles: &[Role::Admin],
        clearance: &["DEFCOOP:CONFIDENTIAL"],
        categories: &["RELEASABLE-TO:KOR", "RELEASABLE-TO:POL", "COMPANY:HANWHA"],
    },
];

/// The clock an [`App`] reads (seconds since the epoch); tests replace it.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_have_one_shape() {
        let t = format!("{TOKEN_PREFIX}{}", random_hex(32).unwrap());
        assert!(secret_shape(&t, TOKEN_PREFIX));
        assert!(!secret_shape(&t[..t.len() - 1], TOKEN_PREFIX));
        assert!(!secret_shape(&t.replace('a', "g"), TOKEN_PREFIX) || !t.contains('a'));
        assert!(!secret_shape("dct_", TOKEN_PREFIX));
        assert!(secret_shape(&random_hex(32).unwrap(), ""));
    }

    #[test]
    fn passwords_hash_with_a_salt_and_verify() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert!(password_matches("correct horse battery", &a));
        assert!(!password_matches("correct horse batterz", &a));
        assert!(!password_matches("anything", "not a hash"));
    }
}
