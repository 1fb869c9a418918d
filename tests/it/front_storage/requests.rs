//! Residents' requests from opening to the resident's answer, on both backends.

use super::*;

fn new_request(target: RequestTarget, resident: i64, text: &str) -> NewRequest {
    NewRequest {
        target,
        telegram_id: resident,
        chat_id: resident,
        text: text.into(),
        attachment: Attachment::default(),
    }
}

async fn open(db: &TestDb, request: NewRequest, update: Option<i64>) -> ResidentNo {
    let at = shanghai(2026, 1, 5, 8, 0);
    match db
        .repo
        .open_request(&LoopPolicy::default(), request, at, update)
        .await
    {
        Ok(RequestApplied::Done {
            no,
            suggestion: None,
        }) => no,
        other => panic!("{}: opening gave {other:?}", db.name),
    }
}

#[tokio::test]
async fn resident_requests_from_link_to_answer() {
    for db in backends().await {
        roster(&db).await;
        let policy = LoopPolicy::default();
        let repo = &db.repo;
        let t = shanghai(2026, 1, 5, 9, 0);

        let name =
            |target: RequestTarget| async move { repo.request_target_name(&target).await.unwrap() };
        assert_eq!(
            name(RequestTarget::Deputy("D1".into())).await.as_deref(),
            Some("Deputy One")
        );
        assert_eq!(name(RequestTarget::Deputy("K1".into())).await, None);
        assert_eq!(name(RequestTarget::Deputy("D9".into())).await, None);
        assert_eq!(
            name(RequestTarget::Group("G1".into())).await.as_deref(),
            Some("Renmin deputies")
        );
        assert_eq!(name(RequestTarget::Group("G9".into())).await, None);

        // Opening: numbered, and told to the deputy privately in their language.
        repo.set_lang(
            Talk::Telegram {
                chat: RES1,
                from: RES1,
            },
            Lang::EnUs,
            t,
        )
        .await
        .unwrap();
        let text = "  Broken lamp on Hexi Road\nIt has been dark for weeks.  ";
        let mut first = new_request(RequestTarget::Deputy("D1".into()), RES1, text);
        first.attachment = Attachment {
            photo: Some("AgADlamp".into()),
            location: Some((29.9, 121.6)),
        };
        let r1 = open(&db, first.clone(), Some(10)).await;
        assert_eq!(r1.to_string(), "R-2026-0001", "{}", db.name);
        let (rows, last) = rows_since(&db, 0).await;
        assert_eq!(rows.len(), 1, "{}: {rows:?}", db.name);
        let row = &rows[0];
        assert_eq!(
            (row.target.as_str(), row.key.as_str(), row.lang.as_str()),
            ("1001", "notice-request-new", "zh-CN")
        );
        assert_eq!(arg(row, "request"), Some("R-2026-0001"));
        assert_eq!(
            arg(row, "text"),
            Some("Broken lamp on Hexi Road\nIt has been dark for weeks.")
        );
        assert_eq!(
            repo.open_request(&policy, first, t, Some(10))
                .await
                .unwrap(),
            RequestApplied::Duplicate
        );
        assert_eq!(db.count("SELECT COUNT(*) FROM resident_requests").await, 1);
        assert_eq!(rows_since(&db, last).await.0.len(), 0);

        let refusals = [
            (
                new_request(RequestTarget::Deputy("K1".into()), RES1, "x"),
                "unknown target",
            ),
            (
                new_request(RequestTarget::Group("G9".into()), RES1, "x"),
                "unknown group",
            ),
            (
                new_request(RequestTarget::Deputy("D1".into()), RES1, " \n "),
                "empty",
            ),
            (
                new_request(
                    RequestTarget::Deputy("D1".into()),
                    RES1,
                    &"x".repeat(MAX_TEXT + 1),
                ),
                "long",
            ),
        ];
        for (request, what) in refusals {
            let err = repo.open_request(&policy, request, t, Some(20)).await;
            let ok = match what {
                "unknown target" => matches!(&err, Err(ActError::UnknownTarget(c)) if c == "K1"),
                "unknown group" => matches!(&err, Err(ActError::UnknownTarget(c)) if c == "G9"),
                "empty" => matches!(err, Err(ActError::Refused(Refusal::TextRequired))),
                _ => matches!(
                    err,
                    Err(ActError::Refused(Refusal::TextTooLong { max: MAX_TEXT }))
                ),
            };
            assert!(ok, "{}: {what}: {err:?}", db.name);
        }
        // Refusals change nothing, not even the update id.
        assert_eq!(db.count("SELECT COUNT(*) FROM resident_requests").await, 1);
        assert_eq!(
            db.count("SELECT COUNT(*) FROM handled_updates WHERE update_id = 20")
                .await,
            0
        );

        // To a group: its leaders hear it.
        let second = new_request(
            RequestTarget::Group("G1".into()),
            RES2,
            "Bus stop sign fell",
        );
        let r2 = open(&db, second, None).await;
        assert_eq!(r2, ResidentNo::new(2026, 2));
        let (rows, last) = rows_since(&db, last).await;
        let targets: Vec<_> = rows
            .iter()
            .map(|r| (r.target.as_str(), r.key.as_str()))
            .collect();
        assert_eq!(targets, [("1003", "notice-request-new")], "{}", db.name);

        // Inboxes: the deputy's own and their group's, oldest first, without the resident.
        let inbox = repo.inbox(tg(D1), 10).await.unwrap();
        let listed: Vec<_> = inbox
            .rows
            .iter()
            .map(|r| (r.no, r.group_code.clone()))
            .collect();
        assert_eq!(listed, [(r1, None), (r2, Some("G1".to_string()))]);
        assert_eq!(inbox.total, 2);
        assert_eq!(inbox.rows[0].attachment.photo.as_deref(), Some("AgADlamp"));
        assert_eq!(inbox.rows[0].attachment.location, Some((29.9, 121.6)));
        assert_eq!(inbox.rows[0].created_at, shanghai(2026, 1, 5, 8, 0));
        assert!(!format!("{inbox:?}").contains("777001"));
        let limited = repo.inbox(tg(D1), 1).await.unwrap();
        assert_eq!((limited.rows.len(), limited.total), (1, 2));
        let d2 = repo.inbox(tg(D2), 10).await.unwrap();
        assert_eq!(d2.rows.iter().map(|r| r.no).collect::<Vec<_>>(), [r2]);
        assert_eq!(repo.inbox(tg(D3), 10).await.unwrap().total, 0);
        for who in [K1, UA] {
            let refused = repo.inbox(tg(who), 10).await;
            assert!(
                matches!(refused, Err(ActError::Refused(Refusal::NotYourRole))),
                "{refused:?}"
            );
        }

        // Adopting: only the addressee; files a linked suggestion and tells the resident.
        for who in [D2, D3] {
            let err = repo
                .adopt_request(&policy, tg(who), r1, None, t, None)
                .await;
            assert!(
                matches!(err, Err(ActError::UnknownRequest(n)) if n == r1),
                "{}: {err:?}",
                db.name
            );
        }
        let missing = ResidentNo::new(2026, 99);
        let err = repo
            .adopt_request(&policy, tg(D1), missing, None, t, None)
            .await;
        assert!(matches!(err, Err(ActError::UnknownRequest(n)) if n == missing));
        let adopted = repo
            .adopt_request(&policy, tg(D1), r1, None, t, Some(11))
            .await
            .unwrap();
        let RequestApplied::Done {
            no: done_r1,
            suggestion: Some(no),
        } = adopted
        else {
            panic!("{}: {adopted:?}", db.name)
        };
        assert_eq!(done_r1, r1);
        assert_eq!(
            repo.adopt_request(&policy, tg(D1), r1, None, t, Some(11))
                .await
                .unwrap(),
            RequestApplied::Duplicate
        );
        assert_eq!(db.count("SELECT COUNT(*) FROM suggestions").await, 1);
        let s = repo.suggestion(no).await.unwrap().unwrap();
        assert_eq!(s.title, "Broken lamp on Hexi Road");
        assert_eq!(
            s.body,
            "Broken lamp on Hexi Road\nIt has been dark for weeks."
        );
        assert_eq!((s.category.as_str(), s.state), ("other", State::Submitted));
        assert!(s.request.is_some(), "{}", db.name);
        let (rows, last) = rows_since(&db, last).await;
        let resident: Vec<_> = rows.iter().filter(|r| r.target == "777001").collect();
        assert_eq!(resident.len(), 1, "{}: {rows:?}", db.name);
        assert_eq!(
            (resident[0].key.as_str(), resident[0].lang.as_str()),
            ("notice-resident-adopted", "en-US")
        );
        assert_eq!(arg(resident[0], "request"), Some("R-2026-0001"));
        assert_eq!(arg(resident[0], "no"), Some(no.to_string().as_str()));
        assert!(
            rows.iter()
                .any(|r| r.target == "1003" && r.key == "notice-filed-leader")
        );
        let view = repo.view(tg(D1), no).await.unwrap();
        assert_eq!(view.request, Some(r1));
        assert_eq!(view.photo.as_deref(), Some("AgADlamp"));
        assert_eq!(view.location, Some((29.9, 121.6)));
        assert!(!format!("{view:?}").contains("777001"));
        assert_eq!(
            repo.inbox(tg(D1), 10)
                .await
                .unwrap()
                .rows
                .iter()
                .map(|r| r.no)
                .collect::<Vec<_>>(),
            [r2]
        );
        let again = repo.adopt_request(&policy, tg(D1), r1, None, t, None).await;
        assert!(matches!(again, Err(ActError::RequestHandled(n)) if n == r1));

        // Declining: a reason is required, the resident hears it, once.
        let err = repo
            .decline_request(&policy, tg(D2), r2, "  ", t, Some(12))
            .await;
        assert!(
            matches!(err, Err(ActError::Refused(Refusal::ReasonRequired))),
            "{err:?}"
        );
        let err = repo
            .decline_request(&policy, tg(D3), r2, "No", t, None)
            .await;
        assert!(matches!(err, Err(ActError::UnknownRequest(_))), "{err:?}");
        let declined = repo
            .decline_request(&policy, tg(D2), r2, " Outside our district ", t, Some(12))
            .await
            .unwrap();
        assert_eq!(
            declined,
            RequestApplied::Done {
                no: r2,
                suggestion: None
            }
        );
        assert_eq!(
            repo.decline_request(&policy, tg(D2), r2, "Again", t, Some(12))
                .await
                .unwrap(),
            RequestApplied::Duplicate
        );
        let (rows, last) = rows_since(&db, last).await;
        assert_eq!(rows.len(), 1, "{}: {rows:?}", db.name);
        assert_eq!(
            (rows[0].target.as_str(), rows[0].key.as_str()),
            ("777002", "notice-resident-request-declined")
        );
        assert_eq!(arg(&rows[0], "reason"), Some("Outside our district"));
        assert_eq!(
            db.count(
                "SELECT COUNT(*) FROM resident_requests \
                 WHERE state = 'declined' AND decline_reason = 'Outside our district'"
            )
            .await,
            1
        );
        for err in [
            repo.decline_request(&policy, tg(L1), r2, "Again", t, None)
                .await,
            repo.adopt_request(&policy, tg(L1), r2, None, t, None).await,
        ] {
            assert!(
                matches!(err, Err(ActError::RequestHandled(n)) if n == r2),
                "{err:?}"
            );
        }

        // The resident's answer: only on the closed suggestion of their own request.
        let answer = |who: i64, no: SuggestionNo, solved: bool, update: Option<i64>| {
            let policy = policy.clone();
            async move {
                repo.answer_solved(&policy, who, no, solved, t, update)
                    .await
            }
        };
        let err = answer(RES1, no, false, None).await;
        assert!(
            matches!(
                err,
                Err(ActError::Refused(Refusal::WrongState(State::Submitted)))
            ),
            "{err:?}"
        );
        close(&db, no, Rating::Basic, t).await;
        let (_, last) = rows_since(&db, last).await;
        let other = file_at(&db, tg(D1), "Not from a resident", t).await;
        close(&db, other, Rating::Satisfied, t).await;
        for (who, asked) in [
            (RES2, no),
            (RES1, other),
            (RES1, SuggestionNo::new(2026, 99)),
        ] {
            let err = answer(who, asked, false, None).await;
            assert!(
                matches!(err, Err(ActError::UnknownSuggestion(n)) if n == asked),
                "{}: {err:?}",
                db.name
            );
        }
        let (_, last) = rows_since(&db, last).await;
        let done = answer(RES1, no, false, Some(13)).await.unwrap();
        assert_eq!(
            done,
            RequestApplied::Done {
                no: r1,
                suggestion: Some(no)
            }
        );
        assert_eq!(
            answer(RES1, no, true, Some(13)).await.unwrap(),
            RequestApplied::Duplicate
        );
        let (rows, last) = rows_since(&db, last).await;
        assert_eq!(rows.len(), 1, "{}: {rows:?}", db.name);
        assert_eq!(
            (rows[0].target.as_str(), rows[0].key.as_str()),
            ("1001", "notice-resident-unsolved")
        );
        assert_eq!(arg(&rows[0], "request"), Some("R-2026-0001"));
        assert_eq!(arg(&rows[0], "title"), Some("Broken lamp on Hexi Road"));
        assert_eq!(arg(&rows[0], "no"), Some(no.to_string().as_str()));
        let err = answer(RES1, no, true, Some(14)).await;
        assert!(matches!(err, Err(ActError::AlreadyAnswered)), "{err:?}");
        assert_eq!(
            db.count("SELECT COUNT(*) FROM resident_requests WHERE solved IS NOT NULL")
                .await,
            1
        );

        // A "yes" is stored and tells nobody.
        let r3 = open(
            &db,
            new_request(RequestTarget::Deputy("D1".into()), RES2, "Pothole"),
            None,
        )
        .await;
        let adopted = repo
            .adopt_request(&policy, tg(D1), r3, Some("governance".into()), t, None)
            .await
            .unwrap();
        let RequestApplied::Done {
            suggestion: Some(no3),
            ..
        } = adopted
        else {
            panic!("{adopted:?}")
        };
        assert_eq!(
            repo.suggestion(no3).await.unwrap().unwrap().category,
            "governance"
        );
        close(&db, no3, Rating::Satisfied, t).await;
        let (_, last) = rows_since(&db, last).await;
        answer(RES2, no3, true, None).await.unwrap();
        assert_eq!(rows_since(&db, last).await.0.len(), 0);
        assert_eq!(
            db.count("SELECT COUNT(*) FROM resident_requests WHERE solved IS NOT NULL")
                .await,
            2
        );
        db.finish().await;
    }
}
