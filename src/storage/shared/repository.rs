//! The `Repository` implementation both backends share.

/// The [`Repository`](crate::storage::Repository) implementation both backends share: each
/// method takes a read connection or a write transaction from the backend and runs the
/// shared queries in it. The backend type provides `write()`, `write_roster()`, `read()`,
/// `poll_lock_in()`, `MIGRATOR` and `pool`.
macro_rules! repository_impl {
    ($Repo:ty, $q:ident) => {
        // In a const block so the imports stay inside.
        const _: () = {
            use chrono::{DateTime, Utc};

            use $crate::domain::{Draft, PersonId, ResidentNo, Suggestion, SuggestionNo};
            use $crate::roster::RosterBatch;
            use $crate::storage::roster::{ImportFailure, ImportReport};
            use $crate::storage::{
                Account, ActError, Applied, BindTarget, DeadLetter, DialogueRow, EventRecord,
                InviteError, LedgerRow, Listed, LoopPolicy, MonthlyStats, NewRequest, OrgGroups,
                OutboxRow, Page, PollGuard, Request, RequestApplied, RequestListed, RequestTarget,
                StoreError, SuggestionView, Talk, Who, to_ms,
            };

            use $crate::storage::group_commit::{self, Filings, Written};

            /// Writes transactions of the filings waiting until none wait: the task a filing
            /// spawns once it is queued (see `group_commit`).
            async fn write_filings(writer: Writer, filings: std::sync::Arc<Filings>) {
                let Some(_turn) = filings.turn().await else {
                    return;
                };
                let writing = group_commit::Writing::new(&filings);
                // A failure puts the others back in front, so the loop writes them too.
                while write_once(&writer, &filings).await && filings.waiting() {}
                writing.done();
            }

            /// One transaction of the filings waiting, committed and answered; `false` when
            /// none could begin (every filing waiting is then answered so).
            async fn write_once(writer: &Writer, filings: &Filings) -> bool {
                let mut tx = match writer.write_filings().await {
                    Ok(tx) => tx,
                    Err(e) => {
                        group_commit::answer_unbegun(filings.take_all(), &e.to_string());
                        return false;
                    }
                };
                match $q::file_each(&mut *tx, filings.take()).await {
                    Written::All(done) => match tx.commit().await {
                        Ok(()) => done
                            .into_iter()
                            .for_each(|(job, answer)| job.answer(answer)),
                        Err(e) => group_commit::answer_uncommitted(done, &e.to_string()),
                    },
                    Written::Failed { failed, again } => {
                        let (job, error) = *failed;
                        // Dropped, it would roll back only when its connection is next used;
                        // the next transaction must not wait.
                        let _ = tx.rollback().await;
                        job.answer(Err(error));
                        filings.again(again);
                    }
                }
                true
            }

            #[async_trait::async_trait]
            impl $crate::storage::Repository for $Repo {
                async fn migrate(&self) -> Result<(), StoreError> {
                    Self::MIGRATOR.run(&self.pool).await?;
                    Ok(())
                }

                async fn readiness(&self) -> Result<(), crate::storage::NotReady> {
                    use crate::storage::NotReady;
                    let mut c = self
                        .read()
                        .await
                        .map_err(|e| NotReady::NoAnswer(e.to_string()))?;
                    sqlx::query("SELECT 1")
                        .execute(&mut *c)
                        .await
                        .map_err(|e| NotReady::NoAnswer(e.to_string()))?;
                    // No migrations table yet: a database minyi never migrated.
                    let applied: Vec<i64> =
                        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                            .fetch_all(&mut *c)
                            .await
                            .map_err(|_| NotReady::NeverMigrated)?;
                    let missing: Vec<i64> = Self::MIGRATOR
                        .iter()
                        .map(|m| m.version)
                        .filter(|version| !applied.contains(version))
                        .collect();
                    match missing.is_empty() {
                        true => Ok(()),
                        false => Err(NotReady::Behind(missing)),
                    }
                }

                async fn outbox_gauges(
                    &self,
                    now: DateTime<Utc>,
                ) -> Result<crate::metrics::OutboxGauges, StoreError> {
                    let mut c = self.read().await?;
                    Ok($q::outbox_gauges_in(&mut c, to_ms(now)).await?)
                }

                async fn roster_gaps(
                    &self,
                    wecom: bool,
                ) -> Result<crate::storage::RosterGaps, StoreError> {
                    let mut c = self.read().await?;
                    Ok($q::roster_gaps_in(&mut c, wecom).await?)
                }

                async fn purge_sent(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
                    let mut tx = self.write().await?;
                    let removed = $q::purge_sent_in(&mut *tx, to_ms(before)).await?;
                    tx.commit().await?;
                    Ok(removed)
                }

                async fn backup(
                    &self,
                    file: &std::path::Path,
                ) -> Result<crate::storage::Backup, StoreError> {
                    self.backup_in(file).await
                }

                fn pool_state(&self) -> (u32, u32) {
                    let idle = self.pool.num_idle() as u32;
                    (self.pool.size().saturating_sub(idle), idle)
                }

                fn single_process(&self) -> bool {
                    Self::SINGLE_PROCESS
                }

                async fn file(
                    &self,
                    policy: &LoopPolicy,
                    who: Who,
                    draft: Draft,
                    now: DateTime<Utc>,
                    update: Option<i64>,
                ) -> Result<Applied, ActError> {
                    let answer = self.filings.push(policy, who, draft, now, update);
                    // The transactions are a task of their own (see `group_commit`).
                    let filings = std::sync::Arc::clone(&self.filings);
                    tokio::spawn(write_filings(self.writer(), filings));
                    group_commit::answered(answer).await
                }

                async fn act(
                    &self,
                    policy: &LoopPolicy,
                    who: Who,
                    no: SuggestionNo,
                    request: Request,
                    now: DateTime<Utc>,
                    update: Option<i64>,
                ) -> Result<Applied, ActError> {
                    let mut tx = self.write().await?;
                    let applied =
                        $q::act_in(&mut *tx, policy, who, no, request, now, update).await?;
                    tx.commit().await?;
                    Ok(applied)
                }

                async fn suggestion_for(
                    &self,
                    who: Who,
                    no: SuggestionNo,
                ) -> Result<Suggestion, ActError> {
                    let mut c = self.read().await?;
                    let actor = $q::load_actor(&mut c, who).await?;
                    $q::visible(&mut c, &actor, no, false).await
                }

                async fn suggestion(
                    &self,
                    no: SuggestionNo,
                ) -> Result<Option<Suggestion>, StoreError> {
                    $q::load_suggestion(&mut *self.read().await?, no, false).await
                }

                async fn timeline(
                    &self,
                    who: Who,
                    no: SuggestionNo,
                ) -> Result<Vec<EventRecord>, ActError> {
                    let mut c = self.read().await?;
                    let actor = $q::load_actor(&mut c, who).await?;
                    $q::visible(&mut c, &actor, no, false).await?;
                    Ok($q::timeline_of(&mut c, no).await?)
                }

                async fn outbox_after(
                    &self,
                    after: i64,
                    limit: i64,
                ) -> Result<Vec<OutboxRow>, StoreError> {
                    $q::outbox_rows(&mut *self.read().await?, after, limit).await
                }

                async fn scope_exists(&self, code: &str) -> Result<bool, StoreError> {
                    Ok($q::scope_exists_in(&mut *self.read().await?, code).await?)
                }

                async fn claim_outbox(
                    &self,
                    worker: i64,
                    now: DateTime<Utc>,
                    lease_until: DateTime<Utc>,
                    limit: i64,
                ) -> Result<Vec<OutboxRow>, StoreError> {
                    let mut tx = self.write().await?;
                    let rows =
                        $q::claim_in(&mut *tx, worker, to_ms(now), to_ms(lease_until), limit)
                            .await?;
                    tx.commit().await?;
                    Ok(rows)
                }

                async fn outbox_part_sent(
                    &self,
                    worker: i64,
                    id: i64,
                    parts_sent: i64,
                ) -> Result<(), StoreError> {
                    let mut tx = self.write().await?;
                    $q::part_sent_in(&mut *tx, worker, id, parts_sent).await?;
                    Ok(tx.commit().await?)
                }

                async fn outbox_sent(
                    &self,
                    worker: i64,
                    id: i64,
                    message_id: Option<i64>,
                    now: DateTime<Utc>,
                ) -> Result<(), StoreError> {
                    let mut tx = self.write().await?;
                    $q::sent_in(&mut *tx, worker, id, message_id, to_ms(now)).await?;
                    Ok(tx.commit().await?)
                }

                async fn outbox_retry(
                    &self,
                    worker: i64,
                    id: i64,
                    error: &str,
                    due_at: DateTime<Utc>,
                    counts: bool,
                ) -> Result<(), StoreError> {
                    let mut tx = self.write().await?;
                    $q::retry_in(&mut *tx, worker, id, error, to_ms(due_at), counts).await?;
                    Ok(tx.commit().await?)
                }

                async fn outbox_release(&self, worker: i64, ids: &[i64]) -> Result<(), StoreError> {
                    let mut tx = self.write().await?;
                    $q::release_in(&mut *tx, worker, ids).await?;
                    Ok(tx.commit().await?)
                }

                async fn outbox_dead(
                    &self,
                    worker: i64,
                    id: i64,
                    reason: &str,
                    now: DateTime<Utc>,
                    default_lang: crate::i18n::Lang,
                ) -> Result<(), StoreError> {
                    let mut tx = self.write().await?;
                    $q::dead_in(&mut *tx, worker, id, reason, to_ms(now), default_lang).await?;
                    Ok(tx.commit().await?)
                }

                async fn outbox_status(&self) -> Result<Vec<(String, i64)>, StoreError> {
                    Ok($q::status_in(&mut *self.read().await?).await?)
                }

                async fn dead_letters(&self, limit: i64) -> Result<Vec<DeadLetter>, StoreError> {
                    Ok($q::dead_letters_in(&mut *self.read().await?, limit).await?)
                }

                async fn retry_dead(
                    &self,
                    id: Option<i64>,
                    now: DateTime<Utc>,
                ) -> Result<u64, StoreError> {
                    let mut tx = self.write().await?;
                    let n = $q::revive_in(&mut *tx, id, to_ms(now)).await?;
                    tx.commit().await?;
                    Ok(n)
                }

                async fn import_roster(
                    &self,
                    batch: &RosterBatch,
                    progress: Option<&(dyn Fn(u64) + Send + Sync)>,
                ) -> Result<ImportReport, ImportFailure> {
                    let mut tx = self.write_roster().await?;
                    let report = $q::import_in(&mut *tx, batch, progress).await?;
                    tx.commit().await?;
                    Ok(report)
                }

                async fn create_invite(
                    &self,
                    who: Who,
                    person_code: &str,
                    token_hash: &str,
                    now: DateTime<Utc>,
                    expires_at: DateTime<Utc>,
                    update: Option<i64>,
                ) -> Result<String, InviteError> {
                    let mut tx = self.write().await?;
                    let (now, expires_at) = (to_ms(now), to_ms(expires_at));
                    let name = $q::create_invite_in(
                        &mut *tx,
                        who,
                        person_code,
                        token_hash,
                        now,
                        expires_at,
                        update,
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(name)
                }

                async fn redeem_invite(
                    &self,
                    token_hash: &str,
                    telegram_id: i64,
                    now: DateTime<Utc>,
                ) -> Result<PersonId, InviteError> {
                    let mut tx = self.write().await?;
                    let person =
                        $q::redeem_invite_in(&mut *tx, token_hash, telegram_id, to_ms(now)).await?;
                    tx.commit().await?;
                    Ok(person)
                }

                async fn bind_chat(
                    &self,
                    who: Who,
                    chat_id: i64,
                    target: BindTarget,
                    now: DateTime<Utc>,
                ) -> Result<(), ActError> {
                    let mut tx = self.write().await?;
                    $q::bind_chat_in(&mut *tx, who, chat_id, &target, to_ms(now)).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn group_id(
                    &self,
                    code: &str,
                ) -> Result<Option<$crate::domain::GroupId>, StoreError> {
                    let row = sqlx::query("SELECT id FROM deputy_groups WHERE code = $1")
                        .bind(code)
                        .fetch_optional(&mut *self.read().await?)
                        .await?;
                    Ok(row.map(|r| $crate::domain::GroupId(sqlx::Row::get(&r, 0))))
                }

                async fn account(&self, telegram_id: i64) -> Result<Account, StoreError> {
                    $q::account_in(&mut *self.read().await?, telegram_id).await
                }

                async fn channels(&self, who: Who) -> Result<crate::storage::Channels, ActError> {
                    $q::channels_in(&mut *self.read().await?, who).await
                }

                async fn set_channel(
                    &self,
                    who: Who,
                    preferred: Option<crate::domain::reach::PersonChannel>,
                ) -> Result<(), ActError> {
                    let mut tx = self.write().await?;
                    $q::set_channel_in(&mut *tx, who, preferred).await?;
                    Ok(tx.commit().await.map_err(StoreError::from)?)
                }

                async fn create_web_link(
                    &self,
                    who: Who,
                    token_hash: &str,
                    now: DateTime<Utc>,
                    expires_at: DateTime<Utc>,
                ) -> Result<PersonId, ActError> {
                    let mut tx = self.write().await?;
                    let person = $q::create_web_link_in(
                        &mut *tx,
                        who,
                        token_hash,
                        to_ms(now),
                        to_ms(expires_at),
                    )
                    .await?;
                    tx.commit().await.map_err(StoreError::from)?;
                    Ok(person)
                }

                async fn sign_in_with_link(
                    &self,
                    token_hash: &str,
                    session: &crate::storage::NewSession,
                    now: DateTime<Utc>,
                ) -> Result<PersonId, crate::storage::SignInError> {
                    let mut tx = self.write().await?;
                    let person =
                        $q::sign_in_with_link_in(&mut *tx, token_hash, session, to_ms(now)).await?;
                    tx.commit().await?;
                    Ok(person)
                }

                async fn web_session(
                    &self,
                    id_hash: &str,
                    now: DateTime<Utc>,
                ) -> Result<Option<crate::storage::WebSession>, StoreError> {
                    $q::web_session_in(&mut *self.read().await?, id_hash, to_ms(now)).await
                }

                async fn end_web_session(
                    &self,
                    id_hash: &str,
                    now: DateTime<Utc>,
                ) -> Result<bool, StoreError> {
                    let mut tx = self.write().await?;
                    let ended = $q::end_web_session_in(&mut *tx, id_hash, to_ms(now)).await?;
                    tx.commit().await?;
                    Ok(ended)
                }

                async fn sign_in_telegram(
                    &self,
                    telegram_id: i64,
                    session: &crate::storage::NewSession,
                    now: DateTime<Utc>,
                ) -> Result<PersonId, crate::storage::SignInError> {
                    let mut tx = self.write().await?;
                    let person =
                        $q::sign_in_telegram_in(&mut *tx, telegram_id, session, to_ms(now)).await?;
                    tx.commit().await?;
                    Ok(person)
                }

                async fn web_account(
                    &self,
                    person: PersonId,
                ) -> Result<Option<Account>, StoreError> {
                    $q::web_account_in(&mut *self.read().await?, person).await
                }

                async fn board(
                    &self,
                    who: Who,
                    filter: &crate::storage::BoardFilter,
                ) -> Result<Vec<crate::storage::BoardRow>, ActError> {
                    $q::board_in(&mut *self.read().await?, who, filter).await
                }

                async fn wall(
                    &self,
                    org: &str,
                    words: &[String],
                    no: Option<SuggestionNo>,
                    offset: i64,
                    limit: i64,
                ) -> Result<Page<crate::storage::WallEntry>, StoreError> {
                    $q::wall_in(&mut *self.read().await?, org, words, no, offset, limit).await
                }

                async fn wecom_account(&self, userid: &str) -> Result<Option<Account>, StoreError> {
                    $q::wecom_account_in(&mut *self.read().await?, userid).await
                }

                async fn set_lang(
                    &self,
                    talk: Talk,
                    lang: crate::i18n::Lang,
                    now: DateTime<Utc>,
                ) -> Result<(), StoreError> {
                    let mut tx = self.write().await?;
                    $q::set_lang_in(&mut *tx, talk, lang, to_ms(now)).await?;
                    Ok(tx.commit().await?)
                }

                async fn chat_binding(
                    &self,
                    chat_id: i64,
                ) -> Result<Option<BindTarget>, StoreError> {
                    Ok($q::chat_binding_in(&mut *self.read().await?, chat_id).await?)
                }

                async fn my_suggestions(
                    &self,
                    who: Who,
                    offset: i64,
                    limit: i64,
                ) -> Result<Page<Listed>, ActError> {
                    $q::my_suggestions_in(&mut *self.read().await?, who, offset, limit).await
                }

                async fn queue(&self, who: Who, limit: i64) -> Result<Page<Listed>, ActError> {
                    $q::queue_in(&mut *self.read().await?, who, limit).await
                }

                async fn overdue(
                    &self,
                    who: Who,
                    green_from: DateTime<Utc>,
                    limit: i64,
                ) -> Result<Page<Listed>, ActError> {
                    $q::overdue_in(&mut *self.read().await?, who, to_ms(green_from), limit).await
                }

                async fn view(
                    &self,
                    who: Who,
                    no: SuggestionNo,
                ) -> Result<SuggestionView, ActError> {
                    $q::view_in(&mut *self.read().await?, who, no).await
                }

                async fn assignable_units(
                    &self,
                    who: Who,
                ) -> Result<Vec<(String, String)>, ActError> {
                    $q::assignable_units_in(&mut *self.read().await?, who).await
                }

                async fn request_target_name(
                    &self,
                    target: &RequestTarget,
                ) -> Result<Option<String>, StoreError> {
                    Ok($q::request_target_name_in(&mut *self.read().await?, target).await?)
                }

                async fn open_request(
                    &self,
                    policy: &LoopPolicy,
                    request: NewRequest,
                    now: DateTime<Utc>,
                    update: Option<i64>,
                ) -> Result<RequestApplied, ActError> {
                    let mut tx = self.write().await?;
                    let applied =
                        $q::open_request_in(&mut *tx, policy, request, now, update).await?;
                    tx.commit().await?;
                    Ok(applied)
                }

                async fn inbox(
                    &self,
                    who: Who,
                    limit: i64,
                ) -> Result<Page<RequestListed>, ActError> {
                    $q::inbox_in(&mut *self.read().await?, who, limit).await
                }

                async fn adopt_request(
                    &self,
                    policy: &LoopPolicy,
                    who: Who,
                    no: ResidentNo,
                    category: Option<String>,
                    now: DateTime<Utc>,
                    update: Option<i64>,
                ) -> Result<RequestApplied, ActError> {
                    let mut tx = self.write().await?;
                    let applied =
                        $q::adopt_request_in(&mut *tx, policy, who, no, category, now, update)
                            .await?;
                    tx.commit().await?;
                    Ok(applied)
                }

                async fn decline_request(
                    &self,
                    policy: &LoopPolicy,
                    who: Who,
                    no: ResidentNo,
                    reason: &str,
                    now: DateTime<Utc>,
                    update: Option<i64>,
                ) -> Result<RequestApplied, ActError> {
                    let mut tx = self.write().await?;
                    let applied =
                        $q::decline_request_in(&mut *tx, policy, who, no, reason, now, update)
                            .await?;
                    tx.commit().await?;
                    Ok(applied)
                }

                async fn answer_solved(
                    &self,
                    policy: &LoopPolicy,
                    telegram_id: i64,
                    no: SuggestionNo,
                    solved: bool,
                    now: DateTime<Utc>,
                    update: Option<i64>,
                ) -> Result<RequestApplied, ActError> {
                    let mut tx = self.write().await?;
                    let applied = $q::answer_solved_in(
                        &mut *tx,
                        policy,
                        telegram_id,
                        no,
                        solved,
                        now,
                        update,
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(applied)
                }

                async fn dialogue(&self, talk: Talk) -> Result<Option<DialogueRow>, StoreError> {
                    Ok($q::dialogue_in(&mut *self.read().await?, talk).await?)
                }

                async fn save_dialogue(
                    &self,
                    talk: Talk,
                    state: Option<&str>,
                    now: DateTime<Utc>,
                    update: Option<i64>,
                ) -> Result<bool, StoreError> {
                    let mut tx = self.write().await?;
                    if !$q::mark_update(&mut *tx, update, to_ms(now)).await? {
                        return Ok(false);
                    }
                    $q::save_dialogue_in(&mut *tx, talk, state, to_ms(now)).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn may(
                    &self,
                    who: Who,
                    no: SuggestionNo,
                    kind: $crate::domain::ActionKind,
                ) -> Result<Suggestion, ActError> {
                    let mut c = self.read().await?;
                    let actor = $q::load_actor(&mut c, who).await?;
                    let s = $q::visible(&mut c, &actor, no, false).await?;
                    $crate::domain::permit(&actor, kind, &s.place())?;
                    Ok(s)
                }

                async fn permitted(
                    &self,
                    who: Who,
                    no: SuggestionNo,
                    kinds: &[$crate::domain::ActionKind],
                ) -> Result<Vec<$crate::domain::ActionKind>, ActError> {
                    let mut c = self.read().await?;
                    let actor = $q::load_actor(&mut c, who).await?;
                    let s = $q::visible(&mut c, &actor, no, false).await?;
                    let place = s.place();
                    Ok(kinds
                        .iter()
                        .copied()
                        .filter(|k| $crate::domain::allowed(&actor, *k, &place))
                        .collect())
                }

                async fn request_open_for(
                    &self,
                    who: Who,
                    no: $crate::domain::ResidentNo,
                ) -> Result<(), ActError> {
                    $q::request_open_for_in(&mut *self.read().await?, who, no).await
                }

                async fn scheduler_since(
                    &self,
                    now: DateTime<Utc>,
                ) -> Result<DateTime<Utc>, StoreError> {
                    let mut tx = self.write().await?;
                    let since = $q::scheduler_since_in(&mut *tx, to_ms(now)).await?;
                    tx.commit().await?;
                    Ok($crate::storage::from_ms(since))
                }

                async fn last_runs(&self) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
                    let runs = $q::last_runs_in(&mut *self.read().await?).await?;
                    Ok(runs
                        .into_iter()
                        .map(|(job, at)| (job, $crate::storage::from_ms(at)))
                        .collect())
                }

                async fn record_run(
                    &self,
                    policy: &LoopPolicy,
                    job: &str,
                    fire: DateTime<Utc>,
                    now: DateTime<Utc>,
                    pushes: &[$crate::storage::JobPush],
                ) -> Result<Option<usize>, StoreError> {
                    let mut tx = self.write().await?;
                    let queued =
                        $q::record_run_in(&mut *tx, policy, job, to_ms(fire), to_ms(now), pushes)
                            .await?;
                    tx.commit().await?;
                    Ok(queued)
                }

                async fn open_deadlines(
                    &self,
                    before: DateTime<Utc>,
                ) -> Result<Vec<Suggestion>, StoreError> {
                    $q::open_deadlines_in(&mut *self.read().await?, to_ms(before)).await
                }

                async fn deputy_counts(
                    &self,
                    from: DateTime<Utc>,
                    to: DateTime<Utc>,
                ) -> Result<Vec<$crate::storage::DeputyCount>, StoreError> {
                    Ok(
                        $q::deputy_counts_in(&mut *self.read().await?, to_ms(from), to_ms(to))
                            .await?,
                    )
                }

                async fn group_chats(&self) -> Result<Vec<$crate::storage::GroupChat>, StoreError> {
                    Ok($q::group_chats_in(&mut *self.read().await?).await?)
                }

                async fn deputy_days(
                    &self,
                    month_from: DateTime<Utc>,
                    day_from: DateTime<Utc>,
                    day_to: DateTime<Utc>,
                ) -> Result<Vec<$crate::storage::DeputyDay>, StoreError> {
                    let (m, f, t) = (to_ms(month_from), to_ms(day_from), to_ms(day_to));
                    Ok($q::deputy_days_in(&mut *self.read().await?, m, f, t).await?)
                }

                async fn group_open(
                    &self,
                    now: DateTime<Utc>,
                    green_from: DateTime<Utc>,
                ) -> Result<Vec<$crate::storage::GroupOpen>, StoreError> {
                    let (n, g) = (to_ms(now), to_ms(green_from));
                    Ok($q::group_open_in(&mut *self.read().await?, n, g).await?)
                }

                async fn red_steps(
                    &self,
                    now: DateTime<Utc>,
                    per_group: i64,
                ) -> Result<Vec<$crate::storage::GroupItem>, StoreError> {
                    $q::red_steps_in(&mut *self.read().await?, to_ms(now), per_group).await
                }

                async fn org_chat_groups(
                    &self,
                ) -> Result<Vec<$crate::storage::OrgChatGroup>, StoreError> {
                    Ok($q::org_chat_groups_in(&mut *self.read().await?).await?)
                }

                async fn org_chats(&self) -> Result<Vec<(i64, String)>, StoreError> {
                    Ok($q::org_chats_in(&mut *self.read().await?).await?)
                }

                async fn outbox_file(
                    &self,
                    id: i64,
                ) -> Result<Option<(String, Vec<u8>)>, StoreError> {
                    Ok($q::outbox_file_in(&mut *self.read().await?, id).await?)
                }

                #[allow(clippy::too_many_arguments)]
                async fn record_reception(
                    &self,
                    who: Who,
                    code: Option<&str>,
                    reception: &$crate::domain::Reception,
                    today: chrono::NaiveDate,
                    reception_days: &[u32],
                    now: DateTime<Utc>,
                    update: Option<i64>,
                ) -> Result<crate::storage::Noted, ActError> {
                    let mut tx = self.write().await?;
                    let noted = $q::record_reception_in(
                        &mut *tx,
                        who,
                        code,
                        reception,
                        today,
                        reception_days,
                        to_ms(now),
                        update,
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(noted)
                }

                async fn record_voter_report(
                    &self,
                    who: Who,
                    code: &str,
                    report: &crate::storage::VoterReport,
                    today: chrono::NaiveDate,
                    now: DateTime<Utc>,
                    update: Option<i64>,
                ) -> Result<crate::storage::Noted, ActError> {
                    let mut tx = self.write().await?;
                    let noted = $q::record_voter_report_in(
                        &mut *tx,
                        who,
                        code,
                        report,
                        today,
                        to_ms(now),
                        update,
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(noted)
                }

                async fn deputy_record(
                    &self,
                    who: Who,
                    code: Option<&str>,
                    period: (DateTime<Utc>, DateTime<Utc>),
                    days: (chrono::NaiveDate, chrono::NaiveDate),
                ) -> Result<crate::storage::DeputyRecord, ActError> {
                    let (from, to) = (days.0.to_string(), days.1.to_string());
                    $q::deputy_record_in(
                        &mut *self.read().await?,
                        who,
                        code,
                        (to_ms(period.0), to_ms(period.1)),
                        (&from, &to),
                    )
                    .await
                }

                async fn deputy_records(
                    &self,
                    org: Option<&str>,
                    period: (DateTime<Utc>, DateTime<Utc>),
                    days: (chrono::NaiveDate, chrono::NaiveDate),
                ) -> Result<Vec<crate::storage::DeputyRecord>, StoreError> {
                    let (from, to) = (days.0.to_string(), days.1.to_string());
                    $q::deputy_records_in(
                        &mut *self.read().await?,
                        org,
                        None,
                        (to_ms(period.0), to_ms(period.1)),
                        (&from, &to),
                    )
                    .await
                }

                async fn key_report(
                    &self,
                    org: Option<&str>,
                    from: DateTime<Utc>,
                    to: DateTime<Utc>,
                ) -> Result<Vec<crate::storage::KeyRow>, StoreError> {
                    $q::key_report_in(&mut *self.read().await?, org, to_ms(from), to_ms(to)).await
                }

                async fn attendance(
                    &self,
                    day: chrono::NaiveDate,
                ) -> Result<Vec<crate::storage::Attendance>, StoreError> {
                    $q::attendance_in(&mut *self.read().await?, &day.to_string()).await
                }

                fn ledger_rows<'a>(
                    &'a self,
                    org: Option<&'a str>,
                    from: DateTime<Utc>,
                    to: DateTime<Utc>,
                ) -> futures_util::stream::BoxStream<'a, Result<LedgerRow, StoreError>> {
                    $q::ledger_rows_in(&self.pool, org, to_ms(from), to_ms(to))
                }

                async fn org_groups(&self, org: Option<&str>) -> Result<OrgGroups, StoreError> {
                    $q::org_groups_in(&mut *self.read().await?, org).await
                }

                async fn monthly_stats(
                    &self,
                    org: Option<&str>,
                    from: DateTime<Utc>,
                    to: DateTime<Utc>,
                    now: DateTime<Utc>,
                ) -> Result<MonthlyStats, StoreError> {
                    let mut c = self.read().await?;
                    $q::monthly_stats_in(&mut c, org, to_ms(from), to_ms(to), to_ms(now)).await
                }

                /// The backend's own: see its `poll_lock_in`.
                async fn poll_lock(&self) -> Result<Option<PollGuard>, StoreError> {
                    self.poll_lock_in().await
                }
            }
        };
    };
}

pub(crate) use repository_impl;
