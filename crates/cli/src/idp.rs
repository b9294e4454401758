//! `defcoop idp`: the member organizations' identity providers (OpenID Connect), registered
//! by administrators. Secrets are read from standard input and never printed.

use anyhow::Result;
use clap::Subcommand;
use defcoop_app::render::datetime;
use defcoop_app::NewProvider;
use defcoop_store::IdentityProvider;

use crate::{actor, open, open_app, print_json, DbArg, Report};

#[derive(Subcommand)]
pub(crate) enum IdpCommand {
    /// Register an organization's identity provider (admins only). Register
    /// PUBLIC_URL/signin/oidc/callback as the redirect URI at the provider.
    Add {
        #[command(flatten)]
        db: DbArg,
        /// A slug: lower-case letters, digits and '-' (the sign-in URL /signin/oidc/ID).
        #[arg(long)]
        id: String,
        /// The member organization whose provider it is.
        #[arg(long)]
        organization: String,
        /// The issuer URL, exactly as its ID tokens say `iss` (https://; http:// only on
        /// localhost).
        #[arg(long)]
        issuer: String,
        /// The client id the provider gave this platform.
        #[arg(long)]
        client_id: String,
        /// Read the client secret from standard input (its first line). Required: secrets are
        /// never given on the command line.
        #[arg(long, required = true)]
        client_secret_stdin: bool,
        /// What the sign-in button says (default: the organization).
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: Report,
    },
    /// List the registered identity providers (admins only; never their secrets).
    List {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value = "text")]
        format: Report,
    },
    /// Remove an identity provider (admins only): nobody signs in through it any more.
    Remove {
        #[command(flatten)]
        db: DbArg,
        id: String,
    },
}

pub(crate) async fn idp(command: IdpCommand) -> Result<()> {
    match command {
        IdpCommand::Add {
            db,
            id,
            organization,
            issuer,
            client_id,
            client_secret_stdin: _,
            name,
            format,
        } => {
            let client_secret = crate::accounts::first_line_of_stdin("the client secret")?;
            let app = defcoop_app::App::direct(open(&db.db).await?);
            let new = NewProvider {
                id,
                organization,
                issuer,
                client_id,
                client_secret,
                name,
            };
            let p = app.add_identity_provider(&actor(&app).await?, new).await?;
            match format {
                Report::Json => print_json(&p),
                Report::Text => {
                    println!("{}", line(&p));
                    eprintln!(
                        "added identity provider {}; its users sign in at /signin/oidc/{} once \
                         the secretariat links them (defcoop user link)",
                        p.id, p.id
                    );
                }
            }
            Ok(())
        }
        IdpCommand::List { db, format } => {
            let app = open_app(&db.db).await?;
            let providers = app.identity_providers(&actor(&app).await?).await?;
            match format {
                Report::Json => print_json(&providers),
                Report::Text => {
                    for p in &providers {
                        println!("{}", line(p));
                    }
                }
            }
            Ok(())
        }
        IdpCommand::Remove { db, id } => {
            let app = open_app(&db.db).await?;
            app.remove_identity_provider(&actor(&app).await?, &id)
                .await?;
            eprintln!("removed identity provider {id}");
            Ok(())
        }
    }
}

fn line(p: &IdentityProvider) -> String {
    format!(
        "{}  {}  issuer {}  client {}  \"{}\"  created {}",
        p.id,
        p.organization,
        p.issuer,
        p.client_id,
        p.name,
        datetime(p.created_at)
    )
}
