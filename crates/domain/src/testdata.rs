//! Test support: where the shared public data lives (`shared/data` beside the repository).
//! Test-only, so the crate's no-I/O rule holds for everything it ships.

use std::path::PathBuf;

/// `DEFCOOP_SHARED_DATA` if set, else the first `shared/data` found beside the crate or beside
/// one of its ancestors (the repository sits next to `shared/`). Panics with a clear message
/// when there is none: the real-data tests must not pass by skipping.
pub fn shared(rel: &str) -> PathBuf {
    let base = std::env::var_os("DEFCOOP_SHARED_DATA")
        .map(PathBuf::from)
        .or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|a| a.join("shared/data"))
                .find(|p| p.join("README.md").is_file())
        })
        .unwrap_or_else(|| {
            panic!(
                "the shared data folder (shared/data beside the repository) was not found from {}; \
                 set DEFCOOP_SHARED_DATA to its path",
                env!("CARGO_MANIFEST_DIR")
            )
        });
    base.join(rel)
}

/// The bytes of a shared data file, or a panic naming it.
pub fn read(rel: &str) -> Vec<u8> {
    let path = shared(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
