//! Search across every record the actor may see: one box, results grouped by kind, and
//! suggestions while typing.
//!
//! **No inference through search.** The index is built per [`View`](crate::View) — the
//! records of one effective clearance — on first search, in RAM, off the async runtime, and
//! kept with the view. Nothing else is indexed: ranking statistics (BM25's document counts and
//! frequencies) come from visible records only, so a hidden record changes no visible hit's
//! score, order or count. Every matching record is counted (per kind) and the answer's banner
//! covers the labels of all of them, shown or only counted.
//!
//! The user's text is never handed to tantivy's query parser: it is cut into pieces by the
//! same tokenizer as the records ([`tokenize`]), and every piece must match (in the name, an
//! id, code or alias, or the rest). A text of only punctuation is an empty answer.

mod describe;
mod index;
pub mod tokenize;
mod workspace;

use std::collections::BTreeMap;

use defcoop_domain::marking::{marking, Banner};
use defcoop_domain::model::Kind;
use defcoop_domain::Policies;
use defcoop_store::Parts;
use serde::{Deserialize, Serialize};

pub use describe::segment;
pub use index::{IndexStats, SearchIndex};

use crate::{compute, Actor, App, AppError, Result};
use index::Entry;
use tokenize::Piece;

/// Characters a query may have at most.
pub const MAX_QUERY_CHARS: usize = 200;
/// Terms (words, and bigrams of Korean and other CJK text) a query may have at most.
pub const MAX_TERMS: usize = 32;
/// Hits per kind when every kind is shown.
pub const GROUP_HITS: usize = 5;
/// Hits per page when one kind is shown, by default, and at most.
pub const PAGE_HITS: usize = 20;
pub const MAX_PAGE_HITS: usize = 50;
/// The last page one may ask for.
pub const MAX_PAGE: usize = 1000;
/// Suggestions by default, and at most.
pub const SUGGESTIONS: usize = 8;
pub const MAX_SUGGESTIONS: usize = 20;

/// How to show the answer, as it arrives (from a query string): every field optional, checked
/// by [`App::search`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchOptions {
    /// One kind only (`systems`, or `system`); empty or absent: every kind.
    pub kind: Option<String>,
    /// The page of that kind, from 1.
    pub page: Option<String>,
    /// Hits per kind (every kind: default 5; one kind: default 20; at most 50).
    pub limit: Option<String>,
}

/// The answer: per kind, how many records match and the best of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchAnswer {
    /// The query as asked (trimmed).
    pub query: String,
    /// The kind asked for, if one was (its plural: `systems`).
    pub kind: Option<&'static str>,
    /// Matching records of every kind shown.
    pub total: usize,
    /// One group per kind with a match, the group with the best hit first.
    pub groups: Vec<SearchGroup>,
    /// The marking covering every matching record (shown or only counted); `None` when none
    /// is labelled.
    pub banner: Option<String>,
}

/// The hits of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchGroup {
    /// The kind's plural (`systems`), as in `/systems`.
    pub kind: &'static str,
    /// Matching records of this kind.
    pub total: usize,
    /// This page (from 1) and hits per page.
    pub page: usize,
    pub limit: usize,
    /// The page's hits, best first.
    pub hits: Vec<SearchHit>,
}

/// One matching record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// The kind's plural (`systems`).
    pub kind: &'static str,
    /// The record's key: a code (nations, blocs, domains), `system/standard` (conformances),
    /// the id otherwise.
    pub key: String,
    pub title: String,
    pub subtitle: String,
    /// The record's page: `/systems/k9`, `/conformances/k9/STANAG-4425` (percent-encoded).
    pub url: String,
    /// The record's own marking, when it is labelled.
    pub marking: Option<String>,
    /// Relevance (higher first); comparable within one answer only.
    pub score: f32,
}

/// Records whose name, id or alias starts like what is being typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestions {
    pub query: String,
    pub suggestions: Vec<SearchHit>,
}

/// The query trimmed, checked and cut into pieces.
fn read_query(q: &str) -> Result<(String, Vec<Piece>)> {
    let q = q.trim();
    let n = q.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(AppError::BadRequest(format!(
            "q: the query has {n} characters; at most {MAX_QUERY_CHARS}"
        )));
    }
    let pieces = tokenize::pieces(q, MAX_TERMS + 1);
    let terms: usize = pieces.iter().map(Piece::weight).sum();
    if terms > MAX_TERMS {
        return Err(AppError::BadRequest(format!(
            "q: the query has more than {MAX_TERMS} words (Korean and Chinese text counts \
             every pair of characters); ask with fewer"
        )));
    }
    Ok((q.to_string(), pieces))
}

/// A whole number in `1..=max` from an optional parameter; absent or empty: `default`.
fn number(name: &str, v: Option<&str>, default: usize, max: usize) -> Result<usize> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(AppError::BadRequest(format!(
                "{name}: {:?} is not a whole number from 1 to {max}",
                crate::render::cut(v, 40)
            ))),
        },
    }
}

/// A kind by its plural or singular name.
pub fn parse_kind(name: &str) -> Result<Kind> {
    Kind::ALL
        .into_iter()
        .find(|k| k.array() == name || k.noun() == name)
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "kind: {:?} is not a kind of record; one of {}",
                crate::render::cut(name, 40),
                Kind::ALL.map(|k| k.array()).join(", ")
            ))
        })
}

struct Checked {
    kind: Option<Kind>,
    page: usize,
    limit: usize,
}

fn check_options(o: &SearchOptions) -> Result<Checked> {
    let kind = match o.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) => Some(parse_kind(k)?),
    };
    let page = number("page", o.page.as_deref(), 1, MAX_PAGE)?;
    if page > 1 && kind.is_none() {
        return Err(AppError::BadRequest(
            "page: pages are per kind; give kind as well".into(),
        ));
    }
    let default = if kind.is_some() {
        PAGE_HITS
    } else {
        GROUP_HITS
    };
    let limit = number("limit", o.limit.as_deref(), default, MAX_PAGE_HITS)?;
    Ok(Checked { kind, page, limit })
}

fn hit(data: &defcoop_domain::Dataset, entry: Entry, score: f32) -> Option<SearchHit> {
    let d = describe::describe(data, entry)?;
    Some(SearchHit {
        kind: entry.kind.array(),
        key: d.key,
        title: d.title,
        subtitle: d.subtitle,
        url: d.url,
        marking: d.label.map(marking),
        score,
    })
}

impl App {
    /// Searches every record `actor` may see for `q`; see the module docs.
    pub async fn search(
        &self,
        actor: &Actor,
        q: &str,
        options: &SearchOptions,
    ) -> Result<SearchAnswer> {
        let (query, pieces) = read_query(q)?;
        let checked = check_options(options)?;
        let mut answer = SearchAnswer {
            query,
            kind: checked.kind.map(Kind::array),
            total: 0,
            groups: Vec::new(),
            banner: None,
        };
        if pieces.is_empty() {
            return Ok(answer);
        }
        let view = self.view(actor, Parts::All).await?;
        compute(move || {
            let index = view.search_index()?;
            let prepared = index.prepare(&pieces, false);
            let found = index.run(&prepared).map_err(search_failed)?;
            let data = view.data();
            let policies = Policies::new(&data.policies);
            let mut banner = Banner::default();
            // Per kind, the hits best first (`found` is in that order).
            let mut by_kind: BTreeMap<Kind, Vec<(Entry, f32)>> = BTreeMap::new();
            for (ord, score) in found {
                let Some(entry) = index.entry(ord) else {
                    continue;
                };
                if checked.kind.is_some_and(|k| k != entry.kind) {
                    continue;
                }
                if let Some(d) = describe::describe(data, entry) {
                    banner.add(d.label, &policies);
                }
                by_kind.entry(entry.kind).or_default().push((entry, score));
            }
            let mut groups: Vec<(f32, SearchGroup)> = by_kind
                .into_iter()
                .map(|(kind, hits)| {
                    let best = hits.first().map_or(0.0, |h| h.1);
                    let skip = (checked.page - 1).saturating_mul(checked.limit);
                    let group = SearchGroup {
                        kind: kind.array(),
                        total: hits.len(),
                        page: checked.page,
                        limit: checked.limit,
                        hits: hits
                            .iter()
                            .skip(skip)
                            .take(checked.limit)
                            .filter_map(|&(e, s)| hit(data, e, s))
                            .collect(),
                    };
                    (best, group)
                })
                .collect();
            // Stable: equal best scores keep the kinds' order.
            groups.sort_by(|a, b| b.0.total_cmp(&a.0));
            answer.total = groups.iter().map(|g| g.1.total).sum();
            answer.groups = groups.into_iter().map(|g| g.1).collect();
            answer.banner = banner.text();
            Ok(answer)
        })
        .await
    }

    /// Up to `limit` (default 8, at most 20) records whose name, id, code or alias matches
    /// what is being typed: the last word as a prefix, the others whole. Conformances and
    /// transfers are not suggested (the search page finds them).
    pub async fn suggest(
        &self,
        actor: &Actor,
        prefix: &str,
        limit: Option<&str>,
    ) -> Result<Suggestions> {
        let typing = !prefix.ends_with(|c: char| c.is_whitespace());
        let (query, pieces) = read_query(prefix)?;
        let limit = number("limit", limit, SUGGESTIONS, MAX_SUGGESTIONS)?;
        if pieces.is_empty() {
            return Ok(Suggestions {
                query,
                suggestions: Vec::new(),
            });
        }
        let view = self.view(actor, Parts::All).await?;
        compute(move || {
            let index = view.search_index()?;
            let prepared = index.prepare(&pieces, typing);
            let found = index.run(&prepared).map_err(search_failed)?;
            let data = view.data();
            let suggestions = found
                .into_iter()
                .filter_map(|(ord, score)| {
                    let entry = index.entry(ord)?;
                    // Named records only: a conformance repeats its system's name, and
                    // transfers repeat designations by the dozen.
                    if matches!(entry.kind, Kind::Conformance | Kind::Transfer) {
                        return None;
                    }
                    hit(data, entry, score)
                })
                .take(limit)
                .collect();
            Ok(Suggestions { query, suggestions })
        })
        .await
    }
}

fn search_failed(e: tantivy::TantivyError) -> AppError {
    AppError::Internal(format!("search: {e}"))
}
