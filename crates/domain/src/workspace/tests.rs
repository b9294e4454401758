//! The workspace's rules, record by record and between records.

use proptest::prelude::*;

use super::rules::{self, check, check_change};
use super::time;
use super::*;
use crate::model::{Dataset, Kind};

fn known(t: Kind, id: &str) -> bool {
    match t {
        Kind::Person => ["seok-jong-gun", "andrius-kubilius", "radmila-shekerinska"].contains(&id),
        Kind::Organization => ["dapa", "nato", "european-commission"].contains(&id),
        _ => false,
    }
}

fn meeting() -> Meeting {
    Meeting {
        id: "inaugural".into(),
        body: Some("kor-nato-eu".into()),
        title: "Inaugural meeting".into(),
        start: "2026-11-20T10:00".into(),
        end: "2026-11-20T17:00".into(),
        time_zone: "Europe/Brussels".into(),
        place: Some("Brussels".into()),
        online: None,
        participants: vec![Participant {
            person: "seok-jong-gun".into(),
            role: ParticipantRole::CoChair,
        }],
        agenda: vec![
            AgendaItem {
                title: "Terms of reference".into(),
                proposal: Some("consultative-body".into()),
                outcome: Some(Outcome::Agreed),
                notes: None,
            },
            AgendaItem {
                title: "Interoperability plan".into(),
                proposal: None,
                outcome: Some(Outcome::Noted),
                notes: None,
            },
        ],
        status: MeetingStatus::Held,
        label: None,
        sources: vec![],
        illustrative: true,
    }
}

fn step(status: ProposalStatus, on: &str) -> Transition {
    Transition {
        status,
        on: on.into(),
        by: None,
        meeting: None,
    }
}

fn proposal() -> Proposal {
    Proposal {
        id: "consultative-body".into(),
        body: None,
        title: "A joint consultative body on arms-industry cooperation".into(),
        summary: None,
        sponsor: Some("dapa".into()),
        status: ProposalStatus::Agreed,
        history: vec![
            step(ProposalStatus::Draft, "2026-03-01"),
            step(ProposalStatus::Tabled, "2026-03-30"),
            step(ProposalStatus::UnderConsideration, "2026-06-01"),
            Transition {
                meeting: Some("inaugural".into()),
                ..step(ProposalStatus::Agreed, "2026-11-20")
            },
        ],
        method: Some(DecisionMethod::Consensus),
        votes: None,
        plan: Some(TabledPlan {
            left: vec!["operator:KOR".into()],
            right: vec!["operator:NATO".into()],
            domains: vec![],
            target: 2,
            covered_before: 8,
            covered_after: 14,
            items: vec![PlanItem {
                action: "adopt:k9:STANAG-5516".into(),
                gain: 6,
            }],
        }),
        documents: vec![],
        label: None,
        sources: vec![],
        illustrative: true,
    }
}

fn body() -> Body {
    Body {
        id: "kor-nato-eu".into(),
        name: "Korea–NATO–EU consultative body".into(),
        description: None,
        members: vec!["dapa".into(), "nato".into(), "european-commission".into()],
        co_chairs: vec!["seok-jong-gun".into()],
        secretariat: vec!["dapa".into()],
        label: None,
        sources: vec![],
        illustrative: true,
    }
}

fn minutes(status: MinutesStatus) -> Minutes {
    Minutes {
        id: "inaugural-minutes".into(),
        meeting: "inaugural".into(),
        version: 1,
        corrects: None,
        status,
        text: "# Minutes\n\nThe body agreed its terms of reference.".into(),
        comments: vec![],
        label: None,
        sources: vec![],
        illustrative: true,
    }
}

fn action() -> ActionItem {
    ActionItem {
        id: "k9-link-16".into(),
        title: "K9 adopts STANAG 5516".into(),
        owner: Owner {
            person: None,
            organization: Some("dapa".into()),
        },
        due: "2027-06-30".into(),
        status: ActionStatus::Open,
        decision: None,
        proposal: Some("consultative-body".into()),
        plan_action: Some("adopt:k9:STANAG-5516".into()),
        label: None,
        sources: vec![],
        illustrative: true,
    }
}

fn workspace() -> Dataset {
    Dataset {
        bodies: vec![body()],
        meetings: vec![meeting()],
        minutes: vec![minutes(MinutesStatus::Approved)],
        proposals: vec![proposal()],
        decisions: vec![Decision {
            id: "terms-agreed".into(),
            meeting: "inaugural".into(),
            text: "The body adopts its terms of reference.".into(),
            proposals: vec!["consultative-body".into()],
            agenda_items: vec![1],
            label: None,
            sources: vec![],
            illustrative: true,
        }],
        action_items: vec![action()],
        engagements: vec![Engagement {
            id: "seok-kubilius".into(),
            title: "Seok Jong-gun meets Andrius Kubilius".into(),
            start: "2026-03-30".into(),
            end: None,
            time_zone: "Europe/Brussels".into(),
            place: Some("Brussels".into()),
            participants: vec!["seok-jong-gun".into(), "andrius-kubilius".into()],
            topics: vec!["joint R&D".into()],
            outcomes: vec![],
            label: None,
            sources: vec![],
            illustrative: false,
        }],
        ..Dataset::default()
    }
}

fn found(ws: &Dataset) -> Vec<String> {
    check(ws, known).iter().map(|p| p.to_string()).collect()
}

fn one(ws: &Dataset, location: &str, says: &str) {
    let all = found(ws);
    assert!(
        all.iter()
            .any(|p| p.starts_with(location) && p.contains(says)),
        "expected {location}: …{says}…, got {all:#?}"
    );
}

#[test]
fn the_sample_workspace_keeps_every_rule() {
    assert_eq!(found(&workspace()), Vec::<String>::new());
}

#[test]
fn a_meeting_closes_only_with_an_outcome_for_every_item() {
    let mut ws = workspace();
    ws.meetings[0].agenda[1].outcome = None;
    one(
        &ws,
        "$.meetings[0].agenda[1].outcome",
        "item 2 (\"Interoperability plan\") has no outcome",
    );
    ws.meetings[0].status = MeetingStatus::Planned;
    ws.minutes[0].status = MinutesStatus::Draft;
    ws.decisions.clear();
    one(
        &ws,
        "$.meetings[0].agenda[0].outcome",
        "a planned meeting has no outcomes yet",
    );
}

#[test]
fn times_must_exist_in_their_zone_and_end_after_they_start() {
    let mut ws = workspace();
    ws.meetings[0].end = "2026-11-20T09:00".into();
    one(&ws, "$.meetings[0].end", "is not after the start");
    ws.meetings[0].time_zone = "Europe/Atlantis".into();
    one(
        &ws,
        "$.meetings[0].time_zone",
        "\"Europe/Atlantis\" is not an IANA time zone",
    );
    let mut ws = workspace();
    ws.meetings[0].start = "2026-03-29T02:30".into();
    ws.meetings[0].end = "2026-03-29T04:00".into();
    one(
        &ws,
        "$.meetings[0].start",
        "does not exist (the clocks go forward)",
    );
    ws.meetings[0].start = "29/03/2026 10:00".into();
    one(&ws, "$.meetings[0].start", "is not a civil time");
    let mut ws = workspace();
    ws.engagements[0].end = Some("2026-03-29".into());
    one(&ws, "$.engagements[0].end", "is not after the start");
}

#[test]
fn proposals_follow_legal_transitions_with_a_dated_history() {
    let mut ws = workspace();
    ws.proposals[0].history.remove(2);
    one(
        &ws,
        "$.proposals[0].history[2].status",
        "cannot go from tabled to agreed (from tabled: under-consideration, withdrawn)",
    );
    let mut ws = workspace();
    ws.proposals[0]
        .history
        .push(step(ProposalStatus::Tabled, "2026-12-01"));
    one(&ws, "$.proposals[0].history[4].status", "(agreed is final)");
    one(
        &ws,
        "$.proposals[0].status",
        "is agreed but the history ends with tabled",
    );
    let mut ws = workspace();
    ws.proposals[0].history[1].on = "2026-02-01".into();
    one(
        &ws,
        "$.proposals[0].history[1].on",
        "is before the step before it (2026-03-01)",
    );
    ws.proposals[0].history[0].status = ProposalStatus::Tabled;
    one(
        &ws,
        "$.proposals[0].history[0].status",
        "a proposal starts as a draft",
    );
    let mut ws = workspace();
    ws.proposals[0].votes = Some(Votes {
        in_favour: 3,
        against: 1,
        abstain: 0,
    });
    one(&ws, "$.proposals[0].votes", "only when the method is vote");
    ws.proposals[0].method = Some(DecisionMethod::Vote);
    assert_eq!(found(&ws), Vec::<String>::new());
    ws.proposals[0].votes = Some(Votes {
        in_favour: 1,
        against: 3,
        abstain: 0,
    });
    one(
        &ws,
        "$.proposals[0].votes",
        "1 for and 3 against do not make the proposal agreed",
    );
}

#[test]
fn references_name_records_that_exist() {
    let mut ws = workspace();
    ws.action_items[0].owner = Owner {
        person: Some("nobody".into()),
        organization: None,
    };
    one(
        &ws,
        "$.action_items[0].owner.person",
        "unknown person \"nobody\"",
    );
    ws.action_items[0].owner.organization = Some("dapa".into());
    one(&ws, "$.action_items[0].owner", "not both");
    ws.decisions[0].meeting = "never".into();
    one(&ws, "$.decisions[0].meeting", "unknown meeting \"never\"");
    ws.meetings[0].participants.push(Participant {
        person: "seok-jong-gun".into(),
        role: ParticipantRole::Member,
    });
    one(
        &ws,
        "$.meetings[0].participants[1]",
        "person \"seok-jong-gun\" listed twice",
    );
    ws.bodies.push(body());
    one(
        &ws,
        "$.bodies[1].id",
        "id \"kor-nato-eu\" is used twice in bodies",
    );
}

#[test]
fn between_records_minutes_decisions_and_plan_actions_agree() {
    let mut ws = workspace();
    ws.decisions[0].agenda_items = vec![3];
    one(
        &ws,
        "$.decisions[0].agenda_items[0]",
        "has 2 agenda item(s); there is no item 3",
    );
    ws.action_items[0].plan_action = Some("field:gw-nowhere".into());
    one(
        &ws,
        "$.action_items[0].plan_action",
        "has no plan action \"field:gw-nowhere\"",
    );
    // A correction: of approved minutes, the same meeting, the next version.
    let mut ws = workspace();
    let mut fix = minutes(MinutesStatus::Draft);
    fix.id = "inaugural-minutes-2".into();
    fix.version = 2;
    fix.corrects = Some("inaugural-minutes".into());
    ws.minutes.push(fix.clone());
    assert_eq!(found(&ws), Vec::<String>::new());
    ws.minutes[1].version = 3;
    one(
        &ws,
        "$.minutes[1].version",
        "a correction of version 1 is version 2",
    );
    ws.minutes[1].version = 1;
    ws.minutes[1].corrects = None;
    one(
        &ws,
        "$.minutes[1].version",
        "has another version 1 of its minutes",
    );
    ws.minutes[0].status = MinutesStatus::Circulated;
    ws.minutes[1] = fix;
    one(&ws, "$.minutes[1].corrects", "are circulated, not approved");
    // Minutes go beyond a draft only for a held meeting; comments wait for circulation.
    let mut ws = workspace();
    ws.meetings[0].status = MeetingStatus::Cancelled;
    one(&ws, "$.minutes[0].status", "has not been held");
    one(
        &ws,
        "$.decisions[0].meeting",
        "decisions are taken at a held meeting",
    );
    let mut ws = workspace();
    ws.minutes[0].status = MinutesStatus::Draft;
    ws.minutes[0].comments.push(Comment {
        person: "andrius-kubilius".into(),
        text: "Add the date.".into(),
        at: None,
    });
    one(
        &ws,
        "$.minutes[0].comments",
        "draft minutes have no comments",
    );
}

#[test]
fn approved_minutes_are_frozen_and_history_only_grows() {
    let old = workspace();
    let mut new = old.clone();
    new.minutes[0].text.push_str("\n\nAn afterthought.");
    let problems: Vec<String> = check_change(&old, &new)
        .iter()
        .map(|f| f.problem().to_string())
        .collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("$.minutes[0].text: minutes \"inaugural-minutes\" are approved and frozen: write a correction"));
    let mut draft = old.clone();
    draft.minutes[0].status = MinutesStatus::Circulated;
    let mut back = draft.clone();
    back.minutes[0].status = MinutesStatus::Draft;
    assert!(check_change(&draft, &back)[0]
        .problem()
        .to_string()
        .contains("minutes move forward only"));
    let mut forward = draft.clone();
    forward.minutes[0]
        .text
        .push_str(" Edited while circulated.");
    assert!(check_change(&draft, &forward).is_empty());

    let mut rewritten = old.clone();
    rewritten.proposals[0].history[1].on = "2026-03-31".into();
    assert!(check_change(&old, &rewritten)[0]
        .problem()
        .to_string()
        .contains("history only grows"));
    let mut reopened = old.clone();
    reopened.meetings[0].status = MeetingStatus::Planned;
    assert!(check_change(&old, &reopened)[0]
        .problem()
        .to_string()
        .contains("it stays held"));
}

#[test]
fn agreeing_a_plan_leaves_its_unassigned_actions_to_assign() {
    let mut ws = workspace();
    assert!(rules::unassigned_plan_actions(&ws).is_empty());
    ws.action_items.clear();
    assert_eq!(
        rules::unassigned_plan_actions(&ws),
        vec![("consultative-body", "adopt:k9:STANAG-5516")]
    );
    ws.proposals[0].status = ProposalStatus::UnderConsideration;
    assert!(
        rules::unassigned_plan_actions(&ws).is_empty(),
        "only once agreed"
    );
}

#[test]
fn overdue_is_computed_from_the_due_date() {
    let mut a = action();
    assert!(!a.is_overdue("2027-06-30"));
    assert!(a.is_overdue("2027-07-01"));
    a.status = ActionStatus::Done;
    assert!(!a.is_overdue("2030-01-01"));
}

#[test]
fn the_dataset_form_reads_back_as_written() {
    let ws = workspace();
    let text = crate::json::to_string(&ws);
    assert!(text.contains("\"status\": \"under-consideration\"") || text.contains("\"agreed\""));
    let back = crate::json::parse(text.as_bytes()).unwrap();
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!(back.data, ws);
    let bad = text.replace("\"time_zone\"", "\"timezone\"");
    let read = crate::json::parse(bad.as_bytes()).unwrap();
    assert!(
        read.problems
            .iter()
            .any(|p| p.location.starts_with("$.engagements[0]") && p.message.contains("timezone")),
        "unknown fields are refused: {:?}",
        read.problems
    );
}

fn arb_status() -> impl Strategy<Value = ProposalStatus> {
    prop::sample::select(ProposalStatus::ALL.to_vec())
}

proptest! {
    /// A history passes exactly when every step is a legal transition from the one before,
    /// the first is a draft and the last is the status: a plain restatement of the rule.
    #[test]
    fn histories_pass_exactly_when_every_step_is_legal(
        steps in prop::collection::vec(arb_status(), 1..7),
        status in arb_status(),
    ) {
        let mut p = proposal();
        p.method = None;
        p.plan = None;
        p.status = status;
        p.history = steps.iter().map(|s| step(*s, "2026-01-01")).collect();
        let legal = steps[0] == ProposalStatus::Draft
            && steps.windows(2).all(|w| {
                use ProposalStatus::*;
                matches!(
                    (w[0], w[1]),
                    (Draft, Tabled | Withdrawn)
                        | (Tabled, UnderConsideration | Withdrawn)
                        | (UnderConsideration, Agreed | Rejected | Withdrawn)
                )
            })
            && steps.last() == Some(&status);
        let issues = <Proposal as rules::Record>::issues(&p);
        prop_assert_eq!(issues.is_empty(), legal, "{:?}", issues);
    }
}

/// The demo's workspace (in `data/demo/dataset.json`): the founding report's engagements and
/// proposals with their sources, and an illustrative inaugural meeting whose agreed plan
/// became an action item. The whole demo passes an import (every rule, against the demo
/// registry's people and organizations), and every record is either sourced or marked
/// illustrative.
#[test]
fn the_demo_workspace_keeps_every_rule() {
    let incoming =
        crate::json::parse(include_str!("../../../../data/demo/dataset.json").as_bytes()).unwrap();
    assert!(incoming.problems.is_empty(), "{:?}", incoming.problems);
    let plan = crate::plan_import(&incoming, &Dataset::default(), &crate::label::Reader::Full);
    assert!(plan.is_ok(), "{:?}", plan.err());
    let ws = incoming.data;
    assert!(!ws.meetings.is_empty() && !ws.engagements.is_empty());
    for p in &ws.proposals {
        assert!(p.illustrative || !p.sources.is_empty(), "{}", p.id);
    }
    for e in &ws.engagements {
        assert!(!e.sources.is_empty() && !e.illustrative, "{}", e.id);
    }
    assert!(ws.bodies.iter().all(|b| b.illustrative));
    assert!(ws.meetings.iter().all(|m| m.illustrative));
    // The agreed plan's action has its item: nothing left to assign.
    assert!(rules::unassigned_plan_actions(&ws).is_empty());
    // Seoul and Brussels both: the meeting starts at 18:00 in Seoul (no daylight saving
    // there; Brussels is on winter time by 20 November).
    let m = &ws.meetings[0];
    let at = time::instant(&m.start, &m.time_zone).unwrap();
    assert_eq!(
        time::shown_in(&at, "Asia/Seoul").unwrap(),
        "2025-11-20 18:00 +09:00"
    );
}
