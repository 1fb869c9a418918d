//! Telegram's flood limits on messages (<https://core.telegram.org/bots/faq>): about 30 a second
//! overall, about 1 a second per chat (short bursts pass), 20 a minute per group. Past them
//! Telegram answers 429 with `retry_after`, the whole seconds until a send would pass.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

/// Telegram's overall limit as its FAQ states it; a test may set a lower one.
pub const GLOBAL_PER_SECOND: usize = 30;
const CHAT_BURST: f64 = 3.0;
const CHAT_PER_SECOND: f64 = 1.0;
const GROUP_PER_MINUTE: usize = 20;

pub(super) struct Limits {
    /// Messages a second overall.
    global_per_second: usize,
    /// When the messages of the last second were sent.
    global: VecDeque<Instant>,
    /// A token bucket per chat: tokens left and when they were counted.
    chats: HashMap<i64, (f64, Instant)>,
    /// When the messages of the last minute were sent, per group.
    groups: HashMap<i64, VecDeque<Instant>>,
}

impl Limits {
    pub(super) fn new(global_per_second: usize) -> Limits {
        Limits {
            global_per_second: global_per_second.max(1),
            global: VecDeque::new(),
            chats: HashMap::new(),
            groups: HashMap::new(),
        }
    }

    /// Counts a message to `chat` sent at `now`, or, if a limit forbids it, counts nothing and
    /// returns the whole seconds (at least 1) until it would pass.
    pub(super) fn take(&mut self, chat: i64, now: Instant) -> Result<(), u64> {
        let mut wait = Duration::ZERO;
        wait = wait.max(window_wait(
            &mut self.global,
            self.global_per_second,
            Duration::from_secs(1),
            now,
        ));
        let (tokens, counted) = self.chats.get(&chat).copied().unwrap_or((CHAT_BURST, now));
        let tokens =
            (tokens + now.duration_since(counted).as_secs_f64() * CHAT_PER_SECOND).min(CHAT_BURST);
        if tokens < 1.0 {
            wait = wait.max(Duration::from_secs_f64((1.0 - tokens) / CHAT_PER_SECOND));
        }
        if chat < 0 {
            let group = self.groups.entry(chat).or_default();
            wait = wait.max(window_wait(
                group,
                GROUP_PER_MINUTE,
                Duration::from_secs(60),
                now,
            ));
        }
        if !wait.is_zero() {
            return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
        }
        self.global.push_back(now);
        self.chats.insert(chat, (tokens - 1.0, now));
        if chat < 0 {
            self.groups.entry(chat).or_default().push_back(now);
        }
        Ok(())
    }
}

/// Forgets sends older than `window`; if `max` remain, how long until the oldest leaves.
fn window_wait(
    sent: &mut VecDeque<Instant>,
    max: usize,
    window: Duration,
    now: Instant,
) -> Duration {
    while sent
        .front()
        .is_some_and(|&at| now.duration_since(at) >= window)
    {
        sent.pop_front();
    }
    match sent.front() {
        Some(&oldest) if sent.len() >= max => (oldest + window).duration_since(now),
        _ => Duration::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chat_gets_a_burst_of_three_then_one_a_second() {
        let mut limits = Limits::new(GLOBAL_PER_SECOND);
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limits.take(7, start), Ok(()));
        }
        assert_eq!(limits.take(7, start), Err(1));
        assert_eq!(
            limits.take(8, start),
            Ok(()),
            "another chat has its own bucket"
        );
        assert_eq!(limits.take(7, start + Duration::from_millis(1000)), Ok(()));
        assert_eq!(limits.take(7, start + Duration::from_millis(1100)), Err(1));
    }

    #[test]
    fn thirty_a_second_overall() {
        let mut limits = Limits::new(GLOBAL_PER_SECOND);
        let start = Instant::now();
        for chat in 0..30 {
            assert_eq!(limits.take(chat + 1, start), Ok(()));
        }
        assert_eq!(limits.take(100, start), Err(1));
        assert_eq!(limits.take(100, start + Duration::from_secs(1)), Ok(()));
    }

    #[test]
    fn twenty_a_minute_per_group() {
        let mut limits = Limits::new(GLOBAL_PER_SECOND);
        let start = Instant::now();
        for n in 0..20 {
            assert_eq!(limits.take(-5, start + Duration::from_secs(n * 2)), Ok(()));
        }
        // The first left the window at 60 s; now is 40 s.
        assert_eq!(limits.take(-5, start + Duration::from_secs(40)), Err(20));
        assert_eq!(limits.take(-5, start + Duration::from_secs(60)), Ok(()));
    }
}
