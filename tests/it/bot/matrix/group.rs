//! The matrix's oracle in group G1's bound chat: a step's permission does not depend on the
//! chat it is asked in, and the answers go to the chat. A sample: each command in a state it
//! may start from, by the first actor the oracle allows and the first it refuses, and by the
//! allowed one again in a state the step may not start from.

use super::*;

/// The sample: (who, state, command), on G1's suggestions.
fn sample() -> Vec<Combo> {
    let mut all = Vec::new();
    let g1 = ACTORS.iter().filter(|(_, spot)| *spot == G1);
    for cmd in COMMANDS {
        let action = cmd.action(SuggestionNo::new(0, 0));
        let starts = action
            .as_ref()
            .map_or(&[State::Submitted][..], |a| a.start_states());
        let (fits, other) = (starts[0], State::ALL.iter().find(|s| !starts.contains(s)));
        let judged = |tg: i64, state| {
            judge(
                person_of(tg),
                action.as_ref(),
                &SPOTS[G1],
                state,
                SuggestionNo::new(0, 0),
            )
        };
        let allowed = g1.clone().find(|(tg, _)| judged(*tg, fits).is_ok());
        let refused = g1.clone().find(|(tg, _)| judged(*tg, fits).is_err());
        let (allowed, refused) = (
            *allowed.expect("someone may"),
            *refused.expect("someone may not"),
        );
        all.push(combo(allowed, fits, What::Command(cmd)));
        all.push(combo(refused, fits, What::Command(cmd)));
        if let (Some(_), Some(&other)) = (&action, other) {
            all.push(combo(allowed, other, What::Command(cmd)));
        }
    }
    all
}

crate::live_test!(
    every_step_command_by_the_allowed_and_the_refused_in_a_group_chat,
    |live| {
        let backend = live.db.name;
        let started = Instant::now();
        let mut all = sample();
        let targets = prepare(&mut live, &mut all).await;
        let built = started.elapsed();
        let mut m = Matrix {
            live: &live,
            chat: Some(G1_CHAT),
            ledger: Ledger::new(&live.db, targets).await,
        };
        // One batch: the chat's messages are handled, and answered, in the order written.
        m.batch(&all.iter().collect::<Vec<_>>()).await;
        let (allowed, refused, failures) = m
            .ledger
            .end("permission matrix in a group chat", backend)
            .await;
        println!(
            "  built in {:.1} s, commands {:.1} s",
            built.as_secs_f64(),
            (started.elapsed() - built).as_secs_f64()
        );
        assert_agrees(&failures, backend);
        // Each of the 15 commands by one allowed and one refused, and the 14 steps again by the
        // allowed in a state they may not start from.
        assert_eq!((allowed, refused), (15, 15 + 14));
    }
);
