//! The PostgreSQL backend: same schema, same behaviour as SQLite.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Transaction};

use crate::migrate::POSTGRES;

type Db = sqlx::Postgres;
type Conn = sqlx::PgConnection;

/// Rows per `INSERT ... SELECT FROM UNNEST(...)`: one bind per column, any number of rows.
const WRITE_CHUNK: usize = 20_000;

include!("ops.rs");

/// Sends one chunk of an upsert as `INSERT ... SELECT * FROM UNNEST($1::text[], ...)`: one
/// array per column, so PostgreSQL parses one short statement instead of thousands of binds.
async fn insert_chunk(
    conn: &mut Conn,
    table: &str,
    columns: &[&str],
    conflict: &str,
    rows: Vec<Vec<Cell>>,
) -> Result<(), StoreError> {
    enum Column {
        Text(Vec<Option<String>>),
        Int(Vec<Option<i64>>),
        Bool(Vec<bool>),
    }
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let mut cols: Vec<Column> = first
        .iter()
        .map(|c| match c {
            Cell::Text(_) => Column::Text(Vec::with_capacity(rows.len())),
            Cell::Int(_) => Column::Int(Vec::with_capacity(rows.len())),
            Cell::Bool(_) => Column::Bool(Vec::with_capacity(rows.len())),
        })
        .collect();
    for row in rows {
        for (col, cell) in cols.iter_mut().zip(row) {
            match (col, cell) {
                (Column::Text(v), Cell::Text(x)) => v.push(x),
                (Column::Int(v), Cell::Int(x)) => v.push(x),
                (Column::Bool(v), Cell::Bool(x)) => v.push(x),
                _ => {
                    return Err(StoreError::Corrupt(format!(
                        "{table}: rows of one write disagree on column types"
                    )))
                }
            }
        }
    }
    let args: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let ty = match c {
                Column::Text(_) => "text",
                Column::Int(_) => "int8",
                Column::Bool(_) => "bool",
            };
            format!("${}::{ty}[]", i + 1)
        })
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({}) SELECT * FROM UNNEST({}){conflict}",
        columns.join(", "),
        args.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for c in cols {
        q = match c {
            Column::Text(v) => q.bind(v),
            Column::Int(v) => q.bind(v),
            Column::Bool(v) => q.bind(v),
        };
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

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
