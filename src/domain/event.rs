//! What a transition records and whom it tells: the event on the timeline and the notices.

use super::ask::Ask;
use super::ids::{OrgId, UnitId};
use super::numbers::SuggestionNo;
use super::roles::Role;
use super::suggestion::{State, Suggestion};

/// What happened, as recorded on the suggestion's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Filed,
    Accepted,
    Returned,
    Resubmitted,
    Withdrawn,
    Assigned,
    Extended,
    Merged,
    Transferred,
    Declined,
    MarkedKey,
    Progress,
    Replied,
    Rated,
    KeySupervision,
    ExplanationRequired,
    Explained,
    AutoClosed,
    /// The standing committee's vote passed: a key suggestion closes.
    VotePassed,
    /// The vote failed: handled on under key supervision.
    VoteFailed,
}

impl EventKind {
    pub const ALL: [EventKind; 20] = [
        EventKind::Filed,
        EventKind::Accepted,
        EventKind::Returned,
        EventKind::Resubmitted,
        EventKind::Withdrawn,
        EventKind::Assigned,
        EventKind::Extended,
        EventKind::Merged,
        EventKind::Transferred,
        EventKind::Declined,
        EventKind::MarkedKey,
        EventKind::Progress,
        EventKind::Replied,
        EventKind::Rated,
        EventKind::KeySupervision,
        EventKind::ExplanationRequired,
        EventKind::Explained,
        EventKind::AutoClosed,
        EventKind::VotePassed,
        EventKind::VoteFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Filed => "filed",
            EventKind::Accepted => "accepted",
            EventKind::Returned => "returned",
            EventKind::Resubmitted => "resubmitted",
            EventKind::Withdrawn => "withdrawn",
            EventKind::Assigned => "assigned",
            EventKind::Extended => "extended",
            EventKind::Merged => "merged",
            EventKind::Transferred => "transferred",
            EventKind::Declined => "declined",
            EventKind::MarkedKey => "marked-key",
            EventKind::Progress => "progress",
            EventKind::Replied => "replied",
            EventKind::Rated => "rated",
            EventKind::KeySupervision => "key-supervision",
            EventKind::ExplanationRequired => "explanation-required",
            EventKind::Explained => "explained",
            EventKind::AutoClosed => "auto-closed",
            EventKind::VotePassed => "vote-passed",
            EventKind::VoteFailed => "vote-failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One row of a suggestion's timeline (the actor and time are added by storage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub from: Option<State>,
    pub to: State,
    pub text: Option<String>,
}

/// Who a notice goes to, relative to the suggestion. Storage resolves each audience into
/// outbox rows (private chats, bound group chats, mirrors) in the same transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// The deputy who filed it, privately.
    Deputy,
    /// The chats bound to the suggestion's group.
    GroupChat,
    /// The group's leaders, privately.
    Leaders,
    /// The clerks who assign it (see [`Suggestion::assigning_orgs`]): those of the nearest
    /// such org that has clerks or a bound chat, privately, and that org's bound chats.
    ///
    /// [`Suggestion::assigning_orgs`]: super::Suggestion::assigning_orgs
    Clerks,
    /// Likewise secretaries.
    Secretaries,
    /// Likewise chairs.
    Chairs,
    /// The contacts and bound chats of the lead unit and the co-units.
    Units,
    /// Those of the lead unit alone.
    LeadUnit,
    /// Those of the co-units alone.
    CoUnits,
    /// The resident whose request became this suggestion, if any.
    Resident,
}

impl Audience {
    /// The org role this audience is, for the audiences that are people of an org.
    pub fn org_role(self) -> Option<Role> {
        match self {
            Audience::Clerks => Some(Role::Clerk),
            Audience::Secretaries => Some(Role::Secretary),
            Audience::Chairs => Some(Role::Chair),
            Audience::Deputy
            | Audience::GroupChat
            | Audience::Leaders
            | Audience::Units
            | Audience::LeadUnit
            | Audience::CoUnits
            | Audience::Resident => None,
        }
    }

    /// The orgs an org audience of `s` may be found in, nearest first: for clerks those that
    /// assign it (a town's matter in the town, a district's above it), for the others every
    /// org above the group.
    pub fn org_chain(self, s: &Suggestion) -> &[OrgId] {
        match self {
            Audience::Clerks => s.assigning_orgs(),
            _ => &s.orgs,
        }
    }

    /// The units whose contacts and bound chats hear this audience, lead first; none for an
    /// audience of people who are not units.
    pub fn units(self, s: &Suggestion) -> Vec<UnitId> {
        let (lead, co) = (s.lead_unit.iter().copied(), s.co_units.iter().copied());
        match self {
            Audience::Units => lead.chain(co).collect(),
            Audience::LeadUnit => lead.collect(),
            Audience::CoUnits => co.collect(),
            Audience::Deputy
            | Audience::GroupChat
            | Audience::Leaders
            | Audience::Clerks
            | Audience::Secretaries
            | Audience::Chairs
            | Audience::Resident => Vec::new(),
        }
    }

    /// Whether the org's bound chats hear this audience's notices: the clerks' work is the
    /// org's, so its chats follow it; a secretary's or chair's reminder is theirs alone.
    pub fn reaches_org_chats(self) -> bool {
        self == Audience::Clerks
    }
}

/// Who hears a notice for an org audience: those of the nearest org in `chain` (nearest first)
/// where someone was found, so a town's chair hears a town matter, not every county chair
/// as well (PRODUCT.md §3). `found` holds the orgs of `chain` that have anyone to tell.
pub fn nearest_org(chain: &[OrgId], found: &[OrgId]) -> Option<OrgId> {
    chain.iter().copied().find(|org| found.contains(org))
}

/// A message to send: a locale key and its arguments, and what it asks of its reader, if
/// anything. Storage adds `no` and `title` to every notice; the renderer escapes every
/// argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub to: Audience,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub ask: Option<Ask>,
}

impl Notice {
    /// The notice to the units that handle suggestion `no`, asking each for what is theirs
    /// to do: the lead unit posts progress and replies; a co-unit only posts progress (the
    /// permission table lets only the lead unit reply), so it reads `co_key`, which says
    /// so, and gets no Reply button that would always be refused.
    pub fn asking_units_to_handle(self, no: SuggestionNo, co_key: &'static str) -> [Notice; 2] {
        let co = Notice {
            to: Audience::CoUnits,
            key: co_key,
            ..self.clone()
        };
        [
            Notice {
                to: Audience::LeadUnit,
                ..self
            }
            .asking(Ask::Handle(no)),
            co.asking(Ask::Progress(no)),
        ]
    }

    /// The same notice, asking its reader for `ask`.
    pub fn asking(self, ask: Ask) -> Notice {
        Notice {
            ask: Some(ask),
            ..self
        }
    }
}
