//! Telegram's limits, kept by minyi itself (PRODUCT.md §6): about 30 messages a second
//! overall, one a second per chat, 20 a minute per group. Each send asks the pacer for its
//! slot: the earliest instant that breaks none of the three, reserved at once so concurrent
//! senders queue up instead of all firing and collecting 429s.
//!
//! Telegram does not publish its exact limits and they vary, so the configured rate is only
//! where the pacer starts. A 429 means a real limit is lower: every send then waits out its
//! `retry_after` (as python-telegram-bot's rate limiter does: Telegram's flood control
//! punishes a bot that keeps sending after a 429 with longer waits), and the overall pace is
//! cut to half, or to what got through in the last second if that is less. Each quiet minute
//! gives back a tenth of the configured pace, so the pacer settles just below the real limit.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::config::Delivery;

pub struct Pacer {
    /// The configured overall pace, in messages a second (with its margin).
    configured: f64,
    chat_gap: Duration,
    group_per_minute: usize,
    state: Mutex<State>,
    /// Woken when a 429 throws every reservation away.
    replanned: Notify,
}

struct State {
    /// The overall pace now, in messages a second: the configured one until a 429.
    pace: f64,
    /// Reserved send times, at least one gap of the pace apart. A slot reserved far ahead (a
    /// held chat) takes only its own place, not everything before it.
    calendar: BTreeSet<Instant>,
    /// Changes at every 429: a slot reserved before it is void.
    plan: u64,
    /// No send before this (the last 429's `retry_after`).
    paused_until: Instant,
    /// The last 429, or the last time the pace was raised: a quiet minute counts from it.
    last_change: Instant,
    /// Sends that went through in the last second: the measure of a lower real limit.
    through: VecDeque<Instant>,
    next_chat: HashMap<i64, Instant>,
    /// Reserved send times of each group chat within the last minute.
    group_sends: HashMap<i64, VecDeque<Instant>>,
}

/// A reserved send time, valid while the plan it was made in holds.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    pub at: Instant,
    plan: u64,
    /// The chat's next free time before this reservation, given back if it is void.
    chat_before: Option<Instant>,
}

const MINUTE: Duration = Duration::from_secs(60);
const SECOND: Duration = Duration::from_secs(1);

/// The worker keeps to 90 % of the overall rate: requests reach Telegram with some jitter, and
/// sends spaced at exactly the limit would now and then land 31 in one second. The same margin
/// applies to what got through before a 429.
const GLOBAL_MARGIN: f64 = 0.9;
/// Likewise a group's 21st message waits a little past the minute.
const GROUP_MARGIN: Duration = Duration::from_millis(500);
/// The pace never drops below one message a second.
const MIN_PACE: f64 = 1.0;
/// A quiet minute gives back this share of the configured pace.
const RECOVERY_SHARE: f64 = 0.1;

impl Pacer {
    pub fn new(limits: &Delivery) -> Self {
        let configured = f64::from(limits.global_per_second.max(1)) * GLOBAL_MARGIN;
        let now = Instant::now();
        Self {
            configured,
            chat_gap: SECOND / limits.per_chat_per_second.max(1),
            group_per_minute: limits.per_group_per_minute.max(1) as usize,
            state: Mutex::new(State {
                pace: configured,
                calendar: BTreeSet::new(),
                plan: 0,
                paused_until: now,
                last_change: now,
                through: VecDeque::new(),
                next_chat: HashMap::new(),
                group_sends: HashMap::new(),
            }),
            replanned: Notify::new(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // Nothing panics while holding it; if something did, the times are still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The overall pace now, in messages a second.
    pub fn pace(&self) -> f64 {
        self.state().pace
    }

    /// Reserves the next slot for a message to `chat`.
    pub fn reserve(&self, chat: i64) -> Slot {
        let now = Instant::now();
        let mut s = self.state();
        self.recover(&mut s, now);
        let chat_before = s.next_chat.get(&chat).copied();
        let mut at = now.max(s.paused_until).max(chat_before.unwrap_or(now));
        // Group chats (negative ids) also count against a per-minute window.
        if chat < 0 {
            let sends = s.group_sends.entry(chat).or_default();
            while sends.front().is_some_and(|t| *t + MINUTE <= now) {
                sends.pop_front();
            }
            if sends.len() >= self.group_per_minute {
                let oldest = sends[sends.len() - self.group_per_minute];
                at = at.max(oldest + MINUTE + GROUP_MARGIN);
            }
        }
        at = take_place(&mut s, at, now);
        if chat < 0 {
            s.group_sends.entry(chat).or_default().push_back(at);
        }
        s.next_chat.insert(chat, at + self.chat_gap);
        if s.next_chat.len() > 100_000 {
            // Forget chats whose slot has passed, so the map does not grow without end.
            s.next_chat.retain(|_, t| *t > now);
        }
        Slot {
            at,
            plan: s.plan,
            chat_before,
        }
    }

    /// Waits out a pause that a 429 began (for an answer to a person, which takes no slot:
    /// answers go out at once, but not into a pause Telegram asked for).
    pub async fn pause_over(&self) {
        loop {
            let until = self.state().paused_until;
            if until <= Instant::now() {
                return;
            }
            tokio::time::sleep_until(until).await;
        }
    }

    /// Waits for a slot of `chat`. A 429 while waiting voids the slot: the wait starts over
    /// after the pause, at the new pace.
    pub async fn wait(&self, chat: i64) {
        loop {
            let replanned = self.replanned.notified();
            tokio::pin!(replanned);
            replanned.as_mut().enable();
            let slot = self.reserve(chat);
            tokio::select! {
                _ = tokio::time::sleep_until(slot.at) => {}
                _ = &mut replanned => {}
            }
            if self.state().plan == slot.plan {
                return;
            }
            self.void(chat, slot);
        }
    }

    /// Gives back what a void slot held of its chat's limits.
    fn void(&self, chat: i64, slot: Slot) {
        let mut s = self.state();
        if s.next_chat.get(&chat) == Some(&(slot.at + self.chat_gap)) {
            match slot.chat_before {
                Some(before) => s.next_chat.insert(chat, before),
                None => s.next_chat.remove(&chat),
            };
        }
        if let Some(sends) = s.group_sends.get_mut(&chat)
            && let Some(i) = sends.iter().position(|t| *t == slot.at)
        {
            sends.remove(i);
        }
    }

    /// A message went through: counted for the estimate of the real limit.
    pub fn sent(&self) {
        let now = Instant::now();
        let mut s = self.state();
        s.through.push_back(now);
        while s.through.front().is_some_and(|t| *t + SECOND <= now) {
            s.through.pop_front();
        }
    }

    /// Telegram answered 429 with `retry_after` for a message to `chat`: nothing is sent to
    /// any chat before that, and the pace is cut once per pause (the answers to sends already
    /// under way when the pause began do not cut it again).
    pub fn rate_limited(&self, chat: i64, retry_after: Duration) {
        let now = Instant::now();
        let until = now + retry_after;
        let mut s = self.state();
        let next = s.next_chat.entry(chat).or_insert(until);
        *next = (*next).max(until);
        let already_paused = now < s.paused_until;
        s.paused_until = s.paused_until.max(until);
        s.last_change = now;
        if !already_paused {
            while s.through.front().is_some_and(|t| *t + SECOND <= now) {
                s.through.pop_front();
            }
            let through = s.through.len() as f64 * GLOBAL_MARGIN;
            let half = s.pace / 2.0;
            let cut = if through > 0.0 {
                half.min(through)
            } else {
                half
            };
            s.pace = cut.max(MIN_PACE).min(self.configured);
        }
        // Every reservation is void: the waiting senders reserve again, after the pause.
        s.calendar.clear();
        s.plan += 1;
        let pace = s.pace;
        drop(s);
        self.replanned.notify_waiters();
        tracing::warn!(
            chat,
            retry_after = retry_after.as_secs_f64(),
            pace,
            "Telegram answered 429: every send waits, then goes at the lower pace"
        );
    }

    /// After a quiet minute, gives back a little of the pace.
    fn recover(&self, s: &mut State, now: Instant) {
        if s.pace < self.configured && now.duration_since(s.last_change) >= MINUTE {
            s.pace = (s.pace + self.configured * RECOVERY_SHARE).min(self.configured);
            s.last_change = now;
            tracing::info!(pace = s.pace, "a quiet minute: the pace goes up");
        }
    }
}

/// The first time at or after `at` that is at least one gap of the pace away from every
/// reserved one; reserved at once.
fn take_place(s: &mut State, at: Instant, now: Instant) -> Instant {
    let gap = Duration::from_secs_f64(1.0 / s.pace);
    // Forget times that have gone by.
    s.calendar = s.calendar.split_off(&now.checked_sub(gap).unwrap_or(now));
    let mut at = at;
    loop {
        if let Some(&before) = s.calendar.range(..=at).next_back()
            && at < before + gap
        {
            at = before + gap;
            continue;
        }
        if let Some(&after) = s.calendar.range(at..).next()
            && after < at + gap
        {
            at = after + gap;
            continue;
        }
        break;
    }
    s.calendar.insert(at);
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Delivery {
        Delivery {
            max_attempts: 8,
            lease_seconds: 60,
            global_per_second: 30,
            per_chat_per_second: 1,
            per_group_per_minute: 20,
            retention_days: 90,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn slots_keep_every_limit() {
        let pacer = Pacer::new(&limits());
        let start = Instant::now();
        // One chat: a second apart.
        let a: Vec<Instant> = (0..3).map(|_| pacer.reserve(7).at).collect();
        for pair in a.windows(2) {
            let gap = pair[1] - pair[0];
            assert!(
                gap >= Duration::from_secs(1) && gap < Duration::from_millis(1100),
                "{gap:?}"
            );
        }
        // Many chats: 30 a second overall.
        let pacer = Pacer::new(&limits());
        let slots: Vec<Instant> = (0..61).map(|chat| pacer.reserve(chat).at).collect();
        let expected = Duration::from_secs_f64(60.0 / (30.0 * GLOBAL_MARGIN));
        assert!(slots[60] - start >= expected - Duration::from_millis(10));
        assert!(slots[60] - start < expected + Duration::from_millis(100));
        // One group: 20 within a minute, the 21st a minute after the first.
        let pacer = Pacer::new(&limits());
        let group: Vec<Instant> = (0..21).map(|_| pacer.reserve(-100).at).collect();
        assert!(group[20] - group[0] >= MINUTE);
    }

    #[tokio::test(start_paused = true)]
    async fn a_held_chat_takes_only_its_own_place() {
        let pacer = Pacer::new(&limits());
        {
            let mut s = pacer.state();
            s.next_chat
                .insert(1, Instant::now() + Duration::from_secs(10));
        }
        let held = pacer.reserve(1).at;
        let free = pacer.reserve(2).at;
        assert!(held - Instant::now() >= Duration::from_secs(10));
        assert!(free - Instant::now() < Duration::from_millis(100));
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_pauses_every_chat_and_cuts_the_pace_once() {
        let pacer = Pacer::new(&limits());
        let configured = pacer.pace();
        // Five went through in the last second, then Telegram said to wait two seconds.
        for _ in 0..5 {
            pacer.sent();
        }
        pacer.rate_limited(5, Duration::from_secs(2));
        assert!(
            (pacer.pace() - 5.0 * GLOBAL_MARGIN).abs() < 1e-9,
            "{}",
            pacer.pace()
        );
        assert!(pacer.reserve(6).at - Instant::now() >= Duration::from_secs(2));
        assert!(pacer.reserve(5).at - Instant::now() >= Duration::from_secs(2));
        // Answers to sends under way when the pause began do not cut it again.
        pacer.rate_limited(7, Duration::from_secs(1));
        assert!((pacer.pace() - 5.0 * GLOBAL_MARGIN).abs() < 1e-9);
        // Later, a 429 with nothing measured halves it, never below one a second.
        tokio::time::advance(Duration::from_secs(3)).await;
        pacer.rate_limited(8, Duration::from_secs(1));
        assert!((pacer.pace() - 2.25).abs() < 1e-9, "{}", pacer.pace());
        for _ in 0..3 {
            tokio::time::advance(Duration::from_secs(2)).await;
            pacer.rate_limited(8, Duration::from_secs(1));
        }
        assert_eq!(pacer.pace(), MIN_PACE);
        // Each quiet minute gives back a tenth of the configured pace.
        tokio::time::advance(MINUTE).await;
        pacer.reserve(9);
        assert!((pacer.pace() - (MIN_PACE + configured * RECOVERY_SHARE)).abs() < 1e-9);
        pacer.reserve(10);
        assert!((pacer.pace() - (MIN_PACE + configured * RECOVERY_SHARE)).abs() < 1e-9);
        for _ in 0..20 {
            tokio::time::advance(MINUTE).await;
            pacer.reserve(11);
        }
        assert_eq!(pacer.pace(), configured);
    }

    #[tokio::test(start_paused = true)]
    async fn a_waiting_sender_waits_out_a_429_that_came_meanwhile() {
        let pacer = std::sync::Arc::new(Pacer::new(&limits()));
        // Fill the next second so the new sender's slot lies ahead.
        for chat in 100..127 {
            pacer.reserve(chat);
        }
        let start = Instant::now();
        let waiting = {
            let pacer = pacer.clone();
            tokio::spawn(async move {
                pacer.wait(1).await;
                Instant::now()
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        pacer.rate_limited(2, Duration::from_secs(3));
        let sent = waiting.await.unwrap();
        assert!(sent - start >= Duration::from_secs(3), "{:?}", sent - start);
    }
}
