//! A matrix as page rows: the counts per domain and level (each count a link to its pairs),
//! and the origin-nation heatmap as an HTML table whose cells carry their numbers and words,
//! colour only adding to them.

use std::collections::{BTreeSet, HashMap, HashSet};

use defcoop_app::MatrixOutcome;
use defcoop_engine::Level;

use super::{qs_owned, Ctx};

/// Fill per level (by `Level::index`), dark text on all of them (contrast ≥ 4.5:1).
pub const LEVEL_FILL: [&str; 5] = ["#eceff3", "#f7c5c0", "#fde0b8", "#d6efc2", "#a9dba0"];

/// Most nations per heatmap axis; the rest are counted in a note.
const MAX_NATIONS: usize = 40;

pub struct CountCell {
    pub count: u64,
    pub fill: &'static str,
    /// The cell's pairs, when there are any.
    pub href: Option<String>,
    /// "12 pairs at 2 compatible", for screen readers and tooltips.
    pub title: String,
}

pub struct DomainRow {
    pub code: String,
    pub name: String,
    pub href: String,
    pub cells: Vec<CountCell>,
    /// Share of rated pairs at 2 or 3, "-" when none is rated.
    pub share: String,
    pub unrated_left: usize,
    pub unrated_right: usize,
}

pub struct LegendItem {
    pub fill: &'static str,
    pub text: String,
}

pub fn legend(ctx: Ctx) -> Vec<LegendItem> {
    Level::ALL
        .iter()
        .map(|l| LegendItem {
            fill: LEVEL_FILL[l.index()],
            text: ctx.w().level(*l),
        })
        .collect()
}

/// The level column headings: `na`, `0` … `3`, with their names as titles.
pub fn level_heads(ctx: Ctx) -> Vec<(String, String)> {
    Level::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), ctx.w().level(*l)))
        .collect()
}

fn share(counts: &[u64; 5]) -> (String, Option<f64>) {
    let rated: u64 = counts[1..].iter().sum();
    if rated == 0 {
        return ("-".into(), None);
    }
    let x = (counts[3] + counts[4]) as f64 / rated as f64;
    (format!("{:.1}", x * 100.0), Some(x))
}

/// The rows of the per-domain table; `fleet` is the normalized fleet query (cell links).
pub fn domain_rows(m: &MatrixOutcome, ctx: Ctx, fleet: &[(String, String)]) -> Vec<DomainRow> {
    let snap = &m.snapshot;
    m.matrix
        .domains
        .iter()
        .zip(&m.matrix.unrated)
        .map(|(&(d, counts), &(ul, ur))| {
            let code = snap.domains[d].code.clone();
            let cells = Level::ALL
                .iter()
                .map(|l| {
                    let count = counts[l.index()];
                    let mut q = fleet.to_vec();
                    q.push(("in".into(), code.clone()));
                    q.push(("level".into(), l.as_str().into()));
                    CountCell {
                        count,
                        fill: LEVEL_FILL[l.index()],
                        href: (count > 0).then(|| ctx.link("/interop/matrix/cell", &qs_owned(&q))),
                        title: format!("{count} {} · {}", ctx.w().pairs_word, ctx.w().level(*l)),
                    }
                })
                .collect();
            DomainRow {
                name: snap.domains[d].name.clone(),
                href: super::record(ctx, "domains", &code),
                code,
                cells,
                share: share(&counts).0,
                unrated_left: ul,
                unrated_right: ur,
            }
        })
        .collect()
}

pub struct HeatCell {
    pub text: String,
    pub detail: String,
    pub fill: String,
    pub href: Option<String>,
    pub title: String,
}

pub struct HeatRow {
    pub nation: String,
    pub cells: Vec<HeatCell>,
}

pub struct Heatmap {
    pub cols: Vec<String>,
    pub rows: Vec<HeatRow>,
    /// Nations left out of the picture (beyond [`MAX_NATIONS`] per axis).
    pub cut: usize,
}

/// Red → yellow → green for a share, light enough for dark text.
fn share_fill(x: f64) -> String {
    let x = x.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64, t: f64| (a + (b - a) * t).round() as u8;
    let (r, g, b) = if x < 0.5 {
        let t = x / 0.5;
        (
            mix(247.0, 253.0, t),
            mix(197.0, 236.0, t),
            mix(192.0, 179.0, t),
        )
    } else {
        let t = (x - 0.5) / 0.5;
        (
            mix(253.0, 169.0, t),
            mix(236.0, 219.0, t),
            mix(179.0, 160.0, t),
        )
    };
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The origin-nation heatmap of a matrix, over all its domains.
pub fn nations(m: &MatrixOutcome, ctx: Ctx, fleet: &[(String, String)]) -> Heatmap {
    let mut by: HashMap<(&str, &str), [u64; 5]> = HashMap::new();
    for n in &m.matrix.nation_pairs {
        let e = by.entry((n.a.as_str(), n.b.as_str())).or_default();
        for c in &n.counts {
            for (i, x) in c.iter().enumerate() {
                e[i] += x;
            }
        }
    }
    let rows_all: BTreeSet<&str> = by.keys().map(|k| k.0).collect();
    let cols_all: BTreeSet<&str> = by.keys().map(|k| k.1).collect();
    let cut =
        rows_all.len().saturating_sub(MAX_NATIONS) + cols_all.len().saturating_sub(MAX_NATIONS);
    let rows: Vec<&str> = rows_all.into_iter().take(MAX_NATIONS).collect();
    let cols: Vec<&str> = cols_all.into_iter().take(MAX_NATIONS).collect();
    let w = ctx.w();
    let rows = rows
        .iter()
        .map(|&a| HeatRow {
            nation: a.to_string(),
            cells: cols
                .iter()
                .map(|&b| match by.get(&(a, b)) {
                    None => HeatCell {
                        text: String::new(),
                        detail: String::new(),
                        fill: "#ffffff".into(),
                        href: None,
                        title: format!("{a} × {b}: 0 {}", w.pairs_word),
                    },
                    Some(counts) => {
                        let total: u64 = counts.iter().sum();
                        let rated: u64 = counts[1..].iter().sum();
                        let (text, x) = share(counts);
                        let mut q = fleet.to_vec();
                        q.push(("a".into(), a.into()));
                        q.push(("b".into(), b.into()));
                        HeatCell {
                            text: if x.is_some() {
                                format!("{text}%")
                            } else {
                                "na".into()
                            },
                            detail: format!("{rated}/{total}"),
                            fill: x.map_or_else(|| LEVEL_FILL[0].to_string(), share_fill),
                            href: Some(ctx.link("/interop/matrix/cell", &qs_owned(&q))),
                            title: format!(
                                "{a} × {b}: {text}{} ≥2, {rated} rated / {total} {}",
                                if x.is_some() { "%" } else { "" },
                                w.pairs_word
                            ),
                        }
                    }
                })
                .collect(),
        })
        .collect();
    Heatmap {
        cols: cols.iter().map(|c| c.to_string()).collect(),
        rows,
        cut,
    }
}

/// The domain codes and system ids a matrix answer draws on.
pub fn drawn_on(m: &MatrixOutcome) -> (HashSet<&str>, HashSet<&str>) {
    let snap = &m.snapshot;
    let systems = m
        .left
        .iter()
        .chain(&m.right)
        .map(|&i| snap.systems[i].id.as_str())
        .collect();
    let domains = m
        .matrix
        .domains
        .iter()
        .map(|(d, _)| snap.domains[*d].code.as_str())
        .collect();
    (systems, domains)
}
