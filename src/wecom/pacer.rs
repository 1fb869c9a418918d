//! WeCom's limits on what one member receives from an app: 30 messages a minute and 1,000 an
//! hour (doc 90236). WeCom drops the excess silently, with errcode 0, so nothing would tell
//! minyi a push was lost: every send to a member takes room in both windows first. An answer
//! waits for it ([`MemberPacer::wait`]); the delivery worker asks ([`MemberPacer::try_take`])
//! and, without room, puts the push back until there is. Both share one pacer.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Each window is counted a little longer than WeCom's: a message counted here when it
/// leaves reaches WeCom a moment later, so WeCom's window must never see more.
const MARGIN: Duration = Duration::from_secs(2);
const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);
const FORGET_EVERY: u64 = 4096;

pub struct MemberPacer {
    per_minute: usize,
    per_hour: usize,
    /// When each member was sent to in the last hour, oldest first.
    sent: Mutex<Members>,
}

#[derive(Default)]
struct Members {
    times: HashMap<String, VecDeque<Instant>>,
    /// The whole app waits until then: WeCom answered 45009 (too many calls).
    paused_until: Option<Instant>,
    /// Messages counted so far; every [`FORGET_EVERY`] the idle members are forgotten.
    taken: u64,
}

impl MemberPacer {
    pub fn new(per_minute: u32, per_hour: u32) -> MemberPacer {
        MemberPacer {
            per_minute: per_minute.max(1) as usize,
            per_hour: per_hour.max(1) as usize,
            sent: Mutex::new(Members::default()),
        }
    }

    /// Waits until a message to `member` stays within both windows, and counts it as sent.
    /// Userids are compared ignoring case, as WeCom does.
    pub async fn wait(&self, member: &str) {
        loop {
            let wait = self.try_take_at(member, Instant::now());
            match wait {
                None => return,
                Some(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Counts a message to `member` now if it fits; else how long until it might.
    pub fn try_take(&self, member: &str) -> Option<Duration> {
        self.try_take_at(member, Instant::now())
    }

    fn try_take_at(&self, member: &str, now: Instant) -> Option<Duration> {
        let member = member.to_lowercase();
        let mut members = self.sent.lock().expect("pacer lock");
        members.taken += 1;
        if members.taken.is_multiple_of(FORGET_EVERY) {
            members.forget_idle(now);
        }
        if let Some(until) = members.paused_until.filter(|until| *until > now) {
            return Some(until - now);
        }
        let times = members.times.entry(member).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= HOUR + MARGIN)
        {
            times.pop_front();
        }
        let in_minute = times
            .iter()
            .rev()
            .take_while(|t| now.duration_since(**t) < MINUTE + MARGIN)
            .count();
        // The message that must age out of a full window before another may go.
        let minute_wait = (in_minute >= self.per_minute)
            .then(|| times[times.len() - self.per_minute] + MINUTE + MARGIN - now);
        let hour_wait = (times.len() >= self.per_hour)
            .then(|| times[times.len() - self.per_hour] + HOUR + MARGIN - now);
        match minute_wait.max(hour_wait) {
            Some(wait) => Some(wait.max(Duration::from_millis(10))),
            None => {
                times.push_back(now);
                None
            }
        }
    }

    /// WeCom said the app calls too often: every send waits `wait` first.
    pub fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut members = self.sent.lock().expect("pacer lock");
        members.paused_until = Some(members.paused_until.map_or(until, |u| u.max(until)));
    }
}

impl Members {
    /// Forgets members not sent to for an hour, so the map does not grow without end.
    fn forget_idle(&mut self, now: Instant) {
        self.times.retain(|_, times| {
            times
                .back()
                .is_some_and(|t| now.duration_since(*t) < HOUR + MARGIN)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_gets_at_most_the_minute_limit_then_waits() {
        let pacer = MemberPacer::new(30, 1000);
        let start = Instant::now();
        for _ in 0..30 {
            assert_eq!(pacer.try_take_at("LiSi", start), None);
        }
        let wait = pacer.try_take_at("lisi", start).expect("the 31st waits");
        assert_eq!(wait, MINUTE + MARGIN);
        // Another member is not held up.
        assert_eq!(pacer.try_take_at("wangwu", start), None);
        // Once the first has aged out of the window, one more may go.
        assert_eq!(pacer.try_take_at("lisi", start + MINUTE + MARGIN), None);
    }

    #[test]
    fn the_hour_limit_holds_across_minutes() {
        let pacer = MemberPacer::new(30, 40);
        let start = Instant::now();
        for i in 0..40 {
            let at = start + (MINUTE + MARGIN) * (i / 30);
            assert_eq!(pacer.try_take_at("u", at), None, "message {i}");
        }
        let later = start + (MINUTE + MARGIN) * 3;
        let wait = pacer.try_take_at("u", later).expect("the hour is full");
        assert_eq!(wait, start + HOUR + MARGIN - later);
    }

    #[tokio::test]
    async fn a_pause_holds_every_member() {
        let pacer = MemberPacer::new(30, 1000);
        pacer.pause(Duration::from_secs(5));
        assert!(pacer.try_take_at("u", Instant::now()).is_some());
    }
}
