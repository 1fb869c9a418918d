//! The real `minyi run` process: killed with SIGKILL mid fan-out it loses nothing, and on
//! SIGTERM it stops within 10 seconds with exit code 0.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use minyi::sandbox::{Sandbox, SandboxOptions};

use crate::delivery::{open_rows, seed};
use crate::support::{TestDb, backends};

fn start(db: &TestDb, sandbox: &Sandbox, dir: &std::path::Path) -> Child {
    let config = dir.join("minyi.toml");
    // A short lease, so a killed worker's rows come back quickly.
    std::fs::write(&config, "[delivery]\nlease_seconds = 5\n").unwrap();
    Command::new(env!("CARGO_BIN_EXE_minyi"))
        .arg("run")
        .current_dir(dir)
        .env("MINYI_CONFIG", &config)
        .env("MINYI_DATABASE_URL", &db.url)
        .env("TELOXIDE_TOKEN", sandbox.token())
        .env("TELOXIDE_API_URL", sandbox.api_url().as_str())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start minyi run")
}

async fn wait_until(what: &str, patience: Duration, mut done: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < patience, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A sandbox with Telegram's limits, `per_chat` messages queued to each of `chats` chats, and a
/// `minyi run` under way with at least `begun` of them delivered.
async fn fan_out_under_way(
    db: &TestDb,
    dir: &std::path::Path,
    chats: &[i64],
    per_chat: usize,
    begun: usize,
) -> (Sandbox, Child) {
    let options = SandboxOptions {
        enforce_limits: true,
        ..Default::default()
    };
    let sandbox = Sandbox::start(options).await.unwrap();
    seed(db, chats, per_chat).await;
    let child = start(db, &sandbox, dir);
    let patience = Duration::from_secs(30);
    wait_until("the fan-out to begin", patience, async || {
        sandbox.delivered().len() >= begun
    })
    .await;
    (sandbox, child)
}

/// Starts `minyi run` again and waits until nothing is left to send.
async fn finish_with_a_new_worker(db: &TestDb, sandbox: &Sandbox, dir: &std::path::Path) {
    let mut second = start(db, sandbox, dir);
    let patience = Duration::from_secs(90);
    wait_until("every row delivered", patience, async || {
        open_rows(db).await == 0
    })
    .await;
    second.kill().unwrap();
    second.wait().unwrap();
}

#[tokio::test]
async fn a_killed_worker_loses_nothing() {
    for db in backends().await {
        let dir = tempfile::tempdir().unwrap();
        let chats: Vec<i64> = (1..=250).collect();
        let (sandbox, mut first) = fan_out_under_way(&db, dir.path(), &chats, 2, 50).await;
        first.kill().unwrap(); // SIGKILL
        first.wait().unwrap();
        let in_flight = db
            .count("SELECT COUNT(*) FROM outbox WHERE state = 'sending'")
            .await as usize;
        let before = sandbox.delivered().len();
        assert!(before < 500, "{}: the crash came mid fan-out", db.name);

        finish_with_a_new_worker(&db, &sandbox, dir.path()).await;
        let delivered = sandbox.delivered();
        for chat in &chats {
            let got: Vec<String> = delivered
                .iter()
                .filter(|d| d.chat_id == *chat)
                .map(|d| d.text.clone())
                .collect();
            assert!(
                got.iter().any(|t| t.starts_with("0 ")) && got.iter().any(|t| t.starts_with("1 ")),
                "{}: chat {chat}: {got:?}",
                db.name
            );
        }
        let duplicates = delivered.len() - 500;
        assert!(
            duplicates <= in_flight,
            "{}: {duplicates} duplicates, {in_flight} in flight at the crash",
            db.name
        );
        sandbox.shutdown().await;
        db.finish().await;
    }
}

#[tokio::test]
async fn sigterm_stops_within_ten_seconds_and_loses_nothing() {
    for db in backends().await {
        let dir = tempfile::tempdir().unwrap();
        let chats: Vec<i64> = (1..=300).collect();
        let (sandbox, mut first) = fan_out_under_way(&db, dir.path(), &chats, 1, 30).await;
        let asked = Instant::now();
        let pid = first.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let status = first.wait().unwrap();
        assert!(
            asked.elapsed() < Duration::from_secs(10),
            "{}: took {:?}",
            db.name,
            asked.elapsed()
        );
        assert_eq!(status.code(), Some(0), "{}", db.name);
        assert_eq!(
            db.count("SELECT COUNT(*) FROM outbox WHERE state = 'sending'")
                .await,
            0,
            "{}: released",
            db.name
        );
        finish_with_a_new_worker(&db, &sandbox, dir.path()).await;
        let delivered = sandbox.delivered();
        for chat in &chats {
            assert!(
                delivered.iter().any(|d| d.chat_id == *chat),
                "{}: chat {chat} got nothing",
                db.name
            );
        }
        assert!(
            delivered.len() <= 300 + 5,
            "{}: a clean stop sends almost nothing twice",
            db.name
        );
        sandbox.shutdown().await;
        db.finish().await;
    }
}

#[tokio::test]
async fn run_refuses_a_token_the_bot_api_rejects() {
    let db = crate::support::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    seed(&db, &[7], 1).await;
    let run = Command::new(env!("CARGO_BIN_EXE_minyi"))
        .arg("run")
        .current_dir(dir.path())
        .env_remove("MINYI_CONFIG")
        .env("MINYI_DATABASE_URL", &db.url)
        .env("TELOXIDE_TOKEN", "123:wrong")
        .env("TELOXIDE_API_URL", sandbox.api_url().as_str())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("TELOXIDE_TOKEN"), "{stderr}");
    assert!(
        !stderr.contains("123:wrong"),
        "the token is a secret: {stderr}"
    );
    assert_eq!(open_rows(&db).await, 1, "no message was touched");
    sandbox.shutdown().await;
}

/// A burst of 2,000 `/suggest` commands with the process killed (SIGKILL) in the middle of
/// it: after a restart every update is applied exactly once, with numbers 1 to 2,000 and
/// no gap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_killed_during_a_burst_applies_every_update_exactly_once() {
    const BURST: i64 = 2_000;
    for db in backends().await {
        let name = db.name;
        crate::support::roster(&db).await;
        let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let deputies = [1001, 1002, 1003];
        for n in 0..BURST {
            let from = deputies[n as usize % deputies.len()];
            sandbox.private_message(from, &format!("/suggest Burst {n}\nBody {n}"));
        }
        let mut first = start(&db, &sandbox, dir.path());
        let filed = || db.count("SELECT COUNT(*) FROM suggestions");
        wait_until(
            "the burst to be under way",
            Duration::from_secs(60),
            async || filed().await >= 100,
        )
        .await;
        first.kill().unwrap(); // SIGKILL
        first.wait().unwrap();
        let at_kill = filed().await;
        assert!(
            at_kill < BURST,
            "{name}: the kill came mid burst ({at_kill})"
        );

        let mut second = start(&db, &sandbox, dir.path());
        wait_until(
            "every update applied",
            Duration::from_secs(180),
            async || filed().await >= BURST && sandbox.pending_updates() == 0,
        )
        .await;
        second.kill().unwrap();
        second.wait().unwrap();
        assert_eq!(filed().await, BURST, "{name}: none lost, none doubled");
        assert_eq!(
            db.count("SELECT COUNT(DISTINCT title) FROM suggestions")
                .await,
            BURST,
            "{name}"
        );
        assert_eq!(
            db.count("SELECT MAX(seq) FROM suggestions").await,
            BURST,
            "{name}: numbered without a gap"
        );
        assert_eq!(
            db.count("SELECT COUNT(*) FROM events").await,
            BURST,
            "{name}: one event each"
        );
        println!("{name}: killed after {at_kill} of {BURST} filings");
        sandbox.shutdown().await;
        db.finish().await;
    }
}
