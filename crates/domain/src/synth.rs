//! Deterministic synthetic registries for scale tests (`defcoop synth`).
//!
//! Same seed and parameters, same dataset, on every platform and build: randomness comes from
//! ChaCha8 (a stable stream) through our own range reduction, never from a library sampler that
//! may change between versions.
//!
//! The shape follows what real registries look like: per domain a few standards are used by
//! many systems (Zipf-like popularity), most systems take part in a handful of domains with one
//! to three standards each, statuses are mostly claimed or tested, and gateways include planned,
//! one-way and partial ones. Nations are real ISO codes (so filters such as `operator:POL` work);
//! everything else is synthetic and named so (`SYN-...`).

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod market;

use crate::label::{Category, CategoryKind, Label, Policy};
use crate::model::*;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub systems: usize,
    pub standards: usize,
    pub gateways: usize,
    pub domains: usize,
    pub seed: u64,
}

/// Why parameters cannot make a dataset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynthError {
    #[error("--domains must be at least 1")]
    NoDomains,
    #[error("--standards ({standards}) must be at least --domains ({domains}): every domain needs a standard")]
    TooFewStandards { standards: usize, domains: usize },
    #[error("--gateways {0} needs at least one domain with two standards")]
    NoGatewayPairs(usize),
    #[error("{what} {n} is more than this generator supports ({max})")]
    TooMany {
        what: &'static str,
        n: usize,
        max: usize,
    },
}

/// Nations used by synthetic data: (code, name, in NATO, in EU). Memberships as of 2024.
const NATIONS: &[(&str, &str, bool, bool)] = &[
    ("AUS", "Australia", false, false),
    ("BEL", "Belgium", true, true),
    ("CAN", "Canada", true, false),
    ("CZE", "Czechia", true, true),
    ("DEU", "Germany", true, true),
    ("DNK", "Denmark", true, true),
    ("ESP", "Spain", true, true),
    ("EST", "Estonia", true, true),
    ("FIN", "Finland", true, true),
    ("FRA", "France", true, true),
    ("GBR", "United Kingdom", true, false),
    ("GRC", "Greece", true, true),
    ("ITA", "Italy", true, true),
    ("JPN", "Japan", false, false),
    ("KOR", "Republic of Korea", false, false),
    ("LTU", "Lithuania", true, true),
    ("NLD", "Netherlands", true, true),
    ("NOR", "Norway", true, false),
    ("POL", "Poland", true, true),
    ("PRT", "Portugal", true, true),
    ("ROU", "Romania", true, true),
    ("SWE", "Sweden", true, true),
    ("TUR", "Türkiye", true, false),
    ("USA", "United States", true, false),
];

/// Relative weight of each nation as an origin (a few big producers).
fn origin_weight(code: &str) -> u64 {
    match code {
        "USA" => 30,
        "KOR" | "DEU" | "FRA" => 12,
        "GBR" | "ITA" | "SWE" | "TUR" => 6,
        _ => 2,
    }
}

const DOMAINS: &[(&str, &str)] = &[
    ("tactical-data-link", "Tactical data links"),
    ("c2-messaging", "Command and control messaging"),
    ("artillery-ammunition", "Artillery ammunition"),
    ("small-arms-ammunition", "Small-arms ammunition"),
    ("fuels-lubricants", "Fuels and lubricants"),
    ("satcom", "Satellite communications"),
    ("iff", "Identification friend or foe"),
    ("motion-imagery", "Motion imagery"),
    ("uav-control", "UAV control"),
    ("vehicle-protection", "Vehicle protection"),
    ("air-refuelling", "Air-to-air refuelling"),
    ("simulation", "Simulation interoperability"),
];

const CATEGORIES: &[&str] = &[
    "main-battle-tank",
    "self-propelled-howitzer",
    "multiple-rocket-launcher",
    "infantry-fighting-vehicle",
    "combat-aircraft",
    "helicopter",
    "frigate",
    "submarine",
    "air-defence",
    "uav",
    "radio",
    "radar",
];

/// Upper bound on any count, so that a typo cannot ask for terabytes.
pub const MAX_COUNT: usize = 10_000_000;

struct Rng(ChaCha8Rng);

impl Rng {
    /// Uniform in `0..n` (n > 0); modulo bias is negligible for our n.
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.0.next_u64() % 100 < percent
    }

    /// Index drawn from cumulative weights.
    fn weighted(&mut self, cumulative: &[u64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(1).max(1);
        let x = self.0.next_u64() % total;
        cumulative.partition_point(|c| *c <= x)
    }
}

fn cumulative(weights: impl Iterator<Item = u64>) -> Vec<u64> {
    weights
        .scan(0u64, |acc, w| {
            *acc += w;
            Some(*acc)
        })
        .collect()
}

/// Generates a dataset with `needs` needs and `offers` offers for matchmaking over its
/// organizations, systems and standards (`synth/market.rs`).
pub fn generate_market(p: Params, needs: usize, offers: usize) -> Result<Dataset, SynthError> {
    let mut d = generate(p)?;
    let mut rng = Rng(ChaCha8Rng::seed_from_u64(p.seed ^ 0x6d61_726b_6574));
    market::add(&mut d, needs, offers, &mut rng, p.seed)?;
    d.normalize();
    Ok(d)
}

/// Generates a dataset; see the module docs for its shape.
pub fn generate(p: Params) -> Result<Dataset, SynthError> {
    if p.domains == 0 {
        return Err(SynthError::NoDomains);
    }
    if p.standards < p.domains {
        return Err(SynthError::TooFewStandards {
            standards: p.standards,
            domains: p.domains,
        });
    }
    for (what, n) in [
        ("--systems", p.systems),
        ("--standards", p.standards),
        ("--gateways", p.gateways),
        ("--domains", p.domains),
    ] {
        if n > MAX_COUNT {
            return Err(SynthError::TooMany {
                what,
                n,
                max: MAX_COUNT,
            });
        }
    }
    if p.gateways > 0 && p.standards < p.domains + 1 {
        return Err(SynthError::NoGatewayPairs(p.gateways));
    }

    let mut rng = Rng(ChaCha8Rng::seed_from_u64(p.seed));
    let mut d = Dataset {
        policies: vec![Policy {
            id: "DEFCOOP".into(),
            classifications: ["PUBLIC", "UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL"]
                .map(String::from)
                .to_vec(),
            categories: vec![],
            required: vec![],
        }],
        ..Dataset::default()
    };
    let synth_source = |what: &str| {
        vec![Source {
            title: format!("defcoop synth --seed {} ({what})", p.seed),
            url: None,
        }]
    };

    d.nations = NATIONS
        .iter()
        .map(|(code, name, _, _)| Nation {
            code: code.to_string(),
            name: name.to_string(),
            label: None,
            sources: vec![],
            illustrative: false,
        })
        .collect();
    for (code, name, pick) in [
        ("NATO", "North Atlantic Treaty Organization", 2usize),
        ("EU", "European Union", 3),
    ] {
        d.blocs.push(Bloc {
            kind: None,
            code: code.into(),
            name: name.into(),
            members: NATIONS
                .iter()
                .filter(|n| if pick == 2 { n.2 } else { n.3 })
                .map(|n| Member {
                    until: None,
                    nation: n.0.to_string(),
                    since: None,
                })
                .collect(),
            label: None,
            sources: vec![],
            illustrative: false,
        });
    }

    // Companies: a few per nation, more for big producers.
    let origin_cum = cumulative(NATIONS.iter().map(|n| origin_weight(n.0)));
    let mut companies_of: Vec<Vec<usize>> = vec![Vec::new(); NATIONS.len()];
    let companies = (p.systems / 25).clamp(NATIONS.len(), 5_000);
    for i in 0..companies {
        let nation = if i < NATIONS.len() {
            i
        } else {
            rng.weighted(&origin_cum)
        };
        companies_of[nation].push(d.organizations.len());
        let confidential = rng.chance(5);
        d.organizations.push(Organization {
            id: format!("syn-org-{i:05}"),
            name: format!("Synthetic Industries {i}"),
            kind: OrgKind::Company,
            nation: NATIONS[nation].0.to_string(),
            ncage: None,
            label: confidential.then(|| company_label(i)),
            sources: synth_source("organization"),
            illustrative: true,
        });
    }

    let domain_names: Vec<String> = (0..p.domains)
        .map(|i| match DOMAINS.get(i) {
            Some((code, _)) => code.to_string(),
            None => format!("syn-domain-{i:03}"),
        })
        .collect();
    for (i, code) in domain_names.iter().enumerate() {
        d.domains.push(Domain {
            code: code.clone(),
            name: DOMAINS
                .get(i)
                .map_or_else(|| format!("Synthetic domain {i}"), |(_, n)| n.to_string()),
            label: None,
            sources: vec![],
            illustrative: true,
        });
    }

    // Standards: round-robin over domains so each gets its share; popularity is Zipf-like
    // within a domain (rank r has weight 1000 / (r + 1)).
    let mut standards_of: Vec<Vec<usize>> = vec![Vec::new(); p.domains];
    let bodies = ["NATO", "NATO", "NATO", "ISO", "EU", "KOR", "USA"];
    for i in 0..p.standards {
        let domain = i % p.domains;
        standards_of[domain].push(i);
        d.standards.push(Standard {
            aliases: vec![],
            id: format!("SYN-STD-{i:05}"),
            title: format!("Synthetic standard {i}"),
            body: bodies[rng.below(bodies.len())].to_string(),
            domain: domain_names[domain].clone(),
            tag: None,
            date: None,
            version: None,
            covers: vec![],
            label: None,
            sources: vec![],
            illustrative: true,
        });
    }
    let popularity: Vec<Vec<u64>> = standards_of
        .iter()
        .map(|s| cumulative((0..s.len()).map(|r| 1000 / (r as u64 + 1))))
        .collect();
    // Domains differ in how many systems take part (data links everywhere, refuelling rarely).
    let domain_cum = cumulative((0..p.domains).map(|i| 100 / (i as u64 % 6 + 1) + 10));

    for i in 0..p.systems {
        let origin = rng.weighted(&origin_cum);
        let producer = match companies_of[origin].as_slice() {
            [] => None,
            cs => Some(d.organizations[cs[rng.below(cs.len())]].id.clone()),
        };
        let mut operators = vec![Operator {
            nation: NATIONS[origin].0.to_string(),
            quantity: Some(10 + rng.below(400) as u32),
        }];
        for _ in 0..rng.below(4) {
            let n = NATIONS[rng.below(NATIONS.len())].0;
            if operators.iter().all(|o| o.nation != n) {
                operators.push(Operator {
                    nation: n.to_string(),
                    quantity: rng.chance(70).then(|| 1 + rng.below(200) as u32),
                });
            }
        }
        let id = format!("syn-sys-{i:06}");
        let label = match rng.below(100) {
            0..=2 => Some(releasable_to(NATIONS[origin].0)),
            3 => Some(Label {
                policy: "DEFCOOP".into(),
                classification: "RESTRICTED".into(),
                categories: vec![],
            }),
            _ => None,
        };
        d.systems.push(System {
            aliases: vec![],
            id: id.clone(),
            name: format!("Synthetic system {i}"),
            category: CATEGORIES[rng.below(CATEGORIES.len())].to_string(),
            producer,
            origin: NATIONS[origin].0.to_string(),
            operators,
            label,
            sources: vec![],
            illustrative: true,
        });

        // Domains: 1 + a skewed count, mostly 3–6.
        let wanted = (1 + rng.below(3) + rng.below(4)).min(p.domains);
        let mut taken: Vec<usize> = Vec::with_capacity(wanted);
        let mut tries = 0;
        while taken.len() < wanted && tries < wanted * 8 {
            tries += 1;
            let dom = rng.weighted(&domain_cum);
            if !taken.contains(&dom) {
                taken.push(dom);
            }
        }
        taken.sort_unstable();
        for dom in taken {
            let pool = &standards_of[dom];
            let per =
                (1 + usize::from(rng.chance(35)) + usize::from(rng.chance(15))).min(pool.len());
            let mut chosen: Vec<usize> = Vec::with_capacity(per);
            let mut tries = 0;
            while chosen.len() < per && tries < per * 8 {
                tries += 1;
                let s = pool[rng.weighted(&popularity[dom])];
                if !chosen.contains(&s) {
                    chosen.push(s);
                }
            }
            chosen.sort_unstable();
            for s in chosen {
                let status = match rng.below(100) {
                    0..=49 => ConformanceStatus::Claimed,
                    50..=84 => ConformanceStatus::Tested,
                    _ => ConformanceStatus::Certified,
                };
                d.conformances.push(Conformance {
                    system: id.clone(),
                    standard: d.standards[s].id.clone(),
                    status,
                    evidence: None,
                    label: None,
                    sources: vec![],
                    illustrative: false,
                });
            }
        }
    }

    // Gateways: between two standards of one domain (domains with ≥ 2 standards).
    let gw_domains: Vec<usize> = (0..p.domains)
        .filter(|dm| standards_of[*dm].len() >= 2)
        .collect();
    for i in 0..p.gateways {
        let dom = gw_domains[rng.below(gw_domains.len())];
        let pool = &standards_of[dom];
        let a = pool[rng.weighted(&popularity[dom])];
        let mut b = pool[rng.below(pool.len())];
        if b == a {
            b = pool[(pool.iter().position(|x| *x == a).unwrap_or(0) + 1) % pool.len()];
        }
        d.gateways.push(Gateway {
            id: format!("syn-gw-{i:05}"),
            name: format!("Synthetic gateway {i}"),
            domain: domain_names[dom].clone(),
            from: d.standards[a].id.clone(),
            to: d.standards[b].id.clone(),
            bidirectional: rng.chance(60),
            fidelity: if rng.chance(75) {
                Fidelity::Full
            } else {
                Fidelity::Partial
            },
            status: if rng.chance(70) {
                GatewayStatus::Fielded
            } else {
                GatewayStatus::Planned
            },
            label: None,
            sources: vec![],
            illustrative: true,
        });
    }

    d.normalize();
    Ok(d)
}

fn releasable_to(nation: &str) -> Label {
    Label {
        policy: "DEFCOOP".into(),
        classification: "UNCLASSIFIED".into(),
        categories: vec![Category {
            kind: CategoryKind::Restrictive,
            name: "RELEASABLE-TO".into(),
            values: vec![nation.to_string()],
        }],
    }
}

fn company_label(i: usize) -> Label {
    Label {
        policy: "DEFCOOP".into(),
        classification: "RESTRICTED".into(),
        categories: vec![Category {
            kind: CategoryKind::Restrictive,
            name: "COMPANY".into(),
            values: vec![format!("SYN-ORG-{i:05}")],
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{plan_import, Incoming};
    use crate::label::Reader;

    fn params(systems: usize) -> Params {
        Params {
            systems,
            standards: 60,
            gateways: 20,
            domains: 12,
            seed: 7,
        }
    }

    #[test]
    fn same_seed_same_dataset_other_seed_other() {
        let a = generate(params(300)).unwrap();
        assert_eq!(a, generate(params(300)).unwrap());
        let b = generate(Params {
            seed: 8,
            ..params(300)
        })
        .unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn output_is_valid_and_sized() {
        let d = generate(params(500)).unwrap();
        assert_eq!(d.systems.len(), 500);
        assert_eq!(d.standards.len(), 60);
        assert_eq!(d.gateways.len(), 20);
        assert_eq!(d.domains.len(), 12);
        let plan = plan_import(
            &Incoming::from_dataset(d.clone()),
            &Dataset::default(),
            &Reader::Full,
        );
        assert!(
            plan.is_ok(),
            "{:?}",
            plan.err().map(|p| p[..p.len().min(5)].to_vec())
        );
        // Realistic skew: on average a few conformances per system, and standards used unevenly.
        let per_system = d.conformances.len() as f64 / 500.0;
        assert!((4.0..16.0).contains(&per_system), "{per_system}");
        let mut uses = std::collections::HashMap::new();
        for c in &d.conformances {
            *uses.entry(c.standard.as_str()).or_insert(0usize) += 1;
        }
        let max = uses.values().max().copied().unwrap_or(0);
        let median = {
            let mut v: Vec<usize> = uses.values().copied().collect();
            v.sort_unstable();
            v[v.len() / 2]
        };
        assert!(max >= 4 * median, "max {max} median {median}");
        assert!(d
            .gateways
            .iter()
            .any(|g| g.status == GatewayStatus::Planned));
        assert!(d.gateways.iter().any(|g| !g.bidirectional));
        assert!(d.gateways.iter().any(|g| g.fidelity == Fidelity::Partial));
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert_eq!(
            generate(Params {
                domains: 0,
                ..params(1)
            }),
            Err(SynthError::NoDomains)
        );
        assert!(matches!(
            generate(Params {
                standards: 5,
                ..params(1)
            }),
            Err(SynthError::TooFewStandards { .. })
        ));
        assert!(matches!(
            generate(Params {
                standards: 12,
                ..params(1)
            }),
            Err(SynthError::NoGatewayPairs(20))
        ));
        assert!(generate(Params {
            systems: 0,
            gateways: 0,
            ..params(0)
        })
        .is_ok());
    }
}
