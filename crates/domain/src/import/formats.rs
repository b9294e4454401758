//! The formats of fields (ids, codes, years, dates, URLs, text) as checks that say what is
//! wrong.

/// A year between 1900 and 2100.
pub fn plausible_year(s: &str) -> Result<(), String> {
    match s.parse::<u16>() {
        Ok(y) if (1900..=2100).contains(&y) => Ok(()),
        _ => Err(format!("{s} is not a year between 1900 and 2100")),
    }
}

/// A TIV amount: finite and not negative.
pub(super) fn tiv_amount(s: &str) -> Result<(), String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(()),
        _ => Err(format!("{s} is not a TIV amount (a number ≥ 0)")),
    }
}

/// Longest id accepted.
pub const MAX_ID: usize = 100;
/// Longest free text accepted (names, titles, evidence), in characters.
pub const MAX_TEXT: usize = 10_000;

/// An id: `^[A-Za-z0-9][A-Za-z0-9._-]*$`, at most [`MAX_ID`] characters.
pub fn id(s: &str) -> Result<(), String> {
    let ok_first = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let ok_rest = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if s.is_empty() {
        Err("must not be empty".into())
    } else if s.len() > MAX_ID {
        Err(format!(
            "\"{}…\" is longer than {MAX_ID} characters",
            s.chars().take(20).collect::<String>()
        ))
    } else if !ok_first || !ok_rest {
        Err(format!(
            "\"{s}\" is not a valid id (letters, digits, '.', '_' and '-', starting with a letter or digit)"
        ))
    } else {
        Ok(())
    }
}

/// A lower-case kebab code: domains and system categories.
pub fn kebab(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{s}\" is not a valid code (lower-case letters, digits and '-', at most 64)"
        ))
    }
}

/// An ISO 3166-1 alpha-3 code.
pub fn nation_code(s: &str) -> Result<(), String> {
    if s.len() == 3 && s.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "\"{s}\" is not an ISO 3166-1 alpha-3 code (three upper-case letters)"
        ))
    }
}

/// A bloc code: upper-case letters, digits and '-', starting with a letter.
pub fn bloc_code(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 32
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{s}\" is not a valid bloc code (upper-case letters, digits and '-')"
        ))
    }
}

/// An NCAGE code: five upper-case letters or digits.
pub fn ncage_code(s: &str) -> Result<(), String> {
    if s.len() == 5
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        Ok(())
    } else {
        Err(format!(
            "\"{s}\" is not an NCAGE code (five upper-case letters or digits)"
        ))
    }
}

/// Non-blank text of at most [`MAX_TEXT`] characters.
pub fn text(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        Err("must not be empty".into())
    } else if s.chars().count() > MAX_TEXT {
        Err(format!("is longer than {MAX_TEXT} characters"))
    } else {
        Ok(())
    }
}

pub(super) fn web_url(s: &str) -> Result<(), String> {
    if (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace) {
        Ok(())
    } else {
        Err(format!("\"{s}\" is not an http(s) URL"))
    }
}

/// `YYYY`, `YYYY-MM` or a valid `YYYY-MM-DD`.
pub fn date_or_year(s: &str) -> Result<(), String> {
    let bad = || {
        Err(format!(
            "\"{s}\" is neither a year (YYYY), a month (YYYY-MM) nor a date (YYYY-MM-DD)"
        ))
    };
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [y] if y.len() == 4 && digits(y) => Ok(()),
        [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => {
            match m.parse::<u32>() {
                Ok(1..=12) => Ok(()),
                _ => bad(),
            }
        }
        [y, m, d]
            if y.len() == 4
                && m.len() == 2
                && d.len() == 2
                && digits(y)
                && digits(m)
                && digits(d) =>
        {
            let (y, m, d): (u32, u32, u32) = match (y.parse(), m.parse(), d.parse()) {
                (Ok(y), Ok(m), Ok(d)) => (y, m, d),
                _ => return bad(),
            };
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return bad(),
            };
            if (1..=days).contains(&d) {
                Ok(())
            } else {
                bad()
            }
        }
        _ => bad(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_checks() {
        assert!(id("STANAG-5516").is_ok() && id("k9.a_b").is_ok());
        assert!(id("").is_err() && id("-x").is_err() && id("a b").is_err());
        assert!(id(&"x".repeat(MAX_ID + 1)).is_err());
        // A long id of letters that take several bytes is refused, not cut inside a letter.
        let long = id(&"가".repeat(MAX_ID)).unwrap_err();
        assert!(
            long.starts_with(&format!("\"{}…\"", "가".repeat(20))),
            "{long}"
        );
        assert!(kebab("tactical-data-link").is_ok() && kebab("Tactical").is_err());
        assert!(
            nation_code("KOR").is_ok() && nation_code("KO").is_err() && nation_code("kor").is_err()
        );
        assert!(
            bloc_code("NATO").is_ok() && bloc_code("nato").is_err() && bloc_code("1EU").is_err()
        );
        assert!(ncage_code("S1234").is_ok() && ncage_code("s123").is_err());
        assert!(text("x").is_ok() && text("  ").is_err());
        for ok in ["1949", "2006-06", "1999-03-12", "2024-02-29"] {
            assert!(date_or_year(ok).is_ok(), "{ok}");
        }
        for bad in [
            "99",
            "1999-3-12",
            "2006-13",
            "2006-6",
            "2023-02-29",
            "1999-13-01",
            "1999-04-31",
            "x",
        ] {
            assert!(date_or_year(bad).is_err(), "{bad}");
        }
    }
}
