//! Matchmaking's pages (docs/MATCHMAKING.md): `/matchmaking`, the ranked offers for a need or
//! needs for an offer with every score's parts; `/matchmaking/consortium`, a proposed
//! consortium checked against a funding instrument; `/matchmaking/build`, the best consortia
//! for a need that an instrument's rules accept. Both are plain forms (GET), in English and
//! Korean; the answers are the API's (`/api/v1/match`, `/api/v1/consortium/check`).
//!
//! The banner covers every record the answers may draw on (needs, offers, areas, owners,
//! engagements, transfers, systems, standards, conformances, gateways, instruments): a bound,
//! never a leak.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use defcoop_app::matchmaking::matching::{Side, MAX_TOP};
use defcoop_app::render::{owner_text, part_name, part_points, part_why};
use defcoop_domain::label::Policies;
use defcoop_domain::marking::Banner;
use defcoop_domain::matchmaking::builder;
use defcoop_domain::model::{Dataset, Day, Kind};

use crate::api::ApiError;
use crate::auth::Who;
use crate::i18n::{Lang, Text};
use crate::interop::pairs;
use crate::interop_pages::{known, Ctx};
use crate::registry::show::{Cell, Lookup};
use crate::workspace::api::opt;
use crate::workspace::html;
use crate::AppState;

/// The pages' words.
pub struct Words {
    pub title: &'static str,
    pub intro: &'static str,
    pub need: &'static str,
    pub offer: &'static str,
    pub none: &'static str,
    pub top: &'static str,
    pub show: &'static str,
    pub help: &'static str,
    pub offers_for: &'static str,
    pub needs_for: &'static str,
    pub scored: &'static str,
    pub rank: &'static str,
    pub score: &'static str,
    pub candidate: &'static str,
    pub owner: &'static str,
    pub why: &'static str,
    pub no_candidates: &'static str,
    pub approximate: &'static str,
    pub consortium_title: &'static str,
    pub consortium_intro: &'static str,
    pub instrument: &'static str,
    pub members: &'static str,
    pub shares: &'static str,
    pub shares_help: &'static str,
    pub on: &'static str,
    pub check: &'static str,
    pub organization: &'static str,
    pub nation: &'static str,
    pub standing: &'static str,
    pub share: &'static str,
    pub breaks: &'static str,
    pub condition: &'static str,
    pub equal_shares: &'static str,
    pub eligible: &'static str,
    pub not_eligible: &'static str,
    pub modelled: &'static str,
    pub build_title: &'static str,
    pub build_intro: &'static str,
    pub size: &'static str,
    pub build: &'static str,
    pub best_offer: &'static str,
    pub no_consortium: &'static str,
    pub candidates_word: &'static str,
    pub admissible_word: &'static str,
    pub inexact: &'static str,
    pub equal_shares_build: &'static str,
}

const EN: Words = Words {
    title: "Matchmaking",
    intro: "The offers that best fit a need, or the needs that best fit an offer, scored out of 100: the same capability area (25), text relevance (30), technology readiness (15), existing cooperation between the owners' nations (15) and interoperability synergy from the engine (15). Each score is shown with its parts; only records you may read count.",
    need: "Need",
    offer: "Offer",
    none: "—",
    top: "How many",
    show: "Match",
    help: "Choose a need or an offer (one of them).",
    offers_for: "Offers for the need",
    needs_for: "Needs for the offer",
    scored: "candidates scored",
    rank: "#",
    score: "Score",
    candidate: "Candidate",
    owner: "Owner",
    why: "Why",
    no_candidates: "There is nothing to match against.",
    approximate: "The engine's run limit was reached: the order is approximate.",
    consortium_title: "Consortium check",
    consortium_intro: "Check a proposed consortium against a funding instrument's eligibility rules: every rule it breaks, with the numbers, and the conditions its partners take part on.",
    instrument: "Instrument",
    members: "Members (organization ids, separated by commas)",
    shares: "Shares of the component cost",
    shares_help: "ORG=PCT, separated by commas, for every member or none (equal shares).",
    on: "On",
    check: "Check",
    organization: "Organization",
    nation: "Nation",
    standing: "Standing",
    share: "Share",
    breaks: "Breaks",
    condition: "Condition",
    equal_shares: "No shares were given: every member is taken to bear an equal share.",
    eligible: "Eligible: the consortium breaks no rule.",
    not_eligible: "Not eligible: rules broken",
    modelled: "Modelled on the real instrument: see its sources and what they could not confirm.",
    build_title: "Consortium builder",
    build_intro: "The best-scoring consortia for a need that a funding instrument's rules accept: the organizations owning offers, each valued by its best offer's match score for the need; a consortium's score is the sum of its members'.",
    size: "Members",
    build: "Build",
    best_offer: "Best offer",
    no_consortium: "No consortium of this size meets every rule.",
    candidates_word: "candidate organizations",
    admissible_word: "admissible under the rules",
    inexact: "The search budget ran out: no consortium left unexamined scores above",
    equal_shares_build: "Shares are taken as equal: check a consortium with its real shares.",
};

const KO: Words = Words {
    title: "협력 매칭",
    intro: "수요에 가장 잘 맞는 제안, 또는 제안에 가장 잘 맞는 수요를 100점 만점으로 평가합니다: 같은 역량 분야(25), 텍스트 관련성(30), 기술성숙도(15), 소유자 국가 사이의 협력 이력(15), 엔진이 계산한 상호운용 시너지(15). 점수마다 그 구성이 보이며, 읽을 수 있는 기록만 계산에 들어갑니다.",
    need: "수요",
    offer: "제안",
    none: "—",
    top: "개수",
    show: "매칭",
    help: "수요나 제안 중 하나를 고르십시오.",
    offers_for: "수요에 맞는 제안",
    needs_for: "제안에 맞는 수요",
    scored: "건 평가",
    rank: "순위",
    score: "점수",
    candidate: "후보",
    owner: "소유자",
    why: "근거",
    no_candidates: "매칭할 대상이 없습니다.",
    approximate: "엔진 평가 횟수 한도에 이르러 순위가 근사입니다.",
    consortium_title: "컨소시엄 점검",
    consortium_intro: "제안된 컨소시엄을 재원 수단의 자격 요건에 비추어 점검합니다: 위반한 요건을 수치와 함께, 그리고 협력국 참여 조건을 보여 줍니다.",
    instrument: "재원 수단",
    members: "회원 (기관 ID, 쉼표로 구분)",
    shares: "부품 비용 비중",
    shares_help: "ORG=PCT를 쉼표로 구분해 모든 회원에 대해 주거나, 주지 마십시오 (같은 비중).",
    on: "기준일",
    check: "점검",
    organization: "기관",
    nation: "국가",
    standing: "자격",
    share: "비중",
    breaks: "위반",
    condition: "조건",
    equal_shares: "비용 비중이 주어지지 않아 모든 회원이 같은 비중을 지는 것으로 보았습니다.",
    eligible: "자격 충족: 위반한 요건이 없습니다.",
    not_eligible: "자격 미충족: 위반한 요건",
    modelled: "실제 재원 수단을 본뜬 모형입니다: 출처와 확인되지 않은 점을 보십시오.",
    build_title: "컨소시엄 구성",
    build_intro: "재원 수단의 요건을 충족하면서 수요에 가장 높은 점수를 내는 컨소시엄입니다: 제안을 가진 기관마다 그 기관의 가장 좋은 제안의 매칭 점수를 값으로 삼고, 컨소시엄의 점수는 회원 점수의 합입니다.",
    size: "회원 수",
    build: "구성",
    best_offer: "가장 좋은 제안",
    no_consortium: "이 규모로 모든 요건을 충족하는 컨소시엄이 없습니다.",
    candidates_word: "후보 기관",
    admissible_word: "요건상 참여 가능",
    inexact: "탐색 한도에 이르렀습니다: 검토하지 못한 컨소시엄의 점수는 다음 이하입니다:",
    equal_shares_build: "비용 비중은 같다고 보았습니다: 실제 비중으로 컨소시엄을 점검하십시오.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Ko => &KO,
    }
}

/// Every record matching or a consortium check may draw on, into the banner.
fn cover(data: &Dataset, banner: &mut Banner) {
    let p = Policies::new(&data.policies);
    macro_rules! all {
        ($($list:ident),*) => {$(
            for r in &data.$list {
                banner.add(r.label.as_ref(), &p);
            }
        )*};
    }
    all!(
        needs,
        offers,
        capability_areas,
        instruments,
        blocs,
        nations,
        organizations,
        people,
        engagements,
        transfers,
        systems,
        standards,
        conformances,
        gateways
    );
}

pub struct PartRow {
    pub name: &'static str,
    pub points: String,
    pub why: String,
}

pub struct MatchRow {
    pub rank: usize,
    pub score: String,
    pub candidate: Cell,
    pub owner: String,
    pub parts: Vec<PartRow>,
}

pub struct Choice {
    pub id: String,
    pub title: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "mm_match.html")]
struct MatchPage {
    lang: &'static str,
    t: &'static Text,
    m: &'static Words,
    banner: Option<String>,
    needs: Vec<Choice>,
    offers: Vec<Choice>,
    top: String,
    heading: Option<String>,
    subject: Option<Cell>,
    candidates: usize,
    rows: Vec<MatchRow>,
    exact: bool,
    error: Option<String>,
}

fn choices<'a>(items: impl Iterator<Item = (&'a str, &'a str)>, chosen: &str) -> Vec<Choice> {
    items
        .map(|(id, title)| Choice {
            id: id.to_string(),
            title: title.to_string(),
            selected: id == chosen,
        })
        .collect()
}

/// `GET /matchmaking?[need=ID|offer=ID][&top=N]`: without either, the form alone.
pub async fn match_page(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = Ctx::new(&q, &headers);
    let m = words(ctx.lang);
    let data = state.app.matchmaking_data(&who.actor).await?;
    let look = Lookup::new(&data, ctx.lang);
    let mut banner = Banner::default();
    let value = |name: &str| opt(&q, name).ok().flatten().unwrap_or_default();
    let (need, offer, top) = (value("need"), value("offer"), value("top"));
    let mut page = MatchPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        m,
        banner: None,
        needs: choices(
            data.needs.iter().map(|n| (n.id.as_str(), n.title.as_str())),
            &need,
        ),
        offers: choices(
            data.offers
                .iter()
                .map(|o| (o.id.as_str(), o.title.as_str())),
            &offer,
        ),
        top: if top.is_empty() {
            "10".into()
        } else {
            top.clone()
        },
        heading: None,
        subject: None,
        candidates: 0,
        rows: Vec::new(),
        exact: true,
        error: None,
    };
    let asked = known(&q, &["need", "offer", "top"]).and_then(|()| {
        let top = match top.as_str() {
            "" => 10,
            t => t
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_TOP).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "top: \"{}\" is not a number from 1 to {MAX_TOP}",
                        defcoop_app::render::cut(t, 20)
                    ))
                })?,
        };
        match (need.is_empty(), offer.is_empty()) {
            (true, true) => Ok(None),
            (false, true) => Ok(Some((Side::Need, need.clone(), top))),
            (true, false) => Ok(Some((Side::Offer, offer.clone(), top))),
            (false, false) => Err(ApiError::bad_request(
                "give need=ID or offer=ID (one of them)",
            )),
        }
    });
    let mut status = StatusCode::OK;
    let answer = match asked {
        Err(e) => Err(e),
        Ok(None) => Ok(None),
        Ok(Some((side, id, top))) => state
            .app
            .matches(&who.actor, side, &id, top)
            .await
            .map(Some)
            .map_err(ApiError::from),
    };
    // The choice lists show every need and offer.
    cover(&data, &mut banner);
    match answer {
        Err(e) => {
            status = e.status();
            page.error = Some(crate::error_text::translate(ctx.lang, e.message()));
        }
        Ok(None) => {}
        Ok(Some(found)) => {
            let (kind, other) = match found.of {
                Side::Need => (Kind::Need, Kind::Offer),
                Side::Offer => (Kind::Offer, Kind::Need),
            };
            page.heading = Some(
                match found.of {
                    Side::Need => m.offers_for,
                    Side::Offer => m.needs_for,
                }
                .to_string(),
            );
            page.subject = Some(look.link(kind, &found.id, &mut banner));
            page.candidates = found.candidates;
            page.exact = found.exact;
            let lang = ctx.render_lang();
            page.rows = found
                .matches
                .iter()
                .enumerate()
                .map(|(i, x)| MatchRow {
                    rank: i + 1,
                    score: format!("{:.1}", x.score),
                    candidate: look.link(other, &x.id, &mut banner),
                    owner: owner_text(&x.owner, lang),
                    parts: x
                        .parts
                        .iter()
                        .map(|p| {
                            let (points, max) = part_points(p);
                            PartRow {
                                name: part_name(p, lang),
                                points: format!("{points:.1}/{max:.0}"),
                                why: part_why(p, lang),
                            }
                        })
                        .collect(),
                })
                .collect();
        }
    }
    page.banner = banner.text();
    html(status, page.render())
}

pub struct MemberRow {
    pub organization: Cell,
    pub nation: String,
    pub standing: String,
    pub share: String,
}

#[derive(Template)]
#[template(path = "mm_consortium.html")]
struct ConsortiumPage {
    lang: &'static str,
    t: &'static Text,
    m: &'static Words,
    banner: Option<String>,
    instruments: Vec<Choice>,
    members_text: String,
    shares_text: String,
    on: String,
    asked: bool,
    modelled: bool,
    rows: Vec<MemberRow>,
    equal_shares: bool,
    conditions: Vec<String>,
    breaches: Vec<String>,
    eligible: bool,
    error: Option<String>,
}

/// The members and shares of the form: `a, b` and `a=60, b=40`.
fn parse_members(members: &str, shares: &str) -> Result<Vec<(String, Option<f64>)>, ApiError> {
    let mut out: Vec<(String, Option<f64>)> = members
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(|m| (m.to_string(), None))
        .collect();
    for s in shares.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let cut = |x: &str| defcoop_app::render::cut(x, 40).to_string();
        let (org, pct) = s.split_once('=').ok_or_else(|| {
            ApiError::bad_request(format!("shares: give ORG=PCT, not \"{}\"", cut(s)))
        })?;
        let pct: f64 = pct.trim().trim_end_matches('%').parse().map_err(|_| {
            ApiError::bad_request(format!("shares: \"{}\" is not a percentage", cut(pct)))
        })?;
        let slot = out
            .iter_mut()
            .find(|(m, _)| m == org.trim())
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "shares: \"{}\" is not one of the members",
                    cut(org)
                ))
            })?;
        if slot.1.is_some() {
            return Err(ApiError::bad_request(format!(
                "shares: \"{}\" is given twice",
                cut(org)
            )));
        }
        slot.1 = Some(pct);
    }
    Ok(out)
}

/// `GET /matchmaking/consortium?[instrument=ID&members=A,B[&shares=A=60,B=40][&on=DAY]]`.
pub async fn consortium_page(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = Ctx::new(&q, &headers);
    let m = words(ctx.lang);
    let data = state.app.matchmaking_data(&who.actor).await?;
    let look = Lookup::new(&data, ctx.lang);
    let mut banner = Banner::default();
    let value = |name: &str| opt(&q, name).ok().flatten().unwrap_or_default();
    let (instrument, members, shares, on) = (
        value("instrument"),
        value("members"),
        value("shares"),
        value("on"),
    );
    let mut page = ConsortiumPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        m,
        banner: None,
        instruments: choices(
            data.instruments
                .iter()
                .map(|i| (i.id.as_str(), i.name.as_str())),
            &instrument,
        ),
        members_text: members.clone(),
        shares_text: shares.clone(),
        on: on.clone(),
        asked: false,
        modelled: false,
        rows: Vec::new(),
        equal_shares: false,
        conditions: Vec::new(),
        breaches: Vec::new(),
        eligible: false,
        error: None,
    };
    let asked = known(&q, &["instrument", "members", "shares", "on"]).and_then(|()| {
        if instrument.is_empty() && members.is_empty() {
            return Ok(None);
        }
        if instrument.is_empty() {
            return Err(ApiError::bad_request(
                "instrument: choose a funding instrument",
            ));
        }
        let day = match on.as_str() {
            "" => None,
            d => Some(Day::parse(d).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "on: \"{}\" is not a date (YYYY-MM-DD)",
                    defcoop_app::render::cut(d, 40)
                ))
            })?),
        };
        Ok(Some((parse_members(&members, &shares)?, day)))
    });
    let mut status = StatusCode::OK;
    let answer = match asked {
        Err(e) => Err(e),
        Ok(None) => Ok(None),
        Ok(Some((list, day))) => state
            .app
            .consortium_check(&who.actor, &instrument, &list, day)
            .await
            .map(Some)
            .map_err(ApiError::from),
    };
    cover(&data, &mut banner);
    let lang = ctx.render_lang();
    match answer {
        Err(e) => {
            status = e.status();
            page.error = Some(crate::error_text::translate(ctx.lang, e.message()));
        }
        Ok(None) => {}
        Ok(Some(r)) => {
            page.asked = true;
            page.modelled = data
                .instruments
                .iter()
                .any(|i| i.id == r.instrument && i.modelled);
            page.rows = r
                .members
                .iter()
                .map(|x| MemberRow {
                    organization: look.link(Kind::Organization, &x.organization, &mut banner),
                    nation: x.nation.clone(),
                    standing: defcoop_app::render::standing_text(lang, x.standing).to_string(),
                    share: format!("{:.1}%", x.share),
                })
                .collect();
            page.equal_shares = r.equal_shares_assumed;
            page.conditions = r
                .conditions
                .iter()
                .map(|c| defcoop_app::render::message(lang, c).into_owned())
                .collect();
            page.breaches = r
                .breaches
                .iter()
                .map(|b| {
                    format!(
                        "{}: {}",
                        b.rule,
                        defcoop_app::render::message(lang, &b.message)
                    )
                })
                .collect();
            page.eligible = r.eligible;
        }
    }
    page.banner = banner.text();
    html(status, page.render())
}

pub struct BuiltRow {
    pub rank: usize,
    pub score: String,
    pub members: Vec<BuiltMemberRow>,
    pub check: String,
}

pub struct BuiltMemberRow {
    pub organization: Cell,
    pub nation: String,
    pub standing: String,
    pub score: String,
    pub offer: Cell,
}

#[derive(Template)]
#[template(path = "mm_build.html")]
struct BuildPage {
    lang: &'static str,
    t: &'static Text,
    m: &'static Words,
    banner: Option<String>,
    needs: Vec<Choice>,
    instruments: Vec<Choice>,
    size: String,
    top: String,
    on: String,
    asked: bool,
    candidates: usize,
    admissible: usize,
    rows: Vec<BuiltRow>,
    bound: Option<String>,
    error: Option<String>,
}

/// `GET /matchmaking/build?[need=ID&instrument=ID[&size=K][&top=N][&on=DAY]]`.
pub async fn build_page(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = pairs(raw)?;
    let ctx = Ctx::new(&q, &headers);
    let m = words(ctx.lang);
    let data = state.app.matchmaking_data(&who.actor).await?;
    let look = Lookup::new(&data, ctx.lang);
    let mut banner = Banner::default();
    let value = |name: &str| opt(&q, name).ok().flatten().unwrap_or_default();
    let (need, instrument, size, top, on) = (
        value("need"),
        value("instrument"),
        value("size"),
        value("top"),
        value("on"),
    );
    let mut page = BuildPage {
        lang: ctx.lang.code(),
        t: ctx.t(),
        m,
        banner: None,
        needs: choices(
            data.needs.iter().map(|n| (n.id.as_str(), n.title.as_str())),
            &need,
        ),
        instruments: choices(
            data.instruments
                .iter()
                .map(|i| (i.id.as_str(), i.name.as_str())),
            &instrument,
        ),
        size: size.clone(),
        top: if top.is_empty() {
            "5".into()
        } else {
            top.clone()
        },
        on: on.clone(),
        asked: false,
        candidates: 0,
        admissible: 0,
        rows: Vec::new(),
        bound: None,
        error: None,
    };
    let number = |name: &str, t: &str, max: usize| -> Result<Option<usize>, ApiError> {
        match t {
            "" => Ok(None),
            t => t
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .map(Some)
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "{name}: \"{}\" is not a number from 1 to {max}",
                        defcoop_app::render::cut(t, 20)
                    ))
                }),
        }
    };
    let asked = known(&q, &["need", "instrument", "size", "top", "on"]).and_then(|()| {
        if need.is_empty() && instrument.is_empty() {
            return Ok(None);
        }
        if need.is_empty() {
            return Err(ApiError::bad_request("need: choose a need"));
        }
        if instrument.is_empty() {
            return Err(ApiError::bad_request(
                "instrument: choose a funding instrument",
            ));
        }
        let size = number("size", &size, builder::MAX_SIZE)?;
        let top = number("top", &top, builder::MAX_TOP)?.unwrap_or(5);
        let day = match on.as_str() {
            "" => None,
            d => Some(Day::parse(d).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "on: \"{}\" is not a date (YYYY-MM-DD)",
                    defcoop_app::render::cut(d, 40)
                ))
            })?),
        };
        Ok(Some((size, top, day)))
    });
    let mut status = StatusCode::OK;
    let answer = match asked {
        Err(e) => Err(e),
        Ok(None) => Ok(None),
        Ok(Some((size, top, day))) => state
            .app
            .consortium_build(&who.actor, &need, &instrument, size, top, day)
            .await
            .map(Some)
            .map_err(ApiError::from),
    };
    cover(&data, &mut banner);
    let lang = ctx.render_lang();
    match answer {
        Err(e) => {
            status = e.status();
            page.error = Some(crate::error_text::translate(ctx.lang, e.message()));
        }
        Ok(None) => {}
        Ok(Some(b)) => {
            page.asked = true;
            page.candidates = b.candidates;
            page.admissible = b.admissible;
            page.size = b.size.to_string();
            page.bound = b.bound.map(|x| format!("{x:.1}"));
            page.rows = b
                .consortia
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let ids: Vec<&str> =
                        c.members.iter().map(|x| x.organization.as_str()).collect();
                    BuiltRow {
                        rank: i + 1,
                        score: format!("{:.1}", c.score),
                        check: ctx.link(
                            "/matchmaking/consortium",
                            &crate::interop_pages::qs(&[
                                ("instrument", b.instrument.as_str()),
                                ("members", &ids.join(",")),
                                ("on", &b.day),
                            ]),
                        ),
                        members: c
                            .members
                            .iter()
                            .map(|x| BuiltMemberRow {
                                organization: look.link(
                                    Kind::Organization,
                                    &x.organization,
                                    &mut banner,
                                ),
                                nation: x.nation.clone(),
                                standing: defcoop_app::render::standing_text(lang, x.standing)
                                    .to_string(),
                                score: format!("{:.1}", x.score),
                                offer: look.link(Kind::Offer, &x.offer, &mut banner),
                            })
                            .collect(),
                    }
                })
                .collect();
        }
    }
    page.banner = banner.text();
    html(status, page.render())
}
