//! The engine's answers as JSON (serde `Serialize`), in one place: the CLI's `--format json`
//! and the HTTP API print these same shapes. The shapes of the matrix and the plan are the
//! normative ones (see `docs/INTEROP.md`).
//!
//! Answers that hold indexes into a snapshot (the matrix) serialize through a view that borrows
//! the snapshot ([`MatrixReport`]), so nothing is copied to be printed.

use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::flows::{Flow, Flows, Party, Total};
use crate::matrix::Matrix;
use crate::pair::{Chain, DomainRating, PairReport, Shared, Step};
use crate::plan::{Plan, Step as PlanStep};
use crate::snapshot::Snapshot;
use crate::whatif::Action;
use crate::{Counts, Level};

impl Serialize for Level {
    /// A number 0–3, or the string `"na"`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.number() {
            Some(n) => s.serialize_u8(n),
            None => s.serialize_str("na"),
        }
    }
}

/// Counts per level as `{"na": n, "0": n, "1": n, "2": n, "3": n}`.
struct CountsJson<'a>(&'a Counts);

impl Serialize for CountsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(Level::ALL.len()))?;
        for l in Level::ALL {
            m.serialize_entry(l.as_str(), &self.0[l.index()])?;
        }
        m.end()
    }
}

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Shared", 3)?;
        st.serialize_field("standard", &self.standard)?;
        st.serialize_field("a", self.a.as_str())?;
        st.serialize_field("b", self.b.as_str())?;
        st.end()
    }
}

impl Serialize for Step {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Step", 3)?;
        st.serialize_field("gateway", &self.gateway)?;
        st.serialize_field("from", &self.from)?;
        st.serialize_field("to", &self.to)?;
        st.end()
    }
}

impl Serialize for Chain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Chain", 2)?;
        st.serialize_field("full", &self.full)?;
        st.serialize_field("steps", &self.steps)?;
        st.end()
    }
}

impl Serialize for DomainRating {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("DomainRating", 6)?;
        st.serialize_field("domain", &self.domain)?;
        st.serialize_field("level", &self.level)?;
        st.serialize_field("shared", &self.shared)?;
        st.serialize_field("a_to_b", &self.a_to_b)?;
        st.serialize_field("b_to_a", &self.b_to_a)?;
        st.serialize_field(
            "unrated",
            &UnratedPair {
                a: usize::from(self.unrated.0),
                b: usize::from(self.unrated.1),
            },
        )?;
        st.end()
    }
}

impl Serialize for PairReport {
    /// `{"a", "b", "domains": [{"domain", "level", "shared", "a_to_b", "b_to_a", "unrated":
    /// {"a", "b"}}]}`; `unrated` is 1 for a side with no conformance in the domain, else 0.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("PairReport", 3)?;
        st.serialize_field("a", &self.a)?;
        st.serialize_field("b", &self.b)?;
        st.serialize_field("domains", &self.domains)?;
        st.end()
    }
}

impl Serialize for Action {
    /// `{"kind": "test"|"adopt", "system", "standard"}`, `{"kind": "field", "gateway"}`,
    /// `{"kind": "gateway", "domain", "from", "to"}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        action_fields(&mut m, self)?;
        m.end()
    }
}

fn action_fields<M: SerializeMap>(m: &mut M, a: &Action) -> Result<(), M::Error> {
    match a {
        Action::Test { system, standard } | Action::Adopt { system, standard } => {
            let kind = if matches!(a, Action::Test { .. }) {
                "test"
            } else {
                "adopt"
            };
            m.serialize_entry("kind", kind)?;
            m.serialize_entry("system", system)?;
            m.serialize_entry("standard", standard)
        }
        Action::Field { gateway } => {
            m.serialize_entry("kind", "field")?;
            m.serialize_entry("gateway", gateway)
        }
        Action::Gateway { domain, from, to } => {
            m.serialize_entry("kind", "gateway")?;
            m.serialize_entry("domain", domain)?;
            m.serialize_entry("from", from)?;
            m.serialize_entry("to", to)
        }
    }
}

impl Serialize for PlanStep {
    /// The action's fields and its `gain`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        action_fields(&mut m, &self.action)?;
        m.serialize_entry("gain", &self.gain)?;
        m.end()
    }
}

impl Serialize for Plan {
    /// `{"target", "covered_before", "covered_after", "steps"}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Plan", 4)?;
        st.serialize_field("target", &self.target.number())?;
        st.serialize_field("covered_before", &self.covered_before)?;
        st.serialize_field("covered_after", &self.covered_after)?;
        st.serialize_field("steps", &self.steps)?;
        st.end()
    }
}

/// A matrix with the snapshot it indexes into, serialized as
/// `{"summary": {DOMAIN: COUNTS}, "unrated": {DOMAIN: {"left", "right"}}, "nation_pairs":
/// [{"a", "b", "summary"}], "pairs"?: [...]}`; `unrated` counts the systems of each fleet with
/// no conformance in the domain.
pub struct MatrixReport<'a> {
    pub snapshot: &'a Snapshot,
    pub matrix: &'a Matrix,
    /// Whether to list every pair (the matrix must have been computed with them).
    pub pairs: bool,
}

/// Per-domain counts keyed by domain code, in the matrix's domain order.
struct Summary<'a> {
    snapshot: &'a Snapshot,
    matrix: &'a Matrix,
    counts: &'a [Counts],
}

impl Serialize for Summary<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.counts.len()))?;
        for ((d, _), c) in self.matrix.domains.iter().zip(self.counts) {
            m.serialize_entry(&self.snapshot.domains[*d].code, &CountsJson(c))?;
        }
        m.end()
    }
}

struct NationPairs<'a>(&'a Snapshot, &'a Matrix);

impl Serialize for NationPairs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.1.nation_pairs.len()))?;
        for n in &self.1.nation_pairs {
            seq.serialize_element(&NationPairJson {
                a: &n.a,
                b: &n.b,
                summary: Summary {
                    snapshot: self.0,
                    matrix: self.1,
                    counts: &n.counts,
                },
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct NationPairJson<'a> {
    a: &'a str,
    b: &'a str,
    summary: Summary<'a>,
}

struct Pairs<'a>(&'a Snapshot, &'a Matrix);

/// `{DOMAIN: {"left", "right"}}`: systems without a conformance in the domain, per fleet.
struct Unrated<'a>(&'a Snapshot, &'a Matrix);

#[derive(Serialize)]
struct UnratedPair {
    a: usize,
    b: usize,
}

#[derive(Serialize)]
struct UnratedJson {
    left: usize,
    right: usize,
}

impl Serialize for Unrated<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.1.unrated.len()))?;
        for ((d, _), &(left, right)) in self.1.domains.iter().zip(&self.1.unrated) {
            m.serialize_entry(&self.0.domains[*d].code, &UnratedJson { left, right })?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct PairJson<'a> {
    a: &'a str,
    b: &'a str,
    domain: &'a str,
    level: Level,
}

impl Serialize for Pairs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let snap = self.0;
        let mut seq = s.serialize_seq(Some(self.1.pairs.len()))?;
        for p in &self.1.pairs {
            seq.serialize_element(&PairJson {
                a: &snap.systems[p.a].id,
                b: &snap.systems[p.b].id,
                domain: &snap.domains[p.domain].code,
                level: p.level,
            })?;
        }
        seq.end()
    }
}

impl Serialize for MatrixReport<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let counts: Vec<Counts> = self.matrix.domains.iter().map(|(_, c)| *c).collect();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry(
            "summary",
            &Summary {
                snapshot: self.snapshot,
                matrix: self.matrix,
                counts: &counts,
            },
        )?;
        m.serialize_entry("unrated", &Unrated(self.snapshot, self.matrix))?;
        m.serialize_entry("nation_pairs", &NationPairs(self.snapshot, self.matrix))?;
        if self.pairs {
            m.serialize_entry("pairs", &Pairs(self.snapshot, self.matrix))?;
        }
        m.end()
    }
}

impl Serialize for Party {
    /// `{"id", "name", "kind"}`, and `merged` for the "Other" parties.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("name", &self.name)?;
        m.serialize_entry("kind", self.kind_str())?;
        if self.is_other() {
            m.serialize_entry("merged", &self.merged)?;
        }
        m.end()
    }
}

impl Serialize for Flow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Flow", 5)?;
        st.serialize_field("supplier", &self.supplier)?;
        st.serialize_field("recipient", &self.recipient)?;
        st.serialize_field("tiv", &self.tiv.to_f64(2))?;
        st.serialize_field("items", &self.items)?;
        st.serialize_field("deals", &self.deals)?;
        st.end()
    }
}

impl Serialize for Total {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Total", 4)?;
        st.serialize_field("party", &self.party)?;
        st.serialize_field("tiv", &self.tiv.to_f64(2))?;
        st.serialize_field("items", &self.items)?;
        st.serialize_field("deals", &self.deals)?;
        st.end()
    }
}

#[derive(Serialize)]
struct MergedJson {
    top: usize,
    suppliers: usize,
    recipients: usize,
    flows: usize,
}

impl Serialize for Flows {
    /// TIVs in millions rounded to 2 decimals (half away from zero).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Flows", 11)?;
        st.serialize_field("source", &self.source)?;
        st.serialize_field("from", &self.years.0)?;
        st.serialize_field("to", &self.years.1)?;
        st.serialize_field("total_tiv", &self.total_tiv.to_f64(2))?;
        st.serialize_field("total_items", &self.total_items)?;
        st.serialize_field("total_deals", &self.total_deals)?;
        st.serialize_field("flows", &self.flows)?;
        st.serialize_field("suppliers", &self.suppliers)?;
        st.serialize_field("recipients", &self.recipients)?;
        st.serialize_field(
            "merged",
            &MergedJson {
                top: self.top,
                suppliers: self.merged.suppliers,
                recipients: self.merged.recipients,
                flows: self.merged.flows,
            },
        )?;
        st.end()
    }
}
