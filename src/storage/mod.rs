//! Storage: a [`Repository`] trait with native SQLite ([`sqlite`]) and PostgreSQL
//! ([`postgres`]) implementations, chosen by the database URL.
//!
//! Both implementations run the same SQL text where the dialects agree (it lives once, in
//! [`shared`], expanded for each backend's own connection type) and their own code where they
//! differ: how a write transaction takes its lock, how the roster is written in bulk.
//! One transaction per transition writes the new state, its event and its outbox rows, or
//! nothing; filings that wait for one another share a transaction, each still all or
//! nothing ([`group_commit`]). Times are stored as integer milliseconds (UTC).

pub mod copy;
mod error;
mod front;
mod group_commit;
mod invite;
mod jobs;
pub mod postgres;
mod reports;
pub mod roster;
mod shared;
pub mod sqlite;
mod types;
mod web;
mod year;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt as _;
use futures_util::stream::BoxStream;

use crate::domain::{Draft, ResidentNo, Suggestion, SuggestionNo};

pub use error::{ActError, InviteError, StoreError};
pub use front::{
    Account, Channels, DialogueRow, Listed, NewRequest, Page, PersonCard, RequestApplied,
    RequestListed, RequestState, RequestTarget, SuggestionView, Talk,
};
pub use invite::InviteToken;
pub use web::{
    BoardFilter, BoardRow, LINK_VALID, NewSession, SignInError, WallEntry, WebSecret, WebSession,
};

/// What `Repository::backup` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backup {
    Written,
    /// The database is PostgreSQL: `pg_dump` makes its backups.
    UsePgDump,
}

/// Why the database is not ready for minyi.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotReady {
    #[error("the database does not answer: {0}")]
    NoAnswer(String),
    #[error("the schema was never migrated (run `minyi migrate`)")]
    NeverMigrated,
    #[error("migrations not applied: {} (run `minyi migrate`)", .0.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))]
    Behind(Vec<i64>),
}

impl NotReady {
    /// The locale key of the reason, for an operator's own language.
    pub fn key(&self) -> &'static str {
        match self {
            NotReady::NoAnswer(_) => "not-ready-no-answer",
            NotReady::NeverMigrated => "not-ready-never-migrated",
            NotReady::Behind(_) => "not-ready-behind",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            NotReady::NoAnswer(why) => vec![("reason", why.clone())],
            NotReady::NeverMigrated => Vec::new(),
            NotReady::Behind(versions) => {
                let list: Vec<String> = versions.iter().map(i64::to_string).collect();
                vec![("versions", list.join(", "))]
            }
        }
    }
}

/// What the roster still lacks for the loop to reach everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterGaps {
    /// Codes of deputy groups with no bound chat (group notices reach nobody's chat).
    pub unbound_groups: Vec<String>,
    /// Codes of people with no linked Telegram account (their invite is not redeemed).
    pub unlinked_people: Vec<String>,
}
pub use jobs::{
    DeputyCount, DeputyDay, FILE_DOCUMENT, FILE_PHOTO, GroupChat, GroupItem, GroupOpen, JobPush,
    OrgChatGroup,
};
pub use reports::{GroupStats, KeyFigures, LedgerRow, MonthlyStats, OrgGroups, Totals};
pub use roster::{ImportFailure, ImportReport};
pub use year::{
    Attendance, DeputyRecord, KeyRow, Noted, ReceptionRow, VoteRow, VoterReport, VoterReportRow,
};

use crate::metrics::OutboxGauges;
use crate::roster::RosterBatch;
pub use types::{
    Applied, BindTarget, Channel, DeadLetter, EventRecord, GROUP_ARG, LoopPolicy, MirrorKind,
    MirrorRoute, OutboxRow, OutboxState, Request, Who,
};

/// Everything minyi keeps. Each method that changes the loop is one transaction.
#[async_trait]
pub trait Repository: Send + Sync {
    /// Creates or upgrades the schema.
    async fn migrate(&self) -> Result<(), StoreError>;

    // ---- Operations ----

    /// Whether the database answers and its schema has every migration this version knows;
    /// `Err` with the reason otherwise (for `/readyz` and `minyi check`).
    async fn readiness(&self) -> Result<(), NotReady>;

    /// The outbox as an operator watches it: rows by state and channel, the oldest due row's
    /// wait at `now`, the dead letters.
    async fn outbox_gauges(&self, now: DateTime<Utc>) -> Result<OutboxGauges, StoreError>;

    /// What is not set up yet for the loop to reach everyone (`minyi check`); with `wecom` (the
    /// WeCom app configured) a WeCom userid reaches its person.
    async fn roster_gaps(&self, wecom: bool) -> Result<RosterGaps, StoreError>;

    /// Removes sent outbox rows (and their files) sent before `before`; a row that was once a
    /// dead letter stays with its dead letter. Answers how many were removed.
    async fn purge_sent(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Writes a consistent copy of the whole database to `file` while others keep working
    /// (SQLite's `VACUUM INTO`). PostgreSQL has its own tools: [`Backup::UsePgDump`].
    async fn backup(&self, file: &std::path::Path) -> Result<Backup, StoreError>;

    /// Connections of the pool: (in use, idle).
    fn pool_state(&self) -> (u32, u32);

    /// Whether only one process may run on this database (SQLite): a second `minyi run` is
    /// refused rather than left waiting for the lock.
    fn single_process(&self) -> bool;

    /// 提交: files a new suggestion, allocating its number in the same transaction. With an
    /// `update` id already handled, changes nothing and answers [`Applied::Duplicate`].
    async fn file(
        &self,
        policy: &LoopPolicy,
        who: Who,
        draft: Draft,
        now: DateTime<Utc>,
        update: Option<i64>,
    ) -> Result<Applied, ActError>;

    /// Any other transition of a suggestion.
    async fn act(
        &self,
        policy: &LoopPolicy,
        who: Who,
        no: SuggestionNo,
        request: Request,
        now: DateTime<Utc>,
        update: Option<i64>,
    ) -> Result<Applied, ActError>;

    /// A suggestion as the rules see it, if `who` may see it.
    async fn suggestion_for(&self, who: Who, no: SuggestionNo) -> Result<Suggestion, ActError>;

    /// A suggestion regardless of who asks (operators, jobs, tests).
    async fn suggestion(&self, no: SuggestionNo) -> Result<Option<Suggestion>, StoreError>;

    /// The suggestion's timeline, oldest first, if `who` may see it.
    async fn timeline(&self, who: Who, no: SuggestionNo) -> Result<Vec<EventRecord>, ActError>;

    /// Outbox rows with an id above `after`, oldest first.
    async fn outbox_after(&self, after: i64, limit: i64) -> Result<Vec<OutboxRow>, StoreError>;

    /// Whether a group, org or unit has this code.
    async fn scope_exists(&self, code: &str) -> Result<bool, StoreError>;

    /// Claims up to `limit` due outbox rows for `worker` (a number unique to the running
    /// worker) until `lease_until` (the oldest undelivered row of each chat only; see the
    /// delivery worker). The `outbox_*` results below count only while that worker still
    /// holds the row.
    async fn claim_outbox(
        &self,
        worker: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboxRow>, StoreError>;

    /// Part `parts_sent` of a split message reached its chat.
    async fn outbox_part_sent(
        &self,
        worker: i64,
        id: i64,
        parts_sent: i64,
    ) -> Result<(), StoreError>;

    /// The row reached its chat (with the last message id Telegram gave).
    async fn outbox_sent(
        &self,
        worker: i64,
        id: i64,
        message_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Try the row again at `due_at`; `counts`: whether this failure uses up an attempt.
    async fn outbox_retry(
        &self,
        worker: i64,
        id: i64,
        error: &str,
        due_at: DateTime<Utc>,
        counts: bool,
    ) -> Result<(), StoreError>;

    /// Rows claimed but not finished by a worker that is stopping.
    async fn outbox_release(&self, worker: i64, ids: &[i64]) -> Result<(), StoreError>;

    /// The row cannot be delivered: a dead letter, and the admins told.
    async fn outbox_dead(
        &self,
        worker: i64,
        id: i64,
        reason: &str,
        now: DateTime<Utc>,
        default_lang: crate::i18n::Lang,
    ) -> Result<(), StoreError>;

    /// How many outbox rows are in each state.
    async fn outbox_status(&self) -> Result<Vec<(String, i64)>, StoreError>;

    /// The newest dead letters.
    async fn dead_letters(&self, limit: i64) -> Result<Vec<DeadLetter>, StoreError>;

    /// Sends a dead row (or all of them, with `None`) again; answers how many.
    async fn retry_dead(&self, id: Option<i64>, now: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Imports one roster file: everything or, with any bad line, nothing. `progress` hears
    /// how many lines are written so far.
    async fn import_roster(
        &self,
        batch: &RosterBatch,
        progress: Option<&(dyn Fn(u64) + Send + Sync)>,
    ) -> Result<ImportReport, ImportFailure>;

    /// Stores a one-time invite for a roster person (replacing any unused one), if `who` may
    /// invite them; answers the person's name. The Telegram update that asked is recorded
    /// with it: the same update again is [`InviteError::Repeated`] and changes nothing.
    async fn create_invite(
        &self,
        who: Who,
        person_code: &str,
        token_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        update: Option<i64>,
    ) -> Result<String, InviteError>;

    /// Binds a Telegram account to the invite's person; an invite works once, for one
    /// account (which may open it again and is answered as the first time).
    async fn redeem_invite(
        &self,
        token_hash: &str,
        telegram_id: i64,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::PersonId, InviteError>;

    /// Binds a Telegram group chat to a group, org or unit (by code), if `who` may.
    async fn bind_chat(
        &self,
        who: Who,
        chat_id: i64,
        target: BindTarget,
        now: DateTime<Utc>,
    ) -> Result<(), ActError>;

    // ---- The Telegram front end ----

    /// Who a Telegram account is: a roster person bound through an invite, or a resident
    /// (never an error for an unknown account).
    async fn account(&self, telegram_id: i64) -> Result<Account, StoreError>;

    // ---- The board's sign-in ----

    /// Records a one-time sign-in link for `who` (a roster person), valid until `expires_at`;
    /// answers the person.
    async fn create_web_link(
        &self,
        who: Who,
        token_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<crate::domain::PersonId, ActError>;

    /// Signs in with a link: the link is used up and the session starts, together.
    async fn sign_in_with_link(
        &self,
        token_hash: &str,
        session: &NewSession,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::PersonId, SignInError>;

    /// The session with this cookie's hash, unless it ended.
    async fn web_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<WebSession>, StoreError>;

    /// Signs out; false if there was no such session (or it had ended).
    async fn end_web_session(&self, id_hash: &str, now: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Starts a session for the roster person a Telegram account is (a Mini App's launch or
    /// Telegram Login, already checked); [`SignInError::NotOnRoster`] for anyone else.
    async fn sign_in_telegram(
        &self,
        telegram_id: i64,
        session: &NewSession,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::PersonId, SignInError>;

    /// A signed-in person as the board shows and checks them (roles, language).
    async fn web_account(
        &self,
        person: crate::domain::PersonId,
    ) -> Result<Option<Account>, StoreError>;

    /// The board: the watched steps below `who`'s orgs (the selection of
    /// [`Repository::overdue`] without its cut at yellow) and, for a unit's contact, their
    /// unit's, narrowed by `filter`, oldest deadline first.
    async fn board(&self, who: Who, filter: &BoardFilter) -> Result<Vec<BoardRow>, ActError>;

    /// One page of the public wall of the org with this code (its whole subtree): closed
    /// suggestions, last closed first, optionally with all `words` in the title or body, or
    /// only the one numbered `no`. An unknown org is [`StoreError::UnknownOrg`].
    async fn wall(
        &self,
        org: &str,
        words: &[String],
        no: Option<SuggestionNo>,
        offset: i64,
        limit: i64,
    ) -> Result<Page<WallEntry>, StoreError>;

    /// Who a WeCom member is: the roster person with this userid (compared ignoring case,
    /// as WeCom's directory does), or `None` for a member the roster does not name.
    async fn wecom_account(&self, userid: &str) -> Result<Option<Account>, StoreError>;

    /// Stores an account's own language choice (`zh-CN` or `en-US`), roster person or not.
    async fn set_lang(
        &self,
        talk: Talk,
        lang: crate::i18n::Lang,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The channels `who` can be reached on and the one they prefer; residents have none.
    async fn channels(&self, who: Who) -> Result<Channels, ActError>;

    /// Sets the channel `who` prefers for their pushes (`None`: every channel they have).
    async fn set_channel(
        &self,
        who: Who,
        preferred: Option<crate::domain::reach::PersonChannel>,
    ) -> Result<(), ActError>;

    /// The id of the deputy group with this code.
    async fn group_id(&self, code: &str) -> Result<Option<crate::domain::GroupId>, StoreError>;

    /// What a Telegram group chat is bound to, if anything.
    async fn chat_binding(&self, chat_id: i64) -> Result<Option<BindTarget>, StoreError>;

    /// The deputy's own suggestions, newest first (`/my`).
    async fn my_suggestions(
        &self,
        who: Who,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Listed>, ActError>;

    /// What waits for `who` (`/queue`), oldest deadline first: for a leader, the submitted
    /// suggestions of their groups; for a clerk, the accepted ones their org assigns (see
    /// [`Suggestion::assigning_orgs`]); for a unit contact, the assigned and explaining ones of
    /// their unit. A person with several roles sees all of these.
    async fn queue(&self, who: Who, limit: i64) -> Result<Page<Listed>, ActError>;

    /// The watched steps (review, assignment, handling, explanation) below `who`'s orgs
    /// (clerk, secretary, chair, admin) whose deadline is before `green_from` (see
    /// [`crate::domain::Rules::green_from`]: the yellow and red ones), oldest deadline first.
    async fn overdue(
        &self,
        who: Who,
        green_from: DateTime<Utc>,
        limit: i64,
    ) -> Result<Page<Listed>, ActError>;

    /// A suggestion with the names `/show` needs, if `who` may see it.
    async fn view(&self, who: Who, no: SuggestionNo) -> Result<SuggestionView, ActError>;

    /// The units a clerk may assign to (their orgs and below), as (code, name), by code.
    async fn assignable_units(&self, who: Who) -> Result<Vec<(String, String)>, ActError>;

    /// The name of the deputy or group a resident's deep link names, if it exists.
    async fn request_target_name(
        &self,
        target: &RequestTarget,
    ) -> Result<Option<String>, StoreError>;

    /// Numbers a resident's request `R-YYYY-NNNN` and tells the deputy (or the group's
    /// leaders) privately, in one transaction.
    async fn open_request(
        &self,
        policy: &LoopPolicy,
        request: NewRequest,
        now: DateTime<Utc>,
        update: Option<i64>,
    ) -> Result<RequestApplied, ActError>;

    /// Open requests to this deputy or to one of their groups, oldest first (`/inbox`).
    async fn inbox(&self, who: Who, limit: i64) -> Result<Page<RequestListed>, ActError>;

    /// Adopts an open request: files a suggestion linked to it (title from its first line)
    /// and tells the resident, in one transaction.
    async fn adopt_request(
        &self,
        policy: &LoopPolicy,
        who: Who,
        no: ResidentNo,
        category: Option<String>,
        now: DateTime<Utc>,
        update: Option<i64>,
    ) -> Result<RequestApplied, ActError>;

    /// Declines an open request with a reason the resident is told.
    async fn decline_request(
        &self,
        policy: &LoopPolicy,
        who: Who,
        no: ResidentNo,
        reason: &str,
        now: DateTime<Utc>,
        update: Option<i64>,
    ) -> Result<RequestApplied, ActError>;

    /// The resident's answer to "was it solved?" on the closed suggestion adopted from their
    /// request; a "no" is told to the deputy. Once per request.
    async fn answer_solved(
        &self,
        policy: &LoopPolicy,
        telegram_id: i64,
        no: SuggestionNo,
        solved: bool,
        now: DateTime<Utc>,
        update: Option<i64>,
    ) -> Result<RequestApplied, ActError>;

    /// The dialogue an account has open in a chat.
    async fn dialogue(&self, talk: Talk) -> Result<Option<DialogueRow>, StoreError>;

    /// Saves (or with `None` ends) an account's dialogue in a chat. With an `update` id
    /// already handled, changes nothing and answers false: a redelivered step is not taken
    /// twice.
    async fn save_dialogue(
        &self,
        talk: Talk,
        state: Option<&str>,
        now: DateTime<Utc>,
        update: Option<i64>,
    ) -> Result<bool, StoreError>;

    /// The suggestion, if `who` may see it and may take a step of this kind on it (state
    /// aside): a button checks this before it asks for a reason.
    async fn may(
        &self,
        who: Who,
        no: SuggestionNo,
        kind: crate::domain::ActionKind,
    ) -> Result<Suggestion, ActError>;

    /// Which of `kinds` the permission table lets `who` take on this suggestion (state
    /// aside), if they may see it: [`Repository::may`] for several kinds at once.
    async fn permitted(
        &self,
        who: Who,
        no: SuggestionNo,
        kinds: &[crate::domain::ActionKind],
    ) -> Result<Vec<crate::domain::ActionKind>, ActError>;

    /// Whether `who` may adopt or decline this request now: addressed to them or their
    /// groups, and still open.
    async fn request_open_for(&self, who: Who, no: ResidentNo) -> Result<(), ActError>;

    /// The long-polling lock: one replica polls Telegram at a time. PostgreSQL holds a
    /// session advisory lock on a connection of its own until the guard drops; SQLite (one
    /// process) always has it. `None`: another replica holds it now.
    async fn poll_lock(&self) -> Result<Option<PollGuard>, StoreError>;

    // ---- The scheduler ----

    /// Records the scheduler's first start (an earlier one stays) and answers it: runs from
    /// before it are never caught up.
    async fn scheduler_since(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>, StoreError>;

    /// The latest fire time of each job that ran, by job name.
    async fn last_runs(&self) -> Result<Vec<(String, DateTime<Utc>)>, StoreError>;

    /// Claims the run (job, fire time) and queues its pushes in one transaction, so a run is
    /// sent once whoever starts it (the scheduler after a restart, a second replica, an
    /// operator); `None` if that run exists already.
    async fn record_run(
        &self,
        policy: &LoopPolicy,
        job: &str,
        fire: DateTime<Utc>,
        now: DateTime<Utc>,
        pushes: &[JobPush],
    ) -> Result<Option<usize>, StoreError>;

    /// Open steps whose deadline is before `before`, soonest first.
    async fn open_deadlines(&self, before: DateTime<Utc>) -> Result<Vec<Suggestion>, StoreError>;

    /// Every deputy with how many suggestions they filed in `[from, to)`.
    async fn deputy_counts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<DeputyCount>, StoreError>;

    /// The group chats bound to deputy groups.
    async fn group_chats(&self) -> Result<Vec<GroupChat>, StoreError>;

    /// Every deputy of every group with their filings in that group in `[day_from, day_to)`
    /// and in `[month_from, day_to)`.
    async fn deputy_days(
        &self,
        month_from: DateTime<Utc>,
        day_from: DateTime<Utc>,
        day_to: DateTime<Utc>,
    ) -> Result<Vec<DeputyDay>, StoreError>;

    /// Each group's watched steps by colour at `now` (yellow: due before `green_from`, see
    /// [`crate::domain::Rules::green_from`]) and its replies waiting for a rating; the same
    /// selection as [`Repository::overdue`].
    async fn group_open(
        &self,
        now: DateTime<Utc>,
        green_from: DateTime<Utc>,
    ) -> Result<Vec<GroupOpen>, StoreError>;

    /// The red steps at `now` (the selection of [`Repository::overdue`] past the deadline),
    /// the oldest `per_group` of each group, by group code and deadline.
    async fn red_steps(
        &self,
        now: DateTime<Utc>,
        per_group: i64,
    ) -> Result<Vec<GroupItem>, StoreError>;

    /// Group chats bound to orgs, with the groups below each org.
    async fn org_chat_groups(&self) -> Result<Vec<OrgChatGroup>, StoreError>;

    /// Chats bound to orgs, with the org's code.
    async fn org_chats(&self) -> Result<Vec<(i64, String)>, StoreError>;

    /// The file an outbox row sends (name, bytes), if it is a file row.
    async fn outbox_file(&self, id: i64) -> Result<Option<(String, Vec<u8>)>, StoreError>;
    // ---- Reports ----

    // ---- The year's view (PRODUCT.md §10) ----

    /// 接待日: records that a deputy (`who` themselves, or the deputy with `code`, by a clerk
    /// above them) attended their station on a reception day, once a day; `today` is the
    /// local date now. The same update again is [`Noted::Duplicate`].
    #[allow(clippy::too_many_arguments)]
    async fn record_reception(
        &self,
        who: Who,
        code: Option<&str>,
        reception: &crate::domain::Reception,
        today: chrono::NaiveDate,
        reception_days: &[u32],
        now: DateTime<Utc>,
        update: Option<i64>,
    ) -> Result<Noted, ActError>;

    /// 述职: records a deputy's report to their voters, by a clerk above them.
    async fn record_voter_report(
        &self,
        who: Who,
        code: &str,
        report: &VoterReport,
        today: chrono::NaiveDate,
        now: DateTime<Utc>,
        update: Option<i64>,
    ) -> Result<Noted, ActError>;

    /// 履职档案: the performance file of `who` (or of the deputy with `code`, for a clerk or
    /// chair above them) for `period` (`[from, to)`; `days`, the same as local dates).
    async fn deputy_record(
        &self,
        who: Who,
        code: Option<&str>,
        period: (DateTime<Utc>, DateTime<Utc>),
        days: (chrono::NaiveDate, chrono::NaiveDate),
    ) -> Result<DeputyRecord, ActError>;

    /// Every deputy's file below the org (the whole deployment with `None`), by code, for
    /// operators (`minyi report deputies`).
    async fn deputy_records(
        &self,
        org: Option<&str>,
        period: (DateTime<Utc>, DateTime<Utc>),
        days: (chrono::NaiveDate, chrono::NaiveDate),
    ) -> Result<Vec<DeputyRecord>, StoreError>;

    /// The key suggestions of a year below the org: filed in `[from, to)`, or carried over
    /// (filed earlier and not ended before `from`), by number, with their votes.
    async fn key_report(
        &self,
        org: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<KeyRow>, StoreError>;

    /// Every deputy of every group, and whether they recorded attendance on `day`.
    async fn attendance(&self, day: chrono::NaiveDate) -> Result<Vec<Attendance>, StoreError>;

    /// The ledger (台账): the suggestions filed in `[from, to)` in the groups below the org
    /// with this code (its whole subtree; every group with `None`), by number, as the
    /// database yields them: one query, one row held at a time, so an export of any size
    /// runs in the same memory. An unknown org code is [`StoreError::UnknownOrg`], the first
    /// item.
    fn ledger_rows<'a>(
        &'a self,
        org: Option<&'a str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> BoxStream<'a, Result<LedgerRow, StoreError>>;

    /// [`Repository::ledger_rows`] collected, for a ledger small enough to hold.
    async fn ledger(
        &self,
        org: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<LedgerRow>, StoreError> {
        self.ledger_rows(org, from, to).try_collect().await
    }

    /// The org with this code and the groups below it (every group with `None`). An unknown
    /// org code is [`StoreError::UnknownOrg`].
    async fn org_groups(&self, org: Option<&str>) -> Result<OrgGroups, StoreError>;

    /// The figures of the suggestions filed in `[from, to)` below the org (every org with
    /// `None`), aggregated in the database: totals (see [`Totals`] for each definition;
    /// `overdue` at `now`), received per category, and each group's row for the ranking. An
    /// unknown org code is [`StoreError::UnknownOrg`].
    async fn monthly_stats(
        &self,
        org: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<MonthlyStats, StoreError>;
}

/// Held while this process polls Telegram; dropping it lets another replica take over.
pub struct PollGuard(pub Box<dyn PollHold>);

impl PollGuard {
    /// Whether the lock is still held (a PostgreSQL session can drop under it, and with it the
    /// lock, while another replica is waiting to take over).
    pub async fn alive(&self) -> bool {
        self.0.alive().await
    }
}

/// What holds the poll lock: the backend's session, or nothing for a single-process backend.
#[async_trait]
pub trait PollHold: Send + Sync {
    async fn alive(&self) -> bool;
}

#[async_trait]
impl PollHold for () {
    async fn alive(&self) -> bool {
        true
    }
}

/// SQLite's lock file: the OS keeps it locked while the process lives.
#[async_trait]
impl PollHold for Arc<std::fs::File> {
    async fn alive(&self) -> bool {
        true
    }
}

/// Opens the database a URL names: `sqlite://…` (created if missing) or `postgres://…`.
pub async fn connect(url: &str) -> Result<Arc<dyn Repository>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgRepo::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteRepo::connect(url).await?))
    } else {
        let scheme = url.split(':').next().unwrap_or_default();
        Err(StoreError::BadUrl(scheme.to_string()))
    }
}

pub(crate) fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
