//! `/api/v1/workspace/...`: the workspace's use cases as JSON, namespaced away from the generic
//! record routes (`/api/v1/{kind}/{key}`, which serve the same records as data). Reads take
//! query parameters, every one checked (unknown ones refused); writes take a JSON body
//! (`Content-Type: application/json`, else 415), within the router's body limit, and answer
//! the record as stored. A refused write is 422 with its problems by field, like the record
//! routes; roles are 403; a hidden record is 404 exactly like an absent one.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use defcoop_app::workspace::{ActionState, MeetingQuery, Move, Subject, TablePlan};
use defcoop_app::AppError;
use defcoop_domain::model::Day;
use defcoop_domain::workspace::{MeetingStatus, MinutesStatus, Outcome};
use defcoop_domain::Problem;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::api::ApiError;
use crate::auth::Who;
use crate::error::{Body, Path};
use crate::interop::{known, pairs};
use crate::interop_api::day;
use crate::records::WriteError;
use crate::AppState;

use super::bodies::{
    AssignPlan, CloseMeeting, CommentMinutes, CorrectMinutes, MoveProposal, SetActionStatus,
    TablePlanBody,
};

/// Largest gap-closure plan tabled over HTTP (as `/api/v1/interop/plan`).
const MAX_BUDGET: usize = crate::interop_api::MAX_BUDGET;

/// A parameter given at most once; `None` when absent or empty.
/// The API's rule for query parameters: an empty value is refused (pages, whose forms send
/// empty fields, read an empty value as none instead).
pub(crate) fn no_empty(q: &[(String, String)]) -> Result<(), ApiError> {
    match q.iter().find(|(_, v)| v.trim().is_empty()) {
        Some((name, _)) => Err(ApiError::bad_request(format!(
            "{} is empty: give a value, or leave the parameter out",
            defcoop_app::render::cut(name, 40)
        ))),
        None => Ok(()),
    }
}

pub(crate) fn opt(q: &[(String, String)], name: &str) -> Result<Option<String>, ApiError> {
    let values: Vec<&str> = q
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .collect();
    match values.as_slice() {
        [] => Ok(None),
        [""] => Ok(None),
        [v] => Ok(Some(v.to_string())),
        _ => Err(ApiError::bad_request(format!(
            "parameter \"{name}\" given more than once"
        ))),
    }
}

/// An action item's computed state by its name (`open`, `overdue`, `done`, `done-in-registry`,
/// `cancelled`).
pub(crate) fn action_state(s: &str) -> Option<ActionState> {
    Some(match s {
        "open" => ActionState::Open,
        "overdue" => ActionState::Overdue,
        "done" => ActionState::Done,
        "done-in-registry" => ActionState::DoneInRegistry,
        "cancelled" => ActionState::Cancelled,
        _ => return None,
    })
}

/// The names of [`action_state`].
pub(crate) const ACTION_STATES: [&str; 5] =
    ["open", "overdue", "done", "done-in-registry", "cancelled"];

/// Whose timeline a query asks: exactly one of `person`, `organization`, `nation` (empty
/// values count as absent); `None` when none is given.
pub(crate) fn subject(q: &[(String, String)]) -> Result<Option<Subject>, ApiError> {
    let mut given = Vec::new();
    for name in ["person", "organization", "nation"] {
        if let Some(v) = opt(q, name)? {
            given.push(match name {
                "person" => Subject::Person(v),
                "organization" => Subject::Organization(v),
                _ => Subject::Nation(v),
            });
        }
    }
    match given.len() {
        0 | 1 => Ok(given.pop()),
        _ => Err(ApiError::bad_request(
            "give exactly one of person, organization and nation",
        )),
    }
}

/// The period of a timeline or network: `from` and `to` days, `to` not before `from`.
pub(crate) fn period(q: &[(String, String)]) -> Result<(Option<Day>, Option<Day>), ApiError> {
    let drop_empty: Vec<(String, String)> = q
        .iter()
        .filter(|(k, v)| !((k == "from" || k == "to") && v.trim().is_empty()))
        .cloned()
        .collect();
    let (from, to) = (day(&drop_empty, "from")?, day(&drop_empty, "to")?);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(ApiError::bad_request(format!(
                "the period ends ({t}) before it starts ({f})"
            )));
        }
    }
    Ok((from, to))
}

/// A JSON body of type `T`: 415 for another content type, 422 naming where the body is wrong.
pub(crate) fn body<T: DeserializeOwned>(
    headers: &HeaderMap,
    bytes: &[u8],
) -> Result<T, WriteError> {
    if crate::guard::xml_or_json(headers)? {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the request as JSON (Content-Type: application/json)",
        )
        .into());
    }
    serde_json::from_slice(bytes).map_err(|e| {
        WriteError::App(AppError::Invalid(vec![Problem::new(
            format!("line {}, column {}", e.line(), e.column()),
            format!("{e}"),
        )]))
    })
}

/// A day field of a body, named `field` in the refusal.
fn body_day(field: &str, value: &str) -> Result<Day, WriteError> {
    Day::parse(value.trim()).ok_or_else(|| {
        WriteError::App(AppError::Invalid(vec![Problem::new(
            field,
            format!(
                "\"{}\" is not a date (YYYY-MM-DD)",
                defcoop_app::render::cut(value, 40)
            ),
        )]))
    })
}

/// `GET /api/v1/workspace/meetings?[body=B][&person=P][&status=S]`.
#[utoipa::path(
    get,
    path = "/api/v1/workspace/meetings",
    tag = "workspace",
    params(
        ("body" = Option<String>, Query, description = "Only meetings of this body (its id)."),
        ("person" = Option<String>, Query, description = "Only meetings this person takes part in."),
        ("status" = Option<MeetingStatus>, Query, description = "Only meetings in this state."),
    ),
    responses(
        (status = 200, description = "`{\"meetings\": [MEETING...]}`: the meetings the reader \
            sees, by start (in absolute time), then id.",
            body = crate::openapi::schema::MeetingList),
        (status = 400, description = "An unknown status or parameter, a repeated parameter.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "The body or person is unknown (or hidden).",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn meetings(
    State(state): State<AppState>,
    who: Who,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    known(&q, &["body", "person", "status"])?;
    no_empty(&q)?;
    let status = match opt(&q, "status")? {
        None => None,
        Some(s) => Some(MeetingStatus::parse(&s).ok_or_else(|| {
            ApiError::bad_request(format!(
                "status: \"{}\" is not planned, held or cancelled",
                defcoop_app::render::cut(&s, 40)
            ))
        })?),
    };
    let query = MeetingQuery {
        body: opt(&q, "body")?,
        person: opt(&q, "person")?,
        status,
    };
    let list = state.app.meetings(&who.actor, &query).await?;
    Ok(Json(json!({ "meetings": list })).into_response())
}

/// `GET /api/v1/workspace/meetings/{id}[?tz=ZONE]`.
#[utoipa::path(
    get,
    path = "/api/v1/workspace/meetings/{id}",
    tag = "workspace",
    params(
        ("id" = String, Path, example = "inaugural-meeting"),
        ("tz" = Option<String>, Query, example = "UTC",
            description = "The reader's IANA zone: the times are shown in it too."),
    ),
    responses(
        (status = 200, description = "The meeting, its times in its own zone, its \
            participants' nations' zones and the reader's, and its minutes and decisions.",
            body = crate::openapi::schema::MeetingView),
        (status = 400, description = "An unknown zone or parameter.",
            body = crate::openapi::schema::Error),
        (status = 404, description = "No visible meeting has this id.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn meeting(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    known(&q, &["tz"])?;
    no_empty(&q)?;
    let tz = opt(&q, "tz")?;
    let view = state.app.meeting(&who.actor, &id, tz.as_deref()).await?;
    Ok(Json(view).into_response())
}

/// `POST /api/v1/workspace/meetings/{id}/close`.
#[utoipa::path(
    post,
    path = "/api/v1/workspace/meetings/{id}/close",
    tag = "workspace",
    params(("id" = String, Path, example = "inaugural-meeting")),
    request_body(content = CloseMeeting, content_type = "application/json",
        example = json!({"outcomes": [{"item": 1, "outcome": "noted"}]})),
    responses(
        (status = 200, description = "The meeting, held, as stored.", body = defcoop_domain::Meeting),
        (status = 403, response = crate::openapi::schema::WriteForbidden),
        (status = 404, description = "No visible meeting has this id.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "An agenda item without an outcome \
            (`agenda[1].outcome`), an item that does not exist, a cancelled meeting, a body \
            that is not the request's shape; nothing was written.",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn close_meeting(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<Response, WriteError> {
    let b: CloseMeeting = body(&headers, &bytes)?;
    let outcomes: Vec<(usize, Outcome)> = b.outcomes.iter().map(|o| (o.item, o.outcome)).collect();
    let m = state
        .app
        .close_meeting(&who.actor, &id, &outcomes)
        .await
        .map_err(super::located)?;
    Ok(Json(m).into_response())
}

/// `POST /api/v1/workspace/meetings/{id}/cancel`.
#[utoipa::path(
    post,
    path = "/api/v1/workspace/meetings/{id}/cancel",
    tag = "workspace",
    params(("id" = String, Path, example = "inaugural-meeting")),
    responses(
        (status = 200, description = "The meeting, cancelled, as stored.",
            body = defcoop_domain::Meeting),
        (status = 403, response = crate::openapi::schema::WriteForbidden),
        (status = 404, description = "No visible meeting has this id.",
            body = crate::openapi::schema::Error),
        (status = 422, description = "The meeting is not planned (held or cancelled already).",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn cancel_meeting(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, WriteError> {
    let m = state
        .app
        .cancel_meeting(&who.actor, &id)
        .await
        .map_err(super::located)?;
    Ok(Json(m).into_response())
}

async fn advance(
    state: &AppState,
    who: &Who,
    id: &str,
    to: MinutesStatus,
) -> Result<Response, WriteError> {
    let m = state
        .app
        .advance_minutes(&who.actor, id, to)
        .await
        .map_err(super::located)?;
    Ok(Json(m).into_response())
}

/// `POST /api/v1/workspace/minutes/{id}/circulate`: draft → circulated.
#[utoipa::path(
    post,
    path = "/api/v1/workspace/minutes/{id}/circulate",
    tag = "workspace",
    params(("id" = String, Path, example = "inaugural-meeting-minutes")),
    responses(
        (status = 200, description = "The minutes, circulated, as stored.",
            body = defcoop_domain::Minutes),
        (status = 403, response = crate::openapi::schema::WriteForbidden),
        (status = 404, description = "No visible minutes have this id.",
            body = crate::openapi::schema::Error),
        (status = 422, description = "The minutes are not a draft (the refusal says their next \
            step).", body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn circulate_minutes(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, WriteError> {
    advance(&state, &who, &id, MinutesStatus::Circulated).await
}

/// `POST /api/v1/workspace/minutes/{id}/approve`: circulated → approved (then frozen).
#[utoipa::path(
    post,
    path = "/api/v1/workspace/minutes/{id}/approve",
    tag = "workspace",
    params(("id" = String, Path, example = "inaugural-meeting-minutes")),
    responses(
        (status = 200, description = "The minutes, approved, as stored.",
            body = defcoop_domain::Minutes),
        (status = 403, response = crate::openapi::schema::WriteForbidden),
        (status = 404, description = "No visible minutes have this id.",
            body = crate::openapi::schema::Error),
        (status = 422, description = "The minutes are not circulated (the refusal says their \
            next step).", body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn approve_minutes(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, WriteError> {
    advance(&state, &who, &id, MinutesStatus::Approved).await
}

/// `POST /api/v1/workspace/minutes/{id}/comment`.
#[utoipa::path(
    post,
    path = "/api/v1/workspace/minutes/{id}/comment",
    tag = "workspace",
    params(("id" = String, Path, example = "inaugural-meeting-minutes")),
    request_body(content = CommentMinutes, content_type = "application/json"),
    responses(
        (status = 200, description = "The minutes with the comment, as stored.",
            body = defcoop_domain::Minutes),
        (status = 400, description = "The operator, who is nobody, did not name the person.",
            body = crate::openapi::schema::Error),
        (status = 403, description = "The user may not change the registry, is linked to no \
            person, or names someone else; or the request comes from another site, or a \
            session request lacks its CSRF token.", body = crate::openapi::schema::Error),
        (status = 404, description = "No visible minutes have this id.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "An empty text, minutes that are not circulated, a person \
            who did not take part; nothing was written.",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn comment_minutes(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<Response, WriteError> {
    let b: CommentMinutes = body(&headers, &bytes)?;
    let m = state
        .app
        .comment_minutes(&who.actor, &id, b.person.as_deref(), &b.text)
        .await
        .map_err(super::located)?;
    Ok(Json(m).into_response())
}

/// `POST /api/v1/workspace/minutes/{id}/correct`.
#[utoipa::path(
    post,
    path = "/api/v1/workspace/minutes/{id}/correct",
    tag = "workspace",
    params(("id" = String, Path, example = "inaugural-meeting-minutes")),
    request_body(content = CorrectMinutes, content_type = "application/json"),
    responses(
        (status = 201, description = "The correction: new minutes, the next version, in draft. \
            `Location` names them.", body = defcoop_domain::Minutes),
        (status = 403, response = crate::openapi::schema::WriteForbidden),
        (status = 404, description = "No visible minutes have this id.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "The minutes are not approved, the new id is taken or not \
            an id; nothing was written.", body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn correct_minutes(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<Response, WriteError> {
    let b: CorrectMinutes = body(&headers, &bytes)?;
    let m = state
        .app
        .correct_minutes(&who.actor, &id, &b.id, &b.text)
        .await
        .map_err(super::located)?;
    let location = format!("/api/v1/minutes/{}", crate::links::segment(&m.id));
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(m)).into_response())
}

/// `GET /api/v1/workspace/minutes/{id}/markdown`.
#[utoipa::path(
    get,
    path = "/api/v1/workspace/minutes/{id}/markdown",
    tag = "workspace",
    params(("id" = String, Path, example = "inaugural-meeting-minutes")),
    responses(
        (status = 200, description = "The minutes as a Markdown document: a heading naming \
            the meeting, when and where, the version and its state, the text, the comments.",
            content_type = "text/markdown; charset=utf-8", body = String),
        (status = 400, description = "A query parameter (none is known).",
            body = crate::openapi::schema::Error),
        (status = 404, description = "No visible minutes have this id.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn minutes_markdown(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    known(&pairs(raw)?, &[])?;
    markdown_answer(&state, &who, &id).await
}

/// The Markdown of minutes as a download named after them.
pub(crate) async fn markdown_answer(
    state: &AppState,
    who: &Who,
    id: &str,
) -> Result<Response, ApiError> {
    let md = state.app.minutes_markdown(&who.actor, id).await?;
    let file: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}.md\""),
            ),
        ],
        md,
    )
        .into_response())
}

/// A move as the app takes it; the day checked.
fn the_move(b: MoveProposal) -> Result<Move, WriteError> {
    Ok(Move {
        to: b.to,
        on: b.on.as_deref().map(|d| body_day("on", d)).transpose()?,
        by: b.by.filter(|s| !s.trim().is_empty()),
        meeting: b.meeting.filter(|s| !s.trim().is_empty()),
        method: b.method,
        votes: b.votes,
    })
}

/// `POST /api/v1/workspace/proposals/{id}/move`.
#[utoipa::path(
    post,
    path = "/api/v1/workspace/proposals/{id}/move",
    tag = "workspace",
    params(("id" = String, Path, example = "joint-consultative-body")),
    request_body(content = MoveProposal, content_type = "application/json",
        example = json!({"to": "under-consideration", "meeting": "inaugural-meeting"})),
    responses(
        (status = 200, description = "The proposal, moved, with the new step of its history.",
            body = defcoop_domain::Proposal),
        (status = 403, response = crate::openapi::schema::WriteForbidden),
        (status = 404, description = "No visible proposal has this id.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "An illegal move (the refusal names the states the \
            proposal may go to), a day before its last step, a method or votes for a move that \
            decides nothing, an unknown person or meeting; nothing was written.",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn move_proposal(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<Response, WriteError> {
    let mv = the_move(body(&headers, &bytes)?)?;
    let p = state
        .app
        .move_proposal(&who.actor, &id, &mv)
        .await
        .map_err(super::located)?;
    Ok(Json(p).into_response())
}

/// `POST /api/v1/workspace/proposals/table-plan`.
#[utoipa::path(
    post,
    path = "/api/v1/workspace/proposals/table-plan",
    tag = "workspace",
    request_body(content = TablePlanBody, content_type = "application/json",
        example = json!({"id": "kor-nato-plan-2", "title": "Close Korea's gaps with NATO",
            "sponsor": "dapa", "left": ["operator:KOR"], "right": ["operator:NATO"],
            "target": 2, "budget": 3})),
    responses(
        (status = 201, description = "The new proposal, tabled, with its plan. `Location` \
            names it.", body = defcoop_domain::Proposal),
        (status = 400, description = "A malformed filter, a target or budget out of range, a \
            plan with no action.", body = crate::openapi::schema::Error),
        (status = 403, response = crate::openapi::schema::WriteForbidden),
        (status = 404, description = "A system, nation or domain a filter names is unknown (or \
            hidden).", body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "The id is taken or not an id, an unknown body, sponsor, \
            person or meeting; nothing was written.",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn table_plan(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<Response, WriteError> {
    let b: TablePlanBody = body(&headers, &bytes)?;
    let target = b.target.unwrap_or(2);
    if !(1..=3).contains(&target) {
        return Err(
            ApiError::bad_request(format!("target: {target} is not a level (1, 2 or 3)")).into(),
        );
    }
    let budget = b.budget.unwrap_or(10);
    if budget == 0 || budget > MAX_BUDGET {
        return Err(
            ApiError::bad_request(format!("budget: between 1 and {MAX_BUDGET} actions")).into(),
        );
    }
    for (name, side) in [("left", &b.left), ("right", &b.right)] {
        if side.is_empty() || side.len() > crate::interop_api::MAX_FILTERS {
            return Err(ApiError::bad_request(format!(
                "{name}: between 1 and {} filters",
                crate::interop_api::MAX_FILTERS
            ))
            .into());
        }
    }
    if b.domains.len() > crate::interop_api::MAX_FILTERS {
        return Err(ApiError::bad_request(format!(
            "domains: at most {} domains",
            crate::interop_api::MAX_FILTERS
        ))
        .into());
    }
    let on = b.on.as_deref().map(|d| body_day("on", d)).transpose()?;
    let t = TablePlan {
        id: b.id,
        title: b.title,
        summary: b.summary,
        body: b.body,
        sponsor: b.sponsor,
        by: b.by,
        meeting: b.meeting,
        left: b.left,
        right: b.right,
        domains: b.domains,
        target,
        budget,
        on,
    };
    let p = state
        .app
        .table_plan(&who.actor, &t)
        .await
        .map_err(super::located)?;
    let location = format!("/api/v1/proposals/{}", crate::links::segment(&p.id));
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(p)).into_response())
}

/// `POST /api/v1/workspace/proposals/{id}/assign`.
#[utoipa::path(
    post,
    path = "/api/v1/workspace/proposals/{id}/assign",
    tag = "workspace",
    params(("id" = String, Path, example = "interop-plan-kor-nato")),
    request_body(content = AssignPlan, content_type = "application/json",
        example = json!({"due": "2027-06-30", "decision": "interop-plan-agreed"})),
    responses(
        (status = 200, description = "`{\"items\": [ACTION_ITEM...]}`: the action items made, \
            one per plan action that had none (none when every action has its item).",
            body = crate::openapi::schema::AssignedItems),
        (status = 403, response = crate::openapi::schema::WriteForbidden),
        (status = 404, description = "No visible proposal has this id.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "A proposal without a plan or not agreed, a bad day, an \
            unknown decision, nobody to own an action; nothing was written.",
            body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn assign_plan(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<Response, WriteError> {
    let b: AssignPlan = body(&headers, &bytes)?;
    let due = body_day("due", &b.due)?;
    let decision = b.decision.filter(|s| !s.trim().is_empty());
    let items = state
        .app
        .assign_plan(&who.actor, &id, due, decision.as_deref())
        .await
        .map_err(super::located)?;
    Ok(Json(json!({ "items": items })).into_response())
}

/// `GET /api/v1/workspace/actions?[owner=O][&state=S]`.
#[utoipa::path(
    get,
    path = "/api/v1/workspace/actions",
    tag = "workspace",
    params(
        ("owner" = Option<String>, Query, example = "hanwha-aerospace",
            description = "Only items this person or organization owns (its id)."),
        ("state" = Option<crate::openapi::schema::ActionState>, Query,
            description = "Only items in this computed state."),
    ),
    responses(
        (status = 200, description = "`{\"actions\": [ACTION...]}`: the action items the \
            reader sees with their computed state (overdue; done in the registry, with the \
            change that did it), by due day then id.",
            body = crate::openapi::schema::ActionList),
        (status = 400, description = "An unknown state or parameter.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn actions(
    State(state): State<AppState>,
    who: Who,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    known(&q, &["owner", "state"])?;
    no_empty(&q)?;
    let wanted = match opt(&q, "state")? {
        None => None,
        Some(s) => Some(action_state(&s).ok_or_else(|| {
            ApiError::bad_request(format!(
                "state: \"{}\" is not one of {}",
                defcoop_app::render::cut(&s, 40),
                ACTION_STATES.join(", ")
            ))
        })?),
    };
    let owner = opt(&q, "owner")?;
    let list = state
        .app
        .action_items(&who.actor, owner.as_deref(), wanted)
        .await?;
    Ok(Json(json!({ "actions": list })).into_response())
}

/// `GET /api/v1/workspace/actions/{id}`.
#[utoipa::path(
    get,
    path = "/api/v1/workspace/actions/{id}",
    tag = "workspace",
    params(("id" = String, Path, example = "k9-adopts-stanag-5516")),
    responses(
        (status = 200, description = "The action item with its computed state.",
            body = crate::openapi::schema::ActionView),
        (status = 404, description = "No visible action item has this id.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn action(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(state.app.action_item(&who.actor, &id).await?).into_response())
}

/// `POST /api/v1/workspace/actions/{id}/status`.
#[utoipa::path(
    post,
    path = "/api/v1/workspace/actions/{id}/status",
    tag = "workspace",
    params(("id" = String, Path, example = "k9-adopts-stanag-5516")),
    request_body(content = SetActionStatus, content_type = "application/json",
        example = json!({"status": "done"})),
    responses(
        (status = 200, description = "The action item as stored.",
            body = defcoop_domain::ActionItem),
        (status = 403, response = crate::openapi::schema::WriteForbidden),
        (status = 404, description = "No visible action item has this id.",
            body = crate::openapi::schema::Error),
        (status = 415, description = "The body is not JSON.", body = crate::openapi::schema::Error),
        (status = 422, description = "A body that is not the request's shape; nothing was \
            written.", body = crate::openapi::schema::FieldErrors),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn set_action_status(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<Response, WriteError> {
    let b: SetActionStatus = body(&headers, &bytes)?;
    let a = state
        .app
        .set_action_status(&who.actor, &id, b.status)
        .await
        .map_err(super::located)?;
    Ok(Json(a).into_response())
}

/// `GET /api/v1/workspace/timeline?person=P|organization=O|nation=N[&from=DAY][&to=DAY]`.
#[utoipa::path(
    get,
    path = "/api/v1/workspace/timeline",
    tag = "workspace",
    params(
        ("person" = Option<String>, Query, example = "seok-jong-gun",
            description = "Whose timeline: a person (exactly one of person, organization and \
                nation)."),
        ("organization" = Option<String>, Query,
            description = "An organization: the meetings of its people."),
        ("nation" = Option<String>, Query,
            description = "A nation: the meetings of the people of its organizations."),
        ("from" = Option<String>, Query, pattern = r"^\d{4}-\d{2}-\d{2}$",
            description = "First day (UTC) counted."),
        ("to" = Option<String>, Query, pattern = r"^\d{4}-\d{2}-\d{2}$",
            description = "Last day (UTC) counted, not before `from`."),
    ),
    responses(
        (status = 200, description = "`{\"entries\": [ENTRY...]}`: the meetings and \
            engagements, oldest first, each in its own zone, with the subject's people and the \
            others who took part.", body = crate::openapi::schema::Timeline),
        (status = 400, description = "Not exactly one subject, a bad day or period, an unknown \
            parameter.", body = crate::openapi::schema::Error),
        (status = 404, description = "The person, organization or nation is unknown (or hidden).",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn timeline(
    State(state): State<AppState>,
    who: Who,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    known(&q, &["person", "organization", "nation", "from", "to"])?;
    no_empty(&q)?;
    let subject = subject(&q)?.ok_or_else(|| {
        ApiError::bad_request("give exactly one of person, organization and nation")
    })?;
    let (from, to) = period(&q)?;
    let entries = state.app.timeline(&who.actor, &subject, from, to).await?;
    Ok(Json(json!({ "entries": entries })).into_response())
}

/// `GET /api/v1/workspace/network?[from=DAY][&to=DAY]`.
#[utoipa::path(
    get,
    path = "/api/v1/workspace/network",
    tag = "workspace",
    params(
        ("from" = Option<String>, Query, pattern = r"^\d{4}-\d{2}-\d{2}$", example = "2025-01-01",
            description = "First day (UTC) counted."),
        ("to" = Option<String>, Query, pattern = r"^\d{4}-\d{2}-\d{2}$",
            description = "Last day (UTC) counted, not before `from`."),
    ),
    responses(
        (status = 200, description = "Who met whom: people as nodes (at most 200, the most \
            connected), an edge per pair who took part in the same meeting or engagement with \
            how often, and how many events counted.",
            body = crate::openapi::schema::Network),
        (status = 400, description = "A bad day or period, an unknown parameter.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn network(
    State(state): State<AppState>,
    who: Who,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    known(&q, &["from", "to"])?;
    no_empty(&q)?;
    let (from, to) = period(&q)?;
    Ok(Json(state.app.network(&who.actor, from, to).await?).into_response())
}
