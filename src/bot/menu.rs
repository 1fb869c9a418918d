//! Telegram's command menu, from the front's list of commands.

use teloxide::prelude::*;
use teloxide::types::{BotCommand, MenuButton, WebAppInfo};

use crate::front::menu::MENU;
use crate::i18n::{self, Lang};

/// Telegram's command menu, one list per language; a person's own commands come from /help.
pub async fn set_commands(bot: &Bot) -> Result<(), teloxide::RequestError> {
    for (lang, code) in [(Lang::ZhCn, "zh"), (Lang::EnUs, "en")] {
        let commands: Vec<BotCommand> = MENU
            .iter()
            .map(|e| {
                BotCommand::new(
                    e.name,
                    i18n::plain(lang, &format!("bot-cmd-{}", e.name), &[]),
                )
            })
            .collect();
        bot.set_my_commands(commands.clone())
            .language_code(code)
            .await?;
        if lang == Lang::ZhCn {
            // Without a language: what clients in other languages see.
            bot.set_my_commands(commands).await?;
        }
    }
    Ok(())
}

/// The menu button of every private chat with the bot: it opens the board as a Mini App at
/// `mini_app` ([`crate::config::Web::mini_app`]), named in the deployment's language.
pub async fn set_board_button(
    bot: &Bot,
    mini_app: &str,
    lang: Lang,
) -> Result<(), teloxide::RequestError> {
    let Ok(url) = reqwest::Url::parse(mini_app) else {
        return Ok(());
    };
    let text = i18n::plain(lang, "bot-board-button", &[]);
    bot.set_chat_menu_button()
        .menu_button(MenuButton::WebApp {
            text,
            web_app: WebAppInfo { url },
        })
        .await?;
    Ok(())
}
