//! The Telegram adapter of the front end ([`crate::front`]): updates in, answers out.
//!
//! Flow of one update: [`listener`] takes it from `getUpdates` (or [`webhook`] from Telegram's
//! POST) → [`schema`] routes it (a command, any other message, a pressed button, the bot
//! added to a group) → an endpoint in [`endpoints`] builds the front's [`Ctx`] and asks the
//! front, which makes the change → the answers go back to the person ([`reply`]). Pushes to
//! everybody else go through the outbox only, each with what it asks of its reader, which
//! the delivery renders as buttons ([`crate::telegram::keyboard`]).

mod endpoints;
pub mod listener;
pub mod menu;
mod presses;

mod reply;
pub mod webhook;

use std::sync::Arc;

use teloxide::dispatching::{DpHandlerDescription, UpdateFilterExt};
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, Message, User};
use tracing::Instrument;

use crate::clock::Clock;
use crate::config::Config;
use crate::front::command;
use crate::front::{Ctx, Front, Via};
use crate::i18n::Lang;
use crate::metrics::{Metrics, UpdateOutcome};
use crate::storage::Repository;
use crate::telegram::pacer::Pacer;

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

/// The front end on Telegram: the front, the bot that speaks for it, and Telegram's limits.
pub struct Telegram {
    pub front: Front,
    pub bot: Bot,
    pub metrics: Arc<Metrics>,
    /// Telegram's limits, shared with the delivery worker: answers wait out a 429's pause.
    pub pacer: Arc<Pacer>,
    /// Edited messages already answered, so each is answered once.
    edits: crate::front::recent::Recent<(i64, i32)>,
}

impl Telegram {
    pub fn new(
        repo: Arc<dyn Repository>,
        bot: Bot,
        config: Arc<Config>,
        username: String,
        clock: Arc<dyn Clock>,
        metrics: Arc<Metrics>,
        pacer: Arc<Pacer>,
    ) -> Telegram {
        Telegram {
            front: Front::new(repo, config, username, clock),
            bot,
            metrics,
            pacer,
            edits: crate::front::recent::Recent::new(EDITS_REMEMBERED),
        }
    }

    /// The bot's username, without `@`: `/cmd@name` in groups must name this bot.
    pub fn username(&self) -> &str {
        &self.front.username
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
        let told_of_failure = self.who_hears_a_failure(&update);
        let deps = dptree::deps![Arc::clone(self), update];
        let outcome = match schema().dispatch(deps).instrument(span.clone()).await {
            std::ops::ControlFlow::Break(Err(e)) => {
                span.in_scope(|| tracing::warn!(error = %e, "an update failed"));
                if let Some((chat, lang)) = told_of_failure {
                    let text = crate::i18n::text(lang, "error-internal", &[]);
                    reply::send_to(self, chat, &text).await;
                }
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

impl Telegram {
    /// Where and in which language to say that an update failed on our side (the database
    /// did not answer, say) and changed nothing, should it fail: its sender's chat, in their
    /// app's language (their own choice could not be read then). Only what was meant for
    /// minyi is answered: a private message, a button, or a command of minyi's in a group
    /// (not the group's talk). Read before handling: the handler takes the update.
    fn who_hears_a_failure(&self, update: &Update) -> Option<(i64, Lang)> {
        use teloxide::types::UpdateKind;
        let meant_for_us = match &update.kind {
            UpdateKind::CallbackQuery(_) => true,
            UpdateKind::Message(m) if m.chat.is_private() => true,
            UpdateKind::Message(m) => m
                .text()
                .is_some_and(|t| command::parse(t, self.username()).is_ok()),
            _ => false,
        };
        if !meant_for_us {
            return None;
        }
        let user = update.from()?;
        let chat = update.chat()?.id.0;
        let lang = user
            .language_code
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or(self.front.config.default_lang);
        Some((chat, lang))
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
                .branch(dptree::filter_map(command_of).endpoint(endpoints::command))
                .endpoint(endpoints::message),
        )
        .branch(Update::filter_edited_message().endpoint(endpoints::edited))
        .branch(Update::filter_callback_query().endpoint(presses::press))
        .branch(Update::filter_my_chat_member().endpoint(endpoints::membership))
}

/// A message's command, parsed (or why it is a bad one); `None` for anything else.
fn command_of(
    message: Message,
    telegram: Arc<Telegram>,
) -> Option<Result<command::Command, command::BadCommand>> {
    let text = message.text().or(message.caption())?;
    match command::parse(text, telegram.username()) {
        Err(command::BadCommand::NotCommand) => None,
        parsed => Some(parsed),
    }
}

/// The front's context of an update from a Telegram user: their account, in the language
/// they chose (or the roster's, else their app's).
pub async fn load_ctx(
    telegram: &Telegram,
    update: &Update,
    chat: i64,
    group_chat: bool,
    message: Option<i32>,
    user: &User,
) -> anyhow::Result<Ctx> {
    let front = &telegram.front;
    let from = i64::try_from(user.id.0)?;
    let account = front.repo.account(from).await?;
    let lang = account
        .lang
        .or_else(|| user.language_code.as_deref().and_then(Lang::parse))
        .unwrap_or(front.config.default_lang);
    Ok(Ctx {
        via: Via::Telegram {
            chat,
            group_chat,
            from,
            message,
        },
        update: i64::from(update.id.0),
        account,
        lang,
    })
}
