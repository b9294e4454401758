//! `serve --demo`: the curated demo (built into the binary) with the public sources of
//! `data/sources` (the SIPRI register and the NISP folder), loaded in one import when the
//! database is empty.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use defcoop_app::demo::{with_sources, Sources};
use defcoop_app::App;
use defcoop_domain::json;
use defcoop_store::Store;

use crate::{external, import_into, open, DbArg, DEMO};

#[derive(clap::Args)]
pub struct DemoArgs {
    #[command(flatten)]
    db: DbArg,
    /// Where the public sources are (default: data/sources).
    #[arg(long, value_name = "DIR")]
    sources: Option<PathBuf>,
}

/// `defcoop demo`: an empty database only (an existing registry is never mixed with the demo).
pub async fn run(args: DemoArgs) -> Result<()> {
    let store = open(&args.db.db).await?;
    let result = async {
        if !store.is_empty().await? {
            anyhow::bail!(
                "database {} is not empty: the demo loads into an empty database only",
                defcoop_store::redact(&args.db.db)
            );
        }
        load(&store, args.sources.as_deref()).await
    }
    .await;
    store.close().await;
    result?;
    eprintln!(
        "loaded the demo into {}",
        defcoop_store::redact(&args.db.db)
    );
    Ok(())
}

/// The largest source file or folder read (the SIPRI register is 2.7 MB, the NISP folder 11 MB).
const MAX: u64 = 256 * 1024 * 1024;

/// Where the sources are: `dir` when given, else `data/sources` of the current folder, else
/// that of the clone this binary was built from. `None` when none exists.
pub fn sources_dir(dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(d) = dir {
        return Some(d.to_path_buf());
    }
    [
        PathBuf::from("data/sources"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sources"),
    ]
    .into_iter()
    .find(|d| d.join("sipri/trade_register.csv").is_file() && d.join("nisp").is_dir())
}

/// Loads the demo (with the sources under `dir`, when found) into `store`.
pub async fn load(store: &Store, dir: Option<&Path>) -> Result<()> {
    let started = std::time::Instant::now();
    let curated = json::parse(DEMO.as_bytes())
        .map_err(|p| anyhow::anyhow!("built-in demo dataset is invalid: {}", p[0]))?
        .data;
    let found = sources_dir(dir);
    let (incoming, notes) = match &found {
        Some(d) => {
            let (name, register) =
                external::read_named(&d.join("sipri/trade_register.csv"), MAX)
                    .with_context(|| format!("reading the SIPRI register under {}", d.display()))?;
            let (files, prefix) = external::nisp_files(&d.join("nisp"), MAX)?;
            let sources = Sources {
                sipri: Some((&name, &register)),
                nisp: Some((&files, &prefix)),
            };
            with_sources(curated, &sources).map_err(crate::app_error)?
        }
        None => {
            tracing::warn!(
                "data/sources not found (give --sources DIR): loading the curated demo without the SIPRI register and the NISP standards"
            );
            with_sources(curated, &Sources::default()).map_err(crate::app_error)?
        }
    };
    for n in &notes {
        tracing::info!("{n}");
    }
    let out = import_into(&App::direct(store.clone()), incoming).await?;
    tracing::info!(
        records = out.written,
        sources = found.as_ref().map(|d| d.display().to_string()),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "loaded the demo dataset"
    );
    Ok(())
}
