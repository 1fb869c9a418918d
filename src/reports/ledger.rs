//! The ledger (台账): one row per suggestion with a header row, as an .xlsx sheet (bold
//! header, frozen top row, autofilter, column widths) or as CSV with the same columns, each
//! written a page of rows at a time so that memory does not grow with rows (see
//! [`super::export`]). It has no column for residents: their names and Telegram ids never
//! reach an export.

use std::io::Write;

use chrono::DateTime;
use chrono::Utc;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

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

/// The ledger's sheet, written a page of rows at a time in rust_xlsxwriter's constant
/// memory mode: each row goes to the sheet's temporary file once the next one begins, so the
/// workbook holds one row, whatever the number written. Its first sheet; the header row bold
/// and frozen, the column widths, and at the end an autofilter over every row.
pub struct Sheet {
    workbook: Workbook,
    setting: Setting,
    /// Rows written below the header.
    rows: u32,
}

impl Sheet {
    pub fn new(setting: Setting) -> Result<Sheet, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(setting.plain(SHEET_KEY))?;
        let bold = Format::new().set_bold();
        for (col, (header, (_, width))) in headers(&setting).iter().zip(COLUMNS).enumerate() {
            let col = col as u16;
            sheet.write_string_with_format(0, col, header, &bold)?;
            sheet.set_column_width(col, width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(Sheet {
            workbook,
            setting,
            rows: 0,
        })
    }

    /// The next rows, below those already written (rows only go down in this mode).
    pub fn write(&mut self, rows: &[LedgerRow]) -> Result<(), XlsxError> {
        let sheet = self.workbook.worksheet_from_index(0)?;
        for row in rows {
            self.rows += 1;
            for (col, cell) in cells(row, &self.setting).into_iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(t) => sheet.write_string(self.rows, col, t)?,
                    Cell::Number(n) => sheet.write_number(self.rows, col, n as f64)?,
                    Cell::Empty => sheet,
                };
            }
        }
        Ok(())
    }

    /// The autofilter over the header and every row written; the workbook, to add sheets to
    /// or save.
    pub fn finish(mut self) -> Result<Workbook, XlsxError> {
        let sheet = self.workbook.worksheet_from_index(0)?;
        sheet.autofilter(0, 0, self.rows, COLUMNS.len() as u16 - 1)?;
        Ok(self.workbook)
    }
}

/// The ledger as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
/// Chinese right), with the same header and columns as the sheet, written a page of rows at
/// a time.
pub struct Csv<W: Write> {
    out: csv::Writer<W>,
    setting: Setting,
}

impl<W: Write> Csv<W> {
    /// The byte-order mark and the header row.
    pub fn new(mut out: W, setting: Setting) -> Result<Csv<W>, csv::Error> {
        out.write_all("\u{feff}".as_bytes())?;
        let mut out = csv::Writer::from_writer(out);
        out.write_record(headers(&setting))?;
        Ok(Csv { out, setting })
    }

    pub fn write(&mut self, rows: &[LedgerRow]) -> Result<(), csv::Error> {
        for row in rows {
            let cells = cells(row, &self.setting);
            self.out.write_record(cells.iter().map(Cell::as_text))?;
        }
        Ok(())
    }

    /// Everything flushed; the writer.
    pub fn finish(self) -> Result<W, csv::Error> {
        self.out
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }
}

/// The ledger as CSV, from rows at hand (see [`Csv`]).
pub fn csv(out: impl Write, rows: &[LedgerRow], setting: &Setting) -> Result<(), csv::Error> {
    let mut csv = Csv::new(out, setting.clone())?;
    csv.write(rows)?;
    csv.finish()?;
    Ok(())
}
