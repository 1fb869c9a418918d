//! Turning a decision's notices into outbox rows: each audience resolved to chats in
//! the same transaction as the change.
//! Expanded into each backend by [`super::shared_queries`].

macro_rules! notices {
    () => {
        /// Where a notice goes: a Telegram chat (private or group) or a WeCom member.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        enum Target {
            Chat(i64),
            WeCom(String),
        }

        /// What people rows are read with to find where each person hears their pushes.
        const PERSON_TARGETS: &str = "SELECT p.telegram_id, p.wecom_userid, p.channel, a.lang AS telegram_lang, \
             w.lang AS wecom_lang, p.lang AS roster_lang";
        const PERSON_JOINS: &str = "LEFT JOIN accounts a ON a.telegram_id = p.telegram_id \
             LEFT JOIN wecom_accounts w ON w.person_id = p.id";
        const REACHABLE: &str = "(p.telegram_id IS NOT NULL OR p.wecom_userid IS NOT NULL)";

        /// A person's private targets from a row read with [`PERSON_TARGETS`]: the channels the
        /// domain says they hear ([`crate::domain::reach::reach`]), each with the language
        /// chosen there (else the roster's).
        fn person_targets(row: &Row, wecom_on: bool) -> Result<Vec<(Target, Option<Lang>)>, sqlx::Error> {
            use crate::domain::reach::{PersonChannel, reach};
            let telegram: Option<i64> = row.try_get("telegram_id")?;
            let wecom: Option<String> = row.try_get("wecom_userid")?;
            let preferred: Option<String> = row.try_get("channel")?;
            let preferred = preferred.as_deref().and_then(PersonChannel::parse);
            let roster = lang_of(row, "roster_lang")?;
            // Without a [wecom] section a userid reaches nobody, and a preference for WeCom
            // must not silence Telegram.
            let wecom = wecom.filter(|_| wecom_on);
            let (to_telegram, to_wecom) = reach(telegram.is_some(), wecom.is_some(), preferred);
            let mut targets = Vec::with_capacity(2);
            if let Some(chat) = telegram.filter(|_| to_telegram) {
                targets.push((Target::Chat(chat), lang_of(row, "telegram_lang")?.or(roster)));
            }
            if let Some(userid) = wecom.filter(|_| to_wecom) {
                targets.push((Target::WeCom(userid), lang_of(row, "wecom_lang")?.or(roster)));
            }
            Ok(targets)
        }

        /// Where one person hears their pushes.
        async fn person_targets_of(c: &mut Conn, wecom_on: bool, person: i64) -> Result<Vec<(Target, Option<Lang>)>, sqlx::Error> {
            let sql = format!("{PERSON_TARGETS} FROM people p {PERSON_JOINS} WHERE p.id = $1");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person).fetch_optional(&mut *c).await?;
            Ok(row.map(|r| person_targets(&r, wecom_on)).transpose()?.unwrap_or_default())
        }

        impl Target {
            /// The outbox's channel and target for it.
            fn address(self) -> (Channel, String) {
                match self {
                    Target::Chat(chat) => (Channel::Telegram, chat.to_string()),
                    Target::WeCom(userid) => (Channel::WeComApp, userid),
                }
            }
        }

        /// People holding `role` in a scope, where each hears their pushes.
        async fn role_chats(c: &mut Conn, wecom_on: bool, role: &str, column: ScopeColumn, id: i64) -> Result<Vec<(Target, Option<Lang>)>, sqlx::Error> {
            let sql = format!(
                "{PERSON_TARGETS} FROM person_roles r JOIN people p ON p.id = r.person_id {PERSON_JOINS} \
                 WHERE r.role = $1 AND r.{} = $2 AND {REACHABLE} ORDER BY p.id",
                column.name()
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(role).bind(id).fetch_all(&mut *c).await?;
            let mut targets = Vec::with_capacity(rows.len());
            for row in &rows {
                targets.extend(person_targets(row, wecom_on)?);
            }
            Ok(targets)
        }

        /// Group chats bound to a scope (they speak the default language).
        async fn bound_chats(c: &mut Conn, column: ScopeColumn, id: i64) -> Result<Vec<(Target, Option<Lang>)>, sqlx::Error> {
            let sql = format!("SELECT chat_id FROM chat_bindings WHERE {} = $1 ORDER BY chat_id", column.name());
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(&mut *c).await?;
            rows.iter().map(|r| Ok((Target::Chat(r.try_get("chat_id")?), None))).collect()
        }

        /// Who an org audience finds in each org of its chain: the role's people, and for an
        /// audience whose work is the org's, the org's bound chats. The domain picks the org
        /// ([`crate::domain::nearest_org`]); this only loads.
        async fn org_audience(c: &mut Conn, wecom_on: bool, to: Audience, chain: &[OrgId]) -> Result<Vec<(OrgId, Vec<(Target, Option<Lang>)>)>, sqlx::Error> {
            let mut found = Vec::new();
            let Some(role) = to.org_role() else { return Ok(found) };
            for org in chain {
                let mut chats = role_chats(c, wecom_on, role.as_str(), ScopeColumn::Org, org.0).await?;
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
        async fn audience_chats(c: &mut Conn, wecom_on: bool, s: &Suggestion, to: Audience) -> Result<(Vec<(Target, Option<Lang>)>, Vec<Scope>), sqlx::Error> {
            let mut scopes = Vec::new();
            let chats = match to {
                Audience::Deputy => person_targets_of(c, wecom_on, s.deputy.0).await?,
                Audience::GroupChat => {
                    scopes.push(Scope::Group(s.group));
                    bound_chats(c, ScopeColumn::Group, s.group.0).await?
                }
                Audience::Leaders => role_chats(c, wecom_on, "leader", ScopeColumn::Group, s.group.0).await?,
                Audience::Clerks | Audience::Secretaries | Audience::Chairs => {
                    let chain = to.org_chain(s);
                    let found = org_audience(c, wecom_on, to, chain).await?;
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
                Audience::Units | Audience::LeadUnit | Audience::CoUnits => {
                    let mut chats = Vec::new();
                    for unit in to.units(s) {
                        scopes.push(Scope::Unit(unit));
                        chats.extend(role_chats(c, wecom_on, "unit", ScopeColumn::Unit, unit.0).await?);
                        chats.extend(bound_chats(c, ScopeColumn::Unit, unit.0).await?);
                    }
                    if to == Audience::CoUnits && !chats.is_empty() {
                        // A contact of the lead unit too hears the lead unit's notice, which
                        // asks for more: not this one as well.
                        let mut lead = Vec::new();
                        for unit in Audience::LeadUnit.units(s) {
                            lead.extend(role_chats(c, wecom_on, "unit", ScopeColumn::Unit, unit.0).await?);
                        }
                        chats.retain(|(target, _)| !lead.iter().any(|(l, _)| l == target));
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
                        rows.iter().map(|r| Ok((Target::Chat(r.try_get("chat_id")?), lang_of(r, "lang")?))).collect::<Result<_, sqlx::Error>>()?
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
            let reached = reach_notices(c, policy, s, notices).await?;
            write_notices(c, policy, s, notices, reached, now).await
        }

        /// Where each notice of a step goes, read before its rows are written: a filing reads
        /// this before it takes its number (see `file_as`).
        struct Reached {
            /// For each notice: its chats, each once, and the codes of the scopes whose
            /// mirrors hear it.
            notices: Vec<(Vec<(Target, Option<Lang>)>, Vec<String>)>,
            /// The suggestion's group's name, when a WeCom member is among the readers: they
            /// read pushes in the app's private chat, and the text names the group for context.
            group_name: Option<String>,
        }

        /// Reads where `notices` go (who holds the roles, the bound chats, the scopes' codes);
        /// needs of `s` its people, group, orgs, units and request, not its number.
        async fn reach_notices(c: &mut Conn, policy: &LoopPolicy, s: &Suggestion, notices: &[Notice]) -> Result<Reached, sqlx::Error> {
            let mut reached = Reached { notices: Vec::with_capacity(notices.len()), group_name: None };
            for notice in notices {
                let (mut chats, scopes) = audience_chats(c, policy.wecom, s, notice.to).await?;
                let mut seen = std::collections::HashSet::new();
                chats.retain(|(target, _)| seen.insert(target.clone()));
                if reached.group_name.is_none() && chats.iter().any(|(target, _)| matches!(target, Target::WeCom(_))) {
                    let row = sqlx::query("SELECT name FROM deputy_groups WHERE id = $1")
                        .bind(s.group.0)
                        .fetch_one(&mut *c)
                        .await?;
                    reached.group_name = Some(row.try_get("name")?);
                }
                let mut mirrored = Vec::new();
                for scope in scopes.into_iter().filter(|_| !policy.mirrors.is_empty()) {
                    mirrored.push(scope_code(c, scope).await?);
                }
                reached.notices.push((chats, mirrored));
            }
            Ok(reached)
        }

        /// Writes the outbox rows of `notices` (reached before, in the same order) in one
        /// statement; answers how many.
        async fn write_notices(c: &mut Conn, policy: &LoopPolicy, s: &Suggestion, notices: &[Notice], reached: Reached, now: i64) -> Result<usize, sqlx::Error> {
            // Each notice's arguments as JSON, and with the group's name for WeCom's rows.
            let mut texts: Vec<(String, String)> = Vec::with_capacity(notices.len());
            for notice in notices {
                let mut pairs: Vec<(String, String)> = vec![
                    ("no".into(), s.no.to_string()),
                    ("title".into(), s.title.clone()),
                ];
                pairs.extend(notice.args.iter().map(|(k, v)| (k.to_string(), v.clone())));
                let args = serde_json::to_string(&pairs).expect("strings serialise");
                let wecom_args = match &reached.group_name {
                    Some(name) => {
                        pairs.push((GROUP_ARG.into(), name.clone()));
                        serde_json::to_string(&pairs).expect("strings serialise")
                    }
                    None => String::new(),
                };
                texts.push((args, wecom_args));
            }
            let mut rows = Vec::new();
            for ((notice, (chats, mirrored)), (args, wecom_args)) in notices.iter().zip(reached.notices).zip(&texts) {
                for (target, lang) in chats {
                    let lang = lang.unwrap_or(policy.default_lang);
                    let (channel, target) = target.address();
                    let args = match channel {
                        Channel::WeComApp => wecom_args,
                        Channel::Telegram | Channel::Mirror(_) => args,
                    };
                    rows.push(NewRow { channel, target, lang, key: notice.key, args, ask: notice.ask });
                }
                // Each mirror of a reached scope is its own row, so a failing mirror never
                // holds up Telegram, nor the other way round.
                for code in mirrored {
                    for route in policy.mirrors.iter().filter(|m| m.scope == code) {
                        // Robots have no buttons: a mirror row asks nothing.
                        let channel = Channel::Mirror(route.kind);
                        rows.push(NewRow { channel, target: route.target(), lang: policy.default_lang, key: notice.key, args, ask: None });
                    }
                }
            }
            insert_outbox_rows(c, &rows, Some(s.id), now).await?;
            Ok(rows.len())
        }

        /// The argument of a WeCom row that names the suggestion's group.
        const GROUP_ARG: &str = crate::storage::GROUP_ARG;

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
            insert_outbox_rows(c, std::slice::from_ref(row), suggestion, now).await
        }

        /// Queues rows, due now, in one statement (one round trip however many readers).
        async fn insert_outbox_rows(c: &mut Conn, rows: &[NewRow<'_>], suggestion: Option<SuggestionId>, now: i64) -> Result<(), sqlx::Error> {
            if rows.is_empty() {
                return Ok(());
            }
            let mut insert = sqlx::QueryBuilder::<<Conn as sqlx::Connection>::Database>::new(
                "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args, suggestion_id, ask) ",
            );
            insert.push_values(rows, |mut values, row| {
                values
                    .push_bind(now)
                    .push_bind(now)
                    .push_bind(row.channel.as_str())
                    .push_bind(row.target.clone())
                    .push_bind(row.lang.as_str())
                    .push_bind(row.key.to_string())
                    .push_bind(row.args.to_string())
                    .push_bind(suggestion.map(|s| s.0))
                    .push_bind(row.ask.map(|ask| ask.to_string()));
            });
            insert.build().execute(&mut *c).await?;
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
