//! The timeline: each decision's event kind, from and to states and text.

use super::*;
use EventKind as E;
use State::*;
use Who::*;

/// (start, who, action, the event's kind, to and text); its `from` is the start's state.
type Case = (
    Suggestion,
    Who,
    Action,
    EventKind,
    State,
    Option<&'static str>,
);

#[test]
fn each_decision_records_its_event() {
    let again = Suggestion {
        unsatisfied_count: 1,
        supervised: true,
        ..suggestion(Replied)
    };
    let cases: Vec<Case> = vec![
        (
            unassigned(Submitted),
            Leader1,
            Action::Accept { level: None },
            E::Accepted,
            Accepted,
            None,
        ),
        (
            unassigned(Submitted),
            Leader1,
            Action::Return {
                reason: text(" vague "),
            },
            E::Returned,
            Returned,
            Some("vague"),
        ),
        (
            unassigned(Returned),
            Filer,
            Action::Edit {
                title: text("t"),
                body: text("b"),
            },
            E::Resubmitted,
            Submitted,
            None,
        ),
        (
            unassigned(Submitted),
            Filer,
            Action::Withdraw,
            E::Withdrawn,
            Withdrawn,
            None,
        ),
        (
            unassigned(Returned),
            Filer,
            Action::Withdraw,
            E::Withdrawn,
            Withdrawn,
            None,
        ),
        (
            unassigned(Accepted),
            ClerkT1,
            assign(U1, &[U2]),
            E::Assigned,
            Assigned,
            None,
        ),
        (
            suggestion(Assigned),
            ClerkC,
            Action::Extend {
                days: 7,
                reason: text("budget"),
            },
            E::Extended,
            Assigned,
            Some("+7: budget"),
        ),
        (
            unassigned(Accepted),
            ClerkT1,
            merge_into(OTHER_NO, Accepted),
            E::Merged,
            Merged,
            Some("2026-0043"),
        ),
        (
            unassigned(Accepted),
            ClerkT1,
            Action::Transfer {
                reason: text("city road"),
            },
            E::Transferred,
            Transferred,
            Some("city road"),
        ),
        (
            unassigned(Accepted),
            ClerkT1,
            Action::Decline {
                reason: text("planned"),
            },
            E::Declined,
            Declined,
            Some("planned"),
        ),
        (
            suggestion(Replied),
            Chair,
            Action::Key,
            E::MarkedKey,
            Replied,
            None,
        ),
        (
            suggestion(Assigned),
            CoUnit,
            Action::Progress {
                text: text("ordered"),
            },
            E::Progress,
            Assigned,
            Some("ordered"),
        ),
        (
            suggestion(Assigned),
            LeadUnit,
            Action::Reply { text: text("done") },
            E::Replied,
            Replied,
            Some("done"),
        ),
        (
            suggestion(Replied),
            Filer,
            Action::Rate {
                rating: Rating::Satisfied,
            },
            E::Rated,
            Closed,
            Some("satisfied"),
        ),
        (
            suggestion(Replied),
            Filer,
            Action::Rate {
                rating: Rating::Basic,
            },
            E::Rated,
            Closed,
            Some("basic"),
        ),
        (
            suggestion(Replied),
            Filer,
            Action::Rate {
                rating: Rating::Unsatisfied,
            },
            E::KeySupervision,
            Assigned,
            Some("unsatisfied"),
        ),
        (
            again,
            Filer,
            Action::Rate {
                rating: Rating::Unsatisfied,
            },
            E::ExplanationRequired,
            Explaining,
            Some("unsatisfied"),
        ),
        (
            suggestion(Explaining),
            LeadUnit,
            Action::Explain { text: text("2027") },
            E::Explained,
            Closed,
            Some("2027"),
        ),
        (
            suggestion(Replied),
            System,
            Action::AutoClose,
            E::AutoClosed,
            Closed,
            None,
        ),
    ];
    for (s, who, action, kind, to, text) in cases {
        let what = format!("{who:?} {action:?}");
        let d = ok(&s, who, action, now());
        assert_eq!(
            d.event,
            Event {
                kind,
                from: Some(s.state),
                to,
                text: text.map(String::from),
            },
            "{what}"
        );
        assert_eq!(d.next.state, to, "{what}");
    }
}

#[test]
fn event_kinds_round_trip() {
    for kind in EventKind::ALL {
        assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(EventKind::parse("unknown"), None);
    assert_eq!(E::KeySupervision.as_str(), "key-supervision");
}
