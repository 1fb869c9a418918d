//! Who someone is and where: `/start` (with an invite or a resident's deep link), `/lang`,
//! `/cancel`, `/bind` (a group chat to a group, org or unit) and `/invite`.

use super::{Ctx, Front, Out, refused, residents};
use crate::bot::dialogue::LinkKind;
use crate::i18n::{self, Lang};
use crate::storage::{ActError, BindTarget, InviteError, InviteToken};
use crate::telegram::keyboard;
use crate::telegram::links::invite_link;

pub async fn start(front: &Front, ctx: &Ctx, payload: Option<String>) -> anyhow::Result<Vec<Out>> {
    let payload = payload.unwrap_or_default();
    if let Some(token) = InviteToken::from_start_payload(&payload) {
        return redeem(front, ctx, &token).await;
    }
    if ctx.group_chat && !payload.is_empty() {
        // Deep links are for private chats; in a group they would expose the resident.
        return Ok(vec![Out::text(i18n::text(
            ctx.lang,
            "bot-private-only",
            &[],
        ))]);
    }
    if let Some(code) = payload.strip_prefix("d_") {
        return residents::begin(front, ctx, LinkKind::Deputy, code).await;
    }
    if let Some(code) = payload.strip_prefix("g_") {
        return residents::begin(front, ctx, LinkKind::Group, code).await;
    }
    let greeting = match &ctx.account.person {
        Some(p) => i18n::text(ctx.lang, "bot-welcome-person", &[("name", p.name.clone())]),
        None => i18n::text(ctx.lang, "bot-welcome-resident", &[]),
    };
    Ok(vec![Out::text(greeting)])
}

/// `inv_<token>`: binds this Telegram account to the invited roster person.
async fn redeem(front: &Front, ctx: &Ctx, token: &InviteToken) -> anyhow::Result<Vec<Out>> {
    if ctx.group_chat {
        return Ok(vec![Out::text(i18n::text(
            ctx.lang,
            "bot-private-only",
            &[],
        ))]);
    }
    let now = front.clock.now();
    match front.repo.redeem_invite(&token.hash(), ctx.from, now).await {
        Ok(_) => {
            // Read back who this is now, to greet them in their roster language.
            let account = front.repo.account(ctx.from).await?;
            let lang = account.lang.unwrap_or(ctx.lang);
            let name = account
                .person
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let mut text = i18n::text(lang, "bot-invite-redeemed", &[("name", name)]);
            text.push_str("\n\n");
            text.push_str(&crate::bot::menu::help(lang, account.person.as_ref()));
            Ok(vec![Out::text(text)])
        }
        Err(InviteError::Store(e)) => Err(e.into()),
        Err(e) => Ok(vec![Out::text(i18n::text(ctx.lang, e.key(), &e.args()))]),
    }
}

/// `/lang zh|en`; without an argument, buttons.
pub async fn lang(front: &Front, ctx: &Ctx, choice: Option<String>) -> anyhow::Result<Vec<Out>> {
    let Some(choice) = choice else {
        return Ok(vec![Out::with_buttons(
            i18n::text(ctx.lang, "bot-lang-choose", &[]),
            keyboard::langs(),
        )]);
    };
    Ok(vec![set_lang(front, ctx, &choice).await?])
}

pub async fn set_lang(front: &Front, ctx: &Ctx, choice: &str) -> anyhow::Result<Out> {
    Ok(match chosen_lang(front, ctx, choice).await? {
        Some(text) => Out::text(text),
        None => super::usage(ctx.lang, "lang"),
    })
}

/// Stores a language choice; answers its confirmation in the new language, or `None` for a
/// language minyi does not speak.
pub async fn chosen_lang(front: &Front, ctx: &Ctx, choice: &str) -> anyhow::Result<Option<String>> {
    let Some(lang) = Lang::parse(choice) else {
        return Ok(None);
    };
    let now = front.clock.now();
    front.repo.set_lang(ctx.from, lang, now).await?;
    Ok(Some(i18n::text(lang, "bot-lang-set", &[])))
}

/// `/cancel`: leaves any dialogue.
pub async fn cancel(front: &Front, ctx: &Ctx) -> anyhow::Result<Vec<Out>> {
    let had = super::filing::cancel(front, ctx).await?;
    let key = if had {
        "bot-cancelled"
    } else {
        "bot-nothing-to-cancel"
    };
    Ok(vec![Out::text(i18n::text(ctx.lang, key, &[]))])
}

/// `/bind <code>` in a group chat: the chat gets that group's, org's or unit's pushes.
pub async fn bind(front: &Front, ctx: &Ctx, code: String) -> anyhow::Result<Vec<Out>> {
    if !ctx.group_chat {
        return Ok(vec![Out::text(i18n::text(
            ctx.lang,
            "bot-bind-in-group",
            &[],
        ))]);
    }
    let now = front.clock.now();
    // The code says what it names: try a group, an org, then a unit.
    let targets = [
        BindTarget::Group(code.clone()),
        BindTarget::Org(code.clone()),
        BindTarget::Unit(code.clone()),
    ];
    for target in targets {
        match front.repo.bind_chat(ctx.who(), ctx.chat, target, now).await {
            Ok(()) => {
                return Ok(vec![Out::text(i18n::text(
                    ctx.lang,
                    "bot-bound",
                    &[("code", code)],
                ))]);
            }
            Err(ActError::UnknownCode(_)) => continue,
            Err(e) => return Ok(vec![refused(ctx.lang, &e)]),
        }
    }
    Ok(vec![refused(ctx.lang, &ActError::UnknownCode(code))])
}

/// `/invite <person code>`: a one-time deep link, answered privately.
pub async fn invite(front: &Front, ctx: &Ctx, code: String) -> anyhow::Result<Vec<Out>> {
    let token = InviteToken::new();
    let now = front.clock.now();
    let expires = now + chrono::Duration::days(front.config.invite_valid_days.into());
    match front
        .repo
        .create_invite(
            ctx.who(),
            &code,
            &token.hash(),
            now,
            expires,
            Some(ctx.update),
        )
        .await
    {
        Ok(name) => {
            let link = invite_link(&front.username, &token);
            let text = i18n::text(
                ctx.lang,
                "bot-invite-link",
                &[
                    ("name", name),
                    ("code", code),
                    ("link", link),
                    ("days", front.config.invite_valid_days.to_string()),
                ],
            );
            if ctx.group_chat {
                // A working invite must not sit in a group's history: it goes privately.
                crate::bot::reply::send_to(front, ctx.from, &text).await;
                return Ok(vec![Out::text(i18n::text(
                    ctx.lang,
                    "bot-invite-sent-privately",
                    &[],
                ))]);
            }
            Ok(vec![Out::text(text)])
        }
        Err(InviteError::Store(e)) => Err(e.into()),
        Err(e) => Ok(vec![Out::text(i18n::text(ctx.lang, e.key(), &e.args()))]),
    }
}
