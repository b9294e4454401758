//! `defcoop brokerage schedule`: a matchmaking event's one-to-one meetings scheduled into its
//! slots and tables (docs/MATCHMAKING.md "Brokerage meetings"), printed, and each
//! participant's agenda written as iCalendar with `--ics-dir`.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use defcoop_app::render::{self, message, Lang};
use defcoop_domain::matchmaking::brokerage_event;

use crate::files::{read_limited, write_atomic};
use crate::matchmaking::refused;
use crate::{actor, open_app, print_json, DbArg, Report};

/// Largest event file read.
const MAX_EVENT_BYTES: u64 = 20_000_000;

#[derive(Subcommand)]
pub enum BrokerageCommand {
    /// Schedule the meetings of an event file (JSON: title, time_zone, place, tables, slots,
    /// participants with their organization, availability, needs, offers, requests and
    /// request_best). No one is double-booked, availability and tables are respected, and as
    /// many requested meetings as possible are placed (proved the most for small events, else
    /// with the bound).
    Schedule {
        #[command(flatten)]
        db: DbArg,
        /// The event file.
        #[arg(long, value_name = "FILE")]
        event: PathBuf,
        /// Write each participant's agenda as PARTICIPANT.ics into this folder.
        #[arg(long, value_name = "DIR")]
        ics_dir: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
}

pub async fn brokerage(cmd: BrokerageCommand, lang: Lang) -> Result<()> {
    let BrokerageCommand::Schedule {
        db,
        event,
        ics_dir,
        format,
    } = cmd;
    let bytes = read_limited(&event, MAX_EVENT_BYTES)?;
    let file = match brokerage_event::read(&bytes) {
        Ok(f) => f,
        Err(problems) => {
            for p in &problems {
                eprintln!("  {}", message(lang, &p.to_string()));
            }
            bail!(
                "{}: {}",
                event.display(),
                message(
                    lang,
                    &format!(
                        "{} problem(s) in the input; nothing was checked",
                        problems.len()
                    )
                )
            );
        }
    };
    let app = open_app(&db.db).await?;
    let who = match actor(&app).await {
        Ok(w) => w,
        Err(e) => {
            app.store().close().await;
            return Err(e);
        }
    };
    let scheduled = app.brokerage_schedule(&who, file).await;
    app.store().close().await;
    let scheduled = scheduled.map_err(|e| refused(lang, e))?;
    if let Some(dir) = &ics_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for a in &scheduled.agendas {
            let safe: String = a
                .participant
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let ics = app
                .brokerage_ics(&scheduled, &a.participant)
                .map_err(|e| anyhow!("{e}"))?;
            write_atomic(&dir.join(format!("{safe}.ics")), ics.as_bytes())?;
        }
        eprintln!(
            "wrote {} agendas to {}",
            scheduled.agendas.len(),
            dir.display()
        );
    }
    match format {
        Report::Json => print_json(&scheduled),
        Report::Text => print!("{}", render::brokerage_text(&scheduled, lang)),
    }
    Ok(())
}
