//! The public wall (回音壁): `/wall/{org}` lists the closed suggestions of an org's groups
//! (its whole subtree), last closed first, 20 a page, searchable; `/wall/{org}/{no}` is one
//! entry's stable address (a QR poster may point there). No sign-in.
//!
//! Only orgs listed in `[web] public_wall` have a wall; any other code answers 404, as an
//! unknown one does. An entry shows the deputy's filing, the deputy's name (deputies' work
//! is public), the units, the unit's reply and the rating, and nothing else: never a
//! resident, nor what a clerk or unit wrote outside the reply (see
//! [`crate::storage::WallEntry`]). A suggestion adopted from a resident's request shows its
//! title only: its text is the resident's own words, which may name them.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};

use super::app::WebApp;
use super::board::encode;
use super::page::{self, document, listed, respond, say};
use crate::domain::SuggestionNo;
use crate::i18n::{self, Lang};
use crate::reports::Setting;
use crate::storage::{StoreError, WallEntry};

/// Entries a page.
pub const PAGE: i64 = 20;

/// The wall's language: `?lang=` if it names one, else the deployment's.
fn lang_of(app: &WebApp, query: &HashMap<String, String>) -> Lang {
    query
        .get("lang")
        .and_then(|l| Lang::parse(l))
        .unwrap_or(app.config.default_lang)
}

/// The org's name if it has a wall; else the page to answer (404, as for an unknown org).
async fn wall_org(app: &WebApp, org: &str, lang: Lang) -> Result<String, Response> {
    if !app.config.web.public_wall.iter().any(|code| code == org) {
        return Err(page::not_found(lang, None));
    }
    match app.repo.org_groups(Some(org)).await {
        Ok(groups) => groups
            .org
            .map(|(_, name)| name)
            .ok_or_else(|| page::not_found(lang, None)),
        Err(StoreError::UnknownOrg(_)) => Err(page::not_found(lang, None)),
        Err(e) => Err(page::internal(lang, &e)),
    }
}

pub(super) async fn page(
    State(app): State<Arc<WebApp>>,
    Path(org): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&app, &query);
    let name = match wall_org(&app, &org, lang).await {
        Ok(name) => name,
        Err(response) => return response,
    };
    let words: Vec<String> = query
        .get("q")
        .map(|q| q.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    let number: i64 = query
        .get("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let wall = match app
        .repo
        .wall(&org, &words, None, (number - 1) * PAGE, PAGE)
        .await
    {
        Ok(wall) => wall,
        Err(e) => return page::internal(lang, &e),
    };
    let setting = Setting::from_config(&app.config, lang, app.clock.now());
    let pages = (wall.total + PAGE - 1) / PAGE;
    let link = |to: i64| {
        let mut href = format!("/wall/{org}?page={to}&lang={}", lang.as_str());
        if !words.is_empty() {
            href.push_str("&q=");
            href.push_str(&encode(&words.join(" ")));
        }
        href
    };
    let body = html! {
        form.filters method="get" action={ "/wall/" (org) } {
            input type="hidden" name="lang" value=(lang.as_str());
            label {
                (say(lang, "web-filter-q", &[]))
                input type="search" name="q" value=(words.join(" "));
            }
            button type="submit" { (say(lang, "web-filter-apply", &[])) }
            a href={ "/wall/" (org) "?lang=" (other(lang).as_str()) } { (say(lang, "web-other-lang", &[])) }
        }
        p.meta { (say(lang, "web-wall-count", &[("total", wall.total.to_string())])) }
        @if wall.rows.is_empty() {
            p.message { (say(lang, "web-wall-empty", &[])) }
        }
        div.wall {
            @for entry in &wall.rows { (article(lang, &app, &org, entry, &setting)) }
        }
        @if pages > 1 {
            div.pages {
                @if number > 1 { a href=(link(number - 1)) { (say(lang, "web-page-previous", &[])) } }
                span { (say(lang, "web-page-of", &[("page", number.to_string()), ("pages", pages.to_string())])) }
                @if number < pages { a href=(link(number + 1)) { (say(lang, "web-page-next", &[])) } }
            }
        }
    };
    let title = say(lang, "web-wall-title", &[("org", name)]);
    respond(StatusCode::OK, document(lang, &title, None, body))
}

pub(super) async fn entry(
    State(app): State<Arc<WebApp>>,
    Path((org, no)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&app, &query);
    let name = match wall_org(&app, &org, lang).await {
        Ok(name) => name,
        Err(response) => return response,
    };
    let Ok(no) = no.parse::<SuggestionNo>() else {
        return page::not_found(lang, None);
    };
    let found = match app.repo.wall(&org, &[], Some(no), 0, 1).await {
        Ok(page) => page.rows.into_iter().next(),
        Err(e) => return page::internal(lang, &e),
    };
    let Some(entry) = found else {
        return page::not_found(lang, None);
    };
    let setting = Setting::from_config(&app.config, lang, app.clock.now());
    let body = html! {
        p { a href={ "/wall/" (org) "?lang=" (lang.as_str()) } { (say(lang, "web-wall-back", &[])) } }
        div.wall { (article(lang, &app, &org, &entry, &setting)) }
    };
    let title = say(lang, "web-wall-title", &[("org", name)]);
    respond(StatusCode::OK, document(lang, &title, None, body))
}

fn article(lang: Lang, app: &WebApp, org: &str, e: &WallEntry, setting: &Setting) -> Markup {
    let rules = &app.policy.rules;
    html! {
        article id=(e.no) {
            h2 { a href={ "/wall/" (org) "/" (e.no) "?lang=" (lang.as_str()) } { (e.no) } " " (e.title) }
            p.meta {
                (setting.category(&e.category)) " · "
                (say(lang, "web-wall-by", &[("deputy", e.deputy_name.clone()), ("group", e.group_name.clone())]))
                " · " (say(lang, "web-wall-closed", &[("date", rules.show(e.closed_at))]))
            }
            @if let Some(body) = &e.body { div.body { (body) } }
            @if !e.units.is_empty() {
                p.meta { (say(lang, "web-wall-units", &[("units", listed(lang, &e.units))])) }
            }
            @if let Some((reply, at)) = &e.reply {
                p.meta { (say(lang, "web-wall-reply", &[("date", rules.show(*at))])) }
                div.reply { (reply) }
            }
            @let rating = match e.rating {
                Some(r) => i18n::html_to_plain(&i18n::rating_name(lang, r)),
                None => say(lang, "web-wall-unrated", &[]),
            };
            p { strong { (say(lang, "web-wall-rating", &[("rating", rating)])) } }
        }
    }
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::ZhCn => Lang::EnUs,
        Lang::EnUs => Lang::ZhCn,
    }
}
