//! The closed loop through the repositories, on both backends: every transition commits its
//! state, event and outbox rows together, or nothing.

use chrono::Duration;
use minyi::domain::{Action, Draft, Level, Outcome, Rating, Refusal, State, SuggestionNo};
use minyi::storage::{ActError, Applied, LoopPolicy, Request, Who};

use crate::support::people::*;
use crate::support::{TestDb, backends, roster, shanghai};

fn draft(title: &str) -> Draft {
    Draft {
        title: title.into(),
        body: "The street lamps on Renmin Road have been dark for a month.".into(),
        category: "governance".into(),
        group: None,
        attachment: Default::default(),
    }
}

async fn file(db: &TestDb, who: Who, title: &str) -> SuggestionNo {
    let policy = LoopPolicy::default();
    match db
        .repo
        .file(
            &policy,
            who,
            draft(title),
            shanghai(2026, 1, 5, 10, 0),
            None,
        )
        .await
    {
        Ok(Applied::Done {
            no,
            state: State::Submitted,
            ..
        }) => no,
        other => panic!("{}: filing gave {other:?}", db.name),
    }
}

async fn act(
    db: &TestDb,
    who: Who,
    no: SuggestionNo,
    request: Request,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Applied, ActError> {
    db.repo
        .act(&LoopPolicy::default(), who, no, request, at, None)
        .await
}

fn a(action: Action) -> Request {
    Request::Action(action)
}

/// The chats (and message keys) queued since outbox id `after`.
async fn pushes(db: &TestDb, after: i64) -> (Vec<(String, String)>, i64) {
    let rows = db.repo.outbox_after(after, 1000).await.unwrap();
    let last = rows.last().map_or(after, |r| r.id);
    (rows.into_iter().map(|r| (r.target, r.key)).collect(), last)
}

fn has(pushes: &[(String, String)], chat: &str, key: &str) -> bool {
    pushes.iter().any(|(c, k)| c == chat && k == key)
}

#[tokio::test]
async fn the_whole_loop_with_key_supervision_and_explanation() {
    for db in backends().await {
        roster(&db).await;
        let no = file(&db, tg(D1), "Fix the street lamps").await;
        assert_eq!(no, SuggestionNo::new(2026, 1), "{}", db.name);
        let (p, last) = pushes(&db, 0).await;
        assert!(has(&p, "1003", "notice-filed-leader"), "{}: {p:?}", db.name);
        assert!(has(&p, "-100", "notice-filed-group"), "{}: {p:?}", db.name);

        let t = shanghai(2026, 1, 6, 9, 0);
        let done = act(
            &db,
            tg(L1),
            no,
            a(Action::Accept {
                level: Some(Level::District),
            }),
            t,
        )
        .await
        .unwrap();
        assert!(matches!(
            done,
            Applied::Done {
                state: State::Accepted,
                ..
            }
        ));
        let s = db.repo.suggestion(no).await.unwrap().unwrap();
        assert_eq!(
            s.deadline,
            Some(shanghai(2026, 1, 11, 23, 59) + Duration::seconds(59)),
            "district: 5 days"
        );
        let (p, last) = pushes(&db, last).await;
        // A district-level matter goes to the district's clerk, not the town's.
        assert!(
            has(&p, "1005", "notice-accepted-clerk") && !p.iter().any(|(c, _)| c == "1004"),
            "{}: {p:?}",
            db.name
        );
        assert!(has(&p, "1001", "notice-accepted") && has(&p, "-100", "notice-accepted"));

        let assign = Request::Assign {
            lead: "U1".into(),
            co: vec!["U2".into()],
            days: None,
            level: None,
        };
        // The town clerk may not hand it to the district's units; the district clerk may.
        let refused = act(&db, tg(K1), no, assign.clone(), t).await;
        assert!(
            matches!(refused, Err(ActError::Refused(Refusal::UnitOutOfScope))),
            "{}: {refused:?}",
            db.name
        );
        act(&db, tg(KC), no, assign, t).await.unwrap();
        let s = db.repo.suggestion(no).await.unwrap().unwrap();
        assert_eq!(s.state, State::Assigned);
        assert_eq!(
            s.deadline,
            Some(shanghai(2026, 3, 7, 23, 59) + Duration::seconds(59)),
            "joint: 60 days"
        );
        let (p, last) = pushes(&db, last).await;
        // The lead unit U1's contact and chat; the co-unit U2's contact in its own words.
        for (chat, key) in [
            ("1008", "notice-assigned-unit"),
            ("-200", "notice-assigned-unit"),
            ("1009", "notice-assigned-co-unit"),
        ] {
            assert!(has(&p, chat, key), "{}: {chat} in {p:?}", db.name);
        }

        act(
            &db,
            tg(UB),
            no,
            a(Action::Progress {
                text: "Surveyed the lamps".into(),
            }),
            t,
        )
        .await
        .unwrap();
        let refused = act(
            &db,
            tg(UB),
            no,
            a(Action::Reply {
                text: "co-units do not reply".into(),
            }),
            t,
        )
        .await;
        assert!(
            matches!(refused, Err(ActError::Refused(Refusal::OutOfScope))),
            "{refused:?}"
        );
        act(
            &db,
            tg(UA),
            no,
            a(Action::Reply {
                text: "Lamps replaced".into(),
            }),
            t,
        )
        .await
        .unwrap();
        let (p, last) = pushes(&db, last).await;
        assert!(
            has(&p, "1001", "notice-progress") && has(&p, "1001", "notice-replied-rate"),
            "{p:?}"
        );

        act(
            &db,
            tg(D1),
            no,
            a(Action::Rate {
                rating: Rating::Unsatisfied,
            }),
            t,
        )
        .await
        .unwrap();
        let s = db.repo.suggestion(no).await.unwrap().unwrap();
        assert!(s.supervised && s.state == State::Assigned);
        assert_eq!(
            s.deadline,
            Some(shanghai(2026, 2, 5, 23, 59) + Duration::seconds(59)),
            "key supervision: 30 days"
        );
        let (p, last) = pushes(&db, last).await;
        assert!(
            has(&p, "1007", "notice-key-supervision-chair"),
            "{}: {p:?}",
            db.name
        );

        act(
            &db,
            tg(UA),
            no,
            a(Action::Reply {
                text: "Lamps replaced again".into(),
            }),
            t,
        )
        .await
        .unwrap();
        act(
            &db,
            tg(D1),
            no,
            a(Action::Rate {
                rating: Rating::Unsatisfied,
            }),
            t,
        )
        .await
        .unwrap();
        assert_eq!(
            db.repo.suggestion(no).await.unwrap().unwrap().state,
            State::Explaining
        );
        act(
            &db,
            tg(UA),
            no,
            a(Action::Explain {
                text: "The grid is being rebuilt in May".into(),
            }),
            t,
        )
        .await
        .unwrap();
        let s = db.repo.suggestion(no).await.unwrap().unwrap();
        assert_eq!(
            (s.state, s.outcome),
            (State::Closed, Some(Outcome::Explained))
        );
        let (p, _) = pushes(&db, last).await;
        assert!(
            has(&p, "-100", "notice-explained"),
            "published to the group: {p:?}"
        );

        let kinds: Vec<&str> = db
            .repo
            .timeline(Who::System, no)
            .await
            .unwrap()
            .iter()
            .map(|e| e.kind.as_str())
            .collect();
        assert_eq!(
            kinds,
            [
                "filed",
                "accepted",
                "assigned",
                "progress",
                "replied",
                "key-supervision",
                "replied",
                "explanation-required",
                "explained"
            ],
            "{}",
            db.name
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn refusals_change_nothing_and_hidden_numbers_read_as_unknown() {
    for db in backends().await {
        roster(&db).await;
        let no = file(&db, tg(D1), "Bus stop shelter").await;
        let t = shanghai(2026, 1, 6, 9, 0);
        let before = (
            db.count("SELECT COUNT(*) FROM events").await,
            db.count("SELECT COUNT(*) FROM outbox").await,
        );
        let cases: Vec<(Who, Request, &str)> = vec![
            (tg(D2), a(Action::Accept { level: None }), "unknown"), // another deputy cannot even see it
            (tg(D1), a(Action::Accept { level: None }), "role"),
            (tg(K1), a(Action::Accept { level: None }), "role"),
            (
                tg(L1),
                a(Action::Return {
                    reason: "  ".into(),
                }),
                "reason",
            ),
            (tg(L1), a(Action::Reply { text: "x".into() }), "role"),
            (
                tg(K1),
                Request::Assign {
                    lead: "U1".into(),
                    co: vec![],
                    days: None,
                    level: None,
                },
                "state",
            ),
            (
                tg(K1),
                Request::Assign {
                    lead: "NOPE".into(),
                    co: vec![],
                    days: None,
                    level: None,
                },
                "unit",
            ),
            (tg(D3), a(Action::Withdraw), "unknown"),
            (Who::Telegram(999_999), a(Action::Withdraw), "person"),
        ];
        for (who, request, want) in cases {
            let got = act(&db, who, no, request.clone(), t).await;
            let ok = match (want, &got) {
                ("unknown", Err(ActError::UnknownSuggestion(n))) => *n == no,
                ("role", Err(ActError::Refused(Refusal::NotYourRole))) => true,
                ("reason", Err(ActError::Refused(Refusal::ReasonRequired))) => true,
                ("state", Err(ActError::Refused(Refusal::WrongState(State::Submitted)))) => true,
                ("unit", Err(ActError::UnknownUnit(code))) => code == "NOPE",
                ("person", Err(ActError::UnknownPerson)) => true,
                _ => false,
            };
            assert!(
                ok,
                "{}: {who:?} {request:?}: wanted {want}, got {got:?}",
                db.name
            );
        }
        let unknown = act(
            &db,
            tg(L1),
            SuggestionNo::new(2026, 99),
            a(Action::Withdraw),
            t,
        )
        .await;
        assert!(matches!(unknown, Err(ActError::UnknownSuggestion(_))));
        let after = (
            db.count("SELECT COUNT(*) FROM events").await,
            db.count("SELECT COUNT(*) FROM outbox").await,
        );
        assert_eq!(before, after, "{}: a refusal wrote something", db.name);
        assert_eq!(
            db.repo.suggestion(no).await.unwrap().unwrap().state,
            State::Submitted
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn a_failure_in_the_middle_leaves_nothing() {
    for db in backends().await {
        roster(&db).await;
        let no = file(&db, tg(D1), "Pavement").await;
        // The state update and the event are written before the outbox: make the outbox fail.
        if db.is_postgres() {
            db.exec("CREATE FUNCTION fail_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$").await.unwrap();
            db.exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION fail_outbox()").await.unwrap();
        } else {
            db.exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'injected'); END").await.unwrap();
        }
        let events = db.count("SELECT COUNT(*) FROM events").await;
        let got = db
            .repo
            .act(
                &LoopPolicy::default(),
                tg(L1),
                no,
                a(Action::Accept { level: None }),
                shanghai(2026, 1, 6, 9, 0),
                Some(77),
            )
            .await;
        assert!(
            matches!(got, Err(ActError::Store(_))),
            "{}: {got:?}",
            db.name
        );
        assert_eq!(
            db.repo.suggestion(no).await.unwrap().unwrap().state,
            State::Submitted,
            "{}",
            db.name
        );
        assert_eq!(db.count("SELECT COUNT(*) FROM events").await, events);
        assert_eq!(
            db.count("SELECT COUNT(*) FROM handled_updates").await,
            0,
            "the update id rolled back too"
        );
        // A filing fails whole as well: no number is used up.
        let filed = db
            .repo
            .file(
                &LoopPolicy::default(),
                tg(D1),
                draft("Second"),
                shanghai(2026, 1, 6, 9, 0),
                None,
            )
            .await;
        assert!(filed.is_err());
        assert_eq!(db.count("SELECT COUNT(*) FROM suggestions").await, 1);
        let drop = if db.is_postgres() {
            "DROP TRIGGER fail_outbox ON outbox"
        } else {
            "DROP TRIGGER fail_outbox"
        };
        db.exec(drop).await.unwrap();
        assert_eq!(
            file(&db, tg(D1), "Third").await,
            SuggestionNo::new(2026, 2),
            "{}",
            db.name
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn fifty_concurrent_filings_get_fifty_consecutive_numbers() {
    for db in backends().await {
        roster(&db).await;
        let mut tasks = Vec::new();
        for i in 0..50 {
            let repo = db.repo.clone();
            tasks.push(tokio::spawn(async move {
                let who = if i % 2 == 0 { tg(D1) } else { tg(D2) };
                repo.file(
                    &LoopPolicy::default(),
                    who,
                    draft(&format!("Concurrent {i}")),
                    shanghai(2026, 3, 1, 10, 0),
                    None,
                )
                .await
            }));
        }
        let mut seqs = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(Applied::Done { no, .. }) => seqs.push(no.seq),
                other => panic!("{}: {other:?}", db.name),
            }
        }
        seqs.sort();
        assert_eq!(seqs, (1..=50).collect::<Vec<u32>>(), "{}", db.name);
        db.finish().await;
    }
}

/// Filings that wait for the same lock are written in one transaction (group commit): a
/// refused one and a redelivered one change nothing and the others go on; one that fails
/// after writing is rolled back with the transaction and the others are written again. They
/// keep gapless numbers, their events and their pushes.
#[tokio::test]
async fn filings_written_together_keep_each_its_own_outcome() {
    for db in backends().await {
        roster(&db).await;
        let at = shanghai(2026, 3, 2, 10, 0);
        file(&db, tg(D1), "The year's first").await;
        let pushed = db.count("SELECT COUNT(*) FROM outbox").await;
        // A fault the database raises for one filing's record only.
        if db.is_postgres() {
            db.exec("CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$").await.unwrap();
            db.exec("CREATE TRIGGER poison BEFORE INSERT ON suggestions FOR EACH ROW WHEN (NEW.title = 'Poison') EXECUTE FUNCTION poison()").await.unwrap();
        } else {
            db.exec("CREATE TRIGGER poison BEFORE INSERT ON suggestions WHEN NEW.title = 'Poison' BEGIN SELECT RAISE(ABORT, 'injected'); END").await.unwrap();
        }
        let held = db.hold_numbers(2026).await;
        let mut filings: Vec<(Who, &str, Option<i64>)> = (0..10)
            .map(|i| {
                (
                    tg(if i % 2 == 0 { D1 } else { D2 }),
                    "Together",
                    Some(100 + i),
                )
            })
            .collect();
        filings.extend([
            (tg(D2), "Redelivered", Some(100)),
            (Who::Telegram(424_242), "Stranger", Some(200)),
            (tg(UA), "Not a deputy", Some(201)),
            (tg(D1), "Poison", Some(202)),
        ]);
        let mut tasks = Vec::new();
        for (who, title, update) in filings {
            let repo = db.repo.clone();
            tasks.push(tokio::spawn(async move {
                let got = repo
                    .file(&LoopPolicy::default(), who, draft(title), at, update)
                    .await;
                (title, got)
            }));
        }
        // Every filing queues behind the held lock, then they are written together.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        held.release().await;
        let (mut seqs, mut queued, mut duplicates) = (Vec::new(), 0, 0);
        for task in tasks {
            match task.await.unwrap() {
                (_, Ok(Applied::Done { no, queued: q, .. })) => {
                    seqs.push(no.seq);
                    queued += q as i64;
                }
                (_, Ok(Applied::Duplicate)) => duplicates += 1,
                ("Stranger", Err(ActError::UnknownPerson)) => {}
                ("Not a deputy", Err(ActError::Refused(_))) => {}
                ("Poison", Err(ActError::Store(_))) => {}
                other => panic!("{}: {other:?}", db.name),
            }
        }
        seqs.sort();
        assert_eq!(seqs, (2..=11).collect::<Vec<u32>>(), "{}", db.name);
        assert_eq!(duplicates, 1, "{}: update 100 applied once", db.name);
        assert_eq!(db.count("SELECT COUNT(*) FROM suggestions").await, 11);
        assert_eq!(db.count("SELECT MAX(last) FROM counters").await, 11);
        assert_eq!(db.count("SELECT COUNT(*) FROM events").await, 11);
        assert_eq!(
            db.count("SELECT COUNT(*) FROM handled_updates").await,
            10,
            "{}: the refused and failed updates rolled back",
            db.name
        );
        assert_eq!(
            db.count("SELECT COUNT(*) FROM outbox").await,
            pushed + queued,
            "{}",
            db.name
        );
        assert!(queued > 0, "{}: the filings were pushed", db.name);
        if db.is_postgres() {
            // They queued behind the held row, so the ten were written by one transaction.
            let writers = "SELECT COUNT(DISTINCT xmin::text) FROM suggestions WHERE seq > 1";
            assert_eq!(db.count(writers).await, 1, "one transaction");
        }
        db.finish().await;
    }
}

#[tokio::test]
async fn events_never_change_and_redelivered_updates_apply_once() {
    for db in backends().await {
        roster(&db).await;
        let policy = LoopPolicy::default();
        let t = shanghai(2026, 1, 5, 10, 0);
        let first = db
            .repo
            .file(&policy, tg(D1), draft("Once"), t, Some(5))
            .await
            .unwrap();
        let again = db
            .repo
            .file(&policy, tg(D1), draft("Once"), t, Some(5))
            .await
            .unwrap();
        assert!(matches!(first, Applied::Done { .. }));
        assert_eq!(again, Applied::Duplicate);
        let no = SuggestionNo::new(2026, 1);
        let rate = |u| {
            db.repo.act(
                &policy,
                tg(L1),
                no,
                a(Action::Accept { level: None }),
                t,
                Some(u),
            )
        };
        assert!(matches!(rate(6).await.unwrap(), Applied::Done { .. }));
        assert_eq!(rate(6).await.unwrap(), Applied::Duplicate);
        assert_eq!(db.count("SELECT COUNT(*) FROM suggestions").await, 1);
        assert_eq!(db.count("SELECT COUNT(*) FROM events").await, 2);
        assert!(
            db.exec("UPDATE events SET text = 'forged'").await.is_err(),
            "{}",
            db.name
        );
        assert!(db.exec("DELETE FROM events").await.is_err(), "{}", db.name);
        assert_eq!(
            db.count("SELECT COUNT(*) FROM events WHERE text IS NULL")
                .await,
            2
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn the_other_branches_merge_transfer_decline_extend_key_withdraw_edit_autoclose() {
    for db in backends().await {
        roster(&db).await;
        let t = shanghai(2026, 1, 6, 9, 0);
        let accept = |no| act(&db, tg(L1), no, a(Action::Accept { level: None }), t);
        let n1 = file(&db, tg(D1), "One").await;
        let n2 = file(&db, tg(D1), "Two").await;
        let n3 = file(&db, tg(D2), "Three").await;
        let n4 = file(&db, tg(D2), "Four").await;
        let n5 = file(&db, tg(D1), "Five").await;
        for no in [n1, n2, n3, n4] {
            accept(no).await.unwrap();
        }
        act(&db, tg(K1), n1, Request::Merge { into: n2 }, t)
            .await
            .unwrap();
        let s1 = db.repo.suggestion(n1).await.unwrap().unwrap();
        assert_eq!((s1.state, s1.merged_into), (State::Merged, Some(n2)));
        let into_closed = act(&db, tg(K1), n3, Request::Merge { into: n1 }, t).await;
        assert!(
            matches!(
                into_closed,
                Err(ActError::Refused(Refusal::MergeTargetNotOpen(_)))
            ),
            "{into_closed:?}"
        );

        act(
            &db,
            tg(KC),
            n3,
            a(Action::Transfer {
                reason: "A city matter".into(),
            }),
            t,
        )
        .await
        .unwrap();
        assert_eq!(
            db.repo.suggestion(n3).await.unwrap().unwrap().state,
            State::Transferred
        );
        act(&db, tg(K1), n4, a(Action::Key), t).await.unwrap();
        let twice = act(&db, tg(CH), n4, a(Action::Key), t).await;
        assert!(matches!(twice, Err(ActError::Refused(Refusal::AlreadyKey))));
        act(
            &db,
            tg(K1),
            n4,
            a(Action::Decline {
                reason: "Already in the plan".into(),
            }),
            t,
        )
        .await
        .unwrap();
        assert_eq!(
            db.repo.suggestion(n4).await.unwrap().unwrap().state,
            State::Declined
        );

        // Extension: a clerk, with a reason, on the record.
        let assign = Request::Assign {
            lead: "U3".into(),
            co: vec![],
            days: Some(10),
            level: Some(Level::Town),
        };
        act(&db, tg(K1), n2, assign, t).await.unwrap();
        let before = db
            .repo
            .suggestion(n2)
            .await
            .unwrap()
            .unwrap()
            .deadline
            .unwrap();
        act(
            &db,
            tg(K1),
            n2,
            a(Action::Extend {
                days: 7,
                reason: "Waiting for parts".into(),
            }),
            t,
        )
        .await
        .unwrap();
        let after = db
            .repo
            .suggestion(n2)
            .await
            .unwrap()
            .unwrap()
            .deadline
            .unwrap();
        assert_eq!(after - before, Duration::days(7));
        let timeline = db.repo.timeline(tg(D1), n2).await.unwrap();
        let ext = timeline.last().unwrap();
        assert_eq!(ext.text.as_deref(), Some("+7: Waiting for parts"));
        assert_eq!(ext.actor.as_deref(), Some("Clerk Town"));

        // Return, edit and resubmit, withdraw.
        act(
            &db,
            tg(L1),
            n5,
            a(Action::Return {
                reason: "Too vague".into(),
            }),
            t,
        )
        .await
        .unwrap();
        act(
            &db,
            tg(D1),
            n5,
            a(Action::Edit {
                title: "Five, precise".into(),
                body: "Lamp 12".into(),
            }),
            t,
        )
        .await
        .unwrap();
        let s5 = db.repo.suggestion(n5).await.unwrap().unwrap();
        assert_eq!(
            (s5.state, s5.title.as_str()),
            (State::Submitted, "Five, precise")
        );
        act(&db, tg(D1), n5, a(Action::Withdraw), t).await.unwrap();
        assert_eq!(
            db.repo.suggestion(n5).await.unwrap().unwrap().state,
            State::Withdrawn
        );

        // A reply nobody rates closes as unrated after the 15-day window, and not before.
        act(
            &db,
            tg(12),
            n2,
            a(Action::Reply {
                text: "Done".into(),
            }),
            t,
        )
        .await
        .unwrap();
        let early = db
            .repo
            .act(
                &LoopPolicy::default(),
                Who::System,
                n2,
                a(Action::AutoClose),
                shanghai(2026, 1, 21, 23, 59),
                None,
            )
            .await;
        assert!(
            matches!(early, Err(ActError::Refused(Refusal::NotDue))),
            "{early:?}"
        );
        db.repo
            .act(
                &LoopPolicy::default(),
                Who::System,
                n2,
                a(Action::AutoClose),
                shanghai(2026, 1, 22, 0, 0),
                None,
            )
            .await
            .unwrap();
        let s2 = db.repo.suggestion(n2).await.unwrap().unwrap();
        assert_eq!(
            (s2.state, s2.outcome),
            (State::Closed, Some(Outcome::Unrated))
        );
        assert_eq!(
            db.repo
                .timeline(Who::System, n2)
                .await
                .unwrap()
                .last()
                .unwrap()
                .actor,
            None,
            "the system acted"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn two_concurrent_transitions_of_one_suggestion_apply_once() {
    for db in backends().await {
        roster(&db).await;
        let no = file(&db, tg(D1), "Raced").await;
        let t = shanghai(2026, 1, 6, 9, 0);
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let repo = db.repo.clone();
                tokio::spawn(async move {
                    let accept = a(Action::Accept { level: None });
                    repo.act(&LoopPolicy::default(), tg(L1), no, accept, t, None)
                        .await
                })
            })
            .collect();
        let (mut done, mut refused) = (0, 0);
        for task in tasks {
            match task.await.unwrap() {
                Ok(Applied::Done { .. }) => done += 1,
                Err(ActError::Refused(Refusal::WrongState(State::Accepted))) => refused += 1,
                other => panic!("{}: {other:?}", db.name),
            }
        }
        assert_eq!((done, refused), (1, 7), "{}", db.name);
        let accepted = "SELECT COUNT(*) FROM events WHERE kind = 'accepted'";
        assert_eq!(db.count(accepted).await, 1);
        db.finish().await;
    }
}

#[tokio::test]
async fn reads_do_not_wait_behind_a_writer() {
    let Some(db) = crate::support::postgres().await else {
        return;
    };
    roster(&db).await;
    let no = file(&db, tg(D1), "Locked").await;
    // Another transaction holds the row lock a transition takes.
    let mut writer = db.pg_pool().unwrap().begin().await.unwrap();
    sqlx::query("SELECT id FROM suggestions FOR UPDATE")
        .execute(&mut *writer)
        .await
        .unwrap();
    let patience = std::time::Duration::from_secs(5);
    let read = tokio::time::timeout(patience, db.repo.suggestion(no)).await;
    assert!(
        matches!(read, Ok(Ok(Some(_)))),
        "plain read waited: {read:?}"
    );
    let shown = tokio::time::timeout(patience, db.repo.suggestion_for(tg(D1), no)).await;
    assert!(
        matches!(shown, Ok(Ok(_))),
        "read for a person waited: {shown:?}"
    );
    let timeline = tokio::time::timeout(patience, db.repo.timeline(tg(D1), no)).await;
    assert!(
        matches!(timeline, Ok(Ok(_))),
        "timeline waited: {timeline:?}"
    );
    writer.rollback().await.unwrap();
    db.finish().await;
}

/// A stored word this version does not know (a state written by a newer one, a hand edit) is
/// a clear error naming its column, not a panic; the step on it changes nothing.
#[tokio::test]
async fn a_stored_value_that_does_not_parse_is_an_error_not_a_panic() {
    use minyi::storage::StoreError;
    for db in backends().await {
        roster(&db).await;
        let no = file(&db, tg(D1), "Bus stop shelter").await;
        db.exec("UPDATE suggestions SET state = 'frozen'")
            .await
            .unwrap();
        let read = db.repo.suggestion(no).await;
        assert!(
            matches!(&read, Err(StoreError::Corrupt(why)) if why.contains("state") && why.contains("frozen")),
            "{}: {read:?}",
            db.name
        );
        let events = db.count("SELECT COUNT(*) FROM events").await;
        let t = shanghai(2026, 1, 6, 9, 0);
        let step = act(&db, tg(L1), no, a(Action::Accept { level: None }), t).await;
        assert!(
            matches!(step, Err(ActError::Store(StoreError::Corrupt(_)))),
            "{}: {step:?}",
            db.name
        );
        assert_eq!(db.count("SELECT COUNT(*) FROM events").await, events);
        db.finish().await;
    }
}
