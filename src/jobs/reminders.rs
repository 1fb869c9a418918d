//! The reminder jobs: deadlines with three-colour escalation (§3), monthly quotas and
//! reception days. Each is a function of (database, time, configuration) that answers the
//! pushes of its run; the caller queues them with the run's claim, in one transaction.

use chrono::{Datelike, Duration};

use super::JobCtx;
use crate::domain::reminders::{rating_reminder, rating_reminder_day, reminded};
use crate::domain::{Action, Colour, Notice, State, Suggestion};
use crate::storage::{JobPush, Request, Who};

/// `deadline_reminders`: every open step with a deadline that is yellow reminds whose step it
/// is (the unit's contacts; for the first review the leaders, for the assignment the clerks)
/// and the org's secretaries; red reminds them and the chairs. The rating window's reminder
/// goes to the deputy on its day.
/// Each item at most once a day per audience. Unrated replies whose window ended are closed
/// (outcome unrated) first.
pub async fn deadlines(
    ctx: &JobCtx<'_>,
    at: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Vec<JobPush>> {
    let rules = &ctx.policy.rules;
    let window = i64::from(rules.rating_days.max(rules.yellow_days + 1));
    let open = ctx
        .repo
        .open_deadlines(at + Duration::days(window + 1))
        .await?;
    let today = rules.local_date(at);
    let mut pushes = Vec::new();
    for s in open {
        let Some(deadline) = s.deadline else { continue };
        if s.state == State::Replied {
            if at > deadline {
                close_unrated(ctx, &s, at).await;
            } else if today >= rating_reminder_day(rules, rules.local_date(deadline)) {
                // Once: the reminder's own day is its key.
                let day = rating_reminder_day(rules, rules.local_date(deadline));
                let once = format!("rate-{day}");
                pushes.push(about(&s, rating_reminder(s.no), &once));
            }
            continue;
        }
        let colour = rules.colour(deadline, at);
        if colour == Colour::Green {
            continue;
        }
        let args = vec![
            ("colour", colour.as_str().to_string()),
            ("deadline", rules.show(deadline)),
            ("days", rules.days_left(deadline, at).abs().to_string()),
        ];
        let day = today.to_string();
        for notice in reminded(s.no, s.state, colour, &args) {
            pushes.push(about(&s, notice, &day));
        }
    }
    Ok(pushes)
}

/// Closes an unrated reply whose window ended (the system's own step, with its notices).
async fn close_unrated(ctx: &JobCtx<'_>, s: &Suggestion, at: chrono::DateTime<chrono::Utc>) {
    let request = Request::Action(Action::AutoClose);
    if let Err(e) = ctx
        .repo
        .act(&ctx.policy, Who::System, s.no, request, at, None)
        .await
    {
        tracing::warn!(no = %s.no, error = %e, "cannot close an unrated reply");
    }
}

/// A notice about `s`, sent at most once on the day `once_on` names.
fn about(s: &Suggestion, notice: Notice, once_on: &str) -> JobPush {
    JobPush::About {
        no: s.no,
        notice,
        once_on: Some(once_on.to_string()),
    }
}

/// `quota_reminders`: privately, each deputy with fewer than `monthly_quota` suggestions
/// filed this month (none when the quota is 0).
pub async fn quota(
    ctx: &JobCtx<'_>,
    at: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Vec<JobPush>> {
    let quota = i64::from(ctx.config.monthly_quota);
    if quota == 0 {
        return Ok(Vec::new());
    }
    let rules = &ctx.policy.rules;
    let today = rules.local_date(at);
    let first = today.with_day(1).expect("a month has a first day");
    let from = rules.start_of_day(first);
    let counts = ctx.repo.deputy_counts(from, at).await?;
    Ok(counts
        .into_iter()
        .filter(|d| d.filed < quota)
        .map(|d| JobPush::ToPerson {
            person: d.person,
            key: "notice-quota",
            args: vec![
                ("name", d.name),
                ("filed", d.filed.to_string()),
                ("quota", quota.to_string()),
                ("month", first.format("%Y-%m").to_string()),
            ],
        })
        .collect())
}

/// `reception_reminders`: fires every evening; sends only when tomorrow is a reception day
/// (`reception_days`), to every deputy privately and to every bound group chat.
pub async fn reception(
    ctx: &JobCtx<'_>,
    at: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Vec<JobPush>> {
    let rules = &ctx.policy.rules;
    let tomorrow = rules.local_date(at) + Duration::days(1);
    if !ctx.config.reception_days.contains(&tomorrow.day()) {
        return Ok(Vec::new());
    }
    let date = tomorrow.format("%Y-%m-%d").to_string();
    let mut pushes = Vec::new();
    let deputies = ctx.repo.deputy_counts(at, at).await?;
    for d in deputies {
        pushes.push(JobPush::ToPerson {
            person: d.person,
            key: "notice-reception-deputy",
            args: vec![("name", d.name), ("date", date.clone())],
        });
    }
    for g in ctx.repo.group_chats().await? {
        pushes.push(JobPush::To {
            chat: g.chat,
            lang: None,
            key: "notice-reception-group",
            args: vec![("group", g.group_name), ("date", date.clone())],
        });
    }
    Ok(pushes)
}
