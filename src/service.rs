//! The service one `minyi` process runs: the Telegram bot (long polling, or a webhook), the
//! scheduler, the delivery worker and the HTTP server (health, readiness, metrics and the
//! webhook), wired together. `minyi run` starts it after checking its arguments and the
//! token; `minyi demo` and the tests start it against the sandbox. Stops gracefully when its
//! token is cancelled: no new updates or claims, handlers and sends under way finish (or
//! their rows are released).

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::Requester;
use tokio_util::sync::CancellationToken;

use crate::bot::{Telegram, listener, menu, webhook};
use crate::clock::Clock;
use crate::config::Config;
use crate::front::Front;
use crate::http::{Health, Ops};
use crate::jobs::scheduler::Scheduler;
use crate::metrics::Metrics;
use crate::notify::worker::Worker;
use crate::storage::{PollGuard, Repository};
use crate::telegram::pacer::Pacer;
use crate::wecom::sender::Sender;
use crate::wecom_app::WeComFront;

/// The bot, the delivery worker, the scheduler and the HTTP server of one process, as
/// `minyi run`, `minyi demo` and the tests run them.
pub struct Service {
    pub repo: Arc<dyn Repository>,
    pub bot: teloxide::Bot,
    pub config: Arc<Config>,
    /// The bot's username (from getMe).
    pub username: String,
    pub clock: Arc<dyn Clock>,
    /// Whether the scheduler runs too (the demo and the bot's tests, which set their own
    /// clock, leave it out).
    pub scheduler: bool,
    /// The HTTP server's listener: `/healthz`, `/readyz`, `/metrics`, and the webhook.
    pub http: Option<tokio::net::TcpListener>,
    /// Webhook mode: the public URL Telegram POSTs updates to; its path is served on `http`.
    /// Without it the lock holder polls.
    pub webhook: Option<reqwest::Url>,
    pub metrics: Arc<Metrics>,
}

/// How often the lock holder asks the Bot API whether it answers (for `/readyz`).
const BOT_API_CHECK: Duration = Duration::from_secs(30);

impl Service {
    /// Runs until `stop`: every part finishes what it started.
    ///
    /// One replica at a time polls Telegram and delivers the outbox: the pacer that keeps
    /// Telegram's limits lives in the process, so two delivering replicas would each send at
    /// the full rate. The others wait for the poll lock; a replica that loses it (its
    /// database session dropped) stops its shift and waits to take it again.
    ///
    /// In webhook mode every replica serves the webhook for its whole run (a load balancer
    /// may send any update to any of them); only the lock holder delivers and schedules.
    pub async fn run(mut self, stop: CancellationToken) {
        // Telegram's menu lists the commands in each language.
        if let Err(e) = menu::set_commands(&self.bot).await {
            tracing::warn!(error = %e, "cannot set the command menu");
        }
        // The board as a Mini App from every private chat's menu button.
        if let Some(url) = self.config.web.mini_app()
            && let Err(e) = menu::set_board_button(&self.bot, &url, self.config.default_lang).await
        {
            tracing::warn!(error = %e, "cannot set the board's menu button");
        }
        // One pacer for everything sent to Telegram: the worker's pushes and the answers.
        let pacer = Arc::new(Pacer::new(&self.config.delivery));
        let front = Arc::new(Telegram::new(
            Arc::clone(&self.repo),
            self.bot.clone(),
            Arc::clone(&self.config),
            self.username.clone(),
            Arc::clone(&self.clock),
            Arc::clone(&self.metrics),
            Arc::clone(&pacer),
        ));
        // The WeCom app, when configured: its callback on the HTTP server, its sends shared by
        // the answers and the worker.
        let wecom = self.config.wecom.as_ref().and_then(|config| {
            let sender = Arc::new(Sender::new(config));
            let front = Front::new(
                Arc::clone(&self.repo),
                Arc::clone(&self.config),
                self.username.clone(),
                Arc::clone(&self.clock),
            );
            let app = WeComFront::new(front, config, sender, Arc::clone(&self.metrics));
            if app.is_none() {
                tracing::error!("[wecom]: the token or EncodingAESKey cannot be used");
            }
            app.map(Arc::new)
        });
        if wecom.is_some() && self.http.is_none() {
            tracing::warn!("[wecom] is set but no HTTP listener: WeCom's callback is not served");
        }
        let health = Arc::new(Health::default());
        if let Some(url) = &self.webhook {
            tokio::spawn(register_webhook(
                self.bot.clone(),
                url.clone(),
                stop.clone(),
            ));
        }
        let serving = self.http.take().map(|listener| {
            let router = self.router(&front, wecom.as_ref(), &health);
            let stop = stop.clone();
            tokio::spawn(async move {
                axum::serve(listener, router)
                    .with_graceful_shutdown(stop.cancelled_owned())
                    .await
            })
        });
        let polls = self.webhook.is_none();
        while let Some(lock) = listener::take_lock(self.repo.as_ref(), &stop).await {
            tracing::info!("this replica holds the lock: it delivers and schedules");
            health.lock_held(true);
            self.metrics.lock_held(true);
            let shift = stop.child_token();
            let watch = tokio::spawn(watch_lock(lock, shift.clone()));
            let heartbeat = tokio::spawn(bot_api_heartbeat(
                self.bot.clone(),
                Arc::clone(&health),
                shift.clone(),
            ));
            let polling =
                polls.then(|| tokio::spawn(listener::poll(Arc::clone(&front), shift.clone())));
            let jobs = self.scheduler.then(|| {
                let scheduler = Scheduler {
                    repo: Arc::clone(&self.repo),
                    config: Arc::clone(&self.config),
                    clock: Arc::clone(&self.clock),
                    metrics: Arc::clone(&self.metrics),
                };
                tokio::spawn(scheduler.run(shift.clone()))
            });
            let wecom_sender = wecom.as_ref().map(|w| Arc::clone(&w.sender));
            self.worker(Arc::clone(&pacer), wecom_sender)
                .run(shift.clone())
                .await;
            if let Some(polling) = polling
                && let Err(e) = polling.await
            {
                tracing::error!(error = %e, "the bot's polling ended abnormally");
            }
            shift.cancel();
            if let Some(jobs) = jobs
                && let Err(e) = jobs.await
            {
                tracing::error!(error = %e, "the scheduler ended abnormally");
            }
            let _ = watch.await;
            let _ = heartbeat.await;
            health.lock_held(false);
            self.metrics.lock_held(false);
            if stop.is_cancelled() {
                break;
            }
            tracing::warn!("lost the poll lock; waiting to take it again");
        }
        // The HTTP requests under way (webhook updates among them) finish before the
        // service ends.
        if let Some(serving) = serving {
            match serving.await {
                Ok(Err(e)) => tracing::error!(error = %e, "the HTTP server failed"),
                Err(e) => tracing::error!(error = %e, "the HTTP server ended abnormally"),
                Ok(Ok(())) => {}
            }
        }
    }

    /// The HTTP routes: the operator's, the board's and the wall's, WeCom's callback when it
    /// is configured, and in webhook mode the webhook's path.
    fn router(
        &self,
        front: &Arc<Telegram>,
        wecom: Option<&Arc<WeComFront>>,
        health: &Arc<Health>,
    ) -> axum::Router {
        let ops = Ops {
            repo: Arc::clone(&self.repo),
            metrics: Arc::clone(&self.metrics),
            health: Arc::clone(health),
            clock: Arc::clone(&self.clock),
        };
        let board = crate::web::WebApp::new(
            Arc::clone(&self.repo),
            Arc::clone(&self.config),
            Arc::clone(&self.clock),
        );
        let mut router = crate::http::router(ops).merge(crate::web::router(board));
        if let (Some(app), Some(config)) = (wecom, &self.config.wecom) {
            router = router.merge(crate::wecom_app::router(
                Arc::clone(app),
                &config.callback_path,
            ));
        }
        match &self.webhook {
            Some(url) => router.merge(webhook::router(Arc::clone(front), url.path())),
            None => router,
        }
    }

    fn worker(&self, pacer: Arc<Pacer>, wecom: Option<Arc<Sender>>) -> Worker {
        Worker {
            repo: Arc::clone(&self.repo),
            bot: self.bot.clone(),
            limits: self.config.delivery.clone(),
            mirrors: self.config.mirrors.clone(),
            http: reqwest::Client::new(),
            default_lang: self.config.default_lang,
            idle_poll: Duration::from_millis(200),
            retry_base: Duration::from_secs(2),
            clock: Arc::clone(&self.clock),
            metrics: Arc::clone(&self.metrics),
            pacer,
            wecom,
        }
    }
}

/// Sets the webhook, trying again every 5 seconds until Telegram takes it (or `stop`).
async fn register_webhook(bot: teloxide::Bot, url: reqwest::Url, stop: CancellationToken) {
    loop {
        match webhook::register(&bot, url.clone()).await {
            Ok(()) => {
                tracing::info!(%url, "webhook set");
                return;
            }
            Err(e) => tracing::error!(error = %e, %url, "cannot set the webhook"),
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

/// Asks the Bot API (getMe) every [`BOT_API_CHECK`] during a shift, so `/readyz` knows the
/// lock holder can still reach Telegram, in webhook mode too and when nothing is sent.
async fn bot_api_heartbeat(bot: teloxide::Bot, health: Arc<Health>, shift: CancellationToken) {
    loop {
        match bot.get_me().await {
            Ok(_) => health.bot_api_answered(),
            Err(e) => tracing::warn!(error = %e, "the Bot API does not answer getMe"),
        }
        tokio::select! {
            _ = shift.cancelled() => return,
            _ = tokio::time::sleep(BOT_API_CHECK) => {}
        }
    }
}

/// Holds the poll lock for a shift, checking it every 15 seconds; ends the shift if it is
/// lost.
async fn watch_lock(lock: PollGuard, shift: CancellationToken) {
    loop {
        tokio::select! {
            _ = shift.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(15)) => {}
        }
        if !lock.alive().await {
            shift.cancel();
            return;
        }
    }
}
