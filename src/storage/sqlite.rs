//! The SQLite backend: one file, WAL mode, foreign keys on, a busy timeout, and write
//! transactions that take the write lock up front (`BEGIN IMMEDIATE`), so two writers never
//! deadlock upgrading a read lock.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, Sqlite, SqliteConnection, SqlitePool, Transaction};

use crate::domain::ScopeKind;
use crate::roster::{GrantRow, PersonRow};

use super::{PollGuard, StoreError};

mod q {
    super::super::shared::shared_queries!(sqlx::SqliteConnection, "", "", super::FILING);
}

/// A filing's number, record and first event in one call to the connection's thread: SQLite
/// has no `INSERT` inside `WITH`, but runs several statements of one query with its
/// parameters (`$n` numbers them across the statements). The write transaction holds the
/// database's one write lock, so the counter read back is this filing's. Parameters as
/// `number_and_record` binds them; answers `id` and `seq`.
const FILING: &str = "INSERT INTO counters (kind, year, last) VALUES ('suggestion', $1, 1) \
     ON CONFLICT (kind, year) DO UPDATE SET last = counters.last + 1; \
     INSERT INTO suggestions (year, seq, deputy_id, group_id, title, body, category, state, \
     deadline, request_id, photo_file_id, latitude, longitude, filed_at, updated_at) \
     VALUES ($1, (SELECT last FROM counters WHERE kind = 'suggestion' AND year = $1), \
     $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13); \
     INSERT INTO events (suggestion_id, at, actor_id, kind, from_state, to_state, text, update_id) \
     VALUES (last_insert_rowid(), $13, $2, $14, $15, $7, $16, $17); \
     SELECT id, seq FROM suggestions \
     WHERE year = $1 AND seq = (SELECT last FROM counters WHERE kind = 'suggestion' AND year = $1)";

pub struct SqliteRepo {
    pool: SqlitePool,
    /// The file `minyi run` locks (`<database>.run-lock`), so a second process on the same
    /// database is refused; `None` for an in-memory database.
    run_lock_path: Option<std::path::PathBuf>,
    /// The lock, once this process took it: held until the process ends.
    run_lock: std::sync::Mutex<Option<Arc<std::fs::File>>>,
    /// This process's writers take turns here rather than in SQLite's busy handler, which
    /// polls with sleeps of up to 100 ms: under many concurrent writers a queue is far faster.
    /// (Other processes on the same file still meet the busy timeout.)
    write_turn: Arc<tokio::sync::Mutex<()>>,
    /// Filings waiting for their transaction (group commit).
    filings: Arc<super::group_commit::Filings>,
}

/// What a write transaction needs, apart from the repository: a transaction of filings runs
/// in a task of its own (see `group_commit`).
#[derive(Clone)]
struct Writer {
    pool: SqlitePool,
    write_turn: Arc<tokio::sync::Mutex<()>>,
}

impl Writer {
    async fn write(&self) -> Result<WriteTx, sqlx::Error> {
        let turn = Arc::clone(&self.write_turn).lock_owned().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTx { tx, _turn: turn })
    }

    /// A transaction of filings: like any other, the write lock orders it with every writer.
    async fn write_filings(&self) -> Result<WriteTx, sqlx::Error> {
        self.write().await
    }
}

/// A write transaction holding this process's write turn until it commits or drops.
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}

impl SqliteRepo {
    const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
    /// One process owns the file: a second `minyi run` is refused.
    const SINGLE_PROCESS: bool = true;

    /// Opens (creating if missing) the database file of a `sqlite://` URL.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?;
        let file = options.get_filename();
        let run_lock_path =
            (!file.as_os_str().is_empty() && file != std::path::Path::new(":memory:")).then(|| {
                let mut name = file.as_os_str().to_owned();
                name.push(".run-lock");
                std::path::PathBuf::from(name)
            });
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            run_lock_path,
            run_lock: std::sync::Mutex::new(None),
            write_turn: Arc::new(tokio::sync::Mutex::new(())),
            filings: Arc::default(),
        })
    }

    fn writer(&self) -> Writer {
        Writer {
            pool: self.pool.clone(),
            write_turn: Arc::clone(&self.write_turn),
        }
    }

    async fn write(&self) -> Result<WriteTx, sqlx::Error> {
        self.writer().write().await
    }

    /// A roster import: `BEGIN IMMEDIATE` already serialises it with every other writer.
    async fn write_roster(&self) -> Result<WriteTx, sqlx::Error> {
        self.write().await
    }

    async fn read(&self) -> Result<sqlx::pool::PoolConnection<Sqlite>, sqlx::Error> {
        self.pool.acquire().await
    }

    /// A copy made by `VACUUM INTO`: one read transaction, so it is consistent while writers
    /// go on; the target must not exist.
    async fn backup_in(&self, file: &std::path::Path) -> Result<super::Backup, StoreError> {
        let path = file
            .to_str()
            .ok_or_else(|| StoreError::File(format!("not a UTF-8 path: {}", file.display())))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(super::Backup::Written)
    }

    /// One process owns the database file: the first to take the file lock next to it (an
    /// OS lock, gone with the process however it ends) keeps it; any other gets `None`.
    async fn poll_lock_in(&self) -> Result<Option<PollGuard>, StoreError> {
        let Some(path) = &self.run_lock_path else {
            return Ok(Some(PollGuard(Box::new(()))));
        };
        let mut held = self.run_lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(file) = held.as_ref() {
            return Ok(Some(PollGuard(Box::new(Arc::clone(file)))));
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| StoreError::File(format!("cannot open {}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => {
                let file = Arc::new(file);
                *held = Some(Arc::clone(&file));
                Ok(Some(PollGuard(Box::new(file))))
            }
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(StoreError::File(format!(
                "cannot lock {}: {e}",
                path.display()
            ))),
        }
    }
}

super::shared::repository_impl!(SqliteRepo, q);

/// Writes changed people and their grants in multi-row statements (a 100,000-person
/// roster is a few hundred statements, not 200,000).
pub(super) async fn write_people(
    c: &mut SqliteConnection,
    people: &[(&PersonRow, &Vec<GrantRow>, bool)],
    progress: Option<&(dyn Fn(u64) + Send + Sync)>,
) -> Result<(), sqlx::Error> {
    // SQLite allows 32,766 parameters a statement: 500 people × 7 columns stays well inside.
    const CHUNK: usize = 500;
    let mut done = 0u64;
    for chunk in people.chunks(CHUNK) {
        let mut insert = sqlx::QueryBuilder::<Sqlite>::new(
            "INSERT INTO people (code, name, roles_spec, scope_spec, telegram_id, wecom_userid, lang) ",
        );
        insert.push_values(chunk, |mut row, (p, _, _)| {
            row.push_bind(p.code.clone())
                .push_bind(p.name.clone())
                .push_bind(p.roles_spec())
                .push_bind(p.scope_spec())
                .push_bind(p.telegram_id)
                .push_bind(p.wecom_userid.clone())
                .push_bind(p.lang.clone());
        });
        insert.push(
            " ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
             roles_spec = excluded.roles_spec, scope_spec = excluded.scope_spec, \
             telegram_id = COALESCE(excluded.telegram_id, people.telegram_id), \
             wecom_userid = COALESCE(excluded.wecom_userid, people.wecom_userid), \
             lang = COALESCE(excluded.lang, people.lang) RETURNING id, code",
        );
        let ids: std::collections::HashMap<String, i64> = insert
            .build()
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("code")?, r.try_get("id")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        let updated: Vec<i64> = chunk
            .iter()
            .filter(|(_, _, update)| *update)
            .map(|(p, _, _)| ids[&p.code])
            .collect();
        if !updated.is_empty() {
            let mut delete =
                sqlx::QueryBuilder::<Sqlite>::new("DELETE FROM person_roles WHERE person_id IN (");
            let mut list = delete.separated(", ");
            for id in updated {
                list.push_bind(id);
            }
            delete.push(")");
            delete.build().execute(&mut *c).await?;
        }
        let grants: Vec<(i64, GrantRow)> = chunk
            .iter()
            .flat_map(|(p, grants, _)| grants.iter().map(|g| (ids[&p.code], *g)))
            .collect();
        for part in grants.chunks(CHUNK) {
            let mut insert = sqlx::QueryBuilder::<Sqlite>::new(
                "INSERT INTO person_roles (person_id, role, org_id, group_id, unit_id) ",
            );
            insert.push_values(part, |mut row, (person, g)| {
                let pick = |kind| (g.kind == kind).then_some(g.id);
                row.push_bind(*person)
                    .push_bind(g.role.as_str())
                    .push_bind(pick(ScopeKind::Org))
                    .push_bind(pick(ScopeKind::Group))
                    .push_bind(pick(ScopeKind::Unit));
            });
            insert.build().execute(&mut *c).await?;
        }
        done += chunk.len() as u64;
        if let Some(progress) = progress {
            progress(done);
        }
    }
    Ok(())
}
