//! What the Telegram front end reads and writes, through the repositories on both backends:
//! accounts and languages, chat bindings, dialogue steps and the polling lock here; lists,
//! statistics and `/show` details in [`lists`]; residents' requests in [`requests`].

mod lists;
mod requests;

use chrono::{DateTime, Duration, Utc};
use minyi::domain::{
    Action, Attachment, Draft, Level, MAX_TEXT, Rating, Refusal, ResidentNo, Role, State,
    SuggestionNo,
};
use minyi::storage::{
    ActError, Applied, BindTarget, Listed, LoopPolicy, NewRequest, OutboxRow, Request,
    RequestApplied, RequestTarget, Talk, Who,
};

use minyi::i18n::Lang;

use crate::support::people::*;
use crate::support::steps::act;
use crate::support::{TestDb, backends, roster, shanghai};

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
    crate::support::steps::file(db, who, draft(title, Attachment::default()), at).await
}

async fn assign(db: &TestDb, no: SuggestionNo, lead: &str, co: &[&str], at: DateTime<Utc>) {
    let request = Request::Assign {
        lead: lead.into(),
        co: co.iter().map(|c| c.to_string()).collect(),
        days: None,
        level: None,
    };
    crate::support::steps::request(db, tg(KC), no, request, at).await;
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
        assert_eq!(d1.lang, Some(Lang::ZhCn), "{}: the roster's", db.name);

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
        db.repo
            .set_lang(
                Talk::Telegram {
                    chat: 1002,
                    from: 1002,
                },
                Lang::EnUs,
                now,
            )
            .await
            .unwrap();
        assert_eq!(db.repo.account(1002).await.unwrap().lang, Some(Lang::EnUs));
        // The account's own choice wins over the roster's.
        db.repo
            .set_lang(
                Talk::Telegram {
                    chat: 1001,
                    from: 1001,
                },
                Lang::EnUs,
                now,
            )
            .await
            .unwrap();
        assert_eq!(
            db.repo.account(1001).await.unwrap().lang,
            Some(Lang::EnUs),
            "{}",
            db.name
        );

        // A resident: no person, their own language once chosen, changed again later.
        let resident = db.repo.account(RES1).await.unwrap();
        assert_eq!((resident.person, resident.lang), (None, None));
        db.repo
            .set_lang(
                Talk::Telegram {
                    chat: RES1,
                    from: RES1,
                },
                Lang::ZhCn,
                now,
            )
            .await
            .unwrap();
        db.repo
            .set_lang(
                Talk::Telegram {
                    chat: RES1,
                    from: RES1,
                },
                Lang::EnUs,
                now,
            )
            .await
            .unwrap();
        let resident = db.repo.account(RES1).await.unwrap();
        assert_eq!((resident.person, resident.lang), (None, Some(Lang::EnUs)));
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
        assert_eq!(
            db.repo
                .dialogue(Talk::Telegram {
                    chat: -100,
                    from: 1001
                })
                .await
                .unwrap(),
            None
        );
        db.repo
            .save_dialogue(
                Talk::Telegram {
                    chat: -100,
                    from: 1001,
                },
                Some(r#"{"step":"title"}"#),
                now,
                None,
            )
            .await
            .unwrap();
        let later = now + Duration::minutes(3);
        db.repo
            .save_dialogue(
                Talk::Telegram {
                    chat: -100,
                    from: 1001,
                },
                Some(r#"{"step":"body"}"#),
                later,
                None,
            )
            .await
            .unwrap();
        db.repo
            .save_dialogue(
                Talk::Telegram {
                    chat: 1001,
                    from: 1001,
                },
                Some(r#"{"step":"lang"}"#),
                now,
                None,
            )
            .await
            .unwrap();
        let row = db
            .repo
            .dialogue(Talk::Telegram {
                chat: -100,
                from: 1001,
            })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (row.state.as_str(), row.updated_at),
            (r#"{"step":"body"}"#, later)
        );
        assert_eq!(
            db.repo
                .dialogue(Talk::Telegram {
                    chat: -100,
                    from: 1002
                })
                .await
                .unwrap(),
            None
        );
        db.repo
            .save_dialogue(
                Talk::Telegram {
                    chat: -100,
                    from: 1001,
                },
                None,
                later,
                None,
            )
            .await
            .unwrap();
        assert_eq!(
            db.repo
                .dialogue(Talk::Telegram {
                    chat: -100,
                    from: 1001
                })
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            db.repo
                .dialogue(Talk::Telegram {
                    chat: 1001,
                    from: 1001
                })
                .await
                .unwrap()
                .unwrap()
                .state,
            r#"{"step":"lang"}"#,
            "another chat's dialogue stays"
        );
        // Ending a dialogue that is not there is fine.
        db.repo
            .save_dialogue(
                Talk::Telegram {
                    chat: -100,
                    from: 1001,
                },
                None,
                later,
                None,
            )
            .await
            .unwrap();
        // A step tied to an update is taken once: the same update again changes nothing.
        let first = db.repo.save_dialogue(
            Talk::Telegram {
                chat: -100,
                from: 1001,
            },
            Some(r#"{"step":"body"}"#),
            later,
            Some(900),
        );
        assert!(first.await.unwrap());
        let again = db.repo.save_dialogue(
            Talk::Telegram {
                chat: -100,
                from: 1001,
            },
            Some(r#"{"step":"category"}"#),
            later,
            Some(900),
        );
        assert!(!again.await.unwrap());
        let row = db
            .repo
            .dialogue(Talk::Telegram {
                chat: -100,
                from: 1001,
            })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.state, r#"{"step":"body"}"#);
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
