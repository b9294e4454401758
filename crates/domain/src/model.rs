//! Registry entities (PRODUCT.md "Domain model", normative names).
//!
//! Every record carries three optional metadata fields besides its own: `label` (releasability),
//! `sources` (where the facts come from) and `illustrative` (true when a record is made up to
//! show a feature rather than sourced). Field order here is the order of the exported JSON.

use serde::{Deserialize, Serialize};

pub use crate::day::Day;

mod kind;
use crate::label::{Label, Policy};
pub use crate::matchmaking::{CapabilityArea, Instrument, Need, Offer};
pub use crate::workspace::{
    ActionItem, Body, Decision, Document, Engagement, Meeting, Minutes, Proposal,
};

/// Where a record's facts come from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// For `skip_serializing_if`: false flags are left out of the file.
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// Declares a registry record struct with the shared metadata fields appended.
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub label: Option<Label>,
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub sources: Vec<Source>,
            #[serde(default, skip_serializing_if = "is_false")]
            pub illustrative: bool,
        }
    };
}

/// Declares a unit-only enum written as fixed strings: serde reads and writes each variant as
/// its string, `ALL` lists the variants in order, `as_str` and `parse` convert. The derives
/// every such enum has are added; give others (`Default`) as an attribute.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            // `tt`, not `literal`: a `literal` fragment reaches derives wrapped in an invisible
            // group, which utoipa's derive does not see through (it then names the variant).
            $( $(#[$vmeta:meta])* $variant:ident = $text:tt, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )*
        }

        impl $name {
            pub const ALL: [$name; [$($text),*].len()] = [$($name::$variant),*];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|k| k.as_str() == s)
            }
        }
    };
}
pub(crate) use record;
pub(crate) use string_enum;

record! {
    /// A nation, keyed by its ISO 3166-1 alpha-3 code.
    pub struct Nation {
        pub code: String,
        pub name: String,
    }
}

/// A nation's membership of a bloc.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub nation: String,
    /// Year (`YYYY`) or date (`YYYY-MM-DD`) of accession, when a source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Year or date the membership ended (the last day a member), for a former member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

impl Member {
    /// Whether the membership covers `day`: from the first day of `since` (a year-only date:
    /// 1 January) to the last day of `until` (a year-only date: 31 December), each open when
    /// absent. A date that does not parse (never stored: validation refuses it) counts as absent.
    pub fn on(&self, day: Day) -> bool {
        let since = self.since.as_deref().and_then(Day::first_of);
        let until = self.until.as_deref().and_then(Day::last_of);
        since.is_none_or(|s| s <= day) && until.is_none_or(|u| day <= u)
    }

    /// Whether the state was a member at any time during `year` (joining and leaving years
    /// included).
    pub fn in_year(&self, year: u16) -> bool {
        let since = self.since.as_deref().and_then(Day::first_of);
        let until = self.until.as_deref().and_then(Day::last_of);
        since.is_none_or(|s| s.year <= year) && until.is_none_or(|u| year <= u.year)
    }
}

string_enum! {
    /// What holds a bloc together: a treaty alliance, a union of states, an association (a
    /// free-trade or economic area) or a partnership (a non-binding agreement between a bloc and
    /// partner states, such as the EU's Security and Defence Partnerships).
    pub enum BlocKind {
        Alliance = "alliance",
        Union = "union",
        Association = "association",
        Partnership = "partnership",
    }
}

record! {
    /// A group of nations (NATO, EU, ...).
    pub struct Bloc {
        pub code: String,
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub kind: Option<BlocKind>,
        #[serde(default)]
        pub members: Vec<Member>,
    }
}

string_enum! {
    /// What kind of organization a record is.
    pub enum OrgKind {
        Agency = "agency",
        InternationalOrganization = "international-organization",
        Company = "company",
        Research = "research",
    }
}

record! {
    /// An agency, international organization, company or research institute.
    pub struct Organization {
        pub id: String,
        pub name: String,
        pub kind: OrgKind,
        pub nation: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ncage: Option<String>,
    }
}

record! {
    /// An official or other named person.
    pub struct Person {
        pub id: String,
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name_native: Option<String>,
        pub organization: String,
        pub title: String,
    }
}

record! {
    /// An interoperability domain (ammunition, fuel, a data link family, ...).
    pub struct Domain {
        pub code: String,
        pub name: String,
    }
}

record! {
    /// A standard (STANAG or other) in one domain.
    ///
    /// `tag`, `date`, `version` and `covers` come from catalogues such as the NATO NISP: the
    /// short reference (`STANAG 5516 Ed 4`), the publication date and version, and for a cover
    /// document (a STANAG that promulgates other documents) the standards it covers.
    pub struct Standard {
        pub id: String,
        pub title: String,
        /// Ids or references of the same standard in other sources (a NISP id such as
        /// `nato-stanag5516ed4`), so that importing them adds to this record.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub aliases: Vec<String>,
        pub body: String,
        pub domain: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tag: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub date: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub version: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub covers: Vec<String>,
    }
}

string_enum! {
    /// What kind of NISP profile a record is.
    pub enum ProfileKind {
        /// A capability profile (e.g. an FMN spiral).
        Capability = "capability",
        /// A profile grouping other profiles.
        Profile = "profile",
        /// A service profile: standards with obligations.
        Service = "service",
    }
}

string_enum! {
    /// How strongly a profile asks for a standard (NISP obligation).
    pub enum ObligationLevel {
        Mandatory = "mandatory",
        Conditional = "conditional",
        Recommended = "recommended",
        Optional = "optional",
        None = "none",
    }
}

string_enum! {
    /// Where a standard stands in a profile's lifecycle (NISP): in use, or a candidate.
    pub enum Lifecycle {
        Current = "current",
        Candidate = "candidate",
    }
}

/// A standard a profile asks for, with the obligation and lifecycle.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub standard: String,
    pub obligation: ObligationLevel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

record! {
    /// A capability or service profile (NATO NISP): standards with obligations, and
    /// sub-profiles. Its id is the NISP id.
    pub struct Profile {
        pub id: String,
        pub kind: ProfileKind,
        pub title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub subprofiles: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub obligations: Vec<Obligation>,
    }
}

/// A nation operating a system.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operator {
    pub nation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
}

record! {
    /// A defence system.
    pub struct System {
        pub id: String,
        pub name: String,
        /// Names of the same system in other sources (SIPRI's designation `K-9 155mm`), so
        /// that importing them adds to this record instead of creating a twin.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub aliases: Vec<String>,
        pub category: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub producer: Option<String>,
        pub origin: String,
        #[serde(default)]
        pub operators: Vec<Operator>,
    }
}

string_enum! {
    /// How well a conformance is established: claimed < tested < certified.
    pub enum ConformanceStatus {
        Claimed = "claimed",
        Tested = "tested",
        Certified = "certified",
    }
}

record! {
    /// A system's conformance to a standard; keyed by (system, standard).
    pub struct Conformance {
        pub system: String,
        pub standard: String,
        pub status: ConformanceStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub evidence: Option<String>,
    }
}

string_enum! {
    /// Whether a gateway translates everything (full) or only part of the traffic (partial).
    pub enum Fidelity {
        Full = "full",
        Partial = "partial",
    }
}

string_enum! {
    /// Whether a gateway exists (fielded) or is only planned.
    pub enum GatewayStatus {
        Fielded = "fielded",
        Planned = "planned",
    }
}

record! {
    /// A translator between two standards of one domain.
    pub struct Gateway {
        pub id: String,
        pub name: String,
        pub domain: String,
        pub from: String,
        pub to: String,
        pub bidirectional: bool,
        pub fidelity: Fidelity,
        pub status: GatewayStatus,
    }
}

string_enum! {
    /// What a party to a transfer is: a state (a nation of the registry), a non-state actor (a
    /// rebel group, a UN mission, ...), or unknown (SIPRI's "unknown supplier(s)").
    #[derive(Default)]
    pub enum PartyKind {
        #[default]
        State = "state",
        NonState = "non-state",
        Unknown = "unknown",
    }
}

impl PartyKind {
    pub fn is_state(&self) -> bool {
        *self == PartyKind::State
    }
}

/// An amount of SIPRI trend-indicator value (TIV), in millions. Always finite.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tiv(pub f64);

// A `Tiv` is never NaN: JSON cannot express it, and every constructor in this crate parses
// finite decimals, so equality is reflexive.
impl Eq for Tiv {}

/// Deliveries of one transfer in one year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    pub year: u16,
    #[serde(default, skip_serializing_if = "is_false")]
    pub year_estimated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub number_estimated: bool,
    /// TIV of the weapons delivered that year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiv: Option<Tiv>,
}

record! {
    /// An arms transfer (a SIPRI deal): who supplied what to whom, when it was ordered and what
    /// was delivered each year. `supplier` and `recipient` are nation codes when their kind is
    /// `state` (the default), else the actor's name.
    pub struct Transfer {
        pub id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sipri_id: Option<u64>,
        pub supplier: String,
        #[serde(default, skip_serializing_if = "PartyKind::is_state")]
        pub supplier_kind: PartyKind,
        pub recipient: String,
        #[serde(default, skip_serializing_if = "PartyKind::is_state")]
        pub recipient_kind: PartyKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub system: Option<String>,
        pub designation: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        pub category: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ordered: Option<u16>,
        #[serde(default, skip_serializing_if = "is_false")]
        pub ordered_estimated: bool,
        /// Items ordered, when the source gives it (SIPRI's older layout does).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub number_ordered: Option<u32>,
        #[serde(default, skip_serializing_if = "is_false")]
        pub number_ordered_estimated: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub status: Option<String>,
        /// TIV per unit (SIPRI's estimate for a new unit).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tiv_unit: Option<Tiv>,
        /// TIV per unit of this deal (lower for second-hand weapons).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tiv_deal_unit: Option<Tiv>,
        #[serde(default, skip_serializing_if = "is_false")]
        pub local_production: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub deliveries: Vec<Delivery>,
        /// Items delivered over all `deliveries`, when the source does not split them by year
        /// (SIPRI's older layout gives the years and one total); then the deliveries carry
        /// their years only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub delivered: Option<u32>,
        #[serde(default, skip_serializing_if = "is_false")]
        pub delivered_estimated: bool,
        /// TIV delivered over all `deliveries`, when not split by year (as `delivered`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tiv_delivered: Option<Tiv>,
    }
}

/// What a transfer delivered within a range of years, see [`Transfer::delivered_in`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveredIn<'a> {
    /// The deliveries of the years in the range (none when nothing was delivered then).
    Years(Vec<&'a Delivery>),
    /// Totals not split by year (SIPRI's older layout), all of whose years lie in the range.
    Whole {
        tiv: Option<Tiv>,
        items: Option<u32>,
    },
    /// Totals not split by year of which only some years, or no known year, lie in a bounded
    /// range: they cannot be counted without inventing a split.
    Straddling,
}

impl Transfer {
    /// What this transfer delivered in the delivery years `from..=to` (each bound optional).
    pub fn delivered_in(&self, from: Option<u16>, to: Option<u16>) -> DeliveredIn<'_> {
        let inside = |y: u16| from.is_none_or(|f| y >= f) && to.is_none_or(|t| y <= t);
        let years: Vec<&Delivery> = self.deliveries.iter().filter(|d| inside(d.year)).collect();
        if self.delivered.is_none() && self.tiv_delivered.is_none() {
            return DeliveredIn::Years(years);
        }
        let bounded = from.is_some() || to.is_some();
        match (self.deliveries.len(), years.len()) {
            (0, _) if bounded => DeliveredIn::Straddling,
            (n, k) if k == n => DeliveredIn::Whole {
                tiv: self.tiv_delivered,
                items: self.delivered,
            },
            (_, 0) => DeliveredIn::Years(vec![]),
            _ => DeliveredIn::Straddling,
        }
    }
}

/// The magic value of the dataset file's `format` field.
pub const DATASET_FORMAT: &str = "defcoop-dataset";
/// The dataset file version this build reads and writes.
pub const DATASET_VERSION: u64 = 1;

/// The registry as one value: what a dataset file holds, what a store snapshot returns.
///
/// In canonical form (see [`Dataset::normalize`]) every array is sorted by its key and nested
/// lists (bloc members, operators) by nation, so equal registries serialize to equal bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    pub policies: Vec<Policy>,
    pub nations: Vec<Nation>,
    pub blocs: Vec<Bloc>,
    pub organizations: Vec<Organization>,
    pub people: Vec<Person>,
    pub domains: Vec<Domain>,
    pub standards: Vec<Standard>,
    pub profiles: Vec<Profile>,
    pub systems: Vec<System>,
    pub conformances: Vec<Conformance>,
    pub gateways: Vec<Gateway>,
    pub transfers: Vec<Transfer>,
    // The consultative body's workspace (docs/WORKSPACE.md).
    pub bodies: Vec<Body>,
    pub meetings: Vec<Meeting>,
    pub minutes: Vec<Minutes>,
    pub proposals: Vec<Proposal>,
    pub decisions: Vec<Decision>,
    pub action_items: Vec<ActionItem>,
    pub engagements: Vec<Engagement>,
    pub documents: Vec<Document>,
    // Joint R&D matchmaking (docs/MATCHMAKING.md).
    pub capability_areas: Vec<CapabilityArea>,
    pub needs: Vec<Need>,
    pub offers: Vec<Offer>,
    pub instruments: Vec<Instrument>,
}

pub use kind::Kind;

impl Dataset {
    /// Sorts every array by key and nested lists by nation: the canonical form.
    pub fn normalize(&mut self) {
        self.policies.sort_by(|a, b| a.id.cmp(&b.id));
        self.nations.sort_by(|a, b| a.code.cmp(&b.code));
        self.blocs.sort_by(|a, b| a.code.cmp(&b.code));
        for bloc in &mut self.blocs {
            bloc.members.sort_by(|a, b| a.nation.cmp(&b.nation));
        }
        self.organizations.sort_by(|a, b| a.id.cmp(&b.id));
        self.people.sort_by(|a, b| a.id.cmp(&b.id));
        self.domains.sort_by(|a, b| a.code.cmp(&b.code));
        self.standards.sort_by(|a, b| a.id.cmp(&b.id));
        for standard in &mut self.standards {
            standard.covers.sort();
            standard.aliases.sort();
        }
        self.profiles.sort_by(|a, b| a.id.cmp(&b.id));
        for profile in &mut self.profiles {
            profile.subprofiles.sort();
            profile
                .obligations
                .sort_by(|a, b| a.standard.cmp(&b.standard));
        }
        self.systems.sort_by(|a, b| a.id.cmp(&b.id));
        for system in &mut self.systems {
            system.operators.sort_by(|a, b| a.nation.cmp(&b.nation));
            system.aliases.sort();
        }
        self.conformances
            .sort_by(|a, b| (&a.system, &a.standard).cmp(&(&b.system, &b.standard)));
        self.gateways.sort_by(|a, b| a.id.cmp(&b.id));
        self.transfers.sort_by(|a, b| a.id.cmp(&b.id));
        for transfer in &mut self.transfers {
            transfer.deliveries.sort_by_key(|d| d.year);
        }
        // Workspace records keep their nested lists in the order given: an agenda, a history
        // and a plan are ordered; participants, members and comments read as written.
        self.bodies.sort_by(|a, b| a.id.cmp(&b.id));
        self.meetings.sort_by(|a, b| a.id.cmp(&b.id));
        self.minutes.sort_by(|a, b| a.id.cmp(&b.id));
        self.proposals.sort_by(|a, b| a.id.cmp(&b.id));
        self.decisions.sort_by(|a, b| a.id.cmp(&b.id));
        self.action_items.sort_by(|a, b| a.id.cmp(&b.id));
        self.engagements.sort_by(|a, b| a.id.cmp(&b.id));
        self.documents.sort_by(|a, b| a.id.cmp(&b.id));
        self.capability_areas.sort_by(|a, b| a.id.cmp(&b.id));
        self.needs.sort_by(|a, b| a.id.cmp(&b.id));
        self.offers.sort_by(|a, b| a.id.cmp(&b.id));
        self.instruments.sort_by(|a, b| a.id.cmp(&b.id));
    }

    /// Number of records of one kind.
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Policy => self.policies.len(),
            Kind::Nation => self.nations.len(),
            Kind::Bloc => self.blocs.len(),
            Kind::Organization => self.organizations.len(),
            Kind::Person => self.people.len(),
            Kind::Domain => self.domains.len(),
            Kind::Standard => self.standards.len(),
            Kind::Profile => self.profiles.len(),
            Kind::System => self.systems.len(),
            Kind::Conformance => self.conformances.len(),
            Kind::Gateway => self.gateways.len(),
            Kind::Transfer => self.transfers.len(),
            Kind::Body => self.bodies.len(),
            Kind::Meeting => self.meetings.len(),
            Kind::Minutes => self.minutes.len(),
            Kind::Proposal => self.proposals.len(),
            Kind::Decision => self.decisions.len(),
            Kind::ActionItem => self.action_items.len(),
            Kind::Engagement => self.engagements.len(),
            Kind::Document => self.documents.len(),
            Kind::CapabilityArea => self.capability_areas.len(),
            Kind::Need => self.needs.len(),
            Kind::Offer => self.offers.len(),
            Kind::Instrument => self.instruments.len(),
        }
    }

    /// Total number of records.
    pub fn len(&self) -> usize {
        Kind::ALL.iter().map(|k| self.count(*k)).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A record's key, unique within its kind.
pub trait Keyed {
    const KIND: Kind;
    type Key<'a>: Ord + std::hash::Hash + Eq
    where
        Self: 'a;
    fn key(&self) -> Self::Key<'_>;
    /// The key as text, for messages: `k9`, `k9/STANAG-4425`.
    fn key_text(&self) -> String;
    fn label(&self) -> Option<&Label>;
}

macro_rules! keyed_by_field {
    ($ty:ty, $kind:expr, $field:ident) => {
        impl Keyed for $ty {
            const KIND: Kind = $kind;
            type Key<'a> = &'a str;
            fn key(&self) -> &str {
                &self.$field
            }
            fn key_text(&self) -> String {
                self.$field.clone()
            }
            fn label(&self) -> Option<&Label> {
                self.label.as_ref()
            }
        }
    };
}

keyed_by_field!(Nation, Kind::Nation, code);
keyed_by_field!(Bloc, Kind::Bloc, code);
keyed_by_field!(Organization, Kind::Organization, id);
keyed_by_field!(Person, Kind::Person, id);
keyed_by_field!(Domain, Kind::Domain, code);
keyed_by_field!(Standard, Kind::Standard, id);
keyed_by_field!(System, Kind::System, id);
keyed_by_field!(Gateway, Kind::Gateway, id);
keyed_by_field!(Profile, Kind::Profile, id);
keyed_by_field!(Transfer, Kind::Transfer, id);
keyed_by_field!(Body, Kind::Body, id);
keyed_by_field!(Meeting, Kind::Meeting, id);
keyed_by_field!(Minutes, Kind::Minutes, id);
keyed_by_field!(Proposal, Kind::Proposal, id);
keyed_by_field!(Decision, Kind::Decision, id);
keyed_by_field!(ActionItem, Kind::ActionItem, id);
keyed_by_field!(Engagement, Kind::Engagement, id);
keyed_by_field!(Document, Kind::Document, id);
keyed_by_field!(CapabilityArea, Kind::CapabilityArea, id);
keyed_by_field!(Need, Kind::Need, id);
keyed_by_field!(Offer, Kind::Offer, id);
keyed_by_field!(Instrument, Kind::Instrument, id);

impl Keyed for Policy {
    const KIND: Kind = Kind::Policy;
    type Key<'a> = &'a str;
    fn key(&self) -> &str {
        &self.id
    }
    fn key_text(&self) -> String {
        self.id.clone()
    }
    fn label(&self) -> Option<&Label> {
        None
    }
}

impl Keyed for Conformance {
    const KIND: Kind = Kind::Conformance;
    type Key<'a> = (&'a str, &'a str);
    fn key(&self) -> (&str, &str) {
        (&self.system, &self.standard)
    }
    fn key_text(&self) -> String {
        format!("{}/{}", self.system, self.standard)
    }
    fn label(&self) -> Option<&Label> {
        self.label.as_ref()
    }
}

/// One record's label, addressed by kind and key (`k9`, or `k9/STANAG-4425` for a
/// conformance): what `label show` / `label set` and the API's label endpoint work on.
impl Dataset {
    /// `None` when there is no such record (or the kind has no labels: policies);
    /// `Some(None)` for an unlabelled record.
    pub fn label_of(&self, kind: Kind, key: &str) -> Option<Option<&Label>> {
        fn find<'a, T: Keyed>(records: &'a [T], key: &str) -> Option<Option<&'a Label>> {
            records
                .iter()
                .find(|r| r.key_text() == key)
                .map(|r| r.label())
        }
        match kind {
            Kind::Policy => None,
            Kind::Nation => find(&self.nations, key),
            Kind::Bloc => find(&self.blocs, key),
            Kind::Organization => find(&self.organizations, key),
            Kind::Person => find(&self.people, key),
            Kind::Domain => find(&self.domains, key),
            Kind::Standard => find(&self.standards, key),
            Kind::Profile => find(&self.profiles, key),
            Kind::System => find(&self.systems, key),
            Kind::Conformance => find(&self.conformances, key),
            Kind::Gateway => find(&self.gateways, key),
            Kind::Transfer => find(&self.transfers, key),
            Kind::Body => find(&self.bodies, key),
            Kind::Meeting => find(&self.meetings, key),
            Kind::Minutes => find(&self.minutes, key),
            Kind::Proposal => find(&self.proposals, key),
            Kind::Decision => find(&self.decisions, key),
            Kind::ActionItem => find(&self.action_items, key),
            Kind::Engagement => find(&self.engagements, key),
            Kind::Document => find(&self.documents, key),
            Kind::CapabilityArea => find(&self.capability_areas, key),
            Kind::Need => find(&self.needs, key),
            Kind::Offer => find(&self.offers, key),
            Kind::Instrument => find(&self.instruments, key),
        }
    }

    /// A dataset holding only that record, with `label` in place of its own; `None` when there
    /// is no such record.
    pub fn with_label(&self, kind: Kind, key: &str, label: Option<Label>) -> Option<Dataset> {
        macro_rules! one {
            ($field:ident) => {{
                let mut r = self.$field.iter().find(|r| r.key_text() == key)?.clone();
                r.label = label;
                Some(Dataset {
                    $field: vec![r],
                    ..Dataset::default()
                })
            }};
        }
        match kind {
            Kind::Policy => None,
            Kind::Nation => one!(nations),
            Kind::Bloc => one!(blocs),
            Kind::Organization => one!(organizations),
            Kind::Person => one!(people),
            Kind::Domain => one!(domains),
            Kind::Standard => one!(standards),
            Kind::Profile => one!(profiles),
            Kind::System => one!(systems),
            Kind::Conformance => one!(conformances),
            Kind::Gateway => one!(gateways),
            Kind::Transfer => one!(transfers),
            Kind::Body => one!(bodies),
            Kind::Meeting => one!(meetings),
            Kind::Minutes => one!(minutes),
            Kind::Proposal => one!(proposals),
            Kind::Decision => one!(decisions),
            Kind::ActionItem => one!(action_items),
            Kind::Engagement => one!(engagements),
            Kind::Document => one!(documents),
            Kind::CapabilityArea => one!(capability_areas),
            Kind::Need => one!(needs),
            Kind::Offer => one!(offers),
            Kind::Instrument => one!(instruments),
        }
    }

    /// This dataset's versions of the records `changes` holds (by kind and key): what a write
    /// of `changes` replaces. Records `changes` creates have no version here.
    pub fn versions_of(&self, changes: &Dataset) -> Dataset {
        fn pick<T: Keyed + Clone>(mine: &[T], theirs: &[T]) -> Vec<T> {
            let keys: std::collections::HashSet<_> = theirs.iter().map(Keyed::key).collect();
            mine.iter()
                .filter(|r| keys.contains(&r.key()))
                .cloned()
                .collect()
        }
        Dataset {
            policies: pick(&self.policies, &changes.policies),
            nations: pick(&self.nations, &changes.nations),
            blocs: pick(&self.blocs, &changes.blocs),
            organizations: pick(&self.organizations, &changes.organizations),
            people: pick(&self.people, &changes.people),
            domains: pick(&self.domains, &changes.domains),
            standards: pick(&self.standards, &changes.standards),
            profiles: pick(&self.profiles, &changes.profiles),
            systems: pick(&self.systems, &changes.systems),
            conformances: pick(&self.conformances, &changes.conformances),
            gateways: pick(&self.gateways, &changes.gateways),
            transfers: pick(&self.transfers, &changes.transfers),
            bodies: pick(&self.bodies, &changes.bodies),
            meetings: pick(&self.meetings, &changes.meetings),
            minutes: pick(&self.minutes, &changes.minutes),
            proposals: pick(&self.proposals, &changes.proposals),
            decisions: pick(&self.decisions, &changes.decisions),
            action_items: pick(&self.action_items, &changes.action_items),
            engagements: pick(&self.engagements, &changes.engagements),
            documents: pick(&self.documents, &changes.documents),
            capability_areas: pick(&self.capability_areas, &changes.capability_areas),
            needs: pick(&self.needs, &changes.needs),
            offers: pick(&self.offers, &changes.offers),
            instruments: pick(&self.instruments, &changes.instruments),
        }
    }

    /// Every record's kind and key, in canonical order of kinds.
    pub fn keys(&self) -> Vec<(Kind, String)> {
        fn of<T: Keyed>(rs: &[T]) -> impl Iterator<Item = (Kind, String)> + '_ {
            rs.iter().map(|r| (T::KIND, r.key_text()))
        }
        of(&self.policies)
            .chain(of(&self.nations))
            .chain(of(&self.blocs))
            .chain(of(&self.organizations))
            .chain(of(&self.people))
            .chain(of(&self.domains))
            .chain(of(&self.standards))
            .chain(of(&self.profiles))
            .chain(of(&self.systems))
            .chain(of(&self.conformances))
            .chain(of(&self.gateways))
            .chain(of(&self.transfers))
            .chain(of(&self.bodies))
            .chain(of(&self.meetings))
            .chain(of(&self.minutes))
            .chain(of(&self.proposals))
            .chain(of(&self.decisions))
            .chain(of(&self.action_items))
            .chain(of(&self.engagements))
            .chain(of(&self.documents))
            .chain(of(&self.capability_areas))
            .chain(of(&self.needs))
            .chain(of(&self.offers))
            .chain(of(&self.instruments))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant's string, as written before `string_enum!`, in `ALL` order; serde uses the
    /// same string, and `parse` reads it back.
    #[test]
    fn enum_strings_are_unchanged_and_serde_agrees() {
        fn check<T>(all: &[T], expected: &[&str])
        where
            T: Copy + PartialEq + std::fmt::Debug + Serialize + serde::de::DeserializeOwned,
            T: StrEnum,
        {
            let strings: Vec<&str> = all.iter().map(|v| v.text()).collect();
            assert_eq!(strings, expected);
            for v in all {
                let json = serde_json::to_string(v).unwrap();
                assert_eq!(json, format!("\"{}\"", v.text()));
                assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *v);
                assert_eq!(T::read(v.text()), Some(*v));
            }
            assert_eq!(T::read("nope"), None);
        }
        trait StrEnum: Sized {
            fn text(&self) -> &'static str;
            fn read(s: &str) -> Option<Self>;
        }
        macro_rules! str_enum {
            ($($t:ty),*) => {$(
                impl StrEnum for $t {
                    fn text(&self) -> &'static str { self.as_str() }
                    fn read(s: &str) -> Option<Self> { <$t>::parse(s) }
                }
            )*};
        }
        str_enum!(
            OrgKind,
            ProfileKind,
            ObligationLevel,
            Lifecycle,
            ConformanceStatus,
            Fidelity,
            GatewayStatus,
            PartyKind
        );
        check(
            &OrgKind::ALL,
            &[
                "agency",
                "international-organization",
                "company",
                "research",
            ],
        );
        check(&ProfileKind::ALL, &["capability", "profile", "service"]);
        check(
            &ObligationLevel::ALL,
            &[
                "mandatory",
                "conditional",
                "recommended",
                "optional",
                "none",
            ],
        );
        check(&Lifecycle::ALL, &["current", "candidate"]);
        check(&ConformanceStatus::ALL, &["claimed", "tested", "certified"]);
        check(&Fidelity::ALL, &["full", "partial"]);
        check(&GatewayStatus::ALL, &["fielded", "planned"]);
        check(&PartyKind::ALL, &["state", "non-state", "unknown"]);
        assert_eq!(PartyKind::default(), PartyKind::State);
    }
}
