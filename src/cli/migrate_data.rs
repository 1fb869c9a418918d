//! `minyi migrate-data --from sqlite://… --to postgres://…`: the move from SQLite to
//! PostgreSQL, table by table, with counts and checksums compared on both sides.

use std::process::ExitCode;
use std::time::Instant;

use crate::i18n::{self, Lang};
use crate::storage::copy::{self, CopyError};

pub(super) async fn run(lang: Lang, from: &str, to: &str) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let copied = match copy::sqlite_to_postgres(from, to).await {
        Ok(copied) => copied,
        Err(CopyError::Store(e)) => return Err(e.into()),
        Err(e) => {
            // Nothing was committed: the operator fixes the cause and runs it again.
            eprintln!(
                "{}",
                i18n::plain(
                    lang,
                    "cli-migrate-data-refused",
                    &[("reason", e.to_string())]
                )
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    for c in &copied {
        let args = [
            ("table", c.table.to_string()),
            ("rows", c.rows.to_string()),
            ("checksum", c.checksum[..16].to_string()),
        ];
        println!("{}", i18n::plain(lang, "cli-migrate-data-table", &args));
    }
    let total: u64 = copied.iter().map(|c| c.rows).sum();
    let args = [
        ("tables", copied.len().to_string()),
        ("rows", total.to_string()),
        ("seconds", format!("{:.1}", started.elapsed().as_secs_f64())),
    ];
    println!("{}", i18n::plain(lang, "cli-migrate-data-done", &args));
    Ok(ExitCode::SUCCESS)
}
