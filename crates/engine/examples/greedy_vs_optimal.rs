//! How close the greedy gap-closure plan gets to the best possible plan, on random small
//! registries where every sequence of actions can be tried (docs/BENCHMARKS.md).
//!
//!     cargo run --release -p defcoop-engine --example greedy_vs_optimal [CASES]
//!
//! For each case: random registry (as in the property tests), left = even systems, right = all,
//! every domain, targets 1, 2 and 3, budgets 2 and 3 (3 only when the first level has at most
//! 25 candidates). Greedy is the engine's plan; the optimum is exhaustive search over the
//! brute-force oracle. Deterministic: same CASES, same figures.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use defcoop_domain::visible;
use defcoop_engine::plan::plan;
use defcoop_engine::{Level, NoProgress, Snapshot};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

fn main() {
    let cases: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300);
    let mut runner = TestRunner::deterministic();
    // Per budget: instances where some plan gains, greedy optimal, sum and min of ratios.
    let mut stats = [(0usize, 0usize, 0f64, 1f64); 4];
    for _ in 0..cases {
        let Ok(tree) = arb_spec().new_tree(&mut runner) else {
            continue;
        };
        let data = visible(build(&tree.current()), &outsider());
        let snap = Snapshot::new(&data);
        let left: Vec<usize> = (0..data.systems.len()).filter(|i| i % 2 == 0).collect();
        let right: Vec<usize> = (0..data.systems.len()).collect();
        let li: Vec<String> = left.iter().map(|i| data.systems[*i].id.clone()).collect();
        let ri: Vec<String> = right.iter().map(|i| data.systems[*i].id.clone()).collect();
        let doms: Vec<usize> = (0..data.domains.len()).collect();
        let codes: Vec<String> = data.domains.iter().map(|d| d.code.clone()).collect();
        let n_candidates = candidates(&data, &li, &ri, &codes).len();
        for target in [Level::Deconflicted, Level::Compatible, Level::Integrated] {
            for k in [2usize, 3] {
                if k == 3 && n_candidates > 25 {
                    continue;
                }
                let Ok(p) = plan(&snap, &left, &right, &doms, target, k, &NoProgress) else {
                    continue;
                };
                let best = exhaustive(&data, &li, &ri, &codes, target, k);
                let possible = best - p.covered_before;
                if possible == 0 {
                    continue;
                }
                let ratio = (p.covered_after - p.covered_before) as f64 / possible as f64;
                let s = &mut stats[k];
                s.0 += 1;
                s.1 += usize::from(p.covered_after == best);
                s.2 += ratio;
                s.3 = s.3.min(ratio);
            }
        }
    }
    println!("{cases} random registries; targets 1, 2, 3; greedy gain / optimal gain");
    for k in [2usize, 3] {
        let (n, opt, sum, min) = stats[k];
        if n == 0 {
            continue;
        }
        println!(
            "k={k}: {n} instances with a possible gain; greedy optimal in {opt} ({:.1}%); mean ratio {:.3}; worst {:.3}",
            100.0 * opt as f64 / n as f64,
            sum / n as f64,
            min
        );
    }
}
