//! `minyi migrate-data`: a town's SQLite database moved into PostgreSQL when the county takes
//! over. Every table is copied, row for row, ids and numbering included, into an empty,
//! migrated PostgreSQL database in one transaction; each table's rows are then read back and
//! a checksum over them compared with the source's, so a copy that differs commits nothing.
//!
//! The copy is driven by the target's own catalogue (the columns and types of each table), so
//! a migration that adds a column needs nothing here; a migration that adds a table must add
//! it to [`TABLES`] (a test compares the list with the schema).

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Row};

use super::{NotReady, StoreError};

/// Every table, parents before children. `_sqlx_migrations` is not copied: the target is
/// migrated to the same versions first.
pub const TABLES: &[&str] = &[
    "orgs",
    "deputy_groups",
    "units",
    "people",
    "person_roles",
    "accounts",
    "chat_bindings",
    "invites",
    "counters",
    "resident_requests",
    "suggestions",
    "suggestion_units",
    "events",
    "outbox",
    "outbox_files",
    "dead_letters",
    "job_runs",
    "handled_updates",
    "dialogues",
    "reminders",
    "wecom_accounts",
    "web_links",
    "web_sessions",
    "receptions",
    "voter_reports",
];

/// Columns that point at a row of their own table (an org's parent, the suggestion another
/// was merged into): written after every row of the table is in, whatever the order.
const SELF_REFERENCES: &[(&str, &str)] =
    &[("orgs", "parent_id"), ("suggestions", "merged_into_id")];

/// PostgreSQL takes at most 65,535 parameters a statement.
const MAX_PARAMETERS: usize = 60_000;

/// One table as copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub table: &'static str,
    pub rows: u64,
    /// SHA-256 over the rows in key order, the same on both sides.
    pub checksum: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the source must be a SQLite database (sqlite://…)")]
    SourceNotSqlite,
    #[error("the target must be a PostgreSQL database (postgres://…)")]
    TargetNotPostgres,
    #[error("the source database {0} does not exist")]
    SourceMissing(String),
    #[error("the source database is not ready: {0}")]
    SourceNotReady(NotReady),
    #[error("the target is not empty: table {table} has {rows} row(s); give an empty database")]
    TargetNotEmpty { table: &'static str, rows: i64 },
    #[error("table {table}: the source has no column {column}")]
    MissingColumn { table: &'static str, column: String },
    #[error("table {table}: column {column} has type {kind}, which the copy does not know")]
    UnknownType {
        table: &'static str,
        column: String,
        kind: String,
    },
    #[error(
        "table {table}: the copy differs from the source ({source_sum} ≠ {target_sum}); nothing was committed"
    )]
    Mismatch {
        table: &'static str,
        source_sum: String,
        target_sum: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CopyError {
    fn from(e: sqlx::Error) -> Self {
        CopyError::Store(StoreError::Db(e))
    }
}

/// A column's value, by the type the target gives the column.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(Option<i64>),
    /// PostgreSQL's 4-byte `integer`.
    Int32(Option<i32>),
    Float(Option<f64>),
    Bool(Option<bool>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Int32,
    Float,
    Bool,
    Text,
    Bytes,
}

impl Kind {
    fn of(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "bigint" => Kind::Int,
            "integer" | "smallint" => Kind::Int32,
            "double precision" | "real" | "numeric" => Kind::Float,
            "boolean" => Kind::Bool,
            "text" | "character varying" | "character" => Kind::Text,
            "bytea" => Kind::Bytes,
            _ => return None,
        })
    }
}

impl Value {
    /// The value as the checksum reads it: typed, and unambiguous between neighbours.
    fn feed(&self, hash: &mut Sha256) {
        let text = match self {
            Value::Int(Some(n)) => format!("i{n}"),
            Value::Int32(Some(n)) => format!("i{n}"),
            Value::Float(Some(x)) => format!("f{:016x}", x.to_bits()),
            Value::Bool(Some(b)) => format!("b{}", u8::from(*b)),
            Value::Text(Some(s)) => format!("t{}:{s}", s.len()),
            Value::Bytes(Some(b)) => format!("x{}:{}", b.len(), hex(b)),
            _ => "n".to_owned(),
        };
        hash.update(text.as_bytes());
        hash.update([0x1f]);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A table's columns in the target, in order, with their kinds, and its key columns.
struct Shape {
    columns: Vec<(String, Kind)>,
    key: Vec<String>,
    identity: bool,
}

/// Copies the SQLite database `from` into the empty PostgreSQL database `to` (migrated
/// first), in one transaction, and answers each table's rows and checksum.
pub async fn sqlite_to_postgres(from: &str, to: &str) -> Result<Vec<Copied>, CopyError> {
    if !from.starts_with("sqlite:") {
        return Err(CopyError::SourceNotSqlite);
    }
    if !(to.starts_with("postgres://") || to.starts_with("postgresql://")) {
        return Err(CopyError::TargetNotPostgres);
    }
    // Opening a SQLite file that is not there would create an empty one and copy nothing.
    let options: SqliteConnectOptions = from.parse()?;
    let file = options.get_filename();
    if !file.exists() {
        return Err(CopyError::SourceMissing(file.display().to_string()));
    }
    let source = super::connect(from).await?;
    source
        .readiness()
        .await
        .map_err(CopyError::SourceNotReady)?;
    drop(source);
    let target = super::connect(to).await?;
    target.migrate().await?;
    drop(target);
    let mut src = SqliteConnection::connect(from).await?;
    let mut dst = PgConnection::connect(to).await?;
    // One snapshot of the source for every table: a read transaction.
    let mut read = src.begin().await?;
    let mut write = dst.begin().await?;
    for table in TABLES {
        let rows: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&mut *write)
                .await?;
        if rows > 0 {
            return Err(CopyError::TargetNotEmpty { table, rows });
        }
    }
    let mut copied = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let shape = shape(&mut write, table).await?;
        check_source_columns(&mut read, table, &shape).await?;
        let (rows, source_sum) = copy_table(&mut read, &mut write, table, &shape).await?;
        let target_sum = target_checksum(&mut write, table, &shape).await?;
        if source_sum != target_sum {
            return Err(CopyError::Mismatch {
                table,
                source_sum,
                target_sum,
            });
        }
        if shape.identity {
            // New rows go on from the highest id copied.
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table} HAVING MAX(id) IS NOT NULL"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *write)
                .await?;
        }
        copied.push(Copied {
            table,
            rows,
            checksum: source_sum,
        });
    }
    write.commit().await?;
    read.rollback().await?;
    Ok(copied)
}

/// The target's columns of `table` (its catalogue decides the types), and its key.
async fn shape(c: &mut PgConnection, table: &'static str) -> Result<Shape, CopyError> {
    let rows = sqlx::query(
        "SELECT column_name::text AS name, data_type::text AS kind, is_identity::text AS identity \
         FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 \
         ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *c)
    .await?;
    let mut columns = Vec::with_capacity(rows.len());
    let mut identity = false;
    for r in &rows {
        let name: String = r.try_get("name")?;
        let kind: String = r.try_get("kind")?;
        identity |= r.try_get::<String, _>("identity")? == "YES";
        match Kind::of(&kind) {
            Some(k) => columns.push((name, k)),
            None => {
                return Err(CopyError::UnknownType {
                    table,
                    column: name,
                    kind,
                });
            }
        }
    }
    let key: Vec<String> = sqlx::query_scalar(
        "SELECT k.column_name::text FROM information_schema.table_constraints t \
         JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name \
         AND k.table_schema = t.table_schema AND k.table_name = t.table_name \
         WHERE t.table_schema = current_schema() AND t.table_name = $1 AND t.constraint_type = 'PRIMARY KEY' \
         ORDER BY k.ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *c)
    .await?;
    // A table without a key is ordered by every column: the same order on both sides.
    let key = match key.is_empty() {
        true => columns.iter().map(|(name, _)| name.clone()).collect(),
        false => key,
    };
    Ok(Shape {
        columns,
        key,
        identity,
    })
}

async fn check_source_columns(
    c: &mut SqliteConnection,
    table: &'static str,
    shape: &Shape,
) -> Result<(), CopyError> {
    let have: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
        .bind(table)
        .fetch_all(&mut *c)
        .await?;
    match shape.columns.iter().find(|(name, _)| !have.contains(name)) {
        Some((column, _)) => Err(CopyError::MissingColumn {
            table,
            column: column.clone(),
        }),
        None => Ok(()),
    }
}

/// Which side a query reads: both must list the rows in the same order for the checksums.
#[derive(Clone, Copy)]
enum Side {
    Sqlite,
    Postgres,
}

/// The rows of `table` in key order. SQLite puts NULLs first and compares text byte by byte;
/// PostgreSQL is told to do the same (its default puts NULLs last and sorts text by locale).
fn select(table: &str, shape: &Shape, side: Side) -> String {
    let columns: Vec<&str> = shape.columns.iter().map(|(n, _)| n.as_str()).collect();
    let order: Vec<String> = shape
        .key
        .iter()
        .map(|key| {
            let text = shape
                .columns
                .iter()
                .any(|(name, kind)| name == key && *kind == Kind::Text);
            match (side, text) {
                (Side::Sqlite, _) => key.clone(),
                (Side::Postgres, true) => format!("{key} COLLATE \"C\" NULLS FIRST"),
                (Side::Postgres, false) => format!("{key} NULLS FIRST"),
            }
        })
        .collect();
    format!(
        "SELECT {} FROM {table} ORDER BY {}",
        columns.join(", "),
        order.join(", ")
    )
}

/// A row's values by the target's column kinds, from either side.
fn read_row<'r, R>(row: &'r R, shape: &Shape) -> Result<Vec<Value>, sqlx::Error>
where
    R: Row,
    for<'n> &'n str: sqlx::ColumnIndex<R>,
    Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<i32>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<f64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<bool>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<Vec<u8>>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    shape
        .columns
        .iter()
        .map(|(name, kind)| {
            let name = name.as_str();
            Ok(match kind {
                Kind::Int => Value::Int(row.try_get(name)?),
                Kind::Int32 => Value::Int32(row.try_get(name)?),
                Kind::Float => Value::Float(row.try_get(name)?),
                Kind::Bool => Value::Bool(row.try_get(name)?),
                Kind::Text => Value::Text(row.try_get(name)?),
                Kind::Bytes => Value::Bytes(row.try_get(name)?),
            })
        })
        .collect()
}

/// Streams the table from the source into the target in multi-row inserts; self-references
/// are written in a second pass. Answers the rows and the source's checksum.
async fn copy_table(
    src: &mut SqliteConnection,
    dst: &mut PgConnection,
    table: &'static str,
    shape: &Shape,
) -> Result<(u64, String), CopyError> {
    let deferred: Vec<usize> = shape
        .columns
        .iter()
        .enumerate()
        .filter(|(_, (name, _))| SELF_REFERENCES.contains(&(table, name.as_str())))
        .map(|(i, _)| i)
        .collect();
    let per_batch = (MAX_PARAMETERS / shape.columns.len().max(1)).max(1);
    let mut hash = Sha256::new();
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_batch);
    let mut later: BTreeMap<i64, Vec<(usize, Value)>> = BTreeMap::new();
    let mut rows = 0u64;
    let sql = select(table, shape, Side::Sqlite);
    let mut stream = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut *src);
    while let Some(row) = stream.try_next().await? {
        let mut values = read_row(&row, shape)?;
        for v in &values {
            v.feed(&mut hash);
        }
        hash.update([0x1e]);
        rows += 1;
        for &i in &deferred {
            if values[i] != Value::Int(None)
                && let Some(Value::Int(Some(id))) = values.first()
            {
                later.entry(*id).or_default().push((i, values[i].clone()));
                values[i] = Value::Int(None);
            }
        }
        batch.push(values);
        if batch.len() == per_batch {
            insert(dst, table, shape, &batch).await?;
            batch.clear();
        }
    }
    drop(stream);
    if !batch.is_empty() {
        insert(dst, table, shape, &batch).await?;
    }
    for (id, columns) in later {
        for (i, value) in columns {
            let column = &shape.columns[i].0;
            let sql = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
            let Value::Int(target) = value else { continue };
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(target)
                .bind(id)
                .execute(&mut *dst)
                .await?;
        }
    }
    Ok((rows, hex(&hash.finalize())))
}

async fn insert(
    c: &mut PgConnection,
    table: &str,
    shape: &Shape,
    rows: &[Vec<Value>],
) -> Result<(), sqlx::Error> {
    let columns: Vec<&str> = shape.columns.iter().map(|(n, _)| n.as_str()).collect();
    // Explicit ids in identity columns: the copy keeps every id (numbers and links with it).
    let mut q = sqlx::QueryBuilder::<sqlx::Postgres>::new(format!(
        "INSERT INTO {table} ({}) {}",
        columns.join(", "),
        if shape.identity {
            "OVERRIDING SYSTEM VALUE "
        } else {
            ""
        }
    ));
    q.push_values(rows, |mut b, row| {
        for value in row {
            match value {
                Value::Int(v) => b.push_bind(*v),
                Value::Int32(v) => b.push_bind(*v),
                Value::Float(v) => b.push_bind(*v),
                Value::Bool(v) => b.push_bind(*v),
                Value::Text(v) => b.push_bind(v.clone()),
                Value::Bytes(v) => b.push_bind(v.clone()),
            };
        }
    });
    q.build().execute(&mut *c).await?;
    Ok(())
}

/// The checksum of the table as the target has it now, in the same order and form.
async fn target_checksum(
    c: &mut PgConnection,
    table: &'static str,
    shape: &Shape,
) -> Result<String, CopyError> {
    let mut hash = Sha256::new();
    let sql = select(table, shape, Side::Postgres);
    let mut stream = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut *c);
    while let Some(row) = stream.try_next().await? {
        for v in read_row(&row, shape)? {
            v.feed(&mut hash);
        }
        hash.update([0x1e]);
    }
    Ok(hex(&hash.finalize()))
}
