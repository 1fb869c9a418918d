//! The board (看板) and the public wall (回音壁): web pages served by minyi itself, in a
//! browser or as a Telegram Mini App ([`app`] lists the routes).
//!
//! - Sign-in ([`session`]): a one-time link from `/web`, a Mini App's launch data
//!   ([`init_data`]) or Telegram Login ([`login`]), each ending in one stored session with a
//!   form token (CSRF).
//! - Pages: the traffic-light board ([`board`]), a suggestion with its next steps as forms
//!   ([`item`]), the month's reports and downloads ([`reports`]), a deputy's performance
//!   file of a year ([`record`]) and the public wall ([`wall`]), in one frame ([`page`])
//!   with one stylesheet and one script ([`assets`]).
//!
//! The two Telegram sign-ins are pure checks: the caller passes the raw string, the token, the
//! time and the allowed age, and gets back who signed in or why not. Both schemes sign the
//! same way (a query string, `hash` taken out, the other fields sorted and joined by `\n`,
//! HMAC-SHA256 in hex), so the parsing and the check are written once ([`signed`]); only the
//! key differs.

use chrono::TimeDelta;

mod app;
mod assets;
mod board;
pub mod init_data;
mod item;
pub mod login;
mod page;
mod record;
mod reports;
mod session;
mod signed;
mod wall;

pub use app::{WebApp, router};
use signed::Signed;

/// How old signed sign-in data may be when it is exchanged for a session: one hour for a Mini
/// App's launch (issue 14). The Login widget's redirect arrives seconds after Telegram signs
/// it, so the same bound serves it too.
pub const MAX_AGE: TimeDelta = TimeDelta::hours(1);

/// How far ahead of our clock an `auth_date` may be: Telegram's servers and ours disagree by
/// a few seconds, not by minutes.
pub const CLOCK_SKEW: TimeDelta = TimeDelta::seconds(60);

/// Why a sign-in is refused. Nothing in the data is trusted until the hash matches, so
/// `Stale`, `FromTheFuture` and `NoUser` are only answered for data Telegram did sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the data is not a well-formed query string")]
    Malformed,
    #[error("the data carries no hash")]
    NoHash,
    #[error("the hash does not match the data and the bot's token")]
    BadHash,
    #[error("the data was signed too long ago")]
    Stale,
    #[error("the data was signed in the future")]
    FromTheFuture,
    #[error("the data names no Telegram user")]
    NoUser,
}

/// The Telegram account that signed in, as Telegram describes it. The roster, not this, says
/// who the person is and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct TelegramUser {
    pub id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    /// The client's language (IETF tag); only Mini Apps send it, the Login widget does not.
    pub language_code: Option<String>,
}
