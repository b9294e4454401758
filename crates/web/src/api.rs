//! `/api/v1`: JSON for programs. Every answer is computed over what the request's reader may
//! see; a hidden record is "not found", exactly like an absent one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use defcoop_domain::model::Transfer;
use defcoop_store::Parts;
use serde::Deserialize;
use serde_json::json;

pub use crate::error::ApiError;
use crate::error::{Body, Path, Query};
use crate::guard::Writer;
use crate::AppState;

/// Most transfers one page of `/api/v1/transfers` returns.
pub const MAX_LIMIT: usize = 1000;
const DEFAULT_LIMIT: usize = 100;

/// Query of `/api/v1/transfers` (and the transfers page). Years bound the delivery years.
#[derive(Debug, Default, Deserialize)]
pub struct TransferQuery {
    pub supplier: Option<String>,
    pub recipient: Option<String>,
    pub system: Option<String>,
    pub category: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

/// A validated [`TransferQuery`].
#[derive(Debug, Default)]
pub struct TransferFilter {
    pub supplier: Option<String>,
    pub recipient: Option<String>,
    pub system: Option<String>,
    pub category: Option<String>,
    pub from: Option<u16>,
    pub to: Option<u16>,
    pub limit: usize,
    pub offset: usize,
}

fn number<T: std::str::FromStr>(name: &str, v: &Option<String>) -> Result<Option<T>, ApiError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("{name}: \"{s}\" is not a number"))),
    }
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl TransferQuery {
    pub fn validate(&self) -> Result<TransferFilter, ApiError> {
        let from = number::<u16>("from", &self.from)?;
        let to = number::<u16>("to", &self.to)?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(ApiError::bad_request(format!(
                    "from ({f}) is after to ({t})"
                )));
            }
        }
        let limit = number::<usize>("limit", &self.limit)?.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(ApiError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        Ok(TransferFilter {
            supplier: text(&self.supplier),
            recipient: text(&self.recipient),
            system: text(&self.system),
            category: text(&self.category),
            from,
            to,
            limit,
            offset: number::<usize>("offset", &self.offset)?.unwrap_or(0),
        })
    }
}

impl TransferFilter {
    /// Whether a transfer matches; with year bounds, it needs a delivery within them.
    pub fn matches(&self, t: &Transfer) -> bool {
        let eq = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        eq(&self.supplier, &t.supplier)
            && eq(&self.recipient, &t.recipient)
            && eq(&self.category, &t.category)
            && self
                .system
                .as_deref()
                .is_none_or(|s| t.system.as_deref() == Some(s))
            && (self.from.is_none() && self.to.is_none()
                || t.deliveries.iter().any(|d| {
                    self.from.is_none_or(|f| d.year >= f) && self.to.is_none_or(|x| d.year <= x)
                }))
    }
}

/// `GET /api/v1/transfers`: visible transfers matching the query, a page at a time.
pub async fn transfers(
    State(state): State<AppState>,
    Query(q): Query<TransferQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let filter = q.validate()?;
    let data = state
        .store
        .snapshot(&state.reader(), Parts::Transfers)
        .await?;
    let matching: Vec<&Transfer> = data
        .transfers
        .iter()
        .filter(|t| filter.matches(t))
        .collect();
    let page: Vec<&&Transfer> = matching
        .iter()
        .skip(filter.offset)
        .take(filter.limit)
        .collect();
    Ok(Json(json!({
        "total": matching.len(),
        "offset": filter.offset,
        "limit": filter.limit,
        "transfers": page,
    })))
}

/// `GET /api/v1/transfers/{id}`.
pub async fn transfer(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Transfer>, ApiError> {
    let data = state
        .store
        .snapshot(&state.reader(), Parts::Transfers)
        .await?;
    data.transfers
        .into_iter()
        .find(|t| t.id == id)
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("transfer \"{id}\" not found")))
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
    Path((kind, key)): Path<(String, String)>,
    Query(q): Query<LabelQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let k = record_kind(&kind)?;
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
    let data = state
        .store
        .snapshot(&state.reader(), Parts::holding(k))
        .await?;
    let label = data
        .label_of(k, &key)
        .ok_or_else(|| ApiError::not_found(format!("{} \"{key}\" not found", k.noun())))?;
    if xml {
        let label = label
            .ok_or_else(|| ApiError::not_found(format!("{} \"{key}\" has no label", k.noun())))?;
        return Ok((
            [(
                axum::http::header::CONTENT_TYPE,
                "application/xml; charset=utf-8",
            )],
            defcoop_domain::stanag4774::label_to_xml(label),
        )
            .into_response());
    }
    Ok(Json(json!({"kind": k.noun(), "key": key, "label": label})).into_response())
}

fn record_kind(kind: &str) -> Result<defcoop_domain::model::Kind, ApiError> {
    defcoop_domain::model::Kind::labelled_by_name(kind)
        .ok_or_else(|| ApiError::not_found(format!("unknown kind of record \"{kind}\"")))
}

/// `PUT /api/v1/labels/{kind}/{key}`: sets a record's label from a STANAG 4774 XML body
/// (`Content-Type: application/xml`) or a JSON body `{"label": LABEL | null}` (null removes it).
/// The record must be visible to the reader, who must satisfy the new label (PRODUCT.md: a user
/// can only write a label that they themselves satisfy); 422 lists what is wrong with it.
pub async fn put_label(
    State(state): State<AppState>,
    Writer(writer): Writer,
    Path((kind, key)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    Body(body): Body,
) -> Result<Json<serde_json::Value>, ApiError> {
    let k = record_kind(&kind)?;
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
    match state.store.set_label(k, &key, label, &writer).await {
        Ok(out) => Ok(Json(json!({"written": out.written}))),
        Err(defcoop_store::ImportError::NotFound(_)) => Err(ApiError::not_found(format!(
            "{} \"{key}\" not found",
            k.noun()
        ))),
        Err(defcoop_store::ImportError::Invalid(problems)) => Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            problems
                .iter()
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
        )),
        Err(defcoop_store::ImportError::Store(e)) => Err(e.into()),
    }
}
