//! `/api/v1/interop/whatif`, `/api/v1/interop/plan` and `/api/v1/flows`: the engine's what-if,
//! gap-closure plan and arms flows over HTTP, in the same JSON as `defcoop interop whatif|plan
//! --format json` and `defcoop flows --format json`. They are reads: GET with query parameters,
//! every one checked (unknown ones refused), with limits on what one request may ask.
//!
//! The parsing here is shared with the pages (`interop_pages`), so a page and the API read the
//! same parameters the same way.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use defcoop_app::{MatrixQuery, PlanQuery};
use defcoop_domain::model::Day;
use defcoop_engine::FlowQuery;

use crate::api::ApiError;
use crate::auth::Who;
use crate::interop::{all, filters, known, pairs};
use crate::AppState;

/// Most filters one fleet may combine.
pub const MAX_FILTERS: usize = 20;
/// Most domains one question may name.
pub const MAX_DOMAINS: usize = 100;
/// Most actions of a what-if over HTTP (the CLI may apply up to 1,000).
pub const MAX_ACTIONS: usize = 100;
/// Largest plan budget over HTTP (the CLI may ask up to 1,000).
pub const MAX_BUDGET: usize = 100;
/// Most flows whose parties a flows answer names.
pub const MAX_TOP: usize = 200;
/// Most supplier, recipient or category filters of a flows question.
pub const MAX_PARTIES: usize = 50;

/// The parameters of a fleet question.
pub(crate) const FLEET_PARAMS: [&str; 4] = ["left", "right", "domain", "on"];

/// A number parameter given at most once; `None` when absent.
pub(crate) fn number<T: std::str::FromStr>(
    q: &[(String, String)],
    name: &str,
) -> Result<Option<T>, ApiError> {
    let values: Vec<&str> = q
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .collect();
    match values.as_slice() {
        [] => Ok(None),
        [v] => v.parse().map(Some).map_err(|_| {
            ApiError::bad_request(format!(
                "{name}: \"{}\" is not a number in range",
                defcoop_app::render::cut(v, 40)
            ))
        }),
        _ => Err(ApiError::bad_request(format!(
            "parameter \"{name}\" given more than once"
        ))),
    }
}

/// A day parameter (`YYYY-MM-DD`), given at most once; an empty value is an error.
pub(crate) fn day(q: &[(String, String)], name: &str) -> Result<Option<Day>, ApiError> {
    let values: Vec<&str> = q
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .collect();
    match values.as_slice() {
        [] => Ok(None),
        [v] => Day::parse(v).map(Some).ok_or_else(|| {
            ApiError::bad_request(format!(
                "{name}: \"{}\" is not a date (YYYY-MM-DD)",
                defcoop_app::render::cut(v, 40)
            ))
        }),
        _ => Err(ApiError::bad_request(format!(
            "parameter \"{name}\" given more than once"
        ))),
    }
}

/// A fleet's filters. With `split`, a value may hold several filters separated by spaces (a
/// page's text field); the API takes one filter per value.
fn fleet(q: &[(String, String)], name: &str, split: bool) -> Result<Vec<String>, ApiError> {
    let values = if split {
        let joined: Vec<String> = q
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split_whitespace().map(str::to_string))
            .collect();
        joined
    } else {
        filters(q, name)?
    };
    if values.len() > MAX_FILTERS {
        return Err(ApiError::bad_request(format!(
            "the {name} fleet combines at most {MAX_FILTERS} filters"
        )));
    }
    Ok(values)
}

/// Both fleets, the domains and the day of a fleet question.
pub(crate) fn fleet_query(q: &[(String, String)], split: bool) -> Result<MatrixQuery, ApiError> {
    let domains = all(q, "domain");
    if domains.len() > MAX_DOMAINS {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_DOMAINS} domains"
        )));
    }
    Ok(MatrixQuery {
        left: fleet(q, "left", split)?,
        right: fleet(q, "right", split)?,
        domains,
        pairs: false,
        max_listed: Some(crate::interop::MAX_LISTED_PAIRS),
        on: day(q, "on")?,
    })
}

/// A plan's question: the fleets, `target` (1–3, default 2) and `budget` (1–100, default 10).
pub(crate) fn plan_query(q: &[(String, String)], split: bool) -> Result<PlanQuery, ApiError> {
    let fleets = fleet_query(q, split)?;
    let target = number::<u8>(q, "target")?.unwrap_or(2);
    if !(1..=3).contains(&target) {
        return Err(ApiError::bad_request(format!(
            "target: {target} is not a level (1, 2 or 3)"
        )));
    }
    let budget = number::<usize>(q, "budget")?.unwrap_or(10);
    if budget == 0 || budget > MAX_BUDGET {
        return Err(ApiError::bad_request(format!(
            "budget: between 1 and {MAX_BUDGET} actions"
        )));
    }
    Ok(PlanQuery {
        fleets,
        target,
        budget,
    })
}

/// Checks a what-if's actions (at most [`MAX_ACTIONS`], each parsed) and returns them as given.
pub(crate) fn checked_actions(actions: Vec<String>) -> Result<Vec<String>, ApiError> {
    if actions.is_empty() {
        return Err(ApiError::bad_request(
            "give at least one action (test:SYSTEM:STANDARD, adopt:SYSTEM:STANDARD, field:GATEWAY, gateway:DOMAIN:FROM:TO)",
        ));
    }
    if actions.len() > MAX_ACTIONS {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_ACTIONS} actions"
        )));
    }
    for a in &actions {
        defcoop_app::parse_action(a)?;
    }
    Ok(actions)
}

/// A flows question: `supplier`, `recipient`, `category` (repeatable), `from`, `to`, `top`,
/// `members-on`.
pub(crate) fn flow_query(q: &[(String, String)]) -> Result<FlowQuery, ApiError> {
    let many = |name: &str| {
        let v = all(q, name);
        if v.len() > MAX_PARTIES {
            Err(ApiError::bad_request(format!(
                "at most {MAX_PARTIES} {name} filters"
            )))
        } else {
            Ok(v)
        }
    };
    let top = number::<usize>(q, "top")?.unwrap_or(defcoop_engine::flows::DEFAULT_TOP);
    if top == 0 || top > MAX_TOP {
        return Err(ApiError::bad_request(format!(
            "top: between 1 and {MAX_TOP}"
        )));
    }
    let from = number::<u16>(q, "from")?;
    let to = number::<u16>(q, "to")?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::bad_request(format!(
                "the year range is empty: from {f} is after to {t}"
            )));
        }
    }
    Ok(FlowQuery {
        suppliers: many("supplier")?,
        recipients: many("recipient")?,
        from,
        to,
        categories: many("category")?,
        top,
        members_on: day(q, "members-on")?,
    })
}

/// The parameters of a flows question.
pub(crate) const FLOW_PARAMS: [&str; 7] = [
    "supplier",
    "recipient",
    "category",
    "from",
    "to",
    "top",
    "members-on",
];

/// `GET /api/v1/interop/whatif?left=F&right=F&action=A[&action=A...][&domain=D...][&on=DAY]`:
/// the matrix of two fleets now and after the actions, applied in order.
#[utoipa::path(
    get,
    path = "/api/v1/interop/whatif",
    tag = "interop",
    params(
        ("left" = Vec<crate::openapi::schema::Filter>, Query, style = Form, explode, min_items = 1,
            example = json!(["origin:KOR"]),
            description = "The left fleet's filters, combined by AND (repeat the parameter), \
                as for the matrix."),
        ("right" = Vec<crate::openapi::schema::Filter>, Query, style = Form, explode, min_items = 1,
            example = json!(["all"]), description = "The right fleet's filters, as `left`."),
        ("action" = Vec<String>, Query, style = Form, explode, min_items = 1, max_items = 100,
            example = json!(["field:GATEWAY"]),
            description = "An action (repeat, applied in order, at most 100): \
                `test:SYSTEM:STANDARD`, `adopt:SYSTEM:STANDARD`, `field:GATEWAY`, \
                `gateway:DOMAIN:FROM:TO`."),
        ("domain" = Option<Vec<String>>, Query, style = Form, explode,
            description = "Only these domains (repeat the parameter, at most 100); all by default."),
        ("on" = Option<String>, Query, pattern = r"^\d{4}-\d{2}-\d{2}$",
            description = "The day whose members a bloc filter means (YYYY-MM-DD); today by default."),
    ),
    responses(
        (status = 200, description = "`{\"actions\", \"before\", \"after\"}`: the actions and \
            the matrix before and after them, as `interop whatif --format json`.",
            body = crate::openapi::schema::WhatIfReport),
        (status = 400, description = "A missing fleet or action, a malformed filter or action, \
            an action the registry refuses, too many actions or filters, an unknown parameter.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "A system, standard, gateway or domain is unknown (or hidden).",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn whatif(
    State(state): State<AppState>,
    who: Who,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let mut names = FLEET_PARAMS.to_vec();
    names.push("action");
    known(&q, &names)?;
    let query = fleet_query(&q, false)?;
    let actions = checked_actions(filters(&q, "action")?)?;
    let w = state.app.whatif(&who.actor, &query, &actions).await?;
    Ok(Json(serde_json::json!({
        "actions": w.actions,
        "before": w.before.report(),
        "after": w.after.report(),
    }))
    .into_response())
}

/// `GET /api/v1/interop/plan?left=F&right=F[&domain=D...][&on=DAY][&target=1|2|3][&budget=K]`:
/// the greedy gap-closure plan, as `interop plan --format json`.
#[utoipa::path(
    get,
    path = "/api/v1/interop/plan",
    tag = "interop",
    params(
        ("left" = Vec<crate::openapi::schema::Filter>, Query, style = Form, explode, min_items = 1,
            example = json!(["origin:KOR"]),
            description = "The left fleet's filters, combined by AND (repeat the parameter), \
                as for the matrix."),
        ("right" = Vec<crate::openapi::schema::Filter>, Query, style = Form, explode, min_items = 1,
            example = json!(["operator:POL"]), description = "The right fleet's filters, as `left`."),
        ("domain" = Option<Vec<String>>, Query, style = Form, explode,
            description = "Only these domains (repeat the parameter, at most 100); all by default."),
        ("on" = Option<String>, Query, pattern = r"^\d{4}-\d{2}-\d{2}$",
            description = "The day whose members a bloc filter means (YYYY-MM-DD); today by default."),
        ("target" = Option<u8>, Query, minimum = 1, maximum = 3,
            description = "The level a triple must reach to count as covered (default 2)."),
        ("budget" = Option<u32>, Query, minimum = 1, maximum = 100,
            description = "Actions at most (default 10)."),
    ),
    responses(
        (status = 200, description = "`{\"target\", \"covered_before\", \"covered_after\", \
            \"steps\"}`, as `interop plan --format json`.",
            body = crate::openapi::schema::PlanReport),
        (status = 400, description = "A missing fleet, a malformed filter, a target or budget \
            out of range, an unknown parameter.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "A system or domain is unknown (or hidden).",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn plan(
    State(state): State<AppState>,
    who: Who,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let mut names = FLEET_PARAMS.to_vec();
    names.extend(["target", "budget"]);
    known(&q, &names)?;
    let query = plan_query(&q, false)?;
    let outcome = state
        .app
        .plan(&who.actor, &query, Arc::new(defcoop_engine::NoProgress))
        .await?;
    Ok(Json(&outcome.plan).into_response())
}

/// `GET /api/v1/flows?[supplier=X...][&recipient=X...][&category=C...][&from=Y][&to=Y][&top=N]
/// [&members-on=DAY]`: supplier → recipient flows of delivered TIV, as `flows --format json`.
#[utoipa::path(
    get,
    path = "/api/v1/flows",
    tag = "transfers",
    params(
        ("supplier" = Option<Vec<String>>, Query, style = Form, explode, example = json!(["KOR"]),
            description = "A supplier: a nation code, a bloc code (its members, each for the \
                years it was one) or a non-state or unknown actor's exact name (repeat for any \
                of several, at most 50)."),
        ("recipient" = Option<Vec<String>>, Query, style = Form, explode,
            description = "A recipient, as `supplier`."),
        ("category" = Option<Vec<String>>, Query, style = Form, explode,
            description = "An armament category: a code or SIPRI's name (repeat for any of several)."),
        ("from" = Option<u16>, Query, minimum = 0, maximum = 65535,
            description = "First delivery year counted (inclusive)."),
        ("to" = Option<u16>, Query, minimum = 0, maximum = 65535,
            description = "Last delivery year counted (inclusive, not before `from`)."),
        ("top" = Option<u32>, Query, minimum = 1, maximum = 200,
            description = "Name the parties of this many largest flows (default 30); the others merge."),
        ("members-on" = Option<String>, Query, pattern = r"^\d{4}-\d{2}-\d{2}$",
            description = "A bloc means its members on this day for every year (YYYY-MM-DD)."),
    ),
    responses(
        (status = 200, description = "The flows, totals per party and the source credit, as \
            `flows --format json` (TIV in millions, 2 decimals).",
            body = crate::openapi::schema::FlowsReport),
        (status = 400, description = "An unknown party or category, an empty year range, a \
            value out of range, an unknown parameter.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn flows(
    State(state): State<AppState>,
    who: Who,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    known(&q, &FLOW_PARAMS)?;
    let query = flow_query(&q)?;
    let answer = state.app.flows(&who.actor, query).await?;
    Ok(Json(&answer.flows).into_response())
}
