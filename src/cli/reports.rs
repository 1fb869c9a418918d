//! `minyi report daily|monthly` and `minyi export ledger`: the daily and monthly reports and
//! the ledger (台账) for an operator, as text, .xlsx, .png or CSV. The year's reports
//! (`minyi report deputies|key`) are in [`super::year`].

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Subcommand;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::i18n::{self, Lang};
use crate::reports::export::{self, LedgerFile};
use crate::reports::{self, Setting, daily, monthly};
use crate::storage::{Repository, StoreError};

#[derive(Debug, Subcommand)]
pub enum Report {
    /// The daily report of an org (default: every group of the deployment): its groups
    /// ranked and each group's deputies, open items by colour and red items, for yesterday
    /// (or, with --month, the last day of a past month) and its month. Open items are always
    /// counted now. xlsx: groups, deputies and red items; png: this month's suggestions and
    /// the deputies with none per group.
    Daily(ReportArgs),
    /// The monthly report of an org (default: every org) for a month (default: the previous
    /// one): received, accepted, assigned, replied, closed, rates, categories, group ranking.
    /// xlsx: the ledger and a summary sheet; png: the rates of the groups as a chart.
    Monthly(ReportArgs),
    /// The deputies' performance files (履职档案) of a year in one workbook: a row a deputy
    /// (suggestions filed by category, returned, accepted, assigned, replied, on time,
    /// closed, ratings, key, residents' requests, reception days, reports to voters) and a
    /// sheet of details (each reception day attended, each report to voters).
    Deputies(super::year::DeputiesArgs),
    /// The key suggestions (重点处理建议) of a year, carried-over ones marked (结转), with
    /// their units, state, deadline and the standing committee's votes; as text, or a
    /// workbook with -o FILE.xlsx.
    Key(super::year::KeyArgs),
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Xlsx,
    Png,
}

/// What both reports take.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The org's code: its whole subtree is reported.
    #[arg(long)]
    org: Option<String>,
    /// The month, YYYY-MM (local time of the configured time zone).
    #[arg(long, value_parser = month_arg)]
    month: Option<(i32, u32)>,
    /// text (to stdout, or to -o FILE), xlsx or png (both need -o).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Export {
    /// The ledger (台账): one row per suggestion filed in the dates given, as .xlsx or .csv
    /// (by the file's extension).
    Ledger {
        /// The org's code: its whole subtree is listed.
        #[arg(long)]
        org: Option<String>,
        /// The first date, YYYY-MM-DD (default: the first of this month).
        #[arg(long)]
        from: Option<NaiveDate>,
        /// The last date, included, YYYY-MM-DD (default: the last of this month).
        #[arg(long)]
        to: Option<NaiveDate>,
        /// The file to write: FILE.xlsx or FILE.csv.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

fn month_arg(text: &str) -> Result<(i32, u32), String> {
    reports::parse_month(text).ok_or_else(|| format!("{text:?} is not a month as YYYY-MM"))
}

/// An unknown org is the operator's mistake: said plainly, with a failing exit code.
pub(super) fn refused(lang: Lang, e: StoreError) -> anyhow::Result<ExitCode> {
    match e {
        StoreError::UnknownOrg(code) => {
            eprintln!(
                "{}",
                i18n::plain(lang, "cli-unknown-org", &[("code", code)])
            );
            Ok(ExitCode::FAILURE)
        }
        e => Err(e.into()),
    }
}

pub(super) fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Exports the ledger's rows into `path` (see [`export::export`]): written beside it as
/// `<path>.part` and moved into place only once every row is in, so a database that fails
/// half-way leaves no ledger that looks whole (and an older file at `path` as it was).
async fn export_to(
    path: &Path,
    rows: futures_util::stream::BoxStream<'_, Result<crate::storage::LedgerRow, StoreError>>,
    file: LedgerFile,
    setting: crate::reports::Setting,
) -> anyhow::Result<usize> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = std::path::PathBuf::from(part);
    let open = {
        let part = part.clone();
        move || {
            let file =
                File::create(&part).with_context(|| format!("cannot write {}", part.display()))?;
            Ok(BufWriter::new(file))
        }
    };
    match export::export(rows, file, setting, open).await {
        Ok((count, out)) => {
            drop(out);
            std::fs::rename(&part, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(count)
        }
        Err(e) => {
            // Nothing to remove when the export failed before opening the file.
            let _ = std::fs::remove_file(&part);
            Err(e)
        }
    }
}

pub(super) async fn report(
    repo: &dyn Repository,
    config: &Config,
    report: Report,
) -> anyhow::Result<ExitCode> {
    let lang = config.default_lang;
    let now = SystemClock.now();
    let setting = Setting::from_config(config, lang, now);
    let (args, monthly) = match report {
        Report::Daily(args) => (args, false),
        Report::Monthly(args) => (args, true),
        Report::Deputies(args) => return super::year::deputies(repo, &setting, args).await,
        Report::Key(args) => return super::year::key(repo, &setting, args).await,
    };
    if args.format != Format::Text && args.output.is_none() {
        eprintln!("{}", i18n::plain(lang, "cli-report-needs-output", &[]));
        return Ok(ExitCode::from(2));
    }
    if !monthly {
        return daily(repo, &setting, args).await;
    }
    let ReportArgs {
        org,
        month,
        format,
        output,
    } = args;
    let month = month.unwrap_or_else(|| reports::previous_month(config.timezone(), now));
    let (from, to) = reports::month_period(config.timezone(), month);
    let stats = match repo.monthly_stats(org.as_deref(), from, to, now).await {
        Ok(stats) => stats,
        Err(e) => return refused(lang, e),
    };
    let bytes = match format {
        Format::Xlsx => {
            let path = output.expect("checked above");
            let rows = repo.ledger_rows(org.as_deref(), from, to);
            let file = LedgerFile::Monthly(Box::new(stats), month);
            export_to(&path, rows, file, setting).await?;
            return written(lang, &path);
        }
        Format::Png => monthly::chart(&stats, month, &setting)?,
        Format::Text => {
            let text = monthly::plain(&stats, month, &setting);
            if output.is_none() {
                println!("{text}");
                return Ok(ExitCode::SUCCESS);
            }
            format!("{text}\n").into_bytes()
        }
    };
    let path = output.expect("checked above");
    write(&path, &bytes)?;
    written(lang, &path)
}

pub(super) async fn export(
    repo: &dyn Repository,
    config: &Config,
    export: Export,
) -> anyhow::Result<ExitCode> {
    let lang = config.default_lang;
    let now = SystemClock.now();
    let setting = Setting::from_config(config, lang, now);
    let Export::Ledger {
        org,
        from,
        to,
        output,
    } = export;
    let extension = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let csv = match extension.as_deref() {
        Some("csv") => true,
        Some("xlsx") => false,
        _ => {
            let args = [("path", output.display().to_string())];
            eprintln!("{}", i18n::plain(lang, "cli-export-bad-extension", &args));
            return Ok(ExitCode::from(2));
        }
    };
    let tz = config.timezone();
    let (year, month) = reports::this_month(tz, now);
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("a month's first day");
    let from = from.unwrap_or(first);
    let to = to.unwrap_or_else(|| first + chrono::Months::new(1) - chrono::Days::new(1));
    if to < from {
        let args = [("from", from.to_string()), ("to", to.to_string())];
        eprintln!("{}", i18n::plain(lang, "cli-export-bad-dates", &args));
        return Ok(ExitCode::from(2));
    }
    let (start, end) = reports::dates_period(tz, from, to);
    let rows = repo.ledger_rows(org.as_deref(), start, end);
    let file = if csv {
        LedgerFile::Csv
    } else {
        LedgerFile::Xlsx
    };
    let count = match export_to(&output, rows, file, setting).await {
        Ok(count) => count,
        Err(e) => match e.downcast::<StoreError>() {
            Ok(e) => return refused(lang, e),
            Err(e) => return Err(e),
        },
    };
    let args = [
        ("count", count.to_string()),
        ("from", from.to_string()),
        ("to", to.to_string()),
        ("path", output.display().to_string()),
    ];
    println!("{}", i18n::plain(lang, "cli-export-written", &args));
    Ok(ExitCode::SUCCESS)
}

/// The daily report of a scope: as text (the org's ranking, then each group's report, as the
/// chats get them), a workbook or a chart.
async fn daily(
    repo: &dyn Repository,
    setting: &Setting,
    args: ReportArgs,
) -> anyhow::Result<ExitCode> {
    let lang = setting.lang;
    let rules = &setting.rules;
    let today = rules.local_date(setting.now);
    let day = match args.month {
        None => today - chrono::Days::new(1),
        Some((year, month)) => {
            let first = NaiveDate::from_ymd_opt(year, month, 1).expect("a parsed month");
            if first > today {
                let month = format!("{year}-{month:02}");
                eprintln!(
                    "{}",
                    i18n::plain(lang, "report-daily-future", &[("month", month)])
                );
                return Ok(ExitCode::from(2));
            }
            let last = first + chrono::Months::new(1) - chrono::Days::new(1);
            // This month: up to yesterday, or today on its first day.
            last.min(today - chrono::Days::new(1)).max(first)
        }
    };
    let scope = match repo.org_groups(args.org.as_deref()).await {
        Ok(scope) => scope,
        Err(e) => return refused(lang, e),
    };
    let report = daily::gather(repo, rules, &setting.reception_days, day, setting.now).await?;
    let groups = report.only(&scope.groups);
    let scope_name = match &scope.org {
        Some((_, name)) => name.clone(),
        None => i18n::plain(lang, "report-scope-all", &[]),
    };
    let title_args = [("date", report.date()), ("scope", scope_name.clone())];
    let title = i18n::plain(lang, "report-daily-title", &title_args);
    let bytes = match args.format {
        Format::Xlsx => daily::xlsx(&groups, &title, setting)?,
        Format::Png => daily::chart(&groups, &title, lang)?,
        Format::Text => {
            let text = daily_text(lang, rules, &report, &groups, scope_name);
            let Some(path) = args.output else {
                println!("{text}");
                return Ok(ExitCode::SUCCESS);
            };
            write(&path, format!("{text}\n").as_bytes())?;
            return written(lang, &path);
        }
    };
    let path = args.output.expect("checked by the caller");
    write(&path, &bytes)?;
    written(lang, &path)
}

/// The org's message, then each group's, as plain text.
fn daily_text(
    lang: Lang,
    rules: &crate::domain::Rules,
    report: &daily::Daily,
    groups: &[&daily::GroupDay],
    scope: String,
) -> String {
    let date = report.date();
    let org = [
        ("org", scope),
        ("date", date.clone()),
        ("body", daily::org_body(lang, rules, groups)),
    ];
    let mut parts = vec![i18n::text(lang, "report-daily-org", &org)];
    for g in daily::ranked(groups.to_vec()) {
        let args = [
            ("group", g.name.clone()),
            ("date", date.clone()),
            ("body", daily::group_body(lang, rules, g)),
        ];
        parts.push(i18n::text(lang, "report-daily-group", &args));
    }
    i18n::html_to_plain(&parts.join("\n\n"))
}

pub(super) fn written(lang: Lang, path: &Path) -> anyhow::Result<ExitCode> {
    let args = [("path", path.display().to_string())];
    println!("{}", i18n::plain(lang, "cli-report-written", &args));
    Ok(ExitCode::SUCCESS)
}
