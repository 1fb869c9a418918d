//! Roster import (PRODUCT.md §7): CSV files of orgs, groups, units and people. Parsing and
//! checking are pure and live here; the repositories write a checked file in one transaction.
//! A file with any bad line imports nothing, and every bad line is reported.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use crate::domain::roles::UnknownRole;
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

/// A bad line: its number in the file (the header is line 1) and everything wrong with it
/// (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub problems: Vec<LineProblem>,
}

impl LineError {
    fn new(line: u64, problem: LineProblem) -> Self {
        Self {
            line,
            problems: vec![problem],
        }
    }
}

/// English, for logs; an operator reads each problem rendered from its locale key.
impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// One thing wrong with a line of a roster file: a value, rendered in the operator's language
/// from [`LineProblem::key`] and [`LineProblem::args`] (locales/*/cli.ftl).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// The header row cannot be read as CSV (the reader's own, English, message).
    UnreadableHeader(String),
    /// No header row at all.
    EmptyFile,
    /// A required column is not in the header.
    MissingColumn {
        column: &'static str,
        expected: &'static [&'static str],
    },
    /// The line cannot be read as CSV (the reader's own, English, message).
    Unreadable(String),
    WrongColumnCount {
        got: usize,
        want: usize,
    },
    NotUtf8,
    DuplicateCode {
        code: String,
        first_line: u64,
    },
    /// Two lines of the file give one Telegram id.
    DuplicateTelegramId {
        telegram_id: i64,
        first_line: u64,
    },
    /// A required column is empty on this line.
    Empty(&'static str),
    /// A code (in the column named) is not up to 64 letters, digits, '-', '_' or '.'.
    BadCode {
        column: &'static str,
        value: String,
    },
    OwnParent,
    UnknownRole(String),
    /// Not a positive whole number.
    BadTelegramId(String),
    BadLang(String),
    UnknownParentOrg(String),
    /// The org's chain of parents comes back to it.
    OwnAncestor(String),
    UnknownOrg(String),
    UnknownScopeCode(String),
    /// None of the scope codes is of the kind the role is held in.
    RoleNeedsScope {
        role: Role,
        kind: ScopeKind,
        scope: String,
    },
    /// The Telegram id is stored for another person.
    TelegramIdTaken {
        telegram_id: i64,
        owner: String,
    },
}

impl LineProblem {
    /// The locale key of the problem's text (locales/*/cli.ftl).
    pub fn key(&self) -> &'static str {
        match self {
            LineProblem::UnreadableHeader(_) => "import-problem-unreadable-header",
            LineProblem::EmptyFile => "import-problem-empty-file",
            LineProblem::MissingColumn { .. } => "import-problem-missing-column",
            LineProblem::Unreadable(_) => "import-problem-unreadable",
            LineProblem::WrongColumnCount { .. } => "import-problem-wrong-column-count",
            LineProblem::NotUtf8 => "import-problem-not-utf8",
            LineProblem::DuplicateCode { .. } => "import-problem-duplicate-code",
            LineProblem::DuplicateTelegramId { .. } => "import-problem-duplicate-telegram-id",
            LineProblem::Empty(_) => "import-problem-empty",
            LineProblem::BadCode { .. } => "import-problem-bad-code",
            LineProblem::OwnParent => "import-problem-own-parent",
            LineProblem::UnknownRole(_) => "import-problem-unknown-role",
            LineProblem::BadTelegramId(_) => "import-problem-bad-telegram-id",
            LineProblem::BadLang(_) => "import-problem-bad-lang",
            LineProblem::UnknownParentOrg(_) => "import-problem-unknown-parent-org",
            LineProblem::OwnAncestor(_) => "import-problem-own-ancestor",
            LineProblem::UnknownOrg(_) => "import-problem-unknown-org",
            LineProblem::UnknownScopeCode(_) => "import-problem-unknown-scope-code",
            LineProblem::RoleNeedsScope { .. } => "import-problem-role-needs-scope",
            LineProblem::TelegramIdTaken { .. } => "import-problem-telegram-id-taken",
        }
    }

    /// The arguments of the problem's message.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            LineProblem::EmptyFile | LineProblem::NotUtf8 | LineProblem::OwnParent => Vec::new(),
            LineProblem::UnreadableHeader(error) | LineProblem::Unreadable(error) => {
                vec![("error", error.clone())]
            }
            LineProblem::MissingColumn { column, expected } => vec![
                ("column", column.to_string()),
                ("expected", expected.join(",")),
            ],
            LineProblem::WrongColumnCount { got, want } => {
                vec![("got", got.to_string()), ("want", want.to_string())]
            }
            LineProblem::DuplicateCode { code, first_line } => {
                vec![("code", code.clone()), ("first", first_line.to_string())]
            }
            LineProblem::DuplicateTelegramId {
                telegram_id,
                first_line,
            } => vec![
                ("id", telegram_id.to_string()),
                ("first", first_line.to_string()),
            ],
            LineProblem::Empty(column) => vec![("column", column.to_string())],
            LineProblem::BadCode { column, value } => {
                vec![("column", column.to_string()), ("value", value.clone())]
            }
            LineProblem::UnknownRole(role) => vec![
                ("role", role.clone()),
                ("expected", Role::ALL.map(Role::as_str).join(", ")),
            ],
            LineProblem::BadTelegramId(value) | LineProblem::BadLang(value) => {
                vec![("value", value.clone())]
            }
            LineProblem::UnknownParentOrg(code)
            | LineProblem::OwnAncestor(code)
            | LineProblem::UnknownOrg(code)
            | LineProblem::UnknownScopeCode(code) => vec![("code", code.clone())],
            LineProblem::RoleNeedsScope { role, kind, scope } => vec![
                ("role", role.as_str().to_string()),
                ("kind", scope_kind_word(*kind).to_string()),
                ("scope", scope.clone()),
            ],
            LineProblem::TelegramIdTaken { telegram_id, owner } => {
                vec![("id", telegram_id.to_string()), ("owner", owner.clone())]
            }
        }
    }
}

fn scope_kind_word(kind: ScopeKind) -> &'static str {
    match kind {
        ScopeKind::Group => "group",
        ScopeKind::Unit => "unit",
        ScopeKind::Org => "org",
    }
}

/// English, for logs.
impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineProblem::UnreadableHeader(e) => write!(f, "unreadable header: {e}"),
            LineProblem::EmptyFile => f.write_str("empty file: a header row is required"),
            LineProblem::MissingColumn { column, expected } => write!(
                f,
                "missing column {column:?} (expected {})",
                expected.join(",")
            ),
            LineProblem::Unreadable(e) => write!(f, "unreadable: {e}"),
            LineProblem::WrongColumnCount { got, want } => {
                write!(f, "wrong column count: {got} instead of {want}")
            }
            LineProblem::NotUtf8 => f.write_str("not UTF-8 text"),
            LineProblem::DuplicateCode { code, first_line } => {
                write!(f, "duplicate code {code:?} (first on line {first_line})")
            }
            LineProblem::DuplicateTelegramId {
                telegram_id,
                first_line,
            } => write!(f, "telegram_id {telegram_id} is also on line {first_line}"),
            LineProblem::Empty(column) => write!(f, "{column} is empty"),
            LineProblem::BadCode { column, value } => write!(
                f,
                "{column} {value:?} must be up to 64 letters, digits, '-', '_' or '.'"
            ),
            LineProblem::OwnParent => f.write_str("an org cannot be its own parent"),
            LineProblem::UnknownRole(role) => write!(f, "{}", UnknownRole(role.clone())),
            LineProblem::BadTelegramId(value) => write!(
                f,
                "telegram_id {value:?} is not a Telegram user id (a positive whole number)"
            ),
            LineProblem::BadLang(value) => write!(f, "lang {value:?} is not zh-CN or en-US"),
            LineProblem::UnknownParentOrg(code) => write!(f, "unknown parent org {code:?}"),
            LineProblem::OwnAncestor(code) => write!(f, "org {code:?} would be its own ancestor"),
            LineProblem::UnknownOrg(code) => write!(f, "unknown org {code:?}"),
            LineProblem::UnknownScopeCode(code) => write!(f, "unknown scope code {code:?}"),
            LineProblem::RoleNeedsScope { role, kind, scope } => write!(
                f,
                "role {role} needs a {} code in scope, none of {scope:?} is one",
                scope_kind_word(*kind)
            ),
            LineProblem::TelegramIdTaken { telegram_id, owner } => {
                write!(f, "telegram_id {telegram_id} belongs to person {owner:?}")
            }
        }
    }
}

impl From<UnknownRole> for LineProblem {
    fn from(e: UnknownRole) -> Self {
        LineProblem::UnknownRole(e.0)
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
            batch.errors.push(LineError::new(
                1,
                LineProblem::UnreadableHeader(e.to_string()),
            ));
            return batch;
        }
        None => {
            batch.errors.push(LineError::new(1, LineProblem::EmptyFile));
            return batch;
        }
    };
    let names: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_ascii_lowercase())
        .collect();
    let mut index = HashMap::new();
    let mut missing = Vec::new();
    for column in kind.columns() {
        match names.iter().position(|n| n == column) {
            Some(i) => {
                index.insert(*column, i);
            }
            None if RosterKind::optional(column) => {}
            None => missing.push(LineProblem::MissingColumn {
                column,
                expected: kind.columns(),
            }),
        }
    }
    if !missing.is_empty() {
        batch.errors.push(LineError {
            line: 1,
            problems: missing,
        });
        return batch;
    }
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    let mut telegram_line: HashMap<i64, u64> = HashMap::new();
    for record in records {
        let (line, record) = match record {
            Ok(r) => (r.position().map_or(0, |p| p.line()), r),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                batch
                    .errors
                    .push(LineError::new(line, LineProblem::Unreadable(e.to_string())));
                continue;
            }
        };
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // blank line
        }
        if record.len() != names.len() {
            let problem = LineProblem::WrongColumnCount {
                got: record.len(),
                want: names.len(),
            };
            batch.errors.push(LineError::new(line, problem));
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
            batch
                .errors
                .push(LineError::new(line, LineProblem::NotUtf8));
            continue;
        }
        let field = |c: &str| fields.get(c).cloned().unwrap_or_default();
        match parse_row(kind, &field) {
            Ok(row) => {
                let code = row_code(&row).to_string();
                if let Some(first) = first_line_of.get(&code) {
                    let problem = LineProblem::DuplicateCode {
                        first_line: *first,
                        code,
                    };
                    batch.errors.push(LineError::new(line, problem));
                    continue;
                }
                first_line_of.insert(code, line);
                if let RosterRow::Person(PersonRow {
                    telegram_id: Some(t),
                    ..
                }) = &row
                    && let Some(first) = telegram_line.insert(*t, line)
                {
                    let problem = LineProblem::DuplicateTelegramId {
                        telegram_id: *t,
                        first_line: first,
                    };
                    batch.errors.push(LineError::new(line, problem));
                    continue;
                }
                batch.rows.push((line, row));
            }
            Err(problem) => batch.errors.push(LineError::new(line, problem)),
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

fn check_code(column: &'static str, code: &str) -> Result<(), LineProblem> {
    if code.is_empty() {
        return Err(LineProblem::Empty(column));
    }
    if code.len() > 64
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(LineProblem::BadCode {
            column,
            value: code.to_string(),
        });
    }
    Ok(())
}

fn parse_row(kind: RosterKind, field: &dyn Fn(&str) -> String) -> Result<RosterRow, LineProblem> {
    let code = field("code");
    check_code("code", &code)?;
    let name = field("name");
    if name.is_empty() {
        return Err(LineProblem::Empty("name"));
    }
    match kind {
        RosterKind::Orgs => {
            let parent = Some(field("parent")).filter(|p| !p.is_empty());
            if let Some(p) = &parent {
                check_code("parent", p)?;
                if *p == code {
                    return Err(LineProblem::OwnParent);
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
                let role: Role = part.parse::<Role>()?;
                if !roles.contains(&role) {
                    roles.push(role);
                }
            }
            if roles.is_empty() {
                return Err(LineProblem::Empty("roles"));
            }
            roles.sort();
            let scope: Vec<String> = field("scope")
                .split(';')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if scope.is_empty() {
                return Err(LineProblem::Empty("scope"));
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
                    _ => return Err(LineProblem::BadTelegramId(telegram)),
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
                other => return Err(LineProblem::BadLang(other.to_string())),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{self, Lang};

    fn problems(errors: &[LineError]) -> Vec<(u64, Vec<LineProblem>)> {
        errors
            .iter()
            .map(|e| (e.line, e.problems.clone()))
            .collect()
    }

    #[test]
    fn every_bad_line_is_reported() {
        let csv = "code,name,roles,scope,telegram_id,lang\n\
                   P1,Li,deputy,G1,100,zh\n\
                   P2,Wang,mayor,G1,,\n\
                   P1,Zhao,deputy,G1,,\n\
                   P3,Sun,deputy,G1,abc,\n\
                   P4,Qian,deputy\n\
                   P5,Zhou,deputy,G1,100,\n\
                   P6,Wu,deputy,G1,,fr\n\
                   P7,,deputy,G1,,\n\
                   P8,Zheng,deputy,G/1,,\n";
        let batch = parse(RosterKind::People, csv.as_bytes());
        assert_eq!(
            problems(&batch.errors),
            vec![
                (3, vec![LineProblem::UnknownRole("mayor".into())]),
                (
                    4,
                    vec![LineProblem::DuplicateCode {
                        code: "P1".into(),
                        first_line: 2
                    }]
                ),
                (5, vec![LineProblem::BadTelegramId("abc".into())]),
                (6, vec![LineProblem::WrongColumnCount { got: 3, want: 6 }]),
                (
                    7,
                    vec![LineProblem::DuplicateTelegramId {
                        telegram_id: 100,
                        first_line: 2
                    }]
                ),
                (8, vec![LineProblem::BadLang("fr".into())]),
                (9, vec![LineProblem::Empty("name")]),
                (
                    10,
                    vec![LineProblem::BadCode {
                        column: "scope",
                        value: "G/1".into()
                    }]
                ),
            ],
        );
        assert_eq!(batch.rows.len(), 1);
        assert_eq!(
            batch.errors[0].to_string(),
            "line 3: unknown role \"mayor\" (expected one of deputy, leader, clerk, secretary, \
             chair, unit, admin)"
        );
        assert_eq!(
            batch.errors[3].to_string(),
            "line 6: wrong column count: 3 instead of 6"
        );
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
                problems: vec![LineProblem::NotUtf8]
            }]
        );
        let batch = parse(RosterKind::People, b"code,roles,lang\nP1,deputy,\n");
        let expected = RosterKind::People.columns();
        assert_eq!(
            problems(&batch.errors),
            vec![(
                1,
                ["name", "scope"]
                    .map(|column| LineProblem::MissingColumn { column, expected })
                    .to_vec()
            )],
            "one error for the header, with every missing column"
        );
        assert_eq!(
            batch.errors[0].to_string(),
            "line 1: missing column \"name\" (expected code,name,roles,scope,telegram_id,lang); \
             missing column \"scope\" (expected code,name,roles,scope,telegram_id,lang)"
        );
        let batch = parse(RosterKind::Orgs, b"");
        assert_eq!(
            problems(&batch.errors),
            vec![(1, vec![LineProblem::EmptyFile])]
        );
    }

    #[test]
    fn org_cycles_are_refused() {
        let batch = parse(
            RosterKind::Orgs,
            b"code,name,parent\nA,a,B\nB,b,A\nC,c,\nD,d,D\nE,e,NONE\n",
        );
        assert_eq!(
            problems(&batch.errors),
            vec![(5, vec![LineProblem::OwnParent])]
        );
        let mut errors = Vec::new();
        plan(&batch, &Known::default(), &mut errors);
        assert_eq!(
            problems(&errors),
            vec![
                (2, vec![LineProblem::OwnAncestor("A".into())]),
                (3, vec![LineProblem::OwnAncestor("B".into())]),
                (6, vec![LineProblem::UnknownParentOrg("NONE".into())]),
            ]
        );
    }

    #[test]
    fn a_line_gathers_all_its_problems_from_the_plan() {
        let mut known = Known::default();
        known.orgs.insert("T1".into(), (1, "Town".into(), None));
        known
            .groups
            .insert("G1".into(), (1, "Group".into(), "T1".into()));
        known.people.insert(
            "D1".into(),
            StoredPerson {
                id: 1,
                name: "Deputy".into(),
                roles_spec: "deputy".into(),
                scope_spec: "G1".into(),
                telegram_id: Some(1001),
                lang: None,
            },
        );
        let batch = parse(
            RosterKind::People,
            b"code,name,roles,scope,telegram_id,lang\n\
              P1,One,unit,G1,1001,\n\
              P2,Two,deputy,G1;NOWHERE;ELSEWHERE,,\n",
        );
        let mut errors = Vec::new();
        plan(&batch, &known, &mut errors);
        assert_eq!(
            problems(&errors),
            vec![
                (
                    2,
                    vec![
                        LineProblem::RoleNeedsScope {
                            role: Role::Unit,
                            kind: ScopeKind::Unit,
                            scope: "G1".into()
                        },
                        LineProblem::TelegramIdTaken {
                            telegram_id: 1001,
                            owner: "D1".into()
                        },
                    ]
                ),
                (
                    3,
                    vec![
                        LineProblem::UnknownScopeCode("NOWHERE".into()),
                        LineProblem::UnknownScopeCode("ELSEWHERE".into()),
                    ]
                ),
            ]
        );
        assert_eq!(
            errors[0].to_string(),
            "line 2: role unit needs a unit code in scope, none of \"G1\" is one; \
             telegram_id 1001 belongs to person \"D1\""
        );
        let batch = parse(RosterKind::Groups, b"code,name,org\nG2,Two,NOORG\n");
        let mut errors = Vec::new();
        plan(&batch, &known, &mut errors);
        assert_eq!(
            problems(&errors),
            vec![(2, vec![LineProblem::UnknownOrg("NOORG".into())])]
        );
    }

    /// One of every problem, with arguments that show up in the text.
    fn every_problem() -> Vec<LineProblem> {
        vec![
            LineProblem::UnreadableHeader("CSV error: record 1".into()),
            LineProblem::EmptyFile,
            LineProblem::MissingColumn {
                column: "scope",
                expected: RosterKind::People.columns(),
            },
            LineProblem::Unreadable("CSV error: record 7".into()),
            LineProblem::WrongColumnCount { got: 3, want: 6 },
            LineProblem::NotUtf8,
            LineProblem::DuplicateCode {
                code: "P1".into(),
                first_line: 2,
            },
            LineProblem::DuplicateTelegramId {
                telegram_id: 4242,
                first_line: 2,
            },
            LineProblem::Empty("roles"),
            LineProblem::BadCode {
                column: "parent",
                value: "a b".into(),
            },
            LineProblem::OwnParent,
            LineProblem::UnknownRole("mayor".into()),
            LineProblem::BadTelegramId("-5".into()),
            LineProblem::BadLang("fr".into()),
            LineProblem::UnknownParentOrg("NOPARENT".into()),
            LineProblem::OwnAncestor("LOOP".into()),
            LineProblem::UnknownOrg("NOORG".into()),
            LineProblem::UnknownScopeCode("NOWHERE".into()),
            LineProblem::RoleNeedsScope {
                role: Role::Unit,
                kind: ScopeKind::Unit,
                scope: "G1;T1".into(),
            },
            LineProblem::TelegramIdTaken {
                telegram_id: 1001,
                owner: "D1".into(),
            },
        ]
    }

    #[test]
    fn every_problem_renders_in_both_languages_with_its_arguments() {
        let all = every_problem();
        let keys: HashSet<&str> = all.iter().map(LineProblem::key).collect();
        assert_eq!(keys.len(), all.len(), "one key per variant");
        for lang in Lang::ALL {
            for problem in &all {
                let key = problem.key();
                let out = i18n::plain(lang, key, &problem.args());
                assert_ne!(out, key, "{key} did not render in {lang}");
                assert!(!out.contains(['{', '}']), "{key} in {lang}: {out}");
                for (name, value) in problem.args() {
                    // Kinds are words the locale turns into its own.
                    if name != "kind" {
                        assert!(out.contains(&value), "{key} in {lang} lacks {value}: {out}");
                    }
                }
            }
        }
        let zh = |p: &LineProblem| i18n::plain(Lang::ZhCn, p.key(), &p.args());
        assert_eq!(zh(&all[5]), "不是 UTF-8 编码的文本");
        assert!(
            zh(&all[11]).starts_with("未知角色「mayor」"),
            "{}",
            zh(&all[11])
        );
        assert!(zh(&all[18]).contains("承办单位"), "{}", zh(&all[18]));
        let en = |p: &LineProblem| i18n::plain(Lang::EnUs, p.key(), &p.args());
        for problem in &all {
            assert_eq!(en(problem), problem.to_string(), "{}", problem.key());
        }
    }
}
