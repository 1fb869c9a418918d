//! `t.me` deep links: the one builder of links that open the bot with `/start <payload>`.
//!
//! The bot's username comes from where the link is made: the running bot uses the one
//! Telegram reports (`getMe`), the command line (`minyi invite`, `minyi qr`) the configured
//! `bot_username`, since it works offline. `minyi run` warns when the two differ, because
//! printed invites and posters would then open another bot.

use crate::storage::InviteToken;

/// A link that opens the bot `username` (without `@`) with `/start <payload>`.
pub fn deep_link(username: &str, payload: &str) -> String {
    format!("https://t.me/{username}?start={payload}")
}

/// The one-time link that binds a Telegram account to a roster person.
pub fn invite_link(username: &str, token: &InviteToken) -> String {
    deep_link(username, &token.start_payload())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_open_the_bot_with_their_payload() {
        assert_eq!(
            deep_link("minyi_bot", "d_P01"),
            "https://t.me/minyi_bot?start=d_P01"
        );
        let token = InviteToken::new();
        let link = invite_link("minyi_bot", &token);
        let payload = link.strip_prefix("https://t.me/minyi_bot?start=").unwrap();
        assert_eq!(InviteToken::from_start_payload(payload), Some(token));
    }
}
