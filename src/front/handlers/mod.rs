//! The handlers: each turns an input into one repository call and answers. Every bad input
//! ends in a short reply that says what is wrong and what to do, with nothing changed.

mod filing;
mod lists;
mod people;
mod presses;
mod residents;
mod steps;
mod year;

use super::command::{BadCommand, Command};
use super::press::Press;
use super::{Ctx, Front, Input, Out, Outcome, menu};
use crate::domain::refusal::quote;
use crate::i18n::{self, Lang};
use crate::storage::ActError;

pub use lists::colour_mark;

/// A command (or a bad one), for the person in `ctx`. Commands meant for another bot are
/// the adapter's to leave unanswered; here every one gets an answer.
pub async fn command(
    front: &Front,
    ctx: &Ctx,
    parsed: Result<Command, BadCommand>,
    input: Input,
) -> Vec<Out> {
    match parsed {
        Ok(command) => run(front, ctx, command, input).await,
        Err(BadCommand::OtherBot | BadCommand::NotCommand) => Vec::new(),
        Err(BadCommand::Unknown { name, .. }) => vec![Out::text(i18n::text(
            ctx.lang,
            "bot-unknown-command",
            &[("name", quote(&name))],
        ))],
        Err(BadCommand::Usage(name)) => vec![usage(ctx.lang, name)],
        Err(BadCommand::BadNumber(name, text)) => {
            let mut html = i18n::text(ctx.lang, "bot-bad-number", &[("text", quote(&text))]);
            html.push('\n');
            html.push_str(&menu::usage(ctx.lang, name));
            vec![Out::text(html)]
        }
    }
}

/// Any other message: the next step of a dialogue, a resident's concern, or a hint; `None`
/// for talk in a group that is not for minyi.
pub async fn message(front: &Front, ctx: &Ctx, input: Input) -> Option<Vec<Out>> {
    Some(match filing::load_dialogue(front, ctx).await {
        Ok(Some(d)) => filing::step(front, ctx, d, input)
            .await
            .unwrap_or_else(|e| vec![internal(ctx.lang, &e)]),
        Ok(None) if ctx.group_chat() => return None,
        Ok(None) => vec![Out::text(i18n::text(
            ctx.lang,
            if ctx.is_person() {
                "bot-hint-person"
            } else {
                "bot-hint-resident"
            },
            &[],
        ))],
        Err(e) => vec![internal(ctx.lang, &e)],
    })
}

/// A pressed button; `None` is data this version did not write (a stale or foreign button).
pub async fn press(front: &Front, ctx: &Ctx, press: Option<Press>) -> Outcome {
    match press {
        Some(press) => presses::run(front, ctx, press).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "a button failed");
            Outcome::Refused(i18n::text(ctx.lang, "error-internal", &[]))
        }),
        None => presses::stale(ctx.lang),
    }
}

/// A command with its arguments, for the person in `ctx`.
async fn run(front: &Front, ctx: &Ctx, command: Command, input: Input) -> Vec<Out> {
    use Command::*;
    let result: anyhow::Result<Vec<Out>> = match command {
        Start(payload) => people::start(front, ctx, payload).await,
        Help => Ok(vec![Out::text(menu::help(
            ctx.lang,
            ctx.account.person.as_ref(),
        ))]),
        Lang(choice) => people::lang(front, ctx, choice).await,
        Channel(choice) => people::channel(front, ctx, choice).await,
        Cancel => people::cancel(front, ctx).await,
        Bind(code) => people::bind(front, ctx, code).await,
        Invite(code) => people::invite(front, ctx, code).await,
        Web => people::web(front, ctx).await,
        Received(r) => year::received(front, ctx, r).await,
        Voters(v) => year::voters(front, ctx, v).await,
        Record { code, year } => year::record(front, ctx, code, year).await,
        Suggest(text) => filing::suggest(front, ctx, text, input).await,
        My => lists::my(front, ctx, 0).await.map(|o| vec![o]),
        Show(no) => super::show::show(front, ctx, no).await,
        Queue => lists::queue(front, ctx).await,
        Overdue => lists::overdue(front, ctx).await,
        Stats(month) => lists::stats(front, ctx, month).await,
        Inbox if ctx.group_chat() => Ok(vec![private_only(ctx)]),
        Inbox => residents::inbox(front, ctx).await,
        Adopt(rno, category) => residents::adopt(front, ctx, rno, category).await,
        DeclineRequest(rno, reason) => residents::decline(front, ctx, rno, reason).await,
        Step(no, step) => steps::command(front, ctx, no, step).await,
    };
    result.unwrap_or_else(|e| vec![internal(ctx.lang, &e)])
}

/// The reply to a refused or impossible request.
pub fn refused(lang: Lang, error: &ActError) -> Out {
    if let ActError::Store(e) = error {
        tracing::error!(error = %e, "storage failed");
    }
    Out::text(i18n::text(lang, error.key(), &error.args()))
}

/// Residents' requests stay out of group chats.
pub fn private_only(ctx: &Ctx) -> Out {
    Out::text(i18n::text(ctx.lang, "bot-private-only-command", &[]))
}

/// The reply when something on our side failed: logged, and the person told nothing changed.
pub fn internal(lang: Lang, error: &anyhow::Error) -> Out {
    tracing::error!(error = %error, "a command failed");
    Out::text(i18n::text(lang, "error-internal", &[]))
}

pub fn usage(lang: Lang, name: &str) -> Out {
    Out::text(i18n::text(
        lang,
        "bot-usage",
        &[(
            "usage",
            i18n::plain(lang, &format!("bot-usage-{name}"), &[]),
        )],
    ))
}
