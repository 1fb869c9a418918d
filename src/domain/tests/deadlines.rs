//! Deadlines (calendar days ending 23:59:59 local, PRODUCT.md §3), the seeds' time limits as
//! each transition sets them, and the three colours.

use chrono::Duration;

use super::*;
use State::*;
use Who::*;

#[test]
fn the_default_rules_are_the_seeds() {
    let r = Rules::default();
    assert_eq!(r.tz, chrono_tz::Asia::Shanghai);
    assert_eq!(r.yellow_days, 5);
    assert_eq!(r.review_days, 3);
    assert_eq!(r.assign_town_days, 3);
    assert_eq!(r.assign_district_days, 5);
    assert_eq!(r.transfer_days, 3);
    assert_eq!(r.single_unit_days, 30);
    assert_eq!(r.joint_days, 60);
    assert_eq!(r.key_supervision_days, 30);
    assert_eq!(r.rating_days, 15);
    assert_eq!(r.rating_reminder_day, 7);
    assert_eq!(r.explanation_days, 15);
}

/// (start, days, the deadline): the last second of the `days`-th local day after the start's
/// local date, whatever the time of day and across month and year ends.
#[test]
fn deadlines_end_at_the_last_second_of_a_local_day() {
    let cases = [
        // Filed 30 January 10:00 with 3 days: across the month end.
        (local(2026, 1, 30, 10, 0, 0), 3, end_of(2026, 2, 2)),
        // Begun at 23:30 local: counts from that local date, not the next.
        (local(2026, 1, 30, 23, 30, 0), 3, end_of(2026, 2, 2)),
        // Begun at the very first second of a local day.
        (local(2026, 12, 1, 0, 0, 0), 3, end_of(2026, 12, 4)),
        // 16:30 UTC on 31 March is already 1 April 00:30 in Shanghai.
        (utc(2026, 3, 31, 16, 30, 0), 3, end_of(2026, 4, 4)),
        // 15:59 UTC on 31 March is still 31 March 23:59 in Shanghai.
        (utc(2026, 3, 31, 15, 59, 0), 3, end_of(2026, 4, 3)),
        // Zero days: the end of today.
        (local(2026, 5, 6, 8, 0, 0), 0, end_of(2026, 5, 6)),
        // February of a common year and of a leap year.
        (local(2026, 2, 27, 12, 0, 0), 3, end_of(2026, 3, 2)),
        (local(2028, 2, 27, 12, 0, 0), 3, end_of(2028, 3, 1)),
        // Across the year end; 30 and 60 days.
        (local(2026, 12, 30, 9, 0, 0), 3, end_of(2027, 1, 2)),
        (local(2026, 1, 31, 9, 0, 0), 30, end_of(2026, 3, 2)),
        (local(2026, 11, 15, 9, 0, 0), 60, end_of(2027, 1, 14)),
    ];
    let r = rules();
    for (start, days, want) in cases {
        assert_eq!(r.deadline_after(start, days), want, "{start} + {days}");
    }
    // The instants themselves: Shanghai is UTC+8 all year.
    assert_eq!(
        r.deadline_after(local(2026, 1, 30, 10, 0, 0), 3),
        utc(2026, 2, 2, 15, 59, 59)
    );
    assert_eq!(
        r.deadline_after(utc(2026, 3, 31, 16, 30, 0), 3),
        utc(2026, 4, 4, 15, 59, 59)
    );
    assert_eq!(r.show(end_of(2026, 2, 2)), "2026-02-02 23:59");
    assert_eq!(
        r.local_date(utc(2026, 3, 31, 16, 30, 0)).to_string(),
        "2026-04-01"
    );
}

#[test]
fn an_extension_moves_the_deadline_by_whole_days() {
    let r = rules();
    assert_eq!(r.extend(end_of(2026, 1, 30), 3), end_of(2026, 2, 2));
    assert_eq!(r.extend(end_of(2026, 12, 25), 10), end_of(2027, 1, 4));
}

/// yellow_days = 5, deadline 30 January 23:59:59 local.
#[test]
fn colours_at_their_boundaries() {
    let r = rules();
    let deadline = end_of(2026, 1, 30);
    let cases = [
        (local(2026, 1, 1, 9, 0, 0), 29, Colour::Green),
        // Six days left until the last second of the 24th…
        (local(2026, 1, 24, 23, 59, 59), 6, Colour::Green),
        // …five from the first second of the 25th.
        (local(2026, 1, 25, 0, 0, 0), 5, Colour::Yellow),
        (local(2026, 1, 29, 12, 0, 0), 1, Colour::Yellow),
        (local(2026, 1, 30, 0, 0, 0), 0, Colour::Yellow),
        // The last second is still on time…
        (local(2026, 1, 30, 23, 59, 59), 0, Colour::Yellow),
        // …the next one is overdue.
        (local(2026, 1, 31, 0, 0, 0), -1, Colour::Red),
        (local(2026, 3, 1, 9, 0, 0), -30, Colour::Red),
        // The local date decides, not the UTC one: 24 Jan 16:00 UTC is 25 Jan 00:00 local.
        (utc(2026, 1, 24, 15, 59, 59), 6, Colour::Green),
        (utc(2026, 1, 24, 16, 0, 0), 5, Colour::Yellow),
        (utc(2026, 1, 30, 15, 59, 59), 0, Colour::Yellow),
        (utc(2026, 1, 30, 16, 0, 0), -1, Colour::Red),
    ];
    for (now, left, colour) in cases {
        assert_eq!(r.days_left(deadline, now), left, "days left at {now}");
        assert_eq!(r.colour(deadline, now), colour, "colour at {now}");
    }
    assert_eq!(deadline + Duration::seconds(1), local(2026, 1, 31, 0, 0, 0));
}

/// The queries cut at `green_from`: a deadline before it is exactly one that is not green.
#[test]
fn green_from_agrees_with_the_colours() {
    for r in [
        rules(),
        Rules {
            yellow_days: 0,
            ..rules()
        },
        Rules {
            tz: chrono_tz::UTC,
            ..rules()
        },
    ] {
        let now = local(2026, 1, 24, 23, 59, 59);
        assert_eq!(r.colour(r.green_from(now), now), Colour::Green);
        assert_ne!(
            r.colour(r.green_from(now) - Duration::milliseconds(1), now),
            Colour::Green
        );
        // Every hour's deadline over two months against nows every 7 hours and 13 minutes.
        let nows = (0..200).map(|i| local(2026, 1, 1, 0, 0, 0) + Duration::minutes(433 * i));
        for now in nows {
            let cut = r.green_from(now);
            for h in 0..(24 * 60) {
                let deadline = local(2026, 1, 1, 0, 0, 0) + Duration::hours(h);
                let green = r.colour(deadline, now) == Colour::Green;
                assert_eq!(green, deadline >= cut, "deadline {deadline} at {now}");
            }
        }
    }
}

/// Deadline 2 February 23:59:59 local: the yellow boundary falls in January.
#[test]
fn colours_across_a_month_end() {
    let r = rules();
    let deadline = end_of(2026, 2, 2);
    for (now, colour) in [
        (local(2026, 1, 27, 23, 59, 59), Colour::Green),
        (local(2026, 1, 28, 0, 0, 0), Colour::Yellow),
        (local(2026, 1, 31, 23, 59, 59), Colour::Yellow),
        (local(2026, 2, 1, 0, 0, 0), Colour::Yellow),
        (local(2026, 2, 2, 23, 59, 59), Colour::Yellow),
        (local(2026, 2, 3, 0, 0, 0), Colour::Red),
    ] {
        assert_eq!(r.colour(deadline, now), colour, "colour at {now}");
    }
}

#[test]
fn colours_follow_the_configured_rules() {
    // yellow_days = 0: yellow only on the last day.
    let last_day_only = Rules {
        yellow_days: 0,
        ..rules()
    };
    let deadline = end_of(2026, 1, 30);
    assert_eq!(
        last_day_only.colour(deadline, local(2026, 1, 29, 23, 59, 59)),
        Colour::Green
    );
    assert_eq!(
        last_day_only.colour(deadline, local(2026, 1, 30, 0, 0, 0)),
        Colour::Yellow
    );
    // The same instants read in UTC fall on other dates.
    let in_utc = Rules {
        tz: chrono_tz::UTC,
        ..rules()
    };
    let deadline = in_utc.deadline_after(utc(2026, 1, 27, 20, 0, 0), 3);
    assert_eq!(deadline, utc(2026, 1, 30, 23, 59, 59));
    assert_eq!(
        in_utc.colour(deadline, utc(2026, 1, 24, 16, 0, 0)),
        Colour::Green
    );
    assert_eq!(
        in_utc.colour(deadline, utc(2026, 1, 25, 0, 0, 0)),
        Colour::Yellow
    );
    assert_eq!(Colour::Yellow.as_str(), "yellow");
    assert!(Colour::Green < Colour::Yellow && Colour::Yellow < Colour::Red);
}

/// Filing and resubmission give the leader 3 days to review.
#[test]
fn review_takes_three_days() {
    let at = local(2026, 1, 30, 10, 0, 0);
    let filing = file_as(&Filer.actor(), draft(None), at).unwrap();
    assert_eq!(filing.deadline, end_of(2026, 2, 2));
    let resubmitted = ok(
        &unassigned(Returned),
        Filer,
        Action::Edit {
            title: text("Elm Road lamps"),
            body: text(""),
        },
        at,
    );
    assert_eq!(resubmitted.next.deadline, Some(end_of(2026, 2, 2)));
}

/// Acceptance sets the assignment deadline by level: town 3 days, district 5, higher 3.
#[test]
fn acceptance_deadline_by_level() {
    let at = local(2026, 1, 30, 10, 0, 0);
    for (current, asked, want) in [
        (None, Some(Level::Town), end_of(2026, 2, 2)),
        (None, Some(Level::District), end_of(2026, 2, 4)),
        (None, Some(Level::Higher), end_of(2026, 2, 2)),
        (None, None, end_of(2026, 2, 2)),
        (Some(Level::District), None, end_of(2026, 2, 4)),
    ] {
        let s = Suggestion {
            level: current,
            ..unassigned(Submitted)
        };
        let d = ok(&s, Leader1, Action::Accept { level: asked }, at);
        assert_eq!(d.next.deadline, Some(want), "{current:?} / {asked:?}");
    }
}

/// Handling: 30 days for one unit, 60 with co-units; `--days N` overrides either.
#[test]
fn assignment_deadline() {
    let at = local(2026, 1, 30, 10, 0, 0);
    for (co, days, want) in [
        (vec![], None, end_of(2026, 3, 1)),
        (vec![U2], None, end_of(2026, 3, 31)),
        (vec![U2, U3], None, end_of(2026, 3, 31)),
        (vec![], Some(10), end_of(2026, 2, 9)),
        (vec![U2], Some(10), end_of(2026, 2, 9)),
        (vec![], Some(1), end_of(2026, 1, 31)),
        (vec![], Some(365), end_of(2027, 1, 30)),
    ] {
        let action = Action::Assign {
            lead: U1,
            co: co.clone(),
            days,
            level: None,
        };
        let d = ok(&unassigned(Accepted), ClerkT1, action, at);
        assert_eq!(d.next.deadline, Some(want), "co {co:?}, days {days:?}");
    }
    for days in [0, 366, u32::MAX] {
        let action = Action::Assign {
            lead: U1,
            co: vec![],
            days: Some(days),
            level: None,
        };
        assert_eq!(
            refused(&unassigned(Accepted), ClerkT1, action, at),
            Refusal::DaysOutOfRange { max: 365 }
        );
    }
}

/// A reply opens a 15-day rating window; the scheduler may close it unrated only after it.
#[test]
fn rating_window_and_auto_close() {
    let replied_at = local(2026, 1, 30, 10, 0, 0);
    let reply = Action::Reply {
        text: text("lamps replaced"),
    };
    let replied = ok(&suggestion(Assigned), LeadUnit, reply, replied_at).next;
    let window = end_of(2026, 2, 14);
    assert_eq!(replied.deadline, Some(window));

    for at in [
        replied_at,
        local(2026, 2, 6, 9, 0, 0),
        local(2026, 2, 14, 0, 0, 0),
        window,
    ] {
        assert_eq!(
            refused(&replied, System, Action::AutoClose, at),
            Refusal::NotDue,
            "at {at}"
        );
    }
    for at in [window + Duration::seconds(1), local(2026, 3, 1, 9, 0, 0)] {
        let d = ok(&replied, System, Action::AutoClose, at);
        assert_eq!(d.next.state, Closed);
        assert_eq!(d.next.outcome, Some(Outcome::Unrated));
        assert_eq!(d.next.rating, None);
        assert_eq!(d.next.deadline, None);
    }
    // A reply without a window (none recorded) is due at once.
    let no_window = Suggestion {
        deadline: None,
        ..replied
    };
    assert!(run(&no_window, System, Action::AutoClose, replied_at).is_ok());
}

/// The first unsatisfied rating: back to the units under key supervision for 30 days, the
/// chair told. The second: the lead unit explains within 15 days.
#[test]
fn unsatisfied_ratings() {
    let at = local(2026, 1, 30, 10, 0, 0);
    let unsatisfied = || Action::Rate {
        rating: Rating::Unsatisfied,
    };

    let first = ok(&suggestion(Replied), Filer, unsatisfied(), at);
    assert_eq!(first.next.state, Assigned);
    assert!(first.next.supervised);
    assert_eq!(first.next.unsatisfied_count, 1);
    // Handling starts again; the rating that counts is the next one (the event keeps this).
    assert_eq!(first.next.rating, None);
    assert_eq!(first.next.outcome, None);
    assert_eq!(first.next.deadline, Some(end_of(2026, 3, 1)));
    let chair = first
        .notices
        .iter()
        .find(|n| n.to == Audience::Chairs)
        .expect("the chair is told");
    assert_eq!(chair.key, "notice-key-supervision-chair");
    assert_eq!(
        chair.args,
        [("deadline", "2026-03-01 23:59".to_string())].to_vec()
    );

    let replied_again = Suggestion {
        state: Replied,
        ..first.next
    };
    let second = ok(&replied_again, Filer, unsatisfied(), at);
    assert_eq!(second.next.state, Explaining);
    assert_eq!(second.next.unsatisfied_count, 2);
    assert!(second.next.supervised);
    assert_eq!(second.next.deadline, Some(end_of(2026, 2, 14)));
    assert!(
        second
            .notices
            .iter()
            .any(|n| n.to == Audience::Chairs && n.key == "notice-explanation-required")
    );

    let explained = ok(
        &second.next,
        LeadUnit,
        Action::Explain {
            text: text("the road is rebuilt in 2027"),
        },
        at,
    )
    .next;
    assert_eq!(explained.state, Closed);
    assert_eq!(explained.outcome, Some(Outcome::Explained));
    assert_eq!(explained.deadline, None);
}

/// An extension moves the current deadline on by N days, keeps the state and logs the reason.
#[test]
fn extension() {
    let at = local(2026, 2, 20, 10, 0, 0);
    for (state, days, want) in [
        (Accepted, 2, end_of(2026, 3, 3)),
        (Assigned, 10, end_of(2026, 3, 11)),
        (Assigned, 31, end_of(2026, 4, 1)),
        (Explaining, 365, end_of(2027, 3, 1)),
    ] {
        let s = suggestion(state);
        assert_eq!(s.deadline, Some(end_of(2026, 3, 1)));
        let d = ok(
            &s,
            ClerkC,
            Action::Extend {
                days,
                reason: text("  the contractor is late "),
            },
            at,
        );
        assert_eq!(d.next.deadline, Some(want), "{state} + {days}");
        assert_eq!(d.next.state, state);
        assert_eq!(d.event.kind, EventKind::Extended);
        assert_eq!((d.event.from, d.event.to), (Some(state), state));
        assert_eq!(
            d.event.text.as_deref(),
            Some(format!("+{days}: the contractor is late").as_str())
        );
    }
    // Without a current deadline it counts from today.
    let s = Suggestion {
        deadline: None,
        ..suggestion(Assigned)
    };
    let d = ok(
        &s,
        ClerkT1,
        Action::Extend {
            days: 5,
            reason: text("late"),
        },
        at,
    );
    assert_eq!(d.next.deadline, Some(end_of(2026, 2, 25)));

    for days in [0, 366, 1000] {
        let action = Action::Extend {
            days,
            reason: text("late"),
        };
        assert_eq!(
            refused(&suggestion(Assigned), ClerkT1, action, at),
            Refusal::DaysOutOfRange { max: 365 }
        );
    }
    for reason in ["", "   ", "\n\t"] {
        let action = Action::Extend {
            days: 5,
            reason: text(reason),
        };
        assert_eq!(
            refused(&suggestion(Assigned), ClerkT1, action, at),
            Refusal::ReasonRequired
        );
    }
}
