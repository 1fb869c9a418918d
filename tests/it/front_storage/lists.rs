//! Lists, statistics and `/show` details, on both backends.

use super::*;

#[tokio::test]
async fn own_suggestions_queue_and_overdue() {
    for db in backends().await {
        roster(&db).await;
        let t = |h: u32| shanghai(2026, 1, 5, h, 0);
        let a = file_at(&db, tg(D1), "A", t(10)).await;
        let b = file_at(&db, tg(D1), "B", t(11)).await;
        let c = file_at(&db, tg(D1), "C", t(12)).await;
        let d = file_at(&db, tg(D2), "D", t(13)).await;
        let e = file_at(&db, tg(D3), "E", t(14)).await;

        let page = db.repo.my_suggestions(tg(D1), 0, 2).await.unwrap();
        assert_eq!(
            (nos(&page.rows), page.total),
            (vec![c, b], 3),
            "{}",
            db.name
        );
        assert_eq!(page.rows[0].title, "C");
        assert_eq!(page.rows[0].state, State::Submitted);
        assert_eq!(page.rows[0].filed_at, t(12));
        assert!(page.rows[0].deadline.is_some() && !page.rows[0].key);
        let page = db.repo.my_suggestions(tg(D1), 2, 2).await.unwrap();
        assert_eq!((nos(&page.rows), page.total), (vec![a], 3));
        let page = db.repo.my_suggestions(tg(D1), 4, 2).await.unwrap();
        assert_eq!((page.rows.len(), page.total), (0, 3));
        let page = db.repo.my_suggestions(tg(D3), 0, 10).await.unwrap();
        assert_eq!((nos(&page.rows), page.total), (vec![e], 1));
        let page = db.repo.my_suggestions(tg(K1), 0, 10).await.unwrap();
        assert_eq!((page.rows.len(), page.total), (0, 0));
        let unknown = db.repo.my_suggestions(Who::Telegram(4242), 0, 10).await;
        assert!(
            matches!(unknown, Err(ActError::UnknownPerson)),
            "{unknown:?}"
        );

        // a: town level, assigned to U1 by the county clerk; b: district level, waiting.
        let t2 = shanghai(2026, 1, 6, 9, 0);
        act(&db, tg(L1), a, Action::Accept { level: None }, t2).await;
        let level = Some(Level::District);
        act(&db, tg(L1), b, Action::Accept { level }, t2).await;
        let dbr = &db;
        let queue = |who| async move { dbr.repo.queue(tg(who), 50).await.unwrap() };
        // The town clerk assigns town-level matters; the county's clerk both.
        let k1 = queue(K1).await;
        assert_eq!((nos(&k1.rows), k1.total), (vec![a], 1), "{}", db.name);
        // a (town: 3 days) is due before b (district: 5 days).
        assert_eq!(nos(&queue(KC).await.rows), vec![a, b]);
        let leader = queue(L1).await;
        assert_eq!((nos(&leader.rows), leader.total), (vec![c, d], 2));
        assert!(leader.rows.iter().all(|r| r.state == State::Submitted));
        assert_eq!(db.repo.queue(tg(L1), 1).await.unwrap().total, 2);
        assert_eq!(queue(D1).await.total, 0, "a deputy waits for nobody");

        assign(&db, a, "U1", &[], t2).await;
        assert_eq!(nos(&queue(UA).await.rows), vec![a]);
        assert_eq!(queue(UB).await.total, 0);
        assert_eq!(nos(&queue(KC).await.rows), vec![b]);
        assert_eq!(queue(K1).await.total, 0);

        // Overdue: open items below the person's orgs with a deadline before `before`.
        let mut open = Vec::new();
        for no in [a, b, c, d, e] {
            let s = db.repo.suggestion(no).await.unwrap().unwrap();
            open.push((s.deadline.unwrap(), s.no, s.group.0));
        }
        open.sort();
        let (first, _, _) = open[0];
        let before = first + Duration::seconds(1);
        let expected: Vec<_> = open
            .iter()
            .filter(|(at, _, _)| *at < before)
            .map(|(_, no, _)| *no)
            .collect();
        assert!(!expected.is_empty() && expected.len() < 5);
        let county = db.repo.overdue(tg(KC), before, 50).await.unwrap();
        assert_eq!(
            (nos(&county.rows), county.total),
            (expected.clone(), expected.len() as i64),
            "{}",
            db.name
        );
        let far = shanghai(2027, 1, 1, 0, 0);
        let all: Vec<_> = open.iter().map(|(_, no, _)| *no).collect();
        assert_eq!(
            nos(&db.repo.overdue(tg(KC), far, 50).await.unwrap().rows),
            all
        );
        assert_eq!(db.repo.overdue(tg(AD), far, 50).await.unwrap().total, 5);
        // The town sees its own group only (not e, filed in Dongshan).
        let town: Vec<_> = all.iter().copied().filter(|no| *no != e).collect();
        for who in [K1, S1, 7] {
            let page = db.repo.overdue(tg(who), far, 50).await.unwrap();
            assert_eq!(nos(&page.rows), town, "{}: {who}", db.name);
        }
        let limited = db.repo.overdue(tg(K1), far, 2).await.unwrap();
        assert_eq!((limited.rows.len(), limited.total), (2, 4));
        let early = db.repo.overdue(tg(K1), t(9), 50).await.unwrap();
        assert_eq!((early.rows.len(), early.total), (0, 0));
        for who in [D1, L1, UA] {
            let refused = db.repo.overdue(tg(who), far, 50).await;
            assert!(
                matches!(refused, Err(ActError::Refused(Refusal::NotYourRole))),
                "{}: {who}: {refused:?}",
                db.name
            );
        }
        db.finish().await;
    }
}

#[tokio::test]
async fn show_details_and_assignable_units() {
    for db in backends().await {
        roster(&db).await;
        let t = shanghai(2026, 1, 5, 10, 0);
        let attachment = Attachment {
            photo: Some("AgADphoto".into()),
            location: Some((29.87, 121.55)),
        };
        let filed = db
            .repo
            .file(
                &LoopPolicy::default(),
                tg(D1),
                draft("Lamps", attachment),
                t,
                None,
            )
            .await
            .unwrap();
        let Applied::Done { no, .. } = filed else {
            panic!("{filed:?}")
        };
        let view = db.repo.view(tg(D1), no).await.unwrap();
        assert_eq!(view.suggestion.no, no);
        assert_eq!(view.deputy_name, "Deputy One");
        assert_eq!(
            (view.group_code.as_str(), view.group_name.as_str()),
            ("G1", "Renmin deputies")
        );
        assert_eq!(view.photo.as_deref(), Some("AgADphoto"), "{}", db.name);
        assert_eq!(view.location, Some((29.87, 121.55)));
        assert_eq!((view.units.len(), view.request), (0, None));

        act(&db, tg(L1), no, Action::Accept { level: None }, t).await;
        assign(&db, no, "U2", &["U1"], t).await;
        let view = db.repo.view(tg(UA), no).await.unwrap();
        assert_eq!(
            view.units,
            vec![
                ("U2".to_string(), "Transport Bureau".to_string(), true),
                ("U1".to_string(), "Housing Bureau".to_string(), false),
            ],
            "lead first"
        );
        // Not theirs reads like no such number.
        let missing = SuggestionNo::new(2026, 999);
        for (who, asked) in [(D3, no), (D2, no), (D1, missing)] {
            let err = db.repo.view(tg(who), asked).await;
            assert!(
                matches!(err, Err(ActError::UnknownSuggestion(n)) if n == asked),
                "{}: {err:?}",
                db.name
            );
        }

        let dbr = &db;
        let units = |who| async move { dbr.repo.assignable_units(tg(who)).await };
        assert_eq!(
            units(K1).await.unwrap(),
            vec![("U3".to_string(), "Street Office".to_string())]
        );
        let county: Vec<_> = units(KC)
            .await
            .unwrap()
            .into_iter()
            .map(|(code, _)| code)
            .collect();
        assert_eq!(county, ["U1", "U2", "U3"]);
        for who in [D1, S1, UA, AD] {
            let refused = units(who).await;
            assert!(
                matches!(refused, Err(ActError::Refused(Refusal::NotYourRole))),
                "{who}: {refused:?}"
            );
        }
        db.finish().await;
    }
}
