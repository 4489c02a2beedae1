//! The HTTP server: hyper 1.x over HTTP/1.1, answering from the current
//! [`Snapshot`] only.
//!
//! Protection against slow or abusive clients, each one on by construction:
//! a header-read timeout (hyper enforces it only when given a timer, so one
//! is always set), a cap on connections served at once (the rest wait in the
//! kernel's accept queue), a maximum lifetime per connection (then it is
//! closed gracefully after the request in flight), and a pause after a
//! failed `accept` (for example when out of file descriptors) instead of a
//! busy loop. Shutdown stops accepting, lets requests in flight finish
//! (bounded by `server.shutdown_timeout`), then returns.

pub mod pollers;
pub mod respond;
pub mod routes;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use arc_swap::ArcSwap;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use jiff::Timestamp;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use crate::config::Server;
use crate::metrics::Metrics;
use crate::snapshot::Snapshot;
pub use respond::{ALLOW, cache_control, host_is_valid, negotiate, other_method, plain, respond};
pub use routes::{Progress, Route, route};

/// What the server and the publisher share.
#[derive(Debug)]
pub struct Shared {
    /// What is served now; swapped whole by each publication.
    pub snapshot: ArcSwap<Snapshot>,
    /// The counters `/metrics` reports (shared with the WebSub pinger).
    pub metrics: Arc<Metrics>,
    /// How many documents of the snapshot are still being compressed (served
    /// uncompressed meanwhile); `/healthz` reports it.
    pub compressing: AtomicUsize,
    /// The last publication whose changed documents have been handed to the
    /// WebSub pinger (with or without hubs to ping); `/healthz` reports it.
    pub pings_queued_through: AtomicU64,
    /// The limit on pollers that overdo it, if `server.min_interval` is set.
    pub pollers: Option<pollers::Pollers>,
}

impl Shared {
    /// Shared state serving `snapshot`, with counters at zero, and the
    /// limit on pollers if there is one.
    pub fn new(snapshot: Snapshot, pollers: Option<pollers::Pollers>) -> Arc<Shared> {
        Arc::new(Shared {
            snapshot: ArcSwap::from_pointee(snapshot),
            metrics: Arc::default(),
            compressing: AtomicUsize::new(0),
            pings_queued_through: AtomicU64::new(0),
            pollers,
        })
    }

    /// What the daemon is still doing after the publication it serves.
    pub fn progress(&self) -> Progress {
        // Acquired before the pending count is read (see the publisher).
        let pings_queued_through = self.pings_queued_through.load(Ordering::Acquire);
        Progress {
            compressing: self.compressing.load(Ordering::Relaxed),
            pings_queued_through,
            pings_pending: self.metrics.pings_pending(),
        }
    }
}

/// Serves on `listener` until `shutdown` turns true, then drains.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    limits: Server,
    mut shutdown: watch::Receiver<bool>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = stopping(&mut shutdown) => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => (stream, peer.ip()),
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed; pausing before the next");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = stopping(&mut shutdown) => break,
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        let mut stop = shutdown.clone();
        let limits = limits.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let service = service_fn(move |request| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, Infallible>(handle(&shared, &request, peer)) }
            });
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = tokio::time::sleep(limits.connection_lifetime) => {}
                () = stopping(&mut stop) => {}
            }
            // Lifetime over or shutting down: finish the request in flight,
            // then close.
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(limits.shutdown_timeout, connection).await;
        });
    }
    drop(listener);
    // Every connection holds a permit: when all are back, all are done.
    // hyper-util's `GracefulShutdown` drains the same way, but a connection
    // it watches can no longer be closed on its own, which
    // `server.connection_lifetime` needs; the permits, needed anyway for
    // `server.max_connections`, drain without it.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let drained = tokio::time::timeout(limits.shutdown_timeout, permits.acquire_many(all)).await;
    if drained.is_err() {
        tracing::warn!("shutdown: some connections were still open after the shutdown timeout");
    }
}

/// `429 Too Many Requests` with `Retry-After` (RFC 6585 §4).
fn too_soon(seconds: u32) -> Response<Full<Bytes>> {
    let mut response = plain(
        StatusCode::TOO_MANY_REQUESTS,
        "this feed was fetched without a validator too recently; send If-None-Match, or come back after Retry-After seconds\n",
    );
    response.headers_mut().insert(
        hyper::header::RETRY_AFTER,
        hyper::header::HeaderValue::from(seconds),
    );
    response
}

/// Resolves once `shutdown` turns true (or its sender is gone).
async fn stopping(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|&stop| stop).await;
}

/// One request from `peer`: a valid `Host`, the limit on pollers, then
/// [`respond`]; counted in the metrics.
fn handle(
    shared: &Shared,
    request: &Request<Incoming>,
    peer: std::net::IpAddr,
) -> Response<Full<Bytes>> {
    let snapshot = shared.snapshot.load();
    let method = request.method();
    shared
        .metrics
        .agent(pollers::agent_family(request.headers()));
    let path = request.uri().path();
    let verdict = match &shared.pollers {
        Some(limit)
            if path != "/healthz"
                && path != "/metrics"
                && (method == Method::GET || method == Method::HEAD) =>
        {
            limit.check(peer, path, request.headers())
        }
        _ => pollers::Verdict::Serve,
    };
    let response = if let pollers::Verdict::TooSoon(seconds) = verdict {
        too_soon(seconds)
    } else if host_is_valid(request.version(), request.headers()) {
        respond(
            method,
            request.uri().path(),
            request.headers(),
            &snapshot,
            || shared.metrics.encode(),
            shared.progress(),
            Timestamp::now(),
        )
    } else {
        plain(
            StatusCode::BAD_REQUEST,
            "a request needs one valid Host header\n",
        )
    };
    let sent = if method == Method::HEAD {
        0
    } else {
        usize::try_from(
            hyper::body::Body::size_hint(response.body())
                .exact()
                .unwrap_or(0),
        )
        .unwrap_or(0)
    };
    shared.metrics.response(response.status().as_u16(), sent);
    response
}
