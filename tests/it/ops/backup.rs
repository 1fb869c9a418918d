//! `minyi backup`: a SQLite copy made while minyi runs, restored, and minyi going on from it;
//! PostgreSQL's answer is the `pg_dump` command.

use std::time::Duration;

use minyi::sandbox::{Sandbox, SandboxOptions};

use super::{minyi, stdout};
use crate::bot::{DEPUTY, Live};
use crate::support::{postgres, sqlite};

/// Counts that must match between a database and its restored copy.
const TABLES: &[&str] = &[
    "people",
    "suggestions",
    "events",
    "outbox",
    "handled_updates",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_running_restores_and_minyi_goes_on_from_it() {
    let live = Live::start(sqlite().await).await;
    let step = live
        .say(DEPUTY, "/suggest Lamps\nHalf the street lamps are out.")
        .await;
    assert_eq!(step.number_to(DEPUTY, "2026-"), "2026-0001");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let copy_path = copy.to_str().unwrap().to_owned();
    // The running service keeps the database open and locked for `minyi run`.
    let url = live.db.url.clone();
    let made = tokio::task::spawn_blocking({
        let dir = dir.path().to_owned();
        move || minyi(&dir, &url, &[], &["backup", &copy_path])
    })
    .await
    .unwrap();
    assert!(made.status.success(), "{}", super::stderr(&made));
    assert!(stdout(&made).contains("Backup written to") || stdout(&made).contains("备份已写入"));
    let again = minyi(
        dir.path(),
        &live.db.url,
        &[],
        &["backup", copy.to_str().unwrap()],
    );
    assert_eq!(
        again.status.code(),
        Some(1),
        "an existing file is never overwritten"
    );

    // The restored copy holds the same rows.
    let restored_url = format!("sqlite://{}", copy.display());
    let restored = sqlx::SqlitePool::connect(&restored_url).await.unwrap();
    for table in TABLES {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let copied: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_one(&restored)
            .await
            .unwrap();
        assert_eq!(copied, live.db.count(&sql).await, "{table}");
    }
    restored.close().await;
    live.finish().await;

    // `minyi run` on the restored file goes on: the next number follows.
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let api = sandbox.api_url().to_string();
    let config = dir.path().join("minyi.toml");
    std::fs::write(&config, "bot_username = \"minyi_sandbox_bot\"\n").unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_minyi"))
        .arg("run")
        .current_dir(dir.path())
        .env("MINYI_CONFIG", &config)
        .env("MINYI_DATABASE_URL", &restored_url)
        .env("TELOXIDE_TOKEN", sandbox.token())
        .env("TELOXIDE_API_URL", &api)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let run = super::Running(run);
    // Telegram's update ids go on from where they were.
    sandbox.set_next_update_id(1000);
    sandbox.private_message(DEPUTY, "/suggest Benches\nThe park needs benches.");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !sandbox
        .delivered_to(DEPUTY)
        .iter()
        .any(|d| d.text.contains("2026-0002"))
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the restored copy did not go on: {:?}",
            sandbox.delivered_to(DEPUTY)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(run);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn postgres_backups_are_pg_dumps() {
    let Some(db) = postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let said = minyi(dir.path(), &db.url, &[], &["backup", "minyi.dump"]);
    assert_eq!(said.status.code(), Some(2));
    let text = stdout(&said);
    assert!(
        text.contains("pg_dump --format=custom --file=minyi.dump \"$MINYI_DATABASE_URL\""),
        "{text}"
    );
    assert!(
        !text.contains("postgres://"),
        "the URL is not printed: {text}"
    );
    // Given the URL in a file (a systemd credential, a Docker secret), the command reads it
    // from there.
    let file = dir.path().join("database-url");
    std::fs::write(&file, &db.url).unwrap();
    let said = std::process::Command::new(env!("CARGO_BIN_EXE_minyi"))
        .args(["backup", "minyi.dump"])
        .current_dir(dir.path())
        .env_remove("MINYI_CONFIG")
        .env_remove("MINYI_DATABASE_URL")
        .env("MINYI_DATABASE_URL_FILE", &file)
        .output()
        .unwrap();
    assert_eq!(said.status.code(), Some(2));
    let text = stdout(&said);
    assert!(
        text.contains(
            "pg_dump --format=custom --file=minyi.dump \"$(cat \"$MINYI_DATABASE_URL_FILE\")\""
        ),
        "{text}"
    );
    assert!(!text.contains("postgres://"), "{text}");
    db.finish().await;
}
