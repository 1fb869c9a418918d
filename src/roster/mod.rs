//! Roster import (PRODUCT.md §7): CSV files of orgs, groups, units and people, parsed and
//! checked here without touching the database; the repository loads what is stored
//! ([`plan::Known`]), and writes the checked file in one transaction. A file with any bad line
//! imports nothing, and every bad line is reported.
//!
//! - [`parse`]: the file's bytes into good lines and bad ones;
//! - [`plan`]: the good lines against what is stored: insert, update or unchanged, and what
//!   else is wrong (unknown scopes and parents, cycles, Telegram ids taken);
//! - [`problems`]: everything that can be wrong with a line, rendered from the locales.

pub mod parse;
pub mod plan;
pub mod problems;

#[cfg(test)]
mod tests;

use std::str::FromStr;

use crate::domain::Role;

pub use parse::parse;
pub use plan::{Change, GrantRow, Known, StoredPerson, plan};
pub use problems::{LineError, LineProblem};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterKind {
    Orgs,
    Groups,
    Units,
    People,
}

impl RosterKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RosterKind::Orgs => "orgs",
            RosterKind::Groups => "groups",
            RosterKind::Units => "units",
            RosterKind::People => "people",
        }
    }

    /// The columns a file of this kind must have, in the header row (any order; other
    /// columns are ignored).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            RosterKind::Orgs => &["code", "name", "parent"],
            RosterKind::Groups | RosterKind::Units => &["code", "name", "org"],
            RosterKind::People => &[
                "code",
                "name",
                "roles",
                "scope",
                "telegram_id",
                "wecom_userid",
                "lang",
            ],
        }
    }

    /// Columns that may be missing from the header altogether.
    fn optional(column: &str) -> bool {
        matches!(column, "telegram_id" | "wecom_userid" | "lang" | "parent")
    }
}

impl FromStr for RosterKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "orgs" => Ok(RosterKind::Orgs),
            "groups" => Ok(RosterKind::Groups),
            "units" => Ok(RosterKind::Units),
            "people" => Ok(RosterKind::People),
            other => Err(format!(
                "unknown roster kind {other:?} (orgs, groups, units, people)"
            )),
        }
    }
}

/// One good line of a roster file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterRow {
    /// An org and its parent's code (none at the root).
    Org {
        code: String,
        name: String,
        parent: Option<String>,
    },
    /// A group or a unit and its org's code.
    Member {
        code: String,
        name: String,
        org: String,
    },
    Person(PersonRow),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub code: String,
    pub name: String,
    pub roles: Vec<Role>,
    /// Scope codes; each role takes the ones of its kind (a group for deputies and leaders, a
    /// unit for unit contacts, an org otherwise).
    pub scope: Vec<String>,
    /// Empty in the file means: keep what is stored (an invite may have bound one).
    pub telegram_id: Option<i64>,
    /// The corporation directory's userid on WeCom (the corporation vouches for it: no
    /// invite). Empty in the file means: keep what is stored, as for `telegram_id`.
    pub wecom_userid: Option<String>,
    pub lang: Option<String>,
}

impl RosterRow {
    /// The line's code: the org's, group's, unit's or person's.
    pub fn code(&self) -> &str {
        match self {
            RosterRow::Org { code, .. } | RosterRow::Member { code, .. } => code,
            RosterRow::Person(p) => &p.code,
        }
    }
}

impl PersonRow {
    pub fn roles_spec(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(";")
    }
    pub fn scope_spec(&self) -> String {
        self.scope.join(";")
    }
}

/// A parsed file: the good lines (with their line numbers) and the bad ones.
#[derive(Debug, Clone)]
pub struct RosterBatch {
    pub kind: RosterKind,
    pub rows: Vec<(u64, RosterRow)>,
    pub errors: Vec<LineError>,
}
