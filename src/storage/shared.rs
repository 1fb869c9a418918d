//! The SQL both backends share, written once. `shared_queries!` expands these functions for
//! one backend's connection type; the SQL text is the same on both (`$n` parameters, which
//! sqlx's SQLite driver accepts too), except the row lock PostgreSQL takes on the suggestion
//! being changed (`$lock`: " FOR UPDATE" there; SQLite's write transaction already holds the
//! database's one write lock).

macro_rules! shared_queries {
    ($Conn:ty, $lock:literal) => {
        use chrono::{DateTime, Datelike, Utc};
        use sqlx::Row;

        use crate::domain::{
            Action, Actor, ActionKind, Audience, Event, Grant, GroupId, MergeTarget, Notice,
            OrgId, PersonId, RequestId, Role, Scope, State, Suggestion, SuggestionId,
            SuggestionNo, UnitId, allowed,
        };
        use crate::storage::{
            ActError, Applied, EventRecord, LoopPolicy, OutboxRow, Request, StoreError, Who,
            from_ms, to_ms,
        };

        type Conn = $Conn;

        /// Records a Telegram update id; false when it was applied before.
        pub(super) async fn mark_update(
            c: &mut Conn,
            update: Option<i64>,
            now: i64,
        ) -> Result<bool, sqlx::Error> {
            let Some(id) = update else { return Ok(true) };
            let done = sqlx::query(
                "INSERT INTO handled_updates (update_id, handled_at) VALUES ($1, $2) \
                 ON CONFLICT (update_id) DO NOTHING",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *c)
            .await?;
            Ok(done.rows_affected() == 1)
        }

        pub(super) async fn person_by_telegram(
            c: &mut Conn,
            telegram_id: i64,
        ) -> Result<Option<PersonId>, sqlx::Error> {
            let row = sqlx::query("SELECT id FROM people WHERE telegram_id = $1")
                .bind(telegram_id)
                .fetch_optional(&mut *c)
                .await?;
            Ok(row.map(|r| PersonId(r.get(0))))
        }

        /// The actor and their grants, read in the transaction that acts.
        pub(super) async fn load_actor(c: &mut Conn, who: Who) -> Result<Actor, ActError> {
            let person = match who {
                Who::System => return Ok(Actor::system()),
                Who::Person(p) => p,
                Who::Telegram(t) => person_by_telegram(c, t)
                    .await?
                    .ok_or(ActError::UnknownPerson)?,
            };
            let rows = sqlx::query(
                "SELECT role, org_id, group_id, unit_id FROM person_roles WHERE person_id = $1",
            )
            .bind(person.0)
            .fetch_all(&mut *c)
            .await?;
            let mut grants = Vec::with_capacity(rows.len());
            for row in rows {
                let role: String = row.get(0);
                let role: Role = role
                    .parse()
                    .map_err(|e| StoreError::Corrupt(format!("person_roles: {e}")))?;
                let scope = match (row.get::<Option<i64>, _>(1), row.get::<Option<i64>, _>(2), row.get::<Option<i64>, _>(3)) {
                    (Some(o), _, _) => Scope::Org(OrgId(o)),
                    (_, Some(g), _) => Scope::Group(GroupId(g)),
                    (_, _, Some(u)) => Scope::Unit(UnitId(u)),
                    _ => return Err(StoreError::Corrupt("person_roles without scope".into()).into()),
                };
                grants.push(Grant { role, scope });
            }
            Ok(Actor::person(person, grants))
        }

        /// The chain of orgs from `org` up to the root, nearest first.
        pub(super) async fn org_chain(c: &mut Conn, org: i64) -> Result<Vec<OrgId>, sqlx::Error> {
            let rows = sqlx::query(
                "WITH RECURSIVE chain (id, parent_id, depth) AS ( \
                   SELECT id, parent_id, 0 FROM orgs WHERE id = $1 \
                   UNION ALL \
                   SELECT o.id, o.parent_id, chain.depth + 1 FROM orgs o \
                   JOIN chain ON o.id = chain.parent_id WHERE chain.depth < 64) \
                 SELECT id FROM chain ORDER BY depth",
            )
            .bind(org)
            .fetch_all(&mut *c)
            .await?;
            Ok(rows.iter().map(|r| OrgId(r.get(0))).collect())
        }

        pub(super) async fn group_orgs(c: &mut Conn, group: GroupId) -> Result<Vec<OrgId>, sqlx::Error> {
            let org: Option<i64> = sqlx::query("SELECT org_id FROM deputy_groups WHERE id = $1")
                .bind(group.0)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| r.get(0));
            match org {
                Some(org) => org_chain(c, org).await,
                None => Ok(Vec::new()),
            }
        }

        fn parse_col<T: std::str::FromStr>(column: &str, value: Option<String>) -> Result<Option<T>, StoreError> {
            value
                .map(|v| v.parse::<T>().map_err(|_| StoreError::Corrupt(format!("{column}: {v:?}"))))
                .transpose()
        }

        /// Loads a suggestion (locking its row where the backend needs it).
        pub(super) async fn load_suggestion(
            c: &mut Conn,
            no: SuggestionNo,
        ) -> Result<Option<Suggestion>, StoreError> {
            let row = sqlx::query(concat!(
                "SELECT s.id, s.deputy_id, s.group_id, s.title, s.body, s.category, s.state, \
                 s.level, s.deadline, s.key_flag, s.supervised, s.unsatisfied_count, s.rating, \
                 s.outcome, s.request_id, s.filed_at, s.merged_into_id \
                 FROM suggestions s WHERE s.year = $1 AND s.seq = $2",
                $lock
            ))
            .bind(i64::from(no.year))
            .bind(i64::from(no.seq))
            .fetch_optional(&mut *c)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let id: i64 = row.get(0);
            let group = GroupId(row.get(2));
            let merged_into: Option<i64> = row.get(16);
            let merged_into = match merged_into {
                Some(m) => {
                    let r = sqlx::query("SELECT year, seq FROM suggestions WHERE id = $1")
                        .bind(m)
                        .fetch_one(&mut *c)
                        .await?;
                    Some(SuggestionNo::new(r.get::<i64, _>(0) as i32, r.get::<i64, _>(1) as u32))
                }
                None => None,
            };
            let units = sqlx::query(
                "SELECT unit_id, lead FROM suggestion_units WHERE suggestion_id = $1 \
                 ORDER BY lead DESC, unit_id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            let lead_unit = units.iter().find(|r| r.get::<bool, _>(1)).map(|r| UnitId(r.get(0)));
            let co_units = units.iter().filter(|r| !r.get::<bool, _>(1)).map(|r| UnitId(r.get(0))).collect();
            let state: Option<State> = parse_col("state", Some(row.get(6)))?;
            Ok(Some(Suggestion {
                id: SuggestionId(id),
                no,
                deputy: PersonId(row.get(1)),
                group,
                title: row.get(3),
                body: row.get(4),
                category: row.get(5),
                state: state.expect("parsed"),
                level: parse_col("level", row.get(7))?,
                lead_unit,
                co_units,
                deadline: row.get::<Option<i64>, _>(8).map(from_ms),
                key: row.get(9),
                supervised: row.get(10),
                unsatisfied_count: row.get::<i64, _>(11) as u32,
                rating: parse_col("rating", row.get(12))?,
                outcome: parse_col("outcome", row.get(13))?,
                merged_into,
                request: row.get::<Option<i64>, _>(14).map(RequestId),
                filed_at: from_ms(row.get(15)),
                orgs: group_orgs(c, group).await?,
            }))
        }

        /// The next number of a per-year sequence. The upsert locks the counter row, so
        /// concurrent filings get distinct consecutive numbers.
        pub(super) async fn next_number(c: &mut Conn, kind: &str, year: i32) -> Result<u32, sqlx::Error> {
            let row = sqlx::query(
                "INSERT INTO counters (kind, year, last) VALUES ($1, $2, 1) \
                 ON CONFLICT (kind, year) DO UPDATE SET last = counters.last + 1 \
                 RETURNING last",
            )
            .bind(kind)
            .bind(i64::from(year))
            .fetch_one(&mut *c)
            .await?;
            Ok(row.get::<i64, _>(0) as u32)
        }

        pub(super) async fn insert_event(
            c: &mut Conn,
            suggestion: SuggestionId,
            at: i64,
            actor: Option<PersonId>,
            event: &Event,
            update: Option<i64>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO events (suggestion_id, at, actor_id, kind, from_state, to_state, text, update_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(suggestion.0)
            .bind(at)
            .bind(actor.map(|p| p.0))
            .bind(event.kind.as_str())
            .bind(event.from.map(|s| s.as_str()))
            .bind(event.to.as_str())
            .bind(event.text.as_deref())
            .bind(update)
            .execute(&mut *c)
            .await?;
            Ok(())
        }

        /// Writes the next record of a suggestion and its handling units.
        pub(super) async fn write_suggestion(
            c: &mut Conn,
            before: &Suggestion,
            next: &Suggestion,
            now: i64,
        ) -> Result<(), sqlx::Error> {
            let merged_into: Option<i64> = match next.merged_into {
                Some(no) => sqlx::query("SELECT id FROM suggestions WHERE year = $1 AND seq = $2")
                    .bind(i64::from(no.year))
                    .bind(i64::from(no.seq))
                    .fetch_optional(&mut *c)
                    .await?
                    .map(|r| r.get(0)),
                None => None,
            };
            sqlx::query(
                "UPDATE suggestions SET title = $2, body = $3, state = $4, level = $5, deadline = $6, \
                 key_flag = $7, supervised = $8, unsatisfied_count = $9, rating = $10, outcome = $11, \
                 merged_into_id = $12, updated_at = $13 WHERE id = $1",
            )
            .bind(next.id.0)
            .bind(&next.title)
            .bind(&next.body)
            .bind(next.state.as_str())
            .bind(next.level.map(|l| l.as_str()))
            .bind(next.deadline.map(to_ms))
            .bind(next.key)
            .bind(next.supervised)
            .bind(i64::from(next.unsatisfied_count))
            .bind(next.rating.map(|r| r.as_str()))
            .bind(next.outcome.map(|o| o.as_str()))
            .bind(merged_into)
            .bind(now)
            .execute(&mut *c)
            .await?;
            if before.lead_unit != next.lead_unit || before.co_units != next.co_units {
                sqlx::query("DELETE FROM suggestion_units WHERE suggestion_id = $1")
                    .bind(next.id.0)
                    .execute(&mut *c)
                    .await?;
                for (unit, lead) in next.lead_unit.iter().map(|u| (u, true)).chain(next.co_units.iter().map(|u| (u, false))) {
                    sqlx::query("INSERT INTO suggestion_units (suggestion_id, unit_id, lead) VALUES ($1, $2, $3)")
                        .bind(next.id.0)
                        .bind(unit.0)
                        .bind(lead)
                        .execute(&mut *c)
                        .await?;
                }
            }
            Ok(())
        }

        /// Private chats of people holding `role` in a scope column (`group_id`, `org_id`,
        /// `unit_id`) equal to `id`, with each person's language.
        async fn role_chats(c: &mut Conn, role: &str, column: ScopeColumn, id: i64) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
            let sql = match column {
                ScopeColumn::Group => "SELECT p.telegram_id, COALESCE(p.lang, a.lang) FROM person_roles r \
                    JOIN people p ON p.id = r.person_id LEFT JOIN accounts a ON a.telegram_id = p.telegram_id \
                    WHERE r.role = $1 AND r.group_id = $2 AND p.telegram_id IS NOT NULL ORDER BY p.id",
                ScopeColumn::Org => "SELECT p.telegram_id, COALESCE(p.lang, a.lang) FROM person_roles r \
                    JOIN people p ON p.id = r.person_id LEFT JOIN accounts a ON a.telegram_id = p.telegram_id \
                    WHERE r.role = $1 AND r.org_id = $2 AND p.telegram_id IS NOT NULL ORDER BY p.id",
                ScopeColumn::Unit => "SELECT p.telegram_id, COALESCE(p.lang, a.lang) FROM person_roles r \
                    JOIN people p ON p.id = r.person_id LEFT JOIN accounts a ON a.telegram_id = p.telegram_id \
                    WHERE r.role = $1 AND r.unit_id = $2 AND p.telegram_id IS NOT NULL ORDER BY p.id",
            };
            let rows = sqlx::query(sql).bind(role).bind(id).fetch_all(&mut *c).await?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
        }

        /// Group chats bound to a scope.
        async fn bound_chats(c: &mut Conn, column: ScopeColumn, id: i64) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
            let sql = match column {
                ScopeColumn::Group => "SELECT chat_id FROM chat_bindings WHERE group_id = $1 ORDER BY chat_id",
                ScopeColumn::Org => "SELECT chat_id FROM chat_bindings WHERE org_id = $1 ORDER BY chat_id",
                ScopeColumn::Unit => "SELECT chat_id FROM chat_bindings WHERE unit_id = $1 ORDER BY chat_id",
            };
            let rows = sqlx::query(sql).bind(id).fetch_all(&mut *c).await?;
            Ok(rows.iter().map(|r| (r.get(0), None)).collect())
        }

        /// The chats one audience of a suggestion resolves to.
        async fn audience_chats(c: &mut Conn, s: &Suggestion, to: Audience) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
            let org_role = |a: Audience| match a {
                Audience::Clerks => "clerk",
                Audience::Secretaries => "secretary",
                _ => "chair",
            };
            Ok(match to {
                Audience::Deputy => {
                    sqlx::query("SELECT p.telegram_id, COALESCE(p.lang, a.lang) FROM people p \
                        LEFT JOIN accounts a ON a.telegram_id = p.telegram_id \
                        WHERE p.id = $1 AND p.telegram_id IS NOT NULL")
                        .bind(s.deputy.0)
                        .fetch_all(&mut *c)
                        .await?
                        .iter()
                        .map(|r| (r.get(0), r.get(1)))
                        .collect()
                }
                Audience::GroupChat => bound_chats(c, ScopeColumn::Group, s.group.0).await?,
                Audience::Leaders => role_chats(c, "leader", ScopeColumn::Group, s.group.0).await?,
                Audience::Clerks | Audience::Secretaries | Audience::Chairs => {
                    // The nearest org above the group that has people in this role.
                    let mut chats = Vec::new();
                    for org in &s.orgs {
                        chats = role_chats(c, org_role(to), ScopeColumn::Org, org.0).await?;
                        if !chats.is_empty() {
                            break;
                        }
                    }
                    chats
                }
                Audience::Units => {
                    let mut chats = Vec::new();
                    for unit in s.lead_unit.iter().chain(&s.co_units) {
                        chats.extend(role_chats(c, "unit", ScopeColumn::Unit, unit.0).await?);
                        chats.extend(bound_chats(c, ScopeColumn::Unit, unit.0).await?);
                    }
                    chats
                }
                Audience::Resident => match s.request {
                    Some(r) => sqlx::query("SELECT q.chat_id, a.lang FROM resident_requests q \
                        LEFT JOIN accounts a ON a.telegram_id = q.telegram_id WHERE q.id = $1")
                        .bind(r.0)
                        .fetch_all(&mut *c)
                        .await?
                        .iter()
                        .map(|r| (r.get(0), r.get(1)))
                        .collect(),
                    None => Vec::new(),
                },
            })
        }

        /// Resolves each notice's audience and queues one outbox row per chat, in the caller's
        /// transaction. Every notice carries the suggestion's number and title.
        pub(super) async fn queue_notices(
            c: &mut Conn,
            policy: &LoopPolicy,
            s: &Suggestion,
            notices: &[Notice],
            now: i64,
        ) -> Result<usize, sqlx::Error> {
            let mut queued = 0;
            for notice in notices {
                let mut chats = audience_chats(c, s, notice.to).await?;
                let mut seen = std::collections::HashSet::new();
                chats.retain(|(chat, _)| seen.insert(*chat));
                let mut args: Vec<(String, String)> = vec![
                    ("no".into(), s.no.to_string()),
                    ("title".into(), s.title.clone()),
                ];
                args.extend(notice.args.iter().map(|(k, v)| (k.to_string(), v.clone())));
                let args = serde_json::to_string(&args).expect("strings serialise");
                for (chat, lang) in chats {
                    sqlx::query(
                        "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args, suggestion_id) \
                         VALUES ($1, $1, 'telegram', $2, $3, $4, $5, $6)",
                    )
                    .bind(now)
                    .bind(chat.to_string())
                    .bind(lang.unwrap_or_else(|| policy.default_lang.clone()))
                    .bind(notice.key)
                    .bind(&args)
                    .bind(s.id.0)
                    .execute(&mut *c)
                    .await?;
                    queued += 1;
                }
            }
            Ok(queued)
        }

        /// 提交, inside the caller's write transaction.
        pub(super) async fn file_in(
            c: &mut Conn,
            policy: &LoopPolicy,
            who: Who,
            draft: crate::domain::Draft,
            now: DateTime<Utc>,
            update: Option<i64>,
        ) -> Result<Applied, ActError> {
            let at = to_ms(now);
            if !mark_update(c, update, at).await? {
                return Ok(Applied::Duplicate);
            }
            let actor = load_actor(c, who).await?;
            let mut chains = std::collections::HashMap::new();
            for group in actor.deputy_groups().chain(draft.group) {
                chains.insert(group, group_orgs(c, group).await?);
            }
            let request = draft.request;
            let filing = crate::domain::file(
                &actor,
                draft,
                |g| chains.get(&g).cloned().unwrap_or_default(),
                now,
                &policy.rules,
                &policy.categories,
            )?;
            let year = now.with_timezone(&policy.rules.tz).year();
            let seq = next_number(c, "suggestion", year).await?;
            let deputy = actor.person.ok_or(ActError::UnknownPerson)?;
            let id: i64 = sqlx::query(
                "INSERT INTO suggestions (year, seq, deputy_id, group_id, title, body, category, state, \
                 deadline, request_id, filed_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
            )
            .bind(i64::from(year))
            .bind(i64::from(seq))
            .bind(deputy.0)
            .bind(filing.group.0)
            .bind(&filing.title)
            .bind(&filing.body)
            .bind(&filing.category)
            .bind(State::Submitted.as_str())
            .bind(to_ms(filing.deadline))
            .bind(request.map(|r| r.0))
            .bind(at)
            .fetch_one(&mut *c)
            .await?
            .get(0);
            let no = SuggestionNo::new(year, seq);
            let s = Suggestion {
                id: SuggestionId(id),
                no,
                deputy,
                group: filing.group,
                title: filing.title,
                body: filing.body,
                category: filing.category,
                state: State::Submitted,
                level: None,
                lead_unit: None,
                co_units: Vec::new(),
                deadline: Some(filing.deadline),
                key: false,
                supervised: false,
                unsatisfied_count: 0,
                rating: None,
                outcome: None,
                merged_into: None,
                request,
                filed_at: now,
                orgs: chains.remove(&filing.group).unwrap_or_default(),
            };
            insert_event(c, s.id, at, Some(deputy), &filing.event, update).await?;
            let queued = queue_notices(c, policy, &s, &filing.notices, at).await?;
            Ok(Applied::Done { no, state: State::Submitted, queued })
        }

        /// Loads a suggestion for an actor: unknown and not-yours read the same.
        pub(super) async fn visible(c: &mut Conn, actor: &Actor, no: SuggestionNo) -> Result<Suggestion, ActError> {
            match load_suggestion(c, no).await? {
                Some(s) if actor.system || allowed(actor, ActionKind::See, &s.place()) => Ok(s),
                _ => Err(ActError::UnknownSuggestion(no)),
            }
        }

        async fn unit_id(c: &mut Conn, code: &str) -> Result<UnitId, ActError> {
            sqlx::query("SELECT id FROM units WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| UnitId(r.get(0)))
                .ok_or_else(|| ActError::UnknownUnit(code.to_string()))
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
            let current = visible(c, &actor, no).await?;
            let action = match request {
                Request::Action(action) => action,
                Request::Assign { lead, co, days, level } => {
                    let lead = unit_id(c, &lead).await?;
                    let mut co_ids = Vec::with_capacity(co.len());
                    for code in &co {
                        co_ids.push(unit_id(c, code).await?);
                    }
                    Action::Assign { lead, co: co_ids, days, level }
                }
                Request::Merge { into } => {
                    let target = visible(c, &actor, into).await?;
                    Action::Merge { into: MergeTarget { no: into, state: target.state } }
                }
            };
            let decision = crate::domain::decide(&current, &actor, action, now, &policy.rules)?;
            write_suggestion(c, &current, &decision.next, at).await?;
            insert_event(c, current.id, at, actor.person, &decision.event, update).await?;
            let queued = queue_notices(c, policy, &decision.next, &decision.notices, at).await?;
            Ok(Applied::Done { no, state: decision.next.state, queued })
        }

        pub(super) async fn timeline_of(c: &mut Conn, no: SuggestionNo) -> Result<Vec<EventRecord>, StoreError> {
            let rows = sqlx::query(
                "SELECT e.id, e.at, p.name, e.kind, e.from_state, e.to_state, e.text FROM events e \
                 JOIN suggestions s ON s.id = e.suggestion_id LEFT JOIN people p ON p.id = e.actor_id \
                 WHERE s.year = $1 AND s.seq = $2 ORDER BY e.id",
            )
            .bind(i64::from(no.year))
            .bind(i64::from(no.seq))
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| {
                    let kind: String = r.get(3);
                    Ok(EventRecord {
                        id: r.get(0),
                        at: from_ms(r.get(1)),
                        actor: r.get(2),
                        kind: crate::domain::EventKind::parse(&kind)
                            .ok_or_else(|| StoreError::Corrupt(format!("event kind {kind:?}")))?,
                        from: parse_col("from_state", r.get(4))?,
                        to: parse_col("to_state", Some(r.get(5)))?.expect("parsed"),
                        text: r.get(6),
                    })
                })
                .collect()
        }

        pub(super) async fn outbox_rows(c: &mut Conn, after: i64, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
            let rows = sqlx::query(
                "SELECT o.id, o.channel, o.target, o.lang, o.key, o.args, s.year, s.seq, o.state, \
                 o.attempts, o.created_at FROM outbox o LEFT JOIN suggestions s ON s.id = o.suggestion_id \
                 WHERE o.id > $1 ORDER BY o.id LIMIT $2",
            )
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| {
                    let args: String = r.get(5);
                    let year: Option<i64> = r.get(6);
                    let seq: Option<i64> = r.get(7);
                    Ok(OutboxRow {
                        id: r.get(0),
                        channel: r.get(1),
                        target: r.get(2),
                        lang: r.get(3),
                        key: r.get(4),
                        args: serde_json::from_str(&args)
                            .map_err(|e| StoreError::Corrupt(format!("outbox args: {e}")))?,
                        suggestion: year.zip(seq).map(|(y, s)| SuggestionNo::new(y as i32, s as u32)),
                        state: r.get(8),
                        attempts: r.get(9),
                        created_at: from_ms(r.get(10)),
                    })
                })
                .collect()
        }

        /// Stores a hashed one-time invite for a person; answers their name.
        pub(super) async fn create_invite_in(c: &mut Conn, person_code: &str, token_hash: &str, now: i64) -> Result<String, crate::storage::InviteError> {
            let row = sqlx::query("SELECT id, name FROM people WHERE code = $1")
                .bind(person_code)
                .fetch_optional(&mut *c)
                .await?
                .ok_or_else(|| crate::storage::InviteError::UnknownPerson(person_code.to_string()))?;
            sqlx::query("INSERT INTO invites (person_id, token_hash, created_at) VALUES ($1, $2, $3)")
                .bind(row.get::<i64, _>(0))
                .bind(token_hash)
                .bind(now)
                .execute(&mut *c)
                .await?;
            Ok(row.get(1))
        }

        pub(super) async fn redeem_invite_in(c: &mut Conn, token_hash: &str, telegram_id: i64, now: i64) -> Result<PersonId, crate::storage::InviteError> {
            use crate::storage::InviteError;
            let person: i64 = sqlx::query("SELECT person_id FROM invites WHERE token_hash = $1 AND used_at IS NULL")
                .bind(token_hash)
                .fetch_optional(&mut *c)
                .await?
                .ok_or(InviteError::Invalid)?
                .get(0);
            if let Some(other) = person_by_telegram(c, telegram_id).await? {
                if other.0 != person {
                    return Err(InviteError::AccountTaken);
                }
            }
            sqlx::query("UPDATE invites SET used_at = $2, used_by = $3 WHERE token_hash = $1")
                .bind(token_hash)
                .bind(now)
                .bind(telegram_id)
                .execute(&mut *c)
                .await?;
            sqlx::query("UPDATE people SET telegram_id = $2 WHERE id = $1")
                .bind(person)
                .bind(telegram_id)
                .execute(&mut *c)
                .await?;
            Ok(PersonId(person))
        }

        pub(super) async fn bind_chat_in(
            c: &mut Conn,
            chat_id: i64,
            target: &crate::storage::BindTarget,
            by: Option<PersonId>,
            now: i64,
        ) -> Result<(), StoreError> {
            use crate::storage::BindTarget;
            let (sql, code) = match target {
                BindTarget::Group(code) => ("SELECT id FROM deputy_groups WHERE code = $1", code),
                BindTarget::Org(code) => ("SELECT id FROM orgs WHERE code = $1", code),
                BindTarget::Unit(code) => ("SELECT id FROM units WHERE code = $1", code),
            };
            let id: i64 = sqlx::query(sql)
                .bind(code)
                .fetch_optional(&mut *c)
                .await?
                .ok_or_else(|| StoreError::UnknownCode(code.clone()))?
                .get(0);
            let (org, group, unit) = match target {
                BindTarget::Group(_) => (None, Some(id), None),
                BindTarget::Org(_) => (Some(id), None, None),
                BindTarget::Unit(_) => (None, None, Some(id)),
            };
            sqlx::query(
                "INSERT INTO chat_bindings (chat_id, org_id, group_id, unit_id, bound_by, bound_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (chat_id) DO UPDATE SET \
                 org_id = excluded.org_id, group_id = excluded.group_id, unit_id = excluded.unit_id, \
                 bound_by = excluded.bound_by, bound_at = excluded.bound_at",
            )
            .bind(chat_id)
            .bind(org)
            .bind(group)
            .bind(unit)
            .bind(by.map(|p| p.0))
            .bind(now)
            .execute(&mut *c)
            .await?;
            Ok(())
        }

        /// What the roster checks need to know of the stored roster.
        async fn load_known(c: &mut Conn, kind: crate::storage::roster::RosterKind) -> Result<crate::storage::roster::Known, sqlx::Error> {
            use crate::storage::roster::{Known, RosterKind};
            let mut known = Known::default();
            for r in sqlx::query("SELECT o.code, o.id, o.name, p.code FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id")
                .fetch_all(&mut *c)
                .await?
            {
                known.orgs.insert(r.get(0), (r.get(1), r.get(2), r.get(3)));
            }
            if kind == RosterKind::Orgs {
                return Ok(known);
            }
            for (sql, map) in [
                ("SELECT g.code, g.id, g.name, o.code FROM deputy_groups g JOIN orgs o ON o.id = g.org_id", &mut known.groups),
                ("SELECT u.code, u.id, u.name, o.code FROM units u JOIN orgs o ON o.id = u.org_id", &mut known.units),
            ] {
                for r in sqlx::query(sql).fetch_all(&mut *c).await? {
                    map.insert(r.get(0), (r.get(1), r.get(2), r.get(3)));
                }
            }
            if kind == RosterKind::People {
                for r in sqlx::query("SELECT code, id, name, roles_spec, scope_spec, telegram_id, lang FROM people")
                    .fetch_all(&mut *c)
                    .await?
                {
                    known.people.insert(
                        r.get(0),
                        crate::storage::roster::StoredPerson {
                            id: r.get(1),
                            name: r.get(2),
                            roles_spec: r.get(3),
                            scope_spec: r.get(4),
                            telegram_id: r.get(5),
                            lang: r.get(6),
                        },
                    );
                }
            }
            Ok(known)
        }

        /// Checks a parsed roster file against the stored roster and writes it, in the caller's
        /// transaction. Any bad line: nothing is written and every bad line is returned.
        pub(super) async fn import_in(
            c: &mut Conn,
            batch: &crate::storage::roster::RosterBatch,
            progress: Option<&(dyn Fn(u64) + Send + Sync)>,
        ) -> Result<crate::storage::roster::ImportReport, crate::storage::roster::ImportFailure> {
            use crate::storage::roster::{plan, Change, ImportFailure, ImportReport, RosterKind, RosterRow};
            let known = load_known(c, batch.kind).await?;
            let mut errors = batch.errors.clone();
            let changes = plan(batch, &known, &mut errors);
            if !errors.is_empty() {
                errors.sort_by_key(|e| e.line);
                return Err(ImportFailure::Lines(errors));
            }
            let mut report = ImportReport { kind: batch.kind, inserted: 0, updated: 0, unchanged: 0 };
            let mut people = Vec::new();
            for ((_, row), (change, grants)) in batch.rows.iter().zip(&changes) {
                match change {
                    Change::Unchanged => {
                        report.unchanged += 1;
                        continue;
                    }
                    Change::Insert => report.inserted += 1,
                    Change::Update(_) => report.updated += 1,
                }
                match row {
                    RosterRow::Org { code, name, .. } => {
                        sqlx::query("INSERT INTO orgs (code, name) VALUES ($1, $2) \
                                     ON CONFLICT (code) DO UPDATE SET name = excluded.name")
                            .bind(code)
                            .bind(name)
                            .execute(&mut *c)
                            .await?;
                    }
                    RosterRow::Member { code, name, org } => {
                        let sql = if batch.kind == RosterKind::Groups {
                            "INSERT INTO deputy_groups (code, name, org_id) VALUES ($1, $2, (SELECT id FROM orgs WHERE code = $3)) \
                             ON CONFLICT (code) DO UPDATE SET name = excluded.name, org_id = excluded.org_id"
                        } else {
                            "INSERT INTO units (code, name, org_id) VALUES ($1, $2, (SELECT id FROM orgs WHERE code = $3)) \
                             ON CONFLICT (code) DO UPDATE SET name = excluded.name, org_id = excluded.org_id"
                        };
                        sqlx::query(sql).bind(code).bind(name).bind(org).execute(&mut *c).await?;
                    }
                    RosterRow::Person(p) => people.push((p, grants, matches!(change, Change::Update(_)))),
                }
            }
            super::write_people(c, &people, progress).await?;
            // Parents last, so an org may name a parent that comes later in the file.
            for ((_, row), (change, _)) in batch.rows.iter().zip(&changes) {
                if let (RosterRow::Org { code, parent, .. }, Change::Insert | Change::Update(_)) = (row, change) {
                    sqlx::query("UPDATE orgs SET parent_id = (SELECT p.id FROM orgs p WHERE p.code = $2) WHERE code = $1")
                        .bind(code)
                        .bind(parent)
                        .execute(&mut *c)
                        .await?;
                }
            }
            Ok(report)
        }

        #[derive(Clone, Copy)]
        enum ScopeColumn {
            Group,
            Org,
            Unit,
        }
    };
}

pub(crate) use shared_queries;

/// The [`Repository`](crate::storage::Repository) implementation both backends share: each
/// method takes a read connection or a write transaction from the backend and runs the
/// shared queries in it. The backend type provides `write()`, `read()`, `MIGRATOR` and `pool`.
macro_rules! repository_impl {
    ($Repo:ty, $q:ident) => {
        // In a const block so the imports stay inside.
        const _: () = {
            use chrono::{DateTime, Utc};

            use $crate::domain::{Draft, PersonId, Suggestion, SuggestionNo};
            use $crate::storage::roster::{ImportFailure, ImportReport, RosterBatch};
            use $crate::storage::{
                ActError, Applied, BindTarget, EventRecord, InviteError, LoopPolicy, OutboxRow,
                Request, StoreError, Who, to_ms,
            };

            #[async_trait::async_trait]
            impl $crate::storage::Repository for $Repo {
                async fn migrate(&self) -> Result<(), StoreError> {
                    Self::MIGRATOR.run(&self.pool).await?;
                    Ok(())
                }

                async fn file(
                    &self,
                    policy: &LoopPolicy,
                    who: Who,
                    draft: Draft,
                    now: DateTime<Utc>,
                    update: Option<i64>,
                ) -> Result<Applied, ActError> {
                    let mut tx = self.write().await?;
                    let applied = $q::file_in(&mut *tx, policy, who, draft, now, update).await?;
                    tx.commit().await?;
                    Ok(applied)
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
                    $q::visible(&mut c, &actor, no).await
                }

                async fn suggestion(
                    &self,
                    no: SuggestionNo,
                ) -> Result<Option<Suggestion>, StoreError> {
                    $q::load_suggestion(&mut *self.read().await?, no).await
                }

                async fn timeline(&self, no: SuggestionNo) -> Result<Vec<EventRecord>, StoreError> {
                    $q::timeline_of(&mut *self.read().await?, no).await
                }

                async fn outbox_after(
                    &self,
                    after: i64,
                    limit: i64,
                ) -> Result<Vec<OutboxRow>, StoreError> {
                    $q::outbox_rows(&mut *self.read().await?, after, limit).await
                }

                async fn import_roster(
                    &self,
                    batch: &RosterBatch,
                    progress: Option<&(dyn Fn(u64) + Send + Sync)>,
                ) -> Result<ImportReport, ImportFailure> {
                    let mut tx = self.write().await?;
                    let report = $q::import_in(&mut *tx, batch, progress).await?;
                    tx.commit().await?;
                    Ok(report)
                }

                async fn create_invite(
                    &self,
                    person_code: &str,
                    token_hash: &str,
                    now: DateTime<Utc>,
                ) -> Result<String, InviteError> {
                    let mut tx = self.write().await?;
                    let name =
                        $q::create_invite_in(&mut *tx, person_code, token_hash, to_ms(now)).await?;
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
                    chat_id: i64,
                    target: BindTarget,
                    by: Option<PersonId>,
                    now: DateTime<Utc>,
                ) -> Result<(), StoreError> {
                    let mut tx = self.write().await?;
                    $q::bind_chat_in(&mut *tx, chat_id, &target, by, to_ms(now)).await?;
                    tx.commit().await?;
                    Ok(())
                }
            }
        };
    };
}

pub(crate) use repository_impl;
