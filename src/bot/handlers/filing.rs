//! `/suggest`: at once with text (first line the title), or a short dialogue — title, body,
//! category from buttons, an optional photo or location, then File or Cancel. Also the
//! dialogue steps that only wait for a reason, and a resident's concern.

use super::{Ctx, Front, Input, Out, refused, residents, steps};
use crate::bot::dialogue::{Dialogue, attachment};
use crate::bot::keyboard;
use crate::domain::{
    Action, Draft, GroupId, MAX_TEXT, MAX_TITLE, Refusal, ResidentNo, SuggestionNo,
};
use crate::i18n::{self, Lang};
use crate::storage::{ActError, Applied, BindTarget, Request};

pub async fn suggest(front: &Front, ctx: &Ctx, text: Option<String>) -> anyhow::Result<Vec<Out>> {
    if !ctx.is_person() {
        return Ok(vec![refused(ctx.lang, &ActError::UnknownPerson)]);
    }
    let group = match filing_group(front, ctx).await? {
        Ok(group) => group,
        Err(out) => return Ok(vec![out]),
    };
    let Some(text) = text else {
        save(front, ctx, Some(&Dialogue::Title)).await?;
        return Ok(vec![Out::text(i18n::text(ctx.lang, "bot-ask-title", &[]))]);
    };
    let (title, body) = steps::title_and_body(&text);
    let draft = Draft {
        title,
        body,
        category: default_category(front),
        group,
        attachment: Default::default(),
    };
    Ok(vec![file(front, ctx, draft).await])
}

/// The group a suggestion from this chat belongs to: the bound group of a group chat, or in
/// a private chat the deputy's only group (the rules ask a deputy of several to file from
/// the group's chat).
async fn filing_group(front: &Front, ctx: &Ctx) -> anyhow::Result<Result<Option<GroupId>, Out>> {
    if !ctx.group_chat {
        return Ok(Ok(None));
    }
    let bound = front.repo.chat_binding(ctx.chat).await?;
    let group = match bound {
        Some(BindTarget::Group(code)) => front.repo.group_id(&code).await?,
        _ => None,
    };
    Ok(match group {
        Some(g) => Ok(Some(g)),
        None => Err(Out::text(i18n::text(ctx.lang, "bot-not-a-group-chat", &[]))),
    })
}

fn default_category(front: &Front) -> String {
    let categories = &front.policy.categories;
    if categories.iter().any(|c| c == "other") {
        "other".to_string()
    } else {
        categories
            .first()
            .cloned()
            .unwrap_or_else(|| "other".to_string())
    }
}

/// Files the draft, tied to the update that asked for it.
pub async fn file(front: &Front, ctx: &Ctx, draft: Draft) -> Out {
    let title = draft.title.clone();
    let now = front.clock.now();
    let filed = front
        .repo
        .file(&front.policy, ctx.who(), draft, now, Some(ctx.update))
        .await;
    match filed {
        Ok(Applied::Done { no, .. }) => Out::text(i18n::text(
            ctx.lang,
            "bot-filed",
            &[("no", no.to_string()), ("title", title)],
        )),
        Ok(Applied::Duplicate) => Out::text(i18n::text(ctx.lang, "bot-duplicate", &[])),
        Err(e) => refused(ctx.lang, &e),
    }
}

/// The next step of an open dialogue.
pub async fn step(
    front: &Front,
    ctx: &Ctx,
    dialogue: Dialogue,
    input: Input,
) -> anyhow::Result<Vec<Out>> {
    let lang = ctx.lang;
    let ask = |key: &str| Ok(vec![Out::text(i18n::text(lang, key, &[]))]);
    match dialogue {
        Dialogue::Title => {
            let Some(title) = input.text else {
                return ask("bot-ask-title");
            };
            if let Some(out) = too_long(lang, &title, MAX_TITLE, true) {
                return Ok(vec![out]);
            }
            save(front, ctx, Some(&Dialogue::Body { title })).await?;
            ask("bot-ask-body")
        }
        Dialogue::Body { title } => {
            let Some(body) = input.text else {
                return ask("bot-ask-body");
            };
            if let Some(out) = too_long(lang, &body, MAX_TEXT, false) {
                return Ok(vec![out]);
            }
            save(front, ctx, Some(&Dialogue::Category { title, body })).await?;
            Ok(vec![ask_category(front, lang)])
        }
        Dialogue::Category { title, body } => {
            // A typed category code works as well as the button.
            match input.text.filter(|t| front.policy.categories.contains(t)) {
                Some(category) => confirm_step(front, ctx, title, body, category, None, None).await,
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
            let photo = input.photo.or(photo);
            let location = input.location.or(location);
            confirm_step(front, ctx, title, body, category, photo, location).await
        }
        Dialogue::ReturnReason { no } => {
            let Some(reason) = input.text else {
                return ask("bot-ask-reason");
            };
            let Ok(no) = SuggestionNo::parse(&no) else {
                return end(front, ctx).await;
            };
            let request = Request::Action(Action::Return { reason });
            finish_with(
                front,
                ctx,
                steps::act(front, ctx, no, request)
                    .await
                    .map(|a| steps::done(lang, &a)),
            )
            .await
        }
        Dialogue::DeclineReason { request } => {
            let Some(reason) = input.text else {
                return ask("bot-ask-reason");
            };
            let Ok(rno) = ResidentNo::parse(&request) else {
                return end(front, ctx).await;
            };
            let outs = residents::decline(front, ctx, rno, reason).await?;
            save(front, ctx, None).await?;
            Ok(outs)
        }
        Dialogue::Concern {
            kind,
            code,
            photo,
            location,
        } => residents::concern(front, ctx, kind, code, photo, location, input).await,
    }
}

/// Ends the dialogue once its step is done (or refused: the person starts again with the
/// command, which says what was wrong).
async fn finish_with(
    front: &Front,
    ctx: &Ctx,
    result: Result<String, ActError>,
) -> anyhow::Result<Vec<Out>> {
    save(front, ctx, None).await?;
    Ok(vec![match result {
        Ok(text) => Out::text(text),
        Err(e) => refused(ctx.lang, &e),
    }])
}

async fn end(front: &Front, ctx: &Ctx) -> anyhow::Result<Vec<Out>> {
    save(front, ctx, None).await?;
    Ok(Vec::new())
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
        keyboard::categories(lang, &front.policy.categories),
    )
}

/// Shows the summary with File / Cancel; a photo or location may still come.
pub async fn confirm_step(
    front: &Front,
    ctx: &Ctx,
    title: String,
    body: String,
    category: String,
    photo: Option<String>,
    location: Option<(f64, f64)>,
) -> anyhow::Result<Vec<Out>> {
    let lang = ctx.lang;
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
    if let Some((lat, lon)) = location {
        summary.push('\n');
        summary.push_str(&i18n::text(
            lang,
            "bot-has-location",
            &[("lat", lat.to_string()), ("lon", lon.to_string())],
        ));
    }
    let next = Dialogue::Confirm {
        title,
        body,
        category,
        photo,
        location,
    };
    save(front, ctx, Some(&next)).await?;
    Ok(vec![Out::with_buttons(summary, keyboard::confirm(lang))])
}

/// The File button: files what the dialogue holds.
pub async fn confirm(front: &Front, ctx: &Ctx, dialogue: Option<Dialogue>) -> anyhow::Result<Out> {
    let Some(Dialogue::Confirm {
        title,
        body,
        category,
        photo,
        location,
    }) = dialogue
    else {
        return Ok(Out::text(i18n::text(ctx.lang, "bot-stale-button", &[])));
    };
    let group = match filing_group(front, ctx).await? {
        Ok(group) => group,
        Err(out) => return Ok(out),
    };
    let draft = Draft {
        title,
        body,
        category,
        group,
        attachment: attachment(&photo, &location),
    };
    let out = file(front, ctx, draft).await;
    save(front, ctx, None).await?;
    Ok(out)
}

pub async fn save(front: &Front, ctx: &Ctx, dialogue: Option<&Dialogue>) -> anyhow::Result<()> {
    let json = dialogue.map(Dialogue::to_json);
    let now = front.clock.now();
    front
        .repo
        .save_dialogue(ctx.chat, ctx.from, json.as_deref(), now)
        .await?;
    Ok(())
}
