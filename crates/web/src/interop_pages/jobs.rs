//! Gap-closure plans as background jobs, held in a bounded in-memory cache.
//!
//! A job's id is the SHA-256 of (what the engine sees of the reader's view — the app's
//! `interop_digest`, which changes with any visible record or label and is the same for every
//! reader of the view —, the normalized question). So:
//! - any server can recompute a job it does not hold: the job's URL carries its question, and
//!   a server finding no job under a matching id starts it again;
//! - a reader of another clearance computes another id for the same question (the digest
//!   covers records only the view's readers may see, so it cannot be guessed from outside),
//!   and a job is only ever served after its id was recomputed from the asking reader's own
//!   view, and its view checked again;
//! - two databases that differ only in what a reader may not see give that reader the same id.
//!
//! At most [`MAX_JOBS`] jobs are held (the oldest finished one is evicted first) and
//! [`MAX_RUNNING`] run at once; the others wait for a worker.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use defcoop_app::{Actor, App, MatrixOutcome, PlanQuery};
use defcoop_engine::Plan;
use sha2::Digest;
use tokio::sync::{watch, Semaphore};

use crate::api::ApiError;

/// Jobs held at most.
pub const MAX_JOBS: usize = 32;
/// Jobs computing at once.
pub const MAX_RUNNING: usize = 2;

/// A finished plan with the matrices before and after its steps.
pub struct PlanResult {
    pub plan: Plan,
    pub before: MatrixOutcome,
    /// `None` when the plan has no step (the matrix is `before`).
    pub after: Option<MatrixOutcome>,
}

pub type Outcome = Result<PlanResult, ApiError>;

/// How far a job is.
#[derive(Default)]
pub struct JobProgress {
    started: AtomicBool,
    total: AtomicU64,
    done: AtomicU64,
}

impl JobProgress {
    /// (started, done, total).
    pub fn get(&self) -> (bool, u64, u64) {
        (
            self.started.load(Ordering::Relaxed),
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

impl defcoop_engine::Progress for JobProgress {
    fn start(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
    }
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
}

pub struct Job {
    pub id: String,
    /// The digest of the view it was computed over.
    pub view: Arc<str>,
    pub progress: Arc<JobProgress>,
    result: watch::Receiver<Option<Arc<Outcome>>>,
}

impl Job {
    /// The outcome, when finished.
    pub fn outcome(&self) -> Option<Arc<Outcome>> {
        self.result.borrow().clone()
    }

    /// Waits for the outcome.
    pub async fn finished(&self) -> Arc<Outcome> {
        let mut rx = self.result.clone();
        let got = match rx.wait_for(|v| v.is_some()).await {
            Ok(v) => v.clone(),
            Err(_) => None,
        };
        got.unwrap_or_else(|| Arc::new(Err(lost())))
    }
}

fn lost() -> ApiError {
    ApiError(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the plan's computation stopped".into(),
    )
}

/// The jobs of one server.
pub struct PlanJobs {
    jobs: Mutex<Jobs>,
    workers: Arc<Semaphore>,
}

#[derive(Default)]
struct Jobs {
    by_id: HashMap<String, Arc<Job>>,
    order: VecDeque<String>,
}

impl Default for PlanJobs {
    fn default() -> Self {
        PlanJobs {
            jobs: Mutex::new(Jobs::default()),
            workers: Arc::new(Semaphore::new(MAX_RUNNING)),
        }
    }
}

/// The id of a question over a view.
pub fn job_id(view: &str, normalized: &str) -> String {
    let mut h = sha2::Sha256::new();
    h.update(b"defcoop plan job 1\n");
    h.update(view.as_bytes());
    h.update(b"\n");
    h.update(normalized.as_bytes());
    format!("{:x}", h.finalize())
}

impl PlanJobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, Jobs> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The job `id` if held and computed over `view`.
    pub fn get(&self, id: &str, view: &str) -> Option<Arc<Job>> {
        let jobs = self.lock();
        jobs.by_id
            .get(id)
            .filter(|j| &*j.view == view)
            .map(Arc::clone)
    }

    /// The job for `query` over `view` (id `id`): held, or started now as `actor`. 503 when
    /// every held job is still under way.
    pub fn get_or_start(
        &self,
        id: &str,
        view: Arc<str>,
        app: &App,
        actor: &Actor,
        query: PlanQuery,
    ) -> Result<Arc<Job>, ApiError> {
        let mut jobs = self.lock();
        if let Some(j) = jobs.by_id.get(id) {
            if j.view == view {
                return Ok(Arc::clone(j));
            }
            // The same id over another view cannot happen (the id covers the view); refuse.
            return Err(ApiError::not_found(format!("plan job {id}")));
        }
        if jobs.order.len() >= MAX_JOBS {
            let finished = jobs
                .order
                .iter()
                .position(|k| jobs.by_id.get(k).is_none_or(|j| j.outcome().is_some()));
            match finished {
                Some(at) => {
                    if let Some(old) = jobs.order.remove(at) {
                        jobs.by_id.remove(&old);
                    }
                }
                None => {
                    return Err(ApiError(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "too many plans are under way; try again shortly".into(),
                    ))
                }
            }
        }
        let (tx, rx) = watch::channel(None);
        let progress = Arc::new(JobProgress::default());
        let job = Arc::new(Job {
            id: id.to_string(),
            view,
            progress: Arc::clone(&progress),
            result: rx,
        });
        jobs.order.push_back(id.to_string());
        jobs.by_id.insert(id.to_string(), Arc::clone(&job));
        drop(jobs);
        let (app, actor, workers) = (app.clone(), actor.clone(), Arc::clone(&self.workers));
        tokio::spawn(async move {
            let _worker = workers.acquire_owned().await;
            progress.started.store(true, Ordering::Relaxed);
            let outcome = run(&app, &actor, &query, progress).await;
            tx.send_replace(Some(Arc::new(outcome)));
        });
        Ok(job)
    }
}

async fn run(app: &App, actor: &Actor, query: &PlanQuery, progress: Arc<JobProgress>) -> Outcome {
    let outcome = app.plan(actor, query, progress).await?;
    let plan = outcome.plan;
    if plan.steps.is_empty() {
        let before = app
            .matrix(actor, &query.fleets, Arc::new(defcoop_engine::NoProgress))
            .await?;
        return Ok(PlanResult {
            plan,
            before,
            after: None,
        });
    }
    let actions: Vec<String> = plan
        .steps
        .iter()
        .map(|s| super::action_arg(&s.action))
        .collect();
    let w = app.whatif(actor, &query.fleets, &actions).await?;
    Ok(PlanResult {
        plan,
        before: w.before,
        after: Some(w.after),
    })
}
