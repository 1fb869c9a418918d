//! Pressed buttons. A button is the same request as its command, so it passes the
//! same checks; a stale or foreign button gets a short answer and changes nothing,
//! its message included. After a step is done, the pressed message shows what was done and
//! loses its buttons.

use super::filing::{self, advance, confirm_dialogue, confirm_step, load_dialogue};
use super::{Ctx, Front, Out, Outcome, lists, people, residents, steps};
use crate::domain::{Action, ActionKind, Refusal, State, SuggestionNo};
use crate::front::buttons;
use crate::front::dialogue::Dialogue;
use crate::front::press::Press;
use crate::i18n::{self, Lang};
use crate::storage::{ActError, Applied, Request};

pub async fn run(front: &Front, ctx: &Ctx, press: Press) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    Ok(match press {
        Press::Accept(no) => {
            let request = Request::Action(Action::Accept { level: None });
            step(front, lang, steps::act(front, ctx, no, request).await)
        }
        Press::Rate(no, rating) => {
            let request = Request::Action(Action::Rate { rating });
            step(front, lang, steps::act(front, ctx, no, request).await)
        }
        // Checked before asking, as Return is.
        Press::Progress(no) | Press::Reply(no) => {
            let (kind, dialogue, key) = match press {
                Press::Progress(_) => (
                    ActionKind::Progress,
                    Dialogue::ProgressText { no },
                    "bot-ask-progress",
                ),
                _ => (
                    ActionKind::Reply,
                    Dialogue::ReplyText { no },
                    "bot-ask-reply",
                ),
            };
            match ready(front, ctx, no, kind, State::Assigned).await {
                Ok(()) => {
                    let html = i18n::text(lang, key, &[("no", no.to_string())]);
                    asks(front, ctx, &dialogue, html).await?
                }
                Err(e) => Outcome::Refused(error_text(lang, &e)),
            }
        }
        Press::AssignTo(no, unit) => {
            let request = Request::Assign {
                lead: unit,
                co: Vec::new(),
                days: None,
                level: None,
            };
            step(front, lang, steps::act(front, ctx, no, request).await)
        }
        // Checked before asking: a foreign or stale button opens no dialogue.
        Press::Return(no) => {
            match ready(front, ctx, no, ActionKind::Review, State::Submitted).await {
                Ok(()) => {
                    let html = i18n::text(lang, "bot-ask-return-reason", &[("no", no.to_string())]);
                    asks(front, ctx, &Dialogue::return_reason(no), html).await?
                }
                Err(e) => Outcome::Refused(error_text(lang, &e)),
            }
        }
        Press::PickUnit(no) => {
            match ready(front, ctx, no, ActionKind::Assign, State::Accepted).await {
                Ok(()) => pick_unit(front, ctx, no).await?,
                Err(e) => Outcome::Refused(error_text(lang, &e)),
            }
        }
        Press::Adopt(rno) => match residents::adopted(front, ctx, rno, None).await {
            Ok(text) => Outcome::Done(text),
            Err(e) => Outcome::Refused(error_text(lang, &e)),
        },
        Press::DeclineRequest(rno) => match front.repo.request_open_for(ctx.who(), rno).await {
            Ok(()) => {
                let args = [("request", rno.to_string())];
                let html = i18n::text(lang, "bot-ask-decline-reason", &args);
                asks(front, ctx, &Dialogue::decline_reason(rno), html).await?
            }
            Err(e) => Outcome::Refused(error_text(lang, &e)),
        },
        Press::Solved(no, yes) => match residents::solved(front, ctx, no, yes).await {
            Ok(line) => Outcome::Done(line),
            Err(e) => Outcome::Refused(error_text(lang, &e)),
        },
        Press::MyPage(owner, page) if owner == ctx.page_owner() => {
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
            Some(Err(e)) => Outcome::Refused(error_text(lang, &e)),
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

/// Opens the dialogue that asks for the press's text, once per press: the same press
/// delivered again (a WeCom retry) finds it done and does not reopen a dialogue the person
/// may have finished meanwhile.
async fn asks(
    front: &Front,
    ctx: &Ctx,
    dialogue: &Dialogue,
    html: String,
) -> anyhow::Result<Outcome> {
    Ok(match advance(front, ctx, dialogue).await? {
        true => Outcome::Answer(vec![Out::Prompt { html }]),
        false => Outcome::Refused(i18n::text(ctx.lang, "bot-duplicate", &[])),
    })
}

/// A step's result as a press outcome.
fn step(front: &Front, lang: Lang, result: Result<Applied, ActError>) -> Outcome {
    match result {
        Ok(applied) => Outcome::Done(steps::done(front, lang, &applied)),
        Err(e) => Outcome::Refused(error_text(lang, &e)),
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
        Err(e) => return Ok(Outcome::Refused(error_text(lang, &e))),
    };
    if units.is_empty() {
        return Ok(Outcome::Refused(i18n::text(lang, "bot-no-units", &[])));
    }
    let mut html = i18n::text(lang, "bot-pick-unit", &[("no", no.to_string())]);
    let rows = buttons::units(no, &units);
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

pub fn stale(lang: Lang) -> Outcome {
    Outcome::Refused(i18n::text(lang, "bot-stale-button", &[]))
}

fn error_text(lang: Lang, e: &ActError) -> String {
    if let ActError::Store(e) = e {
        tracing::error!(error = %e, "storage failed");
    }
    i18n::text(lang, e.key(), &e.args())
}
