//! Joint R&D matchmaking as use cases (docs/MATCHMAKING.md): so far, checking a proposed
//! consortium against a funding instrument's rules, over the actor's view.

use defcoop_domain::matchmaking::consortium::{self, Report};
use defcoop_domain::model::{Day, Kind};
use defcoop_store::Parts;

use crate::readmodel::find;
use crate::{Actor, App, AppError, Result};

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
}
