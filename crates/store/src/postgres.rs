//! The PostgreSQL backend: same schema, same behaviour as SQLite.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Transaction};

use crate::migrate::POSTGRES;

type Db = sqlx::Postgres;
type Conn = sqlx::PgConnection;

/// Each system's conformances as "standard TAB status TAB label_id" lines (`Parts::Engine`).
const CONFORMANCES_BY_SYSTEM: &str = "SELECT system, string_agg(standard || chr(9) || status \
     || chr(9) || coalesce(label_id::text, ''), chr(10)) FROM conformances GROUP BY system";

include!("ops.rs");
include!("workspace_ops.rs");
include!("accounts_sql.rs");
include!("merge_ops.rs");
include!("idp_sql.rs");

/// Advisory lock keys (arbitrary constants, the same in every instance).
const MIGRATE_LOCK: i64 = 0x6465_6663_6f6f_7001; // "defcoop" + 1
const WRITE_LOCK: i64 = 0x6465_6663_6f6f_7002;

/// Connects to PostgreSQL at `url` and migrates the database.
pub(crate) async fn connect(url: &str) -> Result<PgPool, StoreError> {
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(30))
        .connect(url)
        .await
        .map_err(|e| StoreError::Connect(format!("{}: {e}", crate::redact(url))))?;
    migrate(&pool).await?;
    Ok(pool)
}

/// Applies pending migrations under a transaction-scoped advisory lock, so that instances
/// starting at once apply each migration exactly once.
async fn migrate(pool: &PgPool) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATE_LOCK)
        .execute(&mut *tx)
        .await?;
    apply_pending(&mut tx, POSTGRES).await?;
    tx.commit().await?;
    Ok(())
}

/// A write transaction; writers are serialized by an advisory lock so that an import's
/// validation sees the data it writes over (as SQLite's `BEGIN IMMEDIATE` does).
pub(crate) async fn begin_write(pool: &PgPool) -> Result<Transaction<'static, Db>, StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITE_LOCK)
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// A read transaction over one consistent snapshot.
pub(crate) async fn begin_read(pool: &PgPool) -> Result<Transaction<'static, Db>, StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}
