//! The SQLite backend: the embedded default. WAL, `busy_timeout`, `foreign_keys=ON`.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Executor, SqlitePool, Transaction};

use crate::migrate::SQLITE;

type Db = sqlx::Sqlite;
type Conn = sqlx::SqliteConnection;

/// Each system's conformances as "standard TAB status TAB label_id" lines (`Parts::Engine`).
const CONFORMANCES_BY_SYSTEM: &str = "SELECT system, group_concat(standard || char(9) || status \
     || char(9) || coalesce(label_id, ''), char(10)) FROM conformances GROUP BY system";

include!("ops.rs");
include!("workspace_ops.rs");
include!("accounts_sql.rs");
include!("merge_ops.rs");
include!("idp_sql.rs");

/// Connects to (creating if missing) the SQLite file at `path` and migrates it.
pub(crate) async fn connect(path: &str) -> Result<SqlitePool, StoreError> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))
        .map_err(|e| StoreError::Url(format!("{path}: {e}")))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(30))
        .foreign_keys(true);
    // Switching a new file to WAL takes an exclusive lock and does not wait on the busy
    // handler, so instances starting at once may see SQLITE_BUSY here: retry for a while.
    let mut attempt = 0;
    let pool = loop {
        match SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.clone())
            .await
        {
            Ok(pool) => break pool,
            Err(e) if is_busy(&e) && attempt < 100 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(20 + 5 * attempt)).await;
            }
            Err(e) => return Err(StoreError::Connect(format!("{path}: {e}"))),
        }
    };
    migrate(&pool).await?;
    Ok(pool)
}

fn is_busy(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if matches!(d.code().as_deref(), Some("5") | Some("6")))
}

/// Applies pending migrations under SQLite's write lock (`BEGIN IMMEDIATE`), so that two
/// processes starting at once apply each migration exactly once.
async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    conn.execute("BEGIN IMMEDIATE").await?;
    let result = apply_pending(&mut conn, SQLITE).await;
    match result {
        Ok(()) => {
            conn.execute("COMMIT").await?;
            Ok(())
        }
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// A write transaction holding SQLite's write lock from its first statement.
pub(crate) async fn begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Db>, StoreError> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// A read transaction: one consistent snapshot in WAL mode.
pub(crate) async fn begin_read(pool: &SqlitePool) -> Result<Transaction<'static, Db>, StoreError> {
    Ok(pool.begin().await?)
}
