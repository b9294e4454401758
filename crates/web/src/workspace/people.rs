//! Who met whom: `/workspace/timeline` (a person's, an organization's or a nation's meetings
//! and engagements, oldest first, each at its own time in its own zone and in UTC) and
//! `/workspace/network` (the network of people who met over a period, drawn as an inline SVG
//! by `defcoop_app::render::network_svg`, with the same data as tables for screen readers).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_app::workspace::Subject;
use defcoop_domain::marking::Banner;
use defcoop_domain::model::Kind;

use super::api::{opt, period, subject};
use super::{ctx_of, html, in_utc, page_link, when, Words};
use crate::api::ApiError;
use crate::auth::Who;
use crate::i18n::Text;
use crate::interop::pairs;
use crate::interop_pages::known;
use crate::registry::show::{Cell, Lookup};
use crate::AppState;

pub struct EntryRow {
    pub what: &'static str,
    pub title: Cell,
    pub when: String,
    pub utc: String,
    pub place: String,
    pub people: Vec<Cell>,
    pub with: Vec<Cell>,
    pub marking: Option<String>,
}

#[derive(Template)]
#[template(path = "ws_timeline.html")]
struct TimelinePage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    person: String,
    organization: String,
    nation: String,
    from: String,
    to: String,
    subject: Option<Cell>,
    entries: Vec<EntryRow>,
    asked: bool,
    error: Option<String>,
}

/// `GET /workspace/timeline?person=P|organization=O|nation=N[&from=DAY][&to=DAY]`: without a
/// subject, the form alone.
pub async fn timeline(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    let w = ctx.w_ws();
    let data = state.app.workspace(&who.actor).await?;
    let look = Lookup::new(&data, ctx.lang);
    let mut banner = Banner::default();
    let value = |name: &str| opt(&q, name).ok().flatten().unwrap_or_default();
    let mut page = TimelinePage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w,
        banner: None,
        person: value("person"),
        organization: value("organization"),
        nation: value("nation"),
        from: value("from"),
        to: value("to"),
        subject: None,
        entries: vec![],
        asked: false,
        error: None,
    };
    let asked = known(&q, &["person", "organization", "nation", "from", "to"])
        .and_then(|()| Ok((subject(&q)?, period(&q)?)));
    let mut status = StatusCode::OK;
    let answer = match asked {
        Err(e) => Err(e),
        Ok((None, _)) => Ok(None),
        Ok((Some(s), (from, to))) => state
            .app
            .timeline(&who.actor, &s, from, to)
            .await
            .map(|e| Some((s, e)))
            .map_err(ApiError::from),
    };
    match answer {
        Err(e) => {
            status = e.status();
            page.error = Some(crate::error_text::translate(ctx.lang, e.message()));
        }
        Ok(None) => {}
        Ok(Some((s, entries))) => {
            page.asked = true;
            page.subject = Some(match &s {
                Subject::Person(p) => look.link(Kind::Person, p, &mut banner),
                Subject::Organization(o) => look.link(Kind::Organization, o, &mut banner),
                Subject::Nation(n) => look.link(Kind::Nation, n, &mut banner),
            });
            for e in &entries {
                let (kind, href) = if e.kind == "meeting" {
                    (Kind::Meeting, page_link(ctx, "meetings", &e.id))
                } else {
                    (
                        Kind::Engagement,
                        ctx.link(&crate::links::record(Kind::Engagement, &e.id), ""),
                    )
                };
                let label = look.find(kind, &e.id).and_then(|(_, l)| l);
                banner.add(label, &look.policies);
                let mut people = |ids: &[String]| -> Vec<Cell> {
                    ids.iter()
                        .map(|p| look.link(Kind::Person, p, &mut banner))
                        .collect()
                };
                let (them, others) = (people(&e.people), people(&e.with));
                page.entries.push(EntryRow {
                    what: if e.kind == "meeting" {
                        w.meeting
                    } else {
                        w.engagement
                    },
                    title: super::cell(e.title.clone(), href),
                    when: when(&e.start, &e.time_zone),
                    utc: if e.start.len() == 10 {
                        w.all_day.to_string()
                    } else {
                        in_utc(&e.start, &e.time_zone).unwrap_or_default()
                    },
                    place: e.place.clone().unwrap_or_default(),
                    people: them,
                    with: others,
                    marking: look.marking(label),
                });
            }
        }
    }
    page.banner = banner.text();
    html(status, page.render())
}

pub struct NodeRow {
    pub person: Cell,
    pub organization: String,
    pub nation: String,
    pub met: usize,
    pub timeline: String,
}

pub struct EdgeRow {
    pub a: String,
    pub b: String,
    pub times: usize,
}

#[derive(Template)]
#[template(path = "ws_network.html")]
struct NetworkPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    from: String,
    to: String,
    svg: Option<String>,
    events: usize,
    nodes: Vec<NodeRow>,
    edges: Vec<EdgeRow>,
    error: Option<String>,
}

/// `GET /workspace/network?[from=DAY][&to=DAY]`.
pub async fn network(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = ctx_of(&q, &headers);
    let w = ctx.w_ws();
    let data = state.app.workspace(&who.actor).await?;
    let look = Lookup::new(&data, ctx.lang);
    let mut banner = Banner::default();
    let value = |name: &str| opt(&q, name).ok().flatten().unwrap_or_default();
    let mut page = NetworkPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w,
        banner: None,
        from: value("from"),
        to: value("to"),
        svg: None,
        events: 0,
        nodes: vec![],
        edges: vec![],
        error: None,
    };
    let mut status = StatusCode::OK;
    let answer = match known(&q, &["from", "to"]).and_then(|()| period(&q)) {
        Err(e) => Err(e),
        Ok((from, to)) => state
            .app
            .network(&who.actor, from, to)
            .await
            .map_err(ApiError::from),
    };
    match answer {
        Err(e) => {
            status = e.status();
            page.error = Some(crate::error_text::translate(ctx.lang, e.message()));
        }
        Ok(net) => {
            // What the network draws on: the people, their organizations and nations, and
            // the meetings and engagements counted (all the reader sees: a bound, not a leak).
            super::cover_workspace(&data, &look, &mut banner);
            let mut met = vec![0usize; net.nodes.len()];
            for e in &net.edges {
                if let (Some(_), Some(_)) = (net.nodes.get(e.a), net.nodes.get(e.b)) {
                    met[e.a] += e.times;
                    met[e.b] += e.times;
                }
            }
            page.nodes = net
                .nodes
                .iter()
                .zip(&met)
                .map(|(n, m)| {
                    let person = look.link(Kind::Person, &n.person, &mut banner);
                    if let Some((_, l)) = look.find(Kind::Nation, &n.nation) {
                        banner.add(l, &look.policies);
                    }
                    NodeRow {
                        person,
                        organization: n.organization.clone(),
                        nation: n.nation.clone(),
                        met: *m,
                        timeline: ctx.link(
                            "/workspace/timeline",
                            &crate::interop_pages::qs(&[("person", &n.person)]),
                        ),
                    }
                })
                .collect();
            for o in &data.organizations {
                if net.nodes.iter().any(|n| n.organization == o.name) {
                    banner.add(o.label.as_ref(), &look.policies);
                }
            }
            page.edges = net
                .edges
                .iter()
                .filter_map(|e| {
                    Some(EdgeRow {
                        a: net.nodes.get(e.a)?.name.clone(),
                        b: net.nodes.get(e.b)?.name.clone(),
                        times: e.times,
                    })
                })
                .collect();
            page.events = net.events;
            let name = |code: &str| {
                look.find(Kind::Nation, code)
                    .map_or_else(|| code.to_string(), |(n, _)| n)
            };
            page.svg = Some(defcoop_app::render::network_svg(
                &net,
                w.network_title,
                ctx.render_lang(),
                &name,
            ));
        }
    }
    page.banner = banner.text();
    html(status, page.render())
}
