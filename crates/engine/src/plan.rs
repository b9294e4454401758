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

use crate::analysis::{has, intersects, ones, profile, Classes, Reach};
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
    progress.start(domains.len() as u64 + budget as u64);
    // Every domain once, spread over the cores; later steps re-evaluate one domain each.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, domains.len().max(1));
    let mut evaluated: Vec<Option<(DomainState, Option<Step>)>> =
        (0..domains.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let cur = &cur;
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t..domains.len())
                        .step_by(threads)
                        .map(|i| {
                            let st = DomainState::new(cur, domains[i], left, right, target);
                            let best = st.best(cur);
                            progress.advance(1);
                            (i, st, best)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            if let Ok(done) = h.join() {
                for (i, st, best) in done {
                    evaluated[i] = Some((st, best));
                }
            }
        }
    });
    let (mut states, mut bests): (Vec<DomainState>, Vec<Option<Step>>) = evaluated
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            // A worker that panicked leaves None: evaluate here so the panic surfaces.
            e.unwrap_or_else(|| {
                let st = DomainState::new(&cur, domains[i], left, right, target);
                let best = st.best(&cur);
                (st, best)
            })
        })
        .unzip();
    let covered_before: u64 = states.iter().map(|s| s.covered).sum();
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
            // Only pairs with a class whose reach changed can change level.
            let act: Vec<u32> = self.active().collect();
            let changed: Vec<bool> = (0..self.classes.profiles.len() as u32)
                .map(|c| !classes.same_reach(&self.classes, c))
                .collect();
            let changed_list: Vec<u32> = act
                .iter()
                .copied()
                .filter(|c| changed[*c as usize])
                .collect();
            let mut delta = 0i64;
            for &p in &act {
                if self.nl[p as usize] == 0 {
                    continue;
                }
                let qs: &[u32] = if changed[p as usize] {
                    &act
                } else {
                    &changed_list
                };
                for &q in qs {
                    let w = self.nl[p as usize] * self.nr[q as usize]
                        - if p == q { self.nb[p as usize] } else { 0 };
                    if w == 0 {
                        continue;
                    }
                    let before = i64::from(self.ok(self.classes.level(p, q)));
                    let after = i64::from(self.ok(classes.level(p, q)));
                    delta += w as i64 * (after - before);
                }
            }
            if delta > 0 {
                consider(
                    best,
                    Step {
                        action: Action::Field {
                            gateway: snap.gateways[g].id.clone(),
                        },
                        gain: delta as u64,
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
        let (index, gains) = self.gateway_gains(dom.standards.len());
        let m = self.used_left.union(&self.used_right).count();
        let mut seen: BTreeSet<(u32, u32)> = BTreeSet::new();
        for &u in &self.used_left {
            for &v in &self.used_right {
                let (a, b) = (u.min(v), u.max(v));
                if a == b || !seen.insert((a, b)) {
                    continue;
                }
                let (Some(ia), Some(ib)) = (index[a as usize], index[b as usize]) else {
                    continue;
                };
                let gain = gains[ia.min(ib) as usize * m + ia.max(ib) as usize];

                if gain > 0 {
                    let (x, y) = (id(a), id(b));
                    let (from, to) = if x <= y { (x, y) } else { (y, x) };
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

    /// The gain of every new bidirectional full gateway u ↔ v between standards the fleets use,
    /// at once: (local standard → compact index, m × m table read at index u < index v). With the new edge, class p reaches class q iff it did, or p reaches u
    /// and v reaches q, or p reaches v and u reaches q (reachability reflexive; through full
    /// gateways for target 2, any for target 1). So for each pair of classes below the target
    /// the gateways that lift it form a union of rectangles over (u, v): each pair adds its
    /// weight to exactly those cells.
    fn gateway_gains(&self, n: usize) -> (Vec<Option<u32>>, Vec<u64>) {
        let full = self.target == Level::Compatible;
        let mut index: Vec<Option<u32>> = vec![None; n];
        for (i, s) in self.used_left.union(&self.used_right).enumerate() {
            index[*s as usize] = Some(i as u32);
        }
        let m = self.used_left.union(&self.used_right).count();
        let act: Vec<u32> = self
            .active()
            .filter(|c| !self.classes.profiles[*c as usize].is_empty())
            .collect();
        // Per class: standards it reaches (R) and standards that reach it (Rrev), as lists of
        // compact indexes (standards no fleet uses cannot be a candidate's end), and Rrev as
        // bits for membership tests.
        let classes_n = self.classes.profiles.len();
        let mut reach_to: Vec<Vec<u32>> = vec![Vec::new(); classes_n];
        let mut reached_from: Vec<Vec<u32>> = vec![Vec::new(); classes_n];
        let mut rev_bits: Vec<Vec<u64>> = vec![Vec::new(); classes_n];
        for &c in &act {
            let compact = |bits: &[u64]| -> Vec<u32> {
                ones(bits)
                    .into_iter()
                    .filter_map(|s| index[s as usize])
                    .collect()
            };
            reach_to[c as usize] = compact(self.classes.reach_bits(c, full));
            let mut rev = vec![0u64; self.reach.words];
            for (s, _) in &self.classes.profiles[c as usize] {
                for (d, x) in rev.iter_mut().zip(self.reach.reaching(*s as usize, full)) {
                    *d |= x;
                }
            }
            reached_from[c as usize] = compact(&rev);
            rev_bits[c as usize] = rev;
        }
        // Compact index → local standard, for bit tests.
        let mut local = vec![0u32; m];
        for (s, i) in index.iter().enumerate() {
            if let Some(i) = i {
                local[*i as usize] = s as u32;
            }
        }
        let mut gains = vec![0u64; m * m];
        let mut stamp = vec![0u32; m * m];
        let mut pair_id = 0u32;
        let mut add = |u: u32, v: u32, w: u64, pair_id: u32| {
            let (a, b) = (u.min(v) as usize, u.max(v) as usize);
            if a != b {
                let i = a * m + b;
                if stamp[i] != pair_id {
                    stamp[i] = pair_id;
                    gains[i] += w;
                }
            }
        };
        for &p in &act {
            if self.nl[p as usize] == 0 {
                continue;
            }
            for &q in &act {
                let w = self.nl[p as usize] * self.nr[q as usize]
                    - if p == q { self.nb[p as usize] } else { 0 };
                if w == 0 || self.ok(self.classes.level(p, q)) {
                    continue;
                }
                let fpq = intersects(self.classes.reach_bits(p, full), self.classes.s(q));
                let fqp = intersects(self.classes.reach_bits(q, full), self.classes.s(p));
                // A new path x → y through u ↔ v: x reaches one end and the other reaches y.
                // Cells are unordered {u, v}, so one rectangle R(x) × Rrev(y) covers both ways.
                let opens = |x: u32, y: u32, u: u32, v: u32| {
                    let (rx, ry) = (self.classes.reach_bits(x, full), &rev_bits[y as usize]);
                    let (u, v) = (local[u as usize] as usize, local[v as usize] as usize);
                    (has(rx, u) && has(ry, v)) || (has(rx, v) && has(ry, u))
                };
                pair_id += 1;
                let (pp, qq) = (p as usize, q as usize);
                if full {
                    match (fpq, fqp) {
                        (true, true) => {}
                        (true, false) => {
                            for &a in &reach_to[qq] {
                                for &b in &reached_from[pp] {
                                    add(a, b, w, pair_id);
                                }
                            }
                        }
                        (false, true) => {
                            for &a in &reach_to[pp] {
                                for &b in &reached_from[qq] {
                                    add(a, b, w, pair_id);
                                }
                            }
                        }
                        (false, false) => {
                            for &a in &reach_to[pp] {
                                for &b in &reached_from[qq] {
                                    if opens(q, p, a, b) {
                                        add(a, b, w, pair_id);
                                    }
                                }
                            }
                        }
                    }
                } else {
                    for (x, y) in [(pp, qq), (qq, pp)] {
                        for &a in &reach_to[x] {
                            for &b in &reached_from[y] {
                                add(a, b, w, pair_id);
                            }
                        }
                    }
                }
            }
        }
        (index, gains)
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
