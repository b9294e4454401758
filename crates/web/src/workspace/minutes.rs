//! `/workspace/minutes/{id}`: minutes rendered from their Markdown (safely: `markdown.rs`),
//! their status with the secretariat's circulate and approve buttons, the participants'
//! comments and the comment form, the correction form for approved minutes, and the download
//! of the Markdown (`/workspace/minutes/{id}.md`).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_app::AppError;
use defcoop_domain::account::Permission;
use defcoop_domain::marking::Banner;
use defcoop_domain::model::Kind;
use defcoop_domain::workspace::MinutesStatus;
use defcoop_domain::Reader;

use super::meeting::q_of;
use super::{
    after, ctx_of, field, form_pairs, html, page_link, refusal, say, see_other, Refusal, Words,
};
use crate::api::ApiError;
use crate::auth::Who;
use crate::error::{Body, Path};
use crate::i18n::Text;
use crate::interop::pairs;
use crate::interop_pages::{known, seg, Ctx};
use crate::registry::csrf_of;
use crate::registry::show::{Cell, Lookup};
use crate::{links, AppState};

pub struct CommentRow {
    pub person: Cell,
    pub at: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "ws_minutes.html")]
struct MinutesPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    csrf: String,
    meeting: Cell,
    meeting_title: String,
    version: u32,
    status: &'static str,
    marking: Option<String>,
    illustrative: bool,
    corrects: Option<Cell>,
    corrected_by: Vec<Cell>,
    html: String,
    comments: Vec<CommentRow>,
    download: String,
    record_href: String,
    /// The workflow's next step for the secretariat: (action, button).
    next_step: Option<(String, &'static str)>,
    may_comment: bool,
    /// People the operator (who is nobody) may comment as: the participants.
    comment_as: Vec<(String, String)>,
    comment_action: String,
    comment_text: String,
    may_correct: bool,
    correct_action: String,
    correction_id: String,
    correction_text: String,
    refused: Refusal,
    notice: Option<&'static str>,
}

/// What a refused form had typed, to show it again.
#[derive(Default)]
struct Typed {
    comment: String,
    correction_id: Option<String>,
    correction_text: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    who: &Who,
    ctx: Ctx,
    id: &str,
    q: &[(String, String)],
    status: StatusCode,
    refused: Refusal,
    typed: Typed,
) -> Result<Response, ApiError> {
    let w = ctx.w_ws();
    let data = state.app.workspace(&who.actor).await?;
    let m = data
        .minutes
        .binary_search_by(|r| r.id.as_str().cmp(id))
        .ok()
        .map(|i| &data.minutes[i])
        .ok_or_else(|| {
            ApiError::from(AppError::NotFound(format!(
                "minutes \"{}\"",
                defcoop_app::render::cut(id, 100)
            )))
        })?;
    let look = Lookup::new(&data, ctx.lang);
    let mut banner = Banner::default();
    banner.add(m.label.as_ref(), &look.policies);
    let meeting = data
        .meetings
        .binary_search_by(|r| r.id.as_str().cmp(&m.meeting))
        .ok()
        .map(|i| &data.meetings[i]);
    if let Some(x) = meeting {
        banner.add(x.label.as_ref(), &look.policies);
    }
    let meeting_title = meeting.map_or(m.meeting.clone(), |x| x.title.clone());
    let comments = m
        .comments
        .iter()
        .map(|c| CommentRow {
            person: look.link(Kind::Person, &c.person, &mut banner),
            at: c
                .at
                .as_deref()
                .map(|a| a.replace('T', " "))
                .unwrap_or_default(),
            text: c.text.clone(),
        })
        .collect();
    let corrects = m.corrects.as_ref().map(|c| {
        let mut cell = look.link(Kind::Minutes, c, &mut banner);
        cell.href = Some(page_link(ctx, "minutes", c));
        cell.note = None;
        cell
    });
    let corrected_by = data
        .minutes
        .iter()
        .filter(|x| x.corrects.as_deref() == Some(id))
        .map(|x| {
            banner.add(x.label.as_ref(), &look.policies);
            super::cell(
                format!("{} ({})", x.id, x.version),
                page_link(ctx, "minutes", &x.id),
            )
        })
        .collect();
    let may_run = who.actor.may(Permission::RunBody);
    let base = format!("/workspace/minutes/{}", seg(id));
    let next_step = match m.status {
        MinutesStatus::Draft if may_run => {
            Some((ctx.link(&format!("{base}/circulate"), ""), w.circulate))
        }
        MinutesStatus::Circulated if may_run => {
            Some((ctx.link(&format!("{base}/approve"), ""), w.approve))
        }
        _ => None,
    };
    let operator = who.actor.person().is_none() && *who.actor.reader() == Reader::Full;
    let comment_as = if operator {
        meeting
            .map(|x| {
                x.participants
                    .iter()
                    .map(|p| (p.person.clone(), super::person_name(&data, &p.person)))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![]
    };
    let page = MinutesPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w,
        banner: None,
        csrf: csrf_of(who),
        meeting: super::cell(
            meeting_title.clone(),
            page_link(ctx, "meetings", &m.meeting),
        ),
        meeting_title,
        version: m.version,
        status: say(ctx, m.status),
        marking: look.marking(m.label.as_ref()),
        illustrative: m.illustrative,
        corrects,
        corrected_by,
        html: super::markdown::to_html(&m.text),
        comments,
        download: format!("{base}.md"),
        record_href: ctx.link(&links::record(Kind::Minutes, id), ""),
        next_step,
        may_comment: m.status == MinutesStatus::Circulated
            && who.actor.may(Permission::WriteRegistry),
        comment_as,
        comment_action: ctx.link(&format!("{base}/comment"), ""),
        comment_text: typed.comment,
        may_correct: m.status == MinutesStatus::Approved && may_run,
        correct_action: ctx.link(&format!("{base}/correct"), ""),
        correction_id: typed
            .correction_id
            .unwrap_or_else(|| format!("{}-{}", m.id, m.version + 1)),
        correction_text: typed.correction_text.unwrap_or_else(|| m.text.clone()),
        refused,
        notice: super::notice(w, q),
    };
    let page = MinutesPage {
        banner: banner.text(),
        ..page
    };
    html(status, page.render())
}

/// `GET /workspace/minutes/{id}`, and `GET /workspace/minutes/{id}.md` (the Markdown, when
/// `{id}` names visible minutes; otherwise the page of minutes whose id ends in `.md`).
pub async fn page(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    if let Some(plain) = id.strip_suffix(".md") {
        match super::api::markdown_answer(&state, &who, plain).await {
            Ok(r) => return Ok(r),
            Err(e) if e.status() == StatusCode::NOT_FOUND => {}
            Err(e) => return Err(e),
        }
    }
    known(&q, &["done"])?;
    render(
        &state,
        &who,
        ctx,
        &id,
        &q,
        StatusCode::OK,
        Refusal::default(),
        Typed::default(),
    )
    .await
}

async fn advance(
    state: AppState,
    who: Who,
    headers: HeaderMap,
    id: String,
    raw: Option<String>,
    to: MinutesStatus,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    let path = format!("/workspace/minutes/{}", seg(&id));
    match state.app.advance_minutes(&who.actor, &id, to).await {
        Ok(m) => Ok(see_other(&after(
            ctx,
            &path,
            if m.status == MinutesStatus::Approved {
                "approved"
            } else {
                "circulated"
            },
        ))),
        Err(e) => {
            let (status, r) = refusal(ctx, "workflow", e)?;
            render(
                &state,
                &who,
                ctx,
                &id,
                &q_of(ctx),
                status,
                r,
                Typed::default(),
            )
            .await
        }
    }
}

/// `POST /workspace/minutes/{id}/circulate`.
pub async fn circulate(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    advance(state, who, headers, id, raw, MinutesStatus::Circulated).await
}

/// `POST /workspace/minutes/{id}/approve`.
pub async fn approve(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    advance(state, who, headers, id, raw, MinutesStatus::Approved).await
}

/// `POST /workspace/minutes/{id}/comment`: `text`, and `person` for the operator.
pub async fn comment(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    let form = form_pairs(&body);
    let text = field(&form, "text").unwrap_or_default();
    let person = field(&form, "person");
    let path = format!("/workspace/minutes/{}", seg(&id));
    match state
        .app
        .comment_minutes(&who.actor, &id, person.as_deref(), &text)
        .await
    {
        Ok(_) => Ok(see_other(&after(ctx, &path, "commented"))),
        Err(e) => {
            let (status, r) = refusal(ctx, "comment", e)?;
            let typed = Typed {
                comment: text,
                ..Typed::default()
            };
            render(&state, &who, ctx, &id, &q_of(ctx), status, r, typed).await
        }
    }
}

/// `POST /workspace/minutes/{id}/correct`: the correction's `id` and `text`; off to it.
pub async fn correct(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    let form = form_pairs(&body);
    let new_id = field(&form, "id").unwrap_or_default();
    // The text as typed (a correction may keep leading spaces of its Markdown).
    let text = form
        .iter()
        .rev()
        .find(|(k, _)| k == "text")
        .map(|(_, v)| v.replace("\r\n", "\n"))
        .unwrap_or_default();
    let result = if new_id.is_empty() {
        Err(AppError::Invalid(vec![defcoop_domain::Problem::new(
            "id",
            "must not be empty",
        )]))
    } else {
        state
            .app
            .correct_minutes(&who.actor, &id, &new_id, &text)
            .await
    };
    match result {
        Ok(fix) => Ok(see_other(&after(
            ctx,
            &format!("/workspace/minutes/{}", seg(&fix.id)),
            "corrected",
        ))),
        Err(e) => {
            let (status, r) = refusal(ctx, "correct", e)?;
            let typed = Typed {
                correction_id: Some(new_id),
                correction_text: Some(text),
                ..Typed::default()
            };
            render(&state, &who, ctx, &id, &q_of(ctx), status, r, typed).await
        }
    }
}
