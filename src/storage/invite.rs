//! One-time invites: a random token a person opens once to bind their Telegram account to
//! their roster entry. Only the token's hash is stored, so a database leak does not leak
//! working invites.

use base64::Engine;
use sha2::{Digest, Sha256};

/// What a `/start` payload starts with when it carries an invite.
const PREFIX: &str = "inv_";

/// An invite's secret: 32 random bytes, URL-safe base64 (43 characters), so `inv_` and the
/// token fit Telegram's 64-character `start` parameter.
#[derive(Clone, PartialEq, Eq)]
pub struct InviteToken(String);

impl InviteToken {
    /// A new random token.
    pub fn new() -> InviteToken {
        InviteToken(random_token())
    }

    /// The token a `/start` payload carries (`inv_…`); `None` for any other payload. What
    /// follows the prefix is taken as it is (even nothing): an unknown token is simply not
    /// found, and the person is told the invite does not work.
    pub fn from_start_payload(payload: &str) -> Option<InviteToken> {
        payload
            .strip_prefix(PREFIX)
            .map(|token| InviteToken(token.to_string()))
    }

    /// The `/start` payload that carries it: `inv_<token>`.
    pub fn start_payload(&self) -> String {
        format!("{PREFIX}{}", self.0)
    }

    /// What the database keeps of it.
    pub fn hash(&self) -> String {
        token_hash(&self.0)
    }
}

/// A one-time secret: 32 random bytes, URL-safe base64 (43 characters), fit for a `/start`
/// parameter and a URL's path alike.
pub(crate) fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a secret: its SHA-256 in hex, so a leaked database holds no
/// working key.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Default for InviteToken {
    fn default() -> Self {
        InviteToken::new()
    }
}

/// Never printed by accident: a token is a working key until it is used.
impl std::fmt::Debug for InviteToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InviteToken(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_fits_the_start_parameter_and_reads_back() {
        let token = InviteToken::new();
        let payload = token.start_payload();
        assert!(payload.len() <= 64, "{}", payload.len());
        assert!(
            payload[PREFIX.len()..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(
            InviteToken::from_start_payload(&payload),
            Some(token.clone())
        );
        assert_ne!(token, InviteToken::new());
        assert_eq!(token.hash().len(), 64);
        assert!(!format!("{token:?}").contains(&payload[PREFIX.len()..]));
        assert!(InviteToken::from_start_payload("inv_").is_some());
        for other in ["d_P01", "", "g_G1", "INV_x"] {
            assert_eq!(InviteToken::from_start_payload(other), None, "{other}");
        }
    }
}
