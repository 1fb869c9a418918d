//! A Telegram Mini App's launch data (`initData`), checked as the first party: minyi holds the
//! bot's token, so Telegram's HMAC is enough (core.telegram.org/bots/webapps, "Validating
//! data received via the Mini App"; notes in `shared/research/telegram-web.md`).
//!
//! - The key is `HMAC_SHA256(key = "WebAppData", msg = bot_token)`.
//! - Only `hash` leaves the data-check-string; `signature` (Telegram's Ed25519 signature for
//!   third parties, sent since late 2024) stays in it. Dropping it too, as the third-party
//!   check does, refuses every genuine launch from a current client.
//! - `auth_date` may be at most `max_age` old ([`super::MAX_AGE`]): a launch opens a
//!   session, it is not one.

use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{Refused, Signed, TelegramUser};

/// A launch Telegram signed for this bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitData {
    pub user: TelegramUser,
    pub auth_date: DateTime<Utc>,
    /// The `startapp` parameter of the link that opened the app, if any.
    pub start_param: Option<String>,
    /// The kind of chat the app was opened from (`sender`, `private`, `group`, `supergroup`,
    /// `channel`), when it was opened from a chat.
    pub chat_type: Option<String>,
}

/// Checks the raw `initData` string (`Telegram.WebApp.initData`, or the fragment's
/// `tgWebAppData` decoded once) against `bot_token`, and that it was signed at most `max_age`
/// before `now`.
pub fn verify(
    raw: &str,
    bot_token: &str,
    now: DateTime<Utc>,
    max_age: TimeDelta,
) -> Result<InitData, Refused> {
    let signed = Signed::parse(raw)?;
    signed.verify(&secret_key(bot_token))?;
    let auth_date = signed.auth_date(now, max_age)?;
    let user = signed.get("user").ok_or(Refused::NoUser)?;
    let user: TelegramUser = serde_json::from_str(user).map_err(|_| Refused::Malformed)?;
    Ok(InitData {
        user,
        auth_date,
        start_param: signed.get("start_param").map(str::to_owned),
        chat_type: signed.get("chat_type").map(str::to_owned),
    })
}

fn secret_key(bot_token: &str) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(b"WebAppData").expect("HMAC takes any key");
    mac.update(bot_token.as_bytes());
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests;
