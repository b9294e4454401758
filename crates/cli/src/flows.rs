//! `defcoop flows`: arms transfers as supplier → recipient flows of delivered TIV, printed as an
//! SVG flow diagram, JSON or a table. Every format shows the same figures, rounded half away
//! from zero (1 decimal in the table and the SVG, 2 in JSON).

use std::path::PathBuf;

use anyhow::Result;
use clap::ValueEnum;
use defcoop_app::render::{self, Lang};
use defcoop_domain::model::Day;
use defcoop_engine::flows::FlowQuery;

use crate::{actor, app_error, files, open_app, DbArg};

#[derive(clap::Args)]
pub struct FlowsArgs {
    #[command(flatten)]
    db: DbArg,
    /// Supplier: a nation code (KOR), a bloc code (NATO: its member nations, each counted for
    /// the years it was a member) or a non-state or unknown actor's exact name. Repeat for any
    /// of several.
    #[arg(long = "supplier", value_name = "X")]
    suppliers: Vec<String>,
    /// Recipient, as --supplier.
    #[arg(long = "recipient", value_name = "X")]
    recipients: Vec<String>,
    /// First delivery year counted (inclusive).
    #[arg(long, value_name = "YEAR")]
    from: Option<u16>,
    /// Last delivery year counted (inclusive).
    #[arg(long, value_name = "YEAR")]
    to: Option<u16>,
    /// Armament category: a code (armoured-vehicles) or SIPRI's name ("Armoured vehicles").
    /// Repeat for any of several.
    #[arg(long = "category", value_name = "C")]
    categories: Vec<String>,
    /// Name the parties of the N largest flows (suppliers: at most 10, one colour each); the
    /// others merge into "Other suppliers" / "Other recipients", in every format.
    #[arg(long, value_name = "N", default_value_t = defcoop_engine::flows::DEFAULT_TOP)]
    top: usize,
    /// A bloc means its members on this day (YYYY-MM-DD) for every year, instead of each
    /// year's members.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    members_on: Option<Day>,
    #[arg(long, value_enum, default_value_t = FlowsFormat::Table)]
    format: FlowsFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn parse_day(s: &str) -> Result<Day, String> {
    Day::parse(s).ok_or_else(|| format!("\"{s}\" is not a date (YYYY-MM-DD)"))
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FlowsFormat {
    Svg,
    Json,
    Table,
}

pub async fn run(args: FlowsArgs, lang: Lang) -> Result<()> {
    let query = FlowQuery {
        suppliers: args.suppliers,
        recipients: args.recipients,
        from: args.from,
        to: args.to,
        categories: args.categories,
        top: args.top,
        members_on: args.members_on,
    };
    // Check what needs no data before opening the database.
    if let (Some(from), Some(to)) = (query.from, query.to) {
        if from > to {
            anyhow::bail!("--from {from} is after --to {to}");
        }
    }
    let app = open_app(&args.db.db).await?;
    let answer = app.flows(&actor(&app).await?, query).await;
    app.store().close().await;
    let answer = answer.map_err(app_error)?;
    let f = &answer.flows;
    for note in &f.notes {
        eprintln!("note: {note}");
    }
    let text = match args.format {
        FlowsFormat::Svg => render::flows_svg(f, answer.title(lang), lang),
        FlowsFormat::Json => {
            let mut s = serde_json::to_string_pretty(f)?;
            s.push('\n');
            s
        }
        FlowsFormat::Table => render::flows_table(f, answer.title(lang), lang),
    };
    match &args.out {
        Some(path) => files::write_atomic(path, text.as_bytes()),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}
