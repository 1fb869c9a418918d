//! What the Telegram front end reads and writes, through the repositories on both backends:
//! accounts and languages, chat bindings, lists, statistics, `/show` details, residents'
//! requests from opening to the resident's answer, dialogue steps and the polling lock.

use chrono::{DateTime, Duration, Utc};
use minyi::domain::{
    Action, Attachment, Draft, Level, MAX_TEXT, Rating, Refusal, ResidentNo, Role, State,
    SuggestionNo,
};
use minyi::storage::{
    ActError, Applied, BindTarget, Listed, LoopPolicy, NewRequest, OutboxRow, PeriodStats, Request,
    RequestApplied, RequestTarget, Who,
};

use crate::support::{TestDb, backends, roster, shanghai};

fn tg(person: u32) -> Who {
    Who::Telegram(1000 + i64::from(person))
}

// People of the fixture, by Telegram id.
const D1: u32 = 1;
const D2: u32 = 2;
const L1: u32 = 3;
const K1: u32 = 4;
const KC: u32 = 5;
const S1: u32 = 6;
const UA: u32 = 8;
const UB: u32 = 9;
const AD: u32 = 10;
const D3: u32 = 11;

/// Residents' Telegram accounts (their private chats have the same ids).
const RES1: i64 = 777_001;
const RES2: i64 = 777_002;

fn draft(title: &str, attachment: Attachment) -> Draft {
    Draft {
        title: title.into(),
        body: "The street lamps on Renmin Road have been dark for a month.".into(),
        category: "governance".into(),
        group: None,
        attachment,
    }
}

async fn file_at(db: &TestDb, who: Who, title: &str, at: DateTime<Utc>) -> SuggestionNo {
    match db
        .repo
        .file(
            &LoopPolicy::default(),
            who,
            draft(title, Attachment::default()),
            at,
            None,
        )
        .await
    {
        Ok(Applied::Done { no, .. }) => no,
        other => panic!("{}: filing gave {other:?}", db.name),
    }
}

async fn act(db: &TestDb, who: Who, no: SuggestionNo, action: Action, at: DateTime<Utc>) {
    db.repo
        .act(
            &LoopPolicy::default(),
            who,
            no,
            Request::Action(action),
            at,
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {no}: {e:?}", db.name));
}

async fn assign(db: &TestDb, no: SuggestionNo, lead: &str, co: &[&str], at: DateTime<Utc>) {
    let request = Request::Assign {
        lead: lead.into(),
        co: co.iter().map(|c| c.to_string()).collect(),
        days: None,
        level: None,
    };
    db.repo
        .act(&LoopPolicy::default(), tg(KC), no, request, at, None)
        .await
        .unwrap_or_else(|e| panic!("{}: assign {no}: {e:?}", db.name));
}

/// Accepted (town), assigned to U1, replied and rated: closed with `rating`.
async fn close(db: &TestDb, no: SuggestionNo, rating: Rating, at: DateTime<Utc>) {
    act(db, tg(L1), no, Action::Accept { level: None }, at).await;
    assign(db, no, "U1", &[], at).await;
    let text = "Done".to_string();
    act(db, tg(UA), no, Action::Reply { text }, at).await;
    act(db, tg(D1), no, Action::Rate { rating }, at).await;
}

/// The outbox rows queued since id `after`, and the last id.
async fn rows_since(db: &TestDb, after: i64) -> (Vec<OutboxRow>, i64) {
    let rows = db.repo.outbox_after(after, 1000).await.unwrap();
    let last = rows.last().map_or(after, |r| r.id);
    (rows, last)
}

fn nos(rows: &[Listed]) -> Vec<SuggestionNo> {
    rows.iter().map(|r| r.no).collect()
}

fn arg<'a>(row: &'a OutboxRow, name: &str) -> Option<&'a str> {
    row.args
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn accounts_languages_bindings_and_dialogues() {
    for db in backends().await {
        roster(&db).await;
        let now = shanghai(2026, 1, 5, 9, 0);
        let d1 = db.repo.account(1001).await.unwrap();
        let card = d1.person.clone().expect("D1 is on the roster");
        assert_eq!(
            (card.code.as_str(), card.name.as_str()),
            ("D1", "Deputy One")
        );
        assert_eq!(card.roles, vec![(Role::Deputy, "G1".to_string())]);
        assert_eq!(
            d1.lang.as_deref(),
            Some("zh-CN"),
            "{}: the roster's",
            db.name
        );

        let mut l1 = db.repo.account(1003).await.unwrap().person.unwrap().roles;
        l1.sort();
        assert_eq!(
            l1,
            vec![(Role::Deputy, "G1".into()), (Role::Leader, "G1".into())]
        );
        let ua = db.repo.account(1008).await.unwrap().person.unwrap();
        assert!(ua.has(Role::Unit) && !ua.has(Role::Deputy));
        assert_eq!(ua.roles, vec![(Role::Unit, "U1".to_string())]);

        // Without a roster language and before /lang: none.
        assert_eq!(db.repo.account(1002).await.unwrap().lang, None);
        db.repo.set_lang(1002, "en-US", now).await.unwrap();
        assert_eq!(
            db.repo.account(1002).await.unwrap().lang.as_deref(),
            Some("en-US")
        );
        // The account's own choice wins over the roster's.
        db.repo.set_lang(1001, "en-US", now).await.unwrap();
        assert_eq!(
            db.repo.account(1001).await.unwrap().lang.as_deref(),
            Some("en-US"),
            "{}",
            db.name
        );

        // A resident: no person, their own language once chosen, changed again later.
        let resident = db.repo.account(RES1).await.unwrap();
        assert_eq!((resident.person, resident.lang), (None, None));
        db.repo.set_lang(RES1, "zh-CN", now).await.unwrap();
        db.repo.set_lang(RES1, "en-US", now).await.unwrap();
        let resident = db.repo.account(RES1).await.unwrap();
        assert_eq!(resident.telegram_id, RES1);
        assert_eq!(
            (resident.person, resident.lang.as_deref()),
            (None, Some("en-US"))
        );
        assert_eq!(
            db.count("SELECT COUNT(*) FROM accounts WHERE telegram_id = 777001")
                .await,
            1
        );

        assert_eq!(
            db.repo.chat_binding(-100).await.unwrap(),
            Some(BindTarget::Group("G1".into()))
        );
        assert_eq!(
            db.repo.chat_binding(-200).await.unwrap(),
            Some(BindTarget::Unit("U1".into()))
        );
        assert_eq!(
            db.repo.chat_binding(-400).await.unwrap(),
            Some(BindTarget::Org("C".into()))
        );
        assert_eq!(db.repo.chat_binding(-999).await.unwrap(), None);

        // Dialogues: per (chat, account), replaced by the next step, gone when ended.
        assert_eq!(db.repo.dialogue(-100, 1001).await.unwrap(), None);
        db.repo
            .save_dialogue(-100, 1001, Some(r#"{"step":"title"}"#), now, None)
            .await
            .unwrap();
        let later = now + Duration::minutes(3);
        db.repo
            .save_dialogue(-100, 1001, Some(r#"{"step":"body"}"#), later, None)
            .await
            .unwrap();
        db.repo
            .save_dialogue(1001, 1001, Some(r#"{"step":"lang"}"#), now, None)
            .await
            .unwrap();
        let row = db.repo.dialogue(-100, 1001).await.unwrap().unwrap();
        assert_eq!(
            (row.state.as_str(), row.updated_at),
            (r#"{"step":"body"}"#, later)
        );
        assert_eq!(db.repo.dialogue(-100, 1002).await.unwrap(), None);
        db.repo
            .save_dialogue(-100, 1001, None, later, None)
            .await
            .unwrap();
        assert_eq!(db.repo.dialogue(-100, 1001).await.unwrap(), None);
        assert_eq!(
            db.repo.dialogue(1001, 1001).await.unwrap().unwrap().state,
            r#"{"step":"lang"}"#,
            "another chat's dialogue stays"
        );
        // Ending a dialogue that is not there is fine.
        db.repo
            .save_dialogue(-100, 1001, None, later, None)
            .await
            .unwrap();
        // A step tied to an update is taken once: the same update again changes nothing.
        let first = db
            .repo
            .save_dialogue(-100, 1001, Some(r#"{"step":"body"}"#), later, Some(900));
        assert!(first.await.unwrap());
        let again =
            db.repo
                .save_dialogue(-100, 1001, Some(r#"{"step":"category"}"#), later, Some(900));
        assert!(!again.await.unwrap());
        let row = db.repo.dialogue(-100, 1001).await.unwrap().unwrap();
        assert_eq!(row.state, r#"{"step":"body"}"#);
        db.finish().await;
    }
}

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
                matches!(refused, Err(ActError::Refused(Refusal::NotAllowed))),
                "{}: {who}: {refused:?}",
                db.name
            );
        }
        db.finish().await;
    }
}

#[tokio::test]
async fn period_statistics() {
    for db in backends().await {
        roster(&db).await;
        let jan = |d: u32| shanghai(2026, 1, d, 10, 0);
        let s1 = file_at(&db, tg(D1), "closed satisfied", jan(5)).await;
        let s2 = file_at(&db, tg(D1), "unsatisfied once", jan(5)).await;
        let s3 = file_at(&db, tg(D2), "accepted", jan(6)).await;
        let s4 = file_at(&db, tg(D2), "returned", jan(6)).await;
        let _s5 = file_at(&db, tg(L1), "submitted", jan(7)).await;
        let _e = file_at(&db, tg(D3), "Dongshan", jan(7)).await;
        let feb = file_at(&db, tg(D1), "next month", shanghai(2026, 2, 2, 10, 0)).await;

        let t = jan(8);
        close(&db, s1, Rating::Satisfied, t).await;
        act(&db, tg(L1), s2, Action::Accept { level: None }, t).await;
        assign(&db, s2, "U1", &[], t).await;
        let text = "Working on it".to_string();
        act(&db, tg(UA), s2, Action::Reply { text }, t).await;
        let rating = Rating::Unsatisfied;
        act(&db, tg(D1), s2, Action::Rate { rating }, t).await;
        act(&db, tg(L1), s3, Action::Accept { level: None }, t).await;
        let reason = "Say where".to_string();
        act(&db, tg(L1), s4, Action::Return { reason }, t).await;
        act(&db, tg(L1), feb, Action::Accept { level: None }, t).await;

        let (from, to) = (shanghai(2026, 1, 1, 0, 0), shanghai(2026, 2, 1, 0, 0));
        let far = shanghai(2027, 1, 1, 0, 0);
        let town = db.repo.period_stats(tg(K1), from, to, far).await.unwrap();
        let expected = PeriodStats {
            received: 5,
            accepted: 3,
            assigned: 2,
            replied: 2,
            closed: 1,
            satisfied: 1,
            basic: 0,
            unsatisfied: 1,
            // s2 (assigned again), s3 (accepted), s5 (submitted); s4 waits for its deputy.
            overdue: 3,
        };
        assert_eq!(town, expected, "{}", db.name);
        let county = PeriodStats {
            received: 6,
            overdue: 4,
            ..expected.clone()
        };
        assert_eq!(
            db.repo.period_stats(tg(KC), from, to, far).await.unwrap(),
            county
        );
        assert_eq!(
            db.repo.period_stats(tg(AD), from, to, far).await.unwrap(),
            county
        );
        assert_eq!(
            db.repo.period_stats(tg(S1), from, to, far).await.unwrap(),
            expected
        );
        // Nothing is overdue on the day of filing.
        let now = db
            .repo
            .period_stats(tg(K1), from, to, jan(8))
            .await
            .unwrap();
        assert_eq!(
            now,
            PeriodStats {
                overdue: 0,
                ..expected.clone()
            }
        );
        let empty = shanghai(2025, 1, 1, 0, 0);
        assert_eq!(
            db.repo
                .period_stats(tg(K1), empty, from, far)
                .await
                .unwrap(),
            PeriodStats::default()
        );
        let february = db
            .repo
            .period_stats(tg(K1), to, shanghai(2026, 3, 1, 0, 0), far)
            .await
            .unwrap();
        assert_eq!((february.received, february.accepted), (1, 1));
        for who in [D1, L1, UA] {
            let refused = db.repo.period_stats(tg(who), from, to, far).await;
            assert!(
                matches!(refused, Err(ActError::Refused(Refusal::NotAllowed))),
                "{}: {refused:?}",
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
                matches!(refused, Err(ActError::Refused(Refusal::NotAllowed))),
                "{who}: {refused:?}"
            );
        }
        db.finish().await;
    }
}

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
        repo.set_lang(RES1, "en-US", t).await.unwrap();
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
                matches!(refused, Err(ActError::Refused(Refusal::NotAllowed))),
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

#[tokio::test]
async fn the_poll_lock_is_held_until_its_guard_drops() {
    for db in backends().await {
        let first = db.repo.poll_lock().await.unwrap();
        assert!(first.is_some(), "{}", db.name);
        assert!(first.as_ref().unwrap().alive().await);
        let second = db.repo.poll_lock().await.unwrap();
        if !db.is_postgres() {
            assert!(second.is_some(), "SQLite: one process, always its own");
            db.finish().await;
            continue;
        }
        assert!(second.is_none(), "another replica polls");
        drop(first);
        // The session ends as its connection closes: a moment later the lock is free.
        let mut again = None;
        for _ in 0..100 {
            again = db.repo.poll_lock().await.unwrap();
            if again.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(
            again.is_some(),
            "the lock came free after the guard dropped"
        );
        assert!(db.repo.poll_lock().await.unwrap().is_none());
        // The holder can tell it still holds the lock; once its session is gone (a network
        // fault, a restarted server) it can tell it does not.
        let again = again.unwrap();
        assert!(again.alive().await);
        db.exec(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' \
             AND objid = hashtext(current_schema())::oid AND classid = hashtext('minyi-poll')::oid",
        )
        .await
        .unwrap();
        assert!(!again.alive().await, "a lost session is noticed");
        drop(again);
        db.finish().await;
    }
}
