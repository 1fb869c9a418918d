//! Refusals of bad arguments by someone who may act in the right state.

use super::*;
use State::*;
use Who::*;

const BLANKS: [&str; 4] = ["", " ", "   ", "\n\t "];

/// Who may take an action with some text, from which state: (state, who, the action).
type WithText = (State, Who, fn(String) -> Action);

#[test]
fn reasons_are_required() {
    let too_long = "x".repeat(20_001);
    let cases: [WithText; 4] = [
        (Submitted, Leader1, |reason| Action::Return { reason }),
        (Accepted, ClerkT1, |reason| Action::Transfer { reason }),
        (Accepted, ClerkC, |reason| Action::Decline { reason }),
        (Assigned, ClerkT1, |reason| Action::Extend {
            days: 5,
            reason,
        }),
    ];
    for (state, who, action) in cases {
        let s = suggestion(state);
        for blank in BLANKS {
            assert_eq!(
                refused(&s, who, action(text(blank)), now()),
                Refusal::ReasonRequired,
                "{:?} with {blank:?}",
                action(text(blank))
            );
        }
        assert_eq!(
            refused(&s, who, action(too_long.clone()), now()),
            Refusal::TextTooLong { max: 20_000 }
        );
        // The reason is kept trimmed, on the event.
        let d = ok(&s, who, action(text("  a reason \n")), now());
        let logged = d.event.text.expect("the reason is logged");
        assert!(logged.ends_with("a reason"), "{logged:?}");
    }
}

#[test]
fn texts_are_required() {
    let too_long = "字".repeat(20_001);
    let fits = "字".repeat(20_000);
    let cases: [WithText; 3] = [
        (Assigned, CoUnit, |text| Action::Progress { text }),
        (Assigned, LeadUnit, |text| Action::Reply { text }),
        (Explaining, LeadUnit, |text| Action::Explain { text }),
    ];
    for (state, who, action) in cases {
        let s = suggestion(state);
        for blank in BLANKS {
            assert_eq!(
                refused(&s, who, action(text(blank)), now()),
                Refusal::TextRequired,
                "{:?}",
                action(text(blank))
            );
        }
        assert_eq!(
            refused(&s, who, action(too_long.clone()), now()),
            Refusal::TextTooLong { max: 20_000 }
        );
        let d = ok(&s, who, action(fits.clone()), now());
        assert_eq!(d.event.text.as_deref(), Some(fits.as_str()));
    }
}

#[test]
fn an_edit_needs_a_title() {
    let s = suggestion(Returned);
    let edit = |title: &str| Action::Edit {
        title: text(title),
        body: text("body"),
    };
    for blank in BLANKS {
        assert_eq!(
            refused(&s, Filer, edit(blank), now()),
            Refusal::TitleRequired
        );
    }
    assert_eq!(
        refused(&s, Filer, edit(&"t".repeat(201)), now()),
        Refusal::TitleTooLong { max: 200 }
    );
    assert!(run(&s, Filer, edit(&"t".repeat(200)), now()).is_ok());
    let long_body = Action::Edit {
        title: text("title"),
        body: "b".repeat(20_001),
    };
    assert_eq!(
        refused(&s, Filer, long_body, now()),
        Refusal::TextTooLong { max: 20_000 }
    );
}

#[test]
fn assign_names_each_unit_once() {
    let s = unassigned(Accepted);
    let cases: [(UnitId, &[UnitId]); 4] = [
        (U1, &[U1]),
        (U1, &[U2, U1]),
        (U1, &[U2, U2]),
        (U2, &[U3, U1, U3]),
    ];
    for (lead, co) in cases {
        assert_eq!(
            refused(&s, ClerkT1, assign(lead, co), now()),
            Refusal::DuplicateUnit,
            "{lead:?} + {co:?}"
        );
    }
}

#[test]
fn a_higher_level_matter_is_transferred_not_assigned() {
    let s = unassigned(Accepted);
    let action = Action::Assign {
        lead: U1,
        co: Vec::new(),
        days: None,
        level: Some(Level::Higher),
    };
    assert_eq!(refused(&s, ClerkT1, action, now()), Refusal::UseTransfer);
}

#[test]
fn units_are_assigned_within_the_clerks_org() {
    let town_clerk = Actor::person(
        PersonId(50),
        vec![Grant {
            role: Role::Clerk,
            scope: Scope::Org(T1),
        }],
    );
    let county_clerk = Actor::person(
        PersonId(51),
        vec![Grant {
            role: Role::Clerk,
            scope: Scope::Org(C),
        }],
    );
    let suggestion_orgs = [T1, C];
    // A town unit (under T1) and a county unit (under C only).
    let (town_unit, county_unit) = ([T1, C], [C]);
    assert!(may_assign_to(&town_clerk, &suggestion_orgs, &town_unit));
    assert!(!may_assign_to(&town_clerk, &suggestion_orgs, &county_unit));
    assert!(may_assign_to(&county_clerk, &suggestion_orgs, &town_unit));
    assert!(may_assign_to(&county_clerk, &suggestion_orgs, &county_unit));
    // Not for a suggestion outside the clerk's org, and not for anyone but a clerk.
    assert!(!may_assign_to(&town_clerk, &[T2, C], &[T1, C]));
    let chair = Actor::person(
        PersonId(52),
        vec![Grant {
            role: Role::Chair,
            scope: Scope::Org(C),
        }],
    );
    assert!(!may_assign_to(&chair, &suggestion_orgs, &county_unit));
}

#[test]
fn merge_needs_another_open_target() {
    let s = suggestion(Accepted);
    assert_eq!(
        refused(&s, ClerkT1, merge_into(NO, Accepted), now()),
        Refusal::MergeIntoSelf
    );
    for state in State::ALL {
        let got = run(&s, ClerkT1, merge_into(OTHER_NO, state), now());
        let open = matches!(state, Accepted | Assigned | Replied | Explaining);
        if !open {
            assert_eq!(
                got.unwrap_err(),
                Refusal::MergeTargetNotOpen(OTHER_NO),
                "{state}"
            );
        } else {
            assert_eq!(got.unwrap().next.merged_into, Some(OTHER_NO), "{state}");
        }
    }
}

#[test]
fn key_only_once() {
    for state in [Accepted, Assigned, Replied, Explaining] {
        let keyed = ok(&suggestion(state), ClerkT1, Action::Key, now()).next;
        assert!(keyed.key);
        for who in [ClerkT1, ClerkC, Chair] {
            assert_eq!(
                refused(&keyed, who, Action::Key, now()),
                Refusal::AlreadyKey
            );
        }
    }
}

/// Refusals render through locale keys and carry their arguments.
#[test]
fn refusals_have_keys_and_arguments() {
    let cases = [
        (Refusal::NotYourRole, "refusal-not-your-role", vec![]),
        (Refusal::OutOfScope, "refusal-out-of-scope", vec![]),
        (
            Refusal::WrongState(Replied),
            "refusal-wrong-state",
            vec![("state", text("replied"))],
        ),
        (
            Refusal::TitleTooLong { max: 200 },
            "refusal-title-too-long",
            vec![("max", text("200"))],
        ),
        (
            Refusal::DaysOutOfRange { max: 365 },
            "refusal-days-out-of-range",
            vec![("max", text("365"))],
        ),
        (
            Refusal::MergeTargetNotOpen(OTHER_NO),
            "refusal-merge-target-not-open",
            vec![("no", text("2026-0043"))],
        ),
        (
            Refusal::UnknownCategory(text("sports")),
            "refusal-unknown-category",
            vec![("category", text("sports"))],
        ),
        (Refusal::NotDue, "refusal-not-due", vec![]),
        (Refusal::NoGroup, "refusal-no-group", vec![]),
    ];
    for (refusal, key, args) in cases {
        assert_eq!(refusal.key(), key);
        assert_eq!(refusal.args(), args, "{refusal:?}");
    }
}
