//! `/workspace/proposals/table`: a gap-closure plan (the question of `/interop/plan`: fleets,
//! domains, day, target, budget) tabled as a new proposal. The plan job's page links here with
//! its question; the form asks for the proposal's id and title (and optionally its summary,
//! body, sponsor, who tables it); the plan is computed again on the reader's view when it is
//! tabled (`App::table_plan`), so what is tabled is what the reader may see.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_app::workspace::TablePlan;
use defcoop_app::{AppError, PlanQuery};
use defcoop_domain::account::Permission;
use defcoop_domain::model::Kind;

use super::{ctx_of, field, form_pairs, html, refusal, see_other, Refusal, Words};
use crate::api::ApiError;
use crate::auth::Who;
use crate::error::Body;
use crate::i18n::Text;
use crate::interop::pairs;
use crate::interop_pages::{seg, Ctx};
use crate::registry::csrf_of;
use crate::AppState;

/// The plan question's parameters, as `/interop/plan` takes them.
const QUESTION: [&str; 6] = ["left", "right", "domain", "on", "target", "budget"];
/// The proposal's own fields in the form.
const FIELDS: [&str; 6] = ["id", "title", "summary", "body", "sponsor", "by"];

#[derive(Template)]
#[template(path = "ws_table.html")]
struct TablePage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    csrf: String,
    /// The question as hidden fields, and as people read it.
    question: Vec<(String, String)>,
    left: String,
    right: String,
    domains: String,
    target: String,
    budget: String,
    on: String,
    may_table: bool,
    /// Visible bodies and organizations: (id, name).
    bodies: Vec<(String, String)>,
    organizations: Vec<(String, String)>,
    people: Vec<(String, String)>,
    typed: Vec<(String, String)>,
    refused: Refusal,
    again: String,
}

impl TablePage {
    /// What the form had in `name` (after a refusal).
    fn typed(&self, name: &str) -> &str {
        self.typed
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The question's pairs of `q`, in a fixed order.
fn question_of(q: &[(String, String)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for name in QUESTION {
        out.extend(q.iter().filter(|(k, _)| k == name).cloned());
    }
    out
}

/// The plan question: checked as `/interop/plan` checks it.
fn plan_query(question: &[(String, String)]) -> Result<PlanQuery, ApiError> {
    crate::interop_api::plan_query(&crate::interop_pages::form_pairs(question), true)
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    who: &Who,
    ctx: Ctx,
    question: Vec<(String, String)>,
    status: StatusCode,
    refused: Refusal,
    typed: Vec<(String, String)>,
) -> Result<Response, ApiError> {
    let query = plan_query(&question)?;
    let data = state.app.workspace(&who.actor).await?;
    let f = &query.fleets;
    let page = TablePage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w: ctx.w_ws(),
        banner: None,
        csrf: csrf_of(who),
        left: f.left.join(" "),
        right: f.right.join(" "),
        domains: f.domains.join(", "),
        target: query.target.to_string(),
        budget: query.budget.to_string(),
        on: f.on.map(|d| d.to_string()).unwrap_or_default(),
        may_table: who.actor.may(Permission::to_write(Kind::Proposal)),
        bodies: data
            .bodies
            .iter()
            .map(|b| (b.id.clone(), b.name.clone()))
            .collect(),
        organizations: data
            .organizations
            .iter()
            .map(|o| (o.id.clone(), o.name.clone()))
            .collect(),
        people: data
            .people
            .iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect(),
        again: ctx.link("/interop/plan", &crate::interop_pages::qs_owned(&question)),
        question,
        typed,
        refused,
    };
    // The choices name bodies, organizations and people: their labels mark the page.
    let policies = defcoop_domain::Policies::new(&data.policies);
    let mut banner = defcoop_domain::marking::Banner::default();
    data.bodies
        .iter()
        .for_each(|r| banner.add(r.label.as_ref(), &policies));
    data.organizations
        .iter()
        .for_each(|r| banner.add(r.label.as_ref(), &policies));
    data.people
        .iter()
        .for_each(|r| banner.add(r.label.as_ref(), &policies));
    let page = TablePage {
        banner: banner.text(),
        ..page
    };
    html(status, page.render())
}

/// `GET /workspace/proposals/table?left=..&right=..[&domain=..][&on=..]&target=..&budget=..`.
pub async fn form(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    crate::interop_pages::known(&q, &QUESTION)?;
    render(
        &state,
        &who,
        ctx,
        question_of(&q),
        StatusCode::OK,
        Refusal::default(),
        vec![],
    )
    .await
}

/// `POST /workspace/proposals/table`: the question and the proposal's fields.
pub async fn table(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    let form = form_pairs(&body);
    let question = question_of(&form);
    let query = plan_query(&question)?;
    let need = |name: &str| {
        field(&form, name).ok_or_else(|| {
            AppError::Invalid(vec![defcoop_domain::Problem::new(
                name,
                "must not be empty",
            )])
        })
    };
    let result = async {
        let t = TablePlan {
            id: need("id")?,
            title: need("title")?,
            summary: field(&form, "summary"),
            body: field(&form, "body"),
            sponsor: field(&form, "sponsor"),
            by: field(&form, "by"),
            meeting: None,
            left: query.fleets.left.clone(),
            right: query.fleets.right.clone(),
            domains: query.fleets.domains.clone(),
            target: query.target,
            budget: query.budget,
            on: query.fleets.on,
        };
        state.app.table_plan(&who.actor, &t).await
    }
    .await;
    match result {
        Ok(p) => Ok(see_other(&super::after(
            ctx,
            &format!("/workspace/proposals/{}", seg(&p.id)),
            "tabled",
        ))),
        Err(e) => {
            let (status, r) = refusal(ctx, "table", e)?;
            let typed = form
                .into_iter()
                .filter(|(k, _)| FIELDS.contains(&k.as_str()))
                .collect();
            render(&state, &who, ctx, question, status, r, typed).await
        }
    }
}
