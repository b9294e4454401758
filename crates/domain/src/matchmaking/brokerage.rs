//! Brokerage meetings: the one-to-one meetings participants of a matchmaking event asked
//! for, scheduled into time slots and tables. No one is booked twice in a slot, both
//! participants are available in the meeting's slot, a slot holds at most as many meetings
//! as there are tables, and as many requested meetings as possible take place.
//!
//! Small events are solved exactly: a branch-and-bound search over the requests, seeded with
//! the heuristic's schedule, proves the most meetings possible within its node budget. Beyond
//! that (or when the budget runs out) the answer is the heuristic's with an upper bound, so the
//! gap is known: the most-constrained requests first, each in the least-used slot both can
//! make, then repair passes that make room for a request not yet placed by chains of moves
//! (the meetings in its way moved to other slots, those in theirs moved in turn, three levels
//! deep, undone when the chain fails). The upper bound is the least of: the requests; half of the participants'
//! usable places (each takes part in at most min(its requests, its slots) meetings); and the
//! slots' capacity (tables, and half the participants available then).

/// Slots of one event at most (availability is a 64-bit set).
pub const MAX_SLOTS: usize = 64;
/// Participants of one event at most.
pub const MAX_PARTICIPANTS: usize = 10_000;
/// Requests of one event at most.
pub const MAX_REQUESTS: usize = 200_000;
/// Tables per slot at most.
pub const MAX_TABLES: usize = 10_000;
/// Events with at most this many requests are searched exactly.
pub const EXACT_REQUESTS: usize = 40;
/// Nodes the exact search visits at most.
pub const BUDGET: u64 = 5_000_000;
/// Repair passes of the heuristic at most.
const PASSES: usize = 20;

/// An event to schedule: participants by position, each with the slots it can make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub slots: usize,
    pub tables: usize,
    /// Per participant, the slots it can make (bit `s` for slot `s`).
    pub availability: Vec<u64>,
    /// The requested meetings, as pairs of participants.
    pub requests: Vec<(usize, usize)>,
}

/// A meeting placed: the request's position, its slot and table (from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub request: usize,
    pub slot: usize,
    pub table: usize,
}

/// The schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// By slot, then table.
    pub meetings: Vec<Placed>,
    /// Requests not placed, by position.
    pub unplaced: Vec<usize>,
    /// Whether the number of meetings is proved the most possible.
    pub exact: bool,
    /// No schedule places more meetings than this.
    pub upper_bound: usize,
}

/// One thing wrong with an event, located (`requests[3]`, `participants[2]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: String,
    pub message: String,
}

fn problem(at: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        at: at.into(),
        message: message.into(),
    }
}

/// Every problem of `e`: counts out of range, a participant with no slot it can make, a
/// request naming no participant, the same participant twice, or the same pair twice.
pub fn problems(e: &Event) -> Vec<Problem> {
    let mut out = Vec::new();
    if !(1..=MAX_SLOTS).contains(&e.slots) {
        out.push(problem(
            "slots",
            format!("{} is not between 1 and {MAX_SLOTS}", e.slots),
        ));
    }
    if !(1..=MAX_TABLES).contains(&e.tables) {
        out.push(problem(
            "tables",
            format!("{} is not between 1 and {MAX_TABLES}", e.tables),
        ));
    }
    if e.availability.len() > MAX_PARTICIPANTS {
        out.push(problem(
            "participants",
            format!(
                "{} participants; at most {MAX_PARTICIPANTS}",
                e.availability.len()
            ),
        ));
    }
    if e.requests.len() > MAX_REQUESTS {
        out.push(problem(
            "requests",
            format!("{} requests; at most {MAX_REQUESTS}", e.requests.len()),
        ));
    }
    if !out.is_empty() {
        return out;
    }
    let all = if e.slots == 64 {
        u64::MAX
    } else {
        (1u64 << e.slots) - 1
    };
    for (i, a) in e.availability.iter().enumerate() {
        if a & all == 0 {
            out.push(problem(
                format!("participants[{i}]"),
                "no availability: give at least one slot",
            ));
        }
    }
    let mut seen = std::collections::HashMap::new();
    for (k, &(a, b)) in e.requests.iter().enumerate() {
        let n = e.availability.len();
        if a >= n || b >= n {
            out.push(problem(format!("requests[{k}]"), "names no participant"));
        } else if a == b {
            out.push(problem(
                format!("requests[{k}]"),
                "a participant cannot meet itself",
            ));
        } else if let Some(first) = seen.insert((a.min(b), a.max(b)), k) {
            out.push(problem(
                format!("requests[{k}]"),
                format!("the same meeting as requests[{first}]"),
            ));
        }
    }
    out
}

struct State {
    busy: Vec<u64>,
    used: Vec<usize>,
    slot_of: Vec<Option<usize>>,
    /// Per slot, the requests placed in it.
    in_slot: Vec<Vec<usize>>,
}

impl State {
    fn new(e: &Event) -> State {
        State {
            busy: vec![0; e.availability.len()],
            used: vec![0; e.slots],
            slot_of: vec![None; e.requests.len()],
            in_slot: vec![Vec::new(); e.slots],
        }
    }

    /// The slots where request `k` could go now.
    fn open(&self, e: &Event, k: usize) -> u64 {
        let (a, b) = e.requests[k];
        let mut free = e.availability[a] & e.availability[b] & !self.busy[a] & !self.busy[b];
        for s in 0..e.slots {
            if self.used[s] >= e.tables {
                free &= !(1u64 << s);
            }
        }
        free & mask(e.slots)
    }

    fn place(&mut self, e: &Event, k: usize, s: usize) {
        let (a, b) = e.requests[k];
        self.busy[a] |= 1 << s;
        self.busy[b] |= 1 << s;
        self.used[s] += 1;
        self.slot_of[k] = Some(s);
        self.in_slot[s].push(k);
    }

    fn remove(&mut self, e: &Event, k: usize) {
        if let Some(s) = self.slot_of[k].take() {
            let (a, b) = e.requests[k];
            self.busy[a] &= !(1 << s);
            self.busy[b] &= !(1 << s);
            self.used[s] -= 1;
            if let Some(i) = self.in_slot[s].iter().position(|&m| m == k) {
                self.in_slot[s].swap_remove(i);
            }
        }
    }

    fn placed(&self) -> usize {
        self.slot_of.iter().filter(|s| s.is_some()).count()
    }
}

fn mask(slots: usize) -> u64 {
    if slots >= 64 {
        u64::MAX
    } else {
        (1u64 << slots) - 1
    }
}

fn bits(x: u64) -> impl Iterator<Item = usize> {
    (0..64).filter(move |s| x & (1 << s) != 0)
}

/// The heuristic: most-constrained first into the least-used slot, then repair passes.
fn heuristic(e: &Event) -> State {
    let mut st = State::new(e);
    let mut order: Vec<usize> = (0..e.requests.len()).collect();
    order.sort_by_key(|&k| {
        let (a, b) = e.requests[k];
        (
            (e.availability[a] & e.availability[b] & mask(e.slots)).count_ones(),
            k,
        )
    });
    for &k in &order {
        let open = st.open(e, k);
        if let Some(s) = bits(open).min_by_key(|&s| (st.used[s], s)) {
            st.place(e, k, s);
        }
    }
    repair(e, st, &order)
}

/// Changes made while trying a move, to undo it: a request and the slot it was in.
type Log = Vec<(usize, Option<usize>)>;

/// How deep a chain of moves goes: a meeting moved may move others, which may move others.
const DEPTH: usize = 3;
/// Steps the repair passes take at most, whatever the event's size.
const STEPS: u64 = 30_000_000;

struct Repair<'a> {
    e: &'a Event,
    st: State,
    log: Log,
    steps: u64,
}

impl Repair<'_> {
    fn set(&mut self, k: usize, to: Option<usize>) {
        self.log.push((k, self.st.slot_of[k]));
        self.st.remove(self.e, k);
        if let Some(s) = to {
            self.st.place(self.e, k, s);
        }
    }

    fn undo(&mut self, to: usize) {
        while self.log.len() > to {
            if let Some((k, from)) = self.log.pop() {
                self.st.remove(self.e, k);
                if let Some(s) = from {
                    self.st.place(self.e, k, s);
                }
            }
        }
    }

    /// Puts the unplaced request `k` into slot `s`, moving the meetings in its way (its
    /// participants' there, or one for a table) to other slots, each in turn `depth - 1`
    /// levels deep. Undoes everything when it fails.
    fn insert(&mut self, k: usize, s: usize, depth: usize) -> bool {
        self.steps += 1;
        let e = self.e;
        let (a, b) = e.requests[k];
        if e.availability[a] & e.availability[b] & (1 << s) == 0 || self.steps > STEPS {
            return false;
        }
        let blockers: Vec<usize> = self.st.in_slot[s]
            .iter()
            .copied()
            .filter(|&m| {
                let (c, d) = e.requests[m];
                c == a || c == b || d == a || d == b
            })
            .collect();
        let full = self.st.used[s] - blockers.len() >= e.tables;
        if blockers.is_empty() && !full {
            self.set(k, Some(s));
            return true;
        }
        if depth == 0 {
            return false;
        }
        // For a table, any one meeting of the slot may have to go.
        let extra: Vec<Option<usize>> = if full {
            self.st.in_slot[s]
                .iter()
                .copied()
                .filter(|m| !blockers.contains(m))
                .take(8)
                .map(Some)
                .collect()
        } else {
            vec![None]
        };
        for x in extra {
            let mark = self.log.len();
            let mut out = blockers.clone();
            out.extend(x);
            for &m in &out {
                self.set(m, None);
            }
            self.set(k, Some(s));
            if out.iter().all(|&m| self.elsewhere(m, s, depth - 1)) {
                return true;
            }
            self.undo(mark);
        }
        false
    }

    /// Places the displaced meeting `m` in a slot other than `not`.
    fn elsewhere(&mut self, m: usize, not: usize, depth: usize) -> bool {
        let e = self.e;
        let open = self.st.open(e, m) & !(1u64 << not);
        if let Some(t) = bits(open).min_by_key(|&t| (self.st.used[t], t)) {
            self.set(m, Some(t));
            return true;
        }
        let (a, b) = e.requests[m];
        let both = e.availability[a] & e.availability[b] & mask(e.slots) & !(1u64 << not);
        bits(both).any(|t| self.insert(m, t, depth))
    }
}

/// Places unplaced requests by chains of moves (see [`Repair::insert`]), pass after pass
/// while any is placed.
fn repair(e: &Event, st: State, order: &[usize]) -> State {
    let mut r = Repair {
        e,
        st,
        log: Vec::new(),
        steps: 0,
    };
    for _ in 0..PASSES {
        let mut improved = false;
        for &k in order {
            if r.st.slot_of[k].is_some() {
                continue;
            }
            let (a, b) = e.requests[k];
            let both = e.availability[a] & e.availability[b] & mask(e.slots);
            for depth in 0..=DEPTH {
                r.log.clear();
                if bits(both).any(|s| r.insert(k, s, depth)) {
                    improved = true;
                    break;
                }
            }
        }
        if !improved || r.steps > STEPS {
            break;
        }
    }
    r.st
}

/// No schedule of `e` places more meetings than this.
fn upper_bound(e: &Event) -> usize {
    let n = e.availability.len();
    let mut degree = vec![0usize; n];
    for &(a, b) in &e.requests {
        degree[a] += 1;
        degree[b] += 1;
    }
    let all = mask(e.slots);
    let places: usize = (0..n)
        .map(|p| degree[p].min((e.availability[p] & all).count_ones() as usize))
        .sum();
    let slots: usize = (0..e.slots)
        .map(|s| {
            let here = (0..n)
                .filter(|&p| degree[p] > 0 && e.availability[p] & (1 << s) != 0)
                .count();
            e.tables.min(here / 2)
        })
        .sum();
    e.requests.len().min(places / 2).min(slots)
}

struct Exact<'a> {
    e: &'a Event,
    st: State,
    best: usize,
    best_slots: Vec<Option<usize>>,
    nodes: u64,
    stopped: bool,
}

impl Exact<'_> {
    /// Requests from `k` on: each in one of its open slots, or not at all. Depth is at most
    /// [`EXACT_REQUESTS`].
    fn go(&mut self, k: usize, placed: usize) {
        if placed > self.best {
            self.best = placed;
            self.best_slots = self.st.slot_of.clone();
        }
        let left = self.e.requests.len() - k;
        if k == self.e.requests.len() || placed + left <= self.best {
            return;
        }
        if self.nodes >= BUDGET {
            self.stopped = true;
            return;
        }
        self.nodes += 1;
        for s in bits(self.st.open(self.e, k)) {
            self.st.place(self.e, k, s);
            self.go(k + 1, placed + 1);
            self.st.remove(self.e, k);
            if self.stopped {
                return;
            }
        }
        self.go(k + 1, placed);
    }
}

/// Schedules `e` (see the module docs). Bad events are refused with every problem located.
pub fn schedule(e: &Event) -> Result<Schedule, Vec<Problem>> {
    let p = problems(e);
    if !p.is_empty() {
        return Err(p);
    }
    let bound = upper_bound(e);
    let mut st = heuristic(e);
    let mut exact = st.placed() == bound;
    if !exact && e.requests.len() <= EXACT_REQUESTS {
        let mut x = Exact {
            e,
            st: State::new(e),
            best: st.placed(),
            best_slots: st.slot_of.clone(),
            nodes: 0,
            stopped: false,
        };
        x.go(0, 0);
        if x.best > st.placed() {
            st = State::new(e);
            for (k, s) in x.best_slots.iter().enumerate() {
                if let Some(s) = s {
                    st.place(e, k, *s);
                }
            }
        }
        exact = !x.stopped;
    }
    let placed = st.placed();
    let mut meetings: Vec<Placed> = Vec::with_capacity(placed);
    let mut next_table = vec![0usize; e.slots];
    let mut by_slot: Vec<(usize, usize)> = st
        .slot_of
        .iter()
        .enumerate()
        .filter_map(|(k, s)| s.map(|s| (s, k)))
        .collect();
    by_slot.sort_unstable();
    for (slot, request) in by_slot {
        meetings.push(Placed {
            request,
            slot,
            table: next_table[slot],
        });
        next_table[slot] += 1;
    }
    Ok(Schedule {
        unplaced: (0..e.requests.len())
            .filter(|&k| st.slot_of[k].is_none())
            .collect(),
        meetings,
        exact,
        upper_bound: if exact { placed } else { bound.max(placed) },
    })
}
