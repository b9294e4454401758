//! Arms flows: who delivered how much to whom, from the transfers of one reader's view, and a
//! two-column flow diagram (Sankey-like) of them as SVG text. Pure: no I/O.
//!
//! # What is counted
//! A **flow** is supplier → recipient, weighted by the TIV **delivered** in the delivery years
//! within `[from, to]` (both inclusive, either optional), with the number of items delivered
//! in those years (the sum of the numbers SIPRI gives; unknown numbers count as nothing) and
//! the number of deals (transfers) with at least one delivery in range. A transfer with no
//! delivery in range does not count at all.
//!
//! # Filters
//! `suppliers` / `recipients`: each is a nation code (`KOR`), a bloc code (`NATO`: its member
//! nations in the view) or the exact name of a non-state or unknown actor that occurs in a
//! transfer; several mean any of them. A name that is none of these is an error, never an
//! empty answer. `categories`: the transfer category code (`armoured-vehicles`) or SIPRI's name
//! (`Armoured vehicles`, kebab-cased). A bloc without visible members matches nothing; that is
//! said in [`Flows::notes`].
//!
//! # Amounts
//! TIVs are summed exactly, as whole TIV units in an `i64` ([`Amount`]: SIPRI counts in
//! millions with at most two decimals, so one unit is 0.000001 million): the sums do not depend
//! on the order of the additions, totals equal the sum of their flows exactly, and rounding for
//! display is done once, on the exact sum, **half away from zero** (1 decimal in tables and
//! SVG, 2 in JSON).
//!
//! # Merging ("Other suppliers", "Other recipients")
//! The parties of the `top` largest flows are named — their suppliers at most
//! [`PALETTE`]`.len()` (the largest by total TIV), so that every named supplier has its own
//! colour. Every other party merges into "Other suppliers" or "Other recipients" and the
//! flows are added up again, so each named party keeps its full total and the grand total is
//! unchanged. Flows between two named parties stay separate even if they rank below `top`.
//! Flows are sorted by TIV descending, then supplier and recipient id; flows involving an
//! "other" party come after the named ones.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use defcoop_domain::model::{Dataset, DeliveredIn, PartyKind, Tiv, Transfer};
use defcoop_domain::sipri::{kebab_case, SOURCE_URL};

use crate::svg::esc;
use crate::EngineError;

/// How many of the largest flows name their parties, unless the query says otherwise.
pub const DEFAULT_TOP: usize = 30;

/// One colour per named supplier (Tableau 10, a qualitative palette readable on white).
pub const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];
const OTHER_COLOUR: &str = "#6b7280";
const RECIPIENT_COLOUR: &str = "#374151";

/// The id and name of the merged parties.
pub const OTHER_SUPPLIERS: &str = "Other suppliers";
pub const OTHER_RECIPIENTS: &str = "Other recipients";

/// An exact amount of TIV in whole TIV units (one unit = 0.000001 of SIPRI's millions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(pub i64);

impl Amount {
    /// From millions of TIV (a `Tiv`), to the nearest unit.
    pub fn from_millions(x: f64) -> Amount {
        Amount((x * 1e6).round() as i64)
    }

    /// In millions (for arithmetic, not for display: see [`Amount::rounded`]).
    pub fn millions(self) -> f64 {
        self.0 as f64 / 1e6
    }

    /// The sum (saturating: an `i64` of TIV units holds 9 trillion million TIV).
    pub fn plus(self, other: Amount) -> Amount {
        Amount(self.0.saturating_add(other.0))
    }

    /// The amount in millions rounded to `decimals` (at most 6) half away from zero, as an
    /// integer count of 10^-decimals millions: `Amount(1_250_000).rounded(1) == 13`.
    pub fn rounded(self, decimals: u32) -> i64 {
        let d = 10i64.pow(6 - decimals.min(6));
        let (q, r) = (self.0 / d, self.0 % d);
        if 2 * r.abs() >= d {
            q + self.0.signum()
        } else {
            q
        }
    }

    /// Rounded as [`Amount::rounded`], as a number (for JSON).
    pub fn to_f64(self, decimals: u32) -> f64 {
        self.rounded(decimals) as f64 / 10f64.powi(decimals.min(6) as i32)
    }

    /// Rounded as [`Amount::rounded`], with thousands separators: `3,912.4`.
    pub fn display(self, decimals: u32) -> String {
        let decimals = decimals.min(6);
        let v = self.rounded(decimals);
        let scale = 10i64.pow(decimals);
        let (int, frac) = (
            v.unsigned_abs() / scale as u64,
            v.unsigned_abs() % scale as u64,
        );
        let mut out = String::new();
        if v < 0 {
            out.push('-');
        }
        out.push_str(&grouped(int));
        if decimals > 0 {
            let _ = write!(out, ".{frac:0width$}", width = decimals as usize);
        }
        out
    }
}

/// A supplier or recipient: a nation code or an actor's name, with its display name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Party {
    /// The nation code of a state, else the actor's name; [`OTHER_SUPPLIERS`] or
    /// [`OTHER_RECIPIENTS`] for merged parties.
    pub id: String,
    /// The nation's name in the registry, or the actor's name.
    pub name: String,
    /// `None` for the merged "other" parties.
    pub kind: Option<PartyKind>,
    /// For an "other" party: how many parties it merges; else 0.
    pub merged: usize,
}

impl Party {
    /// `state`, `non-state`, `unknown` or `other`.
    pub fn kind_str(&self) -> &'static str {
        self.kind.map_or("other", PartyKind::as_str)
    }

    pub fn is_other(&self) -> bool {
        self.kind.is_none()
    }

    fn key(&self) -> (bool, &str, Option<PartyKind>) {
        (self.is_other(), &self.id, self.kind)
    }
}

/// One supplier → recipient flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub supplier: Party,
    pub recipient: Party,
    pub tiv: Amount,
    /// Items delivered (the sum of the known numbers).
    pub items: u64,
    /// Deals with at least one delivery in range.
    pub deals: usize,
}

/// A party's totals over all its flows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    pub party: Party,
    pub tiv: Amount,
    pub items: u64,
    pub deals: usize,
}

/// How much the merging into "other" parties took in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    pub suppliers: usize,
    pub recipients: usize,
    /// Flows (before merging) that went into a flow of an "other" party.
    pub flows: usize,
}

/// The answer: flows, per-party totals and the grand total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flows {
    pub flows: Vec<Flow>,
    /// By TIV descending, then id; "Other suppliers" last.
    pub suppliers: Vec<Total>,
    /// By TIV descending, then id; "Other recipients" last.
    pub recipients: Vec<Total>,
    pub total_tiv: Amount,
    pub total_items: u64,
    pub total_deals: usize,
    /// The years used: the query's bounds, or where a bound is open, the earliest (latest)
    /// delivery year counted; `None` when open and nothing was counted.
    pub years: (Option<u16>, Option<u16>),
    /// The credit: "Source: SIPRI Arms Transfers Database, ..." with the data's date and URL.
    pub source: String,
    pub merged: Merged,
    pub top: usize,
    /// Things worth saying that are not errors (a bloc without visible members).
    pub notes: Vec<String>,
}

/// What to count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowQuery {
    pub suppliers: Vec<String>,
    pub recipients: Vec<String>,
    pub from: Option<u16>,
    pub to: Option<u16>,
    pub categories: Vec<String>,
    /// The parties of this many of the largest flows are named (at least 1).
    pub top: usize,
}

impl Default for FlowQuery {
    fn default() -> Self {
        FlowQuery {
            suppliers: vec![],
            recipients: vec![],
            from: None,
            to: None,
            categories: vec![],
            top: DEFAULT_TOP,
        }
    }
}

/// The parties one side's filter accepts.
struct Matcher {
    states: BTreeSet<String>,
    actors: BTreeSet<String>,
}

impl Matcher {
    fn accepts(&self, id: &str, kind: PartyKind) -> bool {
        if kind.is_state() {
            self.states.contains(id)
        } else {
            self.actors.contains(id)
        }
    }
}

fn matcher(
    data: &Dataset,
    side: &'static str,
    names: &[String],
    notes: &mut Vec<String>,
) -> Result<Option<Matcher>, EngineError> {
    if names.is_empty() {
        return Ok(None);
    }
    let nations: BTreeSet<&str> = data.nations.iter().map(|n| n.code.as_str()).collect();
    let mut m = Matcher {
        states: BTreeSet::new(),
        actors: BTreeSet::new(),
    };
    for x in names {
        if let Some(bloc) = data.blocs.iter().find(|b| &b.code == x) {
            let mut members = 0;
            for member in &bloc.members {
                if nations.contains(member.nation.as_str()) {
                    members += 1;
                    m.states.insert(member.nation.clone());
                }
            }
            if members == 0 {
                notes.push(format!(
                    "bloc {x} has no member nations in the registry: as a {side} it matches nothing"
                ));
            }
        } else if nations.contains(x.as_str()) {
            m.states.insert(x.clone());
        } else if data.transfers.iter().any(|t| {
            (!t.supplier_kind.is_state() && &t.supplier == x)
                || (!t.recipient_kind.is_state() && &t.recipient == x)
        }) {
            m.actors.insert(x.clone());
        } else {
            return Err(EngineError::UnknownParty {
                side,
                name: x.clone(),
            });
        }
    }
    Ok(Some(m))
}

/// The category codes the query names (any of them), or `None` for all.
fn categories(data: &Dataset, names: &[String]) -> Result<Option<BTreeSet<String>>, EngineError> {
    if names.is_empty() {
        return Ok(None);
    }
    let known: BTreeSet<&str> = data.transfers.iter().map(|t| t.category.as_str()).collect();
    let mut out = BTreeSet::new();
    for c in names {
        let code = if known.contains(c.as_str()) {
            c.clone()
        } else {
            kebab_case(c)
        };
        if !known.contains(code.as_str()) {
            return Err(EngineError::UnknownCategory {
                name: c.clone(),
                known: if known.is_empty() {
                    "none: the registry holds no transfers".to_string()
                } else {
                    known.iter().copied().collect::<Vec<_>>().join(", ")
                },
            });
        }
        out.insert(code);
    }
    Ok(Some(out))
}

#[derive(Default)]
struct Acc {
    tiv: Amount,
    items: u64,
    deals: usize,
}

impl Acc {
    fn add(&mut self, tiv: Amount, items: u64, deals: usize) {
        self.tiv = self.tiv.plus(tiv);
        self.items = self.items.saturating_add(items);
        self.deals += deals;
    }
}

fn party(names: &HashMap<&str, &str>, id: &str, kind: PartyKind) -> Party {
    let name = if kind.is_state() {
        names.get(id).copied().unwrap_or(id)
    } else {
        id
    };
    Party {
        id: id.to_string(),
        name: name.to_string(),
        kind: Some(kind),
        merged: 0,
    }
}

fn other(name: &str, merged: usize) -> Party {
    Party {
        id: name.to_string(),
        name: name.to_string(),
        kind: None,
        merged,
    }
}

fn by_tiv_then_parties(a: &Flow, b: &Flow) -> std::cmp::Ordering {
    (a.supplier.is_other() || a.recipient.is_other())
        .cmp(&(b.supplier.is_other() || b.recipient.is_other()))
        .then(b.tiv.cmp(&a.tiv))
        .then_with(|| a.supplier.key().cmp(&b.supplier.key()))
        .then_with(|| a.recipient.key().cmp(&b.recipient.key()))
}

/// Per-party totals of `flows` on one side, by TIV descending then id, "other" last.
fn totals(flows: &[Flow], supplier_side: bool) -> Vec<Total> {
    let mut acc: HashMap<&Party, Acc> = HashMap::new();
    for f in flows {
        let p = if supplier_side {
            &f.supplier
        } else {
            &f.recipient
        };
        acc.entry(p).or_default().add(f.tiv, f.items, f.deals);
    }
    let mut out: Vec<Total> = acc
        .into_iter()
        .map(|(p, a)| Total {
            party: p.clone(),
            tiv: a.tiv,
            items: a.items,
            deals: a.deals,
        })
        .collect();
    out.sort_by(|a, b| {
        a.party
            .is_other()
            .cmp(&b.party.is_other())
            .then(b.tiv.cmp(&a.tiv))
            .then_with(|| a.party.key().cmp(&b.party.key()))
    });
    out
}

/// The credit line for the transfers counted.
fn credit(used: &[&Transfer]) -> String {
    const NAME: &str = "SIPRI Arms Transfers Database";
    let mut titles = BTreeSet::new();
    let mut urls = BTreeSet::new();
    for t in used {
        if let Some(s) = t.sources.first() {
            titles.insert(s.title.as_str());
            if let Some(u) = &s.url {
                urls.insert(u.as_str());
            }
        }
    }
    let mut out = format!("Source: {NAME}");
    for t in titles {
        match t.strip_prefix(NAME) {
            Some(rest) => out.push_str(rest),
            None => {
                out.push_str("; ");
                out.push_str(t);
            }
        }
    }
    if urls.is_empty() {
        urls.insert(SOURCE_URL);
    }
    out.push_str(" — ");
    out.push_str(&urls.into_iter().collect::<Vec<_>>().join(", "));
    out
}

/// The flows of `data`'s transfers that `query` selects. See the module docs.
pub fn flows(data: &Dataset, query: &FlowQuery) -> Result<Flows, EngineError> {
    if let (Some(from), Some(to)) = (query.from, query.to) {
        if from > to {
            return Err(EngineError::BadYears { from, to });
        }
    }
    if query.top == 0 {
        return Err(EngineError::BadQuery("top must be at least 1".to_string()));
    }
    let mut notes = Vec::new();
    let suppliers = matcher(data, "supplier", &query.suppliers, &mut notes)?;
    let recipients = matcher(data, "recipient", &query.recipients, &mut notes)?;
    let cats = categories(data, &query.categories)?;

    // A fixed order (by id) however the dataset came.
    let mut transfers: Vec<&Transfer> = data.transfers.iter().collect();
    transfers.sort_by(|a, b| a.id.cmp(&b.id));

    let mut acc: BTreeMap<(&str, PartyKind, &str, PartyKind), Acc> = BTreeMap::new();
    let mut used = Vec::new();
    let (mut first, mut last) = (None::<u16>, None::<u16>);
    let mut straddling = 0usize;
    for t in transfers {
        if suppliers
            .as_ref()
            .is_some_and(|m| !m.accepts(&t.supplier, t.supplier_kind))
            || recipients
                .as_ref()
                .is_some_and(|m| !m.accepts(&t.recipient, t.recipient_kind))
            || cats.as_ref().is_some_and(|c| !c.contains(&t.category))
        {
            continue;
        }
        let amount = |t: Option<Tiv>| t.map_or(Amount::default(), |x| Amount::from_millions(x.0));
        let (tiv, items, years) = match t.delivered_in(query.from, query.to) {
            DeliveredIn::Years(ds) if ds.is_empty() => continue,
            DeliveredIn::Years(ds) => (
                ds.iter()
                    .fold(Amount::default(), |a, d| a.plus(amount(d.tiv))),
                ds.iter().fold(0u64, |n, d| {
                    n.saturating_add(u64::from(d.number.unwrap_or(0)))
                }),
                ds,
            ),
            DeliveredIn::Whole { tiv, items } => (
                amount(tiv),
                u64::from(items.unwrap_or(0)),
                t.deliveries.iter().collect(),
            ),
            // Totals not split by year that the range cuts: left out, and said so.
            DeliveredIn::Straddling => {
                straddling += 1;
                continue;
            }
        };
        for d in years {
            first = Some(first.map_or(d.year, |y| y.min(d.year)));
            last = Some(last.map_or(d.year, |y| y.max(d.year)));
        }
        used.push(t);
        acc.entry((&t.supplier, t.supplier_kind, &t.recipient, t.recipient_kind))
            .or_default()
            .add(tiv, items, 1);
    }

    if straddling > 0 {
        notes.push(format!(
            "{straddling} deal(s) left out: their deliveries are not split by year (SIPRI's older layout) and not all of their years are in the range"
        ));
    }
    let names: HashMap<&str, &str> = data
        .nations
        .iter()
        .map(|n| (n.code.as_str(), n.name.as_str()))
        .collect();
    let mut all: Vec<Flow> = acc
        .into_iter()
        .map(|((s, sk, r, rk), a)| Flow {
            supplier: party(&names, s, sk),
            recipient: party(&names, r, rk),
            tiv: a.tiv,
            items: a.items,
            deals: a.deals,
        })
        .collect();
    all.sort_by(by_tiv_then_parties);
    let (flows, merged) = merge(all, query.top);

    let suppliers = totals(&flows, true);
    let recipients = totals(&flows, false);
    let mut total = Acc::default();
    for f in &flows {
        total.add(f.tiv, f.items, f.deals);
    }
    Ok(Flows {
        flows,
        suppliers,
        recipients,
        total_tiv: total.tiv,
        total_items: total.items,
        total_deals: total.deals,
        years: (query.from.or(first), query.to.or(last)),
        source: credit(&used),
        merged,
        top: query.top,
        notes,
    })
}

/// A party as a sort and map key: "other" last, then id and kind.
type PartyKey = (bool, String, Option<PartyKind>);

/// Names the parties of the `top` largest flows (suppliers at most `PALETTE.len()`), merges
/// the rest into "other" parties and adds the flows up again. `all` is sorted.
fn merge(all: Vec<Flow>, top: usize) -> (Vec<Flow>, Merged) {
    let supplier_totals = totals(&all, true);
    let rank: HashMap<&Party, usize> = supplier_totals
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.party, i))
        .collect();
    let mut named_suppliers: Vec<&Party> = Vec::new();
    let mut named_recipients: Vec<&Party> = Vec::new();
    for f in all.iter().take(top) {
        if !named_suppliers.contains(&&f.supplier) {
            named_suppliers.push(&f.supplier);
        }
        if !named_recipients.contains(&&f.recipient) {
            named_recipients.push(&f.recipient);
        }
    }
    named_suppliers.sort_by_key(|p| rank.get(p).copied().unwrap_or(usize::MAX));
    named_suppliers.truncate(PALETTE.len());
    let all_suppliers: BTreeSet<(bool, &str, Option<PartyKind>)> =
        all.iter().map(|f| f.supplier.key()).collect();
    let all_recipients: BTreeSet<(bool, &str, Option<PartyKind>)> =
        all.iter().map(|f| f.recipient.key()).collect();
    let merged = Merged {
        suppliers: all_suppliers.len() - named_suppliers.len(),
        recipients: all_recipients.len() - named_recipients.len(),
        flows: 0,
    };
    if merged.suppliers == 0 && merged.recipients == 0 {
        return (all, merged);
    }
    let named_suppliers: BTreeSet<(bool, &str, Option<PartyKind>)> =
        named_suppliers.iter().map(|p| p.key()).collect();
    let named_recipients: BTreeSet<(bool, &str, Option<PartyKind>)> =
        named_recipients.iter().map(|p| p.key()).collect();
    let other_s = other(OTHER_SUPPLIERS, merged.suppliers);
    let other_r = other(OTHER_RECIPIENTS, merged.recipients);
    let mut flows_merged = 0;
    let mut acc: BTreeMap<(PartyKey, PartyKey), (Party, Party, Acc)> = BTreeMap::new();
    for f in &all {
        let s = if named_suppliers.contains(&f.supplier.key()) {
            f.supplier.clone()
        } else {
            other_s.clone()
        };
        let r = if named_recipients.contains(&f.recipient.key()) {
            f.recipient.clone()
        } else {
            other_r.clone()
        };
        if s.is_other() || r.is_other() {
            flows_merged += 1;
        }
        let key = (
            (s.is_other(), s.id.clone(), s.kind),
            (r.is_other(), r.id.clone(), r.kind),
        );
        acc.entry(key)
            .or_insert_with(|| (s, r, Acc::default()))
            .2
            .add(f.tiv, f.items, f.deals);
    }
    let mut out: Vec<Flow> = acc
        .into_values()
        .map(|(supplier, recipient, a)| Flow {
            supplier,
            recipient,
            tiv: a.tiv,
            items: a.items,
            deals: a.deals,
        })
        .collect();
    out.sort_by(by_tiv_then_parties);
    (
        out,
        Merged {
            flows: flows_merged,
            ..merged
        },
    )
}

/// "a", "a and b", "a, b and c".
fn and_list(xs: &[String]) -> String {
    match xs {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A title for the query: "Arms transfers from South Korea to NATO members, 2015–2025 (TIV,
/// millions)". Names what the filters name (nation names from the registry).
pub fn flows_title(data: &Dataset, query: &FlowQuery, f: &Flows) -> String {
    let describe = |xs: &[String]| -> String {
        let names: Vec<String> = xs
            .iter()
            .map(|x| {
                if data.blocs.iter().any(|b| &b.code == x) {
                    format!("{x} members")
                } else if let Some(n) = data.nations.iter().find(|n| &n.code == x) {
                    n.name.clone()
                } else {
                    x.clone()
                }
            })
            .collect();
        and_list(&names)
    };
    let mut t = "Arms transfers".to_string();
    if !query.suppliers.is_empty() {
        let _ = write!(t, " from {}", describe(&query.suppliers));
    }
    if !query.recipients.is_empty() {
        let _ = write!(t, " to {}", describe(&query.recipients));
    }
    if !query.categories.is_empty() {
        let cats: Vec<String> = query
            .categories
            .iter()
            .map(|c| kebab_case(c).replace('-', " "))
            .collect();
        let _ = write!(t, ": {}", and_list(&cats));
    }
    match f.years {
        (Some(a), Some(b)) if a == b => {
            let _ = write!(t, ", {a}");
        }
        (Some(a), Some(b)) => {
            let _ = write!(t, ", {a}–{b}");
        }
        (Some(a), None) => {
            let _ = write!(t, ", from {a}");
        }
        (None, Some(b)) => {
            let _ = write!(t, ", until {b}");
        }
        (None, None) => {}
    }
    t.push_str(" (TIV, millions)");
    t
}

/// A count with thousands separators: `2,873`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// "South Korea → Poland: 3,912.4 TIV, 812 items, 6 deals".
pub fn flow_tooltip(f: &Flow) -> String {
    format!(
        "{} → {}: {} TIV, {}, {}",
        f.supplier.name,
        f.recipient.name,
        f.tiv.display(1),
        plural(f.items, "item", "items"),
        plural(f.deals as u64, "deal", "deals")
    )
}

/// A label for a bar: the name, shortened to `max` characters.
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The flow diagram: suppliers as stacked bars on the left, recipients on the right, bar
/// heights and band widths proportional to TIV, one colour per supplier. Standalone SVG,
/// 1000 px wide, every text escaped.
pub fn flows_svg(f: &Flows, title: &str) -> String {
    const WIDTH: f64 = 1000.0;
    const BAR: f64 = 14.0;
    const LEFT_X: f64 = 300.0;
    const RIGHT_X: f64 = 686.0;
    const SCALE_PX: f64 = 520.0;
    const SLOT: f64 = 18.0;
    const GAP: f64 = 8.0;
    const LABEL_CHARS: usize = 30;

    let colour: HashMap<&Party, &str> = f
        .suppliers
        .iter()
        .filter(|t| !t.party.is_other())
        .zip(PALETTE.iter().cycle())
        .map(|(t, c)| (&t.party, *c))
        .collect();
    let colour_of = |p: &Party| colour.get(p).copied().unwrap_or(OTHER_COLOUR);

    let mut s = String::new();
    let mut body = String::new();

    // Title, explanation, legend.
    let title_size = if title.chars().count() > 90 {
        (18.0 * 90.0 / title.chars().count() as f64).max(11.0)
    } else {
        18.0
    };
    let _ = write!(
        body,
        r##"<text x="20" y="32" font-size="{title_size:.1}" font-weight="bold">{}</text>"##,
        esc(title)
    );
    let _ = write!(
        body,
        r##"<text x="20" y="56" fill="#374151">Band width = TIV delivered (SIPRI trend-indicator value, millions); colours = suppliers. Total {} TIV, {}, {}.</text>"##,
        f.total_tiv.display(1),
        plural(f.total_items, "item", "items"),
        plural(f.total_deals as u64, "deal", "deals")
    );
    let mut lx = 20.0;
    let mut ly = 76.0;
    for t in &f.suppliers {
        let label = short(&t.party.name, 28);
        let w = 24.0 + 6.5 * label.chars().count() as f64 + 16.0;
        if lx + w > WIDTH - 20.0 {
            lx = 20.0;
            ly += 20.0;
        }
        let _ = write!(
            body,
            r##"<rect x="{lx:.1}" y="{:.1}" width="14" height="14" fill="{}"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            ly - 11.0,
            colour_of(&t.party),
            lx + 20.0,
            ly,
            esc(&label)
        );
        lx += w;
    }
    let heads_y = ly + 30.0;
    let _ = write!(
        body,
        r##"<text x="{:.0}" y="{heads_y:.0}" text-anchor="end" font-weight="bold">Suppliers</text><text x="{:.0}" y="{heads_y:.0}" font-weight="bold">Recipients</text>"##,
        LEFT_X + BAR,
        RIGHT_X
    );
    let y0 = heads_y + 14.0;

    let total = f.total_tiv.millions();
    let k = if total > 0.0 { SCALE_PX / total } else { 0.0 };
    // Bar tops and heights, per side.
    let place = |totals: &[Total]| -> (Vec<(f64, f64)>, f64) {
        let mut y = y0;
        let mut out = Vec::new();
        for t in totals {
            let h = t.tiv.millions().max(0.0) * k;
            let slot = h.max(SLOT);
            out.push((y + (slot - h) / 2.0, h));
            y += slot + GAP;
        }
        (out, y)
    };
    let (mut sbars, s_end) = place(&f.suppliers);
    let (mut rbars, r_end) = place(&f.recipients);
    // Centre the shorter column against the taller one.
    let shift = (s_end - r_end) / 2.0;
    let shorter = if shift > 0.0 { &mut rbars } else { &mut sbars };
    for b in shorter.iter_mut() {
        b.0 += shift.abs();
    }
    let index = |totals: &[Total]| -> HashMap<Party, usize> {
        totals
            .iter()
            .enumerate()
            .map(|(i, t)| (t.party.clone(), i))
            .collect()
    };
    let sidx = index(&f.suppliers);
    let ridx = index(&f.recipients);

    if f.flows.is_empty() {
        let _ = write!(
            body,
            r##"<text x="{:.0}" y="{:.0}" text-anchor="middle" fill="#6b7280">No deliveries match these filters.</text>"##,
            WIDTH / 2.0,
            y0 + 30.0
        );
    }

    // Bands: each supplier's outgoing stacked in recipient order, each recipient's incoming in
    // supplier order, so bands do not cross at the bars.
    let mut order: Vec<(usize, usize, &Flow)> = f
        .flows
        .iter()
        .filter_map(|fl| Some((*sidx.get(&fl.supplier)?, *ridx.get(&fl.recipient)?, fl)))
        .collect();
    let mut s_off = vec![0.0; f.suppliers.len()];
    let mut r_off = vec![0.0; f.recipients.len()];
    let mut starts = HashMap::new();
    order.sort_by_key(|(si, ri, _)| (*si, *ri));
    for (si, ri, fl) in &order {
        starts.insert((*si, *ri), sbars[*si].0 + s_off[*si]);
        s_off[*si] += fl.tiv.millions().max(0.0) * k;
    }
    order.sort_by_key(|(si, ri, _)| (*ri, *si));
    let x1 = LEFT_X + BAR;
    let x2 = RIGHT_X;
    let xm = (x1 + x2) / 2.0;
    // Draw the larger bands first so the thin ones stay visible on top.
    let mut bands = Vec::new();
    for (si, ri, fl) in &order {
        let w = fl.tiv.millions().max(0.0) * k;
        let ys = starts.get(&(*si, *ri)).copied().unwrap_or(0.0);
        let yr = rbars[*ri].0 + r_off[*ri];
        r_off[*ri] += w;
        bands.push((w, ys, yr, *fl));
    }
    bands.sort_by(|a, b| b.0.total_cmp(&a.0));
    body.push_str(r##"<g class="bands" fill-opacity="0.5">"##);
    for (w, ys, yr, fl) in bands {
        let c = colour_of(&fl.supplier);
        let _ = write!(
            body,
            r##"<path d="M{x1:.1} {ys:.2}C{xm:.1} {ys:.2} {xm:.1} {yr:.2} {x2:.1} {yr:.2}L{x2:.1} {:.2}C{xm:.1} {:.2} {xm:.1} {:.2} {x1:.1} {:.2}Z" fill="{c}" stroke="{c}" stroke-width="0.5" stroke-opacity="0.8"><title>{}</title></path>"##,
            yr + w,
            yr + w,
            ys + w,
            ys + w,
            esc(&flow_tooltip(fl))
        );
    }
    body.push_str("</g>");

    // Bars and labels.
    let bar = |body: &mut String, t: &Total, (top, h): (f64, f64), left: bool, fill: &str| {
        let x = if left { LEFT_X } else { RIGHT_X };
        let name = if t.party.is_other() {
            format!("{} ({} merged)", t.party.name, t.party.merged)
        } else {
            short(&t.party.name, LABEL_CHARS)
        };
        let tip = format!(
            "{}: {} TIV, {}, {}",
            t.party.name,
            t.tiv.display(1),
            plural(t.items, "item", "items"),
            plural(t.deals as u64, "deal", "deals")
        );
        let _ = write!(
            body,
            r##"<rect x="{x:.0}" y="{top:.2}" width="{BAR:.0}" height="{:.2}" fill="{fill}"><title>{}</title></rect>"##,
            h.max(1.0),
            esc(&tip)
        );
        let (tx, anchor) = if left {
            (x - 6.0, "end")
        } else {
            (x + BAR + 6.0, "start")
        };
        let _ = write!(
            body,
            r##"<text x="{tx:.0}" y="{:.1}" text-anchor="{anchor}">{} <tspan font-weight="bold" fill="#374151">{}</tspan><title>{}</title></text>"##,
            top + h / 2.0 + 4.0,
            esc(&name),
            t.tiv.display(1),
            esc(&tip)
        );
    };
    for (t, b) in f.suppliers.iter().zip(&sbars) {
        bar(&mut body, t, *b, true, colour_of(&t.party));
    }
    for (t, b) in f.recipients.iter().zip(&rbars) {
        bar(&mut body, t, *b, false, RECIPIENT_COLOUR);
    }

    // Footer: merging and the source.
    let mut y = s_end.max(r_end) + 20.0;
    if f.merged.suppliers + f.merged.recipients > 0 {
        let mut parts = Vec::new();
        if f.merged.suppliers > 0 {
            parts.push(format!(
                "{} merged into \"{OTHER_SUPPLIERS}\"",
                plural(f.merged.suppliers as u64, "supplier", "suppliers")
            ));
        }
        if f.merged.recipients > 0 {
            parts.push(format!(
                "{} merged into \"{OTHER_RECIPIENTS}\"",
                plural(f.merged.recipients as u64, "recipient", "recipients")
            ));
        }
        let _ = write!(
            body,
            r##"<text x="20" y="{y:.0}" font-size="11" fill="#374151">{} ({} in all; named: the parties of the {} largest flows, at most {} suppliers).</text>"##,
            esc(&and_list(&parts)),
            plural(f.merged.flows as u64, "flow", "flows"),
            f.top,
            PALETTE.len()
        );
        y += 18.0;
    }
    let _ = write!(
        body,
        r##"<text x="20" y="{y:.0}" font-size="11" fill="#374151">{}</text>"##,
        esc(&f.source)
    );
    let height = y + 20.0;

    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0}" height="{height:.0}" viewBox="0 0 {WIDTH:.0} {height:.0}" font-family="sans-serif" font-size="12">"##
    );
    let _ = write!(
        s,
        r##"<title>{}</title><style>.bands path:hover{{fill-opacity:0.9}}</style><rect width="100%" height="100%" fill="white"/>"##,
        esc(title)
    );
    s.push_str(&body);
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use defcoop_domain::model::{Bloc, Delivery, Member, Nation, Source, Tiv};

    fn nation(code: &str, name: &str) -> Nation {
        Nation {
            code: code.into(),
            name: name.into(),
            label: None,
            sources: vec![],
            illustrative: false,
        }
    }

    fn delivery(year: u16, number: Option<u32>, tiv: f64) -> Delivery {
        Delivery {
            year,
            year_estimated: false,
            number,
            number_estimated: false,
            tiv: Some(Tiv(tiv)),
        }
    }

    fn transfer(
        id: &str,
        supplier: (&str, PartyKind),
        recipient: (&str, PartyKind),
        category: &str,
        deliveries: Vec<Delivery>,
    ) -> Transfer {
        Transfer {
            id: id.into(),
            sipri_id: None,
            supplier: supplier.0.into(),
            supplier_kind: supplier.1,
            recipient: recipient.0.into(),
            recipient_kind: recipient.1,
            system: None,
            designation: "X".into(),
            description: None,
            category: category.into(),
            ordered: None,
            ordered_estimated: false,
            number_ordered: None,
            number_ordered_estimated: false,
            status: None,
            tiv_unit: None,
            tiv_deal_unit: None,
            local_production: false,
            deliveries,
            delivered: None,
            delivered_estimated: false,
            tiv_delivered: None,
            label: None,
            sources: vec![Source {
                title: "SIPRI Arms Transfers Database, trade register (data generated 1 Jan 2026)"
                    .into(),
                url: Some(SOURCE_URL.into()),
            }],
            illustrative: false,
        }
    }

    const S: PartyKind = PartyKind::State;
    const NS: PartyKind = PartyKind::NonState;
    const UN: PartyKind = PartyKind::Unknown;

    fn data() -> Dataset {
        let mut d = Dataset {
            nations: vec![
                nation("KOR", "South Korea"),
                nation("POL", "Poland"),
                nation("NOR", "Norway"),
                nation("USA", "United States"),
                nation("FRA", "France"),
            ],
            blocs: vec![
                Bloc {
                    code: "NATO".into(),
                    name: "North Atlantic Treaty Organization".into(),
                    members: vec![
                        Member {
                            nation: "POL".into(),
                            since: None,
                        },
                        Member {
                            nation: "NOR".into(),
                            since: None,
                        },
                    ],
                    label: None,
                    sources: vec![],
                    illustrative: false,
                },
                Bloc {
                    code: "EU".into(),
                    name: "European Union".into(),
                    members: vec![],
                    label: None,
                    sources: vec![],
                    illustrative: false,
                },
            ],
            transfers: vec![
                transfer(
                    "t1",
                    ("KOR", S),
                    ("POL", S),
                    "artillery",
                    vec![
                        delivery(2022, Some(24), 104.16),
                        delivery(2023, Some(48), 208.32),
                        delivery(2024, None, 260.4),
                    ],
                ),
                transfer(
                    "t2",
                    ("KOR", S),
                    ("POL", S),
                    "aircraft",
                    vec![delivery(2023, Some(12), 197.4)],
                ),
                transfer(
                    "t3",
                    ("KOR", S),
                    ("NOR", S),
                    "armoured-vehicles",
                    vec![delivery(2019, Some(4), 10.05), delivery(2021, Some(2), 0.1)],
                ),
                transfer(
                    "t4",
                    ("USA", S),
                    ("POL", S),
                    "aircraft",
                    vec![delivery(2024, Some(1), 50.0)],
                ),
                transfer(
                    "t5",
                    ("Belarus rebels*", NS),
                    ("unknown recipient(s)", UN),
                    "aircraft",
                    vec![delivery(2015, Some(3), 0.6)],
                ),
                transfer(
                    "t6",
                    ("FRA", S),
                    ("OSCE**", NS),
                    "aircraft",
                    vec![delivery(2010, Some(1), 1.0)],
                ),
                // Ordered, nothing delivered.
                transfer("t7", ("KOR", S), ("POL", S), "missiles", vec![]),
            ],
            ..Dataset::default()
        };
        d.normalize();
        d
    }

    fn q() -> FlowQuery {
        FlowQuery::default()
    }

    fn strs(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn amounts_round_half_away_from_zero() {
        assert_eq!(Amount::from_millions(1.25).rounded(1), 13);
        assert_eq!(
            Amount::from_millions(1.15).rounded(1),
            12,
            "1.15 is not 1.1499.."
        );
        assert_eq!(Amount::from_millions(-1.25).rounded(1), -13);
        assert_eq!(Amount::from_millions(1.24).rounded(1), 12);
        assert_eq!(Amount::from_millions(0.005).to_f64(2), 0.01);
        assert_eq!(Amount::from_millions(3912.44).display(1), "3,912.4");
        assert_eq!(Amount::from_millions(1234567.0).display(2), "1,234,567.00");
        assert_eq!(Amount::from_millions(999.96).display(1), "1,000.0");
        assert_eq!(Amount::from_millions(-0.04).display(1), "0.0");
        // 0.1 + 0.2 summed exactly.
        let s = Amount::from_millions(0.1).plus(Amount::from_millions(0.2));
        assert_eq!(s, Amount::from_millions(0.3));
    }

    #[test]
    fn totals_not_split_by_year_count_only_when_all_their_years_are_in_range() {
        let mut t = transfer(
            "old",
            ("KOR", PartyKind::State),
            ("POL", PartyKind::State),
            "artillery",
            vec![
                Delivery {
                    year: 2019,
                    year_estimated: false,
                    number: None,
                    number_estimated: false,
                    tiv: None,
                },
                Delivery {
                    year: 2020,
                    year_estimated: false,
                    number: None,
                    number_estimated: false,
                    tiv: None,
                },
            ],
        );
        t.delivered = Some(10);
        t.tiv_delivered = Some(Tiv(40.0));
        let data = Dataset {
            nations: vec![nation("KOR", "Korea"), nation("POL", "Poland")],
            transfers: vec![t],
            ..Dataset::default()
        };
        let q = |from, to| FlowQuery {
            from,
            to,
            ..FlowQuery::default()
        };
        let all = flows(&data, &q(None, None)).unwrap();
        assert_eq!(
            (all.total_tiv, all.total_items),
            (Amount::from_millions(40.0), 10)
        );
        let inside = flows(&data, &q(Some(2019), Some(2020))).unwrap();
        assert_eq!(inside.total_tiv, Amount::from_millions(40.0));
        let straddle = flows(&data, &q(Some(2020), None)).unwrap();
        assert!(straddle.flows.is_empty());
        assert!(
            straddle
                .notes
                .iter()
                .any(|n| n.contains("not split by year")),
            "{:?}",
            straddle.notes
        );
        let outside = flows(&data, &q(Some(2021), None)).unwrap();
        assert!(outside.flows.is_empty() && outside.notes.is_empty());
    }

    #[test]
    fn year_bounds_are_inclusive() {
        let d = data();
        let f = flows(
            &d,
            &FlowQuery {
                suppliers: strs(&["KOR"]),
                from: Some(2023),
                to: Some(2023),
                ..q()
            },
        )
        .unwrap();
        assert_eq!(f.flows.len(), 1);
        let kp = &f.flows[0];
        assert_eq!(
            (kp.supplier.id.as_str(), kp.recipient.id.as_str()),
            ("KOR", "POL")
        );
        assert_eq!(kp.tiv, Amount::from_millions(208.32 + 197.4));
        assert_eq!(kp.items, 60);
        assert_eq!(kp.deals, 2);
        assert_eq!(f.years, (Some(2023), Some(2023)));

        let f = flows(
            &d,
            &FlowQuery {
                suppliers: strs(&["KOR"]),
                from: Some(2022),
                to: Some(2024),
                ..q()
            },
        )
        .unwrap();
        assert_eq!(f.flows.len(), 1, "Norway's deliveries (2019, 2021) are out");
        assert_eq!(f.flows[0].tiv.to_f64(2), 770.28);
        assert_eq!(
            f.flows[0].items,
            24 + 48 + 12,
            "unknown numbers count as nothing"
        );
        // The undelivered deal t7 never counts.
        assert_eq!(f.flows[0].deals, 2);

        // Open bounds report the years actually used.
        let f = flows(
            &d,
            &FlowQuery {
                suppliers: strs(&["KOR"]),
                ..q()
            },
        )
        .unwrap();
        assert_eq!(f.years, (Some(2019), Some(2024)));
        let f = flows(
            &d,
            &FlowQuery {
                to: Some(2016),
                ..q()
            },
        )
        .unwrap();
        assert_eq!(f.years, (Some(2010), Some(2016)));
    }

    #[test]
    fn blocs_expand_to_their_visible_members() {
        let d = data();
        let f = flows(
            &d,
            &FlowQuery {
                recipients: strs(&["NATO"]),
                ..q()
            },
        )
        .unwrap();
        let pairs: Vec<(&str, &str)> = f
            .flows
            .iter()
            .map(|f| (f.supplier.id.as_str(), f.recipient.id.as_str()))
            .collect();
        assert_eq!(pairs, [("KOR", "POL"), ("USA", "POL"), ("KOR", "NOR")]);
        assert_eq!(f.flows[0].recipient.name, "Poland");
        assert!(f.notes.is_empty());
        // A bloc without members matches nothing, and says so.
        let f = flows(
            &d,
            &FlowQuery {
                recipients: strs(&["EU"]),
                ..q()
            },
        )
        .unwrap();
        assert!(f.flows.is_empty());
        assert_eq!(f.total_tiv, Amount(0));
        assert!(f.notes[0].contains("bloc EU"), "{:?}", f.notes);
        // Repeated filters mean any of them.
        let f = flows(
            &d,
            &FlowQuery {
                suppliers: strs(&["USA", "FRA"]),
                ..q()
            },
        )
        .unwrap();
        assert_eq!(f.flows.len(), 2);
    }

    #[test]
    fn non_state_and_unknown_parties_are_kept_and_can_be_named() {
        let d = data();
        let f = flows(&d, &q()).unwrap();
        let rebels = f
            .flows
            .iter()
            .find(|f| f.supplier.id == "Belarus rebels*")
            .unwrap();
        assert_eq!(rebels.supplier.kind, Some(PartyKind::NonState));
        assert_eq!(rebels.recipient.kind_str(), "unknown");
        assert_eq!(rebels.recipient.name, "unknown recipient(s)");
        let f = flows(
            &d,
            &FlowQuery {
                recipients: strs(&["OSCE**"]),
                ..q()
            },
        )
        .unwrap();
        assert_eq!(f.flows.len(), 1);
        assert_eq!(f.flows[0].supplier.name, "France");
    }

    #[test]
    fn unknown_filters_are_errors() {
        let d = data();
        let e = flows(
            &d,
            &FlowQuery {
                suppliers: strs(&["XYZ"]),
                ..q()
            },
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown supplier \"XYZ\" (not a nation code, bloc code or actor name)"
        );
        let e = flows(
            &d,
            &FlowQuery {
                recipients: strs(&["POL", "Atlantis"]),
                ..q()
            },
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("unknown recipient \"Atlantis\""));
        let e = flows(
            &d,
            &FlowQuery {
                categories: strs(&["ships"]),
                ..q()
            },
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown category \"ships\" (known: aircraft, armoured-vehicles, artillery, missiles)"
        );
        let e = flows(
            &d,
            &FlowQuery {
                from: Some(2025),
                to: Some(2015),
                ..q()
            },
        )
        .unwrap_err();
        assert!(matches!(e, EngineError::BadYears { .. }), "{e}");
        assert!(flows(&d, &FlowQuery { top: 0, ..q() }).is_err());
    }

    #[test]
    fn categories_by_code_or_sipri_name() {
        let d = data();
        for c in ["armoured-vehicles", "Armoured vehicles"] {
            let f = flows(
                &d,
                &FlowQuery {
                    categories: strs(&[c]),
                    ..q()
                },
            )
            .unwrap();
            assert_eq!(f.flows.len(), 1, "{c}");
            assert_eq!(f.flows[0].recipient.id, "NOR");
            assert_eq!(f.flows[0].tiv.display(1), "10.2", "10.15 rounds up");
        }
    }

    #[test]
    fn ordering_is_deterministic_and_totals_add_up() {
        let mut d = data();
        // Ties on TIV break by supplier then recipient id.
        d.transfers.push(transfer(
            "t8",
            ("FRA", S),
            ("NOR", S),
            "aircraft",
            vec![delivery(2024, Some(1), 50.0)],
        ));
        let a = flows(&d, &q()).unwrap();
        d.transfers.reverse();
        let b = flows(&d, &q()).unwrap();
        assert_eq!(a, b, "input order does not matter");
        let tiv: Vec<i64> = a.flows.iter().map(|f| f.tiv.0).collect();
        assert!(tiv.windows(2).all(|w| w[0] >= w[1]), "{tiv:?}");
        let fifty: Vec<(&str, &str)> = a
            .flows
            .iter()
            .filter(|f| f.tiv == Amount::from_millions(50.0))
            .map(|f| (f.supplier.id.as_str(), f.recipient.id.as_str()))
            .collect();
        assert_eq!(fifty, [("FRA", "NOR"), ("USA", "POL")]);

        let sum = a.flows.iter().fold(Amount(0), |s, f| s.plus(f.tiv));
        assert_eq!(a.total_tiv, sum);
        let by_s = a.suppliers.iter().fold(Amount(0), |s, t| s.plus(t.tiv));
        let by_r = a.recipients.iter().fold(Amount(0), |s, t| s.plus(t.tiv));
        assert_eq!((by_s, by_r), (sum, sum));
        assert_eq!(a.total_items, a.flows.iter().map(|f| f.items).sum::<u64>());
        assert_eq!(a.total_deals, 7, "t7 has no delivery");
        assert_eq!(a.suppliers[0].party.id, "KOR");
        assert_eq!(
            a.source,
            format!(
                "Source: SIPRI Arms Transfers Database, trade register (data generated 1 Jan 2026) — {SOURCE_URL}"
            )
        );
    }

    #[test]
    fn merging_into_other_keeps_the_total() {
        let d = data();
        let all = flows(&d, &q()).unwrap();
        assert_eq!(all.merged, Merged::default());
        let top = flows(&d, &FlowQuery { top: 2, ..q() }).unwrap();
        // The two largest flows are KOR → POL and USA → POL.
        let named: Vec<&str> = top.suppliers.iter().map(|t| t.party.id.as_str()).collect();
        assert_eq!(named, ["KOR", "USA", OTHER_SUPPLIERS]);
        assert_eq!(top.merged.suppliers, 2, "FRA, Belarus rebels*");
        assert_eq!(top.merged.recipients, 3, "NOR, OSCE**, unknown");
        assert_eq!(top.merged.flows, 3);
        assert_eq!(top.total_tiv, all.total_tiv);
        assert_eq!(top.total_items, all.total_items);
        assert_eq!(top.total_deals, all.total_deals);
        // Named parties keep their full totals.
        let kor = |f: &Flows| {
            f.suppliers
                .iter()
                .find(|t| t.party.id == "KOR")
                .map(|t| t.tiv)
        };
        assert_eq!(kor(&top), kor(&all));
        let other = top.recipients.last().unwrap();
        assert!(other.party.is_other());
        assert_eq!(other.party.merged, 3);
        // Flows with an "other" party come last.
        assert!(top.flows.last().unwrap().recipient.is_other());
        let sum = top.flows.iter().fold(Amount(0), |s, f| s.plus(f.tiv));
        assert_eq!(sum, top.total_tiv);
    }

    #[test]
    fn suppliers_beyond_the_palette_merge() {
        let mut d = data();
        for i in 0..12u8 {
            let code = format!("AA{}", (b'A' + i) as char);
            d.nations.push(nation(&code, &code));
            d.transfers.push(transfer(
                &format!("x{i}"),
                (&code, S),
                ("POL", S),
                "aircraft",
                vec![delivery(2020, Some(1), 1.0 + f64::from(i))],
            ));
        }
        d.normalize();
        let f = flows(&d, &FlowQuery { top: 100, ..q() }).unwrap();
        let named = f.suppliers.iter().filter(|t| !t.party.is_other()).count();
        assert_eq!(named, PALETTE.len());
        assert_eq!(f.merged.suppliers, 16 - PALETTE.len());
        assert_eq!(f.merged.recipients, 0);
        let delivered = d
            .transfers
            .iter()
            .flat_map(|t| &t.deliveries)
            .filter_map(|x| x.tiv)
            .fold(Amount(0), |s, x| s.plus(Amount::from_millions(x.0)));
        assert_eq!(f.total_tiv, delivered);
    }

    #[test]
    fn title_names_the_filters() {
        let d = data();
        let query = FlowQuery {
            suppliers: strs(&["KOR"]),
            recipients: strs(&["NATO", "OSCE**"]),
            from: Some(2015),
            to: Some(2025),
            ..q()
        };
        let f = flows(&d, &query).unwrap();
        assert_eq!(
            flows_title(&d, &query, &f),
            "Arms transfers from South Korea to NATO members and OSCE**, 2015–2025 (TIV, millions)"
        );
    }

    /// Tags balance, the texts are there, and `&` is escaped.
    #[test]
    fn svg_is_well_formed_with_title_legend_tooltips_and_source() {
        let mut d = data();
        d.transfers.push(transfer(
            "t9",
            ("Hamas & co*", NS),
            ("POL", S),
            "aircraft",
            vec![delivery(2020, Some(2), 3.0)],
        ));
        let f = flows(&d, &FlowQuery { top: 3, ..q() }).unwrap();
        let svg = flows_svg(&f, "Transfers <all> & more");
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg""#));
        assert!(svg.ends_with("</svg>\n"));
        assert!(svg.contains("Transfers &lt;all&gt; &amp; more"));
        assert!(!svg.contains("Hamas & co"), "escaped");
        assert!(svg.contains("Band width = TIV delivered"));
        assert!(svg.contains("colours = suppliers"));
        assert!(svg.contains("Source: SIPRI Arms Transfers Database"));
        assert!(svg.contains("South Korea → Poland: 770.3 TIV, 84 items, 2 deals"));
        assert!(svg.contains("Other recipients ("));
        assert!(svg.contains("merged into"));
        // Balanced tags.
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg.as_str();
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            let end = rest.find('>').expect("tag closes");
            let tag = &rest[..end];
            rest = &rest[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "closing {name}");
            } else if !tag.ends_with('/') {
                let name = tag.split([' ', '>']).next().unwrap_or("");
                stack.push(name.to_string());
            }
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        // Every text between tags has no raw '&' but entities.
        for chunk in svg.split('&').skip(1) {
            assert!(
                ["amp;", "lt;", "gt;", "quot;"]
                    .iter()
                    .any(|e| chunk.starts_with(e)),
                "raw & before {:?}",
                &chunk[..chunk.len().min(20)]
            );
        }
    }

    #[test]
    fn svg_of_nothing_says_so() {
        let d = data();
        let f = flows(
            &d,
            &FlowQuery {
                recipients: strs(&["EU"]),
                ..q()
            },
        )
        .unwrap();
        let svg = flows_svg(&f, "EU");
        assert!(svg.contains("No deliveries match"));
        assert!(svg.ends_with("</svg>\n"));
    }
}
