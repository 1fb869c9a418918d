//! The outbox as the delivery worker sees it: claiming due rows with a lease, recording
//! what was sent, retries, dead letters (and telling the admins, in the same transaction),
//! and the operator's view. Expanded into each backend by [`super::shared_queries`].

macro_rules! outbox {
    ($skip_locked:literal) => {
        const OUTBOX_COLUMNS: &str = "o.id, o.channel, o.target, o.lang, o.key, o.args, o.ask, \
             s.year, s.seq, o.state, o.attempts, o.parts_sent, o.created_at, o.last_error";

        /// A row of [`OUTBOX_COLUMNS`]; a stored value that does not parse is `Corrupt`.
        fn outbox_row(r: &Row) -> Result<OutboxRow, StoreError> {
            let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("outbox {what}: {value:?}"));
            let args: String = r.try_get("args")?;
            let channel: String = r.try_get("channel")?;
            let state: String = r.try_get("state")?;
            let lang: String = r.try_get("lang")?;
            let ask: Option<String> = r.try_get("ask")?;
            let year: Option<i64> = r.try_get("year")?;
            let seq: Option<i64> = r.try_get("seq")?;
            Ok(OutboxRow {
                id: r.try_get("id")?,
                channel: Channel::parse(&channel).ok_or_else(|| corrupt("channel", &channel))?,
                target: r.try_get("target")?,
                lang: Lang::parse(&lang).ok_or_else(|| corrupt("lang", &lang))?,
                key: r.try_get("key")?,
                args: serde_json::from_str(&args).map_err(|e| corrupt("args", &e.to_string()))?,
                ask: match ask {
                    Some(ask) => Some(Ask::parse(&ask).ok_or_else(|| corrupt("ask", &ask))?),
                    None => None,
                },
                suggestion: year.zip(seq).map(|(y, s)| SuggestionNo::new(y as i32, s as u32)),
                state: OutboxState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
                attempts: r.try_get("attempts")?,
                parts_sent: r.try_get("parts_sent")?,
                created_at: from_ms(r.try_get("created_at")?),
                last_error: r.try_get("last_error")?,
            })
        }

        pub(super) async fn outbox_rows(c: &mut Conn, after: i64, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
            let sql = format!(
                "SELECT {OUTBOX_COLUMNS} FROM outbox o LEFT JOIN suggestions s ON s.id = o.suggestion_id \
                 WHERE o.id > $1 ORDER BY o.id LIMIT $2"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after).bind(limit).fetch_all(&mut *c).await?;
            rows.iter().map(outbox_row).collect()
        }

        /// Claims up to `limit` due rows for `worker` until `lease_until`: of each chat (channel
        /// and target) only its oldest undelivered row, only when that row is pending and due
        /// or was claimed by a worker whose lease ran out, and only when no other row of the
        /// chat is out under a live lease (on PostgreSQL a lower id can commit after a higher
        /// one). So a chat's messages go out one at a time, and a dead worker's rows come back
        /// after its lease. A claimed row that does not read (a stored value this version
        /// does not know) is a dead letter at once, with the reason: it must not come back at
        /// every claim and hold up the rows claimed with it.
        pub(super) async fn claim_in(c: &mut Conn, worker: i64, now: i64, lease_until: i64, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
            let ids: Vec<i64> = sqlx::query(concat!(
                "UPDATE outbox SET state = 'sending', lease_until = $2, attempts = attempts + 1, claimed_by = $4 \
                 WHERE id IN (SELECT o.id FROM outbox o \
                   WHERE ((o.state = 'pending' AND o.due_at <= $1) OR (o.state = 'sending' AND o.lease_until < $1)) \
                   AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel AND p.target = o.target \
                                   AND p.state IN ('pending', 'sending') \
                                   AND (p.id < o.id OR (p.state = 'sending' AND p.lease_until >= $1))) \
                   ORDER BY o.id LIMIT $3",
                $skip_locked,
                ") RETURNING id"
            ))
            .bind(now)
            .bind(lease_until)
            .bind(limit)
            .bind(worker)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let sql = format!(
                "SELECT {OUTBOX_COLUMNS} FROM outbox o LEFT JOIN suggestions s ON s.id = o.suggestion_id \
                 WHERE o.id IN ({list}) ORDER BY o.id"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *c).await?;
            let mut claimed = Vec::with_capacity(rows.len());
            for row in &rows {
                match outbox_row(row) {
                    Ok(row) => claimed.push(row),
                    Err(e) => {
                        let id: i64 = row.try_get("id")?;
                        tracing::error!(row = id, error = %e, "an outbox row does not read; dead letter");
                        dead_in(c, worker, id, &e.to_string(), now, Lang::default()).await?;
                    }
                }
            }
            Ok(claimed)
        }

        /// One more part of a split message reached the chat.
        pub(super) async fn part_sent_in(c: &mut Conn, worker: i64, id: i64, parts_sent: i64) -> Result<(), sqlx::Error> {
            sqlx::query("UPDATE outbox SET parts_sent = $2 WHERE id = $1 AND state = 'sending' AND claimed_by = $3")
                .bind(id)
                .bind(parts_sent)
                .bind(worker)
                .execute(&mut *c)
                .await?;
            Ok(())
        }

        /// The follow-ups below count only while `worker` still holds the row: a worker whose
        /// lease ran out (and whose row another worker took) changes nothing.
        pub(super) async fn sent_in(c: &mut Conn, worker: i64, id: i64, message_id: Option<i64>, now: i64) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE outbox SET state = 'sent', sent_at = $2, message_id = $3, lease_until = NULL, \
                 last_error = NULL WHERE id = $1 AND state = 'sending' AND claimed_by = $4",
            )
            .bind(id)
            .bind(now)
            .bind(message_id)
            .bind(worker)
            .execute(&mut *c)
            .await?;
            Ok(())
        }

        /// Back to pending, due at `due_at`. A rate limit (429) does not use up an attempt.
        pub(super) async fn retry_in(c: &mut Conn, worker: i64, id: i64, error: &str, due_at: i64, counts: bool) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE outbox SET state = 'pending', due_at = $2, lease_until = NULL, last_error = $3, \
                 attempts = CASE WHEN $4 THEN attempts ELSE attempts - 1 END \
                 WHERE id = $1 AND state = 'sending' AND claimed_by = $5",
            )
            .bind(id)
            .bind(due_at)
            .bind(error)
            .bind(counts)
            .bind(worker)
            .execute(&mut *c)
            .await?;
            Ok(())
        }

        /// Rows a stopping worker claimed but did not finish: pending again, attempt not used.
        pub(super) async fn release_in(c: &mut Conn, worker: i64, ids: &[i64]) -> Result<(), sqlx::Error> {
            for id in ids {
                sqlx::query(
                    "UPDATE outbox SET state = 'pending', lease_until = NULL, attempts = attempts - 1 \
                     WHERE id = $1 AND state = 'sending' AND claimed_by = $2",
                )
                .bind(*id)
                .bind(worker)
                .execute(&mut *c)
                .await?;
            }
            Ok(())
        }

        /// A row that cannot be delivered: dead, with the reason, and every admin told
        /// privately in the same transaction (unless the row was itself such a message).
        pub(super) async fn dead_in(c: &mut Conn, worker: i64, id: i64, reason: &str, now: i64, default_lang: Lang) -> Result<(), sqlx::Error> {
            let row = sqlx::query("SELECT channel, target, key FROM outbox WHERE id = $1 AND state = 'sending' AND claimed_by = $2")
                .bind(id)
                .bind(worker)
                .fetch_optional(&mut *c)
                .await?;
            let Some(row) = row else { return Ok(()) };
            let (channel, target, key): (String, String, String) =
                (row.try_get("channel")?, row.try_get("target")?, row.try_get("key")?);
            sqlx::query("UPDATE outbox SET state = 'dead', lease_until = NULL, last_error = $2 WHERE id = $1")
                .bind(id)
                .bind(reason)
                .execute(&mut *c)
                .await?;
            sqlx::query("INSERT INTO dead_letters (outbox_id, reason, died_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(reason)
                .bind(now)
                .execute(&mut *c)
                .await?;
            if key == ADMIN_DEAD_KEY {
                return Ok(());
            }
            let admins = sqlx::query(
                "SELECT DISTINCT p.telegram_id, COALESCE(a.lang, p.lang) AS lang FROM person_roles r \
                 JOIN people p ON p.id = r.person_id LEFT JOIN accounts a ON a.telegram_id = p.telegram_id \
                 WHERE r.role = 'admin' AND p.telegram_id IS NOT NULL",
            )
            .fetch_all(&mut *c)
            .await?;
            let args = serde_json::to_string(&[
                ("id", id.to_string()),
                ("channel", channel),
                ("target", target),
                ("key", key),
                ("reason", reason.to_string()),
            ])
            .expect("strings serialise");
            for admin in admins {
                let chat: i64 = admin.try_get("telegram_id")?;
                let lang = lang_of(&admin, "lang")?.unwrap_or(default_lang);
                let row = NewRow { channel: Channel::Telegram, target: chat.to_string(), lang, key: ADMIN_DEAD_KEY, args: &args, ask: None };
                insert_outbox(c, &row, None, now).await?;
            }
            Ok(())
        }

        const ADMIN_DEAD_KEY: &str = "outbox-dead-admin";

        /// Sent rows sent before `before`, their files first; rows with a dead letter are kept
        /// with it (the record of what once failed).
        pub(super) async fn purge_sent_in(c: &mut Conn, before: i64) -> Result<u64, sqlx::Error> {
            const OLD: &str = "SELECT id FROM outbox WHERE state = 'sent' AND sent_at < $1 \
                 AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.outbox_id = outbox.id)";
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM outbox_files WHERE outbox_id IN ({OLD})")))
                .bind(before)
                .execute(&mut *c)
                .await?;
            let done = sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM outbox WHERE id IN ({OLD})")))
                .bind(before)
                .execute(&mut *c)
                .await?;
            Ok(done.rows_affected())
        }

        /// Rows by state and channel, the oldest due row's wait and the dead letters: one
        /// grouped count by the state index, one look at the oldest due row.
        pub(super) async fn outbox_gauges_in(c: &mut Conn, now: i64) -> Result<crate::metrics::OutboxGauges, sqlx::Error> {
            let rows = sqlx::query("SELECT state, channel, COUNT(*) AS n FROM outbox GROUP BY state, channel ORDER BY state, channel")
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("state")?, r.try_get("channel")?, r.try_get("n")?)))
                .collect::<Result<Vec<(String, String, i64)>, sqlx::Error>>()?;
            let oldest: Option<i64> = sqlx::query_scalar("SELECT MIN(due_at) FROM outbox WHERE state = 'pending' AND due_at <= $1")
                .bind(now)
                .fetch_one(&mut *c)
                .await?;
            let dead = rows.iter().filter(|(state, _, _)| state == "dead").map(|(_, _, n)| n).sum();
            Ok(crate::metrics::OutboxGauges {
                rows,
                oldest_due_seconds: oldest.map_or(0, |due| (now - due).max(0) / 1000),
                dead_letters: dead,
            })
        }

        pub(super) async fn status_in(c: &mut Conn) -> Result<Vec<(String, i64)>, sqlx::Error> {
            let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state ORDER BY state")
                .fetch_all(&mut *c)
                .await?;
            rows.iter().map(|r| Ok((r.try_get("state")?, r.try_get("n")?))).collect()
        }

        pub(super) async fn dead_letters_in(c: &mut Conn, limit: i64) -> Result<Vec<crate::storage::DeadLetter>, sqlx::Error> {
            let rows = sqlx::query(
                "SELECT d.outbox_id, o.channel, o.target, o.key, d.reason, d.died_at FROM dead_letters d \
                 JOIN outbox o ON o.id = d.outbox_id WHERE o.state = 'dead' \
                 AND d.id = (SELECT MAX(e.id) FROM dead_letters e WHERE e.outbox_id = d.outbox_id) \
                 ORDER BY d.id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::storage::DeadLetter {
                        outbox_id: r.try_get("outbox_id")?,
                        channel: r.try_get("channel")?,
                        target: r.try_get("target")?,
                        key: r.try_get("key")?,
                        reason: r.try_get("reason")?,
                        died_at: from_ms(r.try_get("died_at")?),
                    })
                })
                .collect()
        }

        /// Dead rows back to pending with fresh attempts (one row, or all).
        pub(super) async fn revive_in(c: &mut Conn, id: Option<i64>, now: i64) -> Result<u64, sqlx::Error> {
            let done = sqlx::query(
                "UPDATE outbox SET state = 'pending', attempts = 0, due_at = $2, \
                 lease_until = NULL WHERE state = 'dead' AND ($1 IS NULL OR id = $1)",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *c)
            .await?;
            Ok(done.rows_affected())
        }
    };
}

pub(crate) use outbox;
