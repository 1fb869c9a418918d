//! Answers to the person who wrote: HTML texts split at Telegram's limit (never cut), with
//! the buttons on the last part, and photos by their file id.

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{
    ChatId, ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId,
    ParseMode, ReplyParameters, WebAppInfo,
};

use super::Telegram;
use crate::front::press::Press;
use crate::front::{Ctx, Out, Via, WECOM_MEDIA};
use crate::telegram::keyboard::markup;
use crate::telegram::pacer::Pacer;
use crate::telegram::split::{Measure, TELEGRAM_LIMIT, split_html};

/// Sends the answers to the person in `ctx`, in order; a failure is logged (the change, if
/// any, is already committed, and pushes to others go through the outbox).
pub async fn send(telegram: &Telegram, ctx: &Ctx, outs: Vec<Out>) {
    let Via::Telegram {
        chat,
        group_chat,
        from,
        message,
    } = ctx.via
    else {
        tracing::error!("a Telegram answer for an input from another channel");
        return;
    };
    let (bot, pacer) = (&telegram.bot, telegram.pacer.as_ref());
    for out in outs {
        let result = match out {
            Out::Text { html, buttons } => send_text(bot, pacer, chat, &html, &buttons).await,
            // A photo sent from WeCom: Telegram has no file of it.
            Out::Photo { file_id } if file_id.starts_with(WECOM_MEDIA) => {
                let html = crate::i18n::text(ctx.lang, "bot-photo-elsewhere", &[]);
                send_text(bot, pacer, chat, &html, &[]).await
            }
            Out::Photo { file_id } => paced(pacer, chat, || {
                bot.send_photo(ChatId(chat), InputFile::file_id(file_id.clone().into()))
                    .into_future()
            })
            .await
            .map(|_| ()),
            Out::Prompt { html } if group_chat => {
                paced(pacer, chat, || {
                    prompt(bot, chat, from, message, html.clone())
                })
                .await
            }
            Out::Prompt { html } => send_text(bot, pacer, chat, &html, &[]).await,
            Out::Private { html, board: None } => send_text(bot, pacer, from, &html, &[]).await,
            Out::Private {
                html,
                board: Some(url),
            } => board_link(bot, pacer, from, &html, &url, ctx.lang).await,
        };
        if let Err(e) = result {
            tracing::warn!(chat, error = %e, "cannot answer");
        }
    }
}

/// A private text with a button that opens the board as a Mini App.
async fn board_link(
    bot: &Bot,
    pacer: &Pacer,
    chat: i64,
    html: &str,
    url: &str,
    lang: crate::i18n::Lang,
) -> Result<(), RequestError> {
    let Ok(url) = reqwest::Url::parse(url) else {
        return send_text(bot, pacer, chat, html, &[]).await;
    };
    let label = crate::i18n::plain(lang, "bot-board-button", &[]);
    let button = InlineKeyboardButton::web_app(label, WebAppInfo { url });
    let markup = InlineKeyboardMarkup::new([[button]]);
    paced(pacer, chat, || {
        bot.send_message(ChatId(chat), html)
            .parse_mode(ParseMode::Html)
            .reply_markup(markup.clone())
            .into_future()
    })
    .await
    .map(|_| ())
}

/// Sends a text to a chat no context names yet (the account could not be loaded).
pub async fn send_to(telegram: &Telegram, chat: i64, html: &str) {
    if let Err(e) = send_text(&telegram.bot, &telegram.pacer, chat, html, &[]).await {
        tracing::warn!(chat, error = %e, "cannot send");
    }
}

/// How often an answer is tried: after a 429, or after a failure on the way (the connection
/// dropped, a proxy's error page instead of Telegram's answer).
const TRIES: u32 = 3;

/// The wait before the second try after a failure on the way; doubled before the third.
const FIRST_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// An answer goes out at once, but never into a pause a 429 began: it waits that out. A 429
/// on the answer itself pauses every send (the pacer hears of it) and the answer is tried
/// again after the pause. A failure on the way is tried again shortly: the person is waiting
/// for the answer, and nothing else would send it. (If the first try did arrive and only its
/// answer was lost, the person reads the answer twice: better than not at all.)
async fn paced<T, F, Fut>(pacer: &Pacer, chat: i64, send: F) -> Result<T, RequestError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, RequestError>>,
{
    let mut tried = 0;
    loop {
        pacer.pause_over().await;
        tried += 1;
        match send().await {
            Err(RequestError::RetryAfter(after)) if tried < TRIES => {
                pacer.rate_limited(chat, after.duration());
            }
            Err(e @ (RequestError::Network(_) | RequestError::InvalidJson { .. }))
                if tried < TRIES =>
            {
                tracing::debug!(chat, error = %e, "an answer failed on the way; trying again");
                tokio::time::sleep(FIRST_WAIT * 2u32.pow(tried - 1)).await;
            }
            Ok(sent) => {
                pacer.sent();
                return Ok(sent);
            }
            failed => return failed,
        }
    }
}

/// A question in a group: a reply to the person's message (or naming them, after a button),
/// asking Telegram for a reply from them only.
async fn prompt(
    bot: &Bot,
    chat: i64,
    from: i64,
    message: Option<i32>,
    html: String,
) -> Result<(), RequestError> {
    let html = match message {
        Some(_) => html,
        None => format!("<a href=\"tg://user?id={from}\">@</a> {html}"),
    };
    let mut request = bot
        .send_message(ChatId(chat), html)
        .parse_mode(ParseMode::Html)
        .reply_markup(ForceReply::new().selective());
    if let Some(id) = message {
        request = request
            .reply_parameters(ReplyParameters::new(MessageId(id)).allow_sending_without_reply());
    }
    request.await.map(|_| ())
}

async fn send_text(
    bot: &Bot,
    pacer: &Pacer,
    chat: i64,
    html: &str,
    buttons: &[Vec<(String, Press)>],
) -> Result<(), RequestError> {
    let parts = split_html(html, TELEGRAM_LIMIT, Measure::Shown);
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.into_iter().enumerate() {
        let markup = markup(buttons).filter(|_| i == last);
        paced(pacer, chat, || {
            let request = bot
                .send_message(ChatId(chat), part.clone())
                .parse_mode(ParseMode::Html);
            match markup.clone() {
                Some(m) => request.reply_markup(m).into_future(),
                None => request.into_future(),
            }
        })
        .await?;
    }
    Ok(())
}
