//! `GET /record/{code}?year=YYYY`: a deputy's performance file (履职档案) of a year, as
//! `/record` shows it in chat and `minyi report deputies` writes it: the figures, the
//! reception days attended and the reports to voters.
//!
//! The file is [`crate::storage::Repository::deputy_record`], which checks the permission
//! table: a deputy reads their own, a clerk or chair any deputy below their org. Any other
//! file answers 404, as an unknown code does, so codes leak nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use maud::{Markup, html};

use super::app::WebApp;
use super::board::encode;
use super::page::{self, document, listed, respond, say};
use super::session::SignedIn;
use crate::domain::permissions::roles_for;
use crate::domain::{ActionKind, Role};
use crate::i18n::Lang;
use crate::reports::{Setting, YEARS, deputies, parse_year, year_period};
use crate::storage::{ActError, DeputyRecord, PersonCard, Who};

/// Whether a page links a deputy's name to their record: it is the person's own, or the
/// person holds a role that reads other deputies' files (a clerk's or a chair's). The record
/// page checks the org; the page with the link was already theirs to see.
pub(super) fn linked(card: &PersonCard, deputy_code: &str) -> bool {
    card.code == deputy_code
        || card.roles.iter().any(|(role, _)| {
            *role != Role::Deputy && roles_for(ActionKind::Record).any(|r| r == *role)
        })
}

/// The address of a deputy's record, of a year or (none) of this year.
pub(super) fn href(code: &str, year: Option<i32>) -> String {
    match year {
        Some(year) => format!("/record/{}?year={year}", encode(code)),
        None => format!("/record/{}", encode(code)),
    }
}

pub(super) async fn page(
    State(app): State<Arc<WebApp>>,
    who: SignedIn,
    Path(code): Path<String>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let lang = who.lang;
    let now = app.clock.now();
    let rules = &app.policy.rules;
    let asked = params
        .get("year")
        .map(|y| y.trim())
        .filter(|y| !y.is_empty());
    let this_year = rules.local_date(now).year();
    let (year, bad_year) = match asked.map(|y| (y, parse_year(y))) {
        None => (this_year, None),
        Some((_, Some(year))) => (year, None),
        Some((text, None)) => (this_year, Some(text.to_owned())),
    };
    let (period, days) = year_period(rules, year);
    let file = match app
        .repo
        .deputy_record(Who::Person(who.person), Some(&code), period, days)
        .await
    {
        Ok(file) => file,
        Err(ActError::Store(e)) => return page::internal(lang, &e),
        Err(_) => return page::not_found(lang, Some(who.header())),
    };
    let setting = Setting::from_config(&app.config, lang, now);
    let body = html! {
        @if let Some(bad) = &bad_year {
            p.refused { (say(lang, "web-record-bad-year", &[("year", bad.clone())])) }
        }
        (neighbours(lang, &file.code, year))
        (figures(lang, &file, &setting))
        h2 { (say(lang, "report-year-col-receptions", &[])) }
        @if file.receptions.is_empty() {
            p.meta { (say(lang, "web-record-none", &[])) }
        } @else {
            table.receptions {
                thead { tr {
                    th { (say(lang, "report-year-col-date", &[])) }
                    th { (say(lang, "report-year-col-residents", &[])) }
                    th { (say(lang, "report-year-col-note", &[])) }
                } }
                tbody {
                    @for r in &file.receptions {
                        tr {
                            td { (r.day) }
                            td { @match r.residents { Some(n) => (n), None => "—" } }
                            td { (r.note) }
                        }
                    }
                }
            }
        }
        h2 { (say(lang, "report-year-col-voter-reports", &[])) }
        @if file.voter_reports.is_empty() {
            p.meta { (say(lang, "web-record-none", &[])) }
        } @else {
            table.voter-reports {
                thead { tr {
                    th { (say(lang, "report-year-col-date", &[])) }
                    th { (say(lang, "report-year-col-place", &[])) }
                    th { (say(lang, "web-record-voters", &[])) }
                    th { (say(lang, "web-record-evaluation", &[])) }
                } }
                tbody {
                    @for v in &file.voter_reports {
                        tr {
                            td { (v.day) }
                            td { (v.place) }
                            td { (v.voters) }
                            td { (v.evaluation.as_deref().unwrap_or("—")) }
                        }
                    }
                }
            }
        }
    };
    let title_args = [
        ("name", file.name.clone()),
        ("code", file.code.clone()),
        ("year", year.to_string()),
    ];
    let title = say(lang, "web-record-title", &title_args);
    respond(
        StatusCode::OK,
        document(lang, &title, Some(who.header()), body),
    )
}

/// Links to the year before and the year after.
fn neighbours(lang: Lang, code: &str, year: i32) -> Markup {
    let link = |other: i32, key: &str| {
        YEARS.contains(&other).then(|| {
            let text = say(lang, key, &[("year", other.to_string())]);
            (href(code, Some(other)), text)
        })
    };
    html! {
        div.pages {
            @if let Some((href, text)) = link(year - 1, "web-record-previous") { a href=(href) { (text) } }
            @if let Some((href, text)) = link(year + 1, "web-record-next") { a href=(href) { (text) } }
        }
    }
}

/// The file's figures: the groups, the suggestions filed by category, then every count of
/// the deputies' workbook, with the same names.
fn figures(lang: Lang, file: &DeputyRecord, setting: &Setting) -> Markup {
    let categories: Vec<String> = (file.by_category.iter())
        .map(|(code, n)| format!("{} {n}", setting.category(code)))
        .collect();
    html! {
        table.figures {
            tbody {
                tr {
                    th scope="row" { (say(lang, "report-year-col-groups", &[])) }
                    td { (listed(lang, &file.groups)) }
                }
                tr {
                    th scope="row" { (say(lang, deputies::FILED.0, &[])) }
                    td {
                        ((deputies::FILED.1)(file))
                        @if !categories.is_empty() { " (" (listed(lang, &categories)) ")" }
                    }
                }
                @for (key, read) in deputies::FIGURES {
                    tr { th scope="row" { (say(lang, key, &[])) } td { (read(file)) } }
                }
            }
        }
    }
}
