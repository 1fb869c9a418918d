//! The service one `minyi` process runs: the Telegram bot (long polling, or a webhook), the
//! scheduler and the delivery worker, wired together. `minyi run` starts it after checking
//! its arguments and the token; `minyi demo` and the tests start it against the sandbox.
//! Stops gracefully when its token is cancelled: no new updates or claims, handlers and
//! sends under way finish (or their rows are released).

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::bot::{Front, listener, menu, webhook};
use crate::clock::Clock;
use crate::config::Config;
use crate::jobs::scheduler::Scheduler;
use crate::notify::worker::Worker;
use crate::storage::{PollGuard, Repository};

/// The bot and the delivery worker of one process, as `minyi run`, `minyi demo` and the
/// tests run them.
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
    /// Webhook mode: updates arrive at this listener instead of through long polling.
    pub webhook: Option<WebhookMode>,
}

/// Where a webhook replica listens, and the public URL Telegram POSTs to (its path is the
/// path served).
pub struct WebhookMode {
    pub listener: tokio::net::TcpListener,
    pub public_url: reqwest::Url,
}

impl Service {
    /// Runs until `stop`: both halves finish what they started.
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
        let front = Arc::new(Front::new(
            Arc::clone(&self.repo),
            self.bot.clone(),
            Arc::clone(&self.config),
            self.username.clone(),
            Arc::clone(&self.clock),
        ));
        let serving = self.webhook.take().map(|hook| {
            let path = hook.public_url.path().to_string();
            let bot = self.bot.clone();
            tokio::spawn(register_webhook(bot, hook.public_url, stop.clone()));
            let front = Arc::clone(&front);
            tokio::spawn(webhook::serve(hook.listener, front, path, stop.clone()))
        });
        let polls = serving.is_none();
        while let Some(lock) = listener::take_lock(self.repo.as_ref(), &stop).await {
            let shift = stop.child_token();
            let watch = tokio::spawn(watch_lock(lock, shift.clone()));
            let polling =
                polls.then(|| tokio::spawn(listener::poll(Arc::clone(&front), shift.clone())));
            let jobs = self.scheduler.then(|| {
                let scheduler = Scheduler {
                    repo: Arc::clone(&self.repo),
                    config: Arc::clone(&self.config),
                    clock: Arc::clone(&self.clock),
                };
                tokio::spawn(scheduler.run(shift.clone()))
            });
            self.worker().run(shift.clone()).await;
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
            if stop.is_cancelled() {
                break;
            }
            tracing::warn!("lost the poll lock; waiting to take it again");
        }
        // The webhook's requests under way finish before the service ends.
        if let Some(serving) = serving {
            match serving.await {
                Ok(Err(e)) => tracing::error!(error = %e, "the webhook server failed"),
                Err(e) => tracing::error!(error = %e, "the webhook server ended abnormally"),
                Ok(Ok(())) => {}
            }
        }
    }

    fn worker(&self) -> Worker {
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
