//! Webhook mode (`minyi run --webhook ADDR --public-url URL`, PRODUCT.md §7): Telegram POSTs
//! each update to the public URL, behind which any number of replicas may serve. Each
//! replica serves the URL's path on its address; the one holding the poll lock also delivers
//! and schedules, as in polling mode.
//!
//! - Every request must carry the secret token set with `setWebhook`
//!   (`X-Telegram-Bot-Api-Secret-Token`); anything else is answered 401 and changes nothing.
//!   The secret is derived from the bot token (HMAC-SHA256), so every replica agrees on it
//!   without more configuration, and the token itself never travels.
//! - An update is answered 200 only after it was handled: its change committed with its
//!   update id. Telegram retries what is not answered 2xx, and a retry (or the same update
//!   reaching another replica) changes nothing, as with polling after a restart.
//! - Updates of one chat are handled one after another within a replica.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use teloxide::prelude::*;
use teloxide::types::Update;

use super::Telegram;
use crate::compare::same_secret;
use crate::front::turns::Turns;

/// The header Telegram sends the secret token in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The webhook's secret token for a bot token: 64 hex digits (Telegram allows 1–256 of
/// `A-Z a-z 0-9 _ -`).
pub fn secret(bot_token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(bot_token.as_bytes()).expect("HMAC takes any key");
    mac.update(b"minyi webhook secret token");
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Tells Telegram where to POST updates, with the secret token and the kinds of updates the
/// bot handles.
pub async fn register(bot: &Bot, public_url: reqwest::Url) -> Result<(), teloxide::RequestError> {
    bot.set_webhook(public_url)
        .secret_token(secret(bot.token()))
        .allowed_updates(super::UPDATES)
        .await?;
    Ok(())
}

struct Hook {
    front: Arc<Telegram>,
    secret: String,
    /// One lock per chat with an update being handled, so a chat's updates run in order.
    chats: Turns<i64>,
}

/// The webhook's routes: POST at `path` (the public URL's path, at least `/`).
pub fn router(front: Arc<Telegram>, path: &str) -> Router {
    let secret = secret(front.bot.token());
    let hook = Arc::new(Hook {
        front,
        secret,
        chats: Turns::default(),
    });
    Router::new().route(path, post(update)).with_state(hook)
}

async fn update(State(hook): State<Arc<Hook>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !same_secret(given, hook.secret.as_bytes()) {
        return StatusCode::UNAUTHORIZED;
    }
    let update: Update = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(e) => {
            // Telegram would send it again and again: say so in the log and take it.
            tracing::warn!(error = %e, "a webhook update that does not parse was dropped");
            return StatusCode::OK;
        }
    };
    let chat = super::listener::chat_key(&update);
    hook.chats.take(chat, hook.front.handle(update)).await;
    StatusCode::OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_fixed_per_token_and_fits_telegrams_rules() {
        let a = secret("123:abc");
        assert_eq!(a, secret("123:abc"));
        assert_ne!(a, secret("123:abd"));
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(!a.contains("abc"));
    }
}
