//! `/api/v1/{kind}` and `/api/v1/{kind}/{key}`: list, get, create, update and delete records
//! of every kind, as their dataset JSON (the shape of `defcoop list` and `export`).
//!
//! Transfers keep their own list (`/api/v1/transfers`, with year ranges and the TIV total);
//! their get, create, update and delete are the same as every kind's.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use defcoop_app::registry::ListQuery;
use defcoop_app::{AppError, ListPage};
use defcoop_domain::model::Kind;
use defcoop_domain::Problem;
use serde_json::{json, Value};

use crate::auth::Who;
use crate::error::{cut, ApiError, Body, Path};
use crate::AppState;

/// Most problems one error answer lists.
const MAX_FIELDS: usize = 50;

/// A kind of record by its plural name (`systems`), as in the URL.
pub fn kind_of(plural: &str) -> Result<Kind, ApiError> {
    Kind::from_array(plural).ok_or_else(|| {
        let known: Vec<&str> = Kind::ALL.iter().map(|k| k.array()).collect();
        ApiError::not_found(format!(
            "no kind of record \"{}\" (kinds: {})",
            cut(plural),
            known.join(", ")
        ))
    })
}

/// An error of a write: the API's error, and for problems in the record `422` with the
/// problems by field: `{"error", "fields": [{"field", "message"}]}`.
pub enum WriteError {
    App(AppError),
    Api(ApiError),
}

impl From<AppError> for WriteError {
    fn from(e: AppError) -> Self {
        WriteError::App(e)
    }
}

impl From<ApiError> for WriteError {
    fn from(e: ApiError) -> Self {
        WriteError::Api(e)
    }
}

/// The problems of a write as field errors.
pub fn field_errors(problems: &[Problem]) -> Vec<Value> {
    problems
        .iter()
        .take(MAX_FIELDS)
        .map(|p| json!({"field": cut(&p.location), "message": cut(&p.message)}))
        .collect()
}

impl IntoResponse for WriteError {
    fn into_response(self) -> Response {
        match self {
            WriteError::Api(e) => e.into_response(),
            WriteError::App(AppError::Invalid(problems)) => {
                let message = match problems.as_slice() {
                    [one] => format!("{}: {}", one.location, one.message),
                    many => format!("{} problems in the record; nothing was written", many.len()),
                };
                let mut r = (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(json!({"error": cut(&message), "fields": field_errors(&problems)})),
                )
                    .into_response();
                // The page renderer of `error::uniform` shows the message.
                r.extensions_mut()
                    .insert(crate::error::message_of(cut(&message)));
                r
            }
            WriteError::App(e) => ApiError::from(e).into_response(),
        }
    }
}

/// `GET /api/v1/{kind}`: one page of the visible records of a kind.
#[utoipa::path(
    get,
    path = "/api/v1/{kind}",
    tag = "records",
    params(
        ("kind" = crate::openapi::schema::ListKind, Path, example = "systems"),
        ("q" = Option<String>, Query, max_length = 200,
            description = "Words every listed record holds in one of its text fields."),
        ("sort" = Option<String>, Query, example = "name",
            description = "A field to sort by (see the kind's fields); `-FIELD` for descending."),
        ("bloc" = Option<String>, Query, example = "NATO",
            description = "Nations, organizations or systems of (whose nation or origin is) \
                a member of this bloc."),
        ("on" = Option<String>, Query, example = "2024-06-01",
            description = "With `bloc`: members on this day (default today)."),
        ("page" = Option<u32>, Query, format = Int64, minimum = 1, maximum = 4294967295.0,
            description = "1-based page (default 1)."),
        ("per_page" = Option<u16>, Query, minimum = 1, maximum = 500,
            description = "Records per page (default 50)."),
    ),
    responses(
        (status = 200, description = "One page, with the total of matching records.",
            body = crate::openapi::schema::ListPage),
        (status = 400, description = "An unknown filter or sort field, a bad page.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "No such kind, or an unknown bloc.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    who: Who,
    Path(plural): Path<String>,
    uri: axum::http::Uri,
) -> Result<Json<ListPage>, ApiError> {
    let kind = kind_of(&plural)?;
    let q = ListQuery::from_pairs(&crate::interop::pairs(uri.query().map(str::to_string))?)?;
    Ok(Json(state.app.list(&who.actor, kind, &q).await?))
}

/// `GET /api/v1/{kind}/{key}`: one record.
#[utoipa::path(
    get,
    path = "/api/v1/{kind}/{key}",
    tag = "records",
    params(
        ("kind" = crate::openapi::schema::PluralKind, Path, example = "systems"),
        ("key" = String, Path, example = "k9", min_length = 1,
            description = "The record's key (`SYSTEM/STANDARD` for a conformance)."),
    ),
    responses(
        (status = 200, description = "The record as its dataset JSON.", body = crate::openapi::schema::Record),
        (status = 404, description = "No such kind, or no visible record has this key.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    who: Who,
    Path((plural, key)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let kind = kind_of(&plural)?;
    let record = state
        .app
        .record(&who.actor, defcoop_app::RecordKind(kind), &key)
        .await?;
    Ok(Json(record))
}

fn json_body(headers: &HeaderMap, body: &[u8]) -> Result<Value, WriteError> {
    if crate::guard::xml_or_json(headers)? {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a record is sent as JSON (Content-Type: application/json)",
        )
        .into());
    }
    serde_json::from_slice(body).map_err(|e| {
        WriteError::App(AppError::Invalid(vec![Problem::new(
            format!("line {}, column {}", e.line(), e.column()),
            format!("not valid JSON: {e}"),
        )]))
    })
}

/// `POST /api/v1/{kind}`: creates a record.
#[utoipa::path(
    post,
    path = "/api/v1/{kind}",
    tag = "records",
    params(("kind" = crate::openapi::schema::ListKind, Path, example = "systems")),
    request_body(content = crate::openapi::schema::Record, content_type = "application/json",
        description = "The record as in the dataset file (see docs/DATASET.md)."),
    responses(
        (status = 201, description = "Created; the record as stored. `Location` names it.",
            body = crate::openapi::schema::Record),
        (status = 403, description = "The user's roles may not write this kind, or the \
            request comes from another site, or a session request lacks its CSRF token.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "No such kind.", body = crate::openapi::schema::Error),
        (status = 409, description = "A record with this key exists.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "Problems in the record, by field; nothing was written.",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    who: Who,
    Path(plural): Path<String>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, WriteError> {
    let kind = kind_of(&plural)?;
    let value = json_body(&headers, &body)?;
    let record = state.app.create_record(&who.actor, kind, &value).await?;
    let key = defcoop_app::registry::row_key(kind, &record);
    let location = format!("/api/v1/{}/{}", kind.array(), crate::links::path_key(&key));
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(record),
    )
        .into_response())
}

/// `PUT /api/v1/{kind}/{key}`: replaces a record.
#[utoipa::path(
    put,
    path = "/api/v1/{kind}/{key}",
    tag = "records",
    params(
        ("kind" = crate::openapi::schema::PluralKind, Path, example = "systems"),
        ("key" = String, Path, example = "k9", min_length = 1),
    ),
    request_body(content = crate::openapi::schema::Record, content_type = "application/json",
        description = "The whole record; its key fields may be left out. Without `label` the \
            stored label is kept (`\"label\": null` removes it)."),
    responses(
        (status = 200, description = "The record as stored.", body = crate::openapi::schema::Record),
        (status = 403, description = "The user's roles may not write this kind, or the \
            request comes from another site, or a session request lacks its CSRF token.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "No visible record has this key.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "Problems in the record, by field; nothing was written.",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    who: Who,
    Path((plural, key)): Path<(String, String)>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Json<Value>, WriteError> {
    let kind = kind_of(&plural)?;
    let value = json_body(&headers, &body)?;
    Ok(Json(
        state
            .app
            .update_record(&who.actor, kind, &key, &value)
            .await?,
    ))
}

/// `DELETE /api/v1/{kind}/{key}`: deletes a record nothing refers to.
#[utoipa::path(
    delete,
    path = "/api/v1/{kind}/{key}",
    tag = "records",
    params(
        ("kind" = crate::openapi::schema::PluralKind, Path, example = "systems"),
        ("key" = String, Path, example = "k9", min_length = 1),
    ),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "The user's roles may not write this kind, or the \
            request comes from another site, or a session request lacks its CSRF token.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "No visible record has this key.",
            body = crate::openapi::schema::Error),
        (status = 409, description = "Other records refer to it (they are named).",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    who: Who,
    Path((plural, key)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let kind = kind_of(&plural)?;
    state.app.delete_record(&who.actor, kind, &key).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/transfers`: creates a transfer (as `POST /api/v1/{kind}`).
#[utoipa::path(
    post,
    path = "/api/v1/transfers",
    tag = "transfers",
    request_body(content = defcoop_domain::Transfer, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; the transfer as stored.",
            body = defcoop_domain::Transfer),
        (status = 403, description = "The user's roles may not write records, or the request \
            comes from another site, or a session request lacks its CSRF token.",
            body = crate::openapi::schema::Error),
        (status = 409, description = "A transfer with this id exists.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "Problems in the record, by field; nothing was written.",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn create_transfer(
    state: State<AppState>,
    who: Who,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WriteError> {
    create(state, who, Path("transfers".into()), headers, body).await
}

/// `PUT /api/v1/transfers/{id}`: replaces a transfer (as `PUT /api/v1/{kind}/{key}`).
#[utoipa::path(
    put,
    path = "/api/v1/transfers/{id}",
    tag = "transfers",
    params(("id" = String, Path, example = "sipri-67389")),
    request_body(content = defcoop_domain::Transfer, content_type = "application/json"),
    responses(
        (status = 200, description = "The transfer as stored.", body = defcoop_domain::Transfer),
        (status = 403, description = "The user's roles may not write records, or the request \
            comes from another site, or a session request lacks its CSRF token.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "No visible transfer has this id.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "Problems in the record, by field; nothing was written.",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn update_transfer(
    state: State<AppState>,
    who: Who,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, WriteError> {
    update(state, who, Path(("transfers".into(), id)), headers, body).await
}

/// `DELETE /api/v1/transfers/{id}`: deletes a transfer.
#[utoipa::path(
    delete,
    path = "/api/v1/transfers/{id}",
    tag = "transfers",
    params(("id" = String, Path, example = "sipri-67389")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "The user's roles may not write records, or the request \
            comes from another site, or a session request lacks its CSRF token.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "No visible transfer has this id.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn delete_transfer(
    state: State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    delete(state, who, Path(("transfers".into(), id))).await
}
