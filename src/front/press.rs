//! What a button says when pressed (Telegram's callback data, WeCom's card key): short,
//! typed, within Telegram's 64 bytes.
//! A pressed button becomes the same request as the command would, so it passes the same
//! permission and state checks; data that does not parse is a stale or foreign button.

use crate::domain::{Rating, ResidentNo, SuggestionNo};

/// Telegram refuses callback data over 64 bytes.
pub const MAX_DATA: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Press {
    /// The leader accepts a new suggestion.
    Accept(SuggestionNo),
    /// The leader returns it: asks for the reason next.
    Return(SuggestionNo),
    /// The clerk opens the unit picker.
    PickUnit(SuggestionNo),
    /// The clerk assigns to one lead unit with the default deadline.
    AssignTo(SuggestionNo, String),
    /// The unit posts progress: asks for its text next.
    Progress(SuggestionNo),
    /// The unit replies: asks for the reply's text next.
    Reply(SuggestionNo),
    Rate(SuggestionNo, Rating),
    Adopt(ResidentNo),
    /// The deputy declines a request: asks for the reason next.
    DeclineRequest(ResidentNo),
    /// The resident answers "was it solved?".
    Solved(SuggestionNo, bool),
    /// A page of `/my`, from 0, of the list of this Telegram account (a press by anyone
    /// else is stale: in a group, one person's list is not another's to turn).
    MyPage(i64, u32),
    /// A category chosen in the `/suggest` dialogue.
    Category(String),
    /// The dialogue's confirm (true) or cancel (false).
    Confirm(bool),
    Lang(String),
}

impl Press {
    /// The callback data; `None` if it would not fit (a button is then left out).
    pub fn data(&self) -> Option<String> {
        let data = match self {
            Press::Accept(no) => format!("ac:{no}"),
            Press::Return(no) => format!("rt:{no}"),
            Press::PickUnit(no) => format!("pu:{no}"),
            Press::AssignTo(no, unit) => format!("as:{no}:{unit}"),
            Press::Progress(no) => format!("pg:{no}"),
            Press::Reply(no) => format!("rp:{no}"),
            Press::Rate(no, rating) => format!("ra:{no}:{}", rating_letter(*rating)),
            Press::Adopt(rno) => format!("ad:{rno}"),
            Press::DeclineRequest(rno) => format!("dr:{rno}"),
            Press::Solved(no, yes) => format!("sv:{no}:{}", if *yes { 'y' } else { 'n' }),
            Press::MyPage(owner, page) => format!("my:{owner}:{page}"),
            Press::Category(code) => format!("ct:{code}"),
            Press::Confirm(yes) => format!("cf:{}", if *yes { 'y' } else { 'n' }),
            Press::Lang(lang) => format!("lg:{lang}"),
        };
        (data.len() <= MAX_DATA).then_some(data)
    }

    /// Reads callback data; `None` for anything this version did not write.
    pub fn parse(data: &str) -> Option<Press> {
        let (tag, rest) = data.split_once(':')?;
        let no = |s: &str| SuggestionNo::parse(s).ok();
        let two = || rest.split_once(':');
        Some(match tag {
            "ac" => Press::Accept(no(rest)?),
            "rt" => Press::Return(no(rest)?),
            "pu" => Press::PickUnit(no(rest)?),
            "pg" => Press::Progress(no(rest)?),
            "rp" => Press::Reply(no(rest)?),
            "as" => {
                let (n, unit) = two()?;
                (!unit.is_empty()).then_some(())?;
                Press::AssignTo(no(n)?, unit.to_string())
            }
            "ra" => {
                let (n, r) = two()?;
                let rating = match r {
                    "s" => Rating::Satisfied,
                    "b" => Rating::Basic,
                    "u" => Rating::Unsatisfied,
                    _ => return None,
                };
                Press::Rate(no(n)?, rating)
            }
            "ad" => Press::Adopt(ResidentNo::parse(rest).ok()?),
            "dr" => Press::DeclineRequest(ResidentNo::parse(rest).ok()?),
            "sv" => {
                let (n, yes) = two()?;
                Press::Solved(no(n)?, yes_no(yes)?)
            }
            "my" => {
                let (owner, page) = two()?;
                Press::MyPage(owner.parse().ok()?, page.parse().ok()?)
            }
            "ct" if !rest.is_empty() => Press::Category(rest.to_string()),
            "cf" => Press::Confirm(yes_no(rest)?),
            "lg" if !rest.is_empty() => Press::Lang(rest.to_string()),
            _ => return None,
        })
    }
}

fn rating_letter(rating: Rating) -> char {
    match rating {
        Rating::Satisfied => 's',
        Rating::Basic => 'b',
        Rating::Unsatisfied => 'u',
    }
}

fn yes_no(s: &str) -> Option<bool> {
    match s {
        "y" => Some(true),
        "n" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing (`fuzz/fuzz_targets/press.rs`): data with a year written `0422`
    /// parsed into a press that wrote itself back as `422-…`, which did not parse again.
    #[test]
    fn what_parses_writes_back_the_same() {
        assert_eq!(Press::parse("pg:0422-2214"), None);
        for data in [
            "pg:2026-2214",
            "as:2026-00042:U1",
            "ra:2026-0001:s",
            "my:-5:0",
        ] {
            let press = Press::parse(data).expect(data);
            assert_eq!(Press::parse(&press.data().expect("fits")), Some(press));
        }
    }

    #[test]
    fn every_press_round_trips() {
        let no = SuggestionNo::new(2026, 42);
        let rno = ResidentNo::new(2026, 7);
        let all = [
            Press::Accept(no),
            Press::Return(no),
            Press::PickUnit(no),
            Press::Progress(no),
            Press::Reply(no),
            Press::AssignTo(no, "U-ROADS".into()),
            Press::Rate(no, Rating::Satisfied),
            Press::Rate(no, Rating::Basic),
            Press::Rate(no, Rating::Unsatisfied),
            Press::Adopt(rno),
            Press::DeclineRequest(rno),
            Press::Solved(no, true),
            Press::Solved(no, false),
            Press::MyPage(1001, 3),
            Press::Category("environment".into()),
            Press::Confirm(true),
            Press::Confirm(false),
            Press::Lang("en".into()),
        ];
        for press in all {
            let data = press.data().expect("fits");
            assert!(data.len() <= MAX_DATA);
            assert_eq!(Press::parse(&data), Some(press));
        }
    }

    #[test]
    fn too_long_data_is_left_out_and_junk_is_stale() {
        let long = "U".repeat(60);
        assert_eq!(
            Press::AssignTo(SuggestionNo::new(2026, 1), long).data(),
            None
        );
        for junk in [
            "",
            "ac",
            "ac:42",
            "ra:2026-0001:x",
            "zz:1",
            "sv:2026-0001:maybe",
            "my:-1",
        ] {
            assert_eq!(Press::parse(junk), None, "{junk}");
        }
    }
}
