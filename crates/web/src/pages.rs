//! HTML pages.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Html;
use defcoop_store::Parts;
use serde::Deserialize;

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
}

struct StandardRow {
    id: String,
    title: String,
    body: String,
    domain: String,
    used_by: usize,
    illustrative: bool,
}

#[derive(Template)]
#[template(path = "index.html")]
struct Index {
    lang: &'static str,
    t: &'static Text,
    nations: usize,
    organizations: usize,
    conformances: usize,
    systems_total: usize,
    standards_total: usize,
    systems: Vec<SystemRow>,
    standards: Vec<StandardRow>,
}

/// `/`: what the registry holds, systems and standards first.
pub async fn index(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Html<String>, WebError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let data = state.store.snapshot(&state.reader(), Parts::All).await?;

    let nation_name: HashMap<&str, &str> = data
        .nations
        .iter()
        .map(|n| (n.code.as_str(), n.name.as_str()))
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
    let mut used_by: HashMap<&str, usize> = HashMap::new();
    for c in &data.conformances {
        *used_by.entry(c.standard.as_str()).or_default() += 1;
    }

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
        })
        .collect();
    let standards = data
        .standards
        .iter()
        .take(MAX_ROWS)
        .map(|s| StandardRow {
            id: s.id.clone(),
            title: s.title.clone(),
            body: s.body.clone(),
            domain: domain_name
                .get(s.domain.as_str())
                .map_or_else(|| s.domain.clone(), |n| n.to_string()),
            used_by: used_by.get(s.id.as_str()).copied().unwrap_or(0),
            illustrative: s.illustrative,
        })
        .collect();

    let page = Index {
        lang: lang.code(),
        t: text(lang),
        nations: data.nations.len(),
        organizations: data.organizations.len(),
        conformances: data.conformances.len(),
        systems_total: data.systems.len(),
        standards_total: data.standards.len(),
        systems,
        standards,
    };
    Ok(Html(page.render()?))
}
