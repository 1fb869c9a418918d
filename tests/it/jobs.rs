//! The scheduler's jobs at chosen times on the fixture, on both backends: exact recipients,
//! colours switching at the right second, at most one reminder a day, unique runs (also
//! started twice at once), catch-up after a gap.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use minyi::clock::FixedClock;
use minyi::config::Config;
use minyi::domain::{Action, Ask, Rating, SuggestionNo};
use minyi::jobs::scheduler::Scheduler;
use minyi::jobs::{self, Job, JobCtx, Ran};
use minyi::storage::{Request, Who};
use tokio_util::sync::CancellationToken;

use crate::support::people::*;
use crate::support::steps::{self, request as step};
use crate::support::{TestDb, backends, roster, shanghai};

const LEADER_CHAT: &str = "1003";
const SECRETARY_CHAT: &str = "1006";
const CHAIR_CHAT: &str = "1007";
const UNIT_CHAT: &str = "1008";

async fn file(db: &TestDb, who: Who, at: DateTime<Utc>) -> SuggestionNo {
    let draft = steps::draft("Crossing", "A zebra crossing at the school.", "governance");
    steps::file(db, who, draft, at).await
}

/// The leader accepts (town level) at `accepted`; the county clerk assigns to U1 at
/// `assigned`.
async fn accept_and_assign(
    db: &TestDb,
    no: SuggestionNo,
    accepted: DateTime<Utc>,
    assigned: DateTime<Utc>,
) {
    let accept = Request::Action(Action::Accept { level: None });
    step(db, tg(L1), no, accept, accepted).await;
    let assign = Request::Assign {
        lead: "U1".into(),
        co: vec![],
        days: None,
        level: None,
    };
    step(db, tg(KC), no, assign, assigned).await;
}

/// Runs a job as of `at`; answers the (key, chat) pairs it queued.
async fn run(
    db: &TestDb,
    config: &Config,
    job: Job,
    at: DateTime<Utc>,
) -> (Ran, Vec<(String, String)>) {
    let before = db.repo.outbox_after(0, 100_000).await.unwrap().len();
    let ctx = JobCtx::new(db.repo.as_ref(), config);
    let ran = jobs::run(&ctx, job, at, at).await.unwrap();
    let rows = db.repo.outbox_after(0, 100_000).await.unwrap();
    let new = rows[before..]
        .iter()
        .map(|r| (r.key.clone(), r.target.clone()))
        .collect();
    (ran, new)
}

fn to(pushes: &[(String, String)], key: &str) -> Vec<String> {
    let mut chats: Vec<String> = pushes
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, c)| c.clone())
        .collect();
    chats.sort();
    chats
}

#[tokio::test]
async fn deadline_reminders_escalate_by_colour_once_a_day() {
    let config = Config::default();
    for db in backends().await {
        roster(&db).await;
        // Filed Monday 2 March 09:00: the leader's review is due Thursday 5 March 23:59:59.
        let no = file(&db, tg(D1), shanghai(2026, 3, 2, 9, 0)).await;
        // Three days left, within yellow_days (5): the leader and the secretary hear it.
        let (ran, pushes) = run(
            &db,
            &config,
            Job::DeadlineReminders,
            shanghai(2026, 3, 2, 9, 0),
        )
        .await;
        assert!(
            matches!(ran, Ran::Sent(2)),
            "{}: {ran:?} {pushes:?}",
            db.name
        );
        assert_eq!(to(&pushes, "notice-remind-review"), [LEADER_CHAT]);
        assert_eq!(to(&pushes, "notice-remind-supervise"), [SECRETARY_CHAT]);
        // The same run again: nothing. Another run the same day: nobody hears it twice.
        let (ran, _) = run(
            &db,
            &config,
            Job::DeadlineReminders,
            shanghai(2026, 3, 2, 9, 0),
        )
        .await;
        assert_eq!(ran, Ran::Exists);
        let (ran, pushes) = run(
            &db,
            &config,
            Job::DeadlineReminders,
            shanghai(2026, 3, 2, 15, 0),
        )
        .await;
        assert_eq!((ran, pushes.len()), (Ran::Sent(0), 0));
        // The last second of the deadline is still yellow; one second later it is red and
        // the chair hears it too.
        let last = shanghai(2026, 3, 5, 23, 59) + Duration::seconds(59);
        let (_, pushes) = run(&db, &config, Job::DeadlineReminders, last).await;
        assert!(to(&pushes, "notice-remind-chair").is_empty());
        let red = last + Duration::seconds(1);
        let (_, pushes) = run(&db, &config, Job::DeadlineReminders, red).await;
        assert_eq!(to(&pushes, "notice-remind-review"), [LEADER_CHAT]);
        assert_eq!(to(&pushes, "notice-remind-chair"), [CHAIR_CHAT]);
        let args = &db.repo.outbox_after(0, 1000).await.unwrap();
        let chair = args
            .iter()
            .rev()
            .find(|r| r.key == "notice-remind-chair")
            .unwrap();
        assert!(chair.args.contains(&("colour".into(), "red".into())));

        // Accepted and assigned to U1 on 6 March: 30 days, due 5 April. Green for 24 days.
        accept_and_assign(&db, no, red, shanghai(2026, 3, 6, 10, 0)).await;
        let (_, pushes) = run(
            &db,
            &config,
            Job::DeadlineReminders,
            shanghai(2026, 3, 20, 9, 0),
        )
        .await;
        assert!(pushes.is_empty(), "{pushes:?}");
        // Yellow from 31 March (5 days left): the unit's contact and bound chat, the secretary.
        let (_, pushes) = run(
            &db,
            &config,
            Job::DeadlineReminders,
            shanghai(2026, 3, 31, 9, 0),
        )
        .await;
        assert_eq!(to(&pushes, "notice-remind-unit"), ["-200", UNIT_CHAT]);
        assert_eq!(to(&pushes, "notice-remind-supervise"), [SECRETARY_CHAT]);
        assert!(to(&pushes, "notice-remind-chair").is_empty());
        // Red from 6 April: the chair too.
        let (_, pushes) = run(
            &db,
            &config,
            Job::DeadlineReminders,
            shanghai(2026, 4, 6, 9, 0),
        )
        .await;
        assert_eq!(to(&pushes, "notice-remind-chair"), [CHAIR_CHAT]);
        db.finish().await;
    }
}

/// A co-unit hears its own words and is asked for progress only; a contact of the lead unit
/// and a co-unit both hears the lead unit's push alone, at the assignment and in reminders.
#[tokio::test]
async fn a_co_unit_is_told_and_reminded_in_its_own_words_and_a_contact_of_both_once() {
    let config = Config::default();
    for db in backends().await {
        roster(&db).await;
        let both = "code,name,roles,scope,telegram_id,lang\nUD,Unit D contact,unit,U1;U2,1020,\n";
        let lines = minyi::roster::parse(minyi::roster::RosterKind::People, both.as_bytes());
        db.repo
            .import_roster(&lines, None)
            .await
            .expect("UD imported");
        let t0 = shanghai(2026, 3, 2, 9, 0);
        let no = file(&db, tg(D1), t0).await;
        let accept = Request::Action(Action::Accept { level: None });
        step(&db, tg(L1), no, accept, t0).await;
        let assign = Request::Assign {
            lead: "U1".into(),
            co: vec!["U2".into()],
            days: None,
            level: None,
        };
        step(&db, tg(KC), no, assign, t0).await;
        let rows = db.repo.outbox_after(0, 100_000).await.unwrap();
        let told = |key: &str| {
            let mut told: Vec<(String, Option<Ask>)> = rows
                .iter()
                .filter(|r| r.key == key)
                .map(|r| (r.target.clone(), r.ask))
                .collect();
            told.sort_by(|a, b| a.0.cmp(&b.0));
            told
        };
        let (handle, progress) = (Some(Ask::Handle(no)), Some(Ask::Progress(no)));
        assert_eq!(
            told("notice-assigned-unit"),
            [
                ("-200".to_string(), handle),
                ("1008".into(), handle),
                ("1020".into(), handle)
            ]
        );
        assert_eq!(told("notice-assigned-co-unit"), [("1009".into(), progress)]);
        // Joint handling: 60 days, due 1 May; yellow from 26 April.
        let (_, pushes) = run(
            &db,
            &config,
            Job::DeadlineReminders,
            shanghai(2026, 4, 27, 9, 0),
        )
        .await;
        assert_eq!(
            to(&pushes, "notice-remind-unit"),
            ["-200", UNIT_CHAT, "1020"]
        );
        assert_eq!(to(&pushes, "notice-remind-co-unit"), ["1009"]);
        db.finish().await;
    }
}

#[tokio::test]
async fn the_rating_window_reminds_on_day_seven_and_closes_unrated() {
    let config = Config::default();
    for db in backends().await {
        roster(&db).await;
        let t0 = shanghai(2026, 3, 2, 9, 0);
        let no = file(&db, tg(D1), t0).await;
        accept_and_assign(&db, no, t0, t0).await;
        // Replied 3 March: the window ends 18 March 23:59:59; the reminder is on 10 March.
        let reply = Request::Action(Action::Reply {
            text: "Done".into(),
        });
        step(&db, tg(UA), no, reply, shanghai(2026, 3, 3, 10, 0)).await;
        let (_, pushes) = run(
            &db,
            &config,
            Job::DeadlineReminders,
            shanghai(2026, 3, 9, 9, 0),
        )
        .await;
        assert!(to(&pushes, "notice-remind-rate").is_empty(), "{pushes:?}");
        let (_, pushes) = run(
            &db,
            &config,
            Job::DeadlineReminders,
            shanghai(2026, 3, 10, 9, 0),
        )
        .await;
        assert_eq!(to(&pushes, "notice-remind-rate"), ["1001"]);
        let (_, pushes) = run(
            &db,
            &config,
            Job::DeadlineReminders,
            shanghai(2026, 3, 11, 9, 0),
        )
        .await;
        assert!(to(&pushes, "notice-remind-rate").is_empty(), "once only");
        // After the window: closed unrated, by the system.
        run(
            &db,
            &config,
            Job::DeadlineReminders,
            shanghai(2026, 3, 19, 9, 0),
        )
        .await;
        let s = db.repo.suggestion(no).await.unwrap().unwrap();
        assert_eq!(s.state.as_str(), "closed");
        assert_eq!(s.outcome.map(|o| o.as_str()), Some("unrated"));
        assert_eq!(s.rating, None::<Rating>);
        db.finish().await;
    }
}

#[tokio::test]
async fn quota_and_reception_reminders() {
    let config = Config::default();
    for db in backends().await {
        roster(&db).await;
        file(&db, tg(D1), shanghai(2026, 3, 3, 9, 0)).await;
        // 25 March: deputies with fewer than 1 suggestion this month, privately.
        let (_, pushes) = run(
            &db,
            &config,
            Job::QuotaReminders,
            shanghai(2026, 3, 25, 9, 0),
        )
        .await;
        assert_eq!(
            to(&pushes, "notice-quota"),
            ["1002", "1003", "1011"],
            "{}",
            db.name
        );
        // 19 March 18:00: tomorrow is the 20th, a reception day.
        let (_, pushes) = run(
            &db,
            &config,
            Job::ReceptionReminders,
            shanghai(2026, 3, 19, 18, 0),
        )
        .await;
        assert_eq!(
            to(&pushes, "notice-reception-deputy"),
            ["1001", "1002", "1003", "1011"]
        );
        assert_eq!(to(&pushes, "notice-reception-group"), ["-100"]);
        // 18 March: tomorrow is not; the run is recorded with nothing sent.
        let (ran, pushes) = run(
            &db,
            &config,
            Job::ReceptionReminders,
            shanghai(2026, 3, 18, 18, 0),
        )
        .await;
        assert_eq!((ran, pushes.len()), (Ran::Sent(0), 0));
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_run_started_twice_at_once_sends_once() {
    let config = Config::default();
    for db in backends().await {
        roster(&db).await;
        let at = shanghai(2026, 3, 19, 18, 0);
        let ctx = JobCtx::new(db.repo.as_ref(), &config);
        let (a, b) = tokio::join!(
            jobs::run(&ctx, Job::ReceptionReminders, at, at),
            jobs::run(&ctx, Job::ReceptionReminders, at, at)
        );
        let mut outcomes = [a.unwrap(), b.unwrap()];
        outcomes.sort_by_key(|r| matches!(r, Ran::Exists));
        assert_eq!(outcomes, [Ran::Sent(5), Ran::Exists], "{}", db.name);
        let sent = db
            .count("SELECT COUNT(*) FROM outbox WHERE key LIKE 'notice-reception-%'")
            .await;
        assert_eq!(sent, 5);
        db.finish().await;
    }
}

#[tokio::test]
async fn after_a_gap_the_scheduler_catches_up_the_latest_run_only() {
    for db in backends().await {
        roster(&db).await;
        // The scheduler first started on 1 January and last ran the reminders on 1 March.
        db.repo
            .scheduler_since(shanghai(2026, 1, 1, 0, 0))
            .await
            .unwrap();
        let config = Arc::new(Config::default());
        let first = shanghai(2026, 3, 1, 9, 0);
        let ctx = JobCtx::new(db.repo.as_ref(), &config);
        jobs::run(&ctx, Job::DeadlineReminders, first, first)
            .await
            .unwrap();
        // Back on 5 March at 10:00.
        let clock = FixedClock::new(shanghai(2026, 3, 5, 10, 0));
        let scheduler = Scheduler {
            repo: Arc::clone(&db.repo),
            config,
            clock: Arc::new(clock),
            metrics: minyi::metrics::Metrics::off(),
        };
        let stop = CancellationToken::new();
        let task = tokio::spawn(scheduler.run(stop.clone()));
        let mut runs = 0;
        for _ in 0..100 {
            runs = db
                .count("SELECT COUNT(*) FROM job_runs WHERE job = 'deadline_reminders'")
                .await;
            if runs == 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        stop.cancel();
        task.await.unwrap();
        assert_eq!(runs, 2, "{}", db.name);
        let latest = shanghai(2026, 3, 5, 9, 0).timestamp_millis();
        let caught = db
            .count(&format!("SELECT COUNT(*) FROM job_runs WHERE job = 'deadline_reminders' AND fire_time = {latest}"))
            .await;
        assert_eq!(caught, 1, "the latest missed run, once");
        // The 25th's quota run and the evening reception runs of the gap are not made up
        // either: only the latest missed evening (4 March 18:00) ran.
        let reception = db
            .count("SELECT COUNT(*) FROM job_runs WHERE job = 'reception_reminders'")
            .await;
        assert_eq!(reception, 1);
        db.finish().await;
    }
}

#[tokio::test]
async fn every_push_of_the_jobs_renders_in_both_languages() {
    let config = Config::default();
    let db = crate::support::sqlite().await;
    roster(&db).await;
    file(&db, tg(D1), shanghai(2026, 3, 2, 9, 0)).await;
    for (job, at) in [
        (Job::DailyReport, shanghai(2026, 3, 6, 8, 0)),
        (Job::DeadlineReminders, shanghai(2026, 3, 6, 9, 0)),
        (Job::QuotaReminders, shanghai(2026, 3, 25, 9, 0)),
        (Job::ReceptionReminders, shanghai(2026, 3, 19, 18, 0)),
    ] {
        run(&db, &config, job, at).await;
    }
    let rows = db.repo.outbox_after(0, 1000).await.unwrap();
    let keys: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    assert!(keys.len() >= 8, "{keys:?}");
    for row in rows.iter().filter(|r| !r.key.starts_with("notice-filed")) {
        for lang in minyi::i18n::Lang::ALL {
            let mut row = row.clone();
            row.lang = lang;
            let text = minyi::notify::worker::render(&row);
            assert!(
                text != row.key && !text.contains('{') && !text.contains('$'),
                "{}: {text}",
                row.key
            );
        }
    }
    let mut red = rows
        .iter()
        .find(|r| r.key == "notice-remind-review")
        .unwrap()
        .clone();
    red.lang = minyi::i18n::Lang::EnUs;
    let text = minyi::notify::worker::render(&red);
    assert!(text.starts_with("🔴 Overdue"), "{text}");
    db.finish().await;
}

#[tokio::test]
async fn the_daily_report_counts_per_deputy_group_and_org() {
    let mut config = Config::default();
    config.default_lang = minyi::i18n::Lang::EnUs;
    for db in backends().await {
        roster(&db).await;
        file(&db, tg(D1), shanghai(2026, 3, 1, 10, 0)).await;
        file(&db, tg(D1), shanghai(2026, 3, 2, 10, 0)).await;
        file(&db, tg(D2), shanghai(2026, 3, 2, 11, 0)).await;
        // February's filing is not this month's.
        let february = file(&db, tg(D2), shanghai(2026, 2, 27, 11, 0)).await;
        let before = db.repo.outbox_after(0, 1000).await.unwrap().len();
        let ctx = JobCtx::new(db.repo.as_ref(), &config);
        let at = shanghai(2026, 3, 3, 8, 0);
        jobs::run(&ctx, Job::DailyReport, at, at).await.unwrap();
        let rows = db.repo.outbox_after(0, 1000).await.unwrap();
        let rows = &rows[before..];
        let body = |chat: &str| {
            let row = rows
                .iter()
                .find(|r| r.target == chat)
                .unwrap_or_else(|| panic!("{chat}: {rows:?}"));
            row.args
                .iter()
                .find(|(k, _)| k == "body")
                .unwrap()
                .1
                .clone()
        };
        let group = body("-100");
        assert!(
            group.contains("filed that day: 2; this month: 3"),
            "{}: {group}",
            db.name
        );
        assert!(
            group.contains("· Deputy One: 2 this month (1 that day)"),
            "{group}"
        );
        assert!(
            group.contains("· Deputy Two: 1 this month (1 that day)"),
            "{group}"
        );
        assert!(group.contains("None this month yet: Leader One"), "{group}");
        // February's is red now (its review was due 2 March); March's three are yellow.
        assert!(
            group.contains("Open: 🟢 0 🟡 3 🔴 1; waiting for a rating: 0"),
            "{group}"
        );
        // The red item is listed, in the group's report and the org's (with its group).
        let red = format!("· {february} “Crossing” — submitted, due 2026-03-02 23:59");
        assert!(
            group.contains(&format!("🔴 Overdue (1), listed until they move:\n{red}")),
            "{group}"
        );
        let org = body("-400");
        let red = format!("· Renmin deputies: {february} “Crossing”");
        assert!(org.contains(&red), "{org}");
        let first = org.lines().next().unwrap();
        assert!(
            first.starts_with("1. Renmin deputies: 3 this month"),
            "{org}"
        );
        assert!(
            org.lines()
                .nth(1)
                .unwrap()
                .starts_with("2. Dongshan deputies: 0 this month"),
            "{org}"
        );
        assert_eq!(rows.len(), 2, "one report a bound group or org chat");
        db.finish().await;
    }
}

/// `/overdue`, the daily report and `deadline_reminders` select the same steps: the yellow
/// and red ones of the review, the assignment and the handling, not replies waiting for a
/// rating.
#[tokio::test]
async fn overdue_the_daily_report_and_the_reminders_agree() {
    use minyi::domain::reminders::reminded;
    let config = Config::default();
    let rules = config.rules();
    for db in backends().await {
        roster(&db).await;
        let day = |m, d| shanghai(2026, m, d, 10, 0);
        // Review due 4 March: red on the 10th.
        let a = file(&db, tg(D1), day(3, 1)).await;
        // Reviews due 12 March: yellow, in G1 and in G2.
        let b = file(&db, tg(D1), day(3, 9)).await;
        let c = file(&db, tg(D3), day(3, 9)).await;
        // Assigned 3 March, due 2 April: green.
        let d = file(&db, tg(D2), day(3, 2)).await;
        accept_and_assign(&db, d, day(3, 3), day(3, 3)).await;
        // Replied 3 March: its rating window ends within the yellow days, but it is the
        // deputy's step, waiting for a rating.
        let e = file(&db, tg(D2), day(3, 2)).await;
        accept_and_assign(&db, e, day(3, 2), day(3, 2)).await;
        let reply = Request::Action(Action::Reply {
            text: "Done".into(),
        });
        step(&db, tg(UA), e, reply, day(3, 3)).await;
        // Accepted 21 February, never assigned (due 24 February): red.
        let f = file(&db, tg(L1), day(2, 20)).await;
        let accept = Request::Action(Action::Accept { level: None });
        step(&db, tg(L1), f, accept, day(2, 21)).await;

        let at = shanghai(2026, 3, 10, 9, 0);
        let listed = db
            .repo
            .overdue(tg(AD), rules.green_from(at), 50)
            .await
            .unwrap();
        let mut overdue: Vec<_> = listed.rows.iter().map(|r| r.no).collect();
        overdue.sort();
        let mut want = vec![a, b, c, f];
        want.sort();
        assert_eq!(overdue, want, "{}", db.name);
        assert_eq!(listed.total, 4);

        let open = db
            .repo
            .open_deadlines(at + Duration::days(60))
            .await
            .unwrap();
        let mut reminded_nos: Vec<_> = open
            .iter()
            .filter(|s| {
                let colour = rules.colour(s.deadline.unwrap(), at);
                !reminded(s.no, s.state, colour, &[]).is_empty()
            })
            .map(|s| s.no)
            .collect();
        reminded_nos.sort();
        assert_eq!(reminded_nos, want, "{}", db.name);

        let yesterday = rules.local_date(at) - Duration::days(1);
        let report =
            minyi::reports::daily::gather(db.repo.as_ref(), &rules, &[1, 20], yesterday, at)
                .await
                .unwrap();
        let (yellow, red): (i64, i64) = report
            .groups
            .iter()
            .fold((0, 0), |(y, r), g| (y + g.open.yellow, r + g.open.red));
        assert_eq!((yellow, red), (2, 2), "{}", db.name);
        let g1 = report.group("G1").unwrap();
        assert_eq!((g1.open.green, g1.open.waiting_rating), (1, 1));
        let mut red_listed: Vec<_> = report
            .groups
            .iter()
            .flat_map(|g| g.red.iter().map(|r| r.no))
            .collect();
        red_listed.sort();
        let mut red_overdue: Vec<_> = listed
            .rows
            .iter()
            .filter(|r| r.deadline.unwrap() < at)
            .map(|r| r.no)
            .collect();
        red_overdue.sort();
        assert_eq!(red_listed, red_overdue, "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn the_monthly_report_goes_to_org_chats_as_text_ledger_and_chart() {
    let mut config = Config::default();
    config.default_lang = minyi::i18n::Lang::EnUs;
    for db in backends().await {
        roster(&db).await;
        // March: two filed in G1, one closed satisfied.
        let a = file(&db, tg(D1), shanghai(2026, 3, 2, 9, 0)).await;
        file(&db, tg(D2), shanghai(2026, 3, 3, 9, 0)).await;
        let t = shanghai(2026, 3, 4, 9, 0);
        accept_and_assign(&db, a, t, t).await;
        step(
            &db,
            tg(UA),
            a,
            Request::Action(Action::Reply {
                text: "Done".into(),
            }),
            t,
        )
        .await;
        let rate = Request::Action(Action::Rate {
            rating: Rating::Satisfied,
        });
        step(&db, tg(D1), a, rate, t).await;
        let before = db.repo.outbox_after(0, 1000).await.unwrap().len();
        let at = shanghai(2026, 4, 1, 9, 0);
        let (ran, _) = run(&db, &config, Job::MonthlyReport, at).await;
        assert_eq!(ran, Ran::Sent(3), "{}", db.name);
        let rows = db.repo.outbox_after(0, 1000).await.unwrap();
        let rows = &rows[before..];
        // County C's chat (-400): the text, the ledger, the chart.
        assert!(rows.iter().all(|r| r.target == "-400"), "{rows:?}");
        let text = &rows[0].args.iter().find(|(k, _)| k == "body").unwrap().1;
        assert!(text.contains("2026") && text.contains("100.0%"), "{text}");
        assert_eq!(rows[1].key, "file-document");
        assert_eq!(rows[2].key, "file-photo");
        let (name, xlsx) = db.repo.outbox_file(rows[1].id).await.unwrap().unwrap();
        assert_eq!(name, "ledger-C-2026-03.xlsx");
        assert!(xlsx.starts_with(b"PK"), "an xlsx is a zip");
        let (_, png) = db.repo.outbox_file(rows[2].id).await.unwrap().unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let info = decoder.read_info().unwrap();
        assert_eq!((info.info().width, info.info().height), (1200, 700));
        // Delivered: a message, a document and a photo to the chat.
        let sandbox = minyi::sandbox::Sandbox::start(Default::default())
            .await
            .unwrap();
        db.exec("UPDATE outbox SET state = 'sent' WHERE key NOT IN ('report-monthly', 'file-document', 'file-photo')")
            .await
            .unwrap();
        let worker = crate::delivery::worker(&db, &sandbox, 3);
        crate::delivery::drain(&db, worker, std::time::Duration::from_secs(20)).await;
        let sent: Vec<String> = sandbox
            .delivered_to(-400)
            .iter()
            .map(|d| d.method.clone())
            .collect();
        assert_eq!(
            sent,
            ["sendmessage", "senddocument", "sendphoto"],
            "{}",
            db.name
        );
        let names: Vec<Option<String>> = sandbox
            .delivered_to(-400)
            .iter()
            .map(|d| d.file_name.clone())
            .collect();
        assert_eq!(names[1].as_deref(), Some("ledger-C-2026-03.xlsx"));
        sandbox.shutdown().await;
        db.finish().await;
    }
}

/// Two `minyi jobs run` processes started at once on the same PostgreSQL database: one
/// queues the run, the other finds it claimed; the messages are queued once.
#[tokio::test]
async fn two_processes_running_the_same_job_at_once_send_once() {
    let Some(db) = crate::support::postgres().await else {
        return;
    };
    roster(&db).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("minyi.toml"), "default_lang = \"en-US\"\n").unwrap();
    let spawn = |at: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_minyi"))
            .args(["jobs", "run", "reception_reminders", "--at", at])
            .current_dir(dir.path())
            .env_remove("MINYI_CONFIG")
            .env_remove("TELOXIDE_TOKEN")
            .env("MINYI_DATABASE_URL", &db.url)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run minyi")
    };
    let mut sent_before = 0;
    // Three rounds, each a run of its own (another fire time), each raced by two processes.
    for at in [
        "2026-03-19T18:00:00+08:00",
        "2026-03-19T18:00:01+08:00",
        "2026-03-19T18:00:02+08:00",
    ] {
        let (a, b) = (spawn(at), spawn(at));
        let outputs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        let said: Vec<String> = outputs
            .iter()
            .map(|o| {
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                String::from_utf8_lossy(&o.stdout).into_owned()
            })
            .collect();
        let ran: Vec<&String> = said.iter().filter(|s| s.contains("queued")).collect();
        let exists = said
            .iter()
            .filter(|s| s.contains("has already run"))
            .count();
        assert_eq!((ran.len(), exists), (1, 1), "{at}: {said:?}");
        let sent = db
            .count("SELECT COUNT(*) FROM outbox WHERE key LIKE 'notice-reception-%'")
            .await;
        // The roster's four deputies (D1, D2, L1, D3) and G1's bound chat.
        assert_eq!(sent - sent_before, 5, "{at}: {said:?}");
        assert!(ran[0].contains(": 5 messages queued"), "{}", ran[0]);
        sent_before = sent;
    }
    db.finish().await;
}
