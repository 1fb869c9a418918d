//! The ledger (台账): one row per suggestion with a header row, as an .xlsx sheet (bold
//! header, frozen top row, autofilter, column widths) or as CSV with the same columns. It
//! has no column for residents: their names and Telegram ids never reach an export.

use std::io::Write;

use chrono::DateTime;
use chrono::Utc;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::Setting;
use crate::domain::{Colour, Rules};
use crate::i18n;
use crate::storage::LedgerRow;

/// The columns: their header's locale key and width (in characters) in the sheet.
pub const COLUMNS: [(&str, f64); 14] = [
    ("report-col-no", 11.0),
    ("report-col-date", 12.0),
    ("report-col-deputy", 14.0),
    ("report-col-group", 24.0),
    ("report-col-title", 40.0),
    ("report-col-category", 16.0),
    ("report-col-level", 14.0),
    ("report-col-units", 32.0),
    ("report-col-state", 14.0),
    ("report-col-deadline", 12.0),
    ("report-col-colour", 8.0),
    ("report-col-days", 8.0),
    ("report-col-rating", 12.0),
    ("report-col-outcome", 14.0),
];

/// The sheet's name: `台账` or `Ledger`.
pub const SHEET_KEY: &str = "report-sheet-ledger";

/// One cell of the ledger.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(i64),
    Empty,
}

impl Cell {
    fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    fn or_empty(value: Option<String>) -> Cell {
        value.map_or(Cell::Empty, Cell::Text)
    }

    /// As CSV has it.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// The header row in the setting's language.
pub fn headers(setting: &Setting) -> Vec<String> {
    COLUMNS.iter().map(|(key, _)| setting.plain(key)).collect()
}

/// The colour of an open item's current step at `now`; none for a finished one or a step
/// without a deadline.
pub fn colour(row: &LedgerRow, rules: &Rules, now: DateTime<Utc>) -> Option<Colour> {
    if row.state.is_terminal() {
        return None;
    }
    row.deadline.map(|d| rules.colour(d, now))
}

/// Calendar days (local) from filing to closing, or to `now` for an open item; none for one
/// that ended without closing (merged, transferred, declined, withdrawn).
pub fn days_taken(row: &LedgerRow, rules: &Rules, now: DateTime<Utc>) -> Option<i64> {
    let end = match row.closed_at {
        Some(at) => at,
        None if !row.state.is_terminal() => now,
        None => return None,
    };
    Some((rules.local_date(end) - rules.local_date(row.filed_at)).num_days())
}

/// A row's cells, in the order of [`COLUMNS`].
pub fn cells(row: &LedgerRow, setting: &Setting) -> Vec<Cell> {
    let lang = setting.lang;
    let (rules, now) = (&setting.rules, setting.now);
    vec![
        Cell::text(row.no.to_string()),
        Cell::text(setting.date(row.filed_at)),
        Cell::text(&row.deputy),
        Cell::text(format!("{} {}", row.group_code, row.group_name)),
        Cell::text(&row.title),
        Cell::text(setting.category(&row.category)),
        Cell::or_empty(row.level.map(|l| i18n::level_name(lang, l))),
        Cell::text(row.units.join("; ")),
        Cell::text(i18n::state_name(lang, row.state)),
        Cell::or_empty(row.deadline.map(|d| setting.date(d))),
        Cell::or_empty(colour(row, rules, now).map(|c| i18n::colour_name(lang, c))),
        days_taken(row, rules, now).map_or(Cell::Empty, Cell::Number),
        Cell::or_empty(row.rating.map(|r| i18n::rating_name(lang, r))),
        Cell::or_empty(row.outcome.map(|o| i18n::outcome_name(lang, o))),
    ]
}

/// Writes the ledger into a sheet: the header row bold and frozen, an autofilter over every
/// row, the column widths.
pub fn write_sheet(
    sheet: &mut Worksheet,
    rows: &[LedgerRow],
    setting: &Setting,
) -> Result<(), XlsxError> {
    sheet.set_name(setting.plain(SHEET_KEY))?;
    let bold = Format::new().set_bold();
    for (col, (header, (_, width))) in headers(setting).iter().zip(COLUMNS).enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, header, &bold)?;
        sheet.set_column_width(col, width)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, cell) in cells(row, setting).into_iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(t) => sheet.write_string(r, col, t)?,
                Cell::Number(n) => sheet.write_number(r, col, n as f64)?,
                Cell::Empty => sheet,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, COLUMNS.len() as u16 - 1)?;
    Ok(())
}

/// The ledger alone as an .xlsx workbook.
pub fn xlsx(rows: &[LedgerRow], setting: &Setting) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    write_sheet(workbook.add_worksheet(), rows, setting)?;
    workbook.save_to_buffer()
}

/// The ledger as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
/// Chinese right), with the same header and columns as the sheet.
pub fn csv(out: impl Write, rows: &[LedgerRow], setting: &Setting) -> Result<(), csv::Error> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(headers(setting))?;
    for row in rows {
        w.write_record(cells(row, setting).iter().map(Cell::as_text))?;
    }
    w.flush()?;
    Ok(())
}
