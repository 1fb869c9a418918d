//! Sending one outbox row to Telegram, and what a failure means for it.

use std::time::Duration;

use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardMarkup, InputFile, ParseMode};

/// What to do with a row after a failed send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Telegram said to wait (429): try again after that, without using up an attempt.
    RateLimited(Duration),
    /// The recipient's own limit leaves no room now (WeCom's per member): try again then,
    /// without using up an attempt or holding a send slot meanwhile.
    Waiting(Duration),
    /// A network fault or a server error: try again with backoff, within the attempts.
    Transient(String),
    /// A request Telegram will never take (bad text, blocked bot, chat gone): a dead letter
    /// at once, no retry storm.
    Permanent(String),
    /// The worker is stopping and this part was not sent yet: the row goes back as it was.
    Stopped,
}

/// Sends one part in HTML parse mode, with buttons if any; answers Telegram's message id.
pub async fn send_part(
    bot: &Bot,
    chat: i64,
    text: &str,
    buttons: Option<InlineKeyboardMarkup>,
) -> Result<i64, Failure> {
    let request = bot
        .send_message(ChatId(chat), text)
        .parse_mode(ParseMode::Html);
    let sent = match buttons {
        Some(markup) => request.reply_markup(markup).await,
        None => request.await,
    };
    match sent {
        Ok(message) => Ok(i64::from(message.id.0)),
        Err(e) => Err(classify(e)),
    }
}

/// Sends a file, as a photo (shown in the chat) or a document; answers the message id.
pub async fn send_file(
    bot: &Bot,
    chat: i64,
    name: &str,
    bytes: Vec<u8>,
    photo: bool,
) -> Result<i64, Failure> {
    let file = InputFile::memory(bytes).file_name(name.to_string());
    let sent = if photo {
        bot.send_photo(ChatId(chat), file).await
    } else {
        bot.send_document(ChatId(chat), file).await
    };
    sent.map(|m| i64::from(m.id.0)).map_err(classify)
}

fn classify(error: RequestError) -> Failure {
    match error {
        RequestError::RetryAfter(seconds) => Failure::RateLimited(seconds.duration()),
        RequestError::Network(e) => Failure::Transient(format!("network: {e}")),
        // A 5xx answered with an HTML page (a proxy in front of the Bot API).
        RequestError::InvalidJson { .. } => {
            Failure::Transient("invalid answer from the Bot API".into())
        }
        RequestError::Io(e) => Failure::Transient(format!("io: {e}")),
        // An error teloxide does not know: the request's fault only if Telegram says so.
        RequestError::Api(ApiError::Unknown(description)) if !request_side(&description) => {
            Failure::Transient(description)
        }
        // A 401/404 means a wrong token or API URL: `minyi run` checks both at start, so
        // here it is passing (a proxy) or the token was revoked; bounded by the attempts.
        RequestError::Api(ApiError::InvalidToken) => Failure::Transient("invalid token".into()),
        RequestError::Api(e) => Failure::Permanent(e.to_string()),
        RequestError::MigrateToChatId(id) => {
            Failure::Permanent(format!("the group became supergroup {id}"))
        }
    }
}

/// Telegram's own words for a request it will never take.
fn request_side(description: &str) -> bool {
    ["Bad Request", "Forbidden"]
        .iter()
        .any(|s| description.starts_with(s))
}
