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

/// Every file under `dir` (recursively, hidden entries skipped) as (path relative to `dir` with
/// `/`, bytes), sorted by path; at most `max` bytes in all.
fn read_tree(dir: &Path, max: u64) -> Result<Vec<(String, Vec<u8>)>> {
    if !dir.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d)
            .map_err(|e| anyhow::anyhow!("cannot list {}: {e}", d.display()))?;
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                let bytes = files::read_limited(&path, max.saturating_sub(total))
                    .map_err(|e| anyhow::anyhow!("{e:#} (the limit counts the whole folder)"))?;
                total += bytes.len() as u64;
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, bytes));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The NATO NISP database folder: standards, cover documents, profiles and their domains.
pub fn nisp(dir: &Path, max: u64) -> Result<Prepared> {
    let files = read_tree(dir, max)?;
    let prefix = format!("{}/", dir.display().to_string().trim_end_matches('/'));
    let n = defcoop_domain::nisp::parse_nisp(&files).map_err(|ps| refuse(ps, &prefix))?;
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

/// A security policy from a SPIF XML file.
pub fn spif(path: &Path, max: u64) -> Result<Prepared> {
    let bytes = files::read_limited(path, max)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let policy = defcoop_domain::spif::parse_spif(&name, &bytes).map_err(|ps| refuse(ps, ""))?;
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
