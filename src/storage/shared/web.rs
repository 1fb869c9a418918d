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
            Ok(person)
        }

        /// A session that has not ended; one past its end is removed on the way.
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
    };
}

pub(crate) use web;
