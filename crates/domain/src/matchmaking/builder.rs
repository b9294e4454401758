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
//! Candidates are ordered by value, best first, then by organization id; among consortia of
//! equal score the one whose members come first in that order (compared member by member)
//! ranks first. The search is branch and bound over that order, visiting consortia in exactly
//! that tie-break order: a branch is cut when even its best completion (the members so far
//! plus the next best values) cannot beat the last consortium kept — equal cannot, as it comes
//! later — or when the rules can no longer be met with the places left (eligible entities,
//! countries, partners' share). Within its node budget the answer is exact, and tests prove it
//! against exhaustive search; when the budget runs out first, the answer says so and gives the
//! bound: no consortium left unexamined scores above it.

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

/// A proposed consortium: its members (indexes into the candidates, best value first, then
/// id) and its score in tenths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub members: Vec<usize>,
    pub score: u64,
}

/// The builder's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Built {
    /// Best first; ties go to the consortium whose members come first by value, then id.
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
    /// Each candidate's nation as a small number.
    nation: Vec<u32>,
    /// Positions (in `order`) of the eligible candidates, and their values' prefix sums.
    eligible_at: Vec<usize>,
    eligible_prefix: Vec<u64>,
    /// Per nation (its number), the positions of its eligible candidates.
    by_nation: Vec<Vec<usize>>,
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
    /// The score the last kept consortium has, once `top` are kept.
    fn floor(&self) -> Option<u64> {
        (self.kept.len() >= self.top).then(|| self.kept.last().map_or(0, |k| k.0))
    }

    /// Keeps a consortium found: consortia come in tie-break order, so one that only equals
    /// the last kept comes after it.
    fn keep(&mut self, score: u64, set: &[usize]) {
        if self.floor().is_some_and(|f| score <= f) {
            return;
        }
        let pos = self
            .kept
            .iter()
            .position(|k| score > k.0)
            .unwrap_or(self.kept.len());
        self.kept.insert(pos, (score, set.to_vec()));
        self.kept.truncate(self.top);
    }

    /// The best score a consortium of `left` more members from positions `i..` can reach,
    /// given `sum`, `eligible` eligible members and `countries` so far; `None` when the rules'
    /// entities or countries can no longer be met. The least of three upper bounds: the next
    /// `left` values; the best values with the eligible entities still needed taken from
    /// eligible candidates; and with the countries still needed taken one per new eligible
    /// country (each at its best remaining value).
    fn bound(
        &self,
        i: usize,
        left: usize,
        sum: u64,
        eligible: usize,
        countries: &[u32],
    ) -> Option<u64> {
        let best = |k: usize| self.prefix[i + k] - self.prefix[i];
        let mut b = best(left);
        let need_e = self.min_entities.saturating_sub(eligible);
        let need_c = self.min_countries.saturating_sub(countries.len());
        if need_e > left || need_c > left {
            return None;
        }
        if need_e > 0 {
            let j = self.eligible_at.partition_point(|&p| p < i);
            if j + need_e > self.eligible_at.len() {
                return None;
            }
            b = b.min(
                best(left - need_e) + self.eligible_prefix[j + need_e] - self.eligible_prefix[j],
            );
        }
        if need_c > 0 {
            // The best remaining value of each eligible country not yet in: the top need_c.
            let mut top: Vec<u64> = Vec::with_capacity(need_c + 1);
            for (nation, at) in self.by_nation.iter().enumerate() {
                if countries.contains(&(nation as u32)) {
                    continue;
                }
                let j = at.partition_point(|&p| p < i);
                if let Some(&p) = at.get(j) {
                    let v = u64::from(self.c[self.order[p]].value);
                    let k = top.partition_point(|&x| x >= v);
                    if k < need_c {
                        top.insert(k, v);
                        top.truncate(need_c);
                    }
                }
            }
            if top.len() < need_c {
                return None;
            }
            b = b.min(best(left - need_c) + top.iter().sum::<u64>());
        }
        Some(sum + b)
    }

    /// Extends `set` (positions in `order`; sum `sum`, `eligible` eligible members from
    /// `countries`, `partners` partners) with candidates from `order[from..]`. Depth is at most
    /// `size`.
    fn go(
        &mut self,
        set: &mut Vec<usize>,
        sum: u64,
        from: usize,
        eligible: usize,
        countries: &mut Vec<u32>,
        partners: usize,
    ) {
        let left = self.size - set.len();
        if left == 0 {
            if eligible >= self.min_entities && countries.len() >= self.min_countries {
                self.keep(sum, set);
            }
            return;
        }
        let n = self.order.len();
        let mut i = from;
        while i + left <= n {
            // The best this branch can still reach (members from i on); none: the rules can no
            // longer be met from here.
            let Some(bound) = self.bound(i, left, sum, eligible, countries) else {
                return;
            };
            if self.floor().is_some_and(|f| bound <= f) {
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
            let nation = self.nation[ci];
            let is_eligible = cand.standing == Standing::Eligible;
            let new_country = is_eligible && !countries.contains(&nation);
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
                set.push(i);
                if new_country {
                    countries.push(nation);
                }
                let value = u64::from(cand.value);
                self.go(set, sum + value, i + 1, e, countries, p);
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
    let mut nations: Vec<&str> = candidates.iter().map(|c| c.nation.as_str()).collect();
    nations.sort_unstable();
    nations.dedup();
    let nation = candidates
        .iter()
        .map(|c| nations.binary_search(&c.nation.as_str()).unwrap_or(0) as u32)
        .collect();
    let nation: Vec<u32> = nation;
    let eligible_at: Vec<usize> = (0..order.len())
        .filter(|&p| candidates[order[p]].standing == Standing::Eligible)
        .collect();
    let mut eligible_prefix = vec![0u64; eligible_at.len() + 1];
    for (k, &p) in eligible_at.iter().enumerate() {
        eligible_prefix[k + 1] = eligible_prefix[k] + u64::from(candidates[order[p]].value);
    }
    let mut by_nation = vec![Vec::new(); nations.len()];
    for &p in &eligible_at {
        by_nation[nation[order[p]] as usize].push(p);
    }
    let mut s = Search {
        c: candidates,
        order,
        nation,
        eligible_at,
        eligible_prefix,
        by_nation,
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
            .iter()
            .map(|(score, set)| Proposal {
                members: set.iter().map(|&i| s.order[i]).collect(),
                score: *score,
            })
            .collect(),
    })
}
