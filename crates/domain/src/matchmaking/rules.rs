//! The rules matchmaking's records follow on their own, and what they name, as the
//! workspace's do (`workspace::rules::Record`): an import reports each problem at its field.

use std::collections::HashSet;

use super::*;
use crate::model::Kind;
use crate::workspace::rules::{
    count_issue, duplicates, id_issues, issue, reference, text_issue, Issue, Record, Ref,
};

fn optional_text(field: &str, value: Option<&String>, out: &mut Vec<Issue>) {
    if let Some(v) = value {
        text_issue(field, v, out);
    }
}

fn date_issue(field: &str, value: &str, out: &mut Vec<Issue>) {
    if let Err(e) = crate::import::date_or_year(value.trim()) {
        out.push(issue(field, e));
    }
}

fn texts(field: &str, list: &[String], out: &mut Vec<Issue>) {
    count_issue(field, list.len(), out);
    for (i, t) in list.iter().enumerate() {
        text_issue(&format!("{field}[{i}]"), t, out);
    }
}

/// The rules of a need or an offer (they have the same fields).
#[allow(clippy::too_many_arguments)]
fn wanted_or_offered(
    id: &str,
    title: &str,
    description: Option<&String>,
    keywords: &[String],
    trl: Option<Trl>,
    owner: &Party,
    timeframe: Option<&Timeframe>,
    systems: &[String],
    standards: &[String],
) -> Vec<Issue> {
    let mut out = Vec::new();
    id_issues(id, &mut out);
    text_issue("title", title, &mut out);
    optional_text("description", description, &mut out);
    texts("keywords", keywords, &mut out);
    let mut seen = HashSet::new();
    for (i, k) in keywords.iter().enumerate() {
        if !seen.insert(k.trim().to_lowercase()) {
            out.push(issue(
                format!("keywords[{i}]"),
                format!("keyword \"{}\" listed twice", k.trim()),
            ));
        }
    }
    if let Some(t) = trl {
        for (field, level) in [("trl.min", t.min), ("trl.max", t.max)] {
            if !(1..=9).contains(&level) {
                out.push(issue(
                    field,
                    format!("{level} is not a technology readiness level (1 to 9)"),
                ));
            }
        }
        if t.max < t.min {
            out.push(issue(
                "trl.max",
                format!(
                    "{} is below the lowest level of the range ({})",
                    t.max, t.min
                ),
            ));
        }
    }
    owner_issues(owner, &mut out);
    if let Some(tf) = timeframe {
        if let Some(f) = &tf.from {
            date_issue("timeframe.from", f, &mut out);
        }
        if let Some(t) = &tf.to {
            date_issue("timeframe.to", t, &mut out);
        }
        let from = tf.from.as_deref().and_then(crate::day::Day::first_of);
        let to = tf.to.as_deref().and_then(crate::day::Day::last_of);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                out.push(issue(
                    "timeframe.to",
                    format!(
                        "ends ({}) before it starts ({})",
                        tf.to.as_deref().unwrap_or_default(),
                        tf.from.as_deref().unwrap_or_default()
                    ),
                ));
            }
        }
    }
    for (field, list, what) in [
        ("systems", systems, "system"),
        ("standards", standards, "standard"),
    ] {
        count_issue(field, list.len(), &mut out);
        duplicates(field, list.iter().map(String::as_str), what, &mut out);
    }
    out
}

fn owner_issues(owner: &Party, out: &mut Vec<Issue>) {
    let given = [&owner.bloc, &owner.nation, &owner.organization]
        .iter()
        .filter(|x| x.is_some())
        .count();
    match given {
        0 => out.push(issue("owner", "give a bloc, a nation or an organization")),
        1 => {}
        _ => out.push(issue(
            "owner",
            "give one of bloc, nation and organization, not several",
        )),
    }
}

fn owner_refs(owner: &Party, out: &mut Vec<Ref>) {
    if let Some(b) = &owner.bloc {
        out.push(reference("owner.bloc", Kind::Bloc, b));
    }
    if let Some(n) = &owner.nation {
        out.push(reference("owner.nation", Kind::Nation, n));
    }
    if let Some(o) = &owner.organization {
        out.push(reference("owner.organization", Kind::Organization, o));
    }
}

fn listed_refs(area: &str, systems: &[String], standards: &[String]) -> Vec<Ref> {
    let mut out = vec![reference("area", Kind::CapabilityArea, area)];
    for (i, s) in systems.iter().enumerate() {
        out.push(reference(format!("systems[{i}]"), Kind::System, s));
    }
    for (i, s) in standards.iter().enumerate() {
        out.push(reference(format!("standards[{i}]"), Kind::Standard, s));
    }
    out
}

impl Record for CapabilityArea {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("name", &self.name, &mut out);
        optional_text("name_ko", self.name_ko.as_ref(), &mut out);
        optional_text("description", self.description.as_ref(), &mut out);
        out
    }
    fn refs(&self) -> Vec<Ref> {
        Vec::new()
    }
}

impl Record for Need {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        wanted_or_offered(
            &self.id,
            &self.title,
            self.description.as_ref(),
            &self.keywords,
            self.trl,
            &self.owner,
            self.timeframe.as_ref(),
            &self.systems,
            &self.standards,
        )
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = listed_refs(&self.area, &self.systems, &self.standards);
        owner_refs(&self.owner, &mut out);
        out
    }
}

impl Record for Offer {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        wanted_or_offered(
            &self.id,
            &self.title,
            self.description.as_ref(),
            &self.keywords,
            self.trl,
            &self.owner,
            self.timeframe.as_ref(),
            &self.systems,
            &self.standards,
        )
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = listed_refs(&self.area, &self.systems, &self.standards);
        owner_refs(&self.owner, &mut out);
        out
    }
}

fn countries_issues(field: &str, c: &Countries, out: &mut Vec<Issue>) {
    count_issue(&format!("{field}.blocs"), c.blocs.len(), out);
    count_issue(&format!("{field}.nations"), c.nations.len(), out);
    duplicates(
        &format!("{field}.nations"),
        c.nations.iter().map(String::as_str),
        "nation",
        out,
    );
    let mut seen = HashSet::new();
    for (i, b) in c.blocs.iter().enumerate() {
        if let Some(on) = &b.on {
            date_issue(&format!("{field}.blocs[{i}].on"), on, out);
        }
        if !seen.insert((b.bloc.as_str(), b.on.as_deref())) {
            out.push(issue(
                format!("{field}.blocs[{i}]"),
                format!("bloc \"{}\" listed twice", b.bloc),
            ));
        }
    }
}

fn countries_refs(field: &str, c: &Countries, out: &mut Vec<Ref>) {
    for (i, b) in c.blocs.iter().enumerate() {
        out.push(reference(
            format!("{field}.blocs[{i}].bloc"),
            Kind::Bloc,
            &b.bloc,
        ));
    }
    for (i, n) in c.nations.iter().enumerate() {
        out.push(reference(format!("{field}.nations[{i}]"), Kind::Nation, n));
    }
}

impl Record for Instrument {
    fn id(&self) -> &str {
        &self.id
    }
    fn issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        id_issues(&self.id, &mut out);
        text_issue("name", &self.name, &mut out);
        optional_text("description", self.description.as_ref(), &mut out);
        texts("unconfirmed", &self.unconfirmed, &mut out);
        let r = &self.rules;
        for (field, n) in [
            ("rules.min_entities", r.min_entities),
            ("rules.min_countries", r.min_countries),
        ] {
            if n == Some(0) {
                out.push(issue(field, "give at least 1, or leave the rule out"));
            }
        }
        if let (Some(c), Some(e)) = (r.min_countries, r.min_entities) {
            if c > e {
                out.push(issue(
                    "rules.min_countries",
                    format!(
                        "{c} distinct countries need at least {c} entities, but min_entities \
                         is {e}: the rules contradict each other"
                    ),
                ));
            }
        }
        if let Some(x) = r.max_non_eligible_share {
            if !x.is_finite() || !(0.0..=100.0).contains(&x) {
                out.push(issue(
                    "rules.max_non_eligible_share",
                    format!("{x} is not a percentage (0 to 100)"),
                ));
            }
        }
        countries_issues("rules.eligible", &r.eligible, &mut out);
        countries_issues("rules.partners", &r.partners, &mut out);
        let eligible_named = !r.eligible.blocs.is_empty() || !r.eligible.nations.is_empty();
        let partners_named = !r.partners.blocs.is_empty() || !r.partners.nations.is_empty();
        if partners_named && !eligible_named {
            out.push(issue(
                "rules.partners",
                "partners are third countries: name the eligible countries first \
                 (without them every country is eligible)",
            ));
        }
        if partners_named && r.partners_may.is_none() {
            out.push(issue(
                "rules.partners_may",
                "say what partners may do: {\"join\": true|false, \"receive_funds\": true|false}",
            ));
        }
        if !partners_named && r.partners_may.is_some() {
            out.push(issue("rules.partners_may", "no partners are named"));
        }
        for (i, n) in r.partners.nations.iter().enumerate() {
            if r.eligible.nations.contains(n) {
                out.push(issue(
                    format!("rules.partners.nations[{i}]"),
                    format!(
                        "nation \"{n}\" is both eligible and a partner: the rules contradict \
                         each other"
                    ),
                ));
            }
        }
        for (i, b) in r.partners.blocs.iter().enumerate() {
            if r.eligible.blocs.iter().any(|e| e.bloc == b.bloc) {
                out.push(issue(
                    format!("rules.partners.blocs[{i}]"),
                    format!(
                        "bloc \"{}\" is both eligible and a partner: the rules contradict each \
                         other",
                        b.bloc
                    ),
                ));
            }
        }
        if !eligible_named && r.max_non_eligible_share.is_some() {
            out.push(issue(
                "rules.max_non_eligible_share",
                "name the eligible countries: without them no origin is non-eligible",
            ));
        }
        out
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        countries_refs("rules.eligible", &self.rules.eligible, &mut out);
        countries_refs("rules.partners", &self.rules.partners, &mut out);
        out
    }
}
