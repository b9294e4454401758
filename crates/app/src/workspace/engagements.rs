//! Who met whom: a timeline of an organization's, a person's or a nation's meetings and
//! engagements, and the network of people who met, over a period. Only what the reader sees
//! counts: a hidden meeting is no entry and no edge, a hidden person no node.

use std::collections::{BTreeMap, BTreeSet};

use defcoop_domain::model::{Dataset, Day, Kind};
use defcoop_domain::workspace::time;
use serde::Serialize;

use super::not_found;
use crate::readmodel::find;
use crate::{Actor, App, AppError, Result};

/// Whose timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Person(String),
    Organization(String),
    Nation(String),
}

/// One meeting or engagement on a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// `meeting` or `engagement`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    /// As recorded: a civil time (or a day) in `time_zone`.
    pub start: String,
    pub time_zone: String,
    pub place: Option<String>,
    /// The subject's people who took part.
    pub people: Vec<String>,
    /// Everyone else who took part.
    pub with: Vec<String>,
    /// Seconds since the epoch of the start, for order.
    #[serde(skip)]
    pub at: i64,
}

/// People who met, over a period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Network {
    pub nodes: Vec<NetworkNode>,
    pub edges: Vec<NetworkEdge>,
    /// Meetings and engagements counted.
    pub events: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct NetworkNode {
    pub person: String,
    pub name: String,
    pub organization: String,
    pub nation: String,
}

/// Two people (by position in `nodes`, `a < b`) and how many times they met.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkEdge {
    pub a: usize,
    pub b: usize,
    pub times: usize,
}

/// Most people a network shows: the most connected are kept.
pub const MAX_NODES: usize = 200;

/// One event the reader sees: kind, id, title, start, zone, place, people.
struct Event<'a> {
    kind: &'static str,
    id: &'a str,
    title: &'a str,
    start: &'a str,
    zone: &'a str,
    place: Option<&'a String>,
    people: Vec<&'a str>,
}

fn events(data: &Dataset) -> Vec<Event<'_>> {
    let meetings = data.meetings.iter().map(|m| Event {
        kind: "meeting",
        id: &m.id,
        title: &m.title,
        start: &m.start,
        zone: &m.time_zone,
        place: m.place.as_ref(),
        people: m.participants.iter().map(|p| p.person.as_str()).collect(),
    });
    let engagements = data.engagements.iter().map(|e| Event {
        kind: "engagement",
        id: &e.id,
        title: &e.title,
        start: &e.start,
        zone: &e.time_zone,
        place: e.place.as_ref(),
        people: e.participants.iter().map(String::as_str).collect(),
    });
    meetings.chain(engagements).collect()
}

fn seconds(start: &str, zone: &str) -> i64 {
    time::instant(start, zone).map_or(i64::MAX, |z| time::epoch_seconds(&z))
}

/// The first instant of `from` and the last of `to`, in UTC.
fn period(from: Option<Day>, to: Option<Day>) -> (i64, i64) {
    let lo = from.map_or(i64::MIN, |d| d.unix_days() * 86_400);
    let hi = to.map_or(i64::MAX, |d| d.unix_days() * 86_400 + 86_399);
    (lo, hi)
}

impl App {
    /// The meetings and engagements of a person, an organization (its people) or a nation
    /// (the people of its organizations), oldest first, within `from`..=`to` (UTC days).
    pub async fn timeline(
        &self,
        actor: &Actor,
        subject: &Subject,
        from: Option<Day>,
        to: Option<Day>,
    ) -> Result<Vec<TimelineEntry>> {
        let data = self.workspace(actor).await?;
        let theirs: BTreeSet<&str> = match subject {
            Subject::Person(p) => {
                find(&data.people, p.as_str()).ok_or_else(|| not_found(Kind::Person, p))?;
                [p.as_str()].into()
            }
            Subject::Organization(o) => {
                find(&data.organizations, o.as_str())
                    .ok_or_else(|| not_found(Kind::Organization, o))?;
                data.people
                    .iter()
                    .filter(|p| p.organization == *o)
                    .map(|p| p.id.as_str())
                    .collect()
            }
            Subject::Nation(n) => {
                find(&data.nations, n.as_str()).ok_or_else(|| not_found(Kind::Nation, n))?;
                data.people
                    .iter()
                    .filter(|p| {
                        find(&data.organizations, p.organization.as_str())
                            .is_some_and(|o| o.nation == *n)
                    })
                    .map(|p| p.id.as_str())
                    .collect()
            }
        };
        let (lo, hi) = period(from, to);
        let mut out: Vec<TimelineEntry> = events(&data)
            .into_iter()
            .filter(|e| e.people.iter().any(|p| theirs.contains(p)))
            .map(|e| TimelineEntry {
                kind: e.kind,
                id: e.id.to_string(),
                title: e.title.to_string(),
                start: e.start.to_string(),
                time_zone: e.zone.to_string(),
                place: e.place.cloned(),
                people: e
                    .people
                    .iter()
                    .filter(|p| theirs.contains(*p))
                    .map(|p| p.to_string())
                    .collect(),
                with: e
                    .people
                    .iter()
                    .filter(|p| !theirs.contains(*p))
                    .map(|p| p.to_string())
                    .collect(),
                at: seconds(e.start, e.zone),
            })
            .filter(|e| (lo..=hi).contains(&e.at))
            .collect();
        out.sort_by(|a, b| (a.at, a.kind, &a.id).cmp(&(b.at, b.kind, &b.id)));
        Ok(out)
    }

    /// Who met whom in `from`..=`to`: people as nodes, an edge per pair who took part in the
    /// same meeting or engagement, weighted by how often. At most [`MAX_NODES`] people (the
    /// most connected; ties by id).
    pub async fn network(
        &self,
        actor: &Actor,
        from: Option<Day>,
        to: Option<Day>,
    ) -> Result<Network> {
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                return Err(AppError::BadRequest(format!(
                    "the period ends ({t}) before it starts ({f})"
                )));
            }
        }
        let data = self.workspace(actor).await?;
        let (lo, hi) = period(from, to);
        let mut pairs: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        let mut degree: BTreeMap<&str, usize> = BTreeMap::new();
        let mut counted = 0;
        for e in events(&data) {
            if !(lo..=hi).contains(&seconds(e.start, e.zone)) {
                continue;
            }
            counted += 1;
            let people: BTreeSet<&str> = e.people.iter().copied().collect();
            for a in &people {
                for b in people
                    .range::<&str, _>((std::ops::Bound::Excluded(a), std::ops::Bound::Unbounded))
                {
                    *pairs.entry((a, b)).or_default() += 1;
                }
            }
        }
        for ((a, b), n) in &pairs {
            *degree.entry(a).or_default() += n;
            *degree.entry(b).or_default() += n;
        }
        let mut people: Vec<(&str, usize)> = degree.into_iter().collect();
        people.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
        people.truncate(MAX_NODES);
        people.sort_by(|x, y| x.0.cmp(y.0));
        let index: BTreeMap<&str, usize> = people
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (*p, i))
            .collect();
        let nodes = people
            .iter()
            .map(|(p, _)| {
                let person = find(&data.people, *p);
                let org = person.and_then(|x| find(&data.organizations, x.organization.as_str()));
                NetworkNode {
                    person: p.to_string(),
                    name: person.map_or(p.to_string(), |x| x.name.clone()),
                    organization: org.map_or(String::new(), |o| o.name.clone()),
                    nation: org.map_or(String::new(), |o| o.nation.clone()),
                }
            })
            .collect();
        let edges = pairs
            .into_iter()
            .filter_map(|((a, b), times)| {
                Some(NetworkEdge {
                    a: *index.get(a)?,
                    b: *index.get(b)?,
                    times,
                })
            })
            .collect();
        Ok(Network {
            nodes,
            edges,
            events: counted,
        })
    }
}
