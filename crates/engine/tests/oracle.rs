//! The engine against a brute-force statement of PRODUCT.md's interoperability semantics, on
//! random registries: gateway chains, one-way, partial and planned gateways, overlapping left
//! and right sets, and hidden records (the engine is built from what the reader may see).

mod common;

use std::collections::{BTreeMap, HashSet};

use common::*;
use defcoop_domain::label::Clearance;
use defcoop_domain::model::*;
use defcoop_domain::{visible, Reader};
use defcoop_engine::{matrix, pair, Level, NoProgress, Snapshot};
use proptest::prelude::*;

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
                    let none_in = |sys: &str| standards_of(&data, sys, &r.domain).is_empty();
                    prop_assert_eq!(r.unrated, (none_in(&a.id), none_in(&b.id)));
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
        // Coverage: systems of each side with no conformance in the domain (from the records).
        let unrated_in = |side: &[usize], dom: &str| {
            side.iter()
                .filter(|&&s| !data.conformances.iter().any(|c| {
                    c.system == data.systems[s].id
                        && data.standards.iter().any(|st| st.id == c.standard && st.domain == dom)
                }))
                .count()
        };
        let expected_unrated: Vec<(usize, usize)> = data.domains.iter()
            .map(|d| (unrated_in(&left, &d.code), unrated_in(&right, &d.code)))
            .collect();
        prop_assert_eq!(&m.unrated, &expected_unrated);
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

#[test]
fn what_if_applies_actions_and_refuses_impossible_ones() {
    use defcoop_engine::Action;
    let spec = Spec {
        domains: 1,
        standards: vec![0, 0],
        systems: vec![(0, false), (1, false)],
        conformances: vec![(0, 0, 0, false), (1, 1, 1, false)],
        gateways: vec![(0, 1, true, true, false, false)],
    };
    let data = build(&spec);
    let snap = Snapshot::new(&data);
    let level = |s: &Snapshot| pair(s, "x0", "x1", &[]).unwrap().domains[0].level;
    assert_eq!(level(&snap), Level::None, "the only gateway is planned");
    let fielded = snap
        .apply(&[Action::Field {
            gateway: "g0".into(),
        }])
        .unwrap();
    assert_eq!(level(&fielded), Level::Compatible);
    let adopted = snap
        .apply(&[Action::Adopt {
            system: "x0".into(),
            standard: "s1".into(),
        }])
        .unwrap();
    assert_eq!(
        level(&adopted),
        Level::Integrated,
        "adopted as tested, x1 is tested"
    );
    let gw = snap
        .apply(&[Action::Gateway {
            domain: "d0".into(),
            from: "s0".into(),
            to: "s1".into(),
        }])
        .unwrap();
    assert_eq!(level(&gw), Level::Compatible);
    assert_eq!(
        level(&snap),
        Level::None,
        "the original snapshot is untouched"
    );
    for bad in [
        Action::Test {
            system: "x1".into(),
            standard: "s1".into(),
        },
        Action::Test {
            system: "x0".into(),
            standard: "s1".into(),
        },
        Action::Adopt {
            system: "x0".into(),
            standard: "s0".into(),
        },
        Action::Field {
            gateway: "nope".into(),
        },
        Action::Gateway {
            domain: "d0".into(),
            from: "s0".into(),
            to: "s0".into(),
        },
    ] {
        assert!(snap.apply(std::slice::from_ref(&bad)).is_err(), "{bad:?}");
    }
}
