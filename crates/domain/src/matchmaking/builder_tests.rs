//! The builder against exhaustive search: every consortium of the size, checked by the
//! consortium check itself (equal shares), sorted by score and then member ids.

use proptest::prelude::*;

use super::builder::{build, Candidate, BUDGET};
use super::consortium::{check, standing, Standing};
use super::{Countries, Instrument, InstrumentKind, PartnersMay, Rules};
use crate::day::Day;
use crate::model::{Dataset, Nation, OrgKind, Organization};

const DAY: Day = Day {
    year: 2026,
    month: 6,
    day: 1,
};
const NATIONS: [&str; 6] = ["DEU", "FRA", "POL", "NOR", "KOR", "USA"];

fn dataset(orgs: &[(usize, u32)]) -> Dataset {
    let mut d = Dataset {
        nations: NATIONS
            .iter()
            .map(|n| Nation {
                code: n.to_string(),
                name: n.to_string(),
                label: None,
                sources: vec![],
                illustrative: false,
            })
            .collect(),
        ..Dataset::default()
    };
    d.organizations = orgs
        .iter()
        .enumerate()
        .map(|(i, (n, _))| Organization {
            id: format!("org-{i:02}"),
            name: format!("Org {i}"),
            kind: OrgKind::Company,
            nation: NATIONS[*n].to_string(),
            ncage: None,
            label: None,
            sources: vec![],
            illustrative: false,
        })
        .collect();
    d
}

fn instrument(rules: Rules) -> Instrument {
    Instrument {
        id: "i".into(),
        name: "I".into(),
        kind: InstrumentKind::Grant,
        description: None,
        rules,
        modelled: false,
        unconfirmed: vec![],
        label: None,
        sources: vec![],
        illustrative: false,
    }
}

fn rules_strategy() -> impl Strategy<Value = Rules> {
    (
        proptest::option::of(1u32..4),
        proptest::option::of(1u32..4),
        0usize..3,
        any::<bool>(),
        proptest::option::of(prop_oneof![
            Just(0.0),
            Just(20.0),
            Just(35.0),
            Just(50.0),
            Just(100.0)
        ]),
    )
        .prop_map(|(entities, countries, eligible, join, share)| {
            let (min_entities, min_countries) = match (entities, countries) {
                (Some(e), Some(c)) => (Some(e.max(c)), Some(c)),
                x => x,
            };
            let nations = |xs: &[&str]| Countries {
                blocs: vec![],
                nations: xs.iter().map(|s| s.to_string()).collect(),
            };
            let (eligible, partners) = match eligible {
                0 => (Countries::default(), Countries::default()),
                1 => (nations(&["DEU", "FRA", "POL"]), nations(&["NOR", "KOR"])),
                _ => (nations(&["DEU", "FRA", "POL", "NOR"]), nations(&["KOR"])),
            };
            let named = !partners.nations.is_empty();
            Rules {
                min_entities,
                min_countries,
                eligible,
                partners,
                partners_may: named.then_some(PartnersMay {
                    join,
                    receive_funds: false,
                }),
                max_non_eligible_share: share,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_builder_finds_exactly_the_best_eligible_consortia(
        orgs in proptest::collection::vec((0usize..6, 0u32..40), 1..11),
        rules in rules_strategy(),
        size in 1usize..5,
        top in 1usize..6,
    ) {
        let data = dataset(&orgs);
        let inst = instrument(rules.clone());
        let candidates: Vec<Candidate> = data
            .organizations
            .iter()
            .zip(&orgs)
            .map(|(o, (_, v))| Candidate {
                organization: o.id.clone(),
                nation: o.nation.clone(),
                standing: standing(&data, &rules, &o.nation, DAY),
                value: *v * 5,
            })
            .collect();
        let built = build(&rules, &candidates, size, top, BUDGET).unwrap();
        prop_assert!(built.exact);

        // Every subset of `size` candidates, by the check; ties go to the consortium whose
        // members come first by value, then id.
        let n = candidates.len();
        let mut by_value: Vec<usize> = (0..n).collect();
        by_value.sort_by(|&a, &b| {
            candidates[b]
                .value
                .cmp(&candidates[a].value)
                .then_with(|| candidates[a].organization.cmp(&candidates[b].organization))
        });
        let mut all: Vec<(u64, Vec<usize>, Vec<&str>)> = Vec::new();
        for mask in 0u32..(1 << n) {
            if mask.count_ones() as usize != size {
                continue;
            }
            let members: Vec<(String, Option<f64>)> = (0..n)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| (candidates[i].organization.clone(), None))
                .collect();
            let report = check(&data, &inst, &members, DAY).unwrap();
            if report.eligible {
                let score = (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| u64::from(candidates[i].value))
                    .sum();
                let positions: Vec<usize> = (0..n)
                    .filter(|&p| mask & (1 << by_value[p]) != 0)
                    .collect();
                let mut ids: Vec<&str> = (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| candidates[i].organization.as_str())
                    .collect();
                ids.sort_unstable();
                all.push((score, positions, ids));
            }
        }
        all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        all.truncate(top);
        let all: Vec<(u64, Vec<&str>)> = all.into_iter().map(|(s, _, ids)| (s, ids)).collect();
        let got: Vec<(u64, Vec<&str>)> = built
            .proposals
            .iter()
            .map(|p| {
                let mut ids: Vec<&str> = p
                    .members
                    .iter()
                    .map(|&i| candidates[i].organization.as_str())
                    .collect();
                ids.sort_unstable();
                (p.score, ids)
            })
            .collect();
        prop_assert_eq!(got, all);
    }
}

#[test]
fn a_spent_budget_says_so_with_a_bound_above_what_was_missed() {
    let orgs: Vec<(usize, u32)> = (0..30).map(|i| (i % 3, 100 - i as u32)).collect();
    let data = dataset(&orgs);
    let rules = Rules::default();
    let candidates: Vec<Candidate> = data
        .organizations
        .iter()
        .zip(&orgs)
        .map(|(o, (_, v))| Candidate {
            organization: o.id.clone(),
            nation: o.nation.clone(),
            standing: Standing::Eligible,
            value: *v,
        })
        .collect();
    let exact = build(&rules, &candidates, 4, 10, BUDGET).unwrap();
    assert!(exact.exact && exact.bound.is_none());
    let flat: Vec<Candidate> = candidates
        .iter()
        .map(|c| Candidate {
            value: 7,
            ..c.clone()
        })
        .collect();
    // All equal: the first consortia in candidate order are the best, and every other branch
    // is cut at once.
    let ties = build(&rules, &flat, 4, 3, BUDGET).unwrap();
    assert!(ties.exact && ties.nodes < 100, "{} nodes", ties.nodes);
    assert_eq!(ties.proposals[0].members, [0, 1, 2, 3]);
    let cut = build(&rules, &candidates, 4, 10, 3).unwrap();
    assert!(!cut.exact);
    let bound = cut.bound.unwrap();
    // Whatever the cut search missed scores at most the bound.
    for p in &exact.proposals {
        if !cut.proposals.contains(p) {
            assert!(p.score <= bound, "{p:?} above {bound}");
        }
    }
    assert!(cut.nodes <= 3);
}

#[test]
fn bad_parameters_are_named() {
    let rules = Rules::default();
    let one = [Candidate {
        organization: "a".into(),
        nation: "DEU".into(),
        standing: Standing::Eligible,
        value: 1,
    }];
    assert!(build(&rules, &[], 3, 5, BUDGET)
        .unwrap_err()
        .starts_with("candidates:"));
    assert!(build(&rules, &one, 0, 5, BUDGET)
        .unwrap_err()
        .starts_with("size:"));
    assert!(build(&rules, &one, 21, 5, BUDGET)
        .unwrap_err()
        .starts_with("size:"));
    assert!(build(&rules, &one, 1, 0, BUDGET)
        .unwrap_err()
        .starts_with("top:"));
    let twice = [one[0].clone(), one[0].clone()];
    assert!(build(&rules, &twice, 1, 1, BUDGET)
        .unwrap_err()
        .contains("listed twice"));
    // Fewer admissible candidates than places: no proposal, exactly.
    let none = build(&rules, &one, 2, 5, BUDGET).unwrap();
    assert!(none.exact && none.proposals.is_empty());
}
