//! `/interop/pair?a=&b=[&domain=...]`: two systems rated per domain, with the evidence.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_domain::marking::marking;
use defcoop_engine::Chain;
use defcoop_store::Parts;

use super::heat::LEVEL_FILL;
use super::words::Words;
use super::{expand, known, page, record, Ctx, Marks};
use crate::api::ApiError;
use crate::auth::Who;
use crate::i18n::Text;
use crate::interop::{all, pairs};
use crate::AppState;

pub struct Link {
    pub text: String,
    pub href: String,
    pub note: String,
    pub marking: Option<String>,
}

pub struct ChainView {
    pub full: bool,
    pub steps: Vec<(Link, Link, Link)>,
}

pub struct DomainView {
    pub code: String,
    pub name: String,
    pub href: String,
    pub level: String,
    pub fill: &'static str,
    pub a_standards: Vec<Link>,
    pub b_standards: Vec<Link>,
    pub shared: Vec<Link>,
    pub a_to_b: Option<ChainView>,
    pub b_to_a: Option<ChainView>,
    pub unrated: Vec<String>,
}

pub struct SystemOption {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "interop_pair.html")]
struct PairPage {
    lang: &'static str,
    t: &'static Text,
    w: &'static Words,
    banner: Option<String>,
    q_a: String,
    q_b: String,
    q_domains: String,
    error: Option<String>,
    a: Option<Link>,
    b: Option<Link>,
    domains: Vec<DomainView>,
    systems: Vec<SystemOption>,
}

fn chain(c: &Option<Chain>, ctx: Ctx, marks: &mut Marks) -> Option<ChainView> {
    let c = c.as_ref()?;
    Some(ChainView {
        full: c.full,
        steps: c
            .steps
            .iter()
            .map(|s| {
                marks.gateway(&s.gateway);
                marks.standard(&s.from);
                marks.standard(&s.to);
                let l = |plural: &str, key: &str| Link {
                    text: key.to_string(),
                    href: record(ctx, plural, key),
                    note: String::new(),
                    marking: None,
                };
                (
                    l("standards", &s.from),
                    l("gateways", &s.gateway),
                    l("standards", &s.to),
                )
            })
            .collect(),
    })
}

/// `GET /interop/pair`: the form, and with `a` and `b` the pair's rating and evidence.
pub async fn pair(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = expand(&pairs(raw)?, "domain");
    let ctx = Ctx::new(&q, &headers);
    let view = state.app.view(&who.actor, Parts::Engine).await?;
    let data = view.data();
    let mut marks = Marks::new(data);
    // The choice list names every visible system: the banner covers them all.
    marks.all_systems();
    let one = |name: &str| {
        q.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut p = PairPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        w: ctx.w(),
        banner: None,
        q_a: one("a"),
        q_b: one("b"),
        q_domains: all(&q, "domain").join(" "),
        error: None,
        a: None,
        b: None,
        domains: vec![],
        systems: data
            .systems
            .iter()
            .map(|s| SystemOption {
                id: s.id.clone(),
                name: s.name.clone(),
            })
            .collect(),
    };
    let mut status = StatusCode::OK;
    let asked = q.iter().any(|(k, _)| k == "a" || k == "b");
    let answer = match known(&q, &["a", "b", "domain"]) {
        Err(e) => Err(e),
        Ok(()) if !asked => Ok(None),
        Ok(()) => match (crate::interop::one(&q, "a"), crate::interop::one(&q, "b")) {
            (Ok(a), Ok(b)) => state
                .app
                .pair(&who.actor, &a, &b, &all(&q, "domain"))
                .await
                .map(Some)
                .map_err(ApiError::from),
            (Err(e), _) | (_, Err(e)) => Err(e),
        },
    };
    match answer {
        Err(e) => {
            status = e.status();
            p.error = Some(e.message().to_string());
        }
        Ok(None) => {}
        Ok(Some(report)) => {
            let name: HashMap<&str, &defcoop_domain::System> =
                data.systems.iter().map(|s| (s.id.as_str(), s)).collect();
            let sys = |id: &str| {
                let s = name.get(id);
                Link {
                    text: s.map_or_else(|| id.to_string(), |s| s.name.clone()),
                    href: record(ctx, "systems", id),
                    note: id.to_string(),
                    marking: s.and_then(|s| s.label.as_ref()).map(marking),
                }
            };
            p.a = Some(sys(&report.a));
            p.b = Some(sys(&report.b));
            let std_domain: HashMap<&str, &str> = data
                .standards
                .iter()
                .map(|s| (s.id.as_str(), s.domain.as_str()))
                .collect();
            let domain_name: HashMap<&str, &str> = data
                .domains
                .iter()
                .map(|d| (d.code.as_str(), d.name.as_str()))
                .collect();
            let w = ctx.w();
            let rlang = ctx.render_lang();
            let status_word = |s| defcoop_app::render::words(rlang).status(s);
            for d in &report.domains {
                marks.domain(&d.domain);
                let mut side = |system: &str| -> Vec<Link> {
                    data.conformances
                        .iter()
                        .filter(|c| {
                            c.system == system
                                && std_domain.get(c.standard.as_str()) == Some(&d.domain.as_str())
                        })
                        .map(|c| {
                            marks.standard(&c.standard);
                            marks.add(c.label.as_ref());
                            Link {
                                text: c.standard.clone(),
                                href: record(ctx, "standards", &c.standard),
                                note: status_word(c.status).to_string(),
                                marking: c.label.as_ref().map(marking),
                            }
                        })
                        .collect()
                };
                let a_standards = side(&report.a);
                let b_standards = side(&report.b);
                let shared = d
                    .shared
                    .iter()
                    .map(|s| Link {
                        text: s.standard.clone(),
                        href: record(ctx, "standards", &s.standard),
                        note: format!(
                            "{} {} · {} {}",
                            report.a,
                            status_word(s.a),
                            report.b,
                            status_word(s.b)
                        ),
                        marking: None,
                    })
                    .collect();
                let mut unrated = vec![];
                if d.unrated.0 {
                    unrated.push(report.a.clone());
                }
                if d.unrated.1 {
                    unrated.push(report.b.clone());
                }
                p.domains.push(DomainView {
                    code: d.domain.clone(),
                    name: domain_name
                        .get(d.domain.as_str())
                        .map_or_else(|| d.domain.clone(), |n| n.to_string()),
                    href: record(ctx, "domains", &d.domain),
                    level: w.level(d.level),
                    fill: LEVEL_FILL[d.level.index()],
                    a_standards,
                    b_standards,
                    shared,
                    a_to_b: chain(&d.a_to_b, ctx, &mut marks),
                    b_to_a: chain(&d.b_to_a, ctx, &mut marks),
                    unrated,
                });
            }
        }
    }
    p.banner = marks.text();
    Ok(page(status, p.render().map_err(crate::WebError::from)?))
}
