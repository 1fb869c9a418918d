//! `cargo bench --bench ingest`: deputies send `/suggest <title>\n<body>` through the sandbox;
//! each update is handled by the bot's own listener and handlers (no delivery worker), which
//! commit the suggestion and answer. Measured end to end, from the update pushed to the bot's
//! answer seen by the sandbox (the workload is `common/suggest.rs`, shared with `peer`):
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
//! the wire (see `common/count.rs`). SQLite always; PostgreSQL with `MINYI_TEST_POSTGRES_URL`
//! (fresh schemas). Prints figures only.

use std::sync::Arc;
use std::time::Instant;

use minyi::config::Config;
use minyi::domain::Draft;
use minyi::metrics::Metrics;
use minyi::sandbox::{Sandbox, SandboxOptions};
use minyi::storage::{Applied, LoopPolicy, Repository, Who};
use teloxide::prelude::*;

mod common;
#[path = "common/count.rs"]
mod count;
#[path = "common/suggest.rs"]
mod suggest;

use count::{Statements, Wire};
use suggest::{BURST, DEPUTIES, Figures, RATE, measure, ms};

/// Updates the listener handles at once: a `getUpdates` batch of up to 100, whose chats run
/// side by side (here each update of a batch is another deputy's).
const AT_ONCE: usize = 100;
/// Filings whose statements (and round trips) are counted, after the timed ones.
const COUNTED: usize = 200;

/// After the bot's figures, while it still polls: [`COUNTED`] more commands all at once,
/// their statements counted. Answers how many it sent and the statements.
async fn count_statements(sandbox: &Sandbox, sent: usize) -> (usize, u64) {
    let (_, statements) =
        Statements::counting(async || suggest::burst(sandbox, sent, COUNTED).await).await;
    (COUNTED, statements)
}

/// Prints the statements per filing counted by [`count_statements`]; answers the figures.
fn with_statements(name: &str, (figures, statements): (Figures, u64)) -> Figures {
    let per_filing = statements as f64 / COUNTED as f64;
    println!("{name:15} statements per /suggest (sqlx log): {per_filing:.1}");
    figures
}

/// What one `/suggest <title>\n<body>` from a deputy in a private chat asks of the repository,
/// as the bot's handler asks it: the account (the handler's context), then the filing tied
/// to the update's id.
async fn file_one(repo: &dyn Repository, policy: &LoopPolicy, i: usize) {
    let chat = suggest::chat(i);
    repo.account(chat).await.expect("account");
    let command = suggest::text(i);
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
    suggest::seed(repo.as_ref()).await;
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
    let figures = measure(&sandbox, &[RATE]).await;
    if let Ok(done) = shutdown.shutdown() {
        done.await;
    }
    running.await.expect("echo bot");
    sandbox.shutdown().await;
    figures.print("teloxide echo");
    figures
}

fn ratio(name: &str, minyi: &Figures, echo: &Figures, ceiling: f64) {
    let (paced, echo_paced) = (&minyi.paced[0], &echo.paced[0]);
    println!(
        "{name:15} minyi/echo: burst throughput {:.0} %, at {RATE:.0}/s offered {:.0} % (target >= 50 %), p50 latency x{:.1}",
        100.0 * minyi.per_second / echo.per_second,
        100.0 * paced.achieved / echo_paced.achieved,
        ms(paced.p50) / ms(echo_paced.p50).max(0.001)
    );
    println!(
        "{name:15} end to end / storage ceiling: {:.0} % (target >= 60 %)",
        100.0 * minyi.per_second / ceiling
    );
}

/// minyi on a fresh SQLite file, its statements per filing counted after the figures.
async fn on_sqlite(name: &str, metrics: Arc<Metrics>) -> Figures {
    let run = suggest::on_sqlite(name, metrics, &[RATE], count_statements).await;
    with_statements(name, run)
}

/// The storage ceiling on a fresh SQLite file.
async fn sqlite_ceiling() -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let (repo, _) = common::sqlite(dir.path()).await;
    ceiling("sqlite", repo, None).await
}

/// The storage ceiling on a fresh PostgreSQL schema, counted on the wire too.
async fn postgres_ceiling(url: &str) -> Option<f64> {
    let (repo, pool, schema) = common::postgres().await?;
    let name: String = sqlx::query_scalar("SELECT current_schema()")
        .fetch_one(&pool)
        .await
        .expect("schema");
    let (wire, proxied) = Wire::pool(url, &name).await;
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
    let (with, without) = (&metered.paced[0], &sqlite.paced[0]);
    println!(
        "metrics cost   with/without the exporter: burst throughput {:.0} %, p50 latency x{:.2}, p99 x{:.2}",
        100.0 * metered.per_second / sqlite.per_second,
        ms(with.p50) / ms(without.p50).max(0.001),
        ms(with.p99) / ms(without.p99).max(0.001)
    );

    let Ok(url) = std::env::var("MINYI_TEST_POSTGRES_URL") else {
        println!("postgres: skipped (set MINYI_TEST_POSTGRES_URL)");
        return;
    };
    let ceiling = postgres_ceiling(&url).await.expect("postgres");
    let run = suggest::on_postgres("minyi postgres", &[RATE], count_statements)
        .await
        .expect("postgres");
    let pg = with_statements("minyi postgres", run);
    ratio("postgres", &pg, &echo, ceiling);
}
