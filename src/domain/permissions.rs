//! The permission table: role × action × scope, written once and used by every entry point
//! (command, button, CLI, scheduler). PRODUCT.md §1 and §4.

use super::ids::OrgId;
use super::place::Place;
use super::refusal::Refusal;
use super::roles::{Actor, Role, Scope};

/// Everything a person can ask minyi to do that needs a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// See a suggestion's details and timeline (`/show`).
    See,
    /// File a suggestion (提交).
    File,
    Edit,
    Withdraw,
    /// 初审: the leader's first review, accept or return.
    Review,
    /// 交办: assignment to handling units.
    Assign,
    Extend,
    Merge,
    Transfer,
    Decline,
    /// 重点建议: mark as a key suggestion.
    Key,
    /// 办中沟通: a progress note.
    Progress,
    Reply,
    Explain,
    Rate,
    /// Close a reply nobody rated within the rating window.
    AutoClose,
    /// Bind a Telegram group chat to a group, org or unit.
    Bind,
    Invite,
    /// `/overdue`, `/stats`: supervision lists and statistics of an org.
    Supervise,
    /// 表决: record the standing committee's vote on a key suggestion (`/vote`).
    Vote,
    /// 履职档案: read a deputy's performance file (`/record`); the place is the deputy's.
    Record,
    /// 接待日: record a deputy's attendance on a reception day (`/received`).
    Receive,
    /// 述职: record a deputy's report to their voters (`/voters`).
    ReportToVoters,
}

/// How a grant must relate to the place for a row of the table to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The deputy who filed it.
    Filer,
    /// A role held in the place's group.
    Group,
    /// A role held in an org on the place's chain of orgs (that org or any org above it).
    Org,
    /// A unit contact of the lead unit.
    LeadUnit,
    /// A unit contact of the lead unit or a co-unit.
    AnyUnit,
}

use ActionKind as A;
use Reach as R;
use Role::*;

/// The table. An action is allowed when any row for it matches one of the actor's grants.
pub const PERMISSIONS: &[(ActionKind, Role, Reach)] = &[
    (A::See, Deputy, R::Filer),
    (A::See, Leader, R::Group),
    (A::See, Clerk, R::Org),
    (A::See, Secretary, R::Org),
    (A::See, Chair, R::Org),
    (A::See, Admin, R::Org),
    (A::See, Unit, R::AnyUnit),
    (A::File, Deputy, R::Group),
    (A::Edit, Deputy, R::Filer),
    (A::Withdraw, Deputy, R::Filer),
    (A::Review, Leader, R::Group),
    (A::Assign, Clerk, R::Org),
    (A::Extend, Clerk, R::Org),
    (A::Merge, Clerk, R::Org),
    (A::Transfer, Clerk, R::Org),
    (A::Decline, Clerk, R::Org),
    (A::Key, Clerk, R::Org),
    (A::Key, Chair, R::Org),
    (A::Progress, Unit, R::AnyUnit),
    (A::Reply, Unit, R::LeadUnit),
    (A::Explain, Unit, R::LeadUnit),
    (A::Rate, Deputy, R::Filer),
    (A::Bind, Admin, R::Org),
    (A::Bind, Clerk, R::Org),
    (A::Invite, Admin, R::Org),
    (A::Invite, Clerk, R::Org),
    (A::Supervise, Clerk, R::Org),
    (A::Supervise, Secretary, R::Org),
    (A::Supervise, Chair, R::Org),
    (A::Supervise, Admin, R::Org),
    (A::Vote, Chair, R::Org),
    (A::Record, Deputy, R::Filer),
    (A::Record, Clerk, R::Org),
    (A::Record, Chair, R::Org),
    (A::Receive, Deputy, R::Filer),
    (A::Receive, Clerk, R::Org),
    (A::ReportToVoters, Clerk, R::Org),
];

/// Whom a resident's request (群众诉求) is addressed to: a deputy, or a group's leader for the
/// whole group. They see it in /inbox and adopt it (as a suggestion they file) or decline it.
pub const REQUEST_ROLES: [Role; 2] = [Deputy, Leader];

/// What minyi itself may do (the scheduler, and the operator at the `minyi` command line, who
/// already holds the database): close unrated replies, look, bind chats and issue invites.
/// Never a step of the loop that is a person's to take.
const SYSTEM_ACTIONS: [ActionKind; 4] = [A::AutoClose, A::See, A::Bind, A::Invite];

/// May `actor` do `action` at `place`? Only the system closes unrated replies.
pub fn allowed(actor: &Actor, action: ActionKind, place: &Place) -> bool {
    permit(actor, action, place).is_ok()
}

/// The table's answer with its reason, in the order the table is read: first whether any of
/// the actor's roles may do `action` at all ([`Refusal::NotYourRole`]), then whether one of
/// those grants reaches `place` ([`Refusal::OutOfScope`]). A deputy who asks to invite is told
/// inviting is not a deputy's to do, not that the invitee is outside their org.
pub fn permit(actor: &Actor, action: ActionKind, place: &Place) -> Result<(), Refusal> {
    if actor.system {
        return match SYSTEM_ACTIONS.contains(&action) {
            true => Ok(()),
            false => Err(Refusal::NotYourRole),
        };
    }
    if action == A::AutoClose {
        return Err(Refusal::NotYourRole);
    }
    let mut role_fits = false;
    for &(_, role, reach) in PERMISSIONS.iter().filter(|(kind, _, _)| *kind == action) {
        for grant in actor.grants.iter().filter(|g| g.role == role) {
            role_fits = true;
            if reaches(actor, grant.scope, reach, place) {
                return Ok(());
            }
        }
    }
    Err(match role_fits {
        true => Refusal::OutOfScope,
        false => Refusal::NotYourRole,
    })
}

fn reaches(actor: &Actor, scope: Scope, reach: Reach, place: &Place) -> bool {
    match (reach, scope) {
        (R::Filer, _) => actor.person.is_some() && actor.person == place.filer,
        (R::Group, Scope::Group(g)) => place.group == Some(g),
        (R::Org, Scope::Org(o)) => place.orgs.contains(&o),
        (R::LeadUnit, Scope::Unit(u)) => place.lead_unit == Some(u),
        (R::AnyUnit, Scope::Unit(u)) => place.units().any(|x| x == u),
        _ => false,
    }
}

/// 交办 reaches only the units of the assigning clerk's org or below it: a town's liaison
/// office assigns to the town's units, a district's to the district's (seed 000's tiered
/// routing). `unit_orgs` is the unit's chain of orgs, nearest first.
pub fn may_assign_to(actor: &Actor, suggestion_orgs: &[OrgId], unit_orgs: &[OrgId]) -> bool {
    actor.grants.iter().any(|g| {
        matches!((g.role, g.scope), (Role::Clerk, Scope::Org(o))
            if suggestion_orgs.contains(&o) && unit_orgs.contains(&o))
    })
}

/// The roles that may do `action` somewhere: what `/help` lists for a person.
pub fn roles_for(action: ActionKind) -> impl Iterator<Item = Role> {
    PERMISSIONS
        .iter()
        .filter(move |(kind, _, _)| *kind == action)
        .map(|(_, role, _)| *role)
}
