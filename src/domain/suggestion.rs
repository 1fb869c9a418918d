//! A suggestion (代表建议) as the rules see it: its state, deadline and handling.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::ids::{GroupId, PersonId, RequestId, SuggestionId, UnitId};
use super::numbers::SuggestionNo;
use super::place::Place;

/// The states of PRODUCT.md §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// 已提交: waiting for the leader's first review.
    Submitted,
    /// 退回修改: returned to the deputy for revision.
    Returned,
    /// 已撤回 (terminal).
    Withdrawn,
    /// 已受理: accepted by the leader, waiting for the clerk's assignment.
    Accepted,
    /// 已交办: with the handling units.
    Assigned,
    /// 已答复: waiting for the deputy's rating.
    Replied,
    /// 说明中: the unit explains after a second unsatisfied rating.
    Explaining,
    /// 已办结 (terminal).
    Closed,
    /// 已合并 into another suggestion (terminal).
    Merged,
    /// 已转报 to a higher level (terminal here).
    Transferred,
    /// 不予受理, with a reason (terminal).
    Declined,
}

impl State {
    pub const ALL: [State; 11] = [
        State::Submitted,
        State::Returned,
        State::Withdrawn,
        State::Accepted,
        State::Assigned,
        State::Replied,
        State::Explaining,
        State::Closed,
        State::Merged,
        State::Transferred,
        State::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Submitted => "submitted",
            State::Returned => "returned",
            State::Withdrawn => "withdrawn",
            State::Accepted => "accepted",
            State::Assigned => "assigned",
            State::Replied => "replied",
            State::Explaining => "explaining",
            State::Closed => "closed",
            State::Merged => "merged",
            State::Transferred => "transferred",
            State::Declined => "declined",
        }
    }

    /// The states whose step the three colours watch (三色督办): the leader's review, the
    /// clerk's assignment, the unit's reply or explanation. A reply waiting for its rating is
    /// the deputy's step and is counted apart. `/overdue`, the board, the daily report and
    /// the reminders select by it (storage writes it as SQL, checked against this).
    pub const WATCHED: [State; 4] = [
        State::Submitted,
        State::Accepted,
        State::Assigned,
        State::Explaining,
    ];

    /// Nothing moves a suggestion out of a terminal state.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            State::Withdrawn | State::Closed | State::Merged | State::Transferred | State::Declined
        )
    }
}

/// 分级: at which level a matter is handled, which sets the assignment deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// 镇(街道): within 3 days.
    Town,
    /// 区(县): within 5 days.
    District,
    /// 市级以上: reported up within 3 days.
    Higher,
}

/// 满意 / 基本满意 / 不满意.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rating {
    Satisfied,
    Basic,
    Unsatisfied,
}

/// How a closed suggestion ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Rated satisfied or basically satisfied.
    Rated,
    /// Closed with the unit's public explanation after a second unsatisfied rating.
    Explained,
    /// No rating within the rating window.
    Unrated,
    /// A key suggestion closed by the standing committee's passed vote.
    Passed,
}

/// The standing committee's vote on a key suggestion's handling (满意度测评).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VoteResult {
    Pass,
    Fail,
}

macro_rules! text_enum {
    ($ty:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),* }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($text => Ok($ty::$variant),)*
                    other => Err(other.to_string()),
                }
            }
        }
    };
}

text_enum!(Level { Town = "town", District = "district", Higher = "higher" });
text_enum!(Rating { Satisfied = "satisfied", Basic = "basic", Unsatisfied = "unsatisfied" });
text_enum!(Outcome { Rated = "rated", Explained = "explained", Unrated = "unrated", Passed = "passed" });
text_enum!(VoteResult { Pass = "pass", Fail = "fail" });

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for State {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        State::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| s.to_string())
    }
}

/// A suggestion's current record. Storage loads it, the rules in [`super::transition`] return
/// the next one, storage writes it back in the same transaction as the event and the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub id: SuggestionId,
    pub no: SuggestionNo,
    pub deputy: PersonId,
    pub group: GroupId,
    pub title: String,
    pub body: String,
    pub category: String,
    pub state: State,
    pub level: Option<Level>,
    pub lead_unit: Option<UnitId>,
    pub co_units: Vec<UnitId>,
    /// The deadline of the current open step, if it has one.
    pub deadline: Option<DateTime<Utc>>,
    /// 重点建议: marked key by a clerk or chair.
    pub key: bool,
    /// 重点督办: under key supervision after an unsatisfied rating.
    pub supervised: bool,
    pub unsatisfied_count: u32,
    pub rating: Option<Rating>,
    pub outcome: Option<Outcome>,
    pub merged_into: Option<SuggestionNo>,
    pub request: Option<RequestId>,
    pub filed_at: DateTime<Utc>,
    /// The chain of orgs above the suggestion's group, nearest first (from storage).
    pub orgs: Vec<super::ids::OrgId>,
}

impl Suggestion {
    /// Where the clerks who assign it sit: the group's own org (a town) for a town-level
    /// matter, the orgs above it for district-level and higher matters, which the district's
    /// liaison office routes (seed 000).
    pub fn assigning_orgs(&self) -> &[super::ids::OrgId] {
        match self.level {
            Some(Level::District | Level::Higher) if self.orgs.len() > 1 => &self.orgs[1..],
            _ => &self.orgs,
        }
    }

    /// A key suggestion held for the standing committee's vote: replied, with no rating window
    /// running (what would have closed it did not; see `steps::hold_for_vote`).
    pub fn awaits_vote(&self) -> bool {
        self.key && self.state == State::Replied && self.deadline.is_none()
    }

    /// Where the suggestion sits, for permission checks.
    pub fn place(&self) -> Place {
        Place {
            filer: Some(self.deputy),
            group: Some(self.group),
            lead_unit: self.lead_unit,
            co_units: self.co_units.clone(),
            orgs: self.orgs.clone(),
        }
    }
}
