//! defcoop HTTP: HTML pages for people and `/api/v1` JSON for programs, over the application
//! layer (`defcoop-app`), whose cached read model answers every read. The only crate that knows
//! HTTP; handlers translate requests into use cases and answers into pages or JSON.
//!
//! Until accounts land, every request reads as an anonymous user with no clearance: it sees
//! unlabelled records only (and only those whose references are unlabelled too).

mod api;
mod i18n;
mod interop;
mod pages;

use std::net::SocketAddr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use defcoop_app::{Actor, App};
use defcoop_domain::Reader;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Who every request acts as until accounts and sessions land: an uncleared user unless
    /// the application was built [`Application::reading_as`] someone else.
    pub actor: Actor,
}

impl AppState {
    /// Who the current request acts as. Accounts and sessions replace this.
    pub(crate) fn actor(&self) -> &Actor {
        &self.actor
    }
}

/// What went wrong serving a request: 4xx carry a message, 5xx are logged and opaque.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    App(#[from] defcoop_app::AppError),
    #[error("template: {0}")]
    Render(#[from] askama::Error),
}

impl IntoResponse for WebError {
    fn into_response(self) -> axum::response::Response {
        tracing::error!(error = %self, "request failed");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
    }
}

/// All routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::index))
        .route("/transfers", get(pages::transfers))
        .route("/api/v1/transfers", get(api::transfers))
        .route("/api/v1/transfers/{id}", get(api::transfer))
        .route("/api/v1/records/{kind}/{*key}", get(api::record))
        .route("/api/v1/interop/pair", get(interop::pair))
        .route("/api/v1/interop/matrix", get(interop::matrix))
        .route(
            "/api/v1/labels/{kind}/{*key}",
            get(api::label).put(api::put_label),
        )
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .layer(TraceLayer::new_for_http())
}

/// Liveness: the process answers.
async fn healthz() -> &'static str {
    "ok\n"
}

/// Readiness: the database answers.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.app.store().ping().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}

/// A bound server, ready to run. Bind to port 0 in tests and read [`Application::port`].
pub struct Application {
    listener: TcpListener,
    router: Router,
    app: App,
}

impl Application {
    /// Binds `bind` and serves `app` (build it with [`App::cached`] for a server).
    pub async fn build(app: App, bind: SocketAddr) -> std::io::Result<Application> {
        let listener = TcpListener::bind(bind).await?;
        Ok(Application {
            listener,
            router: router(AppState {
                app: app.clone(),
                actor: Actor::anonymous(),
            }),
            app,
        })
    }

    /// Serves every request as `reader` (tests, and operator tooling until accounts land).
    pub fn reading_as(mut self, reader: Reader) -> Self {
        self.router = router(AppState {
            app: self.app.clone(),
            actor: Actor::reading_as("test", reader),
        });
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
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}
