//! Who is reminded of an open step by its colour (三色督办, PRODUCT.md §3): whose step it is
//! (the leaders for the first review, the clerks for the assignment, the units otherwise),
//! the org's secretaries when yellow or red, the chairs too when red; and the rating
//! window's reminder day.

use chrono::{Days, NaiveDate};

use super::ask::Ask;
use super::deadline::{Colour, Rules};
use super::event::{Audience, Notice};
use super::numbers::SuggestionNo;
use super::steps::notice;
use super::suggestion::State;

/// The reminders of suggestion `no`'s step in `state` at `colour`, each with `args`: whose
/// step it is, asked to take it where a button can (the leaders to review, the clerks to
/// assign, the units to handle it), and the supervisors. None while green, and none for a
/// reply waiting for its rating (see [`rating_reminder`]).
pub fn reminded(
    no: SuggestionNo,
    state: State,
    colour: Colour,
    args: &[(&'static str, String)],
) -> Vec<Notice> {
    if colour == Colour::Green || state == State::Replied || state.is_terminal() {
        return Vec::new();
    }
    let remind = |to, key| Notice {
        args: args.to_vec(),
        ..notice(to, key, [])
    };
    let mut to = match state {
        State::Submitted => {
            vec![remind(Audience::Leaders, "notice-remind-review").asking(Ask::Review(no))]
        }
        State::Accepted => {
            vec![remind(Audience::Clerks, "notice-remind-assign").asking(Ask::Assign(no))]
        }
        State::Assigned => {
            let units = remind(Audience::Units, "notice-remind-unit");
            Vec::from(units.asking_units_to_handle(no, "notice-remind-co-unit"))
        }
        _ => vec![remind(Audience::Units, "notice-remind-unit")],
    };
    to.push(remind(Audience::Secretaries, "notice-remind-supervise"));
    if colour == Colour::Red {
        to.push(remind(Audience::Chairs, "notice-remind-chair"));
    }
    to
}

/// The deputy's reminder to rate the reply to suggestion `no`, with the rating buttons.
pub fn rating_reminder(no: SuggestionNo) -> Notice {
    notice(Audience::Deputy, "notice-remind-rate", []).asking(Ask::Rate(no))
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
            reminded(SuggestionNo::new(2026, 1), s, c, &[])
                .into_iter()
                .map(|n| n.to)
                .collect::<Vec<_>>()
        };
        assert!(audiences(State::Assigned, Colour::Green).is_empty());
        assert_eq!(
            audiences(State::Assigned, Colour::Yellow),
            [LeadUnit, CoUnits, Secretaries]
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

    /// Whose step it is is asked to take it; supervisors are told, not asked.
    #[test]
    fn reminders_ask_for_the_step_that_a_button_can_take() {
        let no = SuggestionNo::new(2026, 1);
        let asks = |s| {
            reminded(no, s, Colour::Red, &[("colour", "red".into())])
                .into_iter()
                .map(|n| (n.to, n.ask, n.args.len()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            asks(State::Submitted),
            [
                (Audience::Leaders, Some(Ask::Review(no)), 1),
                (Audience::Secretaries, None, 1),
                (Audience::Chairs, None, 1)
            ]
        );
        assert_eq!(asks(State::Accepted)[0].1, Some(Ask::Assign(no)));
        assert_eq!(asks(State::Assigned)[0].1, Some(Ask::Handle(no)));
        // A co-unit is reminded in its own words (the reply is the lead unit's), so that the
        // once-a-day record, kept by key, holds both.
        let assigned = reminded(no, State::Assigned, Colour::Red, &[]);
        assert_eq!(
            (assigned[1].to, assigned[1].key, assigned[1].ask),
            (
                Audience::CoUnits,
                "notice-remind-co-unit",
                Some(Ask::Progress(no))
            )
        );
        assert_eq!(asks(State::Explaining)[0].1, None);
        assert_eq!(rating_reminder(no).ask, Some(Ask::Rate(no)));
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
