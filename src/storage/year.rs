//! What the year's view reads and writes (PRODUCT.md §10): reception days attended, reports
//! to voters, each deputy's performance file (履职档案) and the key suggestions' report.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{State, SuggestionNo, VoteResult};

/// A deputy's report to their voters (述职), as a clerk records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoterReport {
    pub day: NaiveDate,
    pub voters: u32,
    pub place: String,
    /// The voters' evaluation (民主测评), if one was taken.
    pub evaluation: Option<String>,
}

/// What recording attendance or a report did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Noted {
    /// Recorded, for the deputy with this name.
    Done { deputy: String },
    /// The same update was applied before: nothing more was recorded.
    Duplicate,
}

/// One reception day a deputy attended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceptionRow {
    pub day: NaiveDate,
    pub residents: Option<i64>,
    pub note: String,
}

/// One report to voters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoterReportRow {
    pub day: NaiveDate,
    pub place: String,
    pub voters: i64,
    pub evaluation: Option<String>,
}

/// A deputy's performance file (履职档案) for a period. Every suggestion count is of the
/// suggestions they filed in the period, whatever happened to them since, by the monthly
/// statistics' definitions ([`super::Totals`]); requests are those addressed to the deputy
/// in the period; receptions and reports are those dated in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeputyRecord {
    pub code: String,
    pub name: String,
    /// The deputy's groups, as names.
    pub groups: Vec<String>,
    pub filed: i64,
    /// (category, filed), most filed first.
    pub by_category: Vec<(String, i64)>,
    /// Returned for revision at least once.
    pub returned: i64,
    pub accepted: i64,
    pub assigned: i64,
    pub replied: i64,
    /// Replied by the handling deadline in force.
    pub on_time: i64,
    pub closed: i64,
    pub satisfied: i64,
    pub basic: i64,
    pub unsatisfied: i64,
    /// 重点建议.
    pub key: i64,
    pub requests_received: i64,
    pub requests_adopted: i64,
    pub requests_declined: i64,
    pub receptions: Vec<ReceptionRow>,
    pub voter_reports: Vec<VoterReportRow>,
}

impl DeputyRecord {
    /// Residents received over the reception days that recorded a number.
    pub fn residents_received(&self) -> i64 {
        self.receptions.iter().filter_map(|r| r.residents).sum()
    }
}

/// One vote of the standing committee on a key suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteRow {
    pub on: NaiveDate,
    pub result: VoteResult,
    pub note: String,
}

/// A key suggestion (重点处理建议) of a year's report.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRow {
    pub no: SuggestionNo,
    pub title: String,
    pub deputy: String,
    pub group_name: String,
    /// `code name`, the lead unit first.
    pub units: Vec<String>,
    pub state: State,
    pub deadline: Option<DateTime<Utc>>,
    /// 结转: filed in an earlier year and still open when the year began.
    pub carried: bool,
    /// Oldest first.
    pub votes: Vec<VoteRow>,
}

/// Whether a deputy attended the reception day, for the daily report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    pub group_code: String,
    pub deputy: String,
    /// `None`: not recorded.
    pub residents: Option<Option<i64>>,
}
