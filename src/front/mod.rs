//! The channel-neutral front end: every person's part of the loop as commands, buttons and
//! short dialogues (PRODUCT.md §4), whichever channel they write from.
//!
//! An adapter (Telegram's [`crate::bot`], WeCom's [`crate::wecom`]) turns what arrives into a
//! [`Ctx`] (who, where, the input's id on its channel) and one of three inputs: a command
//! ([`command::parse`]), any other message ([`Input`]: text, photo, location), or a pressed
//! button ([`press::Press`]). A handler in [`handlers`] turns it into one repository call,
//! which checks roles, scope and state and writes the change, its event, its outbox rows and
//! the input's id in one transaction. The answers come back as [`Out`]s (texts with the
//! buttons to offer) or, for a press, an [`Outcome`]; the adapter renders them. Pushes to
//! everybody else go through the outbox only.

pub mod buttons;
pub mod command;
pub mod dialogue;
mod handlers;
pub mod menu;
pub mod press;
pub mod recent;
mod show;
pub mod turns;

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::PersonId;
use crate::i18n::Lang;
use crate::storage::{Account, LoopPolicy, Repository, Talk, Who};

pub use handlers::{command, message, press, refused};
use press::Press;

/// What every handler needs: the database, the configuration and the time.
pub struct Front {
    pub repo: Arc<dyn Repository>,
    pub config: Arc<Config>,
    pub policy: LoopPolicy,
    /// The Telegram bot's username, without `@`: invite links name it.
    pub username: String,
    pub clock: Arc<dyn Clock>,
}

impl Front {
    pub fn new(
        repo: Arc<dyn Repository>,
        config: Arc<Config>,
        username: String,
        clock: Arc<dyn Clock>,
    ) -> Front {
        let policy = config.loop_policy();
        Front {
            repo,
            config,
            policy,
            username,
            clock,
        }
    }
}

/// Where an input came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Telegram {
        chat: i64,
        /// A group or supergroup chat (not a private chat with the bot).
        group_chat: bool,
        from: i64,
        /// The person's message this input is (none for a button), to reply to in groups.
        message: Option<i32>,
    },
    /// A member of the corporation, in the app's private chat.
    WeCom { userid: String, person: PersonId },
}

/// Who sent an input, where, and in which language to answer.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub via: Via,
    /// The input's id on its channel, recorded with the change it makes: the same input
    /// delivered again changes nothing.
    pub update: i64,
    pub account: Account,
    pub lang: Lang,
}

impl Ctx {
    pub fn who(&self) -> Who {
        match &self.via {
            Via::Telegram { from, .. } => Who::Telegram(*from),
            Via::WeCom { person, .. } => Who::Person(*person),
        }
    }

    /// Where the person's language choice and open dialogue are kept.
    pub fn talk(&self) -> Talk {
        match &self.via {
            Via::Telegram { chat, from, .. } => Talk::Telegram {
                chat: *chat,
                from: *from,
            },
            Via::WeCom { person, .. } => Talk::WeCom(*person),
        }
    }

    pub fn group_chat(&self) -> bool {
        matches!(
            self.via,
            Via::Telegram {
                group_chat: true,
                ..
            }
        )
    }

    /// The group chat this input came from, if it came from one.
    pub fn group_chat_id(&self) -> Option<i64> {
        match self.via {
            Via::Telegram {
                chat,
                group_chat: true,
                ..
            } => Some(chat),
            Via::Telegram { .. } | Via::WeCom { .. } => None,
        }
    }

    /// The Telegram account and chat, for what only Telegram has: residents' deep links and
    /// invites to redeem.
    pub fn telegram(&self) -> Option<(i64, i64)> {
        match self.via {
            Via::Telegram { chat, from, .. } => Some((chat, from)),
            Via::WeCom { .. } => None,
        }
    }

    /// Whose list a page button turns: a Telegram account, so that in a group one person's
    /// list is not another's to turn. A WeCom card reaches one member only.
    pub fn page_owner(&self) -> i64 {
        match self.via {
            Via::Telegram { from, .. } => from,
            Via::WeCom { .. } => 0,
        }
    }

    pub fn is_person(&self) -> bool {
        self.account.person.is_some()
    }
}

/// Rows of buttons, each a label and what pressing it says.
pub type Rows = Vec<Vec<(String, Press)>>;

/// One answer: a text (HTML, every user value escaped) with rows of buttons, or a photo.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Text {
        html: String,
        buttons: Rows,
    },
    Photo {
        file_id: String,
    },
    /// A question whose answer is the next message. In a group chat it asks for a reply
    /// (Telegram's privacy mode lets the bot see replies to its messages, not other text).
    Prompt {
        html: String,
    },
    /// A text for the person alone, wherever they wrote from: an invite link asked for in a
    /// group must not sit in the group's history. `board`: the board's Mini App address, for
    /// a button that opens it where the channel has such buttons (Telegram).
    Private {
        html: String,
        board: Option<String>,
    },
}

impl Out {
    pub fn text(html: impl Into<String>) -> Out {
        Out::Text {
            html: html.into(),
            buttons: Vec::new(),
        }
    }

    pub fn with_buttons(html: impl Into<String>, buttons: Rows) -> Out {
        Out::Text {
            html: html.into(),
            buttons,
        }
    }
}

/// The prefix of a photo's handle that is a WeCom media id (WeCom serves it for three days),
/// not a Telegram file id: each channel shows only its own.
pub const WECOM_MEDIA: &str = "wecom:";

/// What a message carries besides commands.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub text: Option<String>,
    /// The channel's handle of a photo (a Telegram file id, a WeCom media id).
    pub photo: Option<String>,
    pub location: Option<(f64, f64)>,
}

/// What a press leads to; the adapter shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Done: the pressed message (card) shows this line as what was done.
    Done(String),
    /// Refused or stale: a short notice; the pressed message stays as it was.
    Refused(String),
    /// The press opens something: new messages.
    Answer(Vec<Out>),
    /// Replace the pressed message (a page of `/my`).
    Replace(Out),
}
