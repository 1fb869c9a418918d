//! 提交: who may file where, and what filing checks and decides.

use super::*;
use Who::*;

/// A deputy of both G1 and G2.
fn two_group_deputy() -> Actor {
    Actor::person(
        PersonId(14),
        vec![
            grant(Role::Deputy, Scope::Group(G1)),
            grant(Role::Deputy, Scope::Group(G2)),
        ],
    )
}

#[test]
fn who_may_file_where() {
    // (who, the group named in the draft, the group filed in or the refusal)
    let cases: &[(Who, Option<GroupId>, Result<GroupId, Refusal>)] = &[
        (Filer, None, Ok(G1)),
        (Filer, Some(G1), Ok(G1)),
        (Peer, None, Ok(G1)),
        (Leader1, None, Ok(G1)),
        (Leader2, None, Ok(G2)),
        (Leader2, Some(G2), Ok(G2)),
        // A deputy filing in a group they do not belong to.
        (Filer, Some(G2), Err(Refusal::NoGroup)),
        (Leader2, Some(G1), Err(Refusal::NoGroup)),
        // Nobody but a deputy files, wherever.
        (ClerkT1, None, Err(Refusal::NotYourRole)),
        (ClerkT1, Some(G1), Err(Refusal::NotYourRole)),
        (ClerkC, Some(G1), Err(Refusal::NotYourRole)),
        (Secretary, None, Err(Refusal::NotYourRole)),
        (Chair, Some(G1), Err(Refusal::NotYourRole)),
        (LeadUnit, None, Err(Refusal::NotYourRole)),
        (Admin, Some(G1), Err(Refusal::NotYourRole)),
        (Resident, None, Err(Refusal::NotYourRole)),
        (Resident, Some(G1), Err(Refusal::NotYourRole)),
        (System, None, Err(Refusal::NotYourRole)),
        (System, Some(G1), Err(Refusal::NotYourRole)),
    ];
    for (who, group, want) in cases {
        let got = file_as(&who.actor(), draft(*group), now()).map(|f| f.group);
        assert_eq!(&got, want, "{who:?} filing in {group:?}");
    }
}

/// A leader grant alone (without the deputy grant) does not make a deputy.
#[test]
fn a_leader_without_a_deputy_grant_may_not_file() {
    let leader_only = Actor::person(PersonId(15), vec![grant(Role::Leader, Scope::Group(G1))]);
    for group in [None, Some(G1)] {
        assert_eq!(
            file_as(&leader_only, draft(group), now()),
            Err(Refusal::NotYourRole)
        );
    }
}

/// A deputy of two groups must say which one; either of theirs is fine.
#[test]
fn a_deputy_of_two_groups_names_the_group() {
    let deputy = two_group_deputy();
    assert_eq!(file_as(&deputy, draft(None), now()), Err(Refusal::NoGroup));
    for group in [G1, G2] {
        assert_eq!(
            file_as(&deputy, draft(Some(group)), now()).map(|f| f.group),
            Ok(group)
        );
    }
}

#[test]
fn filing_checks_title_and_category() {
    let deputy = Filer.actor();
    let long = "路".repeat(201);
    let just_fits = "路".repeat(200);
    // (title, category, the refusal if any)
    let cases: &[(&str, &str, Option<Refusal>)] = &[
        ("", "governance", Some(Refusal::TitleRequired)),
        ("   \n ", "governance", Some(Refusal::TitleRequired)),
        (
            &long,
            "governance",
            Some(Refusal::TitleTooLong { max: 200 }),
        ),
        (&just_fits, "governance", None),
        (
            "Lamps",
            "sports",
            Some(Refusal::UnknownCategory("sports".into())),
        ),
        ("Lamps", "", Some(Refusal::UnknownCategory(String::new()))),
        (
            "Lamps",
            "Economy",
            Some(Refusal::UnknownCategory("Economy".into())),
        ),
        ("Lamps", " economy ", None),
        ("Lamps", "other", None),
    ];
    for (title, category, want) in cases {
        let d = Draft {
            title: title.to_string(),
            category: category.to_string(),
            ..draft(None)
        };
        let got = file_as(&deputy, d, now());
        match want {
            Some(refusal) => assert_eq!(got.unwrap_err(), *refusal, "{title:?} / {category:?}"),
            None => {
                let f = got.unwrap_or_else(|r| panic!("{title:?} / {category:?}: {r:?}"));
                assert_eq!(f.category, category.trim());
                assert_eq!(f.title, title.trim());
            }
        }
    }
    // The body may be empty but not endless.
    let empty_body = Draft {
        body: String::new(),
        ..draft(None)
    };
    assert!(file_as(&deputy, empty_body, now()).is_ok());
    let long_body = Draft {
        body: "x".repeat(20_001),
        ..draft(None)
    };
    assert_eq!(
        file_as(&deputy, long_body, now()),
        Err(Refusal::TextTooLong { max: 20_000 })
    );
}

#[test]
fn filing_decides_the_first_event_and_notices() {
    let at = local(2026, 1, 30, 10, 0, 0);
    let d = Draft {
        title: "  Lamps on Elm Road ".into(),
        body: " Eight are out. ".into(),
        ..draft(None)
    };
    let f = file_as(&Filer.actor(), d, at).unwrap();
    assert_eq!(f.title, "Lamps on Elm Road");
    assert_eq!(f.body, "Eight are out.");
    assert_eq!(f.deadline, end_of(2026, 2, 2));
    assert_eq!(
        f.event,
        Event {
            kind: EventKind::Filed,
            from: None,
            to: State::Submitted,
            text: None,
        }
    );
    let no = SuggestionNo::new(2026, 42);
    assert_eq!(
        f.notices(no),
        vec![
            Notice {
                to: Audience::Leaders,
                key: "notice-filed-leader",
                args: vec![("deadline", "2026-02-02 23:59".to_string())],
                ask: Some(Ask::Review(no)),
            },
            Notice {
                to: Audience::GroupChat,
                key: "notice-filed-group",
                args: vec![],
                ask: None,
            },
        ]
    );
}
