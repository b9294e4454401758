//! The SIPRI Arms Transfers Database trade register (CSV export), read into deals with their
//! yearly deliveries. Pure: bytes in, values out. Two layouts are read, told apart by the
//! header row: the current one and SIPRI's older one (see [the older layout](#the-older-layout)).
//!
//! # The file
//! SIPRI's export starts with note lines ("Transfers of major conventional arms from ...",
//! "Source: SIPRI Arms Transfers Database (c) SIPRI.", "Data generated: 12 Feb 2026 ...")
//! before the header row, whose first cell is `SIPRI AT Database ID`. Every line, the header's
//! too, ends with `;` after the last cell; line ends are CRLF (LF is accepted too). There is
//! **one row per deal and delivery year**, so a SIPRI id repeats; the rows of one id are merged
//! into one [`Deal`] whose [`Delivery`]s are sorted by year.
//!
//! # The columns
//! | column | here | meaning |
//! |---|---|---|
//! | `SIPRI AT Database ID` | [`Deal::sipri_id`] | the deal |
//! | `Supplier`, `Recipient` | [`Actor`] | a country name, a non-state actor or "unknown ..." |
//! | `Designation`, `Description`, `Armament category` | strings | the weapon |
//! | `Order date`, `Order date is estimate` | [`Deal::order_year`] | a year, not a date |
//! | `Numbers delivered`, `... is estimate` | [`Delivery::number`] | items delivered that year |
//! | `Delivery year`, `... is estimate` | [`Delivery::year`] | |
//! | `Status` | [`Deal::status`] | `New`, `Second hand`, `Second hand but modernized` |
//! | `SIPRI estimate` | [`Deal::tiv_unit_new`] | TIV of one item **when new** |
//! | `TIV deal unit` | [`Deal::tiv_unit`] | TIV of one item **in this deal** |
//! | `TIV delivery values` | [`Delivery::tiv`] | TIV of the items delivered that year |
//! | `Local production` | [`Deal::local_production`] | `Yes`: produced or assembled in the recipient country (licensed production) |
//!
//! TIVs are SIPRI trend-indicator values, in millions (a volume measure, not a price). What the
//! three TIV columns mean was worked out from the 12 Feb 2026 export (25,024 rows):
//! - `TIV deal unit` = `SIPRI estimate` × 1 for status `New` (all 20,969 rows), × 0.4 for
//!   `Second hand` (3,572 rows) and × 0.66 for `Second hand but modernized` (483 rows), every row
//!   within the rounding to two decimals. SIPRI's method values surplus weapons at 40% of a new
//!   one and refurbished ones at about two thirds: so `SIPRI estimate` is the unit TIV of the
//!   weapon new, and `TIV deal unit` the unit TIV after that discount.
//! - `TIV delivery values` = `Numbers delivered` × `TIV deal unit` in every row (within the unit's
//!   rounding): the TIV delivered in that row's year, not a total for the order.
//!
//! # The older layout
//! SIPRI's trade register as exported before the current one: a few note lines (`Trade
//! register`, `Transfers of major conventional arms ...`, `Source: SIPRI ...`, `Data generated:
//! ...`), then the header `Recipient,Supplier,Year of order,,Number ordered,,Weapon
//! designation,Weapon description,Number delivered,,Year(s) of delivery,status,Comments,SIPRI TIV
//! per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons`, then **one row per deal**,
//! with no deal id. Its columns are read by position (three are unnamed) and the header must
//! list them in this order (names compared ignoring ASCII case).
//!
//! | column | here |
//! |---|---|
//! | `Recipient`, `Supplier` | [`Actor`], through the same name table |
//! | `Year of order` and the unnamed column after it | [`Deal::order_year`] |
//! | `Number ordered` and the unnamed column after it | [`Deal::number_ordered`] |
//! | `Weapon designation`, `Weapon description` | [`Deal::designation`], [`Deal::description`] |
//! | `Number delivered` and the unnamed column after it | [`Deal::delivered_total`], or the one [`Delivery::number`] |
//! | `Year(s) of delivery` | [`Deal::deliveries`]: one per year listed |
//! | `status` | [`Deal::status`]: empty, `New`, `Second hand`, `Second hand but modernized` |
//! | `Comments` | [`Deal::comments`] |
//! | `SIPRI TIV per unit` | [`Deal::tiv_unit_new`] |
//! | `SIPRI TIV for total order` | [`Deal::tiv_order_total`] |
//! | `SIPRI TIV of delivered weapons` | [`Deal::tiv_delivered_total`], or the one [`Delivery::tiv`] |
//!
//! The unnamed columns hold SIPRI's uncertainty mark `?` for the value before them (or nothing);
//! a value in parentheses (`(2025)`) or with a `?` is an estimate too. `Year(s) of delivery` is
//! empty, a year (`2010`), a range (`2010-2012`: every year of it) or several of these separated
//! by `;` or `,` in a quoted cell (`"2010; 2012-2013"`); a year, a range or one end of a range
//! may carry a mark (`(2013)`, `2010?-2012`), which marks the years it covers. Any other form, a
//! year outside 1900-2100, a backwards range or a year listed twice is a problem.
//!
//! The file gives the number and TIV delivered over all years, not per year. So when **one**
//! year is listed, that [`Delivery`] carries them (the split is known) and the totals are
//! `None`; otherwise (no year, or several) the deliveries carry their years only and
//! [`Deal::delivered_total`] and [`Deal::tiv_delivered_total`] the totals. A number or TIV
//! delivered above 0 without any year is a problem. [`Deal::tiv_unit`] (the unit TIV after the
//! second-hand discount) stays `None`: the file does not give it. [`Deal::category`] is empty
//! (no armament category) and [`Deal::local_production`] false (not given).
//!
//! # Choices
//! - Empty "is estimate" cells mean "not estimated". A `?` before or after a year or a number
//!   (SIPRI's older mark of uncertain data; none occur in the 2026 export) also marks it estimated.
//!   Parentheses mark an estimate in the older layout only.
//! - Cells are trimmed (`9M119 ` has a trailing space in the export). Designations are otherwise
//!   kept as SIPRI writes them, including a trailing ` -` that many carry (`K-2 -`).
//! - Deal-level columns must agree across the rows of one id, and one id has at most one row per
//!   delivery year; otherwise the problem names both lines.
//! - A row with no delivery year, number or delivered TIV adds no delivery (a deal ordered but not
//!   yet delivered); a number or TIV without a year is a problem.
//! - Every problem is reported (`trade_register.csv:13, column Status: ...`; the older layout's
//!   unnamed columns by position, `column 4`); a register with any problem is refused whole.
//! - Deal order: current-layout deals by SIPRI id; older-layout deals (no id) in file order,
//!   after any with an id.
//! - Older layout: every row is its own deal (rows are not merged: without an id, two equal rows
//!   may be two deals). A line may end with `;` whether or not the header does, LF or CRLF.
//!   Status is normalised to SIPRI's current spelling (`second hand` → `Second hand`).
//!
//! Names map to [`Actor`]s through `sipri_countries.tsv` (see its header): every name in the
//! 2026 export is there; a name that is not is a problem, never dropped.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use crate::import::Problem;
use crate::json::utf8;
use crate::model::{Dataset, Nation, Operator, PartyKind, Source, System, Tiv, Transfer};

/// Who supplies or receives: a state (ISO 3166 alpha-3 code), a non-state actor (armed group,
/// de facto authority, international organisation) or an actor SIPRI could not identify. `name`
/// is SIPRI's name as in the file, with its `*` (non-state actor) or `**` (international
/// organisation) marks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    /// `code`: ISO 3166-1 alpha-3; ISO 3166-3 for former states (SUN, CSK, YUG, DDR); XKX
    /// (user-assigned, not ISO) for Kosovo.
    State {
        code: String,
        name: String,
    },
    NonState {
        name: String,
    },
    Unknown {
        name: String,
    },
}

impl Actor {
    /// SIPRI's name.
    pub fn name(&self) -> &str {
        match self {
            Actor::State { name, .. } | Actor::NonState { name } | Actor::Unknown { name } => name,
        }
    }

    /// The ISO code of a state.
    pub fn code(&self) -> Option<&str> {
        match self {
            Actor::State { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// The deliveries of one deal in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub year: u16,
    pub year_estimated: bool,
    /// Items delivered this year (`Numbers delivered`).
    pub number: Option<u32>,
    pub number_estimated: bool,
    /// TIV delivered this year, millions (`TIV delivery values`): `number` × [`Deal::tiv_unit`].
    pub tiv: Option<f64>,
}

/// One SIPRI deal: all rows of one SIPRI id (current layout), or one row (older layout).
#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    /// `SIPRI AT Database ID`; `None` in the older layout, which has no deal id.
    pub sipri_id: Option<u64>,
    pub supplier: Actor,
    pub recipient: Actor,
    pub designation: String,
    pub description: String,
    /// `Armament category`: Aircraft, Missiles, Armoured vehicles, ...; empty in the older
    /// layout, which has none.
    pub category: String,
    /// `Order date` (a year); `Year of order` in the older layout.
    pub order_year: Option<u16>,
    pub order_year_estimated: bool,
    /// `Number ordered` (older layout only; the current layout does not give it).
    pub number_ordered: Option<u32>,
    pub number_ordered_estimated: bool,
    /// `New`, `Second hand` or `Second hand but modernized`.
    pub status: Option<String>,
    /// TIV of one item in this deal, millions (`TIV deal unit`): [`Deal::tiv_unit_new`]
    /// discounted for second-hand items.
    pub tiv_unit: Option<f64>,
    /// TIV of one such item new, millions (`SIPRI estimate`).
    pub tiv_unit_new: Option<f64>,
    /// Produced or assembled in the recipient country under licence (`Local production`).
    pub local_production: bool,
    /// Sorted by year, one per year. In the older layout these are the `Year(s) of delivery`
    /// with no number or TIV, unless only one year is listed: then that delivery carries the
    /// number and TIV delivered.
    pub deliveries: Vec<Delivery>,
    /// `Comments` (older layout only).
    pub comments: Option<String>,
    /// Older layout, when `deliveries` does not carry them (no year or several years listed):
    /// `Number delivered` over all years, and whether it is an estimate.
    pub delivered_total: Option<(u32, bool)>,
    /// Older layout, as [`Deal::delivered_total`]: `SIPRI TIV of delivered weapons`.
    pub tiv_delivered_total: Option<f64>,
    /// `SIPRI TIV for total order` (older layout only), millions. Read and kept here; not
    /// carried into [`Transfer`], which has no field for it.
    pub tiv_order_total: Option<f64>,
}

/// A parsed trade register.
#[derive(Debug, Clone, PartialEq)]
pub struct Register {
    /// Current layout: sorted by SIPRI id. Older layout: in file order (one deal per row).
    /// (A file holds one layout; should deals of both ever be combined, those with an id come
    /// first, by id, then those without, in file order.)
    pub deals: Vec<Deal>,
    /// What follows `Data generated:` in the notes (`12 Feb 2026 12:26:12 PM`).
    pub generated: Option<String>,
    /// Data rows read (not counting notes, header and blank lines).
    pub rows: usize,
}

/// The first cell of the header row of SIPRI's current trade-register export.
pub const HEADER_START: &str = "SIPRI AT Database ID";
/// How the header of SIPRI's older trade-register layout starts.
pub const OLD_HEADER_START: &str = "Recipient,Supplier,Year of order";

/// The older layout's columns, in order; the unnamed ones hold SIPRI's uncertainty mark (`?`)
/// for the value before them.
const OLD_COLUMNS: [&str; 16] = [
    "Recipient",
    "Supplier",
    "Year of order",
    "",
    "Number ordered",
    "",
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    "",
    "Year(s) of delivery",
    "status",
    "Comments",
    "SIPRI TIV per unit",
    "SIPRI TIV for total order",
    "SIPRI TIV of delivered weapons",
];
/// How problems name the older layout's columns: unnamed ones by position.
const OLD_LABELS: [&str; 16] = [
    "Recipient",
    "Supplier",
    "Year of order",
    "4",
    "Number ordered",
    "6",
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    "10",
    "Year(s) of delivery",
    "status",
    "Comments",
    "SIPRI TIV per unit",
    "SIPRI TIV for total order",
    "SIPRI TIV of delivered weapons",
];
// Older-layout columns, by position.
const O_RECIPIENT: usize = 0;
const O_SUPPLIER: usize = 1;
const O_ORDER: usize = 2;
const O_ORDER_MARK: usize = 3;
const O_NUMBER: usize = 4;
const O_NUMBER_MARK: usize = 5;
const O_DESIGNATION: usize = 6;
const O_DESCRIPTION: usize = 7;
const O_DELIVERED: usize = 8;
const O_DELIVERED_MARK: usize = 9;
const O_YEARS: usize = 10;
const O_STATUS: usize = 11;
const O_COMMENTS: usize = 12;
const O_TIV_UNIT: usize = 13;
const O_TIV_ORDER: usize = 14;
const O_TIV_DELIVERED: usize = 15;

const STATUSES: [&str; 3] = ["New", "Second hand", "Second hand but modernized"];

const TABLE_NAME: &str = "sipri_countries.tsv";
const TABLE_TEXT: &str = include_str!("sipri_countries.tsv");

// Columns, by position in `COLUMNS`.
const ID: usize = 0;
const SUPPLIER: usize = 1;
const RECIPIENT: usize = 2;
const DESIGNATION: usize = 3;
const DESCRIPTION: usize = 4;
const CATEGORY: usize = 5;
const ORDER: usize = 6;
const ORDER_EST: usize = 7;
const NUMBER: usize = 8;
const NUMBER_EST: usize = 9;
const YEAR: usize = 10;
const YEAR_EST: usize = 11;
const STATUS: usize = 12;
const TIV_NEW: usize = 13;
const TIV_UNIT: usize = 14;
const TIV_DELIVERED: usize = 15;
const LOCAL: usize = 16;

const COLUMNS: [&str; 17] = [
    HEADER_START,
    "Supplier",
    "Recipient",
    "Designation",
    "Description",
    "Armament category",
    "Order date",
    "Order date is estimate",
    "Numbers delivered",
    "Numbers delivered is estimate",
    "Delivery year",
    "Delivery year is estimate",
    "Status",
    "SIPRI estimate",
    "TIV deal unit",
    "TIV delivery values",
    "Local production",
];

#[derive(Clone, Copy)]
enum Kind {
    State(&'static str),
    NonState,
    Unknown,
}

struct Table {
    /// Name → kind, and the names in file order.
    by_name: HashMap<&'static str, Kind>,
    order: Vec<&'static str>,
    problems: Vec<Problem>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| load_table(TABLE_NAME, TABLE_TEXT))
}

fn load_table(file: &str, text: &'static str) -> Table {
    let mut t = Table {
        by_name: HashMap::new(),
        order: Vec::new(),
        problems: Vec::new(),
    };
    for (i, line) in text.lines().enumerate() {
        let at = format!("{file}:{}", i + 1);
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, kind, code] = fields[..] else {
            t.problems.push(Problem::new(
                at,
                format!("expected 3 TAB-separated fields, found {}", fields.len()),
            ));
            continue;
        };
        let kind = match (kind, code) {
            ("state", c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => {
                Kind::State(c)
            }
            ("state", c) => {
                t.problems.push(Problem::new(
                    at,
                    format!("a state needs a three-letter upper-case code, found \"{c}\""),
                ));
                continue;
            }
            ("non-state", "") => Kind::NonState,
            ("unknown", "") => Kind::Unknown,
            ("non-state" | "unknown", c) => {
                t.problems.push(Problem::new(
                    at,
                    format!("only states have a code, found \"{c}\""),
                ));
                continue;
            }
            (k, _) => {
                t.problems.push(Problem::new(
                    at,
                    format!("unknown kind \"{k}\" (expected state, non-state or unknown)"),
                ));
                continue;
            }
        };
        if name.is_empty() || name != name.trim() {
            t.problems.push(Problem::new(
                at,
                format!("name \"{name}\" is empty or has surrounding spaces"),
            ));
            continue;
        }
        if t.by_name.insert(name, kind).is_some() {
            t.problems
                .push(Problem::new(at, format!("name \"{name}\" appears twice")));
            continue;
        }
        t.order.push(name);
    }
    t
}

fn to_actor(name: &str, kind: Kind) -> Actor {
    match kind {
        Kind::State(code) => Actor::State {
            code: code.to_string(),
            name: name.to_string(),
        },
        Kind::NonState => Actor::NonState {
            name: name.to_string(),
        },
        Kind::Unknown => Actor::Unknown {
            name: name.to_string(),
        },
    }
}

/// The actor SIPRI means by `name` (exactly as in its Supplier and Recipient columns).
pub fn actor(name: &str) -> Option<Actor> {
    table().by_name.get(name).map(|k| to_actor(name, *k))
}

/// The whole name table, in its file's order.
pub fn actors() -> Vec<Actor> {
    let t = table();
    t.order
        .iter()
        .filter_map(|n| t.by_name.get(n).map(|k| to_actor(n, *k)))
        .collect()
}

/// Parses a SIPRI trade register export. `name` is the file's display name for locations
/// (`trade_register.csv:13`). Every problem found is returned; a register with any problem is
/// refused as a whole.
pub fn parse_register(name: &str, bytes: &[u8]) -> Result<Register, Vec<Problem>> {
    let t = table();
    if !t.problems.is_empty() {
        return Err(t.problems.clone());
    }
    let text = utf8(bytes).map_err(|p| {
        let at = match p.location.strip_prefix("line ") {
            Some(rest) => format!("{name}:{rest}"),
            None => format!("{name}, {}", p.location),
        };
        vec![Problem::new(at, p.message)]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    let (layout, header_line, offset, generated) = find_header(name, text)?;
    let body = &text[offset..];
    if let Some(open) = crate::csv::unterminated_quote(body.as_bytes()) {
        return Err(vec![crate::csv::unterminated_quote_problem(
            name,
            body.as_bytes(),
            header_line,
            open,
        )]);
    }

    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut record = ::csv::StringRecord::new();
    let mut lines = Lines {
        text: body.as_bytes(),
        at: 0,
        line: header_line,
    };

    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            return Err(vec![Problem::new(
                format!("{name}:{header_line}"),
                "the header row is empty",
            )])
        }
        Err(e) => return Err(vec![csv_problem(name, &mut lines, &e)]),
    }
    match layout {
        Layout::Current => {
            let (index, semicolon) = read_header(name, header_line, &record)?;
            read_rows(name, lines, reader, &index, semicolon, generated)
        }
        Layout::Older => {
            read_old_header(name, header_line, &record)?;
            read_old_rows(name, lines, reader, generated)
        }
    }
}

/// Which export a file is.
#[derive(Clone, Copy)]
enum Layout {
    /// Header starting [`HEADER_START`]: one row per deal and delivery year.
    Current,
    /// Header starting [`OLD_HEADER_START`]: one row per deal.
    Older,
}

/// The layout, the header's line number (1-based), its byte offset, and the `Data generated:`
/// note.
fn find_header(
    name: &str,
    text: &str,
) -> Result<(Layout, usize, usize, Option<String>), Vec<Problem>> {
    let mut generated = None;
    let mut offset = 0;
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let unquoted = line.strip_prefix('"').unwrap_or(line);
        if unquoted.starts_with(HEADER_START) {
            return Ok((Layout::Current, i + 1, offset, generated));
        }
        // Its header starts with three names: they may be quoted each.
        if unquoted.starts_with(OLD_HEADER_START)
            || line.replace('"', "").starts_with(OLD_HEADER_START)
        {
            return Ok((Layout::Older, i + 1, offset, generated));
        }
        if let Some(rest) = line.trim().strip_prefix("Data generated:") {
            let rest = rest.trim().trim_end_matches(';').trim_end();
            if !rest.is_empty() {
                generated = Some(rest.to_string());
            }
        }
        offset += raw.len() + 1;
    }
    Err(vec![Problem::new(
        format!("{name}:1"),
        format!(
            "not a SIPRI trade register: no header row starting with \"{HEADER_START}\" \
             (the notes before it are skipped)"
        ),
    )])
}

/// For each of `COLUMNS`, its position in the file; and whether lines end with `;`.
fn read_header(
    name: &str,
    line: usize,
    record: &::csv::StringRecord,
) -> Result<(Vec<usize>, bool), Vec<Problem>> {
    let mut cells: Vec<&str> = record.iter().map(str::trim).collect();
    let mut semicolon = false;
    if let Some(last) = cells.last_mut() {
        if let Some(s) = last.strip_suffix(';') {
            *last = s.trim_end();
            semicolon = true;
        }
    }
    let mut problems = Vec::new();
    let mut index = vec![usize::MAX; COLUMNS.len()];
    for (i, cell) in cells.iter().enumerate() {
        match COLUMNS.iter().position(|c| c == cell) {
            Some(c) if index[c] == usize::MAX => index[c] = i,
            Some(_) => problems.push(Problem::new(
                format!("{name}:{line}, column {}", i + 1),
                format!("column \"{cell}\" appears twice"),
            )),
            None => problems.push(Problem::new(
                format!("{name}:{line}, column {}", i + 1),
                format!("unknown column \"{cell}\""),
            )),
        }
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(&index)
        .filter(|(_, i)| **i == usize::MAX)
        .map(|(c, _)| *c)
        .collect();
    if !missing.is_empty() {
        problems.push(Problem::new(
            format!("{name}:{line}"),
            format!("missing column(s): {}", missing.join(", ")),
        ));
    }
    if problems.is_empty() {
        Ok((index, semicolon))
    } else {
        Err(problems)
    }
}

/// Line numbers from byte offsets. (The csv crate's own line count lags by one after a CRLF
/// line end, whose `\n` it consumes only when reading the next record.)
struct Lines<'a> {
    text: &'a [u8],
    /// A byte offset and the line it is on.
    at: usize,
    line: usize,
}

impl Lines<'_> {
    /// The line of the record starting at byte `start` (line ends before it skipped); offsets
    /// must not decrease.
    fn of(&mut self, start: usize) -> usize {
        let mut b = start.clamp(self.at, self.text.len());
        while b < self.text.len() && matches!(self.text[b], b'\r' | b'\n') {
            b += 1;
        }
        self.line += self.text[self.at..b]
            .iter()
            .filter(|c| **c == b'\n')
            .count();
        self.at = b;
        self.line
    }
}

fn csv_problem(name: &str, lines: &mut Lines, e: &::csv::Error) -> Problem {
    let line = lines.of(e.position().map_or(0, |p| p.byte() as usize));
    Problem::new(format!("{name}:{line}"), format!("unreadable CSV: {e}"))
}

/// A deal being merged: the line that started it and the line of each delivery.
struct Merge {
    line: usize,
    deal: Deal,
    lines: Vec<usize>,
}

fn read_rows(
    name: &str,
    mut lines: Lines,
    mut reader: ::csv::Reader<&[u8]>,
    index: &[usize],
    semicolon: bool,
    generated: Option<String>,
) -> Result<Register, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut deals: BTreeMap<u64, Merge> = BTreeMap::new();
    let mut record = ::csv::StringRecord::new();
    let mut rows = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                problems.push(csv_problem(name, &mut lines, &e));
                continue;
            }
        }
        let line = lines.of(record.position().map_or(0, |p| p.byte() as usize));
        let mut cells: Vec<&str> = record.iter().map(str::trim).collect();
        if semicolon {
            if let Some(last) = cells.last_mut() {
                if let Some(s) = last.strip_suffix(';') {
                    *last = s.trim_end();
                }
            }
        }
        if cells.iter().all(|c| c.is_empty()) {
            continue; // a blank line, or one holding only `;`
        }
        rows += 1;
        if cells.len() != COLUMNS.len() {
            problems.push(Problem::new(
                format!("{name}:{line}"),
                format!("expected {} cells, found {}", COLUMNS.len(), cells.len()),
            ));
            continue;
        }
        let row = Row {
            at: format!("{name}:{line}"),
            cells: index.iter().map(|i| cells[*i]).collect(),
            names: &COLUMNS,
        };
        let Some((id, deal, delivery)) = row.read(&mut problems) else {
            continue;
        };
        match deals.get_mut(&id) {
            None => {
                let mut deal = deal;
                let mut lines = Vec::new();
                if let Some(d) = delivery {
                    deal.deliveries.push(d);
                    lines.push(line);
                }
                deals.insert(id, Merge { line, deal, lines });
            }
            Some(m) => {
                compare(&row.at, id, m.line, &m.deal, &deal, &mut problems);
                if let Some(d) = delivery {
                    if let Some(k) = m.deal.deliveries.iter().position(|x| x.year == d.year) {
                        problems.push(Problem::new(
                            format!("{}, column {}", row.at, COLUMNS[YEAR]),
                            format!(
                                "SIPRI id {id}: a second row for delivery year {} (the first \
                                 is line {})",
                                d.year, m.lines[k]
                            ),
                        ));
                    } else {
                        m.deal.deliveries.push(d);
                        m.lines.push(line);
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let deals = deals
        .into_values()
        .map(|mut m| {
            m.deal.deliveries.sort_by_key(|d| d.year);
            m.deal
        })
        .collect();
    Ok(Register {
        deals,
        generated,
        rows,
    })
}

/// One data row, its cells in `COLUMNS` (or `OLD_COLUMNS`) order.
struct Row<'a> {
    at: String,
    cells: Vec<&'a str>,
    /// How problems name each column.
    names: &'static [&'static str],
}

impl Row<'_> {
    fn problem(&self, problems: &mut Vec<Problem>, col: usize, message: String) {
        problems.push(Problem::new(
            format!("{}, column {}", self.at, self.names[col]),
            message,
        ));
    }

    fn required(&self, problems: &mut Vec<Problem>, col: usize) -> Option<&str> {
        let cell = self.cells[col];
        if cell.is_empty() {
            self.problem(problems, col, "missing (required)".to_string());
            None
        } else {
            Some(cell)
        }
    }

    fn actor(&self, problems: &mut Vec<Problem>, col: usize) -> Option<Actor> {
        let name = self.required(problems, col)?;
        let found = table().by_name.get(name).map(|k| to_actor(name, *k));
        if found.is_none() {
            self.problem(
                problems,
                col,
                format!("unknown name \"{name}\" (not in {TABLE_NAME}; add it there)"),
            );
        }
        found
    }

    /// `Yes` / `No`; empty is `No`.
    fn flag(&self, problems: &mut Vec<Problem>, col: usize) -> Option<bool> {
        match self.cells[col] {
            "Yes" => Some(true),
            "No" | "" => Some(false),
            other => {
                self.problem(
                    problems,
                    col,
                    format!("expected Yes, No or nothing, found \"{other}\""),
                );
                None
            }
        }
    }

    /// A whole number, perhaps marked uncertain with `?` (or, when `parens`, in parentheses):
    /// (value, marked).
    fn whole<T: std::str::FromStr>(
        &self,
        problems: &mut Vec<Problem>,
        col: usize,
        parens: bool,
    ) -> Option<(Option<T>, bool)> {
        let cell = self.cells[col];
        let (digits, marked) = strip_marks(cell, parens);
        if digits.is_empty() {
            return Some((None, marked));
        }
        match digits.parse::<T>() {
            Ok(v) if digits.bytes().all(|b| b.is_ascii_digit()) => Some((Some(v), marked)),
            _ => {
                self.problem(
                    problems,
                    col,
                    format!("expected a whole number, found \"{cell}\""),
                );
                None
            }
        }
    }

    fn year(
        &self,
        problems: &mut Vec<Problem>,
        col: usize,
        parens: bool,
    ) -> Option<(Option<u16>, bool)> {
        let (year, marked) = self.whole::<u16>(problems, col, parens)?;
        match year {
            Some(y) if !(1900..=2100).contains(&y) => {
                self.problem(problems, col, format!("year {y} is outside 1900-2100"));
                None
            }
            _ => Some((year, marked)),
        }
    }

    /// A decimal TIV (`1.2`, `0`) or nothing.
    fn tiv(&self, problems: &mut Vec<Problem>, col: usize) -> Option<Option<f64>> {
        let cell = self.cells[col];
        if cell.is_empty() {
            return Some(None);
        }
        let well_formed = cell.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && cell.bytes().filter(|b| *b == b'.').count() <= 1
            && cell.bytes().any(|b| b.is_ascii_digit());
        match cell.parse::<f64>() {
            Ok(v) if well_formed && v.is_finite() => Some(Some(v)),
            _ => {
                self.problem(
                    problems,
                    col,
                    format!("expected a number such as 1.2 or 0, found \"{cell}\""),
                );
                None
            }
        }
    }

    /// The deal-level fields, and this row's delivery if it has one. `None` after recording
    /// problems.
    fn read(&self, problems: &mut Vec<Problem>) -> Option<(u64, Deal, Option<Delivery>)> {
        let before = problems.len();
        let id = self
            .required(problems, ID)
            .and_then(|c| match c.parse::<u64>() {
                Ok(v) if c.bytes().all(|b| b.is_ascii_digit()) => Some(v),
                _ => {
                    self.problem(
                        problems,
                        ID,
                        format!("expected a whole number, found \"{c}\""),
                    );
                    None
                }
            });
        let supplier = self.actor(problems, SUPPLIER);
        let recipient = self.actor(problems, RECIPIENT);
        let designation = self.required(problems, DESIGNATION);
        let order = self.year(problems, ORDER, false);
        let order_est = self.flag(problems, ORDER_EST);
        let number = self.whole::<u32>(problems, NUMBER, false);
        let number_est = self.flag(problems, NUMBER_EST);
        let year = self.year(problems, YEAR, false);
        let year_est = self.flag(problems, YEAR_EST);
        let tiv_new = self.tiv(problems, TIV_NEW);
        let tiv_unit = self.tiv(problems, TIV_UNIT);
        let tiv_delivered = self.tiv(problems, TIV_DELIVERED);
        let local = self.flag(problems, LOCAL);
        if problems.len() != before {
            return None;
        }
        let (sipri_id, supplier, recipient, designation) =
            (id?, supplier?, recipient?, designation?);
        let ((order_year, order_marked), order_est) = (order?, order_est?);
        let ((number, number_marked), number_est) = (number?, number_est?);
        let ((year, year_marked), year_est) = (year?, year_est?);
        let (tiv_unit_new, tiv_unit, tiv) = (tiv_new?, tiv_unit?, tiv_delivered?);
        let local_production = local?;
        let delivery = match year {
            Some(year) => Some(Delivery {
                year,
                year_estimated: year_est || year_marked,
                number,
                number_estimated: number_est || number_marked,
                tiv,
            }),
            None if number.is_none() && tiv.is_none() => None,
            None => {
                self.problem(
                    problems,
                    YEAR,
                    "a delivery (number or TIV delivered) without a delivery year".to_string(),
                );
                return None;
            }
        };
        let status = self.cells[STATUS];
        let deal = Deal {
            sipri_id: Some(sipri_id),
            supplier,
            recipient,
            designation: designation.to_string(),
            description: self.cells[DESCRIPTION].to_string(),
            category: self.cells[CATEGORY].to_string(),
            order_year,
            order_year_estimated: order_est || order_marked,
            status: (!status.is_empty()).then(|| status.to_string()),
            tiv_unit,
            tiv_unit_new,
            local_production,
            deliveries: Vec::new(),
            number_ordered: None,
            number_ordered_estimated: false,
            comments: None,
            delivered_total: None,
            tiv_delivered_total: None,
            tiv_order_total: None,
        };
        Some((sipri_id, deal, delivery))
    }
}

/// How a deal-level value is shown in a problem.
struct Shown(String);

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn show_text(s: &str) -> Shown {
    Shown(format!("\"{s}\""))
}

fn show_opt<T: fmt::Display>(v: &Option<T>) -> Shown {
    Shown(match v {
        Some(v) => v.to_string(),
        None => "empty".to_string(),
    })
}

fn show_flag(b: bool) -> Shown {
    Shown(if b { "Yes" } else { "No" }.to_string())
}

/// Problems for each deal-level field on which `row` (at `at`) differs from `first` (from line
/// `first_line`).
fn compare(
    at: &str,
    id: u64,
    first_line: usize,
    first: &Deal,
    row: &Deal,
    problems: &mut Vec<Problem>,
) {
    let mut differ = |col: usize, here: Shown, there: Shown| {
        problems.push(Problem::new(
            format!("{at}, column {}", COLUMNS[col]),
            format!(
                "SIPRI id {id}: {here} here but {there} on line {first_line} (rows of one deal \
                 must agree)"
            ),
        ));
    };
    if row.supplier != first.supplier {
        differ(
            SUPPLIER,
            show_text(row.supplier.name()),
            show_text(first.supplier.name()),
        );
    }
    if row.recipient != first.recipient {
        differ(
            RECIPIENT,
            show_text(row.recipient.name()),
            show_text(first.recipient.name()),
        );
    }
    if row.designation != first.designation {
        differ(
            DESIGNATION,
            show_text(&row.designation),
            show_text(&first.designation),
        );
    }
    if row.description != first.description {
        differ(
            DESCRIPTION,
            show_text(&row.description),
            show_text(&first.description),
        );
    }
    if row.category != first.category {
        differ(
            CATEGORY,
            show_text(&row.category),
            show_text(&first.category),
        );
    }
    if row.order_year != first.order_year {
        differ(
            ORDER,
            show_opt(&row.order_year),
            show_opt(&first.order_year),
        );
    }
    if row.order_year_estimated != first.order_year_estimated {
        differ(
            ORDER_EST,
            show_flag(row.order_year_estimated),
            show_flag(first.order_year_estimated),
        );
    }
    if row.status != first.status {
        differ(STATUS, show_opt(&row.status), show_opt(&first.status));
    }
    if row.tiv_unit_new != first.tiv_unit_new {
        differ(
            TIV_NEW,
            show_opt(&row.tiv_unit_new),
            show_opt(&first.tiv_unit_new),
        );
    }
    if row.tiv_unit != first.tiv_unit {
        differ(TIV_UNIT, show_opt(&row.tiv_unit), show_opt(&first.tiv_unit));
    }
    if row.local_production != first.local_production {
        differ(
            LOCAL,
            show_flag(row.local_production),
            show_flag(first.local_production),
        );
    }
}

/// The older layout's header must hold [`OLD_COLUMNS`] in order (names compared ignoring ASCII
/// case); it is read by position, as its unnamed columns cannot be told apart by name.
fn read_old_header(
    name: &str,
    line: usize,
    record: &::csv::StringRecord,
) -> Result<(), Vec<Problem>> {
    let mut cells: Vec<&str> = record.iter().map(str::trim).collect();
    if let Some(last) = cells.last_mut() {
        *last = last.strip_suffix(';').unwrap_or(last).trim_end();
    }
    if cells.len() != OLD_COLUMNS.len() {
        return Err(vec![Problem::new(
            format!("{name}:{line}"),
            format!(
                "SIPRI's older layout has {} columns ({}), found {}",
                OLD_COLUMNS.len(),
                OLD_COLUMNS
                    .iter()
                    .map(|c| if c.is_empty() { "?" } else { c })
                    .collect::<Vec<_>>()
                    .join(", "),
                cells.len()
            ),
        )]);
    }
    let problems: Vec<Problem> = cells
        .iter()
        .zip(OLD_COLUMNS)
        .enumerate()
        .filter(|(_, (cell, want))| !cell.eq_ignore_ascii_case(want))
        .map(|(i, (cell, want))| {
            let expected = if want.is_empty() {
                "an unnamed column (SIPRI's uncertainty mark)".to_string()
            } else {
                format!("\"{want}\"")
            };
            Problem::new(
                format!("{name}:{line}, column {}", i + 1),
                format!("expected {expected}, found \"{cell}\""),
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The older layout's rows, one deal each, in file order. A `;` ending a line is dropped
/// whether or not the header has one (the last column is a number).
fn read_old_rows(
    name: &str,
    mut lines: Lines,
    mut reader: ::csv::Reader<&[u8]>,
    generated: Option<String>,
) -> Result<Register, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut deals = Vec::new();
    let mut record = ::csv::StringRecord::new();
    let mut rows = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                problems.push(csv_problem(name, &mut lines, &e));
                continue;
            }
        }
        let line = lines.of(record.position().map_or(0, |p| p.byte() as usize));
        let mut cells: Vec<&str> = record.iter().map(str::trim).collect();
        if let Some(last) = cells.last_mut() {
            *last = last.strip_suffix(';').unwrap_or(last).trim_end();
        }
        if cells.iter().all(|c| c.is_empty()) {
            continue; // a blank line, or one holding only `;`
        }
        rows += 1;
        if cells.len() != OLD_COLUMNS.len() {
            problems.push(Problem::new(
                format!("{name}:{line}"),
                format!(
                    "expected {} cells, found {}",
                    OLD_COLUMNS.len(),
                    cells.len()
                ),
            ));
            continue;
        }
        let row = Row {
            at: format!("{name}:{line}"),
            cells,
            names: &OLD_LABELS,
        };
        if let Some(deal) = row.read_old(&mut problems) {
            deals.push(deal);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Register {
        deals,
        generated,
        rows,
    })
}

impl Row<'_> {
    /// An uncertainty-mark column: `?` or nothing.
    fn mark(&self, problems: &mut Vec<Problem>, col: usize) -> Option<bool> {
        match self.cells[col] {
            "" => Some(false),
            "?" => Some(true),
            other => {
                self.problem(
                    problems,
                    col,
                    format!("expected ? (uncertain) or nothing, found \"{other}\""),
                );
                None
            }
        }
    }

    /// `New`, `Second hand`, `Second hand but modernized` (any ASCII case) or nothing.
    fn status(&self, problems: &mut Vec<Problem>, col: usize) -> Option<Option<String>> {
        let cell = self.cells[col];
        if cell.is_empty() {
            return Some(None);
        }
        match STATUSES.iter().find(|s| s.eq_ignore_ascii_case(cell)) {
            Some(s) => Some(Some(s.to_string())),
            None => {
                self.problem(
                    problems,
                    col,
                    format!(
                        "expected {}, {}, {} or nothing, found \"{cell}\"",
                        STATUSES[0], STATUSES[1], STATUSES[2]
                    ),
                );
                None
            }
        }
    }

    /// `Year(s) of delivery`: see [`delivery_years`].
    fn years(&self, problems: &mut Vec<Problem>, col: usize) -> Option<Vec<(u16, bool)>> {
        match delivery_years(self.cells[col]) {
            Ok(years) => Some(years),
            Err(message) => {
                self.problem(problems, col, message);
                None
            }
        }
    }

    /// One row of the older layout. `None` after recording problems.
    fn read_old(&self, problems: &mut Vec<Problem>) -> Option<Deal> {
        let before = problems.len();
        let recipient = self.actor(problems, O_RECIPIENT);
        let supplier = self.actor(problems, O_SUPPLIER);
        let order = self.year(problems, O_ORDER, true);
        let order_mark = self.mark(problems, O_ORDER_MARK);
        let number = self.whole::<u32>(problems, O_NUMBER, true);
        let number_mark = self.mark(problems, O_NUMBER_MARK);
        let designation = self.required(problems, O_DESIGNATION);
        let delivered = self.whole::<u32>(problems, O_DELIVERED, true);
        let delivered_mark = self.mark(problems, O_DELIVERED_MARK);
        let years = self.years(problems, O_YEARS);
        let status = self.status(problems, O_STATUS);
        let tiv_unit_new = self.tiv(problems, O_TIV_UNIT);
        let tiv_order = self.tiv(problems, O_TIV_ORDER);
        let tiv_delivered = self.tiv(problems, O_TIV_DELIVERED);
        if problems.len() != before {
            return None;
        }
        let (recipient, supplier, designation) = (recipient?, supplier?, designation?);
        let ((order_year, order_marked), order_mark) = (order?, order_mark?);
        let ((number_ordered, number_marked), number_mark) = (number?, number_mark?);
        let ((delivered, delivered_marked), delivered_mark) = (delivered?, delivered_mark?);
        let (years, status) = (years?, status?);
        let (tiv_unit_new, tiv_order_total, tiv_delivered) =
            (tiv_unit_new?, tiv_order?, tiv_delivered?);
        let delivered_estimated = delivered_marked || delivered_mark;

        let (deliveries, delivered_total, tiv_delivered_total) = match years[..] {
            [] => {
                if delivered.is_some_and(|n| n > 0) || tiv_delivered.is_some_and(|t| t > 0.0) {
                    self.problem(
                        problems,
                        O_YEARS,
                        "items or TIV delivered (Number delivered, SIPRI TIV of delivered \
                         weapons) without a delivery year"
                            .to_string(),
                    );
                    return None;
                }
                (
                    Vec::new(),
                    delivered.map(|n| (n, delivered_estimated)),
                    tiv_delivered,
                )
            }
            // One year: the split by year is known.
            [(year, year_estimated)] => (
                vec![Delivery {
                    year,
                    year_estimated,
                    number: delivered,
                    number_estimated: delivered_estimated,
                    tiv: tiv_delivered,
                }],
                None,
                None,
            ),
            _ => (
                years
                    .iter()
                    .map(|&(year, year_estimated)| Delivery {
                        year,
                        year_estimated,
                        number: None,
                        number_estimated: false,
                        tiv: None,
                    })
                    .collect(),
                delivered.map(|n| (n, delivered_estimated)),
                tiv_delivered,
            ),
        };
        let comments = self.cells[O_COMMENTS];
        Some(Deal {
            sipri_id: None,
            supplier,
            recipient,
            designation: designation.to_string(),
            description: self.cells[O_DESCRIPTION].to_string(),
            category: String::new(),
            order_year,
            order_year_estimated: order_marked || order_mark,
            number_ordered,
            number_ordered_estimated: number_marked || number_mark,
            status,
            tiv_unit: None,
            tiv_unit_new,
            local_production: false,
            deliveries,
            comments: (!comments.is_empty()).then(|| comments.to_string()),
            delivered_total,
            tiv_delivered_total,
            tiv_order_total,
        })
    }
}

/// `cell` without SIPRI's uncertainty marks, and whether it had any: `?` before or after it
/// and, when `parens`, one pair of parentheses around it (`(2025)`, `(2025)?`).
fn strip_marks(cell: &str, parens: bool) -> (&str, bool) {
    let mut s = cell.trim_matches('?').trim();
    if parens {
        if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            s = inner.trim().trim_matches('?').trim();
        }
    }
    (s, s.len() != cell.len())
}

/// The years of the older layout's `Year(s) of delivery`, sorted, each with whether it is an
/// estimate: nothing; a year (`2010`); a range (`2010-2012`, every year from the first to the
/// last); or several of these separated by `;` or `,` (`2010; 2012-2013`, a quoted cell in the
/// file). A year, a range or either end of a range may be marked uncertain with `?` or
/// parentheses (`(2013)`, `2010-2012?`); a mark on one end of a range marks that year only,
/// one on the whole range every year in it. Years are within 1900-2100 and listed once.
fn delivery_years(cell: &str) -> Result<Vec<(u16, bool)>, String> {
    let mut years: Vec<(u16, bool)> = Vec::new();
    if cell.trim().is_empty() {
        return Ok(years);
    }
    let bad = |part: &str| {
        format!(
            "\"{part}\" is not a year or a range of years (expected e.g. 2010, 2010-2012 or \
             \"2010; 2012-2013\"), in \"{cell}\""
        )
    };
    let year = |text: &str, part: &str| -> Result<(u16, bool), String> {
        let (digits, marked) = strip_marks(text.trim(), true);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(part));
        }
        match digits.parse::<u16>() {
            Ok(y) if (1900..=2100).contains(&y) => Ok((y, marked)),
            _ => Err(format!("year {digits} is outside 1900-2100, in \"{cell}\"")),
        }
    };
    for part in cell.split([';', ',']).map(str::trim) {
        let (inner, whole_marked) = strip_marks(part, true);
        let ends: Vec<&str> = inner.split('-').collect();
        match ends[..] {
            [one] => {
                let (y, marked) = year(one, part)?;
                years.push((y, whole_marked || marked));
            }
            [first, last] => {
                let (a, a_marked) = year(first, part)?;
                let (b, b_marked) = year(last, part)?;
                if a > b {
                    return Err(format!("the range {a}-{b} runs backwards, in \"{cell}\""));
                }
                for y in a..=b {
                    let marked = (y == a && a_marked) || (y == b && b_marked);
                    years.push((y, whole_marked || marked));
                }
            }
            _ => return Err(bad(part)),
        }
    }
    years.sort_by_key(|(y, _)| *y);
    if let Some(w) = years.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(format!("year {} is listed twice, in \"{cell}\"", w[0].0));
    }
    Ok(years)
}

/// Where SIPRI-derived records say they come from.
pub const SOURCE_URL: &str = "https://www.sipri.org/databases/armstransfers";

/// What [`to_dataset`] made of a register, for the import summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: usize,
    pub deals: usize,
    /// Distinct suppliers and recipients, by kind.
    pub states: usize,
    pub non_state: usize,
    pub unknown: usize,
    /// Deals whose supplier or recipient is not a state.
    pub deals_with_non_state_party: usize,
    /// Nations created (states not yet in the registry).
    pub nations_created: usize,
    pub systems: usize,
    /// Deals left without a system: every supplier of their designation is non-state or unknown.
    pub deals_without_system: usize,
    pub generated: Option<String>,
}

/// Registry records derived from a SIPRI trade register: nations, systems with their operators,
/// and one [`Transfer`] per deal.
///
/// - **Nations**: every state that supplies or receives, with SIPRI's name, except those in
///   `known_nations` (the registry's own names win).
/// - **Systems**: one per designation (SIPRI's text without its trailing ` -`), id
///   `sipri-<slug>` (`sipri-deal-<transfer id without "sipri-">` when the designation has no
///   ASCII letter or digit), category the armament category. Its **origin** is the supplier of
///   its earliest deal (by order year, then SIPRI id, deals without an id last in register
///   order) among deals of new weapons from states, else among all deals from states; a
///   designation only ever supplied by non-state or unknown actors gets no system (its deals
///   keep `system` empty). Its **operators** are the state recipients that received at least
///   one delivery, with the sum of the numbers delivered (no quantity when SIPRI gives no
///   number); for an older-layout deal the number is its total delivered, or its one
///   delivery's number.
/// - **Transfers**: id `sipri-<SIPRI id>`; for an older-layout deal (no id) `sipri-old-<h>`,
///   `<h>` the top 48 bits, as 12 lower-case hex digits, of FNV-1a 64 over the UTF-8 of
///   `recipient|supplier|year of order|designation|number ordered|description` (SIPRI's names and
///   text; a missing year or number empty), with `-2`, `-3`, ... for the second, third, ... deal
///   with the same `<h>` in file order. Parties are nation codes for states, else SIPRI's
///   name with kind `non-state` or `unknown`. Category `unspecified` when SIPRI gives none (the
///   older layout). The older layout's number ordered and totals delivered map to
///   `number_ordered`, `delivered` and `tiv_delivered`; its comments and TIV for the total order
///   are not carried (no such fields).
///
/// Every record cites SIPRI. The result is deterministic, so re-importing the same file changes
/// nothing.
pub fn to_dataset(register: &Register, known_nations: &HashSet<String>) -> (Dataset, Summary) {
    let source = Source {
        title: match &register.generated {
            Some(g) => {
                format!("SIPRI Arms Transfers Database, trade register (data generated {g})")
            }
            None => "SIPRI Arms Transfers Database, trade register".to_string(),
        },
        url: Some(SOURCE_URL.to_string()),
    };
    let sources = vec![source];
    let mut summary = Summary {
        rows: register.rows,
        deals: register.deals.len(),
        generated: register.generated.clone(),
        ..Summary::default()
    };

    let mut actors: BTreeMap<&Actor, ()> = BTreeMap::new();
    for d in &register.deals {
        actors.insert(&d.supplier, ());
        actors.insert(&d.recipient, ());
        if d.supplier.code().is_none() || d.recipient.code().is_none() {
            summary.deals_with_non_state_party += 1;
        }
    }
    let mut nations: BTreeMap<&str, &str> = BTreeMap::new();
    for a in actors.keys() {
        match a {
            Actor::State { code, name } => {
                summary.states += 1;
                nations.entry(code).or_insert(name);
            }
            Actor::NonState { .. } => summary.non_state += 1,
            Actor::Unknown { .. } => summary.unknown += 1,
        }
    }
    let mut data = Dataset::default();
    for (code, name) in nations {
        if known_nations.contains(code) {
            continue;
        }
        data.nations.push(Nation {
            code: code.to_string(),
            name: name.to_string(),
            label: None,
            sources: sources.clone(),
            illustrative: false,
        });
    }
    summary.nations_created = data.nations.len();

    let ids = transfer_ids(&register.deals);
    // Deals (with their index) by system id (BTreeMap: deterministic order).
    let mut by_system: BTreeMap<String, Vec<(usize, &Deal)>> = BTreeMap::new();
    for (i, d) in register.deals.iter().enumerate() {
        by_system
            .entry(system_id(d, &ids[i]))
            .or_default()
            .push((i, d));
    }
    let mut system_of: HashMap<usize, String> = HashMap::new();
    for (id, deals) in &by_system {
        let earliest = |new_only: bool| {
            deals
                .iter()
                .filter(|(_, d)| d.supplier.code().is_some())
                .filter(|(_, d)| !new_only || d.status.as_deref() == Some("New"))
                .min_by_key(|(i, d)| {
                    (
                        d.order_year.unwrap_or(u16::MAX),
                        d.sipri_id.unwrap_or(u64::MAX),
                        *i,
                    )
                })
                .map(|(_, d)| *d)
        };
        let Some(first) = earliest(true).or_else(|| earliest(false)) else {
            summary.deals_without_system += deals.len();
            continue;
        };
        let Some(origin) = first.supplier.code() else {
            continue;
        };
        let mut operators: BTreeMap<&str, Option<u32>> = BTreeMap::new();
        for (_, d) in deals {
            let Some(code) = d.recipient.code() else {
                continue;
            };
            if d.deliveries.is_empty() {
                continue;
            }
            // The numbers of each year, or the older layout's total.
            let delivered: Option<u32> = d
                .deliveries
                .iter()
                .filter_map(|x| x.number)
                .chain(d.delivered_total.map(|(n, _)| n))
                .fold(None, |acc, n| Some(acc.unwrap_or(0).saturating_add(n)));
            let entry = operators.entry(code).or_insert(None);
            if let Some(n) = delivered {
                *entry = Some(entry.unwrap_or(0).saturating_add(n));
            }
        }
        data.systems.push(System {
            id: id.clone(),
            name: clean_designation(&first.designation).to_string(),
            category: category(&first.category),
            producer: None,
            origin: origin.to_string(),
            operators: operators
                .into_iter()
                .map(|(nation, quantity)| Operator {
                    nation: nation.to_string(),
                    quantity,
                })
                .collect(),
            label: None,
            sources: sources.clone(),
            illustrative: false,
        });
        for (i, _) in deals {
            system_of.insert(*i, id.clone());
        }
    }
    summary.systems = data.systems.len();

    let party = |a: &Actor| match a {
        Actor::State { code, .. } => (code.clone(), PartyKind::State),
        Actor::NonState { name } => (name.clone(), PartyKind::NonState),
        Actor::Unknown { name } => (name.clone(), PartyKind::Unknown),
    };
    for ((i, d), id) in register.deals.iter().enumerate().zip(ids) {
        let (supplier, supplier_kind) = party(&d.supplier);
        let (recipient, recipient_kind) = party(&d.recipient);
        data.transfers.push(Transfer {
            id,
            sipri_id: d.sipri_id,
            supplier,
            supplier_kind,
            recipient,
            recipient_kind,
            system: system_of.get(&i).cloned(),
            designation: clean_designation(&d.designation).to_string(),
            description: Some(d.description.trim().to_string()).filter(|s| !s.is_empty()),
            category: category(&d.category),
            ordered: d.order_year,
            ordered_estimated: d.order_year_estimated,
            status: d.status.clone(),
            tiv_unit: d.tiv_unit_new.map(Tiv),
            tiv_deal_unit: d.tiv_unit.map(Tiv),
            local_production: d.local_production,
            number_ordered: d.number_ordered,
            number_ordered_estimated: d.number_ordered_estimated,
            delivered: d.delivered_total.map(|(n, _)| n),
            delivered_estimated: d.delivered_total.is_some_and(|(_, e)| e),
            tiv_delivered: d.tiv_delivered_total.map(Tiv),
            deliveries: d
                .deliveries
                .iter()
                .map(|x| crate::model::Delivery {
                    year: x.year,
                    year_estimated: x.year_estimated,
                    number: x.number,
                    number_estimated: x.number_estimated,
                    tiv: x.tiv.map(Tiv),
                })
                .collect(),
            label: None,
            sources: sources.clone(),
            illustrative: false,
        });
    }
    data.normalize();
    (data, summary)
}

/// SIPRI's designation without the trailing ` -` many carry (`K-2 -` → `K-2`).
fn clean_designation(s: &str) -> &str {
    let t = s.trim();
    t.strip_suffix(" -").map(str::trim_end).unwrap_or(t)
}

/// The transfer id of each deal: `sipri-<SIPRI id>`, or for a deal of the older layout
/// `sipri-old-<h>` where `<h>` is [`old_key_hash`] (12 lower-case hex digits), with `-2`, `-3`, ...
/// for the second, third, ... deal with the same `<h>` in register order.
fn transfer_ids(deals: &[Deal]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    deals
        .iter()
        .map(|d| match d.sipri_id {
            Some(id) => format!("sipri-{id}"),
            None => {
                let base = format!("sipri-old-{:012x}", old_key_hash(d));
                let n = seen.entry(base.clone()).or_insert(0);
                *n += 1;
                if *n == 1 {
                    base
                } else {
                    format!("{base}-{n}")
                }
            }
        })
        .collect()
}

/// The top 48 bits of [`fnv1a64`] over `recipient|supplier|year of order|designation|number
/// ordered|description` (SIPRI's names and text as read, trimmed; a missing year or number
/// empty). Stable across builds and Rust versions.
fn old_key_hash(d: &Deal) -> u64 {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let key = format!(
        "{}|{}|{}|{}|{}|{}",
        d.recipient.name(),
        d.supplier.name(),
        opt(d.order_year.map(|y| y.to_string())),
        d.designation,
        opt(d.number_ordered.map(|n| n.to_string())),
        d.description,
    );
    fnv1a64(key.as_bytes()) >> 16
}

/// FNV-1a, 64 bits.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A category code: SIPRI's armament category in kebab case, `unspecified` when there is none
/// (the older layout has no such column).
fn category(s: &str) -> String {
    let code = kebab_case(s);
    if code.is_empty() {
        "unspecified".to_string()
    } else {
        code
    }
}

/// `sipri-<slug>` of a deal's designation; `sipri-deal-<transfer id without "sipri-">` when
/// nothing of it is ASCII (`sipri-deal-123`, `sipri-deal-old-<h>`).
fn system_id(d: &Deal, transfer_id: &str) -> String {
    let slug = kebab_case(clean_designation(&d.designation));
    if slug.is_empty() {
        let rest = transfer_id.strip_prefix("sipri-").unwrap_or(transfer_id);
        return format!("sipri-deal-{rest}");
    }
    // Ids are at most 100 characters; cut the slug at a character boundary (it is ASCII).
    let slug = &slug[..slug.len().min(90)];
    format!("sipri-{}", slug.trim_end_matches('-'))
}

/// Lower-case ASCII letters and digits, anything else one `-`; no leading or trailing `-`.
/// How SIPRI's armament categories become transfer and system categories (`Armoured
/// vehicles` → `armoured-vehicles`).
pub fn kebab_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTES: &str = "Transfers of major conventional arms from All countries  to All countries . Deals with deliveries made for the year range '1995' to '2025';\r\n\
        A '?' in a column indicates uncertain data.;\r\n\
        A '0' for 'SIPRI TIV of delivered weapons' indicates ...\r\n\
        ;\r\n\
        Data generated: 12 Feb 2026 12:26:12 PM;\r\n";
    const HEADER: &str = "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production;\r\n";
    /// The line of the first data row in `file(..)`.
    const FIRST: usize = 7;

    const K9_2023: &str = "65687,South Korea,Poland,K-9 155mm -,self-propelled gun,Artillery,2022,No,48,No,2023,No,New,4.34,4.34,208.32,Yes";
    const K9_2022: &str = "65687,South Korea,Poland,K-9 155mm -,self-propelled gun,Artillery,2022,No,24,No,2022,No,New,4.34,4.34,104.16,Yes";
    const PUCARA: &str = "32179,Argentina,Uruguay,Pucara,ground-attack aircraft,Aircraft,2000,No,1,No,2000,No,Second hand,5,2,2,No";

    /// Notes, header and `rows`, each line ending in `;` and CRLF as SIPRI writes them.
    fn file(rows: &[&str]) -> String {
        let mut s = format!("{NOTES}{HEADER}");
        for r in rows {
            s.push_str(r);
            s.push_str(";\r\n");
        }
        s
    }

    fn parse(text: &str) -> Result<Register, Vec<Problem>> {
        parse_register("t.csv", text.as_bytes())
    }

    fn ok(text: &str) -> Register {
        match parse(text) {
            Ok(r) => r,
            Err(ps) => panic!("unexpected problems: {ps:#?}"),
        }
    }

    /// The problems, as `location: message` strings.
    fn problems(text: &str) -> Vec<String> {
        match parse(text) {
            Ok(r) => panic!("expected problems, parsed {} deals", r.deals.len()),
            Err(ps) => ps.iter().map(ToString::to_string).collect(),
        }
    }

    fn state(code: &str, name: &str) -> Actor {
        Actor::State {
            code: code.to_string(),
            name: name.to_string(),
        }
    }

    #[test]
    fn reads_notes_header_and_a_row() {
        let r = ok(&file(&[PUCARA]));
        assert_eq!(r.generated.as_deref(), Some("12 Feb 2026 12:26:12 PM"));
        assert_eq!(r.rows, 1);
        assert_eq!(
            r.deals,
            vec![Deal {
                sipri_id: Some(32179),
                supplier: state("ARG", "Argentina"),
                recipient: state("URY", "Uruguay"),
                designation: "Pucara".to_string(),
                description: "ground-attack aircraft".to_string(),
                category: "Aircraft".to_string(),
                order_year: Some(2000),
                order_year_estimated: false,
                status: Some("Second hand".to_string()),
                tiv_unit: Some(2.0),
                tiv_unit_new: Some(5.0),
                local_production: false,
                deliveries: vec![Delivery {
                    year: 2000,
                    year_estimated: false,
                    number: Some(1),
                    number_estimated: false,
                    tiv: Some(2.0),
                }],
                number_ordered: None,
                number_ordered_estimated: false,
                comments: None,
                delivered_total: None,
                tiv_delivered_total: None,
                tiv_order_total: None,
            }]
        );
    }

    #[test]
    fn lf_and_no_trailing_semicolon_read_the_same() {
        let crlf = ok(&file(&[K9_2022, PUCARA]));
        let lf = ok(&file(&[K9_2022, PUCARA]).replace("\r\n", "\n"));
        assert_eq!(crlf, lf);
        let plain = ok(&file(&[K9_2022, PUCARA]).replace(";\r\n", "\r\n"));
        assert_eq!(crlf.deals, plain.deals);
        // No final line end.
        let cut = ok(file(&[K9_2022, PUCARA]).trim_end());
        assert_eq!(crlf, cut);
        // A byte-order mark.
        let bom = ok(&format!("\u{feff}{}", file(&[PUCARA])));
        assert_eq!(bom.deals.len(), 1);
    }

    #[test]
    fn blank_lines_and_lone_semicolons_are_skipped() {
        let text = format!("{};\r\n\r\n{K9_2022};\r\n;\r\n", file(&[PUCARA]));
        let r = ok(&text);
        assert_eq!(r.rows, 2);
        assert_eq!(r.deals.len(), 2);
    }

    #[test]
    fn quoted_cells_may_hold_commas_semicolons_and_line_ends() {
        let row = "1,France,India,\"Foo, Mk 2;\r\nbar;\",\"gun, towed\",Artillery,2000,No,1,No,2001,No,New,1,1,1,\"No\"";
        let text = file(&[row, PUCARA]);
        let r = ok(&text);
        assert_eq!(r.deals[0].designation, "Foo, Mk 2;\r\nbar;");
        assert_eq!(r.deals[0].description, "gun, towed");
        // The next row's line number still counts the line inside the quotes.
        let bad = file(&[row, &PUCARA.replace("Uruguay", "Atlantis")]);
        assert_eq!(
            problems(&bad),
            vec![format!(
                "t.csv:{}, column Recipient: unknown name \"Atlantis\" (not in sipri_countries.tsv; add it there)",
                FIRST + 2
            )]
        );
    }

    #[test]
    fn empty_estimate_cells_are_not_estimated() {
        let row = "62014,South Korea,Poland,K-239 Chunmoo,multiple rocket launcher,Artillery,2022,,36,,2024,,New,1.1,1.1,39.6,Yes";
        let d = &ok(&file(&[row])).deals[0];
        assert!(!d.order_year_estimated);
        assert_eq!(
            d.deliveries,
            vec![Delivery {
                year: 2024,
                year_estimated: false,
                number: Some(36),
                number_estimated: false,
                tiv: Some(39.6),
            }]
        );
        let yes = row.replace(",2022,,36,,2024,,", ",2022,Yes,36,Yes,2024,Yes,");
        let d = &ok(&file(&[&yes])).deals[0];
        assert!(d.order_year_estimated);
        assert!(d.deliveries[0].year_estimated && d.deliveries[0].number_estimated);
    }

    #[test]
    fn question_marks_mark_estimates() {
        let row = "62014,South Korea,Poland,K-239 Chunmoo,multiple rocket launcher,Artillery,2022?,No,?36,No,2024?,No,New,1.1,1.1,39.6,Yes";
        let d = &ok(&file(&[row])).deals[0];
        assert_eq!((d.order_year, d.order_year_estimated), (Some(2022), true));
        let v = &d.deliveries[0];
        assert_eq!((v.year, v.year_estimated), (2024, true));
        assert_eq!((v.number, v.number_estimated), (Some(36), true));
        // A lone `?`: unknown and uncertain.
        let row = row.replace("?36", "?");
        let v = &ok(&file(&[&row])).deals[0].deliveries[0];
        assert_eq!((v.number, v.number_estimated), (None, true));
    }

    #[test]
    fn numbers_decimal_zero_and_empty() {
        let row = "7,Russia,India,X,y,Missiles,2001,No,,No,2002,No,New,1.25,0,,No";
        let d = &ok(&file(&[row])).deals[0];
        assert_eq!(d.tiv_unit_new, Some(1.25));
        assert_eq!(d.tiv_unit, Some(0.0));
        assert_eq!(d.deliveries[0].number, None);
        assert_eq!(d.deliveries[0].tiv, None);
        // Empty status and order year.
        let row = "7,Russia,India,X,y,Missiles,,,3,No,2002,No,,,,0.3,No";
        let d = &ok(&file(&[row])).deals[0];
        assert_eq!(
            (d.order_year, d.status.as_deref(), d.tiv_unit),
            (None, None, None)
        );
    }

    #[test]
    fn a_row_without_any_delivery_adds_none() {
        let row = "8,Russia,India,X,y,Missiles,2024,No,,,,,New,1,1,,No";
        let r = ok(&file(&[row]));
        assert!(r.deals[0].deliveries.is_empty());
        let row = "8,Russia,India,X,y,Missiles,2024,No,4,,,,New,1,1,4,No";
        assert_eq!(
            problems(&file(&[row])),
            vec![format!(
                "t.csv:{FIRST}, column Delivery year: a delivery (number or TIV delivered) without a delivery year"
            )]
        );
    }

    #[test]
    fn rows_of_one_id_merge_sorted_by_year() {
        let r = ok(&file(&[K9_2023, PUCARA, K9_2022]));
        assert_eq!(r.rows, 3);
        assert_eq!(
            r.deals.iter().map(|d| d.sipri_id).collect::<Vec<_>>(),
            vec![Some(32179), Some(65687)]
        );
        let k9 = &r.deals[1];
        assert_eq!(
            k9.deliveries
                .iter()
                .map(|d| (d.year, d.number, d.tiv))
                .collect::<Vec<_>>(),
            vec![
                (2022, Some(24), Some(104.16)),
                (2023, Some(48), Some(208.32))
            ]
        );
        assert!(k9.local_production);
    }

    #[test]
    fn rows_of_one_id_that_disagree_are_problems_naming_both_lines() {
        let other = K9_2023
            .replace(",New,", ",Second hand,")
            .replace(",Poland,", ",Norway,");
        assert_eq!(
            problems(&file(&[K9_2022, PUCARA, &other])),
            vec![
                format!(
                    "t.csv:{}, column Recipient: SIPRI id 65687: \"Norway\" here but \"Poland\" on line {FIRST} (rows of one deal must agree)",
                    FIRST + 2
                ),
                format!(
                    "t.csv:{}, column Status: SIPRI id 65687: Second hand here but New on line {FIRST} (rows of one deal must agree)",
                    FIRST + 2
                ),
            ]
        );
    }

    #[test]
    fn a_repeated_delivery_year_is_a_problem() {
        assert_eq!(
            problems(&file(&[K9_2022, K9_2022])),
            vec![format!(
                "t.csv:{}, column Delivery year: SIPRI id 65687: a second row for delivery year 2022 (the first is line {FIRST})",
                FIRST + 1
            )]
        );
    }

    #[test]
    fn unknown_names_are_problems_never_dropped() {
        let row = PUCARA
            .replace("Argentina", "Ruritania")
            .replace("Uruguay", "Atlantis");
        assert_eq!(
            problems(&file(&[PUCARA, &row])),
            vec![
                format!("t.csv:{}, column Supplier: unknown name \"Ruritania\" (not in sipri_countries.tsv; add it there)", FIRST + 1),
                format!("t.csv:{}, column Recipient: unknown name \"Atlantis\" (not in sipri_countries.tsv; add it there)", FIRST + 1),
            ]
        );
    }

    #[test]
    fn missing_required_fields_are_problems() {
        let row = ",,,,y,Missiles,2001,No,1,No,2002,No,New,1,1,1,No";
        assert_eq!(
            problems(&file(&[row])),
            vec![
                format!("t.csv:{FIRST}, column SIPRI AT Database ID: missing (required)"),
                format!("t.csv:{FIRST}, column Supplier: missing (required)"),
                format!("t.csv:{FIRST}, column Recipient: missing (required)"),
                format!("t.csv:{FIRST}, column Designation: missing (required)"),
            ]
        );
    }

    #[test]
    fn malformed_cells_are_problems() {
        let row = "12a,Russia,India,X,y,Missiles,1850,Maybe,-3,No,20x2,No,New,1.2.3,1e3,inf,Si";
        assert_eq!(
            problems(&file(&[row])),
            vec![
                format!("t.csv:{FIRST}, column SIPRI AT Database ID: expected a whole number, found \"12a\""),
                format!("t.csv:{FIRST}, column Order date: year 1850 is outside 1900-2100"),
                format!("t.csv:{FIRST}, column Order date is estimate: expected Yes, No or nothing, found \"Maybe\""),
                format!("t.csv:{FIRST}, column Numbers delivered: expected a whole number, found \"-3\""),
                format!("t.csv:{FIRST}, column Delivery year: expected a whole number, found \"20x2\""),
                format!("t.csv:{FIRST}, column SIPRI estimate: expected a number such as 1.2 or 0, found \"1.2.3\""),
                format!("t.csv:{FIRST}, column TIV deal unit: expected a number such as 1.2 or 0, found \"1e3\""),
                format!("t.csv:{FIRST}, column TIV delivery values: expected a number such as 1.2 or 0, found \"inf\""),
                format!("t.csv:{FIRST}, column Local production: expected Yes, No or nothing, found \"Si\""),
            ]
        );
    }

    #[test]
    fn a_row_with_the_wrong_number_of_cells_is_a_problem() {
        assert_eq!(
            problems(&file(&[PUCARA, "1,France,India"])),
            vec![format!("t.csv:{}: expected 17 cells, found 3", FIRST + 1)]
        );
    }

    /// A quote opened in the last cell and never closed used to be read as data (the rest of
    /// the file, here a `;` and a line end).
    #[test]
    fn an_unterminated_quote_is_refused_with_line_and_column() {
        let unclosed = format!("{},\"No", PUCARA.strip_suffix(",No").unwrap());
        assert_eq!(
            problems(&file(&[K9_2022, &unclosed])),
            vec![format!(
                "t.csv:{}: unterminated quote: the quoted field opened at column {} is never \
                 closed (the file ends inside it)",
                FIRST + 1,
                unclosed.len() - 2
            )]
        );
        let old = format!("{}\"unclosed\r\n", old_file(&[X1]));
        assert_eq!(
            problems(&old),
            vec![format!(
                "t.csv:{}: unterminated quote: the quoted field opened at column 1 is never \
                 closed (the file ends inside it)",
                OLD_FIRST + 1
            )]
        );
    }

    #[test]
    fn every_problem_is_reported_and_nothing_is_kept() {
        let bad = PUCARA.replace("Uruguay", "Atlantis");
        let ps = problems(&file(&[&bad, K9_2022, &bad.replace("32179", "32180")]));
        assert_eq!(ps.len(), 2);
        assert!(ps[1].starts_with(&format!("t.csv:{}, column Recipient", FIRST + 2)));
    }

    #[test]
    fn a_file_without_the_header_is_refused() {
        assert_eq!(
            problems("a,b,c\r\n1,2,3\r\n"),
            vec!["t.csv:1: not a SIPRI trade register: no header row starting with \"SIPRI AT Database ID\" (the notes before it are skipped)"]
        );
        assert_eq!(problems("").len(), 1);
    }

    const OLD_NOTES: &str = "Trade register\r\n\
        Transfers of major conventional arms. Deals with deliveries or orders made for the year range 2010 to 2025\r\n\
        Source: SIPRI Arms Transfers Database\r\n\
        Data generated: 3 March 2025\r\n\
        \r\n";
    const OLD_HEADER: &str = "Recipient,Supplier,Year of order,,Number ordered,,Weapon designation,Weapon description,Number delivered,,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons\r\n";
    /// The line of the first data row in `old_file(..)`.
    const OLD_FIRST: usize = 7;

    const X1: &str = "India,Israel,2024,,10,,X-1,UAV,0,,,,,5,50,0";
    const X4: &str = "Azerbaijan,Israel,(2025),,4,,X-4,UAV,0,,,,,2.5,10,0";
    const X3: &str = "India,Israel,2023,,2,,X-3,radar,2,,2024,,,10,20,20";
    /// `?` in the three unnamed columns, a range of delivery years.
    const JF17: &str = "Pakistan,China,2015,?,8,?,JF-17,FGA aircraft,6,?,2017-2019,New,assembled in Pakistan,15,120,90";
    /// Marks on the values themselves; several parts in a quoted year list.
    const RAFALE: &str = "Egypt,France,2010?,,(24),,Rafale,FGA aircraft,12?,,\"2010; 2012-(2013)\",Second hand but modernized,\"with a comma, and a ; too\",50,1200,600";
    const FAJR: &str =
        "Hezbollah (Lebanon)*,Iran,(2006),,(100),,Fajr-3,artillery rocket,100,?,(2006),,,0.1,10,10";
    const BTR: &str =
        "Ukraine,unknown supplier(s),2022,,,,BTR-X,APC,3,,\"2022,2023\",second hand,,1,,0.8";

    /// Older-layout notes, header and `rows`, CRLF line ends.
    fn old_file(rows: &[&str]) -> String {
        let mut s = format!("{OLD_NOTES}{OLD_HEADER}");
        for r in rows {
            s.push_str(r);
            s.push_str("\r\n");
        }
        s
    }

    fn delivery(year: u16, year_estimated: bool) -> Delivery {
        Delivery {
            year,
            year_estimated,
            number: None,
            number_estimated: false,
            tiv: None,
        }
    }

    #[test]
    fn the_older_layout_parses() {
        let r = ok(&old_file(&[X1, X4, X3, JF17, RAFALE, FAJR, BTR]));
        assert_eq!(r.generated.as_deref(), Some("3 March 2025"));
        assert_eq!(r.rows, 7);
        // File order.
        assert_eq!(
            r.deals
                .iter()
                .map(|d| d.designation.as_str())
                .collect::<Vec<_>>(),
            vec!["X-1", "X-4", "X-3", "JF-17", "Rafale", "Fajr-3", "BTR-X"]
        );
        assert_eq!(
            r.deals[0],
            Deal {
                sipri_id: None,
                supplier: state("ISR", "Israel"),
                recipient: state("IND", "India"),
                designation: "X-1".to_string(),
                description: "UAV".to_string(),
                category: String::new(),
                order_year: Some(2024),
                order_year_estimated: false,
                number_ordered: Some(10),
                number_ordered_estimated: false,
                status: None,
                tiv_unit: None,
                tiv_unit_new: Some(5.0),
                local_production: false,
                deliveries: vec![],
                comments: None,
                delivered_total: Some((0, false)),
                tiv_delivered_total: Some(0.0),
                tiv_order_total: Some(50.0),
            }
        );
        let x4 = &r.deals[1];
        assert_eq!((x4.order_year, x4.order_year_estimated), (Some(2025), true));
        assert_eq!(x4.tiv_unit_new, Some(2.5));

        // One delivery year: it carries the number and TIV delivered; no totals.
        let x3 = &r.deals[2];
        assert_eq!(
            x3.deliveries,
            vec![Delivery {
                year: 2024,
                year_estimated: false,
                number: Some(2),
                number_estimated: false,
                tiv: Some(20.0),
            }]
        );
        assert_eq!((x3.delivered_total, x3.tiv_delivered_total), (None, None));

        // `?` in the unnamed columns; a range: the years, and the totals.
        let jf = &r.deals[3];
        assert_eq!((jf.order_year, jf.order_year_estimated), (Some(2015), true));
        assert_eq!(
            (jf.number_ordered, jf.number_ordered_estimated),
            (Some(8), true)
        );
        assert_eq!(
            jf.deliveries,
            vec![
                delivery(2017, false),
                delivery(2018, false),
                delivery(2019, false)
            ]
        );
        assert_eq!(jf.delivered_total, Some((6, true)));
        assert_eq!(jf.tiv_delivered_total, Some(90.0));
        assert_eq!(jf.status.as_deref(), Some("New"));
        assert_eq!(jf.comments.as_deref(), Some("assembled in Pakistan"));

        // `?` and parentheses on the values; a quoted list of a year and a range.
        let rafale = &r.deals[4];
        assert_eq!(
            (rafale.order_year, rafale.order_year_estimated),
            (Some(2010), true)
        );
        assert_eq!(
            (rafale.number_ordered, rafale.number_ordered_estimated),
            (Some(24), true)
        );
        assert_eq!(
            rafale.deliveries,
            vec![
                delivery(2010, false),
                delivery(2012, false),
                delivery(2013, true)
            ]
        );
        assert_eq!(rafale.delivered_total, Some((12, true)));
        assert_eq!(rafale.status.as_deref(), Some("Second hand but modernized"));
        assert_eq!(
            rafale.comments.as_deref(),
            Some("with a comma, and a ; too")
        );
        assert_eq!(rafale.tiv_order_total, Some(1200.0));

        // A non-state recipient; one estimated year with an estimated number.
        let fajr = &r.deals[5];
        assert_eq!(
            fajr.recipient,
            Actor::NonState {
                name: "Hezbollah (Lebanon)*".to_string()
            }
        );
        assert_eq!(
            fajr.deliveries,
            vec![Delivery {
                year: 2006,
                year_estimated: true,
                number: Some(100),
                number_estimated: true,
                tiv: Some(10.0),
            }]
        );

        // An unknown supplier; no number ordered or order TIV; status in any case.
        let btr = &r.deals[6];
        assert_eq!(
            btr.supplier,
            Actor::Unknown {
                name: "unknown supplier(s)".to_string()
            }
        );
        assert_eq!(btr.number_ordered, None);
        assert_eq!(btr.tiv_order_total, None);
        assert_eq!(btr.status.as_deref(), Some("Second hand"));
        assert_eq!(
            btr.deliveries,
            vec![delivery(2022, false), delivery(2023, false)]
        );
        assert_eq!(btr.delivered_total, Some((3, false)));
    }

    #[test]
    fn the_older_layout_reads_lf_semicolons_blank_lines_and_no_notes_alike() {
        let rows = [X1, X3, JF17, RAFALE];
        let crlf = ok(&old_file(&rows));
        assert_eq!(crlf, ok(&old_file(&rows).replace("\r\n", "\n")));
        assert_eq!(crlf, ok(&old_file(&rows).replace("\r\n", ";\r\n")));
        assert_eq!(crlf, ok(&format!("{}\r\n;\r\n", old_file(&rows))));
        // Every header cell quoted.
        let quoted_header = OLD_HEADER
            .trim_end()
            .split(',')
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(",");
        let quoted = old_file(&rows).replace(OLD_HEADER.trim_end(), &quoted_header);
        assert!(quoted.contains("\"Recipient\",\"Supplier\",\"Year of order\",\"\","));
        assert_eq!(crlf, ok(&quoted));
        let bare = ok(&format!("{OLD_HEADER}{X1}\n{X3}\n{JF17}\n{RAFALE}"));
        assert_eq!(bare.deals, crlf.deals);
        assert_eq!(bare.generated, None);
    }

    #[test]
    fn delivery_year_lists() {
        let years = |s: &str| delivery_years(s);
        assert_eq!(years(""), Ok(vec![]));
        assert_eq!(years("2010"), Ok(vec![(2010, false)]));
        assert_eq!(years("(2010)"), Ok(vec![(2010, true)]));
        assert_eq!(years("2010?"), Ok(vec![(2010, true)]));
        assert_eq!(
            years("2010-2012"),
            Ok(vec![(2010, false), (2011, false), (2012, false)])
        );
        assert_eq!(years("(2010-2011)"), Ok(vec![(2010, true), (2011, true)]));
        assert_eq!(
            years("2010?-2012"),
            Ok(vec![(2010, true), (2011, false), (2012, false)])
        );
        assert_eq!(years("2011-2011"), Ok(vec![(2011, false)]));
        assert_eq!(
            years("2013; 2010-2011"),
            Ok(vec![(2010, false), (2011, false), (2013, false)])
        );
        assert_eq!(
            years("2010,2012 , (2014)"),
            Ok(vec![(2010, false), (2012, false), (2014, true)])
        );
        let form = |part: &str, cell: &str| {
            Err(format!(
                "\"{part}\" is not a year or a range of years (expected e.g. 2010, 2010-2012 or \"2010; 2012-2013\"), in \"{cell}\""
            ))
        };
        assert_eq!(years("2010/11"), form("2010/11", "2010/11"));
        assert_eq!(years("2010;"), form("", "2010;"));
        assert_eq!(
            years("2010-2011-2012"),
            form("2010-2011-2012", "2010-2011-2012")
        );
        assert_eq!(years("?"), form("?", "?"));
        assert_eq!(years("1990s"), form("1990s", "1990s"));
        assert_eq!(
            years("2012-2010"),
            Err("the range 2012-2010 runs backwards, in \"2012-2010\"".to_string())
        );
        assert_eq!(
            years("1850"),
            Err("year 1850 is outside 1900-2100, in \"1850\"".to_string())
        );
        assert_eq!(
            years("2011; 2010-2012"),
            Err("year 2011 is listed twice, in \"2011; 2010-2012\"".to_string())
        );
    }

    #[test]
    fn older_layout_problems_are_located_and_nothing_is_kept() {
        let at = |n: usize| OLD_FIRST + n;
        let rows = [
            X1,
            "India,Israel,2023,,2,,X-3,radar,2,,2024-2022,,,10,20,20",
            "India,Israel,2023,,2,,X-3,radar,2,,\"2020; 2021/22\",,,10,20,20",
            "Atlantis,Ruritania,2023,,2,,X-3,radar,2,,2024,,,10,20,20",
            "India,Israel,2023",
            "India,Israel,1850,x,-2,,,radar,2,yes,2024,Used,,1.2.3,20,20",
            "India,Israel,2023,,2,,X-3,radar,2,,,,,10,20,20",
            X3,
        ];
        assert_eq!(
            problems(&old_file(&rows)),
            vec![
                format!("t.csv:{}, column Year(s) of delivery: the range 2024-2022 runs backwards, in \"2024-2022\"", at(1)),
                format!("t.csv:{}, column Year(s) of delivery: \"2021/22\" is not a year or a range of years (expected e.g. 2010, 2010-2012 or \"2010; 2012-2013\"), in \"2020; 2021/22\"", at(2)),
                format!("t.csv:{}, column Recipient: unknown name \"Atlantis\" (not in sipri_countries.tsv; add it there)", at(3)),
                format!("t.csv:{}, column Supplier: unknown name \"Ruritania\" (not in sipri_countries.tsv; add it there)", at(3)),
                format!("t.csv:{}: expected 16 cells, found 3", at(4)),
                format!("t.csv:{}, column Year of order: year 1850 is outside 1900-2100", at(5)),
                format!("t.csv:{}, column 4: expected ? (uncertain) or nothing, found \"x\"", at(5)),
                format!("t.csv:{}, column Number ordered: expected a whole number, found \"-2\"", at(5)),
                format!("t.csv:{}, column Weapon designation: missing (required)", at(5)),
                format!("t.csv:{}, column 10: expected ? (uncertain) or nothing, found \"yes\"", at(5)),
                format!("t.csv:{}, column status: expected New, Second hand, Second hand but modernized or nothing, found \"Used\"", at(5)),
                format!("t.csv:{}, column SIPRI TIV per unit: expected a number such as 1.2 or 0, found \"1.2.3\"", at(5)),
                format!("t.csv:{}, column Year(s) of delivery: items or TIV delivered (Number delivered, SIPRI TIV of delivered weapons) without a delivery year", at(6)),
            ]
        );
    }

    #[test]
    fn older_layout_header_problems() {
        let renamed = old_file(&[X1]).replace(",Comments,", ",Remarks,");
        assert_eq!(
            problems(&renamed),
            vec!["t.csv:6, column 13: expected \"Comments\", found \"Remarks\"".to_string()]
        );
        let named = old_file(&[X1]).replace("Year of order,,", "Year of order,Mark,");
        assert_eq!(
            problems(&named),
            vec!["t.csv:6, column 4: expected an unnamed column (SIPRI's uncertainty mark), found \"Mark\"".to_string()]
        );
        let short = old_file(&[X1]).replace(",Comments,", ",");
        let ps = problems(&short);
        assert_eq!(ps.len(), 1);
        assert!(
            ps[0].starts_with("t.csv:6: SIPRI's older layout has 16 columns (Recipient, Supplier, Year of order, ?, "),
            "{ps:?}"
        );
        assert!(ps[0].ends_with(", found 15"), "{ps:?}");
        // Names are compared ignoring case; the header may end with `;`.
        let cased = old_file(&[X1])
            .replace(",status,", ",Status,")
            .replace("delivered weapons\r\n", "delivered weapons;\r\n");
        assert_eq!(ok(&cased).deals, ok(&old_file(&[X1])).deals);
    }

    #[test]
    fn fnv1a64_matches_the_reference_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn older_rows_get_stable_ids_and_valid_records() {
        let text = old_file(&[X1, X4, X3, JF17, RAFALE, FAJR, BTR, X1]);
        let r = ok(&text);
        let known: HashSet<String> = ["IND".to_string()].into();
        let (data, summary) = to_dataset(&r, &known);
        assert_eq!(summary.deals, 8);
        // The same file again: the same records.
        assert_eq!(to_dataset(&ok(&text), &known), (data.clone(), summary));

        let by_id = |id: &str| data.transfers.iter().find(|t| t.id == id);
        // FNV-1a 64 of "India|Israel|2024|X-1|10|UAV", top 48 bits; the identical row is `-2`.
        let x1 = by_id("sipri-old-d8c3e73cf2be");
        let x1_again = by_id("sipri-old-d8c3e73cf2be-2");
        assert!(x1.is_some() && x1_again.is_some(), "{:?}", data.transfers);
        assert_eq!(data.transfers.len(), 8);
        for t in &data.transfers {
            let h = t.id.strip_prefix("sipri-old-").unwrap_or_default();
            let h = h.strip_suffix("-2").unwrap_or(h);
            assert!(
                h.len() == 12
                    && h.bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
                "{}",
                t.id
            );
            assert_eq!(t.sipri_id, None);
            assert_eq!(t.category, "unspecified");
        }
        // Appending a row leaves the ids of the others as they were.
        let more = to_dataset(&ok(&format!("{text}{X3}\r\n")), &known).0;
        let ids = |d: &Dataset| {
            d.transfers
                .iter()
                .map(|t| t.id.clone())
                .collect::<HashSet<_>>()
        };
        assert!(ids(&data).is_subset(&ids(&more)));
        assert_eq!(more.transfers.len(), 9);

        // The new fields.
        let find = |designation: &str| data.transfers.iter().find(|t| t.designation == designation);
        let Some(jf) = find("JF-17") else {
            panic!("no JF-17")
        };
        assert_eq!(
            (jf.number_ordered, jf.number_ordered_estimated),
            (Some(8), true)
        );
        assert_eq!(
            (jf.delivered, jf.delivered_estimated, jf.tiv_delivered),
            (Some(6), true, Some(Tiv(90.0)))
        );
        assert_eq!(jf.deliveries.len(), 3);
        assert!(jf
            .deliveries
            .iter()
            .all(|d| d.number.is_none() && d.tiv.is_none()));
        assert_eq!((jf.tiv_unit, jf.tiv_deal_unit), (Some(Tiv(15.0)), None));
        assert_eq!(jf.description.as_deref(), Some("FGA aircraft"));
        let Some(x3) = find("X-3") else {
            panic!("no X-3")
        };
        assert_eq!((x3.delivered, x3.tiv_delivered), (None, None));
        assert_eq!(x3.deliveries[0].number, Some(2));
        assert_eq!(x3.deliveries[0].tiv, Some(Tiv(20.0)));
        let Some(btr) = find("BTR-X") else {
            panic!("no BTR-X")
        };
        assert_eq!(btr.supplier_kind, PartyKind::Unknown);
        assert_eq!(
            btr.system, None,
            "only ever supplied by an unknown supplier"
        );

        // Operators count the total delivered, or the one year's number.
        let operators = |system: &str| {
            data.systems.iter().find(|s| s.id == system).map(|s| {
                s.operators
                    .iter()
                    .map(|o| (o.nation.as_str(), o.quantity))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(operators("sipri-jf-17"), Some(vec![("PAK", Some(6))]));
        assert_eq!(operators("sipri-rafale"), Some(vec![("EGY", Some(12))]));
        assert_eq!(operators("sipri-x-3"), Some(vec![("IND", Some(2))]));
        assert_eq!(operators("sipri-x-1"), Some(vec![]), "nothing delivered");
        // Non-state recipients are no operators.
        assert_eq!(operators("sipri-fajr-3"), Some(vec![]));

        // The records import cleanly, once the registry knows India.
        let mut with_ind = data.clone();
        with_ind.nations.push(Nation {
            code: "IND".into(),
            name: "India".into(),
            label: None,
            sources: vec![],
            illustrative: false,
        });
        let incoming = crate::Incoming::from_dataset(with_ind);
        if let Err(ps) = crate::plan_import(&incoming, &Dataset::default(), &crate::Reader::Full) {
            panic!("{ps:#?}");
        }
    }

    #[test]
    fn current_layout_ids_are_unchanged() {
        let (data, _) = to_dataset(&ok(&file(&[PUCARA, K9_2022])), &HashSet::new());
        let ids: Vec<(&str, Option<u64>)> = data
            .transfers
            .iter()
            .map(|t| (t.id.as_str(), t.sipri_id))
            .collect();
        assert_eq!(
            ids,
            vec![("sipri-32179", Some(32179)), ("sipri-65687", Some(65687))]
        );
        assert!(data.transfers.iter().all(|t| t.number_ordered.is_none()
            && t.delivered.is_none()
            && t.tiv_delivered.is_none()));
    }

    #[test]
    fn header_problems() {
        let missing = file(&[]).replace(",Status,", ",");
        assert_eq!(
            problems(&missing),
            vec!["t.csv:6: missing column(s): Status".to_string()]
        );
        let unknown = file(&[]).replace(",Status,", ",Status,Comments,");
        assert_eq!(
            problems(&unknown),
            vec!["t.csv:6, column 14: unknown column \"Comments\"".to_string()]
        );
        let twice = file(&[]).replace(",Status,", ",Status,Status,");
        assert_eq!(
            problems(&twice),
            vec!["t.csv:6, column 14: column \"Status\" appears twice".to_string()]
        );
    }

    #[test]
    fn columns_are_read_by_name() {
        let swapped = file(&[PUCARA])
            .replace("Supplier,Recipient", "Recipient,Supplier")
            .replace("Argentina,Uruguay", "Uruguay,Argentina");
        assert_eq!(ok(&swapped).deals, ok(&file(&[PUCARA])).deals);
    }

    #[test]
    fn non_utf8_is_a_problem() {
        let mut bytes = file(&[PUCARA]).into_bytes();
        let at = bytes.len() - 5;
        bytes[at] = 0xFF;
        let ps = parse_register("t.csv", &bytes).map(|_| ()).unwrap_err();
        assert_eq!(ps.len(), 1);
        assert!(ps[0].location.starts_with("t.csv:7, column "), "{ps:?}");
        assert!(ps[0].message.contains("not UTF-8"));
    }

    #[test]
    fn the_name_table_is_well_formed() {
        let t = table();
        assert!(t.problems.is_empty(), "{:#?}", t.problems);
        let all = actors();
        assert_eq!(all.len(), 214);
        let count = |f: fn(&Actor) -> bool| all.iter().filter(|a| f(a)).count();
        assert_eq!(count(|a| matches!(a, Actor::State { .. })), 183);
        assert_eq!(count(|a| matches!(a, Actor::NonState { .. })), 28);
        assert_eq!(count(|a| matches!(a, Actor::Unknown { .. })), 3);
        // One name per state code.
        let mut codes: Vec<&str> = all.iter().filter_map(Actor::code).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n);
        for (name, code) in [
            ("South Korea", "KOR"),
            ("North Korea", "PRK"),
            ("Poland", "POL"),
            ("Turkiye", "TUR"),
            ("UAE", "ARE"),
            ("Taiwan", "TWN"),
            ("Palestine", "PSE"),
            ("Kosovo", "XKX"),
            ("Soviet Union", "SUN"),
            ("Czechoslovakia", "CSK"),
            ("Yugoslavia", "YUG"),
            ("East Germany (GDR)", "DDR"),
        ] {
            assert_eq!(
                actor(name).as_ref().and_then(Actor::code),
                Some(code),
                "{name}"
            );
        }
        assert!(matches!(actor("NATO**"), Some(Actor::NonState { .. })));
        assert!(matches!(
            actor("Hezbollah (Lebanon)*"),
            Some(Actor::NonState { .. })
        ));
        assert!(matches!(
            actor("unknown supplier(s)"),
            Some(Actor::Unknown { .. })
        ));
        assert_eq!(actor("Atlantis"), None);
    }

    #[test]
    fn table_format_errors_are_located() {
        let t = load_table(
            "x.tsv",
            "# c\nA\tstate\tAA\nB\tnon-state\tBBB\nC\tnation\t\nD\tstate\nE\tstate\tEEE\nE\tstate\tEEF\n",
        );
        let ps: Vec<String> = t.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            ps,
            vec![
                "x.tsv:2: a state needs a three-letter upper-case code, found \"AA\"",
                "x.tsv:3: only states have a code, found \"BBB\"",
                "x.tsv:4: unknown kind \"nation\" (expected state, non-state or unknown)",
                "x.tsv:5: expected 3 TAB-separated fields, found 2",
                "x.tsv:7: name \"E\" appears twice",
            ]
        );
    }

    fn real_bytes() -> Vec<u8> {
        crate::testdata::read("sipri/trade_register.csv")
    }

    #[test]
    fn designations_become_system_ids_and_categories_codes() {
        assert_eq!(clean_designation("K-2 -"), "K-2");
        assert_eq!(clean_designation(" 9M119 "), "9M119");
        assert_eq!(kebab_case("Armoured vehicles"), "armoured-vehicles");
        assert_eq!(kebab_case("K-239 Chunmoo (M/L)"), "k-239-chunmoo-m-l");
        assert_eq!(kebab_case("--"), "");
    }

    /// The whole register maps to records that import cleanly, with the operators and parties
    /// the issue asks for.
    #[test]
    fn the_real_register_maps_to_valid_records() {
        let r = parse_register("trade_register.csv", &real_bytes()).expect("parses");
        let known: HashSet<String> = ["KOR".to_string()].into();
        let (data, summary) = to_dataset(&r, &known);
        assert_eq!(summary.deals, 12_571);
        assert_eq!(data.transfers.len(), 12_571);
        assert_eq!(
            (summary.states, summary.non_state, summary.unknown),
            (179, 28, 3)
        );
        assert_eq!(
            summary.nations_created, 178,
            "KOR is known and keeps its name"
        );
        assert!(data.nations.iter().all(|n| n.code != "KOR"));
        println!("{summary:?}");

        // The records pass import validation (KOR supplied by the registry).
        let mut with_kor = data.clone();
        with_kor.nations.push(Nation {
            code: "KOR".into(),
            name: "Republic of Korea".into(),
            label: None,
            sources: vec![],
            illustrative: false,
        });
        let incoming = crate::Incoming::from_dataset(with_kor);
        if let Err(ps) = crate::plan_import(&incoming, &Dataset::default(), &crate::Reader::Full) {
            panic!(
                "{} problems, first: {:#?}",
                ps.len(),
                &ps[..ps.len().min(10)]
            );
        }

        // Poland operates Korean K-2 tanks, K-9 guns, K-239 Chunmoo rockets and FA-50 aircraft.
        let korean_in_poland: Vec<&str> = data
            .systems
            .iter()
            .filter(|s| s.origin == "KOR" && s.operators.iter().any(|o| o.nation == "POL"))
            .map(|s| s.name.as_str())
            .collect();
        for name in ["K-2", "K-9 155mm", "K-239 Chunmoo", "FA-50"] {
            assert!(
                korean_in_poland.contains(&name),
                "{name} not among {korean_in_poland:?}"
            );
        }
        // Operators carry the sum of the numbers delivered.
        let k2 = data.systems.iter().find(|s| s.name == "K-2").expect("K-2");
        let pol = k2
            .operators
            .iter()
            .find(|o| o.nation == "POL")
            .expect("POL");
        let delivered: u32 = data
            .transfers
            .iter()
            .filter(|t| t.system.as_deref() == Some(k2.id.as_str()) && t.recipient == "POL")
            .flat_map(|t| t.deliveries.iter().filter_map(|d| d.number))
            .sum();
        assert!(delivered > 0);
        assert_eq!(pol.quantity, Some(delivered));
        // Non-state parties are kept, with their kind.
        assert!(data
            .transfers
            .iter()
            .any(|t| t.recipient_kind == PartyKind::NonState));
        assert!(data
            .transfers
            .iter()
            .any(|t| t.supplier_kind == PartyKind::Unknown));
        // Deterministic.
        assert_eq!(to_dataset(&r, &known).0, data);
    }

    /// The real export, `data/sources/sipri/trade_register.csv`.
    #[test]
    fn the_real_trade_register() {
        let bytes = real_bytes();
        let start = std::time::Instant::now();
        let r = parse_register("trade_register.csv", &bytes).unwrap_or_else(|ps| {
            panic!(
                "{} problems, first: {:#?}",
                ps.len(),
                &ps[..ps.len().min(20)]
            )
        });
        println!(
            "parsed {} rows into {} deals in {:?}",
            r.rows,
            r.deals.len(),
            start.elapsed()
        );
        assert_eq!(r.generated.as_deref(), Some("12 Feb 2026 12:26:12 PM"));
        assert_eq!(r.rows, 25_024);
        assert_eq!(r.deals.len(), 12_571);
        assert_eq!(
            r.deals.iter().map(|d| d.deliveries.len()).sum::<usize>(),
            25_024
        );
        assert!(r.deals.windows(2).all(|w| w[0].sipri_id < w[1].sipri_id));
        assert!(r
            .deals
            .iter()
            .all(|d| d.deliveries.windows(2).all(|w| w[0].year < w[1].year)));

        // Every name maps (parsing would have failed otherwise); the names used, by kind.
        let mut used: Vec<&Actor> = r
            .deals
            .iter()
            .flat_map(|d| [&d.supplier, &d.recipient])
            .collect();
        used.sort();
        used.dedup();
        assert_eq!(used.len(), 210);
        let states = used.iter().filter(|a| a.code().is_some()).count();
        let unknown = used
            .iter()
            .filter(|a| matches!(a, Actor::Unknown { .. }))
            .count();
        assert_eq!(
            (states, used.len() - states - unknown, unknown),
            (179, 28, 3)
        );

        // SIPRI's method: deal unit = new unit x 1 (new), 0.4 (second hand), 0.66 (modernized);
        // delivered = number x deal unit, within the two-decimal rounding.
        for d in &r.deals {
            let factor = match d.status.as_deref() {
                Some("New") => 1.0,
                Some("Second hand") => 0.4,
                Some("Second hand but modernized") => 0.66,
                other => panic!("status {other:?}"),
            };
            let (Some(new), Some(unit)) = (d.tiv_unit_new, d.tiv_unit) else {
                panic!("deal {:?} without unit TIVs", d.sipri_id)
            };
            assert!(
                (new * factor - unit).abs() <= 0.0051,
                "deal {:?}",
                d.sipri_id
            );
            for v in &d.deliveries {
                let (Some(n), Some(tiv)) = (v.number, v.tiv) else {
                    panic!("deal {:?} {}", d.sipri_id, v.year)
                };
                let slack = 0.005 * f64::from(n) + 0.051;
                assert!(
                    (f64::from(n) * unit - tiv).abs() <= slack,
                    "deal {:?} {}",
                    d.sipri_id,
                    v.year
                );
            }
        }

        // South Korea to Poland.
        let kor_pol: Vec<&Deal> = r
            .deals
            .iter()
            .filter(|d| d.supplier.code() == Some("KOR") && d.recipient.code() == Some("POL"))
            .collect();
        let mut designations: Vec<&str> = kor_pol.iter().map(|d| d.designation.as_str()).collect();
        designations.dedup();
        assert_eq!(kor_pol.len(), 9);
        for want in ["K-2 -", "K-9 155mm -", "K-239 Chunmoo", "FA-50 -"] {
            assert!(designations.contains(&want), "{want} in {designations:?}");
        }
        let tiv: f64 = kor_pol
            .iter()
            .flat_map(|d| &d.deliveries)
            .filter_map(|v| v.tiv)
            .sum();
        assert!((tiv - 1464.48).abs() < 1e-6, "{tiv}");

        // A multi-year deal: Poland's first K-9 batch (rows 13880-13882).
        let k9 = r.deals.iter().find(|d| d.sipri_id == Some(65687));
        let Some(k9) = k9 else {
            panic!("no deal 65687")
        };
        assert_eq!(k9.designation, "K-9 155mm -");
        assert_eq!(
            (k9.order_year, k9.tiv_unit, k9.local_production),
            (Some(2022), Some(4.34), true)
        );
        assert_eq!(
            k9.deliveries
                .iter()
                .map(|v| (v.year, v.year_estimated, v.number, v.number_estimated))
                .collect::<Vec<_>>(),
            vec![
                (2022, false, Some(24), false),
                (2023, false, Some(48), false),
                (2024, false, Some(60), true),
            ]
        );
        // A deal whose rows are not in year order in the file (lines 3438-3441: 2000, 1998,
        // 1999, 1997).
        let Some(dragar) = r.deals.iter().find(|d| d.sipri_id == Some(22537)) else {
            panic!("no deal 22537")
        };
        assert_eq!(
            (dragar.supplier.code(), dragar.recipient.code()),
            (Some("FRA"), Some("TUR"))
        );
        assert_eq!(
            dragar
                .deliveries
                .iter()
                .map(|v| (v.year, v.number))
                .collect::<Vec<_>>(),
            vec![
                (1997, Some(68)),
                (1998, Some(58)),
                (1999, Some(200)),
                (2000, Some(189))
            ]
        );
    }
}
