//! The JSON bodies of the workspace API's writes (`api.rs`), with their schemas: unknown
//! fields are refused, as in the record routes.

use defcoop_domain::workspace::{ActionStatus, DecisionMethod, Outcome, ProposalStatus, Votes};
use serde::Deserialize;
use utoipa::ToSchema;

/// An agenda item's outcome, by the item's position (1 is the first).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemOutcome {
    #[schema(minimum = 1, example = 1)]
    pub item: usize,
    pub outcome: Outcome,
}

/// `POST /api/v1/workspace/meetings/{id}/close`: how agenda items ended; items not named keep
/// the outcome they have.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseMeeting {
    #[serde(default)]
    #[schema(max_items = 1000)]
    pub outcomes: Vec<ItemOutcome>,
}

/// `POST /api/v1/workspace/minutes/{id}/comment`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentMinutes {
    #[schema(example = "Item 2 was deferred to March.")]
    pub text: String,
    /// The person commenting: only for an account that is nobody (the operator); a user
    /// comments as the person the account is linked to.
    #[serde(default)]
    pub person: Option<String>,
}

/// `POST /api/v1/workspace/minutes/{id}/correct`: the correction's id and text.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectMinutes {
    #[schema(example = "inaugural-meeting-minutes-2")]
    pub id: String,
    pub text: String,
}

/// `POST /api/v1/workspace/proposals/{id}/move`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveProposal {
    pub to: ProposalStatus,
    /// The day (`YYYY-MM-DD`); today by default.
    #[serde(default)]
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub on: Option<String>,
    /// Who moved it (a person's id).
    #[serde(default)]
    pub by: Option<String>,
    /// At which meeting (its id).
    #[serde(default)]
    pub meeting: Option<String>,
    /// Only for agreed or rejected.
    #[serde(default)]
    pub method: Option<DecisionMethod>,
    /// Only for a vote.
    #[serde(default)]
    pub votes: Option<Votes>,
}

/// `POST /api/v1/workspace/proposals/table-plan`: a gap-closure plan computed now and tabled
/// as a new proposal.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TablePlanBody {
    #[schema(example = "kor-nato-plan-2")]
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// The body it is put to.
    #[serde(default)]
    pub body: Option<String>,
    /// The organization putting it forward.
    #[serde(default)]
    pub sponsor: Option<String>,
    /// Who tables it (a person's id).
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub meeting: Option<String>,
    /// The fleets' filters, as `/api/v1/interop/plan` reads them.
    #[schema(min_items = 1, max_items = 20)]
    pub left: Vec<String>,
    #[schema(min_items = 1, max_items = 20)]
    pub right: Vec<String>,
    /// Domain codes to plan over (default every domain).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub domains: Vec<String>,
    /// The target level (1–3, default 2).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 3)]
    pub target: Option<u8>,
    /// Actions at most (1–100, default 10).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 100)]
    pub budget: Option<usize>,
    /// The day whose bloc members the filters mean (`YYYY-MM-DD`).
    #[serde(default)]
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub on: Option<String>,
}

/// `POST /api/v1/workspace/proposals/{id}/assign`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignPlan {
    /// The day the action items are due (`YYYY-MM-DD`).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", example = "2027-06-30")]
    pub due: String,
    /// The decision that agreed the plan.
    #[serde(default)]
    pub decision: Option<String>,
}

/// `POST /api/v1/workspace/actions/{id}/status`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetActionStatus {
    pub status: ActionStatus,
}
