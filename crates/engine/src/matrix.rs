//! Fleet matrices: every ordered pair (a, b), a in the left set, b in the right set, a ≠ b, in
//! every chosen domain; counted per domain and per nation pair (the systems' origins).
//!
//! Counting runs over profile classes: for each domain, the systems of both sides are grouped
//! by profile, each (left class, right class) pair is rated once and weighted by how many
//! systems of each origin the classes hold, and the pairs (a, a) of systems on both sides are
//! taken out again at the end. Domains are rated in parallel (rayon).

use std::collections::HashMap;

use rayon::prelude::*;

use crate::analysis::{profile, Classes, Reach};
use crate::snapshot::Snapshot;
use crate::{Counts, Level, Progress};

/// Counts for one pair of origin nations, per chosen domain (same order as [`Matrix::domains`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationPair {
    pub a: String,
    pub b: String,
    pub counts: Vec<Counts>,
}

/// One rated pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairLevel {
    pub a: usize,
    pub b: usize,
    pub domain: usize,
    pub level: Level,
}

/// A fleet matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Chosen domains (indexes) with their counts.
    pub domains: Vec<(usize, Counts)>,
    /// Per pair of origin nations with at least one pair, sorted by (a, b).
    pub nation_pairs: Vec<NationPair>,
    /// Every pair, when asked for: by domain, then a, then b (snapshot order).
    pub pairs: Vec<PairLevel>,
    /// Per chosen domain (same order as `domains`): how many systems of the left and of the
    /// right fleet have no conformance in it, so rate `na` there for want of data ("not
    /// rated", which is not "not interoperable").
    pub unrated: Vec<(usize, usize)>,
}

/// How many of `systems` have no conformance in domain `d`.
pub fn unrated(snap: &Snapshot, d: usize, systems: &[usize]) -> usize {
    let confs = &snap.domains[d].conformances;
    systems.iter().filter(|&&s| confs[s].is_empty()).count()
}

struct DomainResult {
    counts: Counts,
    /// (left origin, right origin) → counts.
    nations: HashMap<(u32, u32), Counts>,
    pairs: Vec<PairLevel>,
}

/// Rates `left` × `right` (system indexes) in `domains` (domain indexes).
pub fn matrix(
    snap: &Snapshot,
    left: &[usize],
    right: &[usize],
    domains: &[usize],
    with_pairs: bool,
    progress: &dyn Progress,
) -> Matrix {
    // Origins as small integers.
    let mut origin_codes: Vec<String> = Vec::new();
    let mut origin_ids: HashMap<&str, u32> = HashMap::new();
    let mut origin_of = vec![0u32; snap.systems.len()];
    for &s in left.iter().chain(right) {
        let code = snap.systems[s].origin.as_str();
        let next = origin_ids.len() as u32;
        let id = *origin_ids.entry(code).or_insert_with(|| {
            origin_codes.push(code.to_string());
            next
        });
        origin_of[s] = id;
    }

    progress.start(domains.len() as u64);
    let results: Vec<DomainResult> = domains
        .par_iter()
        .map(|&d| {
            let r = rate_domain(snap, d, left, right, &origin_of, with_pairs);
            progress.advance(1);
            r
        })
        .collect();

    let mut out = Matrix {
        domains: Vec::with_capacity(domains.len()),
        nation_pairs: Vec::new(),
        pairs: Vec::new(),
        unrated: domains
            .iter()
            .map(|&d| (unrated(snap, d, left), unrated(snap, d, right)))
            .collect(),
    };
    let mut nation_pairs: HashMap<(u32, u32), Vec<Counts>> = HashMap::new();
    for (i, (&d, r)) in domains.iter().zip(results).enumerate() {
        out.domains.push((d, r.counts));
        for (k, c) in r.nations {
            nation_pairs
                .entry(k)
                .or_insert_with(|| vec![[0; 5]; domains.len()])[i] = c;
        }
        out.pairs.extend(r.pairs);
    }
    let mut nps: Vec<NationPair> = nation_pairs
        .into_iter()
        .map(|((a, b), counts)| NationPair {
            a: origin_codes[a as usize].clone(),
            b: origin_codes[b as usize].clone(),
            counts,
        })
        .collect();
    nps.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    out.nation_pairs = nps;
    out
}

fn rate_domain(
    snap: &Snapshot,
    d: usize,
    left: &[usize],
    right: &[usize],
    origin_of: &[u32],
    with_pairs: bool,
) -> DomainResult {
    let reach = Reach::new(snap, d);
    let mut classes = Classes::new(reach.words);
    let confs = &snap.domains[d].conformances;
    let mut class_of: HashMap<usize, u32> = HashMap::with_capacity(left.len() + right.len());
    for &s in left.iter().chain(right) {
        if let std::collections::hash_map::Entry::Vacant(e) = class_of.entry(s) {
            e.insert(classes.intern(profile(&confs[s]), &reach));
        }
    }

    // Per class: (origin, count) for each side.
    let group = |side: &[usize]| -> Vec<(u32, Vec<(u32, u64)>)> {
        let mut by_class: HashMap<u32, HashMap<u32, u64>> = HashMap::new();
        for s in side {
            *by_class
                .entry(class_of[s])
                .or_default()
                .entry(origin_of[*s])
                .or_default() += 1;
        }
        let mut v: Vec<(u32, Vec<(u32, u64)>)> = by_class
            .into_iter()
            .map(|(c, m)| {
                let mut o: Vec<(u32, u64)> = m.into_iter().collect();
                o.sort_unstable();
                (c, o)
            })
            .collect();
        v.sort_unstable_by_key(|(c, _)| *c);
        v
    };
    let lg = group(left);
    let rg = group(right);

    let n_origins = origin_of
        .iter()
        .copied()
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut nations: HashMap<(u32, u32), Counts> = HashMap::new();
    let mut acc: Vec<Counts> = vec![[0; 5]; n_origins];
    let mut touched: Vec<u32> = Vec::new();
    for (p, pl) in &lg {
        for (q, ql) in &rg {
            let l = classes.level(*p, *q).index();
            for &(y, c) in ql {
                if acc[y as usize] == [0; 5] {
                    touched.push(y);
                }
                acc[y as usize][l] += c;
            }
        }
        for &(x, a) in pl {
            for &y in &touched {
                let e = nations.entry((x, y)).or_insert([0; 5]);
                for (slot, v) in e.iter_mut().zip(acc[y as usize]) {
                    *slot += a * v;
                }
            }
        }
        for &y in &touched {
            acc[y as usize] = [0; 5];
        }
        touched.clear();
    }

    // Take out (a, a): systems on both sides.
    let mut on_right = vec![false; origin_of.len()];
    for &s in right {
        on_right[s] = true;
    }
    for &s in left {
        if on_right[s] {
            let c = class_of[&s];
            let l = classes.level(c, c).index();
            let o = origin_of[s];
            if let Some(e) = nations.get_mut(&(o, o)) {
                e[l] -= 1;
            }
        }
    }
    nations.retain(|_, c| c.iter().any(|v| *v > 0));

    let mut counts = [0u64; 5];
    for c in nations.values() {
        for (t, v) in counts.iter_mut().zip(c) {
            *t += v;
        }
    }

    let mut pairs = Vec::new();
    if with_pairs {
        for &a in left {
            for &b in right {
                if a != b {
                    pairs.push(PairLevel {
                        a,
                        b,
                        domain: d,
                        level: classes.level(class_of[&a], class_of[&b]),
                    });
                }
            }
        }
    }
    DomainResult {
        counts,
        nations,
        pairs,
    }
}
