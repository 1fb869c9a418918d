//! What can be wrong with the configuration: each problem is a value, rendered from the locales
//! (`config-*` in locales/*/cli.ftl) in the operator's language, so an office that reads Chinese
//! reads its configuration's problems in Chinese.

use crate::i18n::{self, Lang};

/// One problem, at a key of the file (with the file's name), or an environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: String,
    pub why: Why,
}

impl Problem {
    /// The line an operator reads: where, then why.
    pub fn line(&self, lang: Lang) -> String {
        let why = i18n::plain(lang, self.why.key(), &self.why.args());
        if self.at.is_empty() {
            why
        } else {
            format!("{}: {why}", self.at)
        }
    }
}

/// Why a value is refused. Only values that cannot be secrets are quoted back (a time zone, a
/// language, an address); where a secret may have been written in the wrong place, the problem
/// names the value's TOML type instead, and a URL or a secret file's content is never echoed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    FileUnreadable { error: String },
    NotToml { error: String },
    WholeNumber { min: u32, max: u32, got: String },
    NotNumberList { kind: String },
    NotStringList { kind: String },
    PublicUrl { got: String },
    NotString { kind: String },
    NotTable { kind: String },
    NotTableList { key: String, kind: String },
    Missing,
    UnknownKey { known: String },
    OneOfThem,
    SecretUnreadable { path: String, error: String },
    SecretEmpty { path: String },
    NotHttpUrl,
    DatabaseScheme,
    TimeZone { got: String },
    Lang { got: String },
    NoCategory,
    CategoryTwice { code: String },
    ListenAddr { got: String },
    MirrorKind { got: String },
    ValueAndFile { key: String },
    ValueMissing { key: String },
    AgentId { got: String },
    CallbackPath { got: String },
    EncodingAesKey,
    MirrorName { got: String },
    MirrorNameTwice { name: String },
    ReminderDay { days: u32, got: u32 },
    CronFields { expr: String, fields: usize },
    Cron { expr: String, detail: String },
    Username { got: String },
    CategoryCode { got: String },
    Empty,
}

impl Why {
    pub fn key(&self) -> &'static str {
        match self {
            Why::FileUnreadable { .. } => "config-file-unreadable",
            Why::NotToml { .. } => "config-not-toml",
            Why::WholeNumber { .. } => "config-whole-number",
            Why::NotNumberList { .. } => "config-not-number-list",
            Why::NotStringList { .. } => "config-not-string-list",
            Why::PublicUrl { .. } => "config-public-url",
            Why::NotString { .. } => "config-not-string",
            Why::NotTable { .. } => "config-not-table",
            Why::NotTableList { .. } => "config-not-table-list",
            Why::Missing => "config-missing",
            Why::UnknownKey { .. } => "config-unknown-key",
            Why::OneOfThem => "config-one-of-them",
            Why::SecretUnreadable { .. } => "config-secret-unreadable",
            Why::SecretEmpty { .. } => "config-secret-empty",
            Why::NotHttpUrl => "config-not-http-url",
            Why::DatabaseScheme => "config-database-scheme",
            Why::TimeZone { .. } => "config-time-zone",
            Why::Lang { .. } => "config-lang",
            Why::NoCategory => "config-no-category",
            Why::CategoryTwice { .. } => "config-category-twice",
            Why::ListenAddr { .. } => "config-listen-addr",
            Why::MirrorKind { .. } => "config-mirror-kind",
            Why::ValueAndFile { .. } => "config-value-and-file",
            Why::ValueMissing { .. } => "config-value-missing",
            Why::AgentId { .. } => "config-agent-id",
            Why::CallbackPath { .. } => "config-callback-path",
            Why::EncodingAesKey => "config-encoding-aes-key",
            Why::MirrorName { .. } => "config-mirror-name",
            Why::MirrorNameTwice { .. } => "config-mirror-name-twice",
            Why::ReminderDay { .. } => "config-reminder-day",
            Why::CronFields { .. } => "config-cron-fields",
            Why::Cron { .. } => "config-cron",
            Why::Username { .. } => "config-username",
            Why::CategoryCode { .. } => "config-category-code",
            Why::Empty => "config-empty",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Why::FileUnreadable { error } | Why::NotToml { error } => {
                vec![("error", error.clone())]
            }
            Why::WholeNumber { min, max, got } => vec![
                ("min", min.to_string()),
                ("max", max.to_string()),
                ("got", got.clone()),
            ],
            Why::TimeZone { got }
            | Why::Lang { got }
            | Why::ListenAddr { got }
            | Why::MirrorKind { got }
            | Why::MirrorName { got }
            | Why::AgentId { got }
            | Why::CallbackPath { got }
            | Why::PublicUrl { got }
            | Why::Username { got }
            | Why::CategoryCode { got } => vec![("got", got.clone())],
            Why::NotString { kind }
            | Why::NotNumberList { kind }
            | Why::NotStringList { kind }
            | Why::NotTable { kind } => {
                vec![("kind", kind.clone())]
            }
            Why::NotTableList { key, kind } => vec![("key", key.clone()), ("kind", kind.clone())],
            Why::UnknownKey { known } => vec![("known", known.clone())],
            Why::SecretUnreadable { path, error } => {
                vec![("path", path.clone()), ("error", error.clone())]
            }
            Why::SecretEmpty { path } => vec![("path", path.clone())],
            Why::CategoryTwice { code } => vec![("code", code.clone())],
            Why::ValueAndFile { key } | Why::ValueMissing { key } => vec![("key", key.clone())],
            Why::MirrorNameTwice { name } => vec![("name", name.clone())],
            Why::ReminderDay { days, got } => {
                vec![("days", days.to_string()), ("got", got.to_string())]
            }
            Why::CronFields { expr, fields } => {
                vec![("expr", expr.clone()), ("fields", fields.to_string())]
            }
            Why::Cron { expr, detail } => vec![("expr", expr.clone()), ("detail", detail.clone())],
            Why::Missing
            | Why::OneOfThem
            | Why::NotHttpUrl
            | Why::DatabaseScheme
            | Why::NoCategory
            | Why::EncodingAesKey
            | Why::Empty => Vec::new(),
        }
    }
}
