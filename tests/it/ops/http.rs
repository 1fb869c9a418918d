//! `/healthz`, `/readyz` and `/metrics` of a running service, read as a load balancer and
//! Prometheus would.

use std::time::Duration;

use super::{parse_metrics, value};
use crate::bot::{DEPUTY, LEADER, Live};
use crate::support::backends;

async fn get(url: &str) -> (u16, String) {
    let answer = reqwest::get(url).await.expect("the server answers");
    let status = answer.status().as_u16();
    (status, answer.text().await.unwrap())
}

/// Waits for `/readyz` to say 200 (the lock taken, the Bot API asked once).
async fn ready(base: &str) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = get(&format!("{base}/readyz")).await;
        if status == 200 {
            return body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never ready: {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_and_metrics_move_with_the_work() {
    for db in backends().await {
        let name = db.name;
        let (live, base) = Live::start_http(db).await;
        assert_eq!(get(&format!("{base}/healthz")).await, (200, "ok\n".into()));
        assert_eq!(ready(&base).await, "ready\n");

        let before = parse_metrics(&get(&format!("{base}/metrics")).await.1);
        let handled = |s: &[super::Sample]| {
            value(
                s,
                "minyi_updates_total",
                &[("kind", "command"), ("outcome", "handled")],
            )
        };
        let sent = |s: &[super::Sample]| {
            value(
                s,
                "minyi_sends_total",
                &[("channel", "telegram"), ("result", "sent")],
            )
        };
        // A suggestion filed and accepted: two commands, their pushes delivered.
        let step = live
            .say(DEPUTY, "/suggest Lamps\nHalf the street lamps are out.")
            .await;
        let no = step.number_to(DEPUTY, "2026-");
        live.say(LEADER, &format!("/review {no} accept")).await;
        live.say_in(crate::bot::G1_CHAT, DEPUTY, "/ban @spammer")
            .await;

        let after = parse_metrics(&get(&format!("{base}/metrics")).await.1);
        assert_eq!(handled(&after) - handled(&before), 2.0, "{name}");
        let ignored = |s: &[super::Sample]| {
            value(
                s,
                "minyi_updates_total",
                &[("kind", "command"), ("outcome", "ignored")],
            )
        };
        assert_eq!(
            ignored(&after) - ignored(&before),
            1.0,
            "{name}: another bot's command in a group"
        );
        let pushed = live
            .db
            .count("SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND channel = 'telegram'")
            .await;
        assert_eq!(
            sent(&after),
            pushed as f64,
            "{name}: every sent row counted once"
        );
        assert_eq!(
            value(
                &after,
                "minyi_outbox_rows",
                &[("state", "sent"), ("channel", "telegram")]
            ),
            pushed as f64,
            "{name}"
        );
        assert_eq!(value(&after, "minyi_lock_held", &[]), 1.0, "{name}");
        assert_eq!(value(&after, "minyi_dead_letters", &[]), 0.0, "{name}");
        assert_eq!(value(&after, "minyi_outbox_oldest_due_seconds", &[]), 0.0);
        let latency = value(&after, "minyi_update_seconds_count", &[("kind", "command")]);
        assert!(latency >= 3.0, "{name}: {latency}");
        let pool = value(&after, "minyi_db_connections", &[("state", "idle")])
            + value(&after, "minyi_db_connections", &[("state", "in_use")]);
        assert!(pool >= 1.0, "{name}: {pool}");
        assert!(
            value(&after, "minyi_bot_api_last_ok_age_seconds", &[]) < 60.0,
            "{name}"
        );

        // A schema behind this version: not ready, with the reason; the process still lives.
        live.db
            .exec("DELETE FROM _sqlx_migrations WHERE version = 6")
            .await
            .unwrap();
        let (status, body) = get(&format!("{base}/readyz")).await;
        assert_eq!(status, 503, "{name}");
        assert!(body.contains("migrations not applied: 6"), "{name}: {body}");
        assert_eq!(get(&format!("{base}/healthz")).await.0, 200);
        live.finish().await;
    }
}
