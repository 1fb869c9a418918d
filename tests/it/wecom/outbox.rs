//! The delivery worker's pushes to WeCom members, against the WeCom sandbox: WeCom's
//! per-member limits kept in a large fan-out (WeCom drops the excess silently, so the
//! sandbox counts what it would have dropped), a token that expires mid fan-out fetched
//! again once, and WeCom's rate answer (45009) waited out.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use minyi::sandbox::wecom::{WeComOptions, WeComSandbox};
use minyi::sandbox::{Sandbox, SandboxOptions};
use minyi::wecom::sender::Sender;

use crate::delivery::{open_rows, worker};
use crate::support::{TestDb, backends};

/// Queues `per_member` numbered texts to each member directly in the outbox.
async fn seed(db: &TestDb, members: &[String], per_member: usize) {
    let mut values = Vec::new();
    for n in 0..per_member {
        for member in members {
            values.push(format!(
                "(0, 0, 'wecom_app', '{member}', 'en-US', 'outbox-retried', '[[\"count\",\"{n}\"]]')"
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

/// 2,000 pushes to 50 members, 40 each: more than WeCom lets one member receive in a minute,
/// so the fan-out takes just over a minute, and WeCom never drops one. On the way the token
/// expires (fetched again once) and WeCom answers 45009 once (waited out, then sent).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fan_out_keeps_every_members_limits_through_an_expired_token_and_a_rate_answer() {
    for db in backends().await {
        let members: Vec<String> = (0..50).map(|i| format!("member{i:02}")).collect();
        let wecom = WeComSandbox::start(WeComOptions {
            members: members.clone(),
            ..WeComOptions::default()
        })
        .await
        .unwrap();
        let telegram = Sandbox::start(SandboxOptions::default()).await.unwrap();
        seed(&db, &members, 40).await;
        let mut sender = Sender::new(&wecom.config());
        // WeCom's counters are per minute; a test need not wait one out for a single 45009.
        sender.rate_pause = Duration::from_secs(2);
        let mut w = worker(&db, &telegram, 5);
        w.wecom = Some(Arc::new(sender));
        let stop = tokio_util::sync::CancellationToken::new();
        let running = tokio::spawn(w.run(stop.clone()));
        let started = Instant::now();
        let (mut expired, mut limited) = (false, false);
        loop {
            let sent = wecom.all_delivered().len();
            if !limited && sent >= 300 {
                wecom.fail_rate(1);
                limited = true;
            }
            if !expired && sent >= 700 {
                wecom.expire_token();
                expired = true;
            }
            if open_rows(&db).await == 0 || started.elapsed() > Duration::from_secs(150) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        stop.cancel();
        running.await.unwrap();
        let took = started.elapsed();
        let name = db.name;
        assert_eq!(open_rows(&db).await, 0, "{name}: rows left after {took:?}");
        assert_eq!(wecom.all_delivered().len(), 2000, "{name}");
        assert_eq!(
            wecom.limit_violations(),
            0,
            "{name}: {:?}",
            wecom.violations()
        );
        for member in &members {
            assert_eq!(wecom.delivered(member).len(), 40, "{name}: {member}");
            assert!(wecom.max_in_a_minute(member) <= 30, "{name}: {member}");
        }
        assert!(limited && expired, "{name}");
        // The first token, and one more after it expired.
        assert_eq!(wecom.tokens_fetched(), 2, "{name}");
        let dead = db.count("SELECT COUNT(*) FROM dead_letters").await;
        assert_eq!(dead, 0, "{name}");
        eprintln!("{name}: 2,000 WeCom pushes to 50 members in {took:.1?}");
        wecom.shutdown().await;
        telegram.shutdown().await;
        db.finish().await;
    }
}
