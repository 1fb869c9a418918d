//! The update queue. Updates stay queued until a poll confirms them with a higher `offset`,
//! as in Telegram; an empty poll waits up to `timeout` seconds for one to arrive. While a
//! webhook is set, [`push_to_webhook`] POSTs them to it instead, one at a time, in order,
//! each until it is answered with a 2xx.

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;

use std::sync::Arc;

use super::Shared;
use super::methods::Failure;
use super::params::Params;

/// Telegram answers at most 100 updates a poll.
const MAX_LIMIT: i64 = 100;

pub(super) struct Updates {
    queue: VecDeque<Value>,
    next_id: i64,
    /// How many polls have started; a poll still waiting when a newer one starts is answered
    /// 409, as Telegram does when two instances of a bot poll at once.
    polls_started: u64,
    /// The kinds of update the bot asked for with `allowed_updates` (on `getUpdates` or
    /// `setWebhook`); Telegram keeps the last list until another is given, and makes no
    /// update of another kind. `None`: never asked, Telegram's default.
    allowed: Option<Vec<String>>,
}

/// The kinds Telegram leaves out when a bot never gave `allowed_updates`.
const NOT_BY_DEFAULT: [&str; 3] = ["chat_member", "message_reaction", "message_reaction_count"];

impl Updates {
    pub(super) fn new() -> Updates {
        Updates {
            queue: VecDeque::new(),
            next_id: 1,
            polls_started: 0,
            allowed: None,
        }
    }

    /// Queues an update, giving it the next id unless it has one; returns its id.
    pub(super) fn push(&mut self, mut update: Value) -> i64 {
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => {
                let id = self.next_id;
                if let Some(fields) = update.as_object_mut() {
                    fields.insert("update_id".to_owned(), json!(id));
                }
                id
            }
        };
        self.next_id = self.next_id.max(id + 1);
        if self.wanted(&update) {
            self.queue.push_back(update);
        }
        id
    }

    /// Whether the bot's `allowed_updates` lets this update be made at all.
    fn wanted(&self, update: &Value) -> bool {
        let Some(fields) = update.as_object() else {
            return true;
        };
        let Some(kind) = fields.keys().find(|k| *k != "update_id") else {
            return true;
        };
        match &self.allowed {
            Some(kinds) => kinds.iter().any(|k| k == kind),
            None => !NOT_BY_DEFAULT.contains(&kind.as_str()),
        }
    }

    /// Takes the kinds of a bot's `allowed_updates`: an empty list means the default.
    pub(super) fn set_allowed(&mut self, kinds: Vec<String>) {
        self.allowed = (!kinds.is_empty()).then_some(kinds);
    }

    pub(super) fn allowed(&self) -> Option<Vec<String>> {
        self.allowed.clone()
    }

    pub(super) fn set_next_id(&mut self, id: i64) {
        self.next_id = self.next_id.max(id);
    }

    pub(super) fn clear(&mut self) {
        self.queue.clear();
    }

    pub(super) fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Forgets confirmed updates: those below a positive offset, or all but the last `-offset`
    /// for a negative one.
    fn confirm(&mut self, offset: i64) {
        if offset > 0 {
            self.queue
                .retain(|u| u.get("update_id").and_then(Value::as_i64).unwrap_or(0) >= offset);
        } else if offset < 0 {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            let forget = self.queue.len().saturating_sub(keep);
            self.queue.drain(..forget);
        }
    }
}

/// The kinds in a call's `allowed_updates`, if it has the parameter.
pub(super) fn allowed_of(params: &Params) -> Option<Vec<String>> {
    match params.json("allowed_updates")? {
        Value::Array(kinds) => Some(
            kinds
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        _ => None,
    }
}

/// `getUpdates`: confirms, then answers what is queued, waiting for something if nothing is.
pub(super) async fn get_updates(shared: &Shared, params: &Params) -> Result<Value, Failure> {
    let limit = params.int("limit").unwrap_or(MAX_LIMIT).clamp(1, MAX_LIMIT);
    let limit = usize::try_from(limit).unwrap_or(1);
    let timeout = params.int("timeout").unwrap_or(0).max(0);
    let deadline = Instant::now() + Duration::from_secs(timeout.unsigned_abs());
    let this_poll = {
        let mut state = shared.state();
        if state.webhook.is_some() {
            return Err(Failure::conflict(
                "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            ));
        }
        if let Some(offset) = params.int("offset") {
            state.updates.confirm(offset);
        }
        if let Some(kinds) = allowed_of(params) {
            state.updates.set_allowed(kinds);
        }
        state.updates.polls_started += 1;
        state.updates.polls_started
    };
    shared.polls.notify_waiters();
    loop {
        // Registered before looking at the queue, so a push between the look and the wait
        // still wakes this poll.
        let notified = shared.polls.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        {
            let state = shared.state();
            if state.updates.polls_started != this_poll {
                return Err(Failure::conflict(
                    "terminated by other getUpdates request; make sure that only one bot instance is running",
                ));
            }
            if !state.updates.queue.is_empty() || Instant::now() >= deadline {
                let batch = state.updates.queue.iter().take(limit).cloned().collect();
                return Ok(Value::Array(batch));
            }
        }
        // Timing out only means the next turn answers an empty batch.
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

/// Delivers queued updates to the webhook, while one is set: the oldest first, with the
/// secret token header; an update leaves the queue when answered 2xx, else it is tried again
/// (as Telegram does). Runs for the sandbox's life.
pub(super) async fn push_to_webhook(shared: Arc<Shared>) {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a plain client builds");
    loop {
        let notified = shared.polls.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let next = {
            let state = shared.state();
            match (&state.webhook, state.updates.queue.front()) {
                (Some(hook), Some(update)) => Some((hook.clone(), update.clone())),
                _ => None,
            }
        };
        let Some((hook, update)) = next else {
            let _ = tokio::time::timeout(Duration::from_millis(200), notified).await;
            continue;
        };
        let mut request = client.post(&hook.url).json(&update);
        if let Some(secret) = &hook.secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        let delivered = matches!(request.send().await, Ok(r) if r.status().is_success());
        if delivered {
            let id = update.get("update_id").and_then(Value::as_i64);
            let mut state = shared.state();
            let front = state
                .updates
                .queue
                .front()
                .and_then(|u| u.get("update_id"))
                .and_then(Value::as_i64);
            if front == id {
                state.updates.queue.pop_front();
            }
        } else {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
