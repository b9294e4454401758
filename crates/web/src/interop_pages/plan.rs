//! `/interop/plan`: the plan's form; submitting it starts a background job (see [`super::jobs`])
//! and redirects to `/interop/plan/jobs/{id}?QUESTION`, which shows the progress (refreshing
//! itself) and then each step's gain and the matrices before and after, with the plan as JSON
//! (`plan.json`, the CLI's shape) and CSV (`plan.csv`).

use std::sync::Arc;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use defcoop_app::PlanQuery;
use defcoop_store::Parts;

use super::heat::{self, DomainRow, Heatmap, LegendItem};
use super::jobs::{job_id, Job, Outcome};
use super::words::Words;
use super::{action_text, fleet_pairs, known, page, qs_owned, Ctx, FleetForm, Marks};
use crate::api::ApiError;
use crate::auth::Who;
use crate::error::Path;
use crate::i18n::Text;
use crate::interop::pairs;
use crate::interop_api::FLEET_PARAMS;
use crate::AppState;

fn plan_params() -> Vec<&'static str> {
    let mut names = FLEET_PARAMS.to_vec();
    names.extend(["target", "budget"]);
    names
}

/// The question checked and normalized: filters and domains sorted and unique, the day made
/// explicit (today when not given), target and budget given.
fn normalized(q: &[(String, String)]) -> Result<(PlanQuery, String), ApiError> {
    known(q, &plan_params())?;
    let mut query = crate::interop_api::plan_query(&super::form_pairs(q), true)?;
    for v in [
        &mut query.fleets.left,
        &mut query.fleets.right,
        &mut query.fleets.domains,
    ] {
        v.sort();
        v.dedup();
    }
    query.fleets.on = Some(query.fleets.on.unwrap_or_else(defcoop_app::clock::today));
    let mut pairs = fleet_pairs(&query.fleets);
    pairs.push(("target".into(), query.target.to_string()));
    pairs.push(("budget".into(), query.budget.to_string()));
    Ok((query, qs_owned(&pairs)))
}

#[derive(Template)]
#[template(path = "interop_plan.html")]
struct PlanForm {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    form: FleetForm,
    target: String,
    budget: String,
    error: Option<String>,
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// `GET /interop/plan`: the form; with a question, starts its job and redirects to it.
pub async fn plan(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = Ctx::new(&q, &headers);
    let last = |n: &str| crate::interop::all(&q, n).into_iter().next_back();
    let mut p = PlanForm {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w: ctx.w(),
        banner: None,
        form: FleetForm::of(&q),
        target: last("target").unwrap_or_else(|| "2".into()),
        budget: last("budget").unwrap_or_else(|| "10".into()),
        error: None,
    };
    if !FleetForm::asked(&q) {
        return Ok(page(
            StatusCode::OK,
            p.render().map_err(crate::WebError::from)?,
        ));
    }
    let started = async {
        let (query, norm) = normalized(&q)?;
        let view = state.app.interop_digest(&who.actor).await?;
        let id = job_id(&view, &norm);
        state
            .plan_jobs
            .get_or_start(&id, view, &state.app, &who.actor, query)?;
        Ok::<_, ApiError>(ctx.link(&format!("/interop/plan/jobs/{id}"), &norm))
    }
    .await;
    match started {
        Ok(to) => Ok(see_other(&to)),
        Err(e) => {
            p.error = Some(e.message().to_string());
            Ok(page(e.status(), p.render().map_err(crate::WebError::from)?))
        }
    }
}

/// What a job URL leads to.
enum Found {
    Job(Arc<Job>, String),
    /// The question over the asker's view has another id: there.
    Elsewhere(String),
}

/// The job of `id` for this reader: recomputed from the question in the query (started again
/// when not held), or, without a question, held and over the asker's view; else 404.
async fn find(
    state: &AppState,
    who: &Who,
    id: &str,
    q: &[(String, String)],
    ctx: Ctx,
    suffix: &str,
) -> Result<Found, ApiError> {
    let unknown = || ApiError::not_found(format!("plan job {}", defcoop_app::render::cut(id, 70)));
    if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(unknown());
    }
    let view = state.app.interop_digest(&who.actor).await?;
    let asked = q.iter().any(|(k, _)| k != "lang");
    if !asked {
        return state
            .plan_jobs
            .get(id, &view)
            .map(|j| Found::Job(j, String::new()))
            .ok_or_else(unknown);
    }
    let (query, norm) = normalized(q)?;
    let expected = job_id(&view, &norm);
    if expected != id {
        return Ok(Found::Elsewhere(
            ctx.link(&format!("/interop/plan/jobs/{expected}{suffix}"), &norm),
        ));
    }
    let job = state
        .plan_jobs
        .get_or_start(id, view, &state.app, &who.actor, query)?;
    Ok(Found::Job(job, norm))
}

pub struct StepRow {
    pub n: usize,
    pub kind: &'static str,
    pub text: String,
    pub gain: u64,
}

pub struct Side {
    pub rows: Vec<DomainRow>,
    pub heat: Heatmap,
}

#[derive(Template)]
#[template(path = "interop_job.html")]
struct JobPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    /// (started, done, total) while under way.
    progress: Option<(bool, u64, u64)>,
    error: Option<String>,
    steps: Vec<StepRow>,
    covered: (u64, u64),
    target: u8,
    sizes: (usize, usize),
    heads: Vec<(String, String)>,
    legend: Vec<LegendItem>,
    before: Option<Side>,
    after: Option<Side>,
    json: String,
    csv: String,
    again: String,
    /// Where to table this plan as a proposal, for those who may.
    table: Option<String>,
}

/// `GET /interop/plan/jobs/{id}`: the job's progress, then its result.
pub async fn job(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = Ctx::new(&q, &headers);
    let (job, norm) = match find(&state, &who, &id, &q, ctx, "").await? {
        Found::Elsewhere(to) => return Ok(see_other(&to)),
        Found::Job(j, n) => (j, n),
    };
    let w = ctx.w();
    let base = format!("/interop/plan/jobs/{id}");
    let mut p = JobPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w,
        banner: None,
        progress: None,
        error: None,
        steps: vec![],
        covered: (0, 0),
        target: 2,
        sizes: (0, 0),
        heads: heat::level_heads(ctx),
        legend: heat::legend(ctx),
        before: None,
        after: None,
        json: ctx.link(&format!("{base}/plan.json"), &norm),
        csv: ctx.link(&format!("{base}/plan.csv"), &norm),
        again: ctx.link("/interop/plan", &norm),
        table: None,
    };
    let Some(outcome) = job.outcome() else {
        p.progress = Some(job.progress.get());
        let html = p.render().map_err(crate::WebError::from)?;
        return Ok((
            StatusCode::OK,
            [(header::REFRESH, "1"), (header::CACHE_CONTROL, "no-store")],
            axum::response::Html(html),
        )
            .into_response());
    };
    let r = match &*outcome {
        Err(e) => {
            p.error = Some(e.message().to_string());
            return Ok(page(e.status(), p.render().map_err(crate::WebError::from)?));
        }
        Ok(r) => r,
    };
    let kinds = ["test", "adopt", "field", "gateway"];
    p.steps = r
        .plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| StepRow {
            n: i + 1,
            kind: kinds
                .iter()
                .position(|k| *k == s.action.kind())
                .map_or("", |at| w.kinds[at]),
            text: action_text(&s.action, ctx),
            gain: s.gain,
        })
        .collect();
    p.covered = (r.plan.covered_before, r.plan.covered_after);
    let may_table = who.actor.may(defcoop_domain::account::Permission::to_write(
        defcoop_domain::model::Kind::Proposal,
    ));
    if may_table && !r.plan.steps.is_empty() {
        p.table = Some(ctx.link("/workspace/proposals/table", &norm));
    }
    p.target = r.plan.target.number().unwrap_or(2);
    p.sizes = (r.before.left.len(), r.before.right.len());
    let fleet: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(&norm)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| FLEET_PARAMS.contains(&k.as_str()))
        .collect();
    let side = |m: &defcoop_app::MatrixOutcome| Side {
        rows: heat::domain_rows(m, ctx, &fleet),
        heat: heat::nations(m, ctx, &fleet),
    };
    p.before = Some(side(&r.before));
    p.after = r.after.as_ref().map(side);
    // The "after" cells link to the current matrix's pairs, which are the "before" ones: the
    // after-plan counts are hypothetical, so their cells are not links.
    if let Some(a) = p.after.as_mut() {
        for row in &mut a.rows {
            for c in &mut row.cells {
                c.href = None;
            }
        }
        for row in &mut a.heat.rows {
            for c in &mut row.cells {
                c.href = None;
            }
        }
    }
    let view = state.app.view(&who.actor, Parts::Engine).await?;
    let mut marks = Marks::new(view.data());
    let (systems, domains) = heat::drawn_on(&r.before);
    marks.fleets(&systems, &domains);
    for s in &r.plan.steps {
        marks.action(&s.action);
    }
    p.banner = marks.text();
    Ok(page(
        StatusCode::OK,
        p.render().map_err(crate::WebError::from)?,
    ))
}

/// The finished job's outcome (waiting for it), or where the question's job is.
async fn finished(
    state: &AppState,
    who: &Who,
    id: &str,
    raw: Option<String>,
    headers: &HeaderMap,
    suffix: &str,
) -> Result<Result<Arc<Outcome>, Response>, ApiError> {
    let q = pairs(raw)?;
    let ctx = Ctx::new(&q, headers);
    match find(state, who, id, &q, ctx, suffix).await? {
        Found::Elsewhere(to) => Ok(Err(see_other(&to))),
        Found::Job(j, _) => Ok(Ok(j.finished().await)),
    }
}

fn download(kind: &str, name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /interop/plan/jobs/{id}/plan.json`: the plan as `interop plan --format json` prints it.
pub async fn job_json(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let outcome = match finished(&state, &who, &id, raw, &headers, "/plan.json").await? {
        Err(redirect) => return Ok(redirect),
        Ok(o) => o,
    };
    let r = outcome.as_ref().as_ref().map_err(Clone::clone)?;
    let mut text = serde_json::to_string_pretty(&r.plan)
        .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    text.push('\n');
    Ok(download("application/json", "plan.json", text))
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `GET /interop/plan/jobs/{id}/plan.csv`: one row per step:
/// `step,kind,system,standard,gateway,domain,from,to,gain`.
pub async fn job_csv(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let outcome = match finished(&state, &who, &id, raw, &headers, "/plan.csv").await? {
        Err(redirect) => return Ok(redirect),
        Ok(o) => o,
    };
    let r = outcome.as_ref().as_ref().map_err(Clone::clone)?;
    let mut out = String::from("step,kind,system,standard,gateway,domain,from,to,gain\n");
    for (i, s) in r.plan.steps.iter().enumerate() {
        use defcoop_engine::Action as A;
        let e = String::new();
        let (system, standard, gateway, domain, from, to) = match &s.action {
            A::Test { system, standard } | A::Adopt { system, standard } => {
                (system, standard, &e, &e, &e, &e)
            }
            A::Field { gateway } => (&e, &e, gateway, &e, &e, &e),
            A::Gateway { domain, from, to } => (&e, &e, &e, domain, from, to),
        };
        let cells = [
            (i + 1).to_string(),
            s.action.kind().to_string(),
            csv_field(system),
            csv_field(standard),
            csv_field(gateway),
            csv_field(domain),
            csv_field(from),
            csv_field(to),
            s.gain.to_string(),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    Ok(download("text/csv; charset=utf-8", "plan.csv", out))
}
