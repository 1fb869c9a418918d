//! The scheduler loop inside `minyi run`: wakes at the next fire time of any job (at least
//! every 30 seconds, to notice a changed clock), and runs what is due.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::{Job, JobCtx, Ran, plan};
use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::{JobResult, Metrics};
use crate::storage::Repository;

/// The longest sleep between looks.
const MAX_SLEEP: Duration = Duration::from_secs(30);

pub struct Scheduler {
    pub repo: Arc<dyn Repository>,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
}

impl Scheduler {
    /// Runs due jobs until `stop`. A failed run is logged and tried again at the next look
    /// (it was not claimed, so nothing of it was sent).
    pub async fn run(self, stop: CancellationToken) {
        let ctx = JobCtx::new(self.repo.as_ref(), &self.config);
        let tz = ctx.policy.rules.tz;
        let since = loop {
            match self.repo.scheduler_since(self.clock.now()).await {
                Ok(since) => break since,
                Err(e) => tracing::warn!(error = %e, "the scheduler cannot start yet"),
            }
            if sleep_or_stop(&stop, MAX_SLEEP).await {
                return;
            }
        };
        loop {
            let now = self.clock.now();
            match self.repo.last_runs().await {
                Ok(last) => {
                    for job in Job::ALL {
                        let ran = last
                            .iter()
                            .find(|(j, _)| j == job.name())
                            .map(|(_, at)| *at);
                        let Some(fire) = plan::due(job.schedule(&self.config), tz, now, ran, since)
                        else {
                            continue;
                        };
                        let span = tracing::info_span!("job", job = job.name(), run = %fire);
                        let started = std::time::Instant::now();
                        let ran = super::run(&ctx, job, fire, now)
                            .instrument(span.clone())
                            .await;
                        let _entered = span.enter();
                        let result = match ran {
                            Ok(Ran::Sent(n)) => {
                                tracing::info!(queued = n, "job ran");
                                JobResult::Ok
                            }
                            Ok(Ran::Exists) => {
                                tracing::debug!("run exists");
                                JobResult::Skipped
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "job failed");
                                JobResult::Failed
                            }
                        };
                        self.metrics.job_run(job.name(), result, started.elapsed());
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot read the job runs"),
            }
            let next = Job::ALL
                .iter()
                .filter_map(|j| plan::next_fire(j.schedule(&self.config), tz, now))
                .min();
            let wait = next
                .and_then(|n| (n - self.clock.now()).to_std().ok())
                .unwrap_or(MAX_SLEEP)
                .min(MAX_SLEEP);
            if sleep_or_stop(&stop, wait).await {
                return;
            }
        }
    }
}

/// Sleeps; true if stopped first.
async fn sleep_or_stop(stop: &CancellationToken, wait: Duration) -> bool {
    tokio::select! {
        _ = stop.cancelled() => true,
        _ = tokio::time::sleep(wait) => false,
    }
}
