//! Times the engine on a dataset file, without a database: building the snapshot, the fleet
//! matrix and the gap-closure plan, all systems against all systems in every domain.
//!
//!     cargo run --release -p defcoop-engine --example plan_timing -- FILE [TARGET] [BUDGET]
//!
//! TARGET is 1, 2 (default) or 3; BUDGET defaults to 10. Prints the timings and the plan's
//! figures and steps (one per line), so that two builds can be compared with `diff`.

use std::time::Instant;

use defcoop_engine::plan::plan;
use defcoop_engine::{matrix, Level, NoProgress, Snapshot};

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: plan_timing FILE [TARGET] [BUDGET]")?;
    let target = match args.next().as_deref() {
        None | Some("2") => Level::Compatible,
        Some("1") => Level::Deconflicted,
        Some("3") => Level::Integrated,
        Some(other) => return Err(format!("TARGET is 1, 2 or 3, not {other}")),
    };
    let budget: usize = match args.next() {
        None => 10,
        Some(b) => b
            .parse()
            .map_err(|_| format!("BUDGET is a number, not {b}"))?,
    };
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    let incoming = defcoop_domain::json::parse(&bytes)
        .map_err(|p| format!("{path}: {} problem(s), first: {:?}", p.len(), p.first()))?;
    let data = incoming.data;

    let t = Instant::now();
    let snap = Snapshot::new(&data);
    let built = t.elapsed();
    let all: Vec<usize> = (0..snap.systems.len()).collect();
    let domains: Vec<usize> = (0..snap.domains.len()).collect();

    let t = Instant::now();
    let m = matrix(&snap, &all, &all, &domains, false, &NoProgress);
    let rated = t.elapsed();

    let t = Instant::now();
    let p = plan(&snap, &all, &all, &domains, target, budget, &NoProgress)
        .map_err(|e| e.to_string())?;
    let planned = t.elapsed();

    eprintln!(
        "snapshot {:.3} s, matrix {:.3} s, plan {:.3} s",
        built.as_secs_f64(),
        rated.as_secs_f64(),
        planned.as_secs_f64()
    );
    let total: u64 = m.domains.iter().map(|(_, c)| c.iter().sum::<u64>()).sum();
    println!(
        "matrix: {} triples, {} nation pairs",
        total,
        m.nation_pairs.len()
    );
    println!(
        "plan: target {}, covered {} -> {}",
        p.target.as_str(),
        p.covered_before,
        p.covered_after
    );
    for s in &p.steps {
        println!("{:?} +{}", s.action, s.gain);
    }
    Ok(())
}
