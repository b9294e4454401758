//! Joint R&D matchmaking as use cases (docs/MATCHMAKING.md): matching needs and offers, and
//! checking a proposed consortium against a funding instrument's rules, over the actor's view.

pub mod brokerage;
pub mod build;
pub mod matching;
pub(crate) mod ranker;
pub mod text;

#[cfg(test)]
mod tests;

use defcoop_domain::matchmaking::consortium::{self, Report};
use defcoop_domain::model::{Day, Kind};
use defcoop_store::Parts;

use crate::readmodel::find;
use crate::{compute, Actor, App, AppError, Result};

use matching::{Matches, Side};

impl App {
    /// Every rule of `instrument` that a consortium of `members` (organization ids, each with
    /// its share of the component cost in percent, or none for equal shares) breaks, on `on`
    /// (default today): the reader's view decides which blocs' members and which organizations
    /// it knows, so an organization the actor may not see is unknown.
    pub async fn consortium_check(
        &self,
        actor: &Actor,
        instrument: &str,
        members: &[(String, Option<f64>)],
        on: Option<Day>,
    ) -> Result<Report> {
        let view = self.view(actor, Parts::Entities).await?;
        let data = view.data();
        let i = find(&data.instruments, instrument).ok_or_else(|| {
            AppError::NotFound(format!(
                "{} \"{}\"",
                Kind::Instrument.noun(),
                crate::render::cut(instrument, 100)
            ))
        })?;
        consortium::check(data, i, members, on.unwrap_or_else(|| self.today()))
            .map_err(AppError::Invalid)
    }

    /// What matching reads, in the actor's view (pages list its needs, offers and
    /// instruments, and mark what the answers draw on).
    pub async fn matchmaking_data(
        &self,
        actor: &Actor,
    ) -> Result<std::sync::Arc<defcoop_domain::model::Dataset>> {
        Ok(self.view(actor, Parts::All).await?.data_arc())
    }

    /// The best `top` offers for a need (`side` = need), or needs for an offer, in the
    /// actor's view, each score with its parts (see [`matching`]).
    pub async fn matches(
        &self,
        actor: &Actor,
        side: Side,
        id: &str,
        top: usize,
    ) -> Result<Matches> {
        let view = self.view(actor, Parts::All).await?;
        let data = view.data();
        let (at, kind) = match side {
            Side::Need => (data.needs.iter().position(|n| n.id == id), Kind::Need),
            Side::Offer => (data.offers.iter().position(|o| o.id == id), Kind::Offer),
        };
        let at = at.ok_or_else(|| {
            AppError::NotFound(format!(
                "{} \"{}\"",
                kind.noun(),
                crate::render::cut(id, 100)
            ))
        })?;
        if !(1..=matching::MAX_TOP).contains(&top) {
            return Err(AppError::Invalid(vec![defcoop_domain::Problem::new(
                "top",
                format!("{top} is not between 1 and {}", matching::MAX_TOP),
            )]));
        }
        let day = self.today();
        compute(move || {
            let corpus = view.matching();
            let snap = view.engine();
            Ok(matching::rank(
                view.data(),
                &corpus,
                &snap,
                side,
                at,
                top,
                day,
            ))
        })
        .await
    }
}
