//! The Bot API client minyi talks to Telegram with.

use std::time::Duration;

use teloxide::Bot;

/// A bot with deliberate timeouts: a stuck request must not hold a row (and its chat) for
/// long, and a lease must outlive a send.
pub fn bot(token: &str, api_url: Option<reqwest::Url>) -> Bot {
    let client = teloxide::net::default_reqwest_settings()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .build()
        .expect("an HTTP client");
    let bot = Bot::with_client(token, client);
    match api_url {
        Some(url) => bot.set_api_url(url),
        None => bot,
    }
}
