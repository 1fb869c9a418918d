//! What the reports read: the ledger and the monthly statistics, aggregated in SQL (COUNT,
//! SUM over CASE, GROUP BY) over the indexes of migration 0003. Expanded into each backend by
//! [`super::shared_queries`].

macro_rules! reports {
    () => {
        /// `sub (id)`: the org with code `$1` and every org below it; every org when `$1` is
        /// NULL (the subtrees of the roots).
        const ORG_SUBTREE: &str = "WITH RECURSIVE sub (id) AS ( \
               SELECT id FROM orgs WHERE ($1 IS NULL AND parent_id IS NULL) OR code = $1 \
               UNION SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id) ";

        /// The org's (code, name), or [`StoreError::UnknownOrg`]; `None` for the whole
        /// deployment.
        async fn report_org(c: &mut Conn, org: Option<&str>) -> Result<Option<(String, String)>, StoreError> {
            let Some(code) = org else { return Ok(None) };
            let row = sqlx::query("SELECT code, name FROM orgs WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *c)
                .await?
                .ok_or_else(|| StoreError::UnknownOrg(code.to_string()))?;
            Ok(Some((row.try_get("code")?, row.try_get("name")?)))
        }

        /// `COALESCE(SUM(CASE WHEN cond THEN 1 ELSE 0 END), 0)`.
        fn count_if(cond: &str) -> String {
            format!("COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0)")
        }

        /// `expr AS name, …`: computed columns, each read back by its name.
        fn named(columns: &[(&str, String)]) -> String {
            columns.iter().map(|(name, expr)| format!("{expr} AS {name}")).collect::<Vec<_>>().join(", ")
        }

        /// What happened to the suggestions `s` counted, by the monthly statistics' definitions
        /// ([`crate::storage::Totals`]): the one list the statistics and the deputies'
        /// performance files count by.
        fn handling_columns() -> Vec<(&'static str, String)> {
            use crate::domain::EventKind;
            vec![
                ("accepted", count_if("s.state NOT IN ('submitted', 'returned', 'withdrawn')")),
                ("assigned", count_if(&has_event(EventKind::Assigned))),
                ("replied", count_if(&has_event(EventKind::Replied))),
                ("closed", count_if("s.state = 'closed'")),
                ("on_time", count_if("s.replied_on_time = 1")),
                ("satisfied", count_if("s.rating = 'satisfied'")),
                ("basic", count_if("s.rating = 'basic'")),
                ("unsatisfied", count_if("s.unsatisfied_count > 0")),
            ]
        }

        /// The key suggestions `s` a period `[$2, $3)` covers (the one rule of 结转): filed in
        /// it, or carried over into it, i.e. filed before it and not ended (a terminal state of
        /// the domain's) before it began.
        fn key_in_period() -> String {
            let ended: Vec<String> = State::ALL
                .iter()
                .filter(|s| s.is_terminal())
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            format!(
                "s.key_flag = TRUE AND s.filed_at < $3 AND (s.filed_at >= $2 OR NOT EXISTS ( \
                   SELECT 1 FROM events e WHERE e.suggestion_id = s.id AND e.to_state IN ({}) AND e.at < $2))",
                ended.join(", ")
            )
        }

        /// Whether suggestion `s` has an event of this kind.
        fn has_event(kind: crate::domain::EventKind) -> String {
            format!(
                "EXISTS (SELECT 1 FROM events e WHERE e.suggestion_id = s.id AND e.kind = '{}')",
                kind.as_str()
            )
        }

        /// The ledger's rows in one query read as a stream: a suggestion comes once per
        /// handling unit (lead first, then by code) or once without one, by number, and
        /// [`one_per_suggestion`] folds its rows together. The org is checked first.
        pub(super) fn ledger_rows_in<'a>(
            pool: &'a sqlx::Pool<<Conn as sqlx::Connection>::Database>,
            org: Option<&'a str>,
            from: i64,
            to: i64,
        ) -> futures_util::stream::BoxStream<'a, Result<crate::storage::LedgerRow, StoreError>> {
            use futures_util::{StreamExt as _, TryStreamExt as _};
            let sql = format!(
                "{ORG_SUBTREE}SELECT s.id, s.year, s.seq, s.filed_at, p.name AS deputy, g.code AS group_code, \
                 g.name AS group_name, s.title, s.category, s.level, s.state, s.deadline, s.rating, s.outcome, \
                 (SELECT MAX(e.at) FROM events e WHERE e.suggestion_id = s.id AND e.to_state = 'closed') AS closed_at, \
                 u.code AS unit_code, u.name AS unit_name \
                 FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id \
                 JOIN people p ON p.id = s.deputy_id \
                 LEFT JOIN suggestion_units su ON su.suggestion_id = s.id \
                 LEFT JOIN units u ON u.id = su.unit_id \
                 WHERE g.org_id IN (SELECT id FROM sub) AND s.filed_at >= $2 AND s.filed_at < $3 \
                 ORDER BY s.year, s.seq, su.lead DESC, u.code"
            );
            let checked = async move {
                report_org(&mut *pool.acquire().await?, org).await?;
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(org)
                    .bind(from)
                    .bind(to)
                    .fetch(pool)
                    .map_err(StoreError::from);
                Ok::<_, StoreError>(one_per_suggestion(rows))
            };
            futures_util::stream::once(checked).try_flatten().boxed()
        }

        /// Folds each suggestion's consecutive rows (one per handling unit) into its ledger
        /// row, holding one row at a time.
        fn one_per_suggestion<'a>(
            rows: impl futures_util::Stream<Item = Result<Row, StoreError>> + Send + Unpin + 'a,
        ) -> impl futures_util::Stream<Item = Result<crate::storage::LedgerRow, StoreError>> + Send + 'a {
            use futures_util::TryStreamExt as _;
            let open: Option<(i64, crate::storage::LedgerRow)> = None;
            futures_util::stream::try_unfold((rows, open), |(mut rows, mut open)| async move {
                while let Some(r) = rows.try_next().await? {
                    let id: i64 = r.try_get("id")?;
                    let unit = match r.try_get::<Option<String>, _>("unit_code")? {
                        Some(code) => Some(format!("{code} {}", r.try_get::<String, _>("unit_name")?)),
                        None => None,
                    };
                    match &mut open {
                        Some((at, row)) if *at == id => row.units.extend(unit),
                        _ => {
                            let row = crate::storage::LedgerRow {
                                no: number_of(&r, "year", "seq")?,
                                filed_at: from_ms(r.try_get("filed_at")?),
                                deputy: r.try_get("deputy")?,
                                group_code: r.try_get("group_code")?,
                                group_name: r.try_get("group_name")?,
                                title: r.try_get("title")?,
                                category: r.try_get("category")?,
                                level: maybe_word(&r, "level")?,
                                units: unit.into_iter().collect(),
                                state: word(&r, "state")?,
                                deadline: r.try_get::<Option<i64>, _>("deadline")?.map(from_ms),
                                rating: maybe_word(&r, "rating")?,
                                outcome: maybe_word(&r, "outcome")?,
                                closed_at: r.try_get::<Option<i64>, _>("closed_at")?.map(from_ms),
                            };
                            if let Some((_, done)) = open.replace((id, row)) {
                                return Ok(Some((done, (rows, open))));
                            }
                        }
                    }
                }
                Ok(open.take().map(|(_, row)| (row, (rows, None))))
            })
        }

        /// The org (code, name; `None` for the whole deployment) and the codes of the groups
        /// below it, by code.
        pub(super) async fn org_groups_in(c: &mut Conn, org: Option<&str>) -> Result<crate::storage::OrgGroups, StoreError> {
            let scope = report_org(c, org).await?;
            let sql = format!(
                "{ORG_SUBTREE}SELECT g.code FROM deputy_groups g WHERE g.org_id IN (SELECT id FROM sub) ORDER BY g.code"
            );
            let groups = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(org)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| r.try_get("code"))
                .collect::<Result<_, _>>()?;
            Ok(crate::storage::OrgGroups { org: scope, groups })
        }

        pub(super) async fn monthly_stats_in(
            c: &mut Conn,
            org: Option<&str>,
            from: i64,
            to: i64,
            now: i64,
        ) -> Result<crate::storage::MonthlyStats, StoreError> {
            use crate::domain::EventKind;
            let scope = report_org(c, org).await?;
            let filed = "g.org_id IN (SELECT id FROM sub) AND s.filed_at >= $2 AND s.filed_at < $3";
            let mut columns = vec![("received", "COUNT(*)".to_string())];
            columns.extend(handling_columns());
            columns.extend([
                ("rated", count_if("s.rating IS NOT NULL OR s.unsatisfied_count > 0")),
                ("overdue", count_if(&format!("s.state IN {STEP_STATES} AND s.deadline < $4"))),
            ]);
            let sql = format!(
                "{ORG_SUBTREE}SELECT {} FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id \
                 WHERE {filed}",
                named(&columns)
            );
            // Every query below reads `$1` org, `$2`..`$3` the period.
            let in_period = |sql: String| sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(from).bind(to);
            let r = in_period(sql).bind(now).fetch_one(&mut *c).await?;
            let totals = crate::storage::Totals {
                received: r.try_get("received")?,
                accepted: r.try_get("accepted")?,
                assigned: r.try_get("assigned")?,
                replied: r.try_get("replied")?,
                closed: r.try_get("closed")?,
                on_time: r.try_get("on_time")?,
                satisfied: r.try_get("satisfied")?,
                basic: r.try_get("basic")?,
                unsatisfied: r.try_get("unsatisfied")?,
                rated: r.try_get("rated")?,
                overdue: r.try_get("overdue")?,
            };

            let sql = format!(
                "{ORG_SUBTREE}SELECT s.category, COUNT(*) AS filed FROM suggestions s \
                 JOIN deputy_groups g ON g.id = s.group_id WHERE {filed} \
                 GROUP BY s.category ORDER BY COUNT(*) DESC, s.category"
            );
            let categories = in_period(sql)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("category")?, r.try_get("filed")?)))
                .collect::<Result<_, sqlx::Error>>()?;

            // Every group below the org, those with nothing filed included.
            let group_columns = [
                ("received", "COUNT(s.id)".to_string()),
                ("assigned", count_if(&has_event(EventKind::Assigned))),
                ("closed", count_if("s.state = 'closed'")),
                ("satisfied", count_if("s.rating IN ('satisfied', 'basic')")),
                ("rated", count_if("s.rating IS NOT NULL OR s.unsatisfied_count > 0")),
            ];
            let sql = format!(
                "{ORG_SUBTREE}SELECT g.code, g.name, {} FROM deputy_groups g \
                 LEFT JOIN suggestions s ON s.group_id = g.id AND s.filed_at >= $2 AND s.filed_at < $3 \
                 WHERE g.org_id IN (SELECT id FROM sub) GROUP BY g.id, g.code, g.name ORDER BY g.code",
                named(&group_columns)
            );
            let groups = in_period(sql)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| {
                    Ok(crate::storage::GroupStats {
                        code: r.try_get("code")?,
                        name: r.try_get("name")?,
                        received: r.try_get("received")?,
                        assigned: r.try_get("assigned")?,
                        closed: r.try_get("closed")?,
                        satisfied: r.try_get("satisfied")?,
                        rated: r.try_get("rated")?,
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?;
            // Of the key suggestions the month covers, those carried over from earlier years:
            // filed in an earlier year than the month's (the number's year is the local year of
            // filing; a month's first instant plus a day is inside it in any time zone).
            let year = (from_ms(from) + chrono::Duration::days(1)).year();
            let key_columns = [
                ("filed", count_if("s.filed_at >= $2")),
                ("carried", count_if("s.year < $4")),
                ("carried_open", count_if(&format!("s.year < $4 AND s.state IN {OPEN_STATES}"))),
            ];
            let sql = format!(
                "{ORG_SUBTREE}SELECT {} FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id \
                 WHERE g.org_id IN (SELECT id FROM sub) AND {}",
                named(&key_columns),
                key_in_period()
            );
            let r = in_period(sql).bind(i64::from(year)).fetch_one(&mut *c).await?;
            let key = crate::storage::KeyFigures {
                filed: r.try_get("filed")?,
                carried: r.try_get("carried")?,
                carried_open: r.try_get("carried_open")?,
            };
            Ok(crate::storage::MonthlyStats { org: scope, totals, categories, groups, key })
        }
    };
}

pub(crate) use reports;
