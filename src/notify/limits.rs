//! Telegram's limits, kept by the worker itself (PRODUCT.md §6): about 30 messages a second
//! overall, one a second per chat, 20 a minute per group. Each send asks the pacer for its
//! slot: the earliest instant that breaks none of the three, reserved at once so concurrent
//! senders queue up instead of all firing and collecting 429s.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::config::Delivery;

pub struct Pacer {
    global_gap: Duration,
    chat_gap: Duration,
    group_per_minute: usize,
    state: Mutex<State>,
}

struct State {
    /// The global calendar: time is cut into ticks of `global_gap`, one send a tick. A slot
    /// reserved far ahead (a held chat) takes only its own tick, not everything before it.
    epoch: Instant,
    ticks: BTreeSet<u64>,
    next_chat: HashMap<i64, Instant>,
    /// Reserved send times of each group chat within the last minute.
    group_sends: HashMap<i64, VecDeque<Instant>>,
}

const MINUTE: Duration = Duration::from_secs(60);

/// The worker keeps to 90 % of the overall rate: requests reach Telegram with some jitter, and
/// sends spaced at exactly the limit would now and then land 31 in one second.
const GLOBAL_MARGIN: f64 = 0.9;
/// Likewise a group's 21st message waits a little past the minute.
const GROUP_MARGIN: Duration = Duration::from_millis(500);

impl Pacer {
    pub fn new(limits: &Delivery) -> Self {
        let global = f64::from(limits.global_per_second.max(1)) * GLOBAL_MARGIN;
        Self {
            global_gap: Duration::from_secs_f64(1.0 / global),
            chat_gap: Duration::from_secs(1) / limits.per_chat_per_second.max(1),
            group_per_minute: limits.per_group_per_minute.max(1) as usize,
            state: Mutex::new(State {
                epoch: Instant::now(),
                ticks: BTreeSet::new(),
                next_chat: HashMap::new(),
                group_sends: HashMap::new(),
            }),
        }
    }

    /// Reserves the next slot for a message to `chat` and answers when it is.
    pub fn reserve(&self, chat: i64) -> Instant {
        let now = Instant::now();
        let mut s = self.state.lock().expect("pacer lock");
        let mut at = now.max(s.next_chat.get(&chat).copied().unwrap_or(now));
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
        at = self.take_tick(&mut s, at, now);
        if chat < 0 {
            s.group_sends.entry(chat).or_default().push_back(at);
        }
        s.next_chat.insert(chat, at + self.chat_gap);
        if s.next_chat.len() > 100_000 {
            // Forget chats whose slot has passed, so the map does not grow without end.
            s.next_chat.retain(|_, t| *t > now);
        }
        at
    }

    /// The first free global tick at or after `at`.
    fn take_tick(&self, s: &mut State, at: Instant, now: Instant) -> Instant {
        let gap = self.global_gap.as_nanos().max(1);
        let tick_of = |t: Instant| (t.duration_since(s.epoch).as_nanos().div_ceil(gap)) as u64;
        let past = tick_of(now).saturating_sub(1);
        // Forget ticks that have gone by.
        s.ticks = s.ticks.split_off(&past);
        let mut tick = tick_of(at);
        while s.ticks.contains(&tick) {
            tick += 1;
        }
        s.ticks.insert(tick);
        s.epoch + Duration::from_nanos((tick as u128 * gap) as u64)
    }

    /// Waits for the next slot of `chat`.
    pub async fn wait(&self, chat: i64) {
        tokio::time::sleep_until(self.reserve(chat)).await;
    }

    /// After a 429, nothing goes to that chat before `after`.
    pub fn hold(&self, chat: i64, after: Duration) {
        let until = Instant::now() + after;
        let mut s = self.state.lock().expect("pacer lock");
        let next = s.next_chat.entry(chat).or_insert(until);
        *next = (*next).max(until);
    }
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
        }
    }

    #[tokio::test(start_paused = true)]
    async fn slots_keep_every_limit() {
        let pacer = Pacer::new(&limits());
        let start = Instant::now();
        // One chat: a second apart.
        let a: Vec<Instant> = (0..3).map(|_| pacer.reserve(7)).collect();
        for pair in a.windows(2) {
            let gap = pair[1] - pair[0];
            assert!(
                gap >= Duration::from_secs(1) && gap < Duration::from_millis(1100),
                "{gap:?}"
            );
        }
        // Many chats: 30 a second overall.
        let pacer = Pacer::new(&limits());
        let slots: Vec<Instant> = (0..61).map(|chat| pacer.reserve(chat)).collect();
        let expected = Duration::from_secs_f64(60.0 / (30.0 * GLOBAL_MARGIN));
        assert!(slots[60] - start >= expected - Duration::from_millis(10));
        assert!(slots[60] - start < expected + Duration::from_millis(100));
        // One group: 20 within a minute, the 21st a minute after the first.
        let pacer = Pacer::new(&limits());
        let group: Vec<Instant> = (0..21).map(|_| pacer.reserve(-100)).collect();
        assert!(group[20] - group[0] >= MINUTE);
    }

    #[tokio::test(start_paused = true)]
    async fn a_hold_delays_the_chat() {
        let pacer = Pacer::new(&limits());
        pacer.hold(5, Duration::from_secs(7));
        assert!(pacer.reserve(5) - Instant::now() >= Duration::from_secs(7));
        assert!(pacer.reserve(6) - Instant::now() < Duration::from_secs(1));
    }
}
