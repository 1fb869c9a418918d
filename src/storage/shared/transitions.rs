//! Filing and every other transition, each inside the caller's write transaction.
//! Expanded into each backend by [`super::shared_queries`].

macro_rules! transitions {
    () => {
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
            Ok(file_as(c, policy, &actor, draft, None, now, update).await?.1)
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
                chains.insert(group, group_orgs(c, group).await?);
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
            let seq = next_number(c, "suggestion", year).await?;
            let (lat, lon) = attachment.location.unzip();
            let id: i64 = sqlx::query(
                "INSERT INTO suggestions (year, seq, deputy_id, group_id, title, body, category, state, \
                 deadline, request_id, photo_file_id, latitude, longitude, filed_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
            )
            .bind(i64::from(year))
            .bind(i64::from(seq))
            .bind(filing.deputy.0)
            .bind(filing.group.0)
            .bind(&filing.title)
            .bind(&filing.body)
            .bind(&filing.category)
            .bind(State::Submitted.as_str())
            .bind(to_ms(filing.deadline))
            .bind(filing.request.map(|r| r.0))
            .bind(attachment.photo.as_deref())
            .bind(lat)
            .bind(lon)
            .bind(at)
            .fetch_one(&mut *c)
            .await?
            .try_get("id")?;
            let no = SuggestionNo::new(year, seq);
            let s = filing.record(SuggestionId(id), no);
            let applied = on_the_record(c, policy, &s, Some(s.deputy), (&filing.event, &filing.notices(no)), at, update).await?;
            Ok((s, applied))
        }

        /// Loads a suggestion for an actor (`lock`: to change it): unknown and not-yours read the
        /// same.
        pub(super) async fn visible(c: &mut Conn, actor: &Actor, no: SuggestionNo, lock: bool) -> Result<Suggestion, ActError> {
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
            Ok((UnitId(row.try_get("id")?), org_chain(c, row.try_get("org_id")?).await?))
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
                Request::Assign { lead, co, days, level } => {
                    for code in std::iter::once(&lead).chain(&co) {
                        units.push(unit(c, code).await?);
                    }
                    let co = units[1..].iter().map(|u| u.0).collect();
                    Action::Assign { lead: units[0].0, co, days, level }
                }
                Request::Merge { into } => {
                    // Locked too, so it cannot be merged away itself meanwhile.
                    let target = visible(c, &actor, into, true).await?;
                    Action::Merge { into: MergeTarget { no: into, state: target.state } }
                }
            };
            let decision = crate::domain::decide(&current, &actor, action, now, &policy.rules)?;
            if !units.iter().all(|(_, orgs)| crate::domain::may_assign_to(&actor, &current.orgs, orgs)) {
                return Err(Refusal::UnitOutOfScope.into());
            }
            write_suggestion(c, &current, &decision.next, at).await?;
            on_the_record(c, policy, &decision.next, actor.person, (&decision.event, &decision.notices), at, update).await
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
            Ok(Applied::Done { no: s.no, state: s.state, event: event.kind, deadline: s.deadline, rating: s.rating, queued })
        }
    };
}

pub(crate) use transitions;
