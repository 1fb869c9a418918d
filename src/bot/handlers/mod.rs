//! The endpoints of the routing table: each builds the [`Ctx`], turns the update into one
//! repository call and sends the answer. Every bad input ends in a short reply that says what
//! is wrong and what to do, with nothing changed.

mod filing;
mod lists;
mod people;
mod presses;
mod residents;
mod steps;

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{ChatMemberUpdated, Message};

use super::command::{BadCommand, Command, parse};
use super::reply::{self, Out};
use super::{Ctx, Front, Routed, menu};
use crate::domain::refusal::quote;
use crate::i18n::{self, Lang};
use crate::storage::ActError;

pub use lists::colour_mark;

type Handled = anyhow::Result<Routed>;

/// A message that is a command (or a bad one).
pub async fn command(
    front: Arc<Front>,
    update: Update,
    message: Message,
    parsed: Result<Command, BadCommand>,
) -> Handled {
    if not_for_us(&front, &message, &parsed) {
        return Ok(Routed::Ignored);
    }
    let Some(ctx) = message_ctx(&front, &update, &message).await? else {
        return Ok(Routed::Ignored);
    };
    let outs = match parsed {
        Ok(command) => run(&front, &ctx, command, Input::of(&message)).await,
        Err(BadCommand::OtherBot | BadCommand::NotCommand) => return Ok(Routed::Ignored),
        Err(BadCommand::Unknown { name, .. }) => vec![Out::text(i18n::text(
            ctx.lang,
            "bot-unknown-command",
            &[("name", quote(&name))],
        ))],
        Err(BadCommand::Usage(name)) => vec![usage(ctx.lang, name)],
        Err(BadCommand::BadNumber(name, text)) => {
            let mut html = i18n::text(ctx.lang, "bot-bad-number", &[("text", quote(&text))]);
            html.push('\n');
            html.push_str(&menu::usage(ctx.lang, name));
            vec![Out::text(html)]
        }
    };
    reply::send(&front, &ctx, outs).await;
    Ok(Routed::Answered)
}

/// Whether a command is another bot's, known before anything is loaded: `/word@otherbot`, or
/// in a group a bare unknown `/word` (`/ban @spammer`) that neither names this bot nor replies
/// to one of its messages.
fn not_for_us(front: &Front, message: &Message, parsed: &Result<Command, BadCommand>) -> bool {
    match parsed {
        Err(BadCommand::OtherBot | BadCommand::NotCommand) => true,
        Err(BadCommand::Unknown {
            addressed: false, ..
        }) => !message.chat.is_private() && !replies_to_us(front, message),
        Err(BadCommand::Unknown { .. } | BadCommand::Usage(_) | BadCommand::BadNumber(..))
        | Ok(_) => false,
    }
}

/// Whether a message replies to one of this bot's own messages.
fn replies_to_us(front: &Front, message: &Message) -> bool {
    message
        .reply_to_message()
        .and_then(|m| m.from.as_ref())
        .is_some_and(|u| {
            u.is_bot
                && u.username
                    .as_deref()
                    .is_some_and(|name| name.eq_ignore_ascii_case(&front.username))
        })
}

/// An edited message. Edits are not acted on: acting on them would replay steps. An edited
/// command in a private chat is answered, once per message, so the person knows to send it
/// again; in a group an edit stays unanswered, like other talk there.
pub async fn edited(front: Arc<Front>, update: Update, message: Message) -> Handled {
    if !message.chat.is_private() {
        return Ok(Routed::Ignored);
    }
    let text = message.text().or(message.caption()).unwrap_or_default();
    if let Err(BadCommand::NotCommand | BadCommand::OtherBot) = parse(text, &front.username) {
        return Ok(Routed::Ignored);
    }
    if !front.first_edit(message.chat.id.0, message.id.0) {
        return Ok(Routed::Ignored);
    }
    let Some(ctx) = message_ctx(&front, &update, &message).await? else {
        return Ok(Routed::Ignored);
    };
    let text = i18n::text(ctx.lang, "bot-edit-not-read", &[]);
    reply::send(&front, &ctx, vec![Out::text(text)]).await;
    Ok(Routed::Answered)
}

/// Any other message: the next step of a dialogue, a resident's concern, or a hint.
pub async fn message(front: Arc<Front>, update: Update, message: Message) -> Handled {
    let Some(ctx) = message_ctx(&front, &update, &message).await? else {
        return Ok(Routed::Ignored);
    };
    let outs = match filing::load_dialogue(&front, &ctx).await {
        Ok(Some(d)) => filing::step(&front, &ctx, d, Input::of(&message))
            .await
            .unwrap_or_else(|e| vec![internal(ctx.lang, &e)]),
        Ok(None) if ctx.group_chat => return Ok(Routed::Ignored),
        Ok(None) => vec![Out::text(i18n::text(
            ctx.lang,
            if ctx.is_person() {
                "bot-hint-person"
            } else {
                "bot-hint-resident"
            },
            &[],
        ))],
        Err(e) => vec![internal(ctx.lang, &e)],
    };
    reply::send(&front, &ctx, outs).await;
    Ok(Routed::Answered)
}

/// A pressed inline button.
pub async fn press(front: Arc<Front>, update: Update, query: CallbackQuery) -> Handled {
    presses::press(&front, &update, query).await
}

/// The bot was added to or removed from a group.
pub async fn membership(front: Arc<Front>, update: Update, change: ChatMemberUpdated) -> Handled {
    let chat = change.chat.id.0;
    if change.chat.is_private() {
        // A person blocked or unblocked the bot: their pushes fail or work again by themselves.
        return Ok(Routed::Ignored);
    }
    if change.new_chat_member.is_present() && !change.old_chat_member.is_present() {
        let ctx = Ctx::load(&front, &update, chat, true, None, &change.from).await?;
        let text = i18n::text(ctx.lang, "bot-added-to-group", &[]);
        reply::send(&front, &ctx, vec![Out::text(text)]).await;
    } else if !change.new_chat_member.is_present() {
        // Its pushes will fail as "chat not found"/"kicked" and become dead letters the
        // admins see; nothing is unbound silently.
        tracing::info!(chat, "the bot left or was removed from a group");
    }
    Ok(Routed::Answered)
}

/// A command with its arguments, for the person in `ctx`.
async fn run(front: &Front, ctx: &Ctx, command: Command, input: Input) -> Vec<Out> {
    use Command::*;
    let result: anyhow::Result<Vec<Out>> = match command {
        Start(payload) => people::start(front, ctx, payload).await,
        Help => Ok(vec![Out::text(menu::help(
            ctx.lang,
            ctx.account.person.as_ref(),
        ))]),
        Lang(choice) => people::lang(front, ctx, choice).await,
        Cancel => people::cancel(front, ctx).await,
        Bind(code) => people::bind(front, ctx, code).await,
        Invite(code) => people::invite(front, ctx, code).await,
        Suggest(text) => filing::suggest(front, ctx, text, input).await,
        My => lists::my(front, ctx, 0).await.map(|o| vec![o]),
        Show(no) => super::show::show(front, ctx, no).await,
        Queue => lists::queue(front, ctx).await,
        Overdue => lists::overdue(front, ctx).await,
        Stats(month) => lists::stats(front, ctx, month).await,
        Inbox if ctx.group_chat => Ok(vec![private_only(ctx)]),
        Inbox => residents::inbox(front, ctx).await,
        Adopt(rno, category) => residents::adopt(front, ctx, rno, category).await,
        DeclineRequest(rno, reason) => residents::decline(front, ctx, rno, reason).await,
        Step(no, step) => steps::command(front, ctx, no, step).await,
    };
    result.unwrap_or_else(|e| vec![internal(ctx.lang, &e)])
}

/// The context of a message, or `None` for one without a person as its sender (a channel
/// post, another bot).
async fn message_ctx(
    front: &Front,
    update: &Update,
    message: &Message,
) -> anyhow::Result<Option<Ctx>> {
    // Other bots are not people on the roster: what they write is not for minyi.
    let Some(user) = message.from.as_ref().filter(|u| !u.is_bot) else {
        return Ok(None);
    };
    let group = !message.chat.is_private();
    let chat = message.chat.id.0;
    match Ctx::load(front, update, chat, group, Some(message.id.0), user).await {
        Ok(ctx) => Ok(Some(ctx)),
        Err(e) => {
            // Without the account there is no language: the default one tells what happened.
            let html = i18n::text(front.config.default_lang, "error-internal", &[]);
            reply::send_to(front, chat, &html).await;
            Err(e)
        }
    }
}

/// What a message carries besides commands.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub text: Option<String>,
    pub photo: Option<String>,
    pub location: Option<(f64, f64)>,
}

impl Input {
    fn of(message: &Message) -> Input {
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
}

/// The reply to a refused or impossible request.
pub fn refused(lang: Lang, error: &ActError) -> Out {
    if let ActError::Store(e) = error {
        tracing::error!(error = %e, "storage failed");
    }
    Out::text(i18n::text(lang, error.key(), &error.args()))
}

/// Residents' requests stay out of group chats.
pub fn private_only(ctx: &Ctx) -> Out {
    Out::text(i18n::text(ctx.lang, "bot-private-only-command", &[]))
}

/// The reply when something on our side failed: logged, and the person told nothing changed.
pub fn internal(lang: Lang, error: &anyhow::Error) -> Out {
    tracing::error!(error = %error, "a command failed");
    Out::text(i18n::text(lang, "error-internal", &[]))
}

pub fn usage(lang: Lang, name: &str) -> Out {
    Out::text(i18n::text(
        lang,
        "bot-usage",
        &[(
            "usage",
            i18n::plain(lang, &format!("bot-usage-{name}"), &[]),
        )],
    ))
}
