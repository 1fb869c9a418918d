//! What can be wrong with a line of a roster file.

use std::fmt;

use crate::domain::roles::UnknownRole;
use crate::domain::{Role, ScopeKind};

/// A bad line: its number in the file (the header is line 1) and everything wrong with it
/// (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub problems: Vec<LineProblem>,
}

impl LineError {
    pub(super) fn new(line: u64, problem: LineProblem) -> Self {
        Self {
            line,
            problems: vec![problem],
        }
    }
}

/// English, for logs; an operator reads each problem rendered from its locale key.
impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// One thing wrong with a line of a roster file: a value, rendered in the operator's language
/// from [`LineProblem::key`] and [`LineProblem::args`] (locales/*/cli.ftl).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// The header row cannot be read as CSV (the reader's own, English, message).
    UnreadableHeader(String),
    /// No header row at all.
    EmptyFile,
    /// A required column is not in the header.
    MissingColumn {
        column: &'static str,
        expected: &'static [&'static str],
    },
    /// The line cannot be read as CSV (the reader's own, English, message).
    Unreadable(String),
    WrongColumnCount {
        got: usize,
        want: usize,
    },
    NotUtf8,
    DuplicateCode {
        code: String,
        first_line: u64,
    },
    /// Two lines of the file give one Telegram id.
    DuplicateTelegramId {
        telegram_id: i64,
        first_line: u64,
    },
    /// Two lines of the file give one WeCom userid (letter case aside, as WeCom compares).
    DuplicateWeComUserId {
        userid: String,
        first_line: u64,
    },
    /// A required column is empty on this line.
    Empty(&'static str),
    /// A code (in the column named) is not up to 64 letters, digits, '-', '_' or '.'.
    BadCode {
        column: &'static str,
        value: String,
    },
    OwnParent,
    UnknownRole(String),
    /// Not a positive whole number.
    BadTelegramId(String),
    /// Not a WeCom userid: 1 to 64 letters, digits and `_-@.`, starting with a letter or digit.
    BadWeComUserId(String),
    BadLang(String),
    UnknownParentOrg(String),
    /// The org's chain of parents comes back to it.
    OwnAncestor(String),
    UnknownOrg(String),
    UnknownScopeCode(String),
    /// None of the scope codes is of the kind the role is held in.
    RoleNeedsScope {
        role: Role,
        kind: ScopeKind,
        scope: String,
    },
    /// The Telegram id is stored for another person.
    TelegramIdTaken {
        telegram_id: i64,
        owner: String,
    },
    /// The WeCom userid is stored for another person.
    WeComUserIdTaken {
        userid: String,
        owner: String,
    },
}

impl LineProblem {
    /// The locale key of the problem's text (locales/*/cli.ftl).
    pub fn key(&self) -> &'static str {
        match self {
            LineProblem::UnreadableHeader(_) => "import-problem-unreadable-header",
            LineProblem::EmptyFile => "import-problem-empty-file",
            LineProblem::MissingColumn { .. } => "import-problem-missing-column",
            LineProblem::Unreadable(_) => "import-problem-unreadable",
            LineProblem::WrongColumnCount { .. } => "import-problem-wrong-column-count",
            LineProblem::NotUtf8 => "import-problem-not-utf8",
            LineProblem::DuplicateCode { .. } => "import-problem-duplicate-code",
            LineProblem::DuplicateTelegramId { .. } => "import-problem-duplicate-telegram-id",
            LineProblem::DuplicateWeComUserId { .. } => "import-problem-duplicate-wecom-userid",
            LineProblem::Empty(_) => "import-problem-empty",
            LineProblem::BadCode { .. } => "import-problem-bad-code",
            LineProblem::OwnParent => "import-problem-own-parent",
            LineProblem::UnknownRole(_) => "import-problem-unknown-role",
            LineProblem::BadTelegramId(_) => "import-problem-bad-telegram-id",
            LineProblem::BadWeComUserId(_) => "import-problem-bad-wecom-userid",
            LineProblem::BadLang(_) => "import-problem-bad-lang",
            LineProblem::UnknownParentOrg(_) => "import-problem-unknown-parent-org",
            LineProblem::OwnAncestor(_) => "import-problem-own-ancestor",
            LineProblem::UnknownOrg(_) => "import-problem-unknown-org",
            LineProblem::UnknownScopeCode(_) => "import-problem-unknown-scope-code",
            LineProblem::RoleNeedsScope { .. } => "import-problem-role-needs-scope",
            LineProblem::TelegramIdTaken { .. } => "import-problem-telegram-id-taken",
            LineProblem::WeComUserIdTaken { .. } => "import-problem-wecom-userid-taken",
        }
    }

    /// The arguments of the problem's message.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            LineProblem::EmptyFile | LineProblem::NotUtf8 | LineProblem::OwnParent => Vec::new(),
            LineProblem::UnreadableHeader(error) | LineProblem::Unreadable(error) => {
                vec![("error", error.clone())]
            }
            LineProblem::MissingColumn { column, expected } => vec![
                ("column", column.to_string()),
                ("expected", expected.join(",")),
            ],
            LineProblem::WrongColumnCount { got, want } => {
                vec![("got", got.to_string()), ("want", want.to_string())]
            }
            LineProblem::DuplicateCode { code, first_line } => {
                vec![("code", code.clone()), ("first", first_line.to_string())]
            }
            LineProblem::DuplicateTelegramId {
                telegram_id,
                first_line,
            } => vec![
                ("id", telegram_id.to_string()),
                ("first", first_line.to_string()),
            ],
            LineProblem::DuplicateWeComUserId { userid, first_line } => vec![
                ("userid", userid.clone()),
                ("first", first_line.to_string()),
            ],
            LineProblem::Empty(column) => vec![("column", column.to_string())],
            LineProblem::BadCode { column, value } => {
                vec![("column", column.to_string()), ("value", value.clone())]
            }
            LineProblem::UnknownRole(role) => vec![
                ("role", role.clone()),
                ("expected", Role::ALL.map(Role::as_str).join(", ")),
            ],
            LineProblem::BadTelegramId(value)
            | LineProblem::BadWeComUserId(value)
            | LineProblem::BadLang(value) => {
                vec![("value", value.clone())]
            }
            LineProblem::UnknownParentOrg(code)
            | LineProblem::OwnAncestor(code)
            | LineProblem::UnknownOrg(code)
            | LineProblem::UnknownScopeCode(code) => vec![("code", code.clone())],
            LineProblem::RoleNeedsScope { role, kind, scope } => vec![
                ("role", role.as_str().to_string()),
                ("kind", scope_kind_word(*kind).to_string()),
                ("scope", scope.clone()),
            ],
            LineProblem::TelegramIdTaken { telegram_id, owner } => {
                vec![("id", telegram_id.to_string()), ("owner", owner.clone())]
            }
            LineProblem::WeComUserIdTaken { userid, owner } => {
                vec![("userid", userid.clone()), ("owner", owner.clone())]
            }
        }
    }
}

fn scope_kind_word(kind: ScopeKind) -> &'static str {
    match kind {
        ScopeKind::Group => "group",
        ScopeKind::Unit => "unit",
        ScopeKind::Org => "org",
    }
}

/// English, for logs.
impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineProblem::UnreadableHeader(e) => write!(f, "unreadable header: {e}"),
            LineProblem::EmptyFile => f.write_str("empty file: a header row is required"),
            LineProblem::MissingColumn { column, expected } => write!(
                f,
                "missing column {column:?} (expected {})",
                expected.join(",")
            ),
            LineProblem::Unreadable(e) => write!(f, "unreadable: {e}"),
            LineProblem::WrongColumnCount { got, want } => {
                write!(f, "wrong column count: {got} instead of {want}")
            }
            LineProblem::NotUtf8 => f.write_str("not UTF-8 text"),
            LineProblem::DuplicateCode { code, first_line } => {
                write!(f, "duplicate code {code:?} (first on line {first_line})")
            }
            LineProblem::DuplicateTelegramId {
                telegram_id,
                first_line,
            } => write!(f, "telegram_id {telegram_id} is also on line {first_line}"),
            LineProblem::DuplicateWeComUserId { userid, first_line } => {
                write!(
                    f,
                    "wecom_userid {userid:?} is also on line {first_line} (WeCom ignores letter case)"
                )
            }
            LineProblem::Empty(column) => write!(f, "{column} is empty"),
            LineProblem::BadCode { column, value } => write!(
                f,
                "{column} {value:?} must be up to 64 letters, digits, '-', '_' or '.'"
            ),
            LineProblem::OwnParent => f.write_str("an org cannot be its own parent"),
            LineProblem::UnknownRole(role) => write!(f, "{}", UnknownRole(role.clone())),
            LineProblem::BadTelegramId(value) => write!(
                f,
                "telegram_id {value:?} is not a Telegram user id (a positive whole number)"
            ),
            LineProblem::BadWeComUserId(value) => write!(
                f,
                "wecom_userid {value:?} is not a WeCom userid (up to 64 letters, digits and _-@., starting with a letter or digit)"
            ),
            LineProblem::BadLang(value) => write!(f, "lang {value:?} is not zh-CN or en-US"),
            LineProblem::UnknownParentOrg(code) => write!(f, "unknown parent org {code:?}"),
            LineProblem::OwnAncestor(code) => write!(f, "org {code:?} would be its own ancestor"),
            LineProblem::UnknownOrg(code) => write!(f, "unknown org {code:?}"),
            LineProblem::UnknownScopeCode(code) => write!(f, "unknown scope code {code:?}"),
            LineProblem::RoleNeedsScope { role, kind, scope } => write!(
                f,
                "role {role} needs a {} code in scope, none of {scope:?} is one",
                scope_kind_word(*kind)
            ),
            LineProblem::TelegramIdTaken { telegram_id, owner } => {
                write!(f, "telegram_id {telegram_id} belongs to person {owner:?}")
            }
            LineProblem::WeComUserIdTaken { userid, owner } => {
                write!(f, "wecom_userid {userid:?} belongs to person {owner:?}")
            }
        }
    }
}

impl From<UnknownRole> for LineProblem {
    fn from(e: UnknownRole) -> Self {
        LineProblem::UnknownRole(e.0)
    }
}
