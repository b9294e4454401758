//! Who a request acts as, and the checks every request passes before a handler runs.
//!
//! - `Authorization: Bearer TOKEN` (programs): the token's user; any other `Authorization`, or
//!   a token that is unknown, expired or revoked, is 401.
//! - The session cookie (browsers): the session's user; an ended session counts as none, and
//!   its cookie is cleared.
//! - Neither: `/api/...` is 401 with `WWW-Authenticate: Bearer`, a page is a redirect to the
//!   sign-in page (which comes back to it), except the public routes ([`is_public`]).
//!
//! A state-changing request made with a session must carry the session's CSRF token, in the
//! `X-CSRF-Token` header or, for an HTML form, its `csrf` field; without it, 403. (Bearer
//! tokens are not sent by browsers on their own, so they need none.) The sign-in and setup
//! forms, made before any session exists, carry a token that must equal a cookie set with the
//! form (double submit); the Origin check of [`crate::guard`] applies to all of them.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use defcoop_app::{Actor, AppError};

use crate::error::ApiError;
use crate::AppState;

/// The session cookie.
pub const SESSION_COOKIE: &str = "defcoop_session";
/// The cookie the sign-in and setup forms' token must equal.
pub const FORM_COOKIE: &str = "defcoop_form";
/// The header a session's CSRF token travels in for requests that are not forms.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How a request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// The application was built to act as one actor (tests, embedders).
    Fixed,
    /// An API token.
    Token,
    /// A browser session, with the CSRF token its forms carry.
    Session { csrf: String },
}

/// The request's actor: handlers take it as an argument.
#[derive(Debug, Clone)]
pub struct Who {
    pub actor: Actor,
    pub via: Via,
}

impl FromRequestParts<AppState> for Who {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Who>()
            .cloned()
            .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, SIGN_IN_FIRST))
    }
}

/// The peer's address, set by the serving loop (the sign-in throttle counts per address).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub std::net::SocketAddr);

const SIGN_IN_FIRST: &str =
    "sign in first: send Authorization: Bearer TOKEN (create one with `defcoop token create`)";

/// Routes anyone may request: health, the sign-in and setup pages, sign-in through an
/// identity provider (`/signin/oidc/...`), the API's description, the language choice
/// (`/lang/...`, also before signing in), and calendar feeds (`/calendar/feed/...`, whose
/// secret is their own credential, checked by their handler).
pub fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/healthz" | "/readyz" | "/signin" | "/setup" | "/api/openapi.json" | "/static/search.js"
    ) || path.starts_with("/signin/oidc/")
        || path.starts_with("/lang/")
        || path.starts_with("/calendar/feed/")
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether the request reached us over TLS (through a proxy that says so): cookies are then
/// `Secure`.
pub fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure over TLS; `max_age` 0 clears.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    // Names and values are ASCII we made (hex, fixed names).
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Equal strings, compared in time that depends on their length only.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The middleware: finds who the request acts as (or answers 401 / redirects), and checks
/// the CSRF token of state-changing requests made with a session.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let lang = crate::i18n::Lang::pick(
        req.uri()
            .query()
            .and_then(|q| form_field(q.as_bytes(), "lang"))
            .as_deref(),
        req.headers(),
    );
    if let Some(actor) = &state.fixed {
        let who = Who {
            actor: actor.clone(),
            via: Via::Fixed,
        };
        req.extensions_mut().insert(who.clone());
        return with_account_bar(next.run(req).await, &who, lang).await;
    }
    let path = req.uri().path().to_string();
    if is_public(&path) {
        return next.run(req).await;
    }
    let api = path.starts_with("/api/");
    let mut clear_cookie = false;
    let who = if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim().to_string());
        let Some(token) = token else {
            return unauthorized("the Authorization header must be \"Bearer TOKEN\"");
        };
        match state.app.authenticate_token(&token).await {
            Ok(actor) => Some(Who {
                actor,
                via: Via::Token,
            }),
            Err(AppError::Unauthenticated(m)) => return unauthorized(&m),
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else if let Some(secret) = cookie(req.headers(), SESSION_COOKIE).map(str::to_string) {
        match state.app.session_actor(&secret).await {
            Ok(s) => Some(Who {
                actor: s.actor,
                via: Via::Session { csrf: s.csrf },
            }),
            Err(AppError::Unauthenticated(_)) => {
                clear_cookie = true;
                None
            }
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else {
        None
    };
    let Some(who) = who else {
        let mut response = if api {
            unauthorized(SIGN_IN_FIRST)
        } else if matches!(*req.method(), Method::GET | Method::HEAD) {
            let back = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_string();
            let query = serde_urlencoded::to_string([("next", back.as_str())]).unwrap_or_default();
            Redirect::to(&format!("/signin?{query}")).into_response()
        } else {
            ApiError::new(StatusCode::UNAUTHORIZED, "sign in first").into_response()
        };
        if clear_cookie {
            let secure = over_tls(req.headers());
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, "", Some(0), secure),
            );
        }
        return response;
    };
    if let Via::Session { csrf } = &who.via {
        if crate::guard::changes_state(req.method()) {
            req = match check_csrf(req, csrf, state.max_body_bytes).await {
                Ok(req) => req,
                Err(e) => return e.into_response(),
            };
        }
    }
    req.extensions_mut().insert(who.clone());
    with_account_bar(next.run(req).await, &who, lang).await
}

/// Where pages say who is signed in: `base.html` leaves this mark in its header, so that a page
/// rendered once for everyone who shares a view is told apart per user only here.
const ACCOUNT_MARK: &str = "<!--account-->";
/// Pages larger than this are sent without the account bar rather than buffered.
const MAX_PAGE: usize = 16 * 1024 * 1024;

/// Puts the account bar into an HTML page.
async fn with_account_bar(response: Response, who: &Who, lang: crate::i18n::Lang) -> Response {
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE).await else {
        tracing::warn!("page too large for the account bar");
        return (StatusCode::INTERNAL_SERVER_ERROR, "page too large\n").into_response();
    };
    let page = match String::from_utf8(bytes.to_vec()) {
        Ok(page) if page.contains(ACCOUNT_MARK) => {
            page.replacen(ACCOUNT_MARK, &crate::signin::account_bar(who, lang), 1)
        }
        _ => return Response::from_parts(parts, Body::from(bytes)),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

fn unauthorized(message: &str) -> Response {
    let mut r = ApiError::new(StatusCode::UNAUTHORIZED, message).into_response();
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"defcoop\""),
    );
    r
}

/// Checks a session request's CSRF token: in the header, or in the `csrf` field of a form
/// body (read here, within the body limit, and handed on unchanged).
async fn check_csrf(req: Request, expected: &str, limit: usize) -> Result<Request, ApiError> {
    let forbidden = || {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "the request lacks this session's CSRF token (reload the page and try again)",
        )
    };
    if let Some(given) = req.headers().get(CSRF_HEADER) {
        return match given.to_str() {
            Ok(given) if same_secret(given, expected) => Ok(req),
            _ => Err(forbidden()),
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(forbidden());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "the form is too large"))?;
    let token = form_field(&bytes, "csrf");
    match token {
        Some(given) if same_secret(&given, expected) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(forbidden()),
    }
}

/// One field of an `application/x-www-form-urlencoded` body.
pub fn form_field(bytes: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; defcoop_session=abc"),
        );
        h.append(header::COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "b"), Some("2"));
        assert_eq!(cookie(&h, "defcoop"), None);
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", "a"));
    }

    #[test]
    fn cookies_are_http_only_and_secure_over_tls() {
        let c = set_cookie(SESSION_COOKIE, "x", None, true);
        assert_eq!(
            c.to_str().unwrap(),
            "defcoop_session=x; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        let c = set_cookie(SESSION_COOKIE, "", Some(0), false);
        assert!(c.to_str().unwrap().contains("Max-Age=0"));
    }
}
