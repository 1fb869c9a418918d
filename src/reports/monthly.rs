//! The monthly report (PRODUCT.md §5 `monthly_report`): the figures of the suggestions filed
//! in a month below an org, as a text for a chat (Telegram HTML) or a terminal, and as a
//! workbook with the ledger sheet and a summary sheet.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{Setting, cmp_rate, ledger, rate};
use crate::i18n::{self, Lang};
use crate::storage::{GroupStats, KeyFigures, LedgerRow, MonthlyStats, Totals};

/// The summary sheet's name: `汇总` or `Summary`.
pub const SHEET_KEY: &str = "report-sheet-summary";

/// The group ranking: completion rate (closed / assigned) first, then satisfaction rate
/// ((satisfied + basic) / rated), then received, all highest first, then by group code. A
/// group with nothing assigned (or rated) has no rate and ranks below 0%.
pub fn ranking(groups: &[GroupStats]) -> Vec<&GroupStats> {
    let mut ranked: Vec<&GroupStats> = groups.iter().collect();
    ranked.sort_by(|a, b| {
        cmp_rate((b.closed, b.assigned), (a.closed, a.assigned))
            .then_with(|| cmp_rate((b.satisfied, b.rated), (a.satisfied, a.rated)))
            .then_with(|| b.received.cmp(&a.received))
            .then_with(|| a.code.cmp(&b.code))
    });
    ranked
}

/// The ranking's columns, by their header's locale key: rank, group, received, assigned,
/// closed, completion rate, satisfaction rate (the summary sheet's table, the board's page).
pub const RANKING_COLUMNS: [&str; 7] = [
    "report-col-rank",
    "report-col-group",
    "report-received",
    "report-assigned",
    "report-closed",
    "report-completion-rate",
    "report-satisfaction-rate",
];

/// A value of the summary: a count, or a rate with the counts it divides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    Count(i64),
    Rate { part: i64, whole: i64 },
}

impl Figure {
    /// As the summary sheet shows it: the count, or the rate (`93.0%`, `—`).
    pub fn rate_or_count(&self) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Rate { part, whole } => rate(*part, *whole),
        }
    }

    /// As the report's text shows it (plain): the count, or the rate with the counts it
    /// divides (`93.0% (5045/5423)`).
    pub fn with_counts(&self, lang: Lang) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Rate { part, whole } => i18n::plain(
                lang,
                "report-rate-value",
                &[
                    ("rate", rate(*part, *whole)),
                    ("part", part.to_string()),
                    ("whole", whole.to_string()),
                ],
            ),
        }
    }
}

/// The totals in the order every report shows them, each with its label's locale key.
pub fn figures(t: &Totals) -> Vec<(&'static str, Figure)> {
    use Figure::{Count, Rate};
    vec![
        ("report-received", Count(t.received)),
        ("report-accepted", Count(t.accepted)),
        ("report-assigned", Count(t.assigned)),
        ("report-replied", Count(t.replied)),
        ("report-closed", Count(t.closed)),
        (
            "report-completion-rate",
            Rate {
                part: t.closed,
                whole: t.assigned,
            },
        ),
        ("report-on-time", Count(t.on_time)),
        (
            "report-on-time-rate",
            Rate {
                part: t.on_time,
                whole: t.replied,
            },
        ),
        ("report-satisfied", Count(t.satisfied)),
        ("report-basic", Count(t.basic)),
        ("report-unsatisfied", Count(t.unsatisfied)),
        ("report-rated", Count(t.rated)),
        (
            "report-satisfaction-rate",
            Rate {
                part: t.satisfied + t.basic,
                whole: t.rated,
            },
        ),
        ("report-overdue", Count(t.overdue)),
    ]
}

/// The report's title (Telegram HTML): the org (or the whole deployment) and the month.
pub fn title(stats: &MonthlyStats, (year, month): (i32, u32), setting: &Setting) -> String {
    let lang = setting.lang;
    let scope = match &stats.org {
        Some((code, name)) => i18n::plain(
            lang,
            "report-scope",
            &[("code", code.clone()), ("name", name.clone())],
        ),
        None => i18n::plain(lang, "report-scope-all", &[]),
    };
    let month = i18n::plain(
        lang,
        "report-month",
        &[
            ("year", year.to_string()),
            ("month", month.to_string()),
            ("mm", format!("{month:02}")),
        ],
    );
    i18n::text(lang, "report-title", &[("scope", scope), ("month", month)])
}

/// The report as a chat message (Telegram HTML, every name escaped), short lines for a
/// phone: the totals with their rates, the categories and the group ranking.
pub fn text(stats: &MonthlyStats, month: (i32, u32), setting: &Setting) -> String {
    let lang = setting.lang;
    let mut lines = vec![title(stats, month, setting)];
    if stats.totals.received == 0 {
        lines.push(i18n::text(lang, "report-no-suggestions", &[]));
        lines.extend(key_line(lang, &stats.key));
        return lines.join("\n");
    }
    for (key, figure) in figures(&stats.totals) {
        let value = figure.with_counts(lang);
        let label = i18n::plain(lang, key, &[]);
        lines.push(i18n::text(
            lang,
            "report-line",
            &[("label", label), ("value", value)],
        ));
    }
    lines.extend(key_line(lang, &stats.key));
    lines.push(String::new());
    lines.push(i18n::text(lang, "report-categories", &[]));
    for (code, count) in &stats.categories {
        let args = [
            ("name", setting.category(code)),
            ("count", count.to_string()),
        ];
        lines.push(i18n::text(lang, "report-category-line", &args));
    }
    lines.push(String::new());
    lines.push(i18n::text(lang, "report-ranking", &[]));
    for (i, g) in ranking(&stats.groups).into_iter().enumerate() {
        let args = [
            ("rank", (i + 1).to_string()),
            ("code", g.code.clone()),
            ("name", g.name.clone()),
            ("completion", rate(g.closed, g.assigned)),
            ("satisfaction", rate(g.satisfied, g.rated)),
            ("received", g.received.to_string()),
        ];
        lines.push(i18n::text(lang, "report-rank-line", &args));
    }
    lines.join("\n")
}

/// The key suggestions of the period and those carried over (结转), when there are any.
fn key_line(lang: Lang, k: &KeyFigures) -> Option<String> {
    (*k != KeyFigures::default()).then(|| {
        i18n::text(
            lang,
            "report-key-line",
            &[
                ("filed", k.filed.to_string()),
                ("carried", k.carried.to_string()),
                ("open", k.carried_open.to_string()),
            ],
        )
    })
}

/// The report for a terminal: [`text`] without markup.
pub fn plain(stats: &MonthlyStats, month: (i32, u32), setting: &Setting) -> String {
    i18n::html_to_plain(&text(stats, month, setting))
}

/// The workbook: the ledger sheet (see [`ledger::Sheet`]) and the summary sheet (see
/// [`add_summary`]), from rows at hand.
pub fn xlsx(
    stats: &MonthlyStats,
    rows: &[LedgerRow],
    month: (i32, u32),
    setting: &Setting,
) -> Result<Vec<u8>, XlsxError> {
    let mut sheet = ledger::Sheet::new(setting.clone())?;
    sheet.write(rows)?;
    let mut workbook = sheet.finish()?;
    add_summary(&mut workbook, stats, month, setting)?;
    workbook.save_to_buffer()
}

/// The summary sheet, after the ledger's: the title, the totals (label, value: counts as
/// numbers, rates as `93.0%` text), the counts per category and the group ranking as a table.
pub fn add_summary(
    workbook: &mut Workbook,
    stats: &MonthlyStats,
    month: (i32, u32),
    setting: &Setting,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(setting.plain(SHEET_KEY))?;
    let bold = Format::new().set_bold();
    let title = i18n::html_to_plain(&title(stats, month, setting));
    sheet.write_string_with_format(0, 0, title, &bold)?;
    let mut r = 2;
    for (key, figure) in figures(&stats.totals) {
        sheet.write_string(r, 0, setting.plain(key))?;
        match figure {
            Figure::Count(n) => sheet.write_number(r, 1, n as f64)?,
            rate => sheet.write_string(r, 1, rate.rate_or_count())?,
        };
        r += 1;
    }
    r += 1;
    sheet.write_string_with_format(r, 0, setting.plain("report-categories"), &bold)?;
    r += 1;
    for (code, count) in &stats.categories {
        sheet.write_string(r, 0, setting.category(code))?;
        sheet.write_number(r, 1, *count as f64)?;
        r += 1;
    }
    r += 1;
    sheet.write_string_with_format(r, 0, setting.plain("report-ranking"), &bold)?;
    r += 1;
    for (col, key) in RANKING_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(r, col as u16, setting.plain(key), &bold)?;
    }
    for (i, g) in ranking(&stats.groups).into_iter().enumerate() {
        r += 1;
        sheet.write_number(r, 0, (i + 1) as f64)?;
        sheet.write_string(r, 1, format!("{} {}", g.code, g.name))?;
        sheet.write_number(r, 2, g.received as f64)?;
        sheet.write_number(r, 3, g.assigned as f64)?;
        sheet.write_number(r, 4, g.closed as f64)?;
        sheet.write_string(r, 5, rate(g.closed, g.assigned))?;
        sheet.write_string(r, 6, rate(g.satisfied, g.rated))?;
    }
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 28)?;
    for col in 2..7 {
        sheet.set_column_width(col, 12)?;
    }
    Ok(())
}

/// The most groups one chart shows (the top of the ranking): more would not read on a phone.
pub const CHART_GROUPS: usize = 30;

/// The chart: completion and satisfaction rates of the top groups of the ranking, as a PNG.
pub fn chart(
    stats: &MonthlyStats,
    month: (i32, u32),
    setting: &Setting,
) -> anyhow::Result<Vec<u8>> {
    let ratio = |part: i64, whole: i64| (whole > 0).then(|| part as f64 / whole as f64);
    let groups: Vec<crate::charts::GroupRates> = ranking(&stats.groups)
        .into_iter()
        .take(CHART_GROUPS)
        .map(|g| crate::charts::GroupRates {
            label: g.name.clone(),
            completion: ratio(g.closed, g.assigned),
            satisfaction: ratio(g.satisfied, g.rated),
        })
        .collect();
    let title = i18n::html_to_plain(&title(stats, month, setting));
    crate::charts::rates_png(&title, &groups, setting.lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(
        code: &str,
        received: i64,
        assigned: i64,
        closed: i64,
        sat: i64,
        rated: i64,
    ) -> GroupStats {
        GroupStats {
            code: code.into(),
            name: format!("Group {code}"),
            received,
            assigned,
            closed,
            satisfied: sat,
            rated,
        }
    }

    #[test]
    fn the_ranking_orders_by_completion_then_satisfaction_then_received_then_code() {
        let groups = vec![
            group("G5", 0, 0, 0, 0, 0), // nothing assigned: last
            group("G4", 9, 4, 2, 1, 2), // 50%, 50%
            group("G3", 3, 2, 1, 2, 2), // 50%, 100%, 3 received
            group("G2", 5, 2, 1, 2, 2), // 50%, 100%, 5 received
            group("G1", 5, 4, 2, 1, 1), // 50%, 100%, 5 received: by code before G2
            group("G0", 1, 1, 1, 0, 1), // 100%, 0%
            group("G6", 2, 1, 0, 0, 0), // 0%, no rating
        ];
        let order: Vec<&str> = ranking(&groups).iter().map(|g| g.code.as_str()).collect();
        assert_eq!(order, ["G0", "G1", "G2", "G3", "G4", "G6", "G5"]);
    }

    #[test]
    fn figures_divide_what_the_definitions_say() {
        let t = Totals {
            received: 6000,
            assigned: 5423,
            closed: 5045,
            replied: 5100,
            on_time: 5000,
            satisfied: 40,
            basic: 10,
            rated: 60,
            ..Totals::default()
        };
        let shown: Vec<(&str, String)> = figures(&t)
            .into_iter()
            .map(|(k, f)| (k, f.rate_or_count()))
            .collect();
        let get = |key: &str| shown.iter().find(|(k, _)| *k == key).unwrap().1.clone();
        assert_eq!(get("report-completion-rate"), "93.0%");
        assert_eq!(get("report-on-time-rate"), "98.0%");
        assert_eq!(get("report-satisfaction-rate"), "83.3%");
        assert_eq!(get("report-received"), "6000");
    }
}
