//! Importers of data that was not written for defcoop: the SIPRI trade register, the NATO
//! NISP folder and SPIF policies. Each takes the bytes the caller read, has the domain turn them
//! into registry records, and hands back an [`Incoming`] for the usual all-or-nothing import
//! plus a summary of what it found. No file I/O here: the CLI reads the files.

use std::collections::HashSet;

use defcoop_domain::import::Incoming;
use defcoop_domain::sipri;
use defcoop_domain::Problem;
use defcoop_store::Parts;

use crate::{Actor, App, AppError, Result};

/// Records to import, and what the importer wants to tell the user about them.
pub struct Prepared {
    pub incoming: Incoming,
    /// Lines for the text summary.
    pub notes: Vec<String>,
    /// The same for `--summary json`.
    pub json: serde_json::Value,
}

/// Every problem of a source that cannot be read as a whole, located under `prefix`.
pub(crate) fn refuse(problems: Vec<Problem>, prefix: &str) -> AppError {
    AppError::Invalid(
        problems
            .into_iter()
            .map(|p| Problem::new(format!("{prefix}{}", p.location), p.message))
            .collect(),
    )
}

impl App {
    /// The SIPRI trade register `bytes` (from a file called `name`), mapped onto the registry
    /// as `actor` sees it (nations it already holds keep their names).
    pub async fn prepare_sipri(&self, actor: &Actor, name: &str, bytes: &[u8]) -> Result<Prepared> {
        let register = sipri::parse_register(name, bytes).map_err(|ps| refuse(ps, ""))?;
        let view = self.view(actor, Parts::Entities).await?;
        let known: HashSet<String> = view.data().nations.iter().map(|n| n.code.clone()).collect();
        Ok(sipri_prepared(&register, &known, &view.data().systems))
    }
}

/// Most designations the text report lists one by one per list (JSON lists them all).
const LISTED: usize = 40;

pub(crate) fn sipri_prepared(
    register: &sipri::Register,
    known: &HashSet<String>,
    existing: &[defcoop_domain::model::System],
) -> Prepared {
    let (mut data, s) = sipri::to_dataset(register, known);
    let a = sipri::attach(&mut data, existing);
    let mut notes = vec![
        format!(
            "SIPRI trade register{}: {} rows, {} deals",
            s.generated
                .as_deref()
                .map(|g| format!(" (data generated {g})"))
                .unwrap_or_default(),
            s.rows,
            s.deals
        ),
        format!(
            "parties: {} states, {} non-state actors, {} unknown; {} deals with a non-state or unknown party (kept)",
            s.states, s.non_state, s.unknown, s.deals_with_non_state_party
        ),
        format!(
            "{} systems from designations; {} deals without a system (no state ever supplied them); {} states new to the registry",
            s.systems, s.deals_without_system, s.nations_created
        ),
        format!(
            "designations: {} matched to registry systems, {} already imported, {} created ({} of them like registry systems: confirm below)",
            a.matched.len(),
            a.known,
            a.created.len(),
            a.near_duplicates.len()
        ),
    ];
    let more = |n: usize| {
        (n > LISTED).then(|| format!("  ... and {} more (--summary json lists all)", n - LISTED))
    };
    for m in a.matched.iter().take(LISTED) {
        let added = if m.operators_added.is_empty() {
            String::new()
        } else {
            format!("; operators added: {}", m.operators_added.join(", "))
        };
        let twin = m
            .twin
            .as_deref()
            .map(|t| {
                format!(
                    "; {t} is a twin left from an earlier import: defcoop system merge {} {t}",
                    m.system
                )
            })
            .unwrap_or_default();
        notes.push(format!(
            "  matched \"{}\" -> {} (by {}){added}{twin}",
            m.designation,
            m.system,
            m.by.as_str()
        ));
    }
    notes.extend(more(a.matched.len()));
    for n in a.near_duplicates.iter().take(LISTED) {
        notes.push(format!(
            "  near-duplicate? \"{}\" created {}, like {} (same supplier): if one, add the alias or run defcoop system merge",
            n.designation,
            n.created,
            n.similar.join(", ")
        ));
    }
    notes.extend(more(a.near_duplicates.len()));
    let json = serde_json::json!({
        "rows": s.rows,
        "deals": s.deals,
        "generated": s.generated,
        "parties": {"states": s.states, "non_state": s.non_state, "unknown": s.unknown},
        "deals_with_non_state_party": s.deals_with_non_state_party,
        "systems": s.systems,
        "deals_without_system": s.deals_without_system,
        "nations_created": s.nations_created,
        "designations": {
            "matched": a.matched.iter().map(|m| serde_json::json!({
                "designation": m.designation,
                "system": m.system,
                "by": m.by.as_str(),
                "operators_added": m.operators_added,
                "twin": m.twin,
            })).collect::<Vec<_>>(),
            "known": a.known,
            "created": a.created,
            "near_duplicates": a.near_duplicates.iter().map(|n| serde_json::json!({
                "designation": n.designation,
                "created": n.created,
                "similar": n.similar,
            })).collect::<Vec<_>>(),
        },
    });
    Prepared {
        incoming: Incoming::from_dataset(data),
        notes,
        json,
    }
}

impl App {
    /// The NATO NISP folder, as [`nisp`] reads it, with the standards the actor's view of the
    /// registry already holds under an alias attached to those records
    /// ([`defcoop_domain::nisp::attach`]).
    pub async fn prepare_nisp(
        &self,
        actor: &Actor,
        files: &[(String, Vec<u8>)],
        prefix: &str,
    ) -> Result<Prepared> {
        let view = self.view(actor, Parts::Entities).await?;
        nisp_onto(files, prefix, &view.data().standards)
    }
}

/// The NATO NISP database folder, as (path relative to the folder, bytes) sorted by path:
/// standards, cover documents, profiles and their domains. `prefix` locates problems.
pub fn nisp(files: &[(String, Vec<u8>)], prefix: &str) -> Result<Prepared> {
    nisp_onto(files, prefix, &[])
}

pub(crate) fn nisp_onto(
    files: &[(String, Vec<u8>)],
    prefix: &str,
    existing: &[defcoop_domain::model::Standard],
) -> Result<Prepared> {
    let mut n = defcoop_domain::nisp::parse_nisp(files).map_err(|ps| refuse(ps, prefix))?;
    let attached = defcoop_domain::nisp::attach(&mut n, existing);
    let s = &n.summary;
    let by_kind: Vec<String> = s
        .profiles
        .iter()
        .map(|(k, c)| format!("{c} {}", k.as_str()))
        .collect();
    let by_level: Vec<String> = s
        .obligations
        .iter()
        .map(|(k, c)| format!("{c} {}", k.as_str()))
        .collect();
    let mut notes = vec![
        format!(
            "NISP folder: {} files ({} index, {} not read: responsible parties, profile specs, BSP, other)",
            s.files,
            s.index_files,
            s.unused_files + s.other_files
        ),
        format!(
            "{} standards and {} cover documents in {} domains (from the C3 taxonomy; {} without one)",
            s.standards,
            s.cover_documents,
            n.domains.len(),
            s.standards_per_domain
                .iter()
                .find(|(d, _)| d == defcoop_domain::nisp::UNASSIGNED)
                .map_or(0, |(_, c)| *c)
        ),
        format!(
            "profiles: {}; obligations: {}",
            by_kind.join(", "),
            by_level.join(", ")
        ),
    ];
    notes.push(format!(
        "{} NISP standards are records the registry already holds (by alias), not imported twice",
        attached.len()
    ));
    for a in &attached {
        notes.push(format!("  matched {} -> {}", a.nisp, a.standard));
    }
    for (from, to) in &s.ids_rewritten {
        notes.push(format!(
            "id \"{from}\" is not a defcoop id; imported as \"{to}\""
        ));
    }
    for p in &s.skipped_refs {
        notes.push(format!("skipped reference: {p}"));
    }
    let json = serde_json::json!({
        "files": s.files,
        "standards": s.standards,
        "cover_documents": s.cover_documents,
        "domains": n.domains.len(),
        "profiles": s.profiles.iter().map(|(k, c)| (k.as_str().to_string(), *c)).collect::<std::collections::BTreeMap<_, _>>(),
        "obligations": s.obligations.iter().map(|(k, c)| (k.as_str().to_string(), *c)).collect::<std::collections::BTreeMap<_, _>>(),
        "ids_rewritten": s.ids_rewritten.len(),
        "skipped_references": s.skipped_refs.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        "matched": attached.iter().map(|a| serde_json::json!({"nisp": a.nisp, "standard": a.standard})).collect::<Vec<_>>(),
    });
    let data = defcoop_domain::Dataset {
        domains: n.domains,
        standards: n.standards,
        profiles: n.profiles,
        ..Default::default()
    };
    Ok(Prepared {
        incoming: Incoming::from_dataset(data),
        notes,
        json,
    })
}

/// A security policy from a SPIF XML file's `bytes` (the file called `name`).
pub fn spif(name: &str, bytes: &[u8]) -> Result<Prepared> {
    let policy = defcoop_domain::spif::parse_spif(name, bytes).map_err(|ps| refuse(ps, ""))?;
    let values: usize = policy.categories.iter().map(|c| c.values.len()).sum();
    let notes = vec![format!(
        "policy {}: {} classifications ({}), {} categories with {} values, {} requirement(s)",
        policy.id,
        policy.classifications.len(),
        policy.classifications.join(" < "),
        policy.categories.len(),
        values,
        policy.required.len()
    )];
    let json = serde_json::json!({
        "policy": policy.id,
        "classifications": policy.classifications,
        "categories": policy.categories.len(),
        "values": values,
        "requirements": policy.required.len(),
    });
    Ok(Prepared {
        incoming: Incoming::from_dataset(defcoop_domain::Dataset {
            policies: vec![policy],
            ..Default::default()
        }),
        notes,
        json,
    })
}
