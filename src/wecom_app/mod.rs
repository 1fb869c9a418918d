//! The WeCom adapter of the front end: the app's callback on minyi's HTTP server
//! (`[wecom] callback_path`, default `/wecom/callback`).
//!
//! - `GET` is WeCom's URL check when the callback is saved in the admin console: the
//!   `echostr` is signed and encrypted; minyi answers its plaintext exactly.
//! - `POST` carries a message or an event, encrypted. Every request's signature is checked
//!   first: a wrong one is answered 401 and changes nothing. The member is found by userid on
//!   the roster; what they sent goes through the same front ([`crate::front`]) as Telegram's
//!   updates; the request is answered (empty) once the change is committed, and the answers
//!   go to the member afterwards, through the shared [`Sender`] and its pacer.
//! - A member's inputs are handled one after another, their answers in order.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;

use crate::config::WeCom;
use crate::front::command::{self, BadCommand};
use crate::front::press::Press;
use crate::front::recent::Recent;
use crate::front::turns::Turns;
use crate::front::{self, Ctx, Front, Input, Outcome, Via, WECOM_MEDIA};
use crate::i18n::{self, Lang};
use crate::metrics::{Metrics, UpdateOutcome};
use crate::wecom::client::Message;
use crate::wecom::crypto::{Keys, Refused};
use crate::wecom::inbound::{self, Inbound, What};
use crate::wecom::render;
use crate::wecom::sender::Sender;
use crate::wecom::xml;
use tracing::Instrument;

/// How many inputs a process remembers having handled, to drop WeCom's retries at once.
const INPUTS_REMEMBERED: usize = 4096;

/// The front end on WeCom.
pub struct WeComFront {
    pub front: Front,
    pub sender: Arc<Sender>,
    pub metrics: Arc<Metrics>,
    keys: Keys,
    agent_id: i64,
    handled: Recent<i64>,
    /// A member's inputs run one after another, in order.
    members: Turns<String>,
    /// Each member's queue of replies, sent in order by a task of its own.
    answers: Mutex<HashMap<String, tokio::sync::mpsc::UnboundedSender<Reply>>>,
}

impl WeComFront {
    /// The adapter for this app; `None` if its keys are unusable (`minyi check` and the
    /// configuration's own checks say why first).
    pub fn new(
        front: Front,
        config: &WeCom,
        sender: Arc<Sender>,
        metrics: Arc<Metrics>,
    ) -> Option<WeComFront> {
        let keys = Keys::new(
            config.token.expose(),
            config.encoding_aes_key.expose(),
            &config.corp_id,
        )
        .ok()?;
        Some(WeComFront {
            front,
            sender,
            metrics,
            keys,
            agent_id: config.agent_id,
            handled: Recent::new(INPUTS_REMEMBERED),
            members: Turns::default(),
            answers: Mutex::default(),
        })
    }

    /// Handles one input to the end of its change; answers what to send the member, and the
    /// clicked card's code with the text its button shows now.
    async fn handle(&self, inbound: Inbound) -> anyhow::Result<(Reply, UpdateOutcome)> {
        if inbound.what == What::Other {
            // Entering the app and the like: nothing to answer, whoever it is.
            return Ok((Reply::default(), UpdateOutcome::Ignored));
        }
        let Some(account) = self.front.repo.wecom_account(&inbound.from).await? else {
            // The corporation's directory has them, the roster does not: nothing to act as.
            let lang = self.front.config.default_lang;
            let text = i18n::text(lang, "wecom-not-on-roster", &[("userid", inbound.from)]);
            return Ok((Reply::text(&text), UpdateOutcome::Handled));
        };
        let Some(person) = account.person.as_ref().map(|p| p.id) else {
            return Ok((Reply::default(), UpdateOutcome::Ignored));
        };
        let lang = account.lang.unwrap_or(self.front.config.default_lang);
        let ctx = Ctx {
            via: Via::WeCom {
                userid: inbound.from.clone(),
                person,
            },
            update: inbound.id,
            account,
            lang,
        };
        let front = &self.front;
        let outs = match inbound.what {
            What::Text(text) => {
                let text = text.trim().to_owned();
                let input = Input {
                    text: Some(text.clone()).filter(|t| !t.is_empty()),
                    ..Input::default()
                };
                match command::parse(&text, "") {
                    Err(BadCommand::NotCommand) => front::message(front, &ctx, input).await,
                    parsed => {
                        Some(front::command(front, &ctx, on_wecom(parsed, &text), input).await)
                    }
                }
            }
            What::Image { media_id } => {
                // Marked as WeCom's: Telegram cannot send it, nor WeCom after three days.
                let input = Input {
                    photo: Some(format!("{WECOM_MEDIA}{media_id}")),
                    ..Input::default()
                };
                front::message(front, &ctx, input).await
            }
            What::Location {
                latitude,
                longitude,
            } => {
                let input = Input {
                    location: Some((latitude, longitude)),
                    ..Input::default()
                };
                front::message(front, &ctx, input).await
            }
            What::MenuClick(key) => {
                let text = format!("/{key}");
                let parsed = command::parse(&text, "");
                Some(front::command(front, &ctx, on_wecom(parsed, &text), Input::default()).await)
            }
            What::CardClick {
                key, response_code, ..
            } => {
                let outcome = front::press(front, &ctx, Press::parse(&key)).await;
                return Ok((
                    Reply::of_press(lang, outcome, response_code),
                    UpdateOutcome::Handled,
                ));
            }
            What::Other => return Ok((Reply::default(), UpdateOutcome::Ignored)),
        };
        let messages: Vec<Message> = outs
            .unwrap_or_default()
            .into_iter()
            .flat_map(|out| render::answer(lang, out))
            .collect();
        Ok((
            Reply {
                messages,
                card: None,
            },
            UpdateOutcome::Handled,
        ))
    }
}

/// A command on WeCom: no other bot shares the chat, so `/word@name` is this app's too.
fn on_wecom(
    parsed: Result<command::Command, BadCommand>,
    text: &str,
) -> Result<command::Command, BadCommand> {
    match parsed {
        Ok(command) => Ok(command),
        Err(
            e @ (BadCommand::NotCommand
            | BadCommand::Unknown { .. }
            | BadCommand::Usage(_)
            | BadCommand::BadNumber(..)),
        ) => Err(e),
        Err(BadCommand::OtherBot) => Err(BadCommand::Unknown {
            name: text
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_start_matches('/')
                .to_owned(),
            addressed: true,
        }),
    }
}

/// What goes back to the member after their input.
#[derive(Debug, Default)]
struct Reply {
    messages: Vec<Message>,
    /// A clicked card to mark: its response code and the text its buttons show now.
    card: Option<(String, String)>,
}

impl Reply {
    fn text(html: &str) -> Reply {
        Reply {
            messages: render::texts(html),
            card: None,
        }
    }

    /// A press's outcome: a step done marks the card done and says what was done; a refusal
    /// leaves the card as it is (another of its buttons may still be right) and says why.
    fn of_press(lang: Lang, outcome: Outcome, response_code: String) -> Reply {
        match outcome {
            Outcome::Done(line) => Reply {
                messages: render::texts(&line),
                card: (!response_code.is_empty())
                    .then(|| (response_code, i18n::plain(lang, "wecom-card-done", &[]))),
            },
            Outcome::Refused(line) => Reply::text(&line),
            Outcome::Answer(outs) => Reply {
                messages: outs
                    .into_iter()
                    .flat_map(|o| render::answer(lang, o))
                    .collect(),
                card: None,
            },
            Outcome::Replace(out) => Reply {
                messages: render::answer(lang, out),
                card: None,
            },
        }
    }
}

/// The callback's routes.
pub fn router(wecom: Arc<WeComFront>, path: &str) -> Router {
    Router::new()
        .route(path, get(verify).post(receive))
        .with_state(wecom)
}

/// WeCom's URL check: the decrypted `echostr`, exactly.
async fn verify(
    State(wecom): State<Arc<WeComFront>>,
    RawQuery(query): RawQuery,
) -> (StatusCode, String) {
    let query = Query::parse(query.as_deref().unwrap_or_default());
    let (Some(signature), Some(timestamp), Some(nonce), Some(echo)) = (
        query.get("msg_signature"),
        query.get("timestamp"),
        query.get("nonce"),
        query.get("echostr"),
    ) else {
        return (StatusCode::UNAUTHORIZED, String::new());
    };
    match wecom.keys.open(signature, timestamp, nonce, echo) {
        Ok(plain) => (StatusCode::OK, plain),
        Err(refused) => (refused_status(refused), String::new()),
    }
}

/// A message or event: checked, handled, answered empty; the member's answers follow.
async fn receive(
    State(wecom): State<Arc<WeComFront>>,
    RawQuery(query): RawQuery,
    body: String,
) -> StatusCode {
    let started = Instant::now();
    let query = Query::parse(query.as_deref().unwrap_or_default());
    let (Some(signature), Some(timestamp), Some(nonce)) = (
        query.get("msg_signature"),
        query.get("timestamp"),
        query.get("nonce"),
    ) else {
        // Unsigned: not WeCom's.
        return StatusCode::UNAUTHORIZED;
    };
    let Ok(outer) = xml::parse(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let Ok(encrypted) = outer.required("Encrypt") else {
        return StatusCode::BAD_REQUEST;
    };
    let plain = match wecom.keys.open(signature, timestamp, nonce, encrypted) {
        Ok(plain) => plain,
        Err(refused) => {
            tracing::warn!(reason = %refused, "a WeCom callback was refused");
            return refused_status(refused);
        }
    };
    let inbound = match xml::parse(&plain).and_then(|fields| inbound::read(&fields)) {
        Ok(inbound) => inbound,
        Err(e) => {
            tracing::warn!(error = %e, "a WeCom callback could not be read");
            return StatusCode::BAD_REQUEST;
        }
    };
    if inbound
        .agent_id
        .is_some_and(|agent| agent != wecom.agent_id)
    {
        // Signed with this app's keys, yet naming another app: not this app's to act on.
        return StatusCode::UNAUTHORIZED;
    }
    let span = tracing::info_span!("wecom", id = inbound.id);
    // Handled in a task of its own: WeCom gives up on a request after about 5 s, and a dropped
    // connection must cancel neither a change half-way nor its answers.
    let taken = tokio::spawn(Arc::clone(&wecom).take(inbound, started).instrument(span));
    if let Err(e) = taken.await {
        tracing::error!(error = %e, "a WeCom input's task failed");
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    StatusCode::OK
}

impl WeComFront {
    /// Takes one input: handled once (a retry WeCom sends while or after it is handled finds
    /// it done), its answers queued for the member.
    async fn take(self: Arc<Self>, inbound: Inbound, started: Instant) {
        let member = inbound.from.to_lowercase();
        // Only the handling waits its turn; the answers go out from the member's queue.
        let members = &self.members;
        members
            .take(member, self.take_in_turn(inbound, started))
            .await;
    }

    async fn take_in_turn(self: &Arc<Self>, inbound: Inbound, started: Instant) {
        let kind = kind_of(&inbound.what);
        if self.handled.contains(&inbound.id) {
            self.metrics
                .update(kind, UpdateOutcome::Ignored, started.elapsed());
            return;
        }
        let (userid, id) = (inbound.from.clone(), inbound.id);
        let (reply, outcome) = match self.handle(inbound).await {
            Ok(handled) => {
                self.handled.insert(id);
                handled
            }
            // As on Telegram: the person is told nothing was changed, and to try again.
            Err(e) => {
                tracing::error!(error = %e, "a WeCom input failed");
                let lang = self.front.config.default_lang;
                let reply = Reply::text(&i18n::text(lang, "error-internal", &[]));
                (reply, UpdateOutcome::Failed)
            }
        };
        self.metrics.update(kind, outcome, started.elapsed());
        self.queue_answers(&userid, reply);
    }

    /// Queues a reply to a member; one task a member sends their replies in order, and ends
    /// when the member has been quiet for a while.
    fn queue_answers(self: &Arc<Self>, userid: &str, reply: Reply) {
        if reply.messages.is_empty() && reply.card.is_none() {
            return;
        }
        let mut queues = self.answers.lock().expect("answers lock");
        let key = userid.to_lowercase();
        let reply = match queues.get(&key) {
            Some(queue) => match queue.send(reply) {
                Ok(()) => return,
                // Its task ended (it never does while the front lives): start another.
                Err(returned) => returned.0,
            },
            None => reply,
        };
        let (queue, replies) = tokio::sync::mpsc::unbounded_channel();
        let _ = queue.send(reply);
        queues.insert(key, queue);
        let span = tracing::info_span!("wecom_answers", userid = %userid);
        tokio::spawn(send_answers(Arc::clone(self), userid.to_owned(), replies).instrument(span));
    }
}

/// How long a member's answer task waits for more before it ends.
const ANSWERS_IDLE: std::time::Duration = std::time::Duration::from_secs(300);

/// Sends a member's replies as they come, each after the one before.
async fn send_answers(
    wecom: Arc<WeComFront>,
    userid: String,
    mut replies: tokio::sync::mpsc::UnboundedReceiver<Reply>,
) {
    let sender = &wecom.sender;
    loop {
        let reply = match tokio::time::timeout(ANSWERS_IDLE, replies.recv()).await {
            Ok(Some(reply)) => reply,
            Ok(None) => return,
            Err(_) => {
                // Quiet for a while: the queue goes, unless a reply came meanwhile. Under the
                // map's lock, so a new reply finds either this queue or none.
                let mut queues = wecom.answers.lock().expect("answers lock");
                if replies.is_empty() {
                    queues.remove(&userid.to_lowercase());
                    return;
                }
                continue;
            }
        };
        if let Err(e) = sender.answer(&userid, reply.messages).await {
            tracing::warn!(error = %e, "cannot answer a WeCom member");
        }
        if let Some((code, done)) = reply.card
            && let Err(e) = sender.client.update_card(&userid, &code, &done).await
        {
            tracing::warn!(error = %e, "cannot mark a clicked card done");
        }
    }
}

/// 401 for what is not WeCom's (or not for this app); 400 for what cannot be read.
fn refused_status(refused: Refused) -> StatusCode {
    match refused {
        Refused::Signature | Refused::ReceiveId => StatusCode::UNAUTHORIZED,
        Refused::Base64 | Refused::Length | Refused::Padding | Refused::Layout | Refused::Utf8 => {
            StatusCode::BAD_REQUEST
        }
    }
}

/// What an input is, as the metrics count it.
fn kind_of(what: &What) -> &'static str {
    match what {
        What::Text(t) if t.trim_start().starts_with('/') => "command",
        What::Text(_) | What::Image { .. } | What::Location { .. } => "message",
        What::MenuClick(_) => "menu",
        What::CardClick { .. } => "button",
        What::Other => "other",
    }
}

/// A query string's values, percent-decoded. A `+` stays a `+`: WeCom's base64 `echostr`
/// may carry one unencoded, and reading it as a space would break the signature.
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(raw: &str) -> Query {
        Query(
            raw.split('&')
                .filter_map(|pair| {
                    let (name, value) = pair.split_once('=')?;
                    Some((percent_decode(name)?, percent_decode(value)?))
                })
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_keep_plus_and_decode_percent() {
        let q = Query::parse("msg_signature=ab&echostr=a+b%2Bc%3D%3D&nonce=1&bad=%zz");
        assert_eq!(q.get("echostr"), Some("a+b+c=="));
        assert_eq!(q.get("msg_signature"), Some("ab"));
        assert_eq!(q.get("bad"), None);
        assert_eq!(q.get("timestamp"), None);
    }
}
