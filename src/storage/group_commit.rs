//! Group commit of filings: the filings that arrive while one transaction of filings is
//! being written wait, and the next transaction writes all of them.
//!
//! Every filing takes the year's next number, so filings commit one after another whatever
//! the backend (SQLite's one write lock; PostgreSQL's counter row, locked to the commit).
//! A commit is what costs: writing the WAL (and on PostgreSQL waiting for its flush to disk).
//! Written together, a burst of filings pays for one commit instead of one each.
//!
//! What a filing promises does not change:
//! - Its record, event, outbox rows and update id commit together or not at all, and numbers
//!   stay gapless. A filing that is refused (not on the roster, not a deputy, a bad draft)
//!   is refused before it writes anything, and the others go on. Every filing reads and
//!   checks before the first takes a number, so the year's counter row is locked no longer
//!   than a single filing locks it. A filing that fails after
//!   writing (a database error) rolls the whole transaction back: it is answered with its
//!   error, and the others are written again, in a new transaction, as if it had never come.
//! - Nobody hears "filed" before the commit: answers are sent after it. If the commit
//!   fails, every filing of the transaction answers that nothing was changed; if no
//!   transaction can begin (the database is gone), every filing waiting answers so.
//! - The filings run in the order they arrived.
//!
//! No savepoint per filing: one costs a round trip and, on SQLite, a copy of every page the
//! filing touches, and a failure after writing is rare (a fault, not a person's doing).
//!
//! The transactions run in a task of their own, so a caller that goes away (a closed HTTP
//! connection) cannot cancel one halfway and leave the others without their answer.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

use super::{ActError, Applied, LoopPolicy, StoreError, Who};
use crate::domain::Draft;

/// At most this many filings share a transaction; the rest wait for the next one, so the
/// write lock is never held for long.
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

impl FilingJob {
    /// Sends the answer (a caller that went away no longer wants it).
    pub fn answer(self, answer: Answer) {
        let _ = self.answer.send(answer);
    }
}

/// What writing a transaction of filings came to.
pub enum Written {
    /// Each filing written, a duplicate, or refused without writing: commit, then answer.
    All(Vec<(FilingJob, Answer)>),
    /// `failed` failed after writing: roll back, answer it, and write the others `again`.
    Failed {
        failed: Box<(FilingJob, ActError)>,
        again: Vec<FilingJob>,
    },
}

/// The filings waiting, and the turn of the one task that writes them: it writes
/// transactions until none wait, so a filing never waits without a task to write it.
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
        self.waiting().then_some(turn)
    }

    /// The filings to write now, oldest first (taken once the transaction has begun, so
    /// the ones that arrived meanwhile come too); empty when none wait.
    pub fn take(&self) -> Vec<FilingJob> {
        let mut waiting = self.queue();
        let count = waiting.len().min(MAX_FILINGS);
        let rest = waiting.split_off(count);
        std::mem::replace(&mut *waiting, rest)
    }

    /// Every filing waiting (when no transaction can begin, they all fail).
    pub fn take_all(&self) -> Vec<FilingJob> {
        std::mem::take(&mut *self.queue())
    }

    /// Whether any filing waits.
    pub fn waiting(&self) -> bool {
        !self.queue().is_empty()
    }

    /// Puts filings back in front of the queue, in their order, to be written again.
    pub fn again(&self, jobs: Vec<FilingJob>) {
        let mut waiting = self.queue();
        let later = std::mem::replace(&mut *waiting, jobs);
        waiting.extend(later);
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, Vec<FilingJob>> {
        // A panic while the lock is held leaves the vector whole.
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Held by the task that writes the filings: if it ends before its work is done (a panic,
/// or its runtime shutting down), every filing still waiting is answered, so that no
/// caller waits for a task that is gone.
pub struct Writing<'a> {
    filings: &'a Filings,
    done: bool,
}

impl<'a> Writing<'a> {
    pub fn new(filings: &'a Filings) -> Self {
        Self {
            filings,
            done: false,
        }
    }

    /// The task ends with nothing waiting (or with what came since for the next task).
    pub fn done(mut self) {
        self.done = true;
    }
}

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        if !self.done {
            answer_unbegun(self.filings.take_all(), "the task writing filings ended");
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn push(filings: &Filings, update: i64) -> oneshot::Receiver<Answer> {
        let draft = Draft {
            title: format!("Filing {update}"),
            body: String::new(),
            category: "governance".into(),
            group: None,
            attachment: Default::default(),
        };
        filings.push(
            &LoopPolicy::default(),
            Who::Telegram(1),
            draft,
            Utc::now(),
            Some(update),
        )
    }

    fn updates(jobs: &[FilingJob]) -> Vec<i64> {
        jobs.iter().filter_map(|job| job.update).collect()
    }

    #[test]
    fn a_transaction_takes_at_most_its_share_oldest_first_and_failures_go_back_in_front() {
        let filings = Filings::default();
        let _answers: Vec<_> = (0..MAX_FILINGS as i64 + 3)
            .map(|u| push(&filings, u))
            .collect();
        let first = filings.take();
        assert_eq!(updates(&first), (0..MAX_FILINGS as i64).collect::<Vec<_>>());
        assert!(filings.waiting());
        // The first transaction failed on one filing: the others go before the later ones.
        filings.again(first.into_iter().skip(1).collect());
        let second = filings.take();
        assert_eq!(updates(&second)[..3], [1, 2, 3]);
        assert_eq!(
            updates(&second).last(),
            Some(&(MAX_FILINGS as i64)),
            "the oldest of the later ones fills the share"
        );
        let m = MAX_FILINGS as i64;
        assert_eq!(updates(&filings.take_all()), [m + 1, m + 2]);
        assert!(!filings.waiting());
    }

    #[tokio::test]
    async fn an_answer_lost_with_its_task_reads_as_uncommitted() {
        let filings = Filings::default();
        let answer = push(&filings, 1);
        drop(filings.take_all());
        match answered(answer).await {
            Err(ActError::Store(StoreError::Uncommitted(_))) => {}
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_failed_commit_answers_uncommitted_but_keeps_refusals() {
        let filings = Filings::default();
        let (kept, refused) = (push(&filings, 1), push(&filings, 2));
        let mut jobs = filings.take().into_iter();
        let (a, b) = (jobs.next().unwrap(), jobs.next().unwrap());
        answer_uncommitted(
            vec![
                (a, Ok(Applied::Duplicate)),
                (b, Err(ActError::UnknownPerson)),
            ],
            "disk full",
        );
        assert!(matches!(
            answered(kept).await,
            Err(ActError::Store(StoreError::Uncommitted(why))) if why == "disk full"
        ));
        assert!(matches!(
            answered(refused).await,
            Err(ActError::UnknownPerson)
        ));
    }
}
