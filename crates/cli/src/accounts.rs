//! `defcoop user`, `defcoop token` and `defcoop audit`: accounts and the audit log from the
//! command line. Each acts as [`crate::actor`] (the operator, or `--as USER`).

use std::io::Read;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use defcoop_app::accounts::UserAnswer;
use defcoop_app::render::{datetime, parse_date};
use defcoop_app::{App, NewUser, UserEdit};
use defcoop_domain::account::TokenScope;
use defcoop_store::{AuditFilter, StoredUser, TokenInfo, Verdict};

use crate::{actor, open, open_app, print_json, DbArg, Report};

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Add a user (admins only). Clearances and categories must name the registry's policies,
    /// classifications and categories.
    Add {
        #[command(flatten)]
        db: DbArg,
        /// Sign-in name: lower-case letters, digits, '.', '_' or '-'.
        #[arg(long)]
        name: String,
        /// ISO 3166-1 alpha-3 code, e.g. KOR.
        #[arg(long)]
        nationality: String,
        /// The user's organization (a registry organization id where there is one).
        #[arg(long)]
        organization: String,
        /// admin, secretariat, member, industry or viewer (repeatable).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// POLICY:LEVEL, e.g. DEFCOOP:RESTRICTED (repeatable, one per policy).
        #[arg(long = "clearance")]
        clearance: Vec<String>,
        /// NAME:VALUE, e.g. RELEASABLE-TO:KOR (repeatable).
        #[arg(long = "category")]
        categories: Vec<String>,
        /// The registry person the user is (a person's id): who comments on minutes as a
        /// participant, and whose personal calendar the user's feeds are.
        #[arg(long, value_name = "ID")]
        person: Option<String>,
        /// Read a password from standard input (its first line) for password sign-in.
        #[arg(long)]
        password_stdin: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Report,
    },
    /// List users (admins only).
    List {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value = "text")]
        format: Report,
    },
    /// Show one user with identities and tokens.
    Show {
        #[command(flatten)]
        db: DbArg,
        name: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Report,
    },
    /// Change a user (admins only); what is not given stays.
    Set {
        #[command(flatten)]
        db: DbArg,
        name: String,
        #[arg(long)]
        nationality: Option<String>,
        #[arg(long)]
        organization: Option<String>,
        /// Replaces the roles (repeatable).
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Replaces the clearance levels (repeatable).
        #[arg(long = "clearance", conflicts_with = "no_clearance")]
        clearance: Vec<String>,
        /// Removes every clearance level.
        #[arg(long)]
        no_clearance: bool,
        /// Replaces the category values (repeatable).
        #[arg(long = "category", conflicts_with = "no_categories")]
        categories: Vec<String>,
        /// Removes every category value.
        #[arg(long)]
        no_categories: bool,
        /// Links the user to this registry person (a person's id).
        #[arg(long, value_name = "ID", conflicts_with = "no_person")]
        person: Option<String>,
        /// Links the user to no registry person.
        #[arg(long)]
        no_person: bool,
        /// Read a new password from standard input (ends the user's sessions).
        #[arg(long, conflicts_with = "remove_password")]
        password_stdin: bool,
        /// Remove the password (no password sign-in; ends the user's sessions).
        #[arg(long)]
        remove_password: bool,
        /// Enable a disabled user.
        #[arg(long)]
        enable: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Report,
    },
    /// Disable a user: it can no longer sign in, its sessions end and its tokens stop working.
    Disable {
        #[command(flatten)]
        db: DbArg,
        name: String,
    },
    /// Link an identity at an organization's identity provider to a user (admins only), so
    /// the user signs in through it. The issuer must be a registered provider's (idp list).
    Link {
        #[command(flatten)]
        db: DbArg,
        name: String,
        /// The provider's issuer URL, exactly as registered.
        #[arg(long)]
        issuer: String,
        /// The user's subject (`sub`) at that provider: its stable id, never an e-mail.
        #[arg(long)]
        subject: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum TokenCommand {
    /// Create an API token; the token is printed once, alone on the last line.
    Create {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        user: String,
        /// Days until it expires (default 90, at most 3650).
        #[arg(long)]
        expires: Option<i64>,
    },
    /// List tokens (without their secrets).
    List {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        user: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: Report,
    },
    /// Revoke a token by its id (`tok-…`).
    Revoke {
        #[command(flatten)]
        db: DbArg,
        id: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Check the audit log's hash chain: exit 0 when it is whole, else name the first broken
    /// entry.
    Verify {
        #[command(flatten)]
        db: DbArg,
    },
    /// List audit entries, newest first (admins only).
    List {
        #[command(flatten)]
        db: DbArg,
        /// Entries by this user.
        #[arg(long)]
        user: Option<String>,
        /// Entries that touched this record: KIND:KEY, e.g. system:k9 or user:alice.
        #[arg(long)]
        record: Option<String>,
        /// From this date (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: Option<String>,
        /// Before this date (YYYY-MM-DD, UTC).
        #[arg(long)]
        until: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long, value_enum, default_value = "text")]
        format: Report,
    },
}

/// The first line of standard input (a secret: `what` names it), without its line end.
pub(crate) fn first_line_of_stdin(what: &str) -> Result<String> {
    let mut buf = Vec::new();
    std::io::stdin()
        .take(4096)
        .read_to_end(&mut buf)
        .with_context(|| format!("reading {what} from standard input"))?;
    let text = String::from_utf8(buf).with_context(|| format!("{what} is not UTF-8 text"))?;
    let line = text.lines().next().unwrap_or("").to_string();
    if line.is_empty() {
        bail!("no {} on standard input", what.trim_start_matches("the "));
    }
    Ok(line)
}

fn password_from_stdin() -> Result<String> {
    first_line_of_stdin("the password")
}

pub(crate) async fn user(command: UserCommand) -> Result<()> {
    match command {
        UserCommand::Add {
            db,
            name,
            nationality,
            organization,
            roles,
            clearance,
            categories,
            person,
            password_stdin,
            format,
        } => {
            let password = password_stdin.then(password_from_stdin).transpose()?;
            let app = App::direct(open(&db.db).await?);
            let new = NewUser {
                name,
                nationality,
                organization,
                roles,
                clearance,
                categories,
                password,
                person,
            };
            let user = app.add_user(&actor(&app).await?, new).await?;
            print_user(&user, format);
            if format == Report::Text {
                eprintln!("added user {}", user.user.name);
            }
            Ok(())
        }
        UserCommand::List { db, format } => {
            let app = open_app(&db.db).await?;
            let users = app.users(&actor(&app).await?).await?;
            match format {
                Report::Json => print_json(&users),
                Report::Text => {
                    for u in &users {
                        print_user(u, Report::Text);
                    }
                }
            }
            Ok(())
        }
        UserCommand::Show { db, name, format } => {
            let app = open_app(&db.db).await?;
            let answer = app.user(&actor(&app).await?, &name).await?;
            match format {
                Report::Json => print_json(&answer),
                Report::Text => print_user_answer(&answer),
            }
            Ok(())
        }
        UserCommand::Set {
            db,
            name,
            nationality,
            organization,
            roles,
            clearance,
            no_clearance,
            categories,
            no_categories,
            person,
            no_person,
            password_stdin,
            remove_password,
            enable,
            format,
        } => {
            let password = password_stdin.then(password_from_stdin).transpose()?;
            let app = open_app(&db.db).await?;
            let edit = UserEdit {
                nationality,
                organization,
                roles: (!roles.is_empty()).then_some(roles),
                clearance: (no_clearance || !clearance.is_empty()).then_some(clearance),
                categories: (no_categories || !categories.is_empty()).then_some(categories),
                password,
                remove_password,
                disabled: enable.then_some(false),
                person: if no_person {
                    Some(None)
                } else {
                    person.map(Some)
                },
            };
            let user = app.set_user(&actor(&app).await?, &name, edit).await?;
            print_user(&user, format);
            Ok(())
        }
        UserCommand::Disable { db, name } => {
            let app = open_app(&db.db).await?;
            let edit = UserEdit {
                disabled: Some(true),
                ..Default::default()
            };
            app.set_user(&actor(&app).await?, &name, edit).await?;
            eprintln!("disabled user {name}: its sessions ended and its tokens no longer work");
            Ok(())
        }
        UserCommand::Link {
            db,
            name,
            issuer,
            subject,
        } => {
            let app = open_app(&db.db).await?;
            app.link_identity(&actor(&app).await?, &name, &issuer, &subject)
                .await?;
            eprintln!("linked {name} to subject {subject} at {issuer}");
            Ok(())
        }
    }
}

pub(crate) async fn token(command: TokenCommand) -> Result<()> {
    match command {
        TokenCommand::Create { db, user, expires } => {
            let app = open_app(&db.db).await?;
            let t = app
                .create_token(&actor(&app).await?, &user, expires)
                .await?;
            eprintln!(
                "created token {} for {}, expires {}; it is shown once, keep it secret:",
                t.info.id,
                t.info.user,
                t.info.expires_at.map_or("never".into(), datetime)
            );
            println!("{}", t.token);
            Ok(())
        }
        TokenCommand::List { db, user, format } => {
            let app = open_app(&db.db).await?;
            let tokens = app.tokens(&actor(&app).await?, user.as_deref()).await?;
            match format {
                Report::Json => print_json(&tokens),
                Report::Text => {
                    for t in &tokens {
                        println!("{}", token_line(t));
                    }
                }
            }
            Ok(())
        }
        TokenCommand::Revoke { db, id } => {
            let app = open_app(&db.db).await?;
            let t = app.revoke_token(&actor(&app).await?, &id).await?;
            eprintln!("revoked token {} of {}", t.id, t.user);
            Ok(())
        }
    }
}

pub(crate) async fn audit(command: AuditCommand) -> Result<()> {
    match command {
        AuditCommand::Verify { db } => {
            let app = open_app(&db.db).await?;
            match app.verify_audit().await? {
                Verdict::Whole { entries, head } => {
                    println!("audit log whole: {entries} entries, head {head}");
                    Ok(())
                }
                Verdict::Broken { seq, why } => bail!("audit log broken at entry {seq}: {why}"),
            }
        }
        AuditCommand::List {
            db,
            user,
            record,
            since,
            until,
            limit,
            format,
        } => {
            let date = |flag: &str, s: Option<String>| -> Result<Option<i64>> {
                s.map(|s| {
                    parse_date(&s)
                        .map(|secs| secs * 1000)
                        .with_context(|| format!("{flag} {s}: expected a date YYYY-MM-DD"))
                })
                .transpose()
            };
            let record = match record {
                Some(r) => match r.split_once(':') {
                    Some((kind, key)) if !kind.is_empty() && !key.is_empty() => {
                        Some((kind.to_string(), key.to_string()))
                    }
                    _ => bail!("--record {r}: expected KIND:KEY, e.g. system:k9"),
                },
                None => None,
            };
            if !(1..=10_000).contains(&limit) {
                bail!("--limit {limit}: between 1 and 10000");
            }
            let filter = AuditFilter {
                actor: user,
                record,
                from_ms: date("--since", since)?,
                to_ms: date("--until", until)?,
                before_seq: None,
                limit,
            };
            let app = open_app(&db.db).await?;
            let entries = app.audit(&actor(&app).await?, &filter).await?;
            match format {
                Report::Json => print_json(&entries),
                Report::Text => {
                    for e in &entries {
                        println!(
                            "{:>6}  {}  {:<14} {:<18} {}  ({})",
                            e.seq,
                            datetime(e.at.div_euclid(1000)),
                            e.actor,
                            e.action,
                            e.subject,
                            e.detail
                        );
                    }
                }
            }
            Ok(())
        }
    }
}

fn print_user(u: &StoredUser, format: Report) {
    match format {
        Report::Json => print_json(u),
        Report::Text => {
            let roles: Vec<&str> = u.user.roles.iter().map(|r| r.as_str()).collect();
            println!(
                "{}  {}  {}  roles {}  clearance {}{}{}",
                u.user.name,
                u.user.nationality,
                u.user.organization,
                roles.join(","),
                clearance_text(u),
                u.user
                    .person
                    .as_ref()
                    .map_or(String::new(), |p| format!("  person {p}")),
                if u.user.disabled { "  DISABLED" } else { "" }
            );
        }
    }
}

fn clearance_text(u: &StoredUser) -> String {
    let mut parts: Vec<String> = u
        .user
        .clearance
        .levels
        .iter()
        .map(|(p, l)| format!("{p}:{l}"))
        .collect();
    for (name, values) in &u.user.clearance.categories {
        for v in values {
            parts.push(format!("{name}:{v}"));
        }
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(" ")
    }
}

fn print_user_answer(a: &UserAnswer) {
    print_user(&a.user, Report::Text);
    println!(
        "  password sign-in: {}; created {}, changed {}",
        if a.user.has_password { "yes" } else { "no" },
        datetime(a.user.created_at),
        datetime(a.user.updated_at)
    );
    for id in &a.identities {
        println!("  identity {} {}", id.issuer, id.subject);
    }
    for t in &a.tokens {
        println!("  {}", token_line(t));
    }
}

/// One token or calendar feed, without its secret: id, owner, (for a feed) what it is,
/// creation, expiry or revocation, last use.
pub(crate) fn token_line(t: &TokenInfo) -> String {
    let state = match (t.revoked_at, t.expires_at) {
        (Some(at), _) => format!("revoked {}", datetime(at)),
        (None, Some(at)) => format!("expires {}", datetime(at)),
        (None, None) => "no expiry".into(),
    };
    format!(
        "{}  {}{}  created {}  {}  last used {}",
        t.id,
        t.user,
        match t.scope {
            TokenScope::Api => "",
            TokenScope::Calendar => "  calendar feed",
        },
        datetime(t.created_at),
        state,
        t.last_used_at.map_or("never".into(), datetime)
    )
}
