//! The board's pages over HTTP: sign-in and its refusals, who sees which page, forms and
//! their CSRF token, the board against `/overdue`, and the wall's privacy.

use chrono::Duration;
use hmac::{Hmac, Mac};
use minyi::domain::{Action, Rating, SuggestionNo};
use minyi::storage::{LoopPolicy, Request, WebSecret};
use sha2::{Digest, Sha256};

use super::{Board, TOKEN};
use crate::support::people::tg;
use crate::support::steps::{act, draft, file, request};
use crate::support::{backends, roster, shanghai};

/// The suggestions every test here starts from, at 2026-03-12 09:00 Shanghai:
/// - `red`: D1's in G1 (town T1), accepted on 1 March: its assignment (3 days) is overdue;
/// - `yellow`: D3's in G2 (town T2), filed on 11 March: its review ends on the 14th;
/// - `green`: D1's, assigned to U1 (county) on 10 March for 30 days;
/// - `closed`: D1's, replied by U1 and rated satisfied.
struct Items {
    red: SuggestionNo,
    yellow: SuggestionNo,
    green: SuggestionNo,
    closed: SuggestionNo,
}

const D1: u32 = 1;
const D2: u32 = 2;
const L1: u32 = 3;
const K1: u32 = 4;
const KC: u32 = 5;
const S1: u32 = 6;
const CH: u32 = 7;
const UA: u32 = 8;
const UB: u32 = 9;
const AD: u32 = 10;
const D3: u32 = 11;
const UC: u32 = 12;

/// Pages in English for people who chose no language (KC, D3 …) and for the signed-out.
const ENGLISH: &str = "default_lang = \"en-US\"";

fn now() -> chrono::DateTime<chrono::Utc> {
    shanghai(2026, 3, 12, 9, 0)
}

async fn items(db: &crate::support::TestDb) -> Items {
    roster(db).await;
    let accept = Action::Accept { level: None };
    let red = file(
        db,
        tg(D1),
        draft("Lamps out", "Half the lamps are out.", "economy"),
        shanghai(2026, 3, 1, 8, 0),
    )
    .await;
    act(db, tg(L1), red, accept.clone(), shanghai(2026, 3, 1, 9, 0)).await;
    let yellow = file(
        db,
        tg(D3),
        draft("Bus stop", "No shelter at the stop.", "livelihood"),
        shanghai(2026, 3, 11, 9, 0),
    )
    .await;
    let assign = |lead: &str| Request::Assign {
        lead: lead.into(),
        co: Vec::new(),
        days: None,
        level: None,
    };
    let green = file(
        db,
        tg(D1),
        draft("Potholes", "Potholes on Elm Road.", "economy"),
        shanghai(2026, 3, 9, 9, 0),
    )
    .await;
    act(
        db,
        tg(L1),
        green,
        accept.clone(),
        shanghai(2026, 3, 9, 10, 0),
    )
    .await;
    request(db, tg(KC), green, assign("U1"), shanghai(2026, 3, 10, 9, 0)).await;
    let closed = file(
        db,
        tg(D1),
        draft("Library hours", "Open on Sundays.", "livelihood"),
        shanghai(2026, 2, 1, 9, 0),
    )
    .await;
    act(db, tg(L1), closed, accept, shanghai(2026, 2, 1, 10, 0)).await;
    request(db, tg(KC), closed, assign("U1"), shanghai(2026, 2, 2, 9, 0)).await;
    let progress = Action::Progress {
        text: "Internal note: budget meeting on Friday".into(),
    };
    act(db, tg(UA), closed, progress, shanghai(2026, 2, 5, 9, 0)).await;
    let reply = Action::Reply {
        text: "The library opens on Sundays from April.".into(),
    };
    act(db, tg(UA), closed, reply, shanghai(2026, 2, 10, 9, 0)).await;
    act(
        db,
        tg(D1),
        closed,
        Action::Rate {
            rating: Rating::Satisfied,
        },
        shanghai(2026, 2, 11, 9, 0),
    )
    .await;
    Items {
        red,
        yellow,
        green,
        closed,
    }
}

/// The numbers a board page lists, in order.
fn listed(page: &str) -> Vec<String> {
    page.split("href=\"/s/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_link_signs_in_once_and_signing_out_ends_the_session() {
    for db in backends().await {
        let name = db.name;
        roster(&db).await;
        let board = Board::start(db, ENGLISH, now()).await;
        // Without a session: 401 with how to sign in.
        let answer = board.get(None, "/board").await;
        assert_eq!(answer.status, 401, "{name}");
        assert!(answer.body.contains("/web"), "{name}");

        let link = WebSecret::new();
        let at = now();
        board
            .db
            .repo
            .create_web_link(tg(K1), &link.hash(), at, at + Duration::minutes(10))
            .await
            .unwrap();
        let path = format!("/web/in/{}", link.expose());
        // Opening the link (a preview, a scanner) does not use it up.
        assert_eq!(board.get(None, &path).await.status, 200, "{name}");
        let first = board.post(None, &path, &[]).await;
        assert_eq!(
            (first.status, first.location.as_deref()),
            (303, Some("/board")),
            "{name}"
        );
        let cookie = first.cookie.clone().expect("a session cookie");
        let again = board.post(None, &path, &[]).await;
        assert_eq!(again.status, 403, "{name}: a link signs in once");
        assert!(
            again.body.contains("used already"),
            "{name}: {}",
            again.body
        );
        assert!(again.cookie.is_none(), "{name}");

        let session = super::Session {
            cookie,
            csrf: String::new(),
        };
        let page = board.get(Some(&session), "/board").await;
        assert_eq!(page.status, 200, "{name}");
        let csrf = super::hidden(&page.body, "csrf").expect("a form token");
        // Signing out needs the form token; without it the session stays.
        assert_eq!(
            board.post(Some(&session), "/web/out", &[]).await.status,
            403,
            "{name}"
        );
        assert_eq!(
            board
                .post(Some(&session), "/web/out", &[("csrf", "forged")])
                .await
                .status,
            403,
            "{name}"
        );
        assert_eq!(
            board.get(Some(&session), "/board").await.status,
            200,
            "{name}"
        );
        assert_eq!(
            board
                .post(Some(&session), "/web/out", &[("csrf", &csrf)])
                .await
                .status,
            200,
            "{name}"
        );
        assert_eq!(
            board.get(Some(&session), "/board").await.status,
            401,
            "{name}: signed out"
        );

        // A link past its ten minutes, and one never given.
        let late = WebSecret::new();
        board
            .db
            .repo
            .create_web_link(tg(K1), &late.hash(), at, at + Duration::minutes(10))
            .await
            .unwrap();
        board.clock.advance(Duration::minutes(11));
        let expired = board
            .post(None, &format!("/web/in/{}", late.expose()), &[])
            .await;
        assert_eq!(expired.status, 403, "{name}");
        assert!(expired.body.contains("expired"), "{name}");
        let unknown = board.post(None, "/web/in/nothing-like-a-token", &[]).await;
        assert_eq!(unknown.status, 403, "{name}");
        board.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ends_after_its_hours_and_its_cookie_is_http_only() {
    for db in backends().await {
        let name = db.name;
        roster(&db).await;
        let board = Board::start(db, ENGLISH, now()).await;
        let link = WebSecret::new();
        board
            .db
            .repo
            .create_web_link(tg(KC), &link.hash(), now(), now() + Duration::minutes(10))
            .await
            .unwrap();
        let answer = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(format!("{}/web/in/{}", board.base, link.expose()))
            .send()
            .await
            .unwrap();
        let cookie = answer.headers()["set-cookie"].to_str().unwrap().to_owned();
        for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
            assert!(cookie.contains(part), "{name}: {cookie}");
        }
        // Served over plain http (a test), the cookie cannot be Secure; a deployment's is.
        assert!(!cookie.contains("Secure"), "{name}: {cookie}");
        let session = super::Session {
            cookie: cookie.split(';').next().unwrap().to_owned(),
            csrf: String::new(),
        };
        board.clock.advance(Duration::hours(11));
        assert_eq!(
            board.get(Some(&session), "/board").await.status,
            200,
            "{name}"
        );
        board.clock.advance(Duration::hours(1));
        assert_eq!(
            board.get(Some(&session), "/board").await.status,
            401,
            "{name}: a stale session"
        );
        board.finish().await;
    }
}

/// Which pages each role gets: the board for supervisors and units, a suggestion's page for
/// whoever may see it in chat, 404 for anyone else exactly as for a number that does not
/// exist.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_for_every_role_in_and_out_of_scope() {
    for db in backends().await {
        let name = db.name;
        let items = items(&db).await;
        let board = Board::start(db, ENGLISH, now()).await;
        let everyone = [D1, D2, L1, K1, KC, S1, CH, UA, UB, AD, D3, UC];
        let (red, yellow, green, closed) = (
            items.red.to_string(),
            items.yellow.to_string(),
            items.green.to_string(),
            items.closed.to_string(),
        );
        // The board: None for 403, else the numbers listed.
        let boards: &[(u32, Option<Vec<&str>>)] = &[
            (D1, None),
            (D2, None),
            (L1, None),
            (D3, None),
            (K1, Some(vec![&red, &green])),
            (S1, Some(vec![&red, &green])),
            (CH, Some(vec![&red, &green])),
            (KC, Some(vec![&red, &yellow, &green])),
            (AD, Some(vec![&red, &yellow, &green])),
            (UA, Some(vec![&green])),
            (UB, Some(vec![])),
            (UC, Some(vec![])),
        ];
        let mut combinations = 0;
        for (person, expected) in boards {
            let session = board.sign_in(tg(*person)).await;
            let page = board.get(Some(&session), "/board").await;
            match expected {
                None => assert_eq!(page.status, 403, "{name}: person {person}"),
                Some(numbers) => {
                    assert_eq!(page.status, 200, "{name}: person {person}");
                    assert_eq!(listed(&page.body), *numbers, "{name}: person {person}");
                }
            }
            combinations += 1;
        }
        // A suggestion's page: who may see each, as in chat.
        let sees: &[(&str, &[u32])] = &[
            (&red, &[D1, L1, K1, KC, S1, CH, AD]),
            (&yellow, &[D3, KC, AD]),
            (&green, &[D1, L1, K1, KC, S1, CH, AD, UA]),
            (&closed, &[D1, L1, K1, KC, S1, CH, AD, UA]),
        ];
        for person in everyone {
            let session = board.sign_in(tg(person)).await;
            for (no, allowed) in sees {
                let page = board.get(Some(&session), &format!("/s/{no}")).await;
                let expected = if allowed.contains(&person) { 200 } else { 404 };
                assert_eq!(page.status, expected, "{name}: person {person} on {no}");
                let chat = board
                    .db
                    .repo
                    .view(tg(person), no.parse().unwrap())
                    .await
                    .is_ok();
                assert_eq!(
                    chat,
                    expected == 200,
                    "{name}: person {person} on {no}: the page and the chat agree"
                );
                combinations += 1;
            }
            let unknown = board.get(Some(&session), "/s/2026-9999").await;
            assert_eq!(unknown.status, 404, "{name}");
            let malformed = board.get(Some(&session), "/s/not-a-number").await;
            assert_eq!(malformed.status, 404, "{name}");
        }
        println!("{name}: {combinations} page × role combinations");
        board.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_takes_the_chat_step_with_its_pushes_and_a_refused_one_changes_nothing() {
    for db in backends().await {
        let name = db.name;
        let items = items(&db).await;
        let board = Board::start(db, ENGLISH, now()).await;
        let red = items.red.to_string();
        let outbox = "SELECT COUNT(*) FROM outbox";

        // The town clerk sees the assign form with the town's unit only (U3).
        let clerk = board.sign_in(tg(K1)).await;
        let page = board.get(Some(&clerk), &format!("/s/{red}")).await;
        assert!(page.body.contains("data-step=\"assign\""), "{name}");
        assert!(
            page.body.contains("value=\"U3\"") && !page.body.contains("value=\"U1\""),
            "{name}"
        );
        assert!(
            !page.body.contains("data-step=\"accept\""),
            "{name}: not the clerk's step, nor the state's"
        );

        // Without the form token, or with another session's: refused, nothing changed.
        let before = (
            board.db.count("SELECT COUNT(*) FROM events").await,
            board.db.count(outbox).await,
        );
        let other = board.sign_in(tg(KC)).await;
        for csrf in ["", "forged", other.csrf.as_str()] {
            let posted = board
                .post(
                    Some(&clerk),
                    &format!("/s/{red}"),
                    &[("csrf", csrf), ("step", "assign"), ("lead", "U3")],
                )
                .await;
            assert_eq!(posted.status, 403, "{name}: csrf {csrf:?}");
        }
        // A field missing: named, nothing changed.
        let posted = board
            .post(
                Some(&clerk),
                &format!("/s/{red}"),
                &[
                    ("csrf", &clerk.csrf),
                    ("step", "extend"),
                    ("reason", "rain"),
                ],
            )
            .await;
        assert_eq!(posted.status, 409, "{name}");
        assert!(posted.body.contains("Days"), "{name}: {}", posted.body);
        // The permission table refuses a unit the town clerk may not assign to, as in chat.
        let posted = board
            .post(
                Some(&clerk),
                &format!("/s/{red}"),
                &[("csrf", &clerk.csrf), ("step", "assign"), ("lead", "U1")],
            )
            .await;
        assert_eq!(posted.status, 409, "{name}");
        assert!(posted.body.contains("class=\"refused\""), "{name}");
        // A deputy posting the clerk's step: refused with the chat's reason.
        let deputy = board.sign_in(tg(D1)).await;
        let posted = board
            .post(
                Some(&deputy),
                &format!("/s/{red}"),
                &[("csrf", &deputy.csrf), ("step", "assign"), ("lead", "U3")],
            )
            .await;
        assert_eq!(posted.status, 409, "{name}");
        // Someone who may not see it: 404, as for an unknown number.
        let stranger = board.sign_in(tg(D3)).await;
        let posted = board
            .post(
                Some(&stranger),
                &format!("/s/{red}"),
                &[("csrf", &stranger.csrf), ("step", "assign"), ("lead", "U3")],
            )
            .await;
        assert_eq!(posted.status, 404, "{name}");
        assert_eq!(
            (
                board.db.count("SELECT COUNT(*) FROM events").await,
                board.db.count(outbox).await
            ),
            before,
            "{name}: nothing changed"
        );
        assert_eq!(board.db.state_of(&red).await, "accepted", "{name}");

        // Allowed: assigned, the event on the record and the unit's contact told.
        let posted = board
            .post(
                Some(&clerk),
                &format!("/s/{red}"),
                &[
                    ("csrf", &clerk.csrf),
                    ("step", "assign"),
                    ("lead", "U3"),
                    ("days", "20"),
                ],
            )
            .await;
        assert_eq!(posted.status, 303, "{name}: {}", posted.body);
        assert_eq!(
            posted.location.as_deref(),
            Some(format!("/s/{red}?done=assign").as_str()),
            "{name}"
        );
        assert_eq!(board.db.state_of(&red).await, "assigned", "{name}");
        assert_eq!(
            board.db.count("SELECT COUNT(*) FROM events").await,
            before.0 + 1,
            "{name}"
        );
        let to_unit = board
            .db
            .count("SELECT COUNT(*) FROM outbox WHERE target = '1012'")
            .await;
        assert_eq!(to_unit, 1, "{name}: the unit's contact (UC) is told");
        let page = board.get(Some(&clerk), &posted.location.unwrap()).await;
        assert!(page.body.contains("class=\"flash\""), "{name}");
        assert!(page.body.contains("Street Office"), "{name}");
        board.finish().await;
    }
}

/// The board's yellow and red rows are `/overdue`'s list, in its order, and its counts are
/// the daily report's colours.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_agrees_with_overdue_and_the_daily_report() {
    for db in backends().await {
        let name = db.name;
        let _ = items(&db).await;
        let board = Board::start(db, ENGLISH, now()).await;
        let policy = LoopPolicy::default();
        let green_from = policy.rules.green_from(now());
        for person in [K1, KC, AD] {
            let overdue = board
                .db
                .repo
                .overdue(tg(person), green_from, 1000)
                .await
                .unwrap();
            let expected: Vec<String> = overdue.rows.iter().map(|r| r.no.to_string()).collect();
            let session = board.sign_in(tg(person)).await;
            let mut shown = listed(&board.get(Some(&session), "/board?colour=red").await.body);
            shown.extend(listed(
                &board.get(Some(&session), "/board?colour=yellow").await.body,
            ));
            let mut sorted = shown.clone();
            sorted.sort_by_key(|no| expected.iter().position(|e| e == no));
            assert_eq!(sorted, expected, "{name}: person {person}");
        }
        let groups = board.db.repo.group_open(now(), green_from).await.unwrap();
        let total = |f: fn(&minyi::storage::GroupOpen) -> i64| groups.iter().map(f).sum::<i64>();
        let session = board.sign_in(tg(KC)).await;
        let page = board.get(Some(&session), "/board").await.body;
        for (colour, count) in [
            ("red", total(|g| g.red)),
            ("yellow", total(|g| g.yellow)),
            ("green", total(|g| g.green)),
        ] {
            let shown = listed(
                &board
                    .get(Some(&session), &format!("/board?colour={colour}"))
                    .await
                    .body,
            )
            .len() as i64;
            assert_eq!(shown, count, "{name}: {colour}");
        }
        // Each light has a shape and a word, not a colour alone.
        assert!(
            page.contains("class=\"light red\"") && page.contains("overdue"),
            "{name}"
        );
        board.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_filters_and_searches_and_names_a_filter_it_cannot_read() {
    for db in backends().await {
        let name = db.name;
        let items = items(&db).await;
        let board = Board::start(db, ENGLISH, now()).await;
        let session = board.sign_in(tg(KC)).await;
        let get = |path: String| {
            let session = &session;
            let board = &board;
            async move { listed(&board.get(Some(session), &path).await.body) }
        };
        let (red, yellow, green) = (
            items.red.to_string(),
            items.yellow.to_string(),
            items.green.to_string(),
        );
        assert_eq!(
            get("/board?group=G2".into()).await,
            [yellow.as_str()],
            "{name}"
        );
        assert_eq!(
            get("/board?unit=U1".into()).await,
            [green.as_str()],
            "{name}"
        );
        assert_eq!(
            get("/board?step=accepted".into()).await,
            [red.as_str()],
            "{name}"
        );
        assert_eq!(
            get("/board?category=livelihood".into()).await,
            [yellow.as_str()],
            "{name}"
        );
        assert_eq!(
            get("/board?month=2026-03".into()).await,
            [red.as_str(), yellow.as_str(), green.as_str()],
            "{name}"
        );
        assert_eq!(
            get("/board?month=2026-02".into()).await,
            Vec::<String>::new(),
            "{name}"
        );
        assert_eq!(
            get(format!("/board?q={green}")).await,
            [green.as_str()],
            "{name}"
        );
        assert_eq!(
            get("/board?q=LAMPS".into()).await,
            [red.as_str()],
            "{name}: words, any case"
        );
        assert_eq!(
            get("/board?q=%25".into()).await,
            Vec::<String>::new(),
            "{name}: % is a character"
        );
        assert_eq!(
            get("/board?colour=green&unit=U1".into()).await,
            [green.as_str()],
            "{name}"
        );
        let page = board
            .get(Some(&session), "/board?step=closed&colour=blue")
            .await;
        assert_eq!(page.status, 200, "{name}");
        assert!(page.body.contains("“Step” was not understood"), "{name}");
        assert!(page.body.contains("“Colour” was not understood"), "{name}");
        assert_eq!(
            listed(&page.body).len(),
            3,
            "{name}: the unreadable filters are not applied"
        );
        board.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wall_shows_closed_replies_of_an_org_that_opted_in_and_no_resident() {
    for db in backends().await {
        let name = db.name;
        let items = items(&db).await;
        // A resident's request, adopted and taken to closed: still no resident on the wall.
        let policy = LoopPolicy::default();
        let resident = minyi::storage::NewRequest {
            target: minyi::storage::RequestTarget::Deputy("D1".into()),
            telegram_id: 5555,
            chat_id: 5555,
            text: "Streetlight broken at No. 8\nResident Wang Xiaoming, phone 13800000000".into(),
            attachment: Default::default(),
        };
        let opened = db
            .repo
            .open_request(&policy, resident, shanghai(2026, 2, 3, 9, 0), None)
            .await
            .unwrap();
        let minyi::storage::RequestApplied::Done { no: rno, .. } = opened else {
            panic!("{name}: {opened:?}")
        };
        let adopted = db
            .repo
            .adopt_request(
                &policy,
                tg(D1),
                rno,
                None,
                shanghai(2026, 2, 3, 10, 0),
                None,
            )
            .await
            .unwrap();
        let minyi::storage::RequestApplied::Done {
            suggestion: Some(adopted_no),
            ..
        } = adopted
        else {
            panic!("{name}: {adopted:?}")
        };
        act(
            &db,
            tg(L1),
            adopted_no,
            Action::Accept { level: None },
            shanghai(2026, 2, 4, 9, 0),
        )
        .await;
        request(
            &db,
            tg(KC),
            adopted_no,
            Request::Assign {
                lead: "U1".into(),
                co: Vec::new(),
                days: None,
                level: None,
            },
            shanghai(2026, 2, 4, 10, 0),
        )
        .await;
        act(
            &db,
            tg(UA),
            adopted_no,
            Action::Reply {
                text: "Fixed on 6 February.".into(),
            },
            shanghai(2026, 2, 6, 9, 0),
        )
        .await;
        act(
            &db,
            tg(D1),
            adopted_no,
            Action::Rate {
                rating: Rating::Basic,
            },
            shanghai(2026, 2, 7, 9, 0),
        )
        .await;

        let board = Board::start(db, ENGLISH, now()).await;
        let wall = board.get(None, "/wall/C?lang=en-US").await;
        assert_eq!(wall.status, 200, "{name}");
        let closed = items.closed.to_string();
        assert!(wall.body.contains(&closed), "{name}");
        assert!(
            wall.body
                .contains("The library opens on Sundays from April."),
            "{name}"
        );
        assert!(
            wall.body.contains("Deputy One"),
            "{name}: deputies' work is public"
        );
        assert!(
            wall.body.contains(&adopted_no.to_string())
                && wall.body.contains("Fixed on 6 February."),
            "{name}"
        );
        // Only closed ones; nothing anyone wrote but the reply; no resident.
        for absent in [
            items.red.to_string(),
            items.yellow.to_string(),
            items.green.to_string(),
        ] {
            assert!(
                !wall.body.contains(&absent),
                "{name}: {absent} is not closed"
            );
        }
        let entry = board.get(None, &format!("/wall/C/{closed}")).await;
        assert_eq!(entry.status, 200, "{name}");
        for page in [&wall.body, &entry.body] {
            for secret in ["Internal note", "5555", &rno.to_string(), "R-2026"] {
                assert!(!page.contains(secret), "{name}: {secret} is on the wall");
            }
        }
        // Searchable, paged, and one entry at its own address.
        let found = board.get(None, "/wall/C?q=library").await.body;
        assert!(
            found.contains(&closed) && !found.contains(&adopted_no.to_string()),
            "{name}"
        );
        // An org that did not opt in, an unknown org, an open item: 404.
        assert_eq!(board.get(None, "/wall/T1").await.status, 404, "{name}");
        assert_eq!(board.get(None, "/wall/NOPE").await.status, 404, "{name}");
        assert_eq!(
            board
                .get(None, &format!("/wall/C/{}", items.red))
                .await
                .status,
            404,
            "{name}"
        );
        board.finish().await;
    }
}

/// Telegram's two sign-ins: a Mini App's launch data and a Login redirect, each signed with
/// a key made from the bot's token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_sign_ins_start_a_session_for_the_roster_person_only() {
    for db in backends().await {
        let name = db.name;
        roster(&db).await;
        let board = Board::start(db, ENGLISH, now()).await;
        let auth_date = now().timestamp();
        let launch = |id: i64, at: i64| {
            let user = format!("{{\"id\":{id},\"first_name\":\"K\"}}");
            let fields = [
                ("auth_date", at.to_string()),
                ("query_id", "AAF".to_owned()),
                ("user", user),
            ];
            let key = hmac(b"WebAppData", TOKEN.as_bytes());
            sign(&fields, &key)
        };
        // The Mini App's page carries the form its script fills from the fragment.
        let page = board.get(None, "/web/app").await;
        assert!(page.body.contains("id=\"mini-app\""), "{name}");
        let ok = board
            .post(None, "/web/app", &[("init_data", &launch(1004, auth_date))])
            .await;
        assert_eq!(
            (ok.status, ok.location.as_deref()),
            (303, Some("/board")),
            "{name}: {}",
            ok.body
        );
        let session = super::Session {
            cookie: ok.cookie.unwrap(),
            csrf: String::new(),
        };
        assert_eq!(
            board.get(Some(&session), "/board").await.status,
            200,
            "{name}"
        );
        let tampered = launch(1004, auth_date).replace("1004", "1005");
        assert_eq!(
            board
                .post(None, "/web/app", &[("init_data", &tampered)])
                .await
                .status,
            403,
            "{name}"
        );
        let stale = board
            .post(
                None,
                "/web/app",
                &[("init_data", &launch(1004, auth_date - 7200))],
            )
            .await;
        assert_eq!(stale.status, 403, "{name}");
        assert!(stale.body.contains("too old"), "{name}");
        let resident = board
            .post(None, "/web/app", &[("init_data", &launch(5555, auth_date))])
            .await;
        assert_eq!(resident.status, 403, "{name}");
        assert!(resident.body.contains("not on the roster"), "{name}");

        // Telegram Login: the key is SHA-256 of the token.
        let key: Vec<u8> = Sha256::digest(TOKEN.as_bytes()).to_vec();
        let fields = [
            ("auth_date", auth_date.to_string()),
            ("first_name", "Clerk".to_owned()),
            ("id", "1005".to_owned()),
        ];
        let query = sign(&fields, &key);
        let login = board.get(None, &format!("/web/login?{query}")).await;
        assert_eq!(
            (login.status, login.location.as_deref()),
            (303, Some("/board")),
            "{name}"
        );
        let forged = board
            .get(
                None,
                &format!("/web/login?{}", query.replace("Clerk", "Chair")),
            )
            .await;
        assert_eq!(forged.status, 403, "{name}");
        board.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_are_limited_and_every_page_keeps_to_its_own_assets() {
    for db in backends().await {
        let name = db.name;
        roster(&db).await;
        let board = Board::start(db, ENGLISH, now()).await;
        for page in [
            "/web",
            "/web/app",
            "/wall/C",
            "/board",
            "/web/static/minyi.css",
        ] {
            let answer = reqwest::get(format!("{}{page}", board.base)).await.unwrap();
            let csp = answer.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(csp.contains("default-src 'none'"), "{name}: {page}: {csp}");
            // Nothing from elsewhere; only Telegram Web may frame the Mini App.
            for directive in csp.split(';').map(str::trim) {
                let mut words = directive.split_whitespace();
                let kind = words.next().unwrap_or_default();
                for source in words {
                    let allowed = ["'self'", "'none'", "data:"].contains(&source)
                        || (kind == "frame-ancestors" && source == "https://web.telegram.org");
                    assert!(allowed, "{name}: {page}: {directive}");
                }
            }
            assert_eq!(
                answer.headers()["referrer-policy"],
                "no-referrer",
                "{name}: {page}"
            );
        }
        let script = board.get(None, "/web/static/minyi.js").await;
        assert!(
            script.status == 200 && script.body.contains("tgWebAppData"),
            "{name}"
        );
        for _ in 0..30 {
            assert_eq!(
                board.post(None, "/web/in/guess", &[]).await.status,
                403,
                "{name}"
            );
        }
        // Now even a good link waits a minute.
        let link = WebSecret::new();
        board
            .db
            .repo
            .create_web_link(tg(K1), &link.hash(), now(), now() + Duration::minutes(10))
            .await
            .unwrap();
        let limited = board
            .post(None, &format!("/web/in/{}", link.expose()), &[])
            .await;
        assert_eq!(limited.status, 429, "{name}");
        board.finish().await;
    }
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// A query string signed as Telegram signs it: the fields sorted, `name=value` joined by
/// newlines, HMAC-SHA256 under `key` in hex as `hash`.
fn sign(fields: &[(&str, String)], key: &[u8]) -> String {
    let mut sorted = fields.to_vec();
    sorted.sort();
    let check: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let hash: String = hmac(key, check.join("\n").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut query: Vec<String> = sorted
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    query.push(format!("hash={hash}"));
    query.join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A generated deployment: 45 residents' requests adopted and taken to closed, each resident
/// with a name and phone number in the text they sent; every page of the wall and every
/// entry is read, and no resident's account, request number or contact appears.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wall_never_shows_a_resident_on_any_page() {
    for db in backends().await {
        let name = db.name;
        roster(&db).await;
        let policy = LoopPolicy::default();
        let mut requests = Vec::new();
        for i in 0..45u32 {
            let at = shanghai(2026, 1, 6, 9, 0) + Duration::hours(i64::from(i) * 20);
            let resident = 700_000 + i64::from(i);
            let text = format!(
                "Broken railing No. {i}\nReported by resident Li{i}, phone 1390000{i:04}, account {resident}"
            );
            let concern = minyi::storage::NewRequest {
                target: minyi::storage::RequestTarget::Deputy("D1".into()),
                telegram_id: resident,
                chat_id: resident,
                text,
                attachment: Default::default(),
            };
            let opened = db
                .repo
                .open_request(&policy, concern, at, None)
                .await
                .unwrap();
            let minyi::storage::RequestApplied::Done { no: rno, .. } = opened else {
                panic!("{name}: {opened:?}")
            };
            let adopted = db
                .repo
                .adopt_request(&policy, tg(D1), rno, None, at + Duration::minutes(5), None)
                .await
                .unwrap();
            let minyi::storage::RequestApplied::Done {
                suggestion: Some(no),
                ..
            } = adopted
            else {
                panic!("{name}: {adopted:?}")
            };
            let step = |m: i64| at + Duration::minutes(m);
            act(&db, tg(L1), no, Action::Accept { level: None }, step(10)).await;
            let assign = Request::Assign {
                lead: "U3".into(),
                co: Vec::new(),
                days: None,
                level: None,
            };
            request(&db, tg(K1), no, assign, step(20)).await;
            let note = Action::Progress {
                text: format!("Called Li{i} back"),
            };
            act(&db, tg(UC), no, note, step(30)).await;
            let reply = Action::Reply {
                text: format!("Railing No. {i} repaired."),
            };
            act(&db, tg(UC), no, reply, step(40)).await;
            let rating = Action::Rate {
                rating: Rating::Satisfied,
            };
            act(&db, tg(D1), no, rating, step(50)).await;
            requests.push((resident, rno.to_string(), format!("Li{i}")));
        }
        let board = Board::start(db, ENGLISH, now()).await;
        let mut pages = vec!["/wall/C".to_owned()];
        let mut seen_pages = 0;
        let mut entries = Vec::new();
        while let Some(path) = pages.pop() {
            let page = board.get(None, &path).await;
            assert_eq!(page.status, 200, "{name}: {path}");
            seen_pages += 1;
            entries.extend(
                page.body
                    .split("href=\"/wall/C/")
                    .skip(1)
                    .filter_map(|rest| rest.split('"').next())
                    .map(|href| format!("/wall/C/{}", href.replace("&amp;", "&"))),
            );
            // The link to the next (older) page is the last one before its label.
            if let Some((before, _)) = page.body.split_once("Older")
                && let Some(at) = before.rfind("href=\"")
                && let Some(next) = before[at + 6..].split('"').next()
            {
                pages.push(next.replace("&amp;", "&"));
            }
            assert!(seen_pages <= 3, "{name}: the pages never end");
            for (resident, rno, _) in &requests {
                for secret in [
                    resident.to_string(),
                    rno.clone(),
                    "Called".into(),
                    "phone".into(),
                ] {
                    assert!(!page.body.contains(&secret), "{name}: {secret} on {path}");
                }
            }
        }
        assert_eq!(seen_pages, 3, "{name}: 45 entries, 20 a page");
        // Their words are not searchable either: a hit would tell what they wrote.
        let searched = board.get(None, "/wall/C?q=phone").await;
        assert!(!searched.body.contains("href=\"/wall/C/"), "{name}");
        let by_title = board.get(None, "/wall/C?q=railing").await;
        assert!(by_title.body.contains("href=\"/wall/C/"), "{name}");
        entries.sort();
        entries.dedup();
        assert_eq!(entries.len(), 45, "{name}");
        for path in &entries {
            let page = board.get(None, path).await;
            assert_eq!(page.status, 200, "{name}: {path}");
            assert!(page.body.contains("repaired."), "{name}: {path}");
            for (resident, rno, _) in &requests {
                for secret in [
                    resident.to_string(),
                    rno.clone(),
                    "Called".into(),
                    "phone".into(),
                ] {
                    assert!(!page.body.contains(&secret), "{name}: {secret} on {path}");
                }
            }
        }
        board.finish().await;
    }
}

/// `/web` in chat: without a board address it says so; asked in a group, the link comes to
/// the person privately and never to the group; a resident gets none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_in_chat_sends_the_link_privately_and_only_to_roster_people() {
    use crate::bot::{DEPUTY, G1_CHAT, LEADER, Live, RESIDENT};
    for db in backends().await {
        let name = db.name;
        let live = Live::start(db).await;
        let off = live.say(LEADER, "/web").await;
        assert!(off.text_to(LEADER).contains("[web] public_url"), "{name}");
        live.finish().await;
    }
    for db in backends().await {
        let name = db.name;
        let (live, base) = Live::start_board(db).await;
        let asked = live.say_in(G1_CHAT, DEPUTY, "/web").await;
        assert!(
            asked
                .to(G1_CHAT)
                .iter()
                .all(|d| !d.text.contains("/web/in/")),
            "{name}"
        );
        let link = asked.text_to(DEPUTY);
        assert!(link.contains(&format!("{base}/web/in/")), "{name}: {link}");
        // Over plain http there is no Mini App button (Telegram opens them over https only).
        assert!(
            asked.to(DEPUTY).iter().all(|d| d.buttons.is_empty()),
            "{name}"
        );
        let resident = live.say(RESIDENT, "/web").await;
        assert!(!resident.text_to(RESIDENT).contains("/web/in/"), "{name}");
        assert_eq!(
            live.db.count("SELECT COUNT(*) FROM web_links").await,
            1,
            "{name}: one link, the deputy's"
        );
        live.finish().await;
    }
}
