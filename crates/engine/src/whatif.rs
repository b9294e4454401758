//! What-if analysis: the same questions on a snapshot with hypothetical actions applied.

use defcoop_domain::model::{ConformanceStatus, Fidelity, GatewayStatus};

use crate::snapshot::{GatewayInfo, Snapshot};
use crate::EngineError;

/// A hypothetical standardisation action (also the steps of a gap-closure plan).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Action {
    /// A claimed conformance becomes tested.
    Test { system: String, standard: String },
    /// A system adopts, as tested, a standard of a domain it already has a conformance in.
    Adopt { system: String, standard: String },
    /// A planned gateway is fielded.
    Field { gateway: String },
    /// A new bidirectional, full-fidelity, fielded gateway between two standards of a domain.
    Gateway {
        domain: String,
        from: String,
        to: String,
    },
}

impl Action {
    /// The kind's name, which is also its tie-break rank order: test, adopt, field, gateway.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Test { .. } => "test",
            Action::Adopt { .. } => "adopt",
            Action::Field { .. } => "field",
            Action::Gateway { .. } => "gateway",
        }
    }
}

impl Snapshot {
    /// A copy of this snapshot with `actions` applied in order. The copy shares every part
    /// the actions leave alone with `self` (a test or adopt copies only its domain's data).
    pub fn apply(&self, actions: &[Action]) -> Result<Snapshot, EngineError> {
        let mut s = self.clone();
        for a in actions {
            s.apply_one(a)?;
        }
        Ok(s)
    }

    pub(crate) fn apply_one(&mut self, action: &Action) -> Result<(), EngineError> {
        match action {
            Action::Test { system, standard } => {
                let (sys, std) = (self.system(system)?, self.standard(standard)?);
                let info = &self.standards[std];
                let list = &mut self.domains[info.domain].make_mut().conformances[sys];
                match list.iter_mut().find(|(s, _)| *s == info.local) {
                    Some((_, st)) if *st == ConformanceStatus::Claimed => {
                        *st = ConformanceStatus::Tested;
                        Ok(())
                    }
                    Some(_) => Err(EngineError::BadAction(format!(
                        "{system}'s conformance to {standard} is already tested"
                    ))),
                    None => Err(EngineError::BadAction(format!(
                        "{system} has no conformance to {standard} to test"
                    ))),
                }
            }
            Action::Adopt { system, standard } => {
                let (sys, std) = (self.system(system)?, self.standard(standard)?);
                let info = self.standards[std].clone();
                let domain = self.domains[info.domain].make_mut();
                let list = &mut domain.conformances[sys];
                if list.is_empty() {
                    return Err(EngineError::BadAction(format!(
                        "{system} has no conformance in domain {}, so it cannot adopt {standard}",
                        domain.code
                    )));
                }
                if list.iter().any(|(s, _)| *s == info.local) {
                    return Err(EngineError::BadAction(format!(
                        "{system} already conforms to {standard}"
                    )));
                }
                list.push((info.local, ConformanceStatus::Tested));
                list.sort_unstable();
                Ok(())
            }
            Action::Field { gateway } => {
                let g = self.gateway(gateway)?;
                if self.gateways[g].status == GatewayStatus::Fielded {
                    return Err(EngineError::BadAction(format!(
                        "gateway {gateway} is already fielded"
                    )));
                }
                self.gateways.make_mut()[g].status = GatewayStatus::Fielded;
                Ok(())
            }
            Action::Gateway { domain, from, to } => {
                let d = self.domain(domain)?;
                let (f, t) = (self.standard(from)?, self.standard(to)?);
                for (id, s) in [(from, f), (to, t)] {
                    if self.standards[s].domain != d {
                        return Err(EngineError::BadAction(format!(
                            "standard {id} is not in domain {domain}"
                        )));
                    }
                }
                if f == t {
                    return Err(EngineError::BadAction(
                        "a gateway joins two different standards".into(),
                    ));
                }
                let id = format!("what-if:{domain}:{from}:{to}");
                let g = self.gateways.len();
                self.domains[d].make_mut().gateways.push(g);
                self.gateway_index.make_mut().insert(id.clone(), g);
                self.gateways.make_mut().push(GatewayInfo {
                    name: format!("new gateway {from} ↔ {to}"),
                    id,
                    domain: d,
                    from: f,
                    to: t,
                    bidirectional: true,
                    fidelity: Fidelity::Full,
                    status: GatewayStatus::Fielded,
                });
                Ok(())
            }
        }
    }
}
