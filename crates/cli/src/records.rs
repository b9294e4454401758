//! Commands on single records and policies: `policy import` (SPIF), `label show|set|clear`
//! (JSON or STANAG 4774 XML), `profile show|implement` (NISP profiles).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use defcoop_app::external::Prepared;
use defcoop_app::{parse_label, AppError, RecordKind};
use defcoop_domain::import::Incoming;
use defcoop_domain::model::ConformanceStatus;
use defcoop_domain::stanag4774;

use crate::{actor, app_error_as, external, files, open, open_app, print_json, DbArg, Report};

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

fn kind(name: &str) -> Result<RecordKind> {
    RecordKind::parse(name).map_err(|e| match e {
        AppError::NotFound(what) => anyhow::anyhow!("unknown {what}"),
        e => e.into(),
    })
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
            let app = open_app(&db.db).await?;
            let label = app.label(&actor(&app).await?, kind, &key).await;
            app.store().close().await;
            match (label?, format) {
                (None, _) => eprintln!("{} \"{key}\" has no label", kind.0.noun()),
                (Some(l), LabelFormat::Json) => print_json(&l),
                (Some(l), LabelFormat::Stanag4774) => print!("{}", stanag4774::label_to_xml(&l)),
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
                    .take(1024 * 1024 + 1)
                    .read_to_end(&mut buf)
                    .context("reading the label from standard input")?;
                if buf.len() > 1024 * 1024 {
                    bail!("the label on standard input is larger than 1 MiB");
                }
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

/// Sets one record's label through the validated, single-transaction label write.
async fn write_label(
    db: &str,
    kind: RecordKind,
    key: &str,
    label: Option<defcoop_domain::Label>,
) -> Result<()> {
    let app = open_app(db).await?;
    let result = app.set_label(&actor(&app).await?, kind, key, label).await;
    app.store().close().await;
    match result {
        Ok(out) if out.written == 0 => println!("nothing changed"),
        Ok(_) => println!("label of {} \"{key}\" written", kind.0.noun()),
        Err(AppError::Invalid(problems)) => {
            for p in &problems {
                eprintln!("  {} \"{key}\", {}", kind.0.noun(), p.message);
            }
            bail!("{} problem(s); nothing was changed", problems.len());
        }
        Err(e) => return Err(app_error_as(e, "nothing was changed")),
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
            let app = open_app(&db.db).await?;
            let p = app.profile(&actor(&app).await?, &profile).await;
            app.store().close().await;
            let p = p?;
            match format {
                TextOrJson::Json => print_json(&p),
                TextOrJson::Text => {
                    println!("{} ({}, {})", p.title, p.profile, p.kind);
                    println!(
                        "{} mandatory standard(s), its own and its sub-profiles':",
                        p.mandatory.len()
                    );
                    for s in &p.mandatory {
                        println!("  {s}");
                    }
                    println!(
                        "{} system(s) conform to all of them{}",
                        p.systems.len(),
                        if p.systems.is_empty() { "" } else { ":" }
                    );
                    for s in &p.systems {
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
            let status = match status {
                Status::Claimed => ConformanceStatus::Claimed,
                Status::Tested => ConformanceStatus::Tested,
                Status::Certified => ConformanceStatus::Certified,
            };
            let app = open_app(&db.db).await?;
            let result = app
                .implement_profile(&actor(&app).await?, &system, &profile, status, evidence)
                .await;
            app.store().close().await;
            let (out, added) = result.map_err(|e| app_error_as(e, "nothing was imported"))?;
            let prepared = Prepared {
                notes: vec![format!(
                    "{system} implements {profile}: {added} new conformance(s); existing ones kept"
                )],
                incoming: Incoming::empty(defcoop_domain::import::Style::Json),
                json: serde_json::Value::Null,
            };
            crate::print_summary(&out, &prepared, Report::Text);
            Ok(())
        }
    }
}
