//! Answers to the person who wrote: HTML texts split at Telegram's limit (never cut), with
//! the buttons on the last part, and photos by their file id.

use teloxide::prelude::*;
use teloxide::types::{ChatId, ForceReply, InputFile, MessageId, ParseMode, ReplyParameters};

use super::Ctx;
use crate::telegram::callback::Press;
use crate::telegram::keyboard::markup;
use crate::telegram::split::{Measure, TELEGRAM_LIMIT, split_html};

/// One answer: a text (HTML, every user value escaped) with rows of buttons, or a photo.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Text {
        html: String,
        buttons: Vec<Vec<(String, Press)>>,
    },
    Photo {
        file_id: String,
    },
    /// A question whose answer is the next message. In a group chat it asks for a reply
    /// (Telegram's privacy mode lets the bot see replies to its messages, not other text).
    Prompt {
        html: String,
    },
}

impl Out {
    pub fn text(html: impl Into<String>) -> Out {
        Out::Text {
            html: html.into(),
            buttons: Vec::new(),
        }
    }

    pub fn with_buttons(html: impl Into<String>, buttons: Vec<Vec<(String, Press)>>) -> Out {
        Out::Text {
            html: html.into(),
            buttons,
        }
    }
}

/// Sends the answers to the person in `ctx`, in order; a failure is logged (the change, if
/// any, is already committed, and pushes to others go through the outbox).
pub async fn send(bot: &Bot, ctx: &Ctx, outs: Vec<Out>) {
    for out in outs {
        let result = match out {
            Out::Text { html, buttons } => send_text(bot, ctx.chat, &html, &buttons).await,
            Out::Photo { file_id } => bot
                .send_photo(ChatId(ctx.chat), InputFile::file_id(file_id.into()))
                .await
                .map(|_| ()),
            Out::Prompt { html } if ctx.group_chat => prompt(bot, ctx, html).await,
            Out::Prompt { html } => send_text(bot, ctx.chat, &html, &[]).await,
        };
        if let Err(e) = result {
            tracing::warn!(chat = ctx.chat, error = %e, "cannot answer");
        }
    }
}

/// Sends a text to another chat (an invite link, privately).
pub async fn send_to(bot: &Bot, chat: i64, html: &str) {
    if let Err(e) = send_text(bot, chat, html, &[]).await {
        tracing::warn!(chat, error = %e, "cannot send");
    }
}

/// A question in a group: a reply to the person's message (or naming them, after a button),
/// asking Telegram for a reply from them only.
async fn prompt(bot: &Bot, ctx: &Ctx, html: String) -> Result<(), teloxide::RequestError> {
    let html = match ctx.message {
        Some(_) => html,
        None => format!("<a href=\"tg://user?id={}\">@</a> {html}", ctx.from),
    };
    let mut request = bot
        .send_message(ChatId(ctx.chat), html)
        .parse_mode(ParseMode::Html)
        .reply_markup(ForceReply::new().selective());
    if let Some(id) = ctx.message {
        request = request
            .reply_parameters(ReplyParameters::new(MessageId(id)).allow_sending_without_reply());
    }
    request.await.map(|_| ())
}

async fn send_text(
    bot: &Bot,
    chat: i64,
    html: &str,
    buttons: &[Vec<(String, Press)>],
) -> Result<(), teloxide::RequestError> {
    let parts = split_html(html, TELEGRAM_LIMIT, Measure::Shown);
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.into_iter().enumerate() {
        let request = bot
            .send_message(ChatId(chat), part)
            .parse_mode(ParseMode::Html);
        match markup(buttons).filter(|_| i == last) {
            Some(m) => request.reply_markup(m).await?,
            None => request.await?,
        };
    }
    Ok(())
}
