//! Civil times in IANA time zones, read with the IANA Time Zone Database compiled into the
//! binary (jiff's bundled copy): the same answers on every machine, nothing read from the
//! system at run time.
//!
//! A record holds `YYYY-MM-DDTHH:MM` (or a day, `YYYY-MM-DD`, meaning its midnight) and a
//! zone name. A civil time the zone's clocks skip (Brussels at 02:30 on the last Sunday of
//! March) does not exist, and one they pass twice (02:30 on the last Sunday of October) is
//! ambiguous: both are refused, with the reason, rather than guessed.

use std::sync::OnceLock;

use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, Disambiguation, TimeZone, TimeZoneDatabase};
use jiff::{Timestamp, ZonedDateTime as Zoned};

fn db() -> &'static TimeZoneDatabase {
    static DB: OnceLock<TimeZoneDatabase> = OnceLock::new();
    DB.get_or_init(TimeZoneDatabase::bundled)
}

/// The zone named `name` (`Europe/Brussels`), case-insensitively; `UTC` too.
pub fn zone(name: &str) -> Result<TimeZone, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("give an IANA time zone, e.g. Europe/Brussels or Asia/Seoul".into());
    }
    db().get(name).map_err(|_| {
        format!(
            "\"{}\" is not an IANA time zone (e.g. Europe/Brussels, Asia/Seoul)",
            cut(name)
        )
    })
}

/// The canonical name of a zone as the database spells it, if known.
pub fn zone_name(name: &str) -> Option<String> {
    zone(name)
        .ok()
        .and_then(|z| z.iana_name().map(str::to_string))
}

fn cut(s: &str) -> String {
    s.chars().take(60).collect()
}

/// `YYYY-MM-DDTHH:MM` (seconds allowed, `:SS`) or `YYYY-MM-DD` as a civil time.
pub fn civil(s: &str) -> Result<DateTime, String> {
    let t = s.trim();
    let shape_ok = t.len() == 10 || t.len() == 16 || t.len() == 19;
    let parsed = if t.len() == 10 {
        t.parse::<jiff::civil::Date>()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    } else {
        t.parse::<DateTime>()
    };
    match parsed {
        Ok(dt) if shape_ok && !t.contains(['+', 'Z', 'z', '[']) => Ok(dt),
        _ => Err(format!(
            "\"{}\" is not a civil time YYYY-MM-DDTHH:MM (or a day YYYY-MM-DD), without an \
             offset: the zone is given apart",
            cut(t)
        )),
    }
}

/// The instant of civil time `at` in `zone_name`, or why there is none.
pub fn instant(at: &str, zone_name: &str) -> Result<Zoned, String> {
    let tz = zone(zone_name)?;
    let dt = civil(at)?;
    let ambiguous = tz.to_ambiguous_zoned_datetime(dt);
    if ambiguous.is_ambiguous() {
        let what = if matches!(ambiguous.offset(), AmbiguousOffset::Gap { .. }) {
            "does not exist (the clocks go forward)"
        } else {
            "happens twice (the clocks go back)"
        };
        return Err(format!(
            "{} {what} in {}: choose another time",
            cut(at.trim()),
            tz.iana_name().unwrap_or(zone_name)
        ));
    }
    ambiguous
        .disambiguate(Disambiguation::Reject)
        .map_err(|e| format!("{}: {e}", cut(at.trim())))
}

/// The same instant as civil time in another zone, `YYYY-MM-DD HH:MM` with its offset
/// (`2026-03-30 17:00 +09:00`).
pub fn shown_in(at: &Zoned, zone_name: &str) -> Result<String, String> {
    let tz = zone(zone_name)?;
    let there = at.timestamp().to_zoned_datetime(tz);
    Ok(there.strftime("%Y-%m-%d %H:%M %:z").to_string())
}

/// The civil time (`YYYY-MM-DDTHH:MM`) in `zone_name` of the instant `seconds` after the
/// Unix epoch.
pub fn civil_at(seconds: i64, zone_name: &str) -> Result<String, String> {
    let tz = zone(zone_name)?;
    let at = from_epoch_seconds(seconds).ok_or_else(|| format!("{seconds} is not a time"))?;
    Ok(at
        .to_zoned_datetime(tz)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string())
}

/// The instant as UTC (`20260330T080000Z`, RFC 5545's form).
pub fn utc_stamp(at: &Zoned) -> String {
    at.timestamp().strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Seconds since the Unix epoch.
pub fn epoch_seconds(at: &Zoned) -> i64 {
    at.timestamp().as_second()
}

/// The instant `seconds` after the Unix epoch, if representable.
pub fn from_epoch_seconds(seconds: i64) -> Option<Timestamp> {
    Timestamp::from_second(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_found_offline_and_unknown_ones_named() {
        assert!(zone("Europe/Brussels").is_ok());
        assert!(zone("asia/seoul").is_ok(), "case-insensitive");
        assert_eq!(zone_name("asia/seoul").as_deref(), Some("Asia/Seoul"));
        let err = zone("Europe/Atlantis").unwrap_err();
        assert!(
            err.contains("\"Europe/Atlantis\" is not an IANA time zone"),
            "{err}"
        );
        assert!(zone("  ").unwrap_err().contains("give an IANA time zone"));
    }

    #[test]
    fn seoul_has_no_daylight_saving_and_brussels_does() {
        // 10:00 in Brussels is 08:00 UTC in summer and 09:00 in winter; Seoul stays +09:00.
        let summer = instant("2026-06-15T10:00", "Europe/Brussels").unwrap();
        let winter = instant("2026-12-15T10:00", "Europe/Brussels").unwrap();
        assert_eq!(utc_stamp(&summer), "20260615T080000Z");
        assert_eq!(utc_stamp(&winter), "20261215T090000Z");
        assert_eq!(
            shown_in(&summer, "Asia/Seoul").unwrap(),
            "2026-06-15 17:00 +09:00"
        );
        assert_eq!(
            shown_in(&winter, "Asia/Seoul").unwrap(),
            "2026-12-15 18:00 +09:00"
        );
        // Across the change in late March 2026 (29 March): the same civil time, an hour apart
        // in Seoul.
        let before = instant("2026-03-27T10:00", "Europe/Brussels").unwrap();
        let after = instant("2026-03-30T10:00", "Europe/Brussels").unwrap();
        assert_eq!(
            shown_in(&before, "Asia/Seoul").unwrap(),
            "2026-03-27 18:00 +09:00"
        );
        assert_eq!(
            shown_in(&after, "Asia/Seoul").unwrap(),
            "2026-03-30 17:00 +09:00"
        );
        assert_eq!(
            epoch_seconds(&after) - epoch_seconds(&before),
            3 * 86_400 - 3_600
        );
    }

    #[test]
    fn skipped_and_repeated_times_are_refused_with_the_reason() {
        let gap = instant("2026-03-29T02:30", "Europe/Brussels").unwrap_err();
        assert!(
            gap.contains("does not exist (the clocks go forward)"),
            "{gap}"
        );
        let fold = instant("2026-10-25T02:30", "Europe/Brussels").unwrap_err();
        assert!(
            fold.contains("happens twice (the clocks go back)"),
            "{fold}"
        );
        // Seoul has neither.
        assert!(instant("2026-03-29T02:30", "Asia/Seoul").is_ok());
    }

    #[test]
    fn only_civil_times_and_days_are_read() {
        assert!(civil("2026-11-20T10:00").is_ok());
        assert!(civil("2026-11-20T10:00:30").is_ok());
        assert_eq!(
            civil("2026-11-20").unwrap(),
            civil("2026-11-20T00:00").unwrap()
        );
        for bad in [
            "2026-11-20T10:00+01:00",
            "2026-11-20T10:00Z",
            "2026-11-20T10:00[Europe/Brussels]",
            "2026-02-30T10:00",
            "20/11/2026",
            "2026-11-20T25:00",
            "",
        ] {
            assert!(civil(bad).is_err(), "{bad}");
        }
    }
}
