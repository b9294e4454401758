//! `defcoop meeting ics` and `defcoop calendar feed`: the workspace's calendars as iCalendar
//! (RFC 5545) files, and the secret feed URLs calendar programs subscribe to. Each acts as
//! [`crate::actor`] (the operator, or `--as USER`).
//!
//! `meeting ics` is a variant of the workspace's `meeting` command (its arguments are
//! [`IcsArgs`], run by [`meeting_ics`]).

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Subcommand;
use defcoop_app::render::datetime;
use defcoop_app::workspace::{feed_path, CalendarScope};
use defcoop_app::Actor;

use crate::accounts::token_line;
use crate::{actor, app_error, files, open_app, print_json, DbArg, Report};

#[derive(clap::Args)]
pub(crate) struct IcsArgs {
    #[command(flatten)]
    db: DbArg,
    /// The meetings of this body (its id).
    #[arg(long, value_name = "ID", group = "scope")]
    body: Option<String>,
    /// The meetings and engagements of this person (their id).
    #[arg(long, value_name = "ID", group = "scope")]
    person: Option<String>,
    /// This one meeting (its id).
    #[arg(long, value_name = "ID", group = "scope")]
    meeting: Option<String>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
pub(crate) enum CalendarCommand {
    /// Calendar feeds: secret URLs of a user's personal calendar (every meeting and
    /// engagement the user may read) that calendar programs fetch without signing in.
    Feed {
        #[command(subcommand)]
        command: FeedCommand,
    },
}

#[derive(Subcommand)]
pub(crate) enum FeedCommand {
    /// Create a feed; its URL is printed once, alone on the last line.
    Create {
        #[command(flatten)]
        db: DbArg,
        /// Whose calendar (default: the user of --as). Admins make feeds for anyone.
        #[arg(long)]
        user: Option<String>,
        /// Days until it expires (default 365, at most 3650).
        #[arg(long)]
        expires: Option<i64>,
        /// Where browsers and calendar programs reach the server (as `serve --public-url`):
        /// the printed URL starts with it. Without it, the path alone is printed.
        #[arg(long, env = "DEFCOOP_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// List feeds (never their secrets): admins anyone's, users their own.
    List {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        user: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: Report,
    },
    /// Revoke a feed by its id (`cal-…`): its URL stops working at once.
    Revoke {
        #[command(flatten)]
        db: DbArg,
        id: String,
    },
}

/// `defcoop meeting ics`: the calendar on standard output or in `--out`.
pub(crate) async fn meeting_ics(args: IcsArgs) -> Result<()> {
    let scope = match (args.body, args.person, args.meeting) {
        (Some(b), _, _) => CalendarScope::Body(b),
        (_, Some(p), _) => CalendarScope::Person(p),
        (_, _, Some(m)) => CalendarScope::Meeting(m),
        _ => CalendarScope::Everything,
    };
    let app = open_app(&args.db.db).await?;
    let text = match actor(&app).await {
        Ok(who) => app.calendar(&who, &scope).await.map_err(app_error),
        Err(e) => Err(e),
    };
    app.store().close().await;
    let text = text?;
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

pub(crate) async fn calendar(command: CalendarCommand) -> Result<()> {
    let CalendarCommand::Feed { command } = command;
    match command {
        FeedCommand::Create {
            db,
            user,
            expires,
            public_url,
        } => {
            if let Some(url) = &public_url {
                defcoop_web::check_public_url(url)
                    .map_err(|e| anyhow::anyhow!("--public-url: {e}"))?;
            }
            let app = open_app(&db.db).await?;
            let who = actor(&app).await?;
            let user = match user {
                Some(u) => u,
                // The operator is nobody's account: it names the user.
                None if who == Actor::operator() => {
                    bail!("name whose calendar the feed shows: --user NAME")
                }
                None => who.name().to_string(),
            };
            let feed = app.create_feed(&who, &user, expires).await?;
            let path = feed_path(&feed.token);
            eprintln!(
                "created calendar feed {} for {}, expires {}; its URL is shown once, keep it secret:",
                feed.info.id,
                feed.info.user,
                feed.info.expires_at.map_or("never".into(), datetime)
            );
            match public_url {
                Some(url) => println!("{}{path}", url.trim_end_matches('/')),
                None => println!("{path}"),
            }
            Ok(())
        }
        FeedCommand::List { db, user, format } => {
            let app = open_app(&db.db).await?;
            let feeds = app.feeds(&actor(&app).await?, user.as_deref()).await?;
            match format {
                Report::Json => print_json(&feeds),
                Report::Text => {
                    for f in &feeds {
                        println!("{}", token_line(f));
                    }
                }
            }
            Ok(())
        }
        FeedCommand::Revoke { db, id } => {
            let app = open_app(&db.db).await?;
            let f = app.revoke_feed(&actor(&app).await?, &id).await?;
            eprintln!("revoked calendar feed {} of {}", f.id, f.user);
            Ok(())
        }
    }
}
