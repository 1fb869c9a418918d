//! WeCom's checks on what an app sends, answered with the errcodes of WeCom's global list
//! (document 90313): message/send and its `button_interaction` cards (90236),
//! update_template_card (94888), menu/create (90231).
//!
//! WeCom does not document which errcode each malformed field gets. Where a field has its own
//! code in 90313 (42014 for a task_id, 42018-42020 for button keys and names, 40016-40027 for
//! menus) it is used; the rest answer 40058 不合法的参数, as WeCom answers, for example, a
//! markdown content over its robot's limit.

use std::collections::HashSet;

use serde_json::Value;

/// WeCom's errcodes the sandbox answers (90313).
pub(super) mod errcode {
    pub const INVALID_SECRET: i64 = 40001;
    pub const INVALID_MSGTYPE: i64 = 40008;
    pub const INVALID_CORPID: i64 = 40013;
    pub const INVALID_TOKEN: i64 = 40014;
    pub const INVALID_BUTTON_COUNT: i64 = 40016;
    pub const INVALID_BUTTON_TYPE: i64 = 40017;
    pub const INVALID_BUTTON_NAME: i64 = 40018;
    pub const INVALID_BUTTON_KEY: i64 = 40019;
    pub const INVALID_SUB_BUTTON_COUNT: i64 = 40023;
    pub const INVALID_AGENTID: i64 = 40056;
    pub const INVALID_PARAMETER: i64 = 40058;
    pub const MISSING_TOKEN: i64 = 41001;
    pub const MISSING_AGENTID: i64 = 41011;
    pub const TOKEN_EXPIRED: i64 = 42001;
    pub const INVALID_TASK_ID: i64 = 42014;
    pub const INVALID_CARD_KEY: i64 = 42018;
    pub const MISSING_CARD_KEY: i64 = 42019;
    pub const MISSING_CARD_TEXT: i64 = 42020;
    pub const CODE_USED: i64 = 42022;
    pub const EMPTY_CONTENT: i64 = 44004;
    pub const FREQ_LIMIT: i64 = 45009;
    pub const NOT_JSON: i64 = 47001;
    pub const ALL_INVALID: i64 = 81013;
    pub const NO_RECIPIENT: i64 = 82001;
}

use errcode::*;

/// A task_id: at most 128 bytes of `[A-Za-z0-9_-@]`, unique per app (90236).
const TASK_ID_LIMIT: usize = 128;
/// A card holds 1 to 6 buttons, each key at most 1024 bytes, unique in the card (90236).
const MAX_BUTTONS: usize = 6;
const CARD_KEY_LIMIT: usize = 1024;
/// Menus (90231): 1-3 buttons, 1-5 under each; names of 16 bytes (40 under a button), keys
/// of 128 bytes. [Secondary sources quoting 90231; WeChat's official accounts share them.]
const MENU_BUTTONS: usize = 3;
const MENU_SUB_BUTTONS: usize = 5;
const MENU_NAME_LIMIT: usize = 16;
const MENU_SUB_NAME_LIMIT: usize = 40;
const MENU_KEY_LIMIT: usize = 128;

/// A call WeCom refuses, as it answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Refusal {
    pub errcode: i64,
    pub errmsg: String,
}

pub(super) fn refuse<T>(errcode: i64, errmsg: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal {
        errcode,
        errmsg: errmsg.into(),
    })
}

/// What a valid message/send carries.
pub(super) struct Send {
    /// `touser` split at `|`, as written.
    pub touser: Vec<String>,
    pub body: Body,
}

pub(super) enum Body {
    Text(String),
    Markdown(String),
    Card { task_id: String, card: Value },
}

impl Body {
    pub fn msgtype(&self) -> &'static str {
        match self {
            Body::Text(_) => "text",
            Body::Markdown(_) => "markdown",
            Body::Card { .. } => "template_card",
        }
    }
}

/// What a valid update_template_card carries.
pub(super) struct Update {
    pub userids: Vec<String>,
    pub response_code: String,
    pub replace_name: String,
}

pub(super) fn send(body: &Value, agent_id: i64) -> Result<Send, Refusal> {
    agent(body, agent_id)?;
    let touser: Vec<String> = str_at(body, "/touser")
        .split('|')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .collect();
    if touser.is_empty() {
        return refuse(NO_RECIPIENT, "touser & toparty & totag all empty");
    }
    let body = match str_at(body, "/msgtype") {
        kind @ ("text" | "markdown") => {
            let content = str_at(body, &format!("/{kind}/content"));
            if content.is_empty() {
                return refuse(EMPTY_CONTENT, format!("{kind}.content is empty"));
            }
            match kind {
                "text" => Body::Text(content.to_owned()),
                _ => Body::Markdown(content.to_owned()),
            }
        }
        "template_card" => card(body.get("template_card").unwrap_or(&Value::Null))?,
        other => return refuse(INVALID_MSGTYPE, format!("invalid message type: {other:?}")),
    };
    Ok(Send { touser, body })
}

/// A `button_interaction` card, the only type minyi sends.
fn card(card: &Value) -> Result<Body, Refusal> {
    if str_at(card, "/card_type") != "button_interaction" {
        return refuse(
            INVALID_PARAMETER,
            "template_card.card_type: the sandbox plays button_interaction",
        );
    }
    if str_at(card, "/main_title/title").is_empty() {
        return refuse(
            INVALID_PARAMETER,
            "template_card.main_title.title is missing",
        );
    }
    let task_id = str_at(card, "/task_id");
    let task_chars = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '@');
    if task_id.is_empty() || task_id.len() > TASK_ID_LIMIT || !task_id.chars().all(task_chars) {
        return refuse(
            INVALID_TASK_ID,
            "taskid is empty or exceed max len or invalid",
        );
    }
    let buttons = card.get("button_list").and_then(Value::as_array);
    let Some(buttons) = buttons.filter(|b| (1..=MAX_BUTTONS).contains(&b.len())) else {
        return refuse(
            INVALID_PARAMETER,
            "template_card.button_list: 1 to 6 buttons",
        );
    };
    let mut keys = HashSet::new();
    for button in buttons {
        if str_at(button, "/text").is_empty() {
            return refuse(MISSING_CARD_TEXT, "button text is missing");
        }
        // type 1 is a link button with a url; 0 or none is a callback button with a key.
        if button.get("type").and_then(Value::as_i64).unwrap_or(0) == 1 {
            if str_at(button, "/url").is_empty() {
                return refuse(INVALID_PARAMETER, "button url is missing");
            }
            continue;
        }
        let key = str_at(button, "/key");
        if key.is_empty() {
            return refuse(MISSING_CARD_KEY, "button key is missing");
        }
        if key.len() > CARD_KEY_LIMIT || !keys.insert(key) {
            return refuse(INVALID_CARD_KEY, "button key too long or repeated");
        }
    }
    Ok(Body::Card {
        task_id: task_id.to_owned(),
        card: card.clone(),
    })
}

pub(super) fn update(body: &Value, agent_id: i64) -> Result<Update, Refusal> {
    agent(body, agent_id)?;
    // Arrays here, unlike message/send's "u1|u2": a string is refused.
    let Some(userids) = body.get("userids").and_then(Value::as_array) else {
        return refuse(INVALID_PARAMETER, "userids must be an array");
    };
    let userids: Vec<String> = userids
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    if userids.is_empty() {
        return refuse(NO_RECIPIENT, "userids & partyids & tagids all empty");
    }
    let response_code = str_at(body, "/response_code");
    if response_code.is_empty() {
        return refuse(INVALID_PARAMETER, "response_code is missing");
    }
    let replace_name = str_at(body, "/button/replace_name");
    if replace_name.is_empty() {
        return refuse(
            INVALID_PARAMETER,
            "button.replace_name: the sandbox plays the button form",
        );
    }
    Ok(Update {
        userids,
        response_code: response_code.to_owned(),
        replace_name: replace_name.to_owned(),
    })
}

pub(super) fn menu(body: &Value) -> Result<(), Refusal> {
    let buttons = body.get("button").and_then(Value::as_array);
    let Some(buttons) = buttons.filter(|b| (1..=MENU_BUTTONS).contains(&b.len())) else {
        return refuse(INVALID_BUTTON_COUNT, "invalid button size: 1 to 3");
    };
    for button in buttons {
        match button.get("sub_button").and_then(Value::as_array) {
            Some(subs) if !subs.is_empty() => {
                if subs.len() > MENU_SUB_BUTTONS {
                    return refuse(INVALID_SUB_BUTTON_COUNT, "invalid sub button size: 1 to 5");
                }
                menu_name(button, MENU_NAME_LIMIT)?;
                for sub in subs {
                    menu_name(sub, MENU_SUB_NAME_LIMIT)?;
                    menu_action(sub)?;
                }
            }
            _ => {
                menu_name(button, MENU_NAME_LIMIT)?;
                menu_action(button)?;
            }
        }
    }
    Ok(())
}

fn menu_name(button: &Value, limit: usize) -> Result<(), Refusal> {
    let name = str_at(button, "/name");
    if name.is_empty() || name.len() > limit {
        return refuse(
            INVALID_BUTTON_NAME,
            format!("invalid button name size: 1 to {limit} bytes"),
        );
    }
    Ok(())
}

fn menu_action(button: &Value) -> Result<(), Refusal> {
    match str_at(button, "/type") {
        "view" => {
            if str_at(button, "/url").is_empty() {
                return refuse(INVALID_PARAMETER, "a view button needs a url");
            }
        }
        "click" | "scancode_push" | "scancode_waitmsg" | "pic_sysphoto" | "pic_photo_or_album"
        | "pic_weixin" | "location_select" => {
            let key = str_at(button, "/key");
            if key.is_empty() || key.len() > MENU_KEY_LIMIT {
                return refuse(
                    INVALID_BUTTON_KEY,
                    "invalid button key size: 1 to 128 bytes",
                );
            }
        }
        other => {
            return refuse(
                INVALID_BUTTON_TYPE,
                format!("invalid button type: {other:?}"),
            );
        }
    }
    Ok(())
}

/// The agentid WeCom checks on every send: a number (or its digits) matching the app.
fn agent(body: &Value, agent_id: i64) -> Result<(), Refusal> {
    let given = match body.get("agentid") {
        None | Some(Value::Null) => return refuse(MISSING_AGENTID, "missing agentid"),
        Some(Value::String(s)) => s.parse().ok(),
        Some(other) => other.as_i64(),
    };
    if given != Some(agent_id) {
        return refuse(INVALID_AGENTID, "invalid agentid");
    }
    Ok(())
}

/// The string at a JSON pointer, or "" when absent or not a string.
fn str_at<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}
