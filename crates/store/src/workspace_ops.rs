// The workspace's SQL, shared by both backends like `ops.rs` (and `include!`d after it, so it
// uses its `Db`, `Conn` and helpers). A workspace record is one row: its dataset JSON without
// the metadata (`doc`) and the metadata columns.

/// A workspace record: read from its document, its metadata set apart.
trait Stored: serde::Serialize + serde::de::DeserializeOwned + Clone {
    fn id(&self) -> &str;
    fn meta(&mut self) -> (&mut Option<Label>, &mut Vec<Source>, &mut bool);
}

macro_rules! document {
    ($($ty:ty),*) => {$(
        impl Stored for $ty {
            fn id(&self) -> &str {
                &self.id
            }
            fn meta(&mut self) -> (&mut Option<Label>, &mut Vec<Source>, &mut bool) {
                (&mut self.label, &mut self.sources, &mut self.illustrative)
            }
        }
    )*};
}

document!(
    Body,
    Meeting,
    Minutes,
    Proposal,
    Decision,
    ActionItem,
    Engagement,
    Document,
    CapabilityArea,
    Need,
    Offer,
    Instrument
);

/// The record's JSON without its metadata (which has its own columns).
fn doc_json<T: Stored>(record: &T) -> String {
    let mut bare = record.clone();
    let (label, sources, illustrative) = bare.meta();
    *label = None;
    sources.clear();
    *illustrative = false;
    // A record of strings, numbers and lists always serializes.
    serde_json::to_string(&bare).unwrap_or_default()
}

async fn load_documents<T: Stored>(
    conn: &mut Conn,
    table: &Table,
    labels: &HashMap<i64, Label>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    for row in sqlx::query(&table.select()).fetch_all(&mut *conn).await? {
        let id: String = row.try_get(0)?;
        let doc: String = row.try_get(1)?;
        let mut record: T = serde_json::from_str(&doc)
            .map_err(|e| corrupt(table.name, format!("{id}: {e}")))?;
        if record.id() != id {
            return Err(corrupt(table.name, format!("{id}: the document is of \"{}\"", record.id())));
        }
        let (label, sources, illustrative) = meta(table, &row, labels)?;
        let (l, s, i) = record.meta();
        *l = label;
        *s = sources;
        *i = illustrative;
        out.push(record);
    }
    Ok(out)
}

/// The workspace's records.
async fn load_workspace(
    conn: &mut Conn,
    labels: &HashMap<i64, Label>,
    d: &mut Dataset,
) -> Result<(), StoreError> {
    d.bodies = load_documents(conn, &BODIES, labels).await?;
    d.meetings = load_documents(conn, &MEETINGS, labels).await?;
    d.minutes = load_documents(conn, &MINUTES, labels).await?;
    d.proposals = load_documents(conn, &PROPOSALS, labels).await?;
    d.decisions = load_documents(conn, &DECISIONS, labels).await?;
    d.action_items = load_documents(conn, &ACTION_ITEMS, labels).await?;
    d.engagements = load_documents(conn, &ENGAGEMENTS, labels).await?;
    d.documents = load_documents(conn, &DOCUMENTS, labels).await?;
    d.capability_areas = load_documents(conn, &CAPABILITY_AREAS, labels).await?;
    d.needs = load_documents(conn, &NEEDS, labels).await?;
    d.offers = load_documents(conn, &OFFERS, labels).await?;
    d.instruments = load_documents(conn, &INSTRUMENTS, labels).await?;
    Ok(())
}

async fn write_documents<T: Stored>(
    conn: &mut Conn,
    table: &Table,
    rows: &[T],
    ids: &HashMap<String, i64>,
    progress: &crate::Progress<'_>,
) -> Result<(), StoreError> {
    upsert(conn, table, rows, progress, |b, r| {
        let mut r = r.clone();
        b.push_bind(r.id().to_string());
        b.push_bind(doc_json(&r));
        let (label, sources, illustrative) = r.meta();
        b.push_bind(label_id(ids, label.as_ref()));
        b.push_bind(sources_json(sources));
        b.push_bind(*illustrative);
    })
    .await
}

/// Writes the workspace's records of an import plan.
async fn write_workspace(
    conn: &mut Conn,
    changes: &Dataset,
    ids: &HashMap<String, i64>,
    progress: &crate::Progress<'_>,
) -> Result<(), StoreError> {
    write_documents(conn, &BODIES, &changes.bodies, ids, progress).await?;
    write_documents(conn, &MEETINGS, &changes.meetings, ids, progress).await?;
    write_documents(conn, &MINUTES, &changes.minutes, ids, progress).await?;
    write_documents(conn, &PROPOSALS, &changes.proposals, ids, progress).await?;
    write_documents(conn, &DECISIONS, &changes.decisions, ids, progress).await?;
    write_documents(conn, &ACTION_ITEMS, &changes.action_items, ids, progress).await?;
    write_documents(conn, &ENGAGEMENTS, &changes.engagements, ids, progress).await?;
    write_documents(conn, &DOCUMENTS, &changes.documents, ids, progress).await?;
    write_documents(conn, &CAPABILITY_AREAS, &changes.capability_areas, ids, progress).await?;
    write_documents(conn, &NEEDS, &changes.needs, ids, progress).await?;
    write_documents(conn, &OFFERS, &changes.offers, ids, progress).await?;
    write_documents(conn, &INSTRUMENTS, &changes.instruments, ids, progress).await?;
    Ok(())
}
