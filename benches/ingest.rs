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

use minyi::metrics::Metrics;
use minyi::sandbox::{Sandbox, SandboxOptions};
use teloxide::prelude::*;

mod common;
#[path = "common/suggest.rs"]
mod suggest;

use suggest::{DEPUTIES, Figures, RATE, measure, ms};

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

fn ratio(name: &str, minyi: &Figures, echo: &Figures) {
    let (paced, echo_paced) = (&minyi.paced[0], &echo.paced[0]);
    println!(
        "{name:15} minyi/echo: burst throughput {:.0} %, at {RATE:.0}/s offered {:.0} % (target >= 50 %), p50 latency x{:.1}",
        100.0 * minyi.per_second / echo.per_second,
        100.0 * paced.achieved / echo_paced.achieved,
        ms(paced.p50) / ms(echo_paced.p50).max(0.001)
    );
}

#[tokio::main]
async fn main() {
    println!(
        "ingest: /suggest from {DEPUTIES} deputies in private chats; bot listener + handlers, no delivery worker"
    );
    let echo = echo_bot().await;

    let sqlite = suggest::on_sqlite("minyi sqlite", Metrics::off(), &[RATE]).await;
    ratio("sqlite", &sqlite, &echo);

    // The cost of metrics: the same run with the Prometheus recorder on, on a fresh file.
    let metered = suggest::on_sqlite("sqlite+metrics", Metrics::new(), &[RATE]).await;
    let (with, without) = (&metered.paced[0], &sqlite.paced[0]);
    println!(
        "metrics cost   with/without the exporter: burst throughput {:.0} %, p50 latency x{:.2}, p99 x{:.2}",
        100.0 * metered.per_second / sqlite.per_second,
        ms(with.p50) / ms(without.p50).max(0.001),
        ms(with.p99) / ms(without.p99).max(0.001)
    );

    match suggest::on_postgres("minyi postgres", &[RATE]).await {
        Some(pg) => ratio("postgres", &pg, &echo),
        None => println!("postgres: skipped (set MINYI_TEST_POSTGRES_URL)"),
    }
}
