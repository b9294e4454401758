//! Use cases on single records: get one, its label (show, set, clear), NISP profiles (show,
//! implement).

use std::collections::HashSet;

use defcoop_domain::account::Permission;
use defcoop_domain::import::Incoming;
use defcoop_domain::model::{Conformance, ConformanceStatus, Dataset, Kind};
use defcoop_domain::{stanag4774, Label};
use defcoop_store::{ImportError, ImportOutcome, Parts};
use serde::Serialize;

use crate::readmodel::find;
use crate::{Actor, App, AppError, Result};

/// A kind of labelled record, named by its singular or plural name (`system`, `transfers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordKind(pub Kind);

impl RecordKind {
    pub fn parse(name: &str) -> Result<RecordKind> {
        Kind::labelled_by_name(name).map(RecordKind).ok_or_else(|| {
            let known: Vec<&str> = Kind::ALL
                .iter()
                .filter(|k| **k != Kind::Policy)
                .map(|k| k.noun())
                .collect();
            AppError::NotFound(format!(
                "kind of record \"{}\" (one of: {})",
                crate::render::cut(name, 100),
                known.join(", ")
            ))
        })
    }
}

impl RecordKind {
    /// Any kind of record, policies included (policies carry no label, so
    /// [`RecordKind::parse`] leaves them out).
    pub fn parse_any(name: &str) -> Result<RecordKind> {
        match Kind::from_array(name).or_else(|| Kind::ALL.into_iter().find(|k| k.noun() == name)) {
            Some(k) => Ok(RecordKind(k)),
            None => RecordKind::parse(name),
        }
    }
}

fn not_found(kind: Kind, key: &str) -> AppError {
    AppError::NotFound(format!(
        "{} \"{}\"",
        kind.noun(),
        crate::render::cut(key, 200)
    ))
}

/// A record of `kind` with key `key` in `data`, as its dataset JSON (a conformance's key is
/// `SYSTEM/STANDARD`).
fn record_json(data: &Dataset, kind: Kind, key: &str) -> Option<serde_json::Value> {
    macro_rules! by_str {
        ($field:ident) => {
            find(&data.$field, key).and_then(|r| serde_json::to_value(r).ok())
        };
    }
    match kind {
        Kind::Policy => by_str!(policies),
        Kind::Nation => by_str!(nations),
        Kind::Bloc => by_str!(blocs),
        Kind::Organization => by_str!(organizations),
        Kind::Person => by_str!(people),
        Kind::Domain => by_str!(domains),
        Kind::Standard => by_str!(standards),
        Kind::Profile => by_str!(profiles),
        Kind::System => by_str!(systems),
        Kind::Gateway => by_str!(gateways),
        Kind::Transfer => by_str!(transfers),
        Kind::Body => by_str!(bodies),
        Kind::Meeting => by_str!(meetings),
        Kind::Minutes => by_str!(minutes),
        Kind::Proposal => by_str!(proposals),
        Kind::Decision => by_str!(decisions),
        Kind::ActionItem => by_str!(action_items),
        Kind::Engagement => by_str!(engagements),
        Kind::Document => by_str!(documents),
        Kind::CapabilityArea => by_str!(capability_areas),
        Kind::Need => by_str!(needs),
        Kind::Offer => by_str!(offers),
        Kind::Instrument => by_str!(instruments),
        Kind::Conformance => {
            let (system, standard) = key.split_once('/')?;
            find(&data.conformances, (system, standard)).and_then(|r| serde_json::to_value(r).ok())
        }
    }
}

/// A profile's mandatory standards and the systems that conform to all of them.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileAnswer {
    pub profile: String,
    pub title: String,
    pub kind: &'static str,
    pub mandatory: Vec<String>,
    pub systems: Vec<String>,
}

/// Reads a label file: STANAG 4774 XML when it starts with `<` (or a byte-order mark), else the
/// JSON label. `name` locates problems.
pub fn parse_label(name: &str, bytes: &[u8]) -> Result<Label> {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    if bytes.get(start) == Some(&b'<') || bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        stanag4774::label_from_xml(name, bytes)
            .map_err(|p| AppError::BadRequest(format!("not a valid STANAG 4774 label: {p}")))
    } else {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| AppError::BadRequest(format!("{name}: not UTF-8 ({e})")))?;
        serde_json::from_str(text).map_err(|e| {
            AppError::BadRequest(format!(
                "{name}: not a label: {}",
                crate::render::cut(&e.to_string(), 200)
            ))
        })
    }
}

/// The profile's mandatory standards, transitively; an error when the profile is unknown or
/// asks for none that the reader may see.
fn mandatory(data: &Dataset, profile: &str) -> Result<Vec<String>> {
    let m = defcoop_domain::nisp::mandatory_standards(&data.profiles, profile)
        .ok_or_else(|| not_found(Kind::Profile, profile))?;
    if m.is_empty() {
        return Err(AppError::BadRequest(format!(
            "profile \"{profile}\" has no mandatory standards (that you may see)"
        )));
    }
    Ok(m)
}

/// Systems conforming (any status) to every standard of `mandatory`.
fn implementing(data: &Dataset, mandatory: &[String]) -> Vec<String> {
    let held: HashSet<(&str, &str)> = data
        .conformances
        .iter()
        .map(|c| (c.system.as_str(), c.standard.as_str()))
        .collect();
    data.systems
        .iter()
        .filter(|s| {
            mandatory
                .iter()
                .all(|std| held.contains(&(s.id.as_str(), std.as_str())))
        })
        .map(|s| s.id.clone())
        .collect()
}

impl App {
    /// One record as its dataset JSON; hidden records are "not found" like absent ones.
    pub async fn record(
        &self,
        actor: &Actor,
        kind: RecordKind,
        key: &str,
    ) -> Result<serde_json::Value> {
        let view = self.view(actor, Parts::holding(kind.0)).await?;
        record_json(view.data(), kind.0, key).ok_or_else(|| not_found(kind.0, key))
    }

    /// A record's label (`None`: the record is unlabelled).
    pub async fn label(&self, actor: &Actor, kind: RecordKind, key: &str) -> Result<Option<Label>> {
        let view = self.view(actor, Parts::holding(kind.0)).await?;
        let label = view
            .data()
            .label_of(kind.0, key)
            .ok_or_else(|| not_found(kind.0, key))?;
        Ok(label.cloned())
    }

    /// Sets (or with `None` removes) a record's label, in one write transaction: the record must
    /// be visible to the actor, who must satisfy the new label.
    pub async fn set_label(
        &self,
        actor: &Actor,
        kind: RecordKind,
        key: &str,
        label: Option<Label>,
    ) -> Result<ImportOutcome> {
        actor.require(Permission::to_write(kind.0))?;
        let out = self
            .store()
            .set_label(kind.0, key, label, &actor.writer())
            .await
            .map_err(|e| match e {
                ImportError::NotFound(_) => not_found(kind.0, key),
                e => e.into(),
            })?;
        self.written(&out).await?;
        Ok(out)
    }

    /// A NISP profile's mandatory standards and the systems implementing it.
    pub async fn profile(&self, actor: &Actor, profile: &str) -> Result<ProfileAnswer> {
        let view = self.view(actor, Parts::Engine).await?;
        let data = view.data();
        let p = find(&data.profiles, profile).ok_or_else(|| not_found(Kind::Profile, profile))?;
        let mandatory = mandatory(data, profile)?;
        let systems = implementing(data, &mandatory);
        Ok(ProfileAnswer {
            profile: p.id.clone(),
            title: p.title.clone(),
            kind: p.kind.as_str(),
            mandatory,
            systems,
        })
    }

    /// Records that `system` implements `profile`: a conformance with `status` to each of the
    /// profile's mandatory standards the system does not conform to yet (existing ones are
    /// kept). Read and write happen in one transaction. Returns the outcome and how many
    /// conformances were new.
    pub async fn implement_profile(
        &self,
        actor: &Actor,
        system: &str,
        profile: &str,
        status: ConformanceStatus,
        evidence: Option<String>,
    ) -> Result<(ImportOutcome, usize)> {
        actor.require(Permission::WriteRegistry)?;
        let mut added = 0;
        let added_ref = &mut added;
        let out = self
            .store()
            .write_with(&actor.writer(), "profile.implement", |data| {
                if find(&data.systems, system).is_none() {
                    return Err(ImportError::NotFound(format!("system \"{system}\"")));
                }
                let mandatory = mandatory(data, profile).map_err(|e| match e {
                    AppError::BadRequest(m) => {
                        ImportError::Invalid(vec![defcoop_domain::Problem::new("profile", m)])
                    }
                    AppError::NotFound(what) => ImportError::NotFound(what),
                    e => ImportError::NotFound(e.to_string()),
                })?;
                let conformances: Vec<Conformance> = mandatory
                    .into_iter()
                    .filter(|std| find(&data.conformances, (system, std.as_str())).is_none())
                    .map(|standard| Conformance {
                        system: system.to_string(),
                        standard,
                        status,
                        evidence: Some(
                            evidence
                                .clone()
                                .unwrap_or_else(|| format!("implements profile {profile}")),
                        ),
                        label: None,
                        sources: vec![],
                        illustrative: false,
                    })
                    .collect();
                *added_ref = conformances.len();
                Ok(Incoming::from_dataset(Dataset {
                    conformances,
                    ..Dataset::default()
                }))
            })
            .await?;
        self.written(&out).await?;
        Ok((out, added))
    }
}
