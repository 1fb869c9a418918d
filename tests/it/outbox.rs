//! The outbox as the delivery worker uses it, on both backends: claims keep each chat's
//! order, leases bring back a dead worker's rows, retries wait, dead letters tell the admins.

use chrono::Duration;
use minyi::domain::Draft;
use minyi::storage::{LoopPolicy, OutboxRow, OutboxState, Who};

use crate::support::{TestDb, backends, roster, shanghai};

/// The worker of these tests, and another one.
const W: i64 = 1;
const OTHER: i64 = 2;

async fn file_three(db: &TestDb) {
    for title in ["One", "Two", "Three"] {
        let draft = Draft {
            title: title.into(),
            body: String::new(),
            category: "other".into(),
            group: None,
            attachment: Default::default(),
        };
        let at = shanghai(2026, 2, 1, 9, 0);
        db.repo
            .file(&LoopPolicy::default(), Who::Telegram(1001), draft, at, None)
            .await
            .unwrap();
    }
}

fn targets(rows: &[OutboxRow]) -> Vec<(&str, i64)> {
    rows.iter().map(|r| (r.target.as_str(), r.id)).collect()
}

#[tokio::test]
async fn claims_keep_each_chats_order_and_leases_expire() {
    for db in backends().await {
        roster(&db).await;
        file_three(&db).await;
        // Three rows for the leader (1003) and three for the group chat (-100).
        let all = db.repo.outbox_after(0, 100).await.unwrap();
        assert_eq!(all.len(), 6, "{}", db.name);
        let now = shanghai(2026, 2, 1, 9, 1);
        let lease = now + Duration::seconds(60);
        let first = db.repo.claim_outbox(W, now, lease, 100).await.unwrap();
        assert_eq!(
            first.len(),
            2,
            "{}: one row per chat: {:?}",
            db.name,
            targets(&first)
        );
        assert!(first.iter().all(|r| r.attempts == 1));
        let leader_rows: Vec<i64> = all
            .iter()
            .filter(|r| r.target == "1003")
            .map(|r| r.id)
            .collect();
        assert!(first.iter().any(|r| r.id == leader_rows[0]));
        // Nothing more while the heads are out.
        assert!(
            db.repo
                .claim_outbox(W, now, lease, 100)
                .await
                .unwrap()
                .is_empty()
        );
        // The leader's first is sent: their second comes next.
        db.repo
            .outbox_sent(W, leader_rows[0], Some(11), now)
            .await
            .unwrap();
        let next = db.repo.claim_outbox(W, now, lease, 100).await.unwrap();
        assert_eq!(
            next.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![leader_rows[1]]
        );
        // A worker died holding rows: after the lease they come back, attempt 2.
        let later = lease + Duration::seconds(1);
        let again = db
            .repo
            .claim_outbox(OTHER, later, later + Duration::seconds(60), 100)
            .await
            .unwrap();
        assert_eq!(again.len(), 2, "{}: {:?}", db.name, targets(&again));
        assert!(again.iter().all(|r| r.attempts == 2), "{again:?}");
        // The first worker comes back late: its result no longer counts.
        let late = &again[0];
        db.repo
            .outbox_sent(W, late.id, Some(99), later)
            .await
            .unwrap();
        db.repo
            .outbox_retry(W, late.id, "late", later, true)
            .await
            .unwrap();
        let row = db
            .repo
            .outbox_after(late.id - 1, 1)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(
            (row.state.as_str(), row.attempts),
            ("sending", 2),
            "{}",
            db.name
        );
        db.repo
            .outbox_sent(OTHER, late.id, Some(12), later)
            .await
            .unwrap();
        let row = db
            .repo
            .outbox_after(late.id - 1, 1)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(row.state, OutboxState::Sent, "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn retries_wait_and_dead_letters_tell_the_admins() {
    for db in backends().await {
        roster(&db).await;
        file_three(&db).await;
        let now = shanghai(2026, 2, 1, 9, 1);
        let lease = now + Duration::seconds(60);
        let claimed = db.repo.claim_outbox(W, now, lease, 100).await.unwrap();
        let (to_leader, to_group) = if claimed[0].target == "1003" {
            (&claimed[0], &claimed[1])
        } else {
            (&claimed[1], &claimed[0])
        };
        // A 429 does not use up an attempt; the row waits until due.
        let due = now + Duration::seconds(30);
        db.repo
            .outbox_retry(W, to_leader.id, "rate limited (429)", due, false)
            .await
            .unwrap();
        let early = db
            .repo
            .claim_outbox(W, now + Duration::seconds(29), lease, 100)
            .await
            .unwrap();
        assert!(
            early.iter().all(|r| r.target != "1003"),
            "{}: {:?}",
            db.name,
            targets(&early)
        );
        let on_time = db
            .repo
            .claim_outbox(W, due, due + Duration::seconds(60), 100)
            .await
            .unwrap();
        let row = on_time
            .iter()
            .find(|r| r.id == to_leader.id)
            .expect("due again");
        assert_eq!(row.attempts, 1, "the 429 was not counted");
        assert_eq!(row.last_error.as_deref(), Some("rate limited (429)"));

        // The group chat blocked the bot: dead at once, and the admin (1010) is told.
        let reason = "Forbidden: bot was blocked by the user";
        db.repo
            .outbox_dead(W, to_group.id, reason, now, minyi::i18n::Lang::ZhCn)
            .await
            .unwrap();
        let dead = db.repo.dead_letters(10).await.unwrap();
        assert_eq!(dead.len(), 1);
        assert_eq!(
            (dead[0].outbox_id, dead[0].reason.as_str()),
            (to_group.id, reason)
        );
        let rows = db.repo.outbox_after(0, 100).await.unwrap();
        let admin = rows
            .iter()
            .find(|r| r.key == "outbox-dead-admin")
            .expect("admin told");
        assert_eq!(admin.target, "1010");
        assert!(admin.args.iter().any(|(k, v)| k == "reason" && v == reason));
        // A dead row no longer holds its chat back.
        let next = db
            .repo
            .claim_outbox(W, due, due + Duration::seconds(60), 100)
            .await
            .unwrap();
        assert!(
            next.iter().any(|r| r.target == "-100"),
            "{}: {:?}",
            db.name,
            targets(&next)
        );

        let status = db.repo.outbox_status().await.unwrap();
        assert!(status.contains(&("dead".to_string(), 1)), "{status:?}");
        assert_eq!(db.repo.retry_dead(None, due).await.unwrap(), 1);
        assert!(db.repo.dead_letters(10).await.unwrap().is_empty());
        assert_eq!(db.repo.retry_dead(Some(to_group.id), due).await.unwrap(), 0);
        db.finish().await;
    }
}

#[tokio::test]
async fn mirrors_of_a_reached_scope_get_their_own_rows() {
    use minyi::domain::{Action, Level, SuggestionNo};
    use minyi::storage::{Channel, MirrorKind, MirrorRoute, Request};
    for db in backends().await {
        roster(&db).await;
        let route = |name: &str, scope: &str, kind: &str| MirrorRoute {
            name: name.into(),
            scope: scope.into(),
            kind: MirrorKind::parse(kind).unwrap(),
        };
        let policy = LoopPolicy {
            mirrors: vec![
                route("g1-office", "G1", "dingtalk"),
                route("wecom-U3", "U3", "wecom"),
                route("g2", "G2", "feishu"),
            ],
            ..LoopPolicy::default()
        };
        let draft = Draft {
            title: "Mirrored".into(),
            body: String::new(),
            category: "other".into(),
            group: None,
            attachment: Default::default(),
        };
        let t = shanghai(2026, 2, 1, 9, 0);
        db.repo
            .file(&policy, Who::Telegram(1001), draft, t, None)
            .await
            .unwrap();
        let no = SuggestionNo::new(2026, 1);
        let accept = Request::Action(Action::Accept {
            level: Some(Level::Town),
        });
        db.repo
            .act(&policy, Who::Telegram(1003), no, accept, t, None)
            .await
            .unwrap();
        let assign = Request::Assign {
            lead: "U3".into(),
            co: vec![],
            days: None,
            level: None,
        };
        db.repo
            .act(&policy, Who::Telegram(1004), no, assign, t, None)
            .await
            .unwrap();
        let rows = db.repo.outbox_after(0, 100).await.unwrap();
        let mirrored: Vec<(&str, &str, &str)> = rows
            .iter()
            .filter(|r| r.channel != Channel::Telegram)
            .map(|r| (r.channel.as_str(), r.target.as_str(), r.key.as_str()))
            .collect();
        assert_eq!(
            mirrored,
            vec![
                ("dingtalk", "g1-office:G1", "notice-filed-group"),
                ("dingtalk", "g1-office:G1", "notice-accepted"),
                ("dingtalk", "g1-office:G1", "notice-assigned"),
                ("wecom", "wecom-U3:U3", "notice-assigned-unit"),
            ],
            "{}: G2's mirror hears nothing of G1",
            db.name
        );
        db.finish().await;
    }
}

/// Messages still waiting when minyi is upgraded to typed asks (migration 6) keep the buttons
/// their key stood for; sent messages and mirrors are left as they were.
#[tokio::test]
async fn an_upgrade_keeps_the_buttons_of_waiting_messages() {
    use minyi::domain::{Ask, ResidentNo, SuggestionNo};
    for db in crate::support::backends_at(Some(5)).await {
        let row = |state: &str, channel: &str, key: &str, args: &str| {
            format!(
                "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args, state) \
                 VALUES (0, 0, '{channel}', '7', 'zh-CN', '{key}', '{args}', '{state}')"
            )
        };
        let no = r#"[["no","2026-0042"],["title","Lamps"]]"#;
        for sql in [
            row("pending", "telegram", "notice-filed-leader", no),
            row("sending", "telegram", "notice-remind-assign", no),
            row(
                "pending",
                "telegram",
                "notice-accepted-clerk",
                r#"[["no","2026-0042"],["level","higher"]]"#,
            ),
            row(
                "pending",
                "telegram",
                "notice-accepted-clerk",
                r#"[["no","2026-0042"],["level","town"]]"#,
            ),
            row("pending", "telegram", "notice-replied-rate", no),
            row("pending", "telegram", "notice-resident-closed", no),
            row(
                "pending",
                "telegram",
                "notice-request-new",
                r#"[["request","R-2026-0007"],["text","x"]]"#,
            ),
            row("sent", "telegram", "notice-filed-leader", no),
            row("pending", "wecom", "notice-filed-leader", no),
            row("pending", "telegram", "notice-assigned", no),
        ] {
            db.exec(&sql).await.unwrap();
        }
        db.repo.migrate().await.unwrap();
        let asks: Vec<Option<Ask>> = db
            .repo
            .outbox_after(0, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.ask)
            .collect();
        let no = SuggestionNo::new(2026, 42);
        assert_eq!(
            asks,
            [
                Some(Ask::Review(no)),
                Some(Ask::Assign(no)),
                None,
                Some(Ask::Assign(no)),
                Some(Ask::Rate(no)),
                Some(Ask::Solved(no)),
                Some(Ask::AdoptOrDecline(ResidentNo::new(2026, 7))),
                None,
                None,
                None,
            ],
            "{}",
            db.name
        );
        db.finish().await;
    }
}

/// A claimed row that does not read (a value this version does not know) is a dead letter
/// with the reason, and the rows claimed with it still go out.
#[tokio::test]
async fn a_row_that_does_not_read_is_a_dead_letter_not_a_stuck_claim() {
    for db in backends().await {
        for (target, ask) in [("7", "vote:2026-0001"), ("8", "rate:2026-0001")] {
            db.exec(&format!(
                "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args, ask) \
                 VALUES (0, 0, 'telegram', '{target}', 'zh-CN', 'notice-remind-rate', \
                 '[[\"no\",\"2026-0001\"]]', '{ask}')"
            ))
            .await
            .unwrap();
        }
        let t = shanghai(2026, 1, 5, 9, 0);
        let claimed = db
            .repo
            .claim_outbox(W, t, t + Duration::minutes(1), 10)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1, "{}", db.name);
        assert_eq!(claimed[0].target, "8");
        let dead = db.repo.dead_letters(10).await.unwrap();
        assert_eq!(dead.len(), 1, "{}", db.name);
        assert!(
            dead[0].reason.contains("vote:2026-0001"),
            "{}",
            dead[0].reason
        );
        db.finish().await;
    }
}
