//! SIPRI's older layout (one row per deal, no id; see the module docs): its header, rows and
//! delivery-year lists.

use super::*;

/// The older layout's columns, in order; the unnamed ones hold SIPRI's uncertainty mark (`?`)
/// for the value before them.
pub(super) const OLD_COLUMNS: [&str; 16] = [
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
pub(super) const OLD_LABELS: [&str; 16] = [
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
pub(super) const O_RECIPIENT: usize = 0;
pub(super) const O_SUPPLIER: usize = 1;
pub(super) const O_ORDER: usize = 2;
pub(super) const O_ORDER_MARK: usize = 3;
pub(super) const O_NUMBER: usize = 4;
pub(super) const O_NUMBER_MARK: usize = 5;
pub(super) const O_DESIGNATION: usize = 6;
pub(super) const O_DESCRIPTION: usize = 7;
pub(super) const O_DELIVERED: usize = 8;
pub(super) const O_DELIVERED_MARK: usize = 9;
pub(super) const O_YEARS: usize = 10;
pub(super) const O_STATUS: usize = 11;
pub(super) const O_COMMENTS: usize = 12;
pub(super) const O_TIV_UNIT: usize = 13;
pub(super) const O_TIV_ORDER: usize = 14;
pub(super) const O_TIV_DELIVERED: usize = 15;

/// The older layout's header must hold [`OLD_COLUMNS`] in order (names compared ignoring ASCII
/// case); it is read by position, as its unnamed columns cannot be told apart by name.
pub(super) fn read_old_header(
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
pub(super) fn read_old_rows(
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
    pub(super) fn mark(&self, problems: &mut Vec<Problem>, col: usize) -> Option<bool> {
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
    pub(super) fn status(&self, problems: &mut Vec<Problem>, col: usize) -> Option<Option<String>> {
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
    pub(super) fn years(
        &self,
        problems: &mut Vec<Problem>,
        col: usize,
    ) -> Option<Vec<(u16, bool)>> {
        match delivery_years(self.cells[col]) {
            Ok(years) => Some(years),
            Err(message) => {
                self.problem(problems, col, message);
                None
            }
        }
    }

    /// One row of the older layout. `None` after recording problems.
    pub(super) fn read_old(&self, problems: &mut Vec<Problem>) -> Option<Deal> {
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
pub(super) fn strip_marks(cell: &str, parens: bool) -> (&str, bool) {
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
pub(super) fn delivery_years(cell: &str) -> Result<Vec<(u16, bool)>, String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sipri::fixtures::*;

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
}
