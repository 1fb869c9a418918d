//! Texts over Telegram's 4,096 characters go out in several messages, in order, split at line
//! boundaries, never cut silently. Formatting tags open at a split are closed at the end of
//! one part and opened again at the start of the next, so every part parses on its own.

/// Telegram's limit on a message's text.
pub const TELEGRAM_LIMIT: usize = 4096;

/// Splits HTML text into parts of at most `max` UTF-16 units each (what Telegram counts).
pub fn split_html(text: &str, max: usize) -> Vec<String> {
    if units(text) <= max {
        return vec![text.to_string()];
    }
    // Room for the tags carried over between parts.
    let budget = max.saturating_sub(200).max(max / 2);
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut open: Vec<String> = Vec::new(); // open tags at the end of `current`
    for piece in pieces(text, budget) {
        if units(&current) + units(piece) + closing_units(&open) > budget && !current.is_empty() {
            current.push_str(&closing(&open));
            parts.push(std::mem::take(&mut current));
            current = open.concat();
        }
        current.push_str(piece);
        track(piece, &mut open);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Lines (with their newline), and an over-long line cut at spaces or, failing that, at
/// characters, never inside a tag or an entity.
fn pieces(text: &str, budget: usize) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        while units(rest) > budget {
            let cut = cut_point(rest, budget);
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
/// at the last character boundary that fits, stepping back out of any tag or entity.
fn cut_point(s: &str, budget: usize) -> usize {
    let mut fit = 0;
    let mut used = 0;
    let mut last_space = None;
    let mut in_markup = false;
    let mut safe = 0;
    for (i, ch) in s.char_indices() {
        used += ch.len_utf16();
        if used > budget {
            break;
        }
        match ch {
            '<' | '&' => in_markup = true,
            '>' | ';' if in_markup => in_markup = false,
            _ => {}
        }
        fit = i + ch.len_utf8();
        if !in_markup {
            safe = fit;
            if ch == ' ' {
                last_space = Some(fit);
            }
        }
    }
    let cut = last_space.unwrap_or(safe);
    if cut == 0 { fit.max(1) } else { cut }
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

fn closing_units(open: &[String]) -> usize {
    units(&closing(open))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_text_is_one_part() {
        assert_eq!(split_html("<b>hi</b>", TELEGRAM_LIMIT), vec!["<b>hi</b>"]);
    }

    #[test]
    fn long_texts_split_at_lines_and_nothing_is_lost() {
        let line = "建议 2026-0042 &amp; &lt;b&gt; 第一行内容\n";
        let text = line.repeat(400);
        let parts = split_html(&text, TELEGRAM_LIMIT);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| units(p) <= TELEGRAM_LIMIT));
        assert!(parts.iter().all(|p| p.ends_with('\n')), "cut at line ends");
        assert_eq!(parts.concat(), text);
    }

    #[test]
    fn open_tags_are_closed_and_reopened() {
        let text = format!("<b>{}</b>", "字 ".repeat(5000));
        let parts = split_html(&text, TELEGRAM_LIMIT);
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(units(part) <= TELEGRAM_LIMIT);
            assert!(
                part.starts_with("<b>") && part.ends_with("</b>"),
                "{}",
                &part[..20]
            );
        }
        let visible: String = parts
            .iter()
            .map(|p| p.replace("<b>", "").replace("</b>", ""))
            .collect();
        assert_eq!(visible, "字 ".repeat(5000));
    }

    #[test]
    fn a_line_without_spaces_is_cut_outside_entities() {
        let text = "&amp;".repeat(2000);
        let parts = split_html(&text, TELEGRAM_LIMIT);
        assert!(
            parts
                .iter()
                .all(|p| p.starts_with("&amp;") && p.ends_with("&amp;"))
        );
        assert_eq!(parts.concat(), text);
    }
}
