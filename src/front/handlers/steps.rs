//! The loop's steps as commands (§3): review, edit, withdraw, assign, extend, merge,
//! transfer, decline, key, progress, reply, explain, rate. Buttons reach the same [`act`].

use chrono::NaiveDate;

use super::{Ctx, Front, Out, refused};
use crate::domain::{Action, EventKind, State, SuggestionNo};
use crate::front::command::{Step, Verdict};
use crate::i18n::{self, Lang};
use crate::storage::{ActError, Applied, Request};
use tracing::Instrument;

/// A step command on suggestion `no`, applied once however often its update arrives.
pub async fn command(
    front: &Front,
    ctx: &Ctx,
    no: SuggestionNo,
    step: Step,
) -> anyhow::Result<Vec<Out>> {
    let today = front.policy.rules.local_date(front.clock.now());
    Ok(vec![
        match act(front, ctx, no, request_of(step, today)).await {
            Ok(applied) => Out::text(done(front, ctx.lang, &applied)),
            Err(e) => refused(ctx.lang, &e),
        },
    ])
}

/// The repository request a step command asks for; a vote without a date was held `today`.
fn request_of(step: Step, today: NaiveDate) -> Request {
    let action = Request::Action;
    match step {
        Step::Edit(text) => {
            let (title, body) = title_and_body(&text);
            action(Action::Edit { title, body })
        }
        Step::Withdraw => action(Action::Withdraw),
        Step::Review(Verdict::Accept(level)) => action(Action::Accept { level }),
        Step::Review(Verdict::Return(reason)) => action(Action::Return { reason }),
        Step::Assign {
            lead,
            co,
            days,
            level,
        } => Request::Assign {
            lead,
            co,
            days,
            level,
        },
        Step::Extend(days, reason) => action(Action::Extend { days, reason }),
        Step::Merge(into) => Request::Merge { into },
        Step::Transfer(reason) => action(Action::Transfer { reason }),
        Step::Decline(reason) => action(Action::Decline { reason }),
        Step::Key => action(Action::Key),
        Step::Progress(text) => action(Action::Progress { text }),
        Step::Reply(text) => action(Action::Reply { text }),
        Step::Explain(text) => action(Action::Explain { text }),
        Step::Rate(rating) => action(Action::Rate { rating }),
        Step::Vote { result, on, note } => action(Action::Vote {
            result,
            on: on.unwrap_or(today),
            note,
        }),
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
        .instrument(tracing::info_span!("suggestion", no = %no))
        .await
}

/// What a step did, in the reader's words: progress recorded and the deputy told, a reply
/// sent for rating, a rating on the record with what follows from it, a deadline set. A step
/// applied before says so.
pub fn done(front: &Front, lang: Lang, applied: &Applied) -> String {
    let Applied::Done {
        no,
        state,
        event,
        deadline,
        rating,
        ..
    } = applied
    else {
        return i18n::text(lang, "bot-duplicate", &[]);
    };
    // A key suggestion that would have closed waits for the committee's vote instead.
    let key = match (event, state) {
        (EventKind::Rated, State::Replied) => "bot-done-rated-awaiting-vote",
        (EventKind::Explained, State::Replied) => "bot-done-explained-awaiting-vote",
        _ => done_key(*event),
    };
    let deadline = deadline
        .map(|d| front.policy.rules.show(d))
        .unwrap_or_default();
    let rating = rating
        .map(|r| i18n::rating_name(lang, r))
        .unwrap_or_default();
    i18n::text(
        lang,
        key,
        &[
            ("no", no.to_string()),
            ("state", i18n::state_name(lang, *state)),
            ("deadline", deadline),
            ("rating", rating),
        ],
    )
}

/// The answer's key for a step that did this.
fn done_key(event: EventKind) -> &'static str {
    match event {
        EventKind::Accepted => "bot-done-accepted",
        EventKind::Returned => "bot-done-returned",
        EventKind::Assigned => "bot-done-assigned",
        EventKind::Extended => "bot-done-extended",
        EventKind::Progress => "bot-done-progress",
        EventKind::Replied => "bot-done-replied",
        EventKind::Explained => "bot-done-explained",
        EventKind::Rated => "bot-done-rated",
        EventKind::KeySupervision => "bot-done-key-supervision",
        EventKind::ExplanationRequired => "bot-done-explanation-required",
        EventKind::Resubmitted => "bot-done-resubmitted",
        EventKind::Withdrawn => "bot-done-withdrawn",
        EventKind::Merged => "bot-done-merged",
        EventKind::Transferred => "bot-done-transferred",
        EventKind::Declined => "bot-done-declined",
        EventKind::MarkedKey => "bot-done-marked-key",
        EventKind::VotePassed => "bot-done-vote-passed",
        EventKind::VoteFailed => "bot-done-vote-failed",
        // Filing answers with its own text; closing for want of a rating is the system's.
        EventKind::Filed | EventKind::AutoClosed => "bot-done",
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
    fn every_step_says_what_it_did_in_both_languages() {
        let args = [
            ("no", "2026-0042".to_string()),
            ("state", "x".to_string()),
            ("deadline", "2026-03-01 23:59".to_string()),
            ("rating", "x".to_string()),
        ];
        for kind in EventKind::ALL {
            for lang in [Lang::ZhCn, Lang::EnUs] {
                let text = i18n::text(lang, done_key(kind), &args);
                assert!(text.contains("2026-0042"), "{kind:?} {lang:?}: {text}");
                assert!(!text.contains('{'), "{kind:?} {lang:?}: {text}");
            }
            // What a person does has words of its own; only filing (answered apart) and the
            // system's closing use the line that names the state.
            let generic = matches!(kind, EventKind::Filed | EventKind::AutoClosed);
            assert_eq!(done_key(kind) == "bot-done", generic, "{kind:?}");
        }
    }

    #[test]
    fn step_commands_map_to_their_requests() {
        let into = SuggestionNo::new(2026, 2);
        let today = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        assert_eq!(
            request_of(
                Step::Vote {
                    result: crate::domain::VoteResult::Fail,
                    on: None,
                    note: String::new()
                },
                today
            ),
            Request::Action(Action::Vote {
                result: crate::domain::VoteResult::Fail,
                on: today,
                note: String::new()
            })
        );
        assert_eq!(request_of(Step::Key, today), Request::Action(Action::Key));
        assert_eq!(
            request_of(Step::Merge(into), today),
            Request::Merge { into }
        );
        assert_eq!(
            request_of(Step::Edit("Lights\nHalf are out.".into()), today),
            Request::Action(Action::Edit {
                title: "Lights".into(),
                body: "Half are out.".into()
            })
        );
    }
}
