//! Lists: `/my` (paginated with ◀ ▶), `/queue`, `/overdue` and `/stats`.

use chrono::{Datelike, NaiveDate};

use super::{Ctx, Front, Out, refused};
use crate::domain::permissions::roles_for;
use crate::domain::{ActionKind, Colour, Refusal};
use crate::front::buttons;
use crate::i18n::{self, Lang};
use crate::reports;
use crate::storage::ActError;
use crate::storage::{Listed, Page};

/// Rows of `/my` a page.
pub const MY_PAGE: i64 = 10;
/// The most rows `/queue` and `/overdue` show; the head says how many there are.
const LIST_MAX: i64 = 30;

/// A page of `/my`, with ◀ ▶ where there is more.
pub async fn my(front: &Front, ctx: &Ctx, page: u32) -> anyhow::Result<Out> {
    let offset = i64::from(page) * MY_PAGE;
    let rows = match front.repo.my_suggestions(ctx.who(), offset, MY_PAGE).await {
        Ok(rows) => rows,
        Err(e) => return Ok(refused(ctx.lang, &e)),
    };
    if rows.total == 0 {
        return Ok(Out::text(i18n::text(ctx.lang, "bot-my-empty", &[])));
    }
    let pages = (rows.total + MY_PAGE - 1) / MY_PAGE;
    let head = i18n::text(
        ctx.lang,
        "bot-my-head",
        &[
            ("total", rows.total.to_string()),
            ("page", (i64::from(page) + 1).to_string()),
            ("pages", pages.to_string()),
        ],
    );
    let has_next = offset + MY_PAGE < rows.total;
    let html = lines(front, ctx.lang, head, &rows);
    Ok(Out::with_buttons(
        html,
        buttons::pages(ctx.page_owner(), page, has_next),
    ))
}

pub async fn queue(front: &Front, ctx: &Ctx) -> anyhow::Result<Vec<Out>> {
    let rows = match front.repo.queue(ctx.who(), LIST_MAX).await {
        Ok(rows) => rows,
        Err(e) => return Ok(vec![refused(ctx.lang, &e)]),
    };
    if rows.total == 0 {
        return Ok(vec![Out::text(i18n::text(
            ctx.lang,
            "bot-queue-empty",
            &[],
        ))]);
    }
    let head = i18n::text(
        ctx.lang,
        "bot-queue-head",
        &[("total", rows.total.to_string())],
    );
    Ok(vec![Out::text(lines(front, ctx.lang, head, &rows))])
}

/// `/overdue`: the yellow and red steps below the person's orgs, oldest deadline first: the
/// selection the daily report colours and `deadline_reminders` reminds of.
pub async fn overdue(front: &Front, ctx: &Ctx) -> anyhow::Result<Vec<Out>> {
    let green_from = front.policy.rules.green_from(front.clock.now());
    let rows = match front.repo.overdue(ctx.who(), green_from, LIST_MAX).await {
        Ok(rows) => rows,
        Err(e) => return Ok(vec![refused(ctx.lang, &e)]),
    };
    if rows.total == 0 {
        return Ok(vec![Out::text(i18n::text(
            ctx.lang,
            "bot-overdue-empty",
            &[],
        ))]);
    }
    let head = i18n::text(
        ctx.lang,
        "bot-overdue-head",
        &[("total", rows.total.to_string())],
    );
    Ok(vec![Out::text(lines(front, ctx.lang, head, &rows))])
}

/// `/stats [YYYY-MM]`: the monthly report (the same query and text as `monthly_report`) of
/// the org the person supervises, for this month by default.
pub async fn stats(front: &Front, ctx: &Ctx, month: Option<NaiveDate>) -> anyhow::Result<Vec<Out>> {
    // The org of the person's first role that supervises (the permission table's).
    let supervised = ctx.account.person.as_ref().and_then(|p| {
        p.roles
            .iter()
            .find(|(role, _)| roles_for(ActionKind::Supervise).any(|r| r == *role))
            .map(|(_, org)| org.clone())
    });
    let Some(org) = supervised else {
        let refusal = if ctx.is_person() {
            ActError::Refused(Refusal::NotYourRole)
        } else {
            ActError::UnknownPerson
        };
        return Ok(vec![refused(ctx.lang, &refusal)]);
    };
    let rules = &front.policy.rules;
    let now = front.clock.now();
    let month = match month {
        Some(first) => (first.year(), first.month()),
        None => {
            let today = rules.local_date(now);
            (today.year(), today.month())
        }
    };
    let (from, to) = reports::month_period(rules.tz, month);
    let stats = front.repo.monthly_stats(Some(&org), from, to, now).await?;
    let setting = reports::Setting::from_config(&front.config, ctx.lang, now);
    Ok(vec![Out::text(reports::monthly::text(
        &stats, month, &setting,
    ))])
}

/// A head line and one line per suggestion: number, title, state, colour and deadline.
fn lines(front: &Front, lang: Lang, head: String, rows: &Page<Listed>) -> String {
    let rules = &front.policy.rules;
    let now = front.clock.now();
    let mut html = head;
    for r in &rows.rows {
        html.push('\n');
        let open = !r.state.is_terminal();
        let (mark, deadline) = match r.deadline.filter(|_| open) {
            Some(d) => (colour_mark(rules.colour(d, now)), rules.show(d)),
            None => ("", String::new()),
        };
        html.push_str(&i18n::text(
            lang,
            "bot-list-item",
            &[
                ("mark", mark.to_string()),
                ("no", r.no.to_string()),
                ("title", r.title.clone()),
                ("state", i18n::state_name(lang, r.state)),
                ("deadline", deadline),
                (
                    "key",
                    if r.key || r.supervised {
                        "★".into()
                    } else {
                        String::new()
                    },
                ),
            ],
        ));
    }
    html
}

pub fn colour_mark(colour: Colour) -> &'static str {
    match colour {
        Colour::Green => "🟢",
        Colour::Yellow => "🟡",
        Colour::Red => "🔴",
    }
}
