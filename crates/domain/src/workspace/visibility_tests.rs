//! What readers see of the workspace: labels hide records and what stands on them, hidden
//! people leave lists, drafts are the secretariat's, and (a property) whatever a reader sees
//! names only records the reader sees too.

use proptest::prelude::*;

use crate::json;
use crate::label::{Category, CategoryKind, Clearance, Label, Reader};
use crate::model::{Dataset, Kind};
use crate::visible;
use crate::workspace::rules::Record;

const DATA: &str = r#"{"format": "defcoop-dataset", "version": 1,
 "policies": [{"id": "P", "classifications": ["PUBLIC", "SECRET"]}],
 "nations": [{"code": "KOR", "name": "Korea"}, {"code": "BEL", "name": "Belgium"}],
 "organizations": [{"id": "dapa", "name": "DAPA", "kind": "agency", "nation": "KOR"},
   {"id": "nato", "name": "NATO", "kind": "international-organization", "nation": "BEL"}],
 "people": [{"id": "seok", "name": "Seok", "organization": "dapa", "title": "Minister"},
   {"id": "rutte", "name": "Rutte", "organization": "nato", "title": "SG"},
   {"id": "aide", "name": "Aide", "organization": "dapa", "title": "Aide"}],
 "documents": [{"id": "paper", "title": "White paper", "issued": "2025-03", "issuers": ["nato"]}],
 "bodies": [{"id": "body", "name": "Body", "members": ["dapa", "nato"], "co_chairs": ["seok"],
   "secretariat": ["dapa"]}],
 "meetings": [{"id": "m1", "body": "body", "title": "M1", "start": "2026-03-27T10:00",
   "end": "2026-03-27T11:00", "time_zone": "Europe/Brussels",
   "participants": [{"person": "aide", "role": "secretary"}, {"person": "rutte", "role": "member"},
     {"person": "seok", "role": "chair"}],
   "agenda": [{"title": "Terms", "proposal": "terms", "outcome": "agreed"}], "status": "held"}],
 "minutes": [{"id": "m1-1", "meeting": "m1", "version": 1, "status": "approved", "text": "Agreed."},
   {"id": "m1-2", "meeting": "m1", "version": 2, "corrects": "m1-1", "status": "draft",
    "text": "Agreed, corrected."}],
 "proposals": [{"id": "terms", "body": "body", "title": "Terms", "sponsor": "dapa",
   "status": "agreed", "documents": ["paper"],
   "history": [{"status": "draft", "on": "2026-03-01", "by": "aide"},
     {"status": "tabled", "on": "2026-03-02"}, {"status": "under-consideration", "on": "2026-03-03"},
     {"status": "agreed", "on": "2026-03-27", "meeting": "m1"}]}],
 "decisions": [{"id": "d1", "meeting": "m1", "text": "Agreed.", "proposals": ["terms"],
   "agenda_items": [1]}],
 "action_items": [{"id": "a1", "title": "Publish", "owner": {"person": "seok"}, "due": "2026-05-01",
   "status": "open", "decision": "d1", "proposal": "terms"}],
 "engagements": [{"id": "e1", "title": "Seok meets Rutte", "start": "2025-04-23",
   "time_zone": "Europe/Brussels", "participants": ["rutte", "seok"]},
   {"id": "e2", "title": "Seok, Rutte and the aide", "start": "2025-04-24",
   "time_zone": "Europe/Brussels", "participants": ["aide", "rutte", "seok"]}]
}"#;

fn data() -> Dataset {
    let incoming = json::parse(DATA.as_bytes()).expect("test data");
    assert!(incoming.problems.is_empty(), "{:?}", incoming.problems);
    crate::plan_import(&incoming, &Dataset::default(), &Reader::Full).expect("valid");
    let mut d = incoming.data;
    d.normalize();
    d
}

fn secret() -> Label {
    Label {
        policy: "P".into(),
        classification: "SECRET".into(),
        categories: vec![],
    }
}

fn kor_only() -> Label {
    Label {
        policy: "P".into(),
        classification: "PUBLIC".into(),
        categories: vec![Category {
            kind: CategoryKind::Restrictive,
            name: "RELEASABLE-TO".into(),
            values: vec!["KOR".into()],
        }],
    }
}

fn public() -> Reader {
    Reader::Cleared(Clearance::default().with_level("P", "PUBLIC"))
}

fn ids<T: Record>(records: &[T]) -> Vec<&str> {
    records.iter().map(|r| r.id()).collect()
}

#[test]
fn drafts_are_the_secretariats_and_corrections_follow_what_they_correct() {
    let d = data();
    assert_eq!(ids(&visible(d.clone(), &public()).minutes), ["m1-1"]);
    let secretariat = Reader::Cleared(
        Clearance::default()
            .with_level("P", "PUBLIC")
            .for_secretariat(true),
    );
    assert_eq!(
        ids(&visible(d.clone(), &secretariat).minutes),
        ["m1-1", "m1-2"]
    );
    assert_eq!(visible(d.clone(), &Reader::Full).minutes.len(), 2);
    // Hidden approved minutes hide their correction too, even for the secretariat.
    let mut hidden = d.clone();
    hidden.minutes[0].label = Some(secret());
    assert!(visible(hidden, &secretariat).minutes.is_empty());
}

#[test]
fn a_hidden_meeting_takes_its_minutes_decisions_and_their_action_items_along() {
    let mut d = data();
    d.meetings[0].label = Some(secret());
    let v = visible(d, &public());
    assert!(v.meetings.is_empty() && v.minutes.is_empty() && v.decisions.is_empty());
    assert!(v.action_items.is_empty(), "its decision is hidden");
    assert_eq!(
        ids(&v.proposals),
        ["terms"],
        "the proposal stands on its own"
    );
    assert_eq!(
        v.proposals[0].history[3].meeting, None,
        "the hidden meeting is left out"
    );
    assert_eq!(v.proposals[0].history.len(), 4);
}

#[test]
fn hidden_people_leave_lists_and_engagements_need_two_visible_people() {
    let mut d = data();
    let aide = d.people.iter().position(|p| p.id == "aide").unwrap();
    d.people[aide].label = Some(kor_only());
    let v = visible(d.clone(), &public());
    let m = &v.meetings[0];
    assert_eq!(m.participants.len(), 2);
    assert_eq!(v.proposals[0].history[0].by, None);
    assert_eq!(ids(&v.engagements), ["e1", "e2"]);
    assert_eq!(v.engagements[1].participants, ["rutte", "seok"]);
    // With Rutte hidden as well, e1 has one visible participant left: it goes.
    let rutte = d.people.iter().position(|p| p.id == "rutte").unwrap();
    d.people[rutte].label = Some(kor_only());
    let v = visible(d.clone(), &public());
    assert!(v.engagements.is_empty());
    let kor = Reader::Cleared(
        Clearance::default()
            .with_level("P", "PUBLIC")
            .with_value("RELEASABLE-TO", "KOR"),
    );
    assert_eq!(visible(d, &kor).engagements.len(), 2);
}

#[test]
fn a_hidden_document_leaves_the_proposals_that_cite_it() {
    let mut d = data();
    d.documents[0].label = Some(secret());
    let v = visible(d, &public());
    assert!(v.documents.is_empty());
    assert!(v.proposals[0].documents.is_empty());
}

/// Every record a reader sees names only records the reader sees.
fn closed(v: &Dataset) -> Result<(), String> {
    let has =
        |kind: Kind, id: &str| -> bool { v.keys().iter().any(|(k, key)| *k == kind && key == id) };
    fn each<R: Record>(records: &[R], has: &dyn Fn(Kind, &str) -> bool) -> Result<(), String> {
        for r in records {
            for f in r.refs() {
                if !has(f.to, &f.id) {
                    return Err(format!(
                        "{} {} names hidden {} {}",
                        R::KIND.noun(),
                        r.id(),
                        f.to.noun(),
                        f.id
                    ));
                }
            }
        }
        Ok(())
    }
    each(&v.bodies, &has)?;
    each(&v.meetings, &has)?;
    each(&v.minutes, &has)?;
    each(&v.proposals, &has)?;
    each(&v.decisions, &has)?;
    each(&v.action_items, &has)?;
    each(&v.engagements, &has)?;
    each(&v.documents, &has)?;
    Ok(())
}

proptest! {
    /// Any labels on any records: what a reader sees is closed under references, and a reader
    /// with every clearance (or the operator) sees it all.
    #[test]
    fn what_a_reader_sees_names_only_what_it_sees(mask in prop::collection::vec(0u8..3, 20)) {
        let mut d = data();
        let mut bits = mask.into_iter();
        let mut label = || match bits.next().unwrap_or(0) {
            1 => Some(secret()),
            2 => Some(kor_only()),
            _ => None,
        };
        for p in &mut d.people { p.label = label(); }
        for o in &mut d.organizations { o.label = label(); }
        for b in &mut d.bodies { b.label = label(); }
        for m in &mut d.meetings { m.label = label(); }
        for m in &mut d.minutes { m.label = label(); }
        for p in &mut d.proposals { p.label = label(); }
        for x in &mut d.decisions { x.label = label(); }
        for a in &mut d.action_items { a.label = label(); }
        for e in &mut d.engagements { e.label = label(); }
        for x in &mut d.documents { x.label = label(); }
        for reader in [public(), Reader::Cleared(Clearance::default().with_level("P", "PUBLIC").with_value("RELEASABLE-TO", "KOR").for_secretariat(true))] {
            let v = visible(d.clone(), &reader);
            prop_assert!(closed(&v).is_ok(), "{:?}", closed(&v));
        }
        prop_assert_eq!(visible(d.clone(), &Reader::Full), d);
    }
}

/// The CSV files hold the workspace as the JSON file does: written, read back, equal; a bad
/// cell is located by file, line and column.
#[test]
fn csv_files_roundtrip_the_workspace() {
    let d = data();
    let files: Vec<(String, Vec<u8>)> = crate::csv::to_files(&d)
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    assert!(files.iter().any(|(n, _)| n == "meetings.csv"));
    let back = crate::csv::parse_files(&files);
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    let mut read = back.data;
    read.normalize();
    assert_eq!(read, d);
    let bad: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(n, t)| {
            if n == "meetings.csv" {
                let text = String::from_utf8(t)
                    .unwrap()
                    .replace("Europe/Brussels", "Europe/Atlantis");
                (n, text.into_bytes())
            } else {
                (n, t)
            }
        })
        .collect();
    let incoming = crate::csv::parse_files(&bad);
    let problems = crate::plan_import(&incoming, &Dataset::default(), &Reader::Full).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.location == "meetings.csv:2, column time_zone"
                && p.message
                    .contains("\"Europe/Atlantis\" is not an IANA time zone")),
        "{problems:?}"
    );
}
