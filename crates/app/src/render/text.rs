//! Text answers: pairs, matrices (table and CSV), plans, what-if and arms flows.

use defcoop_domain::model::Dataset;
use defcoop_domain::sipri::kebab_case;
use defcoop_engine::flows::{and_list, grouped, FlowQuery, Flows, Party};
use defcoop_engine::plan::Step;
use defcoop_engine::{Action, Counts, Level, PairReport, Plan};

use super::{pad, rpad, width, words, Lang};
use crate::interop::{MatrixOutcome, WhatIf};

/// A pair with its evidence, domain by domain.
pub fn pair_text(r: &PairReport, lang: Lang) -> String {
    let w = words(lang);
    let mut out = format!("{} × {}\n", r.a, r.b);
    if r.domains.is_empty() {
        out.push_str(&format!("  {}\n", w.neither));
    }
    for d in &r.domains {
        out.push_str(&format!(
            "  {} {} {}\n",
            pad(&d.domain, 28),
            rpad(d.level.as_str(), 2),
            w.level(d.level)
        ));
        for s in &d.shared {
            out.push_str(&format!(
                "      {} {} ({} {}, {} {})\n",
                w.shared,
                s.standard,
                r.a,
                w.status(s.a),
                r.b,
                w.status(s.b)
            ));
        }
        for (dir, c) in [
            (format!("{} → {}", r.a, r.b), &d.a_to_b),
            (format!("{} → {}", r.b, r.a), &d.b_to_a),
        ] {
            if let Some(c) = c {
                let hops: Vec<String> = c
                    .steps
                    .iter()
                    .map(|s| format!("{} -[{}]-> {}", s.from, s.gateway, s.to))
                    .collect();
                let via = if c.full { w.via_full } else { w.via_partial };
                out.push_str(&format!("      {dir} {via}: {}\n", hops.join(", ")));
            }
        }
        if d.level == Level::Na {
            let ids: Vec<&str> = [(d.unrated.0, r.a.as_str()), (d.unrated.1, r.b.as_str())]
                .into_iter()
                .filter(|(u, _)| *u)
                .map(|(_, id)| id)
                .collect();
            out.push_str(&format!("      {}: {}\n", w.no_standard, ids.join(", ")));
        }
    }
    out
}

fn share(c: &Counts) -> String {
    let applicable: u64 = c[1..].iter().sum();
    let good = c[3] + c[4];
    if applicable == 0 {
        "-".to_string()
    } else {
        format!("{:.1}", 100.0 * good as f64 / applicable as f64)
    }
}

fn counts_row(name: &str, c: &Counts, first: usize) -> String {
    let mut row = pad(name, first);
    for v in c {
        row.push(' ');
        row.push_str(&rpad(&v.to_string(), 10));
    }
    row.push(' ');
    row.push_str(&rpad(&share(c), 8));
    row.push('\n');
    row
}

fn counts_header(first_word: &str, first: usize) -> String {
    let mut row = pad(first_word, first);
    for l in Level::ALL {
        row.push(' ');
        row.push_str(&rpad(l.as_str(), 10));
    }
    row.push(' ');
    row.push_str(&rpad("≥2 %", 8));
    row.push('\n');
    row
}

fn sum(counts: &[Counts]) -> Counts {
    counts.iter().fold([0u64; 5], |mut acc, c| {
        for (a, v) in acc.iter_mut().zip(c) {
            *a += v;
        }
        acc
    })
}

/// The matrix summary per domain, then per pair of origin nations.
pub fn matrix_table(m: &MatrixOutcome, lang: Lang) -> String {
    let w = words(lang);
    let snap = &m.snapshot;
    let mut out = format!(
        "{} {} × {} {}\n\n",
        m.left.len(),
        w.systems,
        m.right.len(),
        w.systems
    );
    let first = m
        .matrix
        .domains
        .iter()
        .map(|(d, _)| width(&snap.domains[*d].code))
        .chain([28])
        .max()
        .unwrap_or(28);
    out.push_str(&counts_header(w.domain, first));
    for (d, c) in &m.matrix.domains {
        out.push_str(&counts_row(&snap.domains[*d].code, c, first));
    }
    out.push_str(&format!("\n{}\n", w.unrated));
    let (lh, rh) = (
        format!("{} ({})", w.left, m.left.len()),
        format!("{} ({})", w.right, m.right.len()),
    );
    let (lw, rw) = (width(&lh).max(10), width(&rh).max(10));
    out.push_str(&format!(
        "{} {} {}\n",
        pad(w.domain, first),
        rpad(&lh, lw),
        rpad(&rh, rw)
    ));
    for ((d, _), (l, r)) in m.matrix.domains.iter().zip(&m.matrix.unrated) {
        out.push_str(&format!(
            "{} {} {}\n",
            pad(&snap.domains[*d].code, first),
            rpad(&l.to_string(), lw),
            rpad(&r.to_string(), rw)
        ));
    }
    if !m.matrix.nation_pairs.is_empty() {
        out.push_str(&format!("\n{}\n", w.by_origin));
        out.push_str(&counts_header(w.nations, first));
        for n in &m.matrix.nation_pairs {
            out.push_str(&counts_row(
                &format!("{} × {}", n.a, n.b),
                &sum(&n.counts),
                first,
            ));
        }
    }
    out
}

/// The matrix as CSV: every pair (`a,b,domain,level`), or the summary rows
/// (`a,b,domain,na,0,1,2,3`, empty `a,b` for the per-domain totals).
pub fn matrix_csv(m: &MatrixOutcome) -> String {
    let snap = &m.snapshot;
    let mut out = String::new();
    if m.with_pairs {
        out.push_str("a,b,domain,level\n");
        for p in &m.matrix.pairs {
            out.push_str(&format!(
                "{},{},{},{}\n",
                snap.systems[p.a].id,
                snap.systems[p.b].id,
                snap.domains[p.domain].code,
                p.level.as_str()
            ));
        }
        return out;
    }
    out.push_str("a,b,domain,na,0,1,2,3\n");
    for (d, c) in &m.matrix.domains {
        out.push_str(&format!(
            ",,{},{},{},{},{},{}\n",
            snap.domains[*d].code, c[0], c[1], c[2], c[3], c[4]
        ));
    }
    for n in &m.matrix.nation_pairs {
        for ((d, _), c) in m.matrix.domains.iter().zip(&n.counts) {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                n.a, n.b, snap.domains[*d].code, c[0], c[1], c[2], c[3], c[4]
            ));
        }
    }
    out
}

/// One action in words.
pub fn action_text(a: &Action, lang: Lang) -> String {
    match (lang, a) {
        (Lang::En, Action::Test { system, standard }) => {
            format!("test {system}'s claimed conformance to {standard}")
        }
        (Lang::En, Action::Adopt { system, standard }) => {
            format!("{system} adopts {standard} (tested)")
        }
        (Lang::En, Action::Field { gateway }) => format!("field the planned gateway {gateway}"),
        (Lang::En, Action::Gateway { domain, from, to }) => {
            format!("new full two-way gateway {from} ↔ {to} ({domain})")
        }
        (Lang::Ko, Action::Test { system, standard }) => {
            format!("{system}의 {standard} 적합성 주장을 시험")
        }
        (Lang::Ko, Action::Adopt { system, standard }) => {
            format!("{system}에 {standard} 채택 (시험 완료)")
        }
        (Lang::Ko, Action::Field { gateway }) => format!("계획된 게이트웨이 {gateway} 배치"),
        (Lang::Ko, Action::Gateway { domain, from, to }) => {
            format!("새 완전 양방향 게이트웨이 {from} ↔ {to} ({domain})")
        }
    }
}

fn step_line(i: usize, s: &Step, lang: Lang) -> String {
    format!(
        "{:>3}. +{} {}\n",
        i + 1,
        pad(&s.gain.to_string(), 10),
        action_text(&s.action, lang)
    )
}

/// A gap-closure plan, step by step.
pub fn plan_text(p: &Plan, left: usize, right: usize, lang: Lang) -> String {
    let w = words(lang);
    let mut out = match lang {
        Lang::En => format!(
            "{left} × {right} systems, target level {} ({}): {} triples covered before, {} after\n",
            p.target.as_str(),
            w.level(p.target),
            p.covered_before,
            p.covered_after
        ),
        Lang::Ko => format!(
            "{left} × {right} 체계, 목표 수준 {} ({}): 충족된 (체계, 체계, 영역) 조합 {}개 → {}개\n",
            p.target.as_str(),
            w.level(p.target),
            p.covered_before,
            p.covered_after
        ),
    };
    if p.steps.is_empty() {
        out.push_str(&format!("{}\n", w.no_action));
    }
    for (i, s) in p.steps.iter().enumerate() {
        out.push_str(&step_line(i, s, lang));
    }
    out
}

/// What-if: the actions, then each domain's counts before and after.
pub fn whatif_table(wi: &WhatIf, lang: Lang) -> String {
    let w = words(lang);
    let mut out = format!("{}:\n", w.actions);
    for a in &wi.actions {
        out.push_str(&format!("  {}\n", action_text(a, lang)));
    }
    out.push_str(&format!(
        "\n{} {} × {} {}\n\n",
        wi.before.left.len(),
        w.systems,
        wi.before.right.len(),
        w.systems
    ));
    let snap = &wi.before.snapshot;
    let first = wi
        .before
        .matrix
        .domains
        .iter()
        .map(|(d, _)| width(&snap.domains[*d].code) + 2)
        .chain([28])
        .max()
        .unwrap_or(28);
    out.push_str(&counts_header(w.domain, first));
    for ((d, before), (_, after)) in wi
        .before
        .matrix
        .domains
        .iter()
        .zip(&wi.after.matrix.domains)
    {
        let code = &snap.domains[*d].code;
        out.push_str(&counts_row(
            &format!("{code} ({})", w.before),
            before,
            first,
        ));
        out.push_str(&counts_row(&format!("{code} ({})", w.after), after, first));
    }
    out
}

/// "Poland (POL)" for a state, the name alone otherwise.
fn shown(p: &Party) -> String {
    match p.kind {
        Some(k) if k.is_state() && p.id != p.name => format!("{} ({})", p.name, p.id),
        _ if p.is_other() => format!("{} ({} merged)", p.name, p.merged),
        _ => p.name.clone(),
    }
}

/// Arms flows as a table: every flow, the total, then totals by supplier and by recipient.
pub fn flows_table(f: &Flows, title: &str, lang: Lang) -> String {
    let w = words(lang);
    let widest = |ps: &mut dyn Iterator<Item = &Party>| ps.map(|p| width(&shown(p))).max();
    let sw = widest(&mut f.flows.iter().map(|x| &x.supplier))
        .unwrap_or(0)
        .max(width(w.supplier));
    let rw = widest(&mut f.flows.iter().map(|x| &x.recipient))
        .unwrap_or(0)
        .max(width(w.recipient));
    let nums = |tiv: &str, items: &str, deals: &str| {
        format!("{}  {}  {}", rpad(tiv, 12), rpad(items, 9), rpad(deals, 6))
    };
    let mut out = format!("{title}\n\n");
    out.push_str(&format!(
        "{}  {}  {}\n",
        pad(w.supplier, sw),
        pad(w.recipient, rw),
        nums("TIV", w.items, w.deals)
    ));
    for x in &f.flows {
        out.push_str(&format!(
            "{}  {}  {}\n",
            pad(&shown(&x.supplier), sw),
            pad(&shown(&x.recipient), rw),
            nums(
                &x.tiv.display(1),
                &grouped(x.items),
                &grouped(x.deals as u64)
            )
        ));
    }
    out.push_str(&format!(
        "{}  {}  {}\n",
        pad(w.total, sw),
        pad("", rw),
        nums(
            &f.total_tiv.display(1),
            &grouped(f.total_items),
            &grouped(f.total_deals as u64)
        )
    ));
    for (heading, totals) in [
        (w.by_supplier, &f.suppliers),
        (w.by_recipient, &f.recipients),
    ] {
        let cw = totals
            .iter()
            .map(|t| width(&shown(&t.party)))
            .max()
            .unwrap_or(0)
            .max(width(heading));
        out.push_str(&format!(
            "\n{}  {}\n",
            pad(heading, cw),
            nums("TIV", w.items, w.deals)
        ));
        for t in totals {
            out.push_str(&format!(
                "{}  {}\n",
                pad(&shown(&t.party), cw),
                nums(
                    &t.tiv.display(1),
                    &grouped(t.items),
                    &grouped(t.deals as u64)
                )
            ));
        }
    }
    if f.merged.suppliers + f.merged.recipients > 0 {
        out.push_str(&match lang {
            Lang::En => format!(
                "\n{} supplier(s) and {} recipient(s) merged into \"Other\" ({} flows; --top {} names the parties of the largest flows, at most 10 suppliers)\n",
                f.merged.suppliers, f.merged.recipients, f.merged.flows, f.top
            ),
            Lang::Ko => format!(
                "\n공급국 {}곳과 수령국 {}곳을 \"기타\"로 묶었습니다 (흐름 {}개; --top {}: 가장 큰 흐름의 당사자만 이름을 표시, 공급국은 최대 10곳)\n",
                f.merged.suppliers, f.merged.recipients, f.merged.flows, f.top
            ),
        });
    }
    out.push_str(&format!("\n{}\n{}\n", w.tiv_legend, f.source));
    out
}

/// A title for a flows query, naming what its filters name (nation names from the registry):
/// "Arms transfers from South Korea to NATO members, 2015–2025 (TIV, millions)".
pub fn flows_title(data: &Dataset, query: &FlowQuery, f: &Flows, lang: Lang) -> String {
    let describe = |xs: &[String]| -> String {
        let names: Vec<String> = xs
            .iter()
            .map(|x| {
                if data.blocs.iter().any(|b| &b.code == x) {
                    match lang {
                        Lang::En => format!("{x} members"),
                        Lang::Ko => format!("{x} 회원국"),
                    }
                } else if let Some(n) = data.nations.iter().find(|n| &n.code == x) {
                    n.name.clone()
                } else {
                    x.clone()
                }
            })
            .collect();
        match lang {
            Lang::En => and_list(&names),
            Lang::Ko => names.join(", "),
        }
    };
    let cats: Vec<String> = query
        .categories
        .iter()
        .map(|c| kebab_case(c).replace('-', " "))
        .collect();
    let years = match (f.years, lang) {
        ((Some(a), Some(b)), _) if a == b => format!(", {a}"),
        ((Some(a), Some(b)), _) => format!(", {a}–{b}"),
        ((Some(a), None), Lang::En) => format!(", from {a}"),
        ((Some(a), None), Lang::Ko) => format!(", {a}년부터"),
        ((None, Some(b)), Lang::En) => format!(", until {b}"),
        ((None, Some(b)), Lang::Ko) => format!(", {b}년까지"),
        ((None, None), _) => String::new(),
    };
    match lang {
        Lang::En => {
            let mut t = "Arms transfers".to_string();
            if !query.suppliers.is_empty() {
                t.push_str(&format!(" from {}", describe(&query.suppliers)));
            }
            if !query.recipients.is_empty() {
                t.push_str(&format!(" to {}", describe(&query.recipients)));
            }
            if !cats.is_empty() {
                t.push_str(&format!(": {}", and_list(&cats)));
            }
            format!("{t}{years} (TIV, millions)")
        }
        Lang::Ko => {
            let mut t = String::new();
            if !query.suppliers.is_empty() {
                t.push_str(&format!("{}에서 ", describe(&query.suppliers)));
            }
            if !query.recipients.is_empty() {
                t.push_str(&format!("{}(으)로 ", describe(&query.recipients)));
            }
            t.push_str("무기 이전");
            if !cats.is_empty() {
                t.push_str(&format!(": {}", cats.join(", ")));
            }
            format!("{t}{years} (TIV, 백만)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use defcoop_engine::flows::flows;

    #[test]
    fn the_flows_title_names_the_filters_in_both_languages() {
        let text = r#"{"format": "defcoop-dataset", "version": 1,
          "nations": [{"code": "KOR", "name": "South Korea"}, {"code": "POL", "name": "Poland"}],
          "blocs": [{"code": "NATO", "name": "NATO", "members": [{"nation": "POL"}]}],
          "transfers": [{"id": "t1", "supplier": "KOR", "recipient": "POL", "designation": "K2",
            "category": "armoured-vehicles", "deliveries": [{"year": 2022, "number": 10, "tiv": 300}]}]}"#;
        let mut data = defcoop_domain::json::parse(text.as_bytes()).unwrap().data;
        data.normalize();
        let query = FlowQuery {
            members_on: None,
            suppliers: vec!["KOR".into()],
            recipients: vec!["NATO".into(), "KOR".into()],
            from: Some(2015),
            to: Some(2025),
            categories: vec![],
            top: 10,
        };
        let f = flows(&data, &query).unwrap();
        assert_eq!(
            flows_title(&data, &query, &f, Lang::En),
            "Arms transfers from South Korea to NATO members and South Korea, 2015–2025 (TIV, millions)"
        );
        assert_eq!(
            flows_title(&data, &query, &f, Lang::Ko),
            "South Korea에서 NATO 회원국, South Korea(으)로 무기 이전, 2015–2025 (TIV, 백만)"
        );
    }
}
