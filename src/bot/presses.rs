//! Pressed inline buttons on Telegram: the front decides; here the press is answered (a
//! toast, at most 200 characters shown) and, after a step is done, the pressed message shows
//! what was done and loses its buttons. A stale or foreign button gets only the toast.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{ChatId, MessageId, ParseMode};

use super::{Routed, Telegram, load_ctx, reply};
use crate::front::press::Press;
use crate::front::{self, Out, Outcome, Rows};
use crate::i18n::{self, escape_html};
use crate::telegram::keyboard::markup;

pub async fn press(
    telegram: Arc<Telegram>,
    update: Update,
    query: CallbackQuery,
) -> anyhow::Result<Routed> {
    let message = query
        .message
        .as_ref()
        .and_then(|m| m.regular_message())
        .cloned();
    let from = i64::try_from(query.from.id.0)?;
    let chat = message.as_ref().map(|m| m.chat.id.0).unwrap_or(from);
    let group = message.as_ref().is_some_and(|m| !m.chat.is_private());
    let ctx = match load_ctx(&telegram, &update, chat, group, None, &query.from).await {
        Ok(ctx) => ctx,
        Err(e) => {
            let lang = telegram.front.config.default_lang;
            toast(&telegram, &query, i18n::plain(lang, "error-internal", &[])).await;
            return Err(e);
        }
    };
    let pressed = query.data.as_deref().and_then(Press::parse);
    let outcome = front::press(&telegram.front, &ctx, pressed).await;
    let line = match &outcome {
        Outcome::Done(line) | Outcome::Refused(line) => i18n::html_to_plain(line),
        Outcome::Answer(_) | Outcome::Replace(_) => String::new(),
    };
    toast(&telegram, &query, line).await;
    match outcome {
        Outcome::Done(line) => match &message {
            Some(m) => {
                let old = m.text().unwrap_or_default();
                let html = format!("{}\n\n{line}", escape_html(old));
                if !edit(&telegram, m.chat.id, m.id, html, None).await {
                    // Too long to edit (or gone): drop the buttons, say it anew.
                    let _ = telegram
                        .bot
                        .edit_message_reply_markup(m.chat.id, m.id)
                        .await;
                    reply::send(&telegram, &ctx, vec![Out::text(line)]).await;
                }
            }
            None => reply::send(&telegram, &ctx, vec![Out::text(line)]).await,
        },
        Outcome::Refused(_) => {}
        Outcome::Answer(outs) => reply::send(&telegram, &ctx, outs).await,
        Outcome::Replace(out) => match (&message, out) {
            (Some(m), Out::Text { html, buttons }) => {
                edit(&telegram, m.chat.id, m.id, html, Some(buttons)).await;
            }
            (_, out) => reply::send(&telegram, &ctx, vec![out]).await,
        },
    }
    Ok(Routed::Answered)
}

/// Answers the press (Telegram shows at most 200 characters); empty: a quiet answer.
async fn toast(telegram: &Telegram, query: &CallbackQuery, text: String) {
    let mut answer = telegram.bot.answer_callback_query(query.id.clone());
    if !text.is_empty() {
        answer = answer.text(text.chars().take(190).collect::<String>());
    }
    if let Err(e) = answer.await {
        tracing::debug!(error = %e, "cannot answer a button press");
    }
}

/// Edits the pressed message; false if Telegram refused.
async fn edit(
    telegram: &Telegram,
    chat: ChatId,
    id: MessageId,
    html: String,
    buttons: Option<Rows>,
) -> bool {
    let mut request = telegram
        .bot
        .edit_message_text(chat, id, html)
        .parse_mode(ParseMode::Html);
    if let Some(m) = buttons.as_deref().and_then(markup) {
        request = request.reply_markup(m);
    }
    match request.await {
        Ok(_) => true,
        Err(e) => {
            tracing::debug!(error = %e, "cannot edit the pressed message");
            false
        }
    }
}
