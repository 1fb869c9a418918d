//! `minyi wecom …`: what an operator does once for the WeCom app.

use std::process::ExitCode;

use clap::Subcommand;

use super::operator_error::OperatorError;
use crate::config::Config;
use crate::i18n;
use crate::wecom::client::Client;
use crate::wecom::menu::app_menu;

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Set the app's menu in WeCom (提建议, 我的建议, 待办, 超期, 统计); each click is the
    /// same as typing its command.
    Menu,
}

pub async fn run(config: &Config, action: Action) -> anyhow::Result<ExitCode> {
    let lang = config.default_lang;
    let Some(wecom) = &config.wecom else {
        return Err(OperatorError::new("cli-wecom-missing", Vec::new()).into());
    };
    match action {
        Action::Menu => {
            let client = Client::new(wecom);
            client
                .set_menu(&app_menu(lang))
                .await
                .map_err(|e| OperatorError::because("cli-wecom-refused", e))?;
            let args = [("agent", wecom.agent_id.to_string())];
            println!("{}", i18n::plain(lang, "cli-wecom-menu-set", &args));
            Ok(ExitCode::SUCCESS)
        }
    }
}
