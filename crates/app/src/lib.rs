//! defcoop's application layer: the one place where use cases live. The CLI and the web call
//! it; neither talks to the store or the engine for a use case of its own.
//!
//! Every use case takes who acts (an [`Actor`]) and answers only from what that actor may see.
//! Reads go through a [`View`]: in a server, an immutable, shared, per-reader view of a cached
//! registry ([`ReadModel`]) that is rebuilt in the background when the database's generation
//! moves; in a one-shot command, a view loaded for that one answer. Writes go through the
//! store's validated, all-or-nothing import in one transaction, then refresh the cache.
//!
//! No HTTP and no SQL here; files and terminals belong to the CLI.

pub mod accounts;
pub mod clock;
pub mod demo;
pub mod external;
mod interop;
pub mod matchmaking;
pub mod oidc;
mod readmodel;
mod records;
pub mod registry;
pub mod render;
pub mod search;
mod systems;
mod transfers;
pub mod workspace;

use std::sync::Arc;

use defcoop_domain::account::{self, Permission, Role, User};
use defcoop_domain::import::{Incoming, Problem};
use defcoop_domain::model::Dataset;
use defcoop_domain::Reader;
use defcoop_store::{ImportError, ImportOutcome, Parts, Progress, Store, StoreError, Writer};

pub use accounts::{AuthPolicy, Clock, NewUser, UserEdit};
pub use interop::parse_action;
pub use interop::{MatrixOutcome, MatrixQuery, PlanOutcome, PlanQuery, Timings, WhatIf};
pub use oidc::{LoginBack, LoginStart, NewProvider, ProviderClient, SignInProvider};
pub use readmodel::{ReadModel, View};
pub use records::{parse_label, ProfileAnswer, RecordKind};
pub use registry::{ListPage, ListQuery};
pub use search::{SearchAnswer, SearchGroup, SearchHit, SearchOptions, Suggestions};
pub use transfers::{
    FlowsAnswer, TransferFilter, TransferPage, TransferQuery, MAX_LIMIT, MAX_OFFSET,
};

/// Who acts: whose view a use case answers from, whose roles decide what they may do, and the
/// name the audit log records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    name: String,
    reader: Reader,
    roles: Vec<Role>,
    /// The registry person this actor is (a user's link), who comments on minutes and takes
    /// part in meetings as themself.
    person: Option<String>,
}

impl Actor {
    /// The operator at the command line (without `--as`): reads and writes everything. Whoever
    /// can run the CLI on the database's host holds the database itself.
    pub fn operator() -> Actor {
        Actor {
            name: "operator".into(),
            reader: Reader::Full,
            roles: Role::ALL.to_vec(),
            person: None,
        }
    }

    /// Someone reading with `reader`'s clearance and no role (tests, embedders).
    pub fn reading_as(name: impl Into<String>, reader: Reader) -> Actor {
        Actor {
            name: name.into(),
            reader,
            roles: Vec::new(),
            person: None,
        }
    }

    /// A signed-in user: their clearance, roles and registry person as the platform holds
    /// them.
    pub fn user(user: &User) -> Actor {
        let secretariat = user.roles.contains(&Role::Secretariat);
        Actor {
            name: user.name.clone(),
            reader: Reader::Cleared(user.clearance.clone().for_secretariat(secretariat)),
            roles: user.roles.clone(),
            person: user.person.clone(),
        }
    }

    /// The same actor as the registry person `person` (a user's link; tests, embedders).
    pub fn with_person(mut self, person: Option<String>) -> Actor {
        self.person = person;
        self
    }

    /// The registry person this actor is, if linked.
    pub fn person(&self) -> Option<&str> {
        self.person.as_deref()
    }

    /// The same actor with these roles (tests, embedders).
    pub fn with_roles(mut self, roles: &[Role]) -> Actor {
        self.roles = roles.to_vec();
        if let Reader::Cleared(c) = &mut self.reader {
            c.secretariat = roles.contains(&Role::Secretariat);
        }
        self
    }

    /// Nobody in particular: no clearance and no role, so only unlabelled records.
    pub fn anonymous() -> Actor {
        Actor::reading_as("anonymous", Reader::Cleared(Default::default()))
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Whether this actor's roles grant `permission`.
    pub fn may(&self, permission: Permission) -> bool {
        account::grants(&self.roles, permission)
    }

    /// `Forbidden` unless this actor's roles grant `permission`.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.may(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "{} may not {} (it needs one of the roles {})",
                self.name,
                permission.describe(),
                permission
                    .roles()
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }

    /// Who this actor writes as, for the store (the audit log's name, the view checked).
    pub fn writer(&self) -> Writer {
        Writer::new(self.name.clone(), self.reader.clone())
    }
}

/// Why a use case gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The record does not exist or the actor may not see it (the two are never told apart).
    #[error("{0} not found")]
    NotFound(String),
    /// The actor's roles do not allow the action. Only ever about actions, never about
    /// records: a record the actor may not see is `NotFound`.
    #[error("{0}")]
    Forbidden(String),
    /// Sign-in failed or the credentials are not (or no longer) valid. The message never
    /// says which part was wrong.
    #[error("{0}")]
    Unauthenticated(String),
    /// Too many failed sign-ins: try again after this many seconds.
    #[error("too many failed sign-ins; try again in {} minute(s)", .0.div_ceil(60).max(1))]
    Throttled(u64),
    /// The record to create exists already.
    #[error("{0}")]
    Conflict(String),
    /// The request itself is wrong (a bad filter, an empty year range, ...).
    #[error("{0}")]
    BadRequest(String),
    /// The input has problems; nothing was written.
    #[error("{} problem(s) in the input; nothing was written", .0.len())]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Engine(#[from] defcoop_engine::EngineError),
    #[error(transparent)]
    Store(StoreError),
    /// A computation thread failed (a bug): reported, never a crash of the caller.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => AppError::Conflict(what),
            StoreError::Absent(what) => AppError::NotFound(what),
            e => AppError::Store(e),
        }
    }
}

impl From<ImportError> for AppError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Invalid(p) => AppError::Invalid(p),
            ImportError::NotFound(what) => AppError::NotFound(what),
            ImportError::Store(e) => e.into(),
        }
    }
}

impl AppError {
    /// Whether the engine's error means "no such record" (a 404 in the API).
    pub fn is_not_found(&self) -> bool {
        use defcoop_engine::EngineError as E;
        matches!(
            self,
            AppError::NotFound(_)
                | AppError::Engine(
                    E::UnknownSystem(_)
                        | E::UnknownStandard(_)
                        | E::UnknownGateway(_)
                        | E::UnknownDomain(_)
                )
        )
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// How reads are answered.
#[derive(Clone)]
enum Reads {
    /// Each use case loads what it needs (one-shot commands).
    Direct,
    /// From the cached registry (servers).
    Cached(Arc<ReadModel>),
}

/// The application: the store and, in a server, the cached read model.
#[derive(Clone)]
pub struct App {
    store: Store,
    reads: Reads,
    clock: Clock,
    auth: AuthPolicy,
}

impl App {
    /// For one-shot commands: every read loads its view from the database.
    pub fn direct(store: Store) -> App {
        App {
            store,
            reads: Reads::Direct,
            clock: Arc::new(accounts::system_now),
            auth: AuthPolicy::default(),
        }
    }

    /// For servers: loads the registry once and answers every read from it; call
    /// [`ReadModel::watch`] to follow writes made by other processes.
    pub async fn cached(store: Store) -> Result<App> {
        let model = Arc::new(ReadModel::load(store.clone()).await?);
        Ok(App {
            store,
            reads: Reads::Cached(model),
            clock: Arc::new(accounts::system_now),
            auth: AuthPolicy::default(),
        })
    }

    /// The same application reading time from `clock` (seconds since the epoch): tests of
    /// expiry.
    pub fn with_clock(mut self, clock: Clock) -> App {
        self.clock = clock;
        self
    }

    /// The same application with other session, token and throttling limits.
    pub fn with_auth_policy(mut self, auth: AuthPolicy) -> App {
        self.auth = auth;
        self
    }

    pub fn auth_policy(&self) -> AuthPolicy {
        self.auth
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The read model, when this application caches.
    pub fn read_model(&self) -> Option<&Arc<ReadModel>> {
        match &self.reads {
            Reads::Cached(m) => Some(m),
            Reads::Direct => None,
        }
    }

    /// What `actor` may see, holding at least `parts`.
    pub async fn view(&self, actor: &Actor, parts: Parts) -> Result<Arc<View>> {
        match &self.reads {
            Reads::Cached(model) => Ok(model.current().view(actor.reader())),
            Reads::Direct => {
                let (generation, data) = self.store.snapshot_at(actor.reader(), parts).await?;
                Ok(Arc::new(View::new(generation, Arc::new(data))))
            }
        }
    }

    /// After a write: brings the cache up to date before the writer reads again.
    async fn written(&self, out: &ImportOutcome) -> Result<()> {
        if let (Reads::Cached(model), true) = (&self.reads, out.written > 0) {
            model.refresh().await?;
        }
        Ok(())
    }

    /// Imports records: validated against the stored registry and written in one transaction,
    /// all or nothing; re-importing the same records writes nothing.
    pub async fn import(
        &self,
        actor: &Actor,
        incoming: &Incoming,
        progress: Progress<'_>,
    ) -> Result<ImportOutcome> {
        for p in Permission::to_import(&incoming.data) {
            actor.require(p)?;
        }
        let out = self
            .store
            .import(incoming, &actor.writer(), progress)
            .await?;
        self.written(&out).await?;
        Ok(out)
    }

    /// Everything `actor` may see, in canonical order (what `export` writes).
    pub async fn export(&self, actor: &Actor) -> Result<Arc<Dataset>> {
        Ok(self.view(actor, Parts::All).await?.data_arc())
    }

    /// Whether the registry holds no records at all.
    pub async fn is_empty(&self) -> Result<bool> {
        Ok(self.store.is_empty().await?)
    }
}

/// Runs CPU-heavy work off the async runtime, so one big answer never stalls the others.
async fn compute<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("computation failed: {e}")))?
}
