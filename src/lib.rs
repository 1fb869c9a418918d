//! minyi (民意): the closed loop of deputies' suggestions, run from Telegram chats.
//!
//! How the crate is laid out, and how data flows through it:
//!
//! - [`domain`]: the pure rules. Numbers, roles and the permission table, the state machine of
//!   a suggestion, deadlines and colours. No I/O; every entry point asks it.
//! - [`config`]: the TOML file (`MINYI_CONFIG`, else `./minyi.toml`) and the environment,
//!   validated once at start (every problem reported at once, each naming its key) into
//!   [`domain::Rules`], job schedules, delivery limits, categories and webhook mirrors.
//!   `minyi.example.toml` shows every key with its default.
//! - [`storage`]: a [`storage::Repository`] trait with native SQLite and PostgreSQL
//!   implementations. One transaction per transition writes the new state, its event and its
//!   outbox rows together. Roster import lives in [`storage::roster`] (CSV parsing) and the
//!   repositories (the one-transaction write).
//! - [`i18n`]: the fluent loader over `locales/{zh-CN,en-US}`; renders outbox rows and replies
//!   with every argument HTML-escaped.
//! - [`jobs`]: the scheduler: cron schedules in the configured time zone, each run claimed by
//!   (job, fire time) together with the pushes it queues; deadline, quota and reception-day
//!   reminders.
//! - [`notify`]: delivery of the outbox. The [`notify::worker`] claims due rows with a lease
//!   (a chat's rows one at a time, in order), keeps Telegram's limits ([`notify::limits`]),
//!   splits long texts ([`notify::split`]), retries with backoff, and turns what can never
//!   be delivered into dead letters; [`notify::mirror`] pushes to WeCom, DingTalk or Feishu
//!   group robots.
//! - [`charts`]: PNG pictures with an embedded CJK font: the monthly report's chart of
//!   completion and satisfaction rates per group, the daily report's chart of suggestions
//!   and deputies with none, and the residents' QR posters (`minyi qr`).
//! - [`sandbox`]: a fake Telegram Bot API over real HTTP on a loopback port, for tests,
//!   benchmarks and `minyi demo`: a real `teloxide::Bot` runs against it, it records every
//!   call, refuses what Telegram refuses, and can enforce flood limits and inject faults.
//! - [`reports`]: the daily and monthly reports and the ledger (台账) rendered from what the
//!   repository aggregates: text for a chat or a terminal, .xlsx workbooks and CSV.
//! - [`cli`]: the `minyi` commands; `main.rs` only calls [`cli::main`].
//!
//! The flow: an entry point parses input into a domain action → the repository loads the
//! suggestion and the actor inside a write transaction → [`domain::decide`] returns a refusal
//! or a decision → the repository writes state, event and outbox rows and commits → the
//! worker delivers each outbox row: to Telegram, or to a mirrored robot ([`notify::mirror`]).

pub mod bot;
pub mod charts;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod i18n;
pub mod jobs;
pub mod notify;
pub mod reports;
pub mod roster;
pub mod sandbox;
pub mod service;
pub mod storage;
pub mod telegram;
