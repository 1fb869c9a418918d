//! WeCom's answers: the JSON every call returns, and what its errcode means to minyi.

use serde::Deserialize;
use serde_json::Value;

use super::SendError;

/// 45009 接口调用超过限制, 45033 接口并发调用超过限制 (the global list, 90313).
pub(super) const RATE_LIMITED: [i64; 2] = [45009, 45033];
/// -1 系统繁忙: the only errcode 90313 says to retry as is.
pub(super) const BUSY: i64 = -1;
/// 81013: every recipient is invalid or outside the app's visible range. minyi sends to one
/// member at a time, so a non-empty `invaliduser` means the same to it.
pub const INVALID_USER: i64 = 81013;

/// The parts of WeCom's answers minyi reads; every call answers some of them.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Answer {
    #[serde(default)]
    pub(super) errcode: i64,
    #[serde(default)]
    pub(super) errmsg: String,
    /// `"u1|u2"` from message/send, `["u1"]` from update_template_card.
    #[serde(default)]
    pub(super) invaliduser: Value,
    /// Members in the visible range without a licence for the API (90236).
    #[serde(default)]
    pub(super) unlicenseduser: Value,
    #[serde(default)]
    pub(super) msgid: Value,
    #[serde(default)]
    pub(super) response_code: Value,
    pub(super) access_token: Option<String>,
    pub(super) expires_in: Option<u64>,
}

/// The answer, if its errcode is 0; otherwise what the errcode means to minyi. `hidden` (the
/// token or the secret of the call) is blanked from WeCom's errmsg, should it ever echo it.
pub(super) fn judge(answer: Answer, hidden: &str) -> Result<Answer, SendError> {
    match answer.errcode {
        0 => Ok(answer),
        BUSY => Err(SendError::Busy),
        code if RATE_LIMITED.contains(&code) => Err(SendError::RateLimited { code }),
        code => Err(SendError::Refused {
            code,
            message: if hidden.is_empty() {
                answer.errmsg
            } else {
                answer.errmsg.replace(hidden, "***")
            },
        }),
    }
}

/// A member WeCom did not deliver to: outside the app's visible range, or unlicensed.
pub(super) fn refuse_invalid_users(answer: &Answer) -> Result<(), SendError> {
    for (field, why) in [
        (&answer.invaliduser, "not in the app's visible range"),
        (
            &answer.unlicenseduser,
            "without a licence for the app's API",
        ),
    ] {
        let users = userids(field);
        if !users.is_empty() {
            return Err(SendError::Refused {
                code: INVALID_USER,
                message: format!("{why}: {}", users.join("|")),
            });
        }
    }
    Ok(())
}

pub(super) fn userids(field: &Value) -> Vec<String> {
    match field {
        Value::String(s) => s
            .split('|')
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect(),
        Value::Array(items) => items.iter().filter_map(text_of).collect(),
        _ => Vec::new(),
    }
}

/// A string or a number as text; nothing for null and the empty string.
pub(super) fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
