//! Residents' requests (群众诉求): opening one through a deputy's or group's link, a deputy's
//! inbox, adopting one as a suggestion or declining it, and the resident's "was it solved?".
//! Each write runs inside the caller's write transaction.
//! Expanded into each backend by [`super::shared_queries`].

macro_rules! requests {
    () => {
        /// A request as a deputy handles it. Its resident's ids are only for notices.
        struct RequestRow {
            id: i64,
            text: String,
            attachment: crate::domain::Attachment,
            group: Option<GroupId>,
            state: RequestState,
            chat_id: i64,
            telegram_id: i64,
        }

        /// A request's photo and location, from its `photo_file_id`, `latitude` and
        /// `longitude` columns.
        fn attachment(r: &Row) -> Result<crate::domain::Attachment, sqlx::Error> {
            let (lat, lon): (Option<f64>, Option<f64>) = (r.try_get("latitude")?, r.try_get("longitude")?);
            Ok(crate::domain::Attachment { photo: r.try_get("photo_file_id")?, location: lat.zip(lon) })
        }

        /// The deputy's or group's row id for a resident's link.
        async fn request_target(c: &mut Conn, target: &RequestTarget) -> Result<Option<(Option<i64>, Option<i64>, String)>, sqlx::Error> {
            let row = match target {
                RequestTarget::Deputy(code) => sqlx::query(
                    "SELECT p.id, p.name FROM people p WHERE p.code = $1 AND EXISTS \
                     (SELECT 1 FROM person_roles r WHERE r.person_id = p.id AND r.role = 'deputy')",
                )
                .bind(code)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| Ok((Some(r.try_get("id")?), None, r.try_get("name")?))),
                RequestTarget::Group(code) => sqlx::query("SELECT id, name FROM deputy_groups WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&mut *c)
                    .await?
                    .map(|r| Ok((None, Some(r.try_get("id")?), r.try_get("name")?))),
            };
            row.transpose()
        }

        pub(super) async fn request_target_name_in(c: &mut Conn, target: &RequestTarget) -> Result<Option<String>, sqlx::Error> {
            Ok(request_target(c, target).await?.map(|(_, _, name)| name))
        }

        /// Queues one message (not about a suggestion's audience).
        async fn tell(
            c: &mut Conn,
            to: Target,
            lang: Lang,
            key: &str,
            args: &[(&str, String)],
            suggestion: Option<SuggestionId>,
            now: i64,
        ) -> Result<(), sqlx::Error> {
            let args = serde_json::to_string(args).expect("strings serialise");
            let (channel, target) = to.address();
            let row = NewRow { channel, target, lang, key, args: &args, ask: None };
            insert_outbox(c, &row, suggestion, now).await
        }

        /// A resident's own language choice, else the default.
        async fn resident_lang(c: &mut Conn, policy: &LoopPolicy, telegram_id: i64) -> Result<Lang, sqlx::Error> {
            let lang = sqlx::query("SELECT lang FROM accounts WHERE telegram_id = $1")
                .bind(telegram_id)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| lang_of(&r, "lang"))
                .transpose()?
                .flatten();
            Ok(lang.unwrap_or(policy.default_lang))
        }

        pub(super) async fn open_request_in(
            c: &mut Conn,
            policy: &LoopPolicy,
            request: NewRequest,
            now: DateTime<Utc>,
            update: Option<i64>,
        ) -> Result<RequestApplied, ActError> {
            let at = to_ms(now);
            if !mark_update(c, update, at).await? {
                return Ok(RequestApplied::Duplicate);
            }
            let text = request.text.trim().to_string();
            if text.is_empty() {
                return Err(Refusal::TextRequired.into());
            }
            if text.chars().count() > crate::domain::MAX_TEXT {
                return Err(Refusal::TextTooLong { max: crate::domain::MAX_TEXT }.into());
            }
            let (deputy, group, _) = request_target(c, &request.target).await?.ok_or_else(|| {
                let (RequestTarget::Deputy(code) | RequestTarget::Group(code)) = &request.target;
                ActError::UnknownTarget(code.clone())
            })?;
            let year = now.with_timezone(&policy.rules.tz).year();
            let seq = next_number(c, "request", year).await?;
            let (lat, lon) = request.attachment.location.unzip();
            sqlx::query(
                "INSERT INTO resident_requests (year, seq, telegram_id, chat_id, deputy_id, group_id, text, \
                 photo_file_id, latitude, longitude, state, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
            )
            .bind(i64::from(year))
            .bind(i64::from(seq))
            .bind(request.telegram_id)
            .bind(request.chat_id)
            .bind(deputy)
            .bind(group)
            .bind(&text)
            .bind(request.attachment.photo.as_deref())
            .bind(lat)
            .bind(lon)
            .bind(RequestState::Open.as_str())
            .bind(at)
            .execute(&mut *c)
            .await?;
            let no = ResidentNo::new(year, seq);
            // Told privately: the deputy, or the leaders of the group.
            let chats = match (deputy, group) {
                (Some(d), _) => person_targets_of(c, policy.wecom, d).await?,
                (_, Some(g)) => role_chats(c, policy.wecom, "leader", ScopeColumn::Group, g).await?,
                _ => Vec::new(),
            };
            let args = serde_json::to_string(&[("request", no.to_string()), ("text", text)]).expect("strings serialise");
            for (target, lang) in chats {
                let lang = lang.unwrap_or(policy.default_lang);
                let key = "notice-request-new";
                let ask = Some(Ask::AdoptOrDecline(no));
                let (channel, target) = target.address();
                let row = NewRow { channel, target, lang, key, args: &args, ask };
                insert_outbox(c, &row, None, at).await?;
            }
            Ok(RequestApplied::Done { no, suggestion: None })
        }

        /// Addressed to `person` or to a group they are a deputy or leader of (the roles of
        /// `REQUEST_ROLES`).
        const ADDRESSED: &str = "(q.deputy_id = $1 OR q.group_id IN (SELECT group_id FROM person_roles \
             WHERE person_id = $1 AND role IN ('deputy', 'leader')))";

        pub(super) async fn inbox_in(c: &mut Conn, who: Who, limit: i64) -> Result<Page<RequestListed>, ActError> {
            let (actor, person) = person_actor(c, who).await?;
            if !crate::domain::permissions::REQUEST_ROLES.iter().any(|role| actor.has_role(*role)) {
                return Err(Refusal::NotYourRole.into());
            }
            let open = RequestState::Open.as_str();
            let count = format!("SELECT COUNT(*) AS total FROM resident_requests q WHERE q.state = $2 AND {ADDRESSED}");
            let total: i64 = sqlx::query(sqlx::AssertSqlSafe(count))
                .bind(person.0)
                .bind(open)
                .fetch_one(&mut *c)
                .await?
                .try_get("total")?;
            let sql = format!(
                "SELECT q.year, q.seq, q.text, q.created_at, q.photo_file_id, q.latitude, q.longitude, g.code AS group_code \
                 FROM resident_requests q LEFT JOIN deputy_groups g ON g.id = q.group_id \
                 WHERE q.state = $2 AND {ADDRESSED} ORDER BY q.created_at, q.id LIMIT $3"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(person.0)
                .bind(open)
                .bind(limit.max(0))
                .fetch_all(&mut *c)
                .await?;
            let rows = rows
                .iter()
                .map(|r| {
                    let no = number_of(r, "year", "seq")?;
                    Ok(RequestListed {
                        no: ResidentNo::new(no.year, no.seq),
                        text: r.try_get("text")?,
                        created_at: from_ms(r.try_get("created_at")?),
                        attachment: attachment(r)?,
                        group_code: r.try_get("group_code")?,
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?;
            Ok(Page { rows, total })
        }

        /// A request addressed to `person` that is still open, locked against a concurrent
        /// adoption or decline by the claim that follows.
        async fn addressed_open(c: &mut Conn, person: PersonId, no: ResidentNo) -> Result<RequestRow, ActError> {
            let sql = format!(
                "SELECT q.id, q.text, q.photo_file_id, q.latitude, q.longitude, q.group_id, q.state, \
                 q.chat_id, q.telegram_id FROM resident_requests q \
                 WHERE q.year = $2 AND q.seq = $3 AND {ADDRESSED}"
            );
            let r = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(person.0)
                .bind(i64::from(no.year))
                .bind(i64::from(no.seq))
                .fetch_optional(&mut *c)
                .await?
                .ok_or(ActError::UnknownRequest(no))?;
            let row = RequestRow {
                id: r.try_get("id")?,
                text: r.try_get("text")?,
                attachment: attachment(&r)?,
                group: r.try_get::<Option<i64>, _>("group_id")?.map(GroupId),
                state: word(&r, "state")?,
                chat_id: r.try_get("chat_id")?,
                telegram_id: r.try_get("telegram_id")?,
            };
            if row.state != RequestState::Open {
                return Err(ActError::RequestHandled(no));
            }
            Ok(row)
        }

        /// Whether `who` may adopt or decline the request now (read only).
        pub(super) async fn request_open_for_in(c: &mut Conn, who: Who, no: ResidentNo) -> Result<(), ActError> {
            let (_, person) = person_actor(c, who).await?;
            addressed_open(c, person, no).await.map(|_| ())
        }

        /// Moves an open request on; a concurrent step that got there first answers
        /// `RequestHandled` (the update waits for its row lock and sees the new state).
        async fn settle_request(c: &mut Conn, id: i64, no: ResidentNo, state: RequestState, reason: Option<&str>, at: i64) -> Result<(), ActError> {
            let done = sqlx::query(
                "UPDATE resident_requests SET state = $2, decline_reason = $3, updated_at = $4 \
                 WHERE id = $1 AND state = $5",
            )
            .bind(id)
            .bind(state.as_str())
            .bind(reason)
            .bind(at)
            .bind(RequestState::Open.as_str())
            .execute(&mut *c)
            .await?;
            if done.rows_affected() != 1 {
                return Err(ActError::RequestHandled(no));
            }
            Ok(())
        }

        /// The start of a deputy's step on a request (adopt, decline): the update marked, the
        /// deputy and their open request; `None` when the update was applied before.
        async fn open_step(c: &mut Conn, who: Who, no: ResidentNo, update: Option<i64>, at: i64) -> Result<Option<(Actor, RequestRow)>, ActError> {
            if !mark_update(c, update, at).await? {
                return Ok(None);
            }
            let (actor, person) = person_actor(c, who).await?;
            Ok(Some((actor, addressed_open(c, person, no).await?)))
        }

        /// The title of a suggestion adopted from a request: its first non-empty line.
        fn request_title(text: &str) -> String {
            let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
            line.chars().take(crate::domain::MAX_TITLE).collect()
        }

        pub(super) async fn adopt_request_in(
            c: &mut Conn,
            policy: &LoopPolicy,
            who: Who,
            no: ResidentNo,
            category: Option<String>,
            now: DateTime<Utc>,
            update: Option<i64>,
        ) -> Result<RequestApplied, ActError> {
            let at = to_ms(now);
            let Some((actor, request)) = open_step(c, who, no, update, at).await? else {
                return Ok(RequestApplied::Duplicate);
            };
            settle_request(c, request.id, no, RequestState::Adopted, None, at).await?;
            let category = category.unwrap_or_else(|| policy.default_category());
            let draft = crate::domain::Draft {
                title: request_title(&request.text),
                body: request.text.clone(),
                category,
                group: request.group.or_else(|| actor.deputy_groups().next()),
                attachment: request.attachment.clone(),
            };
            let (filed, _) = file_as(c, policy, &actor, draft, Some(RequestId(request.id)), now, update).await?;
            let lang = resident_lang(c, policy, request.telegram_id).await?;
            let args = [("request", no.to_string()), ("no", filed.no.to_string())];
            tell(c, Target::Chat(request.chat_id), lang, "notice-resident-adopted", &args, Some(filed.id), at).await?;
            Ok(RequestApplied::Done { no, suggestion: Some(filed.no) })
        }

        pub(super) async fn decline_request_in(
            c: &mut Conn,
            policy: &LoopPolicy,
            who: Who,
            no: ResidentNo,
            reason: &str,
            now: DateTime<Utc>,
            update: Option<i64>,
        ) -> Result<RequestApplied, ActError> {
            let at = to_ms(now);
            let Some((_, request)) = open_step(c, who, no, update, at).await? else {
                return Ok(RequestApplied::Duplicate);
            };
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(Refusal::ReasonRequired.into());
            }
            if reason.chars().count() > crate::domain::MAX_TEXT {
                return Err(Refusal::TextTooLong { max: crate::domain::MAX_TEXT }.into());
            }
            settle_request(c, request.id, no, RequestState::Declined, Some(reason), at).await?;
            let lang = resident_lang(c, policy, request.telegram_id).await?;
            let args = [("request", no.to_string()), ("reason", reason.to_string())];
            tell(c, Target::Chat(request.chat_id), lang, "notice-resident-request-declined", &args, None, at).await?;
            Ok(RequestApplied::Done { no, suggestion: None })
        }

        pub(super) async fn answer_solved_in(
            c: &mut Conn,
            policy: &LoopPolicy,
            telegram_id: i64,
            no: SuggestionNo,
            solved: bool,
            now: DateTime<Utc>,
            update: Option<i64>,
        ) -> Result<RequestApplied, ActError> {
            let at = to_ms(now);
            if !mark_update(c, update, at).await? {
                return Ok(RequestApplied::Duplicate);
            }
            let r = sqlx::query(
                "SELECT s.id, s.state, s.title, s.deputy_id, q.id AS request_id, q.year AS request_year, \
                 q.seq AS request_seq, q.solved \
                 FROM suggestions s JOIN resident_requests q ON q.id = s.request_id \
                 WHERE s.year = $1 AND s.seq = $2 AND q.telegram_id = $3",
            )
            .bind(i64::from(no.year))
            .bind(i64::from(no.seq))
            .bind(telegram_id)
            .fetch_optional(&mut *c)
            .await?
            .ok_or(ActError::UnknownSuggestion(no))?;
            let state: State = word(&r, "state")?;
            if state != State::Closed {
                return Err(Refusal::WrongState(state).into());
            }
            if r.try_get::<Option<bool>, _>("solved")?.is_some() {
                return Err(ActError::AlreadyAnswered);
            }
            let request = number_of(&r, "request_year", "request_seq")?;
            let request = ResidentNo::new(request.year, request.seq);
            let done = sqlx::query("UPDATE resident_requests SET solved = $2, updated_at = $3 WHERE id = $1 AND solved IS NULL")
                .bind(r.try_get::<i64, _>("request_id")?)
                .bind(solved)
                .bind(at)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() != 1 {
                return Err(ActError::AlreadyAnswered);
            }
            if !solved {
                let args = [("no", no.to_string()), ("title", r.try_get::<String, _>("title")?), ("request", request.to_string())];
                let id = SuggestionId(r.try_get("id")?);
                for (target, lang) in person_targets_of(c, policy.wecom, r.try_get("deputy_id")?).await? {
                    let lang = lang.unwrap_or(policy.default_lang);
                    tell(c, target, lang, "notice-resident-unsolved", &args, Some(id), at).await?;
                }
            }
            Ok(RequestApplied::Done { no: request, suggestion: Some(no) })
        }
    };
}

pub(crate) use requests;
