//! System use cases: merging two records that turn out to be one real system.

use defcoop_store::MergeOutcome;

use crate::{Actor, App, Result};

impl App {
    /// Merges system `gone` into `keep` in one write transaction (see
    /// `Store::merge_systems`): every source, conformance, operator and transfer of `gone`
    /// stays, on `keep`.
    pub async fn merge_systems(
        &self,
        actor: &Actor,
        keep: &str,
        gone: &str,
    ) -> Result<MergeOutcome> {
        actor.require(defcoop_domain::account::Permission::WriteRegistry)?;
        let out = self
            .store()
            .merge_systems(keep, gone, &actor.writer())
            .await?;
        if let Some(model) = self.read_model() {
            model.refresh().await?;
        }
        Ok(out)
    }
}
