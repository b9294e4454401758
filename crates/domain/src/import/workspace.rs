//! Validating the workspace's records in an import: each record's own rules and references,
//! the rules between records and those between a stored record and its next version
//! (`workspace::rules`), located like every other problem of the import.

use super::plan::{Merged, Validator};
use super::*;
use crate::workspace::rules::{self, Finding, Record};

/// The workspace's records merged over the stored ones.
pub(super) struct Workspace<'a> {
    pub bodies: Merged<'a, Body>,
    pub meetings: Merged<'a, Meeting>,
    pub minutes: Merged<'a, Minutes>,
    pub proposals: Merged<'a, Proposal>,
    pub decisions: Merged<'a, Decision>,
    pub action_items: Merged<'a, ActionItem>,
    pub engagements: Merged<'a, Engagement>,
    pub documents: Merged<'a, Document>,
    pub capability_areas: Merged<'a, CapabilityArea>,
    pub needs: Merged<'a, Need>,
    pub offers: Merged<'a, Offer>,
    pub instruments: Merged<'a, Instrument>,
}

impl<'a> Workspace<'a> {
    pub(super) fn merge(v: &mut Validator<'_>, existing: &'a Dataset, data: &'a Dataset) -> Self {
        Workspace {
            bodies: v.merge(&existing.bodies, &data.bodies),
            meetings: v.merge(&existing.meetings, &data.meetings),
            minutes: v.merge(&existing.minutes, &data.minutes),
            proposals: v.merge(&existing.proposals, &data.proposals),
            decisions: v.merge(&existing.decisions, &data.decisions),
            action_items: v.merge(&existing.action_items, &data.action_items),
            engagements: v.merge(&existing.engagements, &data.engagements),
            documents: v.merge(&existing.documents, &data.documents),
            capability_areas: v.merge(&existing.capability_areas, &data.capability_areas),
            needs: v.merge(&existing.needs, &data.needs),
            offers: v.merge(&existing.offers, &data.offers),
            instruments: v.merge(&existing.instruments, &data.instruments),
        }
    }
}

/// The merged records as one dataset, with where each came from (`Some(i)`: the `i`th
/// incoming record of its kind; `None`: stored), parallel to the dataset's arrays.
struct Flat {
    data: Dataset,
    at: HashMap<Kind, Vec<Option<usize>>>,
}

fn flatten(ws: &Workspace<'_>) -> Flat {
    let mut data = Dataset::default();
    let mut at: HashMap<Kind, Vec<Option<usize>>> = HashMap::new();
    fn take<T: Keyed + Clone>(
        merged: &Merged<'_, T>,
        out: &mut Vec<T>,
        at: &mut HashMap<Kind, Vec<Option<usize>>>,
    ) {
        let origins = at.entry(T::KIND).or_default();
        for (r, i) in merged.records() {
            out.push(r.clone());
            origins.push(i);
        }
    }
    take(&ws.bodies, &mut data.bodies, &mut at);
    take(&ws.meetings, &mut data.meetings, &mut at);
    take(&ws.minutes, &mut data.minutes, &mut at);
    take(&ws.proposals, &mut data.proposals, &mut at);
    take(&ws.decisions, &mut data.decisions, &mut at);
    take(&ws.action_items, &mut data.action_items, &mut at);
    take(&ws.engagements, &mut data.engagements, &mut at);
    take(&ws.documents, &mut data.documents, &mut at);
    take(&ws.capability_areas, &mut data.capability_areas, &mut at);
    take(&ws.needs, &mut data.needs, &mut at);
    take(&ws.offers, &mut data.offers, &mut at);
    take(&ws.instruments, &mut data.instruments, &mut at);
    Flat { data, at }
}

/// Every rule of the workspace's and matchmaking's records over the merged records. `registry`
/// holds the keys of the merged registry's records they may name (people, organizations,
/// nations, blocs, systems, standards); `existing` the stored records the import writes over.
pub(super) fn check(
    v: &mut Validator<'_>,
    ws: &Workspace<'_>,
    registry: HashMap<Kind, HashSet<&str>>,
    existing: &Dataset,
) {
    let flat = flatten(ws);
    let d = &flat.data;
    fn ids<R: Record>(records: &[R]) -> HashSet<&str> {
        records.iter().map(|r| r.id()).collect()
    }
    let mut known = registry;
    known.extend([
        (Kind::Body, ids(&d.bodies)),
        (Kind::Meeting, ids(&d.meetings)),
        (Kind::Minutes, ids(&d.minutes)),
        (Kind::Proposal, ids(&d.proposals)),
        (Kind::Decision, ids(&d.decisions)),
        (Kind::Document, ids(&d.documents)),
        (Kind::CapabilityArea, ids(&d.capability_areas)),
    ]);

    fn each<R: Record>(
        v: &mut Validator<'_>,
        records: &[R],
        at: &[Option<usize>],
        known: &HashMap<Kind, HashSet<&str>>,
        label: impl Fn(&R) -> (Option<&Label>, &[Source]),
    ) {
        for (r, i) in records.iter().zip(at) {
            let here = (r, *i);
            // A stored record that the import does not change was checked when it was
            // written; its references may still have gone (a deleted person is refused,
            // but a record the writer cannot see is not), so they are checked below too.
            if i.is_some() {
                for e in r.issues() {
                    v.problem(here, Some(&e.field), e.message);
                }
            }
            for f in r.refs() {
                let exists = known.get(&f.to).is_some_and(|s| s.contains(f.id.as_str()));
                if !exists && !v.unreadable.covers(f.to, &f.id) {
                    v.problem(
                        here,
                        Some(&f.field),
                        format!("unknown {} \"{}\"", f.to.noun(), f.id),
                    );
                }
            }
            let (l, sources) = label(r);
            v.meta(here, l, sources);
        }
    }
    let at = |k: Kind| flat.at.get(&k).map(Vec::as_slice).unwrap_or(&[]);
    each(v, &d.bodies, at(Kind::Body), &known, |r| {
        (r.label.as_ref(), &r.sources)
    });
    each(v, &d.meetings, at(Kind::Meeting), &known, |r| {
        (r.label.as_ref(), &r.sources)
    });
    each(v, &d.minutes, at(Kind::Minutes), &known, |r| {
        (r.label.as_ref(), &r.sources)
    });
    each(v, &d.proposals, at(Kind::Proposal), &known, |r| {
        (r.label.as_ref(), &r.sources)
    });
    each(v, &d.decisions, at(Kind::Decision), &known, |r| {
        (r.label.as_ref(), &r.sources)
    });
    each(v, &d.action_items, at(Kind::ActionItem), &known, |r| {
        (r.label.as_ref(), &r.sources)
    });
    each(v, &d.engagements, at(Kind::Engagement), &known, |r| {
        (r.label.as_ref(), &r.sources)
    });
    each(v, &d.documents, at(Kind::Document), &known, |r| {
        (r.label.as_ref(), &r.sources)
    });
    each(
        v,
        &d.capability_areas,
        at(Kind::CapabilityArea),
        &known,
        |r| (r.label.as_ref(), &r.sources),
    );
    each(v, &d.needs, at(Kind::Need), &known, |r| {
        (r.label.as_ref(), &r.sources)
    });
    each(v, &d.offers, at(Kind::Offer), &known, |r| {
        (r.label.as_ref(), &r.sources)
    });
    each(v, &d.instruments, at(Kind::Instrument), &known, |r| {
        (r.label.as_ref(), &r.sources)
    });

    let findings = rules::across(d)
        .into_iter()
        .chain(rules::check_change(existing, d));
    for f in findings {
        report(v, &flat, &f);
    }
}

/// Reports a finding about the `f.index`th merged record of its kind where that record came
/// from.
fn report(v: &mut Validator<'_>, flat: &Flat, f: &Finding) {
    let origin = flat
        .at
        .get(&f.kind)
        .and_then(|a| a.get(f.index))
        .copied()
        .flatten();
    let d = &flat.data;
    let field = Some(f.field.as_str());
    let msg = f.message.clone();
    match f.kind {
        Kind::Body => d
            .bodies
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        Kind::Meeting => d
            .meetings
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        Kind::Minutes => d
            .minutes
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        Kind::Proposal => d
            .proposals
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        Kind::Decision => d
            .decisions
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        Kind::ActionItem => d
            .action_items
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        Kind::Engagement => d
            .engagements
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        Kind::Document => d
            .documents
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        Kind::CapabilityArea => d
            .capability_areas
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        Kind::Need => d
            .needs
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        Kind::Offer => d
            .offers
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        Kind::Instrument => d
            .instruments
            .get(f.index)
            .map(|r| v.problem((r, origin), field, msg)),
        _ => None,
    };
}
