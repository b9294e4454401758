//! Markings: how a label, and the labels of everything a page or an export shows, read to
//! people. Like the systems its users know, a page carries a banner with the highest
//! classification of what it shows (per policy) and every category value it shows, and each
//! labelled record carries its own marking.

use std::collections::{BTreeMap, BTreeSet};

use crate::label::{CategoryKind, Label, Policies};
use crate::model::{Dataset, Keyed};

/// A label as people read it: `DEFCOOP RESTRICTED · RELEASABLE-TO KOR / POL` (permissive
/// values are alternatives, joined by `/`; restrictive ones are all needed, joined by `,`).
pub fn marking(label: &Label) -> String {
    let mut s = format!("{} {}", label.policy, label.classification);
    for c in &label.categories {
        let join = match c.kind {
            CategoryKind::Permissive => " / ",
            CategoryKind::Restrictive => ", ",
        };
        s.push_str(&format!(" · {} {}", c.name, c.values.join(join)));
    }
    s
}

/// The banner of a set of labels: per policy the highest classification, then every category
/// with the values shown.
#[derive(Debug, Default)]
pub struct Banner {
    /// Policy → (rank, classification) of the highest label seen.
    highest: BTreeMap<String, (usize, String)>,
    categories: BTreeMap<String, BTreeSet<String>>,
}

impl Banner {
    /// Adds one record's label (unlabelled records add nothing).
    pub fn add(&mut self, label: Option<&Label>, policies: &Policies) {
        let Some(label) = label else { return };
        // A label whose policy is unknown is shown to nobody but full readers; rank it above
        // everything so the banner never understates it.
        let rank = policies
            .get(&label.policy)
            .and_then(|p| p.rank(&label.classification))
            .unwrap_or(usize::MAX);
        let entry = self
            .highest
            .entry(label.policy.clone())
            .or_insert((0, String::new()));
        if entry.1.is_empty() || rank > entry.0 {
            *entry = (rank, label.classification.clone());
        }
        for c in &label.categories {
            self.categories
                .entry(c.name.clone())
                .or_default()
                .extend(c.values.iter().cloned());
        }
    }

    /// Adds every record of a dataset.
    pub fn add_dataset(&mut self, d: &Dataset, policies: &Policies) {
        for label in labels(d) {
            self.add(Some(label), policies);
        }
    }

    /// Whether nothing labelled was added.
    pub fn is_empty(&self) -> bool {
        self.highest.is_empty()
    }

    /// `DEFCOOP RESTRICTED · COMPANY HANWHA · RELEASABLE-TO KOR, POL`; `None` when nothing
    /// labelled was added.
    pub fn text(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let mut parts: Vec<String> = self
            .highest
            .iter()
            .map(|(p, (_, c))| format!("{p} {c}"))
            .collect();
        for (name, values) in &self.categories {
            parts.push(format!(
                "{name} {}",
                values.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        Some(parts.join(" · "))
    }
}

/// Every label on the records of a dataset.
pub fn labels(d: &Dataset) -> impl Iterator<Item = &Label> {
    fn of<T: Keyed>(rs: &[T]) -> impl Iterator<Item = &Label> {
        rs.iter().filter_map(|r| r.label())
    }
    of(&d.nations)
        .chain(of(&d.blocs))
        .chain(of(&d.organizations))
        .chain(of(&d.people))
        .chain(of(&d.domains))
        .chain(of(&d.standards))
        .chain(of(&d.profiles))
        .chain(of(&d.systems))
        .chain(of(&d.conformances))
        .chain(of(&d.gateways))
        .chain(of(&d.transfers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::{Category, Policy};

    fn policies() -> Policies {
        Policies::new(&[Policy {
            id: "DEFCOOP".into(),
            classifications: vec!["PUBLIC".into(), "RESTRICTED".into(), "CONFIDENTIAL".into()],
            categories: vec![],
            required: vec![],
        }])
    }

    fn label(c: &str, cats: Vec<Category>) -> Label {
        Label {
            policy: "DEFCOOP".into(),
            classification: c.into(),
            categories: cats,
        }
    }

    fn cat(kind: CategoryKind, name: &str, values: &[&str]) -> Category {
        Category {
            kind,
            name: name.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn a_marking_reads_like_the_label() {
        let l = label(
            "RESTRICTED",
            vec![
                cat(CategoryKind::Permissive, "RELEASABLE-TO", &["KOR", "POL"]),
                cat(CategoryKind::Restrictive, "COMPANY", &["HANWHA"]),
            ],
        );
        assert_eq!(
            marking(&l),
            "DEFCOOP RESTRICTED · RELEASABLE-TO KOR / POL · COMPANY HANWHA"
        );
    }

    #[test]
    fn the_banner_is_the_highest_classification_and_every_value() {
        let p = policies();
        let mut b = Banner::default();
        assert_eq!(b.text(), None);
        b.add(None, &p);
        assert!(b.is_empty());
        b.add(
            Some(&label(
                "RESTRICTED",
                vec![cat(CategoryKind::Permissive, "RELEASABLE-TO", &["POL"])],
            )),
            &p,
        );
        b.add(
            Some(&label(
                "PUBLIC",
                vec![cat(CategoryKind::Permissive, "RELEASABLE-TO", &["KOR"])],
            )),
            &p,
        );
        b.add(Some(&label("CONFIDENTIAL", vec![])), &p);
        b.add(Some(&label("PUBLIC", vec![])), &p);
        assert_eq!(
            b.text().unwrap(),
            "DEFCOOP CONFIDENTIAL · RELEASABLE-TO KOR, POL"
        );
    }
}
