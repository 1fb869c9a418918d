//! What the Telegram front end reads and writes beyond transitions: who an account is, lists
//! (own suggestions, queue, overdue, statistics), details for `/show`, residents' requests,
//! and dialogue steps.

use chrono::{DateTime, Utc};

use crate::domain::{Attachment, PersonId, ResidentNo, Role, State, Suggestion, SuggestionNo};
use crate::i18n::Lang;

/// Where a person talks to minyi: the key of their own language choice and of the dialogue
/// they have open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Talk {
    /// A Telegram account (`from`) in a chat (a private chat's id is the account's).
    Telegram { chat: i64, from: i64 },
    /// A WeCom member, by roster person: the app's chat with a member is private.
    WeCom(PersonId),
}

/// The channels a roster person can be reached on, and the one they prefer (`/channel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Channels {
    pub telegram: bool,
    pub wecom: bool,
    pub preferred: Option<crate::domain::reach::PersonChannel>,
}

/// Who an account on a channel is, as every update needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The roster person of the account (bound through an invite on Telegram, by userid on
    /// WeCom); `None` is a resident.
    pub person: Option<PersonCard>,
    /// The account's own `/lang` choice, else the roster's language.
    pub lang: Option<Lang>,
}

/// A roster person, as the bot shows and checks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonCard {
    pub id: PersonId,
    pub code: String,
    pub name: String,
    /// Each role held, with the code of its scope (group, org or unit), in roster order.
    pub roles: Vec<(Role, String)>,
}

impl PersonCard {
    pub fn has(&self, role: Role) -> bool {
        self.roles.iter().any(|(r, _)| *r == role)
    }
}

/// One suggestion in a list (`/my`, `/queue`, `/overdue`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub no: SuggestionNo,
    pub title: String,
    pub state: State,
    /// The deadline of the current open step.
    pub deadline: Option<DateTime<Utc>>,
    pub filed_at: DateTime<Utc>,
    pub key: bool,
    pub supervised: bool,
}

/// A page of a list and how many rows the whole list has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
}

/// A suggestion with the names `/show` needs. Holds nothing about a resident but whether the
/// matter came from one.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestionView {
    pub suggestion: Suggestion,
    pub deputy_code: String,
    pub deputy_name: String,
    pub group_code: String,
    pub group_name: String,
    /// Lead unit first: (code, name, lead).
    pub units: Vec<(String, String, bool)>,
    pub photo: Option<String>,
    pub location: Option<(f64, f64)>,
    /// The number of the resident's request this suggestion adopted.
    pub request: Option<ResidentNo>,
}

/// To whom a resident writes: `d_<deputy code>` or `g_<group code>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestTarget {
    Deputy(String),
    Group(String),
}

/// A resident's concern as written.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequest {
    pub target: RequestTarget,
    pub telegram_id: i64,
    pub chat_id: i64,
    pub text: String,
    pub attachment: Attachment,
}

/// The state of a resident's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    Open,
    Adopted,
    Declined,
}

impl RequestState {
    /// The word stored in `resident_requests.state`.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Open => "open",
            RequestState::Adopted => "adopted",
            RequestState::Declined => "declined",
        }
    }
}

impl std::str::FromStr for RequestState {
    type Err = String;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        [
            RequestState::Open,
            RequestState::Adopted,
            RequestState::Declined,
        ]
        .into_iter()
        .find(|s| s.as_str() == word)
        .ok_or_else(|| format!("not a request state: {word:?}"))
    }
}

/// One resident's request in a deputy's `/inbox`. No name, no Telegram id.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestListed {
    pub no: ResidentNo,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub attachment: Attachment,
    /// Set when the request went to a whole group rather than one deputy.
    pub group_code: Option<String>,
}

/// What happened to a resident's request step (open, adopt, decline, answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestApplied {
    /// Written: the request's number and, once adopted, its suggestion's number.
    Done {
        no: ResidentNo,
        suggestion: Option<SuggestionNo>,
    },
    /// The Telegram update was applied before; nothing was changed now.
    Duplicate,
}

/// One step of a dialogue, stored per (chat, account) so a restart loses nothing and any
/// replica can go on with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialogueRow {
    /// The dialogue's state as the bot serialised it (JSON).
    pub state: String,
    pub updated_at: DateTime<Utc>,
}
