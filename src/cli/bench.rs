//! `minyi bench stats` (and `cargo bench --bench stats`): statistics on a large deployment.
//! Generates 100,000 deputies in 1,000 groups under 10 towns and, in two steps, 100,000 then
//! 1,000,000 suggestions over three years (with their events) in SQL, then times the monthly
//! report's statistics of one town and of the whole deployment, the ledger of a month as
//! .xlsx and the daily report, at each size: how they grow from 100k to 1M. Prints figures;
//! asserts nothing about time. The output is for developers and operators sizing a machine,
//! in English only.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::TimeZone;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Executor};

use crate::config::Config;
use crate::i18n::Lang;
use crate::jobs::{self, Job, JobCtx};
use crate::reports;
use crate::storage::postgres::PgRepo;
use crate::storage::{self, Repository};

const DEPUTIES: i64 = 100_000;
const DAY_MS: i64 = 86_400_000;
const GROUPS: i64 = 1_000;
/// Clerks of the whole deployment and of a town (as in a real roster).
const CLERK_TG: i64 = 1;
const TOWN_CLERK_TG: i64 = 2;

/// The roster, in SQL both databases run.
fn roster_sql() -> Vec<String> {
    let mut sql = vec![
        "INSERT INTO orgs (id, code, name, parent_id) VALUES (1, 'C', 'District', NULL)"
            .to_string(),
    ];
    for t in 1..=10 {
        sql.push(format!(
            "INSERT INTO orgs (id, code, name, parent_id) VALUES ({}, 'T{t}', 'Town {t}', 1)",
            t + 1
        ));
    }
    sql.push("INSERT INTO units (id, code, name, org_id) VALUES (1, 'U1', 'Roads', 1)".to_string());
    sql.push(format!(
        "INSERT INTO deputy_groups (id, code, name, org_id) \
         SELECT i, 'G' || i, 'Group ' || i, 2 + (i % 10) FROM ({}) n",
        series(GROUPS)
    ));
    sql.push(format!(
        "INSERT INTO people (id, code, name, roles_spec, scope_spec) \
         SELECT i, 'P' || i, 'Deputy ' || i, 'deputy', 'G' || (1 + (i - 1) / 100) FROM ({}) n",
        series(DEPUTIES)
    ));
    sql.push(format!(
        "INSERT INTO person_roles (person_id, role, group_id) \
         SELECT i, 'deputy', 1 + (i - 1) / 100 FROM ({}) n",
        series(DEPUTIES)
    ));
    sql.push(format!(
        "INSERT INTO people (id, code, name, roles_spec, scope_spec, telegram_id) VALUES \
         ({}, 'K', 'Clerk', 'clerk', 'C', {CLERK_TG}), ({}, 'KT', 'Town clerk', 'clerk', 'T1', {TOWN_CLERK_TG})",
        DEPUTIES + 1,
        DEPUTIES + 2
    ));
    sql.push(format!(
        "INSERT INTO person_roles (person_id, role, org_id) VALUES ({}, 'clerk', 1), ({}, 'clerk', 2)",
        DEPUTIES + 1,
        DEPUTIES + 2
    ));
    sql
}

/// Rows 1..=n as a subquery with column `i` (filled in per backend).
fn series(n: i64) -> String {
    format!("SERIES({n})")
}

/// Suggestions `from..=to` of a deployment of `total`: spread evenly over 2024–2026, a fixed
/// mix of states and ratings, each with the events its state implies.
fn suggestions_sql(from: i64, to: i64, total: i64) -> Vec<String> {
    let per_year = (total + 2) / 3;
    // 1 January 00:00 in Asia/Shanghai, 2024, 2025 and 2026, in ms.
    let year_start = "CASE WHEN y = 2024 THEN 1704038400000 WHEN y = 2025 THEN 1735660800000 ELSE 1767196800000 END";
    let year_ms = 365 * 86_400_000_i64;
    let rows = format!(
        "SELECT i, y, i - (y - 2024) * {per_year} AS seq, \
         {year_start} + (i - (y - 2024) * {per_year} - 1) * ({year_ms} / {per_year}) AS filed, \
         1 + (i * 7919) % {DEPUTIES} AS deputy \
         FROM (SELECT i, 2024 + (i - 1) / {per_year} AS y FROM ({}) n WHERE i >= {from}) b",
        series(to)
    );
    let state = "CASE WHEN i % 20 < 14 THEN 'closed' WHEN i % 20 = 14 THEN 'submitted' \
                 WHEN i % 20 = 15 THEN 'accepted' WHEN i % 20 < 18 THEN 'assigned' \
                 WHEN i % 20 = 18 THEN 'replied' ELSE 'declined' END";
    let rating = "CASE WHEN i % 20 >= 14 THEN NULL WHEN i % 10 < 7 THEN 'satisfied' \
                  WHEN i % 10 < 9 THEN 'basic' ELSE 'unsatisfied' END";
    let categories = "CASE i % 6 WHEN 0 THEN 'economy' WHEN 1 THEN 'governance' WHEN 2 THEN 'public_affairs' \
                      WHEN 3 THEN 'environment' WHEN 4 THEN 'livelihood' ELSE 'other' END";
    // Products of literals are computed here: PostgreSQL multiplies int4 literals in int4.
    let thirty_days = 30 * DAY_MS;
    let mut sql = vec![format!(
        "INSERT INTO suggestions (id, year, seq, deputy_id, group_id, title, body, category, state, level, \
         deadline, rating, outcome, filed_at, updated_at) \
         SELECT i, y, seq, deputy, 1 + (deputy - 1) / 100, 'Suggestion ' || i, 'Body', {categories}, {state}, 'town', \
         CASE WHEN i % 20 BETWEEN 14 AND 18 THEN filed + {thirty_days} ELSE NULL END, {rating}, \
         CASE WHEN i % 20 < 14 THEN 'rated' ELSE NULL END, filed, filed FROM ({rows}) r"
    )];
    let range = format!("id BETWEEN {from} AND {to}");
    for (kind, to_state, when, offset_days) in [
        ("filed", "submitted", "1 = 1", 0),
        ("accepted", "accepted", "state NOT IN ('submitted')", 2),
        (
            "assigned",
            "assigned",
            "state IN ('assigned', 'replied', 'closed')",
            4,
        ),
        ("replied", "replied", "state IN ('replied', 'closed')", 20),
        ("rated", "closed", "state = 'closed'", 25),
    ] {
        sql.push(format!(
            "INSERT INTO events (suggestion_id, at, kind, to_state) \
             SELECT id, filed_at + {}, '{kind}', '{to_state}' FROM suggestions \
             WHERE {range} AND {when}",
            offset_days * DAY_MS
        ));
    }
    sql.push(format!(
        "INSERT INTO suggestion_units (suggestion_id, unit_id, lead) \
         SELECT id, 1, 1 = 1 FROM suggestions WHERE {range} AND state IN ('assigned', 'replied', 'closed')"
    ));
    sql.push(
        "INSERT INTO counters (kind, year, last) SELECT 'suggestion', year, MAX(seq) FROM suggestions \
         GROUP BY year ON CONFLICT (kind, year) DO UPDATE SET last = excluded.last"
            .to_string(),
    );
    sql
}

/// A benchmark's database, outside the repository: generated data goes in as bulk SQL.
pub enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Raw {
    /// Runs `sql`, each `SERIES(n)` replaced with the backend's rows 1..=n in a column `i`.
    pub async fn run(&self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            Raw::Sqlite(pool) => {
                let n = "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $N) SELECT i FROM s";
                let sql = expand(sql, |count| n.replace("$N", count));
                pool.execute(sqlx::AssertSqlSafe(sql)).await?;
            }
            Raw::Postgres(pool) => {
                let sql = expand(sql, |count| {
                    format!("SELECT generate_series(1, {count})::bigint AS i")
                });
                pool.execute(sqlx::AssertSqlSafe(sql)).await?;
            }
        }
        Ok(())
    }

    /// The first column of the first row of `sql`, a count.
    pub async fn count(&self, sql: &str) -> Result<i64, sqlx::Error> {
        use sqlx::Row as _;
        match self {
            Raw::Sqlite(pool) => sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_one(pool)
                .await?
                .try_get(0),
            Raw::Postgres(pool) => sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_one(pool)
                .await?
                .try_get(0),
        }
    }

    pub async fn analyze(&self) -> Result<(), sqlx::Error> {
        match self {
            Raw::Sqlite(pool) => pool.execute("ANALYZE").await.map(|_| ()),
            Raw::Postgres(pool) => pool.execute("ANALYZE").await.map(|_| ()),
        }
    }
}

/// Replaces each `SERIES(n)` with the backend's row generator.
fn expand(sql: &str, generator: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = sql;
    while let Some(start) = rest.find("SERIES(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "SERIES(".len()..];
        let end = after.find(')').expect("SERIES(n)");
        out.push_str(&generator(&after[..end]));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The best of three runs.
async fn time<F, Fut>(f: F) -> anyhow::Result<Duration>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        f().await?;
        best = best.min(start.elapsed());
    }
    Ok(best)
}

async fn measure(
    name: &str,
    size: &str,
    repo: &Arc<dyn Repository>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    let tz = chrono_tz::Asia::Shanghai;
    let at = |m, d, h| tz.with_ymd_and_hms(2024, m, d, h, 0, 0).unwrap().to_utc();
    // March 2024: filled at both sizes (the first 100,000 suggestions are 2024's first ones).
    let (from, to, now) = (at(3, 1, 0), at(4, 1, 0), at(4, 2, 8));
    let whole = time(|| async {
        repo.monthly_stats(None, from, to, now).await?;
        Ok(())
    })
    .await?;
    let town = time(|| async {
        repo.monthly_stats(Some("T1"), from, to, now).await?;
        Ok(())
    })
    .await?;
    let config = Config::default();
    let ledger = time(|| async {
        let rows = repo.ledger_rows(None, from, to);
        let setting = reports::Setting::new(Lang::ZhCn, config.rules(), now);
        let file = reports::export::LedgerFile::Xlsx;
        reports::export::export(rows, file, setting, || Ok(Vec::new())).await?;
        Ok(())
    })
    .await?;
    let daily = time(|| async {
        let ctx = JobCtx::new(repo.as_ref(), &config);
        jobs::pushes(&ctx, Job::DailyReport, now).await?;
        Ok(())
    })
    .await?;
    writeln!(
        out,
        "{name:9} {size:>5}: monthly report, whole deployment {:7.1} ms, one town {:7.1} ms; \
         ledger of the month as .xlsx {:7.1} ms; daily report {:7.1} ms",
        ms(whole),
        ms(town),
        ms(ledger),
        ms(daily)
    )?;
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Seeds 100,000 suggestions, measures, seeds up to 1,000,000, measures.
async fn bench(
    name: &str,
    repo: Arc<dyn Repository>,
    raw: Raw,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    let start = Instant::now();
    for sql in roster_sql() {
        raw.run(&sql).await?;
    }
    let total = 1_000_000;
    for sql in suggestions_sql(1, 100_000, total) {
        raw.run(&sql).await?;
    }
    raw.analyze().await?;
    let seconds = start.elapsed().as_secs_f64();
    writeln!(out, "{name:9} seeded 100,000 in {seconds:.1} s")?;
    measure(name, "100k", &repo, out).await?;
    let start = Instant::now();
    for sql in suggestions_sql(100_001, total, total) {
        raw.run(&sql).await?;
    }
    raw.analyze().await?;
    let seconds = start.elapsed().as_secs_f64();
    writeln!(out, "{name:9} seeded 1,000,000 in {seconds:.1} s")?;
    measure(name, "1M", &repo, out).await
}

/// Runs the benchmark on a fresh SQLite file in the temp directory and, given a PostgreSQL
/// URL, on a fresh schema there (dropped afterwards), writing the figures to `out`.
pub async fn stats(postgres: Option<&str>, out: &mut (dyn Write + Send)) -> anyhow::Result<()> {
    writeln!(
        out,
        "stats: 100,000 deputies in 1,000 groups under 10 towns; suggestions over 2024–2026"
    )?;
    let dir = std::env::temp_dir().join(format!("minyi-bench-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let result = async {
        let repo = storage::connect(&url).await?;
        repo.migrate().await?;
        // The seeding statements take seconds by design: no slow-statement warnings.
        let options: SqliteConnectOptions = url.parse()?;
        let pool = sqlx::SqlitePool::connect_with(options.disable_statement_logging()).await?;
        bench("sqlite", repo, Raw::Sqlite(pool), out).await
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result?;
    match postgres {
        Some(url) => {
            let admin = PgPoolOptions::new().max_connections(1).connect(url).await?;
            let schema = format!("minyi_bench_{:08x}", rand::random::<u32>());
            admin
                .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                .await?;
            let result = async {
                let options: PgConnectOptions = url.parse()?;
                let pool = PgPoolOptions::new()
                    .connect_with(
                        options
                            .options([("search_path", schema.as_str())])
                            .disable_statement_logging(),
                    )
                    .await?;
                let repo: Arc<dyn Repository> = Arc::new(PgRepo::with_pool(pool.clone()));
                repo.migrate().await?;
                bench("postgres", repo, Raw::Postgres(pool), out).await
            }
            .await;
            let drop = format!("DROP SCHEMA {schema} CASCADE");
            admin.execute(sqlx::AssertSqlSafe(drop)).await?;
            result
        }
        None => {
            writeln!(out, "postgres: skipped (give --postgres URL)")?;
            Ok(())
        }
    }
}

/// A fresh SQLite database at `url` with the benchmark's roster (100,000 deputies) and
/// `suggestions` suggestions with their events, for the move to PostgreSQL.
pub async fn generate_sqlite(url: &str, suggestions: i64) -> anyhow::Result<()> {
    let repo = storage::connect(url).await?;
    repo.migrate().await?;
    let options: SqliteConnectOptions = url.parse()?;
    let pool = sqlx::SqlitePool::connect_with(options.disable_statement_logging()).await?;
    let raw = Raw::Sqlite(pool);
    for sql in roster_sql() {
        raw.run(&sql).await?;
    }
    for sql in suggestions_sql(1, suggestions, suggestions) {
        raw.run(&sql).await?;
    }
    Ok(())
}

/// `minyi bench migrate-data`: 100,000 suggestions (with 100,000 deputies and the events)
/// moved from a fresh SQLite file into a fresh schema of the PostgreSQL server at `postgres`.
pub async fn migrate_data(postgres: &str, out: &mut (dyn Write + Send)) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("minyi-bench-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let from = format!("sqlite://{}", dir.join("town.db").display());
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(postgres)
        .await?;
    let schema = format!("minyi_bench_{:08x}", rand::random::<u32>());
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .await?;
    let result = async {
        let start = Instant::now();
        generate_sqlite(&from, 100_000).await?;
        let seeded = start.elapsed();
        let sep = if postgres.contains('?') { '&' } else { '?' };
        let to = format!("{postgres}{sep}options=-c%20search_path%3D{schema}");
        let start = Instant::now();
        let copied = storage::copy::sqlite_to_postgres(&from, &to).await?;
        let took = start.elapsed();
        let rows: u64 = copied.iter().map(|c| c.rows).sum();
        let count = |table: &str| copied.iter().find(|c| c.table == table).map_or(0, |c| c.rows);
        writeln!(
            out,
            "migrate-data: seeded in {:.1} s; copied {} suggestions, {} events, {} people ({rows} rows in all, \
             every table read back and checksummed) in {:.1} s: {:.0} rows/s",
            seeded.as_secs_f64(),
            count("suggestions"),
            count("events"),
            count("people"),
            took.as_secs_f64(),
            rows as f64 / took.as_secs_f64()
        )?;
        anyhow::Ok(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    let drop = format!("DROP SCHEMA {schema} CASCADE");
    admin.execute(sqlx::AssertSqlSafe(drop)).await?;
    result
}
