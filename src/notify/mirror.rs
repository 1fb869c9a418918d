//! Group-robot mirrors (PRODUCT.md §2, §6): a scope's pushes copied to a WeCom (企业微信),
//! DingTalk (钉钉) or Feishu (飞书) group-robot webhook named in the configuration.
//!
//! Each mirror push is its own outbox row. This module turns one message into one HTTP request
//! ([`request`]), sends it and judges the answer ([`send`]); the worker owns retries, backoff,
//! pacing and dead letters, guided by [`MirrorError::retryable`].
//!
//! - Length: nothing is cut here. WeCom takes at most 4096 bytes of markdown, DingTalk 20000
//!   bytes; the delivery worker is to split long texts before mirroring, as for Telegram's 4096
//!   characters. A text still over a platform's limit is refused with an error code, which is
//!   not retryable and so shows up in dead letters.
//! - Pacing: WeCom and DingTalk robots take about 20 messages a minute, Feishu's 100. Past that
//!   they answer with a rate-limit code, which is retryable (see [`MirrorError::retryable`]).
//! - Secrets: the webhook URL (its query or path is the robot's key) and the signing secret
//!   appear in no error and no `Debug` output.

use std::fmt;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::config::MirrorKind;

mod html;

pub use html::{to_markdown, to_plain};

/// How long one push may take, connecting included; a robot that hangs must not hold the worker.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Platform result codes that mean "not now" rather than "never": the push is retried.
const RETRYABLE_CODES: [i64; 5] = [
    -1,     // WeCom and DingTalk: system busy (系统繁忙)
    45009,  // WeCom: api freq out of limit
    130101, // DingTalk: send too fast, exceed 20 times per minute
    9499,   // Feishu: too many requests
    11232,  // Feishu: frequency limited
];

/// One push, ready to POST as JSON.
pub struct MirrorRequest {
    /// The webhook URL, with DingTalk's `timestamp` and `sign` appended when it signs. A secret.
    pub url: String,
    pub body: Value,
}

impl fmt::Debug for MirrorRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MirrorRequest")
            .field("url", &"***")
            .field("body", &self.body)
            .finish()
    }
}

/// Builds the request: the platform's text or markdown payload, and the signature where the
/// platform has one (DingTalk 加签, Feishu 签名校验; WeCom has none, its key is in the URL).
/// `html` is a message as minyi renders it for Telegram.
pub fn request(
    kind: MirrorKind,
    url: &str,
    secret: Option<&str>,
    html: &str,
    now: DateTime<Utc>,
) -> MirrorRequest {
    match kind {
        MirrorKind::WeCom => MirrorRequest {
            url: url.to_string(),
            body: json!({ "msgtype": "markdown", "markdown": { "content": to_markdown(html) } }),
        },
        MirrorKind::DingTalk => {
            // DingTalk joins single line breaks; two trailing spaces make a hard break.
            let text = to_markdown(html).replace('\n', "  \n");
            let body = json!({
                "msgtype": "markdown",
                "markdown": { "title": title(html), "text": text },
            });
            let url = match secret {
                Some(secret) => {
                    let timestamp = now.timestamp_millis();
                    let sign = dingtalk_sign(secret, timestamp);
                    let joiner = if url.contains('?') { '&' } else { '?' };
                    format!(
                        "{url}{joiner}timestamp={timestamp}&sign={}",
                        form_encode(&sign)
                    )
                }
                None => url.to_string(),
            };
            MirrorRequest { url, body }
        }
        MirrorKind::Feishu => {
            let mut body = json!({ "msg_type": "text", "content": { "text": to_plain(html) } });
            if let Some(secret) = secret {
                let timestamp = now.timestamp();
                body["timestamp"] = json!(timestamp.to_string());
                body["sign"] = json!(feishu_sign(secret, timestamp));
            }
            MirrorRequest {
                url: url.to_string(),
                body,
            }
        }
    }
}

/// Why a push did not arrive. The texts never hold the webhook URL or the secret.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    /// No answer: connection refused or dropped, timeout, or an answer that is not the
    /// platform's JSON (a proxy in between). Retryable.
    #[error("network: {0}")]
    Network(String),
    /// An HTTP status other than 2xx. 408, 429 and 5xx are retryable, the rest are not.
    #[error("HTTP status {0}")]
    Http(u16),
    /// HTTP 200 with an error code (`errcode`, or Feishu's `code`): the robot refused the
    /// message, e.g. a wrong signature, a keyword missing or a text too long. Not retryable,
    /// except the platforms' busy and rate-limit codes.
    #[error("the robot refused the push: error {code}: {message}")]
    Platform { code: i64, message: String },
}

impl MirrorError {
    pub fn retryable(&self) -> bool {
        match self {
            MirrorError::Network(_) => true,
            MirrorError::Http(status) => matches!(status, 408 | 429 | 500..=599),
            MirrorError::Platform { code, .. } => RETRYABLE_CODES.contains(code),
        }
    }
}

/// Sends one push and judges the answer: `Ok` only when the platform says it took it. Each
/// call has its own 10-second timeout, whatever the client's.
pub async fn send(
    client: &reqwest::Client,
    kind: MirrorKind,
    url: &str,
    secret: Option<&str>,
    html: &str,
    now: DateTime<Utc>,
) -> Result<(), MirrorError> {
    let push = request(kind, url, secret, html, now);
    let network = |error: reqwest::Error| MirrorError::Network(describe(error, url, secret));
    let response = client
        .post(&push.url)
        .timeout(TIMEOUT)
        .json(&push.body)
        .send()
        .await
        .map_err(network)?;
    let status = response.status();
    if !status.is_success() {
        return Err(MirrorError::Http(status.as_u16()));
    }
    let bytes = response.bytes().await.map_err(network)?;
    let answer: Value = serde_json::from_slice(&bytes)
        .map_err(|_| MirrorError::Network("the answer is not JSON".to_string()))?;
    judge(kind, &answer)
}

/// WeCom and DingTalk answer `{"errcode":0,"errmsg":"ok"}`; Feishu `{"code":0,"msg":"success"}`,
/// or in its older form `{"StatusCode":0,"StatusMessage":"success"}`.
fn judge(kind: MirrorKind, answer: &Value) -> Result<(), MirrorError> {
    let field = |names: &[&str]| names.iter().find_map(|name| answer.get(name));
    let (code, message) = match kind {
        MirrorKind::WeCom | MirrorKind::DingTalk => (field(&["errcode"]), field(&["errmsg"])),
        MirrorKind::Feishu => (
            field(&["code", "StatusCode"]),
            field(&["msg", "StatusMessage"]),
        ),
    };
    match code.and_then(Value::as_i64) {
        Some(0) => Ok(()),
        Some(code) => Err(MirrorError::Platform {
            code,
            message: message
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        }),
        None => Err(MirrorError::Network(
            "the answer carries no result code".to_string(),
        )),
    }
}

/// DingTalk: base64(HMAC-SHA256(key = secret, message = "{timestamp_ms}\n{secret}")).
fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    hmac_base64(
        secret.as_bytes(),
        format!("{timestamp_ms}\n{secret}").as_bytes(),
    )
}

/// Feishu: base64(HMAC-SHA256(key = "{timestamp_s}\n{secret}", message = empty)).
fn feishu_sign(secret: &str, timestamp_s: i64) -> String {
    hmac_base64(format!("{timestamp_s}\n{secret}").as_bytes(), b"")
}

fn hmac_base64(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    BASE64.encode(mac.finalize().into_bytes())
}

/// URL-encodes a base64 string for a query value: of its alphabet only `+`, `/` and `=` need it.
fn form_encode(base64: &str) -> String {
    base64
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

/// DingTalk's title (the line shown in the chat list): the message's first non-empty line.
fn title(html: &str) -> String {
    let plain = to_plain(html);
    let first = plain.lines().map(str::trim).find(|l| !l.is_empty());
    first.unwrap_or("minyi").to_string()
}

/// A reqwest error as text, without the URL reqwest would print and with anything of the
/// webhook (its key-bearing path and query, the secret) masked should a cause repeat it.
fn describe(error: reqwest::Error, url: &str, secret: Option<&str>) -> String {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    let error = error.without_url();
    let mut text = what.to_string();
    let mut cause = std::error::Error::source(&error);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    let after_host = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find(['/', '?']).map(|at| &rest[at..]));
    for hidden in [Some(url), after_host, secret].into_iter().flatten() {
        if hidden.len() > 1 {
            text = text.replace(hidden, "***");
        }
    }
    text
}

#[cfg(test)]
mod tests;
