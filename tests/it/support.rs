//! Test databases: a fresh SQLite file and, where PostgreSQL is reachable, a fresh schema on
//! the test server, so every test runs on both backends in parallel with the others.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use minyi::roster::{self, RosterKind};
use minyi::storage::postgres::PgRepo;
use minyi::storage::{self, Repository};
use sqlx::Executor;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

pub struct TestDb {
    pub name: &'static str,
    /// The database's URL, for a `minyi` process of its own.
    pub url: String,
    pub repo: Arc<dyn Repository>,
    raw: Raw,
    _dir: Option<tempfile::TempDir>,
}

enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres { pool: sqlx::PgPool, schema: Schema },
}

/// A test's PostgreSQL schema, dropped when the test ends: by [`TestDb::finish`], or, if the
/// test panicked before that, when this guard is dropped during the unwinding.
struct Schema {
    server_url: String,
    name: String,
    dropped: bool,
}

impl Schema {
    async fn drop_now(&mut self) {
        if let Ok(admin) = PgPoolOptions::new()
            .max_connections(1)
            .connect(&self.server_url)
            .await
        {
            // A connection the test left holding a lock must not hang the drop forever.
            let _ = admin.execute("SET lock_timeout = '5s'").await;
            let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name);
            let _ = admin.execute(sqlx::AssertSqlSafe(sql)).await;
            admin.close().await;
        }
        self.dropped = true;
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // The test's runtime may be the one unwinding: drop it from a runtime of our own.
        let mut schema = Schema {
            server_url: self.server_url.clone(),
            name: self.name.clone(),
            dropped: true,
        };
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(schema.drop_now());
        })
        .join();
    }
}

impl TestDb {
    /// Runs SQL on the same database as the repository, outside it: for injecting faults and
    /// checking what the repository must refuse.
    pub async fn exec(&self, sql: &str) -> Result<(), sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match &self.raw {
            Raw::Sqlite(pool) => pool.execute(sql).await.map(|_| ()),
            Raw::Postgres { pool, .. } => pool.execute(sql).await.map(|_| ()),
        }
    }

    /// A count from a `SELECT COUNT(*) …`.
    /// The state a suggestion is in now, as stored (`accepted`, `assigned`, …).
    pub async fn state_of(&self, no: &str) -> String {
        let no = minyi::domain::SuggestionNo::parse(no).unwrap();
        let s = self.repo.suggestion(no).await.unwrap().expect("exists");
        s.state.as_str().to_string()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match &self.raw {
            Raw::Sqlite(pool) => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await,
            Raw::Postgres { pool, .. } => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await,
        }
        .expect("count query")
    }

    /// The PostgreSQL pool of the test's schema, to hold a transaction open from outside.
    pub fn pg_pool(&self) -> Option<&sqlx::PgPool> {
        match &self.raw {
            Raw::Postgres { pool, .. } => Some(pool),
            Raw::Sqlite(_) => None,
        }
    }

    /// Holds, from outside the repository, the lock a filing's number waits for (SQLite's
    /// write lock; on PostgreSQL the counter row of `year`, which must exist) until
    /// [`Held::release`]: filings made meanwhile queue up.
    pub async fn hold_numbers(&self, year: i32) -> Held {
        match &self.raw {
            Raw::Sqlite(pool) => {
                let tx = pool.begin_with("BEGIN IMMEDIATE").await;
                Held::Sqlite(tx.expect("the write lock"))
            }
            Raw::Postgres { pool, .. } => {
                let mut tx = pool.begin().await.expect("begin");
                let locked = sqlx::query(
                    "SELECT last FROM counters WHERE kind = 'suggestion' AND year = $1 FOR UPDATE",
                )
                .bind(i64::from(year))
                .fetch_one(&mut *tx)
                .await;
                locked.expect("the year's counter row");
                Held::Postgres(tx)
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.raw, Raw::Postgres { .. })
    }

    /// Drops the test's schema (PostgreSQL); the SQLite file goes with its temp dir.
    pub async fn finish(mut self) {
        if let Raw::Postgres { pool, schema } = &mut self.raw {
            pool.close().await;
            schema.drop_now().await;
        }
    }
}

/// A lock held from outside the repository ([`TestDb::hold_numbers`]), in a transaction
/// that rolls back when dropped (a test that panics does not leave it held).
pub enum Held {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Held {
    pub async fn release(self) {
        match self {
            Held::Sqlite(tx) => tx.rollback().await,
            Held::Postgres(tx) => tx.rollback().await,
        }
        .expect("rollback");
    }
}

/// The databases every storage test runs on: SQLite always, PostgreSQL when
/// `MINYI_TEST_POSTGRES_URL` is set (and required when `MINYI_REQUIRE_POSTGRES=1`).
pub async fn backends() -> Vec<TestDb> {
    backends_at(None).await
}

/// The same, with the schema migrated only up to `version` (to test an upgrade): the
/// repository's `migrate` brings it the rest of the way.
pub async fn backends_at(version: Option<i64>) -> Vec<TestDb> {
    let mut dbs = vec![sqlite_at(version).await];
    if let Some(db) = postgres_at(version).await {
        dbs.push(db);
    }
    dbs
}

pub async fn sqlite() -> TestDb {
    sqlite_at(None).await
}

async fn sqlite_at(version: Option<i64>) -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("minyi.db").display());
    let repo = storage::connect(&url).await.expect("open sqlite");
    let raw = sqlx::SqlitePool::connect(&url).await.expect("raw sqlite");
    match version {
        None => repo.migrate().await.expect("migrate sqlite"),
        Some(v) => sqlx::migrate!("./migrations/sqlite")
            .run_to(v, &raw)
            .await
            .expect("migrate sqlite"),
    }
    TestDb {
        name: "sqlite",
        url,
        repo,
        raw: Raw::Sqlite(raw),
        _dir: Some(dir),
    }
}

pub async fn postgres() -> Option<TestDb> {
    postgres_at(None).await
}

async fn postgres_at(version: Option<i64>) -> Option<TestDb> {
    let required = std::env::var("MINYI_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    let url = match std::env::var("MINYI_TEST_POSTGRES_URL") {
        Ok(url) => url,
        Err(_) if required => {
            panic!("MINYI_REQUIRE_POSTGRES=1 but MINYI_TEST_POSTGRES_URL is not set")
        }
        Err(_) => return None,
    };
    let admin = match PgPoolOptions::new().max_connections(1).connect(&url).await {
        Ok(pool) => pool,
        Err(e) if required => panic!("PostgreSQL at {url} is required and unreachable: {e}"),
        Err(e) => {
            eprintln!("skipping PostgreSQL: {e}");
            return None;
        }
    };
    let name = format!("t_{:016x}", rand::random::<u64>());
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
        .await
        .expect("create schema");
    admin.close().await;
    // From here on the schema is dropped however the test ends.
    let schema = Schema {
        server_url: url.clone(),
        name,
        dropped: false,
    };
    let options: PgConnectOptions = url.parse().expect("postgres url");
    let options = options.options([("search_path", schema.name.as_str())]);
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .connect_with(options)
        .await
        .expect("connect test schema");
    let repo: Arc<dyn Repository> = Arc::new(PgRepo::with_pool(pool.clone()));
    match version {
        None => repo.migrate().await.expect("migrate postgres"),
        Some(v) => sqlx::migrate!("./migrations/postgres")
            .run_to(v, &pool)
            .await
            .expect("migrate postgres"),
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{sep}options=-c%20search_path%3D{}", schema.name);
    Some(TestDb {
        name: "postgres",
        url,
        repo,
        raw: Raw::Postgres { pool, schema },
        _dir: None,
    })
}

/// A local time in Asia/Shanghai.
pub fn shanghai(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("valid local time")
        .with_timezone(&Utc)
}

pub const ORGS: &str =
    "code,name,parent\nC,Xiangshan District,\nT1,Renmin Street,C\nT2,Dongshan Town,C\n";
pub const GROUPS: &str = "code,name,org\nG1,Renmin deputies,T1\nG2,Dongshan deputies,T2\n";
pub const UNITS: &str =
    "code,name,org\nU1,Housing Bureau,C\nU2,Transport Bureau,C\nU3,Street Office,T1\n";
/// Telegram ids: the person's number plus 1000 (D1 → 1001 …).
pub const PEOPLE: &str = "code,name,roles,scope,telegram_id,lang\n\
D1,Deputy One,deputy,G1,1001,zh-CN\n\
D2,Deputy Two,deputy,G1,1002,\n\
L1,Leader One,deputy;leader,G1,1003,\n\
K1,Clerk Town,clerk,T1,1004,en-US\n\
KC,Clerk County,clerk,C,1005,\n\
S1,Secretary Town,secretary,T1,1006,\n\
CH,Chair Town,chair,T1,1007,\n\
UA,Unit A contact,unit,U1,1008,\n\
UB,Unit B contact,unit,U2,1009,\n\
AD,Admin,admin,C,1010,\n\
D3,Deputy Three,deputy,G2,1011,\n\
UC,Unit C contact,unit,U3,1012,\n";

/// The fixture's people by their number (`D1` is person 1, Telegram id 1001).
#[allow(dead_code)]
pub mod people {
    use minyi::storage::Who;

    /// A fixture person as a Telegram account.
    pub fn tg(person: u32) -> Who {
        Who::Telegram(1000 + i64::from(person))
    }

    pub const D1: u32 = 1;
    pub const D2: u32 = 2;
    pub const L1: u32 = 3;
    pub const K1: u32 = 4;
    pub const KC: u32 = 5;
    pub const S1: u32 = 6;
    pub const CH: u32 = 7;
    pub const UA: u32 = 8;
    pub const UB: u32 = 9;
    pub const AD: u32 = 10;
    pub const D3: u32 = 11;
}

/// The fixture's admin (AD, of the county).
pub const ADMIN: minyi::storage::Who = minyi::storage::Who::Telegram(1010);

/// Imports the fixture roster through the real import path and binds group G1's chat -100,
/// unit U1's chat -200 and county C's chat -400.
pub async fn roster(db: &TestDb) {
    roster_with_people(db, PEOPLE).await;
}

/// The same with another people file (the fixture's orgs, groups, units and chats).
pub async fn roster_with_people(db: &TestDb, people: &str) {
    for (kind, csv) in [
        (RosterKind::Orgs, ORGS),
        (RosterKind::Groups, GROUPS),
        (RosterKind::Units, UNITS),
        (RosterKind::People, people),
    ] {
        let batch = roster::parse(kind, csv.as_bytes());
        db.repo
            .import_roster(&batch, None)
            .await
            .unwrap_or_else(|e| panic!("{kind:?}: {e:?}"));
    }
    let now = shanghai(2026, 1, 5, 9, 0);
    use minyi::storage::BindTarget;
    db.repo
        .bind_chat(ADMIN, -100, BindTarget::Group("G1".into()), now)
        .await
        .unwrap();
    db.repo
        .bind_chat(ADMIN, -200, BindTarget::Unit("U1".into()), now)
        .await
        .unwrap();
    db.repo
        .bind_chat(ADMIN, -400, BindTarget::Org("C".into()), now)
        .await
        .unwrap();
}

/// Steps of the loop taken through the repository with the default policy, as the fixture's
/// people take them; a refusal panics with the backend's name.
pub mod steps {
    use chrono::{DateTime, Utc};
    use minyi::domain::{Action, Attachment, Draft, SuggestionNo};
    use minyi::storage::{Applied, LoopPolicy, Request, Who};

    use super::TestDb;

    /// A draft in the deputy's own group, without photo or location.
    pub fn draft(title: &str, body: &str, category: &str) -> Draft {
        Draft {
            title: title.into(),
            body: body.into(),
            category: category.into(),
            group: None,
            attachment: Attachment::default(),
        }
    }

    /// Files `draft` as `who`; answers its number.
    pub async fn file(db: &TestDb, who: Who, draft: Draft, at: DateTime<Utc>) -> SuggestionNo {
        match db
            .repo
            .file(&LoopPolicy::default(), who, draft, at, None)
            .await
        {
            Ok(Applied::Done { no, .. }) => no,
            other => panic!("{}: filing gave {other:?}", db.name),
        }
    }

    /// Takes a step (a command's request) on `no` as `who`.
    pub async fn request(
        db: &TestDb,
        who: Who,
        no: SuggestionNo,
        request: Request,
        at: DateTime<Utc>,
    ) {
        db.repo
            .act(&LoopPolicy::default(), who, no, request, at, None)
            .await
            .unwrap_or_else(|e| panic!("{}: {no}: {e:?}", db.name));
    }

    /// Takes a plain action on `no` as `who`.
    pub async fn act(db: &TestDb, who: Who, no: SuggestionNo, action: Action, at: DateTime<Utc>) {
        request(db, who, no, Request::Action(action), at).await;
    }
}
