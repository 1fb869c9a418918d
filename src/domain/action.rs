//! What someone asks to do to a suggestion, and the states each action may start from.

use super::ids::UnitId;
use super::numbers::SuggestionNo;
use super::permissions::ActionKind;
use super::suggestion::{Level, Rating, State, VoteResult};
use chrono::NaiveDate;

/// What someone asks to do to an existing suggestion, with its arguments parsed and its unit
/// codes resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Accept {
        level: Option<Level>,
    },
    Return {
        reason: String,
    },
    Edit {
        title: String,
        body: String,
    },
    Withdraw,
    Assign {
        lead: UnitId,
        co: Vec<UnitId>,
        days: Option<u32>,
        level: Option<Level>,
    },
    Extend {
        days: u32,
        reason: String,
    },
    Merge {
        into: MergeTarget,
    },
    Transfer {
        reason: String,
    },
    Decline {
        reason: String,
    },
    Key,
    Progress {
        text: String,
    },
    Reply {
        text: String,
    },
    Rate {
        rating: Rating,
    },
    Explain {
        text: String,
    },
    AutoClose,
    /// 表决: the standing committee's vote on a key suggestion's handling, held on `on`.
    Vote {
        result: VoteResult,
        on: NaiveDate,
        note: String,
    },
}

/// The suggestion another is merged into, as storage found it in the same transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeTarget {
    pub no: SuggestionNo,
    pub state: State,
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Accept { .. } | Action::Return { .. } => ActionKind::Review,
            Action::Edit { .. } => ActionKind::Edit,
            Action::Withdraw => ActionKind::Withdraw,
            Action::Assign { .. } => ActionKind::Assign,
            Action::Extend { .. } => ActionKind::Extend,
            Action::Merge { .. } => ActionKind::Merge,
            Action::Transfer { .. } => ActionKind::Transfer,
            Action::Decline { .. } => ActionKind::Decline,
            Action::Key => ActionKind::Key,
            Action::Progress { .. } => ActionKind::Progress,
            Action::Reply { .. } => ActionKind::Reply,
            Action::Rate { .. } => ActionKind::Rate,
            Action::Explain { .. } => ActionKind::Explain,
            Action::AutoClose => ActionKind::AutoClose,
            Action::Vote { .. } => ActionKind::Vote,
        }
    }

    /// The states this action may start from.
    pub fn start_states(&self) -> &'static [State] {
        use State::*;
        match self {
            Action::Accept { .. } | Action::Return { .. } => &[Submitted],
            Action::Edit { .. } => &[Returned],
            Action::Withdraw => &[Submitted, Returned],
            Action::Assign { .. }
            | Action::Merge { .. }
            | Action::Transfer { .. }
            | Action::Decline { .. } => &[Accepted],
            Action::Extend { .. } => &[Accepted, Assigned, Explaining],
            Action::Key => &[Accepted, Assigned, Replied, Explaining],
            Action::Progress { .. } | Action::Reply { .. } => &[Assigned],
            Action::Rate { .. } | Action::AutoClose => &[Replied],
            Action::Explain { .. } => &[Explaining],
            // The committee votes on the handling: once units have it, whatever its step.
            Action::Vote { .. } => &[Assigned, Replied, Explaining],
        }
    }
}
