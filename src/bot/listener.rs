//! Long polling that confirms an update only after it was handled. teloxide's own polling
//! confirms a batch before its handlers finish, so a crash could lose an update; here the
//! offset moves past a batch only once every update in it is committed and answered. An
//! update seen again after a crash is harmless: its id was recorded with the change it
//! caused, so the change is not applied twice.
//!
//! Updates of one chat are handled in order; different chats run concurrently.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::prelude::*;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::Telegram;

/// Seconds a `getUpdates` call waits for news; within the client's 20-second timeout.
const POLL_SECONDS: u32 = 10;

/// Polls until `stop`. The caller holds the poll lock ([`take_lock`]): one replica polls.
pub async fn poll(front: Arc<Telegram>, stop: CancellationToken) {
    if let Err(e) = front.bot.delete_webhook().await {
        tracing::warn!(error = %e, "cannot remove a webhook before polling");
    }
    let mut offset: i32 = 0;
    let mut failures: u32 = 0;
    loop {
        let request = front
            .bot
            .get_updates()
            .offset(offset)
            .timeout(POLL_SECONDS)
            .limit(100)
            .allowed_updates(super::UPDATES);
        let batch = tokio::select! {
            biased;
            _ = stop.cancelled() => break,
            batch = request.send() => batch,
        };
        match batch {
            Ok(updates) => {
                failures = 0;
                if let Some(last) = updates.last() {
                    offset = i32::try_from(last.id.0)
                        .unwrap_or(i32::MAX)
                        .saturating_add(1);
                }
                handle_batch(&front, updates).await;
            }
            Err(e) => {
                failures += 1;
                let wait = match &e {
                    RequestError::RetryAfter(s) => s.duration(),
                    _ => Duration::from_millis(500 * u64::from(failures.min(20))),
                };
                tracing::warn!(error = %e, ?wait, "getUpdates failed");
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = tokio::time::sleep(wait) => {}
                }
            }
        }
    }
    // Confirm what was handled, so a restart does not see it again.
    if offset > 0 {
        let confirm = front.bot.get_updates().offset(offset).timeout(0).limit(1);
        if let Err(e) = confirm.send().await {
            tracing::debug!(error = %e, "cannot confirm the last updates");
        }
    }
}

/// Waits for the poll lock; `None` if stopped first.
pub async fn take_lock(
    repo: &dyn crate::storage::Repository,
    stop: &CancellationToken,
) -> Option<crate::storage::PollGuard> {
    let mut told = false;
    loop {
        match repo.poll_lock().await {
            Ok(Some(guard)) => return Some(guard),
            Ok(None) if !told => {
                tracing::info!("another replica polls Telegram; waiting to take over");
                told = true;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot take the poll lock"),
        }
        tokio::select! {
            _ = stop.cancelled() => return None,
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

/// Handles a batch: each chat's updates in order, chats side by side; returns when all are
/// done.
pub async fn handle_batch(front: &Arc<Telegram>, updates: Vec<Update>) {
    let mut by_chat: BTreeMap<i64, Vec<Update>> = BTreeMap::new();
    for update in updates {
        by_chat.entry(chat_key(&update)).or_default().push(update);
    }
    let mut tasks = JoinSet::new();
    for (_, updates) in by_chat {
        let front = Arc::clone(front);
        tasks.spawn(async move {
            for update in updates {
                front.handle(update).await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        if let Err(e) = done {
            tracing::error!(error = %e, "an update handler panicked");
        }
    }
}

/// The chat an update belongs to (a button's chat, else its sender).
pub(super) fn chat_key(update: &Update) -> i64 {
    update
        .chat()
        .map(|c| c.id.0)
        .or_else(|| update.from().map(|u| u.id.0 as i64))
        .unwrap_or(0)
}
