//! The Telegram Login widget and `LoginUrl` buttons (core.telegram.org/widgets/login): for a
//! plain browser, Telegram signs the account's fields (`id`, `first_name`, `last_name`,
//! `username`, `photo_url`, `auth_date`) and sends them to our page as a query string.
//!
//! - The key is `SHA256(bot_token)`, a plain digest; the Mini App's key is an HMAC, and data
//!   signed for one does not pass the other.
//! - Every field received but `hash` is in the data-check-string, whatever its name, so a
//!   field Telegram adds later still verifies.
//! - `auth_date` may be at most `max_age` old ([`super::MAX_AGE`]).

use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};

use super::{Refused, Signed, TelegramUser};

/// An account Telegram's Login signed for this bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// The account; `language_code` is always `None`, the Login does not send it.
    pub user: TelegramUser,
    pub photo_url: Option<String>,
    pub auth_date: DateTime<Utc>,
}

/// Checks the query string the Login redirected to (without the leading `?`) against
/// `bot_token`, and that it was signed at most `max_age` before `now`.
pub fn verify(
    query: &str,
    bot_token: &str,
    now: DateTime<Utc>,
    max_age: TimeDelta,
) -> Result<Login, Refused> {
    let signed = Signed::parse(query)?;
    signed.verify(&Sha256::digest(bot_token.as_bytes()))?;
    let auth_date = signed.auth_date(now, max_age)?;
    let id = signed.get("id").ok_or(Refused::NoUser)?;
    let id = id.parse().map_err(|_| Refused::Malformed)?;
    let first_name = signed.get("first_name").ok_or(Refused::NoUser)?;
    let field = |name| signed.get(name).map(str::to_owned);
    Ok(Login {
        user: TelegramUser {
            id,
            first_name: first_name.to_owned(),
            last_name: field("last_name"),
            username: field("username"),
            language_code: None,
        },
        photo_url: field("photo_url"),
        auth_date,
    })
}

#[cfg(test)]
mod tests;
