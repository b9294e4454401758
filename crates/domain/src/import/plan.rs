//! Planning an import: the incoming records merged over the stored ones, validated, and the
//! created/updated/unchanged diff.

use super::*;

/// Validates `incoming` against `existing` (what the store holds, with full rights) and plans
/// the changes. `writer` must satisfy every label it writes.
pub fn plan_import(
    incoming: &Incoming,
    existing: &Dataset,
    writer: &Reader,
) -> Result<ImportPlan, Vec<Problem>> {
    let mut data = incoming.data.clone();

    let mut v = Validator {
        origins: &incoming.origins,
        unreadable: &incoming.unreadable,
        writer,
        problems: incoming.problems.clone(),
        policies: Policies::default(),
    };
    let policies = v.merge(&existing.policies, &data.policies);
    let nations = v.merge(&existing.nations, &data.nations);
    let blocs = v.merge(&existing.blocs, &data.blocs);
    let orgs = v.merge(&existing.organizations, &data.organizations);
    let people = v.merge(&existing.people, &data.people);
    let domains = v.merge(&existing.domains, &data.domains);
    let standards = v.merge(&existing.standards, &data.standards);
    let profiles = v.merge(&existing.profiles, &data.profiles);
    let systems = v.merge(&existing.systems, &data.systems);
    let conformances = v.merge(&existing.conformances, &data.conformances);
    let gateways = v.merge(&existing.gateways, &data.gateways);
    let transfers = v.merge(&existing.transfers, &data.transfers);
    let ws = super::workspace::Workspace::merge(&mut v, existing, &incoming.data);

    v.policies = Policies::new(policies.records().map(|(p, _)| p));
    let nation_set: HashSet<&str> = nations.records().map(|(n, _)| n.code.as_str()).collect();
    let org_set: HashSet<&str> = orgs.records().map(|(o, _)| o.id.as_str()).collect();
    let domain_set: HashSet<&str> = domains.records().map(|(d, _)| d.code.as_str()).collect();
    let standard_domain: HashMap<&str, &str> = standards
        .records()
        .map(|(s, _)| (s.id.as_str(), s.domain.as_str()))
        .collect();
    let system_set: HashSet<&str> = systems.records().map(|(s, _)| s.id.as_str()).collect();
    let profile_set: HashSet<&str> = profiles.records().map(|(p, _)| p.id.as_str()).collect();
    let standard_set: HashSet<&str> = standard_domain.keys().copied().collect();

    for at in policies.records() {
        let p = at.0;
        v.check_policy(p, at.1);
    }
    for at in nations.records() {
        let n = at.0;
        v.text(at, "code", &n.code, nation_code);
        v.text(at, "name", &n.name, text);
        v.meta(at, n.label.as_ref(), &n.sources);
    }
    for at in blocs.records() {
        let b = at.0;
        v.text(at, "code", &b.code, bloc_code);
        v.text(at, "name", &b.name, text);
        let mut seen = HashSet::new();
        for (i, m) in b.members.iter().enumerate() {
            let field = format!("members[{i}].nation");
            v.reference(at, &field, &m.nation, "nation", &nation_set);
            if !seen.insert(m.nation.as_str()) {
                v.problem(
                    at,
                    Some(&field),
                    format!("nation \"{}\" listed twice", m.nation),
                );
            }
            if let Some(since) = &m.since {
                v.text(at, &format!("members[{i}].since"), since, date_or_year);
            }
            if let Some(until) = &m.until {
                v.text(at, &format!("members[{i}].until"), until, date_or_year);
                let first = m.since.as_deref().and_then(crate::day::Day::first_of);
                let last = crate::day::Day::last_of(until);
                if let (Some(f), Some(l)) = (first, last) {
                    if l < f {
                        v.problem(
                            at,
                            Some(&format!("members[{i}].until")),
                            format!(
                                "membership ends ({until}) before it starts ({})",
                                m.since.as_deref().unwrap_or_default()
                            ),
                        );
                    }
                }
            }
        }
        v.meta(at, b.label.as_ref(), &b.sources);
    }
    for at in orgs.records() {
        let o = at.0;
        v.text(at, "id", &o.id, id);
        v.text(at, "name", &o.name, text);
        v.reference(at, "nation", &o.nation, "nation", &nation_set);
        if let Some(ncage) = &o.ncage {
            v.text(at, "ncage", ncage, ncage_code);
        }
        v.meta(at, o.label.as_ref(), &o.sources);
    }
    for at in people.records() {
        let p = at.0;
        v.text(at, "id", &p.id, id);
        v.text(at, "name", &p.name, text);
        if let Some(native) = &p.name_native {
            v.text(at, "name_native", native, text);
        }
        v.text(at, "title", &p.title, text);
        v.reference(
            at,
            "organization",
            &p.organization,
            "organization",
            &org_set,
        );
        v.meta(at, p.label.as_ref(), &p.sources);
    }
    for at in domains.records() {
        let d = at.0;
        v.text(at, "code", &d.code, kebab);
        v.text(at, "name", &d.name, text);
        v.meta(at, d.label.as_ref(), &d.sources);
    }
    let mut standard_aliases: HashMap<String, &str> = HashMap::new();
    for at in standards.records() {
        let s = at.0;
        v.text(at, "id", &s.id, id);
        v.text(at, "title", &s.title, text);
        v.aliases(at, &s.id, &s.aliases, "standard", &mut standard_aliases);
        v.text(at, "body", &s.body, text);
        v.reference(at, "domain", &s.domain, "domain", &domain_set);
        if let Some(tag) = &s.tag {
            v.text(at, "tag", tag, text);
        }
        if let Some(date) = &s.date {
            v.text(at, "date", date, date_or_year);
        }
        if let Some(version) = &s.version {
            v.text(at, "version", version, text);
        }
        let mut seen = HashSet::new();
        for (i, covered) in s.covers.iter().enumerate() {
            let field = format!("covers[{i}]");
            v.reference(at, &field, covered, "standard", &standard_set);
            if covered == &s.id {
                v.problem(at, Some(&field), "a standard cannot cover itself");
            }
            if !seen.insert(covered.as_str()) {
                v.problem(
                    at,
                    Some(&field),
                    format!("standard \"{covered}\" listed twice"),
                );
            }
        }
        v.meta(at, s.label.as_ref(), &s.sources);
    }
    for at in profiles.records() {
        let p = at.0;
        v.text(at, "id", &p.id, id);
        v.text(at, "title", &p.title, text);
        if let Some(d) = &p.description {
            v.text(at, "description", d, text);
        }
        let mut seen = HashSet::new();
        for (i, sub) in p.subprofiles.iter().enumerate() {
            let field = format!("subprofiles[{i}]");
            v.reference(at, &field, sub, "profile", &profile_set);
            if sub == &p.id {
                v.problem(at, Some(&field), "a profile cannot contain itself");
            }
            if !seen.insert(sub.as_str()) {
                v.problem(at, Some(&field), format!("profile \"{sub}\" listed twice"));
            }
        }
        let mut seen = HashSet::new();
        for (i, o) in p.obligations.iter().enumerate() {
            let field = format!("obligations[{i}].standard");
            v.reference(at, &field, &o.standard, "standard", &standard_set);
            if !seen.insert(o.standard.as_str()) {
                v.problem(
                    at,
                    Some(&field),
                    format!("standard \"{}\" listed twice", o.standard),
                );
            }
            if let Some(d) = &o.description {
                v.text(at, &format!("obligations[{i}].description"), d, text);
            }
        }
        v.meta(at, p.label.as_ref(), &p.sources);
    }
    let mut system_aliases: HashMap<String, &str> = HashMap::new();
    for at in systems.records() {
        let s = at.0;
        v.text(at, "id", &s.id, id);
        v.text(at, "name", &s.name, text);
        v.aliases(at, &s.id, &s.aliases, "system", &mut system_aliases);
        v.text(at, "category", &s.category, kebab);
        if let Some(producer) = &s.producer {
            v.reference(at, "producer", producer, "organization", &org_set);
        }
        v.reference(at, "origin", &s.origin, "nation", &nation_set);
        let mut seen = HashSet::new();
        for (i, o) in s.operators.iter().enumerate() {
            let field = format!("operators[{i}].nation");
            v.reference(at, &field, &o.nation, "nation", &nation_set);
            if !seen.insert(o.nation.as_str()) {
                v.problem(
                    at,
                    Some(&field),
                    format!("nation \"{}\" listed twice", o.nation),
                );
            }
        }
        v.meta(at, s.label.as_ref(), &s.sources);
    }
    for at in conformances.records() {
        let c = at.0;
        v.reference(at, "system", &c.system, "system", &system_set);
        if !standard_domain.contains_key(c.standard.as_str())
            && !incoming.unreadable.covers(Kind::Standard, &c.standard)
        {
            v.problem(
                at,
                Some("standard"),
                format!("unknown standard \"{}\"", c.standard),
            );
        }
        if let Some(e) = &c.evidence {
            v.text(at, "evidence", e, text);
        }
        v.meta(at, c.label.as_ref(), &c.sources);
    }
    for at in gateways.records() {
        let g = at.0;
        v.text(at, "id", &g.id, id);
        v.text(at, "name", &g.name, text);
        v.reference(at, "domain", &g.domain, "domain", &domain_set);
        for (field, std) in [("from", &g.from), ("to", &g.to)] {
            match standard_domain.get(std.as_str()) {
                None if incoming.unreadable.covers(Kind::Standard, std) => {}
                None => v.problem(at, Some(field), format!("unknown standard \"{std}\"")),
                Some(d) if *d != g.domain => v.problem(
                    at,
                    Some(field),
                    format!(
                        "standard \"{std}\" is in domain \"{d}\", not in the gateway's domain \"{}\"",
                        g.domain
                    ),
                ),
                Some(_) => {}
            }
        }
        if g.from == g.to {
            v.problem(
                at,
                Some("to"),
                "a gateway must join two different standards",
            );
        }
        v.meta(at, g.label.as_ref(), &g.sources);
    }

    let mut sipri_ids: HashMap<u64, &str> = HashMap::new();
    for at in transfers.records() {
        let t = at.0;
        v.text(at, "id", &t.id, id);
        if let Some(n) = t.sipri_id {
            if let Some(other) = sipri_ids.insert(n, &t.id) {
                v.problem(
                    at,
                    Some("sipri_id"),
                    format!("SIPRI id {n} is also the id of transfer \"{other}\""),
                );
            }
        }
        for (field, party, kind) in [
            ("supplier", &t.supplier, t.supplier_kind),
            ("recipient", &t.recipient, t.recipient_kind),
        ] {
            if kind.is_state() {
                v.reference(at, field, party, "nation", &nation_set);
            } else {
                v.text(at, field, party, text);
            }
        }
        if let Some(system) = &t.system {
            v.reference(at, "system", system, "system", &system_set);
        }
        v.text(at, "designation", &t.designation, text);
        if let Some(d) = &t.description {
            v.text(at, "description", d, text);
        }
        v.text(at, "category", &t.category, kebab);
        if let Some(year) = t.ordered {
            v.text(at, "ordered", &year.to_string(), plausible_year);
        }
        if let Some(status) = &t.status {
            v.text(at, "status", status, text);
        }
        if (t.delivered.is_some() || t.tiv_delivered.is_some())
            && t.deliveries
                .iter()
                .any(|d| d.number.is_some() || d.tiv.is_some())
        {
            v.problem(
                at,
                Some("delivered"),
                "give the totals delivered only when the deliveries of each year carry no number or TIV",
            );
        }
        for (field, tiv) in [
            ("tiv_unit", t.tiv_unit),
            ("tiv_deal_unit", t.tiv_deal_unit),
            ("tiv_delivered", t.tiv_delivered),
        ] {
            if let Some(tiv) = tiv {
                v.text(at, field, &tiv.0.to_string(), tiv_amount);
            }
        }
        let mut years = HashSet::new();
        for (i, d) in t.deliveries.iter().enumerate() {
            let field = format!("deliveries[{i}].year");
            v.text(at, &field, &d.year.to_string(), plausible_year);
            if !years.insert(d.year) {
                v.problem(at, Some(&field), format!("year {} listed twice", d.year));
            }
            if let Some(tiv) = d.tiv {
                v.text(
                    at,
                    &format!("deliveries[{i}].tiv"),
                    &tiv.0.to_string(),
                    tiv_amount,
                );
            }
        }
        v.meta(at, t.label.as_ref(), &t.sources);
    }

    let people_set: HashSet<&str> = people.records().map(|(p, _)| p.id.as_str()).collect();
    let bloc_set: HashSet<&str> = blocs.records().map(|(b, _)| b.code.as_str()).collect();
    let registry = HashMap::from([
        (Kind::Person, people_set),
        (Kind::Organization, org_set),
        (Kind::Nation, nation_set),
        (Kind::Bloc, bloc_set),
        (Kind::System, system_set),
        (Kind::Standard, standard_set),
    ]);
    super::workspace::check(&mut v, &ws, registry, existing);

    if !v.problems.is_empty() {
        return Err(v.problems);
    }

    // Nested lists are sets; sort them (after validation, whose locations are file positions)
    // so that equal records compare equal.
    data.normalize();

    let mut changes = Dataset::default();
    let counts = vec![
        (
            Kind::Policy,
            diff(&existing.policies, &data.policies, &mut changes.policies),
        ),
        (
            Kind::Nation,
            diff(&existing.nations, &data.nations, &mut changes.nations),
        ),
        (
            Kind::Bloc,
            diff(&existing.blocs, &data.blocs, &mut changes.blocs),
        ),
        (
            Kind::Organization,
            diff(
                &existing.organizations,
                &data.organizations,
                &mut changes.organizations,
            ),
        ),
        (
            Kind::Person,
            diff(&existing.people, &data.people, &mut changes.people),
        ),
        (
            Kind::Domain,
            diff(&existing.domains, &data.domains, &mut changes.domains),
        ),
        (
            Kind::Standard,
            diff(&existing.standards, &data.standards, &mut changes.standards),
        ),
        (
            Kind::Profile,
            diff(&existing.profiles, &data.profiles, &mut changes.profiles),
        ),
        (
            Kind::System,
            diff(&existing.systems, &data.systems, &mut changes.systems),
        ),
        (
            Kind::Conformance,
            diff(
                &existing.conformances,
                &data.conformances,
                &mut changes.conformances,
            ),
        ),
        (
            Kind::Gateway,
            diff(&existing.gateways, &data.gateways, &mut changes.gateways),
        ),
        (
            Kind::Transfer,
            diff(&existing.transfers, &data.transfers, &mut changes.transfers),
        ),
        (
            Kind::Body,
            diff(&existing.bodies, &data.bodies, &mut changes.bodies),
        ),
        (
            Kind::Meeting,
            diff(&existing.meetings, &data.meetings, &mut changes.meetings),
        ),
        (
            Kind::Minutes,
            diff(&existing.minutes, &data.minutes, &mut changes.minutes),
        ),
        (
            Kind::Proposal,
            diff(&existing.proposals, &data.proposals, &mut changes.proposals),
        ),
        (
            Kind::Decision,
            diff(&existing.decisions, &data.decisions, &mut changes.decisions),
        ),
        (
            Kind::ActionItem,
            diff(
                &existing.action_items,
                &data.action_items,
                &mut changes.action_items,
            ),
        ),
        (
            Kind::Engagement,
            diff(
                &existing.engagements,
                &data.engagements,
                &mut changes.engagements,
            ),
        ),
        (
            Kind::Document,
            diff(&existing.documents, &data.documents, &mut changes.documents),
        ),
        (
            Kind::CapabilityArea,
            diff(
                &existing.capability_areas,
                &data.capability_areas,
                &mut changes.capability_areas,
            ),
        ),
        (
            Kind::Need,
            diff(&existing.needs, &data.needs, &mut changes.needs),
        ),
        (
            Kind::Offer,
            diff(&existing.offers, &data.offers, &mut changes.offers),
        ),
        (
            Kind::Instrument,
            diff(
                &existing.instruments,
                &data.instruments,
                &mut changes.instruments,
            ),
        ),
    ];
    changes.normalize();
    Ok(ImportPlan { changes, counts })
}

/// Appends created and updated records of `incoming` to `out`; counts them.
pub(super) fn diff<T: Keyed + PartialEq + Clone>(
    existing: &[T],
    incoming: &[T],
    out: &mut Vec<T>,
) -> Counts {
    let old: HashMap<T::Key<'_>, &T> = existing.iter().map(|r| (r.key(), r)).collect();
    let mut counts = Counts::default();
    for r in incoming {
        match old.get(&r.key()) {
            None => {
                counts.created += 1;
                out.push(r.clone());
            }
            Some(o) if *o != r => {
                counts.updated += 1;
                out.push(r.clone());
            }
            Some(_) => counts.unchanged += 1,
        }
    }
    counts
}

/// Existing records overlaid by incoming ones, by key.
pub(super) struct Merged<'a, T: Keyed> {
    pub(super) existing: &'a [T],
    pub(super) incoming: &'a [T],
    /// Key → index into `incoming` (Some) or `existing` (None) of the record that wins.
    pub(super) winner: HashMap<T::Key<'a>, (Option<usize>, usize)>,
}

impl<'a, T: Keyed> Merged<'a, T> {
    /// Winning records in a stable order: incoming ones in file order, then existing ones.
    pub(super) fn records(&self) -> impl Iterator<Item = (&'a T, Option<usize>)> + '_ {
        let incoming = self
            .incoming
            .iter()
            .enumerate()
            .filter(|(i, r)| self.winner.get(&r.key()) == Some(&(Some(*i), *i)))
            .map(|(i, r)| (r, Some(i)));
        let existing = self
            .existing
            .iter()
            .enumerate()
            .filter(|(i, r)| self.winner.get(&r.key()) == Some(&(None, *i)))
            .map(|(_, r)| (r, None));
        incoming.chain(existing)
    }
}

pub(crate) struct Validator<'o> {
    pub(super) origins: &'o Origins,
    pub(super) unreadable: &'o Unreadable,
    pub(super) writer: &'o Reader,
    pub(super) problems: Vec<Problem>,
    pub(super) policies: Policies,
}

pub(super) type Check = fn(&str) -> Result<(), String>;

impl Validator<'_> {
    pub(super) fn merge<'a, T: Keyed>(
        &mut self,
        existing: &'a [T],
        incoming: &'a [T],
    ) -> Merged<'a, T> {
        let mut winner: HashMap<T::Key<'a>, (Option<usize>, usize)> =
            HashMap::with_capacity(existing.len() + incoming.len());
        for (i, r) in existing.iter().enumerate() {
            winner.insert(r.key(), (None, i));
        }
        for (i, r) in incoming.iter().enumerate() {
            match winner.get(&r.key()) {
                Some((Some(first), _)) => {
                    let first = self.origins.at(T::KIND, *first, None);
                    self.problems.push(Problem::new(
                        self.origins.at(T::KIND, i, None),
                        format!(
                            "duplicate {} \"{}\" (first at {first})",
                            noun(T::KIND),
                            r.key_text()
                        ),
                    ));
                }
                _ => {
                    winner.insert(r.key(), (Some(i), i));
                }
            }
        }
        Merged {
            existing,
            incoming,
            winner,
        }
    }

    pub(super) fn location<T: Keyed>(
        &self,
        rec: &T,
        at: Option<usize>,
        field: Option<&str>,
    ) -> String {
        match at {
            Some(i) => self.origins.at(T::KIND, i, field),
            None => {
                let base = format!("{} \"{}\" (stored)", noun(T::KIND), rec.key_text());
                match field {
                    Some(f) => format!("{base}, field {f}"),
                    None => base,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::label::Clearance;

    fn nation(code: &str) -> Nation {
        Nation {
            code: code.into(),
            name: code.into(),
            label: None,
            sources: vec![],
            illustrative: false,
        }
    }

    #[test]
    fn diff_counts_created_updated_unchanged() {
        let existing = Dataset {
            nations: vec![nation("AAA"), nation("BBB")],
            ..Dataset::default()
        };
        let mut changed = nation("BBB");
        changed.name = "Bee".into();
        let incoming = Incoming::from_dataset(Dataset {
            nations: vec![nation("AAA"), changed.clone(), nation("CCC")],
            ..Dataset::default()
        });
        let plan = plan_import(&incoming, &existing, &Reader::Full).unwrap();
        let c = plan
            .counts
            .iter()
            .find(|(k, _)| *k == Kind::Nation)
            .unwrap()
            .1;
        assert_eq!((c.created, c.updated, c.unchanged), (1, 1, 1));
        assert_eq!(plan.changes.nations, vec![changed, nation("CCC")]);
    }

    #[test]
    fn nested_lists_compare_as_sets() {
        let mut sys = System {
            aliases: vec![],
            id: "s".into(),
            name: "S".into(),
            category: "uav".into(),
            producer: None,
            origin: "AAA".into(),
            operators: vec![
                Operator {
                    nation: "AAA".into(),
                    quantity: None,
                },
                Operator {
                    nation: "BBB".into(),
                    quantity: Some(2),
                },
            ],
            label: None,
            sources: vec![],
            illustrative: false,
        };
        let existing = Dataset {
            nations: vec![nation("AAA"), nation("BBB")],
            systems: vec![sys.clone()],
            ..Dataset::default()
        };
        sys.operators.reverse();
        let incoming = Incoming::from_dataset(Dataset {
            systems: vec![sys],
            ..Dataset::default()
        });
        let plan = plan_import(&incoming, &existing, &Reader::Full).unwrap();
        assert!(plan.is_noop());
    }

    #[test]
    fn a_closed_policy_is_checked() {
        use crate::label::{
            CategoryKind, PolicyCategory, PolicyValue, RequiredOperation, RequiredValue,
            Requirement,
        };
        let value = |name: &str, excluded: &[&str]| PolicyValue {
            name: name.into(),
            excluded_classes: excluded.iter().map(|c| c.to_string()).collect(),
            obsolete: false,
        };
        let category = |name: &str, values: Vec<PolicyValue>| PolicyCategory {
            name: name.into(),
            kind: CategoryKind::Permissive,
            single: false,
            values,
        };
        let required = |class: &str, cat: &str, val: &str| Requirement {
            classification: class.into(),
            operation: RequiredOperation::All,
            values: vec![RequiredValue {
                category: cat.into(),
                value: val.into(),
            }],
        };
        let policy = Policy {
            id: "P".into(),
            classifications: vec!["LOW".into(), "HIGH".into()],
            categories: vec![
                category("A", vec![value("X", &["LOW"]), value("X", &["MID"])]),
                category("A", vec![]),
                category(" ", vec![value("", &[])]),
            ],
            required: vec![
                required("HIGH", "A", "X"),
                required("TOP", "A", "Y"),
                required("LOW", "B", "X"),
            ],
        };
        let incoming = Incoming::from_dataset(Dataset {
            policies: vec![policy],
            ..Dataset::default()
        });
        let problems: Vec<String> = plan_import(&incoming, &Dataset::default(), &Reader::Full)
            .unwrap_err()
            .into_iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            problems,
            [
                "$.policies[0].categories[0].values[1].name: value \"X\" of category \"A\" defined twice",
                "$.policies[0].categories[0].values[1].excluded_classes[0]: unknown classification \"MID\"",
                "$.policies[0].categories[1].name: category \"A\" defined twice",
                "$.policies[0].categories[1].values: category \"A\" needs at least one value",
                "$.policies[0].categories[2].name: must not be empty",
                "$.policies[0].categories[2].values[0].name: must not be empty",
                "$.policies[0].required[1].classification: unknown classification \"TOP\"",
                "$.policies[0].required[1].values[0].value: category \"A\" has no value \"Y\"",
                "$.policies[0].required[2].values[0].category: unknown category \"B\"",
            ]
        );
    }

    #[test]
    fn a_user_writer_is_checked_against_each_label() {
        let policy = Policy {
            id: "P".into(),
            classifications: vec!["LOW".into(), "HIGH".into()],
            categories: vec![],
            required: vec![],
        };
        let mut high = nation("AAA");
        high.label = Some(Label {
            policy: "P".into(),
            classification: "HIGH".into(),
            categories: vec![],
        });
        let incoming = Incoming::from_dataset(Dataset {
            policies: vec![policy],
            nations: vec![high],
            ..Dataset::default()
        });
        let low = Reader::Cleared(Clearance::default().with_level("P", "LOW"));
        let problems = plan_import(&incoming, &Dataset::default(), &low).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].location, "$.nations[0].label");
        let high = Reader::Cleared(Clearance::default().with_level("P", "HIGH"));
        assert!(plan_import(&incoming, &Dataset::default(), &high).is_ok());
    }
}
