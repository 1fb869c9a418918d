//! The logs of a whole loop, as a real process writes them in JSON at debug level, with
//! Telegram dropping sends and a robot's server down: every line is one JSON object, and no
//! secret appears in any (the bot token, the webhook's secret token, a robot's key and signing
//! secret), not even in the errors of the network library.

use std::process::{Command, Stdio};
use std::time::Duration;

use axum::routing::post;
use minyi::sandbox::{FaultKind, Faults, Sandbox, SandboxOptions};

use super::Running;
use crate::support::{roster, sqlite};

const TOKEN: &str = "4242424242:AAHsEcReTtOkEnOfThEbOt0123456789abc";
const ROBOT_KEY: &str = "robotkey5ecret77";
const SIGN_SECRET: &str = "SEC0ddc0ffee5ecret";
const DOWN_ROBOT_KEY: &str = "downrobot0key0b5e";

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_loop_logs_json_lines_and_no_secret() {
    let db = sqlite().await;
    roster(&db).await;
    let sandbox = Sandbox::start(SandboxOptions {
        token: TOKEN.into(),
        ..Default::default()
    })
    .await
    .unwrap();
    // A DingTalk-style robot that takes everything.
    let robot = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let robot_addr = robot.local_addr().unwrap();
    let app = axum::Router::new().route(
        "/robot/send",
        post(|| async { axum::Json(serde_json::json!({"errcode": 0, "errmsg": "ok"})) }),
    );
    tokio::spawn(async move { axum::serve(robot, app).await });
    // A robot whose server is down: every push to it fails with a network error, which names
    // the URL it tried in reqwest's own words.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // And a Telegram that drops half the sends or answers them with a proxy's page.
    sandbox.set_faults(Some(Faults {
        rate: 0.5,
        seed: 11,
        kinds: vec![FaultKind::Drop, FaultKind::BadGateway],
    }));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("minyi.toml");
    std::fs::write(
        &config,
        format!(
            "bot_username = \"minyi_sandbox_bot\"\n[[mirrors]]\nscope = \"G1\"\nkind = \"dingtalk\"\n\
             url = \"http://{robot_addr}/robot/send?access_token={ROBOT_KEY}\"\nsecret = \"{SIGN_SECRET}\"\n\
             [[mirrors]]\nname = \"down\"\nscope = \"G1\"\nkind = \"wecom\"\n\
             url = \"http://127.0.0.1:{closed}/cgi-bin/webhook/send?key={DOWN_ROBOT_KEY}\"\n"
        ),
    )
    .unwrap();
    let http = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let hook = format!("http://{http}/telegram/hook");
    let child = Command::new(env!("CARGO_BIN_EXE_minyi"))
        .args(["run", "--http", &http.to_string(), "--webhook", &hook])
        .current_dir(dir.path())
        .env("MINYI_CONFIG", &config)
        .env("MINYI_DATABASE_URL", &db.url)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", sandbox.api_url().as_str())
        .env("RUST_LOG", "debug")
        .env("MINYI_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("minyi.log")).unwrap())
        .spawn()
        .unwrap();
    let mut running = Running(child);
    let log_file = dir.path().join("minyi.log");
    wait_for("the webhook set", || sandbox.webhook_url().is_some()).await;

    // The loop, each step by command: file, accept, assign, reply, rate.
    let steps = [
        (1001, "/suggest Lamps\nHalf the street lamps are out."),
        (1003, "/review 2026-0001 accept"),
        (1004, "/assign 2026-0001 U3"),
        (1012, "/reply 2026-0001 Lamps replaced."),
        (1001, "/rate 2026-0001 satisfied"),
    ];
    // A dropped answer is not sent again (the person asks again), so each step is waited for
    // by its event.
    for (i, (from, text)) in steps.iter().enumerate() {
        sandbox.private_message(*from, text);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while db.count("SELECT COUNT(*) FROM events").await <= i as i64 {
            if tokio::time::Instant::now() > deadline {
                let logs = std::fs::read_to_string(&log_file).unwrap_or_default();
                let tail: Vec<&str> = logs.lines().rev().take(40).collect();
                panic!(
                    "step {i} not answered: {:#?}\n{}",
                    sandbox.delivered(),
                    tail.join("\n")
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    wait_for("the loop closed", || {
        sandbox
            .delivered()
            .iter()
            .any(|d| d.text.contains("closed") || d.text.contains("已办结"))
    })
    .await;
    assert_eq!(db.count("SELECT COUNT(*) FROM events").await, 5);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mirrored = "SELECT COUNT(*) FROM outbox WHERE channel = 'dingtalk' AND state = 'sent'";
    while db.count(mirrored).await == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the robot was never told"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // SIGTERM, then every line read.
    let pid = running.0.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let mut child = std::mem::replace(&mut running.0, Command::new("true").spawn().unwrap());
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "minyi run stops cleanly on SIGTERM");
    let logs = std::fs::read_to_string(&log_file).expect("UTF-8 logs");
    let webhook_secret = minyi::bot::webhook::secret(TOKEN);
    let token_secret = TOKEN.split_once(':').unwrap().1;
    let lines: Vec<&str> = logs.lines().collect();
    assert!(
        lines.len() > 50,
        "debug logs of a whole loop: {} lines",
        lines.len()
    );
    for line in &lines {
        let object: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            object.get("level").is_some() && object.get("fields").is_some(),
            "{line}"
        );
        for secret in [
            token_secret,
            &webhook_secret,
            ROBOT_KEY,
            SIGN_SECRET,
            DOWN_ROBOT_KEY,
        ] {
            assert!(!line.contains(secret), "a secret in the logs: {line}");
        }
    }
    // The faults were met, and logged.
    let down = "tcp connect error";
    assert!(
        lines
            .iter()
            .any(|l| l.contains("send failed; will retry") && l.contains(down)),
        "the robot that is down"
    );
    let telegram_faults = lines
        .iter()
        .filter(|l| {
            l.contains("send failed; will retry")
                || l.contains("failed on the way; trying again")
                || l.contains("cannot answer")
        })
        .filter(|l| !l.contains(down))
        .count();
    assert!(telegram_faults > 0, "Telegram's faults");
    // The spans name what a line belongs to.
    assert!(
        lines
            .iter()
            .any(|l| l.contains("\"name\":\"update\"") && l.contains("\"id\":")),
        "update spans"
    );
    sandbox.shutdown().await;
    db.finish().await;
}
