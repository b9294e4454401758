//! The UI's two languages. Chosen by `?lang=en|ko`, else the `lang` cookie, else
//! `Accept-Language` (with q-values), else English: see [`crate::lang`].

use axum::http::HeaderMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    /// The language of a request: `query` (the `lang` query parameter), else the `lang`
    /// cookie, else `Accept-Language`, else English.
    pub fn pick(query: Option<&str>, headers: &HeaderMap) -> Lang {
        query
            .and_then(Lang::from_code)
            .or_else(|| Lang::from_cookie(headers))
            .or_else(|| crate::lang::accept_language(headers))
            .unwrap_or(Lang::En)
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }
}

/// Every string the pages show, per language.
pub struct Text {
    pub title: &'static str,
    pub tagline: &'static str,
    pub systems: &'static str,
    pub standards: &'static str,
    pub nations: &'static str,
    pub organizations: &'static str,
    pub conformances: &'static str,
    pub name: &'static str,
    pub category: &'static str,
    pub origin: &'static str,
    pub producer: &'static str,
    pub operators: &'static str,
    pub id: &'static str,
    pub standard_title: &'static str,
    pub body: &'static str,
    pub domain: &'static str,
    pub used_by: &'static str,
    pub showing: &'static str,
    pub of: &'static str,
    pub empty: &'static str,
    pub illustrative: &'static str,
    pub visibility_note: &'static str,
    /// The banner of a page that shows no labelled record.
    pub no_marking: &'static str,
    /// What the banner is, for screen readers.
    pub banner_label: &'static str,
    pub sources: &'static str,
    pub registry: &'static str,
    pub transfers: &'static str,
    pub transfers_intro: &'static str,
    pub supplier: &'static str,
    pub recipient: &'static str,
    pub designation: &'static str,
    pub ordered: &'static str,
    pub delivered: &'static str,
    pub delivered_from: &'static str,
    pub delivered_to: &'static str,
    pub items: &'static str,
    pub tiv: &'static str,
    pub tiv_total: &'static str,
    pub tiv_note: &'static str,
    pub filter: &'static str,
}

pub fn text(lang: Lang) -> &'static Text {
    match lang {
        Lang::En => &EN,
        Lang::Ko => &KO,
    }
}

static EN: Text = Text {
    title: "defcoop — defence-industry cooperation registry",
    tagline: "Nations, organizations, defence systems and the standards they conform to, for the joint consultative body on arms-industry cooperation.",
    systems: "Systems",
    standards: "Standards",
    nations: "Nations",
    organizations: "Organizations",
    conformances: "Conformances",
    name: "Name",
    category: "Category",
    origin: "Origin",
    producer: "Producer",
    operators: "Operators",
    id: "ID",
    standard_title: "Title",
    body: "Body",
    domain: "Domain",
    used_by: "Systems",
    showing: "Showing",
    of: "of",
    empty: "The registry is empty. Import a dataset with `defcoop import FILE`, or start with `defcoop serve --demo`.",
    illustrative: "illustrative",
    visibility_note: "Shown and counted: only what your clearance lets you read.",
    no_marking: "UNMARKED — nothing on this page carries a releasability label",
    banner_label: "Highest marking of what this page shows",
    sources: "Sources",
    registry: "Registry",
    transfers: "Arms transfers",
    transfers_intro: "Deals of major conventional arms between states and other actors, with what was delivered each year (SIPRI Arms Transfers Database, imported with `defcoop import --format sipri`).",
    supplier: "Supplier",
    recipient: "Recipient",
    designation: "Weapon",
    ordered: "Ordered",
    delivered: "Delivered (years)",
    delivered_from: "Delivered from",
    delivered_to: "Delivered to",
    items: "Items",
    tiv: "TIV",
    tiv_total: "TIV delivered",
    tiv_note: "TIV: SIPRI trend-indicator value, millions, a measure of the volume of military capability transferred, not a price. Estimated figures are marked with ?.",
    filter: "Filter",
};

static KO: Text = Text {
    title: "defcoop — 방위산업 협력 레지스트리",
    tagline: "방위산업 협력 공동협의체를 위한 국가, 기관, 무기체계 및 각 체계가 준수하는 표준.",
    systems: "무기체계",
    standards: "표준",
    nations: "국가",
    organizations: "기관",
    conformances: "표준 준수",
    name: "이름",
    category: "분류",
    origin: "원산국",
    producer: "제작사",
    operators: "운용국",
    id: "식별자",
    standard_title: "제목",
    body: "발행 기관",
    domain: "분야",
    used_by: "체계 수",
    showing: "표시",
    of: "/",
    empty: "레지스트리가 비어 있습니다. `defcoop import FILE`로 데이터를 가져오거나 `defcoop serve --demo`로 시작하십시오.",
    illustrative: "예시",
    visibility_note: "표시와 집계: 귀하의 인가 등급으로 열람할 수 있는 기록만 포함됩니다.",
    no_marking: "표지 없음 — 이 페이지에는 배포 제한 표지가 붙은 기록이 없습니다",
    banner_label: "이 페이지가 보여 주는 기록의 최고 표지",
    sources: "출처",
    registry: "레지스트리",
    transfers: "무기 이전",
    transfers_intro: "국가 및 기타 행위자 간 주요 재래식 무기 거래와 연도별 인도 실적 (SIPRI 무기이전 데이터베이스, `defcoop import --format sipri`로 가져옴).",
    supplier: "공급국",
    recipient: "도입국",
    designation: "무기",
    ordered: "주문 연도",
    delivered: "인도 (연도)",
    delivered_from: "인도 시작",
    delivered_to: "인도 끝",
    items: "수량",
    tiv: "TIV",
    tiv_total: "인도된 TIV",
    tiv_note: "TIV: SIPRI 추세지표가치(백만 단위), 이전된 군사 능력의 규모를 나타내며 가격이 아닙니다. 추정치는 ?로 표시합니다.",
    filter: "필터",
};

/// The strings of error pages, per language.
pub struct ErrorText {
    pub details: &'static str,
    pub back: &'static str,
}

pub fn error_text(lang: Lang) -> &'static ErrorText {
    match lang {
        Lang::En => &ERRORS_EN,
        Lang::Ko => &ERRORS_KO,
    }
}

static ERRORS_EN: ErrorText = ErrorText {
    details: "Details",
    back: "Back to the registry",
};

static ERRORS_KO: ErrorText = ErrorText {
    details: "세부 정보",
    back: "레지스트리로 돌아가기",
};
