//! The good lines of a file against what is stored: what to insert, update or leave, and
//! every problem only the stored roster shows.

use std::collections::{HashMap, HashSet};

use super::{LineError, LineProblem, RosterBatch, RosterKind, RosterRow};
use crate::domain::{Role, ScopeKind};

/// What is stored already, as the checks need it (loaded in the importing transaction).
#[derive(Debug, Default)]
pub struct Known {
    /// code → (id, name, parent code)
    pub orgs: HashMap<String, (i64, String, Option<String>)>,
    /// code → (id, name, org code)
    pub groups: HashMap<String, (i64, String, String)>,
    pub units: HashMap<String, (i64, String, String)>,
    pub people: HashMap<String, StoredPerson>,
}

/// A person as stored, to tell a changed row from an unchanged one.
#[derive(Debug, Clone)]
pub struct StoredPerson {
    pub id: i64,
    pub name: String,
    pub roles_spec: String,
    pub scope_spec: String,
    pub telegram_id: Option<i64>,
    pub wecom_userid: Option<String>,
    pub lang: Option<String>,
}

/// One grant to write for a person: role and the scope row's id in its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantRow {
    pub role: Role,
    pub kind: ScopeKind,
    pub id: i64,
}

/// A checked line and what to do with it.
#[derive(Debug, Clone)]
pub enum Change {
    Unchanged,
    Insert,
    Update(i64),
}

/// Checks the lines against what is stored (scope codes, parents, orgs, Telegram ids taken by
/// others), decides insert, update or unchanged for each, and adds every problem to `errors`.
pub fn plan(
    batch: &RosterBatch,
    known: &Known,
    errors: &mut Vec<LineError>,
) -> Vec<(Change, Vec<GrantRow>)> {
    let in_file: HashSet<&str> = batch.rows.iter().map(|(_, r)| r.code()).collect();
    let parents: HashMap<&str, Option<&str>> = batch
        .rows
        .iter()
        .filter_map(|(_, r)| match r {
            RosterRow::Org { code, parent, .. } => Some((code.as_str(), parent.as_deref())),
            _ => None,
        })
        .collect();
    let telegram_owner: HashMap<i64, &str> = known
        .people
        .iter()
        .filter_map(|(code, p)| p.telegram_id.map(|t| (t, code.as_str())))
        .collect();
    let wecom_owner: HashMap<String, &str> = known
        .people
        .iter()
        .filter_map(|(code, p)| {
            let userid = p.wecom_userid.as_ref()?;
            Some((userid.to_ascii_lowercase(), code.as_str()))
        })
        .collect();
    let mut out = Vec::with_capacity(batch.rows.len());
    for (line, row) in &batch.rows {
        let mut problems: Vec<LineProblem> = Vec::new();
        let mut bad = |problem: LineProblem| problems.push(problem);
        let mut grants = Vec::new();
        let change = match row {
            RosterRow::Org { code, name, parent } => {
                if let Some(p) = parent {
                    if !in_file.contains(p.as_str()) && !known.orgs.contains_key(p) {
                        bad(LineProblem::UnknownParentOrg(p.clone()));
                    } else if creates_cycle(code, &parents, known) {
                        bad(LineProblem::OwnAncestor(code.clone()));
                    }
                }
                match known.orgs.get(code) {
                    None => Change::Insert,
                    Some((id, n, p)) if n != name || p != parent => Change::Update(*id),
                    Some(_) => Change::Unchanged,
                }
            }
            RosterRow::Member { code, name, org } => {
                if !known.orgs.contains_key(org) {
                    bad(LineProblem::UnknownOrg(org.clone()));
                }
                let stored = if batch.kind == RosterKind::Groups {
                    &known.groups
                } else {
                    &known.units
                };
                match stored.get(code) {
                    None => Change::Insert,
                    Some((id, n, o)) if n != name || o != org => Change::Update(*id),
                    Some(_) => Change::Unchanged,
                }
            }
            RosterRow::Person(p) => {
                let unknown: Vec<&String> = p
                    .scope
                    .iter()
                    .filter(|c| {
                        !known.groups.contains_key(*c)
                            && !known.units.contains_key(*c)
                            && !known.orgs.contains_key(*c)
                    })
                    .collect();
                for code in &unknown {
                    bad(LineProblem::UnknownScopeCode((*code).clone()));
                }
                for role in p.roles.iter().filter(|_| unknown.is_empty()) {
                    let kind = role.scope_kind();
                    let found: Vec<i64> = p
                        .scope
                        .iter()
                        .filter_map(|c| match kind {
                            ScopeKind::Group => known.groups.get(c).map(|g| g.0),
                            ScopeKind::Unit => known.units.get(c).map(|u| u.0),
                            ScopeKind::Org => known.orgs.get(c).map(|o| o.0),
                        })
                        .collect();
                    if found.is_empty() {
                        bad(LineProblem::RoleNeedsScope {
                            role: *role,
                            kind,
                            scope: p.scope_spec(),
                        });
                    }
                    grants.extend(found.into_iter().map(|id| GrantRow {
                        role: *role,
                        kind,
                        id,
                    }));
                }
                if let Some(t) = p.telegram_id
                    && let Some(owner) = telegram_owner.get(&t).filter(|o| **o != p.code)
                {
                    bad(LineProblem::TelegramIdTaken {
                        telegram_id: t,
                        owner: owner.to_string(),
                    });
                }
                if let Some(userid) = &p.wecom_userid
                    && let Some(owner) = wecom_owner
                        .get(&userid.to_ascii_lowercase())
                        .filter(|o| **o != p.code)
                {
                    bad(LineProblem::WeComUserIdTaken {
                        userid: userid.clone(),
                        owner: owner.to_string(),
                    });
                }
                match known.people.get(&p.code) {
                    None => Change::Insert,
                    Some(stored) => {
                        let same = stored.name == p.name
                            && stored.roles_spec == p.roles_spec()
                            && stored.scope_spec == p.scope_spec()
                            && (p.telegram_id.is_none() || p.telegram_id == stored.telegram_id)
                            && (p.wecom_userid.is_none() || p.wecom_userid == stored.wecom_userid)
                            && (p.lang.is_none() || p.lang == stored.lang);
                        if same {
                            Change::Unchanged
                        } else {
                            Change::Update(stored.id)
                        }
                    }
                }
            }
        };
        if !problems.is_empty() {
            errors.push(LineError {
                line: *line,
                problems,
            });
        }
        out.push((change, grants));
    }
    out
}

/// Would `code`'s chain of parents (file first, then stored) come back to it?
fn creates_cycle(code: &str, parents: &HashMap<&str, Option<&str>>, known: &Known) -> bool {
    let mut at = code.to_string();
    for _ in 0..=parents.len() + known.orgs.len() {
        let next = match parents.get(at.as_str()) {
            Some(p) => p.map(str::to_string),
            None => known.orgs.get(&at).and_then(|o| o.2.clone()),
        };
        match next {
            Some(n) if n == code => return true,
            Some(n) => at = n,
            None => return false,
        }
    }
    true
}
