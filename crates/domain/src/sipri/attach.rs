//! One record per real system: the systems [`to_dataset`](super::to_dataset) made from SIPRI's
//! designations, attached to the registry's own records where those already describe them.
//!
//! A SIPRI system (one per designation, name = the designation) is **matched** to a registry
//! system, in this order:
//! 1. **alias**: a system whose `aliases` hold the designation (compared by
//!    [`alias_key`]: ignoring case and runs of spaces);
//! 2. **known**: the registry already holds SIPRI's own record (same id, from an earlier import);
//! 3. **name**: exactly one system of the same origin whose name is the designation.
//!
//! A match by alias or name moves the designation's transfers onto the registry's system and adds
//! to it the nations SIPRI shows receiving it that it does not list yet (without a quantity:
//! SIPRI's numbers stay on its transfers, each with its year and source, and a quantity the
//! record has is never overwritten), and SIPRI as a source; no `sipri-…` twin is created. Every
//! other designation creates its system as before, and is checked for **near-duplicates**:
//! registry systems (not from SIPRI) of the same origin with a similar name or alias, for a person
//! to confirm (then add the alias, or `system merge`). Names are similar when the first word of
//! one, letters and digits only (`K-9` → `k9`), begins the other (`K9 Thunder` → `k9thunder`);
//! that word must be at least two characters with a digit, or four.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::import::alias_key;
use crate::model::{Dataset, Operator, Source, System};

use super::SOURCE_URL;

/// How a designation found its registry system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchedBy {
    Alias,
    Name,
}

impl MatchedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Alias => "alias",
            MatchedBy::Name => "name",
        }
    }
}

/// A designation attached to a registry system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    pub designation: String,
    pub system: String,
    pub by: MatchedBy,
    /// Nations SIPRI added to the system's operators.
    pub operators_added: Vec<String>,
    /// SIPRI's own record of the designation, when an earlier import made one: a twin to
    /// merge into `system` (`system merge`).
    pub twin: Option<String>,
}

/// A designation that created a system although the registry holds similar ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearDuplicate {
    pub designation: String,
    /// The system SIPRI's designation made.
    pub created: String,
    /// Registry systems of the same origin with a similar name or alias.
    pub similar: Vec<String>,
}

/// What [`attach`] did, for the import report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attachment {
    pub matched: Vec<Matched>,
    /// Designations whose SIPRI record the registry already holds (an earlier import).
    pub known: usize,
    /// Ids of the systems created (new to the registry).
    pub created: Vec<String>,
    pub near_duplicates: Vec<NearDuplicate>,
}

/// Letters and digits, lower case.
fn compact(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The first word, compacted, when it is distinctive enough to compare.
fn head(s: &str) -> Option<String> {
    let w = compact(s.split_whitespace().next().unwrap_or(""));
    let digit = w.chars().any(|c| c.is_ascii_digit());
    (w.len() >= 4 || (w.len() >= 2 && digit)).then_some(w)
}

/// A name compacted, and its distinctive first word, for comparing without allocating.
struct Names {
    head: Option<String>,
    all: String,
}

impl Names {
    fn of(s: &str) -> Names {
        Names {
            head: head(s),
            all: compact(s),
        }
    }

    fn like(&self, other: &Names) -> bool {
        let starts = |x: &Names, y: &Names| x.head.as_ref().is_some_and(|h| y.all.starts_with(h));
        starts(self, other) || starts(other, self)
    }
}

/// Whether two names look like one system (see the module docs).
pub fn similar(a: &str, b: &str) -> bool {
    Names::of(a).like(&Names::of(b))
}

fn is_sipri_record(s: &System) -> bool {
    s.id.starts_with("sipri-")
        && s.sources
            .iter()
            .any(|src| src.url.as_deref() == Some(SOURCE_URL))
}

/// Attaches `data`'s systems (from [`to_dataset`](super::to_dataset)) to `existing` (the
/// registry's systems as the importer sees them), rewriting `data` in place. See the module docs.
pub fn attach(data: &mut Dataset, existing: &[System]) -> Attachment {
    let mut by_alias: HashMap<String, &System> = HashMap::new();
    let mut by_name: HashMap<(String, &str), Vec<&System>> = HashMap::new();
    let mut ids: HashSet<&str> = HashSet::new();
    for s in existing {
        ids.insert(&s.id);
        for a in &s.aliases {
            by_alias.entry(alias_key(a)).or_insert(s);
        }
        by_name
            .entry((alias_key(&s.name), s.origin.as_str()))
            .or_default()
            .push(s);
    }
    // Registry systems not from SIPRI, by origin, with their names compacted once.
    let mut candidates: HashMap<&str, Vec<(&str, Vec<Names>)>> = HashMap::new();
    for e in existing.iter().filter(|e| !is_sipri_record(e)) {
        let names = std::iter::once(&e.name)
            .chain(&e.aliases)
            .map(|n| Names::of(n))
            .collect();
        candidates
            .entry(&e.origin)
            .or_default()
            .push((&e.id, names));
    }
    let mut report = Attachment::default();
    // Registry systems being extended, by id (BTreeMap: deterministic).
    let mut extended: BTreeMap<String, System> = BTreeMap::new();
    // SIPRI system id → registry system id.
    let mut moved: HashMap<String, String> = HashMap::new();
    let mut kept = Vec::with_capacity(data.systems.len());
    for s in std::mem::take(&mut data.systems) {
        let key = alias_key(&s.name);
        let target = match by_alias.get(&key) {
            Some(t) if t.id != s.id => Some((*t, MatchedBy::Alias)),
            _ if ids.contains(s.id.as_str()) => None,
            _ => match by_name.get(&(key, s.origin.as_str())).map(Vec::as_slice) {
                Some([t]) if !is_sipri_record(t) => Some((*t, MatchedBy::Name)),
                _ => None,
            },
        };
        let Some((t, by)) = target else {
            if ids.contains(s.id.as_str()) {
                report.known += 1;
            } else {
                report.created.push(s.id.clone());
                let mine = Names::of(&s.name);
                let similar: Vec<String> = candidates
                    .get(s.origin.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|(_, names)| names.iter().any(|n| n.like(&mine)))
                    .map(|(id, _)| id.to_string())
                    .collect();
                if !similar.is_empty() {
                    report.near_duplicates.push(NearDuplicate {
                        designation: s.name.clone(),
                        created: s.id.clone(),
                        similar,
                    });
                }
            }
            kept.push(s);
            continue;
        };
        let record = extended.entry(t.id.clone()).or_insert_with(|| t.clone());
        let mut added = Vec::new();
        for o in &s.operators {
            if !record.operators.iter().any(|x| x.nation == o.nation) {
                record.operators.push(Operator {
                    nation: o.nation.clone(),
                    quantity: None,
                });
                added.push(o.nation.clone());
            }
        }
        record.operators.sort_by(|a, b| a.nation.cmp(&b.nation));
        for src in &s.sources {
            if !record.sources.contains(src) {
                record.sources.push(Source::clone(src));
            }
        }
        report.matched.push(Matched {
            designation: s.name.clone(),
            system: t.id.clone(),
            by,
            operators_added: added,
            twin: ids.contains(s.id.as_str()).then(|| s.id.clone()),
        });
        moved.insert(s.id, t.id.clone());
    }
    for t in &mut data.transfers {
        if let Some(to) = t.system.as_ref().and_then(|id| moved.get(id)) {
            t.system = Some(to.clone());
        }
    }
    kept.extend(extended.into_values());
    data.systems = kept;
    data.normalize();
    report
        .matched
        .sort_by(|a, b| a.designation.cmp(&b.designation));
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Transfer;

    fn system(id: &str, name: &str, origin: &str, aliases: &[&str]) -> System {
        System {
            id: id.into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            category: "artillery".into(),
            producer: None,
            origin: origin.into(),
            operators: vec![Operator {
                nation: "POL".into(),
                quantity: Some(364),
            }],
            label: None,
            sources: vec![Source {
                title: "a curated source".into(),
                url: None,
            }],
            illustrative: false,
        }
    }

    fn sipri_system(designation: &str, origin: &str, operators: &[&str]) -> System {
        System {
            id: format!("sipri-{}", super::super::kebab_case(designation)),
            name: designation.into(),
            aliases: vec![],
            category: "artillery".into(),
            producer: None,
            origin: origin.into(),
            operators: operators
                .iter()
                .map(|n| Operator {
                    nation: n.to_string(),
                    quantity: Some(7),
                })
                .collect(),
            label: None,
            sources: vec![Source {
                title: "SIPRI".into(),
                url: Some(SOURCE_URL.into()),
            }],
            illustrative: false,
        }
    }

    fn transfer(id: &str, system: &str) -> Transfer {
        let mut t: Transfer = serde_json::from_value(serde_json::json!({
            "id": id, "supplier": "KOR", "recipient": "POL", "designation": "x",
            "category": "artillery"
        }))
        .unwrap();
        t.system = Some(system.into());
        t
    }

    #[test]
    fn names_are_similar_by_their_first_word() {
        assert!(similar("K-9 155mm", "K9 Thunder"));
        assert!(similar("FA-50", "FA-50PL (Block 20)"));
        assert!(similar("Leopard-2A4", "Leopard 2"));
        assert!(!similar("K-10", "K9 Thunder"));
        assert!(!similar("KT-1", "K9 Thunder"));
        // A short word without a digit says nothing.
        assert!(!similar("AS", "AS21 Redback"));
    }

    #[test]
    fn designations_attach_by_alias_or_name_and_the_rest_are_created_and_checked() {
        let existing = vec![
            system("k9", "K9 Thunder", "KOR", &["k-9  155MM"]),
            system("rafale", "Rafale", "FRA", &[]),
            system("fa-50gf", "FA-50GF (gap filler)", "KOR", &[]),
        ];
        let mut data = Dataset {
            systems: vec![
                sipri_system("K-9 155mm", "KOR", &["POL", "EST"]),
                sipri_system("Rafale", "FRA", &["IND"]),
                sipri_system("FA-50", "KOR", &["PHL"]),
                sipri_system("KT-1", "KOR", &["PER"]),
            ],
            transfers: vec![
                transfer("sipri-1", "sipri-k-9-155mm"),
                transfer("sipri-2", "sipri-rafale"),
                transfer("sipri-3", "sipri-fa-50"),
            ],
            ..Dataset::default()
        };
        let r = attach(&mut data, &existing);
        let matched: Vec<(&str, &str, MatchedBy, Vec<String>)> = r
            .matched
            .iter()
            .map(|m| {
                (
                    m.designation.as_str(),
                    m.system.as_str(),
                    m.by,
                    m.operators_added.clone(),
                )
            })
            .collect();
        assert_eq!(
            matched,
            [
                ("K-9 155mm", "k9", MatchedBy::Alias, vec!["EST".to_string()]),
                ("Rafale", "rafale", MatchedBy::Name, vec!["IND".to_string()]),
            ]
        );
        assert_eq!(r.created, ["sipri-fa-50", "sipri-kt-1"]);
        assert_eq!(
            r.near_duplicates,
            [NearDuplicate {
                designation: "FA-50".into(),
                created: "sipri-fa-50".into(),
                similar: vec!["fa-50gf".into()],
            }]
        );
        let ids: Vec<&str> = data.systems.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["k9", "rafale", "sipri-fa-50", "sipri-kt-1"]);
        // The curated figure stays; the new operator has none; SIPRI is a source too.
        let k9 = &data.systems[0];
        let ops: Vec<(&str, Option<u32>)> = k9
            .operators
            .iter()
            .map(|o| (o.nation.as_str(), o.quantity))
            .collect();
        assert_eq!(ops, [("EST", None), ("POL", Some(364))]);
        assert_eq!(k9.sources.len(), 2);
        assert_eq!(k9.name, "K9 Thunder");
        let systems: Vec<Option<&str>> =
            data.transfers.iter().map(|t| t.system.as_deref()).collect();
        assert_eq!(systems, [Some("k9"), Some("rafale"), Some("sipri-fa-50")]);
    }

    #[test]
    fn a_reimport_knows_its_own_records_and_an_alias_wins_over_a_twin() {
        let mut twin = sipri_system("K-9 155mm", "KOR", &["POL"]);
        twin.operators[0].quantity = Some(7);
        let existing = vec![twin.clone()];
        let mut data = Dataset {
            systems: vec![twin.clone()],
            ..Dataset::default()
        };
        let r = attach(&mut data, &existing);
        assert_eq!((r.known, r.created.len(), r.matched.len()), (1, 0, 0));
        assert_eq!(data.systems, [twin.clone()]);
        // Once a curated record claims the designation, the transfers go to it.
        let existing = vec![
            twin.clone(),
            system("k9", "K9 Thunder", "KOR", &["K-9 155mm"]),
        ];
        let mut data = Dataset {
            systems: vec![twin],
            ..Dataset::default()
        };
        let r = attach(&mut data, &existing);
        assert_eq!(r.matched.len(), 1);
        assert_eq!(r.matched[0].system, "k9");
        assert_eq!(r.matched[0].twin.as_deref(), Some("sipri-k-9-155mm"));
    }
}
