//! Residents' requests: a resident opens `d_<code>`/`g_<code>` and writes a concern; the
//! deputy sees it in `/inbox` and adopts or declines it; the resident hears back and, at the
//! end, answers "was it solved?". A resident's name and Telegram id never leave this side.

use super::filing::{advance, location_line, save};
use super::{Ctx, Front, Input, Out, refused};
use crate::domain::{Refusal, ResidentNo, SuggestionNo};
use crate::front::buttons;
use crate::front::dialogue::{Dialogue, LinkKind, attachment};
use crate::i18n;
use crate::storage::{ActError, NewRequest, RequestApplied};

/// How many open requests `/inbox` shows at once (the oldest first).
const INBOX_PAGE: i64 = 10;

/// `/start d_<code>` or `g_<code>`: asks for the concern.
pub async fn begin(
    front: &Front,
    ctx: &Ctx,
    kind: LinkKind,
    code: &str,
) -> anyhow::Result<Vec<Out>> {
    let target = kind.target(code);
    let Some(name) = front.repo.request_target_name(&target).await? else {
        let e = crate::storage::ActError::UnknownTarget(code.to_string());
        return Ok(vec![refused(ctx.lang, &e)]);
    };
    let dialogue = Dialogue::Concern {
        kind,
        code: code.to_string(),
        photo: None,
        location: None,
    };
    save(front, ctx, Some(&dialogue)).await?;
    // Pushes to a resident go out in the language their app reported at first contact.
    if ctx.account.lang.is_none() {
        let now = front.clock.now();
        front.repo.set_lang(ctx.talk(), ctx.lang, now).await?;
    }
    let key = match kind {
        LinkKind::Deputy => "bot-concern-to-deputy",
        LinkKind::Group => "bot-concern-to-group",
    };
    Ok(vec![Out::text(i18n::text(
        ctx.lang,
        key,
        &[("name", name)],
    ))])
}

/// The concern's message: a text (with any photo or location sent before it) numbers the
/// request; a photo or location alone is kept until the text comes.
pub async fn concern(
    front: &Front,
    ctx: &Ctx,
    kind: LinkKind,
    code: String,
    photo: Option<String>,
    location: Option<(f64, f64)>,
    input: Input,
) -> anyhow::Result<Vec<Out>> {
    let photo = input.photo.or(photo);
    let location = input.location.or(location);
    let Some(text) = input.text else {
        let next = Dialogue::Concern {
            kind,
            code,
            photo,
            location,
        };
        let key = if advance(front, ctx, &next).await? {
            "bot-concern-need-text"
        } else {
            "bot-duplicate"
        };
        return Ok(vec![Out::text(i18n::text(ctx.lang, key, &[]))]);
    };
    // Residents reach minyi by Telegram's deep links only, so a concern comes from there.
    let Some((chat, from)) = ctx.telegram() else {
        save(front, ctx, None).await?;
        return Ok(vec![Out::text(i18n::text(
            ctx.lang,
            "bot-hint-person",
            &[],
        ))]);
    };
    let request = NewRequest {
        target: kind.target(&code),
        telegram_id: from,
        chat_id: chat,
        text,
        attachment: attachment(&photo, &location),
    };
    let now = front.clock.now();
    let opened = front
        .repo
        .open_request(&front.policy, request, now, Some(ctx.update))
        .await;
    Ok(vec![match opened {
        Ok(RequestApplied::Done { no, .. }) => {
            save(front, ctx, None).await?;
            Out::text(i18n::text(
                ctx.lang,
                "bot-concern-received",
                &[("request", no.to_string())],
            ))
        }
        Ok(RequestApplied::Duplicate) => {
            save(front, ctx, None).await?;
            Out::text(i18n::text(ctx.lang, "bot-duplicate", &[]))
        }
        // A bad text keeps the dialogue open: the resident writes it again.
        Err(e) => refused(ctx.lang, &e),
    }])
}

/// `/inbox`: open requests, each with Adopt / Decline.
pub async fn inbox(front: &Front, ctx: &Ctx) -> anyhow::Result<Vec<Out>> {
    let page = match front.repo.inbox(ctx.who(), INBOX_PAGE).await {
        Ok(page) => page,
        Err(e) => return Ok(vec![refused(ctx.lang, &e)]),
    };
    if page.rows.is_empty() {
        return Ok(vec![Out::text(i18n::text(
            ctx.lang,
            "bot-inbox-empty",
            &[],
        ))]);
    }
    let mut outs = vec![Out::text(i18n::text(
        ctx.lang,
        "bot-inbox-head",
        &[
            ("shown", page.rows.len().to_string()),
            ("total", page.total.to_string()),
        ],
    ))];
    for r in page.rows {
        let mut html = i18n::text(
            ctx.lang,
            "bot-inbox-item",
            &[
                ("request", r.no.to_string()),
                ("date", front.policy.rules.show(r.created_at)),
                ("text", r.text),
            ],
        );
        if r.attachment.photo.is_some() {
            html.push('\n');
            html.push_str(&i18n::text(ctx.lang, "bot-has-photo", &[]));
        }
        if let Some(place) = r.attachment.location {
            html.push('\n');
            html.push_str(&location_line(ctx.lang, place));
        }
        outs.push(Out::with_buttons(html, buttons::request(ctx.lang, r.no)));
        if let Some(file_id) = r.attachment.photo {
            outs.push(Out::Photo { file_id });
        }
    }
    Ok(outs)
}

/// `/adopt R-… [category]`.
pub async fn adopt(
    front: &Front,
    ctx: &Ctx,
    no: ResidentNo,
    category: Option<String>,
) -> anyhow::Result<Vec<Out>> {
    Ok(vec![match adopted(front, ctx, no, category).await {
        Ok(text) => Out::text(text),
        Err(e) => refused(ctx.lang, &e),
    }])
}

/// Adopts the request (the command, or the Adopt button); answers the text that says so.
pub async fn adopted(
    front: &Front,
    ctx: &Ctx,
    no: ResidentNo,
    category: Option<String>,
) -> Result<String, ActError> {
    if let Some(c) = category
        .as_ref()
        .filter(|c| !front.policy.categories.contains(c))
    {
        return Err(Refusal::UnknownCategory(c.clone()).into());
    }
    let now = front.clock.now();
    let update = Some(ctx.update);
    let who = ctx.who();
    let adopted = front
        .repo
        .adopt_request(&front.policy, who, no, category, now, update)
        .await?;
    Ok(match adopted {
        RequestApplied::Done {
            no: rno,
            suggestion,
        } => i18n::text(
            ctx.lang,
            "bot-adopted",
            &[
                ("request", rno.to_string()),
                ("no", suggestion.map(|s| s.to_string()).unwrap_or_default()),
            ],
        ),
        RequestApplied::Duplicate => i18n::text(ctx.lang, "bot-duplicate", &[]),
    })
}

/// `/decline R-… <reason>` or the reason after the Decline button.
pub async fn decline(
    front: &Front,
    ctx: &Ctx,
    no: ResidentNo,
    reason: String,
) -> anyhow::Result<Vec<Out>> {
    let now = front.clock.now();
    let declined = front
        .repo
        .decline_request(&front.policy, ctx.who(), no, &reason, now, Some(ctx.update))
        .await;
    Ok(vec![match declined {
        Ok(RequestApplied::Done { no, .. }) => Out::text(i18n::text(
            ctx.lang,
            "bot-request-declined",
            &[("request", no.to_string())],
        )),
        Ok(RequestApplied::Duplicate) => Out::text(i18n::text(ctx.lang, "bot-duplicate", &[])),
        Err(e) => refused(ctx.lang, &e),
    }])
}

/// The resident's Yes / No to "was it solved?".
pub async fn solved(
    front: &Front,
    ctx: &Ctx,
    no: SuggestionNo,
    yes: bool,
) -> Result<String, ActError> {
    // Only residents are asked, and they are on Telegram.
    let Some((_, from)) = ctx.telegram() else {
        return Err(ActError::UnknownPerson);
    };
    let now = front.clock.now();
    let answered = front
        .repo
        .answer_solved(&front.policy, from, no, yes, now, Some(ctx.update))
        .await?;
    Ok(match answered {
        RequestApplied::Duplicate => i18n::text(ctx.lang, "bot-duplicate", &[]),
        RequestApplied::Done { .. } if yes => i18n::text(ctx.lang, "bot-solved-yes", &[]),
        RequestApplied::Done { .. } => i18n::text(ctx.lang, "bot-solved-no", &[]),
    })
}
