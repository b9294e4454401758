//! Schemas of the answers that are not a registry record: the shapes `defcoop-engine`'s
//! `answer.rs` and `defcoop-app` serialize by hand (pair, matrix, transfer pages), the label
//! answers, the error shape, and the names of record kinds.
//!
//! The types here only describe: nothing constructs them. They mirror the hand-written
//! `Serialize` impls field for field; the fuzz run (`scripts/fuzz-api`) checks every answer the
//! server gives against them.

#![allow(dead_code)]

use std::collections::BTreeMap;

use defcoop_domain::account::Role;
use defcoop_domain::model::{ConformanceStatus, Kind};
use defcoop_domain::{Clearance, Label, Transfer};
use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToResponse, ToSchema};

/// Every error answer under `/api`: what is wrong, in words (at most 200 characters and "…").
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Error {
    #[schema(example = "missing parameter \"a\"")]
    pub error: String,
}

/// 503: the database is busy, or the answer took longer than the server's request time-out.
#[derive(ToResponse)]
#[response(
    description = "The database is busy or the answer took too long: try again after \
        `Retry-After` seconds.",
    headers(("Retry-After" = u32, description = "Seconds to wait before trying again.")),
)]
pub struct Unavailable(#[to_schema] Error);

/// 401: the request carries no valid API token or session.
#[derive(ToResponse)]
#[response(
    description = "Not signed in: no `Authorization: Bearer TOKEN` and no session, or a token \
        that is unknown, expired or revoked.",
    headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"defcoop\"`")),
)]
pub struct Unauthenticated(#[to_schema] Error);

/// `GET /api/v1/me`: who the request acts as.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Me {
    /// The user's name (or the fixed actor's, in tests and embedders).
    pub name: String,
    pub roles: Vec<Role>,
    /// What the user may read; null for full rights (the operator).
    #[schema(required = true)]
    pub clearance: Option<Clearance>,
    /// The registry person the user is (a person's id: who comments on minutes as a
    /// participant); null when the account is linked to nobody.
    #[schema(required = true)]
    pub person: Option<String>,
    /// How the request proved who it is.
    pub via: Via,
}

/// How a request proved who it is.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// The application was built to act as one actor.
    Fixed,
    /// An API token.
    Token,
    /// A browser session.
    Session,
}

/// `GET /api/v1/transfers`: one page of the matching transfers, with how many match in all.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferPage {
    /// How many transfers match, over all pages.
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
    /// The page, in canonical order (by id).
    pub transfers: Vec<Transfer>,
}

/// A record of any kind, as its dataset JSON (`docs/DATASET.md`).
pub struct Record;

impl PartialSchema for Record {
    fn schema() -> RefOr<Schema> {
        // anyOf, not oneOf: a nation and a domain have the same fields.
        let mut any = AnyOfBuilder::new().description(Some(
            "A record of the kind named in the path, as its dataset JSON (docs/DATASET.md).",
        ));
        for kind in Kind::ALL {
            any = any.item(Ref::from_schema_name(schema_name(kind)));
        }
        any.into()
    }
}

impl ToSchema for Record {}

/// The component name of a kind's record type.
fn schema_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Policy => "Policy",
        Kind::Nation => "Nation",
        Kind::Bloc => "Bloc",
        Kind::Organization => "Organization",
        Kind::Person => "Person",
        Kind::Domain => "Domain",
        Kind::Standard => "Standard",
        Kind::Profile => "Profile",
        Kind::System => "System",
        Kind::Conformance => "Conformance",
        Kind::Gateway => "Gateway",
        Kind::Transfer => "Transfer",
        Kind::Body => "Body",
        Kind::Meeting => "Meeting",
        Kind::Minutes => "Minutes",
        Kind::Proposal => "Proposal",
        Kind::Decision => "Decision",
        Kind::ActionItem => "ActionItem",
        Kind::Engagement => "Engagement",
        Kind::Document => "Document",
        Kind::CapabilityArea => "CapabilityArea",
        Kind::Need => "Need",
        Kind::Offer => "Offer",
        Kind::Instrument => "Instrument",
    }
}

fn kind_names(kinds: impl Iterator<Item = Kind>, description: &str) -> RefOr<Schema> {
    let mut names = Vec::new();
    for k in kinds {
        for name in [k.slug(), k.array()] {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names_schema(names, description)
}

/// Kinds by their plural names only (`systems`), as the record routes name them.
fn plural_names(kinds: impl Iterator<Item = Kind>, description: &str) -> RefOr<Schema> {
    names_schema(kinds.map(|k| k.array()).collect(), description)
}

fn names_schema(names: Vec<&'static str>, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(names))
        .description(Some(description))
        .into()
}

/// A kind of record by its singular or plural name (`system`, `systems`).
pub struct RecordKind;

impl PartialSchema for RecordKind {
    fn schema() -> RefOr<Schema> {
        kind_names(
            Kind::ALL.into_iter(),
            "A kind of record, by its singular or plural name (`system`, `systems`).",
        )
    }
}

impl ToSchema for RecordKind {}

/// Search's `kind`: a kind of record by either name, or empty for every kind (what the search
/// page's "every kind" choice sends).
pub struct SearchKind;

impl PartialSchema for SearchKind {
    fn schema() -> RefOr<Schema> {
        let mut names = vec![""];
        for k in Kind::ALL {
            names.push(k.noun());
            names.push(k.array());
        }
        names_schema(
            names,
            "A kind of record by its singular or plural name (`system`, `systems`), or empty \
             for every kind.",
        )
    }
}

impl ToSchema for SearchKind {}

/// A kind of labelled record (every kind but policies, which carry no label).
pub struct LabelledKind;

impl PartialSchema for LabelledKind {
    fn schema() -> RefOr<Schema> {
        kind_names(
            Kind::ALL.into_iter().filter(|k| *k != Kind::Policy),
            "A kind of labelled record (every kind but policies), by its singular or plural \
             name (`system`, `transfers`).",
        )
    }
}

impl ToSchema for LabelledKind {}

/// The `format` of a label answer: JSON, or STANAG 4774 XML (`stanag4774`, also `xml`).
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LabelFormat {
    Json,
    Stanag4774,
    Xml,
}

/// `GET /api/v1/labels/{kind}/{key}` as JSON.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelAnswer {
    /// The kind's singular name.
    #[schema(example = "conformance")]
    pub kind: String,
    #[schema(example = "pzh-2000/STANAG-4425")]
    pub key: String,
    /// The record's label; null when it has none.
    #[schema(required = true)]
    pub label: Option<Label>,
}

/// The JSON body of `PUT /api/v1/labels/{kind}/{key}`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelBody {
    /// The new label, as an object or as a string holding a STANAG 4774 XML label; null removes
    /// the record's label. Required: `{}` is an error, not a removal.
    #[schema(required = true, schema_with = label_or_xml)]
    pub label: Option<Label>,
}

fn label_or_xml() -> impl Into<RefOr<Schema>> {
    OneOfBuilder::new()
        .item(Ref::from_schema_name("Label"))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some("A STANAG 4774 XML confidentiality label.")),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
}

/// The answer of a label write.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Written {
    /// Records written: 0 when the label was already so.
    pub written: u64,
}

/// A fleet filter: `all`, `operator:X`, `origin:X` (X a nation or bloc code), `category:C`,
/// `producer:ORG`, `ids:a,b,c` or `profile:P`.
pub struct Filter;

impl PartialSchema for Filter {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(
                r"^(all|(operator|origin|category|producer|ids|profile):\S.*)$",
            ))
            .description(Some(
                "A fleet filter: `all`, `operator:X`, `origin:X` (X a nation or bloc code), \
                 `category:C`, `producer:ORG`, `ids:a,b,c` or `profile:P`.",
            ))
            .examples(["origin:KOR"])
            .into()
    }
}

impl ToSchema for Filter {}

/// How well two systems work together in one domain: 0 (not interoperable), 1 (deconflicted),
/// 2 (compatible), 3 (integrated), or `"na"` when one of them has no standard in the domain.
pub struct Level;

impl PartialSchema for Level {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .description(Some(
                "0 not interoperable, 1 deconflicted, 2 compatible, 3 integrated; \"na\" when \
                 one of the systems has no standard in the domain (docs/INTEROP.md).",
            ))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(0))
                    .maximum(Some(3)),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["na"])),
            )
            .into()
    }
}

impl ToSchema for Level {}

/// How many (system, system) pairs are at each level.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub na: u64,
    #[serde(rename = "0")]
    pub level0: u64,
    #[serde(rename = "1")]
    pub level1: u64,
    #[serde(rename = "2")]
    pub level2: u64,
    #[serde(rename = "3")]
    pub level3: u64,
}

/// A standard both systems conform to, with each side's status.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Shared {
    pub standard: String,
    pub a: ConformanceStatus,
    pub b: ConformanceStatus,
}

/// One hop of a gateway chain.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub gateway: String,
    pub from: String,
    pub to: String,
}

/// A shortest chain of fielded gateways from one side's standards to the other's.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Chain {
    /// Whether every gateway of the chain is full-fidelity.
    pub full: bool,
    pub steps: Vec<Step>,
}

/// A pair's rating in one domain, with its evidence.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainRating {
    pub domain: String,
    pub level: Level,
    /// Standards both conform to.
    pub shared: Vec<Shared>,
    /// A gateway chain from a's standards to b's, if any.
    #[schema(required = true)]
    pub a_to_b: Option<Chain>,
    /// A gateway chain from b's standards to a's, if any.
    #[schema(required = true)]
    pub b_to_a: Option<Chain>,
    /// 1 for a side with no conformance data in the domain (so `na` is "not rated"), else 0.
    pub unrated: UnratedPair,
}

/// Whether each side of a pair has no conformance data in a domain (1) or has some (0).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnratedPair {
    #[schema(minimum = 0, maximum = 1)]
    pub a: u64,
    #[schema(minimum = 0, maximum = 1)]
    pub b: u64,
}

/// How many systems of each fleet have no conformance data in a domain.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnratedFleets {
    pub left: u64,
    pub right: u64,
}

/// `GET /api/v1/interop/pair`: a pair rated in every domain where either system takes part
/// (or in the domains asked for).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairReport {
    pub a: String,
    pub b: String,
    pub domains: Vec<DomainRating>,
}

/// Counts per pair of origin nations.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NationPair {
    pub a: String,
    pub b: String,
    /// Domain code → counts.
    pub summary: BTreeMap<String, Counts>,
}

/// One (left system, right system, domain) triple and its level.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairLevel {
    pub a: String,
    pub b: String,
    pub domain: String,
    pub level: Level,
}

/// `GET /api/v1/interop/matrix`: counts per domain and per pair of origin nations.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixReport {
    /// Domain code → counts.
    pub summary: BTreeMap<String, Counts>,
    /// Domain code → systems of each fleet without conformance data there ("not rated").
    pub unrated: BTreeMap<String, UnratedFleets>,
    pub nation_pairs: Vec<NationPair>,
    /// Every pair, with `pairs=true` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairs: Option<Vec<PairLevel>>,
}

/// A kind of record by its plural name, for the lists (`/api/v1/{kind}`; transfers have their
/// own list).
pub struct ListKind;

impl PartialSchema for ListKind {
    fn schema() -> RefOr<Schema> {
        plural_names(
            Kind::ALL.into_iter().filter(|k| *k != Kind::Transfer),
            "A kind of record by its plural name (transfers have their own list, \
             `/api/v1/transfers`).",
        )
    }
}

impl ToSchema for ListKind {}

/// A kind of record by its plural name (`systems`), every kind.
pub struct PluralKind;

impl PartialSchema for PluralKind {
    fn schema() -> RefOr<Schema> {
        plural_names(
            Kind::ALL.into_iter(),
            "A kind of record by its plural name.",
        )
    }
}

impl ToSchema for PluralKind {}

/// `GET /api/v1/{kind}`: one page of the matching records, with how many match in all.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPage {
    /// The kind's plural name.
    #[schema(example = "systems")]
    pub kind: String,
    /// How many records match, over all pages.
    pub total: u64,
    /// This page's number (from 1).
    pub page: u64,
    pub per_page: u64,
    /// The page's records as their dataset JSON, in the order asked.
    pub items: Vec<Record>,
}

/// One problem of a written record: the field (`origin`, `operators[0].nation`; `$` for the
/// whole record) and what is wrong.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldError {
    #[schema(example = "origin")]
    pub field: String,
    #[schema(example = "unknown nation \"XXX\"")]
    pub message: String,
}

/// 422 of a write: what is wrong, and each problem by field (at most 50).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldErrors {
    pub error: String,
    pub fields: Vec<FieldError>,
}

/// What an action does.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    Test,
    Adopt,
    Field,
    Gateway,
}

/// A what-if action or a plan step: `{"kind": "test"|"adopt", "system", "standard"}`,
/// `{"kind": "field", "gateway"}` or `{"kind": "gateway", "domain", "from", "to"}`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub kind: ActionKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// A plan's step: the action's fields and the triples it newly covers.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanStep {
    pub kind: ActionKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    pub gain: u64,
}

/// `GET /api/v1/interop/plan`: the greedy gap-closure plan.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanReport {
    #[schema(minimum = 1, maximum = 3)]
    pub target: u8,
    pub covered_before: u64,
    pub covered_after: u64,
    pub steps: Vec<PlanStep>,
}

/// `GET /api/v1/interop/whatif`: the actions and the matrix before and after them.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfReport {
    pub actions: Vec<Action>,
    pub before: MatrixReport,
    pub after: MatrixReport,
}

/// A supplier or a recipient.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowParty {
    /// A nation code, an actor's name, or "Other suppliers" / "Other recipients".
    pub id: String,
    pub name: String,
    pub kind: FlowPartyKind,
    /// For an "other" party: how many parties it merges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged: Option<u64>,
}

/// What a party is; `other` for merged parties.
#[derive(ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FlowPartyKind {
    State,
    NonState,
    Unknown,
    Other,
}

/// One supplier → recipient flow (TIV in millions, 2 decimals).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub supplier: FlowParty,
    pub recipient: FlowParty,
    pub tiv: f64,
    pub items: u64,
    pub deals: u64,
}

/// A party's total.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowTotal {
    pub party: FlowParty,
    pub tiv: f64,
    pub items: u64,
    pub deals: u64,
}

/// How many parties and flows merged into the "other" ones.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowsMerged {
    pub top: u64,
    pub suppliers: u64,
    pub recipients: u64,
    pub flows: u64,
}

/// `GET /api/v1/flows`: supplier → recipient flows of delivered TIV.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowsReport {
    /// The credit: the source with the data's date and URL.
    pub source: String,
    /// First year counted; `null` when open and nothing was counted.
    pub from: Option<u16>,
    pub to: Option<u16>,
    pub total_tiv: f64,
    pub total_items: u64,
    pub total_deals: u64,
    pub flows: Vec<Flow>,
    pub suppliers: Vec<FlowTotal>,
    pub recipients: Vec<FlowTotal>,
    pub merged: FlowsMerged,
}

/// 403 of a workspace write: the roles, the origin, or the CSRF token.
#[derive(ToResponse)]
#[response(
    description = "The user's roles may not do this (the body's meetings, minutes and decisions \
        need `secretariat` or `admin`; proposals and action items `member` too), or the request \
        comes from another site, or a session request lacks its CSRF token."
)]
pub struct WriteForbidden(#[to_schema] Error);

/// `GET /api/v1/workspace/meetings`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingList {
    pub meetings: Vec<defcoop_domain::Meeting>,
}

/// Why a zone is shown.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ShownWhy {
    /// The meeting's own zone.
    Meeting,
    /// A participant's nation's zone.
    Participants,
    /// The zone the reader asked for (`tz`).
    Reader,
}

/// A meeting's start and end as civil times in one zone, with the offset of that day.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShownTime {
    #[schema(example = "Asia/Seoul")]
    pub zone: String,
    #[schema(example = "2025-11-20 18:00 +09:00")]
    pub start: String,
    #[schema(example = "2025-11-21 01:00 +09:00")]
    pub end: String,
    pub why: ShownWhy,
}

/// `GET /api/v1/workspace/meetings/{id}`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingView {
    pub meeting: defcoop_domain::Meeting,
    /// Its own zone first, then its participants' nations', then the reader's; each once.
    pub times: Vec<ShownTime>,
    /// Ids of its minutes the reader sees, oldest version first.
    pub minutes: Vec<String>,
    /// Ids of the decisions taken at it.
    pub decisions: Vec<String>,
}

/// An action item's state as people read it: its own status, or computed (`overdue`: open and
/// due before today; `done-in-registry`: open, but the registry records the change its plan
/// action asked for).
#[derive(ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActionState {
    Open,
    Overdue,
    Done,
    DoneInRegistry,
    Cancelled,
}

/// What kind of record carried an action out.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Conformance,
    Gateway,
}

/// The registry's record that carries out an action item's plan action.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub kind: ChangeKind,
    /// The record's key (`k9/STANAG-5516` for a conformance).
    pub key: String,
    #[schema(example = "conformance k9/STANAG-5516 is tested")]
    pub says: String,
}

/// An action item with its computed state.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionView {
    pub item: defcoop_domain::ActionItem,
    pub state: ActionState,
    /// Open, due before today, and not done in the registry.
    pub overdue: bool,
    /// The change that carries out its plan action; null when there is none.
    #[schema(required = true)]
    pub done_by: Option<Change>,
}

/// `GET /api/v1/workspace/actions`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionList {
    pub actions: Vec<ActionView>,
}

/// `POST /api/v1/workspace/proposals/{id}/assign`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignedItems {
    pub items: Vec<defcoop_domain::ActionItem>,
}

/// What a timeline entry is.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    Meeting,
    Engagement,
}

/// One meeting or engagement of a timeline.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    pub kind: EntryKind,
    pub id: String,
    pub title: String,
    /// As recorded: a civil time (or a day) in `time_zone`.
    #[schema(example = "2025-04-23")]
    pub start: String,
    #[schema(example = "Europe/Brussels")]
    pub time_zone: String,
    #[schema(required = true)]
    pub place: Option<String>,
    /// The subject's people who took part.
    pub people: Vec<String>,
    /// Everyone else who took part.
    pub with: Vec<String>,
}

/// `GET /api/v1/workspace/timeline`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Timeline {
    pub entries: Vec<TimelineEntry>,
}

/// A person of the network.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkNode {
    pub person: String,
    pub name: String,
    /// Their organization's name (empty when unknown).
    pub organization: String,
    /// Their organization's nation (empty when unknown).
    pub nation: String,
}

/// Two people, by position in `nodes` (`a < b`), and how many times they met.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkEdge {
    pub a: u64,
    pub b: u64,
    #[schema(minimum = 1)]
    pub times: u64,
}

/// `GET /api/v1/workspace/network`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Network {
    #[schema(max_items = 200)]
    pub nodes: Vec<NetworkNode>,
    pub edges: Vec<NetworkEdge>,
    /// Meetings and engagements counted.
    pub events: u64,
}

// Matchmaking's answers (matching, the consortium builder, brokerage) are in their own file.
pub use super::schema_matchmaking::*;
