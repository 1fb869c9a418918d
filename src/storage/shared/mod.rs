//! The SQL both backends share, written once. `shared_queries!` expands these functions for
//! one backend's connection type; the SQL text is the same on both (`$n` parameters, which
//! sqlx's SQLite driver accepts too), except the row lock PostgreSQL takes on the suggestion
//! being changed (`$lock`: " FOR UPDATE OF s" there, taken only inside a transaction that will
//! change the row; SQLite's write transaction already holds the database's one write lock),
//! and the statement that numbers and records a filing (`$filing`, each backend's `FILING`:
//! one round trip, in a form each dialect has).
//!
//! Why a macro, not generics or `sqlx::Any`:
//! - `sqlx::Any` erases the backend: it maps types to a common subset (no `RETURNING` into
//!   typed rows on every driver, integers and booleans decoded by its own rules) and gives up
//!   SQLite's `BEGIN IMMEDIATE` and PostgreSQL's advisory locks, which the repository needs.
//! - Generic functions over `sqlx::Database` need a `where` clause per query naming that
//!   every bound and read type is `Encode`/`Decode`/`Type` for the backend, and that
//!   `&mut Conn` is an `Executor`: longer than the queries themselves, and every new column
//!   type means editing bounds in many places.
//! - A macro expands the same source once per concrete connection type, where those facts
//!   are simply true; the compiler checks each expansion as ordinary code.
//!
//! To add a query: write an `async fn …_in(c: &mut Conn, …)` in the file of its area here,
//! with `$n` parameters, reading each column by name (`row.try_get("name")`, alias computed
//! columns with `AS`), and turning a stored word into its enum with a `StoreError::Corrupt`
//! when it does not parse; then add the trait method in `storage/mod.rs` and its body, which
//! opens a connection or transaction and calls the function, in `repository.rs`.

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
mod web;
mod year;

pub(crate) use repository::repository_impl;

/// Expands every shared query for one backend's connection type, with the imports they use.
macro_rules! shared_queries {
    ($Conn:ty, $lock:literal, $skip_locked:literal, $filing:expr) => {
        use chrono::{DateTime, Datelike, Utc};
        use sqlx::Row as _;

        use crate::domain::{
            Action, ActionKind, Actor, Ask, Audience, Event, Grant, GroupId, MergeTarget, Notice,
            OrgId, PersonId, Refusal, RequestId, ResidentNo, Role, Scope, State, Suggestion,
            SuggestionId, SuggestionNo, UnitId, allowed, permit,
        };
        use crate::i18n::Lang;
        use crate::storage::{
            Account, ActError, Applied, BindTarget, Channel, DialogueRow, EventRecord, Listed,
            LoopPolicy, NewRequest, OutboxRow, OutboxState, Page, PersonCard, Request,
            RequestApplied, RequestListed, RequestState, RequestTarget, StoreError, SuggestionView,
            Talk, Who, from_ms, to_ms,
        };

        type Conn = $Conn;
        /// A row of this backend.
        type Row = <<Conn as sqlx::Connection>::Database as sqlx::Database>::Row;

        $crate::storage::shared::records!($lock);
        $crate::storage::shared::notices!();
        $crate::storage::shared::transitions!($filing);
        $crate::storage::shared::roster!();
        $crate::storage::shared::outbox!($skip_locked);
        $crate::storage::shared::front!();
        $crate::storage::shared::requests!();
        $crate::storage::shared::jobs!();
        $crate::storage::shared::reports!();
        $crate::storage::shared::web!();
        $crate::storage::shared::year!();
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
pub(crate) use web::web;
pub(crate) use year::year;
