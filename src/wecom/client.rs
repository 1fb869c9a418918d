//! WeCom's server API as minyi calls it: `gettoken` (document 91039), `message/send` (90236),
//! `message/update_template_card` (94888) and `menu/create` (90231), at a configurable base
//! URL so tests and `minyi demo` point it at the sandbox.
//!
//! - The access_token is cached until shortly before WeCom says it expires. WeCom may also
//!   invalidate it early (91039), so a call answered 40014, 42001 or 40001 fetches a fresh
//!   one once and is made once more. Callers share one fetch: the cache is a tokio mutex held
//!   across it.
//! - Every answer is judged by its errcode into a [`SendError`] that says whether the
//!   delivery worker should retry (a rate limit, WeCom busy, the network) or give up with a
//!   dead letter (anything else WeCom refuses, a recipient outside the app's visible range).
//! - Neither the app's Secret nor the access_token ever reaches an error or a log line:
//!   both travel in URLs, and reqwest's errors carry the URL unless it is stripped.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::config::{Secret, WeCom};

mod answer;
mod message;
pub use answer::INVALID_USER;
use answer::{Answer, judge, refuse_invalid_users, text_of};
pub use message::{Button, CONTENT_LIMIT, Card, Message, Sent, split_content};

/// How long before WeCom's stated expiry a token is replaced (WeCom states 7200 s).
const TOKEN_MARGIN: Duration = Duration::from_secs(300);
/// Each call's whole time, connection included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// errcodes that condemn the access_token rather than the call: 40014 不合法的access_token,
/// 42001 access_token已过期, 40001 (the secret, or a token minted from an older one).
const STALE_TOKEN: [i64; 3] = [40014, 42001, 40001];

/// Why a call failed, and whether trying again later can help ([`SendError::retry`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// 45009 or 45033: wait, then try again.
    #[error("WeCom's rate limit (errcode {code})")]
    RateLimited { code: i64 },
    /// errcode -1 or an HTTP 5xx.
    #[error("WeCom is busy")]
    Busy,
    /// Anything else WeCom refused: a dead letter, with WeCom's errmsg as the reason.
    #[error("WeCom refused it (errcode {code}): {message}")]
    Refused { code: i64, message: String },
    /// No usable answer: the connection, a timeout, a body that is not WeCom's JSON.
    #[error("no answer from WeCom: {0}")]
    Network(String),
}

impl SendError {
    pub fn retry(&self) -> bool {
        match self {
            SendError::RateLimited { .. } | SendError::Busy | SendError::Network(_) => true,
            SendError::Refused { .. } => false,
        }
    }
}

/// A cached access_token and until when it is used.
struct Token {
    value: String,
    fresh_until: Instant,
}

/// The app's client: one per process, shared by the worker and `minyi check`.
pub struct Client {
    http: reqwest::Client,
    api_url: String,
    corp_id: String,
    secret: Secret,
    agent_id: i64,
    token: Mutex<Option<Token>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret and the token stay out.
        f.debug_struct("Client")
            .field("api_url", &self.api_url)
            .field("corp_id", &self.corp_id)
            .field("agent_id", &self.agent_id)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: &WeCom) -> Client {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .expect("reqwest's client builds with rustls");
        Client::with_http(config, http)
    }

    /// With a client of the caller's (the sandbox's ignores proxy variables).
    pub fn with_http(config: &WeCom, http: reqwest::Client) -> Client {
        Client {
            http,
            api_url: config.api_url.trim_end_matches('/').to_owned(),
            corp_id: config.corp_id.clone(),
            secret: config.secret.clone(),
            agent_id: config.agent_id,
            token: Mutex::new(None),
        }
    }

    /// Makes sure a token can be had: `minyi check`'s test of the CorpID and the Secret.
    pub async fn token(&self) -> Result<(), SendError> {
        self.access_token().await.map(drop)
    }

    pub async fn send(&self, userid: &str, message: &Message) -> Result<Sent, SendError> {
        let answer = self
            .call("message/send", &[], &message.body(userid, self.agent_id))
            .await?;
        refuse_invalid_users(&answer)?;
        Ok(Sent {
            msgid: text_of(&answer.msgid),
            response_code: text_of(&answer.response_code),
        })
    }

    /// Turns the buttons of the card a `response_code` belongs to into one grey, unclickable
    /// button reading `replace_name` (for this member only).
    pub async fn update_card(
        &self,
        userid: &str,
        response_code: &str,
        replace_name: &str,
    ) -> Result<(), SendError> {
        // Recipients are arrays here, unlike message/send's "u1|u2".
        let body = json!({
            "userids": [userid],
            "agentid": self.agent_id,
            "response_code": response_code,
            "button": { "replace_name": replace_name },
        });
        let answer = self
            .call("message/update_template_card", &[], &body)
            .await?;
        refuse_invalid_users(&answer)
    }

    /// Replaces the app's menu with `menu`, the whole body: `{"button": [...]}`.
    pub async fn set_menu(&self, menu: &Value) -> Result<(), SendError> {
        let agent_id = self.agent_id.to_string();
        self.call("menu/create", &[("agentid", agent_id.as_str())], menu)
            .await
            .map(drop)
    }

    /// POSTs `body` to `/cgi-bin/{path}`, fetching a fresh token once if WeCom refuses this one.
    async fn call(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: &Value,
    ) -> Result<Answer, SendError> {
        let token = self.access_token().await?;
        let answer = self.post(path, &token, query, body).await?;
        if !STALE_TOKEN.contains(&answer.errcode) {
            return judge(answer, &token);
        }
        tracing::info!(
            errcode = answer.errcode,
            "wecom: access_token refused; fetching another"
        );
        let token = self.refresh(&token).await?;
        let answer = self.post(path, &token, query, body).await?;
        judge(answer, &token)
    }

    async fn post(
        &self,
        path: &str,
        token: &str,
        query: &[(&str, &str)],
        body: &Value,
    ) -> Result<Answer, SendError> {
        let request = self
            .http
            .post(format!("{}/cgi-bin/{path}", self.api_url))
            .query(&[("access_token", token)])
            .query(query)
            .json(body);
        self.read(request).await
    }

    /// The cached token, or a fresh one.
    async fn access_token(&self) -> Result<String, SendError> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.fresh_until) {
            return Ok(token.value.clone());
        }
        let token = self.fetch_token().await?;
        Ok(cached.insert(token).value.clone())
    }

    /// A token other than `stale`: another caller's fresh one, or one fetched now.
    async fn refresh(&self, stale: &str) -> Result<String, SendError> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached
            .as_ref()
            .filter(|t| t.value != stale && Instant::now() < t.fresh_until)
        {
            return Ok(token.value.clone());
        }
        let token = self.fetch_token().await?;
        Ok(cached.insert(token).value.clone())
    }

    async fn fetch_token(&self) -> Result<Token, SendError> {
        let request = self
            .http
            .get(format!("{}/cgi-bin/gettoken", self.api_url))
            .query(&[
                ("corpid", self.corp_id.as_str()),
                ("corpsecret", self.secret.expose()),
            ]);
        let answer = judge(self.read(request).await?, self.secret.expose())?;
        let value = answer
            .access_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| SendError::Network("gettoken answered no access_token".to_owned()))?;
        let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(7200));
        // A short lifetime (a test's) is used for half its length rather than not at all.
        let fresh_for = lifetime
            .checked_sub(TOKEN_MARGIN)
            .filter(|d| *d >= TOKEN_MARGIN)
            .unwrap_or(lifetime / 2);
        tracing::debug!(
            seconds = fresh_for.as_secs(),
            "wecom: fetched an access_token"
        );
        Ok(Token {
            value,
            fresh_until: Instant::now() + fresh_for,
        })
    }

    /// Sends a request and reads WeCom's JSON answer, whatever its errcode.
    async fn read(&self, request: reqwest::RequestBuilder) -> Result<Answer, SendError> {
        let response = request
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(network)?;
        let status = response.status();
        if status.is_server_error() {
            return Err(SendError::Busy);
        }
        if !status.is_success() {
            // WeCom answers 200 with an errcode; anything else is a proxy's or a wrong URL's.
            return Err(SendError::Refused {
                code: i64::from(status.as_u16()),
                message: format!("HTTP {status}"),
            });
        }
        response.json::<Answer>().await.map_err(network)
    }
}

/// reqwest's error without its URL (which holds the secret or the token), with its causes.
fn network(error: reqwest::Error) -> SendError {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    SendError::Network(text)
}

#[cfg(test)]
mod tests;
