//! When a job is due: pure functions of the schedule, the time zone, now and what already
//! ran, so the catch-up rule is tested without a clock or a database.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use cron::Schedule;

/// The latest fire time at or before `now`.
pub fn latest_fire(schedule: &Schedule, tz: Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    // `after(t)` walks backwards from t, exclusive: start just after now to include it.
    let from = (now + Duration::milliseconds(1)).with_timezone(&tz);
    schedule.after(&from).next_back().map(|t| t.to_utc())
}

/// The first fire time after `now`.
pub fn next_fire(schedule: &Schedule, tz: Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    schedule
        .after(&now.with_timezone(&tz))
        .next()
        .map(|t| t.to_utc())
}

/// The run of a job to start now, if any: the latest fire time at or before `now`, unless
/// it ran already. After downtime that is the latest missed run only, once. A deployment
/// catches up nothing from before the scheduler's first start (`since`): a new installation
/// does not send yesterday's report.
pub fn due(
    schedule: &Schedule,
    tz: Tz,
    now: DateTime<Utc>,
    last_run: Option<DateTime<Utc>>,
    since: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let latest = latest_fire(schedule, tz, now)?;
    if latest < since || last_run.is_some_and(|last| last >= latest) {
        return None;
    }
    Some(latest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::str::FromStr;

    fn sh(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(y, m, d, h, min, s)
            .single()
            .unwrap()
            .to_utc()
    }

    fn daily_8() -> Schedule {
        Schedule::from_str("0 0 8 * * *").unwrap()
    }

    const TZ: Tz = chrono_tz::Asia::Shanghai;

    #[test]
    fn fires_in_the_configured_zone() {
        let s = daily_8();
        assert_eq!(
            latest_fire(&s, TZ, sh(2026, 3, 2, 8, 0, 0)),
            Some(sh(2026, 3, 2, 8, 0, 0))
        );
        assert_eq!(
            latest_fire(&s, TZ, sh(2026, 3, 2, 7, 59, 59)),
            Some(sh(2026, 3, 1, 8, 0, 0))
        );
        assert_eq!(
            next_fire(&s, TZ, sh(2026, 3, 2, 8, 0, 0)),
            Some(sh(2026, 3, 3, 8, 0, 0))
        );
        let monthly = Schedule::from_str("0 0 9 1 * *").unwrap();
        assert_eq!(
            latest_fire(&monthly, TZ, sh(2026, 3, 15, 0, 0, 0)),
            Some(sh(2026, 3, 1, 9, 0, 0))
        );
    }

    #[test]
    fn a_run_is_due_once() {
        let s = daily_8();
        let since = sh(2026, 1, 1, 0, 0, 0);
        let now = sh(2026, 3, 2, 8, 0, 1);
        assert_eq!(due(&s, TZ, now, None, since), Some(sh(2026, 3, 2, 8, 0, 0)));
        let ran = Some(sh(2026, 3, 2, 8, 0, 0));
        assert_eq!(due(&s, TZ, now, ran, since), None);
        assert_eq!(due(&s, TZ, sh(2026, 3, 2, 23, 0, 0), ran, since), None);
    }

    #[test]
    fn after_downtime_only_the_latest_missed_run_is_caught_up() {
        let s = daily_8();
        let since = sh(2026, 1, 1, 0, 0, 0);
        // Down from 1 March to 5 March 10:00: four runs missed, one is due, the latest.
        let last = Some(sh(2026, 3, 1, 8, 0, 0));
        let now = sh(2026, 3, 5, 10, 0, 0);
        assert_eq!(due(&s, TZ, now, last, since), Some(sh(2026, 3, 5, 8, 0, 0)));
    }

    #[test]
    fn a_new_deployment_does_not_catch_up_before_its_first_start() {
        let s = daily_8();
        let since = sh(2026, 3, 2, 10, 0, 0);
        assert_eq!(due(&s, TZ, sh(2026, 3, 2, 10, 0, 5), None, since), None);
        assert_eq!(
            due(&s, TZ, sh(2026, 3, 3, 8, 0, 0), None, since),
            Some(sh(2026, 3, 3, 8, 0, 0))
        );
    }
}
