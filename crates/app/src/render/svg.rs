//! A heatmap of a fleet matrix as SVG text, in English or Korean (no I/O: the caller writes it
//! out). Moved out of the engine: the engine computes, this draws.
//!
//! Nations × nations: each cell is the share of applicable pairs (level not `na`) that are at
//! least compatible (2), over the chosen domains, with the pair count. Systems × systems (one
//! domain, pairs requested): each cell is the pair's level.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

use defcoop_engine::{Level, Matrix, Snapshot};

use super::{words, Lang};

/// Fill of each level, by [`Level::index`].
const LEVEL_COLOURS: [&str; 5] = ["#e5e7eb", "#d7301f", "#fc8d59", "#91cf60", "#1a9850"];

/// "2 compatible", "na" (in the reader's language).
fn level_name(l: Level, lang: Lang) -> String {
    match l {
        Level::Na => "na".to_string(),
        _ => format!("{} {}", l.as_str(), words(lang).level(l)),
    }
}

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Red → yellow → green for a share in 0..=1.
fn share_colour(x: f64) -> String {
    let x = x.clamp(0.0, 1.0);
    let (r, g, b) = if x < 0.5 {
        let t = x / 0.5;
        (
            215.0 + (254.0 - 215.0) * t,
            48.0 + (224.0 - 48.0) * t,
            31.0 + (139.0 - 31.0) * t,
        )
    } else {
        let t = (x - 0.5) / 0.5;
        (
            254.0 + (26.0 - 254.0) * t,
            224.0 + (152.0 - 224.0) * t,
            139.0 + (80.0 - 139.0) * t,
        )
    };
    format!("#{:02x}{:02x}{:02x}", r as u8, g as u8, b as u8)
}

struct Grid {
    title: String,
    subtitle: String,
    rows: Vec<String>,
    cols: Vec<String>,
    /// (row, col) → (fill, text inside the cell, tooltip).
    cells: Vec<(usize, usize, String, String, String)>,
    legend: Vec<(String, String)>,
    legend_title: &'static str,
    /// Names of the column and row axes.
    axes: (&'static str, &'static str),
}

fn legend_title(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Legend",
        Lang::Ko => "범례",
    }
}

fn axes(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("right fleet (columns) →", "left fleet (rows) →"),
        Lang::Ko => ("오른쪽 편대 (열) →", "왼쪽 편대 (행) →"),
    }
}

fn draw(g: &Grid) -> String {
    let cell = 34.0;
    let label_w = 8.0 * g.rows.iter().map(|r| r.chars().count()).max().unwrap_or(4) as f64 + 16.0;
    let label_h = 7.0 * g.cols.iter().map(|c| c.chars().count()).max().unwrap_or(4) as f64 + 16.0;
    let (x0, y0) = (label_w + 40.0, 70.0 + label_h);
    let grid_w = cell * g.cols.len() as f64;
    let grid_h = cell * g.rows.len() as f64;
    let legend_y = y0 + grid_h + 50.0;
    let text_w = 7.0 * g.title.chars().count().max(g.subtitle.chars().count()) as f64 + 40.0;
    let width = (x0 + grid_w + 40.0).max(560.0).max(text_w);
    let height = legend_y + 24.0 * g.legend.len() as f64 + 30.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="12">"##
    );
    let _ = write!(s, r##"<rect width="100%" height="100%" fill="white"/>"##);
    let _ = write!(
        s,
        r##"<text x="20" y="28" font-size="17" font-weight="bold">{}</text>"##,
        esc(&g.title)
    );
    let _ = write!(
        s,
        r##"<text x="20" y="48" fill="#555">{}</text>"##,
        esc(&g.subtitle)
    );
    // Axis titles.
    let _ = write!(
        s,
        r##"<text x="{:.0}" y="{:.0}" text-anchor="middle" font-weight="bold">{}</text>"##,
        x0 + grid_w / 2.0,
        66.0,
        g.axes.0
    );
    let _ = write!(
        s,
        r##"<text transform="translate(16 {:.0}) rotate(-90)" text-anchor="middle" font-weight="bold">{}</text>"##,
        y0 + grid_h / 2.0,
        g.axes.1
    );
    for (i, c) in g.cols.iter().enumerate() {
        let x = x0 + cell * i as f64 + cell / 2.0;
        let _ = write!(
            s,
            r##"<text transform="translate({x:.0} {:.0}) rotate(-60)">{}</text>"##,
            y0 - 6.0,
            esc(c)
        );
    }
    for (i, r) in g.rows.iter().enumerate() {
        let y = y0 + cell * i as f64 + cell / 2.0 + 4.0;
        let _ = write!(
            s,
            r##"<text x="{:.0}" y="{y:.0}" text-anchor="end">{}</text>"##,
            x0 - 6.0,
            esc(r)
        );
    }
    for (r, c, fill, text, tip) in &g.cells {
        let (x, y) = (x0 + cell * *c as f64, y0 + cell * *r as f64);
        let _ = write!(
            s,
            r##"<rect x="{x:.0}" y="{y:.0}" width="{cell:.0}" height="{cell:.0}" fill="{fill}" stroke="white"><title>{}</title></rect>"##,
            esc(tip)
        );
        if !text.is_empty() {
            let _ = write!(
                s,
                r##"<text x="{:.0}" y="{:.0}" text-anchor="middle" font-size="10">{}</text>"##,
                x + cell / 2.0,
                y + cell / 2.0 + 4.0,
                esc(text)
            );
        }
    }
    let _ = write!(
        s,
        r##"<text x="20" y="{:.0}" font-weight="bold">{}</text>"##,
        legend_y - 8.0,
        g.legend_title
    );
    for (i, (name, fill)) in g.legend.iter().enumerate() {
        let y = legend_y + 24.0 * i as f64;
        let _ = write!(
            s,
            r##"<rect x="20" y="{y:.0}" width="18" height="18" fill="{fill}"/>"##
        );
        let _ = write!(
            s,
            r##"<text x="46" y="{:.0}">{}</text>"##,
            y + 13.0,
            esc(name)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Nations × nations: share of applicable pairs at level ≥ 2.
pub fn nations_heatmap(snap: &Snapshot, m: &Matrix, title: &str, lang: Lang) -> String {
    let rows: BTreeSet<&str> = m.nation_pairs.iter().map(|n| n.a.as_str()).collect();
    let cols: BTreeSet<&str> = m.nation_pairs.iter().map(|n| n.b.as_str()).collect();
    let rows: Vec<String> = rows.into_iter().map(String::from).collect();
    let cols: Vec<String> = cols.into_iter().map(String::from).collect();
    let mut cells = Vec::new();
    for n in &m.nation_pairs {
        let total: [u64; 5] = n.counts.iter().fold([0; 5], |mut acc, c| {
            for (a, v) in acc.iter_mut().zip(c) {
                *a += v;
            }
            acc
        });
        let applicable: u64 = total[1..].iter().sum();
        let good = total[Level::Compatible.index()] + total[Level::Integrated.index()];
        let (r, c) = (
            rows.binary_search(&n.a).unwrap_or(0),
            cols.binary_search(&n.b).unwrap_or(0),
        );
        if applicable == 0 {
            cells.push((
                r,
                c,
                LEVEL_COLOURS[0].to_string(),
                String::new(),
                match lang {
                    Lang::En => format!("{} × {}: no applicable pair", n.a, n.b),
                    Lang::Ko => format!("{} × {}: 해당 쌍 없음", n.a, n.b),
                },
            ));
        } else {
            let share = good as f64 / applicable as f64;
            cells.push((
                r,
                c,
                share_colour(share),
                format!("{:.0}%", share * 100.0),
                match lang {
                    Lang::En => format!(
                        "{} × {}: {good} of {applicable} applicable pairs at level 2 or 3",
                        n.a, n.b
                    ),
                    Lang::Ko => format!(
                        "{} × {}: 해당 쌍 {applicable}개 중 {good}개가 수준 2 이상",
                        n.a, n.b
                    ),
                },
            ));
        }
    }
    let domains: Vec<&str> = m
        .domains
        .iter()
        .map(|(d, _)| snap.domains[*d].code.as_str())
        .collect();
    draw(&Grid {
        title: title.to_string(),
        subtitle: match lang {
            Lang::En => format!(
                "Share of system pairs at least compatible (level ≥ 2), by origin nation; domains: {}",
                if domains.is_empty() {
                    "none".to_string()
                } else {
                    domains.join(", ")
                }
            ),
            Lang::Ko => format!(
                "원산국별, 호환 이상(수준 ≥ 2)인 체계 쌍의 비율; 영역: {}",
                if domains.is_empty() {
                    "없음".to_string()
                } else {
                    domains.join(", ")
                }
            ),
        },
        rows,
        cols,
        cells,
        legend: vec![
            (
                match lang {
                    Lang::En => "100% of applicable pairs compatible or integrated".into(),
                    Lang::Ko => "해당 쌍 100%가 호환 또는 통합".into(),
                },
                share_colour(1.0),
            ),
            ("50%".into(), share_colour(0.5)),
            ("0%".into(), share_colour(0.0)),
            (
                match lang {
                    Lang::En => "no applicable pair (na)".into(),
                    Lang::Ko => "해당 쌍 없음 (na)".into(),
                },
                LEVEL_COLOURS[0].into(),
            ),
        ],
        legend_title: legend_title(lang),
        axes: axes(lang),
    })
}

/// Systems × systems in one domain: each cell the pair's level. Needs `m.pairs`.
pub fn systems_heatmap(
    snap: &Snapshot,
    m: &Matrix,
    left: &[usize],
    right: &[usize],
    title: &str,
    lang: Lang,
) -> String {
    let rows: Vec<String> = left.iter().map(|s| snap.systems[*s].id.clone()).collect();
    let cols: Vec<String> = right.iter().map(|s| snap.systems[*s].id.clone()).collect();
    let row_of: HashMap<usize, usize> = left.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let col_of: HashMap<usize, usize> = right.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut cells = Vec::new();
    for p in &m.pairs {
        let (Some(&r), Some(&c)) = (row_of.get(&p.a), col_of.get(&p.b)) else {
            continue;
        };
        cells.push((
            r,
            c,
            LEVEL_COLOURS[p.level.index()].to_string(),
            p.level.as_str().to_string(),
            format!(
                "{} × {}: {}",
                snap.systems[p.a].id,
                snap.systems[p.b].id,
                level_name(p.level, lang)
            ),
        ));
    }
    let domain = m
        .domains
        .first()
        .map_or("", |(d, _)| snap.domains[*d].code.as_str());
    draw(&Grid {
        title: title.to_string(),
        subtitle: match lang {
            Lang::En => format!("Interoperability level of each pair in domain {domain}"),
            Lang::Ko => format!("영역 {domain}의 체계 쌍별 상호운용 수준"),
        },
        rows,
        cols,
        cells,
        legend: Level::ALL
            .iter()
            .map(|l| (level_name(*l, lang), LEVEL_COLOURS[l.index()].to_string()))
            .collect(),
        legend_title: legend_title(lang),
        axes: axes(lang),
    })
}
