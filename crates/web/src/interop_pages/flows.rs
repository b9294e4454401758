//! `/flows`: the arms-flows picture (the CLI's SVG) with its filters, and its figures as a table.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_store::Parts;

use super::words::Words;
use super::{known, page, Ctx, Marks};
use crate::api::ApiError;
use crate::auth::Who;
use crate::i18n::Text;
use crate::interop::pairs;
use crate::interop_api::FLOW_PARAMS;
use crate::AppState;

pub struct FlowRow {
    pub supplier: String,
    pub recipient: String,
    pub tiv: String,
    pub items: u64,
    pub deals: usize,
}

#[derive(Template)]
#[template(path = "flows.html")]
struct FlowsPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    f_supplier: String,
    f_recipient: String,
    f_category: String,
    f_from: String,
    f_to: String,
    f_top: String,
    f_members_on: String,
    error: Option<String>,
    title: String,
    svg: Option<String>,
    rows: Vec<FlowRow>,
    total: String,
    notes: Vec<String>,
}

/// `q` with the comma-separated lists of a form's fields split into repeated parameters.
fn split_lists(q: &[(String, String)]) -> Vec<(String, String)> {
    let mut out = vec![];
    for (k, v) in q {
        if ["supplier", "recipient", "category"].contains(&k.as_str()) {
            out.extend(
                v.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| (k.clone(), p.to_string())),
            );
        } else if !v.trim().is_empty() || k == "members-on" {
            out.push((k.clone(), v.clone()));
        }
    }
    out
}

/// `GET /flows`: the flows of the visible transfers, filtered as `defcoop flows`.
pub async fn flows(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = Ctx::new(&q, &headers);
    let join = |n: &str| {
        q.iter()
            .filter(|(k, _)| k == n)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut p = FlowsPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w: ctx.w(),
        banner: None,
        f_supplier: join("supplier"),
        f_recipient: join("recipient"),
        f_category: join("category"),
        f_from: join("from"),
        f_to: join("to"),
        f_top: join("top"),
        f_members_on: join("members-on"),
        error: None,
        title: String::new(),
        svg: None,
        rows: vec![],
        total: String::new(),
        notes: vec![],
    };
    let answer = async {
        known(&q, &FLOW_PARAMS)?;
        let mut split = split_lists(&q);
        split.retain(|(k, _)| k != "lang");
        let query = crate::interop_api::flow_query(&split)?;
        Ok::<_, ApiError>(state.app.flows(&who.actor, query).await?)
    }
    .await;
    let answer = match answer {
        Ok(a) => a,
        Err(e) => {
            p.error = Some(e.message().to_string());
            return Ok(page(e.status(), p.render().map_err(crate::WebError::from)?));
        }
    };
    let f = &answer.flows;
    let rlang = ctx.render_lang();
    p.title = answer.title(rlang).to_string();
    p.svg = Some(defcoop_app::render::flows_svg(
        f,
        answer.title(rlang),
        rlang,
    ));
    p.rows = f
        .flows
        .iter()
        .map(|x| FlowRow {
            supplier: x.supplier.name.clone(),
            recipient: x.recipient.name.clone(),
            tiv: x.tiv.display(1),
            items: x.items,
            deals: x.deals,
        })
        .collect();
    p.total = f.total_tiv.display(1);
    p.notes = f.notes.clone();
    let view = state.app.view(&who.actor, Parts::Transfers).await?;
    let mut marks = Marks::new(view.data());
    // The flows count visible transfers and name nations: the banner covers them all.
    marks.transfers();
    p.banner = marks.text();
    Ok(page(
        StatusCode::OK,
        p.render().map_err(crate::WebError::from)?,
    ))
}
