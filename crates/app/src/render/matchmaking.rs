//! Matchmaking's answers as text, in English and Korean.

use defcoop_domain::matchmaking::consortium::{Report, Standing};

use super::Lang;
use super::{pad, width};

fn standing(lang: Lang, s: Standing) -> &'static str {
    match (lang, s) {
        (Lang::En, Standing::Eligible) => "eligible",
        (Lang::En, Standing::Partner) => "partner",
        (Lang::En, Standing::Other) => "not eligible",
        (Lang::Ko, Standing::Eligible) => "자격 있음",
        (Lang::Ko, Standing::Partner) => "협력국",
        (Lang::Ko, Standing::Other) => "자격 없음",
    }
}

/// A consortium check: its members (country, standing, share), the rules broken, partners'
/// conditions, and the verdict.
pub fn consortium_text(r: &Report, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    let heads = if ko {
        ["기관", "이름", "국가", "자격", "비용 비중"]
    } else {
        ["organization", "name", "nation", "standing", "share"]
    };
    let rows: Vec<[String; 5]> = r
        .members
        .iter()
        .map(|m| {
            [
                m.organization.clone(),
                m.name.clone(),
                m.nation.clone(),
                standing(lang, m.standing).to_string(),
                format!("{:.1}%", m.share),
            ]
        })
        .collect();
    let mut widths = heads.map(width);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: [&str; 5]| -> String {
        let mut out = String::new();
        for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
            if i == 4 {
                out.push_str(&format!("{}{c}", " ".repeat(w.saturating_sub(width(c)))));
            } else {
                out.push_str(&pad(c, w));
                out.push_str("  ");
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = if ko {
        format!("재원 수단 {} · 기준일 {}\n", r.instrument, r.day)
    } else {
        format!("instrument {} · on {}\n", r.instrument, r.day)
    };
    out.push_str(&line(heads));
    for row in &rows {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    if r.equal_shares_assumed {
        out.push_str(if ko {
            "비용 비중이 주어지지 않아 모든 회원이 같은 비중을 지는 것으로 보았습니다\n"
        } else {
            "no shares were given: every member is taken to bear an equal share\n"
        });
    }
    for c in &r.conditions {
        out.push_str(&format!(
            "{}: {}\n",
            if ko { "조건" } else { "condition" },
            super::message(lang, c)
        ));
    }
    for b in &r.breaches {
        out.push_str(&format!(
            "{} {}: {}\n",
            if ko { "위반" } else { "breaks" },
            b.rule,
            super::message(lang, &b.message)
        ));
    }
    out.push_str(&match (r.eligible, ko) {
        (true, false) => "eligible: the consortium breaks no rule\n".to_string(),
        (true, true) => "자격 충족: 위반한 요건이 없습니다\n".to_string(),
        (false, false) => format!("not eligible: {} rule(s) broken\n", r.breaches.len()),
        (false, true) => format!("자격 미충족: 요건 {}건 위반\n", r.breaches.len()),
    });
    out
}
