//! What the board reads and keeps (issue 14): one-time links a person asks for in chat
//! (`/web`) and the sessions they start (only hashes of the secrets are stored), the board's
//! rows and the public wall's entries.

use chrono::{DateTime, Utc};

use super::StoreError;
use super::invite::{random_token, token_hash};
use crate::domain::{PersonId, Rating, State, SuggestionNo};

/// How long a `/web` sign-in link works.
pub const LINK_VALID: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// A secret that signs in: a one-time link's token, or a session's cookie.
#[derive(Clone, PartialEq, Eq)]
pub struct WebSecret(String);

impl WebSecret {
    pub fn new() -> WebSecret {
        WebSecret(random_token())
    }

    /// As a request carries it (a link's path, a cookie's value).
    pub fn from_request(value: &str) -> WebSecret {
        WebSecret(value.to_owned())
    }

    /// For the link or the cookie.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the database keeps of it.
    pub fn hash(&self) -> String {
        token_hash(&self.0)
    }
}

impl Default for WebSecret {
    fn default() -> Self {
        WebSecret::new()
    }
}

/// Never printed by accident.
impl std::fmt::Debug for WebSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebSecret(***)")
    }
}

/// A session to start.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: WebSecret,
    /// The token every form of the session carries.
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    pub person: PersonId,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

/// Why a sign-in link does not sign in; nothing changes.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("this sign-in link is unknown")]
    Unknown,
    #[error("this sign-in link was used already")]
    Used,
    #[error("this sign-in link has expired")]
    Expired,
    #[error("this Telegram account is not on the roster")]
    NotOnRoster,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SignInError {
    fn from(e: sqlx::Error) -> Self {
        SignInError::Store(e.into())
    }
}

/// What the board shows of the watched steps: the same selection as `/overdue` (which keeps
/// the yellow and red ones), narrowed by the filters a clerk picks. Every field left `None`
/// keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardFilter {
    /// A deputy group's code.
    pub group: Option<String>,
    /// A handling unit's code (lead or co-unit).
    pub unit: Option<String>,
    /// The step: one of the watched states.
    pub state: Option<State>,
    pub category: Option<String>,
    /// Filed in `[from, to)`: a month.
    pub filed: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// A number (`2026-0012`), or words that must all be in the title.
    pub search: Option<String>,
}

/// One watched step on the board: a list's row with the names the board shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    pub listed: super::Listed,
    pub category: String,
    pub group_code: String,
    pub group_name: String,
    /// The lead unit (else the first by code) as (code, name), once assigned.
    pub unit: Option<(String, String)>,
}

/// A closed suggestion as the public wall (回音壁) shows it: the deputy's filing, the unit's
/// reply and the deputy's rating. Nothing about a resident, nothing else anyone wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WallEntry {
    pub no: SuggestionNo,
    pub title: String,
    /// What the deputy wrote; `None` for a suggestion adopted from a resident's request,
    /// whose text is the resident's own words and may name them.
    pub body: Option<String>,
    pub category: String,
    pub deputy_name: String,
    pub group_name: String,
    /// The units' names, lead first.
    pub units: Vec<String>,
    /// The unit's last reply and when it came.
    pub reply: Option<(String, DateTime<Utc>)>,
    /// `None`: the rating window passed without one.
    pub rating: Option<Rating>,
    pub closed_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_hashed_and_never_printed() {
        let secret = WebSecret::new();
        assert_ne!(secret, WebSecret::new());
        assert_eq!(secret.hash().len(), 64);
        assert_eq!(
            WebSecret::from_request(secret.expose()).hash(),
            secret.hash()
        );
        assert!(!format!("{secret:?}").contains(secret.expose()));
    }
}
