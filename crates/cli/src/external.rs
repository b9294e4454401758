//! Importers of data that was not written for defcoop: the SIPRI trade register (and, with
//! their own modules, the NATO NISP folder and SPIF policies). Each reads its files, has the
//! domain turn them into registry records, and hands back an [`Incoming`] for the usual
//! all-or-nothing import plus a summary of what it found.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{bail, Result};
use defcoop_domain::import::Incoming;
use defcoop_domain::sipri;
use defcoop_store::{Parts, Store};

use crate::files;

/// Records to import, and what the importer wants to tell the user about them.
pub struct Prepared {
    pub incoming: Incoming,
    /// Lines for the text summary.
    pub notes: Vec<String>,
    /// The same for `--summary json`.
    pub json: serde_json::Value,
}

/// Fails with every problem, located, when a source file cannot be read as a whole.
pub fn refuse(problems: Vec<defcoop_domain::Problem>, prefix: &str) -> anyhow::Error {
    for p in &problems {
        eprintln!("  {prefix}{p}");
    }
    anyhow::anyhow!(
        "{} problem(s) in the input; nothing was imported",
        problems.len()
    )
}

/// The SIPRI trade register at `path`, mapped onto the registry in `store` (nations it already
/// holds keep their names).
pub async fn sipri(store: &Store, path: &Path, max: u64) -> Result<Prepared> {
    let bytes = files::read_limited(path, max)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let register = sipri::parse_register(&name, &bytes).map_err(|ps| refuse(ps, ""))?;
    let known: HashSet<String> = store
        .snapshot(&crate::actor(), Parts::Entities)
        .await?
        .nations
        .into_iter()
        .map(|n| n.code)
        .collect();
    let (data, s) = sipri::to_dataset(&register, &known);
    let notes = vec![
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
    ];
    let json = serde_json::json!({
        "rows": s.rows,
        "deals": s.deals,
        "generated": s.generated,
        "parties": {"states": s.states, "non_state": s.non_state, "unknown": s.unknown},
        "deals_with_non_state_party": s.deals_with_non_state_party,
        "systems": s.systems,
        "deals_without_system": s.deals_without_system,
        "nations_created": s.nations_created,
    });
    Ok(Prepared {
        incoming: Incoming::from_dataset(data),
        notes,
        json,
    })
}

/// Exactly one path, for formats that read one file or folder.
pub fn one<'a>(format: &str, paths: &'a [std::path::PathBuf]) -> Result<&'a Path> {
    match paths {
        [one] => Ok(one),
        _ => bail!(
            "--format {format} imports one {} at a time ({} given)",
            if format == "nisp" { "folder" } else { "file" },
            paths.len()
        ),
    }
}
