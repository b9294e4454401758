//! One data row: its cells read and checked, and the rows of one deal compared.

use super::*;

/// One data row, its cells in `COLUMNS` (or `OLD_COLUMNS`) order.
pub(super) struct Row<'a> {
    pub(super) at: String,
    pub(super) cells: Vec<&'a str>,
    /// How problems name each column.
    pub(super) names: &'static [&'static str],
}

impl Row<'_> {
    pub(super) fn problem(&self, problems: &mut Vec<Problem>, col: usize, message: String) {
        problems.push(Problem::new(
            format!("{}, column {}", self.at, self.names[col]),
            message,
        ));
    }

    pub(super) fn required(&self, problems: &mut Vec<Problem>, col: usize) -> Option<&str> {
        let cell = self.cells[col];
        if cell.is_empty() {
            self.problem(problems, col, "missing (required)".to_string());
            None
        } else {
            Some(cell)
        }
    }

    pub(super) fn actor(&self, problems: &mut Vec<Problem>, col: usize) -> Option<Actor> {
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
    pub(super) fn flag(&self, problems: &mut Vec<Problem>, col: usize) -> Option<bool> {
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
    pub(super) fn whole<T: std::str::FromStr>(
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

    pub(super) fn year(
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
    pub(super) fn tiv(&self, problems: &mut Vec<Problem>, col: usize) -> Option<Option<f64>> {
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
    pub(super) fn read(
        &self,
        problems: &mut Vec<Problem>,
    ) -> Option<(u64, Deal, Option<Delivery>)> {
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
pub(super) struct Shown(String);

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub(super) fn show_text(s: &str) -> Shown {
    Shown(format!("\"{s}\""))
}

pub(super) fn show_opt<T: fmt::Display>(v: &Option<T>) -> Shown {
    Shown(match v {
        Some(v) => v.to_string(),
        None => "empty".to_string(),
    })
}

pub(super) fn show_flag(b: bool) -> Shown {
    Shown(if b { "Yes" } else { "No" }.to_string())
}

/// Problems for each deal-level field on which `row` (at `at`) differs from `first` (from line
/// `first_line`).
pub(super) fn compare(
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
