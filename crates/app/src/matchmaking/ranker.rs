//! One ranking's state: the query record, its text query and every candidate's text share,
//! its owner's links and fleet, the candidates' owners' nations and cooperation points, and
//! the engine's synergy parts computed so far (memoized by fleets and standards, at most
//! [`MAX_SYNERGY_RUNS`] engine runs). [`super::matching::rank`] and
//! [`super::matching::best_offer_by_organization`] drive it.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use defcoop_domain::model::{Dataset, Day};
use defcoop_engine::Snapshot;

use super::matching::{
    ask, count, fleet, nations_of, round1, round_points, synergy, trl_part, Ask, Corpus, Links,
    Match, Part, Side, AREA, MAX_SYNERGY_RUNS, SYNERGY, TEXT,
};
use super::text::Query;

pub(super) struct Ranker<'a> {
    data: &'a Dataset,
    corpus: &'a Corpus,
    snap: &'a Snapshot,
    side: Side,
    other: Side,
    me: Ask<'a>,
    query: Query,
    shares: Vec<f64>,
    links: Links,
    my_fleet: Vec<usize>,
    /// Per owner (the corpus's index): its nations and the cooperation points with them.
    owners: Vec<Option<(BTreeSet<String>, f64)>>,
    memo: HashMap<(Vec<usize>, Vec<String>), Part>,
    /// Engine runs so far.
    pub runs: usize,
    /// False once a synergy part was left out for the run limit.
    pub exact: bool,
    /// Whether the run limit applies (not for the exhaustive reference).
    pub limited: bool,
}

impl<'a> Ranker<'a> {
    pub fn new(
        data: &'a Dataset,
        corpus: &'a Corpus,
        snap: &'a Snapshot,
        side: Side,
        at: usize,
        day: Day,
    ) -> Ranker<'a> {
        let me = ask(data, side, at);
        let other = side.other();
        let index = corpus.index(other);
        let query = index.query(&me.terms());
        let shares = index.shares(&query);
        let mine = nations_of(data, me.owner, day);
        let links = Links::new(data, corpus, &mine);
        let my_fleet = fleet(snap, me.systems, me.owner, &mine);
        let mut r = Ranker {
            data,
            corpus,
            snap,
            side,
            other,
            me,
            query,
            shares,
            links,
            my_fleet,
            owners: vec![None; corpus.owners.len()],
            memo: HashMap::new(),
            runs: 0,
            exact: true,
            limited: true,
        };
        // Every candidate's owner: its nations and cooperation, once per owner.
        for j in 0..count(data, other) {
            let o = corpus.owner(other, j);
            if r.owners[o].is_none() {
                let n = nations_of(data, ask(data, other, j).owner, day);
                let p = r.links.part(data, &n).points();
                r.owners[o] = Some((n, p));
            }
        }
        r
    }

    fn owner(&self, j: usize) -> Option<&(BTreeSet<String>, f64)> {
        self.owners[self.corpus.owner(self.other, j)].as_ref()
    }

    fn trls(
        &self,
        c: &Ask,
    ) -> (
        Option<defcoop_domain::matchmaking::Trl>,
        Option<defcoop_domain::matchmaking::Trl>,
    ) {
        match self.side {
            Side::Need => (self.me.trl, c.trl),
            Side::Offer => (c.trl, self.me.trl),
        }
    }

    /// Candidate `j`'s score without the synergy part.
    pub fn partial(&self, j: usize) -> f64 {
        let c = ask(self.data, self.other, j);
        let (need_trl, offer_trl) = self.trls(&c);
        let area = if c.area == self.me.area { AREA } else { 0.0 };
        let coop = self.owner(j).map_or(0.0, |o| o.1);
        area + TEXT * self.shares[j] + trl_part(need_trl, offer_trl).points() + coop
    }

    /// Every candidate's score without the synergy part, with its position.
    pub fn partials(&self) -> Vec<(f64, usize)> {
        (0..count(self.data, self.other))
            .map(|j| (self.partial(j), j))
            .collect()
    }

    /// Candidate `j`'s full score.
    pub fn score(&mut self, j: usize) -> f64 {
        self.partial(j) + self.synergy(j).as_ref().map_or(0.0, Part::points)
    }

    /// Best score first, then the smaller id.
    pub fn order(&self, a: &(f64, usize), b: &(f64, usize)) -> Ordering {
        b.0.partial_cmp(&a.0)
            .unwrap_or(Ordering::Equal)
            .then_with(|| {
                ask(self.data, self.other, a.1)
                    .id
                    .cmp(ask(self.data, self.other, b.1).id)
            })
    }

    /// Candidate `j`'s synergy part (none when the offer has no standard, or when the run
    /// limit was reached: then the ranking is no longer exact).
    pub fn synergy(&mut self, j: usize) -> Option<Part> {
        let c = ask(self.data, self.other, j);
        let (need, offer) = match self.side {
            Side::Need => (self.me, c),
            Side::Offer => (c, self.me),
        };
        if offer.standards.is_empty() {
            return None;
        }
        let empty = BTreeSet::new();
        let theirs = self.owner(j).map_or(&empty, |o| &o.0);
        let (need_fleet, offer_fleet) = match self.side {
            Side::Need => (
                self.my_fleet.clone(),
                fleet(self.snap, offer.systems, offer.owner, theirs),
            ),
            Side::Offer => (
                fleet(self.snap, need.systems, need.owner, theirs),
                self.my_fleet.clone(),
            ),
        };
        let key = (
            need_fleet
                .iter()
                .chain([&usize::MAX])
                .chain(&offer_fleet)
                .copied()
                .collect::<Vec<_>>(),
            offer.standards.to_vec(),
        );
        if let Some(hit) = self.memo.get(&key) {
            return Some(hit.clone());
        }
        if self.limited && self.runs >= MAX_SYNERGY_RUNS {
            self.exact = false;
            return None;
        }
        self.runs += 1;
        let s = synergy(self.snap, &need_fleet, &offer_fleet, offer.standards);
        self.memo.insert(key, s.clone());
        Some(s)
    }

    /// Candidate `j` with its score and every part, explained.
    pub fn explain(&self, j: usize, total: f64, synergy_part: Option<Part>) -> Match {
        let c = ask(self.data, self.other, j);
        let (need_trl, offer_trl) = self.trls(&c);
        let empty = BTreeSet::new();
        let theirs = self.owner(j).map_or(&empty, |o| &o.0);
        let mut parts = vec![
            Part::Area {
                points: if c.area == self.me.area { AREA } else { 0.0 },
                max: AREA,
                same: c.area == self.me.area,
                area: self.me.area.to_string(),
                other: c.area.to_string(),
            },
            Part::Text {
                points: TEXT * self.shares[j],
                max: TEXT,
                share: round1(self.shares[j] * 100.0) / 100.0,
                terms: self
                    .query
                    .shared(&c.terms())
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            },
            trl_part(need_trl, offer_trl),
            self.links.part(self.data, theirs),
            synergy_part.unwrap_or(Part::Synergy {
                points: 0.0,
                max: SYNERGY,
                steps: 0,
                gains: [0; 3],
                standards: Vec::new(),
                need_fleet: 0,
                offer_fleet: 0,
            }),
        ];
        for p in &mut parts {
            round_points(p);
        }
        Match {
            id: c.id.to_string(),
            title: c.title.to_string(),
            owner: c.owner.clone(),
            score: round1(total),
            parts,
        }
    }
}
