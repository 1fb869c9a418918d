//! The JSON of users, chats and messages, in the shapes teloxide-core 0.13 deserialises.
//! Fields teloxide requires are always present even where Telegram would often omit them
//! (`has_main_web_app` in getMe, `accepted_gift_types` and `max_reaction_count` in getChat).

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// Ids of supergroups start at -100…: -1001234567890.
const SUPERGROUP_IDS_BELOW: i64 = -1_000_000_000_000;

/// The bot's id as Telegram derives it: the number before the colon of its token.
pub(super) fn bot_id(token: &str) -> i64 {
    token
        .split(':')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or(1_000_000)
}

/// The bot as `getMe` answers it.
pub(super) fn me(token: &str) -> Value {
    let mut me = bot_user(token);
    let fields = me.as_object_mut().expect("a user is an object");
    for flag in [
        "can_join_groups",
        "can_read_all_group_messages",
        "supports_inline_queries",
        "can_connect_to_business",
        "has_main_web_app",
        "added_to_attachment_menu",
    ] {
        fields.insert(flag.to_owned(), json!(flag == "can_join_groups"));
    }
    me
}

/// The bot as the sender of its messages.
pub(super) fn bot_user(token: &str) -> Value {
    json!({
        "id": bot_id(token),
        "is_bot": true,
        "first_name": "minyi sandbox",
        "username": "minyi_sandbox_bot",
    })
}

pub(super) fn user(id: i64) -> Value {
    json!({ "id": id, "is_bot": false, "first_name": format!("User {id}") })
}

/// A chat as it appears inside a message: private for positive ids, a group or supergroup
/// for negative ones.
pub(super) fn chat(id: i64) -> Value {
    if id > 0 {
        json!({ "id": id, "type": "private", "first_name": format!("User {id}") })
    } else if id < SUPERGROUP_IDS_BELOW {
        json!({ "id": id, "type": "supergroup", "title": format!("Group {id}") })
    } else {
        json!({ "id": id, "type": "group", "title": format!("Group {id}") })
    }
}

/// A chat as `getChat` answers it.
pub(super) fn chat_full_info(id: i64) -> Value {
    let mut chat = chat(id);
    let fields = chat.as_object_mut().expect("a chat is an object");
    fields.insert(
        "accepted_gift_types".to_owned(),
        json!({
            "unlimited_gifts": false,
            "limited_gifts": false,
            "unique_gifts": false,
            "premium_subscription": false,
        }),
    );
    fields.insert("max_reaction_count".to_owned(), json!(11));
    chat
}

/// A message without its content; the caller adds `text`, `photo`, `reply_markup`…
/// The date must not be 0: teloxide reads a zero date as an inaccessible message.
pub(super) fn message(chat_id: i64, message_id: i64, from: Value) -> Value {
    json!({
        "message_id": message_id,
        "date": unix_now(),
        "chat": chat(chat_id),
        "from": from,
    })
}

/// `bot_command` entities for a text that starts with a command, as Telegram marks them.
pub(super) fn command_entities(text: &str) -> Vec<Value> {
    if !text.starts_with('/') {
        return Vec::new();
    }
    let command = text.split_whitespace().next().unwrap_or_default();
    let length = command.encode_utf16().count();
    vec![json!({ "type": "bot_command", "offset": 0, "length": length })]
}

pub(super) fn unix_now() -> i64 {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_secs())
        .unwrap_or(i64::MAX)
        .max(1)
}
