//! The SQL both backends share, written once. `shared_queries!` expands these functions for
//! one backend's connection type; the SQL text is the same on both (`$n` parameters, which
//! sqlx's SQLite driver accepts too), except the row lock PostgreSQL takes on the suggestion
//! being changed (`$lock`: " FOR UPDATE OF s" there, taken only inside a transaction that will
//! change the row; SQLite's write transaction already holds the database's one write lock).

mod front;
mod jobs;
mod notices;
mod outbox;
mod records;
mod reports;
mod repository;
mod requests;
mod roster;
mod transitions;

pub(crate) use repository::repository_impl;

/// Expands every shared query for one backend's connection type, with the imports they use.
macro_rules! shared_queries {
    ($Conn:ty, $lock:literal, $skip_locked:literal) => {
        use chrono::{DateTime, Datelike, Utc};
        use sqlx::Row;

        use crate::domain::{
            Action, ActionKind, Actor, Audience, Event, Grant, GroupId, MergeTarget, Notice, OrgId,
            PersonId, Refusal, RequestId, ResidentNo, Role, Scope, State, Suggestion, SuggestionId,
            SuggestionNo, UnitId, allowed, permit,
        };
        use crate::storage::{
            Account, ActError, Applied, BindTarget, DialogueRow, EventRecord, Listed, LoopPolicy,
            NewRequest, OutboxRow, Page, PersonCard, Request, RequestApplied, RequestListed,
            RequestState, RequestTarget, StoreError, SuggestionView, Who, from_ms, to_ms,
        };

        type Conn = $Conn;

        $crate::storage::shared::records!($lock);
        $crate::storage::shared::notices!();
        $crate::storage::shared::transitions!();
        $crate::storage::shared::roster!();
        $crate::storage::shared::outbox!($skip_locked);
        $crate::storage::shared::front!();
        $crate::storage::shared::requests!();
        $crate::storage::shared::jobs!();
        $crate::storage::shared::reports!();
    };
}

pub(crate) use front::front;
pub(crate) use jobs::jobs;
pub(crate) use notices::notices;
pub(crate) use outbox::outbox;
pub(crate) use records::records;
pub(crate) use reports::reports;
pub(crate) use requests::requests;
pub(crate) use roster::roster;
pub(crate) use shared_queries;
pub(crate) use transitions::transitions;
