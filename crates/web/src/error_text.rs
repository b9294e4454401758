//! Errors in the reader's language: the heading and explanation of every status's error page,
//! and the catalogue of the messages this crate writes (the application's are in
//! `defcoop_app::render::MESSAGES`). [`crate::error::uniform`] translates every error answer's
//! message, JSON or page, by the request's language.

use axum::http::StatusCode;
use defcoop_app::render::{message_in, Catalogue, MESSAGES};

use crate::i18n::Lang;

/// The error page's heading and explanation for `status`, in `lang`.
pub fn status_text(lang: Lang, status: StatusCode) -> (&'static str, &'static str) {
    let (en, ko) = match status.as_u16() {
        400 => (
            ("The request is not valid", "Something in the request is wrong; the details below say what."),
            ("요청이 올바르지 않습니다", "요청에 잘못된 부분이 있습니다. 아래 세부 정보를 확인하십시오."),
        ),
        401 => (
            ("Sign-in needed", "Sign in, or send a valid API token, and try again."),
            ("로그인이 필요합니다", "로그인하거나 유효한 API 토큰을 보내고 다시 시도하십시오."),
        ),
        403 => (
            ("Not allowed", "Your account may not do this. Ask the secretariat if you need it."),
            ("허용되지 않습니다", "이 계정으로는 이 작업을 할 수 없습니다. 필요하면 사무국에 문의하십시오."),
        ),
        404 => (
            ("Page not found", "There is no page at this address. Check the address, or start again from the registry."),
            ("페이지를 찾을 수 없습니다", "이 주소에는 페이지가 없습니다. 주소를 확인하거나 레지스트리에서 다시 시작하십시오."),
        ),
        405 => (
            ("Method not allowed", "This address does not answer this kind of request."),
            ("허용되지 않는 메서드입니다", "이 주소는 이런 종류의 요청에 응답하지 않습니다."),
        ),
        408 => (
            ("The request took too long", "The request did not arrive in time. Please try again."),
            ("요청 시간이 초과되었습니다", "요청이 제시간에 도착하지 않았습니다. 다시 시도하십시오."),
        ),
        409 => (
            ("Conflict", "This clashes with what is already stored; the details below say what."),
            ("충돌", "이미 저장된 내용과 충돌합니다. 아래 세부 정보를 확인하십시오."),
        ),
        413 => (
            ("Too large", "What was sent is larger than the server accepts."),
            ("너무 큽니다", "보낸 내용이 서버가 받을 수 있는 크기보다 큽니다."),
        ),
        415 => (
            ("Unsupported content type", "Send the body as JSON (or XML where the API says so)."),
            ("지원하지 않는 콘텐츠 유형입니다", "본문을 JSON(API가 허용하는 곳에서는 XML)으로 보내십시오."),
        ),
        422 => (
            ("The input has problems", "Nothing was written. Correct the problems below and try again."),
            ("입력에 문제가 있습니다", "아무것도 기록하지 않았습니다. 아래 문제를 고친 뒤 다시 시도하십시오."),
        ),
        429 => (
            ("Too many attempts", "Wait a little, then try again."),
            ("시도가 너무 많습니다", "잠시 기다린 뒤 다시 시도하십시오."),
        ),
        502 => (
            ("Another server did not answer", "A server this one depends on (an identity provider) did not answer. Please try again later."),
            ("다른 서버가 응답하지 않았습니다", "이 서버가 의존하는 서버(신원 제공자)가 응답하지 않았습니다. 나중에 다시 시도하십시오."),
        ),
        503 => (
            ("Busy for a moment", "The server is busy. Please try again in a moment."),
            ("잠시 사용 중입니다", "서버가 사용 중입니다. 잠시 후 다시 시도하십시오."),
        ),
        s if s >= 500 => (
            ("The server could not answer", "This is not your fault. Please try again in a moment."),
            ("서버가 응답할 수 없습니다", "사용자의 잘못이 아닙니다. 잠시 후 다시 시도하십시오."),
        ),
        _ => (
            ("The request cannot be answered", "Something in the request is wrong; the details below say what."),
            ("요청에 응답할 수 없습니다", "요청에 잘못된 부분이 있습니다. 아래 세부 정보를 확인하십시오."),
        ),
    };
    match lang {
        Lang::En => en,
        Lang::Ko => ko,
    }
}

/// The messages this crate writes (routing, limits, sign-in, the guard, extractors).
pub static WEB_MESSAGES: Catalogue = Catalogue(&[
    ("no page at {}", "{0}에 페이지가 없습니다"),
    (
        "no kind of record \"{}\" (kinds: {})",
        "\"{0}\"라는 종류의 기록은 없습니다 (종류: {1})",
    ),
    ("method {} is not allowed on {}", "{1}에서는 {0} 메서드를 쓸 수 없습니다"),
    (
        "the server took too long to answer; try again shortly",
        "서버의 응답이 너무 늦었습니다. 잠시 후 다시 시도하십시오",
    ),
    ("the request took too long", "요청 시간이 초과되었습니다"),
    ("request body too large", "요청 본문이 너무 큽니다"),
    (
        "the database is busy; try again shortly",
        "데이터베이스가 사용 중입니다. 잠시 후 다시 시도하십시오",
    ),
    ("internal error", "내부 오류"),
    (
        "sign in first: send Authorization: Bearer TOKEN (create one with `defcoop token create`)",
        "먼저 로그인하십시오: Authorization: Bearer TOKEN 헤더를 보내십시오 (`defcoop token create`로 토큰을 만듭니다)",
    ),
    ("sign in first", "먼저 로그인하십시오"),
    (
        "the Authorization header must be \"Bearer TOKEN\"",
        "Authorization 헤더는 \"Bearer TOKEN\" 형식이어야 합니다",
    ),
    (
        "the request lacks this session's CSRF token (reload the page and try again)",
        "요청에 이 세션의 CSRF 토큰이 없습니다 (페이지를 새로 고친 뒤 다시 시도하십시오)",
    ),
    ("the form is too large", "양식이 너무 큽니다"),
    (
        "cross-site requests may not change anything",
        "다른 사이트에서 온 요청은 아무것도 바꿀 수 없습니다",
    ),
    (
        "Origin \"{}\" is not this server ({}): requests from other sites may not change anything",
        "Origin \"{0}\"은(는) 이 서버({1})가 아닙니다: 다른 사이트에서 온 요청은 아무것도 바꿀 수 없습니다",
    ),
    (
        "the Origin header is not readable text",
        "Origin 헤더를 읽을 수 없습니다",
    ),
    (
        "{}: send Content-Type: application/json or application/xml",
        "{0}: Content-Type: application/json 또는 application/xml로 보내십시오",
    ),
    (
        "no language \"{}\" (there are en and ko)",
        "\"{0}\" 언어는 없습니다 (en과 ko가 있습니다)",
    ),
    ("query string: {}", "쿼리 문자열: {0}"),
    ("path: {}", "경로: {0}"),
    ("request body: {}", "요청 본문: {0}"),
    // The workspace's parameters and forms.
    (
        "give exactly one of person, organization and nation",
        "인물, 기관, 국가 중 정확히 하나를 주십시오",
    ),
    (
        "the period ends ({}) before it starts ({})",
        "기간이 시작({1})하기 전에 끝납니다({0})",
    ),
    ("{}: \"{}\" is not a date (YYYY-MM-DD)", "{0}: \"{1}\"은(는) 날짜(YYYY-MM-DD)가 아닙니다"),
    ("\"{}\" is not a date (YYYY-MM-DD)", "\"{0}\"은(는) 날짜(YYYY-MM-DD)가 아닙니다"),
    ("state: \"{}\" is not one of {}", "state: \"{0}\"은(는) 다음 중 하나가 아닙니다: {1}"),
    (
        "status: \"{}\" is not planned, held or cancelled",
        "status: \"{0}\"은(는) planned, held, cancelled 중 하나가 아닙니다",
    ),
    (
        "send the request as JSON (Content-Type: application/json)",
        "요청을 JSON으로 보내십시오 (Content-Type: application/json)",
    ),
    ("must be open, done or cancelled", "open, done, cancelled 중 하나여야 합니다"),
    ("choose the state to move to", "변경할 상태를 고르십시오"),
    ("choose consensus or vote", "합의 또는 표결을 고르십시오"),
    ("\"{}\" is not a number", "\"{0}\"은(는) 숫자가 아닙니다"),
    ("\"{}\" is not an outcome", "\"{0}\"은(는) 결과 값이 아닙니다"),
]);

/// `message` in `lang`, by this crate's catalogue and the application's.
pub fn translate(lang: Lang, message: &str) -> String {
    message_in(lang.render(), message, &[&WEB_MESSAGES, &MESSAGES]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_both_languages() {
        for code in [
            400, 401, 403, 404, 405, 408, 409, 413, 415, 418, 422, 429, 500, 502, 503, 504,
        ] {
            let status = StatusCode::from_u16(code).unwrap();
            let (en, en_x) = status_text(Lang::En, status);
            let (ko, ko_x) = status_text(Lang::Ko, status);
            assert!(en.is_ascii() && en_x.is_ascii(), "{code}");
            for s in [ko, ko_x] {
                assert!(s.chars().any(|c| ('가'..='힣').contains(&c)), "{code}: {s}");
            }
        }
    }

    #[test]
    fn web_messages_are_translated() {
        assert_eq!(
            translate(Lang::Ko, "no page at /x"),
            "/x에 페이지가 없습니다"
        );
        assert_eq!(
            translate(Lang::Ko, "method DELETE is not allowed on /"),
            "/에서는 DELETE 메서드를 쓸 수 없습니다"
        );
        assert_eq!(translate(Lang::En, "no page at /x"), "no page at /x");
        // The application's messages too, through both catalogues.
        assert_eq!(
            translate(Lang::Ko, "transfer \"t-1\" not found"),
            "찾을 수 없음: transfer \"t-1\""
        );
        for (pattern, template) in WEB_MESSAGES.0 {
            for n in 0..pattern.matches("{}").count() {
                assert!(template.contains(&format!("{{{n}}}")), "{pattern}");
            }
        }
    }
}
