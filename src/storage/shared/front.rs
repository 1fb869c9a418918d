//! What the Telegram front end reads and writes beyond transitions: accounts, chat bindings,
//! lists (own suggestions, queue, overdue), statistics, `/show` details, assignable units and
//! dialogue steps. Expanded into each backend by [`super::shared_queries`].

macro_rules! front {
    () => {
        /// The states of an open item: a step with a deadline is still to be taken.
        const OPEN_STATES: &str = "('submitted', 'accepted', 'assigned', 'replied', 'explaining')";

        /// The open states whose step is watched by the three colours (三色督办): the leader's
        /// review, the clerk's assignment, the unit's reply or explanation. `/overdue`, the
        /// daily report's colours and red list, and `deadline_reminders` all select by it; a
        /// reply waiting for its rating is the deputy's step and is counted apart.
        const STEP_STATES: &str = "('submitted', 'accepted', 'assigned', 'explaining')";

        /// The SQL list is the domain's [`State::WATCHED`], written out for `format!`.
        #[test]
        fn the_watched_states_are_the_domains() {
            let words: Vec<String> = State::WATCHED.iter().map(|s| format!("'{}'", s.as_str())).collect();
            assert_eq!(STEP_STATES, format!("({})", words.join(", ")));
        }

        /// The watched steps below the supervisor's orgs (`sub`, see [`subtree`]), over
        /// `suggestions s JOIN deputy_groups g`: the one selection of `/overdue` and the board.
        fn watched_below() -> String {
            format!("g.org_id IN (SELECT id FROM sub) AND s.state IN {STEP_STATES}")
        }

        /// The columns of a [`Listed`] row, from `suggestions s`.
        const LISTED: &str =
            "s.year, s.seq, s.title, s.state, s.deadline, s.filed_at, s.key_flag, s.supervised";

        /// `sub (id)`: the orgs where person `$1` holds one of `roles`, and every org below
        /// them.
        fn subtree(roles: &[Role]) -> String {
            let roles: Vec<String> = roles.iter().map(|r| format!("'{}'", r.as_str())).collect();
            format!(
                "WITH RECURSIVE sub (id) AS ( \
                   SELECT org_id FROM person_roles WHERE person_id = $1 AND org_id IS NOT NULL \
                   AND role IN ({}) \
                   UNION SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id) ",
                roles.join(", ")
            )
        }

        /// The roster person acting, with their grants; the system and unknown accounts have
        /// no lists.
        async fn person_actor(c: &mut Conn, who: Who) -> Result<(Actor, PersonId), ActError> {
            let actor = load_actor(c, who).await?;
            let person = actor.person.ok_or(ActError::UnknownPerson)?;
            Ok((actor, person))
        }

        /// The roles that supervise an org's suggestions (`/overdue`, `/stats`): the permission
        /// table's.
        fn supervisor_roles() -> Vec<Role> {
            crate::domain::permissions::roles_for(ActionKind::Supervise).collect()
        }

        /// A supervisor's person id, or `NotYourRole` for anyone else.
        async fn supervisor(c: &mut Conn, who: Who) -> Result<PersonId, ActError> {
            let (actor, person) = person_actor(c, who).await?;
            if !supervisor_roles().into_iter().any(|r| actor.has_role(r)) {
                return Err(Refusal::NotYourRole.into());
            }
            Ok(person)
        }

        /// A [`Listed`] from the row's [`LISTED`] columns.
        fn listed(row: &Row) -> Result<Listed, StoreError> {
            Ok(Listed {
                no: number_of(row, "year", "seq")?,
                title: row.try_get("title")?,
                state: word(row, "state")?,
                deadline: row.try_get::<Option<i64>, _>("deadline")?.map(from_ms),
                filed_at: from_ms(row.try_get("filed_at")?),
                key: row.try_get("key_flag")?,
                supervised: row.try_get("supervised")?,
            })
        }

        /// One page of a list: `with` (a CTE or nothing), `from` (the `FROM … WHERE …` over
        /// `suggestions s`, with `$1` the person and `$2` the time `at`, when given), `order`.
        #[allow(clippy::too_many_arguments)]
        async fn page(
            c: &mut Conn,
            with: &str,
            from: &str,
            order: &str,
            person: PersonId,
            at: Option<i64>,
            offset: i64,
            limit: i64,
        ) -> Result<Page<Listed>, StoreError> {
            let next = if at.is_some() { 3 } else { 2 };
            let count = format!("{with}SELECT COUNT(*) AS total {from}");
            let mut q = sqlx::query(sqlx::AssertSqlSafe(count)).bind(person.0);
            if let Some(at) = at {
                q = q.bind(at);
            }
            let total: i64 = q.fetch_one(&mut *c).await?.try_get("total")?;
            let rows = format!(
                "{with}SELECT {LISTED} {from} ORDER BY {order} LIMIT ${next} OFFSET ${}",
                next + 1
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(rows)).bind(person.0);
            if let Some(at) = at {
                q = q.bind(at);
            }
            let rows = q.bind(limit.max(0)).bind(offset.max(0)).fetch_all(&mut *c).await?;
            let rows = rows.iter().map(listed).collect::<Result<_, _>>()?;
            Ok(Page { rows, total })
        }

        /// Oldest deadline first, items without one last.
        const BY_DEADLINE: &str = "s.deadline IS NULL, s.deadline, s.filed_at, s.id";

        /// One statement, as every update asks it: the account's own language, its roster
        /// person and their grants, a row per grant (one row past the account for a resident
        /// or a person with no grant).
        pub(super) async fn account_in(c: &mut Conn, telegram_id: i64) -> Result<Account, StoreError> {
            let rows = sqlx::query(
                "SELECT a.lang AS own_lang, p.id, p.code, p.name, p.lang, r.role, \
                 COALESCE(o.code, g.code, u.code) AS scope \
                 FROM (SELECT CAST($1 AS BIGINT) AS telegram_id) t \
                 LEFT JOIN accounts a ON a.telegram_id = t.telegram_id \
                 LEFT JOIN people p ON p.telegram_id = t.telegram_id \
                 LEFT JOIN person_roles r ON r.person_id = p.id \
                 LEFT JOIN orgs o ON o.id = r.org_id LEFT JOIN deputy_groups g ON g.id = r.group_id \
                 LEFT JOIN units u ON u.id = r.unit_id",
            )
            .bind(telegram_id)
            .fetch_all(&mut *c)
            .await?;
            let Some(row) = rows.first() else {
                return Err(StoreError::Corrupt("no row for an account".into()));
            };
            let own = lang_of(row, "own_lang")?;
            let Some(id) = row.try_get::<Option<i64>, _>("id")? else {
                return Ok(Account { person: None, lang: own });
            };
            let mut roles = Vec::with_capacity(rows.len());
            for grant in &rows {
                if let Some(role) = maybe_word(grant, "role")? {
                    roles.push((role, grant.try_get("scope")?));
                }
            }
            let person = PersonCard { id: PersonId(id), code: row.try_get("code")?, name: row.try_get("name")?, roles };
            Ok(Account { person: Some(person), lang: own.or(lang_of(row, "lang")?) })
        }

        pub(super) async fn wecom_account_in(c: &mut Conn, userid: &str) -> Result<Option<Account>, StoreError> {
            let row = sqlx::query(
                "SELECT p.id, p.code, p.name, COALESCE(w.lang, p.lang) AS lang FROM people p \
                 LEFT JOIN wecom_accounts w ON w.person_id = p.id WHERE lower(p.wecom_userid) = lower($1)",
            )
            .bind(userid)
            .fetch_optional(&mut *c)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let person = person_card(c, &row).await?;
            Ok(Some(Account { person: Some(person), lang: lang_of(&row, "lang")? }))
        }

        /// A person's card from a row of `people` (`id`, `code`, `name`), with their grants.
        async fn person_card(c: &mut Conn, row: &Row) -> Result<PersonCard, StoreError> {
            let id: i64 = row.try_get("id")?;
            let grants = sqlx::query(
                "SELECT r.role, COALESCE(o.code, g.code, u.code) AS scope FROM person_roles r \
                 LEFT JOIN orgs o ON o.id = r.org_id LEFT JOIN deputy_groups g ON g.id = r.group_id \
                 LEFT JOIN units u ON u.id = r.unit_id WHERE r.person_id = $1",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            let mut roles = Vec::with_capacity(grants.len());
            for g in grants {
                roles.push((word(&g, "role")?, g.try_get("scope")?));
            }
            Ok(PersonCard { id: PersonId(id), code: row.try_get("code")?, name: row.try_get("name")?, roles })
        }

        pub(super) async fn channels_in(c: &mut Conn, who: Who) -> Result<crate::storage::Channels, ActError> {
            let (_, person) = person_actor(c, who).await?;
            let row = sqlx::query("SELECT telegram_id, wecom_userid, channel FROM people WHERE id = $1")
                .bind(person.0)
                .fetch_one(&mut *c)
                .await?;
            let preferred: Option<String> = row.try_get("channel")?;
            Ok(crate::storage::Channels {
                telegram: row.try_get::<Option<i64>, _>("telegram_id")?.is_some(),
                wecom: row.try_get::<Option<String>, _>("wecom_userid")?.is_some(),
                preferred: preferred.as_deref().and_then(crate::domain::reach::PersonChannel::parse),
            })
        }

        pub(super) async fn set_channel_in(
            c: &mut Conn,
            who: Who,
            preferred: Option<crate::domain::reach::PersonChannel>,
        ) -> Result<(), ActError> {
            let (_, person) = person_actor(c, who).await?;
            sqlx::query("UPDATE people SET channel = $2 WHERE id = $1")
                .bind(person.0)
                .bind(preferred.map(|p| p.as_str()))
                .execute(&mut *c)
                .await?;
            Ok(())
        }

        pub(super) async fn set_lang_in(c: &mut Conn, talk: Talk, lang: Lang, now: i64) -> Result<(), sqlx::Error> {
            let query = match talk {
                Talk::Telegram { from, .. } => sqlx::query(
                    "INSERT INTO accounts (telegram_id, lang, seen_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (telegram_id) DO UPDATE SET lang = excluded.lang, seen_at = excluded.seen_at",
                )
                .bind(from),
                Talk::WeCom(person) => sqlx::query(
                    "INSERT INTO wecom_accounts (person_id, lang, seen_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (person_id) DO UPDATE SET lang = excluded.lang, seen_at = excluded.seen_at",
                )
                .bind(person.0),
            };
            query.bind(lang.as_str()).bind(now).execute(&mut *c).await?;
            Ok(())
        }

        pub(super) async fn chat_binding_in(c: &mut Conn, chat_id: i64) -> Result<Option<BindTarget>, sqlx::Error> {
            let row = sqlx::query(
                "SELECT g.code AS group_code, o.code AS org_code, u.code AS unit_code FROM chat_bindings b \
                 LEFT JOIN deputy_groups g ON g.id = b.group_id LEFT JOIN orgs o ON o.id = b.org_id \
                 LEFT JOIN units u ON u.id = b.unit_id WHERE b.chat_id = $1",
            )
            .bind(chat_id)
            .fetch_optional(&mut *c)
            .await?;
            let Some(r) = row else { return Ok(None) };
            let code = |column: &str| r.try_get::<Option<String>, _>(column);
            Ok(code("group_code")?
                .map(BindTarget::Group)
                .or(code("org_code")?.map(BindTarget::Org))
                .or(code("unit_code")?.map(BindTarget::Unit)))
        }

        pub(super) async fn my_suggestions_in(c: &mut Conn, who: Who, offset: i64, limit: i64) -> Result<Page<Listed>, ActError> {
            let (_, person) = person_actor(c, who).await?;
            let from = "FROM suggestions s WHERE s.deputy_id = $1";
            Ok(page(c, "", from, "s.filed_at DESC, s.id DESC", person, None, offset, limit).await?)
        }

        /// A leader's submitted items, a clerk's accepted items (where the clerk's org is among
        /// the suggestion's assigning orgs: the group's org and above for a town-level matter,
        /// the orgs above the group's org for district and higher ones) and a unit contact's
        /// assigned and explaining items.
        pub(super) async fn queue_in(c: &mut Conn, who: Who, limit: i64) -> Result<Page<Listed>, ActError> {
            let (_, person) = person_actor(c, who).await?;
            let with = subtree(&[Role::Clerk]);
            let from = "FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id \
                 JOIN orgs go ON go.id = g.org_id WHERE \
                 (s.state = 'submitted' AND s.group_id IN \
                   (SELECT group_id FROM person_roles WHERE person_id = $1 AND role = 'leader')) \
                 OR (s.state = 'accepted' AND (CASE WHEN s.level IN ('district', 'higher') \
                   AND go.parent_id IS NOT NULL THEN go.parent_id ELSE g.org_id END) IN (SELECT id FROM sub)) \
                 OR (s.state IN ('assigned', 'explaining') AND EXISTS (SELECT 1 FROM suggestion_units su \
                   JOIN person_roles r ON r.unit_id = su.unit_id \
                   WHERE su.suggestion_id = s.id AND r.person_id = $1 AND r.role = 'unit'))";
            Ok(page(c, &with, from, BY_DEADLINE, person, None, 0, limit).await?)
        }

        /// The watched steps below the supervisor's orgs whose deadline is before `green_from`
        /// (see [`crate::domain::Rules::green_from`]): the yellow and red ones.
        pub(super) async fn overdue_in(c: &mut Conn, who: Who, green_from: i64, limit: i64) -> Result<Page<Listed>, ActError> {
            let person = supervisor(c, who).await?;
            let with = subtree(&supervisor_roles());
            let from = format!(
                "FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id \
                 WHERE {} AND s.deadline < $2",
                watched_below()
            );
            Ok(page(c, &with, &from, BY_DEADLINE, person, Some(green_from), 0, limit).await?)
        }

        pub(super) async fn view_in(c: &mut Conn, who: Who, no: SuggestionNo) -> Result<SuggestionView, ActError> {
            let actor = load_actor(c, who).await?;
            let suggestion = visible(c, &actor, no, false).await?;
            let r = sqlx::query(
                "SELECT p.code AS deputy_code, p.name AS deputy_name, g.code AS group_code, g.name AS group_name, s.photo_file_id, \
                 s.latitude, s.longitude, q.year AS request_year, q.seq AS request_seq \
                 FROM suggestions s JOIN people p ON p.id = s.deputy_id \
                 JOIN deputy_groups g ON g.id = s.group_id \
                 LEFT JOIN resident_requests q ON q.id = s.request_id WHERE s.id = $1",
            )
            .bind(suggestion.id.0)
            .fetch_one(&mut *c)
            .await?;
            let units = sqlx::query(
                "SELECT u.code, u.name, su.lead FROM suggestion_units su JOIN units u ON u.id = su.unit_id \
                 WHERE su.suggestion_id = $1 ORDER BY su.lead DESC, u.code",
            )
            .bind(suggestion.id.0)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|u| Ok((u.try_get("code")?, u.try_get("name")?, u.try_get("lead")?)))
            .collect::<Result<_, sqlx::Error>>()?;
            let location = match (r.try_get::<Option<f64>, _>("latitude")?, r.try_get::<Option<f64>, _>("longitude")?) {
                (Some(lat), Some(lon)) => Some((lat, lon)),
                _ => None,
            };
            let request = match (r.try_get::<Option<i64>, _>("request_year")?, r.try_get::<Option<i64>, _>("request_seq")?) {
                (Some(year), Some(seq)) => Some(ResidentNo::new(year as i32, seq as u32)),
                _ => None,
            };
            Ok(SuggestionView {
                suggestion,
                deputy_code: r.try_get("deputy_code")?,
                deputy_name: r.try_get("deputy_name")?,
                group_code: r.try_get("group_code")?,
                group_name: r.try_get("group_name")?,
                units,
                photo: r.try_get("photo_file_id")?,
                location,
                request,
            })
        }

        /// The units of the orgs where `who` is a clerk, and below them: where
        /// [`crate::domain::may_assign_to`] lets a clerk assign.
        pub(super) async fn assignable_units_in(c: &mut Conn, who: Who) -> Result<Vec<(String, String)>, ActError> {
            let (actor, person) = person_actor(c, who).await?;
            let assigners: Vec<Role> = crate::domain::permissions::roles_for(crate::domain::ActionKind::Assign).collect();
            if !assigners.iter().any(|role| actor.has_role(*role)) {
                return Err(Refusal::NotYourRole.into());
            }
            let sql = format!(
                "{}SELECT code, name FROM units WHERE org_id IN (SELECT id FROM sub) ORDER BY code",
                subtree(&assigners)
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person.0).fetch_all(&mut *c).await?;
            Ok(rows.iter().map(|r| Ok((r.try_get("code")?, r.try_get("name")?))).collect::<Result<_, sqlx::Error>>()?)
        }

        pub(super) async fn dialogue_in(c: &mut Conn, talk: Talk) -> Result<Option<DialogueRow>, sqlx::Error> {
            let query = match talk {
                Talk::Telegram { chat, from } => {
                    sqlx::query("SELECT state, updated_at FROM dialogues WHERE chat_id = $1 AND telegram_id = $2")
                        .bind(chat)
                        .bind(from)
                }
                Talk::WeCom(person) => sqlx::query(
                    "SELECT dialogue AS state, dialogue_at AS updated_at FROM wecom_accounts \
                     WHERE person_id = $1 AND dialogue IS NOT NULL",
                )
                .bind(person.0),
            };
            let row = query.fetch_optional(&mut *c).await?;
            row.map(|r| Ok(DialogueRow { state: r.try_get("state")?, updated_at: from_ms(r.try_get("updated_at")?) }))
                .transpose()
        }

        pub(super) async fn save_dialogue_in(c: &mut Conn, talk: Talk, state: Option<&str>, now: i64) -> Result<(), sqlx::Error> {
            let query = match (talk, state) {
                (Talk::Telegram { chat, from }, Some(state)) => sqlx::query(
                    "INSERT INTO dialogues (chat_id, telegram_id, state, updated_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (chat_id, telegram_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                )
                .bind(chat)
                .bind(from)
                .bind(state)
                .bind(now),
                (Talk::Telegram { chat, from }, None) => {
                    sqlx::query("DELETE FROM dialogues WHERE chat_id = $1 AND telegram_id = $2").bind(chat).bind(from)
                }
                // The member's row keeps their language when the dialogue ends, and then
                // reads as before it began: no dialogue, no time of one.
                (Talk::WeCom(person), state) => sqlx::query(
                    "INSERT INTO wecom_accounts (person_id, dialogue, dialogue_at, seen_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (person_id) DO UPDATE SET dialogue = excluded.dialogue, \
                     dialogue_at = excluded.dialogue_at, seen_at = excluded.seen_at",
                )
                .bind(person.0)
                .bind(state)
                .bind(state.map(|_| now))
                .bind(now),
            };
            query.execute(&mut *c).await?;
            Ok(())
        }
    };
}

pub(crate) use front;
