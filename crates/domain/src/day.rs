//! A calendar day (proleptic Gregorian), for dated memberships. Pure: "today" is given by the
//! caller (from the clock, outside the domain).

use std::fmt;

/// A calendar day; ordered by date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

fn leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in(y: u16, m: u8) -> u8 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Day {
    /// A valid day, or `None`.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Day> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in(year, month)).then_some(Day {
            year,
            month,
            day,
        })
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into its first and last days.
    fn span(s: &str) -> Option<(Day, Day)> {
        let num = |p: &str, len: usize| -> Option<u16> {
            (p.len() == len && p.chars().all(|c| c.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let parts: Vec<&str> = s.split('-').collect();
        match parts.as_slice() {
            [y] => {
                let y = num(y, 4)?;
                Some((Day::new(y, 1, 1)?, Day::new(y, 12, 31)?))
            }
            [y, m] => {
                let (y, m) = (num(y, 4)?, u8::try_from(num(m, 2)?).ok()?);
                Some((Day::new(y, m, 1)?, Day::new(y, m, days_in(y, m))?))
            }
            [y, m, d] => {
                let (y, m, d) = (
                    num(y, 4)?,
                    u8::try_from(num(m, 2)?).ok()?,
                    u8::try_from(num(d, 2)?).ok()?,
                );
                let day = Day::new(y, m, d)?;
                Some((day, day))
            }
            _ => None,
        }
    }

    /// The first day a year, month or date names (`2023` → 2023-01-01).
    pub fn first_of(s: &str) -> Option<Day> {
        Day::span(s).map(|(a, _)| a)
    }

    /// The last day a year, month or date names (`2020` → 2020-12-31).
    pub fn last_of(s: &str) -> Option<Day> {
        Day::span(s).map(|(_, b)| b)
    }

    /// A full date `YYYY-MM-DD` only.
    pub fn parse(s: &str) -> Option<Day> {
        Day::span(s).filter(|(a, b)| a == b).map(|(a, _)| a)
    }

    /// The day `days` after 1970-01-01 (negative: before), for today's date from the clock.
    pub fn from_unix_days(days: i64) -> Day {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Day {
            year: u16::try_from(y.clamp(0, 9999)).unwrap_or(9999),
            month: m as u8,
            day: d as u8,
        }
    }
}

impl Day {
    /// Days since 1970-01-01 (negative: before), the inverse of [`Day::from_unix_days`].
    pub fn unix_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_days_inverts_from_unix_days() {
        for days in [-700_000, -1, 0, 1, 59, 365, 11_016, 20_000, 2_900_000] {
            assert_eq!(Day::from_unix_days(days).unix_days(), days, "{days}");
        }
        assert_eq!(Day::new(2026, 12, 6).map(Day::unix_days), Some(20_793));
    }

    #[test]
    fn years_months_and_dates_span_their_days() {
        assert_eq!(Day::first_of("2023"), Day::new(2023, 1, 1));
        assert_eq!(Day::last_of("2020"), Day::new(2020, 12, 31));
        assert_eq!(Day::last_of("2024-02"), Day::new(2024, 2, 29));
        assert_eq!(Day::last_of("2023-02"), Day::new(2023, 2, 28));
        assert_eq!(Day::first_of("2020-01-31"), Day::new(2020, 1, 31));
        assert_eq!(Day::parse("2020"), None);
        assert_eq!(Day::parse("2021-02-29"), None);
        assert_eq!(Day::parse("2020-13-01"), None);
        assert_eq!(Day::parse("20-01-01"), None);
        assert_eq!(
            Day::parse("2024-11-04").map(|d| d.to_string()).as_deref(),
            Some("2024-11-04")
        );
    }

    #[test]
    fn unix_days_are_civil_dates() {
        assert_eq!(
            Day::from_unix_days(0),
            Day {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            Day::from_unix_days(19_723),
            Day {
                year: 2024,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            Day::from_unix_days(11_016),
            Day {
                year: 2000,
                month: 2,
                day: 29
            }
        );
        assert_eq!(
            Day::from_unix_days(-1),
            Day {
                year: 1969,
                month: 12,
                day: 31
            }
        );
    }

    #[test]
    fn memberships_cover_their_days_and_years() {
        let gbr = crate::model::Member {
            nation: "GBR".into(),
            since: Some("1973-01-01".into()),
            until: Some("2020-01-31".into()),
        };
        let day = |s| Day::parse(s).unwrap();
        assert!(!gbr.on(day("1972-12-31")));
        assert!(gbr.on(day("1973-01-01")));
        assert!(gbr.on(day("2020-01-31")));
        assert!(!gbr.on(day("2020-02-01")));
        assert!(!gbr.in_year(1972));
        assert!(gbr.in_year(2020));
        assert!(!gbr.in_year(2021));
        let lie = crate::model::Member {
            nation: "LIE".into(),
            since: Some("1991".into()),
            until: None,
        };
        assert!(lie.on(day("1991-01-01")) && !lie.on(day("1990-12-31")) && lie.in_year(2050));
    }
}
