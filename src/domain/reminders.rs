//! Who is reminded of an open step by its colour (三色督办, PRODUCT.md §3): whose step it is
//! (the leaders for the first review, the clerks for the assignment, the units otherwise),
//! the org's secretaries when yellow or red, the chairs too when red; and the rating
//! window's reminder day.

use chrono::{Days, NaiveDate};

use super::deadline::{Colour, Rules};
use super::event::Audience;
use super::suggestion::State;

/// The audiences reminded of a step in `state` at `colour`, with each reminder's locale key;
/// none while green, and none for a reply waiting for its rating (see
/// [`rating_reminder_day`]).
pub fn reminded(state: State, colour: Colour) -> Vec<(Audience, &'static str)> {
    if colour == Colour::Green || state == State::Replied || state.is_terminal() {
        return Vec::new();
    }
    let step = match state {
        State::Submitted => (Audience::Leaders, "notice-remind-review"),
        State::Accepted => (Audience::Clerks, "notice-remind-assign"),
        _ => (Audience::Units, "notice-remind-unit"),
    };
    let mut to = vec![step, (Audience::Secretaries, "notice-remind-supervise")];
    if colour == Colour::Red {
        to.push((Audience::Chairs, "notice-remind-chair"));
    }
    to
}

/// The local day on which the deputy is reminded to rate a reply whose rating window ends on
/// `window_end` (local date): the reply's date plus `rating_reminder_day`.
pub fn rating_reminder_day(rules: &Rules, window_end: NaiveDate) -> NaiveDate {
    let back = u64::from(rules.rating_days.saturating_sub(rules.rating_reminder_day));
    window_end
        .checked_sub_days(Days::new(back))
        .unwrap_or(window_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_colour_reminds_its_audiences() {
        use Audience::*;
        let audiences = |s, c| {
            reminded(s, c)
                .into_iter()
                .map(|(a, _)| a)
                .collect::<Vec<_>>()
        };
        assert!(audiences(State::Assigned, Colour::Green).is_empty());
        assert_eq!(
            audiences(State::Assigned, Colour::Yellow),
            [Units, Secretaries]
        );
        assert_eq!(
            audiences(State::Explaining, Colour::Red),
            [Units, Secretaries, Chairs]
        );
        assert_eq!(
            audiences(State::Submitted, Colour::Yellow),
            [Leaders, Secretaries]
        );
        assert_eq!(
            audiences(State::Accepted, Colour::Red),
            [Clerks, Secretaries, Chairs]
        );
        assert!(audiences(State::Replied, Colour::Red).is_empty());
        assert!(audiences(State::Closed, Colour::Red).is_empty());
    }

    #[test]
    fn the_rating_reminder_is_on_day_seven_of_fifteen() {
        let rules = Rules::default();
        let end = NaiveDate::from_ymd_opt(2026, 3, 18).unwrap();
        assert_eq!(
            rating_reminder_day(&rules, end),
            NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
        );
    }
}
