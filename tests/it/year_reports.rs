//! The year's reports (issue 16) on both backends, over a year of 2026 taken through the real
//! repository with every figure known in advance: `minyi report deputies` (the workbook read
//! back with calamine), `minyi report key` (text and workbook: a key suggestion of 2025 still
//! open is carried over, one with a failed vote then a passed one shows both in order), and
//! the board's record page with its permissions.

use std::path::Path;
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use minyi::config::Config;
use minyi::domain::{Action, Attachment, Rating, Reception, ResidentNo, SuggestionNo, VoteResult};
use minyi::i18n::{self, Lang};
use minyi::reports::{Setting, deputies};
use minyi::storage::{LoopPolicy, NewRequest, Noted, RequestApplied, RequestTarget, VoterReport};

use crate::support::people::*;
use crate::support::steps::{self, act};
use crate::support::{PEOPLE, TestDb, backends, roster_with_people, shanghai};
use crate::web::Board;

/// The fixture's people and a clerk of Dongshan (T2), who is above D3 only.
fn people() -> String {
    format!("{PEOPLE}K2,Clerk Dongshan,clerk,T2,1013,\n")
}
const K2: u32 = 13;

/// The reception days of the month the fixture records on.
const RECEPTION_DAYS: [u32; 2] = [1, 20];

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    shanghai(y, m, d, 10, 0)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// When the reports are made: the end of 2026.
fn now() -> DateTime<Utc> {
    shanghai(2026, 12, 28, 10, 0)
}

/// The key suggestions the key report is about.
struct Keys {
    /// D1's of October 2025, voted through on 15 December 2025: not carried into 2026.
    closed_2025: SuggestionNo,
    /// D2's of November 2025, still being handled: carried over (结转) into 2026.
    carried: SuggestionNo,
    /// D1's of March 2026: a failed vote on 30 June, a passed one on 20 December.
    voted: SuggestionNo,
}

async fn file(
    db: &TestDb,
    who: u32,
    title: &str,
    category: &str,
    when: DateTime<Utc>,
) -> SuggestionNo {
    steps::file(db, tg(who), steps::draft(title, "Body", category), when).await
}

/// Accepted by G1's leader and assigned to U1 alone (30 days) by the county's clerk.
async fn assign(db: &TestDb, no: SuggestionNo, when: DateTime<Utc>) {
    act(db, tg(L1), no, Action::Accept { level: None }, when).await;
    let request = minyi::storage::Request::Assign {
        lead: "U1".into(),
        co: Vec::new(),
        days: None,
        level: None,
    };
    steps::request(db, tg(KC), no, request, when).await;
}

async fn reply(db: &TestDb, no: SuggestionNo, when: DateTime<Utc>) {
    let text = "Done".to_string();
    act(db, tg(UA), no, Action::Reply { text }, when).await;
}

async fn rate(db: &TestDb, deputy: u32, no: SuggestionNo, rating: Rating, when: DateTime<Utc>) {
    act(db, tg(deputy), no, Action::Rate { rating }, when).await;
}

/// The town's chair records the standing committee's vote, held that day.
async fn vote(db: &TestDb, no: SuggestionNo, result: VoteResult, note: &str, when: DateTime<Utc>) {
    let on = when.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let note = note.to_string();
    act(db, tg(CH), no, Action::Vote { result, on, note }, when).await;
}

async fn resident(db: &TestDb, text: &str, when: DateTime<Utc>) -> ResidentNo {
    let request = NewRequest {
        target: RequestTarget::Deputy("D2".into()),
        telegram_id: 777_001,
        chat_id: 777_001,
        text: text.into(),
        attachment: Attachment::default(),
    };
    match db
        .repo
        .open_request(&LoopPolicy::default(), request, when, None)
        .await
    {
        Ok(RequestApplied::Done { no, .. }) => no,
        other => panic!("{}: {other:?}", db.name),
    }
}

async fn received(
    db: &TestDb,
    who: u32,
    code: Option<&str>,
    reception: Reception,
    today: NaiveDate,
) {
    let when = shanghai(today.year(), today.month(), today.day(), 18, 0);
    let noted = db
        .repo
        .record_reception(
            tg(who),
            code,
            &reception,
            today,
            &RECEPTION_DAYS,
            when,
            None,
        )
        .await;
    assert!(
        matches!(noted, Ok(Noted::Done { .. })),
        "{}: {noted:?}",
        db.name
    );
}

async fn reported(db: &TestDb, code: &str, report: VoterReport) {
    let today = report.day + chrono::Days::new(1);
    let when = shanghai(today.year(), today.month(), today.day(), 9, 0);
    let noted = db
        .repo
        .record_voter_report(tg(K1), code, &report, today, when, None)
        .await;
    assert!(
        matches!(noted, Ok(Noted::Done { .. })),
        "{}: {noted:?}",
        db.name
    );
}

/// The year, 2025's items that must stay out of 2026 included. The 2026 figures:
///
/// | | D1 | D2 | D3 | L1 |
/// |---|---|---|---|---|
/// | filed (economy, governance, environment, livelihood, other) | 4 (1, 2, 1, 0, 0) | 3 (0, 1, 0, 1, 1) | 1 (0, 0, 1, 0, 0) | 1 (0, 0, 0, 0, 1) |
/// | returned, accepted, assigned, replied, on time, closed | 1, 3, 3, 3, 2, 3 | 0, 2, 2, 1, 1, 0 | 0 | 0 |
/// | satisfied, basic, unsatisfied, key | 2, 1, 0, 1 | 0, 0, 1, 0 | 0 | 0 |
/// | requests received, adopted, declined | 0 | 3, 1, 1 | 0 | 0 |
/// | reception days, residents, reports to voters | 2, 5, 1 | 1, 3, 0 | 0 | 0, 0, 1 |
async fn year(db: &TestDb) -> Keys {
    roster_with_people(db, &people()).await;

    // 2025: a key suggestion voted through, one carried over, a reception day and a report.
    let closed_2025 = file(db, D1, "Old lamps", "economy", at(2025, 10, 6)).await;
    assign(db, closed_2025, at(2025, 10, 6)).await;
    act(db, tg(KC), closed_2025, Action::Key, at(2025, 10, 7)).await;
    reply(db, closed_2025, at(2025, 10, 8)).await;
    rate(db, D1, closed_2025, Rating::Satisfied, at(2025, 10, 8)).await;
    vote(db, closed_2025, VoteResult::Pass, "", at(2025, 12, 15)).await;
    let carried = file(db, D2, "Old bridge", "governance", at(2025, 11, 10)).await;
    assign(db, carried, at(2025, 11, 10)).await;
    act(db, tg(KC), carried, Action::Key, at(2025, 11, 11)).await;
    let own = |d: NaiveDate, residents, note: &str| Reception {
        day: d,
        residents,
        note: note.into(),
    };
    received(
        db,
        D1,
        None,
        own(day(2025, 12, 20), Some(9), "2025"),
        day(2025, 12, 20),
    )
    .await;
    let report = |d, voters, place: &str, evaluation: Option<&str>| VoterReport {
        day: d,
        voters,
        place: place.into(),
        evaluation: evaluation.map(str::to_owned),
    };
    reported(db, "D1", report(day(2025, 12, 10), 60, "Hall", None)).await;

    // D1: closed satisfied on time; closed basic late; returned; key, voted twice.
    let lamps = file(db, D1, "Street lamps", "economy", at(2026, 3, 2)).await;
    assign(db, lamps, at(2026, 3, 2)).await;
    reply(db, lamps, at(2026, 3, 5)).await;
    rate(db, D1, lamps, Rating::Satisfied, at(2026, 3, 5)).await;
    let bus = file(db, D1, "Bus stop", "governance", at(2026, 3, 3)).await;
    assign(db, bus, at(2026, 3, 3)).await;
    reply(db, bus, at(2026, 5, 20)).await;
    rate(db, D1, bus, Rating::Basic, at(2026, 5, 20)).await;
    let vague = file(db, D1, "Vague", "governance", at(2026, 3, 4)).await;
    let reason = "Say where".to_string();
    act(db, tg(L1), vague, Action::Return { reason }, at(2026, 3, 4)).await;
    let voted = file(db, D1, "Flood drains", "environment", at(2026, 3, 10)).await;
    assign(db, voted, at(2026, 3, 10)).await;
    act(db, tg(KC), voted, Action::Key, at(2026, 3, 11)).await;
    reply(db, voted, at(2026, 3, 12)).await;
    rate(db, D1, voted, Rating::Satisfied, at(2026, 3, 12)).await;
    vote(db, voted, VoteResult::Fail, "", at(2026, 6, 30)).await;
    reply(db, voted, at(2026, 7, 10)).await;
    rate(db, D1, voted, Rating::Satisfied, at(2026, 7, 10)).await;
    vote(
        db,
        voted,
        VoteResult::Pass,
        "passed at the meeting",
        at(2026, 12, 20),
    )
    .await;

    // D2: unsatisfied (under key supervision, open); assigned and not replied; three
    // residents' requests: adopted (a livelihood suggestion), declined, left open.
    let potholes = file(db, D2, "Potholes", "governance", at(2026, 4, 1)).await;
    assign(db, potholes, at(2026, 4, 1)).await;
    reply(db, potholes, at(2026, 4, 3)).await;
    rate(db, D2, potholes, Rating::Unsatisfied, at(2026, 4, 3)).await;
    let noise = file(db, D2, "Noise", "other", at(2026, 4, 2)).await;
    assign(db, noise, at(2026, 4, 2)).await;
    let policy = LoopPolicy::default();
    let well = resident(db, "The well is dry", at(2026, 5, 6)).await;
    let adopted = db
        .repo
        .adopt_request(
            &policy,
            tg(D2),
            well,
            Some("livelihood".into()),
            at(2026, 5, 6),
            None,
        )
        .await;
    assert!(
        matches!(adopted, Ok(RequestApplied::Done { .. })),
        "{adopted:?}"
    );
    let dog = resident(db, "A dog barks", at(2026, 5, 7)).await;
    let declined = db
        .repo
        .decline_request(
            &policy,
            tg(D2),
            dog,
            "Not a public matter",
            at(2026, 5, 7),
            None,
        )
        .await;
    assert!(
        matches!(declined, Ok(RequestApplied::Done { .. })),
        "{declined:?}"
    );
    resident(db, "Trees to trim", at(2026, 5, 8)).await;

    // L1 and D3 file one each and nothing more.
    file(db, L1, "Benches", "other", at(2026, 6, 1)).await;
    file(db, D3, "River", "environment", at(2026, 6, 2)).await;

    // Reception days: D1's own two; D2's entered by the town's clerk the day after.
    received(
        db,
        D1,
        None,
        own(day(2026, 3, 20), Some(5), "Lamps and drains"),
        day(2026, 3, 20),
    )
    .await;
    received(
        db,
        D1,
        None,
        own(day(2026, 4, 1), None, ""),
        day(2026, 4, 1),
    )
    .await;
    received(
        db,
        K1,
        Some("D2"),
        own(day(2026, 4, 20), Some(3), "Sign-in sheet"),
        day(2026, 4, 21),
    )
    .await;
    // Reports to voters, by the town's clerk.
    let evaluation = Some("76 satisfied, 4 basic");
    reported(
        db,
        "D1",
        report(day(2026, 7, 15), 80, "Renmin community hall", evaluation),
    )
    .await;
    reported(
        db,
        "L1",
        report(day(2026, 9, 10), 40, "Street office", None),
    )
    .await;

    Keys {
        closed_2025,
        carried,
        voted,
    }
}

/// The deputies' sheet as the fixture's table says, in the columns' order: code, name,
/// groups, filed, the six default categories, then [`deputies::FIGURES`].
#[rustfmt::skip]
fn expected_deputies() -> Vec<Vec<String>> {
    let row = |code: &str, name: &str, group: &str, figures: &[i64]| {
        let mut row = vec![code.to_string(), name.to_string(), group.to_string()];
        row.extend(figures.iter().map(i64::to_string));
        row
    };
    let (g1, g2) = ("Renmin deputies", "Dongshan deputies");
    vec![
        //                                   filed  eco gov pub env liv oth  ret acc asg rep ont clo  sat bas uns key  rq ad de  rcp res vot
        row("D1", "Deputy One", g1,   &[4,     1,  2,  0,  1,  0,  0,   1,  3,  3,  3,  2,  3,   2,  1,  0,  1,   0, 0, 0,  2,  5,  1]),
        row("D2", "Deputy Two", g1,   &[3,     0,  1,  0,  0,  1,  1,   0,  2,  2,  1,  1,  0,   0,  0,  1,  0,   3, 1, 1,  1,  3,  0]),
        row("D3", "Deputy Three", g2, &[1,     0,  0,  0,  1,  0,  0,   0,  0,  0,  0,  0,  0,   0,  0,  0,  0,   0, 0, 0,  0,  0,  0]),
        row("L1", "Leader One", g1,   &[1,     0,  0,  0,  0,  0,  1,   0,  0,  0,  0,  0,  0,   0,  0,  0,  0,   0, 0, 0,  0,  0,  1]),
    ]
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        other => other.to_string(),
    }
}

/// Every sheet of a workbook file as (name, rows of cells as text).
fn read_book(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book: Xlsx<_> = open_workbook(path).expect("an .xlsx workbook");
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(cell_text).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

/// `minyi` with the arguments of `line` (split at spaces), on the test's database, in English,
/// in `dir` (so `-o FILE` writes there).
fn minyi(db: &TestDb, dir: &Path, line: &str) -> Output {
    let config = dir.join("minyi.toml");
    std::fs::write(&config, "default_lang = \"en-US\"\n").unwrap();
    Command::new(env!("CARGO_BIN_EXE_minyi"))
        .args(line.split(' '))
        .current_dir(dir)
        .env("MINYI_CONFIG", &config)
        .env_remove("TELOXIDE_TOKEN")
        .env("MINYI_DATABASE_URL", &db.url)
        .output()
        .expect("run minyi")
}

fn en(key: &str) -> String {
    i18n::plain(Lang::EnUs, key, &[])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deputies_workbook_has_every_figure_of_the_year() {
    for db in backends().await {
        let name = db.name;
        year(&db).await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deputies.xlsx");
        let out = minyi(
            &db,
            dir.path(),
            "report deputies --year 2026 -o deputies.xlsx",
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("4 deputies for 2026"), "{name}: {stdout}");

        let sheets = read_book(&path);
        let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                en("report-year-sheet-deputies"),
                en("report-year-sheet-details")
            ]
        );
        let table = &sheets[0].1;
        let mut header = vec![
            en("report-year-col-code"),
            en("report-year-col-name"),
            en("report-year-col-groups"),
            en("report-year-col-filed"),
        ];
        let setting = Setting::from_config(&Config::default(), Lang::EnUs, now());
        for code in "economy governance public_affairs environment livelihood other".split(' ') {
            header.push(setting.category(code));
        }
        header.extend(deputies::FIGURES.iter().map(|(key, _)| en(key)));
        assert_eq!(table[0], header, "{name}");
        assert_eq!(table[1..], expected_deputies(), "{name}");

        // The details: every dated item of 2026, by deputy and date; 2025's are left out.
        let details = &sheets[1].1;
        let expected: Vec<Vec<&str>> = vec![
            vec![
                "D1",
                "Deputy One",
                "2026-03-20",
                "Reception day",
                "5",
                "",
                "Lamps and drains",
            ],
            vec!["D1", "Deputy One", "2026-04-01", "Reception day"],
            vec![
                "D1",
                "Deputy One",
                "2026-07-15",
                "Report to voters",
                "80",
                "Renmin community hall",
                "76 satisfied, 4 basic",
            ],
            vec![
                "D2",
                "Deputy Two",
                "2026-04-20",
                "Reception day",
                "3",
                "",
                "Sign-in sheet",
            ],
            vec![
                "L1",
                "Leader One",
                "2026-09-10",
                "Report to voters",
                "40",
                "Street office",
            ],
        ];
        assert_eq!(details.len(), 1 + expected.len(), "{name}: {details:?}");
        assert_eq!(details[0][3], en("report-year-col-kind"));
        for (row, want) in details[1..].iter().zip(&expected) {
            // calamine pads a row to the table's width with empty cells.
            let trimmed: Vec<&str> = row.iter().map(String::as_str).take(want.len()).collect();
            assert_eq!(&trimmed, want, "{name}");
            assert!(
                row[want.len()..].iter().all(String::is_empty),
                "{name}: {row:?}"
            );
        }

        // One town: G1's deputies only; 2025: the file of that year.
        let town = dir.path().join("town.xlsx");
        let out = minyi(
            &db,
            dir.path(),
            "report deputies --org T1 --year 2026 -o town.xlsx",
        );
        assert!(out.status.success(), "{name}");
        let codes: Vec<String> = read_book(&town)[0].1[1..]
            .iter()
            .map(|r| r[0].clone())
            .collect();
        assert_eq!(codes, ["D1", "D2", "L1"], "{name}");
        let last = dir.path().join("2025.xlsx");
        let out = minyi(&db, dir.path(), "report deputies --year 2025 -o 2025.xlsx");
        assert!(out.status.success(), "{name}");
        let sheets_2025 = read_book(&last);
        let d1 = &sheets_2025[0].1[1];
        assert_eq!(
            (d1[0].as_str(), d1[3].as_str()),
            ("D1", "1"),
            "{name}: {d1:?}"
        );
        assert_eq!(
            sheets_2025[1].1.len(),
            3,
            "{name}: a reception day and a report in 2025"
        );

        // An unknown org is said plainly; a year that is not one is refused by the parser.
        let out = minyi(&db, dir.path(), "report deputies --org NOPE -o x.xlsx");
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("NOPE"));
        let out = minyi(&db, dir.path(), "report deputies --year 26 -o x.xlsx");
        assert_eq!(out.status.code(), Some(2), "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn the_sheets_are_named_in_the_configured_language() {
    let db = backends().await.remove(0);
    year(&db).await;
    let ((from, to), days) = minyi::reports::year_period(&minyi::domain::Rules::default(), 2026);
    let files = db
        .repo
        .deputy_records(None, (from, to), days)
        .await
        .unwrap();
    let setting = Setting::from_config(&Config::default(), Lang::ZhCn, now());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zh.xlsx");
    std::fs::write(&path, deputies::xlsx(&files, &setting).unwrap()).unwrap();
    let sheets = read_book(&path);
    assert_eq!(sheets[0].0, "代表履职");
    assert_eq!(sheets[1].0, "履职明细");
    assert_eq!(sheets[0].1[0][4], "经济发展");
    assert_eq!(sheets[1].1[1][3], "接待日");
    db.finish().await;
}

/// The key report's lines of one suggestion, as the text has them.
fn key_lines(db_row: &minyi::storage::KeyRow, carried: bool, votes: &[&str]) -> Vec<String> {
    let mark = if carried { " [carried over]" } else { "" };
    let mut lines = vec![format!("{} {}{mark}", db_row.no, db_row.title)];
    let deadline = db_row
        .deadline
        .map(|d| {
            d.with_timezone(&chrono_tz::Asia::Shanghai)
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_else(|| "—".into());
    lines.push(format!(
        "  {}, Renmin deputies · units: U1 Housing Bureau · {} · deadline {deadline}",
        db_row.deputy,
        i18n::state_name(Lang::EnUs, db_row.state)
    ));
    lines.extend(votes.iter().map(|v| format!("  vote {v}")));
    lines
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_report_carries_over_and_lists_every_vote() {
    for db in backends().await {
        let name = db.name;
        let keys = year(&db).await;
        let dir = tempfile::tempdir().unwrap();

        let out = minyi(&db, dir.path(), "report key --year 2026");
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let rows = {
            let ((from, to), _) =
                minyi::reports::year_period(&minyi::domain::Rules::default(), 2026);
            db.repo.key_report(None, from, to).await.unwrap()
        };
        let numbers: Vec<SuggestionNo> = rows.iter().map(|r| r.no).collect();
        assert_eq!(
            numbers,
            [keys.carried, keys.voted],
            "{name}: 2025's closed one is not carried"
        );
        let mut expected = vec![
            "Key suggestions of 2026 — all orgs".to_string(),
            String::new(),
        ];
        expected.extend(key_lines(&rows[0], true, &[]));
        expected.push(String::new());
        expected.extend(key_lines(
            &rows[1],
            false,
            &[
                "2026-06-30 failed",
                "2026-12-20 passed: passed at the meeting",
            ],
        ));
        expected.push(String::new());
        expected
            .push("Filed in 2026: 1 · carried over from earlier years: 1 · still open: 1".into());
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            expected,
            "{name}:\n{text}"
        );
        assert_eq!(rows[0].state.as_str(), "assigned", "{name}");
        assert_eq!(rows[1].state.as_str(), "closed", "{name}");

        // The same as a workbook: a row each, the votes in one cell, the summary below.
        let path = dir.path().join("key.xlsx");
        let out = minyi(&db, dir.path(), "report key --year 2026 -o key.xlsx");
        assert!(out.status.success(), "{name}");
        let sheets = read_book(&path);
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].0, en("report-key-sheet"));
        let table = &sheets[0].1;
        let header: Vec<String> = minyi::reports::key::COLUMNS
            .iter()
            .map(|(k, _)| en(k))
            .collect();
        assert_eq!(table[0], header, "{name}");
        assert_eq!(table[1][0], keys.carried.to_string());
        assert_eq!(table[1][7], "yes");
        assert_eq!(table[1][8], "");
        assert_eq!(table[2][0], keys.voted.to_string());
        assert_eq!(table[2][1], "Flood drains");
        assert_eq!(table[2][2], "Deputy One");
        assert_eq!(table[2][3], "Renmin deputies");
        assert_eq!(table[2][4], "U1 Housing Bureau");
        assert_eq!(table[2][5], i18n::state_name(Lang::EnUs, rows[1].state));
        assert_eq!(table[2][7], "no");
        assert_eq!(
            table[2][8],
            "2026-06-30 failed\n2026-12-20 passed: passed at the meeting"
        );
        assert!(
            table[3].iter().all(String::is_empty),
            "{name}: a blank row before the summary"
        );
        assert_eq!(table[4][0], expected.last().unwrap().as_str());

        // 2025: both filed then, one voted through and closed, one still open.
        let out = minyi(&db, dir.path(), "report key --year 2025");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(&format!("{} Old lamps\n", keys.closed_2025)),
            "{name}:\n{text}"
        );
        assert!(
            text.contains("  vote 2025-12-15 passed\n"),
            "{name}:\n{text}"
        );
        assert!(
            text.ends_with(
                "Filed in 2025: 2 · carried over from earlier years: 0 · still open: 1\n"
            ),
            "{name}:\n{text}"
        );
        // Dongshan has none; an unknown org is refused.
        let out = minyi(&db, dir.path(), "report key --org T2 --year 2026");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with("Key suggestions of 2026 — Dongshan Town (T2)\n"),
            "{name}:\n{text}"
        );
        assert!(text.contains(&en("report-key-none")), "{name}:\n{text}");
        let out = minyi(&db, dir.path(), "report key --org NOPE");
        assert_eq!(out.status.code(), Some(1), "{name}");
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_record_page_is_the_deputys_own_or_their_supervisors() {
    for db in backends().await {
        let name = db.name;
        let keys = year(&db).await;
        let board = Board::start(db, "default_lang = \"en-US\"", now()).await;

        // The deputy (who reads Chinese): their own file, "my record" in the header;
        // another's answers 404.
        let zh = |key: &str| i18n::plain(Lang::ZhCn, key, &[]);
        let d1 = board.sign_in(tg(D1)).await;
        let page = board.get(Some(&d1), "/record/D1").await;
        assert_eq!(page.status, 200, "{name}: {}", page.body);
        assert!(
            page.body.contains("Deputy One（D1）2026年履职档案"),
            "{name}"
        );
        assert!(
            page.body.contains("href=\"/record/D1\""),
            "{name}: my record in the header"
        );
        let figures = &expected_deputies()[0][3..];
        let (filed, rest) = (&figures[0], &figures[7..]);
        assert!(
            page.body.contains(&format!(
                "<th scope=\"row\">{}</th><td>{filed} (",
                zh("report-year-col-filed")
            )),
            "{name}"
        );
        for ((key, _), want) in deputies::FIGURES.iter().zip(rest) {
            let cell = format!("<th scope=\"row\">{}</th><td>{want}</td>", zh(key));
            assert!(
                page.body.contains(&cell),
                "{name}: {cell} in\n{}",
                page.body
            );
        }
        assert!(
            page.body
                .contains("<td>2026-03-20</td><td>5</td><td>Lamps and drains</td>"),
            "{name}"
        );
        assert!(page.body.contains("<td>2026-07-15</td><td>Renmin community hall</td><td>80</td><td>76 satisfied, 4 basic</td>"), "{name}");
        assert!(
            page.body.contains("href=\"/record/D1?year=2025\""),
            "{name}: the year before"
        );
        let last = board.get(Some(&d1), "/record/D1?year=2025").await;
        assert!(
            last.body.contains("Deputy One（D1）2025年履职档案"),
            "{name}"
        );
        assert!(
            last.body
                .contains("<td>2025-12-20</td><td>9</td><td>2025</td>"),
            "{name}"
        );
        let bad = board.get(Some(&d1), "/record/D1?year=twenty").await;
        assert_eq!(bad.status, 200, "{name}");
        assert!(bad.body.contains("“twenty”不是四位数的年份"), "{name}");
        for other in ["/record/D2", "/record/L1", "/record/NOPE", "/record/K1"] {
            let page = board.get(Some(&d1), other).await;
            assert_eq!(page.status, 404, "{name}: {other}");
        }
        // On their suggestion's page their name links to their record.
        let item = board.get(Some(&d1), &format!("/s/{}", keys.voted)).await;
        assert!(
            item.body.contains("<a href=\"/record/D1\">Deputy One</a>"),
            "{name}"
        );

        // The town's clerk and chair, and the county's clerk above them: 200.
        for (who, code) in [(K1, "D2"), (CH, "D1"), (KC, "D1"), (KC, "D3")] {
            let session = board.sign_in(tg(who)).await;
            let page = board.get(Some(&session), &format!("/record/{code}")).await;
            assert_eq!(page.status, 200, "{name}: {who} reads {code}");
            assert!(
                !page.body.contains("href=\"/record/K"),
                "{name}: no record link for a clerk"
            );
        }
        // A clerk of another town: 404 for G1's deputies, 200 for their own town's.
        let k2 = board.sign_in(tg(K2)).await;
        assert_eq!(
            board.get(Some(&k2), "/record/D1").await.status,
            404,
            "{name}"
        );
        assert_eq!(
            board.get(Some(&k2), "/record/D3").await.status,
            200,
            "{name}"
        );
        // A clerk sees the link on the page of a suggestion; a unit's contact does not.
        let k1 = board.sign_in(tg(K1)).await;
        let item = board.get(Some(&k1), &format!("/s/{}", keys.voted)).await;
        assert!(
            item.body.contains("<a href=\"/record/D1\">Deputy One</a>"),
            "{name}"
        );
        let unit = board.sign_in(tg(UA)).await;
        let item = board.get(Some(&unit), &format!("/s/{}", keys.voted)).await;
        assert_eq!(item.status, 200, "{name}");
        assert!(!item.body.contains("/record/D1"), "{name}");
        // Signed out: 401, as every page.
        assert_eq!(board.get(None, "/record/D1").await.status, 401, "{name}");
        board.finish().await;
    }
}
