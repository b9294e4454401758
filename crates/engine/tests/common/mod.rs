//! Shared by the engine's integration tests: a brute-force statement of PRODUCT.md's
//! interoperability semantics, and random registries.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use defcoop_domain::label::{Category, CategoryKind, Clearance, Label, Policy};
use defcoop_domain::model::*;
use defcoop_domain::Reader;
use defcoop_engine::{Action, Level};
use proptest::prelude::*;

// ---------------------------------------------------------------- the oracle

pub fn standards_of(
    d: &Dataset,
    system: &str,
    domain: &str,
) -> BTreeMap<String, ConformanceStatus> {
    let in_domain: HashSet<&str> = d
        .standards
        .iter()
        .filter(|s| s.domain == domain)
        .map(|s| s.id.as_str())
        .collect();
    d.conformances
        .iter()
        .filter(|c| c.system == system && in_domain.contains(c.standard.as_str()))
        .map(|c| (c.standard.clone(), c.status))
        .collect()
}

/// Is there a path of fielded gateways of `domain` (full ones only if `full_only`) from a
/// standard of `from` to a standard of `to`?
fn path(
    d: &Dataset,
    domain: &str,
    from: &BTreeSet<String>,
    to: &BTreeSet<String>,
    full_only: bool,
) -> bool {
    let mut edges: Vec<(&str, &str)> = Vec::new();
    for g in &d.gateways {
        if g.domain != domain || g.status != GatewayStatus::Fielded {
            continue;
        }
        if full_only && g.fidelity != Fidelity::Full {
            continue;
        }
        edges.push((&g.from, &g.to));
        if g.bidirectional {
            edges.push((&g.to, &g.from));
        }
    }
    let mut seen: HashSet<&str> = from.iter().map(String::as_str).collect();
    let mut queue: VecDeque<&str> = from.iter().map(String::as_str).collect();
    while let Some(x) = queue.pop_front() {
        for (a, b) in &edges {
            if *a == x && seen.insert(b) {
                if to.contains(*b) {
                    return true;
                }
                queue.push_back(b);
            }
        }
    }
    false
}

pub fn oracle(d: &Dataset, a: &str, b: &str, domain: &str) -> Level {
    let sa = standards_of(d, a, domain);
    let sb = standards_of(d, b, domain);
    if sa.is_empty() || sb.is_empty() {
        return Level::Na;
    }
    let tested = |s: &ConformanceStatus| *s >= ConformanceStatus::Tested;
    if sa
        .iter()
        .any(|(s, st)| tested(st) && sb.get(s).is_some_and(tested))
    {
        return Level::Integrated;
    }
    let ka: BTreeSet<String> = sa.keys().cloned().collect();
    let kb: BTreeSet<String> = sb.keys().cloned().collect();
    if !ka.is_disjoint(&kb) || (path(d, domain, &ka, &kb, true) && path(d, domain, &kb, &ka, true))
    {
        return Level::Compatible;
    }
    if path(d, domain, &ka, &kb, false) || path(d, domain, &kb, &ka, false) {
        return Level::Deconflicted;
    }
    Level::None
}

// ---------------------------------------------------------------- random registries

const NATIONS: [&str; 3] = ["AAA", "BBB", "CCC"];

fn secret() -> Label {
    Label {
        policy: "P".into(),
        classification: "HIGH".into(),
        categories: vec![Category {
            kind: CategoryKind::Restrictive,
            name: "REL".into(),
            values: vec!["X".into()],
        }],
    }
}

fn meta_none() -> (Option<Label>, Vec<Source>, bool) {
    (None, vec![], false)
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub domains: usize,
    pub standards: Vec<usize>,       // domain of each standard
    pub systems: Vec<(usize, bool)>, // origin, hidden
    pub conformances: Vec<(usize, usize, u8, bool)>, // system, standard, status, hidden
    pub gateways: Vec<(usize, usize, bool, bool, bool, bool)>, // from, to, bidir, full, fielded, hidden
}

pub fn arb_spec() -> impl Strategy<Value = Spec> {
    (1usize..=3, 2usize..=9, 2usize..=9).prop_flat_map(|(domains, n_std, n_sys)| {
        (
            Just(domains),
            proptest::collection::vec(0..domains, n_std),
            proptest::collection::vec((0..NATIONS.len(), proptest::bool::weighted(0.1)), n_sys),
            proptest::collection::vec(
                (0..n_sys, 0..n_std, 0u8..3, proptest::bool::weighted(0.1)),
                0..(n_sys * 3),
            ),
            proptest::collection::vec(
                (
                    0..n_std,
                    0..n_std,
                    any::<bool>(),
                    proptest::bool::weighted(0.7),
                    proptest::bool::weighted(0.6),
                    proptest::bool::weighted(0.1),
                ),
                0..8,
            ),
        )
            .prop_map(
                |(domains, standards, systems, conformances, gateways)| Spec {
                    domains,
                    standards,
                    systems,
                    conformances,
                    gateways,
                },
            )
    })
}

pub fn build(spec: &Spec) -> Dataset {
    let mut d = Dataset {
        policies: vec![Policy {
            id: "P".into(),
            classifications: vec!["LOW".into(), "HIGH".into()],
            categories: vec![],
            required: vec![],
        }],
        ..Dataset::default()
    };
    for n in NATIONS {
        let (label, sources, illustrative) = meta_none();
        d.nations.push(Nation {
            code: n.into(),
            name: n.into(),
            label,
            sources,
            illustrative,
        });
    }
    for i in 0..spec.domains {
        let (label, sources, illustrative) = meta_none();
        d.domains.push(Domain {
            code: format!("d{i}"),
            name: format!("D{i}"),
            label,
            sources,
            illustrative,
        });
    }
    for (i, dom) in spec.standards.iter().enumerate() {
        let (label, sources, illustrative) = meta_none();
        d.standards.push(Standard {
            aliases: vec![],
            id: format!("s{i}"),
            title: format!("S{i}"),
            body: "NATO".into(),
            domain: format!("d{dom}"),
            tag: None,
            date: None,
            version: None,
            covers: vec![],
            label,
            sources,
            illustrative,
        });
    }
    for (i, (origin, hidden)) in spec.systems.iter().enumerate() {
        d.systems.push(System {
            aliases: vec![],
            id: format!("x{i}"),
            name: format!("X{i}"),
            category: if i % 2 == 0 {
                "even".into()
            } else {
                "odd".into()
            },
            producer: None,
            origin: NATIONS[*origin].into(),
            operators: vec![Operator {
                nation: NATIONS[(origin + i) % NATIONS.len()].into(),
                quantity: None,
            }],
            label: hidden.then(secret),
            sources: vec![],
            illustrative: false,
        });
    }
    let mut seen = HashSet::new();
    for (sys, std, status, hidden) in &spec.conformances {
        if !seen.insert((*sys, *std)) {
            continue;
        }
        d.conformances.push(Conformance {
            system: format!("x{sys}"),
            standard: format!("s{std}"),
            status: ConformanceStatus::ALL[*status as usize],
            evidence: None,
            label: hidden.then(secret),
            sources: vec![],
            illustrative: false,
        });
    }
    for (i, (from, to, bidir, full, fielded, hidden)) in spec.gateways.iter().enumerate() {
        // Gateways join standards of one domain: move `to` into `from`'s domain by picking the
        // first standard of that domain other than `from`, if any.
        let dom = spec.standards[*from];
        let to = if spec.standards[*to] == dom && to != from {
            *to
        } else {
            match (0..spec.standards.len()).find(|s| spec.standards[*s] == dom && s != from) {
                Some(t) => t,
                None => continue,
            }
        };
        d.gateways.push(Gateway {
            id: format!("g{i}"),
            name: format!("G{i}"),
            domain: format!("d{dom}"),
            from: format!("s{from}"),
            to: format!("s{to}"),
            bidirectional: *bidir,
            fidelity: if *full {
                Fidelity::Full
            } else {
                Fidelity::Partial
            },
            status: if *fielded {
                GatewayStatus::Fielded
            } else {
                GatewayStatus::Planned
            },
            label: hidden.then(secret),
            sources: vec![],
            illustrative: false,
        });
    }
    d.normalize();
    d
}

pub fn outsider() -> Reader {
    Reader::Cleared(Clearance::default().with_level("P", "HIGH"))
}

// ---------------------------------------------------------------- plans, by brute force

/// Covered (a, b, domain) triples: a in left, b in right, a ≠ b, level ≥ target.
pub fn coverage(
    d: &Dataset,
    left: &[String],
    right: &[String],
    domains: &[String],
    t: Level,
) -> u64 {
    let mut n = 0;
    for dom in domains {
        for a in left {
            for b in right {
                if a != b {
                    let l = oracle(d, a, b, dom);
                    if l != Level::Na && l >= t {
                        n += 1;
                    }
                }
            }
        }
    }
    n
}

fn used(d: &Dataset, side: &[String], domain: &str) -> BTreeSet<String> {
    side.iter()
        .flat_map(|s| standards_of(d, s, domain).into_keys())
        .collect()
}

/// Every candidate action, as PRODUCT.md lists them.
pub fn candidates(
    d: &Dataset,
    left: &[String],
    right: &[String],
    domains: &[String],
) -> Vec<Action> {
    let mut out = Vec::new();
    let both: BTreeSet<&String> = left.iter().chain(right).collect();
    let dom_of = |std: &str| {
        d.standards
            .iter()
            .find(|s| s.id == std)
            .map(|s| s.domain.clone())
    };
    for c in &d.conformances {
        if c.status == ConformanceStatus::Claimed
            && both.contains(&c.system)
            && dom_of(&c.standard).is_some_and(|dm| domains.contains(&dm))
        {
            out.push(Action::Test {
                system: c.system.clone(),
                standard: c.standard.clone(),
            });
        }
    }
    for sys in &both {
        for dom in domains {
            let mine = standards_of(d, sys, dom);
            if mine.is_empty() {
                continue;
            }
            let mut other = BTreeSet::new();
            if left.contains(sys) {
                other.extend(used(d, right, dom));
            }
            if right.contains(sys) {
                other.extend(used(d, left, dom));
            }
            for s in other {
                if !mine.contains_key(&s) {
                    out.push(Action::Adopt {
                        system: (*sys).clone(),
                        standard: s,
                    });
                }
            }
        }
    }
    for g in &d.gateways {
        if g.status == GatewayStatus::Planned && domains.contains(&g.domain) {
            out.push(Action::Field {
                gateway: g.id.clone(),
            });
        }
    }
    for dom in domains {
        let mut seen = BTreeSet::new();
        for u in used(d, left, dom) {
            for v in used(d, right, dom) {
                if u != v {
                    let (a, b) = if u < v {
                        (u.clone(), v.clone())
                    } else {
                        (v.clone(), u.clone())
                    };
                    if seen.insert((a.clone(), b.clone())) {
                        out.push(Action::Gateway {
                            domain: dom.clone(),
                            from: a,
                            to: b,
                        });
                    }
                }
            }
        }
    }
    out
}

pub fn apply(d: &Dataset, a: &Action) -> Dataset {
    let mut d = d.clone();
    match a {
        Action::Test { system, standard } => {
            for c in &mut d.conformances {
                if &c.system == system && &c.standard == standard {
                    c.status = ConformanceStatus::Tested;
                }
            }
        }
        Action::Adopt { system, standard } => d.conformances.push(Conformance {
            system: system.clone(),
            standard: standard.clone(),
            status: ConformanceStatus::Tested,
            evidence: None,
            label: None,
            sources: vec![],
            illustrative: false,
        }),
        Action::Field { gateway } => {
            for g in &mut d.gateways {
                if &g.id == gateway {
                    g.status = GatewayStatus::Fielded;
                }
            }
        }
        Action::Gateway { domain, from, to } => d.gateways.push(Gateway {
            id: format!("new-{}", d.gateways.len()),
            name: "new".into(),
            domain: domain.clone(),
            from: from.clone(),
            to: to.clone(),
            bidirectional: true,
            fidelity: Fidelity::Full,
            status: GatewayStatus::Fielded,
            label: None,
            sources: vec![],
            illustrative: false,
        }),
    }
    d
}

/// The best coverage reachable with at most k actions, by trying every sequence.
pub fn exhaustive(
    d: &Dataset,
    left: &[String],
    right: &[String],
    domains: &[String],
    t: Level,
    k: usize,
) -> u64 {
    let here = coverage(d, left, right, domains, t);
    if k == 0 {
        return here;
    }
    candidates(d, left, right, domains)
        .iter()
        .map(|c| exhaustive(&apply(d, c), left, right, domains, t, k - 1))
        .max()
        .unwrap_or(here)
        .max(here)
}
