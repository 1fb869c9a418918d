//! `GET /board`: the watched steps as traffic lights (三色督办), with counts, filters and
//! search, oldest deadline first.
//!
//! The rows are [`crate::storage::Repository::board`], the selection of `/overdue` without
//! its cut at yellow, and each colour is [`crate::domain::Rules::colour`], the rule of
//! `/overdue`, the daily report and the reminders.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use maud::{Markup, html};

use super::app::WebApp;
use super::page::{self, document, respond, say};
use super::session::SignedIn;
use crate::domain::{Colour, Rules, State as Step};
use crate::i18n::{self, Lang};
use crate::reports::{Setting, month_period, parse_month};
use crate::storage::{ActError, BoardFilter, BoardRow};

/// The most rows one page lists; the counts cover every row.
pub const SHOWN: usize = 500;

/// The filters as the address gives them, with what did not parse.
#[derive(Debug, Default)]
struct Chosen {
    filter: BoardFilter,
    colour: Option<Colour>,
    month: Option<String>,
    /// The names of the filters whose value was not understood (and was ignored).
    not_understood: Vec<&'static str>,
}

fn choose(params: &BTreeMap<String, String>, rules: &Rules) -> Chosen {
    let mut chosen = Chosen::default();
    let value = |name: &str| params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    chosen.filter.group = value("group").map(str::to_owned);
    chosen.filter.unit = value("unit").map(str::to_owned);
    chosen.filter.category = value("category").map(str::to_owned);
    chosen.filter.search = value("q").map(str::to_owned);
    if let Some(step) = value("step") {
        match Step::WATCHED.into_iter().find(|s| s.as_str() == step) {
            Some(step) => chosen.filter.state = Some(step),
            None => chosen.not_understood.push("step"),
        }
    }
    if let Some(colour) = value("colour") {
        match [Colour::Red, Colour::Yellow, Colour::Green]
            .into_iter()
            .find(|c| c.as_str() == colour)
        {
            Some(colour) => chosen.colour = Some(colour),
            None => chosen.not_understood.push("colour"),
        }
    }
    if let Some(month) = value("month") {
        match parse_month(month) {
            Some(ym) => {
                chosen.filter.filed = Some(month_period(rules.tz, ym));
                chosen.month = Some(month.to_owned());
            }
            None => chosen.not_understood.push("month"),
        }
    }
    chosen
}

/// A row with its colour at `now` (`None`: a step without a deadline).
struct Lit<'a> {
    row: &'a BoardRow,
    colour: Option<Colour>,
}

pub(super) async fn page(
    State(app): State<Arc<WebApp>>,
    who: SignedIn,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let lang = who.lang;
    let rules = &app.policy.rules;
    let now = app.clock.now();
    let chosen = choose(&params, rules);
    let whom = crate::storage::Who::Person(who.person);
    let rows = match app.repo.board(whom, &chosen.filter).await {
        Ok(rows) => rows,
        Err(ActError::Store(e)) => return page::internal(lang, &e),
        Err(refused) => {
            let why = (refused.key(), refused.args());
            return page::forbidden(lang, "web-board-title", why, who.header());
        }
    };
    // The filters offer what the whole board holds, not only what is shown now.
    let everything = if chosen.filter == BoardFilter::default() {
        None
    } else {
        match app.repo.board(whom, &BoardFilter::default()).await {
            Ok(rows) => Some(rows),
            Err(e) => return page::internal(lang, &e),
        }
    };
    let lit: Vec<Lit<'_>> = rows
        .iter()
        .map(|row| Lit {
            row,
            colour: row.listed.deadline.map(|d| rules.colour(d, now)),
        })
        .collect();
    let count = |c: Colour| lit.iter().filter(|l| l.colour == Some(c)).count();
    let counts = [
        (Colour::Red, count(Colour::Red)),
        (Colour::Yellow, count(Colour::Yellow)),
        (Colour::Green, count(Colour::Green)),
    ];
    let shown: Vec<&Lit<'_>> = lit
        .iter()
        .filter(|l| chosen.colour.is_none() || l.colour == chosen.colour)
        .collect();
    let setting = Setting::from_config(&app.config, lang, now);
    let options = everything.as_deref().unwrap_or(&rows);
    let body = html! {
        @for name in &chosen.not_understood {
            p.refused { (say(lang, "web-filter-not-understood", &[("filter", say(lang, &format!("web-filter-{name}"), &[]))])) }
        }
        (count_links(lang, &params, &counts, chosen.colour))
        (filters(lang, &params, options, &setting))
        p.meta {
            (say(lang, "web-board-shown", &[("shown", shown.len().min(SHOWN).to_string()), ("total", shown.len().to_string())]))
        }
        @if shown.is_empty() {
            p.message { (say(lang, "web-board-empty", &[])) }
        } @else {
            table.board {
                thead { tr {
                    th { (say(lang, "web-col-light", &[])) }
                    th { (say(lang, "web-col-no", &[])) }
                    th { (say(lang, "web-col-title", &[])) }
                    th { (say(lang, "web-col-group", &[])) }
                    th { (say(lang, "web-col-unit", &[])) }
                    th { (say(lang, "web-col-step", &[])) }
                    th { (say(lang, "web-col-deadline", &[])) }
                } }
                tbody {
                    @for l in shown.iter().take(SHOWN) {
                        (board_row(lang, rules, now, l))
                    }
                }
            }
        }
    };
    let title = say(lang, "web-board-title", &[]);
    respond(
        StatusCode::OK,
        document(lang, &title, Some(who.header()), body),
    )
}

/// The colour's class, shape and word: never the colour alone.
pub(super) fn light(lang: Lang, colour: Option<Colour>, detail: &str) -> Markup {
    let class = colour.map(Colour::as_str).unwrap_or("none");
    let word = colour.map(|c| i18n::html_to_plain(&i18n::colour_name(lang, c)));
    html! {
        span class={ "light " (class) } {
            @if let Some(word) = word { (word) }
            @if !detail.is_empty() { " · " (detail) }
        }
    }
}

/// "3 days left", "last day", "2 days overdue".
pub(super) fn days(
    lang: Lang,
    rules: &Rules,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> String {
    let left = rules.days_left(deadline, now);
    if now > deadline {
        say(
            lang,
            "web-days-overdue",
            &[("days", (-left).max(0).to_string())],
        )
    } else {
        say(lang, "web-days-left", &[("days", left.to_string())])
    }
}

fn board_row(lang: Lang, rules: &Rules, now: DateTime<Utc>, l: &Lit<'_>) -> Markup {
    let row = l.row;
    let listed = &row.listed;
    let class = l.colour.map(Colour::as_str).unwrap_or("none");
    let detail = listed
        .deadline
        .map(|d| days(lang, rules, d, now))
        .unwrap_or_default();
    html! {
        tr class=(class) {
            td data-label=(say(lang, "web-col-light", &[])) { (light(lang, l.colour, &detail)) }
            td data-label=(say(lang, "web-col-no", &[])) { a href={ "/s/" (listed.no) } { (listed.no) } }
            td data-label=(say(lang, "web-col-title", &[])) {
                (listed.title)
                @if listed.key { " " span.meta { (say(lang, "web-flag-key", &[])) } }
                @if listed.supervised { " " span.meta { (say(lang, "web-flag-supervised", &[])) } }
            }
            td data-label=(say(lang, "web-col-group", &[])) { (row.group_name) }
            td data-label=(say(lang, "web-col-unit", &[])) {
                @match &row.unit { Some((_, name)) => (name), None => "—" }
            }
            td data-label=(say(lang, "web-col-step", &[])) { (i18n::html_to_plain(&i18n::state_name(lang, listed.state))) }
            td data-label=(say(lang, "web-col-deadline", &[])) {
                @match listed.deadline { Some(d) => (rules.show(d)), None => "—" }
            }
        }
    }
}

/// The counts by colour, each a link that shows only that colour (again: all of them).
fn count_links(
    lang: Lang,
    params: &BTreeMap<String, String>,
    counts: &[(Colour, usize)],
    chosen: Option<Colour>,
) -> Markup {
    html! {
        div.counts {
            @for (colour, n) in counts {
                @let on = chosen == Some(*colour);
                @let href = with_param(params, "colour", if on { None } else { Some(colour.as_str()) });
                a class=@if on { "on" } href=(href) {
                    (light(lang, Some(*colour), &n.to_string()))
                }
            }
        }
    }
}

/// The board's address with one parameter set (or removed) and the others kept.
fn with_param(params: &BTreeMap<String, String>, name: &str, value: Option<&str>) -> String {
    let mut params = params.clone();
    match value {
        Some(v) => params.insert(name.to_owned(), v.to_owned()),
        None => params.remove(name),
    };
    let query: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    if query.is_empty() {
        "/board".into()
    } else {
        format!("/board?{}", query.join("&"))
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
pub(super) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn filters(
    lang: Lang,
    params: &BTreeMap<String, String>,
    rows: &[BoardRow],
    setting: &Setting,
) -> Markup {
    let current = |name: &str| params.get(name).cloned().unwrap_or_default();
    let mut groups: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.group_code.as_str(), r.group_name.as_str()))
        .collect();
    groups.sort();
    groups.dedup();
    let mut units: Vec<(&str, &str)> = rows
        .iter()
        .filter_map(|r| r.unit.as_ref().map(|(c, n)| (c.as_str(), n.as_str())))
        .collect();
    units.sort();
    units.dedup();
    let mut categories: Vec<&str> = rows.iter().map(|r| r.category.as_str()).collect();
    categories.sort();
    categories.dedup();
    let select = |name: &'static str, options: Vec<(String, String)>| {
        let chosen = current(name);
        html! {
            label {
                (say(lang, &format!("web-filter-{name}"), &[]))
                select name=(name) {
                    option value="" { (say(lang, "web-filter-all", &[])) }
                    @for (value, label) in options {
                        option value=(value) selected[value == chosen] { (label) }
                    }
                }
            }
        }
    };
    html! {
        form.filters method="get" action="/board" {
            @if let Some(colour) = params.get("colour") { input type="hidden" name="colour" value=(colour); }
            (select("group", groups.iter().map(|(c, n)| (c.to_string(), format!("{n} ({c})"))).collect()))
            (select("unit", units.iter().map(|(c, n)| (c.to_string(), format!("{n} ({c})"))).collect()))
            (select("step", Step::WATCHED.iter().map(|s| (s.as_str().to_owned(), i18n::html_to_plain(&i18n::state_name(lang, *s)))).collect()))
            (select("category", categories.iter().map(|c| (c.to_string(), setting.category(c))).collect()))
            label {
                (say(lang, "web-filter-month", &[]))
                input type="month" name="month" value=(current("month")) placeholder="2026-11";
            }
            label {
                (say(lang, "web-filter-q", &[]))
                input type="search" name="q" value=(current("q")) placeholder=(say(lang, "web-filter-q-hint", &[]));
            }
            button type="submit" { (say(lang, "web-filter-apply", &[])) }
            a href="/board" { (say(lang, "web-filter-clear", &[])) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_that_do_not_parse_are_named_and_ignored() {
        let rules = Rules::default();
        let params: BTreeMap<String, String> = [
            ("step", "closed"),
            ("colour", "purple"),
            ("month", "2026-13"),
            ("group", " G01 "),
            ("q", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let chosen = choose(&params, &rules);
        assert_eq!(chosen.not_understood, ["step", "colour", "month"]);
        assert_eq!(chosen.filter.group.as_deref(), Some("G01"));
        assert_eq!(chosen.filter.search, None);
        assert_eq!(chosen.filter.state, None);
        assert_eq!(chosen.colour, None);
    }

    #[test]
    fn a_colour_link_keeps_the_other_filters() {
        let params: BTreeMap<String, String> = [("unit", "U 1&2"), ("colour", "red")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(
            with_param(&params, "colour", Some("yellow")),
            "/board?colour=yellow&unit=U%201%262"
        );
        assert_eq!(with_param(&params, "colour", None), "/board?unit=U%201%262");
        assert_eq!(with_param(&BTreeMap::new(), "colour", None), "/board");
    }
}
