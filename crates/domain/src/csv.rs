//! CSV per entity, for spreadsheet users: one file per array of the dataset (`systems.csv`, ...),
//! a header row of field names, one record per row. Plain fields are plain cells; lists and
//! objects (`members`, `operators`, `classifications`, `label`, `sources`) are JSON in a cell;
//! booleans are `true`/`false`; an empty cell is an absent optional field.
//!
//! Reading goes through the same serde types as the JSON format, so the rules are the same;
//! problems are located as `systems.csv:5, column origin` (line numbers count the header).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::import::{Incoming, Origins, Problem, Style, Unreadable};
use crate::label::Policy;
use crate::location::utf8;
use crate::model::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Text,
    Json,
    Bool,
}

const META: [(&str, Cell); 3] = [
    ("label", Cell::Json),
    ("sources", Cell::Json),
    ("illustrative", Cell::Bool),
];

/// The columns of one kind's file, in order.
fn columns(kind: Kind) -> Vec<(&'static str, Cell)> {
    use Cell::*;
    let own: &[(&str, Cell)] = match kind {
        Kind::Policy => {
            return vec![
                ("id", Text),
                ("classifications", Json),
                ("categories", Json),
                ("required", Json),
            ]
        }
        Kind::Nation => &[("code", Text), ("name", Text)],
        Kind::Bloc => &[
            ("code", Text),
            ("name", Text),
            ("kind", Text),
            ("members", Json),
        ],
        Kind::Organization => &[
            ("id", Text),
            ("name", Text),
            ("kind", Text),
            ("nation", Text),
            ("ncage", Text),
        ],
        Kind::Person => &[
            ("id", Text),
            ("name", Text),
            ("name_native", Text),
            ("organization", Text),
            ("title", Text),
        ],
        Kind::Domain => &[("code", Text), ("name", Text)],
        Kind::Standard => &[
            ("id", Text),
            ("title", Text),
            ("aliases", Json),
            ("body", Text),
            ("domain", Text),
            ("tag", Text),
            ("date", Text),
            ("version", Text),
            ("covers", Json),
        ],
        Kind::Profile => &[
            ("id", Text),
            ("kind", Text),
            ("title", Text),
            ("description", Text),
            ("subprofiles", Json),
            ("obligations", Json),
        ],
        Kind::System => &[
            ("id", Text),
            ("name", Text),
            ("aliases", Json),
            ("category", Text),
            ("producer", Text),
            ("origin", Text),
            ("operators", Json),
        ],
        Kind::Conformance => &[
            ("system", Text),
            ("standard", Text),
            ("status", Text),
            ("evidence", Text),
        ],
        Kind::Gateway => &[
            ("id", Text),
            ("name", Text),
            ("domain", Text),
            ("from", Text),
            ("to", Text),
            ("bidirectional", Bool),
            ("fidelity", Text),
            ("status", Text),
        ],
        Kind::Transfer => &[
            ("id", Text),
            ("sipri_id", Json),
            ("supplier", Text),
            ("supplier_kind", Text),
            ("recipient", Text),
            ("recipient_kind", Text),
            ("system", Text),
            ("designation", Text),
            ("description", Text),
            ("category", Text),
            ("ordered", Json),
            ("ordered_estimated", Bool),
            ("number_ordered", Json),
            ("number_ordered_estimated", Bool),
            ("status", Text),
            ("tiv_unit", Json),
            ("tiv_deal_unit", Json),
            ("local_production", Bool),
            ("deliveries", Json),
            ("delivered", Json),
            ("delivered_estimated", Bool),
            ("tiv_delivered", Json),
        ],
        Kind::Body => &[
            ("id", Text),
            ("name", Text),
            ("description", Text),
            ("members", Json),
            ("co_chairs", Json),
            ("secretariat", Json),
        ],
        Kind::Meeting => &[
            ("id", Text),
            ("body", Text),
            ("title", Text),
            ("start", Text),
            ("end", Text),
            ("time_zone", Text),
            ("place", Text),
            ("online", Text),
            ("participants", Json),
            ("agenda", Json),
            ("status", Text),
        ],
        Kind::Minutes => &[
            ("id", Text),
            ("meeting", Text),
            ("version", Json),
            ("corrects", Text),
            ("status", Text),
            ("text", Text),
            ("comments", Json),
        ],
        Kind::Proposal => &[
            ("id", Text),
            ("body", Text),
            ("title", Text),
            ("summary", Text),
            ("sponsor", Text),
            ("status", Text),
            ("history", Json),
            ("method", Text),
            ("votes", Json),
            ("plan", Json),
            ("documents", Json),
        ],
        Kind::Decision => &[
            ("id", Text),
            ("meeting", Text),
            ("text", Text),
            ("proposals", Json),
            ("agenda_items", Json),
        ],
        Kind::ActionItem => &[
            ("id", Text),
            ("title", Text),
            ("owner", Json),
            ("due", Text),
            ("status", Text),
            ("decision", Text),
            ("proposal", Text),
            ("plan_action", Text),
        ],
        Kind::Engagement => &[
            ("id", Text),
            ("title", Text),
            ("start", Text),
            ("end", Text),
            ("time_zone", Text),
            ("place", Text),
            ("participants", Json),
            ("topics", Json),
            ("outcomes", Json),
        ],
        Kind::Document => &[
            ("id", Text),
            ("title", Text),
            ("issued", Text),
            ("issuers", Json),
            ("summary", Text),
            ("url", Text),
            ("topics", Json),
        ],
        Kind::CapabilityArea => &[
            ("id", Text),
            ("name", Text),
            ("name_ko", Text),
            ("description", Text),
        ],
        Kind::Need | Kind::Offer => &[
            ("id", Text),
            ("area", Text),
            ("title", Text),
            ("description", Text),
            ("keywords", Json),
            ("trl", Json),
            ("owner", Json),
            ("timeframe", Json),
            ("systems", Json),
            ("standards", Json),
        ],
        Kind::Instrument => &[
            ("id", Text),
            ("name", Text),
            ("kind", Text),
            ("description", Text),
            ("rules", Json),
            ("modelled", Bool),
            ("unconfirmed", Json),
        ],
    };
    own.iter().copied().chain(META).collect()
}

/// The file name of one kind: `systems.csv`.
pub fn file_name(kind: Kind) -> String {
    format!("{}.csv", kind.array())
}

/// Writes one CSV file per kind, every kind present (header only when empty), canonical order.
pub fn to_files(data: &Dataset) -> Vec<(String, String)> {
    let mut data = data.clone();
    data.normalize();
    Kind::ALL
        .iter()
        .map(|kind| {
            let rows = match kind {
                Kind::Policy => rows(&data.policies),
                Kind::Nation => rows(&data.nations),
                Kind::Bloc => rows(&data.blocs),
                Kind::Organization => rows(&data.organizations),
                Kind::Person => rows(&data.people),
                Kind::Domain => rows(&data.domains),
                Kind::Standard => rows(&data.standards),
                Kind::Profile => rows(&data.profiles),
                Kind::System => rows(&data.systems),
                Kind::Conformance => rows(&data.conformances),
                Kind::Gateway => rows(&data.gateways),
                Kind::Transfer => rows(&data.transfers),
                Kind::Body => rows(&data.bodies),
                Kind::Meeting => rows(&data.meetings),
                Kind::Minutes => rows(&data.minutes),
                Kind::Proposal => rows(&data.proposals),
                Kind::Decision => rows(&data.decisions),
                Kind::ActionItem => rows(&data.action_items),
                Kind::Engagement => rows(&data.engagements),
                Kind::Document => rows(&data.documents),
                Kind::CapabilityArea => rows(&data.capability_areas),
                Kind::Need => rows(&data.needs),
                Kind::Offer => rows(&data.offers),
                Kind::Instrument => rows(&data.instruments),
            };
            (file_name(*kind), write_file(*kind, rows))
        })
        .collect()
}

fn rows<T: Serialize>(records: &[T]) -> Vec<Map<String, Value>> {
    records
        .iter()
        .filter_map(|r| match serde_json::to_value(r) {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        })
        .collect()
}

fn write_file(kind: Kind, rows: Vec<Map<String, Value>>) -> String {
    let cols = columns(kind);
    let mut w = ::csv::Writer::from_writer(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = w.write_record(cols.iter().map(|(name, _)| *name));
    for row in rows {
        let cells = cols.iter().map(|(name, _)| match row.get(*name) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Bool(b)) => b.to_string(),
            Some(other) => other.to_string(),
        });
        let _ = w.write_record(cells);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Reads CSV files (name, bytes). Names must be `<array>.csv`; a missing file is an empty kind.
/// Problems are kept in [`Incoming::problems`] (rows or files that cannot be read are left out
/// and remembered in [`Incoming::unreadable`]), so validation can report everything at once.
pub fn parse_files(files: &[(String, Vec<u8>)]) -> Incoming {
    let mut problems = Vec::new();
    let mut unreadable = Unreadable::default();
    let mut origins = Origins::new(Style::Csv);
    let mut data = Dataset::default();
    for (name, bytes) in files {
        let Some(kind) = name.strip_suffix(".csv").and_then(Kind::from_array) else {
            let known: Vec<String> = Kind::ALL.iter().map(|k| file_name(*k)).collect();
            problems.push(Problem::new(
                name.clone(),
                format!(
                    "not a defcoop CSV file (expected one of {})",
                    known.join(", ")
                ),
            ));
            continue;
        };
        if data.count(kind) > 0 {
            problems.push(Problem::new(name.clone(), "file given twice"));
            continue;
        }
        let text = match utf8(bytes) {
            Ok(t) => t,
            Err(p) => {
                problems.push(Problem::new(format!("{name}, {}", p.location), p.message));
                unreadable.add_kind(kind);
                continue;
            }
        };
        let rows = match read_rows(name, kind, text, &mut problems) {
            Some(rows) => rows,
            None => {
                unreadable.add_kind(kind);
                continue;
            }
        };
        let mut t = Typed {
            kind,
            origins: &mut origins,
            problems: &mut problems,
            unreadable: &mut unreadable,
        };
        match kind {
            Kind::Policy => data.policies = t.typed::<Policy>(rows),
            Kind::Nation => data.nations = t.typed(rows),
            Kind::Bloc => data.blocs = t.typed(rows),
            Kind::Organization => data.organizations = t.typed(rows),
            Kind::Person => data.people = t.typed(rows),
            Kind::Domain => data.domains = t.typed(rows),
            Kind::Standard => data.standards = t.typed(rows),
            Kind::Profile => data.profiles = t.typed(rows),
            Kind::System => data.systems = t.typed(rows),
            Kind::Conformance => data.conformances = t.typed(rows),
            Kind::Gateway => data.gateways = t.typed(rows),
            Kind::Transfer => data.transfers = t.typed(rows),
            Kind::Body => data.bodies = t.typed(rows),
            Kind::Meeting => data.meetings = t.typed(rows),
            Kind::Minutes => data.minutes = t.typed(rows),
            Kind::Proposal => data.proposals = t.typed(rows),
            Kind::Decision => data.decisions = t.typed(rows),
            Kind::ActionItem => data.action_items = t.typed(rows),
            Kind::Engagement => data.engagements = t.typed(rows),
            Kind::Document => data.documents = t.typed(rows),
            Kind::CapabilityArea => data.capability_areas = t.typed(rows),
            Kind::Need => data.needs = t.typed(rows),
            Kind::Offer => data.offers = t.typed(rows),
            Kind::Instrument => data.instruments = t.typed(rows),
        }
    }
    Incoming {
        data,
        origins,
        problems,
        unreadable,
    }
}

/// The byte offset of a quote that opens a field and is never closed, if any. The csv crate
/// reads such a field to the end of the file and returns it as data; this follows its rules
/// (`,` between fields, CR or LF ending a record, `"` special only at the start of a field, `""`
/// inside quotes a literal quote) to find the hole. One pass, no allocation.
pub(crate) fn unterminated_quote(text: &[u8]) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum State {
        FieldStart,
        Unquoted,
        /// Inside the quotes opened at this offset.
        Quoted(usize),
        /// Just after a quote inside them: closed, unless another quote follows.
        QuoteInQuoted(usize),
    }
    let mut state = State::FieldStart;
    for (i, b) in text.iter().enumerate() {
        state = match (state, b) {
            (State::Quoted(open), b'"') => State::QuoteInQuoted(open),
            (State::Quoted(open), _) => State::Quoted(open),
            (State::QuoteInQuoted(open), b'"') => State::Quoted(open),
            (State::FieldStart, b'"') => State::Quoted(i),
            (_, b',' | b'\r' | b'\n') => State::FieldStart,
            _ => State::Unquoted,
        };
    }
    match state {
        State::Quoted(open) => Some(open),
        _ => None,
    }
}

/// The problem of a quote opened at byte `open` of `text` (a file named `name`, whose line 1 is
/// `first_line`) and never closed.
pub(crate) fn unterminated_quote_problem(
    name: &str,
    text: &[u8],
    first_line: usize,
    open: usize,
) -> Problem {
    let (line, column) = crate::location::line_col(text, open);
    Problem::new(
        format!("{name}:{}", line + first_line - 1),
        format!(
            "unterminated quote: the quoted field opened at column {column} is never closed \
             (the file ends inside it)"
        ),
    )
}

/// A row turned into a JSON object, with its location.
struct Row {
    at: String,
    value: Value,
}

/// The rows of a file, or `None` when its header is unusable.
fn read_rows(name: &str, kind: Kind, text: &str, problems: &mut Vec<Problem>) -> Option<Vec<Row>> {
    if let Some(open) = unterminated_quote(text.as_bytes()) {
        problems.push(unterminated_quote_problem(name, text.as_bytes(), 1, open));
        return None;
    }
    let cols = columns(kind);
    let mut r = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match r.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(Problem::new(format!("{name}:1"), e.to_string()));
            return None;
        }
    };
    let mut index = Vec::with_capacity(headers.len());
    let mut bad_header = false;
    for (i, h) in headers.iter().enumerate() {
        match cols.iter().find(|(c, _)| *c == h) {
            Some(col) if !index.iter().any(|(c, _): &(&str, Cell)| *c == col.0) => index.push(*col),
            Some(_) => {
                problems.push(Problem::new(
                    format!("{name}:1, column {}", i + 1),
                    format!("column \"{h}\" appears twice"),
                ));
                bad_header = true;
            }
            None => {
                let known: Vec<&str> = cols.iter().map(|(c, _)| *c).collect();
                problems.push(Problem::new(
                    format!("{name}:1, column {}", i + 1),
                    format!("unknown column \"{h}\" (expected: {})", known.join(", ")),
                ));
                bad_header = true;
            }
        }
    }
    if bad_header {
        return None;
    }
    let mut rows = Vec::new();
    for record in r.records() {
        let record = match record {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(Problem::new(format!("{name}:{line}"), csv_message(&e)));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let at = format!("{name}:{line}");
        let mut obj = Map::new();
        for ((col, cell), raw) in index.iter().zip(record.iter()) {
            if raw.is_empty() {
                continue;
            }
            let value = match cell {
                Cell::Text => Value::String(raw.to_string()),
                Cell::Bool => match raw {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => {
                        problems.push(Problem::new(
                            format!("{at}, column {col}"),
                            format!("expected true or false, found \"{raw}\""),
                        ));
                        continue;
                    }
                },
                Cell::Json => match serde_json::from_str(raw) {
                    Ok(v) => v,
                    Err(e) => {
                        problems.push(Problem::new(
                            format!("{at}, column {col}"),
                            format!("not valid JSON in this cell: {e}"),
                        ));
                        continue;
                    }
                },
            };
            obj.insert(col.to_string(), value);
        }
        rows.push(Row {
            at,
            value: Value::Object(obj),
        });
    }
    Some(rows)
}

fn csv_message(e: &::csv::Error) -> String {
    match e.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} fields, the header has {expected_len}"),
        _ => e.to_string(),
    }
}

struct Typed<'a> {
    kind: Kind,
    origins: &'a mut Origins,
    problems: &'a mut Vec<Problem>,
    unreadable: &'a mut Unreadable,
}

impl Typed<'_> {
    fn typed<T: DeserializeOwned>(&mut self, rows: Vec<Row>) -> Vec<T> {
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let key = crate::json::key_field(self.kind)
                .and_then(|f| row.value.get(f))
                .and_then(Value::as_str)
                .map(str::to_string);
            match serde_path_to_error::deserialize::<_, T>(row.value) {
                Ok(r) => {
                    self.origins.push(self.kind, row.at);
                    out.push(r);
                }
                Err(e) => {
                    let path = e.path().to_string();
                    let location = if path == "." {
                        row.at
                    } else {
                        format!("{}, column {path}", row.at)
                    };
                    self.problems
                        .push(Problem::new(location, e.into_inner().to_string()));
                    if let Some(k) = key {
                        self.unreadable.add_key(self.kind, k);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> (String, Vec<u8>) {
        (name.to_string(), text.as_bytes().to_vec())
    }

    #[test]
    fn reads_rows_and_locates_problems() {
        let files = [
            file("nations.csv", "code,name\nKOR,Republic of Korea\nPOL,\n"),
            file(
                "systems.csv",
                "id,name,category,origin,operators,illustrative\n\
                 k9,K9,spg,KOR,\"[{\"\"nation\"\":\"\"POL\"\",\"\"quantity\"\":212}]\",\n\
                 k2,K2,mbt,KOR,[oops,maybe\n",
            ),
        ];
        let problems: Vec<String> = parse_files(&files)
            .problems
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert_eq!(problems[0], "nations.csv:3: missing field `name`");
        assert!(problems[1].starts_with("systems.csv:3, column operators: not valid JSON"));
        assert!(
            problems[2].starts_with("systems.csv:3, column illustrative: expected true or false")
        );
    }

    #[test]
    fn unknown_files_and_columns_are_refused() {
        let files = [
            file("tanks.csv", "a\n1\n"),
            file("domains.csv", "code,name,colour\nx,y,z\n"),
        ];
        let problems = parse_files(&files).problems;
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].location, "tanks.csv");
        assert_eq!(problems[1].location, "domains.csv:1, column 3");
    }

    /// A quote opened in the last field and never closed used to be read as data (the rest of
    /// the file). It is refused, located; the file's records are not read.
    #[test]
    fn an_unterminated_quote_is_refused() {
        let text = "code,name\nx,\"y\"\nz,\"never \"\"closed\nstill, inside\n";
        let incoming = parse_files(&[file("domains.csv", text)]);
        assert!(incoming.data.domains.is_empty());
        let problems: Vec<String> = incoming.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            [
                "domains.csv:3: unterminated quote: the quoted field opened at column 3 is never \
              closed (the file ends inside it)"
            ]
        );
        // Closed quotes, quotes inside unquoted fields and CRLF are fine.
        for ok in [
            "code,name\r\nx,\"y, \"\"z\"\"\"\r\n",
            "code,name\nx,a\"b\n",
            "code,name\nx,\"\"\"\"\n",
            "code,name\nx,\"multi\nline\"\n",
        ] {
            assert_eq!(unterminated_quote(ok.as_bytes()), None, "{ok:?}");
            let incoming = parse_files(&[file("domains.csv", ok)]);
            assert!(
                incoming.problems.is_empty(),
                "{ok:?}: {:?}",
                incoming.problems
            );
        }
        for (bad, at) in [("\"", 0), ("a,\"b\"\"", 2), ("a\n\"", 2), ("\"a\",b,\"", 6)] {
            assert_eq!(unterminated_quote(bad.as_bytes()), Some(at), "{bad:?}");
        }
    }

    #[test]
    fn ragged_rows_are_refused() {
        let problems = parse_files(&[file("domains.csv", "code,name\nx,y,z\n")]).problems;
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "domains.csv:2: this row has 3 fields, the header has 2"
        );
    }
}
