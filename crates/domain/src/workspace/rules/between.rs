//! The rules between records: minutes and decisions of held meetings, corrections,
//! agenda positions, plan actions ([`across`]); and between a stored record and its next
//! version ([`check_change`]).

use std::collections::{HashMap, HashSet};

use super::*;
use crate::import::Problem;
use crate::model::Dataset;

/// A rule a record breaks, found between records: which record (its kind and position in its
/// array of the dataset given), which field, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub index: usize,
    pub field: String,
    pub message: String,
}

fn finding(kind: Kind, index: usize, field: &str, message: impl Into<String>) -> Finding {
    Finding {
        kind,
        index,
        field: field.to_string(),
        message: message.into(),
    }
}

impl Finding {
    /// As a problem located in a dataset file: `$.minutes[2].status`.
    pub fn problem(&self) -> Problem {
        Problem::new(at(self.kind, self.index, &self.field), self.message.clone())
    }
}

fn at(kind: Kind, i: usize, field: &str) -> String {
    format!("$.{}[{i}].{field}", kind.array())
}

/// Every rule of the workspace in `data`: each record's own, its references (`known` says
/// whether a record of the registry — a person, an organization — exists; workspace records
/// are looked up in `data`), ids unique per array, and the rules between records. Located as
/// in a dataset file. (An import checks the same through [`crate::plan_import`].)
pub fn check(data: &Dataset, known: impl Fn(Kind, &str) -> bool) -> Vec<Problem> {
    let mut out = Vec::new();
    let ids = Ids::of(data);
    fn each<R: Record>(
        records: &[R],
        ids: &Ids,
        known: &dyn Fn(Kind, &str) -> bool,
        out: &mut Vec<Problem>,
    ) {
        let mut seen = HashSet::new();
        for (i, r) in records.iter().enumerate() {
            if !seen.insert(r.id()) {
                out.push(Problem::new(
                    at(R::KIND, i, "id"),
                    format!("id \"{}\" is used twice in {}", r.id(), R::KIND.array()),
                ));
            }
            for e in r.issues() {
                out.push(Problem::new(at(R::KIND, i, &e.field), e.message));
            }
            for f in r.refs() {
                let exists = if f.to.is_document() {
                    ids.has(f.to, &f.id)
                } else {
                    known(f.to, &f.id)
                };
                if !exists {
                    out.push(Problem::new(
                        at(R::KIND, i, &f.field),
                        format!("unknown {} \"{}\"", f.to.noun(), f.id),
                    ));
                }
            }
        }
    }
    each(&data.bodies, &ids, &known, &mut out);
    each(&data.meetings, &ids, &known, &mut out);
    each(&data.minutes, &ids, &known, &mut out);
    each(&data.proposals, &ids, &known, &mut out);
    each(&data.decisions, &ids, &known, &mut out);
    each(&data.action_items, &ids, &known, &mut out);
    each(&data.engagements, &ids, &known, &mut out);
    each(&data.documents, &ids, &known, &mut out);
    each(&data.capability_areas, &ids, &known, &mut out);
    each(&data.needs, &ids, &known, &mut out);
    each(&data.offers, &ids, &known, &mut out);
    each(&data.instruments, &ids, &known, &mut out);
    out.extend(across(data).iter().map(Finding::problem));
    out
}

/// The ids of the workspace's records, per kind.
struct Ids<'a>(HashMap<Kind, HashSet<&'a str>>);

impl<'a> Ids<'a> {
    fn of(data: &'a Dataset) -> Ids<'a> {
        fn ids<T: Record>(records: &[T]) -> (Kind, HashSet<&str>) {
            (T::KIND, records.iter().map(|r| r.id()).collect())
        }
        Ids(HashMap::from([
            ids(&data.bodies),
            ids(&data.meetings),
            ids(&data.minutes),
            ids(&data.proposals),
            ids(&data.decisions),
            ids(&data.action_items),
            ids(&data.engagements),
            ids(&data.documents),
            ids(&data.capability_areas),
            ids(&data.needs),
            ids(&data.offers),
            ids(&data.instruments),
        ]))
    }

    fn has(&self, kind: Kind, id: &str) -> bool {
        self.0.get(&kind).is_some_and(|s| s.contains(id))
    }
}

/// The rules between records of one workspace (references that do not resolve are reported by
/// [`check`] and skipped here).
pub fn across(ws: &Dataset) -> Vec<Finding> {
    let mut out = Vec::new();
    let meetings: HashMap<&str, &Meeting> =
        ws.meetings.iter().map(|m| (m.id.as_str(), m)).collect();
    let minutes: HashMap<&str, &Minutes> = ws.minutes.iter().map(|m| (m.id.as_str(), m)).collect();
    let proposals: HashMap<&str, &Proposal> =
        ws.proposals.iter().map(|p| (p.id.as_str(), p)).collect();
    let held = |id: &str| meetings.get(id).map(|m| m.status == MeetingStatus::Held);

    for (i, m) in ws.minutes.iter().enumerate() {
        if m.status != MinutesStatus::Draft && held(&m.meeting) == Some(false) {
            out.push(finding(
                Kind::Minutes,
                i,
                "status",
                format!(
                    "meeting \"{}\" has not been held: its minutes stay a draft until it is",
                    m.meeting
                ),
            ));
        }
        if let Some(c) = m.corrects.as_deref().and_then(|c| minutes.get(c)) {
            if c.status != MinutesStatus::Approved {
                out.push(finding(
                Kind::Minutes,
                i,
                "corrects",
                    format!(
                        "minutes \"{}\" are {}, not approved: change them instead of correcting them",
                        c.id,
                        c.status.as_str()
                    ),
                ));
            }
            if c.meeting != m.meeting {
                out.push(finding(
                    Kind::Minutes,
                    i,
                    "corrects",
                    format!(
                        "minutes \"{}\" are of meeting \"{}\", not \"{}\"",
                        c.id, c.meeting, m.meeting
                    ),
                ));
            }
            if m.version != c.version + 1 {
                out.push(finding(
                    Kind::Minutes,
                    i,
                    "version",
                    format!(
                        "a correction of version {} is version {}",
                        c.version,
                        c.version + 1
                    ),
                ));
            }
        }
    }
    let mut versions = HashSet::new();
    for (i, m) in ws.minutes.iter().enumerate() {
        if !versions.insert((m.meeting.as_str(), m.version)) {
            out.push(finding(
                Kind::Minutes,
                i,
                "version",
                format!(
                    "meeting \"{}\" has another version {} of its minutes",
                    m.meeting, m.version
                ),
            ));
        }
    }
    for (i, d) in ws.decisions.iter().enumerate() {
        let Some(meeting) = meetings.get(d.meeting.as_str()) else {
            continue;
        };
        if meeting.status != MeetingStatus::Held {
            out.push(finding(
                Kind::Decision,
                i,
                "meeting",
                format!(
                    "meeting \"{}\" is {}: decisions are taken at a held meeting",
                    meeting.id,
                    meeting.status.as_str()
                ),
            ));
        }
        for (j, n) in d.agenda_items.iter().enumerate() {
            if *n as usize > meeting.agenda.len() {
                out.push(finding(
                    Kind::Decision,
                    i,
                    &format!("agenda_items[{j}]"),
                    format!(
                        "meeting \"{}\" has {} agenda item(s); there is no item {n}",
                        meeting.id,
                        meeting.agenda.len()
                    ),
                ));
            }
        }
    }
    for (i, a) in ws.action_items.iter().enumerate() {
        let (Some(action), Some(p)) = (
            &a.plan_action,
            a.proposal.as_deref().and_then(|p| proposals.get(p)),
        ) else {
            continue;
        };
        let in_plan = p
            .plan
            .as_ref()
            .is_some_and(|plan| plan.items.iter().any(|item| item.action == *action));
        if !in_plan {
            out.push(finding(
                Kind::ActionItem,
                i,
                "plan_action",
                format!("proposal \"{}\" has no plan action \"{action}\"", p.id),
            ));
        }
    }
    out
}

/// The rules between the stored workspace and the next one: approved minutes are frozen (a
/// correction is a new record), minutes move forward only, a proposal's history only grows,
/// a held meeting stays held.
pub fn check_change(old: &Dataset, new: &Dataset) -> Vec<Finding> {
    let mut out = Vec::new();
    let before: HashMap<&str, &Minutes> = old.minutes.iter().map(|m| (m.id.as_str(), m)).collect();
    for (i, m) in new.minutes.iter().enumerate() {
        let Some(was) = before.get(m.id.as_str()) else {
            continue;
        };
        if was.status == MinutesStatus::Approved && *was != m {
            out.push(finding(
                Kind::Minutes,
                i,
                "text",
                format!(
                    "minutes \"{}\" are approved and frozen: write a correction (new minutes \
                     with \"corrects\": \"{}\" and version {})",
                    m.id,
                    m.id,
                    was.version + 1
                ),
            ));
        } else if m.status < was.status {
            out.push(finding(
                Kind::Minutes,
                i,
                "status",
                format!(
                    "minutes move forward only (draft, circulated, approved): \"{}\" are {}",
                    m.id,
                    was.status.as_str()
                ),
            ));
        }
    }
    let proposals: HashMap<&str, &Proposal> =
        old.proposals.iter().map(|p| (p.id.as_str(), p)).collect();
    for (i, p) in new.proposals.iter().enumerate() {
        let Some(was) = proposals.get(p.id.as_str()) else {
            continue;
        };
        if !p.history.starts_with(&was.history) {
            out.push(finding(
                Kind::Proposal,
                i,
                "history",
                format!(
                    "a proposal's history only grows: keep its {} recorded step(s) as they are \
                     and add the new ones after them",
                    was.history.len()
                ),
            ));
        }
    }
    let meetings: HashMap<&str, &Meeting> =
        old.meetings.iter().map(|m| (m.id.as_str(), m)).collect();
    for (i, m) in new.meetings.iter().enumerate() {
        if meetings
            .get(m.id.as_str())
            .is_some_and(|was| was.status == MeetingStatus::Held && m.status != MeetingStatus::Held)
        {
            out.push(finding(
                Kind::Meeting,
                i,
                "status",
                format!("meeting \"{}\" has been held; it stays held", m.id),
            ));
        }
    }
    out
}

/// Which plan actions of agreed proposals have no action item yet: what agreeing a tabled plan
/// turns into work (`(proposal, action)` pairs, in the plan's order).
pub fn unassigned_plan_actions(ws: &Dataset) -> Vec<(&str, &str)> {
    let assigned: HashSet<(&str, &str)> = ws
        .action_items
        .iter()
        .filter_map(|a| Some((a.proposal.as_deref()?, a.plan_action.as_deref()?)))
        .collect();
    let mut out = Vec::new();
    for p in &ws.proposals {
        if p.status != ProposalStatus::Agreed {
            continue;
        }
        for item in p.plan.iter().flat_map(|plan| &plan.items) {
            let pair = (p.id.as_str(), item.action.as_str());
            if !assigned.contains(&pair) {
                out.push(pair);
            }
        }
    }
    out
}
