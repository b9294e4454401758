// Deleting the record a merge joined into another (`Store::merge_systems`). `include!`d into
// `sqlite.rs` and `postgres.rs` after `ops.rs`, as that is, so it compiles against each
// backend's `Conn`.

/// Deletes system `id` with its conformances (its operators follow by `ON DELETE CASCADE`).
/// The caller has moved its transfers and holds the write transaction.
pub(crate) async fn delete_system(conn: &mut Conn, id: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM conformances WHERE system = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM systems WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
