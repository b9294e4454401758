//! Messages for people in their language, without rewriting where they are made.
//!
//! The domain, the engine, the store and the use cases write their messages in English, as
//! values (`Problem::message`, `AppError`'s texts): the CLI, the dataset's problem reports and
//! the tests read them so. A **catalogue** translates them afterwards: each entry is a stable
//! English *pattern*, the message as its `format!` writes it with `{}` for each value, and the
//! same sentence in Korean with `{0}`, `{1}`... naming the values (so they may move). A message
//! is translated by the first entry whose pattern it matches; the values are kept as they are
//! (ids, codes, paths and field names stay untranslated), except those that are one of the
//! catalogue's known words (`nation`, `standard`, a permission...), which are translated too.
//!
//! A message that is `LOCATION: MESSAGE` (a [`Problem`](defcoop_domain::import::Problem) shown
//! with its location) keeps its location and translates the rest; messages joined with `"; "`
//! are translated one by one. A message no entry matches stays English: a missing entry shows
//! English, never a wrong sentence. Matching is linear in the message's length per entry, and
//! messages longer than [`MAX_TRANSLATED`] characters are left as they are.

use std::borrow::Cow;

use super::Lang;

/// Longest message translated, in characters (messages quote input, which may be huge).
pub const MAX_TRANSLATED: usize = 4000;

/// A list of (English pattern, Korean template) pairs.
#[derive(Debug, Clone, Copy)]
pub struct Catalogue(pub &'static [(&'static str, &'static str)]);

/// Words that occur as values inside messages (record kinds, permissions), translated when a
/// value is exactly one of them.
static WORDS: &[(&str, &str)] = &[
    ("nation", "국가"),
    ("bloc", "블록"),
    ("organization", "기관"),
    ("person", "인물"),
    ("domain", "분야"),
    ("standard", "표준"),
    ("profile", "프로파일"),
    ("system", "무기체계"),
    ("conformance", "표준 준수"),
    ("gateway", "게이트웨이"),
    ("transfer", "무기 이전"),
    ("policy", "보안 정책"),
    ("alias", "별칭"),
    ("classification", "등급"),
    ("category", "범주"),
    ("user", "사용자"),
    ("token", "토큰"),
    ("supplier", "공급국"),
    ("recipient", "도입국"),
    ("left", "왼쪽"),
    ("right", "오른쪽"),
    ("manage users", "사용자 관리"),
    ("change the registry", "레지스트리 변경"),
    ("change security policies", "보안 정책 변경"),
    (
        "run the body's meetings, minutes and decisions",
        "협의체의 회의·회의록·결정 운영",
    ),
    ("body", "협의체"),
    ("meeting", "회의"),
    ("minutes", "회의록"),
    ("proposal", "제안"),
    ("decision", "결정"),
    ("action item", "조치 사항"),
    ("engagement", "양자 면담"),
    ("document", "문서"),
    ("capability area", "역량 분야"),
    ("publish offers", "제안 기술 게시"),
    ("need", "수요"),
    ("offer", "제안 기술"),
    ("instrument", "재원 수단"),
    // States of the workspace's records, as values of its messages.
    ("planned", "예정"),
    ("held", "개최됨"),
    ("cancelled", "취소됨"),
    ("draft", "초안"),
    ("circulated", "회람 중"),
    ("approved", "승인됨"),
    ("tabled", "상정됨"),
    ("under-consideration", "심의 중"),
    ("agreed", "합의됨"),
    ("rejected", "부결됨"),
    ("withdrawn", "철회됨"),
];

/// The messages of the domain, the engine, the store and the use cases.
pub static MESSAGES: Catalogue = Catalogue(&[
    // The framing of the application's answers.
    (
        "{} problem(s) in the input; nothing was written",
        "입력에 문제가 {0}건 있어 아무것도 기록하지 않았습니다",
    ),
    (
        "{} problem(s) in the input; nothing was imported",
        "입력에 문제가 {0}건 있어 아무것도 가져오지 않았습니다",
    ),
    (
        "{} may not {} (it needs one of the roles {})",
        "{0}에게는 {1} 권한이 없습니다 (필요한 역할: {2})",
    ),
    (
        "too many failed sign-ins; try again in {} minute(s)",
        "로그인 실패가 너무 많습니다. {0}분 후에 다시 시도하십시오",
    ),
    ("internal error: {}", "내부 오류: {0}"),
    ("the credentials are not valid", "인증 정보가 올바르지 않습니다"),
    (
        "this sign-in is not valid (any more); start again",
        "이 로그인은 (더 이상) 유효하지 않습니다. 처음부터 다시 시작하십시오",
    ),
    (
        "the session has ended; sign in again",
        "세션이 끝났습니다. 다시 로그인하십시오",
    ),
    (
        "this setup link is not valid (any more)",
        "이 설정 링크는 (더 이상) 유효하지 않습니다",
    ),
    (
        "the database is busy: {}",
        "데이터베이스가 사용 중입니다: {0}",
    ),
    // Field formats (domain/import/formats.rs).
    ("must not be empty", "비어 있으면 안 됩니다"),
    ("is longer than {} characters", "{0}자보다 깁니다"),
    (
        "\"{}\" is longer than {} characters",
        "\"{0}\"은(는) {1}자보다 깁니다",
    ),
    (
        "\"{}\" is not a valid id (letters, digits, '.', '_' and '-', starting with a letter or digit)",
        "\"{0}\"은(는) 올바른 식별자가 아닙니다 (영문자, 숫자, '.', '_', '-'만 쓰며 영문자나 숫자로 시작)",
    ),
    (
        "\"{}\" is not a valid code (lower-case letters, digits and '-', at most 64)",
        "\"{0}\"은(는) 올바른 코드가 아닙니다 (영문 소문자, 숫자, '-', 최대 64자)",
    ),
    (
        "\"{}\" is not an ISO 3166-1 alpha-3 code (three upper-case letters)",
        "\"{0}\"은(는) ISO 3166-1 alpha-3 코드가 아닙니다 (영문 대문자 세 글자)",
    ),
    (
        "\"{}\" is not a valid bloc code (upper-case letters, digits and '-')",
        "\"{0}\"은(는) 올바른 블록 코드가 아닙니다 (영문 대문자, 숫자, '-')",
    ),
    (
        "\"{}\" is not an NCAGE code (five upper-case letters or digits)",
        "\"{0}\"은(는) NCAGE 코드가 아닙니다 (영문 대문자나 숫자 다섯 자)",
    ),
    (
        "\"{}\" is not an http(s) URL",
        "\"{0}\"은(는) http(s) URL이 아닙니다",
    ),
    (
        "\"{}\" is neither a year (YYYY), a month (YYYY-MM) nor a date (YYYY-MM-DD)",
        "\"{0}\"은(는) 연도(YYYY), 월(YYYY-MM), 날짜(YYYY-MM-DD) 중 어느 것도 아닙니다",
    ),
    (
        "{} is not a year between 1900 and 2100",
        "{0}은(는) 1900년에서 2100년 사이의 연도가 아닙니다",
    ),
    (
        "{} is not a TIV amount (a number ≥ 0)",
        "{0}은(는) TIV 값(0 이상의 수)이 아닙니다",
    ),
    // References and duplicates (domain/import/plan.rs, checks.rs).
    (
        "duplicate {} \"{}\" (first at {})",
        "중복된 {0}: \"{1}\" (처음 나온 곳: {2})",
    ),
    (
        "alias \"{}\" already names {} \"{}\" (an alias names one record; merge the two if they are one)",
        "별칭 \"{0}\"은(는) 이미 {1} \"{2}\"의 별칭입니다 (별칭은 한 기록만 가리킵니다. 같은 것이라면 둘을 병합하십시오)",
    ),
    // Before the general forms below, which would match them first.
    ("unknown participant \"{}\"", "알 수 없는 참가자: \"{0}\""),
    ("unknown organization \"{}\"", "알 수 없는 기관: \"{0}\""),
    ("organization \"{}\" listed twice", "기관 \"{0}\"이(가) 두 번 나옵니다"),
    ("{} \"{}\" listed twice", "{0} \"{1}\"이(가) 두 번 나옵니다"),
    ("{} \"{}\" defined twice", "{0} \"{1}\"이(가) 두 번 정의되었습니다"),
    (
        "unknown {} \"{}\" (not a nation code, bloc code or actor name)",
        "알 수 없는 {0}: \"{1}\" (국가 코드, 블록 코드, 행위자 이름이 아님)",
    ),
    (
        "unknown category \"{}\" (known: {})",
        "알 수 없는 범주: \"{0}\" (알려진 범주: {1})",
    ),
    ("unknown {} \"{}\"", "알 수 없는 {0}: \"{1}\""),
    (
        "you may only write a label that you satisfy yourself",
        "자신이 충족하는 표지만 쓸 수 있습니다",
    ),
    (
        "membership ends ({}) before it starts ({})",
        "회원 자격이 시작({1})하기 전에 끝납니다({0})",
    ),
    ("a standard cannot cover itself", "표준은 자기 자신을 포함할 수 없습니다"),
    (
        "a profile cannot contain itself",
        "프로파일은 자기 자신을 포함할 수 없습니다",
    ),
    (
        "a policy needs at least one classification",
        "보안 정책에는 등급이 하나 이상 있어야 합니다",
    ),
    // The dataset file's reader (serde's messages and ours).
    ("missing field `{}`", "필수 필드가 없습니다: `{0}`"),
    (
        "unknown field `{}`, expected one of {}",
        "알 수 없는 필드: `{0}` (가능한 필드: {1})",
    ),
    (
        "unknown field `{}`, expected {}",
        "알 수 없는 필드: `{0}` (가능한 필드: {1})",
    ),
    ("unknown field `{}`", "알 수 없는 필드: `{0}`"),
    (
        "unknown field (a dataset has: {})",
        "알 수 없는 필드 (데이터 세트의 필드: {0})",
    ),
    ("column \"{}\" appears twice", "열 \"{0}\"이(가) 두 번 나옵니다"),
    // Requests the use cases refuse.
    ("{} not found", "찾을 수 없음: {0}"),
    (
        "the year range is empty: from {} is after to {}",
        "연도 범위가 비어 있습니다: 시작 {0}이(가) 끝 {1}보다 늦습니다",
    ),
    (
        "from ({}) is after to ({})",
        "시작 연도({0})가 끝 연도({1})보다 늦습니다",
    ),
    ("limit must be between 1 and {}", "limit은 1에서 {0} 사이여야 합니다"),
    ("offset must be at most {}", "offset은 최대 {0}이어야 합니다"),
    ("{}: \"{}\" is not a number", "{0}: \"{1}\"은(는) 수가 아닙니다"),
    (
        "the {} fleet needs a filter (e.g. all, operator:POL, origin:KOR)",
        "{0} 전력에 필터가 필요합니다 (예: all, operator:POL, origin:KOR)",
    ),
    (
        "target {} is not a level (1, 2 or 3)",
        "목표 {0}은(는) 수준(1, 2, 3)이 아닙니다",
    ),
    (
        "the budget must be between 1 and {} actions",
        "예산은 조치 1건에서 {0}건 사이여야 합니다",
    ),
    ("give between 1 and {} actions", "조치를 1건에서 {0}건 사이로 주십시오"),
    (
        "not a valid STANAG 4774 label: {}",
        "올바른 STANAG 4774 표지가 아닙니다: {0}",
    ),
    (
        "profile \"{}\" has no mandatory standards (that you may see)",
        "프로파일 \"{0}\"에는 (열람할 수 있는) 필수 표준이 없습니다",
    ),
    // The workspace's use cases (app/src/workspace) and the rules they meet most often.
    (
        "meeting \"{}\" was cancelled; it is not held",
        "회의 \"{0}\"은(는) 취소되었으므로 개최되지 않았습니다",
    ),
    (
        "the meeting has {} agenda item(s); there is no item {}",
        "회의의 안건은 {0}건이며 {1}번 안건은 없습니다",
    ),
    (
        "meeting \"{}\" has {} agenda item(s); there is no item {}",
        "회의 \"{0}\"의 안건은 {1}건이며 {2}번 안건은 없습니다",
    ),
    (
        "meeting \"{}\" is {}: only a planned meeting is cancelled",
        "회의 \"{0}\"은(는) {1} 상태입니다: 예정된 회의만 취소할 수 있습니다",
    ),
    (
        "item {} (\"{}\") has no outcome: a meeting is closed (held) only when every agenda item has one (noted, agreed, deferred or rejected)",
        "{0}번 안건(\"{1}\")에 결과가 없습니다: 모든 안건에 결과(noted, agreed, deferred, rejected)가 있어야 회의를 마칠(개최됨) 수 있습니다",
    ),
    (
        "a planned meeting has no outcomes yet: record them when it is held",
        "예정된 회의에는 아직 결과가 없습니다: 회의가 열린 뒤에 기록하십시오",
    ),
    (
        "meeting \"{}\" has been held; it stays held",
        "회의 \"{0}\"은(는) 이미 열렸으므로 개최됨 상태로 남습니다",
    ),
    (
        "meeting \"{}\" has not been held: its minutes stay a draft until it is",
        "회의 \"{0}\"은(는) 아직 열리지 않았습니다: 열릴 때까지 회의록은 초안으로 남습니다",
    ),
    (
        "minutes \"{}\" are approved and frozen: write a correction",
        "회의록 \"{0}\"은(는) 승인되어 고정되었습니다: 정정본을 작성하십시오",
    ),
    (
        "minutes \"{}\" are approved and frozen: write a correction (new minutes with \"corrects\": \"{}\" and version {})",
        "회의록 \"{0}\"은(는) 승인되어 고정되었습니다: 정정본을 작성하십시오 (\"corrects\": \"{1}\", 버전 {2}인 새 회의록)",
    ),
    (
        "minutes \"{}\" are {}: the next step is {}, not {}",
        "회의록 \"{0}\"은(는) {1} 상태입니다: 다음 단계는 {3}이(가) 아니라 {2}입니다",
    ),
    (
        "minutes \"{}\" are {}: participants comment on circulated minutes",
        "회의록 \"{0}\"은(는) {1} 상태입니다: 참석자는 회람 중인 회의록에 의견을 남깁니다",
    ),
    (
        "minutes \"{}\" are {}, not approved: change them instead of correcting them",
        "회의록 \"{0}\"은(는) {1} 상태로 승인되지 않았습니다: 정정하지 말고 직접 수정하십시오",
    ),
    (
        "minutes move forward only (draft, circulated, approved): \"{}\" are {}",
        "회의록은 앞으로만 진행합니다 (초안, 회람 중, 승인됨): \"{0}\"은(는) {1} 상태입니다",
    ),
    ("minutes \"{}\" exist already", "회의록 \"{0}\"이(가) 이미 있습니다"),
    (
        "{} comments as {}, not as {}",
        "{0}은(는) {2}이(가) 아니라 {1}(으)로 의견을 남깁니다",
    ),
    (
        "name the person who comments (a participant of the meeting)",
        "의견을 남기는 사람(회의 참석자)을 지정하십시오",
    ),
    (
        "{} is linked to no person of the registry: an administrator links the account (user set --person) before it comments",
        "{0}은(는) 레지스트리의 인물과 연결되어 있지 않습니다: 의견을 남기기 전에 관리자가 계정을 연결해야 합니다 (user set --person)",
    ),
    (
        "\"{}\" did not take part in meeting \"{}\"",
        "\"{0}\"은(는) 회의 \"{1}\"에 참석하지 않았습니다",
    ),
    (
        "proposal \"{}\" is {}, which is final",
        "제안 \"{0}\"은(는) {1} 상태이며, 최종 상태입니다",
    ),
    (
        "a proposal cannot go from {} to {} (from {}: {})",
        "제안은 {0}에서 {1}(으)로 갈 수 없습니다 ({2}에서 갈 수 있는 상태: {3})",
    ),
    (
        "a proposal cannot go from {} to {} ({} is final)",
        "제안은 {0}에서 {1}(으)로 갈 수 없습니다 ({2}은(는) 최종 상태입니다)",
    ),
    (
        "only an agreed or rejected proposal has a decision method",
        "결정 방식은 합의되거나 부결된 제안에만 있습니다",
    ),
    (
        "the plan has no action (nothing raises a pair to the target): there is nothing to table",
        "계획에 조치가 없습니다 (목표 수준으로 올라가는 쌍이 없음): 상정할 것이 없습니다",
    ),
    ("proposal \"{}\" exists already", "제안 \"{0}\"이(가) 이미 있습니다"),
    (
        "proposal \"{}\" has no gap-closure plan",
        "제안 \"{0}\"에는 격차 해소 계획이 없습니다",
    ),
    (
        "proposal \"{}\" is {}: a plan becomes work once it is agreed",
        "제안 \"{0}\"은(는) {1} 상태입니다: 계획은 합의된 뒤에 조치 사항이 됩니다",
    ),
    (
        "nobody to own \"{}\": give the proposal a sponsor",
        "\"{0}\"을(를) 맡을 곳이 없습니다: 제안에 제안 기관(sponsor)을 지정하십시오",
    ),
    (
        "the period ends ({}) before it starts ({})",
        "기간이 시작({1})하기 전에 끝납니다({0})",
    ),
    (
        "\"{}\" is not an IANA time zone (e.g. Europe/Brussels, Asia/Seoul)",
        "\"{0}\"은(는) IANA 시간대가 아닙니다 (예: Europe/Brussels, Asia/Seoul)",
    ),
    (
        "\"{}\" is not a date (YYYY-MM-DD)",
        "\"{0}\"은(는) 날짜(YYYY-MM-DD)가 아닙니다",
    ),
    // The workspace's commands (cli/src/workspace): options they refuse.
    (
        "\"{}\" is not a meeting status ({})",
        "\"{0}\"은(는) 회의 상태가 아닙니다 (가능한 값: {1})",
    ),
    (
        "\"{}\" is not a proposal status ({})",
        "\"{0}\"은(는) 제안 상태가 아닙니다 (가능한 값: {1})",
    ),
    (
        "\"{}\" is not an action item state ({})",
        "\"{0}\"은(는) 조치 사항 상태가 아닙니다 (가능한 값: {1})",
    ),
    (
        "\"{}\" is not an outcome ({})",
        "\"{0}\"은(는) 안건 결과가 아닙니다 (가능한 값: {1})",
    ),
    (
        "\"{}\" is not a decision method ({})",
        "\"{0}\"은(는) 결정 방식이 아닙니다 (가능한 값: {1})",
    ),
    (
        "give N=OUTCOME, N an agenda item's position from 1 (e.g. 2=agreed)",
        "N=결과 형식으로 주십시오. N은 1부터 세는 안건 순서입니다 (예: 2=agreed)",
    ),
    ("item {} is given twice", "{0}번 안건이 두 번 주어졌습니다"),
    // Matchmaking (domain matchmaking, cli matchmaking).
    ("give need=ID or offer=ID (one of them)", "need=ID나 offer=ID 중 하나를 주십시오"),
    ("there is no candidate organization", "후보 기관이 없습니다"),
    ("{} is not a number from {} to {}", "{0}은(는) {1}에서 {2} 사이의 수가 아닙니다"),
    ("{} is not between {} and {}", "{0}은(는) {1}과(와) {2} 사이가 아닙니다"),
    ("{} is more than {}", "{0}은(는) {1}보다 큽니다"),
    (
        "no availability: give at least one slot",
        "가능한 시간대가 없습니다: 적어도 하나를 주십시오",
    ),
    (
        "a participant cannot ask to meet itself",
        "참가자는 자신과의 회의를 요청할 수 없습니다",
    ),
    ("slot {} does not exist (slots 0 to {})", "시간대 {0}은(는) 없습니다 (시간대 0~{1})"),
    ("slot {} listed twice", "시간대 {0}이(가) 두 번 나옵니다"),
    ("{} needs and offers; at most {}", "수요와 제안이 {0}건입니다: 최대 {1}건"),
    (
        "{} needs and offers to match for request_best; at most {}: ask for best matches for fewer, or give requests",
        "request_best로 매칭할 수요와 제안이 {0}건입니다: 최대 {1}건. 최적 매칭은 더 적게 요청하거나 requests를 주십시오",
    ),
    (
        "begins before the slot before it ends: give slots in order, apart",
        "앞 시간대가 끝나기 전에 시작합니다: 시간대를 순서대로, 겹치지 않게 주십시오",
    ),
    ("\"{}\" is also participants[{}]", "\"{0}\"은(는) participants[{1}]에도 있습니다"),
    (
        "the consortium is not eligible for {}: {} rule(s) broken",
        "컨소시엄은 {0}의 자격을 충족하지 않습니다: 요건 {1}건 위반",
    ),
    (
        "{} problem(s) in the input; nothing was checked",
        "입력에 문제가 {0}건 있어 아무것도 확인하지 않았습니다",
    ),
    (
        "{} ({}) is from a country neither eligible nor a partner",
        "{0}({1})은(는) 자격 국가도 협력국도 아닌 나라의 기관입니다",
    ),
    (
        "{} ({}) is from a partner country, whose entities may not join",
        "{0}({1})은(는) 협력국 기관이며, 협력국 기관은 참여할 수 없습니다",
    ),
    (
        "{} ({}) takes part as a partner: it may join but receives no funds",
        "{0}({1})은(는) 협력국 기관으로 참여합니다: 참여할 수 있으나 자금을 받지 않습니다",
    ),
    (
        "{} ({}) takes part as a partner, and may receive funds",
        "{0}({1})은(는) 협력국 기관으로 참여하며 자금을 받을 수 있습니다",
    ),
    (
        "{} entities from eligible countries; at least {} needed",
        "자격 국가의 기관이 {0}곳입니다: 적어도 {1}곳이 필요합니다",
    ),
    (
        "{} distinct eligible countries ({}); at least {} needed",
        "서로 다른 자격 국가가 {0}개국({1})입니다: 적어도 {2}개국이 필요합니다",
    ),
    (
        "{} of the component cost from non-eligible origins ({}); at most {}",
        "부품 비용의 {0}이(가) 자격 없는 원산지에서 나옵니다 ({1}): 최대 {2}",
    ),
    ("give at least one member", "회원을 적어도 하나 주십시오"),
    ("{} members; at most {}", "회원이 {0}곳입니다: 최대 {1}곳"),
    ("{} is not a percentage (0 to 100)", "{0}은(는) 백분율(0~100)이 아닙니다"),
    (
        "give every member's share of the component cost, or none (equal shares)",
        "모든 회원의 부품 비용 비중을 주거나, 아무것도 주지 마십시오 (같은 비중)",
    ),
    ("the shares add up to {}, not 100%", "비중의 합이 100%가 아니라 {0}입니다"),
    (
        "{} is empty: give a value, or leave the parameter out",
        "{0}이(가) 비어 있습니다: 값을 주거나 매개변수를 빼십시오",
    ),
    (
        "give FOR,AGAINST,ABSTAIN as whole numbers (e.g. 12,3,0)",
        "찬성,반대,기권을 정수로 주십시오 (예: 12,3,0)",
    ),
    ("{} is not UTF-8 text", "{0}은(는) UTF-8 텍스트가 아닙니다"),
    ("--from {} is after --to {}", "--from {0}이(가) --to {1}보다 늦습니다"),
    ("wrote {}", "{0}에 썼습니다"),
    // The things a `{} not found` names.
    ("user \"{}\"", "사용자 \"{0}\""),
    ("token \"{}\"", "토큰 \"{0}\""),
]);

impl Catalogue {
    /// `message` in Korean by the first entry it matches, `None` when none does.
    pub fn translate(&self, message: &str) -> Option<String> {
        self.0.iter().find_map(|(pattern, ko)| {
            let values = matches(pattern, message)?;
            Some(fill(ko, &values))
        })
    }
}

/// `message` in `lang` by the catalogues, first to last (English as given; also when no entry
/// matches).
pub fn message_in<'a>(lang: Lang, message: &'a str, catalogues: &[&Catalogue]) -> Cow<'a, str> {
    if lang == Lang::En || message.chars().count() > MAX_TRANSLATED {
        return Cow::Borrowed(message);
    }
    let whole = |m: &str| catalogues.iter().find_map(|c| c.translate(m));
    if let Some(t) = whole(message) {
        return Cow::Owned(t);
    }
    // `LOCATION: MESSAGE`: the location stays (it names fields and paths).
    let located = |m: &str| -> Option<String> {
        if let Some(t) = whole(m) {
            return Some(t);
        }
        m.match_indices(": ")
            .take(4)
            .find_map(|(at, _)| whole(&m[at + 2..]).map(|t| format!("{}: {t}", &m[..at])))
    };
    if let Some(t) = located(message) {
        return Cow::Owned(t);
    }
    // Messages joined with "; " (the problems of an input).
    if message.contains("; ") {
        let parts: Vec<&str> = message.split("; ").collect();
        let translated: Vec<Option<String>> = parts.iter().map(|p| located(p)).collect();
        if translated.iter().any(Option::is_some) {
            return Cow::Owned(
                parts
                    .iter()
                    .zip(translated)
                    .map(|(p, t)| t.unwrap_or_else(|| p.to_string()))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
        }
    }
    Cow::Borrowed(message)
}

/// `message` (from the domain, the engine, the store or a use case) in `lang`.
pub fn message(lang: Lang, message: &str) -> Cow<'_, str> {
    message_in(
        lang,
        message,
        &[&MESSAGES, &super::workspace_messages::WORKSPACE_MESSAGES],
    )
}

/// The values of `message` for `pattern`'s `{}`s, when it matches: the literal pieces in
/// order, each value non-empty and found at the leftmost place the next piece follows (the
/// last piece must end the message).
fn matches<'m>(pattern: &str, message: &'m str) -> Option<Vec<&'m str>> {
    let pieces: Vec<&str> = pattern.split("{}").collect();
    let (first, rest) = pieces.split_first()?;
    let mut at = message.strip_prefix(first)?;
    if rest.is_empty() {
        return at.is_empty().then(Vec::new);
    }
    let mut values = Vec::with_capacity(rest.len());
    for (i, piece) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let end = if last {
            if piece.is_empty() {
                at.len()
            } else {
                at.strip_suffix(piece)?.len()
            }
        } else {
            // Values are not empty: look from the second character on.
            let skip = at.chars().next()?.len_utf8();
            skip + at[skip..].find(piece)?
        };
        if end == 0 {
            return None;
        }
        values.push(&at[..end]);
        at = &at[end + piece.len()..];
        if last && !at.is_empty() {
            return None;
        }
    }
    Some(values)
}

/// `template` with `{N}` replaced by value N (itself translated when it is a known word).
fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let n: usize = after[..close].parse().ok()?;
            Some((n, close))
        }) {
            Some((n, close)) => {
                let v = values.get(n).copied().unwrap_or("");
                out.push_str(word(v));
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A value in Korean when it is one of the known words, else as it is.
fn word(v: &str) -> &str {
    WORDS
        .iter()
        .find(|(en, _)| *en == v)
        .map_or(v, |(_, ko)| ko)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ko(m: &str) -> String {
        message(Lang::Ko, m).into_owned()
    }

    #[test]
    fn english_stays_as_it_is() {
        let m = "3 problem(s) in the input; nothing was written";
        assert!(matches!(message(Lang::En, m), Cow::Borrowed(s) if s == m));
    }

    #[test]
    fn the_framing_is_translated_with_its_values() {
        assert_eq!(
            ko("3 problem(s) in the input; nothing was written"),
            "입력에 문제가 3건 있어 아무것도 기록하지 않았습니다"
        );
        assert_eq!(ko("system \"k9\" not found"), "찾을 수 없음: system \"k9\"");
        assert_eq!(ko("user \"kim\" not found"), "찾을 수 없음: user \"kim\"");
        assert_eq!(
            ko("viewer may not change the registry (it needs one of the roles admin, secretariat, member)"),
            "viewer에게는 레지스트리 변경 권한이 없습니다 (필요한 역할: admin, secretariat, member)"
        );
    }

    #[test]
    fn common_problems_are_translated_and_locations_kept() {
        assert_eq!(
            ko("$.systems[3].name: must not be empty"),
            "$.systems[3].name: 비어 있으면 안 됩니다"
        );
        assert_eq!(
            ko("systems.csv:5, column origin: unknown nation \"XXX\""),
            "systems.csv:5, column origin: 알 수 없는 국가: \"XXX\""
        );
        assert_eq!(
            ko("$.nations[0]: missing field `name`"),
            "$.nations[0]: 필수 필드가 없습니다: `name`"
        );
        assert_eq!(
            ko("$.systems[1]: duplicate system \"k9\" (first at $.systems[0])"),
            "$.systems[1]: 중복된 무기체계: \"k9\" (처음 나온 곳: $.systems[0])"
        );
        assert_eq!(
            ko("\"k 9\" is not a valid id (letters, digits, '.', '_' and '-', starting with a letter or digit)"),
            "\"k 9\"은(는) 올바른 식별자가 아닙니다 (영문자, 숫자, '.', '_', '-'만 쓰며 영문자나 숫자로 시작)"
        );
        assert_eq!(
            ko("nation \"KOR\" listed twice"),
            "국가 \"KOR\"이(가) 두 번 나옵니다"
        );
        // The values may move: the membership's dates are swapped in Korean.
        assert_eq!(
            ko("membership ends (2001) before it starts (2004)"),
            "회원 자격이 시작(2004)하기 전에 끝납니다(2001)"
        );
    }

    #[test]
    fn the_workspace_is_translated_with_its_states() {
        assert_eq!(
            ko("status: a proposal cannot go from tabled to agreed (from tabled: under-consideration, withdrawn)"),
            "status: 제안은 상정됨에서 합의됨(으)로 갈 수 없습니다 (상정됨에서 갈 수 있는 상태: under-consideration, withdrawn)"
        );
        assert_eq!(
            ko("status: minutes \"m\" are draft: the next step is circulated, not approved"),
            "status: 회의록 \"m\"은(는) 초안 상태입니다: 다음 단계는 승인됨이(가) 아니라 회람 중입니다"
        );
        assert_eq!(
            ko("--status: \"late\" is not a meeting status (planned, held, cancelled)"),
            "--status: \"late\"은(는) 회의 상태가 아닙니다 (가능한 값: planned, held, cancelled)"
        );
        assert_eq!(
            ko("meeting \"wg\" not found"),
            "찾을 수 없음: meeting \"wg\""
        );
    }

    #[test]
    fn joined_problems_are_translated_one_by_one() {
        assert_eq!(
            ko("must not be empty; something we do not know; unknown standard \"S\""),
            "비어 있으면 안 됩니다; something we do not know; 알 수 없는 표준: \"S\""
        );
    }

    #[test]
    fn unknown_messages_stay_english() {
        for m in [
            "",
            "something else",
            "{}",
            "not found",
            " not found",
            "unknown  \"\"",
        ] {
            assert_eq!(ko(m), m, "{m:?}");
        }
        let huge = "a".repeat(MAX_TRANSLATED + 1) + " not found";
        assert_eq!(ko(&huge), huge);
    }

    #[test]
    fn patterns_and_templates_agree() {
        for (pattern, template) in MESSAGES.0 {
            let holes = pattern.matches("{}").count();
            for n in 0..holes {
                assert!(
                    template.contains(&format!("{{{n}}}")),
                    "{pattern}: {{{n}}} unused"
                );
            }
            assert!(!template.contains(&format!("{{{holes}}}")), "{pattern}");
            assert!(
                template.chars().any(|c| ('가'..='힣').contains(&c)),
                "{template}"
            );
        }
        // An entry's pattern is not matched first by an earlier, more general entry.
        for (i, (pattern, _)) in MESSAGES.0.iter().enumerate() {
            let example = pattern.replace("{}", "x1");
            let first = MESSAGES
                .0
                .iter()
                .position(|(p, _)| matches(p, &example).is_some());
            assert_eq!(first, Some(i), "{pattern} is shadowed");
        }
    }
}
