//! Who refers to a record: the records whose fields name it. A record that others refer to
//! cannot be deleted (their references would dangle), and a record's page lists them.

use crate::model::{Dataset, Keyed, Kind, PartyKind};

/// One record that refers to another: its kind, its key (as `Keyed::key_text`) and the field
/// that holds the reference (`origin`, `operators`, `members`...).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Referer {
    pub kind: Kind,
    pub key: String,
    pub field: String,
}

fn kind_of<T: Keyed>(_: &T) -> Kind {
    T::KIND
}

/// The records of `data` that refer to the record of `kind` with key `key` (a conformance's
/// key is `SYSTEM/STANDARD`), in kind order, then key order, then field. A record referring
/// to itself (a standard covering itself) is not listed. Reads every record once.
pub fn referers(data: &Dataset, kind: Kind, key: &str) -> Vec<Referer> {
    let mut out = Vec::new();
    let mut add = |kind: Kind, key: String, field: &str| {
        out.push(Referer {
            kind,
            key,
            field: field.to_string(),
        });
    };
    match kind {
        Kind::Policy => {
            macro_rules! labelled {
                ($($field:ident),*) => {$(
                    for r in &data.$field {
                        if r.label().is_some_and(|l| l.policy == key) {
                            add(kind_of(r), r.key_text(), "label");
                        }
                    }
                )*};
            }
            labelled!(
                nations,
                blocs,
                organizations,
                people,
                domains,
                standards,
                profiles,
                systems,
                conformances,
                gateways,
                transfers,
                bodies,
                meetings,
                minutes,
                proposals,
                decisions,
                action_items,
                engagements,
                documents,
                capability_areas,
                needs,
                offers,
                instruments
            );
        }
        Kind::Nation => {
            for b in &data.blocs {
                if b.members.iter().any(|m| m.nation == key) {
                    add(Kind::Bloc, b.code.clone(), "members");
                }
            }
            for o in &data.organizations {
                if o.nation == key {
                    add(Kind::Organization, o.id.clone(), "nation");
                }
            }
            for s in &data.systems {
                if s.origin == key {
                    add(Kind::System, s.id.clone(), "origin");
                }
                if s.operators.iter().any(|o| o.nation == key) {
                    add(Kind::System, s.id.clone(), "operators");
                }
            }
            for t in &data.transfers {
                if t.supplier_kind == PartyKind::State && t.supplier == key {
                    add(Kind::Transfer, t.id.clone(), "supplier");
                }
                if t.recipient_kind == PartyKind::State && t.recipient == key {
                    add(Kind::Transfer, t.id.clone(), "recipient");
                }
            }
        }
        Kind::Bloc | Kind::Conformance | Kind::Gateway | Kind::Transfer => {}
        // Only workspace records name people and workspace records (below).
        Kind::Person
        | Kind::Body
        | Kind::Meeting
        | Kind::Minutes
        | Kind::Proposal
        | Kind::Decision
        | Kind::ActionItem
        | Kind::Engagement
        | Kind::Document
        | Kind::CapabilityArea
        | Kind::Need
        | Kind::Offer
        | Kind::Instrument => {}
        Kind::Organization => {
            for p in &data.people {
                if p.organization == key {
                    add(Kind::Person, p.id.clone(), "organization");
                }
            }
            for s in &data.systems {
                if s.producer.as_deref() == Some(key) {
                    add(Kind::System, s.id.clone(), "producer");
                }
            }
        }
        Kind::Domain => {
            for s in &data.standards {
                if s.domain == key {
                    add(Kind::Standard, s.id.clone(), "domain");
                }
            }
            for g in &data.gateways {
                if g.domain == key {
                    add(Kind::Gateway, g.id.clone(), "domain");
                }
            }
        }
        Kind::Standard => {
            for s in &data.standards {
                if s.id != key && s.covers.iter().any(|c| c == key) {
                    add(Kind::Standard, s.id.clone(), "covers");
                }
            }
            for p in &data.profiles {
                if p.obligations.iter().any(|o| o.standard == key) {
                    add(Kind::Profile, p.id.clone(), "obligations");
                }
            }
            for c in &data.conformances {
                if c.standard == key {
                    add(Kind::Conformance, c.key_text(), "standard");
                }
            }
            for g in &data.gateways {
                if g.from == key {
                    add(Kind::Gateway, g.id.clone(), "from");
                }
                if g.to == key {
                    add(Kind::Gateway, g.id.clone(), "to");
                }
            }
        }
        Kind::Profile => {
            for p in &data.profiles {
                if p.id != key && p.subprofiles.iter().any(|s| s == key) {
                    add(Kind::Profile, p.id.clone(), "subprofiles");
                }
            }
        }
        Kind::System => {
            for c in &data.conformances {
                if c.system == key {
                    add(Kind::Conformance, c.key_text(), "system");
                }
            }
            for t in &data.transfers {
                if t.system.as_deref() == Some(key) {
                    add(Kind::Transfer, t.id.clone(), "system");
                }
            }
        }
    }
    // The workspace's and matchmaking's records name people, organizations, nations, blocs,
    // systems, standards and each other.
    workspace_referers(data, kind, key, &mut add);
    out.sort();
    out.dedup();
    out
}

/// The workspace records naming the record of `kind` with key `key`, by the top-level field
/// holding the reference (`participants`, not `participants[2].person`).
fn workspace_referers(
    data: &Dataset,
    kind: Kind,
    key: &str,
    add: &mut dyn FnMut(Kind, String, &str),
) {
    use crate::workspace::rules::Record;
    fn each<R: Record>(
        records: &[R],
        kind: Kind,
        key: &str,
        add: &mut dyn FnMut(Kind, String, &str),
    ) {
        for r in records {
            for f in r.refs() {
                if f.to == kind && f.id == key && !(R::KIND == kind && r.id() == key) {
                    let top = f.field.split(['[', '.']).next().unwrap_or(&f.field);
                    add(R::KIND, r.id().to_string(), top);
                }
            }
        }
    }
    each(&data.bodies, kind, key, add);
    each(&data.meetings, kind, key, add);
    each(&data.minutes, kind, key, add);
    each(&data.proposals, kind, key, add);
    each(&data.decisions, kind, key, add);
    each(&data.action_items, kind, key, add);
    each(&data.engagements, kind, key, add);
    each(&data.documents, kind, key, add);
    each(&data.capability_areas, kind, key, add);
    each(&data.needs, kind, key, add);
    each(&data.offers, kind, key, add);
    each(&data.instruments, kind, key, add);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    const DEMO: &str = include_str!("../../../data/demo/dataset.json");

    fn demo() -> Dataset {
        json::parse(DEMO.as_bytes()).unwrap().data
    }

    #[test]
    fn a_nation_is_referred_to_by_its_systems_organizations_and_blocs() {
        let data = demo();
        let refs = referers(&data, Kind::Nation, "KOR");
        assert!(refs
            .iter()
            .any(|r| r.kind == Kind::System && r.field == "origin"));
        assert!(refs
            .iter()
            .any(|r| r.kind == Kind::Organization && r.field == "nation"));
        // Sorted, and nothing else names a nation that no record uses.
        let mut sorted = refs.clone();
        sorted.sort();
        assert_eq!(refs, sorted);
    }

    #[test]
    fn every_reference_the_validator_knows_is_found() {
        // Removing a record and everything that refers to it leaves a valid registry;
        // removing only the record (when something refers to it) does not.
        let data = demo();
        for s in data.systems.iter().take(5) {
            let refs = referers(&data, Kind::System, &s.id);
            let mut without = data.clone();
            without.systems.retain(|x| x.id != s.id);
            let problems = crate::plan_import(
                &crate::Incoming::from_dataset(without.clone()),
                &Dataset::default(),
                &crate::Reader::Full,
            )
            .err()
            .unwrap_or_default();
            assert_eq!(
                refs.is_empty(),
                problems.is_empty(),
                "{}: {refs:?} {problems:?}",
                s.id
            );
        }
    }
}
