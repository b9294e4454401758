//! The workspace's rules, in three layers:
//!
//! - each record on its own ([`Record::issues`]): times that exist in their zone, the end
//!   after the start, a held meeting with an outcome for every agenda item, a proposal history
//!   made of legal transitions ending in its status, votes only for a vote, one owner per
//!   action item, ...;
//! - what each record names ([`Record::refs`]): people, organizations and workspace records
//!   that must exist (checked by the caller, who knows what the writer may see);
//! - between records ([`across`]): minutes and decisions of held meetings, a correction of
//!   approved minutes of the same meeting, agenda positions that exist, plan actions that the
//!   proposal's plan holds; and between a stored record and its next version
//!   ([`check_change`]): approved minutes are frozen, a proposal's history only grows, a held
//!   meeting stays held.
//!
//! Every finding names the field it is about, so the dataset importer can report
//! `$.meetings[2].end: ...`. The records live in the [`Dataset`] beside the registry's, so
//! these functions take one.

use std::collections::HashSet;

use super::time;
use super::*;
use crate::model::Kind;

mod between;
mod records;

pub use between::{across, check, check_change, unassigned_plan_actions, Finding};
pub use records::action_shape;

/// A rule a record breaks: the field (`agenda[2].outcome`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub field: String,
    pub message: String,
}

pub(crate) fn issue(field: impl Into<String>, message: impl Into<String>) -> Issue {
    Issue {
        field: field.into(),
        message: message.into(),
    }
}

/// A record named by a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub field: String,
    pub to: Kind,
    pub id: String,
}

pub(crate) fn reference(field: impl Into<String>, to: Kind, id: &str) -> Ref {
    Ref {
        field: field.into(),
        to,
        id: id.to_string(),
    }
}

/// Most agenda items, participants, comments, history steps or plan items one record holds.
pub const MAX_ITEMS: usize = 1_000;
/// The longest minutes text, in bytes.
pub const MAX_TEXT: usize = 1 << 20;
/// The longest a meeting may last.
const MAX_DAYS: i64 = 31;

/// A workspace record: what it breaks on its own, and what it names.
pub trait Record: crate::model::Keyed {
    fn id(&self) -> &str;
    /// The rules this record breaks on its own.
    fn issues(&self) -> Vec<Issue>;
    /// The records it names.
    fn refs(&self) -> Vec<Ref>;
}

/// Common checks: an id as the registry's (letters, digits, `.`, `_`, `-`), non-empty texts.
pub(crate) fn id_issues(id: &str, out: &mut Vec<Issue>) {
    if let Err(e) = crate::import::id(id) {
        out.push(issue("id", e));
    }
}

pub(crate) fn text_issue(field: &str, value: &str, out: &mut Vec<Issue>) {
    if value.trim().is_empty() {
        out.push(issue(field, "must not be empty"));
    } else if value.len() > 10_000 {
        out.push(issue(field, "is longer than 10,000 bytes"));
    }
}

pub(crate) fn count_issue(field: &str, n: usize, out: &mut Vec<Issue>) {
    if n > MAX_ITEMS {
        out.push(issue(
            field,
            format!("holds {n} entries; at most {MAX_ITEMS}"),
        ));
    }
}

pub(crate) fn day_issue(field: &str, value: &str, out: &mut Vec<Issue>) {
    if crate::day::Day::parse(value.trim()).is_none() {
        out.push(issue(
            field,
            format!(
                "\"{}\" is not a date (YYYY-MM-DD)",
                value.chars().take(40).collect::<String>()
            ),
        ));
    }
}

pub(crate) fn web_url_issue(field: &str, value: &str, out: &mut Vec<Issue>) {
    let v = value.trim();
    if !(v.starts_with("https://") || v.starts_with("http://")) || v.contains(char::is_whitespace) {
        out.push(issue(field, "must be an http or https address"));
    }
}

/// The start and end of an event in its zone: both must exist, the end come after the start.
pub(crate) fn span_issues(start: &str, end: Option<&str>, zone: &str, out: &mut Vec<Issue>) {
    if let Err(e) = time::zone(zone) {
        out.push(issue("time_zone", e));
        return;
    }
    let from = time::instant(start, zone).map_err(|e| out.push(issue("start", e)));
    let Some(end) = end else { return };
    let to = time::instant(end, zone).map_err(|e| out.push(issue("end", e)));
    if let (Ok(from), Ok(to)) = (from, to) {
        let seconds = time::epoch_seconds(&to) - time::epoch_seconds(&from);
        if seconds <= 0 {
            out.push(issue(
                "end",
                format!("{} is not after the start ({})", end.trim(), start.trim()),
            ));
        } else if seconds > MAX_DAYS * 86_400 {
            out.push(issue(
                "end",
                format!("is more than {MAX_DAYS} days after the start"),
            ));
        }
    }
}

pub(crate) fn duplicates<'a>(
    field: &str,
    values: impl Iterator<Item = &'a str>,
    what: &str,
    out: &mut Vec<Issue>,
) {
    let mut seen = HashSet::new();
    for (i, v) in values.enumerate() {
        if !seen.insert(v) {
            out.push(issue(
                format!("{field}[{i}]"),
                format!("{what} \"{v}\" listed twice"),
            ));
        }
    }
}
