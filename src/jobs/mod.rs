//! The scheduler (PRODUCT.md §5): jobs that fire on cron schedules in the configured time
//! zone and push through the outbox.
//!
//! Flow: [`scheduler`] asks [`plan::due`] which run of each job is due (the latest fire time
//! not yet run; after downtime only the latest, once) → the job's function answers its
//! pushes from the database at that time ([`daily`], [`reminders`], [`monthly`]) → [`Repository::record_run`] claims
//! (job, fire time) and queues the pushes in one transaction, so a restart, a second replica
//! or an operator's `minyi jobs run` never sends a run twice.
//!
//! [`Repository::record_run`]: crate::storage::Repository::record_run

mod daily;
mod monthly;
pub mod plan;
mod reminders;
pub mod scheduler;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::storage::{JobPush, LoopPolicy, Repository};

/// A scheduled job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    DailyReport,
    DeadlineReminders,
    QuotaReminders,
    ReceptionReminders,
    MonthlyReport,
    /// Removes sent outbox rows older than `delivery.retention_days` (events, suggestions and
    /// dead letters stay: they are the record).
    OutboxRetention,
}

impl Job {
    /// Every job, in the order `minyi jobs list` shows them.
    pub const ALL: [Job; 6] = [
        Job::DailyReport,
        Job::DeadlineReminders,
        Job::QuotaReminders,
        Job::ReceptionReminders,
        Job::MonthlyReport,
        Job::OutboxRetention,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Job::DailyReport => "daily_report",
            Job::DeadlineReminders => "deadline_reminders",
            Job::QuotaReminders => "quota_reminders",
            Job::ReceptionReminders => "reception_reminders",
            Job::MonthlyReport => "monthly_report",
            Job::OutboxRetention => "outbox_retention",
        }
    }

    pub fn parse(name: &str) -> Option<Job> {
        Job::ALL.into_iter().find(|j| j.name() == name)
    }

    pub fn schedule(self, config: &Config) -> &cron::Schedule {
        match self {
            Job::DailyReport => &config.jobs.daily_report,
            Job::DeadlineReminders => &config.jobs.deadline_reminders,
            Job::QuotaReminders => &config.jobs.quota_reminders,
            Job::ReceptionReminders => &config.jobs.reception_reminders,
            Job::MonthlyReport => &config.jobs.monthly_report,
            Job::OutboxRetention => &config.jobs.outbox_retention,
        }
    }
}

/// What a job needs: the database and the configuration.
pub struct JobCtx<'a> {
    pub repo: &'a dyn Repository,
    pub config: &'a Config,
    pub policy: LoopPolicy,
}

impl<'a> JobCtx<'a> {
    pub fn new(repo: &'a dyn Repository, config: &'a Config) -> Self {
        JobCtx {
            repo,
            config,
            policy: config.loop_policy(),
        }
    }
}

/// A run's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ran {
    /// Claimed now; this many outbox rows queued.
    Sent(usize),
    /// The run (job, fire time) exists already: nothing was sent.
    Exists,
}

/// Runs `job` as of `fire` (its scheduled time, or the operator's `--at`): computes its
/// pushes at that time and claims the run with them.
pub async fn run(
    ctx: &JobCtx<'_>,
    job: Job,
    fire: DateTime<Utc>,
    now: DateTime<Utc>,
) -> anyhow::Result<Ran> {
    let pushes = pushes(ctx, job, fire).await?;
    let recorded = ctx
        .repo
        .record_run(&ctx.policy, job.name(), fire, now, &pushes)
        .await?;
    Ok(match recorded {
        Some(queued) => Ran::Sent(queued),
        None => Ran::Exists,
    })
}

/// What a run of `job` as of `at` would send (read only; the deadline job also closes unrated
/// replies whose window ended, a step of the loop of its own, and the retention job removes
/// old sent rows and sends nothing).
pub async fn pushes(ctx: &JobCtx<'_>, job: Job, at: DateTime<Utc>) -> anyhow::Result<Vec<JobPush>> {
    Ok(match job {
        Job::DailyReport => daily::report(ctx, at).await?,
        Job::DeadlineReminders => reminders::deadlines(ctx, at).await?,
        Job::QuotaReminders => reminders::quota(ctx, at).await?,
        Job::ReceptionReminders => reminders::reception(ctx, at).await?,
        Job::MonthlyReport => monthly::report(ctx, at).await?,
        Job::OutboxRetention => {
            let days = i64::from(ctx.config.delivery.retention_days);
            let removed = ctx
                .repo
                .purge_sent(at - chrono::Duration::days(days))
                .await?;
            tracing::info!(removed, days, "sent outbox rows removed");
            Vec::new()
        }
    })
}
