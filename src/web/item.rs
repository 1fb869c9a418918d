//! `/s/{no}`: a suggestion's record, its units and deadline, its timeline, and the next steps
//! this person may take as forms.
//!
//! A form is offered when the step may start from the suggestion's state
//! ([`Action::start_states`]) and the permission table lets this person take it here
//! ([`crate::storage::Repository::may`]). Posting it makes the same
//! [`crate::storage::Repository::act`] call as the chat command, in one transaction with its
//! event and its pushes; a refusal shows the chat's reason and changes nothing.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::app::WebApp;
use super::board::{days, light};
use super::page::{self, document, respond, say};
use super::session::{SignedIn, forged};
use super::signed::form_decode;
use crate::domain::{Action, ActionKind, Level, MAX_DAYS, Rating, SuggestionNo, UnitId};
use crate::i18n::{self, Lang};
use crate::reports::Setting;
use crate::storage::{ActError, Request, SuggestionView, Who};

/// The steps the page offers as forms, by the name a form posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Accept,
    Return,
    Assign,
    Extend,
    Transfer,
    Decline,
    Key,
    Progress,
    Reply,
    Explain,
    Rate,
}

impl Form {
    const ALL: [Form; 11] = [
        Form::Accept,
        Form::Return,
        Form::Assign,
        Form::Extend,
        Form::Transfer,
        Form::Decline,
        Form::Key,
        Form::Progress,
        Form::Reply,
        Form::Explain,
        Form::Rate,
    ];

    fn name(self) -> &'static str {
        match self {
            Form::Accept => "accept",
            Form::Return => "return",
            Form::Assign => "assign",
            Form::Extend => "extend",
            Form::Transfer => "transfer",
            Form::Decline => "decline",
            Form::Key => "key",
            Form::Progress => "progress",
            Form::Reply => "reply",
            Form::Explain => "explain",
            Form::Rate => "rate",
        }
    }

    fn parse(name: &str) -> Option<Form> {
        Form::ALL.into_iter().find(|f| f.name() == name)
    }

    /// An action of this step, to ask the domain where it may start and who may take it.
    fn sample(self) -> Action {
        let text = String::new();
        match self {
            Form::Accept => Action::Accept { level: None },
            Form::Return => Action::Return { reason: text },
            Form::Assign => Action::Assign {
                lead: UnitId(0),
                co: Vec::new(),
                days: None,
                level: None,
            },
            Form::Extend => Action::Extend {
                days: 1,
                reason: text,
            },
            Form::Transfer => Action::Transfer { reason: text },
            Form::Decline => Action::Decline { reason: text },
            Form::Key => Action::Key,
            Form::Progress => Action::Progress { text },
            Form::Reply => Action::Reply { text },
            Form::Explain => Action::Explain { text },
            Form::Rate => Action::Rate {
                rating: Rating::Satisfied,
            },
        }
    }

    fn kind(self) -> ActionKind {
        self.sample().kind()
    }
}

/// The fields of a posted form; a name given twice keeps every value (co-units).
struct Posted(Vec<(String, String)>);

impl Posted {
    fn parse(body: &str) -> Option<Posted> {
        let mut pairs = Vec::new();
        for pair in body.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            pairs.push((form_decode(name)?, form_decode(value)?));
        }
        Some(Posted(pairs))
    }

    fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, v)| n == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }
}

/// Why a posted form was not even tried: a field missing or malformed.
struct Incomplete(&'static str);

fn request(form: Form, posted: &Posted) -> Result<Request, Incomplete> {
    let text = |name: &'static str| posted.one(name).map(str::to_owned).ok_or(Incomplete(name));
    let days = |required: bool| match posted.one("days") {
        None if !required => Ok(None),
        None => Err(Incomplete("days")),
        Some(d) => d
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=MAX_DAYS).contains(d))
            .map(Some)
            .ok_or(Incomplete("days")),
    };
    let action = match form {
        Form::Accept => Action::Accept {
            level: match posted.one("level") {
                None => None,
                Some(l) => Some(l.parse::<Level>().map_err(|_| Incomplete("level"))?),
            },
        },
        Form::Return => Action::Return {
            reason: text("reason")?,
        },
        Form::Assign => {
            let lead = text("lead")?;
            let co = posted
                .all("co")
                .into_iter()
                .filter(|c| *c != lead)
                .collect();
            return Ok(Request::Assign {
                lead,
                co,
                days: days(false)?,
                level: None,
            });
        }
        Form::Extend => Action::Extend {
            days: days(true)?.unwrap_or(1),
            reason: text("reason")?,
        },
        Form::Transfer => Action::Transfer {
            reason: text("reason")?,
        },
        Form::Decline => Action::Decline {
            reason: text("reason")?,
        },
        Form::Key => Action::Key,
        Form::Progress => Action::Progress {
            text: text("text")?,
        },
        Form::Reply => Action::Reply {
            text: text("text")?,
        },
        Form::Explain => Action::Explain {
            text: text("text")?,
        },
        Form::Rate => Action::Rate {
            rating: text("rating")?.parse().map_err(|_| Incomplete("rating"))?,
        },
    };
    Ok(Request::Action(action))
}

/// `GET /s/{no}`: the page, with a note on the step just taken (`?done=<form>`).
pub(super) async fn page(
    State(app): State<Arc<WebApp>>,
    who: SignedIn,
    Path(no): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Ok(no) = no.parse::<SuggestionNo>() else {
        return page::not_found(who.lang, Some(who.header()));
    };
    let done = query
        .get("done")
        .and_then(|d| Form::parse(d))
        .map(Notice::Done);
    render(&app, &who, no, done, StatusCode::OK).await
}

/// What the page says above the record.
enum Notice {
    Done(Form),
    Refused(String),
}

/// `POST /s/{no}`: one step, as in chat.
pub(super) async fn step(
    State(app): State<Arc<WebApp>>,
    who: SignedIn,
    Path(no): Path<String>,
    body: String,
) -> Response {
    let lang = who.lang;
    let Ok(no) = no.parse::<SuggestionNo>() else {
        return page::not_found(lang, Some(who.header()));
    };
    let Some(posted) = Posted::parse(&body) else {
        return refused(&app, &who, no, say(lang, "web-form-unreadable", &[])).await;
    };
    if !posted
        .one("csrf")
        .is_some_and(|token| who.form_is_ours(token))
    {
        return forged(lang);
    }
    let Some(form) = posted.one("step").and_then(Form::parse) else {
        return refused(&app, &who, no, say(lang, "web-form-unreadable", &[])).await;
    };
    let request = match request(form, &posted) {
        Ok(request) => request,
        Err(Incomplete(field)) => {
            let field = say(lang, &format!("web-field-{field}"), &[]);
            return refused(
                &app,
                &who,
                no,
                say(lang, "web-form-incomplete", &[("field", field)]),
            )
            .await;
        }
    };
    let now = app.clock.now();
    match app
        .repo
        .act(&app.policy, Who::Person(who.person), no, request, now, None)
        .await
    {
        Ok(_) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/s/{no}?done={}", form.name()))],
        )
            .into_response(),
        Err(ActError::UnknownSuggestion(_)) => page::not_found(lang, Some(who.header())),
        Err(ActError::Store(e)) => page::internal(lang, &e),
        Err(e) => refused(&app, &who, no, say(lang, e.key(), &e.args())).await,
    }
}

async fn refused(app: &WebApp, who: &SignedIn, no: SuggestionNo, why: String) -> Response {
    render(
        app,
        who,
        no,
        Some(Notice::Refused(why)),
        StatusCode::CONFLICT,
    )
    .await
}

async fn render(
    app: &WebApp,
    who: &SignedIn,
    no: SuggestionNo,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let lang = who.lang;
    let whom = Who::Person(who.person);
    let view = match app.repo.view(whom, no).await {
        Ok(view) => view,
        Err(ActError::Store(e)) => return page::internal(lang, &e),
        Err(_) => return page::not_found(lang, Some(who.header())),
    };
    let timeline = match app.repo.timeline(whom, no).await {
        Ok(timeline) => timeline,
        Err(e) => return page::internal(lang, &e),
    };
    // The steps that may start from this state, then those the permission table lets this
    // person take, asked once.
    // A key suggestion held for the committee's vote takes no rating.
    let held = view.suggestion.awaits_vote();
    let startable: Vec<Form> = Form::ALL
        .into_iter()
        .filter(|form| {
            form.sample()
                .start_states()
                .contains(&view.suggestion.state)
                && !(held && *form == Form::Rate)
        })
        .collect();
    let kinds: Vec<ActionKind> = startable.iter().map(|form| form.kind()).collect();
    let permitted = match app.repo.permitted(whom, no, &kinds).await {
        Ok(permitted) => permitted,
        Err(ActError::Store(e)) => return page::internal(lang, &e),
        Err(_) => Vec::new(),
    };
    let offered: Vec<Form> = startable
        .into_iter()
        .filter(|form| permitted.contains(&form.kind()))
        .collect();
    let units = if offered.contains(&Form::Assign) {
        match app.repo.assignable_units(whom).await {
            Ok(units) => units,
            Err(e) => return page::internal(lang, &e),
        }
    } else {
        Vec::new()
    };
    let now = app.clock.now();
    let setting = Setting::from_config(&app.config, lang, now);
    let s = &view.suggestion;
    let body = html! {
        @match &notice {
            Some(Notice::Done(form)) => p.flash { (say(lang, "web-step-done", &[("step", say(lang, &format!("web-step-{}", form.name()), &[]))])) },
            Some(Notice::Refused(why)) => p.refused { (why) },
            None => {},
        }
        (record(lang, app, who, &view, &setting))
        h2 { (say(lang, "web-timeline", &[])) }
        ol.timeline {
            @for e in &timeline {
                li {
                    span.at { (app.policy.rules.show(e.at)) } " "
                    strong { (say(lang, &format!("event-{}", e.kind.as_str()), &[])) } " · "
                    (e.actor.clone().unwrap_or_else(|| say(lang, "bot-actor-system", &[])))
                    @if let Some(text) = e.text.as_ref().filter(|t| !t.is_empty()) {
                        div.body { (text) }
                    }
                }
            }
        }
        @if !offered.is_empty() {
            h2 { (say(lang, "web-next-steps", &[])) }
            div.steps {
                @for form in &offered { (step_form(lang, who, s.no, *form, &units)) }
            }
        }
    };
    let title = format!("{} {}", s.no, s.title);
    respond(status, document(lang, &title, Some(who.header()), body))
}

fn record(
    lang: Lang,
    app: &WebApp,
    who: &SignedIn,
    view: &SuggestionView,
    setting: &Setting,
) -> Markup {
    let s = &view.suggestion;
    let rules = &app.policy.rules;
    let now = setting.now;
    let plain = |html: String| i18n::html_to_plain(&html);
    let separator = say(lang, "web-list-separator", &[]);
    html! {
        dl.record {
            dt { (say(lang, "web-field-state", &[])) }
            dd { (plain(i18n::state_name(lang, s.state))) }
            dt { (say(lang, "web-col-deadline", &[])) }
            dd {
                @match s.deadline.filter(|_| !s.state.is_terminal()) {
                    Some(d) => { (light(lang, Some(rules.colour(d, now)), &days(lang, rules, d, now))) " " (rules.show(d)) },
                    None => "—",
                }
            }
            dt { (say(lang, "web-field-deputy", &[])) }
            dd {
                @if super::record::linked(&who.card, &view.deputy_code) {
                    a href=(super::record::href(&view.deputy_code, None)) { (view.deputy_name) }
                } @else { (view.deputy_name) }
            }
            dt { (say(lang, "web-col-group", &[])) }
            dd { (view.group_name) " (" (view.group_code) ")" }
            dt { (say(lang, "web-field-category", &[])) }
            dd { (setting.category(&s.category)) }
            dt { (say(lang, "web-field-level", &[])) }
            dd { @match s.level { Some(l) => (plain(i18n::level_name(lang, l))), None => "—" } }
            dt { (say(lang, "web-col-unit", &[])) }
            dd {
                @if view.units.is_empty() { "—" }
                @for (i, (code, name, lead)) in view.units.iter().enumerate() {
                    @if i > 0 { (separator) }
                    (name) " (" (code) ") "
                    (say(lang, if *lead { "bot-unit-lead" } else { "bot-unit-co" }, &[]))
                }
            }
            dt { (say(lang, "web-field-filed", &[])) }
            dd { (rules.show(s.filed_at)) }
            @if s.key || s.supervised || s.rating.is_some() || view.request.is_some() {
                dt { (say(lang, "web-field-flags", &[])) }
                dd {
                    @if s.key { span.meta { (say(lang, "web-flag-key", &[])) } " " }
                    @if s.supervised { span.meta { (say(lang, "web-flag-supervised", &[])) } " " }
                    @if let Some(no) = view.request { span.meta { (say(lang, "web-flag-resident", &[("request", no.to_string())])) } " " }
                    @if let Some(r) = s.rating { span.meta { (plain(i18n::rating_name(lang, r))) } }
                }
            }
            @if let Some((lat, lon)) = view.location {
                dt { (say(lang, "web-field-location", &[])) }
                dd {
                    (format!("{lat:.5}, {lon:.5}")) " "
                    a href=(format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}")) rel="noopener noreferrer" target="_blank" {
                        (say(lang, "web-map-link", &[]))
                    }
                }
            }
            @if view.photo.is_some() {
                dt { (say(lang, "web-field-photo", &[])) }
                dd { (say(lang, "web-photo-in-chat", &[])) }
            }
        }
        h2 { (say(lang, "web-field-body", &[])) }
        div.body { (s.body) }
    }
}

fn step_form(
    lang: Lang,
    who: &SignedIn,
    no: SuggestionNo,
    form: Form,
    units: &[(String, String)],
) -> Markup {
    let reason = |name: &'static str| {
        html! {
            label { (say(lang, &format!("web-field-{name}"), &[]))
                textarea name=(name) required {} }
        }
    };
    html! {
        form method="post" action={ "/s/" (no) } data-step=(form.name()) {
            h3 { (say(lang, &format!("web-step-{}", form.name()), &[])) }
            input type="hidden" name="csrf" value=(who.csrf);
            input type="hidden" name="step" value=(form.name());
            @match form {
                Form::Accept => label { (say(lang, "web-field-level", &[]))
                    select name="level" {
                        option value="" { "—" }
                        @for level in [Level::Town, Level::District, Level::Higher] {
                            option value=(level.as_str()) { (i18n::html_to_plain(&i18n::level_name(lang, level))) }
                        }
                    } },
                Form::Return | Form::Transfer | Form::Decline => (reason("reason")),
                Form::Assign => {
                    label { (say(lang, "web-field-lead", &[]))
                        select name="lead" required {
                            @for (code, name) in units { option value=(code) { (name) " (" (code) ")" } }
                        } }
                    label { (say(lang, "web-field-co", &[]))
                        select name="co" multiple size="4" {
                            @for (code, name) in units { option value=(code) { (name) " (" (code) ")" } }
                        } }
                    label { (say(lang, "web-field-days", &[]))
                        input type="number" name="days" min="1" max=(MAX_DAYS) placeholder=(say(lang, "web-days-default", &[])); }
                },
                Form::Extend => {
                    label { (say(lang, "web-field-days", &[]))
                        input type="number" name="days" min="1" max=(MAX_DAYS) required; }
                    (reason("reason"))
                },
                Form::Key => p.meta { (say(lang, "web-key-hint", &[])) },
                Form::Progress | Form::Reply | Form::Explain => (reason("text")),
                Form::Rate => label { (say(lang, "web-field-rating", &[]))
                    select name="rating" required {
                        @for rating in [Rating::Satisfied, Rating::Basic, Rating::Unsatisfied] {
                            option value=(rating.as_str()) { (i18n::html_to_plain(&i18n::rating_name(lang, rating))) }
                        }
                    } },
            }
            button type="submit" { (say(lang, &format!("web-step-{}", form.name()), &[])) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(body: &str) -> Posted {
        Posted::parse(body).expect("readable")
    }

    #[test]
    fn every_form_has_a_name_that_reads_back() {
        for form in Form::ALL {
            assert_eq!(Form::parse(form.name()), Some(form));
        }
        assert_eq!(Form::parse("withdraw"), None);
    }

    #[test]
    fn a_form_makes_the_request_of_its_chat_command() {
        let assign = request(Form::Assign, &posted("lead=U1&co=U2&co=U1&co=&days=20")).ok();
        assert!(matches!(
            assign,
            Some(Request::Assign { lead, co, days: Some(20), level: None }) if lead == "U1" && co == ["U2"]
        ));
        let extend = request(Form::Extend, &posted("days=7&reason=%E9%9B%A8+%E5%AD%A3")).ok();
        assert!(matches!(
            extend,
            Some(Request::Action(Action::Extend { days: 7, reason })) if reason == "雨 季"
        ));
        let rate = request(Form::Rate, &posted("rating=basic")).ok();
        assert!(matches!(
            rate,
            Some(Request::Action(Action::Rate {
                rating: Rating::Basic
            }))
        ));
    }

    #[test]
    fn a_missing_or_malformed_field_is_named() {
        let missing = |form, body| request(form, &posted(body)).err().map(|Incomplete(f)| f);
        assert_eq!(missing(Form::Return, "reason=+"), Some("reason"));
        assert_eq!(missing(Form::Extend, "reason=x"), Some("days"));
        assert_eq!(missing(Form::Extend, "days=0&reason=x"), Some("days"));
        assert_eq!(missing(Form::Extend, "days=366&reason=x"), Some("days"));
        assert_eq!(missing(Form::Assign, "days=3"), Some("lead"));
        assert_eq!(missing(Form::Rate, "rating=great"), Some("rating"));
        assert_eq!(missing(Form::Accept, "level=city"), Some("level"));
        assert!(Posted::parse("a=%zz").is_none());
    }
}
