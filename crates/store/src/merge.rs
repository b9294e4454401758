//! `Store::merge_systems`: two system records that are one real system become one, in one
//! write transaction (the plan is [`defcoop_domain::merge`]'s).

use defcoop_domain::import::{plan_import, Incoming, Problem};
use defcoop_domain::merge::{merge_systems, MergeError};
use defcoop_domain::model::Dataset;
use defcoop_domain::visible;

use crate::{postgres, sqlite, ImportError, Parts, Store, StoreError};

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOutcome {
    /// Conformances and transfers that now name the kept system.
    pub conformances: usize,
    pub transfers: usize,
    /// Figures that differed and conformances both had (see `defcoop_domain::merge`).
    pub notes: Vec<String>,
}

/// The stored versions of the records `changes` holds.
fn existing_versions(changes: &Dataset, stored: &Dataset) -> Dataset {
    stored.versions_of(changes)
}

impl Store {
    /// Merges system `gone` into `keep` (see `defcoop_domain::merge`): the kept record gains
    /// the other's name as an alias, its aliases, sources and operators; its conformances and
    /// transfers move over; then it is deleted. One write transaction: validated like an import
    /// by `writer` against the registry without `gone`, and nothing is written on any problem.
    /// `writer` must see both systems and every record naming `gone`.
    pub async fn merge_systems(
        &self,
        keep: &str,
        gone: &str,
        author: &crate::Writer,
    ) -> Result<MergeOutcome, ImportError> {
        let writer = &author.reader;
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            let existing = b::load_all(&mut tx, Parts::All).await?;
            let seen = visible(existing.clone(), writer);
            let naming = |d: &Dataset| {
                d.conformances.iter().filter(|c| c.system == gone).count()
                    + d.transfers.iter().filter(|t| t.system.as_deref() == Some(gone)).count()
            };
            let m = merge_systems(&seen, keep, gone).map_err(|e| match e {
                MergeError::NotFound(what) => ImportError::NotFound(what),
                MergeError::Same(why) => {
                    ImportError::Invalid(vec![Problem::new(format!("system {keep}"), why)])
                }
            })?;
            if naming(&seen) != naming(&existing) {
                return Err(ImportError::Invalid(vec![Problem::new(
                    format!("system {gone}"),
                    "records you may not see name it: a merge must move them all",
                )]));
            }
            let before = existing.clone();
            let mut after = existing;
            after.systems.retain(|s| s.id != gone);
            after.conformances.retain(|c| c.system != gone);
            let changes = Dataset {
                systems: vec![m.system.clone()],
                conformances: m.conformances.clone(),
                transfers: m.transfers.clone(),
                ..Dataset::default()
            };
            let plan = plan_import(&Incoming::from_dataset(changes), &after, writer)
                .map_err(ImportError::Invalid)?;
            // The audit entry: what the kept record and the moved records were, and are.
            let mut replaced = existing_versions(&plan.changes, &before);
            replaced.systems.extend(before.systems.iter().filter(|s| s.id == gone).cloned());
            let entry = crate::audit::NewEntry {
                actor: author.name.clone(),
                action: "system.merge".into(),
                subject: format!("system {keep} (merged {gone} into it)"),
                detail: format!(
                    "{} conformances and {} transfers moved",
                    m.conformances.len(),
                    m.transfers.len()
                ),
                digest_before: crate::dataset_digest(&replaced),
                digest_after: crate::dataset_digest(&plan.changes),
                records: plan
                    .changes
                    .keys()
                    .into_iter()
                    .map(|(kind, key)| (kind.noun().to_string(), key))
                    .chain(std::iter::once(("system".to_string(), gone.to_string())))
                    .collect(),
            };
            b::write_changes(&mut tx, &plan.changes, &crate::Progress::NONE).await?;
            b::delete_system(&mut tx, gone).await?;
            b::append_audit(&mut tx, &entry).await?;
            tx.commit().await.map_err(StoreError::from)?;
            Ok(MergeOutcome {
                conformances: m.conformances.len(),
                transfers: m.transfers.len(),
                notes: m.notes,
            })
        })
    }
}
