//! Matching on the demo registry and on generated ones: the parts explain the score, the
//! bounded ranking is the exhaustive one, and only the view's records count.

use defcoop_domain::matchmaking::{Need, Offer, Party, Trl};
use defcoop_domain::model::{Dataset, Day};
use defcoop_engine::Snapshot;

use super::matching::{rank, Corpus, Matches, Part, Side, AREA, MAX_TOP};

const DEMO: &str = include_str!("../../../../data/demo/dataset.json");
const DAY: Day = Day {
    year: 2026,
    month: 6,
    day: 1,
};

fn demo() -> Dataset {
    defcoop_domain::json::parse(DEMO.as_bytes()).unwrap().data
}

fn ranked(data: &Dataset, side: Side, id: &str, top: usize) -> Matches {
    let at = match side {
        Side::Need => data.needs.iter().position(|n| n.id == id),
        Side::Offer => data.offers.iter().position(|o| o.id == id),
    }
    .unwrap();
    rank(
        data,
        &Corpus::build(data),
        &Snapshot::new(data),
        side,
        at,
        top,
        DAY,
    )
}

fn part<'a>(m: &'a super::matching::Match, name: &str) -> &'a Part {
    m.parts
        .iter()
        .find(|p| serde_json::to_value(p).unwrap()["part"] == name)
        .unwrap()
}

#[test]
fn the_parts_explain_the_score() {
    let data = demo();
    let m = ranked(&data, Side::Need, "pol-artillery-data-link", 10);
    assert_eq!(m.candidates, data.offers.len());
    assert_eq!(m.matches.len(), data.offers.len());
    let best = &m.matches[0];
    assert_eq!(best.id, "hanwha-link16-fire-control");
    for x in &m.matches {
        let sum: f64 = x.parts.iter().map(Part::points).sum();
        assert!((sum - x.score).abs() < 0.3, "{x:?}");
        let names: Vec<String> = x
            .parts
            .iter()
            .map(|p| {
                serde_json::to_value(p).unwrap()["part"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["area", "text", "trl", "cooperation", "synergy"]);
    }
    assert!(m.matches.windows(2).all(|w| w[0].score >= w[1].score));
    // The K9 adopts Link 16 (it has Link-K in the domain): pairs with the FA-50PL, the KDX-I
    // and the Sejong the Great class (each claiming Link 16) become compatible.
    match part(best, "synergy") {
        Part::Synergy {
            steps,
            gains,
            standards,
            ..
        } => {
            assert_eq!(standards, &["STANAG-5516"]);
            assert!(*steps > 0 && gains[0] > 0 && gains[1] > 0, "{gains:?}");
        }
        p => panic!("{p:?}"),
    }
    match part(best, "area") {
        Part::Area { points, same, .. } => assert!(*same && *points == AREA),
        p => panic!("{p:?}"),
    }
    match part(best, "text") {
        Part::Text { terms, share, .. } => {
            assert!(terms.iter().any(|t| t == "link"), "{terms:?}");
            assert!(*share > 0.3 && *share <= 1.0);
        }
        p => panic!("{p:?}"),
    }
}

#[test]
fn korean_text_matches_korean_text() {
    let data = demo();
    let m = ranked(&data, Side::Need, "kor-155mm-ammunition", 3);
    assert_eq!(m.matches[0].id, "hanwha-155mm-charges");
    match part(&m.matches[0], "text") {
        Part::Text { terms, .. } => assert!(terms.iter().any(|t| t == "탄약"), "{terms:?}"),
        p => panic!("{p:?}"),
    }
}

#[test]
fn an_offer_finds_its_needs() {
    let data = demo();
    let m = ranked(&data, Side::Offer, "kongsberg-uav-ground-control", 2);
    assert_eq!(m.of, Side::Offer);
    assert_eq!(m.matches.len(), 2);
    assert_eq!(m.matches[0].id, "kor-uav-nato-control");
}

#[test]
fn trl_points_fall_with_the_gap() {
    let data = demo();
    let m = ranked(&data, Side::Need, "kor-uav-nato-control", MAX_TOP);
    for x in &m.matches {
        if let Part::Trl {
            points,
            gap,
            need,
            offer,
            ..
        } = part(x, "trl")
        {
            let (n, o) = (need.unwrap(), offer.unwrap());
            let expected = if n.max < o.min {
                o.min - n.max
            } else {
                n.min.saturating_sub(o.max)
            };
            assert_eq!(*gap, Some(expected));
            assert_eq!(*points, (15.0 - 5.0 * f64::from(expected)).max(0.0));
        }
    }
}

/// A generated registry: the demo's reference records with many needs and offers over its
/// systems and standards.
fn generated(seed: u64, needs: usize, offers: usize) -> Dataset {
    let mut data = demo();
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let areas: Vec<String> = data.capability_areas.iter().map(|a| a.id.clone()).collect();
    let words = [
        "drone",
        "radar",
        "link",
        "artillery",
        "ammunition",
        "탄약",
        "레이더",
        "sensor",
        "fuel",
        "gateway",
    ];
    let nations = ["KOR", "POL", "DEU", "NOR", "USA"];
    let systems: Vec<String> = data.systems.iter().map(|s| s.id.clone()).collect();
    let standards: Vec<String> = data.standards.iter().map(|s| s.id.clone()).collect();
    let mut make = |i: usize, prefix: &str| {
        let lo = 1 + next(9) as u8;
        let title = (0..1 + next(4))
            .map(|_| words[next(words.len())])
            .collect::<Vec<_>>()
            .join(" ");
        (
            format!("{prefix}-{i:04}"),
            areas[next(areas.len())].clone(),
            title,
            Some(Trl {
                min: lo,
                max: (lo + next(3) as u8).min(9),
            })
            .filter(|_| next(4) > 0),
            Party {
                nation: Some(nations[next(nations.len())].to_string()),
                ..Party::default()
            },
            (0..next(3))
                .map(|_| systems[next(systems.len())].clone())
                .collect::<Vec<_>>(),
            (0..next(3))
                .map(|_| standards[next(standards.len())].clone())
                .collect::<Vec<_>>(),
        )
    };
    let dedup = |mut v: Vec<String>| {
        v.sort();
        v.dedup();
        v
    };
    data.needs = (0..needs)
        .map(|i| {
            let (id, area, title, trl, owner, sy, st) = make(i, "n");
            Need {
                id,
                area,
                title,
                description: None,
                keywords: Vec::new(),
                trl,
                owner,
                timeframe: None,
                systems: dedup(sy),
                standards: dedup(st),
                label: None,
                sources: Vec::new(),
                illustrative: false,
            }
        })
        .collect();
    data.offers = (0..offers)
        .map(|i| {
            let (id, area, title, trl, owner, sy, st) = make(i, "o");
            Offer {
                id,
                area,
                title,
                description: None,
                keywords: Vec::new(),
                trl,
                owner,
                timeframe: None,
                systems: dedup(sy),
                standards: dedup(st),
                label: None,
                sources: Vec::new(),
                illustrative: false,
            }
        })
        .collect();
    data
}

#[test]
fn the_bounded_ranking_is_the_exhaustive_one() {
    for seed in 0..6 {
        let data = generated(seed, 12, 150);
        let (corpus, snap) = (Corpus::build(&data), Snapshot::new(&data));
        for (side, n) in [
            (Side::Need, data.needs.len()),
            (Side::Offer, data.offers.len()),
        ] {
            for at in 0..n.min(6) {
                let all = super::matching::rank_exhaustive(&data, &corpus, &snap, side, at, DAY);
                for top in [1, 3, 10, 100] {
                    let some = rank(&data, &corpus, &snap, side, at, top, DAY);
                    assert!(some.exact);
                    let a: Vec<(f64, &str)> = all
                        .iter()
                        .take(top)
                        .map(|(s, id)| (*s, id.as_str()))
                        .collect();
                    let b: Vec<(f64, &str)> = some
                        .matches
                        .iter()
                        .map(|m| (m.score, m.id.as_str()))
                        .collect();
                    assert_eq!(a, b, "seed {seed} {side:?} {at} top {top}");
                }
            }
        }
    }
}

#[test]
fn records_outside_the_view_add_nothing() {
    // The same ranking over a registry without the engagements, transfers and other systems'
    // operators: the cooperation part counts only what is there, and names only that.
    let data = demo();
    let with = ranked(&data, Side::Need, "eu-counter-drone-sensors", 5);
    let mut less = data.clone();
    less.engagements.clear();
    let without = ranked(&less, Side::Need, "eu-counter-drone-sensors", 5);
    for m in &without.matches {
        if let Part::Cooperation {
            engagements,
            named_engagements,
            ..
        } = part(m, "cooperation")
        {
            assert_eq!(*engagements, 0);
            assert!(named_engagements.is_empty());
        }
    }
    let named = |m: &Matches| -> Vec<String> {
        m.matches
            .iter()
            .flat_map(|x| match part(x, "cooperation") {
                Part::Cooperation {
                    named_engagements, ..
                } => named_engagements.clone(),
                _ => Vec::new(),
            })
            .collect()
    };
    assert!(
        named(&with).iter().any(|e| e.starts_with("seok-")),
        "{:?}",
        named(&with)
    );
}

#[test]
fn each_organizations_best_offer_is_its_best_in_the_full_ranking() {
    for seed in 0..4 {
        let mut data = generated(seed, 6, 80);
        // Owners that are organizations, several offers each.
        let orgs: Vec<String> = data.organizations.iter().map(|o| o.id.clone()).collect();
        for (i, o) in data.offers.iter_mut().enumerate() {
            if i % 5 != 0 {
                o.owner = Party {
                    organization: Some(orgs[i % orgs.len()].clone()),
                    ..Party::default()
                };
            }
        }
        let (corpus, snap) = (Corpus::build(&data), Snapshot::new(&data));
        for need in 0..data.needs.len() {
            let all = rank(&data, &corpus, &snap, Side::Need, need, MAX_TOP, DAY);
            let (best, exact) =
                super::matching::best_offer_by_organization(&data, &corpus, &snap, need, DAY);
            assert!(exact);
            let mut expected: std::collections::BTreeMap<String, (f64, String)> =
                std::collections::BTreeMap::new();
            for m in &all.matches {
                if let Some(org) = &m.owner.organization {
                    expected
                        .entry(org.clone())
                        .or_insert((m.score, m.id.clone()));
                }
            }
            let got: std::collections::BTreeMap<String, (f64, String)> = best
                .iter()
                .map(|(org, m)| (org.clone(), (m.score, m.id.clone())))
                .collect();
            assert_eq!(got, expected, "seed {seed} need {need}");
        }
    }
}
