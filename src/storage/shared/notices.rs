//! Turning a decision's notices into outbox rows: each audience resolved to chats in
//! the same transaction as the change.
//! Expanded into each backend by [`super::shared_queries`].

macro_rules! notices {
    () => {
        /// Private chats of people holding `role` in a scope, with each person's language (their
        /// own `/lang` choice first, then the roster's).
        async fn role_chats(c: &mut Conn, role: &str, column: ScopeColumn, id: i64) -> Result<Vec<(i64, Option<Lang>)>, sqlx::Error> {
            let sql = format!(
                "SELECT p.telegram_id, COALESCE(a.lang, p.lang) AS lang FROM person_roles r \
                 JOIN people p ON p.id = r.person_id LEFT JOIN accounts a ON a.telegram_id = p.telegram_id \
                 WHERE r.role = $1 AND r.{} = $2 AND p.telegram_id IS NOT NULL ORDER BY p.id",
                column.name()
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(role).bind(id).fetch_all(&mut *c).await?;
            rows.iter().map(|r| Ok((r.try_get("telegram_id")?, lang_of(r, "lang")?))).collect()
        }

        /// Group chats bound to a scope (they speak the default language).
        async fn bound_chats(c: &mut Conn, column: ScopeColumn, id: i64) -> Result<Vec<(i64, Option<Lang>)>, sqlx::Error> {
            let sql = format!("SELECT chat_id FROM chat_bindings WHERE {} = $1 ORDER BY chat_id", column.name());
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(&mut *c).await?;
            rows.iter().map(|r| Ok((r.try_get("chat_id")?, None))).collect()
        }

        /// Who an org audience finds in each org of its chain: the role's people, and for an
        /// audience whose work is the org's, the org's bound chats. The domain picks the org
        /// ([`crate::domain::nearest_org`]); this only loads.
        async fn org_audience(c: &mut Conn, to: Audience, chain: &[OrgId]) -> Result<Vec<(OrgId, Vec<(i64, Option<Lang>)>)>, sqlx::Error> {
            let mut found = Vec::new();
            let Some(role) = to.org_role() else { return Ok(found) };
            for org in chain {
                let mut chats = role_chats(c, role.as_str(), ScopeColumn::Org, org.0).await?;
                if to.reaches_org_chats() {
                    chats.extend(bound_chats(c, ScopeColumn::Org, org.0).await?);
                }
                if !chats.is_empty() {
                    found.push((*org, chats));
                }
            }
            Ok(found)
        }

        /// The chats one audience of a suggestion resolves to, and the scopes whose bound
        /// chats it reaches (their group-robot mirrors get the message too).
        async fn audience_chats(c: &mut Conn, s: &Suggestion, to: Audience) -> Result<(Vec<(i64, Option<Lang>)>, Vec<Scope>), sqlx::Error> {
            let mut scopes = Vec::new();
            let chats = match to {
                Audience::Deputy => {
                    let rows = sqlx::query("SELECT p.telegram_id, COALESCE(a.lang, p.lang) AS lang FROM people p \
                        LEFT JOIN accounts a ON a.telegram_id = p.telegram_id \
                        WHERE p.id = $1 AND p.telegram_id IS NOT NULL")
                        .bind(s.deputy.0)
                        .fetch_all(&mut *c)
                        .await?;
                    rows.iter().map(|r| Ok((r.try_get("telegram_id")?, lang_of(r, "lang")?))).collect::<Result<_, sqlx::Error>>()?
                }
                Audience::GroupChat => {
                    scopes.push(Scope::Group(s.group));
                    bound_chats(c, ScopeColumn::Group, s.group.0).await?
                }
                Audience::Leaders => role_chats(c, "leader", ScopeColumn::Group, s.group.0).await?,
                Audience::Clerks | Audience::Secretaries | Audience::Chairs => {
                    let chain = to.org_chain(s);
                    let found = org_audience(c, to, chain).await?;
                    let orgs: Vec<OrgId> = found.iter().map(|(org, _)| *org).collect();
                    match crate::domain::nearest_org(chain, &orgs) {
                        Some(org) => {
                            if to.reaches_org_chats() {
                                scopes.push(Scope::Org(org));
                            }
                            found.into_iter().find(|(o, _)| *o == org).map(|(_, chats)| chats).unwrap_or_default()
                        }
                        None => Vec::new(),
                    }
                }
                Audience::Units => {
                    let mut chats = Vec::new();
                    for unit in s.lead_unit.iter().chain(&s.co_units) {
                        scopes.push(Scope::Unit(*unit));
                        chats.extend(role_chats(c, "unit", ScopeColumn::Unit, unit.0).await?);
                        chats.extend(bound_chats(c, ScopeColumn::Unit, unit.0).await?);
                    }
                    chats
                }
                Audience::Resident => match s.request {
                    Some(r) => {
                        let rows = sqlx::query("SELECT q.chat_id, a.lang FROM resident_requests q \
                            LEFT JOIN accounts a ON a.telegram_id = q.telegram_id WHERE q.id = $1")
                            .bind(r.0)
                            .fetch_all(&mut *c)
                            .await?;
                        rows.iter().map(|r| Ok((r.try_get("chat_id")?, lang_of(r, "lang")?))).collect::<Result<_, sqlx::Error>>()?
                    }
                    None => Vec::new(),
                },
            };
            Ok((chats, scopes))
        }

        /// The code of a group, org or unit.
        async fn scope_code(c: &mut Conn, scope: Scope) -> Result<String, sqlx::Error> {
            let (table, id) = match scope {
                Scope::Group(g) => ("deputy_groups", g.0),
                Scope::Org(o) => ("orgs", o.0),
                Scope::Unit(u) => ("units", u.0),
            };
            let sql = format!("SELECT code FROM {table} WHERE id = $1");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(&mut *c).await?.try_get("code")
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
                let (mut chats, scopes) = audience_chats(c, s, notice.to).await?;
                let mut seen = std::collections::HashSet::new();
                chats.retain(|(chat, _)| seen.insert(*chat));
                let mut args: Vec<(String, String)> = vec![
                    ("no".into(), s.no.to_string()),
                    ("title".into(), s.title.clone()),
                ];
                args.extend(notice.args.iter().map(|(k, v)| (k.to_string(), v.clone())));
                let args = serde_json::to_string(&args).expect("strings serialise");
                for (chat, lang) in chats {
                    let lang = lang.unwrap_or(policy.default_lang);
                    let row = NewRow { channel: Channel::Telegram, target: chat.to_string(), lang, key: notice.key, args: &args, ask: notice.ask };
                    insert_outbox(c, &row, Some(s.id), now).await?;
                    queued += 1;
                }
                // Each mirror of a reached scope is its own row, so a failing mirror never
                // holds up Telegram, nor the other way round.
                for scope in scopes.into_iter().filter(|_| !policy.mirrors.is_empty()) {
                    let code = scope_code(c, scope).await?;
                    for route in policy.mirrors.iter().filter(|m| m.scope == code) {
                        // Robots have no buttons: a mirror row asks nothing.
                        let channel = Channel::Mirror(route.kind);
                        let row = NewRow { channel, target: route.target(), lang: policy.default_lang, key: notice.key, args: &args, ask: None };
                        insert_outbox(c, &row, Some(s.id), now).await?;
                        queued += 1;
                    }
                }
            }
            Ok(queued)
        }

        /// An outbox row to write.
        struct NewRow<'a> {
            channel: Channel,
            target: String,
            lang: Lang,
            key: &'a str,
            /// The arguments as JSON pairs.
            args: &'a str,
            ask: Option<Ask>,
        }

        /// Queues one row, due now.
        async fn insert_outbox(c: &mut Conn, row: &NewRow<'_>, suggestion: Option<SuggestionId>, now: i64) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args, suggestion_id, ask) \
                 VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(now)
            .bind(row.channel.as_str())
            .bind(&row.target)
            .bind(row.lang.as_str())
            .bind(row.key)
            .bind(row.args)
            .bind(suggestion.map(|s| s.0))
            .bind(row.ask.map(|ask| ask.to_string()))
            .execute(&mut *c)
            .await?;
            Ok(())
        }

        /// The column of `person_roles` and `chat_bindings` that names a scope.
        #[derive(Clone, Copy)]
        enum ScopeColumn {
            Group,
            Org,
            Unit,
        }

        impl ScopeColumn {
            fn name(self) -> &'static str {
                match self {
                    ScopeColumn::Group => "group_id",
                    ScopeColumn::Org => "org_id",
                    ScopeColumn::Unit => "unit_id",
                }
            }
        }
    };
}

pub(crate) use notices;
