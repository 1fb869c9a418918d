//! What minyi sends a member through WeCom's message/send (document 90236): text, markdown
//! and `button_interaction` template cards, written as WeCom's JSON, and text split to
//! WeCom's content limit.

use serde_json::{Value, json};

/// Most bytes of a text or markdown message's `content`; WeCom cuts what is beyond (90236:
/// "最长不超过2048个字节，超过将截断", for text and for markdown alike).
pub const CONTENT_LIMIT: usize = 2048;

/// What minyi sends a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Text(String),
    Markdown(String),
    Card(Card),
}

/// A `button_interaction` template card: a title, a text and up to six buttons whose keys
/// come back in the click's `EventKey`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// Unique per app, at most 128 bytes of `[A-Za-z0-9_-@]`; comes back as `TaskId`.
    pub task_id: String,
    pub title: String,
    /// The title's helper line; left out when empty.
    pub desc: String,
    /// `sub_title_text`; left out when empty.
    pub text: String,
    pub buttons: Vec<Button>,
}

/// A callback button (`type` 0, left out as WeCom's default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub text: String,
    /// At most 1024 bytes, unique within the card: an opaque action token, never a raw id.
    pub key: String,
    /// 1 to 4; WeCom shows 1 for anything else.
    pub style: u8,
}

/// What WeCom answered to a send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sent {
    pub msgid: Option<String>,
    /// For a card only: the code of [`super::Client::update_card`], usable once.
    pub response_code: Option<String>,
}

impl Message {
    fn msgtype(&self) -> &'static str {
        match self {
            Message::Text(_) => "text",
            Message::Markdown(_) => "markdown",
            Message::Card(_) => "template_card",
        }
    }

    /// The message/send body for one member.
    pub(super) fn body(&self, userid: &str, agent_id: i64) -> Value {
        let msgtype = self.msgtype();
        let inner = match self {
            Message::Text(content) | Message::Markdown(content) => json!({ "content": content }),
            Message::Card(card) => card.json(),
        };
        json!({ "touser": userid, "msgtype": msgtype, "agentid": agent_id, msgtype: inner })
    }
}

impl Card {
    fn json(&self) -> Value {
        let mut main_title = json!({ "title": self.title });
        if !self.desc.is_empty() {
            main_title["desc"] = json!(self.desc);
        }
        let buttons: Vec<Value> = self
            .buttons
            .iter()
            .map(|b| json!({ "text": b.text, "style": b.style, "key": b.key }))
            .collect();
        let mut card = json!({
            "card_type": "button_interaction",
            "main_title": main_title,
            "task_id": self.task_id,
            "button_list": buttons,
        });
        if !self.text.is_empty() {
            card["sub_title_text"] = json!(self.text);
        }
        card
    }
}

/// Splits `text` into parts of at most `limit` bytes: between lines where it can (the newline
/// at a break is dropped), inside a longer line at a char boundary. Empty parts are left out,
/// since WeCom refuses empty content (44004); an empty text gives no part.
///
/// # Panics
/// If `limit` is under 4 bytes, the length of the longest char.
pub fn split_content(text: &str, limit: usize) -> Vec<String> {
    assert!(limit >= 4, "a part must be able to hold any char");
    let mut parts = Vec::new();
    let mut part = String::new();
    for line in text.split_inclusive('\n') {
        if part.len() + line.len() <= limit {
            part.push_str(line);
            continue;
        }
        finish(&mut part, &mut parts);
        let mut rest = line;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            parts.push(rest[..cut].to_owned());
            rest = &rest[cut..];
        }
        part.push_str(rest);
    }
    finish(&mut part, &mut parts);
    parts
}

fn finish(part: &mut String, parts: &mut Vec<String>) {
    let mut done = std::mem::take(part);
    if done.ends_with('\n') {
        done.pop();
    }
    if !done.is_empty() {
        parts.push(done);
    }
}
