//! Who acts: roles, the scope each role is held in, and the actor of an action.

use std::fmt;
use std::str::FromStr;

use super::ids::{GroupId, OrgId, PersonId, UnitId};

/// A role of PRODUCT.md §1. A person may hold several (a leader is also a deputy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 人大代表
    Deputy,
    /// 代表小组组长
    Leader,
    /// 代表联络室 / 代表工委 staff
    Clerk,
    /// 人大秘书
    Secretary,
    /// 人大主席 / 主任
    Chair,
    /// 承办单位 contact
    Unit,
    /// system operator
    Admin,
}

/// The kind of scope a role is held in: deputies and leaders in a group, unit contacts in a
/// unit, everyone else in an org (and everything below it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Group,
    Unit,
    Org,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Deputy,
        Role::Leader,
        Role::Clerk,
        Role::Secretary,
        Role::Chair,
        Role::Unit,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Deputy => "deputy",
            Role::Leader => "leader",
            Role::Clerk => "clerk",
            Role::Secretary => "secretary",
            Role::Chair => "chair",
            Role::Unit => "unit",
            Role::Admin => "admin",
        }
    }

    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Role::Deputy | Role::Leader => ScopeKind::Group,
            Role::Unit => ScopeKind::Unit,
            Role::Clerk | Role::Secretary | Role::Chair | Role::Admin => ScopeKind::Org,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role {0:?} (expected one of deputy, leader, clerk, secretary, chair, unit, admin)"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(UnknownRole(s))
    }
}

/// Where a role is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Group(GroupId),
    Unit(UnitId),
    Org(OrgId),
}

/// One role held in one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

/// Who is acting: a roster person with their grants, an unknown account (a resident: no
/// grants), or the system itself (scheduler jobs such as the auto-close of unrated replies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub person: Option<PersonId>,
    pub grants: Vec<Grant>,
    pub system: bool,
}

impl Actor {
    pub fn person(person: PersonId, grants: Vec<Grant>) -> Self {
        Self {
            person: Some(person),
            grants,
            system: false,
        }
    }

    pub fn system() -> Self {
        Self {
            person: None,
            grants: Vec::new(),
            system: true,
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// The groups this person is a deputy of.
    pub fn deputy_groups(&self) -> impl Iterator<Item = GroupId> + '_ {
        self.grants.iter().filter_map(|g| match (g.role, g.scope) {
            (Role::Deputy, Scope::Group(group)) => Some(group),
            _ => None,
        })
    }
}
