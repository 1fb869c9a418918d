//! minyi (民意): the closed loop of deputies' suggestions, run from Telegram chats and from
//! WeCom (企业微信 / 政务微信).
//!
//! How the crate is laid out, and how data flows through it. Edges (the bot, the delivery
//! worker, the scheduler, the command line) depend on the modules below them, never on each
//! other: what two edges need lives below both.
//!
//! Below every edge:
//! - [`domain`]: the pure rules. Numbers, roles and the permission table, the state machine of
//!   a suggestion, deadlines and colours, who hears what, and what a notice asks of its reader
//!   ([`domain::Ask`]). No I/O; every entry point asks it.
//! - [`config`]: the TOML file (`MINYI_CONFIG`, else `./minyi.toml`) and the environment,
//!   validated once at start (every problem reported at once, each naming its key) into
//!   [`domain::Rules`], job schedules, delivery limits, categories and webhook mirrors.
//!   `minyi.example.toml` shows every key with its default.
//! - [`roster`]: roster CSV files parsed and checked against what is stored, without SQL.
//! - [`storage`]: a [`storage::Repository`] trait with native SQLite and PostgreSQL
//!   implementations. One transaction per transition writes the new state, its event and its
//!   outbox rows together; rows are read by column name.
//! - [`i18n`]: the fluent loader over `locales/{zh-CN,en-US}`; renders outbox rows and replies
//!   with every argument HTML-escaped.
//! - [`front`]: the channel-neutral front end: the command parser, dialogues and handlers,
//!   each input one repository call, its answers as texts with buttons ([`front::press`]:
//!   what a button says, the same on every channel).
//! - [`telegram`]: what the bot and the delivery share of Telegram: HTML split at its limit,
//!   the front's buttons as an inline keyboard, the client, deep links, and the pacer that
//!   keeps Telegram's limits ([`telegram::pacer`], lowering its pace after a 429).
//! - [`wecom`]: what the WeCom app's front end and the delivery share: the callback's crypto
//!   and XML, the API client, the per-member pacer, answers and pushes as texts and cards.
//! - [`metrics`]: the Prometheus counters and gauges of one service.
//! - [`reports`], [`charts`]: the daily and monthly reports and the ledger (台账) as text,
//!   .xlsx and CSV, the year's deputies' performance files (履职档案) and key suggestions'
//!   report; PNG charts and the residents' QR posters with an embedded CJK font.
//!
//! The edges:
//! - [`bot`]: the Telegram adapter of the front: updates routed to the front's commands,
//!   buttons and dialogues; answers to the person who wrote.
//! - [`wecom_app`]: the WeCom adapter of the front: the app's callback (signature checked,
//!   decrypted, handled, answered empty), answers sent to the member afterwards.
//! - [`notify`]: delivery of the outbox. The [`notify::worker`] claims due rows with a lease
//!   (a chat's rows one at a time, in order), keeps Telegram's limits with the shared pacer,
//!   retries with backoff, and turns what can never be
//!   delivered into dead letters; [`notify::mirror`] pushes to WeCom, DingTalk or Feishu
//!   group robots.
//! - [`jobs`]: the scheduler: cron schedules in the configured time zone, each run claimed by
//!   (job, fire time) together with the pushes it queues.
//! - [`http`]: `/healthz`, `/readyz` and `/metrics` for the operator's monitoring.
//! - [`web`]: the board (看板) and the public wall (回音壁): sign-in by a one-time link, a Mini
//!   App's launch data or Telegram Login, sessions and form tokens, and server-rendered pages
//!   whose forms make the same repository calls as the chat commands.
//! - [`cli`]: the `minyi` commands; `main.rs` only calls [`cli::main`].
//!
//! Wiring and fakes:
//! - [`service`]: the bot, the worker, the scheduler and the HTTP server of one process (with
//!   the bot's webhook route in webhook mode), as `minyi run`, the demo and the tests start
//!   them.
//! - [`sandbox`]: a fake Telegram Bot API (and [`sandbox::wecom`], a fake WeCom API that
//!   also plays the members) over real HTTP on a loopback port, for tests,
//!   benchmarks and `minyi demo`: a real `teloxide::Bot` runs against it, it records every
//!   call, refuses what Telegram refuses, and can enforce flood limits and inject faults.
//!
//! The flow: an entry point parses input into a domain action → the repository loads the
//! suggestion and the actor inside a write transaction → [`domain::decide`] returns a refusal
//! or a decision → the repository writes state, event and outbox rows (each with what it asks
//! of its reader) and commits → the worker delivers each outbox row: to Telegram, with the
//! ask as buttons; to a WeCom member, with the ask as a card; or to a mirrored robot
//! ([`notify::mirror`]). A person hears their pushes on each channel the roster gives them,
//! or on the one they chose with `/channel` ([`domain::reach`]).

pub mod bot;
pub mod charts;
pub mod cli;
pub mod clock;
pub mod compare;
pub mod config;
pub mod domain;
pub mod front;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod metrics;
pub mod notify;
pub mod reports;
pub mod roster;
pub mod sandbox;
pub mod service;
pub mod storage;
pub mod telegram;
pub mod web;
pub mod wecom;
pub mod wecom_app;
