//! What the benchmarks share: a fresh SQLite file and, with `MINYI_TEST_POSTGRES_URL`, a fresh
//! PostgreSQL schema, each with a raw pool to seed it.

use std::sync::Arc;

use minyi::storage::postgres::PgRepo;
use minyi::storage::{self, Repository};
use sqlx::Executor;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// A fresh SQLite database in `dir`: the repository and a raw pool.
pub async fn sqlite(dir: &std::path::Path) -> (Arc<dyn Repository>, sqlx::SqlitePool) {
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let repo = storage::connect(&url).await.expect("open sqlite");
    repo.migrate().await.expect("migrate sqlite");
    (
        repo,
        sqlx::SqlitePool::connect(&url).await.expect("raw sqlite"),
    )
}

/// A fresh schema on the test server, if one is configured: the repository, a raw pool on the
/// schema, and a guard that drops the schema.
pub async fn postgres() -> Option<(Arc<dyn Repository>, sqlx::PgPool, PgSchema)> {
    let url = std::env::var("MINYI_TEST_POSTGRES_URL").ok()?;
    let admin = PgPoolOptions::new().connect(&url).await.expect("postgres");
    let schema = format!("bench_{:08x}", rand::random::<u32>());
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .await
        .expect("create schema");
    let options: PgConnectOptions = url.parse().expect("postgres url");
    let pool = PgPoolOptions::new()
        .connect_with(options.options([("search_path", schema.as_str())]))
        .await
        .expect("connect schema");
    let repo: Arc<dyn Repository> = Arc::new(PgRepo::with_pool(pool.clone()));
    repo.migrate().await.expect("migrate postgres");
    Some((repo, pool, PgSchema { admin, schema }))
}

pub struct PgSchema {
    admin: sqlx::PgPool,
    schema: String,
}

impl PgSchema {
    pub async fn drop(self) {
        let sql = format!("DROP SCHEMA {} CASCADE", self.schema);
        self.admin
            .execute(sqlx::AssertSqlSafe(sql))
            .await
            .expect("drop schema");
    }
}
