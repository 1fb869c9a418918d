//! Several `minyi run` processes, as real processes: on PostgreSQL one holds the lock and
//! polls, delivers and schedules; killed with SIGKILL mid-traffic, the other takes over, and
//! every update is applied exactly once. On SQLite a second process is refused.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use minyi::sandbox::{Sandbox, SandboxOptions};

use super::{Running, parse_metrics, value};
use crate::support::{TestDb, postgres, roster, sqlite};

/// The longest a replica may take to take over from a killed lock holder; the README states
/// the same figure.
const TAKEOVER: Duration = Duration::from_secs(15);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(db: &TestDb, sandbox: &Sandbox, dir: &std::path::Path, port: u16) -> Running {
    let config = dir.join("minyi.toml");
    let text = "bot_username = \"minyi_sandbox_bot\"\ndefault_lang = \"en-US\"\n";
    std::fs::write(&config, text).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_minyi"))
        .args(["run", "--http", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .env("MINYI_CONFIG", &config)
        .env("MINYI_DATABASE_URL", &db.url)
        .env("TELOXIDE_TOKEN", sandbox.token())
        .env("TELOXIDE_API_URL", sandbox.api_url().as_str())
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start minyi run");
    Running(child)
}

/// `minyi_lock_held` of the process serving on `port`; `None` while it does not answer.
async fn holds_lock(port: u16) -> Option<bool> {
    let page = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    Some(value(&parse_metrics(&page), "minyi_lock_held", &[]) == 1.0)
}

async fn until(what: &str, patience: Duration, mut done: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < patience, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Deputy `n` (of the fixture's D1, D2, L1) writes a suggestion numbered in its title.
fn suggest(sandbox: &Sandbox, n: usize) {
    let deputies = [1001, 1002, 1003];
    sandbox.private_message(deputies[n % 3], &format!("/suggest Item {n}\nBody {n}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_lock_holder_is_taken_over_and_no_update_is_lost_or_applied_twice() {
    let Some(db) = postgres().await else {
        return;
    };
    roster(&db).await;
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (port_a, port_b) = (free_port(), free_port());
    let mut a = start(&db, &sandbox, dir.path(), port_a);
    until(
        "the first to hold the lock",
        Duration::from_secs(20),
        async || holds_lock(port_a).await == Some(true),
    )
    .await;
    let b = start(&db, &sandbox, dir.path(), port_b);
    until("the second to serve", Duration::from_secs(20), async || {
        holds_lock(port_b).await == Some(false)
    })
    .await;
    // Traffic, with the holder killed in the middle of it.
    for n in 0..30 {
        suggest(&sandbox, n);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    a.0.kill().unwrap(); // SIGKILL
    a.0.wait().unwrap();
    let killed = Instant::now();
    for n in 30..60 {
        suggest(&sandbox, n);
    }
    until("the second to take over", TAKEOVER, async || {
        holds_lock(port_b).await == Some(true)
    })
    .await;
    let took_over = killed.elapsed();
    until(
        "every update handled",
        Duration::from_secs(30),
        async || {
            db.count("SELECT COUNT(*) FROM suggestions").await >= 60
                && sandbox.pending_updates() == 0
        },
    )
    .await;
    // Exactly once: 60 suggestions numbered 1 to 60, each answered to its deputy.
    assert_eq!(db.count("SELECT COUNT(*) FROM suggestions").await, 60);
    assert_eq!(db.count("SELECT MAX(seq) FROM suggestions").await, 60);
    assert_eq!(
        db.count("SELECT COUNT(DISTINCT title) FROM suggestions")
            .await,
        60,
        "no update applied twice"
    );
    let answered = sandbox
        .delivered()
        .iter()
        .filter(|d| d.text.contains("2026-00"))
        .count();
    assert!(answered >= 60, "every filing answered: {answered}");
    println!("takeover after SIGKILL: {:.1} s", took_over.as_secs_f64());
    drop(b);
    sandbox.shutdown().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_on_one_sqlite_file_is_refused() {
    let db = sqlite().await;
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _first = start(&db, &sandbox, dir.path(), port);
    until("the first to run", Duration::from_secs(20), async || {
        holds_lock(port).await == Some(true)
    })
    .await;
    let second = start(&db, &sandbox, dir.path(), free_port());
    let output = tokio::task::spawn_blocking(move || {
        let mut running = second;
        let child = std::mem::replace(
            &mut running.0,
            Command::new("true").spawn().expect("a placeholder"),
        );
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("another `minyi run` is using this SQLite database"),
        "{said}"
    );
    sandbox.shutdown().await;
    db.finish().await;
}
