//! The `/suggest` workload that `ingest` and `peer` share, so both measure any bot the same
//! way: 200 deputies send `/suggest <title>\n<body>` in their private chats through the
//! Telegram sandbox; a command counts as done when the sandbox has accepted its answer.
//!
//! - throughput: [`BURST`] updates pushed at once, commands per second until every answer is in;
//! - latency: [`PACED`] updates offered at a steady rate, the rate achieved, p50 and p99.
//!
//! The commands ([`text`]), their deputies' chats ([`chat`]) and the roster ([`seed`]) are
//! public too, so a bench can file the same suggestions without the bot.
//!
//! Included with `#[path]` by the benches that use it (not from `common/mod.rs`, which every
//! bench compiles).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use minyi::bot::{Telegram, listener};
use minyi::clock::SystemClock;
use minyi::config::Config;
use minyi::metrics::Metrics;
use minyi::roster::{self, RosterKind};
use minyi::sandbox::{Sandbox, SandboxOptions};
use minyi::storage::Repository;
use teloxide::prelude::Requester;
use tokio_util::sync::CancellationToken;

use crate::common;

pub const DEPUTIES: i64 = 200;
/// Updates pushed at once for the throughput figure.
pub const BURST: usize = 2000;
/// Updates offered at a steady rate for the latency figures.
pub const PACED: usize = 1500;
/// The rate `ingest` offers; `peer` adds others.
pub const RATE: f64 = 300.0;
/// The first deputy's Telegram id (and private chat).
pub const FIRST_ID: i64 = 500_000;

/// One bot's figures: the burst, then one entry per offered rate.
pub struct Figures {
    pub per_second: f64,
    pub paced: Vec<Paced>,
}

/// The figures of updates offered at `rate` a second.
pub struct Paced {
    pub rate: f64,
    pub achieved: f64,
    pub p50: Duration,
    pub p99: Duration,
}

impl Figures {
    pub fn print(&self, name: &str) {
        let paced: Vec<String> = self
            .paced
            .iter()
            .map(|p| {
                format!(
                    "offered {:.0}/s: achieved {:5.0}/s, p50 {:6.1} ms, p99 {:6.1} ms",
                    p.rate,
                    p.achieved,
                    ms(p.p50),
                    ms(p.p99)
                )
            })
            .collect();
        println!(
            "{name:15} burst {BURST}: {:7.0} commands/s | {}",
            self.per_second,
            paced.join(" | ")
        );
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `i`th command: `/suggest <title>\n<body>`.
pub fn text(i: usize) -> String {
    format!(
        "/suggest 第 {i} 号建议：修复人行道\n新华路 {i} 号门前人行道砖块松动、雨后积水，老人和孩子出行不便，建议尽快修复并加装排水。"
    )
}

/// The private chat of the deputy who sends the `i`th command: the deputies take turns.
pub fn chat(i: usize) -> i64 {
    FIRST_ID + (i as i64 % DEPUTIES)
}

/// The roster: one district, one town, one group with a leader and the deputies, linked.
pub async fn seed(repo: &dyn Repository) {
    seed_linked(repo, |_| None).await;
}

/// The same roster, the `d`th deputy also a WeCom member as `wecom(d)`, if any.
pub async fn seed_linked(repo: &dyn Repository, wecom: impl Fn(i64) -> Option<String>) {
    let mut people = String::from(
        "code,name,roles,scope,telegram_id,lang,wecom_userid\nL1,组长,leader,G01,999,,\n",
    );
    for d in 0..DEPUTIES {
        let (id, userid) = (FIRST_ID + d, wecom(d).unwrap_or_default());
        people.push_str(&format!("P{d},代表{d},deputy,G01,{id},,{userid}\n"));
    }
    let files = [
        (
            RosterKind::Orgs,
            "code,name,parent\nD1,区,\nT1,街道,D1\n".to_string(),
        ),
        (
            RosterKind::Groups,
            "code,name,org\nG01,联络站,T1\n".to_string(),
        ),
        (
            RosterKind::Units,
            "code,name,org\nU1,城管科,T1\n".to_string(),
        ),
        (RosterKind::People, people),
    ];
    for (kind, csv) in files {
        repo.import_roster(&roster::parse(kind, csv.as_bytes()), None)
            .await
            .expect("roster imports");
    }
}

/// Pushes `count` commands, all at once or at `rate` a second; answers each one's push
/// instant, with its chat, in order.
async fn push(
    sandbox: &Sandbox,
    from: usize,
    count: usize,
    rate: Option<f64>,
) -> Vec<(i64, Instant)> {
    let mut pushed = Vec::with_capacity(count);
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate.unwrap_or(1.0)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    for i in from..from + count {
        if rate.is_some() {
            tick.tick().await;
        }
        let chat = chat(i);
        pushed.push((chat, Instant::now()));
        sandbox.private_message(chat, &text(i));
    }
    pushed
}

/// Waits until the sandbox accepted `total` answers (or a minute passed).
async fn wait_for(sandbox: &Sandbox, total: usize) -> Instant {
    let start = Instant::now();
    while sandbox.delivered_count() < total && start.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let delivered = sandbox.delivered();
    if delivered.len() < total {
        println!("  (only {} of {total} answers arrived)", delivered.len());
    }
    delivered
        .iter()
        .map(|d| d.at)
        .max()
        .unwrap_or_else(Instant::now)
}

/// `count` commands, the first numbered `from`, pushed at once to a bot polling `sandbox` that
/// has answered the `from` before them; answers commands a second until every answer is in.
pub async fn burst(sandbox: &Sandbox, from: usize, count: usize) -> f64 {
    let pushed = push(sandbox, from, count, None).await;
    let last = wait_for(sandbox, from + count).await;
    count as f64 / (last - pushed[0].1).as_secs_f64()
}

/// The burst, then [`PACED`] updates at each of `rates`, against a bot already polling
/// `sandbox`.
pub async fn measure(sandbox: &Sandbox, rates: &[f64]) -> Figures {
    let per_second = burst(sandbox, 0, BURST).await;
    let mut paced = Vec::with_capacity(rates.len());
    for (n, &rate) in rates.iter().enumerate() {
        paced.push(measure_paced(sandbox, BURST + n * PACED, rate).await);
    }
    Figures { per_second, paced }
}

/// [`PACED`] updates offered at `rate`, the first numbered `from`.
async fn measure_paced(sandbox: &Sandbox, from: usize, rate: f64) -> Paced {
    let before = sandbox.delivered().len();
    let pushed = push(sandbox, from, PACED, Some(rate)).await;
    let last = wait_for(sandbox, before + PACED).await;
    let achieved = PACED as f64 / (last - pushed[0].1).as_secs_f64();
    // Each command has exactly one answer in its chat, in order: match them up per chat.
    let mut answers: HashMap<i64, Vec<Instant>> = HashMap::new();
    for d in &sandbox.delivered()[before..] {
        answers.entry(d.chat_id).or_default().push(d.at);
    }
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let mut latencies: Vec<Duration> = pushed
        .iter()
        .filter_map(|(chat, at)| {
            let n = seen.entry(*chat).or_default();
            let answer = answers.get(chat)?.get(*n)?;
            *n += 1;
            Some(answer.saturating_duration_since(*at))
        })
        .collect();
    latencies.sort();
    let pick = |q: f64| {
        let i = ((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1);
        latencies.get(i).copied().unwrap_or_default()
    };
    Paced {
        rate,
        achieved,
        p50: pick(0.50),
        p99: pick(0.99),
    }
}

/// What runs after the figures while minyi's bot still polls: given the sandbox and how many
/// commands were sent, it may send more (numbered on from there); it answers how many it sent
/// and what it found.
pub trait Then<T>: AsyncFnOnce(&Sandbox, usize) -> (usize, T) {}

impl<T, F: AsyncFnOnce(&Sandbox, usize) -> (usize, T)> Then<T> for F {}

/// minyi's bot listener and handlers (no delivery worker) on `repo`, seeded with the roster,
/// polling a fresh sandbox: measured, `then` run, then stopped. `count` answers how many
/// suggestions were committed, checked against how many were sent.
async fn minyi_bot<T>(
    name: &str,
    repo: Arc<dyn Repository>,
    metrics: Arc<Metrics>,
    rates: &[f64],
    count: impl AsyncFn() -> i64,
    then: impl Then<T>,
) -> (Figures, T) {
    seed(repo.as_ref()).await;
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let bot = sandbox.bot();
    let me = bot.get_me().await.expect("getMe");
    let front = Arc::new(Telegram::new(
        repo,
        bot,
        Arc::new(Config::default()),
        me.username().to_string(),
        Arc::new(SystemClock),
        metrics,
        Arc::new(minyi::telegram::pacer::Pacer::new(
            &Config::default().delivery,
        )),
    ));
    let stop = CancellationToken::new();
    let polling = tokio::spawn(listener::poll(front, stop.clone()));
    let figures = measure(&sandbox, rates).await;
    let measured = BURST + rates.len() * PACED;
    let (more, found) = then(&sandbox, measured).await;
    stop.cancel();
    polling.await.expect("listener");
    let filed = count().await;
    let sent = measured + more;
    if filed != sent as i64 {
        println!("  ({name}: {filed} suggestions committed, expected {sent})");
    }
    sandbox.shutdown().await;
    figures.print(name);
    (figures, found)
}

/// minyi on a fresh SQLite file, and `then` after the figures.
pub async fn on_sqlite<T>(
    name: &str,
    metrics: Arc<Metrics>,
    rates: &[f64],
    then: impl Then<T>,
) -> (Figures, T) {
    let dir = tempfile::tempdir().unwrap();
    let (repo, raw) = common::sqlite(dir.path()).await;
    minyi_bot(name, repo, metrics, rates, async || count(&raw).await, then).await
}

/// minyi on a fresh PostgreSQL schema, with `MINYI_TEST_POSTGRES_URL`, and `then` after the
/// figures.
pub async fn on_postgres<T>(name: &str, rates: &[f64], then: impl Then<T>) -> Option<(Figures, T)> {
    let (repo, pool, schema) = common::postgres().await?;
    let count = async || {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM suggestions")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let figures = minyi_bot(name, repo, Metrics::off(), rates, count, then).await;
    schema.drop().await;
    Some(figures)
}

async fn count(raw: &sqlx::SqlitePool) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM suggestions")
        .fetch_one(raw)
        .await
        .unwrap()
}
