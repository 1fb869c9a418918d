//! The commands of PRODUCT.md §4, parsed from a message's text. Pure: a text in, a
//! [`Command`] or a [`BadCommand`] out, so every argument rule is tested without Telegram.
//!
//! Arguments are parsed by hand rather than by `BotCommands`: the texts after a number keep
//! their line breaks (title on the first line, body below), and each kind of bad argument
//! gets its own answer.

use chrono::NaiveDate;

use crate::domain::{Level, Rating, ResidentNo, SuggestionNo, VoteResult};

/// A first review's choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accept(Option<Level>),
    Return(String),
}

/// A parsed command with its arguments. The front end routes every variant by name, with no
/// catch-all: a command added here that nothing routes does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start(Option<String>),
    Help,
    Lang(Option<String>),
    /// `/channel telegram|wecom|all`: where the person's pushes go.
    Channel(Option<String>),
    Cancel,
    Suggest(Option<String>),
    My,
    Show(SuggestionNo),
    Queue,
    DeclineRequest(ResidentNo, String),
    Inbox,
    Adopt(ResidentNo, Option<String>),
    Overdue,
    /// A month as its first day.
    Stats(Option<NaiveDate>),
    Bind(String),
    Invite(String),
    /// `/web`: a one-time link that signs in to the board.
    Web,
    /// `/received [n] [note]`, or a clerk's `/received <code> <YYYY-MM-DD> [n] [note]`:
    /// attendance on a reception day (接待日).
    Received(Received),
    /// `/voters <code> <YYYY-MM-DD> <voters> <place>[ | evaluation]`: a report to voters (述职).
    Voters(Voters),
    /// `/record [code] [year]`: a deputy's performance file (履职档案).
    Record {
        code: Option<String>,
        year: Option<i32>,
    },
    /// A step of the loop on one suggestion (PRODUCT.md §3).
    Step(SuggestionNo, Step),
}

/// A step command: one transition of a suggestion, with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A returned suggestion, revised: the title line, then the body.
    Edit(String),
    Withdraw,
    Review(Verdict),
    Assign {
        lead: String,
        co: Vec<String>,
        days: Option<u32>,
        level: Option<Level>,
    },
    Extend(u32, String),
    Merge(SuggestionNo),
    Transfer(String),
    Decline(String),
    Key,
    Progress(String),
    Reply(String),
    Explain(String),
    Rate(Rating),
    /// 表决: the committee's vote on a key suggestion, on the meeting's date (today if none).
    Vote {
        result: VoteResult,
        on: Option<NaiveDate>,
        note: String,
    },
}

/// `/received`'s arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The deputy, when a clerk records for them (with the day's date).
    pub deputy: Option<(String, NaiveDate)>,
    pub residents: Option<u32>,
    pub note: String,
}

/// `/voters`' arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voters {
    pub deputy: String,
    pub day: NaiveDate,
    pub voters: u32,
    pub place: String,
    pub evaluation: Option<String>,
}

/// Why a text is not a command the bot can run; each has its own reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadCommand {
    /// Not a command at all (plain text).
    NotCommand,
    /// `/cmd@otherbot` in a group: for another bot, ignored.
    OtherBot,
    /// No such command. `addressed`: written `/word@thisbot`, so surely meant for minyi (in a
    /// group, a bare `/word` may be another bot's).
    Unknown { name: String, addressed: bool },
    /// A missing or malformed argument: the reply shows the command's usage.
    Usage(&'static str),
    /// Something that should be a suggestion number is not one.
    BadNumber(&'static str, String),
}

/// Parses `text` as a command for the bot called `username` (without `@`).
pub fn parse(text: &str, username: &str) -> Result<Command, BadCommand> {
    let text = text.trim_start();
    let Some(rest) = text.strip_prefix('/') else {
        return Err(BadCommand::NotCommand);
    };
    let (head, args) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let (name, addressed) = match head.split_once('@') {
        Some((name, bot)) if bot.eq_ignore_ascii_case(username) => (name, true),
        Some(_) => return Err(BadCommand::OtherBot),
        None => (head, false),
    };
    let name = name.to_ascii_lowercase();
    let mut a = Args::new(args);
    let command = match name.as_str() {
        "start" => Command::Start(a.word()),
        "help" => Command::Help,
        "lang" => Command::Lang(a.word()),
        "channel" => Command::Channel(a.word()),
        "cancel" => Command::Cancel,
        "suggest" => Command::Suggest(a.rest()),
        "my" => Command::My,
        "queue" => Command::Queue,
        "inbox" => Command::Inbox,
        "overdue" => Command::Overdue,
        "web" => Command::Web,
        "show" => Command::Show(a.no("show")?),
        "withdraw" => Command::Step(a.no("withdraw")?, Step::Withdraw),
        "key" => Command::Step(a.no("key")?, Step::Key),
        "edit" => Command::Step(a.no("edit")?, Step::Edit(a.text("edit")?)),
        "transfer" => Command::Step(a.no("transfer")?, Step::Transfer(a.text("transfer")?)),
        "progress" => Command::Step(a.no("progress")?, Step::Progress(a.text("progress")?)),
        "reply" => Command::Step(a.no("reply")?, Step::Reply(a.text("reply")?)),
        "explain" => Command::Step(a.no("explain")?, Step::Explain(a.text("explain")?)),
        "merge" => Command::Step(a.no("merge")?, Step::Merge(a.no("merge")?)),
        "review" => review(&mut a)?,
        "assign" => assign(&mut a)?,
        "extend" => {
            let no = a.no("extend")?;
            let days = a.word().and_then(|d| d.parse().ok());
            let days = days.ok_or(BadCommand::Usage("extend"))?;
            Command::Step(no, Step::Extend(days, a.text("extend")?))
        }
        "decline" => match a.peek().map(ResidentNo::parse) {
            Some(Ok(rno)) => {
                a.word();
                Command::DeclineRequest(rno, a.text("decline")?)
            }
            _ => Command::Step(a.no("decline")?, Step::Decline(a.text("decline")?)),
        },
        "rate" => {
            let no = a.no("rate")?;
            let rating = a.word().as_deref().and_then(rating);
            Command::Step(no, Step::Rate(rating.ok_or(BadCommand::Usage("rate"))?))
        }
        "adopt" => {
            let word = a.word().ok_or(BadCommand::Usage("adopt"))?;
            let rno = ResidentNo::parse(&word).map_err(|_| BadCommand::BadNumber("adopt", word))?;
            Command::Adopt(rno, a.word())
        }
        "stats" => match a.word() {
            None => Command::Stats(None),
            Some(m) => Command::Stats(Some(month(&m).ok_or(BadCommand::Usage("stats"))?)),
        },
        "vote" => vote(&mut a)?,
        "received" => received(&mut a)?,
        "voters" => voters(&mut a)?,
        "record" => record(&mut a)?,
        "bind" => Command::Bind(a.word().ok_or(BadCommand::Usage("bind"))?),
        "invite" => Command::Invite(a.word().ok_or(BadCommand::Usage("invite"))?),
        _ => return Err(BadCommand::Unknown { name, addressed }),
    };
    Ok(command)
}

fn review(a: &mut Args) -> Result<Command, BadCommand> {
    let no = a.no("review")?;
    let verdict = match a.word().map(|w| w.to_lowercase()).as_deref() {
        Some("accept" | "通过" | "受理") => {
            let level = match a.word() {
                None => None,
                Some(l) => Some(
                    l.parse::<Level>()
                        .map_err(|_| BadCommand::Usage("review"))?,
                ),
            };
            Verdict::Accept(level)
        }
        Some("return" | "退回") => Verdict::Return(a.text("review")?),
        _ => return Err(BadCommand::Usage("review")),
    };
    Ok(Command::Step(no, Step::Review(verdict)))
}

fn assign(a: &mut Args) -> Result<Command, BadCommand> {
    let no = a.no("assign")?;
    let (mut units, mut days, mut level) = (Vec::new(), None, None);
    while let Some(word) = a.word() {
        match word.as_str() {
            "--days" => {
                let d = a.word().and_then(|d| d.parse().ok());
                days = Some(d.ok_or(BadCommand::Usage("assign"))?);
            }
            "--level" => {
                let l = a.word().and_then(|l| l.parse::<Level>().ok());
                level = Some(l.ok_or(BadCommand::Usage("assign"))?);
            }
            w if w.starts_with("--") => return Err(BadCommand::Usage("assign")),
            _ => units.push(word),
        }
    }
    if units.is_empty() {
        return Err(BadCommand::Usage("assign"));
    }
    let lead = units.remove(0);
    let step = Step::Assign {
        lead,
        co: units,
        days,
        level,
    };
    Ok(Command::Step(no, step))
}

/// `/vote <no> pass|fail [YYYY-MM-DD] [note]`.
fn vote(a: &mut Args) -> Result<Command, BadCommand> {
    let no = a.no("vote")?;
    let result = match a.word().map(|w| w.to_lowercase()).as_deref() {
        Some("pass" | "通过") => VoteResult::Pass,
        Some("fail" | "不通过") => VoteResult::Fail,
        _ => return Err(BadCommand::Usage("vote")),
    };
    let on = a.peek().and_then(date);
    if on.is_some() {
        a.word();
    }
    let note = a.rest().unwrap_or_default();
    Ok(Command::Step(no, Step::Vote { result, on, note }))
}

/// `/received [n] [note]` for oneself; `/received <code> <YYYY-MM-DD> [n] [note]` for a
/// deputy, by a clerk: a word followed by a date names the deputy.
fn received(a: &mut Args) -> Result<Command, BadCommand> {
    let mut words = a.rest.split_whitespace();
    let deputy = match (words.next(), words.next().and_then(date)) {
        (Some(code), Some(day)) => {
            a.word();
            a.word();
            Some((code.to_string(), day))
        }
        _ => None,
    };
    let residents = match a.peek().map(str::parse::<u32>) {
        Some(Ok(n)) => {
            a.word();
            Some(n)
        }
        Some(Err(_))
            if a.peek()
                .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit() || c == '-')) =>
        {
            return Err(BadCommand::Usage("received"));
        }
        _ => None,
    };
    let note = a.rest().unwrap_or_default();
    Ok(Command::Received(Received {
        deputy,
        residents,
        note,
    }))
}

/// `/voters <code> <YYYY-MM-DD> <voters> <place>[ | evaluation]`.
fn voters(a: &mut Args) -> Result<Command, BadCommand> {
    let usage = BadCommand::Usage("voters");
    let deputy = a.word().ok_or(usage.clone())?;
    let day = a.word().as_deref().and_then(date).ok_or(usage.clone())?;
    let voters = a.word().and_then(|w| w.parse().ok()).ok_or(usage.clone())?;
    let rest = a.rest().ok_or(usage)?;
    let (place, evaluation) = match rest.split_once('|') {
        Some((place, evaluation)) => (place.trim(), Some(evaluation.trim())),
        None => (rest.as_str(), None),
    };
    if place.is_empty() {
        return Err(BadCommand::Usage("voters"));
    }
    Ok(Command::Voters(Voters {
        deputy,
        day,
        voters,
        place: place.to_string(),
        evaluation: evaluation.filter(|e| !e.is_empty()).map(str::to_string),
    }))
}

/// `/record [code] [year]`: a word alone is the year when it looks like one (four digits),
/// else the deputy's code; two words are the code, then the year. Roster codes may be all
/// digits: `/record 1001 2026` reads deputy 1001's file.
fn record(a: &mut Args) -> Result<Command, BadCommand> {
    let usage = || BadCommand::Usage("record");
    let words: Vec<String> = std::iter::from_fn(|| a.word()).collect();
    let (code, year) = match words.as_slice() {
        [] => (None, None),
        [word] => match year_of(word) {
            Some(y) => (None, Some(y)),
            None => (Some(word.clone()), None),
        },
        [code, year] => (Some(code.clone()), Some(year_of(year).ok_or_else(usage)?)),
        _ => return Err(usage()),
    };
    Ok(Command::Record { code, year })
}

/// A year as four digits, the first not 0 (as in a suggestion's number).
fn year_of(word: &str) -> Option<i32> {
    let ok = word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) && !word.starts_with('0');
    ok.then(|| word.parse().ok()).flatten()
}

/// `YYYY-MM-DD`, with a four-digit year.
fn date(word: &str) -> Option<NaiveDate> {
    year_of(word.get(..4)?)?;
    NaiveDate::parse_from_str(word, "%Y-%m-%d").ok()
}

/// A rating as a word: English, or the Chinese the seeds use.
pub fn rating(word: &str) -> Option<Rating> {
    match word {
        "满意" => Some(Rating::Satisfied),
        "基本满意" => Some(Rating::Basic),
        "不满意" => Some(Rating::Unsatisfied),
        w => w.parse().ok(),
    }
}

/// `YYYY-MM` as the month's first day.
fn month(text: &str) -> Option<NaiveDate> {
    let (y, m) = text.split_once('-')?;
    if y.len() != 4 || m.is_empty() || m.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// The arguments after the command name, taken word by word, or as the rest of the text.
struct Args<'a> {
    rest: &'a str,
}

impl<'a> Args<'a> {
    fn new(rest: &'a str) -> Self {
        Args { rest }
    }

    fn peek(&self) -> Option<&'a str> {
        self.rest.split_whitespace().next()
    }

    fn word(&mut self) -> Option<String> {
        let word = self.peek()?;
        let start = self.rest.find(word).unwrap_or(0) + word.len();
        self.rest = self.rest[start..].trim_start();
        Some(word.to_string())
    }

    /// The rest of the text, line breaks kept; `None` when empty.
    fn rest(&mut self) -> Option<String> {
        let rest = std::mem::take(&mut self.rest).trim();
        (!rest.is_empty()).then(|| rest.to_string())
    }

    fn text(&mut self, command: &'static str) -> Result<String, BadCommand> {
        self.rest().ok_or(BadCommand::Usage(command))
    }

    fn no(&mut self, command: &'static str) -> Result<SuggestionNo, BadCommand> {
        let word = self.word().ok_or(BadCommand::Usage(command))?;
        SuggestionNo::parse(&word).map_err(|_| BadCommand::BadNumber(command, word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Command, BadCommand> {
        parse(text, "minyi_bot")
    }

    fn no(s: &str) -> SuggestionNo {
        SuggestionNo::parse(s).unwrap()
    }

    #[test]
    fn plain_text_and_other_bots_are_not_ours() {
        assert_eq!(p("hello"), Err(BadCommand::NotCommand));
        assert_eq!(p("/help@other_bot"), Err(BadCommand::OtherBot));
        assert_eq!(p("/help@Minyi_Bot"), Ok(Command::Help));
        assert_eq!(
            p("/frobnicate 1"),
            Err(BadCommand::Unknown {
                name: "frobnicate".into(),
                addressed: false
            })
        );
        assert_eq!(
            p("/ban @spammer"),
            Err(BadCommand::Unknown {
                name: "ban".into(),
                addressed: false
            })
        );
        assert_eq!(
            p("/Ban@minyi_bot @spammer"),
            Err(BadCommand::Unknown {
                name: "ban".into(),
                addressed: true
            })
        );
        assert_eq!(
            p("/warn@modbot @spammer stop it"),
            Err(BadCommand::OtherBot)
        );
    }

    #[test]
    fn the_years_commands_parse_their_arguments() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            p("/vote 2026-0042 fail 2027-01-15 测评未通过"),
            Ok(Command::Step(
                no("2026-0042"),
                Step::Vote {
                    result: VoteResult::Fail,
                    on: Some(d("2027-01-15")),
                    note: "测评未通过".into()
                }
            ))
        );
        assert_eq!(
            p("/vote 2026-0042 通过"),
            Ok(Command::Step(
                no("2026-0042"),
                Step::Vote {
                    result: VoteResult::Pass,
                    on: None,
                    note: String::new()
                }
            ))
        );
        assert_eq!(p("/vote 2026-0042 maybe"), Err(BadCommand::Usage("vote")));
        let received = |deputy: Option<(&str, &str)>, residents, note: &str| {
            Ok(Command::Received(Received {
                deputy: deputy.map(|(c, day)| (c.to_string(), d(day))),
                residents,
                note: note.into(),
            }))
        };
        assert_eq!(p("/received"), received(None, None, ""));
        assert_eq!(p("/received 12 雨天"), received(None, Some(12), "雨天"));
        assert_eq!(p("/received 人多"), received(None, None, "人多"));
        assert_eq!(
            p("/received P7 2026-03-20 4"),
            received(Some(("P7", "2026-03-20")), Some(4), "")
        );
        assert_eq!(p("/received -3"), Err(BadCommand::Usage("received")));
        assert_eq!(
            p("/voters P7 2026-06-01 85 新华社区活动室 | 满意 92%"),
            Ok(Command::Voters(Voters {
                deputy: "P7".into(),
                day: d("2026-06-01"),
                voters: 85,
                place: "新华社区活动室".into(),
                evaluation: Some("满意 92%".into()),
            }))
        );
        assert_eq!(
            p("/voters P7 2026-06-01 many 社区"),
            Err(BadCommand::Usage("voters"))
        );
        assert_eq!(
            p("/voters P7 2026-06-01 85"),
            Err(BadCommand::Usage("voters"))
        );
        assert_eq!(
            p("/record"),
            Ok(Command::Record {
                code: None,
                year: None
            })
        );
        assert_eq!(
            p("/record P7 2025"),
            Ok(Command::Record {
                code: Some("P7".into()),
                year: Some(2025)
            })
        );
        assert_eq!(
            p("/record 2025"),
            Ok(Command::Record {
                code: None,
                year: Some(2025)
            })
        );
        assert_eq!(
            p("/record 320105001 2026"),
            Ok(Command::Record {
                code: Some("320105001".into()),
                year: Some(2026)
            })
        );
        assert_eq!(
            p("/record 0999"),
            Ok(Command::Record {
                code: Some("0999".into()),
                year: None
            })
        );
        assert_eq!(p("/record P7 P8"), Err(BadCommand::Usage("record")));
        assert_eq!(p("/record P7 2026 x"), Err(BadCommand::Usage("record")));
    }

    #[test]
    fn suggest_keeps_title_and_body_lines() {
        assert_eq!(
            p("/suggest Lights\nHalf are out.\nSince May."),
            Ok(Command::Suggest(Some(
                "Lights\nHalf are out.\nSince May.".into()
            )))
        );
        assert_eq!(p("/suggest@minyi_bot"), Ok(Command::Suggest(None)));
        assert_eq!(p("/suggest   "), Ok(Command::Suggest(None)));
    }

    #[test]
    fn numbers_are_checked() {
        assert_eq!(p("/show 2026-0042"), Ok(Command::Show(no("2026-0042"))));
        assert_eq!(p("/show"), Err(BadCommand::Usage("show")));
        assert_eq!(
            p("/show 42"),
            Err(BadCommand::BadNumber("show", "42".into()))
        );
        assert_eq!(
            p("/merge 2026-0001 2026-0002"),
            Ok(Command::Step(no("2026-0001"), Step::Merge(no("2026-0002"))))
        );
        assert_eq!(
            p("/merge 2026-0001 x"),
            Err(BadCommand::BadNumber("merge", "x".into()))
        );
    }

    #[test]
    fn texts_after_a_number_are_required() {
        assert_eq!(p("/reply 2026-0001"), Err(BadCommand::Usage("reply")));
        assert_eq!(
            p("/edit 2026-0001 New title\nNew body"),
            Ok(Command::Step(
                no("2026-0001"),
                Step::Edit("New title\nNew body".into())
            ))
        );
    }

    #[test]
    fn review_takes_accept_with_level_or_return_with_reason() {
        assert_eq!(
            p("/review 2026-0001 accept"),
            Ok(Command::Step(
                no("2026-0001"),
                Step::Review(Verdict::Accept(None))
            ))
        );
        assert_eq!(
            p("/review 2026-0001 accept district"),
            Ok(Command::Step(
                no("2026-0001"),
                Step::Review(Verdict::Accept(Some(Level::District)))
            ))
        );
        assert_eq!(
            p("/review 2026-0001 return Too vague"),
            Ok(Command::Step(
                no("2026-0001"),
                Step::Review(Verdict::Return("Too vague".into()))
            ))
        );
        assert_eq!(
            p("/review 2026-0001 return"),
            Err(BadCommand::Usage("review"))
        );
        assert_eq!(
            p("/review 2026-0001 maybe"),
            Err(BadCommand::Usage("review"))
        );
        assert_eq!(
            p("/review 2026-0001 accept county"),
            Err(BadCommand::Usage("review"))
        );
    }

    #[test]
    fn assign_takes_units_days_and_level_in_any_order() {
        assert_eq!(
            p("/assign 2026-0001 U1 U2 --days 45 --level district"),
            Ok(Command::Step(
                no("2026-0001"),
                Step::Assign {
                    lead: "U1".into(),
                    co: vec!["U2".into()],
                    days: Some(45),
                    level: Some(Level::District)
                }
            ))
        );
        assert_eq!(
            p("/assign 2026-0001 --days 10 U1"),
            Ok(Command::Step(
                no("2026-0001"),
                Step::Assign {
                    lead: "U1".into(),
                    co: vec![],
                    days: Some(10),
                    level: None
                }
            ))
        );
        for bad in [
            "/assign 2026-0001",
            "/assign 2026-0001 U1 --days",
            "/assign 2026-0001 U1 --days -3",
            "/assign 2026-0001 U1 --level city",
            "/assign 2026-0001 U1 --fast",
        ] {
            assert_eq!(p(bad), Err(BadCommand::Usage("assign")), "{bad}");
        }
    }

    #[test]
    fn extend_rate_decline_adopt_stats() {
        assert_eq!(
            p("/extend 2026-0001 10 Waiting for the budget"),
            Ok(Command::Step(
                no("2026-0001"),
                Step::Extend(10, "Waiting for the budget".into())
            ))
        );
        assert_eq!(
            p("/extend 2026-0001 ten x"),
            Err(BadCommand::Usage("extend"))
        );
        assert_eq!(p("/extend 2026-0001 10"), Err(BadCommand::Usage("extend")));
        assert_eq!(
            p("/rate 2026-0001 basic"),
            Ok(Command::Step(no("2026-0001"), Step::Rate(Rating::Basic)))
        );
        assert_eq!(
            p("/rate 2026-0001 不满意"),
            Ok(Command::Step(
                no("2026-0001"),
                Step::Rate(Rating::Unsatisfied)
            ))
        );
        assert_eq!(p("/rate 2026-0001 great"), Err(BadCommand::Usage("rate")));
        assert_eq!(
            p("/decline R-2026-0003 Not a public matter"),
            Ok(Command::DeclineRequest(
                ResidentNo::parse("R-2026-0003").unwrap(),
                "Not a public matter".into()
            ))
        );
        assert_eq!(
            p("/decline 2026-0003 Duplicate"),
            Ok(Command::Step(
                no("2026-0003"),
                Step::Decline("Duplicate".into())
            ))
        );
        assert_eq!(
            p("/adopt R-2026-0003"),
            Ok(Command::Adopt(
                ResidentNo::parse("R-2026-0003").unwrap(),
                None
            ))
        );
        assert_eq!(
            p("/adopt 2026-0003"),
            Err(BadCommand::BadNumber("adopt", "2026-0003".into()))
        );
        assert_eq!(
            p("/stats 2026-03"),
            Ok(Command::Stats(NaiveDate::from_ymd_opt(2026, 3, 1)))
        );
        assert_eq!(p("/stats March"), Err(BadCommand::Usage("stats")));
        assert_eq!(p("/stats 2026-13"), Err(BadCommand::Usage("stats")));
    }

    #[test]
    fn start_payloads_and_codes() {
        assert_eq!(
            p("/start inv_abc"),
            Ok(Command::Start(Some("inv_abc".into())))
        );
        assert_eq!(p("/start"), Ok(Command::Start(None)));
        assert_eq!(p("/bind G01"), Ok(Command::Bind("G01".into())));
        assert_eq!(p("/bind"), Err(BadCommand::Usage("bind")));
        assert_eq!(p("/invite"), Err(BadCommand::Usage("invite")));
    }
}
