//! Fleet filters: `all`, `operator:X`, `origin:X` (X a nation code, or a bloc code meaning its
//! members on the day the selection is made for), `category:C`, `producer:ORG`, `ids:a,b,c`, `profile:P` (systems conforming, at any
//! status, to every mandatory standard of NISP profile P and its sub-profiles). Several filters
//! combine by AND.

use std::collections::BTreeSet;

use defcoop_domain::model::Day;

use crate::snapshot::Snapshot;
use crate::EngineError;

/// One parsed filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    All,
    Operator(String),
    Origin(String),
    Category(String),
    Producer(String),
    Ids(Vec<String>),
    Profile(String),
}

impl Filter {
    pub fn parse(s: &str) -> Result<Filter, EngineError> {
        if s == "all" {
            return Ok(Filter::All);
        }
        let bad = || {
            EngineError::BadFilter(format!(
                "\"{s}\" is not a filter (all, operator:X, origin:X, category:C, producer:ORG, ids:a,b,c, profile:P)"
            ))
        };
        let (kind, value) = s.split_once(':').ok_or_else(bad)?;
        if value.is_empty() {
            return Err(EngineError::BadFilter(format!(
                "\"{s}\" names nothing after '{kind}:'"
            )));
        }
        match kind {
            "operator" => Ok(Filter::Operator(value.to_string())),
            "origin" => Ok(Filter::Origin(value.to_string())),
            "category" => Ok(Filter::Category(value.to_string())),
            "producer" => Ok(Filter::Producer(value.to_string())),
            "profile" => Ok(Filter::Profile(value.to_string())),
            "ids" => Ok(Filter::Ids(
                value
                    .split(',')
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect(),
            )),
            _ => Err(bad()),
        }
    }
}

/// Nation codes a filter value names: a nation, or a bloc's members on `on`.
fn nations(snap: &Snapshot, code: &str, on: Day) -> Result<BTreeSet<String>, EngineError> {
    if let Some(members) = snap.blocs.get(code) {
        return Ok(members
            .iter()
            .filter(|m| m.on(on))
            .map(|m| m.nation.clone())
            .collect());
    }
    if snap.nations.iter().any(|n| n == code) {
        return Ok(BTreeSet::from([code.to_string()]));
    }
    Err(EngineError::BadFilter(format!(
        "unknown nation or bloc \"{code}\""
    )))
}

/// The systems (indexes, ascending) every filter accepts, bloc filters meaning the members on
/// `on`. Unknown names are errors; a filter that matches nothing gives an empty set.
pub fn select(snap: &Snapshot, filters: &[Filter], on: Day) -> Result<Vec<usize>, EngineError> {
    let mut keep = vec![true; snap.systems.len()];
    for f in filters {
        match f {
            Filter::All => {}
            Filter::Operator(x) => {
                let ns = nations(snap, x, on)?;
                for (k, s) in keep.iter_mut().zip(&snap.systems) {
                    *k &= s.operators.iter().any(|o| ns.contains(o));
                }
            }
            Filter::Origin(x) => {
                let ns = nations(snap, x, on)?;
                for (k, s) in keep.iter_mut().zip(&snap.systems) {
                    *k &= ns.contains(&s.origin);
                }
            }
            Filter::Category(c) => {
                if !snap.systems.iter().any(|s| &s.category == c) {
                    return Err(EngineError::BadFilter(format!(
                        "no system has category \"{c}\""
                    )));
                }
                for (k, s) in keep.iter_mut().zip(&snap.systems) {
                    *k &= &s.category == c;
                }
            }
            Filter::Producer(p) => {
                if !snap.organizations.iter().any(|o| o == p) {
                    return Err(EngineError::BadFilter(format!(
                        "unknown organization \"{p}\""
                    )));
                }
                for (k, s) in keep.iter_mut().zip(&snap.systems) {
                    *k &= s.producer.as_deref() == Some(p.as_str());
                }
            }
            Filter::Profile(p) => {
                let mandatory = snap
                    .profiles
                    .get(p)
                    .ok_or_else(|| EngineError::BadFilter(format!("unknown profile \"{p}\"")))?;
                if mandatory.is_empty() {
                    return Err(EngineError::BadFilter(format!(
                        "profile \"{p}\" has no mandatory standards"
                    )));
                }
                for (sys, k) in keep.iter_mut().enumerate() {
                    *k &= mandatory.iter().all(|&std| {
                        let info = &snap.standards[std];
                        snap.domains[info.domain].conformances[sys]
                            .binary_search_by_key(&info.local, |(l, _)| *l)
                            .is_ok()
                    });
                }
            }
            Filter::Ids(ids) => {
                let mut wanted = vec![false; snap.systems.len()];
                for id in ids {
                    wanted[snap.system(id)?] = true;
                }
                for (k, w) in keep.iter_mut().zip(wanted) {
                    *k &= w;
                }
            }
        }
    }
    Ok(keep
        .iter()
        .enumerate()
        .filter(|(_, k)| **k)
        .map(|(i, _)| i)
        .collect())
}
