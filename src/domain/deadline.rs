//! Deadlines and the three colours (三色督办). All deadlines count calendar days and end at
//! 23:59:59 local time of the last day (PRODUCT.md §3).

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The configurable time limits, defaults from the seeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub tz: Tz,
    /// Yellow when at most this many days remain.
    pub yellow_days: u32,
    /// The leader's first review after submission.
    pub review_days: u32,
    /// Assignment after acceptance of a town-level matter: "三日内转交办理" (seed 000).
    pub assign_town_days: u32,
    /// Assignment after acceptance of a district-level matter: "五日内转交" (seed 000).
    pub assign_district_days: u32,
    /// Transfer of a higher-level matter: "三日内报…" (seed 000).
    pub transfer_days: u32,
    /// Handling by one unit: "一个月内要予以办理答复" (seed 000).
    pub single_unit_days: u32,
    /// Handling by a lead unit with co-units: "不超过两个月" (seed 000).
    pub joint_days: u32,
    /// Key supervision after an unsatisfied rating: "办理期限为一个月" (seed 000).
    pub key_supervision_days: u32,
    /// The deputy's rating window after a reply; unrated replies close after it.
    pub rating_days: u32,
    /// The day of the rating window on which the deputy is reminded.
    pub rating_reminder_day: u32,
    /// The unit's explanation after the second unsatisfied rating.
    pub explanation_days: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            tz: chrono_tz::Asia::Shanghai,
            yellow_days: 5,
            review_days: 3,
            assign_town_days: 3,
            assign_district_days: 5,
            transfer_days: 3,
            single_unit_days: 30,
            joint_days: 60,
            key_supervision_days: 30,
            rating_days: 15,
            rating_reminder_day: 7,
            explanation_days: 15,
        }
    }
}

/// 绿 / 黄 / 红: the colour of an open step with a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Colour {
    Green,
    Yellow,
    Red,
}

impl Colour {
    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Green => "green",
            Colour::Yellow => "yellow",
            Colour::Red => "red",
        }
    }
}

impl Rules {
    /// The end of the `days`-th calendar day after `start`'s local date: a step begun on
    /// 1 December with 3 days ends on 4 December at 23:59:59 local time.
    pub fn deadline_after(&self, start: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        let first = start.with_timezone(&self.tz).date_naive();
        let last = first
            .checked_add_days(Days::new(days.into()))
            .unwrap_or(NaiveDate::MAX);
        self.end_of_day(last)
    }

    /// Moves a deadline on by `days` calendar days (an extension).
    pub fn extend(&self, deadline: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        self.deadline_after(deadline, days)
    }

    fn end_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        let local = day.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"));
        // In a zone that skips or repeats 23:59 (none does today), take the later reading.
        self.tz
            .from_local_datetime(&local)
            .latest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local))
    }

    /// The first instant of a local date (where a clock change skips midnight, the first
    /// hour that exists).
    pub fn start_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_time(NaiveTime::MIN);
        (0..3)
            .find_map(|h| {
                let t = midnight + chrono::Duration::hours(h);
                self.tz.from_local_datetime(&t).earliest()
            })
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
    }

    /// The local calendar date of an instant.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }

    /// Whole calendar days from `now`'s local date to the deadline's: 0 on the last day.
    pub fn days_left(&self, deadline: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
        (self.local_date(deadline) - self.local_date(now)).num_days()
    }

    /// The earliest deadline that is still green at `now`: a deadline before it is yellow or
    /// red. The queries of `/overdue`, the daily report and the reminders cut here, so they
    /// agree with [`Rules::colour`] to the millisecond.
    pub fn green_from(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let first_green = self.local_date(now) + chrono::Days::new(u64::from(self.yellow_days) + 1);
        self.start_of_day(first_green)
    }

    /// Red once the deadline has passed; yellow when at most `yellow_days` remain; else green.
    pub fn colour(&self, deadline: DateTime<Utc>, now: DateTime<Utc>) -> Colour {
        if now > deadline {
            Colour::Red
        } else if self.days_left(deadline, now) <= i64::from(self.yellow_days) {
            Colour::Yellow
        } else {
            Colour::Green
        }
    }

    /// A deadline as people read it, in local time: `2026-12-04 23:59`.
    pub fn show(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
}
