//! Every transition, from every state, by everyone: the state rule and the permission rule.

use super::*;

/// One row of the table: an action, the states it may start from and who may take it.
struct Row {
    action: fn() -> Action,
    from: &'static [State],
    by: &'static [Who],
}

use crate::domain::permissions::roles_for;
use State::*;
use Who::*;

const CLERKS: &[Who] = &[ClerkT1, ClerkC];

/// PRODUCT.md §3 (states and who moves them) and §4 (who uses which command).
const TABLE: &[Row] = &[
    Row {
        action: || Action::Accept { level: None },
        from: &[Submitted],
        by: &[Leader1],
    },
    Row {
        action: || Action::Accept {
            level: Some(Level::District),
        },
        from: &[Submitted],
        by: &[Leader1],
    },
    Row {
        action: || Action::Return {
            reason: text("too vague: which section of the road?"),
        },
        from: &[Submitted],
        by: &[Leader1],
    },
    Row {
        action: || Action::Edit {
            title: text("Street lights on Elm Road, nos. 10-40"),
            body: text("Eight lamps out since January."),
        },
        from: &[Returned],
        by: &[Filer],
    },
    Row {
        action: || Action::Withdraw,
        from: &[Submitted, Returned],
        by: &[Filer],
    },
    Row {
        action: || assign(U1, &[]),
        from: &[Accepted],
        by: CLERKS,
    },
    Row {
        action: || Action::Assign {
            lead: U1,
            co: vec![U2, U3],
            days: Some(20),
            level: Some(Level::District),
        },
        from: &[Accepted],
        by: CLERKS,
    },
    Row {
        action: || Action::Extend {
            days: 10,
            reason: text("waiting for the budget"),
        },
        from: &[Accepted, Assigned, Explaining],
        by: CLERKS,
    },
    Row {
        action: || merge_into(OTHER_NO, Accepted),
        from: &[Accepted],
        by: CLERKS,
    },
    Row {
        action: || Action::Transfer {
            reason: text("a city road"),
        },
        from: &[Accepted],
        by: CLERKS,
    },
    Row {
        action: || Action::Decline {
            reason: text("already in the 2026 plan"),
        },
        from: &[Accepted],
        by: CLERKS,
    },
    Row {
        action: || Action::Key,
        from: &[Accepted, Assigned, Replied, Explaining],
        by: &[ClerkT1, ClerkC, Chair],
    },
    Row {
        action: || Action::Progress {
            text: text("lamps ordered"),
        },
        from: &[Assigned],
        by: &[LeadUnit, CoUnit],
    },
    Row {
        action: || Action::Reply {
            text: text("all lamps replaced"),
        },
        from: &[Assigned],
        by: &[LeadUnit],
    },
    Row {
        action: || Action::Rate {
            rating: Rating::Satisfied,
        },
        from: &[Replied],
        by: &[Filer],
    },
    Row {
        action: || Action::Rate {
            rating: Rating::Basic,
        },
        from: &[Replied],
        by: &[Filer],
    },
    Row {
        action: || Action::Rate {
            rating: Rating::Unsatisfied,
        },
        from: &[Replied],
        by: &[Filer],
    },
    Row {
        action: || Action::Explain {
            text: text("the road is being rebuilt in 2027"),
        },
        from: &[Explaining],
        by: &[LeadUnit],
    },
    Row {
        action: || Action::AutoClose,
        from: &[Replied],
        by: &[System],
    },
];

/// The permission rule is checked first: whoever may not act is refused in every state, for
/// their role if none of their roles may do it, else for their scope; whoever may gets
/// `WrongState` outside the row's states and a decision inside them.
#[test]
fn every_action_by_everyone_in_every_state() {
    let mut checked = 0;
    for row in TABLE {
        for who in Who::ALL {
            for state in State::ALL {
                let s = suggestion(state);
                let action = (row.action)();
                let what = format!("{who:?} {action:?} on {state}");
                let got = run(&s, who, action, now());
                if !row.by.contains(&who) {
                    let actor = who.actor();
                    let role_may = !actor.system
                        && roles_for((row.action)().kind()).any(|role| actor.has_role(role));
                    let reason = match role_may {
                        true => Refusal::OutOfScope,
                        false => Refusal::NotYourRole,
                    };
                    assert_eq!(got.unwrap_err(), reason, "{what}");
                } else if !row.from.contains(&state) {
                    assert_eq!(got.unwrap_err(), Refusal::WrongState(state), "{what}");
                } else {
                    let d = got.unwrap_or_else(|r| panic!("{what} refused: {r:?}"));
                    assert_eq!(d.event.from, Some(state), "{what}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, TABLE.len() * Who::ALL.len() * State::ALL.len());
}

/// Every kind of transition appears in the table (a new action needs a row).
#[test]
fn the_table_covers_every_action() {
    use std::collections::HashSet;
    let kinds: HashSet<_> = TABLE.iter().map(|row| (row.action)().kind()).collect();
    for kind in TRANSITION_KINDS {
        assert!(kinds.contains(&kind), "{kind:?} has no row");
    }
}

/// Nothing moves a suggestion out of a terminal state, whoever asks.
#[test]
fn terminal_states_refuse_everything() {
    for state in State::ALL.into_iter().filter(|s| s.is_terminal()) {
        for row in TABLE {
            for &who in row.by {
                let action = (row.action)();
                assert_eq!(
                    refused(&suggestion(state), who, action, now()),
                    Refusal::WrongState(state)
                );
            }
        }
    }
    let terminal: Vec<_> = State::ALL.into_iter().filter(|s| s.is_terminal()).collect();
    assert_eq!(terminal, [Withdrawn, Closed, Merged, Transferred, Declined]);
}

/// The mirror image: a suggestion of G2 (under T2 and C) is the business of G2's leader and of
/// T2's and C's clerks, not of T1's clerk or G1's leader.
#[test]
fn scope_follows_the_suggestion_group() {
    let s = Suggestion {
        group: G2,
        orgs: orgs_of(G2),
        deputy: Who::Leader2.person().unwrap(),
        ..unassigned(Submitted)
    };
    let accept = || Action::Accept { level: None };
    assert_eq!(refused(&s, Leader1, accept(), now()), Refusal::OutOfScope);
    let accepted = ok(&s, Leader2, accept(), now()).next;

    let to_u3 = || assign(U3, &[]);
    assert_eq!(
        refused(&accepted, ClerkT1, to_u3(), now()),
        Refusal::OutOfScope
    );
    let clerk_t2 = ok(&accepted, ClerkT2, to_u3(), now());
    let clerk_c = ok(&accepted, ClerkC, to_u3(), now());
    assert_eq!(clerk_t2.next, clerk_c.next);

    // The chair of T2 may mark it key; the G2 leader, who filed it, may rate its reply.
    assert!(run(&accepted, ChairT2, Action::Key, now()).is_ok());
    let replied = Suggestion {
        state: Replied,
        ..clerk_c.next
    };
    let rate = Action::Rate {
        rating: Rating::Basic,
    };
    assert_eq!(
        refused(&replied, Filer, rate.clone(), now()),
        Refusal::OutOfScope
    );
    assert!(run(&replied, Leader2, rate, now()).is_ok());
}

/// Units only act on what they were assigned: before assignment, even U1's contact may not
/// post progress; after it, the unit named as lead may reply and the old fixture units may not.
#[test]
fn units_act_only_on_their_assignments() {
    let accepted = unassigned(Accepted);
    let progress = || Action::Progress {
        text: text("started"),
    };
    assert_eq!(
        refused(&accepted, LeadUnit, progress(), now()),
        Refusal::OutOfScope
    );
    let assigned = ok(&accepted, ClerkT1, assign(U3, &[U2]), now()).next;
    let reply = || Action::Reply { text: text("done") };
    assert_eq!(
        refused(&assigned, LeadUnit, reply(), now()),
        Refusal::OutOfScope
    );
    assert_eq!(
        refused(&assigned, CoUnit, reply(), now()),
        Refusal::OutOfScope
    );
    assert!(run(&assigned, CoUnit, progress(), now()).is_ok());
    assert!(run(&assigned, OtherUnit, reply(), now()).is_ok());
}

/// What each decision does to the record besides its state.
#[test]
fn decisions_update_the_record() {
    // Accept keeps the level it was given, defaulting to the current one, else town.
    for (current, asked, level) in [
        (None, None, Level::Town),
        (Some(Level::District), None, Level::District),
        (Some(Level::District), Some(Level::Higher), Level::Higher),
        (None, Some(Level::Town), Level::Town),
    ] {
        let s = Suggestion {
            level: current,
            ..unassigned(Submitted)
        };
        let d = ok(&s, Leader1, Action::Accept { level: asked }, now());
        assert_eq!(d.next.level, Some(level));
        assert_eq!(d.next.state, Accepted);
    }

    // Return clears the deadline; edit resubmits the new text, trimmed.
    let returned = ok(
        &unassigned(Submitted),
        Leader1,
        Action::Return {
            reason: text(" too vague "),
        },
        now(),
    )
    .next;
    assert_eq!((returned.state, returned.deadline), (Returned, None));
    let edited = ok(
        &returned,
        Filer,
        Action::Edit {
            title: text("  Elm Road lamps 10-40  "),
            body: text(" Eight lamps. "),
        },
        now(),
    )
    .next;
    assert_eq!(edited.state, Submitted);
    assert_eq!(edited.title, "Elm Road lamps 10-40");
    assert_eq!(edited.body, "Eight lamps.");

    // Withdraw is terminal and has no deadline.
    let withdrawn = ok(&returned, Filer, Action::Withdraw, now()).next;
    assert_eq!((withdrawn.state, withdrawn.deadline), (Withdrawn, None));

    // Assign names the units and may set the level.
    let assigned = ok(
        &unassigned(Accepted),
        ClerkC,
        Action::Assign {
            lead: U2,
            co: vec![U3, U1],
            days: None,
            level: Some(Level::District),
        },
        now(),
    )
    .next;
    assert_eq!(assigned.lead_unit, Some(U2));
    assert_eq!(assigned.co_units, [U3, U1]);
    assert_eq!(assigned.level, Some(Level::District));
    assert_eq!(assigned.state, Assigned);

    // Merge remembers the target; transfer marks the matter higher-level; decline ends it.
    let merged = ok(
        &unassigned(Accepted),
        ClerkT1,
        merge_into(OTHER_NO, Assigned),
        now(),
    )
    .next;
    assert_eq!(merged.merged_into, Some(OTHER_NO));
    assert_eq!((merged.state, merged.deadline), (Merged, None));
    let transferred = ok(
        &unassigned(Accepted),
        ClerkT1,
        Action::Transfer {
            reason: text("a city road"),
        },
        now(),
    )
    .next;
    assert_eq!(transferred.level, Some(Level::Higher));
    assert_eq!(
        (transferred.state, transferred.deadline),
        (Transferred, None)
    );
    let declined = ok(
        &unassigned(Accepted),
        ClerkT1,
        Action::Decline {
            reason: text("already planned"),
        },
        now(),
    )
    .next;
    assert_eq!((declined.state, declined.deadline), (Declined, None));

    // Key marks it and changes nothing else; a progress note changes nothing at all.
    for state in [Accepted, Assigned, Replied, Explaining] {
        let s = suggestion(state);
        let keyed = ok(&s, Chair, Action::Key, now()).next;
        assert_eq!(keyed, Suggestion { key: true, ..s });
    }
    let s = suggestion(Assigned);
    let noted = ok(
        &s,
        CoUnit,
        Action::Progress {
            text: text("lamps ordered"),
        },
        now(),
    );
    assert_eq!(noted.next, s);

    // Satisfied and basic close it as rated.
    for rating in [Rating::Satisfied, Rating::Basic] {
        let closed = ok(&suggestion(Replied), Filer, Action::Rate { rating }, now()).next;
        assert_eq!(closed.state, Closed);
        assert_eq!(closed.rating, Some(rating));
        assert_eq!(closed.outcome, Some(Outcome::Rated));
        assert_eq!(closed.deadline, None);
        assert_eq!(closed.unsatisfied_count, 0);
    }
}

/// The whole loop with two unsatisfied ratings: submitted → accepted → assigned → replied →
/// assigned (key supervision) → replied → explaining → closed (explained).
#[test]
fn the_loop_through_two_unsatisfied_ratings() {
    let mut s = unassigned(Submitted);
    let mut at = local(2026, 1, 5, 9, 0, 0);
    let steps: Vec<(Who, Action, State)> = vec![
        (
            Leader1,
            Action::Accept {
                level: Some(Level::Town),
            },
            Accepted,
        ),
        (ClerkT1, assign(U1, &[]), Assigned),
        (
            LeadUnit,
            Action::Reply {
                text: text("fixed"),
            },
            Replied,
        ),
        (
            Filer,
            Action::Rate {
                rating: Rating::Unsatisfied,
            },
            Assigned,
        ),
        (
            LeadUnit,
            Action::Reply {
                text: text("fixed again"),
            },
            Replied,
        ),
        (
            Filer,
            Action::Rate {
                rating: Rating::Unsatisfied,
            },
            Explaining,
        ),
        (
            LeadUnit,
            Action::Explain {
                text: text("a rebuild is due in 2027"),
            },
            Closed,
        ),
    ];
    for (who, action, to) in steps {
        at += chrono::Duration::days(1);
        let d = ok(&s, who, action, at);
        assert_eq!(d.event.from, Some(s.state));
        assert_eq!((d.next.state, d.event.to), (to, to));
        s = d.next;
    }
    assert_eq!(s.unsatisfied_count, 2);
    assert!(s.supervised);
    assert_eq!(s.rating, Some(Rating::Unsatisfied));
    assert_eq!(s.outcome, Some(Outcome::Explained));
    assert_eq!(s.deadline, None);
    // Closed is the end of it.
    assert_eq!(
        refused(
            &s,
            Filer,
            Action::Rate {
                rating: Rating::Satisfied
            },
            at
        ),
        Refusal::WrongState(Closed)
    );
}
