//! Arms flows: who delivered how much to whom, from the transfers of one reader's view. Pure:
//! no I/O. The two-column flow diagram (Sankey-like) of them is drawn outside the engine, by
//! the application layer's render module (`defcoop_app::render::flows_svg`).
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
//! empty answer. A bloc's member counts only for the deliveries of the years it was a member
//! (joining and leaving years included: [`Member::in_year`]), unless the query fixes one day
//! ([`FlowQuery::members_on`]): then the members on that day count for every year. A deal of
//! SIPRI's older layout (totals not split by year) counts only if every year it lists is a
//! year of membership. `categories`: the transfer category code (`armoured-vehicles`) or SIPRI's name
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

use defcoop_domain::model::{Dataset, Day, DeliveredIn, Member, PartyKind, Tiv, Transfer};
use defcoop_domain::sipri::{kebab_case, SOURCE_URL};

use crate::EngineError;

/// How many of the largest flows name their parties, unless the query says otherwise.
pub const DEFAULT_TOP: usize = 30;

/// One colour per named supplier (Tableau 10, a qualitative palette readable on white).
pub const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

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
    /// A bloc means its members on this day, for every year; `None`: each year's members.
    pub members_on: Option<Day>,
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
            members_on: None,
        }
    }
}

/// The parties one side's filter accepts: states in every year, states in the years of their
/// bloc memberships, actors.
struct Matcher {
    states: BTreeSet<String>,
    dated: BTreeMap<String, Vec<Member>>,
    actors: BTreeSet<String>,
}

impl Matcher {
    /// Whether the party may count in some year.
    fn accepts(&self, id: &str, kind: PartyKind) -> bool {
        if kind.is_state() {
            self.states.contains(id) || self.dated.contains_key(id)
        } else {
            self.actors.contains(id)
        }
    }

    /// Whether a delivery of `year` to or from the party counts.
    fn accepts_in(&self, id: &str, kind: PartyKind, year: u16) -> bool {
        if kind.is_state() {
            self.states.contains(id)
                || self
                    .dated
                    .get(id)
                    .is_some_and(|ms| ms.iter().any(|m| m.in_year(year)))
        } else {
            self.actors.contains(id)
        }
    }
}

/// Whether a delivery of `year` counts for both sides' filters.
fn counts_in(s: &Option<Matcher>, r: &Option<Matcher>, t: &Transfer, year: u16) -> bool {
    s.as_ref()
        .is_none_or(|m| m.accepts_in(&t.supplier, t.supplier_kind, year))
        && r.as_ref()
            .is_none_or(|m| m.accepts_in(&t.recipient, t.recipient_kind, year))
}

fn matcher(
    data: &Dataset,
    side: &'static str,
    names: &[String],
    members_on: Option<Day>,
    notes: &mut Vec<String>,
) -> Result<Option<Matcher>, EngineError> {
    if names.is_empty() {
        return Ok(None);
    }
    let nations: BTreeSet<&str> = data.nations.iter().map(|n| n.code.as_str()).collect();
    let mut m = Matcher {
        states: BTreeSet::new(),
        dated: BTreeMap::new(),
        actors: BTreeSet::new(),
    };
    for x in names {
        if let Some(bloc) = data.blocs.iter().find(|b| &b.code == x) {
            let mut members = 0;
            for member in &bloc.members {
                if !nations.contains(member.nation.as_str()) {
                    continue;
                }
                match members_on {
                    Some(day) if member.on(day) => {
                        m.states.insert(member.nation.clone());
                    }
                    Some(_) => continue,
                    None => m
                        .dated
                        .entry(member.nation.clone())
                        .or_default()
                        .push(member.clone()),
                }
                members += 1;
            }
            if members == 0 {
                let when = members_on.map(|d| format!(" on {d}")).unwrap_or_default();
                notes.push(format!(
                    "bloc {x} has no member nations in the registry{when}: as a {side} it matches nothing"
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
    let suppliers = matcher(
        data,
        "supplier",
        &query.suppliers,
        query.members_on,
        &mut notes,
    )?;
    let recipients = matcher(
        data,
        "recipient",
        &query.recipients,
        query.members_on,
        &mut notes,
    )?;
    let cats = categories(data, &query.categories)?;

    // A fixed order (by id) however the dataset came.
    let mut transfers: Vec<&Transfer> = data.transfers.iter().collect();
    transfers.sort_by(|a, b| a.id.cmp(&b.id));

    let mut acc: BTreeMap<(&str, PartyKind, &str, PartyKind), Acc> = BTreeMap::new();
    let mut used = Vec::new();
    let (mut first, mut last) = (None::<u16>, None::<u16>);
    let mut straddling = 0usize;
    // Deliveries (or whole older-layout deals) left out: outside the years of membership.
    let mut outside = 0usize;
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
            DeliveredIn::Years(ds) => {
                let all = ds.len();
                let ds: Vec<_> = ds
                    .into_iter()
                    .filter(|d| counts_in(&suppliers, &recipients, t, d.year))
                    .collect();
                outside += all - ds.len();
                if ds.is_empty() {
                    continue;
                }
                (
                    ds.iter()
                        .fold(Amount::default(), |a, d| a.plus(amount(d.tiv))),
                    ds.iter().fold(0u64, |n, d| {
                        n.saturating_add(u64::from(d.number.unwrap_or(0)))
                    }),
                    ds,
                )
            }
            DeliveredIn::Whole { .. }
                if !t
                    .deliveries
                    .iter()
                    .all(|d| counts_in(&suppliers, &recipients, t, d.year)) =>
            {
                outside += 1;
                continue;
            }
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

    if outside > 0 {
        notes.push(format!(
            "{outside} deliveries left out: made in years the state was not a member of the bloc named (a fixed day of membership counts that day's members for every year)"
        ));
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
pub fn and_list(xs: &[String]) -> String {
    match xs {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
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

#[cfg(test)]
pub(crate) mod tests;
