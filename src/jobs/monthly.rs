//! `monthly_report` (the 1st, 09:00): to each chat bound to an org, the previous month's
//! report of that org and everything below it — the text, the ledger with a summary sheet as
//! an .xlsx document, and the completion and satisfaction rates per group as a PNG chart.
//! The files are made when the run runs and go out with it.

use chrono::{DateTime, Utc};

use super::JobCtx;
use crate::reports::export::{self, LedgerFile};
use crate::reports::{self, Setting, monthly};
use crate::storage::JobPush;

pub async fn report(ctx: &JobCtx<'_>, at: DateTime<Utc>) -> anyhow::Result<Vec<JobPush>> {
    let tz = ctx.policy.rules.tz;
    let month = reports::previous_month(tz, at);
    let (from, to) = reports::month_period(tz, month);
    let lang = ctx.config.default_lang;
    let setting = Setting::from_config(ctx.config, lang, at);
    let mut pushes = Vec::new();
    for (chat, org) in ctx.repo.org_chats().await? {
        let stats = ctx.repo.monthly_stats(Some(&org), from, to, at).await?;
        let stem = format!("{org}-{}-{:02}", month.0, month.1);
        pushes.push(JobPush::To {
            chat,
            lang: None,
            key: "report-monthly",
            args: vec![("body", monthly::plain(&stats, month, &setting))],
        });
        let rows = ctx.repo.ledger_rows(Some(&org), from, to);
        let file = LedgerFile::Monthly(Box::new(stats.clone()), month);
        let (_, bytes) = export::export(rows, file, setting.clone(), || Ok(Vec::new())).await?;
        pushes.push(JobPush::File {
            chat,
            name: format!("ledger-{stem}.xlsx"),
            bytes,
            photo: false,
        });
        pushes.push(JobPush::File {
            chat,
            name: format!("chart-{stem}.png"),
            bytes: monthly::chart(&stats, month, &setting)?,
            photo: true,
        });
    }
    Ok(pushes)
}
