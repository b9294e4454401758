//! Security Policy Information Files (SPIF, xmlspif.org schema 2.1) read into a closed
//! [`Policy`]: its id, classifications in hierarchy order, category tag sets with their values
//! (excluded classes, obsolete flags) and the categories each classification requires.
//!
//! Marking data, qualifiers, equivalent policies and classifications are not read: defcoop
//! neither marks documents nor translates labels between policies.
//!
//! Tag types: `restrictive` and `permissive` (bit sets) and `enumerated` with `enumType`
//! `restrictive` / `permissive` map to the category type of the same name. `tagType7` (the
//! schema calls it "informative": not used for access control) is read as **permissive**,
//! because STANAG 4774 labels under such policies (the ACME sample `label1.xml`) carry their
//! "Administrative" tag set as `PERMISSIVE`; so a reader must hold one of the listed values.
//! `notApplicable` and any other tag type are refused as unsupported, and so is a tag set
//! whose tags have different types.

use std::collections::{HashMap, HashSet};

use crate::import::{id, Problem};
use crate::label::{
    CategoryKind, Policy, PolicyCategory, PolicyValue, RequiredOperation, RequiredValue,
    Requirement,
};
use crate::xml::{self, Element};

/// The SPIF namespace.
pub const SPIF_NS: &str = "http://www.xmlspif.org/spif";

/// Parses a SPIF 2.1 document named `name` (for messages). Every problem found is reported,
/// each located as `name:line`.
pub fn parse_spif(name: &str, bytes: &[u8]) -> Result<Policy, Vec<Problem>> {
    let root = xml::parse(name, bytes).map_err(|p| vec![p])?;
    let mut r = Spif {
        name,
        bytes,
        problems: Vec::new(),
    };
    if !root.is(SPIF_NS, "SPIF") {
        let ns = root
            .ns
            .as_deref()
            .map_or("no namespace".to_string(), |n| format!("namespace {n}"));
        return Err(vec![Problem::new(
            xml::at(name, bytes, root.offset),
            format!(
                "not a SPIF (root element is {} in {ns}; a SPIF's root is SPIF in namespace {SPIF_NS})",
                root.local
            ),
        )]);
    }
    let policy = r.policy(&root);
    if r.problems.is_empty() {
        Ok(policy)
    } else {
        Err(r.problems)
    }
}

struct Spif<'a> {
    name: &'a str,
    bytes: &'a [u8],
    problems: Vec<Problem>,
}

/// A tag set as read, with each value's LACV, to resolve requirements.
struct TagSet {
    id: Option<String>,
    category: PolicyCategory,
    lacvs: Vec<Option<String>>,
}

fn child<'e>(e: &'e Element, local: &str) -> Option<&'e Element> {
    e.children.iter().find(|c| c.is(SPIF_NS, local))
}

fn children<'e>(e: &'e Element, local: &'e str) -> impl Iterator<Item = &'e Element> + 'e {
    e.children.iter().filter(move |c| c.is(SPIF_NS, local))
}

/// `xs:boolean` true.
fn is_true(v: Option<&str>) -> bool {
    matches!(v.map(str::trim), Some("true" | "1"))
}

/// LACVs are integers (`lacvInt`), written with leading zeros in places ("008").
fn same_lacv(a: &str, b: &str) -> bool {
    match (a.trim().parse::<u64>(), b.trim().parse::<u64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

impl Spif<'_> {
    fn problem(&mut self, e: &Element, msg: impl Into<String>) {
        self.problems
            .push(Problem::new(xml::at(self.name, self.bytes, e.offset), msg));
    }

    fn policy(&mut self, root: &Element) -> Policy {
        let id = self.policy_id(root);
        let classes: Vec<(i64, &Element, String)> = self.classifications(root);
        let classifications: Vec<String> = classes.iter().map(|(_, _, n)| n.clone()).collect();
        let tag_sets = self.tag_sets(root, &classifications);
        let mut required = Vec::new();
        for (_, e, class) in &classes {
            for req in children(e, "requiredCategory") {
                if let Some(r) = self.requirement(req, class, &tag_sets) {
                    required.push(r);
                }
            }
        }
        Policy {
            id,
            classifications,
            categories: tag_sets.into_iter().map(|t| t.category).collect(),
            required,
        }
    }

    fn policy_id(&mut self, root: &Element) -> String {
        let Some(e) = child(root, "securityPolicyId") else {
            self.problem(root, "the SPIF has no securityPolicyId");
            return String::new();
        };
        let Some(name) = e.attr("name") else {
            self.problem(e, "securityPolicyId has no name");
            return String::new();
        };
        if let Err(msg) = id(name) {
            self.problem(
                e,
                format!("securityPolicyId name {msg}: defcoop uses it as the policy id"),
            );
        }
        name.to_string()
    }

    /// Classifications in ascending hierarchy, with their elements.
    fn classifications<'e>(&mut self, root: &'e Element) -> Vec<(i64, &'e Element, String)> {
        let mut out = Vec::new();
        let Some(list) = child(root, "securityClassifications") else {
            self.problem(root, "the SPIF has no securityClassifications");
            return out;
        };
        let mut names = HashSet::new();
        let mut levels: HashMap<i64, String> = HashMap::new();
        for e in children(list, "securityClassification") {
            let Some(name) = e.attr("name").map(str::to_string) else {
                self.problem(e, "securityClassification has no name");
                continue;
            };
            if name.trim().is_empty() {
                self.problem(e, "securityClassification has an empty name");
                continue;
            }
            let hierarchy = match e.attr("hierarchy").map(|h| h.trim().parse::<i64>()) {
                Some(Ok(h)) => h,
                Some(Err(_)) => {
                    self.problem(
                        e,
                        format!("classification \"{name}\": hierarchy is not an integer"),
                    );
                    continue;
                }
                None => {
                    self.problem(e, format!("classification \"{name}\" has no hierarchy"));
                    continue;
                }
            };
            if !names.insert(name.clone()) {
                self.problem(e, format!("classification \"{name}\" is defined twice"));
                continue;
            }
            if let Some(other) = levels.insert(hierarchy, name.clone()) {
                self.problem(
                    e,
                    format!(
                        "classifications \"{other}\" and \"{name}\" have the same hierarchy {hierarchy}"
                    ),
                );
            }
            out.push((hierarchy, e, name));
        }
        if out.is_empty() && self.problems.is_empty() {
            self.problem(list, "the SPIF defines no classification");
        }
        out.sort_by_key(|(h, _, _)| *h);
        out
    }

    fn tag_sets(&mut self, root: &Element, classifications: &[String]) -> Vec<TagSet> {
        let mut out: Vec<TagSet> = Vec::new();
        let Some(list) = child(root, "securityCategoryTagSets") else {
            return out;
        };
        for set in children(list, "securityCategoryTagSet") {
            let Some(name) = set.attr("name").map(str::to_string) else {
                self.problem(set, "securityCategoryTagSet has no name");
                continue;
            };
            if out.iter().any(|t| t.category.name == name) {
                self.problem(set, format!("tag set \"{name}\" is defined twice"));
                continue;
            }
            if let Some(t) = self.tag_set(set, name, classifications) {
                out.push(t);
            }
        }
        out
    }

    fn tag_set(
        &mut self,
        set: &Element,
        name: String,
        classifications: &[String],
    ) -> Option<TagSet> {
        let tags: Vec<&Element> = children(set, "securityCategoryTag").collect();
        if tags.is_empty() {
            self.problem(
                set,
                format!("tag set \"{name}\" has no securityCategoryTag"),
            );
            return None;
        }
        let mut kind = None;
        for tag in &tags {
            let k = match tag_kind(tag) {
                Ok(k) => k,
                Err(why) => {
                    self.problem(tag, format!("tag set \"{name}\": {why}"));
                    return None;
                }
            };
            match kind {
                Some(first) if first != k => {
                    self.problem(
                        tag,
                        format!(
                            "tag set \"{name}\" mixes restrictive and permissive tags: not supported"
                        ),
                    );
                    return None;
                }
                _ => kind = Some(k),
            }
        }
        let kind = kind?;
        let mut values: Vec<PolicyValue> = Vec::new();
        let mut lacvs = Vec::new();
        for tag in &tags {
            for cat in children(tag, "tagCategory") {
                let Some(value) = cat.attr("name").map(str::to_string) else {
                    self.problem(
                        cat,
                        format!("tag set \"{name}\": a tagCategory has no name"),
                    );
                    continue;
                };
                if values.iter().any(|v| v.name == value) {
                    self.problem(
                        cat,
                        format!("tag set \"{name}\": value \"{value}\" is defined twice"),
                    );
                    continue;
                }
                let mut excluded_classes = Vec::new();
                for ex in children(cat, "excludedClass") {
                    let class = ex.text.trim().to_string();
                    if classifications.contains(&class) {
                        excluded_classes.push(class);
                    } else {
                        self.problem(
                            ex,
                            format!(
                                "tag set \"{name}\", value \"{value}\": excludedClass \"{class}\" is not a classification of the policy"
                            ),
                        );
                    }
                }
                lacvs.push(cat.attr("lacv").map(str::to_string));
                values.push(PolicyValue {
                    name: value,
                    excluded_classes,
                    obsolete: is_true(cat.attr("obsolete")),
                });
            }
        }
        Some(TagSet {
            id: set.attr("id").map(str::to_string),
            category: PolicyCategory {
                name,
                kind,
                single: tags.iter().any(|t| is_true(t.attr("singleSelection"))),
                values,
            },
            lacvs,
        })
    }

    fn requirement(
        &mut self,
        req: &Element,
        class: &str,
        tag_sets: &[TagSet],
    ) -> Option<Requirement> {
        let operation = match req.attr("operation") {
            Some("oneOrMore") => RequiredOperation::OneOrMore,
            Some("onlyOne") => RequiredOperation::OnlyOne,
            Some("all") => RequiredOperation::All,
            other => {
                self.problem(
                    req,
                    format!(
                        "classification \"{class}\": requiredCategory operation {} is not one of oneOrMore, onlyOne, all",
                        other.map_or("(missing)".to_string(), |o| format!("\"{o}\""))
                    ),
                );
                return None;
            }
        };
        let mut values = Vec::new();
        let mut ok = true;
        for group in children(req, "categoryGroup") {
            let (Some(set_ref), Some(lacv)) = (group.attr("tagSetRef"), group.attr("lacv")) else {
                self.problem(
                    group,
                    format!("classification \"{class}\": a categoryGroup needs tagSetRef and lacv"),
                );
                ok = false;
                continue;
            };
            let Some(set) = tag_sets
                .iter()
                .find(|t| t.category.name == set_ref)
                .or_else(|| tag_sets.iter().find(|t| t.id.as_deref() == Some(set_ref)))
            else {
                self.problem(
                    group,
                    format!(
                        "classification \"{class}\": requiredCategory names tag set \"{set_ref}\", which the SPIF does not define"
                    ),
                );
                ok = false;
                continue;
            };
            let found = set
                .lacvs
                .iter()
                .position(|l| l.as_deref().is_some_and(|l| same_lacv(l, lacv)));
            match found.and_then(|i| set.category.values.get(i)) {
                Some(v) => values.push(RequiredValue {
                    category: set.category.name.clone(),
                    value: v.name.clone(),
                }),
                None => {
                    self.problem(
                        group,
                        format!(
                            "classification \"{class}\": tag set \"{set_ref}\" has no value with lacv {lacv}"
                        ),
                    );
                    ok = false;
                }
            }
        }
        if values.is_empty() && ok {
            self.problem(
                req,
                format!("classification \"{class}\": requiredCategory lists no categoryGroup"),
            );
            return None;
        }
        ok.then_some(Requirement {
            classification: class.to_string(),
            operation,
            values,
        })
    }
}

fn tag_kind(tag: &Element) -> Result<CategoryKind, String> {
    match (tag.attr("tagType"), tag.attr("enumType")) {
        (Some("restrictive"), _) => Ok(CategoryKind::Restrictive),
        (Some("permissive"), _) => Ok(CategoryKind::Permissive),
        (Some("enumerated"), Some("restrictive")) => Ok(CategoryKind::Restrictive),
        (Some("enumerated"), Some("permissive")) => Ok(CategoryKind::Permissive),
        (Some("enumerated"), other) => Err(format!(
            "enumerated tag with enumType {} is not supported (permissive or restrictive)",
            other.map_or("(missing)".to_string(), |o| format!("\"{o}\""))
        )),
        // Informative tags, read as permissive: see the module documentation.
        (Some("tagType7"), _) => Ok(CategoryKind::Permissive),
        (Some(other), _) => Err(format!(
            "tagType \"{other}\" is not supported (restrictive, permissive, enumerated or tagType7)"
        )),
        (None, _) => Err("securityCategoryTag has no tagType".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(file: &str) -> Vec<u8> {
        crate::testdata::read(&format!("labels/{file}"))
    }

    fn acme() -> Policy {
        parse_spif("ACME.xml", &shared("ACME.xml")).unwrap()
    }

    fn category<'p>(p: &'p Policy, name: &str) -> &'p PolicyCategory {
        p.categories
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no category {name}"))
    }

    fn value<'p>(c: &'p PolicyCategory, name: &str) -> &'p PolicyValue {
        c.values
            .iter()
            .find(|v| v.name == name)
            .unwrap_or_else(|| panic!("no value {name}"))
    }

    #[test]
    fn nato_spif() {
        let p = parse_spif("nato.xml", &shared("nato.xml")).unwrap();
        assert_eq!(p.id, "NATO");
        assert_eq!(
            p.classifications,
            [
                "UNCLASSIFIED",
                "RESTRICTED",
                "CONFIDENTIAL",
                "SECRET",
                "TOP SECRET"
            ]
        );
        let names: Vec<&str> = p.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Additional Sensitivity",
                "Releasable To",
                "Only",
                "Administrative",
                "Context"
            ]
        );
        let kinds: Vec<CategoryKind> = p.categories.iter().map(|c| c.kind).collect();
        use CategoryKind::*;
        assert_eq!(
            kinds,
            [Restrictive, Permissive, Permissive, Permissive, Permissive]
        );
        assert!(p.categories.iter().all(|c| !c.single));

        let sens = category(&p, "Additional Sensitivity");
        assert_eq!(sens.values.len(), 9);
        assert_eq!(
            value(sens, "ATOMAL").excluded_classes,
            ["UNCLASSIFIED", "RESTRICTED"]
        );
        assert!(!value(sens, "ATOMAL").obsolete);
        assert!(value(sens, "SIOP").excluded_classes.is_empty());
        let obsolete: Vec<&str> = sens
            .values
            .iter()
            .filter(|v| v.obsolete)
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(
            obsolete,
            [
                "SIOP ESI",
                "EXCLUSIVE",
                "INTELLIGENCE",
                "LOGISTICS",
                "OPERATIONS"
            ]
        );

        let rel = category(&p, "Releasable To");
        assert!(rel.values.len() > 50);
        assert!(rel
            .values
            .iter()
            .any(|v| v.name == "KOR" && v.excluded_classes == ["TOP SECRET"]));
        // Nations by ISO 3166 alpha-3 code, and a few groupings ("NATO", "RESOLUTE SUPPORT").
        let nations = rel
            .values
            .iter()
            .filter(|v| v.name.len() == 3 && v.name.chars().all(|c| c.is_ascii_uppercase()))
            .count();
        assert!(nations > 50 && rel.values.len() - nations == 9, "{nations}");
        assert!(rel.values.iter().any(|v| v.name == "RESOLUTE SUPPORT"));
        assert_eq!(
            category(&p, "Administrative")
                .values
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>(),
            ["MANAGEMENT", "STAFF", "PERSONAL", "MEDICAL", "COMMERCIAL"]
        );
        assert!(category(&p, "Context")
            .values
            .iter()
            .any(|v| v.name == "RESOLUTE SUPPORT"));
        assert!(p.required.is_empty());
    }

    #[test]
    fn acme_spif() {
        let p = acme();
        assert_eq!(p.id, "ACME");
        assert_eq!(p.classifications, ["PUBLIC", "CONFIDENTIAL", "INTERNAL"]);
        assert_eq!(
            p.required,
            vec![Requirement {
                classification: "CONFIDENTIAL".into(),
                operation: RequiredOperation::OneOrMore,
                values: vec![
                    RequiredValue {
                        category: "Releasable To".into(),
                        value: "MOCK".into()
                    },
                    RequiredValue {
                        category: "Releasable To".into(),
                        value: "PHONY".into()
                    },
                ],
            }]
        );
        let admin = category(&p, "Administrative");
        assert_eq!(admin.kind, CategoryKind::Permissive);
        assert_eq!(
            admin
                .values
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>(),
            ["STAFF", "FINANCE", "SALES", "ENGINEERING"]
        );
        let sensitive = category(&p, "Sensitive");
        assert_eq!(sensitive.kind, CategoryKind::Restrictive);
        assert_eq!(
            sensitive
                .values
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>(),
            ["RED", "BLUE"]
        );
        assert_eq!(
            value(sensitive, "RED").excluded_classes,
            ["PUBLIC", "CONFIDENTIAL"]
        );
    }

    #[test]
    fn real_spifs_pass_import_validation() {
        use crate::import::{plan_import, Incoming};
        use crate::label::Reader;
        use crate::model::Dataset;
        let nato = parse_spif("nato.xml", &shared("nato.xml")).unwrap();
        let incoming = Incoming::from_dataset(Dataset {
            policies: vec![nato, acme()],
            ..Dataset::default()
        });
        let plan = plan_import(&incoming, &Dataset::default(), &Reader::Full);
        assert!(plan.is_ok(), "{:?}", plan.err());
    }

    fn spif(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<s:SPIF xmlns:s=\"{SPIF_NS}\">\n<s:securityPolicyId name=\"P\"/>\n\
             <s:securityClassifications>\n\
             <s:securityClassification name=\"LOW\" hierarchy=\"2\"/>\n\
             <s:securityClassification name=\"ZERO\" hierarchy=\"1\"/>\n\
             </s:securityClassifications>\n{body}</s:SPIF>"
        )
    }

    fn messages(doc: &str) -> Vec<String> {
        parse_spif("t.xml", doc.as_bytes())
            .unwrap_err()
            .into_iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn prefix_does_not_matter_and_hierarchy_orders() {
        let doc = spif("")
            .replace("xmlns:s=", "NS")
            .replace("s:", "x:")
            .replace("NS", "xmlns:x=");
        let p = parse_spif("t.xml", doc.as_bytes()).unwrap();
        assert_eq!(p.classifications, ["ZERO", "LOW"]);
        // The default namespace works too.
        let doc = spif("")
            .replace("xmlns:s=", "NS")
            .replace("s:", "")
            .replace("NS", "xmlns=");
        assert_eq!(parse_spif("t.xml", doc.as_bytes()).unwrap().id, "P");
    }

    /// A million nested elements inside a SPIF: one located problem, no stack overflow.
    #[test]
    fn a_million_nested_elements_are_refused() {
        let levels = 1_000_000;
        let doc = spif(&format!(
            "<s:x>\n{}{}</s:x>",
            "<s:x>".repeat(levels),
            "</s:x>".repeat(levels)
        ));
        let m = messages(&doc);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("t.xml:9: XML nested deeper than 100 elements (column "),
            "{m:?}"
        );
    }

    #[test]
    fn single_selection_and_enumerated_restrictive() {
        let doc = spif(
            "<s:securityCategoryTagSets><s:securityCategoryTagSet name=\"T\">\
             <s:securityCategoryTag tagType=\"enumerated\" enumType=\"restrictive\" singleSelection=\"true\">\
             <s:tagCategory name=\"A\" lacv=\"1\"/></s:securityCategoryTag>\
             </s:securityCategoryTagSet></s:securityCategoryTagSets>\n",
        );
        let p = parse_spif("t.xml", doc.as_bytes()).unwrap();
        assert_eq!(p.categories[0].kind, CategoryKind::Restrictive);
        assert!(p.categories[0].single);
    }

    #[test]
    fn bad_inputs_are_located() {
        let m = messages("<a/>");
        assert_eq!(m.len(), 1);
        assert!(
            m[0].starts_with("t.xml:1: not a SPIF (root element is a"),
            "{m:?}"
        );
        let m = messages("<x:SPIF xmlns:x=\"urn:other\"/>");
        assert!(
            m[0].contains("not a SPIF") && m[0].contains("urn:other"),
            "{m:?}"
        );
        let m = messages("<a>\n<b></a>");
        assert!(m[0].starts_with("t.xml:2: malformed XML"), "{m:?}");
        let m = messages("\n");
        assert!(m[0].contains("no root element"), "{m:?}");
        let p = parse_spif("t.xml", b"<a>\xfe</a>").unwrap_err();
        assert!(p[0].to_string().contains("not UTF-8"), "{p:?}");

        let m = messages(&spif(
            "<s:securityCategoryTagSets>\n\
             <s:securityCategoryTagSet name=\"I\">\n<s:securityCategoryTag tagType=\"notApplicable\"/></s:securityCategoryTagSet>\n\
             <s:securityCategoryTagSet name=\"M\">\n<s:securityCategoryTag tagType=\"restrictive\"/>\n<s:securityCategoryTag tagType=\"permissive\"/></s:securityCategoryTagSet>\n\
             <s:securityCategoryTagSet name=\"R\">\n<s:securityCategoryTag tagType=\"permissive\">\n\
             <s:tagCategory name=\"A\" lacv=\"1\">\n<s:excludedClass>HIGH</s:excludedClass></s:tagCategory>\
             </s:securityCategoryTag></s:securityCategoryTagSet>\n\
             </s:securityCategoryTagSets>\n",
        ));
        assert_eq!(m.len(), 3, "{m:#?}");
        assert!(
            m[0].starts_with("t.xml:10: tag set \"I\": tagType \"notApplicable\" is not supported"),
            "{m:?}"
        );
        assert!(m[1].starts_with("t.xml:13: tag set \"M\" mixes"), "{m:?}");
        assert!(
            m[2].starts_with("t.xml:17: tag set \"R\", value \"A\": excludedClass \"HIGH\""),
            "{m:?}"
        );

        let m = messages(
            &spif(
                "<s:securityCategoryTagSets><s:securityCategoryTagSet name=\"R\">\
                 <s:securityCategoryTag tagType=\"permissive\"><s:tagCategory name=\"A\" lacv=\"1\"/>\
                 </s:securityCategoryTag></s:securityCategoryTagSet></s:securityCategoryTagSets>\n",
            )
            .replace(
                "<s:securityClassification name=\"LOW\" hierarchy=\"2\"/>",
                "<s:securityClassification name=\"LOW\" hierarchy=\"2\"><s:requiredCategory operation=\"all\">\
                 <s:categoryGroup tagSetRef=\"R\" lacv=\"2\"/><s:categoryGroup tagSetRef=\"Q\" lacv=\"1\"/>\
                 </s:requiredCategory></s:securityClassification>",
            ),
        );
        assert_eq!(m.len(), 2, "{m:#?}");
        assert!(
            m[0].starts_with(
                "t.xml:5: classification \"LOW\": tag set \"R\" has no value with lacv 2"
            ),
            "{m:?}"
        );
        assert!(
            m[1].contains("tag set \"Q\", which the SPIF does not define"),
            "{m:?}"
        );

        let m = messages(&spif("").replace("name=\"P\"", "name=\"P Q\""));
        assert!(
            m[0].starts_with("t.xml:3: securityPolicyId name \"P Q\" is not a valid id"),
            "{m:?}"
        );
    }
}
