//! Writes by someone who may not see everything. An import by such a writer is validated
//! against the writer's own view of the registry (so its messages and counts say nothing of
//! records it cannot see), may not overwrite a record it cannot see, and keeps the nested
//! entries of a record that name hidden records (a system's operators, a bloc's members, a
//! standard's covered standards, a profile's sub-profiles and obligations), exactly as a label
//! write does.

use crate::import::Problem;
use crate::model::{Dataset, Keyed};

/// Problems for incoming records whose key is taken by a record the writer cannot see. The
/// message says only that the key cannot be used: the writer learns that much (two records
/// cannot share a key), and nothing else about the hidden one.
pub fn hidden_targets(incoming: &Dataset, full: &Dataset, view: &Dataset) -> Vec<Problem> {
    let mut problems = Vec::new();
    fn check<T: Keyed>(incoming: &[T], full: &[T], view: &[T], problems: &mut Vec<Problem>) {
        for r in incoming {
            let key = r.key();
            let stored = full.binary_search_by(|x| x.key().cmp(&key)).is_ok();
            let seen = view.binary_search_by(|x| x.key().cmp(&key)).is_ok();
            if stored && !seen {
                problems.push(Problem::new(
                    format!("{} \"{}\"", T::KIND.noun(), r.key_text()),
                    "this key cannot be used (choose another)",
                ));
            }
        }
    }
    check(
        &incoming.nations,
        &full.nations,
        &view.nations,
        &mut problems,
    );
    check(&incoming.blocs, &full.blocs, &view.blocs, &mut problems);
    check(
        &incoming.organizations,
        &full.organizations,
        &view.organizations,
        &mut problems,
    );
    check(&incoming.people, &full.people, &view.people, &mut problems);
    check(
        &incoming.domains,
        &full.domains,
        &view.domains,
        &mut problems,
    );
    check(
        &incoming.standards,
        &full.standards,
        &view.standards,
        &mut problems,
    );
    check(
        &incoming.profiles,
        &full.profiles,
        &view.profiles,
        &mut problems,
    );
    check(
        &incoming.systems,
        &full.systems,
        &view.systems,
        &mut problems,
    );
    check(
        &incoming.conformances,
        &full.conformances,
        &view.conformances,
        &mut problems,
    );
    check(
        &incoming.gateways,
        &full.gateways,
        &view.gateways,
        &mut problems,
    );
    check(
        &incoming.transfers,
        &full.transfers,
        &view.transfers,
        &mut problems,
    );
    check(&incoming.bodies, &full.bodies, &view.bodies, &mut problems);
    check(
        &incoming.meetings,
        &full.meetings,
        &view.meetings,
        &mut problems,
    );
    check(
        &incoming.minutes,
        &full.minutes,
        &view.minutes,
        &mut problems,
    );
    check(
        &incoming.proposals,
        &full.proposals,
        &view.proposals,
        &mut problems,
    );
    check(
        &incoming.decisions,
        &full.decisions,
        &view.decisions,
        &mut problems,
    );
    check(
        &incoming.action_items,
        &full.action_items,
        &view.action_items,
        &mut problems,
    );
    check(
        &incoming.engagements,
        &full.engagements,
        &view.engagements,
        &mut problems,
    );
    check(
        &incoming.documents,
        &full.documents,
        &view.documents,
        &mut problems,
    );
    check(
        &incoming.capability_areas,
        &full.capability_areas,
        &view.capability_areas,
        &mut problems,
    );
    check(&incoming.needs, &full.needs, &view.needs, &mut problems);
    check(&incoming.offers, &full.offers, &view.offers, &mut problems);
    check(
        &incoming.instruments,
        &full.instruments,
        &view.instruments,
        &mut problems,
    );
    problems
}

/// Puts back, into the records a writer is about to write (`changes`), the nested entries the
/// stored record has and the writer's view of it lacks: entries naming records the writer
/// cannot see. The writer can neither see nor remove them. Every array is in canonical order.
pub fn keep_hidden_entries(changes: &mut Dataset, full: &Dataset, view: &Dataset) {
    fn lookup<'a, T>(records: &'a [T], key: &str, id: impl Fn(&T) -> &str) -> Option<&'a T> {
        records
            .binary_search_by(|x| id(x).cmp(key))
            .ok()
            .map(|i| &records[i])
    }
    /// Entries of `stored` that `seen` lacks, by `key`, appended to `out`.
    fn restore<E: Clone, K: PartialEq>(
        out: &mut Vec<E>,
        stored: &[E],
        seen: &[E],
        key: impl Fn(&E) -> K,
    ) {
        for e in stored {
            let k = key(e);
            if !seen.iter().any(|s| key(s) == k) {
                out.push(e.clone());
            }
        }
    }
    for b in &mut changes.blocs {
        let key = b.code.clone();
        fn code(x: &crate::model::Bloc) -> &str {
            &x.code
        }
        if let (Some(stored), Some(seen)) = (
            lookup(&full.blocs, &key, code),
            lookup(&view.blocs, &key, code),
        ) {
            let mut extra = Vec::new();
            restore(&mut extra, &stored.members, &seen.members, |m| {
                m.nation.clone()
            });
            b.members.extend(extra);
            b.members.sort_by(|x, y| x.nation.cmp(&y.nation));
        }
    }
    for s in &mut changes.systems {
        let key = s.id.clone();
        fn id(x: &crate::model::System) -> &str {
            &x.id
        }
        if let (Some(stored), Some(seen)) = (
            lookup(&full.systems, &key, id),
            lookup(&view.systems, &key, id),
        ) {
            let mut extra = Vec::new();
            restore(&mut extra, &stored.operators, &seen.operators, |o| {
                o.nation.clone()
            });
            s.operators.extend(extra);
            s.operators.sort_by(|x, y| x.nation.cmp(&y.nation));
        }
    }
    for s in &mut changes.standards {
        let key = s.id.clone();
        fn id(x: &crate::model::Standard) -> &str {
            &x.id
        }
        if let (Some(stored), Some(seen)) = (
            lookup(&full.standards, &key, id),
            lookup(&view.standards, &key, id),
        ) {
            let mut extra = Vec::new();
            restore(&mut extra, &stored.covers, &seen.covers, |c| c.clone());
            s.covers.extend(extra);
            s.covers.sort();
        }
    }
    for p in &mut changes.profiles {
        let key = p.id.clone();
        fn id(x: &crate::model::Profile) -> &str {
            &x.id
        }
        if let (Some(stored), Some(seen)) = (
            lookup(&full.profiles, &key, id),
            lookup(&view.profiles, &key, id),
        ) {
            let mut subs = Vec::new();
            restore(&mut subs, &stored.subprofiles, &seen.subprofiles, |c| {
                c.clone()
            });
            p.subprofiles.extend(subs);
            p.subprofiles.sort();
            let mut obligations = Vec::new();
            restore(
                &mut obligations,
                &stored.obligations,
                &seen.obligations,
                |o| o.standard.clone(),
            );
            p.obligations.extend(obligations);
            p.obligations.sort_by(|x, y| x.standard.cmp(&y.standard));
        }
    }
    crate::workspace::writer_view::keep_hidden_entries(changes, full, view);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;
    use crate::label::{Clearance, Reader};
    use crate::visible;

    const DATA: &str = r#"{"format": "defcoop-dataset", "version": 1,
      "policies": [{"id": "P", "classifications": ["PUBLIC", "SECRET"]}],
      "nations": [{"code": "KOR", "name": "Korea"}, {"code": "POL", "name": "Poland"},
                  {"code": "ZZZ", "name": "Hidden", "label": {"policy": "P", "classification": "SECRET"}}],
      "blocs": [{"code": "B", "name": "Bloc", "members": [{"nation": "KOR"}, {"nation": "ZZZ"}]}],
      "systems": [{"id": "s", "name": "S", "category": "c", "origin": "KOR",
                   "operators": [{"nation": "POL"}, {"nation": "ZZZ", "quantity": 3}]},
                  {"id": "h", "name": "H", "category": "c", "origin": "ZZZ"}]}"#;

    /// In canonical order, as the store holds it.
    fn data() -> Dataset {
        let mut d = json::parse(DATA.as_bytes()).unwrap().data;
        d.normalize();
        d
    }

    #[test]
    fn a_hidden_key_cannot_be_written_and_the_message_says_nothing_more() {
        let full = data();
        let view = visible(full.clone(), &Reader::Cleared(Clearance::default()));
        let incoming = Dataset {
            systems: full.systems.clone(),
            nations: vec![full.nations[2].clone()],
            ..Dataset::default()
        };
        let p = hidden_targets(&incoming, &full, &view);
        let shown: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            shown,
            [
                "nation \"ZZZ\": this key cannot be used (choose another)",
                "system \"h\": this key cannot be used (choose another)"
            ]
        );
        assert!(hidden_targets(&incoming, &full, &full).is_empty());
    }

    #[test]
    fn entries_naming_hidden_records_survive_a_write() {
        let full = data();
        let view = visible(full.clone(), &Reader::Cleared(Clearance::default()));
        assert_eq!(view.systems[0].operators.len(), 1, "ZZZ is hidden");
        let mut s = view.systems[0].clone();
        assert_eq!(s.id, "s");
        s.name = "S renamed".into();
        s.operators.clear(); // the writer removes POL; it cannot remove ZZZ
        let mut b = view.blocs[0].clone();
        b.members.retain(|m| m.nation != "KOR");
        let mut changes = Dataset {
            systems: vec![s],
            blocs: vec![b],
            ..Dataset::default()
        };
        keep_hidden_entries(&mut changes, &full, &view);
        let ops: Vec<(&str, Option<u32>)> = changes.systems[0]
            .operators
            .iter()
            .map(|o| (o.nation.as_str(), o.quantity))
            .collect();
        assert_eq!(ops, [("ZZZ", Some(3))]);
        assert_eq!(changes.systems[0].name, "S renamed");
        let members: Vec<&str> = changes.blocs[0]
            .members
            .iter()
            .map(|m| m.nation.as_str())
            .collect();
        assert_eq!(members, ["ZZZ"]);
    }
}
