//! HTML pages.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use defcoop_app::render::nation_name;
use defcoop_app::TransferQuery;
use defcoop_domain::marking::{marking, Banner};
use defcoop_domain::model::DeliveredIn;
use defcoop_domain::Policies;
use defcoop_store::Parts;
use serde::Deserialize;

use crate::auth::Who;
use crate::error::Query;
use crate::i18n::{text, Lang, Text};
use crate::{AppState, WebError};

/// Rows shown per table on the overview; the rest is counted.
const MAX_ROWS: usize = 200;

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

struct SystemRow {
    id: String,
    name: String,
    category: String,
    origin: String,
    producer: String,
    operators: String,
    illustrative: bool,
    source: Option<(String, Option<String>)>,
    marking: Option<String>,
}

struct StandardRow {
    id: String,
    title: String,
    body: String,
    domain: String,
    used_by: usize,
    illustrative: bool,
    marking: Option<String>,
}

#[derive(Template)]
#[template(path = "index.html")]
struct Index {
    lang: &'static str,
    t: &'static Text,
    nations: usize,
    organizations: usize,
    conformances: usize,
    transfers: usize,
    systems_total: usize,
    standards_total: usize,
    systems: Vec<SystemRow>,
    standards: Vec<StandardRow>,
    banner: Option<String>,
}

/// `/`: what the registry holds, systems and standards first.
pub async fn index(
    State(state): State<AppState>,
    who: Who,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let view = state.app.view(&who.actor, Parts::All).await?;
    // The page depends on the view and the language only: rendered once per view.
    let page = view.rendered(&format!("index.{}", lang.code()), || {
        index_page(&view, lang)
    })?;
    // The dashboard names the user: made per request, spliced into the shared page.
    let dashboard = crate::registry::dashboard::block(lang, &who, &view)?;
    let page = page.replacen(crate::registry::dashboard::MARKER, &dashboard, 1);
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response())
}

fn index_page(view: &defcoop_app::View, lang: Lang) -> Result<String, WebError> {
    let data = view.data();

    let nation_name: HashMap<&str, &str> = data
        .nations
        .iter()
        .map(|n| {
            (
                n.code.as_str(),
                nation_name(lang.render(), &n.code, &n.name),
            )
        })
        .collect();
    let org_name: HashMap<&str, &str> = data
        .organizations
        .iter()
        .map(|o| (o.id.as_str(), o.name.as_str()))
        .collect();
    let domain_name: HashMap<&str, &str> = data
        .domains
        .iter()
        .map(|d| (d.code.as_str(), d.name.as_str()))
        .collect();
    let used_by = view.standard_uses();

    let systems = data
        .systems
        .iter()
        .take(MAX_ROWS)
        .map(|s| SystemRow {
            id: s.id.clone(),
            name: s.name.clone(),
            category: s.category.clone(),
            origin: nation_name
                .get(s.origin.as_str())
                .map_or_else(|| s.origin.clone(), |n| n.to_string()),
            producer: s
                .producer
                .as_deref()
                .map(|p| org_name.get(p).copied().unwrap_or(p).to_string())
                .unwrap_or_default(),
            operators: s
                .operators
                .iter()
                .map(|o| match o.quantity {
                    Some(q) => format!("{} ({q})", o.nation),
                    None => o.nation.clone(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            illustrative: s.illustrative,
            source: s
                .sources
                .first()
                .map(|src| (src.title.clone(), src.url.clone())),
            marking: s.label.as_ref().map(marking),
        })
        .collect();
    let standards = data
        .standards
        .iter()
        .zip(used_by)
        .take(MAX_ROWS)
        .map(|(s, &used_by)| StandardRow {
            id: s.id.clone(),
            title: s.title.clone(),
            body: s.body.clone(),
            domain: domain_name
                .get(s.domain.as_str())
                .map_or_else(|| s.domain.clone(), |n| n.to_string()),
            used_by,
            illustrative: s.illustrative,
            marking: s.label.as_ref().map(marking),
        })
        .collect();

    let page = Index {
        lang: lang.code(),
        t: text(lang),
        nations: data.nations.len(),
        organizations: data.organizations.len(),
        conformances: data.conformances.len(),
        transfers: data.transfers.len(),
        systems_total: data.systems.len(),
        standards_total: data.standards.len(),
        systems,
        standards,
        // The counts cover every record of the view: the banner covers them all.
        banner: {
            let mut b = Banner::default();
            b.add_dataset(data, &Policies::new(&data.policies));
            b.text()
        },
    };
    Ok(page.render()?)
}

struct TransferRow {
    id: String,
    supplier: String,
    recipient: String,
    designation: String,
    description: String,
    category: String,
    ordered: String,
    years: String,
    items: String,
    tiv: String,
    sipri: String,
    marking: Option<String>,
}

#[derive(Template)]
#[template(path = "transfers.html")]
struct Transfers {
    lang: &'static str,
    t: &'static Text,
    q_supplier: String,
    q_recipient: String,
    q_category: String,
    q_from: String,
    q_to: String,
    error: Option<String>,
    total: usize,
    tiv_total: String,
    rows: Vec<TransferRow>,
    source: Option<(String, Option<String>)>,
    banner: Option<String>,
}

#[derive(Deserialize)]
pub struct TransfersPageQuery {
    lang: Option<String>,
    #[serde(flatten)]
    filter: TransferQuery,
}

/// One decimal, grouped thousands: `12,345.6`.
fn tiv_text(x: f64) -> String {
    let s = format!("{x:.1}");
    let (int, frac) = s.split_once('.').unwrap_or((&s, "0"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 && c != '-' {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{frac}")
}

/// `/transfers`: arms transfers, filtered, with the TIV delivered (in the filter's years).
pub async fn transfers(
    State(state): State<AppState>,
    who: Who,
    Query(q): Query<TransfersPageQuery>,
    headers: HeaderMap,
) -> Result<Html<String>, WebError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let show = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut page = Transfers {
        lang: lang.code(),
        t: text(lang),
        q_supplier: show(&q.filter.supplier),
        q_recipient: show(&q.filter.recipient),
        q_category: show(&q.filter.category),
        q_from: show(&q.filter.from),
        q_to: show(&q.filter.to),
        error: None,
        total: 0,
        tiv_total: tiv_text(0.0),
        rows: vec![],
        source: None,
        banner: None,
    };
    let filter = match q.filter.validate() {
        Ok(f) => f,
        Err(e) => {
            page.error = Some(crate::error_text::translate(lang, &e.to_string()));
            return Ok(Html(page.render()?));
        }
    };
    let view = state.app.view(&who.actor, Parts::Transfers).await?;
    let data = view.data();
    let name: HashMap<&str, &str> = data
        .nations
        .iter()
        .map(|n| {
            (
                n.code.as_str(),
                nation_name(lang.render(), &n.code, &n.name),
            )
        })
        .collect();
    let party = |p: &str| name.get(p).map_or_else(|| p.to_string(), |n| n.to_string());
    let in_years = |y: u16| filter.from.is_none_or(|f| y >= f) && filter.to.is_none_or(|t| y <= t);
    let mut total_tiv = 0.0;
    let mut rows = Vec::new();
    let mut total = 0;
    let policies = Policies::new(&data.policies);
    let mut banner = Banner::default();
    for tr in data.transfers.iter().filter(|t| filter.matches(t)) {
        total += 1;
        // Every match is counted in the total and the TIV: the banner covers them all.
        banner.add(tr.label.as_ref(), &policies);
        let delivered: Vec<_> = tr.deliveries.iter().filter(|d| in_years(d.year)).collect();
        // Totals not split by year (SIPRI's older layout) count when all their years are in.
        let (tiv, items): (f64, Option<u32>) = match tr.delivered_in(filter.from, filter.to) {
            DeliveredIn::Years(ds) => (
                ds.iter().filter_map(|d| d.tiv).map(|t| t.0).sum(),
                ds.iter()
                    .any(|d| d.number.is_some())
                    .then(|| ds.iter().filter_map(|d| d.number).sum()),
            ),
            DeliveredIn::Whole { tiv, items } => (tiv.map_or(0.0, |t| t.0), items),
            DeliveredIn::Straddling => (0.0, None),
        };
        total_tiv += tiv;
        if total <= filter.offset || rows.len() >= filter.limit {
            continue;
        }
        if page.source.is_none() {
            page.source = tr.sources.first().map(|s| (s.title.clone(), s.url.clone()));
        }
        let est = |b: bool| if b { "?" } else { "" };
        rows.push(TransferRow {
            id: tr.id.clone(),
            supplier: party(&tr.supplier),
            recipient: party(&tr.recipient),
            designation: tr.designation.clone(),
            description: tr.description.clone().unwrap_or_default(),
            category: tr.category.clone(),
            ordered: tr
                .ordered
                .map(|y| format!("{y}{}", est(tr.ordered_estimated)))
                .unwrap_or_default(),
            years: delivered
                .iter()
                .map(|d| format!("{}{}", d.year, est(d.year_estimated)))
                .collect::<Vec<_>>()
                .join(", "),
            items: items.map(|n| n.to_string()).unwrap_or_default(),
            tiv: tiv_text(tiv),
            sipri: tr.sipri_id.map(|n| n.to_string()).unwrap_or_default(),
            marking: tr.label.as_ref().map(marking),
        });
    }
    page.total = total;
    page.banner = banner.text();
    page.tiv_total = tiv_text(total_tiv);
    page.rows = rows;
    Ok(Html(page.render()?))
}
