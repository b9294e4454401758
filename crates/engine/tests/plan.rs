//! Gap-closure plans against plain greedy written from PRODUCT.md over the brute-force oracle,
//! and greedy against exhaustive search on small instances.

mod common;

use std::cmp::Ordering;

use common::*;
use defcoop_domain::model::Dataset;
use defcoop_domain::visible;
use defcoop_engine::plan::{better, plan, Step};
use defcoop_engine::{Action, Level, NoProgress, Snapshot};
use proptest::prelude::*;

/// Plain greedy: evaluate every candidate with the oracle, take the best by the stated order.
fn plain_greedy(
    d: &Dataset,
    left: &[String],
    right: &[String],
    domains: &[String],
    t: Level,
    k: usize,
) -> (u64, u64, Vec<Step>) {
    let before = coverage(d, left, right, domains, t);
    let mut cur = d.clone();
    let mut covered = before;
    let mut steps = Vec::new();
    for _ in 0..k {
        let mut best: Option<Step> = None;
        for c in candidates(&cur, left, right, domains) {
            let gain = coverage(&apply(&cur, &c), left, right, domains, t) - covered;
            if gain == 0 {
                continue;
            }
            let step = Step { action: c, gain };
            if best
                .as_ref()
                .is_none_or(|b| better(&step, b) == Ordering::Less)
            {
                best = Some(step);
            }
        }
        let Some(step) = best else { break };
        cur = apply(&cur, &step.action);
        covered += step.gain;
        steps.push(step);
    }
    (before, covered, steps)
}

fn sides(
    d: &Dataset,
    lmask: u16,
    rmask: u16,
) -> (Vec<usize>, Vec<usize>, Vec<String>, Vec<String>) {
    let l: Vec<usize> = (0..d.systems.len())
        .filter(|i| lmask & (1 << i) != 0)
        .collect();
    let r: Vec<usize> = (0..d.systems.len())
        .filter(|i| rmask & (1 << i) != 0)
        .collect();
    let ids = |v: &[usize]| {
        v.iter()
            .map(|i| d.systems[*i].id.clone())
            .collect::<Vec<_>>()
    };
    let (li, ri) = (ids(&l), ids(&r));
    (l, r, li, ri)
}

const TARGETS: [Level; 3] = [Level::Deconflicted, Level::Compatible, Level::Integrated];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn plan_equals_plain_greedy(spec in arb_spec(), lmask in any::<u16>(), rmask in any::<u16>(), t in 0usize..3, k in 1usize..4) {
        let data = visible(build(&spec), &outsider());
        let snap = Snapshot::new(&data);
        let (l, r, li, ri) = sides(&data, lmask, rmask);
        let doms: Vec<usize> = (0..data.domains.len()).collect();
        let dom_codes: Vec<String> = data.domains.iter().map(|d| d.code.clone()).collect();
        let target = TARGETS[t];
        let got = plan(&snap, &l, &r, &doms, target, k, &NoProgress).unwrap();
        let (before, after, steps) = plain_greedy(&data, &li, &ri, &dom_codes, target, k);
        prop_assert_eq!(got.covered_before, before);
        prop_assert_eq!(&got.steps, &steps);
        prop_assert_eq!(got.covered_after, after);
    }

    /// Longer plans re-evaluate a domain after several of its own actions (new classes, new
    /// gateways turning standards into hubs), where most class pairs become related.
    #[test]
    fn longer_plans_equal_plain_greedy(spec in arb_spec(), lmask in any::<u16>(), rmask in any::<u16>(), t in 0usize..3, k in 4usize..8) {
        let data = visible(build(&spec), &outsider());
        let snap = Snapshot::new(&data);
        let (l, r, li, ri) = sides(&data, lmask, rmask);
        let doms: Vec<usize> = (0..data.domains.len()).collect();
        let dom_codes: Vec<String> = data.domains.iter().map(|d| d.code.clone()).collect();
        let target = TARGETS[t];
        let got = plan(&snap, &l, &r, &doms, target, k, &NoProgress).unwrap();
        let (before, after, steps) = plain_greedy(&data, &li, &ri, &dom_codes, target, k);
        prop_assert_eq!(got.covered_before, before);
        prop_assert_eq!(&got.steps, &steps);
        prop_assert_eq!(got.covered_after, after);
    }

    #[test]
    fn greedy_never_beats_exhaustive_search(spec in arb_spec(), lmask in any::<u16>(), rmask in any::<u16>(), t in 0usize..3) {
        let data = visible(build(&spec), &outsider());
        let snap = Snapshot::new(&data);
        let (l, r, li, ri) = sides(&data, lmask, rmask);
        let doms: Vec<usize> = (0..data.domains.len()).collect();
        let dom_codes: Vec<String> = data.domains.iter().map(|d| d.code.clone()).collect();
        let got = plan(&snap, &l, &r, &doms, TARGETS[t], 2, &NoProgress).unwrap();
        let best = exhaustive(&data, &li, &ri, &dom_codes, TARGETS[t], 2);
        prop_assert!(got.covered_after <= best);
        // With one action, greedy is optimal by definition.
        let one = plan(&snap, &l, &r, &doms, TARGETS[t], 1, &NoProgress).unwrap();
        prop_assert_eq!(one.covered_after, exhaustive(&data, &li, &ri, &dom_codes, TARGETS[t], 1));
    }
}

#[test]
fn budget_zero_and_na_target() {
    let data = visible(
        build(&Spec {
            domains: 1,
            standards: vec![0, 0],
            systems: vec![(0, false), (1, false)],
            conformances: vec![(0, 0, 0, false), (1, 1, 0, false)],
            gateways: vec![],
        }),
        &outsider(),
    );
    let snap = Snapshot::new(&data);
    let p = plan(&snap, &[0], &[1], &[0], Level::Compatible, 0, &NoProgress).unwrap();
    assert!(p.steps.is_empty());
    assert_eq!(p.covered_before, p.covered_after);
    assert!(plan(&snap, &[0], &[1], &[0], Level::Na, 3, &NoProgress).is_err());
    // Two systems on different standards: one adopt (or one gateway) closes the gap; adopt
    // ranks first among equal gains.
    let p = plan(&snap, &[0], &[1], &[0], Level::Compatible, 3, &NoProgress).unwrap();
    assert_eq!(p.covered_before, 0);
    assert_eq!(p.covered_after, 1);
    assert_eq!(p.steps.len(), 1);
    assert_eq!(
        p.steps[0].action,
        Action::Adopt {
            system: "x0".into(),
            standard: "s1".into()
        }
    );
}
