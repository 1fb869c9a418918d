//! Pressed inline buttons. A button is the same request as its command, so it passes the
//! same checks; a stale or foreign button gets a short answer (a toast) and changes nothing,
//! its message included. After a step is done, the pressed message shows what was done and
//! loses its buttons.

use teloxide::prelude::*;
use teloxide::types::{ChatId, MessageId, ParseMode};

use super::filing::{self, confirm_dialogue, confirm_step, load_dialogue, save};
use super::{Ctx, Front, Out, Routed, lists, people, residents, steps};
use crate::bot::dialogue::Dialogue;
use crate::bot::reply;
use crate::domain::{Action, ActionKind, Refusal, State, SuggestionNo};
use crate::i18n::{self, Lang, escape_html};
use crate::storage::{ActError, Applied, Request};
use crate::telegram::callback::Press;
use crate::telegram::keyboard;
use crate::telegram::keyboard::markup;

/// What a press leads to.
enum Outcome {
    /// Done: the pressed message is edited to end with this line, and the toast says it too.
    Done(String),
    /// Refused or stale: only a short toast; the message stays as it was.
    Toast(String),
    /// The press opens something: new messages in the chat (and a quiet toast).
    Answer(Vec<Out>),
    /// Replace the pressed message (a page of `/my`).
    Replace(Out),
}

pub async fn press(front: &Front, update: &Update, query: CallbackQuery) -> anyhow::Result<Routed> {
    let message = query
        .message
        .as_ref()
        .and_then(|m| m.regular_message())
        .cloned();
    let from = i64::try_from(query.from.id.0)?;
    let chat = message.as_ref().map(|m| m.chat.id.0).unwrap_or(from);
    let group = message.as_ref().is_some_and(|m| !m.chat.is_private());
    let ctx = match Ctx::load(front, update, chat, group, None, &query.from).await {
        Ok(ctx) => ctx,
        Err(e) => {
            toast(
                front,
                &query,
                i18n::plain(front.config.default_lang, "error-internal", &[]),
            )
            .await;
            return Err(e);
        }
    };
    let outcome = match query.data.as_deref().and_then(Press::parse) {
        Some(press) => run(front, &ctx, press).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "a button failed");
            Outcome::Toast(i18n::text(ctx.lang, "error-internal", &[]))
        }),
        None => stale(ctx.lang),
    };
    let line = match &outcome {
        Outcome::Done(line) | Outcome::Toast(line) => i18n::html_to_plain(line),
        Outcome::Answer(_) | Outcome::Replace(_) => String::new(),
    };
    toast(front, &query, line).await;
    match outcome {
        Outcome::Done(line) => match &message {
            Some(m) => {
                let old = m.text().unwrap_or_default();
                let html = format!("{}\n\n{line}", escape_html(old));
                if !edit(front, m.chat.id, m.id, html, None).await {
                    // Too long to edit (or gone): drop the buttons, say it anew.
                    let _ = front.bot.edit_message_reply_markup(m.chat.id, m.id).await;
                    reply::send(front, &ctx, vec![Out::text(line)]).await;
                }
            }
            None => reply::send(front, &ctx, vec![Out::text(line)]).await,
        },
        Outcome::Toast(_) => {}
        Outcome::Answer(outs) => reply::send(front, &ctx, outs).await,
        Outcome::Replace(out) => match (&message, out) {
            (Some(m), Out::Text { html, buttons }) => {
                edit(front, m.chat.id, m.id, html, Some(buttons)).await;
            }
            (_, out) => reply::send(front, &ctx, vec![out]).await,
        },
    }
    Ok(Routed::Answered)
}

async fn run(front: &Front, ctx: &Ctx, press: Press) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    Ok(match press {
        Press::Accept(no) => {
            let request = Request::Action(Action::Accept { level: None });
            step(lang, steps::act(front, ctx, no, request).await)
        }
        Press::Rate(no, rating) => {
            let request = Request::Action(Action::Rate { rating });
            step(lang, steps::act(front, ctx, no, request).await)
        }
        Press::AssignTo(no, unit) => {
            let request = Request::Assign {
                lead: unit,
                co: Vec::new(),
                days: None,
                level: None,
            };
            step(lang, steps::act(front, ctx, no, request).await)
        }
        // Checked before asking: a foreign or stale button opens no dialogue.
        Press::Return(no) => {
            match ready(front, ctx, no, ActionKind::Review, State::Submitted).await {
                Ok(()) => {
                    save(front, ctx, Some(&Dialogue::return_reason(no))).await?;
                    let html = i18n::text(lang, "bot-ask-return-reason", &[("no", no.to_string())]);
                    Outcome::Answer(vec![Out::Prompt { html }])
                }
                Err(e) => Outcome::Toast(error_text(lang, &e)),
            }
        }
        Press::PickUnit(no) => {
            match ready(front, ctx, no, ActionKind::Assign, State::Accepted).await {
                Ok(()) => pick_unit(front, ctx, no).await?,
                Err(e) => Outcome::Toast(error_text(lang, &e)),
            }
        }
        Press::Adopt(rno) => match residents::adopted(front, ctx, rno, None).await {
            Ok(text) => Outcome::Done(text),
            Err(e) => Outcome::Toast(error_text(lang, &e)),
        },
        Press::DeclineRequest(rno) => match front.repo.request_open_for(ctx.who(), rno).await {
            Ok(()) => {
                save(front, ctx, Some(&Dialogue::decline_reason(rno))).await?;
                let args = [("request", rno.to_string())];
                let html = i18n::text(lang, "bot-ask-decline-reason", &args);
                Outcome::Answer(vec![Out::Prompt { html }])
            }
            Err(e) => Outcome::Toast(error_text(lang, &e)),
        },
        Press::Solved(no, yes) => match residents::solved(front, ctx, no, yes).await {
            Ok(line) => Outcome::Done(line),
            Err(e) => Outcome::Toast(error_text(lang, &e)),
        },
        Press::MyPage(owner, page) if owner == ctx.from => {
            Outcome::Replace(lists::my(front, ctx, page).await?)
        }
        Press::MyPage(..) => stale(lang),
        Press::Category(code) => match load_dialogue(front, ctx).await? {
            Some(Dialogue::Category { title, body }) if front.policy.categories.contains(&code) => {
                let next = confirm_dialogue(title, body, code, None, None);
                Outcome::Answer(confirm_step(front, ctx, next).await?)
            }
            _ => stale(lang),
        },
        Press::Confirm(true) => match filing::confirm(front, ctx).await? {
            Some(Ok(text)) => Outcome::Done(text),
            Some(Err(e)) => Outcome::Toast(error_text(lang, &e)),
            None => stale(lang),
        },
        Press::Confirm(false) => match filing::cancel(front, ctx).await? {
            true => Outcome::Done(i18n::text(lang, "bot-cancelled", &[])),
            false => stale(lang),
        },
        Press::Lang(code) => match people::chosen_lang(front, ctx, &code).await? {
            Some(text) => Outcome::Done(text),
            None => stale(lang),
        },
    })
}

/// A step's result as a press outcome.
fn step(lang: Lang, result: Result<Applied, ActError>) -> Outcome {
    match result {
        Ok(applied) => Outcome::Done(steps::done(lang, &applied)),
        Err(e) => Outcome::Toast(error_text(lang, &e)),
    }
}

/// Whether `ctx`'s person may take this kind of step on the suggestion now.
async fn ready(
    front: &Front,
    ctx: &Ctx,
    no: SuggestionNo,
    kind: ActionKind,
    state: State,
) -> Result<(), ActError> {
    let s = front.repo.may(ctx.who(), no, kind).await?;
    if s.state != state {
        return Err(Refusal::WrongState(s.state).into());
    }
    Ok(())
}

/// The units the clerk may assign to, as buttons; a unit whose code is too long for a button
/// is left to `/assign`, and the message says so.
async fn pick_unit(front: &Front, ctx: &Ctx, no: SuggestionNo) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    let units = match front.repo.assignable_units(ctx.who()).await {
        Ok(units) => units,
        Err(e) => return Ok(Outcome::Toast(error_text(lang, &e))),
    };
    if units.is_empty() {
        return Ok(Outcome::Toast(i18n::text(lang, "bot-no-units", &[])));
    }
    let mut html = i18n::text(lang, "bot-pick-unit", &[("no", no.to_string())]);
    let rows = keyboard::units(no, &units);
    let fitting = rows
        .iter()
        .flatten()
        .filter(|(_, p)| p.data().is_some())
        .count();
    if fitting < units.len() {
        html.push('\n');
        html.push_str(&i18n::text(lang, "bot-some-units-by-command", &[]));
    }
    Ok(Outcome::Answer(vec![Out::with_buttons(html, rows)]))
}

fn stale(lang: Lang) -> Outcome {
    Outcome::Toast(i18n::text(lang, "bot-stale-button", &[]))
}

fn error_text(lang: Lang, e: &ActError) -> String {
    if let ActError::Store(e) = e {
        tracing::error!(error = %e, "storage failed");
    }
    i18n::text(lang, e.key(), &e.args())
}

/// Answers the press (Telegram shows at most 200 characters); empty: a quiet answer.
async fn toast(front: &Front, query: &CallbackQuery, text: String) {
    let mut answer = front.bot.answer_callback_query(query.id.clone());
    if !text.is_empty() {
        answer = answer.text(text.chars().take(190).collect::<String>());
    }
    if let Err(e) = answer.await {
        tracing::debug!(error = %e, "cannot answer a button press");
    }
}

/// Edits the pressed message; false if Telegram refused.
async fn edit(
    front: &Front,
    chat: ChatId,
    id: MessageId,
    html: String,
    buttons: Option<Vec<Vec<(String, Press)>>>,
) -> bool {
    let mut request = front
        .bot
        .edit_message_text(chat, id, html)
        .parse_mode(ParseMode::Html);
    if let Some(m) = buttons.as_deref().and_then(markup) {
        request = request.reply_markup(m);
    }
    match request.await {
        Ok(_) => true,
        Err(e) => {
            tracing::debug!(error = %e, "cannot edit the pressed message");
            false
        }
    }
}
