//! Joining two system records that turn out to be one real system (`system merge KEEP GONE`).
//! Pure: computes the records to write and to delete; the store does both in one transaction.
//!
//! - The kept record keeps its id, name, category, producer, origin, label and illustrative
//!   flag; it gains the other's name (when different) and aliases as aliases, its sources, and
//!   its operators (a nation on both keeps the kept record's quantity, or the other's when the
//!   kept one has none; a differing figure is reported, not lost silently).
//! - Conformances of the other record move to the kept one; when both conform to one standard,
//!   the stronger status stays (a tie: the kept record's), with the other's sources added.
//! - Transfers naming the other record name the kept one.
//! - The other record and its conformances are deleted.

use crate::import::alias_key;
use crate::model::{Conformance, Dataset, System, Transfer};

/// What a merge writes and deletes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// The kept system, extended.
    pub system: System,
    /// Conformances of the kept system to write (moved or strengthened).
    pub conformances: Vec<Conformance>,
    /// Transfers now naming the kept system.
    pub transfers: Vec<Transfer>,
    /// Standards of the other system's conformances (deleted with it).
    pub deleted_conformances: Vec<String>,
    /// Things worth saying: figures that differed, conformances that were on both.
    pub notes: Vec<String>,
}

/// Why a merge cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeError {
    /// `system "X"`: not in the data (or not visible).
    NotFound(String),
    /// The two ids are one.
    Same(String),
}

/// Plans merging system `gone` into `keep` over `data` (what the writer sees; both must be in
/// it).
pub fn merge_systems(data: &Dataset, keep: &str, gone: &str) -> Result<Merge, MergeError> {
    if keep == gone {
        return Err(MergeError::Same(format!(
            "cannot merge system \"{keep}\" with itself"
        )));
    }
    let find = |id: &str| {
        data.systems
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| MergeError::NotFound(format!("system \"{id}\"")))
    };
    let (k, g) = (find(keep)?, find(gone)?);
    let mut notes = Vec::new();
    let mut system = k.clone();
    let alias = |a: &str, system: &mut System| {
        let key = alias_key(a);
        if key != alias_key(&system.name) && !system.aliases.iter().any(|x| alias_key(x) == key) {
            system.aliases.push(a.to_string());
        }
    };
    alias(&g.name, &mut system);
    for a in &g.aliases {
        alias(a, &mut system);
    }
    for s in &g.sources {
        if !system.sources.contains(s) {
            system.sources.push(s.clone());
        }
    }
    for o in &g.operators {
        match system.operators.iter_mut().find(|x| x.nation == o.nation) {
            None => system.operators.push(o.clone()),
            Some(x) if x.quantity.is_none() => x.quantity = o.quantity,
            Some(x) if o.quantity.is_some() && x.quantity != o.quantity => notes.push(format!(
                "operator {}: kept {keep}'s quantity {}, {gone} said {}",
                o.nation,
                x.quantity.unwrap_or_default(),
                o.quantity.unwrap_or_default()
            )),
            Some(_) => {}
        }
    }
    let mut conformances = Vec::new();
    let mut deleted_conformances = Vec::new();
    for c in data.conformances.iter().filter(|c| c.system == gone) {
        deleted_conformances.push(c.standard.clone());
        let moved = Conformance {
            system: keep.to_string(),
            ..c.clone()
        };
        match data
            .conformances
            .iter()
            .find(|x| x.system == keep && x.standard == c.standard)
        {
            None => conformances.push(moved),
            Some(x) => {
                let (mut stronger, other) = if c.status > x.status {
                    (moved, x)
                } else {
                    (x.clone(), c)
                };
                for s in &other.sources {
                    if !stronger.sources.contains(s) {
                        stronger.sources.push(s.clone());
                    }
                }
                notes.push(format!(
                    "conformance to {}: both conformed; kept the {} one",
                    c.standard,
                    stronger.status.as_str()
                ));
                conformances.push(stronger);
            }
        }
    }
    let transfers = data
        .transfers
        .iter()
        .filter(|t| t.system.as_deref() == Some(gone))
        .map(|t| Transfer {
            system: Some(keep.to_string()),
            ..t.clone()
        })
        .collect();
    system.operators.sort_by(|a, b| a.nation.cmp(&b.nation));
    system.aliases.sort();
    Ok(Merge {
        system,
        conformances,
        transfers,
        deleted_conformances,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ConformanceStatus, Operator, Source};

    fn sys(id: &str, name: &str, ops: &[(&str, Option<u32>)]) -> System {
        System {
            id: id.into(),
            name: name.into(),
            aliases: vec![],
            category: "artillery".into(),
            producer: None,
            origin: "KOR".into(),
            operators: ops
                .iter()
                .map(|(n, q)| Operator {
                    nation: n.to_string(),
                    quantity: *q,
                })
                .collect(),
            label: None,
            sources: vec![Source {
                title: format!("on {id}"),
                url: None,
            }],
            illustrative: false,
        }
    }

    fn conf(system: &str, standard: &str, status: ConformanceStatus) -> Conformance {
        Conformance {
            system: system.into(),
            standard: standard.into(),
            status,
            evidence: None,
            label: None,
            sources: vec![Source {
                title: format!("{system} {standard}"),
                url: None,
            }],
            illustrative: false,
        }
    }

    #[test]
    fn a_merge_keeps_every_source_operator_conformance_and_transfer() {
        let mut t: Transfer = serde_json::from_value(serde_json::json!({
            "id": "sipri-1", "supplier": "KOR", "recipient": "POL", "system": "twin",
            "designation": "K-9 155mm", "category": "artillery"
        }))
        .unwrap();
        let data = Dataset {
            systems: vec![
                sys("k9", "K9 Thunder", &[("POL", Some(364)), ("KOR", None)]),
                sys(
                    "twin",
                    "K-9 155mm",
                    &[("POL", Some(212)), ("KOR", Some(1100)), ("EGY", None)],
                ),
            ],
            conformances: vec![
                conf("k9", "A", ConformanceStatus::Claimed),
                conf("twin", "A", ConformanceStatus::Tested),
                conf("twin", "B", ConformanceStatus::Claimed),
            ],
            transfers: vec![t.clone()],
            ..Dataset::default()
        };
        let m = merge_systems(&data, "k9", "twin").unwrap();
        assert_eq!(m.system.aliases, ["K-9 155mm"]);
        assert_eq!(m.system.sources.len(), 2);
        let ops: Vec<(&str, Option<u32>)> = m
            .system
            .operators
            .iter()
            .map(|o| (o.nation.as_str(), o.quantity))
            .collect();
        assert_eq!(
            ops,
            [("EGY", None), ("KOR", Some(1100)), ("POL", Some(364))]
        );
        assert_eq!(
            m.notes[0],
            "operator POL: kept k9's quantity 364, twin said 212"
        );
        let cs: Vec<(&str, &str, ConformanceStatus, usize)> = m
            .conformances
            .iter()
            .map(|c| {
                (
                    c.system.as_str(),
                    c.standard.as_str(),
                    c.status,
                    c.sources.len(),
                )
            })
            .collect();
        assert_eq!(
            cs,
            [
                ("k9", "A", ConformanceStatus::Tested, 2),
                ("k9", "B", ConformanceStatus::Claimed, 1)
            ]
        );
        assert_eq!(m.deleted_conformances, ["A", "B"]);
        t.system = Some("k9".into());
        assert_eq!(m.transfers, [t]);
        assert!(merge_systems(&data, "k9", "k9").is_err());
        assert_eq!(
            merge_systems(&data, "k9", "nope").unwrap_err(),
            MergeError::NotFound("system \"nope\"".into())
        );
    }
}
