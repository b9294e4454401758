//! File reading and writing for the CLI: bounded reads, atomic writes.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};

/// Reads a whole file, refusing one larger than `max` bytes: a regular file by its size before
/// reading it, anything else (a pipe, `/dev/stdin`, `/dev/zero`, a file still growing) by
/// counting the bytes read, never more than `max + 1`.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.is_dir() {
        bail!(
            "{} is a folder (use --format csv to import a folder of CSV files)",
            path.display()
        );
    }
    if meta.len() > max {
        bail!(
            "{} is {} MiB, larger than the limit of {} (raise it with --max-mib)",
            path.display(),
            meta.len() / (1024 * 1024),
            limit(max)
        );
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > max {
        bail!(
            "{} holds more than the limit of {} (raise it with --max-mib)",
            path.display(),
            limit(max)
        );
    }
    Ok(bytes)
}

/// A limit for messages: in MiB when it is whole MiB (as `--max-mib` gives it), else in bytes
/// (what is left of it for the later files of a folder).
fn limit(max: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if max.is_multiple_of(MIB) {
        format!("{} MiB", max / MIB)
    } else {
        format!("{max} bytes")
    }
}

/// Reads the `.csv` files of a folder as (file name, bytes), sorted by name.
pub fn read_csv_folder(dir: &Path, max: u64) -> Result<Vec<(String, Vec<u8>)>> {
    if !dir.is_dir() {
        bail!("{} is not a folder of CSV files", dir.display());
    }
    let mut entries = Vec::new();
    let mut total = 0u64;
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = read_limited(&path, max.saturating_sub(total))?;
        total += bytes.len() as u64;
        entries.push((name, bytes));
    }
    if entries.is_empty() {
        bail!("{} holds no .csv files", dir.display());
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, synced, then
/// renamed over the target, so a reader never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?
        .to_string_lossy();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_counts_bytes_read_not_the_reported_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_limited(&path, 5).unwrap(), b"12345");
        let err = read_limited(&path, 4).unwrap_err().to_string();
        assert!(
            err.ends_with("is 0 MiB, larger than the limit of 4 bytes (raise it with --max-mib)"),
            "{err}"
        );
        // A device whose metadata says 0 bytes.
        let zero = Path::new("/dev/zero");
        if zero.exists() {
            let err = read_limited(zero, 1024 * 1024).unwrap_err().to_string();
            assert_eq!(
                err,
                "/dev/zero holds more than the limit of 1 MiB (raise it with --max-mib)"
            );
        }
    }
}
