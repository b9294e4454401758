//! The consultative body's workspace from the command line: `defcoop meeting`, `minutes`,
//! `proposal`, `action` and `engagement` (docs/WORKSPACE.md). Each parses its options, calls
//! the workspace's use cases (`defcoop_app::workspace`) as [`crate::actor`], and prints the
//! answer as text (`defcoop_app::render`, in the language of `--lang`) or as the use case's
//! JSON. Errors name the option that was wrong and are translated by the app's message
//! catalogue.

mod engagements;
mod meetings;
mod proposals;

use anyhow::{anyhow, bail, Result};
use defcoop_app::render::{cut, message, Lang};
use defcoop_app::{Actor, App, AppError};
use defcoop_domain::model::Day;

use crate::{actor, app_error_as, open_app, print_json, DbArg, Report};

pub use engagements::EngagementCommand;
pub use meetings::{MeetingCommand, MinutesCommand};
pub use proposals::{ActionCommand, ProposalCommand};

/// `defcoop meeting ...`.
pub async fn meeting(cmd: MeetingCommand, lang: Lang) -> Result<()> {
    in_lang(lang, meetings::meeting(cmd, lang).await)
}

/// `defcoop minutes ...`.
pub async fn minutes(cmd: MinutesCommand, lang: Lang) -> Result<()> {
    in_lang(lang, meetings::minutes(cmd, lang).await)
}

/// `defcoop proposal ...`.
pub async fn proposal(cmd: ProposalCommand, lang: Lang) -> Result<()> {
    in_lang(lang, proposals::proposal(cmd, lang).await)
}

/// `defcoop action ...`.
pub async fn action(cmd: ActionCommand, lang: Lang) -> Result<()> {
    in_lang(lang, proposals::action(cmd, lang).await)
}

/// `defcoop engagement ...`.
pub async fn engagement(cmd: EngagementCommand, lang: Lang) -> Result<()> {
    in_lang(lang, engagements::engagement(cmd, lang).await)
}

/// The error, whole (with its context), in `lang` by the app's message catalogue.
fn in_lang(lang: Lang, result: Result<()>) -> Result<()> {
    result.map_err(|e| match lang {
        Lang::En => e,
        _ => anyhow!("{}", message(lang, &format!("{e:#}"))),
    })
}

/// The application over an existing database and who acts on it (the store is closed again
/// when the actor cannot be had).
async fn session(db: &DbArg) -> Result<(App, Actor)> {
    let app = open_app(&db.db).await?;
    match actor(&app).await {
        Ok(who) => Ok((app, who)),
        Err(e) => {
            app.store().close().await;
            Err(e)
        }
    }
}

/// An application error for the terminal: a single problem is the error itself (its field,
/// then what is wrong); several are listed on standard error, in `lang`, and counted.
fn failed(lang: Lang) -> impl Fn(AppError) -> anyhow::Error {
    move |e| match e {
        AppError::Invalid(problems) if problems.len() == 1 => {
            anyhow!(
                "{}",
                problems.iter().map(ToString::to_string).collect::<String>()
            )
        }
        AppError::Invalid(problems) => {
            for p in &problems {
                eprintln!("  {}", message(lang, &p.to_string()));
            }
            anyhow!(
                "{} problem(s) in the input; nothing was written",
                problems.len()
            )
        }
        e => app_error_as(e, "nothing was written"),
    }
}

/// Prints `value` as JSON, or `text` made from it.
fn answer<T: serde::Serialize + ?Sized>(format: Report, value: &T, text: impl FnOnce() -> String) {
    match format {
        Report::Json => print_json(value),
        Report::Text => print!("{}", text()),
    }
}

/// One of an enum's values by its dataset spelling (case, spaces and `_` forgiven), or an
/// error naming the option and listing the values.
fn one_of<T: Copy>(
    option: &str,
    value: &str,
    what: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T> {
    let wanted = value.trim().to_lowercase().replace([' ', '_'], "-");
    if let Some(v) = all.iter().copied().find(|v| name(*v) == wanted) {
        return Ok(v);
    }
    let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
    bail!(
        "{option}: \"{}\" is not {what} ({})",
        cut(value, 40),
        names.join(", ")
    )
}

/// A `YYYY-MM-DD` day, or an error naming the option.
fn day(option: &str, value: &str) -> Result<Day> {
    Day::parse(value.trim()).ok_or_else(|| {
        anyhow!(
            "{option}: \"{}\" is not a date (YYYY-MM-DD)",
            cut(value, 40)
        )
    })
}

fn optional_day(option: &str, value: Option<&str>) -> Result<Option<Day>> {
    value.map(|v| day(option, v)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use defcoop_domain::workspace::MeetingStatus;

    #[test]
    fn values_are_read_forgivingly_and_refused_with_the_list() {
        let read = |v: &str| {
            one_of(
                "--status",
                v,
                "a meeting status",
                &MeetingStatus::ALL,
                MeetingStatus::as_str,
            )
        };
        assert_eq!(read(" Held").ok(), Some(MeetingStatus::Held));
        let err = read("late").map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            err,
            "--status: \"late\" is not a meeting status (planned, held, cancelled)"
        );
        assert_eq!(
            day("--on", "2025-11-20")
                .ok()
                .map(|d| d.to_string())
                .as_deref(),
            Some("2025-11-20")
        );
        let err = day("--due", "soon").map(|_| ()).unwrap_err().to_string();
        assert_eq!(err, "--due: \"soon\" is not a date (YYYY-MM-DD)");
    }
}
