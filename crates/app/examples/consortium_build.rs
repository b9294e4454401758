//! How long the consortium builder takes from 200 candidate organizations (issue 10's target:
//! at most 5 s), end to end without the database: each organization's best offer for the need
//! scored (the engine included), then the branch-and-bound search, for consortia of 3, 5 and 8
//! members under rules modelled on the EDF (three entities from three eligible countries) and
//! on SAFE (a partner's share of the cost at most 35%). A measurement, not a test:
//!
//!     cargo run --release -p defcoop-app --example consortium_build            # 200 organizations
//!     cargo run --release -p defcoop-app --example consortium_build -- 400 20  # organizations, offers each

use std::time::Instant;

use defcoop_app::matchmaking::matching::{best_offer_by_organization, Corpus};
use defcoop_domain::matchmaking::builder::{build, Candidate, BUDGET};
use defcoop_domain::matchmaking::consortium::standing;
use defcoop_domain::matchmaking::{Countries, PartnersMay, Party, Rules};
use defcoop_domain::model::{Day, OrgKind, Organization};
use defcoop_domain::synth;
use defcoop_engine::Snapshot;

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .map(|s| s.parse().expect("a number"))
        .unwrap_or(default)
}

fn main() {
    let (orgs, per_org) = (arg(1, 200), arg(2, 10));
    let mut data = synth::generate_market(
        synth::Params {
            systems: 2_000,
            standards: 300,
            gateways: 50,
            domains: 12,
            seed: 1,
        },
        20,
        orgs * per_org,
    )
    .expect("synthetic registry");
    // Exactly `orgs` organizations, spread over the nations, owning the offers in turn.
    let nations: Vec<String> = data.nations.iter().map(|n| n.code.clone()).collect();
    data.organizations = (0..orgs)
        .map(|i| Organization {
            id: format!("syn-org-{i:04}"),
            name: format!("Synthetic organization {i}"),
            kind: OrgKind::Company,
            nation: nations[i % nations.len()].clone(),
            ncage: None,
            label: None,
            sources: vec![],
            illustrative: false,
        })
        .collect();
    for (i, o) in data.offers.iter_mut().enumerate() {
        o.owner = Party {
            organization: Some(format!("syn-org-{:04}", i % orgs)),
            ..Party::default()
        };
    }
    for s in &mut data.systems {
        s.producer = None;
    }
    let day = Day {
        year: 2026,
        month: 6,
        day: 1,
    };
    let eu = Countries {
        blocs: vec![defcoop_domain::matchmaking::BlocOn {
            bloc: "EU".into(),
            on: None,
        }],
        nations: vec![],
    };
    let edf = Rules {
        min_entities: Some(3),
        min_countries: Some(3),
        eligible: eu.clone(),
        ..Rules::default()
    };
    let safe = Rules {
        eligible: eu,
        partners: Countries {
            blocs: vec![],
            nations: vec!["KOR".into(), "NOR".into(), "CAN".into()],
        },
        partners_may: Some(PartnersMay {
            join: true,
            receive_funds: false,
        }),
        max_non_eligible_share: Some(35.0),
        ..Rules::default()
    };
    let corpus = Corpus::build(&data);
    let snap = Snapshot::new(&data);
    println!(
        "{} organizations, {} offers, {} needs, {} systems",
        data.organizations.len(),
        data.offers.len(),
        data.needs.len(),
        data.systems.len()
    );
    // The worst case for the bound: every candidate worth the same, so no branch can be cut
    // on score; the node budget stops the search and the answer gives its bound.
    let flat: Vec<Candidate> = data
        .organizations
        .iter()
        .map(|o| Candidate {
            organization: o.id.clone(),
            nation: o.nation.clone(),
            standing: standing(&data, &edf, &o.nation, day),
            value: 500,
        })
        .collect();
    // Nearly as hard: values a few tenths apart.
    let close: Vec<Candidate> = flat
        .iter()
        .enumerate()
        .map(|(i, c)| Candidate {
            value: 495 + (i as u32 * 7) % 11,
            ..c.clone()
        })
        .collect();
    // Adversarial for the bound: the 150 best all from one eligible country, so the rules'
    // three countries bind and the bound (which ignores them) is loose.
    let skewed: Vec<Candidate> = flat
        .iter()
        .enumerate()
        .map(|(i, c)| Candidate {
            nation: if i < 150 {
                "DEU".into()
            } else {
                c.nation.clone()
            },
            standing: if i < 150 {
                defcoop_domain::matchmaking::consortium::Standing::Eligible
            } else {
                c.standing
            },
            value: if i < 150 {
                900 - i as u32
            } else {
                100 + i as u32
            },
            ..c.clone()
        })
        .collect();
    for (what, cands) in [
        ("equal", &flat),
        ("within 1.0 of each other", &close),
        ("best 150 from one country", &skewed),
    ] {
        for size in [3, 5, 8] {
            let t = Instant::now();
            let built = build(&edf, cands, size, 5, BUDGET).expect("build");
            println!(
            "all {} candidates {what}, EDF-like, {size} members: search {:.0} ms; {} nodes; exact {}{}",
            cands.len(),
            t.elapsed().as_secs_f64() * 1000.0,
            built.nodes,
            built.exact,
            built.bound.map_or(String::new(), |b| format!(" (bound {:.1}, best found {:.1})", b as f64 / 10.0, built.proposals.first().map_or(0.0, |p| p.score as f64 / 10.0))),
        );
        }
    }
    for need in [0, 7, 13] {
        let t = Instant::now();
        let (best, _) = best_offer_by_organization(&data, &corpus, &snap, need, day);
        let scoring = t.elapsed();
        for (name, rules) in [("EDF-like", &edf), ("SAFE-like", &safe)] {
            let candidates: Vec<Candidate> = best
                .iter()
                .map(|(org, m)| {
                    let o = data
                        .organizations
                        .iter()
                        .find(|o| &o.id == org)
                        .expect("org");
                    Candidate {
                        organization: org.clone(),
                        nation: o.nation.clone(),
                        standing: standing(&data, rules, &o.nation, day),
                        value: (m.score * 10.0).round() as u32,
                    }
                })
                .collect();
            for size in [3, 5, 8] {
                let t = Instant::now();
                let built = build(rules, &candidates, size, 5, BUDGET).expect("build");
                println!(
                    "need {need}, {name}, {size} members: scoring {} candidates {:.0} ms + search {:.0} ms = {:.0} ms; best {:.1}; {} nodes; exact {}{}",
                    candidates.len(),
                    scoring.as_secs_f64() * 1000.0,
                    t.elapsed().as_secs_f64() * 1000.0,
                    (scoring + t.elapsed()).as_secs_f64() * 1000.0,
                    built.proposals.first().map_or(0.0, |p| p.score as f64 / 10.0),
                    built.nodes,
                    built.exact,
                    built.bound.map_or(String::new(), |b| format!(" (bound {:.1})", b as f64 / 10.0)),
                );
            }
        }
    }
}
