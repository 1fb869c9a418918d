//! The scheduler's runs, claimed by (job, fire time) together with everything the run
//! queues, and the reads its jobs need.
//! Expanded into each backend by [`super::shared_queries`].

macro_rules! jobs {
    () => {
        /// The outbox keys of files (see [`crate::storage::JobPush::File`]).
        const FILE_DOCUMENT: &str = crate::storage::FILE_DOCUMENT;
        const FILE_PHOTO: &str = crate::storage::FILE_PHOTO;

        /// The job name under which the scheduler's first start is kept.
        const SCHEDULER_START: &str = "scheduler-start";

        /// Records the scheduler's first start (an earlier one stays) and answers it.
        pub(super) async fn scheduler_since_in(c: &mut Conn, now: i64) -> Result<i64, sqlx::Error> {
            sqlx::query(
                "INSERT INTO job_runs (job, fire_time, started_at, finished_at) \
                 SELECT $1, $2, $2, $2 WHERE NOT EXISTS (SELECT 1 FROM job_runs WHERE job = $1)",
            )
            .bind(SCHEDULER_START)
            .bind(now)
            .execute(&mut *c)
            .await?;
            sqlx::query_scalar("SELECT MIN(fire_time) FROM job_runs WHERE job = $1")
                .bind(SCHEDULER_START)
                .fetch_one(&mut *c)
                .await
        }

        /// The latest fire time of each job that ran.
        pub(super) async fn last_runs_in(c: &mut Conn) -> Result<Vec<(String, i64)>, sqlx::Error> {
            let rows = sqlx::query("SELECT job, MAX(fire_time) AS last FROM job_runs WHERE job <> $1 GROUP BY job ORDER BY job")
                .bind(SCHEDULER_START)
                .fetch_all(&mut *c)
                .await?;
            rows.iter().map(|r| Ok((r.try_get("job")?, r.try_get("last")?))).collect()
        }

        /// Claims (job, fire) and queues the run's pushes, in the caller's transaction; `None`
        /// if that run exists already (nothing is queued then).
        pub(super) async fn record_run_in(
            c: &mut Conn,
            policy: &LoopPolicy,
            job: &str,
            fire: i64,
            now: i64,
            pushes: &[crate::storage::JobPush],
        ) -> Result<Option<usize>, StoreError> {
            use crate::storage::JobPush;
            let claimed = sqlx::query(
                "INSERT INTO job_runs (job, fire_time, started_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (job, fire_time) DO NOTHING",
            )
            .bind(job)
            .bind(fire)
            .bind(now)
            .execute(&mut *c)
            .await?;
            if claimed.rows_affected() != 1 {
                return Ok(None);
            }
            let mut queued = 0;
            for push in pushes {
                match push {
                    JobPush::About { no, notice, once_on } => {
                        let Some(s) = load_suggestion(c, *no, false).await? else { continue };
                        if let Some(day) = once_on {
                            let first = sqlx::query(
                                "INSERT INTO reminders (suggestion_id, key, day) VALUES ($1, $2, $3) \
                                 ON CONFLICT (suggestion_id, key, day) DO NOTHING",
                            )
                            .bind(s.id.0)
                            .bind(notice.key)
                            .bind(day)
                            .execute(&mut *c)
                            .await?;
                            if first.rows_affected() != 1 {
                                continue;
                            }
                        }
                        queued += queue_notices(c, policy, &s, std::slice::from_ref(notice), now).await?;
                    }
                    JobPush::File { chat, name, bytes, photo } => {
                        let key = if *photo { FILE_PHOTO } else { FILE_DOCUMENT };
                        let args = serde_json::to_string(&[("name", name)]).expect("strings serialise");
                        let id: i64 = sqlx::query(
                            "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args) \
                             VALUES ($1, $1, 'telegram', $2, $3, $4, $5) RETURNING id",
                        )
                        .bind(now)
                        .bind(chat.to_string())
                        .bind(policy.default_lang.as_str())
                        .bind(key)
                        .bind(&args)
                        .fetch_one(&mut *c)
                        .await?
                        .try_get("id")?;
                        sqlx::query("INSERT INTO outbox_files (outbox_id, name, bytes) VALUES ($1, $2, $3)")
                            .bind(id)
                            .bind(name)
                            .bind(bytes.as_slice())
                            .execute(&mut *c)
                            .await?;
                        queued += 1;
                    }
                    JobPush::ToPerson { person, key, args } => {
                        let args = serde_json::to_string(args).expect("strings serialise");
                        for (target, lang) in person_targets_of(c, policy.wecom, person.0).await? {
                            let lang = lang.unwrap_or(policy.default_lang);
                            let (channel, target) = target.address();
                            let row = NewRow { channel, target, lang, key, args: &args, ask: None };
                            insert_outbox(c, &row, None, now).await?;
                            queued += 1;
                        }
                    }
                    JobPush::To { chat, lang, key, args } => {
                        let args = serde_json::to_string(args).expect("strings serialise");
                        let lang = lang.unwrap_or(policy.default_lang);
                        let row = NewRow { channel: Channel::Telegram, target: chat.to_string(), lang, key, args: &args, ask: None };
                        insert_outbox(c, &row, None, now).await?;
                        queued += 1;
                    }
                }
            }
            sqlx::query("UPDATE job_runs SET finished_at = $3 WHERE job = $1 AND fire_time = $2")
                .bind(job)
                .bind(fire)
                .bind(now)
                .execute(&mut *c)
                .await?;
            Ok(Some(queued))
        }

        /// Open steps whose deadline is before `before`, by deadline.
        pub(super) async fn open_deadlines_in(c: &mut Conn, before: i64) -> Result<Vec<Suggestion>, StoreError> {
            let sql = format!(
                "SELECT year, seq FROM suggestions WHERE state IN {OPEN_STATES} \
                 AND deadline IS NOT NULL AND deadline < $1 ORDER BY deadline, id"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(before)
            .fetch_all(&mut *c)
            .await?;
            let mut open = Vec::with_capacity(rows.len());
            for r in rows {
                let no = number_of(&r, "year", "seq")?;
                if let Some(s) = load_suggestion(c, no, false).await? {
                    open.push(s);
                }
            }
            Ok(open)
        }

        /// Every deputy (by roster order) with how many suggestions they filed in [from, to).
        pub(super) async fn deputy_counts_in(c: &mut Conn, from: i64, to: i64) -> Result<Vec<crate::storage::DeputyCount>, sqlx::Error> {
            let rows = sqlx::query(
                "SELECT p.id, p.name, \
                 (SELECT COUNT(*) FROM suggestions s WHERE s.deputy_id = p.id AND s.filed_at >= $1 AND s.filed_at < $2) AS filed \
                 FROM people p \
                 WHERE EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = p.id AND r.role = 'deputy') \
                 ORDER BY p.id",
            )
            .bind(from)
            .bind(to)
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::storage::DeputyCount {
                        person: PersonId(r.try_get("id")?),
                        name: r.try_get("name")?,
                        filed: r.try_get("filed")?,
                    })
                })
                .collect()
        }

        /// A file queued with an outbox row: its name and bytes.
        pub(super) async fn outbox_file_in(c: &mut Conn, id: i64) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
            let row = sqlx::query("SELECT name, bytes FROM outbox_files WHERE outbox_id = $1")
                .bind(id)
                .fetch_optional(&mut *c)
                .await?;
            row.map(|r| Ok((r.try_get("name")?, r.try_get("bytes")?))).transpose()
        }

        /// Chats bound to orgs, with the org's code.
        pub(super) async fn org_chats_in(c: &mut Conn) -> Result<Vec<(i64, String)>, sqlx::Error> {
            let rows = sqlx::query("SELECT b.chat_id, o.code FROM chat_bindings b JOIN orgs o ON o.id = b.org_id ORDER BY b.chat_id")
                .fetch_all(&mut *c)
                .await?;
            rows.iter().map(|r| Ok((r.try_get("chat_id")?, r.try_get("code")?))).collect()
        }

        /// Group chats bound to deputy groups, by chat.
        pub(super) async fn group_chats_in(c: &mut Conn) -> Result<Vec<crate::storage::GroupChat>, sqlx::Error> {
            let rows = sqlx::query(
                "SELECT b.chat_id, g.code, g.name FROM chat_bindings b JOIN deputy_groups g ON g.id = b.group_id ORDER BY b.chat_id",
            )
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| Ok(crate::storage::GroupChat { chat: r.try_get("chat_id")?, group_code: r.try_get("code")?, group_name: r.try_get("name")? }))
                .collect()
        }

        /// Every deputy of every group with their filings in that group yesterday
        /// ([day_from, day_to)) and this month (from `month_from`), by group and name.
        pub(super) async fn deputy_days_in(c: &mut Conn, month_from: i64, day_from: i64, day_to: i64) -> Result<Vec<crate::storage::DeputyDay>, sqlx::Error> {
            // The month's suggestions are counted first (by the filed_at index), then joined to
            // every deputy: the work grows with the month's filings, not with the roster.
            let rows = sqlx::query(
                "SELECT g.code, p.name, COALESCE(m.yesterday, 0) AS yesterday, COALESCE(m.month, 0) AS month \
                 FROM person_roles r JOIN people p ON p.id = r.person_id JOIN deputy_groups g ON g.id = r.group_id \
                 LEFT JOIN (SELECT deputy_id, group_id, SUM(CASE WHEN filed_at >= $2 THEN 1 ELSE 0 END) AS yesterday, \
                   COUNT(*) AS month FROM suggestions WHERE filed_at >= $1 AND filed_at < $3 \
                   GROUP BY deputy_id, group_id) m ON m.deputy_id = p.id AND m.group_id = g.id \
                 WHERE r.role = 'deputy' ORDER BY g.code, p.name, p.id",
            )
            .bind(month_from)
            .bind(day_from)
            .bind(day_to)
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::storage::DeputyDay {
                        group_code: r.try_get("code")?,
                        name: r.try_get("name")?,
                        yesterday: r.try_get("yesterday")?,
                        month: r.try_get("month")?,
                    })
                })
                .collect()
        }

        /// Each group's watched steps by colour at `now` (red: past the deadline; yellow:
        /// due before `green_from`) and its replies waiting for a rating, counted in the
        /// database.
        pub(super) async fn group_open_in(c: &mut Conn, now: i64, green_from: i64) -> Result<Vec<crate::storage::GroupOpen>, sqlx::Error> {
            // Open items are found by the state index and counted per group; every group is
            // listed, with zeros where it has none.
            let sql = format!(
                "SELECT g.code, g.name, COALESCE(o.green, 0) AS green, COALESCE(o.yellow, 0) AS yellow, \
                 COALESCE(o.red, 0) AS red, COALESCE(o.waiting, 0) AS waiting \
                 FROM deputy_groups g LEFT JOIN (SELECT group_id, \
                   SUM(CASE WHEN state IN {STEP_STATES} AND deadline >= $2 THEN 1 ELSE 0 END) AS green, \
                   SUM(CASE WHEN state IN {STEP_STATES} AND deadline >= $1 AND deadline < $2 THEN 1 ELSE 0 END) AS yellow, \
                   SUM(CASE WHEN state IN {STEP_STATES} AND deadline < $1 THEN 1 ELSE 0 END) AS red, \
                   SUM(CASE WHEN state = 'replied' AND deadline IS NOT NULL THEN 1 ELSE 0 END) AS waiting \
                   FROM suggestions WHERE state IN {OPEN_STATES} \
                   GROUP BY group_id) o ON o.group_id = g.id \
                 ORDER BY g.code"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .bind(green_from)
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::storage::GroupOpen {
                        group_code: r.try_get("code")?,
                        group_name: r.try_get("name")?,
                        green: r.try_get("green")?,
                        yellow: r.try_get("yellow")?,
                        red: r.try_get("red")?,
                        waiting_rating: r.try_get("waiting")?,
                    })
                })
                .collect()
        }

        /// The red steps at `now` (the watched steps past their deadline), the oldest
        /// `per_group` of each group, by group code and deadline: the daily report lists them
        /// (§3: "listed in the group's and org's daily report until it moves").
        pub(super) async fn red_steps_in(c: &mut Conn, now: i64, per_group: i64) -> Result<Vec<crate::storage::GroupItem>, StoreError> {
            let sql = format!(
                "SELECT g.code AS group_code, {LISTED} FROM (SELECT x.*, ROW_NUMBER() OVER \
                   (PARTITION BY x.group_id ORDER BY x.deadline, x.id) AS n FROM suggestions x \
                   WHERE x.state IN {STEP_STATES} AND x.deadline < $1) s \
                 JOIN deputy_groups g ON g.id = s.group_id WHERE s.n <= $2 ORDER BY g.code, s.deadline, s.id"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now).bind(per_group).fetch_all(&mut *c).await?;
            rows.iter()
                .map(|r| {
                    let item = listed(r)?;
                    Ok(crate::storage::GroupItem { group_code: r.try_get("group_code")?, item })
                })
                .collect()
        }

        /// Group chats bound to orgs, one row per group below the org (its subtree).
        pub(super) async fn org_chat_groups_in(c: &mut Conn) -> Result<Vec<crate::storage::OrgChatGroup>, sqlx::Error> {
            let rows = sqlx::query(
                "WITH RECURSIVE sub (chat, top, id) AS ( \
                   SELECT b.chat_id, b.org_id, b.org_id FROM chat_bindings b WHERE b.org_id IS NOT NULL \
                   UNION SELECT sub.chat, sub.top, o.id FROM orgs o JOIN sub ON o.parent_id = sub.id) \
                 SELECT sub.chat, t.name AS org_name, g.code AS group_code FROM sub JOIN orgs t ON t.id = sub.top \
                 JOIN deputy_groups g ON g.org_id = sub.id ORDER BY sub.chat, g.code",
            )
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::storage::OrgChatGroup {
                        chat: r.try_get("chat")?,
                        org_name: r.try_get("org_name")?,
                        group_code: r.try_get("group_code")?,
                    })
                })
                .collect()
        }
    };
}

pub(crate) use jobs;
