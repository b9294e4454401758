//! What the index holds of each record (its name, its ids and codes, the rest), and how a hit
//! reads: title, subtitle and the URL of its page.

use defcoop_domain::label::Label;
use defcoop_domain::model::{Dataset, Kind};

use super::index::Entry;
use crate::readmodel::find;

/// A record's texts as indexed.
pub struct Texts {
    /// Its name (and native name).
    pub title: String,
    /// Its key, codes, aliases, designations, tags.
    pub ids: String,
    /// What else describes it: kind, category, nations and organizations by name.
    pub body: String,
}

/// How a hit reads.
pub struct Described<'a> {
    pub key: String,
    pub title: String,
    pub subtitle: String,
    pub url: String,
    pub label: Option<&'a Label>,
}

fn nation<'a>(data: &'a Dataset, code: &'a str) -> &'a str {
    find(&data.nations, code).map_or(code, |n| n.name.as_str())
}

fn organization<'a>(data: &'a Dataset, id: &'a str) -> &'a str {
    find(&data.organizations, id).map_or(id, |o| o.name.as_str())
}

pub(super) fn person<'a>(data: &'a Dataset, id: &'a str) -> &'a str {
    find(&data.people, id).map_or(id, |p| p.name.as_str())
}

fn domain<'a>(data: &'a Dataset, code: &'a str) -> &'a str {
    find(&data.domains, code).map_or(code, |d| d.name.as_str())
}

fn system<'a>(data: &'a Dataset, id: &'a str) -> &'a str {
    find(&data.systems, id).map_or(id, |s| s.name.as_str())
}

/// A transfer party: a nation's name, or the actor's own name.
fn party<'a>(data: &'a Dataset, name: &'a str, state: bool) -> &'a str {
    if state {
        nation(data, name)
    } else {
        name
    }
}

/// Percent-encodes one path segment (RFC 3986 unreserved characters stay).
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(super) fn url(kind: Kind, key: &str) -> String {
    format!("/{}/{}", kind.array(), segment(key))
}

pub(super) fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// At most this many characters of a long text (a profile's description) are indexed.
const MAX_BODY_CHARS: usize = 2_000;

pub(super) fn short(s: &str) -> &str {
    match s.char_indices().nth(MAX_BODY_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A kebab code as words (`self-propelled-howitzer` → `self propelled howitzer`).
fn words(code: &str) -> String {
    code.replace('-', " ")
}

/// The texts of one record. An entry always points into `data` (it was made from it); a
/// stale one gives empty texts.
pub fn texts(data: &Dataset, e: Entry) -> Texts {
    if e.kind.is_document() {
        return super::workspace::texts(data, e);
    }
    let (title, ids, body): (String, Vec<&str>, Vec<String>) = match e.kind {
        Kind::Policy => match data.policies.get(e.at) {
            Some(p) => (p.id.clone(), vec![&p.id], p.classifications.clone()),
            None => Default::default(),
        },
        Kind::Nation => match data.nations.get(e.at) {
            Some(n) => (n.name.clone(), vec![&n.code], vec![]),
            None => Default::default(),
        },
        Kind::Bloc => match data.blocs.get(e.at) {
            Some(b) => (
                b.name.clone(),
                vec![&b.code],
                b.kind.map(|k| k.as_str().to_string()).into_iter().collect(),
            ),
            None => Default::default(),
        },
        Kind::Organization => match data.organizations.get(e.at) {
            Some(o) => {
                let mut ids = vec![o.id.as_str()];
                ids.extend(o.ncage.as_deref());
                (
                    o.name.clone(),
                    ids,
                    vec![words(o.kind.as_str()), nation(data, &o.nation).to_string()],
                )
            }
            None => Default::default(),
        },
        Kind::Person => match data.people.get(e.at) {
            Some(p) => (
                format!("{} {}", p.name, p.name_native.as_deref().unwrap_or("")),
                vec![&p.id],
                vec![
                    p.title.clone(),
                    organization(data, &p.organization).to_string(),
                ],
            ),
            None => Default::default(),
        },
        Kind::Domain => match data.domains.get(e.at) {
            Some(d) => (d.name.clone(), vec![&d.code], vec![]),
            None => Default::default(),
        },
        Kind::Standard => match data.standards.get(e.at) {
            Some(s) => {
                let mut ids = vec![s.id.as_str()];
                ids.extend(s.aliases.iter().map(String::as_str));
                ids.extend(s.tag.as_deref());
                (
                    s.title.clone(),
                    ids,
                    vec![
                        s.body.clone(),
                        domain(data, &s.domain).to_string(),
                        s.version.clone().unwrap_or_default(),
                    ],
                )
            }
            None => Default::default(),
        },
        Kind::Profile => match data.profiles.get(e.at) {
            Some(p) => (
                p.title.clone(),
                vec![&p.id],
                vec![
                    p.kind.as_str().to_string(),
                    short(p.description.as_deref().unwrap_or("")).to_string(),
                ],
            ),
            None => Default::default(),
        },
        Kind::System => match data.systems.get(e.at) {
            Some(s) => {
                let mut ids = vec![s.id.as_str()];
                ids.extend(s.aliases.iter().map(String::as_str));
                (
                    s.name.clone(),
                    ids,
                    vec![
                        words(&s.category),
                        nation(data, &s.origin).to_string(),
                        s.producer
                            .as_deref()
                            .map(|p| organization(data, p).to_string())
                            .unwrap_or_default(),
                    ],
                )
            }
            None => Default::default(),
        },
        Kind::Conformance => match data.conformances.get(e.at) {
            Some(c) => (
                system(data, &c.system).to_string(),
                vec![&c.system, &c.standard],
                vec![
                    c.status.as_str().to_string(),
                    short(c.evidence.as_deref().unwrap_or("")).to_string(),
                ],
            ),
            None => Default::default(),
        },
        Kind::Gateway => match data.gateways.get(e.at) {
            Some(g) => (
                g.name.clone(),
                vec![&g.id, &g.from, &g.to],
                vec![
                    domain(data, &g.domain).to_string(),
                    g.fidelity.as_str().to_string(),
                    g.status.as_str().to_string(),
                ],
            ),
            None => Default::default(),
        },
        Kind::Transfer => match data.transfers.get(e.at) {
            Some(t) => (
                t.designation.clone(),
                vec![&t.id],
                vec![
                    party(data, &t.supplier, t.supplier_kind.is_state()).to_string(),
                    party(data, &t.recipient, t.recipient_kind.is_state()).to_string(),
                    words(&t.category),
                    short(t.description.as_deref().unwrap_or("")).to_string(),
                    t.sipri_id.map(|n| n.to_string()).unwrap_or_default(),
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

/// How one record reads as a hit.
pub fn describe(data: &Dataset, e: Entry) -> Option<Described<'_>> {
    if e.kind.is_document() {
        return super::workspace::describe(data, e);
    }
    Some(match e.kind {
        Kind::Policy => {
            let p = data.policies.get(e.at)?;
            Described {
                key: p.id.clone(),
                title: p.id.clone(),
                subtitle: p.classifications.join(" < "),
                url: url(e.kind, &p.id),
                label: None,
            }
        }
        Kind::Nation => {
            let n = data.nations.get(e.at)?;
            Described {
                key: n.code.clone(),
                title: n.name.clone(),
                subtitle: n.code.clone(),
                url: url(e.kind, &n.code),
                label: n.label.as_ref(),
            }
        }
        Kind::Bloc => {
            let b = data.blocs.get(e.at)?;
            Described {
                key: b.code.clone(),
                title: b.name.clone(),
                subtitle: join(&[&b.code, b.kind.map_or("", |k| k.as_str())]),
                url: url(e.kind, &b.code),
                label: b.label.as_ref(),
            }
        }
        Kind::Organization => {
            let o = data.organizations.get(e.at)?;
            Described {
                key: o.id.clone(),
                title: o.name.clone(),
                subtitle: join(&[o.kind.as_str(), nation(data, &o.nation)]),
                url: url(e.kind, &o.id),
                label: o.label.as_ref(),
            }
        }
        Kind::Person => {
            let p = data.people.get(e.at)?;
            Described {
                key: p.id.clone(),
                title: match &p.name_native {
                    Some(native) => format!("{} ({native})", p.name),
                    None => p.name.clone(),
                },
                subtitle: join(&[&p.title, organization(data, &p.organization)]),
                url: url(e.kind, &p.id),
                label: p.label.as_ref(),
            }
        }
        Kind::Domain => {
            let d = data.domains.get(e.at)?;
            Described {
                key: d.code.clone(),
                title: d.name.clone(),
                subtitle: d.code.clone(),
                url: url(e.kind, &d.code),
                label: d.label.as_ref(),
            }
        }
        Kind::Standard => {
            let s = data.standards.get(e.at)?;
            Described {
                key: s.id.clone(),
                title: s.title.clone(),
                subtitle: join(&[&s.id, &s.body, domain(data, &s.domain)]),
                url: url(e.kind, &s.id),
                label: s.label.as_ref(),
            }
        }
        Kind::Profile => {
            let p = data.profiles.get(e.at)?;
            Described {
                key: p.id.clone(),
                title: p.title.clone(),
                subtitle: join(&[&p.id, p.kind.as_str()]),
                url: url(e.kind, &p.id),
                label: p.label.as_ref(),
            }
        }
        Kind::System => {
            let s = data.systems.get(e.at)?;
            Described {
                key: s.id.clone(),
                title: s.name.clone(),
                subtitle: join(&[
                    &s.id,
                    &s.category,
                    nation(data, &s.origin),
                    s.producer.as_deref().map_or("", |p| organization(data, p)),
                ]),
                url: url(e.kind, &s.id),
                label: s.label.as_ref(),
            }
        }
        Kind::Conformance => {
            let c = data.conformances.get(e.at)?;
            Described {
                key: format!("{}/{}", c.system, c.standard),
                title: format!("{} — {}", system(data, &c.system), c.standard),
                subtitle: c.status.as_str().to_string(),
                url: format!(
                    "/conformances/{}/{}",
                    segment(&c.system),
                    segment(&c.standard)
                ),
                label: c.label.as_ref(),
            }
        }
        Kind::Gateway => {
            let g = data.gateways.get(e.at)?;
            Described {
                key: g.id.clone(),
                title: g.name.clone(),
                subtitle: join(&[
                    &format!(
                        "{} {} {}",
                        g.from,
                        if g.bidirectional { "↔" } else { "→" },
                        g.to
                    ),
                    domain(data, &g.domain),
                    g.status.as_str(),
                ]),
                url: url(e.kind, &g.id),
                label: g.label.as_ref(),
            }
        }
        Kind::Transfer => {
            let t = data.transfers.get(e.at)?;
            let ordered = t.ordered.map(|y| y.to_string()).unwrap_or_default();
            Described {
                key: t.id.clone(),
                title: t.designation.clone(),
                subtitle: join(&[
                    &format!(
                        "{} → {}",
                        party(data, &t.supplier, t.supplier_kind.is_state()),
                        party(data, &t.recipient, t.recipient_kind.is_state())
                    ),
                    &ordered,
                    &t.category,
                ]),
                url: url(e.kind, &t.id),
                label: t.label.as_ref(),
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(segment("k9"), "k9");
        assert_eq!(segment("STANAG-4425"), "STANAG-4425");
        assert_eq!(segment("a/b c"), "a%2Fb%20c");
        assert_eq!(segment("석"), "%EC%84%9D");
    }
}
