//! `monthly_report` (the 1st, 09:00): to each chat bound to an org, the previous month's
//! report of that org and everything below it — the text, the ledger with a summary sheet as
//! an .xlsx document, and the completion and satisfaction rates per group as a PNG chart.
//! The files are made when the run runs and go out with it.

use chrono::{DateTime, Utc};

use super::JobCtx;
use crate::charts::{GroupRates, rates_png};
use crate::i18n;
use crate::reports::{self, Setting, monthly};
use crate::storage::JobPush;

/// The most groups one chart shows (the top of the ranking): more would not read on a phone.
const CHART_GROUPS: usize = 30;

pub async fn report(ctx: &JobCtx<'_>, at: DateTime<Utc>) -> anyhow::Result<Vec<JobPush>> {
    let tz = ctx.policy.rules.tz;
    let month = reports::previous_month(tz, at);
    let (from, to) = reports::month_period(tz, month);
    let lang = ctx.config.default_lang;
    let setting = Setting::from_config(ctx.config, lang, at);
    let mut pushes = Vec::new();
    for (chat, org) in ctx.repo.org_chats().await? {
        let stats = ctx.repo.monthly_stats(Some(&org), from, to, at).await?;
        let rows = ctx.repo.ledger(Some(&org), from, to).await?;
        let stem = format!("{org}-{}-{:02}", month.0, month.1);
        pushes.push(JobPush::To {
            chat,
            lang: None,
            key: "report-monthly",
            args: vec![("body", monthly::plain(&stats, month, &setting))],
        });
        pushes.push(JobPush::File {
            chat,
            name: format!("ledger-{stem}.xlsx"),
            bytes: monthly::xlsx(&stats, &rows, month, &setting)?,
            photo: false,
        });
        let groups: Vec<GroupRates> = monthly::ranking(&stats.groups)
            .into_iter()
            .take(CHART_GROUPS)
            .map(|g| GroupRates {
                label: g.name.clone(),
                completion: ratio(g.closed, g.assigned),
                satisfaction: ratio(g.satisfied, g.rated),
            })
            .collect();
        let title = i18n::html_to_plain(&monthly::title(&stats, month, &setting));
        pushes.push(JobPush::File {
            chat,
            name: format!("chart-{stem}.png"),
            bytes: rates_png(&title, &groups, lang)?,
            photo: true,
        });
    }
    Ok(pushes)
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}
