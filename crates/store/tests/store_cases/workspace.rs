//! Store cases of the workspace (issue 9), run on both backends with the rest of the suite.

use super::*;

const WORKSPACE: &str = include_str!("../fixtures/workspace.json");

fn kor() -> Clearance {
    Clearance::default()
        .with_level("DEFCOOP", "PUBLIC")
        .with_value("RELEASABLE-TO", "KOR")
}

/// Every workspace record comes back as written (export → import → export is identical), and
/// each reader sees exactly what the rules let them: a restricted meeting is absent, a hidden
/// person leaves the lists that name them (and an engagement with fewer than two visible
/// people goes), draft minutes are the secretariat's.
pub async fn workspace_roundtrips_and_hides_by_label_and_role(s: &Store) {
    let incoming = parse(WORKSPACE);
    import(s, &incoming).await.unwrap();
    let all = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
    let mut expected = incoming.data.clone();
    expected.normalize();
    assert_eq!(all.meetings, expected.meetings);
    assert_eq!(all.proposals, expected.proposals);
    assert_eq!(all.minutes, expected.minutes);
    assert_eq!(all.engagements, expected.engagements);
    let text = json::to_string(&all);
    import(s, &parse(&text)).await.unwrap();
    let again = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
    assert_eq!(json::to_string(&again), text);

    // A reader without RESTRICTED nor KOR: no closed-door meeting, no aide, no drafts.
    let public = Reader::Cleared(Clearance::default().with_level("DEFCOOP", "PUBLIC"));
    let v = s.snapshot(&public, Parts::All).await.unwrap();
    let ids = |d: &Dataset| d.meetings.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&v), ["first"]);
    let first = &v.meetings[0];
    assert!(first.participants.iter().all(|p| p.person != "aide"));
    assert_eq!(first.participants.len(), 2);
    assert_eq!(
        v.proposals[0].history[0].by, None,
        "the hidden aide is left out"
    );
    assert_eq!(v.proposals[0].history.len(), 4, "the history stays whole");
    assert_eq!(
        v.engagements
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>(),
        ["seok-kubilius"],
        "a briefing of Seok with a hidden aide is between fewer than two visible people"
    );
    assert_eq!(
        v.minutes.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        ["first-minutes"],
        "the draft correction is the secretariat's"
    );
    // The secretariat with the same clearance sees the draft; KOR sees the aide.
    let secretariat = Reader::Cleared(
        Clearance::default()
            .with_level("DEFCOOP", "PUBLIC")
            .for_secretariat(true),
    );
    let v = s.snapshot(&secretariat, Parts::All).await.unwrap();
    assert_eq!(v.minutes.len(), 2);
    let v = s
        .snapshot(&Reader::Cleared(kor()), Parts::All)
        .await
        .unwrap();
    assert_eq!(v.meetings[0].participants.len(), 3);
    assert_eq!(v.engagements.len(), 2);
}

/// Approved minutes are frozen, a proposal's history only grows, and records the workspace
/// names are not deleted from under it: each refusal names its field, nothing is written.
pub async fn workspace_rules_hold_in_the_store(s: &Store) {
    import(s, &parse(WORKSPACE)).await.unwrap();
    let g = s.generation().await.unwrap();
    let mut changed = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
    changed.minutes[0].text.push_str("\n\nAn afterthought.");
    changed.proposals[0].history[1].on = "2026-03-11".into();
    let only = Dataset {
        minutes: vec![changed.minutes[0].clone()],
        proposals: vec![changed.proposals[0].clone()],
        ..Dataset::default()
    };
    let found: Vec<String> = problems(import(s, &Incoming::from_dataset(only)).await)
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert!(
        found.iter().any(|p| p
            .starts_with("$.minutes[0].text: minutes \"first-minutes\" are approved and frozen")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("$.proposals[0].history: a proposal's history only grows")),
        "{found:?}"
    );
    assert_eq!(s.generation().await.unwrap(), g, "nothing was written");

    let refused = s
        .delete_record(Kind::Person, "kubilius", &Writer::operator())
        .await
        .unwrap_err();
    let message = refused.to_string();
    assert!(
        message.contains("meeting first (participants)"),
        "{message}"
    );
    assert!(
        message.contains("engagement seok-kubilius (participants)"),
        "{message}"
    );
    s.delete_record(Kind::ActionItem, "publish", &Writer::operator())
        .await
        .unwrap();
    s.delete_record(Kind::Decision, "terms-agreed", &Writer::operator())
        .await
        .unwrap();
}

/// A writer who cannot see the aide updates the first meeting: the aide stays a participant
/// and the proposal keeps who drafted it, though the writer saw neither.
pub async fn a_partial_writer_keeps_the_workspace_entries_it_cannot_see(s: &Store) {
    import(s, &parse(WORKSPACE)).await.unwrap();
    let public = Reader::Cleared(Clearance::default().with_level("DEFCOOP", "PUBLIC"));
    let writer = Writer::new("officer", public.clone());
    let seen = s.snapshot(&public, Parts::All).await.unwrap();
    let mut meeting = seen.meetings[0].clone();
    meeting.place = Some("Brussels, Berlaymont".into());
    let mut proposal = seen.proposals[0].clone();
    proposal.summary = Some("Who may join, and how it decides.".into());
    let change = Dataset {
        meetings: vec![meeting],
        proposals: vec![proposal],
        ..Dataset::default()
    };
    s.import(&Incoming::from_dataset(change), &writer, Progress::NONE)
        .await
        .unwrap();
    let all = s.snapshot(&Reader::Full, Parts::All).await.unwrap();
    let first = all.meetings.iter().find(|m| m.id == "first").unwrap();
    assert_eq!(first.place.as_deref(), Some("Brussels, Berlaymont"));
    assert!(first.participants.iter().any(|p| p.person == "aide"));
    assert_eq!(all.proposals[0].history[0].by.as_deref(), Some("aide"));
    assert!(all.proposals[0].summary.is_some());
}
