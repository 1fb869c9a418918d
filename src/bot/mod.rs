//! The Telegram front end: every person's part of the loop as commands, buttons and short
//! dialogues (PRODUCT.md §4).
//!
//! Flow of one update: [`listener`] takes it from `getUpdates` → [`schema`] routes it (a
//! command, a dialogue step or a resident's concern, a pressed button, the bot added to a
//! group) → a handler in [`handlers`] turns it into one repository call, which checks roles,
//! scope and state and writes the change, its event, its outbox rows and the update id in
//! one transaction → the handler's answer goes back to the person ([`reply`]). Pushes to
//! everybody else go through the outbox only, each with what it asks of its reader, which
//! the delivery renders as buttons ([`crate::telegram::keyboard`]).

pub mod command;
pub mod dialogue;
mod handlers;
pub mod listener;
pub mod menu;
mod recent;
mod reply;
mod show;
pub mod webhook;

use std::sync::Arc;

use teloxide::dispatching::{DpHandlerDescription, UpdateFilterExt};
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, Message, User};
use tracing::Instrument;

use crate::clock::Clock;
use crate::config::Config;
use crate::i18n::Lang;
use crate::metrics::{Metrics, UpdateOutcome};
use crate::storage::{Account, LoopPolicy, Repository, Who};
use crate::telegram::pacer::Pacer;

pub use reply::Out;

/// The kinds of update the bot handles, asked for on every poll and when the webhook is set:
/// Telegram otherwise keeps the list last given, perhaps by another program with this token.
pub(crate) const UPDATES: [AllowedUpdate; 4] = [
    AllowedUpdate::Message,
    AllowedUpdate::EditedMessage,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::MyChatMember,
];

/// How many edited messages a process remembers having answered.
const EDITS_REMEMBERED: usize = 4096;

/// What every handler needs: the database, the bot, the configuration and the time.
pub struct Front {
    pub repo: Arc<dyn Repository>,
    pub bot: Bot,
    pub config: Arc<Config>,
    pub policy: LoopPolicy,
    /// The bot's username, without `@`: `/cmd@name` in groups must name this bot.
    pub username: String,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    /// Telegram's limits, shared with the delivery worker: answers wait out a 429's pause.
    pub pacer: Arc<Pacer>,
    /// Edited messages already answered, so each is answered once.
    edits: recent::Recent<(i64, i32)>,
}

impl Front {
    pub fn new(
        repo: Arc<dyn Repository>,
        bot: Bot,
        config: Arc<Config>,
        username: String,
        clock: Arc<dyn Clock>,
        metrics: Arc<Metrics>,
        pacer: Arc<Pacer>,
    ) -> Front {
        let policy = config.loop_policy();
        Front {
            repo,
            bot,
            config,
            policy,
            username,
            clock,
            metrics,
            pacer,
            edits: recent::Recent::new(EDITS_REMEMBERED),
        }
    }

    /// Whether this is the first edit of the message this process sees. Remembered in
    /// memory only: after a restart, or on another replica, an edit may be answered again,
    /// which costs one short message and changes nothing.
    fn first_edit(&self, chat: i64, message: i32) -> bool {
        self.edits.insert((chat, message))
    }

    /// Handles one update to the end: its change committed and its answer sent. Failures are
    /// logged; the person got an answer where one could be given. Everything logged on the
    /// way carries the update's id.
    pub async fn handle(self: &Arc<Self>, update: Update) {
        let span = tracing::info_span!("update", id = update.id.0);
        let kind = update_kind(&update);
        let started = std::time::Instant::now();
        let deps = dptree::deps![Arc::clone(self), update];
        let outcome = match schema().dispatch(deps).instrument(span.clone()).await {
            std::ops::ControlFlow::Break(Err(e)) => {
                span.in_scope(|| tracing::warn!(error = %e, "an update failed"));
                UpdateOutcome::Failed
            }
            std::ops::ControlFlow::Break(Ok(Routed::Answered)) => UpdateOutcome::Handled,
            std::ops::ControlFlow::Break(Ok(Routed::Ignored)) => UpdateOutcome::Ignored,
            std::ops::ControlFlow::Continue(_) => {
                span.in_scope(|| tracing::debug!("update ignored"));
                UpdateOutcome::Ignored
            }
        };
        self.metrics.update(kind, outcome, started.elapsed());
    }
}

/// What an update is, as its metrics count it.
fn update_kind(update: &Update) -> &'static str {
    use teloxide::types::UpdateKind;
    match &update.kind {
        UpdateKind::Message(m) if m.text().or(m.caption()).is_some_and(|t| t.starts_with('/')) => {
            "command"
        }
        UpdateKind::Message(_) => "message",
        UpdateKind::EditedMessage(_) => "edit",
        UpdateKind::CallbackQuery(_) => "button",
        UpdateKind::MyChatMember(_) => "membership",
        _ => "other",
    }
}

/// What a handler did with an update, as the metrics count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routed {
    /// It answered, or changed what it should.
    Answered,
    /// Not for minyi: another bot's command, talk in a group, an edit in a group.
    Ignored,
}

/// The routing table's type: every endpoint answers what it did with its update.
pub type Routes = dptree::Handler<'static, anyhow::Result<Routed>, DpHandlerDescription>;

/// The bot's routing table.
pub fn schema() -> Routes {
    dptree::entry()
        .branch(
            Update::filter_message()
                .branch(dptree::filter_map(command_of).endpoint(handlers::command))
                .endpoint(handlers::message),
        )
        .branch(Update::filter_edited_message().endpoint(handlers::edited))
        .branch(Update::filter_callback_query().endpoint(handlers::press))
        .branch(Update::filter_my_chat_member().endpoint(handlers::membership))
}

/// A message's command, parsed (or why it is a bad one); `None` for anything else.
fn command_of(
    message: Message,
    front: Arc<Front>,
) -> Option<Result<command::Command, command::BadCommand>> {
    let text = message.text().or(message.caption())?;
    match command::parse(text, &front.username) {
        Err(command::BadCommand::NotCommand) => None,
        parsed => Some(parsed),
    }
}

/// Who sent an update, where, and in which language to answer.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub chat: i64,
    /// A group or supergroup chat (not a private chat with the bot).
    pub group_chat: bool,
    pub from: i64,
    /// The person's message this update is (none for a button), to reply to in groups.
    pub message: Option<i32>,
    pub update: i64,
    pub account: Account,
    pub lang: Lang,
}

impl Ctx {
    pub async fn load(
        front: &Front,
        update: &Update,
        chat: i64,
        group_chat: bool,
        message: Option<i32>,
        user: &User,
    ) -> anyhow::Result<Ctx> {
        let from = i64::try_from(user.id.0)?;
        let account = front.repo.account(from).await?;
        // The person's own choice (or the roster's), else the Telegram app's language.
        let lang = account
            .lang
            .or_else(|| user.language_code.as_deref().and_then(Lang::parse))
            .unwrap_or(front.config.default_lang);
        Ok(Ctx {
            chat,
            group_chat,
            from,
            message,
            update: i64::from(update.id.0),
            account,
            lang,
        })
    }

    pub fn who(&self) -> Who {
        Who::Telegram(self.from)
    }

    pub fn is_person(&self) -> bool {
        self.account.person.is_some()
    }
}
