//! The consortium builder: the best-scoring consortia of `size` members that an instrument's
//! rules accept, from candidate organizations each with a value (the best match score of its
//! offers for a need, in tenths of a point so sums are exact).
//!
//! A consortium's score is the sum of its members' values; shares of the cost are equal (the
//! builder proposes, the check with real shares decides). Eligibility is the check's
//! ([`super::consortium::check`]): no member from a country neither eligible nor a partner;
//! partners only where they may join; at least `min_entities` members from eligible
//! countries, from at least `min_countries` of them; partners' equal shares within
//! `max_non_eligible_share`.
//!
//! The search is branch and bound over the candidates by value, best first: a branch is cut
//! when even its best completion (the members so far plus the next best values) cannot reach
//! the last consortium kept, or when the rules can no longer be met with the places left
//! (eligible entities, countries, partners' share). Within its node budget the answer is
//! exact, and tests prove it against exhaustive search; when the budget runs out first, the
//! answer says so and gives the bound: no consortium left unexamined scores above it.

use std::collections::BTreeSet;

use serde::Serialize;

use super::consortium::Standing;
use super::Rules;

/// Members of one consortium at most.
pub const MAX_SIZE: usize = 20;
/// Consortia one answer proposes at most.
pub const MAX_TOP: usize = 50;
/// Candidates at most.
pub const MAX_CANDIDATES: usize = 10_000;
/// Search nodes one build visits at most (the default).
pub const BUDGET: u64 = 20_000_000;

/// A candidate organization.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub organization: String,
    pub nation: String,
    pub standing: Standing,
    /// Its value in tenths of a point (a match score of 71.3 is 713).
    pub value: u32,
}

/// A proposed consortium: its members (indexes into the candidates, by value then id) and
/// its score in tenths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub members: Vec<usize>,
    pub score: u64,
}

/// The builder's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Built {
    /// Best first; ties go to the smaller list of member ids.
    pub proposals: Vec<Proposal>,
    /// Candidates the rules allow at all (not from a country neither eligible nor a partner,
    /// nor a partner where partners may not join).
    pub admissible: usize,
    /// Search nodes visited.
    pub nodes: u64,
    /// Whether the search finished: the proposals are then exactly the best.
    pub exact: bool,
    /// When it did not: no consortium left unexamined scores above this (tenths).
    pub bound: Option<u64>,
}

struct Search<'a> {
    c: &'a [Candidate],
    /// Admissible candidates' indexes, best value first (then organization id).
    order: Vec<usize>,
    /// prefix[i]: the sum of the first i values in `order`.
    prefix: Vec<u64>,
    size: usize,
    top: usize,
    min_entities: usize,
    min_countries: usize,
    max_partners: usize,
    budget: u64,
    nodes: u64,
    stopped: bool,
    open: Option<u64>,
    kept: Vec<(u64, Vec<usize>)>,
}

impl Search<'_> {
    /// The member ids of a set, sorted: the tie-break key.
    fn key(&self, set: &[usize]) -> Vec<&str> {
        let mut ids: Vec<&str> = set
            .iter()
            .map(|&i| self.c[i].organization.as_str())
            .collect();
        ids.sort_unstable();
        ids
    }

    fn better(&self, a: (u64, &[usize]), b: (u64, &[usize])) -> bool {
        a.0 > b.0 || (a.0 == b.0 && self.key(a.1) < self.key(b.1))
    }

    /// The score the last kept consortium has, once `top` are kept.
    fn floor(&self) -> Option<u64> {
        (self.kept.len() >= self.top).then(|| self.kept.last().map_or(0, |k| k.0))
    }

    fn keep(&mut self, score: u64, set: Vec<usize>) {
        if self.floor().is_some_and(|f| score < f) {
            return;
        }
        let pos = self
            .kept
            .iter()
            .position(|k| self.better((score, &set), (k.0, &k.1)))
            .unwrap_or(self.kept.len());
        if pos < self.top {
            self.kept.insert(pos, (score, set));
            self.kept.truncate(self.top);
        }
    }

    /// Extends `set` (sum `sum`, `eligible` eligible members from `countries`, `partners`
    /// partners) with candidates from `order[from..]`. Depth is at most `size`.
    fn go(
        &mut self,
        set: &mut Vec<usize>,
        sum: u64,
        from: usize,
        eligible: usize,
        countries: &mut Vec<String>,
        partners: usize,
    ) {
        let left = self.size - set.len();
        if left == 0 {
            if eligible >= self.min_entities && countries.len() >= self.min_countries {
                let mut members = set.clone();
                members.sort_unstable();
                self.keep(sum, members);
            }
            return;
        }
        let n = self.order.len();
        let mut i = from;
        while i + left <= n {
            // The best this branch can still reach: the next `left` values from i on.
            let bound = sum + self.prefix[i + left] - self.prefix[i];
            if self.floor().is_some_and(|f| bound < f) {
                return;
            }
            if self.nodes >= self.budget {
                self.stopped = true;
                self.open = Some(self.open.map_or(bound, |o| o.max(bound)));
                return;
            }
            self.nodes += 1;
            let ci = self.order[i];
            let cand = &self.c[ci];
            let is_eligible = cand.standing == Standing::Eligible;
            let new_country = is_eligible && !countries.contains(&cand.nation);
            let (e, p) = (
                eligible + usize::from(is_eligible),
                partners + usize::from(!is_eligible),
            );
            let c = countries.len() + usize::from(new_country);
            let after = left - 1;
            if p <= self.max_partners
                && self.min_entities.saturating_sub(e) <= after
                && self.min_countries.saturating_sub(c) <= after
            {
                set.push(ci);
                if new_country {
                    countries.push(cand.nation.clone());
                }
                self.go(set, sum + u64::from(cand.value), i + 1, e, countries, p);
                if new_country {
                    countries.pop();
                }
                set.pop();
                if self.stopped {
                    // The rest of this level is unexamined: its best is the bound from i + 1.
                    if i + 1 + left <= n {
                        let rest = sum + self.prefix[i + 1 + left] - self.prefix[i + 1];
                        self.open = Some(self.open.map_or(rest, |o| o.max(rest)));
                    }
                    return;
                }
            }
            i += 1;
        }
    }
}

/// The best `top` consortia of `size` members from `candidates` under `rules`, visiting at
/// most `budget` search nodes. Errors name the bad parameter.
pub fn build(
    rules: &Rules,
    candidates: &[Candidate],
    size: usize,
    top: usize,
    budget: u64,
) -> Result<Built, String> {
    if candidates.is_empty() {
        return Err("candidates: there is no candidate organization".into());
    }
    if candidates.len() > MAX_CANDIDATES {
        return Err(format!(
            "candidates: {} organizations; at most {MAX_CANDIDATES}",
            candidates.len()
        ));
    }
    if !(1..=MAX_SIZE).contains(&size) {
        return Err(format!("size: {size} is not between 1 and {MAX_SIZE}"));
    }
    if !(1..=MAX_TOP).contains(&top) {
        return Err(format!("top: {top} is not between 1 and {MAX_TOP}"));
    }
    let mut seen = BTreeSet::new();
    for c in candidates {
        if !seen.insert(c.organization.as_str()) {
            return Err(format!(
                "candidates: organization \"{}\" listed twice",
                c.organization
            ));
        }
    }
    let join = rules.partners_may.is_some_and(|m| m.join);
    let mut order: Vec<usize> = (0..candidates.len())
        .filter(|&i| match candidates[i].standing {
            Standing::Eligible => true,
            Standing::Partner => join,
            Standing::Other => false,
        })
        .collect();
    order.sort_by(|&a, &b| {
        candidates[b]
            .value
            .cmp(&candidates[a].value)
            .then_with(|| candidates[a].organization.cmp(&candidates[b].organization))
    });
    let mut prefix = vec![0u64; order.len() + 1];
    for (k, &i) in order.iter().enumerate() {
        prefix[k + 1] = prefix[k] + u64::from(candidates[i].value);
    }
    // The most partners `size` equal shares allow, with the check's own arithmetic.
    let max_partners = match rules.max_non_eligible_share {
        None => size,
        Some(max) => {
            let share = 100.0 / size as f64;
            (0..=size)
                .take_while(|&p| (0..p).map(|_| share).sum::<f64>() <= max + 1e-9)
                .last()
                .unwrap_or(0)
        }
    };
    let mut s = Search {
        c: candidates,
        order,
        prefix,
        size,
        top,
        min_entities: rules.min_entities.map_or(0, |m| m as usize),
        min_countries: rules.min_countries.map_or(0, |m| m as usize),
        max_partners,
        budget,
        nodes: 0,
        stopped: false,
        open: None,
        kept: Vec::new(),
    };
    s.go(&mut Vec::with_capacity(size), 0, 0, 0, &mut Vec::new(), 0);
    Ok(Built {
        admissible: s.order.len(),
        nodes: s.nodes,
        exact: !s.stopped,
        bound: if s.stopped { s.open } else { None },
        proposals: s
            .kept
            .into_iter()
            .map(|(score, members)| Proposal { members, score })
            .collect(),
    })
}
