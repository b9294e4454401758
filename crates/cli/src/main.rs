//! The `defcoop` command. Thin: parses arguments, reads and writes files, calls the application
//! layer (`defcoop-app`) for every use case and prints its answers. Acts as the operator with
//! full rights, or with `--as USER` exactly as that user would ([`actor`] is the one place that
//! decides who the CLI acts as).

mod accounts;
mod brokerage;
mod calendar;
mod demo;
mod external;
mod files;
mod flows;
mod idp;
mod interop;
mod matchmaking;
mod progress;
mod records;
mod registry;
mod systems;
mod workspace;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use defcoop_app::external::Prepared;
use defcoop_app::render::Lang;
use defcoop_app::{Actor, App, AppError};
use defcoop_domain::import::{Incoming, Style};
use defcoop_domain::model::Dataset;
use defcoop_domain::synth::{self, Params};
use defcoop_domain::{csv as dcsv, json};
use defcoop_store::{ImportOutcome, Progress, Store};

/// The demo dataset (data/demo/), built into the binary so `serve --demo` works anywhere.
const DEMO: &str = include_str!("../../../data/demo/dataset.json");

#[derive(Parser)]
#[command(
    name = "defcoop",
    version,
    about = "Registry, interoperability and cooperation platform for a defence-industry consultative body"
)]
struct Cli {
    /// Language of text answers: en or ko.
    #[arg(long, global = true, env = "DEFCOOP_LANG", default_value = "en", value_parser = parse_lang)]
    lang: Lang,
    /// Act as this user: see, count and write exactly what they may (default: the operator,
    /// with full rights).
    #[arg(long = "as", global = true, env = "DEFCOOP_AS", value_name = "USER")]
    as_user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("\"{s}\" is not a language (en, ko)"))
}

#[derive(clap::Args, Clone)]
pub(crate) struct DbArg {
    /// Database: a file path, sqlite://PATH or postgres://USER@HOST/DB.
    #[arg(long, env = "DEFCOOP_DB", default_value = "defcoop.db")]
    pub(crate) db: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web pages (and health endpoints).
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Address to listen on.
        #[arg(long, env = "DEFCOOP_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Load the built-in demo dataset, with the SIPRI register and the NISP standards of
        /// data/sources, when the database is empty.
        #[arg(long)]
        demo: bool,
        /// Where the public sources are for --demo (default: data/sources).
        #[arg(long, value_name = "DIR")]
        sources: Option<PathBuf>,
        /// How often to check whether another process changed the database, in milliseconds.
        #[arg(long, env = "DEFCOOP_REFRESH_MS", default_value_t = 1000)]
        refresh_ms: u64,
        /// Where browsers reach this server, e.g. https://defcoop.example (default
        /// http://BIND). Identity providers send browsers back to
        /// PUBLIC_URL/signin/oidc/callback, which must be registered with them exactly.
        #[arg(long, env = "DEFCOOP_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// Import dataset files (all files in one transaction: all or nothing).
    Import {
        #[command(flatten)]
        db: DbArg,
        /// Input format: dataset JSON files, folders of per-entity CSV files, a SIPRI trade
        /// register (CSV export of the SIPRI Arms Transfers Database), or the NATO NISP
        /// database folder (Markdown files with YAML front matter).
        #[arg(long, value_enum, default_value_t = ImportFormat::Json)]
        format: ImportFormat,
        /// How to print the summary.
        #[arg(long, value_enum, default_value_t = Report::Text)]
        summary: Report,
        /// Refuse files larger than this many MiB (guards memory).
        #[arg(long, default_value_t = 256)]
        max_mib: u64,
        /// Files (JSON) or folders (CSV) to import.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Load the demo into an empty database as `serve --demo` does (the curated demo with the
    /// SIPRI register and the NISP standards of data/sources), without serving.
    Demo(demo::DemoArgs),
    /// Export the registry (canonical: export → import → export is byte-identical).
    Export {
        #[command(flatten)]
        db: DbArg,
        /// Output format: one JSON file (`-` for standard output), or a folder of CSV files.
        #[arg(long, value_enum, default_value_t = DataFormat::Json)]
        format: DataFormat,
        path: PathBuf,
    },
    /// Interoperability: rate pairs and fleets, explain why.
    Interop {
        #[command(subcommand)]
        command: interop::InteropCommand,
    },
    /// One page of a kind of record, filtered and sorted (as /api/v1/{kind} and the list pages).
    List(registry::ListArgs),
    /// One record as its dataset JSON (as /api/v1/{kind}/{key}).
    Show(registry::ShowArgs),
    /// Arms transfers as supplier → recipient flows of delivered TIV (SVG, JSON or table).
    Flows(flows::FlowsArgs),
    /// Security policies: import a SPIF (Security Policy Information File).
    Policy {
        #[command(subcommand)]
        command: records::PolicyCommand,
    },
    /// Users: add, list, show, change, disable.
    User {
        #[command(subcommand)]
        command: accounts::UserCommand,
    },
    /// Identity providers (OpenID Connect) of the member organizations: add, list, remove.
    Idp {
        #[command(subcommand)]
        command: idp::IdpCommand,
    },
    /// API tokens: create, list, revoke.
    Token {
        #[command(subcommand)]
        command: accounts::TokenCommand,
    },
    /// Calendar feeds: create, list, revoke a user's secret calendar URL.
    Calendar {
        #[command(subcommand)]
        command: calendar::CalendarCommand,
    },
    /// The audit log: verify its hash chain, list entries.
    Audit {
        #[command(subcommand)]
        command: accounts::AuditCommand,
    },
    /// A record's releasability label, as JSON or as STANAG 4774 XML.
    Label {
        #[command(subcommand)]
        command: records::LabelCommand,
    },
    /// Systems: merge two records that turn out to be one real system.
    System {
        #[command(subcommand)]
        command: systems::SystemCommand,
    },
    /// NISP profiles: list one's mandatory standards, or record that a system implements it.
    Profile {
        #[command(subcommand)]
        command: records::ProfileCommand,
    },
    /// The body's meetings: list, show (in every zone that matters), close, cancel.
    Meeting {
        #[command(subcommand)]
        command: workspace::MeetingCommand,
    },
    /// Minutes of meetings: circulate, approve, comment, correct, export as Markdown.
    Minutes {
        #[command(subcommand)]
        command: workspace::MinutesCommand,
    },
    /// Proposals: list, show, move through their states, table a gap-closure plan, assign an
    /// agreed plan as action items.
    Proposal {
        #[command(subcommand)]
        command: workspace::ProposalCommand,
    },
    /// Action items: list with their computed state, show, done, cancel, reopen.
    Action {
        #[command(subcommand)]
        command: workspace::ActionCommand,
    },
    /// Engagements: list, a timeline of who met, the network of who met whom.
    Engagement {
        #[command(subcommand)]
        command: workspace::EngagementCommand,
    },
    /// Match needs and offers for joint R&D: the best offers for a need, or needs for an
    /// offer, each score with its parts (area, text, TRL, cooperation, interoperability
    /// synergy).
    Match(matchmaking::MatchArgs),
    /// Brokerage meetings of a matchmaking event: schedule the one-to-one meetings its
    /// participants ask for into its slots and tables, with each participant's agenda.
    Brokerage {
        #[command(subcommand)]
        command: brokerage::BrokerageCommand,
    },
    /// Consortia for joint R&D: check one against a funding instrument's rules.
    Consortium {
        #[command(subcommand)]
        command: matchmaking::ConsortiumCommand,
    },
    /// Generate a deterministic synthetic dataset for scale tests.
    Synth {
        #[arg(long)]
        systems: usize,
        #[arg(long)]
        standards: usize,
        #[arg(long, default_value_t = 0)]
        gateways: usize,
        #[arg(long, default_value_t = 12)]
        domains: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Needs for matchmaking (with the seven capability areas), over the generated
        /// organizations, systems and standards.
        #[arg(long, default_value_t = 0)]
        needs: usize,
        /// Offers for matchmaking, likewise.
        #[arg(long, default_value_t = 0)]
        offers: usize,
        /// Output format: one JSON file, or a folder of CSV files.
        #[arg(long, value_enum, default_value_t = DataFormat::Json)]
        format: DataFormat,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DataFormat {
    Json,
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ImportFormat {
    Json,
    Csv,
    Sipri,
    Nisp,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Report {
    Text,
    Json,
}

/// The user of `--as`, set once at start.
static AS_USER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Who the CLI acts as: the operator with full rights, or with `--as USER` that user (its
/// clearance and roles as stored; a disabled or unknown user is an error).
pub(crate) async fn actor(app: &App) -> Result<Actor> {
    match AS_USER.get().and_then(|u| u.as_deref()) {
        None => Ok(Actor::operator()),
        Some(name) => app
            .actor_of(name)
            .await
            .with_context(|| format!("--as {name}")),
    }
}

/// An application error for the terminal: problems of the input are listed on standard error,
/// one a line, and the error says how many there were and that nothing was written.
pub(crate) fn app_error(e: AppError) -> anyhow::Error {
    app_error_as(e, "nothing was imported")
}

pub(crate) fn app_error_as(e: AppError, nothing: &str) -> anyhow::Error {
    match e {
        AppError::Invalid(problems) => {
            report_problems(&problems);
            anyhow::anyhow!("{} problem(s) in the input; {nothing}", problems.len())
        }
        AppError::Store(e) => anyhow::Error::new(e).context(nothing.to_string()),
        e => e.into(),
    }
}

/// Prints a value as pretty JSON on standard output.
pub(crate) fn print_json<T: serde::Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: cannot print the answer as JSON: {e}"),
    }
}

/// Commands that print (not `serve`) end quietly when their reader goes away
/// (`defcoop export - | head`), as command-line tools do, instead of failing to print.
fn die_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any other thread exists; restoring the default
    // action of SIGPIPE has no other effect on this process's memory.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let default_level = match cli.command {
        Command::Serve { .. } => "info",
        _ => {
            die_quietly_on_closed_pipe();
            "warn"
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let _ = AS_USER.set(cli.as_user);
    match runtime.block_on(run(cli.command, cli.lang)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, lang: Lang) -> Result<()> {
    match command {
        Command::Serve {
            db,
            bind,
            demo,
            sources,
            refresh_ms,
            public_url,
        } => {
            let demo = demo.then_some(sources.as_deref());
            serve(&db.db, bind, demo, refresh_ms, public_url.as_deref()).await
        }
        Command::Import {
            db,
            format,
            summary,
            max_mib,
            paths,
        } => import(&db.db, format, summary, max_mib, &paths).await,
        Command::Export { db, format, path } => export(&db.db, format, &path).await,
        Command::Demo(args) => demo::run(args).await,
        Command::Interop { command } => interop::run(command, lang).await,
        Command::Policy { command } => records::policy(command).await,
        Command::User { command } => accounts::user(command).await,
        Command::Token { command } => accounts::token(command).await,
        Command::Idp { command } => idp::idp(command).await,
        Command::Audit { command } => accounts::audit(command).await,
        Command::Calendar { command } => calendar::calendar(command).await,
        Command::Label { command } => records::label(command).await,
        Command::Profile { command } => records::profile(command).await,
        Command::System { command } => systems::run(command).await,
        Command::Flows(args) => flows::run(args, lang).await,
        Command::List(args) => registry::list(args, lang).await,
        Command::Show(args) => registry::show(args).await,
        Command::Meeting { command } => workspace::meeting(command, lang).await,
        Command::Minutes { command } => workspace::minutes(command, lang).await,
        Command::Proposal { command } => workspace::proposal(command, lang).await,
        Command::Action { command } => workspace::action(command, lang).await,
        Command::Engagement { command } => workspace::engagement(command, lang).await,
        Command::Match(args) => matchmaking::matches(args, lang).await,
        Command::Consortium { command } => matchmaking::consortium(command, lang).await,
        Command::Brokerage { command } => brokerage::brokerage(command, lang).await,
        Command::Synth {
            systems,
            standards,
            gateways,
            domains,
            seed,
            needs,
            offers,
            format,
            out,
        } => {
            let params = Params {
                systems,
                standards,
                gateways,
                domains,
                seed,
            };
            let data = synth::generate_market(params, needs, offers)?;
            write_dataset(&data, format, &out)?;
            eprintln!(
                "wrote {}: {} systems, {} standards, {} conformances, {} gateways, {} domains, {} needs, {} offers",
                out.display(),
                data.systems.len(),
                data.standards.len(),
                data.conformances.len(),
                data.gateways.len(),
                data.domains.len(),
                data.needs.len(),
                data.offers.len()
            );
            Ok(())
        }
    }
}

/// Opens (creating if needed) the database, for commands that write.
pub(crate) async fn open(db: &str) -> Result<Store> {
    Store::open(db)
        .await
        .with_context(|| format!("opening database {}", defcoop_store::redact(db)))
}

/// The application over an existing database, for commands that only read: a database that
/// does not exist is an error, not an empty answer.
pub(crate) async fn open_app(db: &str) -> Result<App> {
    let store = Store::open_existing(db)
        .await
        .with_context(|| format!("opening database {}", defcoop_store::redact(db)))?;
    Ok(App::direct(store))
}

/// `demo`: load the demo (with the sources in this folder, or the default one) when empty.
async fn serve(
    db: &str,
    bind: SocketAddr,
    demo: Option<Option<&Path>>,
    refresh_ms: u64,
    public_url: Option<&str>,
) -> Result<()> {
    if let Some(url) = public_url {
        defcoop_web::check_public_url(url).map_err(|e| anyhow::anyhow!("--public-url: {e}"))?;
    }
    let store = open(db).await?;
    if let Some(sources) = demo {
        if store.is_empty().await? {
            demo::load(&store, sources).await?;
        }
    }
    let app = App::cached(store.clone())
        .await
        .map_err(app_error)
        .context("loading the registry")?;
    if let Some(model) = app.read_model() {
        model.watch(std::time::Duration::from_millis(refresh_ms.max(50)));
    }
    let accounts_app = app.clone();
    let mut app = defcoop_web::Application::build(app, bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    if let Some(url) = public_url {
        app = app.public_url(url);
    }
    let addr = app.local_addr()?;
    tracing::info!(
        "defcoop serving http://{addr}/ on {}",
        store.backend().name()
    );
    {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "defcoop: serving http://{addr}/ (database: {})",
            store.backend().name()
        );
    }
    sign_in_help(&accounts_app, demo.is_some(), addr).await?;
    app.run_until(shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

/// Tells how to sign in: with `--demo`, the demo personas and their fresh passwords; with no
/// users, the one-time link that creates the first administrator.
async fn sign_in_help(app: &App, demo: bool, addr: SocketAddr) -> Result<()> {
    // Standard error may be closed by whoever started the server: that must not stop it.
    let say = |text: String| {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "{text}");
    };
    if demo {
        match app.demo_personas().await {
            Ok(personas) => {
                say(format!(
                    "demo personas (passwords are new at every start), sign in at http://{addr}/signin:"
                ));
                for p in personas {
                    say(format!(
                        "  {:<13} {}  — {}",
                        p.name, p.password, p.description
                    ));
                }
            }
            Err(e) => say(format!("warning: cannot create the demo personas: {e}")),
        }
        return Ok(());
    }
    if let Some(secret) = app.setup_link().await.map_err(app_error)? {
        say(format!(
            "no users yet: create the first administrator at http://{addr}/setup?token={secret}\n\
             (the link works once, for 24 hours; start again for a new one)"
        ));
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

/// Reads and parses every input. Problems inside readable files travel with the input, so the
/// store's validation reports them together with everything else.
fn read_inputs(format: DataFormat, max_mib: u64, paths: &[PathBuf]) -> Result<Incoming> {
    let max = max_mib.saturating_mul(1024 * 1024);
    let style = match format {
        DataFormat::Json => Style::Json,
        DataFormat::Csv => Style::Csv,
    };
    let mut all = Incoming::empty(style);
    let mut fatal = Vec::new();
    let spinner = progress::spinner("reading");
    for path in paths {
        let shown = path.display().to_string();
        spinner.set_message(format!("reading {shown}"));
        let parsed = match format {
            DataFormat::Json => {
                let bytes = files::read_limited(path, max)?;
                json::parse(&bytes)
            }
            DataFormat::Csv => {
                let entries = files::read_csv_folder(path, max)?;
                Ok(dcsv::parse_files(&entries))
            }
        };
        let prefix = match format {
            DataFormat::Json => format!("{shown}: "),
            DataFormat::Csv => format!("{}/", shown.trim_end_matches('/')),
        };
        match parsed {
            Ok(incoming) => all.append(incoming, &prefix),
            // The file as a whole cannot be read (not UTF-8, not JSON, not a dataset).
            Err(ps) => fatal.extend(ps.into_iter().map(|p| {
                defcoop_domain::Problem::new(format!("{prefix}{}", p.location), p.message)
            })),
        }
    }
    spinner.finish_and_clear();
    if !fatal.is_empty() {
        // Without a whole file, references into it cannot be checked: report what was found.
        fatal.extend(all.problems);
        report_problems(&fatal);
        bail!(
            "{} problem(s) in the input; nothing was imported",
            fatal.len()
        );
    }
    Ok(all)
}

fn report_problems(problems: &[defcoop_domain::Problem]) {
    for p in problems {
        eprintln!("  {p}");
    }
}

pub(crate) async fn import_into(app: &App, incoming: Incoming) -> Result<ImportOutcome> {
    let bar = progress::Bar::new("writing");
    let result = app
        .import(&actor(app).await?, &incoming, Progress::to(&bar))
        .await;
    bar.finish();
    result.map_err(|e| match e {
        e @ AppError::Invalid(_) => app_error(e),
        e => app_error_as(e, "import failed; nothing was imported"),
    })
}

async fn import(
    db: &str,
    format: ImportFormat,
    summary: Report,
    max_mib: u64,
    paths: &[PathBuf],
) -> Result<()> {
    let max = max_mib.saturating_mul(1024 * 1024);
    let (store, prepared) = match format {
        ImportFormat::Json | ImportFormat::Csv => {
            let data_format = if format == ImportFormat::Json {
                DataFormat::Json
            } else {
                DataFormat::Csv
            };
            let incoming = read_inputs(data_format, max_mib, paths)?;
            let prepared = Prepared {
                incoming,
                notes: vec![],
                json: serde_json::Value::Null,
            };
            (open(db).await?, prepared)
        }
        ImportFormat::Nisp => {
            let path = external::one("nisp", paths)?;
            let (files, prefix) = external::nisp_files(path, max)?;
            let store = open(db).await?;
            let app = App::direct(store.clone());
            let prepared = app.prepare_nisp(&actor(&app).await?, &files, &prefix).await;
            match prepared {
                Ok(p) => (store, p),
                Err(e) => {
                    store.close().await;
                    return Err(app_error(e));
                }
            }
        }
        ImportFormat::Sipri => {
            let path = external::one("sipri", paths)?;
            let (name, bytes) = external::read_named(path, max)?;
            let store = open(db).await?;
            let app = App::direct(store.clone());
            let prepared = app.prepare_sipri(&actor(&app).await?, &name, &bytes).await;
            match prepared {
                Ok(p) => (store, p),
                Err(e) => {
                    store.close().await;
                    return Err(app_error(e));
                }
            }
        }
    };
    import_and_report(store, prepared, summary).await
}

/// Imports prepared records (closing the store), then prints the summary.
pub(crate) async fn import_and_report(
    store: Store,
    mut prepared: Prepared,
    summary: Report,
) -> Result<()> {
    let incoming = std::mem::replace(&mut prepared.incoming, Incoming::empty(Style::Json));
    let out = import_into(&App::direct(store.clone()), incoming).await;
    store.close().await;
    print_summary(&out?, &prepared, summary);
    Ok(())
}

/// Prints what an import did: the importer's notes, then the counts per kind.
pub(crate) fn print_summary(out: &ImportOutcome, prepared: &Prepared, summary: Report) {
    let notes = &prepared.notes;
    let source = prepared.json.clone();
    match summary {
        Report::Json => {
            let counts: serde_json::Map<String, serde_json::Value> = out
                .counts
                .iter()
                .map(|(k, c)| {
                    (
                        k.array().to_string(),
                        serde_json::json!({"created": c.created, "updated": c.updated, "unchanged": c.unchanged}),
                    )
                })
                .collect();
            let mut report = serde_json::json!({"written": out.written, "counts": counts});
            if !source.is_null() {
                report["source"] = source;
            }
            println!("{report}");
        }
        Report::Text => {
            for note in notes {
                println!("{note}");
            }
            println!(
                "{:<16} {:>9} {:>9} {:>9}",
                "", "created", "updated", "unchanged"
            );
            for (kind, c) in &out.counts {
                if c.created + c.updated + c.unchanged > 0 {
                    println!(
                        "{:<16} {:>9} {:>9} {:>9}",
                        kind.array(),
                        c.created,
                        c.updated,
                        c.unchanged
                    );
                }
            }
            if out.written == 0 {
                println!("nothing changed");
            } else {
                println!("{} record(s) written", out.written);
            }
        }
    }
}

async fn export(db: &str, format: DataFormat, path: &Path) -> Result<()> {
    let app = open_app(db).await?;
    let data = app.export(&actor(&app).await?).await;
    app.store().close().await;
    let data = data.map_err(app_error)?;
    if format == DataFormat::Json && path == Path::new("-") {
        use std::io::Write;
        std::io::stdout().write_all(json::to_string(&data).as_bytes())?;
        return Ok(());
    }
    write_dataset(&data, format, path)?;
    eprintln!("exported {} record(s) to {}", data.len(), path.display());
    Ok(())
}

fn write_dataset(data: &Dataset, format: DataFormat, path: &Path) -> Result<()> {
    match format {
        DataFormat::Json => files::write_atomic(path, json::to_string(data).as_bytes()),
        DataFormat::Csv => {
            std::fs::create_dir_all(path)
                .with_context(|| format!("cannot create folder {}", path.display()))?;
            for (name, text) in dcsv::to_files(data) {
                files::write_atomic(&path.join(name), text.as_bytes())?;
            }
            Ok(())
        }
    }
}
