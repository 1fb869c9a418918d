//! The app's custom menu in WeCom (`minyi wecom menu`): 提建议, 我的建议, and under 办理 the
//! lists 待办, 超期 and 统计. A click arrives as an event whose key is a command's name, so a
//! menu click is the same request as typing the command.

use serde_json::{Value, json};

use crate::i18n::{self, Lang};

/// The commands the menu offers, in its order: the first two at the top, the rest under one
/// submenu (WeCom allows three top buttons and five under each).
pub const TOP: [&str; 2] = ["suggest", "my"];
pub const UNDER_WORK: [&str; 3] = ["queue", "overdue", "stats"];

/// The body of `menu/create`, its names in the office's language.
pub fn app_menu(lang: Lang) -> Value {
    let click = |key: &str| {
        json!({
            "type": "click",
            "name": i18n::plain(lang, &format!("wecom-menu-{key}"), &[]),
            "key": key,
        })
    };
    let mut buttons: Vec<Value> = TOP.iter().map(|key| click(key)).collect();
    buttons.push(json!({
        "name": i18n::plain(lang, "wecom-menu-work", &[]),
        "sub_button": UNDER_WORK.iter().map(|key| click(key)).collect::<Vec<_>>(),
    }));
    json!({ "button": buttons })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::command::{BadCommand, parse};

    #[test]
    fn every_menu_key_is_a_command_and_every_name_is_short() {
        for lang in [Lang::ZhCn, Lang::EnUs] {
            let menu = app_menu(lang);
            let top = menu["button"].as_array().unwrap();
            assert_eq!(top.len(), 3);
            let clicks: Vec<&Value> = top
                .iter()
                .flat_map(|b| match b["sub_button"].as_array() {
                    Some(sub) => sub.iter().collect(),
                    None => vec![b],
                })
                .collect();
            assert_eq!(clicks.len(), 5);
            for click in clicks {
                let key = click["key"].as_str().unwrap();
                let parsed = parse(&format!("/{key}"), "");
                assert!(!matches!(parsed, Err(BadCommand::Unknown { .. })), "{key}");
                // WeCom: a top button's name at most 16 bytes, a sub button's 40.
                let name = click["name"].as_str().unwrap();
                assert!(!name.is_empty() && name.len() <= 16, "{name}");
            }
        }
    }
}
