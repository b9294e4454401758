//! `defcoop interop pair|matrix`: the engine's answers, printed as text, JSON, CSV or SVG.

use anyhow::{bail, Result};
use clap::{Subcommand, ValueEnum};
use defcoop_engine::{
    matrix, pair, plan, select, svg, Action, Filter, Level, Matrix, PairReport, Plan, Snapshot,
};
use serde_json::{json, Map, Value};

use crate::{actor, open, progress, DbArg};

#[derive(Subcommand)]
pub enum InteropCommand {
    /// Rate two systems in every domain, with the evidence.
    Pair {
        #[command(flatten)]
        db: DbArg,
        a: String,
        b: String,
        /// Only these domains (repeatable); default: every domain either system takes part in.
        #[arg(long = "domain")]
        domains: Vec<String>,
        #[arg(long, value_enum, default_value_t = TextFormat::Text)]
        format: TextFormat,
    },
    /// Rate every pair of two fleets, per domain and per pair of origin nations.
    Matrix {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        fleets: Fleets,
        /// Also list every pair.
        #[arg(long)]
        pairs: bool,
        #[arg(long, value_enum, default_value_t = MatrixFormat::Table)]
        format: MatrixFormat,
        /// Print how long loading and computing took, on standard error.
        #[arg(long)]
        timings: bool,
    },
    /// Plan the few actions that raise the most pairs to the target level (greedy).
    Plan {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        fleets: Fleets,
        /// Level a (a, b, domain) triple must reach to count as covered: 1, 2 or 3.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=3))]
        target: u8,
        /// Number of actions at most.
        #[arg(long, default_value_t = 10)]
        budget: usize,
        #[arg(long, value_enum, default_value_t = TextFormat::Text)]
        format: TextFormat,
        /// Print how long loading and computing took, on standard error.
        #[arg(long)]
        timings: bool,
    },
}

/// The two fleets and the domains of a matrix or a plan.
#[derive(clap::Args)]
pub struct Fleets {
    /// Left fleet: all, operator:X, origin:X, category:C, producer:ORG, ids:a,b (repeat = AND).
    #[arg(long, required = true)]
    left: Vec<String>,
    /// Right fleet, same filters.
    #[arg(long, required = true)]
    right: Vec<String>,
    /// Only these domains (repeatable); default: all.
    #[arg(long = "domain")]
    domains: Vec<String>,
}

impl Fleets {
    /// Left systems, right systems and domains, resolved against the snapshot.
    fn resolve(&self, snap: &Snapshot) -> Result<(Vec<usize>, Vec<usize>, Vec<usize>)> {
        Ok((
            select(snap, &parse_filters(&self.left)?)?,
            select(snap, &parse_filters(&self.right)?)?,
            snap.domains_or_all(&self.domains)?,
        ))
    }

    fn title(&self) -> String {
        format!("{} × {}", self.left.join(" & "), self.right.join(" & "))
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    Table,
    Json,
    Csv,
    Svg,
}

pub async fn run(cmd: InteropCommand) -> Result<()> {
    match cmd {
        InteropCommand::Pair {
            db,
            a,
            b,
            domains,
            format,
        } => {
            let snap = load(&db.db).await?;
            let report = pair(&snap, &a, &b, &domains)?;
            match format {
                TextFormat::Json => println!("{}", pretty(&pair_json(&report))),
                TextFormat::Text => print!("{}", pair_text(&report)),
            }
            Ok(())
        }
        InteropCommand::Matrix {
            db,
            fleets,
            pairs,
            format,
            timings,
        } => {
            let started = std::time::Instant::now();
            let snap = load(&db.db).await?;
            let loaded = started.elapsed();
            let (l, r, ds) = fleets.resolve(&snap)?;
            let svg_systems = format == MatrixFormat::Svg && pairs && ds.len() == 1;
            if pairs && l.len().saturating_mul(r.len()).saturating_mul(ds.len()) > 5_000_000 {
                bail!(
                    "--pairs would list {} pairs; narrow the fleets or the domains (at most 5,000,000)",
                    l.len() * r.len() * ds.len()
                );
            }
            let bar = progress::Bar::new("rating domains");
            let computing = std::time::Instant::now();
            let m = matrix(&snap, &l, &r, &ds, pairs, &bar);
            let computed = computing.elapsed();
            bar.finish();
            if timings {
                eprintln!(
                    "timings: load {:.3} s, matrix {:.3} s ({} × {} systems, {} domains)",
                    loaded.as_secs_f64(),
                    computed.as_secs_f64(),
                    l.len(),
                    r.len(),
                    ds.len()
                );
            }
            let title = fleets.title();
            match format {
                MatrixFormat::Json => println!("{}", pretty(&matrix_json(&snap, &m, pairs))),
                MatrixFormat::Table => print!("{}", matrix_table(&snap, &m, l.len(), r.len())),
                MatrixFormat::Csv => print!("{}", matrix_csv(&snap, &m, pairs)),
                MatrixFormat::Svg if svg_systems => {
                    print!("{}", svg::systems_heatmap(&snap, &m, &l, &r, &title))
                }
                MatrixFormat::Svg => print!("{}", svg::nations_heatmap(&snap, &m, &title)),
            }
            Ok(())
        }
        InteropCommand::Plan {
            db,
            fleets,
            target,
            budget,
            format,
            timings,
        } => {
            if budget == 0 {
                bail!("--budget must be at least 1");
            }
            let started = std::time::Instant::now();
            let snap = load(&db.db).await?;
            let loaded = started.elapsed();
            let (l, r, ds) = fleets.resolve(&snap)?;
            let target = match target {
                1 => Level::Deconflicted,
                2 => Level::Compatible,
                _ => Level::Integrated,
            };
            let bar = progress::Bar::new("planning");
            let computing = std::time::Instant::now();
            let p = plan(&snap, &l, &r, &ds, target, budget, &bar)?;
            let computed = computing.elapsed();
            bar.finish();
            if timings {
                eprintln!(
                    "timings: load {:.3} s, plan {:.3} s ({} steps)",
                    loaded.as_secs_f64(),
                    computed.as_secs_f64(),
                    p.steps.len()
                );
            }
            match format {
                TextFormat::Json => println!("{}", pretty(&plan_json(&p))),
                TextFormat::Text => print!("{}", plan_text(&p, l.len(), r.len())),
            }
            Ok(())
        }
    }
}

fn step_json(s: &defcoop_engine::plan::Step) -> Value {
    match &s.action {
        Action::Test { system, standard } => {
            json!({"kind": "test", "system": system, "standard": standard, "gain": s.gain})
        }
        Action::Adopt { system, standard } => {
            json!({"kind": "adopt", "system": system, "standard": standard, "gain": s.gain})
        }
        Action::Field { gateway } => json!({"kind": "field", "gateway": gateway, "gain": s.gain}),
        Action::Gateway { domain, from, to } => {
            json!({"kind": "gateway", "domain": domain, "from": from, "to": to, "gain": s.gain})
        }
    }
}

fn plan_json(p: &Plan) -> Value {
    json!({
        "target": p.target.number(),
        "covered_before": p.covered_before,
        "covered_after": p.covered_after,
        "steps": p.steps.iter().map(step_json).collect::<Vec<_>>(),
    })
}

fn plan_text(p: &Plan, left: usize, right: usize) -> String {
    let mut out = format!(
        "{left} × {right} systems, target level {} ({}): {} triples covered before, {} after\n",
        p.target.as_str(),
        p.target.name(),
        p.covered_before,
        p.covered_after
    );
    if p.steps.is_empty() {
        out.push_str("no action raises any pair to the target\n");
    }
    for (i, s) in p.steps.iter().enumerate() {
        let what = match &s.action {
            Action::Test { system, standard } => {
                format!("test {system}'s claimed conformance to {standard}")
            }
            Action::Adopt { system, standard } => format!("{system} adopts {standard} (tested)"),
            Action::Field { gateway } => format!("field the planned gateway {gateway}"),
            Action::Gateway { domain, from, to } => {
                format!("new full two-way gateway {from} ↔ {to} ({domain})")
            }
        };
        out.push_str(&format!("{:>3}. +{:<10} {what}\n", i + 1, s.gain));
    }
    out
}

async fn load(db: &str) -> Result<Snapshot> {
    let store = open(db).await?;
    let data = store.snapshot(&actor(), defcoop_store::Parts::All).await;
    store.close().await;
    Ok(Snapshot::new(&data?))
}

fn parse_filters(fs: &[String]) -> Result<Vec<Filter>> {
    fs.iter()
        .map(|f| Filter::parse(f).map_err(Into::into))
        .collect()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn level_json(l: Level) -> Value {
    match l.number() {
        Some(n) => json!(n),
        None => json!("na"),
    }
}

fn counts_json(c: &defcoop_engine::Counts) -> Value {
    let mut m = Map::new();
    for l in Level::ALL {
        m.insert(l.as_str().to_string(), json!(c[l.index()]));
    }
    Value::Object(m)
}

fn pair_json(r: &PairReport) -> Value {
    let chain = |c: &Option<defcoop_engine::Chain>| match c {
        None => Value::Null,
        Some(c) => json!({
            "full": c.full,
            "steps": c.steps.iter().map(|s| json!({"gateway": s.gateway, "from": s.from, "to": s.to})).collect::<Vec<_>>(),
        }),
    };
    json!({
        "a": r.a,
        "b": r.b,
        "domains": r.domains.iter().map(|d| json!({
            "domain": d.domain,
            "level": level_json(d.level),
            "shared": d.shared.iter().map(|s| json!({"standard": s.standard, "a": s.a.as_str(), "b": s.b.as_str()})).collect::<Vec<_>>(),
            "a_to_b": chain(&d.a_to_b),
            "b_to_a": chain(&d.b_to_a),
        })).collect::<Vec<_>>(),
    })
}

fn pair_text(r: &PairReport) -> String {
    let mut out = format!("{} × {}\n", r.a, r.b);
    if r.domains.is_empty() {
        out.push_str("  neither system has a conformance in any domain\n");
    }
    for d in &r.domains {
        out.push_str(&format!(
            "  {:<28} {:>2} {}\n",
            d.domain,
            d.level.as_str(),
            d.level.name()
        ));
        for s in &d.shared {
            out.push_str(&format!(
                "      shared {} ({} {}, {} {})\n",
                s.standard,
                r.a,
                s.a.as_str(),
                r.b,
                s.b.as_str()
            ));
        }
        for (dir, c) in [
            (format!("{} → {}", r.a, r.b), &d.a_to_b),
            (format!("{} → {}", r.b, r.a), &d.b_to_a),
        ] {
            if let Some(c) = c {
                let hops: Vec<String> = c
                    .steps
                    .iter()
                    .map(|s| format!("{} -[{}]-> {}", s.from, s.gateway, s.to))
                    .collect();
                out.push_str(&format!(
                    "      {dir} via {} gateways: {}\n",
                    if c.full { "full" } else { "partial" },
                    hops.join(", ")
                ));
            }
        }
        if d.level == Level::Na {
            out.push_str("      one of them has no standard in this domain\n");
        }
    }
    out
}

fn matrix_json(snap: &Snapshot, m: &Matrix, pairs: bool) -> Value {
    let mut summary = Map::new();
    for (d, c) in &m.domains {
        summary.insert(snap.domains[*d].code.clone(), counts_json(c));
    }
    let nation_pairs: Vec<Value> = m
        .nation_pairs
        .iter()
        .map(|n| {
            let mut s = Map::new();
            for ((d, _), c) in m.domains.iter().zip(&n.counts) {
                s.insert(snap.domains[*d].code.clone(), counts_json(c));
            }
            json!({"a": n.a, "b": n.b, "summary": s})
        })
        .collect();
    let mut out = json!({"summary": summary, "nation_pairs": nation_pairs});
    if pairs {
        out["pairs"] = Value::Array(
            m.pairs
                .iter()
                .map(|p| {
                    json!({
                        "a": snap.systems[p.a].id,
                        "b": snap.systems[p.b].id,
                        "domain": snap.domains[p.domain].code,
                        "level": level_json(p.level),
                    })
                })
                .collect(),
        );
    }
    out
}

fn matrix_table(snap: &Snapshot, m: &Matrix, left: usize, right: usize) -> String {
    let mut out = format!("{left} systems × {right} systems\n\n");
    let header = format!(
        "{:<28} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8}\n",
        "domain", "na", "0", "1", "2", "3", "≥2 %"
    );
    out.push_str(&header);
    let row = |name: &str, c: &defcoop_engine::Counts| {
        let applicable: u64 = c[1..].iter().sum();
        let good = c[3] + c[4];
        let share = if applicable == 0 {
            "-".to_string()
        } else {
            format!("{:.1}", 100.0 * good as f64 / applicable as f64)
        };
        format!(
            "{:<28} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8}\n",
            name, c[0], c[1], c[2], c[3], c[4], share
        )
    };
    for (d, c) in &m.domains {
        out.push_str(&row(&snap.domains[*d].code, c));
    }
    if !m.nation_pairs.is_empty() {
        out.push_str("\nby origin nation (all chosen domains)\n");
        out.push_str(&header.replacen("domain", "nations", 1));
        for n in &m.nation_pairs {
            let total = n.counts.iter().fold([0u64; 5], |mut acc, c| {
                for (a, v) in acc.iter_mut().zip(c) {
                    *a += v;
                }
                acc
            });
            out.push_str(&row(&format!("{} × {}", n.a, n.b), &total));
        }
    }
    out
}

fn matrix_csv(snap: &Snapshot, m: &Matrix, pairs: bool) -> String {
    let mut out = String::new();
    if pairs {
        out.push_str("a,b,domain,level\n");
        for p in &m.pairs {
            out.push_str(&format!(
                "{},{},{},{}\n",
                snap.systems[p.a].id,
                snap.systems[p.b].id,
                snap.domains[p.domain].code,
                p.level.as_str()
            ));
        }
        return out;
    }
    out.push_str("a,b,domain,na,0,1,2,3\n");
    for (d, c) in &m.domains {
        out.push_str(&format!(
            ",,{},{},{},{},{},{}\n",
            snap.domains[*d].code, c[0], c[1], c[2], c[3], c[4]
        ));
    }
    for n in &m.nation_pairs {
        for ((d, _), c) in m.domains.iter().zip(&n.counts) {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                n.a, n.b, snap.domains[*d].code, c[0], c[1], c[2], c[3], c[4]
            ));
        }
    }
    out
}
