//! Roster import (PRODUCT.md §7): CSV files of orgs, groups, units and people. Parsing and
//! checking are pure and live here; the repositories write a checked file in one transaction.
//! A file with any bad line imports nothing, and every bad line is reported.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use crate::domain::{Role, ScopeKind};

use super::StoreError;

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
            RosterKind::People => &["code", "name", "roles", "scope", "telegram_id", "lang"],
        }
    }

    /// Columns that may be missing from the header altogether.
    fn optional(column: &str) -> bool {
        matches!(column, "telegram_id" | "lang" | "parent")
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

/// A bad line: its number in the file (the header is line 1) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub reason: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
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
    pub lang: Option<String>,
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

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub kind: RosterKind,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl ImportReport {
    pub fn changed_nothing(&self) -> bool {
        self.inserted == 0 && self.updated == 0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    /// Bad lines: nothing was imported.
    #[error("{} bad line(s)", .0.len())]
    Lines(Vec<LineError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ImportFailure {
    fn from(e: sqlx::Error) -> Self {
        ImportFailure::Store(StoreError::Db(e))
    }
}

/// Parses a roster file. Never fails as a whole: every problem becomes a [`LineError`].
pub fn parse(kind: RosterKind, bytes: &[u8]) -> RosterBatch {
    let mut batch = RosterBatch {
        kind,
        rows: Vec::new(),
        errors: Vec::new(),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes); // Excel's UTF-8 mark
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            batch.errors.push(LineError {
                line: 1,
                reason: format!("unreadable header: {e}"),
            });
            return batch;
        }
        None => {
            batch.errors.push(LineError {
                line: 1,
                reason: "empty file: a header row is required".into(),
            });
            return batch;
        }
    };
    let names: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_ascii_lowercase())
        .collect();
    let mut index = HashMap::new();
    for column in kind.columns() {
        match names.iter().position(|n| n == column) {
            Some(i) => {
                index.insert(*column, i);
            }
            None if RosterKind::optional(column) => {}
            None => batch.errors.push(LineError {
                line: 1,
                reason: format!(
                    "missing column {column:?} (expected {})",
                    kind.columns().join(",")
                ),
            }),
        }
    }
    if !batch.errors.is_empty() {
        return batch;
    }
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    let mut telegram_line: HashMap<i64, u64> = HashMap::new();
    for record in records {
        let (line, record) = match record {
            Ok(r) => (r.position().map_or(0, |p| p.line()), r),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                batch.errors.push(LineError {
                    line,
                    reason: format!("unreadable: {e}"),
                });
                continue;
            }
        };
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // blank line
        }
        if record.len() != names.len() {
            batch.errors.push(LineError {
                line,
                reason: format!(
                    "wrong column count: {} instead of {}",
                    record.len(),
                    names.len()
                ),
            });
            continue;
        }
        let mut fields = HashMap::new();
        let mut bad_utf8 = false;
        for (column, i) in &index {
            match std::str::from_utf8(&record[*i]) {
                Ok(text) => {
                    fields.insert(*column, text.trim().to_string());
                }
                Err(_) => bad_utf8 = true,
            }
        }
        if bad_utf8 {
            batch.errors.push(LineError {
                line,
                reason: "not UTF-8 text".into(),
            });
            continue;
        }
        let field = |c: &str| fields.get(c).cloned().unwrap_or_default();
        match parse_row(kind, &field) {
            Ok(row) => {
                let code = row_code(&row).to_string();
                if let Some(first) = first_line_of.get(&code) {
                    batch.errors.push(LineError {
                        line,
                        reason: format!("duplicate code {code:?} (first on line {first})"),
                    });
                    continue;
                }
                first_line_of.insert(code, line);
                if let RosterRow::Person(PersonRow {
                    telegram_id: Some(t),
                    ..
                }) = &row
                    && let Some(first) = telegram_line.insert(*t, line)
                {
                    batch.errors.push(LineError {
                        line,
                        reason: format!("telegram_id {t} is also on line {first}"),
                    });
                    continue;
                }
                batch.rows.push((line, row));
            }
            Err(reason) => batch.errors.push(LineError { line, reason }),
        }
    }
    batch
}

fn row_code(row: &RosterRow) -> &str {
    match row {
        RosterRow::Org { code, .. } | RosterRow::Member { code, .. } => code,
        RosterRow::Person(p) => &p.code,
    }
}

fn check_code(column: &str, code: &str) -> Result<(), String> {
    if code.is_empty() {
        return Err(format!("{column} is empty"));
    }
    if code.len() > 64
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(format!(
            "{column} {code:?} must be up to 64 letters, digits, '-', '_' or '.'"
        ));
    }
    Ok(())
}

fn parse_row(kind: RosterKind, field: &dyn Fn(&str) -> String) -> Result<RosterRow, String> {
    let code = field("code");
    check_code("code", &code)?;
    let name = field("name");
    if name.is_empty() {
        return Err("name is empty".into());
    }
    match kind {
        RosterKind::Orgs => {
            let parent = Some(field("parent")).filter(|p| !p.is_empty());
            if let Some(p) = &parent {
                check_code("parent", p)?;
                if *p == code {
                    return Err("an org cannot be its own parent".into());
                }
            }
            Ok(RosterRow::Org { code, name, parent })
        }
        RosterKind::Groups | RosterKind::Units => {
            let org = field("org");
            check_code("org", &org)?;
            Ok(RosterRow::Member { code, name, org })
        }
        RosterKind::People => {
            let mut roles = Vec::new();
            for part in field("roles")
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                let role: Role = part.parse().map_err(|e| format!("{e}"))?;
                if !roles.contains(&role) {
                    roles.push(role);
                }
            }
            if roles.is_empty() {
                return Err("roles is empty".into());
            }
            roles.sort();
            let scope: Vec<String> = field("scope")
                .split(';')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if scope.is_empty() {
                return Err("scope is empty".into());
            }
            for s in &scope {
                check_code("scope", s)?;
            }
            let telegram = field("telegram_id");
            let telegram_id = if telegram.is_empty() {
                None
            } else {
                match telegram.parse::<i64>() {
                    Ok(t) if t > 0 => Some(t),
                    _ => {
                        return Err(format!(
                            "telegram_id {telegram:?} is not a Telegram user id (a positive whole number)"
                        ));
                    }
                }
            };
            let lang = match field("lang").as_str() {
                "" => None,
                l if l.eq_ignore_ascii_case("zh-CN") || l.eq_ignore_ascii_case("zh") => {
                    Some("zh-CN".to_string())
                }
                l if l.eq_ignore_ascii_case("en-US") || l.eq_ignore_ascii_case("en") => {
                    Some("en-US".to_string())
                }
                other => return Err(format!("lang {other:?} is not zh-CN or en-US")),
            };
            Ok(RosterRow::Person(PersonRow {
                code,
                name,
                roles,
                scope,
                telegram_id,
                lang,
            }))
        }
    }
}

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
    let in_file: HashSet<&str> = batch.rows.iter().map(|(_, r)| row_code(r)).collect();
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
    let mut out = Vec::with_capacity(batch.rows.len());
    for (line, row) in &batch.rows {
        let mut reasons: Vec<String> = Vec::new();
        let mut bad = |reason: String| reasons.push(reason);
        let mut grants = Vec::new();
        let change = match row {
            RosterRow::Org { code, name, parent } => {
                if let Some(p) = parent {
                    if !in_file.contains(p.as_str()) && !known.orgs.contains_key(p) {
                        bad(format!("unknown parent org {p:?}"));
                    } else if creates_cycle(code, &parents, known) {
                        bad(format!("org {code:?} would be its own ancestor"));
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
                    bad(format!("unknown org {org:?}"));
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
                    bad(format!("unknown scope code {code:?}"));
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
                        let what = match kind {
                            ScopeKind::Group => "group",
                            ScopeKind::Unit => "unit",
                            ScopeKind::Org => "org",
                        };
                        bad(format!(
                            "role {role} needs a {what} code in scope, none of {:?} is one",
                            p.scope_spec()
                        ));
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
                    bad(format!("telegram_id {t} belongs to person {owner:?}"));
                }
                match known.people.get(&p.code) {
                    None => Change::Insert,
                    Some(stored) => {
                        let same = stored.name == p.name
                            && stored.roles_spec == p.roles_spec()
                            && stored.scope_spec == p.scope_spec()
                            && (p.telegram_id.is_none() || p.telegram_id == stored.telegram_id)
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
        if !reasons.is_empty() {
            errors.push(LineError {
                line: *line,
                reason: reasons.join("; "),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_line_is_reported() {
        let csv = "code,name,roles,scope,telegram_id,lang\n\
                   P1,Li,deputy,G1,100,zh\n\
                   P2,Wang,mayor,G1,,\n\
                   P1,Zhao,deputy,G1,,\n\
                   P3,Sun,deputy,G1,abc,\n\
                   P4,Qian,deputy\n\
                   P5,Zhou,deputy,G1,100,\n\
                   P6,Wu,deputy,G1,,fr\n";
        let batch = parse(RosterKind::People, csv.as_bytes());
        let lines: Vec<u64> = batch.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8], "{:?}", batch.errors);
        assert_eq!(batch.rows.len(), 1);
    }

    #[test]
    fn not_utf8_and_missing_columns() {
        let mut bytes = b"code,name,org\nG1,ok,T1\nG2,".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        bytes.extend_from_slice(b",T1\n");
        let batch = parse(RosterKind::Groups, &bytes);
        assert_eq!(
            batch.errors,
            vec![LineError {
                line: 3,
                reason: "not UTF-8 text".into()
            }]
        );
        let batch = parse(RosterKind::Groups, b"code,name\nG1,x\n");
        assert_eq!(batch.errors.len(), 1);
        assert_eq!(batch.errors[0].line, 1);
    }

    #[test]
    fn org_cycles_are_refused() {
        let batch = parse(RosterKind::Orgs, b"code,name,parent\nA,a,B\nB,b,A\nC,c,\n");
        let mut errors = Vec::new();
        plan(&batch, &Known::default(), &mut errors);
        assert_eq!(
            errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![2, 3]
        );
    }
}
