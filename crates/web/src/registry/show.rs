//! Turning a record's dataset JSON into what a page shows: texts, links to the records it
//! names (by their names, not their keys), tables of nested entries, and the banner's labels.

use defcoop_domain::label::Label;
use defcoop_domain::marking::{marking, Banner};
use defcoop_domain::model::{Dataset, Kind};
use defcoop_domain::Policies;
use serde_json::Value;

use super::fields::{field_label, refers_to};
use super::words::words;
use crate::i18n::Lang;
use crate::links;
use defcoop_app::render::{self, Labelled};

/// One piece of a shown value: a text, maybe a link, maybe a marking.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    /// A second, quieter text (a key beside a name, a native name).
    pub note: Option<String>,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            href: None,
            note: None,
        }
    }
}

/// A nested list shown as a table.
pub struct SubTable {
    pub label: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Vec<Cell>>>,
}

/// Looks records up by key (binary search: every array is in canonical order).
pub struct Lookup<'a> {
    pub data: &'a Dataset,
    pub policies: Policies,
    /// The language names are shown in (nations and blocs have Korean names).
    pub lang: Lang,
}

/// The record of a canonically ordered array whose key field is `key`.
macro_rules! by_key {
    ($records:expr, $field:ident, $key:expr) => {{
        let records = &$records;
        records
            .binary_search_by(|r| r.$field.as_str().cmp($key))
            .ok()
            .map(|i| &records[i])
    }};
}

impl<'a> Lookup<'a> {
    pub fn new(data: &'a Dataset, lang: Lang) -> Lookup<'a> {
        Lookup {
            data,
            policies: Policies::new(&data.policies),
            lang,
        }
    }

    /// The record's name (or title) and label; `None` when the reader has no such record.
    pub fn find(&self, kind: Kind, key: &str) -> Option<(String, Option<&'a Label>)> {
        let d = self.data;
        Some(match kind {
            Kind::Policy => (by_key!(d.policies, id, key)?.id.clone(), None),
            Kind::Nation => {
                let n = by_key!(d.nations, code, key)?;
                let name = render::nation_name(self.lang.render(), &n.code, &n.name);
                (name.to_string(), n.label.as_ref())
            }
            Kind::Bloc => {
                let b = by_key!(d.blocs, code, key)?;
                let name = render::bloc_name(self.lang.render(), &b.code, &b.name);
                (name.to_string(), b.label.as_ref())
            }
            Kind::Organization => {
                let o = by_key!(d.organizations, id, key)?;
                (o.name.clone(), o.label.as_ref())
            }
            Kind::Person => {
                let p = by_key!(d.people, id, key)?;
                let name = match &p.name_native {
                    Some(native) => format!("{} ({native})", p.name),
                    None => p.name.clone(),
                };
                (name, p.label.as_ref())
            }
            Kind::Domain => {
                let x = by_key!(d.domains, code, key)?;
                (x.name.clone(), x.label.as_ref())
            }
            Kind::Standard => {
                let s = by_key!(d.standards, id, key)?;
                (format!("{} — {}", s.id, s.title), s.label.as_ref())
            }
            Kind::Profile => {
                let p = by_key!(d.profiles, id, key)?;
                (p.title.clone(), p.label.as_ref())
            }
            Kind::System => {
                let s = by_key!(d.systems, id, key)?;
                (s.name.clone(), s.label.as_ref())
            }
            Kind::Conformance => {
                let (system, standard) = key.split_once('/')?;
                let c = d
                    .conformances
                    .binary_search_by(|c| {
                        (c.system.as_str(), c.standard.as_str()).cmp(&(system, standard))
                    })
                    .ok()
                    .map(|i| &d.conformances[i])?;
                let name = by_key!(d.systems, id, system).map_or(system, |s| s.name.as_str());
                (format!("{name} — {standard}"), c.label.as_ref())
            }
            Kind::Gateway => {
                let g = by_key!(d.gateways, id, key)?;
                (g.name.clone(), g.label.as_ref())
            }
            Kind::Transfer => {
                let t = by_key!(d.transfers, id, key)?;
                (
                    format!("{} → {}: {}", t.supplier, t.recipient, t.designation),
                    t.label.as_ref(),
                )
            }
            Kind::Body => {
                let b = by_key!(d.bodies, id, key)?;
                (b.name.clone(), b.label.as_ref())
            }
            Kind::Meeting => {
                let m = by_key!(d.meetings, id, key)?;
                (m.title.clone(), m.label.as_ref())
            }
            Kind::Minutes => {
                let m = by_key!(d.minutes, id, key)?;
                let of = by_key!(d.meetings, id, &m.meeting)
                    .map_or(m.meeting.as_str(), |x| x.title.as_str());
                (format!("{of} ({})", m.version), m.label.as_ref())
            }
            Kind::Proposal => {
                let p = by_key!(d.proposals, id, key)?;
                (p.title.clone(), p.label.as_ref())
            }
            Kind::Decision => {
                let x = by_key!(d.decisions, id, key)?;
                let text: String = x.text.chars().take(80).collect();
                (text, x.label.as_ref())
            }
            Kind::ActionItem => {
                let a = by_key!(d.action_items, id, key)?;
                (a.title.clone(), a.label.as_ref())
            }
            Kind::Engagement => {
                let g = by_key!(d.engagements, id, key)?;
                (g.title.clone(), g.label.as_ref())
            }
            Kind::Document => {
                let x = by_key!(d.documents, id, key)?;
                (x.title.clone(), x.label.as_ref())
            }
            Kind::CapabilityArea => {
                let x = by_key!(d.capability_areas, id, key)?;
                let name = match (self.lang.render(), &x.name_ko) {
                    (defcoop_app::render::Lang::Ko, Some(ko)) => ko.clone(),
                    _ => x.name.clone(),
                };
                (name, x.label.as_ref())
            }
            Kind::Need => {
                let x = by_key!(d.needs, id, key)?;
                (x.title.clone(), x.label.as_ref())
            }
            Kind::Offer => {
                let x = by_key!(d.offers, id, key)?;
                (x.title.clone(), x.label.as_ref())
            }
            Kind::Instrument => {
                let x = by_key!(d.instruments, id, key)?;
                (x.name.clone(), x.label.as_ref())
            }
        })
    }

    /// A link to the record, named by its name, adding its label to `banner`; a plain text
    /// when the reader has no such record (a non-state party, say).
    pub fn link(&self, kind: Kind, key: &str, banner: &mut Banner) -> Cell {
        match self.find(kind, key) {
            Some((name, label)) => {
                banner.add(label, &self.policies);
                let note = (name != key && kind != Kind::Standard).then(|| key.to_string());
                Cell {
                    text: name,
                    href: Some(links::record(kind, key)),
                    note,
                }
            }
            None => Cell::text(key),
        }
    }

    /// A label's marking as people read it.
    pub fn marking(&self, label: Option<&Label>) -> Option<String> {
        label.map(marking)
    }
}

/// A scalar JSON value as text.
pub fn scalar(lang: Lang, v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => words(lang).yes.into(),
        Value::Bool(false) => words(lang).no.into(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

/// A field's value as cells: references become links.
pub fn cells(
    lang: Lang,
    look: &Lookup,
    kind: Kind,
    row: &Value,
    field: &str,
    banner: &mut Banner,
) -> Vec<Cell> {
    let Some(v) = row.get(field) else {
        return vec![];
    };
    // A transfer's party is a nation only when it is a state.
    let party_is_state = |which: &str| {
        row.get(format!("{which}_kind"))
            .and_then(Value::as_str)
            .is_none_or(|k| k == "state")
    };
    let target = match (kind, field) {
        (Kind::Transfer, "supplier" | "recipient") if party_is_state(field) => Some(Kind::Nation),
        _ => refers_to(kind, field),
    };
    match v {
        Value::Array(items) => items
            .iter()
            .filter(|i| !i.is_object())
            .map(|i| one(lang, look, target, i, banner))
            .collect(),
        Value::Object(_) => vec![],
        Value::String(s) => match enum_label(lang, field, s) {
            Some(label) => vec![Cell::text(label)],
            None => vec![one(lang, look, target, v, banner)],
        },
        v => vec![one(lang, look, target, v, banner)],
    }
}

/// A field's value of one of the model's enums, in `lang`.
fn enum_label(lang: Lang, field: &str, value: &str) -> Option<&'static str> {
    use defcoop_domain::model::{
        BlocKind, ConformanceStatus, Fidelity, GatewayStatus, Lifecycle, ObligationLevel, OrgKind,
        PartyKind, ProfileKind,
    };
    fn in_lang<T: Labelled>(lang: Lang, v: Option<T>) -> Option<&'static str> {
        v.map(|v| v.label(lang.render()))
    }
    // A field name means one enum wherever it stands, but `kind` and `status`, which several
    // kinds have: the value decides (their values do not overlap).
    match field {
        "kind" => in_lang(lang, BlocKind::parse(value))
            .or_else(|| in_lang(lang, OrgKind::parse(value)))
            .or_else(|| in_lang(lang, ProfileKind::parse(value))),
        "status" => in_lang(lang, ConformanceStatus::parse(value))
            .or_else(|| in_lang(lang, GatewayStatus::parse(value))),
        "fidelity" => in_lang(lang, Fidelity::parse(value)),
        "supplier_kind" | "recipient_kind" => in_lang(lang, PartyKind::parse(value)),
        "obligation" => in_lang(lang, ObligationLevel::parse(value)),
        "lifecycle" => in_lang(lang, Lifecycle::parse(value)),
        _ => None,
    }
}

fn one(lang: Lang, look: &Lookup, target: Option<Kind>, v: &Value, banner: &mut Banner) -> Cell {
    match (target, v) {
        (Some(kind), Value::String(key)) => look.link(kind, key, banner),
        _ => Cell::text(scalar(lang, v)),
    }
}

/// A list of nested entries (members, operators, obligations, deliveries) as a table: one
/// column per field, in the order they first appear.
pub fn sub_table(
    lang: Lang,
    look: &Lookup,
    kind: Kind,
    field: &str,
    items: &[Value],
    banner: &mut Banner,
) -> SubTable {
    let mut columns: Vec<String> = Vec::new();
    for item in items {
        if let Value::Object(o) = item {
            for k in o.keys() {
                if !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
    }
    let rows = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|c| cells(lang, look, kind, item, c, banner))
                .collect()
        })
        .collect();
    SubTable {
        label: field_label(lang, field),
        headers: columns.iter().map(|c| field_label(lang, c)).collect(),
        rows,
    }
}

/// Whether a field holds nested entries (a non-empty list of objects).
pub fn is_nested(v: &Value) -> bool {
    matches!(v, Value::Array(items) if items.first().is_some_and(Value::is_object))
}

/// Only links a browser may follow safely: `http` and `https` URLs.
pub fn safe_url(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| url.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_are_followed() {
        assert!(safe_url("https://example.org/x").is_some());
        assert!(safe_url("javascript:alert(1)").is_none());
        assert!(safe_url(" JaVaScRiPt:alert(1)").is_none());
        assert!(safe_url("data:text/html,x").is_none());
    }
}
