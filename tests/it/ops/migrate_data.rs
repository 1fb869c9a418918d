//! `minyi migrate-data`: a SQLite database moved into PostgreSQL, every row and number kept,
//! checksums compared; a target with data is refused.

use std::collections::BTreeSet;

use minyi::domain::SuggestionNo;
use minyi::storage::copy::{self, CopyError, TABLES};
use minyi::storage::{self, LoopPolicy, Who};

use super::{minyi, stdout};
use crate::support::{postgres, shanghai, steps};

/// The list of tables the copy walks is the schema's list: a migration that adds a table
/// must add it to the copy.
#[tokio::test]
async fn the_copy_walks_every_table_of_the_schema() {
    let Some(db) = postgres().await else {
        return;
    };
    let pool = db.pg_pool().unwrap();
    let tables: BTreeSet<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let copied: BTreeSet<String> = TABLES.iter().map(|t| t.to_string()).collect();
    assert_eq!(copied, tables);
    db.finish().await;
}

#[tokio::test]
async fn the_demo_moves_to_postgres_and_goes_on_numbering_there() {
    let Some(db) = postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let from = format!("sqlite://{}", dir.path().join("town.db").display());
    let options = minyi::cli::demo::Options {
        lang: minyi::i18n::Lang::EnUs,
        db: Some(from.clone()),
        keep: false,
        wecom: false,
        web: None,
    };
    minyi::cli::demo::play(&options, &mut std::io::sink())
        .await
        .unwrap();
    // As an operator does it: the command, its counts and checksums.
    let config = dir.path().join("minyi.toml");
    std::fs::write(&config, "default_lang = \"en-US\"\n").unwrap();
    let moved = tokio::task::spawn_blocking({
        let (dir, to, from) = (dir.path().to_owned(), db.url.clone(), from.clone());
        let config = config.to_str().unwrap().to_owned();
        move || {
            let env = [("MINYI_CONFIG", config.as_str())];
            minyi(
                &dir,
                &to,
                &env,
                &["migrate-data", "--from", &from, "--to", &to],
            )
        }
    })
    .await
    .unwrap();
    let text = stdout(&moved);
    assert!(moved.status.success(), "{text}{}", super::stderr(&moved));
    let source = sqlx::SqlitePool::connect(&from).await.unwrap();
    for table in TABLES {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let there: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_one(&source)
            .await
            .unwrap();
        assert_eq!(db.count(&sql).await, there, "{table}");
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{table}: {there} rows, checksum "))),
            "{table}: {text}"
        );
    }
    // The loop goes on in PostgreSQL: the next number follows the demo's two.
    let draft = steps::draft("Benches", "The park needs benches.", "other");
    let zhang = sqlx::query_scalar::<_, i64>("SELECT telegram_id FROM people WHERE code = 'P01'")
        .fetch_one(db.pg_pool().unwrap())
        .await
        .unwrap();
    let t = shanghai(2026, 12, 1, 9, 0);
    let applied = db
        .repo
        .file(&LoopPolicy::default(), Who::Telegram(zhang), draft, t, None)
        .await
        .unwrap();
    assert!(
        matches!(applied, minyi::storage::Applied::Done { no, .. } if no.seq == 3),
        "{applied:?}"
    );
    // Again into the same database: refused, nothing copied.
    let again = copy::sqlite_to_postgres(&from, &db.url).await;
    assert!(
        matches!(again, Err(CopyError::TargetNotEmpty { table: "orgs", .. })),
        "{again:?}"
    );
    let no = SuggestionNo::new(2026, 3);
    assert!(db.repo.suggestion(no).await.unwrap().is_some());
    source.close().await;
    db.finish().await;
}

/// A large town: 100,000 suggestions with their deputies and events.
#[tokio::test]
async fn a_hundred_thousand_suggestions_move_with_matching_checksums() {
    let Some(db) = postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let from = format!("sqlite://{}", dir.path().join("large.db").display());
    minyi::cli::bench::generate_sqlite(&from, 100_000)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let copied = copy::sqlite_to_postgres(&from, &db.url).await.unwrap();
    let rows = |table: &str| copied.iter().find(|c| c.table == table).unwrap().rows;
    assert_eq!(rows("suggestions"), 100_000);
    assert_eq!(rows("people"), 100_002);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM events").await as u64,
        rows("events")
    );
    println!(
        "migrate-data: {} rows in {:.1} s (debug build)",
        copied.iter().map(|c| c.rows).sum::<u64>(),
        started.elapsed().as_secs_f64()
    );
    db.finish().await;
}

/// A PostgreSQL database made with a language's collation sorts "a" before "B"; SQLite sorts
/// by bytes. The checksums still match: both sides list the rows in byte order.
#[tokio::test]
async fn a_target_with_a_language_collation_still_matches() {
    let Some(db) = postgres().await else {
        return;
    };
    // As if the database had been created with LOCALE 'zh_CN.UTF-8' (ICU, so no OS locale
    // is needed on the test machine).
    db.exec(r#"ALTER TABLE counters ALTER COLUMN kind TYPE TEXT COLLATE "en-x-icu""#)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let from = format!("sqlite://{}", dir.path().join("town.db").display());
    let source = storage::connect(&from).await.unwrap();
    source.migrate().await.unwrap();
    drop(source);
    let raw = sqlx::SqlitePool::connect(&from).await.unwrap();
    sqlx::query("INSERT INTO counters (kind, year, last) VALUES ('a', 2026, 1), ('B', 2026, 2), ('é', 2026, 3)")
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;
    let copied = copy::sqlite_to_postgres(&from, &db.url).await.unwrap();
    let counters = copied.iter().find(|c| c.table == "counters").unwrap();
    assert_eq!(counters.rows, 3);
    // The target's own order is the language's: the copy did not depend on it.
    let order: Vec<String> = sqlx::query_scalar("SELECT kind FROM counters ORDER BY kind")
        .fetch_all(db.pg_pool().unwrap())
        .await
        .unwrap();
    assert_eq!(order, ["a", "B", "é"]);
    db.finish().await;
}

/// A misspelt source is refused, and no empty SQLite file is left in its place.
#[tokio::test]
async fn a_missing_source_is_refused_and_not_created() {
    let Some(db) = postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tonw.db");
    let from = format!("sqlite://{}", path.display());
    let refused = copy::sqlite_to_postgres(&from, &db.url).await;
    assert!(
        matches!(&refused, Err(CopyError::SourceMissing(file)) if file.ends_with("tonw.db")),
        "{refused:?}"
    );
    assert!(!path.exists());
    assert_eq!(db.count("SELECT COUNT(*) FROM orgs").await, 0);
    db.finish().await;
}
