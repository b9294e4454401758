//! Whether a proposed consortium may apply to an instrument: every rule it breaks, with the
//! numbers, and the conditions its partners take part on.
//!
//! A member is an organization; its country is the organization's nation. A country is
//! *eligible* when it is one of the rules' eligible nations or a member of one of their blocs
//! on the bloc's day (or the day of the check); with no eligible countries named, every country
//! is. A country that is not eligible may be a *partner* (named the same way), whose entities
//! take part on the instrument's conditions (`partners_may`). A member's share of the
//! component cost is given in percent; when none is given, equal shares are assumed and the
//! report says so. The cost's origin is read as the member's country.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Countries, Instrument, Rules};
use crate::day::Day;
use crate::import::Problem;
use crate::model::Dataset;

/// Most members a consortium check takes.
pub const MAX_MEMBERS: usize = 500;

/// How a member's country stands under the rules.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    Eligible,
    Partner,
    /// Neither eligible nor a partner.
    Other,
}

/// One member as the check read it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberReport {
    pub organization: String,
    pub name: String,
    pub nation: String,
    pub standing: Standing,
    /// Its share of the component cost, in percent.
    pub share: f64,
}

/// A rule the consortium breaks: which (`min_entities`, `eligible`...), what was found and
/// what the rule asks.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    pub rule: &'static str,
    pub message: String,
}

/// The check's answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub instrument: String,
    /// The day bloc memberships were read on (unless a rule names its own).
    pub day: String,
    pub members: Vec<MemberReport>,
    pub breaches: Vec<Breach>,
    /// What partners may and may not do, for each partner member.
    pub conditions: Vec<String>,
    /// No shares were given: each member was taken to bear an equal share.
    pub equal_shares_assumed: bool,
    pub eligible: bool,
}

/// Whether `nation` is among `countries` on `day` (a bloc's own day when it names one).
fn among(data: &Dataset, countries: &Countries, nation: &str, day: Day) -> bool {
    countries.nations.iter().any(|n| n == nation)
        || countries.blocs.iter().any(|b| {
            let on =
                b.on.as_deref()
                    .and_then(|d| Day::parse(d).or_else(|| Day::first_of(d)))
                    .unwrap_or(day);
            data.blocs
                .iter()
                .find(|x| x.code == b.bloc)
                .is_some_and(|x| x.members.iter().any(|m| m.nation == nation && m.on(on)))
        })
}

fn named(c: &Countries) -> bool {
    !c.blocs.is_empty() || !c.nations.is_empty()
}

/// How `nation` stands under `rules` on `day`: eligible (every country is when the rules name
/// none), a partner, or neither.
pub fn standing(data: &Dataset, rules: &Rules, nation: &str, day: Day) -> Standing {
    if !named(&rules.eligible) || among(data, &rules.eligible, nation, day) {
        Standing::Eligible
    } else if among(data, &rules.partners, nation, day) {
        Standing::Partner
    } else {
        Standing::Other
    }
}

/// Rounds a percentage for messages: `35`, `33.3`.
fn pct(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}%")
    } else {
        format!("{r:.1}%")
    }
}

/// Checks a consortium of `members` (organization ids, each with its share of the component
/// cost in percent or none) against `instrument`'s rules on `day`, in `data` (the reader's
/// view). Bad input — no member, an unknown or repeated organization, a share outside 0–100,
/// shares for some members only or not adding up to 100 — is refused with every problem
/// located (`members[2]`); a consortium that breaks rules is a report with `eligible: false`.
pub fn check(
    data: &Dataset,
    instrument: &Instrument,
    members: &[(String, Option<f64>)],
    day: Day,
) -> Result<Report, Vec<Problem>> {
    let mut problems = Vec::new();
    if members.is_empty() {
        problems.push(Problem::new("members", "give at least one member"));
    }
    if members.len() > MAX_MEMBERS {
        problems.push(Problem::new(
            "members",
            format!("{} members; at most {MAX_MEMBERS}", members.len()),
        ));
        return Err(problems);
    }
    let mut seen = BTreeSet::new();
    let mut orgs = Vec::new();
    for (i, (id, share)) in members.iter().enumerate() {
        let at = format!("members[{i}]");
        if !seen.insert(id.as_str()) {
            problems.push(Problem::new(
                &at,
                format!("organization \"{id}\" listed twice"),
            ));
        }
        match data.organizations.iter().find(|o| o.id == *id) {
            Some(o) => orgs.push(o),
            None => problems.push(Problem::new(&at, format!("unknown organization \"{id}\""))),
        }
        if let Some(s) = share {
            if !s.is_finite() || !(0.0..=100.0).contains(s) {
                problems.push(Problem::new(
                    format!("{at}.share"),
                    format!("{s} is not a percentage (0 to 100)"),
                ));
            }
        }
    }
    let given = members.iter().filter(|(_, s)| s.is_some()).count();
    if given > 0 && given < members.len() {
        problems.push(Problem::new(
            "members",
            "give every member's share of the component cost, or none (equal shares)",
        ));
    } else if given > 0 {
        let total: f64 = members.iter().filter_map(|(_, s)| *s).sum();
        if (total - 100.0).abs() > 0.01 {
            problems.push(Problem::new(
                "members",
                format!("the shares add up to {}, not 100%", pct(total)),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let r = &instrument.rules;
    let equal = given == 0;
    let n = members.len().max(1) as f64;
    let reports: Vec<MemberReport> = orgs
        .iter()
        .zip(members)
        .map(|(o, (_, share))| {
            let standing = standing(data, r, &o.nation, day);
            MemberReport {
                organization: o.id.clone(),
                name: o.name.clone(),
                nation: o.nation.clone(),
                standing,
                share: share.unwrap_or(100.0 / n),
            }
        })
        .collect();

    let mut breaches = Vec::new();
    let mut conditions = Vec::new();
    for m in &reports {
        match m.standing {
            Standing::Other => breaches.push(Breach {
                rule: "eligible",
                message: format!(
                    "{} ({}) is from a country neither eligible nor a partner",
                    m.organization, m.nation
                ),
            }),
            Standing::Partner => {
                let may = r.partners_may.unwrap_or(super::PartnersMay {
                    join: false,
                    receive_funds: false,
                });
                if may.join {
                    conditions.push(format!(
                        "{} ({}) takes part as a partner{}",
                        m.organization,
                        m.nation,
                        if may.receive_funds {
                            ", and may receive funds"
                        } else {
                            ": it may join but receives no funds"
                        }
                    ));
                } else {
                    breaches.push(Breach {
                        rule: "partners_may",
                        message: format!(
                            "{} ({}) is from a partner country, whose entities may not join",
                            m.organization, m.nation
                        ),
                    });
                }
            }
            Standing::Eligible => {}
        }
    }
    let eligible: Vec<&MemberReport> = reports
        .iter()
        .filter(|m| m.standing == Standing::Eligible)
        .collect();
    if let Some(min) = r.min_entities {
        if (eligible.len() as u64) < u64::from(min) {
            breaches.push(Breach {
                rule: "min_entities",
                message: format!(
                    "{} entities from eligible countries; at least {min} needed",
                    eligible.len()
                ),
            });
        }
    }
    if let Some(min) = r.min_countries {
        let countries: BTreeSet<&str> = eligible.iter().map(|m| m.nation.as_str()).collect();
        if (countries.len() as u64) < u64::from(min) {
            breaches.push(Breach {
                rule: "min_countries",
                message: format!(
                    "{} distinct eligible countries ({}); at least {min} needed",
                    countries.len(),
                    countries.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    if let Some(max) = r.max_non_eligible_share {
        let mut by_nation: BTreeMap<&str, f64> = BTreeMap::new();
        for m in reports.iter().filter(|m| m.standing != Standing::Eligible) {
            *by_nation.entry(m.nation.as_str()).or_default() += m.share;
        }
        let total: f64 = by_nation.values().sum();
        if total > max + 1e-9 {
            let parts: Vec<String> = by_nation
                .iter()
                .map(|(n, s)| format!("{n} {}", pct(*s)))
                .collect();
            breaches.push(Breach {
                rule: "max_non_eligible_share",
                message: format!(
                    "{} of the component cost from non-eligible origins ({}); at most {}",
                    pct(total),
                    parts.join(", "),
                    pct(max)
                ),
            });
        }
    }
    Ok(Report {
        instrument: instrument.id.clone(),
        day: day.to_string(),
        eligible: breaches.is_empty(),
        members: reports,
        breaches,
        conditions,
        equal_shares_assumed: equal,
    })
}
