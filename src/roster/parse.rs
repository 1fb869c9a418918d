//! A roster file's bytes into good lines and bad ones.

use std::collections::HashMap;

use super::{LineError, LineProblem, PersonRow, RosterBatch, RosterKind, RosterRow};
use crate::domain::Role;

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
    // WeCom ignores case when it compares userids.
    let mut wecom_line: HashMap<String, u64> = HashMap::new();
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
                let code = row.code().to_string();
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
                if let RosterRow::Person(PersonRow {
                    wecom_userid: Some(userid),
                    ..
                }) = &row
                    && let Some(first) = wecom_line.insert(userid.to_ascii_lowercase(), line)
                {
                    let problem = LineProblem::DuplicateWeComUserId {
                        userid: userid.clone(),
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
            let wecom_userid = Some(field("wecom_userid")).filter(|u| !u.is_empty());
            if let Some(userid) = &wecom_userid
                && !is_wecom_userid(userid)
            {
                return Err(LineProblem::BadWeComUserId(userid.clone()));
            }
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
                wecom_userid,
                lang,
            }))
        }
    }
}

/// WeCom's own rule for a member's userid: 1 to 64 bytes of letters, digits and `_-@.`,
/// starting with a letter or a digit.
pub fn is_wecom_userid(s: &str) -> bool {
    s.len() <= 64
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '@' | '.'))
}
