//! The delivery worker against the Bot API sandbox over real HTTP, on both backends.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use minyi::config::Config;
use minyi::i18n::Lang;
use minyi::notify::worker::Worker;
use minyi::sandbox::{FaultKind, Faults, Sandbox, SandboxOptions};
use minyi::storage::Channel;
use tokio_util::sync::CancellationToken;

use crate::support::{TestDb, backends};

/// Queues `per_chat` numbered messages to each chat directly in the outbox; message `n`
/// reads "n dead letter(s) queued again." (a short en-US text with one argument).
pub async fn seed(db: &TestDb, chats: &[i64], per_chat: usize) {
    let mut values = Vec::new();
    for n in 0..per_chat {
        for chat in chats {
            values.push(format!(
                "(0, 0, 'telegram', '{chat}', 'en-US', 'outbox-retried', '[[\"count\",\"{n}\"]]')"
            ));
        }
    }
    for chunk in values.chunks(500) {
        let mut sql = String::from(
            "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args) VALUES ",
        );
        write!(sql, "{}", chunk.join(", ")).unwrap();
        db.exec(&sql).await.unwrap();
    }
}

pub fn worker(db: &TestDb, sandbox: &Sandbox, max_attempts: u32) -> Worker {
    let mut limits = Config::default().delivery;
    limits.max_attempts = max_attempts;
    let pacer = std::sync::Arc::new(minyi::telegram::pacer::Pacer::new(&limits));
    Worker {
        repo: db.repo.clone(),
        bot: minyi::telegram::client::bot(sandbox.token(), Some(sandbox.api_url())),
        limits,
        mirrors: Vec::new(),
        http: reqwest::Client::new(),
        default_lang: Lang::EnUs,
        idle_poll: Duration::from_millis(100),
        retry_base: Duration::from_millis(100),
        clock: std::sync::Arc::new(minyi::clock::SystemClock),
        metrics: minyi::metrics::Metrics::off(),
        pacer,
        wecom: None,
    }
}

/// Runs a worker until nothing is pending or being sent (or `patience` runs out).
pub async fn drain(db: &TestDb, worker: Worker, patience: Duration) {
    let stop = CancellationToken::new();
    let running = tokio::spawn(worker.run(stop.clone()));
    let start = Instant::now();
    loop {
        let open = open_rows(db).await;
        if open == 0 || start.elapsed() > patience {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stop.cancel();
    running.await.unwrap();
}

pub async fn open_rows(db: &TestDb) -> i64 {
    db.count("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')")
        .await
}

/// The message numbers each chat received, in order.
fn received(sandbox: &Sandbox) -> HashMap<i64, Vec<u32>> {
    let mut by_chat: HashMap<i64, Vec<u32>> = HashMap::new();
    for d in sandbox.delivered() {
        let n = d
            .text
            .split_whitespace()
            .next()
            .and_then(|w| w.parse().ok())
            .expect("numbered");
        by_chat.entry(d.chat_id).or_default().push(n);
    }
    by_chat
}

#[tokio::test]
async fn a_thousand_messages_to_two_hundred_chats_within_the_limits() {
    for db in backends().await {
        let sandbox = Sandbox::start(SandboxOptions {
            enforce_limits: true,
            ..Default::default()
        })
        .await
        .unwrap();
        let chats: Vec<i64> = (1..=200).collect();
        seed(&db, &chats, 5).await;
        drain(&db, worker(&db, &sandbox, 8), Duration::from_secs(120)).await;
        assert_eq!(
            db.count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'")
                .await,
            1000,
            "{}",
            db.name
        );
        assert_eq!(
            sandbox.count_status(429),
            0,
            "{}: the worker paces itself",
            db.name
        );
        let got = received(&sandbox);
        assert_eq!(got.len(), 200);
        for (chat, numbers) in got {
            assert_eq!(
                numbers,
                vec![0, 1, 2, 3, 4],
                "{}: chat {chat} in order",
                db.name
            );
        }
        sandbox.shutdown().await;
        db.finish().await;
    }
}

#[tokio::test]
async fn faults_are_retried_and_nothing_is_lost() {
    for db in backends().await {
        let faults = Faults {
            rate: 0.3,
            seed: 7,
            kinds: vec![
                FaultKind::BadGateway,
                FaultKind::Drop,
                FaultKind::ServerError,
            ],
        };
        let options = SandboxOptions {
            faults: Some(faults),
            ..Default::default()
        };
        let sandbox = Sandbox::start(options).await.unwrap();
        // Private chats and group chats (negative ids, 20 a minute each).
        let chats: Vec<i64> = (-20..=20).filter(|c| *c != 0).collect();
        seed(&db, &chats, 5).await;
        drain(&db, worker(&db, &sandbox, 4), Duration::from_secs(120)).await;
        let sent = db
            .count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'")
            .await;
        let dead = db
            .count("SELECT COUNT(*) FROM outbox WHERE state = 'dead'")
            .await;
        assert_eq!(sent + dead, 200, "{}: every row sent or dead", db.name);
        assert!(sent >= 150, "{}: most get through: {sent}", db.name);
        // Every row marked sent reached its chat.
        let got = received(&sandbox);
        let delivered: usize = got.values().map(Vec::len).sum();
        assert_eq!(
            delivered as i64, sent,
            "{}: every row marked sent reached its chat once",
            db.name
        );
        for (chat, numbers) in &got {
            let mut sorted = numbers.clone();
            sorted.sort();
            assert_eq!(&sorted, numbers, "{}: chat {chat} in order", db.name);
        }
        sandbox.shutdown().await;
        db.finish().await;
    }
}

#[tokio::test]
async fn a_blocked_or_missing_chat_is_a_dead_letter_at_once_and_retry_resends() {
    for db in backends().await {
        crate::support::roster(&db).await;
        let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
        sandbox.block_chat(42); // 403
        sandbox.remove_chat(44); // 400
        seed(&db, &[42, 43, 44], 1).await;
        drain(&db, worker(&db, &sandbox, 8), Duration::from_secs(30)).await;
        let mut dead = db.repo.dead_letters(10).await.unwrap();
        dead.sort_by(|a, b| a.target.cmp(&b.target));
        let targets: Vec<&str> = dead.iter().map(|d| d.target.as_str()).collect();
        assert_eq!(targets, ["42", "44"], "{}", db.name);
        assert!(
            dead[0].reason.to_lowercase().contains("blocked"),
            "{}",
            dead[0].reason
        );
        assert!(
            dead[1].reason.contains("chat not found"),
            "{}",
            dead[1].reason
        );
        for chat in [42, 44] {
            let tries = sandbox
                .calls()
                .iter()
                .filter(|c| c.chat_id == Some(chat))
                .count();
            assert_eq!(
                tries, 1,
                "{}: no retry of a 400 or 403 (chat {chat})",
                db.name
            );
        }
        // The admin (1010 in the fixture) was told of each, and got it.
        assert_eq!(sandbox.delivered_to(1010).len(), 2, "{}", db.name);
        assert_eq!(sandbox.delivered_to(43).len(), 1);

        sandbox.unblock_chat(42);
        sandbox.unblock_chat(44);
        assert_eq!(
            db.repo.retry_dead(None, chrono::Utc::now()).await.unwrap(),
            2
        );
        drain(&db, worker(&db, &sandbox, 8), Duration::from_secs(30)).await;
        for chat in [42, 44] {
            assert_eq!(
                sandbox.delivered_to(chat).len(),
                1,
                "{}: resent after retry",
                db.name
            );
        }
        sandbox.shutdown().await;
        db.finish().await;
    }
}

#[tokio::test]
async fn a_chat_that_never_answers_becomes_a_dead_letter_after_the_attempts() {
    for db in backends().await {
        let faults = Faults {
            rate: 1.0,
            seed: 1,
            kinds: vec![FaultKind::Drop],
        };
        let options = SandboxOptions {
            faults: Some(faults),
            ..Default::default()
        };
        let sandbox = Sandbox::start(options).await.unwrap();
        seed(&db, &[5], 1).await;
        drain(&db, worker(&db, &sandbox, 3), Duration::from_secs(30)).await;
        let dead = db.repo.dead_letters(10).await.unwrap();
        assert_eq!(dead.len(), 1, "{}", db.name);
        assert!(
            dead[0].reason.starts_with("network"),
            "{}: {}",
            db.name,
            dead[0].reason
        );
        let tries = sandbox
            .calls()
            .iter()
            .filter(|c| c.chat_id == Some(5))
            .count();
        assert_eq!(tries, 3, "{}: exactly the configured attempts", db.name);
        sandbox.shutdown().await;
        db.finish().await;
    }
}

#[tokio::test]
async fn long_texts_go_out_in_parts_without_a_400() {
    for db in backends().await {
        let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
        let body = "<b>x</b> & <script>\n".repeat(600);
        let args =
            serde_json::to_string(&[("no", "2026-0001"), ("title", "T"), ("text", body.as_str())])
                .unwrap();
        let sql = format!(
            "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args) \
             VALUES (0, 0, 'telegram', '7', 'en-US', 'notice-progress', '{}')",
            args.replace('\'', "''")
        );
        db.exec(&sql).await.unwrap();
        drain(&db, worker(&db, &sandbox, 3), Duration::from_secs(30)).await;
        assert_eq!(sandbox.count_status(400), 0, "{}", db.name);
        let parts = sandbox.delivered_to(7);
        assert!(parts.len() >= 2, "{}: {} parts", db.name, parts.len());
        let all: String = parts.iter().map(|p| p.text.as_str()).collect();
        // Sent escaped, so Telegram shows the user's text literally; none of it lost.
        let escaped = "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;";
        assert_eq!(all.matches(escaped).count(), 600, "{}", db.name);
        sandbox.shutdown().await;
        db.finish().await;
    }
}

#[tokio::test]
async fn a_failing_mirror_retries_without_holding_up_telegram() {
    use minyi::config::{Mirror, MirrorKind, Secret};
    use std::sync::atomic::{AtomicUsize, Ordering};
    for db in backends().await {
        // A DingTalk robot that fails twice, then takes the push; it checks the signature's
        // parameters are there.
        let hits = std::sync::Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let robot = axum::Router::new().route(
            "/robot/send",
            axum::routing::post(move |query: axum::extract::RawQuery| {
                let counter = counter.clone();
                async move {
                    let query = query.0.unwrap_or_default();
                    assert!(
                        query.contains("timestamp=") && query.contains("sign="),
                        "{query}"
                    );
                    if counter.fetch_add(1, Ordering::SeqCst) < 2 {
                        (axum::http::StatusCode::INTERNAL_SERVER_ERROR, String::new())
                    } else {
                        (
                            axum::http::StatusCode::OK,
                            r#"{"errcode":0,"errmsg":"ok"}"#.to_string(),
                        )
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, robot).await.unwrap() });

        let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
        seed(&db, &[7], 1).await;
        db.exec(
            "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args) \
             VALUES (0, 0, 'dingtalk', '0:G1', 'zh-CN', 'outbox-retried', '[[\"count\",\"1\"]]')",
        )
        .await
        .unwrap();
        let mut worker = worker(&db, &sandbox, 5);
        // The row was queued before mirrors had names: addressed `index:scope`, it still
        // reaches the mirror at that place with that scope.
        worker.mirrors = vec![Mirror {
            name: "g1-office".into(),
            scope: "G1".into(),
            kind: MirrorKind::DingTalk,
            url: Secret::new(format!("http://{address}/robot/send?access_token=abc")),
            secret: Some(Secret::new("SEC123")),
        }];
        drain(&db, worker, Duration::from_secs(30)).await;
        assert_eq!(sandbox.delivered_to(7).len(), 1, "{}", db.name);
        assert_eq!(
            hits.load(Ordering::SeqCst),
            3,
            "{}: two failures, then delivered",
            db.name
        );
        let rows = db.repo.outbox_after(0, 10).await.unwrap();
        let telegram = rows
            .iter()
            .find(|r| r.channel == Channel::Telegram)
            .unwrap();
        let dingtalk = Channel::Mirror(MirrorKind::DingTalk);
        let mirror = rows.iter().find(|r| r.channel == dingtalk).unwrap();
        assert_eq!(
            (telegram.state.as_str(), telegram.attempts),
            ("sent", 1),
            "{}",
            db.name
        );
        assert_eq!(
            (mirror.state.as_str(), mirror.attempts),
            ("sent", 3),
            "{}",
            db.name
        );
        sandbox.shutdown().await;
        db.finish().await;
    }
}

/// Telegram allows fewer messages than configured (it does not publish its limits): after the
/// first 429 every send waits and the pace comes down to what gets through, instead of each
/// chat waiting its own `retry_after` while the others keep sending into the limit.
#[tokio::test]
async fn a_lower_real_limit_brings_the_pace_down_without_a_storm() {
    for db in backends().await {
        let sandbox = Sandbox::start(SandboxOptions {
            enforce_limits: true,
            global_per_second: 5,
            ..Default::default()
        })
        .await
        .unwrap();
        // Sixty private chats, one message each, half of them read in Chinese.
        let chats: Vec<i64> = (1..=60).collect();
        seed(&db, &chats, 1).await;
        db.exec("UPDATE outbox SET lang = 'zh-CN' WHERE CAST(target AS INTEGER) % 2 = 0")
            .await
            .unwrap();
        let start = Instant::now();
        drain(&db, worker(&db, &sandbox, 8), Duration::from_secs(60)).await;
        let took = start.elapsed();
        let delivered = sandbox.delivered();
        assert_eq!(delivered.len(), 60, "{}: every message arrives", db.name);
        let chinese = delivered
            .iter()
            .filter(|d| d.text.starts_with("已重新排队"))
            .count();
        assert_eq!(chinese, 30, "{}: each in its reader's language", db.name);
        let ideal = Duration::from_secs(12);
        assert!(
            took <= ideal.mul_f64(1.5),
            "{}: {took:?} for 60 messages at 5 a second",
            db.name
        );
        let refused = sandbox.count_status(429);
        // One 429 cuts the pace for everyone; a handful at most, never one per message.
        assert!(
            refused <= 10,
            "{}: {refused} answers of 429 for 60 messages",
            db.name
        );
        println!(
            "{}: 60 messages at a real limit of 5/s in {took:.1?} (ideal 12 s), {refused} answers of 429",
            db.name
        );
        sandbox.shutdown().await;
        db.finish().await;
    }
}
