//! The words of the text answers, in English and Korean. Sentences with values in them are
//! written per language in `text.rs`; here are the fixed words.

use defcoop_domain::model::ConformanceStatus;
use defcoop_engine::Level;

use super::Lang;

pub struct Words {
    pub systems: &'static str,
    pub domain: &'static str,
    pub nations: &'static str,
    pub by_origin: &'static str,
    pub neither: &'static str,
    pub shared: &'static str,
    pub via_full: &'static str,
    pub via_partial: &'static str,
    pub no_standard: &'static str,
    pub no_action: &'static str,
    pub supplier: &'static str,
    pub recipient: &'static str,
    pub items: &'static str,
    pub deals: &'static str,
    pub total: &'static str,
    pub by_supplier: &'static str,
    pub by_recipient: &'static str,
    pub tiv_legend: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub actions: &'static str,
    pub unrated: &'static str,
    pub left: &'static str,
    pub right: &'static str,
    levels: [&'static str; 5],
    statuses: [&'static str; 3],
}

impl Words {
    pub fn level(&self, l: Level) -> &'static str {
        self.levels[l.index()]
    }

    pub fn status(&self, s: ConformanceStatus) -> &'static str {
        match s {
            ConformanceStatus::Claimed => self.statuses[0],
            ConformanceStatus::Tested => self.statuses[1],
            ConformanceStatus::Certified => self.statuses[2],
        }
    }
}

static EN: Words = Words {
    unrated: "systems without conformance data in the domain (their pairs are na: not rated, which is not \"not interoperable\")",
    left: "left",
    right: "right",
    systems: "systems",
    domain: "domain",
    nations: "nations",
    by_origin: "by origin nation (all chosen domains)",
    neither: "neither system has a conformance in any domain",
    shared: "shared",
    via_full: "via full gateways",
    via_partial: "via partial gateways",
    no_standard: "not rated, no conformance data in this domain for",
    no_action: "no action raises any pair to the target",
    supplier: "supplier",
    recipient: "recipient",
    items: "items",
    deals: "deals",
    total: "total",
    by_supplier: "by supplier",
    by_recipient: "by recipient",
    tiv_legend:
        "TIV: SIPRI trend-indicator value delivered, millions (rounded half away from zero).",
    before: "before",
    after: "after",
    actions: "actions",
    levels: [
        "not applicable",
        "not interoperable",
        "deconflicted",
        "compatible",
        "integrated",
    ],
    statuses: ["claimed", "tested", "certified"],
};

static KO: Words = Words {
    unrated:
        "영역에 적합성 자료가 없는 체계 (그 쌍은 na: 평가되지 않음이며 \"상호운용 불가\"가 아님)",
    left: "왼쪽",
    right: "오른쪽",
    systems: "체계",
    domain: "영역",
    nations: "국가",
    by_origin: "원산국별 (선택한 모든 영역)",
    neither: "두 체계 모두 어느 영역에도 표준 적합성 기록이 없습니다",
    shared: "공유 표준",
    via_full: "완전 게이트웨이 경유",
    via_partial: "부분 게이트웨이 경유",
    no_standard: "평가되지 않음, 이 영역의 적합성 자료가 없는 체계",
    no_action: "목표 수준으로 올릴 수 있는 조치가 없습니다",
    supplier: "공급국",
    recipient: "수령국",
    items: "수량",
    deals: "계약",
    total: "합계",
    by_supplier: "공급국별",
    by_recipient: "수령국별",
    tiv_legend: "TIV: 인도된 SIPRI 추세지표가치(TIV), 백만 단위 (0에서 먼 쪽으로 반올림).",
    before: "이전",
    after: "이후",
    actions: "조치",
    levels: ["해당 없음", "상호운용 불가", "충돌 회피", "호환", "통합"],
    statuses: ["주장", "시험 완료", "인증"],
};

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Ko => &KO,
    }
}

/// The fixed words of the workspace's text answers (meetings, minutes, proposals, action
/// items, engagements); sentences with values are in `render/workspace.rs`.
pub struct WorkspaceWords {
    pub start: &'static str,
    pub zone: &'static str,
    pub status: &'static str,
    pub id: &'static str,
    pub title: &'static str,
    pub place: &'static str,
    pub online: &'static str,
    pub body: &'static str,
    pub times: &'static str,
    pub participants: &'static str,
    pub agenda: &'static str,
    pub minutes: &'static str,
    pub decisions: &'static str,
    pub proposal: &'static str,
    pub sponsor: &'static str,
    pub summary: &'static str,
    pub history: &'static str,
    pub method: &'static str,
    pub plan: &'static str,
    pub owner: &'static str,
    pub due: &'static str,
    pub state: &'static str,
    pub decision: &'static str,
    pub plan_action: &'static str,
    pub done_by: &'static str,
    pub kind: &'static str,
    pub with: &'static str,
    pub topics: &'static str,
    pub outcomes: &'static str,
    pub last_step: &'static str,
    pub on: &'static str,
    pub by: &'static str,
    pub no_outcome: &'static str,
    pub none: &'static str,
    pub meeting: &'static str,
    pub engagement: &'static str,
    /// Why a zone is shown: the meeting's own, a participant's nation's, the reader's.
    pub why_meeting: &'static str,
    pub why_participants: &'static str,
    pub why_reader: &'static str,
}

static WS_EN: WorkspaceWords = WorkspaceWords {
    start: "start",
    zone: "zone",
    status: "status",
    id: "id",
    title: "title",
    place: "place",
    online: "online",
    body: "body",
    times: "times",
    participants: "participants",
    agenda: "agenda",
    minutes: "minutes",
    decisions: "decisions",
    proposal: "proposal",
    sponsor: "sponsor",
    summary: "summary",
    history: "history",
    method: "decided by",
    plan: "plan",
    owner: "owner",
    due: "due",
    state: "state",
    decision: "decision",
    plan_action: "plan action",
    done_by: "done in the registry",
    kind: "kind",
    with: "with",
    topics: "topics",
    outcomes: "outcomes",
    last_step: "last step",
    on: "on",
    by: "by",
    no_outcome: "no outcome yet",
    none: "none",
    meeting: "meeting",
    engagement: "engagement",
    why_meeting: "the meeting's zone",
    why_participants: "a participant's nation",
    why_reader: "your zone (--tz)",
};

static WS_KO: WorkspaceWords = WorkspaceWords {
    start: "시작",
    zone: "시간대",
    status: "상태",
    id: "식별자",
    title: "제목",
    place: "장소",
    online: "온라인",
    body: "협의체",
    times: "시간",
    participants: "참석자",
    agenda: "안건",
    minutes: "회의록",
    decisions: "결정",
    proposal: "제안",
    sponsor: "제안 기관",
    summary: "요약",
    history: "경과",
    method: "결정 방식",
    plan: "계획",
    owner: "담당",
    due: "기한",
    state: "상태",
    decision: "결정",
    plan_action: "계획 조치",
    done_by: "레지스트리에서 완료",
    kind: "종류",
    with: "상대",
    topics: "의제",
    outcomes: "결과",
    last_step: "최근 단계",
    on: "날짜",
    by: "처리자",
    no_outcome: "결과 없음",
    none: "없음",
    meeting: "회의",
    engagement: "양자 면담",
    why_meeting: "회의 현지 시간대",
    why_participants: "참석자 국가의 시간대",
    why_reader: "요청한 시간대 (--tz)",
};

pub fn workspace_words(lang: Lang) -> &'static WorkspaceWords {
    match lang {
        Lang::En => &WS_EN,
        Lang::Ko => &WS_KO,
    }
}
