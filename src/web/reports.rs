//! `/reports`: a month's figures of an org for the people who supervise it (clerks,
//! secretaries, chairs, admins), the groups' chart and the downloads: the ledger (台账) as
//! .xlsx or CSV and the monthly workbook.
//!
//! Everything is what `minyi report monthly` and `minyi export ledger` make, from the same
//! calls: [`crate::storage::Repository::monthly_stats`] and
//! [`crate::storage::Repository::ledger_rows`] over [`month_period`], rendered by
//! [`crate::reports::monthly`] and, streamed, by [`crate::reports::export`]. A person sees
//! only the orgs of their supervising roles; any other org answers 404, as an unknown one
//! does.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Months, NaiveDate};
use maud::{Markup, html};

use super::app::WebApp;
use super::board::encode;
use super::page::{self, document, respond, say};
use super::session::SignedIn;
use crate::domain::permissions::roles_for;
use crate::domain::{ActionKind, Refusal};
use crate::i18n::{self, Lang};
use crate::reports::export::{self, LedgerFile};
use crate::reports::{Setting, month_period, monthly, parse_month, rate, this_month};
use crate::storage::{MonthlyStats, PersonCard, StoreError};

/// A month as the page and the files name it: `2026-11`.
type Month = (i32, u32);

// The years a month may have: four digits, as `YYYY-MM` says (a larger year would pass
// `parse_month` and overflow the month's end).
use crate::reports::YEARS;

/// The orgs of the person's supervising roles (the scope codes), in roster order, each once.
fn supervised_orgs(card: &PersonCard) -> Vec<String> {
    let supervising: Vec<_> = roles_for(ActionKind::Supervise).collect();
    let mut orgs: Vec<String> = Vec::new();
    for (role, scope) in &card.roles {
        if supervising.contains(role) && !orgs.contains(scope) {
            orgs.push(scope.clone());
        }
    }
    orgs
}

/// What the address asks for, once it is known to be one of the person's orgs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Asked {
    org: String,
    month: Month,
    /// The `month` given that was not a month (this month is shown instead).
    bad_month: Option<String>,
}

/// The org and month of `?org=…&month=…`: the org must be one of `orgs` (none given: the
/// first); a month that does not parse is named and `current` taken. `None`: not their org.
fn ask(params: &BTreeMap<String, String>, orgs: &[String], current: Month) -> Option<Asked> {
    let value = |name: &str| params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let org = match value("org") {
        Some(code) => orgs.iter().find(|o| *o == code)?,
        None => orgs.first()?,
    };
    let (month, bad_month) = match value("month") {
        None => (current, None),
        Some(text) => match parse_month(text).filter(|(y, _)| YEARS.contains(y)) {
            Some(month) => (month, None),
            None => (current, Some(text.to_owned())),
        },
    };
    Some(Asked {
        org: org.clone(),
        month,
        bad_month,
    })
}

/// Why a person gets no report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Denied {
    /// No supervising role: 403 with the chat's refusal.
    NotYourRole,
    /// Not one of their orgs: 404, as an unknown org.
    NotTheirs,
}

/// The person's orgs and what they asked for, or why they may not have it.
fn checked(
    app: &WebApp,
    who: &SignedIn,
    params: &BTreeMap<String, String>,
) -> Result<(Vec<String>, Asked), Denied> {
    let orgs = supervised_orgs(&who.card);
    if orgs.is_empty() {
        return Err(Denied::NotYourRole);
    }
    let current = this_month(app.policy.rules.tz, app.clock.now());
    match ask(params, &orgs, current) {
        Some(asked) => Ok((orgs, asked)),
        None => Err(Denied::NotTheirs),
    }
}

fn denied(who: &SignedIn, denied: Denied) -> Response {
    let lang = who.lang;
    match denied {
        Denied::NotYourRole => {
            let refusal = Refusal::NotYourRole;
            let why = (refusal.key(), refusal.args());
            page::forbidden(lang, "web-reports-title", why, who.header())
        }
        Denied::NotTheirs => page::not_found(lang, Some(who.header())),
    }
}

fn show_month((year, month): Month) -> String {
    format!("{year}-{month:02}")
}

/// The month before (`-1`) or after (`1`) this one, if it is within [`YEARS`].
fn next_to((year, month): Month, by: i32) -> Option<Month> {
    use chrono::Datelike;
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let other = match by < 0 {
        true => first.checked_sub_months(Months::new(1))?,
        false => first.checked_add_months(Months::new(1))?,
    };
    Some((other.year(), other.month())).filter(|(y, _)| YEARS.contains(y))
}

/// A path of this page or its files for an org and a month.
fn href(path: &str, org: &str, month: Month) -> String {
    format!("{path}?month={}&org={}", show_month(month), encode(org))
}

/// `GET /reports`: the month's figures, the chart, the downloads and the form to pick
/// another month or org.
pub(super) async fn page(
    State(app): State<Arc<WebApp>>,
    who: SignedIn,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let lang = who.lang;
    let (orgs, asked) = match checked(&app, &who, &params) {
        Ok(checked) => checked,
        Err(refused) => return denied(&who, refused),
    };
    let now = app.clock.now();
    let (from, to) = month_period(app.policy.rules.tz, asked.month);
    let stats = match app
        .repo
        .monthly_stats(Some(&asked.org), from, to, now)
        .await
    {
        Ok(stats) => stats,
        Err(StoreError::UnknownOrg(_)) => return page::not_found(lang, Some(who.header())),
        Err(e) => return page::internal(lang, &e),
    };
    let mut named = Vec::with_capacity(orgs.len());
    for code in &orgs {
        let name = match app.repo.org_groups(Some(code)).await {
            Ok(scope) => scope.org.map(|(_, name)| name),
            Err(StoreError::UnknownOrg(_)) => None,
            Err(e) => return page::internal(lang, &e),
        };
        named.push((code.clone(), name.unwrap_or_else(|| code.clone())));
    }
    let setting = Setting::from_config(&app.config, lang, now);
    let body = html! {
        @if let Some(bad) = &asked.bad_month {
            p.refused { (say(lang, "web-reports-bad-month", &[("month", bad.clone())])) }
        }
        (picker(lang, &named, &asked))
        h2 { (i18n::html_to_plain(&monthly::title(&stats, asked.month, &setting))) }
        (neighbours(lang, &asked))
        p.meta { (say(lang, "web-reports-note", &[])) }
        @if stats.totals.received == 0 {
            p.message { (say(lang, "report-no-suggestions", &[])) }
        } @else {
            (figures(lang, &stats, &setting))
            img.chart src=(href("/reports/chart.png", &asked.org, asked.month))
                alt=(say(lang, "web-reports-chart-alt", &[]));
            @if stats.groups.len() > monthly::CHART_GROUPS {
                p.meta { (say(lang, "web-reports-chart-top", &[("count", monthly::CHART_GROUPS.to_string())])) }
            }
        }
        (downloads(lang, &asked))
    };
    let title = say(lang, "web-reports-title", &[]);
    respond(
        StatusCode::OK,
        document(lang, &title, Some(who.header()), body),
    )
}

/// The form that picks the org and the month.
fn picker(lang: Lang, orgs: &[(String, String)], asked: &Asked) -> Markup {
    html! {
        form.filters method="get" action="/reports" {
            label {
                (say(lang, "web-reports-org", &[]))
                select name="org" {
                    @for (code, name) in orgs {
                        option value=(code) selected[*code == asked.org] { (name) " (" (code) ")" }
                    }
                }
            }
            label {
                (say(lang, "web-reports-month", &[]))
                input type="month" name="month" value=(show_month(asked.month)) placeholder="2026-11";
            }
            button type="submit" { (say(lang, "web-reports-show", &[])) }
        }
    }
}

/// Links to the month before and the month after.
fn neighbours(lang: Lang, asked: &Asked) -> Markup {
    let link = |by: i32, key: &str| {
        next_to(asked.month, by).map(|month| {
            let text = say(lang, key, &[("month", show_month(month))]);
            (href("/reports", &asked.org, month), text)
        })
    };
    html! {
        div.pages {
            @if let Some((href, text)) = link(-1, "web-reports-previous") { a href=(href) { (text) } }
            @if let Some((href, text)) = link(1, "web-reports-next") { a href=(href) { (text) } }
        }
    }
}

/// The figures of the monthly report: the totals with their rates, the categories and the
/// group ranking, as tables.
fn figures(lang: Lang, stats: &MonthlyStats, setting: &Setting) -> Markup {
    html! {
        table.figures {
            tbody {
                @for (key, figure) in monthly::figures(&stats.totals) {
                    tr { th scope="row" { (say(lang, key, &[])) } td { (figure.with_counts(lang)) } }
                }
            }
        }
        h2 { (say(lang, "report-categories", &[])) }
        table.categories {
            thead { tr {
                th { (say(lang, "report-col-category", &[])) }
                th { (say(lang, "report-received", &[])) }
            } }
            tbody {
                @for (code, count) in &stats.categories {
                    tr { td { (setting.category(code)) } td { (count) } }
                }
            }
        }
        h2 { (say(lang, "report-ranking", &[])) }
        table.ranking {
            thead { tr { @for key in monthly::RANKING_COLUMNS { th { (say(lang, key, &[])) } } } }
            tbody {
                @for (i, g) in monthly::ranking(&stats.groups).into_iter().enumerate() {
                    tr {
                        td { (i + 1) }
                        td { (g.name) " (" (g.code) ")" }
                        td { (g.received) }
                        td { (g.assigned) }
                        td { (g.closed) }
                        td { (rate(g.closed, g.assigned)) }
                        td { (rate(g.satisfied, g.rated)) }
                    }
                }
            }
        }
    }
}

fn downloads(lang: Lang, asked: &Asked) -> Markup {
    html! {
        h2 { (say(lang, "web-reports-downloads", &[])) }
        ul.downloads {
            @for file in File::ALL {
                li { a href=(href(file.path(), &asked.org, asked.month)) { (say(lang, file.label(), &[])) } }
            }
        }
    }
}

/// The files of `/reports/…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum File {
    /// The groups' completion and satisfaction rates (`minyi report monthly --format png`).
    Chart,
    /// The ledger alone (`minyi export ledger -o FILE.xlsx`).
    LedgerXlsx,
    /// The ledger as CSV (`minyi export ledger -o FILE.csv`).
    LedgerCsv,
    /// The ledger sheet and the summary sheet (`minyi report monthly --format xlsx`).
    Monthly,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl File {
    const ALL: [File; 4] = [
        File::Monthly,
        File::LedgerXlsx,
        File::LedgerCsv,
        File::Chart,
    ];

    fn path(self) -> &'static str {
        match self {
            File::Chart => "/reports/chart.png",
            File::LedgerXlsx => "/reports/ledger.xlsx",
            File::LedgerCsv => "/reports/ledger.csv",
            File::Monthly => "/reports/monthly.xlsx",
        }
    }

    fn label(self) -> &'static str {
        match self {
            File::Chart => "web-reports-chart-png",
            File::LedgerXlsx => "web-reports-ledger-xlsx",
            File::LedgerCsv => "web-reports-ledger-csv",
            File::Monthly => "web-reports-monthly-xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            File::Chart => "image/png",
            File::LedgerXlsx | File::Monthly => XLSX,
            File::LedgerCsv => "text/csv; charset=utf-8",
        }
    }

    /// The name the file is saved under: `ledger-T1-2026-11.xlsx`, the org's code kept to
    /// characters a header and a file system take as they are.
    fn name(self, org: &str, month: Month) -> String {
        let org: String = org
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let file = self.path().trim_start_matches("/reports/");
        let (stem, extension) = file.split_once('.').unwrap_or((file, ""));
        format!("{stem}-{org}-{}.{extension}", show_month(month))
    }

    /// The file's bytes, made off the async threads (a chart or a big ledger takes a while);
    /// the ledger's rows stream into it (see [`export::export`]).
    async fn make(self, app: &WebApp, asked: &Asked, setting: Setting) -> anyhow::Result<Vec<u8>> {
        let (from, to) = month_period(setting.rules.tz, asked.month);
        let org = Some(asked.org.as_str());
        let month = asked.month;
        let file = match self {
            File::Chart => {
                let stats = app.repo.monthly_stats(org, from, to, setting.now).await?;
                return tokio::task::spawn_blocking(move || {
                    monthly::chart(&stats, month, &setting)
                })
                .await?;
            }
            File::LedgerXlsx => LedgerFile::Xlsx,
            File::LedgerCsv => LedgerFile::Csv,
            File::Monthly => {
                let stats = app.repo.monthly_stats(org, from, to, setting.now).await?;
                LedgerFile::Monthly(Box::new(stats), month)
            }
        };
        let rows = app.repo.ledger_rows(org, from, to);
        let (_, bytes) = export::export(rows, file, setting, || Ok(Vec::new())).await?;
        Ok(bytes)
    }
}

/// A file of `/reports/…` for an org and a month: checked as the page is, except that a
/// month that is not one is refused (400), not replaced: a file names its month.
async fn download(
    app: &WebApp,
    who: &SignedIn,
    params: &BTreeMap<String, String>,
    file: File,
) -> Response {
    let lang = who.lang;
    let asked = match checked(app, who, params) {
        Ok((_, asked)) => asked,
        Err(refused) => return denied(who, refused),
    };
    if let Some(bad) = &asked.bad_month {
        let text = say(lang, "web-reports-not-a-month", &[("month", bad.clone())]);
        return page::message(
            lang,
            StatusCode::BAD_REQUEST,
            "web-reports-title",
            &text,
            Some(who.header()),
        );
    }
    let setting = Setting::from_config(&app.config, lang, app.clock.now());
    let bytes = match file.make(app, &asked, setting).await {
        Ok(bytes) => bytes,
        Err(e) => return page::internal(lang, &e),
    };
    let disposition = format!(
        "attachment; filename=\"{}\"",
        file.name(&asked.org, asked.month)
    );
    let disposition = HeaderValue::from_str(&disposition)
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(file.content_type()),
        ),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    let mut response = (headers, bytes).into_response();
    page::protect(&mut response);
    response
}

/// `GET /reports/chart.png`.
pub(super) async fn chart(
    State(app): State<Arc<WebApp>>,
    who: SignedIn,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    download(&app, &who, &params, File::Chart).await
}

/// `GET /reports/ledger.xlsx`.
pub(super) async fn ledger_xlsx(
    State(app): State<Arc<WebApp>>,
    who: SignedIn,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    download(&app, &who, &params, File::LedgerXlsx).await
}

/// `GET /reports/ledger.csv`.
pub(super) async fn ledger_csv(
    State(app): State<Arc<WebApp>>,
    who: SignedIn,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    download(&app, &who, &params, File::LedgerCsv).await
}

/// `GET /reports/monthly.xlsx`.
pub(super) async fn monthly_xlsx(
    State(app): State<Arc<WebApp>>,
    who: SignedIn,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    download(&app, &who, &params, File::Monthly).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PersonId, Role};

    fn card(roles: &[(Role, &str)]) -> PersonCard {
        PersonCard {
            id: PersonId(1),
            code: "P1".into(),
            name: "Person".into(),
            roles: roles.iter().map(|(r, s)| (*r, s.to_string())).collect(),
        }
    }

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn only_supervising_roles_give_orgs_each_once_in_roster_order() {
        let roles = [
            (Role::Deputy, "G1"),
            (Role::Secretary, "T2"),
            (Role::Clerk, "T1"),
            (Role::Unit, "U1"),
            (Role::Chair, "T2"),
            (Role::Admin, "C"),
        ];
        assert_eq!(supervised_orgs(&card(&roles)), ["T2", "T1", "C"]);
        let others = [
            (Role::Deputy, "G1"),
            (Role::Leader, "G1"),
            (Role::Unit, "U1"),
        ];
        assert!(supervised_orgs(&card(&others)).is_empty());
    }

    #[test]
    fn the_org_is_one_of_theirs_and_a_bad_month_is_named_and_replaced() {
        let orgs = ["T1".to_string(), "T2".to_string()];
        let now = (2026, 11);
        let first = ask(&params(&[]), &orgs, now).unwrap();
        assert_eq!((first.org.as_str(), first.month), ("T1", now));
        let asked = ask(
            &params(&[("org", " T2 "), ("month", "2026-03")]),
            &orgs,
            now,
        )
        .unwrap();
        assert_eq!((asked.org.as_str(), asked.month), ("T2", (2026, 3)));
        assert_eq!(ask(&params(&[("org", "C")]), &orgs, now), None);
        assert_eq!(ask(&params(&[]), &[], now), None);
        for bad in ["2026-13", "March", "262143-12", "0999-01"] {
            let asked = ask(&params(&[("month", bad)]), &orgs, now).unwrap();
            assert_eq!(asked.month, now, "{bad}");
            assert_eq!(asked.bad_month.as_deref(), Some(bad));
        }
        let empty = ask(&params(&[("month", ""), ("org", "")]), &orgs, now).unwrap();
        assert_eq!((empty.org.as_str(), empty.bad_month), ("T1", None));
    }

    #[test]
    fn months_next_to_each_other_cross_years_and_stay_four_digits() {
        assert_eq!(next_to((2026, 1), -1), Some((2025, 12)));
        assert_eq!(next_to((2026, 12), 1), Some((2027, 1)));
        assert_eq!(next_to((9999, 12), 1), None);
        assert_eq!(next_to((1000, 1), -1), None);
    }

    #[test]
    fn files_are_named_by_org_and_month_and_links_carry_both() {
        assert_eq!(
            File::LedgerXlsx.name("T1", (2026, 11)),
            "ledger-T1-2026-11.xlsx"
        );
        assert_eq!(
            File::LedgerCsv.name("T1", (2026, 3)),
            "ledger-T1-2026-03.csv"
        );
        assert_eq!(
            File::Monthly.name("街道 1", (2026, 3)),
            "monthly-___1-2026-03.xlsx"
        );
        assert_eq!(File::Chart.name("C", (2026, 3)), "chart-C-2026-03.png");
        assert_eq!(
            href("/reports/chart.png", "T 1", (2026, 3)),
            "/reports/chart.png?month=2026-03&org=T%201"
        );
    }
}
