//! The defcoop domain: registry types, releasability labels, the dataset format (JSON and CSV),
//! import validation and planning, visibility filtering, and synthetic data.
//!
//! Invariant: no I/O here. Functions take bytes or values and return values; the store, the
//! web crate and the CLI do the reading and writing.

pub mod account;
pub mod csv;
pub mod day;
pub mod import;
pub mod json;
pub mod label;
pub mod location;
pub mod marking;
pub mod matchmaking;
pub mod merge;
pub mod model;
pub mod nisp;
pub mod refs;
pub mod sipri;
pub mod spif;
pub mod stanag4774;
pub mod synth;
#[cfg(test)]
pub(crate) mod testdata;
pub mod visibility;
pub mod workspace;
pub mod writer_view;
mod xml;

pub use import::{plan_import, Counts, ImportPlan, Incoming, Problem};
pub use label::{Clearance, Label, Policies, Policy, Reader};
pub use model::*;
pub use visibility::visible;
