//! Public numbers and the words states, levels, ratings and outcomes are stored as.

use super::*;

#[test]
fn suggestion_numbers() {
    // (text, the number it parses to, how it is shown)
    for (input, year, seq, shown) in [
        ("2026-0042", 2026, 42, "2026-0042"),
        (" 2026-0001 ", 2026, 1, "2026-0001"),
        ("2026-9999", 2026, 9999, "2026-9999"),
        ("2026-10000", 2026, 10_000, "2026-10000"),
        ("2027-00042", 2027, 42, "2027-0042"),
    ] {
        let no: SuggestionNo = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(no, SuggestionNo::new(year, seq), "{input}");
        assert_eq!(no.to_string(), shown);
    }
    for bad in [
        "",
        "42",
        "2026-",
        "-0042",
        "2026-042",
        "2026 0042",
        "2026-0042x",
        "20260-0042",
        "2026-0000",
        "2026-1234567890",
        "R-2026-0042",
        "２０２６-0042",
    ] {
        assert!(SuggestionNo::parse(bad).is_err(), "{bad:?}");
    }
    assert!(SuggestionNo::new(2025, 9999) < SuggestionNo::new(2026, 1));
}

#[test]
fn resident_numbers() {
    for (input, shown) in [
        ("R-2026-0042", "R-2026-0042"),
        ("r-2026-0042", "R-2026-0042"),
        (" R-2026-12345 ", "R-2026-12345"),
    ] {
        let no: ResidentNo = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(no.to_string(), shown);
    }
    assert_eq!(
        ResidentNo::parse("R-2026-0007"),
        Ok(ResidentNo::new(2026, 7))
    );
    for bad in ["2026-0042", "R-", "R-2026-07", "R2026-0042", "RR-2026-0042"] {
        assert!(ResidentNo::parse(bad).is_err(), "{bad:?}");
    }
}

/// Found by fuzzing the buttons' data: a year written with a leading zero parsed, then was
/// shown without it, which no longer parsed. Every number that parses is shown as it reads.
#[test]
fn a_number_that_parses_is_shown_so_it_parses_again() {
    for bad in ["0422-2214", "0026-0001", "R-0422-2214"] {
        assert!(
            SuggestionNo::parse(bad).is_err() && ResidentNo::parse(bad).is_err(),
            "{bad:?}"
        );
    }
    for text in ["2026-0042", "2026-00042", "1999-123456789", "R-2026-0001"] {
        if let Ok(no) = SuggestionNo::parse(text) {
            assert_eq!(SuggestionNo::parse(&no.to_string()), Ok(no), "{text}");
        }
        if let Ok(no) = ResidentNo::parse(text) {
            assert_eq!(ResidentNo::parse(&no.to_string()), Ok(no), "{text}");
        }
    }
}

#[test]
fn stored_words_round_trip() {
    for state in State::ALL {
        assert_eq!(state.as_str().parse::<State>(), Ok(state));
        assert_eq!(state.to_string(), state.as_str());
    }
    for level in [Level::Town, Level::District, Level::Higher] {
        assert_eq!(level.as_str().parse::<Level>(), Ok(level));
    }
    for rating in [Rating::Satisfied, Rating::Basic, Rating::Unsatisfied] {
        assert_eq!(rating.as_str().parse::<Rating>(), Ok(rating));
    }
    for outcome in [Outcome::Rated, Outcome::Explained, Outcome::Unrated] {
        assert_eq!(outcome.as_str().parse::<Outcome>(), Ok(outcome));
    }
    // Typed by people: case and spaces do not matter.
    assert_eq!(" Unsatisfied ".parse::<Rating>(), Ok(Rating::Unsatisfied));
    assert_eq!("DISTRICT".parse::<Level>(), Ok(Level::District));
    assert!("great".parse::<Rating>().is_err());
    assert!("open".parse::<State>().is_err());
}
