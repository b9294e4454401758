//! Which language a request is answered in, and how a browser's choice is remembered.
//!
//! The language of a request ([`crate::i18n::Lang::pick`]): the `?lang=` query (`en` or `ko`),
//! else the `lang` cookie, else `Accept-Language` (RFC 9110 §12.5.4: the highest `q` among the
//! languages we speak wins, `q=0` means "not acceptable", `*` stands for every language the
//! header does not name, malformed parts are ignored, at most [`MAX_ACCEPT_BYTES`] bytes and
//! [`MAX_ACCEPT_PARTS`] parts are read), else English.
//!
//! The choice is remembered by the `lang` cookie (a year, `Path=/`, `SameSite=Lax`, `Secure`
//! behind TLS): `GET /lang/{en|ko}` sets it and sends the browser back (303) to the page it came
//! from, with that page's query kept but for `lang=` — the `?back=` target, else the `Referer`
//! when it is this server's, else `/`; only ever a path on this server. A page asked with a
//! `?lang=` also remembers it ([`remember`]), so a shared link in Korean keeps the next pages in
//! Korean although their own links carry no `?lang=`. The JSON API never sets the cookie.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::{cookie, over_tls};
use crate::error::{is_api, ApiError, Path, Query};
use crate::i18n::Lang;
use crate::AppState;

/// The cookie that remembers the language.
pub const LANG_COOKIE: &str = "lang";
/// How long the cookie lives: a year, in seconds.
pub const LANG_COOKIE_AGE: i64 = 365 * 24 * 60 * 60;
/// Bytes of `Accept-Language` read (all its header lines together); the rest is ignored.
pub const MAX_ACCEPT_BYTES: usize = 4096;
/// Comma-separated parts of `Accept-Language` read; the rest is ignored.
pub const MAX_ACCEPT_PARTS: usize = 64;
/// Longest return path `/lang/{code}` sends a browser back to.
pub const MAX_BACK: usize = 2000;

impl Lang {
    /// `en` or `ko` exactly; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    /// The same language for the application's renderers.
    pub fn render(self) -> defcoop_app::render::Lang {
        match self {
            Lang::En => defcoop_app::render::Lang::En,
            Lang::Ko => defcoop_app::render::Lang::Ko,
        }
    }

    /// The language remembered by the `lang` cookie, if it holds one we speak.
    pub fn from_cookie(headers: &HeaderMap) -> Option<Lang> {
        cookie(headers, LANG_COOKIE).and_then(Lang::from_code)
    }
}

/// The language `Accept-Language` prefers among those we speak, `None` when it names none of
/// them acceptably (or is absent).
pub fn accept_language(headers: &HeaderMap) -> Option<Lang> {
    let mut budget = MAX_ACCEPT_BYTES;
    let mut parts = 0usize;
    // Per language we speak: (q in thousandths, position of the range that gave it, explicit).
    let mut best: [Option<(u16, usize, bool)>; 2] = [None, None];
    let mut named = [false; 2];
    let mut wildcard: Option<(u16, usize)> = None;
    for value in headers.get_all(header::ACCEPT_LANGUAGE) {
        if budget == 0 || parts >= MAX_ACCEPT_PARTS {
            break;
        }
        let bytes = value.as_bytes();
        let bytes = &bytes[..bytes.len().min(budget)];
        budget -= bytes.len();
        // Non-UTF-8 (obs-text) makes the rest of this line unreadable: read up to it.
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
        };
        for part in text.split(',') {
            if parts >= MAX_ACCEPT_PARTS {
                break;
            }
            parts += 1;
            let Some((range, q)) = parse_part(part) else {
                continue;
            };
            let pos = parts;
            if range == "*" {
                if wildcard.is_none_or(|(wq, _)| q > wq) {
                    wildcard = Some((q, pos));
                }
                continue;
            }
            let primary = range.split('-').next().unwrap_or("");
            for (i, lang) in [Lang::En, Lang::Ko].into_iter().enumerate() {
                if primary.eq_ignore_ascii_case(lang.code()) {
                    named[i] = true;
                    if best[i].is_none_or(|(bq, _, _)| q > bq) {
                        best[i] = Some((q, pos, true));
                    }
                }
            }
        }
    }
    // `*` stands for the languages no range names.
    if let Some((q, pos)) = wildcard {
        for i in 0..2 {
            if !named[i] {
                best[i] = Some((q, pos, false));
            }
        }
    }
    let mut winner: Option<(Lang, (u16, usize, bool))> = None;
    for (i, lang) in [Lang::En, Lang::Ko].into_iter().enumerate() {
        let Some(b) = best[i].filter(|(q, _, _)| *q > 0) else {
            continue;
        };
        // Higher q wins; then a range naming the language over `*`; then the range listed
        // first; then English (the order of the loop).
        let better = match winner {
            None => true,
            Some((_, w)) => (b.0, b.2, std::cmp::Reverse(b.1)) > (w.0, w.2, std::cmp::Reverse(w.1)),
        };
        if better {
            winner = Some((lang, b));
        }
    }
    winner.map(|(l, _)| l)
}

/// One `language-range [ weight ]` of `Accept-Language`: the range and q in thousandths, or
/// `None` when the part is malformed (it is then ignored).
fn parse_part(part: &str) -> Option<(&str, u16)> {
    let mut pieces = part.split(';');
    let range = pieces.next()?.trim_matches([' ', '\t']);
    if !is_language_range(range) {
        return None;
    }
    let q = match pieces.next() {
        None => 1000,
        Some(weight) => {
            let weight = weight.trim_matches([' ', '\t']);
            let value = weight
                .strip_prefix("q=")
                .or_else(|| weight.strip_prefix("Q="))?;
            qvalue(value)?
        }
    };
    // Only a weight may follow a language range.
    if pieces.next().is_some() {
        return None;
    }
    Some((range, q))
}

/// `(1*8ALPHA *("-" 1*8alphanum)) / "*"` (RFC 4647 §2.1).
fn is_language_range(range: &str) -> bool {
    if range == "*" {
        return true;
    }
    let mut subtags = range.split('-');
    let first_ok = subtags
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths.
fn qvalue(s: &str) -> Option<u16> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0'));
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    back: Option<String>,
}

/// `GET /lang/{code}`: remembers the language (`en` or `ko`) in the `lang` cookie and sends the
/// browser back (303) to where it came from, on this server only.
pub async fn switch(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<SwitchQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some(lang) = Lang::from_code(&code) else {
        return Err(ApiError::not_found(format!(
            "no language \"{}\" (there are en and ko)",
            crate::error::cut(&code)
        )));
    };
    let back = match q.back.as_deref() {
        Some(b) => local_target(b),
        None => headers
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| same_origin_path(r, &headers, &state.public_url))
            .and_then(local_target),
    }
    .unwrap_or_else(|| "/".to_string());
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        lang_cookie(lang, secure(&headers, &state)),
    );
    Ok(response)
}

fn secure(headers: &HeaderMap, state: &AppState) -> bool {
    over_tls(headers) || state.public_url.starts_with("https://")
}

/// The `Set-Cookie` value remembering `lang`.
pub fn lang_cookie(lang: Lang, secure: bool) -> HeaderValue {
    crate::auth::set_cookie(LANG_COOKIE, lang.code(), Some(LANG_COOKIE_AGE), secure)
}

/// The path and query of `referer` when it is a URL of this server (its scheme, host and port
/// are the request's `Host`, or the public URL's), else `None`.
fn same_origin_path<'a>(
    referer: &'a str,
    headers: &HeaderMap,
    public_url: &str,
) -> Option<&'a str> {
    let (scheme, rest) = referer.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let ours = |candidate: &str, candidate_scheme: Option<&str>| {
        candidate_scheme.is_none_or(|s| s == scheme)
            && same_authority(authority, candidate, &scheme)
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let public = public_url.split_once("://");
    let matches = host.is_some_and(|h| ours(h, None))
        || public.is_some_and(|(s, a)| ours(a.trim_end_matches('/'), Some(s)));
    if !matches {
        return None;
    }
    let path = path.split('#').next().unwrap_or("");
    Some(if path.is_empty() { "/" } else { path })
}

/// Whether two `host[:port]`s name the same place for `scheme` (default ports filled in).
fn same_authority(a: &str, b: &str, scheme: &str) -> bool {
    let default = if scheme == "https" { "443" } else { "80" };
    let split = |s: &str| -> (String, String) {
        let s = s.to_ascii_lowercase();
        // `[v6]:port`, `host:port`, `host`.
        match s.rfind(':') {
            Some(i) if !s[i..].contains(']') => (s[..i].to_string(), s[i + 1..].to_string()),
            _ => (s, default.to_string()),
        }
    };
    if a.is_empty() || a.contains('@') || b.is_empty() {
        return false;
    }
    split(a) == split(b)
}

/// A path (with its query) on this server to send a browser back to, with any `lang=`
/// parameter removed: it starts with one `/` (never `//` or `/\`, which browsers read as
/// another host), holds no control character, space or backslash, is not `/lang/...` itself,
/// and is at most [`MAX_BACK`] bytes. Characters beyond ASCII are percent-encoded.
pub fn local_target(target: &str) -> Option<String> {
    if !target.starts_with('/')
        || target.starts_with("//")
        || target.len() > MAX_BACK
        || target
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let target = target.split('#').next().unwrap_or("/");
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    if path == "/lang" || path.starts_with("/lang/") {
        return None;
    }
    let kept: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty() && !is_lang_pair(pair))
        .collect();
    let mut out = String::with_capacity(target.len());
    encode_into(&mut out, path);
    if !kept.is_empty() {
        out.push('?');
        encode_into(&mut out, &kept.join("&"));
    }
    Some(out)
}

/// Whether a `key=value` pair of a query is `lang` (also written percent-encoded).
fn is_lang_pair(pair: &str) -> bool {
    let key = pair.split('=').next().unwrap_or("");
    let decoded: Vec<(String, String)> =
        serde_urlencoded::from_str(&format!("{key}=")).unwrap_or_default();
    key == "lang" || decoded.first().is_some_and(|(k, _)| k == "lang")
}

/// Appends `s`, its bytes beyond printable ASCII percent-encoded.
fn encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_graphic() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// The layer that remembers a page's `?lang=`: a GET of a page (not the API) asked with
/// `lang=en` or `lang=ko` sets the `lang` cookie when the browser's differs.
pub async fn remember(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let asked = (matches!(*req.method(), Method::GET | Method::HEAD) && !is_api(req.uri().path()))
        .then(|| query_lang(req.uri().query()))
        .flatten();
    let had = Lang::from_cookie(req.headers());
    let secure = secure(req.headers(), &state);
    let mut response = next.run(req).await;
    if let Some(lang) = asked.filter(|l| had != Some(*l)) {
        response
            .headers_mut()
            .append(header::SET_COOKIE, lang_cookie(lang, secure));
    }
    response
}

/// The language a query string asks for with `lang=`, the first such parameter that names one
/// (as the pages' `Query` extractors read it).
pub fn query_lang(query: Option<&str>) -> Option<Lang> {
    let query = query?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    pairs
        .into_iter()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::from_code(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(values: &[&str]) -> Option<Lang> {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(header::ACCEPT_LANGUAGE, HeaderValue::from_str(v).unwrap());
        }
        accept_language(&h)
    }

    #[test]
    fn the_highest_q_wins_whatever_the_order() {
        assert_eq!(accept(&["en;q=0.5, ko;q=0.9"]), Some(Lang::Ko));
        assert_eq!(accept(&["ko;q=0.4,en-GB;q=0.8"]), Some(Lang::En));
        assert_eq!(accept(&["fr, de;q=0.9, ko;q=0.1"]), Some(Lang::Ko));
        assert_eq!(
            accept(&["ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7"]),
            Some(Lang::Ko)
        );
        // q=1 by default; equal q: the one listed first.
        assert_eq!(accept(&["ko, en"]), Some(Lang::Ko));
        assert_eq!(accept(&["en, ko"]), Some(Lang::En));
        assert_eq!(accept(&["en;q=0.8, ko;q=0.800"]), Some(Lang::En));
        // Across header lines too.
        assert_eq!(accept(&["en;q=0.2", "ko;q=0.3"]), Some(Lang::Ko));
        // Case does not matter in ranges and the q.
        assert_eq!(accept(&["KO-kr;Q=0.5, en;q=0.4"]), Some(Lang::Ko));
        assert_eq!(accept(&["  ko ;  q=0.5 ,\ten\t;q=0.4"]), Some(Lang::Ko));
    }

    #[test]
    fn q_zero_is_not_acceptable() {
        assert_eq!(accept(&["ko;q=0"]), None);
        assert_eq!(accept(&["ko;q=0, en;q=0.001"]), Some(Lang::En));
        assert_eq!(accept(&["en;q=0.000, ko;q=0.1"]), Some(Lang::Ko));
        assert_eq!(accept(&["en;q=0, ko;q=0"]), None);
    }

    #[test]
    fn the_wildcard_stands_for_languages_not_named() {
        assert_eq!(accept(&["*"]), Some(Lang::En));
        assert_eq!(accept(&["en;q=0, *"]), Some(Lang::Ko));
        assert_eq!(accept(&["fr, *;q=0.5, ko;q=0.6"]), Some(Lang::Ko));
        assert_eq!(accept(&["fr, *;q=0.7, ko;q=0.6"]), Some(Lang::En));
        // A named language beats `*` at the same q.
        assert_eq!(accept(&["*, ko"]), Some(Lang::Ko));
        assert_eq!(accept(&["ko;q=0, *;q=0"]), None);
        assert_eq!(accept(&["fr, de"]), None);
    }

    #[test]
    fn malformed_parts_are_ignored() {
        for bad in [
            "ko;q=2",
            "ko;q=1.5",
            "ko;q=0.1234",
            "ko;q=abc",
            "ko;q=",
            "ko;level=1",
            "ko;q=0.5;x=1",
            "ko_KR",
            "toolongsubtag",
            "ko-",
            "-ko",
            "ko;;q=1",
            "1ko",
            "",
            ";q=1",
        ] {
            assert_eq!(accept(&[bad]), None, "{bad:?}");
            assert_eq!(
                accept(&[&format!("{bad}, en;q=0.1")]),
                Some(Lang::En),
                "{bad:?}"
            );
        }
        assert_eq!(accept(&["ko;q=1.000"]), Some(Lang::Ko));
        assert_eq!(accept(&["ko;q=1.001, en;q=0.1"]), Some(Lang::En));
        assert_eq!(accept(&[",,,ko,,"]), Some(Lang::Ko));
        assert_eq!(accept(&[]), None);
    }

    #[test]
    fn huge_headers_are_read_only_so_far() {
        // Korean beyond the first 64 parts is not seen.
        let many = format!("{}ko", "fr,".repeat(MAX_ACCEPT_PARTS));
        assert_eq!(accept(&[&many]), None);
        let within = format!("{}ko", "fr,".repeat(MAX_ACCEPT_PARTS - 1));
        assert_eq!(accept(&[&within]), Some(Lang::Ko));
        // Nor beyond the first 4 KiB, across lines.
        let long = format!("x-{},ko", "a".repeat(MAX_ACCEPT_BYTES));
        assert_eq!(accept(&[&long]), None);
        let lines: Vec<String> = (0..1000).map(|_| "fr".to_string()).collect();
        let mut refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        refs.push("ko");
        assert_eq!(accept(&refs), None);
        // A megabyte is answered (quickly: a bounded number of bytes is read).
        let mega = "fr;q=0.5,".repeat(120_000);
        assert_eq!(accept(&[&mega]), None);
    }

    #[test]
    fn query_then_cookie_then_header() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("ko"));
        assert_eq!(Lang::pick(None, &h), Lang::Ko);
        h.insert(header::COOKIE, HeaderValue::from_static("a=b; lang=en"));
        assert_eq!(Lang::pick(None, &h), Lang::En);
        assert_eq!(Lang::pick(Some("ko"), &h), Lang::Ko);
        // A query or cookie naming no language of ours is ignored.
        h.insert(header::COOKIE, HeaderValue::from_static("lang=fr"));
        assert_eq!(Lang::pick(Some("xx"), &h), Lang::Ko);
        assert_eq!(Lang::pick(None, &HeaderMap::new()), Lang::En);
    }

    #[test]
    fn return_targets_are_local_paths_without_lang() {
        let t = |s: &str| local_target(s);
        assert_eq!(t("/").as_deref(), Some("/"));
        assert_eq!(
            t("/transfers?supplier=KOR&lang=ko&from=2015").as_deref(),
            Some("/transfers?supplier=KOR&from=2015")
        );
        assert_eq!(t("/x?lang=en").as_deref(), Some("/x"));
        assert_eq!(t("/x?%6Cang=en&a=1").as_deref(), Some("/x?a=1"));
        assert_eq!(t("/x?language=en").as_deref(), Some("/x?language=en"));
        assert_eq!(t("/x?a=1#frag").as_deref(), Some("/x?a=1"));
        assert_eq!(
            t("/search?q=케이9").as_deref(),
            Some("/search?q=%EC%BC%80%EC%9D%B49")
        );
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "evil.example",
            "",
            "/\t/evil.example",
            "/ /x",
            "/a\\b",
            "/lang/ko",
            "/lang",
        ] {
            assert_eq!(t(bad), None, "{bad:?}");
        }
        assert_eq!(t(&format!("/{}", "a".repeat(MAX_BACK))), None);
    }

    #[test]
    fn referers_count_only_from_this_server() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        let p = |r: &str, public: &str| same_origin_path(r, &h, public).map(str::to_string);
        let public = "http://127.0.0.1:8080";
        assert_eq!(
            p("http://127.0.0.1:8080/transfers?a=1#x", public).as_deref(),
            Some("/transfers?a=1")
        );
        assert_eq!(p("http://127.0.0.1:8080", public).as_deref(), Some("/"));
        assert_eq!(p("http://evil.example/transfers", public), None);
        assert_eq!(p("http://127.0.0.1:8081/", public), None);
        assert_eq!(p("http://127.0.0.1:8080@evil.example/", public), None);
        assert_eq!(p("javascript:alert(1)", public), None);
        // Behind a proxy: the public URL counts (and its scheme must match).
        let public = "https://defcoop.example";
        assert_eq!(
            p("https://defcoop.example/x", public).as_deref(),
            Some("/x")
        );
        assert_eq!(
            p("https://DEFCOOP.example:443/x", public).as_deref(),
            Some("/x")
        );
        assert_eq!(p("http://defcoop.example/x", public), None);
    }
}
