//! Multi-step conversations, stored per (chat, account) as JSON so a restart or another
//! replica goes on where the person left off. `/cancel` ends any of them; none times out.

use serde::{Deserialize, Serialize};

use crate::domain::{Attachment, ResidentNo, SuggestionNo};
use crate::storage::RequestTarget;

/// Where a conversation stands: what the bot asked last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Dialogue {
    /// `/suggest` without text: the title comes next.
    Title,
    Body {
        title: String,
    },
    /// The category comes from buttons.
    Category {
        title: String,
        body: String,
    },
    /// The summary is shown: a photo or location may be added, then confirm or cancel.
    Confirm {
        title: String,
        body: String,
        category: String,
        photo: Option<String>,
        location: Option<(f64, f64)>,
    },
    /// A leader pressed Return: the reason comes next.
    ReturnReason {
        #[serde(with = "as_text")]
        no: SuggestionNo,
    },
    /// A unit pressed Progress: the progress's text comes next.
    ProgressText {
        #[serde(with = "as_text")]
        no: SuggestionNo,
    },
    /// A unit pressed Reply: the reply's text comes next.
    ReplyText {
        #[serde(with = "as_text")]
        no: SuggestionNo,
    },
    /// A deputy pressed Decline on a resident's request: the reason comes next.
    DeclineReason {
        #[serde(with = "as_text")]
        request: ResidentNo,
    },
    /// A resident opened `d_`/`g_`: the concern comes next (text, optional photo or location).
    Concern {
        kind: LinkKind,
        code: String,
        photo: Option<String>,
        location: Option<(f64, f64)>,
    },
}

/// Whom a resident's link writes to: a deputy (`d_<code>`) or a whole group (`g_<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    #[serde(rename = "d")]
    Deputy,
    #[serde(rename = "g")]
    Group,
}

impl LinkKind {
    /// The request's addressee, by the code the link names.
    pub fn target(self, code: &str) -> RequestTarget {
        match self {
            LinkKind::Deputy => RequestTarget::Deputy(code.to_string()),
            LinkKind::Group => RequestTarget::Group(code.to_string()),
        }
    }
}

/// Numbers are stored as people write them (`2026-0042`), as dialogues always were.
mod as_text {
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub fn deserialize<'de, T: FromStr, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|_| serde::de::Error::custom(format!("not a number: {text:?}")))
    }
}

impl Dialogue {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a dialogue serialises")
    }

    /// A stored step; one this version cannot read ends the dialogue.
    pub fn from_json(json: &str) -> Option<Dialogue> {
        serde_json::from_str(json).ok()
    }

    pub fn return_reason(no: SuggestionNo) -> Dialogue {
        Dialogue::ReturnReason { no }
    }

    pub fn decline_reason(request: ResidentNo) -> Dialogue {
        Dialogue::DeclineReason { request }
    }
}

/// A photo or location from a dialogue's fields.
pub fn attachment(photo: &Option<String>, location: &Option<(f64, f64)>) -> Attachment {
    Attachment {
        photo: photo.clone(),
        location: *location,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_round_trip_and_junk_ends_the_dialogue() {
        let steps = [
            Dialogue::Title,
            Dialogue::Body { title: "t".into() },
            Dialogue::Category {
                title: "t".into(),
                body: "b".into(),
            },
            Dialogue::Confirm {
                title: "t".into(),
                body: "<b>x</b>".into(),
                category: "other".into(),
                photo: Some("file".into()),
                location: Some((31.2, 121.5)),
            },
            Dialogue::return_reason(SuggestionNo::new(2026, 1)),
            Dialogue::decline_reason(ResidentNo::new(2026, 1)),
            Dialogue::Concern {
                kind: LinkKind::Deputy,
                code: "D001".into(),
                photo: None,
                location: None,
            },
        ];
        for step in steps {
            assert_eq!(Dialogue::from_json(&step.to_json()), Some(step));
        }
        assert_eq!(Dialogue::from_json("{\"step\":\"gone\"}"), None);
        // Steps stored by earlier versions read as they were written.
        assert_eq!(
            Dialogue::from_json(r#"{"step":"return_reason","no":"2026-0007"}"#),
            Some(Dialogue::return_reason(SuggestionNo::new(2026, 7)))
        );
        assert_eq!(
            Dialogue::from_json(
                r#"{"step":"concern","kind":"g","code":"G1","photo":null,"location":null}"#
            ),
            Some(Dialogue::Concern {
                kind: LinkKind::Group,
                code: "G1".into(),
                photo: None,
                location: None
            })
        );
        assert_eq!(
            Dialogue::from_json(r#"{"step":"return_reason","no":"42"}"#),
            None
        );
    }
}
