//! `/suggest`: at once with text (first line the title), or a short dialogue — title, body,
//! category from buttons, an optional photo or location, then File or Cancel. Also the
//! dialogue steps that only wait for a reason, and a resident's concern.
//!
//! A step that moves a dialogue on is saved with its update id, so a redelivered message is
//! not taken as the next answer.

use super::{Ctx, Front, Input, Out, refused, residents, steps};
use crate::domain::permissions::roles_for;
use crate::domain::{
    Action, ActionKind, Draft, GroupId, MAX_TEXT, MAX_TITLE, Refusal, SuggestionNo,
};
use crate::front::buttons;
use crate::front::dialogue::{Dialogue, attachment};
use crate::i18n::{self, Lang};
use crate::storage::{ActError, Applied, BindTarget, Request};

pub async fn suggest(
    front: &Front,
    ctx: &Ctx,
    text: Option<String>,
    input: Input,
) -> anyhow::Result<Vec<Out>> {
    // Checked before any dialogue starts, so nobody types a whole suggestion in vain.
    let Some(person) = &ctx.account.person else {
        return Ok(vec![refused(ctx.lang, &ActError::UnknownPerson)]);
    };
    if !roles_for(ActionKind::File).any(|role| person.has(role)) {
        return Ok(vec![refused(ctx.lang, &Refusal::NotYourRole.into())]);
    }
    let group = match filing_group(front, ctx).await? {
        Ok(group) => group,
        Err(out) => return Ok(vec![out]),
    };
    let Some(text) = text else {
        if !advance(front, ctx, &Dialogue::Title).await? {
            return Ok(vec![duplicate(ctx.lang)]);
        }
        return Ok(vec![prompt(ctx.lang, "bot-ask-title")]);
    };
    let (title, body) = steps::title_and_body(&text);
    let draft = Draft {
        title,
        body,
        category: front.policy.default_category(),
        group,
        // A photo captioned with the command, or a location, comes along.
        attachment: attachment(&input.photo, &input.location),
    };
    Ok(vec![file(front, ctx, draft).await])
}

/// The group a suggestion from this chat belongs to: the bound group of a group chat, or in
/// a private chat the deputy's only group (the rules ask a deputy of several to file from
/// the group's chat).
async fn filing_group(front: &Front, ctx: &Ctx) -> anyhow::Result<Result<Option<GroupId>, Out>> {
    let Some(chat) = ctx.group_chat_id() else {
        return Ok(Ok(None));
    };
    let bound = front.repo.chat_binding(chat).await?;
    let group = match bound {
        Some(BindTarget::Group(code)) => front.repo.group_id(&code).await?,
        _ => None,
    };
    Ok(match group {
        Some(g) => Ok(Some(g)),
        None => Err(Out::text(i18n::text(ctx.lang, "bot-not-a-group-chat", &[]))),
    })
}

/// Files the draft, tied to the update that asked for it.
pub async fn file(front: &Front, ctx: &Ctx, draft: Draft) -> Out {
    match filed(front, ctx, draft).await {
        Ok(text) => Out::text(text),
        Err(e) => refused(ctx.lang, &e),
    }
}

/// Files the draft; answers the text that says so.
async fn filed(front: &Front, ctx: &Ctx, draft: Draft) -> Result<String, ActError> {
    let title = draft.title.clone();
    let now = front.clock.now();
    let applied = front
        .repo
        .file(&front.policy, ctx.who(), draft, now, Some(ctx.update))
        .await?;
    Ok(match applied {
        Applied::Done { no, .. } => i18n::text(
            ctx.lang,
            "bot-filed",
            &[("no", no.to_string()), ("title", title)],
        ),
        Applied::Duplicate => i18n::text(ctx.lang, "bot-duplicate", &[]),
    })
}

/// The next step of an open dialogue.
pub async fn step(
    front: &Front,
    ctx: &Ctx,
    dialogue: Dialogue,
    input: Input,
) -> anyhow::Result<Vec<Out>> {
    let lang = ctx.lang;
    let ask = |key: &str| Ok(vec![prompt(lang, key)]);
    match dialogue {
        Dialogue::Title => {
            let Some(title) = input.text else {
                return ask("bot-ask-title");
            };
            if let Some(out) = too_long(lang, &title, MAX_TITLE, true) {
                return Ok(vec![out]);
            }
            moved(front, ctx, &Dialogue::Body { title }, || {
                prompt(lang, "bot-ask-body")
            })
            .await
        }
        Dialogue::Body { title } => {
            let Some(body) = input.text else {
                return ask("bot-ask-body");
            };
            if let Some(out) = too_long(lang, &body, MAX_TEXT, false) {
                return Ok(vec![out]);
            }
            let next = Dialogue::Category { title, body };
            moved(front, ctx, &next, || ask_category(front, lang)).await
        }
        Dialogue::Category { title, body } => {
            // A typed category code works as well as the button.
            match input.text.filter(|t| front.policy.categories.contains(t)) {
                Some(category) => {
                    let next = confirm_dialogue(title, body, category, None, None);
                    confirm_step(front, ctx, next).await
                }
                None => Ok(vec![ask_category(front, lang)]),
            }
        }
        Dialogue::Confirm {
            title,
            body,
            category,
            photo,
            location,
        } => {
            if input.photo.is_none() && input.location.is_none() {
                return ask("bot-ask-confirm");
            }
            let next = confirm_dialogue(
                title,
                body,
                category,
                input.photo.or(photo),
                input.location.or(location),
            );
            confirm_step(front, ctx, next).await
        }
        Dialogue::ReturnReason { no } => {
            let Some(reason) = input.text else {
                return ask("bot-ask-reason");
            };
            Ok(text_step(front, ctx, no, Action::Return { reason }).await)
        }
        Dialogue::ProgressText { no } => {
            let Some(text) = input.text else {
                return ask("bot-ask-text");
            };
            Ok(text_step(front, ctx, no, Action::Progress { text }).await)
        }
        Dialogue::ReplyText { no } => {
            let Some(text) = input.text else {
                return ask("bot-ask-text");
            };
            Ok(text_step(front, ctx, no, Action::Reply { text }).await)
        }
        Dialogue::DeclineReason { request } => {
            let Some(reason) = input.text else {
                return ask("bot-ask-reason");
            };
            let outs = residents::decline(front, ctx, request, reason).await?;
            Ok(end(front, ctx, outs).await)
        }
        Dialogue::Concern {
            kind,
            code,
            photo,
            location,
        } => residents::concern(front, ctx, kind, code, photo, location, input).await,
    }
}

/// Saves the next step and answers `next_question`; a redelivered update answers that it
/// was done already.
async fn moved(
    front: &Front,
    ctx: &Ctx,
    next: &Dialogue,
    next_question: impl FnOnce() -> Out,
) -> anyhow::Result<Vec<Out>> {
    Ok(vec![if advance(front, ctx, next).await? {
        next_question()
    } else {
        duplicate(ctx.lang)
    }])
}

/// Ends the dialogue (nothing to answer).
/// The step a dialogue waited for the text of; the dialogue ends with it.
async fn text_step(front: &Front, ctx: &Ctx, no: SuggestionNo, action: Action) -> Vec<Out> {
    let answer = match steps::act(front, ctx, no, Request::Action(action)).await {
        Ok(applied) => Out::text(steps::done(front, ctx.lang, &applied)),
        Err(e) => refused(ctx.lang, &e),
    };
    end(front, ctx, vec![answer]).await
}

/// Ends the dialogue after its step was taken (or refused), with the step's answers. The
/// step is committed already: if the dialogue cannot be ended, the person still reads what the
/// step did, and is asked to `/cancel` so their next message is not read as its answer.
async fn end(front: &Front, ctx: &Ctx, mut answers: Vec<Out>) -> Vec<Out> {
    if let Err(e) = save(front, ctx, None).await {
        tracing::warn!(error = %e, "cannot end a dialogue after its step");
        answers.push(Out::text(i18n::text(
            ctx.lang,
            "bot-dialogue-still-open",
            &[],
        )));
    }
    answers
}

fn too_long(lang: Lang, text: &str, max: usize, title: bool) -> Option<Out> {
    (text.chars().count() > max).then(|| {
        let refusal = if title {
            Refusal::TitleTooLong { max }
        } else {
            Refusal::TextTooLong { max }
        };
        Out::text(i18n::refusal(lang, &refusal))
    })
}

fn ask_category(front: &Front, lang: Lang) -> Out {
    Out::with_buttons(
        i18n::text(lang, "bot-ask-category", &[]),
        buttons::categories(lang, &front.policy.categories),
    )
}

pub fn prompt(lang: Lang, key: &str) -> Out {
    Out::Prompt {
        html: i18n::text(lang, key, &[]),
    }
}

fn duplicate(lang: Lang) -> Out {
    Out::text(i18n::text(lang, "bot-duplicate", &[]))
}

pub fn confirm_dialogue(
    title: String,
    body: String,
    category: String,
    photo: Option<String>,
    location: Option<(f64, f64)>,
) -> Dialogue {
    Dialogue::Confirm {
        title,
        body,
        category,
        photo,
        location,
    }
}

/// Shows the summary with File / Cancel; a photo or location may still come.
pub async fn confirm_step(front: &Front, ctx: &Ctx, next: Dialogue) -> anyhow::Result<Vec<Out>> {
    let lang = ctx.lang;
    let Dialogue::Confirm {
        title,
        body,
        category,
        photo,
        location,
    } = &next
    else {
        anyhow::bail!("confirm_step takes a Confirm step");
    };
    let mut summary = i18n::text(
        lang,
        "bot-confirm",
        &[
            ("title", title.clone()),
            ("body", body.clone()),
            (
                "category",
                i18n::plain(lang, "category-name", &[("code", category.clone())]),
            ),
        ],
    );
    if photo.is_some() {
        summary.push('\n');
        summary.push_str(&i18n::text(lang, "bot-has-photo", &[]));
    }
    if let Some(place) = location {
        summary.push('\n');
        summary.push_str(&location_line(lang, *place));
    }
    moved(front, ctx, &next, || {
        Out::with_buttons(summary, buttons::confirm(lang))
    })
    .await
}

pub fn location_line(lang: Lang, (lat, lon): (f64, f64)) -> String {
    i18n::text(
        lang,
        "bot-has-location",
        &[("lat", lat.to_string()), ("lon", lon.to_string())],
    )
}

/// The File button: files what the dialogue holds. `None`: no draft to file (a stale or
/// someone else's button).
pub async fn confirm(front: &Front, ctx: &Ctx) -> anyhow::Result<Option<Result<String, ActError>>> {
    let Some(Dialogue::Confirm {
        title,
        body,
        category,
        photo,
        location,
    }) = load_dialogue(front, ctx).await?
    else {
        return Ok(None);
    };
    let group = match filing_group(front, ctx).await? {
        Ok(group) => group,
        Err(_) => return Ok(Some(Err(Refusal::NoGroup.into()))),
    };
    let draft = Draft {
        title,
        body,
        category,
        group,
        attachment: attachment(&photo, &location),
    };
    let result = filed(front, ctx, draft).await;
    if result.is_ok() {
        save(front, ctx, None).await?;
    }
    Ok(Some(result))
}

/// The dialogue the person in `ctx` has open in this chat; one this version cannot read is
/// dropped.
pub async fn load_dialogue(front: &Front, ctx: &Ctx) -> anyhow::Result<Option<Dialogue>> {
    let row = front.repo.dialogue(ctx.talk()).await?;
    Ok(row.and_then(|r| Dialogue::from_json(&r.state)))
}

/// Ends the dialogue (or sets it whatever the update): `/cancel`, a finished step.
pub async fn save(front: &Front, ctx: &Ctx, dialogue: Option<&Dialogue>) -> anyhow::Result<()> {
    let json = dialogue.map(Dialogue::to_json);
    let now = front.clock.now();
    front
        .repo
        .save_dialogue(ctx.talk(), json.as_deref(), now, None)
        .await?;
    Ok(())
}

/// Moves the dialogue on, once per update: false if this update did it already.
pub async fn advance(front: &Front, ctx: &Ctx, next: &Dialogue) -> anyhow::Result<bool> {
    let now = front.clock.now();
    let saved = front
        .repo
        .save_dialogue(ctx.talk(), Some(&next.to_json()), now, Some(ctx.update))
        .await?;
    Ok(saved)
}

/// `/cancel` and the Cancel button: ends any dialogue; false if there was none.
pub async fn cancel(front: &Front, ctx: &Ctx) -> anyhow::Result<bool> {
    let had = front.repo.dialogue(ctx.talk()).await?.is_some();
    save(front, ctx, None).await?;
    Ok(had)
}
