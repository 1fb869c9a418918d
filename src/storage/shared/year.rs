//! The year's view: reception days attended, reports to voters, the deputies' performance
//! files and the key suggestions' report (PRODUCT.md §10). Expanded into each backend by
//! [`super::shared_queries`].

macro_rules! year {
    () => {
        /// The deputy a year's record is about: `code`, or the actor themselves, with their
        /// name and where they sit (their groups' orgs) for the permission table.
        async fn deputy_target(
            c: &mut Conn,
            actor: &Actor,
            code: Option<&str>,
        ) -> Result<(PersonId, String, crate::domain::Place), ActError> {
            let row = match code {
                Some(code) => sqlx::query("SELECT id, code, name FROM people WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&mut *c)
                    .await?
                    .ok_or_else(|| ActError::NotADeputy(code.to_string()))?,
                None => {
                    let person = actor.person.ok_or(ActError::UnknownPerson)?;
                    sqlx::query("SELECT id, code, name FROM people WHERE id = $1")
                        .bind(person.0)
                        .fetch_one(&mut *c)
                        .await?
                }
            };
            let person = PersonId(row.try_get("id")?);
            let deputy = load_actor(c, Who::Person(person)).await?;
            let mut place = crate::domain::Place { filer: Some(person), ..Default::default() };
            for grant in deputy.grants.iter().filter(|g| g.role == Role::Deputy) {
                if let Scope::Group(g) = grant.scope {
                    place.group.get_or_insert(g);
                }
                place.orgs.extend(scope_orgs(c, grant.scope).await?);
            }
            if place.group.is_none() {
                return Err(ActError::NotADeputy(row.try_get("code")?));
            }
            Ok((person, row.try_get("name")?, place))
        }

        /// 接待日: records a deputy's attendance (theirs, or `code`'s by a clerk), once a day.
        #[allow(clippy::too_many_arguments)]
        pub(super) async fn record_reception_in(
            c: &mut Conn,
            who: Who,
            code: Option<&str>,
            r: &crate::domain::Reception,
            today: chrono::NaiveDate,
            reception_days: &[u32],
            now: i64,
            update: Option<i64>,
        ) -> Result<crate::storage::Noted, ActError> {
            let actor = load_actor(c, who).await?;
            let (deputy, name, place) = deputy_target(c, &actor, code).await?;
            permit(&actor, ActionKind::Receive, &place)?;
            let on_behalf = actor.person != Some(deputy);
            crate::domain::check_reception(r, on_behalf, today, reception_days)?;
            if !mark_update(c, update, now).await? {
                return Ok(crate::storage::Noted::Duplicate);
            }
            let written = sqlx::query(
                "INSERT INTO receptions (person_id, day, residents, note, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (person_id, day) DO NOTHING",
            )
            .bind(deputy.0)
            .bind(r.day.to_string())
            .bind(r.residents.map(i64::from))
            .bind(&r.note)
            .bind(actor.person.map(|p| p.0))
            .bind(now)
            .execute(&mut *c)
            .await?;
            if written.rows_affected() == 0 {
                return Err(Refusal::AlreadyReceived(r.day).into());
            }
            Ok(crate::storage::Noted::Done { deputy: name })
        }

        /// 述职: records a deputy's report to their voters, by a clerk above them.
        pub(super) async fn record_voter_report_in(
            c: &mut Conn,
            who: Who,
            code: &str,
            v: &crate::storage::VoterReport,
            today: chrono::NaiveDate,
            now: i64,
            update: Option<i64>,
        ) -> Result<crate::storage::Noted, ActError> {
            let actor = load_actor(c, who).await?;
            // Not a clerk: refused before the code is looked up, so codes cannot be probed.
            if !actor.has_role(Role::Clerk) {
                return Err(Refusal::NotYourRole.into());
            }
            let (deputy, name, place) = deputy_target(c, &actor, Some(code)).await?;
            permit(&actor, ActionKind::ReportToVoters, &place)?;
            if v.day > today {
                return Err(Refusal::FutureDate(v.day).into());
            }
            let place_text = v.place.trim();
            if place_text.is_empty() {
                return Err(Refusal::TextRequired.into());
            }
            let long = |t: &str| t.chars().count() > crate::domain::MAX_TEXT;
            if long(place_text) || v.evaluation.as_deref().is_some_and(long) {
                return Err(Refusal::TextTooLong { max: crate::domain::MAX_TEXT }.into());
            }
            if !mark_update(c, update, now).await? {
                return Ok(crate::storage::Noted::Duplicate);
            }
            sqlx::query(
                "INSERT INTO voter_reports (person_id, day, place, voters, evaluation, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(deputy.0)
            .bind(v.day.to_string())
            .bind(place_text)
            .bind(i64::from(v.voters))
            .bind(v.evaluation.as_deref().map(str::trim))
            .bind(actor.person.map(|p| p.0))
            .bind(now)
            .execute(&mut *c)
            .await?;
            Ok(crate::storage::Noted::Done { deputy: name })
        }

        /// A deputy's own file, or one `who` may read (a clerk or chair above them).
        pub(super) async fn deputy_record_in(
            c: &mut Conn,
            who: Who,
            code: Option<&str>,
            period: (i64, i64),
            days: (&str, &str),
        ) -> Result<crate::storage::DeputyRecord, ActError> {
            let actor = load_actor(c, who).await?;
            let (deputy, _, place) = deputy_target(c, &actor, code).await?;
            permit(&actor, ActionKind::Record, &place)?;
            let mut files = deputy_records_in(c, None, Some(deputy), period, days).await?;
            files.pop().ok_or_else(|| StoreError::Corrupt("a deputy without a file".into()).into())
        }

        /// The performance files of every deputy of a group below the org (all of them with
        /// `None`), or of one deputy, by code. `period` is `[from, to)` in ms; `days` the same
        /// as local dates `[from, to)` for the dated rows.
        pub(super) async fn deputy_records_in(
            c: &mut Conn,
            org: Option<&str>,
            person: Option<PersonId>,
            period: (i64, i64),
            days: (&str, &str),
        ) -> Result<Vec<crate::storage::DeputyRecord>, StoreError> {
            use crate::domain::EventKind;
            use crate::storage::{DeputyRecord, ReceptionRow, VoterReportRow};
            if person.is_none() {
                report_org(c, org).await?;
            }
            // `$1` org, `$2`..`$3` the period, `$4` one person or NULL.
            let deputies = format!(
                "{ORG_SUBTREE}, deps (id, code, name) AS ( \
                   SELECT DISTINCT p.id, p.code, p.name FROM people p \
                   JOIN person_roles r ON r.person_id = p.id AND r.role = 'deputy' \
                   JOIN deputy_groups g ON g.id = r.group_id \
                   WHERE ($4 IS NULL AND g.org_id IN (SELECT id FROM sub)) OR p.id = $4) "
            );
            let mut columns = vec![
                ("filed", "COUNT(s.id)".to_string()),
                ("returned", count_if(&has_event(EventKind::Returned))),
                ("key", count_if("s.key_flag = TRUE")),
            ];
            columns.extend(handling_columns());
            let run = |sql: String| {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(org)
                    .bind(period.0)
                    .bind(period.1)
                    .bind(person.map(|p| p.0))
            };
            let sql = format!(
                "{deputies}SELECT d.id, d.code, d.name, {} FROM deps d \
                 LEFT JOIN suggestions s ON s.deputy_id = d.id AND s.filed_at >= $2 AND s.filed_at < $3 \
                 GROUP BY d.id, d.code, d.name ORDER BY d.code",
                named(&columns)
            );
            let mut files = Vec::new();
            let mut index = std::collections::HashMap::new();
            for r in run(sql).fetch_all(&mut *c).await? {
                index.insert(r.try_get::<i64, _>("id")?, files.len());
                files.push(DeputyRecord {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    filed: r.try_get("filed")?,
                    returned: r.try_get("returned")?,
                    accepted: r.try_get("accepted")?,
                    assigned: r.try_get("assigned")?,
                    replied: r.try_get("replied")?,
                    on_time: r.try_get("on_time")?,
                    closed: r.try_get("closed")?,
                    satisfied: r.try_get("satisfied")?,
                    basic: r.try_get("basic")?,
                    unsatisfied: r.try_get("unsatisfied")?,
                    key: r.try_get("key")?,
                    ..DeputyRecord::default()
                });
            }
            let sql = format!(
                "{deputies}SELECT d.id, g.name FROM deps d \
                 JOIN person_roles r ON r.person_id = d.id AND r.role = 'deputy' \
                 JOIN deputy_groups g ON g.id = r.group_id ORDER BY d.id, g.code"
            );
            for r in run(sql).fetch_all(&mut *c).await? {
                if let Some(&i) = index.get(&r.try_get::<i64, _>("id")?) {
                    files[i].groups.push(r.try_get("name")?);
                }
            }
            let sql = format!(
                "{deputies}SELECT d.id, s.category, COUNT(*) AS filed FROM deps d \
                 JOIN suggestions s ON s.deputy_id = d.id AND s.filed_at >= $2 AND s.filed_at < $3 \
                 GROUP BY d.id, s.category ORDER BY d.id, COUNT(*) DESC, s.category"
            );
            for r in run(sql).fetch_all(&mut *c).await? {
                if let Some(&i) = index.get(&r.try_get::<i64, _>("id")?) {
                    files[i].by_category.push((r.try_get("category")?, r.try_get("filed")?));
                }
            }
            let sql = format!(
                "{deputies}SELECT d.id, COUNT(q.id) AS received, {}, {} FROM deps d \
                 JOIN resident_requests q ON q.deputy_id = d.id AND q.created_at >= $2 AND q.created_at < $3 \
                 GROUP BY d.id",
                named(&[("adopted", count_if("q.state = 'adopted'"))]),
                named(&[("declined", count_if("q.state = 'declined'"))]),
            );
            for r in run(sql).fetch_all(&mut *c).await? {
                if let Some(&i) = index.get(&r.try_get::<i64, _>("id")?) {
                    files[i].requests_received = r.try_get("received")?;
                    files[i].requests_adopted = r.try_get("adopted")?;
                    files[i].requests_declined = r.try_get("declined")?;
                }
            }
            // The dated rows: `$2`..`$3` are local dates here.
            let dated = |sql: String| {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(org)
                    .bind(days.0)
                    .bind(days.1)
                    .bind(person.map(|p| p.0))
            };
            let day_of = |r: &Row| -> Result<chrono::NaiveDate, StoreError> { word(r, "day") };
            let sql = format!(
                "{deputies}SELECT d.id, x.day, x.residents, x.note FROM deps d \
                 JOIN receptions x ON x.person_id = d.id AND x.day >= $2 AND x.day < $3 ORDER BY d.id, x.day"
            );
            for r in dated(sql).fetch_all(&mut *c).await? {
                if let Some(&i) = index.get(&r.try_get::<i64, _>("id")?) {
                    files[i].receptions.push(ReceptionRow {
                        day: day_of(&r)?,
                        residents: r.try_get("residents")?,
                        note: r.try_get("note")?,
                    });
                }
            }
            let sql = format!(
                "{deputies}SELECT d.id, x.day, x.place, x.voters, x.evaluation FROM deps d \
                 JOIN voter_reports x ON x.person_id = d.id AND x.day >= $2 AND x.day < $3 ORDER BY d.id, x.day, x.id"
            );
            for r in dated(sql).fetch_all(&mut *c).await? {
                if let Some(&i) = index.get(&r.try_get::<i64, _>("id")?) {
                    files[i].voter_reports.push(VoterReportRow {
                        day: day_of(&r)?,
                        place: r.try_get("place")?,
                        voters: r.try_get("voters")?,
                        evaluation: r.try_get("evaluation")?,
                    });
                }
            }
            Ok(files)
        }

        /// The key suggestions of a year below the org: those filed in `[from, to)`, and
        /// those carried over (结转): filed before `from` and not ended before it.
        pub(super) async fn key_report_in(
            c: &mut Conn,
            org: Option<&str>,
            from: i64,
            to: i64,
        ) -> Result<Vec<crate::storage::KeyRow>, StoreError> {
            use crate::domain::EventKind;
            report_org(c, org).await?;
            let keys = format!(
                "{ORG_SUBTREE}, keys (id) AS ( \
                   SELECT s.id FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id \
                   WHERE g.org_id IN (SELECT id FROM sub) AND {}) ",
                key_in_period()
            );
            let run = |sql: String| sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(from).bind(to);
            let sql = format!(
                "{keys}SELECT s.id, s.year, s.seq, s.title, s.state, s.deadline, s.filed_at, \
                 p.name AS deputy, g.name AS group_name FROM keys k JOIN suggestions s ON s.id = k.id \
                 JOIN people p ON p.id = s.deputy_id JOIN deputy_groups g ON g.id = s.group_id \
                 ORDER BY s.year, s.seq"
            );
            let rows = run(sql).fetch_all(&mut *c).await?;
            let sql = format!(
                "{keys}SELECT su.suggestion_id, u.code, u.name FROM keys k \
                 JOIN suggestion_units su ON su.suggestion_id = k.id JOIN units u ON u.id = su.unit_id \
                 ORDER BY su.suggestion_id, su.lead DESC, u.code"
            );
            let mut units: std::collections::HashMap<i64, Vec<String>> = Default::default();
            for u in run(sql).fetch_all(&mut *c).await? {
                let (code, name): (String, String) = (u.try_get("code")?, u.try_get("name")?);
                units.entry(u.try_get("suggestion_id")?).or_default().push(format!("{code} {name}"));
            }
            let sql = format!(
                "{keys}SELECT e.suggestion_id, e.kind, e.text FROM keys k \
                 JOIN events e ON e.suggestion_id = k.id AND e.kind IN ('{}', '{}') ORDER BY e.suggestion_id, e.id",
                EventKind::VotePassed.as_str(),
                EventKind::VoteFailed.as_str()
            );
            let mut votes: std::collections::HashMap<i64, Vec<crate::storage::VoteRow>> = Default::default();
            for v in run(sql).fetch_all(&mut *c).await? {
                let kind: EventKind = EventKind::parse(&v.try_get::<String, _>("kind")?)
                    .ok_or_else(|| StoreError::Corrupt("events.kind".into()))?;
                let text: String = v.try_get::<Option<String>, _>("text")?.unwrap_or_default();
                let (on, note) = crate::domain::parse_vote_text(&text)
                    .ok_or_else(|| StoreError::Corrupt(format!("a vote's text: {text:?}")))?;
                let result = match kind {
                    EventKind::VotePassed => crate::domain::VoteResult::Pass,
                    _ => crate::domain::VoteResult::Fail,
                };
                votes.entry(v.try_get("suggestion_id")?).or_default().push(crate::storage::VoteRow { on, result, note });
            }
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let id: i64 = r.try_get("id")?;
                out.push(crate::storage::KeyRow {
                    no: number_of(r, "year", "seq")?,
                    title: r.try_get("title")?,
                    deputy: r.try_get("deputy")?,
                    group_name: r.try_get("group_name")?,
                    units: units.remove(&id).unwrap_or_default(),
                    state: word(r, "state")?,
                    deadline: r.try_get::<Option<i64>, _>("deadline")?.map(from_ms),
                    carried: r.try_get::<i64, _>("filed_at")? < from,
                    votes: votes.remove(&id).unwrap_or_default(),
                });
            }
            Ok(out)
        }

        /// Every deputy of every group and whether they recorded attendance on `day`, by
        /// group code and name.
        pub(super) async fn attendance_in(c: &mut Conn, day: &str) -> Result<Vec<crate::storage::Attendance>, StoreError> {
            let rows = sqlx::query(
                "SELECT g.code AS group_code, p.name, x.id AS attended, x.residents FROM person_roles r \
                 JOIN people p ON p.id = r.person_id JOIN deputy_groups g ON g.id = r.group_id \
                 LEFT JOIN receptions x ON x.person_id = p.id AND x.day = $1 \
                 WHERE r.role = 'deputy' ORDER BY g.code, p.code",
            )
            .bind(day)
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| {
                    let attended: Option<i64> = r.try_get("attended")?;
                    Ok(crate::storage::Attendance {
                        group_code: r.try_get("group_code")?,
                        deputy: r.try_get("name")?,
                        residents: match attended {
                            Some(_) => Some(r.try_get("residents")?),
                            None => None,
                        },
                    })
                })
                .collect()
        }
    };
}

pub(crate) use year;
