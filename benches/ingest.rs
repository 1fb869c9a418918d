//! `cargo bench --bench ingest`: deputies send `/suggest <title>\n<body>` through the sandbox;
//! each update is handled by the bot's own listener and handlers (no delivery worker), which
//! commit the suggestion and answer. Measured end to end, from the update pushed to the bot's
//! answer seen by the sandbox:
//!
//! - throughput: all updates pushed at once, commands per second until every answer is in;
//! - latency: updates offered at 300 a second, p50 and p99.
//!
//! The same figures for a bare teloxide echo bot (a `Dispatcher` answering each message with
//! its text) on the same sandbox, and the ratio minyi / echo (target ≥ 50 %).
//!
//! Beside each database's end-to-end figure, its storage ceiling: the repository calls one
//! `/suggest` makes (the account, then the filing with the update's id), in a loop, as many
//! at once as the listener handles (a `getUpdates` batch of 100, its chats side by side), no
//! bot, no HTTP, on a fresh database; and the ratio end to end / ceiling (target ≥ 60 %).
//! Statements per filing are counted on both paths, and on PostgreSQL the round trips on
//! the wire (see [`count`]). SQLite always; PostgreSQL with `MINYI_TEST_POSTGRES_URL` (fresh
//! schemas). Prints figures only.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use minyi::bot::{Telegram, listener};
use minyi::clock::SystemClock;
use minyi::config::Config;
use minyi::domain::Draft;
use minyi::metrics::Metrics;
use minyi::roster::{self, RosterKind};
use minyi::sandbox::{Sandbox, SandboxOptions};
use minyi::storage::{Applied, LoopPolicy, Repository, Who};
use teloxide::prelude::*;
use tokio_util::sync::CancellationToken;

mod common;
#[path = "ingest/count.rs"]
mod count;

use count::{Statements, Wire};

const DEPUTIES: i64 = 200;
/// Updates pushed at once for the throughput figure.
const BURST: usize = 2000;
/// Updates offered at [`RATE`] a second for the latency figures.
const PACED: usize = 1500;
const RATE: f64 = 300.0;
const FIRST_ID: i64 = 500_000;
/// Updates the listener handles at once: a `getUpdates` batch of up to 100, whose chats run
/// side by side (here each update of a batch is another deputy's).
const AT_ONCE: usize = 100;
/// Filings whose statements (and round trips) are counted, after the timed ones.
const COUNTED: usize = 200;

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

/// minyi's bot on `repo`: the timed phases, then [`COUNTED`] more commands all at once whose
/// statements are counted; answers the figures and the statements per filing.
async fn minyi_bot(
    name: &str,
    repo: Arc<dyn Repository>,
    metrics: Arc<Metrics>,
    count: impl AsyncFn() -> i64,
) -> (Figures, f64) {
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
    let done = BURST + PACED;
    let ((), statements) = Statements::counting(async || {
        push(&sandbox, done, COUNTED, false).await;
        wait_for(&sandbox, done + COUNTED).await;
    })
    .await;
    stop.cancel();
    polling.await.expect("listener");
    let filed = count().await;
    if filed != (done + COUNTED) as i64 {
        println!(
            "  ({name}: {filed} suggestions committed, expected {})",
            done + COUNTED
        );
    }
    sandbox.shutdown().await;
    figures.print(name);
    let per_filing = statements as f64 / COUNTED as f64;
    println!("{name:15} statements per /suggest (sqlx log): {per_filing:.1}");
    (figures, per_filing)
}

/// What one `/suggest <title>\n<body>` from a deputy in a private chat asks of the repository,
/// as the bot's handler asks it: the account (the handler's context), then the filing tied
/// to the update's id.
async fn file_one(repo: &dyn Repository, policy: &LoopPolicy, i: usize) {
    let chat = FIRST_ID + (i as i64 % DEPUTIES);
    repo.account(chat).await.expect("account");
    let command = text(i);
    let (title, body) = command["/suggest ".len()..]
        .split_once('\n')
        .expect("title and body");
    let draft = Draft {
        title: title.to_string(),
        body: body.to_string(),
        category: policy.default_category(),
        group: None,
        attachment: Default::default(),
    };
    let update = Some(i as i64 + 1);
    let applied = repo
        .file(
            policy,
            Who::Telegram(chat),
            draft,
            chrono::Utc::now(),
            update,
        )
        .await
        .expect("filed");
    assert!(matches!(applied, Applied::Done { .. }), "{applied:?}");
}

/// Files `count` suggestions from the `from`th on, [`AT_ONCE`] at a time; answers filings a
/// second.
async fn file_many(repo: &Arc<dyn Repository>, from: usize, count: usize) -> f64 {
    let policy = Arc::new(Config::default().loop_policy());
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for lane in 0..AT_ONCE {
        let (repo, policy) = (Arc::clone(repo), Arc::clone(&policy));
        tasks.spawn(async move {
            for i in (from + lane..from + count).step_by(AT_ONCE) {
                file_one(repo.as_ref(), &policy, i).await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a filing lane");
    }
    count as f64 / start.elapsed().as_secs_f64()
}

/// The storage ceiling on a fresh database: [`BURST`] filings timed, then [`COUNTED`] more
/// whose statements are counted (and, through `wire`, sent again over a counting proxy).
/// Answers filings a second.
async fn ceiling(
    name: &str,
    repo: Arc<dyn Repository>,
    wire: Option<(&Wire, Arc<dyn Repository>)>,
) -> f64 {
    seed(repo.as_ref()).await;
    let per_second = file_many(&repo, 0, BURST).await;
    let (_, statements) =
        Statements::counting(async || file_many(&repo, BURST, COUNTED).await).await;
    let mut line = format!(
        "{name:15} storage ceiling, {AT_ONCE} at once: {per_second:7.0} filings/s | per filing: {:.1} statements (sqlx log)",
        statements as f64 / COUNTED as f64
    );
    if let Some((wire, proxied)) = wire {
        // Its connections are new: the first round prepares their statements.
        file_many(&proxied, BURST + COUNTED, COUNTED).await;
        let before = wire.count();
        file_many(&proxied, BURST + 2 * COUNTED, COUNTED).await;
        let on_wire = wire.count() - before;
        let per = |n: u64| n as f64 / COUNTED as f64;
        line.push_str(&format!(
            ", on the wire {:.1} round trips, {:.1} statements, {:.2} prepared",
            per(on_wire.round_trips),
            per(on_wire.statements),
            per(on_wire.prepared)
        ));
    }
    println!("{line}");
    per_second
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

fn ratio(name: &str, minyi: &Figures, echo: &Figures, ceiling: f64) {
    println!(
        "{name:15} minyi/echo: burst throughput {:.0} %, at {RATE:.0}/s offered {:.0} % (target >= 50 %), p50 latency x{:.1}",
        100.0 * minyi.per_second / echo.per_second,
        100.0 * minyi.paced_per_second / echo.paced_per_second,
        ms(minyi.p50) / ms(echo.p50).max(0.001)
    );
    println!(
        "{name:15} end to end / storage ceiling: {:.0} % (target >= 60 %)",
        100.0 * minyi.per_second / ceiling
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
    minyi_bot(name, repo, metrics, count).await.0
}

/// The storage ceiling on a fresh SQLite file.
async fn sqlite_ceiling() -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let (repo, _) = common::sqlite(dir.path()).await;
    ceiling("sqlite", repo, None).await
}

/// The storage ceiling on a fresh PostgreSQL schema, counted on the wire too.
async fn postgres_ceiling(url: &str) -> Option<f64> {
    use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgSslMode};
    let (repo, pool, schema) = common::postgres().await?;
    let name: String = sqlx::query_scalar("SELECT current_schema()")
        .fetch_one(&pool)
        .await
        .expect("schema");
    let options: PgConnectOptions = url.parse().expect("postgres url");
    let wire = Wire::start((options.get_host().to_string(), options.get_port())).await;
    let proxied = PgPoolOptions::new()
        .connect_with(
            options
                .host("127.0.0.1")
                .port(wire.port)
                .ssl_mode(PgSslMode::Disable)
                .options([("search_path", name.as_str())]),
        )
        .await
        .expect("through the proxy");
    let proxied: Arc<dyn Repository> =
        Arc::new(minyi::storage::postgres::PgRepo::with_pool(proxied));
    let per_second = ceiling("postgres", repo, Some((&wire, proxied))).await;
    schema.drop().await;
    Some(per_second)
}

#[tokio::main]
async fn main() {
    Statements::install();
    println!(
        "ingest: /suggest from {DEPUTIES} deputies in private chats; bot listener + handlers, no delivery worker"
    );
    let echo = echo_bot().await;

    let ceiling = sqlite_ceiling().await;
    let sqlite = on_sqlite("minyi sqlite", Metrics::off()).await;
    ratio("sqlite", &sqlite, &echo, ceiling);

    // The cost of metrics: the same run with the Prometheus recorder on, on a fresh file.
    let metered = on_sqlite("sqlite+metrics", Metrics::new()).await;
    println!(
        "metrics cost   with/without the exporter: burst throughput {:.0} %, p50 latency x{:.2}, p99 x{:.2}",
        100.0 * metered.per_second / sqlite.per_second,
        ms(metered.p50) / ms(sqlite.p50).max(0.001),
        ms(metered.p99) / ms(sqlite.p99).max(0.001)
    );

    let Ok(url) = std::env::var("MINYI_TEST_POSTGRES_URL") else {
        println!("postgres: skipped (set MINYI_TEST_POSTGRES_URL)");
        return;
    };
    let ceiling = postgres_ceiling(&url).await.expect("postgres");
    let (repo, pool, schema) = common::postgres().await.expect("postgres");
    let count = async || {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM suggestions")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let (pg, _) = minyi_bot("minyi postgres", repo, Metrics::off(), count).await;
    ratio("postgres", &pg, &echo, ceiling);
    schema.drop().await;
}
