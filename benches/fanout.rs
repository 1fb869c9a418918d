//! `cargo bench --bench fanout`: 1,000 messages to 1,000 group chats through the delivery
//! worker against the sandbox with Telegram's limits enforced. Prints the wall time, the ideal
//! (N / 30 messages a second), their ratio (target ≤ 1.15) and the 429s answered (target 0),
//! on SQLite and, with `MINYI_TEST_POSTGRES_URL`, on PostgreSQL.

use std::sync::Arc;
use std::time::{Duration, Instant};

use minyi::config::Config;
use minyi::i18n::Lang;
use minyi::notify::worker::Worker;
use minyi::sandbox::{Sandbox, SandboxOptions};
use minyi::storage::Repository;
use minyi::telegram::client;
use sqlx::Executor;

mod common;
use tokio_util::sync::CancellationToken;

const MESSAGES: i64 = 1000;

async fn seed(run: impl AsyncFn(String)) {
    let values: Vec<String> = (1..=MESSAGES)
        .map(|n| {
            format!(
                "(0, 0, 'telegram', '-{n}', 'en-US', 'outbox-retried', '[[\"count\",\"{n}\"]]')"
            )
        })
        .collect();
    for chunk in values.chunks(500) {
        run(format!(
            "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args) VALUES {}",
            chunk.join(", ")
        ))
        .await;
    }
}

async fn fan_out(name: &str, repo: Arc<dyn Repository>) {
    let sandbox = Sandbox::start(SandboxOptions {
        enforce_limits: true,
        ..Default::default()
    })
    .await
    .expect("sandbox");
    let worker = Worker {
        repo: repo.clone(),
        bot: client::bot(sandbox.token(), Some(sandbox.api_url())),
        limits: Config::default().delivery,
        mirrors: Vec::new(),
        http: reqwest::Client::new(),
        default_lang: Lang::EnUs,
        idle_poll: Duration::from_millis(50),
        retry_base: Duration::from_secs(2),
        clock: Arc::new(minyi::clock::SystemClock),
        metrics: minyi::metrics::Metrics::off(),
        pacer: Arc::new(minyi::telegram::pacer::Pacer::new(
            &Config::default().delivery,
        )),
        wecom: None,
    };
    let stop = CancellationToken::new();
    let start = Instant::now();
    let running = tokio::spawn(worker.run(stop.clone()));
    while (sandbox.delivered().len() as i64) < MESSAGES
        && start.elapsed() < Duration::from_secs(300)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let wall = start.elapsed();
    stop.cancel();
    running.await.expect("worker");
    let ideal = Duration::from_secs_f64(MESSAGES as f64 / 30.0);
    println!(
        "{name:9} {MESSAGES} messages to {MESSAGES} group chats: wall {:.2} s, ideal {:.2} s, ratio {:.3} (target <= 1.15), 429s {} (target 0), delivered {}",
        wall.as_secs_f64(),
        ideal.as_secs_f64(),
        wall.as_secs_f64() / ideal.as_secs_f64(),
        sandbox.count_status(429),
        sandbox.delivered().len()
    );
    sandbox.shutdown().await;
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, raw) = common::sqlite(dir.path()).await;
    seed(async |sql| {
        raw.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    })
    .await;
    fan_out("sqlite", repo).await;
    match common::postgres().await {
        Some((repo, pool, schema)) => {
            seed(async |sql| {
                pool.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
            })
            .await;
            fan_out("postgres", repo).await;
            schema.drop().await;
        }
        None => println!("postgres: skipped (set MINYI_TEST_POSTGRES_URL)"),
    }
}
