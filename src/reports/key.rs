//! The key suggestions (重点处理建议) of a year (`minyi report key`): each with its deputy,
//! group, units, state and deadline, whether it was carried over from an earlier year (结转),
//! and every vote of the standing committee on it, oldest first; then how many were filed in
//! the year, how many carried over and how many are still open. As text for a terminal or as
//! a workbook with the same columns (the votes in one cell, a line a vote).
//!
//! The rows are [`crate::storage::Repository::key_report`]'s.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::Setting;
use super::sheet::{Cell, Table};
use crate::domain::VoteResult;
use crate::i18n;
use crate::storage::{KeyRow, VoteRow};

/// The columns: their header's locale key and width in the sheet.
pub const COLUMNS: [(&str, f64); 9] = [
    ("report-col-no", 11.0),
    ("report-col-title", 36.0),
    ("report-col-deputy", 14.0),
    ("report-col-group", 22.0),
    ("report-col-units", 30.0),
    ("report-col-state", 14.0),
    ("report-col-deadline", 12.0),
    ("report-key-col-carried", 10.0),
    ("report-key-col-votes", 36.0),
];

/// The year's count: filed in it, carried into it, and of all those still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub filed: usize,
    pub carried: usize,
    pub open: usize,
}

pub fn summary(rows: &[KeyRow]) -> Summary {
    let carried = rows.iter().filter(|r| r.carried).count();
    Summary {
        filed: rows.len() - carried,
        carried,
        open: rows.iter().filter(|r| !r.state.is_terminal()).count(),
    }
}

/// The line that ends the report.
pub fn summary_line(rows: &[KeyRow], year: i32, setting: &Setting) -> String {
    let s = summary(rows);
    let args = [
        ("year", year.to_string()),
        ("filed", s.filed.to_string()),
        ("carried", s.carried.to_string()),
        ("open", s.open.to_string()),
    ];
    i18n::plain(setting.lang, "report-key-summary", &args)
}

/// A vote as one line: its date, its result and the note.
pub fn vote_line(v: &VoteRow, setting: &Setting) -> String {
    let result = match v.result {
        VoteResult::Pass => "report-key-pass",
        VoteResult::Fail => "report-key-fail",
    };
    let mut args = vec![
        ("date", v.on.to_string()),
        ("result", setting.plain(result)),
    ];
    let key = match v.note.is_empty() {
        true => "report-key-vote",
        false => {
            args.push(("note", v.note.clone()));
            "report-key-vote-note"
        }
    };
    i18n::plain(setting.lang, key, &args)
}

fn units(row: &KeyRow) -> String {
    match row.units.is_empty() {
        true => "—".to_owned(),
        false => row.units.join("; "),
    }
}

/// The report as text: a title, each suggestion with its votes, the summary line. `scope` is
/// the org's name as the title shows it.
pub fn plain(rows: &[KeyRow], year: i32, scope: &str, setting: &Setting) -> String {
    let lang = setting.lang;
    let title = [("year", year.to_string()), ("scope", scope.to_owned())];
    let mut lines = vec![i18n::plain(lang, "report-key-title", &title)];
    if rows.is_empty() {
        lines.push(setting.plain("report-key-none"));
    }
    for row in rows {
        lines.push(String::new());
        let mut head = format!("{} {}", row.no, row.title);
        if row.carried {
            head.push(' ');
            head.push_str(&setting.plain("report-key-carried-mark"));
        }
        lines.push(head);
        let deadline = row.deadline.map(|d| setting.date(d));
        let args = [
            ("deputy", row.deputy.clone()),
            ("group", row.group_name.clone()),
            ("units", units(row)),
            ("state", i18n::state_name(lang, row.state)),
            ("deadline", deadline.unwrap_or_else(|| "—".to_owned())),
        ];
        // Indented under the number, which starts each item.
        let details = i18n::plain(lang, "report-key-details", &args);
        lines.push(format!("  {details}"));
        for v in &row.votes {
            let args = [("vote", vote_line(v, setting))];
            let vote = i18n::plain(lang, "report-key-vote-item", &args);
            lines.push(format!("  {vote}"));
        }
    }
    lines.push(String::new());
    lines.push(summary_line(rows, year, setting));
    lines.join("\n")
}

/// The report as a workbook: one sheet with the columns of [`COLUMNS`] (bold frozen header,
/// autofilter, widths), the summary line below the table.
pub fn xlsx(rows: &[KeyRow], year: i32, setting: &Setting) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let columns: Vec<_> = (COLUMNS.iter())
        .map(|(key, width)| (setting.plain(key), *width))
        .collect();
    let name = setting.plain("report-key-sheet");
    let mut table = Table::start(workbook.add_worksheet(), &name, &columns)?;
    let (yes, no) = (
        setting.plain("report-key-yes"),
        setting.plain("report-key-no"),
    );
    for row in rows {
        let votes: Vec<String> = row.votes.iter().map(|v| vote_line(v, setting)).collect();
        table.row([
            Cell::Text(row.no.to_string()),
            Cell::Text(row.title.clone()),
            Cell::Text(row.deputy.clone()),
            Cell::Text(row.group_name.clone()),
            Cell::Text(units(row)),
            Cell::Text(i18n::state_name(setting.lang, row.state)),
            row.deadline
                .map_or(Cell::Empty, |d| Cell::Text(setting.date(d))),
            Cell::Text(if row.carried { yes.clone() } else { no.clone() }),
            match votes.is_empty() {
                true => Cell::Empty,
                false => Cell::Text(votes.join("\n")),
            },
        ])?;
    }
    let (sheet, next) = table.finish()?;
    sheet.write_string(next + 1, 0, summary_line(rows, year, setting))?;
    workbook.save_to_buffer()
}
