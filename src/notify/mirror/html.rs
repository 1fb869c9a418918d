//! From minyi's Telegram HTML to what a group robot shows: plain text or markdown.
//!
//! The input is what [`crate::i18n::text`] renders: the locale files' own tags (`<b>`, `<i>`,
//! `<a href>`, `<code>`) around text in which every user-written `<`, `>`, `&` and `"` arrives
//! as an entity. Entities are decoded only after the tags are read, so a deputy's literal
//! `<b>` stays text here too; in markdown it is escaped again, so it cannot become markup on the
//! robot's side either.
//!
//! Only `http(s)` links are kept as links: any other `href` (a `tg://user?id=…` mention would
//! carry a Telegram id, which must never reach a unit's robot) leaves only its text.

/// Tags removed, entities decoded, `<a href="u">t</a>` → `t (u)` (just `u` when `t` is `u`).
pub fn to_plain(html: &str) -> String {
    render(html, &Plain)
}

/// `<b>x</b>` → `**x**`, `<i>x</i>` → `*x*`, `<a href="u">t</a>` → `[t](u)`, `<code>x</code>` →
/// `` `x` ``; other tags are dropped, keeping their text.
///
/// Escaping is one rule for WeCom and DingTalk, both of which read a subset of markdown: in
/// text outside code, each of `` \ ` * _ [ ] < > # `` gets a backslash (CommonMark's escapes),
/// so user text can make no emphasis, link, heading, quote or HTML tag (DingTalk renders some
/// HTML, such as `<font>`). Neither platform documents escapes; should one show a backslash,
/// the text stays readable and still makes no markup. In a link's URL, spaces, parentheses and angle brackets are
/// percent-encoded so they cannot end it. Code spans take a fence longer than any backtick run
/// inside them. Line breaks stay `\n`; the DingTalk payload turns them into hard breaks.
pub fn to_markdown(html: &str) -> String {
    render(html, &Markdown)
}

/// What a tag means once it is out of Telegram.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mark {
    Bold,
    Italic,
    Code,
    /// A link to an `http(s)` URL, entities decoded.
    Link(String),
    /// Any other tag (or a link elsewhere): only its text remains.
    Text,
}

impl Mark {
    fn of(name: &str, attributes: &str) -> Mark {
        match name {
            "b" | "strong" => Mark::Bold,
            "i" | "em" => Mark::Italic,
            "code" | "pre" => Mark::Code,
            "a" => match href(attributes) {
                Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                    Mark::Link(url)
                }
                _ => Mark::Text,
            },
            _ => Mark::Text,
        }
    }
}

/// One output format: how text is written and how a closed tag wraps what it holds.
trait Style {
    fn text(&self, decoded: &str, in_code: bool) -> String;
    fn close(&self, mark: &Mark, inner: String) -> String;
}

struct Plain;

impl Style for Plain {
    fn text(&self, decoded: &str, _in_code: bool) -> String {
        decoded.to_string()
    }

    fn close(&self, mark: &Mark, inner: String) -> String {
        match mark {
            Mark::Link(url) if inner.trim().is_empty() || inner == *url => url.clone(),
            Mark::Link(url) => format!("{inner} ({url})"),
            _ => inner,
        }
    }
}

struct Markdown;

impl Style for Markdown {
    fn text(&self, decoded: &str, in_code: bool) -> String {
        if in_code {
            return decoded.to_string();
        }
        let mut out = String::with_capacity(decoded.len());
        for c in decoded.chars() {
            if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#') {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }

    fn close(&self, mark: &Mark, inner: String) -> String {
        match mark {
            Mark::Bold => emphasis(&inner, "**"),
            Mark::Italic => emphasis(&inner, "*"),
            Mark::Code => code_span(&inner),
            Mark::Link(url) if inner.trim().is_empty() => link_target(url),
            Mark::Link(url) => format!("[{inner}]({})", link_target(url)),
            Mark::Text => inner,
        }
    }
}

/// `**x**` with the markers inside any surrounding spaces: `** x**` is no emphasis.
fn emphasis(inner: &str, marker: &str) -> String {
    let body = inner.trim();
    if body.is_empty() {
        return inner.to_string();
    }
    let start = inner.len() - inner.trim_start().len();
    let end = inner.trim_end().len();
    format!("{}{marker}{body}{marker}{}", &inner[..start], &inner[end..])
}

fn code_span(inner: &str) -> String {
    if inner.is_empty() {
        return String::new();
    }
    let longest_run = inner.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // CommonMark strips one space on each side, so a span may start or end with a backtick.
    if inner.starts_with('`') || inner.ends_with('`') {
        format!("{fence} {inner} {fence}")
    } else {
        format!("{fence}{inner}{fence}")
    }
}

fn link_target(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

/// An open tag and what has been written inside it so far.
struct Frame {
    name: String,
    mark: Mark,
    out: String,
}

fn render(html: &str, style: &dyn Style) -> String {
    // The bottom frame is the message itself and is never closed by a tag.
    let mut stack = vec![Frame {
        name: String::new(),
        mark: Mark::Text,
        out: String::new(),
    }];
    let mut rest = html;
    while !rest.is_empty() {
        let Some(tag) = rest.strip_prefix('<').and_then(read_tag) else {
            // Text runs to the next `<`; a `<` that opens no tag is text too.
            let skip = usize::from(rest.starts_with('<'));
            let end = rest[skip..].find('<').map_or(rest.len(), |i| i + skip);
            let in_code = stack.iter().any(|f| f.mark == Mark::Code);
            let text = style.text(&decode_entities(&rest[..end]), in_code);
            top(&mut stack).out.push_str(&text);
            rest = &rest[end..];
            continue;
        };
        rest = &rest[tag.len + 1..];
        if tag.closing {
            // Close up to the matching open tag; a stray closing tag is dropped.
            if let Some(at) = stack.iter().rposition(|f| f.name == tag.name)
                && at > 0
            {
                while stack.len() > at {
                    close_top(&mut stack, style);
                }
            }
        } else if !tag.self_closing {
            stack.push(Frame {
                mark: Mark::of(&tag.name, tag.attributes),
                name: tag.name,
                out: String::new(),
            });
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack, style);
    }
    stack.pop().map(|f| f.out).unwrap_or_default()
}

fn top(stack: &mut [Frame]) -> &mut Frame {
    stack
        .last_mut()
        .expect("the message frame is never popped inside the loop")
}

fn close_top(stack: &mut Vec<Frame>, style: &dyn Style) {
    let frame = stack.pop().expect("only called above the message frame");
    // Telegram's `<pre><code>` is one code block, not a span inside a span.
    let wrapped = if frame.mark == Mark::Code && stack.iter().any(|f| f.mark == Mark::Code) {
        frame.out
    } else {
        style.close(&frame.mark, frame.out)
    };
    top(stack).out.push_str(&wrapped);
}

struct Tag<'h> {
    name: String,
    attributes: &'h str,
    closing: bool,
    self_closing: bool,
    /// Bytes after the `<`, up to and including the `>`.
    len: usize,
}

/// Reads the tag after a `<`, or `None` if the `<` opens no tag (Telegram's HTML never has a
/// bare `<`, but a malformed string should lose nothing).
fn read_tag(after: &str) -> Option<Tag<'_>> {
    let (closing, body_start) = match after.strip_prefix('/') {
        Some(_) => (true, 1),
        None => (false, 0),
    };
    let close = find_tag_end(after)?;
    let body = &after[body_start..close];
    let name_len = body
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .unwrap_or(body.len());
    if name_len == 0 {
        return None;
    }
    let attributes = body[name_len..].trim();
    Some(Tag {
        name: body[..name_len].to_ascii_lowercase(),
        self_closing: attributes.ends_with('/'),
        attributes,
        closing,
        len: close + 1,
    })
}

/// The `>` ending a tag, skipping any `>` inside a quoted attribute value.
fn find_tag_end(after: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in after.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// The decoded value of `href="…"` (or `'…'`) among a tag's attributes.
fn href(attributes: &str) -> Option<String> {
    let at = attributes.find("href")?;
    let value = attributes[at + 4..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    let end = value.find(quote)?;
    Some(decode_entities(&value[..end]))
}

/// Telegram's entities: `&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric ones. Anything else
/// that starts with `&` is kept as it is.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}
