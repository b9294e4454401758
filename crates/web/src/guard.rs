//! The guard of state-changing requests (POST, PUT, PATCH, DELETE): they must come from the
//! server's own origin. Browsers send `Origin` (and `Sec-Fetch-Site`) on cross-site requests,
//! so a page elsewhere cannot make a signed-in browser write here: such a request is 403 before
//! anything reads its body. (Who may write what is the roles' business, in the application
//! layer; the session's CSRF token is checked by [`crate::auth`].)

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Whether a request asks to change state.
pub fn changes_state(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// Refuses a state-changing request from another origin (403).
pub async fn writes(req: Request, next: Next) -> Response {
    if changes_state(req.method()) {
        if let Err(e) = same_origin(req.headers()) {
            return e.into_response();
        }
    }
    next.run(req).await
}

/// Checks that a request was not sent by a page of another site: `Sec-Fetch-Site: cross-site`
/// is refused, and so is an `Origin` whose host and port are not the request's `Host`.
/// Requests without `Origin` (programs, the CLI) pass: browsers always send it on the
/// requests this guards.
pub fn same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let forbidden = |why: String| Err(ApiError::new(StatusCode::FORBIDDEN, why));
    if let Some(site) = headers.get("sec-fetch-site") {
        if site.as_bytes().eq_ignore_ascii_case(b"cross-site") {
            return forbidden("cross-site requests may not change anything".into());
        }
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let Ok(origin) = origin.to_str() else {
        return forbidden("the Origin header is not readable text".into());
    };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return forbidden(format!(
            "Origin \"{origin}\" cannot be checked: the request has no Host"
        ));
    };
    match (parse_origin(origin), split_host(host)) {
        (Some((scheme, o_host, o_port)), Some((h_host, h_port))) => {
            let default = if scheme == "https" { 443 } else { 80 };
            if o_host.eq_ignore_ascii_case(h_host) && o_port == h_port.unwrap_or(default) {
                Ok(())
            } else {
                forbidden(format!(
                    "Origin \"{origin}\" is not this server ({host}): requests from other sites may not change anything"
                ))
            }
        }
        _ => forbidden(format!(
            "Origin \"{origin}\" is not this server ({host}): requests from other sites may not change anything"
        )),
    }
}

/// `scheme://host[:port]` → (scheme, host, port or the scheme's default). `null` and anything
/// else is `None`.
fn parse_origin(origin: &str) -> Option<(&str, &str, u16)> {
    let (scheme, rest) = origin.split_once("://")?;
    let default = match scheme {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let (host, port) = split_host(rest)?;
    Some((scheme, host, port.unwrap_or(default)))
}

/// `host[:port]` (with `[v6]` literals) → (host, port).
fn split_host(s: &str) -> Option<(&str, Option<u16>)> {
    if s.is_empty() || s.contains(['/', '@', '?', '#']) {
        return None;
    }
    let (host, port) = match s.strip_prefix('[') {
        Some(v6) => {
            let (addr, after) = v6.split_once(']')?;
            match after {
                "" => (addr, None),
                p => (addr, Some(p.strip_prefix(':')?)),
            }
        }
        None => match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        },
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    Some((host, port))
}

/// Whether a request body is XML (`application/xml`, `text/xml`) or JSON
/// (`application/json`, `application/*+json`); anything else, or no `Content-Type`, is 415. A
/// form or `text/plain` body, which any page may send anywhere, is never read as JSON.
pub fn xml_or_json(headers: &HeaderMap) -> Result<bool, ApiError> {
    let unsupported = |what: &str| {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("{what}: send Content-Type: application/json or application/xml"),
        ))
    };
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return unsupported("the request has no Content-Type");
    };
    let Ok(value) = value.to_str() else {
        return unsupported("the Content-Type is not readable text");
    };
    let media = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media.as_str() {
        "application/xml" | "text/xml" => Ok(true),
        "application/json" => Ok(false),
        m if m.starts_with("application/") && m.ends_with("+json") => Ok(false),
        m if m.starts_with("application/") && m.ends_with("+xml") => Ok(true),
        _ => unsupported(&format!(
            "Content-Type \"{}\" is not supported",
            crate::error::cut(value)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(origin: Option<&str>, host: Option<&str>, site: Option<&str>) -> bool {
        let mut h = HeaderMap::new();
        for (name, v) in [("origin", origin), ("host", host), ("sec-fetch-site", site)] {
            if let Some(v) = v {
                h.insert(name, v.parse().unwrap());
            }
        }
        same_origin(&h).is_ok()
    }

    #[test]
    fn only_the_servers_own_origin_may_write() {
        let host = Some("registry.example:8080");
        assert!(check(None, host, None), "no Origin: not a browser");
        assert!(check(Some("http://registry.example:8080"), host, None));
        assert!(check(Some("http://REGISTRY.example:8080"), host, None));
        assert!(check(
            Some("http://registry.example:8080"),
            host,
            Some("same-origin")
        ));
        assert!(check(
            Some("https://registry.example"),
            Some("registry.example"),
            None
        ));
        assert!(check(
            Some("http://registry.example"),
            Some("registry.example:80"),
            None
        ));
        assert!(check(Some("http://[::1]:3000"), Some("[::1]:3000"), None));

        assert!(!check(Some("http://evil.example:8080"), host, None));
        assert!(!check(Some("http://registry.example:8081"), host, None));
        assert!(!check(Some("http://registry.example"), host, None));
        assert!(!check(
            Some("https://registry.example"),
            Some("registry.example:80"),
            None
        ));
        assert!(!check(
            Some("http://registry.example.evil:8080"),
            host,
            None
        ));
        assert!(!check(
            Some("http://user@registry.example:8080"),
            host,
            None
        ));
        assert!(!check(Some("null"), host, None));
        assert!(!check(Some("file://"), host, None));
        assert!(!check(Some("http://registry.example:8080"), None, None));
        assert!(!check(None, host, Some("cross-site")));
        assert!(!check(
            Some("http://registry.example:8080"),
            host,
            Some("Cross-Site")
        ));
    }
}
