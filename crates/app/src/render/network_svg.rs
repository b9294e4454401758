//! Who met whom, drawn: a [`Network`] as a standalone SVG with the people on a circle (in the
//! network's own order, so the same network always gives the same picture), each coloured by
//! the nation of their organization with a legend, an edge per pair who met whose width grows
//! with how often, names as text and a `<title>` tooltip on every node and edge. Only reads the
//! computed network; no I/O. Every text is escaped; the size is bounded because a network holds
//! at most [`crate::workspace::MAX_NODES`] people.

use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::fmt::Write;

use defcoop_engine::flows::PALETTE;

use super::svg::esc;
use super::Lang;
use crate::workspace::Network;

/// Colour of people whose nation is beyond the palette's, or unknown.
const OTHER_COLOUR: &str = "#6b7280";
/// Space for the names outside the circle.
const LABEL_ROOM: f64 = 190.0;
/// Characters of a name shown (the tooltip has it whole).
const NAME_CHARS: usize = 26;
/// Widest and narrowest circle.
const MIN_RADIUS: f64 = 110.0;
const MAX_RADIUS: f64 = 480.0;
/// Narrowest picture (room for the title, the explanation and the legend).
const MIN_WIDTH: f64 = 760.0;
/// Up to this many people, names are written level; beyond, along the radius.
const LEVEL_NAMES: usize = 24;

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The colour of each nation: the palette's, by how many people of the network are of it
/// (most first, then by code); nations beyond the palette, and people of no nation, are grey.
pub fn nation_colours(net: &Network) -> Vec<(String, &'static str)> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &net.nodes {
        *count.entry(n.nation.as_str()).or_default() += 1;
    }
    let mut nations: Vec<(&str, usize)> =
        count.into_iter().filter(|(n, _)| !n.is_empty()).collect();
    nations.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    nations
        .into_iter()
        .enumerate()
        .map(|(i, (n, _))| {
            (
                n.to_string(),
                PALETTE.get(i).copied().unwrap_or(OTHER_COLOUR),
            )
        })
        .collect()
}

/// Width of an edge for pairs who met `times` times: 1.5 px once, thicker up to 9 px.
pub fn edge_width(times: usize) -> f64 {
    (1.5 + 1.5 * (times.saturating_sub(1)) as f64).min(9.0)
}

fn times_text(times: usize, lang: Lang) -> String {
    match (lang, times) {
        (Lang::En, 1) => "met once".to_string(),
        (Lang::En, n) => format!("met {n} times"),
        (Lang::Ko, n) => format!("{n}회 만남"),
    }
}

/// The network as SVG: `title` heads it, `nation_name` names a nation code in the legend.
pub fn network_svg(
    net: &Network,
    title: &str,
    lang: Lang,
    nation_name: &dyn Fn(&str) -> String,
) -> String {
    let n = net.nodes.len();
    let colours = nation_colours(net);
    let colour_of = |nation: &str| {
        colours
            .iter()
            .find(|(c, _)| c == nation)
            .map_or(OTHER_COLOUR, |(_, col)| *col)
    };
    // A circle roomy enough for a node every 16 px, within bounds.
    let radius = (n as f64 * 16.0 / (2.0 * PI)).clamp(MIN_RADIUS, MAX_RADIUS);
    // A few people's names are written level beside their node; many, along their radius.
    let level = n <= LEVEL_NAMES;
    let (side_room, top_room) = if level {
        (LABEL_ROOM, 36.0)
    } else {
        (LABEL_ROOM, LABEL_ROOM)
    };
    let width = (2.0 * (radius + side_room)).max(MIN_WIDTH);
    let mut body = String::new();

    // Title, explanation and legend.
    let _ = write!(
        body,
        r##"<text x="20" y="30" font-size="17" font-weight="bold">{}</text>"##,
        esc(title)
    );
    let (counts, key) = match lang {
        Lang::En => (
            format!(
                "{n} people, {} pairs who met, {} meetings and engagements.",
                net.edges.len(),
                net.events
            ),
            "Line width = how often they met; colours = nations.",
        ),
        Lang::Ko => (
            format!(
                "{n}명, 만난 쌍 {}개, 회의·면담 {}건.",
                net.edges.len(),
                net.events
            ),
            "선의 굵기 = 만난 횟수, 색 = 국가.",
        ),
    };
    let _ = write!(
        body,
        r##"<text x="20" y="52" fill="#374151">{}</text><text x="20" y="70" fill="#374151">{}</text>"##,
        esc(&counts),
        esc(key)
    );
    let mut lx = 20.0;
    let mut ly = 94.0;
    let mut legend: Vec<(String, &str)> = colours
        .iter()
        .map(|(code, c)| (format!("{} ({code})", nation_name(code)), *c))
        .collect();
    if net
        .nodes
        .iter()
        .any(|x| colour_of(&x.nation) == OTHER_COLOUR)
    {
        legend.push((
            match lang {
                Lang::En => "Other or unknown".to_string(),
                Lang::Ko => "기타 또는 알 수 없음".to_string(),
            },
            OTHER_COLOUR,
        ));
    }
    for (label, c) in &legend {
        let label = short(label, 34);
        let w = 24.0 + 7.0 * label.chars().count() as f64 + 16.0;
        if lx + w > width - 20.0 {
            lx = 20.0;
            ly += 20.0;
        }
        let _ = write!(
            body,
            r##"<circle cx="{:.1}" cy="{:.1}" r="6" fill="{c}"/><text x="{:.1}" y="{ly:.1}">{}</text>"##,
            lx + 6.0,
            ly - 4.0,
            lx + 18.0,
            esc(&label)
        );
        lx += w;
    }
    let cx = width / 2.0;
    let cy = ly + 24.0 + top_room + radius;
    let height = cy + radius + top_room;

    if n == 0 {
        let _ = write!(
            body,
            r##"<text x="{cx:.0}" y="{cy:.0}" text-anchor="middle" fill="#4b5563">{}</text>"##,
            match lang {
                Lang::En => "Nobody met anybody in this period.",
                Lang::Ko => "이 기간에 만난 사람이 없습니다.",
            }
        );
    }

    // Node i sits at angle -90° + 360°·i/n (the first at the top, clockwise).
    let angle = |i: usize| -PI / 2.0 + 2.0 * PI * i as f64 / n.max(1) as f64;
    let at = |i: usize, r: f64| (cx + r * angle(i).cos(), cy + r * angle(i).sin());

    body.push_str(r##"<g class="edges" stroke="#4b5563" stroke-opacity="0.55">"##);
    let mut edges: Vec<_> = net
        .edges
        .iter()
        .filter(|e| e.a < n && e.b < n && e.a != e.b)
        .collect();
    // Thin edges first: the thick ones stay visible on top.
    edges.sort_by_key(|e| (e.times, e.a, e.b));
    for e in edges {
        let (x1, y1) = at(e.a, radius);
        let (x2, y2) = at(e.b, radius);
        let tip = format!(
            "{} — {}: {}",
            net.nodes[e.a].name,
            net.nodes[e.b].name,
            times_text(e.times, lang)
        );
        let _ = write!(
            body,
            r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke-width="{:.1}"><title>{}</title></line>"##,
            edge_width(e.times),
            esc(&tip)
        );
    }
    body.push_str("</g>");

    let mut met = vec![0usize; n];
    for e in net.edges.iter().filter(|e| e.a < n && e.b < n) {
        met[e.a] += e.times;
        met[e.b] += e.times;
    }
    body.push_str(r##"<g class="people">"##);
    for (i, node) in net.nodes.iter().enumerate() {
        let (x, y) = at(i, radius);
        let mut tip = node.name.clone();
        if !node.organization.is_empty() {
            tip.push_str(&format!(", {}", node.organization));
        }
        if !node.nation.is_empty() {
            tip.push_str(&format!(" ({})", node.nation));
        }
        let (tx, ty) = at(i, radius + 12.0);
        let (cos, sin) = (angle(i).cos(), angle(i).sin());
        let place = if level {
            // Beside the node: after it on the right, before it on the left, centred above
            // or below it at the top and the bottom.
            let anchor = if cos > 0.3 {
                "start"
            } else if cos < -0.3 {
                "end"
            } else {
                "middle"
            };
            let dy = if sin < -0.3 {
                -2.0
            } else if sin > 0.3 {
                10.0
            } else {
                4.0
            };
            format!(r##"x="{tx:.1}" y="{ty:.1}" dy="{dy:.0}" text-anchor="{anchor}""##)
        } else {
            // Along the radius; on the left half the name reads outwards from its end, so it
            // is never upside down.
            let deg = angle(i).to_degrees();
            let (anchor, rotate) = if cos < -1e-9 {
                ("end", deg + 180.0)
            } else {
                ("start", deg)
            };
            format!(
                r##"x="{tx:.1}" y="{ty:.1}" dy="4" text-anchor="{anchor}" transform="rotate({rotate:.1} {tx:.1} {ty:.1})""##
            )
        };
        let _ = write!(
            body,
            r##"<g><circle cx="{x:.1}" cy="{y:.1}" r="7" fill="{}" stroke="#ffffff" stroke-width="1.5"><title>{}: {}</title></circle><text {place}>{}</text></g>"##,
            colour_of(&node.nation),
            esc(&tip),
            esc(&times_text(met[i], lang)),
            esc(&short(&node.name, NAME_CHARS))
        );
    }
    body.push_str("</g>");

    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="12"><title>{}</title><style>.edges line:hover{{stroke-opacity:1;stroke:#1d5fa8}}</style><rect width="100%" height="100%" fill="white"/>"##,
        esc(title)
    );
    s.push_str(&body);
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{NetworkEdge, NetworkNode};

    fn node(person: &str, name: &str, nation: &str) -> NetworkNode {
        NetworkNode {
            person: person.into(),
            name: name.into(),
            organization: "Org <&>".into(),
            nation: nation.into(),
        }
    }

    fn net() -> Network {
        Network {
            nodes: vec![
                node("a", "Andrius <Kubilius>", "LTU"),
                node("b", "Radmila \"Shekerinska\"", "MKD"),
                node("c", "Seok & Jong-gun", "KOR"),
                node("d", "Kim", "KOR"),
            ],
            edges: vec![
                NetworkEdge {
                    a: 0,
                    b: 2,
                    times: 1,
                },
                NetworkEdge {
                    a: 1,
                    b: 2,
                    times: 3,
                },
            ],
            events: 3,
        }
    }

    fn code(c: &str) -> String {
        format!("Nation {c}")
    }

    #[test]
    fn the_same_network_draws_the_same_picture_with_every_text_escaped() {
        let a = network_svg(&net(), "Who met <whom>", Lang::En, &code);
        assert_eq!(a, network_svg(&net(), "Who met <whom>", Lang::En, &code));
        assert!(
            a.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{a}"
        );
        assert!(a.contains("<title>Who met &lt;whom&gt;</title>"));
        assert!(a.contains("Andrius &lt;Kubilius&gt;"));
        assert!(a.contains("Radmila &quot;Shekerinska&quot;"));
        assert!(a.contains("Seok &amp; Jong-gun"));
        assert!(!a.contains("<Kubilius>") && !a.contains("<whom>"));
        assert!(a.contains("Org &lt;&amp;&gt;"));
        // Edges: one per pair, thicker for more meetings, with a tooltip.
        assert_eq!(a.matches("<line ").count(), 2);
        assert!(a.contains("stroke-width=\"1.5\"><title>Andrius &lt;Kubilius&gt; — Seok &amp; Jong-gun: met once</title>"));
        assert!(a.contains("stroke-width=\"4.5\"><title>Radmila &quot;Shekerinska&quot; — Seok &amp; Jong-gun: met 3 times</title>"));
        // Every node, coloured by nation, with a legend (Korea first: two people).
        assert_eq!(a.matches("r=\"7\"").count(), 4);
        let colours = nation_colours(&net());
        assert_eq!(colours[0], ("KOR".to_string(), PALETTE[0]));
        assert!(a.contains("Nation KOR (KOR)"));
        assert!(a.contains("Nation MKD (MKD)"));
        let ko = network_svg(&net(), "누가 누구를", Lang::Ko, &code);
        assert!(ko.contains("3회 만남"), "{ko}");
    }

    #[test]
    fn an_empty_network_says_so_and_a_full_one_stays_bounded() {
        let empty = network_svg(&Network::default(), "Nobody", Lang::En, &code);
        assert!(empty.contains("Nobody met anybody"));
        let nodes: Vec<NetworkNode> = (0..crate::workspace::MAX_NODES)
            .map(|i| {
                node(
                    &format!("p{i:03}"),
                    &format!("Person {i} with a very long name indeed"),
                    &format!("N{:02}", i % 15),
                )
            })
            .collect();
        let edges = (1..nodes.len())
            .map(|i| NetworkEdge {
                a: i - 1,
                b: i,
                times: i,
            })
            .collect();
        let big = Network {
            nodes,
            edges,
            events: 500,
        };
        let svg = network_svg(&big, "Many", Lang::En, &code);
        let width: f64 = svg
            .split("width=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|w| w.parse().ok())
            .unwrap();
        assert!(width <= 2.0 * (MAX_RADIUS + LABEL_ROOM), "{width}");
        assert!(
            svg.contains("transform=\"rotate("),
            "many names go along the radius"
        );
        assert!(!network_svg(&net(), "Few", Lang::En, &code).contains("rotate("));
        assert!(svg.len() < 200_000, "{} bytes", svg.len());
        assert!(
            svg.contains("stroke-width=\"9.0\""),
            "edge widths are capped"
        );
        assert!(
            svg.contains("Other or unknown"),
            "nations beyond the palette are grey"
        );
        assert!(svg.contains("Person 1 with a very long…</text>"));
    }
}
