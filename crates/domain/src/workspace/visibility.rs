//! What a reader may see of the workspace (called by [`crate::visible`] once the registry's
//! records are filtered).
//!
//! A record is hidden when its own label is not satisfied or when a record it stands on is
//! hidden: a meeting of a hidden body, minutes or a decision of a hidden meeting, a correction
//! of hidden minutes, a proposal of a hidden body or sponsor, an action item whose owner,
//! decision or proposal is hidden. Nested entries naming hidden records are dropped instead:
//! members, co-chairs and secretariat of a body, participants of a meeting or engagement,
//! comments on minutes, proposals a decision settles; an agenda item keeps its place but not
//! its link to a hidden proposal, and a history step its day and state but not a hidden person
//! or meeting (the proposal's history stays whole). An engagement is between at least two
//! people: one left with fewer visible participants is hidden. Draft minutes are seen only by
//! readers who [`Reader::sees_drafts`] (the secretariat and operator tooling).

use std::collections::HashSet;

use crate::label::{Label, Reader};
use crate::model::Dataset;
use crate::workspace::MinutesStatus;

/// Filters `data`'s workspace in place. `can` is the label rule; `orgs` and `people` are the
/// organizations and people the reader sees.
pub(crate) fn retain(
    data: &mut Dataset,
    reader: &Reader,
    can: &dyn Fn(Option<&Label>) -> bool,
    orgs: &HashSet<String>,
    people: &HashSet<String>,
) {
    data.documents.retain(|d| can(d.label.as_ref()));
    for d in &mut data.documents {
        d.issuers.retain(|o| orgs.contains(o));
    }
    let documents = ids(data.documents.iter().map(|d| &d.id));

    data.bodies.retain(|b| can(b.label.as_ref()));
    for b in &mut data.bodies {
        b.members.retain(|o| orgs.contains(o));
        b.secretariat.retain(|o| orgs.contains(o));
        b.co_chairs.retain(|p| people.contains(p));
    }
    let bodies = ids(data.bodies.iter().map(|b| &b.id));

    data.meetings
        .retain(|m| can(m.label.as_ref()) && m.body.as_ref().is_none_or(|b| bodies.contains(b)));
    data.proposals.retain(|p| {
        can(p.label.as_ref())
            && p.body.as_ref().is_none_or(|b| bodies.contains(b))
            && p.sponsor.as_ref().is_none_or(|o| orgs.contains(o))
    });
    let meetings = ids(data.meetings.iter().map(|m| &m.id));
    let proposals = ids(data.proposals.iter().map(|p| &p.id));
    for m in &mut data.meetings {
        m.participants.retain(|p| people.contains(&p.person));
        for item in &mut m.agenda {
            if item
                .proposal
                .as_ref()
                .is_some_and(|p| !proposals.contains(p))
            {
                item.proposal = None;
            }
        }
    }
    for p in &mut data.proposals {
        p.documents.retain(|d| documents.contains(d));
        for step in &mut p.history {
            if step.by.as_ref().is_some_and(|b| !people.contains(b)) {
                step.by = None;
            }
            if step.meeting.as_ref().is_some_and(|m| !meetings.contains(m)) {
                step.meeting = None;
            }
        }
    }

    let drafts = reader.sees_drafts();
    // A correction names minutes of a lower version: deciding in version order decides the
    // corrected minutes first.
    let mut order: Vec<usize> = (0..data.minutes.len()).collect();
    order.sort_by_key(|&i| data.minutes[i].version);
    let mut seen_minutes: HashSet<String> = HashSet::new();
    let mut keep = vec![false; data.minutes.len()];
    for i in order {
        let m = &data.minutes[i];
        if can(m.label.as_ref())
            && meetings.contains(&m.meeting)
            && (drafts || m.status != MinutesStatus::Draft)
            && m.corrects.as_ref().is_none_or(|c| seen_minutes.contains(c))
        {
            keep[i] = true;
            seen_minutes.insert(m.id.clone());
        }
    }
    let mut k = keep.into_iter();
    data.minutes.retain(|_| k.next().unwrap_or(false));
    for m in &mut data.minutes {
        m.comments.retain(|c| people.contains(&c.person));
    }

    data.decisions
        .retain(|d| can(d.label.as_ref()) && meetings.contains(&d.meeting));
    for d in &mut data.decisions {
        d.proposals.retain(|p| proposals.contains(p));
    }
    let decisions = ids(data.decisions.iter().map(|d| &d.id));

    data.action_items.retain(|a| {
        can(a.label.as_ref())
            && a.owner.person.as_ref().is_none_or(|p| people.contains(p))
            && a.owner
                .organization
                .as_ref()
                .is_none_or(|o| orgs.contains(o))
            && a.decision.as_ref().is_none_or(|d| decisions.contains(d))
            && a.proposal.as_ref().is_none_or(|p| proposals.contains(p))
    });

    data.engagements.retain(|e| can(e.label.as_ref()));
    for e in &mut data.engagements {
        e.participants.retain(|p| people.contains(p));
    }
    data.engagements.retain(|e| e.participants.len() >= 2);
}

fn ids<'a>(it: impl Iterator<Item = &'a String>) -> HashSet<String> {
    it.cloned().collect()
}
