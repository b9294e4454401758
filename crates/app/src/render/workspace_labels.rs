//! The workspace's enum values as people read them, in English and Korean (see [`Labelled`]).

use defcoop_domain::workspace::{
    ActionStatus, DecisionMethod, MeetingStatus, MinutesStatus, Outcome, ParticipantRole,
    ProposalStatus,
};

use super::Labelled;
use crate::workspace::ActionState;

impl Labelled for MeetingStatus {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            MeetingStatus::Planned => ("planned", "예정"),
            MeetingStatus::Held => ("held", "개최됨"),
            MeetingStatus::Cancelled => ("cancelled", "취소됨"),
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

impl Labelled for Outcome {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Outcome::Noted => ("noted", "보고됨"),
            Outcome::Agreed => ("agreed", "합의됨"),
            Outcome::Deferred => ("deferred", "연기됨"),
            Outcome::Rejected => ("rejected", "거부됨"),
        }
    }
}

impl Labelled for MinutesStatus {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            MinutesStatus::Draft => ("draft", "초안"),
            MinutesStatus::Circulated => ("circulated", "회람됨"),
            MinutesStatus::Approved => ("approved", "승인됨"),
        }
    }
}

impl Labelled for ProposalStatus {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            ProposalStatus::Draft => ("draft", "초안"),
            ProposalStatus::Tabled => ("tabled", "상정됨"),
            ProposalStatus::UnderConsideration => ("under consideration", "검토 중"),
            ProposalStatus::Agreed => ("agreed", "합의됨"),
            ProposalStatus::Rejected => ("rejected", "거부됨"),
            ProposalStatus::Withdrawn => ("withdrawn", "철회됨"),
        }
    }
}

impl Labelled for DecisionMethod {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            DecisionMethod::Consensus => ("consensus", "합의"),
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

impl Labelled for ActionState {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            ActionState::Open => ("open", "진행 중"),
            ActionState::Overdue => ("overdue", "기한 경과"),
            ActionState::Done => ("done", "완료"),
            ActionState::DoneInRegistry => ("done in the registry", "레지스트리에서 완료"),
            ActionState::Cancelled => ("cancelled", "취소됨"),
        }
    }
}
