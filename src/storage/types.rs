//! What goes in and out of the repository.

use chrono::{DateTime, Utc};

use crate::domain::{Action, EventKind, Level, PersonId, Rules, State, SuggestionNo};

/// Who is acting: a roster person, a Telegram account (looked up in the same transaction), or
/// the system (scheduler).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Person(PersonId),
    Telegram(i64),
    System,
}

/// A transition as an entry point asks for it. Unit codes and merge targets are resolved
/// inside the transaction, so what the rules see is what is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Any action whose arguments need no lookup.
    Action(Action),
    /// 交办 by unit codes.
    Assign {
        lead: String,
        co: Vec<String>,
        days: Option<u32>,
        level: Option<Level>,
    },
    Merge {
        into: SuggestionNo,
    },
}

/// The parts of the configuration the loop needs inside a transaction.
#[derive(Debug, Clone)]
pub struct LoopPolicy {
    pub rules: Rules,
    pub categories: Vec<String>,
    /// The language of group chats and of people who chose none.
    pub default_lang: String,
    /// Group-robot webhooks that mirror a scope's bound chats.
    pub mirrors: Vec<MirrorRoute>,
}

/// A scope's mirror, as the outbox addresses it: the mirror's place in the configuration and
/// its scope code (checked again on delivery, so an edited configuration cannot send a
/// message to the wrong robot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorRoute {
    pub index: usize,
    pub scope: String,
    /// `wecom`, `dingtalk` or `feishu`: the outbox channel.
    pub kind: String,
}

impl MirrorRoute {
    /// The outbox target: `index:scope`.
    pub fn target(&self) -> String {
        format!("{}:{}", self.index, self.scope)
    }
}

impl LoopPolicy {
    /// The category of a suggestion filed without one (a one-line `/suggest`, an adopted
    /// request): "other" if configured, else the first category.
    pub fn default_category(&self) -> String {
        let other = "other";
        if self.categories.iter().any(|c| c == other) {
            other.to_string()
        } else {
            self.categories
                .first()
                .cloned()
                .unwrap_or_else(|| other.to_string())
        }
    }
}

impl Default for LoopPolicy {
    /// The policy of the default configuration.
    fn default() -> Self {
        crate::config::Config::default().loop_policy()
    }
}

/// What a transition did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Written: the suggestion's number, its new state and how many outbox rows it queued.
    Done {
        no: SuggestionNo,
        state: State,
        queued: usize,
    },
    /// The Telegram update was applied before; nothing was changed now.
    Duplicate,
}

/// One row of a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub kind: EventKind,
    pub from: Option<State>,
    pub to: State,
    pub text: Option<String>,
}

/// One queued push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    /// `telegram`, or a mirror kind.
    pub channel: String,
    /// A Telegram chat id, or a mirror as `index:scope` (see [`MirrorRoute::target`]).
    pub target: String,
    pub lang: String,
    pub key: String,
    pub args: Vec<(String, String)>,
    pub suggestion: Option<SuggestionNo>,
    pub state: String,
    /// Attempts so far, this one included once claimed.
    pub attempts: i64,
    /// Parts of a split message already delivered.
    pub parts_sent: i64,
    pub created_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

/// A message that could not be delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    pub outbox_id: i64,
    pub channel: String,
    pub target: String,
    pub key: String,
    pub reason: String,
    pub died_at: DateTime<Utc>,
}

/// What a chat is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindTarget {
    Group(String),
    Org(String),
    Unit(String),
}
