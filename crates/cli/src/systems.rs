//! `defcoop system merge KEEP GONE`: two records of one real system become one.

use anyhow::Result;
use clap::Subcommand;

use crate::{actor, app_error_as, open, print_json, DbArg, Report};

#[derive(Subcommand)]
pub enum SystemCommand {
    /// Merge system GONE into KEEP, in one transaction: KEEP gains GONE's name as an alias, its
    /// aliases, sources and operators; GONE's conformances and transfers move to KEEP; GONE is
    /// deleted.
    Merge {
        #[command(flatten)]
        db: DbArg,
        /// The system that stays.
        keep: String,
        /// The system merged into it (deleted).
        gone: String,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        summary: Report,
    },
}

pub async fn run(command: SystemCommand) -> Result<()> {
    match command {
        SystemCommand::Merge {
            db,
            keep,
            gone,
            summary,
        } => {
            let store = open(&db.db).await?;
            let app = defcoop_app::App::direct(store.clone());
            let out = app.merge_systems(&actor(&app).await?, &keep, &gone).await;
            store.close().await;
            let out = out.map_err(|e| app_error_as(e, "nothing was merged"))?;
            match summary {
                Report::Json => print_json(&serde_json::json!({
                    "kept": keep,
                    "merged": gone,
                    "conformances": out.conformances,
                    "transfers": out.transfers,
                    "notes": out.notes,
                })),
                Report::Text => {
                    for n in &out.notes {
                        println!("{n}");
                    }
                    println!(
                        "merged {gone} into {keep}: {} conformance(s) and {} transfer(s) moved; {gone} deleted",
                        out.conformances, out.transfers
                    );
                }
            }
            Ok(())
        }
    }
}
