//! Joint R&D matchmaking (docs/MATCHMAKING.md): capability areas, the needs and offers put
//! in them, and funding instruments whose eligibility rules are data.
//!
//! Records as the dataset file holds them (each may carry a label, sources and the
//! illustrative flag). The rules a record follows on its own are in [`rules`]; the check of a
//! proposed consortium against an instrument is [`consortium::check`]. Pure: the day a bloc
//! membership is read on is given by the caller.

pub mod brokerage;
pub mod brokerage_event;
pub mod builder;
pub mod consortium;
pub mod rules;
pub(crate) mod visibility;

#[cfg(test)]
mod brokerage_tests;
#[cfg(test)]
mod builder_tests;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::label::Label;
use crate::model::{is_false, record, string_enum, Source};

/// A technology readiness level range, 1 to 9 (`min` = `max` for one level).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trl {
    pub min: u8,
    pub max: u8,
}

/// Who owns a need or an offer: a bloc, a nation or an organization (exactly one).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bloc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

/// When: a year (`YYYY`), a month (`YYYY-MM`) or a day (`YYYY-MM-DD`) at either end, each
/// open when absent.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeframe {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

record! {
    /// A capability area needs and offers are put in: by default the seven priority areas of
    /// the EU's White Paper for European Defence – Readiness 2030.
    pub struct CapabilityArea {
        pub id: String,
        pub name: String,
        /// The name in Korean.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name_ko: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
    }
}

record! {
    /// A capability a bloc, nation or organization needs.
    pub struct Need {
        pub id: String,
        /// A capability area's id.
        pub area: String,
        pub title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub keywords: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub trl: Option<Trl>,
        pub owner: Party,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub timeframe: Option<Timeframe>,
        /// Systems involved (system ids).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub systems: Vec<String>,
        /// Standards involved (standard ids).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub standards: Vec<String>,
    }
}

record! {
    /// What a bloc, nation or organization offers to develop or provide.
    pub struct Offer {
        pub id: String,
        pub area: String,
        pub title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub keywords: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub trl: Option<Trl>,
        pub owner: Party,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub timeframe: Option<Timeframe>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub systems: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub standards: Vec<String>,
    }
}

string_enum! {
    /// What an instrument gives.
    pub enum InstrumentKind {
        Grant = "grant",
        Loan = "loan",
        Procurement = "procurement",
    }
}

/// A set of countries: the members of blocs (each on a day, or on the day asked), and nations.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Countries {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocs: Vec<BlocOn>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nations: Vec<String>,
}

/// A bloc's members on a day (`on` absent: the day the check is made for).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlocOn {
    pub bloc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
}

/// An instrument's eligibility rules, as data. Every rule is optional; a consortium is
/// eligible when it breaks none.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// At least this many entities from eligible countries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_entities: Option<u32>,
    /// From at least this many distinct eligible countries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_countries: Option<u32>,
    /// The eligible countries.
    #[serde(default)]
    pub eligible: Countries,
    /// Third countries whose entities may take part on conditions (`partners_may`).
    #[serde(default, skip_serializing_if = "is_empty_countries")]
    pub partners: Countries,
    /// What partners' entities may do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partners_may: Option<PartnersMay>,
    /// At most this share (percent, 0–100) of the component cost from non-eligible origins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_non_eligible_share: Option<f64>,
}

impl Eq for Rules {}

fn is_empty_countries(c: &Countries) -> bool {
    c.blocs.is_empty() && c.nations.is_empty()
}

/// What a partner's entity may do in a consortium.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnersMay {
    /// Take part in the consortium (a common procurement, a project).
    pub join: bool,
    /// Receive the instrument's funds.
    #[serde(default, skip_serializing_if = "is_false")]
    pub receive_funds: bool,
}

record! {
    /// A funding instrument with its eligibility rules as data. `modelled` says the rules are
    /// a model of the real instrument's, and `unconfirmed` what the sources could not confirm.
    pub struct Instrument {
        pub id: String,
        pub name: String,
        pub kind: InstrumentKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        pub rules: Rules,
        #[serde(default, skip_serializing_if = "is_false")]
        pub modelled: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub unconfirmed: Vec<String>,
    }
}
