//! `minyi run`: checks the token, the API URL, the mirrors and the webhook's address, then
//! runs the [`Service`] (the bot, the scheduler and the delivery worker) until SIGINT or
//! SIGTERM, and exits 0 once what was under way has finished.

use std::process::ExitCode;
use std::sync::Arc;

use teloxide::prelude::Requester;
use tokio_util::sync::CancellationToken;

use super::operator_error::OperatorError;
use crate::clock::SystemClock;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::service::Service;
use crate::storage::Repository;
use crate::telegram::client;

/// `minyi run`'s options.
pub(super) struct RunArgs {
    /// `--http ADDR`, else the configuration's `http.listen`.
    pub http: Option<std::net::SocketAddr>,
    /// `--webhook URL`: the public URL Telegram posts to.
    pub webhook: Option<reqwest::Url>,
}

pub(super) async fn run(
    repo: Arc<dyn Repository>,
    config: &Config,
    args: RunArgs,
) -> anyhow::Result<ExitCode> {
    // Listen for signals first, so a stop asked for during start-up is not lost.
    let stop = CancellationToken::new();
    tokio::spawn(stop_on_signals(stop.clone(), Signals::new()?));
    // One process owns a SQLite file: a second would wait for ever, so it is refused.
    if repo.single_process() && repo.poll_lock().await?.is_none() {
        return Err(OperatorError::new("cli-run-sqlite-taken", Vec::new()).into());
    }
    let http = args.http.or(config.http_listen);
    if args.webhook.is_some() && http.is_none() {
        return Err(OperatorError::new("cli-run-webhook-needs-http", Vec::new()).into());
    }
    let token = config
        .telegram_token
        .as_ref()
        .ok_or_else(|| OperatorError::new("cli-run-no-token", Vec::new()))?;
    let api_url = config
        .telegram_api_url
        .as_deref()
        .map(reqwest::Url::parse)
        .transpose()
        .map_err(|e| OperatorError::because("cli-run-bad-api-url", e))?;
    // A mirror whose scope code matches nothing would silently never fire.
    for mirror in &config.mirrors {
        if !repo.scope_exists(&mirror.scope).await? {
            let args = vec![
                ("name", mirror.name.clone()),
                ("scope", mirror.scope.clone()),
            ];
            return Err(OperatorError::new("cli-run-mirror-scope", args).into());
        }
    }
    let bot = client::bot(token.expose(), api_url);
    // A wrong token or API URL would turn every message into a dead letter: refuse to start.
    let me = bot
        .get_me()
        .await
        .map_err(|e| OperatorError::because("cli-run-token-refused", e))?;
    tracing::info!(bot = %me.username(), "connected to the Bot API");
    // Invites and posters printed by `minyi invite` and `minyi qr` name the configured bot.
    if !me.username().eq_ignore_ascii_case(&config.bot_username) {
        tracing::warn!(
            telegram = %me.username(),
            configured = %config.bot_username,
            "bot_username differs from the bot this token belongs to: links that `minyi invite` \
             and `minyi qr` print open the configured one"
        );
    }
    let http = match http {
        Some(addr) => {
            Some(
                tokio::net::TcpListener::bind(addr)
                    .await
                    .map_err(|e| OperatorError {
                        cause: Some(e.to_string()),
                        ..OperatorError::new(
                            "cli-run-cannot-listen",
                            vec![("addr", addr.to_string())],
                        )
                    })?,
            )
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
        http,
        webhook: args.webhook,
        metrics: Metrics::new(),
    };
    tracing::info!("minyi is running");
    service.run(stop).await;
    tracing::info!("minyi stopped");
    Ok(ExitCode::SUCCESS)
}

/// SIGINT and SIGTERM (teloxide's own handler knows only SIGINT).
pub(super) struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl Signals {
    pub(super) fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }
}

/// Cancels `stop` on the first SIGINT or SIGTERM.
pub(super) async fn stop_on_signals(stop: CancellationToken, mut signals: Signals) {
    tokio::select! {
        _ = signals.term.recv() => tracing::info!("SIGTERM: stopping"),
        _ = signals.int.recv() => tracing::info!("SIGINT: stopping"),
    }
    stop.cancel();
}
