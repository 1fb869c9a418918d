//! Pressed inline buttons. A button is the same request as its command, so it passes the
//! same checks; a stale or foreign button gets a short answer and changes nothing. After a
//! step is done, the pressed message shows what was done and loses its buttons.

use teloxide::prelude::*;
use teloxide::types::{ChatId, MessageId, ParseMode};

use super::filing::{self, confirm_step, save};
use super::{Ctx, Front, Out, lists, people, residents, steps};
use crate::bot::callback::Press;
use crate::bot::dialogue::Dialogue;
use crate::bot::keyboard;
use crate::bot::reply::{self, markup};
use crate::domain::Action;
use crate::i18n::{self, escape_html};
use crate::storage::{ActError, Request};

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

pub async fn press(front: &Front, update: &Update, query: CallbackQuery) -> anyhow::Result<()> {
    let message = query
        .message
        .as_ref()
        .and_then(|m| m.regular_message())
        .cloned();
    let chat = message
        .as_ref()
        .map(|m| m.chat.id.0)
        .unwrap_or(query.from.id.0 as i64);
    let group = message.as_ref().is_some_and(|m| !m.chat.is_private());
    let ctx = Ctx::load(front, update, chat, group, &query.from).await?;
    let outcome = match query.data.as_deref().and_then(Press::parse) {
        Some(press) => run(front, &ctx, press).await?,
        None => Outcome::Toast(i18n::plain(ctx.lang, "bot-stale-button", &[])),
    };
    let toast = match &outcome {
        Outcome::Done(line) | Outcome::Toast(line) => Some(strip_tags(line)),
        Outcome::Answer(_) | Outcome::Replace(_) => None,
    };
    let mut answer = front.bot.answer_callback_query(query.id.clone());
    if let Some(text) = toast {
        // Telegram shows at most 200 characters in a toast.
        answer = answer.text(text.chars().take(190).collect::<String>());
    }
    if let Err(e) = answer.await {
        tracing::debug!(error = %e, "cannot answer a button press");
    }
    match outcome {
        Outcome::Done(line) => {
            if let Some(m) = &message {
                let old = m.text().unwrap_or_default();
                let html = format!("{}\n\n{line}", escape_html(old));
                edit(front, m.chat.id, m.id, html, None).await;
            } else {
                reply::send(&front.bot, ctx.chat, vec![Out::text(line)]).await;
            }
        }
        Outcome::Toast(_) => {}
        Outcome::Answer(outs) => reply::send(&front.bot, ctx.chat, outs).await,
        Outcome::Replace(out) => match (&message, out) {
            (Some(m), Out::Text { html, buttons }) => {
                edit(front, m.chat.id, m.id, html, Some(buttons)).await
            }
            (_, out) => reply::send(&front.bot, ctx.chat, vec![out]).await,
        },
    }
    Ok(())
}

async fn run(front: &Front, ctx: &Ctx, press: Press) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    let step = |result: Result<crate::storage::Applied, ActError>| match result {
        Ok(applied) => Outcome::Done(steps::done(lang, &applied)),
        Err(e) => Outcome::Toast(error_text(lang, &e)),
    };
    Ok(match press {
        Press::Accept(no) => {
            let request = Request::Action(Action::Accept { level: None });
            step(steps::act(front, ctx, no, request).await)
        }
        Press::Rate(no, rating) => {
            let request = Request::Action(Action::Rate { rating });
            step(steps::act(front, ctx, no, request).await)
        }
        Press::AssignTo(no, unit) => {
            let request = Request::Assign {
                lead: unit,
                co: Vec::new(),
                days: None,
                level: None,
            };
            step(steps::act(front, ctx, no, request).await)
        }
        Press::Return(no) => {
            // Checked now, so a foreign or stale button does not open a dialogue.
            match front.repo.suggestion_for(ctx.who(), no).await {
                Ok(s) if s.state == crate::domain::State::Submitted => {
                    save(front, ctx, Some(&Dialogue::return_reason(no))).await?;
                    Outcome::Answer(vec![Out::text(i18n::text(
                        lang,
                        "bot-ask-return-reason",
                        &[("no", no.to_string())],
                    ))])
                }
                Ok(s) => Outcome::Toast(error_text(
                    lang,
                    &ActError::Refused(crate::domain::Refusal::WrongState(s.state)),
                )),
                Err(e) => Outcome::Toast(error_text(lang, &e)),
            }
        }
        Press::PickUnit(no) => match front.repo.assignable_units(ctx.who()).await {
            Ok(units) if units.is_empty() => Outcome::Toast(i18n::plain(lang, "bot-no-units", &[])),
            Ok(units) => Outcome::Answer(vec![Out::with_buttons(
                i18n::text(lang, "bot-pick-unit", &[("no", no.to_string())]),
                keyboard::units(no, &units),
            )]),
            Err(e) => Outcome::Toast(error_text(lang, &e)),
        },
        Press::Adopt(rno) => {
            let outs = residents::adopt(front, ctx, rno, None).await?;
            done_or_toast(outs)
        }
        Press::DeclineRequest(rno) => {
            save(front, ctx, Some(&Dialogue::decline_reason(rno))).await?;
            Outcome::Answer(vec![Out::text(i18n::text(
                lang,
                "bot-ask-decline-reason",
                &[("request", rno.to_string())],
            ))])
        }
        Press::Solved(no, yes) => match residents::solved(front, ctx, no, yes).await {
            Ok(line) => Outcome::Done(line),
            Err(e) => Outcome::Toast(error_text(lang, &e)),
        },
        Press::MyPage(page) => Outcome::Replace(lists::my(front, ctx, page).await?),
        Press::Category(code) => match front
            .repo
            .dialogue(ctx.chat, ctx.from)
            .await?
            .and_then(|r| Dialogue::from_json(&r.state))
        {
            Some(Dialogue::Category { title, body }) if front.policy.categories.contains(&code) => {
                Outcome::Answer(confirm_step(front, ctx, title, body, code, None, None).await?)
            }
            _ => Outcome::Toast(i18n::plain(lang, "bot-stale-button", &[])),
        },
        Press::Confirm(true) => {
            let dialogue = front
                .repo
                .dialogue(ctx.chat, ctx.from)
                .await?
                .and_then(|r| Dialogue::from_json(&r.state));
            match filing::confirm(front, ctx, dialogue).await? {
                Out::Text { html, .. } => Outcome::Done(html),
                out => Outcome::Answer(vec![out]),
            }
        }
        Press::Confirm(false) => {
            let had = front.repo.dialogue(ctx.chat, ctx.from).await?.is_some();
            save(front, ctx, None).await?;
            let key = if had {
                "bot-cancelled"
            } else {
                "bot-stale-button"
            };
            Outcome::Done(i18n::text(lang, key, &[]))
        }
        Press::Lang(code) => match people::set_lang(front, ctx, &code).await? {
            Out::Text { html, .. } => Outcome::Done(html),
            out => Outcome::Answer(vec![out]),
        },
    })
}

/// An answer of one text is a done step; anything else is shown as it is.
fn done_or_toast(outs: Vec<Out>) -> Outcome {
    match outs.as_slice() {
        [Out::Text { html, buttons }] if buttons.is_empty() => Outcome::Done(html.clone()),
        _ => Outcome::Answer(outs),
    }
}

fn error_text(lang: crate::i18n::Lang, e: &ActError) -> String {
    match super::refused(lang, e) {
        Out::Text { html, .. } => html,
        Out::Photo { .. } => String::new(),
    }
}

async fn edit(
    front: &Front,
    chat: ChatId,
    id: MessageId,
    html: String,
    buttons: Option<Vec<Vec<(String, Press)>>>,
) {
    let mut request = front
        .bot
        .edit_message_text(chat, id, html)
        .parse_mode(ParseMode::Html);
    if let Some(m) = buttons.as_deref().and_then(markup) {
        request = request.reply_markup(m);
    }
    if let Err(e) = request.await {
        tracing::debug!(error = %e, "cannot edit the pressed message");
    }
}

/// A toast is plain text: the tags of an HTML answer removed, entities unescaped.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::strip_tags;

    #[test]
    fn toasts_are_plain() {
        assert_eq!(
            strip_tags("Done: <b>2026-0001</b> &lt;x&gt; &amp;"),
            "Done: 2026-0001 <x> &"
        );
    }
}
