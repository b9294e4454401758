//! A brokerage event as its organizers give it (docs/MATCHMAKING.md "Brokerage meetings"):
//! its time slots in one zone, its tables, and its participants, each an organization of the
//! registry with the slots it can make, its needs and offers, the participants it asks to
//! meet, and how many of its best matches it also asks to meet.
//!
//! [`read`] parses and checks the file on its own (every problem located, `$.participants[2]
//! .available`); the registry's references (organizations, needs, offers) are checked by the
//! caller over the reader's view.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::import::Problem;
use crate::workspace::time;

/// Participants' best matches asked for at most.
pub const MAX_REQUEST_BEST: usize = 20;
/// Needs and offers one participant brings at most.
pub const MAX_ITEMS: usize = 50;
/// Needs and offers matched for `request_best`, over all participants, at most (each is a
/// ranking against the event's other items).
pub const MAX_MATCHED: usize = 1_000;
/// The shortest and longest slot, in minutes.
pub const SLOT_MINUTES: (u32, u32) = (5, 480);

/// One time slot: its start (civil time in the event's zone) and length.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    /// `YYYY-MM-DDTHH:MM`.
    pub start: String,
    pub minutes: u32,
}

/// A participant.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Unique within the event.
    pub id: String,
    /// An organization of the registry.
    pub organization: String,
    /// Slot numbers (from 0) it can make; absent: every slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<Vec<usize>>,
    /// Needs of the registry it brings (ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// Offers of the registry it brings (ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<String>,
    /// Participants (ids) it asks to meet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<String>,
    /// Also ask to meet the participants whose needs and offers best match its own, this many
    /// (0 to 20).
    #[serde(default)]
    pub request_best: usize,
}

/// A brokerage event.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    pub title: String,
    /// The IANA zone the slots' times are in.
    pub time_zone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Meetings one slot holds at most.
    pub tables: usize,
    pub slots: Vec<Slot>,
    pub participants: Vec<Participant>,
}

/// The event file from JSON, checked on its own; every problem located.
pub fn read(bytes: &[u8]) -> Result<EventFile, Vec<Problem>> {
    let e: EventFile = serde_json::from_slice(bytes).map_err(|err| {
        vec![Problem::new(
            format!("line {}, column {}", err.line(), err.column()),
            err.to_string(),
        )]
    })?;
    let p = check(&e);
    if p.is_empty() {
        Ok(e)
    } else {
        Err(p)
    }
}

/// Every problem of an event file on its own.
pub fn check(e: &EventFile) -> Vec<Problem> {
    use super::brokerage::{MAX_PARTICIPANTS, MAX_SLOTS, MAX_TABLES};
    let mut out = Vec::new();
    if e.title.trim().is_empty() {
        out.push(Problem::new("$.title", "must not be empty"));
    }
    let zone_ok = match time::zone(&e.time_zone) {
        Ok(_) => true,
        Err(m) => {
            out.push(Problem::new("$.time_zone", m));
            false
        }
    };
    if !(1..=MAX_TABLES).contains(&e.tables) {
        out.push(Problem::new(
            "$.tables",
            format!("{} is not between 1 and {MAX_TABLES}", e.tables),
        ));
    }
    if e.slots.is_empty() || e.slots.len() > MAX_SLOTS {
        out.push(Problem::new(
            "$.slots",
            format!("{} slots; give 1 to {MAX_SLOTS}", e.slots.len()),
        ));
    }
    let mut previous_end: Option<i64> = None;
    for (i, s) in e.slots.iter().enumerate() {
        let at = format!("$.slots[{i}]");
        if !(SLOT_MINUTES.0..=SLOT_MINUTES.1).contains(&s.minutes) {
            out.push(Problem::new(
                format!("{at}.minutes"),
                format!(
                    "{} is not between {} and {}",
                    s.minutes, SLOT_MINUTES.0, SLOT_MINUTES.1
                ),
            ));
        }
        if s.start.trim().len() != 16 {
            out.push(Problem::new(
                format!("{at}.start"),
                format!("\"{}\" is not a time YYYY-MM-DDTHH:MM", cut(&s.start)),
            ));
            continue;
        }
        if !zone_ok {
            continue;
        }
        match time::instant(&s.start, &e.time_zone) {
            Err(m) => out.push(Problem::new(format!("{at}.start"), m)),
            Ok(z) => {
                let start = time::epoch_seconds(&z);
                if previous_end.is_some_and(|end| start < end) {
                    out.push(Problem::new(
                        format!("{at}.start"),
                        "begins before the slot before it ends: give slots in order, apart",
                    ));
                }
                previous_end = Some(start + i64::from(s.minutes) * 60);
            }
        }
    }
    if e.participants.len() > MAX_PARTICIPANTS {
        out.push(Problem::new(
            "$.participants",
            format!(
                "{} participants; at most {MAX_PARTICIPANTS}",
                e.participants.len()
            ),
        ));
        return out;
    }
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, p) in e.participants.iter().enumerate() {
        let at = format!("$.participants[{i}]");
        if p.id.trim().is_empty() {
            out.push(Problem::new(format!("{at}.id"), "must not be empty"));
        } else if let Some(first) = ids.insert(p.id.as_str(), i) {
            out.push(Problem::new(
                format!("{at}.id"),
                format!("\"{}\" is also participants[{first}]", cut(&p.id)),
            ));
        }
    }
    for (i, p) in e.participants.iter().enumerate() {
        let at = format!("$.participants[{i}]");
        if let Some(a) = &p.available {
            if a.is_empty() {
                out.push(Problem::new(
                    format!("{at}.available"),
                    "no availability: give at least one slot",
                ));
            }
            let mut seen = BTreeSet::new();
            for (k, s) in a.iter().enumerate() {
                if *s >= e.slots.len() {
                    out.push(Problem::new(
                        format!("{at}.available[{k}]"),
                        format!(
                            "slot {s} does not exist (slots 0 to {})",
                            e.slots.len().saturating_sub(1)
                        ),
                    ));
                } else if !seen.insert(*s) {
                    out.push(Problem::new(
                        format!("{at}.available[{k}]"),
                        format!("slot {s} listed twice"),
                    ));
                }
            }
        }
        for (k, r) in p.requests.iter().enumerate() {
            if r == &p.id {
                out.push(Problem::new(
                    format!("{at}.requests[{k}]"),
                    "a participant cannot ask to meet itself",
                ));
            } else if !ids.contains_key(r.as_str()) {
                out.push(Problem::new(
                    format!("{at}.requests[{k}]"),
                    format!("unknown participant \"{}\"", cut(r)),
                ));
            }
        }
        if p.needs.len() + p.offers.len() > MAX_ITEMS {
            out.push(Problem::new(
                at.clone(),
                format!(
                    "{} needs and offers; at most {MAX_ITEMS}",
                    p.needs.len() + p.offers.len()
                ),
            ));
        }
        if p.request_best > MAX_REQUEST_BEST {
            out.push(Problem::new(
                format!("{at}.request_best"),
                format!("{} is more than {MAX_REQUEST_BEST}", p.request_best),
            ));
        }
    }
    let matched: usize = e
        .participants
        .iter()
        .filter(|p| p.request_best > 0)
        .map(|p| p.needs.len() + p.offers.len())
        .sum();
    if matched > MAX_MATCHED {
        out.push(Problem::new(
            "$.participants",
            format!(
                "{matched} needs and offers to match for request_best; at most {MAX_MATCHED}: \
                 ask for best matches for fewer, or give requests"
            ),
        ));
    }
    out
}

fn cut(s: &str) -> String {
    s.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"title": "Info day", "time_zone": "Europe/Brussels", "tables": 2,
      "slots": [{"start": "2026-03-29T01:00", "minutes": 60}, {"start": "2026-03-29T03:00", "minutes": 20}],
      "participants": [{"id": "a", "organization": "wb-group", "requests": ["b"]},
                       {"id": "b", "organization": "hanwha-aerospace", "available": [1]}]}"#;

    #[test]
    fn a_good_event_reads() {
        let e = read(GOOD.as_bytes()).unwrap();
        assert_eq!(e.participants.len(), 2);
    }

    #[test]
    fn every_problem_is_located() {
        let bad = r#"{"title": " ", "time_zone": "Europe/Brussels", "tables": 0,
          "slots": [{"start": "2026-03-29T02:30", "minutes": 20},
                    {"start": "2026-03-29T05:00", "minutes": 2},
                    {"start": "2026-03-29T04:50", "minutes": 20}],
          "participants": [{"id": "a", "organization": "x", "available": [], "requests": ["a", "z"]},
                           {"id": "a", "organization": "y", "available": [3, 0, 0], "request_best": 21}]}"#;
        let p: Vec<String> = read(bad.as_bytes())
            .unwrap_err()
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            p,
            [
                "$.title: must not be empty",
                "$.tables: 0 is not between 1 and 10000",
                "$.slots[0].start: 2026-03-29T02:30 does not exist (the clocks go forward) in Europe/Brussels: choose another time",
                "$.slots[1].minutes: 2 is not between 5 and 480",
                "$.slots[2].start: begins before the slot before it ends: give slots in order, apart",
                "$.participants[1].id: \"a\" is also participants[0]",
                "$.participants[0].available: no availability: give at least one slot",
                "$.participants[0].requests[0]: a participant cannot ask to meet itself",
                "$.participants[0].requests[1]: unknown participant \"z\"",
                "$.participants[1].available[0]: slot 3 does not exist (slots 0 to 2)",
                "$.participants[1].available[2]: slot 0 listed twice",
                "$.participants[1].request_best: 21 is more than 20",
            ]
        );
        // Too much matching for one request.
        let many: Vec<String> = (0..50).map(|i| format!("n{i}")).collect();
        let participants: Vec<serde_json::Value> = (0..21)
            .map(|i| {
                serde_json::json!({"id": format!("p{i}"), "organization": "o",
                                         "needs": many, "request_best": 1})
            })
            .collect();
        let big = serde_json::json!({"title": "x", "time_zone": "UTC", "tables": 1,
            "slots": [{"start": "2026-03-10T14:00", "minutes": 20}],
            "participants": participants});
        let p = read(big.to_string().as_bytes()).unwrap_err();
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0]
            .to_string()
            .starts_with("$.participants: 1050 needs and offers to match"));
        let p = read(b"{\"title\": 1}").unwrap_err();
        assert!(p[0].location.starts_with("line 1, column"), "{p:?}");
        let p = read(br#"{"title": "x", "time_zone": "Mars/Olympus", "tables": 1, "slots": [], "participants": []}"#).unwrap_err();
        assert_eq!(p[0].location, "$.time_zone");
        assert_eq!(p[1].location, "$.slots");
    }
}
