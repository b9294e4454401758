//! `/interop/whatif`: two fleets before and after hypothetical actions, per domain and per
//! pair.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_app::{AppError, WhatIf};
use defcoop_store::Parts;

use super::heat::{self, LegendItem, LEVEL_FILL};
use super::words::Words;
use super::{action_text, fleet_query, known, page, qs, record, Ctx, FleetForm, Marks};
use crate::api::ApiError;
use crate::auth::Who;
use crate::i18n::Text;
use crate::interop::pairs;
use crate::interop_api::{FLEET_PARAMS, MAX_ACTIONS};
use crate::AppState;

/// Most changed pairs listed.
const MAX_SHOWN: usize = 500;

pub struct LevelCount {
    pub before: u64,
    pub after: u64,
    pub fill: &'static str,
    pub delta: String,
}

pub struct DomainChange {
    pub code: String,
    pub href: String,
    pub cells: Vec<LevelCount>,
}

pub struct PairChange {
    pub a: String,
    pub a_href: String,
    pub b: String,
    pub b_href: String,
    pub domain: String,
    pub before: String,
    pub before_fill: &'static str,
    pub after: String,
    pub after_fill: &'static str,
    pub evidence: String,
}

#[derive(Template)]
#[template(path = "interop_whatif.html")]
struct WhatIfPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    form: FleetForm,
    actions_text: String,
    error: Option<String>,
    /// Per bad line: "line 2: ...".
    action_errors: Vec<String>,
    applied: Vec<String>,
    heads: Vec<(String, String)>,
    legend: Vec<LegendItem>,
    domains: Vec<DomainChange>,
    changed: Vec<PairChange>,
    changed_total: usize,
    listed: bool,
    done: bool,
}

/// The actions of the form: the textarea's lines and any `action` parameters.
fn actions_of(q: &[(String, String)]) -> Vec<String> {
    q.iter()
        .filter(|(k, _)| k == "actions" || k == "action")
        .flat_map(|(_, v)| v.lines().map(|l| l.trim().to_string()).collect::<Vec<_>>())
        .filter(|l| !l.is_empty())
        .collect()
}

/// `GET /interop/whatif`: the form, and with fleets and actions the comparison.
pub async fn whatif(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = Ctx::new(&q, &headers);
    let actions = actions_of(&q);
    let mut p = WhatIfPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w: ctx.w(),
        banner: None,
        form: FleetForm::of(&q),
        actions_text: actions.join("\n"),
        error: None,
        action_errors: vec![],
        applied: vec![],
        heads: heat::level_heads(ctx),
        legend: heat::legend(ctx),
        domains: vec![],
        changed: vec![],
        changed_total: 0,
        listed: false,
        done: false,
    };
    if !FleetForm::asked(&q) && actions.is_empty() {
        return Ok(page(
            StatusCode::OK,
            p.render().map_err(crate::WebError::from)?,
        ));
    }
    let mut names = FLEET_PARAMS.to_vec();
    names.extend(["actions", "action"]);
    let checked = known(&q, &names).and_then(|()| fleet_query(&q));
    for (i, a) in actions.iter().enumerate() {
        if let Err(e) = defcoop_app::parse_action(a) {
            p.action_errors
                .push(format!("{} {}: {e}", p.w.actions, i + 1));
        }
    }
    if actions.is_empty() {
        p.action_errors.push(
            ApiError::from(AppError::BadRequest(
                "give at least one action (test:SYSTEM:STANDARD, adopt:SYSTEM:STANDARD, field:GATEWAY, gateway:DOMAIN:FROM:TO)".into(),
            ))
            .message()
            .to_string(),
        );
    }
    if actions.len() > MAX_ACTIONS {
        p.action_errors
            .push(format!("at most {MAX_ACTIONS} actions"));
    }
    let query = match checked {
        Err(e) => {
            p.error = Some(e.message().to_string());
            return Ok(page(e.status(), p.render().map_err(crate::WebError::from)?));
        }
        Ok(query) => query,
    };
    if !p.action_errors.is_empty() {
        return Ok(page(
            StatusCode::BAD_REQUEST,
            p.render().map_err(crate::WebError::from)?,
        ));
    }
    // Every pair, when they are few enough to list; else the counts alone.
    let mut listing = query.clone();
    listing.pairs = true;
    let answer = match state.app.whatif(&who.actor, &listing, &actions).await {
        Err(AppError::BadRequest(m)) if m.starts_with("listing every pair") => {
            state.app.whatif(&who.actor, &query, &actions).await
        }
        other => other,
    };
    let wi: WhatIf = match answer {
        Ok(wi) => wi,
        Err(e) => {
            let e = ApiError::from(e);
            p.error = Some(e.message().to_string());
            return Ok(page(e.status(), p.render().map_err(crate::WebError::from)?));
        }
    };
    p.done = true;
    p.listed = wi.before.with_pairs;
    p.applied = wi.actions.iter().map(|a| action_text(a, ctx)).collect();
    let snap = &wi.before.snapshot;
    for ((&(d, before), (_, after)), _) in wi
        .before
        .matrix
        .domains
        .iter()
        .zip(&wi.after.matrix.domains)
        .zip(0..)
    {
        let code = snap.domains[d].code.clone();
        p.domains.push(DomainChange {
            href: record(ctx, "domains", &code),
            code,
            cells: (0..5)
                .map(|i| {
                    let diff = after[i] as i64 - before[i] as i64;
                    LevelCount {
                        before: before[i],
                        after: after[i],
                        fill: LEVEL_FILL[i],
                        delta: match diff {
                            0 => String::new(),
                            d if d > 0 => format!("+{d}"),
                            d => d.to_string(),
                        },
                    }
                })
                .collect(),
        });
    }
    if p.listed {
        let w = ctx.w();
        let after: HashMap<(usize, usize, usize), defcoop_engine::Level> = wi
            .after
            .matrix
            .pairs
            .iter()
            .map(|x| ((x.a, x.b, x.domain), x.level))
            .collect();
        for x in &wi.before.matrix.pairs {
            let Some(&now) = after.get(&(x.a, x.b, x.domain)) else {
                continue;
            };
            if now == x.level {
                continue;
            }
            p.changed_total += 1;
            if p.changed.len() >= MAX_SHOWN {
                continue;
            }
            let (sa, sb) = (&snap.systems[x.a].id, &snap.systems[x.b].id);
            let d = &snap.domains[x.domain].code;
            p.changed.push(PairChange {
                a: sa.clone(),
                a_href: record(ctx, "systems", sa),
                b: sb.clone(),
                b_href: record(ctx, "systems", sb),
                domain: d.clone(),
                before: w.level(x.level),
                before_fill: LEVEL_FILL[x.level.index()],
                after: w.level(now),
                after_fill: LEVEL_FILL[now.index()],
                evidence: ctx.link("/interop/pair", &qs(&[("a", sa), ("b", sb), ("domain", d)])),
            });
        }
    }
    let view = state.app.view(&who.actor, Parts::Engine).await?;
    let mut marks = Marks::new(view.data());
    let (systems, domains) = heat::drawn_on(&wi.before);
    marks.fleets(&systems, &domains);
    for a in &wi.actions {
        marks.action(a);
    }
    p.banner = marks.text();
    Ok(page(
        StatusCode::OK,
        p.render().map_err(crate::WebError::from)?,
    ))
}
