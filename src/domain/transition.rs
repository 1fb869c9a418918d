//! The closed loop's state machine (PRODUCT.md §3). Each transition is a pure function of
//! (current suggestion, actor, action, now, rules) that returns either a [`Refusal`] or a
//! [`Decision`]: the next record, the event to append and the notices it causes. Storage
//! writes all three in one transaction.

use chrono::{DateTime, Utc};

use super::action::Action;
use super::ask::Ask;
use super::deadline::Rules;
use super::event::{Audience, Event, EventKind, Notice};
use super::ids::{GroupId, OrgId, PersonId, RequestId, SuggestionId};
use super::numbers::SuggestionNo;
use super::permissions::{ActionKind, permit};
use super::place::Place;
use super::refusal::Refusal;
use super::roles::Actor;
use super::steps::{self, Step, check_title_body, notice};
use super::suggestion::{State, Suggestion};

/// The outcome of an allowed action.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub next: Suggestion,
    pub event: Event,
    pub notices: Vec<Notice>,
}

/// A new suggestion as the deputy wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub category: String,
    /// The group it is filed in; `None` means the deputy's only group.
    pub group: Option<GroupId>,
    /// A photo or location sent with it; the rules ignore it, storage keeps it.
    pub attachment: Attachment,
}

/// A photo or a location attached to a suggestion or a resident's request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attachment {
    /// Telegram's file id (the largest size of a photo).
    pub photo: Option<String>,
    /// (latitude, longitude).
    pub location: Option<(f64, f64)>,
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
    /// The review deadline as people read it.
    pub deadline_shown: String,
    pub event: Event,
}

impl Filing {
    /// Whom the filing tells, once it has its number: the leaders, asked to review it, and
    /// the group's chats.
    pub fn notices(&self, no: SuggestionNo) -> Vec<Notice> {
        vec![
            notice(
                Audience::Leaders,
                "notice-filed-leader",
                [("deadline", self.deadline_shown.clone())],
            )
            .asking(Ask::Review(no)),
            notice(Audience::GroupChat, "notice-filed-group", []),
        ]
    }

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
            let first = groups.next().ok_or(Refusal::NotYourRole)?;
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
    // A deputy who names a group that is not theirs is told which group problem it is.
    permit(actor, ActionKind::File, &place).map_err(|refusal| match refusal {
        Refusal::OutOfScope => Refusal::NoGroup,
        other => other,
    })?;
    let (title, body) = check_title_body(draft.title, draft.body)?;
    let category = draft.category.trim().to_string();
    if !categories.contains(&category) {
        return Err(Refusal::UnknownCategory(category));
    }
    let deadline = rules.deadline_after(now, rules.review_days);
    Ok(Filing {
        deputy: actor.person.ok_or(Refusal::NotYourRole)?,
        group,
        orgs: place.orgs,
        request: None,
        filed_at: now,
        title,
        body,
        category,
        deadline,
        deadline_shown: rules.show(deadline),
        event: Event {
            kind: EventKind::Filed,
            from: None,
            to: State::Submitted,
            text: None,
        },
    })
}

/// Decides an action on an existing suggestion: the permission table first, then the state
/// the action may start from, then the step's own rules (in [`super::steps`]).
pub fn decide(
    current: &Suggestion,
    actor: &Actor,
    action: Action,
    now: DateTime<Utc>,
    rules: &Rules,
) -> Result<Decision, Refusal> {
    permit(actor, action.kind(), &current.place())?;
    if !action.start_states().contains(&current.state) {
        return Err(Refusal::WrongState(current.state));
    }
    let mut s = Step {
        next: current.clone(),
        from: current.state,
        now,
        rules,
    };
    let (event, notices) = match action {
        Action::Accept { level } => steps::accept(&mut s, level),
        Action::Return { reason } => steps::return_for_revision(&mut s, reason)?,
        Action::Edit { title, body } => steps::edit(&mut s, title, body)?,
        Action::Withdraw => steps::withdraw(&mut s),
        Action::Assign {
            lead,
            co,
            days,
            level,
        } => steps::assign(&mut s, lead, co, days, level)?,
        Action::Extend { days, reason } => steps::extend(&mut s, days, reason)?,
        Action::Merge { into } => steps::merge(&mut s, into)?,
        Action::Transfer { reason } => steps::transfer(&mut s, reason)?,
        Action::Decline { reason } => steps::decline(&mut s, reason)?,
        Action::Key => steps::mark_key(&mut s)?,
        Action::Progress { text } => steps::progress(&mut s, text)?,
        Action::Reply { text } => steps::reply(&mut s, text)?,
        Action::Rate { rating } => steps::rate(&mut s, rating)?,
        Action::Explain { text } => steps::explain(&mut s, text)?,
        Action::AutoClose => steps::auto_close(&mut s)?,
        Action::Vote { result, on, note } => steps::vote(&mut s, result, on, note)?,
    };
    Ok(Decision {
        next: s.next,
        event,
        notices,
    })
}
