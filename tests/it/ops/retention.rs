//! The `outbox_retention` job: sent rows older than `delivery.retention_days` go, with their
//! files; what is still to send, what died, and the record (events, suggestions) stay.

use minyi::config::Config;
use minyi::jobs::{self, Job, JobCtx, Ran};

use crate::support::{backends, shanghai};

#[tokio::test]
async fn old_sent_rows_are_removed_and_the_record_stays() {
    for db in backends().await {
        let now = shanghai(2026, 6, 1, 3, 30);
        let day = 86_400_000_i64;
        let old = now.timestamp_millis() - 91 * day;
        let recent = now.timestamp_millis() - 89 * day;
        // (id, state, sent_at): old sent (one with a file), recent sent, old pending, old dead,
        // and an old sent row that was a dead letter once (sent again by `outbox retry`).
        for (id, state, sent) in [
            (1, "sent", Some(old)),
            (2, "sent", Some(old)),
            (3, "sent", Some(recent)),
            (4, "pending", None),
            (5, "dead", None),
            (6, "sent", Some(old)),
        ] {
            let sent = sent.map_or("NULL".to_string(), |t| t.to_string());
            db.exec(&format!(
                "INSERT INTO outbox (id, created_at, due_at, channel, target, lang, key, args, state, sent_at) \
                 VALUES ({id}, {old}, {old}, 'telegram', '7', 'zh-CN', 'outbox-retried', '[]', '{state}', {sent})"
            ))
            .await
            .unwrap();
        }
        db.exec(
            "INSERT INTO outbox_files (outbox_id, name, bytes) VALUES (2, 'ledger.xlsx', 'ledger')",
        )
        .await
        .unwrap();
        for outbox in [5, 6] {
            db.exec(&format!(
                "INSERT INTO dead_letters (outbox_id, reason, died_at) VALUES ({outbox}, 'blocked', {old})"
            ))
            .await
            .unwrap();
        }
        let config = Config::default();
        assert_eq!(config.delivery.retention_days, 90);
        let ctx = JobCtx::new(db.repo.as_ref(), &config);
        let ran = jobs::run(&ctx, Job::OutboxRetention, now, now)
            .await
            .unwrap();
        assert_eq!(ran, Ran::Sent(0), "{}: it sends nothing", db.name);
        let left: Vec<i64> = db
            .repo
            .outbox_after(0, 100)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(left, [3, 4, 5, 6], "{}", db.name);
        assert_eq!(db.count("SELECT COUNT(*) FROM outbox_files").await, 0);
        assert_eq!(db.count("SELECT COUNT(*) FROM dead_letters").await, 2);
        // The same run again is not run twice.
        let again = jobs::run(&ctx, Job::OutboxRetention, now, now)
            .await
            .unwrap();
        assert_eq!(again, Ran::Exists, "{}", db.name);
        db.finish().await;
    }
}
