//! The consultative body's workspace over HTTP (issue 9): the JSON API under
//! `/api/v1/workspace/...` (`api.rs`) and the pages under `/workspace` — the hub (`hub.rs`), a
//! meeting with its times in every zone and its close and cancel forms (`meeting.rs`), minutes
//! rendered from Markdown with their workflow, comments and corrections (`minutes.rs`,
//! `markdown.rs`), a proposal with its history, plan, move and assign forms (`proposal.rs`),
//! the action items (`actions.rs`), and timelines and the who-met-whom network (`people.rs`).
//!
//! Handlers only translate: every read and write is a `defcoop_app` workspace use case over the
//! reader's view, so a hidden meeting is absent from every page and count, and answers 404
//! like an absent one. Page forms are plain POST forms carrying the session's CSRF token; a
//! refused write shows the page again with the problem beside its form, an accepted one
//! answers 303 back to the page.

pub mod actions;
pub mod api;
mod bodies;
pub mod hub;
mod markdown;
pub mod meeting;
pub mod minutes;
pub mod people;
pub mod proposal;
pub mod table;
mod words;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use defcoop_app::render::Labelled;
use defcoop_app::AppError;
use defcoop_domain::marking::Banner;
use defcoop_domain::model::Dataset;

use crate::api::ApiError;
use crate::interop_pages::{seg, Ctx};
use crate::registry::show::{Cell, Lookup};
use crate::WebError;
pub(crate) use words::{words, Words};

/// The page of a workspace record: `/workspace/{what}/{id}` with the language kept.
pub(crate) fn page_link(ctx: Ctx, what: &str, id: &str) -> String {
    ctx.link(&format!("/workspace/{what}/{}", seg(id)), "")
}

/// A value of one of the workspace's enums in the page's language.
pub(crate) fn say<T: Labelled>(ctx: Ctx, v: T) -> &'static str {
    v.label(ctx.render_lang())
}

/// A civil time as recorded, for people: `2025-11-20 10:00 (Europe/Brussels)`.
pub(crate) fn when(at: &str, zone: &str) -> String {
    format!("{} ({zone})", at.replace('T', " "))
}

/// The same instant in UTC (`2025-11-20 09:00 +00:00`), when it exists.
pub(crate) fn in_utc(at: &str, zone: &str) -> Option<String> {
    use defcoop_domain::workspace::time;
    let instant = time::instant(at, zone).ok()?;
    time::shown_in(&instant, "UTC").ok()
}

/// A cell linking to a workspace page, named `text`.
pub(crate) fn cell(text: impl Into<String>, href: String) -> Cell {
    Cell {
        text: text.into(),
        href: Some(href),
        note: None,
    }
}

/// The pairs of a form body (`application/x-www-form-urlencoded`); a malformed body has none.
pub(crate) fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

/// The trimmed value of a form field; `None` when absent or empty.
pub(crate) fn field(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// What a refused form says: a message for the whole form, and messages by field.
#[derive(Default, Clone)]
pub(crate) struct Refusal {
    /// Which form was sent (`close`, `move`, ...), so the message stands beside it.
    pub form: &'static str,
    pub message: Option<String>,
    pub fields: Vec<(String, String)>,
}

impl Refusal {
    pub fn new(form: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            form,
            message: Some(message.into()),
            fields: vec![],
        }
    }

    /// The message of `field`, if the refusal names it.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// The whole-form message, when this form was the one refused.
    pub fn at(&self, form: &str) -> Option<&str> {
        (self.form == form)
            .then_some(self.message.as_deref())
            .flatten()
    }
}

/// A write's error as a page shows it: the status, and what the form says (in the page's
/// language); errors that are no refusal of the form (not found, the server's) are the
/// request's error.
pub(crate) fn refusal(
    ctx: Ctx,
    form: &'static str,
    e: AppError,
) -> Result<(StatusCode, Refusal), ApiError> {
    let tr = |m: &str| crate::error_text::translate(ctx.lang, m);
    let status = match &e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::BadRequest(_) | AppError::Engine(_) => StatusCode::BAD_REQUEST,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        _ => return Err(ApiError::from(e)),
    };
    let r = match located(e) {
        AppError::Invalid(problems) => Refusal {
            form,
            message: Some(
                problems
                    .iter()
                    .map(|p| tr(&format!("{}: {}", p.location, p.message)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            fields: problems
                .iter()
                .map(|p| (p.location.clone(), tr(&p.message)))
                .collect(),
        },
        e => Refusal::new(form, tr(ApiError::from(e).message())),
    };
    Ok((status, r))
}

/// `303 See Other` to `to`.
pub(crate) fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// A location of the record a workspace write changes, as in the record (`agenda[1].outcome`)
/// rather than in the dataset the write was validated as (`$.meetings[0].agenda[1].outcome`);
/// `$` for the whole record.
pub(crate) fn in_record(location: &str) -> String {
    let Some(rest) = location.strip_prefix("$.") else {
        return location.to_string();
    };
    let Some(close) = rest.find(']') else {
        return location.to_string();
    };
    let (array, tail) = (&rest[..close], &rest[close + 1..]);
    if !array.contains('[') || array.contains('.') {
        return location.to_string();
    }
    match tail.strip_prefix('.') {
        Some(field) => field.to_string(),
        None if tail.is_empty() => "$".to_string(),
        None => location.to_string(),
    }
}

/// An error of a workspace write with its problems located in the record.
pub(crate) fn located(e: AppError) -> AppError {
    match e {
        AppError::Invalid(problems) => AppError::Invalid(
            problems
                .into_iter()
                .map(|p| defcoop_domain::Problem::new(in_record(&p.location), p.message))
                .collect(),
        ),
        e => e,
    }
}

/// The page's context from its query string and headers.
pub(crate) fn ctx_of(q: &[(String, String)], headers: &HeaderMap) -> Ctx {
    Ctx::new(q, headers)
}

/// An HTML page answer.
pub(crate) fn html(
    status: StatusCode,
    page: Result<String, askama::Error>,
) -> Result<Response, ApiError> {
    let body = page.map_err(WebError::from)?;
    Ok(crate::registry::html(status, body))
}

/// The name of a person (or the id, when the reader has no such person).
pub(crate) fn person_name(data: &Dataset, id: &str) -> String {
    data.people
        .binary_search_by(|p| p.id.as_str().cmp(id))
        .ok()
        .map_or_else(|| id.to_string(), |i| data.people[i].name.clone())
}

/// A `done` notice of a page after a write, from a fixed set (never echoing the query).
pub(crate) fn notice(w: &Words, q: &[(String, String)]) -> Option<&'static str> {
    let done = q.iter().rev().find(|(k, _)| k == "done")?.1.as_str();
    Some(match done {
        "closed" => w.done_closed,
        "cancelled" => w.done_cancelled,
        "circulated" => w.done_circulated,
        "approved" => w.done_approved,
        "commented" => w.done_commented,
        "corrected" => w.done_corrected,
        "moved" => w.done_moved,
        "assigned" => w.done_assigned,
        "tabled" => w.done_tabled,
        "status" => w.done_status,
        _ => return None,
    })
}

/// `path?done=WHAT` with the page's language kept.
pub(crate) fn after(ctx: Ctx, path: &str, done: &str) -> String {
    ctx.link(path, &format!("done={done}"))
}

impl Ctx {
    /// The workspace pages' words in the page's language.
    pub fn w_ws(self) -> &'static Words {
        words(self.lang)
    }
}

/// Puts the labels of every workspace record the reader sees into `banner`: for pages that
/// count them all.
pub(crate) fn cover_workspace(data: &Dataset, look: &Lookup, banner: &mut Banner) {
    let p = &look.policies;
    data.bodies
        .iter()
        .for_each(|r| banner.add(r.label.as_ref(), p));
    data.meetings
        .iter()
        .for_each(|r| banner.add(r.label.as_ref(), p));
    data.minutes
        .iter()
        .for_each(|r| banner.add(r.label.as_ref(), p));
    data.proposals
        .iter()
        .for_each(|r| banner.add(r.label.as_ref(), p));
    data.decisions
        .iter()
        .for_each(|r| banner.add(r.label.as_ref(), p));
    data.action_items
        .iter()
        .for_each(|r| banner.add(r.label.as_ref(), p));
    data.engagements
        .iter()
        .for_each(|r| banner.add(r.label.as_ref(), p));
    data.documents
        .iter()
        .for_each(|r| banner.add(r.label.as_ref(), p));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_located_in_the_record() {
        assert_eq!(
            in_record("$.meetings[0].agenda[1].outcome"),
            "agenda[1].outcome"
        );
        assert_eq!(in_record("$.minutes[0]"), "$");
        assert_eq!(in_record("status"), "status");
        assert_eq!(in_record("line 1, column 5"), "line 1, column 5");
        assert_eq!(in_record("$.x"), "$.x");
    }
}
