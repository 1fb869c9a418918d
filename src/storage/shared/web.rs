//! The board's sign-in: one-time links and sessions. Expanded into each backend by
//! [`super::shared_queries`].

macro_rules! web {
    () => {
        pub(super) async fn create_web_link_in(
            c: &mut Conn,
            who: Who,
            token_hash: &str,
            now: i64,
            expires_at: i64,
        ) -> Result<PersonId, ActError> {
            let (_, person) = person_actor(c, who).await?;
            sqlx::query(
                "INSERT INTO web_links (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(person.0)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *c)
            .await?;
            Ok(person)
        }

        /// Uses the link up and starts the session, in the caller's transaction: a link signs
        /// in once, however often it is opened.
        pub(super) async fn sign_in_with_link_in(
            c: &mut Conn,
            token_hash: &str,
            session: &crate::storage::NewSession,
            now: i64,
        ) -> Result<PersonId, crate::storage::SignInError> {
            use crate::storage::SignInError;
            let row = sqlx::query("SELECT person_id, expires_at, used_at FROM web_links WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&mut *c)
                .await?;
            let Some(row) = row else { return Err(SignInError::Unknown) };
            if row.try_get::<Option<i64>, _>("used_at")?.is_some() {
                return Err(SignInError::Used);
            }
            if row.try_get::<i64, _>("expires_at")? <= now {
                return Err(SignInError::Expired);
            }
            let used = sqlx::query("UPDATE web_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
                .bind(token_hash)
                .bind(now)
                .execute(&mut *c)
                .await?;
            if used.rows_affected() != 1 {
                return Err(SignInError::Used);
            }
            let person = PersonId(row.try_get("person_id")?);
            start_session(c, person, session, now).await?;
            Ok(person)
        }

        /// Stores a new session for `person`.
        async fn start_session(
            c: &mut Conn,
            person: PersonId,
            session: &crate::storage::NewSession,
            now: i64,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO web_sessions (id_hash, person_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(session.id.hash())
            .bind(person.0)
            .bind(&session.csrf)
            .bind(now)
            .bind(to_ms(session.expires_at))
            .execute(&mut *c)
            .await?;
            Ok(())
        }

        /// A session that has not ended (ended ones are removed when someone signs out).
        pub(super) async fn web_session_in(
            c: &mut Conn,
            id_hash: &str,
            now: i64,
        ) -> Result<Option<crate::storage::WebSession>, StoreError> {
            let row = sqlx::query("SELECT person_id, csrf, expires_at FROM web_sessions WHERE id_hash = $1")
                .bind(id_hash)
                .fetch_optional(&mut *c)
                .await?;
            let Some(row) = row else { return Ok(None) };
            let expires_at: i64 = row.try_get("expires_at")?;
            if expires_at <= now {
                return Ok(None);
            }
            Ok(Some(crate::storage::WebSession {
                person: PersonId(row.try_get("person_id")?),
                csrf: row.try_get("csrf")?,
                expires_at: from_ms(expires_at),
            }))
        }

        pub(super) async fn end_web_session_in(c: &mut Conn, id_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
            let ended = sqlx::query("DELETE FROM web_sessions WHERE id_hash = $1 AND expires_at > $2")
                .bind(id_hash)
                .bind(now)
                .execute(&mut *c)
                .await?;
            // Sessions past their end go too: nothing reads them again.
            sqlx::query("DELETE FROM web_sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(&mut *c)
                .await?;
            Ok(ended.rows_affected() == 1)
        }

        pub(super) async fn sign_in_telegram_in(
            c: &mut Conn,
            telegram_id: i64,
            session: &crate::storage::NewSession,
            now: i64,
        ) -> Result<PersonId, crate::storage::SignInError> {
            let row = sqlx::query("SELECT id FROM people WHERE telegram_id = $1")
                .bind(telegram_id)
                .fetch_optional(&mut *c)
                .await?;
            let Some(row) = row else { return Err(crate::storage::SignInError::NotOnRoster) };
            let person = PersonId(row.try_get("id")?);
            start_session(c, person, session, now).await?;
            Ok(person)
        }

        /// The person with their roles, in the language they chose on Telegram or WeCom, else
        /// the roster's.
        pub(super) async fn web_account_in(c: &mut Conn, person: PersonId) -> Result<Option<Account>, StoreError> {
            let row = sqlx::query(
                "SELECT p.id, p.code, p.name, COALESCE(a.lang, w.lang, p.lang) AS lang FROM people p \
                 LEFT JOIN accounts a ON a.telegram_id = p.telegram_id \
                 LEFT JOIN wecom_accounts w ON w.person_id = p.id WHERE p.id = $1",
            )
            .bind(person.0)
            .fetch_optional(&mut *c)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let card = person_card(c, &row).await?;
            Ok(Some(Account { person: Some(card), lang: lang_of(&row, "lang")? }))
        }

        /// The board's rows: [`watched_below`] for a supervisor, and a unit contact's own
        /// units' watched steps, with the filters as further conditions.
        pub(super) async fn board_in(
            c: &mut Conn,
            who: Who,
            filter: &crate::storage::BoardFilter,
        ) -> Result<Vec<crate::storage::BoardRow>, ActError> {
            let (actor, person) = person_actor(c, who).await?;
            let supervises = supervisor_roles().into_iter().any(|r| actor.has_role(r));
            let handles = actor.has_role(Role::Unit);
            let mut scopes = Vec::new();
            if supervises {
                scopes.push(format!("({})", watched_below()));
            }
            if handles {
                scopes.push(format!(
                    "(s.state IN {STEP_STATES} AND EXISTS (SELECT 1 FROM suggestion_units su \
                     JOIN person_roles r ON r.unit_id = su.unit_id \
                     WHERE su.suggestion_id = s.id AND r.person_id = $1 AND r.role = 'unit'))"
                ));
            }
            if scopes.is_empty() {
                return Err(Refusal::NotYourRole.into());
            }
            let mut binds = vec![BoardBind::Int(person.0)];
            let mut conditions = vec![format!("({})", scopes.join(" OR "))];
            let mut bind = |value: BoardBind| {
                binds.push(value);
                format!("${}", binds.len())
            };
            if let Some(group) = &filter.group {
                conditions.push(format!("g.code = {}", bind(BoardBind::Text(group.clone()))));
            }
            if let Some(unit) = &filter.unit {
                conditions.push(format!(
                    "EXISTS (SELECT 1 FROM suggestion_units fu JOIN units fun ON fun.id = fu.unit_id \
                     WHERE fu.suggestion_id = s.id AND fun.code = {})",
                    bind(BoardBind::Text(unit.clone()))
                ));
            }
            if let Some(state) = filter.state {
                conditions.push(format!("s.state = {}", bind(BoardBind::Text(state.as_str().into()))));
            }
            if let Some(category) = &filter.category {
                conditions.push(format!("s.category = {}", bind(BoardBind::Text(category.clone()))));
            }
            if let Some((from, to)) = filter.filed {
                let from = bind(BoardBind::Int(to_ms(from)));
                let to = bind(BoardBind::Int(to_ms(to)));
                conditions.push(format!("s.filed_at >= {from} AND s.filed_at < {to}"));
            }
            if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                match search.parse::<SuggestionNo>() {
                    Ok(no) => {
                        let year = bind(BoardBind::Int(i64::from(no.year)));
                        let seq = bind(BoardBind::Int(i64::from(no.seq)));
                        conditions.push(format!("s.year = {year} AND s.seq = {seq}"));
                    }
                    Err(_) => {
                        for word in search.split_whitespace() {
                            let pattern = bind(BoardBind::Text(like_pattern(word)));
                            conditions.push(format!("lower(s.title) LIKE lower({pattern}) ESCAPE '\\'"));
                        }
                    }
                }
            }
            let sql = format!(
                "{}SELECT {LISTED}, s.category, g.code AS group_code, g.name AS group_name, \
                 u.code AS unit_code, u.name AS unit_name \
                 FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id \
                 LEFT JOIN units u ON u.id = (SELECT su.unit_id FROM suggestion_units su \
                   JOIN units x ON x.id = su.unit_id WHERE su.suggestion_id = s.id \
                   ORDER BY su.lead DESC, x.code LIMIT 1) \
                 WHERE {} ORDER BY {BY_DEADLINE}",
                subtree(&supervisor_roles()),
                conditions.join(" AND ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for value in binds {
                query = match value {
                    BoardBind::Int(n) => query.bind(n),
                    BoardBind::Text(t) => query.bind(t),
                };
            }
            let rows = query.fetch_all(&mut *c).await?;
            let rows = rows
                .iter()
                .map(|r| {
                    let unit = match (r.try_get::<Option<String>, _>("unit_code")?, r.try_get::<Option<String>, _>("unit_name")?) {
                        (Some(code), Some(name)) => Some((code, name)),
                        _ => None,
                    };
                    Ok(crate::storage::BoardRow {
                        listed: listed(r)?,
                        category: r.try_get("category")?,
                        group_code: r.try_get("group_code")?,
                        group_name: r.try_get("group_name")?,
                        unit,
                    })
                })
                .collect::<Result<_, StoreError>>()?;
            Ok(rows)
        }

        /// One page of an org's public wall (see [`crate::storage::Repository::wall`]).
        pub(super) async fn wall_in(
            c: &mut Conn,
            org: &str,
            words: &[String],
            no: Option<SuggestionNo>,
            offset: i64,
            limit: i64,
        ) -> Result<Page<crate::storage::WallEntry>, StoreError> {
            let known = sqlx::query("SELECT id FROM orgs WHERE code = $1").bind(org).fetch_optional(&mut *c).await?;
            if known.is_none() {
                return Err(StoreError::UnknownOrg(org.to_owned()));
            }
            let mut binds = vec![BoardBind::Text(org.to_owned())];
            let mut conditions = vec!["g.org_id IN (SELECT id FROM sub)".to_owned(), "s.state = 'closed'".to_owned()];
            let mut bind = |value: BoardBind| {
                binds.push(value);
                format!("${}", binds.len())
            };
            if let Some(no) = no {
                let year = bind(BoardBind::Int(i64::from(no.year)));
                let seq = bind(BoardBind::Int(i64::from(no.seq)));
                conditions.push(format!("s.year = {year} AND s.seq = {seq}"));
            }
            for word in words {
                let pattern = bind(BoardBind::Text(like_pattern(word)));
                // The text of a suggestion adopted from a resident's request is not shown on
                // the wall, so it is not searched either: a hit would tell what it says.
                conditions.push(format!(
                    "(lower(s.title) LIKE lower({pattern}) ESCAPE '\\' \
                     OR (s.request_id IS NULL AND lower(s.body) LIKE lower({pattern}) ESCAPE '\\'))"
                ));
            }
            let with = "WITH RECURSIVE sub (id) AS (SELECT id FROM orgs WHERE code = $1 \
                        UNION SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id) ";
            let from = format!(
                "FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id WHERE {}",
                conditions.join(" AND ")
            );
            let page_at = binds.len() + 1;
            let bound = |sql: String, binds: &[BoardBind]| {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for value in binds {
                    query = match value {
                        BoardBind::Int(n) => query.bind(*n),
                        BoardBind::Text(t) => query.bind(t.clone()),
                    };
                }
                query
            };
            let total: i64 = bound(format!("{with}SELECT COUNT(*) AS total {from}"), &binds)
                .fetch_one(&mut *c)
                .await?
                .try_get("total")?;
            let sql = format!(
                "{with}SELECT s.id, s.year, s.seq, s.title, s.body, s.request_id, s.category, s.rating, s.updated_at, \
                 p.name AS deputy_name, g.name AS group_name, \
                 (SELECT e.text FROM events e WHERE e.suggestion_id = s.id AND e.kind = 'replied' \
                  ORDER BY e.id DESC LIMIT 1) AS reply, \
                 (SELECT e.at FROM events e WHERE e.suggestion_id = s.id AND e.kind = 'replied' \
                  ORDER BY e.id DESC LIMIT 1) AS replied_at \
                 {} ORDER BY s.updated_at DESC, s.id DESC LIMIT ${page_at} OFFSET ${}",
                from.replacen("FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id",
                    "FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id JOIN people p ON p.id = s.deputy_id", 1),
                page_at + 1
            );
            let rows = bound(sql, &binds).bind(limit.max(0)).bind(offset.max(0)).fetch_all(&mut *c).await?;
            // The units of the whole page in one query, lead first.
            let ids: Vec<i64> = rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
            let mut units: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
            if !ids.is_empty() {
                let places: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "SELECT su.suggestion_id, u.name FROM suggestion_units su JOIN units u ON u.id = su.unit_id \
                     WHERE su.suggestion_id IN ({}) ORDER BY su.suggestion_id, su.lead DESC, u.code",
                    places.join(", ")
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for id in &ids {
                    query = query.bind(*id);
                }
                for u in query.fetch_all(&mut *c).await? {
                    units.entry(u.try_get("suggestion_id")?).or_default().push(u.try_get("name")?);
                }
            }
            let mut entries = Vec::with_capacity(rows.len());
            for (r, id) in rows.iter().zip(&ids) {
                let units = units.remove(id).unwrap_or_default();
                let reply = match (r.try_get::<Option<String>, _>("reply")?, r.try_get::<Option<i64>, _>("replied_at")?) {
                    (Some(text), Some(at)) => Some((text, from_ms(at))),
                    _ => None,
                };
                let rating: Option<String> = r.try_get("rating")?;
                entries.push(crate::storage::WallEntry {
                    no: number_of(r, "year", "seq")?,
                    title: r.try_get("title")?,
                    body: match r.try_get::<Option<i64>, _>("request_id")? {
                        Some(_) => None,
                        None => Some(r.try_get("body")?),
                    },
                    category: r.try_get("category")?,
                    deputy_name: r.try_get("deputy_name")?,
                    group_name: r.try_get("group_name")?,
                    units,
                    reply,
                    rating: rating
                        .map(|w| w.parse().map_err(|_| StoreError::Corrupt(format!("rating: {w:?}"))))
                        .transpose()?,
                    closed_at: from_ms(r.try_get("updated_at")?),
                });
            }
            Ok(Page { rows: entries, total })
        }

        /// A bound value of a query whose conditions depend on the filters given.
        enum BoardBind {
            Int(i64),
            Text(String),
        }

        /// A `LIKE` pattern for text containing `word`, its own `%`, `_` and `\` taken
        /// literally.
        fn like_pattern(word: &str) -> String {
            let mut pattern = String::from("%");
            for ch in word.chars() {
                if matches!(ch, '%' | '_' | '\\') {
                    pattern.push('\\');
                }
                pattern.push(ch);
            }
            pattern.push('%');
            pattern
        }
    };
}

pub(crate) use web;
