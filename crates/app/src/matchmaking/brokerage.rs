//! Brokerage meetings as a use case: an event file's participants checked against the
//! reader's view, their requests completed with their best matches, the meetings scheduled
//! (`defcoop_domain::matchmaking::brokerage`), and each participant's agenda, also as
//! iCalendar.

use std::collections::BTreeMap;

use defcoop_domain::matchmaking::brokerage::{self as sched, Event};
use defcoop_domain::matchmaking::brokerage_event::EventFile;
use defcoop_domain::model::Dataset;
use defcoop_domain::workspace::{ics, time};
use defcoop_domain::Problem;
use defcoop_store::Parts;
use serde::Serialize;

use super::matching::Side;
use super::ranker::Ranker;
use crate::{compute, Actor, App, AppError, Result};

/// A slot with its times: civil in the event's zone, and UTC.
#[derive(Debug, Clone, Serialize)]
pub struct SlotTimes {
    pub slot: usize,
    pub start: String,
    pub end: String,
    /// `2026-03-10 13:00 +00:00`.
    pub utc: String,
}

/// A meeting placed.
#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    pub slot: usize,
    /// From 1.
    pub table: usize,
    pub start: String,
    pub end: String,
    pub a: String,
    pub b: String,
    pub a_organization: String,
    pub b_organization: String,
    /// Who asked for it (one or both).
    pub asked_by: Vec<String>,
    /// The best match score between their needs and offers, when one was computed.
    pub score: Option<f64>,
}

/// A meeting asked for that could not be placed.
#[derive(Debug, Clone, Serialize)]
pub struct Unplaced {
    pub a: String,
    pub b: String,
    pub asked_by: Vec<String>,
}

/// One participant's meetings, by slot.
#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    pub participant: String,
    pub organization: String,
    pub meetings: Vec<AgendaEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaEntry {
    pub slot: usize,
    pub table: usize,
    pub start: String,
    pub end: String,
    pub with: String,
    pub with_organization: String,
}

/// The schedule of an event.
#[derive(Debug, Clone, Serialize)]
pub struct Scheduled {
    pub title: String,
    pub time_zone: String,
    pub place: Option<String>,
    pub tables: usize,
    pub slots: Vec<SlotTimes>,
    /// Meetings asked for (each pair once, whoever asked).
    pub requests: usize,
    pub placed: usize,
    /// No schedule places more than this.
    pub upper_bound: usize,
    /// Whether `placed` is proved the most possible.
    pub exact: bool,
    pub meetings: Vec<Meeting>,
    pub unplaced: Vec<Unplaced>,
    pub agendas: Vec<Agenda>,
}

/// The problems of an event's references in the reader's view.
fn reference_problems(data: &Dataset, e: &EventFile) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, p) in e.participants.iter().enumerate() {
        let at = format!("$.participants[{i}]");
        if !data.organizations.iter().any(|o| o.id == p.organization) {
            out.push(Problem::new(
                format!("{at}.organization"),
                format!(
                    "unknown organization \"{}\"",
                    crate::render::cut(&p.organization, 60)
                ),
            ));
        }
        for (k, n) in p.needs.iter().enumerate() {
            if !data.needs.iter().any(|x| &x.id == n) {
                out.push(Problem::new(
                    format!("{at}.needs[{k}]"),
                    format!("unknown need \"{}\"", crate::render::cut(n, 60)),
                ));
            }
        }
        for (k, o) in p.offers.iter().enumerate() {
            if !data.offers.iter().any(|x| &x.id == o) {
                out.push(Problem::new(
                    format!("{at}.offers[{k}]"),
                    format!("unknown offer \"{}\"", crate::render::cut(o, 60)),
                ));
            }
        }
    }
    out
}

/// For each participant, the other participants by their best match score with it (its
/// needs against their offers, its offers against their needs), best first.
fn best_matches(
    data: &Dataset,
    corpus: &super::matching::Corpus,
    snap: &defcoop_engine::Snapshot,
    e: &EventFile,
    day: defcoop_domain::model::Day,
) -> Vec<Vec<(usize, f64)>> {
    // Who brings each need and offer.
    let mut offer_by: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut need_by: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, p) in e.participants.iter().enumerate() {
        for o in &p.offers {
            if let Some(j) = data.offers.iter().position(|x| &x.id == o) {
                offer_by.entry(j).or_default().push(i);
            }
        }
        for n in &p.needs {
            if let Some(j) = data.needs.iter().position(|x| &x.id == n) {
                need_by.entry(j).or_default().push(i);
            }
        }
    }
    e.participants
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut best: BTreeMap<usize, f64> = BTreeMap::new();
            if p.request_best == 0 {
                return Vec::new();
            }
            let mut score_against =
                |side: Side, at: usize, others: &BTreeMap<usize, Vec<usize>>| {
                    let mut r = Ranker::new(data, corpus, snap, side, at, day);
                    for (&j, owners) in others {
                        if owners.iter().all(|&q| q == i) {
                            continue;
                        }
                        let s = r.score(j);
                        for &q in owners.iter().filter(|&&q| q != i) {
                            let b = best.entry(q).or_insert(0.0);
                            *b = b.max(s);
                        }
                    }
                };
            for n in &p.needs {
                if let Some(at) = data.needs.iter().position(|x| &x.id == n) {
                    score_against(Side::Need, at, &offer_by);
                }
            }
            for o in &p.offers {
                if let Some(at) = data.offers.iter().position(|x| &x.id == o) {
                    score_against(Side::Offer, at, &need_by);
                }
            }
            let mut list: Vec<(usize, f64)> = best.into_iter().collect();
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(p.request_best);
            list
        })
        .collect()
}

impl App {
    /// Schedules the brokerage event `e` over the actor's view: every organization, need and
    /// offer it names must be one the actor sees.
    pub async fn brokerage_schedule(&self, actor: &Actor, e: EventFile) -> Result<Scheduled> {
        let problems = defcoop_domain::matchmaking::brokerage_event::check(&e);
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let view = self.view(actor, Parts::All).await?;
        let problems = reference_problems(view.data(), &e);
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let day = self.today();
        compute(move || {
            let data = view.data();
            let corpus = view.matching();
            let snap = view.engine();
            let best = best_matches(data, &corpus, &snap, &e, day);
            let index: BTreeMap<&str, usize> = e
                .participants
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), i))
                .collect();
            // Each pair once, with who asked and its score.
            let mut pairs: BTreeMap<(usize, usize), (Vec<String>, Option<f64>)> = BTreeMap::new();
            for (i, p) in e.participants.iter().enumerate() {
                let explicit = p
                    .requests
                    .iter()
                    .filter_map(|r| index.get(r.as_str()).copied());
                let matched = best[i].iter().map(|&(q, _)| q);
                for q in explicit.chain(matched) {
                    let key = (i.min(q), i.max(q));
                    let entry = pairs.entry(key).or_default();
                    if !entry.0.contains(&p.id) {
                        entry.0.push(p.id.clone());
                    }
                    if let Some(&(_, s)) = best[i].iter().find(|(x, _)| *x == q) {
                        entry.1 = Some(entry.1.map_or(s, |x: f64| x.max(s)));
                    }
                }
            }
            let requests: Vec<(usize, usize)> = pairs.keys().copied().collect();
            let all = if e.slots.len() >= 64 {
                u64::MAX
            } else {
                (1u64 << e.slots.len()) - 1
            };
            let event = Event {
                slots: e.slots.len(),
                tables: e.tables,
                availability: e
                    .participants
                    .iter()
                    .map(|p| match &p.available {
                        None => all,
                        Some(list) => list.iter().fold(0u64, |m, s| m | (1u64 << s)),
                    })
                    .collect(),
                requests: requests.clone(),
            };
            let schedule = sched::schedule(&event).map_err(|p| {
                AppError::Invalid(
                    p.into_iter()
                        .map(|x| Problem::new(format!("$.{}", x.at), x.message))
                        .collect(),
                )
            })?;
            let slots: Vec<SlotTimes> = e
                .slots
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let z = time::instant(&s.start, &e.time_zone).map_err(AppError::Internal)?;
                    let end_seconds = time::epoch_seconds(&z) + i64::from(s.minutes) * 60;
                    Ok(SlotTimes {
                        slot: i,
                        start: s.start.trim().to_string(),
                        end: time::civil_at(end_seconds, &e.time_zone)
                            .map_err(AppError::Internal)?,
                        utc: time::shown_in(&z, "UTC").map_err(AppError::Internal)?,
                    })
                })
                .collect::<Result<_>>()?;
            let org = |i: usize| e.participants[i].organization.clone();
            let meetings: Vec<Meeting> = schedule
                .meetings
                .iter()
                .map(|m| {
                    let (a, b) = requests[m.request];
                    let (asked_by, score) = pairs[&(a, b)].clone();
                    Meeting {
                        slot: m.slot,
                        table: m.table + 1,
                        start: slots[m.slot].start.clone(),
                        end: slots[m.slot].end.clone(),
                        a: e.participants[a].id.clone(),
                        b: e.participants[b].id.clone(),
                        a_organization: org(a),
                        b_organization: org(b),
                        asked_by,
                        score: score.map(super::matching::round1),
                    }
                })
                .collect();
            let agendas = e
                .participants
                .iter()
                .map(|p| Agenda {
                    participant: p.id.clone(),
                    organization: p.organization.clone(),
                    meetings: meetings
                        .iter()
                        .filter(|m| m.a == p.id || m.b == p.id)
                        .map(|m| {
                            let (with, with_organization) = if m.a == p.id {
                                (m.b.clone(), m.b_organization.clone())
                            } else {
                                (m.a.clone(), m.a_organization.clone())
                            };
                            AgendaEntry {
                                slot: m.slot,
                                table: m.table,
                                start: m.start.clone(),
                                end: m.end.clone(),
                                with,
                                with_organization,
                            }
                        })
                        .collect(),
                })
                .collect();
            Ok(Scheduled {
                title: e.title.clone(),
                time_zone: e.time_zone.clone(),
                place: e.place.clone(),
                tables: e.tables,
                slots,
                requests: requests.len(),
                placed: meetings.len(),
                upper_bound: schedule.upper_bound,
                exact: schedule.exact,
                unplaced: schedule
                    .unplaced
                    .iter()
                    .map(|&k| {
                        let (a, b) = requests[k];
                        Unplaced {
                            a: e.participants[a].id.clone(),
                            b: e.participants[b].id.clone(),
                            asked_by: pairs[&(a, b)].0.clone(),
                        }
                    })
                    .collect(),
                meetings,
                agendas,
            })
        })
        .await
    }

    /// `participant`'s agenda of `s` as an iCalendar stream, each meeting at its own zone's
    /// time.
    pub fn brokerage_ics(&self, s: &Scheduled, participant: &str) -> Result<String> {
        let agenda = s
            .agendas
            .iter()
            .find(|a| a.participant == participant)
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "participant \"{}\"",
                    crate::render::cut(participant, 60)
                ))
            })?;
        let slug: String = s
            .title
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .take(40)
            .collect();
        let events: Vec<ics::Event> = agenda
            .meetings
            .iter()
            .map(|m| ics::Event {
                uid: format!("brokerage-{slug}-{}-{}@defcoop", m.slot, m.table),
                summary: format!("{} — {} ({})", s.title, m.with, m.with_organization),
                start: m.start.clone(),
                end: Some(m.end.clone()),
                zone: s.time_zone.clone(),
                location: Some(match &s.place {
                    Some(p) => format!("{p}, table {}", m.table),
                    None => format!("table {}", m.table),
                }),
                description: None,
                url: None,
                status: "CONFIRMED",
            })
            .collect();
        ics::calendar(
            &format!("{} — {}", s.title, agenda.participant),
            &events,
            self.now(),
        )
        .map_err(AppError::Internal)
    }
}
