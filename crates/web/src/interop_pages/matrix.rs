//! `/interop/matrix`: two fleets counted per domain and level, the origin-nation heatmap, and
//! `/interop/matrix/cell`: the pairs behind one count.

use std::sync::Arc;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_engine::Level;
use defcoop_store::Parts;

use super::heat::{self, DomainRow, Heatmap, LegendItem, LEVEL_FILL};
use super::words::Words;
use super::{fleet_pairs, fleet_query, known, page, qs_owned, record, Ctx, FleetForm, Marks};
use crate::api::ApiError;
use crate::auth::Who;
use crate::i18n::Text;
use crate::interop::pairs;
use crate::interop_api::FLEET_PARAMS;
use crate::AppState;

/// Most pairs a cell page lists.
const MAX_SHOWN: usize = 500;

#[derive(Template)]
#[template(path = "interop_matrix.html")]
struct MatrixPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    form: FleetForm,
    error: Option<String>,
    sizes: Option<(usize, usize)>,
    rows: Vec<DomainRow>,
    heads: Vec<(String, String)>,
    heat: Heatmap,
    legend: Vec<LegendItem>,
}

/// `GET /interop/matrix`: the form, and with fleets their matrix.
pub async fn matrix(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = Ctx::new(&q, &headers);
    let mut p = MatrixPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w: ctx.w(),
        banner: None,
        form: FleetForm::of(&q),
        error: None,
        sizes: None,
        rows: vec![],
        heads: heat::level_heads(ctx),
        heat: Heatmap {
            cols: vec![],
            rows: vec![],
            cut: 0,
        },
        legend: heat::legend(ctx),
    };
    let mut status = StatusCode::OK;
    if FleetForm::asked(&q) {
        let answer = async {
            known(&q, &FLEET_PARAMS)?;
            let query = fleet_query(&q)?;
            let m = state
                .app
                .matrix(&who.actor, &query, Arc::new(defcoop_engine::NoProgress))
                .await?;
            Ok::<_, ApiError>((query, m))
        }
        .await;
        match answer {
            Err(e) => {
                status = e.status();
                p.error = Some(e.message().to_string());
            }
            Ok((query, m)) => {
                let fleet = fleet_pairs(&query);
                p.rows = heat::domain_rows(&m, ctx, &fleet);
                p.heat = heat::nations(&m, ctx, &fleet);
                p.sizes = Some((m.left.len(), m.right.len()));
                let view = state.app.view(&who.actor, Parts::Engine).await?;
                let mut marks = Marks::new(view.data());
                let (systems, domains) = heat::drawn_on(&m);
                marks.fleets(&systems, &domains);
                p.banner = marks.text();
            }
        }
    }
    Ok(page(status, p.render().map_err(crate::WebError::from)?))
}

pub struct PairRow {
    pub a: String,
    pub a_href: String,
    pub b: String,
    pub b_href: String,
    pub domain: String,
    pub level: String,
    pub fill: &'static str,
    pub evidence: String,
}

#[derive(Template)]
#[template(path = "interop_cell.html")]
struct CellPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    error: Option<String>,
    what: String,
    back: String,
    total: usize,
    rows: Vec<PairRow>,
}

fn level_of(s: &str) -> Result<Level, ApiError> {
    Level::ALL
        .into_iter()
        .find(|l| l.as_str() == s)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "level: \"{}\" is not na, 0, 1, 2 or 3",
                defcoop_app::render::cut(s, 20)
            ))
        })
}

/// `GET /interop/matrix/cell?FLEETS[&in=DOMAIN][&level=L][&a=NATION&b=NATION]`: the pairs of
/// one count of the matrix (a domain and level, or a pair of origin nations).
pub async fn cell(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = Ctx::new(&q, &headers);
    let w = ctx.w();
    let mut p = CellPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w,
        banner: None,
        error: None,
        what: String::new(),
        back: String::new(),
        total: 0,
        rows: vec![],
    };
    let answer = async {
        let mut names = FLEET_PARAMS.to_vec();
        names.extend(["in", "level", "a", "b"]);
        known(&q, &names)?;
        let query = fleet_query(&q)?;
        let get = |n: &str| crate::interop::all(&q, n).into_iter().next_back();
        let level = get("level").map(|l| level_of(&l)).transpose()?;
        let within = get("in");
        let (a, b) = (get("a"), get("b"));
        let back = ctx.link("/interop/matrix", &qs_owned(&fleet_pairs(&query)));
        // Only what the cell needs: its domain, its nations' systems.
        let mut narrowed = query.clone();
        if let Some(d) = &within {
            if !query.domains.is_empty() && !query.domains.contains(d) {
                return Err(ApiError::bad_request(format!(
                    "in: \"{}\" is not one of the chosen domains",
                    defcoop_app::render::cut(d, 40)
                )));
            }
            narrowed.domains = vec![d.clone()];
        }
        if let Some(a) = &a {
            narrowed.left.push(format!("origin:{a}"));
        }
        if let Some(b) = &b {
            narrowed.right.push(format!("origin:{b}"));
        }
        narrowed.pairs = true;
        let m = state
            .app
            .matrix(&who.actor, &narrowed, Arc::new(defcoop_engine::NoProgress))
            .await?;
        Ok::<_, ApiError>((m, level, within, a, b, back))
    }
    .await;
    let mut status = StatusCode::OK;
    match answer {
        Err(e) => {
            status = e.status();
            p.error = Some(e.message().to_string());
        }
        Ok((m, level, within, a, b, back)) => {
            let snap = &m.snapshot;
            let mut what = vec![];
            if let (Some(a), Some(b)) = (&a, &b) {
                what.push(format!("{a} × {b}"));
            }
            if let Some(d) = &within {
                what.push(d.clone());
            }
            if let Some(l) = level {
                what.push(w.level(l));
            }
            p.what = what.join(" · ");
            p.back = back;
            let matching = m
                .matrix
                .pairs
                .iter()
                .filter(|x| level.is_none_or(|l| x.level == l));
            for x in matching {
                p.total += 1;
                if p.rows.len() >= MAX_SHOWN {
                    continue;
                }
                let (sa, sb) = (&snap.systems[x.a].id, &snap.systems[x.b].id);
                let d = &snap.domains[x.domain].code;
                p.rows.push(PairRow {
                    a: sa.clone(),
                    a_href: record(ctx, "systems", sa),
                    b: sb.clone(),
                    b_href: record(ctx, "systems", sb),
                    domain: d.clone(),
                    level: w.level(x.level),
                    fill: LEVEL_FILL[x.level.index()],
                    evidence: ctx.link(
                        "/interop/pair",
                        &super::qs(&[("a", sa), ("b", sb), ("domain", d)]),
                    ),
                });
            }
            let view = state.app.view(&who.actor, Parts::Engine).await?;
            let mut marks = Marks::new(view.data());
            let (systems, domains) = heat::drawn_on(&m);
            marks.fleets(&systems, &domains);
            p.banner = marks.text();
        }
    }
    Ok(page(status, p.render().map_err(crate::WebError::from)?))
}
