//! A WeCom (企业微信) sandbox: a fake `qyapi.weixin.qq.com` on a loopback port that answers
//! the calls of [`crate::wecom::client::Client`] as WeCom does, and plays the app's members
//! by POSTing encrypted, signed messages and events to minyi's callback. Tests, benchmarks
//! and `minyi demo` point minyi's `[wecom]` at it with [`WeComSandbox::config`].
//!
//! Worth knowing when writing tests against it:
//! - Every call checks its access_token: unknown answers 40014, expired 42001. gettoken
//!   answers the same token while it is good, as WeCom does (91039); [`WeComSandbox::expire_token`]
//!   ends it early, as WeCom may.
//! - A send beyond 30 a minute or 1,000 an hour to one member is answered errcode 0 and
//!   dropped, as WeCom does (90236); the sandbox counts it as a [`Violation`]. So is a text
//!   over 2,048 bytes, delivered cut as WeCom cuts it.
//! - Each card send answers a fresh `response_code`, and each click carries another: every
//!   code updates the card once, within 72 hours.
//! - Events carry WeCom's CreateTime in whole seconds: two clicks by one member in the same
//!   second differ only in what they say.
//!
//! - `server`: the HTTP side and its four calls; `validate`: WeCom's checks on what is sent.
//! - `state`: tokens, deliveries, cards and each member's rolling counts, behind one lock.
//! - `user`: the members' side: messages, clicks and the URL check, sealed and POSTed.

mod server;
mod state;
mod user;
mod validate;

#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use serde_json::Value;
use tokio::task::JoinHandle;

use crate::config::{Secret, WeCom};
use crate::wecom::client::Client;
use crate::wecom::crypto::Keys;
use state::State;
pub use user::Verification;

/// How a WeCom sandbox behaves: the app and the members in its visible range.
#[derive(Clone, Debug)]
pub struct WeComOptions {
    pub corp_id: String,
    pub agent_id: i64,
    /// The app's Secret, for gettoken.
    pub secret: String,
    /// The callback's Token and EncodingAESKey.
    pub token: String,
    pub encoding_aes_key: String,
    /// The userids in the app's visible range; sends to others answer `invaliduser`.
    pub members: Vec<String>,
    /// WeCom's per-member limits (30 a minute, 1,000 an hour).
    pub per_member_per_minute: u32,
    pub per_member_per_hour: u32,
    /// The access_token's lifetime in seconds (WeCom's 7200).
    pub expires_in: u64,
}

impl Default for WeComOptions {
    /// WeCom's official sample values (document 91144's Sample.py), and its sample member.
    fn default() -> Self {
        WeComOptions {
            corp_id: "ww1436e0e65a779aee".to_owned(),
            agent_id: 1000002,
            secret: "sandbox-secret".to_owned(),
            token: "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo".to_owned(),
            encoding_aes_key: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt".to_owned(),
            members: vec!["ChenJiaShun".to_owned()],
            per_member_per_minute: 30,
            per_member_per_hour: 1000,
            expires_in: 7200,
        }
    }
}

/// A message WeCom accepted and did not drop, one per member.
#[derive(Clone, Debug)]
pub struct Delivered {
    pub userid: String,
    pub msgid: String,
    /// `text`, `markdown` or `template_card`.
    pub msgtype: String,
    /// A text's or markdown's content as the member sees it (cut at 2,048 bytes); empty for a
    /// card.
    pub content: String,
    /// A card's `template_card` object as sent.
    pub card: Option<Value>,
    pub at: Instant,
}

/// An update_template_card that WeCom accepted.
#[derive(Clone, Debug)]
pub struct CardUpdate {
    pub task_id: String,
    pub userids: Vec<String>,
    pub response_code: String,
    pub replace_name: String,
    pub at: Instant,
}

/// What minyi sent that WeCom would have dropped or cut, silently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// Beyond 30 messages to one member in a rolling minute: dropped.
    PerMinute { userid: String },
    /// Beyond 1,000 in a rolling hour: dropped.
    PerHour { userid: String },
    /// Content over 2,048 bytes: cut.
    ContentTooLong { userid: String, bytes: usize },
}

/// A running WeCom sandbox. Dropping it stops the server.
pub struct WeComSandbox {
    shared: Arc<Shared>,
    url: String,
    keys: Keys,
    /// The members' side: no proxy, the callback is local.
    http: reqwest::Client,
    server: Option<JoinHandle<()>>,
}

/// What the handlers and the [`WeComSandbox`] handle share.
struct Shared {
    options: WeComOptions,
    state: Mutex<State>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock is a sandbox bug; the records still serve the test.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn limits(&self) -> (usize, usize) {
        let limit = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
        (
            limit(self.options.per_member_per_minute),
            limit(self.options.per_member_per_hour),
        )
    }
}

impl WeComSandbox {
    /// Starts a sandbox on `127.0.0.1` at a free port. Fails if the port cannot be bound or
    /// the EncodingAESKey is not one.
    pub async fn start(options: WeComOptions) -> std::io::Result<WeComSandbox> {
        let keys = Keys::new(&options.token, &options.encoding_aes_key, &options.corp_id)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .map_err(std::io::Error::other)?;
        let mut state = State::default();
        // Growing across sandboxes, as WeCom's MsgIds do over an app's life.
        state.next_msg_id = unix_seconds() * 1_000_000;
        let shared = Arc::new(Shared {
            options,
            state: Mutex::new(state),
        });
        let server = tokio::spawn(server::serve(listener, Arc::clone(&shared)));
        Ok(WeComSandbox {
            shared,
            url,
            keys,
            http,
            server: Some(server),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:PORT` (no trailing slash, as `api_url`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A `[wecom]` section pointing at the sandbox, with its app's settings.
    pub fn config(&self) -> WeCom {
        let options = &self.shared.options;
        WeCom {
            corp_id: options.corp_id.clone(),
            agent_id: options.agent_id,
            secret: Secret::new(options.secret.clone()),
            token: Secret::new(options.token.clone()),
            encoding_aes_key: Secret::new(options.encoding_aes_key.clone()),
            api_url: self.url.clone(),
            callback_path: "/wecom/callback".to_owned(),
            per_member_per_minute: options.per_member_per_minute,
            per_member_per_hour: options.per_member_per_hour,
        }
    }

    /// A client for [`WeComSandbox::config`] that ignores proxy variables.
    pub fn client(&self) -> Client {
        Client::with_http(&self.config(), self.http.clone())
    }

    /// Every message delivered to this member, in order.
    pub fn delivered(&self, userid: &str) -> Vec<Delivered> {
        let state = self.shared.state();
        let mine = state.delivered.iter().filter(|d| d.userid == userid);
        mine.cloned().collect()
    }

    /// Every message delivered, in order.
    pub fn all_delivered(&self) -> Vec<Delivered> {
        self.shared.state().delivered.clone()
    }

    pub fn card_updates(&self) -> Vec<CardUpdate> {
        self.shared.state().card_updates.clone()
    }

    /// Every menu set, in order.
    pub fn menus(&self) -> Vec<Value> {
        self.shared.state().menus.clone()
    }

    /// How many times gettoken answered a token.
    pub fn tokens_fetched(&self) -> usize {
        self.shared.state().tokens_fetched
    }

    /// Every send WeCom would have dropped or cut.
    pub fn violations(&self) -> Vec<Violation> {
        self.shared.state().violations.clone()
    }

    /// Sends dropped for being over a member's minute or hour.
    pub fn limit_violations(&self) -> usize {
        let state = self.shared.state();
        let over = |v: &&Violation| !matches!(v, Violation::ContentTooLong { .. });
        state.violations.iter().filter(over).count()
    }

    /// The most sends to this member seen in any rolling minute, dropped ones included.
    pub fn max_in_a_minute(&self, userid: &str) -> usize {
        self.shared.state().max_in_a_minute(userid)
    }

    /// Ends the current access_token: calls with it answer 42001 until a new one is fetched.
    pub fn expire_token(&self) {
        self.shared.state().expire_token(Instant::now());
    }

    /// The next `n` message/send calls answer 45009 (接口调用超过限制).
    pub fn fail_rate(&self, n: u32) {
        self.shared.state().failing = n;
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
            // The task ends cancelled; that is the expected outcome.
            let _ = server.await;
        }
    }
}

impl Drop for WeComSandbox {
    fn drop(&mut self) {
        if let Some(server) = &self.server {
            server.abort();
        }
    }
}

fn unix_seconds() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
