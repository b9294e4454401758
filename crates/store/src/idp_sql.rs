// Identity providers and sign-ins under way: the SQL both backends share. `include!`d into
// `sqlite.rs` and `postgres.rs` after `accounts_sql.rs`.

use crate::idp::{IdentityProvider, PendingLogin};

const IDP_COLUMNS: &str = "id, organization, issuer, client_id, name, created_at";

fn idp_row(row: &<Db as sqlx::Database>::Row) -> Result<IdentityProvider, StoreError> {
    Ok(IdentityProvider {
        id: row.try_get(0)?,
        organization: row.try_get(1)?,
        issuer: row.try_get(2)?,
        client_id: row.try_get(3)?,
        name: row.try_get(4)?,
        created_at: row.try_get(5)?,
    })
}

pub(crate) async fn list_idps(conn: &mut Conn) -> Result<Vec<IdentityProvider>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {IDP_COLUMNS} FROM identity_providers"))
        .fetch_all(&mut *conn)
        .await?;
    let mut out: Vec<IdentityProvider> = rows.iter().map(idp_row).collect::<Result<_, _>>()?;
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

pub(crate) async fn get_idp(conn: &mut Conn, id: &str) -> Result<Option<IdentityProvider>, StoreError> {
    let row = sqlx::query(&format!("SELECT {IDP_COLUMNS} FROM identity_providers WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(idp_row).transpose()
}

pub(crate) async fn idp_by_issuer(
    conn: &mut Conn,
    issuer: &str,
) -> Result<Option<IdentityProvider>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {IDP_COLUMNS} FROM identity_providers WHERE issuer = $1"
    ))
    .bind(issuer)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(idp_row).transpose()
}

pub(crate) async fn idp_secret(conn: &mut Conn, id: &str) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT client_secret FROM identity_providers WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

pub(crate) async fn insert_idp(
    conn: &mut Conn,
    p: &IdentityProvider,
    secret: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO identity_providers (id, organization, issuer, client_id, client_secret, \
         name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&p.id)
    .bind(&p.organization)
    .bind(&p.issuer)
    .bind(&p.client_id)
    .bind(secret)
    .bind(&p.name)
    .bind(p.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_idp(conn: &mut Conn, id: &str) -> Result<u64, StoreError> {
    sqlx::query("DELETE FROM oidc_logins WHERE provider = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM identity_providers WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

pub(crate) async fn insert_login(conn: &mut Conn, l: &PendingLogin) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO oidc_logins (state_hash, provider, nonce, verifier, next, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&l.state_hash)
    .bind(&l.provider)
    .bind(&l.nonce)
    .bind(&l.verifier)
    .bind(&l.next)
    .bind(l.expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_expired_logins(conn: &mut Conn, now: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM oidc_logins WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// Removes the login and returns it: of two callbacks with one `state`, one gets it.
pub(crate) async fn take_login(
    conn: &mut Conn,
    state_hash: &str,
) -> Result<Option<PendingLogin>, StoreError> {
    let row = sqlx::query(
        "DELETE FROM oidc_logins WHERE state_hash = $1 \
         RETURNING state_hash, provider, nonce, verifier, next, expires_at",
    )
    .bind(state_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(PendingLogin {
        state_hash: row.try_get(0)?,
        provider: row.try_get(1)?,
        nonce: row.try_get(2)?,
        verifier: row.try_get(3)?,
        next: row.try_get(4)?,
        expires_at: row.try_get(5)?,
    }))
}
