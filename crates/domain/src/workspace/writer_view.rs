//! Writes to workspace records by someone who sees them only in part (see
//! `workspace::visibility`): what the writer cannot see is put back from the stored record, so
//! a writer neither sees nor removes it. Entries dropped from a list (participants, members,
//! co-chairs, secretariat, comments, a decision's proposals) are appended again; links left
//! out of an agenda item or a history step are restored where the writer kept the item or step
//! at its place (same title, same state and day) and did not give a link of their own.

use crate::model::Dataset;

/// Puts back into `changes` what `full` (stored) holds and `view` (the writer's) lacks. Every
/// array is in canonical order (by id).
pub(crate) fn keep_hidden_entries(changes: &mut Dataset, full: &Dataset, view: &Dataset) {
    for b in &mut changes.bodies {
        if let Some((stored, seen)) = pair(&full.bodies, &view.bodies, &b.id, |x| &x.id) {
            restore(&mut b.members, &stored.members, &seen.members);
            restore(&mut b.secretariat, &stored.secretariat, &seen.secretariat);
            restore(&mut b.co_chairs, &stored.co_chairs, &seen.co_chairs);
        }
    }
    for m in &mut changes.meetings {
        if let Some((stored, seen)) = pair(&full.meetings, &view.meetings, &m.id, |x| &x.id) {
            let mut extra: Vec<_> = stored
                .participants
                .iter()
                .filter(|p| !seen.participants.iter().any(|s| s.person == p.person))
                .filter(|p| !m.participants.iter().any(|s| s.person == p.person))
                .cloned()
                .collect();
            m.participants.append(&mut extra);
            for (i, item) in m.agenda.iter_mut().enumerate() {
                let (Some(was), Some(saw)) = (stored.agenda.get(i), seen.agenda.get(i)) else {
                    continue;
                };
                if item.proposal.is_none() && saw.proposal.is_none() && was.title == item.title {
                    item.proposal.clone_from(&was.proposal);
                }
            }
        }
    }
    for p in &mut changes.proposals {
        if let Some((stored, seen)) = pair(&full.proposals, &view.proposals, &p.id, |x| &x.id) {
            for (i, step) in p.history.iter_mut().enumerate() {
                let (Some(was), Some(saw)) = (stored.history.get(i), seen.history.get(i)) else {
                    continue;
                };
                if step.status != was.status || step.on != was.on {
                    continue;
                }
                if step.by.is_none() && saw.by.is_none() {
                    step.by.clone_from(&was.by);
                }
                if step.meeting.is_none() && saw.meeting.is_none() {
                    step.meeting.clone_from(&was.meeting);
                }
            }
        }
    }
    for m in &mut changes.minutes {
        if let Some((stored, seen)) = pair(&full.minutes, &view.minutes, &m.id, |x| &x.id) {
            let mut extra: Vec<_> = stored
                .comments
                .iter()
                .filter(|c| !seen.comments.contains(c) && !m.comments.contains(c))
                .cloned()
                .collect();
            m.comments.append(&mut extra);
        }
    }
    for d in &mut changes.decisions {
        if let Some((stored, seen)) = pair(&full.decisions, &view.decisions, &d.id, |x| &x.id) {
            restore(&mut d.proposals, &stored.proposals, &seen.proposals);
        }
    }
    for d in &mut changes.documents {
        if let Some((stored, seen)) = pair(&full.documents, &view.documents, &d.id, |x| &x.id) {
            restore(&mut d.issuers, &stored.issuers, &seen.issuers);
        }
    }
    for p in &mut changes.proposals {
        if let Some((stored, seen)) = pair(&full.proposals, &view.proposals, &p.id, |x| &x.id) {
            restore(&mut p.documents, &stored.documents, &seen.documents);
        }
    }
    for x in &mut changes.needs {
        if let Some((stored, seen)) = pair(&full.needs, &view.needs, &x.id, |x| &x.id) {
            restore(&mut x.systems, &stored.systems, &seen.systems);
            restore(&mut x.standards, &stored.standards, &seen.standards);
        }
    }
    for x in &mut changes.offers {
        if let Some((stored, seen)) = pair(&full.offers, &view.offers, &x.id, |x| &x.id) {
            restore(&mut x.systems, &stored.systems, &seen.systems);
            restore(&mut x.standards, &stored.standards, &seen.standards);
        }
    }
    for e in &mut changes.engagements {
        if let Some((stored, seen)) = pair(&full.engagements, &view.engagements, &e.id, |x| &x.id) {
            restore(
                &mut e.participants,
                &stored.participants,
                &seen.participants,
            );
        }
    }
}

/// The stored record keyed `key` and the writer's view of it, when both exist.
fn pair<'a, T>(
    full: &'a [T],
    view: &'a [T],
    key: &str,
    id: impl Fn(&T) -> &String,
) -> Option<(&'a T, &'a T)> {
    let find = |records: &'a [T]| {
        records
            .binary_search_by(|x| id(x).as_str().cmp(key))
            .ok()
            .map(|i| &records[i])
    };
    Some((find(full)?, find(view)?))
}

/// Appends to `out` the entries `stored` has, `seen` lacks and `out` does not hold already.
fn restore(out: &mut Vec<String>, stored: &[String], seen: &[String]) {
    for s in stored {
        if !seen.contains(s) && !out.contains(s) {
            out.push(s.clone());
        }
    }
}
