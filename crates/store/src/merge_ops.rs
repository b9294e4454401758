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

/// Deletes one record (`key` values in the order of its table's key columns); its nested rows
/// follow by `ON DELETE CASCADE`. Moves the generation. The caller checked that nothing refers
/// to it and holds the write transaction. Whether a row was deleted.
pub(crate) async fn delete_row(
    conn: &mut Conn,
    table: &crate::tables::Table,
    key: &[&str],
) -> Result<bool, StoreError> {
    let wheres: Vec<String> = table
        .key
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect();
    let sql = format!("DELETE FROM {} WHERE {}", table.name, wheres.join(" AND "));
    let mut query = sqlx::query(&sql);
    for k in key {
        query = query.bind(*k);
    }
    let deleted = query.execute(&mut *conn).await?.rows_affected() > 0;
    if deleted {
        bump_generation(conn).await?;
    }
    Ok(deleted)
}
