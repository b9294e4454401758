//! STANAG 4774 confidentiality labels as XML, to and from [`Label`].
//!
//! Written: `ConfidentialityLabel` in the 4774 namespace holding one `ConfidentialityInformation`
//! (`PolicyIdentifier`, `Classification`, then one `Category` per label category with its
//! `GenericValue`s). Read: root `ConfidentialityLabel` or `originatorConfidentialityLabel`, in
//! the 4774 namespace or in none (as the sample labels are). Other elements at the label's top
//! level (creation time, originator...) are ignored, `PrivacyMark` too (a display marking); an
//! unknown element inside `ConfidentialityInformation` or `Category` is refused, so that nothing
//! that could restrict access is dropped silently.
//!
//! Not supported: `INFORMATIVE` categories (not used for access control: defcoop has no such
//! type), and `IntegerValue` (a LACV: naming its value needs the policy's SPIF, which a label
//! alone does not carry).

use crate::import::Problem;
use crate::label::{Category, CategoryKind, Label};
use crate::xml::{self, Element};

/// The STANAG 4774 confidentiality metadata label namespace.
pub const NS: &str = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0";

/// The label as a STANAG 4774 document: same label, same bytes. Characters that XML 1.0 cannot
/// carry at all (control characters other than tab, line feed and carriage return; U+FFFE,
/// U+FFFF) are written as U+FFFD.
pub fn label_to_xml(label: &Label) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<ConfidentialityLabel xmlns=\"");
    out.push_str(NS);
    out.push_str("\"><ConfidentialityInformation><PolicyIdentifier>");
    escape(&mut out, &label.policy, false);
    out.push_str("</PolicyIdentifier><Classification>");
    escape(&mut out, &label.classification, false);
    out.push_str("</Classification>");
    for cat in &label.categories {
        out.push_str("<Category TagName=\"");
        escape(&mut out, &cat.name, true);
        out.push_str("\" Type=\"");
        out.push_str(match cat.kind {
            CategoryKind::Permissive => "PERMISSIVE",
            CategoryKind::Restrictive => "RESTRICTIVE",
        });
        out.push_str("\">");
        for v in &cat.values {
            out.push_str("<GenericValue>");
            escape(&mut out, v, false);
            out.push_str("</GenericValue>");
        }
        out.push_str("</Category>");
    }
    out.push_str("</ConfidentialityInformation></ConfidentialityLabel>\n");
    out
}

fn escape(out: &mut String, s: &str, attribute: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            // Kept as written: a raw one would be normalized away by the reader.
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// Reads a STANAG 4774 label named `name` (for messages); a problem is located `name:line`.
pub fn label_from_xml(name: &str, bytes: &[u8]) -> Result<Label, Problem> {
    let root = xml::parse(name, bytes)?;
    let fail = |e: &Element, msg: String| Problem::new(xml::at(name, bytes, e.offset), msg);
    if !(in_4774(&root)
        && matches!(
            root.local.as_str(),
            "ConfidentialityLabel" | "originatorConfidentialityLabel"
        ))
    {
        return Err(fail(
            &root,
            format!(
                "not a STANAG 4774 label (root element is {}; expected ConfidentialityLabel or originatorConfidentialityLabel)",
                root.qname
            ),
        ));
    }
    let mut infos = root
        .children
        .iter()
        .filter(|c| in_4774(c) && c.local == "ConfidentialityInformation");
    let Some(info) = infos.next() else {
        return Err(fail(
            &root,
            format!("{} has no ConfidentialityInformation", root.local),
        ));
    };
    if let Some(second) = infos.next() {
        return Err(fail(second, "a second ConfidentialityInformation".into()));
    }
    let mut policy = None;
    let mut classification = None;
    let mut categories = Vec::new();
    for e in &info.children {
        if !in_4774(e) {
            return Err(fail(e, format!("unexpected element {}", e.qname)));
        }
        match e.local.as_str() {
            "PolicyIdentifier" | "Classification" => {
                let slot = if e.local == "PolicyIdentifier" {
                    &mut policy
                } else {
                    &mut classification
                };
                if slot.is_some() {
                    return Err(fail(e, format!("{} given twice", e.local)));
                }
                no_children(name, bytes, e)?;
                *slot = Some(e.text.clone());
            }
            "Category" => categories.push(category(name, bytes, e)?),
            "PrivacyMark" => {}
            other => {
                return Err(fail(
                    e,
                    format!("element {other} in ConfidentialityInformation is not supported"),
                ))
            }
        }
    }
    let missing = |what: &str| fail(info, format!("ConfidentialityInformation has no {what}"));
    Ok(Label {
        policy: policy.ok_or_else(|| missing("PolicyIdentifier"))?,
        classification: classification.ok_or_else(|| missing("Classification"))?,
        categories,
    })
}

fn in_4774(e: &Element) -> bool {
    e.ns.is_none() || e.ns.as_deref() == Some(NS)
}

fn no_children(name: &str, bytes: &[u8], e: &Element) -> Result<(), Problem> {
    match e.children.first() {
        Some(c) => Err(Problem::new(
            xml::at(name, bytes, c.offset),
            format!("{} holds text only, not element {}", e.local, c.qname),
        )),
        None => Ok(()),
    }
}

fn category(name: &str, bytes: &[u8], e: &Element) -> Result<Category, Problem> {
    let fail = |at: &Element, msg: String| Problem::new(xml::at(name, bytes, at.offset), msg);
    let Some(tag) = e.attr("TagName") else {
        return Err(fail(e, "Category has no TagName".into()));
    };
    let kind = match e.attr("Type").map(str::to_ascii_uppercase).as_deref() {
        Some("PERMISSIVE") => CategoryKind::Permissive,
        Some("RESTRICTIVE") => CategoryKind::Restrictive,
        Some("INFORMATIVE") => {
            return Err(fail(
                e,
                format!("category \"{tag}\": Type INFORMATIVE is not supported (only PERMISSIVE and RESTRICTIVE categories control access)"),
            ))
        }
        Some(_) | None => {
            return Err(fail(
                e,
                format!(
                    "category \"{tag}\": Type {} is not PERMISSIVE or RESTRICTIVE",
                    e.attr("Type")
                        .map_or("(missing)".to_string(), |t| format!("\"{t}\""))
                ),
            ))
        }
    };
    let mut values = Vec::new();
    for v in &e.children {
        match (in_4774(v), v.local.as_str()) {
            (true, "GenericValue") => {
                no_children(name, bytes, v)?;
                values.push(v.text.clone());
            }
            (true, "IntegerValue") => {
                return Err(fail(
                    v,
                    format!("category \"{tag}\": IntegerValue is not supported (a LACV names a value only through the policy's SPIF; write GenericValue with the value's name)"),
                ))
            }
            _ => {
                return Err(fail(
                    v,
                    format!("category \"{tag}\": unexpected element {}", v.qname),
                ))
            }
        }
    }
    Ok(Category {
        kind,
        name: tag.to_string(),
        values,
    })
}

// A label in a dataset is the JSON object or a string of STANAG 4774 XML: reading it is this
// module's business, not the label rule's.

/// The object form of a label, as read.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename = "Label")]
struct LabelObject {
    policy: String,
    classification: String,
    #[serde(default)]
    categories: Vec<Category>,
}

impl<'de> serde::Deserialize<'de> for Label {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LabelVisitor)
    }
}

struct LabelVisitor;

impl<'de> serde::de::Visitor<'de> for LabelVisitor {
    type Value = Label;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a label object or a string holding a STANAG 4774 XML label")
    }

    fn visit_str<E: serde::de::Error>(self, xml: &str) -> Result<Label, E> {
        label_from_xml("label", xml.as_bytes()).map_err(|p| {
            let line = p.location.strip_prefix("label:").unwrap_or(&p.location);
            E::custom(format!("STANAG 4774 label, line {line}: {}", p.message))
        })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Label, A::Error> {
        let o = <LabelObject as serde::Deserialize>::deserialize(
            serde::de::value::MapAccessDeserializer::new(map),
        )?;
        Ok(Label {
            policy: o.policy,
            classification: o.classification,
            categories: o.categories,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::{check_label, LabelError, Policies};
    use proptest::prelude::*;

    fn shared(file: &str) -> Vec<u8> {
        crate::testdata::read(&format!("labels/{file}"))
    }

    /// The sample with its namespace prefix renamed to a legal one.
    fn corrected(file: &str) -> Vec<u8> {
        let bytes = shared(file);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("xmlns:4774="));
        text.replace("xmlns:4774=", "xmlns:s4774=").into_bytes()
    }

    fn cat(kind: CategoryKind, name: &str, values: &[&str]) -> Category {
        Category {
            kind,
            name: name.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn the_samples_are_malformed_xml() {
        for (file, line) in [("label1.xml", 2), ("label2.xml", 3)] {
            let p = label_from_xml(file, &shared(file)).unwrap_err();
            assert_eq!(p.location, format!("{file}:{line}"));
            assert_eq!(
                p.message,
                "malformed XML: the namespace prefix \"4774\" (declared by xmlns:4774) is not a legal XML name: a name cannot start with a digit"
            );
        }
    }

    #[test]
    fn the_corrected_samples_read() {
        let l1 = label_from_xml("label1.xml", &corrected("label1.xml")).unwrap();
        assert_eq!(
            l1,
            Label {
                policy: "ACME".into(),
                classification: "INTERNAL".into(),
                categories: vec![
                    cat(
                        CategoryKind::Restrictive,
                        "Sensitive",
                        &["RED", "BLUE", "GREEN"]
                    ),
                    cat(CategoryKind::Permissive, "Administrative", &["HUMAN"]),
                ],
            }
        );
        let l2 = label_from_xml("label2.xml", &corrected("label2.xml")).unwrap();
        assert_eq!(
            l2,
            Label {
                policy: "ACME".into(),
                classification: "INTERNAL".into(),
                categories: vec![],
            }
        );
    }

    #[test]
    fn the_corrected_samples_against_the_acme_spif() {
        let acme = crate::spif::parse_spif("ACME.xml", &shared("ACME.xml")).unwrap();
        let policies = Policies::new(&[acme]);
        let mut l1 = label_from_xml("label1.xml", &corrected("label1.xml")).unwrap();
        // ACME's "Sensitive" tag set has RED and BLUE only.
        assert_eq!(
            check_label(&l1, &policies),
            Err(LabelError::UnknownValue {
                policy: "ACME".into(),
                name: "Sensitive".into(),
                value: "GREEN".into(),
            })
        );
        // Without GREEN: ACME's "Administrative" has STAFF, FINANCE, SALES, ENGINEERING.
        l1.categories[0].values.pop();
        assert_eq!(
            check_label(&l1, &policies),
            Err(LabelError::UnknownValue {
                policy: "ACME".into(),
                name: "Administrative".into(),
                value: "HUMAN".into(),
            })
        );
        l1.categories[1].values = vec!["STAFF".into()];
        assert_eq!(check_label(&l1, &policies), Ok(()));
        let l2 = label_from_xml("label2.xml", &corrected("label2.xml")).unwrap();
        assert_eq!(check_label(&l2, &policies), Ok(()));
    }

    #[test]
    fn writes_the_documented_form() {
        let l = Label {
            policy: "P".into(),
            classification: "A<B & \"C\"".into(),
            categories: vec![cat(CategoryKind::Permissive, "Rel \"To\"", &["KOR", "x>y"])],
        };
        assert_eq!(
            label_to_xml(&l),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <ConfidentialityLabel xmlns=\"urn:nato:stanag:4774:confidentialitymetadatalabel:1:0\">\
             <ConfidentialityInformation><PolicyIdentifier>P</PolicyIdentifier>\
             <Classification>A&lt;B &amp; \"C\"</Classification>\
             <Category TagName=\"Rel &quot;To&quot;\" Type=\"PERMISSIVE\">\
             <GenericValue>KOR</GenericValue><GenericValue>x&gt;y</GenericValue></Category>\
             </ConfidentialityInformation></ConfidentialityLabel>\n"
        );
    }

    #[test]
    fn reads_prefixed_and_case_insensitive_types() {
        let doc = format!(
            "<s:ConfidentialityLabel xmlns:s=\"{NS}\"><s:ConfidentialityInformation>\
             <s:PolicyIdentifier>P</s:PolicyIdentifier><s:Classification>C</s:Classification>\
             <s:Category TagName=\"T\" Type=\"restrictive\"><s:GenericValue>V</s:GenericValue></s:Category>\
             </s:ConfidentialityInformation><s:CreationDateTime>2020</s:CreationDateTime></s:ConfidentialityLabel>"
        );
        let l = label_from_xml("t.xml", doc.as_bytes()).unwrap();
        assert_eq!(
            l.categories,
            vec![cat(CategoryKind::Restrictive, "T", &["V"])]
        );
    }

    #[test]
    fn bad_labels_are_located() {
        let wrap = |inner: &str| {
            format!(
                "<ConfidentialityLabel>\n<ConfidentialityInformation>\n{inner}\n</ConfidentialityInformation>\n</ConfidentialityLabel>"
            )
        };
        for (doc, location, needle) in [
            (wrap("<Classification>C</Classification>"), "t.xml:2", "has no PolicyIdentifier"),
            (wrap("<PolicyIdentifier>P</PolicyIdentifier>"), "t.xml:2", "has no Classification"),
            (
                wrap("<PolicyIdentifier>P</PolicyIdentifier><Classification>C</Classification>\n<Category TagName=\"T\" Type=\"INFORMATIVE\"/>"),
                "t.xml:4",
                "Type INFORMATIVE is not supported",
            ),
            (
                wrap("<PolicyIdentifier>P</PolicyIdentifier><Classification>C</Classification>\n<Category TagName=\"T\" Type=\"PERMISSIVE\">\n<IntegerValue>1</IntegerValue></Category>"),
                "t.xml:5",
                "IntegerValue is not supported",
            ),
            (wrap("<PolicyIdentifier>P</PolicyIdentifier>\n<Secret/>"), "t.xml:4", "element Secret"),
            ("<Other/>".to_string(), "t.xml:1", "not a STANAG 4774 label (root element is Other"),
            ("<ConfidentialityLabel>\n</Oops>".to_string(), "t.xml:2", "malformed XML"),
        ] {
            let p = label_from_xml("t.xml", doc.as_bytes()).unwrap_err();
            assert_eq!(p.location, location, "{doc}: {p}");
            assert!(p.message.contains(needle), "{doc}: {p}");
        }
    }

    fn arb_text() -> impl Strategy<Value = String> {
        // Any text XML 1.0 can carry, with the characters that need escaping made likely.
        proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(vec![
                    '&', '<', '>', '"', '\'', '\r', '\n', '\t', ' ', ']'
                ]),
                any::<char>().prop_filter("XML 1.0 character", |c| {
                    !((*c as u32) < 0x20 || *c == '\u{FFFE}' || *c == '\u{FFFF}')
                }),
            ],
            0..12,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    fn arb_label() -> impl Strategy<Value = Label> {
        (
            arb_text(),
            arb_text(),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just(CategoryKind::Permissive),
                        Just(CategoryKind::Restrictive)
                    ],
                    arb_text(),
                    proptest::collection::vec(arb_text(), 0..4),
                ),
                0..4,
            ),
        )
            .prop_map(|(policy, classification, cats)| Label {
                policy,
                classification,
                categories: cats
                    .into_iter()
                    .map(|(kind, name, values)| Category { kind, name, values })
                    .collect(),
            })
    }

    const LEVELS: usize = 1_000_000;

    /// A label of a million nested elements: one located problem, no stack overflow.
    #[test]
    fn a_million_nested_elements_are_refused() {
        let doc = format!(
            "<ConfidentialityLabel xmlns=\"{NS}\">\n<ConfidentialityInformation>{}{}\
             </ConfidentialityInformation></ConfidentialityLabel>",
            "<PolicyIdentifier>".repeat(LEVELS),
            "</PolicyIdentifier>".repeat(LEVELS)
        );
        let p = label_from_xml("deep.xml", doc.as_bytes()).unwrap_err();
        assert_eq!(p.location, "deep.xml:2");
        assert!(
            p.message
                .starts_with("XML nested deeper than 100 elements (column "),
            "{p}"
        );
    }

    proptest! {
        #[test]
        fn xml_roundtrips(l in arb_label()) {
            let text = label_to_xml(&l);
            let back = label_from_xml("t.xml", text.as_bytes());
            prop_assert_eq!(back, Ok(l), "{}", text);
        }
    }
}
