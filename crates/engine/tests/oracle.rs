//! The engine against a brute-force statement of PRODUCT.md's interoperability semantics, on
//! random registries: gateway chains, one-way, partial and planned gateways, overlapping left
//! and right sets, and hidden records (the engine is built from what the reader may see).

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use defcoop_domain::label::{Category, CategoryKind, Clearance, Label, Policy};
use defcoop_domain::model::*;
use defcoop_domain::{visible, Reader};
use defcoop_engine::{matrix, pair, Level, NoProgress, Snapshot};
use proptest::prelude::*;

// ---------------------------------------------------------------- the oracle

fn standards_of(d: &Dataset, system: &str, domain: &str) -> BTreeMap<String, ConformanceStatus> {
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

fn oracle(d: &Dataset, a: &str, b: &str, domain: &str) -> Level {
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
struct Spec {
    domains: usize,
    standards: Vec<usize>,                       // domain of each standard
    systems: Vec<(usize, bool)>,                 // origin, hidden
    conformances: Vec<(usize, usize, u8, bool)>, // system, standard, status, hidden
    gateways: Vec<(usize, usize, bool, bool, bool, bool)>, // from, to, bidir, full, fielded, hidden
}

fn arb_spec() -> impl Strategy<Value = Spec> {
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
                    proptest::bool::weighted(0.8),
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

fn build(spec: &Spec) -> Dataset {
    let mut d = Dataset {
        policies: vec![Policy {
            id: "P".into(),
            classifications: vec!["LOW".into(), "HIGH".into()],
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
            id: format!("s{i}"),
            title: format!("S{i}"),
            body: "NATO".into(),
            domain: format!("d{dom}"),
            label,
            sources,
            illustrative,
        });
    }
    for (i, (origin, hidden)) in spec.systems.iter().enumerate() {
        d.systems.push(System {
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

fn outsider() -> Reader {
    Reader::Cleared(Clearance::default().with_level("P", "HIGH"))
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn pair_levels_match_the_oracle(spec in arb_spec(), insider in any::<bool>()) {
        let reader = if insider {
            Reader::Cleared(Clearance::default().with_level("P", "HIGH").with_value("REL", "X"))
        } else {
            outsider()
        };
        let data = visible(build(&spec), &reader);
        let snap = Snapshot::new(&data);
        let domains: Vec<String> = data.domains.iter().map(|d| d.code.clone()).collect();
        for a in &data.systems {
            for b in &data.systems {
                let report = pair(&snap, &a.id, &b.id, &domains).unwrap();
                for r in &report.domains {
                    let expected = oracle(&data, &a.id, &b.id, &r.domain);
                    prop_assert_eq!(r.level, expected, "{} {} {}", a.id, b.id, r.domain);
                    check_evidence(&data, &a.id, &b.id, r)?;
                }
            }
        }
    }

    #[test]
    fn matrix_counts_match_the_oracle(spec in arb_spec(), lmask in any::<u16>(), rmask in any::<u16>()) {
        let data = visible(build(&spec), &outsider());
        let snap = Snapshot::new(&data);
        let left: Vec<usize> = (0..data.systems.len()).filter(|i| lmask & (1 << i) != 0).collect();
        let right: Vec<usize> = (0..data.systems.len()).filter(|i| rmask & (1 << i) != 0).collect();
        let domains: Vec<usize> = (0..data.domains.len()).collect();
        let m = matrix(&snap, &left, &right, &domains, true, &NoProgress);

        let mut expected: Vec<[u64; 5]> = vec![[0; 5]; domains.len()];
        let mut by_nation: BTreeMap<(String, String), Vec<[u64; 5]>> = BTreeMap::new();
        let mut pairs = Vec::new();
        for (di, dom) in data.domains.iter().enumerate() {
            for &a in &left {
                for &b in &right {
                    if a == b { continue; }
                    let (sa, sb) = (&data.systems[a], &data.systems[b]);
                    let l = oracle(&data, &sa.id, &sb.id, &dom.code);
                    expected[di][l.index()] += 1;
                    by_nation.entry((sa.origin.clone(), sb.origin.clone()))
                        .or_insert_with(|| vec![[0; 5]; domains.len()])[di][l.index()] += 1;
                    pairs.push((a, b, di, l));
                }
            }
        }
        let got: Vec<[u64; 5]> = m.domains.iter().map(|(_, c)| *c).collect();
        prop_assert_eq!(got, expected);
        let got_nations: BTreeMap<(String, String), Vec<[u64; 5]>> =
            m.nation_pairs.iter().map(|n| ((n.a.clone(), n.b.clone()), n.counts.clone())).collect();
        prop_assert_eq!(got_nations, by_nation);
        let got_pairs: Vec<(usize, usize, usize, Level)> = m.pairs.iter().map(|p| (p.a, p.b, p.domain, p.level)).collect();
        prop_assert_eq!(got_pairs, pairs);
    }

    #[test]
    fn hidden_records_never_change_what_an_outsider_gets(spec in arb_spec()) {
        // Rating the outsider's view equals rating a registry where the hidden records never
        // existed at all.
        let mut stripped = spec.clone();
        let mut seen = HashSet::new();
        stripped.conformances.retain(|c| seen.insert((c.0, c.1)));
        stripped.conformances.retain(|c| !c.3);
        stripped.gateways.iter_mut().for_each(|g| if g.5 { g.4 = false; });
        let full = visible(build(&spec), &outsider());
        let snap = Snapshot::new(&full);
        let domains: Vec<String> = full.domains.iter().map(|d| d.code.clone()).collect();
        for a in &full.systems {
            for b in &full.systems {
                for r in pair(&snap, &a.id, &b.id, &domains).unwrap().domains {
                    let without = build(&stripped);
                    prop_assert_eq!(r.level, oracle(&without, &a.id, &b.id, &r.domain));
                }
            }
        }
    }
}

/// Evidence must prove the level: shared tested standards for 3, a shared standard or full
/// chains both ways for 2, some chain for 1; chains must be real paths.
fn check_evidence(
    d: &Dataset,
    a: &str,
    b: &str,
    r: &defcoop_engine::DomainRating,
) -> Result<(), TestCaseError> {
    let sa = standards_of(d, a, &r.domain);
    let sb = standards_of(d, b, &r.domain);
    for c in [&r.a_to_b, &r.b_to_a].into_iter().flatten() {
        prop_assert!(!c.steps.is_empty());
        for w in c.steps.windows(2) {
            prop_assert_eq!(&w[0].to, &w[1].from);
        }
        for s in &c.steps {
            let g = d
                .gateways
                .iter()
                .find(|g| g.id == s.gateway)
                .expect("chain names a known gateway");
            prop_assert_eq!(g.status, GatewayStatus::Fielded);
            let forward = g.from == s.from && g.to == s.to;
            let backward = g.bidirectional && g.to == s.from && g.from == s.to;
            prop_assert!(forward || backward);
        }
    }
    let tested = |s: &ConformanceStatus| *s >= ConformanceStatus::Tested;
    match r.level {
        Level::Integrated => prop_assert!(r.shared.iter().any(|s| tested(&s.a) && tested(&s.b))),
        Level::Compatible if r.shared.is_empty() => {
            let ab = r.a_to_b.as_ref().expect("a→b chain");
            let ba = r.b_to_a.as_ref().expect("b→a chain");
            prop_assert!(ab.full && ba.full);
            prop_assert!(
                sa.contains_key(&ab.steps[0].from)
                    && sb.contains_key(&ab.steps[ab.steps.len() - 1].to)
            );
            prop_assert!(
                sb.contains_key(&ba.steps[0].from)
                    && sa.contains_key(&ba.steps[ba.steps.len() - 1].to)
            );
        }
        Level::Deconflicted => prop_assert!(r.a_to_b.is_some() || r.b_to_a.is_some()),
        _ => {}
    }
    Ok(())
}
