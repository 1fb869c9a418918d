//! Every user-visible text in zh-CN (the default) and en-US: a fluent loader over
//! `locales/{zh-CN,en-US}/*.ftl`, compiled into the binary.
//!
//! Messages go out in Telegram's HTML parse mode, so [`text`] escapes every argument: only the
//! locale files' own tags (`<b>`) reach Telegram as markup, and no user text can break a
//! message. [`plain`] renders for a terminal instead (the CLI), without escaping.

use std::collections::HashMap;
use std::fmt;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, langid, static_loader};

use crate::domain::{Colour, Level, Outcome, Rating, Refusal, Role, State};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "zh-CN",
        // The files are compiled in: a new .ftl file is picked up when this module recompiles.
        // Fluent wraps arguments in U+2068/U+2069 for bidirectional text; Telegram clients show
        // them as stray characters, and none of our texts mixes directions.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ZH_CN: LanguageIdentifier = langid!("zh-CN");
static EN_US: LanguageIdentifier = langid!("en-US");

/// A language a person reads minyi in (`/lang zh|en`, the roster's `lang` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    ZhCn,
    EnUs,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::EnUs];

    /// `zh`, `zh-CN`, `zh-Hans`, `en`, `en-US`, any `zh…`/`en…` tag (case-insensitive, `_` or
    /// `-`), as Telegram's `language_code` or a roster column gives it.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if tag.starts_with("en") {
            Some(Lang::EnUs)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::EnUs => "en-US",
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::ZhCn => &ZH_CN,
            Lang::EnUs => &EN_US,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        Lang::parse(tag).ok_or_else(|| format!("not a language minyi speaks: {tag:?}"))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Renders `key` for Telegram (HTML parse mode): every argument value is escaped first.
///
/// A missing key or argument is a bug, not a user error: it is logged and the key itself is
/// returned, so the person still gets a (poor) message instead of the service panicking.
pub fn text(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    render(lang, key, args, escape_html)
}

/// Renders `key` for a terminal: arguments as they are (the CLI's import and invite output).
pub fn plain(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    render(lang, key, args, str::to_string)
}

/// The reply to a refused action.
pub fn refusal(lang: Lang, refusal: &Refusal) -> String {
    text(lang, refusal.key(), &refusal.args())
}

/// Escapes text for Telegram's HTML parse mode.
pub fn escape_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Telegram HTML as a person reads it: tags removed, entities decoded (a toast, a transcript).
pub fn html_to_plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

pub fn state_name(lang: Lang, state: State) -> String {
    name(lang, "state", state.as_str())
}

pub fn colour_name(lang: Lang, colour: Colour) -> String {
    name(lang, "colour", colour.as_str())
}

pub fn rating_name(lang: Lang, rating: Rating) -> String {
    name(lang, "rating", rating.as_str())
}

pub fn level_name(lang: Lang, level: Level) -> String {
    name(lang, "level", level.as_str())
}

pub fn role_name(lang: Lang, role: Role) -> String {
    name(lang, "role", role.as_str())
}

pub fn outcome_name(lang: Lang, outcome: Outcome) -> String {
    name(lang, "outcome", outcome.as_str())
}

/// A category's name; categories are configurable, and one the locales do not name is shown
/// by its code (escaped).
pub fn category_name(lang: Lang, code: &str) -> String {
    text(lang, "category-name", &[("code", code.to_string())])
}

fn name(lang: Lang, prefix: &str, word: &str) -> String {
    text(lang, &format!("{prefix}-{word}"), &[])
}

fn render(
    lang: Lang,
    key: &str,
    args: &[(&str, String)],
    value: impl Fn(&str) -> String,
) -> String {
    let args: HashMap<&str, FluentValue> = args
        .iter()
        .map(|(name, v)| (*name, FluentValue::from(value(v))))
        .collect();
    let mut tried = vec![lang];
    if lang != Lang::default() {
        tried.push(Lang::default());
    }
    for l in tried {
        match LOCALES.lookup_single_language(l.id(), key, Some(&args)) {
            // An empty optional argument on the last line would leave a trailing newline.
            Ok(rendered) => return rendered.trim_end().to_string(),
            Err(error) => tracing::warn!(key, lang = l.as_str(), %error, "cannot render a message"),
        }
    }
    key.to_string()
}

#[cfg(test)]
mod tests;
