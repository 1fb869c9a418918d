//! The PostgreSQL backend, for big deployments and several replicas. A transition locks its
//! suggestion's row (`FOR UPDATE`); numbering locks the year's counter row.

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use super::StoreError;

mod q {
    super::super::shared::shared_queries!(sqlx::PgConnection, " FOR UPDATE OF s");
}

pub struct PgRepo {
    pool: PgPool,
}

impl PgRepo {
    const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await?;
        Ok(Self { pool })
    }

    /// A repository on a pool the caller built (tests set a per-test `search_path`).
    pub fn with_pool(pool: PgPool) -> Self {
        Self { pool }
    }

    async fn write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.pool.begin().await
    }

    async fn read(&self) -> Result<sqlx::pool::PoolConnection<Postgres>, sqlx::Error> {
        self.pool.acquire().await
    }
}

super::shared::repository_impl!(PgRepo, q);
