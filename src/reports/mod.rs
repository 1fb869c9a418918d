//! Reports: what the monthly statistics and the ledger (台账) look like, rendered from what
//! the repository aggregates ([`crate::storage::Repository::monthly_stats`],
//! [`crate::storage::Repository::ledger_rows`]). Pure: no I/O but writing into a buffer or
//! writer (and the ledger sheet's temporary file), except [`export`].
//!
//! - this module: the rate every report shows ([`rate`]), the ranking order's comparison of
//!   rates, periods (a month, a span of local dates) and the [`Setting`] a report is rendered
//!   in (language, rules, now, category names).
//! - [`ledger`]: the ledger's columns, one row per suggestion, as an .xlsx sheet or CSV,
//!   written a page of rows at a time.
//! - [`export`]: the ledger from the repository's stream into a file on a blocking thread,
//!   in memory that does not grow with rows; every export of the ledger goes through it.
//! - [`daily`]: the daily participation report: per group and per org, as chat text, a
//!   workbook or a chart.
//! - [`monthly`]: the monthly report: the group ranking, the text for a chat or a terminal,
//!   and the workbook (the ledger sheet and a summary sheet).
//! - [`deputies`]: the deputies' performance files (履职档案) of a year as one workbook.
//! - [`key`]: the key suggestions (重点处理建议) of a year, carried-over ones marked (结转),
//!   as text or a workbook.
//! - [`sheet`]: what those two workbooks' sheets share: a bold frozen header row, widths, an
//!   autofilter.

pub mod daily;
pub mod deputies;
pub mod export;
pub mod key;
pub mod ledger;
pub mod monthly;
pub mod sheet;

use std::cmp::Ordering;

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::config::Category;
use crate::domain::Rules;
use crate::i18n::{self, Lang};

/// A rate as reports show it: one decimal and a percent sign (`93.0%`, rounded half up), or
/// `—` when the whole is zero. Every rate in every report comes from here.
pub fn rate(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "—".to_string();
    }
    let (part, whole) = (i128::from(part.max(0)), i128::from(whole));
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// Compares two rates `part / whole` exactly (no floating point); a rate with a zero whole
/// ranks below every other, 0% included.
pub fn cmp_rate((a, a_whole): (i64, i64), (b, b_whole): (i64, i64)) -> Ordering {
    match (a_whole > 0, b_whole > 0) {
        (false, false) => Ordering::Equal,
        (false, true) => Ordering::Less,
        (true, false) => Ordering::Greater,
        (true, true) => {
            (i128::from(a) * i128::from(b_whole)).cmp(&(i128::from(b) * i128::from(a_whole)))
        }
    }
}

/// A month as `YYYY-MM`: a year of four digits (a longer one would overflow the calendar's
/// arithmetic), a month of one or two.
pub fn parse_month(text: &str) -> Option<(i32, u32)> {
    let (y, m) = text.trim().split_once('-')?;
    if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) || m.is_empty() || m.len() > 2 {
        return None;
    }
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    NaiveDate::from_ymd_opt(y, m, 1).map(|_| (y, m))
}

/// The month before the one `now` falls in, in the time zone.
pub fn previous_month(tz: Tz, now: DateTime<Utc>) -> (i32, u32) {
    let today = now.with_timezone(&tz).date_naive();
    let first = today.with_day(1).expect("day 1") - Months::new(1);
    (first.year(), first.month())
}

/// The month `now` falls in, in the time zone.
pub fn this_month(tz: Tz, now: DateTime<Utc>) -> (i32, u32) {
    let today = now.with_timezone(&tz).date_naive();
    (today.year(), today.month())
}

/// Local midnight at the start of a date, as UTC (the earliest such instant, should a time
/// zone skip midnight).
pub fn day_start(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight");
    tz.from_local_datetime(&midnight)
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&midnight))
        .with_timezone(&Utc)
}

/// The local dates `from..=to` as the instants `[from 00:00, the day after to 00:00)`.
pub fn dates_period(tz: Tz, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let after = to.succ_opt().unwrap_or(to);
    (day_start(tz, from), day_start(tz, after))
}

/// A month as the instants `[its first day 00:00, the next month's first day 00:00)` local.
pub fn month_period(tz: Tz, (year, month): (i32, u32)) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("a valid month");
    (day_start(tz, first), day_start(tz, first + Months::new(1)))
}

/// The years a report may name: four digits, as `YYYY` says (a larger one would overflow the
/// calendar's arithmetic at its end).
pub const YEARS: std::ops::RangeInclusive<i32> = 1000..=9999;

/// A year as `YYYY`.
pub fn parse_year(text: &str) -> Option<i32> {
    let text = text.trim();
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|y| YEARS.contains(y))
}

/// A year as local dates `[1 January, next 1 January)`.
pub fn year_days(year: i32) -> (NaiveDate, NaiveDate) {
    let first = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN);
    (first(year), first(year + 1))
}

/// A year as the instants `[1 January 00:00, next 1 January 00:00)` local, with the same as
/// local dates: what [`crate::storage::Repository::deputy_record`] takes.
pub fn year_period(
    rules: &Rules,
    year: i32,
) -> ((DateTime<Utc>, DateTime<Utc>), (NaiveDate, NaiveDate)) {
    let days = year_days(year);
    (
        (rules.start_of_day(days.0), rules.start_of_day(days.1)),
        days,
    )
}

/// What a report is rendered in: its language, the rules (time zone, colours), the time it
/// is made at (the colour and days taken of open items) and the configured categories' names.
#[derive(Debug, Clone)]
pub struct Setting {
    pub lang: Lang,
    pub rules: Rules,
    pub now: DateTime<Utc>,
    /// The configured categories; a code not among them is named by the locales, or shown as
    /// itself.
    pub categories: Vec<Category>,
    /// The days of the month that are reception days (接待日).
    pub reception_days: Vec<u32>,
}

impl Setting {
    pub fn new(lang: Lang, rules: Rules, now: DateTime<Utc>) -> Self {
        Self {
            lang,
            rules,
            now,
            categories: Vec::new(),
            reception_days: Vec::new(),
        }
    }

    /// With the configuration's rules and category names.
    pub fn from_config(config: &crate::config::Config, lang: Lang, now: DateTime<Utc>) -> Self {
        Self {
            lang,
            rules: config.rules(),
            now,
            categories: config.categories.clone(),
            reception_days: config.reception_days.clone(),
        }
    }

    /// A category's name in this setting's language.
    pub fn category(&self, code: &str) -> String {
        match self.categories.iter().find(|c| c.code == code) {
            Some(c) if self.lang == Lang::ZhCn => c.zh.clone(),
            Some(c) => c.en.clone(),
            None => i18n::plain(self.lang, "category-name", &[("code", code.to_string())]),
        }
    }

    /// A text of the locales, for a sheet or a terminal (not escaped).
    fn plain(&self, key: &str) -> String {
        i18n::plain(self.lang, key, &[])
    }

    /// The local date of an instant, `YYYY-MM-DD`.
    fn date(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.rules.tz)
            .format("%Y-%m-%d")
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_have_one_decimal_and_a_dash_for_nothing() {
        assert_eq!(rate(5045, 5423), "93.0%");
        assert_eq!(rate(1, 3), "33.3%");
        assert_eq!(rate(2, 3), "66.7%");
        assert_eq!(rate(1, 8), "12.5%", "half up");
        assert_eq!(rate(0, 7), "0.0%");
        assert_eq!(rate(7, 7), "100.0%");
        assert_eq!(rate(0, 0), "—");
        assert_eq!(rate(3, 0), "—");
    }

    #[test]
    fn rates_compare_exactly_and_nothing_ranks_last() {
        assert_eq!(cmp_rate((1, 3), (333, 1000)), Ordering::Greater);
        assert_eq!(cmp_rate((2, 4), (1, 2)), Ordering::Equal);
        assert_eq!(cmp_rate((0, 5), (0, 0)), Ordering::Greater);
        assert_eq!(cmp_rate((0, 0), (0, 0)), Ordering::Equal);
    }

    #[test]
    fn a_year_has_four_digits_and_is_local() {
        assert_eq!(parse_year(" 2026 "), Some(2026));
        for bad in ["26", "+202", "0999", "20261", "twenty", ""] {
            assert_eq!(parse_year(bad), None, "{bad:?}");
        }
        let ((from, to), days) = year_period(&Rules::default(), 2026);
        assert_eq!(from.to_rfc3339(), "2025-12-31T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-12-31T16:00:00+00:00");
        assert_eq!(days, year_days(2026));
        assert_eq!(days.1.to_string(), "2027-01-01");
    }

    #[test]
    fn months_and_dates_are_local() {
        let tz = chrono_tz::Asia::Shanghai;
        assert_eq!(parse_month("2026-02"), Some((2026, 2)));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("202602"), None);
        assert_eq!(
            parse_month("262143-12"),
            None,
            "a year of more than four digits"
        );
        assert_eq!(parse_month("+202-12"), None);
        assert_eq!(parse_month("2026-011"), None);
        assert_eq!(parse_month("2026-1"), Some((2026, 1)));
        // 2026-03-01 00:30 in Shanghai is still February in UTC.
        let now = tz
            .with_ymd_and_hms(2026, 3, 1, 0, 30, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(previous_month(tz, now), (2026, 2));
        assert_eq!(this_month(tz, now), (2026, 3));
        let jan = tz
            .with_ymd_and_hms(2026, 1, 10, 0, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(previous_month(tz, jan), (2025, 12));
        let (from, to) = month_period(tz, (2026, 2));
        assert_eq!(from.to_rfc3339(), "2026-01-31T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-02-28T16:00:00+00:00");
        let d = |day| NaiveDate::from_ymd_opt(2026, 2, day).unwrap();
        let (from, to) = dates_period(tz, d(3), d(3));
        assert_eq!(to - from, chrono::Duration::days(1), "`to` is inclusive");
    }
}
