//! The whole loop, role by role, through chat only: filed from the group chat, accepted with
//! a button, assigned through the unit picker, progress and reply from the unit, rated
//! unsatisfied (key supervision, the chair told), replied again, rated satisfied, closed.

use super::*;

/// Contact of unit U3 (the town's street office, which the town clerk may assign to).
const UNIT_C: i64 = 1012;
const CHAIR_T1: i64 = CHAIR;

crate::live_test!(the_whole_loop_through_chat, |live| {
    // 1. The deputy files from the group chat.
    let step = live
        .say_in(
            G1_CHAT,
            DEPUTY,
            "/suggest Street lights on Elm Road\nHalf of them are out.",
        )
        .await;
    let no = step.number_to(G1_CHAT, "2026-");
    assert_eq!(no, "2026-0001");
    // The leader is asked to review, with buttons; the group chat hears it.
    let leader_push = live.last_to(LEADER);
    assert!(leader_push.text.contains(&no), "{}", leader_push.text);
    assert!(leader_push.buttons.len() >= 2, "{:?}", leader_push.buttons);
    assert!(step.chats().contains(&LEADER) && step.chats().contains(&G1_CHAT));

    // 2. The leader accepts with the button; the message shows what was done.
    let data = super::button(&leader_push, "✅");
    let step = live.press_data(LEADER, &leader_push, &data).await;
    assert_eq!(live.state_of(&no).await, "accepted");
    assert!(
        live.edits().iter().any(|e| e.contains(&no)),
        "{:?}",
        live.edits()
    );
    assert!(
        step.chats().contains(&DEPUTY),
        "deputy told: {:?}",
        step.chats()
    );
    // The town clerk (English) is told, with an Assign button.
    let clerk_push = live.last_to(CLERK);
    assert!(clerk_push.text.contains("To assign"), "{}", clerk_push.text);

    // 3. The clerk opens the unit picker and picks the street office.
    let step = live.press(CLERK, &clerk_push, "Assign").await;
    let picker = step.to(CLERK)[0].clone();
    assert!(
        picker.buttons.iter().all(|(l, _)| l.contains("U3")),
        "{:?}",
        picker.buttons
    );
    let step = live.press(CLERK, &picker, "U3").await;
    assert_eq!(live.state_of(&no).await, "assigned");
    assert!(step.text_to(UNIT_C).contains(&no));

    // 4. The unit posts progress and the reply; the deputy is asked to rate, with buttons.
    let step = live
        .say(UNIT_C, &format!("/progress {no} Survey done"))
        .await;
    assert!(step.text_to(DEPUTY).contains("Survey done"));
    let step = live
        .say(UNIT_C, &format!("/reply {no} Lamps replaced"))
        .await;
    assert_eq!(live.state_of(&no).await, "replied");
    let rate_push = step.to(DEPUTY)[0].clone();
    assert_eq!(rate_push.buttons.len(), 3, "{:?}", rate_push.buttons);

    // 5. Unsatisfied: key supervision, the chair is told, the unit must handle it again.
    let step = live
        .press_data(DEPUTY, &rate_push, &format!("ra:{no}:u"))
        .await;
    assert_eq!(live.state_of(&no).await, "assigned");
    assert!(
        step.chats().contains(&CHAIR_T1),
        "chair told: {:?}",
        step.chats()
    );
    assert!(step.chats().contains(&UNIT_C));

    // 6. A second reply, rated satisfied: closed; the unit hears the rating.
    let step = live
        .say(UNIT_C, &format!("/reply {no} All lamps work now"))
        .await;
    let rate_push = step.to(DEPUTY)[0].clone();
    let step = live
        .press_data(DEPUTY, &rate_push, &format!("ra:{no}:s"))
        .await;
    assert_eq!(live.state_of(&no).await, "closed");
    assert!(step.chats().contains(&UNIT_C));

    // 7. The timeline shows every step.
    let step = live.say(DEPUTY, &format!("/show {no}")).await;
    let shown = step.text_to(DEPUTY);
    for word in [
        "Street lights on Elm Road",
        "Survey done",
        "All lamps work now",
    ] {
        assert!(shown.contains(word), "{word} in {shown}");
    }
    let events = live.db.count("SELECT COUNT(*) FROM events").await;
    // filed, accepted, assigned, progress, replied, key supervision, replied, rated
    assert_eq!(events, 8);
    // No 400s: every text the bot sent parsed.
    assert_eq!(live.sandbox.count_status(400), 0);
});
