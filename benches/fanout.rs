//! `cargo bench --bench fanout`: 1,000 messages to 1,000 group chats through the delivery
//! worker against the sandbox with Telegram's limits enforced. Prints the wall time, the ideal
//! (N / 30 messages a second), their ratio (target ≤ 1.15) and the 429s answered (target 0),
//! on SQLite and, with `MINYI_TEST_POSTGRES_URL`, on PostgreSQL.

use std::sync::Arc;
use std::time::{Duration, Instant};

use minyi::config::Config;
use minyi::i18n::Lang;
use minyi::notify::telegram;
use minyi::notify::worker::Worker;
use minyi::sandbox::{Sandbox, SandboxOptions};
use minyi::storage::postgres::PgRepo;
use minyi::storage::{self, Repository};
use sqlx::Executor;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
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
        bot: telegram::bot(sandbox.token(), Some(sandbox.api_url())),
        limits: Config::default().delivery,
        mirrors: Vec::new(),
        http: reqwest::Client::new(),
        default_lang: Lang::EnUs,
        idle_poll: Duration::from_millis(50),
        retry_base: Duration::from_secs(2),
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
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let repo = storage::connect(&url).await.unwrap();
    repo.migrate().await.unwrap();
    let raw = sqlx::SqlitePool::connect(&url).await.unwrap();
    seed(async |sql| {
        raw.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    })
    .await;
    fan_out("sqlite", repo).await;
    if let Ok(url) = std::env::var("MINYI_TEST_POSTGRES_URL") {
        let admin = PgPoolOptions::new().connect(&url).await.unwrap();
        let schema = format!("bench_{:08x}", rand::random::<u32>());
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .await
            .unwrap();
        let options: PgConnectOptions = url.parse().unwrap();
        let pool = PgPoolOptions::new()
            .connect_with(options.options([("search_path", schema.as_str())]))
            .await
            .unwrap();
        let repo: Arc<dyn Repository> = Arc::new(PgRepo::with_pool(pool.clone()));
        repo.migrate().await.unwrap();
        seed(async |sql| {
            pool.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
        })
        .await;
        fan_out("postgres", repo).await;
        admin
            .execute(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .await
            .unwrap();
    } else {
        println!("postgres: skipped (set MINYI_TEST_POSTGRES_URL)");
    }
}
