//! `defcoop meeting list|show|close|cancel` and `defcoop minutes
//! circulate|approve|comment|correct|export`.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use defcoop_app::render::{self, cut, message, Lang};
use defcoop_app::workspace::MeetingQuery;
use defcoop_app::AppError;
use defcoop_domain::workspace::{rules::MAX_TEXT, time, MeetingStatus, MinutesStatus, Outcome};

use super::{answer, failed, one_of, session};
use crate::{files, DbArg, Report};

#[derive(Subcommand)]
pub enum MeetingCommand {
    /// The meetings you see, by start.
    List {
        #[command(flatten)]
        db: DbArg,
        /// Only this body's meetings.
        #[arg(long, value_name = "ID")]
        body: Option<String>,
        /// Only meetings this person takes part in.
        #[arg(long, value_name = "ID")]
        person: Option<String>,
        /// Only meetings in this state: planned, held or cancelled.
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// One meeting: its times in its own zone, its participants' nations' zones and yours,
    /// its agenda with outcomes, participants, minutes and decisions.
    Show {
        #[command(flatten)]
        db: DbArg,
        id: String,
        /// Also show the times in this IANA zone, e.g. America/New_York.
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Close a meeting (held), recording how each agenda item ended: every item needs an
    /// outcome, given here or before.
    Close {
        #[command(flatten)]
        db: DbArg,
        id: String,
        /// N=OUTCOME: agenda item N (from 1) was noted, agreed, deferred or rejected
        /// (repeatable).
        #[arg(long = "outcome", value_name = "N=OUTCOME")]
        outcomes: Vec<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Cancel a planned meeting.
    Cancel {
        #[command(flatten)]
        db: DbArg,
        id: String,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// A calendar (iCalendar, RFC 5545) of a body's meetings, a person's meetings and
    /// engagements, one meeting, or (with none of these) every meeting and engagement you see.
    Ics(crate::calendar::IcsArgs),
}

#[derive(Subcommand)]
pub enum MinutesCommand {
    /// Circulate draft minutes to the participants for comment.
    Circulate {
        #[command(flatten)]
        db: DbArg,
        id: String,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Approve circulated minutes (they are then frozen).
    Approve {
        #[command(flatten)]
        db: DbArg,
        id: String,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Comment on circulated minutes, as a participant of the meeting.
    Comment {
        #[command(flatten)]
        db: DbArg,
        id: String,
        /// The comment.
        #[arg(long)]
        text: String,
        /// Who comments (a person's id): the operator names them; a user comments as the
        /// person their account is linked to.
        #[arg(long, value_name = "ID")]
        person: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Correct approved minutes: new minutes, the next version, in draft.
    Correct {
        #[command(flatten)]
        db: DbArg,
        /// The approved minutes to correct.
        id: String,
        /// The new minutes' id.
        #[arg(long = "id", value_name = "NEW")]
        new_id: String,
        /// The corrected text, a Markdown file.
        #[arg(long, value_name = "FILE", required_unless_present = "text")]
        file: Option<PathBuf>,
        /// The corrected text, given here.
        #[arg(long, conflicts_with = "file")]
        text: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Minutes as a Markdown document: the meeting, when and where, version, text, comments.
    Export {
        #[command(flatten)]
        db: DbArg,
        id: String,
        /// Write to FILE (atomically) instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// `N=OUTCOME` options as (position, outcome), each position once.
fn outcomes(given: &[String]) -> Result<Vec<(usize, Outcome)>> {
    let mut out: Vec<(usize, Outcome)> = Vec::new();
    for g in given {
        let parsed = g
            .split_once('=')
            .and_then(|(n, o)| Some((n.trim().parse::<usize>().ok()?, o)));
        let Some((n, o)) = parsed.filter(|(n, _)| *n >= 1) else {
            bail!(
                "--outcome \"{}\": give N=OUTCOME, N an agenda item's position from 1 (e.g. 2=agreed)",
                cut(g, 40)
            );
        };
        let outcome = one_of("--outcome", o, "an outcome", &Outcome::ALL, Outcome::as_str)?;
        if out.iter().any(|(m, _)| *m == n) {
            bail!("--outcome: item {n} is given twice");
        }
        out.push((n, outcome));
    }
    Ok(out)
}

pub(super) async fn meeting(cmd: MeetingCommand, lang: Lang) -> Result<()> {
    let fail = failed(lang);
    match cmd {
        MeetingCommand::Ics(args) => crate::calendar::meeting_ics(args).await?,
        MeetingCommand::List {
            db,
            body,
            person,
            status,
            format,
        } => {
            let status = status
                .map(|s| {
                    one_of(
                        "--status",
                        &s,
                        "a meeting status",
                        &MeetingStatus::ALL,
                        MeetingStatus::as_str,
                    )
                })
                .transpose()?;
            let q = MeetingQuery {
                body,
                person,
                status,
            };
            let (app, who) = session(&db).await?;
            let found = app.meetings(&who, &q).await;
            app.store().close().await;
            let found = found.map_err(fail)?;
            answer(format, &found, || render::meetings_table(&found, lang));
        }
        MeetingCommand::Show { db, id, tz, format } => {
            if let Some(z) = &tz {
                time::zone(z).map_err(|e| anyhow!("--tz: {e}"))?;
            }
            let (app, who) = session(&db).await?;
            let view = app.meeting(&who, &id, tz.as_deref()).await;
            // Names, minutes and decisions for the text, from the same reader's view.
            let data = match (&view, format) {
                (Ok(_), Report::Text) => Some(app.workspace(&who).await),
                _ => None,
            };
            app.store().close().await;
            let view = view.map_err(&fail)?;
            match data {
                Some(data) => {
                    let data = data.map_err(&fail)?;
                    print!("{}", render::meeting_text(&view, &data, lang));
                }
                None => answer(format, &view, String::new),
            }
        }
        MeetingCommand::Close {
            db,
            id,
            outcomes: given,
            format,
        } => {
            let given = outcomes(&given)?;
            let (app, who) = session(&db).await?;
            let done = app.close_meeting(&who, &id, &given).await;
            app.store().close().await;
            let done = done.map_err(fail)?;
            answer(format, &done, || render::meeting_line(&done, lang));
        }
        MeetingCommand::Cancel { db, id, format } => {
            let (app, who) = session(&db).await?;
            let done = app.cancel_meeting(&who, &id).await;
            app.store().close().await;
            let done = done.map_err(fail)?;
            answer(format, &done, || render::meeting_line(&done, lang));
        }
    }
    Ok(())
}

/// A Markdown file's text (at most what minutes may hold), or an error naming `--file`.
fn read_text(path: &Path) -> Result<String> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("--file: cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_TEXT as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("--file: cannot read {}", path.display()))?;
    if bytes.len() > MAX_TEXT {
        bail!(
            "--file: {} is longer than {MAX_TEXT} bytes (minutes hold at most 1 MiB)",
            path.display()
        );
    }
    String::from_utf8(bytes).map_err(|_| anyhow!("--file: {} is not UTF-8 text", path.display()))
}

pub(super) async fn minutes(cmd: MinutesCommand, lang: Lang) -> Result<()> {
    let fail = failed(lang);
    match cmd {
        MinutesCommand::Circulate { db, id, format } => {
            step(db, &id, MinutesStatus::Circulated, format, lang).await?;
        }
        MinutesCommand::Approve { db, id, format } => {
            step(db, &id, MinutesStatus::Approved, format, lang).await?;
        }
        MinutesCommand::Comment {
            db,
            id,
            text,
            person,
            format,
        } => {
            let (app, who) = session(&db).await?;
            let done = app
                .comment_minutes(&who, &id, person.as_deref(), &text)
                .await;
            app.store().close().await;
            let done = done.map_err(|e| match e {
                // The one request the command itself gets wrong: the operator named nobody.
                AppError::BadRequest(m) if person.is_none() => anyhow!("--person: {m}"),
                e => fail(e),
            })?;
            answer(format, &done, || render::minutes_line(&done, lang));
        }
        MinutesCommand::Correct {
            db,
            id,
            new_id,
            file,
            text,
            format,
        } => {
            let text = match (file, text) {
                (Some(path), _) => read_text(&path)?,
                (None, Some(t)) => t,
                (None, None) => bail!("give the corrected text: --file F.md or --text T"),
            };
            let (app, who) = session(&db).await?;
            let done = app.correct_minutes(&who, &id, &new_id, &text).await;
            app.store().close().await;
            let done = done.map_err(fail)?;
            answer(format, &done, || render::minutes_line(&done, lang));
        }
        MinutesCommand::Export { db, id, out } => {
            let (app, who) = session(&db).await?;
            let md = app.minutes_markdown(&who, &id).await;
            app.store().close().await;
            let md = md.map_err(fail)?;
            match out {
                Some(path) => {
                    files::write_atomic(&path, md.as_bytes())?;
                    eprintln!("{}", message(lang, &format!("wrote {}", path.display())));
                }
                None => print!("{md}"),
            }
        }
    }
    Ok(())
}

/// Moves minutes one step of their workflow and prints what they are.
async fn step(db: DbArg, id: &str, to: MinutesStatus, format: Report, lang: Lang) -> Result<()> {
    let (app, who) = session(&db).await?;
    let done = app.advance_minutes(&who, id, to).await;
    app.store().close().await;
    let done = done.map_err(failed(lang))?;
    answer(format, &done, || render::minutes_line(&done, lang));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_positions_from_one_each_once() {
        let given = |xs: &[&str]| outcomes(&xs.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(
            given(&["1=noted", "3= Agreed"]).ok(),
            Some(vec![(1, Outcome::Noted), (3, Outcome::Agreed)])
        );
        for (bad, says) in [
            (vec!["agreed"], "--outcome \"agreed\": give N=OUTCOME"),
            (vec!["0=agreed"], "--outcome \"0=agreed\": give N=OUTCOME"),
            (vec!["x=agreed"], "--outcome \"x=agreed\": give N=OUTCOME"),
            (
                vec!["2=passed"],
                "--outcome: \"passed\" is not an outcome (noted, agreed, deferred, rejected)",
            ),
            (
                vec!["2=noted", "2=agreed"],
                "--outcome: item 2 is given twice",
            ),
        ] {
            let err = given(&bad).map(|_| ()).unwrap_err().to_string();
            assert!(err.starts_with(says), "{bad:?}: {err}");
        }
    }
}
