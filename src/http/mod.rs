//! The operator's side of minyi's one HTTP server: `GET /healthz`, `GET /readyz` and
//! `GET /metrics`. The service ([`crate::service`]) serves these routes, and in webhook mode
//! the Telegram webhook's path, on the same listener (`minyi run --http ADDR`).
//!
//! - `/healthz`: 200 while the process runs (for systemd, a container's health check).
//! - `/readyz`: 200 only while the database answers with every migration applied, and, on
//!   the replica holding the lock, the Bot API answered within [`BOT_API_WINDOW`]; otherwise
//!   503 with the reason, one line (for a load balancer).
//! - `/metrics`: the Prometheus text page ([`crate::metrics`]), with the outbox, the lock
//!   and the database pool read at each scrape.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::clock::Clock;
use crate::metrics::Metrics;
use crate::storage::Repository;

/// How recently the Bot API must have answered the lock holder for it to be ready.
pub const BOT_API_WINDOW: Duration = Duration::from_secs(180);

/// What the service tells the server about itself as it runs.
#[derive(Default)]
pub struct Health {
    lock_held: AtomicBool,
    bot_api_ok: Mutex<Option<Instant>>,
}

impl Health {
    pub fn lock_held(&self, held: bool) {
        self.lock_held.store(held, Ordering::Relaxed);
    }

    /// The Bot API answered just now.
    pub fn bot_api_answered(&self) {
        *self.bot_api_ok.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
    }

    /// How long ago the Bot API last answered, if ever.
    pub fn bot_api_age(&self) -> Option<Duration> {
        let at = *self.bot_api_ok.lock().unwrap_or_else(|p| p.into_inner());
        at.map(|at| at.elapsed())
    }

    fn holds_lock(&self) -> bool {
        self.lock_held.load(Ordering::Relaxed)
    }
}

/// What the routes read.
#[derive(Clone)]
pub struct Ops {
    pub repo: Arc<dyn Repository>,
    pub metrics: Arc<Metrics>,
    pub health: Arc<Health>,
    pub clock: Arc<dyn Clock>,
}

/// `/healthz`, `/readyz` and `/metrics`.
pub fn router(ops: Ops) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(ops)
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(ops): State<Ops>) -> (StatusCode, String) {
    match ready(&ops).await {
        Ok(()) => (StatusCode::OK, "ready\n".into()),
        Err(why) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {why}\n"),
        ),
    }
}

async fn ready(ops: &Ops) -> Result<(), String> {
    ops.repo.readiness().await.map_err(|e| e.to_string())?;
    if ops.health.holds_lock() {
        match ops.health.bot_api_age() {
            Some(age) if age <= BOT_API_WINDOW => {}
            Some(age) => {
                return Err(format!(
                    "the Bot API has not answered for {} s",
                    age.as_secs()
                ));
            }
            None => return Err("the Bot API has not answered yet".into()),
        }
    }
    Ok(())
}

async fn metrics(State(ops): State<Ops>) -> impl IntoResponse {
    match ops.repo.outbox_gauges(ops.clock.now()).await {
        Ok(outbox) => {
            let age = ops.health.bot_api_age().map(|a| a.as_secs_f64());
            ops.metrics.observe(&outbox, ops.repo.pool_state(), age);
        }
        // The counters are still worth a scrape; the gauges keep their last values.
        Err(e) => tracing::warn!(error = %e, "cannot read the outbox for the metrics"),
    }
    ops.metrics.lock_held(ops.health.holds_lock());
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        ops.metrics.render(),
    )
}
