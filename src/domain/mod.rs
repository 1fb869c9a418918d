//! The rules of the closed loop: pure, no I/O, no async. Every entry point (bot, CLI,
//! scheduler) asks these functions and writes what they return.
//!
//! - [`numbers`]: `2026-0042` and `R-2026-0042`, parsed at the edge.
//! - [`roles`], [`place`], [`permissions`]: who may do what where (one table).
//! - [`suggestion`]: states, levels, ratings, outcomes.
//! - [`deadline`]: the time limits, deadlines at 23:59:59 local, and the three colours.
//! - [`action`]: what someone asks to do, and the states each action may start from.
//! - [`event`]: what a transition records (the timeline) and whom it tells (notices);
//!   [`ask`]: what a notice asks of its reader, which channels render as buttons.
//! - [`transition`]: filing, and `decide`, which checks permission and state for every
//!   transition and hands it to its own function in `steps` (one per transition).
//! - [`year`]: the year's view: reception days attended (接待日) and what a deputy's
//!   performance file (履职档案) counts.

pub mod action;
pub mod ask;
pub mod deadline;
pub mod event;
pub mod ids;
pub mod numbers;
pub mod permissions;
pub mod place;
pub mod reach;
pub mod refusal;
pub mod reminders;
pub mod roles;
mod steps;
pub mod suggestion;
pub mod transition;
pub mod year;

pub use action::{Action, MergeTarget};
pub use ask::Ask;
pub use deadline::{Colour, Rules};
pub use event::{Audience, Event, EventKind, Notice, nearest_org};
pub use ids::{GroupId, OrgId, PersonId, RequestId, SuggestionId, UnitId};
pub use numbers::{ResidentNo, SuggestionNo};
pub use permissions::{ActionKind, allowed, may_assign_to, permit};
pub use place::Place;
pub use refusal::Refusal;
pub use roles::{Actor, Grant, Role, Scope, ScopeKind};
pub use steps::{MAX_DAYS, MAX_TEXT, MAX_TITLE, parse_vote_text, vote_text};
pub use suggestion::{Level, Outcome, Rating, State, Suggestion, VoteResult};
pub use transition::{Attachment, Decision, Draft, Filing, decide, file};
pub use year::{Reception, check_reception, is_reception_day};

#[cfg(test)]
mod tests;
