//! Plans that become work: a gap-closure plan tabled as a proposal (its actions with their
//! gains, the covered count before and after), agreed into action items owned by each
//! system's producer (or an agency of the nation it comes from, or the proposal's sponsor),
//! and action items whose state is computed: overdue from the due day, done when the registry
//! records the change the action asked for (a conformance tested, a gateway fielded), with a
//! link to that change.

use std::sync::Arc;

use defcoop_domain::model::{
    ConformanceStatus, Dataset, Day, Fidelity, GatewayStatus, Kind, OrgKind,
};
use defcoop_domain::workspace::rules::unassigned_plan_actions;
use defcoop_domain::workspace::{
    ActionItem, ActionStatus, Owner, PlanItem, Proposal, ProposalStatus, TabledPlan, Transition,
};
use defcoop_engine::{Action, NoProgress, Progress};
use serde::Serialize;

use super::{not_found, one, refuse};
use crate::interop::{parse_action, MatrixQuery, PlanQuery};
use crate::readmodel::find;
use crate::{Actor, App, AppError, Result};

/// A gap-closure plan to table as a new proposal.
#[derive(Debug, Clone)]
pub struct TablePlan {
    /// The new proposal's id and title.
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub body: Option<String>,
    /// The organization putting it forward.
    pub sponsor: Option<String>,
    /// Who tables it (a person's id) and at which meeting.
    pub by: Option<String>,
    pub meeting: Option<String>,
    /// The plan's question: the fleets' filters, the target level, the budget.
    pub left: Vec<String>,
    pub right: Vec<String>,
    /// Domain codes; empty for every domain.
    pub domains: Vec<String>,
    pub target: u8,
    pub budget: usize,
    pub on: Option<Day>,
}

/// The text form of an engine action: `test:k9:STANAG-4607`.
pub fn action_text(a: &Action) -> String {
    match a {
        Action::Test { system, standard } => format!("test:{system}:{standard}"),
        Action::Adopt { system, standard } => format!("adopt:{system}:{standard}"),
        Action::Field { gateway } => format!("field:{gateway}"),
        Action::Gateway { domain, from, to } => format!("gateway:{domain}:{from}:{to}"),
    }
}

/// A change the registry recorded that carries out an action: the record and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: &'static str,
    pub key: String,
    /// `conformance k9/STANAG-4607 is tested`.
    pub says: String,
}

/// An action item's state as people read it: its own status, and what is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionState {
    Open,
    /// Open and due before today.
    Overdue,
    /// Marked done.
    Done,
    /// Open, but the registry records the change its plan action asked for.
    DoneInRegistry,
    Cancelled,
}

impl ActionState {
    pub const ALL: [ActionState; 5] = [
        ActionState::Open,
        ActionState::Overdue,
        ActionState::Done,
        ActionState::DoneInRegistry,
        ActionState::Cancelled,
    ];

    /// As the JSON spells it: `open`, `overdue`, `done`, `done-in-registry`, `cancelled`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ActionState::Open => "open",
            ActionState::Overdue => "overdue",
            ActionState::Done => "done",
            ActionState::DoneInRegistry => "done-in-registry",
            ActionState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<ActionState> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// An action item with its computed state.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub item: ActionItem,
    pub state: ActionState,
    pub overdue: bool,
    /// The registry's change that carries out its plan action, when there is one.
    pub done_by: Option<Change>,
}

/// The registry's record carrying out `action`, if it holds one the reader sees.
pub fn carried_out(data: &Dataset, action: &str) -> Option<Change> {
    let a = parse_action(action).ok()?;
    match &a {
        Action::Test { system, standard } | Action::Adopt { system, standard } => {
            let c = find(&data.conformances, (system.as_str(), standard.as_str()))?;
            matches!(
                c.status,
                ConformanceStatus::Tested | ConformanceStatus::Certified
            )
            .then(|| Change {
                kind: "conformance",
                key: format!("{system}/{standard}"),
                says: format!("conformance {system}/{standard} is {}", c.status.as_str()),
            })
        }
        Action::Field { gateway } => {
            let g = find(&data.gateways, gateway.as_str())?;
            (g.status == GatewayStatus::Fielded).then(|| Change {
                kind: "gateway",
                key: g.id.clone(),
                says: format!("gateway {} is fielded", g.id),
            })
        }
        Action::Gateway { domain, from, to } => data
            .gateways
            .iter()
            .find(|g| {
                g.domain == *domain
                    && g.status == GatewayStatus::Fielded
                    && g.fidelity == Fidelity::Full
                    && ((g.from == *from && g.to == *to)
                        || (g.bidirectional && g.from == *to && g.to == *from))
            })
            .map(|g| Change {
                kind: "gateway",
                key: g.id.clone(),
                says: format!(
                    "gateway {} joins {from} and {to} in {domain}, fielded",
                    g.id
                ),
            }),
    }
}

/// An action item's computed state on `today`.
pub fn action_view(data: &Dataset, item: &ActionItem, today: Day) -> ActionView {
    let overdue = item.is_overdue(&today.to_string());
    let done_by = item
        .plan_action
        .as_deref()
        .and_then(|a| carried_out(data, a));
    let state = match item.status {
        ActionStatus::Done => ActionState::Done,
        ActionStatus::Cancelled => ActionState::Cancelled,
        ActionStatus::Open if done_by.is_some() => ActionState::DoneInRegistry,
        ActionStatus::Open if overdue => ActionState::Overdue,
        ActionStatus::Open => ActionState::Open,
    };
    ActionView {
        item: item.clone(),
        state,
        overdue: overdue && done_by.is_none(),
        done_by,
    }
}

/// Who owns the work of `action`: the system's producer, else an agency of the nation it
/// comes from; for gateways (which have neither) the proposal's sponsor; else the body's
/// secretariat.
fn owner_of(data: &Dataset, action: &Action, p: &Proposal) -> Option<String> {
    let system = match action {
        Action::Test { system, .. } | Action::Adopt { system, .. } => {
            find(&data.systems, system.as_str())
        }
        _ => None,
    };
    let from_system = system.and_then(|s| {
        s.producer.clone().or_else(|| {
            data.organizations
                .iter()
                .find(|o| o.nation == s.origin && o.kind == OrgKind::Agency)
                .map(|o| o.id.clone())
        })
    });
    from_system.or_else(|| p.sponsor.clone()).or_else(|| {
        p.body
            .as_deref()
            .and_then(|b| find(&data.bodies, b))
            .and_then(|b| b.secretariat.first().cloned())
    })
}

impl App {
    /// Computes a gap-closure plan on the actor's view and tables it as a new proposal: its
    /// history a draft and its tabling on the same day, its plan the engine's actions with
    /// their gains and the covered count before and after.
    pub async fn table_plan(&self, actor: &Actor, t: &TablePlan) -> Result<Proposal> {
        actor.require(defcoop_domain::account::Permission::to_write(
            Kind::Proposal,
        ))?;
        let outcome = self
            .plan(
                actor,
                &PlanQuery {
                    fleets: MatrixQuery {
                        left: t.left.clone(),
                        right: t.right.clone(),
                        domains: t.domains.clone(),
                        on: t.on,
                        ..MatrixQuery::default()
                    },
                    target: t.target,
                    budget: t.budget,
                },
                Arc::new(NoProgress) as Arc<dyn Progress + Send + Sync>,
            )
            .await?;
        if outcome.plan.steps.is_empty() {
            return Err(AppError::BadRequest(
                "the plan has no action (nothing raises a pair to the target): there is nothing to table"
                    .into(),
            ));
        }
        let today = self.today().to_string();
        let step = |status| Transition {
            status,
            on: today.clone(),
            by: t.by.clone(),
            meeting: t.meeting.clone(),
        };
        let proposal = Proposal {
            id: t.id.clone(),
            body: t.body.clone(),
            title: t.title.clone(),
            summary: t.summary.clone(),
            sponsor: t.sponsor.clone(),
            status: ProposalStatus::Tabled,
            history: vec![step(ProposalStatus::Draft), step(ProposalStatus::Tabled)],
            method: None,
            votes: None,
            plan: Some(TabledPlan {
                left: t.left.clone(),
                right: t.right.clone(),
                domains: t.domains.clone(),
                target: t.target,
                covered_before: outcome.plan.covered_before,
                covered_after: outcome.plan.covered_after,
                items: outcome
                    .plan
                    .steps
                    .iter()
                    .map(|s| PlanItem {
                        action: action_text(&s.action),
                        gain: s.gain,
                    })
                    .collect(),
            }),
            documents: vec![],
            label: None,
            sources: vec![],
            illustrative: false,
        };
        let written = proposal.clone();
        self.change(actor, Kind::Proposal, "proposal.table-plan", move |view| {
            if find(&view.proposals, written.id.as_str()).is_some() {
                return Err(refuse(
                    "id",
                    format!("proposal \"{}\" exists already", written.id),
                ));
            }
            Ok(Dataset {
                proposals: vec![written.clone()],
                ..Dataset::default()
            })
        })
        .await?;
        Ok(proposal)
    }

    /// Turns an agreed plan into work: one action item per plan action that has none yet,
    /// owned by the system's producer (see [`owner_of`]), due on `due`, linked to the
    /// proposal and, when given, the decision. Returns the items made (none when every action
    /// has its item).
    pub async fn assign_plan(
        &self,
        actor: &Actor,
        proposal: &str,
        due: Day,
        decision: Option<&str>,
    ) -> Result<Vec<ActionItem>> {
        let mut made = Vec::new();
        self.change(actor, Kind::ActionItem, "proposal.assign-plan", |view| {
            let p = one(&view.proposals, Kind::Proposal, proposal)?;
            if p.plan.is_none() {
                return Err(refuse(
                    "plan",
                    format!("proposal \"{proposal}\" has no gap-closure plan"),
                ));
            }
            if p.status != ProposalStatus::Agreed {
                return Err(refuse(
                    "status",
                    format!(
                        "proposal \"{proposal}\" is {}: a plan becomes work once it is agreed",
                        p.status.as_str()
                    ),
                ));
            }
            let mut items = Vec::new();
            for (_, action) in unassigned_plan_actions(view)
                .into_iter()
                .filter(|(id, _)| *id == proposal)
            {
                let parsed = parse_action(action).map_err(|e| refuse("plan", e.to_string()))?;
                let owner = owner_of(view, &parsed, &p).ok_or_else(|| {
                    refuse(
                        "owner",
                        format!("nobody to own \"{action}\": give the proposal a sponsor"),
                    )
                })?;
                let id = item_id(&p.id, action);
                items.push(ActionItem {
                    title: format!("Carry out {action} ({})", p.title),
                    id,
                    owner: Owner {
                        person: None,
                        organization: Some(owner),
                    },
                    due: due.to_string(),
                    status: ActionStatus::Open,
                    decision: decision.map(str::to_string),
                    proposal: Some(p.id.clone()),
                    plan_action: Some(action.to_string()),
                    label: p.label.clone(),
                    sources: vec![],
                    illustrative: p.illustrative,
                });
            }
            made = items.clone();
            Ok(Dataset {
                action_items: items,
                ..Dataset::default()
            })
        })
        .await?;
        Ok(made)
    }

    /// The action items `actor` sees with their computed state, by due day then id;
    /// `owner` keeps those a person or organization owns, `state` those in that state.
    pub async fn action_items(
        &self,
        actor: &Actor,
        owner: Option<&str>,
        state: Option<ActionState>,
    ) -> Result<Vec<ActionView>> {
        let data = self
            .view(actor, defcoop_store::Parts::All)
            .await?
            .data_arc();
        let today = self.today();
        let mut out: Vec<ActionView> = data
            .action_items
            .iter()
            .filter(|a| {
                owner.is_none_or(|o| {
                    a.owner.person.as_deref() == Some(o)
                        || a.owner.organization.as_deref() == Some(o)
                })
            })
            .map(|a| action_view(&data, a, today))
            .filter(|v| state.is_none_or(|s| v.state == s))
            .collect();
        out.sort_by(|a, b| (&a.item.due, &a.item.id).cmp(&(&b.item.due, &b.item.id)));
        Ok(out)
    }

    /// One action item with its computed state.
    pub async fn action_item(&self, actor: &Actor, id: &str) -> Result<ActionView> {
        let data = self
            .view(actor, defcoop_store::Parts::All)
            .await?
            .data_arc();
        let a = find(&data.action_items, id).ok_or_else(|| not_found(Kind::ActionItem, id))?;
        Ok(action_view(&data, a, self.today()))
    }
}

/// A stable id for the action item of a plan action: `PROPOSAL--test-k9-STANAG-4607`, cut to
/// the id's length limit with a digest suffix when too long.
fn item_id(proposal: &str, action: &str) -> String {
    let tail: String = action
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let id = format!("{proposal}--{tail}");
    if id.len() <= defcoop_domain::import::MAX_ID {
        return id;
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(id.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    let keep = defcoop_domain::import::MAX_ID - hex.len() - 1;
    let mut cut = id;
    while cut.len() > keep {
        cut.pop();
    }
    format!("{cut}-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_states_read_as_their_json() {
        for s in ActionState::ALL {
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::Value::from(s.as_str()))
            );
            assert_eq!(ActionState::parse(s.as_str()), Some(s));
        }
        assert_eq!(ActionState::parse("late"), None);
    }

    #[test]
    fn item_ids_are_ids_and_fit() {
        assert_eq!(
            item_id("p", "test:k9:STANAG-4607"),
            "p--test-k9-STANAG-4607"
        );
        let long = "x".repeat(90);
        let id = item_id(&long, "gateway:tactical-data-links:STANAG-5516:STANAG-5522");
        assert!(id.len() <= defcoop_domain::import::MAX_ID, "{id}");
        assert!(defcoop_domain::import::id(&id).is_ok());
    }
}
