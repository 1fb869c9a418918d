//! `/show <no>`: a suggestion's details and its timeline, for anyone allowed to see it.
//! Long bodies and timelines are split into parts by the sender, never cut.

use super::handlers::colour_mark;
use super::handlers::refused;
use super::{Ctx, Front, Out};
use crate::domain::SuggestionNo;
use crate::i18n;
use crate::storage::EventRecord;

pub async fn show(front: &Front, ctx: &Ctx, no: SuggestionNo) -> anyhow::Result<Vec<Out>> {
    let who = ctx.who();
    let view = match front.repo.view(who, no).await {
        Ok(v) => v,
        Err(e) => return Ok(vec![refused(ctx.lang, &e)]),
    };
    let timeline = match front.repo.timeline(who, no).await {
        Ok(t) => t,
        Err(e) => return Ok(vec![refused(ctx.lang, &e)]),
    };
    let lang = ctx.lang;
    let rules = &front.policy.rules;
    let s = &view.suggestion;
    let now = front.clock.now();
    let units: Vec<String> = view
        .units
        .iter()
        .map(|(code, name, lead)| {
            let role = if *lead {
                "bot-unit-lead"
            } else {
                "bot-unit-co"
            };
            format!("{} ({}) {}", name, code, i18n::plain(lang, role, &[]))
        })
        .collect();
    let deadline = match s.deadline.filter(|_| !s.state.is_terminal()) {
        Some(d) => format!("{} {}", colour_mark(rules.colour(d, now)), rules.show(d)),
        None => "—".to_string(),
    };
    let mut html = i18n::text(
        lang,
        "bot-show",
        &[
            ("no", s.no.to_string()),
            ("title", s.title.clone()),
            ("state", i18n::state_name(lang, s.state)),
            ("deputy", view.deputy_name.clone()),
            (
                "group",
                format!("{} ({})", view.group_name, view.group_code),
            ),
            (
                "category",
                i18n::plain(lang, "category-name", &[("code", s.category.clone())]),
            ),
            (
                "level",
                s.level
                    .map(|l| i18n::plain(lang, &format!("level-{}", l.as_str()), &[]))
                    .unwrap_or_else(|| "—".into()),
            ),
            (
                "units",
                if units.is_empty() {
                    "—".into()
                } else {
                    units.join(", ")
                },
            ),
            ("deadline", deadline),
            ("filed", rules.show(s.filed_at)),
            ("body", s.body.clone()),
        ],
    );
    let mut flags = Vec::new();
    if s.key {
        flags.push(i18n::text(lang, "bot-flag-key", &[]));
    }
    if s.awaits_vote() {
        flags.push(i18n::text(lang, "bot-flag-awaiting-vote", &[]));
    }
    if s.supervised {
        flags.push(i18n::text(lang, "bot-flag-supervised", &[]));
    }
    if let Some(rno) = view.request {
        flags.push(i18n::text(
            lang,
            "bot-flag-resident",
            &[("request", rno.to_string())],
        ));
    }
    if let Some(rating) = s.rating {
        flags.push(i18n::text(
            lang,
            "bot-flag-rating",
            &[("rating", i18n::rating_name(lang, rating))],
        ));
    }
    if let Some((lat, lon)) = view.location {
        flags.push(i18n::text(
            lang,
            "bot-has-location",
            &[("lat", lat.to_string()), ("lon", lon.to_string())],
        ));
    }
    for flag in flags {
        html.push('\n');
        html.push_str(&flag);
    }
    html.push_str("\n\n");
    html.push_str(&i18n::text(lang, "bot-timeline", &[]));
    for event in &timeline {
        html.push('\n');
        html.push_str(&event_line(front, ctx, event));
    }
    let mut outs = vec![Out::text(html)];
    if let Some(file_id) = view.photo {
        outs.push(Out::Photo { file_id });
    }
    Ok(outs)
}

fn event_line(front: &Front, ctx: &Ctx, e: &EventRecord) -> String {
    let lang = ctx.lang;
    let mut line = i18n::text(
        lang,
        "bot-event",
        &[
            ("at", front.policy.rules.show(e.at)),
            (
                "kind",
                i18n::plain(lang, &format!("event-{}", e.kind.as_str()), &[]),
            ),
            (
                "actor",
                e.actor
                    .clone()
                    .unwrap_or_else(|| i18n::plain(lang, "bot-actor-system", &[])),
            ),
        ],
    );
    if let Some(text) = e.text.as_ref().filter(|t| !t.is_empty()) {
        line.push_str(": ");
        line.push_str(&i18n::escape_html(text));
    }
    line
}
