//! The routing table's endpoints for messages: each decides whether an update is for minyi
//! at all (before anything is loaded), builds the front's context and sends its answers.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{ChatMemberUpdated, Message};

use super::reply;
use super::{Routed, Telegram, load_ctx};
use crate::front::command::{BadCommand, Command, parse};
use crate::front::{self, Ctx, Input, Out};
use crate::i18n;

type Handled = anyhow::Result<Routed>;

/// A message that is a command (or a bad one).
pub async fn command(
    telegram: Arc<Telegram>,
    update: Update,
    message: Message,
    parsed: Result<Command, BadCommand>,
) -> Handled {
    if not_for_us(&telegram, &message, &parsed) {
        return Ok(Routed::Ignored);
    }
    let Some(ctx) = message_ctx(&telegram, &update, &message).await? else {
        return Ok(Routed::Ignored);
    };
    // A forwarded command is someone else's words, not this person asking: it is not run. In
    // private the person is told why; in a group it is talk.
    if message.forward_origin().is_some() {
        if !message.chat.is_private() {
            return Ok(Routed::Ignored);
        }
        let text = i18n::text(ctx.lang, "bot-forwarded-command", &[]);
        reply::send(&telegram, &ctx, vec![Out::text(text)]).await;
        return Ok(Routed::Answered);
    }
    let outs = front::command(&telegram.front, &ctx, parsed, input_of(&message)).await;
    reply::send(&telegram, &ctx, outs).await;
    Ok(Routed::Answered)
}

/// Whether a command is another bot's, known before anything is loaded: `/word@otherbot`, or
/// in a group a bare unknown `/word` (`/ban @spammer`) that neither names this bot nor replies
/// to one of its messages.
fn not_for_us(
    telegram: &Telegram,
    message: &Message,
    parsed: &Result<Command, BadCommand>,
) -> bool {
    match parsed {
        Err(BadCommand::OtherBot | BadCommand::NotCommand) => true,
        Err(BadCommand::Unknown {
            addressed: false, ..
        }) => !message.chat.is_private() && !replies_to_us(telegram, message),
        Err(BadCommand::Unknown { .. } | BadCommand::Usage(_) | BadCommand::BadNumber(..))
        | Ok(_) => false,
    }
}

/// Whether a message replies to one of this bot's own messages.
fn replies_to_us(telegram: &Telegram, message: &Message) -> bool {
    message
        .reply_to_message()
        .and_then(|m| m.from.as_ref())
        .is_some_and(|u| {
            u.is_bot
                && u.username
                    .as_deref()
                    .is_some_and(|name| name.eq_ignore_ascii_case(telegram.username()))
        })
}

/// An edited message. Edits are not acted on: acting on them would replay steps. An edited
/// command in a private chat is answered, once per message, so the person knows to send it
/// again; in a group an edit stays unanswered, like other talk there.
pub async fn edited(telegram: Arc<Telegram>, update: Update, message: Message) -> Handled {
    if !message.chat.is_private() {
        return Ok(Routed::Ignored);
    }
    let text = message.text().or(message.caption()).unwrap_or_default();
    if let Err(BadCommand::NotCommand | BadCommand::OtherBot) = parse(text, telegram.username()) {
        return Ok(Routed::Ignored);
    }
    if !telegram.first_edit(message.chat.id.0, message.id.0) {
        return Ok(Routed::Ignored);
    }
    let Some(ctx) = message_ctx(&telegram, &update, &message).await? else {
        return Ok(Routed::Ignored);
    };
    let text = i18n::text(ctx.lang, "bot-edit-not-read", &[]);
    reply::send(&telegram, &ctx, vec![Out::text(text)]).await;
    Ok(Routed::Answered)
}

/// Any other message: the next step of a dialogue, a resident's concern, or a hint.
pub async fn message(telegram: Arc<Telegram>, update: Update, message: Message) -> Handled {
    let Some(ctx) = message_ctx(&telegram, &update, &message).await? else {
        return Ok(Routed::Ignored);
    };
    match front::message(&telegram.front, &ctx, input_of(&message)).await {
        Some(outs) => {
            reply::send(&telegram, &ctx, outs).await;
            Ok(Routed::Answered)
        }
        None => Ok(Routed::Ignored),
    }
}

/// The bot was added to or removed from a group.
pub async fn membership(
    telegram: Arc<Telegram>,
    update: Update,
    change: ChatMemberUpdated,
) -> Handled {
    let chat = change.chat.id.0;
    if change.chat.is_private() {
        // A person blocked or unblocked the bot: their pushes fail or work again by themselves.
        return Ok(Routed::Ignored);
    }
    if change.new_chat_member.is_present() && !change.old_chat_member.is_present() {
        let ctx = load_ctx(&telegram, &update, chat, true, None, &change.from).await?;
        let text = i18n::text(ctx.lang, "bot-added-to-group", &[]);
        reply::send(&telegram, &ctx, vec![Out::text(text)]).await;
    } else if !change.new_chat_member.is_present() {
        // Its pushes will fail as "chat not found"/"kicked" and become dead letters the
        // admins see; nothing is unbound silently.
        tracing::info!(chat, "the bot left or was removed from a group");
    }
    Ok(Routed::Answered)
}

/// The context of a message, or `None` for one without a person as its sender (a channel
/// post, another bot).
async fn message_ctx(
    telegram: &Telegram,
    update: &Update,
    message: &Message,
) -> anyhow::Result<Option<Ctx>> {
    // Other bots are not people on the roster: what they write is not for minyi.
    let Some(user) = message.from.as_ref().filter(|u| !u.is_bot) else {
        return Ok(None);
    };
    let group = !message.chat.is_private();
    let chat = message.chat.id.0;
    match load_ctx(telegram, update, chat, group, Some(message.id.0), user).await {
        Ok(ctx) => Ok(Some(ctx)),
        Err(e) => {
            // Without the account there is no language: the default one tells what happened.
            let html = i18n::text(telegram.front.config.default_lang, "error-internal", &[]);
            reply::send_to(telegram, chat, &html).await;
            Err(e)
        }
    }
}

/// What a message carries besides its command.
fn input_of(message: &Message) -> Input {
    Input {
        text: message
            .text()
            .or(message.caption())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        // The largest size comes last.
        photo: message
            .photo()
            .and_then(|sizes| sizes.last())
            .map(|p| p.file.id.to_string()),
        location: message.location().map(|l| (l.latitude, l.longitude)),
    }
}
