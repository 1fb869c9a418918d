//! What minyi counts for an operator's Prometheus (`GET /metrics`): updates handled, sends,
//! job runs, and, read at each scrape, the outbox, the lock and the database pool.
//!
//! Each service has its own recorder rather than the process-wide one the `metrics` macros
//! use: tests run many services in one process, and each must read back only its own work.
//! [`Metrics::off`] records nothing (the benchmark's baseline).
//!
//! Names follow Prometheus' conventions (`promtool check metrics` accepts the page):
//! counters end in `_total`, times are in seconds.

use std::sync::Arc;
use std::time::Duration;

use metrics::{Key, Label, Metadata, Recorder, SharedString, Unit};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

/// How an update ended, as counted in `minyi_updates_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// A handler answered, or changed what it should.
    Handled,
    /// Not for minyi: another bot's command, talk in a group, an update of a kind minyi does
    /// not take.
    Ignored,
    /// Our side failed: logged, the person told nothing changed.
    Failed,
}

/// How a send ended, as counted in `minyi_sends_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendResult {
    Sent,
    /// A network or server failure: tried again later.
    Retried,
    /// The platform said to wait (429).
    RateLimited,
    /// Given up on: a dead letter.
    Dead,
}

/// A job run's end, as counted in `minyi_job_runs_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobResult {
    /// Its pushes were queued.
    Ok,
    /// Another replica (or an earlier start) had run it already.
    Skipped,
    Failed,
}

/// The outbox as a scrape sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxGauges {
    /// (state, channel, rows).
    pub rows: Vec<(String, String, i64)>,
    /// How long the oldest row that is due has waited, in seconds (0 when none waits).
    pub oldest_due_seconds: i64,
    pub dead_letters: i64,
}

const UPDATES: &str = "minyi_updates_total";
const UPDATE_SECONDS: &str = "minyi_update_seconds";
const SENDS: &str = "minyi_sends_total";
const JOB_RUNS: &str = "minyi_job_runs_total";
const JOB_SECONDS: &str = "minyi_job_run_seconds";
const OUTBOX_ROWS: &str = "minyi_outbox_rows";
const OLDEST_DUE: &str = "minyi_outbox_oldest_due_seconds";
const DEAD_LETTERS: &str = "minyi_dead_letters";
const LOCK_HELD: &str = "minyi_lock_held";
const POOL: &str = "minyi_db_connections";
const BOT_API_AGE: &str = "minyi_bot_api_last_ok_age_seconds";

/// Handler and job times: from a millisecond to a minute.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

static METADATA: Metadata<'static> =
    Metadata::new(module_path!(), metrics::Level::INFO, Some(module_path!()));

/// One service's metrics. Cheap to share: clone the `Arc`.
pub struct Metrics {
    inner: Option<Exporter>,
}

struct Exporter {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    /// Every (state, channel) of the outbox a scrape has seen, so one that is gone reads 0.
    seen: std::sync::Mutex<std::collections::BTreeSet<(String, String)>>,
}

impl Metrics {
    /// Metrics that are recorded and can be rendered.
    pub fn new() -> Arc<Metrics> {
        let recorder = PrometheusBuilder::new()
            .set_buckets(BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        let exporter = Exporter {
            recorder,
            handle,
            seen: Default::default(),
        };
        exporter.describe();
        Arc::new(Metrics {
            inner: Some(exporter),
        })
    }

    /// Metrics that record nothing and render an empty page.
    pub fn off() -> Arc<Metrics> {
        Arc::new(Metrics { inner: None })
    }

    /// An update handled, by kind (`command`, `message`, `button`, …), with how long it took.
    pub fn update(&self, kind: &'static str, outcome: UpdateOutcome, took: Duration) {
        let Some(e) = &self.inner else { return };
        let outcome = match outcome {
            UpdateOutcome::Handled => "handled",
            UpdateOutcome::Ignored => "ignored",
            UpdateOutcome::Failed => "failed",
        };
        e.counter(UPDATES, &[("kind", kind), ("outcome", outcome)])
            .increment(1);
        e.histogram(UPDATE_SECONDS, &[("kind", kind)])
            .record(took.as_secs_f64());
    }

    /// A send's end, per channel (`telegram`, `wecom`, …).
    pub fn send(&self, channel: &'static str, result: SendResult) {
        let Some(e) = &self.inner else { return };
        let result = match result {
            SendResult::Sent => "sent",
            SendResult::Retried => "retried",
            SendResult::RateLimited => "rate_limited",
            SendResult::Dead => "dead",
        };
        e.counter(SENDS, &[("channel", channel), ("result", result)])
            .increment(1);
    }

    /// A job run's end and how long it took.
    pub fn job_run(&self, job: &'static str, result: JobResult, took: Duration) {
        let Some(e) = &self.inner else { return };
        let result = match result {
            JobResult::Ok => "ok",
            JobResult::Skipped => "skipped",
            JobResult::Failed => "failed",
        };
        e.counter(JOB_RUNS, &[("job", job), ("result", result)])
            .increment(1);
        e.histogram(JOB_SECONDS, &[("job", job)])
            .record(took.as_secs_f64());
    }

    /// Whether this replica holds the lock (polls, delivers, schedules).
    pub fn lock_held(&self, held: bool) {
        let Some(e) = &self.inner else { return };
        e.gauge(LOCK_HELD, &[]).set(if held { 1.0 } else { 0.0 });
    }

    /// The outbox, the database pool and the Bot API's last answer, as read at a scrape.
    pub fn observe(&self, outbox: &OutboxGauges, pool: (u32, u32), bot_api_age: Option<f64>) {
        let Some(e) = &self.inner else { return };
        // Every (state, channel) seen before but gone now reads 0, not its last value.
        let mut seen = e.seen.lock().unwrap_or_else(|p| p.into_inner());
        for (state, channel) in seen.iter() {
            if !outbox
                .rows
                .iter()
                .any(|(s, c, _)| s == state && c == channel)
            {
                e.gauge(OUTBOX_ROWS, &[("state", state), ("channel", channel)])
                    .set(0.0);
            }
        }
        for (state, channel, rows) in &outbox.rows {
            e.gauge(OUTBOX_ROWS, &[("state", state), ("channel", channel)])
                .set(*rows as f64);
            seen.insert((state.clone(), channel.clone()));
        }
        drop(seen);
        e.gauge(OLDEST_DUE, &[])
            .set(outbox.oldest_due_seconds as f64);
        e.gauge(DEAD_LETTERS, &[]).set(outbox.dead_letters as f64);
        let (in_use, idle) = pool;
        e.gauge(POOL, &[("state", "in_use")]).set(f64::from(in_use));
        e.gauge(POOL, &[("state", "idle")]).set(f64::from(idle));
        if let Some(age) = bot_api_age {
            e.gauge(BOT_API_AGE, &[]).set(age);
        }
    }

    /// The Prometheus text page.
    pub fn render(&self) -> String {
        match &self.inner {
            Some(e) => e.handle.render(),
            None => String::new(),
        }
    }
}

impl Exporter {
    fn describe(&self) {
        let r = &self.recorder;
        let text = |s: &'static str| SharedString::const_str(s);
        r.describe_counter(
            UPDATES.into(),
            None,
            text("Telegram updates handled, by kind and outcome."),
        );
        r.describe_histogram(
            UPDATE_SECONDS.into(),
            Some(Unit::Seconds),
            text("Time to handle an update, its change committed and its answer sent."),
        );
        r.describe_counter(
            SENDS.into(),
            None,
            text("Outbox sends by channel and result."),
        );
        r.describe_counter(
            JOB_RUNS.into(),
            None,
            text("Scheduled job runs by job and result."),
        );
        r.describe_histogram(
            JOB_SECONDS.into(),
            Some(Unit::Seconds),
            text("Time a job run took."),
        );
        r.describe_gauge(
            OUTBOX_ROWS.into(),
            None,
            text("Outbox rows by state and channel."),
        );
        r.describe_gauge(
            OLDEST_DUE.into(),
            Some(Unit::Seconds),
            text("How long the oldest due outbox row has waited."),
        );
        r.describe_gauge(
            DEAD_LETTERS.into(),
            None,
            text("Outbox rows that are dead letters now."),
        );
        r.describe_gauge(
            LOCK_HELD.into(),
            None,
            text("1 while this replica holds the lock: it polls, delivers and schedules."),
        );
        r.describe_gauge(
            POOL.into(),
            None,
            text("Database connections of the pool, in use and idle."),
        );
        r.describe_gauge(
            BOT_API_AGE.into(),
            Some(Unit::Seconds),
            text("Seconds since the Bot API last answered this replica."),
        );
    }

    fn key(name: &'static str, labels: &[(&'static str, &str)]) -> Key {
        let labels: Vec<Label> = labels
            .iter()
            .map(|(k, v)| Label::new(*k, v.to_string()))
            .collect();
        Key::from_parts(name, labels)
    }

    fn counter(&self, name: &'static str, labels: &[(&'static str, &str)]) -> metrics::Counter {
        self.recorder
            .register_counter(&Self::key(name, labels), &METADATA)
    }

    fn gauge(&self, name: &'static str, labels: &[(&'static str, &str)]) -> metrics::Gauge {
        self.recorder
            .register_gauge(&Self::key(name, labels), &METADATA)
    }

    fn histogram(&self, name: &'static str, labels: &[(&'static str, &str)]) -> metrics::Histogram {
        self.recorder
            .register_histogram(&Self::key(name, labels), &METADATA)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_recorded_is_rendered_and_off_renders_nothing() {
        let m = Metrics::new();
        m.update("command", UpdateOutcome::Handled, Duration::from_millis(3));
        m.update("command", UpdateOutcome::Handled, Duration::from_millis(4));
        m.send("telegram", SendResult::RateLimited);
        m.lock_held(true);
        let page = m.render();
        assert!(
            page.contains(r#"minyi_updates_total{kind="command",outcome="handled"} 2"#),
            "{page}"
        );
        assert!(page.contains(r#"minyi_sends_total{channel="telegram",result="rate_limited"} 1"#));
        assert!(page.contains("minyi_lock_held 1"));
        assert!(page.contains("# HELP minyi_updates_total"));
        assert!(page.contains(r#"minyi_update_seconds_bucket{kind="command",le="0.005"} 2"#));
        // A state that empties reads 0 at the next scrape.
        let pending = |n| OutboxGauges {
            rows: if n > 0 {
                vec![("pending".into(), "telegram".into(), n)]
            } else {
                vec![]
            },
            ..OutboxGauges::default()
        };
        m.observe(&pending(4), (1, 2), None);
        assert!(
            m.render()
                .contains(r#"minyi_outbox_rows{state="pending",channel="telegram"} 4"#)
        );
        m.observe(&pending(0), (1, 2), None);
        assert!(
            m.render()
                .contains(r#"minyi_outbox_rows{state="pending",channel="telegram"} 0"#)
        );
        let off = Metrics::off();
        off.update("command", UpdateOutcome::Handled, Duration::from_millis(3));
        assert_eq!(off.render(), "");
    }
}
