//! The workspace's rules, in three layers:
//!
//! - each record on its own ([`Record::issues`]): times that exist in their zone, the end
//!   after the start, a held meeting with an outcome for every agenda item, a proposal history
//!   made of legal transitions ending in its status, votes only for a vote, one owner per
//!   action item, ...;
//! - what each record names ([`Record::refs`]): people, organizations and workspace records
//!   that must exist (checked by the caller, who knows what the writer may see);
//! - between records ([`across`]): minutes and decisions of held meetings, a correction of
//!   approved minutes of the same meeting, agenda positions that exist, plan actions that the
//!   proposal's plan holds; and between a stored record and its next version
//!   ([`check_change`]): approved minutes are frozen, a proposal's history only grows, a held
//!   meeting stays held.
//!
//! Every finding names the field it is about, so the dataset importer can report
//! `$.meetings[2].end: ...`.

use std::collections::{HashMap, HashSet};

use super::time;
use super::*;
use crate::import::Problem;

/// A rule a record breaks: the field (`agenda[2].outcome`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub field: String,
    pub message: String,
}

fn issue(field: impl Into<String>, message: impl Into<String>) -> Issue {
    Issue {
        field: field.into(),
        message: message.into(),
    }
}

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Person,
    Organization,
    Body,
    Meeting,
    Minutes,
    Proposal,
    Decision,
}

impl Target {
    pub fn noun(self) -> &'static str {
        match self {
            Target::Person => "person",
            Target::Organization => "organization",
            Target::Body => "body",
            Target::Meeting => "meeting",
            Target::Minutes => "minutes",
            Target::Proposal => "proposal",
            Target::Decision => "decision",
        }
    }
}

/// A record named by a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub field: String,
    pub to: Target,
    pub id: String,
}

fn reference(field: impl Into<String>, to: Target, id: &str) -> Ref {
    Ref {
        field: field.into(),
        to,
        id: id.to_string(),
    }
}

/// Most agenda items, participants, comments, history steps or plan items one record holds.
pub const MAX_ITEMS: usize = 1_000;
/// The longest minutes text, in bytes.
pub const MAX_TEXT: usize = 1 << 20;
/// The longest a meeting may last.
const MAX_DAYS: i64 = 31;

pub trait Record {
    /// The array of the dataset file holding this kind of record.
    const ARRAY: &'static str;
    fn id(&self) -> &str;
    /// The rules this record breaks on its own.
    fn issues(&self) -> Vec<Issue>;
    /// The records it names.
    fn refs(&self) -> Vec<Ref>;
}

/// Common checks: a non-empty id of letters, digits, `-`, `_` and `.`, non-empty texts.
fn id_issues(id: &str, out: &mut Vec<Issue>) {
    if id.trim().is_empty() {
        out.push(issue("id", "give an id (letters, digits, '-', '_' or '.')"));
    } else if id.len() > 200
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        out.push(issue(
            "id",
            format!(
                "\"{}\" is not an id: use letters, digits, '-', '_' or '.' (at most 200)",
                id.chars().take(60).collect::<String>()
            ),
        ));
    }
}

fn text_issue(field: &str, value: &str, out: &mut Vec<Issue>) {
    if value.trim().is_empty() {
        out.push(issue(field, "must not be empty"));
    } else if value.len() > 10_000 {
        out.push(issue(field, "is longer than 10,000 bytes"));
    }
}

fn count_issue(field: &str, n: usize, out: &mut Vec<Issue>) {
    if n > MAX_ITEMS {
        out.push(issue(
            field,
            format!("holds {n} entries; at most {MAX_ITEMS}"),
        ));
    }
}

fn day_issue(field: &str, value: &str, out: &mut Vec<Issue>) {
    if crate::day::Day::parse(value.trim()).is_none() {
        out.push(issue(
            field,
            format!(
                "\"{}\" is not a date (YYYY-MM-DD)",
                value.chars().take(40).collect::<String>()
            ),
        ));
    }
}

fn web_url_issue(field: &str, value: &str, out: &mut Vec<Issue>) {
    let v = value.trim();
    if !(v.starts_with("https://") || v.starts_with("http://")) || v.contains(char::is_whitespace) {
        out.push(issue(field, "must be an http or https address"));
    }
}

/// The start and end of an event in its zone: both must exist, the end come after the start.
fn span_issues(start: &str, end: Option<&str>, zone: &str, out: &mut Vec<Issue>) {
    if let Err(e) = time::zone(zone) {
        out.push(issue("time_zone", e));
        return;
    }
    let from = time::instant(start, zone).map_err(|e| out.push(issue("start", e)));
    let Some(end) = end else { return };
    let to = time::instant(end, zone).map_err(|e| out.push(issue("end", e)));
    if let (Ok(from), Ok(to)) = (from, to) {
        let seconds = time::epoch_seconds(&to) - time::epoch_seconds(&from);
        if seconds <= 0 {
            out.push(issue(
                "end",
                format!("{} is not after the start ({})", end.trim(), start.trim()),
            ));
        } else if seconds > MAX_DAYS * 86_400 {
            out.push(issue(
                "end",
                format!("is more than {MAX_DAYS} days after the start"),
            ));
        }
    }
}

fn duplicates<'a>(
    field: &str,
    values: impl Iterator<Item = &'a str>,
    what: &str,
    out: &mut Vec<Issue>,
) {
    let mut seen = HashSet::new();
    for (i, v) in values.enumerate() {
        if !seen.insert(v) {
            out.push(issue(
                format!("{field}[{i}]"),
                format!("{what} \"{v}\" listed twice"),
            ));
        }
    }
}

impl Record for Body {
    const ARRAY: &'static str = "bodies";
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("name", &self.name, &mut out);
        for (field, list, what) in [
            ("members", &self.members, "organization"),
            ("co_chairs", &self.co_chairs, "person"),
            ("secretariat", &self.secretariat, "organization"),
        ] {
            count_issue(field, list.len(), &mut out);
            duplicates(field, list.iter().map(String::as_str), what, &mut out);
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        for (i, m) in self.members.iter().enumerate() {
            out.push(reference(format!("members[{i}]"), Target::Organization, m));
        }
        for (i, p) in self.co_chairs.iter().enumerate() {
            out.push(reference(format!("co_chairs[{i}]"), Target::Person, p));
        }
        for (i, o) in self.secretariat.iter().enumerate() {
            out.push(reference(
                format!("secretariat[{i}]"),
                Target::Organization,
                o,
            ));
        }
        out
    }
}

impl Record for Meeting {
    const ARRAY: &'static str = "meetings";
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("title", &self.title, &mut out);
        span_issues(&self.start, Some(&self.end), &self.time_zone, &mut out);
        if let Some(url) = &self.online {
            web_url_issue("online", url, &mut out);
        }
        count_issue("participants", self.participants.len(), &mut out);
        duplicates(
            "participants",
            self.participants.iter().map(|p| p.person.as_str()),
            "person",
            &mut out,
        );
        count_issue("agenda", self.agenda.len(), &mut out);
        for (i, item) in self.agenda.iter().enumerate() {
            text_issue(&format!("agenda[{i}].title"), &item.title, &mut out);
            match (self.status, item.outcome) {
                (MeetingStatus::Held, None) => out.push(issue(
                    format!("agenda[{i}].outcome"),
                    format!(
                        "item {} (\"{}\") has no outcome: a meeting is closed (held) only when \
                         every agenda item has one (noted, agreed, deferred or rejected)",
                        i + 1,
                        item.title.chars().take(60).collect::<String>()
                    ),
                )),
                (MeetingStatus::Planned, Some(_)) => out.push(issue(
                    format!("agenda[{i}].outcome"),
                    "a planned meeting has no outcomes yet: record them when it is held",
                )),
                _ => {}
            }
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        if let Some(b) = &self.body {
            out.push(reference("body", Target::Body, b));
        }
        for (i, p) in self.participants.iter().enumerate() {
            out.push(reference(
                format!("participants[{i}].person"),
                Target::Person,
                &p.person,
            ));
        }
        for (i, item) in self.agenda.iter().enumerate() {
            if let Some(p) = &item.proposal {
                out.push(reference(
                    format!("agenda[{i}].proposal"),
                    Target::Proposal,
                    p,
                ));
            }
        }
        out
    }
}

impl Record for Minutes {
    const ARRAY: &'static str = "minutes";
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        if self.text.len() > MAX_TEXT {
            out.push(issue("text", format!("is longer than {MAX_TEXT} bytes")));
        }
        if self.version == 0 {
            out.push(issue("version", "starts at 1"));
        }
        match (&self.corrects, self.version) {
            (None, v) if v > 1 => out.push(issue(
                "corrects",
                format!("version {v} corrects earlier minutes: name them"),
            )),
            (Some(c), _) if *c == self.id => {
                out.push(issue("corrects", "minutes cannot correct themselves"))
            }
            _ => {}
        }
        count_issue("comments", self.comments.len(), &mut out);
        if self.status == MinutesStatus::Draft && !self.comments.is_empty() {
            out.push(issue(
                "comments",
                "draft minutes have no comments: participants comment once they are circulated",
            ));
        }
        for (i, c) in self.comments.iter().enumerate() {
            text_issue(&format!("comments[{i}].text"), &c.text, &mut out);
            if let Some(at) = &c.at {
                if let Err(e) = time::civil(at) {
                    out.push(issue(format!("comments[{i}].at"), e));
                }
            }
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = vec![reference("meeting", Target::Meeting, &self.meeting)];
        if let Some(c) = &self.corrects {
            out.push(reference("corrects", Target::Minutes, c));
        }
        for (i, c) in self.comments.iter().enumerate() {
            out.push(reference(
                format!("comments[{i}].person"),
                Target::Person,
                &c.person,
            ));
        }
        out
    }
}

/// Whether `action` has the shape of one of the engine's actions.
pub fn action_shape(action: &str) -> Result<(), String> {
    let parts: Vec<&str> = action.trim().split(':').collect();
    let ok = match parts.first() {
        Some(&"test") | Some(&"adopt") => parts.len() == 3,
        Some(&"field") => parts.len() == 2,
        Some(&"gateway") => parts.len() == 4,
        _ => false,
    } && parts.iter().all(|p| !p.trim().is_empty());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{}\" is not an action: test:SYSTEM:STANDARD, adopt:SYSTEM:STANDARD, \
             field:GATEWAY or gateway:DOMAIN:FROM:TO",
            action.chars().take(80).collect::<String>()
        ))
    }
}

impl Record for Proposal {
    const ARRAY: &'static str = "proposals";
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("title", &self.title, &mut out);
        count_issue("history", self.history.len(), &mut out);
        match self.history.first() {
            None => out.push(issue(
                "history",
                "give the proposal's history, starting with its draft",
            )),
            Some(first) if first.status != ProposalStatus::Draft => out.push(issue(
                "history[0].status",
                format!(
                    "a proposal starts as a draft, not {}",
                    first.status.as_str()
                ),
            )),
            Some(_) => {}
        }
        let mut last_day = String::new();
        for (i, step) in self.history.iter().enumerate() {
            day_issue(&format!("history[{i}].on"), &step.on, &mut out);
            if step.on.as_str() < last_day.as_str() {
                out.push(issue(
                    format!("history[{i}].on"),
                    format!("{} is before the step before it ({last_day})", step.on),
                ));
            }
            last_day = step.on.clone();
            if i > 0 {
                let from = self.history[i - 1].status;
                if !from.may_become(step.status) {
                    let allowed: Vec<&str> = from.next().iter().map(|s| s.as_str()).collect();
                    out.push(issue(
                        format!("history[{i}].status"),
                        format!(
                            "a proposal cannot go from {} to {}{}",
                            from.as_str(),
                            step.status.as_str(),
                            if allowed.is_empty() {
                                format!(" ({} is final)", from.as_str())
                            } else {
                                format!(" (from {}: {})", from.as_str(), allowed.join(", "))
                            }
                        ),
                    ));
                }
            }
        }
        if let Some(last) = self.history.last() {
            if last.status != self.status {
                out.push(issue(
                    "status",
                    format!(
                        "is {} but the history ends with {}",
                        self.status.as_str(),
                        last.status.as_str()
                    ),
                ));
            }
        }
        let decided = matches!(
            self.status,
            ProposalStatus::Agreed | ProposalStatus::Rejected
        );
        if self.method.is_some() && !decided {
            out.push(issue(
                "method",
                "only an agreed or rejected proposal has a decision method",
            ));
        }
        if let Some(v) = &self.votes {
            if self.method != Some(DecisionMethod::Vote) {
                out.push(issue(
                    "votes",
                    "votes are given only when the method is vote",
                ));
            } else if v.in_favour + v.against + v.abstain == 0 {
                out.push(issue("votes", "a vote has at least one vote"));
            } else if (self.status == ProposalStatus::Agreed) != (v.in_favour > v.against) {
                out.push(issue(
                    "votes",
                    format!(
                        "{} for and {} against do not make the proposal {}",
                        v.in_favour,
                        v.against,
                        self.status.as_str()
                    ),
                ));
            }
        }
        if let Some(plan) = &self.plan {
            if !(1..=3).contains(&plan.target) {
                out.push(issue(
                    "plan.target",
                    format!("{} is not a level (1, 2 or 3)", plan.target),
                ));
            }
            if plan.covered_after < plan.covered_before {
                out.push(issue(
                    "plan.covered_after",
                    "a plan does not cover fewer triples than before it",
                ));
            }
            if plan.items.is_empty() {
                out.push(issue("plan.items", "a tabled plan has at least one action"));
            }
            count_issue("plan.items", plan.items.len(), &mut out);
            for (i, item) in plan.items.iter().enumerate() {
                if let Err(e) = action_shape(&item.action) {
                    out.push(issue(format!("plan.items[{i}].action"), e));
                }
            }
            duplicates(
                "plan.items",
                plan.items.iter().map(|i| i.action.as_str()),
                "action",
                &mut out,
            );
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        if let Some(b) = &self.body {
            out.push(reference("body", Target::Body, b));
        }
        if let Some(s) = &self.sponsor {
            out.push(reference("sponsor", Target::Organization, s));
        }
        for (i, step) in self.history.iter().enumerate() {
            if let Some(p) = &step.by {
                out.push(reference(format!("history[{i}].by"), Target::Person, p));
            }
            if let Some(m) = &step.meeting {
                out.push(reference(
                    format!("history[{i}].meeting"),
                    Target::Meeting,
                    m,
                ));
            }
        }
        out
    }
}

impl Record for Decision {
    const ARRAY: &'static str = "decisions";
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("text", &self.text, &mut out);
        count_issue("proposals", self.proposals.len(), &mut out);
        duplicates(
            "proposals",
            self.proposals.iter().map(String::as_str),
            "proposal",
            &mut out,
        );
        for (i, n) in self.agenda_items.iter().enumerate() {
            if *n == 0 {
                out.push(issue(
                    format!("agenda_items[{i}]"),
                    "agenda items are numbered from 1",
                ));
            }
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = vec![reference("meeting", Target::Meeting, &self.meeting)];
        for (i, p) in self.proposals.iter().enumerate() {
            out.push(reference(format!("proposals[{i}]"), Target::Proposal, p));
        }
        out
    }
}

impl Record for ActionItem {
    const ARRAY: &'static str = "action_items";
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("title", &self.title, &mut out);
        day_issue("due", &self.due, &mut out);
        match (&self.owner.person, &self.owner.organization) {
            (Some(_), Some(_)) => {
                out.push(issue("owner", "give a person or an organization, not both"))
            }
            (None, None) => out.push(issue("owner", "give a person or an organization")),
            _ => {}
        }
        if let Some(a) = &self.plan_action {
            if self.proposal.is_none() {
                out.push(issue(
                    "proposal",
                    "a plan action comes from a proposal's plan: name the proposal",
                ));
            }
            if let Err(e) = action_shape(a) {
                out.push(issue("plan_action", e));
            }
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        if let Some(p) = &self.owner.person {
            out.push(reference("owner.person", Target::Person, p));
        }
        if let Some(o) = &self.owner.organization {
            out.push(reference("owner.organization", Target::Organization, o));
        }
        if let Some(d) = &self.decision {
            out.push(reference("decision", Target::Decision, d));
        }
        if let Some(p) = &self.proposal {
            out.push(reference("proposal", Target::Proposal, p));
        }
        out
    }
}

impl Record for Engagement {
    const ARRAY: &'static str = "engagements";
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("title", &self.title, &mut out);
        span_issues(&self.start, self.end.as_deref(), &self.time_zone, &mut out);
        if self.participants.len() < 2 {
            out.push(issue(
                "participants",
                "an engagement is between at least two people",
            ));
        }
        count_issue("participants", self.participants.len(), &mut out);
        duplicates(
            "participants",
            self.participants.iter().map(String::as_str),
            "person",
            &mut out,
        );
        for (field, list) in [("topics", &self.topics), ("outcomes", &self.outcomes)] {
            count_issue(field, list.len(), &mut out);
            for (i, t) in list.iter().enumerate() {
                text_issue(&format!("{field}[{i}]"), t, &mut out);
            }
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        self.participants
            .iter()
            .enumerate()
            .map(|(i, p)| reference(format!("participants[{i}]"), Target::Person, p))
            .collect()
    }
}

fn at(array: &str, i: usize, field: &str) -> String {
    format!("$.{array}[{i}].{field}")
}

/// Every rule of the workspace: each record's own, its references (`known` says whether a
/// person or organization of the registry exists; workspace records are looked up in `ws`),
/// ids unique per array, and the rules between records.
pub fn check(ws: &Workspace, known: impl Fn(Target, &str) -> bool) -> Vec<Problem> {
    let mut out = Vec::new();
    let ids = Ids::of(ws);
    fn each<R: Record>(
        records: &[R],
        ids: &Ids,
        known: &dyn Fn(Target, &str) -> bool,
        out: &mut Vec<Problem>,
    ) {
        let mut seen = HashSet::new();
        for (i, r) in records.iter().enumerate() {
            if !seen.insert(r.id()) {
                out.push(Problem::new(
                    at(R::ARRAY, i, "id"),
                    format!("id \"{}\" is used twice in {}", r.id(), R::ARRAY),
                ));
            }
            for e in r.issues() {
                out.push(Problem::new(at(R::ARRAY, i, &e.field), e.message));
            }
            for f in r.refs() {
                let exists = match f.to {
                    Target::Person | Target::Organization => known(f.to, &f.id),
                    t => ids.has(t, &f.id),
                };
                if !exists {
                    out.push(Problem::new(
                        at(R::ARRAY, i, &f.field),
                        format!("unknown {} \"{}\"", f.to.noun(), f.id),
                    ));
                }
            }
        }
    }
    each(&ws.bodies, &ids, &known, &mut out);
    each(&ws.meetings, &ids, &known, &mut out);
    each(&ws.minutes, &ids, &known, &mut out);
    each(&ws.proposals, &ids, &known, &mut out);
    each(&ws.decisions, &ids, &known, &mut out);
    each(&ws.action_items, &ids, &known, &mut out);
    each(&ws.engagements, &ids, &known, &mut out);
    out.extend(across(ws));
    out
}

/// The ids of the workspace's records, per kind.
struct Ids<'a>(HashMap<Target, HashSet<&'a str>>);

impl<'a> Ids<'a> {
    fn of(ws: &'a Workspace) -> Ids<'a> {
        let mut m: HashMap<Target, HashSet<&str>> = HashMap::new();
        m.insert(
            Target::Body,
            ws.bodies.iter().map(|r| r.id.as_str()).collect(),
        );
        m.insert(
            Target::Meeting,
            ws.meetings.iter().map(|r| r.id.as_str()).collect(),
        );
        m.insert(
            Target::Minutes,
            ws.minutes.iter().map(|r| r.id.as_str()).collect(),
        );
        m.insert(
            Target::Proposal,
            ws.proposals.iter().map(|r| r.id.as_str()).collect(),
        );
        m.insert(
            Target::Decision,
            ws.decisions.iter().map(|r| r.id.as_str()).collect(),
        );
        Ids(m)
    }

    fn has(&self, t: Target, id: &str) -> bool {
        self.0.get(&t).is_some_and(|s| s.contains(id))
    }
}

/// The rules between records of one workspace (references that do not resolve are reported by
/// [`check`] and skipped here).
pub fn across(ws: &Workspace) -> Vec<Problem> {
    let mut out = Vec::new();
    let meetings: HashMap<&str, &Meeting> =
        ws.meetings.iter().map(|m| (m.id.as_str(), m)).collect();
    let minutes: HashMap<&str, &Minutes> = ws.minutes.iter().map(|m| (m.id.as_str(), m)).collect();
    let proposals: HashMap<&str, &Proposal> =
        ws.proposals.iter().map(|p| (p.id.as_str(), p)).collect();
    let held = |id: &str| meetings.get(id).map(|m| m.status == MeetingStatus::Held);

    for (i, m) in ws.minutes.iter().enumerate() {
        if m.status != MinutesStatus::Draft && held(&m.meeting) == Some(false) {
            out.push(Problem::new(
                at("minutes", i, "status"),
                format!(
                    "meeting \"{}\" has not been held: its minutes stay a draft until it is",
                    m.meeting
                ),
            ));
        }
        if let Some(c) = m.corrects.as_deref().and_then(|c| minutes.get(c)) {
            if c.status != MinutesStatus::Approved {
                out.push(Problem::new(
                    at("minutes", i, "corrects"),
                    format!(
                        "minutes \"{}\" are {}, not approved: change them instead of correcting them",
                        c.id,
                        c.status.as_str()
                    ),
                ));
            }
            if c.meeting != m.meeting {
                out.push(Problem::new(
                    at("minutes", i, "corrects"),
                    format!(
                        "minutes \"{}\" are of meeting \"{}\", not \"{}\"",
                        c.id, c.meeting, m.meeting
                    ),
                ));
            }
            if m.version != c.version + 1 {
                out.push(Problem::new(
                    at("minutes", i, "version"),
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
            out.push(Problem::new(
                at("minutes", i, "version"),
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
            out.push(Problem::new(
                at("decisions", i, "meeting"),
                format!(
                    "meeting \"{}\" is {}: decisions are taken at a held meeting",
                    meeting.id,
                    meeting.status.as_str()
                ),
            ));
        }
        for (j, n) in d.agenda_items.iter().enumerate() {
            if *n as usize > meeting.agenda.len() {
                out.push(Problem::new(
                    at("decisions", i, &format!("agenda_items[{j}]")),
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
            out.push(Problem::new(
                at("action_items", i, "plan_action"),
                format!("proposal \"{}\" has no plan action \"{action}\"", p.id),
            ));
        }
    }
    out
}

/// The rules between the stored workspace and the next one: approved minutes are frozen (a
/// correction is a new record), minutes move forward only, a proposal's history only grows,
/// a held meeting stays held.
pub fn check_change(old: &Workspace, new: &Workspace) -> Vec<Problem> {
    let mut out = Vec::new();
    let before: HashMap<&str, &Minutes> = old.minutes.iter().map(|m| (m.id.as_str(), m)).collect();
    for (i, m) in new.minutes.iter().enumerate() {
        let Some(was) = before.get(m.id.as_str()) else {
            continue;
        };
        if was.status == MinutesStatus::Approved && *was != m {
            out.push(Problem::new(
                at("minutes", i, "text"),
                format!(
                    "minutes \"{}\" are approved and frozen: write a correction (new minutes \
                     with \"corrects\": \"{}\" and version {})",
                    m.id,
                    m.id,
                    was.version + 1
                ),
            ));
        } else if m.status < was.status {
            out.push(Problem::new(
                at("minutes", i, "status"),
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
            out.push(Problem::new(
                at("proposals", i, "history"),
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
            out.push(Problem::new(
                at("meetings", i, "status"),
                format!("meeting \"{}\" has been held; it stays held", m.id),
            ));
        }
    }
    out
}

/// Which plan actions of agreed proposals have no action item yet: what agreeing a tabled plan
/// turns into work (`(proposal, action)` pairs, in the plan's order).
pub fn unassigned_plan_actions(ws: &Workspace) -> Vec<(&str, &str)> {
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
