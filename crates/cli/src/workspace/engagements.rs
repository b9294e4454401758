//! `defcoop engagement list|timeline|network`: bilateral engagements, a person's,
//! organization's or nation's meetings and engagements over time, and who met whom.

use anyhow::Result;
use clap::Subcommand;
use defcoop_app::render::{self, Lang};
use defcoop_app::workspace::Subject;

use defcoop_domain::model::Day;

use super::{answer, failed, optional_day, session};
use crate::{DbArg, Report};

#[derive(Subcommand)]
pub enum EngagementCommand {
    /// The engagements you see, by start.
    List {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// The meetings and engagements of a person, an organization (its people) or a nation
    /// (the people of its organizations), oldest first.
    #[command(group(
        clap::ArgGroup::new("subject")
            .required(true)
            .args(["person", "organization", "nation"])
    ))]
    Timeline {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_name = "ID")]
        person: Option<String>,
        #[arg(long, value_name = "ID")]
        organization: Option<String>,
        /// A nation's code, e.g. KOR.
        #[arg(long, value_name = "CODE")]
        nation: Option<String>,
        /// From this day (YYYY-MM-DD, UTC), inclusive.
        #[arg(long, value_name = "DAY")]
        from: Option<String>,
        /// To this day (YYYY-MM-DD, UTC), inclusive.
        #[arg(long, value_name = "DAY")]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Who met whom: people, and each pair who took part in the same meeting or engagement
    /// with how often (text: `A — B: n`).
    Network {
        #[command(flatten)]
        db: DbArg,
        /// From this day (YYYY-MM-DD, UTC), inclusive.
        #[arg(long, value_name = "DAY")]
        from: Option<String>,
        /// To this day (YYYY-MM-DD, UTC), inclusive.
        #[arg(long, value_name = "DAY")]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
}

/// The period `--from`..=`--to`, each end optional, never ending before it starts.
fn period(from: Option<&str>, to: Option<&str>) -> Result<(Option<Day>, Option<Day>)> {
    let from = optional_day("--from", from)?;
    let to = optional_day("--to", to)?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            anyhow::bail!("--from {f} is after --to {t}");
        }
    }
    Ok((from, to))
}

pub(super) async fn engagement(cmd: EngagementCommand, lang: Lang) -> Result<()> {
    let fail = failed(lang);
    match cmd {
        EngagementCommand::List { db, format } => {
            let (app, who) = session(&db).await?;
            let found = app.engagements(&who).await;
            app.store().close().await;
            let found = found.map_err(fail)?;
            answer(format, &found, || render::engagements_table(&found, lang));
        }
        EngagementCommand::Timeline {
            db,
            person,
            organization,
            nation,
            from,
            to,
            format,
        } => {
            let subject = match (person, organization, nation) {
                (Some(p), _, _) => Subject::Person(p),
                (_, Some(o), _) => Subject::Organization(o),
                (_, _, Some(n)) => Subject::Nation(n.trim().to_uppercase()),
                // clap requires one of the three.
                (None, None, None) => anyhow::bail!("give --person, --organization or --nation"),
            };
            let (from, to) = period(from.as_deref(), to.as_deref())?;
            let (app, who) = session(&db).await?;
            let found = app.timeline(&who, &subject, from, to).await;
            app.store().close().await;
            let found = found.map_err(fail)?;
            answer(format, &found, || render::timeline_table(&found, lang));
        }
        EngagementCommand::Network {
            db,
            from,
            to,
            format,
        } => {
            let (from, to) = period(from.as_deref(), to.as_deref())?;
            let (app, who) = session(&db).await?;
            let found = app.network(&who, from, to).await;
            app.store().close().await;
            let found = found.map_err(fail)?;
            answer(format, &found, || render::network_text(&found, lang));
        }
    }
    Ok(())
}
