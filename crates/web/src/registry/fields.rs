//! What the registry pages know about each kind's fields: their names in English and Korean,
//! which kind a field refers to, and how a form edits it.

use defcoop_domain::matchmaking::InstrumentKind;
use defcoop_domain::model::{
    BlocKind, ConformanceStatus, Fidelity, GatewayStatus, Kind, OrgKind, PartyKind, ProfileKind,
};
use defcoop_domain::workspace::{
    ActionStatus, DecisionMethod, MeetingStatus, MinutesStatus, ProposalStatus,
};

use crate::i18n::Lang;

/// A field's name as people read it.
pub fn field_label(lang: Lang, field: &str) -> String {
    let (en, ko) = match field {
        "id" => ("Id", "식별자"),
        "code" => ("Code", "코드"),
        "name" => ("Name", "이름"),
        "name_native" => ("Native name", "현지 이름"),
        "title" => ("Title", "제목"),
        "kind" => ("Kind", "종류"),
        "nation" => ("Nation", "국가"),
        "ncage" => ("NCAGE code", "NCAGE 코드"),
        "organization" => ("Organization", "기관"),
        "members" => ("Members", "회원국"),
        "since" => ("Since", "가입"),
        "until" => ("Until", "탈퇴"),
        "aliases" => ("Also known as", "다른 이름"),
        "body" => ("Body", "제정 기구"),
        "domain" => ("Domain", "영역"),
        "tag" => ("Tag", "태그"),
        "date" => ("Date", "일자"),
        "version" => ("Version", "버전"),
        "covers" => ("Covers", "포함 표준"),
        "description" => ("Description", "설명"),
        "subprofiles" => ("Subprofiles", "하위 프로파일"),
        "obligations" => ("Obligations", "의무 표준"),
        "standard" => ("Standard", "표준"),
        "obligation" => ("Obligation", "의무 수준"),
        "lifecycle" => ("Lifecycle", "수명 단계"),
        "category" => ("Category", "분류"),
        "producer" => ("Producer", "제조사"),
        "origin" => ("Origin", "원산국"),
        "operators" => ("Operators", "운용국"),
        "quantity" => ("Quantity", "수량"),
        "system" => ("System", "체계"),
        "status" => ("Status", "상태"),
        "evidence" => ("Evidence", "근거"),
        "from" => ("From standard", "출발 표준"),
        "to" => ("To standard", "도착 표준"),
        "bidirectional" => ("Both ways", "양방향"),
        "fidelity" => ("Fidelity", "충실도"),
        "supplier" => ("Supplier", "공급국"),
        "supplier_kind" => ("Supplier kind", "공급자 유형"),
        "recipient" => ("Recipient", "수령국"),
        "recipient_kind" => ("Recipient kind", "수령자 유형"),
        "designation" => ("Designation", "명칭"),
        "ordered" => ("Ordered", "주문 연도"),
        "number_ordered" => ("Number ordered", "주문 수량"),
        "delivered" => ("Delivered", "인도 수량"),
        "deliveries" => ("Deliveries", "인도 내역"),
        "year" => ("Year", "연도"),
        "number" => ("Number", "수량"),
        "tiv" => ("TIV", "TIV"),
        "tiv_unit" => ("TIV per unit", "단위 TIV"),
        "tiv_deal_unit" => ("TIV per deal unit", "계약 단위 TIV"),
        "tiv_delivered" => ("TIV delivered", "인도 TIV"),
        "local_production" => ("Local production", "현지 생산"),
        "sipri_id" => ("SIPRI deal", "SIPRI 거래 번호"),
        "classifications" => ("Classifications", "등급"),
        "categories" => ("Categories", "범주"),
        "label" => ("Label", "보안 표지"),
        "sources" => ("Sources", "출처"),
        "illustrative" => ("Illustrative", "예시 자료"),
        "start" => ("Starts", "시작"),
        "end" => ("Ends", "종료"),
        "time_zone" => ("Time zone", "시간대"),
        "place" => ("Place", "장소"),
        "online" => ("Online", "온라인"),
        "participants" => ("Participants", "참석자"),
        "person" => ("Person", "인물"),
        "role" => ("Role", "역할"),
        "agenda" => ("Agenda", "의제"),
        "outcome" => ("Outcome", "결과"),
        "notes" => ("Notes", "비고"),
        "meeting" => ("Meeting", "회의"),
        "corrects" => ("Corrects", "정정 대상"),
        "text" => ("Text", "본문"),
        "comments" => ("Comments", "의견"),
        "summary" => ("Summary", "요약"),
        "sponsor" => ("Sponsor", "제안 기관"),
        "history" => ("History", "경과"),
        "by" => ("By", "처리자"),
        "method" => ("Decision method", "결정 방식"),
        "votes" => ("Votes", "표결"),
        "plan" => ("Gap-closure plan", "격차 해소 계획"),
        "proposals" => ("Proposals", "제안"),
        "proposal" => ("Proposal", "제안"),
        "agenda_items" => ("Agenda items", "의제 항목"),
        "owner" => ("Owner", "담당"),
        "due" => ("Due", "기한"),
        "decision" => ("Decision", "결정"),
        "plan_action" => ("Plan action", "계획 조치"),
        "topics" => ("Topics", "의제"),
        "issued" => ("Issued", "발행"),
        "issuers" => ("Issued by", "발행 기관"),
        "url" => ("Address", "주소"),
        "documents" => ("Documents", "문서"),
        "area" => ("Capability area", "역량 분야"),
        "keywords" => ("Keywords", "핵심어"),
        "trl" => ("Technology readiness (TRL)", "기술성숙도(TRL)"),
        "timeframe" => ("Timeframe", "기간"),
        "systems" => ("Systems", "무기체계"),
        "standards" => ("Standards", "표준"),
        "rules" => ("Eligibility rules", "자격 요건"),
        "modelled" => ("Modelled", "모델링됨"),
        "unconfirmed" => ("Not confirmed", "미확인 사항"),
        "name_ko" => ("Name in Korean", "한국어 이름"),
        "outcomes" => ("Outcomes", "성과"),
        "co_chairs" => ("Co-chairs", "공동 의장"),
        "secretariat" => ("Secretariat", "사무국"),
        "q" => ("Words", "검색어"),
        "bloc" => ("Member of bloc", "소속 블록"),
        "on" => ("On day", "기준일"),
        _ => return field.replace('_', " "),
    };
    match lang {
        Lang::En => en.to_string(),
        Lang::Ko => ko.to_string(),
    }
}

/// A kind's name, plural (list titles) or singular.
pub fn kind_label(lang: Lang, kind: Kind, plural: bool) -> &'static str {
    let (en, en1, ko) = match kind {
        Kind::Policy => ("Policies", "Policy", "보안 정책"),
        Kind::Nation => ("Nations", "Nation", "국가"),
        Kind::Bloc => ("Blocs", "Bloc", "블록"),
        Kind::Organization => ("Organizations", "Organization", "기관"),
        Kind::Person => ("People", "Person", "인물"),
        Kind::Domain => ("Domains", "Domain", "영역"),
        Kind::Standard => ("Standards", "Standard", "표준"),
        Kind::Profile => ("Profiles", "Profile", "프로파일"),
        Kind::System => ("Systems", "System", "무기체계"),
        Kind::Conformance => ("Conformances", "Conformance", "표준 적합성"),
        Kind::Gateway => ("Gateways", "Gateway", "게이트웨이"),
        Kind::Transfer => ("Transfers", "Transfer", "무기 이전"),
        Kind::Body => ("Consultative bodies", "Consultative body", "협의체"),
        Kind::Meeting => ("Meetings", "Meeting", "회의"),
        Kind::Minutes => ("Minutes", "Minutes", "회의록"),
        Kind::Proposal => ("Proposals", "Proposal", "제안"),
        Kind::Decision => ("Decisions", "Decision", "결정"),
        Kind::ActionItem => ("Action items", "Action item", "조치 사항"),
        Kind::Engagement => ("Engagements", "Engagement", "양자 면담"),
        Kind::Document => ("Documents", "Document", "문서"),
        Kind::CapabilityArea => ("Capability areas", "Capability area", "역량 분야"),
        Kind::Need => ("Needs", "Need", "수요"),
        Kind::Offer => ("Offers", "Offer", "제안 기술"),
        Kind::Instrument => ("Funding instruments", "Funding instrument", "재원 수단"),
    };
    match (lang, plural) {
        (Lang::Ko, _) => ko,
        (Lang::En, true) => en,
        (Lang::En, false) => en1,
    }
}

/// The kind a field of `kind` refers to (`origin` of a system: a nation). Inside nested
/// entries the field name alone decides (`nation` of a member or operator, `standard` of an
/// obligation).
pub fn refers_to(kind: Kind, field: &str) -> Option<Kind> {
    Some(match (kind, field) {
        (_, "nation" | "origin") => Kind::Nation,
        (_, "organization" | "producer") => Kind::Organization,
        (_, "domain") => Kind::Domain,
        (_, "standard" | "covers") => Kind::Standard,
        (Kind::Gateway, "from" | "to") => Kind::Standard,
        (_, "system") => Kind::System,
        (_, "subprofiles") => Kind::Profile,
        (_, "policy") => Kind::Policy,
        (Kind::Body, "members" | "secretariat") => Kind::Organization,
        (Kind::Body, "co_chairs") | (_, "person" | "by") => Kind::Person,
        (Kind::Engagement, "participants") => Kind::Person,
        (Kind::Proposal, "sponsor") | (Kind::Document, "issuers") => Kind::Organization,
        (Kind::Proposal, "documents") => Kind::Document,
        (Kind::Need | Kind::Offer, "area") => Kind::CapabilityArea,
        (Kind::Need | Kind::Offer, "systems") => Kind::System,
        (Kind::Need | Kind::Offer, "standards") => Kind::Standard,
        (_, "body") if kind.is_workspace() => Kind::Body,
        (_, "meeting") => Kind::Meeting,
        (_, "corrects") => Kind::Minutes,
        (_, "proposal") | (Kind::Decision, "proposals") => Kind::Proposal,
        (_, "decision") => Kind::Decision,
        _ => return None,
    })
}

/// How a form edits a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// One line of text; required or not.
    Text { required: bool },
    /// One of these values; required or not (then an empty choice).
    Choice {
        values: &'static [&'static str],
        required: bool,
    },
    /// A whole number.
    Number,
    /// A check box.
    Flag,
    /// Text of several lines (minutes in Markdown, a decision's text); required or not.
    Prose { required: bool },
    /// Texts separated by commas or new lines (aliases, covers...).
    List,
    /// A JSON array of entries (members, operators, obligations, deliveries, sources), or the
    /// label object.
    Json,
}

macro_rules! values {
    ($ty:ty) => {{
        const N: usize = <$ty>::ALL.len();
        const fn names() -> [&'static str; N] {
            let mut out = [""; N];
            let mut i = 0;
            while i < N {
                out[i] = <$ty>::ALL[i].as_str();
                i += 1;
            }
            out
        }
        const NAMES: [&'static str; N] = names();
        &NAMES
    }};
}

/// The fields a form for `kind` shows, in order (the key fields first).
pub fn form_fields(kind: Kind) -> Vec<(&'static str, Input)> {
    use Input::*;
    let text = Text { required: true };
    let optional = Text { required: false };
    let mut fields: Vec<(&'static str, Input)> = match kind {
        Kind::Policy => vec![("id", text), ("classifications", Json)],
        Kind::Nation => vec![("code", text), ("name", text)],
        Kind::Bloc => vec![
            ("code", text),
            ("name", text),
            (
                "kind",
                Choice {
                    values: values!(BlocKind),
                    required: false,
                },
            ),
            ("members", Json),
        ],
        Kind::Organization => vec![
            ("id", text),
            ("name", text),
            (
                "kind",
                Choice {
                    values: values!(OrgKind),
                    required: true,
                },
            ),
            ("nation", text),
            ("ncage", optional),
        ],
        Kind::Person => vec![
            ("id", text),
            ("name", text),
            ("name_native", optional),
            ("organization", text),
            ("title", text),
        ],
        Kind::Domain => vec![("code", text), ("name", text)],
        Kind::Standard => vec![
            ("id", text),
            ("title", text),
            ("aliases", List),
            ("body", text),
            ("domain", text),
            ("tag", optional),
            ("date", optional),
            ("version", optional),
            ("covers", List),
        ],
        Kind::Profile => vec![
            ("id", text),
            (
                "kind",
                Choice {
                    values: values!(ProfileKind),
                    required: true,
                },
            ),
            ("title", text),
            ("description", optional),
            ("subprofiles", List),
            ("obligations", Json),
        ],
        Kind::System => vec![
            ("id", text),
            ("name", text),
            ("aliases", List),
            ("category", text),
            ("producer", optional),
            ("origin", text),
            ("operators", Json),
        ],
        Kind::Conformance => vec![
            ("system", text),
            ("standard", text),
            (
                "status",
                Choice {
                    values: values!(ConformanceStatus),
                    required: true,
                },
            ),
            ("evidence", optional),
        ],
        Kind::Gateway => vec![
            ("id", text),
            ("name", text),
            ("domain", text),
            ("from", text),
            ("to", text),
            ("bidirectional", Flag),
            (
                "fidelity",
                Choice {
                    values: values!(Fidelity),
                    required: true,
                },
            ),
            (
                "status",
                Choice {
                    values: values!(GatewayStatus),
                    required: true,
                },
            ),
        ],
        Kind::Transfer => vec![
            ("id", text),
            ("supplier", text),
            (
                "supplier_kind",
                Choice {
                    values: values!(PartyKind),
                    required: false,
                },
            ),
            ("recipient", text),
            (
                "recipient_kind",
                Choice {
                    values: values!(PartyKind),
                    required: false,
                },
            ),
            ("system", optional),
            ("designation", text),
            ("description", optional),
            ("category", text),
            ("ordered", Number),
            ("number_ordered", Number),
            ("status", optional),
            ("deliveries", Json),
        ],
        Kind::Body => vec![
            ("id", text),
            ("name", text),
            ("description", Prose { required: false }),
            ("members", List),
            ("co_chairs", List),
            ("secretariat", List),
        ],
        Kind::Meeting => vec![
            ("id", text),
            ("body", optional),
            ("title", text),
            ("start", text),
            ("end", text),
            ("time_zone", text),
            ("place", optional),
            ("online", optional),
            ("participants", Json),
            ("agenda", Json),
            (
                "status",
                Choice {
                    values: values!(MeetingStatus),
                    required: true,
                },
            ),
        ],
        Kind::Minutes => vec![
            ("id", text),
            ("meeting", text),
            ("version", Number),
            ("corrects", optional),
            (
                "status",
                Choice {
                    values: values!(MinutesStatus),
                    required: true,
                },
            ),
            ("text", Prose { required: true }),
            ("comments", Json),
        ],
        Kind::Proposal => vec![
            ("id", text),
            ("body", optional),
            ("title", text),
            ("summary", Prose { required: false }),
            ("sponsor", optional),
            (
                "status",
                Choice {
                    values: values!(ProposalStatus),
                    required: true,
                },
            ),
            ("history", Json),
            (
                "method",
                Choice {
                    values: values!(DecisionMethod),
                    required: false,
                },
            ),
            ("votes", Json),
            ("plan", Json),
            ("documents", List),
        ],
        Kind::Decision => vec![
            ("id", text),
            ("meeting", text),
            ("text", Prose { required: true }),
            ("proposals", List),
            ("agenda_items", Json),
        ],
        Kind::ActionItem => vec![
            ("id", text),
            ("title", text),
            ("owner", Json),
            ("due", text),
            (
                "status",
                Choice {
                    values: values!(ActionStatus),
                    required: true,
                },
            ),
            ("decision", optional),
            ("proposal", optional),
            ("plan_action", optional),
        ],
        Kind::Engagement => vec![
            ("id", text),
            ("title", text),
            ("start", text),
            ("end", optional),
            ("time_zone", text),
            ("place", optional),
            ("participants", List),
            ("topics", Json),
            ("outcomes", Json),
        ],
        Kind::CapabilityArea => vec![
            ("id", text),
            ("name", text),
            ("name_ko", optional),
            ("description", Prose { required: false }),
        ],
        Kind::Need | Kind::Offer => vec![
            ("id", text),
            ("area", text),
            ("title", text),
            ("description", Prose { required: false }),
            ("keywords", List),
            ("trl", Json),
            ("owner", Json),
            ("timeframe", Json),
            ("systems", List),
            ("standards", List),
        ],
        Kind::Instrument => vec![
            ("id", text),
            ("name", text),
            (
                "kind",
                Choice {
                    values: values!(InstrumentKind),
                    required: true,
                },
            ),
            ("description", Prose { required: false }),
            ("rules", Json),
            ("modelled", Flag),
            ("unconfirmed", Json),
        ],
        Kind::Document => vec![
            ("id", text),
            ("title", text),
            ("issued", text),
            ("issuers", List),
            ("summary", Prose { required: false }),
            ("url", optional),
            ("topics", Json),
        ],
    };
    if kind != Kind::Policy {
        fields.push(("sources", Json));
        fields.push(("illustrative", Flag));
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_field_has_a_name_in_both_languages() {
        for kind in Kind::ALL {
            for (field, _) in form_fields(kind) {
                let en = field_label(Lang::En, field);
                let ko = field_label(Lang::Ko, field);
                assert_ne!(en, ko, "{field} of {kind:?} has no Korean name");
            }
            assert!(!kind_label(Lang::Ko, kind, true).is_empty());
        }
    }

    #[test]
    fn choices_are_the_enums_values() {
        let Input::Choice { values, .. } = form_fields(Kind::Conformance)[2].1 else {
            panic!("status is a choice")
        };
        assert_eq!(values, ["claimed", "tested", "certified"]);
    }
}
