//! Matchmaking's answers as text, in English and Korean.

use defcoop_domain::matchmaking::consortium::{Report, Standing};
use defcoop_domain::matchmaking::{Party, Trl};

use crate::matchmaking::matching::{Matches, Part, Side};

use super::Lang;
use super::{pad, width};

/// A member's standing, in words.
pub fn standing_text(lang: Lang, s: Standing) -> &'static str {
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
                standing_text(lang, m.standing).to_string(),
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

/// Who owns a need or an offer, as a short phrase.
pub fn owner_text(p: &Party, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    match (&p.bloc, &p.nation, &p.organization) {
        (Some(b), _, _) => format!("{} {b}", if ko { "블록" } else { "bloc" }),
        (_, Some(n), _) => format!("{} {n}", if ko { "국가" } else { "nation" }),
        (_, _, Some(o)) => format!("{} {o}", if ko { "기관" } else { "organization" }),
        _ => String::new(),
    }
}

fn trl_text(t: Option<Trl>, ko: bool) -> String {
    match t {
        None => (if ko { "없음" } else { "not given" }).to_string(),
        Some(t) if t.min == t.max => t.min.to_string(),
        Some(t) => format!("{}–{}", t.min, t.max),
    }
}

/// A part's name.
pub fn part_name(p: &Part, lang: Lang) -> &'static str {
    let ko = lang == Lang::Ko;
    match p {
        Part::Area { .. } => {
            if ko {
                "역량 분야"
            } else {
                "area"
            }
        }
        Part::Text { .. } => {
            if ko {
                "텍스트"
            } else {
                "text"
            }
        }
        Part::Trl { .. } => {
            if ko {
                "기술성숙도"
            } else {
                "TRL"
            }
        }
        Part::Cooperation { .. } => {
            if ko {
                "협력 이력"
            } else {
                "cooperation"
            }
        }
        Part::Synergy { .. } => {
            if ko {
                "상호운용 시너지"
            } else {
                "synergy"
            }
        }
    }
}

/// Why a part scored what it did, in one sentence.
pub fn part_why(p: &Part, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    let list = |xs: &[String]| xs.join(", ");
    match p {
        Part::Area {
            same: true, area, ..
        } => {
            if ko {
                format!("같은 분야 ({area})")
            } else {
                format!("the same area ({area})")
            }
        }
        Part::Area { area, other, .. } => {
            if ko {
                format!("다른 분야 ({other}, 기준 {area})")
            } else {
                format!("another area ({other}, not {area})")
            }
        }
        Part::Text { share, terms, .. } if terms.is_empty() => {
            let _ = share;
            (if ko {
                "공통 단어 없음"
            } else {
                "no words in common"
            })
            .to_string()
        }
        Part::Text { share, terms, .. } => {
            let pct = (share * 100.0).round();
            if ko {
                format!("기준 텍스트 점수의 {pct}%; 공통: {}", list(terms))
            } else {
                format!("{pct}% of the text's own score; shared: {}", list(terms))
            }
        }
        Part::Trl {
            need, offer, gap, ..
        } => {
            let (n, o) = (trl_text(*need, ko), trl_text(*offer, ko));
            match (gap, ko) {
                (None, false) => format!("need {n}, offer {o}: not compared"),
                (None, true) => format!("수요 {n}, 제안 {o}: 비교할 수 없음"),
                (Some(0), false) => format!("need {n}, offer {o}: they overlap"),
                (Some(0), true) => format!("수요 {n}, 제안 {o}: 겹침"),
                (Some(g), false) => format!("need {n}, offer {o}: {g} level(s) apart"),
                (Some(g), true) => format!("수요 {n}, 제안 {o}: {g}단계 차이"),
            }
        }
        Part::Cooperation {
            engagements,
            transfers,
            systems,
            named_engagements,
            named_systems,
            ..
        } => {
            let mut s = if ko {
                format!("회담 {engagements}건, 무기 이전 {transfers}건, 공동 운용 체계 {systems}종")
            } else {
                format!("{engagements} engagement(s), {transfers} arms transfer(s), {systems} system(s) operated in common")
            };
            if !named_engagements.is_empty() || !named_systems.is_empty() {
                let named: Vec<String> = named_engagements
                    .iter()
                    .chain(named_systems)
                    .cloned()
                    .collect();
                s.push_str(&format!(" ({})", list(&named)));
            }
            s
        }
        Part::Synergy {
            steps: 0,
            standards,
            need_fleet,
            offer_fleet,
            ..
        } => match (standards.is_empty(), ko) {
            (true, false) => "no standard of the offer that the need side could adopt".to_string(),
            (true, true) => "수요 측이 채택할 수 있는 제안 표준 없음".to_string(),
            (false, false) => format!(
                "adopting {} raises no level between {need_fleet} and {offer_fleet} system(s)",
                list(standards)
            ),
            (false, true) => format!(
                "{} 채택으로 체계 {need_fleet}종과 {offer_fleet}종 사이에 오르는 수준 없음",
                list(standards)
            ),
        },
        Part::Synergy {
            steps,
            gains,
            standards,
            need_fleet,
            offer_fleet,
            ..
        } => {
            if ko {
                format!(
                    "{} 채택 시 수요 측 체계 {need_fleet}종과 제안 측 체계 {offer_fleet}종 사이 수준 상승 {steps}단계 (1 이상 +{}, 2 이상 +{}, 3 +{})",
                    list(standards), gains[0], gains[1], gains[2]
                )
            } else {
                format!(
                    "adopting {} raises levels by {steps} step(s) between the need side's {need_fleet} and the offer side's {offer_fleet} system(s) (+{} at 1 or above, +{} at 2 or above, +{} at 3)",
                    list(standards), gains[0], gains[1], gains[2]
                )
            }
        }
    }
}

/// A ranking: each match with its score and one line per part.
pub fn matches_text(m: &Matches, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    let mut out = match (m.of, ko) {
        (Side::Need, false) => format!(
            "offers for need {} \"{}\": {} scored\n",
            m.id, m.title, m.candidates
        ),
        (Side::Need, true) => format!(
            "수요 {} \"{}\"에 맞는 제안: {}건 평가\n",
            m.id, m.title, m.candidates
        ),
        (Side::Offer, false) => format!(
            "needs for offer {} \"{}\": {} scored\n",
            m.id, m.title, m.candidates
        ),
        (Side::Offer, true) => format!(
            "제안 {} \"{}\"에 맞는 수요: {}건 평가\n",
            m.id, m.title, m.candidates
        ),
    };
    if m.matches.is_empty() {
        out.push_str(if ko {
            "후보가 없습니다\n"
        } else {
            "no candidates\n"
        });
    }
    for (i, x) in m.matches.iter().enumerate() {
        out.push_str(&format!(
            "{:>3}. {:>5.1}  {}  {} ({})\n",
            i + 1,
            x.score,
            x.id,
            x.title,
            owner_text(&x.owner, lang)
        ));
        for p in &x.parts {
            let (points, max) = part_points(p);
            out.push_str(&format!(
                "       {} {:.1}/{:.0}: {}\n",
                part_name(p, lang),
                points,
                max,
                part_why(p, lang)
            ));
        }
    }
    if !m.exact {
        out.push_str(if ko {
            "주의: 엔진 평가 횟수 한도에 이르러 순위가 근사입니다\n"
        } else {
            "note: the engine's run limit was reached; the order is approximate\n"
        });
    }
    out
}

/// A part's points and maximum.
pub fn part_points(p: &Part) -> (f64, f64) {
    match p {
        Part::Area { points, max, .. }
        | Part::Text { points, max, .. }
        | Part::Trl { points, max, .. }
        | Part::Cooperation { points, max, .. }
        | Part::Synergy { points, max, .. } => (*points, *max),
    }
}

/// The consortium builder's answer: each proposed consortium with its members.
pub fn built_text(b: &crate::matchmaking::build::Built, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    let mut out = if ko {
        format!(
            "수요 {} · 재원 수단 {} · 기준일 {} · 회원 {}곳: 후보 기관 {}곳 중 자격 있는 {}곳\n",
            b.need, b.instrument, b.day, b.size, b.candidates, b.admissible
        )
    } else {
        format!(
            "need {} · instrument {} · on {} · {} members: {} candidate organizations, {} admissible\n",
            b.need, b.instrument, b.day, b.size, b.candidates, b.admissible
        )
    };
    if b.consortia.is_empty() {
        out.push_str(if ko {
            "요건을 모두 충족하는 컨소시엄이 없습니다\n"
        } else {
            "no consortium of this size meets every rule\n"
        });
    }
    for (i, c) in b.consortia.iter().enumerate() {
        out.push_str(&format!("{:>3}. {:>6.1}\n", i + 1, c.score));
        for m in &c.members {
            out.push_str(&format!(
                "       {} ({}, {}) {:.1}: {}\n",
                m.organization,
                m.nation,
                standing_text(lang, m.standing),
                m.score,
                m.offer
            ));
        }
    }
    if !b.exact {
        let bound = b.bound.map_or(String::new(), |x| format!("{x:.1}"));
        out.push_str(&if ko {
            format!("주의: 탐색 한도에 이르렀습니다. 검토하지 못한 컨소시엄의 점수는 {bound} 이하입니다\n")
        } else {
            format!("note: the search budget ran out; no consortium left unexamined scores above {bound}\n")
        });
    }
    out.push_str(if ko {
        "비용 비중은 같다고 보았습니다: 실제 비중으로 consortium check를 하십시오\n"
    } else {
        "shares are taken as equal: check the consortium with its real shares (consortium check)\n"
    });
    out
}

/// A brokerage schedule: slot by slot, each meeting at its table, then what could not be
/// placed, and the count against the bound.
pub fn brokerage_text(s: &crate::matchmaking::brokerage::Scheduled, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    let mut out = format!("{} · {}", s.title, s.time_zone);
    if let Some(p) = &s.place {
        out.push_str(&format!(" · {p}"));
    }
    out.push('\n');
    for slot in &s.slots {
        out.push_str(&format!(
            "{} {}–{} ({} UTC)\n",
            if ko { "시간대" } else { "slot" },
            slot.start.replace('T', " "),
            slot.end.get(11..).unwrap_or(&slot.end),
            slot.utc.get(11..16).unwrap_or(&slot.utc)
        ));
        // A participant with its organization, when they differ.
        let who = |p: &str, o: &str| {
            if p == o {
                p.to_string()
            } else {
                format!("{p} ({o})")
            }
        };
        for m in s.meetings.iter().filter(|m| m.slot == slot.slot) {
            out.push_str(&format!(
                "  {} {}: {} — {}{}\n",
                if ko { "테이블" } else { "table" },
                m.table,
                who(&m.a, &m.a_organization),
                who(&m.b, &m.b_organization),
                m.score.map_or(String::new(), |x| format!(" [{x:.1}]"))
            ));
        }
    }
    for u in &s.unplaced {
        out.push_str(&format!(
            "{}: {} — {} ({} {})\n",
            if ko {
                "배정하지 못함"
            } else {
                "not placed"
            },
            u.a,
            u.b,
            if ko { "요청" } else { "asked by" },
            u.asked_by.join(", ")
        ));
    }
    out.push_str(&match (ko, s.exact) {
        (false, true) => format!(
            "{} of {} requested meetings placed: the most possible\n",
            s.placed, s.requests
        ),
        (false, false) => format!(
            "{} of {} requested meetings placed; no schedule places more than {}\n",
            s.placed, s.requests, s.upper_bound
        ),
        (true, true) => format!(
            "요청된 회의 {}건 중 {}건 배정: 가능한 최대\n",
            s.requests, s.placed
        ),
        (true, false) => format!(
            "요청된 회의 {}건 중 {}건 배정: 어떤 일정도 {}건을 넘지 못합니다\n",
            s.requests, s.placed, s.upper_bound
        ),
    });
    out
}
