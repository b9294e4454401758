//! Reading a register: the layout told by the header, the current layout's header and rows
//! (rows of one SIPRI id merged into one deal), line numbers for problems.

use super::*;

pub(super) const STATUSES: [&str; 3] = ["New", "Second hand", "Second hand but modernized"];

// Columns, by position in `COLUMNS`.
pub(super) const ID: usize = 0;
pub(super) const SUPPLIER: usize = 1;
pub(super) const RECIPIENT: usize = 2;
pub(super) const DESIGNATION: usize = 3;
pub(super) const DESCRIPTION: usize = 4;
pub(super) const CATEGORY: usize = 5;
pub(super) const ORDER: usize = 6;
pub(super) const ORDER_EST: usize = 7;
pub(super) const NUMBER: usize = 8;
pub(super) const NUMBER_EST: usize = 9;
pub(super) const YEAR: usize = 10;
pub(super) const YEAR_EST: usize = 11;
pub(super) const STATUS: usize = 12;
pub(super) const TIV_NEW: usize = 13;
pub(super) const TIV_UNIT: usize = 14;
pub(super) const TIV_DELIVERED: usize = 15;
pub(super) const LOCAL: usize = 16;

pub(super) const COLUMNS: [&str; 17] = [
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
pub(super) enum Layout {
    /// Header starting [`HEADER_START`]: one row per deal and delivery year.
    Current,
    /// Header starting [`OLD_HEADER_START`]: one row per deal.
    Older,
}

/// The layout, the header's line number (1-based), its byte offset, and the `Data generated:`
/// note.
pub(super) fn find_header(
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
pub(super) fn read_header(
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
pub(super) struct Lines<'a> {
    pub(super) text: &'a [u8],
    /// A byte offset and the line it is on.
    pub(super) at: usize,
    pub(super) line: usize,
}

impl Lines<'_> {
    /// The line of the record starting at byte `start` (line ends before it skipped); offsets
    /// must not decrease.
    pub(super) fn of(&mut self, start: usize) -> usize {
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

pub(super) fn csv_problem(name: &str, lines: &mut Lines, e: &::csv::Error) -> Problem {
    let line = lines.of(e.position().map_or(0, |p| p.byte() as usize));
    Problem::new(format!("{name}:{line}"), format!("unreadable CSV: {e}"))
}

/// A deal being merged: the line that started it and the line of each delivery.
pub(super) struct Merge {
    pub(super) line: usize,
    pub(super) deal: Deal,
    pub(super) lines: Vec<usize>,
}

pub(super) fn read_rows(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sipri::fixtures::*;

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
}
