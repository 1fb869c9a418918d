//! What each Bot API method does. Sends go: fault dice → chat → blocked → validation → flood
//! limits → delivered; edits skip the dice.

use serde_json::{Value, json};
use tokio::time::Instant;

use super::params::{FileRef, Params};
use super::state::Stored;
use super::{Delivered, FaultKind, Shared, shapes, updates, validate};

/// How the sandbox answers a call.
pub(super) enum Answer {
    Done(Value),
    Failed(Failure),
    /// 502 with nginx's HTML page.
    BadGateway,
    /// Close the connection without answering.
    HangUp,
}

/// An error answer: `{"ok":false,"error_code":…,"description":…}`.
#[derive(Debug)]
pub(super) struct Failure {
    pub status: u16,
    pub description: String,
    pub retry_after: Option<u64>,
}

impl Failure {
    fn new(status: u16, description: String) -> Failure {
        Failure {
            status,
            description,
            retry_after: None,
        }
    }

    pub(super) fn bad_request(what: &str) -> Failure {
        Failure::new(400, format!("Bad Request: {what}"))
    }

    pub(super) fn conflict(what: &str) -> Failure {
        Failure::new(409, format!("Conflict: {what}"))
    }

    pub(super) fn unauthorized() -> Failure {
        Failure::new(401, "Unauthorized".to_owned())
    }

    fn not_found() -> Failure {
        Failure::new(404, "Not Found: method not found".to_owned())
    }

    fn blocked() -> Failure {
        Failure::new(403, "Forbidden: bot was blocked by the user".to_owned())
    }

    fn server_error() -> Failure {
        Failure::new(500, "Internal Server Error".to_owned())
    }

    fn too_many_requests(retry_after: u64) -> Failure {
        Failure {
            retry_after: Some(retry_after),
            ..Failure::new(429, format!("Too Many Requests: retry after {retry_after}"))
        }
    }

    /// Telegram words a too long text differently when it is an edit.
    fn for_edit(self) -> Failure {
        if self.description.ends_with(validate::TEXT_TOO_LONG) {
            return Failure::bad_request("MESSAGE_TOO_LONG");
        }
        self
    }

    pub(super) fn body(&self) -> Value {
        let mut body =
            json!({ "ok": false, "error_code": self.status, "description": self.description });
        if let Some(seconds) = self.retry_after {
            body["parameters"] = json!({ "retry_after": seconds });
        }
        body
    }
}

impl From<Result<Value, Failure>> for Answer {
    fn from(result: Result<Value, Failure>) -> Answer {
        match result {
            Ok(value) => Answer::Done(value),
            Err(failure) => Answer::Failed(failure),
        }
    }
}

impl Answer {
    /// The HTTP status of the answer; 0 when there is none.
    pub(super) fn status(&self) -> u16 {
        match self {
            Answer::Done(_) => 200,
            Answer::Failed(failure) => failure.status,
            Answer::BadGateway => 502,
            Answer::HangUp => 0,
        }
    }
}

/// Answers `method` (lower-case) for a caller whose token was accepted.
pub(super) async fn answer(shared: &Shared, method: &str, params: &Params) -> Answer {
    let result = match method {
        "sendmessage" | "sendphoto" | "senddocument" => return send(shared, method, params).await,
        "getupdates" => updates::get_updates(shared, params).await,
        "getme" => Ok(shapes::me(&shared.token)),
        "getchat" => chat_id(params).map(shapes::chat_full_info),
        "setwebhook" => {
            if let Some(kinds) = updates::allowed_of(params) {
                shared.state().updates.set_allowed(kinds);
            }
            shared.state().webhook =
                params
                    .str("url")
                    .filter(|u| !u.is_empty())
                    .map(|url| super::state::Hook {
                        url: url.to_owned(),
                        secret: params.str("secret_token").map(str::to_owned),
                    });
            // The pusher delivers what is queued to the new webhook.
            shared.polls.notify_waiters();
            Ok(json!(true))
        }
        "deletewebhook" => {
            let mut state = shared.state();
            state.webhook = None;
            if params.flag("drop_pending_updates") {
                state.updates.clear();
            }
            Ok(json!(true))
        }
        "getwebhookinfo" => {
            let state = shared.state();
            Ok(json!({
                "url": state.webhook.as_ref().map(|h| h.url.clone()).unwrap_or_default(),
                "has_custom_certificate": false,
                "pending_update_count": state.updates.pending(),
            }))
        }
        "setmycommands" | "answercallbackquery" => Ok(json!(true)),
        "setchatmenubutton" => menu_button(params).map(|button| {
            shared.state().menu_button = button;
            json!(true)
        }),
        "sendchataction" => chat_id(params)
            .and_then(|chat| refuse_blocked(shared, chat))
            .map(|()| json!(true)),
        "editmessagetext" | "editmessagereplymarkup" => edit(shared, method, params),
        _ => Err(Failure::not_found()),
    };
    Answer::from(result)
}

/// `setChatMenuButton` as Telegram checks it: a `web_app` button needs a text and an https
/// URL (Mini Apps are served over https only); `default` and `commands` need nothing more.
/// Setting one for a single chat is not something minyi does, so it is refused here.
fn menu_button(params: &Params) -> Result<Option<Value>, Failure> {
    if params.str("chat_id").is_some() || params.int("chat_id").is_some() {
        return Err(Failure::bad_request(
            "minyi sets the default menu button only",
        ));
    }
    let Some(button) = params.json("menu_button") else {
        return Ok(None);
    };
    match button.get("type").and_then(Value::as_str) {
        Some("default" | "commands") => Ok(Some(button)),
        Some("web_app") => {
            let text = button
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let url = button
                .pointer("/web_app/url")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if text.is_empty() {
                Err(Failure::bad_request("menu button text is empty"))
            } else if !url.starts_with("https://") {
                Err(Failure::bad_request(
                    "inline keyboard button Web App URL is invalid: Only HTTPS links are allowed",
                ))
            } else {
                Ok(Some(button))
            }
        }
        _ => Err(Failure::bad_request("unsupported menu button type")),
    }
}

async fn send(shared: &Shared, method: &str, params: &Params) -> Answer {
    let fault = shared.state().roll_fault();
    match fault {
        Some(FaultKind::ServerError) => return Answer::Failed(Failure::server_error()),
        Some(FaultKind::BadGateway) => return Answer::BadGateway,
        Some(FaultKind::Drop) => return Answer::HangUp,
        Some(FaultKind::Slow(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }
    Answer::from(deliver(shared, method, params))
}

/// A send that passed validation.
struct Outgoing {
    /// The text or caption as sent, and as shown once entities are parsed.
    text: String,
    shown: String,
    parse_mode: Option<String>,
    /// The file parameter (`photo` or `document`) and the file.
    file: Option<(&'static str, FileRef)>,
    markup: Option<Value>,
}

fn deliver(shared: &Shared, method: &str, params: &Params) -> Result<Value, Failure> {
    let chat = chat_id(params)?;
    refuse_blocked(shared, chat)?;
    let outgoing = outgoing(method, params)?;
    let mut state = shared.state();
    let now = Instant::now();
    if shared.enforce_limits {
        state
            .limits
            .take(chat, now)
            .map_err(Failure::too_many_requests)?;
    }
    let message_id = state.next_message_id(chat);
    let mut message = shapes::message(chat, message_id, state.bot_user());
    match &outgoing.file {
        None => message["text"] = json!(outgoing.shown),
        Some((key, file)) => {
            message[*key] = file_json(key, file, chat, message_id);
            if !outgoing.shown.is_empty() {
                message["caption"] = json!(outgoing.shown);
            }
        }
    }
    if let Some(markup) = &outgoing.markup {
        message["reply_markup"] = markup.clone();
    }
    state.delivered.push(Delivered {
        chat_id: chat,
        message_id,
        method: method.to_owned(),
        text: outgoing.text.clone(),
        parse_mode: outgoing.parse_mode.clone(),
        buttons: validate::buttons(outgoing.markup.as_ref()),
        file_name: outgoing.file.and_then(|(_, file)| file.name),
        at: now.into_std(),
    });
    let stored = Stored {
        json: message.clone(),
        text: outgoing.text,
        parse_mode: outgoing.parse_mode,
        markup: outgoing.markup,
    };
    state.store(chat, message_id, stored);
    Ok(message)
}

/// Validates what `sendMessage`, `sendPhoto` or `sendDocument` would send.
fn outgoing(method: &str, params: &Params) -> Result<Outgoing, Failure> {
    let parse_mode = params.str("parse_mode");
    let (text, shown, file) = match method {
        "sendmessage" => {
            let text = params.str("text");
            (text, validate::message_text(text, parse_mode)?, None)
        }
        _ => {
            let key = if method == "sendphoto" {
                "photo"
            } else {
                "document"
            };
            let file = params.file(key).ok_or_else(|| {
                Failure::bad_request(&format!("there is no {key} in the request"))
            })?;
            let caption = params.str("caption");
            let shown = validate::caption(caption, parse_mode)?;
            (caption, shown, Some((key, file)))
        }
    };
    let markup = inline_markup(params);
    validate::check_buttons(markup.as_ref())?;
    validate::check_web_apps(markup.as_ref(), params.int("chat_id").unwrap_or_default())?;
    Ok(Outgoing {
        text: text.unwrap_or_default().to_owned(),
        shown,
        parse_mode: parse_mode.map(str::to_owned),
        file,
        markup,
    })
}

/// The `reply_markup` if it is an inline keyboard: the only kind a message carries back.
fn inline_markup(params: &Params) -> Option<Value> {
    params
        .json("reply_markup")
        .filter(|m| m.get("inline_keyboard").is_some())
}

fn edit(shared: &Shared, method: &str, params: &Params) -> Result<Value, Failure> {
    let (Some(chat), Some(message_id)) = (params.int("chat_id"), params.int("message_id")) else {
        return Err(Failure::bad_request("message to edit not found"));
    };
    refuse_blocked(shared, chat)?;
    let parse_mode = params.str("parse_mode").map(str::to_owned);
    let markup = inline_markup(params);
    validate::check_buttons(markup.as_ref())?;
    validate::check_web_apps(markup.as_ref(), chat)?;
    let text = match method {
        "editmessagetext" => {
            let text = params.str("text");
            let shown =
                validate::message_text(text, parse_mode.as_deref()).map_err(Failure::for_edit)?;
            Some((text.unwrap_or_default().to_owned(), shown))
        }
        _ => None,
    };

    let mut state = shared.state();
    let now = Instant::now();
    let stored = state
        .message_mut(chat, message_id)
        .ok_or_else(|| Failure::bad_request("message to edit not found"))?;
    if text.is_some() && stored.json.get("text").is_none() {
        return Err(Failure::bad_request(
            "there is no text in the message to edit",
        ));
    }
    let same_text = text
        .as_ref()
        .is_none_or(|(t, _)| *t == stored.text && parse_mode == stored.parse_mode);
    if same_text && markup == stored.markup {
        return Err(Failure::bad_request(
            "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        ));
    }
    if shared.enforce_limits {
        state
            .limits
            .take(chat, now)
            .map_err(Failure::too_many_requests)?;
    }
    let stored = state
        .message_mut(chat, message_id)
        .expect("found above, under the same lock");
    if let Some((text, shown)) = text {
        stored.json["text"] = json!(shown);
        stored.text = text;
        stored.parse_mode = parse_mode;
    }
    let fields = stored.json.as_object_mut().expect("a message is an object");
    match &markup {
        Some(markup) => fields.insert("reply_markup".to_owned(), markup.clone()),
        None => fields.remove("reply_markup"),
    };
    fields.insert("edit_date".to_owned(), json!(shapes::unix_now()));
    stored.markup = markup;
    Ok(stored.json.clone())
}

fn chat_id(params: &Params) -> Result<i64, Failure> {
    params
        .int("chat_id")
        .ok_or_else(|| Failure::bad_request("chat not found"))
}

fn refuse_blocked(shared: &Shared, chat: i64) -> Result<(), Failure> {
    if shared.state().missing.contains(&chat) {
        return Err(Failure::bad_request("chat not found"));
    }
    if shared.state().blocked.contains(&chat) {
        return Err(Failure::blocked());
    }
    Ok(())
}

/// The `photo` or `document` field of a message carrying `file`.
fn file_json(key: &str, file: &FileRef, chat: i64, message_id: i64) -> Value {
    let id = format!("{key}-{chat}-{message_id}");
    let mut meta = json!({ "file_id": id, "file_unique_id": id });
    if let Some(size) = file.size {
        meta["file_size"] = json!(u32::try_from(size).unwrap_or(u32::MAX));
    }
    if key == "photo" {
        meta["width"] = json!(1280);
        meta["height"] = json!(720);
        return json!([meta]);
    }
    if let Some(name) = &file.name {
        meta["file_name"] = json!(name);
    }
    meta
}
