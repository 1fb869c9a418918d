//! What a roster import answers: the repository writes a file checked by [`crate::roster`]
//! in one transaction, or reports every bad line and writes nothing.

use crate::roster::{LineError, RosterKind};

use super::StoreError;

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
