//! `/api/v1`: JSON for programs. Every answer is computed over what the request's reader may
//! see; a hidden record is "not found", exactly like an absent one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use defcoop_app::{AppError, RecordKind, TransferPage, TransferQuery};
use defcoop_domain::model::Transfer;
use serde::Deserialize;
use serde_json::json;

use crate::auth::Who;
pub use crate::error::ApiError;
use crate::error::{Body, Path, Query};
use crate::{AppState, WebError};

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        if e.is_not_found() {
            return ApiError::not_found(e.to_string());
        }
        match e {
            AppError::BadRequest(m) => ApiError::bad_request(m),
            AppError::Forbidden(m) => ApiError(StatusCode::FORBIDDEN, m),
            AppError::Unauthenticated(m) => ApiError(StatusCode::UNAUTHORIZED, m),
            e @ AppError::Throttled(_) => ApiError(StatusCode::TOO_MANY_REQUESTS, e.to_string()),
            AppError::Conflict(m) => ApiError(StatusCode::CONFLICT, m),
            AppError::Engine(e) => ApiError::bad_request(e.to_string()),
            AppError::Invalid(problems) => ApiError(
                StatusCode::UNPROCESSABLE_ENTITY,
                problems
                    .iter()
                    .map(|p| p.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            e => crate::error::server_side(WebError::from(e)),
        }
    }
}

/// `GET /api/v1/transfers`: visible transfers matching the query, a page at a time:
/// `{"total", "offset", "limit", "transfers"}`.
#[utoipa::path(
    get,
    path = "/api/v1/transfers",
    tag = "transfers",
    params(
        ("supplier" = Option<String>, Query, example = "KOR",
            description = "The supplier: a nation code, or a non-state or unknown actor's name."),
        ("recipient" = Option<String>, Query, example = "POL",
            description = "The recipient: a nation code, or a non-state or unknown actor's name."),
        ("system" = Option<String>, Query, description = "The system's id."),
        ("category" = Option<String>, Query, example = "armoured-vehicles",
            description = "The transfer's category."),
        ("from" = Option<u16>, Query, minimum = 0, maximum = 65535,
            description = "Only transfers with a delivery in this year or later."),
        ("to" = Option<u16>, Query, minimum = 0, maximum = 65535,
            description = "Only transfers with a delivery in this year or earlier (not before `from`)."),
        ("limit" = Option<u16>, Query, minimum = 1, maximum = 1000,
            description = "Transfers per page (default 100)."),
        ("offset" = Option<u32>, Query, format = Int64, minimum = 0, maximum = 4294967295.0,
            description = "Matching transfers to skip (default 0)."),
    ),
    responses(
        (status = 200, description = "One page of the visible transfers that match.",
            body = crate::openapi::schema::TransferPage),
        (status = 400, description = "A year, limit or offset that is not a number in range, \
            or `from` after `to`.", body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn transfers(
    State(state): State<AppState>,
    who: Who,
    Query(q): Query<TransferQuery>,
) -> Result<Json<TransferPage>, ApiError> {
    no_empty_numbers(&q)?;
    let filter = q.validate()?;
    Ok(Json(state.app.transfers(&who.actor, filter).await?))
}

/// The page's form sends empty fields, which mean "no bound"; a program that gives `limit=`
/// has made a mistake, and hears of it.
fn no_empty_numbers(q: &TransferQuery) -> Result<(), ApiError> {
    let numbers = [
        ("from", &q.from),
        ("to", &q.to),
        ("limit", &q.limit),
        ("offset", &q.offset),
    ];
    match numbers
        .iter()
        .find(|(_, v)| v.as_deref().is_some_and(|v| v.trim().is_empty()))
    {
        Some((name, _)) => Err(ApiError::bad_request(format!(
            "{name} is empty: give a number, or leave the parameter out"
        ))),
        None => Ok(()),
    }
}

/// `GET /api/v1/transfers/{id}`.
#[utoipa::path(
    get,
    path = "/api/v1/transfers/{id}",
    tag = "transfers",
    params(("id" = String, Path, example = "sipri-67389",
        description = "The transfer's id (`sipri-` and the deal's number, for SIPRI's deals).")),
    responses(
        (status = 200, description = "The transfer.", body = defcoop_domain::Transfer),
        (status = 404, description = "No visible transfer has this id.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn transfer(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Transfer>, ApiError> {
    Ok(Json(state.app.transfer(&who.actor, &id).await?))
}

/// `GET /api/v1/records/{kind}/{key}`: one record of any kind as its dataset JSON (a
/// conformance's key is `SYSTEM/STANDARD`). Hidden records are "not found" like absent ones.
#[utoipa::path(
    get,
    path = "/api/v1/records/{kind}/{key}",
    tag = "records",
    params(
        ("kind" = crate::openapi::schema::RecordKind, Path, example = "system"),
        ("key" = String, Path, example = "k9", min_length = 1,
            description = "The record's key (`SYSTEM/STANDARD` for a conformance)."),
    ),
    responses(
        (status = 200, description = "The record as its dataset JSON.",
            body = crate::openapi::schema::Record),
        (status = 404, description = "No such kind, or no visible record of it has this key.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn record(
    State(state): State<AppState>,
    who: Who,
    Path((kind, key)): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let kind = RecordKind::parse_any(&kind)?;
    Ok(Json(state.app.record(&who.actor, kind, &key).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct LabelQuery {
    format: Option<String>,
}

/// `GET /api/v1/labels/{kind}/{key}`: a record's label, as `{"kind", "key", "label"}` JSON
/// (`label` null when unlabelled) or, with `?format=stanag4774` or `Accept:
/// application/xml`, as a STANAG 4774 XML label (404 when the record has none). `kind` is the
/// singular or plural name (`system`, `transfers`); a conformance's key is `SYSTEM/STANDARD`.
/// Hidden records are "not found", exactly like absent ones.
#[utoipa::path(
    get,
    path = "/api/v1/labels/{kind}/{key}",
    tag = "records",
    params(
        ("kind" = crate::openapi::schema::LabelledKind, Path, example = "conformance"),
        ("key" = String, Path, example = "pzh-2000/STANAG-4425", min_length = 1,
            description = "The record's key (`SYSTEM/STANDARD` for a conformance)."),
        ("format" = Option<crate::openapi::schema::LabelFormat>, Query, example = "json",
            description = "`json`, or `stanag4774` (also `xml`) for a STANAG 4774 XML label. \
                Without it, `Accept: application/xml` (or `text/xml`) asks for XML."),
    ),
    responses(
        (status = 200, description = "The record's label.", content(
            (crate::openapi::schema::LabelAnswer = "application/json"),
            (String = "application/xml"),
        )),
        (status = 400, description = "An unknown `format`.", body = crate::openapi::schema::Error),
        (status = 404, description = "No such kind, no visible record of it has this key, or \
            XML was asked for and the record has no label.", body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn label(
    State(state): State<AppState>,
    who: Who,
    Path((kind, key)): Path<(String, String)>,
    Query(q): Query<LabelQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let k = RecordKind::parse(&kind)?;
    let xml = match q.format.as_deref() {
        None => headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("application/xml") || a.contains("text/xml")),
        Some("stanag4774") | Some("xml") => true,
        Some("json") => false,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "format \"{other}\" is not json or stanag4774"
            )))
        }
    };
    let label = state.app.label(&who.actor, k, &key).await?;
    let noun = k.0.noun();
    if xml {
        let label = label.ok_or_else(|| {
            ApiError::not_found(format!(
                "{noun} \"{}\" has no label",
                defcoop_app::render::cut(&key, 200)
            ))
        })?;
        return Ok((
            [(
                axum::http::header::CONTENT_TYPE,
                "application/xml; charset=utf-8",
            )],
            defcoop_domain::stanag4774::label_to_xml(&label),
        )
            .into_response());
    }
    Ok(Json(json!({"kind": noun, "key": key, "label": label})).into_response())
}

/// `PUT /api/v1/labels/{kind}/{key}`: sets a record's label from a STANAG 4774 XML body
/// (`Content-Type: application/xml`) or a JSON body `{"label": LABEL | null}` (null removes it).
/// The record must be visible to the reader, who must satisfy the new label (PRODUCT.md: a user
/// can only write a label that they themselves satisfy); 422 lists what is wrong with it.
#[utoipa::path(
    put,
    path = "/api/v1/labels/{kind}/{key}",
    tag = "records",
    params(
        ("kind" = crate::openapi::schema::LabelledKind, Path, example = "conformance"),
        ("key" = String, Path, example = "pzh-2000/STANAG-4425", min_length = 1,
            description = "The record's key (`SYSTEM/STANDARD` for a conformance)."),
    ),
    request_body(description = "The new label: JSON `{\"label\": LABEL | null}` or a STANAG \
        4774 XML label.", content(
        (crate::openapi::schema::LabelBody = "application/json"),
        (String = "application/xml"),
    )),
    responses(
        (status = 200, description = "The label is written (or was already so).",
            body = crate::openapi::schema::Written),
        (status = 400, description = "The body is not a label.", body = crate::openapi::schema::Error),
        (status = 403, description = "The user's roles may not write registry records, or \
            the request comes from another site (`Origin`, `Sec-Fetch-Site`), or it was made \
            with a session and lacks the session's CSRF token (`X-CSRF-Token`).",
            body = crate::openapi::schema::Error),
        (status = 404, description = "No such kind, or no visible record of it has this key.",
            body = crate::openapi::schema::Error),
        (status = 413, description = "The body is larger than the server's limit.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The `Content-Type` is neither JSON nor XML.",
            body = crate::openapi::schema::Error),
        (status = 422, description = "The label is not valid here (unknown policy or \
            classification, a label the writer does not satisfy, ...).",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn put_label(
    State(state): State<AppState>,
    who: Who,
    Path((kind, key)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    Body(body): Body,
) -> Result<Json<serde_json::Value>, ApiError> {
    let k = RecordKind::parse(&kind)?;
    let xml = crate::guard::xml_or_json(&headers)?;
    let label = if xml {
        Some(
            defcoop_domain::stanag4774::label_from_xml("body", &body)
                .map_err(|p| ApiError::bad_request(format!("STANAG 4774 label: {p}")))?,
        )
    } else {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct LabelBody {
            // Required, so that `{}` is an error rather than "remove the label".
            #[serde(deserialize_with = "Option::deserialize")]
            label: Option<defcoop_domain::Label>,
        }
        serde_json::from_slice::<LabelBody>(&body)
            .map_err(|e| {
                ApiError::bad_request(format!("expected {{\"label\": LABEL or null}}: {e}"))
            })?
            .label
    };
    let out = state.app.set_label(&who.actor, k, &key, label).await?;
    Ok(Json(json!({"written": out.written})))
}
