//! The frame every page shares: the document, the navigation, the headers that keep pages to
//! minyi's own assets, and the error pages.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use crate::i18n::{self, Lang};

/// Only minyi's own stylesheet and script; forms post back to minyi only; framed only by
/// minyi itself and Telegram Web (where a Mini App runs in a frame).
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
     img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; \
     frame-ancestors 'self' https://web.telegram.org";

/// A locale string as plain text for a page (the page escapes it): the locales are written
/// for Telegram's HTML, so arguments are escaped, the tags dropped and the entities read back.
pub(super) fn say(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    i18n::html_to_plain(&i18n::text(lang, key, args))
}

/// Items of a list in a line, with the language's separator (`、` in Chinese, `, ` in English).
pub(super) fn listed(lang: Lang, items: &[String]) -> String {
    items.join(&say(lang, "web-list-separator", &[]))
}

/// Who the page is for, when someone is signed in: their name for the header, the form
/// token for signing out and, for a deputy, their code for "my record".
pub(super) struct Header<'a> {
    pub name: &'a str,
    pub csrf: &'a str,
    pub record: Option<&'a str>,
}

/// A whole document: the title, the navigation (for a signed-in person) and the body.
pub(super) fn document(
    lang: Lang,
    title: &str,
    header: Option<Header<'_>>,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (say(lang, "web-minyi", &[])) }
                link rel="stylesheet" href="/web/static/minyi.css";
                script src="/web/static/minyi.js" defer {}
            }
            body {
                @if let Some(header) = header {
                    nav.top {
                        a href="/board" { (say(lang, "web-nav-board", &[])) }
                        a href="/reports" { (say(lang, "web-nav-reports", &[])) }
                        @if let Some(code) = header.record {
                            a href=(super::record::href(code, None)) { (say(lang, "web-nav-record", &[])) }
                        }
                        span.who { (header.name) }
                        form method="post" action="/web/out" {
                            input type="hidden" name="csrf" value=(header.csrf);
                            button type="submit" { (say(lang, "web-nav-sign-out", &[])) }
                        }
                    }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

/// A page as a response, with the headers every page carries.
pub(super) fn respond(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, markup).into_response();
    protect(&mut response);
    response
}

/// The headers of every response of the board: no outside sources, no sniffing, no
/// referrer (a sign-in link's token must not leak to another site) and, for pages about
/// people, nothing kept in caches.
pub(super) fn protect(response: &mut Response) {
    let headers = response.headers_mut();
    let set = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
}

/// A page that only says something: why a page cannot be shown, or what happened.
pub(super) fn message(
    lang: Lang,
    status: StatusCode,
    title_key: &str,
    text: &str,
    header: Option<Header<'_>>,
) -> Response {
    let title = say(lang, title_key, &[]);
    respond(
        status,
        document(lang, &title, header, html! { p.message { (text) } }),
    )
}

/// 403: a page the person's roles do not open, with the chat's refusal (`key`, `args`).
pub(super) fn forbidden(
    lang: Lang,
    title_key: &str,
    (key, args): (&str, Vec<(&str, String)>),
    header: Header<'_>,
) -> Response {
    let text = say(lang, key, &args);
    message(lang, StatusCode::FORBIDDEN, title_key, &text, Some(header))
}

/// 404: the same answer for what does not exist and what the person may not see.
pub(super) fn not_found(lang: Lang, header: Option<Header<'_>>) -> Response {
    message(
        lang,
        StatusCode::NOT_FOUND,
        "web-not-found-title",
        &say(lang, "web-not-found", &[]),
        header,
    )
}

/// 500: something on our side failed; it is logged and nothing changed.
pub(super) fn internal(lang: Lang, error: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %error, "a board page failed");
    message(
        lang,
        StatusCode::INTERNAL_SERVER_ERROR,
        "web-error-title",
        &say(lang, "error-internal", &[]),
        None,
    )
}
