//! Filing and every other transition, each inside the caller's write transaction.
//! Expanded into each backend by [`super::shared_queries`].

macro_rules! transitions {
    ($filing:expr) => {
        /// 提交, inside the caller's write transaction.
        pub(super) async fn file_in(
            c: &mut Conn,
            policy: &LoopPolicy,
            who: Who,
            draft: crate::domain::Draft,
            now: DateTime<Utc>,
            update: Option<i64>,
        ) -> Result<Applied, ActError> {
            if !mark_update(c, update, to_ms(now)).await? {
                return Ok(Applied::Duplicate);
            }
            let actor = load_actor(c, who).await?;
            Ok(file_as(c, policy, &actor, draft, None, now, update)
                .await?
                .1)
        }

        /// Files each waiting filing inside the caller's write transaction (group commit, see
        /// `storage::group_commit`), each in the savepoint `filing`: one that is refused or
        /// fails is rolled back alone, so the others keep gapless numbers. Answers each job
        /// with its answer, to be sent once the transaction commits; `Err` when the
        /// transaction itself broke (a savepoint could not be rolled back to), with the jobs
        /// and what they did so far.
        pub(super) async fn file_each(
            c: &mut Conn,
            jobs: Vec<crate::storage::group_commit::FilingJob>,
        ) -> Result<
            Vec<(
                crate::storage::group_commit::FilingJob,
                crate::storage::group_commit::Answer,
            )>,
            (
                sqlx::Error,
                Vec<(
                    crate::storage::group_commit::FilingJob,
                    crate::storage::group_commit::Answer,
                )>,
            ),
        > {
            let mut done = Vec::with_capacity(jobs.len());
            let mut jobs = jobs.into_iter().peekable();
            if let Err(e) = sqlx::raw_sql("SAVEPOINT filing").execute(&mut *c).await {
                done.extend(jobs.map(|job| {
                    (
                        job,
                        Err(crate::storage::group_commit::uncommitted("no savepoint")),
                    )
                }));
                return Err((e, done));
            }
            while let Some(job) = jobs.next() {
                let answer = file_in(
                    c,
                    &job.policy,
                    job.who,
                    job.draft.clone(),
                    job.now,
                    job.update,
                )
                .await;
                // Kept: release it and open the next filing's savepoint in one call. Refused
                // or failed: back to the savepoint, which stays open for the next.
                let next = match (&answer, jobs.peek().is_some()) {
                    (Ok(_), true) => Some("RELEASE filing; SAVEPOINT filing"),
                    (Ok(_), false) => None,
                    (Err(_), _) => Some("ROLLBACK TO filing"),
                };
                done.push((job, answer));
                if let Some(sql) = next
                    && let Err(e) = sqlx::raw_sql(sql).execute(&mut *c).await
                {
                    done.extend(jobs.map(|job| {
                        (
                            job,
                            Err(crate::storage::group_commit::uncommitted(
                                "the transaction broke",
                            )),
                        )
                    }));
                    return Err((e, done));
                }
            }
            Ok(done)
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
            let at = to_ms(now);
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
            // waits that long. Who hears of it does not depend on the number.
            let unnumbered = filing.record(SuggestionId(0), SuggestionNo::new(year, 0));
            let reached =
                reach_notices(c, policy, &unnumbered, &filing.notices(unnumbered.no)).await?;
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
