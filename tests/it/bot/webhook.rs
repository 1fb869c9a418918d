//! Webhook mode (`minyi run --webhook`): the sandbox POSTs updates to the service's webhook
//! with the secret token; a request without it changes nothing; a retried update is applied
//! once; with PostgreSQL, a replica that does not hold the lock serves updates too.

use std::time::Duration;

use minyi::bot::webhook::{SECRET_HEADER, secret};
use minyi::sandbox::{Sandbox, SandboxOptions};
use tokio_util::sync::CancellationToken;

use super::*;

/// A private text message update from `from`, as Telegram posts it.
fn message(update_id: i64, from: i64, text: &str) -> serde_json::Value {
    let command = text.split_whitespace().next().unwrap_or("").len();
    serde_json::json!({
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 1_770_000_000,
            "chat": { "id": from, "type": "private", "first_name": "D" },
            "from": { "id": from, "is_bot": false, "first_name": "D" },
            "text": text,
            "entities": [{ "type": "bot_command", "offset": 0, "length": command }]
        }
    })
}

async fn post(url: &str, secret: Option<&str>, body: &serde_json::Value) -> u16 {
    let mut request = reqwest::Client::new().post(url).json(body);
    if let Some(secret) = secret {
        request = request.header(SECRET_HEADER, secret);
    }
    request
        .send()
        .await
        .expect("the webhook answers")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_runs_over_a_webhook() {
    for db in crate::support::backends().await {
        let (live, url) = Live::start_webhook(db).await;
        let help = live.say(DEPUTY, "/help").await.text_to(DEPUTY);
        assert!(help.contains("/suggest"), "{}: {help}", live.db.name);
        let filed = live
            .say(DEPUTY, "/suggest Street lamps\nDark for a month.")
            .await;
        let no = live
            .db
            .count("SELECT COUNT(*) FROM suggestions WHERE title = 'Street lamps'")
            .await;
        assert_eq!(no, 1);
        // The leader hears of it through the outbox, delivered by the lock holder.
        assert!(
            filed.text_to(LEADER).contains("Street lamps"),
            "{:?}",
            filed.0
        );
        // The webhook was set where the service listens (the sandbox posts with the secret
        // it was given, and the service took those updates); nobody polled.
        assert_eq!(live.sandbox.webhook_url().as_deref(), Some(url.as_str()));
        let calls = live.sandbox.calls();
        assert!(calls.iter().any(|c| c.method == "setwebhook"));
        assert!(calls.iter().all(|c| c.method != "getupdates"));
        live.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_wants_its_secret_and_applies_a_retry_once() {
    for db in crate::support::backends().await {
        let (live, url) = Live::start_webhook(db).await;
        let token = secret(live.sandbox.token());
        let update = message(900, DEPUTY, "/suggest Once only\nBody");
        let count = || live.db.count("SELECT COUNT(*) FROM suggestions");
        assert_eq!(post(&url, None, &update).await, 401);
        assert_eq!(post(&url, Some("not the secret"), &update).await, 401);
        assert_eq!(count().await, 0, "{}", live.db.name);
        // Telegram retries what was not answered 2xx: the second time changes nothing.
        assert_eq!(post(&url, Some(&token), &update).await, 200);
        assert_eq!(post(&url, Some(&token), &update).await, 200);
        assert_eq!(count().await, 1);
        assert_eq!(live.db.count("SELECT COUNT(*) FROM events").await, 1);
        // Something that is no update is taken (so it is not sent again) and changes nothing.
        let junk = serde_json::json!({ "hello": "world" });
        assert_eq!(post(&url, Some(&token), &junk).await, 200);
        // Only the webhook's path is served.
        let elsewhere = url.replace("/telegram/hook", "/other");
        assert_eq!(post(&elsewhere, Some(&token), &update).await, 404);
        live.settle().await;
        assert_eq!(count().await, 1);
        live.finish().await;
    }
}

/// Two replicas behind a load balancer share one PostgreSQL database: the one without the
/// lock serves updates posted to it; the lock holder delivers the pushes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_without_the_lock_serves_updates_too() {
    let Some(db) = crate::support::postgres().await else {
        return;
    };
    let (live, _first) = Live::start_webhook(db).await;
    live.say(DEPUTY, "/help").await;
    // The second replica: its own listener, the same database and Bot API.
    let (mode, second) = webhook_mode().await;
    let stop = CancellationToken::new();
    let replica = spawn_with(
        &live.db,
        &live.sandbox,
        &live.config,
        &live.clock,
        &stop,
        Some(mode),
    );
    let token = secret(live.sandbox.token());
    let update = message(901, DEPUTY, "/suggest From the second replica\nBody");
    let mut status = 0;
    // The replica serves as soon as it listens; until then its port refuses.
    for _ in 0..50 {
        status = reqwest::Client::new()
            .post(&second)
            .header(SECRET_HEADER, &token)
            .json(&update)
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0);
        if status != 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200);
    live.settle().await;
    let filed = live
        .db
        .count("SELECT COUNT(*) FROM suggestions WHERE title = 'From the second replica'")
        .await;
    assert_eq!(filed, 1);
    let to_leader = live.sandbox.delivered_to(LEADER);
    assert!(
        to_leader
            .iter()
            .any(|d| d.text.contains("From the second replica")),
        "{to_leader:?}"
    );
    stop.cancel();
    replica.await.unwrap();
    live.finish().await;
}

/// The sandbox keeps an update until the webhook answers 2xx.
#[tokio::test]
async fn the_sandbox_posts_again_until_the_webhook_takes_an_update() {
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let url = format!(
        "http://127.0.0.1:{}/hook",
        listener.local_addr().unwrap().port()
    );
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&seen);
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap| {
            let counter = std::sync::Arc::clone(&counter);
            async move {
                assert_eq!(headers[SECRET_HEADER], "s3cret");
                // The first attempt fails; the second is taken.
                match counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                    0 => axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    _ => axum::http::StatusCode::OK,
                }
            }
        }),
    );
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let bot = sandbox.bot();
    use teloxide::payloads::SetWebhookSetters;
    use teloxide::prelude::Requester;
    bot.set_webhook(url.parse().unwrap())
        .secret_token("s3cret".to_string())
        .await
        .unwrap();
    sandbox.private_message(DEPUTY, "/help");
    for _ in 0..100 {
        if sandbox.pending_updates() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(sandbox.pending_updates(), 0);
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 2);
    server.abort();
}
