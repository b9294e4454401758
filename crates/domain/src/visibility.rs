//! What a reader may see of a registry (PRODUCT.md: "A record that references others is visible
//! only when it and everything it references are visible").
//!
//! Top-level references hide the referencing record: an organization of a hidden nation, a
//! person of a hidden organization, a standard of a hidden domain, a system whose origin or
//! producer is hidden, a conformance of a hidden system or standard, a gateway of a hidden domain
//! or standard, a transfer whose supplier or recipient nation or system is hidden. Nested list
//! entries are dropped instead of hiding their owner: a bloc keeps its visible members, a system
//! its visible operators, a standard the visible standards it covers, a profile its visible
//! sub-profiles and obligations; the owner reveals nothing about the hidden record by doing so.
//!
//! The workspace's records follow the same rule (`workspace::visibility`): a meeting of a hidden
//! body, minutes or a decision of a hidden meeting, an action item whose owner, decision or
//! proposal is hidden are hidden; participants, members, co-chairs, comments and a decision's
//! proposals naming hidden records are dropped, and an agenda item's proposal or a history
//! step's person and meeting are left out when hidden. Draft minutes are the secretariat's
//! until circulated: only a reader who [`Reader::sees_drafts`] sees them.
//!
//! The filter works on partial datasets too, provided every kind a record references is present
//! (the store loads parents with children). Policies are not labelled: they are needed to read
//! labels and are visible to all.

use std::collections::HashSet;

use crate::label::{Policies, Reader};
use crate::model::Dataset;

/// Keeps only what `reader` may see. `Reader::Full` sees everything.
pub fn visible(mut data: Dataset, reader: &Reader) -> Dataset {
    if *reader == Reader::Full {
        return data;
    }
    let policies = Policies::new(&data.policies);
    let can = |label: Option<&crate::label::Label>| reader.may_read(label, &policies);

    data.nations.retain(|n| can(n.label.as_ref()));
    let nations: HashSet<String> = data.nations.iter().map(|n| n.code.clone()).collect();

    data.blocs.retain(|b| can(b.label.as_ref()));
    for bloc in &mut data.blocs {
        bloc.members.retain(|m| nations.contains(&m.nation));
    }

    data.organizations
        .retain(|o| can(o.label.as_ref()) && nations.contains(&o.nation));
    let orgs: HashSet<String> = data.organizations.iter().map(|o| o.id.clone()).collect();

    data.people
        .retain(|p| can(p.label.as_ref()) && orgs.contains(&p.organization));

    data.domains.retain(|d| can(d.label.as_ref()));
    let domains: HashSet<String> = data.domains.iter().map(|d| d.code.clone()).collect();

    data.standards
        .retain(|s| can(s.label.as_ref()) && domains.contains(&s.domain));
    let standards: HashSet<String> = data.standards.iter().map(|s| s.id.clone()).collect();
    for standard in &mut data.standards {
        standard.covers.retain(|c| standards.contains(c));
    }

    data.profiles.retain(|p| can(p.label.as_ref()));
    let profiles: HashSet<String> = data.profiles.iter().map(|p| p.id.clone()).collect();
    for profile in &mut data.profiles {
        profile.subprofiles.retain(|p| profiles.contains(p));
        profile
            .obligations
            .retain(|o| standards.contains(&o.standard));
    }

    data.systems.retain(|s| {
        can(s.label.as_ref())
            && nations.contains(&s.origin)
            && s.producer.as_ref().is_none_or(|p| orgs.contains(p))
    });
    for system in &mut data.systems {
        system.operators.retain(|o| nations.contains(&o.nation));
    }
    let systems: HashSet<String> = data.systems.iter().map(|s| s.id.clone()).collect();

    data.conformances.retain(|c| {
        can(c.label.as_ref()) && systems.contains(&c.system) && standards.contains(&c.standard)
    });
    data.gateways.retain(|g| {
        can(g.label.as_ref())
            && domains.contains(&g.domain)
            && standards.contains(&g.from)
            && standards.contains(&g.to)
    });
    let party =
        |name: &String, kind: crate::model::PartyKind| !kind.is_state() || nations.contains(name);
    data.transfers.retain(|t| {
        can(t.label.as_ref())
            && party(&t.supplier, t.supplier_kind)
            && party(&t.recipient, t.recipient_kind)
            && t.system.as_ref().is_none_or(|s| systems.contains(s))
    });
    let people: HashSet<String> = data.people.iter().map(|p| p.id.clone()).collect();
    crate::workspace::visibility::retain(&mut data, reader, &can, &orgs, &people);
    let blocs: HashSet<String> = data.blocs.iter().map(|b| b.code.clone()).collect();
    let seen = crate::matchmaking::visibility::Seen {
        nations: &nations,
        blocs: &blocs,
        orgs: &orgs,
        systems: &systems,
        standards: &standards,
    };
    crate::matchmaking::visibility::retain(&mut data, &can, &seen);
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::{Category, CategoryKind, Clearance, Label, Policy};
    use crate::model::*;
    use proptest::prelude::*;

    fn policy() -> Policy {
        Policy {
            id: "DEFCOOP".into(),
            classifications: vec!["PUBLIC".into(), "RESTRICTED".into()],
            categories: vec![],
            required: vec![],
        }
    }

    fn kor_only() -> Label {
        Label {
            policy: "DEFCOOP".into(),
            classification: "PUBLIC".into(),
            categories: vec![Category {
                kind: CategoryKind::Restrictive,
                name: "RELEASABLE-TO".into(),
                values: vec!["KOR".into()],
            }],
        }
    }

    /// A small registry where each kind has one visible and one hidden (KOR-only) record.
    fn sample(hide: &[Kind]) -> Dataset {
        let l = |k: Kind| hide.contains(&k).then(kor_only);
        Dataset {
            policies: vec![policy()],
            nations: vec![
                Nation {
                    code: "KOR".into(),
                    name: "Korea".into(),
                    label: l(Kind::Nation),
                    sources: vec![],
                    illustrative: false,
                },
                Nation {
                    code: "POL".into(),
                    name: "Poland".into(),
                    label: None,
                    sources: vec![],
                    illustrative: false,
                },
            ],
            blocs: vec![Bloc {
                kind: None,
                code: "X".into(),
                name: "X".into(),
                members: vec![
                    Member {
                        until: None,
                        nation: "KOR".into(),
                        since: None,
                    },
                    Member {
                        until: None,
                        nation: "POL".into(),
                        since: None,
                    },
                ],
                label: l(Kind::Bloc),
                sources: vec![],
                illustrative: false,
            }],
            organizations: vec![Organization {
                id: "hanwha".into(),
                name: "Hanwha".into(),
                kind: OrgKind::Company,
                nation: "KOR".into(),
                ncage: None,
                label: l(Kind::Organization),
                sources: vec![],
                illustrative: false,
            }],
            people: vec![Person {
                id: "p".into(),
                name: "P".into(),
                name_native: None,
                organization: "hanwha".into(),
                title: "CEO".into(),
                label: l(Kind::Person),
                sources: vec![],
                illustrative: false,
            }],
            domains: vec![Domain {
                code: "ammo".into(),
                name: "Ammo".into(),
                label: l(Kind::Domain),
                sources: vec![],
                illustrative: false,
            }],
            standards: vec![
                Standard {
                    aliases: vec![],
                    id: "S1".into(),
                    title: "S1".into(),
                    body: "NATO".into(),
                    domain: "ammo".into(),
                    tag: None,
                    date: None,
                    version: None,
                    covers: vec![],
                    label: l(Kind::Standard),
                    sources: vec![],
                    illustrative: false,
                },
                Standard {
                    aliases: vec![],
                    id: "S2".into(),
                    title: "S2".into(),
                    body: "NATO".into(),
                    domain: "ammo".into(),
                    tag: None,
                    date: None,
                    version: None,
                    covers: vec!["S1".into()],
                    label: None,
                    sources: vec![],
                    illustrative: false,
                },
            ],
            systems: vec![System {
                aliases: vec![],
                id: "k9".into(),
                name: "K9".into(),
                category: "spg".into(),
                producer: Some("hanwha".into()),
                origin: "POL".into(),
                operators: vec![
                    Operator {
                        nation: "KOR".into(),
                        quantity: Some(1),
                    },
                    Operator {
                        nation: "POL".into(),
                        quantity: None,
                    },
                ],
                label: l(Kind::System),
                sources: vec![],
                illustrative: false,
            }],
            conformances: vec![Conformance {
                system: "k9".into(),
                standard: "S2".into(),
                status: ConformanceStatus::Tested,
                evidence: None,
                label: l(Kind::Conformance),
                sources: vec![],
                illustrative: false,
            }],
            gateways: vec![Gateway {
                id: "g".into(),
                name: "g".into(),
                domain: "ammo".into(),
                from: "S1".into(),
                to: "S2".into(),
                bidirectional: true,
                fidelity: Fidelity::Full,
                status: GatewayStatus::Fielded,
                label: l(Kind::Gateway),
                sources: vec![],
                illustrative: false,
            }],
            profiles: vec![
                Profile {
                    id: "p1".into(),
                    kind: ProfileKind::Capability,
                    title: "P1".into(),
                    description: None,
                    subprofiles: vec!["p2".into()],
                    obligations: vec![
                        Obligation {
                            standard: "S1".into(),
                            obligation: ObligationLevel::Mandatory,
                            lifecycle: Some(Lifecycle::Current),
                            description: None,
                        },
                        Obligation {
                            standard: "S2".into(),
                            obligation: ObligationLevel::Optional,
                            lifecycle: None,
                            description: None,
                        },
                    ],
                    label: None,
                    sources: vec![],
                    illustrative: false,
                },
                Profile {
                    id: "p2".into(),
                    kind: ProfileKind::Service,
                    title: "P2".into(),
                    description: None,
                    subprofiles: vec![],
                    obligations: vec![],
                    label: l(Kind::Profile),
                    sources: vec![],
                    illustrative: false,
                },
            ],
            transfers: vec![Transfer {
                id: "t1".into(),
                sipri_id: Some(1),
                supplier: "KOR".into(),
                supplier_kind: PartyKind::State,
                recipient: "POL".into(),
                recipient_kind: PartyKind::State,
                system: Some("k9".into()),
                designation: "K9".into(),
                description: None,
                category: "artillery".into(),
                ordered: Some(2022),
                ordered_estimated: false,
                status: None,
                tiv_unit: None,
                tiv_deal_unit: None,
                local_production: false,
                number_ordered: None,
                number_ordered_estimated: false,
                delivered: None,
                delivered_estimated: false,
                tiv_delivered: None,
                deliveries: vec![],
                label: l(Kind::Transfer),
                sources: vec![],
                illustrative: false,
            }],
            // The workspace's visibility is tested in `workspace::tests`.
            ..Dataset::default()
        }
    }

    fn outsider() -> Reader {
        Reader::Cleared(Clearance::default().with_level("DEFCOOP", "RESTRICTED"))
    }

    fn insider() -> Reader {
        Reader::Cleared(
            Clearance::default()
                .with_level("DEFCOOP", "RESTRICTED")
                .with_value("RELEASABLE-TO", "KOR"),
        )
    }

    #[test]
    fn nothing_hidden_keeps_everything() {
        let data = sample(&[]);
        assert_eq!(visible(data.clone(), &outsider()), data);
    }

    #[test]
    fn insider_sees_everything() {
        let data = sample(&Kind::ALL);
        assert_eq!(visible(data.clone(), &insider()), data);
        assert_eq!(visible(data.clone(), &Reader::Full), data);
    }

    #[test]
    fn hidden_nation_hides_its_organization_and_everything_downstream() {
        let v = visible(sample(&[Kind::Nation]), &outsider());
        assert_eq!(v.nations.len(), 1);
        assert_eq!(
            v.blocs[0].members.len(),
            1,
            "member entry dropped, bloc kept"
        );
        assert!(v.organizations.is_empty());
        assert!(v.people.is_empty());
        assert!(v.systems.is_empty(), "producer hidden hides the system");
        assert!(
            v.conformances.is_empty(),
            "system hidden hides its conformances"
        );
        assert_eq!(v.gateways.len(), 1, "gateways do not depend on nations");
    }

    #[test]
    fn hidden_standard_hides_its_gateways_not_the_other_conformances() {
        let v = visible(sample(&[Kind::Standard]), &outsider());
        assert_eq!(v.standards.len(), 1);
        assert!(v.gateways.is_empty());
        assert_eq!(v.conformances.len(), 1);
    }

    #[test]
    fn hidden_standard_leaves_profiles_and_cover_documents_without_it() {
        let v = visible(sample(&[Kind::Standard]), &outsider());
        assert_eq!(v.profiles.len(), 2, "profiles stay");
        let obligations: Vec<_> = v.profiles[0]
            .obligations
            .iter()
            .map(|o| o.standard.as_str())
            .collect();
        assert_eq!(
            obligations,
            ["S2"],
            "the obligation on hidden S1 is dropped"
        );
        assert!(
            v.standards[0].covers.is_empty(),
            "S2 no longer covers hidden S1"
        );
    }

    #[test]
    fn hidden_profile_is_dropped_from_its_parent() {
        let v = visible(sample(&[Kind::Profile]), &outsider());
        assert_eq!(v.profiles.len(), 1);
        assert!(v.profiles[0].subprofiles.is_empty());
    }

    #[test]
    fn transfer_hidden_by_its_label_by_a_hidden_party_or_system() {
        assert!(visible(sample(&[Kind::Transfer]), &outsider())
            .transfers
            .is_empty());
        assert!(visible(sample(&[Kind::Nation]), &outsider())
            .transfers
            .is_empty());
        assert!(visible(sample(&[Kind::System]), &outsider())
            .transfers
            .is_empty());
        assert_eq!(
            visible(sample(&[Kind::Standard]), &outsider())
                .transfers
                .len(),
            1
        );
    }

    #[test]
    fn hidden_domain_hides_standards_conformances_and_gateways() {
        let v = visible(sample(&[Kind::Domain]), &outsider());
        assert!(v.standards.is_empty());
        assert!(v.conformances.is_empty());
        assert!(v.gateways.is_empty());
        assert_eq!(v.systems.len(), 1);
    }

    proptest! {
        /// Whatever is hidden, the visible part never references an invisible record, and
        /// nothing whose own label the reader fails survives.
        #[test]
        fn visible_part_is_closed(mask in proptest::collection::vec(any::<bool>(), Kind::ALL.len())) {
            let hide: Vec<Kind> = Kind::ALL.iter().zip(&mask).filter(|(_, m)| **m).map(|(k, _)| *k).collect();
            let v = visible(sample(&hide), &outsider());
            let policies = Policies::new(&v.policies);
            let reader = outsider();
            let nations: HashSet<_> = v.nations.iter().map(|n| n.code.as_str()).collect();
            let orgs: HashSet<_> = v.organizations.iter().map(|o| o.id.as_str()).collect();
            let stds: HashSet<_> = v.standards.iter().map(|s| s.id.as_str()).collect();
            let systems: HashSet<_> = v.systems.iter().map(|s| s.id.as_str()).collect();
            for n in &v.nations { prop_assert!(reader.may_read(n.label.as_ref(), &policies)); }
            for o in &v.organizations { prop_assert!(nations.contains(o.nation.as_str())); }
            for p in &v.people { prop_assert!(orgs.contains(p.organization.as_str())); }
            for s in &v.systems {
                prop_assert!(reader.may_read(s.label.as_ref(), &policies));
                prop_assert!(nations.contains(s.origin.as_str()));
                for o in &s.operators { prop_assert!(nations.contains(o.nation.as_str())); }
            }
            for c in &v.conformances {
                prop_assert!(systems.contains(c.system.as_str()) && stds.contains(c.standard.as_str()));
            }
            let profiles: HashSet<_> = v.profiles.iter().map(|p| p.id.as_str()).collect();
            for p in &v.profiles {
                prop_assert!(reader.may_read(p.label.as_ref(), &policies));
                for sub in &p.subprofiles { prop_assert!(profiles.contains(sub.as_str())); }
                for o in &p.obligations { prop_assert!(stds.contains(o.standard.as_str())); }
            }
            for s in &v.standards {
                for c in &s.covers { prop_assert!(stds.contains(c.as_str())); }
            }
            for t in &v.transfers {
                prop_assert!(reader.may_read(t.label.as_ref(), &policies));
                prop_assert!(nations.contains(t.supplier.as_str()) && nations.contains(t.recipient.as_str()));
                prop_assert!(t.system.as_ref().is_none_or(|s| systems.contains(s.as_str())));
            }
            for g in &v.gateways {
                prop_assert!(stds.contains(g.from.as_str()) && stds.contains(g.to.as_str()));
            }
            // The insider always sees it all.
            prop_assert_eq!(visible(sample(&hide), &insider()), sample(&hide));
        }
    }
}
