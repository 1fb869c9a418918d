//! The daily participation report (履职日报, PRODUCT.md §5 `daily_report`): for a group, the
//! suggestions filed on the reported day and in its month per deputy, the deputies with none
//! this month, the watched steps by colour with the red ones listed (§3: a red item is listed
//! in the group's and org's daily report until it moves) and the replies waiting for a
//! rating; for an org, its groups ranked, and its oldest red items.
//!
//! The figures are counted in the database ([`gather`]); the rest of this module lays them
//! out: as chat texts (the job and `minyi report daily`), as a workbook or as a chart. Every
//! text here is plain; names and titles are escaped when a chat message is rendered.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::Setting;
use crate::domain::Rules;
use crate::i18n::{self, Lang};
use crate::storage::{Attendance, DeputyDay, GroupOpen, Listed, Repository, StoreError};

/// The red items a group's report lists (the oldest first); the count says how many there are.
pub const RED_PER_GROUP: i64 = 10;
/// The red items an org's report lists, the oldest of its groups'.
pub const RED_PER_ORG: usize = 20;

/// The report's figures: every group's, for one day and its month, open items as counted
/// by [`gather`].
#[derive(Debug, Clone)]
pub struct Daily {
    /// The day reported ("yesterday" when the job runs); its month is "this month".
    pub day: NaiveDate,
    /// Every group, by code.
    pub groups: Vec<GroupDay>,
}

/// One group's figures.
#[derive(Debug, Clone)]
pub struct GroupDay {
    pub code: String,
    pub name: String,
    /// Every deputy of the group, by name.
    pub deputies: Vec<DeputyDay>,
    pub open: GroupOpen,
    /// The oldest red items (at most [`RED_PER_GROUP`]); `open.red` counts them all.
    pub red: Vec<Listed>,
    /// When the day was a reception day (接待日): every deputy and whether they recorded
    /// attendance (`/received`), by code.
    pub reception: Option<Vec<Attendance>>,
}

impl GroupDay {
    pub fn on_day(&self) -> i64 {
        self.deputies.iter().map(|d| d.yesterday).sum()
    }
    pub fn in_month(&self) -> i64 {
        self.deputies.iter().map(|d| d.month).sum()
    }
    /// The deputies with no suggestion this month.
    pub fn without(&self) -> Vec<&str> {
        self.deputies
            .iter()
            .filter(|d| d.month == 0)
            .map(|d| d.name.as_str())
            .collect()
    }

    /// On a reception day: (those who attended, those who did not record it).
    pub fn attended(&self) -> Option<(Vec<&Attendance>, Vec<&Attendance>)> {
        let all = self.reception.as_ref()?;
        Some(all.iter().partition(|a| a.residents.is_some()))
    }
}

/// Counts the figures of `day` (and its month, up to the end of `day`) and the open items at
/// `now`, for every group; on one of the `reception_days`, who attended.
pub async fn gather(
    repo: &dyn Repository,
    rules: &Rules,
    reception_days: &[u32],
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Daily, StoreError> {
    let month_start = day.with_day(1).expect("a month has a first day");
    let next = day + Days::new(1);
    let deputies = repo
        .deputy_days(
            rules.start_of_day(month_start),
            rules.start_of_day(day),
            rules.start_of_day(next),
        )
        .await?;
    let open = repo.group_open(now, rules.green_from(now)).await?;
    let red = repo.red_steps(now, RED_PER_GROUP).await?;
    let reception = match crate::domain::is_reception_day(reception_days, day) {
        true => Some(repo.attendance(day).await?),
        false => None,
    };
    // `group_open` lists every group: the others attach to it.
    let mut groups: BTreeMap<String, GroupDay> = open
        .into_iter()
        .map(|o| {
            let g = GroupDay {
                code: o.group_code.clone(),
                name: o.group_name.clone(),
                deputies: Vec::new(),
                open: o,
                red: Vec::new(),
                reception: reception.as_ref().map(|_| Vec::new()),
            };
            (g.code.clone(), g)
        })
        .collect();
    for d in deputies {
        if let Some(g) = groups.get_mut(&d.group_code) {
            g.deputies.push(d);
        }
    }
    for r in red {
        if let Some(g) = groups.get_mut(&r.group_code) {
            g.red.push(r.item);
        }
    }
    for a in reception.into_iter().flatten() {
        if let Some(list) = groups
            .get_mut(&a.group_code)
            .and_then(|g| g.reception.as_mut())
        {
            list.push(a);
        }
    }
    Ok(Daily {
        day,
        groups: groups.into_values().collect(),
    })
}

impl Daily {
    /// The groups with these codes (in the order of `codes`; unknown codes are skipped).
    pub fn only<'a>(&'a self, codes: &[String]) -> Vec<&'a GroupDay> {
        codes.iter().filter_map(|code| self.group(code)).collect()
    }

    pub fn group(&self, code: &str) -> Option<&GroupDay> {
        self.groups
            .binary_search_by(|g| g.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.groups[i])
    }

    /// The reported day as the reports show it.
    pub fn date(&self) -> String {
        self.day.format("%Y-%m-%d").to_string()
    }
}

/// The groups ranked: most suggestions this month first, then fewer red items, then by name.
pub fn ranked(mut groups: Vec<&GroupDay>) -> Vec<&GroupDay> {
    groups.sort_by(|a, b| {
        b.in_month()
            .cmp(&a.in_month())
            .then(a.open.red.cmp(&b.open.red))
            .then(a.name.cmp(&b.name))
            .then(a.code.cmp(&b.code))
    });
    groups
}

/// A group's report body: totals, one line per deputy, who filed nothing, open items and the
/// red ones.
pub fn group_body(lang: Lang, rules: &Rules, g: &GroupDay) -> String {
    let mut lines = vec![i18n::plain(
        lang,
        "report-daily-filed",
        &[
            ("yesterday", g.on_day().to_string()),
            ("month", g.in_month().to_string()),
        ],
    )];
    for d in &g.deputies {
        lines.push(i18n::plain(
            lang,
            "report-daily-deputy",
            &[
                ("name", d.name.clone()),
                ("yesterday", d.yesterday.to_string()),
                ("month", d.month.to_string()),
            ],
        ));
    }
    let without = g.without();
    if !without.is_empty() {
        lines.push(i18n::plain(
            lang,
            "report-daily-without",
            &[("names", without.join(", "))],
        ));
    }
    if let Some((attended, absent)) = g.attended() {
        lines.extend(reception_lines(lang, &attended, &absent));
    }
    lines.push(open_line(lang, &g.open));
    let red: Vec<(&str, &Listed)> = g.red.iter().map(|r| ("", r)).collect();
    red_lines(lang, rules, &red, g.open.red, &mut lines);
    lines.join("\n")
}

/// Who attended the reception day (with the residents they received, where recorded), and
/// who did not record it.
fn reception_lines(lang: Lang, attended: &[&Attendance], absent: &[&Attendance]) -> Vec<String> {
    let names: Vec<String> = attended
        .iter()
        .map(|a| match a.residents.flatten() {
            Some(n) => i18n::plain(
                lang,
                "report-daily-received-residents",
                &[("name", a.deputy.clone()), ("n", n.to_string())],
            ),
            None => a.deputy.clone(),
        })
        .collect();
    let mut lines = vec![i18n::plain(
        lang,
        "report-daily-reception",
        &[
            ("count", attended.len().to_string()),
            ("of", (attended.len() + absent.len()).to_string()),
            ("names", names.join(", ")),
        ],
    )];
    if !absent.is_empty() {
        let names: Vec<&str> = absent.iter().map(|a| a.deputy.as_str()).collect();
        lines.push(i18n::plain(
            lang,
            "report-daily-reception-absent",
            &[("names", names.join(", "))],
        ));
    }
    lines
}

/// An org's report body: its groups ranked, then its oldest red items.
pub fn org_body(lang: Lang, rules: &Rules, groups: &[&GroupDay]) -> String {
    let ranked = ranked(groups.to_vec());
    let mut lines: Vec<String> = ranked
        .iter()
        .enumerate()
        .map(|(i, g)| rank_line(lang, i + 1, g))
        .collect();
    let (mut attended, mut recorded) = (0, false);
    let mut of = 0;
    for (a, b) in groups.iter().filter_map(|g| g.attended()) {
        recorded = true;
        attended += a.len();
        of += a.len() + b.len();
    }
    if recorded {
        lines.push(i18n::plain(
            lang,
            "report-daily-reception-org",
            &[("count", attended.to_string()), ("of", of.to_string())],
        ));
    }
    let mut red: Vec<(&str, &Listed)> = groups
        .iter()
        .flat_map(|g| g.red.iter().map(move |r| (g.name.as_str(), r)))
        .collect();
    red.sort_by_key(|(_, r)| (r.deadline, r.no));
    red.truncate(RED_PER_ORG);
    let total = groups.iter().map(|g| g.open.red).sum();
    red_lines(lang, rules, &red, total, &mut lines);
    lines.join("\n")
}

/// The head of the red list and one line per item (with its group in an org's report);
/// "and N more" when the list is cut.
fn red_lines(
    lang: Lang,
    rules: &Rules,
    red: &[(&str, &Listed)],
    total: i64,
    out: &mut Vec<String>,
) {
    if total == 0 {
        return;
    }
    out.push(i18n::plain(
        lang,
        "report-daily-red-head",
        &[("count", total.to_string())],
    ));
    for (group, r) in red {
        let deadline = r.deadline.map(|d| rules.show(d)).unwrap_or_default();
        let key = match group.is_empty() {
            true => "report-daily-red-item",
            false => "report-daily-red-item-in",
        };
        out.push(i18n::plain(
            lang,
            key,
            &[
                ("group", group.to_string()),
                ("no", r.no.to_string()),
                ("title", r.title.clone()),
                ("state", i18n::state_name(lang, r.state)),
                ("deadline", deadline),
            ],
        ));
    }
    let more = total - red.len() as i64;
    if more > 0 {
        out.push(i18n::plain(
            lang,
            "report-daily-red-more",
            &[("count", more.to_string())],
        ));
    }
}

fn open_line(lang: Lang, o: &GroupOpen) -> String {
    i18n::plain(
        lang,
        "report-daily-open",
        &[
            ("green", o.green.to_string()),
            ("yellow", o.yellow.to_string()),
            ("red", o.red.to_string()),
            ("waiting", o.waiting_rating.to_string()),
        ],
    )
}

fn rank_line(lang: Lang, rank: usize, g: &GroupDay) -> String {
    i18n::plain(
        lang,
        "report-daily-rank",
        &[
            ("rank", rank.to_string()),
            ("group", g.name.clone()),
            ("month", g.in_month().to_string()),
            ("yesterday", g.on_day().to_string()),
            ("without", g.without().len().to_string()),
            ("open", open_line(lang, &g.open)),
        ],
    )
}

/// The workbook of a scope's report: the groups ranked, every deputy, the red items; each
/// sheet with a bold frozen header row and filters.
pub fn xlsx(groups: &[&GroupDay], title: &str, setting: &Setting) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let headers = [
        ("report-col-rank", 8.0),
        ("report-col-group", 28.0),
        ("report-daily-col-day", 12.0),
        ("report-daily-col-month", 12.0),
        ("report-daily-col-deputies", 10.0),
        ("report-daily-col-without", 12.0),
        ("report-daily-col-green", 8.0),
        ("report-daily-col-yellow", 8.0),
        ("report-daily-col-red", 8.0),
        ("report-daily-col-waiting", 12.0),
    ];
    table(sheet, setting, "report-daily-sheet-groups", title, &headers)?;
    let ranked = ranked(groups.to_vec());
    for (i, g) in ranked.iter().enumerate() {
        let r = i as u32 + 3;
        sheet.write_number(r, 0, (i + 1) as f64)?;
        sheet.write_string(r, 1, format!("{} {}", g.code, g.name))?;
        let figures = [
            g.on_day(),
            g.in_month(),
            g.deputies.len() as i64,
            g.without().len() as i64,
            g.open.green,
            g.open.yellow,
            g.open.red,
            g.open.waiting_rating,
        ];
        for (col, n) in figures.into_iter().enumerate() {
            sheet.write_number(r, col as u16 + 2, n as f64)?;
        }
    }
    sheet.autofilter(2, 0, 2 + ranked.len() as u32, headers.len() as u16 - 1)?;

    let sheet = workbook.add_worksheet();
    let headers = [
        ("report-col-group", 28.0),
        ("report-col-deputy", 16.0),
        ("report-daily-col-day", 12.0),
        ("report-daily-col-month", 12.0),
    ];
    table(
        sheet,
        setting,
        "report-daily-sheet-deputies",
        title,
        &headers,
    )?;
    let mut r = 3;
    for g in groups {
        for d in &g.deputies {
            sheet.write_string(r, 0, format!("{} {}", g.code, g.name))?;
            sheet.write_string(r, 1, &d.name)?;
            sheet.write_number(r, 2, d.yesterday as f64)?;
            sheet.write_number(r, 3, d.month as f64)?;
            r += 1;
        }
    }
    sheet.autofilter(2, 0, r - 1, headers.len() as u16 - 1)?;

    let sheet = workbook.add_worksheet();
    let headers = [
        ("report-col-group", 28.0),
        ("report-col-no", 12.0),
        ("report-col-title", 40.0),
        ("report-col-state", 12.0),
        ("report-col-deadline", 18.0),
    ];
    table(sheet, setting, "report-daily-sheet-red", title, &headers)?;
    let mut r = 3;
    for g in groups {
        for item in &g.red {
            sheet.write_string(r, 0, format!("{} {}", g.code, g.name))?;
            sheet.write_string(r, 1, item.no.to_string())?;
            sheet.write_string(r, 2, &item.title)?;
            sheet.write_string(r, 3, i18n::state_name(setting.lang, item.state))?;
            let deadline = item.deadline.map(|d| setting.rules.show(d));
            sheet.write_string(r, 4, deadline.unwrap_or_default())?;
            r += 1;
        }
    }
    sheet.autofilter(2, 0, r - 1, headers.len() as u16 - 1)?;
    workbook.save_to_buffer()
}

/// A sheet's name, the title in its first row, the bold header row (row 3) frozen with the
/// rows above it, and the column widths.
fn table(
    sheet: &mut Worksheet,
    setting: &Setting,
    name: &str,
    title: &str,
    headers: &[(&str, f64)],
) -> Result<(), XlsxError> {
    sheet.set_name(i18n::plain(setting.lang, name, &[]))?;
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, title, &bold)?;
    for (col, (key, width)) in headers.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(2, col, i18n::plain(setting.lang, key, &[]), &bold)?;
        sheet.set_column_width(col, *width)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    Ok(())
}

/// The chart of a scope's report: this month's suggestions and the deputies with none, per
/// group, for the top of the ranking, as a PNG.
pub fn chart(groups: &[&GroupDay], title: &str, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let bars: Vec<crate::charts::GroupCounts> = ranked(groups.to_vec())
        .into_iter()
        .take(super::monthly::CHART_GROUPS)
        .map(|g| crate::charts::GroupCounts {
            label: g.name.clone(),
            filed: g.in_month(),
            without: g.without().len() as i64,
        })
        .collect();
    crate::charts::counts_png(title, &bars, lang)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::{State, SuggestionNo};

    fn item(seq: u32, day: u32) -> Listed {
        let deadline = chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(2026, 3, day, 23, 59, 59)
            .unwrap()
            .to_utc();
        Listed {
            no: SuggestionNo::new(2026, seq),
            title: format!("Item {seq}"),
            state: State::Assigned,
            deadline: Some(deadline),
            filed_at: deadline,
            key: false,
            supervised: false,
        }
    }

    fn group(code: &str, red: Vec<Listed>, red_count: i64, month: i64) -> GroupDay {
        GroupDay {
            code: code.into(),
            name: format!("Group {code}"),
            deputies: vec![DeputyDay {
                group_code: code.into(),
                name: "Deputy".into(),
                yesterday: 0,
                month,
            }],
            open: GroupOpen {
                group_code: code.into(),
                group_name: format!("Group {code}"),
                red: red_count,
                ..GroupOpen::default()
            },
            red,
            reception: None,
        }
    }

    #[test]
    fn a_reception_day_says_who_attended_and_who_did_not_record_it() {
        let rules = Rules::default();
        let mut g = group("G1", vec![], 0, 1);
        let who = |name: &str, residents| Attendance {
            group_code: "G1".into(),
            deputy: name.into(),
            residents,
        };
        g.reception = Some(vec![
            who("Ann", Some(Some(4))),
            who("Bo", Some(None)),
            who("Cy", None),
        ]);
        let body = group_body(Lang::EnUs, &rules, &g);
        assert!(
            body.contains(
                "Reception day: 2 of 3 deputies attended: Ann (4 residents), Bo\nNot recorded: Cy"
            ),
            "{body}"
        );
        let org = org_body(Lang::EnUs, &rules, &[&g]);
        assert!(
            org.contains("Reception day: 2 of 3 deputies attended."),
            "{org}"
        );
        // Any other day says nothing of it.
        let quiet = group_body(Lang::EnUs, &rules, &group("G2", vec![], 0, 0));
        assert!(!quiet.contains("Reception"), "{quiet}");
    }

    #[test]
    fn a_group_lists_its_red_items_and_how_many_more() {
        let rules = Rules::default();
        let g = group("G1", vec![item(1, 2), item(2, 3)], 12, 1);
        let body = group_body(Lang::EnUs, &rules, &g);
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(
            lines[lines.len() - 4..],
            [
                "🔴 Overdue (12), listed until they move:",
                "· 2026-0001 “Item 1” — assigned, due 2026-03-02 23:59",
                "· 2026-0002 “Item 2” — assigned, due 2026-03-03 23:59",
                "· and 10 more",
            ]
        );
        // No red items, no list.
        let quiet = group_body(Lang::EnUs, &rules, &group("G2", vec![], 0, 0));
        assert!(!quiet.contains("🔴 Overdue"), "{quiet}");
    }

    #[test]
    fn an_org_ranks_its_groups_and_lists_the_oldest_red_items_of_all() {
        let rules = Rules::default();
        let late: Vec<Listed> = (10..35).map(|i| item(i, 20)).collect();
        let a = group("A", late, 25, 1);
        let b = group("B", vec![item(1, 1)], 1, 5);
        let body = org_body(Lang::EnUs, &rules, &[&a, &b]);
        let lines: Vec<&str> = body.lines().collect();
        // B filed more this month: first.
        assert!(lines[0].starts_with("1. Group B: 5 this month"), "{body}");
        assert!(lines[1].starts_with("2. Group A: 1 this month"), "{body}");
        assert_eq!(lines[2], "🔴 Overdue (26), listed until they move:");
        // The oldest first, whatever its group; 20 listed, the rest counted.
        assert!(lines[3].starts_with("· Group B: 2026-0001"), "{body}");
        assert_eq!(lines.len(), 3 + RED_PER_ORG + 1, "{body}");
        assert_eq!(lines[lines.len() - 1], "· and 6 more");
    }
}
