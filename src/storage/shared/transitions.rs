//! Filing and every other transition, each inside the caller's write transaction.
//! Expanded into each backend by [`super::shared_queries`].

macro_rules! transitions {
    ($filing:expr) => {
        use crate::storage::group_commit::{Answer, FilingJob, Written};

        /// 提交 for every filing of `jobs` inside the caller's write transaction (group commit,
        /// see `storage::group_commit`), in two passes. First each filing's reads, checks and
        /// update id; then the numbers and the writes, so that (as for a single filing) the
        /// year's counter row, locked on PostgreSQL from the first number to the commit, is
        /// held only while writing. A filing refused in the first pass wrote nothing and goes
        /// on the list with its refusal; the first store error stops: the caller rolls back,
        /// and writes the others again.
        pub(super) async fn file_each(c: &mut Conn, jobs: Vec<FilingJob>) -> Written {
            let mut planned = Vec::with_capacity(jobs.len());
            for (i, job) in jobs.iter().enumerate() {
                match plan_and_mark(c, job).await {
                    Err(ActError::Store(e)) => return failed(jobs, i, ActError::Store(e)),
                    first => planned.push(first),
                }
            }
            let mut answers: Vec<Answer> = Vec::with_capacity(jobs.len());
            for (i, first) in planned.into_iter().enumerate() {
                let job = &jobs[i];
                answers.push(match first {
                    Ok(Some(plan)) => match write_filing(c, &job.policy, plan, job.update).await {
                        Ok((_, applied)) => Ok(applied),
                        // Whatever it is, it may have written: the transaction goes.
                        Err(e) => return failed(jobs, i, e),
                    },
                    Ok(None) => Ok(Applied::Duplicate),
                    Err(refused) => Err(refused),
                });
            }
            Written::All(jobs.into_iter().zip(answers).collect())
        }

        /// The `i`th of `jobs` failed: the others are to be written again, in order.
        fn failed(mut jobs: Vec<FilingJob>, i: usize, error: ActError) -> Written {
            let job = jobs.remove(i);
            Written::Failed {
                failed: Box::new((job, error)),
                again: jobs,
            }
        }

        /// A filing's first pass: who files, the domain's checks and who will hear of it,
        /// then its update id. `None`: the update was applied before (a redelivery).
        async fn plan_and_mark(c: &mut Conn, job: &FilingJob) -> Result<Option<Planned>, ActError> {
            let planned = async {
                let actor = load_actor(c, job.who).await?;
                plan_filing(c, &job.policy, &actor, job.draft.clone(), None, job.now).await
            };
            let plan = match planned.await {
                Ok(plan) => plan,
                Err(ActError::Store(e)) => return Err(ActError::Store(e)),
                // Filed the first time, refused now (its deputy left the roster since): a
                // redelivery is still told it was applied before.
                Err(refused) => {
                    return if update_handled(c, job.update).await? {
                        Ok(None)
                    } else {
                        Err(refused)
                    };
                }
            };
            Ok(mark_update(c, job.update, plan.at).await?.then_some(plan))
        }

        /// Files a draft for an actor whose update id is already marked: the number, the
        /// record with its attachment, the event and the notices. `request`: the resident's
        /// request this suggestion adopts (checked by the caller).
        async fn file_as(
            c: &mut Conn,
            policy: &LoopPolicy,
            actor: &Actor,
            draft: crate::domain::Draft,
            request: Option<RequestId>,
            now: DateTime<Utc>,
            update: Option<i64>,
        ) -> Result<(Suggestion, Applied), ActError> {
            let plan = plan_filing(c, policy, actor, draft, request, now).await?;
            write_filing(c, policy, plan, update).await
        }

        /// What a filing decides before it writes: the filing itself (the domain's checks
        /// passed) and who will hear of it.
        struct Planned {
            filing: crate::domain::Filing,
            attachment: crate::domain::Attachment,
            reached: Reached,
            year: i32,
            at: i64,
        }

        /// The filing of a draft by an actor, and who will hear of it.
        async fn plan_filing(
            c: &mut Conn,
            policy: &LoopPolicy,
            actor: &Actor,
            draft: crate::domain::Draft,
            request: Option<RequestId>,
            now: DateTime<Utc>,
        ) -> Result<Planned, ActError> {
            let mut chains = std::collections::HashMap::new();
            for group in actor.deputy_groups().chain(draft.group) {
                if !chains.contains_key(&group) {
                    chains.insert(group, group_orgs(c, group).await?);
                }
            }
            let attachment = draft.attachment.clone();
            let mut filing = crate::domain::file(
                actor,
                draft,
                |g| chains.get(&g).cloned().unwrap_or_default(),
                now,
                &policy.rules,
                &policy.categories,
            )?;
            filing.request = request;
            let year = now.with_timezone(&policy.rules.tz).year();
            // Everything read is read before the number is taken: on PostgreSQL the year's
            // counter row stays locked from the number to the commit, and the next filing
            // waits that long (in a transaction of filings, every filing reads before the
            // first number). Who hears of it does not depend on the number.
            let unnumbered = filing.record(SuggestionId(0), SuggestionNo::new(year, 0));
            let reached =
                reach_notices(c, policy, &unnumbered, &filing.notices(unnumbered.no)).await?;
            Ok(Planned {
                filing,
                attachment,
                reached,
                year,
                at: to_ms(now),
            })
        }

        /// The number, the record, its event and the outbox rows of a planned filing.
        async fn write_filing(
            c: &mut Conn,
            policy: &LoopPolicy,
            plan: Planned,
            update: Option<i64>,
        ) -> Result<(Suggestion, Applied), ActError> {
            let Planned {
                filing,
                attachment,
                reached,
                year,
                at,
            } = plan;
            let (id, seq) = number_and_record(c, &filing, &attachment, year, at, update).await?;
            let no = SuggestionNo::new(year, seq);
            let s = filing.record(SuggestionId(id), no);
            let queued = write_notices(c, policy, &s, &filing.notices(no), reached, at).await?;
            let applied = Applied::Done {
                no,
                state: s.state,
                event: filing.event.kind,
                deadline: s.deadline,
                rating: s.rating,
                queued,
            };
            Ok((s, applied))
        }

        /// The year's next number (the counter row, so numbers never skip: a filing that
        /// rolls back gives its number back), the record and its first event, in one round
        /// trip; answers the record's id and number.
        async fn number_and_record(
            c: &mut Conn,
            filing: &crate::domain::Filing,
            attachment: &crate::domain::Attachment,
            year: i32,
            at: i64,
            update: Option<i64>,
        ) -> Result<(i64, u32), sqlx::Error> {
            let (lat, lon) = attachment.location.unzip();
            let rows = sqlx::query($filing)
                .bind(i64::from(year))
                .bind(filing.deputy.0)
                .bind(filing.group.0)
                .bind(&filing.title)
                .bind(&filing.body)
                .bind(&filing.category)
                .bind(filing.event.to.as_str())
                .bind(to_ms(filing.deadline))
                .bind(filing.request.map(|r| r.0))
                .bind(attachment.photo.as_deref())
                .bind(lat)
                .bind(lon)
                .bind(at)
                .bind(filing.event.kind.as_str())
                .bind(filing.event.from.map(|s| s.as_str()))
                .bind(filing.event.text.as_deref())
                .bind(update)
                // All rows, not the first: SQLite's form is several statements, and fetching
                // one row would stop before the last of them ran.
                .fetch_all(&mut *c)
                .await?;
            let row = rows.first().ok_or(sqlx::Error::RowNotFound)?;
            Ok((row.try_get("id")?, row.try_get::<i64, _>("seq")? as u32))
        }

        /// Loads a suggestion for an actor (`lock`: to change it): unknown and not-yours read the
        /// same.
        pub(super) async fn visible(
            c: &mut Conn,
            actor: &Actor,
            no: SuggestionNo,
            lock: bool,
        ) -> Result<Suggestion, ActError> {
            match load_suggestion(c, no, lock).await? {
                Some(s) if allowed(actor, ActionKind::See, &s.place()) => Ok(s),
                _ => Err(ActError::UnknownSuggestion(no)),
            }
        }

        /// A unit by code, with its chain of orgs.
        async fn unit(c: &mut Conn, code: &str) -> Result<(UnitId, Vec<OrgId>), ActError> {
            let row = sqlx::query("SELECT id, org_id FROM units WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *c)
                .await?
                .ok_or_else(|| ActError::UnknownUnit(code.to_string()))?;
            Ok((
                UnitId(row.try_get("id")?),
                org_chain(c, row.try_get("org_id")?).await?,
            ))
        }

        /// Any transition but filing, inside the caller's write transaction.
        pub(super) async fn act_in(
            c: &mut Conn,
            policy: &LoopPolicy,
            who: Who,
            no: SuggestionNo,
            request: Request,
            now: DateTime<Utc>,
            update: Option<i64>,
        ) -> Result<Applied, ActError> {
            let at = to_ms(now);
            if !mark_update(c, update, at).await? {
                return Ok(Applied::Duplicate);
            }
            let actor = load_actor(c, who).await?;
            let current = visible(c, &actor, no, true).await?;
            // The role is checked before the arguments are looked up, so a step that is not
            // the person's is refused as such, whatever units or target it names.
            let kind = match &request {
                Request::Action(action) => action.kind(),
                Request::Assign { .. } => ActionKind::Assign,
                Request::Merge { .. } => ActionKind::Merge,
            };
            permit(&actor, kind, &current.place())?;
            let mut units = Vec::new();
            let action = match request {
                Request::Action(action) => action,
                Request::Assign {
                    lead,
                    co,
                    days,
                    level,
                } => {
                    for code in std::iter::once(&lead).chain(&co) {
                        units.push(unit(c, code).await?);
                    }
                    let co = units[1..].iter().map(|u| u.0).collect();
                    Action::Assign {
                        lead: units[0].0,
                        co,
                        days,
                        level,
                    }
                }
                Request::Merge { into } => {
                    // Locked too, so it cannot be merged away itself meanwhile.
                    let target = visible(c, &actor, into, true).await?;
                    Action::Merge {
                        into: MergeTarget {
                            no: into,
                            state: target.state,
                        },
                    }
                }
            };
            let decision = crate::domain::decide(&current, &actor, action, now, &policy.rules)?;
            if !units
                .iter()
                .all(|(_, orgs)| crate::domain::may_assign_to(&actor, &current.orgs, orgs))
            {
                return Err(Refusal::UnitOutOfScope.into());
            }
            write_suggestion(c, &current, &decision.next, at).await?;
            on_the_record(
                c,
                policy,
                &decision.next,
                actor.person,
                (&decision.event, &decision.notices),
                at,
                update,
            )
            .await
        }

        /// The end of every transition: its event on the timeline and its notices in the
        /// outbox, in the same transaction as the new state.
        async fn on_the_record(
            c: &mut Conn,
            policy: &LoopPolicy,
            s: &Suggestion,
            actor: Option<PersonId>,
            (event, notices): (&Event, &[Notice]),
            at: i64,
            update: Option<i64>,
        ) -> Result<Applied, ActError> {
            insert_event(c, s.id, at, actor, event, update).await?;
            let queued = queue_notices(c, policy, s, notices, at).await?;
            Ok(Applied::Done {
                no: s.no,
                state: s.state,
                event: event.kind,
                deadline: s.deadline,
                rating: s.rating,
                queued,
            })
        }
    };
}

pub(crate) use transitions;
