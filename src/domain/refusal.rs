//! Why an action was refused: a value, rendered as a short reply in the person's language.

use super::numbers::SuggestionNo;
use super::suggestion::State;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// None of the actor's roles may do this anywhere.
    #[error("not something your role does")]
    NotYourRole,
    /// A role of the actor's may do this, but not here: another group's, org's or unit's
    /// matter, or another deputy's suggestion.
    #[error("outside your scope")]
    OutOfScope,
    /// The suggestion's state does not allow this.
    #[error("not allowed while the suggestion is {0}")]
    WrongState(State),
    #[error("a reason is required")]
    ReasonRequired,
    #[error("a text is required")]
    TextRequired,
    #[error("a title is required")]
    TitleRequired,
    #[error("the title is longer than {max} characters")]
    TitleTooLong { max: usize },
    #[error("the text is longer than {max} characters")]
    TextTooLong { max: usize },
    #[error("days must be between 1 and {max}")]
    DaysOutOfRange { max: u32 },
    #[error("a unit is named twice")]
    DuplicateUnit,
    #[error("a suggestion cannot be merged into itself")]
    MergeIntoSelf,
    /// Only an accepted, still open suggestion can take another merged into it.
    #[error("{0} cannot take a merge: it is not accepted and open")]
    MergeTargetNotOpen(SuggestionNo),
    /// The clerk may not assign to a unit outside their org.
    #[error("unit is outside your org")]
    UnitOutOfScope,
    /// A higher-level matter is transferred up, not assigned.
    #[error("a higher-level matter is transferred, not assigned")]
    UseTransfer,
    #[error("already a key suggestion")]
    AlreadyKey,
    #[error("the rating window has not ended")]
    NotDue,
    #[error("you are not a deputy of that group")]
    NoGroup,
    #[error("unknown category {0:?}")]
    UnknownCategory(String),
    /// Only a key suggestion goes to the standing committee's vote.
    #[error("not a key suggestion")]
    NotKey,
    /// A key suggestion rated, explained or past its rating window waits for the vote.
    #[error("the suggestion waits for the standing committee's vote")]
    AwaitingVote,
    /// Reception attendance is for the configured reception days only.
    #[error("{0} is not a reception day")]
    NotReceptionDay(chrono::NaiveDate),
    /// A deputy records their own attendance on the day; a clerk may record a past one.
    #[error("{0} is not today")]
    NotToday(chrono::NaiveDate),
    #[error("the date {0} is in the future")]
    FutureDate(chrono::NaiveDate),
    #[error("more than {max}")]
    TooMany { max: u32 },
    /// Attendance counts once a day.
    #[error("already recorded for {0}")]
    AlreadyReceived(chrono::NaiveDate),
}

impl Refusal {
    /// The locale key of the reply (locales/*/refusals.ftl).
    pub fn key(&self) -> &'static str {
        match self {
            Refusal::NotYourRole => "refusal-not-your-role",
            Refusal::OutOfScope => "refusal-out-of-scope",
            Refusal::WrongState(_) => "refusal-wrong-state",
            Refusal::ReasonRequired => "refusal-reason-required",
            Refusal::TextRequired => "refusal-text-required",
            Refusal::TitleRequired => "refusal-title-required",
            Refusal::TitleTooLong { .. } => "refusal-title-too-long",
            Refusal::TextTooLong { .. } => "refusal-text-too-long",
            Refusal::DaysOutOfRange { .. } => "refusal-days-out-of-range",
            Refusal::DuplicateUnit => "refusal-duplicate-unit",
            Refusal::MergeIntoSelf => "refusal-merge-into-self",
            Refusal::MergeTargetNotOpen(_) => "refusal-merge-target-not-open",
            Refusal::UnitOutOfScope => "refusal-unit-out-of-scope",
            Refusal::UseTransfer => "refusal-use-transfer",
            Refusal::AlreadyKey => "refusal-already-key",
            Refusal::NotDue => "refusal-not-due",
            Refusal::NoGroup => "refusal-no-group",
            Refusal::UnknownCategory(_) => "refusal-unknown-category",
            Refusal::NotKey => "refusal-not-key",
            Refusal::AwaitingVote => "refusal-awaiting-vote",
            Refusal::NotReceptionDay(_) => "refusal-not-reception-day",
            Refusal::NotToday(_) => "refusal-not-today",
            Refusal::FutureDate(_) => "refusal-future-date",
            Refusal::AlreadyReceived(_) => "refusal-already-received",
            Refusal::TooMany { .. } => "refusal-too-many",
        }
    }

    /// The arguments of the reply's message.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Refusal::WrongState(state) => vec![("state", state.as_str().to_string())],
            Refusal::TitleTooLong { max } | Refusal::TextTooLong { max } => {
                vec![("max", max.to_string())]
            }
            Refusal::DaysOutOfRange { max } | Refusal::TooMany { max } => {
                vec![("max", max.to_string())]
            }
            Refusal::MergeTargetNotOpen(no) => vec![("no", no.to_string())],
            Refusal::UnknownCategory(c) => vec![("category", quote(c))],
            Refusal::NotReceptionDay(d)
            | Refusal::NotToday(d)
            | Refusal::FutureDate(d)
            | Refusal::AlreadyReceived(d) => vec![("date", d.to_string())],
            _ => Vec::new(),
        }
    }
}

/// A refusal quotes at most this many characters of what the person sent.
pub const QUOTE_MAX: usize = 64;

/// What a reply quotes of a person's input: all of it when short, else its first
/// [`QUOTE_MAX`] characters and "…", so a refusal of a 100,000-character word stays one short
/// message.
pub fn quote(input: &str) -> String {
    match input.char_indices().nth(QUOTE_MAX) {
        None => input.to_string(),
        Some((cut, _)) => format!("{}…", &input[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_keeps_short_input_and_cuts_long_input_at_a_character() {
        assert_eq!(quote("U3"), "U3");
        let exact = "字".repeat(QUOTE_MAX);
        assert_eq!(quote(&exact), exact);
        let long = "字".repeat(100_000);
        assert_eq!(quote(&long), format!("{}…", "字".repeat(QUOTE_MAX)));
    }
}
