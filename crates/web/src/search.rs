//! Search over HTTP: the page (`/search?q=`), the JSON answer (`/api/v1/search?q=`), the
//! suggestions while typing (`/api/v1/search/suggest?q=`) and the script that shows them in
//! the header's search box (`/static/search.js`). The use case is the app's
//! ([`defcoop_app::App::search`]): it searches only what the reader may see.

mod words;

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use defcoop_app::{AppError, SearchAnswer, SearchOptions, Suggestions};
use defcoop_domain::model::Kind;
use serde::Deserialize;

use crate::auth::Who;
use crate::error::{ApiError, Query};
use crate::i18n::{text, Lang, Text};
use crate::{AppState, WebError};
use words::{kind_name, words, Words};

/// The suggestions script, served from the binary.
const SCRIPT: &str = include_str!("../static/search.js");

#[derive(Deserialize)]
pub struct PageQuery {
    q: Option<String>,
    lang: Option<String>,
    #[serde(flatten)]
    options: SearchOptions,
}

struct HitRow {
    title: String,
    subtitle: String,
    url: String,
    marking: Option<String>,
}

struct GroupRow {
    id: &'static str,
    name: &'static str,
    total: usize,
    hits: Vec<HitRow>,
    /// Where the rest of this kind is, when not all is shown.
    more: Option<String>,
}

struct KindOption {
    value: &'static str,
    name: &'static str,
    selected: bool,
}

struct Pager {
    page: usize,
    pages: usize,
    previous: Option<String>,
    next: Option<String>,
    every_kind: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct Page {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    /// Whether the page was asked in Korean by the query (its links and form keep it).
    ko_query: bool,
    q: String,
    kinds: Vec<KindOption>,
    error: Option<String>,
    searched: bool,
    total: usize,
    groups: Vec<GroupRow>,
    pager: Option<Pager>,
    banner: Option<String>,
}

/// `/search?q=..&kind=..&page=..`, with `&lang=ko` when the page was asked so.
fn search_url(q: &str, kind: Option<&str>, page: Option<usize>, ko: bool) -> String {
    let page = page.map(|p| p.to_string());
    let mut pairs: Vec<(&str, &str)> = vec![("q", q)];
    if let Some(k) = kind {
        pairs.push(("kind", k));
    }
    if let Some(p) = &page {
        pairs.push(("page", p));
    }
    if ko {
        pairs.push(("lang", "ko"));
    }
    format!(
        "/search?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

fn rows(answer: &SearchAnswer, lang: Lang, ko: bool) -> Vec<GroupRow> {
    let record = |url: &str| {
        if ko {
            format!("{url}?lang=ko")
        } else {
            url.to_string()
        }
    };
    answer
        .groups
        .iter()
        .filter_map(|g| {
            let kind = Kind::from_array(g.kind)?;
            let shown = g.hits.len();
            Some(GroupRow {
                id: g.kind,
                name: kind_name(kind, lang),
                total: g.total,
                hits: g
                    .hits
                    .iter()
                    .map(|h| HitRow {
                        title: h.title.clone(),
                        subtitle: h.subtitle.clone(),
                        url: record(&h.url),
                        marking: h.marking.clone(),
                    })
                    .collect(),
                more: (answer.kind.is_none() && shown < g.total)
                    .then(|| search_url(&answer.query, Some(g.kind), None, ko)),
            })
        })
        .collect()
}

/// `GET /search`: the results page, grouped by kind (or one kind, page by page).
pub async fn page(
    State(state): State<AppState>,
    who: Who,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let ko = q.lang.as_deref() == Some("ko");
    let text_q = q.q.clone().unwrap_or_default();
    let asked_kind = q.options.kind.as_deref().map(str::trim).unwrap_or("");
    let mut page = Page {
        lang: lang.code(),
        t: text(lang),
        w: words(lang),
        ko_query: ko,
        q: text_q.trim().to_string(),
        kinds: Kind::ALL
            .into_iter()
            .map(|k| KindOption {
                value: k.array(),
                name: kind_name(k, lang),
                selected: asked_kind == k.array() || asked_kind == k.noun(),
            })
            .collect(),
        error: None,
        searched: false,
        total: 0,
        groups: Vec::new(),
        pager: None,
        banner: None,
    };
    let answer = match state.app.search(&who.actor, &text_q, &q.options).await {
        Ok(a) => a,
        Err(AppError::BadRequest(m)) => {
            page.error = Some(m);
            return Ok((StatusCode::BAD_REQUEST, html(page.render()?)).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    page.searched = !answer.query.is_empty();
    page.total = answer.total;
    page.banner = answer.banner.clone();
    page.groups = rows(&answer, lang, ko);
    if let (Some(kind), Some(g)) = (answer.kind, answer.groups.first()) {
        let pages = g
            .total
            .div_ceil(g.limit.max(1))
            .clamp(1, defcoop_app::search::MAX_PAGE);
        let at = |p: usize| search_url(&answer.query, Some(kind), Some(p), ko);
        page.pager = Some(Pager {
            page: g.page,
            pages,
            previous: (g.page > 1).then(|| at(g.page - 1)),
            next: (g.page < pages).then(|| at(g.page + 1)),
            every_kind: search_url(&answer.query, None, None, ko),
        });
    }
    Ok(html(page.render()?).into_response())
}

fn html(body: String) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body)
}

#[derive(Deserialize)]
pub struct ApiQuery {
    q: Option<String>,
    #[serde(flatten)]
    options: SearchOptions,
}

fn required(q: Option<String>) -> Result<String, ApiError> {
    q.ok_or_else(|| ApiError::bad_request("missing parameter \"q\""))
}

/// `GET /api/v1/search`: every record the reader may see matching `q`, grouped by kind.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "search",
    params(
        ("q" = String, Query, example = "K9",
            description = "What to find: words of names (also Korean: 석종건), ids, codes, \
                aliases, designations (`K9`, `k-9` and `K 9` alike). Every word must match. \
                At most 200 characters and 32 terms (a Korean or Chinese word counts its \
                pairs of characters); only punctuation gives an empty answer."),
        ("kind" = Option<crate::openapi::schema::SearchKind>, Query, example = "systems",
            description = "Only this kind (its plural or singular name: `systems`, `system`), \
                a page at a time; absent or empty: every kind, the best hits of each."),
        ("page" = Option<u16>, Query, minimum = 1, maximum = 1000,
            description = "The page of `kind` (from 1; needs `kind`)."),
        ("limit" = Option<u8>, Query, minimum = 1, maximum = 50,
            description = "Hits per kind (default 5 for every kind, 20 for one)."),
    ),
    responses(
        (status = 200, description = "Per kind with a match, how many match and the best of \
            them; the banner covers every match.", body = schema::SearchAnswer),
        (status = 400, description = "A missing or too long `q`, too many terms, an unknown \
            `kind`, or a `page` or `limit` out of range.", body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn api(
    State(state): State<AppState>,
    who: Who,
    Query(q): Query<ApiQuery>,
) -> Result<Json<SearchAnswer>, ApiError> {
    let text = required(q.q)?;
    Ok(Json(state.app.search(&who.actor, &text, &q.options).await?))
}

#[derive(Deserialize)]
pub struct SuggestQuery {
    q: Option<String>,
    limit: Option<String>,
}

/// `GET /api/v1/search/suggest`: records whose name, id, code or alias matches what is being
/// typed (the last word as a prefix).
#[utoipa::path(
    get,
    path = "/api/v1/search/suggest",
    tag = "search",
    params(
        ("q" = String, Query, example = "K9 Thu",
            description = "What has been typed so far (at most 200 characters); its last word \
                matches as a prefix unless it ends with a space."),
        ("limit" = Option<u8>, Query, minimum = 1, maximum = 20,
            description = "Suggestions at most (default 8)."),
    ),
    responses(
        (status = 200, description = "The best matching records, best first.",
            body = schema::Suggestions),
        (status = 400, description = "A missing or too long `q`, too many terms, or a `limit` \
            out of range.", body = crate::openapi::schema::Error),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn suggest(
    State(state): State<AppState>,
    who: Who,
    Query(q): Query<SuggestQuery>,
) -> Result<Json<Suggestions>, ApiError> {
    let text = required(q.q)?;
    Ok(Json(
        state
            .app
            .suggest(&who.actor, &text, q.limit.as_deref())
            .await?,
    ))
}

/// `GET /static/search.js`: suggestions in the header's search box (a combobox).
pub async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        SCRIPT,
    )
}

/// The answers' shapes, for the OpenAPI description (they mirror `defcoop_app::search`).
pub mod schema {
    #![allow(dead_code)]

    use utoipa::ToSchema;

    /// `GET /api/v1/search`.
    #[derive(ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct SearchAnswer {
        /// The query as asked, trimmed.
        pub query: String,
        /// The kind asked for (its plural), or null for every kind.
        #[schema(required = true)]
        pub kind: Option<String>,
        /// Matching records of every kind shown.
        pub total: u64,
        /// One group per kind with a match, the group with the best hit first.
        pub groups: Vec<SearchGroup>,
        /// The marking covering every matching record, shown or only counted; null when none
        /// is labelled.
        #[schema(required = true)]
        pub banner: Option<String>,
    }

    /// The hits of one kind.
    #[derive(ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct SearchGroup {
        /// The kind's plural: `systems`.
        #[schema(example = "systems")]
        pub kind: String,
        /// Matching records of this kind, over all pages.
        pub total: u64,
        #[schema(minimum = 1)]
        pub page: u64,
        #[schema(minimum = 1)]
        pub limit: u64,
        pub hits: Vec<SearchHit>,
    }

    /// One matching record.
    #[derive(ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct SearchHit {
        #[schema(example = "systems")]
        pub kind: String,
        /// The record's key (a code, `system/standard` for a conformance, else the id).
        #[schema(example = "k9")]
        pub key: String,
        #[schema(example = "K9 Thunder")]
        pub title: String,
        pub subtitle: String,
        /// The record's page.
        #[schema(example = "/systems/k9")]
        pub url: String,
        /// The record's own marking, when it is labelled.
        #[schema(required = true)]
        pub marking: Option<String>,
        /// Relevance, higher first; comparable within one answer only.
        pub score: f32,
    }

    /// `GET /api/v1/search/suggest`.
    #[derive(ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Suggestions {
        pub query: String,
        pub suggestions: Vec<SearchHit>,
    }
}
