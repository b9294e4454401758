//! Interoperability use cases: a pair with its evidence, a fleet matrix, a gap-closure plan and
//! what-if, each over the actor's view. The engine computes; this layer resolves the query
//! against the view, bounds what the answer may cost, and runs the work off the async runtime.

use std::sync::Arc;
use std::time::{Duration, Instant};

use defcoop_engine::{
    matrix, pair, plan, select, Action, Filter, Level, Matrix, MatrixReport, PairReport, Plan,
    Progress, Snapshot,
};
use defcoop_store::Parts;

use crate::{compute, Actor, App, AppError, Result};

/// Most (a, b, domain) triples a matrix may list one by one.
pub const MAX_LISTED_PAIRS: usize = 5_000_000;

/// Most actions of a plan or a what-if.
pub const MAX_ACTIONS: usize = 1000;

/// Two fleets and the domains to rate them in.
#[derive(Debug, Clone, Default)]
pub struct MatrixQuery {
    /// Filters of the left fleet (ANDed): `all`, `operator:X`, `origin:X`, `category:C`,
    /// `producer:ORG`, `ids:a,b`, `profile:P`.
    pub left: Vec<String>,
    pub right: Vec<String>,
    /// Domain codes; empty means every domain.
    pub domains: Vec<String>,
    /// Also list every pair.
    pub pairs: bool,
    /// Most triples `pairs` may list, below [`MAX_LISTED_PAIRS`] (`None`: that). A server asks
    /// for fewer: each listed triple is some 85 bytes of JSON, built in memory.
    pub max_listed: Option<usize>,
    /// The day whose members a bloc filter (`operator:NATO`) means; `None`: today.
    pub on: Option<defcoop_domain::model::Day>,
}

/// A gap-closure plan's question.
#[derive(Debug, Clone)]
pub struct PlanQuery {
    pub fleets: MatrixQuery,
    /// The level a triple must reach to count as covered: 1, 2 or 3.
    pub target: u8,
    /// Number of actions at most (1 to [`MAX_ACTIONS`]).
    pub budget: usize,
}

/// A matrix with what it was computed over: the snapshot it indexes into and both fleets.
pub struct MatrixOutcome {
    pub snapshot: Arc<Snapshot>,
    pub matrix: Matrix,
    pub left: Vec<usize>,
    pub right: Vec<usize>,
    pub with_pairs: bool,
    pub timings: Timings,
}

/// How long an answer took: getting the view and its engine snapshot (loading, in a one-shot
/// command; nearly nothing from a warm cache), then computing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub load: Duration,
    pub compute: Duration,
}

/// A plan with the sizes of both fleets.
pub struct PlanOutcome {
    pub plan: Plan,
    pub left: usize,
    pub right: usize,
    pub timings: Timings,
}

impl MatrixOutcome {
    /// The answer in its JSON shape.
    pub fn report(&self) -> MatrixReport<'_> {
        MatrixReport {
            snapshot: &self.snapshot,
            matrix: &self.matrix,
            pairs: self.with_pairs,
        }
    }
}

/// The same fleets before and after some actions.
pub struct WhatIf {
    pub actions: Vec<Action>,
    pub before: MatrixOutcome,
    pub after: MatrixOutcome,
}

fn filters(side: &str, fs: &[String]) -> Result<Vec<Filter>> {
    if fs.is_empty() {
        return Err(AppError::BadRequest(format!(
            "the {side} fleet needs a filter (e.g. all, operator:POL, origin:KOR)"
        )));
    }
    fs.iter()
        .map(|f| Filter::parse(f).map_err(AppError::from))
        .collect()
}

type Resolved = (Vec<usize>, Vec<usize>, Vec<usize>);

fn resolve(snap: &Snapshot, q: &MatrixQuery) -> Result<Resolved> {
    let on = q.on.unwrap_or_else(crate::clock::today);
    let left = select(snap, &filters("left", &q.left)?, on)?;
    let right = select(snap, &filters("right", &q.right)?, on)?;
    let domains = snap.domains_or_all(&q.domains)?;
    if q.pairs {
        let n = left
            .len()
            .saturating_mul(right.len())
            .saturating_mul(domains.len());
        let most = q
            .max_listed
            .map_or(MAX_LISTED_PAIRS, |m| m.min(MAX_LISTED_PAIRS));
        if n > most {
            return Err(AppError::BadRequest(format!(
                "listing every pair would list {n} pairs; narrow the fleets or the domains (at most {most})"
            )));
        }
    }
    Ok((left, right, domains))
}

fn target_level(target: u8) -> Result<Level> {
    match target {
        1 => Ok(Level::Deconflicted),
        2 => Ok(Level::Compatible),
        3 => Ok(Level::Integrated),
        _ => Err(AppError::BadRequest(format!(
            "target {target} is not a level (1, 2 or 3)"
        ))),
    }
}

/// Parses a what-if action: `test:SYSTEM:STANDARD`, `adopt:SYSTEM:STANDARD`, `field:GATEWAY`,
/// `gateway:DOMAIN:FROM:TO`.
pub fn parse_action(s: &str) -> Result<Action> {
    let parts: Vec<&str> = s.split(':').collect();
    let owned = |i: usize| parts[i].to_string();
    let ok = parts.iter().skip(1).all(|p| !p.is_empty());
    match (parts.first().copied(), parts.len(), ok) {
        (Some("test"), 3, true) => Ok(Action::Test {
            system: owned(1),
            standard: owned(2),
        }),
        (Some("adopt"), 3, true) => Ok(Action::Adopt {
            system: owned(1),
            standard: owned(2),
        }),
        (Some("field"), 2, true) => Ok(Action::Field { gateway: owned(1) }),
        (Some("gateway"), 4, true) => Ok(Action::Gateway {
            domain: owned(1),
            from: owned(2),
            to: owned(3),
        }),
        _ => Err(AppError::BadRequest(format!(
            "\"{}\" is not an action (test:SYSTEM:STANDARD, adopt:SYSTEM:STANDARD, field:GATEWAY, gateway:DOMAIN:FROM:TO)",
            crate::render::cut(s, 200)
        ))),
    }
}

impl App {
    /// The engine's snapshot of the actor's view, and how long getting it took.
    async fn engine_view(&self, actor: &Actor) -> Result<(Arc<Snapshot>, Duration)> {
        let started = Instant::now();
        let view = self.view(actor, Parts::Engine).await?;
        // Built once per view; only the first build goes to the blocking pool.
        let snap = match view.engine_if_built() {
            Some(snap) => snap,
            None => compute(move || Ok(view.engine())).await?,
        };
        Ok((snap, started.elapsed()))
    }

    /// Rates systems `a` and `b` in `domains` (every domain either takes part in when empty).
    pub async fn pair(
        &self,
        actor: &Actor,
        a: &str,
        b: &str,
        domains: &[String],
    ) -> Result<PairReport> {
        let (snap, _) = self.engine_view(actor).await?;
        // One pair costs a few bitset operations and breadth-first searches over one domain's
        // gateways (bounded by the registry, well under a millisecond at 10,000 systems):
        // answered in place, without a hop to the blocking pool.
        Ok(pair(&snap, a, b, domains)?)
    }

    /// Rates every pair of two fleets, per domain and per pair of origin nations.
    pub async fn matrix(
        &self,
        actor: &Actor,
        query: &MatrixQuery,
        progress: Arc<dyn Progress + Send + Sync>,
    ) -> Result<MatrixOutcome> {
        let (snap, load) = self.engine_view(actor).await?;
        let query = query.clone();
        compute(move || {
            let started = Instant::now();
            let (left, right, domains) = resolve(&snap, &query)?;
            let m = matrix(&snap, &left, &right, &domains, query.pairs, &*progress);
            Ok(MatrixOutcome {
                snapshot: snap,
                matrix: m,
                left,
                right,
                with_pairs: query.pairs,
                timings: Timings {
                    load,
                    compute: started.elapsed(),
                },
            })
        })
        .await
    }

    /// The few actions that raise the most (a, b, domain) triples to the target level.
    pub async fn plan(
        &self,
        actor: &Actor,
        query: &PlanQuery,
        progress: Arc<dyn Progress + Send + Sync>,
    ) -> Result<PlanOutcome> {
        if query.budget == 0 || query.budget > MAX_ACTIONS {
            return Err(AppError::BadRequest(format!(
                "the budget must be between 1 and {MAX_ACTIONS} actions"
            )));
        }
        let target = target_level(query.target)?;
        let (snap, load) = self.engine_view(actor).await?;
        let query = query.clone();
        compute(move || {
            let started = Instant::now();
            let (left, right, domains) = resolve(&snap, &query.fleets)?;
            let p = plan(
                &snap,
                &left,
                &right,
                &domains,
                target,
                query.budget,
                &*progress,
            )?;
            Ok(PlanOutcome {
                plan: p,
                left: left.len(),
                right: right.len(),
                timings: Timings {
                    load,
                    compute: started.elapsed(),
                },
            })
        })
        .await
    }

    /// The matrix of two fleets now and after `actions` (applied in order; planned gateways
    /// count once fielded).
    pub async fn whatif(
        &self,
        actor: &Actor,
        query: &MatrixQuery,
        actions: &[String],
    ) -> Result<WhatIf> {
        if actions.is_empty() || actions.len() > MAX_ACTIONS {
            return Err(AppError::BadRequest(format!(
                "give between 1 and {MAX_ACTIONS} actions"
            )));
        }
        let actions = actions
            .iter()
            .map(|a| parse_action(a))
            .collect::<Result<Vec<_>>>()?;
        let (snap, _) = self.engine_view(actor).await?;
        let query = query.clone();
        compute(move || {
            let (left, right, domains) = resolve(&snap, &query)?;
            let changed = Arc::new(snap.apply(&actions)?);
            let rate = |s: &Arc<Snapshot>| MatrixOutcome {
                snapshot: Arc::clone(s),
                matrix: matrix(
                    s,
                    &left,
                    &right,
                    &domains,
                    query.pairs,
                    &defcoop_engine::NoProgress,
                ),
                left: left.clone(),
                right: right.clone(),
                with_pairs: query.pairs,
                timings: Timings::default(),
            };
            Ok(WhatIf {
                before: rate(&snap),
                after: rate(&changed),
                actions,
            })
        })
        .await
    }
}

/// Writes into a SHA-256 digest (serialization streamed, never held whole).
struct HashWriter(sha2::Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        sha2::Digest::update(&mut self.0, bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One array of a dataset into the digest, as JSON and a newline.
fn hash_part<T: serde::Serialize>(w: &mut HashWriter, v: &[T]) -> Result<()> {
    let fail = |e: std::io::Error| AppError::Internal(format!("digest: {e}"));
    serde_json::to_writer(&mut *w, v).map_err(|e| fail(e.into()))?;
    std::io::Write::write_all(w, b"\n").map_err(fail)
}

/// SHA-256 (hex) of everything the engine reads of a view: records and their labels.
fn engine_digest(d: &defcoop_domain::model::Dataset) -> Result<String> {
    use sha2::Digest;
    let mut w = HashWriter(sha2::Sha256::new());
    hash_part(&mut w, &d.policies)?;
    hash_part(&mut w, &d.nations)?;
    hash_part(&mut w, &d.blocs)?;
    hash_part(&mut w, &d.organizations)?;
    hash_part(&mut w, &d.domains)?;
    hash_part(&mut w, &d.standards)?;
    hash_part(&mut w, &d.profiles)?;
    hash_part(&mut w, &d.systems)?;
    hash_part(&mut w, &d.conformances)?;
    hash_part(&mut w, &d.gateways)?;
    Ok(format!("{:x}", w.0.finalize()))
}

impl App {
    /// What the interoperability engine sees of the actor's view, as a digest: equal for two
    /// actors exactly when their engine answers are equal, different when any record or label
    /// they may see differs (a later generation that changed nothing visible keeps it). Only a
    /// reader of the view can know it: it covers records others may not read. Kept per view.
    pub async fn interop_digest(&self, actor: &Actor) -> Result<Arc<str>> {
        let view = self.view(actor, Parts::Engine).await?;
        compute(move || view.rendered("interop.digest", || engine_digest(view.data()))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_parse() {
        assert_eq!(
            parse_action("test:k9:STANAG-4425").unwrap(),
            Action::Test {
                system: "k9".into(),
                standard: "STANAG-4425".into()
            }
        );
        assert_eq!(
            parse_action("gateway:d:a:b").unwrap(),
            Action::Gateway {
                domain: "d".into(),
                from: "a".into(),
                to: "b".into()
            }
        );
        assert!(parse_action("field:").is_err());
        assert!(parse_action("test:k9").is_err());
        assert!(parse_action("launch:k9:x").is_err());
        assert!(parse_action("").is_err());
    }
}
