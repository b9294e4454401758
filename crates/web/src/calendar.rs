//! Calendars over HTTP (docs/WORKSPACE.md#calendars): iCalendar files of a body's meetings, a
//! person's meetings and engagements, one meeting, and the signed-in user's calendar (every
//! meeting and engagement they may read), each computed over the request's reader; the
//! secret feed URL calendar programs subscribe to without signing in; and the JSON API that
//! makes, lists and revokes feeds.
//!
//! A feed (`/calendar/feed/SECRET.ics`) is a public route ([`crate::auth::is_public`]): its
//! secret is its only credential, a calendar token good for nothing else. Whatever is wrong
//! with it (unknown, revoked, expired, an API token, a disabled user) the answer is the same
//! 404, which never says which.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use defcoop_app::workspace::{feed_path, CalendarScope};
use defcoop_app::AppError;
use defcoop_store::TokenInfo;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Who;
use crate::error::{ApiError, Path, Query};
use crate::AppState;

/// The calendar routes, added to the router.
pub fn routes(router: Router<AppState>) -> Router<AppState> {
    router
        .route("/calendar/bodies/{file}", get(body))
        .route("/calendar/people/{file}", get(person))
        .route("/calendar/meetings/{file}", get(meeting))
        .route("/calendar/mine.ics", get(mine))
        .route("/calendar/feed/{file}", get(feed))
        .route("/api/v1/calendar/feeds", get(feeds).post(create_feed))
        .route("/api/v1/calendar/feeds/{id}", delete(revoke_feed))
}

/// What every refused feed answers, whatever was wrong.
const NO_FEED: &str = "calendar feed not found";

/// An iCalendar answer.
fn ics(text: String, file: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}\""),
            ),
        ],
        text,
    )
        .into_response()
}

/// The id of `ID.ics`: the last segment must name an iCalendar file.
fn id_of<'a>(file: &'a str, what: &str) -> Result<&'a str, ApiError> {
    file.strip_suffix(".ics")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "{what} \"{}\" (a calendar is ID.ics)",
                crate::error::cut(file)
            ))
        })
}

/// A calendar of `scope` for the request's reader, named `file`.
async fn calendar(
    state: &AppState,
    who: &Who,
    scope: CalendarScope,
    file: &str,
) -> Result<Response, ApiError> {
    let text = state.app.calendar(&who.actor, &scope).await?;
    // The id exists, so it has an id's characters only.
    Ok(ics(text, file))
}

/// `GET /calendar/bodies/{id}.ics`: a body's meetings.
async fn body(
    State(state): State<AppState>,
    who: Who,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let id = id_of(&file, "body")?;
    calendar(&state, &who, CalendarScope::Body(id.into()), &file).await
}

/// `GET /calendar/people/{id}.ics`: a person's meetings and engagements.
async fn person(
    State(state): State<AppState>,
    who: Who,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let id = id_of(&file, "person")?;
    calendar(&state, &who, CalendarScope::Person(id.into()), &file).await
}

/// `GET /calendar/meetings/{id}.ics`: one meeting.
async fn meeting(
    State(state): State<AppState>,
    who: Who,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let id = id_of(&file, "meeting")?;
    calendar(&state, &who, CalendarScope::Meeting(id.into()), &file).await
}

/// `GET /calendar/mine.ics`: every meeting and engagement the signed-in user may read.
async fn mine(State(state): State<AppState>, who: Who) -> Result<Response, ApiError> {
    calendar(&state, &who, CalendarScope::Everything, "mine.ics").await
}

/// `GET /calendar/feed/{secret}.ics`: a user's calendar, opened by the feed's secret alone.
/// Any path that is not a live feed's, even one that does not decode, is the same 404.
async fn feed(
    State(state): State<AppState>,
    file: Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let refused = || ApiError::not_found(NO_FEED).into_response();
    let Some(secret) = file.as_ref().ok().and_then(|f| f.0.strip_suffix(".ics")) else {
        return refused();
    };
    match state.app.calendar_for_feed(secret).await {
        Ok(text) => {
            let mut r = ics(text, "defcoop.ics");
            // A secret URL's answer is nobody else's: no shared cache keeps it.
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("private, no-store"),
            );
            r
        }
        Err(AppError::Unauthenticated(_)) => refused(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// A calendar feed, without its secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Feed {
    /// Its public id, to list and revoke it.
    #[schema(example = "cal-0123456789ab")]
    pub id: String,
    /// Whose calendar it shows.
    #[schema(example = "dapa-officer")]
    pub user: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds; after it, the feed is refused.
    #[schema(required = true)]
    pub expires_at: Option<i64>,
    /// Unix seconds, once revoked.
    #[schema(required = true)]
    pub revoked_at: Option<i64>,
    /// Unix seconds of the last fetch (noted at most once a minute).
    #[schema(required = true)]
    pub last_used_at: Option<i64>,
}

impl From<TokenInfo> for Feed {
    fn from(t: TokenInfo) -> Self {
        Feed {
            id: t.id,
            user: t.user,
            created_at: t.created_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
            last_used_at: t.last_used_at,
        }
    }
}

/// A feed just made, with its URL: shown this once, never again.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFeed {
    pub feed: Feed,
    /// The URL calendar programs subscribe to; it holds the feed's secret.
    #[schema(example = "https://defcoop.example/calendar/feed/dcf_0123….ics")]
    pub url: String,
}

/// Whose feed to make, and for how long.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewFeedQuery {
    user: Option<String>,
    days: Option<i64>,
}

/// Whose feeds to list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsQuery {
    user: Option<String>,
}

/// `POST /api/v1/calendar/feeds`: a new feed of the user's calendar.
#[utoipa::path(
    post,
    path = "/api/v1/calendar/feeds",
    tag = "calendar",
    operation_id = "create_feed",
    params(
        ("user" = Option<String>, Query, example = "dapa-officer",
            description = "Whose calendar (default: the signed-in user). Administrators make \
                feeds for anyone; others only for themselves."),
        ("days" = Option<i64>, Query, minimum = 1, maximum = 3650, example = 365,
            description = "Days until it expires (default 365)."),
    ),
    responses(
        (status = 201, description = "Made. The URL (built on the server's public URL) holds \
            the feed's secret: it is shown this once.", body = NewFeed),
        (status = 400, description = "`days` out of range, a disabled user, or a bad query.",
            body = crate::openapi::schema::Error),
        (status = 403, description = "The request comes from another site, or a session \
            request lacks its CSRF token.", body = crate::openapi::schema::Error),
        (status = 404, description = "No such user, or one the request may not manage.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn create_feed(
    State(state): State<AppState>,
    who: Who,
    Query(q): Query<NewFeedQuery>,
) -> Result<Response, ApiError> {
    let user = q.user.unwrap_or_else(|| who.actor.name().to_string());
    let made = state.app.create_feed(&who.actor, &user, q.days).await?;
    let url = format!("{}{}", state.public_url, feed_path(&made.token));
    let answer = NewFeed {
        feed: made.info.into(),
        url,
    };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `GET /api/v1/calendar/feeds`: feeds, never their secrets.
#[utoipa::path(
    get,
    path = "/api/v1/calendar/feeds",
    tag = "calendar",
    operation_id = "feeds",
    params(
        ("user" = Option<String>, Query, example = "dapa-officer",
            description = "Whose feeds. Administrators see anyone's (everyone's without \
                `user`); others only their own."),
    ),
    responses(
        (status = 200, description = "The feeds, by user, then creation.", body = Vec<Feed>),
        (status = 400, description = "A bad query.", body = crate::openapi::schema::Error),
        (status = 404, description = "Another user's, to a user who is not an administrator.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn feeds(
    State(state): State<AppState>,
    who: Who,
    Query(q): Query<FeedsQuery>,
) -> Result<Json<Vec<Feed>>, ApiError> {
    let feeds = state.app.feeds(&who.actor, q.user.as_deref()).await?;
    Ok(Json(feeds.into_iter().map(Feed::from).collect()))
}

/// `DELETE /api/v1/calendar/feeds/{id}`: revokes a feed at once.
#[utoipa::path(
    delete,
    path = "/api/v1/calendar/feeds/{id}",
    tag = "calendar",
    operation_id = "revoke_feed",
    params(("id" = String, Path, example = "cal-0123456789ab", description = "The feed's id.")),
    responses(
        (status = 200, description = "Revoked (or revoked already): its URL answers 404 from \
            now on.", body = Feed),
        (status = 403, description = "The request comes from another site, or a session \
            request lacks its CSRF token.", body = crate::openapi::schema::Error),
        (status = 404, description = "No such feed, or one the request may not manage.",
            body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn revoke_feed(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Feed>, ApiError> {
    Ok(Json(state.app.revoke_feed(&who.actor, &id).await?.into()))
}
