//! The brokerage schedule: valid always, the most meetings possible on small events (against
//! brute force), and an upper bound no schedule beats.

use proptest::prelude::*;

use super::brokerage::{problems, schedule, Event, Schedule};

/// The most meetings any schedule of `e` places, by trying every slot (or none) for every
/// request.
fn brute(e: &Event) -> usize {
    fn go(e: &Event, k: usize, busy: &mut Vec<u64>, used: &mut Vec<usize>) -> usize {
        if k == e.requests.len() {
            return 0;
        }
        let mut best = go(e, k + 1, busy, used);
        let (a, b) = e.requests[k];
        for s in 0..e.slots {
            let bit = 1u64 << s;
            if e.availability[a] & e.availability[b] & bit != 0
                && (busy[a] | busy[b]) & bit == 0
                && used[s] < e.tables
            {
                busy[a] |= bit;
                busy[b] |= bit;
                used[s] += 1;
                best = best.max(1 + go(e, k + 1, busy, used));
                busy[a] &= !bit;
                busy[b] &= !bit;
                used[s] -= 1;
            }
        }
        best
    }
    go(
        e,
        0,
        &mut vec![0; e.availability.len()],
        &mut vec![0; e.slots],
    )
}

/// No one twice in a slot, both available, tables respected, each request at most once.
fn valid(e: &Event, s: &Schedule) {
    let mut busy = vec![0u64; e.availability.len()];
    let mut tables = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    for m in &s.meetings {
        let (a, b) = e.requests[m.request];
        let bit = 1u64 << m.slot;
        assert!(seen.insert(m.request), "request {} twice", m.request);
        assert!(
            e.availability[a] & e.availability[b] & bit != 0,
            "{m:?} unavailable"
        );
        assert!((busy[a] | busy[b]) & bit == 0, "{m:?} double-booked");
        busy[a] |= bit;
        busy[b] |= bit;
        assert!(
            m.table < e.tables && tables.insert((m.slot, m.table)),
            "{m:?} table"
        );
    }
    assert_eq!(s.meetings.len() + s.unplaced.len(), e.requests.len());
    assert!(s.upper_bound >= s.meetings.len());
}

fn event() -> impl Strategy<Value = Event> {
    (2usize..7, 1usize..4, 1usize..3).prop_flat_map(|(n, slots, tables)| {
        let pairs: Vec<(usize, usize)> = (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .collect();
        (
            proptest::collection::vec(1u64..(1 << slots), n),
            proptest::sample::subsequence(pairs.clone(), 0..=pairs.len().min(8)),
        )
            .prop_map(move |(availability, requests)| Event {
                slots,
                tables,
                availability,
                requests,
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn small_events_get_the_most_meetings_possible(e in event()) {
        let s = schedule(&e).unwrap();
        valid(&e, &s);
        let most = brute(&e);
        prop_assert!(s.exact);
        prop_assert_eq!(s.meetings.len(), most);
        prop_assert_eq!(s.upper_bound, most);
    }
}

/// A larger generated event: `n` participants, `r` requests, 12 slots.
pub(super) fn large(n: usize, r: usize, tables: usize, seed: u64) -> Event {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    let mut next = move |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    let availability: Vec<u64> = (0..n)
        .map(|_| {
            let mut a = 0u64;
            while a.count_ones() < 4 {
                a |= 1 << next(12);
            }
            a | (next(1 << 12))
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut requests = Vec::new();
    while requests.len() < r {
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

#[test]
fn large_events_are_valid_with_their_gap() {
    // Tables bind: the schedule fills them, which the bound proves the most.
    let e = large(300, 2000, 60, 1);
    let s = schedule(&e).unwrap();
    valid(&e, &s);
    assert!(
        s.exact && s.meetings.len() == 720,
        "{} of {}",
        s.meetings.len(),
        s.upper_bound
    );
    // Participants bind: within 15% of the bound (about 10% in the benchmark).
    let e = large(300, 2000, 150, 2);
    let s = schedule(&e).unwrap();
    valid(&e, &s);
    assert!(
        s.meetings.len() * 100 >= s.upper_bound * 85,
        "{} of at most {}",
        s.meetings.len(),
        s.upper_bound
    );
}

#[test]
fn bad_events_are_refused_naming_each_problem() {
    let e = Event {
        slots: 3,
        tables: 2,
        availability: vec![0b001, 0, 0b111, 0b1000],
        requests: vec![(0, 2), (2, 0), (1, 1), (0, 9)],
    };
    let p: Vec<String> = problems(&e)
        .iter()
        .map(|p| format!("{}: {}", p.at, p.message))
        .collect();
    assert_eq!(
        p,
        [
            "participants[1]: no availability: give at least one slot",
            "participants[3]: no availability: give at least one slot",
            "requests[1]: the same meeting as requests[0]",
            "requests[2]: a participant cannot meet itself",
            "requests[3]: names no participant",
        ]
    );
    assert!(schedule(&e).is_err());
    for (slots, tables, at) in [(0, 1, "slots"), (65, 1, "slots"), (3, 0, "tables")] {
        let e = Event {
            slots,
            tables,
            availability: vec![1],
            requests: vec![],
        };
        assert_eq!(problems(&e)[0].at, at);
    }
}
