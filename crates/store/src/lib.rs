//! defcoop storage: the registry in SQLite (the embedded default) or PostgreSQL, with one
//! behaviour. The only crate that knows SQL.
//!
//! Invariants:
//! - Every read takes a [`Reader`] and returns only what that reader may see
//!   ([`defcoop_domain::visible`]); hidden records are indistinguishable from absent ones.
//! - Every write is one transaction: an import is validated against the data it writes over
//!   (writers are serialized) and either lands whole or not at all.
//! - The SQL is written once (`ops.rs`) and compiled for each backend; the schema has one
//!   migration list per dialect, applied at startup under a lock.

pub mod accounts;
pub mod audit;
pub mod idp;
mod migrate;
mod postgres;
mod sqlite;
mod tables;

use defcoop_domain::import::{plan_import, Counts, Incoming, Problem};
use defcoop_domain::model::{Dataset, Kind};
use defcoop_domain::{visible, Reader};

pub use accounts::{AuditFilter, SessionInfo, StoredUser, TokenInfo, UserChange};
pub use audit::{AuditEntry, Verdict};
pub use idp::{IdentityProvider, PendingLogin};
pub use migrate::Migration;

/// Who writes: the name the audit log records, and the reader whose view the write is
/// checked against (a writer may only write labels it satisfies and records it can see).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub name: String,
    pub reader: Reader,
}

impl Writer {
    pub fn new(name: impl Into<String>, reader: Reader) -> Writer {
        Writer {
            name: name.into(),
            reader,
        }
    }

    /// The operator at the command line (full rights), as the audit log names it.
    pub fn operator() -> Writer {
        Writer::new("operator", Reader::Full)
    }
}

/// What went wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("invalid database location: {0}")]
    Url(String),
    #[error("cannot open database {0}")]
    Connect(String),
    #[error("database {0} does not exist (import data into it first, or check --db)")]
    Missing(String),
    #[error("database error: {0}")]
    Sql(sqlx::Error),
    /// The database is busy (SQLite's lock is held, no pooled connection came free in time, a
    /// lock wait or serialization failure in PostgreSQL): retrying later may succeed.
    #[error("the database is busy: {0}")]
    Busy(String),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// The record to create exists already (a user name taken, an identity linked).
    #[error("{0}")]
    Conflict(String),
    /// The account record to change does not exist.
    #[error("{0} not found")]
    Absent(String),
    #[error("the database's schema (version {found}) is newer than this build supports (version {supported}); use a newer defcoop")]
    SchemaTooNew { found: i64, supported: i64 },
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if is_busy(&e) {
            StoreError::Busy(e.to_string())
        } else {
            StoreError::Sql(e)
        }
    }
}

/// Whether an error only says "try again later": SQLite's `SQLITE_BUSY` and `SQLITE_LOCKED`
/// (primary codes 5 and 6, whatever their extended code), PostgreSQL's lock-not-available,
/// serialization failure and deadlock, and pool time-outs.
fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(d) => {
            let sqlite = d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some();
            d.code().is_some_and(|code| busy_code(sqlite, &code))
        }
        _ => false,
    }
}

/// Whether a database error code means busy: SQLite's (extended) result code, or PostgreSQL's
/// SQLSTATE.
fn busy_code(sqlite: bool, code: &str) -> bool {
    if sqlite {
        code.parse::<i64>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
    } else {
        matches!(code, "55P03" | "40001" | "40P01")
    }
}

/// Why an import did not happen. Either way, nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} problem(s) in the input; nothing was imported", .0.len())]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The record to change does not exist or the writer may not see it (the two are not told
    /// apart).
    #[error("{0} not found")]
    NotFound(String),
}

/// What an import did, per kind.
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    pub counts: Vec<(Kind, Counts)>,
    /// Records inserted or updated.
    pub written: usize,
}

/// Receives progress of long writes (the CLI draws a bar from it).
pub trait ProgressSink: Send + Sync {
    fn start(&self, total: u64);
    fn advance(&self, n: u64);
}

/// An optional progress sink.
#[derive(Clone, Copy)]
pub struct Progress<'a>(Option<&'a dyn ProgressSink>);

impl<'a> Progress<'a> {
    pub const NONE: Progress<'static> = Progress(None);

    pub fn to(sink: &'a dyn ProgressSink) -> Self {
        Progress(Some(sink))
    }

    fn start(&self, total: u64) {
        if let Some(s) = self.0 {
            s.start(total);
        }
    }

    fn advance(&self, n: u64) {
        if let Some(s) = self.0 {
            s.advance(n);
        }
    }
}

/// Which backend a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Which parts of the registry a read needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    /// Everything.
    All,
    /// Everything but conformances, gateways and transfers (the large tables); the
    /// workspace included.
    Entities,
    /// The entities and the transfers (not conformances and gateways).
    Transfers,
    /// What the interoperability engine reads: the entities, gateways, and conformances
    /// without their evidence, sources and illustrative flag (those read as empty); no
    /// transfers. For one-shot engine answers; never export or show such records.
    Engine,
}

impl Parts {
    /// The smallest read that holds every record of `kind`.
    pub fn holding(kind: Kind) -> Parts {
        match kind {
            Kind::Conformance | Kind::Gateway => Parts::All,
            Kind::Transfer => Parts::Transfers,
            _ => Parts::Entities,
        }
    }
}

/// A handle on the registry database. Cheap to clone (pools are shared).
#[derive(Clone)]
pub enum Store {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// Where a database lives: `postgres://...`, `sqlite://PATH`, `sqlite:PATH` or a file path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(String),
    Postgres(String),
}

impl Location {
    pub fn parse(s: &str) -> Result<Location, StoreError> {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(Location::Postgres(s.to_string()));
        }
        let path = s
            .strip_prefix("sqlite://")
            .or_else(|| s.strip_prefix("sqlite:"))
            .unwrap_or(s);
        if path.is_empty() {
            return Err(StoreError::Url(format!("\"{s}\" names no file")));
        }
        if let Some((scheme, _)) = path.split_once("://") {
            return Err(StoreError::Url(format!(
                "\"{scheme}://\" is not supported (use a file path, sqlite://PATH or postgres://...)"
            )));
        }
        Ok(Location::Sqlite(path.to_string()))
    }
}

/// An import's plan by `writer`. A writer who may not see everything is validated against its
/// own view (messages and counts say nothing of hidden records), may not write over a record it
/// cannot see, and keeps the nested entries that name hidden records
/// ([`defcoop_domain::writer_view`]).
fn plan_for(
    incoming: &Incoming,
    existing: &Dataset,
    writer: &Reader,
) -> Result<Planned, ImportError> {
    let plan = if *writer == Reader::Full {
        plan_import(incoming, existing, writer).map_err(ImportError::Invalid)?
    } else {
        use defcoop_domain::writer_view::{hidden_targets, keep_hidden_entries};
        let view = visible(existing.clone(), writer);
        let hidden = hidden_targets(&incoming.data, existing, &view);
        if !hidden.is_empty() {
            return Err(ImportError::Invalid(hidden));
        }
        let mut plan = plan_import(incoming, &view, writer).map_err(ImportError::Invalid)?;
        keep_hidden_entries(&mut plan.changes, existing, &view);
        plan
    };
    let before = if plan.changes.is_empty() {
        String::new()
    } else {
        dataset_digest(&existing.versions_of(&plan.changes))
    };
    Ok(Planned { plan, before })
}

/// A plan and the digest of the stored versions of the records it changes (for the audit).
struct Planned {
    plan: defcoop_domain::ImportPlan,
    before: String,
}

/// The SHA-256 of a dataset's canonical JSON; empty for an empty dataset.
pub(crate) fn dataset_digest(d: &Dataset) -> String {
    if d.is_empty() {
        String::new()
    } else {
        audit::digest(defcoop_domain::json::to_string(d).as_bytes())
    }
}

/// The audit entry of a registry write.
fn registry_entry(
    writer: &Writer,
    action: &str,
    subject: Option<String>,
    p: &Planned,
) -> audit::NewEntry {
    let records: Vec<(String, String)> = p
        .plan
        .changes
        .keys()
        .into_iter()
        .map(|(kind, key)| (kind.noun().to_string(), key))
        .collect();
    let (created, updated) = p
        .plan
        .counts
        .iter()
        .fold((0, 0), |(c, u), (_, n)| (c + n.created, u + n.updated));
    let subject = subject.unwrap_or_else(|| {
        let mut kinds: Vec<String> = Vec::new();
        for (kind, n) in &p.plan.counts {
            let changed = n.created + n.updated;
            if changed > 0 {
                kinds.push(format!("{changed} {}", kind.noun()));
            }
        }
        kinds.join(", ")
    });
    audit::NewEntry {
        actor: writer.name.clone(),
        action: action.to_string(),
        subject,
        detail: format!("{created} created, {updated} updated"),
        digest_before: p.before.clone(),
        digest_after: dataset_digest(&p.plan.changes),
        records,
    }
}

/// Hides the password of a URL for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

macro_rules! on_backend {
    ($store:expr, $backend:ident, $pool:ident => $body:expr) => {
        match $store {
            Store::Sqlite($pool) => {
                use sqlite as $backend;
                $body
            }
            Store::Postgres($pool) => {
                use postgres as $backend;
                $body
            }
        }
    };
}
pub(crate) use on_backend;

// After `on_backend!`, which it uses.
mod delete;
mod merge;
pub use merge::MergeOutcome;

impl Store {
    /// Opens (creating if needed) and migrates the database at `location`.
    pub async fn open(location: &str) -> Result<Store, StoreError> {
        match Location::parse(location)? {
            Location::Sqlite(path) => Ok(Store::Sqlite(sqlite::connect(&path).await?)),
            Location::Postgres(url) => Ok(Store::Postgres(postgres::connect(&url).await?)),
        }
    }

    /// Opens an existing database, for commands that only read: a SQLite file that does not
    /// exist is an error ([`StoreError::Missing`]), not a new empty registry.
    pub async fn open_existing(location: &str) -> Result<Store, StoreError> {
        if let Location::Sqlite(path) = Location::parse(location)? {
            if !std::path::Path::new(&path).exists() {
                return Err(StoreError::Missing(path));
            }
        }
        Store::open(location).await
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Checks the database answers (readiness).
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_backend!(self, b, pool => {
            let _ = b::begin_read(pool).await?;
            Ok(())
        })
    }

    /// Whether the registry holds no records.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_read(pool).await?;
            b::is_empty(&mut tx).await
        })
    }

    /// What `reader` may see of the registry, in canonical order, from one consistent snapshot.
    pub async fn snapshot(&self, reader: &Reader, parts: Parts) -> Result<Dataset, StoreError> {
        Ok(self.snapshot_at(reader, parts).await?.1)
    }

    /// Like [`Store::snapshot`], with the generation the snapshot was read at (read in the same
    /// transaction, so the data is exactly that generation's).
    pub async fn snapshot_at(
        &self,
        reader: &Reader,
        parts: Parts,
    ) -> Result<(i64, Dataset), StoreError> {
        let (generation, all) = on_backend!(self, b, pool => {
            let mut tx = b::begin_read(pool).await?;
            let generation = b::generation(&mut tx).await?;
            (generation, b::load_all(&mut tx, parts).await?)
        });
        Ok((generation, visible(all, reader)))
    }

    /// The registry's generation: a number that every write transaction increases, in the same
    /// transaction, whichever process writes. A cache read at generation N is current while
    /// this returns N.
    pub async fn generation(&self) -> Result<i64, StoreError> {
        on_backend!(self, b, pool => {
            let mut tx = b::begin_read(pool).await?;
            b::generation(&mut tx).await
        })
    }

    /// Imports a dataset: validates it against the stored registry, then writes what changed,
    /// all in one transaction. Re-importing the same data writes nothing.
    pub async fn import(
        &self,
        incoming: &Incoming,
        writer: &Writer,
        progress: Progress<'_>,
    ) -> Result<ImportOutcome, ImportError> {
        let reader = &writer.reader;
        on_backend!(self, b, pool => {
            let started = std::time::Instant::now();
            // Plan against a read snapshot first: data that is already stored (a re-import)
            // never waits for, or holds, the write lock.
            let (read_at, existing) = {
                let mut tx = b::begin_read(pool).await?;
                let generation = b::generation(&mut tx).await?;
                (generation, b::load_all(&mut tx, Parts::All).await?)
            };
            let planned = plan_for(incoming, &existing, reader)?;
            drop(existing);
            if planned.plan.changes.is_empty() {
                progress.start(0);
                return Ok(ImportOutcome { counts: planned.plan.counts, written: 0 });
            }
            // Something changes: take the write lock. If nobody wrote since the read (every
            // write moves the generation), the plan was made against exactly what is stored
            // and stands; otherwise plan again against what is stored now.
            let mut tx = b::begin_write(pool).await?;
            let planned = if b::generation(&mut tx).await? == read_at {
                planned
            } else {
                let existing = b::load_all(&mut tx, Parts::All).await?;
                plan_for(incoming, &existing, reader)?
            };
            let planning = started.elapsed();
            let written = planned.plan.changes.len();
            progress.start(written as u64);
            if written > 0 {
                b::write_changes(&mut tx, &planned.plan.changes, &progress).await?;
                b::append_audit(&mut tx, &registry_entry(writer, "import", None, &planned)).await?;
                tx.commit().await.map_err(StoreError::from)?;
            }
            tracing::debug!(
                ?planning,
                total = ?started.elapsed(),
                written,
                "import"
            );
            Ok(ImportOutcome { counts: planned.plan.counts, written })
        })
    }

    /// Sets (or, with `None`, removes) one record's label, in one write transaction: the record
    /// must be visible to `writer`, who must satisfy the new label; everything else about the
    /// record, including nested entries `writer` may not see, is kept as stored.
    pub async fn set_label(
        &self,
        kind: Kind,
        key: &str,
        label: Option<defcoop_domain::Label>,
        writer: &Writer,
    ) -> Result<ImportOutcome, ImportError> {
        let action = if label.is_some() {
            "label.set"
        } else {
            "label.clear"
        };
        let subject = format!("{} {key}", kind.noun());
        let writer_reader = &writer.reader;
        // As `import`: plan on a read snapshot; only a change takes the write lock, and is
        // planned again under it, against the whole registry. The snapshot holds only the
        // records of `kind` and what they reference (visibility is closed under references),
        // so a write that changes nothing, the common case, reads little.
        let plan_on = |existing: &Dataset| {
            let not_found = || ImportError::NotFound(format!("{} \"{key}\"", kind.noun()));
            if visible(existing.clone(), writer_reader)
                .label_of(kind, key)
                .is_none()
            {
                return Err(not_found());
            }
            let one = existing
                .with_label(kind, key, label.clone())
                .ok_or_else(not_found)?;
            let plan = plan_import(&Incoming::from_dataset(one), existing, writer_reader)
                .map_err(ImportError::Invalid)?;
            let before = dataset_digest(&existing.versions_of(&plan.changes));
            Ok(Planned { plan, before })
        };
        on_backend!(self, b, pool => {
            let existing = {
                let mut tx = b::begin_read(pool).await?;
                b::load_all(&mut tx, Parts::holding(kind)).await?
            };
            match plan_on(&existing) {
                Ok(planned) if planned.plan.changes.is_empty() => {
                    return Ok(ImportOutcome { counts: planned.plan.counts, written: 0 });
                }
                Err(e @ ImportError::NotFound(_)) | Err(e @ ImportError::Store(_)) => return Err(e),
                // A change, or problems: decided on the whole registry, under the lock.
                Ok(_) | Err(ImportError::Invalid(_)) => {}
            }
            drop(existing);
            let mut tx = b::begin_write(pool).await?;
            let existing = b::load_all(&mut tx, Parts::All).await?;
            let planned = plan_on(&existing)?;
            let written = planned.plan.changes.len();
            if written > 0 {
                b::write_changes(&mut tx, &planned.plan.changes, &Progress::NONE).await?;
                let entry = registry_entry(writer, action, Some(subject.clone()), &planned);
                b::append_audit(&mut tx, &entry).await?;
                tx.commit().await.map_err(StoreError::from)?;
            }
            Ok(ImportOutcome { counts: planned.plan.counts, written })
        })
    }

    /// A write computed from what is stored: `change` sees what `writer` may see of the
    /// registry and returns the records to import, which are then validated and written exactly
    /// like an import by `writer`, in one transaction. Nothing is written when `change` fails or
    /// the records change nothing. As with `import`, `change` first runs on a read snapshot; only
    /// if its records change something does the write take the write lock, and it runs `change`
    /// again on what is stored then if another write came in between (the generation moved).
    /// So `change` may run twice and must have no effect but its result (state it sets is the
    /// last run's).
    pub async fn write_with<F>(
        &self,
        writer: &Writer,
        action: &str,
        mut change: F,
    ) -> Result<ImportOutcome, ImportError>
    where
        F: FnMut(&Dataset) -> Result<Incoming, ImportError> + Send,
    {
        let reader = &writer.reader;
        let mut plan_on = |existing: &Dataset| {
            let view = (*reader != Reader::Full).then(|| visible(existing.clone(), reader));
            let incoming = change(view.as_ref().unwrap_or(existing))?;
            plan_for(&incoming, existing, reader)
        };
        on_backend!(self, b, pool => {
            let (read_at, existing) = {
                let mut tx = b::begin_read(pool).await?;
                let generation = b::generation(&mut tx).await?;
                (generation, b::load_all(&mut tx, Parts::All).await?)
            };
            let planned = plan_on(&existing)?;
            drop(existing);
            if planned.plan.changes.is_empty() {
                return Ok(ImportOutcome { counts: planned.plan.counts, written: 0 });
            }
            // As in `import`: nobody wrote since the read, so the plan stands; else run again.
            let mut tx = b::begin_write(pool).await?;
            let planned = if b::generation(&mut tx).await? == read_at {
                planned
            } else {
                let existing = b::load_all(&mut tx, Parts::All).await?;
                plan_on(&existing)?
            };
            let written = planned.plan.changes.len();
            if written > 0 {
                b::write_changes(&mut tx, &planned.plan.changes, &Progress::NONE).await?;
                b::append_audit(&mut tx, &registry_entry(writer, action, None, &planned)).await?;
                tx.commit().await.map_err(StoreError::from)?;
            }
            Ok(ImportOutcome { counts: planned.plan.counts, written })
        })
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        match self {
            Store::Sqlite(pool) => pool.close().await,
            Store::Postgres(pool) => pool.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(
            Location::parse("x.db").unwrap(),
            Location::Sqlite("x.db".into())
        );
        assert_eq!(
            Location::parse("sqlite://a/b.db").unwrap(),
            Location::Sqlite("a/b.db".into())
        );
        assert_eq!(
            Location::parse("sqlite:b.db").unwrap(),
            Location::Sqlite("b.db".into())
        );
        assert!(matches!(
            Location::parse("postgres://u@h/db").unwrap(),
            Location::Postgres(_)
        ));
        assert!(Location::parse("mysql://h/db").is_err());
        assert!(Location::parse("sqlite://").is_err());
    }

    #[test]
    fn busy_and_locked_errors_and_pool_timeouts_are_busy() {
        // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE.
        for code in ["5", "6", "517", "262"] {
            assert!(busy_code(true, code), "{code}");
        }
        // SQLITE_CONSTRAINT, SQLITE_CORRUPT, SQLITE_CONSTRAINT_UNIQUE (2067).
        for code in ["19", "11", "2067"] {
            assert!(!busy_code(true, code), "{code}");
        }
        // lock_not_available, serialization_failure, deadlock_detected.
        for code in ["55P03", "40001", "40P01"] {
            assert!(busy_code(false, code), "{code}");
        }
        // unique_violation, and SQLite's busy code is not a SQLSTATE.
        for code in ["23505", "5", "261"] {
            assert!(!busy_code(false, code), "{code}");
        }
        assert!(matches!(
            StoreError::from(sqlx::Error::PoolTimedOut),
            StoreError::Busy(_)
        ));
        assert!(matches!(
            StoreError::from(sqlx::Error::RowNotFound),
            StoreError::Sql(_)
        ));
    }

    #[tokio::test]
    async fn sqlites_lock_held_elsewhere_is_busy() {
        use sqlx::{ConnectOptions, Executor};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.db");
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .busy_timeout(std::time::Duration::ZERO);
        let mut a = options.connect().await.unwrap();
        let mut b = options.connect().await.unwrap();
        a.execute("BEGIN IMMEDIATE").await.unwrap();
        let e = b.execute("BEGIN IMMEDIATE").await.unwrap_err();
        assert!(matches!(StoreError::from(e), StoreError::Busy(_)));
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("x.db"), "x.db");
    }
}
