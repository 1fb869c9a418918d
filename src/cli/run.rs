//! `minyi run`: the long-running service: the bot (long polling, or a webhook with
//! `--webhook`), the scheduler and the delivery worker. Stops gracefully on SIGINT and SIGTERM: no new
//! updates or claims, handlers and sends under way finish (or their rows are released),
//! exit 0.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio_util::sync::CancellationToken;

use crate::bot::{Front, listener, menu, webhook};
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::jobs::scheduler::Scheduler;
use crate::notify::worker::Worker;
use crate::storage::{PollGuard, Repository};
use crate::telegram::client;
use teloxide::prelude::Requester;

/// `--webhook ADDR --public-url URL`, when given.
pub(super) struct WebhookArgs {
    pub listen: std::net::SocketAddr,
    pub public_url: reqwest::Url,
}

pub(super) async fn run(
    repo: Arc<dyn Repository>,
    config: &Config,
    webhook: Option<WebhookArgs>,
) -> anyhow::Result<ExitCode> {
    // Listen for signals first, so a stop asked for during start-up is not lost.
    let stop = CancellationToken::new();
    tokio::spawn(stop_on_signals(stop.clone(), Signals::new()?));
    let token = config
        .telegram_token
        .as_ref()
        .context("TELOXIDE_TOKEN is not set: `minyi run` needs the bot's token")?;
    let api_url = config
        .telegram_api_url
        .as_deref()
        .map(reqwest::Url::parse)
        .transpose()
        .context("TELOXIDE_API_URL is not a URL")?;
    // A mirror whose scope code matches nothing would silently never fire.
    for (i, mirror) in config.mirrors.iter().enumerate() {
        if !repo.scope_exists(&mirror.scope).await? {
            anyhow::bail!(
                "mirrors[{i}].scope: no group, org or unit has the code {:?}",
                mirror.scope
            );
        }
    }
    let bot = client::bot(token.expose(), api_url);
    // A wrong token or API URL would turn every message into a dead letter: refuse to start.
    let me = bot
        .get_me()
        .await
        .context("the Bot API does not accept TELOXIDE_TOKEN (or TELOXIDE_API_URL is wrong)")?;
    tracing::info!(bot = %me.username(), "connected to the Bot API");
    let webhook = match webhook {
        Some(args) => {
            let listener = tokio::net::TcpListener::bind(args.listen)
                .await
                .with_context(|| format!("cannot listen on {} for the webhook", args.listen))?;
            Some(WebhookMode {
                listener,
                public_url: args.public_url,
            })
        }
        None => None,
    };
    let service = Service {
        repo,
        bot,
        config: Arc::new(config.clone()),
        username: me.username().to_string(),
        clock: Arc::new(SystemClock),
        scheduler: true,
        webhook,
    };
    tracing::info!("minyi is running");
    service.run(stop).await;
    tracing::info!("minyi stopped");
    Ok(ExitCode::SUCCESS)
}

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

/// SIGINT and SIGTERM (teloxide's own handler knows only SIGINT).
struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }
}

/// Cancels `stop` on the first SIGINT or SIGTERM.
async fn stop_on_signals(stop: CancellationToken, mut signals: Signals) {
    tokio::select! {
        _ = signals.term.recv() => tracing::info!("SIGTERM: stopping"),
        _ = signals.int.recv() => tracing::info!("SIGINT: stopping"),
    }
    stop.cancel();
}
