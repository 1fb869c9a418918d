//! The front's answers and the outbox's pushes as WeCom app messages: plain text (WeCom's
//! `text` shows no HTML), split within WeCom's 2,048 bytes, and what a message asks of its
//! reader as a `button_interaction` card, whose button keys are the same typed presses as
//! Telegram's callback data ([`crate::front::press::Press`]), never a database id.

use crate::front::{Out, Rows};
use crate::i18n::{self, Lang};

use super::client::{Button, CONTENT_LIMIT, Card, Message, split_content};

/// WeCom shows a card's title in one line: its documentation advises at most 36 characters
/// for `main_title.title` and 160 for `sub_title_text` (doc 90236).
const TITLE_CHARS: usize = 36;
const SUB_TITLE_CHARS: usize = 160;
/// At most 6 buttons on a card (doc 90236, `button_list`).
pub const CARD_BUTTONS: usize = 6;

/// One answer of the front as messages, in order.
pub fn answer(lang: Lang, out: Out) -> Vec<Message> {
    match out {
        Out::Text { html, buttons } => card(&html, &buttons, None),
        Out::Prompt { html } | Out::Private { html, .. } => texts(&html),
        // A photo's handle is the channel's it came from: a Telegram file id means nothing
        // to WeCom, so the member is told where it is.
        Out::Photo { .. } => texts(&i18n::text(lang, "wecom-photo-elsewhere", &[])),
    }
}

/// A text (HTML as the locales write it) with its buttons: cards of at most six buttons,
/// with `context` (the deputy group of a push) as the title's helper line; a text too long
/// for a card goes first as text, the card then repeats its first line.
pub fn card(html: &str, rows: &Rows, context: Option<&str>) -> Vec<Message> {
    let buttons: Vec<Button> = rows
        .iter()
        .flatten()
        .filter_map(|(label, press)| {
            press.data().map(|key| Button {
                text: label.clone(),
                key,
                style: 1,
            })
        })
        .collect();
    if buttons.is_empty() {
        return match context {
            Some(group) => texts(&in_group(group, html)),
            None => texts(html),
        };
    }
    let plain = i18n::html_to_plain(html);
    let plain = plain.trim();
    let (first, rest) = plain.split_once('\n').unwrap_or((plain, ""));
    let (first, rest) = (first.trim(), rest.trim());
    let fits = first.chars().count() <= TITLE_CHARS && rest.chars().count() <= SUB_TITLE_CHARS;
    let mut messages = Vec::new();
    let (title, text) = if fits {
        (first.to_owned(), rest.to_owned())
    } else {
        match context {
            Some(group) => messages.extend(texts(&in_group(group, html))),
            None => messages.extend(texts(html)),
        }
        (shorten(first, TITLE_CHARS), String::new())
    };
    let desc = context.map(|c| shorten(c, TITLE_CHARS)).unwrap_or_default();
    for chunk in buttons.chunks(CARD_BUTTONS) {
        messages.push(Message::Card(Card {
            task_id: task_id(),
            title: title.clone(),
            desc: desc.clone(),
            text: text.clone(),
            buttons: chunk.to_vec(),
        }));
    }
    messages
}

/// A push's text with the deputy group it is about on its first line: a WeCom member reads
/// it in the app's private chat, not in the group's.
pub fn in_group(group: &str, html: &str) -> String {
    format!("【{}】\n{html}", i18n::escape_html(group))
}

/// A text as plain text messages within WeCom's length.
pub fn texts(html: &str) -> Vec<Message> {
    let plain = i18n::html_to_plain(html);
    split_content(plain.trim(), CONTENT_LIMIT)
        .into_iter()
        .map(Message::Text)
        .collect()
}

fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(chars - 1).collect();
    short.push('…');
    short
}

/// A card's task id: unique within the app for good (WeCom refuses one used before), of
/// letters, digits and `_-@`, at most 128 bytes.
fn task_id() -> String {
    format!("minyi_{:032x}", rand::random::<u128>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SuggestionNo;
    use crate::front::buttons;

    #[test]
    fn a_short_text_with_buttons_is_one_card() {
        let no = SuggestionNo::new(2026, 42);
        let rows = buttons::review(Lang::ZhCn, no);
        let messages = card(
            "新建议 <b>2026-0042</b>\n路灯不亮",
            &rows,
            Some("人民路代表小组"),
        );
        let [Message::Card(card)] = messages.as_slice() else {
            panic!("{messages:?}");
        };
        assert_eq!(card.title, "新建议 2026-0042");
        assert_eq!(card.desc, "人民路代表小组");
        assert_eq!(card.text, "路灯不亮");
        let keys: Vec<_> = card.buttons.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["ac:2026-0042", "rt:2026-0042"]);
    }

    #[test]
    fn a_long_text_goes_first_and_many_buttons_make_more_cards() {
        let no = SuggestionNo::new(2026, 42);
        let units: Vec<(String, String)> = (0..8)
            .map(|i| (format!("U{i}"), format!("Unit {i}")))
            .collect();
        let rows = buttons::units(no, &units);
        let long = format!("Pick a unit\n{}", "x".repeat(400));
        let messages = card(&long, &rows, None);
        assert!(matches!(messages[0], Message::Text(_)), "{messages:?}");
        let cards: Vec<&Card> = messages
            .iter()
            .filter_map(|m| match m {
                Message::Card(c) => Some(c),
                Message::Text(_) | Message::Markdown(_) => None,
            })
            .collect();
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].buttons.len(), CARD_BUTTONS);
        assert_eq!(cards[1].buttons.len(), 2);
        assert_ne!(cards[0].task_id, cards[1].task_id);
        assert_eq!(cards[0].title, "Pick a unit");
    }

    #[test]
    fn texts_are_plain_and_within_the_limit() {
        let html = format!("<b>A &amp; B</b>\n{}", "长".repeat(1000));
        let messages = texts(&html);
        assert!(messages.len() > 1);
        for m in &messages {
            let Message::Text(t) = m else { panic!() };
            assert!(t.len() <= CONTENT_LIMIT);
            assert!(!t.contains("<b>") && !t.contains("&amp;"));
        }
    }
}
