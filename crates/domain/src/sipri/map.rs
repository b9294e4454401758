//! The register as registry records: nations, systems with operator fleets, transfers; stable
//! ids for deals and systems.

use super::*;

/// Where SIPRI-derived records say they come from.
pub const SOURCE_URL: &str = "https://www.sipri.org/databases/armstransfers";

/// What [`to_dataset`] made of a register, for the import summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: usize,
    pub deals: usize,
    /// Distinct suppliers and recipients, by kind.
    pub states: usize,
    pub non_state: usize,
    pub unknown: usize,
    /// Deals whose supplier or recipient is not a state.
    pub deals_with_non_state_party: usize,
    /// Nations created (states not yet in the registry).
    pub nations_created: usize,
    pub systems: usize,
    /// Deals left without a system: every supplier of their designation is non-state or unknown.
    pub deals_without_system: usize,
    pub generated: Option<String>,
}

/// Registry records derived from a SIPRI trade register: nations, systems with their operators,
/// and one [`Transfer`] per deal.
///
/// - **Nations**: every state that supplies or receives, with SIPRI's name, except those in
///   `known_nations` (the registry's own names win).
/// - **Systems**: one per designation (SIPRI's text without its trailing ` -`), id
///   `sipri-<slug>` (`sipri-deal-<transfer id without "sipri-">` when the designation has no
///   ASCII letter or digit), category the armament category. Its **origin** is the supplier of
///   its earliest deal (by order year, then SIPRI id, deals without an id last in register
///   order) among deals of new weapons from states, else among all deals from states; a
///   designation only ever supplied by non-state or unknown actors gets no system (its deals
///   keep `system` empty). Its **operators** are the state recipients that received at least
///   one delivery, with the sum of the numbers delivered (no quantity when SIPRI gives no
///   number); for an older-layout deal the number is its total delivered, or its one
///   delivery's number.
/// - **Transfers**: id `sipri-<SIPRI id>`; for an older-layout deal (no id) `sipri-old-<h>`,
///   `<h>` the top 48 bits, as 12 lower-case hex digits, of FNV-1a 64 over the UTF-8 of
///   `recipient|supplier|year of order|designation|number ordered|description` (SIPRI's names and
///   text; a missing year or number empty), with `-2`, `-3`, ... for the second, third, ... deal
///   with the same `<h>` in file order. Parties are nation codes for states, else SIPRI's
///   name with kind `non-state` or `unknown`. Category `unspecified` when SIPRI gives none (the
///   older layout). The older layout's number ordered and totals delivered map to
///   `number_ordered`, `delivered` and `tiv_delivered`; its comments and TIV for the total order
///   are not carried (no such fields).
///
/// Every record cites SIPRI. The result is deterministic, so re-importing the same file changes
/// nothing.
pub fn to_dataset(register: &Register, known_nations: &HashSet<String>) -> (Dataset, Summary) {
    let source = Source {
        title: match &register.generated {
            Some(g) => {
                format!("SIPRI Arms Transfers Database, trade register (data generated {g})")
            }
            None => "SIPRI Arms Transfers Database, trade register".to_string(),
        },
        url: Some(SOURCE_URL.to_string()),
    };
    let sources = vec![source];
    let mut summary = Summary {
        rows: register.rows,
        deals: register.deals.len(),
        generated: register.generated.clone(),
        ..Summary::default()
    };

    let mut actors: BTreeMap<&Actor, ()> = BTreeMap::new();
    for d in &register.deals {
        actors.insert(&d.supplier, ());
        actors.insert(&d.recipient, ());
        if d.supplier.code().is_none() || d.recipient.code().is_none() {
            summary.deals_with_non_state_party += 1;
        }
    }
    let mut nations: BTreeMap<&str, &str> = BTreeMap::new();
    for a in actors.keys() {
        match a {
            Actor::State { code, name } => {
                summary.states += 1;
                nations.entry(code).or_insert(name);
            }
            Actor::NonState { .. } => summary.non_state += 1,
            Actor::Unknown { .. } => summary.unknown += 1,
        }
    }
    let mut data = Dataset::default();
    for (code, name) in nations {
        if known_nations.contains(code) {
            continue;
        }
        data.nations.push(Nation {
            code: code.to_string(),
            name: name.to_string(),
            label: None,
            sources: sources.clone(),
            illustrative: false,
        });
    }
    summary.nations_created = data.nations.len();

    let ids = transfer_ids(&register.deals);
    // Deals (with their index) by system id (BTreeMap: deterministic order).
    let mut by_system: BTreeMap<String, Vec<(usize, &Deal)>> = BTreeMap::new();
    for (i, d) in register.deals.iter().enumerate() {
        by_system
            .entry(system_id(d, &ids[i]))
            .or_default()
            .push((i, d));
    }
    let mut system_of: HashMap<usize, String> = HashMap::new();
    for (id, deals) in &by_system {
        let earliest = |new_only: bool| {
            deals
                .iter()
                .filter(|(_, d)| d.supplier.code().is_some())
                .filter(|(_, d)| !new_only || d.status.as_deref() == Some("New"))
                .min_by_key(|(i, d)| {
                    (
                        d.order_year.unwrap_or(u16::MAX),
                        d.sipri_id.unwrap_or(u64::MAX),
                        *i,
                    )
                })
                .map(|(_, d)| *d)
        };
        let Some(first) = earliest(true).or_else(|| earliest(false)) else {
            summary.deals_without_system += deals.len();
            continue;
        };
        let Some(origin) = first.supplier.code() else {
            continue;
        };
        let mut operators: BTreeMap<&str, Option<u32>> = BTreeMap::new();
        for (_, d) in deals {
            let Some(code) = d.recipient.code() else {
                continue;
            };
            if d.deliveries.is_empty() {
                continue;
            }
            // The numbers of each year, or the older layout's total.
            let delivered: Option<u32> = d
                .deliveries
                .iter()
                .filter_map(|x| x.number)
                .chain(d.delivered_total.map(|(n, _)| n))
                .fold(None, |acc, n| Some(acc.unwrap_or(0).saturating_add(n)));
            let entry = operators.entry(code).or_insert(None);
            if let Some(n) = delivered {
                *entry = Some(entry.unwrap_or(0).saturating_add(n));
            }
        }
        data.systems.push(System {
            aliases: vec![],
            id: id.clone(),
            name: clean_designation(&first.designation).to_string(),
            category: category(&first.category),
            producer: None,
            origin: origin.to_string(),
            operators: operators
                .into_iter()
                .map(|(nation, quantity)| Operator {
                    nation: nation.to_string(),
                    quantity,
                })
                .collect(),
            label: None,
            sources: sources.clone(),
            illustrative: false,
        });
        for (i, _) in deals {
            system_of.insert(*i, id.clone());
        }
    }
    summary.systems = data.systems.len();

    let party = |a: &Actor| match a {
        Actor::State { code, .. } => (code.clone(), PartyKind::State),
        Actor::NonState { name } => (name.clone(), PartyKind::NonState),
        Actor::Unknown { name } => (name.clone(), PartyKind::Unknown),
    };
    for ((i, d), id) in register.deals.iter().enumerate().zip(ids) {
        let (supplier, supplier_kind) = party(&d.supplier);
        let (recipient, recipient_kind) = party(&d.recipient);
        data.transfers.push(Transfer {
            id,
            sipri_id: d.sipri_id,
            supplier,
            supplier_kind,
            recipient,
            recipient_kind,
            system: system_of.get(&i).cloned(),
            designation: clean_designation(&d.designation).to_string(),
            description: Some(d.description.trim().to_string()).filter(|s| !s.is_empty()),
            category: category(&d.category),
            ordered: d.order_year,
            ordered_estimated: d.order_year_estimated,
            status: d.status.clone(),
            tiv_unit: d.tiv_unit_new.map(Tiv),
            tiv_deal_unit: d.tiv_unit.map(Tiv),
            local_production: d.local_production,
            number_ordered: d.number_ordered,
            number_ordered_estimated: d.number_ordered_estimated,
            delivered: d.delivered_total.map(|(n, _)| n),
            delivered_estimated: d.delivered_total.is_some_and(|(_, e)| e),
            tiv_delivered: d.tiv_delivered_total.map(Tiv),
            deliveries: d
                .deliveries
                .iter()
                .map(|x| crate::model::Delivery {
                    year: x.year,
                    year_estimated: x.year_estimated,
                    number: x.number,
                    number_estimated: x.number_estimated,
                    tiv: x.tiv.map(Tiv),
                })
                .collect(),
            label: None,
            sources: sources.clone(),
            illustrative: false,
        });
    }
    data.normalize();
    (data, summary)
}

/// SIPRI's designation without the trailing ` -` many carry (`K-2 -` → `K-2`).
pub(super) fn clean_designation(s: &str) -> &str {
    let t = s.trim();
    t.strip_suffix(" -").map(str::trim_end).unwrap_or(t)
}

/// The transfer id of each deal: `sipri-<SIPRI id>`, or for a deal of the older layout
/// `sipri-old-<h>` where `<h>` is [`old_key_hash`] (12 lower-case hex digits), with `-2`, `-3`, ...
/// for the second, third, ... deal with the same `<h>` in register order.
pub(super) fn transfer_ids(deals: &[Deal]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    deals
        .iter()
        .map(|d| match d.sipri_id {
            Some(id) => format!("sipri-{id}"),
            None => {
                let base = format!("sipri-old-{:012x}", old_key_hash(d));
                let n = seen.entry(base.clone()).or_insert(0);
                *n += 1;
                if *n == 1 {
                    base
                } else {
                    format!("{base}-{n}")
                }
            }
        })
        .collect()
}

/// The top 48 bits of [`fnv1a64`] over `recipient|supplier|year of order|designation|number
/// ordered|description` (SIPRI's names and text as read, trimmed; a missing year or number
/// empty). Stable across builds and Rust versions.
pub(super) fn old_key_hash(d: &Deal) -> u64 {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let key = format!(
        "{}|{}|{}|{}|{}|{}",
        d.recipient.name(),
        d.supplier.name(),
        opt(d.order_year.map(|y| y.to_string())),
        d.designation,
        opt(d.number_ordered.map(|n| n.to_string())),
        d.description,
    );
    fnv1a64(key.as_bytes()) >> 16
}

/// FNV-1a, 64 bits.
pub(super) fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A category code: SIPRI's armament category in kebab case, `unspecified` when there is none
/// (the older layout has no such column).
pub(super) fn category(s: &str) -> String {
    let code = kebab_case(s);
    if code.is_empty() {
        "unspecified".to_string()
    } else {
        code
    }
}

/// `sipri-<slug>` of a deal's designation; `sipri-deal-<transfer id without "sipri-">` when
/// nothing of it is ASCII (`sipri-deal-123`, `sipri-deal-old-<h>`).
pub(super) fn system_id(d: &Deal, transfer_id: &str) -> String {
    let slug = kebab_case(clean_designation(&d.designation));
    if slug.is_empty() {
        let rest = transfer_id.strip_prefix("sipri-").unwrap_or(transfer_id);
        return format!("sipri-deal-{rest}");
    }
    // Ids are at most 100 characters; cut the slug at a character boundary (it is ASCII).
    let slug = &slug[..slug.len().min(90)];
    format!("sipri-{}", slug.trim_end_matches('-'))
}

/// Lower-case ASCII letters and digits, anything else one `-`; no leading or trailing `-`.
/// How SIPRI's armament categories become transfer and system categories (`Armoured
/// vehicles` → `armoured-vehicles`).
pub fn kebab_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sipri::fixtures::*;

    #[test]
    fn fnv1a64_matches_the_reference_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn older_rows_get_stable_ids_and_valid_records() {
        let text = old_file(&[X1, X4, X3, JF17, RAFALE, FAJR, BTR, X1]);
        let r = ok(&text);
        let known: HashSet<String> = ["IND".to_string()].into();
        let (data, summary) = to_dataset(&r, &known);
        assert_eq!(summary.deals, 8);
        // The same file again: the same records.
        assert_eq!(to_dataset(&ok(&text), &known), (data.clone(), summary));

        let by_id = |id: &str| data.transfers.iter().find(|t| t.id == id);
        // FNV-1a 64 of "India|Israel|2024|X-1|10|UAV", top 48 bits; the identical row is `-2`.
        let x1 = by_id("sipri-old-d8c3e73cf2be");
        let x1_again = by_id("sipri-old-d8c3e73cf2be-2");
        assert!(x1.is_some() && x1_again.is_some(), "{:?}", data.transfers);
        assert_eq!(data.transfers.len(), 8);
        for t in &data.transfers {
            let h = t.id.strip_prefix("sipri-old-").unwrap_or_default();
            let h = h.strip_suffix("-2").unwrap_or(h);
            assert!(
                h.len() == 12
                    && h.bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
                "{}",
                t.id
            );
            assert_eq!(t.sipri_id, None);
            assert_eq!(t.category, "unspecified");
        }
        // Appending a row leaves the ids of the others as they were.
        let more = to_dataset(&ok(&format!("{text}{X3}\r\n")), &known).0;
        let ids = |d: &Dataset| {
            d.transfers
                .iter()
                .map(|t| t.id.clone())
                .collect::<HashSet<_>>()
        };
        assert!(ids(&data).is_subset(&ids(&more)));
        assert_eq!(more.transfers.len(), 9);

        // The new fields.
        let find = |designation: &str| data.transfers.iter().find(|t| t.designation == designation);
        let Some(jf) = find("JF-17") else {
            panic!("no JF-17")
        };
        assert_eq!(
            (jf.number_ordered, jf.number_ordered_estimated),
            (Some(8), true)
        );
        assert_eq!(
            (jf.delivered, jf.delivered_estimated, jf.tiv_delivered),
            (Some(6), true, Some(Tiv(90.0)))
        );
        assert_eq!(jf.deliveries.len(), 3);
        assert!(jf
            .deliveries
            .iter()
            .all(|d| d.number.is_none() && d.tiv.is_none()));
        assert_eq!((jf.tiv_unit, jf.tiv_deal_unit), (Some(Tiv(15.0)), None));
        assert_eq!(jf.description.as_deref(), Some("FGA aircraft"));
        let Some(x3) = find("X-3") else {
            panic!("no X-3")
        };
        assert_eq!((x3.delivered, x3.tiv_delivered), (None, None));
        assert_eq!(x3.deliveries[0].number, Some(2));
        assert_eq!(x3.deliveries[0].tiv, Some(Tiv(20.0)));
        let Some(btr) = find("BTR-X") else {
            panic!("no BTR-X")
        };
        assert_eq!(btr.supplier_kind, PartyKind::Unknown);
        assert_eq!(
            btr.system, None,
            "only ever supplied by an unknown supplier"
        );

        // Operators count the total delivered, or the one year's number.
        let operators = |system: &str| {
            data.systems.iter().find(|s| s.id == system).map(|s| {
                s.operators
                    .iter()
                    .map(|o| (o.nation.as_str(), o.quantity))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(operators("sipri-jf-17"), Some(vec![("PAK", Some(6))]));
        assert_eq!(operators("sipri-rafale"), Some(vec![("EGY", Some(12))]));
        assert_eq!(operators("sipri-x-3"), Some(vec![("IND", Some(2))]));
        assert_eq!(operators("sipri-x-1"), Some(vec![]), "nothing delivered");
        // Non-state recipients are no operators.
        assert_eq!(operators("sipri-fajr-3"), Some(vec![]));

        // The records import cleanly, once the registry knows India.
        let mut with_ind = data.clone();
        with_ind.nations.push(Nation {
            code: "IND".into(),
            name: "India".into(),
            label: None,
            sources: vec![],
            illustrative: false,
        });
        let incoming = crate::Incoming::from_dataset(with_ind);
        if let Err(ps) = crate::plan_import(&incoming, &Dataset::default(), &crate::Reader::Full) {
            panic!("{ps:#?}");
        }
    }

    #[test]
    fn current_layout_ids_are_unchanged() {
        let (data, _) = to_dataset(&ok(&file(&[PUCARA, K9_2022])), &HashSet::new());
        let ids: Vec<(&str, Option<u64>)> = data
            .transfers
            .iter()
            .map(|t| (t.id.as_str(), t.sipri_id))
            .collect();
        assert_eq!(
            ids,
            vec![("sipri-32179", Some(32179)), ("sipri-65687", Some(65687))]
        );
        assert!(data.transfers.iter().all(|t| t.number_ordered.is_none()
            && t.delivered.is_none()
            && t.tiv_delivered.is_none()));
    }

    #[test]
    fn designations_become_system_ids_and_categories_codes() {
        assert_eq!(clean_designation("K-2 -"), "K-2");
        assert_eq!(clean_designation(" 9M119 "), "9M119");
        assert_eq!(kebab_case("Armoured vehicles"), "armoured-vehicles");
        assert_eq!(kebab_case("K-239 Chunmoo (M/L)"), "k-239-chunmoo-m-l");
        assert_eq!(kebab_case("--"), "");
    }

    /// The whole register maps to records that import cleanly, with the operators and parties
    /// the issue asks for.
    #[test]
    fn the_real_register_maps_to_valid_records() {
        let r = parse_register("trade_register.csv", &real_bytes()).expect("parses");
        let known: HashSet<String> = ["KOR".to_string()].into();
        let (data, summary) = to_dataset(&r, &known);
        assert_eq!(summary.deals, 12_571);
        assert_eq!(data.transfers.len(), 12_571);
        assert_eq!(
            (summary.states, summary.non_state, summary.unknown),
            (179, 28, 3)
        );
        assert_eq!(
            summary.nations_created, 178,
            "KOR is known and keeps its name"
        );
        assert!(data.nations.iter().all(|n| n.code != "KOR"));
        println!("{summary:?}");

        // The records pass import validation (KOR supplied by the registry).
        let mut with_kor = data.clone();
        with_kor.nations.push(Nation {
            code: "KOR".into(),
            name: "Republic of Korea".into(),
            label: None,
            sources: vec![],
            illustrative: false,
        });
        let incoming = crate::Incoming::from_dataset(with_kor);
        if let Err(ps) = crate::plan_import(&incoming, &Dataset::default(), &crate::Reader::Full) {
            panic!(
                "{} problems, first: {:#?}",
                ps.len(),
                &ps[..ps.len().min(10)]
            );
        }

        // Poland operates Korean K-2 tanks, K-9 guns, K-239 Chunmoo rockets and FA-50 aircraft.
        let korean_in_poland: Vec<&str> = data
            .systems
            .iter()
            .filter(|s| s.origin == "KOR" && s.operators.iter().any(|o| o.nation == "POL"))
            .map(|s| s.name.as_str())
            .collect();
        for name in ["K-2", "K-9 155mm", "K-239 Chunmoo", "FA-50"] {
            assert!(
                korean_in_poland.contains(&name),
                "{name} not among {korean_in_poland:?}"
            );
        }
        // Operators carry the sum of the numbers delivered.
        let k2 = data.systems.iter().find(|s| s.name == "K-2").expect("K-2");
        let pol = k2
            .operators
            .iter()
            .find(|o| o.nation == "POL")
            .expect("POL");
        let delivered: u32 = data
            .transfers
            .iter()
            .filter(|t| t.system.as_deref() == Some(k2.id.as_str()) && t.recipient == "POL")
            .flat_map(|t| t.deliveries.iter().filter_map(|d| d.number))
            .sum();
        assert!(delivered > 0);
        assert_eq!(pol.quantity, Some(delivered));
        // Non-state parties are kept, with their kind.
        assert!(data
            .transfers
            .iter()
            .any(|t| t.recipient_kind == PartyKind::NonState));
        assert!(data
            .transfers
            .iter()
            .any(|t| t.supplier_kind == PartyKind::Unknown));
        // Deterministic.
        assert_eq!(to_dataset(&r, &known).0, data);
    }

    /// The real export, `data/sources/sipri/trade_register.csv`.
    #[test]
    fn the_real_trade_register() {
        let bytes = real_bytes();
        let start = std::time::Instant::now();
        let r = parse_register("trade_register.csv", &bytes).unwrap_or_else(|ps| {
            panic!(
                "{} problems, first: {:#?}",
                ps.len(),
                &ps[..ps.len().min(20)]
            )
        });
        println!(
            "parsed {} rows into {} deals in {:?}",
            r.rows,
            r.deals.len(),
            start.elapsed()
        );
        assert_eq!(r.generated.as_deref(), Some("12 Feb 2026 12:26:12 PM"));
        assert_eq!(r.rows, 25_024);
        assert_eq!(r.deals.len(), 12_571);
        assert_eq!(
            r.deals.iter().map(|d| d.deliveries.len()).sum::<usize>(),
            25_024
        );
        assert!(r.deals.windows(2).all(|w| w[0].sipri_id < w[1].sipri_id));
        assert!(r
            .deals
            .iter()
            .all(|d| d.deliveries.windows(2).all(|w| w[0].year < w[1].year)));

        // Every name maps (parsing would have failed otherwise); the names used, by kind.
        let mut used: Vec<&Actor> = r
            .deals
            .iter()
            .flat_map(|d| [&d.supplier, &d.recipient])
            .collect();
        used.sort();
        used.dedup();
        assert_eq!(used.len(), 210);
        let states = used.iter().filter(|a| a.code().is_some()).count();
        let unknown = used
            .iter()
            .filter(|a| matches!(a, Actor::Unknown { .. }))
            .count();
        assert_eq!(
            (states, used.len() - states - unknown, unknown),
            (179, 28, 3)
        );

        // SIPRI's method: deal unit = new unit x 1 (new), 0.4 (second hand), 0.66 (modernized);
        // delivered = number x deal unit, within the two-decimal rounding.
        for d in &r.deals {
            let factor = match d.status.as_deref() {
                Some("New") => 1.0,
                Some("Second hand") => 0.4,
                Some("Second hand but modernized") => 0.66,
                other => panic!("status {other:?}"),
            };
            let (Some(new), Some(unit)) = (d.tiv_unit_new, d.tiv_unit) else {
                panic!("deal {:?} without unit TIVs", d.sipri_id)
            };
            assert!(
                (new * factor - unit).abs() <= 0.0051,
                "deal {:?}",
                d.sipri_id
            );
            for v in &d.deliveries {
                let (Some(n), Some(tiv)) = (v.number, v.tiv) else {
                    panic!("deal {:?} {}", d.sipri_id, v.year)
                };
                let slack = 0.005 * f64::from(n) + 0.051;
                assert!(
                    (f64::from(n) * unit - tiv).abs() <= slack,
                    "deal {:?} {}",
                    d.sipri_id,
                    v.year
                );
            }
        }

        // South Korea to Poland.
        let kor_pol: Vec<&Deal> = r
            .deals
            .iter()
            .filter(|d| d.supplier.code() == Some("KOR") && d.recipient.code() == Some("POL"))
            .collect();
        let mut designations: Vec<&str> = kor_pol.iter().map(|d| d.designation.as_str()).collect();
        designations.dedup();
        assert_eq!(kor_pol.len(), 9);
        for want in ["K-2 -", "K-9 155mm -", "K-239 Chunmoo", "FA-50 -"] {
            assert!(designations.contains(&want), "{want} in {designations:?}");
        }
        let tiv: f64 = kor_pol
            .iter()
            .flat_map(|d| &d.deliveries)
            .filter_map(|v| v.tiv)
            .sum();
        assert!((tiv - 1464.48).abs() < 1e-6, "{tiv}");

        // A multi-year deal: Poland's first K-9 batch (rows 13880-13882).
        let k9 = r.deals.iter().find(|d| d.sipri_id == Some(65687));
        let Some(k9) = k9 else {
            panic!("no deal 65687")
        };
        assert_eq!(k9.designation, "K-9 155mm -");
        assert_eq!(
            (k9.order_year, k9.tiv_unit, k9.local_production),
            (Some(2022), Some(4.34), true)
        );
        assert_eq!(
            k9.deliveries
                .iter()
                .map(|v| (v.year, v.year_estimated, v.number, v.number_estimated))
                .collect::<Vec<_>>(),
            vec![
                (2022, false, Some(24), false),
                (2023, false, Some(48), false),
                (2024, false, Some(60), true),
            ]
        );
        // A deal whose rows are not in year order in the file (lines 3438-3441: 2000, 1998,
        // 1999, 1997).
        let Some(dragar) = r.deals.iter().find(|d| d.sipri_id == Some(22537)) else {
            panic!("no deal 22537")
        };
        assert_eq!(
            (dragar.supplier.code(), dragar.recipient.code()),
            (Some("FRA"), Some("TUR"))
        );
        assert_eq!(
            dragar
                .deliveries
                .iter()
                .map(|v| (v.year, v.number))
                .collect::<Vec<_>>(),
            vec![
                (1997, Some(68)),
                (1998, Some(58)),
                (1999, Some(200)),
                (2000, Some(189))
            ]
        );
    }
}
