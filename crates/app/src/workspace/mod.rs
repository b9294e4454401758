//! The consultative body's workspace as use cases (docs/WORKSPACE.md): meetings shown in
//! several zones and closed with an outcome for every agenda item, minutes that move from
//! draft to circulated to approved (and are then corrected by a new version), proposals moved
//! through their states with a dated history, gap-closure plans tabled as proposals and agreed
//! into action items, action items whose overdue and done-by-the-registry states are computed,
//! engagements with timelines and a network of who met whom, and calendars.
//!
//! Every read is the actor's view; every write is computed from that view and validated and
//! written by the store like an import by the actor (`Store::write_with`), so the workspace's
//! rules (`defcoop_domain::workspace::rules`) hold for every path, and a refusal names the
//! field. Roles come first: [`Permission::to_write`] of the record's kind.

mod calendar;
mod engagements;
mod lists;
mod plans;
mod zones;

use std::sync::Arc;

use defcoop_domain::account::Permission;
use defcoop_domain::import::Problem;
use defcoop_domain::model::{Dataset, Day, Kind};
use defcoop_domain::workspace::rules::Record;
use defcoop_domain::workspace::{
    time, ActionItem, ActionStatus, Comment, DecisionMethod, Meeting, MeetingStatus, Minutes,
    MinutesStatus, Outcome, Proposal, ProposalStatus, Transition, Votes,
};
use defcoop_domain::Incoming;
use defcoop_store::{ImportError, ImportOutcome, Parts};
use serde::Serialize;

pub use calendar::{feed_path, CalendarScope};
pub use engagements::{Network, NetworkEdge, NetworkNode, Subject, TimelineEntry, MAX_NODES};
pub use plans::{ActionState, ActionView, Change, TablePlan};
pub use zones::{nation_zone, ShownTime};

use crate::readmodel::find;
use crate::{Actor, App, AppError, Result};

/// A meeting as people read it: the record, its times in every zone that matters (its own,
/// its participants' nations', the reader's), and what was written of it.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    pub meeting: Meeting,
    pub times: Vec<ShownTime>,
    /// Its minutes the reader sees, oldest version first.
    pub minutes: Vec<String>,
    /// Decisions taken at it.
    pub decisions: Vec<String>,
}

/// Which meetings to list.
#[derive(Debug, Clone, Default)]
pub struct MeetingQuery {
    pub body: Option<String>,
    /// Meetings this person takes part in.
    pub person: Option<String>,
    pub status: Option<MeetingStatus>,
}

/// A move of a proposal to a new state.
#[derive(Debug, Clone)]
pub struct Move {
    pub to: ProposalStatus,
    /// The day; `None`: today.
    pub on: Option<Day>,
    /// Who made it (a person's id).
    pub by: Option<String>,
    /// At which meeting.
    pub meeting: Option<String>,
    /// How an agreed or rejected proposal was decided.
    pub method: Option<DecisionMethod>,
    pub votes: Option<Votes>,
}

fn not_found(kind: Kind, key: &str) -> AppError {
    AppError::NotFound(format!(
        "{} \"{}\"",
        kind.noun(),
        crate::render::cut(key, 100)
    ))
}

fn import_not_found(kind: Kind, key: &str) -> ImportError {
    ImportError::NotFound(format!(
        "{} \"{}\"",
        kind.noun(),
        crate::render::cut(key, 100)
    ))
}

/// A refusal about one field of the record being changed.
fn refuse(field: &str, message: impl Into<String>) -> ImportError {
    ImportError::Invalid(vec![Problem::new(field, message)])
}

/// The record keyed `key` of a view's array (in canonical order), or not found.
fn one<T: Record + Clone>(
    records: &[T],
    kind: Kind,
    key: &str,
) -> std::result::Result<T, ImportError> {
    records
        .binary_search_by(|r| r.id().cmp(key))
        .ok()
        .map(|i| records[i].clone())
        .ok_or_else(|| import_not_found(kind, key))
}

impl App {
    /// Today, by the application's clock (UTC).
    pub fn today(&self) -> Day {
        Day::from_unix_days(self.now().div_euclid(86_400))
    }

    /// A write of the workspace computed from the actor's view: `change` returns the records
    /// to write; they are validated and written like an import by the actor, in one
    /// transaction with its audit entry (`action`), or not at all.
    async fn change<F>(
        &self,
        actor: &Actor,
        kind: Kind,
        action: &str,
        mut change: F,
    ) -> Result<ImportOutcome>
    where
        F: FnMut(&Dataset) -> std::result::Result<Dataset, ImportError> + Send,
    {
        actor.require(Permission::to_write(kind))?;
        let out = self
            .store()
            .write_with(&actor.writer(), action, |view| {
                change(view).map(Incoming::from_dataset)
            })
            .await?;
        self.written(&out).await?;
        Ok(out)
    }

    /// What `actor` sees of the workspace (and the registry it names).
    pub async fn workspace(&self, actor: &Actor) -> Result<Arc<Dataset>> {
        Ok(self.view(actor, Parts::Entities).await?.data_arc())
    }

    /// The meetings `actor` sees, by start (in absolute time), then id.
    pub async fn meetings(&self, actor: &Actor, q: &MeetingQuery) -> Result<Vec<Meeting>> {
        let data = self.workspace(actor).await?;
        if let Some(b) = &q.body {
            find(&data.bodies, b.as_str()).ok_or_else(|| not_found(Kind::Body, b))?;
        }
        if let Some(p) = &q.person {
            find(&data.people, p.as_str()).ok_or_else(|| not_found(Kind::Person, p))?;
        }
        let mut out: Vec<Meeting> = data
            .meetings
            .iter()
            .filter(|m| q.body.as_ref().is_none_or(|b| m.body.as_ref() == Some(b)))
            .filter(|m| {
                q.person
                    .as_ref()
                    .is_none_or(|p| m.participants.iter().any(|x| x.person == *p))
            })
            .filter(|m| q.status.is_none_or(|s| m.status == s))
            .cloned()
            .collect();
        out.sort_by_cached_key(|m| (zones::start_seconds(&m.start, &m.time_zone), m.id.clone()));
        Ok(out)
    }

    /// One meeting with its times in its own zone, its participants' nations' zones and
    /// `reader_zone` (when given), and its minutes and decisions.
    pub async fn meeting(
        &self,
        actor: &Actor,
        id: &str,
        reader_zone: Option<&str>,
    ) -> Result<MeetingView> {
        let data = self.workspace(actor).await?;
        let m = find(&data.meetings, id)
            .ok_or_else(|| not_found(Kind::Meeting, id))?
            .clone();
        if let Some(z) = reader_zone {
            time::zone(z).map_err(AppError::BadRequest)?;
        }
        let times = zones::shown(&data, &m, reader_zone);
        let mut minutes: Vec<&Minutes> =
            data.minutes.iter().filter(|x| x.meeting == m.id).collect();
        minutes.sort_by_key(|x| x.version);
        Ok(MeetingView {
            times,
            minutes: minutes.iter().map(|x| x.id.clone()).collect(),
            decisions: data
                .decisions
                .iter()
                .filter(|d| d.meeting == m.id)
                .map(|d| d.id.clone())
                .collect(),
            meeting: m,
        })
    }

    /// Records how each agenda item ended and closes the meeting (held). `outcomes` gives
    /// items by position (1 is the first); items not given keep the outcome they have. A
    /// meeting with an item left without an outcome is not closed: the refusal names the item.
    pub async fn close_meeting(
        &self,
        actor: &Actor,
        id: &str,
        outcomes: &[(usize, Outcome)],
    ) -> Result<Meeting> {
        let mut closed = None;
        self.change(actor, Kind::Meeting, "meeting.close", |view| {
            let mut m = one(&view.meetings, Kind::Meeting, id)?;
            if m.status == MeetingStatus::Cancelled {
                return Err(refuse(
                    "status",
                    format!("meeting \"{id}\" was cancelled; it is not held"),
                ));
            }
            let items = m.agenda.len();
            for (n, outcome) in outcomes {
                let item = n
                    .checked_sub(1)
                    .and_then(|i| m.agenda.get_mut(i))
                    .ok_or_else(|| {
                        refuse(
                            "agenda",
                            format!("the meeting has {items} agenda item(s); there is no item {n}"),
                        )
                    })?;
                item.outcome = Some(*outcome);
            }
            m.status = MeetingStatus::Held;
            closed = Some(m.clone());
            Ok(Dataset {
                meetings: vec![m],
                ..Dataset::default()
            })
        })
        .await?;
        closed.ok_or_else(|| not_found(Kind::Meeting, id))
    }

    /// Cancels a planned meeting.
    pub async fn cancel_meeting(&self, actor: &Actor, id: &str) -> Result<Meeting> {
        let mut done = None;
        self.change(actor, Kind::Meeting, "meeting.cancel", |view| {
            let mut m = one(&view.meetings, Kind::Meeting, id)?;
            if m.status != MeetingStatus::Planned {
                return Err(refuse(
                    "status",
                    format!(
                        "meeting \"{id}\" is {}: only a planned meeting is cancelled",
                        m.status.as_str()
                    ),
                ));
            }
            m.status = MeetingStatus::Cancelled;
            done = Some(m.clone());
            Ok(Dataset {
                meetings: vec![m],
                ..Dataset::default()
            })
        })
        .await?;
        done.ok_or_else(|| not_found(Kind::Meeting, id))
    }

    /// Moves minutes one step of their workflow: draft → circulated → approved.
    pub async fn advance_minutes(
        &self,
        actor: &Actor,
        id: &str,
        to: MinutesStatus,
    ) -> Result<Minutes> {
        let mut done = None;
        let action = match to {
            MinutesStatus::Draft => "minutes.draft",
            MinutesStatus::Circulated => "minutes.circulate",
            MinutesStatus::Approved => "minutes.approve",
        };
        self.change(actor, Kind::Minutes, action, |view| {
            let mut m = one(&view.minutes, Kind::Minutes, id)?;
            let next = match m.status {
                MinutesStatus::Draft => MinutesStatus::Circulated,
                MinutesStatus::Circulated => MinutesStatus::Approved,
                MinutesStatus::Approved => {
                    return Err(refuse(
                        "status",
                        format!("minutes \"{id}\" are approved and frozen: write a correction"),
                    ))
                }
            };
            if to != next {
                return Err(refuse(
                    "status",
                    format!(
                        "minutes \"{id}\" are {}: the next step is {}, not {}",
                        m.status.as_str(),
                        next.as_str(),
                        to.as_str()
                    ),
                ));
            }
            m.status = to;
            done = Some(m.clone());
            Ok(Dataset {
                minutes: vec![m],
                ..Dataset::default()
            })
        })
        .await?;
        done.ok_or_else(|| not_found(Kind::Minutes, id))
    }

    /// Adds a participant's comment to circulated minutes, as the person the actor is (a
    /// user's linked person); the operator, who is nobody, names the person. The person must
    /// have taken part in the meeting. Anyone who may change the registry may comment
    /// (members included), not only the secretariat.
    pub async fn comment_minutes(
        &self,
        actor: &Actor,
        id: &str,
        person: Option<&str>,
        text: &str,
    ) -> Result<Minutes> {
        let person = match (actor.person(), person, actor.reader()) {
            (Some(me), None, _) => me.to_string(),
            (Some(me), Some(p), _) if me == p => me.to_string(),
            (None, Some(p), defcoop_domain::Reader::Full) => p.to_string(),
            (Some(me), Some(p), _) => {
                return Err(AppError::Forbidden(format!(
                    "{} comments as {me}, not as {p}",
                    actor.name()
                )))
            }
            (None, _, defcoop_domain::Reader::Full) => {
                return Err(AppError::BadRequest(
                    "name the person who comments (a participant of the meeting)".into(),
                ))
            }
            (None, _, _) => {
                return Err(AppError::Forbidden(format!(
                    "{} is linked to no person of the registry: an administrator links the account (user set --person) before it comments",
                    actor.name()
                )))
            }
        };
        let person = person.as_str();
        if text.trim().is_empty() {
            return Err(AppError::Invalid(vec![Problem::new(
                "text",
                "must not be empty",
            )]));
        }
        actor.require(Permission::WriteRegistry)?;
        let mut done = None;
        let now = self.now();
        let out = self
            .store()
            .write_with(&actor.writer(), "minutes.comment", |view| {
                let mut m = one(&view.minutes, Kind::Minutes, id)?;
                if m.status != MinutesStatus::Circulated {
                    return Err(refuse(
                        "status",
                        format!(
                            "minutes \"{id}\" are {}: participants comment on circulated minutes",
                            m.status.as_str()
                        ),
                    ));
                }
                let meeting = one(&view.meetings, Kind::Meeting, &m.meeting)?;
                if !meeting.participants.iter().any(|p| p.person == person) {
                    return Err(refuse(
                        "person",
                        format!(
                            "\"{person}\" did not take part in meeting \"{}\"",
                            meeting.id
                        ),
                    ));
                }
                let at = zones::civil_in(now, &meeting.time_zone);
                m.comments.push(Comment {
                    person: person.to_string(),
                    text: text.trim().to_string(),
                    at,
                });
                done = Some(m.clone());
                Ok(Incoming::from_dataset(Dataset {
                    minutes: vec![m],
                    ..Dataset::default()
                }))
            })
            .await?;
        self.written(&out).await?;
        done.ok_or_else(|| not_found(Kind::Minutes, id))
    }

    /// Writes a correction of approved minutes: new minutes `new_id`, the next version, in
    /// draft, naming what they correct.
    pub async fn correct_minutes(
        &self,
        actor: &Actor,
        id: &str,
        new_id: &str,
        text: &str,
    ) -> Result<Minutes> {
        let mut done = None;
        self.change(actor, Kind::Minutes, "minutes.correct", |view| {
            let m = one(&view.minutes, Kind::Minutes, id)?;
            if m.status != MinutesStatus::Approved {
                return Err(refuse(
                    "corrects",
                    format!(
                        "minutes \"{id}\" are {}, not approved: change them instead of correcting them",
                        m.status.as_str()
                    ),
                ));
            }
            if find(&view.minutes, new_id).is_some() {
                return Err(refuse("id", format!("minutes \"{new_id}\" exist already")));
            }
            let fix = Minutes {
                id: new_id.to_string(),
                meeting: m.meeting.clone(),
                version: m.version + 1,
                corrects: Some(m.id.clone()),
                status: MinutesStatus::Draft,
                text: text.to_string(),
                comments: vec![],
                label: m.label.clone(),
                sources: vec![],
                illustrative: m.illustrative,
            };
            done = Some(fix.clone());
            Ok(Dataset {
                minutes: vec![fix],
                ..Dataset::default()
            })
        })
        .await?;
        done.ok_or_else(|| not_found(Kind::Minutes, id))
    }

    /// Minutes as a Markdown document: a heading naming the meeting, when and where, the
    /// version and its state, the text, and the comments.
    pub async fn minutes_markdown(&self, actor: &Actor, id: &str) -> Result<String> {
        let data = self.workspace(actor).await?;
        let m = find(&data.minutes, id).ok_or_else(|| not_found(Kind::Minutes, id))?;
        let meeting = find(&data.meetings, m.meeting.as_str());
        Ok(zones::minutes_markdown(&data, m, meeting))
    }

    /// Moves a proposal to a new state, appending a dated step to its history (who, at which
    /// meeting). An illegal move is refused naming the states it may go to.
    pub async fn move_proposal(&self, actor: &Actor, id: &str, mv: &Move) -> Result<Proposal> {
        let mut done = None;
        let today = self.today();
        self.change(actor, Kind::Proposal, "proposal.move", |view| {
            let mut p = one(&view.proposals, Kind::Proposal, id)?;
            if !p.status.may_become(mv.to) {
                let allowed: Vec<&str> = p.status.next().iter().map(|s| s.as_str()).collect();
                return Err(refuse(
                    "status",
                    if allowed.is_empty() {
                        format!("proposal \"{id}\" is {}, which is final", p.status.as_str())
                    } else {
                        format!(
                            "a proposal cannot go from {} to {} (from {}: {})",
                            p.status.as_str(),
                            mv.to.as_str(),
                            p.status.as_str(),
                            allowed.join(", ")
                        )
                    },
                ));
            }
            let decided = matches!(mv.to, ProposalStatus::Agreed | ProposalStatus::Rejected);
            if !decided && (mv.method.is_some() || mv.votes.is_some()) {
                return Err(refuse(
                    "method",
                    "only an agreed or rejected proposal has a decision method",
                ));
            }
            p.history.push(Transition {
                status: mv.to,
                on: mv.on.unwrap_or(today).to_string(),
                by: mv.by.clone(),
                meeting: mv.meeting.clone(),
            });
            p.status = mv.to;
            if decided {
                p.method = mv.method.or(if mv.votes.is_some() {
                    Some(DecisionMethod::Vote)
                } else {
                    None
                });
                p.votes = mv.votes;
            }
            done = Some(p.clone());
            Ok(Dataset {
                proposals: vec![p],
                ..Dataset::default()
            })
        })
        .await?;
        done.ok_or_else(|| not_found(Kind::Proposal, id))
    }

    /// Sets an action item's status (open, done, cancelled).
    pub async fn set_action_status(
        &self,
        actor: &Actor,
        id: &str,
        status: ActionStatus,
    ) -> Result<ActionItem> {
        let mut done = None;
        self.change(actor, Kind::ActionItem, "action.status", |view| {
            let mut a = one(&view.action_items, Kind::ActionItem, id)?;
            a.status = status;
            done = Some(a.clone());
            Ok(Dataset {
                action_items: vec![a],
                ..Dataset::default()
            })
        })
        .await?;
        done.ok_or_else(|| not_found(Kind::ActionItem, id))
    }
}
