//! What the index holds of the workspace's records, and how their hits read.

use defcoop_domain::model::{Dataset, Kind};

use super::describe::{join, person, short, url, Described, Texts};
use super::index::Entry;
use crate::readmodel::find;

fn area_name<'a>(data: &'a Dataset, id: &'a str) -> &'a str {
    find(&data.capability_areas, id).map_or(id, |a| a.name.as_str())
}

/// A need's or an offer's texts: its title, id, and description, keywords and area.
fn wanted<'a>(
    data: &'a Dataset,
    id: &'a str,
    title: &str,
    description: Option<&str>,
    keywords: &[String],
    area: &'a str,
) -> (String, Vec<&'a str>, Vec<String>) {
    let mut body = vec![
        short(description.unwrap_or("")).to_string(),
        area_name(data, area).to_string(),
    ];
    body.extend(keywords.iter().map(|k| short(k).to_string()));
    (title.to_string(), vec![id], body)
}

fn meeting_title<'a>(data: &'a Dataset, id: &'a str) -> &'a str {
    find(&data.meetings, id).map_or(id, |m| m.title.as_str())
}

/// The texts of one workspace record (an entry of another kind gives empty texts).
pub(super) fn texts(data: &Dataset, e: Entry) -> Texts {
    let (title, ids, body): (String, Vec<&str>, Vec<String>) = match e.kind {
        Kind::Body => match data.bodies.get(e.at) {
            Some(b) => (
                b.name.clone(),
                vec![&b.id],
                b.description.iter().map(|d| short(d).to_string()).collect(),
            ),
            None => Default::default(),
        },
        Kind::Meeting => match data.meetings.get(e.at) {
            Some(m) => {
                let mut body = vec![
                    m.place.clone().unwrap_or_default(),
                    m.start.clone(),
                    m.status.as_str().to_string(),
                ];
                body.extend(m.agenda.iter().map(|a| a.title.clone()));
                body.extend(
                    m.participants
                        .iter()
                        .map(|p| person(data, &p.person).to_string()),
                );
                (m.title.clone(), vec![&m.id], body)
            }
            None => Default::default(),
        },
        Kind::Minutes => match data.minutes.get(e.at) {
            Some(m) => (
                format!("{} ({})", meeting_title(data, &m.meeting), m.version),
                vec![&m.id],
                vec![m.status.as_str().to_string(), short(&m.text).to_string()],
            ),
            None => Default::default(),
        },
        Kind::Proposal => match data.proposals.get(e.at) {
            Some(p) => (
                p.title.clone(),
                vec![&p.id],
                vec![
                    short(p.summary.as_deref().unwrap_or("")).to_string(),
                    p.status.as_str().to_string(),
                ],
            ),
            None => Default::default(),
        },
        Kind::Decision => match data.decisions.get(e.at) {
            Some(d) => (
                short(&d.text).to_string(),
                vec![&d.id],
                vec![meeting_title(data, &d.meeting).to_string()],
            ),
            None => Default::default(),
        },
        Kind::ActionItem => match data.action_items.get(e.at) {
            Some(a) => {
                let mut ids = vec![a.id.as_str()];
                ids.extend(a.plan_action.as_deref());
                (
                    a.title.clone(),
                    ids,
                    vec![a.due.clone(), a.status.as_str().to_string()],
                )
            }
            None => Default::default(),
        },
        Kind::Engagement => match data.engagements.get(e.at) {
            Some(g) => {
                let mut body = vec![g.place.clone().unwrap_or_default(), g.start.clone()];
                body.extend(g.participants.iter().map(|p| person(data, p).to_string()));
                body.extend(g.topics.iter().map(|t| short(t).to_string()));
                body.extend(g.outcomes.iter().map(|t| short(t).to_string()));
                (g.title.clone(), vec![&g.id], body)
            }
            None => Default::default(),
        },
        Kind::Document => match data.documents.get(e.at) {
            Some(d) => {
                let mut body = vec![
                    d.issued.clone(),
                    short(d.summary.as_deref().unwrap_or("")).to_string(),
                ];
                body.extend(d.topics.iter().map(|t| short(t).to_string()));
                (d.title.clone(), vec![&d.id], body)
            }
            None => Default::default(),
        },
        Kind::CapabilityArea => match data.capability_areas.get(e.at) {
            Some(a) => {
                let mut title = a.name.clone();
                if let Some(ko) = &a.name_ko {
                    title.push(' ');
                    title.push_str(ko);
                }
                (
                    title,
                    vec![&a.id],
                    a.description.iter().map(|d| short(d).to_string()).collect(),
                )
            }
            None => Default::default(),
        },
        Kind::Need => match data.needs.get(e.at) {
            Some(n) => wanted(
                data,
                &n.id,
                &n.title,
                n.description.as_deref(),
                &n.keywords,
                &n.area,
            ),
            None => Default::default(),
        },
        Kind::Offer => match data.offers.get(e.at) {
            Some(n) => wanted(
                data,
                &n.id,
                &n.title,
                n.description.as_deref(),
                &n.keywords,
                &n.area,
            ),
            None => Default::default(),
        },
        Kind::Instrument => match data.instruments.get(e.at) {
            Some(i) => (
                i.name.clone(),
                vec![&i.id],
                vec![
                    i.kind.as_str().to_string(),
                    short(i.description.as_deref().unwrap_or("")).to_string(),
                ],
            ),
            None => Default::default(),
        },
        _ => Default::default(),
    };
    Texts {
        title,
        ids: ids.join(" "),
        body: body.join(" \n "),
    }
}

/// How one workspace record reads as a hit.
pub(super) fn describe(data: &Dataset, e: Entry) -> Option<Described<'_>> {
    let d = |key: &str, title: String, subtitle: String, label| Described {
        key: key.to_string(),
        title,
        subtitle,
        url: url(e.kind, key),
        label,
    };
    Some(match e.kind {
        Kind::Body => {
            let b = data.bodies.get(e.at)?;
            d(&b.id, b.name.clone(), String::new(), b.label.as_ref())
        }
        Kind::Meeting => {
            let m = data.meetings.get(e.at)?;
            let when = format!("{} {}", m.start.replace('T', " "), m.time_zone);
            let place = m.place.clone().unwrap_or_default();
            d(
                &m.id,
                m.title.clone(),
                join(&[&when, &place, m.status.as_str()]),
                m.label.as_ref(),
            )
        }
        Kind::Minutes => {
            let m = data.minutes.get(e.at)?;
            d(
                &m.id,
                meeting_title(data, &m.meeting).to_string(),
                join(&[&format!("v{}", m.version), m.status.as_str()]),
                m.label.as_ref(),
            )
        }
        Kind::Proposal => {
            let p = data.proposals.get(e.at)?;
            d(
                &p.id,
                p.title.clone(),
                p.status.as_str().to_string(),
                p.label.as_ref(),
            )
        }
        Kind::Decision => {
            let x = data.decisions.get(e.at)?;
            d(
                &x.id,
                short(&x.text).to_string(),
                meeting_title(data, &x.meeting).to_string(),
                x.label.as_ref(),
            )
        }
        Kind::ActionItem => {
            let a = data.action_items.get(e.at)?;
            d(
                &a.id,
                a.title.clone(),
                join(&[&a.due, a.status.as_str()]),
                a.label.as_ref(),
            )
        }
        Kind::Engagement => {
            let g = data.engagements.get(e.at)?;
            let place = g.place.clone().unwrap_or_default();
            d(
                &g.id,
                g.title.clone(),
                join(&[&g.start.replace('T', " "), &place]),
                g.label.as_ref(),
            )
        }
        Kind::Document => {
            let x = data.documents.get(e.at)?;
            d(&x.id, x.title.clone(), x.issued.clone(), x.label.as_ref())
        }
        Kind::CapabilityArea => {
            let x = data.capability_areas.get(e.at)?;
            d(
                &x.id,
                x.name.clone(),
                x.name_ko.clone().unwrap_or_default(),
                x.label.as_ref(),
            )
        }
        Kind::Need => {
            let x = data.needs.get(e.at)?;
            d(
                &x.id,
                x.title.clone(),
                area_name(data, &x.area).to_string(),
                x.label.as_ref(),
            )
        }
        Kind::Offer => {
            let x = data.offers.get(e.at)?;
            d(
                &x.id,
                x.title.clone(),
                area_name(data, &x.area).to_string(),
                x.label.as_ref(),
            )
        }
        Kind::Instrument => {
            let x = data.instruments.get(e.at)?;
            d(
                &x.id,
                x.name.clone(),
                x.kind.as_str().to_string(),
                x.label.as_ref(),
            )
        }
        _ => return None,
    })
}
