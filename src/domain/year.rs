//! The year's view (PRODUCT.md §10): reception days attended (接待日). What a deputy's
//! performance file (履职档案) counts is storage's selection; the rules for recording are here.

use chrono::{Datelike, NaiveDate};

use super::refusal::Refusal;
use super::steps::MAX_TEXT;

/// The most residents one reception day records: more is a typing slip, not a day's work.
pub const MAX_RESIDENTS: u32 = 10_000;

/// A deputy's attendance at their station on a reception day (`/received [n] [note]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reception {
    pub day: NaiveDate,
    /// How many residents they received, if they said.
    pub residents: Option<u32>,
    pub note: String,
}

/// Whether `day` is one of the configured reception days of the month (`reception_days`).
pub fn is_reception_day(reception_days: &[u32], day: NaiveDate) -> bool {
    reception_days.contains(&day.day())
}

/// Whether attendance may be recorded for `r.day` on `today` (both local dates): only on a
/// reception day, never ahead; a deputy records their own on the day itself, while a clerk
/// recording for them (`on_behalf`) may enter a past one from the station's sign-in sheet.
/// Once a day is storage's to check, in the same transaction as the write.
pub fn check_reception(
    r: &Reception,
    on_behalf: bool,
    today: NaiveDate,
    reception_days: &[u32],
) -> Result<(), Refusal> {
    if r.day > today {
        return Err(Refusal::FutureDate(r.day));
    }
    if !on_behalf && r.day != today {
        return Err(Refusal::NotToday(r.day));
    }
    if !is_reception_day(reception_days, r.day) {
        return Err(Refusal::NotReceptionDay(r.day));
    }
    if r.residents.is_some_and(|n| n > MAX_RESIDENTS) {
        return Err(Refusal::TooMany { max: MAX_RESIDENTS });
    }
    if r.note.chars().count() > MAX_TEXT {
        return Err(Refusal::TextTooLong { max: MAX_TEXT });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    fn on(d: &str) -> Reception {
        Reception {
            day: day(d),
            residents: Some(3),
            note: String::new(),
        }
    }

    #[test]
    fn a_deputy_records_a_reception_day_on_the_day_only() {
        let days = [1, 20];
        assert_eq!(
            check_reception(&on("2026-03-20"), false, day("2026-03-20"), &days),
            Ok(())
        );
        assert_eq!(
            check_reception(&on("2026-03-21"), false, day("2026-03-21"), &days),
            Err(Refusal::NotReceptionDay(day("2026-03-21")))
        );
        assert_eq!(
            check_reception(&on("2026-03-20"), false, day("2026-03-21"), &days),
            Err(Refusal::NotToday(day("2026-03-20")))
        );
    }

    #[test]
    fn a_clerk_records_a_past_reception_day_but_never_ahead() {
        let days = [1, 20];
        assert_eq!(
            check_reception(&on("2026-03-01"), true, day("2026-03-21"), &days),
            Ok(())
        );
        assert_eq!(
            check_reception(&on("2026-04-01"), true, day("2026-03-21"), &days),
            Err(Refusal::FutureDate(day("2026-04-01")))
        );
        assert_eq!(
            check_reception(&on("2026-03-02"), true, day("2026-03-21"), &days),
            Err(Refusal::NotReceptionDay(day("2026-03-02")))
        );
    }

    #[test]
    fn a_votes_text_gives_back_its_date_and_note() {
        use crate::domain::{parse_vote_text, vote_text};
        for note in ["", "测评未通过 责成继续办理", "note with  two spaces"] {
            let text = vote_text(day("2027-01-15"), note);
            assert_eq!(
                parse_vote_text(&text),
                Some((day("2027-01-15"), note.to_string()))
            );
        }
        assert_eq!(parse_vote_text("soon"), None);
    }

    #[test]
    fn a_count_past_the_limit_is_refused() {
        let mut r = on("2026-03-20");
        r.residents = Some(MAX_RESIDENTS + 1);
        assert_eq!(
            check_reception(&r, false, day("2026-03-20"), &[20]),
            Err(Refusal::TooMany { max: MAX_RESIDENTS })
        );
    }
}
