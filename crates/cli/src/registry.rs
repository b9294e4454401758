//! `defcoop list KIND` and `defcoop show KIND KEY`: the registry's lists and records as the
//! web's list pages and `/api/v1/{kind}` give them (the same use cases, the same JSON).

use anyhow::Result;
use defcoop_app::registry::{list_spec, ListPage, ListQuery, MAX_PER_PAGE, PER_PAGE};
use defcoop_app::render::{cut, Lang};
use defcoop_app::RecordKind;
use serde_json::Value;

use crate::{actor, app_error, open_app, print_json, DbArg, Report};

#[derive(clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    db: DbArg,
    /// The kind of record: systems, standards, nations, ... (singular or plural).
    kind: String,
    /// FIELD=VALUE: records whose FIELD equals VALUE, case-insensitively (repeatable; which
    /// fields a kind takes is in the error for a wrong one).
    #[arg(long = "filter", value_name = "FIELD=VALUE")]
    filters: Vec<String>,
    /// Words every listed record holds in one of its text fields.
    #[arg(short, long, value_name = "WORDS")]
    q: Option<String>,
    /// Members of this bloc (for nations, organizations and systems: by nation, origin).
    #[arg(long, value_name = "CODE")]
    bloc: Option<String>,
    /// The day a bloc's members are taken on (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// Sort by this field, `-FIELD` for descending (default: the key).
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    sort: Option<String>,
    /// Which page (from 1).
    #[arg(long, default_value_t = 1)]
    page: usize,
    /// Records per page (at most 500).
    #[arg(long, default_value_t = PER_PAGE)]
    per_page: usize,
    #[arg(long, value_enum, default_value_t = Report::Text)]
    format: Report,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    #[command(flatten)]
    db: DbArg,
    /// The kind of record (singular or plural).
    kind: String,
    /// Its key: an id or code; a conformance is SYSTEM/STANDARD.
    key: String,
    #[arg(long, value_enum, default_value_t = Report::Text)]
    format: Report,
}

/// The list request of the arguments, checked as a query string's would be.
fn query(args: &ListArgs) -> Result<ListQuery> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for f in &args.filters {
        let Some((field, value)) = f.split_once('=') else {
            anyhow::bail!("--filter {f}: give FIELD=VALUE, e.g. --filter origin=KOR");
        };
        pairs.push((field.trim().to_string(), value.trim().to_string()));
    }
    for (name, v) in [("q", &args.q), ("bloc", &args.bloc), ("on", &args.on)] {
        if let Some(v) = v {
            pairs.push((name.to_string(), v.clone()));
        }
    }
    if let Some(s) = &args.sort {
        pairs.push(("sort".into(), s.clone()));
    }
    if args.per_page > MAX_PER_PAGE {
        anyhow::bail!("--per-page {}: at most {MAX_PER_PAGE}", args.per_page);
    }
    pairs.push(("page".into(), args.page.to_string()));
    pairs.push(("per_page".into(), args.per_page.to_string()));
    ListQuery::from_pairs(&pairs).map_err(app_error)
}

pub async fn list(args: ListArgs, lang: Lang) -> Result<()> {
    let kind = RecordKind::parse_any(&args.kind).map_err(app_error)?.0;
    let q = query(&args)?;
    let app = open_app(&args.db.db).await?;
    let page = match actor(&app).await {
        Ok(who) => app.list(&who, kind, &q).await.map_err(app_error),
        Err(e) => Err(e),
    };
    app.store().close().await;
    let page = page?;
    match args.format {
        Report::Json => print_json(&page),
        Report::Text => print!("{}", table(&page, lang)),
    }
    Ok(())
}

pub async fn show(args: ShowArgs) -> Result<()> {
    let kind = RecordKind::parse_any(&args.kind).map_err(app_error)?;
    let app = open_app(&args.db.db).await?;
    let record = match actor(&app).await {
        Ok(who) => app.record(&who, kind, &args.key).await.map_err(app_error),
        Err(e) => Err(e),
    };
    app.store().close().await;
    let record = record?;
    match args.format {
        Report::Json => print_json(&record),
        Report::Text => print!("{}", fields(&record)),
    }
    Ok(())
}

/// A cell: text as it is, numbers and flags printed, a list as its entries (objects by their
/// first text field), at most 40 characters.
fn cell(v: Option<&Value>) -> String {
    let text = match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::Object(o) => o
                    .values()
                    .find_map(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                other => cell(Some(other)),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    };
    let one_line = text.replace(['\n', '\t'], " ");
    if one_line.chars().count() > 40 {
        format!("{}…", cut(&one_line, 39))
    } else {
        one_line
    }
}

/// The page as an aligned table of the kind's columns (the fields it sorts by), with a line
/// saying which records these are.
fn table(page: &ListPage, lang: Lang) -> String {
    let Some(kind) = defcoop_domain::model::Kind::from_array(page.kind) else {
        return String::new();
    };
    let columns = list_spec(kind).sorts;
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|item| columns.iter().map(|c| cell(item.get(*c))).collect())
        .collect();
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain(std::iter::once(columns[i].len()))
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..columns.len()).map(width).collect();
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                let pad = widths[i] + 2 - c.chars().count();
                s.extend(std::iter::repeat_n(' ', pad));
            }
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = String::new();
    if !rows.is_empty() {
        out.push_str(&line(columns.to_vec()));
        for r in &rows {
            out.push_str(&line(r.iter().map(String::as_str).collect()));
        }
    }
    let first = (page.page - 1) * page.per_page + 1;
    let last = first + page.items.len().saturating_sub(1);
    out.push_str(&match (lang, page.items.is_empty()) {
        (Lang::Ko, true) => format!(
            "{}쪽에는 기록이 없습니다 (모두 {}건, {}쪽)\n",
            page.page,
            page.total,
            page.pages()
        ),
        (Lang::Ko, false) => format!(
            "{}–{} / {}건 ({} / {}쪽)\n",
            first,
            last,
            page.total,
            page.page,
            page.pages()
        ),
        (_, true) => format!(
            "no {} on page {} ({} in all, {} page(s))\n",
            page.kind,
            page.page,
            page.total,
            page.pages()
        ),
        (_, false) => format!(
            "{}–{} of {} {} (page {} of {})\n",
            first,
            last,
            page.total,
            page.kind,
            page.page,
            page.pages()
        ),
    });
    out
}

/// A record as `field: value` lines; a list of objects one entry per line below its field.
fn fields(record: &Value) -> String {
    let mut out = String::new();
    let Value::Object(map) = record else {
        return out;
    };
    for (name, value) in map {
        match value {
            Value::String(s) => out.push_str(&format!("{name}: {s}\n")),
            Value::Array(items) if items.iter().any(Value::is_object) => {
                out.push_str(&format!("{name}:\n"));
                for item in items {
                    out.push_str(&format!("  - {item}\n"));
                }
            }
            other => out.push_str(&format!("{name}: {other}\n")),
        }
    }
    out
}
