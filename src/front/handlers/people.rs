//! Who someone is and where: `/start` (with an invite or a resident's deep link), `/lang`,
//! `/cancel`, `/bind` (a group chat to a group, org or unit) and `/invite`.

use super::{Ctx, Front, Out, refused, residents};
use crate::domain::reach::PersonChannel;
use crate::front::buttons;
use crate::front::dialogue::LinkKind;
use crate::i18n::{self, Lang};
use crate::storage::{
    ActError, BindTarget, Channels, InviteError, InviteToken, LINK_VALID, WebSecret,
};
use crate::telegram::links::invite_link;

pub async fn start(front: &Front, ctx: &Ctx, payload: Option<String>) -> anyhow::Result<Vec<Out>> {
    let payload = payload.unwrap_or_default();
    if ctx.telegram().is_none() {
        // Deep links are Telegram's: on WeCom the corporation's directory says who this is.
        return Ok(vec![Out::text(greeting(ctx))]);
    }
    if let Some(token) = InviteToken::from_start_payload(&payload) {
        return redeem(front, ctx, &token).await;
    }
    if ctx.group_chat() && !payload.is_empty() {
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
    Ok(vec![Out::text(greeting(ctx))])
}

fn greeting(ctx: &Ctx) -> String {
    match &ctx.account.person {
        Some(p) => i18n::text(ctx.lang, "bot-welcome-person", &[("name", p.name.clone())]),
        None => i18n::text(ctx.lang, "bot-welcome-resident", &[]),
    }
}

/// `inv_<token>`: binds this Telegram account to the invited roster person.
async fn redeem(front: &Front, ctx: &Ctx, token: &InviteToken) -> anyhow::Result<Vec<Out>> {
    let Some((_, from)) = ctx.telegram().filter(|_| !ctx.group_chat()) else {
        return Ok(vec![Out::text(i18n::text(
            ctx.lang,
            "bot-private-only",
            &[],
        ))]);
    };
    let now = front.clock.now();
    match front.repo.redeem_invite(&token.hash(), from, now).await {
        Ok(_) => {
            // Read back who this is now, to greet them in their roster language.
            let account = front.repo.account(from).await?;
            let lang = account.lang.unwrap_or(ctx.lang);
            let name = account
                .person
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let mut text = i18n::text(lang, "bot-invite-redeemed", &[("name", name)]);
            text.push_str("\n\n");
            text.push_str(&crate::front::menu::help(lang, account.person.as_ref()));
            Ok(vec![Out::text(text)])
        }
        Err(InviteError::Store(e)) => Err(e.into()),
        Err(e) => Ok(vec![Out::text(i18n::text(ctx.lang, e.key(), &e.args()))]),
    }
}

/// `/web`: a one-time link to the board, for the person alone (asked in a group, it comes
/// privately). It works once, for [`LINK_VALID`]; only its hash is stored.
pub async fn web(front: &Front, ctx: &Ctx) -> anyhow::Result<Vec<Out>> {
    let Some(base) = front.config.web.public_url.as_deref() else {
        return Ok(vec![Out::text(i18n::text(ctx.lang, "bot-web-off", &[]))]);
    };
    let token = WebSecret::new();
    let now = front.clock.now();
    match front
        .repo
        .create_web_link(ctx.who(), &token.hash(), now, now + LINK_VALID)
        .await
    {
        Ok(_) => {
            let link = format!("{base}/web/in/{}", token.expose());
            let minutes = LINK_VALID.num_minutes().to_string();
            let board = front.config.web.mini_app();
            Ok(vec![Out::Private {
                html: i18n::text(
                    ctx.lang,
                    "bot-web-link",
                    &[("link", link), ("minutes", minutes)],
                ),
                board,
            }])
        }
        Err(ActError::Store(e)) => Err(e.into()),
        Err(e) => Ok(vec![refused(ctx.lang, &e)]),
    }
}

/// `/lang zh|en`; without an argument, buttons.
pub async fn lang(front: &Front, ctx: &Ctx, choice: Option<String>) -> anyhow::Result<Vec<Out>> {
    let Some(choice) = choice else {
        return Ok(vec![Out::with_buttons(
            i18n::text(ctx.lang, "bot-lang-choose", &[]),
            buttons::langs(),
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
    front.repo.set_lang(ctx.talk(), lang, now).await?;
    Ok(Some(i18n::text(lang, "bot-lang-set", &[])))
}

/// `/channel telegram|wecom|all`: where a roster person's pushes go. Without a word: the
/// channels they have and the one they prefer.
pub async fn channel(front: &Front, ctx: &Ctx, choice: Option<String>) -> anyhow::Result<Vec<Out>> {
    let have = match front.repo.channels(ctx.who()).await {
        // A WeCom userid reaches nobody while the WeCom app is not configured.
        Ok(have) => Channels {
            wecom: have.wecom && front.policy.wecom,
            ..have
        },
        Err(e) => return Ok(vec![refused(ctx.lang, &e)]),
    };
    let Some(choice) = choice else {
        let now = i18n::text(
            ctx.lang,
            "bot-channel-now",
            &channel_args(ctx.lang, &have, have.preferred),
        );
        return Ok(vec![Out::text(format!(
            "{now}\n{}",
            crate::front::menu::usage(ctx.lang, "channel")
        ))]);
    };
    let preferred = match choice.to_ascii_lowercase().as_str() {
        "all" => None,
        word => match PersonChannel::parse(word) {
            Some(channel) => Some(channel),
            None => return Ok(vec![super::usage(ctx.lang, "channel")]),
        },
    };
    let present = |c: PersonChannel| match c {
        PersonChannel::Telegram => have.telegram,
        PersonChannel::WeCom => have.wecom,
    };
    if let Some(missing) = preferred.filter(|c| !present(*c)) {
        let args = [("channel", channel_name(ctx.lang, Some(missing)))];
        return Ok(vec![Out::text(i18n::text(
            ctx.lang,
            "bot-channel-missing",
            &args,
        ))]);
    }
    if let Err(e) = front.repo.set_channel(ctx.who(), preferred).await {
        return Ok(vec![refused(ctx.lang, &e)]);
    }
    let args = channel_args(ctx.lang, &have, preferred);
    Ok(vec![Out::text(i18n::text(
        ctx.lang,
        "bot-channel-set",
        &args,
    ))])
}

/// The arguments of the `/channel` answers: the channels a person has and the one chosen.
fn channel_args(
    lang: Lang,
    have: &Channels,
    preferred: Option<PersonChannel>,
) -> [(&'static str, String); 2] {
    let mut names: Vec<String> = Vec::new();
    if have.telegram {
        names.push(channel_name(lang, Some(PersonChannel::Telegram)));
    }
    if have.wecom {
        names.push(channel_name(lang, Some(PersonChannel::WeCom)));
    }
    [
        ("have", names.join(list_separator(lang))),
        ("channel", channel_name(lang, preferred)),
    ]
}

/// Between the items of a short list: 、 in Chinese.
fn list_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "、",
        Lang::EnUs => ", ",
    }
}

fn channel_name(lang: Lang, channel: Option<PersonChannel>) -> String {
    let key = match channel {
        Some(PersonChannel::Telegram) => "bot-channel-telegram",
        Some(PersonChannel::WeCom) => "bot-channel-wecom",
        None => "bot-channel-all",
    };
    i18n::plain(lang, key, &[])
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
    let Some(chat) = ctx.group_chat_id() else {
        return Ok(vec![Out::text(i18n::text(
            ctx.lang,
            "bot-bind-in-group",
            &[],
        ))]);
    };
    let now = front.clock.now();
    // The code says what it names: try a group, an org, then a unit.
    let targets = [
        BindTarget::Group(code.clone()),
        BindTarget::Org(code.clone()),
        BindTarget::Unit(code.clone()),
    ];
    for target in targets {
        match front.repo.bind_chat(ctx.who(), chat, target, now).await {
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
            if ctx.group_chat() {
                // A working invite must not sit in a group's history: it goes privately.
                let said = i18n::text(ctx.lang, "bot-invite-sent-privately", &[]);
                return Ok(vec![
                    Out::Private {
                        html: text,
                        board: None,
                    },
                    Out::text(said),
                ]);
            }
            Ok(vec![Out::text(text)])
        }
        Err(InviteError::Store(e)) => Err(e.into()),
        Err(e) => Ok(vec![Out::text(i18n::text(ctx.lang, e.key(), &e.args()))]),
    }
}
