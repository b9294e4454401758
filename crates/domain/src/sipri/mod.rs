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
use crate::location::utf8;
use crate::model::{Dataset, Nation, Operator, PartyKind, Source, System, Tiv, Transfer};

mod attach;
#[cfg(test)]
mod fixtures;
mod map;
mod names;
mod old;
mod parse;
mod row;

pub use attach::{attach, similar, Attachment, Matched, MatchedBy, NearDuplicate};
pub use map::{kebab_case, to_dataset, Summary, SOURCE_URL};
use names::*;
pub use names::{actor, actors};
use old::*;
pub use parse::parse_register;
use parse::*;
use row::*;

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
