//! Telegram's HTML parse mode, far enough to refuse what Telegram refuses and to know the
//! text a message shows (its length is counted after parsing).
//!
//! One place where the sandbox is stricter than Telegram on purpose: Telegram's parser keeps
//! a lone `&` as a literal, but its documentation requires every `&`, `<` and `>` outside
//! tags and entities to be escaped, and an unescaped `&` is exactly the bug an unescaped
//! user-supplied string would show. So the sandbox refuses it.

/// The tags Telegram supports (https://core.telegram.org/bots/api#html-style).
const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

/// Parses `html`, returning the text it shows, or Telegram's reason for refusing it (the
/// part after "can't parse entities: ").
pub(crate) fn parse(html: &str) -> Result<String, String> {
    let mut plain = String::with_capacity(html.len());
    let mut open: Vec<String> = Vec::new();
    let mut at = 0;
    while at < html.len() {
        let rest = &html[at..];
        if rest.starts_with('&') {
            let (decoded, len) = entity(rest).ok_or_else(|| {
                format!("Character '&' at byte offset {at} does not start an HTML entity")
            })?;
            plain.push(decoded);
            at += len;
        } else if let Some(end_tag) = rest.strip_prefix("</") {
            let name_len = tag_name_len(end_tag);
            let name = end_tag[..name_len].to_ascii_lowercase();
            let after = end_tag[name_len..].trim_start();
            if !after.starts_with('>') {
                return Err(format!("Unclosed end tag at byte offset {at}"));
            }
            match open.pop() {
                None => return Err(format!("Unexpected end tag at byte offset {at}")),
                Some(expected) if expected != name => {
                    return Err(format!(
                        "Unmatched end tag at byte offset {at}, expected \"</{expected}>\", found \"</{name}>\""
                    ));
                }
                Some(_) => {}
            }
            at = html.len() - after.len() + 1;
        } else if rest.starts_with('<') {
            let (name, len) =
                start_tag(rest).map_err(|reason| format!("{reason} at byte offset {at}"))?;
            open.push(name);
            at += len;
        } else {
            let c = rest.chars().next().expect("not at the end");
            plain.push(c);
            at += c.len_utf8();
        }
    }
    match open.last() {
        Some(tag) => Err(format!(
            "Can't find end tag corresponding to start tag \"{tag}\""
        )),
        None => Ok(plain),
    }
}

fn tag_name_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(s.len())
}

/// Reads a start tag at the beginning of `s` (which starts with `<`): its lower-case name
/// and its length in bytes.
fn start_tag(s: &str) -> Result<(String, usize), String> {
    let name_len = tag_name_len(&s[1..]);
    let name = s[1..1 + name_len].to_ascii_lowercase();
    if !TAGS.contains(&name.as_str()) {
        return Err(format!("Unsupported start tag \"{name}\""));
    }
    let mut rest = &s[1 + name_len..];
    let mut spoiler_class = false;
    loop {
        let trimmed = rest.trim_start();
        if trimmed.len() == rest.len() && !trimmed.starts_with('>') {
            // Attributes must be separated from the name and from each other by spaces.
            return Err("Unclosed start tag".to_owned());
        }
        rest = trimmed;
        if let Some(after) = rest.strip_prefix('>') {
            if name == "span" && !spoiler_class {
                return Err("Tag \"span\" must have class \"tg-spoiler\"".to_owned());
            }
            return Ok((name, s.len() - after.len()));
        }
        let attribute_len = tag_name_len(rest);
        if attribute_len == 0 {
            return Err(format!("Empty attribute name in the tag \"{name}\""));
        }
        let attribute = rest[..attribute_len].to_ascii_lowercase();
        rest = &rest[attribute_len..];
        let Some(after_equals) = rest.trim_start().strip_prefix('=') else {
            // A bare attribute such as `<blockquote expandable>`.
            continue;
        };
        let (value, after_value) = attribute_value(after_equals.trim_start())
            .ok_or_else(|| "Unclosed start tag".to_owned())?;
        spoiler_class |= attribute == "class" && value == "tg-spoiler";
        rest = after_value;
    }
}

/// A quoted or bare attribute value and what follows it.
fn attribute_value(s: &str) -> Option<(&str, &str)> {
    match s.chars().next()? {
        quote @ ('"' | '\'') => {
            let end = s[1..].find(quote)? + 1;
            Some((&s[1..end], &s[end + 1..]))
        }
        _ => {
            let end = s.find(|c: char| c.is_whitespace() || c == '>')?;
            Some((&s[..end], &s[end..]))
        }
    }
}

/// Decodes the entity at the beginning of `s` (which starts with `&`): the character and the
/// entity's length in bytes.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.find(';')?;
    let name = &s[1..end];
    let decoded = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let digits = name.strip_prefix('#')?;
            let code = match digits.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => digits.parse().ok()?,
            };
            char::from_u32(code).filter(|&c| c != '\0')?
        }
    };
    Some((decoded, end + 1))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn plain_text_is_what_remains_without_tags_and_entities() {
        assert_eq!(parse("<b>x</b> &amp; ok").unwrap(), "x & ok");
        assert_eq!(parse("&lt;&#65;&#x42;&quot;&gt;").unwrap(), "<AB\">");
        assert_eq!(
            parse("<a href=\"https://e.org/?a=1&amp;b=2\">link</a>").unwrap(),
            "link"
        );
        assert_eq!(parse("<span class=\"tg-spoiler\">s</span>").unwrap(), "s");
        assert_eq!(parse("<blockquote expandable>q</blockquote>").unwrap(), "q");
        assert_eq!(parse("<B>x</B> 1 > 0").unwrap(), "x 1 > 0");
        assert_eq!(
            parse("<pre><code class=\"language-rust\">fn</code></pre>").unwrap(),
            "fn"
        );
    }

    #[test]
    fn refuses_what_telegram_cannot_parse() {
        for (html, reason) in [
            (
                "<b>x",
                "Can't find end tag corresponding to start tag \"b\"",
            ),
            (
                "a & b",
                "Character '&' at byte offset 2 does not start an HTML entity",
            ),
            (
                "&nbsp;",
                "Character '&' at byte offset 0 does not start an HTML entity",
            ),
            (
                "<script>",
                "Unsupported start tag \"script\" at byte offset 0",
            ),
            ("1 < 2", "Unsupported start tag \"\" at byte offset 2"),
            (
                "<b>x</i>",
                "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\"",
            ),
            ("x</b>", "Unexpected end tag at byte offset 1"),
            (
                "<b><i>x</b></i>",
                "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\"",
            ),
            ("<a href=\"x", "Unclosed start tag at byte offset 0"),
            (
                "<span>x</span>",
                "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0",
            ),
        ] {
            assert_eq!(parse(html).unwrap_err(), reason, "{html}");
        }
    }
}
