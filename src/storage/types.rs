//! What goes in and out of the repository.

use chrono::{DateTime, Utc};

use crate::domain::{Action, Ask, EventKind, Level, PersonId, Rules, State, SuggestionNo};
use crate::i18n::Lang;

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
    pub default_lang: Lang,
    /// Group-robot webhooks that mirror a scope's bound chats.
    pub mirrors: Vec<MirrorRoute>,
    /// Whether the WeCom app is configured: without it, people's WeCom userids reach nobody.
    pub wecom: bool,
}

/// A group-robot webhook that receives a copy of a scope's pushes (push only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MirrorKind {
    WeCom,
    DingTalk,
    Feishu,
}

impl MirrorKind {
    pub const ALL: [MirrorKind; 3] = [MirrorKind::WeCom, MirrorKind::DingTalk, MirrorKind::Feishu];

    pub fn as_str(self) -> &'static str {
        match self {
            MirrorKind::WeCom => "wecom",
            MirrorKind::DingTalk => "dingtalk",
            MirrorKind::Feishu => "feishu",
        }
    }

    pub fn parse(name: &str) -> Option<MirrorKind> {
        MirrorKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// The argument of an outbox row to a WeCom member that names the suggestion's deputy group:
/// the member reads it outside the group's chat, so the text starts with it.
/// (Locale arguments are plain words; the underscore keeps this one apart from them.)
pub const GROUP_ARG: &str = "_group";

/// Where an outbox row goes: a Telegram chat, or a group robot that mirrors a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Telegram,
    /// A member's chat with minyi's WeCom app (the target is their userid); not the group
    /// robots, which are mirrors.
    WeComApp,
    Mirror(MirrorKind),
}

impl Channel {
    /// The word stored in `outbox.channel`.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Telegram => "telegram",
            Channel::WeComApp => "wecom_app",
            Channel::Mirror(kind) => kind.as_str(),
        }
    }

    pub fn parse(word: &str) -> Option<Channel> {
        match word {
            "telegram" => Some(Channel::Telegram),
            "wecom_app" => Some(Channel::WeComApp),
            other => MirrorKind::parse(other).map(Channel::Mirror),
        }
    }
}

/// Where an outbox row is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Waiting for its due time and a worker.
    Pending,
    /// Claimed by a worker, under a lease.
    Sending,
    Sent,
    /// Given up on, with a dead letter saying why.
    Dead,
}

impl OutboxState {
    pub const ALL: [OutboxState; 4] = [
        OutboxState::Pending,
        OutboxState::Sending,
        OutboxState::Sent,
        OutboxState::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sending => "sending",
            OutboxState::Sent => "sent",
            OutboxState::Dead => "dead",
        }
    }

    pub fn parse(word: &str) -> Option<OutboxState> {
        OutboxState::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// A scope's mirror, as the outbox addresses it: the mirror's name and its scope code (both
/// checked again on delivery, so an edited configuration cannot send a message to the wrong
/// robot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorRoute {
    /// The mirror's name in the configuration: what its outbox rows are addressed to.
    pub name: String,
    pub scope: String,
    pub kind: MirrorKind,
}

impl MirrorRoute {
    /// The outbox target: `name:scope`. Delivery checks both, so a queued message never goes
    /// to a robot whose name was given to another scope meanwhile.
    pub fn target(&self) -> String {
        format!("{}:{}", self.name, self.scope)
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
    /// Written: the suggestion's number, its new state, what happened (the event's kind),
    /// the step's deadline now and how many outbox rows it queued.
    Done {
        no: SuggestionNo,
        state: State,
        event: EventKind,
        deadline: Option<DateTime<Utc>>,
        /// The rating on the record, after a rating that closed the suggestion.
        rating: Option<crate::domain::Rating>,
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
    pub channel: Channel,
    /// A Telegram chat id, or a mirror as `name:scope` (see [`MirrorRoute::target`]).
    pub target: String,
    pub lang: Lang,
    pub key: String,
    pub args: Vec<(String, String)>,
    /// What it asks of its reader, rendered as buttons where the channel has them.
    pub ask: Option<Ask>,
    pub suggestion: Option<SuggestionNo>,
    pub state: OutboxState,
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
