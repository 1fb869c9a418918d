//! The monthly statistics and the ledger on both backends, over a fixture filed and moved
//! through the real repository with figures known in advance; the workbook and the CSV read
//! back.

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{DateTime, Utc};
use minyi::config::Config;
use minyi::domain::{Action, Attachment, Rating, State, SuggestionNo};
use minyi::i18n::{self, Lang};
use minyi::reports::{self, Setting, ledger, monthly};
use minyi::storage::{
    GroupStats, LoopPolicy, MonthlyStats, NewRequest, Request, RequestApplied, RequestTarget,
    StoreError, Totals,
};

use crate::support::people::*;
use crate::support::steps::{self, act};
use crate::support::{TestDb, backends, roster, shanghai};

async fn file(
    db: &TestDb,
    who: u32,
    title: &str,
    category: &str,
    at: DateTime<Utc>,
) -> SuggestionNo {
    steps::file(db, tg(who), steps::draft(title, "Body", category), at).await
}

/// Accepted by G1's leader and assigned by the county clerk (lead unit first).
async fn assign(db: &TestDb, no: SuggestionNo, units: &[&str], at: DateTime<Utc>) {
    act(db, tg(L1), no, Action::Accept { level: None }, at).await;
    let request = Request::Assign {
        lead: units[0].into(),
        co: units[1..].iter().map(|c| c.to_string()).collect(),
        days: None,
        level: None,
    };
    crate::support::steps::request(db, tg(KC), no, request, at).await;
}

async fn reply(db: &TestDb, no: SuggestionNo, at: DateTime<Utc>) {
    let text = "Done".to_string();
    act(db, tg(UA), no, Action::Reply { text }, at).await;
}

async fn rate(db: &TestDb, deputy: u32, no: SuggestionNo, rating: Rating, at: DateTime<Utc>) {
    act(db, tg(deputy), no, Action::Rate { rating }, at).await;
}

/// The fixture's January 2026 (Shanghai time):
/// - a (D1, economy): assigned to U1 with co-unit U2, replied in time, satisfied: closed.
/// - b (D1, governance): assigned, replied after its deadline, basically satisfied: closed.
/// - c (D2, governance): assigned, replied in time, unsatisfied: assigned again (key
///   supervision), overdue by `NOW`.
/// - d (D2, governance): assigned, not replied, overdue by `NOW`.
/// - e (L1, other): submitted, never reviewed: overdue.
/// - f (D1, governance): returned to its deputy.
/// - g (D3 of G2 in Dongshan, environment): submitted, overdue.
///
/// And outside it: one filed 2025-12-31 23:30 and one 2026-02-01 00:10 local (the UTC date of
/// both is inside January's UTC span on one side or the other).
struct Fixture {
    all: Vec<SuggestionNo>,
}

fn now() -> DateTime<Utc> {
    shanghai(2026, 2, 25, 10, 0)
}

fn january() -> (DateTime<Utc>, DateTime<Utc>) {
    reports::month_period(chrono_tz::Asia::Shanghai, (2026, 1))
}

async fn fixture(db: &TestDb) -> Fixture {
    roster(db).await;
    let jan = |d: u32| shanghai(2026, 1, d, 10, 0);
    let before = file(
        db,
        D1,
        "December",
        "economy",
        shanghai(2025, 12, 31, 23, 30),
    )
    .await;
    let a = file(db, D1, "Street lamps", "economy", jan(5)).await;
    let b = file(db, D1, "Bus stop", "governance", jan(6)).await;
    let c = file(db, D2, "Potholes", "governance", jan(7)).await;
    let d = file(db, D2, "Noise", "governance", jan(8)).await;
    let e = file(db, L1, "Benches", "other", jan(9)).await;
    let f = file(db, D1, "Vague", "governance", jan(10)).await;
    let g = file(db, D3, "River", "environment", jan(12)).await;
    let after = file(db, D1, "February", "economy", shanghai(2026, 2, 1, 0, 10)).await;
    assert_eq!((before.year, after.year), (2025, 2026));

    assign(db, a, &["U1", "U2"], jan(6)).await;
    reply(db, a, jan(8)).await;
    rate(db, D1, a, Rating::Satisfied, jan(8)).await;

    assign(db, b, &["U1"], jan(6)).await;
    // 30 days end on 5 February; the reply comes on the 20th.
    reply(db, b, shanghai(2026, 2, 20, 10, 0)).await;
    rate(db, D1, b, Rating::Basic, shanghai(2026, 2, 20, 11, 0)).await;

    assign(db, c, &["U1"], jan(7)).await;
    reply(db, c, jan(9)).await;
    rate(db, D2, c, Rating::Unsatisfied, jan(9)).await;

    assign(db, d, &["U1"], jan(8)).await;

    let reason = "Say where".to_string();
    act(db, tg(L1), f, Action::Return { reason }, jan(11)).await;
    Fixture {
        all: vec![a, b, c, d, e, f, g],
    }
}

fn g1(received: i64) -> GroupStats {
    GroupStats {
        code: "G1".into(),
        name: "Renmin deputies".into(),
        received,
        assigned: 4,
        closed: 2,
        satisfied: 2,
        rated: 3,
    }
}

fn g2() -> GroupStats {
    GroupStats {
        code: "G2".into(),
        name: "Dongshan deputies".into(),
        received: 1,
        ..GroupStats::default()
    }
}

fn town_totals() -> Totals {
    Totals {
        received: 6,
        accepted: 4,
        assigned: 4,
        replied: 3,
        closed: 2,
        on_time: 2,
        satisfied: 1,
        basic: 1,
        unsatisfied: 1,
        rated: 3,
        overdue: 3,
    }
}

#[tokio::test]
async fn monthly_statistics_have_the_known_figures() {
    for db in backends().await {
        let _ = fixture(&db).await;
        let (from, to) = january();
        let all = db.repo.monthly_stats(None, from, to, now()).await.unwrap();
        let expected = MonthlyStats {
            org: None,
            totals: Totals {
                received: 7,
                overdue: 4,
                ..town_totals()
            },
            categories: vec![
                ("governance".into(), 4),
                ("economy".into(), 1),
                ("environment".into(), 1),
                ("other".into(), 1),
            ],
            groups: vec![g1(6), g2()],
            key: Default::default(),
        };
        assert_eq!(all, expected, "{}", db.name);
        // The county is every org; the town has G1 only; Dongshan G2 only.
        let county = db
            .repo
            .monthly_stats(Some("C"), from, to, now())
            .await
            .unwrap();
        assert_eq!(county.org, Some(("C".into(), "Xiangshan District".into())));
        assert_eq!(
            (county.totals, county.groups),
            (expected.totals.clone(), expected.groups.clone())
        );
        let town = db
            .repo
            .monthly_stats(Some("T1"), from, to, now())
            .await
            .unwrap();
        assert_eq!(town.totals, town_totals(), "{}", db.name);
        assert_eq!(town.groups, vec![g1(6)]);
        assert_eq!(town.categories[0], ("governance".to_string(), 4));
        let dongshan = db
            .repo
            .monthly_stats(Some("T2"), from, to, now())
            .await
            .unwrap();
        assert_eq!(dongshan.totals.received, 1);
        assert_eq!(dongshan.totals.overdue, 1);
        assert_eq!(dongshan.categories, vec![("environment".to_string(), 1)]);

        // The rates and the ranking as the report shows them.
        let t = &all.totals;
        assert_eq!(reports::rate(t.closed, t.assigned), "50.0%");
        assert_eq!(reports::rate(t.on_time, t.replied), "66.7%");
        assert_eq!(reports::rate(t.satisfied + t.basic, t.rated), "66.7%");
        let ranked: Vec<&str> = monthly::ranking(&all.groups)
            .iter()
            .map(|g| g.code.as_str())
            .collect();
        assert_eq!(ranked, ["G1", "G2"]);

        // Nothing is overdue yet on the day after the last filing; December is empty but
        // still lists the groups.
        let early = db
            .repo
            .monthly_stats(None, from, to, shanghai(2026, 1, 12, 12, 0))
            .await
            .unwrap();
        assert_eq!(early.totals.overdue, 0, "{}", db.name);
        let december = reports::month_period(chrono_tz::Asia::Shanghai, (2025, 12));
        let dec = db
            .repo
            .monthly_stats(None, december.0, december.1, now())
            .await
            .unwrap();
        assert_eq!(dec.totals.received, 1);
        let nov = reports::month_period(chrono_tz::Asia::Shanghai, (2025, 11));
        let empty = db
            .repo
            .monthly_stats(None, nov.0, nov.1, now())
            .await
            .unwrap();
        assert_eq!(empty.totals, Totals::default());
        assert!(empty.categories.is_empty());
        assert_eq!(empty.groups.iter().map(|g| g.received).sum::<i64>(), 0);
        assert_eq!(empty.groups.len(), 2);
        db.finish().await;
    }
}

#[tokio::test]
async fn the_ledger_lists_an_orgs_suggestions_by_number() {
    for db in backends().await {
        let fx = fixture(&db).await;
        let (from, to) = january();
        let rows = db.repo.ledger(None, from, to).await.unwrap();
        let nos: Vec<SuggestionNo> = rows.iter().map(|r| r.no).collect();
        assert_eq!(nos, fx.all, "{}", db.name);
        assert_eq!(db.repo.ledger(Some("C"), from, to).await.unwrap(), rows);
        let town: Vec<SuggestionNo> = db
            .repo
            .ledger(Some("T1"), from, to)
            .await
            .unwrap()
            .iter()
            .map(|r| r.no)
            .collect();
        assert_eq!(town, fx.all[..6]);
        let dongshan = db.repo.ledger(Some("T2"), from, to).await.unwrap();
        assert_eq!(dongshan.len(), 1);
        assert_eq!(
            (dongshan[0].deputy.as_str(), dongshan[0].group_code.as_str()),
            ("Deputy Three", "G2")
        );

        let a = &rows[0];
        assert_eq!(a.title, "Street lamps");
        assert_eq!(
            (a.deputy.as_str(), a.group_name.as_str()),
            ("Deputy One", "Renmin deputies")
        );
        assert_eq!(a.units, vec!["U1 Housing Bureau", "U2 Transport Bureau"]);
        assert_eq!(
            (a.state, a.rating),
            (State::Closed, Some(Rating::Satisfied))
        );
        assert_eq!(a.closed_at, Some(shanghai(2026, 1, 8, 10, 0)));
        assert_eq!(a.filed_at, shanghai(2026, 1, 5, 10, 0));
        let d = &rows[3];
        assert_eq!(
            (d.state, d.closed_at, d.units.len()),
            (State::Assigned, None, 1)
        );
        assert!(d.deadline.is_some());

        let setting = Setting::from_config(&Config::default(), Lang::EnUs, now());
        let rules = &setting.rules;
        assert_eq!(ledger::days_taken(&rows[0], rules, now()), Some(3));
        assert_eq!(
            ledger::days_taken(&rows[1], rules, now()),
            Some(45),
            "b: 6 Jan to 20 Feb"
        );
        assert_eq!(
            ledger::days_taken(&rows[3], rules, now()),
            Some(48),
            "d is open: to now"
        );
        assert_eq!(ledger::colour(&rows[0], rules, now()), None);
        assert_eq!(
            ledger::colour(&rows[3], rules, now()).map(|c| c.as_str()),
            Some("red")
        );

        for org in ["NOPE", "G1"] {
            let refused = db.repo.ledger(Some(org), from, to).await;
            assert!(
                matches!(&refused, Err(StoreError::UnknownOrg(c)) if c == org),
                "{refused:?}"
            );
            let refused = db.repo.monthly_stats(Some(org), from, to, now()).await;
            assert!(
                matches!(&refused, Err(StoreError::UnknownOrg(c)) if c == org),
                "{refused:?}"
            );
        }
        db.finish().await;
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn the_workbook_and_the_csv_read_back_with_the_reports_figures() {
    let db = backends().await.remove(0);
    let _ = fixture(&db).await;
    let (from, to) = january();
    let stats = db.repo.monthly_stats(None, from, to, now()).await.unwrap();
    let rows = db.repo.ledger(None, from, to).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    for lang in Lang::ALL {
        let setting = Setting::from_config(&Config::default(), lang, now());
        let bytes = monthly::xlsx(&stats, &rows, (2026, 1), &setting).unwrap();
        let path = dir.path().join(format!("report-{lang}.xlsx"));
        std::fs::write(&path, bytes).unwrap();
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let ledger_name = i18n::plain(lang, ledger::SHEET_KEY, &[]);
        let summary_name = i18n::plain(lang, monthly::SHEET_KEY, &[]);
        assert_eq!(
            book.sheet_names(),
            vec![ledger_name.clone(), summary_name.clone()]
        );

        let sheet = book.worksheet_range(&ledger_name).unwrap();
        let table: Vec<Vec<String>> = sheet
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        assert_eq!(table[0], ledger::headers(&setting));
        assert_eq!(table.len(), 1 + rows.len());
        for (row, line) in rows.iter().zip(&table[1..]) {
            assert_eq!(line[0], row.no.to_string());
        }
        assert_eq!(table[1][1], "2026-01-05");
        assert_eq!(table[1][7], "U1 Housing Bureau; U2 Transport Bureau");
        assert_eq!(table[1][11], "3", "days taken");
        if lang == Lang::ZhCn {
            assert_eq!(table[0][0], "编号");
            assert_eq!(summary_name, "汇总");
        }

        // The summary's totals are the statistics', and the text report says the same.
        let text = monthly::plain(&stats, (2026, 1), &setting);
        let summary = book.worksheet_range(&summary_name).unwrap();
        let lines: Vec<Vec<String>> = summary
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        for (key, figure) in monthly::figures(&stats.totals) {
            let label = i18n::plain(lang, key, &[]);
            let line = lines
                .iter()
                .find(|l| l[0] == label)
                .unwrap_or_else(|| panic!("{lang}: no {label} in the summary"));
            assert_eq!(line[1], figure.rate_or_count(), "{lang}: {key}");
            assert!(
                text.lines()
                    .any(|l| l.starts_with(&label) && l.contains(&figure.rate_or_count())),
                "{lang}: {key} not in the text:\n{text}"
            );
        }
        let find = |label: &str| lines.iter().position(|l| l[0] == label).unwrap();
        let received = find(&i18n::plain(lang, "report-received", &[]));
        assert_eq!(lines[received][1], "7");
        assert_eq!(
            lines[find(&i18n::plain(lang, "report-completion-rate", &[]))][1],
            "50.0%"
        );
        // The ranking table: G1 first.
        let rank_header = find(&i18n::plain(lang, "report-col-rank", &[]));
        assert_eq!(lines[rank_header + 1][0], "1");
        assert_eq!(lines[rank_header + 1][1], "G1 Renmin deputies");
        assert_eq!(lines[rank_header + 2][1], "G2 Dongshan deputies");
    }

    // The ledger alone, as CSV: the same header and cells.
    let setting = Setting::from_config(&Config::default(), Lang::EnUs, now());
    let mut bytes = Vec::new();
    ledger::csv(&mut bytes, &rows, &setting).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ledger::headers(&setting));
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), rows.len());
    for (record, row) in records.iter().zip(&rows) {
        let cells: Vec<String> = ledger::cells(row, &setting)
            .iter()
            .map(ledger::Cell::as_text)
            .collect();
        assert_eq!(record.iter().collect::<Vec<_>>(), cells);
    }
    assert_eq!(&records[1][8], "closed");
    assert_eq!(&records[1][12], "basically satisfied");
    db.finish().await;
}

/// `minyi` itself against the fixture's database, in a directory with its configuration.
fn minyi(db: &TestDb, dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_minyi"))
        .args(args)
        .current_dir(dir)
        .env_remove("MINYI_CONFIG")
        .env_remove("TELOXIDE_TOKEN")
        .env("MINYI_DATABASE_URL", &db.url)
        .output()
        .expect("run minyi")
}

#[tokio::test]
async fn the_cli_writes_the_report_and_the_ledger_and_refuses_an_unknown_org() {
    let db = crate::support::sqlite().await;
    let fx = fixture(&db).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("minyi.toml"), "default_lang = \"en-US\"\n").unwrap();
    let run = |args: &[&str]| minyi(&db, dir.path(), args);
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();

    let report = run(&["report", "monthly", "--month", "2026-01", "--org", "T1"]);
    assert!(report.status.success(), "{}", text(&report.stderr));
    let stdout = text(&report.stdout);
    assert!(
        stdout.starts_with("Monthly report: Renmin Street (T1), 2026-01"),
        "{stdout}"
    );
    assert!(stdout.contains("Received: 6\n"), "{stdout}");
    assert!(stdout.contains("Completion rate: 50.0% (2/4)"), "{stdout}");
    assert!(stdout.contains("1. Renmin deputies (G1)"), "{stdout}");
    assert!(!stdout.contains('<'), "no markup on a terminal: {stdout}");

    let xlsx = dir.path().join("jan.xlsx");
    let written = run(&[
        "report",
        "monthly",
        "--month",
        "2026-01",
        "--format",
        "xlsx",
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    assert!(written.status.success(), "{}", text(&written.stderr));
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(
        book.worksheet_range("Ledger").unwrap().height(),
        1 + fx.all.len()
    );

    let csv_path = dir.path().join("ledger.csv");
    let args = [
        "export",
        "ledger",
        "--org",
        "T2",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "-o",
        csv_path.to_str().unwrap(),
    ];
    let exported = run(&args);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    assert_eq!(
        text(&exported.stdout).trim(),
        format!(
            "Ledger: 1 suggestions filed 2026-01-01 to 2026-01-31 written to {}.",
            csv_path.display()
        )
    );
    let csv_text = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(csv_text.lines().count(), 2);
    assert!(csv_text.contains(&fx.all[6].to_string()));
    // `--to` is inclusive: the day 2026-01-12 alone holds g.
    let day = run(&[
        "export",
        "ledger",
        "--from",
        "2026-01-12",
        "--to",
        "2026-01-12",
        "-o",
        csv_path.to_str().unwrap(),
    ]);
    assert!(day.status.success());
    assert_eq!(
        std::fs::read_to_string(&csv_path).unwrap().lines().count(),
        2
    );

    let unknown = run(&[
        "export",
        "ledger",
        "--org",
        "NOPE",
        "-o",
        csv_path.to_str().unwrap(),
    ]);
    assert!(!unknown.status.success());
    assert_eq!(
        text(&unknown.stderr).trim(),
        "No org has the code \"NOPE\" (see the orgs file of the roster)."
    );
    let unknown = run(&["report", "monthly", "--org", "NOPE"]);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("\"NOPE\""));
    let bad = run(&["export", "ledger", "-o", "ledger.pdf"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    let bad = run(&["report", "monthly", "--format", "xlsx"]);
    assert_eq!(bad.status.code(), Some(2), "xlsx needs -o");
    let bad = run(&["report", "monthly", "--month", "2026-13"]);
    assert!(!bad.status.success());
    let bad = run(&["report", "monthly", "--format", "png"]);
    assert_eq!(bad.status.code(), Some(2), "png needs -o");

    // The chart of the same month, as a PNG of the chart's size.
    let png_path = dir.path().join("jan.png");
    let chart = run(&[
        "report",
        "monthly",
        "--month",
        "2026-01",
        "--format",
        "png",
        "-o",
        png_path.to_str().unwrap(),
    ]);
    assert!(chart.status.success(), "{}", text(&chart.stderr));
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png_path).unwrap(),
    ));
    let info = decoder.read_info().unwrap();
    let size = (info.info().width, info.info().height);
    assert_eq!(
        size,
        (minyi::charts::bars::WIDTH, minyi::charts::bars::HEIGHT)
    );

    // The daily report of January, as of its last day, for the town: the org's ranking and
    // red items, then each group's report. Open items are counted now (every open step of
    // the fixture is long overdue).
    let daily = run(&["report", "daily", "--month", "2026-01", "--org", "T1"]);
    assert!(daily.status.success(), "{}", text(&daily.stderr));
    let daily = text(&daily.stdout);
    let lines: Vec<&str> = daily.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "Daily report 2026-01-31 — Renmin Street, groups ranked by this month's suggestions:",
            "1. Renmin deputies: 6 this month (0 that day), 0 deputies with none. \
             Open: 🟢 0 🟡 0 🔴 5; waiting for a rating: 0",
        ],
        "{daily}"
    );
    assert!(
        lines.contains(&"🔴 Overdue (5), listed until they move:"),
        "{daily}"
    );
    assert!(
        daily.contains("Daily report 2026-01-31 — Renmin deputies\n"),
        "{daily}"
    );
    assert!(
        daily.contains("Suggestions filed that day: 0; this month: 6."),
        "{daily}"
    );
    assert!(
        daily.contains("· Deputy One: 3 this month (0 that day)"),
        "{daily}"
    );
    assert!(
        !daily.contains("Dongshan"),
        "T2's group is not T1's: {daily}"
    );
    assert!(!daily.contains('<'), "no markup on a terminal: {daily}");
    // The whole deployment: both groups, Renmin first.
    let all = text(&run(&["report", "daily", "--month", "2026-01"]).stdout);
    assert!(
        all.starts_with("Daily report 2026-01-31 — all orgs"),
        "{all}"
    );
    assert!(all.contains("2. Dongshan deputies: 1 this month"), "{all}");

    // The same as a workbook: the groups' figures add up to the text's.
    let daily_xlsx = dir.path().join("daily.xlsx");
    let written = run(&[
        "report",
        "daily",
        "--month",
        "2026-01",
        "--format",
        "xlsx",
        "-o",
        daily_xlsx.to_str().unwrap(),
    ]);
    assert!(written.status.success(), "{}", text(&written.stderr));
    let mut book: Xlsx<_> = open_workbook(&daily_xlsx).unwrap();
    let groups = book.worksheet_range("Groups").unwrap();
    use calamine::DataType as _;
    let number = |r: u32, c: u32| groups.get_value((r, c)).and_then(|v| v.as_f64()).unwrap();
    assert_eq!(
        groups.get_value((0, 0)).unwrap().to_string(),
        "Daily report 2026-01-31 — all orgs"
    );
    assert_eq!(groups.get_value((2, 3)).unwrap().to_string(), "This month");
    assert_eq!(
        groups.get_value((3, 1)).unwrap().to_string(),
        "G1 Renmin deputies"
    );
    assert_eq!(
        (number(3, 3), number(4, 3)),
        (6.0, 1.0),
        "this month, as in the text"
    );
    assert_eq!((number(3, 8), number(4, 8)), (5.0, 1.0), "red");
    let deputies = book.worksheet_range("Deputies").unwrap();
    assert_eq!(
        deputies.height(),
        3 + 4,
        "title, blank, header and four deputies"
    );
    let red = book.worksheet_range("Overdue").unwrap();
    assert_eq!(red.height(), 3 + 6);

    // And as a chart of the chart's size.
    let daily_png = dir.path().join("daily.png");
    let args = [
        "report",
        "daily",
        "--format",
        "png",
        "-o",
        daily_png.to_str().unwrap(),
    ];
    let chart = run(&args);
    assert!(chart.status.success(), "{}", text(&chart.stderr));
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&daily_png).unwrap(),
    ));
    let info = decoder.read_info().unwrap();
    assert_eq!(
        (info.info().width, info.info().height),
        (minyi::charts::bars::WIDTH, minyi::charts::bars::HEIGHT)
    );

    // Bad asks change nothing and say why.
    let future = run(&["report", "daily", "--month", "2099-01"]);
    assert_eq!(future.status.code(), Some(2));
    assert!(
        text(&future.stderr).contains("2099-01 has not begun"),
        "{}",
        text(&future.stderr)
    );
    let unknown = run(&["report", "daily", "--org", "NOPE"]);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("\"NOPE\""));
    let bad = run(&["report", "daily", "--format", "xlsx"]);
    assert_eq!(bad.status.code(), Some(2), "xlsx needs -o");
    db.finish().await;
}

#[tokio::test]
async fn a_reply_is_on_time_by_the_deadline_then_in_force_and_only_the_first_counts() {
    for db in backends().await {
        roster(&db).await;
        let day = |m: u32, d: u32| shanghai(2026, m, d, 10, 0);
        // Assigned on 6 January: 30 days end on 5 February.
        let extended = file(&db, D1, "Extended", "economy", day(1, 5)).await;
        let late = file(&db, D1, "Late", "economy", day(1, 5)).await;
        let again = file(&db, D2, "Late the second time", "economy", day(1, 5)).await;
        for no in [extended, late, again] {
            assign(&db, no, &["U1"], day(1, 6)).await;
        }
        // Extended by 20 days by the clerk: the reply on 20 February is in time.
        let reason = "Needs a survey".to_string();
        let extend = Action::Extend { days: 20, reason };
        act(&db, tg(KC), extended, extend, day(1, 20)).await;
        reply(&db, extended, day(2, 20)).await;
        reply(&db, late, day(2, 20)).await;
        // In time, unsatisfied, then the second reply comes after the key-supervision
        // deadline: the first reply is the one that counts.
        reply(&db, again, day(1, 9)).await;
        rate(&db, D2, again, Rating::Unsatisfied, day(1, 9)).await;
        reply(&db, again, day(4, 1)).await;

        let (from, to) = january();
        let t = db
            .repo
            .monthly_stats(None, from, to, day(4, 2))
            .await
            .unwrap()
            .totals;
        assert_eq!((t.replied, t.on_time), (3, 2), "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_residents_identity_is_in_no_export() {
    for db in backends().await {
        roster(&db).await;
        let at = shanghai(2026, 1, 20, 10, 0);
        let policy = LoopPolicy::default();
        let request = NewRequest {
            target: RequestTarget::Deputy("D1".into()),
            telegram_id: 777_001,
            chat_id: 777_002,
            text: "The well in our lane is dry\nSince November.".into(),
            attachment: Attachment::default(),
        };
        let no = match db
            .repo
            .open_request(&policy, request, at, None)
            .await
            .unwrap()
        {
            RequestApplied::Done { no, .. } => no,
            other => panic!("{}: {other:?}", db.name),
        };
        let adopted = db
            .repo
            .adopt_request(&policy, tg(D1), no, None, at, None)
            .await;
        assert!(
            matches!(
                adopted,
                Ok(RequestApplied::Done {
                    suggestion: Some(_),
                    ..
                })
            ),
            "{adopted:?}"
        );

        let (from, to) = january();
        let rows = db.repo.ledger(None, from, to).await.unwrap();
        assert_eq!(rows.len(), 1, "{}", db.name);
        assert_eq!(rows[0].title, "The well in our lane is dry");
        let setting = Setting::from_config(&Config::default(), Lang::ZhCn, now());
        let mut csv = Vec::new();
        ledger::csv(&mut csv, &rows, &setting).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let stats = db.repo.monthly_stats(None, from, to, now()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.xlsx");
        std::fs::write(
            &path,
            monthly::xlsx(&stats, &rows, (2026, 1), &setting).unwrap(),
        )
        .unwrap();
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let mut cells = Vec::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).unwrap();
            cells.extend(range.rows().flat_map(|r| r.iter().map(cell_text)));
        }
        for text in cells.iter().map(String::as_str).chain([csv.as_str()]) {
            for secret in ["777001", "777002", "777 001", &no.to_string()] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
        }
        db.finish().await;
    }
}

/// The fixture's January with 2,500 more suggestions copied in SQL (every third with a's two
/// units), so the export's stream crosses pages of rows: what `export` writes, as CSV and as
/// the workbook, is what the collected rows make; a month with nothing filed is the header
/// alone; an unknown org is refused before anything is opened.
#[tokio::test]
async fn the_streamed_export_writes_every_row_across_pages() {
    use minyi::reports::export::{LedgerFile, export};
    const COPIES: usize = 2_500;
    for db in backends().await {
        let _ = fixture(&db).await;
        db.exec(&format!(
            "INSERT INTO suggestions (year, seq, deputy_id, group_id, title, body, category, state, \
             level, filed_at, updated_at) \
             WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {COPIES}) \
             SELECT s.year, 1000 + n.i, s.deputy_id, s.group_id, 'Copy ' || n.i, s.body, s.category, \
             s.state, s.level, s.filed_at, s.updated_at FROM suggestions s, n WHERE s.title = 'Noise'"
        ))
        .await
        .unwrap();
        db.exec(
            "INSERT INTO suggestion_units (suggestion_id, unit_id, lead) \
             SELECT c.id, su.unit_id, su.lead FROM suggestions c, suggestions a \
             JOIN suggestion_units su ON su.suggestion_id = a.id \
             WHERE a.title = 'Street lamps' AND c.title LIKE 'Copy %' AND c.seq % 3 = 0",
        )
        .await
        .unwrap();
        let (from, to) = january();
        let rows = db.repo.ledger(None, from, to).await.unwrap();
        assert_eq!(rows.len(), 7 + COPIES, "{}", db.name);
        let three = rows.iter().find(|r| r.title == "Copy 2").unwrap();
        assert_eq!(
            three.units,
            vec!["U1 Housing Bureau", "U2 Transport Bureau"]
        );

        let setting = Setting::from_config(&Config::default(), Lang::EnUs, now());
        let streamed = db.repo.ledger_rows(None, from, to);
        let (count, csv) = export(
            streamed,
            LedgerFile::Csv,
            setting.clone(),
            || Ok(Vec::new()),
        )
        .await
        .unwrap();
        assert_eq!(count, rows.len(), "{}", db.name);
        let mut expected = Vec::new();
        ledger::csv(&mut expected, &rows, &setting).unwrap();
        assert!(csv == expected, "{}: the streamed CSV differs", db.name);

        let streamed = db.repo.ledger_rows(None, from, to);
        let (_, bytes) = export(streamed, LedgerFile::Xlsx, setting.clone(), || {
            Ok(Vec::new())
        })
        .await
        .unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let table: Vec<Vec<String>> = book
            .worksheet_range("Ledger")
            .unwrap()
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        assert_eq!(table.len(), 1 + rows.len(), "{}", db.name);
        assert_eq!(table[0], ledger::headers(&setting));
        for (row, line) in rows.iter().zip(&table[1..]) {
            let cells: Vec<String> = ledger::cells(row, &setting)
                .iter()
                .map(ledger::Cell::as_text)
                .collect();
            assert_eq!(line, &cells, "{}", db.name);
        }

        // March: nothing filed.
        let (from, to) = reports::month_period(chrono_tz::Asia::Shanghai, (2026, 3));
        let streamed = db.repo.ledger_rows(None, from, to);
        let (count, bytes) = export(streamed, LedgerFile::Xlsx, setting.clone(), || {
            Ok(Vec::new())
        })
        .await
        .unwrap();
        assert_eq!(count, 0);
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("Ledger").unwrap();
        assert_eq!(sheet.height(), 1, "{}: the header alone", db.name);

        let streamed = db.repo.ledger_rows(Some("NOPE"), from, to);
        let refused = export(
            streamed,
            LedgerFile::Csv,
            setting,
            || -> anyhow::Result<Vec<u8>> { panic!("nothing is opened for an unknown org") },
        )
        .await
        .unwrap_err();
        assert!(
            matches!(refused.downcast_ref(), Some(StoreError::UnknownOrg(c)) if c == "NOPE"),
            "{refused:?}"
        );
        db.finish().await;
    }
}
