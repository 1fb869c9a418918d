//! What the reports read: the ledger (台账), one row per suggestion, and the monthly
//! statistics, aggregated in the database (see [`super::Repository::monthly_stats`]).

use chrono::{DateTime, Utc};

use crate::domain::{Level, Outcome, Rating, State, SuggestionNo};

/// One suggestion of the ledger. Residents never appear: the ledger has no column for them.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRow {
    pub no: SuggestionNo,
    pub filed_at: DateTime<Utc>,
    /// The deputy who filed it.
    pub deputy: String,
    pub group_code: String,
    pub group_name: String,
    pub title: String,
    pub category: String,
    pub level: Option<Level>,
    /// The handling units as `code name`, the lead unit first, then the co-units by code.
    pub units: Vec<String>,
    pub state: State,
    /// The deadline of the current open step, if any.
    pub deadline: Option<DateTime<Utc>>,
    pub rating: Option<Rating>,
    pub outcome: Option<Outcome>,
    /// When it was closed (the time of the event that closed it), for the days taken.
    pub closed_at: Option<DateTime<Utc>>,
}

/// The figures of the suggestions filed in a period below an org (or in the whole
/// deployment). Every count is of suggestions filed in the period, whatever happened to them
/// since.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// 收到: filed in the period.
    pub received: i64,
    /// 受理: accepted by the group's leader or beyond (assigned, replied, closed, merged,
    /// transferred, declined, explaining): not submitted, returned or withdrawn.
    pub accepted: i64,
    /// 交办: assigned to a unit at least once (an `assigned` event).
    pub assigned: i64,
    /// 答复: replied by a unit at least once (a `replied` event).
    pub replied: i64,
    /// 办结: closed now.
    pub closed: i64,
    /// 按期答复: replied, and the first reply came at or before the handling deadline then in
    /// force (extensions included).
    pub on_time: i64,
    /// The current rating is satisfied (满意).
    pub satisfied: i64,
    /// The current rating is basically satisfied (基本满意).
    pub basic: i64,
    /// Rated unsatisfied at least once (不满意), even if a later rating was better.
    pub unsatisfied: i64,
    /// Rated at all: a current rating, or an unsatisfied one in the past (a first
    /// unsatisfied rating sends the item back to its unit and clears the rating).
    pub rated: i64,
    /// Still open with the current step's deadline before `now`.
    pub overdue: i64,
}

/// One deputy group's figures for the ranking (groups below the org with nothing filed
/// included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupStats {
    pub code: String,
    pub name: String,
    pub received: i64,
    pub assigned: i64,
    pub closed: i64,
    /// Satisfied plus basically satisfied.
    pub satisfied: i64,
    pub rated: i64,
}

/// An org and the groups below it (`minyi report daily --org`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgGroups {
    /// The org asked for, as (code, name); `None` for the whole deployment.
    pub org: Option<(String, String)>,
    /// The codes of the groups below it (its whole subtree), by code.
    pub groups: Vec<String>,
}

/// The monthly statistics of an org's subtree (or of the whole deployment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthlyStats {
    /// The org asked for, as (code, name); `None` for the whole deployment.
    pub org: Option<(String, String)>,
    pub totals: Totals,
    /// Suggestions received per category code, most first, then by code.
    pub categories: Vec<(String, i64)>,
    /// Every group below the org, by code (the ranking is the reports' business).
    pub groups: Vec<GroupStats>,
    /// The key suggestions (重点建议) of the period and those carried over into its year.
    pub key: KeyFigures,
}

/// Key suggestions in a period's statistics: those filed in it are counted there, like every
/// suggestion; those filed in an earlier year and not ended when the period began are carried
/// over (结转) and said apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyFigures {
    /// Key suggestions among those filed in the period.
    pub filed: i64,
    /// Filed in an earlier year, not ended when the period began.
    pub carried: i64,
    /// Of those, still open now.
    pub carried_open: i64,
}
