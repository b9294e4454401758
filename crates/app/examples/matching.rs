//! How long matching takes: one need against every offer of a synthetic registry (issue 10's
//! target: one need against 100,000 offers in at most 100 ms), and one offer against every
//! need. A measurement, not a test:
//!
//!     cargo run --release -p defcoop-app --example matching                # 100,000 offers
//!     cargo run --release -p defcoop-app --example matching -- 20000 500   # offers, needs
//!
//! It prints the time to build the view's matching corpus (text indexes: once per view, kept
//! with it) and the engine's snapshot (shared with the interoperability pages), then the
//! ranking time of 25 needs and 25 offers (top 10 each), each query timed alone, and the
//! baseline: three needs scored exhaustively (the engine run for every offer with standards,
//! then everything sorted), which the bounded ranking must equal.

use std::time::{Duration, Instant};

use defcoop_app::matchmaking::matching::{rank, rank_exhaustive, Corpus, Side};
use defcoop_domain::model::Day;
use defcoop_domain::synth;
use defcoop_engine::Snapshot;

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .map(|s| s.parse().expect("a number"))
        .unwrap_or(default)
}

fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    format!(
        "median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        ms(p(0.5)),
        ms(p(0.9)),
        ms(times[times.len() - 1])
    )
}

fn main() {
    let (offers, needs) = (arg(1, 100_000), arg(2, 1_000));
    let started = Instant::now();
    let data = synth::generate_market(
        synth::Params {
            systems: 2_000,
            standards: 300,
            gateways: 50,
            domains: 12,
            seed: 1,
        },
        needs,
        offers,
    )
    .expect("synthetic registry");
    println!(
        "registry: {} offers, {} needs, {} organizations, {} systems, {} standards (generated in {:.1} s)",
        data.offers.len(),
        data.needs.len(),
        data.organizations.len(),
        data.systems.len(),
        data.standards.len(),
        started.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let corpus = Corpus::build(&data);
    println!(
        "matching corpus built in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let t = Instant::now();
    let snap = Snapshot::new(&data);
    println!(
        "engine snapshot built in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let day = Day {
        year: 2026,
        month: 6,
        day: 1,
    };
    for (side, n) in [
        (Side::Need, data.needs.len()),
        (Side::Offer, data.offers.len()),
    ] {
        let mut times = Vec::new();
        let mut runs = 0;
        let mut exact = true;
        for q in 0..25.min(n) {
            let at = q * n / 25;
            let t = Instant::now();
            let m = rank(&data, &corpus, &snap, side, at, 10, day);
            times.push(t.elapsed());
            runs += m.synergy_runs;
            exact &= m.exact;
            assert_eq!(m.matches.len(), 10.min(m.candidates));
        }
        println!(
            "{} against {} {}: {} (engine runs {} in all; exact: {exact})",
            if side == Side::Need {
                "one need"
            } else {
                "one offer"
            },
            if side == Side::Need {
                data.offers.len()
            } else {
                data.needs.len()
            },
            if side == Side::Need {
                "offers"
            } else {
                "needs"
            },
            summary(times),
            runs
        );
    }
    let mut times = Vec::new();
    for q in 0..3.min(data.needs.len()) {
        let at = q * data.needs.len() / 3;
        let t = Instant::now();
        let all = rank_exhaustive(&data, &corpus, &snap, Side::Need, at, day);
        times.push(t.elapsed());
        let top = rank(&data, &corpus, &snap, Side::Need, at, 10, day);
        let same = all
            .iter()
            .zip(&top.matches)
            .all(|((s, id), m)| *s == m.score && *id == m.id);
        assert!(same, "the bounded ranking differs from the exhaustive one");
    }
    println!(
        "baseline, one need scored exhaustively against {} offers: {} (same top 10 as the bounded ranking)",
        data.offers.len(),
        summary(times)
    );
}
