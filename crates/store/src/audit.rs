//! The audit log: every write appends one entry, in the write's own transaction, saying who
//! wrote, when, what, and the SHA-256 digests of what the write replaced and what it wrote.
//! Entries form a hash chain: each entry's `hash` covers its fields and the previous entry's
//! hash, so changing, removing or reordering any entry breaks every hash after it.
//!
//! The hash of entry n is `SHA-256(JSON [seq, at, actor, action, subject, detail,
//! digest_before, digest_after, prev])` in hex, where `prev` is entry n-1's hash (64 zeros for
//! the first). JSON gives the fields one unambiguous encoding.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The digest of "nothing" (a record created, a secret that did not exist): empty.
pub const NOTHING: &str = "";

/// One stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// 1, 2, 3, ... without gaps.
    pub seq: i64,
    /// Unix time in milliseconds.
    pub at: i64,
    /// The user who wrote (or `operator` at the command line).
    pub actor: String,
    /// What kind of write: `import`, `label.set`, `user.add`, `token.create`, `session.start`...
    pub action: String,
    /// What it was written on, for people: a record, a user, a summary of an import.
    pub subject: String,
    /// Counts and changed fields, for people.
    pub detail: String,
    pub digest_before: String,
    pub digest_after: String,
    pub prev: String,
    pub hash: String,
}

/// An entry to append: everything but its place in the chain.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub digest_before: String,
    pub digest_after: String,
    /// The records the write touched (kind, key), to find a record's history.
    pub records: Vec<(String, String)>,
}

/// The hash of an entry with these fields.
pub fn entry_hash(seq: i64, at: i64, e: &NewEntry, prev: &str) -> String {
    let fields = (
        seq,
        at,
        &e.actor,
        &e.action,
        &e.subject,
        &e.detail,
        &e.digest_before,
        &e.digest_after,
        prev,
    );
    // A tuple of integers and strings always serializes.
    let json = serde_json::to_string(&fields).unwrap_or_default();
    hex(&Sha256::digest(json.as_bytes()))
}

/// SHA-256 of `bytes` in lower-case hex.
pub fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry's hash is right and each names its predecessor's.
    Whole { entries: i64, head: String },
    /// The first entry that does not fit, and why.
    Broken { seq: i64, why: String },
}

/// Checks entries in order, carrying the chain from one page to the next.
#[derive(Debug, Clone)]
pub struct Checker {
    expected_seq: i64,
    prev: String,
}

impl Default for Checker {
    fn default() -> Self {
        Checker {
            expected_seq: 1,
            prev: GENESIS.to_string(),
        }
    }
}

impl Checker {
    /// Checks the next entry; `Err` names why the chain breaks there.
    pub fn check(&mut self, e: &AuditEntry) -> Result<(), Verdict> {
        let broken = |why: String| Err(Verdict::Broken { seq: e.seq, why });
        if e.seq != self.expected_seq {
            return Err(Verdict::Broken {
                seq: self.expected_seq,
                why: format!(
                    "entry {} is missing (the next entry stored is {})",
                    self.expected_seq, e.seq
                ),
            });
        }
        if e.prev != self.prev {
            return broken(format!(
                "it names {} as the previous entry's hash, but that entry's hash is {}",
                short(&e.prev),
                short(&self.prev)
            ));
        }
        let fields = NewEntry {
            actor: e.actor.clone(),
            action: e.action.clone(),
            subject: e.subject.clone(),
            detail: e.detail.clone(),
            digest_before: e.digest_before.clone(),
            digest_after: e.digest_after.clone(),
            records: vec![],
        };
        let hash = entry_hash(e.seq, e.at, &fields, &e.prev);
        if hash != e.hash {
            return broken(format!(
                "its fields hash to {}, but it stores {}: the entry was changed",
                short(&hash),
                short(&e.hash)
            ));
        }
        self.expected_seq += 1;
        self.prev = e.hash.clone();
        Ok(())
    }

    /// The verdict after the last entry.
    pub fn finish(self) -> Verdict {
        Verdict::Whole {
            entries: self.expected_seq - 1,
            head: self.prev,
        }
    }
}

fn short(hash: &str) -> String {
    hash.chars().take(12).collect::<String>() + "…"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let e = NewEntry {
                    actor: "alice".into(),
                    action: "import".into(),
                    subject: format!("thing {seq}"),
                    ..Default::default()
                };
                let hash = entry_hash(seq, 1000 + seq, &e, &prev);
                let entry = AuditEntry {
                    seq,
                    at: 1000 + seq,
                    actor: e.actor,
                    action: e.action,
                    subject: e.subject,
                    detail: e.detail,
                    digest_before: e.digest_before,
                    digest_after: e.digest_after,
                    prev: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                entry
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry]) -> Verdict {
        let mut c = Checker::default();
        for e in entries {
            if let Err(v) = c.check(e) {
                return v;
            }
        }
        c.finish()
    }

    #[test]
    fn a_whole_chain_verifies() {
        let entries = chain(5);
        assert!(matches!(
            verify(&entries),
            Verdict::Whole { entries: 5, .. }
        ));
        assert!(matches!(verify(&[]), Verdict::Whole { entries: 0, .. }));
    }

    #[test]
    fn a_changed_field_breaks_the_chain_at_that_entry() {
        let mut entries = chain(5);
        entries[2].actor = "mallory".into();
        let Verdict::Broken { seq, why } = verify(&entries) else {
            panic!("not detected")
        };
        assert_eq!(seq, 3);
        assert!(why.contains("changed"), "{why}");
    }

    #[test]
    fn a_rehashed_entry_breaks_the_next_link() {
        let mut entries = chain(5);
        entries[1].subject = "rewritten".into();
        let fields = NewEntry {
            actor: entries[1].actor.clone(),
            action: entries[1].action.clone(),
            subject: entries[1].subject.clone(),
            ..Default::default()
        };
        entries[1].hash = entry_hash(2, entries[1].at, &fields, &entries[1].prev);
        let Verdict::Broken { seq, why } = verify(&entries) else {
            panic!("not detected")
        };
        assert_eq!(seq, 3);
        assert!(why.contains("previous entry"), "{why}");
    }

    #[test]
    fn a_removed_entry_is_named() {
        let mut entries = chain(5);
        entries.remove(3);
        let Verdict::Broken { seq, why } = verify(&entries) else {
            panic!("not detected")
        };
        assert_eq!(seq, 4);
        assert!(why.contains("missing"), "{why}");
    }
}
