//! defcoop HTTP: HTML pages for people and `/api/v1` JSON for programs, over the application
//! layer (`defcoop-app`), whose cached read model answers every read. The only crate that knows
//! HTTP; handlers translate requests into use cases and answers into pages or JSON.
//!
//! Every request acts as someone ([`auth`]): a user signed in with a session cookie, or a
//! program with an API token; without either, the API answers 401 and pages redirect to the
//! sign-in page. Embedders and tests may build the application to act as one fixed actor.

mod api;
mod audit;
mod auth;
mod calendar;
mod error;
mod error_text;
mod guard;
mod i18n;
mod interop;
mod interop_api;
mod interop_pages;
mod lang;
mod links;
mod matchmaking;
mod matchmaking_pages;
pub mod oidc;
mod openapi;
mod pages;
mod records;
mod registry;
mod search;
mod serve;
mod signin;
mod workspace;

use std::net::SocketAddr;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use defcoop_app::{Actor, App};
use defcoop_domain::account::Role;
use defcoop_domain::Reader;
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use auth::{CSRF_HEADER, SESSION_COOKIE};
pub use error::{ApiError, WebError, MAX_MESSAGE};
pub use interop_pages::PlanJobs;
pub use openapi::{openapi, openapi_json};
pub use serve::Limits;

/// Shared state of every handler. Who a request acts as is not here but in the request
/// ([`auth::Who`], found by the [`auth::authenticate`] layer).
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Every request acts as this actor instead of signing in (tests, embedders).
    pub fixed: Option<Actor>,
    /// The body limit, also for forms the CSRF check reads.
    pub max_body_bytes: usize,
    /// Where browsers reach this server (`http://HOST:PORT`, no trailing slash): identity
    /// providers send them back to `{public_url}/signin/oidc/callback`, which must match the
    /// redirect URI registered with them exactly.
    pub public_url: String,
    /// Talking to identity providers, and their cached discovery documents.
    pub oidc: std::sync::Arc<oidc::Oidc>,
    /// The gap-closure plans computed or under way (a bounded cache).
    pub plan_jobs: std::sync::Arc<PlanJobs>,
}

/// All routes, with the default [`Limits`].
pub fn router(state: AppState) -> Router {
    router_with(state, &Limits::default())
}

/// All routes, and the layers every request passes: errors in one shape (outermost), the
/// request time-out, the guard on state-changing requests, the body limit.
pub fn router_with(state: AppState, limits: &Limits) -> Router {
    Router::new()
        .route("/", get(pages::index))
        .route(
            "/transfers",
            get(pages::transfers).post(registry::forms::create),
        )
        .route(
            "/api/v1/transfers",
            get(api::transfers).post(records::create_transfer),
        )
        .route(
            "/api/v1/transfers/{id}",
            get(api::transfer)
                .put(records::update_transfer)
                .delete(records::delete_transfer),
        )
        .route("/api/v1/records/{kind}/{*key}", get(api::record))
        .route("/api/v1/interop/pair", get(interop::pair))
        .route("/api/v1/interop/matrix", get(interop::matrix))
        // Interoperability and flows pages, and the engine's what-if, plan and flows API
        // (issue 12, items 2 and 3: the interop-pages part).
        .route("/api/v1/interop/whatif", get(interop_api::whatif))
        .route("/api/v1/interop/plan", get(interop_api::plan))
        .route("/api/v1/flows", get(interop_api::flows))
        .route("/interop/pair", get(interop_pages::pair))
        .route("/interop/matrix", get(interop_pages::matrix))
        .route("/interop/matrix/cell", get(interop_pages::cell))
        .route("/interop/whatif", get(interop_pages::whatif))
        .route("/interop/plan", get(interop_pages::plan))
        .route("/interop/plan/jobs/{id}", get(interop_pages::job))
        .route(
            "/interop/plan/jobs/{id}/plan.json",
            get(interop_pages::job_json),
        )
        .route(
            "/interop/plan/jobs/{id}/plan.csv",
            get(interop_pages::job_csv),
        )
        .route("/flows", get(interop_pages::flows))
        .route(
            "/api/v1/labels/{kind}/{*key}",
            get(api::label).put(api::put_label),
        )
        .route("/signin", get(signin::page).post(signin::sign_in))
        .route("/signout", post(signin::sign_out))
        .route("/setup", get(signin::setup_page).post(signin::setup))
        .route("/signin/oidc/callback", get(oidc::callback))
        .route("/signin/oidc/{id}", get(oidc::start))
        .route("/api/v1/me", get(signin::me))
        .route("/admin/audit", get(audit::page))
        .route("/api/openapi.json", get(openapi::spec))
        // The registry's records, every kind (records.rs: API; registry pages: pages/).
        .route("/api/v1/{kind}", get(records::list).post(records::create))
        .route(
            "/api/v1/{kind}/{*key}",
            get(records::get)
                .put(records::update)
                .delete(records::delete),
        )
        // Languages (issue 12, item 5): remember the reader's choice and go back.
        .route("/lang/{code}", get(lang::switch))
        // Search (issue 12, item 4): the page, the JSON answer, suggestions, their script.
        .route("/search", get(search::page))
        .route("/api/v1/search", get(search::api))
        .route("/api/v1/search/suggest", get(search::suggest))
        .route("/static/search.js", get(search::script))
        // The consultative body's workspace (issue 9): its API, namespaced away from the
        // generic record routes, and its pages (workspace/).
        .route("/api/v1/consortium/check", post(matchmaking::check))
        .route("/api/v1/match", get(matchmaking::matches))
        .route("/api/v1/consortium/build", get(matchmaking::build))
        .route("/api/v1/brokerage/schedule", post(matchmaking::brokerage))
        .route("/api/v1/brokerage/agenda", post(matchmaking::agenda))
        .route("/matchmaking/build", get(matchmaking_pages::build_page))
        .route("/matchmaking", get(matchmaking_pages::match_page))
        .route(
            "/matchmaking/consortium",
            get(matchmaking_pages::consortium_page),
        )
        .route("/api/v1/workspace/meetings", get(workspace::api::meetings))
        .route(
            "/api/v1/workspace/meetings/{id}",
            get(workspace::api::meeting),
        )
        .route(
            "/api/v1/workspace/meetings/{id}/close",
            post(workspace::api::close_meeting),
        )
        .route(
            "/api/v1/workspace/meetings/{id}/cancel",
            post(workspace::api::cancel_meeting),
        )
        .route(
            "/api/v1/workspace/minutes/{id}/circulate",
            post(workspace::api::circulate_minutes),
        )
        .route(
            "/api/v1/workspace/minutes/{id}/approve",
            post(workspace::api::approve_minutes),
        )
        .route(
            "/api/v1/workspace/minutes/{id}/comment",
            post(workspace::api::comment_minutes),
        )
        .route(
            "/api/v1/workspace/minutes/{id}/correct",
            post(workspace::api::correct_minutes),
        )
        .route(
            "/api/v1/workspace/minutes/{id}/markdown",
            get(workspace::api::minutes_markdown),
        )
        .route(
            "/api/v1/workspace/proposals/table-plan",
            post(workspace::api::table_plan),
        )
        .route(
            "/api/v1/workspace/proposals/{id}/move",
            post(workspace::api::move_proposal),
        )
        .route(
            "/api/v1/workspace/proposals/{id}/assign",
            post(workspace::api::assign_plan),
        )
        .route("/api/v1/workspace/actions", get(workspace::api::actions))
        .route(
            "/api/v1/workspace/actions/{id}",
            get(workspace::api::action),
        )
        .route(
            "/api/v1/workspace/actions/{id}/status",
            post(workspace::api::set_action_status),
        )
        .route("/api/v1/workspace/timeline", get(workspace::api::timeline))
        .route("/api/v1/workspace/network", get(workspace::api::network))
        .route("/workspace", get(workspace::hub::hub))
        .route("/workspace/meetings/{id}", get(workspace::meeting::page))
        .route(
            "/workspace/meetings/{id}/close",
            post(workspace::meeting::close),
        )
        .route(
            "/workspace/meetings/{id}/cancel",
            post(workspace::meeting::cancel),
        )
        .route("/workspace/minutes/{id}", get(workspace::minutes::page))
        .route(
            "/workspace/minutes/{id}/circulate",
            post(workspace::minutes::circulate),
        )
        .route(
            "/workspace/minutes/{id}/approve",
            post(workspace::minutes::approve),
        )
        .route(
            "/workspace/minutes/{id}/comment",
            post(workspace::minutes::comment),
        )
        .route(
            "/workspace/minutes/{id}/correct",
            post(workspace::minutes::correct),
        )
        .route(
            "/workspace/proposals/table",
            get(workspace::table::form).post(workspace::table::table),
        )
        .route("/workspace/proposals/{id}", get(workspace::proposal::page))
        .route(
            "/workspace/proposals/{id}/move",
            post(workspace::proposal::move_to),
        )
        .route(
            "/workspace/proposals/{id}/assign",
            post(workspace::proposal::assign),
        )
        .route("/workspace/actions", get(workspace::actions::page))
        .route(
            "/workspace/actions/{id}/status",
            post(workspace::actions::set_status),
        )
        .route("/workspace/timeline", get(workspace::people::timeline))
        .route("/workspace/network", get(workspace::people::network))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(registry::routes(Router::new()))
        // Calendars (issue 9, item 5): iCalendar files, feeds and their API (calendar.rs).
        .merge(calendar::routes(Router::new()))
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(axum::middleware::from_fn(guard::writes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            lang::remember,
        ))
        .with_state(state)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.request_timeout,
        ))
        .layer(axum::middleware::from_fn(error::uniform))
        .layer(TraceLayer::new_for_http())
}

/// Liveness: the process answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "service",
    security(()),
    responses((status = 200, description = "The process answers.", content_type = "text/plain",
        body = String, example = "ok\n")),
)]
async fn healthz() -> &'static str {
    "ok\n"
}

/// Readiness: the database answers.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "service",
    security(()),
    responses(
        (status = 200, description = "The database answers.", content_type = "text/plain",
            body = String, example = "ready\n"),
        (status = 503, description = "The database does not answer.", content_type = "text/plain",
            body = String, example = "database unavailable\n"),
    ),
)]
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.app.store().ping().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}

/// Whether `url` can be the public URL: `http://` or `https://`, a host (and port), nothing
/// after it but an optional `/`.
pub fn check_public_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("{url:?} does not start with http:// or https://"))?;
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty()
        || authority
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "/?#@\\".contains(c))
    {
        return Err(format!(
            "{url:?} is not scheme://host[:port] (no path, query or credentials)"
        ));
    }
    Ok(())
}

/// A bound server, ready to run. Bind to port 0 in tests and read [`Application::port`].
pub struct Application {
    listener: TcpListener,
    state: AppState,
    limits: Limits,
}

impl Application {
    /// Binds `bind` and serves `app` (build it with [`App::cached`] for a server).
    pub async fn build(app: App, bind: SocketAddr) -> std::io::Result<Application> {
        let listener = TcpListener::bind(bind).await?;
        let public_url = format!("http://{}", listener.local_addr()?);
        Ok(Application {
            listener,
            state: AppState {
                app,
                fixed: None,
                max_body_bytes: Limits::default().max_body_bytes,
                public_url,
                oidc: std::sync::Arc::new(oidc::Oidc::new()),
                plan_jobs: Default::default(),
            },
            limits: Limits::default(),
        })
    }

    /// Serves every request as `reader`, with no role (so writes are refused): for tests and
    /// embedders. Nobody signs in then.
    pub fn reading_as(mut self, reader: Reader) -> Self {
        self.state.fixed = Some(Actor::reading_as("test", reader));
        self
    }

    /// Serves every request, writes included, as `reader` with every role: for tests and
    /// operator tooling that embed the server. Nobody signs in then.
    pub fn acting_as(mut self, reader: Reader) -> Self {
        self.state.fixed = Some(Actor::reading_as("embedder", reader).with_roles(&Role::ALL));
        self
    }

    /// Where browsers reach this server (default `http://` and the bound address): the base of
    /// the redirect URI identity providers send browsers back to. A trailing `/` is dropped.
    pub fn public_url(mut self, url: &str) -> Self {
        self.state.public_url = url.trim_end_matches('/').to_string();
        self
    }

    /// The base of the redirect URI (`{public_url}/signin/oidc/callback`).
    pub fn public_url_str(&self) -> &str {
        &self.state.public_url
    }

    /// Serves with these limits instead of [`Limits::default`].
    pub fn limits(mut self, limits: Limits) -> Self {
        self.state.max_body_bytes = limits.max_body_bytes;
        self.limits = limits;
        self
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn port(&self) -> u16 {
        self.local_addr().map_or(0, |a| a.port())
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let router = router_with(self.state, &self.limits);
        serve::serve(self.listener, router, self.limits, shutdown).await
    }
}
