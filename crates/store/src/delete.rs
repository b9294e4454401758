//! `Store::delete_record`: one record removed, in one write transaction, when nothing refers
//! to it.

use defcoop_domain::model::{Dataset, Kind};
use defcoop_domain::refs::referers;
use defcoop_domain::visible;

use crate::tables::{self, Table};
use crate::{postgres, sqlite, ImportError, Parts, Store, StoreError, Writer};

/// Most referring records a refusal names; the rest are counted.
const NAMED: usize = 10;

fn table(kind: Kind) -> &'static Table {
    match kind {
        Kind::Policy => &tables::POLICIES,
        Kind::Nation => &tables::NATIONS,
        Kind::Bloc => &tables::BLOCS,
        Kind::Organization => &tables::ORGANIZATIONS,
        Kind::Person => &tables::PEOPLE,
        Kind::Domain => &tables::DOMAINS,
        Kind::Standard => &tables::STANDARDS,
        Kind::Profile => &tables::PROFILES,
        Kind::System => &tables::SYSTEMS,
        Kind::Conformance => &tables::CONFORMANCES,
        Kind::Gateway => &tables::GATEWAYS,
        Kind::Transfer => &tables::TRANSFERS,
        Kind::Body => &tables::BODIES,
        Kind::Meeting => &tables::MEETINGS,
        Kind::Minutes => &tables::MINUTES,
        Kind::Proposal => &tables::PROPOSALS,
        Kind::Decision => &tables::DECISIONS,
        Kind::ActionItem => &tables::ACTION_ITEMS,
        Kind::Engagement => &tables::ENGAGEMENTS,
        Kind::Document => &tables::DOCUMENTS,
        Kind::CapabilityArea => &tables::CAPABILITY_AREAS,
        Kind::Need => &tables::NEEDS,
        Kind::Offer => &tables::OFFERS,
        Kind::Instrument => &tables::INSTRUMENTS,
    }
}

/// The record of `kind` with key `key` in `data` alone, as a dataset (for the audit digest);
/// `None` when there is none.
pub(crate) fn only(data: &Dataset, kind: Kind, key: &str) -> Option<Dataset> {
    if kind == Kind::Policy {
        let p = data.policies.iter().find(|p| p.id == key)?.clone();
        return Some(Dataset {
            policies: vec![p],
            ..Dataset::default()
        });
    }
    let label = data.label_of(kind, key)?.cloned();
    data.with_label(kind, key, label)
}

impl Store {
    /// Deletes the record of `kind` with key `key` (`SYSTEM/STANDARD` for a conformance), with
    /// its nested entries, and appends the audit entry, in one write transaction. The record
    /// must be visible to `author` (else `NotFound`, as for an absent one). A record others
    /// refer to is not deleted: the refusal (`Conflict`) names the referring records `author`
    /// may see and says whether others exist.
    pub async fn delete_record(
        &self,
        kind: Kind,
        key: &str,
        author: &Writer,
    ) -> Result<(), ImportError> {
        let not_found = || ImportError::NotFound(format!("{} \"{key}\"", kind.noun()));
        let key_parts: Vec<&str> = match kind {
            Kind::Conformance => {
                let (system, standard) = key.split_once('/').ok_or_else(not_found)?;
                vec![system, standard]
            }
            _ => vec![key],
        };
        on_backend!(self, b, pool => {
            let mut tx = b::begin_write(pool).await?;
            let existing = b::load_all(&mut tx, Parts::All).await?;
            let seen = visible(existing.clone(), &author.reader);
            let before = only(&seen, kind, key).ok_or_else(not_found)?;
            let all = referers(&existing, kind, key);
            if !all.is_empty() {
                let shown: Vec<String> = referers(&seen, kind, key)
                    .into_iter()
                    .map(|r| format!("{} {} ({})", r.kind.noun(), r.key, r.field))
                    .collect();
                let mut message = format!("{} {key} is referred to by ", kind.noun());
                if shown.is_empty() {
                    message.push_str("records you may not see");
                } else {
                    message.push_str(&shown.iter().take(NAMED).cloned().collect::<Vec<_>>().join(", "));
                    if shown.len() > NAMED {
                        message.push_str(&format!(" and {} more", shown.len() - NAMED));
                    }
                    if all.len() > shown.len() {
                        message.push_str(", and by records you may not see");
                    }
                }
                message.push_str("; change or delete them first");
                return Err(ImportError::Store(StoreError::Conflict(message)));
            }
            if !b::delete_row(&mut tx, table(kind), &key_parts).await? {
                return Err(not_found());
            }
            let entry = crate::audit::NewEntry {
                actor: author.name.clone(),
                action: "record.delete".into(),
                subject: format!("{} {key}", kind.noun()),
                detail: String::new(),
                digest_before: crate::dataset_digest(&before),
                digest_after: String::new(),
                records: vec![(kind.noun().to_string(), key.to_string())],
            };
            b::append_audit(&mut tx, &entry).await?;
            tx.commit().await.map_err(StoreError::from)?;
            Ok(())
        })
    }
}
