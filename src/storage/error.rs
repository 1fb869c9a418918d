//! The errors of the storage boundary.

use crate::domain::refusal::quote;
use crate::domain::{Refusal, ResidentNo, SuggestionNo};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Holds only the URL's scheme: the rest may carry a password.
    #[error("not a database URL minyi knows (sqlite://… or postgres://…), it starts {0:?}")]
    BadUrl(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// A file next to the database (the run lock, a backup's path) cannot be used.
    #[error("{0}")]
    File(String),
    /// A report asked for an org code no org has.
    #[error("no org has the code {0:?}")]
    UnknownOrg(String),
    /// A step written in a transaction with others (group commit) that did not commit, or
    /// whose commit was not confirmed (on PostgreSQL a commit whose answer was lost may have
    /// been kept; a redelivery of the same update is still applied once).
    #[error("not committed: {0}")]
    Uncommitted(String),
}

/// Why a transition did not happen. Everything but `Store` is the person's doing and gets a
/// clear reply; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// No such number, or one this person may not see (the same answer, so numbers that are
    /// not theirs leak nothing).
    #[error("no suggestion {0} that you may see")]
    UnknownSuggestion(SuggestionNo),
    #[error("unknown unit code {0:?}")]
    UnknownUnit(String),
    /// No group, org or unit has this code.
    #[error("unknown code {0:?}")]
    UnknownCode(String),
    /// The Telegram account or person is not on the roster.
    #[error("not on the roster")]
    UnknownPerson,
    /// No such resident's request, or one this person may not see.
    #[error("no request {0} that you may see")]
    UnknownRequest(ResidentNo),
    /// The request was adopted or declined already.
    #[error("request {0} was already handled")]
    RequestHandled(ResidentNo),
    /// No deputy or group has the code a resident's link names.
    #[error("unknown deputy or group {0:?}")]
    UnknownTarget(String),
    /// The resident answered "was it solved?" already.
    #[error("already answered")]
    AlreadyAnswered,
    /// No deputy has this code (no person, or one who is no deputy): no performance file.
    #[error("no deputy {0:?}")]
    NotADeputy(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ActError {
    /// The locale key of the reply (a refusal's own key; `error-internal` for a store fault,
    /// whose details go to the log, not to the person).
    pub fn key(&self) -> &'static str {
        match self {
            ActError::Refused(r) => r.key(),
            ActError::UnknownSuggestion(_) => "error-unknown-suggestion",
            ActError::UnknownUnit(_) => "error-unknown-unit",
            ActError::UnknownCode(_) => "error-unknown-code",
            ActError::UnknownPerson => "error-unknown-person",
            ActError::UnknownRequest(_) => "error-unknown-request",
            ActError::RequestHandled(_) => "error-request-handled",
            ActError::UnknownTarget(_) => "error-unknown-target",
            ActError::AlreadyAnswered => "error-already-answered",
            ActError::NotADeputy(_) => "error-not-a-deputy",
            ActError::Store(_) => "error-internal",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            ActError::Refused(r) => r.args(),
            ActError::UnknownSuggestion(no) => vec![("no", no.to_string())],
            ActError::UnknownUnit(code)
            | ActError::UnknownCode(code)
            | ActError::UnknownTarget(code)
            | ActError::NotADeputy(code) => vec![("code", quote(code))],
            ActError::UnknownRequest(no) | ActError::RequestHandled(no) => {
                vec![("no", no.to_string())]
            }
            ActError::UnknownPerson | ActError::AlreadyAnswered | ActError::Store(_) => Vec::new(),
        }
    }
}

impl From<sqlx::Error> for ActError {
    fn from(e: sqlx::Error) -> Self {
        ActError::Store(StoreError::Db(e))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("no person with code {0:?}")]
    UnknownPerson(String),
    #[error("this invite is unknown, used, replaced by a newer one or expired")]
    Invalid,
    /// Inviting is not a role of the person who asked.
    #[error("inviting is not something your role does")]
    NotYourRole,
    /// The invitee is outside the orgs of the person who asked.
    #[error("the person is outside your org")]
    OutOfScope,
    #[error("this Telegram account is already bound to another person")]
    AccountTaken,
    #[error("this request made its invite already")]
    Repeated,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl InviteError {
    /// The locale key of the message; a store fault is `error-internal`.
    pub fn key(&self) -> &'static str {
        match self {
            InviteError::UnknownPerson(_) => "invite-unknown-person",
            InviteError::Invalid => "invite-invalid",
            InviteError::NotYourRole => "invite-not-your-role",
            InviteError::OutOfScope => "invite-out-of-scope",
            InviteError::AccountTaken => "invite-account-taken",
            InviteError::Repeated => "invite-repeated",
            InviteError::Store(_) => "error-internal",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            InviteError::UnknownPerson(code) => vec![("code", quote(code))],
            _ => Vec::new(),
        }
    }
}

impl From<sqlx::Error> for InviteError {
    fn from(e: sqlx::Error) -> Self {
        InviteError::Store(StoreError::Db(e))
    }
}
