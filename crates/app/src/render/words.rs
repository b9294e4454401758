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
