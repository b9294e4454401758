//! The demo registry with real data: the curated demo dataset together with the SIPRI register
//! and the NATO NISP standards, attached as an import of those sources would attach them (SIPRI
//! designations to the demo's systems by alias, NISP standards to its standards), as one
//! dataset, so that loading it is one import (all or nothing). No file I/O: the caller reads
//! the sources.

use defcoop_domain::import::Incoming;
use defcoop_domain::model::{Dataset, Keyed};
use defcoop_domain::sipri;

use crate::external::{nisp_onto, refuse, sipri_prepared};
use crate::Result;

/// Files of a folder: (path relative to it, bytes), sorted by path.
pub type Files = [(String, Vec<u8>)];

/// What the public sources bring to the demo; each is optional.
#[derive(Default)]
pub struct Sources<'a> {
    /// The SIPRI trade register: its file name (locates problems) and bytes.
    pub sipri: Option<(&'a str, &'a [u8])>,
    /// The NISP folder: (path relative to it, bytes) sorted by path, and the prefix that
    /// locates problems.
    pub nisp: Option<(&'a Files, &'a str)>,
}

/// Records of `top` replace those of `base` with the same key; the others are added.
fn overlay<T: Keyed>(base: &mut Vec<T>, top: Vec<T>) {
    let at: std::collections::HashMap<String, usize> = base
        .iter()
        .enumerate()
        .map(|(i, r)| (r.key_text(), i))
        .collect();
    for r in top {
        match at.get(&r.key_text()) {
            Some(&i) => base[i] = r,
            None => base.push(r),
        }
    }
}

/// The curated demo with the sources attached, as one import, and a line per source saying
/// what it brought.
pub fn with_sources(curated: Dataset, sources: &Sources<'_>) -> Result<(Incoming, Vec<String>)> {
    let mut data = curated;
    let mut notes = Vec::new();
    if let Some((name, bytes)) = sources.sipri {
        let register = sipri::parse_register(name, bytes).map_err(|ps| refuse(ps, ""))?;
        let known = data.nations.iter().map(|n| n.code.clone()).collect();
        let p = sipri_prepared(&register, &known, &data.systems);
        notes.extend(p.notes.into_iter().filter(|n| !n.starts_with("  ")));
        let s = p.incoming.data;
        overlay(&mut data.nations, s.nations);
        overlay(&mut data.systems, s.systems);
        overlay(&mut data.transfers, s.transfers);
    }
    if let Some((files, prefix)) = sources.nisp {
        let p = nisp_onto(files, prefix, &data.standards)?;
        notes.extend(p.notes.into_iter().take(4));
        let n = p.incoming.data;
        overlay(&mut data.domains, n.domains);
        overlay(&mut data.standards, n.standards);
        overlay(&mut data.profiles, n.profiles);
    }
    data.normalize();
    Ok((Incoming::from_dataset(data), notes))
}
