//! `minyi run`: the long-running service. Today the delivery worker; the bot and the
//! scheduler join it in later issues. Stops gracefully on SIGINT and SIGTERM: no new claims,
//! sends under way finish or are released, exit 0.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::notify::telegram;
use crate::notify::worker::Worker;
use crate::storage::Repository;
use teloxide::prelude::Requester;

pub(super) async fn run(repo: Arc<dyn Repository>, config: &Config) -> anyhow::Result<ExitCode> {
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
    let bot = telegram::bot(token.expose(), api_url);
    // A wrong token or API URL would turn every message into a dead letter: refuse to start.
    let me = bot
        .get_me()
        .await
        .context("the Bot API does not accept TELOXIDE_TOKEN (or TELOXIDE_API_URL is wrong)")?;
    tracing::info!(bot = %me.username(), "connected to the Bot API");
    let worker = Worker {
        repo,
        bot,
        limits: config.delivery.clone(),
        mirrors: config.mirrors.clone(),
        http: reqwest::Client::new(),
        default_lang: config.default_lang,
        idle_poll: Duration::from_millis(500),
        retry_base: Duration::from_secs(2),
    };
    tracing::info!("minyi is running");
    worker.run(stop).await;
    tracing::info!("minyi stopped");
    Ok(ExitCode::SUCCESS)
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
