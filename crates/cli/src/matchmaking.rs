//! Joint R&D matchmaking on the command line (docs/MATCHMAKING.md): `defcoop match`, the
//! ranked offers for a need or needs for an offer, and `defcoop consortium check`, whether a
//! proposed consortium may apply to a funding instrument (the command exits 0 only when the
//! consortium breaks no rule).

use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use defcoop_app::matchmaking::matching::{Side, MAX_TOP};
use defcoop_app::render::{self, message, Lang};
use defcoop_domain::matchmaking::builder;
use defcoop_domain::model::Day;

use defcoop_app::AppError;

use crate::{actor, open_app, print_json, DbArg, Report};

#[derive(Subcommand)]
pub enum ConsortiumCommand {
    /// Check a proposed consortium against an instrument's rules: every rule it breaks, with
    /// the numbers, and what its partners may do. Exits 0 only when it is eligible.
    Check {
        #[command(flatten)]
        db: DbArg,
        /// The funding instrument (its id).
        #[arg(long, value_name = "ID")]
        instrument: String,
        /// The member organizations (ids), separated by commas or repeated.
        #[arg(
            long,
            value_name = "ORG,ORG,...",
            value_delimiter = ',',
            required = true
        )]
        members: Vec<String>,
        /// A member's share of the component cost in percent (repeat for each member; none:
        /// equal shares).
        #[arg(long, value_name = "ORG=PCT")]
        share: Vec<String>,
        /// The day bloc memberships are read on (YYYY-MM-DD; default today).
        #[arg(long, value_name = "DAY")]
        on: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Propose the best-scoring consortia for a need that an instrument's rules accept: the
    /// organizations owning offers, each valued by its best offer's match score; exact
    /// within the search budget, else with the bound of what was not examined.
    Build {
        #[command(flatten)]
        db: DbArg,
        /// The need (its id).
        #[arg(long, value_name = "ID")]
        need: String,
        /// The funding instrument (its id).
        #[arg(long, value_name = "ID")]
        instrument: String,
        /// Members per consortium (default: the instrument's minimum number of entities, else 3).
        #[arg(long, value_name = "K",
              value_parser = clap::value_parser!(u16).range(1..=builder::MAX_SIZE as i64))]
        size: Option<u16>,
        /// How many consortia to propose (1 to 50).
        #[arg(long, value_name = "N", default_value_t = 5,
              value_parser = clap::value_parser!(u16).range(1..=builder::MAX_TOP as i64))]
        top: u16,
        /// The day bloc memberships are read on (YYYY-MM-DD; default today).
        #[arg(long, value_name = "DAY")]
        on: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
}

fn parse_on(on: Option<String>) -> Result<Option<Day>> {
    match on {
        None => Ok(None),
        Some(d) => Ok(Some(Day::parse(d.trim()).ok_or_else(|| {
            anyhow!(
                "--on: \"{}\" is not a date (YYYY-MM-DD)",
                render::cut(&d, 40)
            )
        })?)),
    }
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["need", "offer"])))]
pub struct MatchArgs {
    #[command(flatten)]
    db: DbArg,
    /// Rank the offers for this need (its id).
    #[arg(long, value_name = "ID")]
    need: Option<String>,
    /// Rank the needs for this offer (its id).
    #[arg(long, value_name = "ID")]
    offer: Option<String>,
    /// How many matches to show (1 to 100).
    #[arg(long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u16).range(1..=MAX_TOP as i64))]
    top: u16,
    #[arg(long, value_enum, default_value_t = Report::Text)]
    format: Report,
}

pub async fn matches(args: MatchArgs, lang: Lang) -> Result<()> {
    let (side, id) = match (args.need, args.offer) {
        (Some(n), None) => (Side::Need, n),
        (None, Some(o)) => (Side::Offer, o),
        _ => bail!("give --need ID or --offer ID"),
    };
    let app = open_app(&args.db.db).await?;
    let who = match actor(&app).await {
        Ok(w) => w,
        Err(e) => {
            app.store().close().await;
            return Err(e);
        }
    };
    let found = app
        .matches(&who, side, id.trim(), usize::from(args.top))
        .await;
    app.store().close().await;
    let found = found.map_err(|e| refused(lang, e))?;
    match args.format {
        Report::Json => print_json(&found),
        Report::Text => print!("{}", render::matches_text(&found, lang)),
    }
    Ok(())
}

/// The members with their shares: every `--share` names a member, once.
fn members_with_shares(
    members: &[String],
    shares: &[String],
) -> Result<Vec<(String, Option<f64>)>> {
    let mut out: Vec<(String, Option<f64>)> = members
        .iter()
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .map(|m| (m, None))
        .collect();
    for s in shares {
        let Some((org, pct)) = s.split_once('=') else {
            bail!(
                "--share: give ORG=PCT (e.g. hanwha-aerospace=30), not \"{}\"",
                render::cut(s, 40)
            );
        };
        let pct: f64 =
            pct.trim().trim_end_matches('%').parse().map_err(|_| {
                anyhow!("--share: \"{}\" is not a percentage", render::cut(pct, 20))
            })?;
        let Some(slot) = out.iter_mut().find(|(m, _)| m == org.trim()) else {
            bail!(
                "--share: \"{}\" is not one of --members",
                render::cut(org, 60)
            );
        };
        if slot.1.is_some() {
            bail!("--share: \"{}\" is given twice", slot.0);
        }
        slot.1 = Some(pct);
    }
    Ok(out)
}

/// A refusal for the terminal, in `lang`: the input's problems one a line on standard error.
pub(crate) fn refused(lang: Lang, e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(problems) => {
            for p in &problems {
                eprintln!("  {}", message(lang, &p.to_string()));
            }
            anyhow!(
                "{}",
                message(
                    lang,
                    &format!(
                        "{} problem(s) in the input; nothing was checked",
                        problems.len()
                    )
                )
            )
        }
        e => anyhow!("{}", message(lang, &e.to_string())),
    }
}

pub async fn consortium(cmd: ConsortiumCommand, lang: Lang) -> Result<()> {
    match cmd {
        ConsortiumCommand::Check {
            db,
            instrument,
            members,
            share,
            on,
            format,
        } => {
            let members = members_with_shares(&members, &share)?;
            let on = parse_on(on)?;
            let app = open_app(&db.db).await?;
            let who = match actor(&app).await {
                Ok(w) => w,
                Err(e) => {
                    app.store().close().await;
                    return Err(e);
                }
            };
            let report = app.consortium_check(&who, &instrument, &members, on).await;
            app.store().close().await;
            let report = report.map_err(|e| refused(lang, e))?;
            match format {
                Report::Json => print_json(&report),
                Report::Text => print!("{}", render::consortium_text(&report, lang)),
            }
            if report.eligible {
                Ok(())
            } else {
                Err(anyhow!(
                    "{}",
                    message(
                        lang,
                        &format!(
                            "the consortium is not eligible for {}: {} rule(s) broken",
                            report.instrument,
                            report.breaches.len()
                        )
                    )
                ))
            }
        }
        ConsortiumCommand::Build {
            db,
            need,
            instrument,
            size,
            top,
            on,
            format,
        } => {
            let on = parse_on(on)?;
            let app = open_app(&db.db).await?;
            let who = match actor(&app).await {
                Ok(w) => w,
                Err(e) => {
                    app.store().close().await;
                    return Err(e);
                }
            };
            let built = app
                .consortium_build(
                    &who,
                    need.trim(),
                    instrument.trim(),
                    size.map(usize::from),
                    usize::from(top),
                    on,
                )
                .await;
            app.store().close().await;
            let built = built.map_err(|e| refused(lang, e))?;
            match format {
                Report::Json => print_json(&built),
                Report::Text => print!("{}", render::built_text(&built, lang)),
            }
            Ok(())
        }
    }
}
