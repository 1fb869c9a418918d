//! The front's rows of buttons ([`crate::front::Rows`]) as Telegram's inline keyboard.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::front::press::Press;

/// Inline keyboard rows; a button whose data would not fit is left out.
pub fn markup(rows: &[Vec<(String, Press)>]) -> Option<InlineKeyboardMarkup> {
    let rows: Vec<Vec<InlineKeyboardButton>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .filter_map(|(label, press)| {
                    press
                        .data()
                        .map(|d| InlineKeyboardButton::callback(label.clone(), d))
                })
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect();
    (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Ask;
    use crate::front::buttons::for_ask;
    use crate::i18n::Lang;

    #[test]
    fn every_ask_becomes_a_keyboard_with_all_its_buttons() {
        for ask in Ask::samples() {
            for lang in [Lang::ZhCn, Lang::EnUs] {
                let rows = for_ask(ask, lang);
                let markup = markup(&rows).expect("buttons");
                assert_eq!(markup.inline_keyboard.concat().len(), rows.concat().len());
            }
        }
    }
}
