//! The registry's pages: for every kind a list (`/{plural}`: filters, sorting, pages) and a
//! page per record (`/{plural}/{key}`: every field, references as links, the records that
//! refer to it), and the forms that create, edit and delete records (`forms.rs`) for the roles
//! allowed to. Everything is read through the reader's view, like the API.

pub mod dashboard;
pub mod fields;
pub mod forms;
pub mod show;
pub mod words;

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use defcoop_app::registry::{list_in, list_spec, row_key};
use defcoop_app::AppError;
use defcoop_domain::account::Permission;
use defcoop_domain::marking::Banner;
use defcoop_domain::model::Kind;
use defcoop_store::Parts;
use serde_json::Value;

use crate::auth::{Via, Who};
use crate::i18n::{text, Lang, Text};
use crate::{links, AppState, WebError};
use fields::{field_label, kind_label};
use show::{cells, is_nested, safe_url, sub_table, Cell, Lookup, SubTable};
use words::{words, Words};

/// The registry's page routes, for every kind. `/transfers` itself is the transfers page
/// (`pages.rs`, with year ranges and TIV), so only its creation is routed here.
pub fn routes(mut router: Router<AppState>) -> Router<AppState> {
    for kind in Kind::ALL {
        let base = links::list(kind);
        let key = match kind {
            Kind::Conformance => "{system}/{standard}",
            _ => "{key}",
        };
        if kind != Kind::Transfer {
            router = router.route(&base, get(list_page).post(forms::create));
        }
        router = router
            .route(&format!("{base}/new"), get(forms::new_form))
            .route(&format!("{base}/{key}"), get(record_page))
            .route(
                &format!("{base}/{key}/edit"),
                get(forms::edit_form).post(forms::update),
            )
            .route(&format!("{base}/{key}/delete"), post(forms::delete));
    }
    router
}

/// The kind a page's path names (its first segment).
pub fn kind_in(uri: &Uri) -> Result<Kind, AppError> {
    let first = uri.path().trim_start_matches('/').split('/').next();
    first
        .and_then(Kind::from_array)
        .ok_or_else(|| AppError::NotFound(format!("page {}", uri.path())))
}

/// The record key of a path's parameters (`system/standard` for a conformance).
pub fn key_of(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join("/")
}

/// The language, and the query's pairs, of a page request.
pub fn lang_and_pairs(uri: &Uri, headers: &HeaderMap) -> (Lang, Vec<(String, String)>) {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default();
    let lang = pairs
        .iter()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.as_str());
    (Lang::pick(lang, headers), pairs)
}

/// Whether the actor may write records of `kind` (the body's meetings, minutes and decisions
/// need the secretariat's role, policies too).
pub fn may_write(who: &Who, kind: Kind) -> bool {
    who.actor.may(Permission::to_write(kind))
}

/// The CSRF token a session's forms carry (empty for other callers, who need none).
pub fn csrf_of(who: &Who) -> String {
    match &who.via {
        Via::Session { csrf } => csrf.clone(),
        _ => String::new(),
    }
}

/// An HTML answer.
pub fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// A record's title: its name, title or designation, else its key.
pub fn title_of(row: &Value, kind: Kind) -> String {
    ["name", "title", "designation"]
        .iter()
        .find_map(|f| row.get(*f).and_then(Value::as_str))
        .map(str::to_string)
        .unwrap_or_else(|| row_key(kind, row))
}

pub struct Column {
    pub label: String,
    pub href: String,
    /// `ascending` / `descending` when the list is sorted by it (for `aria-sort`).
    pub sorted: Option<&'static str>,
}

pub struct Row {
    pub cells: Vec<Vec<Cell>>,
    pub marking: Option<String>,
    pub illustrative: bool,
}

pub struct FilterInput {
    pub name: String,
    pub label: String,
    pub value: String,
}

pub struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "records.html")]
struct ListTemplate {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    title: String,
    plural: &'static str,
    columns: Vec<Column>,
    rows: Vec<Row>,
    total: usize,
    first: usize,
    last: usize,
    q: String,
    q_label: String,
    bloc_label: String,
    on_label: String,
    filters: Vec<FilterInput>,
    bloc: Option<(String, String)>,
    per_page: usize,
    pages: Vec<PageLink>,
    previous: Option<String>,
    next: Option<String>,
    may_write: bool,
    error: Option<String>,
    notice: Option<String>,
}

/// The query string of `pairs` with `name` set to `value` (or removed with `None`), and the
/// page back to 1 unless it is the page that changes.
fn with(pairs: &[(String, String)], name: &str, value: Option<&str>) -> String {
    let mut out: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != name && k != "deleted" && (name == "page" || k != "page"))
        .cloned()
        .collect();
    if let Some(v) = value {
        out.push((name.to_string(), v.to_string()));
    }
    let query = serde_urlencoded::to_string(&out).unwrap_or_default();
    if query.is_empty() {
        "?".into()
    } else {
        format!("?{query}")
    }
}

/// `GET /{plural}`: a page of a kind's records.
pub async fn list_page(
    State(state): State<AppState>,
    who: Who,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let kind = kind_in(&uri)?;
    let (lang, pairs) = lang_and_pairs(&uri, &headers);
    let w = words(lang);
    let notice = pairs
        .iter()
        .find(|(k, _)| k == "deleted")
        .map(|(_, v)| format!("{}: {}", w.deleted, crate::error::cut(v)));
    let list_pairs: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, v)| k != "lang" && k != "deleted" && !v.trim().is_empty())
        .cloned()
        .collect();
    let view = state.app.view(&who.actor, Parts::holding(kind)).await?;
    let spec = list_spec(kind);
    let asked =
        defcoop_app::registry::ListQuery::from_pairs(&list_pairs).map_err(|e| e.to_string());
    let (page, error) = match asked.and_then(|q| {
        list_in(&view, kind, &q)
            .map(|p| (p, q))
            .map_err(|e| e.to_string())
    }) {
        Ok((p, q)) => (Some((p, q)), None),
        Err(e) => (None, Some(e)),
    };
    let look = Lookup::new(view.data(), lang);
    let mut banner = Banner::default();
    let columns_of = spec.sorts;
    let sort_now = pairs
        .iter()
        .find(|(k, _)| k == "sort")
        .map(|(_, v)| v.clone());
    let columns = columns_of
        .iter()
        .map(|c| {
            let (sorted, next) = match sort_now.as_deref() {
                Some(s) if s == *c => (Some("ascending"), format!("-{c}")),
                Some(s) if s.strip_prefix('-') == Some(c) => (Some("descending"), c.to_string()),
                None if *c == defcoop_app::registry::key_fields(kind)[0] => {
                    (Some("ascending"), format!("-{c}"))
                }
                _ => (None, c.to_string()),
            };
            Column {
                label: field_label(lang, c),
                href: with(&pairs, "sort", Some(&next)),
                sorted,
            }
        })
        .collect();
    let (rows, total, first, last, per_page, page_no) = match &page {
        Some((p, q)) => {
            let rows: Vec<Row> = p
                .items
                .iter()
                .map(|item| {
                    let label = item
                        .get("label")
                        .and_then(|l| serde_json::from_value(l.clone()).ok());
                    banner.add(label.as_ref(), &look.policies);
                    let mut cs: Vec<Vec<Cell>> = columns_of
                        .iter()
                        .map(|c| cells(lang, &look, kind, item, c, &mut banner))
                        .collect();
                    let href = links::record(kind, &row_key(kind, item));
                    // The first column names the record: it links to its page.
                    if let Some(first) = cs.first_mut() {
                        match first.first_mut() {
                            Some(cell) if cell.href.is_none() => cell.href = Some(href.clone()),
                            Some(_) => {}
                            None => first.push(Cell {
                                text: row_key(kind, item),
                                href: Some(href.clone()),
                                note: None,
                            }),
                        }
                    }
                    Row {
                        cells: cs,
                        marking: look.marking(label.as_ref()),
                        illustrative: item
                            .get("illustrative")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    }
                })
                .collect();
            let first = if p.total == 0 {
                0
            } else {
                (p.page - 1) * p.per_page + 1
            };
            let last = (first + rows.len()).saturating_sub(1).max(first);
            (rows, p.total, first, last, q.per_page, p.page)
        }
        None => (Vec::new(), 0, 0, 0, defcoop_app::registry::PER_PAGE, 1),
    };
    // Counted records are covered by the banner too: every match, not only this page.
    if let Some((p, _)) = &page {
        for l in &p.labels {
            let label = serde_json::from_value(l.clone()).ok();
            banner.add(label.as_ref(), &look.policies);
        }
    }
    let pages_total = total.div_ceil(per_page.max(1)).max(1);
    let pages = page_numbers(page_no, pages_total)
        .into_iter()
        .map(|n| PageLink {
            number: n,
            href: with(&pairs, "page", Some(&n.to_string())),
            current: n == page_no,
        })
        .collect();
    let value_of = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = ListTemplate {
        lang: lang.code(),
        t: text(lang),
        w,
        banner: banner.text(),
        title: kind_label(lang, kind, true).to_string(),
        plural: kind.array(),
        columns,
        rows,
        total,
        first,
        last,
        q: value_of("q"),
        q_label: field_label(lang, "q"),
        bloc_label: field_label(lang, "bloc"),
        on_label: field_label(lang, "on"),
        filters: spec
            .filters
            .iter()
            .map(|f| FilterInput {
                name: f.to_string(),
                label: field_label(lang, f),
                value: value_of(f),
            })
            .collect(),
        bloc: spec.bloc_field.map(|_| (value_of("bloc"), value_of("on"))),
        per_page,
        pages,
        previous: (page_no > 1).then(|| with(&pairs, "page", Some(&(page_no - 1).to_string()))),
        next: (page_no < pages_total)
            .then(|| with(&pairs, "page", Some(&(page_no + 1).to_string()))),
        may_write: may_write(&who, kind),
        error,
        notice,
    };
    Ok(html(status, page.render()?))
}

/// The workspace's page of a workspace record: a meeting's, minutes', proposal's own; a
/// decision's meeting; an action item's owner's list; an engagement's first participant's
/// timeline;
/// a body's hub.
fn workspace_page(data: &defcoop_domain::model::Dataset, kind: Kind, key: &str) -> Option<String> {
    let seg = links::segment(key);
    Some(match kind {
        Kind::Body => "/workspace".to_string(),
        Kind::Meeting => format!("/workspace/meetings/{seg}"),
        Kind::Minutes => format!("/workspace/minutes/{seg}"),
        Kind::Proposal => format!("/workspace/proposals/{seg}"),
        Kind::Decision => {
            let d = data.decisions.iter().find(|d| d.id == key)?;
            format!("/workspace/meetings/{}", links::segment(&d.meeting))
        }
        Kind::ActionItem => {
            let a = data.action_items.iter().find(|a| a.id == key)?;
            let owner = a.owner.person.as_ref().or(a.owner.organization.as_ref())?;
            format!("/workspace/actions?owner={}", links::query_value(owner))
        }
        Kind::Engagement => {
            let e = data.engagements.iter().find(|e| e.id == key)?;
            let first = e.participants.first()?;
            format!("/workspace/timeline?person={}", links::query_value(first))
        }
        _ => return None,
    })
}

/// The page numbers a pager shows: the first, the last, and two either side of the current.
fn page_numbers(current: usize, total: usize) -> Vec<usize> {
    let mut out: Vec<usize> = (1..=total)
        .filter(|n| *n == 1 || *n == total || n.abs_diff(current) <= 2)
        .collect();
    out.dedup();
    out
}

pub struct FieldRow {
    pub label: String,
    pub cells: Vec<Cell>,
}

pub struct Source {
    pub title: String,
    pub url: Option<String>,
}

pub struct RefGroup {
    pub label: String,
    pub items: Vec<(Cell, String)>,
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordTemplate {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    kind_title: &'static str,
    list_title: &'static str,
    list_href: String,
    title: String,
    key: String,
    marking: Option<String>,
    illustrative: bool,
    fields: Vec<FieldRow>,
    tables: Vec<SubTable>,
    sources: Vec<Source>,
    referers: Vec<RefGroup>,
    actions: Vec<Cell>,
    may_write: bool,
    edit_href: String,
    delete_action: String,
    csrf: String,
    error: Option<String>,
}

/// `GET /{plural}/{key}`: one record.
pub async fn record_page(
    State(state): State<AppState>,
    who: Who,
    uri: Uri,
    headers: HeaderMap,
    crate::error::Path(params): crate::error::Path<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let kind = kind_in(&uri)?;
    let key = key_of(&params);
    let (lang, _) = lang_and_pairs(&uri, &headers);
    let page = record_template(&state, &who, kind, &key, lang, None).await?;
    Ok(html(StatusCode::OK, page))
}

/// The record page, with `error` shown at its top (a refused delete).
pub async fn record_template(
    state: &AppState,
    who: &Who,
    kind: Kind,
    key: &str,
    lang: Lang,
    error: Option<String>,
) -> Result<String, WebError> {
    let w = words(lang);
    let view = state.app.view(&who.actor, Parts::All).await?;
    let row = defcoop_app::registry::rows_of(&view, kind, key).ok_or_else(|| {
        AppError::NotFound(format!("{} \"{}\"", kind.noun(), crate::error::cut(key)))
    })?;
    let look = Lookup::new(view.data(), lang);
    let mut banner = Banner::default();
    let label = row
        .get("label")
        .and_then(|l| serde_json::from_value(l.clone()).ok());
    banner.add(label.as_ref(), &look.policies);
    let mut fields = Vec::new();
    let mut tables = Vec::new();
    let mut sources = Vec::new();
    if let Value::Object(o) = &row {
        // In the order the form shows the fields (the key first), then any others.
        let order = fields::form_fields(kind);
        let rank = |name: &str| {
            order
                .iter()
                .position(|(n, _)| *n == name)
                .unwrap_or(usize::MAX)
        };
        let mut named: Vec<(&String, &Value)> = o.iter().collect();
        named.sort_by_key(|(name, _)| rank(name));
        for (name, v) in named {
            match name.as_str() {
                "label" | "illustrative" => {}
                "sources" => {
                    for s in v.as_array().into_iter().flatten() {
                        sources.push(Source {
                            title: s.get("title").and_then(Value::as_str).unwrap_or("").into(),
                            url: s.get("url").and_then(Value::as_str).and_then(safe_url),
                        });
                    }
                }
                _ if is_nested(v) => {
                    let items = v.as_array().map(Vec::as_slice).unwrap_or(&[]);
                    tables.push(sub_table(lang, &look, kind, name, items, &mut banner));
                }
                _ => {
                    let cs = cells(lang, &look, kind, &row, name, &mut banner);
                    if !cs.is_empty() {
                        fields.push(FieldRow {
                            label: field_label(lang, name),
                            cells: cs,
                        });
                    }
                }
            }
        }
    }
    let mut referers: Vec<RefGroup> = Vec::new();
    for r in defcoop_domain::refs::referers(view.data(), kind, key) {
        let cell = look.link(r.kind, &r.key, &mut banner);
        let group = kind_label(lang, r.kind, true).to_string();
        let how = field_label(lang, &r.field);
        match referers.iter_mut().find(|g| g.label == group) {
            Some(g) => g.items.push((cell, how)),
            None => referers.push(RefGroup {
                label: group,
                items: vec![(cell, how)],
            }),
        }
    }
    let mut actions = Vec::new();
    if kind == Kind::System {
        actions.push(Cell {
            text: w.compare.into(),
            href: Some(format!("/interop/pair?a={}", links::query_value(key))),
            note: None,
        });
    }
    if kind == Kind::Nation {
        actions.push(Cell {
            text: w.matrix.into(),
            href: Some(format!(
                "/interop/matrix?left=operator:{}&right=operator:NATO",
                links::query_value(key)
            )),
            note: None,
        });
    }
    if let Some(href) = workspace_page(view.data(), kind, key) {
        actions.push(Cell {
            text: w.open_workspace.into(),
            href: Some(href),
            note: None,
        });
    }
    let page = RecordTemplate {
        lang: lang.code(),
        t: text(lang),
        w,
        banner: banner.text(),
        kind_title: kind_label(lang, kind, false),
        list_title: kind_label(lang, kind, true),
        list_href: links::list(kind),
        title: title_of(&row, kind),
        key: key.to_string(),
        marking: look.marking(label.as_ref()),
        illustrative: row
            .get("illustrative")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        fields,
        tables,
        sources,
        referers,
        actions,
        may_write: may_write(who, kind),
        edit_href: format!("{}/edit", links::record(kind, key)),
        delete_action: format!("{}/delete", links::record(kind, key)),
        csrf: csrf_of(who),
        error,
    };
    Ok(page.render()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagers_show_the_ends_and_the_neighbourhood() {
        assert_eq!(page_numbers(1, 1), vec![1]);
        assert_eq!(page_numbers(5, 20), vec![1, 3, 4, 5, 6, 7, 20]);
        assert_eq!(page_numbers(1, 3), vec![1, 2, 3]);
    }

    #[test]
    fn links_keep_filters_and_reset_the_page() {
        let pairs = vec![
            ("origin".to_string(), "KOR".to_string()),
            ("page".to_string(), "3".to_string()),
        ];
        assert_eq!(with(&pairs, "sort", Some("name")), "?origin=KOR&sort=name");
        assert_eq!(with(&pairs, "page", Some("4")), "?origin=KOR&page=4");
    }
}
