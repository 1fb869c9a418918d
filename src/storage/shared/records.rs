//! Reading and writing the records of the loop: update ids, actors, org chains,
//! suggestions, numbers, events, timelines and outbox rows.
//! Expanded into each backend by [`super::shared_queries`].

macro_rules! records {
    ($lock:literal) => {
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

        /// Whether an update id was applied before (nothing when there is none).
        pub(super) async fn update_handled(c: &mut Conn, update: Option<i64>) -> Result<bool, sqlx::Error> {
            let Some(id) = update else { return Ok(false) };
            let row = sqlx::query("SELECT update_id FROM handled_updates WHERE update_id = $1")
                .bind(id)
                .fetch_optional(&mut *c)
                .await?;
            Ok(row.is_some())
        }

        pub(super) async fn person_by_telegram(
            c: &mut Conn,
            telegram_id: i64,
        ) -> Result<Option<PersonId>, sqlx::Error> {
            let row = sqlx::query("SELECT id FROM people WHERE telegram_id = $1")
                .bind(telegram_id)
                .fetch_optional(&mut *c)
                .await?;
            row.map(|r| Ok(PersonId(r.try_get("id")?))).transpose()
        }

        /// The actor and their grants, read in the transaction that acts: one statement, a
        /// row per grant (one row of NULL grant for a person with none).
        pub(super) async fn load_actor(c: &mut Conn, who: Who) -> Result<Actor, ActError> {
            let (column, key) = match who {
                Who::System => return Ok(Actor::system()),
                Who::Person(p) => ("id", p.0),
                Who::Telegram(t) => ("telegram_id", t),
            };
            let sql = format!(
                "SELECT p.id, r.role, r.org_id, r.group_id, r.unit_id FROM people p \
                 LEFT JOIN person_roles r ON r.person_id = p.id WHERE p.{column} = $1"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(key).fetch_all(&mut *c).await?;
            let person = PersonId(rows.first().ok_or(ActError::UnknownPerson)?.try_get("id")?);
            let mut grants = Vec::with_capacity(rows.len());
            for row in &rows {
                let Some(role) = maybe_word::<Role>(row, "role")? else { continue };
                let scope = match (row.try_get("org_id")?, row.try_get("group_id")?, row.try_get("unit_id")?) {
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
            chain_from(c, "SELECT id, parent_id, 0 FROM orgs WHERE id = $1", org).await
        }

        /// The chain of orgs above a deputy group, nearest first, in one statement.
        pub(super) async fn group_orgs(c: &mut Conn, group: GroupId) -> Result<Vec<OrgId>, sqlx::Error> {
            let start = "SELECT o.id, o.parent_id, 0 FROM deputy_groups g JOIN orgs o ON o.id = g.org_id WHERE g.id = $1";
            chain_from(c, start, group.0).await
        }

        /// The orgs from the one `start` selects (id, parent, depth 0) up to the root.
        async fn chain_from(c: &mut Conn, start: &str, id: i64) -> Result<Vec<OrgId>, sqlx::Error> {
            let sql = format!(
                "WITH RECURSIVE chain (id, parent_id, depth) AS ( \
                   {start} \
                   UNION ALL \
                   SELECT o.id, o.parent_id, chain.depth + 1 FROM orgs o \
                   JOIN chain ON o.id = chain.parent_id WHERE chain.depth < 64) \
                 SELECT id FROM chain ORDER BY depth"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(&mut *c).await?;
            rows.iter().map(|r| Ok(OrgId(r.try_get("id")?))).collect()
        }

        /// A stored word (a state, a role, a level…) of `column`, parsed; a word this version
        /// does not know is `Corrupt`, not a panic.
        fn word<T: std::str::FromStr>(row: &Row, column: &str) -> Result<T, StoreError> {
            let value: String = row.try_get(column)?;
            value.parse().map_err(|_| StoreError::Corrupt(format!("{column}: {value:?}")))
        }

        /// The same for a column that may be NULL.
        fn maybe_word<T: std::str::FromStr>(row: &Row, column: &str) -> Result<Option<T>, StoreError> {
            let value: Option<String> = row.try_get(column)?;
            value
                .map(|v| v.parse().map_err(|_| StoreError::Corrupt(format!("{column}: {v:?}"))))
                .transpose()
        }

        /// A person's language from `column`. One this version does not speak reads as none:
        /// the reader then gets the default language, as a person who chose none does.
        fn lang_of(row: &Row, column: &str) -> Result<Option<Lang>, sqlx::Error> {
            let tag: Option<String> = row.try_get(column)?;
            Ok(tag.as_deref().and_then(Lang::parse))
        }

        /// A suggestion number from a row's `year` and `seq` columns (or others named so).
        fn number_of(row: &Row, year: &str, seq: &str) -> Result<SuggestionNo, sqlx::Error> {
            let (year, seq): (i64, i64) = (row.try_get(year)?, row.try_get(seq)?);
            Ok(SuggestionNo::new(year as i32, seq as u32))
        }

        /// Loads a suggestion. `lock`: inside a write transaction that will change it, lock
        /// its row where the backend needs that; plain reads never wait behind writers.
        pub(super) async fn load_suggestion(
            c: &mut Conn,
            no: SuggestionNo,
            lock: bool,
        ) -> Result<Option<Suggestion>, StoreError> {
            const SELECT: &str = "SELECT s.id, s.deputy_id, s.group_id, s.title, s.body, s.category, s.state, \
                 s.level, s.deadline, s.key_flag, s.supervised, s.unsatisfied_count, s.rating, \
                 s.outcome, s.request_id, s.filed_at, s.merged_into_id \
                 FROM suggestions s WHERE s.year = $1 AND s.seq = $2";
            let sql = if lock { [SELECT, $lock].concat() } else { SELECT.to_string() };
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(i64::from(no.year))
            .bind(i64::from(no.seq))
            .fetch_optional(&mut *c)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let id: i64 = row.try_get("id")?;
            let group = GroupId(row.try_get("group_id")?);
            let merged_into: Option<i64> = row.try_get("merged_into_id")?;
            let merged_into = match merged_into {
                Some(m) => {
                    let r = sqlx::query("SELECT year, seq FROM suggestions WHERE id = $1")
                        .bind(m)
                        .fetch_one(&mut *c)
                        .await?;
                    Some(number_of(&r, "year", "seq")?)
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
            let (mut lead_unit, mut co_units) = (None, Vec::new());
            for unit in &units {
                let id = UnitId(unit.try_get("unit_id")?);
                match unit.try_get::<bool, _>("lead")? {
                    true => lead_unit = lead_unit.or(Some(id)),
                    false => co_units.push(id),
                }
            }
            Ok(Some(Suggestion {
                id: SuggestionId(id),
                no,
                deputy: PersonId(row.try_get("deputy_id")?),
                group,
                title: row.try_get("title")?,
                body: row.try_get("body")?,
                category: row.try_get("category")?,
                state: word(&row, "state")?,
                level: maybe_word(&row, "level")?,
                lead_unit,
                co_units,
                deadline: row.try_get::<Option<i64>, _>("deadline")?.map(from_ms),
                key: row.try_get("key_flag")?,
                supervised: row.try_get("supervised")?,
                unsatisfied_count: row.try_get::<i64, _>("unsatisfied_count")? as u32,
                rating: maybe_word(&row, "rating")?,
                outcome: maybe_word(&row, "outcome")?,
                merged_into,
                request: row.try_get::<Option<i64>, _>("request_id")?.map(RequestId),
                filed_at: from_ms(row.try_get("filed_at")?),
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
            Ok(row.try_get::<i64, _>("last")? as u32)
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

        /// Writes the next record of a suggestion and its handling units; on its first reply,
        /// also whether that reply came by the deadline then in force (`replied_on_time`).
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
                    .map(|r| r.try_get("id"))
                    .transpose()?,
                None => None,
            };
            sqlx::query(
                "UPDATE suggestions SET title = $2, body = $3, state = $4, level = $5, deadline = $6, \
                 key_flag = $7, supervised = $8, unsatisfied_count = $9, rating = $10, outcome = $11, \
                 merged_into_id = $12, updated_at = $13, \
                 replied_on_time = CASE WHEN $4 = 'replied' AND state <> 'replied' AND replied_on_time IS NULL \
                   THEN (CASE WHEN deadline IS NULL OR $13 <= deadline THEN 1 ELSE 0 END) \
                   ELSE replied_on_time END \
                 WHERE id = $1",
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

        pub(super) async fn timeline_of(c: &mut Conn, no: SuggestionNo) -> Result<Vec<EventRecord>, StoreError> {
            let rows = sqlx::query(
                "SELECT e.id, e.at, p.name AS actor, e.kind, e.from_state, e.to_state, e.text FROM events e \
                 JOIN suggestions s ON s.id = e.suggestion_id LEFT JOIN people p ON p.id = e.actor_id \
                 WHERE s.year = $1 AND s.seq = $2 ORDER BY e.id",
            )
            .bind(i64::from(no.year))
            .bind(i64::from(no.seq))
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| {
                    let kind: String = r.try_get("kind")?;
                    Ok(EventRecord {
                        id: r.try_get("id")?,
                        at: from_ms(r.try_get("at")?),
                        actor: r.try_get("actor")?,
                        kind: crate::domain::EventKind::parse(&kind)
                            .ok_or_else(|| StoreError::Corrupt(format!("event kind {kind:?}")))?,
                        from: maybe_word(r, "from_state")?,
                        to: word(r, "to_state")?,
                        text: r.try_get("text")?,
                    })
                })
                .collect()
        }
    };
}

pub(crate) use records;
