//! Matching needs and offers (docs/MATCHMAKING.md "Matching"): the offers for a need, or the
//! needs for an offer, ranked by a score out of 100 made of five parts, each shown with what
//! it was computed from:
//!
//! | part | points | from |
//! |---|---|---|
//! | area | 25 | the same capability area |
//! | text | 30 | BM25 text relevance, as a share of the query's own score ([`super::text`]) |
//! | trl | 15 | the readiness ranges: 15 when they overlap, 5 fewer per level between them |
//! | cooperation | 15 | engagements, arms transfers and systems operated in common between the two owners' nations |
//! | synergy | 15 | the interoperability engine: how many levels the need side's fleet gains with the offer side's fleet when the need's systems adopt the offer's standards |
//!
//! Everything is read from one reader's view, so a record they may not see adds nothing and is
//! never named. Pure: no I/O; the day blocs are read on is given.
//!
//! Ranking is exact: the first four parts are computed for every candidate; the engine, which
//! costs most, runs in the order of those partial scores only while a candidate could still
//! enter the top (its partial score plus the synergy's 15 points reaches the last one kept),
//! and at most [`MAX_SYNERGY_RUNS`] times; when that limit cuts the ranking short, the answer
//! says so (`exact: false`).

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use defcoop_domain::matchmaking::{Need, Offer, Party, Trl};
use defcoop_domain::model::{ConformanceStatus, Dataset, Day, PartyKind};
use defcoop_engine::{matrix, Action, Counts, NoProgress, Snapshot};
use serde::Serialize;

use super::ranker::Ranker;
use super::text::{document_terms, TextIndex};

pub const AREA: f64 = 25.0;
pub const TEXT: f64 = 30.0;
pub const TRL: f64 = 15.0;
pub const COOPERATION: f64 = 15.0;
pub const SYNERGY: f64 = 15.0;
/// Engine runs of one ranking at most.
pub const MAX_SYNERGY_RUNS: usize = 500;
/// Matches one ranking returns at most.
pub const MAX_TOP: usize = 100;
/// Records named in one part's explanation at most.
const NAMED: usize = 5;

/// Needs or offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Need,
    Offer,
}

impl Side {
    pub fn other(self) -> Side {
        match self {
            Side::Need => Side::Offer,
            Side::Offer => Side::Need,
        }
    }
}

/// What matching reads of a need or an offer.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    pub id: &'a str,
    pub area: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub keywords: &'a [String],
    pub trl: Option<Trl>,
    pub owner: &'a Party,
    pub systems: &'a [String],
    pub standards: &'a [String],
}

impl<'a> From<&'a Need> for Ask<'a> {
    fn from(n: &'a Need) -> Self {
        Ask {
            id: &n.id,
            area: &n.area,
            title: &n.title,
            description: n.description.as_deref(),
            keywords: &n.keywords,
            trl: n.trl,
            owner: &n.owner,
            systems: &n.systems,
            standards: &n.standards,
        }
    }
}

impl<'a> From<&'a Offer> for Ask<'a> {
    fn from(o: &'a Offer) -> Self {
        Ask {
            id: &o.id,
            area: &o.area,
            title: &o.title,
            description: o.description.as_deref(),
            keywords: &o.keywords,
            trl: o.trl,
            owner: &o.owner,
            systems: &o.systems,
            standards: &o.standards,
        }
    }
}

impl Ask<'_> {
    pub(super) fn terms(&self) -> Vec<String> {
        document_terms(self.title, self.keywords, self.description)
    }
}

/// The need or offer at `at` (in the view's order).
pub(super) fn ask(data: &Dataset, side: Side, at: usize) -> Ask<'_> {
    match side {
        Side::Need => Ask::from(&data.needs[at]),
        Side::Offer => Ask::from(&data.offers[at]),
    }
}

pub(super) fn count(data: &Dataset, side: Side) -> usize {
    match side {
        Side::Need => data.needs.len(),
        Side::Offer => data.offers.len(),
    }
}

/// What one view's rankings share, built once per view: the text indexes and each
/// engagement's nations.
#[derive(Debug)]
pub struct Corpus {
    needs: TextIndex,
    offers: TextIndex,
    /// Per engagement (view order): the nations of its participants' organizations.
    engagement_nations: Vec<BTreeSet<String>>,
    /// The distinct owners of needs and offers, and each need's and offer's among them.
    pub(super) owners: Vec<Party>,
    need_owner: Vec<u32>,
    offer_owner: Vec<u32>,
}

impl Corpus {
    pub fn build(data: &Dataset) -> Corpus {
        let org_nation: HashMap<&str, &str> = data
            .organizations
            .iter()
            .map(|o| (o.id.as_str(), o.nation.as_str()))
            .collect();
        let person_nation: HashMap<&str, &str> = data
            .people
            .iter()
            .filter_map(|p| Some((p.id.as_str(), *org_nation.get(p.organization.as_str())?)))
            .collect();
        let mut owners: Vec<Party> = Vec::new();
        let mut seen: HashMap<&Party, u32> = HashMap::new();
        let mut need_owner = Vec::with_capacity(data.needs.len());
        let mut offer_owner = Vec::with_capacity(data.offers.len());
        for (p, out) in data
            .needs
            .iter()
            .map(|n| (&n.owner, 0u8))
            .chain(data.offers.iter().map(|o| (&o.owner, 1u8)))
        {
            let next = seen.len() as u32;
            let i = *seen.entry(p).or_insert_with(|| {
                owners.push(p.clone());
                next
            });
            if out == 0 {
                need_owner.push(i);
            } else {
                offer_owner.push(i);
            }
        }
        Corpus {
            owners,
            need_owner,
            offer_owner,
            needs: TextIndex::build(data.needs.iter().map(|n| Ask::from(n).terms())),
            offers: TextIndex::build(data.offers.iter().map(|o| Ask::from(o).terms())),
            engagement_nations: data
                .engagements
                .iter()
                .map(|e| {
                    e.participants
                        .iter()
                        .filter_map(|p| person_nation.get(p.as_str()))
                        .map(|n| n.to_string())
                        .collect()
                })
                .collect(),
        }
    }

    pub(super) fn owner(&self, side: Side, at: usize) -> usize {
        match side {
            Side::Need => self.need_owner[at] as usize,
            Side::Offer => self.offer_owner[at] as usize,
        }
    }

    pub(super) fn index(&self, side: Side) -> &TextIndex {
        match side {
            Side::Need => &self.needs,
            Side::Offer => &self.offers,
        }
    }
}

/// One part of a score, with what it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum Part {
    /// `same`: both are in `area`; else the candidate is in `other`.
    Area {
        points: f64,
        max: f64,
        same: bool,
        area: String,
        other: String,
    },
    /// `share` of the query's own BM25 score; `terms`: the query's terms the candidate has.
    Text {
        points: f64,
        max: f64,
        share: f64,
        terms: Vec<String>,
    },
    /// `gap`: levels between the two ranges (0 when they overlap); absent when either TRL is
    /// not given.
    Trl {
        points: f64,
        max: f64,
        need: Option<Trl>,
        offer: Option<Trl>,
        gap: Option<u8>,
    },
    /// Counts of each kind of cooperation between the owners' nations, with the first few
    /// named.
    Cooperation {
        points: f64,
        max: f64,
        engagements: usize,
        transfers: usize,
        systems: usize,
        named_engagements: Vec<String>,
        named_systems: Vec<String>,
    },
    /// `gains[k]`: more (system, system, domain) triples between the need side's fleet and the
    /// offer side's at level k + 1 or above once the need's systems adopt the offer's
    /// standards (or test those they claim); `steps`: their sum. `standards`: the offer's
    /// standards some system of the need side could adopt or test.
    Synergy {
        points: f64,
        max: f64,
        steps: u64,
        gains: [u64; 3],
        standards: Vec<String>,
        need_fleet: usize,
        offer_fleet: usize,
    },
}

impl Part {
    pub fn points(&self) -> f64 {
        match self {
            Part::Area { points, .. }
            | Part::Text { points, .. }
            | Part::Trl { points, .. }
            | Part::Cooperation { points, .. }
            | Part::Synergy { points, .. } => *points,
        }
    }
}

/// One ranked candidate.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub id: String,
    pub title: String,
    pub owner: Party,
    /// Out of 100, the sum of the parts (rounded to a tenth).
    pub score: f64,
    pub parts: Vec<Part>,
}

/// The ranking of one need's offers or one offer's needs.
#[derive(Debug, Clone, Serialize)]
pub struct Matches {
    /// What was matched: a need (then the matches are offers) or an offer.
    pub of: Side,
    pub id: String,
    pub title: String,
    /// Candidates scored (every offer, or every need, of the view).
    pub candidates: usize,
    /// How many candidates the engine rated for the synergy part.
    pub synergy_runs: usize,
    /// Whether the order is exact (the engine ran for every candidate that could enter).
    pub exact: bool,
    pub matches: Vec<Match>,
}

pub(super) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The nations of a party on `day`: a bloc's members then, a nation, an organization's nation.
pub(super) fn nations_of(data: &Dataset, p: &Party, day: Day) -> BTreeSet<String> {
    if let Some(code) = &p.bloc {
        data.blocs
            .iter()
            .filter(|b| &b.code == code)
            .flat_map(|b| b.members.iter().filter(|m| m.on(day)))
            .map(|m| m.nation.clone())
            .collect()
    } else if let Some(n) = &p.nation {
        BTreeSet::from([n.clone()])
    } else if let Some(o) = &p.organization {
        data.organizations
            .iter()
            .filter(|x| &x.id == o)
            .map(|x| x.nation.clone())
            .collect()
    } else {
        BTreeSet::new()
    }
}

pub(super) fn trl_part(need: Option<Trl>, offer: Option<Trl>) -> Part {
    let gap = match (need, offer) {
        (Some(a), Some(b)) => Some(if a.max < b.min {
            b.min - a.max
        } else {
            a.min.saturating_sub(b.max)
        }),
        _ => None,
    };
    let points = gap.map_or(0.0, |g| (TRL - 5.0 * f64::from(g)).max(0.0));
    Part::Trl {
        points,
        max: TRL,
        need,
        offer,
        gap,
    }
}

/// Records linking the query's nations to each other nation (`links[nation]`): engagements
/// with participants of both, transfers between them, systems both operate. Built once per
/// ranking, read per candidate owner.
#[derive(Default)]
pub(super) struct Links {
    engagements: HashMap<String, Vec<u32>>,
    transfers: HashMap<String, Vec<u32>>,
    systems: HashMap<String, Vec<u32>>,
}

impl Links {
    pub(super) fn new(data: &Dataset, corpus: &Corpus, mine: &BTreeSet<String>) -> Links {
        fn link(map: &mut HashMap<String, Vec<u32>>, other: &str, at: usize) {
            let list = map.entry(other.to_string()).or_default();
            if list.last() != Some(&(at as u32)) {
                list.push(at as u32);
            }
        }
        let mut links = Links::default();
        for (at, nations) in corpus.engagement_nations.iter().enumerate() {
            for x in nations.intersection(mine) {
                for y in nations.iter().filter(|y| *y != x) {
                    link(&mut links.engagements, y, at);
                }
            }
        }
        for (at, t) in data.transfers.iter().enumerate() {
            if t.supplier_kind != PartyKind::State
                || t.recipient_kind != PartyKind::State
                || t.supplier == t.recipient
            {
                continue;
            }
            if mine.contains(&t.supplier) {
                link(&mut links.transfers, &t.recipient, at);
            }
            if mine.contains(&t.recipient) {
                link(&mut links.transfers, &t.supplier, at);
            }
        }
        for (at, s) in data.systems.iter().enumerate() {
            for x in s.operators.iter().filter(|o| mine.contains(&o.nation)) {
                for y in s.operators.iter().filter(|o| o.nation != x.nation) {
                    link(&mut links.systems, &y.nation, at);
                }
            }
        }
        links
    }

    fn union(map: &HashMap<String, Vec<u32>>, theirs: &BTreeSet<String>) -> Vec<u32> {
        let mut all: Vec<u32> = theirs
            .iter()
            .filter_map(|n| map.get(n))
            .flatten()
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    pub(super) fn part(&self, data: &Dataset, theirs: &BTreeSet<String>) -> Part {
        let e = Links::union(&self.engagements, theirs);
        let t = Links::union(&self.transfers, theirs);
        let s = Links::union(&self.systems, theirs);
        let share = |n: usize, full: f64| (n as f64 / full).min(1.0);
        let points =
            COOPERATION / 3.0 * (share(e.len(), 2.0) + share(t.len(), 5.0) + share(s.len(), 3.0));
        Part::Cooperation {
            points,
            max: COOPERATION,
            engagements: e.len(),
            transfers: t.len(),
            systems: s.len(),
            named_engagements: e
                .iter()
                .take(NAMED)
                .map(|&i| data.engagements[i as usize].id.clone())
                .collect(),
            named_systems: s
                .iter()
                .take(NAMED)
                .map(|&i| data.systems[i as usize].id.clone())
                .collect(),
        }
    }
}

/// The systems a party fields: those the record lists, else those its nations operate and,
/// for an organization, those it produces (engine indexes, sorted).
pub(super) fn fleet(
    snap: &Snapshot,
    listed: &[String],
    owner: &Party,
    nations: &BTreeSet<String>,
) -> Vec<usize> {
    if !listed.is_empty() {
        let mut v: Vec<usize> = listed.iter().filter_map(|s| snap.system(s).ok()).collect();
        v.sort_unstable();
        v.dedup();
        return v;
    }
    snap.systems
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.operators.iter().any(|o| nations.contains(o))
                || (owner.organization.is_some() && s.producer == owner.organization)
        })
        .map(|(i, _)| i)
        .collect()
}

fn at_least(c: &Counts, level: usize) -> u64 {
    c[level..].iter().sum()
}

/// The synergy part: the need side's fleet adopts (or tests) the offer's standards.
pub(super) fn synergy(
    snap: &Snapshot,
    need_fleet: &[usize],
    offer_fleet: &[usize],
    standards: &[String],
) -> Part {
    let mut actions = Vec::new();
    let mut domains: Vec<usize> = Vec::new();
    let mut used: Vec<String> = Vec::new();
    for s in standards {
        let Ok(std) = snap.standard(s) else { continue };
        let info = &snap.standards[std];
        let d = info.domain;
        let before = actions.len();
        for &a in need_fleet {
            let confs = &snap.domains[d].conformances[a];
            if confs.is_empty() {
                continue;
            }
            let system = snap.systems[a].id.clone();
            match confs.iter().find(|(l, _)| *l == info.local) {
                Some((_, ConformanceStatus::Claimed)) => actions.push(Action::Test {
                    system,
                    standard: s.clone(),
                }),
                Some(_) => {}
                None => actions.push(Action::Adopt {
                    system,
                    standard: s.clone(),
                }),
            }
        }
        if actions.len() > before {
            used.push(s.clone());
            if !domains.contains(&d) {
                domains.push(d);
            }
        }
    }
    let mut gains = [0u64; 3];
    if !actions.is_empty() && !offer_fleet.is_empty() {
        if let Ok(after) = snap.apply(&actions) {
            let was = matrix(snap, need_fleet, offer_fleet, &domains, false, &NoProgress);
            let now = matrix(
                &after,
                need_fleet,
                offer_fleet,
                &domains,
                false,
                &NoProgress,
            );
            for ((_, b), (_, a)) in was.domains.iter().zip(&now.domains) {
                for (k, g) in gains.iter_mut().enumerate() {
                    // Level indexes: na 0, 0 1, 1 2, 2 3, 3 4.
                    *g += at_least(a, k + 2).saturating_sub(at_least(b, k + 2));
                }
            }
        }
    }
    let steps: u64 = gains.iter().sum();
    Part::Synergy {
        points: SYNERGY * (steps as f64 / 10.0).min(1.0),
        max: SYNERGY,
        steps,
        gains,
        standards: used,
        need_fleet: need_fleet.len(),
        offer_fleet: offer_fleet.len(),
    }
}

/// The candidates of `side`'s record at `at` ranked, the best `top` (1 to [`MAX_TOP`]) with
/// their parts; ties go to the smaller id.
pub fn rank(
    data: &Dataset,
    corpus: &Corpus,
    snap: &Snapshot,
    side: Side,
    at: usize,
    top: usize,
    day: Day,
) -> Matches {
    let top = top.clamp(1, MAX_TOP);
    let mut r = Ranker::new(data, corpus, snap, side, at, day);
    let mut partial = r.partials();
    // Only candidates whose partial score plus the synergy's maximum reaches the top-th best
    // partial score can enter the top (the top-th best full score is at least that): the rest
    // need no order.
    if partial.len() > top {
        let mut scores: Vec<f64> = partial.iter().map(|p| p.0).collect();
        let (_, nth, _) = scores.select_nth_unstable_by(top - 1, |a, b| b.total_cmp(a));
        let floor = *nth - SYNERGY;
        partial.retain(|p| p.0 >= floor);
    }
    partial.sort_by(|a, b| r.order(a, b));

    // The engine in that order while a candidate can still enter the top.
    let mut kept: Vec<(f64, usize, Option<Part>)> = Vec::new();
    for &(p, j) in &partial {
        if kept.len() >= top && kept.last().is_some_and(|k| p + SYNERGY < k.0) {
            break;
        }
        let part = r.synergy(j);
        let total = p + part.as_ref().map_or(0.0, Part::points);
        let pos = kept
            .iter()
            .position(|k| r.order(&(total, j), &(k.0, k.1)) == Ordering::Less)
            .unwrap_or(kept.len());
        if pos < top {
            kept.insert(pos, (total, j, part));
            kept.truncate(top);
        }
    }
    let matches = kept
        .into_iter()
        .map(|(total, j, part)| r.explain(j, total, part))
        .collect();
    let me = ask(data, side, at);
    Matches {
        of: side,
        id: me.id.to_string(),
        title: me.title.to_string(),
        candidates: count(data, side.other()),
        synergy_runs: r.runs,
        exact: r.exact,
        matches,
    }
}

/// Every candidate's full score, the engine run for each (no bound, no run limit), best
/// first: the reference the bounded ranking is tested and measured against.
pub fn rank_exhaustive(
    data: &Dataset,
    corpus: &Corpus,
    snap: &Snapshot,
    side: Side,
    at: usize,
    day: Day,
) -> Vec<(f64, String)> {
    let mut r = Ranker::new(data, corpus, snap, side, at, day);
    r.limited = false;
    let mut all: Vec<(f64, usize)> = r
        .partials()
        .into_iter()
        .map(|(p, j)| (p + r.synergy(j).as_ref().map_or(0.0, Part::points), j))
        .collect();
    all.sort_by(|a, b| r.order(a, b));
    all.into_iter()
        .map(|(score, j)| (round1(score), ask(data, side.other(), j).id.to_string()))
        .collect()
}

/// Each organization owning offers, with its best offer for the need at `need` (its full
/// score, the engine run for its offers in order of their partial scores while one could
/// still beat the best so far), by organization id.
pub fn best_offer_by_organization(
    data: &Dataset,
    corpus: &Corpus,
    snap: &Snapshot,
    need: usize,
    day: Day,
) -> (Vec<(String, Match)>, bool) {
    let mut r = Ranker::new(data, corpus, snap, Side::Need, need, day);
    let mut partial = r.partials();
    partial.sort_by(|a, b| r.order(a, b));
    let mut best: std::collections::BTreeMap<&str, (f64, usize, Option<Part>)> =
        std::collections::BTreeMap::new();
    for &(p, j) in &partial {
        let Some(org) = data.offers[j].owner.organization.as_deref() else {
            continue;
        };
        if best.get(org).is_some_and(|b| p + SYNERGY < b.0) {
            continue;
        }
        let part = r.synergy(j);
        let total = p + part.as_ref().map_or(0.0, Part::points);
        if best
            .get(org)
            .is_none_or(|b| r.order(&(total, j), &(b.0, b.1)) == Ordering::Less)
        {
            best.insert(org, (total, j, part));
        }
    }
    let out = best
        .into_iter()
        .map(|(org, (total, j, part))| (org.to_string(), r.explain(j, total, part)))
        .collect();
    (out, r.exact)
}

pub(super) fn round_points(p: &mut Part) {
    match p {
        Part::Area { points, .. }
        | Part::Text { points, .. }
        | Part::Trl { points, .. }
        | Part::Cooperation { points, .. }
        | Part::Synergy { points, .. } => *points = round1(*points),
    }
}
