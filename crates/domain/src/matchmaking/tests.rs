//! Matchmaking's records and the consortium check.

use super::consortium::{check, Standing};
use crate::day::Day;
use crate::json;
use crate::label::Reader;
use crate::model::Dataset;

const DATA: &str = r#"{"format": "defcoop-dataset", "version": 1,
 "nations": [{"code": "POL", "name": "Poland"}, {"code": "DEU", "name": "Germany"},
   {"code": "FRA", "name": "France"}, {"code": "NOR", "name": "Norway"},
   {"code": "KOR", "name": "Korea"}, {"code": "USA", "name": "United States"},
   {"code": "GBR", "name": "United Kingdom"}, {"code": "UKR", "name": "Ukraine"}],
 "blocs": [
   {"code": "EU", "name": "European Union", "kind": "union", "members": [
     {"nation": "DEU"}, {"nation": "FRA"}, {"nation": "POL", "since": "2004-05-01"},
     {"nation": "GBR", "since": "1973", "until": "2020-01-31"}]},
   {"code": "EEA-EFTA", "name": "EEA EFTA", "kind": "association", "members": [{"nation": "NOR"}]},
   {"code": "EU-SDP", "name": "EU Security and Defence Partnerships", "kind": "partnership",
    "members": [{"nation": "KOR", "since": "2024-11-04"}, {"nation": "NOR"}]}],
 "organizations": [
   {"id": "wb", "name": "WB Group", "kind": "company", "nation": "POL"},
   {"id": "pgz", "name": "PGZ", "kind": "company", "nation": "POL"},
   {"id": "rheinmetall", "name": "Rheinmetall", "kind": "company", "nation": "DEU"},
   {"id": "thales", "name": "Thales", "kind": "company", "nation": "FRA"},
   {"id": "kongsberg", "name": "Kongsberg", "kind": "company", "nation": "NOR"},
   {"id": "hanwha", "name": "Hanwha Aerospace", "kind": "company", "nation": "KOR"},
   {"id": "lockheed", "name": "Lockheed Martin", "kind": "company", "nation": "USA"},
   {"id": "bae", "name": "BAE Systems", "kind": "company", "nation": "GBR"}],
 "domains": [{"code": "artillery", "name": "Artillery"}],
 "standards": [{"id": "STANAG-4425", "title": "155 mm", "body": "NATO", "domain": "artillery"}],
 "systems": [{"id": "k9", "name": "K9", "category": "spg", "producer": "hanwha", "origin": "KOR"}],
 "capability_areas": [{"id": "artillery-systems", "name": "Artillery systems", "name_ko": "포병 체계"}],
 "needs": [{"id": "pl-155", "area": "artillery-systems", "title": "155 mm self-propelled howitzers",
   "keywords": ["howitzer", "155 mm"], "trl": {"min": 7, "max": 9}, "owner": {"nation": "POL"},
   "timeframe": {"from": "2026", "to": "2030"}, "systems": ["k9"], "standards": ["STANAG-4425"]}],
 "offers": [{"id": "k9-local", "area": "artillery-systems", "title": "K9 with local production",
   "trl": {"min": 9, "max": 9}, "owner": {"organization": "hanwha"}, "systems": ["k9"]}],
 "instruments": [
   {"id": "edf", "name": "European Defence Fund (modelled)", "kind": "grant", "modelled": true,
    "rules": {"min_entities": 3, "min_countries": 3,
      "eligible": {"blocs": [{"bloc": "EU"}, {"bloc": "EEA-EFTA"}]}},
    "unconfirmed": ["the minimum consortium"]},
   {"id": "safe", "name": "SAFE (modelled)", "kind": "loan", "modelled": true,
    "rules": {"eligible": {"blocs": [{"bloc": "EU"}, {"bloc": "EEA-EFTA"}], "nations": ["UKR"]},
      "partners": {"blocs": [{"bloc": "EU-SDP"}]}, "partners_may": {"join": true},
      "max_non_eligible_share": 35}}]
}"#;

fn data() -> Dataset {
    let incoming = json::parse(DATA.as_bytes()).expect("test data");
    assert!(incoming.problems.is_empty(), "{:?}", incoming.problems);
    let plan = crate::plan_import(&incoming, &Dataset::default(), &Reader::Full);
    assert!(plan.is_ok(), "{:?}", plan.err());
    let mut d = incoming.data;
    d.normalize();
    d
}

fn problems(text: &str) -> Vec<String> {
    let incoming = json::parse(text.as_bytes()).expect("JSON");
    let mut all: Vec<String> = incoming.problems.iter().map(|p| p.to_string()).collect();
    if let Err(p) = crate::plan_import(&incoming, &Dataset::default(), &Reader::Full) {
        all.extend(p.iter().map(|p| p.to_string()));
    }
    all
}

fn one(all: &[String], start: &str, says: &str) {
    assert!(
        all.iter().any(|p| p.starts_with(start) && p.contains(says)),
        "expected {start}: …{says}…, got {all:#?}"
    );
}

fn day(s: &str) -> Day {
    Day::parse(s).expect("day")
}

fn members(list: &[(&str, Option<f64>)]) -> Vec<(String, Option<f64>)> {
    list.iter().map(|(o, s)| (o.to_string(), *s)).collect()
}

#[test]
fn bad_needs_offers_and_contradicting_rules_are_refused_at_their_fields() {
    let bad = DATA
        .replace(
            r#""trl": {"min": 7, "max": 9}"#,
            r#""trl": {"min": 0, "max": 12}"#,
        )
        .replace(
            r#""owner": {"organization": "hanwha"}"#,
            r#""owner": {"organization": "hanwha", "nation": "KOR"}"#,
        )
        .replace(
            r#""min_entities": 3, "min_countries": 3"#,
            r#""min_entities": 2, "min_countries": 3"#,
        )
        .replace(
            r#""max_non_eligible_share": 35"#,
            r#""max_non_eligible_share": 135"#,
        )
        .replace(r#""nations": ["UKR"]"#, r#""nations": ["UKR", "XXX"]"#)
        .replace(
            r#""area": "artillery-systems", "title": "155"#,
            r#""area": "space", "title": "155"#,
        );
    let all = problems(&bad);
    one(
        &all,
        "$.needs[0].trl.min",
        "0 is not a technology readiness level (1 to 9)",
    );
    one(
        &all,
        "$.needs[0].trl.max",
        "12 is not a technology readiness level",
    );
    one(&all, "$.needs[0].area", "unknown capability area \"space\"");
    one(&all, "$.offers[0].owner", "not several");
    one(
        &all,
        "$.instruments[0].rules.min_countries",
        "the rules contradict each other",
    );
    one(
        &all,
        "$.instruments[1].rules.max_non_eligible_share",
        "135 is not a percentage (0 to 100)",
    );
    one(
        &all,
        "$.instruments[1].rules.eligible.nations[1]",
        "unknown nation \"XXX\"",
    );

    let contradiction = DATA.replace(
        r#""partners": {"blocs": [{"bloc": "EU-SDP"}]}"#,
        r#""partners": {"blocs": [{"bloc": "EU"}], "nations": []}"#,
    );
    one(
        &problems(&contradiction),
        "$.instruments[1].rules.partners.blocs[0]",
        "both eligible and a partner",
    );
    let no_conditions = DATA.replace(r#", "partners_may": {"join": true}"#, "");
    one(
        &problems(&no_conditions),
        "$.instruments[1].rules.partners_may",
        "say what partners may do",
    );
    let bad_time = DATA.replace(
        r#""from": "2026", "to": "2030""#,
        r#""from": "2031", "to": "2030""#,
    );
    one(
        &problems(&bad_time),
        "$.needs[0].timeframe.to",
        "ends (2030) before it starts (2031)",
    );
}

#[test]
fn the_edf_model_wants_three_entities_from_three_eligible_countries() {
    let d = data();
    let edf = d.instruments.iter().find(|i| i.id == "edf").unwrap();
    let today = day("2026-12-06");
    let r = check(
        &d,
        edf,
        &members(&[("wb", None), ("pgz", None), ("rheinmetall", None)]),
        today,
    )
    .unwrap();
    assert!(!r.eligible);
    assert_eq!(r.breaches.len(), 1, "{:?}", r.breaches);
    assert_eq!(r.breaches[0].rule, "min_countries");
    assert_eq!(
        r.breaches[0].message,
        "2 distinct eligible countries (DEU, POL); at least 3 needed"
    );
    let r = check(
        &d,
        edf,
        &members(&[("wb", None), ("kongsberg", None), ("thales", None)]),
        today,
    )
    .unwrap();
    assert!(r.eligible, "{:?}", r.breaches);
    assert!(r.equal_shares_assumed);
    // A Korean company is neither eligible nor a partner of the EDF model.
    let r = check(
        &d,
        edf,
        &members(&[("wb", None), ("hanwha", None), ("thales", None)]),
        today,
    )
    .unwrap();
    let rules: Vec<&str> = r.breaches.iter().map(|b| b.rule).collect();
    assert_eq!(rules, ["eligible", "min_entities", "min_countries"]);
    assert_eq!(r.members[1].standing, Standing::Other);
}

#[test]
fn the_safe_model_takes_partners_within_its_share_of_non_eligible_cost() {
    let d = data();
    let safe = d.instruments.iter().find(|i| i.id == "safe").unwrap();
    let today = day("2026-12-06");
    let r = check(
        &d,
        safe,
        &members(&[("wb", Some(70.0)), ("hanwha", Some(30.0))]),
        today,
    )
    .unwrap();
    assert!(r.eligible, "{:?}", r.breaches);
    assert_eq!(r.members[1].standing, Standing::Partner);
    assert_eq!(
        r.conditions,
        ["hanwha (KOR) takes part as a partner: it may join but receives no funds"]
    );
    let r = check(
        &d,
        safe,
        &members(&[("wb", Some(60.0)), ("hanwha", Some(40.0))]),
        today,
    )
    .unwrap();
    assert_eq!(
        r.breaches[0].message,
        "40% of the component cost from non-eligible origins (KOR 40%); at most 35%"
    );
    let r = check(&d, safe, &members(&[("wb", None), ("hanwha", None)]), today).unwrap();
    assert!(r.equal_shares_assumed);
    assert_eq!(r.breaches[0].rule, "max_non_eligible_share");
    let r = check(
        &d,
        safe,
        &members(&[("wb", Some(90.0)), ("lockheed", Some(10.0))]),
        today,
    )
    .unwrap();
    assert_eq!(
        r.breaches[0].message,
        "lockheed (USA) is from a country neither eligible nor a partner"
    );
    // Korea became a partner on 4 November 2024; before it, a Korean member is no partner.
    let r = check(
        &d,
        safe,
        &members(&[("wb", Some(90.0)), ("hanwha", Some(10.0))]),
        day("2024-06-01"),
    )
    .unwrap();
    assert_eq!(r.members[1].standing, Standing::Other);
    // Membership has dates: the United Kingdom was in the EU until 31 January 2020.
    let r = check(&d, safe, &members(&[("bae", None)]), day("2019-12-31")).unwrap();
    assert_eq!(r.members[0].standing, Standing::Eligible);
    let r = check(&d, safe, &members(&[("bae", None)]), day("2021-01-01")).unwrap();
    assert_eq!(r.members[0].standing, Standing::Other);
}

#[test]
fn a_consortium_check_refuses_bad_members_naming_each() {
    let d = data();
    let safe = d.instruments.iter().find(|i| i.id == "safe").unwrap();
    let today = day("2026-12-06");
    let said = |m: &[(&str, Option<f64>)]| -> Vec<String> {
        check(&d, safe, &members(m), today)
            .unwrap_err()
            .iter()
            .map(|p| p.to_string())
            .collect()
    };
    assert_eq!(said(&[]), ["members: give at least one member"]);
    let all = said(&[
        ("wb", Some(120.0)),
        ("nobody", Some(-20.0)),
        ("wb", Some(0.0)),
    ]);
    one(&all, "members[0].share", "120 is not a percentage");
    one(&all, "members[1]", "unknown organization \"nobody\"");
    one(&all, "members[2]", "organization \"wb\" listed twice");
    one(
        &said(&[("wb", Some(50.0)), ("thales", None)]),
        "members",
        "give every member's share",
    );
    one(
        &said(&[("wb", Some(50.0)), ("thales", Some(40.0))]),
        "members",
        "the shares add up to 90%, not 100%",
    );
}

#[test]
fn csv_files_hold_matchmaking_too() {
    let d = data();
    let files: Vec<(String, Vec<u8>)> = crate::csv::to_files(&d)
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
    assert!(files.iter().any(|(n, _)| n == "instruments.csv"));
    let back = crate::csv::parse_files(&files);
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    let mut read = back.data;
    read.normalize();
    assert_eq!(read, d);
}
