//! Tests of the flow computation.

use super::*;
use defcoop_domain::model::{Bloc, Day, Delivery, Member, Nation, Source, Tiv};

pub(crate) fn nation(code: &str, name: &str) -> Nation {
    Nation {
        code: code.into(),
        name: name.into(),
        label: None,
        sources: vec![],
        illustrative: false,
    }
}

pub(crate) fn delivery(year: u16, number: Option<u32>, tiv: f64) -> Delivery {
    Delivery {
        year,
        year_estimated: false,
        number,
        number_estimated: false,
        tiv: Some(Tiv(tiv)),
    }
}

pub(crate) fn transfer(
    id: &str,
    supplier: (&str, PartyKind),
    recipient: (&str, PartyKind),
    category: &str,
    deliveries: Vec<Delivery>,
) -> Transfer {
    Transfer {
        id: id.into(),
        sipri_id: None,
        supplier: supplier.0.into(),
        supplier_kind: supplier.1,
        recipient: recipient.0.into(),
        recipient_kind: recipient.1,
        system: None,
        designation: "X".into(),
        description: None,
        category: category.into(),
        ordered: None,
        ordered_estimated: false,
        number_ordered: None,
        number_ordered_estimated: false,
        status: None,
        tiv_unit: None,
        tiv_deal_unit: None,
        local_production: false,
        deliveries,
        delivered: None,
        delivered_estimated: false,
        tiv_delivered: None,
        label: None,
        sources: vec![Source {
            title: "SIPRI Arms Transfers Database, trade register (data generated 1 Jan 2026)"
                .into(),
            url: Some(SOURCE_URL.into()),
        }],
        illustrative: false,
    }
}

pub(crate) const S: PartyKind = PartyKind::State;
pub(crate) const NS: PartyKind = PartyKind::NonState;
const UN: PartyKind = PartyKind::Unknown;

pub(crate) fn data() -> Dataset {
    let mut d = Dataset {
        nations: vec![
            nation("KOR", "South Korea"),
            nation("POL", "Poland"),
            nation("NOR", "Norway"),
            nation("USA", "United States"),
            nation("FRA", "France"),
        ],
        blocs: vec![
            Bloc {
                kind: None,
                code: "NATO".into(),
                name: "North Atlantic Treaty Organization".into(),
                members: vec![
                    Member {
                        until: None,
                        nation: "POL".into(),
                        since: None,
                    },
                    Member {
                        until: None,
                        nation: "NOR".into(),
                        since: None,
                    },
                ],
                label: None,
                sources: vec![],
                illustrative: false,
            },
            Bloc {
                kind: None,
                code: "EU".into(),
                name: "European Union".into(),
                members: vec![],
                label: None,
                sources: vec![],
                illustrative: false,
            },
        ],
        transfers: vec![
            transfer(
                "t1",
                ("KOR", S),
                ("POL", S),
                "artillery",
                vec![
                    delivery(2022, Some(24), 104.16),
                    delivery(2023, Some(48), 208.32),
                    delivery(2024, None, 260.4),
                ],
            ),
            transfer(
                "t2",
                ("KOR", S),
                ("POL", S),
                "aircraft",
                vec![delivery(2023, Some(12), 197.4)],
            ),
            transfer(
                "t3",
                ("KOR", S),
                ("NOR", S),
                "armoured-vehicles",
                vec![delivery(2019, Some(4), 10.05), delivery(2021, Some(2), 0.1)],
            ),
            transfer(
                "t4",
                ("USA", S),
                ("POL", S),
                "aircraft",
                vec![delivery(2024, Some(1), 50.0)],
            ),
            transfer(
                "t5",
                ("Belarus rebels*", NS),
                ("unknown recipient(s)", UN),
                "aircraft",
                vec![delivery(2015, Some(3), 0.6)],
            ),
            transfer(
                "t6",
                ("FRA", S),
                ("OSCE**", NS),
                "aircraft",
                vec![delivery(2010, Some(1), 1.0)],
            ),
            // Ordered, nothing delivered.
            transfer("t7", ("KOR", S), ("POL", S), "missiles", vec![]),
        ],
        ..Dataset::default()
    };
    d.normalize();
    d
}

pub(crate) fn q() -> FlowQuery {
    FlowQuery::default()
}

pub(crate) fn strs(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

#[test]
fn amounts_round_half_away_from_zero() {
    assert_eq!(Amount::from_millions(1.25).rounded(1), 13);
    assert_eq!(
        Amount::from_millions(1.15).rounded(1),
        12,
        "1.15 is not 1.1499.."
    );
    assert_eq!(Amount::from_millions(-1.25).rounded(1), -13);
    assert_eq!(Amount::from_millions(1.24).rounded(1), 12);
    assert_eq!(Amount::from_millions(0.005).to_f64(2), 0.01);
    assert_eq!(Amount::from_millions(3912.44).display(1), "3,912.4");
    assert_eq!(Amount::from_millions(1234567.0).display(2), "1,234,567.00");
    assert_eq!(Amount::from_millions(999.96).display(1), "1,000.0");
    assert_eq!(Amount::from_millions(-0.04).display(1), "0.0");
    // 0.1 + 0.2 summed exactly.
    let s = Amount::from_millions(0.1).plus(Amount::from_millions(0.2));
    assert_eq!(s, Amount::from_millions(0.3));
}

#[test]
fn totals_not_split_by_year_count_only_when_all_their_years_are_in_range() {
    let mut t = transfer(
        "old",
        ("KOR", PartyKind::State),
        ("POL", PartyKind::State),
        "artillery",
        vec![
            Delivery {
                year: 2019,
                year_estimated: false,
                number: None,
                number_estimated: false,
                tiv: None,
            },
            Delivery {
                year: 2020,
                year_estimated: false,
                number: None,
                number_estimated: false,
                tiv: None,
            },
        ],
    );
    t.delivered = Some(10);
    t.tiv_delivered = Some(Tiv(40.0));
    let data = Dataset {
        nations: vec![nation("KOR", "Korea"), nation("POL", "Poland")],
        transfers: vec![t],
        ..Dataset::default()
    };
    let q = |from, to| FlowQuery {
        from,
        to,
        ..FlowQuery::default()
    };
    let all = flows(&data, &q(None, None)).unwrap();
    assert_eq!(
        (all.total_tiv, all.total_items),
        (Amount::from_millions(40.0), 10)
    );
    let inside = flows(&data, &q(Some(2019), Some(2020))).unwrap();
    assert_eq!(inside.total_tiv, Amount::from_millions(40.0));
    let straddle = flows(&data, &q(Some(2020), None)).unwrap();
    assert!(straddle.flows.is_empty());
    assert!(
        straddle
            .notes
            .iter()
            .any(|n| n.contains("not split by year")),
        "{:?}",
        straddle.notes
    );
    let outside = flows(&data, &q(Some(2021), None)).unwrap();
    assert!(outside.flows.is_empty() && outside.notes.is_empty());
}

#[test]
fn year_bounds_are_inclusive() {
    let d = data();
    let f = flows(
        &d,
        &FlowQuery {
            suppliers: strs(&["KOR"]),
            from: Some(2023),
            to: Some(2023),
            ..q()
        },
    )
    .unwrap();
    assert_eq!(f.flows.len(), 1);
    let kp = &f.flows[0];
    assert_eq!(
        (kp.supplier.id.as_str(), kp.recipient.id.as_str()),
        ("KOR", "POL")
    );
    assert_eq!(kp.tiv, Amount::from_millions(208.32 + 197.4));
    assert_eq!(kp.items, 60);
    assert_eq!(kp.deals, 2);
    assert_eq!(f.years, (Some(2023), Some(2023)));

    let f = flows(
        &d,
        &FlowQuery {
            suppliers: strs(&["KOR"]),
            from: Some(2022),
            to: Some(2024),
            ..q()
        },
    )
    .unwrap();
    assert_eq!(f.flows.len(), 1, "Norway's deliveries (2019, 2021) are out");
    assert_eq!(f.flows[0].tiv.to_f64(2), 770.28);
    assert_eq!(
        f.flows[0].items,
        24 + 48 + 12,
        "unknown numbers count as nothing"
    );
    // The undelivered deal t7 never counts.
    assert_eq!(f.flows[0].deals, 2);

    // Open bounds report the years actually used.
    let f = flows(
        &d,
        &FlowQuery {
            suppliers: strs(&["KOR"]),
            ..q()
        },
    )
    .unwrap();
    assert_eq!(f.years, (Some(2019), Some(2024)));
    let f = flows(
        &d,
        &FlowQuery {
            to: Some(2016),
            ..q()
        },
    )
    .unwrap();
    assert_eq!(f.years, (Some(2010), Some(2016)));
}

#[test]
fn blocs_expand_to_their_visible_members() {
    let d = data();
    let f = flows(
        &d,
        &FlowQuery {
            recipients: strs(&["NATO"]),
            ..q()
        },
    )
    .unwrap();
    let pairs: Vec<(&str, &str)> = f
        .flows
        .iter()
        .map(|f| (f.supplier.id.as_str(), f.recipient.id.as_str()))
        .collect();
    assert_eq!(pairs, [("KOR", "POL"), ("USA", "POL"), ("KOR", "NOR")]);
    assert_eq!(f.flows[0].recipient.name, "Poland");
    assert!(f.notes.is_empty());
    // A bloc without members matches nothing, and says so.
    let f = flows(
        &d,
        &FlowQuery {
            recipients: strs(&["EU"]),
            ..q()
        },
    )
    .unwrap();
    assert!(f.flows.is_empty());
    assert_eq!(f.total_tiv, Amount(0));
    assert!(f.notes[0].contains("bloc EU"), "{:?}", f.notes);
    // Repeated filters mean any of them.
    let f = flows(
        &d,
        &FlowQuery {
            suppliers: strs(&["USA", "FRA"]),
            ..q()
        },
    )
    .unwrap();
    assert_eq!(f.flows.len(), 2);
}

#[test]
fn non_state_and_unknown_parties_are_kept_and_can_be_named() {
    let d = data();
    let f = flows(&d, &q()).unwrap();
    let rebels = f
        .flows
        .iter()
        .find(|f| f.supplier.id == "Belarus rebels*")
        .unwrap();
    assert_eq!(rebels.supplier.kind, Some(PartyKind::NonState));
    assert_eq!(rebels.recipient.kind_str(), "unknown");
    assert_eq!(rebels.recipient.name, "unknown recipient(s)");
    let f = flows(
        &d,
        &FlowQuery {
            recipients: strs(&["OSCE**"]),
            ..q()
        },
    )
    .unwrap();
    assert_eq!(f.flows.len(), 1);
    assert_eq!(f.flows[0].supplier.name, "France");
}

#[test]
fn unknown_filters_are_errors() {
    let d = data();
    let e = flows(
        &d,
        &FlowQuery {
            suppliers: strs(&["XYZ"]),
            ..q()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown supplier \"XYZ\" (not a nation code, bloc code or actor name)"
    );
    let e = flows(
        &d,
        &FlowQuery {
            recipients: strs(&["POL", "Atlantis"]),
            ..q()
        },
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("unknown recipient \"Atlantis\""));
    let e = flows(
        &d,
        &FlowQuery {
            categories: strs(&["ships"]),
            ..q()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown category \"ships\" (known: aircraft, armoured-vehicles, artillery, missiles)"
    );
    let e = flows(
        &d,
        &FlowQuery {
            from: Some(2025),
            to: Some(2015),
            ..q()
        },
    )
    .unwrap_err();
    assert!(matches!(e, EngineError::BadYears { .. }), "{e}");
    assert!(flows(&d, &FlowQuery { top: 0, ..q() }).is_err());
}

#[test]
fn categories_by_code_or_sipri_name() {
    let d = data();
    for c in ["armoured-vehicles", "Armoured vehicles"] {
        let f = flows(
            &d,
            &FlowQuery {
                categories: strs(&[c]),
                ..q()
            },
        )
        .unwrap();
        assert_eq!(f.flows.len(), 1, "{c}");
        assert_eq!(f.flows[0].recipient.id, "NOR");
        assert_eq!(f.flows[0].tiv.display(1), "10.2", "10.15 rounds up");
    }
}

#[test]
fn ordering_is_deterministic_and_totals_add_up() {
    let mut d = data();
    // Ties on TIV break by supplier then recipient id.
    d.transfers.push(transfer(
        "t8",
        ("FRA", S),
        ("NOR", S),
        "aircraft",
        vec![delivery(2024, Some(1), 50.0)],
    ));
    let a = flows(&d, &q()).unwrap();
    d.transfers.reverse();
    let b = flows(&d, &q()).unwrap();
    assert_eq!(a, b, "input order does not matter");
    let tiv: Vec<i64> = a.flows.iter().map(|f| f.tiv.0).collect();
    assert!(tiv.windows(2).all(|w| w[0] >= w[1]), "{tiv:?}");
    let fifty: Vec<(&str, &str)> = a
        .flows
        .iter()
        .filter(|f| f.tiv == Amount::from_millions(50.0))
        .map(|f| (f.supplier.id.as_str(), f.recipient.id.as_str()))
        .collect();
    assert_eq!(fifty, [("FRA", "NOR"), ("USA", "POL")]);

    let sum = a.flows.iter().fold(Amount(0), |s, f| s.plus(f.tiv));
    assert_eq!(a.total_tiv, sum);
    let by_s = a.suppliers.iter().fold(Amount(0), |s, t| s.plus(t.tiv));
    let by_r = a.recipients.iter().fold(Amount(0), |s, t| s.plus(t.tiv));
    assert_eq!((by_s, by_r), (sum, sum));
    assert_eq!(a.total_items, a.flows.iter().map(|f| f.items).sum::<u64>());
    assert_eq!(a.total_deals, 7, "t7 has no delivery");
    assert_eq!(a.suppliers[0].party.id, "KOR");
    assert_eq!(
        a.source,
        format!(
            "Source: SIPRI Arms Transfers Database, trade register (data generated 1 Jan 2026) — {SOURCE_URL}"
        )
    );
}

#[test]
fn merging_into_other_keeps_the_total() {
    let d = data();
    let all = flows(&d, &q()).unwrap();
    assert_eq!(all.merged, Merged::default());
    let top = flows(&d, &FlowQuery { top: 2, ..q() }).unwrap();
    // The two largest flows are KOR → POL and USA → POL.
    let named: Vec<&str> = top.suppliers.iter().map(|t| t.party.id.as_str()).collect();
    assert_eq!(named, ["KOR", "USA", OTHER_SUPPLIERS]);
    assert_eq!(top.merged.suppliers, 2, "FRA, Belarus rebels*");
    assert_eq!(top.merged.recipients, 3, "NOR, OSCE**, unknown");
    assert_eq!(top.merged.flows, 3);
    assert_eq!(top.total_tiv, all.total_tiv);
    assert_eq!(top.total_items, all.total_items);
    assert_eq!(top.total_deals, all.total_deals);
    // Named parties keep their full totals.
    let kor = |f: &Flows| {
        f.suppliers
            .iter()
            .find(|t| t.party.id == "KOR")
            .map(|t| t.tiv)
    };
    assert_eq!(kor(&top), kor(&all));
    let other = top.recipients.last().unwrap();
    assert!(other.party.is_other());
    assert_eq!(other.party.merged, 3);
    // Flows with an "other" party come last.
    assert!(top.flows.last().unwrap().recipient.is_other());
    let sum = top.flows.iter().fold(Amount(0), |s, f| s.plus(f.tiv));
    assert_eq!(sum, top.total_tiv);
}

#[test]
fn suppliers_beyond_the_palette_merge() {
    let mut d = data();
    for i in 0..12u8 {
        let code = format!("AA{}", (b'A' + i) as char);
        d.nations.push(nation(&code, &code));
        d.transfers.push(transfer(
            &format!("x{i}"),
            (&code, S),
            ("POL", S),
            "aircraft",
            vec![delivery(2020, Some(1), 1.0 + f64::from(i))],
        ));
    }
    d.normalize();
    let f = flows(&d, &FlowQuery { top: 100, ..q() }).unwrap();
    let named = f.suppliers.iter().filter(|t| !t.party.is_other()).count();
    assert_eq!(named, PALETTE.len());
    assert_eq!(f.merged.suppliers, 16 - PALETTE.len());
    assert_eq!(f.merged.recipients, 0);
    let delivered = d
        .transfers
        .iter()
        .flat_map(|t| &t.deliveries)
        .filter_map(|x| x.tiv)
        .fold(Amount(0), |s, x| s.plus(Amount::from_millions(x.0)));
    assert_eq!(f.total_tiv, delivered);
}

#[test]
fn a_bloc_counts_each_member_for_the_years_it_was_one() {
    let mut d = data();
    // Norway a member from 2020 only, Poland until 2022 (inclusive): t3's 2019 delivery and
    // t1's 2023 and 2024 deliveries, t2 (2023) and t4 (2024) fall outside.
    for m in &mut d
        .blocs
        .iter_mut()
        .find(|b| b.code == "NATO")
        .unwrap()
        .members
    {
        match m.nation.as_str() {
            "NOR" => m.since = Some("2020-03-01".into()),
            _ => m.until = Some("2022".into()),
        }
    }
    let f = flows(
        &d,
        &FlowQuery {
            recipients: strs(&["NATO"]),
            ..q()
        },
    )
    .unwrap();
    let got: Vec<(&str, &str, i64)> = f
        .flows
        .iter()
        .map(|f| {
            (
                f.supplier.id.as_str(),
                f.recipient.id.as_str(),
                f.tiv.rounded(2),
            )
        })
        .collect();
    assert_eq!(got, [("KOR", "POL", 10416), ("KOR", "NOR", 10)]);
    assert!(
        f.notes
            .iter()
            .any(|n| n.starts_with("5 deliveries left out")),
        "{:?}",
        f.notes
    );
    // On a fixed day, that day's members count for every year.
    let on = |s: &str| FlowQuery {
        recipients: strs(&["NATO"]),
        members_on: Day::parse(s),
        ..q()
    };
    let f = flows(&d, &on("2021-06-01")).unwrap();
    let recipients: Vec<&str> = f.recipients.iter().map(|t| t.party.id.as_str()).collect();
    assert_eq!(recipients, ["POL", "NOR"]);
    assert_eq!(
        f.total_tiv,
        Amount::from_millions(104.16 + 208.32 + 260.4 + 197.4 + 50.0 + 10.05 + 0.1)
    );
    let f = flows(&d, &on("2019-06-01")).unwrap();
    let recipients: Vec<&str> = f.recipients.iter().map(|t| t.party.id.as_str()).collect();
    assert_eq!(recipients, ["POL"]);
}
