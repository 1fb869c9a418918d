//! Public numbers: `2026-0042` for suggestions, `R-2026-0042` for residents' requests.
//! Parsed at the edge, valid by construction, shown everywhere.

use std::fmt;
use std::str::FromStr;

/// A suggestion number `YYYY-NNNN`: year of filing and its per-year sequence (at least
/// four digits, more once a year passes 9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SuggestionNo {
    pub year: i32,
    pub seq: u32,
}

/// A resident's request number `R-YYYY-NNNN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResidentNo {
    pub year: i32,
    pub seq: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid number: {0:?}")]
pub struct BadNumber(pub String);

fn parse_year_seq(text: &str) -> Option<(i32, u32)> {
    let (year, seq) = text.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // A year is written with four digits, the first not 0: `0422-2214` would be shown as
    // `422-2214`, which is no number (found by fuzzing the buttons' data).
    if year.len() != 4 || !digits(year) || year.starts_with('0') {
        return None;
    }
    if seq.len() < 4 || seq.len() > 9 || !digits(seq) {
        return None;
    }
    let seq: u32 = seq.parse().ok()?;
    (seq > 0).then_some((year.parse().ok()?, seq))
}

impl SuggestionNo {
    pub fn new(year: i32, seq: u32) -> Self {
        Self { year, seq }
    }
    pub fn parse(text: &str) -> Result<Self, BadNumber> {
        parse_year_seq(text.trim())
            .map(|(year, seq)| Self { year, seq })
            .ok_or_else(|| BadNumber(text.to_string()))
    }
}

impl ResidentNo {
    pub fn new(year: i32, seq: u32) -> Self {
        Self { year, seq }
    }
    pub fn parse(text: &str) -> Result<Self, BadNumber> {
        let t = text.trim();
        t.strip_prefix("R-")
            .or_else(|| t.strip_prefix("r-"))
            .and_then(parse_year_seq)
            .map(|(year, seq)| Self { year, seq })
            .ok_or_else(|| BadNumber(text.to_string()))
    }
}

impl fmt::Display for SuggestionNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}", self.year, self.seq)
    }
}

impl fmt::Display for ResidentNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "R-{}-{:04}", self.year, self.seq)
    }
}

impl FromStr for SuggestionNo {
    type Err = BadNumber;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl FromStr for ResidentNo {
    type Err = BadNumber;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        let no = SuggestionNo::parse("2026-0042").unwrap();
        assert_eq!(no, SuggestionNo::new(2026, 42));
        assert_eq!(no.to_string(), "2026-0042");
        assert_eq!(SuggestionNo::new(2026, 12345).to_string(), "2026-12345");
        let r = ResidentNo::parse("R-2026-0007").unwrap();
        assert_eq!(r.to_string(), "R-2026-0007");
    }

    #[test]
    fn bad_numbers_are_refused() {
        for bad in [
            "",
            "2026",
            "2026-42",
            "26-0042",
            "2026-00x2",
            "2026-0000",
            "R-2026-0042",
            "2026-0042-1",
        ] {
            assert!(SuggestionNo::parse(bad).is_err(), "{bad}");
        }
        for bad in ["2026-0042", "R-2026", "R-2026-1"] {
            assert!(ResidentNo::parse(bad).is_err(), "{bad}");
        }
    }
}
