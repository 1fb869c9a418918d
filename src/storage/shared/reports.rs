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
            Ok(Some((row.get(0), row.get(1))))
        }

        /// `COALESCE(SUM(CASE WHEN cond THEN 1 ELSE 0 END), 0)`.
        fn count_if(cond: &str) -> String {
            format!("COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0)")
        }

        /// Whether suggestion `s` has an event of this kind.
        fn has_event(kind: crate::domain::EventKind) -> String {
            format!(
                "EXISTS (SELECT 1 FROM events e WHERE e.suggestion_id = s.id AND e.kind = '{}')",
                kind.as_str()
            )
        }

        pub(super) async fn ledger_in(
            c: &mut Conn,
            org: Option<&str>,
            from: i64,
            to: i64,
        ) -> Result<Vec<crate::storage::LedgerRow>, StoreError> {
            report_org(c, org).await?;
            let sql = format!(
                "{ORG_SUBTREE}SELECT s.id, s.year, s.seq, s.filed_at, p.name, g.code, g.name, s.title, \
                 s.category, s.level, s.state, s.deadline, s.rating, s.outcome, \
                 (SELECT MAX(e.at) FROM events e WHERE e.suggestion_id = s.id AND e.to_state = 'closed') \
                 FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id \
                 JOIN people p ON p.id = s.deputy_id \
                 WHERE g.org_id IN (SELECT id FROM sub) AND s.filed_at >= $2 AND s.filed_at < $3 \
                 ORDER BY s.year, s.seq"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(org)
                .bind(from)
                .bind(to)
                .fetch_all(&mut *c)
                .await?;
            // The units of the same suggestions in one query, lead first, then by code.
            let sql = format!(
                "{ORG_SUBTREE}SELECT su.suggestion_id, u.code, u.name FROM suggestion_units su \
                 JOIN units u ON u.id = su.unit_id JOIN suggestions s ON s.id = su.suggestion_id \
                 JOIN deputy_groups g ON g.id = s.group_id \
                 WHERE g.org_id IN (SELECT id FROM sub) AND s.filed_at >= $2 AND s.filed_at < $3 \
                 ORDER BY su.suggestion_id, su.lead DESC, u.code"
            );
            let unit_rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(org)
                .bind(from)
                .bind(to)
                .fetch_all(&mut *c)
                .await?;
            let mut units: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
            for u in &unit_rows {
                let (code, name): (String, String) = (u.get(1), u.get(2));
                units.entry(u.get(0)).or_default().push(format!("{code} {name}"));
            }
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let state: Option<State> = parse_col("state", Some(r.get(10)))?;
                out.push(crate::storage::LedgerRow {
                    no: SuggestionNo::new(r.get::<i64, _>(1) as i32, r.get::<i64, _>(2) as u32),
                    filed_at: from_ms(r.get(3)),
                    deputy: r.get(4),
                    group_code: r.get(5),
                    group_name: r.get(6),
                    title: r.get(7),
                    category: r.get(8),
                    level: parse_col("level", r.get(9))?,
                    units: units.remove(&r.get::<i64, _>(0)).unwrap_or_default(),
                    state: state.expect("parsed"),
                    deadline: r.get::<Option<i64>, _>(11).map(from_ms),
                    rating: parse_col("rating", r.get(12))?,
                    outcome: parse_col("outcome", r.get(13))?,
                    closed_at: r.get::<Option<i64>, _>(14).map(from_ms),
                });
            }
            Ok(out)
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
                .map(|r| r.get(0))
                .collect();
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
            let columns = [
                "COUNT(*)".to_string(),
                count_if("s.state NOT IN ('submitted', 'returned', 'withdrawn')"),
                count_if(&has_event(EventKind::Assigned)),
                count_if(&has_event(EventKind::Replied)),
                count_if("s.state = 'closed'"),
                count_if("s.replied_on_time = 1"),
                count_if("s.rating = 'satisfied'"),
                count_if("s.rating = 'basic'"),
                count_if("s.unsatisfied_count > 0"),
                count_if("s.rating IS NOT NULL OR s.unsatisfied_count > 0"),
                count_if(&format!("s.state IN {STEP_STATES} AND s.deadline < $4")),
            ];
            let sql = format!(
                "{ORG_SUBTREE}SELECT {} FROM suggestions s JOIN deputy_groups g ON g.id = s.group_id \
                 WHERE {filed}",
                columns.join(", ")
            );
            // Every query below reads `$1` org, `$2`..`$3` the period.
            let in_period = |sql: String| sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(from).bind(to);
            let r = in_period(sql).bind(now).fetch_one(&mut *c).await?;
            let totals = crate::storage::Totals {
                received: r.get(0),
                accepted: r.get(1),
                assigned: r.get(2),
                replied: r.get(3),
                closed: r.get(4),
                on_time: r.get(5),
                satisfied: r.get(6),
                basic: r.get(7),
                unsatisfied: r.get(8),
                rated: r.get(9),
                overdue: r.get(10),
            };

            let sql = format!(
                "{ORG_SUBTREE}SELECT s.category, COUNT(*) FROM suggestions s \
                 JOIN deputy_groups g ON g.id = s.group_id WHERE {filed} \
                 GROUP BY s.category ORDER BY COUNT(*) DESC, s.category"
            );
            let categories = in_period(sql)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();

            // Every group below the org, those with nothing filed included.
            let group_columns = [
                "COUNT(s.id)".to_string(),
                count_if(&has_event(EventKind::Assigned)),
                count_if("s.state = 'closed'"),
                count_if("s.rating IN ('satisfied', 'basic')"),
                count_if("s.rating IS NOT NULL OR s.unsatisfied_count > 0"),
            ];
            let sql = format!(
                "{ORG_SUBTREE}SELECT g.code, g.name, {} FROM deputy_groups g \
                 LEFT JOIN suggestions s ON s.group_id = g.id AND s.filed_at >= $2 AND s.filed_at < $3 \
                 WHERE g.org_id IN (SELECT id FROM sub) GROUP BY g.id, g.code, g.name ORDER BY g.code",
                group_columns.join(", ")
            );
            let groups = in_period(sql)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| crate::storage::GroupStats {
                    code: r.get(0),
                    name: r.get(1),
                    received: r.get(2),
                    assigned: r.get(3),
                    closed: r.get(4),
                    satisfied: r.get(5),
                    rated: r.get(6),
                })
                .collect();
            Ok(crate::storage::MonthlyStats { org: scope, totals, categories, groups })
        }
    };
}

pub(crate) use reports;
