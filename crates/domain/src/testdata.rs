//! Test support: the public source data kept in the repository (`data/sources`: SIPRI, NISP,
//! SPIF), or `DEFCOOP_SHARED_DATA` when set. Test-only, so the crate's no-I/O rule holds for
//! everything it ships.

use std::path::PathBuf;

/// A path in the source data.
pub fn shared(rel: &str) -> PathBuf {
    std::env::var_os("DEFCOOP_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sources"))
        })
        .join(rel)
}

/// The bytes of a source data file, or a panic naming it.
pub fn read(rel: &str) -> Vec<u8> {
    let path = shared(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
