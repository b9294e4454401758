//! Today's date, from the system clock (UTC): what a bloc filter means when no day is given.

use defcoop_domain::model::Day;

/// Today (UTC).
pub fn today() -> Day {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Day::from_unix_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// A day given as `YYYY-MM-DD`, or a bad request naming what was wrong.
pub fn parse_day(s: &str) -> crate::Result<Day> {
    Day::parse(s).ok_or_else(|| {
        crate::AppError::BadRequest(format!(
            "\"{}\" is not a date (YYYY-MM-DD)",
            crate::render::cut(s, 40)
        ))
    })
}
