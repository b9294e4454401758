//! Import planning: validate an incoming dataset against what is already stored, then work out
//! what changes. Pure: the store reads `existing` and writes the plan's `changes` in one
//! transaction, so an import is all or nothing.
//!
//! Validation runs on the *merged* registry (existing records overlaid by incoming ones by key),
//! so references may point to records already stored, and a change that would break a stored
//! record (a policy losing a classification still in use, a standard moving out of its
//! gateway's domain) is caught too. Every problem is reported, each with its location.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::label::{check_label, Label, Policies, Policy, Reader};
use crate::model::*;

/// One thing wrong with the input, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `$.systems[3].origin` for JSON, `systems.csv:5, column origin` for CSV.
    pub location: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl Problem {
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            location: location.into(),
            message: message.into(),
        }
    }
}

/// How locations of incoming records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `$.systems[3]`, fields appended as `.origin`.
    Json,
    /// `systems.csv:5`, fields appended as `, column origin`.
    Csv,
}

/// Where each incoming record came from, per kind, parallel to the dataset's arrays.
#[derive(Debug, Clone)]
pub struct Origins {
    pub style: Style,
    bases: HashMap<Kind, Vec<String>>,
}

impl Origins {
    pub fn new(style: Style) -> Self {
        Origins {
            style,
            bases: HashMap::new(),
        }
    }

    /// Records the location of the next record of `kind`.
    pub fn push(&mut self, kind: Kind, base: String) {
        self.bases.entry(kind).or_default().push(base);
    }

    /// Location of incoming record `index` of `kind`, optionally of one of its fields.
    pub fn at(&self, kind: Kind, index: usize, field: Option<&str>) -> String {
        let base = self
            .bases
            .get(&kind)
            .and_then(|b| b.get(index))
            .cloned()
            .unwrap_or_else(|| format!("{}[{index}]", kind.array()));
        match (field, self.style) {
            (None, _) => base,
            (Some(f), Style::Json) if f.starts_with('[') => format!("{base}{f}"),
            (Some(f), Style::Json) => format!("{base}.{f}"),
            (Some(f), Style::Csv) => format!("{base}, column {f}"),
        }
    }

    /// Origins for a dataset built in memory: JSON paths by position.
    pub fn json_positions(data: &Dataset) -> Self {
        let mut o = Origins::new(Style::Json);
        for kind in Kind::ALL {
            for i in 0..data.count(kind) {
                o.push(kind, format!("$.{}[{i}]", kind.array()));
            }
        }
        o
    }
}

/// Records an input held but that could not be read: their keys where the input showed them,
/// or whole kinds (an array that was not an array, a CSV file with a bad header). References to
/// them are not reported as unknown: the problem that made them unreadable is reported instead.
#[derive(Debug, Clone, Default)]
pub struct Unreadable {
    keys: HashMap<Kind, HashSet<String>>,
    kinds: HashSet<Kind>,
}

impl Unreadable {
    pub fn add_key(&mut self, kind: Kind, key: String) {
        self.keys.entry(kind).or_default().insert(key);
    }

    pub fn add_kind(&mut self, kind: Kind) {
        self.kinds.insert(kind);
    }

    pub fn covers(&self, kind: Kind, key: &str) -> bool {
        self.kinds.contains(&kind) || self.keys.get(&kind).is_some_and(|k| k.contains(key))
    }

    fn extend(&mut self, other: Unreadable) {
        for (kind, keys) in other.keys {
            self.keys.entry(kind).or_default().extend(keys);
        }
        self.kinds.extend(other.kinds);
    }
}

/// An incoming dataset, where each of its records came from, and what could not be read.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub data: Dataset,
    pub origins: Origins,
    /// Problems found while reading (type errors, unknown fields...): the import fails, but
    /// validation still runs on the readable records so that every problem is reported at once.
    pub problems: Vec<Problem>,
    pub unreadable: Unreadable,
}

impl Incoming {
    /// Appends another input (e.g. the next file of one import), prefixing its locations with
    /// `prefix` (e.g. `"b.json: "`), so that several files are validated and written as one.
    pub fn append(&mut self, other: Incoming, prefix: &str) {
        self.problems.extend(
            other
                .problems
                .into_iter()
                .map(|p| Problem::new(format!("{prefix}{}", p.location), p.message)),
        );
        self.unreadable.extend(other.unreadable);
        for kind in Kind::ALL {
            let bases = other.origins.bases.get(&kind).cloned().unwrap_or_default();
            let own = self.origins.bases.entry(kind).or_default();
            // Keep earlier records' locations aligned even if they had none recorded.
            while own.len() < self.data.count(kind) {
                own.push(format!("{}[{}]", kind.array(), own.len()));
            }
            own.extend(bases.into_iter().map(|b| format!("{prefix}{b}")));
        }
        // Destructured, not accessed field by field: a new kind cannot be forgotten here.
        let Dataset {
            policies,
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
        } = other.data;
        let d = &mut self.data;
        d.policies.extend(policies);
        d.nations.extend(nations);
        d.blocs.extend(blocs);
        d.organizations.extend(organizations);
        d.people.extend(people);
        d.domains.extend(domains);
        d.standards.extend(standards);
        d.profiles.extend(profiles);
        d.systems.extend(systems);
        d.conformances.extend(conformances);
        d.gateways.extend(gateways);
        d.transfers.extend(transfers);
    }

    /// An empty input, to append files to.
    pub fn empty(style: Style) -> Self {
        Incoming {
            data: Dataset::default(),
            origins: Origins::new(style),
            problems: Vec::new(),
            unreadable: Unreadable::default(),
        }
    }

    /// Wraps a dataset built in memory (e.g. by `synth`): locations are JSON paths by position.
    pub fn from_dataset(data: Dataset) -> Self {
        let origins = Origins::json_positions(&data);
        Incoming {
            data,
            origins,
            problems: Vec::new(),
            unreadable: Unreadable::default(),
        }
    }
}

/// Created / updated / unchanged counts for one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What an import will do.
#[derive(Debug, Clone)]
pub struct ImportPlan {
    /// Records to insert or update (created and updated ones only), in canonical order.
    pub changes: Dataset,
    /// Keys of records that exist and change: the store replaces their nested lists.
    pub counts: Vec<(Kind, Counts)>,
}

impl ImportPlan {
    pub fn is_noop(&self) -> bool {
        self.changes.is_empty()
    }
}

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
    for at in standards.records() {
        let s = at.0;
        v.text(at, "id", &s.id, id);
        v.text(at, "title", &s.title, text);
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
    for at in systems.records() {
        let s = at.0;
        v.text(at, "id", &s.id, id);
        v.text(at, "name", &s.name, text);
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
    ];
    changes.normalize();
    Ok(ImportPlan { changes, counts })
}

/// Appends created and updated records of `incoming` to `out`; counts them.
fn diff<T: Keyed + PartialEq + Clone>(existing: &[T], incoming: &[T], out: &mut Vec<T>) -> Counts {
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
struct Merged<'a, T: Keyed> {
    existing: &'a [T],
    incoming: &'a [T],
    /// Key → index into `incoming` (Some) or `existing` (None) of the record that wins.
    winner: HashMap<T::Key<'a>, (Option<usize>, usize)>,
}

impl<'a, T: Keyed> Merged<'a, T> {
    /// Winning records in a stable order: incoming ones in file order, then existing ones.
    fn records(&self) -> impl Iterator<Item = (&'a T, Option<usize>)> + '_ {
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

struct Validator<'o> {
    origins: &'o Origins,
    unreadable: &'o Unreadable,
    writer: &'o Reader,
    problems: Vec<Problem>,
    policies: Policies,
}

type Check = fn(&str) -> Result<(), String>;

impl Validator<'_> {
    fn merge<'a, T: Keyed>(&mut self, existing: &'a [T], incoming: &'a [T]) -> Merged<'a, T> {
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

    fn location<T: Keyed>(&self, rec: &T, at: Option<usize>, field: Option<&str>) -> String {
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

impl Validator<'_> {
    fn check_policy(&mut self, p: &Policy, at: Option<usize>) {
        let rec = (p, at);
        self.text(rec, "id", &p.id, id);
        if p.classifications.is_empty() {
            self.problem(
                rec,
                Some("classifications"),
                "a policy needs at least one classification",
            );
        }
        let mut seen = HashSet::new();
        for (i, c) in p.classifications.iter().enumerate() {
            let field = format!("classifications[{i}]");
            self.text(rec, &field, c, text);
            if !seen.insert(c.as_str()) {
                self.problem(
                    rec,
                    Some(&field),
                    format!("classification \"{c}\" listed twice"),
                );
            }
        }
        self.check_closed_policy(p, at);
    }

    /// A closed policy's categories and requirements: names present and unique, and every
    /// reference (excluded classes, required values) to something the policy defines.
    fn check_closed_policy(&mut self, p: &Policy, at: Option<usize>) {
        let rec = (p, at);
        let classes: HashSet<&str> = p.classifications.iter().map(String::as_str).collect();
        let mut names = HashSet::new();
        for (i, cat) in p.categories.iter().enumerate() {
            let base = format!("categories[{i}]");
            self.text(rec, &format!("{base}.name"), &cat.name, text);
            if !names.insert(cat.name.as_str()) {
                self.problem(
                    rec,
                    Some(&format!("{base}.name")),
                    format!("category \"{}\" defined twice", cat.name),
                );
            }
            if cat.values.is_empty() {
                self.problem(
                    rec,
                    Some(&format!("{base}.values")),
                    format!("category \"{}\" needs at least one value", cat.name),
                );
            }
            let mut values = HashSet::new();
            for (j, v) in cat.values.iter().enumerate() {
                let field = format!("{base}.values[{j}]");
                self.text(rec, &format!("{field}.name"), &v.name, text);
                if !values.insert(v.name.as_str()) {
                    self.problem(
                        rec,
                        Some(&format!("{field}.name")),
                        format!(
                            "value \"{}\" of category \"{}\" defined twice",
                            v.name, cat.name
                        ),
                    );
                }
                for (k, class) in v.excluded_classes.iter().enumerate() {
                    if !classes.contains(class.as_str()) {
                        self.problem(
                            rec,
                            Some(&format!("{field}.excluded_classes[{k}]")),
                            format!("unknown classification \"{class}\""),
                        );
                    }
                }
            }
        }
        for (i, req) in p.required.iter().enumerate() {
            let base = format!("required[{i}]");
            if !classes.contains(req.classification.as_str()) {
                self.problem(
                    rec,
                    Some(&format!("{base}.classification")),
                    format!("unknown classification \"{}\"", req.classification),
                );
            }
            if req.values.is_empty() {
                self.problem(
                    rec,
                    Some(&format!("{base}.values")),
                    "a requirement needs at least one value",
                );
            }
            for (j, rv) in req.values.iter().enumerate() {
                let field = format!("{base}.values[{j}]");
                match p.categories.iter().find(|c| c.name == rv.category) {
                    None => self.problem(
                        rec,
                        Some(&format!("{field}.category")),
                        format!("unknown category \"{}\"", rv.category),
                    ),
                    Some(c) if !c.values.iter().any(|v| v.name == rv.value) => self.problem(
                        rec,
                        Some(&format!("{field}.value")),
                        format!("category \"{}\" has no value \"{}\"", rv.category, rv.value),
                    ),
                    Some(_) => {}
                }
            }
        }
    }

    fn problem<T: Keyed>(
        &mut self,
        at: (&T, Option<usize>),
        field: Option<&str>,
        msg: impl Into<String>,
    ) {
        let location = self.location(at.0, at.1, field);
        self.problems.push(Problem::new(location, msg));
    }

    fn text<T: Keyed>(&mut self, at: (&T, Option<usize>), field: &str, value: &str, check: Check) {
        if let Err(msg) = check(value) {
            self.problem(at, Some(field), msg);
        }
    }

    fn reference<T: Keyed>(
        &mut self,
        at: (&T, Option<usize>),
        field: &str,
        value: &str,
        what: &str,
        known: &HashSet<&str>,
    ) {
        let kind = match what {
            "nation" => Kind::Nation,
            "organization" => Kind::Organization,
            "domain" => Kind::Domain,
            "standard" => Kind::Standard,
            "profile" => Kind::Profile,
            _ => Kind::System,
        };
        if !known.contains(value) && !self.unreadable.covers(kind, value) {
            self.problem(at, Some(field), format!("unknown {what} \"{value}\""));
        }
    }

    fn meta<T: Keyed>(
        &mut self,
        at: (&T, Option<usize>),
        label: Option<&Label>,
        sources: &[Source],
    ) {
        if let Some(label) = label {
            if let Err(e) = check_label(label, &self.policies) {
                if !self.unreadable.covers(Kind::Policy, &label.policy) {
                    self.problem(at, Some("label"), e.to_string());
                }
            } else if at.1.is_some() && !self.writer.may_read(Some(label), &self.policies) {
                self.problem(
                    at,
                    Some("label"),
                    "you may only write a label that you satisfy yourself",
                );
            }
        }
        for (i, s) in sources.iter().enumerate() {
            self.text(at, &format!("sources[{i}].title"), &s.title, text);
            if let Some(url) = &s.url {
                self.text(at, &format!("sources[{i}].url"), url, web_url);
            }
        }
    }
}

fn noun(kind: Kind) -> &'static str {
    kind.noun()
}

/// A year between 1900 and 2100.
pub fn plausible_year(s: &str) -> Result<(), String> {
    match s.parse::<u16>() {
        Ok(y) if (1900..=2100).contains(&y) => Ok(()),
        _ => Err(format!("{s} is not a year between 1900 and 2100")),
    }
}

/// A TIV amount: finite and not negative.
fn tiv_amount(s: &str) -> Result<(), String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(()),
        _ => Err(format!("{s} is not a TIV amount (a number ≥ 0)")),
    }
}

/// Longest id accepted.
pub const MAX_ID: usize = 100;
/// Longest free text accepted (names, titles, evidence), in characters.
pub const MAX_TEXT: usize = 10_000;

/// An id: `^[A-Za-z0-9][A-Za-z0-9._-]*$`, at most [`MAX_ID`] characters.
pub fn id(s: &str) -> Result<(), String> {
    let ok_first = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let ok_rest = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if s.is_empty() {
        Err("must not be empty".into())
    } else if s.len() > MAX_ID {
        Err(format!(
            "\"{}…\" is longer than {MAX_ID} characters",
            &s[..20]
        ))
    } else if !ok_first || !ok_rest {
        Err(format!(
            "\"{s}\" is not a valid id (letters, digits, '.', '_' and '-', starting with a letter or digit)"
        ))
    } else {
        Ok(())
    }
}

/// A lower-case kebab code: domains and system categories.
pub fn kebab(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{s}\" is not a valid code (lower-case letters, digits and '-', at most 64)"
        ))
    }
}

/// An ISO 3166-1 alpha-3 code.
pub fn nation_code(s: &str) -> Result<(), String> {
    if s.len() == 3 && s.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "\"{s}\" is not an ISO 3166-1 alpha-3 code (three upper-case letters)"
        ))
    }
}

/// A bloc code: upper-case letters, digits and '-', starting with a letter.
pub fn bloc_code(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 32
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{s}\" is not a valid bloc code (upper-case letters, digits and '-')"
        ))
    }
}

/// An NCAGE code: five upper-case letters or digits.
pub fn ncage_code(s: &str) -> Result<(), String> {
    if s.len() == 5
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        Ok(())
    } else {
        Err(format!(
            "\"{s}\" is not an NCAGE code (five upper-case letters or digits)"
        ))
    }
}

/// Non-blank text of at most [`MAX_TEXT`] characters.
pub fn text(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        Err("must not be empty".into())
    } else if s.chars().count() > MAX_TEXT {
        Err(format!("is longer than {MAX_TEXT} characters"))
    } else {
        Ok(())
    }
}

fn web_url(s: &str) -> Result<(), String> {
    if (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace) {
        Ok(())
    } else {
        Err(format!("\"{s}\" is not an http(s) URL"))
    }
}

/// `YYYY`, `YYYY-MM` or a valid `YYYY-MM-DD`.
pub fn date_or_year(s: &str) -> Result<(), String> {
    let bad = || {
        Err(format!(
            "\"{s}\" is neither a year (YYYY), a month (YYYY-MM) nor a date (YYYY-MM-DD)"
        ))
    };
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [y] if y.len() == 4 && digits(y) => Ok(()),
        [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => {
            match m.parse::<u32>() {
                Ok(1..=12) => Ok(()),
                _ => bad(),
            }
        }
        [y, m, d]
            if y.len() == 4
                && m.len() == 2
                && d.len() == 2
                && digits(y)
                && digits(m)
                && digits(d) =>
        {
            let (y, m, d): (u32, u32, u32) = match (y.parse(), m.parse(), d.parse()) {
                (Ok(y), Ok(m), Ok(d)) => (y, m, d),
                _ => return bad(),
            };
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return bad(),
            };
            if (1..=days).contains(&d) {
                Ok(())
            } else {
                bad()
            }
        }
        _ => bad(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Clearance;

    #[test]
    fn field_checks() {
        assert!(id("STANAG-5516").is_ok() && id("k9.a_b").is_ok());
        assert!(id("").is_err() && id("-x").is_err() && id("a b").is_err());
        assert!(id(&"x".repeat(MAX_ID + 1)).is_err());
        assert!(kebab("tactical-data-link").is_ok() && kebab("Tactical").is_err());
        assert!(
            nation_code("KOR").is_ok() && nation_code("KO").is_err() && nation_code("kor").is_err()
        );
        assert!(
            bloc_code("NATO").is_ok() && bloc_code("nato").is_err() && bloc_code("1EU").is_err()
        );
        assert!(ncage_code("S1234").is_ok() && ncage_code("s123").is_err());
        assert!(text("x").is_ok() && text("  ").is_err());
        for ok in ["1949", "2006-06", "1999-03-12", "2024-02-29"] {
            assert!(date_or_year(ok).is_ok(), "{ok}");
        }
        for bad in [
            "99",
            "1999-3-12",
            "2006-13",
            "2006-6",
            "2023-02-29",
            "1999-13-01",
            "1999-04-31",
            "x",
        ] {
            assert!(date_or_year(bad).is_err(), "{bad}");
        }
    }

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
