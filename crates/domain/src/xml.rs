//! A small XML tree read with quick-xml, for the SPIF and STANAG 4774 readers: elements with
//! their namespace URI, local name, plain attributes, direct text and byte offset. Problems
//! carry a byte offset, turned into a line by the caller.
//!
//! quick-xml is lenient about names; this reader also checks that element and attribute names
//! and namespace prefixes are legal XML names (ASCII exactly, non-ASCII letters accepted), so a
//! document such as `xmlns:4774="..."` is refused as the malformed XML it is.
//!
//! What the reader builds is bounded: elements nest at most [`MAX_DEPTH`] deep and a document
//! holds at most [`MAX_ELEMENTS`] elements, so hostile input can neither overflow the stack
//! (the tree is dropped, and read by the callers, recursively) nor build a tree much larger
//! than the bytes it came from. Both limits are far above any SPIF or label.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

use crate::import::Problem;
use crate::location::{line_col, utf8};

/// One element of a document.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    /// Namespace URI, `None` when the name is in no namespace.
    pub ns: Option<String>,
    pub local: String,
    /// The name as written (with its prefix), for messages.
    pub qname: String,
    /// Attributes as written (`key` with its prefix, if any), namespace declarations left out.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text (text, CDATA and references between its children), unchanged.
    pub text: String,
    /// Byte offset of the element's `<`.
    pub offset: usize,
}

impl Element {
    /// An unprefixed attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the element is `local` in namespace `ns`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns.as_deref() == Some(ns) && self.local == local
    }
}

/// The location `name:line` of a byte offset.
pub(crate) fn at(name: &str, bytes: &[u8], offset: usize) -> String {
    format!("{name}:{}", line_col(bytes, offset).0)
}

/// Parses a whole document into its root element. A problem's location is `name:line`.
pub(crate) fn parse(name: &str, bytes: &[u8]) -> Result<Element, Problem> {
    let text =
        utf8(bytes).map_err(|p| Problem::new(format!("{name}: {}", p.location), p.message))?;
    parse_str(text).map_err(|(offset, message)| Problem::new(at(name, bytes, offset), message))
}

/// How deep elements may nest (the root is at depth 1). SPIFs nest about 8 deep.
pub(crate) const MAX_DEPTH: usize = 100;
/// How many elements a document may hold. NATO's SPIF has about 1,100.
pub(crate) const MAX_ELEMENTS: usize = 100_000;

type Failure = (usize, String);

fn parse_str(text: &str) -> Result<Element, Failure> {
    let mut reader = NsReader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elements = 0usize;
    loop {
        let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_resolved_event();
        let (ns, event) = match event {
            Ok(x) => x,
            Err(e) => {
                let offset = usize::try_from(reader.error_position()).unwrap_or(pos);
                return Err((offset, format!("malformed XML: {e}")));
            }
        };
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                let _ = e;
                return Err((pos, "malformed XML: more than one root element".into()));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let ns = match ns {
                    ResolveResult::Bound(n) => {
                        Some(String::from_utf8_lossy(n.as_ref()).into_owned())
                    }
                    ResolveResult::Unbound => None,
                    ResolveResult::Unknown(p) => {
                        return Err((
                            pos,
                            format!(
                                "malformed XML: namespace prefix \"{}\" is not declared",
                                String::from_utf8_lossy(&p)
                            ),
                        ))
                    }
                };
                elements += 1;
                if elements > MAX_ELEMENTS {
                    return Err((pos, format!("XML has more than {MAX_ELEMENTS} elements")));
                }
                if stack.len() >= MAX_DEPTH {
                    let column = line_col(text.as_bytes(), pos).1;
                    return Err((
                        pos,
                        format!(
                            "XML nested deeper than {MAX_DEPTH} elements (column {column}: <{}> opens level {})",
                            String::from_utf8_lossy(e.name().as_ref()),
                            stack.len() + 1
                        ),
                    ));
                }
                let element = element(text, pos, ns, e)?;
                if empty {
                    close(element, &mut stack, &mut root);
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                // quick-xml checks that end names match.
                if let Some(element) = stack.pop() {
                    close(element, &mut stack, &mut root);
                }
            }
            Event::Text(t) => {
                let content = t
                    .xml10_content()
                    .map_err(|e| (pos, format!("malformed XML: {e}")))?;
                push_text(&mut stack, &content, pos)?;
            }
            Event::CData(t) => {
                let content = t
                    .xml10_content()
                    .map_err(|e| (pos, format!("malformed XML: {e}")))?;
                push_text(&mut stack, &content, pos)?;
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let entity = String::from_utf8_lossy(&r).into_owned();
                        match quick_xml::escape::resolve_predefined_entity(&entity) {
                            Some(s) => s.to_string(),
                            None => {
                                return Err((
                                    pos,
                                    format!("malformed XML: unknown entity \"&{entity};\""),
                                ))
                            }
                        }
                    }
                    Err(e) => return Err((pos, format!("malformed XML: {e}"))),
                };
                push_text(&mut stack, &resolved, pos)?;
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err((
                        text.len(),
                        format!(
                            "malformed XML: the document ends before <{}> (line {}) is closed",
                            open.qname,
                            line_col(text.as_bytes(), open.offset).0
                        ),
                    ));
                }
                return root.ok_or_else(|| (text.len(), "malformed XML: no root element".into()));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
}

fn close(element: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn push_text(stack: &mut [Element], content: &str, pos: usize) -> Result<(), Failure> {
    match stack.last_mut() {
        Some(top) => {
            top.text.push_str(content);
            Ok(())
        }
        None if content.trim().is_empty() => Ok(()),
        None => Err((pos, "malformed XML: text outside the root element".into())),
    }
}

fn element(text: &str, pos: usize, ns: Option<String>, e: &BytesStart) -> Result<Element, Failure> {
    let qname = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    if let Err(why) = qualified_name(&qname) {
        return Err((
            pos,
            format!("malformed XML: the element name \"{qname}\" is not a legal XML name ({why})"),
        ));
    }
    let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| (pos, format!("malformed XML: in <{qname}>: {err}")))?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        // Locate the attribute itself (it may be on a later line than the tag).
        let key_at = text
            .get(pos..)
            .and_then(|rest| rest.find(&key))
            .map_or(pos, |i| pos + i);
        if let Some(prefix) = key.strip_prefix("xmlns:") {
            if let Err(why) = nc_name(prefix) {
                return Err((
                    key_at,
                    format!(
                        "malformed XML: the namespace prefix \"{prefix}\" (declared by {key}) is not a legal XML name: {why}"
                    ),
                ));
            }
            continue;
        }
        if let Err(why) = qualified_name(&key) {
            return Err((
                key_at,
                format!(
                    "malformed XML: the attribute name \"{key}\" is not a legal XML name ({why})"
                ),
            ));
        }
        if key == "xmlns" {
            continue;
        }
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| (key_at, format!("malformed XML: attribute {key}: {err}")))?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        ns,
        local,
        qname,
        attrs,
        children: Vec::new(),
        text: String::new(),
        offset: pos,
    })
}

/// A qualified name: an NCName, or two joined by one ':'.
fn qualified_name(name: &str) -> Result<(), String> {
    match name.split_once(':') {
        None => nc_name(name),
        Some((prefix, local)) => {
            nc_name(prefix)?;
            nc_name(local)
        }
    }
}

/// An XML name without ':' (XML Names "NCName"); non-ASCII characters are accepted as letters.
fn nc_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err("a name cannot be empty".into());
    };
    if first.is_ascii_digit() {
        return Err("a name cannot start with a digit".into());
    }
    if !(first.is_ascii_alphabetic() || first == '_' || !first.is_ascii()) {
        return Err(format!("a name cannot start with '{first}'"));
    }
    match chars
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') || !c.is_ascii()))
    {
        Some(c) => Err(format!("a name cannot contain '{c}'")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_namespaces_attributes_text_and_offsets() {
        let doc = "<?xml version=\"1.0\"?>\n<p:a xmlns:p=\"urn:x\" k=\"v&amp;w\">\n <b>t&lt;<![CDATA[&]]>&#65;</b><c/></p:a>";
        let root = parse("d.xml", doc.as_bytes()).unwrap();
        assert!(root.is("urn:x", "a"));
        assert_eq!(root.attr("k"), Some("v&w"));
        assert_eq!(root.children.len(), 2);
        assert_eq!(root.children[0].ns, None);
        assert_eq!(root.children[0].text, "t<&A");
        assert_eq!(
            at("d.xml", doc.as_bytes(), root.children[1].offset),
            "d.xml:3"
        );
    }

    #[test]
    fn malformed_documents_are_located() {
        for (doc, line, needle) in [
            ("<a>\n<b></a>", 2, "malformed XML"),
            ("<a>\n<b>", 2, "before <b>"),
            ("<a/>\n<b/>", 2, "more than one root"),
            ("", 1, "no root element"),
            ("<a>\n&nope;</a>", 2, "unknown entity"),
            ("<a\n xmlns:4x=\"u\"/>", 2, "cannot start with a digit"),
            ("<1a/>", 1, "element name"),
            ("<q:a/>", 1, "not declared"),
            ("<a b=\"1\" b=\"2\"/>", 1, "malformed XML"),
        ] {
            let p = parse("d.xml", doc.as_bytes()).unwrap_err();
            assert_eq!(p.location, format!("d.xml:{line}"), "{doc:?}: {p}");
            assert!(p.message.contains(needle), "{doc:?}: {p}");
        }
        let p = parse("d.xml", b"<a>\n\xff</a>").unwrap_err();
        assert!(p.location.starts_with("d.xml: line 2"), "{p}");
        assert!(p.message.contains("not UTF-8"), "{p}");
    }

    const LEVELS: usize = 1_000_000;

    /// A million nested elements: refused at the first element too deep, located, in a normal
    /// test thread (the tree used to overflow the stack when dropped).
    #[test]
    fn deep_nesting_is_refused_with_line_and_column() {
        let doc = format!(
            "<r>\n  {}{}</r>",
            "<a>".repeat(LEVELS),
            "</a>".repeat(LEVELS)
        );
        let p = parse("d.xml", doc.as_bytes()).unwrap_err();
        assert_eq!(p.location, "d.xml:2");
        let column = 3 + 3 * (MAX_DEPTH - 1);
        assert_eq!(
            p.message,
            format!("XML nested deeper than {MAX_DEPTH} elements (column {column}: <a> opens level 101)")
        );
        // Exactly the limit is fine; empty elements count as a level too.
        let ok = format!(
            "{}<b/>{}",
            "<a>".repeat(MAX_DEPTH - 1),
            "</a>".repeat(MAX_DEPTH - 1)
        );
        assert!(parse("d.xml", ok.as_bytes()).is_ok());
        let over = format!(
            "{}<b/>{}",
            "<a>".repeat(MAX_DEPTH),
            "</a>".repeat(MAX_DEPTH)
        );
        assert!(parse("d.xml", over.as_bytes())
            .unwrap_err()
            .message
            .contains("nested deeper"));
    }

    #[test]
    fn too_many_elements_are_refused() {
        let doc = format!("<r>{}</r>", "<a/>".repeat(MAX_ELEMENTS));
        let p = parse("d.xml", doc.as_bytes()).unwrap_err();
        assert!(p.message.contains("more than 100000 elements"), "{p}");
        let doc = format!("<r>{}</r>", "<a/>".repeat(MAX_ELEMENTS - 1));
        assert_eq!(
            parse("d.xml", doc.as_bytes()).unwrap().children.len(),
            MAX_ELEMENTS - 1
        );
    }

    #[test]
    fn names() {
        assert!(nc_name("spif").is_ok() && nc_name("s4774").is_ok() && nc_name("é-1").is_ok());
        assert!(nc_name("4774").is_err() && nc_name("").is_err() && nc_name("-a").is_err());
        assert!(qualified_name("a:b").is_ok() && qualified_name("a:b:c").is_err());
    }
}
