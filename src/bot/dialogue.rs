//! Multi-step conversations, stored per (chat, account) as JSON so a restart or another
//! replica goes on where the person left off. `/cancel` ends any of them; none times out.

use serde::{Deserialize, Serialize};

use crate::domain::{Attachment, ResidentNo, SuggestionNo};

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
        no: String,
    },
    /// A deputy pressed Decline on a resident's request: the reason comes next.
    DeclineReason {
        request: String,
    },
    /// A resident opened `d_`/`g_`: the concern comes next (text, optional photo or location).
    Concern {
        /// `d` or `g`.
        kind: String,
        code: String,
        photo: Option<String>,
        location: Option<(f64, f64)>,
    },
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
        Dialogue::ReturnReason { no: no.to_string() }
    }

    pub fn decline_reason(request: ResidentNo) -> Dialogue {
        Dialogue::DeclineReason {
            request: request.to_string(),
        }
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
                kind: "d".into(),
                code: "D001".into(),
                photo: None,
                location: None,
            },
        ];
        for step in steps {
            assert_eq!(Dialogue::from_json(&step.to_json()), Some(step));
        }
        assert_eq!(Dialogue::from_json("{\"step\":\"gone\"}"), None);
    }
}
