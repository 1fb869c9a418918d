//! The commands each role may use: `/help` lists them, `setMyCommands` puts them in
//! Telegram's menu (one list per language). Descriptions live in the locales as
//! `bot-cmd-<name>`, usage lines as `bot-usage-<name>`.

use crate::domain::permissions::{REQUEST_ROLES, roles_for};
use crate::domain::{ActionKind, Role};
use crate::i18n::{self, Lang};
use crate::storage::PersonCard;

use Role::*;

/// A command and who may use it.
pub struct Entry {
    pub name: &'static str,
    pub may: MayUse,
}

/// Who a command is listed for.
pub enum MayUse {
    /// Everyone, residents included.
    Everyone,
    /// Every roster person, whatever their roles.
    People,
    /// The roles the permission table gives this action: the table decides, once.
    Action(ActionKind),
    /// Commands that are not one action of the table (lists, residents' requests).
    Roles(&'static [Role]),
}

impl MayUse {
    /// Whether the command is for this person (`None`: a resident).
    fn includes(&self, person: Option<&PersonCard>) -> bool {
        let has = |role: Role| person.is_some_and(|p| p.has(role));
        match self {
            MayUse::Everyone => true,
            MayUse::People => person.is_some(),
            MayUse::Action(kind) => roles_for(*kind).any(has),
            MayUse::Roles(roles) => roles.iter().copied().any(has),
        }
    }
}

/// Every command, in the order `/help` lists them.
pub const MENU: &[Entry] = &[
    Entry {
        name: "start",
        may: MayUse::Everyone,
    },
    Entry {
        name: "help",
        may: MayUse::Everyone,
    },
    Entry {
        name: "lang",
        may: MayUse::Everyone,
    },
    Entry {
        name: "cancel",
        may: MayUse::Everyone,
    },
    Entry {
        name: "channel",
        may: MayUse::People,
    },
    Entry {
        name: "web",
        may: MayUse::People,
    },
    Entry {
        name: "suggest",
        may: MayUse::Action(ActionKind::File),
    },
    Entry {
        name: "my",
        may: MayUse::Roles(&[Deputy]),
    },
    Entry {
        name: "show",
        may: MayUse::Action(ActionKind::See),
    },
    Entry {
        name: "edit",
        may: MayUse::Action(ActionKind::Edit),
    },
    Entry {
        name: "withdraw",
        may: MayUse::Action(ActionKind::Withdraw),
    },
    Entry {
        name: "rate",
        may: MayUse::Action(ActionKind::Rate),
    },
    Entry {
        name: "inbox",
        may: MayUse::Roles(&REQUEST_ROLES),
    },
    Entry {
        name: "adopt",
        // Adopting files the request as the adopter's own suggestion.
        may: MayUse::Action(ActionKind::File),
    },
    Entry {
        name: "review",
        may: MayUse::Action(ActionKind::Review),
    },
    Entry {
        name: "queue",
        may: MayUse::Roles(&[Leader, Clerk, Unit]),
    },
    Entry {
        name: "assign",
        may: MayUse::Action(ActionKind::Assign),
    },
    Entry {
        name: "extend",
        may: MayUse::Action(ActionKind::Extend),
    },
    Entry {
        name: "merge",
        may: MayUse::Action(ActionKind::Merge),
    },
    Entry {
        name: "transfer",
        may: MayUse::Action(ActionKind::Transfer),
    },
    Entry {
        name: "decline",
        // A clerk declines suggestions, the addressees of a resident's request decline it.
        may: MayUse::Roles(&[Clerk, Deputy, Leader]),
    },
    Entry {
        name: "key",
        may: MayUse::Action(ActionKind::Key),
    },
    Entry {
        name: "vote",
        may: MayUse::Action(ActionKind::Vote),
    },
    Entry {
        name: "record",
        may: MayUse::Action(ActionKind::Record),
    },
    Entry {
        name: "received",
        may: MayUse::Action(ActionKind::Receive),
    },
    Entry {
        name: "voters",
        may: MayUse::Action(ActionKind::ReportToVoters),
    },
    Entry {
        name: "progress",
        may: MayUse::Action(ActionKind::Progress),
    },
    Entry {
        name: "reply",
        may: MayUse::Action(ActionKind::Reply),
    },
    Entry {
        name: "explain",
        may: MayUse::Action(ActionKind::Explain),
    },
    Entry {
        name: "overdue",
        may: MayUse::Action(ActionKind::Supervise),
    },
    Entry {
        name: "stats",
        may: MayUse::Action(ActionKind::Supervise),
    },
    Entry {
        name: "bind",
        may: MayUse::Action(ActionKind::Bind),
    },
    Entry {
        name: "invite",
        may: MayUse::Action(ActionKind::Invite),
    },
];

/// The commands this person may use; `None` is a resident.
pub fn for_person(person: Option<&PersonCard>) -> impl Iterator<Item = &'static Entry> + '_ {
    MENU.iter().filter(move |e| e.may.includes(person))
}

/// `/help`: the person's commands with their descriptions.
pub fn help(lang: Lang, person: Option<&PersonCard>) -> String {
    let mut text = match person {
        Some(p) => {
            let mut roles: Vec<String> = Vec::new();
            for (role, _) in &p.roles {
                let name = i18n::role_name(lang, *role);
                if !roles.contains(&name) {
                    roles.push(name);
                }
            }
            i18n::text(
                lang,
                "bot-help-person",
                &[("name", p.name.clone()), ("roles", roles.join(", "))],
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
        // An admin supervises (the table says so): /overdue and /stats are listed.
        let admin = card(&[Admin]);
        let names: Vec<_> = for_person(Some(&admin)).map(|e| e.name).collect();
        assert!(names.contains(&"overdue") && names.contains(&"bind"));
        assert!(!names.contains(&"assign"));
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
