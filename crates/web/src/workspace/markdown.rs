//! Minutes' Markdown as HTML, safely: CommonMark (with tables and strikethrough) through
//! `pulldown-cmark`, where raw HTML in the text is shown as escaped text and never passed
//! through, links are kept only to `http`, `https` and `mailto` addresses (others keep their
//! text, unlinked), images become their description (nothing is loaded from elsewhere), and
//! headings sit three levels down so a minutes' `#` is under the page's own headings.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Whether a link's destination may be followed from a page.
fn safe_destination(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H4,
        HeadingLevel::H2 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// `text` (Markdown) as HTML that is safe to put into a page.
pub fn to_html(text: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Whether each open link was kept.
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let keep = safe_destination(&dest_url);
            links.push(keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => links
            .pop()
            .unwrap_or(false)
            .then_some(Event::End(TagEnd::Link)),
        Event::Start(Tag::Image { .. }) => Some(Event::Text(CowStr::Borrowed("["))),
        Event::End(TagEnd::Image) => Some(Event::Text(CowStr::Borrowed("]"))),
        Event::Start(Tag::Heading {
            level,
            id: _,
            classes: _,
            attrs: _,
        }) => Some(Event::Start(Tag::Heading {
            level: lower(level),
            id: None,
            classes: vec![],
            attrs: vec![],
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(lower(level)))),
        e => Some(e),
    });
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered() {
        let html = to_html(
            "# Minutes\n\n1. **Terms** — agreed.\n2. *Plan*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(html.contains("<h4>Minutes</h4>"), "{html}");
        assert!(
            html.contains("<li><strong>Terms</strong> — agreed.</li>"),
            "{html}"
        );
        assert!(html.contains("<em>Plan</em>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn raw_html_is_text_and_unsafe_links_are_dropped() {
        let html = to_html(
            "<script>alert(1)</script>\n\nHi <b onclick=\"x()\">there</b> \
             [bad](javascript:alert(1)) [ok](https://example.org/a?b=1&c=2) \
             ![pic](https://tracker.example/p.png) <img src=x onerror=alert(1)>\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;b onclick=\"x()\"&gt;"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("bad"), "the link's text stays: {html}");
        assert!(
            html.contains("<a href=\"https://example.org/a?b=1&amp;c=2\">ok</a>"),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("[pic]"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
    }
}
