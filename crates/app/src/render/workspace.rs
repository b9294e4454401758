//! The workspace's text answers, in English and Korean: meetings with their times in every
//! zone shown, minutes, proposals with their history and plan, action items with their
//! computed state, engagements, timelines and the network. Tables are aligned by display
//! width; ids and codes stay as they are.

use defcoop_domain::model::{Dataset, Kind};
use defcoop_domain::workspace::{
    ActionItem, Engagement, Meeting, MeetingStatus, Minutes, Proposal, TabledPlan, Votes,
};
use defcoop_engine::Level;

use super::words::{workspace_words, WorkspaceWords};
use super::{cut, pad, width, Labelled, Lang};
use crate::readmodel::find;
use crate::workspace::{ActionState, ActionView, Change, MeetingView, Network, TimelineEntry};

/// Rows under a header (see [`aligned`]).
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut all = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    all.extend(rows.iter().cloned());
    aligned(&all)
}

/// Rows with each column as wide as its widest cell, two spaces apart; the last column is
/// not padded and no line ends in spaces.
fn aligned(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| width(c)))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut s = String::new();
        for (i, c) in r.iter().enumerate() {
            if i + 1 == r.len() {
                s.push_str(c);
            } else {
                s.push_str(&pad(c, widths[i] + 2));
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    }
    out
}

/// Every line of `text` indented by two spaces.
fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// `YYYY-MM-DDTHH:MM` as people write it.
fn when(civil: &str) -> String {
    civil.replace('T', " ")
}

/// A person as `Name (id)` (in Korean the native name when the registry has one), or the
/// id alone when the reader does not see them.
fn person(data: &Dataset, id: &str, lang: Lang) -> String {
    match find(&data.people, id) {
        Some(p) => {
            let name = match (lang, &p.name_native) {
                (Lang::Ko, Some(native)) => native.as_str(),
                _ => p.name.as_str(),
            };
            format!("{name} ({id})")
        }
        None => id.to_string(),
    }
}

fn field(out: &mut String, name: &str, value: &str) {
    out.push_str(&format!("{name}: {value}\n"));
}

/// Meetings as a table: start in their own zone, zone, status, id, title.
pub fn meetings_table(meetings: &[Meeting], lang: Lang) -> String {
    let w = workspace_words(lang);
    if meetings.is_empty() {
        return match lang {
            Lang::En => "no meetings\n".into(),
            Lang::Ko => "회의가 없습니다\n".into(),
        };
    }
    let rows: Vec<Vec<String>> = meetings
        .iter()
        .map(|m| {
            vec![
                when(&m.start),
                m.time_zone.clone(),
                m.status.label(lang).to_string(),
                m.id.clone(),
                cut(&m.title, 60),
            ]
        })
        .collect();
    let mut out = table(&[w.start, w.zone, w.status, w.id, w.title], &rows);
    out.push_str(&match lang {
        Lang::En => format!("{} meeting(s)\n", meetings.len()),
        Lang::Ko => format!("회의 {}건\n", meetings.len()),
    });
    out
}

fn why(w: &WorkspaceWords, why: &str) -> &'static str {
    match why {
        "meeting" => w.why_meeting,
        "reader" => w.why_reader,
        _ => w.why_participants,
    }
}

/// One meeting: its times in every zone shown, participants, agenda with outcomes, minutes
/// and decisions (names, minutes and decisions looked up in `data`, the reader's view).
pub fn meeting_text(v: &MeetingView, data: &Dataset, lang: Lang) -> String {
    let w = workspace_words(lang);
    let m = &v.meeting;
    let mut out = format!("{} ({})\n", m.title, m.id);
    field(&mut out, w.status, m.status.label(lang));
    if let Some(b) = &m.body {
        let name =
            find(&data.bodies, b.as_str()).map_or(b.clone(), |x| format!("{} ({b})", x.name));
        field(&mut out, w.body, &name);
    }
    if let Some(p) = &m.place {
        field(&mut out, w.place, p);
    }
    if let Some(o) = &m.online {
        field(&mut out, w.online, o);
    }
    out.push_str(&format!("{}:\n", w.times));
    let times: Vec<Vec<String>> = v
        .times
        .iter()
        .map(|t| {
            vec![
                t.zone.clone(),
                format!("{} – {}", t.start, t.end),
                why(w, t.why).to_string(),
            ]
        })
        .collect();
    out.push_str(&indent(&aligned(&times)));
    if !m.participants.is_empty() {
        out.push_str(&format!("{}:\n", w.participants));
        let rows: Vec<Vec<String>> = m
            .participants
            .iter()
            .map(|p| {
                vec![
                    person(data, &p.person, lang),
                    p.role.label(lang).to_string(),
                ]
            })
            .collect();
        out.push_str(&indent(&aligned(&rows)));
    }
    if !m.agenda.is_empty() {
        out.push_str(&format!("{}:\n", w.agenda));
        for (i, item) in m.agenda.iter().enumerate() {
            let outcome = item.outcome.map_or(w.no_outcome, |o| o.label(lang));
            out.push_str(&format!("  {}. {} — {outcome}\n", i + 1, item.title));
            if let Some(p) = &item.proposal {
                out.push_str(&format!("     {}: {p}\n", w.proposal));
            }
            if let Some(n) = &item.notes {
                out.push_str(&format!("     {}\n", n.replace('\n', " ")));
            }
        }
    }
    out.push_str(&format!("{}:", w.minutes));
    if v.minutes.is_empty() {
        out.push_str(&format!(" {}\n", w.none));
    } else {
        out.push('\n');
        for id in &v.minutes {
            match find(&data.minutes, id.as_str()) {
                Some(x) => out.push_str(&format!(
                    "  {id}  {}  {}\n",
                    version(x.version, lang),
                    x.status.label(lang)
                )),
                None => out.push_str(&format!("  {id}\n")),
            }
        }
    }
    out.push_str(&format!("{}:", w.decisions));
    if v.decisions.is_empty() {
        out.push_str(&format!(" {}\n", w.none));
    } else {
        out.push('\n');
        for id in &v.decisions {
            let text = find(&data.decisions, id.as_str())
                .map(|d| format!(": {}", cut(&d.text.replace('\n', " "), 100)))
                .unwrap_or_default();
            out.push_str(&format!("  {id}{text}\n"));
        }
    }
    out
}

fn version(v: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("version {v}"),
        Lang::Ko => format!("제{v}판"),
    }
}

/// What a meeting is after closing or cancelling it, with its agenda's outcomes.
pub fn meeting_line(m: &Meeting, lang: Lang) -> String {
    let w = workspace_words(lang);
    let mut out = match lang {
        Lang::En => format!("meeting \"{}\" is {}", m.id, m.status.label(lang)),
        Lang::Ko => format!("회의 \"{}\": {}", m.id, m.status.label(lang)),
    };
    if m.status == MeetingStatus::Held && !m.agenda.is_empty() {
        let outcomes: Vec<String> = m
            .agenda
            .iter()
            .enumerate()
            .map(|(i, a)| {
                format!(
                    "{}. {}",
                    i + 1,
                    a.outcome.map_or(w.no_outcome, |o| o.label(lang))
                )
            })
            .collect();
        out.push_str(&format!("; {}: {}", w.agenda, outcomes.join(", ")));
    }
    out.push('\n');
    out
}

/// What minutes are after a step of their workflow, a comment or a correction.
pub fn minutes_line(m: &Minutes, lang: Lang) -> String {
    let corrects = m.corrects.as_deref();
    match lang {
        Lang::En => format!(
            "minutes \"{}\" ({} of meeting \"{}\"{}): {}, {} comment(s)\n",
            m.id,
            version(m.version, lang),
            m.meeting,
            corrects.map_or(String::new(), |c| format!(", correcting \"{c}\"")),
            m.status.label(lang),
            m.comments.len()
        ),
        Lang::Ko => format!(
            "회의록 \"{}\" (회의 \"{}\"의 {}{}): {}, 의견 {}건\n",
            m.id,
            m.meeting,
            version(m.version, lang),
            corrects.map_or(String::new(), |c| format!(", \"{c}\" 정정")),
            m.status.label(lang),
            m.comments.len()
        ),
    }
}

/// Proposals as a table: id, status, sponsor, the day of the last step, title.
pub fn proposals_table(proposals: &[Proposal], lang: Lang) -> String {
    let w = workspace_words(lang);
    if proposals.is_empty() {
        return match lang {
            Lang::En => "no proposals\n".into(),
            Lang::Ko => "제안이 없습니다\n".into(),
        };
    }
    let rows: Vec<Vec<String>> = proposals
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.status.label(lang).to_string(),
                p.sponsor.clone().unwrap_or_default(),
                p.history.last().map_or(String::new(), |t| t.on.clone()),
                cut(&p.title, 60),
            ]
        })
        .collect();
    let mut out = table(&[w.id, w.status, w.sponsor, w.last_step, w.title], &rows);
    out.push_str(&match lang {
        Lang::En => format!("{} proposal(s)\n", proposals.len()),
        Lang::Ko => format!("제안 {}건\n", proposals.len()),
    });
    out
}

fn votes_text(v: &Votes, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{} for, {} against, {} abstaining",
            v.in_favour, v.against, v.abstain
        ),
        Lang::Ko => format!(
            "찬성 {}, 반대 {}, 기권 {}",
            v.in_favour, v.against, v.abstain
        ),
    }
}

/// How a proposal was decided: `consensus`, `vote (12 for, 3 against, 0 abstaining)`.
fn decided(p: &Proposal, lang: Lang) -> Option<String> {
    let method = p.method.map(|m| m.label(lang).to_string());
    match (method, &p.votes) {
        (Some(m), Some(v)) => Some(format!("{m} ({})", votes_text(v, lang))),
        (Some(m), None) => Some(m),
        (None, Some(v)) => Some(votes_text(v, lang)),
        (None, None) => None,
    }
}

/// A tabled plan: the question, the covered triples before and after, each action with its
/// gain and in words.
pub fn tabled_plan_text(plan: &TabledPlan, lang: Lang) -> String {
    let w = workspace_words(lang);
    let level = Level::ALL
        .into_iter()
        .find(|l| l.number() == Some(plan.target))
        .map_or("", |l| l.label(lang));
    let mut out = match lang {
        Lang::En => format!(
            "{}: {} × {}, target level {} ({level}): {} triples covered before, {} after\n",
            w.plan,
            plan.left.join(" & "),
            plan.right.join(" & "),
            plan.target,
            plan.covered_before,
            plan.covered_after
        ),
        Lang::Ko => format!(
            "{}: {} × {}, 목표 수준 {} ({level}): 충족된 조합 {}개 → {}개\n",
            w.plan,
            plan.left.join(" & "),
            plan.right.join(" & "),
            plan.target,
            plan.covered_before,
            plan.covered_after
        ),
    };
    for (i, item) in plan.items.iter().enumerate() {
        let words = crate::interop::parse_action(&item.action)
            .map(|a| format!(" — {}", super::action_text(&a, lang)))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {:>2}. +{}  {}{words}\n",
            i + 1,
            item.gain,
            item.action
        ));
    }
    out
}

/// One proposal: status, sponsor, how it was decided, its dated history and its plan.
pub fn proposal_text(p: &Proposal, lang: Lang) -> String {
    let w = workspace_words(lang);
    let mut out = format!("{} ({})\n", p.title, p.id);
    field(&mut out, w.status, p.status.label(lang));
    for (name, value) in [(w.body, &p.body), (w.sponsor, &p.sponsor)] {
        if let Some(v) = value {
            field(&mut out, name, v);
        }
    }
    if let Some(d) = decided(p, lang) {
        field(&mut out, w.method, &d);
    }
    if let Some(s) = &p.summary {
        field(&mut out, w.summary, &s.replace('\n', " "));
    }
    out.push_str(&format!("{}:\n", w.history));
    let rows: Vec<Vec<String>> = p
        .history
        .iter()
        .map(|t| {
            vec![
                t.on.clone(),
                t.status.label(lang).to_string(),
                t.by.clone().unwrap_or_default(),
                t.meeting.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&indent(&table(&[w.on, w.status, w.by, w.meeting], &rows)));
    if let Some(plan) = &p.plan {
        out.push_str(&tabled_plan_text(plan, lang));
    }
    out
}

/// What a proposal is after a move or after it was tabled.
pub fn proposal_line(p: &Proposal, lang: Lang) -> String {
    let how = match (lang, decided(p, lang)) {
        (_, None) => String::new(),
        (Lang::En, Some(d)) => format!(", by {d}"),
        (Lang::Ko, Some(d)) => format!(", {d}"),
    };
    match lang {
        Lang::En => format!("proposal \"{}\" is {}{how}\n", p.id, p.status.label(lang)),
        Lang::Ko => format!("제안 \"{}\": {}{how}\n", p.id, p.status.label(lang)),
    }
}

fn owner(a: &ActionItem) -> String {
    a.owner
        .person
        .clone()
        .or_else(|| a.owner.organization.clone())
        .unwrap_or_default()
}

/// The action items an agreed plan became (none: each action had its item already).
pub fn assigned_text(items: &[ActionItem], lang: Lang) -> String {
    let w = workspace_words(lang);
    let Some(first) = items.first() else {
        return match lang {
            Lang::En => "no new action item: every action of the plan has one already\n".into(),
            Lang::Ko => {
                "새 조치 사항이 없습니다: 계획의 모든 조치에 이미 조치 사항이 있습니다\n".into()
            }
        };
    };
    let mut out = match lang {
        Lang::En => format!("{} action item(s) made, due {}:\n", items.len(), first.due),
        Lang::Ko => format!(
            "조치 사항 {}건을 만들었습니다 (기한 {}):\n",
            items.len(),
            first.due
        ),
    };
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                owner(a),
                a.plan_action.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&indent(&table(&[w.id, w.owner, w.plan_action], &rows)));
    out
}

/// The registry's change that carried out an action, in words.
fn change_text(c: &Change, lang: Lang) -> String {
    match lang {
        Lang::En => c.says.clone(),
        Lang::Ko => {
            let kind = match c.kind {
                "conformance" => Kind::Conformance.label(lang),
                "gateway" => Kind::Gateway.label(lang),
                other => other,
            };
            format!("{kind} {}", c.key)
        }
    }
}

/// Action items as a table (id, due, owner, state, title), each carried out by the registry
/// with the change below it, then how many are overdue.
pub fn actions_table(views: &[ActionView], lang: Lang) -> String {
    let w = workspace_words(lang);
    if views.is_empty() {
        return match lang {
            Lang::En => "no action items\n".into(),
            Lang::Ko => "조치 사항이 없습니다\n".into(),
        };
    }
    let rows: Vec<Vec<String>> = views
        .iter()
        .map(|v| {
            vec![
                v.item.id.clone(),
                v.item.due.clone(),
                owner(&v.item),
                v.state.label(lang).to_string(),
                cut(&v.item.title, 50),
            ]
        })
        .collect();
    let text = table(&[w.id, w.due, w.owner, w.state, w.title], &rows);
    let mut lines = text.lines();
    let mut out = String::new();
    if let Some(h) = lines.next() {
        out.push_str(&format!("{h}\n"));
    }
    for (line, v) in lines.zip(views) {
        out.push_str(&format!("{line}\n"));
        if let Some(c) = &v.done_by {
            out.push_str(&format!("    → {}: {}\n", w.done_by, change_text(c, lang)));
        }
    }
    let overdue = views
        .iter()
        .filter(|v| v.state == ActionState::Overdue)
        .count();
    out.push_str(&match lang {
        Lang::En => format!("{} action item(s), {overdue} overdue\n", views.len()),
        Lang::Ko => format!("조치 사항 {}건, 기한 초과 {overdue}건\n", views.len()),
    });
    out
}

/// One action item with its computed state and the registry's change that carried it out.
pub fn action_item_text(v: &ActionView, lang: Lang) -> String {
    let w = workspace_words(lang);
    let a = &v.item;
    let mut out = format!("{} ({})\n", a.title, a.id);
    field(&mut out, w.owner, &owner(a));
    field(&mut out, w.due, &a.due);
    field(&mut out, w.status, a.status.label(lang));
    field(&mut out, w.state, v.state.label(lang));
    for (name, value) in [(w.decision, &a.decision), (w.proposal, &a.proposal)] {
        if let Some(x) = value {
            field(&mut out, name, x);
        }
    }
    if let Some(pa) = &a.plan_action {
        let words = crate::interop::parse_action(pa)
            .map(|x| format!(" — {}", super::action_text(&x, lang)))
            .unwrap_or_default();
        field(&mut out, w.plan_action, &format!("{pa}{words}"));
    }
    if let Some(c) = &v.done_by {
        field(&mut out, w.done_by, &change_text(c, lang));
    }
    out
}

/// What an action item is after its status was set.
pub fn action_item_line(a: &ActionItem, lang: Lang) -> String {
    match lang {
        Lang::En => format!("action item \"{}\" is {}\n", a.id, a.status.label(lang)),
        Lang::Ko => format!("조치 사항 \"{}\": {}\n", a.id, a.status.label(lang)),
    }
}

/// Engagements as a table: start, zone, place, id, title.
pub fn engagements_table(engagements: &[Engagement], lang: Lang) -> String {
    let w = workspace_words(lang);
    if engagements.is_empty() {
        return match lang {
            Lang::En => "no engagements\n".into(),
            Lang::Ko => "양자 면담이 없습니다\n".into(),
        };
    }
    let rows: Vec<Vec<String>> = engagements
        .iter()
        .map(|e| {
            vec![
                when(&e.start),
                e.time_zone.clone(),
                e.place.clone().unwrap_or_default(),
                e.id.clone(),
                cut(&e.title, 60),
            ]
        })
        .collect();
    let mut out = table(&[w.start, w.zone, w.place, w.id, w.title], &rows);
    out.push_str(&match lang {
        Lang::En => format!("{} engagement(s)\n", engagements.len()),
        Lang::Ko => format!("양자 면담 {}건\n", engagements.len()),
    });
    out
}

/// A timeline, oldest first: start, zone, meeting or engagement, id, title, who else.
pub fn timeline_table(entries: &[TimelineEntry], lang: Lang) -> String {
    let w = workspace_words(lang);
    if entries.is_empty() {
        return match lang {
            Lang::En => "no meetings or engagements\n".into(),
            Lang::Ko => "회의나 양자 면담이 없습니다\n".into(),
        };
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                when(&e.start),
                e.time_zone.clone(),
                match e.kind {
                    "meeting" => w.meeting.to_string(),
                    "engagement" => w.engagement.to_string(),
                    other => other.to_string(),
                },
                e.id.clone(),
                cut(&e.title, 50),
                cut(&e.with.join(", "), 60),
            ]
        })
        .collect();
    let mut out = table(&[w.start, w.zone, w.kind, w.id, w.title, w.with], &rows);
    out.push_str(&match lang {
        Lang::En => format!("{} meeting(s) and engagement(s)\n", entries.len()),
        Lang::Ko => format!("회의·양자 면담 {}건\n", entries.len()),
    });
    out
}

/// Who met whom: a line of counts, then each pair as `A — B: n`, the most frequent first.
pub fn network_text(n: &Network, lang: Lang) -> String {
    let mut out = match lang {
        Lang::En => format!(
            "{} people, {} pair(s) who met, in {} meeting(s) and engagement(s)\n",
            n.nodes.len(),
            n.edges.len(),
            n.events
        ),
        Lang::Ko => format!(
            "인물 {}명, 만난 쌍 {}개, 회의·양자 면담 {}건\n",
            n.nodes.len(),
            n.edges.len(),
            n.events
        ),
    };
    let name = |i: usize| n.nodes.get(i).map_or("?", |x| x.name.as_str());
    let mut edges: Vec<_> = n.edges.iter().collect();
    edges.sort_by(|x, y| {
        y.times
            .cmp(&x.times)
            .then_with(|| (name(x.a), name(x.b)).cmp(&(name(y.a), name(y.b))))
    });
    for e in edges {
        out.push_str(&format!("{} — {}: {}\n", name(e.a), name(e.b), e.times));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_korean_by_display_width() {
        let t = table(
            &["a", "b"],
            &[
                vec!["석종건".into(), "x".into()],
                vec!["k9".into(), "y".into()],
            ],
        );
        assert_eq!(t, "a       b\n석종건  x\nk9      y\n");
    }
}
