//! One function per transition of PRODUCT.md §3. Each gets the suggestion's next record (a
//! copy of the current one) after [`super::decide`] has checked the permission and the start
//! state, changes it, and returns the event to record and the notices to send, or a refusal.

use chrono::{DateTime, NaiveDate, Utc};

use super::action::MergeTarget;
use super::ask::Ask;
use super::deadline::Rules;
use super::event::{Audience, Event, EventKind, Notice};
use super::ids::UnitId;
use super::numbers::SuggestionNo;
use super::refusal::Refusal;
use super::suggestion::{Level, Outcome, Rating, State, Suggestion, VoteResult};

/// The longest title: the first line of a suggestion.
pub const MAX_TITLE: usize = 200;
/// The longest body, reason or reply text.
pub const MAX_TEXT: usize = 20_000;
/// The most days a clerk may give or add in one step.
pub const MAX_DAYS: u32 = 365;

/// What a step returns: the event and the notices.
pub(super) type Recorded = (Event, Vec<Notice>);

/// A transition in progress: the record being changed and the time it happens.
pub(super) struct Step<'a> {
    pub next: Suggestion,
    pub from: State,
    pub now: DateTime<Utc>,
    pub rules: &'a Rules,
}

impl Step<'_> {
    /// Moves to `state` with the deadline of its step (none for a step without one).
    fn to(&mut self, state: State, days: Option<u32>) -> Option<String> {
        self.next.state = state;
        self.next.deadline = days.map(|d| self.rules.deadline_after(self.now, d));
        self.next.deadline.map(|d| self.rules.show(d))
    }

    fn event(&self, kind: EventKind, text: Option<String>) -> Event {
        Event {
            kind,
            from: Some(self.from),
            to: self.next.state,
            text,
        }
    }
}

/// 受理: the leader accepts; the assignment deadline follows the level (seed 000: town 3
/// days, district 5, a higher-level matter reported up within 3).
pub(super) fn accept(s: &mut Step, level: Option<Level>) -> Recorded {
    let level = level.or(s.next.level).unwrap_or(Level::Town);
    let days = match level {
        Level::Town => s.rules.assign_town_days,
        Level::District => s.rules.assign_district_days,
        Level::Higher => s.rules.transfer_days,
    };
    s.next.level = Some(level);
    let deadline = s.to(State::Accepted, Some(days)).unwrap_or_default();
    let clerks = notice(
        Audience::Clerks,
        "notice-accepted-clerk",
        [("deadline", deadline), ("level", level.as_str().into())],
    );
    // A higher-level matter is reported up with /transfer, not assigned: no Assign button.
    let clerks = match level {
        Level::Higher => clerks,
        Level::Town | Level::District => clerks.asking(Ask::Assign(s.next.no)),
    };
    let notices = status_change("notice-accepted", [])
        .chain([clerks])
        .collect();
    (s.event(EventKind::Accepted, None), notices)
}

/// 退回修改: returned to the deputy for revision, with the reason.
pub(super) fn return_for_revision(s: &mut Step, reason: String) -> Result<Recorded, Refusal> {
    let reason = required(reason, Refusal::ReasonRequired)?;
    s.to(State::Returned, None);
    let notices = status_change("notice-returned", [("reason", reason.clone())]).collect();
    Ok((s.event(EventKind::Returned, Some(reason)), notices))
}

/// The deputy revises a returned suggestion and resubmits it for review.
pub(super) fn edit(s: &mut Step, title: String, body: String) -> Result<Recorded, Refusal> {
    let (title, body) = check_title_body(title, body)?;
    s.next.title = title;
    s.next.body = body;
    let deadline = s
        .to(State::Submitted, Some(s.rules.review_days))
        .unwrap_or_default();
    let notices = vec![
        notice(
            Audience::Leaders,
            "notice-resubmitted-leader",
            [("deadline", deadline)],
        )
        .asking(Ask::Review(s.next.no)),
        notice(Audience::GroupChat, "notice-resubmitted-group", []),
    ];
    Ok((s.event(EventKind::Resubmitted, None), notices))
}

pub(super) fn withdraw(s: &mut Step) -> Recorded {
    s.to(State::Withdrawn, None);
    let notices = vec![
        notice(Audience::Leaders, "notice-withdrawn", []),
        notice(Audience::GroupChat, "notice-withdrawn", []),
    ];
    (s.event(EventKind::Withdrawn, None), notices)
}

/// 交办: to one unit (30 days) or a lead unit with co-units (60 days), or `days` given.
pub(super) fn assign(
    s: &mut Step,
    lead: UnitId,
    co: Vec<UnitId>,
    days: Option<u32>,
    level: Option<Level>,
) -> Result<Recorded, Refusal> {
    if level.or(s.next.level) == Some(Level::Higher) {
        return Err(Refusal::UseTransfer);
    }
    let mut units = vec![lead];
    for unit in co {
        if units.contains(&unit) {
            return Err(Refusal::DuplicateUnit);
        }
        units.push(unit);
    }
    let default_days = if units.len() > 1 {
        s.rules.joint_days
    } else {
        s.rules.single_unit_days
    };
    let days = check_days(days.unwrap_or(default_days))?;
    s.next.lead_unit = Some(lead);
    s.next.co_units = units[1..].to_vec();
    s.next.level = level.or(s.next.level);
    let deadline = s.to(State::Assigned, Some(days)).unwrap_or_default();
    let to_units = notice(
        Audience::Units,
        "notice-assigned-unit",
        [("deadline", deadline.clone())],
    );
    let notices = status_change("notice-assigned", [("deadline", deadline)])
        .chain(to_units.asking_units_to_handle(s.next.no, "notice-assigned-co-unit"))
        .chain([notice(Audience::Resident, "notice-resident-assigned", [])])
        .collect();
    Ok((s.event(EventKind::Assigned, None), notices))
}

/// 延期: only by a clerk, with a reason, on the record (seed 000: "经…同意后…备案").
pub(super) fn extend(s: &mut Step, days: u32, reason: String) -> Result<Recorded, Refusal> {
    let days = check_days(days)?;
    let reason = required(reason, Refusal::ReasonRequired)?;
    let old = s
        .next
        .deadline
        .unwrap_or_else(|| s.rules.deadline_after(s.now, 0));
    let deadline = s.rules.extend(old, days);
    s.next.deadline = Some(deadline);
    let args = [
        ("deadline", s.rules.show(deadline)),
        ("reason", reason.clone()),
    ];
    let mut notices = vec![notice(Audience::Deputy, "notice-extended", args.clone())];
    if s.from != State::Accepted {
        notices.push(notice(Audience::Units, "notice-extended", args));
    }
    let text = format!("+{days}: {reason}");
    Ok((s.event(EventKind::Extended, Some(text)), notices))
}

/// 合并: into an accepted, open suggestion only; one still under review may yet be returned
/// or withdrawn, and a finished one has nothing left to carry it.
pub(super) fn merge(s: &mut Step, into: MergeTarget) -> Result<Recorded, Refusal> {
    if into.no == s.next.no {
        return Err(Refusal::MergeIntoSelf);
    }
    let open = [
        State::Accepted,
        State::Assigned,
        State::Replied,
        State::Explaining,
    ];
    if !open.contains(&into.state) {
        return Err(Refusal::MergeTargetNotOpen(into.no));
    }
    s.next.merged_into = Some(into.no);
    s.to(State::Merged, None);
    let notices = status_change("notice-merged", [("into", into.no.to_string())]).collect();
    Ok((
        s.event(EventKind::Merged, Some(into.no.to_string())),
        notices,
    ))
}

/// 转报: a higher-level matter reported up; terminal here.
pub(super) fn transfer(s: &mut Step, reason: String) -> Result<Recorded, Refusal> {
    let reason = required(reason, Refusal::ReasonRequired)?;
    s.next.level = Some(Level::Higher);
    s.to(State::Transferred, None);
    let notices = status_change("notice-transferred", [("reason", reason.clone())])
        .chain([notice(
            Audience::Resident,
            "notice-resident-transferred",
            [],
        )])
        .collect();
    Ok((s.event(EventKind::Transferred, Some(reason)), notices))
}

/// 不予受理, with the reason.
pub(super) fn decline(s: &mut Step, reason: String) -> Result<Recorded, Refusal> {
    let reason = required(reason, Refusal::ReasonRequired)?;
    s.to(State::Declined, None);
    let notices = status_change("notice-declined", [("reason", reason.clone())])
        .chain([notice(
            Audience::Resident,
            "notice-resident-declined",
            [("reason", reason.clone())],
        )])
        .collect();
    Ok((s.event(EventKind::Declined, Some(reason)), notices))
}

/// 重点建议: marked key by a clerk or chair; the state does not change.
pub(super) fn mark_key(s: &mut Step) -> Result<Recorded, Refusal> {
    if s.next.key {
        return Err(Refusal::AlreadyKey);
    }
    s.next.key = true;
    let mut notices = vec![
        notice(Audience::Deputy, "notice-key", []),
        notice(Audience::Chairs, "notice-key", []),
    ];
    if s.next.lead_unit.is_some() {
        notices.push(notice(Audience::Units, "notice-key", []));
    }
    Ok((s.event(EventKind::MarkedKey, None), notices))
}

/// 办中沟通: a progress note; the suggestion stays with the units.
pub(super) fn progress(s: &mut Step, text: String) -> Result<Recorded, Refusal> {
    let text = required(text, Refusal::TextRequired)?;
    let notices = vec![notice(
        Audience::Deputy,
        "notice-progress",
        [("text", text.clone())],
    )];
    Ok((s.event(EventKind::Progress, Some(text)), notices))
}

/// 答复: the lead unit's result; the deputy's rating window opens.
pub(super) fn reply(s: &mut Step, text: String) -> Result<Recorded, Refusal> {
    let text = required(text, Refusal::TextRequired)?;
    let deadline = s
        .to(State::Replied, Some(s.rules.rating_days))
        .unwrap_or_default();
    let notices = vec![
        notice(
            Audience::Deputy,
            "notice-replied-rate",
            [("text", text.clone()), ("deadline", deadline)],
        )
        .asking(Ask::Rate(s.next.no)),
        notice(Audience::GroupChat, "notice-replied", []),
        notice(
            Audience::Resident,
            "notice-resident-replied",
            [("text", text.clone())],
        ),
    ];
    Ok((s.event(EventKind::Replied, Some(text)), notices))
}

/// 评价: satisfied or basic closes it (a key suggestion waits for the committee's vote
/// instead); the first unsatisfied puts it under key supervision (重点督办, a new deadline,
/// the chair told); the next asks the unit to explain publicly.
pub(super) fn rate(s: &mut Step, rating: Rating) -> Result<Recorded, Refusal> {
    if awaits_vote(s) {
        return Err(Refusal::AwaitingVote);
    }
    let word = Some(rating.as_str().to_string());
    s.next.rating = Some(rating);
    Ok(match rating {
        Rating::Satisfied | Rating::Basic if s.next.key => {
            let r = ("rating", rating.as_str().to_string());
            let notices = vec![
                notice(
                    Audience::GroupChat,
                    "notice-rated-awaiting-vote",
                    [r.clone()],
                ),
                notice(Audience::Units, "notice-rated-unit", [r.clone()]),
                notice(Audience::Chairs, "notice-rated-awaiting-vote", [r]),
            ];
            hold_for_vote(s);
            (s.event(EventKind::Rated, word), notices)
        }
        Rating::Satisfied | Rating::Basic => {
            s.next.outcome = Some(Outcome::Rated);
            s.to(State::Closed, None);
            let r = ("rating", rating.as_str().to_string());
            // The deputy rated: their own answer says so, in their words; the group hears it.
            let notices = [notice(Audience::GroupChat, "notice-closed", [r.clone()])]
                .into_iter()
                .chain([
                    notice(Audience::Units, "notice-rated-unit", [r]),
                    resident_closed(s.next.no, String::new()),
                ])
                .collect();
            (s.event(EventKind::Rated, word), notices)
        }
        Rating::Unsatisfied if s.next.unsatisfied_count == 0 => {
            // Handling starts again: the rating that counts is the next one (the event keeps
            // this one), so an unrated close later is not counted as unsatisfied.
            s.next.rating = None;
            s.next.unsatisfied_count = 1;
            s.next.supervised = true;
            let days = s.rules.key_supervision_days;
            let d = (
                "deadline",
                s.to(State::Assigned, Some(days)).unwrap_or_default(),
            );
            let to_units = notice(Audience::Units, "notice-key-supervision-unit", [d.clone()]);
            let notices = [notice(
                Audience::GroupChat,
                "notice-key-supervision",
                [d.clone()],
            )]
            .into_iter()
            .chain(to_units.asking_units_to_handle(s.next.no, "notice-key-supervision-co-unit"))
            .chain([notice(
                Audience::Chairs,
                "notice-key-supervision-chair",
                [d],
            )])
            .collect();
            (s.event(EventKind::KeySupervision, word), notices)
        }
        Rating::Unsatisfied => {
            s.next.unsatisfied_count += 1;
            let days = s.rules.explanation_days;
            let d = (
                "deadline",
                s.to(State::Explaining, Some(days)).unwrap_or_default(),
            );
            let notices = [notice(
                Audience::GroupChat,
                "notice-explanation-required",
                [d.clone()],
            )]
            .into_iter()
            .chain([
                notice(
                    Audience::Units,
                    "notice-explanation-required-unit",
                    [d.clone()],
                ),
                notice(Audience::Chairs, "notice-explanation-required", [d]),
            ])
            .collect();
            (s.event(EventKind::ExplanationRequired, word), notices)
        }
    })
}

/// 重点处理建议 close only when the standing committee's vote passes (seed 004: "经市人大常委会
/// 审议表决通过方可结案"): what would close another suggestion (a satisfied or basic rating,
/// the unit's explanation, an unrated window) leaves a key one replied, with no deadline,
/// waiting for `/vote`.
fn hold_for_vote(s: &mut Step) {
    s.to(State::Replied, None);
}

/// A key suggestion held for the vote, as the step found it.
fn awaits_vote(s: &Step) -> bool {
    s.next.awaits_vote()
}

/// 表决: the standing committee's vote on a key suggestion. Passed, it closes, everyone told;
/// failed, it is handled on under key supervision with a new deadline (carried into the next
/// year if need be, with its number), the units, the clerks and the deputy told.
pub(super) fn vote(
    s: &mut Step,
    result: VoteResult,
    on: NaiveDate,
    note: String,
) -> Result<Recorded, Refusal> {
    if !s.next.key {
        return Err(Refusal::NotKey);
    }
    // The meeting has been held: a date ahead is a slip of the keyboard.
    if on > s.rules.local_date(s.now) {
        return Err(Refusal::FutureDate(on));
    }
    let note = note.trim().to_string();
    if note.chars().count() > MAX_TEXT {
        return Err(Refusal::TextTooLong { max: MAX_TEXT });
    }
    let text = Some(vote_text(on, &note));
    let date = ("date", on.to_string());
    match result {
        VoteResult::Pass => {
            s.next.outcome = Some(Outcome::Passed);
            s.to(State::Closed, None);
            let notices = status_change("notice-vote-passed", [date.clone()])
                .chain([
                    notice(Audience::Units, "notice-vote-passed", [date.clone()]),
                    notice(Audience::Clerks, "notice-vote-passed", [date]),
                    resident_closed(s.next.no, note),
                ])
                .collect();
            Ok((s.event(EventKind::VotePassed, text), notices))
        }
        VoteResult::Fail => {
            s.next.rating = None;
            s.next.supervised = true;
            let days = s.rules.key_supervision_days;
            let deadline = s.to(State::Assigned, Some(days)).unwrap_or_default();
            let args = [date, ("deadline", deadline)];
            let to_units = notice(Audience::Units, "notice-vote-failed-unit", args.clone());
            let notices = status_change("notice-vote-failed", args.clone())
                .chain(to_units.asking_units_to_handle(s.next.no, "notice-vote-failed-co-unit"))
                .chain([notice(Audience::Clerks, "notice-vote-failed", args)])
                .collect();
            Ok((s.event(EventKind::VoteFailed, text), notices))
        }
    }
}

/// A vote's event text: the meeting's date, then the note if any (`2027-01-15 测评通过`).
pub fn vote_text(on: NaiveDate, note: &str) -> String {
    match note.is_empty() {
        true => on.to_string(),
        false => format!("{on} {note}"),
    }
}

/// The meeting's date and note back from a vote's event text.
pub fn parse_vote_text(text: &str) -> Option<(NaiveDate, String)> {
    let (date, note) = text.split_once(' ').unwrap_or((text, ""));
    let on = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    Some((on, note.to_string()))
}

/// 说明: the unit's explanation after a second unsatisfied rating closes it, published to
/// the group (seed 000: "公开说明原因").
pub(super) fn explain(s: &mut Step, text: String) -> Result<Recorded, Refusal> {
    let text = required(text, Refusal::TextRequired)?;
    if s.next.key {
        let notices = status_change("notice-explained-key", [("text", text.clone())])
            .chain([notice(
                Audience::Chairs,
                "notice-explained-awaiting-vote",
                [("text", text.clone())],
            )])
            .collect();
        hold_for_vote(s);
        return Ok((s.event(EventKind::Explained, Some(text)), notices));
    }
    s.next.outcome = Some(Outcome::Explained);
    s.to(State::Closed, None);
    let notices = status_change("notice-explained", [("text", text.clone())])
        .chain([resident_closed(s.next.no, text.clone())])
        .collect();
    Ok((s.event(EventKind::Explained, Some(text)), notices))
}

/// A reply nobody rated within the rating window closes as unrated.
pub(super) fn auto_close(s: &mut Step) -> Result<Recorded, Refusal> {
    if awaits_vote(s) {
        return Err(Refusal::AwaitingVote);
    }
    if s.next.deadline.is_some_and(|d| s.now <= d) {
        return Err(Refusal::NotDue);
    }
    if s.next.key {
        let notices = vec![notice(Audience::Chairs, "notice-unrated-awaiting-vote", [])];
        hold_for_vote(s);
        return Ok((s.event(EventKind::AutoClosed, None), notices));
    }
    s.next.outcome = Some(Outcome::Unrated);
    s.to(State::Closed, None);
    let notices = status_change("notice-auto-closed", [])
        .chain([
            notice(Audience::Units, "notice-auto-closed", []),
            resident_closed(s.next.no, String::new()),
        ])
        .collect();
    Ok((s.event(EventKind::AutoClosed, None), notices))
}

/// The resident hears the matter is closed, and is asked whether it was solved.
fn resident_closed(no: SuggestionNo, text: String) -> Notice {
    notice(
        Audience::Resident,
        "notice-resident-closed",
        [("text", text)],
    )
    .asking(Ask::Solved(no))
}

/// Every status change is told to the deputy privately and to the group's bound chats.
pub(super) fn status_change<const N: usize>(
    key: &'static str,
    args: [(&'static str, String); N],
) -> impl Iterator<Item = Notice> {
    [
        notice(Audience::Deputy, key, args.clone()),
        notice(Audience::GroupChat, key, args),
    ]
    .into_iter()
}

pub(super) fn notice<const N: usize>(
    to: Audience,
    key: &'static str,
    args: [(&'static str, String); N],
) -> Notice {
    Notice {
        to,
        key,
        args: args.into(),
        ask: None,
    }
}

fn required(text: String, refusal: Refusal) -> Result<String, Refusal> {
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(refusal);
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Refusal::TextTooLong { max: MAX_TEXT });
    }
    Ok(text)
}

pub(super) fn check_title_body(title: String, body: String) -> Result<(String, String), Refusal> {
    let title = title.trim().to_string();
    if title.is_empty() {
        return Err(Refusal::TitleRequired);
    }
    if title.chars().count() > MAX_TITLE {
        return Err(Refusal::TitleTooLong { max: MAX_TITLE });
    }
    let body = body.trim().to_string();
    if body.chars().count() > MAX_TEXT {
        return Err(Refusal::TextTooLong { max: MAX_TEXT });
    }
    Ok((title, body))
}

fn check_days(days: u32) -> Result<u32, Refusal> {
    if (1..=MAX_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(Refusal::DaysOutOfRange { max: MAX_DAYS })
    }
}
