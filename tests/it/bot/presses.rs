//! Buttons: each kind does what its command does; a stale button, a foreign one and junk
//! data get a short answer and change nothing.

use super::*;

async fn file_and_accept(live: &Live, title: &str) -> String {
    let step = live.say(DEPUTY, &format!("/suggest {title}\nBody")).await;
    let no = step.number_to(DEPUTY, "2026-");
    live.say(LEADER, &format!("/review {no} accept")).await;
    no
}

crate::live_test!(stale_foreign_and_junk_buttons_change_nothing, |live| {
    live.say(LEADER, "/lang en").await;
    live.say(DEPUTY2, "/lang en").await;
    let step = live
        .say(DEPUTY, "/suggest Park benches\nMore benches, please.")
        .await;
    let no = step.number_to(DEPUTY, "2026-");
    let push = live.last_to(LEADER);
    let accept = button(&push, "Accept");
    // Someone else presses the leader's button (as in a shared chat): they may not even
    // see the suggestion, and are told so as for an unknown number.
    live.press_data(DEPUTY2, &push, &accept).await;
    assert_eq!(live.state_of(&no).await, "submitted");
    assert!(
        live.toasts().last().unwrap().contains("no suggestion"),
        "{:?}",
        live.toasts()
    );
    // The leader presses it: done, and the message says so without its buttons.
    live.press_data(LEADER, &push, &accept).await;
    assert_eq!(live.state_of(&no).await, "accepted");
    let edits = live.edits();
    assert_eq!(edits.len(), 1);
    assert!(edits[0].contains("accepted"), "{edits:?}");
    // Pressed again: stale; a short answer, no second edit, no change.
    let events = live.db.count("SELECT COUNT(*) FROM events").await;
    live.press_data(LEADER, &push, &accept).await;
    assert!(
        live.toasts().last().unwrap().contains("Not possible while"),
        "{:?}",
        live.toasts()
    );
    assert_eq!(live.edits().len(), 1);
    assert_eq!(live.db.count("SELECT COUNT(*) FROM events").await, events);
    // Junk data, and data of a button this version never made.
    live.press_data(LEADER, &push, "zz:1").await;
    live.press_data(LEADER, &push, "ra:2026-0001:x").await;
    let toasts = live.toasts();
    assert!(
        toasts[toasts.len() - 2..]
            .iter()
            .all(|t| t.contains("no longer valid")),
        "{toasts:?}"
    );
    assert_eq!(live.db.count("SELECT COUNT(*) FROM events").await, events);
});

crate::live_test!(return_with_a_reason_and_pages_of_my, |live| {
    live.say(DEPUTY, "/lang en").await;
    live.say(LEADER, "/lang en").await;
    let step = live
        .say(
            DEPUTY,
            "/suggest Noise at night\nThe factory runs all night.",
        )
        .await;
    let no = step.number_to(DEPUTY, "2026-");
    let push = live.last_to(LEADER);
    // Return asks for the reason, then returns with it.
    let step = live.press(LEADER, &push, "Return").await;
    assert!(step.text_to(LEADER).contains("reason"));
    assert_eq!(live.state_of(&no).await, "submitted");
    let step = live.say(LEADER, "Please name the factory").await;
    assert_eq!(live.state_of(&no).await, "returned");
    assert!(step.text_to(DEPUTY).contains("Please name the factory"));
    // Twelve more: /my shows ten a page, with ▶, then ◀ on the next.
    for i in 0..12 {
        live.say(DEPUTY, &format!("/suggest Item {i}\nBody")).await;
    }
    let step = live.say(DEPUTY, "/my").await;
    let page = step.to(DEPUTY)[0].clone();
    assert!(page.text.contains("page 1 of 2"), "{}", page.text);
    assert_eq!(page.buttons.len(), 1);
    live.press(DEPUTY, &page, "▶").await;
    let edited = live.edits().pop().unwrap();
    assert!(
        edited.contains("page 2 of 2") && edited.contains(&no),
        "{edited}"
    );
    let buttons = live
        .sandbox
        .calls()
        .into_iter()
        .rev()
        .find(|c| c.method == "editmessagetext")
        .unwrap()
        .buttons;
    assert_eq!(buttons, vec![("◀".to_string(), "my:1001:0".to_string())]);
});

crate::live_test!(language_and_assign_buttons, |live| {
    // /lang without an argument offers buttons; the choice sticks for later answers.
    let step = live.say(DEPUTY, "/lang").await;
    let choose = step.to(DEPUTY)[0].clone();
    live.press(DEPUTY, &choose, "English").await;
    assert!(live.edits().pop().unwrap().contains("English"));
    let help = live.say(DEPUTY, "/help").await.text_to(DEPUTY);
    assert!(help.contains("File a suggestion"), "{help}");
    // The clerk's Assign button opens the picker of the units the clerk may assign to.
    let no = file_and_accept(&live, "Crossing").await;
    let push = live.last_to(CLERK);
    let step = live.press(CLERK, &push, "Assign").await;
    let picker = step.to(CLERK)[0].clone();
    assert_eq!(
        picker.buttons.len(),
        1,
        "the town clerk assigns to town units: {:?}",
        picker.buttons
    );
    // A deputy pressing the picker's button is refused.
    live.press(DEPUTY, &picker, "U3").await;
    assert_eq!(live.state_of(&no).await, "accepted");
    live.press(CLERK, &picker, "U3").await;
    assert_eq!(live.state_of(&no).await, "assigned");
});

crate::live_test!(buttons_that_are_not_yours_open_nothing, |live| {
    for p in [DEPUTY, DEPUTY2, LEADER] {
        live.say(p, "/lang en").await;
    }
    let step = live
        .say(DEPUTY, "/suggest Trees\nPlant trees on Main Street.")
        .await;
    let no = step.number_to(DEPUTY, "2026-");
    let push = live.last_to(LEADER);
    // The filer sees the suggestion but may not review it: no reason is asked for.
    live.press(DEPUTY, &push, "Return").await;
    assert!(
        live.toasts()
            .last()
            .unwrap()
            .contains("not something your role does"),
        "{:?}",
        live.toasts()
    );
    assert_eq!(live.db.count("SELECT COUNT(*) FROM dialogues").await, 0);
    // A /my list in the group chat turns only for its owner.
    for i in 0..10 {
        live.say(DEPUTY, &format!("/suggest More {i}\nBody")).await;
    }
    let list = live.say_in(G1_CHAT, DEPUTY, "/my").await.to(G1_CHAT)[0].clone();
    let edits = live.edits().len();
    live.press(DEPUTY2, &list, "▶").await;
    assert!(live.toasts().last().unwrap().contains("no longer valid"));
    assert_eq!(live.edits().len(), edits);
    live.press(DEPUTY, &list, "▶").await;
    assert_eq!(live.edits().len(), edits + 1);
    // The leader's Return in the group chat asks for a reply from the leader only.
    let step = live.say_in(G1_CHAT, LEADER, &format!("/show {no}")).await;
    assert!(step.text_to(G1_CHAT).contains(&no));
    live.press(LEADER, &push, "Return").await;
    let ask = live
        .sandbox
        .calls()
        .into_iter()
        .rev()
        .find(|c| c.method == "sendmessage" && c.chat_id == Some(LEADER))
        .unwrap();
    assert!(ask.text.unwrap().contains("reason"));
});
