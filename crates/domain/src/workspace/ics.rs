//! Meetings and engagements as an iCalendar stream (RFC 5545), with a `VTIMEZONE` for each
//! zone the events use, made from the bundled time zone database so that calendar programs
//! show each event at its own zone's time, daylight-saving changes included.
//!
//! Pure: the caller gives the stamp (`DTSTAMP`, the time the calendar is made) and decides
//! which events a reader may see.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::time;
use super::{Engagement, Meeting, MeetingStatus};

/// One event of a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Unique and stable across exports (`meeting-inaugural@defcoop`).
    pub uid: String,
    pub summary: String,
    /// Civil time (`YYYY-MM-DDTHH:MM`) or a day (`YYYY-MM-DD`: an all-day event).
    pub start: String,
    pub end: Option<String>,
    pub zone: String,
    pub location: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    /// `CONFIRMED`, `TENTATIVE` or `CANCELLED`.
    pub status: &'static str,
}

impl Event {
    pub fn of_meeting(m: &Meeting) -> Event {
        let mut description = String::new();
        for (i, item) in m.agenda.iter().enumerate() {
            let _ = write!(description, "{}. {}", i + 1, item.title);
            if let Some(o) = item.outcome {
                let _ = write!(description, " ({})", o.as_str());
            }
            description.push('\n');
        }
        Event {
            uid: format!("meeting-{}@defcoop", m.id),
            summary: m.title.clone(),
            start: m.start.clone(),
            end: Some(m.end.clone()),
            zone: m.time_zone.clone(),
            location: m.place.clone().or_else(|| m.online.clone()),
            description: (!description.is_empty()).then(|| description.trim_end().to_string()),
            url: m.online.clone(),
            status: match m.status {
                MeetingStatus::Cancelled => "CANCELLED",
                MeetingStatus::Planned | MeetingStatus::Held => "CONFIRMED",
            },
        }
    }

    pub fn of_engagement(e: &Engagement) -> Event {
        let mut description = e.topics.join("\n");
        for o in &e.outcomes {
            if !description.is_empty() {
                description.push('\n');
            }
            description.push_str(o);
        }
        Event {
            uid: format!("engagement-{}@defcoop", e.id),
            summary: e.title.clone(),
            start: e.start.clone(),
            end: e.end.clone(),
            zone: e.time_zone.clone(),
            location: e.place.clone(),
            description: (!description.is_empty()).then_some(description),
            url: None,
            status: "CONFIRMED",
        }
    }
}

/// A calendar named `name` holding `events`, stamped `stamp` (seconds since the Unix epoch).
/// Fails naming the event whose times do not exist in its zone.
pub fn calendar(name: &str, events: &[Event], stamp: i64) -> Result<String, String> {
    let stamp = time::from_epoch_seconds(stamp).ok_or("the stamp is out of range")?;
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//defcoop//workspace//EN");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.prop("X-WR-CALNAME", &text(name));

    // Per zone, the span of the events' instants: its VTIMEZONE covers it.
    let mut spans: BTreeMap<String, (TimeZone, i64, i64)> = BTreeMap::new();
    // Each event with, when timed, its zone's name and its local start and end.
    type Local = (String, String, Option<String>);
    let mut timed: Vec<(Option<Local>, &Event)> = Vec::new();
    for e in events {
        let all_day =
            e.start.trim().len() == 10 && e.end.as_deref().is_none_or(|x| x.trim().len() == 10);
        if all_day {
            time::civil(&e.start).map_err(|m| format!("{}: {m}", e.uid))?;
            timed.push((None, e));
            continue;
        }
        let tz = time::zone(&e.zone).map_err(|m| format!("{}: {m}", e.uid))?;
        let name = tz.iana_name().unwrap_or(&e.zone).to_string();
        let from = time::instant(&e.start, &e.zone).map_err(|m| format!("{}: {m}", e.uid))?;
        let to = match &e.end {
            Some(end) => time::instant(end, &e.zone).map_err(|m| format!("{}: {m}", e.uid))?,
            None => from.clone(),
        };
        let (a, b) = (time::epoch_seconds(&from), time::epoch_seconds(&to));
        let span = spans.entry(name.clone()).or_insert((tz, a, b));
        span.1 = span.1.min(a);
        span.2 = span.2.max(b);
        let end = e.end.as_ref().map(|_| local(&to.datetime()));
        timed.push((Some((name, local(&from.datetime()), end)), e));
    }
    for (name, (tz, from, to)) in &spans {
        vtimezone(&mut out, name, tz, *from, *to);
    }
    for (zoned, e) in timed {
        out.line("BEGIN:VEVENT");
        out.prop("UID", &text(&e.uid));
        out.line(&format!("DTSTAMP:{}", stamp.strftime("%Y%m%dT%H%M%SZ")));
        match zoned {
            Some((zone, start, end)) => {
                out.line(&format!("DTSTART;TZID={zone}:{start}"));
                if let Some(end) = end {
                    out.line(&format!("DTEND;TZID={zone}:{end}"));
                }
            }
            None => {
                let day = day_of(&e.start);
                out.line(&format!("DTSTART;VALUE=DATE:{day}"));
                // An all-day event ends the day after its last day (DTEND is exclusive).
                let last = e.end.as_deref().unwrap_or(&e.start);
                let next = time::civil(last)
                    .ok()
                    .and_then(|d| d.date().tomorrow().ok())
                    .map(|d| d.strftime("%Y%m%d").to_string())
                    .unwrap_or(day);
                out.line(&format!("DTEND;VALUE=DATE:{next}"));
            }
        }
        out.prop("SUMMARY", &text(&e.summary));
        if let Some(l) = &e.location {
            out.prop("LOCATION", &text(l));
        }
        if let Some(d) = &e.description {
            out.prop("DESCRIPTION", &text(d));
        }
        if let Some(u) = &e.url {
            out.prop("URL", u);
        }
        out.line(&format!("STATUS:{}", e.status));
        out.line("END:VEVENT");
    }
    out.line("END:VCALENDAR");
    Ok(out.0)
}

fn local(dt: &jiff::civil::DateTime) -> String {
    dt.strftime("%Y%m%dT%H%M%S").to_string()
}

fn day_of(s: &str) -> String {
    s.trim().replace('-', "")
}

/// `+0100` for an offset of one hour.
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

/// The zone's observances from a year before `from` to a year after `to`: each transition
/// in that span (at most 200), or the one offset in force when there is none (Seoul).
fn vtimezone(out: &mut Lines, name: &str, tz: &TimeZone, from: i64, to: i64) {
    const YEAR: i64 = 366 * 86_400;
    out.line("BEGIN:VTIMEZONE");
    out.prop("TZID", name);
    let start = Timestamp::from_second(from - YEAR).unwrap_or(Timestamp::UNIX_EPOCH);
    let end = to + YEAR;
    let mut any = false;
    for t in tz.following(start).take(200) {
        let at = t.timestamp();
        if at.as_second() > end {
            break;
        }
        let before = Timestamp::from_second(at.as_second() - 1)
            .map(|b| tz.to_offset(b))
            .unwrap_or(t.offset());
        let kind = if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        out.line(&format!("BEGIN:{kind}"));
        // DTSTART of an observance: the local time, in the offset before it, when it starts.
        out.line(&format!("DTSTART:{}", local(&before.to_datetime(at))));
        out.line(&format!("TZOFFSETFROM:{}", offset_text(before.seconds())));
        out.line(&format!("TZOFFSETTO:{}", offset_text(t.offset().seconds())));
        out.prop("TZNAME", &text(t.abbreviation()));
        out.line(&format!("END:{kind}"));
        any = true;
    }
    if !any {
        let info = tz.to_offset_info(start);
        let offset = offset_text(info.offset().seconds());
        out.line("BEGIN:STANDARD");
        out.line("DTSTART:19700101T000000");
        out.line(&format!("TZOFFSETFROM:{offset}"));
        out.line(&format!("TZOFFSETTO:{offset}"));
        out.prop("TZNAME", &text(info.abbreviation()));
        out.line("END:STANDARD");
    }
    out.line("END:VTIMEZONE");
}

/// RFC 5545 TEXT: backslash, semicolon, comma and newline escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Content lines ending in CRLF, folded at 75 octets without splitting a character.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn prop(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }

    fn line(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            let n = c.len_utf8();
            if width + n > 75 {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(c);
            width += n;
        }
        self.0.push_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(start: &str, end: Option<&str>, zone: &str) -> Event {
        Event {
            uid: "meeting-x@defcoop".into(),
            summary: "Inaugural meeting; agenda, minutes".into(),
            start: start.into(),
            end: end.map(str::to_string),
            zone: zone.into(),
            location: Some("Brussels".into()),
            description: Some("1. Terms of reference\n2. 합동 연구개발 (joint R&D on advanced technologies, a long line)".into()),
            url: None,
            status: "CONFIRMED",
        }
    }

    fn unfold(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn events_keep_their_zone_with_its_daylight_saving_rules() {
        let ics = calendar(
            "KOR–NATO–EU",
            &[
                event(
                    "2025-11-20T10:00",
                    Some("2025-11-20T17:00"),
                    "Europe/Brussels",
                ),
                event("2025-06-02T09:00", Some("2025-06-02T12:00"), "Asia/Seoul"),
            ],
            1_764_000_000,
        )
        .unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(
            ics.lines().all(|l| l.len() <= 76),
            "folded at 75 octets (+CR)"
        );
        let lines = unfold(&ics);
        assert!(lines.contains(&"DTSTART;TZID=Europe/Brussels:20251120T100000".to_string()));
        assert!(lines.contains(&"DTEND;TZID=Europe/Brussels:20251120T170000".to_string()));
        assert!(lines.contains(&"DTSTART;TZID=Asia/Seoul:20250602T090000".to_string()));
        assert!(lines.contains(&"SUMMARY:Inaugural meeting\\; agenda\\, minutes".to_string()));
        assert!(lines
            .iter()
            .any(|l| l.starts_with("DESCRIPTION:1. Terms of reference\\n2. 합동 연구개발")));
        assert!(lines.contains(&"DTSTAMP:20251124T160000Z".to_string()));
        // Brussels: the 2025 changes, summer time from 02:00 +01:00 on 30 March, winter time
        // from 03:00 +02:00 on 26 October.
        let joined = lines.join("\n");
        assert!(joined.contains(
            "BEGIN:DAYLIGHT\nDTSTART:20250330T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\nEND:DAYLIGHT"
        ), "{joined}");
        assert!(joined.contains(
            "BEGIN:STANDARD\nDTSTART:20251026T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\nEND:STANDARD"
        ), "{joined}");
        // Seoul: no changes in the span, one observance at +09:00.
        let seoul = &joined[joined.find("TZID:Asia/Seoul").unwrap()..];
        assert!(
            seoul.contains("TZOFFSETFROM:+0900\nTZOFFSETTO:+0900\nTZNAME:KST"),
            "{seoul}"
        );
        assert_eq!(joined.matches("BEGIN:VTIMEZONE").count(), 2);
    }

    #[test]
    fn folding_never_splits_a_character() {
        let mut e = event(
            "2025-11-20T10:00",
            Some("2025-11-20T11:00"),
            "Europe/Brussels",
        );
        e.summary = "석종건 ".repeat(40);
        let ics = calendar("x", &[e], 0).unwrap();
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert!(unfold(&ics)
            .iter()
            .any(|l| *l == format!("SUMMARY:{}", "석종건 ".repeat(40))));
    }

    #[test]
    fn days_are_all_day_events_ending_the_next_day() {
        let ics = calendar("x", &[event("2025-04-23", None, "Europe/Brussels")], 0).unwrap();
        let lines = unfold(&ics);
        assert!(lines.contains(&"DTSTART;VALUE=DATE:20250423".to_string()));
        assert!(lines.contains(&"DTEND;VALUE=DATE:20250424".to_string()));
        assert!(!ics.contains("VTIMEZONE"), "no zone needed for a day");
    }

    #[test]
    fn a_time_that_does_not_exist_names_its_event() {
        let err = calendar(
            "x",
            &[event(
                "2026-03-29T02:30",
                Some("2026-03-29T04:00"),
                "Europe/Brussels",
            )],
            0,
        )
        .unwrap_err();
        assert!(
            err.starts_with("meeting-x@defcoop: ") && err.contains("does not exist"),
            "{err}"
        );
    }
}
