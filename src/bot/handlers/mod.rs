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

use super::command::{BadCommand, Command};
use super::dialogue::Dialogue;
use super::reply::{self, Out};
use super::{Ctx, Front, menu};
use crate::i18n::{self, Lang};
use crate::storage::ActError;

pub use lists::colour_mark;

type Handled = anyhow::Result<()>;

/// A message that is a command (or a bad one).
pub async fn command(
    front: Arc<Front>,
    update: Update,
    message: Message,
    parsed: Result<Command, BadCommand>,
) -> Handled {
    let Some(ctx) = message_ctx(&front, &update, &message).await? else {
        return Ok(());
    };
    let outs = match parsed {
        Ok(command) => run(&front, &ctx, command).await,
        Err(BadCommand::OtherBot | BadCommand::NotCommand) => return Ok(()),
        Err(BadCommand::Unknown(name)) => vec![Out::text(i18n::text(
            ctx.lang,
            "bot-unknown-command",
            &[("name", name)],
        ))],
        Err(BadCommand::Usage(name)) => vec![usage(ctx.lang, name)],
        Err(BadCommand::BadNumber(name, text)) => {
            let mut html = i18n::text(ctx.lang, "bot-bad-number", &[("text", text)]);
            html.push('\n');
            html.push_str(&menu::usage(ctx.lang, name));
            vec![Out::text(html)]
        }
    };
    reply::send(&front.bot, ctx.chat, outs).await;
    Ok(())
}

/// Any other message: the next step of a dialogue, a resident's concern, or a hint.
pub async fn message(front: Arc<Front>, update: Update, message: Message) -> Handled {
    let Some(ctx) = message_ctx(&front, &update, &message).await? else {
        return Ok(());
    };
    let dialogue = front
        .repo
        .dialogue(ctx.chat, ctx.from)
        .await?
        .and_then(|row| Dialogue::from_json(&row.state));
    let input = Input::of(&message);
    let outs = match dialogue {
        Some(d) => filing::step(&front, &ctx, d, input).await?,
        // In a group the bot hears only what is meant for it; stray text gets no answer.
        None if ctx.group_chat => return Ok(()),
        None => vec![Out::text(i18n::text(
            ctx.lang,
            if ctx.is_person() {
                "bot-hint-person"
            } else {
                "bot-hint-resident"
            },
            &[],
        ))],
    };
    reply::send(&front.bot, ctx.chat, outs).await;
    Ok(())
}

/// A pressed inline button.
pub async fn press(front: Arc<Front>, update: Update, query: CallbackQuery) -> Handled {
    presses::press(&front, &update, query).await
}

/// The bot was added to or removed from a group.
pub async fn membership(front: Arc<Front>, update: Update, change: ChatMemberUpdated) -> Handled {
    let chat = change.chat.id.0;
    if change.new_chat_member.is_present() && !change.old_chat_member.is_present() {
        let ctx = Ctx::load(&front, &update, chat, true, &change.from).await?;
        let text = i18n::text(ctx.lang, "bot-added-to-group", &[]);
        reply::send(&front.bot, chat, vec![Out::text(text)]).await;
    } else if !change.new_chat_member.is_present() {
        // Its pushes will fail as "chat not found"/"kicked" and become dead letters the
        // admins see; nothing is unbound silently.
        tracing::info!(chat, "the bot left or was removed from a group");
    }
    Ok(())
}

/// A command with its arguments, for the person in `ctx`.
async fn run(front: &Front, ctx: &Ctx, command: Command) -> Vec<Out> {
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
        Suggest(text) => filing::suggest(front, ctx, text).await,
        My => lists::my(front, ctx, 0).await.map(|o| vec![o]),
        Show(no) => super::show::show(front, ctx, no).await,
        Queue => lists::queue(front, ctx).await,
        Overdue => lists::overdue(front, ctx).await,
        Stats(month) => lists::stats(front, ctx, month).await,
        Inbox => residents::inbox(front, ctx).await,
        Adopt(rno, category) => residents::adopt(front, ctx, rno, category).await,
        DeclineRequest(rno, reason) => residents::decline(front, ctx, rno, reason).await,
        other => steps::command(front, ctx, other).await,
    };
    result.unwrap_or_else(|e| vec![internal(ctx.lang, &e)])
}

/// The context of a message, or `None` for one without a sender (a channel post).
async fn message_ctx(
    front: &Front,
    update: &Update,
    message: &Message,
) -> anyhow::Result<Option<Ctx>> {
    let Some(user) = message.from.as_ref() else {
        return Ok(None);
    };
    let group = !message.chat.is_private();
    Ok(Some(
        Ctx::load(front, update, message.chat.id.0, group, user).await?,
    ))
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

/// The reply when something on our side failed: logged, and the person told nothing changed.
fn internal(lang: Lang, error: &anyhow::Error) -> Out {
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
