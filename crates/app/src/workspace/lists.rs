//! Lists of the workspace that have no other use case: proposals (by state) and
//! engagements, as the actor sees them.

use defcoop_domain::model::Kind;
use defcoop_domain::workspace::{Engagement, Proposal, ProposalStatus};

use super::{not_found, zones};
use crate::readmodel::find;
use crate::{Actor, App, Result};

impl App {
    /// The proposals `actor` sees, by id; `status` keeps those in that state.
    pub async fn proposals(
        &self,
        actor: &Actor,
        status: Option<ProposalStatus>,
    ) -> Result<Vec<Proposal>> {
        let data = self.workspace(actor).await?;
        Ok(data
            .proposals
            .iter()
            .filter(|p| status.is_none_or(|s| p.status == s))
            .cloned()
            .collect())
    }

    /// One proposal `actor` sees.
    pub async fn proposal(&self, actor: &Actor, id: &str) -> Result<Proposal> {
        let data = self.workspace(actor).await?;
        find(&data.proposals, id)
            .cloned()
            .ok_or_else(|| not_found(Kind::Proposal, id))
    }

    /// The engagements `actor` sees, by start (in absolute time), then id.
    pub async fn engagements(&self, actor: &Actor) -> Result<Vec<Engagement>> {
        let data = self.workspace(actor).await?;
        let mut out = data.engagements.clone();
        out.sort_by_cached_key(|e| (zones::start_seconds(&e.start, &e.time_zone), e.id.clone()));
        Ok(out)
    }
}
