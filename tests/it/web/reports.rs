//! The board's reports page over HTTP on both backends: a supervisor's figures and files
//! (the workbooks read back, the chart a PNG), refusals for other roles, 404 for another's
//! org, and a month that is not one.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use minyi::domain::{Action, SuggestionNo};

use super::{Board, Session};
use crate::support::people::{AD, CH, D1, D2, D3, K1, KC, L1, S1, UA, tg};
use crate::support::steps::{act, draft, file};
use crate::support::{TestDb, backends, roster, shanghai};

const ENGLISH: &str = "default_lang = \"en-US\"";

/// 2026-03-12 09:00 Shanghai: the page's default month is March 2026.
fn now() -> chrono::DateTime<chrono::Utc> {
    shanghai(2026, 3, 12, 9, 0)
}

/// March 2026:
/// - `lamps`: D1's in G1 (town T1), filed on the 2nd and accepted;
/// - `potholes`: D1's in G1, filed on the 9th;
/// - `bus`: D3's in G2 (town T2), filed on the 11th;
///
/// and February's `old`: D2's in G1, filed on 20 February.
struct Filed {
    lamps: SuggestionNo,
    potholes: SuggestionNo,
    bus: SuggestionNo,
    old: SuggestionNo,
}

async fn filed(db: &TestDb) -> Filed {
    roster(db).await;
    let filing = |who: u32, title: &str, category: &str, day: (u32, u32)| {
        let draft = draft(title, "Body", category);
        file(db, tg(who), draft, shanghai(2026, day.0, day.1, 9, 0))
    };
    let lamps = filing(D1, "Lamps out", "economy", (3, 2)).await;
    let accept = Action::Accept { level: None };
    act(db, tg(L1), lamps, accept, shanghai(2026, 3, 2, 10, 0)).await;
    Filed {
        lamps,
        potholes: filing(D1, "Potholes", "governance", (3, 9)).await,
        bus: filing(D3, "Bus stop", "livelihood", (3, 11)).await,
        old: filing(D2, "Old bridge", "economy", (2, 20)).await,
    }
}

/// A file as the browser gets it: the bytes as they are, with the two headers that say what
/// they are.
struct Download {
    status: u16,
    content_type: String,
    disposition: String,
    bytes: Vec<u8>,
}

async fn download(board: &Board, session: &Session, path: &str) -> Download {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", board.base))
        .header("cookie", &session.cookie)
        .send()
        .await
        .expect("the board answers");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    Download {
        status: response.status().as_u16(),
        content_type,
        disposition,
        bytes: response.bytes().await.unwrap().to_vec(),
    }
}

/// Every sheet of a workbook as (name, rows of cells as text).
fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    let mut workbook = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an .xlsx workbook");
    workbook
        .worksheets()
        .into_iter()
        .map(|(name, range)| {
            let rows = range
                .rows()
                .map(|row| row.iter().map(|cell| cell.to_string()).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

fn has_row(rows: &[Vec<String>], cells: &[&str]) -> bool {
    rows.iter()
        .any(|row| row.iter().take(cells.len()).eq(cells.iter()))
}

fn numbers_in(rows: &[Vec<String>]) -> Vec<String> {
    rows.iter().skip(1).map(|row| row[0].clone()).collect()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_sees_their_orgs_month_and_downloads_its_files() {
    for db in backends().await {
        let name = db.name;
        let f = filed(&db).await;
        let board = Board::start(db, ENGLISH, now()).await;
        let clerk = board.sign_in(tg(K1)).await;

        // This month, their only org: T1's two, not T2's bus stop.
        let page = board.get(Some(&clerk), "/reports").await;
        assert_eq!(page.status, 200, "{name}: {}", page.body);
        let body = &page.body;
        assert!(
            body.contains("Monthly report: Renmin Street (T1), 2026-03"),
            "{name}: {body}"
        );
        assert!(body.contains("Received</th><td>2</td>"), "{name}: {body}");
        assert!(body.contains("Accepted</th><td>1</td>"), "{name}: {body}");
        assert!(body.contains("Renmin deputies (G1)"), "{name}");
        assert!(!body.contains("Dongshan"), "{name}: another town's group");
        assert!(body.contains("Economic development"), "{name}");
        assert!(
            body.contains(
                r#"<img class="chart" src="/reports/chart.png?month=2026-03&amp;org=T1""#
            ),
            "{name}: {body}"
        );
        for file in ["monthly.xlsx", "ledger.xlsx", "ledger.csv", "chart.png"] {
            let link = format!(r#"href="/reports/{file}?month=2026-03&amp;org=T1""#);
            assert!(body.contains(&link), "{name}: {link}");
        }
        assert!(
            body.contains(r#"value="2026-03""#),
            "{name}: the form's month"
        );
        assert!(
            body.contains("?month=2026-02&amp;org=T1"),
            "{name}: previous month"
        );

        // The ledger: T1's two of March, by number.
        let ledger = download(&board, &clerk, "/reports/ledger.xlsx?month=2026-03&org=T1").await;
        assert_eq!(ledger.status, 200, "{name}");
        assert_eq!(ledger.content_type, XLSX, "{name}");
        assert_eq!(
            ledger.disposition, r#"attachment; filename="ledger-T1-2026-03.xlsx""#,
            "{name}"
        );
        let book = sheets(&ledger.bytes);
        assert_eq!(book.len(), 1, "{name}");
        let numbers = numbers_in(&book[0].1);
        assert_eq!(
            numbers,
            [f.lamps.to_string(), f.potholes.to_string()],
            "{name}"
        );

        // The monthly workbook: the same ledger and the summary with its figures.
        let monthly = download(&board, &clerk, "/reports/monthly.xlsx?month=2026-03&org=T1").await;
        assert_eq!((monthly.status, monthly.content_type.as_str()), (200, XLSX));
        assert_eq!(
            monthly.disposition, r#"attachment; filename="monthly-T1-2026-03.xlsx""#,
            "{name}"
        );
        let book = sheets(&monthly.bytes);
        assert_eq!(book.len(), 2, "{name}");
        assert_eq!(numbers_in(&book[0].1), numbers, "{name}");
        let summary = &book[1].1;
        assert!(has_row(summary, &["Received", "2"]), "{name}: {summary:?}");
        assert!(has_row(summary, &["Accepted", "1"]), "{name}: {summary:?}");

        // The CSV: the same rows, with a byte-order mark.
        let csv = download(&board, &clerk, "/reports/ledger.csv?month=2026-03&org=T1").await;
        assert_eq!(csv.status, 200, "{name}");
        assert_eq!(csv.content_type, "text/csv; charset=utf-8", "{name}");
        assert_eq!(
            csv.disposition, r#"attachment; filename="ledger-T1-2026-03.csv""#,
            "{name}"
        );
        let text = String::from_utf8(csv.bytes).unwrap();
        assert!(text.starts_with('\u{feff}'), "{name}");
        assert!(text.contains(&f.lamps.to_string()), "{name}");
        assert!(
            text.contains("Lamps out") && text.contains("Potholes"),
            "{name}"
        );
        assert!(!text.contains(&f.bus.to_string()), "{name}: {text}");

        // The chart.
        let chart = download(&board, &clerk, "/reports/chart.png?month=2026-03&org=T1").await;
        assert_eq!(
            (chart.status, chart.content_type.as_str()),
            (200, "image/png")
        );
        assert!(chart.bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}");
        assert_eq!(
            chart.disposition, r#"attachment; filename="chart-T1-2026-03.png""#,
            "{name}"
        );

        // Another month: February has only the old bridge.
        let february = board
            .get(Some(&clerk), "/reports?month=2026-02&org=T1")
            .await;
        assert!(february.body.contains("Received</th><td>1</td>"), "{name}");
        let ledger = download(&board, &clerk, "/reports/ledger.xlsx?month=2026-02").await;
        assert_eq!(
            numbers_in(&sheets(&ledger.bytes)[0].1),
            [f.old.to_string()],
            "{name}"
        );
        // A month with nothing filed says so and shows no chart.
        let empty = board.get(Some(&clerk), "/reports?month=2025-12").await;
        assert_eq!(empty.status, 200, "{name}");
        assert!(empty.body.contains("No suggestions were filed"), "{name}");
        assert!(!empty.body.contains("<img"), "{name}");

        // The county's clerk and the admin see the whole county; the town's secretary and
        // chair see the town.
        for (who, org, received) in [(KC, "C", 3), (AD, "C", 3), (S1, "T1", 2), (CH, "T1", 2)] {
            let session = board.sign_in(tg(who)).await;
            let page = board.get(Some(&session), "/reports").await;
            assert_eq!(page.status, 200, "{name}: {who}");
            let figure = format!("</th><td>{received}</td>");
            assert!(page.body.contains(&figure), "{name}: {who}");
            let option = format!(r#"<option value="{org}" selected>"#);
            assert!(page.body.contains(&option), "{name}: {who}: {}", page.body);
        }
        board.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_roles_are_refused_and_another_orgs_reports_are_not_found() {
    for db in backends().await {
        let name = db.name;
        filed(&db).await;
        let board = Board::start(db, ENGLISH, now()).await;
        let paths = [
            "/reports",
            "/reports/chart.png",
            "/reports/ledger.xlsx",
            "/reports/ledger.csv",
            "/reports/monthly.xlsx",
        ];

        // Without a session: sign in first.
        for path in paths {
            assert_eq!(board.get(None, path).await.status, 401, "{name}: {path}");
        }

        // A deputy and a unit's contact supervise nothing: 403 with the chat's refusal.
        for who in [D1, UA] {
            let session = board.sign_in(tg(who)).await;
            for path in paths {
                let answer = board.get(Some(&session), path).await;
                assert_eq!(answer.status, 403, "{name}: {who} {path}");
                assert!(!answer.body.contains("Received"), "{name}: {who} {path}");
            }
        }
        let unit = board.sign_in(tg(UA)).await;
        let refused = board.get(Some(&unit), "/reports").await;
        assert!(
            refused
                .body
                .contains("This is not something your role does."),
            "{name}: {}",
            refused.body
        );
        // D1 reads Chinese (the roster says so).
        let deputy = board.sign_in(tg(D1)).await;
        let refused = board.get(Some(&deputy), "/reports?org=T1").await;
        assert!(
            refused.body.contains("您的角色不能办理此项操作。"),
            "{name}: {}",
            refused.body
        );

        // The town's clerk: the county above, the other town and an unknown org are all
        // answered the same, for the page and every file.
        let clerk = board.sign_in(tg(K1)).await;
        for org in ["C", "T2", "NOPE"] {
            for path in paths {
                let answer = board
                    .get(Some(&clerk), &format!("{path}?month=2026-03&org={org}"))
                    .await;
                assert_eq!(answer.status, 404, "{name}: {org} {path}");
                assert!(!answer.body.contains("Dongshan"), "{name}: {org} {path}");
            }
        }
        board.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_that_is_not_one_is_named_and_this_month_shown() {
    for db in backends().await {
        let name = db.name;
        filed(&db).await;
        let board = Board::start(db, ENGLISH, now()).await;
        let clerk = board.sign_in(tg(K1)).await;
        for bad in ["2026-13", "March", "262143-12"] {
            let page = board
                .get(Some(&clerk), &format!("/reports?month={bad}&org=T1"))
                .await;
            assert_eq!(page.status, 200, "{name}: {bad}");
            let notice = format!(r#"<p class="refused">“{bad}” is not a month as YYYY-MM"#);
            assert!(page.body.contains(&notice), "{name}: {}", page.body);
            assert!(page.body.contains("2026-03"), "{name}: this month instead");
            assert!(
                page.body.contains("Received</th><td>2</td>"),
                "{name}: {bad}"
            );
            // A file names its month: one that is not a month is refused, not replaced.
            let file = board
                .get(Some(&clerk), &format!("/reports/ledger.xlsx?month={bad}"))
                .await;
            assert_eq!(file.status, 400, "{name}: {bad}");
            assert!(file.body.contains("is not a month"), "{name}: {bad}");
        }
        board.finish().await;
    }
}
