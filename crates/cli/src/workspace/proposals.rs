//! `defcoop proposal list|show|move|table-plan|assign` and `defcoop action
//! list|show|done|cancel|reopen`.

use anyhow::{bail, Result};
use clap::Subcommand;
use defcoop_app::render::{self, cut, Lang};
use defcoop_app::workspace::{ActionState, Move, TablePlan};
use defcoop_domain::workspace::{ActionStatus, DecisionMethod, ProposalStatus, Votes};

use super::{answer, day, failed, one_of, optional_day, session};
use crate::{DbArg, Report};

#[derive(Subcommand)]
pub enum ProposalCommand {
    /// The proposals you see, by id.
    List {
        #[command(flatten)]
        db: DbArg,
        /// Only proposals in this state: draft, tabled, under-consideration, agreed,
        /// rejected or withdrawn.
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// One proposal with its dated history and its plan.
    Show {
        #[command(flatten)]
        db: DbArg,
        id: String,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Move a proposal to its next state (draft → tabled → under-consideration → agreed or
    /// rejected; withdrawn from any open state), adding a dated step to its history.
    Move {
        #[command(flatten)]
        db: DbArg,
        id: String,
        /// The new state.
        #[arg(long, value_name = "STATUS")]
        to: String,
        /// The day of the step (YYYY-MM-DD; default today).
        #[arg(long, value_name = "DAY")]
        on: Option<String>,
        /// Who moved it (a person's id).
        #[arg(long, value_name = "PERSON")]
        by: Option<String>,
        /// At which meeting.
        #[arg(long, value_name = "ID")]
        meeting: Option<String>,
        /// How an agreed or rejected proposal was decided: consensus or vote.
        #[arg(long, value_name = "METHOD")]
        method: Option<String>,
        /// The votes of a decision by vote: FOR,AGAINST,ABSTAIN (e.g. 12,3,0).
        #[arg(long, value_name = "FOR,AGAINST,ABSTAIN")]
        votes: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Compute a gap-closure plan between two fleets (as `interop plan`) and table it as a
    /// new proposal.
    TablePlan {
        #[command(flatten)]
        db: DbArg,
        /// The new proposal's id.
        #[arg(long)]
        id: String,
        /// Its title.
        #[arg(long)]
        title: String,
        /// A summary.
        #[arg(long)]
        summary: Option<String>,
        /// Left fleet: all, operator:X, origin:X, category:C, producer:ORG, ids:a,b
        /// (repeat = AND).
        #[arg(long, required = true, value_name = "F")]
        left: Vec<String>,
        /// Right fleet, same filters.
        #[arg(long, required = true, value_name = "F")]
        right: Vec<String>,
        /// Only this domain (repeatable; default every domain).
        #[arg(long = "domain", value_name = "CODE")]
        domains: Vec<String>,
        /// The level a (system, system, domain) triple must reach: 1, 2 or 3.
        #[arg(long, default_value_t = 2)]
        target: u8,
        /// At most this many actions.
        #[arg(long, default_value_t = 10)]
        budget: usize,
        /// The body it is put to.
        #[arg(long, value_name = "ID")]
        body: Option<String>,
        /// The organization putting it forward.
        #[arg(long, value_name = "ORG")]
        sponsor: Option<String>,
        /// Who tables it (a person's id).
        #[arg(long, value_name = "PERSON")]
        by: Option<String>,
        /// At which meeting.
        #[arg(long, value_name = "ID")]
        meeting: Option<String>,
        /// A bloc filter means the bloc's members on this day (YYYY-MM-DD; default today).
        #[arg(long, value_name = "DAY")]
        on: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Turn an agreed plan into action items, one per action, owned by each system's
    /// producer (actions that have an item already are skipped).
    Assign {
        #[command(flatten)]
        db: DbArg,
        /// The agreed proposal.
        id: String,
        /// The day the items are due (YYYY-MM-DD).
        #[arg(long, value_name = "DAY")]
        due: String,
        /// The decision that agreed it.
        #[arg(long, value_name = "ID")]
        decision: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
}

#[derive(Subcommand)]
pub enum ActionCommand {
    /// The action items you see, by due day, with their computed state: overdue, or done
    /// in the registry (with the change that did it).
    List {
        #[command(flatten)]
        db: DbArg,
        /// Only those this person or organization owns.
        #[arg(long, value_name = "ID")]
        owner: Option<String>,
        /// Only those in this state: open, overdue, done, done-in-registry or cancelled.
        #[arg(long, value_name = "STATE")]
        state: Option<String>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// One action item with its computed state.
    Show {
        #[command(flatten)]
        db: DbArg,
        id: String,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Mark an action item done.
    Done {
        #[command(flatten)]
        db: DbArg,
        id: String,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Cancel an action item.
    Cancel {
        #[command(flatten)]
        db: DbArg,
        id: String,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
    /// Open an action item again.
    Reopen {
        #[command(flatten)]
        db: DbArg,
        id: String,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
    },
}

fn proposal_status(option: &str, value: &str) -> Result<ProposalStatus> {
    one_of(
        option,
        value,
        "a proposal status",
        &ProposalStatus::ALL,
        ProposalStatus::as_str,
    )
}

/// `FOR,AGAINST,ABSTAIN` (abstentions may be left out).
fn votes(value: &str) -> Result<Votes> {
    let numbers: Option<Vec<u32>> = value
        .split(',')
        .map(|n| n.trim().parse::<u32>().ok())
        .collect();
    match numbers.as_deref() {
        Some(&[f, a]) => Ok(Votes {
            in_favour: f,
            against: a,
            abstain: 0,
        }),
        Some(&[f, a, b]) => Ok(Votes {
            in_favour: f,
            against: a,
            abstain: b,
        }),
        _ => bail!(
            "--votes \"{}\": give FOR,AGAINST,ABSTAIN as whole numbers (e.g. 12,3,0)",
            cut(value, 40)
        ),
    }
}

pub(super) async fn proposal(cmd: ProposalCommand, lang: Lang) -> Result<()> {
    let fail = failed(lang);
    match cmd {
        ProposalCommand::List { db, status, format } => {
            let status = status
                .map(|s| proposal_status("--status", &s))
                .transpose()?;
            let (app, who) = session(&db).await?;
            let found = app.proposals(&who, status).await;
            app.store().close().await;
            let found = found.map_err(fail)?;
            answer(format, &found, || render::proposals_table(&found, lang));
        }
        ProposalCommand::Show { db, id, format } => {
            let (app, who) = session(&db).await?;
            let found = app.proposal(&who, &id).await;
            app.store().close().await;
            let found = found.map_err(fail)?;
            answer(format, &found, || render::proposal_text(&found, lang));
        }
        ProposalCommand::Move {
            db,
            id,
            to,
            on,
            by,
            meeting,
            method,
            votes: given,
            format,
        } => {
            let mv = Move {
                to: proposal_status("--to", &to)?,
                on: optional_day("--on", on.as_deref())?,
                by,
                meeting,
                method: method
                    .map(|m| {
                        one_of(
                            "--method",
                            &m,
                            "a decision method",
                            &DecisionMethod::ALL,
                            DecisionMethod::as_str,
                        )
                    })
                    .transpose()?,
                votes: given.as_deref().map(votes).transpose()?,
            };
            let (app, who) = session(&db).await?;
            let done = app.move_proposal(&who, &id, &mv).await;
            app.store().close().await;
            let done = done.map_err(fail)?;
            answer(format, &done, || render::proposal_line(&done, lang));
        }
        ProposalCommand::TablePlan {
            db,
            id,
            title,
            summary,
            left,
            right,
            domains,
            target,
            budget,
            body,
            sponsor,
            by,
            meeting,
            on,
            format,
        } => {
            let plan = TablePlan {
                id,
                title,
                summary,
                body,
                sponsor,
                by,
                meeting,
                left,
                right,
                domains,
                target,
                budget,
                on: optional_day("--on", on.as_deref())?,
            };
            let (app, who) = session(&db).await?;
            let done = app.table_plan(&who, &plan).await;
            app.store().close().await;
            let done = done.map_err(fail)?;
            answer(format, &done, || {
                let mut text = render::proposal_line(&done, lang);
                if let Some(p) = &done.plan {
                    text.push_str(&render::tabled_plan_text(p, lang));
                }
                text
            });
        }
        ProposalCommand::Assign {
            db,
            id,
            due,
            decision,
            format,
        } => {
            let due = day("--due", &due)?;
            let (app, who) = session(&db).await?;
            let made = app.assign_plan(&who, &id, due, decision.as_deref()).await;
            app.store().close().await;
            let made = made.map_err(fail)?;
            answer(format, &made, || render::assigned_text(&made, lang));
        }
    }
    Ok(())
}

pub(super) async fn action(cmd: ActionCommand, lang: Lang) -> Result<()> {
    let fail = failed(lang);
    let (db, id, status, format) = match cmd {
        ActionCommand::List {
            db,
            owner,
            state,
            format,
        } => {
            let state = state
                .map(|s| {
                    one_of(
                        "--state",
                        &s,
                        "an action item state",
                        &ActionState::ALL,
                        ActionState::as_str,
                    )
                })
                .transpose()?;
            let (app, who) = session(&db).await?;
            let found = app.action_items(&who, owner.as_deref(), state).await;
            app.store().close().await;
            let found = found.map_err(fail)?;
            answer(format, &found, || render::actions_table(&found, lang));
            return Ok(());
        }
        ActionCommand::Show { db, id, format } => {
            let (app, who) = session(&db).await?;
            let found = app.action_item(&who, &id).await;
            app.store().close().await;
            let found = found.map_err(fail)?;
            answer(format, &found, || render::action_item_text(&found, lang));
            return Ok(());
        }
        ActionCommand::Done { db, id, format } => (db, id, ActionStatus::Done, format),
        ActionCommand::Cancel { db, id, format } => (db, id, ActionStatus::Cancelled, format),
        ActionCommand::Reopen { db, id, format } => (db, id, ActionStatus::Open, format),
    };
    let (app, who) = session(&db).await?;
    let done = app.set_action_status(&who, &id, status).await;
    app.store().close().await;
    let done = done.map_err(fail)?;
    answer(format, &done, || render::action_item_line(&done, lang));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn votes_are_two_or_three_whole_numbers() {
        let v = votes("12, 3,1").ok();
        assert_eq!(
            v.map(|v| (v.in_favour, v.against, v.abstain)),
            Some((12, 3, 1))
        );
        let v = votes("5,4").ok();
        assert_eq!(
            v.map(|v| (v.in_favour, v.against, v.abstain)),
            Some((5, 4, 0))
        );
        for bad in ["12", "a,b", "1,2,3,4", "-1,2", ""] {
            let err = votes(bad).map(|_| ()).unwrap_err().to_string();
            assert!(err.contains("give FOR,AGAINST,ABSTAIN"), "{bad}: {err}");
        }
    }

    #[test]
    fn states_name_the_option_and_the_legal_values() {
        let err = proposal_status("--to", "done")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "--to: \"done\" is not a proposal status (draft, tabled, under-consideration, agreed, rejected, withdrawn)"
        );
        assert_eq!(
            proposal_status("--to", "Under consideration").ok(),
            Some(ProposalStatus::UnderConsideration)
        );
    }
}
