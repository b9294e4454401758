//! Signing in and out, the first administrator's setup page, `/api/v1/me`, and the account bar
//! every page carries.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use defcoop_app::{AppError, NewUser};
use serde::{Deserialize, Serialize};

use crate::auth::{
    cookie, over_tls, same_secret, set_cookie, Peer, Via, Who, FORM_COOKIE, SESSION_COOKIE,
};
use crate::error::{ApiError, Query};
use crate::i18n::{text, Lang, Text};
use crate::{AppState, WebError};

/// The sign-in and account strings, per language.
pub struct AuthText {
    pub sign_in: &'static str,
    pub sign_in_intro: &'static str,
    pub user_name: &'static str,
    pub password: &'static str,
    pub password_again: &'static str,
    pub token_note: &'static str,
    pub bad_credentials: &'static str,
    pub throttled: &'static str,
    pub form_expired: &'static str,
    pub signed_in_as: &'static str,
    pub sign_out: &'static str,
    pub setup_title: &'static str,
    pub setup_intro: &'static str,
    pub setup_invalid: &'static str,
    pub nationality: &'static str,
    pub organization: &'static str,
    pub create_admin: &'static str,
    pub passwords_differ: &'static str,
    pub sign_in_with: &'static str,
    pub or_password: &'static str,
    pub oidc_not_valid: &'static str,
    pub oidc_failed: &'static str,
    pub oidc_refused: &'static str,
    pub oidc_not_linked: &'static str,
    pub oidc_disabled: &'static str,
    pub oidc_unavailable: &'static str,
}

const EN: AuthText = AuthText {
    sign_in: "Sign in",
    sign_in_intro: "Sign in with the account the secretariat created for you.",
    user_name: "User name",
    password: "Password",
    password_again: "Password again",
    token_note: "Programs use an API token instead: Authorization: Bearer TOKEN.",
    bad_credentials: "The user name or the password is not right.",
    throttled: "Too many failed sign-ins. Try again in a few minutes.",
    form_expired: "The form expired. Please try again.",
    signed_in_as: "Signed in as",
    sign_out: "Sign out",
    setup_title: "Create the first administrator",
    setup_intro: "Nobody has an account yet. This one-time link creates the administrator, who then adds everyone else.",
    setup_invalid: "This setup link is not valid (any more). Start the server again for a new one.",
    nationality: "Nationality (ISO alpha-3)",
    organization: "Organization",
    create_admin: "Create administrator",
    passwords_differ: "The two passwords differ.",
    sign_in_with: "Sign in with your organization's account:",
    or_password: "Or with a password:",
    oidc_not_valid: "This sign-in is not valid (any more). Start again from the sign-in page.",
    oidc_failed: "The identity provider's answer could not be verified. Start again from the sign-in page.",
    oidc_refused: "The identity provider did not sign you in.",
    oidc_not_linked: "Your organization's account is not linked to an account here. The secretariat must link it first (defcoop user link).",
    oidc_disabled: "The account linked to this identity may not sign in.",
    oidc_unavailable: "The identity provider cannot be reached. Try again later.",
};

const KO: AuthText = AuthText {
    sign_in: "로그인",
    sign_in_intro: "사무국이 만들어 준 계정으로 로그인하십시오.",
    user_name: "사용자 이름",
    password: "비밀번호",
    password_again: "비밀번호 확인",
    token_note: "프로그램은 API 토큰을 씁니다: Authorization: Bearer TOKEN.",
    bad_credentials: "사용자 이름 또는 비밀번호가 올바르지 않습니다.",
    throttled: "로그인 실패가 너무 많습니다. 몇 분 뒤에 다시 시도하십시오.",
    form_expired: "양식이 만료되었습니다. 다시 시도하십시오.",
    signed_in_as: "로그인 사용자",
    sign_out: "로그아웃",
    setup_title: "첫 관리자 만들기",
    setup_intro:
        "아직 계정이 없습니다. 이 일회용 링크로 관리자를 만들면, 관리자가 다른 사용자를 추가합니다.",
    setup_invalid:
        "이 설정 링크는 (더 이상) 유효하지 않습니다. 새 링크를 받으려면 서버를 다시 시작하십시오.",
    nationality: "국적 (ISO 3자리 코드)",
    organization: "소속 기관",
    create_admin: "관리자 만들기",
    passwords_differ: "두 비밀번호가 다릅니다.",
    sign_in_with: "소속 기관 계정으로 로그인:",
    or_password: "또는 비밀번호로 로그인:",
    oidc_not_valid: "이 로그인은 (더 이상) 유효하지 않습니다. 로그인 페이지에서 다시 시작하십시오.",
    oidc_failed: "신원 제공자의 응답을 검증할 수 없습니다. 로그인 페이지에서 다시 시작하십시오.",
    oidc_refused: "신원 제공자가 로그인을 거부했습니다.",
    oidc_not_linked: "소속 기관 계정이 이곳의 계정에 연결되어 있지 않습니다. 사무국이 먼저 연결해야 합니다 (defcoop user link).",
    oidc_disabled: "이 신원에 연결된 계정은 로그인할 수 없습니다.",
    oidc_unavailable: "신원 제공자에 연결할 수 없습니다. 나중에 다시 시도하십시오.",
};

pub fn auth_text(lang: Lang) -> &'static AuthText {
    match lang {
        Lang::En => &EN,
        Lang::Ko => &KO,
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
    next: Option<String>,
    token: Option<String>,
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    lang: &'static str,
    t: &'static Text,
    a: &'static AuthText,
    csrf: String,
    next: String,
    name: String,
    error: Option<&'static str>,
    /// (link, button text) per registered identity provider.
    providers: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    lang: &'static str,
    t: &'static Text,
    a: &'static AuthText,
    csrf: String,
    token: String,
    name: String,
    nationality: String,
    organization: String,
    error: Option<String>,
}

/// Where to go after signing in: a path on this site only (never `//host` or a URL).
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && n.len() <= 2000
                && !n.chars().any(|c| c.is_control()) =>
        {
            n.to_string()
        }
        _ => "/".into(),
    }
}

/// The form token: the browser's form cookie, or a new one (then set with the page).
fn form_token(headers: &HeaderMap) -> Result<(String, bool), WebError> {
    match cookie(headers, FORM_COOKIE) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok((t.to_string(), false))
        }
        _ => Ok((
            defcoop_app::accounts::random_token().map_err(WebError::App)?,
            true,
        )),
    }
}

fn html_with_cookie(
    status: StatusCode,
    body: String,
    form: Option<(&str, bool)>,
    headers: &HeaderMap,
) -> Response {
    let mut r = (status, Html(body)).into_response();
    if let Some((token, true)) = form {
        r.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(FORM_COOKIE, token, None, over_tls(headers)),
        );
    }
    r
}

/// The sign-in page's identity provider buttons: (link, text), each coming back to `next`.
async fn provider_links(
    state: &AppState,
    next: &str,
    lang: Lang,
) -> Result<Vec<(String, String)>, WebError> {
    let query =
        serde_urlencoded::to_string([("next", next), ("lang", lang.code())]).unwrap_or_default();
    Ok(state
        .app
        .sign_in_providers()
        .await?
        .into_iter()
        .map(|p| (format!("/signin/oidc/{}?{query}", p.id), p.name))
        .collect())
}

/// `GET /signin`.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let (csrf, new) = form_token(&headers)?;
    let next = safe_next(q.next.as_deref());
    let page = SignInPage {
        lang: lang.code(),
        t: text(lang),
        a: auth_text(lang),
        csrf: csrf.clone(),
        providers: provider_links(&state, &next, lang).await?,
        next,
        name: String::new(),
        error: None,
    };
    Ok(html_with_cookie(
        StatusCode::OK,
        page.render()?,
        Some((&csrf, new)),
        &headers,
    ))
}

#[derive(Deserialize)]
pub struct SignInForm {
    name: String,
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

/// `POST /signin`: a new session (replacing the browser's old one), then back to `next`.
pub async fn sign_in(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> Result<Response, WebError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let a = auth_text(lang);
    let (csrf, new) = form_token(&headers)?;
    let providers = provider_links(&state, &safe_next(Some(&f.next)), lang).await?;
    let again = |status: StatusCode, error: &'static str| -> Result<Response, WebError> {
        let page = SignInPage {
            lang: lang.code(),
            t: text(lang),
            a,
            csrf: csrf.clone(),
            providers: providers.clone(),
            next: safe_next(Some(&f.next)),
            name: defcoop_app::render::cut(&f.name, 64),
            error: Some(error),
        };
        Ok(html_with_cookie(
            status,
            page.render()?,
            Some((&csrf, new)),
            &headers,
        ))
    };
    if new || !same_secret(&f.csrf, &csrf) {
        return again(StatusCode::FORBIDDEN, a.form_expired);
    }
    let addr = peer.map_or_else(|| "unknown".to_string(), |p| p.0 .0.ip().to_string());
    let old = cookie(&headers, SESSION_COOKIE);
    match state.app.sign_in(&f.name, &f.password, &addr, old).await {
        Ok(session) => Ok(signed_in(&session, &safe_next(Some(&f.next)), &headers)),
        Err(AppError::Unauthenticated(_)) => again(StatusCode::UNAUTHORIZED, a.bad_credentials),
        Err(AppError::Throttled(secs)) => {
            let mut r = again(StatusCode::TOO_MANY_REQUESTS, a.throttled)?;
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

/// The answer to a sign-in: the session cookie, and a redirect.
fn signed_in(
    session: &defcoop_app::accounts::NewSession,
    next: &str,
    headers: &HeaderMap,
) -> Response {
    let mut r = Redirect::to(next).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &session.secret, None, over_tls(headers)),
    );
    r
}

#[derive(Deserialize)]
pub struct SignOutForm {
    #[serde(default)]
    everywhere: Option<String>,
}

/// `POST /signout` (with the session's CSRF token, checked by the middleware): ends the
/// session, or with `everywhere` all of the user's sessions.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<SignOutForm>,
) -> Result<Response, WebError> {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        state.app.sign_out(secret, f.everywhere.is_some()).await?;
    }
    let mut r = Redirect::to("/signin").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), over_tls(&headers)),
    );
    Ok(r)
}

/// `GET /setup?token=`: the first administrator's form, while no user exists.
pub async fn setup_page(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let token = q.token.unwrap_or_default();
    if !state.app.setup_link_valid(&token).await? {
        return Ok(crate::error::error_page(
            StatusCode::NOT_FOUND,
            auth_text(lang).setup_invalid,
            lang,
        ));
    }
    let (csrf, new) = form_token(&headers)?;
    let page = SetupPage {
        lang: lang.code(),
        t: text(lang),
        a: auth_text(lang),
        csrf: csrf.clone(),
        token,
        name: String::new(),
        nationality: String::new(),
        organization: String::new(),
        error: None,
    };
    Ok(html_with_cookie(
        StatusCode::OK,
        page.render()?,
        Some((&csrf, new)),
        &headers,
    ))
}

#[derive(Deserialize)]
pub struct SetupForm {
    token: String,
    name: String,
    nationality: String,
    organization: String,
    password: String,
    password2: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /setup`: creates the first administrator and signs them in.
pub async fn setup(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
    Form(f): Form<SetupForm>,
) -> Result<Response, WebError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let a = auth_text(lang);
    let (csrf, new) = form_token(&headers)?;
    let again = |status: StatusCode, error: String| -> Result<Response, WebError> {
        let page = SetupPage {
            lang: lang.code(),
            t: text(lang),
            a,
            csrf: csrf.clone(),
            token: f.token.clone(),
            name: defcoop_app::render::cut(&f.name, 64),
            nationality: defcoop_app::render::cut(&f.nationality, 8),
            organization: defcoop_app::render::cut(&f.organization, 200),
            error: Some(error),
        };
        Ok(html_with_cookie(
            status,
            page.render()?,
            Some((&csrf, new)),
            &headers,
        ))
    };
    if new || !same_secret(&f.csrf, &csrf) {
        return again(StatusCode::FORBIDDEN, a.form_expired.into());
    }
    if f.password != f.password2 {
        return again(StatusCode::UNPROCESSABLE_ENTITY, a.passwords_differ.into());
    }
    let new_user = NewUser {
        name: f.name.clone(),
        nationality: f.nationality.clone(),
        organization: f.organization.clone(),
        roles: vec![],
        clearance: vec![],
        categories: vec![],
        password: Some(f.password.clone()),
        person: None,
    };
    match state.app.setup_first_admin(&f.token, new_user).await {
        Ok(session) => Ok(signed_in(&session, "/", &headers)),
        Err(AppError::Unauthenticated(_)) => Ok(crate::error::error_page(
            StatusCode::NOT_FOUND,
            a.setup_invalid,
            lang,
        )),
        Err(AppError::BadRequest(m)) => again(StatusCode::UNPROCESSABLE_ENTITY, m),
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/v1/me`: who the request acts as.
#[derive(Serialize)]
pub struct Me {
    name: String,
    roles: Vec<&'static str>,
    clearance: Option<defcoop_domain::Clearance>,
    person: Option<String>,
    via: &'static str,
}

#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "service",
    responses(
        (status = 200, description = "Who the request acts as.", body = crate::openapi::schema::Me),
        (status = 401, response = crate::openapi::schema::Unauthenticated),
        (status = 503, response = crate::openapi::schema::Unavailable),
    ),
)]
pub async fn me(who: Who) -> Result<Json<Me>, ApiError> {
    let clearance = match who.actor.reader() {
        defcoop_domain::Reader::Full => None,
        defcoop_domain::Reader::Cleared(c) => Some(c.clone()),
    };
    Ok(Json(Me {
        name: who.actor.name().to_string(),
        roles: who.actor.roles().iter().map(|r| r.as_str()).collect(),
        clearance,
        person: who.actor.person().map(str::to_string),
        via: match who.via {
            Via::Fixed => "fixed",
            Via::Token => "token",
            Via::Session { .. } => "session",
        },
    }))
}

/// The account bar of a page: who is signed in, and the sign-out button (with the session's
/// CSRF token). Empty for requests without a session.
pub fn account_bar(who: &Who, lang: Lang) -> String {
    let a = auth_text(lang);
    let name = escape(who.actor.name());
    match &who.via {
        Via::Session { csrf } => format!(
            "<div class=\"account\"><span>{}: <b>{name}</b></span>\
             <form method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <button type=\"submit\">{}</button></form></div>",
            a.signed_in_as,
            escape(csrf),
            a.sign_out
        ),
        _ => format!(
            "<div class=\"account\"><span>{}: <b>{name}</b></span></div>",
            a.signed_in_as
        ),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/transfers?lang=ko")), "/transfers?lang=ko");
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "",
            "x",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
