//! What the board's sign-in keeps (issue 14): one-time links a person asks for in chat
//! (`/web`) and the sessions they start. Only hashes of the secrets are stored.

use chrono::{DateTime, Utc};

use super::StoreError;
use super::invite::{random_token, token_hash};
use crate::domain::PersonId;

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
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SignInError {
    fn from(e: sqlx::Error) -> Self {
        SignInError::Store(e.into())
    }
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
