//! The arms-flow diagram: [`Flows`] drawn as a standalone two-column SVG (Sankey-like), with
//! its headings and explanation in English or Korean. Only reads the computed [`Flows`]; no
//! I/O. The engine computes the flows (`defcoop_engine::flows`); this draws them.

use std::collections::HashMap;
use std::fmt::Write;

use defcoop_engine::flows::{
    and_list, grouped, Flow, Flows, Party, Total, OTHER_RECIPIENTS, OTHER_SUPPLIERS, PALETTE,
};

use super::svg::esc;
use super::Lang;

const OTHER_COLOUR: &str = "#6b7280";
const RECIPIENT_COLOUR: &str = "#374151";

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// "South Korea → Poland: 3,912.4 TIV, 812 items, 6 deals".
pub fn flow_tooltip(f: &Flow) -> String {
    format!(
        "{} → {}: {} TIV, {}, {}",
        f.supplier.name,
        f.recipient.name,
        f.tiv.display(1),
        plural(f.items, "item", "items"),
        plural(f.deals as u64, "deal", "deals")
    )
}

/// A label for a bar: the name, shortened to `max` characters.
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The flow diagram: suppliers as stacked bars on the left, recipients on the right, bar
/// heights and band widths proportional to TIV, one colour per supplier. Standalone SVG,
/// 1000 px wide, every text escaped.
pub fn flows_svg(f: &Flows, title: &str, lang: Lang) -> String {
    const WIDTH: f64 = 1000.0;
    const BAR: f64 = 14.0;
    const LEFT_X: f64 = 300.0;
    const RIGHT_X: f64 = 686.0;
    const SCALE_PX: f64 = 520.0;
    const SLOT: f64 = 18.0;
    const GAP: f64 = 8.0;
    const LABEL_CHARS: usize = 30;

    let colour: HashMap<&Party, &str> = f
        .suppliers
        .iter()
        .filter(|t| !t.party.is_other())
        .zip(PALETTE.iter().cycle())
        .map(|(t, c)| (&t.party, *c))
        .collect();
    let colour_of = |p: &Party| colour.get(p).copied().unwrap_or(OTHER_COLOUR);

    let mut s = String::new();
    let mut body = String::new();

    // Title, explanation, legend.
    let title_size = if title.chars().count() > 90 {
        (18.0 * 90.0 / title.chars().count() as f64).max(11.0)
    } else {
        18.0
    };
    let _ = write!(
        body,
        r##"<text x="20" y="32" font-size="{title_size:.1}" font-weight="bold">{}</text>"##,
        esc(title)
    );
    let explanation = match lang {
        Lang::En => format!(
            "Band width = TIV delivered (SIPRI trend-indicator value, millions); colours = suppliers. Total {} TIV, {}, {}.",
            f.total_tiv.display(1),
            plural(f.total_items, "item", "items"),
            plural(f.total_deals as u64, "deal", "deals")
        ),
        Lang::Ko => format!(
            "띠의 너비 = 인도된 TIV (SIPRI 추세지표가치, 백만 단위); 색 = 공급국. 합계 {} TIV, 수량 {}, 계약 {}건.",
            f.total_tiv.display(1),
            grouped(f.total_items),
            grouped(f.total_deals as u64)
        ),
    };
    let _ = write!(
        body,
        r##"<text x="20" y="56" fill="#374151">{}</text>"##,
        esc(&explanation)
    );
    let mut lx = 20.0;
    let mut ly = 76.0;
    for t in &f.suppliers {
        let label = short(&t.party.name, 28);
        let w = 24.0 + 6.5 * label.chars().count() as f64 + 16.0;
        if lx + w > WIDTH - 20.0 {
            lx = 20.0;
            ly += 20.0;
        }
        let _ = write!(
            body,
            r##"<rect x="{lx:.1}" y="{:.1}" width="14" height="14" fill="{}"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            ly - 11.0,
            colour_of(&t.party),
            lx + 20.0,
            ly,
            esc(&label)
        );
        lx += w;
    }
    let heads_y = ly + 30.0;
    let _ = write!(
        body,
        r##"<text x="{:.0}" y="{heads_y:.0}" text-anchor="end" font-weight="bold">{}</text><text x="{:.0}" y="{heads_y:.0}" font-weight="bold">{}</text>"##,
        LEFT_X + BAR,
        match lang {
            Lang::En => "Suppliers",
            Lang::Ko => "공급국",
        },
        RIGHT_X,
        match lang {
            Lang::En => "Recipients",
            Lang::Ko => "수령국",
        }
    );
    let y0 = heads_y + 14.0;

    let total = f.total_tiv.millions();
    let k = if total > 0.0 { SCALE_PX / total } else { 0.0 };
    // Bar tops and heights, per side.
    let place = |totals: &[Total]| -> (Vec<(f64, f64)>, f64) {
        let mut y = y0;
        let mut out = Vec::new();
        for t in totals {
            let h = t.tiv.millions().max(0.0) * k;
            let slot = h.max(SLOT);
            out.push((y + (slot - h) / 2.0, h));
            y += slot + GAP;
        }
        (out, y)
    };
    let (mut sbars, s_end) = place(&f.suppliers);
    let (mut rbars, r_end) = place(&f.recipients);
    // Centre the shorter column against the taller one.
    let shift = (s_end - r_end) / 2.0;
    let shorter = if shift > 0.0 { &mut rbars } else { &mut sbars };
    for b in shorter.iter_mut() {
        b.0 += shift.abs();
    }
    let index = |totals: &[Total]| -> HashMap<Party, usize> {
        totals
            .iter()
            .enumerate()
            .map(|(i, t)| (t.party.clone(), i))
            .collect()
    };
    let sidx = index(&f.suppliers);
    let ridx = index(&f.recipients);

    if f.flows.is_empty() {
        let _ = write!(
            body,
            r##"<text x="{:.0}" y="{:.0}" text-anchor="middle" fill="#6b7280">{}</text>"##,
            WIDTH / 2.0,
            y0 + 30.0,
            match lang {
                Lang::En => "No deliveries match these filters.",
                Lang::Ko => "이 조건에 맞는 인도 기록이 없습니다.",
            }
        );
    }

    // Bands: each supplier's outgoing stacked in recipient order, each recipient's incoming in
    // supplier order, so bands do not cross at the bars.
    let mut order: Vec<(usize, usize, &Flow)> = f
        .flows
        .iter()
        .filter_map(|fl| Some((*sidx.get(&fl.supplier)?, *ridx.get(&fl.recipient)?, fl)))
        .collect();
    let mut s_off = vec![0.0; f.suppliers.len()];
    let mut r_off = vec![0.0; f.recipients.len()];
    let mut starts = HashMap::new();
    order.sort_by_key(|(si, ri, _)| (*si, *ri));
    for (si, ri, fl) in &order {
        starts.insert((*si, *ri), sbars[*si].0 + s_off[*si]);
        s_off[*si] += fl.tiv.millions().max(0.0) * k;
    }
    order.sort_by_key(|(si, ri, _)| (*ri, *si));
    let x1 = LEFT_X + BAR;
    let x2 = RIGHT_X;
    let xm = (x1 + x2) / 2.0;
    // Draw the larger bands first so the thin ones stay visible on top.
    let mut bands = Vec::new();
    for (si, ri, fl) in &order {
        let w = fl.tiv.millions().max(0.0) * k;
        let ys = starts.get(&(*si, *ri)).copied().unwrap_or(0.0);
        let yr = rbars[*ri].0 + r_off[*ri];
        r_off[*ri] += w;
        bands.push((w, ys, yr, *fl));
    }
    bands.sort_by(|a, b| b.0.total_cmp(&a.0));
    body.push_str(r##"<g class="bands" fill-opacity="0.5">"##);
    for (w, ys, yr, fl) in bands {
        let c = colour_of(&fl.supplier);
        let _ = write!(
            body,
            r##"<path d="M{x1:.1} {ys:.2}C{xm:.1} {ys:.2} {xm:.1} {yr:.2} {x2:.1} {yr:.2}L{x2:.1} {:.2}C{xm:.1} {:.2} {xm:.1} {:.2} {x1:.1} {:.2}Z" fill="{c}" stroke="{c}" stroke-width="0.5" stroke-opacity="0.8"><title>{}</title></path>"##,
            yr + w,
            yr + w,
            ys + w,
            ys + w,
            esc(&flow_tooltip(fl))
        );
    }
    body.push_str("</g>");

    // Bars and labels.
    let bar = |body: &mut String, t: &Total, (top, h): (f64, f64), left: bool, fill: &str| {
        let x = if left { LEFT_X } else { RIGHT_X };
        let name = if t.party.is_other() {
            format!("{} ({} merged)", t.party.name, t.party.merged)
        } else {
            short(&t.party.name, LABEL_CHARS)
        };
        let tip = format!(
            "{}: {} TIV, {}, {}",
            t.party.name,
            t.tiv.display(1),
            plural(t.items, "item", "items"),
            plural(t.deals as u64, "deal", "deals")
        );
        let _ = write!(
            body,
            r##"<rect x="{x:.0}" y="{top:.2}" width="{BAR:.0}" height="{:.2}" fill="{fill}"><title>{}</title></rect>"##,
            h.max(1.0),
            esc(&tip)
        );
        let (tx, anchor) = if left {
            (x - 6.0, "end")
        } else {
            (x + BAR + 6.0, "start")
        };
        let _ = write!(
            body,
            r##"<text x="{tx:.0}" y="{:.1}" text-anchor="{anchor}">{} <tspan font-weight="bold" fill="#374151">{}</tspan><title>{}</title></text>"##,
            top + h / 2.0 + 4.0,
            esc(&name),
            t.tiv.display(1),
            esc(&tip)
        );
    };
    for (t, b) in f.suppliers.iter().zip(&sbars) {
        bar(&mut body, t, *b, true, colour_of(&t.party));
    }
    for (t, b) in f.recipients.iter().zip(&rbars) {
        bar(&mut body, t, *b, false, RECIPIENT_COLOUR);
    }

    // Footer: merging and the source.
    let mut y = s_end.max(r_end) + 20.0;
    if f.merged.suppliers + f.merged.recipients > 0 {
        let mut parts = Vec::new();
        if f.merged.suppliers > 0 {
            parts.push(format!(
                "{} merged into \"{OTHER_SUPPLIERS}\"",
                plural(f.merged.suppliers as u64, "supplier", "suppliers")
            ));
        }
        if f.merged.recipients > 0 {
            parts.push(format!(
                "{} merged into \"{OTHER_RECIPIENTS}\"",
                plural(f.merged.recipients as u64, "recipient", "recipients")
            ));
        }
        let _ = write!(
            body,
            r##"<text x="20" y="{y:.0}" font-size="11" fill="#374151">{} ({} in all; named: the parties of the {} largest flows, at most {} suppliers).</text>"##,
            esc(&and_list(&parts)),
            plural(f.merged.flows as u64, "flow", "flows"),
            f.top,
            PALETTE.len()
        );
        y += 18.0;
    }
    let _ = write!(
        body,
        r##"<text x="20" y="{y:.0}" font-size="11" fill="#374151">{}</text>"##,
        esc(&f.source)
    );
    let height = y + 20.0;

    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0}" height="{height:.0}" viewBox="0 0 {WIDTH:.0} {height:.0}" font-family="sans-serif" font-size="12">"##
    );
    let _ = write!(
        s,
        r##"<title>{}</title><style>.bands path:hover{{fill-opacity:0.9}}</style><rect width="100%" height="100%" fill="white"/>"##,
        esc(title)
    );
    s.push_str(&body);
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use defcoop_engine::flows::{flows, FlowQuery};

    /// Korea's deliveries to Poland in two deals, one to Norway, and one by a non-state actor
    /// whose name needs escaping.
    const DATA: &str = r#"{"format": "defcoop-dataset", "version": 1,
      "nations": [{"code": "KOR", "name": "South Korea"}, {"code": "POL", "name": "Poland"},
                  {"code": "NOR", "name": "Norway"}],
      "transfers": [
        {"id": "t1", "supplier": "KOR", "recipient": "POL", "designation": "K2", "category": "armoured-vehicles",
         "deliveries": [{"year": 2022, "number": 10, "tiv": 300.2}, {"year": 2023, "number": 20, "tiv": 270.1}]},
        {"id": "t2", "supplier": "KOR", "recipient": "POL", "designation": "K9", "category": "artillery",
         "deliveries": [{"year": 2023, "number": 54, "tiv": 200.0}]},
        {"id": "t3", "supplier": "KOR", "recipient": "NOR", "designation": "K9", "category": "artillery",
         "deliveries": [{"year": 2019, "number": 24, "tiv": 120.0}]},
        {"id": "t9", "supplier": "Hamas & co*", "supplier_kind": "non-state", "recipient": "POL",
         "designation": "x", "category": "aircraft", "deliveries": [{"year": 2020, "number": 2, "tiv": 3.0}]}
      ]}"#;

    fn data() -> defcoop_domain::Dataset {
        let mut d = defcoop_domain::json::parse(DATA.as_bytes()).unwrap().data;
        d.normalize();
        d
    }

    fn query(top: usize) -> FlowQuery {
        FlowQuery {
            members_on: None,
            suppliers: vec![],
            recipients: vec![],
            from: None,
            to: None,
            categories: vec![],
            top,
        }
    }

    /// Tags balance, the texts are there, and `&` is escaped.
    #[test]
    fn svg_is_well_formed_with_title_legend_tooltips_and_source() {
        let f = flows(&data(), &query(2)).unwrap();
        let svg = flows_svg(&f, "Transfers <all> & more", Lang::En);
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg""#));
        assert!(svg.ends_with("</svg>\n"));
        assert!(svg.contains("Transfers &lt;all&gt; &amp; more"));
        assert!(!svg.contains("Hamas & co"), "escaped");
        assert!(svg.contains("Band width = TIV delivered"));
        assert!(svg.contains("colours = suppliers"));
        assert!(svg.contains("South Korea → Poland: 770.3 TIV, 84 items, 2 deals"));
        assert!(svg.contains("merged into"));
        // Balanced tags.
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg.as_str();
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            let end = rest.find('>').expect("tag closes");
            let tag = &rest[..end];
            rest = &rest[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "closing {name}");
            } else if !tag.ends_with('/') {
                let name = tag.split([' ', '>']).next().unwrap_or("");
                stack.push(name.to_string());
            }
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        // Every text between tags has no raw '&' but entities.
        for chunk in svg.split('&').skip(1) {
            assert!(
                ["amp;", "lt;", "gt;", "quot;"]
                    .iter()
                    .any(|e| chunk.starts_with(e)),
                "raw & before {:?}",
                &chunk[..chunk.len().min(20)]
            );
        }
    }

    #[test]
    fn in_korean_the_headings_and_the_explanation_are_korean() {
        let f = flows(&data(), &query(10)).unwrap();
        let svg = flows_svg(&f, "KOR", Lang::Ko);
        assert!(svg.contains("공급국") && svg.contains("수령국"), "{svg}");
        assert!(svg.contains("띠의 너비"));
        assert!(!svg.contains("Band width"));
    }

    #[test]
    fn svg_of_nothing_says_so() {
        let mut q = query(10);
        q.from = Some(1990);
        q.to = Some(1991);
        let f = flows(&data(), &q).unwrap();
        let svg = flows_svg(&f, "none", Lang::En);
        assert!(svg.contains("No deliveries match"));
        assert!(svg.ends_with("</svg>\n"));
    }
}
