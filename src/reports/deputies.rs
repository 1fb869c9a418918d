//! The deputies' performance files (履职档案) of a year in one workbook (`minyi report
//! deputies`): a sheet with a row a deputy and a column a figure (each category its own
//! column, so a clerk sorts by any of them), and a sheet of the dated items behind the
//! attendance figures: each reception day attended and each report to voters (述职).
//!
//! The figures are [`DeputyRecord`]'s, as [`crate::storage::Repository::deputy_records`]
//! counts them; the board's record page shows the same list ([`FIGURES`]).

use rust_xlsxwriter::{Workbook, XlsxError};

use super::Setting;
use super::sheet::{Cell, Column, Table};
use crate::storage::DeputyRecord;

/// A figure of a file: its header's locale key and how to read it.
pub type Figure = (&'static str, fn(&DeputyRecord) -> i64);

/// Suggestions filed: the column before the categories.
pub const FILED: Figure = ("report-year-col-filed", |f| f.filed);

/// The figures after the categories, in the order of the file in chat (`/record`).
pub const FIGURES: [Figure; 16] = [
    ("report-year-col-returned", |f| f.returned),
    ("report-year-col-accepted", |f| f.accepted),
    ("report-year-col-assigned", |f| f.assigned),
    ("report-year-col-replied", |f| f.replied),
    ("report-year-col-on-time", |f| f.on_time),
    ("report-year-col-closed", |f| f.closed),
    ("report-year-col-satisfied", |f| f.satisfied),
    ("report-year-col-basic", |f| f.basic),
    ("report-year-col-unsatisfied", |f| f.unsatisfied),
    ("report-year-col-key", |f| f.key),
    ("report-year-col-requests-received", |f| f.requests_received),
    ("report-year-col-requests-adopted", |f| f.requests_adopted),
    ("report-year-col-requests-declined", |f| f.requests_declined),
    ("report-year-col-receptions", |f| f.receptions.len() as i64),
    (
        "report-year-col-residents",
        DeputyRecord::residents_received,
    ),
    ("report-year-col-voter-reports", |f| {
        f.voter_reports.len() as i64
    }),
];

/// The category columns: the configured categories in their order, then any other code the
/// files hold (a category since removed from the configuration), by code.
pub fn categories(files: &[DeputyRecord], setting: &Setting) -> Vec<String> {
    let mut codes: Vec<String> = setting.categories.iter().map(|c| c.code.clone()).collect();
    let mut others: Vec<String> = files
        .iter()
        .flat_map(|f| f.by_category.iter().map(|(code, _)| code))
        .filter(|code| !codes.contains(code))
        .cloned()
        .collect();
    others.sort();
    others.dedup();
    codes.extend(others);
    codes
}

/// A file's count of a category (0 when they filed none in it).
fn filed_in(f: &DeputyRecord, code: &str) -> i64 {
    (f.by_category.iter())
        .find(|(c, _)| c == code)
        .map_or(0, |(_, n)| *n)
}

/// One dated item of the details sheet.
enum Dated<'a> {
    Reception(&'a crate::storage::ReceptionRow),
    Report(&'a crate::storage::VoterReportRow),
}

impl Dated<'_> {
    fn day(&self) -> chrono::NaiveDate {
        match self {
            Dated::Reception(r) => r.day,
            Dated::Report(v) => v.day,
        }
    }
}

/// A file's dated items, by date (a reception day before a report of the same day).
fn dated(f: &DeputyRecord) -> Vec<Dated<'_>> {
    let mut items: Vec<Dated<'_>> = (f.receptions.iter().map(Dated::Reception))
        .chain(f.voter_reports.iter().map(Dated::Report))
        .collect();
    // Stable: receptions were put first.
    items.sort_by_key(Dated::day);
    items
}

/// The workbook: the deputies' sheet and the details sheet, each with a bold frozen header
/// row, an autofilter and the columns' widths.
pub fn xlsx(files: &[DeputyRecord], setting: &Setting) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let codes = categories(files, setting);
    let header = |key: &str, width: f64| (setting.plain(key), width);
    let mut columns: Vec<Column> = vec![
        header("report-year-col-code", 10.0),
        header("report-year-col-name", 14.0),
        header("report-year-col-groups", 28.0),
        header(FILED.0, 8.0),
    ];
    columns.extend(codes.iter().map(|code| (setting.category(code), 12.0)));
    columns.extend(FIGURES.iter().map(|(key, _)| header(key, 11.0)));
    let sheet = workbook.add_worksheet();
    let name = setting.plain("report-year-sheet-deputies");
    let mut table = Table::start(sheet, &name, &columns)?;
    let separator = setting.plain("web-list-separator");
    for f in files {
        let mut cells = vec![
            Cell::Text(f.code.clone()),
            Cell::Text(f.name.clone()),
            Cell::Text(f.groups.join(&separator)),
            Cell::Number((FILED.1)(f)),
        ];
        cells.extend(codes.iter().map(|code| Cell::Number(filed_in(f, code))));
        cells.extend(FIGURES.iter().map(|(_, read)| Cell::Number(read(f))));
        table.row(cells)?;
    }
    table.finish()?;

    let columns = [
        header("report-year-col-code", 10.0),
        header("report-year-col-name", 14.0),
        header("report-year-col-date", 12.0),
        header("report-year-col-kind", 16.0),
        header("report-year-col-people", 10.0),
        header("report-year-col-place", 24.0),
        header("report-year-col-note", 40.0),
    ];
    let sheet = workbook.add_worksheet();
    let name = setting.plain("report-year-sheet-details");
    let mut table = Table::start(sheet, &name, &columns)?;
    let text = |t: &str| match t.is_empty() {
        true => Cell::Empty,
        false => Cell::Text(t.to_owned()),
    };
    for f in files {
        for item in dated(f) {
            let (kind, people, place, note) = match item {
                Dated::Reception(r) => (
                    "report-year-kind-reception",
                    r.residents.map_or(Cell::Empty, Cell::Number),
                    Cell::Empty,
                    text(&r.note),
                ),
                Dated::Report(v) => (
                    "report-year-kind-voters",
                    Cell::Number(v.voters),
                    text(&v.place),
                    text(v.evaluation.as_deref().unwrap_or_default()),
                ),
            };
            table.row([
                Cell::Text(f.code.clone()),
                Cell::Text(f.name.clone()),
                Cell::Text(item.day().to_string()),
                Cell::Text(setting.plain(kind)),
                people,
                place,
                note,
            ])?;
        }
    }
    table.finish()?;
    workbook.save_to_buffer()
}
