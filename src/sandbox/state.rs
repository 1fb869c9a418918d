//! Everything a sandbox remembers. One lock guards it all; nobody holds it across an await.

use std::collections::{HashMap, HashSet};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use super::limits::Limits;
use super::updates::Updates;
use super::{Call, Delivered, FaultKind, Faults, shapes};

pub(super) struct State {
    pub calls: Vec<Call>,
    pub delivered: Vec<Delivered>,
    pub blocked: HashSet<i64>,
    /// Chats that are gone: "chat not found".
    pub missing: HashSet<i64>,
    pub updates: Updates,
    pub webhook: Option<Hook>,
    /// The menu button of private chats (`setChatMenuButton` without a chat), as set.
    pub menu_button: Option<serde_json::Value>,
    pub limits: Limits,
    /// The bot's messages as they are now, by (chat, message id), for edits and callbacks.
    messages: HashMap<(i64, i64), Stored>,
    /// The last message id given out per chat: ids increase per chat, as in Telegram.
    last_message_id: HashMap<i64, i64>,
    /// Each person's last text message per chat, as it was sent, for edits.
    last_written: HashMap<(i64, i64), Value>,
    dice: Option<(Faults, StdRng)>,
    /// Faults the next sends meet, in order, before any dice are rolled.
    pub next_faults: std::collections::VecDeque<FaultKind>,
    bot: Value,
    callbacks: u64,
    /// The `language_code` a user's Telegram app reports, where a test set one.
    pub user_langs: HashMap<i64, String>,
}

/// A webhook set with `setWebhook`: where queued updates are POSTed, with the secret token
/// Telegram sends in `X-Telegram-Bot-Api-Secret-Token`.
#[derive(Debug, Clone)]
pub(super) struct Hook {
    pub url: String,
    pub secret: Option<String>,
}

/// A message of the bot's: its JSON, and what it was sent with (to see whether an edit
/// changes anything).
pub(super) struct Stored {
    pub json: Value,
    pub text: String,
    pub parse_mode: Option<String>,
    pub markup: Option<Value>,
}

impl State {
    pub(super) fn new(token: &str, faults: Option<Faults>, global_per_second: usize) -> State {
        let mut state = State {
            calls: Vec::new(),
            delivered: Vec::new(),
            blocked: HashSet::new(),
            missing: HashSet::new(),
            updates: Updates::new(),
            webhook: None,
            menu_button: None,
            limits: Limits::new(global_per_second),
            messages: HashMap::new(),
            last_message_id: HashMap::new(),
            last_written: HashMap::new(),
            dice: None,
            next_faults: Default::default(),
            bot: shapes::bot_user(token),
            callbacks: 0,
            user_langs: HashMap::new(),
        };
        state.set_faults(faults);
        state
    }

    pub(super) fn set_faults(&mut self, faults: Option<Faults>) {
        self.dice = faults.map(|f| {
            let rng = StdRng::seed_from_u64(f.seed);
            (f, rng)
        });
    }

    /// Whether this send fails, and how. Called once per send so a seed replays the same run.
    pub(super) fn roll_fault(&mut self) -> Option<FaultKind> {
        if let Some(kind) = self.next_faults.pop_front() {
            return Some(kind);
        }
        let (faults, rng) = self.dice.as_mut()?;
        if rng.random::<f64>() >= faults.rate {
            return None;
        }
        if faults.kinds.is_empty() {
            return Some(FaultKind::ServerError);
        }
        Some(faults.kinds[rng.random_range(0..faults.kinds.len())].clone())
    }

    pub(super) fn bot_user(&self) -> Value {
        self.bot.clone()
    }

    pub(super) fn next_message_id(&mut self, chat: i64) -> i64 {
        let last = self.last_message_id.entry(chat).or_insert(0);
        *last += 1;
        *last
    }

    pub(super) fn store(&mut self, chat: i64, message_id: i64, message: Stored) {
        self.messages.insert((chat, message_id), message);
    }

    pub(super) fn message_mut(&mut self, chat: i64, message_id: i64) -> Option<&mut Stored> {
        self.messages.get_mut(&(chat, message_id))
    }

    /// A `message` update: `from` writes `text` in `chat`.
    pub(super) fn incoming_message(&mut self, chat: i64, from: i64, text: &str) -> Value {
        let message = self.written(chat, self.user(from), text);
        self.last_written.insert((chat, from), message.clone());
        json!({ "message": message })
    }

    /// A text message from `sender` (a user's or a bot's JSON), with its command entity.
    fn written(&mut self, chat: i64, sender: Value, text: &str) -> Value {
        let id = self.next_message_id(chat);
        let mut message = shapes::message(chat, id, sender);
        set_text(&mut message, text);
        message
    }

    /// A `message` update: `from` replies with `text` to message `reply_to` of the chat (the
    /// bot's, as it was sent; any other stood in for by a user's empty message).
    pub(super) fn incoming_reply(
        &mut self,
        chat: i64,
        from: i64,
        reply_to: i64,
        text: &str,
    ) -> Value {
        let replied = match self.messages.get(&(chat, reply_to)) {
            Some(stored) => stored.json.clone(),
            None => shapes::message(chat, reply_to, shapes::user(from + 1)),
        };
        let mut message = self.written(chat, self.user(from), text);
        message["reply_to_message"] = replied;
        json!({ "message": message })
    }

    /// A `message` update from another bot in a group (`id`, `@username`).
    pub(super) fn incoming_from_bot(
        &mut self,
        chat: i64,
        id: i64,
        username: &str,
        text: &str,
    ) -> Value {
        let sender =
            json!({ "id": id, "is_bot": true, "first_name": username, "username": username });
        json!({ "message": self.written(chat, sender, text) })
    }

    /// An `edited_message` update: `from` edits their last text message in `chat` to `text`;
    /// `None` if they wrote none there.
    pub(super) fn incoming_edit(&mut self, chat: i64, from: i64, text: &str) -> Option<Value> {
        let mut message = self.last_written.get(&(chat, from))?.clone();
        set_text(&mut message, text);
        message["edit_date"] = json!(shapes::unix_now());
        self.last_written.insert((chat, from), message.clone());
        Some(json!({ "edited_message": message }))
    }

    /// A user as they appear in an update, with their app's language if a test set one.
    pub(super) fn user(&self, id: i64) -> Value {
        let mut user = shapes::user(id);
        if let Some(lang) = self.user_langs.get(&id) {
            user["language_code"] = json!(lang);
        }
        user
    }

    /// A photo message (one size, with an optional caption).
    pub(super) fn incoming_photo(&mut self, chat: i64, from: i64, caption: Option<&str>) -> Value {
        let id = self.next_message_id(chat);
        let mut message = shapes::message(chat, id, self.user(from));
        let file = format!("photo-{chat}-{id}");
        message["photo"] = json!([{ "file_id": file, "file_unique_id": file, "width": 800, "height": 600, "file_size": 54321 }]);
        if let Some(caption) = caption {
            message["caption"] = json!(caption);
        }
        json!({ "message": message })
    }

    /// A location message.
    pub(super) fn incoming_location(
        &mut self,
        chat: i64,
        from: i64,
        latitude: f64,
        longitude: f64,
    ) -> Value {
        let id = self.next_message_id(chat);
        let mut message = shapes::message(chat, id, self.user(from));
        message["location"] = json!({ "latitude": latitude, "longitude": longitude });
        json!({ "message": message })
    }

    /// A `my_chat_member` update: `by` adds the bot to (or removes it from) a group.
    pub(super) fn incoming_membership(&mut self, chat: i64, by: i64, added: bool) -> Value {
        let (old, new) = if added {
            ("left", "member")
        } else {
            ("member", "left")
        };
        json!({
            "my_chat_member": {
                "chat": shapes::chat(chat),
                "from": self.user(by),
                "date": shapes::unix_now(),
                "old_chat_member": { "user": self.bot.clone(), "status": old },
                "new_chat_member": { "user": self.bot.clone(), "status": new },
            }
        })
    }

    /// A `callback_query` update: `from` presses a button with `data` under the bot's message.
    /// A message the sandbox did not send is stood in for by an empty text message.
    pub(super) fn incoming_callback(
        &mut self,
        from: i64,
        chat: i64,
        message_id: i64,
        data: &str,
    ) -> Value {
        self.callbacks += 1;
        let message = match self.messages.get(&(chat, message_id)) {
            Some(stored) => stored.json.clone(),
            None => {
                let mut stand_in = shapes::message(chat, message_id, self.bot_user());
                stand_in["text"] = json!("");
                stand_in
            }
        };
        json!({
            "callback_query": {
                "id": self.callbacks.to_string(),
                "from": self.user(from),
                "message": message,
                "chat_instance": chat.to_string(),
                "data": data,
            }
        })
    }
}

/// Sets a message's text and the command entity Telegram would mark in it.
fn set_text(message: &mut Value, text: &str) {
    message["text"] = json!(text);
    let entities = shapes::command_entities(text);
    match entities.is_empty() {
        true => {
            if let Some(fields) = message.as_object_mut() {
                fields.remove("entities");
            }
        }
        false => message["entities"] = Value::Array(entities),
    }
}
