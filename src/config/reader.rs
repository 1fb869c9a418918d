//! A walker over one TOML table that names every problem by its full key and reports keys
//! nobody asked for, so [`super::Config`] can collect all problems instead of stopping at the
//! first, as serde would.

use std::ops::RangeInclusive;

use toml::{Table, Value};

use super::problem::{Problem, Why};

/// Reads one TOML table: remembers which keys it asked for, so the rest can be reported as
/// unknown, and collects problems instead of stopping at the first. A value with a problem is
/// replaced by its default so reading can go on; the problems make the whole load fail anyway.
pub(super) struct Reader<'a> {
    /// What starts each problem: the file label and the keys down to this table.
    path: String,
    table: Option<&'a Table>,
    known: Vec<&'static str>,
    pub(super) problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(path: String, table: Option<&'a Table>) -> Self {
        Self {
            path,
            table,
            known: Vec::new(),
            problems: Vec::new(),
        }
    }

    pub(super) fn problem(&mut self, key: &str, why: Why) {
        self.problems.push(Problem {
            at: format!("{}{key}", self.path),
            why,
        });
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.known.push(key);
        self.table?.get(key)
    }

    pub(super) fn int(
        &mut self,
        key: &'static str,
        default: u32,
        range: RangeInclusive<u32>,
    ) -> u32 {
        let value = self.get(key).map(|v| whole_number(v, &range));
        match value {
            None => default,
            Some(Ok(n)) => n,
            Some(Err(why)) => {
                self.problem(key, why);
                default
            }
        }
    }

    pub(super) fn int_list(
        &mut self,
        key: &'static str,
        default: &[u32],
        range: RangeInclusive<u32>,
    ) -> Vec<u32> {
        let items = match self.get(key) {
            None => return default.to_vec(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                let kind = other.type_str().to_owned();
                self.problem(key, Why::NotNumberList { kind });
                return default.to_vec();
            }
        };
        let mut numbers = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match whole_number(item, &range) {
                Ok(n) => numbers.push(n),
                Err(why) => self.problem(&format!("{key}[{i}]"), why),
            }
        }
        numbers
    }

    /// A list of strings, each turned into `T`; absent means empty.
    pub(super) fn text_list<T>(
        &mut self,
        key: &'static str,
        parse: impl Fn(&str) -> Result<T, Why>,
    ) -> Vec<T> {
        let items = match self.get(key) {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                let kind = other.type_str().to_owned();
                self.problem(key, Why::NotStringList { kind });
                return Vec::new();
            }
        };
        let mut values = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let parsed = match item {
                Value::String(s) => parse(s),
                other => Err(Why::NotString {
                    kind: other.type_str().to_owned(),
                }),
            };
            match parsed {
                Ok(value) => values.push(value),
                Err(why) => self.problem(&format!("{key}[{i}]"), why),
            }
        }
        values
    }

    /// A string value; a value of another type is a problem.
    pub(super) fn text(&mut self, key: &'static str) -> Option<&'a str> {
        match self.get(key)? {
            Value::String(s) => Some(s),
            other => {
                // The type, not the value: the value may be a secret written wrongly.
                let kind = other.type_str().to_owned();
                self.problem(key, Why::NotString { kind });
                None
            }
        }
    }

    /// A string value turned into `T`, or the default's.
    pub(super) fn parse<T>(
        &mut self,
        key: &'static str,
        default: &str,
        parse: impl Fn(&str) -> Result<T, Why>,
    ) -> T {
        match self.text(key).map(&parse) {
            Some(Ok(value)) => return value,
            Some(Err(why)) => self.problem(key, why),
            None => {}
        }
        parse(default).expect("the default is valid")
    }

    /// A string value that must be present (no default), turned into `T`.
    pub(super) fn required<T>(
        &mut self,
        key: &'static str,
        parse: impl Fn(&str) -> Result<T, Why>,
    ) -> Option<T> {
        if self.table.is_none_or(|t| !t.contains_key(key)) {
            self.known.push(key);
            self.problem(key, Why::Missing);
            return None;
        }
        parse(self.text(key)?)
            .map_err(|why| self.problem(key, why))
            .ok()
    }

    /// A sub-table, absent meaning all its defaults.
    pub(super) fn section<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(&mut Reader<'a>) -> T,
    ) -> T {
        let table = match self.get(key) {
            Some(Value::Table(table)) => Some(table),
            Some(other) => {
                let kind = other.type_str().to_owned();
                self.problem(key, Why::NotTable { kind });
                None
            }
            None => None,
        };
        self.nested(key, table, read)
    }

    /// A sub-table that turns a feature on: `None` when absent (or not a table, a problem).
    pub(super) fn optional_section<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(&mut Reader<'a>) -> Option<T>,
    ) -> Option<T> {
        match self.get(key)? {
            Value::Table(table) => self.nested(key, Some(table), read),
            other => {
                let kind = other.type_str().to_owned();
                self.problem(key, Why::NotTable { kind });
                None
            }
        }
    }

    /// A whole number that must be present (no default), in `range`; `why` tells a wrong one
    /// in the key's own words.
    pub(super) fn required_int(
        &mut self,
        key: &'static str,
        range: RangeInclusive<i64>,
        why: impl Fn(String) -> Why,
    ) -> Option<i64> {
        let Some(value) = self.get(key) else {
            self.problem(key, Why::Missing);
            return None;
        };
        match value.as_integer().filter(|n| range.contains(n)) {
            Some(n) => Some(n),
            None => {
                // A number is quoted back; anything else only by its type.
                let got = match value {
                    Value::Integer(_) | Value::Float(_) => value.to_string(),
                    other => other.type_str().to_owned(),
                };
                self.problem(key, why(got));
                None
            }
        }
    }

    /// A list of tables (`[[key]]`); `None` when absent, so the caller picks the default.
    pub(super) fn list<T>(
        &mut self,
        key: &'static str,
        mut read: impl FnMut(&mut Reader<'a>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items = match self.get(key)? {
            Value::Array(items) => items,
            other => {
                let (key_name, kind) = (key.to_owned(), other.type_str().to_owned());
                self.problem(
                    key,
                    Why::NotTableList {
                        key: key_name,
                        kind,
                    },
                );
                return Some(Vec::new());
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("{key}[{i}]");
            match item {
                Value::Table(table) => out.extend(self.nested(&at, Some(table), &mut read)),
                other => self.problem(
                    &at,
                    Why::NotTable {
                        kind: other.type_str().to_owned(),
                    },
                ),
            }
        }
        Some(out)
    }

    fn nested<T>(
        &mut self,
        at: &str,
        table: Option<&'a Table>,
        read: impl FnOnce(&mut Reader<'a>) -> T,
    ) -> T {
        let mut inner = Reader::new(format!("{}{at}.", self.path), table);
        let value = read(&mut inner);
        self.problems.extend(inner.finish());
        value
    }

    /// The problems, with every key nobody asked for reported as unknown (a typo, most often).
    pub(super) fn finish(mut self) -> Vec<Problem> {
        for key in self.table.into_iter().flat_map(|t| t.keys()) {
            if !self.known.contains(&key.as_str()) {
                let known = self.known.join(", ");
                self.problem(key, Why::UnknownKey { known });
            }
        }
        self.problems
    }
}

fn whole_number(value: &Value, range: &RangeInclusive<u32>) -> Result<u32, Why> {
    let n = value.as_integer().and_then(|n| u32::try_from(n).ok());
    n.filter(|n| range.contains(n))
        .ok_or_else(|| Why::WholeNumber {
            min: *range.start(),
            max: *range.end(),
            // A number is quoted back; anything else only by its type (it may be a secret).
            got: match value {
                Value::Integer(_) | Value::Float(_) => value.to_string(),
                other => other.type_str().to_owned(),
            },
        })
}
