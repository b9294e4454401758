//! Changing a test database behind the store's back.

/// Damages a migrated database behind the store's back: a trigger deletes every label as soon
/// as it is inserted, so a label interned for a write cannot be found when the record is written.
pub async fn lose_every_new_label(location: &str) {
    use sqlx::{ConnectOptions, Connection};
    if location.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(location)
            .await
            .expect("connect to the test database");
        for statement in [
            "CREATE FUNCTION lose_label() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN DELETE FROM labels WHERE id = NEW.id; RETURN NULL; END $$",
            "CREATE TRIGGER lose_labels AFTER INSERT ON labels \
             FOR EACH ROW EXECUTE FUNCTION lose_label()",
        ] {
            sqlx::query(statement)
                .execute(&mut conn)
                .await
                .expect("trigger");
        }
        conn.close().await.expect("close");
    } else {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(location)
            .connect()
            .await
            .expect("open the test database");
        sqlx::query(
            "CREATE TRIGGER lose_labels AFTER INSERT ON labels \
             BEGIN DELETE FROM labels WHERE id = NEW.id; END",
        )
        .execute(&mut conn)
        .await
        .expect("trigger");
        conn.close().await.expect("close");
    }
}

/// Runs one statement on the test database behind the store's back (to tamper with it).
pub async fn raw_sql(location: &str, statement: &str) {
    use sqlx::{ConnectOptions, Connection};
    if location.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(location)
            .await
            .expect("connect to the test database");
        sqlx::query(statement)
            .execute(&mut conn)
            .await
            .expect("statement");
        conn.close().await.expect("close");
    } else {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(location)
            .connect()
            .await
            .expect("open the test database");
        sqlx::query(statement)
            .execute(&mut conn)
            .await
            .expect("statement");
        conn.close().await.expect("close");
    }
}
