//! How long scheduling a brokerage event takes (issue 10's target: 300 participants with
//! 2,000 meeting requests into 12 slots in at most 5 s), and how close it gets to the upper
//! bound. A measurement, not a test:
//!
//!     cargo run --release -p defcoop-app --example brokerage                 # 300, 2,000, 12 slots
//!     cargo run --release -p defcoop-app --example brokerage -- 1000 8000 30 # participants, requests, tables
//!
//! Each participant can make 4 to 12 of the 12 slots; requests are distinct random pairs.
//! Baseline from the same run: greedy alone (each request, in the given order, in the first
//! slot both can make), the obvious first schedule.

use std::collections::HashSet;
use std::time::Instant;

use defcoop_domain::matchmaking::brokerage::{schedule, Event};

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .map(|s| s.parse().expect("a number"))
        .unwrap_or(default)
}

fn event(n: usize, r: usize, tables: usize, seed: u64) -> Event {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    let availability = (0..n)
        .map(|_| {
            let mut a = 0u64;
            while a.count_ones() < 4 {
                a |= 1 << next(12);
            }
            a | next(1 << 12)
        })
        .collect();
    let mut seen = HashSet::new();
    let mut requests = Vec::new();
    while requests.len() < r.min(n * (n - 1) / 2) {
        let (a, b) = (next(n as u64) as usize, next(n as u64) as usize);
        if a != b && seen.insert((a.min(b), a.max(b))) {
            requests.push((a, b));
        }
    }
    Event {
        slots: 12,
        tables,
        availability,
        requests,
    }
}

/// Each request in order, in the first slot both can make with a table free.
fn greedy(e: &Event) -> usize {
    let mut busy = vec![0u64; e.availability.len()];
    let mut used = [0usize; 64];
    let mut placed = 0;
    for &(a, b) in &e.requests {
        let open = e.availability[a] & e.availability[b] & !busy[a] & !busy[b];
        if let Some(s) = (0..e.slots).find(|&s| open & (1 << s) != 0 && used[s] < e.tables) {
            busy[a] |= 1 << s;
            busy[b] |= 1 << s;
            used[s] += 1;
            placed += 1;
        }
    }
    placed
}

fn main() {
    let (n, r, tables) = (arg(1, 300), arg(2, 2_000), arg(3, 60));
    for seed in 1..=5 {
        let e = event(n, r, tables, seed);
        let t = Instant::now();
        let base = greedy(&e);
        let greedy_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let s = schedule(&e).expect("a valid event");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "seed {seed}: {n} participants, {} requests, 12 slots, {tables} tables: placed {} of at most {} (gap {}, exact {}) in {ms:.0} ms; baseline greedy {base} in {greedy_ms:.1} ms",
            e.requests.len(),
            s.meetings.len(),
            s.upper_bound,
            s.upper_bound - s.meetings.len(),
            s.exact,
        );
    }
}
