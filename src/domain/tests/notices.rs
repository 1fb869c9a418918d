//! Who hears of each decision, under which locale key (PRODUCT.md §1 "receives", §6).

use super::*;
use crate::domain::permissions::{PERMISSIONS, Reach};
use Audience::*;
use State::*;
use Who::{Chair, ClerkC, ClerkT1, CoUnit, Filer, LeadUnit, Leader1, System};

fn audiences(d: &Decision) -> Vec<Audience> {
    d.notices.iter().map(|n| n.to).collect()
}

fn keys(d: &Decision) -> Vec<(Audience, &'static str)> {
    d.notices.iter().map(|n| (n.to, n.key)).collect()
}

fn args_of(d: &Decision, to: Audience) -> Vec<(&'static str, String)> {
    d.notices
        .iter()
        .find(|n| n.to == to)
        .unwrap_or_else(|| panic!("no notice to {to:?}"))
        .args
        .clone()
}

fn at() -> chrono::DateTime<chrono::Utc> {
    local(2026, 1, 30, 10, 0, 0)
}

/// Every decision that changes the state, as (name, start, who, action).
fn status_changes() -> Vec<(&'static str, Suggestion, Who, Action)> {
    vec![
        (
            "accept",
            unassigned(Submitted),
            Leader1,
            Action::Accept { level: None },
        ),
        (
            "return",
            unassigned(Submitted),
            Leader1,
            Action::Return {
                reason: text("vague"),
            },
        ),
        (
            "resubmit",
            unassigned(Returned),
            Filer,
            Action::Edit {
                title: text("t"),
                body: text("b"),
            },
        ),
        ("withdraw", unassigned(Submitted), Filer, Action::Withdraw),
        ("assign", unassigned(Accepted), ClerkT1, assign(U1, &[])),
        (
            "merge",
            unassigned(Accepted),
            ClerkT1,
            merge_into(OTHER_NO, Assigned),
        ),
        (
            "transfer",
            unassigned(Accepted),
            ClerkT1,
            Action::Transfer {
                reason: text("city road"),
            },
        ),
        (
            "decline",
            unassigned(Accepted),
            ClerkT1,
            Action::Decline {
                reason: text("planned"),
            },
        ),
        (
            "reply",
            suggestion(Assigned),
            LeadUnit,
            Action::Reply { text: text("done") },
        ),
        (
            "rate satisfied",
            suggestion(Replied),
            Filer,
            Action::Rate {
                rating: Rating::Satisfied,
            },
        ),
        (
            "rate basic",
            suggestion(Replied),
            Filer,
            Action::Rate {
                rating: Rating::Basic,
            },
        ),
        (
            "rate unsatisfied",
            suggestion(Replied),
            Filer,
            Action::Rate {
                rating: Rating::Unsatisfied,
            },
        ),
        (
            "rate unsatisfied again",
            Suggestion {
                unsatisfied_count: 1,
                supervised: true,
                ..suggestion(Replied)
            },
            Filer,
            Action::Rate {
                rating: Rating::Unsatisfied,
            },
        ),
        (
            "explain",
            suggestion(Explaining),
            LeadUnit,
            Action::Explain { text: text("2027") },
        ),
        ("auto-close", suggestion(Replied), System, Action::AutoClose),
    ]
}

/// Every status change reaches the group's chats, and the deputy privately, except where the
/// deputy is the one who moved it back into the leader's hands (resubmit, withdraw): the
/// group and the leaders hear of those instead; and a rating, which the deputy gave: their
/// own answer tells them what follows, in their words.
#[test]
fn every_status_change_reaches_the_deputy_and_the_group() {
    for (name, s, who, action) in status_changes() {
        let d = ok(&s, who, action, now());
        assert_ne!(d.next.state, s.state, "{name} changes the state");
        let to = audiences(&d);
        assert!(to.contains(&GroupChat), "{name}: {to:?}");
        if matches!(name, "resubmit" | "withdraw") {
            assert!(to.contains(&Leaders), "{name}: {to:?}");
        } else if name.starts_with("rate") {
            assert!(!to.contains(&Deputy), "{name}: {to:?}");
        } else {
            assert!(to.contains(&Deputy), "{name}: {to:?}");
        }
    }
}

/// What is not a status change tells the deputy (and the units, once they have it).
#[test]
fn updates_without_a_status_change() {
    let progress = ok(
        &suggestion(Assigned),
        CoUnit,
        Action::Progress {
            text: text("lamps ordered"),
        },
        at(),
    );
    assert_eq!(keys(&progress), [(Deputy, "notice-progress")]);
    assert_eq!(progress.notices[0].args, [("text", text("lamps ordered"))]);

    let extend = |s: &Suggestion| {
        ok(
            s,
            ClerkT1,
            Action::Extend {
                days: 3,
                reason: text("late"),
            },
            at(),
        )
    };
    let accepted = extend(&unassigned(Accepted));
    assert_eq!(keys(&accepted), [(Deputy, "notice-extended")]);
    assert_eq!(
        accepted.notices[0].args,
        [
            ("deadline", text("2026-03-04 23:59")),
            ("reason", text("late"))
        ]
    );
    for state in [Assigned, Explaining] {
        let d = extend(&suggestion(state));
        assert_eq!(
            keys(&d),
            [(Deputy, "notice-extended"), (Units, "notice-extended")]
        );
    }

    let key_before_assignment = ok(&unassigned(Accepted), Chair, Action::Key, at());
    assert_eq!(
        keys(&key_before_assignment),
        [(Deputy, "notice-key"), (Chairs, "notice-key")]
    );
    let key_assigned = ok(&suggestion(Assigned), ClerkC, Action::Key, at());
    assert_eq!(
        keys(&key_assigned),
        [
            (Deputy, "notice-key"),
            (Chairs, "notice-key"),
            (Units, "notice-key")
        ]
    );
}

#[test]
fn accept_tells_the_deputy_the_group_and_the_clerks() {
    let d = ok(
        &unassigned(Submitted),
        Leader1,
        Action::Accept {
            level: Some(Level::District),
        },
        at(),
    );
    assert_eq!(
        keys(&d),
        [
            (Deputy, "notice-accepted"),
            (GroupChat, "notice-accepted"),
            (Clerks, "notice-accepted-clerk"),
        ]
    );
    assert_eq!(
        args_of(&d, Clerks),
        [
            ("deadline", text("2026-02-04 23:59")),
            ("level", text("district"))
        ]
    );
}

#[test]
fn return_tells_the_deputy_why() {
    let d = ok(
        &unassigned(Submitted),
        Leader1,
        Action::Return {
            reason: text("which section?"),
        },
        at(),
    );
    assert_eq!(
        keys(&d),
        [(Deputy, "notice-returned"), (GroupChat, "notice-returned")]
    );
    assert_eq!(args_of(&d, Deputy), [("reason", text("which section?"))]);
}

#[test]
fn resubmit_and_withdraw_tell_the_leaders() {
    let resubmitted = ok(
        &unassigned(Returned),
        Filer,
        Action::Edit {
            title: text("t"),
            body: text(""),
        },
        at(),
    );
    assert_eq!(
        keys(&resubmitted),
        [
            (Leaders, "notice-resubmitted-leader"),
            (GroupChat, "notice-resubmitted-group")
        ]
    );
    assert_eq!(
        args_of(&resubmitted, Leaders),
        [("deadline", text("2026-02-02 23:59"))]
    );
    let withdrawn = ok(&unassigned(Returned), Filer, Action::Withdraw, at());
    assert_eq!(
        keys(&withdrawn),
        [
            (Leaders, "notice-withdrawn"),
            (GroupChat, "notice-withdrawn")
        ]
    );
}

#[test]
fn assign_tells_the_units_and_the_resident() {
    let d = ok(&unassigned(Accepted), ClerkT1, assign(U1, &[U2]), at());
    assert_eq!(
        keys(&d),
        [
            (Deputy, "notice-assigned"),
            (GroupChat, "notice-assigned"),
            (Audience::LeadUnit, "notice-assigned-unit"),
            (CoUnits, "notice-assigned-co-unit"),
            (Resident, "notice-resident-assigned"),
        ]
    );
    let deadline = ("deadline", text("2026-03-31 23:59"));
    for to in [Deputy, GroupChat, Audience::LeadUnit, CoUnits] {
        assert_eq!(args_of(&d, to), std::slice::from_ref(&deadline), "{to:?}");
    }
    assert!(args_of(&d, Resident).is_empty());
    // The lead unit is asked to handle it; a co-unit only to post progress, as only the lead
    // unit may reply.
    let asks: Vec<_> = d.notices.iter().map(|n| (n.to, n.ask)).collect();
    let no = d.next.no;
    assert!(asks.contains(&(Audience::LeadUnit, Some(Ask::Handle(no)))));
    assert!(asks.contains(&(CoUnits, Some(Ask::Progress(no)))));
    let may = |kind, reach| PERMISSIONS.contains(&(kind, Role::Unit, reach));
    assert!(may(ActionKind::Progress, Reach::AnyUnit) && !may(ActionKind::Reply, Reach::AnyUnit));
}

#[test]
fn reply_asks_the_deputy_to_rate() {
    let d = ok(
        &suggestion(Assigned),
        LeadUnit,
        Action::Reply {
            text: text("all lamps replaced"),
        },
        at(),
    );
    assert_eq!(
        keys(&d),
        [
            (Deputy, "notice-replied-rate"),
            (GroupChat, "notice-replied"),
            (Resident, "notice-resident-replied"),
        ]
    );
    assert_eq!(
        args_of(&d, Deputy),
        [
            ("text", text("all lamps replaced")),
            ("deadline", text("2026-02-14 23:59"))
        ]
    );
    assert_eq!(
        args_of(&d, Resident),
        [("text", text("all lamps replaced"))]
    );
}

#[test]
fn ratings_tell_units_chairs_and_the_resident() {
    let rate = |s: Suggestion, rating| ok(&s, Filer, Action::Rate { rating }, at());

    let closed = rate(suggestion(Replied), Rating::Basic);
    assert_eq!(
        keys(&closed),
        [
            (GroupChat, "notice-closed"),
            (Units, "notice-rated-unit"),
            (Resident, "notice-resident-closed"),
        ]
    );
    assert_eq!(args_of(&closed, Units), [("rating", text("basic"))]);

    let supervised = rate(suggestion(Replied), Rating::Unsatisfied);
    assert_eq!(
        keys(&supervised),
        [
            (GroupChat, "notice-key-supervision"),
            (Audience::LeadUnit, "notice-key-supervision-unit"),
            (CoUnits, "notice-key-supervision-co-unit"),
            (Chairs, "notice-key-supervision-chair"),
        ]
    );
    for to in [GroupChat, Audience::LeadUnit, CoUnits, Chairs] {
        assert_eq!(
            args_of(&supervised, to),
            [("deadline", text("2026-03-01 23:59"))],
            "{to:?}"
        );
    }

    let again = Suggestion {
        unsatisfied_count: 1,
        supervised: true,
        ..suggestion(Replied)
    };
    let explaining = rate(again, Rating::Unsatisfied);
    assert_eq!(
        keys(&explaining),
        [
            (GroupChat, "notice-explanation-required"),
            (Units, "notice-explanation-required-unit"),
            (Chairs, "notice-explanation-required"),
        ]
    );
    assert_eq!(
        args_of(&explaining, Units),
        [("deadline", text("2026-02-14 23:59"))]
    );
}

#[test]
fn endings_tell_the_resident() {
    let explained = ok(
        &suggestion(Explaining),
        LeadUnit,
        Action::Explain {
            text: text("rebuilt in 2027"),
        },
        at(),
    );
    assert_eq!(
        keys(&explained),
        [
            (Deputy, "notice-explained"),
            (GroupChat, "notice-explained"),
            (Resident, "notice-resident-closed"),
        ]
    );
    assert_eq!(
        args_of(&explained, Resident),
        [("text", text("rebuilt in 2027"))]
    );

    let auto = ok(&suggestion(Replied), System, Action::AutoClose, now());
    assert_eq!(
        keys(&auto),
        [
            (Deputy, "notice-auto-closed"),
            (GroupChat, "notice-auto-closed"),
            (Units, "notice-auto-closed"),
            (Resident, "notice-resident-closed"),
        ]
    );

    let transferred = ok(
        &unassigned(Accepted),
        ClerkT1,
        Action::Transfer {
            reason: text("a city road"),
        },
        at(),
    );
    assert_eq!(
        keys(&transferred),
        [
            (Deputy, "notice-transferred"),
            (GroupChat, "notice-transferred"),
            (Resident, "notice-resident-transferred"),
        ]
    );
    let declined = ok(
        &unassigned(Accepted),
        ClerkT1,
        Action::Decline {
            reason: text("planned"),
        },
        at(),
    );
    assert_eq!(
        keys(&declined),
        [
            (Deputy, "notice-declined"),
            (GroupChat, "notice-declined"),
            (Resident, "notice-resident-declined"),
        ]
    );
    assert_eq!(args_of(&declined, Resident), [("reason", text("planned"))]);
    let merged = ok(
        &unassigned(Accepted),
        ClerkT1,
        merge_into(OTHER_NO, Assigned),
        at(),
    );
    assert_eq!(
        keys(&merged),
        [(Deputy, "notice-merged"), (GroupChat, "notice-merged")]
    );
    assert_eq!(args_of(&merged, Deputy), [("into", text("2026-0043"))]);
}

/// The nearest org with anyone to tell is the one told; none found, nobody.
#[test]
fn an_org_audience_is_told_in_the_nearest_org_that_has_someone() {
    use crate::domain::{OrgId, nearest_org};
    let chain = [OrgId(3), OrgId(2), OrgId(1)];
    assert_eq!(nearest_org(&chain, &[OrgId(1), OrgId(2)]), Some(OrgId(2)));
    assert_eq!(nearest_org(&chain, &[OrgId(3)]), Some(OrgId(3)));
    assert_eq!(nearest_org(&chain, &[OrgId(9)]), None);
    assert_eq!(nearest_org(&[], &[OrgId(1)]), None);
    // Clerks look where the matter is assigned; the org's chats follow only their work.
    let town = suggestion(State::Accepted);
    let district = Suggestion {
        level: Some(Level::District),
        ..town.clone()
    };
    assert_eq!(Audience::Clerks.org_chain(&district), &town.orgs[1..]);
    assert_eq!(Audience::Chairs.org_chain(&district), &town.orgs[..]);
    assert!(Audience::Clerks.reaches_org_chats() && !Audience::Chairs.reaches_org_chats());
    assert_eq!(Audience::Secretaries.org_role(), Some(Role::Secretary));
    assert_eq!(Audience::Units.org_role(), None);
}
