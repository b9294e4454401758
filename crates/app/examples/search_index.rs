//! How long one view's search index takes to build, how big it is, and how long a few
//! searches take, on the demo with its public sources (as `serve --demo` loads it) and on a
//! synthetic registry. A measurement, not a test:
//!
//!     cargo run --release -p defcoop-app --example search_index            # the demo
//!     cargo run --release -p defcoop-app --example search_index -- 10000   # 10,000 systems

use std::path::Path;
use std::time::Instant;

use defcoop_app::demo::{with_sources, Sources};
use defcoop_app::search::{tokenize, SearchIndex};
use defcoop_domain::model::Dataset;
use defcoop_domain::{json, synth};

const DEMO: &str = include_str!("../../../data/demo/dataset.json");

fn read_tree(dir: &Path, out: &mut Vec<(String, Vec<u8>)>, root: &Path) {
    for entry in std::fs::read_dir(dir).expect("list the NISP folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            read_tree(&path, out, root);
        } else {
            let rel = path
                .strip_prefix(root)
                .expect("inside")
                .display()
                .to_string();
            out.push((rel, std::fs::read(&path).expect("read")));
        }
    }
}

fn demo() -> Dataset {
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sources");
    let register = std::fs::read(sources.join("sipri/trade_register.csv")).expect("SIPRI");
    let mut files = Vec::new();
    read_tree(&sources.join("nisp"), &mut files, &sources.join("nisp"));
    let curated = json::parse(DEMO.as_bytes()).expect("demo").data;
    let (incoming, _) = with_sources(
        curated,
        &Sources {
            sipri: Some(("trade_register.csv", &register)),
            nisp: Some((&files, "nisp/")),
        },
    )
    .expect("the demo with its sources");
    let mut data = incoming.data;
    data.normalize();
    data
}

fn main() {
    let data = match std::env::args().nth(1) {
        None => demo(),
        Some(n) => {
            let systems: usize = n.parse().expect("a number of systems");
            let mut d = synth::generate(synth::Params {
                systems,
                standards: 200,
                gateways: 100,
                domains: 10,
                seed: 1,
            })
            .expect("synthetic registry");
            d.normalize();
            d
        }
    };
    println!(
        "{} records ({} systems, {} transfers, {} standards)",
        data.len(),
        data.systems.len(),
        data.transfers.len(),
        data.standards.len()
    );
    let started = Instant::now();
    let index = SearchIndex::build(&data).expect("index");
    let built = started.elapsed();
    let stats = index.stats();
    println!(
        "index: {} documents, {:.1} MB, built in {:.0} ms",
        stats.records,
        stats.bytes as f64 / 1e6,
        built.as_secs_f64() * 1e3
    );
    for q in ["k9", "K9 Thunder", "korea", "석종건", "stanag", "a"] {
        let pieces = tokenize::pieces(q, 32);
        let started = Instant::now();
        let prepared = index.prepare(&pieces, false);
        let hits = index.run(&prepared).expect("search");
        println!(
            "{q:>12}: {:>6} hits in {:.2} ms",
            hits.len(),
            started.elapsed().as_secs_f64() * 1e3
        );
    }
}
