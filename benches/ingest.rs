//! `cargo bench --bench ingest`: deputies send `/suggest <title>\n<body>` through the sandbox;
//! each update is handled by the bot's own listener and handlers (no delivery worker), which
//! commit the suggestion and answer. Measured end to end, from the update pushed to the bot's
//! answer seen by the sandbox:
//!
//! - throughput: all updates pushed at once, commands per second until every answer is in;
//! - latency: updates offered at 300 a second, p50 and p99.
//!
//! The same figures for a bare teloxide echo bot (a `Dispatcher` answering each message with
//! its text) on the same sandbox, and the ratio minyi / echo (target ≥ 50 %). SQLite always;
//! PostgreSQL with `MINYI_TEST_POSTGRES_URL` (a fresh schema). Prints figures only.

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
use teloxide::prelude::*;
use tokio_util::sync::CancellationToken;

mod common;

const DEPUTIES: i64 = 200;
/// Updates pushed at once for the throughput figure.
const BURST: usize = 2000;
/// Updates offered at [`RATE`] a second for the latency figures.
const PACED: usize = 1500;
const RATE: f64 = 300.0;
const FIRST_ID: i64 = 500_000;

/// One run's figures.
struct Figures {
    per_second: f64,
    paced_per_second: f64,
    p50: Duration,
    p99: Duration,
}

impl Figures {
    fn print(&self, name: &str) {
        println!(
            "{name:15} burst {BURST}: {:7.0} commands/s | offered {RATE:.0}/s: achieved {:5.0}/s, p50 {:6.1} ms, p99 {:6.1} ms",
            self.per_second,
            self.paced_per_second,
            ms(self.p50),
            ms(self.p99)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn text(i: usize) -> String {
    format!(
        "/suggest 第 {i} 号建议：修复人行道\n新华路 {i} 号门前人行道砖块松动、雨后积水，老人和孩子出行不便，建议尽快修复并加装排水。"
    )
}

/// The roster: one district, one town, one group with a leader and the deputies, linked.
async fn seed(repo: &dyn Repository) {
    let mut people =
        String::from("code,name,roles,scope,telegram_id,lang\nL1,组长,leader,G01,999,\n");
    for d in 0..DEPUTIES {
        people.push_str(&format!("P{d},代表{d},deputy,G01,{},\n", FIRST_ID + d));
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

/// Pushes `count` commands, all at once or at [`RATE`]; answers each one's push instant,
/// with its chat, in order.
async fn push(sandbox: &Sandbox, from: usize, count: usize, paced: bool) -> Vec<(i64, Instant)> {
    let mut pushed = Vec::with_capacity(count);
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / RATE));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    for i in from..from + count {
        if paced {
            tick.tick().await;
        }
        let chat = FIRST_ID + (i as i64 % DEPUTIES);
        pushed.push((chat, Instant::now()));
        sandbox.private_message(chat, &text(i));
    }
    pushed
}

/// Waits until the sandbox accepted `total` answers (or a minute passed).
async fn wait_for(sandbox: &Sandbox, total: usize) -> Instant {
    let start = Instant::now();
    while sandbox.delivered().len() < total && start.elapsed() < Duration::from_secs(60) {
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

/// The two phases against a bot already polling `sandbox`.
async fn measure(sandbox: &Sandbox) -> Figures {
    let pushed = push(sandbox, 0, BURST, false).await;
    let last = wait_for(sandbox, BURST).await;
    let per_second = BURST as f64 / (last - pushed[0].1).as_secs_f64();

    let before = sandbox.delivered().len();
    let pushed = push(sandbox, BURST, PACED, true).await;
    let last = wait_for(sandbox, before + PACED).await;
    let paced_per_second = PACED as f64 / (last - pushed[0].1).as_secs_f64();
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
    Figures {
        per_second,
        paced_per_second,
        p50: pick(0.50),
        p99: pick(0.99),
    }
}

async fn minyi_bot(
    name: &str,
    repo: Arc<dyn Repository>,
    metrics: Arc<Metrics>,
    count: impl AsyncFn() -> i64,
) -> Figures {
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
    let figures = measure(&sandbox).await;
    stop.cancel();
    polling.await.expect("listener");
    let filed = count().await;
    if filed != (BURST + PACED) as i64 {
        println!(
            "  ({name}: {filed} suggestions committed, expected {})",
            BURST + PACED
        );
    }
    sandbox.shutdown().await;
    figures.print(name);
    figures
}

async fn echo_bot() -> Figures {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let handler = Update::filter_message().endpoint(|bot: Bot, message: Message| async move {
        let text = message.text().unwrap_or("?").to_string();
        bot.send_message(message.chat.id, text).await?;
        Ok::<(), teloxide::RequestError>(())
    });
    let mut dispatcher = Dispatcher::builder(sandbox.bot(), handler).build();
    let shutdown = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });
    let figures = measure(&sandbox).await;
    if let Ok(done) = shutdown.shutdown() {
        done.await;
    }
    running.await.expect("echo bot");
    sandbox.shutdown().await;
    figures.print("teloxide echo");
    figures
}

fn ratio(name: &str, minyi: &Figures, echo: &Figures) {
    println!(
        "{name:15} minyi/echo: burst throughput {:.0} %, at {RATE:.0}/s offered {:.0} % (target >= 50 %), p50 latency x{:.1}",
        100.0 * minyi.per_second / echo.per_second,
        100.0 * minyi.paced_per_second / echo.paced_per_second,
        ms(minyi.p50) / ms(echo.p50).max(0.001)
    );
}

/// minyi on a fresh SQLite file.
async fn on_sqlite(name: &str, metrics: Arc<Metrics>) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let (repo, raw) = common::sqlite(dir.path()).await;
    let count = async || {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM suggestions")
            .fetch_one(&raw)
            .await
            .unwrap()
    };
    minyi_bot(name, repo, metrics, count).await
}

#[tokio::main]
async fn main() {
    println!(
        "ingest: /suggest from {DEPUTIES} deputies in private chats; bot listener + handlers, no delivery worker"
    );
    let echo = echo_bot().await;

    let sqlite = on_sqlite("minyi sqlite", Metrics::off()).await;
    ratio("sqlite", &sqlite, &echo);

    // The cost of metrics: the same run with the Prometheus recorder on, on a fresh file.
    let metered = on_sqlite("sqlite+metrics", Metrics::new()).await;
    println!(
        "metrics cost   with/without the exporter: burst throughput {:.0} %, p50 latency x{:.2}, p99 x{:.2}",
        100.0 * metered.per_second / sqlite.per_second,
        ms(metered.p50) / ms(sqlite.p50).max(0.001),
        ms(metered.p99) / ms(sqlite.p99).max(0.001)
    );

    match common::postgres().await {
        Some((repo, pool, schema)) => {
            let count = async || {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM suggestions")
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            };
            let pg = minyi_bot("minyi postgres", repo, Metrics::off(), count).await;
            ratio("postgres", &pg, &echo);
            schema.drop().await;
        }
        None => println!("postgres: skipped (set MINYI_TEST_POSTGRES_URL)"),
    }
}
