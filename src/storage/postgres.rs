//! The PostgreSQL backend, for big deployments and several replicas. A transition locks its
//! suggestion's row (`FOR UPDATE`); numbering locks the year's counter row.

use sqlx::postgres::{PgPool, PgPoolOptions};
use std::collections::HashMap;

use sqlx::{PgConnection, Postgres, Row, Transaction};

use crate::domain::ScopeKind;
use crate::roster::{GrantRow, PersonRow};

use super::{PollGuard, StoreError};

mod q {
    super::super::shared::shared_queries!(
        sqlx::PgConnection,
        " FOR UPDATE OF s",
        " FOR UPDATE SKIP LOCKED",
        super::FILING
    );
}

/// A filing's number, record and first event in one statement. The counter row stays locked
/// from here to the commit (numbers never skip), so nothing is read after it. Parameters as
/// `number_and_record` binds them; answers `id` and `seq`.
const FILING: &str = "WITH n AS (INSERT INTO counters (kind, year, last) VALUES ('suggestion', $1, 1) \
     ON CONFLICT (kind, year) DO UPDATE SET last = counters.last + 1 RETURNING last), \
     s AS (INSERT INTO suggestions (year, seq, deputy_id, group_id, title, body, category, state, \
     deadline, request_id, photo_file_id, latitude, longitude, filed_at, updated_at) \
     SELECT $1, n.last, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13 FROM n \
     RETURNING id, seq), \
     e AS (INSERT INTO events (suggestion_id, at, actor_id, kind, from_state, to_state, text, update_id) \
     SELECT s.id, $13, $2, $14, $15, $7, $16, $17 FROM s) \
     SELECT id, seq FROM s";

/// The advisory lock key of roster imports ("minyi" in ASCII).
const ROSTER_LOCK: i64 = 0x6d_69_6e_79_69;

/// Whether this session holds the poll lock ([`POLL_LOCK_SQL`]).
const POLL_LOCK_HELD_SQL: &str = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
     AND pid = pg_backend_pid() AND granted \
     AND classid = hashtext('minyi-poll')::oid AND objid = hashtext(current_schema())::oid)";

/// The advisory lock of the Telegram long poll, held for a session: one key for minyi's
/// poll, the other for the schema, so deployments (and tests) in other schemas of the same
/// database each have their own.
const POLL_LOCK_SQL: &str =
    "SELECT pg_try_advisory_lock(hashtext('minyi-poll'), hashtext(current_schema()))";

/// The connection that holds the polling lock. Dropping it ends the session, and with it
/// the lock (closed politely when a runtime is at hand, else the socket just closes).
struct PollSession(tokio::sync::Mutex<Option<PgConnection>>);

#[async_trait::async_trait]
impl super::PollHold for PollSession {
    /// The session answers, and still holds the lock (within 5 seconds).
    async fn alive(&self) -> bool {
        let mut conn = self.0.lock().await;
        let Some(conn) = conn.as_mut() else {
            return false;
        };
        let held = sqlx::query_scalar::<_, bool>(POLL_LOCK_HELD_SQL).fetch_one(conn);
        matches!(
            tokio::time::timeout(std::time::Duration::from_secs(5), held).await,
            Ok(Ok(true))
        )
    }
}

impl Drop for PollSession {
    fn drop(&mut self) {
        let conn = self.0.get_mut().take();
        if let (Some(conn), Ok(rt)) = (conn, tokio::runtime::Handle::try_current()) {
            rt.spawn(async move {
                let _ = sqlx::Connection::close(conn).await;
            });
        }
    }
}

/// How long a step waits for a connection before it fails.
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

pub struct PgRepo {
    pool: PgPool,
    /// Filings waiting for their transaction (group commit).
    filings: std::sync::Arc<super::group_commit::Filings>,
}

/// What a write transaction needs, apart from the repository: a transaction of filings runs
/// in a task of its own (see `group_commit`).
#[derive(Clone)]
struct Writer {
    pool: PgPool,
}

impl Writer {
    async fn write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.pool.begin().await
    }

    /// A transaction of filings. It holds the roster imports' lock, shared: its filings lock
    /// their deputies' rows one after another (the records' foreign keys) while an import
    /// locks the people it changes in its own order, so without it the two could deadlock.
    async fn write_filings(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock_shared($1)")
            .bind(ROSTER_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}

impl PgRepo {
    const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");
    /// Any number of replicas: one holds the poll lock, the others wait for it.
    const SINGLE_PROCESS: bool = false;

    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            // While the server cannot be reached, a command fails within seconds ("nothing
            // was changed, try again") instead of hanging for sqlx's default 30 s.
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await?;
        Ok(Self::with_pool(pool))
    }

    /// A repository on a pool the caller built (tests set a per-test `search_path`).
    pub fn with_pool(pool: PgPool) -> Self {
        Self {
            pool,
            filings: Default::default(),
        }
    }

    fn writer(&self) -> Writer {
        Writer {
            pool: self.pool.clone(),
        }
    }

    async fn write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.writer().write().await
    }

    /// A roster import takes a transaction-scoped advisory lock, so two imports never plan
    /// against the same snapshot (which would give wrong counts or a unique violation instead
    /// of a line error).
    async fn write_roster(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(ROSTER_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    async fn read(&self) -> Result<sqlx::pool::PoolConnection<Postgres>, sqlx::Error> {
        self.pool.acquire().await
    }

    /// PostgreSQL's own tools (`pg_dump`) make consistent backups of a running server.
    async fn backup_in(&self, _file: &std::path::Path) -> Result<super::Backup, StoreError> {
        Ok(super::Backup::UsePgDump)
    }

    /// Tries the session advisory lock of the long poll on a connection taken out of the
    /// pool for good: the lock lives exactly as long as the returned guard.
    async fn poll_lock_in(&self) -> Result<Option<PollGuard>, StoreError> {
        let mut conn = self.pool.acquire().await?.detach();
        let held: bool = sqlx::query_scalar(POLL_LOCK_SQL)
            .fetch_one(&mut conn)
            .await?;
        if !held {
            let _ = sqlx::Connection::close(conn).await;
            return Ok(None);
        }
        let session = PollSession(tokio::sync::Mutex::new(Some(conn)));
        Ok(Some(PollGuard(Box::new(session))))
    }
}

super::shared::repository_impl!(PgRepo, q);

/// Writes changed people and their grants with one `UNNEST` statement each: PostgreSQL takes
/// whole arrays as parameters, so a 100,000-person roster is three statements.
pub(super) async fn write_people(
    c: &mut PgConnection,
    people: &[(&PersonRow, &Vec<GrantRow>, bool)],
    progress: Option<&(dyn Fn(u64) + Send + Sync)>,
) -> Result<(), sqlx::Error> {
    let column = |f: &dyn Fn(&PersonRow) -> Option<String>| -> Vec<Option<String>> {
        people.iter().map(|(p, _, _)| f(p)).collect()
    };
    let codes = column(&|p| Some(p.code.clone()));
    let names = column(&|p| Some(p.name.clone()));
    let roles = column(&|p| Some(p.roles_spec()));
    let scopes = column(&|p| Some(p.scope_spec()));
    let langs = column(&|p| p.lang.clone());
    let wecom = column(&|p| p.wecom_userid.clone());
    let telegram: Vec<Option<i64>> = people.iter().map(|(p, _, _)| p.telegram_id).collect();
    let ids: HashMap<String, i64> = sqlx::query(
        "INSERT INTO people (code, name, roles_spec, scope_spec, telegram_id, lang, wecom_userid) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[]) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, roles_spec = excluded.roles_spec, \
         scope_spec = excluded.scope_spec, \
         telegram_id = COALESCE(excluded.telegram_id, people.telegram_id), \
         wecom_userid = COALESCE(excluded.wecom_userid, people.wecom_userid), \
         lang = COALESCE(excluded.lang, people.lang) RETURNING id, code",
    )
    .bind(&codes)
    .bind(&names)
    .bind(&roles)
    .bind(&scopes)
    .bind(&telegram)
    .bind(&langs)
    .bind(&wecom)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("code")?, r.try_get("id")?)))
    .collect::<Result<_, sqlx::Error>>()?;
    let updated: Vec<i64> = people
        .iter()
        .filter(|(_, _, update)| *update)
        .map(|(p, _, _)| ids[&p.code])
        .collect();
    sqlx::query("DELETE FROM person_roles WHERE person_id = ANY($1)")
        .bind(&updated)
        .execute(&mut *c)
        .await?;
    let mut person = Vec::new();
    let mut role = Vec::new();
    let mut scope: [Vec<Option<i64>>; 3] = Default::default();
    for (p, grants, _) in people {
        for g in grants.iter() {
            person.push(ids[&p.code]);
            role.push(g.role.as_str());
            for (i, kind) in [ScopeKind::Org, ScopeKind::Group, ScopeKind::Unit]
                .into_iter()
                .enumerate()
            {
                scope[i].push((g.kind == kind).then_some(g.id));
            }
        }
    }
    sqlx::query(
        "INSERT INTO person_roles (person_id, role, org_id, group_id, unit_id) \
         SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])",
    )
    .bind(&person)
    .bind(&role)
    .bind(&scope[0])
    .bind(&scope[1])
    .bind(&scope[2])
    .execute(&mut *c)
    .await?;
    if let Some(progress) = progress {
        progress(people.len() as u64);
    }
    Ok(())
}
