//! The operator's errors that stop a command (no token, a database that cannot be opened, …):
//! each a locale key, so `main` says it in the configured language, with the underlying
//! cause (a driver's own words) after it.

use std::fmt;

use crate::i18n::{self, Lang};

#[derive(Debug)]
pub struct OperatorError {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// What failed underneath, in its own words.
    pub cause: Option<String>,
}

impl OperatorError {
    pub fn new(key: &'static str, args: Vec<(&'static str, String)>) -> OperatorError {
        OperatorError {
            key,
            args,
            cause: None,
        }
    }

    /// `key`, caused by `cause`.
    pub fn because(key: &'static str, cause: impl fmt::Display) -> OperatorError {
        OperatorError {
            key,
            args: Vec::new(),
            cause: Some(format!("{cause:#}")),
        }
    }

    pub fn render(&self, lang: Lang) -> String {
        let text = i18n::plain(lang, self.key, &self.args);
        match &self.cause {
            Some(cause) => format!("{text}: {cause}"),
            None => text,
        }
    }
}

/// In English, for logs.
impl fmt::Display for OperatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::EnUs))
    }
}

impl std::error::Error for OperatorError {}
