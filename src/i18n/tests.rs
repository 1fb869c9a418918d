//! The locale files against the code: same keys in both languages, every key the code uses
//! present, every notice the domain emits rendered with exactly its arguments, escaping.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::{Action, Draft, MergeTarget, Notice, decide, file};
use crate::domain::{
    Actor, Grant, GroupId, OrgId, PersonId, Rules, Scope, Suggestion, SuggestionId, SuggestionNo,
    UnitId,
};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The keys of each .ftl file of a locale: lines that start with an identifier and ` =`.
fn ftl_keys(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(ROOT).join("locales").join(lang.as_str());
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("locale dir") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_some_and(|e| e == "ftl") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let source = std::fs::read_to_string(&path).expect("read ftl");
            files.insert(
                name,
                source
                    .lines()
                    .filter_map(message_id)
                    .map(String::from)
                    .collect(),
            );
        }
    }
    files
}

fn message_id(line: &str) -> Option<&str> {
    let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))?;
    let id = &line[..end];
    (id.starts_with(|c: char| c.is_ascii_alphabetic()) && line[end..].starts_with(" ="))
        .then_some(id)
}

fn all_keys(lang: Lang) -> BTreeSet<String> {
    ftl_keys(lang).into_values().flatten().collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

const PREFIXES: [&str; 20] = [
    "error", "notice", "refusal", "state", "colour", "rating", "level", "role", "outcome",
    "category", "import", "invite", "cli", "report", "job", "bot", "outbox", "event", "chart",
    "poster",
];

/// String literals in the code that look like locale keys: `"<prefix>-[a-z0-9-]+"`.
fn keys_in_code() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    let mut keys = BTreeSet::new();
    for path in files {
        let source = std::fs::read_to_string(&path).expect("read source");
        for (start, _) in source.match_indices('"') {
            let rest = &source[start + 1..];
            let len = rest
                .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
                .unwrap_or(rest.len());
            let (word, after) = rest.split_at(len);
            let keyish = PREFIXES.iter().any(|p| {
                word.strip_prefix(p)
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(|r| !r.is_empty())
            });
            // A literal ending in '-' is a prefix the code builds keys from, not a key.
            if keyish && !word.ends_with('-') && after.starts_with('"') {
                keys.insert(word.to_string());
            }
        }
    }
    keys
}

fn assert_clean(key: &str, out: &str) {
    assert_ne!(out, key, "{key} did not render");
    assert!(!out.contains(['{', '}']), "{key} left a placeable: {out}");
    assert!(
        !out.contains(['\u{2068}', '\u{2069}']),
        "{key} has isolation marks: {out:?}"
    );
}

#[test]
fn both_locales_have_the_same_files_and_keys() {
    let zh = ftl_keys(Lang::ZhCn);
    let en = ftl_keys(Lang::EnUs);
    assert!(!zh.is_empty());
    assert_eq!(zh.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>());
    for (file, keys) in &zh {
        let other = &en[file];
        assert_eq!(
            keys.difference(other).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "only in zh-CN/{file}"
        );
        assert_eq!(
            other.difference(keys).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "only in en-US/{file}"
        );
    }
}

#[test]
fn every_key_in_the_code_exists_in_both_locales() {
    let used = keys_in_code();
    assert!(used.contains("notice-accepted") && used.contains("refusal-wrong-state"));
    for lang in Lang::ALL {
        let keys = all_keys(lang);
        let missing: Vec<_> = used.iter().filter(|k| !keys.contains(*k)).collect();
        assert!(missing.is_empty(), "missing in {lang}: {missing:?}");
    }
}

#[test]
fn every_domain_value_has_a_name() {
    for lang in Lang::ALL {
        let names = State::ALL
            .map(|s| (format!("state-{s}"), state_name(lang, s)))
            .into_iter()
            .chain(
                [Colour::Green, Colour::Yellow, Colour::Red]
                    .map(|c| (format!("colour-{}", c.as_str()), colour_name(lang, c))),
            )
            .chain(
                [Rating::Satisfied, Rating::Basic, Rating::Unsatisfied]
                    .map(|r| (format!("rating-{r}"), rating_name(lang, r))),
            )
            .chain(
                [Level::Town, Level::District, Level::Higher]
                    .map(|l| (format!("level-{l}"), level_name(lang, l))),
            )
            .chain(Role::ALL.map(|r| (format!("role-{r}"), role_name(lang, r))))
            .chain(
                [
                    Outcome::Rated,
                    Outcome::Explained,
                    Outcome::Unrated,
                    Outcome::Passed,
                ]
                .map(|o| (format!("outcome-{o}"), outcome_name(lang, o))),
            );
        for (key, name) in names {
            assert_clean(&key, &name);
            assert!(!name.is_empty(), "{key} is empty");
        }
        for code in [
            "economy",
            "governance",
            "public_affairs",
            "environment",
            "livelihood",
            "other",
        ] {
            let name = category_name(lang, code);
            assert_clean(code, &name);
            assert_eq!(name, text(lang, &format!("category-{code}"), &[]));
        }
        assert_eq!(category_name(lang, "<custom>"), "&lt;custom&gt;");
    }
    assert_eq!(state_name(Lang::ZhCn, State::Assigned), "已交办");
    assert_eq!(
        rating_name(Lang::EnUs, Rating::Basic),
        "basically satisfied"
    );
}

#[test]
fn every_refusal_renders_with_its_arguments() {
    let no = SuggestionNo::new(2026, 7);
    let refusals = State::ALL.map(Refusal::WrongState).into_iter().chain([
        Refusal::NotYourRole,
        Refusal::OutOfScope,
        Refusal::ReasonRequired,
        Refusal::TextRequired,
        Refusal::TitleRequired,
        Refusal::TitleTooLong { max: 200 },
        Refusal::TextTooLong { max: 20_000 },
        Refusal::DaysOutOfRange { max: 365 },
        Refusal::DuplicateUnit,
        Refusal::MergeIntoSelf,
        Refusal::MergeTargetNotOpen(no),
        Refusal::UnitOutOfScope,
        Refusal::UseTransfer,
        Refusal::AlreadyKey,
        Refusal::NotDue,
        Refusal::NoGroup,
        Refusal::UnknownCategory("<x>".into()),
    ]);
    for lang in Lang::ALL {
        for r in refusals.clone() {
            let out = refusal(lang, &r);
            assert_clean(r.key(), &out);
            for (_, value) in r.args().iter().filter(|(name, _)| *name != "state") {
                assert!(out.contains(&escape_html(value)), "{out} lacks {value}");
            }
        }
    }
    let wrong = Refusal::WrongState(State::Replied);
    assert!(refusal(Lang::ZhCn, &wrong).contains("「已答复」"));
    assert!(refusal(Lang::EnUs, &wrong).contains("state “replied”."));
    // A caller that passes the display name itself gets it shown as is.
    let shown = text(
        Lang::EnUs,
        "refusal-wrong-state",
        &[("state", "closed for good".into())],
    );
    assert!(shown.contains("state “closed for good”."));
}

/// Every notice the domain can emit, from filing through every transition.
fn domain_notices() -> Vec<Notice> {
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    let rules = Rules::default();
    let (group, org, unit) = (GroupId(1), OrgId(1), UnitId(1));
    let everyone = Actor::person(
        PersonId(1),
        [
            (Role::Deputy, Scope::Group(group)),
            (Role::Leader, Scope::Group(group)),
            (Role::Clerk, Scope::Org(org)),
            (Role::Chair, Scope::Org(org)),
            (Role::Unit, Scope::Unit(unit)),
        ]
        .map(|(role, scope)| Grant { role, scope })
        .into(),
    );
    let draft = Draft {
        title: "title".into(),
        body: "body".into(),
        category: "economy".into(),
        group: None,
        attachment: Default::default(),
    };
    let filing = file(
        &everyone,
        draft,
        |_| vec![org],
        now,
        &rules,
        &["economy".into()],
    )
    .expect("file");
    let base = Suggestion {
        id: SuggestionId(1),
        no: SuggestionNo::new(2026, 42),
        deputy: PersonId(1),
        group,
        title: "title".into(),
        body: "body".into(),
        category: "economy".into(),
        state: State::Submitted,
        level: None,
        lead_unit: Some(unit),
        co_units: Vec::new(),
        deadline: None,
        key: false,
        supervised: false,
        unsatisfied_count: 0,
        rating: None,
        outcome: None,
        merged_into: None,
        request: None,
        filed_at: now,
        orgs: vec![org],
    };
    let reason = || "reason".to_string();
    let cases = [
        (State::Submitted, 0, Action::Accept { level: None }),
        (
            State::Submitted,
            0,
            Action::Accept {
                level: Some(Level::District),
            },
        ),
        (
            State::Submitted,
            0,
            Action::Accept {
                level: Some(Level::Higher),
            },
        ),
        (State::Submitted, 0, Action::Return { reason: reason() }),
        (
            State::Returned,
            0,
            Action::Edit {
                title: "t".into(),
                body: "b".into(),
            },
        ),
        (State::Submitted, 0, Action::Withdraw),
        (
            State::Accepted,
            0,
            Action::Assign {
                lead: unit,
                co: vec![UnitId(2)],
                days: None,
                level: None,
            },
        ),
        (
            State::Accepted,
            0,
            Action::Extend {
                days: 5,
                reason: reason(),
            },
        ),
        (
            State::Assigned,
            0,
            Action::Extend {
                days: 5,
                reason: reason(),
            },
        ),
        (
            State::Accepted,
            0,
            Action::Merge {
                into: MergeTarget {
                    no: SuggestionNo::new(2026, 1),
                    state: State::Assigned,
                },
            },
        ),
        (State::Accepted, 0, Action::Transfer { reason: reason() }),
        (State::Accepted, 0, Action::Decline { reason: reason() }),
        (State::Assigned, 0, Action::Key),
        (
            State::Assigned,
            0,
            Action::Progress {
                text: "progress".into(),
            },
        ),
        (
            State::Assigned,
            0,
            Action::Reply {
                text: "reply".into(),
            },
        ),
        (
            State::Replied,
            0,
            Action::Rate {
                rating: Rating::Satisfied,
            },
        ),
        (
            State::Replied,
            0,
            Action::Rate {
                rating: Rating::Basic,
            },
        ),
        (
            State::Replied,
            0,
            Action::Rate {
                rating: Rating::Unsatisfied,
            },
        ),
        (
            State::Replied,
            1,
            Action::Rate {
                rating: Rating::Unsatisfied,
            },
        ),
        (
            State::Explaining,
            1,
            Action::Explain {
                text: "explanation".into(),
            },
        ),
        (State::Replied, 0, Action::AutoClose),
    ];
    let mut notices = filing.notices(SuggestionNo::new(2026, 1));
    for (state, unsatisfied_count, action) in cases {
        let current = Suggestion {
            state,
            unsatisfied_count,
            ..base.clone()
        };
        let actor = if action == Action::AutoClose {
            Actor::system()
        } else {
            everyone.clone()
        };
        let decision = decide(&current, &actor, action.clone(), now, &rules)
            .unwrap_or_else(|r| panic!("{action:?} from {state}: {r}"));
        notices.extend(decision.notices);
    }
    notices
}

#[test]
fn every_domain_notice_renders_with_exactly_its_arguments() {
    let notices = domain_notices();
    let keys: BTreeSet<_> = notices.iter().map(|n| n.key).collect();
    assert!(keys.len() >= 30, "only {} notice keys reached", keys.len());
    for notice in notices {
        // Storage adds the number and the title to every notice.
        let mut args = notice.args.clone();
        args.push(("no", "2026-0042".into()));
        args.push(("title", "Street lamps on Hexi Road".into()));
        for lang in Lang::ALL {
            let out = text(lang, notice.key, &args);
            assert_clean(notice.key, &out);
            assert!(out.contains("<b>2026-0042</b>"), "{}: {out}", notice.key);
            if notice.key.starts_with("notice-resident-") {
                assert!(
                    !out.contains("Hexi Road"),
                    "a resident's notice shows the title: {out}"
                );
            }
        }
    }
    let args = [
        ("no", "2026-0042".to_string()),
        ("title", "t".into()),
        ("deadline", "2026-03-05 23:59".into()),
        ("level", "district".into()),
    ];
    assert!(text(Lang::ZhCn, "notice-accepted-clerk", &args).contains("属区（县）级事项"));
    assert!(text(Lang::EnUs, "notice-accepted-clerk", &args).contains("district (county) level"));
    let closed = [
        ("no", "2026-0042".to_string()),
        ("title", "t".into()),
        ("rating", "basic".into()),
    ];
    assert!(text(Lang::ZhCn, "notice-closed", &closed).contains("「基本满意」"));
}

#[test]
fn arguments_are_escaped_and_the_templates_own_tags_stay() {
    let hostile = r#"<b>x</b> & <script>"quoted""#;
    let escaped = "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;&quot;quoted&quot;";
    assert_eq!(escape_html(hostile), escaped);
    for lang in Lang::ALL {
        let out = text(
            lang,
            "notice-progress",
            &[
                ("no", "2026-0042".into()),
                ("title", hostile.into()),
                ("text", hostile.into()),
            ],
        );
        assert_eq!(out.matches(escaped).count(), 2, "{out}");
        assert!(!out.contains("<script>") && !out.contains("<b>x"), "{out}");
        assert!(out.contains("<b>2026-0042</b>"), "{out}");
    }
    // The terminal gets the text as it is.
    let line = plain(
        Lang::EnUs,
        "import-bad-line",
        &[
            ("line", "3".into()),
            ("reason", r#"unknown role "x""#.into()),
        ],
    );
    assert_eq!(line, r#"line 3: unknown role "x""#);
}

#[test]
fn cli_messages_render() {
    let kinds = ["orgs", "groups", "units", "people"];
    for lang in Lang::ALL {
        for kind in kinds {
            let k = ("kind", kind.to_string());
            let n = |name: &'static str| (name, "3".to_string());
            for (key, args) in [
                (
                    "import-done",
                    vec![k.clone(), n("inserted"), n("updated"), n("unchanged")],
                ),
                ("import-unchanged", vec![k.clone(), n("count")]),
                ("import-failed", vec![k.clone(), n("count")]),
            ] {
                let out = plain(lang, key, &args);
                assert_clean(key, &out);
                assert!(!out.contains(kind), "{key} shows the machine word: {out}");
            }
        }
        let invite = [
            ("name", "王芳".to_string()),
            ("code", "D001".into()),
            ("link", "https://t.me/minyi_bot?start=inv_abc".into()),
        ];
        let out = text(lang, "invite-link", &invite);
        assert_clean("invite-link", &out);
        assert!(out.contains("https://t.me/minyi_bot?start=inv_abc") && out.contains("王芳"));
    }
    assert_eq!(
        plain(
            Lang::ZhCn,
            "import-done",
            &[
                ("kind", "units".into()),
                ("inserted", "2".into()),
                ("updated", "1".into()),
                ("unchanged", "0".into())
            ]
        ),
        "承办单位导入完成：新增 2 条，更新 1 条，无变化 0 条。"
    );
}

#[test]
fn a_missing_key_or_argument_returns_the_key() {
    assert_eq!(text(Lang::EnUs, "no-such-message", &[]), "no-such-message");
    assert_eq!(text(Lang::ZhCn, "import-bad-line", &[]), "import-bad-line");
}

#[test]
fn languages_parse_from_tags() {
    for tag in ["zh", "zh-CN", "zh-Hans", "ZH_tw", " zh-hant-HK "] {
        assert_eq!(Lang::parse(tag), Some(Lang::ZhCn), "{tag}");
    }
    for tag in ["en", "en-US", "en-GB", "EN"] {
        assert_eq!(Lang::parse(tag), Some(Lang::EnUs), "{tag}");
    }
    assert_eq!(Lang::parse("fr"), None);
    assert_eq!(Lang::parse(""), None);
    assert_eq!(Lang::default(), Lang::ZhCn);
    assert_eq!(Lang::EnUs.as_str(), "en-US");
}

#[test]
fn every_bot_command_has_a_description_and_usage() {
    for lang in Lang::ALL {
        let keys = all_keys(lang);
        for entry in crate::front::menu::MENU {
            for key in [
                format!("bot-cmd-{}", entry.name),
                format!("bot-usage-{}", entry.name),
            ] {
                assert!(keys.contains(&key), "{key} missing in {lang:?}");
            }
        }
    }
}

#[test]
fn every_event_kind_has_a_name() {
    for lang in Lang::ALL {
        let keys = all_keys(lang);
        for kind in crate::domain::EventKind::ALL {
            let key = format!("event-{}", kind.as_str());
            assert!(keys.contains(&key), "{key} missing in {lang:?}");
        }
    }
}

#[test]
fn html_reads_as_plain_text() {
    assert_eq!(
        super::html_to_plain("<b>2026-0001</b> &lt;x&gt; &amp;lt; <a href=\"u\">link</a>"),
        "2026-0001 <x> &lt; link"
    );
}
