//! Releasability labels (PRODUCT.md "Releasability labels", normative semantics).
//!
//! A reader may read a record iff the record has no label, or
//! - their clearance in the label's policy is at least the label's classification, and
//! - for each restrictive category they hold **every** listed value, and
//! - for each permissive category they hold **at least one** listed value.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::model::is_false;

/// A security policy: its classifications in ascending order and, when it comes from a Security
/// Policy Information File (SPIF), the categories it defines and the rules that constrain
/// labels. A policy with no `categories` is *open*: any category name and value is accepted (the
/// plain PRODUCT.md policy); a policy with categories is *closed*: a label may only use the
/// categories and values it defines, with their type, and must obey `required`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub id: String,
    pub classifications: Vec<String>,
    /// The category tag sets of the policy (SPIF `securityCategoryTagSet`), if it defines any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<PolicyCategory>,
    /// Categories a classification requires (SPIF `requiredCategory`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<Requirement>,
}

/// A policy's categories and requirements apart from its classifications (how the store keeps
/// them, as one JSON value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRules {
    #[serde(default)]
    pub categories: Vec<PolicyCategory>,
    #[serde(default)]
    pub required: Vec<Requirement>,
}

impl PolicyRules {
    pub fn of(p: &Policy) -> Self {
        PolicyRules {
            categories: p.categories.clone(),
            required: p.required.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.required.is_empty()
    }

    pub fn to_json(&self) -> String {
        // Plain structs of strings and booleans always serialize.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A category a closed policy defines, e.g. permissive "Releasable To" with nation values.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyCategory {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKind,
    /// At most one value per label (SPIF `singleSelection`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub single: bool,
    pub values: Vec<PolicyValue>,
}

/// One value of a policy category.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyValue {
    pub name: String,
    /// Classifications this value may not be combined with (SPIF `excludedClass`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_classes: Vec<String>,
    /// An obsolete value may no longer be written in a label (SPIF `obsolete`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub obsolete: bool,
}

/// How many of a requirement's values a label must carry.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequiredOperation {
    /// At least one of the values.
    OneOrMore,
    /// Exactly one of the values.
    OnlyOne,
    /// Every value.
    All,
}

/// A label of `classification` must carry values from `values` (SPIF `requiredCategory`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub classification: String,
    pub operation: RequiredOperation,
    pub values: Vec<RequiredValue>,
}

/// One value of a requirement: a category name and one of its values.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredValue {
    pub category: String,
    pub value: String,
}

impl Policy {
    /// Rank of a classification (0 = lowest), if the policy has it.
    pub fn rank(&self, classification: &str) -> Option<usize> {
        self.classifications
            .iter()
            .position(|c| c == classification)
    }
}

/// Whether holding one listed value suffices (permissive) or all are needed (restrictive).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CategoryKind {
    Permissive,
    Restrictive,
}

/// One category of a label, e.g. restrictive `RELEASABLE-TO: [KOR]`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    #[serde(rename = "type")]
    pub kind: CategoryKind,
    pub name: String,
    pub values: Vec<String>,
}

/// A releasability label, modelled on STANAG 4774 confidentiality metadata.
///
/// Serialized as a JSON object; deserialized from that object or from a string holding a
/// STANAG 4774 XML label (the `Deserialize` impl lives in [`crate::stanag4774`], so that this
/// module, the label rule, depends on no format).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "openapi",
    schema(
        description = "A releasability label (STANAG 4774 confidentiality metadata): a \
        policy, one of its classifications, and categories of values."
    )
)]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Label {
    pub policy: String,
    pub classification: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
}

impl Label {
    /// The label's canonical JSON text (field order fixed, no whitespace): the store interns
    /// labels by this text.
    pub fn to_canonical_json(&self) -> String {
        // Serializing a plain struct of strings cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What a user holds: a clearance per policy and category values per category name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clearance {
    /// Policy id → the highest classification the user may read.
    pub levels: BTreeMap<String, String>,
    /// Category name → values held (e.g. `RELEASABLE-TO` → {KOR}).
    pub categories: BTreeMap<String, BTreeSet<String>>,
    /// Whether the reader works for the secretariat, which alone reads draft minutes. It
    /// comes from the user's role when they act ([`Clearance::for_secretariat`]) and is never
    /// stored with the clearance nor shown as part of it.
    #[serde(skip)]
    pub secretariat: bool,
}

impl Clearance {
    pub fn with_level(mut self, policy: &str, classification: &str) -> Self {
        self.levels
            .insert(policy.to_string(), classification.to_string());
        self
    }

    pub fn with_value(mut self, category: &str, value: &str) -> Self {
        self.categories
            .entry(category.to_string())
            .or_default()
            .insert(value.to_string());
        self
    }

    /// The same clearance, for someone who does (or does not) work for the secretariat.
    pub fn for_secretariat(mut self, secretariat: bool) -> Self {
        self.secretariat = secretariat;
        self
    }

    fn holds(&self, category: &str, value: &str) -> bool {
        self.categories
            .get(category)
            .is_some_and(|values| values.contains(value))
    }
}

/// Who is reading (or writing): the system itself with full rights, or a cleared user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    /// Operator tooling (the CLI without `--as`): reads and writes everything.
    Full,
    /// A user with a clearance.
    Cleared(Clearance),
}

/// The policies known to the registry, by id.
#[derive(Debug, Clone, Default)]
pub struct Policies {
    by_id: HashMap<String, Policy>,
}

impl Policies {
    pub fn new<'a>(policies: impl IntoIterator<Item = &'a Policy>) -> Self {
        Policies {
            by_id: policies
                .into_iter()
                .map(|p| (p.id.clone(), p.clone()))
                .collect(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Policy> {
        self.by_id.get(id)
    }
}

impl Reader {
    /// Whether this reader sees draft minutes: operator tooling and the secretariat do.
    pub fn sees_drafts(&self) -> bool {
        match self {
            Reader::Full => true,
            Reader::Cleared(c) => c.secretariat,
        }
    }

    /// May this reader read a record with this label? Unlabelled records are readable by all.
    /// A label naming an unknown policy or classification is readable by nobody but `Full`.
    pub fn may_read(&self, label: Option<&Label>, policies: &Policies) -> bool {
        let (clearance, label) = match (self, label) {
            (Reader::Full, _) | (_, None) => return true,
            (Reader::Cleared(c), Some(l)) => (c, l),
        };
        let Some(policy) = policies.get(&label.policy) else {
            return false;
        };
        let (Some(needed), Some(held)) = (
            policy.rank(&label.classification),
            clearance
                .levels
                .get(&label.policy)
                .and_then(|c| policy.rank(c)),
        ) else {
            return false;
        };
        if held < needed {
            return false;
        }
        label.categories.iter().all(|cat| match cat.kind {
            CategoryKind::Restrictive => cat.values.iter().all(|v| clearance.holds(&cat.name, v)),
            CategoryKind::Permissive => cat.values.iter().any(|v| clearance.holds(&cat.name, v)),
        })
    }
}

/// Why a label is not acceptable under the known policies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("unknown policy \"{0}\"")]
    UnknownPolicy(String),
    #[error("policy \"{policy}\" has no classification \"{classification}\" (it has: {known})")]
    UnknownClassification {
        policy: String,
        classification: String,
        known: String,
    },
    #[error("category {index} has an empty name")]
    EmptyCategoryName { index: usize },
    #[error("category \"{0}\" lists no values")]
    NoValues(String),
    #[error("category \"{name}\" lists value \"{value}\" twice")]
    DuplicateValue { name: String, value: String },
    #[error("category \"{0}\" appears twice")]
    DuplicateCategory(String),
    #[error("category \"{name}\" has an empty value")]
    EmptyValue { name: String },
    #[error("policy \"{policy}\" has no category \"{name}\" (it has: {known})")]
    UnknownCategory {
        policy: String,
        name: String,
        known: String,
    },
    #[error("category \"{name}\" is {expected} in policy \"{policy}\", not {found}")]
    WrongCategoryType {
        policy: String,
        name: String,
        expected: CategoryKind,
        found: CategoryKind,
    },
    #[error("category \"{name}\" of policy \"{policy}\" has no value \"{value}\"")]
    UnknownValue {
        policy: String,
        name: String,
        value: String,
    },
    #[error("value \"{value}\" of category \"{name}\" is obsolete")]
    ObsoleteValue { name: String, value: String },
    #[error(
        "value \"{value}\" of category \"{name}\" may not be used with classification \"{classification}\""
    )]
    ExcludedValue {
        name: String,
        value: String,
        classification: String,
    },
    #[error("category \"{name}\" allows a single value, the label lists {count}")]
    SingleValue { name: String, count: usize },
    #[error(
        "classification \"{classification}\" requires {operation} of: {values} (the label has {present})"
    )]
    RequirementNotMet {
        classification: String,
        operation: RequiredOperation,
        values: String,
        present: usize,
    },
}

impl std::fmt::Display for CategoryKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CategoryKind::Permissive => "permissive",
            CategoryKind::Restrictive => "restrictive",
        })
    }
}

impl std::fmt::Display for RequiredOperation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RequiredOperation::OneOrMore => "one or more",
            RequiredOperation::OnlyOne => "exactly one",
            RequiredOperation::All => "all",
        })
    }
}

/// Checks that a label is well formed under the known policies.
pub fn check_label(label: &Label, policies: &Policies) -> Result<(), LabelError> {
    let policy = policies
        .get(&label.policy)
        .ok_or_else(|| LabelError::UnknownPolicy(label.policy.clone()))?;
    if policy.rank(&label.classification).is_none() {
        return Err(LabelError::UnknownClassification {
            policy: policy.id.clone(),
            classification: label.classification.clone(),
            known: policy.classifications.join(", "),
        });
    }
    let mut names = BTreeSet::new();
    for (index, cat) in label.categories.iter().enumerate() {
        if cat.name.trim().is_empty() {
            return Err(LabelError::EmptyCategoryName { index });
        }
        if !names.insert((cat.kind, cat.name.as_str())) {
            return Err(LabelError::DuplicateCategory(cat.name.clone()));
        }
        if cat.values.is_empty() {
            return Err(LabelError::NoValues(cat.name.clone()));
        }
        let mut seen = BTreeSet::new();
        for value in &cat.values {
            if value.trim().is_empty() {
                return Err(LabelError::EmptyValue {
                    name: cat.name.clone(),
                });
            }
            if !seen.insert(value.as_str()) {
                return Err(LabelError::DuplicateValue {
                    name: cat.name.clone(),
                    value: value.clone(),
                });
            }
        }
    }
    if policy.categories.is_empty() {
        Ok(())
    } else {
        check_label_rules(label, policy)
    }
}

/// The rules of a closed policy (one with categories): the label may only use the policy's
/// categories, with their type, and their current values allowed with its classification, at
/// most one in a single-selection category, and must carry what its classification requires.
/// Expects a label that [`check_label`]'s other checks accept.
pub fn check_label_rules(label: &Label, policy: &Policy) -> Result<(), LabelError> {
    for cat in &label.categories {
        let Some(def) = policy.categories.iter().find(|c| c.name == cat.name) else {
            return Err(LabelError::UnknownCategory {
                policy: policy.id.clone(),
                name: cat.name.clone(),
                known: policy
                    .categories
                    .iter()
                    .map(|c| format!("\"{}\"", c.name))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        if def.kind != cat.kind {
            return Err(LabelError::WrongCategoryType {
                policy: policy.id.clone(),
                name: cat.name.clone(),
                expected: def.kind,
                found: cat.kind,
            });
        }
        for value in &cat.values {
            let Some(v) = def.values.iter().find(|v| &v.name == value) else {
                return Err(LabelError::UnknownValue {
                    policy: policy.id.clone(),
                    name: cat.name.clone(),
                    value: value.clone(),
                });
            };
            if v.obsolete {
                return Err(LabelError::ObsoleteValue {
                    name: cat.name.clone(),
                    value: value.clone(),
                });
            }
            if v.excluded_classes.contains(&label.classification) {
                return Err(LabelError::ExcludedValue {
                    name: cat.name.clone(),
                    value: value.clone(),
                    classification: label.classification.clone(),
                });
            }
        }
        if def.single && cat.values.len() > 1 {
            return Err(LabelError::SingleValue {
                name: cat.name.clone(),
                count: cat.values.len(),
            });
        }
    }
    for req in policy
        .required
        .iter()
        .filter(|r| r.classification == label.classification)
    {
        let present = req
            .values
            .iter()
            .filter(|rv| {
                label
                    .categories
                    .iter()
                    .any(|c| c.name == rv.category && c.values.contains(&rv.value))
            })
            .count();
        let met = match req.operation {
            RequiredOperation::OneOrMore => present >= 1,
            RequiredOperation::OnlyOne => present == 1,
            RequiredOperation::All => present == req.values.len(),
        };
        if !met {
            return Err(LabelError::RequirementNotMet {
                classification: req.classification.clone(),
                operation: req.operation,
                values: req
                    .values
                    .iter()
                    .map(|v| format!("{} \"{}\"", v.category, v.value))
                    .collect::<Vec<_>>()
                    .join(", "),
                present,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn defcoop() -> Policy {
        Policy {
            id: "DEFCOOP".into(),
            classifications: ["PUBLIC", "UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL"]
                .map(String::from)
                .to_vec(),
            categories: vec![],
            required: vec![],
        }
    }

    fn label(classification: &str, categories: Vec<Category>) -> Label {
        Label {
            policy: "DEFCOOP".into(),
            classification: classification.into(),
            categories,
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
    fn unlabelled_is_readable_by_everyone() {
        let policies = Policies::new(&[defcoop()]);
        assert!(Reader::Cleared(Clearance::default()).may_read(None, &policies));
    }

    #[test]
    fn classification_is_ordered() {
        let policies = Policies::new(&[defcoop()]);
        let reader = Reader::Cleared(Clearance::default().with_level("DEFCOOP", "RESTRICTED"));
        assert!(reader.may_read(Some(&label("PUBLIC", vec![])), &policies));
        assert!(reader.may_read(Some(&label("RESTRICTED", vec![])), &policies));
        assert!(!reader.may_read(Some(&label("CONFIDENTIAL", vec![])), &policies));
    }

    #[test]
    fn no_clearance_in_policy_reads_nothing_labelled() {
        let policies = Policies::new(&[defcoop()]);
        let reader = Reader::Cleared(Clearance::default().with_level("OTHER", "PUBLIC"));
        assert!(!reader.may_read(Some(&label("PUBLIC", vec![])), &policies));
    }

    #[test]
    fn restrictive_needs_every_value_permissive_one() {
        let policies = Policies::new(&[defcoop()]);
        let reader = Reader::Cleared(
            Clearance::default()
                .with_level("DEFCOOP", "CONFIDENTIAL")
                .with_value("RELEASABLE-TO", "KOR"),
        );
        let r = |c| reader.may_read(Some(&label("PUBLIC", vec![c])), &policies);
        assert!(r(cat(CategoryKind::Restrictive, "RELEASABLE-TO", &["KOR"])));
        assert!(!r(cat(
            CategoryKind::Restrictive,
            "RELEASABLE-TO",
            &["KOR", "POL"]
        )));
        assert!(r(cat(
            CategoryKind::Permissive,
            "RELEASABLE-TO",
            &["KOR", "POL"]
        )));
        assert!(!r(cat(CategoryKind::Permissive, "RELEASABLE-TO", &["POL"])));
        assert!(!r(cat(CategoryKind::Restrictive, "COMPANY", &["KOR"])));
    }

    #[test]
    fn unknown_policy_or_classification_hides_from_users_not_from_full() {
        let policies = Policies::new(&[defcoop()]);
        let reader = Reader::Cleared(Clearance::default().with_level("DEFCOOP", "CONFIDENTIAL"));
        let bogus = Label {
            policy: "NOPE".into(),
            classification: "PUBLIC".into(),
            categories: vec![],
        };
        assert!(!reader.may_read(Some(&bogus), &policies));
        assert!(Reader::Full.may_read(Some(&bogus), &policies));
        assert_eq!(
            check_label(&bogus, &policies),
            Err(LabelError::UnknownPolicy("NOPE".into()))
        );
        assert!(matches!(
            check_label(&label("SECRET", vec![]), &policies),
            Err(LabelError::UnknownClassification { .. })
        ));
        assert_eq!(
            check_label(
                &label("PUBLIC", vec![cat(CategoryKind::Permissive, "X", &[])]),
                &policies
            ),
            Err(LabelError::NoValues("X".into()))
        );
    }

    // --- closed policies ---

    fn pv(name: &str, excluded: &[&str], obsolete: bool) -> PolicyValue {
        PolicyValue {
            name: name.into(),
            excluded_classes: excluded.iter().map(|c| c.to_string()).collect(),
            obsolete,
        }
    }

    /// A closed policy: REL (permissive; CCC not at LOW; DDD obsolete), SENS (restrictive; Y
    /// not at HIGH), ONE (permissive, single selection); MID requires REL AAA or BBB.
    fn closed() -> Policy {
        Policy {
            id: "CLOSED".into(),
            classifications: ["LOW", "MID", "HIGH"].map(String::from).to_vec(),
            categories: vec![
                PolicyCategory {
                    name: "REL".into(),
                    kind: CategoryKind::Permissive,
                    single: false,
                    values: vec![
                        pv("AAA", &[], false),
                        pv("BBB", &[], false),
                        pv("CCC", &["LOW"], false),
                        pv("DDD", &[], true),
                    ],
                },
                PolicyCategory {
                    name: "SENS".into(),
                    kind: CategoryKind::Restrictive,
                    single: false,
                    values: vec![pv("X", &[], false), pv("Y", &["HIGH"], false)],
                },
                PolicyCategory {
                    name: "ONE".into(),
                    kind: CategoryKind::Permissive,
                    single: true,
                    values: vec![pv("P", &[], false), pv("Q", &[], false)],
                },
            ],
            required: vec![Requirement {
                classification: "MID".into(),
                operation: RequiredOperation::OneOrMore,
                values: vec![
                    RequiredValue {
                        category: "REL".into(),
                        value: "AAA".into(),
                    },
                    RequiredValue {
                        category: "REL".into(),
                        value: "BBB".into(),
                    },
                ],
            }],
        }
    }

    fn closed_label(classification: &str, categories: Vec<Category>) -> Label {
        Label {
            policy: "CLOSED".into(),
            classification: classification.into(),
            categories,
        }
    }

    #[test]
    fn closed_policy_rules() {
        use CategoryKind::*;
        let policies = Policies::new(&[closed()]);
        let check = |c: &str, cats: Vec<Category>| check_label(&closed_label(c, cats), &policies);
        assert_eq!(check("LOW", vec![]), Ok(()));
        assert_eq!(
            check("HIGH", vec![cat(Permissive, "REL", &["CCC", "AAA"])]),
            Ok(())
        );
        let e = check("LOW", vec![cat(Permissive, "NOPE", &["AAA"])]).unwrap_err();
        assert!(matches!(e, LabelError::UnknownCategory { .. }));
        assert_eq!(
            e.to_string(),
            "policy \"CLOSED\" has no category \"NOPE\" (it has: \"REL\", \"SENS\", \"ONE\")"
        );
        let e = check("LOW", vec![cat(Restrictive, "REL", &["AAA"])]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "category \"REL\" is permissive in policy \"CLOSED\", not restrictive"
        );
        let e = check("LOW", vec![cat(Permissive, "REL", &["ZZZ"])]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "category \"REL\" of policy \"CLOSED\" has no value \"ZZZ\""
        );
        let e = check("LOW", vec![cat(Permissive, "REL", &["DDD"])]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "value \"DDD\" of category \"REL\" is obsolete"
        );
        let e = check("LOW", vec![cat(Permissive, "REL", &["CCC"])]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "value \"CCC\" of category \"REL\" may not be used with classification \"LOW\""
        );
        let e = check("LOW", vec![cat(Permissive, "ONE", &["P", "Q"])]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "category \"ONE\" allows a single value, the label lists 2"
        );
        let e = check("MID", vec![cat(Permissive, "REL", &["CCC"])]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "classification \"MID\" requires one or more of: REL \"AAA\", REL \"BBB\" (the label has 0)"
        );
        assert_eq!(check("MID", vec![cat(Permissive, "REL", &["BBB"])]), Ok(()));
    }

    #[test]
    fn requirement_operations() {
        use CategoryKind::*;
        let mut policy = closed();
        let two = cat(Permissive, "REL", &["AAA", "BBB"]);
        let one = cat(Permissive, "REL", &["AAA"]);
        for (op, one_ok, two_ok) in [
            (RequiredOperation::OneOrMore, true, true),
            (RequiredOperation::OnlyOne, true, false),
            (RequiredOperation::All, false, true),
        ] {
            policy.required[0].operation = op;
            let policies = Policies::new(&[policy.clone()]);
            let ok = |c: &Category| {
                check_label(&closed_label("MID", vec![c.clone()]), &policies).is_ok()
            };
            assert_eq!((ok(&one), ok(&two)), (one_ok, two_ok), "{op:?}");
            // Another classification is not concerned.
            assert!(check_label(&closed_label("HIGH", vec![]), &policies).is_ok());
        }
    }

    #[test]
    fn open_policies_accept_any_category() {
        let policies = Policies::new(&[defcoop()]);
        let l = label(
            "PUBLIC",
            vec![cat(CategoryKind::Restrictive, "ANY", &["THING"])],
        );
        assert_eq!(check_label(&l, &policies), Ok(()));
    }

    /// A label of the closed policy built from values it allows at that classification.
    fn arb_closed_label() -> impl Strategy<Value = Label> {
        let policy = closed();
        (
            0..3usize,
            proptest::collection::vec(any::<proptest::sample::Index>(), 3),
            any::<u64>(),
        )
            .prop_map(move |(level, picks, bits)| {
                let class = policy.classifications[level].clone();
                let mut categories = Vec::new();
                for (i, def) in policy.categories.iter().enumerate() {
                    let eligible: Vec<&PolicyValue> = def
                        .values
                        .iter()
                        .filter(|v| !v.obsolete && !v.excluded_classes.contains(&class))
                        .collect();
                    let values: Vec<String> = if def.single {
                        if bits >> (8 * i) & 1 == 1 {
                            vec![picks[i].get(&eligible).name.clone()]
                        } else {
                            vec![]
                        }
                    } else {
                        eligible
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| bits >> (8 * i + j) & 1 == 1)
                            .map(|(_, v)| v.name.clone())
                            .collect()
                    };
                    if !values.is_empty() {
                        categories.push(Category {
                            kind: def.kind,
                            name: def.name.clone(),
                            values,
                        });
                    }
                }
                closed_label(&class, categories)
            })
    }

    /// The fixture's one requirement, stated plainly.
    fn meets_requirement(l: &Label) -> bool {
        l.classification != "MID"
            || l.categories
                .iter()
                .any(|c| c.name == "REL" && c.values.iter().any(|v| v == "AAA" || v == "BBB"))
    }

    // --- property tests: the rule against an independent statement of it ---

    const LEVELS: [&str; 4] = ["PUBLIC", "UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL"];
    const NAMES: [&str; 2] = ["RELEASABLE-TO", "COMPANY"];
    const VALUES: [&str; 4] = ["KOR", "POL", "HANWHA", "NOR"];

    fn arb_category() -> impl Strategy<Value = Category> {
        (
            prop_oneof![
                Just(CategoryKind::Permissive),
                Just(CategoryKind::Restrictive)
            ],
            0..NAMES.len(),
            proptest::sample::subsequence(VALUES.to_vec(), 1..=VALUES.len()),
        )
            .prop_map(|(kind, n, values)| Category {
                kind,
                name: NAMES[n].to_string(),
                values: values.into_iter().map(String::from).collect(),
            })
    }

    fn arb_label() -> impl Strategy<Value = Label> {
        (
            0..LEVELS.len(),
            proptest::collection::vec(arb_category(), 0..3),
        )
            .prop_map(|(l, categories)| label(LEVELS[l], categories))
    }

    fn arb_clearance() -> impl Strategy<Value = Clearance> {
        (
            proptest::option::of(0..LEVELS.len()),
            proptest::collection::btree_set((0..NAMES.len(), 0..VALUES.len()), 0..6),
        )
            .prop_map(|(level, held)| {
                let mut c = Clearance::default();
                if let Some(l) = level {
                    c = c.with_level("DEFCOOP", LEVELS[l]);
                }
                for (n, v) in held {
                    c = c.with_value(NAMES[n], VALUES[v]);
                }
                c
            })
    }

    /// The rule written out plainly, as PRODUCT.md states it.
    fn oracle(c: &Clearance, l: &Label) -> bool {
        let Some(held) = c.levels.get("DEFCOOP") else {
            return false;
        };
        let rank = |x: &str| LEVELS.iter().position(|y| *y == x).unwrap_or(usize::MAX);
        if rank(held) < rank(&l.classification) {
            return false;
        }
        for cat in &l.categories {
            let have: Vec<bool> = cat
                .values
                .iter()
                .map(|v| c.categories.get(&cat.name).is_some_and(|s| s.contains(v)))
                .collect();
            let ok = match cat.kind {
                CategoryKind::Restrictive => !have.contains(&false),
                CategoryKind::Permissive => have.contains(&true),
            };
            if !ok {
                return false;
            }
        }
        true
    }

    proptest! {
        #[test]
        fn may_read_matches_the_rule(c in arb_clearance(), l in arb_label()) {
            let policies = Policies::new(&[defcoop()]);
            prop_assert_eq!(Reader::Cleared(c.clone()).may_read(Some(&l), &policies), oracle(&c, &l));
        }

        #[test]
        fn more_clearance_never_reads_less(c in arb_clearance(), l in arb_label(), extra in 0..NAMES.len(), v in 0..VALUES.len()) {
            // Adding a restrictive value or raising the level never hides a readable record.
            let policies = Policies::new(&[defcoop()]);
            let before = Reader::Cleared(c.clone()).may_read(Some(&l), &policies);
            let higher = c.clone().with_level("DEFCOOP", "CONFIDENTIAL").with_value(NAMES[extra], VALUES[v]);
            let after = Reader::Cleared(higher).may_read(Some(&l), &policies);
            prop_assert!(!before || after);
        }

        #[test]
        fn adding_a_category_never_reveals(c in arb_clearance(), l in arb_label(), extra in arb_category()) {
            let policies = Policies::new(&[defcoop()]);
            let mut stricter = l.clone();
            stricter.categories.push(extra);
            let reader = Reader::Cleared(c);
            prop_assert!(!reader.may_read(Some(&stricter), &policies) || reader.may_read(Some(&l), &policies));
        }

        #[test]
        fn closed_labels_of_allowed_values_are_accepted(l in arb_closed_label()) {
            let policies = Policies::new(&[closed()]);
            prop_assert_eq!(check_label(&l, &policies).is_ok(), meets_requirement(&l));
        }

        #[test]
        fn a_value_outside_the_policy_is_refused(l in arb_closed_label(), which in any::<proptest::sample::Index>(), value in "[A-Z]{1,5}") {
            let policy = closed();
            prop_assume!(policy.categories.iter().all(|c| c.values.iter().all(|v| v.name != value)));
            let mut l = l;
            if l.categories.is_empty() {
                l.categories.push(cat(CategoryKind::Permissive, "REL", &[]));
            }
            let i = which.index(l.categories.len());
            l.categories[i].values.push(value.clone());
            let policies = Policies::new(&[policy]);
            let refused = matches!(check_label(&l, &policies), Err(LabelError::UnknownValue { value: v, .. }) if v == value);
            prop_assert!(refused, "{:?}", check_label(&l, &policies));
        }

        #[test]
        fn canonical_json_roundtrips(l in arb_label()) {
            let text = l.to_canonical_json();
            let back: Label = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(back, l);
        }
    }
}
