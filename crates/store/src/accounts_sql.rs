// Accounts, sessions and the audit log: the SQL both backends share. `include!`d into
// `sqlite.rs` and `postgres.rs` after `ops.rs`, so `Db`, `Conn`, `Row` and `corrupt` are in
// scope and every function compiles against one concrete driver.

use crate::accounts::{SessionInfo, StoredUser, TokenInfo};
use crate::audit::{entry_hash, AuditEntry, NewEntry, GENESIS};
use defcoop_domain::account::{Role, TokenScope, User};

/// Unix time in milliseconds.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Appends one entry to the audit chain. Call it inside the write transaction whose write it
/// records, after taking the write lock (`begin_write`), so entries are numbered and chained
/// in the order their writes commit.
pub(crate) async fn append_audit(conn: &mut Conn, e: &NewEntry) -> Result<AuditEntry, StoreError> {
    let last = sqlx::query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    let (seq, prev) = match last {
        Some(row) => (row.try_get::<i64, _>(0)? + 1, row.try_get::<String, _>(1)?),
        None => (1, GENESIS.to_string()),
    };
    let at = now_ms();
    let hash = entry_hash(seq, at, e, &prev);
    sqlx::query(
        "INSERT INTO audit (seq, at, actor, action, subject, detail, digest_before, \
         digest_after, prev, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(seq)
    .bind(at)
    .bind(&e.actor)
    .bind(&e.action)
    .bind(&e.subject)
    .bind(&e.detail)
    .bind(&e.digest_before)
    .bind(&e.digest_after)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    for chunk in e.records.chunks(1000) {
        let mut b = sqlx::QueryBuilder::<Db>::new("INSERT INTO audit_records (seq, kind, key) ");
        b.push_values(chunk, |mut b, (kind, key)| {
            b.push_bind(seq).push_bind(kind.clone()).push_bind(key.clone());
        });
        b.build().execute(&mut *conn).await?;
    }
    Ok(AuditEntry {
        seq,
        at,
        actor: e.actor.clone(),
        action: e.action.clone(),
        subject: e.subject.clone(),
        detail: e.detail.clone(),
        digest_before: e.digest_before.clone(),
        digest_after: e.digest_after.clone(),
        prev,
        hash,
    })
}

const AUDIT_COLUMNS: &str =
    "seq, at, actor, action, subject, detail, digest_before, digest_after, prev, hash";

fn audit_row(row: &<Db as sqlx::Database>::Row) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: row.try_get(0)?,
        at: row.try_get(1)?,
        actor: row.try_get(2)?,
        action: row.try_get(3)?,
        subject: row.try_get(4)?,
        detail: row.try_get(5)?,
        digest_before: row.try_get(6)?,
        digest_after: row.try_get(7)?,
        prev: row.try_get(8)?,
        hash: row.try_get(9)?,
    })
}

/// Up to `limit` entries after `after_seq`, in order.
pub(crate) async fn audit_after(
    conn: &mut Conn,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {AUDIT_COLUMNS} FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2"
    ))
    .bind(after_seq)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(audit_row).collect()
}

/// Entries matching a filter, newest first, before `before_seq`.
pub(crate) async fn audit_search(
    conn: &mut Conn,
    f: &crate::accounts::AuditFilter,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut b = sqlx::QueryBuilder::<Db>::new(format!(
        "SELECT {AUDIT_COLUMNS} FROM audit WHERE seq < "
    ));
    b.push_bind(f.before_seq.unwrap_or(i64::MAX));
    if let Some(actor) = &f.actor {
        b.push(" AND actor = ").push_bind(actor.clone());
    }
    if let Some(from) = f.from_ms {
        b.push(" AND at >= ").push_bind(from);
    }
    if let Some(to) = f.to_ms {
        b.push(" AND at < ").push_bind(to);
    }
    if let Some((kind, key)) = &f.record {
        b.push(" AND seq IN (SELECT seq FROM audit_records WHERE kind = ")
            .push_bind(kind.clone())
            .push(" AND key = ")
            .push_bind(key.clone())
            .push(")");
    }
    b.push(" ORDER BY seq DESC LIMIT ").push_bind(f.limit);
    let rows = b.build().fetch_all(&mut *conn).await?;
    rows.iter().map(audit_row).collect()
}

const USER_COLUMNS: &str = "name, nationality, organization, roles, clearance, \
     password_hash IS NOT NULL, disabled, created_at, updated_at, person";

fn user_row(row: &<Db as sqlx::Database>::Row) -> Result<StoredUser, StoreError> {
    let name: String = row.try_get(0)?;
    let roles: String = row.try_get(3)?;
    let roles: Vec<Role> = serde_json::from_str(&roles)
        .map_err(|e| corrupt("users", format!("{name}: roles: {e}")))?;
    let clearance: String = row.try_get(4)?;
    let clearance = serde_json::from_str(&clearance)
        .map_err(|e| corrupt("users", format!("{name}: clearance: {e}")))?;
    Ok(StoredUser {
        user: User {
            name,
            nationality: row.try_get(1)?,
            organization: row.try_get(2)?,
            roles,
            clearance,
            disabled: row.try_get(6)?,
            person: row.try_get(9)?,
        },
        has_password: row.try_get(5)?,
        created_at: row.try_get(7)?,
        updated_at: row.try_get(8)?,
    })
}

pub(crate) async fn get_user(conn: &mut Conn, name: &str) -> Result<Option<StoredUser>, StoreError> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1"))
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(user_row).transpose()
}

pub(crate) async fn list_users(conn: &mut Conn) -> Result<Vec<StoredUser>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users"))
        .fetch_all(&mut *conn)
        .await?;
    let mut users: Vec<StoredUser> = rows.iter().map(user_row).collect::<Result<_, _>>()?;
    users.sort_by(|a, b| a.user.name.cmp(&b.user.name));
    Ok(users)
}

pub(crate) async fn count_users(conn: &mut Conn) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get(0)?)
}

pub(crate) async fn password_hash(conn: &mut Conn, name: &str) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT password_hash FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(row) => row.try_get(0)?,
        None => None,
    })
}

fn roles_json(roles: &[Role]) -> String {
    serde_json::to_string(roles).unwrap_or_else(|_| "[]".into())
}

fn clearance_json(c: &defcoop_domain::Clearance) -> String {
    serde_json::to_string(c).unwrap_or_else(|_| "{}".into())
}

pub(crate) async fn insert_user(
    conn: &mut Conn,
    u: &User,
    password_hash: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO users (name, nationality, organization, roles, clearance, password_hash, \
         disabled, created_at, updated_at, person) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)",
    )
    .bind(&u.name)
    .bind(&u.nationality)
    .bind(&u.organization)
    .bind(roles_json(&u.roles))
    .bind(clearance_json(&u.clearance))
    .bind(password_hash)
    .bind(u.disabled)
    .bind(now)
    .bind(&u.person)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Rewrites a user's fields; `password` `Some(None)` removes the password, `None` keeps it.
pub(crate) async fn update_user(
    conn: &mut Conn,
    u: &User,
    password: Option<Option<&str>>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE users SET nationality = $2, organization = $3, roles = $4, clearance = $5, \
         disabled = $6, updated_at = $7, person = $8 WHERE name = $1",
    )
    .bind(&u.name)
    .bind(&u.nationality)
    .bind(&u.organization)
    .bind(roles_json(&u.roles))
    .bind(clearance_json(&u.clearance))
    .bind(u.disabled)
    .bind(now)
    .bind(&u.person)
    .execute(&mut *conn)
    .await?;
    if let Some(hash) = password {
        sqlx::query("UPDATE users SET password_hash = $2 WHERE name = $1")
            .bind(&u.name)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub(crate) async fn identities_of(
    conn: &mut Conn,
    name: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    let rows = sqlx::query("SELECT issuer, subject FROM user_identities WHERE user_name = $1")
        .bind(name)
        .fetch_all(&mut *conn)
        .await?;
    let mut ids: Vec<(String, String)> = rows
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, sqlx::Error>>()?;
    ids.sort();
    Ok(ids)
}

pub(crate) async fn user_of_identity(
    conn: &mut Conn,
    issuer: &str,
    subject: &str,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT user_name FROM user_identities WHERE issuer = $1 AND subject = $2")
        .bind(issuer)
        .bind(subject)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

pub(crate) async fn insert_identity(
    conn: &mut Conn,
    name: &str,
    issuer: &str,
    subject: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO user_identities (issuer, subject, user_name) VALUES ($1, $2, $3)")
        .bind(issuer)
        .bind(subject)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

const TOKEN_COLUMNS: &str =
    "id, user_name, created_at, expires_at, revoked_at, last_used_at, scope";

fn token_row(row: &<Db as sqlx::Database>::Row) -> Result<TokenInfo, StoreError> {
    let id: String = row.try_get(0)?;
    let scope: String = row.try_get(6)?;
    let scope = TokenScope::parse(&scope)
        .ok_or_else(|| corrupt("api_tokens", format!("{id}: scope \"{scope}\"")))?;
    Ok(TokenInfo {
        id,
        user: row.try_get(1)?,
        created_at: row.try_get(2)?,
        expires_at: row.try_get(3)?,
        revoked_at: row.try_get(4)?,
        last_used_at: row.try_get(5)?,
        scope,
    })
}

pub(crate) async fn insert_token(
    conn: &mut Conn,
    t: &TokenInfo,
    hash: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO api_tokens (id, hash, user_name, created_at, expires_at, scope) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&t.id)
    .bind(hash)
    .bind(&t.user)
    .bind(t.created_at)
    .bind(t.expires_at)
    .bind(t.scope.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn token_by_hash(conn: &mut Conn, hash: &str) -> Result<Option<TokenInfo>, StoreError> {
    let row = sqlx::query(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE hash = $1"))
        .bind(hash)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(token_row).transpose()
}

pub(crate) async fn token_by_id(conn: &mut Conn, id: &str) -> Result<Option<TokenInfo>, StoreError> {
    let row = sqlx::query(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(token_row).transpose()
}

pub(crate) async fn list_tokens(
    conn: &mut Conn,
    user: Option<&str>,
) -> Result<Vec<TokenInfo>, StoreError> {
    let rows = match user {
        Some(u) => sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_name = $1"
        ))
        .bind(u)
        .fetch_all(&mut *conn)
        .await?,
        None => sqlx::query(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens"))
            .fetch_all(&mut *conn)
            .await?,
    };
    let mut tokens: Vec<TokenInfo> = rows.iter().map(token_row).collect::<Result<_, _>>()?;
    tokens.sort_by(|a, b| (&a.user, a.created_at, &a.id).cmp(&(&b.user, b.created_at, &b.id)));
    Ok(tokens)
}

pub(crate) async fn revoke_token(conn: &mut Conn, id: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn touch_token(conn: &mut Conn, id: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn insert_session(
    conn: &mut Conn,
    hash: &str,
    s: &SessionInfo,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (hash, user_name, csrf, created_at, seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash)
    .bind(&s.user)
    .bind(&s.csrf)
    .bind(s.created_at)
    .bind(s.seen_at)
    .bind(s.expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn session_by_hash(
    conn: &mut Conn,
    hash: &str,
) -> Result<Option<SessionInfo>, StoreError> {
    let row = sqlx::query(
        "SELECT user_name, csrf, created_at, seen_at, expires_at FROM sessions WHERE hash = $1",
    )
    .bind(hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(SessionInfo {
        user: row.try_get(0)?,
        csrf: row.try_get(1)?,
        created_at: row.try_get(2)?,
        seen_at: row.try_get(3)?,
        expires_at: row.try_get(4)?,
    }))
}

pub(crate) async fn touch_session(conn: &mut Conn, hash: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET seen_at = $2 WHERE hash = $1")
        .bind(hash)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn delete_session(conn: &mut Conn, hash: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE hash = $1")
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

pub(crate) async fn delete_sessions_of(conn: &mut Conn, user: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_name = $1")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

pub(crate) async fn delete_expired_sessions(conn: &mut Conn, now: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

pub(crate) async fn add_failure(conn: &mut Conn, key: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO sign_in_failures (key, at) VALUES ($1, $2)")
        .bind(key)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn count_failures(conn: &mut Conn, key: &str, since: i64) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) FROM sign_in_failures WHERE key = $1 AND at >= $2")
        .bind(key)
        .bind(since)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get(0)?)
}

/// Forgets failures of `key` (after a good sign-in), and everyone's older than `before`.
pub(crate) async fn clear_failures(conn: &mut Conn, key: &str, before: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1 OR at < $2")
        .bind(key)
        .bind(before)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn insert_setup_link(conn: &mut Conn, hash: &str, expires_at: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO setup_links (hash, expires_at) VALUES ($1, $2)")
        .bind(hash)
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Consumes a setup link: whether it existed and had not expired. Every link is removed once
/// the first administrator exists, so a link works at most once.
pub(crate) async fn take_setup_link(conn: &mut Conn, hash: &str, now: i64) -> Result<bool, StoreError> {
    if !has_setup_link(conn, hash, now).await? {
        return Ok(false);
    }
    sqlx::query("DELETE FROM setup_links")
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

pub(crate) async fn has_setup_link(conn: &mut Conn, hash: &str, now: i64) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT expires_at FROM setup_links WHERE hash = $1")
        .bind(hash)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<i64, _>(0)? > now,
        None => false,
    })
}
