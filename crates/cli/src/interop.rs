//! `defcoop interop pair|matrix|plan|whatif`: the application's answers, printed as text,
//! JSON, CSV or SVG.

use std::sync::Arc;

use anyhow::{bail, Result};
use clap::{Subcommand, ValueEnum};
use defcoop_app::render::{self, Lang};
use defcoop_app::{MatrixQuery, PlanQuery};
use defcoop_domain::model::Day;

use crate::{actor, app_error, open_app, print_json, progress, DbArg};

#[derive(Subcommand)]
pub enum InteropCommand {
    /// Rate two systems in every domain, with the evidence.
    Pair {
        #[command(flatten)]
        db: DbArg,
        a: String,
        b: String,
        /// Only these domains (repeatable); default: every domain either system takes part in.
        #[arg(long = "domain")]
        domains: Vec<String>,
        #[arg(long, value_enum, default_value_t = TextFormat::Text)]
        format: TextFormat,
    },
    /// Rate every pair of two fleets, per domain and per pair of origin nations.
    Matrix {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        fleets: Fleets,
        /// Also list every pair.
        #[arg(long)]
        pairs: bool,
        #[arg(long, value_enum, default_value_t = MatrixFormat::Table)]
        format: MatrixFormat,
        /// Print how long loading and computing took, on standard error.
        #[arg(long)]
        timings: bool,
    },
    /// What if: the matrix of two fleets now and after some actions.
    Whatif {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        fleets: Fleets,
        /// An action (repeatable, applied in order): test:SYSTEM:STANDARD (a claimed
        /// conformance is tested), adopt:SYSTEM:STANDARD, field:GATEWAY (a planned gateway is
        /// fielded), gateway:DOMAIN:FROM:TO (a new full two-way gateway).
        #[arg(long = "action", required = true, value_name = "ACTION")]
        actions: Vec<String>,
        #[arg(long, value_enum, default_value_t = TextFormat::Text)]
        format: TextFormat,
    },
    /// Plan the few actions that raise the most pairs to the target level (greedy).
    Plan {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        fleets: Fleets,
        /// Level a (a, b, domain) triple must reach to count as covered: 1, 2 or 3.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=3))]
        target: u8,
        /// Number of actions at most.
        #[arg(long, default_value_t = 10)]
        budget: usize,
        #[arg(long, value_enum, default_value_t = TextFormat::Text)]
        format: TextFormat,
        /// Print how long loading and computing took, on standard error.
        #[arg(long)]
        timings: bool,
    },
}

/// The two fleets and the domains of a matrix or a plan.
#[derive(clap::Args)]
pub struct Fleets {
    /// Left fleet: all, operator:X, origin:X, category:C, producer:ORG, ids:a,b (repeat = AND).
    #[arg(long, required = true)]
    left: Vec<String>,
    /// Right fleet, same filters.
    #[arg(long, required = true)]
    right: Vec<String>,
    /// Only these domains (repeatable); default: all.
    #[arg(long = "domain")]
    domains: Vec<String>,
    /// A bloc filter (operator:NATO) means the bloc's members on this day (YYYY-MM-DD);
    /// default: today.
    #[arg(long, value_parser = parse_day)]
    on: Option<Day>,
}

fn parse_day(s: &str) -> Result<Day, String> {
    Day::parse(s).ok_or_else(|| format!("\"{s}\" is not a date (YYYY-MM-DD)"))
}

impl Fleets {
    fn query(&self, pairs: bool) -> MatrixQuery {
        MatrixQuery {
            left: self.left.clone(),
            right: self.right.clone(),
            domains: self.domains.clone(),
            pairs,
            max_listed: None,
            on: self.on,
        }
    }

    fn title(&self) -> String {
        format!("{} × {}", self.left.join(" & "), self.right.join(" & "))
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    Table,
    Json,
    Csv,
    Svg,
}

pub async fn run(cmd: InteropCommand, lang: Lang) -> Result<()> {
    match cmd {
        InteropCommand::Pair {
            db,
            a,
            b,
            domains,
            format,
        } => {
            let app = open_app(&db.db).await?;
            let report = app
                .pair(&actor(&app).await?, &a, &b, &domains)
                .await
                .map_err(app_error)?;
            match format {
                TextFormat::Json => print_json(&report),
                TextFormat::Text => print!("{}", render::pair_text(&report, lang)),
            }
            Ok(())
        }
        InteropCommand::Matrix {
            db,
            fleets,
            pairs,
            format,
            timings,
        } => {
            let started = std::time::Instant::now();
            let app = open_app(&db.db).await?;
            let opened = started.elapsed();
            let bar = Arc::new(progress::Bar::new("rating domains"));
            let m = app
                .matrix(&actor(&app).await?, &fleets.query(pairs), bar.clone())
                .await
                .map_err(app_error)?;
            bar.finish();
            if timings {
                eprintln!(
                    "timings: open {:.3} s, load {:.3} s, matrix {:.3} s ({} × {} systems, {} domains)",
                    opened.as_secs_f64(),
                    m.timings.load.as_secs_f64(),
                    m.timings.compute.as_secs_f64(),
                    m.left.len(),
                    m.right.len(),
                    m.matrix.domains.len()
                );
            }
            let title = fleets.title();
            match format {
                MatrixFormat::Json => print_json(&m.report()),
                MatrixFormat::Table => print!("{}", render::matrix_table(&m, lang)),
                MatrixFormat::Csv => print!("{}", render::matrix_csv(&m)),
                MatrixFormat::Svg if pairs && m.matrix.domains.len() == 1 => print!(
                    "{}",
                    render::systems_heatmap(
                        &m.snapshot,
                        &m.matrix,
                        &m.left,
                        &m.right,
                        &title,
                        lang
                    )
                ),
                MatrixFormat::Svg => {
                    print!(
                        "{}",
                        render::nations_heatmap(&m.snapshot, &m.matrix, &title, lang)
                    )
                }
            }
            Ok(())
        }
        InteropCommand::Whatif {
            db,
            fleets,
            actions,
            format,
        } => {
            let app = open_app(&db.db).await?;
            let w = app
                .whatif(&actor(&app).await?, &fleets.query(false), &actions)
                .await
                .map_err(app_error)?;
            match format {
                TextFormat::Json => print_json(&serde_json::json!({
                    "actions": w.actions,
                    "before": w.before.report(),
                    "after": w.after.report(),
                })),
                TextFormat::Text => print!("{}", render::whatif_table(&w, lang)),
            }
            Ok(())
        }
        InteropCommand::Plan {
            db,
            fleets,
            target,
            budget,
            format,
            timings,
        } => {
            if budget == 0 {
                bail!("--budget must be at least 1");
            }
            let app = open_app(&db.db).await?;
            let bar = Arc::new(progress::Bar::new("planning"));
            let query = PlanQuery {
                fleets: fleets.query(false),
                target,
                budget,
            };
            let outcome = app
                .plan(&actor(&app).await?, &query, bar.clone())
                .await
                .map_err(app_error)?;
            bar.finish();
            if timings {
                eprintln!(
                    "timings: load {:.3} s, plan {:.3} s ({} steps)",
                    outcome.timings.load.as_secs_f64(),
                    outcome.timings.compute.as_secs_f64(),
                    outcome.plan.steps.len()
                );
            }
            let p = &outcome.plan;
            match format {
                TextFormat::Json => print_json(p),
                TextFormat::Text => print!(
                    "{}",
                    render::plan_text(p, outcome.left, outcome.right, lang)
                ),
            }
            Ok(())
        }
    }
}
