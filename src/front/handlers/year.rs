//! The year's view in chat (PRODUCT.md §10): reception days attended (`/received`), reports to
//! voters (`/voters`) and a deputy's performance file (`/record`).

use chrono::Datelike;

use super::{Ctx, Front, Out, refused};
use crate::domain::Reception;
use crate::front::command::{Received, Voters};
use crate::i18n::{self, Lang};
use crate::reports;
use crate::storage::{ActError, DeputyRecord, Noted, VoterReport};

/// `/received`: the deputy's own attendance today, or a clerk's record for a deputy.
pub async fn received(front: &Front, ctx: &Ctx, r: Received) -> anyhow::Result<Vec<Out>> {
    let now = front.clock.now();
    let today = front.policy.rules.local_date(now);
    let (code, day) = match &r.deputy {
        Some((code, day)) => (Some(code.as_str()), *day),
        None => (None, today),
    };
    let reception = Reception {
        day,
        residents: r.residents,
        note: r.note,
    };
    let noted = front
        .repo
        .record_reception(
            ctx.who(),
            code,
            &reception,
            today,
            &front.config.reception_days,
            now,
            Some(ctx.update),
        )
        .await;
    Ok(vec![match noted {
        Ok(Noted::Done { deputy }) => Out::text(i18n::text(
            ctx.lang,
            "bot-received",
            &[
                ("name", deputy),
                ("date", day.to_string()),
                ("residents", residents(ctx.lang, reception.residents)),
            ],
        )),
        Ok(Noted::Duplicate) => Out::text(i18n::text(ctx.lang, "bot-duplicate", &[])),
        Err(e) => refused(ctx.lang, &e),
    }])
}

/// `/voters`: a clerk records a deputy's report to their voters.
pub async fn voters(front: &Front, ctx: &Ctx, v: Voters) -> anyhow::Result<Vec<Out>> {
    let now = front.clock.now();
    let today = front.policy.rules.local_date(now);
    let report = VoterReport {
        day: v.day,
        voters: v.voters,
        place: v.place,
        evaluation: v.evaluation,
    };
    let noted = front
        .repo
        .record_voter_report(ctx.who(), &v.deputy, &report, today, now, Some(ctx.update))
        .await;
    Ok(vec![match noted {
        Ok(Noted::Done { deputy }) => Out::text(i18n::text(
            ctx.lang,
            "bot-voters-recorded",
            &[
                ("name", deputy),
                ("date", report.day.to_string()),
                ("voters", report.voters.to_string()),
                ("place", report.place),
            ],
        )),
        Ok(Noted::Duplicate) => Out::text(i18n::text(ctx.lang, "bot-duplicate", &[])),
        Err(e) => refused(ctx.lang, &e),
    }])
}

/// `/record [code] [year]`: the file of the year (this year when none is named).
pub async fn record(
    front: &Front,
    ctx: &Ctx,
    code: Option<String>,
    year: Option<i32>,
) -> anyhow::Result<Vec<Out>> {
    let rules = &front.policy.rules;
    let year = year.unwrap_or_else(|| rules.local_date(front.clock.now()).year());
    let (period, days) = reports::year_period(rules, year);
    let file = front
        .repo
        .deputy_record(ctx.who(), code.as_deref(), period, days)
        .await;
    let setting = reports::Setting::from_config(&front.config, ctx.lang, front.clock.now());
    Ok(vec![match file {
        Ok(file) => Out::text(render(&setting, year, &file)),
        // `/record` alone from someone who is no deputy: they meant another's file.
        Err(ActError::NotADeputy(_)) if code.is_none() => super::usage(ctx.lang, "record"),
        Err(e) => refused(ctx.lang, &e),
    }])
}

fn residents(lang: Lang, n: Option<u32>) -> String {
    match n {
        // Plain: `text` escapes it as an argument of the answer.
        Some(n) => i18n::plain(lang, "bot-received-residents", &[("n", n.to_string())]),
        None => String::new(),
    }
}

/// The file as a chat message: the counts (categories by their names), then the reception
/// days and reports.
pub fn render(setting: &reports::Setting, year: i32, f: &DeputyRecord) -> String {
    let lang = setting.lang;
    let categories: Vec<String> = f
        .by_category
        .iter()
        .map(|(c, n)| format!("{} {n}", setting.category(c)))
        .collect();
    let n = |v: i64| v.to_string();
    let mut text = i18n::text(
        lang,
        "bot-record",
        &[
            ("name", f.name.clone()),
            ("code", f.code.clone()),
            ("year", year.to_string()),
            (
                "groups",
                f.groups
                    .join(i18n::plain(lang, "web-list-separator", &[]).as_str()),
            ),
            ("filed", n(f.filed)),
            ("categories", categories.join(", ")),
            ("returned", n(f.returned)),
            ("accepted", n(f.accepted)),
            ("assigned", n(f.assigned)),
            ("replied", n(f.replied)),
            ("on_time", n(f.on_time)),
            ("closed", n(f.closed)),
            ("satisfied", n(f.satisfied)),
            ("basic", n(f.basic)),
            ("unsatisfied", n(f.unsatisfied)),
            ("key", n(f.key)),
            ("received", n(f.requests_received)),
            ("adopted", n(f.requests_adopted)),
            ("declined", n(f.requests_declined)),
            ("receptions", n(f.receptions.len() as i64)),
            ("residents", n(f.residents_received())),
            ("reports", n(f.voter_reports.len() as i64)),
        ],
    );
    for r in &f.receptions {
        text.push('\n');
        text.push_str(&i18n::text(
            lang,
            "bot-record-reception",
            &[
                ("date", r.day.to_string()),
                (
                    "residents",
                    r.residents.map(|n| n.to_string()).unwrap_or_default(),
                ),
                ("note", r.note.clone()),
            ],
        ));
    }
    for v in &f.voter_reports {
        text.push('\n');
        text.push_str(&i18n::text(
            lang,
            "bot-record-report",
            &[
                ("date", v.day.to_string()),
                ("place", v.place.clone()),
                ("voters", v.voters.to_string()),
                ("evaluation", v.evaluation.clone().unwrap_or_default()),
            ],
        ));
    }
    text
}
