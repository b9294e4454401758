//! Rendering apart from computing: the engine and the use cases return values; this module
//! turns them into text tables and SVG pictures for people, in English or Korean. Text tables are aligned by display
//! width (a Hangul syllable takes two columns), not by character count.

mod flows_svg;
mod labels;
mod matchmaking;
mod messages;
mod names;
mod network_svg;
mod svg;
mod text;
mod time;
mod words;
mod workspace;
mod workspace_messages;

use unicode_width::UnicodeWidthStr;

pub use flows_svg::{flow_tooltip, flows_svg};
pub use labels::{kind_plural, Labelled};
pub use matchmaking::{
    brokerage_text, built_text, consortium_text, matches_text, owner_text, part_name, part_points,
    part_why, standing_text,
};
pub use messages::{message, message_in, Catalogue, MESSAGES};
pub use names::{bloc_name, nation_codes_ko, nation_name};
pub use network_svg::{edge_width, nation_colours, network_svg};
pub use svg::{nations_heatmap, systems_heatmap};
pub use text::{
    action_text, flows_table, flows_title, matrix_csv, matrix_table, pair_text, plan_text,
    whatif_table,
};
pub use time::{datetime, parse_date};
pub use words::{words, workspace_words, Words, WorkspaceWords};
pub use workspace::{
    action_item_line, action_item_text, actions_table, assigned_text, engagements_table,
    meeting_line, meeting_text, meetings_table, minutes_line, network_text, proposal_line,
    proposal_text, proposals_table, tabled_plan_text, timeline_table,
};

/// A language people read answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En = 0,
    Ko = 1,
}

impl Lang {
    /// `en` or `ko` (also `ko-KR`, `ko_KR.UTF-8` and the like); `None` for anything else.
    pub fn parse(s: &str) -> Option<Lang> {
        let base = s
            .split(['-', '_', '.'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match base.as_str() {
            "en" | "c" | "posix" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }
}

/// At most `max` characters of `s`, with "…" when cut: messages never echo a huge input whole.
pub fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

/// Columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` padded with spaces on the right to `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// `s` padded with spaces on the left to `w` columns.
pub fn rpad(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_takes_two_columns() {
        assert_eq!(width("석종건"), 6);
        assert_eq!(width("K9"), 2);
        assert_eq!(pad("석종건", 8), "석종건  ");
        assert_eq!(rpad("국가", 6), "  국가");
        assert_eq!(pad("toolong", 3), "toolong");
    }

    #[test]
    fn cut_keeps_characters_whole() {
        assert_eq!(cut("abc", 5), "abc");
        assert_eq!(cut("abcdef", 3), "abc…");
        assert_eq!(cut("석종건입니다", 2), "석종…");
    }

    #[test]
    fn languages() {
        assert_eq!(Lang::parse("ko_KR.UTF-8"), Some(Lang::Ko));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("C"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
