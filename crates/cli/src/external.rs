//! Reading the files of outside formats (the SIPRI trade register, the NATO NISP folder, SPIF
//! policies) for the application layer, which maps them onto registry records
//! (`defcoop_app::external`).

use std::path::Path;

use anyhow::{bail, Result};
use defcoop_app::external::{self, Prepared};

use crate::{app_error, files};

/// A file's bytes (at most `max`) and the name problems are located by: its file name.
pub fn read_named(path: &Path, max: u64) -> Result<(String, Vec<u8>)> {
    let bytes = files::read_limited(path, max)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Ok((name, bytes))
}

/// A folder's files: (path relative to it with `/`, bytes), sorted by path.
pub type Files = Vec<(String, Vec<u8>)>;

/// Exactly one path, for formats that read one file or folder.
pub fn one<'a>(format: &str, paths: &'a [std::path::PathBuf]) -> Result<&'a Path> {
    match paths {
        [one] => Ok(one),
        _ => bail!(
            "--format {format} imports one {} at a time ({} given)",
            if format == "nisp" { "folder" } else { "file" },
            paths.len()
        ),
    }
}

/// Every file under `dir` (recursively, hidden entries skipped) as (path relative to `dir` with
/// `/`, bytes), sorted by path; at most `max` bytes in all.
fn read_tree(dir: &Path, max: u64) -> Result<Vec<(String, Vec<u8>)>> {
    if !dir.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d)
            .map_err(|e| anyhow::anyhow!("cannot list {}: {e}", d.display()))?;
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                let bytes = files::read_limited(&path, max.saturating_sub(total))
                    .map_err(|e| anyhow::anyhow!("{e:#} (the limit counts the whole folder)"))?;
                total += bytes.len() as u64;
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, bytes));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The NATO NISP database folder at `dir` (every file, and the prefix that locates problems),
/// for `App::prepare_nisp`.
pub fn nisp_files(dir: &Path, max: u64) -> Result<(Files, String)> {
    let files = read_tree(dir, max)?;
    let prefix = format!("{}/", dir.display().to_string().trim_end_matches('/'));
    Ok((files, prefix))
}

/// A security policy from the SPIF XML file at `path`.
pub fn spif(path: &Path, max: u64) -> Result<Prepared> {
    let (name, bytes) = read_named(path, max)?;
    external::spif(&name, &bytes).map_err(app_error)
}
