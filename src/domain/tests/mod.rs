//! Table-driven tests of the pure rules, against one fixture organisation:
//!
//! ```text
//! county C (1)
//! ├── town T1 (2) ── group G1: deputies FILER, PEER; leader LEADER1 (also a deputy of G1)
//! └── town T2 (3) ── group G2: leader LEADER2 (also a deputy of G2)
//! units U1, U2, U3 (the fixture suggestion has U1 as lead unit and U2 as co-unit)
//! ```
//!
//! The fixture suggestion `2026-0042` was filed by FILER in G1, so its chain of orgs is
//! `[T1, C]`. Times are written in Asia/Shanghai local time, as the seeds count them.

mod deadlines;
mod events;
mod filing;
mod notices;
mod numbers;
mod permissions;
mod properties;
mod refusals;
mod transitions;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

use super::*;

pub const C: OrgId = OrgId(1);
pub const T1: OrgId = OrgId(2);
pub const T2: OrgId = OrgId(3);
pub const G1: GroupId = GroupId(1);
pub const G2: GroupId = GroupId(2);
pub const U1: UnitId = UnitId(1);
pub const U2: UnitId = UnitId(2);
pub const U3: UnitId = UnitId(3);

/// Everyone who may try something, named by how they relate to the fixture suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The deputy of G1 who filed the suggestion.
    Filer,
    /// Another deputy of G1.
    Peer,
    /// The leader of G1 (and a deputy of G1).
    Leader1,
    /// The leader of G2 (and a deputy of G2).
    Leader2,
    /// A clerk of T1, the suggestion's town org.
    ClerkT1,
    /// A clerk of C, the county org above T1.
    ClerkC,
    /// A clerk of T2, unrelated to the suggestion.
    ClerkT2,
    /// A secretary of C.
    Secretary,
    /// A chair of C.
    Chair,
    /// A chair of T2, unrelated to the suggestion.
    ChairT2,
    /// The contact of U1, the lead unit.
    LeadUnit,
    /// The contact of U2, a co-unit.
    CoUnit,
    /// The contact of U3, unrelated.
    OtherUnit,
    /// An admin of C.
    Admin,
    /// A resident: an unknown account with no grants.
    Resident,
    /// The scheduler.
    System,
}

impl Who {
    pub const ALL: [Who; 16] = [
        Who::Filer,
        Who::Peer,
        Who::Leader1,
        Who::Leader2,
        Who::ClerkT1,
        Who::ClerkC,
        Who::ClerkT2,
        Who::Secretary,
        Who::Chair,
        Who::ChairT2,
        Who::LeadUnit,
        Who::CoUnit,
        Who::OtherUnit,
        Who::Admin,
        Who::Resident,
        Who::System,
    ];

    pub fn person(self) -> Option<PersonId> {
        let id = match self {
            Who::Filer => 10,
            Who::Peer => 11,
            Who::Leader1 => 12,
            Who::Leader2 => 13,
            Who::ClerkT1 => 20,
            Who::ClerkC => 21,
            Who::ClerkT2 => 22,
            Who::Secretary => 30,
            Who::Chair => 31,
            Who::ChairT2 => 32,
            Who::LeadUnit => 40,
            Who::CoUnit => 41,
            Who::OtherUnit => 42,
            Who::Admin => 50,
            Who::Resident | Who::System => return None,
        };
        Some(PersonId(id))
    }

    pub fn actor(self) -> Actor {
        let grants = match self {
            Who::Filer | Who::Peer => vec![grant(Role::Deputy, Scope::Group(G1))],
            Who::Leader1 => vec![
                grant(Role::Deputy, Scope::Group(G1)),
                grant(Role::Leader, Scope::Group(G1)),
            ],
            Who::Leader2 => vec![
                grant(Role::Deputy, Scope::Group(G2)),
                grant(Role::Leader, Scope::Group(G2)),
            ],
            Who::ClerkT1 => vec![grant(Role::Clerk, Scope::Org(T1))],
            Who::ClerkC => vec![grant(Role::Clerk, Scope::Org(C))],
            Who::ClerkT2 => vec![grant(Role::Clerk, Scope::Org(T2))],
            Who::Secretary => vec![grant(Role::Secretary, Scope::Org(C))],
            Who::Chair => vec![grant(Role::Chair, Scope::Org(C))],
            Who::ChairT2 => vec![grant(Role::Chair, Scope::Org(T2))],
            Who::LeadUnit => vec![grant(Role::Unit, Scope::Unit(U1))],
            Who::CoUnit => vec![grant(Role::Unit, Scope::Unit(U2))],
            Who::OtherUnit => vec![grant(Role::Unit, Scope::Unit(U3))],
            Who::Admin => vec![grant(Role::Admin, Scope::Org(C))],
            Who::Resident => {
                return Actor {
                    person: None,
                    grants: Vec::new(),
                    system: false,
                };
            }
            Who::System => return Actor::system(),
        };
        Actor::person(self.person().expect("a roster person"), grants)
    }
}

pub fn grant(role: Role, scope: Scope) -> Grant {
    Grant { role, scope }
}

/// The chain of orgs above a group, nearest first.
pub fn orgs_of(group: GroupId) -> Vec<OrgId> {
    match group {
        G1 => vec![T1, C],
        G2 => vec![T2, C],
        other => panic!("no such group {other:?}"),
    }
}

/// An instant given in Shanghai local time.
pub fn local(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Shanghai
        .with_ymd_and_hms(y, m, d, h, mi, s)
        .single()
        .expect("a valid Shanghai time")
        .with_timezone(&Utc)
}

/// The last second of a local day: where every deadline ends.
pub fn end_of(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    local(y, m, d, 23, 59, 59)
}

/// An instant given in UTC.
pub fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, mi, s).unwrap()
}

/// "Now" for the tests that do not care about the exact time: after the fixture's deadline.
pub fn now() -> DateTime<Utc> {
    local(2026, 3, 10, 10, 0, 0)
}

/// The fixture's current deadline: passed at [`now`], so an unrated reply may be closed.
pub fn fixture_deadline() -> DateTime<Utc> {
    end_of(2026, 3, 1)
}

pub fn rules() -> Rules {
    Rules::default()
}

pub fn categories() -> Vec<String> {
    [
        "economy",
        "governance",
        "public-affairs",
        "environment",
        "livelihood",
        "other",
    ]
    .map(String::from)
    .to_vec()
}

pub const NO: SuggestionNo = SuggestionNo {
    year: 2026,
    seq: 42,
};
pub const OTHER_NO: SuggestionNo = SuggestionNo {
    year: 2026,
    seq: 43,
};

/// The fixture suggestion in `state`, filed by FILER in G1, with U1 as lead unit and U2 as
/// co-unit (so that unit permissions can be checked in every state).
pub fn suggestion(state: State) -> Suggestion {
    Suggestion {
        id: SuggestionId(100),
        no: NO,
        deputy: Who::Filer.person().unwrap(),
        group: G1,
        title: "Street lights on Elm Road".into(),
        body: "Half of them have been out since winter.".into(),
        category: "governance".into(),
        state,
        level: Some(Level::Town),
        lead_unit: Some(U1),
        co_units: vec![U2],
        deadline: Some(fixture_deadline()),
        key: false,
        supervised: false,
        unsatisfied_count: 0,
        rating: None,
        outcome: None,
        merged_into: None,
        request: Some(RequestId(7)),
        filed_at: local(2026, 1, 30, 10, 0, 0),
        orgs: vec![T1, C],
    }
}

/// The same suggestion before any unit was assigned (as it is until `assign`).
pub fn unassigned(state: State) -> Suggestion {
    Suggestion {
        lead_unit: None,
        co_units: Vec::new(),
        level: None,
        ..suggestion(state)
    }
}

/// The kinds of action that move (or annotate) a suggestion, and those that do not.
pub const TRANSITION_KINDS: [ActionKind; 14] = [
    ActionKind::Review,
    ActionKind::Edit,
    ActionKind::Withdraw,
    ActionKind::Assign,
    ActionKind::Extend,
    ActionKind::Merge,
    ActionKind::Transfer,
    ActionKind::Decline,
    ActionKind::Key,
    ActionKind::Progress,
    ActionKind::Reply,
    ActionKind::Explain,
    ActionKind::Rate,
    ActionKind::AutoClose,
];
pub const OTHER_KINDS: [ActionKind; 5] = [
    ActionKind::See,
    ActionKind::File,
    ActionKind::Bind,
    ActionKind::Invite,
    ActionKind::Supervise,
];

/// 交办 to `lead` and `co` with the default days and level.
pub fn assign(lead: UnitId, co: &[UnitId]) -> Action {
    Action::Assign {
        lead,
        co: co.to_vec(),
        days: None,
        level: None,
    }
}

/// Merge into the suggestion `no`, found in `state`.
pub fn merge_into(no: SuggestionNo, state: State) -> Action {
    Action::Merge {
        into: MergeTarget { no, state },
    }
}

/// `decide` with the default rules.
pub fn run(
    s: &Suggestion,
    who: Who,
    action: Action,
    at: DateTime<Utc>,
) -> Result<Decision, Refusal> {
    decide(s, &who.actor(), action, at, &rules())
}

/// `decide` that must succeed.
pub fn ok(s: &Suggestion, who: Who, action: Action, at: DateTime<Utc>) -> Decision {
    let what = format!("{who:?} {action:?} on {}", s.state);
    run(s, who, action, at).unwrap_or_else(|r| panic!("{what} refused: {r:?}"))
}

/// `decide` that must be refused.
pub fn refused(s: &Suggestion, who: Who, action: Action, at: DateTime<Utc>) -> Refusal {
    let what = format!("{who:?} {action:?} on {}", s.state);
    match run(s, who, action, at) {
        Ok(d) => panic!("{what} allowed: {d:?}"),
        Err(r) => r,
    }
}

pub fn text(s: &str) -> String {
    s.to_string()
}

/// A draft in G1 (or the deputy's only group).
pub fn draft(group: Option<GroupId>) -> Draft {
    Draft {
        title: "Street lights on Elm Road".into(),
        body: "Half of them have been out since winter.".into(),
        category: "governance".into(),
        group,
        attachment: Default::default(),
    }
}

pub fn file_as(actor: &Actor, draft: Draft, at: DateTime<Utc>) -> Result<Filing, Refusal> {
    file(actor, draft, orgs_of, at, &rules(), &categories())
}
