//! The consortium builder as a use case: the organizations owning offers, each valued by its
//! best offer's match score for the need, built into the best consortia an instrument's rules
//! accept (`defcoop_domain::matchmaking::builder`), over the actor's view.

use defcoop_domain::matchmaking::builder::{self, Candidate, BUDGET};
use defcoop_domain::matchmaking::consortium::{standing, Standing};
use defcoop_domain::model::{Day, Kind};
use defcoop_domain::Problem;
use defcoop_store::Parts;
use serde::Serialize;

use super::matching::best_offer_by_organization;
use crate::readmodel::find;
use crate::{compute, Actor, App, AppError, Result};

/// A candidate as the builder read it.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub organization: String,
    pub name: String,
    pub nation: String,
    pub standing: Standing,
    /// Its best offer for the need, and that offer's match score.
    pub offer: String,
    pub score: f64,
}

/// One proposed consortium, its members best first.
#[derive(Debug, Clone, Serialize)]
pub struct Consortium {
    /// The sum of the members' scores.
    pub score: f64,
    pub members: Vec<Member>,
}

/// The builder's answer.
#[derive(Debug, Clone, Serialize)]
pub struct Built {
    pub need: String,
    pub instrument: String,
    pub day: String,
    pub size: usize,
    /// Organizations owning at least one offer the reader sees.
    pub candidates: usize,
    /// Those the rules allow at all.
    pub admissible: usize,
    /// Best first; ties go to the smaller list of member ids.
    pub consortia: Vec<Consortium>,
    /// Whether the search finished and every candidate was scored in full (the consortia are
    /// then exactly the best).
    pub exact: bool,
    /// When it did not: no consortium left unexamined scores above this.
    pub bound: Option<f64>,
    pub nodes: u64,
}

impl App {
    /// The best `top` consortia of `size` members (default: the instrument's minimum number
    /// of entities, else 3) for `need` that `instrument`'s rules accept on `on` (default
    /// today), with equal shares.
    pub async fn consortium_build(
        &self,
        actor: &Actor,
        need: &str,
        instrument: &str,
        size: Option<usize>,
        top: usize,
        on: Option<Day>,
    ) -> Result<Built> {
        let view = self.view(actor, Parts::All).await?;
        let data = view.data();
        let cut = |s: &str| crate::render::cut(s, 100).to_string();
        let at = data
            .needs
            .iter()
            .position(|n| n.id == need)
            .ok_or_else(|| {
                AppError::NotFound(format!("{} \"{}\"", Kind::Need.noun(), cut(need)))
            })?;
        let inst = find(&data.instruments, instrument).ok_or_else(|| {
            AppError::NotFound(format!(
                "{} \"{}\"",
                Kind::Instrument.noun(),
                cut(instrument)
            ))
        })?;
        let size = size.unwrap_or_else(|| inst.rules.min_entities.map_or(3, |m| m as usize));
        let mut problems = Vec::new();
        if !(1..=builder::MAX_SIZE).contains(&size) {
            problems.push(Problem::new(
                "size",
                format!("{size} is not between 1 and {}", builder::MAX_SIZE),
            ));
        }
        if !(1..=builder::MAX_TOP).contains(&top) {
            problems.push(Problem::new(
                "top",
                format!("{top} is not between 1 and {}", builder::MAX_TOP),
            ));
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let day = on.unwrap_or_else(|| self.today());
        let (need_id, instrument_id) = (need.to_string(), inst.id.clone());
        compute(move || {
            let data = view.data();
            let corpus = view.matching();
            let snap = view.engine();
            let (best, scored_exactly) = best_offer_by_organization(data, &corpus, &snap, at, day);
            let Some(inst) = find(&data.instruments, &instrument_id) else {
                return Err(AppError::Internal("the instrument left the view".into()));
            };
            let members: Vec<Member> = best
                .into_iter()
                .filter_map(|(org, m)| {
                    let o = find(&data.organizations, org.as_str())?;
                    Some(Member {
                        organization: o.id.clone(),
                        name: o.name.clone(),
                        nation: o.nation.clone(),
                        standing: standing(data, &inst.rules, &o.nation, day),
                        offer: m.id,
                        score: m.score,
                    })
                })
                .collect();
            let candidates: Vec<Candidate> = members
                .iter()
                .map(|m| Candidate {
                    organization: m.organization.clone(),
                    nation: m.nation.clone(),
                    standing: m.standing,
                    // Scores are rounded to tenths: tenths sum exactly.
                    value: (m.score * 10.0).round().clamp(0.0, 1000.0) as u32,
                })
                .collect();
            let built = builder::build(&inst.rules, &candidates, size, top, BUDGET)
                .map_err(|e| AppError::Invalid(vec![problem(&e)]))?;
            let consortia = built
                .proposals
                .iter()
                .map(|p| {
                    let mut ms: Vec<Member> =
                        p.members.iter().map(|&i| members[i].clone()).collect();
                    ms.sort_by(|a, b| {
                        b.score
                            .total_cmp(&a.score)
                            .then_with(|| a.organization.cmp(&b.organization))
                    });
                    Consortium {
                        score: p.score as f64 / 10.0,
                        members: ms,
                    }
                })
                .collect();
            Ok(Built {
                need: need_id,
                instrument: instrument_id,
                day: day.to_string(),
                size,
                candidates: candidates.len(),
                admissible: built.admissible,
                consortia,
                // Values short of a synergy part (the engine's run limit) make it inexact too.
                exact: built.exact && scored_exactly,
                bound: built.bound.map(|b| b as f64 / 10.0),
                nodes: built.nodes,
            })
        })
        .await
    }
}

/// The builder's `field: message` error as a located problem.
fn problem(e: &str) -> Problem {
    match e.split_once(": ") {
        Some((field, message)) => Problem::new(field, message),
        None => Problem::new("consortium", e),
    }
}
