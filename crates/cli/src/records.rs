//! Commands on single records and policies: `policy import` (SPIF), `label show|set|clear`
//! (JSON or STANAG 4774 XML), `profile show|implement` (NISP profiles).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use defcoop_domain::import::Incoming;
use defcoop_domain::model::{Conformance, ConformanceStatus, Dataset, Kind};
use defcoop_domain::stanag4774;
use defcoop_domain::Label;
use defcoop_store::Parts;

use crate::{actor, external, files, open, DbArg, Report};

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Import a policy from a SPIF XML file (xmlspif.org schema 2.1): classifications in order,
    /// categories with their type and values, excluded classes, required categories.
    Import {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        summary: Report,
        #[arg(long, default_value_t = 16)]
        max_mib: u64,
        file: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LabelFormat {
    Json,
    /// STANAG 4774 confidentiality label XML.
    Stanag4774,
}

#[derive(Subcommand)]
pub enum LabelCommand {
    /// Print a record's label (nothing when the record is unlabelled).
    Show {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value_t = LabelFormat::Json)]
        format: LabelFormat,
        /// The kind of record: system, standard, transfer, ... (or the plural).
        kind: String,
        /// Its key: an id or code; a conformance is SYSTEM/STANDARD.
        key: String,
    },
    /// Set a record's label from a file (`-` for standard input) holding the JSON label or a
    /// STANAG 4774 XML label (recognised by its leading `<`).
    Set {
        #[command(flatten)]
        db: DbArg,
        kind: String,
        key: String,
        file: PathBuf,
    },
    /// Remove a record's label.
    Clear {
        #[command(flatten)]
        db: DbArg,
        kind: String,
        key: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(Subcommand)]
pub enum ProfileCommand {
    /// A profile's mandatory standards (its own and its sub-profiles'), and the systems that
    /// conform to all of them.
    Show {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
        profile: String,
    },
    /// Record that a system implements a profile: a conformance to each of the profile's
    /// mandatory standards that the system does not conform to yet (existing ones are kept).
    Implement {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value_t = Status::Claimed)]
        status: Status,
        /// Evidence to record on the new conformances.
        #[arg(long)]
        evidence: Option<String>,
        system: String,
        profile: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Status {
    Claimed,
    Tested,
    Certified,
}

pub async fn policy(command: PolicyCommand) -> Result<()> {
    match command {
        PolicyCommand::Import {
            db,
            summary,
            max_mib,
            file,
        } => {
            let prepared = external::spif(&file, max_mib.saturating_mul(1024 * 1024))?;
            let store = open(&db.db).await?;
            crate::import_and_report(store, prepared, summary).await
        }
    }
}

/// A kind by its singular or plural name.
fn kind(name: &str) -> Result<Kind> {
    Kind::labelled_by_name(name).with_context(|| {
        let known: Vec<&str> = Kind::ALL
            .iter()
            .filter(|k| **k != Kind::Policy)
            .map(|k| k.noun())
            .collect();
        format!(
            "unknown kind of record \"{name}\" (one of: {})",
            known.join(", ")
        )
    })
}

fn not_found(kind: Kind, key: &str) -> anyhow::Error {
    anyhow::anyhow!("{} \"{key}\" not found", kind.noun())
}

pub async fn label(command: LabelCommand) -> Result<()> {
    match command {
        LabelCommand::Show {
            db,
            format,
            kind: k,
            key,
        } => {
            let kind = kind(&k)?;
            let store = open(&db.db).await?;
            let data = store.snapshot(&actor(), Parts::holding(kind)).await;
            store.close().await;
            let data = data?;
            let label = data
                .label_of(kind, &key)
                .ok_or_else(|| not_found(kind, &key))?;
            match (label, format) {
                (None, _) => eprintln!("{} \"{key}\" has no label", kind.noun()),
                (Some(l), LabelFormat::Json) => {
                    println!("{}", serde_json::to_string_pretty(l)?)
                }
                (Some(l), LabelFormat::Stanag4774) => print!("{}", stanag4774::label_to_xml(l)),
            }
            Ok(())
        }
        LabelCommand::Set {
            db,
            kind: k,
            key,
            file,
        } => {
            let kind = kind(&k)?;
            let bytes = if file == std::path::Path::new("-") {
                use std::io::Read;
                let mut buf = Vec::new();
                std::io::stdin()
                    .take(1024 * 1024)
                    .read_to_end(&mut buf)
                    .context("reading the label from standard input")?;
                buf
            } else {
                files::read_limited(&file, 1024 * 1024)?
            };
            let shown = file.display().to_string();
            let label = parse_label(&shown, &bytes)?;
            write_label(&db.db, kind, &key, Some(label)).await
        }
        LabelCommand::Clear { db, kind: k, key } => {
            let kind = kind(&k)?;
            write_label(&db.db, kind, &key, None).await
        }
    }
}

/// A label file: STANAG 4774 XML when it starts with `<`, else the JSON label.
fn parse_label(name: &str, bytes: &[u8]) -> Result<Label> {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    if bytes.get(start) == Some(&b'<') || bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        stanag4774::label_from_xml(name, bytes)
            .map_err(|p| anyhow::anyhow!("{p}"))
            .context("not a valid STANAG 4774 label")
    } else {
        let text =
            std::str::from_utf8(bytes).map_err(|e| anyhow::anyhow!("{name}: not UTF-8 ({e})"))?;
        serde_json::from_str(text).map_err(|e| anyhow::anyhow!("{name}: not a label: {e}"))
    }
}

/// Sets one record's label through the store's validated, single-transaction label write.
async fn write_label(db: &str, kind: Kind, key: &str, label: Option<Label>) -> Result<()> {
    let store = open(db).await?;
    let result = store.set_label(kind, key, label, &actor()).await;
    store.close().await;
    match result {
        Ok(out) if out.written == 0 => println!("nothing changed"),
        Ok(_) => println!("label of {} \"{key}\" written", kind.noun()),
        Err(defcoop_store::ImportError::Invalid(problems)) => {
            for p in &problems {
                eprintln!("  {} \"{key}\", {}", kind.noun(), p.message);
            }
            bail!("{} problem(s); nothing was changed", problems.len());
        }
        Err(defcoop_store::ImportError::NotFound(what)) => bail!("{what} not found"),
        Err(e) => return Err(e).context("nothing was changed"),
    }
    Ok(())
}

pub async fn profile(command: ProfileCommand) -> Result<()> {
    match command {
        ProfileCommand::Show {
            db,
            format,
            profile,
        } => {
            let store = open(&db.db).await?;
            let data = store.snapshot(&actor(), Parts::All).await;
            store.close().await;
            let data = data?;
            let p = data
                .profiles
                .iter()
                .find(|p| p.id == profile)
                .with_context(|| format!("profile \"{profile}\" not found"))?;
            let mandatory = mandatory(&data, &profile)?;
            let systems = implementing(&data, &mandatory);
            match format {
                TextOrJson::Json => println!(
                    "{}",
                    serde_json::json!({
                        "profile": p.id,
                        "title": p.title,
                        "kind": p.kind.as_str(),
                        "mandatory": mandatory,
                        "systems": systems,
                    })
                ),
                TextOrJson::Text => {
                    println!("{} ({}, {})", p.title, p.id, p.kind.as_str());
                    println!(
                        "{} mandatory standard(s), its own and its sub-profiles':",
                        mandatory.len()
                    );
                    for s in &mandatory {
                        println!("  {s}");
                    }
                    println!(
                        "{} system(s) conform to all of them{}",
                        systems.len(),
                        if systems.is_empty() { "" } else { ":" }
                    );
                    for s in &systems {
                        println!("  {s}");
                    }
                }
            }
            Ok(())
        }
        ProfileCommand::Implement {
            db,
            status,
            evidence,
            system,
            profile,
        } => {
            let store = open(&db.db).await?;
            let data = match store.snapshot(&actor(), Parts::All).await {
                Ok(d) => d,
                Err(e) => {
                    store.close().await;
                    return Err(e.into());
                }
            };
            let planned = (|| -> Result<Dataset> {
                if !data.systems.iter().any(|s| s.id == system) {
                    bail!("system \"{system}\" not found");
                }
                let mandatory = mandatory(&data, &profile)?;
                let status = match status {
                    Status::Claimed => ConformanceStatus::Claimed,
                    Status::Tested => ConformanceStatus::Tested,
                    Status::Certified => ConformanceStatus::Certified,
                };
                let conformances = mandatory
                    .into_iter()
                    .filter(|std| {
                        !data
                            .conformances
                            .iter()
                            .any(|c| c.system == system && &c.standard == std)
                    })
                    .map(|standard| Conformance {
                        system: system.clone(),
                        standard,
                        status,
                        evidence: Some(
                            evidence
                                .clone()
                                .unwrap_or_else(|| format!("implements profile {profile}")),
                        ),
                        label: None,
                        sources: vec![],
                        illustrative: false,
                    })
                    .collect();
                Ok(Dataset {
                    conformances,
                    ..Dataset::default()
                })
            })();
            let planned = match planned {
                Ok(p) => p,
                Err(e) => {
                    store.close().await;
                    return Err(e);
                }
            };
            let prepared = external::Prepared {
                notes: vec![format!(
                    "{system} implements {profile}: {} new conformance(s); existing ones kept",
                    planned.conformances.len()
                )],
                incoming: Incoming::from_dataset(planned),
                json: serde_json::Value::Null,
            };
            crate::import_and_report(store, prepared, Report::Text).await
        }
    }
}

/// The profile's mandatory standards, transitively; an error when the profile is unknown or
/// asks for none.
fn mandatory(data: &Dataset, profile: &str) -> Result<Vec<String>> {
    let m = defcoop_domain::nisp::mandatory_standards(&data.profiles, profile)
        .with_context(|| format!("profile \"{profile}\" not found"))?;
    if m.is_empty() {
        bail!("profile \"{profile}\" has no mandatory standards (that you may see)");
    }
    Ok(m)
}

/// Systems conforming (any status) to every standard of `mandatory`.
fn implementing(data: &Dataset, mandatory: &[String]) -> Vec<String> {
    let held: std::collections::HashSet<(&str, &str)> = data
        .conformances
        .iter()
        .map(|c| (c.system.as_str(), c.standard.as_str()))
        .collect();
    data.systems
        .iter()
        .filter(|s| {
            mandatory
                .iter()
                .all(|std| held.contains(&(s.id.as_str(), std.as_str())))
        })
        .map(|s| s.id.clone())
        .collect()
}
