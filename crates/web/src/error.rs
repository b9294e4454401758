//! Every error the server answers, one shape each: `{"error": message}` JSON under `/api`, an
//! HTML page (English or Korean) elsewhere, with the right status.
//!
//! Handlers return [`ApiError`] (client errors, with a message that says what to fix) or
//! [`WebError`] (server errors: logged, opaque). The extractors here ([`Query`], [`Path`],
//! [`Body`]) turn axum's plain-text rejections into `ApiError`s, and [`uniform`], the outermost
//! layer, gives the same shape to errors nobody wrote a message for (an unknown route, a wrong
//! method, a time-out) and renders every error outside `/api` as a page.

use askama::Template;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::error_text::translate;
use crate::i18n::{error_text, text, ErrorText, Lang, Text};

/// Longest message an error carries, in characters; longer ones are cut with "…" (a message
/// may quote the input, which may be huge).
pub const MAX_MESSAGE: usize = 200;

/// Seconds a client should wait before retrying a 503.
pub const RETRY_AFTER_SECONDS: u32 = 1;

/// `s`, cut to [`MAX_MESSAGE`] characters with "…" when longer.
pub fn cut(s: &str) -> String {
    match s.char_indices().nth(MAX_MESSAGE) {
        None => s.to_string(),
        Some((at, _)) => format!("{}…", &s[..at]),
    }
}

/// An error answer: status and a message that says what is wrong (cut to [`MAX_MESSAGE`]).
#[derive(Debug, Clone)]
pub struct ApiError(pub StatusCode, pub String);

/// The message of an error response, whole (not cut), kept for [`uniform`] to translate it
/// and render it as a page.
#[derive(Debug, Clone)]
pub(crate) struct ErrorMessage(String);

/// The extension that makes [`uniform`] show `message` on the error page.
pub(crate) fn message_of(message: String) -> ErrorMessage {
    ErrorMessage(message)
}

impl ApiError {
    pub fn new(status: StatusCode, msg: impl Into<String>) -> Self {
        ApiError(status, msg.into())
    }

    pub fn bad_request(msg: impl Into<String>) -> Self {
        ApiError(StatusCode::BAD_REQUEST, msg.into())
    }

    pub fn not_found(msg: impl Into<String>) -> Self {
        ApiError(StatusCode::NOT_FOUND, msg.into())
    }

    pub fn status(&self) -> StatusCode {
        self.0
    }

    pub fn message(&self) -> &str {
        &self.1
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = cut(&self.1);
        let mut response = (self.0, Json(json!({ "error": message }))).into_response();
        if self.0 == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        response.extensions_mut().insert(ErrorMessage(self.1));
        response
    }
}

/// What went wrong serving a request on the server's side: logged, and answered without
/// details: 503 with `Retry-After` when the database is busy, else 500.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    App(#[from] defcoop_app::AppError),
    #[error("template: {0}")]
    Render(#[from] askama::Error),
}

impl From<WebError> for ApiError {
    fn from(e: WebError) -> Self {
        match e {
            // The application's own answers (not found, forbidden, bad request...) keep
            // their status; only what is left is the server's fault.
            WebError::App(e) => ApiError::from(e),
            e => server_side(e),
        }
    }
}

/// A server-side failure: 503 with `Retry-After` when the database is busy, else an opaque 500
/// (the cause is logged).
pub(crate) fn server_side(e: WebError) -> ApiError {
    match e {
        WebError::App(defcoop_app::AppError::Store(defcoop_store::StoreError::Busy(why))) => {
            tracing::warn!(%why, "database busy");
            ApiError(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is busy; try again shortly".into(),
            )
        }
        e => {
            tracing::error!(error = %e, "request failed");
            ApiError(StatusCode::INTERNAL_SERVER_ERROR, "internal error".into())
        }
    }
}

impl From<defcoop_store::StoreError> for ApiError {
    fn from(e: defcoop_store::StoreError) -> Self {
        WebError::App(defcoop_app::AppError::Store(e)).into()
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

/// `axum::extract::Query` whose rejection is an [`ApiError`] (400 with where the query is wrong).
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(e) => Err(query_rejection(e)),
        }
    }
}

fn query_rejection(e: QueryRejection) -> ApiError {
    ApiError(e.status(), format!("query string: {}", e.body_text()))
}

/// `axum::extract::Path` whose rejection is an [`ApiError`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(e) => Err(path_rejection(e)),
        }
    }
}

fn path_rejection(e: PathRejection) -> ApiError {
    ApiError(e.status(), format!("path: {}", e.body_text()))
}

/// The request body as bytes, at most the router's body limit: a longer body is 413.
#[derive(Debug, Clone, Default)]
pub struct Body(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => Ok(Body(b)),
            Err(e) => Err(body_rejection(e)),
        }
    }
}

fn body_rejection(e: BytesRejection) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request body too large".into(),
        );
    }
    ApiError(e.status(), format!("request body: {}", e.body_text()))
}

/// The fallback: no route has this path.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no page at {}", uri.path()))
}

/// A message for an error answer that has none (written by axum or a tower layer).
fn default_message(status: StatusCode, method: &axum::http::Method, path: &str) -> String {
    match status {
        StatusCode::NOT_FOUND => format!("no page at {path}"),
        StatusCode::METHOD_NOT_ALLOWED => format!("method {method} is not allowed on {path}"),
        StatusCode::SERVICE_UNAVAILABLE => {
            "the server took too long to answer; try again shortly".into()
        }
        StatusCode::REQUEST_TIMEOUT => "the request took too long".into(),
        StatusCode::PAYLOAD_TOO_LARGE => "request body too large".into(),
        s => s.canonical_reason().unwrap_or("error").to_string(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: &'static str,
    t: &'static Text,
    e: &'static ErrorText,
    heading: &'static str,
    explanation: &'static str,
    status: u16,
    message: &'a str,
}

/// Whether `path` is the JSON API's.
pub fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// The outermost layer: every error answer in one shape. Under `/api`, JSON
/// `{"error": message}`; elsewhere an HTML page in the reader's language. Error answers that
/// already have a body of their own and no [`ApiError`] behind them (`/readyz`) are kept.
pub async fn uniform(req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let path = cut(req.uri().path());
    let method = req.method().clone();
    let lang = Lang::pick(
        crate::lang::query_lang(req.uri().query()).map(Lang::code),
        req.headers(),
    );
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let message = match response.extensions().get::<ErrorMessage>().cloned() {
        Some(_) if api && lang == Lang::En => return response,
        Some(ErrorMessage(m)) if api => return translated_json(response, &m, lang).await,
        Some(ErrorMessage(m)) => m,
        None if is_empty(&response) => default_message(status, &method, &path),
        None => return response,
    };
    let (mut parts, _) = response.into_parts();
    let mut fresh = if api {
        ApiError(status, translate(lang, &message)).into_response()
    } else {
        error_page(status, &message, lang)
    };
    // Keep what the original answer said beyond its body (`Allow`, `Retry-After`, the
    // authentication challenge, a cookie cleared).
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.remove(&name) {
            fresh.headers_mut().insert(name, v);
        }
    }
    for v in parts.headers.get_all(header::SET_COOKIE) {
        fresh.headers_mut().append(header::SET_COOKIE, v.clone());
    }
    fresh
}

fn is_empty(response: &Response) -> bool {
    use axum::body::HttpBody;
    response.body().size_hint().exact() == Some(0)
}

/// Largest JSON error body translated; larger ones are sent as they are.
const MAX_ERROR_BODY: usize = 1024 * 1024;

/// A JSON error answer with its messages in `lang`: `error` (from the whole message, then
/// cut), and the `message` of every object in an array of the answer (field errors), while
/// every other member (field names, paths) stays as it is.
async fn translated_json(response: Response, whole: &str, lang: Lang) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return (parts.status, Json(json!({ "error": cut(whole) }))).into_response();
    };
    let Ok(serde_json::Value::Object(mut object)) = serde_json::from_slice(&bytes) else {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    if object.get("error").is_some_and(|e| e.is_string()) {
        object.insert("error".into(), cut(&translate(lang, whole)).into());
    }
    for value in object.values_mut() {
        let serde_json::Value::Array(items) = value else {
            continue;
        };
        for item in items {
            if let Some(serde_json::Value::String(m)) = item.get_mut("message") {
                *m = cut(&translate(lang, m));
            }
        }
    }
    let body = serde_json::Value::Object(object).to_string();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// The error page of `status` in `lang`, with `message` translated (and cut).
pub(crate) fn error_page(status: StatusCode, message: &str, lang: Lang) -> Response {
    let message = &cut(&translate(lang, message));
    let e = error_text(lang);
    let (heading, explanation) = crate::error_text::status_text(lang, status);
    let page = ErrorPage {
        lang: lang.code(),
        t: text(lang),
        e,
        heading,
        explanation,
        status: status.as_u16(),
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "error page");
            (status, "error\n").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_cut_on_a_character_boundary() {
        assert_eq!(cut("short"), "short");
        let exact = "a".repeat(MAX_MESSAGE);
        assert_eq!(cut(&exact), exact);
        let long = "가".repeat(MAX_MESSAGE + 5);
        let c = cut(&long);
        assert_eq!(c.chars().count(), MAX_MESSAGE + 1);
        assert!(c.ends_with('…'));
    }

    #[tokio::test]
    async fn a_busy_database_is_503_with_retry_after() {
        let e = ApiError::from(defcoop_store::StoreError::Busy("database is locked".into()));
        let r = e.into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            r.headers().get(header::RETRY_AFTER),
            Some(&HeaderValue::from(RETRY_AFTER_SECONDS))
        );
        let body = axum::body::to_bytes(r.into_body(), 1000).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(v["error"].as_str().unwrap().contains("busy"), "{v}");
        // Other database errors stay 500 and say nothing about the database.
        let e = ApiError::from(defcoop_store::StoreError::Corrupt("table x".into()));
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.message().contains("table"));
    }
}
