//! Telegram's checks on an outgoing message, answered with Telegram's descriptions so
//! teloxide maps them to the same `ApiError`s.

use serde_json::Value;

use super::html;
use super::methods::Failure;

/// Limits from https://core.telegram.org/bots/api: counted in UTF-16 code units of the text
/// shown, i.e. after entities are parsed.
const MAX_TEXT: usize = 4096;
const MAX_CAPTION: usize = 1024;
/// Bytes, not characters.
const MAX_CALLBACK_DATA: usize = 64;

pub(super) const TEXT_TOO_LONG: &str = "message is too long";

/// The text of `sendMessage` or `editMessageText`; returns the text the message shows.
pub(super) fn message_text(
    text: Option<&str>,
    parse_mode: Option<&str>,
) -> Result<String, Failure> {
    let shown = shown_text(text.unwrap_or_default(), parse_mode)?;
    if shown.trim().is_empty() {
        return Err(Failure::bad_request("message text is empty"));
    }
    if utf16_len(&shown) > MAX_TEXT {
        return Err(Failure::bad_request(TEXT_TOO_LONG));
    }
    Ok(shown)
}

/// The caption of a photo or document; returns the caption shown.
pub(super) fn caption(caption: Option<&str>, parse_mode: Option<&str>) -> Result<String, Failure> {
    let shown = shown_text(caption.unwrap_or_default(), parse_mode)?;
    if utf16_len(&shown) > MAX_CAPTION {
        return Err(Failure::bad_request("message caption is too long"));
    }
    Ok(shown)
}

/// The inline buttons of a `reply_markup` as (text, callback data, or URL for a link button).
/// Other keyboards have none.
pub(super) fn buttons(markup: Option<&Value>) -> Vec<(String, String)> {
    let field =
        |button: &Value, key: &str| button.get(key).and_then(Value::as_str).map(str::to_owned);
    inline_buttons(markup)
        .map(|b| {
            let web_app = b
                .pointer("/web_app/url")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let target = field(b, "callback_data")
                .or_else(|| field(b, "url"))
                .or(web_app);
            (
                field(b, "text").unwrap_or_default(),
                target.unwrap_or_default(),
            )
        })
        .collect()
}

/// Refuses callback data Telegram would refuse.
pub(super) fn check_buttons(markup: Option<&Value>) -> Result<(), Failure> {
    let data = |button: &Value| {
        button
            .get("callback_data")
            .and_then(Value::as_str)
            .map_or(0, str::len)
    };
    if inline_buttons(markup).any(|b| data(b) > MAX_CALLBACK_DATA) {
        return Err(Failure::bad_request("BUTTON_DATA_INVALID"));
    }
    Ok(())
}

/// A button that opens a Mini App (`web_app`) is allowed in private chats only, and its
/// address must be https, as Telegram requires.
pub(super) fn check_web_apps(markup: Option<&Value>, chat: i64) -> Result<(), Failure> {
    for button in inline_buttons(markup) {
        let Some(app) = button.get("web_app") else {
            continue;
        };
        if chat < 0 {
            return Err(Failure::bad_request("BUTTON_TYPE_INVALID"));
        }
        let url = app.get("url").and_then(Value::as_str).unwrap_or_default();
        if !url.starts_with("https://") {
            return Err(Failure::bad_request(
                "inline keyboard button Web App URL is invalid: Only HTTPS links are allowed",
            ));
        }
    }
    Ok(())
}

fn inline_buttons(markup: Option<&Value>) -> impl Iterator<Item = &Value> {
    let rows = markup
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(Value::as_array);
    rows.into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
}

fn shown_text(text: &str, parse_mode: Option<&str>) -> Result<String, Failure> {
    match parse_mode.map(str::to_ascii_lowercase).as_deref() {
        None => Ok(text.to_owned()),
        Some("html") => html::parse(text)
            .map_err(|reason| Failure::bad_request(&format!("can't parse entities: {reason}"))),
        // Markdown is not checked; minyi writes HTML.
        Some("markdown" | "markdownv2") => Ok(text.to_owned()),
        Some(_) => Err(Failure::bad_request("unsupported parse_mode")),
    }
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_utf16_units_of_the_shown_text() {
        let emoji = "😀".repeat(2048); // 2 units each
        assert!(message_text(Some(&emoji), None).is_ok());
        let over = format!("{emoji}x");
        assert_eq!(
            message_text(Some(&over), None).unwrap_err().description,
            "Bad Request: message is too long"
        );
        let tagged = format!("<b>{}</b>", "x".repeat(4096));
        assert_eq!(
            message_text(Some(&tagged), Some("HTML")).unwrap().len(),
            4096
        );
        let escaped = "&amp;".repeat(1024);
        assert!(caption(Some(&escaped), Some("HTML")).is_ok());
        assert!(caption(Some(&format!("{escaped}x")), Some("HTML")).is_err());
    }

    #[test]
    fn text_that_shows_nothing_is_empty() {
        for (text, mode) in [
            (None, None),
            (Some(""), None),
            (Some(" \n"), None),
            (Some("<b></b>"), Some("HTML")),
        ] {
            let failure = message_text(text, mode).unwrap_err();
            assert_eq!(failure.description, "Bad Request: message text is empty");
        }
    }
}
