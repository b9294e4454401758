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

pub(crate) fn set(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

#[inline]
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

/// Calls `f` with the index of each set bit, in increasing order.
#[inline]
pub(crate) fn for_ones(bits: &[u64], mut f: impl FnMut(usize)) {
    for (i, w) in bits.iter().enumerate() {
        let mut w = *w;
        while w != 0 {
            f(i * 64 + w.trailing_zeros() as usize);
            w &= w - 1;
        }
    }
}

#[inline]
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
        if snap.gateways[g].status == GatewayStatus::Fielded {
            push_edges(snap, g, &mut out);
        }
    }
    out
}

/// The edges of gateway `g`, whatever its status.
fn push_edges(snap: &Snapshot, g: usize, out: &mut Vec<Edge>) {
    let gw = &snap.gateways[g];
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
        Reach::over(snap.domains[d].standards.len(), &edges(snap, d))
    }

    /// The reachability of domain `d` as if gateway `g` (of that domain) were fielded too,
    /// without copying the snapshot.
    pub fn with_fielded(snap: &Snapshot, d: usize, g: usize) -> Reach {
        let mut e = edges(snap, d);
        if snap.gateways[g].status != GatewayStatus::Fielded {
            push_edges(snap, g, &mut e);
        }
        Reach::over(snap.domains[d].standards.len(), &e)
    }

    fn over(n: usize, edges: &[Edge]) -> Reach {
        let w = words(n);
        let mut adj_full: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut adj_any: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut rev_full: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut rev_any: Vec<Vec<u32>> = vec![Vec::new(); n];
        for e in edges {
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
/// RF (reachable from S through full gateways, S included), RA (through any gateway). A
/// class's four bitsets lie side by side (S, T, RF, RA; `words` each), so rating a pair of
/// classes reads two short runs of memory.
pub(crate) struct Classes {
    pub words: usize,
    pub profiles: Vec<Profile>,
    bits: Vec<u64>,
    nonempty: Vec<bool>,
    index: HashMap<Profile, u32>,
}

impl Classes {
    pub fn new(words: usize) -> Classes {
        Classes {
            words,
            profiles: Vec::new(),
            bits: Vec::new(),
            nonempty: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// The class of a profile, creating it if new.
    pub fn intern(&mut self, p: Profile, reach: &Reach) -> u32 {
        if let Some(&c) = self.index.get(&p) {
            return c;
        }
        let w = self.words;
        let mut b = vec![0u64; 4 * w];
        {
            let (s, rest) = b.split_at_mut(w);
            let (t, rest) = rest.split_at_mut(w);
            let (rf, ra) = rest.split_at_mut(w);
            for &(std, tested) in &p {
                set(s, std as usize);
                if tested {
                    set(t, std as usize);
                }
                or_into(rf, reach.full(std as usize));
                or_into(ra, reach.any(std as usize));
            }
        }
        self.bits.extend(b);
        self.nonempty.push(!p.is_empty());
        let c = self.profiles.len() as u32;
        self.profiles.push(p.clone());
        self.index.insert(p, c);
        c
    }

    /// Bitset `k` (0 S, 1 T, 2 RF, 3 RA) of class `c`.
    #[inline]
    fn part(&self, c: u32, k: usize) -> &[u64] {
        let at = (c as usize * 4 + k) * self.words;
        &self.bits[at..at + self.words]
    }

    pub fn s(&self, c: u32) -> &[u64] {
        self.part(c, 0)
    }

    /// T: the tested standards of a class.
    pub fn t(&self, c: u32) -> &[u64] {
        self.part(c, 1)
    }

    /// Whether class `c` has the same RF and RA here as in `other` (same profiles, other reach).
    pub fn same_reach(&self, other: &Classes, c: u32) -> bool {
        self.part(c, 2) == other.part(c, 2) && self.part(c, 3) == other.part(c, 3)
    }

    /// RF (full) or RA (any) of a class.
    pub fn reach_bits(&self, c: u32, full: bool) -> &[u64] {
        self.part(c, if full { 2 } else { 3 })
    }

    /// The level of any system of class `p` with any system of class `q` (PRODUCT.md
    /// "Interoperability"; RF and RA include S, so a shared standard also counts as a path).
    #[inline]
    pub fn level(&self, p: u32, q: u32) -> Level {
        if !self.nonempty[p as usize] || !self.nonempty[q as usize] {
            return Level::Na;
        }
        let w = self.words;
        let a = &self.bits[p as usize * 4 * w..(p as usize + 1) * 4 * w];
        let b = &self.bits[q as usize * 4 * w..(q as usize + 1) * 4 * w];
        let (sa, ta, rfa, raa) = (&a[..w], &a[w..2 * w], &a[2 * w..3 * w], &a[3 * w..]);
        let (sb, tb, rfb, rab) = (&b[..w], &b[w..2 * w], &b[2 * w..3 * w], &b[3 * w..]);
        if intersects(ta, tb) {
            Level::Integrated
        } else if intersects(rfa, sb) && intersects(rfb, sa) {
            Level::Compatible
        } else if intersects(raa, sb) || intersects(rab, sa) {
            Level::Deconflicted
        } else {
            Level::None
        }
    }
}
