//! `minyi report deputies` and `minyi report key`: the year's view for an operator (PRODUCT.md
//! §10): every deputy's performance file (履职档案) in one workbook, and the key suggestions
//! of a year with their votes, carried-over ones marked (结转).

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Datelike;

use super::reports::{refused, write, written};
use crate::i18n;
use crate::reports::{self, Setting, deputies, key};
use crate::storage::Repository;

/// What `minyi report deputies` takes.
#[derive(Debug, clap::Args)]
pub struct DeputiesArgs {
    /// The org's code: the deputies of every group in its subtree (default: every deputy).
    #[arg(long)]
    org: Option<String>,
    /// The year, YYYY (default: this year, in the configured time zone).
    #[arg(long, value_parser = year_arg)]
    year: Option<i32>,
    /// The workbook to write, FILE.xlsx.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
}

/// What `minyi report key` takes.
#[derive(Debug, clap::Args)]
pub struct KeyArgs {
    /// The org's code: the key suggestions of the groups in its subtree (default: all).
    #[arg(long)]
    org: Option<String>,
    /// The year, YYYY (default: this year, in the configured time zone).
    #[arg(long, value_parser = year_arg)]
    year: Option<i32>,
    /// Write a workbook, FILE.xlsx, instead of text to stdout.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

fn year_arg(text: &str) -> Result<i32, String> {
    reports::parse_year(text).ok_or_else(|| format!("{text:?} is not a year as YYYY"))
}

fn this_year(setting: &Setting) -> i32 {
    setting.rules.local_date(setting.now).year()
}

pub(super) async fn deputies(
    repo: &dyn Repository,
    setting: &Setting,
    args: DeputiesArgs,
) -> anyhow::Result<ExitCode> {
    let lang = setting.lang;
    let year = args.year.unwrap_or_else(|| this_year(setting));
    let (period, days) = reports::year_period(&setting.rules, year);
    let files = match repo.deputy_records(args.org.as_deref(), period, days).await {
        Ok(files) => files,
        Err(e) => return refused(lang, e),
    };
    write(&args.output, &deputies::xlsx(&files, setting)?)?;
    let said = [
        ("count", files.len().to_string()),
        ("year", year.to_string()),
        ("path", args.output.display().to_string()),
    ];
    println!("{}", i18n::plain(lang, "cli-deputies-written", &said));
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn key(
    repo: &dyn Repository,
    setting: &Setting,
    args: KeyArgs,
) -> anyhow::Result<ExitCode> {
    let lang = setting.lang;
    let year = args.year.unwrap_or_else(|| this_year(setting));
    let ((from, to), _) = reports::year_period(&setting.rules, year);
    let scope = match repo.org_groups(args.org.as_deref()).await {
        Ok(scope) => scope,
        Err(e) => return refused(lang, e),
    };
    let rows = match repo.key_report(args.org.as_deref(), from, to).await {
        Ok(rows) => rows,
        Err(e) => return refused(lang, e),
    };
    let Some(path) = args.output else {
        let scope = match scope.org {
            Some((code, name)) => {
                i18n::plain(lang, "report-scope", &[("name", name), ("code", code)])
            }
            None => i18n::plain(lang, "report-scope-all", &[]),
        };
        println!("{}", key::plain(&rows, year, &scope, setting));
        return Ok(ExitCode::SUCCESS);
    };
    write(&path, &key::xlsx(&rows, year, setting)?)?;
    written(lang, &path)
}
