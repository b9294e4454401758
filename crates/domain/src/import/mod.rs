//! Import planning: validate an incoming dataset against what is already stored, then work out
//! what changes. Pure: the store reads `existing` and writes the plan's `changes` in one
//! transaction, so an import is all or nothing.
//!
//! Validation runs on the *merged* registry (existing records overlaid by incoming ones by key),
//! so references may point to records already stored, and a change that would break a stored
//! record (a policy losing a classification still in use, a standard moving out of its
//! gateway's domain) is caught too. Every problem is reported, each with its location.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::label::{check_label, Label, Policies, Policy, Reader};
use crate::model::*;

mod checks;
mod formats;
mod plan;
mod workspace;

use checks::*;
use formats::*;
pub use formats::{
    bloc_code, date_or_year, id, kebab, nation_code, ncage_code, plausible_year, text, MAX_ID,
    MAX_TEXT,
};
pub use plan::plan_import;
use plan::*;

/// One thing wrong with the input, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `$.systems[3].origin` for JSON, `systems.csv:5, column origin` for CSV.
    pub location: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl Problem {
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            location: location.into(),
            message: message.into(),
        }
    }
}

/// How locations of incoming records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `$.systems[3]`, fields appended as `.origin`.
    Json,
    /// `systems.csv:5`, fields appended as `, column origin`.
    Csv,
}

/// Where each incoming record came from, per kind, parallel to the dataset's arrays.
#[derive(Debug, Clone)]
pub struct Origins {
    pub style: Style,
    bases: HashMap<Kind, Vec<String>>,
}

impl Origins {
    pub fn new(style: Style) -> Self {
        Origins {
            style,
            bases: HashMap::new(),
        }
    }

    /// Records the location of the next record of `kind`.
    pub fn push(&mut self, kind: Kind, base: String) {
        self.bases.entry(kind).or_default().push(base);
    }

    /// Location of incoming record `index` of `kind`, optionally of one of its fields.
    pub fn at(&self, kind: Kind, index: usize, field: Option<&str>) -> String {
        let base = self
            .bases
            .get(&kind)
            .and_then(|b| b.get(index))
            .cloned()
            .unwrap_or_else(|| format!("{}[{index}]", kind.array()));
        match (field, self.style) {
            (None, _) => base,
            (Some(f), Style::Json) if f.starts_with('[') => format!("{base}{f}"),
            (Some(f), Style::Json) => format!("{base}.{f}"),
            (Some(f), Style::Csv) => format!("{base}, column {f}"),
        }
    }

    /// Origins for a dataset built in memory: JSON paths by position.
    pub fn json_positions(data: &Dataset) -> Self {
        let mut o = Origins::new(Style::Json);
        for kind in Kind::ALL {
            for i in 0..data.count(kind) {
                o.push(kind, format!("$.{}[{i}]", kind.array()));
            }
        }
        o
    }
}

/// Records an input held but that could not be read: their keys where the input showed them,
/// or whole kinds (an array that was not an array, a CSV file with a bad header). References to
/// them are not reported as unknown: the problem that made them unreadable is reported instead.
#[derive(Debug, Clone, Default)]
pub struct Unreadable {
    keys: HashMap<Kind, HashSet<String>>,
    kinds: HashSet<Kind>,
}

impl Unreadable {
    pub fn add_key(&mut self, kind: Kind, key: String) {
        self.keys.entry(kind).or_default().insert(key);
    }

    pub fn add_kind(&mut self, kind: Kind) {
        self.kinds.insert(kind);
    }

    pub fn covers(&self, kind: Kind, key: &str) -> bool {
        self.kinds.contains(&kind) || self.keys.get(&kind).is_some_and(|k| k.contains(key))
    }

    fn extend(&mut self, other: Unreadable) {
        for (kind, keys) in other.keys {
            self.keys.entry(kind).or_default().extend(keys);
        }
        self.kinds.extend(other.kinds);
    }
}

/// An incoming dataset, where each of its records came from, and what could not be read.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub data: Dataset,
    pub origins: Origins,
    /// Problems found while reading (type errors, unknown fields...): the import fails, but
    /// validation still runs on the readable records so that every problem is reported at once.
    pub problems: Vec<Problem>,
    pub unreadable: Unreadable,
}

impl Incoming {
    /// Appends another input (e.g. the next file of one import), prefixing its locations with
    /// `prefix` (e.g. `"b.json: "`), so that several files are validated and written as one.
    pub fn append(&mut self, other: Incoming, prefix: &str) {
        self.problems.extend(
            other
                .problems
                .into_iter()
                .map(|p| Problem::new(format!("{prefix}{}", p.location), p.message)),
        );
        self.unreadable.extend(other.unreadable);
        for kind in Kind::ALL {
            let bases = other.origins.bases.get(&kind).cloned().unwrap_or_default();
            let own = self.origins.bases.entry(kind).or_default();
            // Keep earlier records' locations aligned even if they had none recorded.
            while own.len() < self.data.count(kind) {
                own.push(format!("{}[{}]", kind.array(), own.len()));
            }
            own.extend(bases.into_iter().map(|b| format!("{prefix}{b}")));
        }
        // Destructured, not accessed field by field: a new kind cannot be forgotten here.
        let Dataset {
            policies,
            nations,
            blocs,
            organizations,
            people,
            domains,
            standards,
            profiles,
            systems,
            conformances,
            gateways,
            transfers,
            bodies,
            meetings,
            minutes,
            proposals,
            decisions,
            action_items,
            engagements,
            documents,
            capability_areas,
            needs,
            offers,
            instruments,
        } = other.data;
        let d = &mut self.data;
        d.policies.extend(policies);
        d.nations.extend(nations);
        d.blocs.extend(blocs);
        d.organizations.extend(organizations);
        d.people.extend(people);
        d.domains.extend(domains);
        d.standards.extend(standards);
        d.profiles.extend(profiles);
        d.systems.extend(systems);
        d.conformances.extend(conformances);
        d.gateways.extend(gateways);
        d.transfers.extend(transfers);
        d.bodies.extend(bodies);
        d.meetings.extend(meetings);
        d.minutes.extend(minutes);
        d.proposals.extend(proposals);
        d.decisions.extend(decisions);
        d.action_items.extend(action_items);
        d.engagements.extend(engagements);
        d.documents.extend(documents);
        d.capability_areas.extend(capability_areas);
        d.needs.extend(needs);
        d.offers.extend(offers);
        d.instruments.extend(instruments);
    }

    /// An empty input, to append files to.
    pub fn empty(style: Style) -> Self {
        Incoming {
            data: Dataset::default(),
            origins: Origins::new(style),
            problems: Vec::new(),
            unreadable: Unreadable::default(),
        }
    }

    /// Wraps a dataset built in memory (e.g. by `synth`): locations are JSON paths by position.
    pub fn from_dataset(data: Dataset) -> Self {
        let origins = Origins::json_positions(&data);
        Incoming {
            data,
            origins,
            problems: Vec::new(),
            unreadable: Unreadable::default(),
        }
    }
}

/// Created / updated / unchanged counts for one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What an import will do.
#[derive(Debug, Clone)]
pub struct ImportPlan {
    /// Records to insert or update (created and updated ones only), in canonical order.
    pub changes: Dataset,
    /// Keys of records that exist and change: the store replaces their nested lists.
    pub counts: Vec<(Kind, Counts)>,
}

impl ImportPlan {
    pub fn is_noop(&self) -> bool {
        self.changes.is_empty()
    }
}

/// How aliases and names are compared when matching records across sources: trimmed, with
/// inner runs of spaces as one, ignoring case (`K-9  155mm ` = `k-9 155mm`).
pub fn alias_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
