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
pub async fn transfers(
    State(state): State<AppState>,
    who: Who,
    Query(q): Query<TransferQuery>,
) -> Result<Json<TransferPage>, ApiError> {
    let filter = q.validate()?;
    Ok(Json(state.app.transfers(&who.actor, filter).await?))
}

/// `GET /api/v1/transfers/{id}`.
pub async fn transfer(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Transfer>, ApiError> {
    Ok(Json(state.app.transfer(&who.actor, &id).await?))
}

/// `GET /api/v1/records/{kind}/{key}`: one record of any kind as its dataset JSON (a
/// conformance's key is `SYSTEM/STANDARD`). Hidden records are "not found" like absent ones.
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
