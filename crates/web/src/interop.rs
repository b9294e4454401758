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
use crate::AppState;

/// Most query parameters one request may carry.
const MAX_PARAMS: usize = 200;

/// The query string as (name, value) pairs, in order.
fn pairs(raw: Option<String>) -> Result<Vec<(String, String)>, ApiError> {
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

fn all(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn one(pairs: &[(String, String)], name: &str) -> Result<String, ApiError> {
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

fn flag(pairs: &[(String, String)], name: &str) -> Result<bool, ApiError> {
    match all(pairs, name).last().map(String::as_str) {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!(
            "{name}: \"{}\" is not true or false",
            defcoop_app::render::cut(other, 40)
        ))),
    }
}

/// Only the parameters a route knows: a typo is an error, not a silently wider answer.
fn known(pairs: &[(String, String)], names: &[&str]) -> Result<(), ApiError> {
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
pub async fn pair(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    known(&q, &["a", "b", "domain"])?;
    let (a, b) = (one(&q, "a")?, one(&q, "b")?);
    let report = state
        .app
        .pair(state.actor(), &a, &b, &all(&q, "domain"))
        .await?;
    Ok(Json(report).into_response())
}

/// `GET /api/v1/interop/matrix?left=F[&left=F...]&right=F[...][&domain=D...][&pairs=true]
/// [&on=YYYY-MM-DD]`: counts per domain and per pair of origin nations (and every pair, with
/// `pairs=true`); a bloc filter means the members on `on` (default today).
pub async fn matrix(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    known(&q, &["left", "right", "domain", "pairs", "on"])?;
    let on = match all(&q, "on").last() {
        Some(d) => Some(defcoop_app::clock::parse_day(d)?),
        None => None,
    };
    let query = MatrixQuery {
        left: all(&q, "left"),
        right: all(&q, "right"),
        domains: all(&q, "domain"),
        pairs: flag(&q, "pairs")?,
        on,
    };
    let m = state
        .app
        .matrix(state.actor(), &query, Arc::new(defcoop_engine::NoProgress))
        .await?;
    Ok(Json(m.report()).into_response())
}
