//! What the scheduler reads and writes: its runs, the pushes a run queues, and the figures
//! its reminders need.

use crate::domain::{Notice, PersonId, SuggestionNo};
use crate::i18n::Lang;

/// The outbox key of a row that sends a file as a document (its bytes in `outbox_files`).
pub const FILE_DOCUMENT: &str = "file-document";
/// The outbox key of a row that sends a file as a photo.
pub const FILE_PHOTO: &str = "file-photo";

/// One push a job run queues, in the run's own transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum JobPush {
    /// A notice about a suggestion to one of its audiences, resolved like the loop's own
    /// notices (chats, languages, mirrors). With `once_on` (a local date), the notice goes
    /// out at most once that day: a second run the same day skips it.
    About {
        no: SuggestionNo,
        notice: Notice,
        once_on: Option<String>,
    },
    /// A file to one chat: an .xlsx document or a PNG photo, made by the run.
    File {
        chat: i64,
        name: String,
        bytes: Vec<u8>,
        /// A photo (shown in the chat) rather than a document.
        photo: bool,
    },
    /// A message to one roster person privately, on each channel they hear their pushes on
    /// (Telegram, WeCom or both, as their notices), in the language chosen there.
    ToPerson {
        person: PersonId,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    },
    /// A message to one chat, in `lang` (or the default language).
    To {
        chat: i64,
        lang: Option<Lang>,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    },
}

/// A deputy and how many suggestions they filed in a period; their pushes find them by
/// person ([`JobPush::ToPerson`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeputyCount {
    pub person: PersonId,
    pub name: String,
    pub filed: i64,
}

/// A group chat bound to a deputy group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupChat {
    pub chat: i64,
    pub group_code: String,
    pub group_name: String,
}

/// A deputy's filings for the daily report: yesterday's and this month's, in one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeputyDay {
    pub group_code: String,
    pub name: String,
    pub yesterday: i64,
    pub month: i64,
}

/// A group's open items by colour and its replies waiting for a rating, now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupOpen {
    pub group_code: String,
    pub group_name: String,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    pub waiting_rating: i64,
}

/// A listed suggestion and its group's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupItem {
    pub group_code: String,
    pub item: crate::storage::Listed,
}

/// A group chat bound to an org, and one group below that org (one row per group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgChatGroup {
    pub chat: i64,
    pub org_name: String,
    pub group_code: String,
}
