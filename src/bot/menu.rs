//! The commands each role may use: `/help` lists them, `setMyCommands` puts them in
//! Telegram's menu (one list per language). Descriptions live in the locales as
//! `bot-cmd-<name>`, usage lines as `bot-usage-<name>`.

use teloxide::prelude::*;
use teloxide::types::BotCommand;

use crate::domain::Role;
use crate::i18n::{self, Lang};
use crate::storage::PersonCard;

use Role::*;

/// A command and who may use it (empty: everyone, residents included).
pub struct Entry {
    pub name: &'static str,
    pub roles: &'static [Role],
}

const OFFICE: &[Role] = &[Clerk, Secretary, Chair];

/// Every command, in the order `/help` lists them.
pub const MENU: &[Entry] = &[
    Entry {
        name: "start",
        roles: &[],
    },
    Entry {
        name: "help",
        roles: &[],
    },
    Entry {
        name: "lang",
        roles: &[],
    },
    Entry {
        name: "cancel",
        roles: &[],
    },
    Entry {
        name: "suggest",
        roles: &[Deputy],
    },
    Entry {
        name: "my",
        roles: &[Deputy],
    },
    Entry {
        name: "show",
        roles: &[Deputy, Leader, Clerk, Secretary, Chair, Unit, Admin],
    },
    Entry {
        name: "edit",
        roles: &[Deputy],
    },
    Entry {
        name: "withdraw",
        roles: &[Deputy],
    },
    Entry {
        name: "rate",
        roles: &[Deputy],
    },
    Entry {
        name: "inbox",
        roles: &[Deputy],
    },
    Entry {
        name: "adopt",
        roles: &[Deputy],
    },
    Entry {
        name: "review",
        roles: &[Leader],
    },
    Entry {
        name: "queue",
        roles: &[Leader, Clerk, Unit],
    },
    Entry {
        name: "assign",
        roles: &[Clerk],
    },
    Entry {
        name: "extend",
        roles: &[Clerk],
    },
    Entry {
        name: "merge",
        roles: &[Clerk],
    },
    Entry {
        name: "transfer",
        roles: &[Clerk],
    },
    Entry {
        name: "decline",
        roles: &[Clerk, Deputy],
    },
    Entry {
        name: "key",
        roles: &[Clerk, Chair],
    },
    Entry {
        name: "progress",
        roles: &[Unit],
    },
    Entry {
        name: "reply",
        roles: &[Unit],
    },
    Entry {
        name: "explain",
        roles: &[Unit],
    },
    Entry {
        name: "overdue",
        roles: OFFICE,
    },
    Entry {
        name: "stats",
        roles: OFFICE,
    },
    Entry {
        name: "bind",
        roles: &[Admin, Clerk],
    },
    Entry {
        name: "invite",
        roles: &[Admin, Clerk],
    },
];

/// The commands this person may use; `None` is a resident.
pub fn for_person(person: Option<&PersonCard>) -> impl Iterator<Item = &'static Entry> + '_ {
    MENU.iter().filter(move |e| {
        e.roles.is_empty() || person.is_some_and(|p| e.roles.iter().any(|r| p.has(*r)))
    })
}

/// `/help`: the person's commands with their descriptions.
pub fn help(lang: Lang, person: Option<&PersonCard>) -> String {
    let mut text = match person {
        Some(p) => {
            let roles: Vec<String> = p
                .roles
                .iter()
                .map(|(r, _)| i18n::role_name(lang, *r))
                .collect();
            let mut roles_unique = roles.clone();
            roles_unique.dedup();
            i18n::text(
                lang,
                "bot-help-person",
                &[("name", p.name.clone()), ("roles", roles_unique.join(", "))],
            )
        }
        None => i18n::text(lang, "bot-help-resident", &[]),
    };
    for entry in for_person(person) {
        text.push('\n');
        text.push_str(&usage(lang, entry.name));
        text.push_str(" — ");
        text.push_str(&description(lang, entry.name));
    }
    text
}

pub fn description(lang: Lang, name: &str) -> String {
    i18n::text(lang, &format!("bot-cmd-{name}"), &[])
}

/// The command's usage line, e.g. `/rate &lt;no&gt; satisfied|basic|unsatisfied`.
pub fn usage(lang: Lang, name: &str) -> String {
    i18n::escape_html(&i18n::plain(lang, &format!("bot-usage-{name}"), &[]))
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PersonId;

    fn card(roles: &[Role]) -> PersonCard {
        PersonCard {
            id: PersonId(1),
            code: "P1".into(),
            name: "Li".into(),
            roles: roles.iter().map(|r| (*r, "G01".to_string())).collect(),
        }
    }

    #[test]
    fn residents_see_only_the_common_commands() {
        let names: Vec<_> = for_person(None).map(|e| e.name).collect();
        assert_eq!(names, ["start", "help", "lang", "cancel"]);
    }

    #[test]
    fn each_role_sees_its_own_commands() {
        let deputy = card(&[Deputy]);
        let names: Vec<_> = for_person(Some(&deputy)).map(|e| e.name).collect();
        assert!(names.contains(&"suggest") && names.contains(&"rate"));
        assert!(!names.contains(&"assign") && !names.contains(&"review"));
        let clerk = card(&[Clerk]);
        let names: Vec<_> = for_person(Some(&clerk)).map(|e| e.name).collect();
        assert!(names.contains(&"assign") && names.contains(&"overdue"));
        assert!(!names.contains(&"suggest"));
    }

    #[test]
    fn help_lists_every_role_of_a_person() {
        let text = help(Lang::EnUs, Some(&card(&[Deputy, Leader])));
        assert!(
            text.contains("/review") && text.contains("/suggest"),
            "{text}"
        );
    }
}
