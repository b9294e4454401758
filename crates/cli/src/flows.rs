//! `defcoop flows`: arms transfers as supplier → recipient flows of delivered TIV, printed as an
//! SVG flow diagram, JSON or a table. Every format shows the same figures, rounded half away
//! from zero (1 decimal in the table and the SVG, 2 in JSON).

use std::path::PathBuf;

use anyhow::Result;
use clap::ValueEnum;
use defcoop_engine::flows::{
    flows, flows_svg, flows_title, grouped, FlowQuery, Flows, Party, Total,
};
use serde_json::{json, Value};

use crate::{actor, files, open, DbArg};

#[derive(clap::Args)]
pub struct FlowsArgs {
    #[command(flatten)]
    db: DbArg,
    /// Supplier: a nation code (KOR), a bloc code (NATO: its member nations) or a non-state or
    /// unknown actor's exact name. Repeat for any of several.
    #[arg(long = "supplier", value_name = "X")]
    suppliers: Vec<String>,
    /// Recipient, as --supplier.
    #[arg(long = "recipient", value_name = "X")]
    recipients: Vec<String>,
    /// First delivery year counted (inclusive).
    #[arg(long, value_name = "YEAR")]
    from: Option<u16>,
    /// Last delivery year counted (inclusive).
    #[arg(long, value_name = "YEAR")]
    to: Option<u16>,
    /// Armament category: a code (armoured-vehicles) or SIPRI's name ("Armoured vehicles").
    /// Repeat for any of several.
    #[arg(long = "category", value_name = "C")]
    categories: Vec<String>,
    /// Name the parties of the N largest flows (suppliers: at most 10, one colour each); the
    /// others merge into "Other suppliers" / "Other recipients", in every format.
    #[arg(long, value_name = "N", default_value_t = defcoop_engine::flows::DEFAULT_TOP)]
    top: usize,
    #[arg(long, value_enum, default_value_t = FlowsFormat::Table)]
    format: FlowsFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FlowsFormat {
    Svg,
    Json,
    Table,
}

pub async fn run(args: FlowsArgs) -> Result<()> {
    let query = FlowQuery {
        suppliers: args.suppliers,
        recipients: args.recipients,
        from: args.from,
        to: args.to,
        categories: args.categories,
        top: args.top,
    };
    // Check what needs no data before opening the database.
    if let (Some(from), Some(to)) = (query.from, query.to) {
        if from > to {
            anyhow::bail!("--from {from} is after --to {to}");
        }
    }
    let store = open(&args.db.db).await?;
    let data = store.snapshot(&actor(), defcoop_store::Parts::All).await;
    store.close().await;
    let data = data?;
    let f = flows(&data, &query)?;
    for note in &f.notes {
        eprintln!("note: {note}");
    }
    let title = flows_title(&data, &query, &f);
    let text = match args.format {
        FlowsFormat::Svg => flows_svg(&f, &title),
        FlowsFormat::Json => {
            let mut s = serde_json::to_string_pretty(&flows_json(&f))?;
            s.push('\n');
            s
        }
        FlowsFormat::Table => flows_table(&f, &title),
    };
    match &args.out {
        Some(path) => files::write_atomic(path, text.as_bytes()),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}

fn party_json(p: &Party) -> Value {
    let mut v = json!({"id": p.id, "name": p.name, "kind": p.kind_str()});
    if p.is_other() {
        v["merged"] = json!(p.merged);
    }
    v
}

fn total_json(t: &Total) -> Value {
    json!({
        "party": party_json(&t.party),
        "tiv": t.tiv.to_f64(2),
        "items": t.items,
        "deals": t.deals,
    })
}

fn flows_json(f: &Flows) -> Value {
    json!({
        "source": f.source,
        "from": f.years.0,
        "to": f.years.1,
        "total_tiv": f.total_tiv.to_f64(2),
        "total_items": f.total_items,
        "total_deals": f.total_deals,
        "flows": f.flows.iter().map(|x| json!({
            "supplier": party_json(&x.supplier),
            "recipient": party_json(&x.recipient),
            "tiv": x.tiv.to_f64(2),
            "items": x.items,
            "deals": x.deals,
        })).collect::<Vec<_>>(),
        "suppliers": f.suppliers.iter().map(total_json).collect::<Vec<_>>(),
        "recipients": f.recipients.iter().map(total_json).collect::<Vec<_>>(),
        "merged": {
            "top": f.top,
            "suppliers": f.merged.suppliers,
            "recipients": f.merged.recipients,
            "flows": f.merged.flows,
        },
    })
}

/// "Poland (POL)" for a state, the name alone otherwise.
fn shown(p: &Party) -> String {
    match p.kind {
        Some(k) if k.is_state() && p.id != p.name => format!("{} ({})", p.name, p.id),
        _ if p.is_other() => format!("{} ({} merged)", p.name, p.merged),
        _ => p.name.clone(),
    }
}

fn flows_table(f: &Flows, title: &str) -> String {
    let width = |ps: &mut dyn Iterator<Item = &Party>| ps.map(|p| shown(p).chars().count()).max();
    let sw = width(&mut f.flows.iter().map(|x| &x.supplier))
        .unwrap_or(0)
        .max("supplier".len());
    let rw = width(&mut f.flows.iter().map(|x| &x.recipient))
        .unwrap_or(0)
        .max("recipient".len());
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
    let mut out = format!("{title}\n\n");
    out.push_str(&format!(
        "{}  {}  {:>12}  {:>9}  {:>6}\n",
        pad("supplier", sw),
        pad("recipient", rw),
        "TIV",
        "items",
        "deals"
    ));
    for x in &f.flows {
        out.push_str(&format!(
            "{}  {}  {:>12}  {:>9}  {:>6}\n",
            pad(&shown(&x.supplier), sw),
            pad(&shown(&x.recipient), rw),
            x.tiv.display(1),
            grouped(x.items),
            grouped(x.deals as u64)
        ));
    }
    out.push_str(&format!(
        "{}  {}  {:>12}  {:>9}  {:>6}\n",
        pad("total", sw),
        pad("", rw),
        f.total_tiv.display(1),
        grouped(f.total_items),
        grouped(f.total_deals as u64)
    ));
    for (heading, totals) in [("supplier", &f.suppliers), ("recipient", &f.recipients)] {
        let w = totals
            .iter()
            .map(|t| shown(&t.party).chars().count())
            .max()
            .unwrap_or(0)
            .max(heading.len() + 3);
        out.push_str(&format!(
            "\n{}  {:>12}  {:>9}  {:>6}\n",
            pad(&format!("by {heading}"), w),
            "TIV",
            "items",
            "deals"
        ));
        for t in totals {
            out.push_str(&format!(
                "{}  {:>12}  {:>9}  {:>6}\n",
                pad(&shown(&t.party), w),
                t.tiv.display(1),
                grouped(t.items),
                grouped(t.deals as u64)
            ));
        }
    }
    if f.merged.suppliers + f.merged.recipients > 0 {
        out.push_str(&format!(
            "\n{} supplier(s) and {} recipient(s) merged into \"Other\" ({} flows; --top {} names the parties of the largest flows, at most 10 suppliers)\n",
            f.merged.suppliers, f.merged.recipients, f.merged.flows, f.top
        ));
    }
    out.push_str(&format!(
        "\nTIV: SIPRI trend-indicator value delivered, millions (rounded half away from zero).\n{}\n",
        f.source
    ));
    out
}
