//! `minyi backup FILE`: a consistent copy of a SQLite database while minyi runs; for
//! PostgreSQL, the `pg_dump` command to use instead.

use std::path::Path;
use std::process::ExitCode;

use crate::i18n::{self, Lang};
use crate::storage::{Backup, Repository};

pub(super) async fn run(
    repo: &dyn Repository,
    lang: Lang,
    file: &Path,
) -> anyhow::Result<ExitCode> {
    let shown = file.display().to_string();
    if file.exists() {
        eprintln!(
            "{}",
            i18n::plain(lang, "cli-backup-exists", &[("path", shown)])
        );
        return Ok(ExitCode::FAILURE);
    }
    match repo.backup(file).await? {
        Backup::Written => {
            let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            let args = [
                ("path", shown),
                ("mib", format!("{:.1}", bytes as f64 / 1048576.0)),
            ];
            println!("{}", i18n::plain(lang, "cli-backup-written", &args));
            Ok(ExitCode::SUCCESS)
        }
        Backup::UsePgDump => {
            // The URL is named, not printed: it may hold a password. It is named as this
            // minyi was given it: in the variable, or in a file the variable names.
            let url = match std::env::var_os("MINYI_DATABASE_URL") {
                Some(_) => "\"$MINYI_DATABASE_URL\"",
                None if std::env::var_os("MINYI_DATABASE_URL_FILE").is_some() => {
                    "\"$(cat \"$MINYI_DATABASE_URL_FILE\")\""
                }
                None => "\"$MINYI_DATABASE_URL\"",
            };
            let command = format!("pg_dump --format=custom --file={shown} {url}");
            println!(
                "{}",
                i18n::plain(lang, "cli-backup-pg-dump", &[("command", command)])
            );
            Ok(ExitCode::from(2))
        }
    }
}
