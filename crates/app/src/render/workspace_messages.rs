//! Korean for the workspace's rules (`defcoop_domain::workspace::rules` and `time`): every
//! message a workspace record can be refused with. The test below breaks every rule once and
//! checks that each message it gets is translated, so a new rule without Korean fails it.

use super::messages::Catalogue;

/// The workspace rules' messages not already in [`super::messages::MESSAGES`].
pub static WORKSPACE_MESSAGES: Catalogue = Catalogue(&[
    ("is longer than 10,000 bytes", "10,000바이트보다 깁니다"),
    ("is longer than {} bytes", "{0}바이트보다 깁니다"),
    ("holds {} entries; at most {}", "항목이 {0}개입니다: 최대 {1}개"),
    (
        "must be an http or https address",
        "http 또는 https 주소여야 합니다",
    ),
    (
        "give an IANA time zone, e.g. Europe/Brussels or Asia/Seoul",
        "IANA 시간대를 주십시오 (예: Europe/Brussels, Asia/Seoul)",
    ),
    (
        "\"{}\" is not a civil time YYYY-MM-DDTHH:MM (or a day YYYY-MM-DD), without an offset: the zone is given apart",
        "\"{0}\"은(는) YYYY-MM-DDTHH:MM 형식의 현지 시각(또는 YYYY-MM-DD 날짜)이 아닙니다. UTC 오프셋 없이 쓰고 시간대는 따로 주십시오",
    ),
    (
        "{} does not exist (the clocks go forward) in {}: choose another time",
        "{0}은(는) {1}에 없는 시각입니다 (시계가 앞당겨짐): 다른 시각을 고르십시오",
    ),
    (
        "{} happens twice (the clocks go back) in {}: choose another time",
        "{0}은(는) {1}에서 두 번 있는 시각입니다 (시계가 되돌아감): 다른 시각을 고르십시오",
    ),
    ("{} is not after the start ({})", "{0}은(는) 시작({1})보다 늦지 않습니다"),
    (
        "is more than {} days after the start",
        "시작보다 {0}일 넘게 늦습니다",
    ),
    ("starts at 1", "1부터 시작합니다"),
    (
        "version {} corrects earlier minutes: name them",
        "버전 {0}은(는) 이전 회의록을 정정합니다: 정정 대상을 지정하십시오",
    ),
    (
        "minutes cannot correct themselves",
        "회의록은 자기 자신을 정정할 수 없습니다",
    ),
    (
        "draft minutes have no comments: participants comment once they are circulated",
        "초안 회의록에는 의견이 없습니다: 참석자는 회람된 뒤에 의견을 남깁니다",
    ),
    (
        "\"{}\" is not an action: test:SYSTEM:STANDARD, adopt:SYSTEM:STANDARD, field:GATEWAY or gateway:DOMAIN:FROM:TO",
        "\"{0}\"은(는) 조치가 아닙니다: test:체계:표준, adopt:체계:표준, field:게이트웨이, gateway:분야:출발:도착 중 하나입니다",
    ),
    (
        "give the proposal's history, starting with its draft",
        "제안의 경과를 초안부터 주십시오",
    ),
    (
        "a proposal starts as a draft, not {}",
        "제안은 {0}이(가) 아니라 초안으로 시작합니다",
    ),
    (
        "{} is before the step before it ({})",
        "{0}은(는) 앞 단계({1})보다 이릅니다",
    ),
    (
        "is {} but the history ends with {}",
        "{0} 상태이지만 경과는 {1}(으)로 끝납니다",
    ),
    (
        "votes are given only when the method is vote",
        "표결 수는 결정 방식이 표결(vote)일 때만 줍니다",
    ),
    ("a vote has at least one vote", "표결에는 적어도 한 표가 있습니다"),
    (
        "{} for and {} against do not make the proposal {}",
        "찬성 {0}, 반대 {1}(으)로는 제안이 {2} 상태가 되지 않습니다",
    ),
    (
        "{} is not a level (1, 2 or 3)",
        "{0}은(는) 수준(1, 2, 3)이 아닙니다",
    ),
    (
        "a plan does not cover fewer triples than before it",
        "계획을 실행한 뒤 충족되는 조합이 실행 전보다 적을 수 없습니다",
    ),
    (
        "a tabled plan has at least one action",
        "상정된 계획에는 조치가 하나 이상 있습니다",
    ),
    (
        "agenda items are numbered from 1",
        "안건 번호는 1부터 셉니다",
    ),
    (
        "give a person or an organization, not both",
        "인물이나 기관 중 하나만 주십시오",
    ),
    (
        "give a person or an organization",
        "인물이나 기관을 주십시오",
    ),
    (
        "a plan action comes from a proposal's plan: name the proposal",
        "계획 조치는 제안의 계획에서 나옵니다: 제안을 지정하십시오",
    ),
    (
        "an engagement is between at least two people",
        "양자 면담에는 적어도 두 사람이 참석합니다",
    ),
    (
        "id \"{}\" is used twice in {}",
        "식별자 \"{0}\"이(가) {1}에서 두 번 쓰였습니다",
    ),
    (
        "minutes \"{}\" are of meeting \"{}\", not \"{}\"",
        "회의록 \"{0}\"은(는) \"{2}\"이(가) 아니라 회의 \"{1}\"의 회의록입니다",
    ),
    (
        "a correction of version {} is version {}",
        "버전 {0}의 정정본은 버전 {1}입니다",
    ),
    (
        "meeting \"{}\" has another version {} of its minutes",
        "회의 \"{0}\"에는 버전 {1} 회의록이 이미 있습니다",
    ),
    (
        "meeting \"{}\" is {}: decisions are taken at a held meeting",
        "회의 \"{0}\"은(는) {1} 상태입니다: 결정은 열린 회의에서 내립니다",
    ),
    (
        "proposal \"{}\" has no plan action \"{}\"",
        "제안 \"{0}\"에는 계획 조치 \"{1}\"이(가) 없습니다",
    ),
    (
        "a proposal's history only grows: keep its {} recorded step(s) as they are and add the new ones after them",
        "제안의 경과는 늘어나기만 합니다: 기록된 {0}단계는 그대로 두고 새 단계를 그 뒤에 더하십시오",
    ),
]);

#[cfg(test)]
mod tests {
    use defcoop_domain::model::{Dataset, Kind};
    use defcoop_domain::workspace::rules::{check, check_change, Finding};
    use serde_json::json;

    use super::*;
    use crate::render::{message, Lang};

    fn records<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Vec<T> {
        serde_json::from_value(v).expect("test records")
    }

    /// A workspace breaking every rule at least once.
    fn broken() -> Dataset {
        let long = "x".repeat(10_001);
        let huge = "y".repeat((1 << 20) + 1);
        let many: Vec<String> = (0..1001).map(|i| format!("o{i}")).collect();
        let step = |s: &str, on: &str| json!({"status": s, "on": on});
        Dataset {
            bodies: records(json!([
                {"id": "b", "name": long, "members": many},
                {"id": "b", "name": "Twice"}
            ])),
            meetings: records(json!([
                {"id": "m-zone", "title": "T", "start": "2026-01-01T10:00", "end": "2026-01-01T11:00", "time_zone": "", "status": "planned"},
                {"id": "m-civil", "title": "T", "start": "1 March", "end": "2026-01-01T11:00", "time_zone": "Europe/Brussels", "status": "planned", "online": "ftp://x"},
                {"id": "m-gap", "title": "T", "start": "2026-03-29T02:30", "end": "2026-10-25T02:30", "time_zone": "Europe/Brussels", "status": "planned"},
                {"id": "m-back", "title": "T", "start": "2026-01-02T10:00", "end": "2026-01-01T10:00", "time_zone": "Asia/Seoul", "status": "planned"},
                {"id": "m-long", "title": "T", "start": "2026-01-01T10:00", "end": "2026-03-01T10:00", "time_zone": "Asia/Seoul", "status": "planned",
                 "agenda": [{"title": "A", "outcome": "noted"}]},
                {"id": "m-held", "title": "T", "start": "2026-01-01T10:00", "end": "2026-01-01T11:00", "time_zone": "Asia/Seoul", "status": "held",
                 "agenda": [{"title": "A", "outcome": "noted"}]},
                {"id": "m-open", "title": "T", "start": "2026-01-01T10:00", "end": "2026-01-01T11:00", "time_zone": "Asia/Seoul", "status": "held",
                 "agenda": [{"title": "A"}]}
            ])),
            minutes: records(json!([
                {"id": "n0", "meeting": "m-held", "version": 0, "status": "draft", "text": huge},
                {"id": "n2", "meeting": "m-held", "version": 2, "status": "draft", "text": "t",
                 "comments": [{"person": "p", "text": "c", "at": "noon"}]},
                {"id": "n-self", "meeting": "m-held", "version": 3, "corrects": "n-self", "status": "draft", "text": "t"},
                {"id": "n-plan", "meeting": "m-long", "version": 1, "status": "circulated", "text": "t"},
                {"id": "n-ok", "meeting": "m-held", "version": 5, "status": "approved", "text": "t", "corrects": "n-other"},
                {"id": "n-other", "meeting": "m-long", "version": 1, "status": "approved", "text": "t"},
                {"id": "n-dup", "meeting": "m-held", "version": 5, "status": "draft", "text": "t"}
            ])),
            proposals: records(json!([
                {"id": "p-none", "title": "T", "status": "draft", "history": []},
                {"id": "p-first", "title": "T", "status": "tabled", "history": [step("tabled", "2026-01-02"), step("draft", "2026-01-01")]},
                {"id": "p-votes", "title": "T", "status": "agreed", "method": "consensus", "votes": {"for": 1, "against": 0},
                 "history": [step("draft", "2026-01-01"), step("tabled", "2026-01-01"), step("under-consideration", "2026-01-01"), step("agreed", "2026-01-01")]},
                {"id": "p-zero", "title": "T", "status": "agreed", "method": "vote", "votes": {"for": 0, "against": 0},
                 "history": [step("draft", "2026-01-01"), step("tabled", "2026-01-01"), step("under-consideration", "2026-01-01"), step("agreed", "2026-01-01")]},
                {"id": "p-lost", "title": "T", "status": "agreed", "method": "vote", "votes": {"for": 1, "against": 2},
                 "history": [step("draft", "2026-01-01"), step("tabled", "2026-01-01"), step("under-consideration", "2026-01-01"), step("agreed", "2026-01-01")]},
                {"id": "p-plan", "title": "T", "status": "draft", "history": [step("draft", "2026-01-01")],
                 "plan": {"left": [], "right": [], "target": 4, "covered_before": 5, "covered_after": 4, "items": []}},
                {"id": "p-act", "title": "T", "status": "draft", "history": [step("draft", "2026-01-01")],
                 "plan": {"left": [], "right": [], "target": 2, "covered_before": 1, "covered_after": 2, "items": [{"action": "jump", "gain": 1}]}}
            ])),
            decisions: records(json!([
                {"id": "d", "meeting": "m-long", "text": "T", "agenda_items": [0]},
                {"id": "d-far", "meeting": "m-held", "text": "T", "agenda_items": [3]}
            ])),
            action_items: records(json!([
                {"id": "a-both", "title": "T", "owner": {"person": "p", "organization": "o"}, "due": "2026-01-01", "status": "open",
                 "plan_action": "test:s:x"},
                {"id": "a-none", "title": "T", "owner": {}, "due": "2026-01-01", "status": "open",
                 "proposal": "p-act", "plan_action": "field:g"}
            ])),
            engagements: records(json!([
                {"id": "e", "title": "T", "start": "2026-01-01", "time_zone": "Asia/Seoul", "participants": ["p"]}
            ])),
            ..Dataset::default()
        }
    }

    #[test]
    fn every_rule_of_the_workspace_speaks_korean() {
        let data = broken();
        let mut found: Vec<String> = check(&data, |k: Kind, _: &str| k != Kind::Person)
            .into_iter()
            .map(|p| p.message)
            .collect();
        let mut before = data.clone();
        before.minutes[4].text = "before".into();
        before.proposals[1].history.insert(0, json_step());
        before.meetings[0].status = defcoop_domain::workspace::MeetingStatus::Held;
        found.extend(
            check_change(&before, &data)
                .iter()
                .map(Finding::problem)
                .map(|p| p.message),
        );
        found.sort();
        found.dedup();
        // Every rule met: 45 distinct messages at least (a new rule adds to them).
        assert!(found.len() >= 45, "{} messages: {found:#?}", found.len());
        let untranslated: Vec<&String> = found
            .iter()
            .filter(|m| message(Lang::Ko, m) == m.as_str())
            .collect();
        assert!(untranslated.is_empty(), "no Korean for: {untranslated:#?}");
    }

    fn json_step() -> defcoop_domain::workspace::Transition {
        serde_json::from_value(json!({"status": "draft", "on": "2025-01-01"})).expect("step")
    }

    #[test]
    fn patterns_and_templates_agree() {
        for (pattern, template) in WORKSPACE_MESSAGES.0 {
            let holes = pattern.matches("{}").count();
            for n in 0..holes {
                assert!(
                    template.contains(&format!("{{{n}}}")),
                    "{pattern}: {{{n}}} unused"
                );
            }
            assert!(!template.contains(&format!("{{{holes}}}")), "{pattern}");
        }
    }
}
