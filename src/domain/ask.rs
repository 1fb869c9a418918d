//! What a notice asks of its reader: the next step that is theirs to take, as a value. A
//! channel renders it as its own buttons (Telegram's inline keyboard, WeCom's template card);
//! a channel without buttons shows the text alone, which always says what to do.

use std::fmt;

use super::numbers::{ResidentNo, SuggestionNo};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ask {
    /// 初审: accept or return this suggestion (the group's leaders).
    Review(SuggestionNo),
    /// 交办: assign this suggestion to a handling unit (the clerks).
    Assign(SuggestionNo),
    /// 办理: post progress on this suggestion or reply to it (the lead unit).
    Handle(SuggestionNo),
    /// 协办: post progress on this suggestion (a co-unit; the reply is the lead unit's).
    Progress(SuggestionNo),
    /// Rate the unit's reply to this suggestion (the deputy).
    Rate(SuggestionNo),
    /// Adopt this resident's request as a suggestion, or decline it (the deputy, or the
    /// group's deputies and leaders).
    AdoptOrDecline(ResidentNo),
    /// Was the matter of this suggestion solved? (the resident who raised it).
    Solved(SuggestionNo),
}

impl Ask {
    /// Every kind of ask, with sample numbers: for tests that each one renders.
    pub fn samples() -> [Ask; 7] {
        let no = SuggestionNo::new(2026, 42);
        [
            Ask::Review(no),
            Ask::Assign(no),
            Ask::Handle(no),
            Ask::Progress(no),
            Ask::Rate(no),
            Ask::AdoptOrDecline(ResidentNo::new(2026, 7)),
            Ask::Solved(no),
        ]
    }

    /// Reads the stored form written by `Display` (`review:2026-0042`).
    pub fn parse(text: &str) -> Option<Ask> {
        let (kind, number) = text.split_once(':')?;
        let no = || SuggestionNo::parse(number).ok();
        Some(match kind {
            "review" => Ask::Review(no()?),
            "assign" => Ask::Assign(no()?),
            "handle" => Ask::Handle(no()?),
            "progress" => Ask::Progress(no()?),
            "rate" => Ask::Rate(no()?),
            "request" => Ask::AdoptOrDecline(ResidentNo::parse(number).ok()?),
            "solved" => Ask::Solved(no()?),
            _ => return None,
        })
    }
}

/// The stored form: a kind and the number it is about, `review:2026-0042`,
/// `request:R-2026-0007`.
impl fmt::Display for Ask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ask::Review(no) => write!(f, "review:{no}"),
            Ask::Assign(no) => write!(f, "assign:{no}"),
            Ask::Handle(no) => write!(f, "handle:{no}"),
            Ask::Progress(no) => write!(f, "progress:{no}"),
            Ask::Rate(no) => write!(f, "rate:{no}"),
            Ask::AdoptOrDecline(no) => write!(f, "request:{no}"),
            Ask::Solved(no) => write!(f, "solved:{no}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ask_reads_back_what_it_writes() {
        for ask in Ask::samples() {
            assert_eq!(Ask::parse(&ask.to_string()), Some(ask), "{ask}");
        }
        for junk in [
            "",
            "review",
            "review:42",
            "request:2026-0001",
            "vote:2026-0001",
        ] {
            assert_eq!(Ask::parse(junk), None, "{junk}");
        }
    }
}
