//! Schemas of matchmaking's answers: a ranking with its parts, the consortium builder's
//! proposals and a brokerage schedule. Like the rest of `schema`, they only describe: they
//! mirror the `Serialize` shapes of `defcoop_app::matchmaking` field for field.

#![allow(dead_code)]

use utoipa::ToSchema;

/// What a ranking matched: a need (its matches are offers) or an offer.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Need,
    Offer,
}

/// `GET /api/v1/match`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchList {
    pub of: Side,
    pub id: String,
    pub title: String,
    /// Candidates scored: every offer (or need) of the reader's view.
    pub candidates: u64,
    /// How many candidates the interoperability engine rated for the synergy part.
    pub synergy_runs: u64,
    /// Whether the order is exact (false only when the engine's run limit cut it short).
    pub exact: bool,
    pub matches: Vec<MatchEntry>,
}

/// One ranked offer (or need).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchEntry {
    pub id: String,
    pub title: String,
    pub owner: defcoop_domain::matchmaking::Party,
    /// Out of 100: the parts' sum, rounded to a tenth.
    pub score: f64,
    /// area, text, trl, cooperation, synergy, in that order.
    pub parts: Vec<MatchPart>,
}

/// One part of a score: its points out of `max`, and what it was computed from.
#[derive(ToSchema)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum MatchPart {
    /// 25 when both are in the same capability area.
    Area {
        points: f64,
        max: f64,
        same: bool,
        area: String,
        other: String,
    },
    /// BM25 relevance as a share (0–1) of the query's own score; the terms in common.
    Text {
        points: f64,
        max: f64,
        share: f64,
        terms: Vec<String>,
    },
    /// 15 when the ranges overlap, 5 fewer per level between them; no `gap` when either is
    /// not given.
    Trl {
        points: f64,
        max: f64,
        need: Option<defcoop_domain::matchmaking::Trl>,
        offer: Option<defcoop_domain::matchmaking::Trl>,
        gap: Option<u8>,
    },
    /// Engagements, arms transfers and systems operated in common between the owners'
    /// nations, the first few named.
    Cooperation {
        points: f64,
        max: f64,
        engagements: u64,
        transfers: u64,
        systems: u64,
        named_engagements: Vec<String>,
        named_systems: Vec<String>,
    },
    /// Levels gained between the need side's fleet and the offer side's when the need's
    /// systems adopt the offer's standards: `gains` at levels 1+, 2+ and 3, `steps` their sum.
    Synergy {
        points: f64,
        max: f64,
        steps: u64,
        gains: [u64; 3],
        standards: Vec<String>,
        need_fleet: u64,
        offer_fleet: u64,
    },
}

/// `GET /api/v1/consortium/build`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildAnswer {
    pub need: String,
    pub instrument: String,
    /// The day bloc memberships were read on.
    pub day: String,
    /// Members per consortium.
    pub size: u64,
    /// Organizations owning at least one offer the reader sees.
    pub candidates: u64,
    /// Those the rules allow at all.
    pub admissible: u64,
    /// Best first; ties go to the smaller list of member ids.
    pub consortia: Vec<BuiltConsortium>,
    /// Whether the search finished: the consortia are then exactly the best.
    pub exact: bool,
    /// When it did not: no consortium left unexamined scores above this.
    pub bound: Option<f64>,
    /// Search nodes visited.
    pub nodes: u64,
}

/// One proposed consortium.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuiltConsortium {
    /// The sum of the members' scores.
    pub score: f64,
    pub members: Vec<BuiltMember>,
}

/// A member of a proposed consortium.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuiltMember {
    pub organization: String,
    pub name: String,
    pub nation: String,
    pub standing: defcoop_domain::matchmaking::consortium::Standing,
    /// Its best offer for the need.
    pub offer: String,
    /// That offer's match score.
    pub score: f64,
}

/// `POST /api/v1/brokerage/schedule`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrokerageSchedule {
    pub title: String,
    pub time_zone: String,
    pub place: Option<String>,
    pub tables: u64,
    pub slots: Vec<BrokerageSlot>,
    /// Meetings asked for (each pair once, whoever asked).
    pub requests: u64,
    pub placed: u64,
    /// No schedule places more than this.
    pub upper_bound: u64,
    /// Whether `placed` is proved the most possible.
    pub exact: bool,
    pub meetings: Vec<BrokerageMeeting>,
    pub unplaced: Vec<BrokerageUnplaced>,
    pub agendas: Vec<BrokerageAgenda>,
}

/// A slot with its times, civil in the event's zone and in UTC.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrokerageSlot {
    pub slot: u64,
    pub start: String,
    pub end: String,
    pub utc: String,
}

/// A meeting placed.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrokerageMeeting {
    pub slot: u64,
    /// From 1.
    pub table: u64,
    pub start: String,
    pub end: String,
    pub a: String,
    pub b: String,
    pub a_organization: String,
    pub b_organization: String,
    pub asked_by: Vec<String>,
    /// The best match score between their needs and offers, when one was computed.
    pub score: Option<f64>,
}

/// A meeting asked for that could not be placed.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrokerageUnplaced {
    pub a: String,
    pub b: String,
    pub asked_by: Vec<String>,
}

/// One participant's meetings, by slot.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrokerageAgenda {
    pub participant: String,
    pub organization: String,
    pub meetings: Vec<BrokerageAgendaEntry>,
}

/// One meeting of an agenda.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrokerageAgendaEntry {
    pub slot: u64,
    pub table: u64,
    pub start: String,
    pub end: String,
    pub with: String,
    pub with_organization: String,
}
