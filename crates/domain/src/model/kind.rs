//! The kinds of records a dataset holds, with their names in the file, in messages and in
//! paths.

/// The entity kinds of a dataset. The registry's are in dependency order (a kind only
/// references earlier kinds); the workspace's, after them, name the registry's people and
/// organizations and each other (a meeting's agenda names proposals, a proposal's history
/// meetings), and are checked together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Policy,
    Nation,
    Bloc,
    Organization,
    Person,
    Domain,
    Standard,
    Profile,
    System,
    Conformance,
    Gateway,
    Transfer,
    Body,
    Meeting,
    Minutes,
    Proposal,
    Decision,
    ActionItem,
    Engagement,
    Document,
    CapabilityArea,
    Need,
    Offer,
    Instrument,
}

impl Kind {
    pub const ALL: [Kind; 24] = [
        Kind::Policy,
        Kind::Nation,
        Kind::Bloc,
        Kind::Organization,
        Kind::Person,
        Kind::Domain,
        Kind::Standard,
        Kind::Profile,
        Kind::System,
        Kind::Conformance,
        Kind::Gateway,
        Kind::Transfer,
        Kind::Body,
        Kind::Meeting,
        Kind::Minutes,
        Kind::Proposal,
        Kind::Decision,
        Kind::ActionItem,
        Kind::Engagement,
        Kind::Document,
        Kind::CapabilityArea,
        Kind::Need,
        Kind::Offer,
        Kind::Instrument,
    ];

    /// The workspace's kinds (docs/WORKSPACE.md): bodies, meetings, minutes, proposals,
    /// decisions, action items, engagements and documents.
    pub const WORKSPACE: [Kind; 8] = [
        Kind::Body,
        Kind::Meeting,
        Kind::Minutes,
        Kind::Proposal,
        Kind::Decision,
        Kind::ActionItem,
        Kind::Engagement,
        Kind::Document,
    ];

    /// Matchmaking's kinds (docs/MATCHMAKING.md): capability areas, needs, offers and funding
    /// instruments.
    pub const MATCHMAKING: [Kind; 4] = [
        Kind::CapabilityArea,
        Kind::Need,
        Kind::Offer,
        Kind::Instrument,
    ];

    /// Whether this is one of the workspace's kinds.
    pub fn is_workspace(self) -> bool {
        Kind::WORKSPACE.contains(&self)
    }

    /// Whether this is one of matchmaking's kinds.
    pub fn is_matchmaking(self) -> bool {
        Kind::MATCHMAKING.contains(&self)
    }

    /// Whether records of this kind are kept whole as documents and follow the rules of
    /// `workspace::rules::Record`: the workspace's and matchmaking's.
    pub fn is_document(self) -> bool {
        self.is_workspace() || self.is_matchmaking()
    }

    /// The array name in the dataset file (and the CSV file stem).
    pub fn array(self) -> &'static str {
        match self {
            Kind::Policy => "policies",
            Kind::Nation => "nations",
            Kind::Bloc => "blocs",
            Kind::Organization => "organizations",
            Kind::Person => "people",
            Kind::Domain => "domains",
            Kind::Standard => "standards",
            Kind::Profile => "profiles",
            Kind::System => "systems",
            Kind::Conformance => "conformances",
            Kind::Gateway => "gateways",
            Kind::Transfer => "transfers",
            Kind::Body => "bodies",
            Kind::Meeting => "meetings",
            Kind::Minutes => "minutes",
            Kind::Proposal => "proposals",
            Kind::Decision => "decisions",
            Kind::ActionItem => "action_items",
            Kind::Engagement => "engagements",
            Kind::Document => "documents",
            Kind::CapabilityArea => "capability_areas",
            Kind::Need => "needs",
            Kind::Offer => "offers",
            Kind::Instrument => "instruments",
        }
    }

    /// The singular name, for messages and commands: `system`, `conformance`.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Nation => "nation",
            Kind::Bloc => "bloc",
            Kind::Organization => "organization",
            Kind::Person => "person",
            Kind::Domain => "domain",
            Kind::Standard => "standard",
            Kind::Profile => "profile",
            Kind::System => "system",
            Kind::Conformance => "conformance",
            Kind::Gateway => "gateway",
            Kind::Transfer => "transfer",
            Kind::Body => "body",
            Kind::Meeting => "meeting",
            Kind::Minutes => "minutes",
            Kind::Proposal => "proposal",
            Kind::Decision => "decision",
            Kind::ActionItem => "action item",
            Kind::Engagement => "engagement",
            Kind::Document => "document",
            Kind::CapabilityArea => "capability area",
            Kind::Need => "need",
            Kind::Offer => "offer",
            Kind::Instrument => "instrument",
        }
    }

    /// The singular name as one word, for paths and commands: `system`, `action-item`.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::ActionItem => "action-item",
            Kind::CapabilityArea => "capability-area",
            k => k.noun(),
        }
    }

    /// A kind of labelled record by its singular or plural name (`system`, `transfers`;
    /// a name of two words also with `-` or `_`: `action-item`); policies carry no label and
    /// are not one.
    pub fn labelled_by_name(name: &str) -> Option<Kind> {
        Self::ALL
            .into_iter()
            .filter(|k| *k != Kind::Policy)
            .find(|k| {
                k.array() == name
                    || k.noun() == name
                    || k.noun().replace(' ', "-") == name
                    || k.noun().replace(' ', "_") == name
            })
    }

    pub fn from_array(name: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|k| k.array() == name)
    }
}
