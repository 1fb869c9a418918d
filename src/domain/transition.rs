//! The closed loop's state machine (PRODUCT.md §3). Each transition is a pure function of
//! (current suggestion, actor, action, now, rules) that returns either a [`Refusal`] or a
//! [`Decision`]: the next record, the event to append and the notices it causes. Storage
//! writes all three in one transaction.

use chrono::{DateTime, Utc};

use super::action::Action;
use super::deadline::Rules;
use super::event::{Audience, Event, EventKind, Notice};
use super::ids::{GroupId, OrgId, PersonId, RequestId, SuggestionId};
use super::numbers::SuggestionNo;
use super::permissions::{ActionKind, allowed};
use super::place::Place;
use super::refusal::Refusal;
use super::roles::Actor;
use super::suggestion::{Level, Outcome, Rating, State, Suggestion};

/// The longest title: the first line of a suggestion.
pub const MAX_TITLE: usize = 200;
/// The longest body, reason or reply text.
pub const MAX_TEXT: usize = 20_000;
/// The most days a clerk may give or add in one step.
pub const MAX_DAYS: u32 = 365;

/// The outcome of an allowed action.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub next: Suggestion,
    pub event: Event,
    pub notices: Vec<Notice>,
}

/// A new suggestion as the deputy wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub category: String,
    /// The group it is filed in; `None` means the deputy's only group.
    pub group: Option<GroupId>,
}

/// What filing decides: the group, the review deadline, the first event and notices. The
/// number is allocated by storage in the same transaction; [`Filing::record`] then gives the
/// suggestion's first record.
#[derive(Debug, Clone, PartialEq)]
pub struct Filing {
    pub deputy: PersonId,
    pub group: GroupId,
    /// The chain of orgs above the group, nearest first.
    pub orgs: Vec<OrgId>,
    /// The resident's request this suggestion adopts. Never taken from a draft: only the
    /// adoption of a request the deputy may adopt sets it.
    pub request: Option<RequestId>,
    pub filed_at: DateTime<Utc>,
    pub title: String,
    pub body: String,
    pub category: String,
    pub deadline: DateTime<Utc>,
    pub event: Event,
    pub notices: Vec<Notice>,
}

impl Filing {
    /// The new suggestion's record, once storage has given it a row and a number.
    pub fn record(&self, id: SuggestionId, no: SuggestionNo) -> Suggestion {
        Suggestion {
            id,
            no,
            deputy: self.deputy,
            group: self.group,
            title: self.title.clone(),
            body: self.body.clone(),
            category: self.category.clone(),
            state: State::Submitted,
            level: None,
            lead_unit: None,
            co_units: Vec::new(),
            deadline: Some(self.deadline),
            key: false,
            supervised: false,
            unsatisfied_count: 0,
            rating: None,
            outcome: None,
            merged_into: None,
            request: self.request,
            filed_at: self.filed_at,
            orgs: self.orgs.clone(),
        }
    }
}

/// 提交: a deputy files a suggestion in one of their groups. `orgs_of` gives the chain of
/// orgs above a group (for the permission check).
pub fn file(
    actor: &Actor,
    draft: Draft,
    orgs_of: impl Fn(GroupId) -> Vec<OrgId>,
    now: DateTime<Utc>,
    rules: &Rules,
    categories: &[String],
) -> Result<Filing, Refusal> {
    let mut groups = actor.deputy_groups();
    let group = match draft.group {
        Some(g) => g,
        None => {
            // No deputy grant at all: filing is not for this person's roles (NoGroup is for
            // deputies who name, or must name, one of their own groups).
            let first = groups.next().ok_or(Refusal::NotAllowed)?;
            // A deputy of several groups must say which one (the chat they file from does).
            if groups.next().is_some() {
                return Err(Refusal::NoGroup);
            }
            first
        }
    };
    let place = Place {
        filer: actor.person,
        group: Some(group),
        orgs: orgs_of(group),
        ..Place::default()
    };
    if !allowed(actor, ActionKind::File, &place) {
        return Err(if actor.deputy_groups().next().is_some() {
            Refusal::NoGroup
        } else {
            Refusal::NotAllowed
        });
    }
    let (title, body) = check_title_body(draft.title, draft.body)?;
    let category = draft.category.trim().to_string();
    if !categories.contains(&category) {
        return Err(Refusal::UnknownCategory(category));
    }
    let deadline = rules.deadline_after(now, rules.review_days);
    let shown = rules.show(deadline);
    Ok(Filing {
        deputy: actor.person.ok_or(Refusal::NotAllowed)?,
        group,
        orgs: place.orgs,
        request: None,
        filed_at: now,
        title,
        body,
        category,
        deadline,
        event: event(EventKind::Filed, None, State::Submitted, None),
        notices: vec![
            notice(
                Audience::Leaders,
                "notice-filed-leader",
                [("deadline", shown)],
            ),
            notice(Audience::GroupChat, "notice-filed-group", []),
        ],
    })
}

/// Decides an action on an existing suggestion.
pub fn decide(
    current: &Suggestion,
    actor: &Actor,
    action: Action,
    now: DateTime<Utc>,
    rules: &Rules,
) -> Result<Decision, Refusal> {
    if !allowed(actor, action.kind(), &current.place()) {
        return Err(Refusal::NotAllowed);
    }
    if !action.start_states().contains(&current.state) {
        return Err(Refusal::WrongState(current.state));
    }
    let mut next = current.clone();
    let from = Some(current.state);
    let step = |next: &mut Suggestion, state: State, deadline: Option<DateTime<Utc>>| {
        next.state = state;
        next.deadline = deadline;
    };
    let shown = |t: DateTime<Utc>| rules.show(t);
    let (event, notices) = match action {
        Action::Accept { level } => {
            let level = level.or(current.level).unwrap_or(Level::Town);
            let days = match level {
                Level::Town => rules.assign_town_days,
                Level::District => rules.assign_district_days,
                Level::Higher => rules.transfer_days,
            };
            let deadline = rules.deadline_after(now, days);
            next.level = Some(level);
            step(&mut next, State::Accepted, Some(deadline));
            let d = shown(deadline);
            (
                event(EventKind::Accepted, from, State::Accepted, None),
                status_change("notice-accepted", [])
                    .chain([notice(
                        Audience::Clerks,
                        "notice-accepted-clerk",
                        [("deadline", d), ("level", level.as_str().into())],
                    )])
                    .collect(),
            )
        }
        Action::Return { reason } => {
            let reason = required(reason, Refusal::ReasonRequired)?;
            step(&mut next, State::Returned, None);
            (
                event(
                    EventKind::Returned,
                    from,
                    State::Returned,
                    Some(reason.clone()),
                ),
                status_change("notice-returned", [("reason", reason)]).collect(),
            )
        }
        Action::Edit { title, body } => {
            let (title, body) = check_title_body(title, body)?;
            next.title = title;
            next.body = body;
            let deadline = rules.deadline_after(now, rules.review_days);
            step(&mut next, State::Submitted, Some(deadline));
            (
                event(EventKind::Resubmitted, from, State::Submitted, None),
                vec![
                    notice(
                        Audience::Leaders,
                        "notice-resubmitted-leader",
                        [("deadline", shown(deadline))],
                    ),
                    notice(Audience::GroupChat, "notice-resubmitted-group", []),
                ],
            )
        }
        Action::Withdraw => {
            step(&mut next, State::Withdrawn, None);
            (
                event(EventKind::Withdrawn, from, State::Withdrawn, None),
                vec![
                    notice(Audience::Leaders, "notice-withdrawn", []),
                    notice(Audience::GroupChat, "notice-withdrawn", []),
                ],
            )
        }
        Action::Assign {
            lead,
            co,
            days,
            level,
        } => {
            if level == Some(Level::Higher) {
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
                rules.joint_days
            } else {
                rules.single_unit_days
            };
            let days = check_days(days.unwrap_or(default_days))?;
            let deadline = rules.deadline_after(now, days);
            next.lead_unit = Some(lead);
            next.co_units = units[1..].to_vec();
            next.level = level.or(current.level);
            step(&mut next, State::Assigned, Some(deadline));
            let d = shown(deadline);
            (
                event(EventKind::Assigned, from, State::Assigned, None),
                status_change("notice-assigned", [("deadline", d.clone())])
                    .chain([
                        notice(Audience::Units, "notice-assigned-unit", [("deadline", d)]),
                        notice(Audience::Resident, "notice-resident-assigned", []),
                    ])
                    .collect(),
            )
        }
        Action::Extend { days, reason } => {
            let days = check_days(days)?;
            let reason = required(reason, Refusal::ReasonRequired)?;
            let old = current
                .deadline
                .unwrap_or_else(|| rules.deadline_after(now, 0));
            let deadline = rules.extend(old, days);
            next.deadline = Some(deadline);
            let args = [("deadline", shown(deadline)), ("reason", reason.clone())];
            let mut notices = vec![notice(Audience::Deputy, "notice-extended", args.clone())];
            if current.state != State::Accepted {
                notices.push(notice(Audience::Units, "notice-extended", args));
            }
            (
                event(
                    EventKind::Extended,
                    from,
                    current.state,
                    Some(format!("+{days}: {reason}")),
                ),
                notices,
            )
        }
        Action::Merge { into } => {
            if into.no == current.no {
                return Err(Refusal::MergeIntoSelf);
            }
            // Into an accepted, open suggestion only: one still under review may yet be
            // returned or withdrawn, and a finished one has nothing left to carry it.
            if !matches!(
                into.state,
                State::Accepted | State::Assigned | State::Replied | State::Explaining
            ) {
                return Err(Refusal::MergeTargetNotOpen(into.no));
            }
            next.merged_into = Some(into.no);
            step(&mut next, State::Merged, None);
            (
                event(
                    EventKind::Merged,
                    from,
                    State::Merged,
                    Some(into.no.to_string()),
                ),
                status_change("notice-merged", [("into", into.no.to_string())]).collect(),
            )
        }
        Action::Transfer { reason } => {
            let reason = required(reason, Refusal::ReasonRequired)?;
            next.level = Some(Level::Higher);
            step(&mut next, State::Transferred, None);
            (
                event(
                    EventKind::Transferred,
                    from,
                    State::Transferred,
                    Some(reason.clone()),
                ),
                status_change("notice-transferred", [("reason", reason)])
                    .chain([notice(
                        Audience::Resident,
                        "notice-resident-transferred",
                        [],
                    )])
                    .collect(),
            )
        }
        Action::Decline { reason } => {
            let reason = required(reason, Refusal::ReasonRequired)?;
            step(&mut next, State::Declined, None);
            (
                event(
                    EventKind::Declined,
                    from,
                    State::Declined,
                    Some(reason.clone()),
                ),
                status_change("notice-declined", [("reason", reason.clone())])
                    .chain([notice(
                        Audience::Resident,
                        "notice-resident-declined",
                        [("reason", reason)],
                    )])
                    .collect(),
            )
        }
        Action::Key => {
            if current.key {
                return Err(Refusal::AlreadyKey);
            }
            next.key = true;
            let mut notices = vec![
                notice(Audience::Deputy, "notice-key", []),
                notice(Audience::Chairs, "notice-key", []),
            ];
            if current.lead_unit.is_some() {
                notices.push(notice(Audience::Units, "notice-key", []));
            }
            (
                event(EventKind::MarkedKey, from, current.state, None),
                notices,
            )
        }
        Action::Progress { text } => {
            let text = checked_text(text)?;
            (
                event(
                    EventKind::Progress,
                    from,
                    State::Assigned,
                    Some(text.clone()),
                ),
                vec![notice(
                    Audience::Deputy,
                    "notice-progress",
                    [("text", text)],
                )],
            )
        }
        Action::Reply { text } => {
            let text = checked_text(text)?;
            let deadline = rules.deadline_after(now, rules.rating_days);
            step(&mut next, State::Replied, Some(deadline));
            (
                event(EventKind::Replied, from, State::Replied, Some(text.clone())),
                vec![
                    notice(
                        Audience::Deputy,
                        "notice-replied-rate",
                        [("text", text.clone()), ("deadline", shown(deadline))],
                    ),
                    notice(Audience::GroupChat, "notice-replied", []),
                    notice(
                        Audience::Resident,
                        "notice-resident-replied",
                        [("text", text)],
                    ),
                ],
            )
        }
        Action::Rate { rating } => rate(&mut next, rating, now, rules),
        Action::Explain { text } => {
            let text = checked_text(text)?;
            next.outcome = Some(Outcome::Explained);
            step(&mut next, State::Closed, None);
            (
                event(
                    EventKind::Explained,
                    from,
                    State::Closed,
                    Some(text.clone()),
                ),
                status_change("notice-explained", [("text", text.clone())])
                    .chain([notice(
                        Audience::Resident,
                        "notice-resident-closed",
                        [("text", text)],
                    )])
                    .collect(),
            )
        }
        Action::AutoClose => {
            if current.deadline.is_some_and(|d| now <= d) {
                return Err(Refusal::NotDue);
            }
            next.outcome = Some(Outcome::Unrated);
            step(&mut next, State::Closed, None);
            (
                event(EventKind::AutoClosed, from, State::Closed, None),
                status_change("notice-auto-closed", [])
                    .chain([
                        notice(Audience::Units, "notice-auto-closed", []),
                        notice(
                            Audience::Resident,
                            "notice-resident-closed",
                            [("text", String::new())],
                        ),
                    ])
                    .collect(),
            )
        }
    };
    Ok(Decision {
        next,
        event,
        notices,
    })
}

/// 评价: satisfied or basic closes it; the first unsatisfied puts it under key supervision
/// (重点督办, a new deadline, the chair told); the second asks the unit to explain publicly.
fn rate(
    next: &mut Suggestion,
    rating: Rating,
    now: DateTime<Utc>,
    rules: &Rules,
) -> (Event, Vec<Notice>) {
    let from = Some(next.state);
    next.rating = Some(rating);
    let r = ("rating", rating.as_str().to_string());
    match rating {
        Rating::Satisfied | Rating::Basic => {
            next.state = State::Closed;
            next.deadline = None;
            next.outcome = Some(Outcome::Rated);
            let notices = status_change("notice-closed", [r.clone()])
                .chain([
                    notice(Audience::Units, "notice-rated-unit", [r]),
                    notice(
                        Audience::Resident,
                        "notice-resident-closed",
                        [("text", String::new())],
                    ),
                ])
                .collect();
            (
                event(
                    EventKind::Rated,
                    from,
                    State::Closed,
                    Some(rating.as_str().into()),
                ),
                notices,
            )
        }
        Rating::Unsatisfied if next.unsatisfied_count == 0 => {
            // Handling starts again: the rating that counts is the next one (the event keeps
            // this one), so an unrated close later is not counted as unsatisfied.
            next.rating = None;
            next.unsatisfied_count = 1;
            next.supervised = true;
            next.state = State::Assigned;
            let deadline = rules.deadline_after(now, rules.key_supervision_days);
            next.deadline = Some(deadline);
            let d = ("deadline", rules.show(deadline));
            let notices = status_change("notice-key-supervision", [d.clone()])
                .chain([
                    notice(Audience::Units, "notice-key-supervision-unit", [d.clone()]),
                    notice(Audience::Chairs, "notice-key-supervision-chair", [d]),
                ])
                .collect();
            (
                event(
                    EventKind::KeySupervision,
                    from,
                    State::Assigned,
                    Some(rating.as_str().into()),
                ),
                notices,
            )
        }
        Rating::Unsatisfied => {
            next.unsatisfied_count += 1;
            next.state = State::Explaining;
            let deadline = rules.deadline_after(now, rules.explanation_days);
            next.deadline = Some(deadline);
            let d = ("deadline", rules.show(deadline));
            let notices = status_change("notice-explanation-required", [d.clone()])
                .chain([
                    notice(
                        Audience::Units,
                        "notice-explanation-required-unit",
                        [d.clone()],
                    ),
                    notice(Audience::Chairs, "notice-explanation-required", [d]),
                ])
                .collect();
            (
                event(
                    EventKind::ExplanationRequired,
                    from,
                    State::Explaining,
                    Some(rating.as_str().into()),
                ),
                notices,
            )
        }
    }
}

/// Every status change is told to the deputy privately and to the group's bound chats.
fn status_change<const N: usize>(
    key: &'static str,
    args: [(&'static str, String); N],
) -> impl Iterator<Item = Notice> {
    [
        notice(Audience::Deputy, key, args.clone()),
        notice(Audience::GroupChat, key, args),
    ]
    .into_iter()
}

fn notice<const N: usize>(
    to: Audience,
    key: &'static str,
    args: [(&'static str, String); N],
) -> Notice {
    Notice {
        to,
        key,
        args: args.into(),
    }
}

fn event(kind: EventKind, from: Option<State>, to: State, text: Option<String>) -> Event {
    Event {
        kind,
        from,
        to,
        text,
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

fn checked_text(text: String) -> Result<String, Refusal> {
    required(text, Refusal::TextRequired)
}

fn check_title_body(title: String, body: String) -> Result<(String, String), Refusal> {
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
