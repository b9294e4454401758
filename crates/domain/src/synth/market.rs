//! Synthetic needs and offers for matchmaking at scale (`defcoop synth --needs N --offers N`):
//! the seven capability areas, and needs and offers over the generated organizations,
//! systems and standards, with titles drawn from a small vocabulary (English and Korean, so
//! both tokenizations are exercised), TRL ranges, and owners of every kind.

use super::{Rng, SynthError, MAX_COUNT};
use crate::matchmaking::{CapabilityArea, Need, Offer, Party, Trl};
use crate::model::{Dataset, Source};

const AREAS: [(&str, &str); 7] = [
    (
        "ai-electronic-warfare-cyber",
        "AI, electronic warfare and cyber",
    ),
    ("air-and-missile-defence", "Air and missile defence"),
    ("ammunition-and-missiles", "Ammunition and missiles"),
    ("artillery-systems", "Artillery systems"),
    (
        "drones-and-counter-drone",
        "Drones and counter-drone systems",
    ),
    ("military-mobility", "Military mobility"),
    ("strategic-enablers", "Strategic enablers"),
];

const WORDS: [&str; 40] = [
    "radar",
    "sensor",
    "fusion",
    "drone",
    "counter-drone",
    "jamming",
    "link",
    "gateway",
    "artillery",
    "ammunition",
    "155mm",
    "charge",
    "missile",
    "interceptor",
    "satellite",
    "navigation",
    "cyber",
    "encryption",
    "logistics",
    "bridge",
    "mobility",
    "fuel",
    "armour",
    "protection",
    "simulation",
    "training",
    "maintenance",
    "tracking",
    "fire-control",
    "command",
    "레이더",
    "탄약",
    "드론",
    "위성",
    "정비",
    "훈련",
    "암호",
    "연료",
    "교량",
    "센서",
];

/// What a market of `needs` and `offers` adds to `d`.
pub(super) fn add(
    d: &mut Dataset,
    needs: usize,
    offers: usize,
    rng: &mut Rng,
    seed: u64,
) -> Result<(), SynthError> {
    for (what, n) in [("--needs", needs), ("--offers", offers)] {
        if n > MAX_COUNT {
            return Err(SynthError::TooMany {
                what,
                n,
                max: MAX_COUNT,
            });
        }
    }
    if needs + offers == 0 {
        return Ok(());
    }
    let source = || {
        vec![Source {
            title: format!("defcoop synth --seed {seed} (matchmaking)"),
            url: None,
        }]
    };
    d.capability_areas = AREAS
        .iter()
        .map(|(id, name)| CapabilityArea {
            id: id.to_string(),
            name: name.to_string(),
            name_ko: None,
            description: None,
            label: None,
            sources: source(),
            illustrative: false,
        })
        .collect();
    let blocs: Vec<String> = d.blocs.iter().map(|b| b.code.clone()).collect();
    let nations: Vec<String> = d.nations.iter().map(|n| n.code.clone()).collect();
    let orgs: Vec<String> = d.organizations.iter().map(|o| o.id.clone()).collect();
    let systems: Vec<String> = d.systems.iter().map(|s| s.id.clone()).collect();
    let standards: Vec<String> = d.standards.iter().map(|s| s.id.clone()).collect();

    struct Drawn {
        area: String,
        title: String,
        description: String,
        keywords: Vec<String>,
        trl: Option<Trl>,
        owner: Party,
        systems: Vec<String>,
        standards: Vec<String>,
    }
    let draw = |rng: &mut Rng| {
        let area = AREAS[rng.below(AREAS.len())].0.to_string();
        let words = |rng: &mut Rng, n: usize| -> Vec<&str> {
            (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect()
        };
        let n = 3 + rng.below(4);
        let title = words(rng, n).join(" ");
        let n = 10 + rng.below(20);
        let description = words(rng, n).join(" ");
        let n = 1 + rng.below(4);
        let mut keywords: Vec<String> = words(rng, n).into_iter().map(String::from).collect();
        keywords.sort();
        keywords.dedup();
        let trl = rng.chance(80).then(|| {
            let min = 1 + rng.below(9) as u8;
            Trl {
                min,
                max: (min + rng.below(3) as u8).min(9),
            }
        });
        let owner = match rng.below(10) {
            0 if !blocs.is_empty() => Party {
                bloc: Some(blocs[rng.below(blocs.len())].clone()),
                ..Party::default()
            },
            1..=3 if !nations.is_empty() => Party {
                nation: Some(nations[rng.below(nations.len())].clone()),
                ..Party::default()
            },
            _ if !orgs.is_empty() => Party {
                organization: Some(orgs[rng.below(orgs.len())].clone()),
                ..Party::default()
            },
            _ => Party {
                nation: Some(nations.first().cloned().unwrap_or_default()),
                ..Party::default()
            },
        };
        let pick = |rng: &mut Rng, from: &[String], percent: u64| -> Vec<String> {
            if from.is_empty() || !rng.chance(percent) {
                return Vec::new();
            }
            let mut v: Vec<String> = (0..1 + rng.below(3))
                .map(|_| from[rng.below(from.len())].clone())
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let systems = pick(rng, &systems, 30);
        let standards = pick(rng, &standards, 30);
        Drawn {
            area,
            title,
            description,
            keywords,
            trl,
            owner,
            systems,
            standards,
        }
    };
    for i in 0..needs {
        let x = draw(rng);
        d.needs.push(Need {
            id: format!("syn-need-{i:07}"),
            area: x.area,
            title: x.title,
            description: Some(x.description),
            keywords: x.keywords,
            trl: x.trl,
            owner: x.owner,
            timeframe: None,
            systems: x.systems,
            standards: x.standards,
            label: None,
            sources: source(),
            illustrative: false,
        });
    }
    for i in 0..offers {
        let x = draw(rng);
        d.offers.push(Offer {
            id: format!("syn-offer-{i:07}"),
            area: x.area,
            title: x.title,
            description: Some(x.description),
            keywords: x.keywords,
            trl: x.trl,
            owner: x.owner,
            timeframe: None,
            systems: x.systems,
            standards: x.standards,
            label: None,
            sources: source(),
            illustrative: false,
        });
    }
    Ok(())
}
