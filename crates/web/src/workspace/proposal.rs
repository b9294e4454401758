//! `/workspace/proposals/{id}`: a proposal — status, history (day, state, who, meeting), how it
//! was decided, the tabled gap-closure plan (its actions with their gains, the triples covered
//! before → after, the fleets' filters), the action items it produced with their computed
//! state — and the move form (only the legal next states) and, for an agreed plan, the assign
//! form.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_app::workspace::Move;
use defcoop_app::AppError;
use defcoop_domain::account::Permission;
use defcoop_domain::marking::Banner;
use defcoop_domain::model::{Day, Kind};
use defcoop_domain::workspace::{DecisionMethod, ProposalStatus, Votes};
use defcoop_domain::Problem;

use super::actions::{action_row, ActionRow};
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

pub struct StepRow {
    pub on: String,
    pub status: &'static str,
    pub by: Option<Cell>,
    pub meeting: Option<Cell>,
}

pub struct PlanView {
    pub left: String,
    pub right: String,
    pub target: u8,
    pub before: u64,
    pub after: u64,
    /// (action as people read it, its text, gain).
    pub items: Vec<(String, String, u64)>,
    /// The plan's question, for a button that computes it again (a button, not a link: it
    /// starts a job, which nothing following links should do).
    pub recompute: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "ws_proposal.html")]
struct ProposalPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    csrf: String,
    title: String,
    summary: String,
    marking: Option<String>,
    illustrative: bool,
    status: &'static str,
    body: Option<Cell>,
    sponsor: Option<Cell>,
    history: Vec<StepRow>,
    method: Option<&'static str>,
    votes: Option<Votes>,
    plan: Option<PlanView>,
    actions: Vec<ActionRow>,
    show_buttons: bool,
    owner: String,
    state: String,
    meetings: Vec<Cell>,
    decisions: Vec<Cell>,
    /// The documents it builds on.
    documents: Vec<Cell>,
    record_href: String,
    /// The states it may move to: (value, words).
    next: Vec<(&'static str, &'static str)>,
    may_move: bool,
    decides: bool,
    methods: Vec<(&'static str, &'static str)>,
    people: Vec<(String, String)>,
    meeting_ids: Vec<(String, String)>,
    move_action: String,
    may_assign: bool,
    assign_action: String,
    decision_ids: Vec<(String, String)>,
    typed: Vec<(String, String)>,
    refused: Refusal,
    notice: Option<&'static str>,
}

impl ProposalPage {
    /// What the refused form had in `name`.
    fn typed(&self, name: &str) -> &str {
        self.typed
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
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
    typed: Vec<(String, String)>,
) -> Result<Response, ApiError> {
    let w = ctx.w_ws();
    // Everything: an action item done in the registry links a conformance or a gateway,
    // whose label the banner covers.
    let data = state
        .app
        .view(&who.actor, defcoop_store::Parts::All)
        .await?
        .data_arc();
    let p = data
        .proposals
        .binary_search_by(|r| r.id.as_str().cmp(id))
        .ok()
        .map(|i| &data.proposals[i])
        .ok_or_else(|| {
            ApiError::from(AppError::NotFound(format!(
                "proposal \"{}\"",
                defcoop_app::render::cut(id, 100)
            )))
        })?;
    let look = Lookup::new(&data, ctx.lang);
    let mut banner = Banner::default();
    banner.add(p.label.as_ref(), &look.policies);
    let meeting_cell = |m: &str, banner: &mut Banner| {
        let mut c = look.link(Kind::Meeting, m, banner);
        if c.href.is_some() {
            c.href = Some(page_link(ctx, "meetings", m));
        }
        c.note = None;
        c
    };
    let history = p
        .history
        .iter()
        .map(|s| StepRow {
            on: s.on.clone(),
            status: say(ctx, s.status),
            by: s
                .by
                .as_ref()
                .map(|b| look.link(Kind::Person, b, &mut banner)),
            meeting: s.meeting.as_ref().map(|m| meeting_cell(m, &mut banner)),
        })
        .collect();
    let plan = p.plan.as_ref().map(|plan| {
        let mut question: Vec<(String, String)> = Vec::new();
        for f in &plan.left {
            question.push(("left".into(), f.clone()));
        }
        for f in &plan.right {
            question.push(("right".into(), f.clone()));
        }
        for d in &plan.domains {
            question.push(("domain".into(), d.clone()));
        }
        question.push(("target".into(), plan.target.to_string()));
        question.push(("budget".into(), plan.items.len().max(1).to_string()));
        PlanView {
            left: plan.left.join(" "),
            right: plan.right.join(" "),
            target: plan.target,
            before: plan.covered_before,
            after: plan.covered_after,
            items: plan
                .items
                .iter()
                .map(|i| {
                    let words = defcoop_app::parse_action(&i.action)
                        .map(|a| defcoop_app::render::action_text(&a, ctx.render_lang()))
                        .unwrap_or_else(|_| i.action.clone());
                    (words, i.action.clone(), i.gain)
                })
                .collect(),
            recompute: question,
        }
    });
    let items = state.app.action_items(&who.actor, None, None).await?;
    let actions = items
        .iter()
        .filter(|a| a.item.proposal.as_deref() == Some(id))
        .map(|a| action_row(ctx, &look, &mut banner, a))
        .collect();
    let meetings = data
        .meetings
        .iter()
        .filter(|m| m.agenda.iter().any(|i| i.proposal.as_deref() == Some(id)))
        .map(|m| meeting_cell(&m.id, &mut banner))
        .collect();
    let decided_by: Vec<&defcoop_domain::Decision> = data
        .decisions
        .iter()
        .filter(|d| d.proposals.iter().any(|x| x == id))
        .collect();
    let decisions = decided_by
        .iter()
        .map(|d| look.link(Kind::Decision, &d.id, &mut banner))
        .collect();
    let next: Vec<(&'static str, &'static str)> = p
        .status
        .next()
        .iter()
        .map(|s| (s.as_str(), say(ctx, *s)))
        .collect();
    let may_write = who.actor.may(Permission::WriteRegistry);
    let may_move = may_write && !p.status.is_final();
    let unassigned = defcoop_domain::workspace::rules::unassigned_plan_actions(&data)
        .iter()
        .any(|(pid, _)| *pid == id);
    let base = format!("/workspace/proposals/{}", seg(id));
    let page = ProposalPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w,
        banner: None,
        csrf: csrf_of(who),
        title: p.title.clone(),
        summary: p.summary.clone().unwrap_or_default(),
        marking: look.marking(p.label.as_ref()),
        illustrative: p.illustrative,
        status: say(ctx, p.status),
        body: p
            .body
            .as_ref()
            .map(|b| look.link(Kind::Body, b, &mut banner)),
        sponsor: p
            .sponsor
            .as_ref()
            .map(|s| look.link(Kind::Organization, s, &mut banner)),
        history,
        method: p.method.map(|m| say(ctx, m)),
        votes: p.votes,
        plan,
        actions,
        show_buttons: false,
        owner: String::new(),
        state: String::new(),
        meetings,
        decisions,
        documents: p
            .documents
            .iter()
            .map(|d| look.link(Kind::Document, d, &mut banner))
            .collect(),
        record_href: ctx.link(&links::record(Kind::Proposal, id), ""),
        decides: p
            .status
            .next()
            .iter()
            .any(|s| matches!(s, ProposalStatus::Agreed | ProposalStatus::Rejected)),
        next,
        may_move,
        methods: DecisionMethod::ALL
            .iter()
            .map(|m| (m.as_str(), say(ctx, *m)))
            .collect(),
        people: if may_move {
            data.people
                .iter()
                .map(|x| (x.id.clone(), x.name.clone()))
                .collect()
        } else {
            vec![]
        },
        meeting_ids: if may_move {
            data.meetings
                .iter()
                .map(|m| (m.id.clone(), m.title.clone()))
                .collect()
        } else {
            vec![]
        },
        move_action: ctx.link(&format!("{base}/move"), ""),
        may_assign: may_write
            && p.status == ProposalStatus::Agreed
            && p.plan.is_some()
            && unassigned,
        assign_action: ctx.link(&format!("{base}/assign"), ""),
        decision_ids: decided_by
            .iter()
            .map(|d| (d.id.clone(), d.text.chars().take(80).collect()))
            .collect(),
        typed,
        refused,
        notice: super::notice(w, q),
    };
    // The move form's choice lists name people and meetings: their labels count too.
    if may_move {
        for x in &data.people {
            banner.add(x.label.as_ref(), &look.policies);
        }
        for x in &data.meetings {
            banner.add(x.label.as_ref(), &look.policies);
        }
    }
    let page = ProposalPage {
        banner: banner.text(),
        ..page
    };
    html(status, page.render())
}

/// `GET /workspace/proposals/{id}`.
pub async fn page(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    known(&q, &["done"])?;
    render(
        &state,
        &who,
        ctx,
        &id,
        &q,
        StatusCode::OK,
        Refusal::default(),
        vec![],
    )
    .await
}

fn invalid(field: &str, message: String) -> AppError {
    AppError::Invalid(vec![Problem::new(field, message)])
}

/// A move from the form's fields: `to`, `on`, `by`, `meeting`, `method`, `for`, `against`,
/// `abstain` (empty ones left out).
fn move_of(form: &[(String, String)]) -> Result<Move, AppError> {
    let to = field(form, "to").unwrap_or_default();
    let to = ProposalStatus::parse(&to)
        .ok_or_else(|| invalid("to", "choose the state to move to".into()))?;
    let on = match field(form, "on") {
        None => None,
        Some(d) => Some(Day::parse(&d).ok_or_else(|| {
            invalid(
                "on",
                format!(
                    "\"{}\" is not a date (YYYY-MM-DD)",
                    defcoop_app::render::cut(&d, 40)
                ),
            )
        })?),
    };
    let method = match field(form, "method") {
        None => None,
        Some(m) => Some(
            DecisionMethod::parse(&m)
                .ok_or_else(|| invalid("method", "choose consensus or vote".into()))?,
        ),
    };
    let count = |name: &str| -> Result<Option<u32>, AppError> {
        field(form, name)
            .map(|v| {
                v.parse::<u32>().map_err(|_| {
                    invalid(
                        name,
                        format!("\"{}\" is not a number", defcoop_app::render::cut(&v, 20)),
                    )
                })
            })
            .transpose()
    };
    let (yes, no, abstain) = (count("for")?, count("against")?, count("abstain")?);
    let votes = if yes.is_some() || no.is_some() || abstain.is_some() {
        Some(Votes {
            in_favour: yes.unwrap_or(0),
            against: no.unwrap_or(0),
            abstain: abstain.unwrap_or(0),
        })
    } else {
        None
    };
    Ok(Move {
        to,
        on,
        by: field(form, "by"),
        meeting: field(form, "meeting"),
        method,
        votes,
    })
}

/// `POST /workspace/proposals/{id}/move`.
pub async fn move_to(
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
    let result = match move_of(&form) {
        Ok(mv) => state.app.move_proposal(&who.actor, &id, &mv).await,
        Err(e) => Err(e),
    };
    let path = format!("/workspace/proposals/{}", seg(&id));
    match result {
        Ok(_) => Ok(see_other(&after(ctx, &path, "moved"))),
        Err(e) => {
            let (status, r) = refusal(ctx, "move", e)?;
            render(&state, &who, ctx, &id, &q_of(ctx), status, r, form).await
        }
    }
}

/// `POST /workspace/proposals/{id}/assign`: `due`, and `decision` (optional).
pub async fn assign(
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
    let due = field(&form, "due").unwrap_or_default();
    let result = match Day::parse(&due) {
        Some(d) => state
            .app
            .assign_plan(&who.actor, &id, d, field(&form, "decision").as_deref())
            .await
            .map(|_| ()),
        None => Err(invalid(
            "due",
            format!(
                "\"{}\" is not a date (YYYY-MM-DD)",
                defcoop_app::render::cut(&due, 40)
            ),
        )),
    };
    let path = format!("/workspace/proposals/{}", seg(&id));
    match result {
        Ok(()) => Ok(see_other(&after(ctx, &path, "assigned"))),
        Err(e) => {
            let (status, r) = refusal(ctx, "assign", e)?;
            render(&state, &who, ctx, &id, &q_of(ctx), status, r, form).await
        }
    }
}
