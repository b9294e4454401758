//! One pair of systems, per domain: the level and why.

use std::collections::VecDeque;

use defcoop_domain::model::ConformanceStatus;

use crate::analysis::{edges, profile, Classes, Edge, Reach};
use crate::snapshot::Snapshot;
use crate::{EngineError, Level};

/// A standard both systems conform to, with each side's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    pub standard: String,
    pub a: ConformanceStatus,
    pub b: ConformanceStatus,
}

/// One hop of a gateway chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub gateway: String,
    pub from: String,
    pub to: String,
}

/// A shortest chain of fielded gateways from one side's standards to the other's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// Whether every gateway of the chain is full-fidelity.
    pub full: bool,
    pub steps: Vec<Step>,
}

/// The rating of a pair in one domain, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRating {
    pub domain: String,
    pub level: Level,
    /// Standards both conform to (evidence for 3, and for 2 when non-empty).
    pub shared: Vec<Shared>,
    /// Gateway chain from a's standards to b's (evidence for 2 without a shared standard: full
    /// chains both ways; for 1: whichever way has a chain).
    pub a_to_b: Option<Chain>,
    pub b_to_a: Option<Chain>,
    /// Whether a, and b, have no conformance in the domain (`na` for want of data).
    pub unrated: (bool, bool),
}

/// A pair of systems rated in every domain where either takes part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairReport {
    pub a: String,
    pub b: String,
    pub domains: Vec<DomainRating>,
}

/// Rates systems `a` and `b` (ids) in `domains` (all domains when empty). Domains where neither
/// takes part are left out; those where one does are reported as `na`.
pub fn pair(
    snap: &Snapshot,
    a: &str,
    b: &str,
    domains: &[String],
) -> Result<PairReport, EngineError> {
    let (ia, ib) = (snap.system(a)?, snap.system(b)?);
    let mut out = PairReport {
        a: a.to_string(),
        b: b.to_string(),
        domains: Vec::new(),
    };
    for d in snap.domains_or_all(domains)? {
        let dom = &snap.domains[d];
        let (ca, cb) = (&dom.conformances[ia], &dom.conformances[ib]);
        if ca.is_empty() && cb.is_empty() && domains.is_empty() {
            continue;
        }
        let reach = Reach::new(snap, d);
        let mut classes = Classes::new(reach.words);
        let pa = classes.intern(profile(ca), &reach);
        let pb = classes.intern(profile(cb), &reach);
        let level = classes.level(pa, pb);

        let std_id = |local: u32| snap.standards[dom.standards[local as usize]].id.clone();
        let shared: Vec<Shared> = ca
            .iter()
            .filter_map(|(s, sa)| {
                cb.iter().find(|(t, _)| t == s).map(|(_, sb)| Shared {
                    standard: std_id(*s),
                    a: *sa,
                    b: *sb,
                })
            })
            .collect();

        let (mut a_to_b, mut b_to_a) = (None, None);
        if shared.is_empty() && matches!(level, Level::Compatible | Level::Deconflicted) {
            let edges = edges(snap, d);
            let full_only = level == Level::Compatible;
            let chain = |from: &[(u32, ConformanceStatus)], to: &[(u32, ConformanceStatus)]| {
                shortest_chain(snap, d, &edges, from, to, full_only)
            };
            a_to_b = chain(ca, cb);
            b_to_a = chain(cb, ca);
        }
        out.domains.push(DomainRating {
            domain: dom.code.clone(),
            level,
            shared: if matches!(level, Level::Na | Level::None) {
                Vec::new()
            } else {
                shared
            },
            a_to_b,
            b_to_a,
            unrated: (ca.is_empty(), cb.is_empty()),
        });
    }
    Ok(out)
}

/// Breadth-first search from every standard of `from` to any of `to`; ties go to the edge
/// listed first, so the answer is deterministic.
fn shortest_chain(
    snap: &Snapshot,
    d: usize,
    edges: &[Edge],
    from: &[(u32, ConformanceStatus)],
    to: &[(u32, ConformanceStatus)],
    full_only: bool,
) -> Option<Chain> {
    let dom = &snap.domains[d];
    let n = dom.standards.len();
    let mut adj: Vec<Vec<&Edge>> = vec![Vec::new(); n];
    for e in edges {
        if e.full || !full_only {
            adj[e.from as usize].push(e);
        }
    }
    let target: Vec<bool> = {
        let mut t = vec![false; n];
        for (s, _) in to {
            t[*s as usize] = true;
        }
        t
    };
    let mut prev: Vec<Option<&Edge>> = vec![None; n];
    let mut seen = vec![false; n];
    let mut queue = VecDeque::new();
    for (s, _) in from {
        seen[*s as usize] = true;
        queue.push_back(*s);
    }
    while let Some(x) = queue.pop_front() {
        if target[x as usize] {
            let mut steps = Vec::new();
            let mut cur = x;
            while let Some(e) = prev[cur as usize] {
                steps.push(e);
                cur = e.from;
            }
            steps.reverse();
            if steps.is_empty() {
                return None;
            }
            let id = |l: u32| snap.standards[dom.standards[l as usize]].id.clone();
            return Some(Chain {
                full: steps.iter().all(|e| e.full),
                steps: steps
                    .into_iter()
                    .map(|e| Step {
                        gateway: snap.gateways[e.gateway].id.clone(),
                        from: id(e.from),
                        to: id(e.to),
                    })
                    .collect(),
            });
        }
        for e in &adj[x as usize] {
            if !seen[e.to as usize] {
                seen[e.to as usize] = true;
                prev[e.to as usize] = Some(e);
                queue.push_back(e.to);
            }
        }
    }
    None
}
