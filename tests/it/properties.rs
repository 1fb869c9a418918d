//! Suggestion numbers as a property (issue 15), on a real SQLite file and on PostgreSQL:
//! whatever deputies file, at whatever times around a new year, in batches filed at once,
//! with refused filings and redelivered updates among them, each year's numbers are exactly
//! 1..=n: none repeated, none skipped.
//!
//! Each case files into two years of its own (the next pair of an ever-growing counter), so
//! the cases share one database and still each see their years start at 1.

use std::sync::atomic::{AtomicI32, AtomicI64, Ordering};

use chrono::{Datelike, Duration};
use minyi::domain::Refusal;
use minyi::storage::{ActError, Applied, LoopPolicy};
use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, TestCaseError, TestRunner};

use crate::support::people::*;
use crate::support::steps::draft;
use crate::support::{TestDb, backends, roster, shanghai};

/// One filing: by whom, whether its draft is valid, when (seconds from the new year, local
/// time), and whether its update is delivered twice at once.
#[derive(Debug, Clone)]
struct Filing {
    person: u32,
    valid: bool,
    secs: i64,
    redelivered: bool,
}

impl Filing {
    /// Whether it must get a number: a valid draft by a deputy (K1 is a clerk).
    fn numbered(&self) -> bool {
        self.valid && self.person != K1
    }
}

fn filing() -> impl Strategy<Value = Filing> {
    const DAY: i64 = 86_400;
    let secs = prop_oneof![
        // Anywhere in the two years…
        -300 * DAY..300 * DAY,
        // …and around midnight, where the local year and the UTC year differ for 8 hours.
        -DAY..DAY,
    ];
    (
        prop::sample::select(vec![D1, D2, L1, D3, K1]),
        prop::bool::weighted(0.9),
        secs,
        prop::bool::weighted(0.2),
    )
        .prop_map(|(person, valid, secs, redelivered)| Filing {
            person,
            valid,
            secs,
            redelivered,
        })
}

/// Batches of filings: each batch is filed at once, the batches one after the other.
fn batches() -> impl Strategy<Value = Vec<Vec<Filing>>> {
    prop::collection::vec(prop::collection::vec(filing(), 1..=8), 1..=5)
}

/// The first of the two years of the next case.
static NEXT_YEAR: AtomicI32 = AtomicI32::new(2101);
/// Telegram update ids, unique across cases.
static NEXT_UPDATE: AtomicI64 = AtomicI64::new(1);

/// Files the batches into two fresh years and checks what each filing got and what the
/// database holds.
async fn case(db: &TestDb, batches: Vec<Vec<Filing>>) -> Result<(), TestCaseError> {
    let year = NEXT_YEAR.fetch_add(2, Ordering::SeqCst);
    let new_year = shanghai(year + 1, 1, 1, 0, 0);
    let mut seqs: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
    for batch in batches {
        let mut tasks = Vec::new();
        for f in batch {
            let at = new_year + Duration::seconds(f.secs);
            let title = if f.valid { "Street lamps" } else { "   " };
            let update = NEXT_UPDATE.fetch_add(1, Ordering::SeqCst);
            let times = if f.redelivered { 2 } else { 1 };
            let mut handles = Vec::new();
            for _ in 0..times {
                let repo = db.repo.clone();
                let d = draft(title, "Dark for a month.", "governance");
                let who = tg(f.person);
                handles.push(tokio::spawn(async move {
                    repo.file(&LoopPolicy::default(), who, d, at, Some(update))
                        .await
                }));
            }
            tasks.push((f, at, handles));
        }
        for (f, at, handles) in tasks {
            let mut results = Vec::new();
            for h in handles {
                results.push(h.await.expect("the filing's task"));
            }
            let what = format!("{}: {f:?} at {at}: {results:?}", db.name);
            let local_year = at.with_timezone(&chrono_tz::Asia::Shanghai).year();
            let mut numbers = Vec::new();
            let mut duplicates = 0;
            for r in &results {
                match (f.numbered(), r) {
                    (true, Ok(Applied::Done { no, .. })) => numbers.push(*no),
                    (true, Ok(Applied::Duplicate)) => duplicates += 1,
                    (false, Err(ActError::Refused(Refusal::NotYourRole))) if f.person == K1 => {}
                    (false, Err(ActError::Refused(Refusal::TitleRequired))) if !f.valid => {}
                    _ => return Err(TestCaseError::fail(format!("unexpected: {what}"))),
                }
            }
            if f.numbered() && (numbers.len(), duplicates) != (1, results.len() - 1) {
                return Err(TestCaseError::fail(format!(
                    "not one number for one update: {what}"
                )));
            }
            for no in numbers {
                if no.year != local_year {
                    return Err(TestCaseError::fail(format!("not the local year: {what}")));
                }
                seqs[(no.year - year) as usize].push(no.seq);
            }
        }
    }
    for (i, seqs) in seqs.iter_mut().enumerate() {
        let y = year + i as i32;
        seqs.sort_unstable();
        let n = seqs.len() as u32;
        prop_assert_eq!(
            &seqs[..],
            &(1..=n).collect::<Vec<_>>()[..],
            "{} {}",
            db.name,
            y
        );
        let n = i64::from(n);
        let held = [
            format!("SELECT COUNT(*) FROM suggestions WHERE year = {y}"),
            format!("SELECT COUNT(DISTINCT seq) FROM suggestions WHERE year = {y}"),
            format!("SELECT COALESCE(MAX(seq), 0) FROM suggestions WHERE year = {y}"),
            format!(
                "SELECT COALESCE(MAX(last), 0) FROM counters WHERE kind = 'suggestion' AND year = {y}"
            ),
        ];
        for sql in held {
            prop_assert_eq!(db.count(&sql).await, n, "{}: {}", db.name, sql);
        }
    }
    Ok(())
}

/// 60 cases on each backend, one database each (dropped whatever happens).
#[test]
fn each_years_numbers_are_one_to_n_without_gaps_or_repeats() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let dbs = runtime.block_on(backends());
    for db in dbs {
        runtime.block_on(roster(&db));
        // A failure prints its minimal case (PROPTEST_RNG_SEED replays a run).
        let mut runner = TestRunner::new(ProptestConfig {
            cases: 60,
            failure_persistence: None,
            max_shrink_iters: 200,
            rng_algorithm: RngAlgorithm::XorShift,
            ..ProptestConfig::default()
        });
        let result = runner.run(&batches(), |batches| runtime.block_on(case(&db, batches)));
        let name = db.name;
        runtime.block_on(db.finish());
        if let Err(e) = result {
            panic!("{name}: {e}");
        }
    }
}
