//! The serving loop: HTTP/1.1 over hyper with limits no client can talk its way past.
//!
//! - at most [`Limits::max_connections`] connections are served at once; further ones wait in
//!   the kernel's backlog until one closes (a semaphore in the accept loop);
//! - a connection must send a request's headers within [`Limits::header_read_timeout`] of
//!   starting to read them (idle keep-alive connections too), or it is closed: idle and
//!   slow-loris connections free their place;
//! - accept errors (out of file descriptors, say) are logged and retried after a pause that
//!   grows to [`MAX_ACCEPT_BACKOFF`], never in a busy loop and never ending the server;
//! - on shutdown, no new connection is accepted and in-flight requests finish.
//!
//! The request time-out and the body limit are layers of the router (see `lib.rs`).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// The longest pause after repeated accept errors.
pub const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(1);
const MIN_ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

/// What one client may take of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Time to send a request's headers, from when the server starts reading them.
    pub header_read_timeout: Duration,
    /// Time to answer a request, its body included: then 503.
    pub request_timeout: Duration,
    /// Largest request body, in bytes: beyond, 413.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Below the usual soft limit of 1024 open files, so that a full house leaves
            // descriptors for the database and the listener.
            max_connections: 512,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// Something that accepts connections: the TCP listener, or a stand-in in tests.
pub(crate) trait Accept {
    type Io: AsyncRead + AsyncWrite + Unpin + Send + 'static;
    /// A connection and, when known, its peer's address.
    fn accept(
        &mut self,
    ) -> impl Future<Output = std::io::Result<(Self::Io, Option<std::net::SocketAddr>)>> + Send;
}

impl Accept for TcpListener {
    type Io = tokio::net::TcpStream;

    async fn accept(&mut self) -> std::io::Result<(Self::Io, Option<std::net::SocketAddr>)> {
        let (stream, peer) = TcpListener::accept(self).await?;
        // Small answers go out at once.
        let _ = stream.set_nodelay(true);
        Ok((stream, Some(peer)))
    }
}

/// Errors of one connection that was reset before it was accepted: nothing to wait for.
fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// Serves `router` on connections from `listener` until `shutdown` resolves, then lets
/// in-flight requests finish.
pub(crate) async fn serve<A: Accept>(
    mut listener: A,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let mut backoff = MIN_ACCEPT_BACKOFF;
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break, // never closed
            },
            () = &mut shutdown => break,
        };
        let io = tokio::select! {
            r = listener.accept() => r,
            () = &mut shutdown => break,
        };
        let (io, peer) = match io {
            Ok(io) => {
                backoff = MIN_ACCEPT_BACKOFF;
                io
            }
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                // EMFILE, ENFILE, ENOBUFS...: wait for resources to come free.
                tracing::error!(error = %e, pause = ?backoff, "cannot accept a connection");
                drop(permit);
                tokio::select! {
                    () = tokio::time::sleep(backoff) => {}
                    () = &mut shutdown => break,
                }
                backoff = (backoff * 2).min(MAX_ACCEPT_BACKOFF);
                continue;
            }
        };
        // Every request of the connection learns its peer (the sign-in throttle counts per
        // address).
        let router = router.clone();
        let service = TowerToHyperService::new(tower::service_fn(
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                if let Some(peer) = peer {
                    req.extensions_mut().insert(crate::auth::Peer(peer));
                }
                tower::ServiceExt::oneshot(router.clone(), req)
            },
        ));
        let connection = graceful.watch(http.serve_connection(TokioIo::new(io), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Fails every accept with "too many open files" and counts the attempts.
    struct OutOfFiles(Arc<AtomicUsize>);

    impl Accept for OutOfFiles {
        type Io = tokio::io::DuplexStream;

        async fn accept(&mut self) -> std::io::Result<(Self::Io, Option<std::net::SocketAddr>)> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Err(std::io::Error::from_raw_os_error(24)) // EMFILE
        }
    }

    #[tokio::test(start_paused = true)]
    async fn accept_errors_back_off_and_do_not_end_the_loop() {
        let attempts = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(
            OutOfFiles(attempts.clone()),
            Router::new(),
            Limits::default(),
            async move {
                let _ = stopped.await;
            },
        ));
        // In 10 s of (virtual) time: pauses of 10, 20, 40, ... 1000 ms, then one a second.
        tokio::time::sleep(Duration::from_secs(10)).await;
        let n = attempts.load(Ordering::SeqCst);
        assert!((8..=20).contains(&n), "{n} accept attempts in 10 s");
        assert!(!server.is_finished(), "the loop goes on");
        let _ = stop.send(());
        server.await.unwrap().unwrap();
    }
}
