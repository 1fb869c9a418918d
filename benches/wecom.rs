//! `cargo bench --bench wecom`: deputies file `/suggest <title>\n<body>` from WeCom, through
//! the app's callback on minyi's HTTP server: each request is decrypted, checked, handled
//! (the suggestion committed with its input id) and answered empty; the answer then goes to
//! the member through the WeCom sandbox's `message/send`. Measured end to end, from the first
//! POST to the last answer WeCom accepted: callbacks a second with 64 requests in flight.
//!
//! The baseline in the same run: the same deputies send the same commands on Telegram to the
//! same service (its own long polling), updates a second until every answer is in. Prints
//! both and the ratio WeCom / Telegram. SQLite always; PostgreSQL with
//! `MINYI_TEST_POSTGRES_URL` (a fresh schema). Prints figures only.

use std::sync::Arc;
use std::time::{Duration, Instant};

use minyi::clock::SystemClock;
use minyi::config::Config;
use minyi::sandbox::wecom::{WeComOptions, WeComSandbox};
use minyi::sandbox::{Sandbox, SandboxOptions};
use minyi::service::Service;
use minyi::storage::Repository;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

mod common;
// Only its roster: the same deputies as `ingest` and `peer`.
#[allow(dead_code)]
#[path = "common/suggest.rs"]
mod suggest;

use suggest::FIRST_ID;

const DEPUTIES: usize = suggest::DEPUTIES as usize;
/// Commands per channel.
const COMMANDS: usize = 2000;
/// Callbacks in flight at once, as WeCom's servers would post for many members.
const IN_FLIGHT: usize = 64;

fn text(i: usize) -> String {
    format!(
        "/suggest 第 {i} 号建议：修复人行道\n新华路 {i} 号门前人行道砖块松动、雨后积水，老人和孩子出行不便，建议尽快修复并加装排水。"
    )
}

fn userid(d: usize) -> String {
    format!("deputy{d:03}")
}

/// Waits until `count()` reaches `total` (or two minutes pass); answers when it did.
async fn wait_for(total: usize, count: impl Fn() -> usize) -> Instant {
    let start = Instant::now();
    while count() < total && start.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    if count() < total {
        println!("  (only {} of {total} answers arrived)", count());
    }
    Instant::now()
}

async fn run(name: &str, repo: Arc<dyn Repository>) {
    // Each deputy on both channels.
    suggest::seed_linked(repo.as_ref(), |d| Some(userid(d as usize))).await;
    let telegram = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let wecom = WeComSandbox::start(WeComOptions {
        members: (0..DEPUTIES).map(userid).collect(),
        ..WeComOptions::default()
    })
    .await
    .unwrap();
    let mut config = Config::default();
    config.wecom = Some(wecom.config());
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let callback = format!("http://{}/wecom/callback", listener.local_addr().unwrap());
    let stop = CancellationToken::new();
    let service = Service {
        repo: Arc::clone(&repo),
        bot: telegram.bot(),
        config: Arc::new(config),
        username: "minyi_sandbox_bot".into(),
        clock: Arc::new(SystemClock),
        scheduler: false,
        http: Some(listener),
        webhook: None,
        metrics: minyi::metrics::Metrics::off(),
    };
    let running = tokio::spawn(service.run(stop.clone()));

    // WeCom: callbacks posted with IN_FLIGHT at once.
    let wecom = Arc::new(wecom);
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let started = Instant::now();
    let mut posts = Vec::with_capacity(COMMANDS);
    for i in 0..COMMANDS {
        let permit = Arc::clone(&slots).acquire_owned().await.unwrap();
        let (wecom, callback) = (Arc::clone(&wecom), callback.clone());
        posts.push(tokio::spawn(async move {
            let status = wecom.say(&callback, &userid(i % DEPUTIES), &text(i)).await;
            drop(permit);
            status
        }));
    }
    for post in posts {
        assert_eq!(post.await.unwrap(), 200);
    }
    let done = wait_for(COMMANDS, || wecom.all_delivered().len()).await;
    let wecom_per_second = COMMANDS as f64 / (done - started).as_secs_f64();

    // Telegram: the same commands as updates, all at once.
    let started = Instant::now();
    for i in 0..COMMANDS {
        telegram.private_message(FIRST_ID + (i % DEPUTIES) as i64, &text(COMMANDS + i));
    }
    let done = wait_for(COMMANDS, || telegram.delivered().len()).await;
    let telegram_per_second = COMMANDS as f64 / (done - started).as_secs_f64();

    stop.cancel();
    running.await.unwrap();
    println!(
        "{name:9} WeCom callbacks {wecom_per_second:6.0}/s ({IN_FLIGHT} in flight) | Telegram updates {telegram_per_second:6.0}/s | WeCom/Telegram {:.2}",
        wecom_per_second / telegram_per_second
    );
    telegram.shutdown().await;
    if let Ok(wecom) = Arc::try_unwrap(wecom) {
        wecom.shutdown().await;
    }
}

#[tokio::main]
async fn main() {
    println!(
        "wecom: /suggest from {DEPUTIES} deputies, {COMMANDS} on each channel, to one service"
    );
    let dir = tempfile::tempdir().unwrap();
    let (repo, _raw) = common::sqlite(dir.path()).await;
    run("sqlite", repo).await;
    if let Some((repo, _raw, schema)) = common::postgres().await {
        run("postgres", repo).await;
        schema.drop().await;
    }
}
