//! `/workspace/meetings/{id}`: a meeting — its status, place, the times table (its own zone,
//! its participants' nations' zones and, with `tz`, the reader's), participants with their
//! roles, the agenda with outcomes and proposals, minutes and decisions — and for the
//! secretariat the close form (an outcome per item) and the cancel button.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_app::AppError;
use defcoop_domain::account::Permission;
use defcoop_domain::marking::Banner;
use defcoop_domain::model::Kind;
use defcoop_domain::workspace::{MeetingStatus, Outcome};
use defcoop_domain::Problem;

use super::api::opt;
use super::{after, ctx_of, form_pairs, html, page_link, refusal, say, see_other, Refusal, Words};
use crate::api::ApiError;
use crate::auth::Who;
use crate::error::{Body, Path};
use crate::i18n::Text;
use crate::interop::pairs;
use crate::interop_pages::{known, qs, Ctx};
use crate::registry::csrf_of;
use crate::registry::show::{safe_url, Cell, Lookup};
use crate::{links, AppState};

pub struct TimeRow {
    pub zone: String,
    pub start: String,
    pub end: String,
    pub why: &'static str,
}

pub struct ParticipantRow {
    pub person: Cell,
    pub role: &'static str,
    pub organization: Cell,
    pub timeline: String,
}

pub struct AgendaRow {
    pub n: usize,
    pub title: String,
    pub proposal: Option<Cell>,
    pub outcome: Option<&'static str>,
    pub notes: String,
    /// The close form's choices: (value, words, selected).
    pub choices: Vec<(&'static str, &'static str, bool)>,
    pub error: Option<String>,
}

pub struct MinutesRow {
    pub link: Cell,
    pub version: u32,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "ws_meeting.html")]
struct MeetingPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    csrf: String,
    id: String,
    title: String,
    marking: Option<String>,
    illustrative: bool,
    status: &'static str,
    body: Option<Cell>,
    place: String,
    online: Option<String>,
    times: Vec<TimeRow>,
    tz: String,
    tz_error: Option<String>,
    participants: Vec<ParticipantRow>,
    agenda: Vec<AgendaRow>,
    minutes: Vec<MinutesRow>,
    decisions: Vec<Cell>,
    may_run: bool,
    planned: bool,
    close_action: String,
    cancel_action: String,
    record_href: String,
    refused: Refusal,
    notice: Option<&'static str>,
}

/// The meeting page, with what a refused form says.
async fn render(
    state: &AppState,
    who: &Who,
    ctx: Ctx,
    id: &str,
    q: &[(String, String)],
    status: StatusCode,
    refused: Refusal,
) -> Result<Response, ApiError> {
    let w = ctx.w_ws();
    let tz = opt(q, "tz")?;
    let (view, tz_error, status) = match state.app.meeting(&who.actor, id, tz.as_deref()).await {
        Ok(v) => (v, None, status),
        Err(AppError::BadRequest(m)) if tz.is_some() => (
            state.app.meeting(&who.actor, id, None).await?,
            Some(crate::error_text::translate(ctx.lang, &m)),
            StatusCode::BAD_REQUEST,
        ),
        Err(e) => return Err(e.into()),
    };
    let data = state.app.workspace(&who.actor).await?;
    let look = Lookup::new(&data, ctx.lang);
    let mut banner = Banner::default();
    let m = &view.meeting;
    banner.add(m.label.as_ref(), &look.policies);
    let times = view
        .times
        .iter()
        .map(|t| TimeRow {
            zone: t.zone.clone(),
            start: t.start.clone(),
            end: t.end.clone(),
            why: match t.why {
                "meeting" => w.why_meeting,
                "participants" => w.why_participants,
                _ => w.why_reader,
            },
        })
        .collect();
    let participants = m
        .participants
        .iter()
        .map(|p| {
            let person = look.link(Kind::Person, &p.person, &mut banner);
            let org = data
                .people
                .binary_search_by(|x| x.id.as_str().cmp(&p.person))
                .ok()
                .map(|i| data.people[i].organization.clone());
            ParticipantRow {
                person,
                role: say(ctx, p.role),
                organization: org.map_or(Cell::text(""), |o| {
                    look.link(Kind::Organization, &o, &mut banner)
                }),
                timeline: ctx.link("/workspace/timeline", &qs(&[("person", &p.person)])),
            }
        })
        .collect();
    let agenda = m
        .agenda
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let field_name = format!("agenda[{i}].outcome");
            let chosen = refused_choice(&refused, i + 1).or(item.outcome);
            AgendaRow {
                n: i + 1,
                title: item.title.clone(),
                proposal: item.proposal.as_ref().map(|p| {
                    let mut c = look.link(Kind::Proposal, p, &mut banner);
                    c.href = Some(page_link(ctx, "proposals", p));
                    c.note = None;
                    c
                }),
                outcome: item.outcome.map(|o| say(ctx, o)),
                notes: item.notes.clone().unwrap_or_default(),
                choices: Outcome::ALL
                    .iter()
                    .map(|o| (o.as_str(), say(ctx, *o), chosen == Some(*o)))
                    .collect(),
                error: refused.of(&field_name).map(str::to_string),
            }
        })
        .collect();
    let minutes = view
        .minutes
        .iter()
        .filter_map(|mid| {
            let x = data
                .minutes
                .binary_search_by(|r| r.id.as_str().cmp(mid))
                .ok()
                .map(|i| &data.minutes[i])?;
            banner.add(x.label.as_ref(), &look.policies);
            Some(MinutesRow {
                link: super::cell(x.id.clone(), page_link(ctx, "minutes", &x.id)),
                version: x.version,
                status: say(ctx, x.status),
            })
        })
        .collect();
    let decisions = view
        .decisions
        .iter()
        .map(|d| look.link(Kind::Decision, d, &mut banner))
        .collect();
    let planned = m.status == MeetingStatus::Planned;
    let base = format!("/workspace/meetings/{}", crate::interop_pages::seg(id));
    let page = MeetingPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w,
        csrf: csrf_of(who),
        id: m.id.clone(),
        title: m.title.clone(),
        marking: look.marking(m.label.as_ref()),
        illustrative: m.illustrative,
        status: say(ctx, m.status),
        body: m
            .body
            .as_ref()
            .map(|b| look.link(Kind::Body, b, &mut banner)),
        place: m.place.clone().unwrap_or_default(),
        online: m.online.as_deref().and_then(safe_url),
        times,
        tz: tz.unwrap_or_default(),
        tz_error,
        participants,
        agenda,
        minutes,
        decisions,
        may_run: who.actor.may(Permission::RunBody),
        planned,
        close_action: ctx.link(&format!("{base}/close"), ""),
        cancel_action: ctx.link(&format!("{base}/cancel"), ""),
        record_href: ctx.link(&links::record(Kind::Meeting, id), ""),
        refused,
        notice: super::notice(w, q),
        banner: None,
    };
    let page = MeetingPage {
        banner: banner.text(),
        ..page
    };
    html(status, page.render())
}

/// The outcome the refused form chose for item `n`, so the form shows it again.
fn refused_choice(r: &Refusal, n: usize) -> Option<Outcome> {
    r.fields
        .iter()
        .find(|(f, _)| f == &format!("outcome-{n}"))
        .and_then(|(_, v)| Outcome::parse(v))
}

/// `GET /workspace/meetings/{id}[?tz=ZONE]`.
pub async fn page(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    known(&q, &["tz", "done"])?;
    render(
        &state,
        &who,
        ctx,
        &id,
        &q,
        StatusCode::OK,
        Refusal::default(),
    )
    .await
}

/// `POST /workspace/meetings/{id}/close`: `outcome-N` per agenda item (empty: keep its outcome).
pub async fn close(
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
    let mut outcomes = Vec::new();
    let mut problems = Vec::new();
    for (k, v) in &form {
        let Some(n) = k
            .strip_prefix("outcome-")
            .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        match (v.trim(), Outcome::parse(v.trim())) {
            ("", _) => {}
            (_, Some(o)) => outcomes.push((n, o)),
            (_, None) => problems.push(Problem::new(
                format!("agenda[{}].outcome", n.saturating_sub(1)),
                format!("\"{}\" is not an outcome", defcoop_app::render::cut(v, 40)),
            )),
        }
    }
    let result = if problems.is_empty() {
        state.app.close_meeting(&who.actor, &id, &outcomes).await
    } else {
        Err(AppError::Invalid(problems))
    };
    let page_path = format!("/workspace/meetings/{}", crate::interop_pages::seg(&id));
    match result {
        Ok(_) => Ok(see_other(&after(ctx, &page_path, "closed"))),
        Err(e) => {
            let (status, mut r) = refusal(ctx, "close", e)?;
            // What was chosen, to show it again.
            for (n, o) in &outcomes {
                r.fields
                    .push((format!("outcome-{n}"), o.as_str().to_string()));
            }
            render(&state, &who, ctx, &id, &q_of(ctx), status, r).await
        }
    }
}

/// `POST /workspace/meetings/{id}/cancel`.
pub async fn cancel(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    let page_path = format!("/workspace/meetings/{}", crate::interop_pages::seg(&id));
    match state.app.cancel_meeting(&who.actor, &id).await {
        Ok(_) => Ok(see_other(&after(ctx, &page_path, "cancelled"))),
        Err(e) => {
            let (status, r) = refusal(ctx, "cancel", e)?;
            render(&state, &who, ctx, &id, &q_of(ctx), status, r).await
        }
    }
}

/// The query a page rendered after a form keeps: its language only.
pub(crate) fn q_of(ctx: Ctx) -> Vec<(String, String)> {
    match ctx.keep.strip_prefix("&lang=") {
        Some(l) => vec![("lang".to_string(), l.to_string())],
        None => vec![],
    }
}
