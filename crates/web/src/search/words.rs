//! The search page's words, in English and Korean.

use defcoop_domain::model::Kind;

use crate::i18n::Lang;

pub struct Words {
    pub title: &'static str,
    pub field: &'static str,
    pub kind: &'static str,
    pub every_kind: &'static str,
    pub submit: &'static str,
    pub intro: &'static str,
    pub none: &'static str,
    pub found: &'static str,
    pub more: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub page: &'static str,
    pub of: &'static str,
    pub results: &'static str,
    pub all_kinds: &'static str,
    pub visibility: &'static str,
}

pub const EN: Words = Words {
    title: "Search",
    field: "Search the registry",
    kind: "Kind",
    every_kind: "Every kind",
    submit: "Search",
    intro: "Search every record you may read: names (also in Korean), ids, codes, aliases and designations. Every word must match.",
    none: "Nothing you may read matches",
    found: "records match",
    more: "All",
    previous: "Previous",
    next: "Next",
    page: "Page",
    of: "of",
    results: "Search results",
    all_kinds: "Back to every kind",
    visibility: "Only records your clearance lets you read are searched and counted.",
};

pub const KO: Words = Words {
    title: "검색",
    field: "레지스트리 검색",
    kind: "종류",
    every_kind: "모든 종류",
    submit: "검색",
    intro: "열람할 수 있는 모든 레코드를 검색합니다: 이름(한글 포함), ID, 코드, 별칭, 명칭. 모든 단어가 일치해야 합니다.",
    none: "열람 가능한 레코드 중 일치하는 것이 없습니다",
    found: "건 일치",
    more: "모두 보기",
    previous: "이전",
    next: "다음",
    page: "페이지",
    of: "/",
    results: "검색 결과",
    all_kinds: "모든 종류로 돌아가기",
    visibility: "열람 권한이 있는 레코드만 검색하고 셉니다.",
};

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Ko => &KO,
    }
}

/// A kind's plural name as a heading.
pub fn kind_name(kind: Kind, lang: Lang) -> &'static str {
    match (lang, kind) {
        (Lang::En, Kind::Policy) => "Policies",
        (Lang::En, Kind::Nation) => "Nations",
        (Lang::En, Kind::Bloc) => "Blocs",
        (Lang::En, Kind::Organization) => "Organizations",
        (Lang::En, Kind::Person) => "People",
        (Lang::En, Kind::Domain) => "Domains",
        (Lang::En, Kind::Standard) => "Standards",
        (Lang::En, Kind::Profile) => "Profiles",
        (Lang::En, Kind::System) => "Systems",
        (Lang::En, Kind::Conformance) => "Conformances",
        (Lang::En, Kind::Gateway) => "Gateways",
        (Lang::En, Kind::Transfer) => "Transfers",
        (Lang::Ko, Kind::Policy) => "보안 정책",
        (Lang::Ko, Kind::Nation) => "국가",
        (Lang::Ko, Kind::Bloc) => "국가 그룹",
        (Lang::Ko, Kind::Organization) => "기관",
        (Lang::Ko, Kind::Person) => "인물",
        (Lang::Ko, Kind::Domain) => "분야",
        (Lang::Ko, Kind::Standard) => "표준",
        (Lang::Ko, Kind::Profile) => "프로파일",
        (Lang::Ko, Kind::System) => "무기체계",
        (Lang::Ko, Kind::Conformance) => "표준 적합성",
        (Lang::Ko, Kind::Gateway) => "게이트웨이",
        (Lang::Ko, Kind::Transfer) => "무기 이전",
        (lang, kind) => defcoop_app::render::kind_plural(kind, lang.render()),
    }
}
