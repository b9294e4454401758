//! Where each record lives: `/{plural}/{key}` (`/systems/k9`, `/conformances/k9/STANAG-4425`),
//! with the key's segments percent-encoded.

use defcoop_domain::model::Kind;

/// `key` percent-encoded for a path, keeping `/` between a conformance's two parts.
pub fn path_key(key: &str) -> String {
    key.split('/').map(segment).collect::<Vec<_>>().join("/")
}

/// One path segment, percent-encoded: everything but RFC 3986's unreserved characters.
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query-string value, percent-encoded.
pub fn query_value(s: &str) -> String {
    segment(s)
}

/// The page of the record of `kind` with key `key`.
pub fn record(kind: Kind, key: &str) -> String {
    format!("/{}/{}", kind.array(), path_key(key))
}

/// The list page of `kind`.
pub fn list(kind: Kind) -> String {
    format!("/{}", kind.array())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_encoded_per_segment() {
        assert_eq!(record(Kind::System, "k9"), "/systems/k9");
        assert_eq!(
            record(Kind::Conformance, "k9/STANAG 4425"),
            "/conformances/k9/STANAG%204425"
        );
        assert_eq!(segment("a?b#c/d"), "a%3Fb%23c%2Fd");
        assert_eq!(segment("석"), "%EC%84%9D");
    }
}
