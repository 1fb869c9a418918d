//! `daily_report` (08:00): to each bound group chat, its group's report of yesterday (see
//! [`crate::reports::daily`]); to each bound org chat, the groups below the org ranked, and
//! the org's oldest red items.
//!
//! Group and org chats read the default language. A long report is split at line ends by the
//! delivery worker.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::JobCtx;
use crate::reports::daily;
use crate::storage::JobPush;

pub async fn report(ctx: &JobCtx<'_>, at: DateTime<Utc>) -> anyhow::Result<Vec<JobPush>> {
    let rules = &ctx.policy.rules;
    let lang = ctx.config.default_lang;
    // The report of the 1st covers the month just ended: "this month" is yesterday's.
    let yesterday = rules.local_date(at) - Duration::days(1);
    let report = daily::gather(ctx.repo, rules, &ctx.config.reception_days, yesterday, at).await?;
    let date = report.date();
    let mut pushes = Vec::new();
    for c in ctx.repo.group_chats().await? {
        let Some(g) = report.group(&c.group_code) else {
            continue;
        };
        pushes.push(JobPush::To {
            chat: c.chat,
            lang: None,
            key: "report-daily-group",
            args: vec![
                ("group", g.name.clone()),
                ("date", date.clone()),
                ("body", daily::group_body(lang, rules, g)),
            ],
        });
    }
    let mut orgs: BTreeMap<i64, (String, Vec<String>)> = BTreeMap::new();
    for row in ctx.repo.org_chat_groups().await? {
        orgs.entry(row.chat)
            .or_insert_with(|| (row.org_name.clone(), Vec::new()))
            .1
            .push(row.group_code);
    }
    for (chat, (org, codes)) in orgs {
        let body = daily::org_body(lang, rules, &report.only(&codes));
        pushes.push(JobPush::To {
            chat,
            lang: None,
            key: "report-daily-org",
            args: vec![("org", org), ("date", date.clone()), ("body", body)],
        });
    }
    Ok(pushes)
}
