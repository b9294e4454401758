//! Matchmaking over HTTP (docs/MATCHMAKING.md): `GET /api/v1/match`, the ranked offers for a
//! need or needs for an offer; `POST /api/v1/consortium/check`, a proposed consortium checked
//! against a funding instrument's rules; `GET /api/v1/consortium/build`, the best consortia
//! for a need that an instrument's rules accept; `POST /api/v1/brokerage/schedule` and
//! `/agenda`, a brokerage event's meetings and one participant's agenda as iCalendar.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use defcoop_app::matchmaking::matching::{Side, MAX_TOP};
use defcoop_domain::matchmaking::brokerage_event::EventFile;
use defcoop_domain::matchmaking::builder;
use defcoop_domain::model::Day;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::ApiError;
use crate::auth::Who;
use crate::error::Body;
use crate::interop::{known, pairs};
use crate::records::WriteError;
use crate::workspace::api::{no_empty, opt};
use crate::AppState;

/// One member of a proposed consortium.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsortiumMember {
    /// An organization's id.
    #[schema(example = "wb-group")]
    pub organization: String,
    /// Its share of the component cost, in percent (give every member's, or none for equal
    /// shares).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100)]
    pub share: Option<f64>,
}

/// `POST /api/v1/consortium/check`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsortiumCheck {
    /// The funding instrument's id.
    #[schema(example = "safe-modelled")]
    pub instrument: String,
    #[schema(min_items = 1, max_items = 500)]
    pub members: Vec<ConsortiumMember>,
    /// The day bloc memberships are read on (`YYYY-MM-DD`); today by default.
    #[serde(default)]
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub on: Option<String>,
}

/// `POST /api/v1/consortium/check`: every rule of the instrument the consortium breaks.
#[utoipa::path(
    post,
    path = "/api/v1/consortium/check",
    tag = "matchmaking",
    request_body(content = ConsortiumCheck, content_type = "application/json",
        example = json!({"instrument": "safe-modelled", "members": [
            {"organization": "wb-group", "share": 70}, {"organization": "hanwha-aerospace", "share": 30}]})),
    responses(
        (status = 200, description = "The check: each member's country and standing (eligible, \
            partner or neither) and share, every rule broken with the numbers, partners' \
            conditions, whether equal shares were assumed, and `eligible`.",
            body = defcoop_domain::matchmaking::consortium::Report),
        (status = 404, description = "No visible instrument has this id.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "The members: none, an unknown or repeated organization, a \
            share outside 0–100, shares for some members only or not adding up to 100, a bad \
            day; each named (`members[1]`).", body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn check(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<Response, WriteError> {
    let b: ConsortiumCheck = crate::workspace::api::body(&headers, &bytes)?;
    let on = match b.on.as_deref() {
        None => None,
        Some(d) => Some(Day::parse(d.trim()).ok_or_else(|| {
            WriteError::App(defcoop_app::AppError::Invalid(vec![
                defcoop_domain::Problem::new(
                    "on",
                    format!(
                        "\"{}\" is not a date (YYYY-MM-DD)",
                        defcoop_app::render::cut(d, 40)
                    ),
                ),
            ]))
        })?),
    };
    let members: Vec<(String, Option<f64>)> = b
        .members
        .into_iter()
        .map(|m| (m.organization, m.share))
        .collect();
    let report = state
        .app
        .consortium_check(&who.actor, &b.instrument, &members, on)
        .await?;
    Ok(Json(report).into_response())
}

/// `GET /api/v1/match?need=ID|offer=ID[&top=N]`: the best offers for a need, or needs for an
/// offer, each score with its parts.
#[utoipa::path(
    get,
    path = "/api/v1/match",
    tag = "matchmaking",
    params(
        ("need" = Option<String>, Query, example = "pol-artillery-data-link", description = "Rank the offers for this need (its id); \
            give this or `offer`."),
        ("offer" = Option<String>, Query, description = "Rank the needs for this offer (its id)."),
        ("top" = Option<u16>, Query, minimum = 1, maximum = 100,
            description = "How many matches (default 10)."),
    ),
    responses(
        (status = 200, description = "The ranking: every candidate of the reader's view scored \
            out of 100, the best `top` with their parts (area, text, trl, cooperation, \
            synergy), each with what it was computed from.",
            body = crate::openapi::schema::MatchList),
        (status = 400, description = "Neither or both of `need` and `offer`, a bad `top`, an \
            unknown or repeated parameter.", body = crate::openapi::schema::Error),
        (status = 404, description = "No visible need or offer has this id.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn matches(
    State(state): State<AppState>,
    who: Who,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    known(&q, &["need", "offer", "top"])?;
    no_empty(&q)?;
    let (side, id) = match (opt(&q, "need")?, opt(&q, "offer")?) {
        (Some(n), None) => (Side::Need, n),
        (None, Some(o)) => (Side::Offer, o),
        _ => {
            return Err(ApiError::bad_request(
                "give need=ID or offer=ID (one of them)",
            ))
        }
    };
    let top = match opt(&q, "top")? {
        None => 10,
        Some(t) => match t.parse::<usize>() {
            Ok(n) if (1..=MAX_TOP).contains(&n) => n,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "top: \"{}\" is not a number from 1 to {MAX_TOP}",
                    defcoop_app::render::cut(&t, 20)
                )))
            }
        },
    };
    let found = state.app.matches(&who.actor, side, &id, top).await?;
    Ok(Json(found).into_response())
}

/// `GET /api/v1/consortium/build?need=ID&instrument=ID[&size=K][&top=N][&on=DAY]`.
#[utoipa::path(
    get,
    path = "/api/v1/consortium/build",
    tag = "matchmaking",
    params(
        ("need" = String, Query, example = "eu-counter-drone-sensors",
            description = "The need the consortium answers (its id)."),
        ("instrument" = String, Query, example = "safe-modelled",
            description = "The funding instrument whose rules it must meet."),
        ("size" = Option<u16>, Query, minimum = 1, maximum = 20,
            description = "Members per consortium (default: the instrument's minimum number \
                of entities, else 3)."),
        ("top" = Option<u16>, Query, minimum = 1, maximum = 50,
            description = "How many consortia (default 5)."),
        ("on" = Option<String>, Query, pattern = r"^\d{4}-\d{2}-\d{2}$",
            description = "The day bloc memberships are read on (default today)."),
    ),
    responses(
        (status = 200, description = "The best-scoring consortia the rules accept (equal \
            shares), each member with its standing, its best offer and that offer's match \
            score; `exact`, or the `bound` of what the search did not examine.",
            body = crate::openapi::schema::BuildAnswer),
        (status = 400, description = "A missing, repeated, unknown or empty parameter, a bad \
            number or day.", body = crate::openapi::schema::Error),
        (status = 404, description = "No visible need or instrument has this id.",
            body = crate::openapi::schema::Error),
        (status = 422, description = "No candidate organization (no offer the reader sees is \
            an organization's), a size or top out of range.",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn build(
    State(state): State<AppState>,
    who: Who,
    RawQuery(raw): RawQuery,
) -> Result<Response, WriteError> {
    let q = pairs(raw)?;
    known(&q, &["need", "instrument", "size", "top", "on"])?;
    no_empty(&q)?;
    let required = |name: &str| -> Result<String, ApiError> {
        opt(&q, name)?.ok_or_else(|| ApiError::bad_request(format!("missing parameter \"{name}\"")))
    };
    let (need, instrument) = (required("need")?, required("instrument")?);
    let number = |name: &str, max: usize| -> Result<Option<usize>, ApiError> {
        match opt(&q, name)? {
            None => Ok(None),
            Some(t) => match t.parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                _ => Err(ApiError::bad_request(format!(
                    "{name}: \"{}\" is not a number from 1 to {max}",
                    defcoop_app::render::cut(&t, 20)
                ))),
            },
        }
    };
    let size = number("size", builder::MAX_SIZE)?;
    let top = number("top", builder::MAX_TOP)?.unwrap_or(5);
    let on = match opt(&q, "on")? {
        None => None,
        Some(d) => Some(Day::parse(&d).ok_or_else(|| {
            ApiError::bad_request(format!(
                "on: \"{}\" is not a date (YYYY-MM-DD)",
                defcoop_app::render::cut(&d, 40)
            ))
        })?),
    };
    let built = state
        .app
        .consortium_build(&who.actor, &need, &instrument, size, top, on)
        .await?;
    Ok(Json(built).into_response())
}

/// `POST /api/v1/brokerage/schedule`: an event's meetings scheduled.
#[utoipa::path(
    post,
    path = "/api/v1/brokerage/schedule",
    tag = "matchmaking",
    request_body(content = defcoop_domain::matchmaking::brokerage_event::EventFile,
        content_type = "application/json",
        example = json!({"title": "Info day", "time_zone": "Europe/Brussels", "tables": 2,
            "slots": [{"start": "2026-03-10T14:00", "minutes": 25}, {"start": "2026-03-10T14:30", "minutes": 25}],
            "participants": [
                {"id": "wb", "organization": "wb-group", "requests": ["hanwha"]},
                {"id": "hanwha", "organization": "hanwha-aerospace", "available": [1]}]})),
    responses(
        (status = 200, description = "The schedule: the slots with their times, every meeting \
            placed (slot, table, participants, who asked), those not placed, `placed` against \
            `upper_bound` (`exact`: proved the most possible), and each participant's agenda.",
            body = crate::openapi::schema::BrokerageSchedule),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "The event: an unknown zone, overlapping or bad slots, a \
            participant without availability, an unknown participant, organization, need or \
            offer; each located (`$.participants[2].available`).",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn brokerage(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<Response, WriteError> {
    let e: EventFile = crate::workspace::api::body(&headers, &bytes)?;
    let s = state.app.brokerage_schedule(&who.actor, e).await?;
    Ok(Json(s).into_response())
}

/// `POST /api/v1/brokerage/agenda?participant=ID`: one participant's agenda as iCalendar.
#[utoipa::path(
    post,
    path = "/api/v1/brokerage/agenda",
    tag = "matchmaking",
    params(("participant" = String, Query, example = "hanwha",
        description = "The participant (its id in the event).")),
    request_body(content = defcoop_domain::matchmaking::brokerage_event::EventFile,
        content_type = "application/json",
        example = json!({"title": "Info day", "time_zone": "Europe/Brussels", "tables": 2,
            "slots": [{"start": "2026-03-10T14:00", "minutes": 25}, {"start": "2026-03-10T14:30", "minutes": 25}],
            "participants": [
                {"id": "wb", "organization": "wb-group", "requests": ["hanwha"]},
                {"id": "hanwha", "organization": "hanwha-aerospace", "available": [1]}]})),
    responses(
        (status = 200, description = "The participant's meetings as an iCalendar stream (RFC \
            5545), at the event zone's times with its VTIMEZONE.", content_type = "text/calendar",
            body = String),
        (status = 400, description = "A missing, empty, repeated or unknown parameter.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "No participant of the event has this id.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "The event, as for the schedule.",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn agenda(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    Body(bytes): Body,
) -> Result<Response, WriteError> {
    let q = pairs(raw)?;
    known(&q, &["participant"])?;
    no_empty(&q)?;
    let participant = opt(&q, "participant")?
        .ok_or_else(|| ApiError::bad_request("missing parameter \"participant\""))?;
    let e: EventFile = crate::workspace::api::body(&headers, &bytes)?;
    let s = state.app.brokerage_schedule(&who.actor, e).await?;
    let ics = state.app.brokerage_ics(&s, &participant)?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/calendar; charset=utf-8",
        )],
        ics,
    )
        .into_response())
}
