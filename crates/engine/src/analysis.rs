//! Per-domain machinery: gateway reachability as bitsets, and profile classes.
//!
//! Systems with identical per-domain profiles (the same standards, each tested-or-not) rate
//! identically with everyone, so the engine rates *classes* of systems, not systems: a domain
//! with 10,000 participating systems typically has a few hundred to a few thousand classes.

use std::collections::HashMap;

use defcoop_domain::model::{ConformanceStatus, Fidelity, GatewayStatus};

use crate::snapshot::Snapshot;
use crate::Level;

/// Words of a bitset over `n` standards.
pub(crate) fn words(n: usize) -> usize {
    n.div_ceil(64).max(1)
}

fn set(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

pub(crate) fn has(bits: &[u64], i: usize) -> bool {
    bits[i / 64] & (1 << (i % 64)) != 0
}

/// Indexes of the set bits.
pub(crate) fn ones(bits: &[u64]) -> Vec<u32> {
    let mut out = Vec::new();
    for (i, w) in bits.iter().enumerate() {
        let mut w = *w;
        while w != 0 {
            out.push(i as u32 * 64 + w.trailing_zeros());
            w &= w - 1;
        }
    }
    out
}

pub(crate) fn intersects(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).any(|(x, y)| x & y != 0)
}

fn or_into(dst: &mut [u64], src: &[u64]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d |= s;
    }
}

/// An edge of a domain's gateway graph, over local standard indexes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    pub from: u32,
    pub to: u32,
    pub gateway: usize,
    pub full: bool,
}

/// Fielded gateway edges of domain `d` (both directions of bidirectional ones).
pub(crate) fn edges(snap: &Snapshot, d: usize) -> Vec<Edge> {
    let mut out = Vec::new();
    for &g in &snap.domains[d].gateways {
        let gw = &snap.gateways[g];
        if gw.status != GatewayStatus::Fielded {
            continue;
        }
        let (from, to) = (snap.standards[gw.from].local, snap.standards[gw.to].local);
        let full = gw.fidelity == Fidelity::Full;
        out.push(Edge {
            from,
            to,
            gateway: g,
            full,
        });
        if gw.bidirectional {
            out.push(Edge {
                from: to,
                to: from,
                gateway: g,
                full,
            });
        }
    }
    out
}

/// Reflexive-transitive reachability over a domain's fielded gateways: for each standard, the
/// standards reachable through full gateways only, and through gateways of any fidelity.
pub(crate) struct Reach {
    pub words: usize,
    full: Vec<u64>,
    any: Vec<u64>,
    /// Reverse closures: the standards that reach s.
    full_rev: Vec<u64>,
    any_rev: Vec<u64>,
}

impl Reach {
    pub fn new(snap: &Snapshot, d: usize) -> Reach {
        let n = snap.domains[d].standards.len();
        let w = words(n);
        let edges = edges(snap, d);
        let mut adj_full: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut adj_any: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut rev_full: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut rev_any: Vec<Vec<u32>> = vec![Vec::new(); n];
        for e in &edges {
            adj_any[e.from as usize].push(e.to);
            rev_any[e.to as usize].push(e.from);
            if e.full {
                adj_full[e.from as usize].push(e.to);
                rev_full[e.to as usize].push(e.from);
            }
        }
        let closure = |adj: &[Vec<u32>]| -> Vec<u64> {
            let mut out = vec![0u64; n * w];
            let mut stack = Vec::new();
            for s in 0..n {
                let row = &mut out[s * w..(s + 1) * w];
                set(row, s);
                if adj[s].is_empty() {
                    continue;
                }
                stack.clear();
                stack.push(s as u32);
                while let Some(x) = stack.pop() {
                    for &y in &adj[x as usize] {
                        if !has(row, y as usize) {
                            set(row, y as usize);
                            stack.push(y);
                        }
                    }
                }
            }
            out
        };
        Reach {
            words: w,
            full: closure(&adj_full),
            any: closure(&adj_any),
            full_rev: closure(&rev_full),
            any_rev: closure(&rev_any),
        }
    }

    pub fn full(&self, s: usize) -> &[u64] {
        &self.full[s * self.words..(s + 1) * self.words]
    }

    pub fn any(&self, s: usize) -> &[u64] {
        &self.any[s * self.words..(s + 1) * self.words]
    }

    /// The standards from which `s` is reachable (full gateways only, or any).
    pub fn reaching(&self, s: usize, full: bool) -> &[u64] {
        let v = if full { &self.full_rev } else { &self.any_rev };
        &v[s * self.words..(s + 1) * self.words]
    }
}

/// A system's profile in one domain: (local standard, tested-or-better), sorted.
pub(crate) type Profile = Vec<(u32, bool)>;

pub(crate) fn profile(list: &[(u32, ConformanceStatus)]) -> Profile {
    list.iter()
        .map(|(s, st)| (*s, *st >= ConformanceStatus::Tested))
        .collect()
}

/// Profile classes of one domain, each with its bitsets: S (standards), T (tested standards),
/// RF (reachable from S through full gateways, S included), RA (through any gateway).
pub(crate) struct Classes {
    pub words: usize,
    pub profiles: Vec<Profile>,
    s: Vec<u64>,
    t: Vec<u64>,
    rf: Vec<u64>,
    ra: Vec<u64>,
    index: HashMap<Profile, u32>,
}

impl Classes {
    pub fn new(words: usize) -> Classes {
        Classes {
            words,
            profiles: Vec::new(),
            s: Vec::new(),
            t: Vec::new(),
            rf: Vec::new(),
            ra: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// The class of a profile, creating it if new.
    pub fn intern(&mut self, p: Profile, reach: &Reach) -> u32 {
        if let Some(&c) = self.index.get(&p) {
            return c;
        }
        let w = self.words;
        let (mut s, mut t, mut rf, mut ra) = (vec![0; w], vec![0; w], vec![0; w], vec![0; w]);
        for &(std, tested) in &p {
            set(&mut s, std as usize);
            if tested {
                set(&mut t, std as usize);
            }
            or_into(&mut rf, reach.full(std as usize));
            or_into(&mut ra, reach.any(std as usize));
        }
        self.s.extend(s);
        self.t.extend(t);
        self.rf.extend(rf);
        self.ra.extend(ra);
        let c = self.profiles.len() as u32;
        self.profiles.push(p.clone());
        self.index.insert(p, c);
        c
    }

    fn bits<'a>(&self, v: &'a [u64], c: u32) -> &'a [u64] {
        let c = c as usize;
        &v[c * self.words..(c + 1) * self.words]
    }

    pub fn s(&self, c: u32) -> &[u64] {
        self.bits(&self.s, c)
    }

    /// Copies of a class's bitsets (S, T, RF, RA).
    pub fn bitsets(&self, c: u32) -> (Vec<u64>, Vec<u64>, Vec<u64>, Vec<u64>) {
        (
            self.s(c).to_vec(),
            self.bits(&self.t, c).to_vec(),
            self.bits(&self.rf, c).to_vec(),
            self.bits(&self.ra, c).to_vec(),
        )
    }

    /// Whether class `c` has the same RF and RA here as in `other` (same profiles, other reach).
    pub fn same_reach(&self, other: &Classes, c: u32) -> bool {
        self.bits(&self.rf, c) == other.bits(&other.rf, c)
            && self.bits(&self.ra, c) == other.bits(&other.ra, c)
    }

    /// RF (full) or RA (any) of a class.
    pub fn reach_bits(&self, c: u32, full: bool) -> &[u64] {
        if full {
            self.bits(&self.rf, c)
        } else {
            self.bits(&self.ra, c)
        }
    }

    /// Whether standard `s` can matter to class `q`: q's standards reach it or it reaches
    /// them through gateways of any fidelity (q's own standards included).
    pub fn touches(&self, q: u32, s: usize, reach: &Reach) -> bool {
        has(self.bits(&self.ra, q), s) || intersects(reach.any(s), self.s(q))
    }

    /// The level of any system of class `p` with any system of class `q` (PRODUCT.md
    /// "Interoperability"; RF and RA include S, so a shared standard also counts as a path).
    pub fn level(&self, p: u32, q: u32) -> Level {
        if self.profiles[p as usize].is_empty() {
            return Level::Na;
        }
        self.level_with(
            self.s(p),
            self.bits(&self.t, p),
            self.bits(&self.rf, p),
            self.bits(&self.ra, p),
            q,
        )
    }

    /// The level of a profile given by its bitsets (non-empty S) with class `q`.
    pub fn level_with(&self, sp: &[u64], tp: &[u64], rfp: &[u64], rap: &[u64], q: u32) -> Level {
        if self.profiles[q as usize].is_empty() || sp.iter().all(|w| *w == 0) {
            return Level::Na;
        }
        let sq = self.s(q);
        if intersects(tp, self.bits(&self.t, q)) {
            Level::Integrated
        } else if intersects(rfp, sq) && intersects(self.bits(&self.rf, q), sp) {
            Level::Compatible
        } else if intersects(rap, sq) || intersects(self.bits(&self.ra, q), sp) {
            Level::Deconflicted
        } else {
            Level::None
        }
    }
}
