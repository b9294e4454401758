// The SQL shared by both backends, written once. This file is `include!`d into `sqlite.rs` and
// `postgres.rs`, each of which defines `Db` (the sqlx database) and `Conn` (its connection)
// before including it, so the code below is compiled twice against concrete types. Both
// dialects accept everything here: `$N` placeholders, `ON CONFLICT ... DO UPDATE`, `excluded.`.

use std::collections::HashMap;

use defcoop_domain::label::{Label, Policy, PolicyRules};
use defcoop_domain::model::*;
use sqlx::{QueryBuilder, Row};

use crate::migrate::Migration;
use crate::tables::*;
use crate::StoreError;

/// Rows per multi-row INSERT: keeps the bind count (rows × columns) under both backends' limits.
const CHUNK: usize = 1000;

fn corrupt(table: &str, msg: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{table}: {msg}"))
}

fn sources_json(sources: &[Source]) -> Option<String> {
    if sources.is_empty() {
        None
    } else {
        serde_json::to_string(sources).ok()
    }
}

fn parse_sources(table: &str, text: Option<String>) -> Result<Vec<Source>, StoreError> {
    match text {
        None => Ok(Vec::new()),
        Some(t) => serde_json::from_str(&t).map_err(|e| corrupt(table, e)),
    }
}

/// A JSON array of aliases (NULL when none), as `sources` is stored.
fn parse_aliases(table: &str, text: Option<String>) -> Result<Vec<String>, StoreError> {
    text.map_or(Ok(vec![]), |t| serde_json::from_str(&t).map_err(|e| corrupt(table, e)))
}

fn aliases_json(aliases: &[String]) -> Option<String> {
    (!aliases.is_empty()).then(|| serde_json::to_string(aliases).unwrap_or_default())
}

fn parse_enum<T>(table: &str, text: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(text).ok_or_else(|| corrupt(table, format!("unknown value \"{text}\"")))
}

/// Interned labels, by id.
async fn load_labels(conn: &mut Conn) -> Result<HashMap<i64, Label>, StoreError> {
    let rows = sqlx::query("SELECT id, body FROM labels").fetch_all(&mut *conn).await?;
    let mut labels = HashMap::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let body: String = row.try_get("body")?;
        let label = serde_json::from_str(&body).map_err(|e| corrupt("labels", e))?;
        labels.insert(id, label);
    }
    Ok(labels)
}

/// The shared metadata columns of a row: label, sources, illustrative.
/// `first` is the index of `label_id`; `sources` and `illustrative` follow it.
fn meta(
    table: &Table,
    row: &<Db as sqlx::Database>::Row,
    labels: &HashMap<i64, Label>,
) -> Result<(Option<Label>, Vec<Source>, bool), StoreError> {
    let (first, table) = (table.meta_at(), table.name);
    let label_id: Option<i64> = row.try_get(first)?;
    let label = match label_id {
        None => None,
        Some(id) => Some(
            labels
                .get(&id)
                .cloned()
                .ok_or_else(|| corrupt(table, format!("label {id} missing")))?,
        ),
    };
    let sources = parse_sources(table, row.try_get(first + 1)?)?;
    let illustrative: bool = row.try_get(first + 2)?;
    Ok((label, sources, illustrative))
}

/// Loads the whole registry, unfiltered and in canonical order.
pub(crate) async fn load_all(conn: &mut Conn, parts: crate::Parts) -> Result<Dataset, StoreError> {
    let labels = load_labels(conn).await?;
    let mut d = Dataset::default();

    for row in sqlx::query(&POLICIES.select())
        .fetch_all(&mut *conn)
        .await?
    {
        let classifications: String = row.try_get(1)?;
        let rules: Option<String> = row.try_get(2)?;
        let rules: PolicyRules = match rules {
            None => PolicyRules::default(),
            Some(text) => serde_json::from_str(&text).map_err(|e| corrupt("policies", e))?,
        };
        d.policies.push(Policy {
            id: row.try_get(0)?,
            classifications: serde_json::from_str(&classifications)
                .map_err(|e| corrupt("policies", e))?,
            categories: rules.categories,
            required: rules.required,
        });
    }

    for row in sqlx::query(&NATIONS.select())
        .fetch_all(&mut *conn)
        .await?
    {
        let (label, sources, illustrative) = meta(&NATIONS, &row, &labels)?;
        d.nations.push(Nation {
            code: row.try_get(0)?,
            name: row.try_get(1)?,
            label,
            sources,
            illustrative,
        });
    }

    let mut members: HashMap<String, Vec<Member>> = HashMap::new();
    for row in sqlx::query(&BLOC_MEMBERS.select())
        .fetch_all(&mut *conn)
        .await?
    {
        members
            .entry(row.try_get(0)?)
            .or_default()
            .push(Member {
                nation: row.try_get(1)?,
                since: row.try_get(2)?,
                until: row.try_get(3)?,
            });
    }
    for row in sqlx::query(&BLOCS.select())
        .fetch_all(&mut *conn)
        .await?
    {
        let (label, sources, illustrative) = meta(&BLOCS, &row, &labels)?;
        let code: String = row.try_get(0)?;
        let kind: Option<String> = row.try_get(2)?;
        d.blocs.push(Bloc {
            members: members.remove(&code).unwrap_or_default(),
            code,
            name: row.try_get(1)?,
            kind: kind.map(|k| parse_enum("blocs", &k, BlocKind::parse)).transpose()?,
            label,
            sources,
            illustrative,
        });
    }

    for row in sqlx::query(&ORGANIZATIONS.select())
    .fetch_all(&mut *conn)
    .await?
    {
        let (label, sources, illustrative) = meta(&ORGANIZATIONS, &row, &labels)?;
        let kind: String = row.try_get(2)?;
        d.organizations.push(Organization {
            id: row.try_get(0)?,
            name: row.try_get(1)?,
            kind: parse_enum("organizations", &kind, OrgKind::parse)?,
            nation: row.try_get(3)?,
            ncage: row.try_get(4)?,
            label,
            sources,
            illustrative,
        });
    }

    for row in sqlx::query(&PEOPLE.select())
    .fetch_all(&mut *conn)
    .await?
    {
        let (label, sources, illustrative) = meta(&PEOPLE, &row, &labels)?;
        d.people.push(Person {
            id: row.try_get(0)?,
            name: row.try_get(1)?,
            name_native: row.try_get(2)?,
            organization: row.try_get(3)?,
            title: row.try_get(4)?,
            label,
            sources,
            illustrative,
        });
    }

    for row in sqlx::query(&DOMAINS.select())
        .fetch_all(&mut *conn)
        .await?
    {
        let (label, sources, illustrative) = meta(&DOMAINS, &row, &labels)?;
        d.domains.push(Domain {
            code: row.try_get(0)?,
            name: row.try_get(1)?,
            label,
            sources,
            illustrative,
        });
    }

    let mut covers: HashMap<String, Vec<String>> = HashMap::new();
    for row in sqlx::query(&STANDARD_COVERS.select())
        .fetch_all(&mut *conn)
        .await?
    {
        covers.entry(row.try_get(0)?).or_default().push(row.try_get(1)?);
    }
    for row in sqlx::query(&STANDARDS.select())
    .fetch_all(&mut *conn)
    .await?
    {
        let (label, sources, illustrative) = meta(&STANDARDS, &row, &labels)?;
        let id: String = row.try_get(0)?;
        d.standards.push(Standard {
            covers: covers.remove(&id).unwrap_or_default(),
            id,
            title: row.try_get(1)?,
            body: row.try_get(2)?,
            domain: row.try_get(3)?,
            tag: row.try_get(4)?,
            date: row.try_get(5)?,
            version: row.try_get(6)?,
            aliases: parse_aliases("standards", row.try_get(7)?)?,
            label,
            sources,
            illustrative,
        });
    }

    let mut subprofiles: HashMap<String, Vec<String>> = HashMap::new();
    for row in sqlx::query(&PROFILE_SUBPROFILES.select())
        .fetch_all(&mut *conn)
        .await?
    {
        subprofiles.entry(row.try_get(0)?).or_default().push(row.try_get(1)?);
    }
    let mut obligations: HashMap<String, Vec<Obligation>> = HashMap::new();
    for row in sqlx::query(&PROFILE_OBLIGATIONS.select())
    .fetch_all(&mut *conn)
    .await?
    {
        let obligation: String = row.try_get(2)?;
        let lifecycle: Option<String> = row.try_get(3)?;
        obligations
            .entry(row.try_get(0)?)
            .or_default()
            .push(Obligation {
                standard: row.try_get(1)?,
                obligation: parse_enum("profile_obligations", &obligation, ObligationLevel::parse)?,
                lifecycle: match lifecycle {
                    None => None,
                    Some(l) => Some(parse_enum("profile_obligations", &l, Lifecycle::parse)?),
                },
                description: row.try_get(4)?,
            });
    }
    for row in sqlx::query(&PROFILES.select())
    .fetch_all(&mut *conn)
    .await?
    {
        let (label, sources, illustrative) = meta(&PROFILES, &row, &labels)?;
        let id: String = row.try_get(0)?;
        let kind: String = row.try_get(1)?;
        d.profiles.push(Profile {
            subprofiles: subprofiles.remove(&id).unwrap_or_default(),
            obligations: obligations.remove(&id).unwrap_or_default(),
            id,
            kind: parse_enum("profiles", &kind, ProfileKind::parse)?,
            title: row.try_get(2)?,
            description: row.try_get(3)?,
            label,
            sources,
            illustrative,
        });
    }

    let mut operators: HashMap<String, Vec<Operator>> = HashMap::new();
    for row in sqlx::query(&SYSTEM_OPERATORS.select())
        .fetch_all(&mut *conn)
        .await?
    {
        let quantity: Option<i64> = row.try_get(2)?;
        let quantity = match quantity {
            None => None,
            Some(q) => Some(u32::try_from(q).map_err(|e| corrupt("system_operators", e))?),
        };
        operators
            .entry(row.try_get(0)?)
            .or_default()
            .push(Operator {
                nation: row.try_get(1)?,
                quantity,
            });
    }
    for row in sqlx::query(&SYSTEMS.select())
    .fetch_all(&mut *conn)
    .await?
    {
        let (label, sources, illustrative) = meta(&SYSTEMS, &row, &labels)?;
        let id: String = row.try_get(0)?;
        d.systems.push(System {
            operators: operators.remove(&id).unwrap_or_default(),
            id,
            name: row.try_get(1)?,
            category: row.try_get(2)?,
            producer: row.try_get(3)?,
            origin: row.try_get(4)?,
            aliases: parse_aliases("systems", row.try_get(5)?)?,
            label,
            sources,
            illustrative,
        });
    }

    match parts {
        crate::Parts::All => load_links(conn, &labels, &mut d).await?,
        crate::Parts::Engine => load_engine_links(conn, &labels, &mut d).await?,
        crate::Parts::Entities | crate::Parts::Transfers => {}
    }
    if matches!(parts, crate::Parts::All | crate::Parts::Transfers) {
        load_transfers(conn, &labels, &mut d).await?;
    }
    if parts != crate::Parts::Engine {
        load_workspace(conn, &labels, &mut d).await?;
    }
    d.normalize();
    Ok(d)
}

/// Conformances with only what the engine reads (no evidence, sources or illustrative flag),
/// and gateways: about half the values of [`load_links`] for the largest table.
async fn load_engine_links(
    conn: &mut Conn,
    labels: &HashMap<i64, Label>,
    d: &mut Dataset,
) -> Result<(), StoreError> {
    // One row per system, its conformances joined by the database as
    // "standard TAB status TAB label_id" lines: a fifth of the rows, the joining done in C.
    // Ids never hold a tab or a line break (they are slugs), so the split is exact.
    let rows = sqlx::query(CONFORMANCES_BY_SYSTEM)
        .fetch_all(&mut *conn)
        .await?;
    for row in rows {
        let system: String = row.try_get(0)?;
        let joined: String = row.try_get(1)?;
        for line in joined.split('\n') {
            let mut cols = line.split('\t');
            let (Some(standard), Some(status), Some(label_id), None) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                return Err(corrupt("conformances", format!("unreadable row of {system}")));
            };
            let label = match label_id {
                "" => None,
                id => {
                    let id: i64 = id
                        .parse()
                        .map_err(|_| corrupt("conformances", format!("label id \"{id}\"")))?;
                    Some(
                        labels
                            .get(&id)
                            .cloned()
                            .ok_or_else(|| corrupt("conformances", format!("label {id} missing")))?,
                    )
                }
            };
            d.conformances.push(Conformance {
                system: system.clone(),
                standard: standard.to_string(),
                status: parse_enum("conformances", status, ConformanceStatus::parse)?,
                evidence: None,
                label,
                sources: Vec::new(),
                illustrative: false,
            });
        }
    }
    let mut rest = Dataset::default();
    load_links_gateways(conn, labels, &mut rest).await?;
    d.gateways = rest.gateways;
    Ok(())
}

/// Conformances and gateways.
async fn load_links(
    conn: &mut Conn,
    labels: &HashMap<i64, Label>,
    d: &mut Dataset,
) -> Result<(), StoreError> {
    for row in sqlx::query(&CONFORMANCES.select())
    .fetch_all(&mut *conn)
    .await?
    {
        let (label, sources, illustrative) = meta(&CONFORMANCES, &row, labels)?;
        let status: String = row.try_get(2)?;
        d.conformances.push(Conformance {
            system: row.try_get(0)?,
            standard: row.try_get(1)?,
            status: parse_enum("conformances", &status, ConformanceStatus::parse)?,
            evidence: row.try_get(3)?,
            label,
            sources,
            illustrative,
        });
    }

    load_links_gateways(conn, labels, d).await
}

/// Gateways.
async fn load_links_gateways(
    conn: &mut Conn,
    labels: &HashMap<i64, Label>,
    d: &mut Dataset,
) -> Result<(), StoreError> {
    for row in sqlx::query(&GATEWAYS.select())
    .fetch_all(&mut *conn)
    .await?
    {
        let (label, sources, illustrative) = meta(&GATEWAYS, &row, labels)?;
        let fidelity: String = row.try_get(6)?;
        let status: String = row.try_get(7)?;
        d.gateways.push(Gateway {
            id: row.try_get(0)?,
            name: row.try_get(1)?,
            domain: row.try_get(2)?,
            from: row.try_get(3)?,
            to: row.try_get(4)?,
            bidirectional: row.try_get(5)?,
            fidelity: parse_enum("gateways", &fidelity, Fidelity::parse)?,
            status: parse_enum("gateways", &status, GatewayStatus::parse)?,
            label,
            sources,
            illustrative,
        });
    }

    Ok(())
}

/// Transfers with their deliveries.
async fn load_transfers(
    conn: &mut Conn,
    labels: &HashMap<i64, Label>,
    d: &mut Dataset,
) -> Result<(), StoreError> {
    let mut deliveries: HashMap<String, Vec<Delivery>> = HashMap::new();
    for row in sqlx::query(&TRANSFER_DELIVERIES.select())
    .fetch_all(&mut *conn)
    .await?
    {
        let year: i64 = row.try_get(1)?;
        let number: Option<i64> = row.try_get(3)?;
        deliveries
            .entry(row.try_get(0)?)
            .or_default()
            .push(Delivery {
                year: u16::try_from(year).map_err(|e| corrupt("transfer_deliveries", e))?,
                year_estimated: row.try_get(2)?,
                number: match number {
                    None => None,
                    Some(n) => Some(u32::try_from(n).map_err(|e| corrupt("transfer_deliveries", e))?),
                },
                number_estimated: row.try_get(4)?,
                tiv: row.try_get::<Option<f64>, _>(5)?.map(Tiv),
            });
    }
    for row in sqlx::query(&TRANSFERS.select())
    .fetch_all(&mut *conn)
    .await?
    {
        let (label, sources, illustrative) = meta(&TRANSFERS, &row, labels)?;
        let id: String = row.try_get(0)?;
        let sipri_id: Option<i64> = row.try_get(1)?;
        let supplier_kind: String = row.try_get(3)?;
        let recipient_kind: String = row.try_get(5)?;
        let ordered: Option<i64> = row.try_get(10)?;
        let count = |i: usize| -> Result<Option<u32>, StoreError> {
            let n: Option<i64> = row.try_get(i)?;
            match n {
                None => Ok(None),
                Some(n) => Ok(Some(u32::try_from(n).map_err(|e| corrupt("transfers", e))?)),
            }
        };
        d.transfers.push(Transfer {
            deliveries: deliveries.remove(&id).unwrap_or_default(),
            id,
            sipri_id: match sipri_id {
                None => None,
                Some(n) => Some(u64::try_from(n).map_err(|e| corrupt("transfers", e))?),
            },
            supplier: row.try_get(2)?,
            supplier_kind: parse_enum("transfers", &supplier_kind, PartyKind::parse)?,
            recipient: row.try_get(4)?,
            recipient_kind: parse_enum("transfers", &recipient_kind, PartyKind::parse)?,
            system: row.try_get(6)?,
            designation: row.try_get(7)?,
            description: row.try_get(8)?,
            category: row.try_get(9)?,
            ordered: match ordered {
                None => None,
                Some(y) => Some(u16::try_from(y).map_err(|e| corrupt("transfers", e))?),
            },
            ordered_estimated: row.try_get(11)?,
            status: row.try_get(12)?,
            tiv_unit: row.try_get::<Option<f64>, _>(13)?.map(Tiv),
            tiv_deal_unit: row.try_get::<Option<f64>, _>(14)?.map(Tiv),
            local_production: row.try_get(15)?,
            number_ordered: count(16)?,
            number_ordered_estimated: row.try_get(17)?,
            delivered: count(18)?,
            delivered_estimated: row.try_get(19)?,
            tiv_delivered: row.try_get::<Option<f64>, _>(20)?.map(Tiv),
            label,
            sources,
            illustrative,
        });
    }
    Ok(())
}

fn policy_rules(p: &Policy) -> Option<String> {
    let rules = PolicyRules::of(p);
    if rules.is_empty() {
        None
    } else {
        Some(rules.to_json())
    }
}

/// Marks the registry as changed: every write transaction calls this before it commits, so a
/// cached copy read at an older generation is known to be stale.
async fn bump_generation(conn: &mut Conn) -> Result<(), StoreError> {
    sqlx::query("UPDATE registry_generation SET generation = generation + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The registry's generation (see [`bump_generation`]).
pub(crate) async fn generation(conn: &mut Conn) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT generation FROM registry_generation WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| corrupt("registry_generation", "no row"))?;
    Ok(row.try_get(0)?)
}

/// Whether the registry holds no records at all.
pub(crate) async fn is_empty(conn: &mut Conn) -> Result<bool, StoreError> {
    for table in [
        "policies", "nations", "blocs", "organizations", "people", "domains", "standards",
        "profiles", "systems", "gateways", "transfers", "bodies", "meetings", "minutes",
        "proposals", "decisions", "action_items", "engagements", "documents", "capability_areas",
        "needs", "offers", "instruments",
    ] {
        let sql = format!("SELECT 1 AS one FROM {table} LIMIT 1");
        if sqlx::query(&sql)
            .fetch_optional(&mut *conn)
            .await?
            .is_some()
        {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Makes sure every label of `changes` is interned; returns canonical body → id.
async fn intern_labels(
    conn: &mut Conn,
    changes: &Dataset,
) -> Result<HashMap<String, i64>, StoreError> {
    let mut bodies: Vec<String> = Vec::new();
    let mut add = |l: Option<&Label>| {
        if let Some(l) = l {
            bodies.push(l.to_canonical_json());
        }
    };
    changes.nations.iter().for_each(|r| add(r.label.as_ref()));
    changes.blocs.iter().for_each(|r| add(r.label.as_ref()));
    changes.organizations.iter().for_each(|r| add(r.label.as_ref()));
    changes.people.iter().for_each(|r| add(r.label.as_ref()));
    changes.domains.iter().for_each(|r| add(r.label.as_ref()));
    changes.standards.iter().for_each(|r| add(r.label.as_ref()));
    changes.profiles.iter().for_each(|r| add(r.label.as_ref()));
    changes.transfers.iter().for_each(|r| add(r.label.as_ref()));
    changes.systems.iter().for_each(|r| add(r.label.as_ref()));
    changes.conformances.iter().for_each(|r| add(r.label.as_ref()));
    changes.gateways.iter().for_each(|r| add(r.label.as_ref()));
    changes.bodies.iter().for_each(|r| add(r.label.as_ref()));
    changes.meetings.iter().for_each(|r| add(r.label.as_ref()));
    changes.minutes.iter().for_each(|r| add(r.label.as_ref()));
    changes.proposals.iter().for_each(|r| add(r.label.as_ref()));
    changes.decisions.iter().for_each(|r| add(r.label.as_ref()));
    changes.action_items.iter().for_each(|r| add(r.label.as_ref()));
    changes.engagements.iter().for_each(|r| add(r.label.as_ref()));
    changes.documents.iter().for_each(|r| add(r.label.as_ref()));
    changes.capability_areas.iter().for_each(|r| add(r.label.as_ref()));
    changes.needs.iter().for_each(|r| add(r.label.as_ref()));
    changes.offers.iter().for_each(|r| add(r.label.as_ref()));
    changes.instruments.iter().for_each(|r| add(r.label.as_ref()));
    bodies.sort_unstable();
    bodies.dedup();
    for body in &bodies {
        sqlx::query("INSERT INTO labels (body) VALUES ($1) ON CONFLICT (body) DO NOTHING")
            .bind(body)
            .execute(&mut *conn)
            .await?;
    }
    let mut ids = HashMap::new();
    for row in sqlx::query("SELECT id, body FROM labels").fetch_all(&mut *conn).await? {
        ids.insert(row.try_get::<String, _>("body")?, row.try_get::<i64, _>("id")?);
    }
    // Fail closed: a labelled record must never be written without its label (public).
    if let Some(lost) = bodies.iter().find(|b| !ids.contains_key(*b)) {
        return Err(StoreError::Corrupt(format!(
            "the label {lost} was written but cannot be found; nothing was imported"
        )));
    }
    Ok(ids)
}

/// A label's id. A label missing from `ids` (which `intern_labels` refuses first) gets
/// [`NO_LABEL`], an id no label has, so the foreign key refuses the row and the transaction
/// aborts: a labelled record is never written as a public one.
fn label_id(ids: &HashMap<String, i64>, label: Option<&Label>) -> Option<i64> {
    label.map(|l| ids.get(&l.to_canonical_json()).copied().unwrap_or(NO_LABEL))
}

/// Not the id of any label: ids are assigned from 1 up.
const NO_LABEL: i64 = -1;

/// Multi-row upsert of `rows` into `table`, `key` being the conflict target.
async fn upsert<T>(
    conn: &mut Conn,
    table: &Table,
    rows: &[T],
    progress: &crate::Progress<'_>,
    mut bind: impl FnMut(&mut sqlx::query_builder::Separated<'_, '_, Db, &'static str>, &T),
) -> Result<(), StoreError> {
    let (columns, key) = (table.columns(), table.key);
    let updates: Vec<String> = columns
        .iter()
        .filter(|c| !key.contains(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let conflict = if updates.is_empty() {
        format!(" ON CONFLICT ({}) DO NOTHING", key.join(", "))
    } else {
        format!(
            " ON CONFLICT ({}) DO UPDATE SET {}",
            key.join(", "),
            updates.join(", ")
        )
    };
    for chunk in rows.chunks(CHUNK) {
        let mut qb: QueryBuilder<'_, Db> =
            QueryBuilder::new(format!("INSERT INTO {} ({}) ", table.name, columns.join(", ")));
        qb.push_values(chunk, |mut b, row| bind(&mut b, row));
        qb.push(conflict.as_str());
        qb.build().execute(&mut *conn).await?;
        progress.advance(chunk.len() as u64);
    }
    Ok(())
}

/// Deletes the nested rows (`table.owner IN keys`) of records about to be rewritten.
async fn delete_children(
    conn: &mut Conn,
    table: &str,
    owner: &str,
    keys: &[&str],
) -> Result<(), StoreError> {
    for chunk in keys.chunks(CHUNK) {
        let mut qb: QueryBuilder<'_, Db> =
            QueryBuilder::new(format!("DELETE FROM {table} WHERE {owner} IN ("));
        let mut sep = qb.separated(", ");
        for k in chunk {
            sep.push_bind(k.to_string());
        }
        qb.push(")");
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Writes an import plan's changes (inserts and updates), parents before children.
pub(crate) async fn write_changes(
    conn: &mut Conn,
    changes: &Dataset,
    progress: &crate::Progress<'_>,
) -> Result<(), StoreError> {
    bump_generation(conn).await?;
    let ids = intern_labels(conn, changes).await?;
    let lid = |l: Option<&Label>| label_id(&ids, l);

    upsert(conn, &POLICIES, &changes.policies, progress, |b, p| {
        b.push_bind(p.id.clone());
        b.push_bind(serde_json::to_string(&p.classifications).unwrap_or_default());
        b.push_bind(policy_rules(p));
    })
    .await?;


    upsert(conn, &NATIONS, &changes.nations, progress, |b, r| {
        b.push_bind(r.code.clone());
        b.push_bind(r.name.clone());
        b.push_bind(lid(r.label.as_ref()));
        b.push_bind(sources_json(&r.sources));
        b.push_bind(r.illustrative);
    })
    .await?;

    upsert(conn, &BLOCS, &changes.blocs, progress, |b, r| {
        b.push_bind(r.code.clone());
        b.push_bind(r.name.clone());
        b.push_bind(r.kind.map(|k| k.as_str()));
        b.push_bind(lid(r.label.as_ref()));
        b.push_bind(sources_json(&r.sources));
        b.push_bind(r.illustrative);
    })
    .await?;
    let blocs: Vec<&str> = changes.blocs.iter().map(|b| b.code.as_str()).collect();
    delete_children(conn, "bloc_members", "bloc", &blocs).await?;
    let members: Vec<(&str, &Member)> = changes
        .blocs
        .iter()
        .flat_map(|b| b.members.iter().map(move |m| (b.code.as_str(), m)))
        .collect();
    upsert(conn, &BLOC_MEMBERS, &members, &crate::Progress::NONE, |b, (bloc, m)| {
        b.push_bind(bloc.to_string());
        b.push_bind(m.nation.clone());
        b.push_bind(m.since.clone());
        b.push_bind(m.until.clone());
    })
    .await?;

    upsert(conn, &ORGANIZATIONS, &changes.organizations, progress, |b, r| {
        b.push_bind(r.id.clone());
        b.push_bind(r.name.clone());
        b.push_bind(r.kind.as_str());
        b.push_bind(r.nation.clone());
        b.push_bind(r.ncage.clone());
        b.push_bind(lid(r.label.as_ref()));
        b.push_bind(sources_json(&r.sources));
        b.push_bind(r.illustrative);
    })
    .await?;

    upsert(conn, &PEOPLE, &changes.people, progress, |b, r| {
        b.push_bind(r.id.clone());
        b.push_bind(r.name.clone());
        b.push_bind(r.name_native.clone());
        b.push_bind(r.organization.clone());
        b.push_bind(r.title.clone());
        b.push_bind(lid(r.label.as_ref()));
        b.push_bind(sources_json(&r.sources));
        b.push_bind(r.illustrative);
    })
    .await?;

    upsert(conn, &DOMAINS, &changes.domains, progress, |b, r| {
        b.push_bind(r.code.clone());
        b.push_bind(r.name.clone());
        b.push_bind(lid(r.label.as_ref()));
        b.push_bind(sources_json(&r.sources));
        b.push_bind(r.illustrative);
    })
    .await?;

    upsert(conn, &STANDARDS, &changes.standards, progress, |b, r| {
        b.push_bind(r.id.clone());
        b.push_bind(r.title.clone());
        b.push_bind(r.body.clone());
        b.push_bind(r.domain.clone());
        b.push_bind(r.tag.clone());
        b.push_bind(r.date.clone());
        b.push_bind(r.version.clone());
        b.push_bind(aliases_json(&r.aliases));
        b.push_bind(lid(r.label.as_ref()));
        b.push_bind(sources_json(&r.sources));
        b.push_bind(r.illustrative);
    })
    .await?;
    let standards: Vec<&str> = changes.standards.iter().map(|s| s.id.as_str()).collect();
    delete_children(conn, "standard_covers", "standard", &standards).await?;
    let covers: Vec<(&str, &String)> = changes
        .standards
        .iter()
        .flat_map(|s| s.covers.iter().map(move |c| (s.id.as_str(), c)))
        .collect();
    upsert(conn, &STANDARD_COVERS, &covers, &crate::Progress::NONE, |b, (standard, covered)| {
        b.push_bind(standard.to_string());
        b.push_bind(covered.to_string());
    })
    .await?;

    upsert(conn, &PROFILES, &changes.profiles, progress, |b, r| {
        b.push_bind(r.id.clone());
        b.push_bind(r.kind.as_str());
        b.push_bind(r.title.clone());
        b.push_bind(r.description.clone());
        b.push_bind(lid(r.label.as_ref()));
        b.push_bind(sources_json(&r.sources));
        b.push_bind(r.illustrative);
    })
    .await?;
    let profiles: Vec<&str> = changes.profiles.iter().map(|p| p.id.as_str()).collect();
    delete_children(conn, "profile_subprofiles", "profile", &profiles).await?;
    delete_children(conn, "profile_obligations", "profile", &profiles).await?;
    let subs: Vec<(&str, &String)> = changes
        .profiles
        .iter()
        .flat_map(|p| p.subprofiles.iter().map(move |s| (p.id.as_str(), s)))
        .collect();
    upsert(conn, &PROFILE_SUBPROFILES, &subs, &crate::Progress::NONE, |b, (profile, sub)| {
        b.push_bind(profile.to_string());
        b.push_bind(sub.to_string());
    })
    .await?;
    let obligations: Vec<(&str, &Obligation)> = changes
        .profiles
        .iter()
        .flat_map(|p| p.obligations.iter().map(move |o| (p.id.as_str(), o)))
        .collect();
    upsert(conn, &PROFILE_OBLIGATIONS, &obligations, &crate::Progress::NONE, |b, (profile, o)| {
        b.push_bind(profile.to_string());
        b.push_bind(o.standard.clone());
        b.push_bind(o.obligation.as_str());
        b.push_bind(o.lifecycle.map(Lifecycle::as_str));
        b.push_bind(o.description.clone());
    })
    .await?;

    upsert(conn, &SYSTEMS, &changes.systems, progress, |b, r| {
        b.push_bind(r.id.clone());
        b.push_bind(r.name.clone());
        b.push_bind(r.category.clone());
        b.push_bind(r.producer.clone());
        b.push_bind(r.origin.clone());
        b.push_bind(aliases_json(&r.aliases));
        b.push_bind(lid(r.label.as_ref()));
        b.push_bind(sources_json(&r.sources));
        b.push_bind(r.illustrative);
    })
    .await?;
    let systems: Vec<&str> = changes.systems.iter().map(|s| s.id.as_str()).collect();
    delete_children(conn, "system_operators", "system", &systems).await?;
    let operators: Vec<(&str, &Operator)> = changes
        .systems
        .iter()
        .flat_map(|s| s.operators.iter().map(move |o| (s.id.as_str(), o)))
        .collect();
    upsert(conn, &SYSTEM_OPERATORS, &operators, &crate::Progress::NONE, |b, (system, o)| {
        b.push_bind(system.to_string());
        b.push_bind(o.nation.clone());
        b.push_bind(o.quantity.map(i64::from));
    })
    .await?;

    upsert(conn, &CONFORMANCES, &changes.conformances, progress, |b, r| {
        b.push_bind(r.system.clone());
        b.push_bind(r.standard.clone());
        b.push_bind(r.status.as_str());
        b.push_bind(r.evidence.clone());
        b.push_bind(lid(r.label.as_ref()));
        b.push_bind(sources_json(&r.sources));
        b.push_bind(r.illustrative);
    })
    .await?;

    upsert(conn, &GATEWAYS, &changes.gateways, progress, |b, r| {
        b.push_bind(r.id.clone());
        b.push_bind(r.name.clone());
        b.push_bind(r.domain.clone());
        b.push_bind(r.from.clone());
        b.push_bind(r.to.clone());
        b.push_bind(r.bidirectional);
        b.push_bind(r.fidelity.as_str());
        b.push_bind(r.status.as_str());
        b.push_bind(lid(r.label.as_ref()));
        b.push_bind(sources_json(&r.sources));
        b.push_bind(r.illustrative);
    })
    .await?;

    upsert(conn, &TRANSFERS, &changes.transfers, progress, |b, r| {
        b.push_bind(r.id.clone());
        // SIPRI ids are far below i64::MAX; a larger one is refused by the cast, not wrapped.
        b.push_bind(r.sipri_id.and_then(|n| i64::try_from(n).ok()));
        b.push_bind(r.supplier.clone());
        b.push_bind(r.supplier_kind.as_str());
        b.push_bind(r.recipient.clone());
        b.push_bind(r.recipient_kind.as_str());
        b.push_bind(r.system.clone());
        b.push_bind(r.designation.clone());
        b.push_bind(r.description.clone());
        b.push_bind(r.category.clone());
        b.push_bind(r.ordered.map(i64::from));
        b.push_bind(r.ordered_estimated);
        b.push_bind(r.status.clone());
        b.push_bind(r.tiv_unit.map(|t| t.0));
        b.push_bind(r.tiv_deal_unit.map(|t| t.0));
        b.push_bind(r.local_production);
        b.push_bind(r.number_ordered.map(i64::from));
        b.push_bind(r.number_ordered_estimated);
        b.push_bind(r.delivered.map(i64::from));
        b.push_bind(r.delivered_estimated);
        b.push_bind(r.tiv_delivered.map(|t| t.0));
        b.push_bind(lid(r.label.as_ref()));
        b.push_bind(sources_json(&r.sources));
        b.push_bind(r.illustrative);
    })
    .await?;
    let transfers: Vec<&str> = changes.transfers.iter().map(|t| t.id.as_str()).collect();
    delete_children(conn, "transfer_deliveries", "transfer", &transfers).await?;
    let deliveries: Vec<(&str, &Delivery)> = changes
        .transfers
        .iter()
        .flat_map(|t| t.deliveries.iter().map(move |d| (t.id.as_str(), d)))
        .collect();
    upsert(conn, &TRANSFER_DELIVERIES, &deliveries, &crate::Progress::NONE, |b, (transfer, d)| {
        b.push_bind(transfer.to_string());
        b.push_bind(i64::from(d.year));
        b.push_bind(d.year_estimated);
        b.push_bind(d.number.map(i64::from));
        b.push_bind(d.number_estimated);
        b.push_bind(d.tiv.map(|t| t.0));
    })
    .await?;

    write_workspace(conn, changes, &ids, progress).await
}

/// Applies the migrations newer than the database's schema version. The caller holds the
/// migration lock and commits.
pub(crate) async fn apply_pending(
    conn: &mut Conn,
    migrations: &[Migration],
) -> Result<(), StoreError> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS defcoop_schema (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    let current: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM defcoop_schema")
        .fetch_one(&mut *conn)
        .await?;
    let current = current.unwrap_or(0);
    let latest = migrations.last().map_or(0, |m| m.version);
    if current > latest {
        return Err(StoreError::SchemaTooNew {
            found: current,
            supported: latest,
        });
    }
    for m in migrations.iter().filter(|m| m.version > current) {
        tracing::info!(version = m.version, name = m.name, "applying migration");
        sqlx::raw_sql(m.sql).execute(&mut *conn).await?;
        sqlx::query("INSERT INTO defcoop_schema (version, name) VALUES ($1, $2)")
            .bind(m.version)
            .bind(m.name)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
