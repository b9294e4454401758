//! What people read for the values of enums, in English and Korean: `value.label(lang)`.
//! The dataset's and the API's spelling stays `as_str()` (`non-state`, `claimed`); these are
//! for pages and text answers.

use defcoop_domain::account::{Permission, Role};
use defcoop_domain::label::{CategoryKind, RequiredOperation};
use defcoop_domain::model::{
    BlocKind, ConformanceStatus, Fidelity, GatewayStatus, Kind, Lifecycle, ObligationLevel,
    OrgKind, PartyKind, ProfileKind,
};
use defcoop_domain::workspace::{
    ActionStatus, DecisionMethod, MeetingStatus, MinutesStatus, Outcome, ParticipantRole,
    ProposalStatus,
};
use defcoop_engine::Level;

use super::Lang;
use crate::workspace::ActionState;

/// An enum value as people read it.
pub trait Labelled: Copy {
    /// `(English, Korean)`.
    fn labels(self) -> (&'static str, &'static str);

    /// The value in `lang`.
    fn label(self, lang: Lang) -> &'static str {
        let (en, ko) = self.labels();
        match lang {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }
}

impl Labelled for ConformanceStatus {
    fn labels(self) -> (&'static str, &'static str) {
        let w = (super::words(Lang::En), super::words(Lang::Ko));
        (w.0.status(self), w.1.status(self))
    }
}

impl Labelled for Level {
    fn labels(self) -> (&'static str, &'static str) {
        let w = (super::words(Lang::En), super::words(Lang::Ko));
        (w.0.level(self), w.1.level(self))
    }
}

impl Labelled for Role {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Role::Admin => ("administrator", "관리자"),
            Role::Secretariat => ("secretariat", "사무국"),
            Role::Member => ("member", "회원국 담당관"),
            Role::Industry => ("industry", "산업체"),
            Role::Viewer => ("viewer", "열람자"),
        }
    }
}

impl Labelled for Permission {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Permission::ManageUsers => ("manage users", "사용자 관리"),
            Permission::WriteRegistry => ("change the registry", "레지스트리 변경"),
            Permission::ManagePolicies => ("change security policies", "보안 정책 변경"),
            Permission::RunBody => (
                "run the body's meetings, minutes and decisions",
                "협의체의 회의·회의록·결정 운영",
            ),
            Permission::PublishOffers => ("publish offers", "제안 기술 게시"),
        }
    }
}

impl Labelled for BlocKind {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            BlocKind::Alliance => ("alliance", "동맹"),
            BlocKind::Union => ("union", "연합"),
            BlocKind::Association => ("association", "협회·연합체"),
            BlocKind::Partnership => ("partnership", "파트너십"),
        }
    }
}

impl Labelled for OrgKind {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            OrgKind::Agency => ("government agency", "정부 기관"),
            OrgKind::InternationalOrganization => ("international organization", "국제기구"),
            OrgKind::Company => ("company", "기업"),
            OrgKind::Research => ("research institute", "연구 기관"),
        }
    }
}

impl Labelled for ProfileKind {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            ProfileKind::Capability => ("capability profile", "능력 프로파일"),
            ProfileKind::Profile => ("profile", "프로파일"),
            ProfileKind::Service => ("service profile", "서비스 프로파일"),
        }
    }
}

impl Labelled for ObligationLevel {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            ObligationLevel::Mandatory => ("mandatory", "필수"),
            ObligationLevel::Conditional => ("conditional", "조건부"),
            ObligationLevel::Recommended => ("recommended", "권고"),
            ObligationLevel::Optional => ("optional", "선택"),
            ObligationLevel::None => ("none", "없음"),
        }
    }
}

impl Labelled for Lifecycle {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Lifecycle::Current => ("current", "현행"),
            Lifecycle::Candidate => ("candidate", "후보"),
        }
    }
}

impl Labelled for Fidelity {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Fidelity::Full => ("full", "완전"),
            Fidelity::Partial => ("partial", "부분"),
        }
    }
}

impl Labelled for GatewayStatus {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            GatewayStatus::Fielded => ("fielded", "배치됨"),
            GatewayStatus::Planned => ("planned", "계획됨"),
        }
    }
}

impl Labelled for PartyKind {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            PartyKind::State => ("state", "국가"),
            PartyKind::NonState => ("non-state actor", "비국가 행위자"),
            PartyKind::Unknown => ("unknown", "미상"),
        }
    }
}

impl Labelled for CategoryKind {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            CategoryKind::Permissive => ("permissive", "허용형"),
            CategoryKind::Restrictive => ("restrictive", "제한형"),
        }
    }
}

impl Labelled for RequiredOperation {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            RequiredOperation::OneOrMore => ("one or more", "하나 이상"),
            RequiredOperation::OnlyOne => ("exactly one", "정확히 하나"),
            RequiredOperation::All => ("all", "모두"),
        }
    }
}

impl Labelled for ParticipantRole {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            ParticipantRole::Chair => ("chair", "의장"),
            ParticipantRole::CoChair => ("co-chair", "공동의장"),
            ParticipantRole::Member => ("member", "위원"),
            ParticipantRole::Secretary => ("secretary", "간사"),
            ParticipantRole::Speaker => ("speaker", "발표자"),
            ParticipantRole::Observer => ("observer", "참관인"),
        }
    }
}

impl Labelled for MeetingStatus {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            MeetingStatus::Planned => ("planned", "예정"),
            MeetingStatus::Held => ("held", "개최됨"),
            MeetingStatus::Cancelled => ("cancelled", "취소됨"),
        }
    }
}

impl Labelled for Outcome {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Outcome::Noted => ("noted", "보고 접수"),
            Outcome::Agreed => ("agreed", "합의"),
            Outcome::Deferred => ("deferred", "연기"),
            Outcome::Rejected => ("rejected", "부결"),
        }
    }
}

impl Labelled for MinutesStatus {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            MinutesStatus::Draft => ("draft", "초안"),
            MinutesStatus::Circulated => ("circulated", "회람 중"),
            MinutesStatus::Approved => ("approved", "승인됨"),
        }
    }
}

impl Labelled for ProposalStatus {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            ProposalStatus::Draft => ("draft", "초안"),
            ProposalStatus::Tabled => ("tabled", "상정됨"),
            ProposalStatus::UnderConsideration => ("under consideration", "심의 중"),
            ProposalStatus::Agreed => ("agreed", "합의됨"),
            ProposalStatus::Rejected => ("rejected", "부결됨"),
            ProposalStatus::Withdrawn => ("withdrawn", "철회됨"),
        }
    }
}

impl Labelled for DecisionMethod {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            DecisionMethod::Consensus => ("consensus", "합의(컨센서스)"),
            DecisionMethod::Vote => ("vote", "표결"),
        }
    }
}

impl Labelled for ActionStatus {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            ActionStatus::Open => ("open", "진행 중"),
            ActionStatus::Done => ("done", "완료"),
            ActionStatus::Cancelled => ("cancelled", "취소됨"),
        }
    }
}

/// An action item's computed state (overdue, done as the registry shows).
impl Labelled for ActionState {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            ActionState::Open => ("open", "진행 중"),
            ActionState::Overdue => ("overdue", "기한 초과"),
            ActionState::Done => ("done", "완료"),
            ActionState::DoneInRegistry => ("done in the registry", "레지스트리에서 완료"),
            ActionState::Cancelled => ("cancelled", "취소됨"),
        }
    }
}

/// A kind of record, one of them (`system`, `무기체계`); [`kind_plural`] for many.
impl Labelled for Kind {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Kind::Policy => ("security policy", "보안 정책"),
            Kind::Nation => ("nation", "국가"),
            Kind::Bloc => ("bloc", "블록"),
            Kind::Organization => ("organization", "기관"),
            Kind::Person => ("person", "인물"),
            Kind::Domain => ("domain", "분야"),
            Kind::Standard => ("standard", "표준"),
            Kind::Profile => ("profile", "프로파일"),
            Kind::System => ("system", "무기체계"),
            Kind::Conformance => ("conformance", "표준 준수"),
            Kind::Gateway => ("gateway", "게이트웨이"),
            Kind::Transfer => ("arms transfer", "무기 이전"),
            Kind::Body => ("consultative body", "협의체"),
            Kind::Meeting => ("meeting", "회의"),
            Kind::Minutes => ("minutes", "회의록"),
            Kind::Proposal => ("proposal", "제안"),
            Kind::Decision => ("decision", "결정"),
            Kind::ActionItem => ("action item", "조치 사항"),
            Kind::Engagement => ("engagement", "양자 면담"),
            Kind::Document => ("document", "문서"),
            Kind::CapabilityArea => ("capability area", "역량 분야"),
            Kind::Need => ("need", "수요"),
            Kind::Offer => ("offer", "제안 기술"),
            Kind::Instrument => ("funding instrument", "재원 수단"),
        }
    }
}

/// A kind of record as a heading of many (`Systems`, `무기체계`).
pub fn kind_plural(kind: Kind, lang: Lang) -> &'static str {
    let (en, ko) = match kind {
        Kind::Policy => ("Security policies", "보안 정책"),
        Kind::Nation => ("Nations", "국가"),
        Kind::Bloc => ("Blocs", "블록"),
        Kind::Organization => ("Organizations", "기관"),
        Kind::Person => ("People", "인물"),
        Kind::Domain => ("Domains", "분야"),
        Kind::Standard => ("Standards", "표준"),
        Kind::Profile => ("Profiles", "프로파일"),
        Kind::System => ("Systems", "무기체계"),
        Kind::Conformance => ("Conformances", "표준 준수"),
        Kind::Gateway => ("Gateways", "게이트웨이"),
        Kind::Transfer => ("Arms transfers", "무기 이전"),
        Kind::Body => ("Consultative bodies", "협의체"),
        Kind::Meeting => ("Meetings", "회의"),
        Kind::Minutes => ("Minutes", "회의록"),
        Kind::Proposal => ("Proposals", "제안"),
        Kind::Decision => ("Decisions", "결정"),
        Kind::ActionItem => ("Action items", "조치 사항"),
        Kind::Engagement => ("Engagements", "양자 면담"),
        Kind::Document => ("Documents", "문서"),
        Kind::CapabilityArea => ("Capability areas", "역량 분야"),
        Kind::Need => ("Needs", "수요"),
        Kind::Offer => ("Offers", "제안 기술"),
        Kind::Instrument => ("Funding instruments", "재원 수단"),
    };
    match lang {
        Lang::En => en,
        Lang::Ko => ko,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn hangul(s: &str) -> bool {
        s.chars().any(|c| ('가'..='힣').contains(&c))
    }

    /// Every value has an English and a Korean label, told apart from the others'.
    fn check<T: Labelled + std::fmt::Debug>(all: &[T]) {
        for lang in [Lang::En, Lang::Ko] {
            let labels: HashSet<&str> = all.iter().map(|v| v.label(lang)).collect();
            assert_eq!(
                labels.len(),
                all.len(),
                "{all:?} in {lang:?}: labels repeat"
            );
        }
        for v in all {
            let (en, ko) = v.labels();
            assert!(!en.trim().is_empty() && en.is_ascii(), "{v:?}: {en:?}");
            assert!(hangul(ko), "{v:?}: {ko:?}");
        }
    }

    #[test]
    fn every_variant_has_both_languages() {
        check(&ConformanceStatus::ALL);
        check(&Role::ALL);
        check(&[
            Permission::ManageUsers,
            Permission::WriteRegistry,
            Permission::ManagePolicies,
        ]);
        check(&BlocKind::ALL);
        check(&OrgKind::ALL);
        check(&ProfileKind::ALL);
        check(&ObligationLevel::ALL);
        check(&Lifecycle::ALL);
        check(&Fidelity::ALL);
        check(&GatewayStatus::ALL);
        check(&PartyKind::ALL);
        check(&[CategoryKind::Permissive, CategoryKind::Restrictive]);
        check(&[
            RequiredOperation::OneOrMore,
            RequiredOperation::OnlyOne,
            RequiredOperation::All,
        ]);
        check(&Kind::ALL);
        check(&Level::ALL);
        check(&ParticipantRole::ALL);
        check(&MeetingStatus::ALL);
        check(&Outcome::ALL);
        check(&MinutesStatus::ALL);
        check(&ProposalStatus::ALL);
        check(&DecisionMethod::ALL);
        check(&ActionStatus::ALL);
        check(&ActionState::ALL);
        assert_eq!(
            ProposalStatus::UnderConsideration.label(Lang::Ko),
            "심의 중"
        );
        assert_eq!(
            ActionState::DoneInRegistry.label(Lang::En),
            "done in the registry"
        );
        for lang in [Lang::En, Lang::Ko] {
            let plurals: HashSet<&str> = Kind::ALL.iter().map(|k| kind_plural(*k, lang)).collect();
            assert_eq!(plurals.len(), Kind::ALL.len());
        }
        assert_eq!(PartyKind::NonState.label(Lang::Ko), "비국가 행위자");
        assert_eq!(ConformanceStatus::Certified.label(Lang::Ko), "인증");
        assert_eq!(Role::Admin.label(Lang::En), "administrator");
    }
}
