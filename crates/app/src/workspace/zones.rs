//! Times as people read them: a meeting in its own zone, in its participants' nations' zones
//! (Seoul and Brussels both, for a meeting between them) and in the reader's, each with its
//! offset on that day, so daylight saving is always right; and minutes as Markdown.

use std::collections::HashMap;
use std::sync::OnceLock;

use defcoop_domain::model::Dataset;
use defcoop_domain::workspace::{time, Meeting, Minutes};
use serde::Serialize;

use crate::readmodel::find;

/// One zone's view of an event: `2025-11-20 10:00 +01:00`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShownTime {
    pub zone: String,
    pub start: String,
    pub end: String,
    /// Why this zone is shown: `meeting` (its own), `participants` (a participant's nation),
    /// `reader` (the reader's choice).
    pub why: &'static str,
}

/// The zone of a nation's capital, or its only zone (`KOR` → `Asia/Seoul`), from
/// `render/nation_zones.tsv` (made from the tz database's `zone.tab`).
pub fn nation_zone(code: &str) -> Option<&'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            include_str!("../render/nation_zones.tsv")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t'))
                .collect()
        })
        .get(code)
        .copied()
}

/// Seconds since the epoch of a civil time in a zone (`i64::MAX` when it does not exist, so
/// that such a record sorts last; validation never stores one).
pub(super) fn start_seconds(at: &str, zone: &str) -> i64 {
    time::instant(at, zone).map_or(i64::MAX, |z| time::epoch_seconds(&z))
}

/// The zones a meeting is shown in, each once: its own, its participants' nations', then the
/// reader's.
pub(super) fn shown(data: &Dataset, m: &Meeting, reader: Option<&str>) -> Vec<ShownTime> {
    let mut zones: Vec<(String, &'static str)> = vec![(m.time_zone.clone(), "meeting")];
    for p in &m.participants {
        let nation = find(&data.people, p.person.as_str())
            .and_then(|person| find(&data.organizations, person.organization.as_str()))
            .map(|o| o.nation.as_str());
        if let Some(zone) = nation.and_then(nation_zone) {
            zones.push((zone.to_string(), "participants"));
        }
    }
    if let Some(r) = reader {
        zones.push((r.to_string(), "reader"));
    }
    let (Ok(start), Ok(end)) = (
        time::instant(&m.start, &m.time_zone),
        time::instant(&m.end, &m.time_zone),
    ) else {
        return Vec::new();
    };
    let mut out: Vec<ShownTime> = Vec::new();
    for (zone, why) in zones {
        let Some(name) = time::zone_name(&zone) else {
            continue;
        };
        if out.iter().any(|t| t.zone == name) {
            continue;
        }
        if let (Ok(s), Ok(e)) = (time::shown_in(&start, &name), time::shown_in(&end, &name)) {
            out.push(ShownTime {
                zone: name,
                start: s,
                end: e,
                why,
            });
        }
    }
    out
}

/// The civil time in `zone` of `seconds` since the epoch (`None` if the zone is unknown,
/// which validation never lets a meeting have).
pub(super) fn civil_in(seconds: i64, zone: &str) -> Option<String> {
    time::civil_at(seconds, zone).ok()
}

/// Minutes as a Markdown document.
pub(super) fn minutes_markdown(data: &Dataset, m: &Minutes, meeting: Option<&Meeting>) -> String {
    let mut out = String::new();
    let title = meeting.map_or(m.meeting.as_str(), |x| x.title.as_str());
    out.push_str(&format!("# Minutes: {title}\n\n"));
    if let Some(x) = meeting {
        let when = format!(
            "{} – {} ({})",
            x.start.replace('T', " "),
            x.end.replace('T', " "),
            x.time_zone
        );
        out.push_str(&format!("- When: {when}\n"));
        if let Some(place) = &x.place {
            out.push_str(&format!("- Where: {place}\n"));
        }
    }
    out.push_str(&format!(
        "- Version: {} ({})\n",
        m.version,
        m.status.as_str()
    ));
    if let Some(c) = &m.corrects {
        out.push_str(&format!("- Corrects: {c}\n"));
    }
    if m.illustrative {
        out.push_str(
            "- Illustrative: made up to show the platform, not a record of a real meeting\n",
        );
    }
    out.push('\n');
    out.push_str(m.text.trim_end());
    out.push('\n');
    if !m.comments.is_empty() {
        out.push_str("\n## Comments\n\n");
        for c in &m.comments {
            let who = find(&data.people, c.person.as_str())
                .map_or(c.person.as_str(), |p| p.name.as_str());
            let at =
                c.at.as_deref()
                    .map(|a| format!(" ({})", a.replace('T', " ")))
                    .unwrap_or_default();
            out.push_str(&format!("- **{who}**{at}: {}\n", c.text.replace('\n', " ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nation_zone_is_in_the_bundled_database() {
        let table = include_str!("../render/nation_zones.tsv");
        let mut n = 0;
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let (code, zone) = line.split_once('\t').expect("code TAB zone");
            assert_eq!(code.len(), 3, "{line}");
            assert!(time::zone(zone).is_ok(), "{line}");
            n += 1;
        }
        assert!(n > 240, "{n} nations");
        assert_eq!(nation_zone("KOR"), Some("Asia/Seoul"));
        assert_eq!(nation_zone("BEL"), Some("Europe/Brussels"));
        assert_eq!(nation_zone("USA"), Some("America/New_York"));
    }
}
