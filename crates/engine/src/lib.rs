//! The interoperability engine (PRODUCT.md "Interoperability", normative semantics).
//!
//! Built from one reader's view of the registry into an immutable [`Snapshot`]; answers
//! [`pair`](pair::pair), [`matrix`](matrix::matrix), what-if ([`Snapshot::apply`]) and, later,
//! gap-closure plans. No I/O, no clocks: the callers bring data and draw progress.

mod analysis;
pub mod answer;
pub mod filter;
pub mod flows;
pub mod matrix;
pub mod pair;
pub mod plan;
pub mod snapshot;
pub mod whatif;

pub use answer::MatrixReport;
pub use filter::{select, Filter};
pub use flows::{flows, FlowQuery, Flows};
pub use matrix::{matrix, Matrix, NationPair, PairLevel};
pub use pair::{pair, Chain, DomainRating, PairReport, Shared, Step};
pub use plan::{plan, Plan};
pub use snapshot::Snapshot;
pub use whatif::Action;

/// How well two systems work together in one domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// One of them has no standard in the domain.
    Na,
    /// 0: not interoperable.
    None,
    /// 1: deconflicted — a gateway path of any fidelity runs one way.
    Deconflicted,
    /// 2: compatible — a shared standard, or full gateway paths both ways.
    Compatible,
    /// 3: integrated — a shared standard tested (or certified) on both sides.
    Integrated,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Na,
        Level::None,
        Level::Deconflicted,
        Level::Compatible,
        Level::Integrated,
    ];

    /// `na`, `0`, `1`, `2`, `3`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Na => "na",
            Level::None => "0",
            Level::Deconflicted => "1",
            Level::Compatible => "2",
            Level::Integrated => "3",
        }
    }

    /// The numeric level, `None` for na.
    pub fn number(self) -> Option<u8> {
        match self {
            Level::Na => None,
            Level::None => Some(0),
            Level::Deconflicted => Some(1),
            Level::Compatible => Some(2),
            Level::Integrated => Some(3),
        }
    }

    /// Index 0..5 (na, 0, 1, 2, 3) for count arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Na => "not applicable",
            Level::None => "not interoperable",
            Level::Deconflicted => "deconflicted",
            Level::Compatible => "compatible",
            Level::Integrated => "integrated",
        }
    }
}

/// Pair counts per level, indexed by [`Level::index`].
pub type Counts = [u64; 5];

/// What the engine cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("unknown system \"{0}\"")]
    UnknownSystem(String),
    #[error("unknown standard \"{0}\"")]
    UnknownStandard(String),
    #[error("unknown gateway \"{0}\"")]
    UnknownGateway(String),
    #[error("unknown domain \"{0}\"")]
    UnknownDomain(String),
    #[error("{0}")]
    BadFilter(String),
    #[error("{0}")]
    BadAction(String),
    /// A supplier or recipient filter that names nothing in the view.
    #[error("unknown {side} \"{name}\" (not a nation code, bloc code or actor name)")]
    UnknownParty { side: &'static str, name: String },
    #[error("unknown category \"{name}\" (known: {known})")]
    UnknownCategory { name: String, known: String },
    #[error("the year range is empty: from {from} is after to {to}")]
    BadYears { from: u16, to: u16 },
    #[error("{0}")]
    BadQuery(String),
}

/// Receives progress of long computations (the CLI draws a bar).
pub trait Progress: Sync {
    fn start(&self, total: u64);
    fn advance(&self, n: u64);
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64) {}
    fn advance(&self, _: u64) {}
}
