//! A Bot API sandbox: an HTTP server on a loopback port that answers the part of the Telegram
//! Bot API minyi uses, so a real `teloxide::Bot` (pointed at it through `TELOXIDE_API_URL` or
//! [`Sandbox::bot`]) runs unchanged in tests, benchmarks and `minyi demo`.
//!
//! It records every call, keeps the messages it "delivered", queues updates for `getUpdates`
//! (or POSTs them to a webhook set with `setWebhook`, with its secret token header),
//! and refuses what Telegram refuses, with Telegram's own descriptions so teloxide maps them to
//! the same `ApiError`s: too long texts and captions, HTML it cannot parse, oversized callback
//! data, empty texts, blocked chats. With [`SandboxOptions::enforce_limits`] it answers 429 with
//! `retry_after` past Telegram's flood limits, and with [`Faults`] it fails a seeded share of
//! sends the ways a real network does.
//!
//! Worth knowing when writing tests against it:
//! - teloxide sleeps 10 s inside any request answered with a 5xx before it returns the error
//!   (`DELAY_ON_SERVER_ERROR` in teloxide-core), so `ServerError` and `BadGateway` faults cost
//!   10 s each to a `teloxide::Bot`; `Drop` and `Slow` do not.
//! - A send is checked in this order: fault dice, chat, blocked chat, validation, flood limits.
//!   Refused and failed sends count toward no limit.
//! - [`Delivered::text`] is the text as sent, markup included; the message answered to the
//!   bot carries the text as shown (tags removed, entities decoded), as Telegram's does.
//! - A second `getUpdates` while one is waiting ends the first with 409 "terminated by other
//!   getUpdates request", as Telegram does when two instances of a bot poll.
//!
//! - `server`: the listener and one axum handler that reads a request and records it.
//! - `methods`: what each Bot API method does; `params` reads their parameters.
//! - `state`: everything the sandbox remembers, behind one lock.
//! - `validate` and `html`: Telegram's checks on outgoing messages.
//! - `limits`: the flood limits.
//! - `updates`: the update queue, its long poll and the webhook pusher.
//! - `shapes`: the JSON of users, chats and messages as Telegram writes them.

pub(crate) mod html;
mod limits;
mod methods;
mod params;
mod server;
mod shapes;
mod state;
mod updates;
mod validate;
pub mod wecom;

#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use state::State;

/// How a sandbox behaves.
#[derive(Clone, Debug)]
pub struct SandboxOptions {
    /// Answer 429 past Telegram's flood limits (30 messages a second overall, 1 a second per
    /// chat with a burst of 3, 20 a minute per group).
    pub enforce_limits: bool,
    /// The overall limit enforced, in messages a second: Telegram's 30 unless a test plays a
    /// day on which Telegram allows fewer (it does not publish its exact limits).
    pub global_per_second: usize,
    /// Fail a share of sends; see [`Faults`].
    pub faults: Option<Faults>,
    /// The bot token requests must carry; any other answers 401.
    pub token: String,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            enforce_limits: false,
            global_per_second: limits::GLOBAL_PER_SECOND,
            faults: None,
            token: "sandbox:token".to_owned(),
        }
    }
}

/// Failures injected into `sendMessage`, `sendPhoto` and `sendDocument`, before any validation.
/// The same seed fails the same calls, so a failing test can be replayed.
#[derive(Clone, Debug)]
pub struct Faults {
    /// Share of sends that fail, from 0 to 1.
    pub rate: f64,
    pub seed: u64,
    /// Each failing send picks one kind at random; none listed means `ServerError`.
    pub kinds: Vec<FaultKind>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// 500 with a JSON error body.
    ServerError,
    /// 502 with an HTML body, as nginx answers when the Bot API behind it is down.
    BadGateway,
    /// The connection is closed without an answer.
    Drop,
    /// The call is answered correctly, after this delay.
    Slow(Duration),
}

/// One request the sandbox received.
#[derive(Clone, Debug)]
pub struct Call {
    /// Lower-case method name, e.g. `"sendmessage"`.
    pub method: String,
    pub chat_id: Option<i64>,
    /// The text, caption, or `answerCallbackQuery` text, as sent (before HTML parsing).
    pub text: Option<String>,
    pub parse_mode: Option<String>,
    /// Inline buttons as (text, callback data); a link button has its URL in place of data.
    pub buttons: Vec<(String, String)>,
    pub file_name: Option<String>,
    pub file_size: Option<usize>,
    /// The HTTP status answered; 0 while unanswered, or when the connection was dropped.
    pub status: u16,
    /// When the request arrived.
    pub at: Instant,
}

/// A message the sandbox accepted from `sendMessage`, `sendPhoto` or `sendDocument`.
#[derive(Clone, Debug)]
pub struct Delivered {
    pub chat_id: i64,
    pub message_id: i64,
    /// Lower-case method name.
    pub method: String,
    /// The text or caption as sent, markup included; empty for a file without a caption.
    pub text: String,
    pub parse_mode: Option<String>,
    pub buttons: Vec<(String, String)>,
    pub file_name: Option<String>,
    pub at: Instant,
}

/// A running sandbox. Dropping it stops the server; [`Sandbox::shutdown`] also waits for that.
pub struct Sandbox {
    shared: Arc<Shared>,
    url: reqwest::Url,
    /// `None` once [`Sandbox::shutdown`] took it.
    server: Option<JoinHandle<()>>,
    /// Delivers updates to a webhook, when one is set.
    pusher: JoinHandle<()>,
}

/// What the handlers and the [`Sandbox`] handle share.
struct Shared {
    token: String,
    enforce_limits: bool,
    state: Mutex<State>,
    /// Woken when an update is queued or a newer `getUpdates` arrives.
    polls: Notify,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock is a sandbox bug; the data is still usable for the
        // test that hit it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1` at a free port.
    pub async fn start(options: SandboxOptions) -> std::io::Result<Sandbox> {
        Sandbox::start_on("127.0.0.1:0".parse().expect("an address"), options).await
    }

    /// Starts a sandbox on `addr` (`minyi sandbox --listen ADDR`, for an operator's checks).
    pub async fn start_on(
        addr: std::net::SocketAddr,
        options: SandboxOptions,
    ) -> std::io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let url = reqwest::Url::parse(&format!("http://{local}/")).expect("a socket URL parses");
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new(
                &options.token,
                options.faults,
                options.global_per_second,
            )),
            token: options.token,
            enforce_limits: options.enforce_limits,
            polls: Notify::new(),
        });
        let server = tokio::spawn(server::serve(listener, Arc::clone(&shared)));
        let pusher = tokio::spawn(updates::push_to_webhook(Arc::clone(&shared)));
        Ok(Sandbox {
            shared,
            url,
            server: Some(server),
            pusher,
        })
    }

    /// What `TELOXIDE_API_URL` should be, e.g. `http://127.0.0.1:PORT/`.
    pub fn api_url(&self) -> reqwest::Url {
        self.url.clone()
    }

    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// A bot pointed at the sandbox. Its client ignores proxy variables: the sandbox is local.
    pub fn bot(&self) -> teloxide::Bot {
        let client = teloxide::net::default_reqwest_settings()
            .no_proxy()
            .build()
            .expect("teloxide's default client settings build");
        teloxide::Bot::with_client(self.token(), client).set_api_url(self.api_url())
    }

    /// Every request, in the order they arrived.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.state().calls.clone()
    }

    /// Every accepted send, in order.
    pub fn delivered(&self) -> Vec<Delivered> {
        self.shared.state().delivered.clone()
    }

    /// How many sends were accepted: what a benchmark polls while it waits for answers,
    /// without copying every message as [`Sandbox::delivered`] does.
    pub fn delivered_count(&self) -> usize {
        self.shared.state().delivered.len()
    }

    pub fn delivered_to(&self, chat_id: i64) -> Vec<Delivered> {
        let state = self.shared.state();
        state
            .delivered
            .iter()
            .filter(|d| d.chat_id == chat_id)
            .cloned()
            .collect()
    }

    /// How many requests were answered with this HTTP status.
    pub fn count_status(&self, status: u16) -> usize {
        self.shared
            .state()
            .calls
            .iter()
            .filter(|c| c.status == status)
            .count()
    }

    /// From now on, sends and edits to this chat answer "Forbidden: bot was blocked by the user".
    pub fn block_chat(&self, chat_id: i64) {
        self.shared.state().blocked.insert(chat_id);
    }

    /// The chat is gone (a deleted group): sends answer 400 "chat not found".
    pub fn remove_chat(&self, chat_id: i64) {
        self.shared.state().missing.insert(chat_id);
    }

    /// The user unblocked the bot (or the chat is back): sends to that chat work again.
    pub fn unblock_chat(&self, chat_id: i64) {
        self.shared.state().blocked.remove(&chat_id);
        self.shared.state().missing.remove(&chat_id);
    }

    /// The next sends fail with these faults, one each, in order; then the dice (if any)
    /// decide again.
    pub fn fail_next_sends(&self, kinds: &[FaultKind]) {
        self.shared
            .state()
            .next_faults
            .extend(kinds.iter().cloned());
    }

    /// Replaces the faults; the dice restart from the new seed.
    pub fn set_faults(&self, faults: Option<Faults>) {
        self.shared.state().set_faults(faults);
    }

    /// The `allowed_updates` the bot gave last (`None`: never, Telegram's default); updates
    /// of other kinds are not made.
    pub fn allowed_updates(&self) -> Option<Vec<String>> {
        self.shared.state().updates.allowed()
    }

    /// Sets `allowed_updates` as an earlier setWebhook or getUpdates of this bot would have,
    /// by another program or an older version of minyi.
    pub fn set_allowed_updates(&self, kinds: &[&str]) {
        let kinds = kinds.iter().map(|k| k.to_string()).collect();
        self.shared.state().updates.set_allowed(kinds);
    }

    /// Queues an update for `getUpdates`, giving it the next `update_id` unless it has one.
    /// Like Telegram, none is made of a kind the bot's `allowed_updates` leaves out.
    pub fn push_update(&self, update: Value) {
        self.shared.state().updates.push(update);
        self.shared.polls.notify_waiters();
    }

    /// Update ids given out from now on start at `id` (Telegram's keep growing over a bot's
    /// life: a new sandbox for a database that has seen some must not give them again).
    pub fn set_next_update_id(&self, id: i64) {
        self.shared.state().updates.set_next_id(id);
    }

    /// A text message from this user in their private chat with the bot; returns its update_id.
    pub fn private_message(&self, from: i64, text: &str) -> i64 {
        self.push_built(|state| state.incoming_message(from, from, text))
    }

    /// A text message from this user in a group chat (a negative id); returns its update_id.
    pub fn group_message(&self, chat: i64, from: i64, text: &str) -> i64 {
        self.push_built(|state| state.incoming_message(chat, from, text))
    }

    /// A text message from this user replying to message `reply_to` of the chat (one of the
    /// bot's, or any other); returns its update_id.
    pub fn reply_message(&self, chat: i64, from: i64, reply_to: i64, text: &str) -> i64 {
        self.push_built(|state| state.incoming_reply(chat, from, reply_to, text))
    }

    /// A text message in a group from another bot (its id and username): Telegram shows a bot
    /// other bots' messages only in some setups, and they are never a person's.
    pub fn message_from_bot(&self, chat: i64, bot: i64, username: &str, text: &str) -> i64 {
        self.push_built(|state| state.incoming_from_bot(chat, bot, username, text))
    }

    /// The user edits their last text message in the chat to `text` (an `edited_message`
    /// update); returns its update_id.
    ///
    /// # Panics
    /// If the user wrote no text message in that chat.
    pub fn edit_last_message(&self, chat: i64, from: i64, text: &str) -> i64 {
        self.push_built(|state| {
            state
                .incoming_edit(chat, from, text)
                .expect("the user wrote a message in that chat to edit")
        })
    }

    /// The user presses an inline button with this data under a message of the bot's; returns
    /// the update_id.
    pub fn callback(&self, from: i64, chat: i64, message_id: i64, data: &str) -> i64 {
        self.push_built(|state| state.incoming_callback(from, chat, message_id, data))
    }

    /// A photo (with an optional caption) from this user in a chat; returns its update_id.
    pub fn photo_message(&self, chat: i64, from: i64, caption: Option<&str>) -> i64 {
        self.push_built(|state| state.incoming_photo(chat, from, caption))
    }

    /// A location from this user in a chat; returns its update_id.
    pub fn location_message(&self, chat: i64, from: i64, latitude: f64, longitude: f64) -> i64 {
        self.push_built(|state| state.incoming_location(chat, from, latitude, longitude))
    }

    /// `by` adds the bot to a group (or removes it); returns the update_id.
    pub fn bot_membership(&self, chat: i64, by: i64, added: bool) -> i64 {
        self.push_built(|state| state.incoming_membership(chat, by, added))
    }

    /// From now on this user's app reports `language_code` (e.g. "en").
    pub fn set_user_lang(&self, user: i64, language_code: &str) {
        self.shared
            .state()
            .user_langs
            .insert(user, language_code.to_string());
    }

    /// Updates queued and not yet confirmed by a poll: zero once the bot has handled
    /// everything pushed (it confirms a batch only after handling it).
    pub fn pending_updates(&self) -> usize {
        self.shared.state().updates.pending()
    }

    /// The webhook's URL, once the bot set one.
    pub fn webhook_url(&self) -> Option<String> {
        self.shared.state().webhook.as_ref().map(|h| h.url.clone())
    }

    /// The default menu button of private chats, once the bot set one (`setChatMenuButton`).
    pub fn menu_button(&self) -> Option<Value> {
        self.shared.state().menu_button.clone()
    }

    fn push_built(&self, build: impl FnOnce(&mut State) -> Value) -> i64 {
        let id = {
            let mut state = self.shared.state();
            let update = build(&mut state);
            state.updates.push(update)
        };
        self.shared.polls.notify_waiters();
        id
    }

    /// Stops the server, closing open connections (a pending long poll among them).
    pub async fn shutdown(mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
            // The task ends cancelled; that is the expected outcome, not an error.
            let _ = server.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.pusher.abort();
        if let Some(server) = &self.server {
            server.abort();
        }
    }
}
