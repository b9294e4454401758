//! Accounts: who may act on the platform, with which roles, and what they are cleared to read.
//!
//! Roles decide *actions* (who may write what, who manages users); the clearance decides
//! *visibility* (which labelled records a user may read, by the rule in [`crate::label`]). The
//! two never mix: no role widens what a user may read, and clearances come from the platform's
//! own records, never from an identity provider's claims.
//!
//! Pure values and checks; the store keeps accounts, the application layer hashes secrets.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::import as formats;
use crate::label::{Clearance, Policy};
use crate::model::Dataset;

crate::model::string_enum! {
    /// What a user does on the platform.
    pub enum Role {
        /// Manages users, tokens and everything the secretariat manages.
        Admin = "admin",
        /// Runs the body: manages the registry, its policies and the body's records.
        Secretariat = "secretariat",
        /// A member's standardisation or interoperability officer: reads, and writes registry
        /// records (systems, conformances, labels, profile implementations).
        Member = "member",
        /// An industry user: reads what its clearance allows (offers arrive with matchmaking).
        Industry = "industry",
        /// Reads only.
        Viewer = "viewer",
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An action that needs a role. Reading needs none: any signed-in user reads what their
/// clearance allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Create, change and disable users; create and revoke anyone's tokens; read the audit log.
    ManageUsers,
    /// Import or change registry records (systems, standards, conformances, labels, ...).
    WriteRegistry,
    /// Import or change security policies (they decide how every label is read).
    ManagePolicies,
    /// Run the body: its bodies, meetings, minutes and decisions, matchmaking's capability
    /// areas and funding instruments (proposals, action items, engagements and needs are
    /// written with [`Permission::WriteRegistry`]).
    RunBody,
    /// Publish offers for joint R&D: members and industry too.
    PublishOffers,
}

impl Permission {
    /// The roles that grant this permission.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Permission::ManageUsers => &[Role::Admin],
            Permission::WriteRegistry => &[Role::Admin, Role::Secretariat, Role::Member],
            Permission::ManagePolicies => &[Role::Admin, Role::Secretariat],
            Permission::RunBody => &[Role::Admin, Role::Secretariat],
            Permission::PublishOffers => {
                &[Role::Admin, Role::Secretariat, Role::Member, Role::Industry]
            }
        }
    }

    /// What the permission allows, for messages: "manage users".
    pub fn describe(self) -> &'static str {
        match self {
            Permission::ManageUsers => "manage users",
            Permission::WriteRegistry => "change the registry",
            Permission::ManagePolicies => "change security policies",
            Permission::RunBody => "run the body's meetings, minutes and decisions",
            Permission::PublishOffers => "publish offers",
        }
    }

    /// What writing a record of `kind` needs.
    pub fn to_write(kind: crate::model::Kind) -> Permission {
        use crate::model::Kind;
        match kind {
            Kind::Policy => Permission::ManagePolicies,
            Kind::Body
            | Kind::Meeting
            | Kind::Minutes
            | Kind::Decision
            | Kind::CapabilityArea
            | Kind::Instrument => Permission::RunBody,
            Kind::Offer => Permission::PublishOffers,
            _ => Permission::WriteRegistry,
        }
    }

    /// What importing `data` needs: the permission of every kind it holds, each once.
    pub fn to_import(data: &Dataset) -> Vec<Permission> {
        let mut out: Vec<Permission> = Vec::new();
        for kind in crate::model::Kind::ALL {
            let p = Permission::to_write(kind);
            if data.count(kind) > 0 && !out.contains(&p) {
                out.push(p);
            }
        }
        if out.is_empty() {
            out.push(Permission::WriteRegistry);
        }
        out
    }
}

/// Whether any of `roles` grants `permission`.
pub fn grants(roles: &[Role], permission: Permission) -> bool {
    roles.iter().any(|r| permission.roles().contains(r))
}

/// A user account as the platform holds it (secrets are kept apart, by the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The sign-in name: `^[a-z0-9][a-z0-9._-]*$`, at most 64 characters.
    pub name: String,
    /// ISO 3166-1 alpha-3 code of the user's nationality.
    pub nationality: String,
    /// The user's organization (a registry organization id where there is one).
    pub organization: String,
    /// In canonical order, no duplicates, at least one.
    pub roles: Vec<Role>,
    pub clearance: Clearance,
    #[serde(default)]
    pub disabled: bool,
    /// The registry person this account is (a person's id): who comments on minutes as a
    /// participant of the meeting, and whose personal calendar the account's feeds are. `None`
    /// for an account that is nobody in the registry (an operator's, a program's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

crate::model::string_enum! {
    /// What a token is good for.
    pub enum TokenScope {
        /// The JSON API and the pages, as its user (`Authorization: Bearer TOKEN`).
        Api = "api",
        /// Only its user's personal calendar feed (`/calendar/feed/SECRET.ics`), which calendar
        /// programs fetch without signing in. Refused everywhere else, like a bad token.
        Calendar = "calendar",
    }
}

impl fmt::Display for TokenScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The longest user name.
pub const MAX_NAME: usize = 64;

/// Checks a user name's form.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok_first = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ok_rest = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if name.is_empty() {
        Err("a user name may not be empty".into())
    } else if name.len() > MAX_NAME {
        Err(format!("a user name has at most {MAX_NAME} characters"))
    } else if !ok_first || !ok_rest {
        Err(format!(
            "user name \"{}\" must be lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
            cut(name)
        ))
    } else {
        Ok(())
    }
}

/// Parses roles given by name (`admin`, `member`, ...) into canonical order without
/// duplicates. Unknown names are errors that list the known ones.
pub fn parse_roles<S: AsRef<str>>(names: &[S]) -> Result<Vec<Role>, String> {
    let mut roles = BTreeSet::new();
    for name in names {
        let name = name.as_ref();
        let role = Role::parse(name).ok_or_else(|| {
            format!(
                "unknown role \"{}\" (known: {})",
                cut(name),
                Role::ALL.map(Role::as_str).join(", ")
            )
        })?;
        roles.insert(role);
    }
    if roles.is_empty() {
        return Err("a user needs at least one role".into());
    }
    Ok(roles.into_iter().collect())
}

/// What a clearance may name: the registry's policies with their classifications, and the
/// categories its labels and closed policies use.
#[derive(Debug, Clone, Default)]
pub struct KnownLabels {
    /// Policy id → classifications, lowest first.
    policies: BTreeMap<String, Vec<String>>,
    /// Category name → the values a closed policy allows (`None`: an open category, declared
    /// by no closed policy, so any well-formed value).
    categories: BTreeMap<String, Option<BTreeSet<String>>>,
}

impl KnownLabels {
    /// From the whole registry (read with full rights: the operator or an admin decides
    /// clearances, and must see every category in use).
    pub fn of(dataset: &Dataset) -> KnownLabels {
        let mut known = KnownLabels::default();
        for p in &dataset.policies {
            known.add_policy(p);
        }
        for label in crate::marking::labels(dataset) {
            for c in &label.categories {
                known.categories.entry(c.name.clone()).or_insert(None);
            }
        }
        known
    }

    fn add_policy(&mut self, p: &Policy) {
        self.policies
            .insert(p.id.clone(), p.classifications.clone());
        for c in &p.categories {
            let values: BTreeSet<String> = c.values.iter().map(|v| v.name.clone()).collect();
            match self.categories.entry(c.name.clone()).or_insert(None) {
                Some(existing) => existing.extend(values),
                slot @ None => *slot = Some(values),
            }
        }
    }

    /// Parses `POLICY:LEVEL` and `NAME:VALUE` arguments into a clearance, checking each
    /// against what the registry knows. Every problem is reported, each naming its argument.
    pub fn clearance<S: AsRef<str>, T: AsRef<str>>(
        &self,
        levels: &[S],
        categories: &[T],
    ) -> Result<Clearance, Vec<String>> {
        let mut clearance = Clearance::default();
        let mut problems = Vec::new();
        for arg in levels {
            let arg = arg.as_ref();
            match self.level(arg) {
                Ok((policy, level)) => {
                    if let Some(old) = clearance.levels.insert(policy.clone(), level) {
                        problems.push(format!(
                            "--clearance {}: policy {policy} is given twice (also {old})",
                            cut(arg)
                        ));
                    }
                }
                Err(e) => problems.push(format!("--clearance {}: {e}", cut(arg))),
            }
        }
        for arg in categories {
            let arg = arg.as_ref();
            match self.category(arg) {
                Ok((name, value)) => {
                    clearance.categories.entry(name).or_default().insert(value);
                }
                Err(e) => problems.push(format!("--category {}: {e}", cut(arg))),
            }
        }
        if problems.is_empty() {
            Ok(clearance)
        } else {
            Err(problems)
        }
    }

    /// Checks a clearance held in full (from a stored account or a form) against the registry.
    pub fn check(&self, clearance: &Clearance) -> Result<(), Vec<String>> {
        let levels: Vec<String> = clearance
            .levels
            .iter()
            .map(|(p, l)| format!("{p}:{l}"))
            .collect();
        let categories: Vec<String> = clearance
            .categories
            .iter()
            .flat_map(|(n, vs)| vs.iter().map(move |v| format!("{n}:{v}")))
            .collect();
        self.clearance(&levels, &categories).map(|_| ())
    }

    fn level(&self, arg: &str) -> Result<(String, String), String> {
        let (policy, level) = arg
            .split_once(':')
            .ok_or("expected POLICY:LEVEL, e.g. DEFCOOP:RESTRICTED")?;
        let Some(levels) = self.policies.get(policy) else {
            return Err(format!(
                "unknown policy \"{}\" (known: {})",
                cut(policy),
                self.known_policies()
            ));
        };
        if !levels.iter().any(|l| l == level) {
            return Err(format!(
                "policy {policy} has no classification \"{}\" (it has: {})",
                cut(level),
                levels.join(", ")
            ));
        }
        Ok((policy.to_string(), level.to_string()))
    }

    fn category(&self, arg: &str) -> Result<(String, String), String> {
        let (name, value) = arg
            .split_once(':')
            .ok_or("expected NAME:VALUE, e.g. RELEASABLE-TO:KOR")?;
        let Some(allowed) = self.categories.get(name) else {
            return Err(format!(
                "unknown category \"{}\": no policy declares it and no label uses it (known: {})",
                cut(name),
                self.known_categories()
            ));
        };
        match allowed {
            Some(values) if !values.contains(value) => Err(format!(
                "category {name} has no value \"{}\" in its policy",
                cut(value)
            )),
            Some(_) => Ok((name.to_string(), value.to_string())),
            None => {
                formats::id(value).map_err(|e| format!("value: {e}"))?;
                Ok((name.to_string(), value.to_string()))
            }
        }
    }

    fn known_policies(&self) -> String {
        none_if_empty(self.policies.keys().cloned().collect())
    }

    fn known_categories(&self) -> String {
        none_if_empty(self.categories.keys().cloned().collect())
    }
}

/// Shortens echoed input for messages (at most 60 characters, "…" when cut).
fn cut(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn none_if_empty(names: Vec<String>) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// Checks a user's fields (name, nationality, organization, roles); the clearance is checked
/// by [`KnownLabels`]. Every problem is reported.
pub fn check_user(user: &User) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    if let Err(e) = check_name(&user.name) {
        problems.push(e);
    }
    if let Err(e) = formats::nation_code(&user.nationality) {
        problems.push(format!("--nationality: {e}"));
    }
    if let Err(e) = formats::text(&user.organization) {
        problems.push(format!("--organization: {e}"));
    } else if user.organization.chars().count() > 200 {
        problems.push("--organization: at most 200 characters".into());
    }
    if user.roles.is_empty() {
        problems.push("a user needs at least one role".into());
    }
    if let Some(person) = &user.person {
        if let Err(e) = formats::id(person) {
            problems.push(format!("--person: {e}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::{CategoryKind, PolicyCategory};

    fn known() -> KnownLabels {
        let mut d = Dataset::default();
        d.policies.push(Policy {
            id: "DEFCOOP".into(),
            classifications: vec!["PUBLIC".into(), "RESTRICTED".into()],
            categories: vec![],
            required: vec![],
        });
        let mut k = KnownLabels::of(&d);
        k.categories.insert("RELEASABLE-TO".into(), None);
        k
    }

    #[test]
    fn roles_parse_in_canonical_order_and_unknown_ones_are_named() {
        assert_eq!(
            parse_roles(&["viewer", "admin", "viewer"]).unwrap(),
            vec![Role::Admin, Role::Viewer]
        );
        let e = parse_roles(&["root"]).unwrap_err();
        assert!(e.contains("unknown role \"root\""), "{e}");
        assert!(e.contains("secretariat"), "{e}");
        assert!(parse_roles::<&str>(&[]).is_err());
    }

    #[test]
    fn permissions_follow_roles() {
        assert!(grants(&[Role::Admin], Permission::ManageUsers));
        assert!(!grants(&[Role::Secretariat], Permission::ManageUsers));
        assert!(grants(&[Role::Member], Permission::WriteRegistry));
        assert!(!grants(
            &[Role::Industry, Role::Viewer],
            Permission::WriteRegistry
        ));
        assert!(!grants(&[Role::Member], Permission::ManagePolicies));
    }

    #[test]
    fn clearances_are_checked_against_the_registry() {
        let k = known();
        let c = k
            .clearance(&["DEFCOOP:RESTRICTED"], &["RELEASABLE-TO:KOR"])
            .unwrap();
        assert_eq!(c.levels["DEFCOOP"], "RESTRICTED");
        assert!(c.categories["RELEASABLE-TO"].contains("KOR"));
        let e = k
            .clearance(
                &["NOPE:X", "DEFCOOP:SECRET", "DEFCOOP"],
                &["COMPANY:HANWHA", "x"],
            )
            .unwrap_err();
        assert_eq!(e.len(), 5, "{e:?}");
        assert!(e[0].contains("unknown policy \"NOPE\""), "{e:?}");
        assert!(e[1].contains("no classification \"SECRET\""), "{e:?}");
        assert!(e[1].contains("PUBLIC, RESTRICTED"), "{e:?}");
        assert!(e[2].contains("POLICY:LEVEL"), "{e:?}");
        assert!(e[3].contains("unknown category \"COMPANY\""), "{e:?}");
        assert!(e[4].contains("NAME:VALUE"), "{e:?}");
    }

    #[test]
    fn closed_policies_limit_category_values() {
        let mut d = Dataset::default();
        d.policies.push(Policy {
            id: "ACME".into(),
            classifications: vec!["U".into()],
            categories: vec![PolicyCategory {
                name: "RELEASABLE-TO".into(),
                kind: CategoryKind::Permissive,
                single: false,
                values: vec![crate::label::PolicyValue {
                    name: "KOR".into(),
                    excluded_classes: vec![],
                    obsolete: false,
                }],
            }],
            required: vec![],
        });
        let k = KnownLabels::of(&d);
        assert!(k.clearance::<&str, _>(&[], &["RELEASABLE-TO:KOR"]).is_ok());
        let e = k
            .clearance::<&str, _>(&[], &["RELEASABLE-TO:FRA"])
            .unwrap_err();
        assert!(e[0].contains("no value \"FRA\""), "{e:?}");
    }

    #[test]
    fn user_fields_are_checked() {
        let mut u = User {
            name: "Kim Min-jun".into(),
            nationality: "kor".into(),
            organization: "".into(),
            roles: vec![],
            clearance: Clearance::default(),
            disabled: false,
            person: Some("kim min-jun".into()),
        };
        let e = check_user(&u).unwrap_err();
        assert_eq!(e.len(), 5, "{e:?}");
        assert!(e[4].starts_with("--person: "), "{e:?}");
        u.person = Some("kim-min-jun".into());
        u.name = "kim.minjun".into();
        u.nationality = "KOR".into();
        u.organization = "DAPA".into();
        u.roles = vec![Role::Member];
        assert!(check_user(&u).is_ok());
        assert!(check_name(&"a".repeat(65)).is_err());
        assert!(check_name("-a").is_err());
    }
}
