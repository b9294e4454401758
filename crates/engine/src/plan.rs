//! Gap-closure plans (PRODUCT.md): for a budget of k actions, greedily pick the action that
//! raises the most (a, b, domain) triples to at least the target level; ties go to the kind
//! (test, adopt, field, gateway), then to the key compared as a tuple of strings. Stops early
//! when nothing gains.
//!
//! The result is exactly plain greedy: every candidate's gain is computed exactly and the
//! best is taken by the total order [`better`]. What makes it fast is how gains are computed,
//! never a shortcut in the choice:
//! - an action only changes coverage in its own domain, so after a step only that domain's
//!   candidates are evaluated again; every other domain keeps its best candidate (and the
//!   snapshot is copied per domain on write, so a step copies one domain's data, not the
//!   registry);
//! - systems with the same profile and the same side(s) gain the same from the same test or
//!   adopt, so such candidates are evaluated once per profile class, and the class's smallest
//!   system id stands for them (it wins the tie-break among them);
//! - **the at-target relation between classes is a bit matrix** built once per domain
//!   evaluation, a row at a time from per-standard class sets (`ByStandard`): e.g. for
//!   target 2 row p is ⋃ T-holders of T(p) ∪ (⋃ S-holders of RF(p) ∩ ⋃ RF-holders of S(p)),
//!   word-parallel over classes. Coverage and every gain below read it;
//! - **all test and adopt gains of a class in one pass** (`DomainState::lifts`): a test or
//!   adopt adds one tested standard s to the class's profile, and levels only grow with the
//!   profile. For a partner class q below the target, the standards s that would lift the
//!   pair to the target form a bitset computed with a few word operations (e.g. for target 2:
//!   T(q), or the standards that reach q's standards through full gateways and are reached
//!   from them, each side's condition dropped when it already holds). Adding q's weight at
//!   those bits gives every candidate standard's gain at once;
//! - **unrelated pairs by formula**: most class pairs are unrelated (for target 2: no shared
//!   tested standard, neither reaches the other). Their lift bits, and their share of every
//!   gateway gain, depend on the partner alone, so they are summed once per domain over all
//!   partners (`Totals`); per class only the related partners are visited and taken out
//!   again (or the unrelated ones added up, whichever set is smaller: `DomainState::split`);
//! - fielding a planned gateway re-rates only the rows of classes whose reach it changes (the
//!   relation is symmetric), with the new reach from the domain's edges plus that gateway,
//!   without a copy;
//! - a new gateway u ↔ v can only raise pairs where one class reaches u or v and the other is
//!   reached from them: all gateway gains of a domain are one n × n table, accumulated from
//!   per-class sums and outer products (`DomainState::gateway_gains` proves that no
//!   gateway is counted twice for a pair);
//! - domains are evaluated in parallel at the start, and a domain's classes in parallel after
//!   each step (rayon); the best of each part is combined by the same total order, so the
//!   answer does not depend on the number of threads.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use defcoop_domain::model::GatewayStatus;
use rayon::prelude::*;

use crate::analysis::{for_ones, has, intersects, ones, profile, set, words, Classes, Reach};
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

/// Keeps the better of `best` and the candidate `action()` with `gain`; the action is only
/// built when it can win (a larger gain, or an equal gain to be broken by kind and key).
fn consider(best: &mut Option<Step>, gain: u64, action: impl FnOnce() -> Action) {
    if gain == 0 || best.as_ref().is_some_and(|b| b.gain > gain) {
        return;
    }
    let c = Step {
        action: action(),
        gain,
    };
    match best {
        Some(b) if better(&c, b) != Ordering::Less => {}
        _ => *best = Some(c),
    }
}

/// The better of two candidates (by [`better`]).
fn pick(a: Option<Step>, b: Option<Step>) -> Option<Step> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if better(&b, &a) == Ordering::Less {
            b
        } else {
            a
        }),
        (a, b) => a.or(b),
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
    // Shares every part with `snap`; a step copies only what it changes.
    let mut cur = snap.clone();
    progress.start(domains.len() as u64 + budget as u64);
    let members = members(snap, left, right);
    // Every domain once, spread over the cores; later steps re-evaluate one domain each.
    let (mut states, mut bests): (Vec<DomainState>, Vec<Option<Step>>) = domains
        .par_iter()
        .map(|&d| {
            let st = DomainState::new(&cur, d, &members, target);
            let best = st.best(&cur);
            progress.advance(1);
            (st, best)
        })
        .collect::<Vec<_>>()
        .into_iter()
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
        states[i] = DomainState::new(&cur, domains[i], &members, target);
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Side {
    left: bool,
    right: bool,
}

impl Side {
    /// 0..4, for tables indexed by side.
    fn index(self) -> usize {
        usize::from(self.left) * 2 + usize::from(self.right)
    }
}

/// The systems of both sides (indexes below the snapshot's count), once each with its
/// side(s), sorted by system id: the same for every domain, so computed once per plan.
fn members(snap: &Snapshot, left: &[usize], right: &[usize]) -> Vec<(usize, Side)> {
    let n = snap.systems.len();
    let mut side = vec![Side::default(); n];
    for &s in left.iter().filter(|s| **s < n) {
        side[s].left = true;
    }
    for &s in right.iter().filter(|s| **s < n) {
        side[s].right = true;
    }
    let mut out: Vec<(usize, Side)> = side
        .into_iter()
        .enumerate()
        .filter(|(_, sd)| sd.left || sd.right)
        .collect();
    out.sort_unstable_by(|a, b| snap.systems[a.0].id.cmp(&snap.systems[b.0].id));
    out
}

/// One domain under planning: classes of the systems of both sides, and counts per class.
struct DomainState {
    d: usize,
    target: Level,
    classes: Classes,
    /// Whether each pair of classes is at the target: row p holds bit q (`ok_words` a row).
    /// Rated once here; every gain below reads it instead of rating pairs again.
    ok: Vec<u64>,
    ok_words: usize,
    /// Per standard, the classes holding it (for rows of relations between classes).
    by: ByStandard,
    /// Partner classes (active, with a standard) as bits over classes.
    partners: Vec<u64>,
    /// Sums over all partner classes, for the gains of the pairs that stay unrelated.
    totals: Totals,
    /// Per class: left systems, right systems, systems on both sides.
    nl: Vec<u64>,
    nr: Vec<u64>,
    nb: Vec<u64>,
    /// (class, side) → smallest system id (index) of that group, sorted.
    groups: Vec<(u32, Side, usize)>,
    /// Per class, the standards from which its standards are reachable (its own included):
    /// through full gateways (`rev_full`) and through any gateway (`rev_any`).
    rev_full: Vec<u64>,
    rev_any: Vec<u64>,
    /// Local standards used by the left / the right side.
    used_left: BTreeSet<u32>,
    used_right: BTreeSet<u32>,
    covered: u64,
}

impl DomainState {
    fn new(snap: &Snapshot, d: usize, members: &[(usize, Side)], target: Level) -> DomainState {
        let reach = Reach::new(snap, d);
        let mut classes = Classes::new(reach.words);
        let confs = &snap.domains[d].conformances;
        // (class, side index) → representative; members come in id order, so the first one
        // seen is the smallest id.
        let mut rep: Vec<[Option<usize>; 4]> = Vec::new();
        let (mut nl, mut nr, mut nb) = (Vec::new(), Vec::new(), Vec::new());
        let (mut used_left, mut used_right) = (BTreeSet::new(), BTreeSet::new());
        for &(s, sd) in members {
            let c = classes.intern(profile(&confs[s]), &reach) as usize;
            if nl.len() <= c {
                nl.resize(c + 1, 0);
                nr.resize(c + 1, 0);
                nb.resize(c + 1, 0);
                rep.resize(c + 1, [None; 4]);
            }
            nl[c] += u64::from(sd.left);
            nr[c] += u64::from(sd.right);
            nb[c] += u64::from(sd.left && sd.right);
            rep[c][sd.index()].get_or_insert(s);
            for (std, _) in &confs[s] {
                if sd.left {
                    used_left.insert(*std);
                }
                if sd.right {
                    used_right.insert(*std);
                }
            }
        }
        let mut groups = Vec::new();
        for (c, reps) in rep.iter().enumerate() {
            for (sd, r) in [(false, true), (true, false), (true, true)]
                .map(|(left, right)| Side { left, right })
                .into_iter()
                .filter_map(|sd| reps[sd.index()].map(|r| (sd, r)))
            {
                groups.push((c as u32, sd, r));
            }
        }
        let w = reach.words;
        let mut rev_full = vec![0u64; classes.profiles.len() * w];
        let mut rev_any = vec![0u64; classes.profiles.len() * w];
        for (c, prof) in classes.profiles.iter().enumerate() {
            let (f, a) = (
                &mut rev_full[c * w..(c + 1) * w],
                &mut rev_any[c * w..(c + 1) * w],
            );
            for &(s, _) in prof {
                for (x, y) in f.iter_mut().zip(reach.reaching(s as usize, true)) {
                    *x |= y;
                }
                for (x, y) in a.iter_mut().zip(reach.reaching(s as usize, false)) {
                    *x |= y;
                }
            }
        }
        let cn = classes.profiles.len();
        let ok_words = words(cn);
        let by = ByStandard::new(&classes, snap.domains[d].standards.len());
        let mut ok = vec![0u64; cn * ok_words];
        ok.par_chunks_mut(ok_words).enumerate().for_each_init(
            || (vec![0u64; ok_words], vec![0u64; ok_words]),
            |tmp, (p, row)| by.row(&classes, p as u32, target, row, tmp),
        );
        let mut partners = vec![0u64; ok_words];
        for c in 0..cn {
            if (nl[c] + nr[c] > 0) && !classes.profiles[c].is_empty() {
                set(&mut partners, c);
            }
        }
        let mut st = DomainState {
            d,
            target,
            classes,
            ok,
            ok_words,
            by,
            partners,
            totals: Totals::default(),
            nl,
            nr,
            nb,
            groups,
            rev_full,
            rev_any,
            used_left,
            used_right,
            covered: 0,
        };
        st.covered = st.coverage();
        st.totals = st.totals(snap.domains[d].standards.len());
        st
    }

    /// The classes q for which the test/adopt and gateway gains of class p are computed pair
    /// by pair: every q at the target with p, and for target 2 every q related to p (sharing
    /// a tested standard, or reached from p or reaching p through full gateways). For every
    /// other partner q the pair is below the target and its gains follow a formula of q
    /// alone ([`DomainState::default_lift`], [`Totals`]), so they are summed once per
    /// domain over all partners and the related ones are taken out again.
    fn related(&self, p: u32, out: &mut [u64], tmp: &mut Tmp) {
        let ow = self.ok_words;
        if self.target == Level::Compatible {
            let c = &self.classes;
            out.fill(0);
            self.by.union(&self.by.t, c.t(p), out);
            self.by.union(&self.by.s, c.reach_bits(p, true), out);
            self.by.union(&self.by.rf, c.s(p), out);
            let _ = tmp;
        } else {
            out.copy_from_slice(&self.ok[p as usize * ow..(p as usize + 1) * ow]);
        }
        for (o, m) in out.iter_mut().zip(&self.partners) {
            *o &= m;
        }
    }

    /// The partners of class p split for its gains: `unrelated` ones (gains by formula),
    /// `related` ones, and the related ones `below` the target (gains pair by pair).
    /// `from_totals` says whether to start from the sums over all partners and take the
    /// related ones out (when they are fewer) or to add the unrelated ones up.
    fn split(&self, p: u32) -> Split {
        let ow = self.ok_words;
        let mut related = vec![0u64; ow];
        let mut tmp = (vec![0u64; ow], vec![0u64; ow]);
        self.related(p, &mut related, &mut tmp);
        let row = &self.ok[p as usize * ow..(p as usize + 1) * ow];
        let unrelated: Vec<u64> = self
            .partners
            .iter()
            .zip(&related)
            .map(|(m, r)| m & !r)
            .collect();
        let below: Vec<u64> = related.iter().zip(row).map(|(r, o)| r & !o).collect();
        let count = |v: &[u64]| v.iter().map(|x| x.count_ones()).sum::<u32>();
        let from_totals = count(&related) < count(&unrelated);
        Split {
            unrelated,
            related,
            below,
            from_totals,
        }
    }

    /// The lift bits of a pair below the target whose classes are unrelated (see
    /// [`DomainState::lifts`] with every "held" condition false): they depend on q alone.
    fn default_lift(&self, q: u32, out: &mut [u64]) {
        let c = &self.classes;
        let tq = c.t(q);
        let (rfq, raq) = (c.reach_bits(q, true), c.reach_bits(q, false));
        let (revf, reva) = (self.rev(q, true), self.rev(q, false));
        for (i, o) in out.iter_mut().enumerate() {
            let (l3, l2, l1) = (tq[i], revf[i] & rfq[i], reva[i] | raq[i]);
            *o = match self.target {
                Level::Integrated => l3,
                Level::Compatible => l3 | l2,
                Level::Deconflicted => l3 | l2 | l1,
                Level::None | Level::Na => 0,
            };
        }
    }

    /// Sums over all partner classes q (see [`Totals`]).
    fn totals(&self, n: usize) -> Totals {
        let c = &self.classes;
        let w = c.words;
        let full = self.target == Level::Compatible;
        let mut t = Totals {
            lift_l: vec![0; n],
            lift_r: vec![0; n],
            reach: vec![0; n],
            reached: vec![0; n],
            both: vec![0; n],
            cells: vec![0; n * n],
        };
        let (mut lift, mut x) = (vec![0u64; w], vec![0u64; w]);
        for q in ones(&self.partners) {
            let (wl, wr) = (self.nr[q as usize] as i64, self.nl[q as usize] as i64);
            self.default_lift(q, &mut lift);
            for_ones(&lift, |s| {
                if s < n {
                    t.lift_l[s] += wl;
                    t.lift_r[s] += wr;
                }
            });
            let (r, rev) = (c.reach_bits(q, full), self.rev(q, full));
            for_ones(r, |a| t.reach[a] += wl);
            for_ones(rev, |b| t.reached[b] += wl);
            for ((o, a), b) in x.iter_mut().zip(r).zip(rev) {
                *o = a & b;
            }
            for_ones(&x, |b| t.both[b] += wl);
            for_ones(r, |a| for_ones(rev, |b| t.cells[a * n + b] += wl));
        }
        t
    }

    /// Whether classes p and q are at the target.
    #[inline]
    fn is_ok(&self, p: u32, q: u32) -> bool {
        has(&self.ok[p as usize * self.ok_words..], q as usize)
    }

    fn rev(&self, c: u32, full: bool) -> &[u64] {
        let (w, c) = (self.classes.words, c as usize);
        let v = if full { &self.rev_full } else { &self.rev_any };
        &v[c * w..(c + 1) * w]
    }

    /// Covered triples of this domain.
    fn coverage(&self) -> u64 {
        let mut total = 0u64;
        for p in 0..self.nl.len() as u32 {
            if self.nl[p as usize] == 0 {
                continue;
            }
            let row = &self.ok[p as usize * self.ok_words..(p as usize + 1) * self.ok_words];
            let right: u64 = ones(row).into_iter().map(|q| self.nr[q as usize]).sum();
            total += self.nl[p as usize] * right;
            if self.is_ok(p, p) {
                total -= self.nb[p as usize];
            }
        }
        total
    }

    /// The best candidate of this domain, if any gains.
    fn best(&self, snap: &Snapshot) -> Option<Step> {
        let mut best = self.best_test_adopt(snap);
        self.best_field(snap, &mut best);
        self.best_gateway(snap, &mut best);
        best
    }

    /// The standards s such that adding s as tested to class `p` (which is not at the target
    /// with non-empty class `q`) brings the pair (p, q) to the target, as bits (`out`; bits at
    /// or above the domain's standard count are meaningless). Levels only grow with the
    /// profile, so these are the pairs a test or adopt of s raises. With p' = p + s:
    /// - level 3 iff T(p') ∩ T(q) ≠ ∅, i.e. it held already or s ∈ T(q);
    /// - level ≥ 2 also iff RF(p') meets S(q) (held, or s reaches S(q) through full gateways:
    ///   s ∈ rev_full(q)) and RF(q) meets S(p') (held, or s ∈ RF(q));
    /// - level ≥ 1 also iff RA(p') meets S(q) (held, or s ∈ rev_any(q)) or RA(q) meets S(p')
    ///   (held, or s ∈ RA(q));
    /// - level ≥ 0 holds for any two non-empty profiles, so nothing lifts a pair to it.
    fn lifts(&self, p: u32, q: u32, out: &mut [u64]) {
        let c = &self.classes;
        let (sp, tp) = (c.s(p), c.t(p));
        let (sq, tq) = (c.s(q), c.t(q));
        let (rfp, rap) = (c.reach_bits(p, true), c.reach_bits(p, false));
        let (rfq, raq) = (c.reach_bits(q, true), c.reach_bits(q, false));
        let (revf, reva) = (self.rev(q, true), self.rev(q, false));
        let all = |held: bool, bits: u64| if held { !0 } else { bits };
        let integrated = intersects(tp, tq);
        let (fpq, fqp) = (intersects(rfp, sq), intersects(rfq, sp));
        let (apq, aqp) = (intersects(rap, sq), intersects(raq, sp));
        for (i, o) in out.iter_mut().enumerate() {
            let l3 = all(integrated, tq[i]);
            let l2 = all(fpq, revf[i]) & all(fqp, rfq[i]);
            let l1 = all(apq, reva[i]) | all(aqp, raq[i]);
            *o = match self.target {
                Level::Integrated => l3,
                Level::Compatible => l3 | l2,
                Level::Deconflicted => l3 | l2 | l1,
                Level::None | Level::Na => 0,
            };
        }
    }

    fn best_test_adopt(&self, snap: &Snapshot) -> Option<Step> {
        if self.target == Level::None {
            // Any two systems with a standard are at level 0 already.
            return None;
        }
        self.groups
            .par_chunk_by(|a, b| a.0 == b.0)
            .map(|groups| self.best_test_adopt_of(snap, groups))
            .reduce(|| None, pick)
    }

    /// The best test or adopt of one class's groups (all of the same class).
    fn best_test_adopt_of(&self, snap: &Snapshot, groups: &[(u32, Side, usize)]) -> Option<Step> {
        let p = groups.first()?.0;
        let prof = &self.classes.profiles[p as usize];
        if prof.is_empty() {
            // Nothing to test, and a system adopts only in a domain it takes part in.
            return None;
        }
        let dom = &snap.domains[self.d];
        let id = |l: u32| snap.standards[dom.standards[l as usize]].id.clone();
        let w = self.classes.words;
        // Gains per standard s of one system of class p moving to p + s: with the system on
        // the left (partners on the right, `gl`) and on the right (`gr`). Start from the sums
        // over all partners as if unrelated to p, then redo the related ones pair by pair.
        let n = dom.standards.len();
        let (mut gl, mut gr) = (vec![0i64; w * 64], vec![0i64; w * 64]);
        let mut lift = vec![0u64; w];
        let split = self.split(p);
        let (sign, others) = if split.from_totals {
            gl[..n].copy_from_slice(&self.totals.lift_l);
            gr[..n].copy_from_slice(&self.totals.lift_r);
            (-1, &split.related)
        } else {
            (1, &split.unrelated)
        };
        for q in ones(others) {
            let (wl, wr) = (self.nr[q as usize] as i64, self.nl[q as usize] as i64);
            self.default_lift(q, &mut lift);
            for_ones(&lift, |s| {
                gl[s] += sign * wl;
                gr[s] += sign * wr;
            });
        }
        for q in ones(&split.below) {
            let (wl, wr) = (self.nr[q as usize] as i64, self.nl[q as usize] as i64);
            self.lifts(p, q, &mut lift);
            for_ones(&lift, |s| {
                gl[s] += wl;
                gr[s] += wr;
            });
        }
        // The pair (a, a) is not a pair: a system on both sides was counted with itself
        // (class p) once per side.
        let mut self_lift = vec![0u64; w];
        if !self.is_ok(p, p) {
            self.lifts(p, p, &mut self_lift);
        }
        let n = n as u32;
        let mut best = None;
        for &(_, side, rep) in groups {
            let gain = |s: u32| -> u64 {
                let i = s as usize;
                let mut g = i64::from(side.left) * gl[i] + i64::from(side.right) * gr[i];
                if side.left && side.right && has(&self_lift, i) {
                    g -= 2;
                }
                u64::try_from(g).unwrap_or(0)
            };
            let sys = &snap.systems[rep].id;
            // test: a claimed standard of the profile becomes tested.
            for &(s, tested) in prof {
                if !tested {
                    consider(&mut best, gain(s), || Action::Test {
                        system: sys.clone(),
                        standard: id(s),
                    });
                }
            }
            // adopt: a standard the other side uses, not yet in the profile.
            let has_s = |s: u32| prof.iter().any(|(x, _)| *x == s);
            for s in 0..n {
                let used = (side.left && self.used_right.contains(&s))
                    || (side.right && self.used_left.contains(&s));
                if used && !has_s(s) {
                    consider(&mut best, gain(s), || Action::Adopt {
                        system: sys.clone(),
                        standard: id(s),
                    });
                }
            }
        }
        best
    }

    fn best_field(&self, snap: &Snapshot, best: &mut Option<Step>) {
        let planned: Vec<usize> = snap.domains[self.d]
            .gateways
            .iter()
            .copied()
            .filter(|g| snap.gateways[*g].status == GatewayStatus::Planned)
            .collect();
        let gains: Vec<(usize, u64)> = planned
            .par_iter()
            .map(|&g| (g, self.field_gain(snap, g)))
            .collect();
        for (g, gain) in gains {
            consider(best, gain, || Action::Field {
                gateway: snap.gateways[g].id.clone(),
            });
        }
    }

    /// The gain of fielding planned gateway `g`. Reach only grows, so levels only grow: the
    /// gain is the weight of the pairs at the target with the new reach and not before, and
    /// such a pair has a class whose reach changed. The relation is symmetric, so the rows of
    /// the changed classes hold every such pair.
    fn field_gain(&self, snap: &Snapshot, g: usize) -> u64 {
        let reach = Reach::with_fielded(snap, self.d, g);
        let mut classes = Classes::new(reach.words);
        for prof in &self.classes.profiles {
            classes.intern(prof.clone(), &reach);
        }
        let cn = self.classes.profiles.len();
        let changed: Vec<bool> = (0..cn as u32)
            .map(|c| !classes.same_reach(&self.classes, c))
            .collect();
        if !changed.iter().any(|c| *c) {
            return 0;
        }
        let by = ByStandard::new(&classes, snap.domains[self.d].standards.len());
        let ow = self.ok_words;
        let (mut row, mut tmp) = (vec![0u64; ow], (vec![0u64; ow], vec![0u64; ow]));
        let (nl, nr, nb) = (&self.nl, &self.nr, &self.nb);
        let mut gain = 0u64;
        for c in (0..cn).filter(|c| changed[*c] && nl[*c] + nr[*c] > 0) {
            by.row(&classes, c as u32, self.target, &mut row, &mut tmp);
            let before = &self.ok[c * ow..(c + 1) * ow];
            for (o, was) in row.iter_mut().zip(before) {
                *o &= !was;
            }
            for_ones(&row, |p| {
                gain += if p == c {
                    nl[c] * nr[c] - nb[c]
                } else if changed[p] {
                    // (p, c) is counted with p's row.
                    nl[c] * nr[p]
                } else {
                    nl[c] * nr[p] + nl[p] * nr[c]
                };
            });
        }
        gain
    }

    fn best_gateway(&self, snap: &Snapshot, best: &mut Option<Step>) {
        if self.target == Level::Integrated || self.target == Level::None {
            // Level 3 needs a shared tested standard and level 0 is reached by everyone with a
            // standard: a gateway changes neither.
            return;
        }
        let dom = &snap.domains[self.d];
        let id = |l: u32| snap.standards[dom.standards[l as usize]].id.clone();
        let n = dom.standards.len();
        let gains = self.gateway_gains(n);
        let mut seen: BTreeSet<(u32, u32)> = BTreeSet::new();
        for &u in &self.used_left {
            for &v in &self.used_right {
                let (a, b) = (u.min(v), u.max(v));
                if a == b || !seen.insert((a, b)) {
                    continue;
                }
                let (a_, b_) = (a as usize, b as usize);
                let gain = gains[a_ * n + b_] + gains[b_ * n + a_];
                consider(best, u64::try_from(gain).unwrap_or(0), || {
                    let (x, y) = (id(a), id(b));
                    let (from, to) = if x <= y { (x, y) } else { (y, x) };
                    Action::Gateway {
                        domain: dom.code.clone(),
                        from,
                        to,
                    }
                });
            }
        }
    }

    /// The gain of every new bidirectional full gateway between two standards, at once: an
    /// n × n table G of ordered cells (a, b) over local standards; the gateway {u, v} gains
    /// G[u][v] + G[v][u].
    ///
    /// Write R(c) for the standards class c reaches (S(c) included; through full gateways for
    /// target 2, any for target 1), R⁻(c) for those that reach S(c), X(c) = R(c) ∩ R⁻(c). With
    /// the new edge u ↔ v, p comes to reach q iff u ∈ R(p) and v ∈ R⁻(q), or the other way
    /// round. For a pair (p, q) below the target:
    /// - target 2, p reaching q but not q reaching p: the cells R(q) × R⁻(p) lift it (and the
    ///   mirror case likewise);
    /// - target 2, neither reaching the other: the gateway must open both ways, which happens
    ///   exactly on the cells X(p) × X(q) and (R(p) ∩ R(q)) × (R⁻(p) ∩ R⁻(q));
    /// - target 1 (neither reaches the other): either way suffices, R(p) × R⁻(q) or
    ///   R(q) × R⁻(p); their overlap is exactly the two products of the previous case, which
    ///   are taken out again (inclusion–exclusion).
    ///
    /// No unordered gateway is counted twice for one pair in these ordered products (a cell
    /// in both orientations, or in both products, would need a standard reached from one class
    /// and reaching the other, i.e. one class already reaching the other). The products with
    /// one factor fixed by p are summed over q first, so each pair costs one pass over a
    /// few bits of q, and each class one outer product per kind.
    fn gateway_gains(&self, n: usize) -> Vec<i64> {
        let full = self.target == Level::Compatible;
        let w = self.classes.words;
        let c = &self.classes;
        let t = &self.totals;
        // Unrelated pairs (see `related`): for target 2 they lift on X(p) × X(q) and on
        // (R(p) ∩ R(q)) × (R⁻(p) ∩ R⁻(q)); for target 1 on R(p) × R⁻(q) and R(q) × R⁻(p)
        // less those two products. `cy` weighs the first kind, `cx` the products.
        let (cy, cx): (i64, i64) = if full { (0, 1) } else { (1, -1) };
        let rows: Vec<u32> = ones(&self.partners)
            .into_iter()
            .filter(|p| self.nl[*p as usize] > 0)
            .collect();
        let and = |x: &[u64], y: &[u64], out: &mut [u64]| {
            for ((o, a), b) in out.iter_mut().zip(x).zip(y) {
                *o = a & b;
            }
        };
        rows.par_iter()
            .fold(
                || vec![0i64; n * n],
                |mut g, &p| {
                    let (rp, revp, sp) = (c.reach_bits(p, full), self.rev(p, full), c.s(p));
                    let np = self.nl[p as usize] as i64;
                    // Per standard, summed over q: weights to spread over R(p) (`y`, the
                    // standards q is reached from), over R⁻(p) (`u`, what q reaches) and over
                    // X(p) (`x`, X(q)).
                    let split = self.split(p);
                    let (sign, others) = if split.from_totals {
                        (-1, &split.related)
                    } else {
                        (1, &split.unrelated)
                    };
                    let start = |v: &[i64], k: i64| -> Vec<i64> {
                        if split.from_totals {
                            v.iter().map(|x| np * k * x).collect()
                        } else {
                            vec![0; n]
                        }
                    };
                    let mut y = start(&t.reached, cy);
                    let mut u = start(&t.reach, cy);
                    let mut x = start(&t.both, cx);
                    if split.from_totals {
                        for_ones(rp, |a| {
                            for_ones(revp, |b| g[a * n + b] += np * cx * t.cells[a * n + b])
                        });
                    }
                    let (mut xq, mut rr, mut vv) = (vec![0u64; w], vec![0u64; w], vec![0u64; w]);
                    // The unrelated partners (or all but the related ones).
                    for q in ones(others) {
                        let (rq, revq) = (c.reach_bits(q, full), self.rev(q, full));
                        let k = sign * np * self.nr[q as usize] as i64;
                        if cy != 0 {
                            for_ones(revq, |b| y[b] += k * cy);
                            for_ones(rq, |a| u[a] += k * cy);
                        }
                        and(rq, revq, &mut xq);
                        for_ones(&xq, |b| x[b] += k * cx);
                        and(rp, rq, &mut rr);
                        if rr.iter().any(|b| *b != 0) {
                            and(revp, revq, &mut vv);
                            for_ones(&rr, |a| for_ones(&vv, |b| g[a * n + b] += k * cx));
                        }
                    }
                    // The related partners below the target, pair by pair.
                    for q in ones(&split.below) {
                        let (rq, revq, sq) = (c.reach_bits(q, full), self.rev(q, full), c.s(q));
                        let wt = self.nl[p as usize] * self.nr[q as usize]
                            - if p == q { self.nb[p as usize] } else { 0 };
                        if wt == 0 {
                            continue;
                        }
                        let wt = wt as i64;
                        let (fpq, fqp) = (intersects(rp, sq), intersects(rq, sp));
                        let mut both_ways = |g: &mut [i64], x: &mut [i64], sign: i64| {
                            and(rq, revq, &mut xq);
                            for_ones(&xq, |b| x[b] += sign * wt);
                            and(rp, rq, &mut rr);
                            if rr.iter().any(|b| *b != 0) {
                                and(revp, revq, &mut vv);
                                for_ones(&rr, |a| for_ones(&vv, |b| g[a * n + b] += sign * wt));
                            }
                        };
                        if !full {
                            for_ones(revq, |b| y[b] += wt);
                            for_ones(rq, |a| u[a] += wt);
                            both_ways(&mut g, &mut x, -1);
                        } else {
                            match (fpq, fqp) {
                                (true, true) => {}
                                (true, false) => for_ones(rq, |a| u[a] += wt),
                                (false, true) => for_ones(revq, |b| y[b] += wt),
                                (false, false) => both_ways(&mut g, &mut x, 1),
                            }
                        }
                    }
                    let mut xp = vec![0u64; w];
                    and(rp, revp, &mut xp);
                    // Spread the sums: only their non-zero entries (few, mostly).
                    let nonzero = |v: &[i64]| -> Vec<(usize, i64)> {
                        v.iter()
                            .enumerate()
                            .filter(|(_, x)| **x != 0)
                            .map(|(i, x)| (i, *x))
                            .collect()
                    };
                    let (ny, nx, nu) = (nonzero(&y), nonzero(&x), nonzero(&u));
                    for (rows_of, by) in [(rp, &ny), (&xp[..], &nx)] {
                        for_ones(rows_of, |a| {
                            for &(b, v) in by.iter() {
                                g[a * n + b] += v;
                            }
                        });
                    }
                    for_ones(revp, |b| {
                        for &(a, v) in &nu {
                            g[a * n + b] += v;
                        }
                    });
                    g
                },
            )
            .reduce(
                || vec![0i64; n * n],
                |mut a, b| {
                    for (x, y) in a.iter_mut().zip(b) {
                        *x += y;
                    }
                    a
                },
            )
    }
}

/// Sums over all partner classes q of a domain, weighted by q's right count (`_r`: left
/// count): the default lift bits ([`DomainState::default_lift`]) per standard; and, for
/// gateway gains (reach through full gateways for target 2, any for target 1), R(q),
/// R⁻(q), X(q) = R(q) ∩ R⁻(q) per standard, and R(q) × R⁻(q) per ordered cell.
#[derive(Default)]
struct Totals {
    lift_l: Vec<i64>,
    lift_r: Vec<i64>,
    reach: Vec<i64>,
    reached: Vec<i64>,
    both: Vec<i64>,
    cells: Vec<i64>,
}

/// See [`DomainState::split`].
struct Split {
    unrelated: Vec<u64>,
    related: Vec<u64>,
    below: Vec<u64>,
    from_totals: bool,
}

/// Two scratch rows over classes.
type Tmp = (Vec<u64>, Vec<u64>);

/// Per local standard, the classes whose S, T, RF or RA hold it, as bitsets over classes
/// (`cw` words each): a row of the at-target relation is then a few ORs of whole rows,
/// word-parallel over classes, instead of one rating per pair.
struct ByStandard {
    cw: usize,
    s: Vec<u64>,
    t: Vec<u64>,
    rf: Vec<u64>,
    ra: Vec<u64>,
    /// Classes with at least one standard.
    nonempty: Vec<u64>,
}

impl ByStandard {
    fn new(classes: &Classes, n: usize) -> ByStandard {
        let cn = classes.profiles.len();
        let cw = words(cn);
        let mut b = ByStandard {
            cw,
            s: vec![0; n * cw],
            t: vec![0; n * cw],
            rf: vec![0; n * cw],
            ra: vec![0; n * cw],
            nonempty: vec![0; cw],
        };
        for c in 0..cn as u32 {
            let ci = c as usize;
            if classes.profiles[ci].is_empty() {
                continue;
            }
            set(&mut b.nonempty, ci);
            for_ones(classes.s(c), |s| set(&mut b.s[s * cw..(s + 1) * cw], ci));
            for_ones(classes.t(c), |s| set(&mut b.t[s * cw..(s + 1) * cw], ci));
            for_ones(classes.reach_bits(c, true), |s| {
                set(&mut b.rf[s * cw..(s + 1) * cw], ci)
            });
            for_ones(classes.reach_bits(c, false), |s| {
                set(&mut b.ra[s * cw..(s + 1) * cw], ci)
            });
        }
        b
    }

    /// ORs into `out` the rows of `by` at the set bits of `bits`.
    fn union(&self, by: &[u64], bits: &[u64], out: &mut [u64]) {
        let cw = self.cw;
        for_ones(bits, |s| {
            for (o, x) in out.iter_mut().zip(&by[s * cw..(s + 1) * cw]) {
                *o |= x;
            }
        });
    }

    /// Row p of the at-target relation: the classes q whose pairs with p are at or above
    /// `target` (the same rule as [`Classes::level`], read per standard): level 3 where
    /// T(p) meets T(q); 2 where RF(p) meets S(q) and RF(q) meets S(p); 1 where RA(p) meets
    /// S(q) or RA(q) meets S(p); 0 for any two non-empty profiles.
    fn row(&self, classes: &Classes, p: u32, target: Level, out: &mut [u64], tmp: &mut Tmp) {
        out.fill(0);
        if classes.profiles[p as usize].is_empty() || target == Level::Na {
            return;
        }
        if target == Level::None {
            out.copy_from_slice(&self.nonempty);
            return;
        }
        let sp = classes.s(p);
        self.union(&self.t, classes.t(p), out);
        if target <= Level::Compatible {
            let (there, back) = (&mut tmp.0, &mut tmp.1);
            there.fill(0);
            back.fill(0);
            self.union(&self.s, classes.reach_bits(p, true), there);
            self.union(&self.rf, sp, back);
            for ((o, a), b) in out.iter_mut().zip(there.iter()).zip(back.iter()) {
                *o |= a & b;
            }
        }
        if target <= Level::Deconflicted {
            self.union(&self.s, classes.reach_bits(p, false), out);
            self.union(&self.ra, sp, out);
        }
    }
}
