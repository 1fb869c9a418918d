//! Group commit of filings: the filings that arrive while one transaction of filings is
//! being written wait, and the next transaction writes all of them.
//!
//! Every filing takes the year's next number, so filings commit one after another whatever
//! the backend (SQLite's one write lock; PostgreSQL's counter row, locked to the commit).
//! A commit is what costs: writing the WAL (and on PostgreSQL waiting for its flush to disk).
//! Written together, a burst of filings pays for one commit instead of one each.
//!
//! What a filing promises does not change:
//! - Its record, event, outbox rows and update id still commit together or not at all: each
//!   filing runs in its own savepoint, and a filing that is refused or fails is rolled back to
//!   it alone, giving its number back, so the numbers of the others stay gapless.
//! - Nobody hears "filed" before the commit: answers are sent after it. If the commit
//!   fails, every filing of the transaction answers that nothing was changed.
//! - The filings run in the order they arrived.
//!
//! The transaction runs in a task of its own, so a caller that goes away (a closed HTTP
//! connection) cannot cancel it halfway and leave the others without their answer.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

use super::{ActError, Applied, LoopPolicy, StoreError, Who};
use crate::domain::Draft;

/// At most this many filings share a transaction; the rest wait for the next one, so the
/// write lock is never held for long. 64: PostgreSQL keeps up to 64 subtransactions (our
/// savepoints) of a transaction in shared memory; past that, every other session's snapshot
/// must look them up on disk while the transaction is open.
pub const MAX_FILINGS: usize = 64;

/// The answer to one filing.
pub type Answer = Result<Applied, ActError>;

/// One `Repository::file` call waiting for its transaction.
pub struct FilingJob {
    pub policy: LoopPolicy,
    pub who: Who,
    pub draft: Draft,
    pub now: DateTime<Utc>,
    pub update: Option<i64>,
    answer: oneshot::Sender<Answer>,
}

/// The filings waiting, and the turn of the one transaction that writes them.
#[derive(Default)]
pub struct Filings {
    waiting: Mutex<Vec<FilingJob>>,
    turn: tokio::sync::Mutex<()>,
}

impl Filings {
    /// Queues a filing; answers where its answer will come.
    pub fn push(
        &self,
        policy: &LoopPolicy,
        who: Who,
        draft: Draft,
        now: DateTime<Utc>,
        update: Option<i64>,
    ) -> oneshot::Receiver<Answer> {
        let (answer, answered) = oneshot::channel();
        let job = FilingJob {
            policy: policy.clone(),
            who,
            draft,
            now,
            update,
            answer,
        };
        self.queue().push(job);
        answered
    }

    /// Waits for the turn to write; `None` when no filing waits any more (an earlier turn
    /// took them). Each `push` is followed by one call, so every filing meets a turn.
    pub async fn turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        let turn = self.turn.lock().await;
        (!self.queue().is_empty()).then_some(turn)
    }

    /// The filings to write now, oldest first (taken once the transaction has begun, so
    /// the ones that arrived meanwhile come too).
    pub fn take(&self) -> Vec<FilingJob> {
        let mut waiting = self.queue();
        let now = waiting.len().min(MAX_FILINGS);
        let rest = waiting.split_off(now);
        std::mem::replace(&mut *waiting, rest)
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, Vec<FilingJob>> {
        // A panic while the lock is held leaves the vector whole.
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl FilingJob {
    /// Sends the answer (a caller that went away no longer wants it).
    pub fn answer(self, answer: Answer) {
        let _ = self.answer.send(answer);
    }
}

/// Answers every filing of a transaction that did not commit: whatever each one did in it
/// is gone. A refusal stays the refusal (it changed nothing either way).
pub fn answer_uncommitted(done: Vec<(FilingJob, Answer)>, why: &str) {
    for (job, answer) in done {
        let answer = match answer {
            Ok(_) => Err(uncommitted(why)),
            Err(refused) => Err(refused),
        };
        job.answer(answer);
    }
}

/// Answers the filings of a transaction that could not begin.
pub fn answer_unbegun(jobs: Vec<FilingJob>, why: &str) {
    for job in jobs {
        job.answer(Err(uncommitted(why)));
    }
}

/// The error of a filing whose transaction did not commit.
pub fn uncommitted(why: &str) -> ActError {
    StoreError::Uncommitted(why.to_string()).into()
}

/// Waits for a filing's answer; a transaction task that ended without answering (it
/// panicked) committed nothing of it.
pub async fn answered(answer: oneshot::Receiver<Answer>) -> Answer {
    answer
        .await
        .unwrap_or_else(|_| Err(uncommitted("the transaction ended without an answer")))
}
