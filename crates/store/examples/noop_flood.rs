//! How long an import that changes one record waits behind a flood of label writes that change
//! nothing (the web's no-op PUTs), on SQLite.
//!
//!   cargo run --release -p defcoop-store --example noop_flood -- [WRITERS] [SYSTEMS]
//!
//! Prints the import's latency, how many no-op writes ran meanwhile and how many failed (busy).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use defcoop_domain::import::Incoming;
use defcoop_domain::label::Label;
use defcoop_domain::model::Kind;
use defcoop_domain::synth::{self, Params};

use defcoop_store::{Progress, Store, Writer};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let writers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(16);
    let systems: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5000);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("flood.db").display().to_string())
        .await
        .expect("open");
    let data = synth::generate(Params {
        systems,
        standards: 200,
        gateways: 50,
        domains: 10,
        seed: 7,
    })
    .expect("synth");
    let t = Instant::now();
    store
        .import(
            &Incoming::from_dataset(data.clone()),
            &Writer::operator(),
            Progress::NONE,
        )
        .await
        .expect("import");
    println!("{} records; first import {:?}", data.len(), t.elapsed());
    let system = data.systems[0].id.clone();
    let current = data.systems[0].label.clone();

    let stop = Arc::new(AtomicBool::new(false));
    let (done, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut tasks = Vec::new();
    for _ in 0..writers {
        let (store, stop, done, failed) =
            (store.clone(), stop.clone(), done.clone(), failed.clone());
        let (system, current) = (system.clone(), current.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                match store
                    .set_label(Kind::System, &system, current.clone(), &Writer::operator())
                    .await
                {
                    Ok(_) => done.fetch_add(1, Ordering::Relaxed),
                    Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let before = done.load(Ordering::Relaxed);
    // One real change: a label on the last system.
    let mut changed = data.clone();
    if let Some(s) = changed.systems.last_mut() {
        s.label = Some(Label {
            policy: data.policies[0].id.clone(),
            classification: data.policies[0].classifications[0].clone(),
            categories: vec![],
        });
    }
    let t = Instant::now();
    let out = store
        .import(
            &Incoming::from_dataset(changed),
            &Writer::operator(),
            Progress::NONE,
        )
        .await;
    let waited = t.elapsed();
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = task.await;
    }
    println!(
        "writers {writers}: import {} in {waited:?}; no-op writes during it {}, failed {}",
        match out {
            Ok(o) => format!("wrote {}", o.written),
            Err(e) => format!("failed ({e})"),
        },
        done.load(Ordering::Relaxed) - before,
        failed.load(Ordering::Relaxed),
    );
}
