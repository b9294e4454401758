//! The consultative body's workspace: bodies, meetings with their agendas, minutes, proposals
//! with their history, decisions, action items, and bilateral engagements outside any body.
//!
//! Records as the dataset file holds them (every one may carry a label, sources and the
//! illustrative flag, as registry records do); times are civil times in a named IANA zone, so
//! a meeting in Brussels at 10:00 stays at 10:00 Brussels time whatever the daylight-saving
//! rules do. The rules a record must follow on its own are in [`rules`]; the rules between a
//! stored record and its next version (frozen minutes, proposal history only growing) are
//! [`rules::check_change`]. Pure: "now" and "today" are given by the caller.

pub mod ics;
pub mod rules;
pub mod time;
pub(crate) mod visibility;
pub(crate) mod writer_view;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod visibility_tests;

use serde::{Deserialize, Serialize};

use crate::label::Label;
use crate::model::{is_false, record, string_enum, Source};

string_enum! {
    /// What a participant does at a meeting.
    pub enum ParticipantRole {
        Chair = "chair",
        CoChair = "co-chair",
        Member = "member",
        Secretary = "secretary",
        Speaker = "speaker",
        Observer = "observer",
    }
}

string_enum! {
    /// Where a meeting stands.
    pub enum MeetingStatus {
        Planned = "planned",
        Held = "held",
        Cancelled = "cancelled",
    }
}

string_enum! {
    /// How an agenda item ended.
    pub enum Outcome {
        Noted = "noted",
        Agreed = "agreed",
        Deferred = "deferred",
        Rejected = "rejected",
    }
}

string_enum! {
    /// The minutes' workflow: drafted by the secretariat, circulated to the participants for
    /// comment, approved (and then frozen).
    pub enum MinutesStatus {
        Draft = "draft",
        Circulated = "circulated",
        Approved = "approved",
    }
}

string_enum! {
    /// A proposal's state; [`ProposalStatus::may_become`] says which transitions are legal.
    pub enum ProposalStatus {
        Draft = "draft",
        Tabled = "tabled",
        UnderConsideration = "under-consideration",
        Agreed = "agreed",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
}

impl ProposalStatus {
    /// The states a proposal in this state may move to: draft → tabled → under consideration
    /// → agreed | rejected, and withdrawn from any open state. Agreed, rejected and withdrawn
    /// are final.
    pub fn next(self) -> &'static [ProposalStatus] {
        use ProposalStatus::*;
        match self {
            Draft => &[Tabled, Withdrawn],
            Tabled => &[UnderConsideration, Withdrawn],
            UnderConsideration => &[Agreed, Rejected, Withdrawn],
            Agreed | Rejected | Withdrawn => &[],
        }
    }

    pub fn may_become(self, to: ProposalStatus) -> bool {
        self.next().contains(&to)
    }

    /// Whether no transition leads out of it.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }
}

string_enum! {
    /// How a decision was reached.
    pub enum DecisionMethod {
        Consensus = "consensus",
        Vote = "vote",
    }
}

string_enum! {
    /// An action item's state. Overdue is not a state: it is computed from the due date
    /// ([`ActionItem::is_overdue`]).
    pub enum ActionStatus {
        Open = "open",
        Done = "done",
        Cancelled = "cancelled",
    }
}

/// Someone at a meeting, in a role.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// A person's id.
    pub person: String,
    pub role: ParticipantRole,
}

/// One item of a meeting's agenda, in order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    pub title: String,
    /// The proposal the item discusses, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<String>,
    /// How it ended; every item has one before the meeting is closed (held).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A comment on circulated minutes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    pub person: String,
    pub text: String,
    /// When, as a civil time in the meeting's zone (`YYYY-MM-DDTHH:MM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// One step of a proposal's history: the state it entered, when, who moved it and at which
/// meeting.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub status: ProposalStatus,
    /// The day (`YYYY-MM-DD`).
    pub on: String,
    /// A person's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// A meeting's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<String>,
}

/// The votes of a decision taken by vote.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Votes {
    #[serde(rename = "for")]
    pub in_favour: u32,
    pub against: u32,
    #[serde(default)]
    pub abstain: u32,
}

/// One action of a gap-closure plan tabled as a proposal: the engine's action
/// (`test:SYSTEM:STANDARD`, `adopt:SYSTEM:STANDARD`, `field:GATEWAY`,
/// `gateway:DOMAIN:FROM:TO`) and the pairs it raised in the plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanItem {
    pub action: String,
    pub gain: u64,
}

/// An interoperability gap-closure plan as tabled: the question, the covered count before and
/// after, and its actions in order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TabledPlan {
    /// The fleets' filters, as the engine reads them (`operator:KOR`).
    pub left: Vec<String>,
    pub right: Vec<String>,
    /// The domains the plan was computed over (domain codes); empty for every domain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    pub target: u8,
    pub covered_before: u64,
    pub covered_after: u64,
    pub items: Vec<PlanItem>,
}

/// Who owns an action item: a person or an organization (exactly one).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

record! {
    /// A consultative body: its member organizations, co-chairs and secretariat.
    pub struct Body {
        pub id: String,
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        /// Organization ids.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub members: Vec<String>,
        /// Person ids.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub co_chairs: Vec<String>,
        /// Organization ids.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub secretariat: Vec<String>,
    }
}

record! {
    /// A meeting of a body (or of its members without one).
    pub struct Meeting {
        pub id: String,
        /// A body's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub body: Option<String>,
        pub title: String,
        /// Civil times (`YYYY-MM-DDTHH:MM`) in `time_zone`.
        pub start: String,
        pub end: String,
        /// An IANA time zone: `Asia/Seoul`, `Europe/Brussels`.
        pub time_zone: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub place: Option<String>,
        /// Where to join online (http or https).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub online: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub participants: Vec<Participant>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub agenda: Vec<AgendaItem>,
        pub status: MeetingStatus,
    }
}

record! {
    /// The minutes of a meeting, in Markdown. A correction of approved minutes is a new
    /// record naming the one it corrects.
    pub struct Minutes {
        pub id: String,
        pub meeting: String,
        /// 1 for the first minutes of a meeting; a correction is the corrected one's + 1.
        pub version: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub corrects: Option<String>,
        pub status: MinutesStatus,
        pub text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub comments: Vec<Comment>,
    }
}

record! {
    /// A proposal put to a body, with the dated history of its states.
    pub struct Proposal {
        pub id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub body: Option<String>,
        pub title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub summary: Option<String>,
        /// The organization that put it forward.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sponsor: Option<String>,
        pub status: ProposalStatus,
        /// Every state it entered, the first being draft, the last its status.
        pub history: Vec<Transition>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub method: Option<DecisionMethod>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub votes: Option<Votes>,
        /// A gap-closure plan tabled as this proposal.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub plan: Option<TabledPlan>,
        /// Documents it builds on (document ids).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub documents: Vec<String>,
    }
}

record! {
    /// A decision taken at a meeting, settling proposals and agenda items.
    pub struct Decision {
        pub id: String,
        pub meeting: String,
        pub text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub proposals: Vec<String>,
        /// Agenda items of the meeting it settles, by position (1 is the first).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub agenda_items: Vec<u32>,
    }
}

record! {
    /// Something someone has to do by a date.
    pub struct ActionItem {
        pub id: String,
        pub title: String,
        pub owner: Owner,
        /// The day it is due (`YYYY-MM-DD`).
        pub due: String,
        pub status: ActionStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub decision: Option<String>,
        /// The proposal whose plan it carries out, with the plan's action.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub proposal: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub plan_action: Option<String>,
    }
}

impl ActionItem {
    /// Open and due before `today` (`YYYY-MM-DD`; dates compare as text).
    pub fn is_overdue(&self, today: &str) -> bool {
        self.status == ActionStatus::Open && self.due.as_str() < today
    }
}

record! {
    /// A bilateral meeting outside any body, such as the founding report's meetings in
    /// Brussels.
    pub struct Engagement {
        pub id: String,
        pub title: String,
        /// Civil time (`YYYY-MM-DDTHH:MM`) or day (`YYYY-MM-DD`) in `time_zone`.
        pub start: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub end: Option<String>,
        pub time_zone: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub place: Option<String>,
        /// Person ids, at least two.
        pub participants: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub topics: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub outcomes: Vec<String>,
    }
}

record! {
    /// A document the body works with: a white paper, a regulation, terms of reference.
    pub struct Document {
        pub id: String,
        pub title: String,
        /// When it was issued: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
        pub issued: String,
        /// Organization ids of those who issued it.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub issuers: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub summary: Option<String>,
        /// Where to read it (http or https).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub topics: Vec<String>,
    }
}
