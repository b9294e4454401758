//! Use cases on the registry's records, kind by kind: list (filters, sorting, pages with a
//! total), get, create, update, delete. Every record travels as its dataset JSON (the shape of
//! `export` and of the dataset file), so the API, the CLI and the pages share one shape.
//!
//! A list works on the reader's [`View`]: each kind's rows are serialized once per view, and
//! each sort order is computed once per view, so a page of a big list costs a filter pass and
//! a slice. Writes go through the store's import machinery: validated like an import by the
//! actor, written in one transaction with its audit entry, nothing written on any problem.

use std::cmp::Ordering;
use std::collections::HashSet;

use defcoop_domain::account::Permission;
use defcoop_domain::import::Problem;
use defcoop_domain::model::{Dataset, Kind};
use defcoop_domain::{json, Day};
use defcoop_store::{ImportError, Parts, StoreError};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{Actor, App, AppError, Result, View};

/// Rows per page unless asked otherwise, and the most one page may hold.
pub const PER_PAGE: usize = 50;
pub const MAX_PER_PAGE: usize = 500;
/// Most filters one list takes, and the longest filter value.
const MAX_FILTERS: usize = 16;
const MAX_VALUE: usize = 200;

/// What a list may be filtered and sorted by, per kind.
#[derive(Debug, Clone, Copy)]
pub struct ListSpec {
    /// Fields whose value must equal the filter's (case-insensitively; for a list field, one
    /// of its entries; for a list of objects, one of their text fields).
    pub filters: &'static [&'static str],
    /// Fields a list may be sorted by, in the order a page shows them as columns (the one
    /// naming the record first).
    pub sorts: &'static [&'static str],
    /// Whether `bloc=` (and `on=`) filters by membership of the field named here.
    pub bloc_field: Option<&'static str>,
}

/// The list spec of `kind`.
pub fn list_spec(kind: Kind) -> ListSpec {
    let (filters, sorts, bloc_field): (&[&str], &[&str], _) = match kind {
        Kind::Policy => (&[], &["id"], None),
        Kind::Nation => (&[], &["name", "code"], Some("code")),
        Kind::Bloc => (&["kind", "members"], &["name", "code", "kind"], None),
        Kind::Organization => (
            &["kind", "nation"],
            &["name", "id", "kind", "nation"],
            Some("nation"),
        ),
        Kind::Person => (&["organization"], &["name", "organization", "id"], None),
        Kind::Domain => (&[], &["name", "code"], None),
        Kind::Standard => (
            &["body", "domain", "tag"],
            &["id", "title", "body", "domain", "date"],
            None,
        ),
        Kind::Profile => (&["kind"], &["title", "id", "kind"], None),
        Kind::System => (
            &["category", "origin", "producer", "operators"],
            &["name", "category", "origin", "producer", "id"],
            Some("origin"),
        ),
        Kind::Conformance => (
            &["system", "standard", "status"],
            &["system", "standard", "status"],
            None,
        ),
        Kind::Gateway => (
            &["domain", "from", "to", "fidelity", "status"],
            &["name", "domain", "fidelity", "status", "id"],
            None,
        ),
        Kind::Transfer => (
            &["supplier", "recipient", "system", "category", "status"],
            &[
                "id",
                "supplier",
                "recipient",
                "designation",
                "category",
                "ordered",
                "delivered",
                "tiv_delivered",
            ],
            None,
        ),
        Kind::Body => (
            &["members", "co_chairs", "secretariat"],
            &["name", "id"],
            None,
        ),
        Kind::Meeting => (
            &["body", "status", "time_zone", "participants"],
            &["title", "start", "body", "status", "id"],
            None,
        ),
        Kind::Minutes => (
            &["meeting", "status"],
            &["id", "meeting", "version", "status"],
            None,
        ),
        Kind::Proposal => (
            &["body", "sponsor", "status"],
            &["title", "status", "sponsor", "body", "id"],
            None,
        ),
        Kind::Decision => (&["meeting", "proposals"], &["text", "meeting", "id"], None),
        Kind::ActionItem => (
            &["owner", "status", "proposal", "decision"],
            &["title", "due", "status", "id"],
            None,
        ),
        Kind::Engagement => (
            &["participants", "time_zone"],
            &["title", "start", "place", "id"],
            None,
        ),
        Kind::Document => (&["issuers", "topics"], &["title", "issued", "id"], None),
        Kind::CapabilityArea => (&[], &["name", "id"], None),
        Kind::Need | Kind::Offer => (
            &["area", "owner", "keywords", "systems", "standards"],
            &["title", "area", "id"],
            None,
        ),
        Kind::Instrument => (&["kind", "modelled"], &["name", "kind", "id"], None),
    };
    ListSpec {
        filters,
        sorts,
        bloc_field,
    }
}

/// A list request.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Words every listed record holds in one of its text fields (case-insensitive).
    pub q: Option<String>,
    /// `(field, value)`: see [`ListSpec::filters`].
    pub filters: Vec<(String, String)>,
    /// Members of this bloc (on `on`, default today), for kinds with a `bloc_field`.
    pub bloc: Option<String>,
    pub on: Option<String>,
    /// A field of [`ListSpec::sorts`], `-field` for descending; default the key.
    pub sort: Option<String>,
    /// 1-based; past the last page the page is empty (the total still says how many).
    pub page: usize,
    pub per_page: usize,
}

impl ListQuery {
    /// A list request from query parameters: `q`, `sort`, `bloc`, `on`, `page`, `per_page`,
    /// and every other name as a filter (checked against the kind by [`list_in`]).
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<ListQuery> {
        let mut q = ListQuery {
            page: 1,
            per_page: PER_PAGE,
            ..ListQuery::default()
        };
        let number = |name: &str, v: &str, max: usize| -> Result<usize> {
            v.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| {
                    AppError::BadRequest(format!("{name}: give a whole number from 1 to {max}"))
                })
        };
        for (name, value) in pairs {
            let once = |slot: &Option<String>| {
                if slot.is_some() {
                    Err(AppError::BadRequest(format!("{name} is given twice")))
                } else {
                    Ok(Some(value.clone()))
                }
            };
            match name.as_str() {
                "q" => q.q = once(&q.q)?.filter(|s| !s.trim().is_empty()),
                "sort" => q.sort = once(&q.sort)?,
                "bloc" => q.bloc = once(&q.bloc)?,
                "on" => q.on = once(&q.on)?,
                "page" => q.page = number("page", value, u32::MAX as usize)?,
                "per_page" => q.per_page = number("per_page", value, MAX_PER_PAGE)?,
                _ => q.filters.push((name.clone(), value.clone())),
            }
        }
        for (name, v) in [("sort", &q.sort), ("bloc", &q.bloc), ("on", &q.on)] {
            if v.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(AppError::BadRequest(format!(
                    "{name} is empty: give a value, or leave the parameter out"
                )));
            }
        }
        Ok(q)
    }
}

/// One page of a list: `{"kind", "total", "page", "per_page", "items"}`.
#[derive(Debug, Clone, Serialize)]
pub struct ListPage {
    pub kind: &'static str,
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub items: Vec<Value>,
    /// The distinct labels of every matching record, not only this page's (a page's banner
    /// covers what it counts).
    #[serde(skip)]
    pub labels: Vec<Value>,
}

impl ListPage {
    /// How many pages the total fills (at least 1).
    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// Each record of `kind` in `data` as its dataset JSON, in canonical order.
pub fn rows(data: &Dataset, kind: Kind) -> Vec<Value> {
    // One row per record, whatever happens (views share rows by position).
    fn all<T: Serialize>(records: &[T]) -> Vec<Value> {
        records
            .iter()
            .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
            .collect()
    }
    match kind {
        Kind::Policy => all(&data.policies),
        Kind::Nation => all(&data.nations),
        Kind::Bloc => all(&data.blocs),
        Kind::Organization => all(&data.organizations),
        Kind::Person => all(&data.people),
        Kind::Domain => all(&data.domains),
        Kind::Standard => all(&data.standards),
        Kind::Profile => all(&data.profiles),
        Kind::System => all(&data.systems),
        Kind::Conformance => all(&data.conformances),
        Kind::Gateway => all(&data.gateways),
        Kind::Transfer => all(&data.transfers),
        Kind::Body => all(&data.bodies),
        Kind::Meeting => all(&data.meetings),
        Kind::Minutes => all(&data.minutes),
        Kind::Proposal => all(&data.proposals),
        Kind::Decision => all(&data.decisions),
        Kind::ActionItem => all(&data.action_items),
        Kind::Engagement => all(&data.engagements),
        Kind::Document => all(&data.documents),
        Kind::CapabilityArea => all(&data.capability_areas),
        Kind::Need => all(&data.needs),
        Kind::Offer => all(&data.offers),
        Kind::Instrument => all(&data.instruments),
    }
}

/// The names of `kind`'s key fields, in key order.
pub fn key_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Nation | Kind::Bloc | Kind::Domain => &["code"],
        Kind::Conformance => &["system", "standard"],
        _ => &["id"],
    }
}

/// A row's key as text (`SYSTEM/STANDARD` for a conformance).
pub fn row_key(kind: Kind, row: &Value) -> String {
    key_fields(kind)
        .iter()
        .map(|f| row.get(*f).and_then(Value::as_str).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether a filter value matches a field's value.
fn matches(field: &Value, wanted: &str) -> bool {
    match field {
        Value::String(s) => s.eq_ignore_ascii_case(wanted) || s.to_lowercase() == wanted,
        Value::Bool(b) => wanted == if *b { "true" } else { "false" },
        Value::Number(n) => n.to_string() == wanted,
        Value::Array(items) => items.iter().any(|i| match i {
            Value::Object(o) => o.values().any(|v| v.is_string() && matches(v, wanted)),
            v => matches(v, wanted),
        }),
        // An object such as an action item's owner: one of its texts.
        Value::Object(o) => o.values().any(|v| v.is_string() && matches(v, wanted)),
        _ => false,
    }
}

/// Whether every word is in one of the row's text fields (top level, and lists of texts such
/// as aliases).
fn holds_words(row: &Value, words: &[String]) -> bool {
    let Value::Object(o) = row else { return false };
    let mut text = String::new();
    for (name, v) in o {
        if name == "sources" || name == "label" {
            continue;
        }
        match v {
            Value::String(s) => {
                text.push_str(&s.to_lowercase());
                text.push('\u{1f}');
            }
            Value::Array(items) => {
                for s in items.iter().filter_map(Value::as_str) {
                    text.push_str(&s.to_lowercase());
                    text.push('\u{1f}');
                }
            }
            _ => {}
        }
    }
    words.iter().all(|w| text.contains(w.as_str()))
}

/// Compares two field values for sorting: texts case-insensitively, numbers by value, absent
/// values last.
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None | Some(Value::Null), None | Some(Value::Null)) => Ordering::Equal,
        (None | Some(Value::Null), _) => Ordering::Greater,
        (_, None | Some(Value::Null)) => Ordering::Less,
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x
            .to_lowercase()
            .cmp(&y.to_lowercase())
            .then_with(|| x.cmp(y)),
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
    }
}

fn bad(message: String) -> AppError {
    AppError::BadRequest(message)
}

/// The list's query, checked against `kind`'s spec: every problem named.
fn check(kind: Kind, q: &ListQuery) -> Result<(ListSpec, Option<(String, bool)>)> {
    let spec = list_spec(kind);
    if q.filters.len() > MAX_FILTERS {
        return Err(bad(format!("at most {MAX_FILTERS} filters")));
    }
    for (field, value) in &q.filters {
        if !spec.filters.contains(&field.as_str()) {
            return Err(bad(format!(
                "{} cannot be filtered by \"{}\" (filters: {})",
                kind.array(),
                crate::render::cut(field, 60),
                if spec.filters.is_empty() {
                    "none but q".to_string()
                } else {
                    spec.filters.join(", ")
                }
            )));
        }
        if value.is_empty() || value.chars().count() > MAX_VALUE {
            return Err(bad(format!(
                "filter {field}: give a value of 1 to {MAX_VALUE} characters"
            )));
        }
    }
    if q.bloc.is_some() && spec.bloc_field.is_none() {
        return Err(bad(format!("{} cannot be filtered by bloc", kind.array())));
    }
    if q.on.is_some() && q.bloc.is_none() {
        return Err(bad(
            "on: give it with bloc (members of the bloc on that day)".into(),
        ));
    }
    if q.q.as_ref().is_some_and(|s| s.chars().count() > MAX_VALUE) {
        return Err(bad(format!("q: at most {MAX_VALUE} characters")));
    }
    if q.per_page == 0 || q.per_page > MAX_PER_PAGE {
        return Err(bad(format!("per_page: from 1 to {MAX_PER_PAGE}")));
    }
    if q.page == 0 {
        return Err(bad("page: pages are numbered from 1".into()));
    }
    let sort = match q.sort.as_deref() {
        None => None,
        Some(s) => {
            let (field, desc) = match s.strip_prefix('-') {
                Some(f) => (f, true),
                None => (s, false),
            };
            if !spec.sorts.contains(&field) {
                return Err(bad(format!(
                    "{} cannot be sorted by \"{}\" (sorts: {}; -FIELD for descending)",
                    kind.array(),
                    crate::render::cut(field, 60),
                    spec.sorts.join(", ")
                )));
            }
            Some((field.to_string(), desc))
        }
    };
    Ok((spec, sort))
}

/// One page of `kind`'s records in `view` matching `q`.
pub fn list_in(view: &View, kind: Kind, q: &ListQuery) -> Result<ListPage> {
    let (spec, sort) = check(kind, q)?;
    let rows = view.rows(kind);
    let members: Option<HashSet<&str>> = match (&q.bloc, spec.bloc_field) {
        (Some(code), Some(_)) => {
            let day = match &q.on {
                Some(on) => crate::clock::parse_day(on)?,
                None => crate::clock::today(),
            };
            let bloc = view
                .data()
                .blocs
                .iter()
                .find(|b| b.code.eq_ignore_ascii_case(code))
                .ok_or_else(|| {
                    AppError::NotFound(format!("bloc \"{}\"", crate::render::cut(code, 60)))
                })?;
            Some(member_codes(bloc, day))
        }
        _ => None,
    };
    let words: Vec<String> =
        q.q.as_deref()
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
    let filters: Vec<(&str, String)> = q
        .filters
        .iter()
        .map(|(f, v)| (f.as_str(), v.to_lowercase()))
        .collect();
    let everything = filters.is_empty() && words.is_empty() && members.is_none();
    let keep = |row: &Value| {
        everything
            || filters
                .iter()
                .all(|(f, v)| row.get(*f).is_some_and(|x| matches(x, v)))
                && (words.is_empty() || holds_words(row, &words))
                && match (&members, spec.bloc_field) {
                    (Some(m), Some(field)) => row
                        .get(field)
                        .and_then(Value::as_str)
                        .is_some_and(|c| m.contains(c)),
                    _ => true,
                }
    };
    let order = sort.as_ref().map(|(field, desc)| {
        view.order(
            kind,
            &format!("{field}{}", if *desc { "-" } else { "" }),
            || {
                let mut idx: Vec<u32> = (0..rows.len() as u32).collect();
                idx.sort_by(|a, b| {
                    let o = compare(rows[*a as usize].get(field), rows[*b as usize].get(field));
                    (if *desc { o.reverse() } else { o }).then(a.cmp(b))
                });
                idx
            },
        )
    });
    let skip = (q.page - 1).saturating_mul(q.per_page);
    let mut total = 0;
    let mut items = Vec::new();
    // Which of the rows' labels the matches carry (every match, not only this page's).
    let mut carried = vec![false; rows.labels().len()];
    let mut take = |i: usize| {
        let row = &rows[i];
        if keep(row) {
            if let Some(l) = rows.label_at(i) {
                carried[l] = true;
            }
            if total >= skip && items.len() < q.per_page {
                items.push(row.clone());
            }
            total += 1;
        }
    };
    match &order {
        Some(order) => order.iter().for_each(|i| take(*i as usize)),
        None => (0..rows.len()).for_each(take),
    }
    let labels = rows
        .labels()
        .iter()
        .zip(carried)
        .filter(|(_, c)| *c)
        .map(|(l, _)| l.clone())
        .collect();
    Ok(ListPage {
        kind: kind.array(),
        total,
        page: q.page,
        per_page: q.per_page,
        items,
        labels,
    })
}

/// The record of `kind` with key `key` in `view`, as its dataset JSON.
pub fn rows_of(view: &View, kind: Kind, key: &str) -> Option<Value> {
    let rows = view.rows(kind);
    let parts: Vec<&str> = match kind {
        Kind::Conformance => key.splitn(2, '/').collect(),
        _ => vec![key],
    };
    let names = key_fields(kind);
    rows.binary_search_by(|r| {
        let k: Vec<&str> = names
            .iter()
            .map(|f| r.get(*f).and_then(Value::as_str).unwrap_or(""))
            .collect();
        k.cmp(&parts)
    })
    .ok()
    .map(|i| rows[i].clone())
}

fn member_codes(bloc: &defcoop_domain::model::Bloc, day: Day) -> HashSet<&str> {
    bloc.members
        .iter()
        .filter(|m| m.on(day))
        .map(|m| m.nation.as_str())
        .collect()
}

/// The permission writing records of `kind` needs.
fn permission(kind: Kind) -> Permission {
    Permission::to_write(kind)
}

/// Problems of a one-record dataset, located at the record's fields: `$.systems[0].origin`
/// becomes `origin`, the record itself `$`.
fn at_fields(kind: Kind, problems: Vec<Problem>) -> Vec<Problem> {
    let base = format!("$.{}[0]", kind.array());
    problems
        .into_iter()
        .map(|p| {
            let location = match p.location.strip_prefix(&base) {
                Some("") => "$".to_string(),
                Some(rest) => rest.trim_start_matches('.').to_string(),
                None => p.location,
            };
            Problem::new(location, p.message)
        })
        .collect()
}

/// Reads one record of `kind` from its dataset JSON (an object), through the dataset reader:
/// every problem located at its field.
fn one_record(kind: Kind, body: &Value) -> Result<defcoop_domain::Incoming> {
    if !body.is_object() {
        return Err(AppError::Invalid(vec![Problem::new(
            "$",
            format!("a {} is a JSON object", kind.noun()),
        )]));
    }
    let mut root = Map::new();
    root.insert(
        "format".into(),
        Value::String(defcoop_domain::model::DATASET_FORMAT.into()),
    );
    root.insert("version".into(), Value::from(1));
    root.insert(kind.array().into(), Value::Array(vec![body.clone()]));
    let bytes = serde_json::to_vec(&Value::Object(root))
        .map_err(|e| AppError::Internal(format!("writing a record: {e}")))?;
    let incoming = json::parse(&bytes).map_err(|p| AppError::Invalid(at_fields(kind, p)))?;
    if !incoming.problems.is_empty() {
        return Err(AppError::Invalid(at_fields(kind, incoming.problems)));
    }
    Ok(incoming)
}

/// Whether `data` holds the record.
fn holds(data: &Dataset, kind: Kind, key: &str) -> bool {
    match kind {
        Kind::Policy => data.policies.iter().any(|p| p.id == key),
        _ => data.label_of(kind, key).is_some(),
    }
}

fn not_found(kind: Kind, key: &str) -> AppError {
    AppError::NotFound(format!(
        "{} \"{}\"",
        kind.noun(),
        crate::render::cut(key, 200)
    ))
}

/// Maps a write's errors: problems located at the record's fields.
fn write_error(kind: Kind, e: ImportError) -> AppError {
    match e {
        ImportError::Invalid(p) => AppError::Invalid(at_fields(kind, p)),
        e => e.into(),
    }
}

impl App {
    /// One page of `kind`'s records that `actor` may see and that match `q`.
    pub async fn list(&self, actor: &Actor, kind: Kind, q: &ListQuery) -> Result<ListPage> {
        let view = self.view(actor, Parts::holding(kind)).await?;
        list_in(&view, kind, q)
    }

    /// Creates one record from its dataset JSON. `Conflict` when a record with its key exists.
    /// Returns the record as stored.
    pub async fn create_record(&self, actor: &Actor, kind: Kind, body: &Value) -> Result<Value> {
        actor.require(permission(kind))?;
        let incoming = one_record(kind, body)?;
        let key = rows(&incoming.data, kind)
            .first()
            .map(|r| row_key(kind, r))
            .unwrap_or_default();
        let out = self
            .store()
            .write_with(&actor.writer(), "record.create", |seen| {
                if holds(seen, kind, &key) {
                    return Err(ImportError::Store(StoreError::Conflict(format!(
                        "{} {key} exists already",
                        kind.noun()
                    ))));
                }
                Ok(incoming.clone())
            })
            .await
            .map_err(|e| write_error(kind, e))?;
        self.written(&out).await?;
        self.record(actor, crate::RecordKind(kind), &key).await
    }

    /// Replaces the record with key `key` by `body` (its dataset JSON; the key fields may be
    /// left out, and must not differ). A body without `label` keeps the stored label: a label
    /// is removed only by `"label": null` or the label use case, never by omission.
    pub async fn update_record(
        &self,
        actor: &Actor,
        kind: Kind,
        key: &str,
        body: &Value,
    ) -> Result<Value> {
        actor.require(permission(kind))?;
        // A record the actor may not see is "not found" before anything about the body is said.
        if !holds(
            self.view(actor, Parts::holding(kind)).await?.data(),
            kind,
            key,
        ) {
            return Err(not_found(kind, key));
        }
        let Value::Object(fields) = body else {
            return Err(AppError::Invalid(vec![Problem::new(
                "$",
                format!("a {} is a JSON object", kind.noun()),
            )]));
        };
        let mut fields = fields.clone();
        let parts: Vec<&str> = match kind {
            Kind::Conformance => key.splitn(2, '/').collect(),
            _ => vec![key],
        };
        let names = key_fields(kind);
        if parts.len() != names.len() {
            return Err(not_found(kind, key));
        }
        let mut problems = Vec::new();
        for (name, part) in names.iter().zip(&parts) {
            match fields.get(*name) {
                None => {
                    fields.insert((*name).into(), Value::String((*part).into()));
                }
                Some(Value::String(s)) if s == part => {}
                Some(_) => problems.push(Problem::new(
                    *name,
                    format!(
                        "the key cannot change here (it is {part}); create a new record instead"
                    ),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let keep_label = kind != Kind::Policy && !fields.contains_key("label");
        let incoming = one_record(kind, &Value::Object(fields))?;
        let out = self
            .store()
            .write_with(&actor.writer(), "record.update", |seen| {
                let stored = if kind == Kind::Policy {
                    holds(seen, kind, key).then_some(None)
                } else {
                    seen.label_of(kind, key).map(|l| l.cloned())
                };
                let Some(label) = stored else {
                    return Err(ImportError::NotFound(format!("{} \"{key}\"", kind.noun())));
                };
                let mut incoming = incoming.clone();
                if keep_label {
                    if let Some(one) = incoming.data.with_label(kind, key, label) {
                        incoming.data = one;
                    }
                }
                Ok(incoming)
            })
            .await
            .map_err(|e| match e {
                ImportError::NotFound(_) => not_found(kind, key),
                e => write_error(kind, e),
            })?;
        self.written(&out).await?;
        self.record(actor, crate::RecordKind(kind), key).await
    }

    /// Deletes one record with its nested entries; refused (`Conflict`) while others refer to
    /// it.
    pub async fn delete_record(&self, actor: &Actor, kind: Kind, key: &str) -> Result<()> {
        actor.require(permission(kind))?;
        self.store()
            .delete_record(kind, key, &actor.writer())
            .await
            .map_err(|e| match e {
                ImportError::NotFound(_) => not_found(kind, key),
                e => e.into(),
            })?;
        if let Some(model) = self.read_model() {
            model.refresh().await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_located_at_fields() {
        let p = at_fields(
            Kind::System,
            vec![
                Problem::new("$.systems[0].origin", "unknown nation"),
                Problem::new("$.systems[0]", "bad"),
                Problem::new("line 1, column 2", "not JSON"),
            ],
        );
        let locations: Vec<&str> = p.iter().map(|p| p.location.as_str()).collect();
        assert_eq!(locations, ["origin", "$", "line 1, column 2"]);
    }

    #[test]
    fn values_match_case_insensitively_and_inside_lists() {
        assert!(matches(&Value::String("KOR".into()), "kor"));
        assert!(matches(&serde_json::json!(["a", "B"]), "b"));
        assert!(matches(
            &serde_json::json!([{"nation": "POL", "quantity": 3}]),
            "pol"
        ));
        assert!(!matches(&serde_json::json!([{"nation": "POL"}]), "kor"));
        assert!(matches(&Value::Bool(true), "true"));
    }

    #[test]
    fn absent_values_sort_last() {
        let a = Value::String("b".into());
        assert_eq!(compare(None, Some(&a)), Ordering::Greater);
        assert_eq!(
            compare(Some(&a), Some(&Value::String("A".into()))),
            Ordering::Greater
        );
        assert_eq!(
            compare(Some(&serde_json::json!(10)), Some(&serde_json::json!(9))),
            Ordering::Greater
        );
    }
}
