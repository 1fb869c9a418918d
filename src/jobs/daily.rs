//! `daily_report` (08:00): to each bound group chat, the group's filings yesterday and this
//! month per deputy, the deputies with none this month, open items by colour and replies
//! waiting for a rating; to each bound org chat, the same per group below the org, ranked.
//!
//! The figures are counted in the database; here they are only laid out. Group chats read
//! the default language. The report is plain lines (every name escaped when the outbox row
//! is rendered); a long one is split at line ends by the delivery worker.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc};

use super::JobCtx;
use crate::i18n::{self, Lang};
use crate::storage::{DeputyDay, GroupOpen, JobPush};

/// One group's figures.
struct GroupDay<'a> {
    name: String,
    deputies: Vec<&'a DeputyDay>,
    open: GroupOpen,
}

impl GroupDay<'_> {
    fn yesterday(&self) -> i64 {
        self.deputies.iter().map(|d| d.yesterday).sum()
    }
    fn month(&self) -> i64 {
        self.deputies.iter().map(|d| d.month).sum()
    }
    fn without(&self) -> Vec<&str> {
        self.deputies
            .iter()
            .filter(|d| d.month == 0)
            .map(|d| d.name.as_str())
            .collect()
    }
}

pub async fn report(ctx: &JobCtx<'_>, at: DateTime<Utc>) -> anyhow::Result<Vec<JobPush>> {
    let rules = &ctx.policy.rules;
    let lang = ctx.config.default_lang;
    let today = rules.local_date(at);
    let yesterday = today - Duration::days(1);
    // "This month" is the month of yesterday: the report of the 1st covers the month just
    // ended.
    let month_start = yesterday.with_day(1).expect("a month has a first day");
    let day_to = rules.start_of_day(today);
    let deputies = ctx
        .repo
        .deputy_days(
            rules.start_of_day(month_start),
            rules.start_of_day(yesterday),
            day_to,
        )
        .await?;
    let yellow_until = rules.start_of_day(today + Duration::days(i64::from(rules.yellow_days) + 1))
        - Duration::milliseconds(1);
    let open = ctx.repo.group_open(at, yellow_until).await?;
    let chats = ctx.repo.group_chats().await?;

    let mut groups: BTreeMap<&str, GroupDay> = BTreeMap::new();
    for o in &open {
        groups.insert(
            o.group_code.as_str(),
            GroupDay {
                name: o.group_code.clone(),
                deputies: Vec::new(),
                open: o.clone(),
            },
        );
    }
    for d in &deputies {
        if let Some(g) = groups.get_mut(d.group_code.as_str()) {
            g.deputies.push(d);
        }
    }
    for c in &chats {
        if let Some(g) = groups.get_mut(c.group_code.as_str()) {
            g.name = c.group_name.clone();
        }
    }
    let date = yesterday.format("%Y-%m-%d").to_string();
    let mut pushes = Vec::new();
    for c in &chats {
        let Some(g) = groups.get(c.group_code.as_str()) else {
            continue;
        };
        pushes.push(JobPush::To {
            chat: c.chat,
            lang: None,
            key: "report-daily-group",
            args: vec![
                ("group", g.name.clone()),
                ("date", date.clone()),
                ("body", group_body(lang, g)),
            ],
        });
    }
    // Org chats: the groups below the org, ranked by this month's filings.
    let org_rows = ctx.repo.org_chat_groups().await?;
    for row in &org_rows {
        if let Some(g) = groups.get_mut(row.group_code.as_str()) {
            g.name = row.group_name.clone();
        }
    }
    let mut orgs: BTreeMap<i64, (String, Vec<&GroupDay>)> = BTreeMap::new();
    for row in &org_rows {
        let entry = orgs
            .entry(row.chat)
            .or_insert_with(|| (row.org_name.clone(), Vec::new()));
        if let Some(g) = groups.get(row.group_code.as_str()) {
            entry.1.push(g);
        }
    }
    for (chat, (org, mut ranked)) in orgs {
        ranked.sort_by(|a, b| {
            b.month()
                .cmp(&a.month())
                .then(a.open.red.cmp(&b.open.red))
                .then(a.name.cmp(&b.name))
        });
        let body = ranked
            .iter()
            .enumerate()
            .map(|(i, g)| org_line(lang, i + 1, g))
            .collect::<Vec<_>>()
            .join("\n");
        pushes.push(JobPush::To {
            chat,
            lang: None,
            key: "report-daily-org",
            args: vec![("org", org), ("date", date.clone()), ("body", body)],
        });
    }
    Ok(pushes)
}

/// A group's report: totals, one line per deputy, who filed nothing, open items.
fn group_body(lang: Lang, g: &GroupDay) -> String {
    let mut lines = vec![i18n::plain(
        lang,
        "report-daily-filed",
        &[
            ("yesterday", g.yesterday().to_string()),
            ("month", g.month().to_string()),
        ],
    )];
    for d in &g.deputies {
        lines.push(i18n::plain(
            lang,
            "report-daily-deputy",
            &[
                ("name", d.name.clone()),
                ("yesterday", d.yesterday.to_string()),
                ("month", d.month.to_string()),
            ],
        ));
    }
    let without = g.without();
    if !without.is_empty() {
        lines.push(i18n::plain(
            lang,
            "report-daily-without",
            &[("names", without.join(", "))],
        ));
    }
    lines.push(open_line(lang, &g.open));
    lines.join("\n")
}

fn open_line(lang: Lang, o: &GroupOpen) -> String {
    i18n::plain(
        lang,
        "report-daily-open",
        &[
            ("green", o.green.to_string()),
            ("yellow", o.yellow.to_string()),
            ("red", o.red.to_string()),
            ("waiting", o.waiting_rating.to_string()),
        ],
    )
}

fn org_line(lang: Lang, rank: usize, g: &GroupDay) -> String {
    i18n::plain(
        lang,
        "report-daily-rank",
        &[
            ("rank", rank.to_string()),
            ("group", g.name.clone()),
            ("month", g.month().to_string()),
            ("yesterday", g.yesterday().to_string()),
            ("without", g.without().len().to_string()),
            ("open", open_line(lang, &g.open)),
        ],
    )
}
