//! `/workspace/actions`: every action item the reader sees with its owner, due day and computed
//! state (overdue highlighted; done in the registry with a link to the change that did it),
//! filtered by owner and state, with done, cancel and reopen buttons for those who may.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_app::workspace::{ActionState, ActionView};
use defcoop_domain::account::Permission;
use defcoop_domain::marking::Banner;
use defcoop_domain::model::Kind;
use defcoop_domain::workspace::ActionStatus;

use super::api::{action_state, opt, ACTION_STATES};
use super::{ctx_of, field, form_pairs, html, page_link, refusal, say, see_other, Words};
use crate::api::ApiError;
use crate::auth::Who;
use crate::error::{Body, Path};
use crate::i18n::Text;
use crate::interop::pairs;
use crate::interop_pages::{known, Ctx};
use crate::registry::csrf_of;
use crate::registry::show::{Cell, Lookup};
use crate::{links, AppState};

pub struct ActionRow {
    /// Where its status form posts.
    pub status_action: String,
    pub title: Cell,
    pub owner: Cell,
    pub due: String,
    pub state: &'static str,
    /// `overdue`, `done-in-registry`, ...: the row's class.
    pub class: &'static str,
    /// The registry's change that did it, and what it says.
    pub done_by: Option<(Cell, String)>,
    pub proposal: Option<Cell>,
    pub marking: Option<String>,
    /// The statuses it may be set to, with their buttons' words.
    pub buttons: Vec<(&'static str, &'static str)>,
}

fn class(s: ActionState) -> &'static str {
    match s {
        ActionState::Open => "open",
        ActionState::Overdue => "overdue",
        ActionState::Done => "done",
        ActionState::DoneInRegistry => "done-in-registry",
        ActionState::Cancelled => "cancelled",
    }
}

/// An action item as a row of a table.
pub(crate) fn action_row(
    ctx: Ctx,
    look: &Lookup,
    banner: &mut Banner,
    a: &ActionView,
) -> ActionRow {
    let w = ctx.w_ws();
    let item = &a.item;
    banner.add(item.label.as_ref(), &look.policies);
    let owner = match (&item.owner.person, &item.owner.organization) {
        (Some(p), _) => look.link(Kind::Person, p, banner),
        (None, Some(o)) => look.link(Kind::Organization, o, banner),
        (None, None) => Cell::text(""),
    };
    let done_by = a.done_by.as_ref().map(|c| {
        let kind = if c.kind == "gateway" {
            Kind::Gateway
        } else {
            Kind::Conformance
        };
        if let Some((_, label)) = look.find(kind, &c.key) {
            banner.add(label, &look.policies);
        }
        (
            super::cell(c.key.clone(), ctx.link(&links::record(kind, &c.key), "")),
            c.says.clone(),
        )
    });
    let proposal = item.proposal.as_ref().map(|p| {
        let mut c = look.link(Kind::Proposal, p, banner);
        c.href = Some(page_link(ctx, "proposals", p));
        c.note = None;
        c
    });
    let buttons = match item.status {
        ActionStatus::Open => vec![("done", w.mark_done), ("cancelled", w.mark_cancelled)],
        ActionStatus::Done | ActionStatus::Cancelled => vec![("open", w.reopen)],
    };
    ActionRow {
        status_action: ctx.link(
            &format!(
                "/workspace/actions/{}/status",
                crate::interop_pages::seg(&item.id)
            ),
            "",
        ),
        title: super::cell(
            item.title.clone(),
            ctx.link(&links::record(Kind::ActionItem, &item.id), ""),
        ),
        owner,
        due: item.due.clone(),
        state: say(ctx, a.state),
        class: class(a.state),
        done_by,
        proposal,
        marking: look.marking(item.label.as_ref()),
        buttons,
    }
}

#[derive(Template)]
#[template(path = "ws_actions.html")]
struct ActionsPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    csrf: String,
    show_buttons: bool,
    actions: Vec<ActionRow>,
    owner: String,
    state: String,
    states: Vec<(&'static str, &'static str, bool)>,
    owners: Vec<(String, String)>,
    error: Option<String>,
    notice: Option<&'static str>,
}

/// The actions page for `q` (its filters), with `error` at its top.
async fn render(
    state: &AppState,
    who: &Who,
    ctx: Ctx,
    q: &[(String, String)],
    error: Option<(StatusCode, String)>,
) -> Result<Response, ApiError> {
    let w = ctx.w_ws();
    let owner = opt(q, "owner")?;
    let st = opt(q, "state")?;
    let wanted = match &st {
        None => None,
        Some(s) => Some(action_state(s).ok_or_else(|| {
            ApiError::bad_request(format!(
                "state: \"{}\" is not one of {}",
                defcoop_app::render::cut(s, 40),
                ACTION_STATES.join(", ")
            ))
        })?),
    };
    let items = state
        .app
        .action_items(&who.actor, owner.as_deref(), wanted)
        .await?;
    // Everything: an action item done in the registry links a conformance or a gateway,
    // whose label the banner covers.
    let data = state
        .app
        .view(&who.actor, defcoop_store::Parts::All)
        .await?
        .data_arc();
    let look = Lookup::new(&data, ctx.lang);
    let mut banner = Banner::default();
    let rows = items
        .iter()
        .map(|a| action_row(ctx, &look, &mut banner, a))
        .collect();
    // The owners a filter may name: every owner of a visible item.
    let mut owners: Vec<(String, String)> = Vec::new();
    for a in &data.action_items {
        let (kind, key) = match (&a.owner.person, &a.owner.organization) {
            (Some(p), _) => (Kind::Person, p),
            (None, Some(o)) => (Kind::Organization, o),
            _ => continue,
        };
        if owners.iter().all(|(k, _)| k != key) {
            let name = look.find(kind, key).map_or(key.clone(), |(n, _)| n);
            owners.push((key.clone(), name));
        }
    }
    owners.sort();
    let state_now = st.clone().unwrap_or_default();
    let states = ACTION_STATES
        .iter()
        .filter_map(|s| Some((*s, say(ctx, action_state(s)?), state_now == *s)))
        .collect();
    let (status, error) = match error {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = ActionsPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w,
        banner: banner.text(),
        csrf: csrf_of(who),
        show_buttons: who.actor.may(Permission::to_write(Kind::ActionItem)),
        actions: rows,
        owner: owner.unwrap_or_default(),
        state: state_now,
        states,
        owners,
        error,
        notice: super::notice(w, q),
    };
    html(status, page.render())
}

/// `GET /workspace/actions?[owner=O][&state=S]`.
pub async fn page(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    known(&q, &["owner", "state", "done"])?;
    render(&state, &who, ctx, &q, None).await
}

/// `POST /workspace/actions/{id}/status`: the form's `status`; back to the list it came from
/// (its `owner` and `state` filters).
pub async fn set_status(
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
    let mut back: Vec<(String, String)> = ["owner", "state"]
        .iter()
        .filter_map(|k| field(&form, k).map(|v| (k.to_string(), v)))
        .collect();
    let wanted = field(&form, "status").and_then(|s| ActionStatus::parse(&s));
    let result = match wanted {
        Some(s) => state.app.set_action_status(&who.actor, &id, s).await,
        None => Err(defcoop_app::AppError::Invalid(vec![
            defcoop_domain::Problem::new("status", "must be open, done or cancelled"),
        ])),
    };
    match result {
        Ok(_) => {
            back.push(("done".into(), "status".into()));
            let query = crate::interop_pages::qs_owned(&back);
            Ok(see_other(&ctx.link("/workspace/actions", &query)))
        }
        Err(e) => {
            let (status, r) = refusal(ctx, "status", e)?;
            let message = format!("{id}: {}", r.message.unwrap_or_default());
            render(&state, &who, ctx, &back, Some((status, message))).await
        }
    }
}
