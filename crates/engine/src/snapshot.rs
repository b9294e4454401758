//! The immutable snapshot the engine answers from, built from one reader's view of the
//! registry. Records the reader may not see never enter it: build it from
//! `Store::snapshot(reader)` (which applies the visibility rules), never from raw rows.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;

use defcoop_domain::model::{ConformanceStatus, Dataset, Fidelity, GatewayStatus};

use crate::EngineError;

/// A system as the engine sees it.
#[derive(Debug, Clone)]
pub struct SystemInfo {
    pub id: String,
    pub name: String,
    pub category: String,
    pub origin: String,
    pub producer: Option<String>,
    pub operators: Vec<String>,
}

/// A standard: its id and its domain (index into [`Snapshot::domains`]) and its index within
/// that domain.
#[derive(Debug, Clone)]
pub struct StandardInfo {
    pub id: String,
    pub domain: usize,
    pub local: u32,
}

/// A gateway between two standards (global indexes) of one domain.
#[derive(Debug, Clone)]
pub struct GatewayInfo {
    pub id: String,
    pub name: String,
    pub domain: usize,
    pub from: usize,
    pub to: usize,
    pub bidirectional: bool,
    pub fidelity: Fidelity,
    pub status: GatewayStatus,
}

/// One domain: its standards and, per system, the system's conformances in it.
#[derive(Debug, Clone)]
pub struct DomainData {
    pub code: String,
    pub name: String,
    /// Global standard indexes, in local order.
    pub standards: Vec<usize>,
    /// Per system (global index): (local standard, status), sorted by standard.
    pub conformances: Vec<Vec<(u32, ConformanceStatus)>>,
    /// Gateways of this domain (global indexes), fielded and planned.
    pub gateways: Vec<usize>,
}

/// A read-only part of a [`Snapshot`] shared between its copies: it reads like the value it
/// holds (`snap.systems[i]`, `snap.systems.len()`, `for s in &snap.systems`), and cloning it
/// only counts a reference. What-if copies the one part an action changes, on write.
#[derive(Debug, Default)]
pub struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    pub(crate) fn new(value: T) -> Shared<T> {
        Shared(Arc::new(value))
    }
}

impl<T: Clone> Shared<T> {
    /// The value for writing: copied first if another snapshot shares it.
    pub(crate) fn make_mut(&mut self) -> &mut T {
        Arc::make_mut(&mut self.0)
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Shared<T> {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<'a, T> IntoIterator for &'a Shared<Vec<T>> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// The registry, indexed for interoperability questions. Cheap to clone for what-if analysis
/// and planning: every part is shared ([`Shared`]) and a domain's data is copied only when an
/// action changes that domain.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub systems: Shared<Vec<SystemInfo>>,
    pub standards: Shared<Vec<StandardInfo>>,
    pub gateways: Shared<Vec<GatewayInfo>>,
    pub domains: Vec<Shared<DomainData>>,
    pub(crate) system_index: Shared<HashMap<String, usize>>,
    pub(crate) standard_index: Shared<HashMap<String, usize>>,
    pub(crate) gateway_index: Shared<HashMap<String, usize>>,
    pub(crate) domain_index: Shared<HashMap<String, usize>>,
    /// Visible nation codes.
    pub(crate) nations: Shared<Vec<String>>,
    /// Bloc code → memberships (dated; see [`defcoop_domain::model::Member::on`]).
    pub(crate) blocs: Shared<HashMap<String, Vec<defcoop_domain::model::Member>>>,
    /// Visible organization ids.
    pub(crate) organizations: Shared<Vec<String>>,
    /// Profile id → its mandatory standards (global indexes), sub-profiles included.
    pub(crate) profiles: Shared<HashMap<String, Vec<usize>>>,
}

impl Snapshot {
    /// Indexes a (reader-visible, valid) dataset. References that do not resolve — which a
    /// visibility-filtered dataset never has — are skipped rather than trusted.
    pub fn new(data: &Dataset) -> Snapshot {
        let domain_index: HashMap<String, usize> = data
            .domains
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.clone(), i))
            .collect();
        let mut domains: Vec<DomainData> = data
            .domains
            .iter()
            .map(|d| DomainData {
                code: d.code.clone(),
                name: d.name.clone(),
                standards: Vec::new(),
                conformances: vec![Vec::new(); data.systems.len()],
                gateways: Vec::new(),
            })
            .collect();

        let mut standards = Vec::with_capacity(data.standards.len());
        let mut standard_index = HashMap::with_capacity(data.standards.len());
        for s in &data.standards {
            let Some(&d) = domain_index.get(&s.domain) else {
                continue;
            };
            let local = domains[d].standards.len() as u32;
            domains[d].standards.push(standards.len());
            standard_index.insert(s.id.clone(), standards.len());
            standards.push(StandardInfo {
                id: s.id.clone(),
                domain: d,
                local,
            });
        }

        let systems: Vec<SystemInfo> = data
            .systems
            .iter()
            .map(|s| SystemInfo {
                id: s.id.clone(),
                name: s.name.clone(),
                category: s.category.clone(),
                origin: s.origin.clone(),
                producer: s.producer.clone(),
                operators: s.operators.iter().map(|o| o.nation.clone()).collect(),
            })
            .collect();
        let system_index: HashMap<String, usize> = systems
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();

        for c in &data.conformances {
            let (Some(&sys), Some(&std)) =
                (system_index.get(&c.system), standard_index.get(&c.standard))
            else {
                continue;
            };
            let info = &standards[std];
            domains[info.domain].conformances[sys].push((info.local, c.status));
        }
        for d in &mut domains {
            for list in &mut d.conformances {
                list.sort_unstable();
            }
        }

        let mut gateways = Vec::with_capacity(data.gateways.len());
        let mut gateway_index = HashMap::new();
        for g in &data.gateways {
            let (Some(&d), Some(&from), Some(&to)) = (
                domain_index.get(&g.domain),
                standard_index.get(&g.from),
                standard_index.get(&g.to),
            ) else {
                continue;
            };
            if standards[from].domain != d || standards[to].domain != d {
                continue;
            }
            domains[d].gateways.push(gateways.len());
            gateway_index.insert(g.id.clone(), gateways.len());
            gateways.push(GatewayInfo {
                id: g.id.clone(),
                name: g.name.clone(),
                domain: d,
                from,
                to,
                bidirectional: g.bidirectional,
                fidelity: g.fidelity,
                status: g.status,
            });
        }

        let by_id = defcoop_domain::nisp::profiles_by_id(&data.profiles);
        let profiles: HashMap<String, Vec<usize>> = data
            .profiles
            .iter()
            .map(|p| {
                let mandatory = defcoop_domain::nisp::mandatory_standards_in(&by_id, &p.id)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|s| standard_index.get(s).copied())
                    .collect();
                (p.id.clone(), mandatory)
            })
            .collect();

        Snapshot {
            systems: Shared::new(systems),
            standards: Shared::new(standards),
            gateways: Shared::new(gateways),
            domains: domains.into_iter().map(Shared::new).collect(),
            system_index: Shared::new(system_index),
            standard_index: Shared::new(standard_index),
            gateway_index: Shared::new(gateway_index),
            domain_index: Shared::new(domain_index),
            nations: Shared::new(data.nations.iter().map(|n| n.code.clone()).collect()),
            blocs: Shared::new(
                data.blocs
                    .iter()
                    .map(|b| (b.code.clone(), b.members.clone()))
                    .collect(),
            ),
            organizations: Shared::new(data.organizations.iter().map(|o| o.id.clone()).collect()),
            profiles: Shared::new(profiles),
        }
    }

    pub fn system(&self, id: &str) -> Result<usize, EngineError> {
        self.system_index
            .get(id)
            .copied()
            .ok_or_else(|| EngineError::UnknownSystem(id.to_string()))
    }

    pub fn standard(&self, id: &str) -> Result<usize, EngineError> {
        self.standard_index
            .get(id)
            .copied()
            .ok_or_else(|| EngineError::UnknownStandard(id.to_string()))
    }

    pub fn gateway(&self, id: &str) -> Result<usize, EngineError> {
        self.gateway_index
            .get(id)
            .copied()
            .ok_or_else(|| EngineError::UnknownGateway(id.to_string()))
    }

    pub fn domain(&self, code: &str) -> Result<usize, EngineError> {
        self.domain_index
            .get(code)
            .copied()
            .ok_or_else(|| EngineError::UnknownDomain(code.to_string()))
    }

    /// Resolves domain codes; an empty list means every domain.
    pub fn domains_or_all(&self, codes: &[String]) -> Result<Vec<usize>, EngineError> {
        if codes.is_empty() {
            return Ok((0..self.domains.len()).collect());
        }
        let mut out = Vec::with_capacity(codes.len());
        for c in codes {
            let d = self.domain(c)?;
            if !out.contains(&d) {
                out.push(d);
            }
        }
        Ok(out)
    }
}
