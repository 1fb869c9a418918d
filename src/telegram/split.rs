//! Texts over a platform's limit go out in several messages, in order, split at line
//! boundaries, never cut silently. Formatting tags open at a split are closed at the end of
//! one part and opened again at the start of the next, so every part parses on its own.

/// Telegram's limit on a message's text, in UTF-16 units of the text shown.
pub const TELEGRAM_LIMIT: usize = 4096;

/// How a platform counts a message's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// UTF-16 units of the text shown, after entity parsing: tags count nothing and an entity
    /// counts as the character it stands for. Telegram counts so.
    Shown,
    /// UTF-16 units of the HTML as written, tags and entities included: for group robots,
    /// whose limits are on what is sent (their texts are converted from the HTML).
    Written,
}

impl Measure {
    fn units(self, s: &str) -> usize {
        match self {
            Measure::Written => s.encode_utf16().count(),
            Measure::Shown => shown_units(s),
        }
    }
}

/// Splits HTML text into parts of at most `max` units each, as `measure` counts them.
pub fn split_html(text: &str, max: usize, measure: Measure) -> Vec<String> {
    if measure.units(text) <= max {
        return vec![text.to_string()];
    }
    // Room for the tags carried over between parts, where tags count.
    let budget = match measure {
        Measure::Shown => max,
        Measure::Written => max.saturating_sub(200).max(max / 2),
    };
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    let mut open: Vec<String> = Vec::new(); // open tags at the end of `current`
    for piece in pieces(text, budget, measure) {
        let size = measure.units(piece);
        if used + size + measure.units(&closing(&open)) > budget && !current.is_empty() {
            current.push_str(&closing(&open));
            parts.push(std::mem::take(&mut current));
            current = open.concat();
            used = measure.units(&current);
        }
        current.push_str(piece);
        used += size;
        track(piece, &mut open);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// The UTF-16 units Telegram counts of HTML: the text between the tags, each entity as the
/// character it stands for.
fn shown_units(html: &str) -> usize {
    let mut units = 0;
    let mut rest = html;
    while let Some(ch) = rest.chars().next() {
        match ch {
            '<' => match rest.find('>') {
                Some(end) => {
                    rest = &rest[end + 1..];
                    continue;
                }
                None => units += 1,
            },
            '&' => {
                if let Some(end) = rest.find(';').filter(|end| *end <= MAX_ENTITY) {
                    units += entity_units(&rest[1..end]);
                    rest = &rest[end + 1..];
                    continue;
                }
                units += 1;
            }
            ch => units += ch.len_utf16(),
        }
        rest = &rest[ch.len_utf8()..];
    }
    units
}

/// The longest entity looked for, `&` to `;` exclusive: `&#x10FFFF` and `&quot` fit.
const MAX_ENTITY: usize = 9;

/// The units of the character an entity's name (between `&` and `;`) stands for: a numeric
/// one may be outside the basic plane (two units); a named one is a basic character.
fn entity_units(name: &str) -> usize {
    let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => name.strip_prefix('#').and_then(|dec| dec.parse().ok()),
    };
    code.and_then(char::from_u32).map_or(1, char::len_utf16)
}

/// Lines (with their newline), and an over-long line cut at spaces or, failing that, at
/// characters, never inside a tag or an entity.
fn pieces(text: &str, budget: usize, measure: Measure) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        while measure.units(rest) > budget {
            let cut = cut_point(rest, budget, measure);
            out.push(&rest[..cut]);
            rest = &rest[cut..];
        }
        if !rest.is_empty() {
            out.push(rest);
        }
    }
    out
}

/// Where to cut `s` so the head stays within `budget`: after the last space that fits, else
/// at the last character boundary that fits, never inside a tag or an entity.
fn cut_point(s: &str, budget: usize, measure: Measure) -> usize {
    let (mut used, mut fit, mut last_space) = (0, 0, None);
    // Where the tag or entity being read began.
    let mut markup: Option<usize> = None;
    for (i, ch) in s.char_indices() {
        let end = i + ch.len_utf8();
        if markup.is_none() && (ch == '<' || ch == '&') {
            markup = Some(i);
        }
        match markup {
            None => used += ch.len_utf16(),
            Some(start) => {
                let closes = (ch == '>' && s[start..].starts_with('<'))
                    || (ch == ';' && s[start..].starts_with('&'));
                if !closes {
                    continue;
                }
                used += measure.units(&s[start..end]);
                markup = None;
            }
        }
        if used > budget {
            break;
        }
        fit = end;
        if ch == ' ' {
            last_space = Some(fit);
        }
    }
    match last_space.unwrap_or(fit) {
        // Not even one character fits: take the first, so the split moves on.
        0 => s.chars().next().map_or(s.len(), char::len_utf8),
        cut => cut,
    }
}

/// Follows the tags of a piece: opening ones are pushed, closing ones popped.
fn track(piece: &str, open: &mut Vec<String>) {
    let mut rest = piece;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + len + 1];
        if tag.starts_with("</") {
            open.pop();
        } else if !tag.ends_with("/>") {
            open.push(tag.to_string());
        }
        rest = &rest[start + len + 1..];
    }
}

fn closing(open: &[String]) -> String {
    open.iter()
        .rev()
        .map(|tag| {
            let name: String = tag[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            format!("</{name}>")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(s: &str) -> usize {
        s.encode_utf16().count()
    }

    /// What Telegram shows of a part (the sandbox parses HTML as Telegram does).
    fn shown(part: &str) -> String {
        crate::sandbox::html::parse(part).expect("every part parses on its own")
    }

    #[test]
    fn a_short_text_is_one_part() {
        assert_eq!(
            split_html("<b>hi</b>", TELEGRAM_LIMIT, Measure::Shown),
            vec!["<b>hi</b>"]
        );
    }

    #[test]
    fn the_shown_length_is_what_telegram_counts() {
        for html in [
            "plain 字 😀",
            "<b>bold</b> &amp; &lt;tag&gt; &quot;q&quot;",
            "<a href=\"https://example.org/?a=1&amp;b=2\">link</a>",
            "&#128512; &#x1F600; &#39;",
        ] {
            assert_eq!(shown_units(html), units(&shown(html)), "{html}");
        }
    }

    #[test]
    fn long_texts_split_at_lines_and_nothing_is_lost() {
        let line = "建议 2026-0042 &amp; &lt;b&gt; 第一行内容\n";
        let text = line.repeat(400);
        for measure in [Measure::Shown, Measure::Written] {
            let parts = split_html(&text, TELEGRAM_LIMIT, measure);
            assert!(parts.len() > 1);
            assert!(parts.iter().all(|p| measure.units(p) <= TELEGRAM_LIMIT));
            assert!(parts.iter().all(|p| p.ends_with('\n')), "cut at line ends");
            assert_eq!(parts.concat(), text);
        }
    }

    #[test]
    fn markup_does_not_count_toward_telegrams_limit() {
        // 4,000 characters shown, over 10,000 written: one message for Telegram.
        let text = format!("<b>{}</b>", "&lt;&gt;".repeat(2000));
        assert!(units(&text) > 10_000);
        assert_eq!(
            split_html(&text, TELEGRAM_LIMIT, Measure::Shown),
            vec![text.clone()]
        );
        assert!(split_html(&text, TELEGRAM_LIMIT, Measure::Written).len() > 2);
    }

    #[test]
    fn open_tags_are_closed_and_reopened() {
        let text = format!("<b>{}</b>", "字 ".repeat(5000));
        let parts = split_html(&text, TELEGRAM_LIMIT, Measure::Shown);
        assert_eq!(parts.len(), 3);
        for part in &parts {
            assert!(units(&shown(part)) <= TELEGRAM_LIMIT);
            assert!(
                part.starts_with("<b>") && part.ends_with("</b>"),
                "{}",
                &part[..20]
            );
        }
        let visible: String = parts.iter().map(|p| shown(p)).collect();
        assert_eq!(visible, "字 ".repeat(5000));
    }

    #[test]
    fn a_line_without_spaces_is_cut_outside_entities() {
        let text = "&amp;".repeat(5000);
        for measure in [Measure::Shown, Measure::Written] {
            let parts = split_html(&text, TELEGRAM_LIMIT, measure);
            assert!(parts.len() > 1);
            assert!(
                parts
                    .iter()
                    .all(|p| p.starts_with("&amp;") && p.ends_with("&amp;"))
            );
            assert!(parts.iter().all(|p| measure.units(p) <= TELEGRAM_LIMIT));
            assert_eq!(parts.concat(), text);
        }
        assert_eq!(split_html(&text, TELEGRAM_LIMIT, Measure::Shown).len(), 2);
    }
}
