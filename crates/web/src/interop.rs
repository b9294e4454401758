//! `/api/v1/interop/...`: the engine's answers over HTTP, from the server's cached snapshot of
//! the reader's view, in the same JSON shapes as `defcoop interop ... --format json`.
//!
//! Fleet filters and domains may repeat (`?left=origin:KOR&left=category:artillery`), so the
//! query string is read as a list of pairs rather than into a struct.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use defcoop_app::MatrixQuery;

use crate::api::ApiError;
use crate::auth::Who;
use crate::AppState;

/// Most (a, b, domain) triples a matrix answer lists with `pairs=true` (some 8.5 MB of JSON);
/// the CLI may list more.
pub const MAX_LISTED_PAIRS: usize = 100_000;

/// Most query parameters one request may carry.
const MAX_PARAMS: usize = 200;

/// The query string as (name, value) pairs, in order.
pub(crate) fn pairs(raw: Option<String>) -> Result<Vec<(String, String)>, ApiError> {
    let raw = raw.unwrap_or_default();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&raw)
        .map_err(|e| ApiError::bad_request(format!("malformed query string: {e}")))?;
    if pairs.len() > MAX_PARAMS {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_PARAMS} query parameters"
        )));
    }
    Ok(pairs)
}

pub(crate) fn all(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

pub(crate) fn one(pairs: &[(String, String)], name: &str) -> Result<String, ApiError> {
    match all(pairs, name).as_slice() {
        [v] => Ok(v.clone()),
        [] => Err(ApiError::bad_request(format!(
            "missing parameter \"{name}\""
        ))),
        _ => Err(ApiError::bad_request(format!(
            "parameter \"{name}\" given more than once"
        ))),
    }
}

/// Every value of a fleet parameter; an empty one is an error, not a filter left out.
pub(crate) fn filters(pairs: &[(String, String)], name: &str) -> Result<Vec<String>, ApiError> {
    let values: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .collect();
    if values.iter().any(String::is_empty) {
        return Err(ApiError::bad_request(format!(
            "an empty {name} filter (e.g. all, operator:POL, origin:KOR)"
        )));
    }
    Ok(values)
}

/// A boolean parameter: absent is false; given, it is `true`, `false`, `1` or `0` (the last
/// one counts), and an empty value is an error.
pub(crate) fn flag(pairs: &[(String, String)], name: &str) -> Result<bool, ApiError> {
    let last = pairs.iter().rev().find(|(k, _)| k == name);
    match last.map(|(_, v)| v.trim()) {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!(
            "{name}: \"{}\" is not true or false",
            defcoop_app::render::cut(other, 40)
        ))),
    }
}

/// Only the parameters a route knows: a typo is an error, not a silently wider answer.
pub(crate) fn known(pairs: &[(String, String)], names: &[&str]) -> Result<(), ApiError> {
    match pairs.iter().find(|(k, _)| !names.contains(&k.as_str())) {
        None => Ok(()),
        Some((k, _)) => Err(ApiError::bad_request(format!(
            "unknown parameter \"{}\" (known: {})",
            defcoop_app::render::cut(k, 40),
            names.join(", ")
        ))),
    }
}

/// `GET /api/v1/interop/pair?a=SYSTEM&b=SYSTEM[&domain=D...]`: the pair's level per domain with
/// its evidence. 404 when a system or domain is unknown (or hidden).
#[utoipa::path(
    get,
    path = "/api/v1/interop/pair",
    tag = "interop",
    params(
        ("a" = String, Query, example = "k9", pattern = r"\S", description = "A system's id."),
        ("b" = String, Query, example = "pzh-2000", pattern = r"\S",
            description = "The other system's id."),
        ("domain" = Option<Vec<String>>, Query, style = Form, explode,
            description = "Only these domains (repeat the parameter); all by default."),
    ),
    responses(
        (status = 200, description = "The pair's level per domain with its evidence.",
            body = crate::openapi::schema::PairReport),
        (status = 400, description = "A missing, repeated or unknown parameter.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "A system or domain is unknown (or hidden).",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn pair(
    State(state): State<AppState>,
    who: Who,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    known(&q, &["a", "b", "domain"])?;
    let (a, b) = (one(&q, "a")?, one(&q, "b")?);
    let report = state
        .app
        .pair(&who.actor, &a, &b, &all(&q, "domain"))
        .await?;
    Ok(Json(report).into_response())
}

/// `GET /api/v1/interop/matrix?left=F[&left=F...]&right=F[...][&domain=D...][&pairs=true]
/// [&on=YYYY-MM-DD]`: counts per domain and per pair of origin nations (and every pair, with
/// `pairs=true`); a bloc filter means the members on `on` (default today).
#[utoipa::path(
    get,
    path = "/api/v1/interop/matrix",
    tag = "interop",
    params(
        ("left" = Vec<crate::openapi::schema::Filter>, Query, style = Form, explode, min_items = 1,
            example = json!(["origin:KOR"]),
            description = "The left fleet's filters, combined by AND (repeat the parameter): \
                `all`, `operator:X`, `origin:X` (X a nation or bloc code), `category:C`, \
                `producer:ORG`, `ids:a,b,c`, `profile:P`."),
        ("right" = Vec<crate::openapi::schema::Filter>, Query, style = Form, explode, min_items = 1,
            example = json!(["operator:POL"]),
            description = "The right fleet's filters, as `left`."),
        ("domain" = Option<Vec<String>>, Query, style = Form, explode,
            description = "Only these domains (repeat the parameter); all by default."),
        ("pairs" = Option<bool>, Query,
            description = "Also list every (a, b, domain) triple (at most 100,000)."),
        ("on" = Option<String>, Query, pattern = r"^\d{4}-\d{2}-\d{2}$",
            description = "The day whose members a bloc filter means (YYYY-MM-DD); today by default."),
    ),
    responses(
        (status = 200, description = "Counts per domain and per pair of origin nations.",
            body = crate::openapi::schema::MatrixReport),
        (status = 400, description = "A missing fleet, a malformed filter, an unknown nation, \
            bloc, category or organization, an unknown parameter, or, with `pairs=true`, more \
            than 100,000 triples to list, or `on` not a date.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "A system or domain is unknown (or hidden).",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn matrix(
    State(state): State<AppState>,
    who: Who,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    known(&q, &["left", "right", "domain", "pairs", "on"])?;
    // An empty `on=` is an error, like every other empty parameter, not "today".
    let on = match q.iter().rev().find(|(k, _)| k == "on") {
        Some((_, d)) => Some(defcoop_app::clock::parse_day(d.trim())?),
        None => None,
    };
    let query = MatrixQuery {
        left: filters(&q, "left")?,
        right: filters(&q, "right")?,
        domains: all(&q, "domain"),
        pairs: flag(&q, "pairs")?,
        max_listed: Some(MAX_LISTED_PAIRS),
        on,
    };
    let m = state
        .app
        .matrix(&who.actor, &query, Arc::new(defcoop_engine::NoProgress))
        .await?;
    Ok(Json(m.report()).into_response())
}
