//! The delivery worker: claims due outbox rows with a lease, renders each in its reader's
//! language, sends it within Telegram's limits, and records the result. A chat's rows go out
//! one at a time in order (the claim hands out only a chat's oldest row). Failures are
//! retried with exponential backoff and jitter, 429s are waited out, and what Telegram will
//! never take becomes a dead letter at once. A crash loses nothing: a dead worker's rows come
//! back when their lease runs out, so at most the rows in flight are sent twice.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use teloxide::types::InlineKeyboardMarkup;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::mirror;
use super::telegram::{self, Failure};
use crate::clock::Clock;
use crate::config::{Delivery, Mirror};
use crate::front::buttons::for_ask;
use crate::i18n::{self, Lang};
use crate::metrics::{Metrics, SendResult};
use crate::storage::{Channel, FILE_DOCUMENT, FILE_PHOTO, GROUP_ARG, OutboxRow, Repository};
use crate::telegram::keyboard;
use crate::telegram::pacer::Pacer;
use crate::telegram::split::{Measure, TELEGRAM_LIMIT, split_html};
use crate::wecom::client::SendError;
use crate::wecom::render as wecom_render;
use crate::wecom::sender::Sender;

/// Everything a worker needs.
pub struct Worker {
    pub repo: Arc<dyn Repository>,
    pub bot: teloxide::Bot,
    pub limits: Delivery,
    /// The configured group-robot mirrors; an outbox row names one by its name.
    pub mirrors: Vec<Mirror>,
    /// The HTTP client for mirrors.
    pub http: reqwest::Client,
    pub default_lang: Lang,
    /// How often to look for due rows when there is nothing to do.
    pub idle_poll: Duration,
    /// The first retry's delay; each further one doubles it (2 s in service).
    pub retry_base: Duration,
    /// Due times, leases and the robots' signatures are read from it.
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    /// Telegram's limits, shared with the bot's answers (a 429 pauses both).
    pub pacer: Arc<Pacer>,
    /// The WeCom app's client and per-member limits, shared with its answers; `None` without
    /// a `[wecom]` section (a row for WeCom then becomes a dead letter saying so).
    pub wecom: Option<Arc<Sender>>,
}

/// How long a stopping worker waits for sends under way before it releases their rows.
const GRACE: Duration = Duration::from_secs(5);
/// At most this many sends under way at once (each waits for its slot first).
const IN_FLIGHT: usize = 256;

impl Worker {
    /// Runs until `stop` is cancelled, then finishes or releases the rows it holds.
    pub async fn run(self, stop: CancellationToken) {
        let this = Arc::new(self);
        // This worker's mark on the rows it claims: its results count only while it holds them.
        let me: i64 = rand::random_range(1..i64::MAX);
        let pacers = Arc::new(Pacers {
            telegram: Arc::clone(&this.pacer),
            mirrors: Pacer::new(&this.limits),
        });
        let lease = Duration::from_secs(this.limits.lease_seconds.into());
        let slots_total = IN_FLIGHT;
        let slots = Arc::new(Semaphore::new(slots_total));
        let held: Arc<Mutex<HashSet<i64>>> = Arc::default();
        let mut sends = JoinSet::new();
        while !stop.is_cancelled() {
            while let Some(done) = sends.try_join_next() {
                if let Err(e) = done {
                    tracing::error!(error = %e, "a send task failed; its lease brings the row back");
                }
            }
            // No more rows out at once than go out well within a lease at the pace now (lower
            // after a 429), so a row does not outwait its lease in the pacer's queue.
            let under_way = slots_total - slots.available_permits();
            let per_lease = (pacers.telegram.pace() * lease.as_secs_f64() / 2.0) as usize;
            let room = slots
                .available_permits()
                .min(per_lease.max(1).saturating_sub(under_way));
            let claimed = if room == 0 {
                Vec::new()
            } else {
                let now = this.clock.now();
                let until = now + chrono::Duration::from_std(lease).expect("lease fits");
                match this.repo.claim_outbox(me, now, until, room as i64).await {
                    Ok(rows) => rows,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot claim outbox rows");
                        Vec::new()
                    }
                }
            };
            let idle = claimed.is_empty();
            for row in claimed {
                // A row of ours whose lease ran out while it waited: it is still under way here.
                if !held.lock().expect("held lock").insert(row.id) {
                    continue;
                }
                let permit = slots.clone().acquire_owned().await.expect("semaphore open");
                let (this, pacers, held) = (this.clone(), pacers.clone(), held.clone());
                let stop = stop.clone();
                let span = match row.suggestion {
                    Some(no) => tracing::info_span!("send", row = row.id, no = %no),
                    None => tracing::info_span!("send", row = row.id),
                };
                sends.spawn(async move {
                    let id = row.id;
                    this.deliver(me, row, &pacers, &stop).instrument(span).await;
                    held.lock().expect("held lock").remove(&id);
                    drop(permit);
                });
            }
            // Each claim is a write transaction (on SQLite it takes the database's write
            // lock): look again soon only when the last look found work.
            let pause = if !idle {
                Duration::from_millis(50)
            } else if sends.is_empty() {
                this.idle_poll
            } else {
                this.idle_poll.min(Duration::from_millis(200))
            };
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = tokio::time::sleep(pause) => {}
            }
        }
        // Stopping: no new claims; let sends under way finish, then give back the rest.
        let _ =
            tokio::time::timeout(GRACE, async { while sends.join_next().await.is_some() {} }).await;
        sends.abort_all();
        while sends.join_next().await.is_some() {}
        let left: Vec<i64> = held.lock().expect("held lock").drain().collect();
        if !left.is_empty()
            && let Err(e) = this.repo.outbox_release(me, &left).await
        {
            tracing::error!(error = %e, rows = left.len(), "cannot release outbox rows; their lease will");
        }
    }

    /// Sends one row (all its parts) and records the outcome.
    async fn deliver(&self, me: i64, row: OutboxRow, pacers: &Pacers, stop: &CancellationToken) {
        let outcome = if row.attempts > i64::from(self.limits.max_attempts) {
            // Claimed again and again without a result (its senders died): give up on it.
            let last = row.last_error.clone().unwrap_or_else(|| "no result".into());
            Err(Failure::Permanent(format!(
                "gave up after {} attempts: {last}",
                row.attempts - 1
            )))
        } else {
            match row.channel {
                Channel::Telegram => {
                    self.deliver_telegram(me, &row, &pacers.telegram, stop)
                        .await
                }
                Channel::WeComApp => self.deliver_wecom(me, &row, stop).await.map(|()| None),
                Channel::Mirror(_) => self
                    .deliver_mirror(me, &row, &pacers.mirrors, stop)
                    .await
                    .map(|()| None),
            }
        };
        let now = self.clock.now();
        let channel = row.channel.as_str();
        let recorded = match outcome {
            Ok(message_id) => {
                self.metrics.send(channel, SendResult::Sent);
                self.repo.outbox_sent(me, row.id, message_id, now).await
            }
            Err(Failure::Stopped) => self.repo.outbox_release(me, &[row.id]).await,
            Err(Failure::RateLimited(wait)) => {
                self.metrics.send(channel, SendResult::RateLimited);
                let due = now + chrono::Duration::from_std(wait).unwrap_or_default();
                let reason = match row.channel {
                    Channel::WeComApp => "rate limited (WeCom 45009/45033)",
                    Channel::Telegram | Channel::Mirror(_) => "rate limited (429)",
                };
                self.repo.outbox_retry(me, row.id, reason, due, false).await
            }
            Err(Failure::Waiting(wait)) => {
                // Not a failure: the last real error, if any, stays the row's reason.
                let due = now + chrono::Duration::from_std(wait).unwrap_or_default();
                let reason = row
                    .last_error
                    .as_deref()
                    .unwrap_or("waiting for room in the recipient's limit");
                self.repo.outbox_retry(me, row.id, reason, due, false).await
            }
            Err(Failure::Transient(reason)) if (row.attempts as u32) < self.limits.max_attempts => {
                let delay = backoff(self.retry_base, row.attempts);
                let due = now + chrono::Duration::from_std(delay).unwrap_or_default();
                tracing::warn!(row = row.id, attempt = row.attempts, %reason, "send failed; will retry");
                self.metrics.send(channel, SendResult::Retried);
                self.repo.outbox_retry(me, row.id, &reason, due, true).await
            }
            Err(Failure::Transient(reason) | Failure::Permanent(reason)) => {
                tracing::warn!(row = row.id, %reason, "dead letter");
                self.metrics.send(channel, SendResult::Dead);
                let lang = self.default_lang;
                self.repo.outbox_dead(me, row.id, &reason, now, lang).await
            }
        };
        if let Err(e) = recorded {
            // The lease brings the row back; at worst it is sent again.
            tracing::error!(row = row.id, error = %e, "cannot record a delivery");
        }
    }

    async fn deliver_telegram(
        &self,
        me: i64,
        row: &OutboxRow,
        pacer: &Pacer,
        stop: &CancellationToken,
    ) -> Result<Option<i64>, Failure> {
        let chat: i64 = row
            .target
            .parse()
            .map_err(|_| Failure::Permanent(format!("not a chat id: {:?}", row.target)))?;
        if row.key == FILE_DOCUMENT || row.key == FILE_PHOTO {
            return self.send_file(chat, row, pacer, stop).await;
        }
        let to = Destination::Telegram(chat);
        self.send_in_parts(me, row, &to, pacer, stop).await
    }

    /// Sends a row to a member of the WeCom app: its text, and what it asks as a card with
    /// buttons. Each message is a part: a retry goes on from the first not sent.
    async fn deliver_wecom(
        &self,
        me: i64,
        row: &OutboxRow,
        stop: &CancellationToken,
    ) -> Result<(), Failure> {
        let Some(sender) = &self.wecom else {
            return Err(Failure::Permanent(
                "WeCom is not configured (no [wecom] section)".into(),
            ));
        };
        if row.key == FILE_DOCUMENT || row.key == FILE_PHOTO {
            return Err(Failure::Permanent("files go to Telegram chats only".into()));
        }
        let html = render(row);
        // The member reads it outside the group's chat: the group's name gives the context.
        let group = row
            .args
            .iter()
            .find(|(k, _)| k == GROUP_ARG)
            .map(|(_, g)| g.as_str());
        let messages = match (row.ask, group) {
            (Some(ask), _) => wecom_render::card(&html, &for_ask(ask, row.lang), group),
            (None, Some(group)) => wecom_render::texts(&wecom_render::in_group(group, &html)),
            (None, None) => wecom_render::texts(&html),
        };
        let first = row.parts_sent.max(0) as usize;
        for (i, message) in messages.iter().enumerate().skip(first) {
            if stop.is_cancelled() {
                return Err(Failure::Stopped);
            }
            // No room for this member now: the row comes back when there is, and holds no
            // send slot (nor its lease) meanwhile.
            if let Some(wait) = sender.pacer.try_take(&row.target) {
                return Err(Failure::Waiting(wait));
            }
            match sender.client.send(&row.target, message).await {
                Ok(_) => {}
                Err(SendError::RateLimited { .. }) => {
                    sender.pacer.pause(sender.rate_pause);
                    return Err(Failure::RateLimited(sender.rate_pause));
                }
                Err(e) if e.retry() => return Err(Failure::Transient(e.to_string())),
                Err(e) => return Err(Failure::Permanent(e.to_string())),
            }
            if i + 1 < messages.len() {
                self.record_part(me, row.id, i as i64 + 1).await;
            }
        }
        Ok(())
    }

    /// Sends a row to a group-robot mirror, in parts small enough for every platform.
    async fn deliver_mirror(
        &self,
        me: i64,
        row: &OutboxRow,
        pacer: &Pacer,
        stop: &CancellationToken,
    ) -> Result<(), Failure> {
        let gone =
            || Failure::Permanent(format!("mirror {:?} is no longer configured", row.target));
        let (index, mirror) = self.mirror_of(&row.target).ok_or_else(gone)?;
        if Channel::Mirror(mirror.kind) != row.channel {
            return Err(gone());
        }
        let to = Destination::Mirror(index, mirror);
        self.send_in_parts(me, row, &to, pacer, stop)
            .await
            .map(|_| ())
    }

    /// The mirror an outbox row is addressed to (`name:scope`), with its place in the list
    /// (for pacing), if it still has that scope; a row queued before mirrors had names is
    /// addressed `index:scope` and goes to the mirror at that place with that scope.
    fn mirror_of(&self, target: &str) -> Option<(usize, &Mirror)> {
        let (name, scope) = target.split_once(':')?;
        let named = self
            .mirrors
            .iter()
            .enumerate()
            .find(|(_, m)| m.name == name);
        let (index, mirror) = match named {
            Some(found) => found,
            None => {
                let index: usize = name.parse().ok()?;
                (index, self.mirrors.get(index)?)
            }
        };
        (mirror.scope == scope).then_some((index, mirror))
    }

    /// Renders a row, splits it into parts small enough for `to`, and sends the parts not sent
    /// yet, each in its turn; answers the last message id.
    async fn send_in_parts(
        &self,
        me: i64,
        row: &OutboxRow,
        to: &Destination<'_>,
        pacer: &Pacer,
        stop: &CancellationToken,
    ) -> Result<Option<i64>, Failure> {
        let (limit, measure) = to.limit();
        let parts = split_html(&render(row), limit, measure);
        let pacing_key = to.pacing_key();
        let mut last = None;
        let first = row.parts_sent.max(0) as usize;
        for (i, part) in parts.iter().enumerate().skip(first) {
            wait_turn(pacer, pacing_key, stop).await?;
            // The buttons for the next step go under the last part.
            let buttons = (i + 1 == parts.len()).then(|| buttons(row)).flatten();
            match self.send_part(to, part, buttons).await {
                Ok(id) => {
                    pacer.sent();
                    last = id;
                }
                Err(Failure::RateLimited(wait)) => {
                    pacer.rate_limited(pacing_key, wait);
                    return Err(Failure::RateLimited(wait));
                }
                Err(e) => return Err(e),
            }
            if i + 1 < parts.len() {
                self.record_part(me, row.id, i as i64 + 1).await;
            }
        }
        Ok(last)
    }
}

impl Worker {
    /// Sends the file a row carries (made when its job ran).
    async fn send_file(
        &self,
        chat: i64,
        row: &OutboxRow,
        pacer: &Pacer,
        stop: &CancellationToken,
    ) -> Result<Option<i64>, Failure> {
        let (name, bytes) = match self.repo.outbox_file(row.id).await {
            Ok(Some(file)) => file,
            Ok(None) => return Err(Failure::Permanent("the row's file is missing".into())),
            Err(e) => return Err(Failure::Transient(format!("cannot read the file: {e}"))),
        };
        wait_turn(pacer, chat, stop).await?;
        let photo = row.key == FILE_PHOTO;
        match telegram::send_file(&self.bot, chat, &name, bytes, photo).await {
            Err(Failure::RateLimited(wait)) => {
                pacer.rate_limited(chat, wait);
                Err(Failure::RateLimited(wait))
            }
            Ok(id) => {
                pacer.sent();
                Ok(Some(id))
            }
            Err(e) => Err(e),
        }
    }
}

/// One pacer per platform: a 429 from Telegram says nothing about the group robots.
struct Pacers {
    telegram: Arc<Pacer>,
    mirrors: Pacer,
}

/// Where a row goes: a Telegram chat, or a configured group robot (with its place in the
/// list, which keys its pacing).
enum Destination<'a> {
    Telegram(i64),
    Mirror(usize, &'a Mirror),
}

impl Destination<'_> {
    /// A part's largest size, and how the platform counts it.
    fn limit(&self) -> (usize, Measure) {
        match self {
            Destination::Telegram(_) => (TELEGRAM_LIMIT, Measure::Shown),
            Destination::Mirror(..) => (MIRROR_LIMIT, Measure::Written),
        }
    }

    /// The pacer's key: the chat, or for a robot (about 20 messages a minute) a group-like key
    /// of its own.
    fn pacing_key(&self) -> i64 {
        match self {
            Destination::Telegram(chat) => *chat,
            Destination::Mirror(index, _) => MIRROR_PACING_KEY - *index as i64,
        }
    }
}

impl Worker {
    /// Sends one part; answers Telegram's message id (none for a robot).
    async fn send_part(
        &self,
        to: &Destination<'_>,
        part: &str,
        buttons: Option<InlineKeyboardMarkup>,
    ) -> Result<Option<i64>, Failure> {
        match to {
            Destination::Telegram(chat) => telegram::send_part(&self.bot, *chat, part, buttons)
                .await
                .map(Some),
            Destination::Mirror(_, m) => {
                let (url, secret) = (m.url.expose(), m.secret.as_ref().map(|s| s.expose()));
                match mirror::send(&self.http, m.kind, url, secret, part, self.clock.now()).await {
                    Ok(()) => Ok(None),
                    Err(e) if e.retryable() => Err(Failure::Transient(e.to_string())),
                    Err(e) => Err(Failure::Permanent(e.to_string())),
                }
            }
        }
    }

    /// Notes that a part of a split message went out; if that cannot be recorded, a retry
    /// sends the part again (at least once, never lost).
    async fn record_part(&self, me: i64, id: i64, parts_sent: i64) {
        if let Err(e) = self.repo.outbox_part_sent(me, id, parts_sent).await {
            tracing::warn!(row = id, error = %e, "cannot record a sent part");
        }
    }
}

/// Waits for the slot of `chat`, unless the worker stops first (checked first): a part not
/// yet sent is not sent on the way out, so a clean stop sends nothing twice.
async fn wait_turn(pacer: &Pacer, chat: i64, stop: &CancellationToken) -> Result<(), Failure> {
    tokio::select! {
        biased;
        _ = stop.cancelled() => Err(Failure::Stopped),
        _ = pacer.wait(chat) => Ok(()),
    }
}

/// Mirror parts in UTF-16 units: 1,300 Chinese characters stay within WeCom's 4,096 bytes.
const MIRROR_LIMIT: usize = 1300;
/// Pacer keys of mirrors: far below any Telegram chat id.
const MIRROR_PACING_KEY: i64 = -1_000_000_000_000_000;

/// The row's text in its reader's language, every argument escaped.
pub fn render(row: &OutboxRow) -> String {
    let args: Vec<(&str, String)> = row
        .args
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    i18n::text(row.lang, &row.key, &args)
}

/// The buttons under a row's message: what it asks of its reader (none for most; robots
/// take none).
fn buttons(row: &OutboxRow) -> Option<InlineKeyboardMarkup> {
    if row.channel != Channel::Telegram {
        return None;
    }
    keyboard::markup(&for_ask(row.ask?, row.lang))
}

/// `base`, twice that, four times … up to 10 minutes, each ±25 % so retries of many rows
/// spread out.
pub fn backoff(base: Duration, attempt: i64) -> Duration {
    let exp = attempt.clamp(1, 16) as u32 - 1;
    let base = base.saturating_mul(1 << exp).min(Duration::from_secs(600));
    let jitter: f64 = rand::random_range(0.75..1.25);
    base.mul_f64(jitter)
}
