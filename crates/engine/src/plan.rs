//! Gap-closure plans (PRODUCT.md): for a budget of k actions, greedily pick the action that
//! raises the most (a, b, domain) triples to at least the target level; ties go to the kind
//! (test, adopt, field, gateway), then to the key compared as a tuple of strings. Stops early
//! when nothing gains.
//!
//! The result is exactly plain greedy. What makes it fast is where gains are computed, not a
//! shortcut in the choice:
//! - an action only changes coverage in its own domain, so after a step only that domain's
//!   candidates are evaluated again; every other domain keeps its best candidate;
//! - systems with the same profile and the same side(s) gain the same from the same test or
//!   adopt, so such candidates are evaluated once per profile class, and the class's smallest
//!   system id stands for them (it wins the tie-break among them);
//! - adopting a standard can only change a pair's level where the standard is related to the
//!   other class (in its standards, or reachable to or from them through gateways), so only
//!   those classes are visited;
//! - a new gateway u ↔ v can only raise pairs where one class reaches u or v and the other is
//!   reached from them.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use defcoop_domain::model::GatewayStatus;

use crate::analysis::{has, intersects, profile, Classes, Reach};
use crate::snapshot::Snapshot;
use crate::whatif::Action;
use crate::{EngineError, Level, Progress};

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub action: Action,
    /// Triples newly at or above the target.
    pub gain: u64,
}

/// A gap-closure plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub target: Level,
    pub covered_before: u64,
    pub covered_after: u64,
    pub steps: Vec<Step>,
}

fn kind_rank(a: &Action) -> u8 {
    match a {
        Action::Test { .. } => 0,
        Action::Adopt { .. } => 1,
        Action::Field { .. } => 2,
        Action::Gateway { .. } => 3,
    }
}

fn key(a: &Action) -> Vec<&str> {
    match a {
        Action::Test { system, standard } | Action::Adopt { system, standard } => {
            vec![system, standard]
        }
        Action::Field { gateway } => vec![gateway],
        Action::Gateway { domain, from, to } => vec![domain, from, to],
    }
}

/// The plan's total order on candidates: larger gain first, then kind, then key.
pub fn better(a: &Step, b: &Step) -> Ordering {
    b.gain
        .cmp(&a.gain)
        .then_with(|| kind_rank(&a.action).cmp(&kind_rank(&b.action)))
        .then_with(|| key(&a.action).cmp(&key(&b.action)))
}

fn consider(best: &mut Option<Step>, c: Step) {
    if c.gain == 0 {
        return;
    }
    match best {
        Some(b) if better(&c, b) != Ordering::Less => {}
        _ => *best = Some(c),
    }
}

/// Plans up to `budget` actions raising `left` × `right` pairs in `domains` to `target`.
pub fn plan(
    snap: &Snapshot,
    left: &[usize],
    right: &[usize],
    domains: &[usize],
    target: Level,
    budget: usize,
    progress: &dyn Progress,
) -> Result<Plan, EngineError> {
    if target == Level::Na {
        return Err(EngineError::BadAction(
            "the target must be a level from 0 to 3".into(),
        ));
    }
    let mut cur = snap.clone();
    let mut states: Vec<DomainState> = domains
        .iter()
        .map(|&d| DomainState::new(&cur, d, left, right, target))
        .collect();
    let covered_before: u64 = states.iter().map(|s| s.covered).sum();
    progress.start(domains.len() as u64 + budget as u64 * 2);
    let mut bests: Vec<Option<Step>> = states
        .iter()
        .map(|s| {
            let b = s.best(&cur);
            progress.advance(1);
            b
        })
        .collect();
    let mut steps = Vec::new();
    for _ in 0..budget {
        let Some((i, step)) = bests
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.as_ref().map(|b| (i, b)))
            .min_by(|x, y| better(x.1, y.1))
            .map(|(i, b)| (i, b.clone()))
        else {
            break;
        };
        cur.apply_one(&step.action)?;
        states[i] = DomainState::new(&cur, domains[i], left, right, target);
        progress.advance(1);
        bests[i] = states[i].best(&cur);
        progress.advance(1);
        steps.push(step);
    }
    let covered_after = states.iter().map(|s| s.covered).sum();
    Ok(Plan {
        target,
        covered_before,
        covered_after,
        steps,
    })
}

/// Which side(s) a system is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Side {
    left: bool,
    right: bool,
}

/// One domain under planning: classes of the systems of both sides, and counts per class.
struct DomainState {
    d: usize,
    target: Level,
    reach: Reach,
    classes: Classes,
    /// Per class: left systems, right systems, systems on both sides.
    nl: Vec<u64>,
    nr: Vec<u64>,
    nb: Vec<u64>,
    /// (class, side) → smallest system id (index) of that group.
    groups: Vec<(u32, Side, usize)>,
    /// Local standards used by the left / the right side.
    used_left: BTreeSet<u32>,
    used_right: BTreeSet<u32>,
    covered: u64,
}

impl DomainState {
    fn new(
        snap: &Snapshot,
        d: usize,
        left: &[usize],
        right: &[usize],
        target: Level,
    ) -> DomainState {
        let reach = Reach::new(snap, d);
        let mut classes = Classes::new(reach.words);
        let confs = &snap.domains[d].conformances;
        let mut side: HashMap<usize, Side> = HashMap::new();
        for &s in left {
            side.entry(s)
                .or_insert(Side {
                    left: false,
                    right: false,
                })
                .left = true;
        }
        for &s in right {
            side.entry(s)
                .or_insert(Side {
                    left: false,
                    right: false,
                })
                .right = true;
        }
        let mut members: Vec<(usize, Side)> = side.into_iter().collect();
        members.sort_unstable_by(|a, b| snap.systems[a.0].id.cmp(&snap.systems[b.0].id));
        let mut group_rep: HashMap<(u32, Side), usize> = HashMap::new();
        let (mut nl, mut nr, mut nb) = (Vec::new(), Vec::new(), Vec::new());
        let (mut used_left, mut used_right) = (BTreeSet::new(), BTreeSet::new());
        for (s, sd) in &members {
            let c = classes.intern(profile(&confs[*s]), &reach) as usize;
            if nl.len() <= c {
                nl.resize(c + 1, 0);
                nr.resize(c + 1, 0);
                nb.resize(c + 1, 0);
            }
            nl[c] += u64::from(sd.left);
            nr[c] += u64::from(sd.right);
            nb[c] += u64::from(sd.left && sd.right);
            group_rep.entry((c as u32, *sd)).or_insert(*s);
            for (std, _) in &confs[*s] {
                if sd.left {
                    used_left.insert(*std);
                }
                if sd.right {
                    used_right.insert(*std);
                }
            }
        }
        let mut groups: Vec<(u32, Side, usize)> = group_rep
            .into_iter()
            .map(|((c, sd), s)| (c, sd, s))
            .collect();
        groups.sort_unstable();
        let mut st = DomainState {
            d,
            target,
            reach,
            classes,
            nl,
            nr,
            nb,
            groups,
            used_left,
            used_right,
            covered: 0,
        };
        st.covered = st.coverage(|p, q| st.classes.level(p, q));
        st
    }

    fn active(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.nl.len() as u32).filter(|c| self.nl[*c as usize] + self.nr[*c as usize] > 0)
    }

    fn ok(&self, l: Level) -> bool {
        l != Level::Na && l >= self.target
    }

    /// Covered triples of this domain under a level function on classes.
    fn coverage(&self, level: impl Fn(u32, u32) -> Level) -> u64 {
        let mut total = 0u64;
        let act: Vec<u32> = self.active().collect();
        for &p in &act {
            if self.nl[p as usize] == 0 {
                continue;
            }
            for &q in &act {
                if self.nr[q as usize] > 0 && self.ok(level(p, q)) {
                    total += self.nl[p as usize] * self.nr[q as usize];
                }
            }
            if self.nb[p as usize] > 0 && self.ok(level(p, p)) {
                total -= self.nb[p as usize];
            }
        }
        total
    }

    /// The best candidate of this domain, if any gains.
    fn best(&self, snap: &Snapshot) -> Option<Step> {
        let mut best = None;
        self.best_test_adopt(snap, &mut best);
        self.best_field(snap, &mut best);
        self.best_gateway(snap, &mut best);
        best
    }

    /// Gain of moving one system of class `p` (on `side`) to the profile given by its bitsets.
    fn move_gain(&self, p: u32, side: Side, new: &Bits, related: impl Iterator<Item = u32>) -> i64 {
        let g = |l: Level| i64::from(self.ok(l));
        let mut delta = 0i64;
        for q in related {
            let w = u64::from(side.left) * self.nr[q as usize]
                + u64::from(side.right) * self.nl[q as usize];
            if w == 0 {
                continue;
            }
            delta += w as i64 * (g(new.level(&self.classes, q)) - g(self.classes.level(p, q)));
        }
        if side.left && side.right {
            // The pair (a, a) is not a pair: take out what the sum counted for it, twice.
            delta -= 2 * (g(new.level(&self.classes, p)) - g(self.classes.level(p, p)));
        }
        delta
    }

    fn best_test_adopt(&self, snap: &Snapshot, best: &mut Option<Step>) {
        let dom = &snap.domains[self.d];
        let id = |l: u32| snap.standards[dom.standards[l as usize]].id.clone();
        // related[s]: active classes whose standards s can reach or be reached from (any gateway).
        let n = dom.standards.len();
        let mut related: Vec<Vec<u32>> = vec![Vec::new(); n];
        for q in self.active() {
            for (s, row) in related.iter_mut().enumerate() {
                if self.classes.touches(q, s, &self.reach) {
                    row.push(q);
                }
            }
        }
        for &(p, side, rep) in &self.groups {
            let prof = &self.classes.profiles[p as usize];
            let sys = &snap.systems[rep].id;
            // test: a claimed standard of the profile becomes tested.
            for &(s, tested) in prof {
                if tested {
                    continue;
                }
                let new = Bits::of(&self.classes, p, s, &self.reach);
                let gain = self.move_gain(p, side, &new, related[s as usize].iter().copied());
                if gain > 0 {
                    consider(
                        best,
                        Step {
                            action: Action::Test {
                                system: sys.clone(),
                                standard: id(s),
                            },
                            gain: gain as u64,
                        },
                    );
                }
            }
            // adopt: a standard the other side uses, in a domain the system already takes part in.
            if prof.is_empty() {
                continue;
            }
            let mut other: BTreeSet<u32> = BTreeSet::new();
            if side.left {
                other.extend(&self.used_right);
            }
            if side.right {
                other.extend(&self.used_left);
            }
            for s in other {
                if prof.iter().any(|(x, _)| *x == s) {
                    continue;
                }
                let new = Bits::of(&self.classes, p, s, &self.reach);
                let gain = self.move_gain(p, side, &new, related[s as usize].iter().copied());
                if gain > 0 {
                    consider(
                        best,
                        Step {
                            action: Action::Adopt {
                                system: sys.clone(),
                                standard: id(s),
                            },
                            gain: gain as u64,
                        },
                    );
                }
            }
        }
    }

    fn best_field(&self, snap: &Snapshot, best: &mut Option<Step>) {
        for &g in &snap.domains[self.d].gateways {
            if snap.gateways[g].status != GatewayStatus::Planned {
                continue;
            }
            let mut with = snap.clone();
            with.gateways[g].status = GatewayStatus::Fielded;
            let reach = Reach::new(&with, self.d);
            let mut classes = Classes::new(reach.words);
            for prof in &self.classes.profiles {
                classes.intern(prof.clone(), &reach);
            }
            let after = self.coverage(|p, q| classes.level(p, q));
            if after > self.covered {
                consider(
                    best,
                    Step {
                        action: Action::Field {
                            gateway: snap.gateways[g].id.clone(),
                        },
                        gain: after - self.covered,
                    },
                );
            }
        }
    }

    fn best_gateway(&self, snap: &Snapshot, best: &mut Option<Step>) {
        if self.target == Level::Integrated || self.target == Level::None {
            // Level 3 needs a shared tested standard and level 0 is reached by everyone with a
            // standard: a gateway changes neither.
            return;
        }
        let dom = &snap.domains[self.d];
        let id = |l: u32| snap.standards[dom.standards[l as usize]].id.clone();
        let full = self.target == Level::Compatible;
        let act: Vec<u32> = self.active().collect();
        let mut seen: BTreeSet<(u32, u32)> = BTreeSet::new();
        for &u in &self.used_left {
            for &v in &self.used_right {
                if u == v || !seen.insert((u.min(v), u.max(v))) {
                    continue;
                }
                let gain = self.gateway_gain(&act, u as usize, v as usize, full);
                if gain > 0 {
                    let (a, b) = (id(u), id(v));
                    let (from, to) = if a <= b { (a, b) } else { (b, a) };
                    consider(
                        best,
                        Step {
                            action: Action::Gateway {
                                domain: dom.code.clone(),
                                from,
                                to,
                            },
                            gain,
                        },
                    );
                }
            }
        }
    }

    /// Gain of a new bidirectional full gateway u ↔ v. With it, class p reaches class q iff it
    /// did, or p reaches u and v reaches q, or p reaches v and u reaches q (reachability is
    /// reflexive; full gateways for target 2, any for target 1).
    fn gateway_gain(&self, act: &[u32], u: usize, v: usize, full: bool) -> u64 {
        let row = |s: usize| {
            if full {
                self.reach.full(s)
            } else {
                self.reach.any(s)
            }
        };
        let (ru, rv) = (row(u), row(v));
        // Per class: reaches u, reaches v, reached from u, reached from v.
        let info: Vec<(u32, bool, bool, bool, bool)> = act
            .iter()
            .map(|&c| {
                let r = self.classes.reach_bits(c, full);
                let s = self.classes.s(c);
                (
                    c,
                    has(r, u),
                    has(r, v),
                    intersects(ru, s),
                    intersects(rv, s),
                )
            })
            .filter(|x| x.1 || x.2 || x.3 || x.4)
            .collect();
        let fwd = |p: &(u32, bool, bool, bool, bool), q: &(u32, bool, bool, bool, bool)| {
            intersects(self.classes.reach_bits(p.0, full), self.classes.s(q.0))
                || (p.1 && q.4)
                || (p.2 && q.3)
        };
        let mut gain = 0u64;
        for p in &info {
            for q in &info {
                let w = self.nl[p.0 as usize] * self.nr[q.0 as usize]
                    - if p.0 == q.0 { self.nb[p.0 as usize] } else { 0 };
                if w == 0 || self.ok(self.classes.level(p.0, q.0)) {
                    continue;
                }
                let now = if full {
                    fwd(p, q) && fwd(q, p)
                } else {
                    fwd(p, q) || fwd(q, p)
                };
                if now {
                    gain += w;
                }
            }
        }
        gain
    }
}

/// The bitsets of a profile with one standard added as tested (or made tested).
struct Bits {
    s: Vec<u64>,
    t: Vec<u64>,
    rf: Vec<u64>,
    ra: Vec<u64>,
}

impl Bits {
    fn of(classes: &Classes, p: u32, std: u32, reach: &Reach) -> Bits {
        let (mut s, mut t, mut rf, mut ra) = classes.bitsets(p);
        let i = std as usize;
        s[i / 64] |= 1 << (i % 64);
        t[i / 64] |= 1 << (i % 64);
        for (d, x) in rf.iter_mut().zip(reach.full(i)) {
            *d |= x;
        }
        for (d, x) in ra.iter_mut().zip(reach.any(i)) {
            *d |= x;
        }
        Bits { s, t, rf, ra }
    }

    fn level(&self, classes: &Classes, q: u32) -> Level {
        classes.level_with(&self.s, &self.t, &self.rf, &self.ra, q)
    }
}
