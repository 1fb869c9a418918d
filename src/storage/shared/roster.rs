//! Roster import, invites and chat bindings.
//! Expanded into each backend by [`super::shared_queries`].

macro_rules! roster {
    () => {
        /// The chain of orgs above a scope row (a group's or unit's org, or the org itself).
        async fn scope_orgs(c: &mut Conn, scope: Scope) -> Result<Vec<OrgId>, sqlx::Error> {
            let org: Option<i64> = match scope {
                Scope::Org(o) => Some(o.0),
                Scope::Group(g) => sqlx::query("SELECT org_id FROM deputy_groups WHERE id = $1")
                    .bind(g.0)
                    .fetch_optional(&mut *c)
                    .await?
                    .map(|r| r.try_get("org_id"))
                    .transpose()?,
                Scope::Unit(u) => sqlx::query("SELECT org_id FROM units WHERE id = $1")
                    .bind(u.0)
                    .fetch_optional(&mut *c)
                    .await?
                    .map(|r| r.try_get("org_id"))
                    .transpose()?,
            };
            match org {
                Some(org) => org_chain(c, org).await,
                None => Ok(Vec::new()),
            }
        }

        /// Stores a hashed one-time invite for a person, if `who` may invite them (an admin or
        /// clerk of an org above any of the person's scopes, or the operator); earlier unused
        /// invites of the person stop working. Answers the person's name.
        pub(super) async fn create_invite_in(
            c: &mut Conn,
            who: Who,
            person_code: &str,
            token_hash: &str,
            now: i64,
            expires_at: i64,
            update: Option<i64>,
        ) -> Result<String, crate::storage::InviteError> {
            use crate::storage::InviteError;
            // Someone not on the roster has no role that invites; a store fault stays one.
            let actor = load_actor(c, who).await.map_err(|e| match e {
                ActError::Store(e) => InviteError::Store(e),
                _ => InviteError::NotYourRole,
            })?;
            let row = sqlx::query("SELECT id, name FROM people WHERE code = $1")
                .bind(person_code)
                .fetch_optional(&mut *c)
                .await?
                .ok_or_else(|| InviteError::UnknownPerson(person_code.to_string()))?;
            let person = PersonId(row.try_get("id")?);
            let invitee = load_actor(c, Who::Person(person)).await.map_err(|e| match e {
                ActError::Store(e) => InviteError::Store(e),
                _ => InviteError::UnknownPerson(person_code.to_string()),
            })?;
            let mut place = crate::domain::Place::default();
            for grant in &invitee.grants {
                place.orgs.extend(scope_orgs(c, grant.scope).await?);
            }
            permit(&actor, ActionKind::Invite, &place).map_err(|refusal| match refusal {
                Refusal::OutOfScope => InviteError::OutOfScope,
                _ => InviteError::NotYourRole,
            })?;
            // The same /invite delivered again must not replace the link it already made.
            if !mark_update(c, update, now).await? {
                return Err(InviteError::Repeated);
            }
            sqlx::query("DELETE FROM invites WHERE person_id = $1 AND used_at IS NULL")
                .bind(person.0)
                .execute(&mut *c)
                .await?;
            sqlx::query("INSERT INTO invites (person_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(person.0)
                .bind(token_hash)
                .bind(now)
                .bind(expires_at)
                .execute(&mut *c)
                .await?;
            Ok(row.try_get("name")?)
        }

        /// Binds the Telegram account to the invite's person. The claim is one statement, so
        /// two concurrent redemptions of one invite cannot both succeed; the account that
        /// redeemed it may open it again and is answered as before.
        pub(super) async fn redeem_invite_in(c: &mut Conn, token_hash: &str, telegram_id: i64, now: i64) -> Result<PersonId, crate::storage::InviteError> {
            use crate::storage::InviteError;
            let person = sqlx::query(
                "UPDATE invites SET used_at = $2, used_by = $3 \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING person_id",
            )
            .bind(token_hash)
            .bind(now)
            .bind(telegram_id)
            .fetch_optional(&mut *c)
            .await?;
            let Some(person) = person else {
                // Used already: by this very account (the link opened twice, or the update
                // delivered again after a restart) it worked, and still does.
                let again = sqlx::query(
                    "SELECT i.person_id FROM invites i JOIN people p ON p.id = i.person_id \
                     WHERE i.token_hash = $1 AND i.used_by = $2 AND p.telegram_id = $2",
                )
                .bind(token_hash)
                .bind(telegram_id)
                .fetch_optional(&mut *c)
                .await?;
                return match again {
                    Some(r) => Ok(PersonId(r.try_get("person_id")?)),
                    None => Err(InviteError::Invalid),
                };
            };
            let person: i64 = person.try_get("person_id")?;
            if let Some(other) = person_by_telegram(c, telegram_id).await?
                && other.0 != person
            {
                return Err(InviteError::AccountTaken);
            }
            sqlx::query("UPDATE people SET telegram_id = $2 WHERE id = $1")
                .bind(person)
                .bind(telegram_id)
                .execute(&mut *c)
                .await?;
            Ok(PersonId(person))
        }

        /// Binds a Telegram group chat to a group, org or unit, if `who` may (an admin or clerk
        /// of an org above it, or the operator).
        pub(super) async fn bind_chat_in(
            c: &mut Conn,
            who: Who,
            chat_id: i64,
            target: &crate::storage::BindTarget,
            now: i64,
        ) -> Result<(), ActError> {
            use crate::storage::BindTarget;
            let actor = load_actor(c, who).await?;
            let (table, code) = match target {
                BindTarget::Group(code) => ("deputy_groups", code),
                BindTarget::Org(code) => ("orgs", code),
                BindTarget::Unit(code) => ("units", code),
            };
            let sql = format!("SELECT id FROM {table} WHERE code = $1");
            let id: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(code)
                .fetch_optional(&mut *c)
                .await?
                .ok_or_else(|| ActError::UnknownCode(code.clone()))?
                .try_get("id")?;
            let scope = match target {
                BindTarget::Group(_) => Scope::Group(GroupId(id)),
                BindTarget::Org(_) => Scope::Org(OrgId(id)),
                BindTarget::Unit(_) => Scope::Unit(UnitId(id)),
            };
            let place = crate::domain::Place { orgs: scope_orgs(c, scope).await?, ..Default::default() };
            permit(&actor, ActionKind::Bind, &place)?;
            let column = |s| (s == scope).then_some(id);
            sqlx::query(
                "INSERT INTO chat_bindings (chat_id, org_id, group_id, unit_id, bound_by, bound_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (chat_id) DO UPDATE SET \
                 org_id = excluded.org_id, group_id = excluded.group_id, unit_id = excluded.unit_id, \
                 bound_by = excluded.bound_by, bound_at = excluded.bound_at",
            )
            .bind(chat_id)
            .bind(column(Scope::Org(OrgId(id))))
            .bind(column(Scope::Group(GroupId(id))))
            .bind(column(Scope::Unit(UnitId(id))))
            .bind(actor.person.map(|p| p.0))
            .bind(now)
            .execute(&mut *c)
            .await?;
            Ok(())
        }

        /// Groups without a bound chat and people without a linked account, by code.
        pub(super) async fn roster_gaps_in(c: &mut Conn, wecom_on: bool) -> Result<crate::storage::RosterGaps, sqlx::Error> {
            let codes = |rows: Vec<Row>| rows.iter().map(|r| r.try_get("code")).collect::<Result<Vec<String>, _>>();
            let groups = sqlx::query(
                "SELECT g.code FROM deputy_groups g WHERE NOT EXISTS \
                 (SELECT 1 FROM chat_bindings b WHERE b.group_id = g.id) ORDER BY g.code",
            )
            .fetch_all(&mut *c)
            .await?;
            // Someone on WeCom is reachable without Telegram, once the WeCom app is set up.
            let people = sqlx::query(
                "SELECT code FROM people WHERE telegram_id IS NULL AND (wecom_userid IS NULL OR NOT $1) ORDER BY code",
            )
            .bind(wecom_on)
            .fetch_all(&mut *c)
            .await?;
            Ok(crate::storage::RosterGaps { unbound_groups: codes(groups)?, unlinked_people: codes(people)? })
        }

        pub(super) async fn scope_exists_in(c: &mut Conn, code: &str) -> Result<bool, sqlx::Error> {
            let found = sqlx::query(
                "SELECT 1 FROM orgs WHERE code = $1 UNION ALL SELECT 1 FROM deputy_groups WHERE code = $1 \
                 UNION ALL SELECT 1 FROM units WHERE code = $1",
            )
            .bind(code)
            .fetch_optional(&mut *c)
            .await?;
            Ok(found.is_some())
        }

        /// What the roster checks need to know of the stored roster.
        async fn load_known(c: &mut Conn, kind: crate::roster::RosterKind) -> Result<crate::roster::Known, sqlx::Error> {
            use crate::roster::{Known, RosterKind};
            let mut known = Known::default();
            for r in sqlx::query("SELECT o.code, o.id, o.name, p.code AS parent FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id")
                .fetch_all(&mut *c)
                .await?
            {
                known.orgs.insert(r.try_get("code")?, (r.try_get("id")?, r.try_get("name")?, r.try_get("parent")?));
            }
            if kind == RosterKind::Orgs {
                return Ok(known);
            }
            for (sql, map) in [
                ("SELECT g.code, g.id, g.name, o.code AS org FROM deputy_groups g JOIN orgs o ON o.id = g.org_id", &mut known.groups),
                ("SELECT u.code, u.id, u.name, o.code AS org FROM units u JOIN orgs o ON o.id = u.org_id", &mut known.units),
            ] {
                for r in sqlx::query(sql).fetch_all(&mut *c).await? {
                    map.insert(r.try_get("code")?, (r.try_get("id")?, r.try_get("name")?, r.try_get("org")?));
                }
            }
            if kind == RosterKind::People {
                for r in sqlx::query("SELECT code, id, name, roles_spec, scope_spec, telegram_id, wecom_userid, lang FROM people")
                    .fetch_all(&mut *c)
                    .await?
                {
                    known.people.insert(
                        r.try_get("code")?,
                        crate::roster::StoredPerson {
                            id: r.try_get("id")?,
                            name: r.try_get("name")?,
                            roles_spec: r.try_get("roles_spec")?,
                            scope_spec: r.try_get("scope_spec")?,
                            telegram_id: r.try_get("telegram_id")?,
                            wecom_userid: r.try_get("wecom_userid")?,
                            lang: r.try_get("lang")?,
                        },
                    );
                }
            }
            Ok(known)
        }

        /// Checks a parsed roster file against the stored roster and writes it, in the caller's
        /// transaction. Any bad line: nothing is written and every bad line is returned.
        pub(super) async fn import_in(
            c: &mut Conn,
            batch: &crate::roster::RosterBatch,
            progress: Option<&(dyn Fn(u64) + Send + Sync)>,
        ) -> Result<crate::storage::roster::ImportReport, crate::storage::roster::ImportFailure> {
            use crate::roster::{plan, Change, RosterKind, RosterRow};
            use crate::storage::roster::{ImportFailure, ImportReport};
            let known = load_known(c, batch.kind).await?;
            let mut errors = batch.errors.clone();
            let changes = plan(batch, &known, &mut errors);
            if !errors.is_empty() {
                errors.sort_by_key(|e| e.line);
                return Err(ImportFailure::Lines(errors));
            }
            let mut report = ImportReport { kind: batch.kind, inserted: 0, updated: 0, unchanged: 0 };
            let mut people = Vec::new();
            for ((_, row), (change, grants)) in batch.rows.iter().zip(&changes) {
                match change {
                    Change::Unchanged => {
                        report.unchanged += 1;
                        continue;
                    }
                    Change::Insert => report.inserted += 1,
                    Change::Update(_) => report.updated += 1,
                }
                match row {
                    RosterRow::Org { code, name, .. } => {
                        sqlx::query("INSERT INTO orgs (code, name) VALUES ($1, $2) \
                                     ON CONFLICT (code) DO UPDATE SET name = excluded.name")
                            .bind(code)
                            .bind(name)
                            .execute(&mut *c)
                            .await?;
                    }
                    RosterRow::Member { code, name, org } => {
                        let sql = if batch.kind == RosterKind::Groups {
                            "INSERT INTO deputy_groups (code, name, org_id) VALUES ($1, $2, (SELECT id FROM orgs WHERE code = $3)) \
                             ON CONFLICT (code) DO UPDATE SET name = excluded.name, org_id = excluded.org_id"
                        } else {
                            "INSERT INTO units (code, name, org_id) VALUES ($1, $2, (SELECT id FROM orgs WHERE code = $3)) \
                             ON CONFLICT (code) DO UPDATE SET name = excluded.name, org_id = excluded.org_id"
                        };
                        sqlx::query(sql).bind(code).bind(name).bind(org).execute(&mut *c).await?;
                    }
                    RosterRow::Person(p) => people.push((p, grants, matches!(change, Change::Update(_)))),
                }
            }
            super::write_people(c, &people, progress).await?;
            // Parents last, so an org may name a parent that comes later in the file.
            for ((_, row), (change, _)) in batch.rows.iter().zip(&changes) {
                if let (RosterRow::Org { code, parent, .. }, Change::Insert | Change::Update(_)) = (row, change) {
                    sqlx::query("UPDATE orgs SET parent_id = (SELECT p.id FROM orgs p WHERE p.code = $2) WHERE code = $1")
                        .bind(code)
                        .bind(parent)
                        .execute(&mut *c)
                        .await?;
                }
            }
            Ok(report)
        }
    };
}

pub(crate) use roster;
