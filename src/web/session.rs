//! Signing in and out. Three ways in, one session: a one-time link from `/web`, a Mini App's
//! launch data, or Telegram Login. The session is a random cookie (HttpOnly, SameSite=Lax,
//! Secure unless the board is served over plain http for a test), of which the database keeps
//! only the hash, with the form token (CSRF) every form of the session carries.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Form;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::TimeDelta;
use maud::html;

use super::app::WebApp;
use super::page::{self, Header, document, respond, say};
use super::{MAX_AGE, Refused, init_data, login};
use crate::compare::same_secret;
use crate::domain::{PersonId, Role};
use crate::i18n::Lang;
use crate::storage::{NewSession, PersonCard, SignInError, WebSecret};

/// The session cookie's name.
const COOKIE: &str = "minyi_session";

/// Failed sign-ins allowed in a minute, all clients together: a link's token cannot be
/// guessed in any number of tries, and this keeps anyone from trying many.
const FAILURES_PER_MINUTE: usize = 30;

/// Counts failed sign-ins in the last minute.
#[derive(Default)]
pub(super) struct Limiter {
    failures: Mutex<Vec<Instant>>,
}

impl Limiter {
    fn recent(&self) -> std::sync::MutexGuard<'_, Vec<Instant>> {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let minute = Duration::from_secs(60);
        failures.retain(|at| at.elapsed() < minute);
        failures
    }

    /// Whether another attempt may be tried now.
    fn open(&self) -> bool {
        self.recent().len() < FAILURES_PER_MINUTE
    }

    fn failed(&self) {
        self.recent().push(Instant::now());
    }
}

/// A signed-in person, as every page after sign-in needs them.
pub(super) struct SignedIn {
    pub person: PersonId,
    pub card: PersonCard,
    pub lang: Lang,
    /// The session's form token.
    pub csrf: String,
}

impl SignedIn {
    pub fn header(&self) -> Header<'_> {
        Header {
            name: &self.card.name,
            csrf: &self.csrf,
            record: (self.card.has(Role::Deputy)).then_some(self.card.code.as_str()),
        }
    }

    /// Whether a form's token is the session's, compared in constant time.
    pub fn form_is_ours(&self, token: &str) -> bool {
        same_secret(token.as_bytes(), self.csrf.as_bytes())
    }
}

/// Without a session (none, ended, or signed out), a page answers 401 with how to sign in.
impl FromRequestParts<Arc<WebApp>> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<WebApp>,
    ) -> Result<Self, Self::Rejection> {
        let lang = app.config.default_lang;
        let Some(cookie) = session_cookie(&parts.headers) else {
            return Err(sign_in_needed(lang));
        };
        let now = app.clock.now();
        let session = match app.repo.web_session(&cookie.hash(), now).await {
            Ok(Some(session)) => session,
            Ok(None) => return Err(sign_in_needed(lang)),
            Err(e) => return Err(page::internal(lang, &e)),
        };
        let account = match app.repo.web_account(session.person).await {
            Ok(Some(account)) => account,
            Ok(None) => return Err(sign_in_needed(lang)),
            Err(e) => return Err(page::internal(lang, &e)),
        };
        let Some(card) = account.person else {
            return Err(sign_in_needed(lang));
        };
        Ok(SignedIn {
            person: session.person,
            card,
            lang: account.lang.unwrap_or(lang),
            csrf: session.csrf,
        })
    }
}

/// The session cookie of a request, if it carries one.
fn session_cookie(headers: &HeaderMap) -> Option<WebSecret> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| WebSecret::from_request(value))
}

fn sign_in_needed(lang: Lang) -> Response {
    sign_in_page(lang, StatusCode::UNAUTHORIZED)
}

/// How to sign in: send `/web` to the bot, or open the board from its menu button.
fn sign_in_page(lang: Lang, status: StatusCode) -> Response {
    page::message(
        lang,
        status,
        "web-sign-in-title",
        &say(lang, "web-sign-in-needed", &[]),
        None,
    )
}

/// `GET /web`: how to sign in.
pub(super) async fn sign_in_help(State(app): State<Arc<WebApp>>) -> Response {
    sign_in_page(app.config.default_lang, StatusCode::OK)
}

/// `GET /web/in/{token}`: a button that signs in. Opening the link alone signs nobody in, so
/// a link preview or a mail scanner that fetches it does not use it up.
pub(super) async fn link_page(
    State(app): State<Arc<WebApp>>,
    Path(token): Path<String>,
) -> Response {
    let lang = app.config.default_lang;
    let body = html! {
        p { (say(lang, "web-link-intro", &[])) }
        form method="post" action={ "/web/in/" (token) } {
            button type="submit" { (say(lang, "web-link-button", &[])) }
        }
    };
    respond(
        StatusCode::OK,
        document(lang, &say(lang, "web-sign-in-title", &[]), None, body),
    )
}

/// `POST /web/in/{token}`: the link is used up and the session starts.
pub(super) async fn link_sign_in(
    State(app): State<Arc<WebApp>>,
    Path(token): Path<String>,
) -> Response {
    let lang = app.config.default_lang;
    if !app.limiter.open() {
        return too_many(lang);
    }
    let now = app.clock.now();
    let session = new_session(&app);
    let hash = WebSecret::from_request(&token).hash();
    match app.repo.sign_in_with_link(&hash, &session, now).await {
        Ok(_) => signed_in(&app, &session),
        Err(SignInError::Store(e)) => page::internal(lang, &e),
        Err(refused) => {
            app.limiter.failed();
            let key = match refused {
                SignInError::Used => "web-link-used",
                SignInError::Expired => "web-link-expired",
                SignInError::Unknown | SignInError::NotOnRoster | SignInError::Store(_) => {
                    "web-link-unknown"
                }
            };
            page::message(
                lang,
                StatusCode::FORBIDDEN,
                "web-sign-in-title",
                &say(lang, key, &[]),
                None,
            )
        }
    }
}

/// `GET /web/app`: the Mini App's first page. Its script reads the launch data from the
/// address's fragment (which never reaches a server) and posts it back.
pub(super) async fn mini_app(State(app): State<Arc<WebApp>>) -> Response {
    let lang = app.config.default_lang;
    let body = html! {
        form #mini-app method="post" action="/web/app" data-outside=(say(lang, "web-mini-app-outside", &[])) {
            input type="hidden" name="init_data" value="";
            p.message { (say(lang, "web-mini-app-opening", &[])) }
        }
    };
    respond(
        StatusCode::OK,
        document(lang, &say(lang, "web-minyi", &[]), None, body),
    )
}

#[derive(serde::Deserialize)]
pub(super) struct LaunchForm {
    init_data: String,
}

/// `POST /web/app`: the launch data checked, the roster person's session started.
pub(super) async fn mini_app_sign_in(
    State(app): State<Arc<WebApp>>,
    Form(form): Form<LaunchForm>,
) -> Response {
    telegram_sign_in(&app, |token, now| {
        init_data::verify(&form.init_data, token, now, MAX_AGE).map(|d| d.user.id)
    })
    .await
}

/// `GET /web/login?id=…&hash=…`: Telegram Login's redirect, from the widget or a `LoginUrl`
/// button.
pub(super) async fn telegram_login(
    State(app): State<Arc<WebApp>>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    telegram_sign_in(&app, |token, now| {
        login::verify(&query, token, now, MAX_AGE).map(|login| login.user.id)
    })
    .await
}

/// Either Telegram scheme: `check` names the Telegram account Telegram signed for, and the
/// roster says who that is.
async fn telegram_sign_in(
    app: &Arc<WebApp>,
    check: impl FnOnce(&str, chrono::DateTime<chrono::Utc>) -> Result<i64, Refused>,
) -> Response {
    let lang = app.config.default_lang;
    if !app.limiter.open() {
        return too_many(lang);
    }
    let now = app.clock.now();
    let refused = |key: &str| {
        app.limiter.failed();
        page::message(
            lang,
            StatusCode::FORBIDDEN,
            "web-sign-in-title",
            &say(lang, key, &[]),
            None,
        )
    };
    let Some(token) = app.bot_token.as_ref() else {
        return refused("web-telegram-off");
    };
    let telegram_id = match check(token.expose(), now) {
        Ok(id) => id,
        Err(Refused::Stale | Refused::FromTheFuture) => return refused("web-telegram-stale"),
        Err(_) => return refused("web-telegram-refused"),
    };
    let session = new_session(app);
    match app.repo.sign_in_telegram(telegram_id, &session, now).await {
        Ok(_) => signed_in(app, &session),
        Err(SignInError::NotOnRoster) => refused("web-telegram-not-on-roster"),
        Err(SignInError::Store(e)) => page::internal(lang, &e),
        Err(other) => page::internal(lang, &other),
    }
}

#[derive(serde::Deserialize)]
pub(super) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /web/out`: the session ends here and in the database.
pub(super) async fn sign_out(
    State(app): State<Arc<WebApp>>,
    who: SignedIn,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !who.form_is_ours(&form.csrf) {
        return forged(who.lang);
    }
    if let Some(cookie) = session_cookie(&headers)
        && let Err(e) = app
            .repo
            .end_web_session(&cookie.hash(), app.clock.now())
            .await
    {
        return page::internal(who.lang, &e);
    }
    let mut response = page::message(
        who.lang,
        StatusCode::OK,
        "web-sign-in-title",
        &say(who.lang, "web-signed-out", &[]),
        None,
    );
    let clear = format!("{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&clear) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// A form without the session's token: refused, nothing changed.
pub(super) fn forged(lang: Lang) -> Response {
    page::message(
        lang,
        StatusCode::FORBIDDEN,
        "web-error-title",
        &say(lang, "web-csrf", &[]),
        None,
    )
}

fn too_many(lang: Lang) -> Response {
    page::message(
        lang,
        StatusCode::TOO_MANY_REQUESTS,
        "web-sign-in-title",
        &say(lang, "web-too-many", &[]),
        None,
    )
}

fn new_session(app: &WebApp) -> NewSession {
    let hours = i64::from(app.config.web.session_hours);
    NewSession {
        id: WebSecret::new(),
        csrf: WebSecret::new().expose().to_owned(),
        expires_at: app.clock.now() + TimeDelta::hours(hours),
    }
}

/// The session's cookie set, and on to the board.
fn signed_in(app: &WebApp, session: &NewSession) -> Response {
    let max_age = i64::from(app.config.web.session_hours) * 3600;
    let secure = if app.secure_cookies() { "; Secure" } else { "" };
    let cookie = format!(
        "{COOKIE}={}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
        session.id.expose()
    );
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, "/board")]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    page::protect(&mut response);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; minyi_session=abc; b=2"),
        );
        assert_eq!(
            session_cookie(&headers).map(|c| c.expose().to_owned()),
            Some("abc".into())
        );
        headers.insert(header::COOKIE, HeaderValue::from_static("minyi_sessionx=1"));
        assert!(session_cookie(&headers).is_none());
    }

    #[test]
    fn the_limiter_closes_after_too_many_failures() {
        let limiter = Limiter::default();
        for _ in 0..FAILURES_PER_MINUTE {
            assert!(limiter.open());
            limiter.failed();
        }
        assert!(!limiter.open());
    }
}
