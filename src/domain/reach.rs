//! Which of a person's channels hear their pushes: the one they prefer (`/channel`) when they
//! have it, else every channel they have, so that a preference for a channel the roster has
//! not given them never silences them.

/// A channel a person can be reached on privately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonChannel {
    Telegram,
    WeCom,
}

impl PersonChannel {
    pub const ALL: [PersonChannel; 2] = [PersonChannel::Telegram, PersonChannel::WeCom];

    /// The word stored in `people.channel` and typed after `/channel`.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonChannel::Telegram => "telegram",
            PersonChannel::WeCom => "wecom",
        }
    }

    pub fn parse(word: &str) -> Option<PersonChannel> {
        PersonChannel::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(word))
    }
}

/// Whether a push goes to Telegram and to WeCom, for a person with these channels.
pub fn reach(telegram: bool, wecom: bool, preferred: Option<PersonChannel>) -> (bool, bool) {
    match preferred {
        Some(PersonChannel::Telegram) if telegram => (true, false),
        Some(PersonChannel::WeCom) if wecom => (false, true),
        Some(_) | None => (telegram, wecom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PersonChannel::*;

    #[test]
    fn every_channel_unless_one_is_preferred_and_there() {
        assert_eq!(reach(true, true, None), (true, true));
        assert_eq!(reach(true, true, Some(WeCom)), (false, true));
        assert_eq!(reach(true, true, Some(Telegram)), (true, false));
        // A preference for a channel the person does not have never silences them.
        assert_eq!(reach(true, false, Some(WeCom)), (true, false));
        assert_eq!(reach(false, true, Some(Telegram)), (false, true));
        assert_eq!(reach(false, false, None), (false, false));
    }

    #[test]
    fn channel_words_read_back() {
        for c in PersonChannel::ALL {
            assert_eq!(PersonChannel::parse(c.as_str()), Some(c));
        }
        assert_eq!(PersonChannel::parse("WeCom"), Some(WeCom));
        assert_eq!(PersonChannel::parse("qq"), None);
    }
}
