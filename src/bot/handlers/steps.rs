//! The loop's steps as commands (§3): review, edit, withdraw, assign, extend, merge,
//! transfer, decline, key, progress, reply, explain, rate. Buttons reach the same [`act`].

use super::{Ctx, Front, Out, refused};
use crate::bot::command::{Command, Verdict};
use crate::domain::{Action, SuggestionNo};
use crate::i18n::{self, Lang};
use crate::storage::{ActError, Applied, Request};

/// A step command, applied once however often its update arrives.
pub async fn command(front: &Front, ctx: &Ctx, command: Command) -> anyhow::Result<Vec<Out>> {
    let Some((no, request)) = request_of(command) else {
        anyhow::bail!("not a step command");
    };
    Ok(vec![match act(front, ctx, no, request).await {
        Ok(applied) => Out::text(done(ctx.lang, &applied)),
        Err(e) => refused(ctx.lang, &e),
    }])
}

/// The repository request a step command asks for.
fn request_of(command: Command) -> Option<(SuggestionNo, Request)> {
    use Command::*;
    let action = |no, a| Some((no, Request::Action(a)));
    match command {
        Edit(no, text) => {
            let (title, body) = title_and_body(&text);
            action(no, Action::Edit { title, body })
        }
        Withdraw(no) => action(no, Action::Withdraw),
        Review(no, Verdict::Accept(level)) => action(no, Action::Accept { level }),
        Review(no, Verdict::Return(reason)) => action(no, Action::Return { reason }),
        Assign {
            no,
            lead,
            co,
            days,
            level,
        } => Some((
            no,
            Request::Assign {
                lead,
                co,
                days,
                level,
            },
        )),
        Extend(no, days, reason) => action(no, Action::Extend { days, reason }),
        Merge(no, into) => Some((no, Request::Merge { into })),
        Transfer(no, reason) => action(no, Action::Transfer { reason }),
        Decline(no, reason) => action(no, Action::Decline { reason }),
        Key(no) => action(no, Action::Key),
        Progress(no, text) => action(no, Action::Progress { text }),
        Reply(no, text) => action(no, Action::Reply { text }),
        Explain(no, text) => action(no, Action::Explain { text }),
        Rate(no, rating) => action(no, Action::Rate { rating }),
        _ => None,
    }
}

/// One transition, by the person in `ctx`, tied to the update that asked for it.
pub async fn act(
    front: &Front,
    ctx: &Ctx,
    no: SuggestionNo,
    request: Request,
) -> Result<Applied, ActError> {
    let now = front.clock.now();
    front
        .repo
        .act(&front.policy, ctx.who(), no, request, now, Some(ctx.update))
        .await
}

/// "Done: 2026-0042 is now accepted." (or: this was done already).
pub fn done(lang: Lang, applied: &Applied) -> String {
    match applied {
        Applied::Done { no, state, .. } => i18n::text(
            lang,
            "bot-done",
            &[
                ("no", no.to_string()),
                ("state", i18n::state_name(lang, *state)),
            ],
        ),
        Applied::Duplicate => i18n::text(lang, "bot-duplicate", &[]),
    }
}

/// The first line is the title, the rest the body.
pub fn title_and_body(text: &str) -> (String, String) {
    let text = text.trim();
    match text.split_once('\n') {
        Some((title, body)) => (title.trim().to_string(), body.trim().to_string()),
        None => (text.to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_is_the_title() {
        assert_eq!(
            title_and_body("  Lights \n Half are out.\nSince May. "),
            ("Lights".into(), "Half are out.\nSince May.".into())
        );
        assert_eq!(
            title_and_body("Only a title"),
            ("Only a title".into(), String::new())
        );
    }

    #[test]
    fn every_step_command_maps_to_a_request() {
        let no = SuggestionNo::new(2026, 1);
        assert!(request_of(Command::Key(no)).is_some());
        assert!(request_of(Command::Merge(no, SuggestionNo::new(2026, 2))).is_some());
        assert!(request_of(Command::Help).is_none());
    }
}
