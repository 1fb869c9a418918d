//! `minyi jobs list` and `minyi jobs run <job> [--at TIME]`.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Subcommand;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::i18n;
use crate::jobs::{self, Job, JobCtx, Ran, plan};
use crate::storage::Repository;

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Each job's schedule, last run and next run.
    List,
    /// Run a job now, as if at a time; a second identical run sends nothing.
    Run {
        /// daily_report, deadline_reminders, quota_reminders, reception_reminders or
        /// monthly_report
        job: String,
        /// The time to run as (RFC 3339, e.g. 2026-03-25T09:00:00+08:00); default: now.
        #[arg(long)]
        at: Option<String>,
    },
}

pub(super) async fn run(
    repo: &dyn Repository,
    config: &Config,
    action: Action,
) -> anyhow::Result<ExitCode> {
    let lang = config.default_lang;
    let rules = config.rules();
    let now = SystemClock.now();
    match action {
        Action::List => {
            let last = repo.last_runs().await?;
            for job in Job::ALL {
                let schedule = job.schedule(config);
                let ran = last
                    .iter()
                    .find(|(j, _)| j == job.name())
                    .map(|(_, at)| *at);
                let show = |t: Option<DateTime<Utc>>| {
                    t.map(|t| rules.show(t))
                        .unwrap_or_else(|| i18n::plain(lang, "cli-jobs-never", &[]))
                };
                let args = [
                    ("job", job.name().to_string()),
                    ("schedule", schedule.source().to_string()),
                    ("last", show(ran)),
                    ("next", show(plan::next_fire(schedule, rules.tz, now))),
                ];
                println!("{}", i18n::plain(lang, "cli-jobs-line", &args));
            }
            Ok(ExitCode::SUCCESS)
        }
        Action::Run { job, at } => {
            let Some(job) = Job::parse(&job) else {
                let names: Vec<&str> = Job::ALL.iter().map(|j| j.name()).collect();
                let args = [("job", job), ("jobs", names.join(", "))];
                eprintln!("{}", i18n::plain(lang, "cli-jobs-unknown", &args));
                return Ok(ExitCode::from(2));
            };
            let fire = match at.as_deref().map(DateTime::parse_from_rfc3339) {
                None => now,
                Some(Ok(t)) => t.to_utc(),
                Some(Err(_)) => {
                    let args = [("at", at.unwrap_or_default())];
                    eprintln!("{}", i18n::plain(lang, "cli-jobs-bad-time", &args));
                    return Ok(ExitCode::from(2));
                }
            };
            let ctx = JobCtx::new(repo, config);
            let args = |queued: usize| {
                [
                    ("job", job.name().to_string()),
                    ("at", rules.show(fire)),
                    ("queued", queued.to_string()),
                ]
            };
            match jobs::run(&ctx, job, fire, now).await? {
                Ran::Sent(n) => println!("{}", i18n::plain(lang, "cli-jobs-ran", &args(n))),
                Ran::Exists => println!("{}", i18n::plain(lang, "cli-jobs-exists", &args(0))),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
