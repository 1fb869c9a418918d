//! A resident's request end to end: the deep link, the concern with a location, the
//! deputy's inbox and Adopt button, feedback at each step, "was it solved? → no" reaching
//! the deputy; a decline; and no resident identity in anything a unit receives.

use super::*;

/// Contact of unit U3, the town's street office.
const UNIT_C: i64 = 1012;

crate::live_test!(a_residents_request_from_link_to_was_it_solved, |live| {
    live.sandbox.set_user_lang(RESIDENT, "en");
    for p in [DEPUTY, LEADER, CLERK] {
        live.say(p, "/lang en").await;
    }
    // The QR code's deep link opens a dialogue with the deputy.
    let ask = live.say(RESIDENT, "/start d_D1").await.text_to(RESIDENT);
    assert!(ask.contains("Deputy One"), "{ask}");
    live.sandbox
        .location_message(RESIDENT, RESIDENT, 31.2, 121.5);
    live.settle().await;
    assert!(live.last_to(RESIDENT).text.contains("describe"));
    let step = live
        .say(RESIDENT, "The playground gate is broken & <unsafe>")
        .await;
    let rno = step.number_to(RESIDENT, "R-2026-");
    assert_eq!(rno, "R-2026-0001");
    // The deputy is told privately, with Adopt / Decline; /inbox lists it too.
    let push = step.to(DEPUTY)[0].clone();
    assert!(push.text.contains("&lt;unsafe&gt;"), "{}", push.text);
    let inbox = live.say(DEPUTY, "/inbox").await;
    assert!(inbox.text_to(DEPUTY).contains(&rno));
    // Adopted: a suggestion linked to the request; the resident is told its number.
    let step = live.press(DEPUTY, &push, "Adopt").await;
    let no = step.number_to(RESIDENT, "2026-");
    assert_eq!(no, "2026-0001");
    assert_eq!(live.db.count("SELECT COUNT(*) FROM suggestions WHERE request_id IS NOT NULL AND latitude IS NOT NULL").await, 1);
    // Accepted, assigned (the resident hears), replied (the resident hears the reply).
    live.say(LEADER, &format!("/review {no} accept")).await;
    let step = live.say(CLERK, &format!("/assign {no} U3")).await;
    assert!(step.text_to(RESIDENT).contains(&no));
    let step = live
        .say(UNIT_C, &format!("/reply {no} The gate is fixed"))
        .await;
    assert!(step.text_to(RESIDENT).contains("The gate is fixed"));
    // Closed by the deputy's rating: the resident is asked "was it solved?".
    let step = live.say(DEPUTY, &format!("/rate {no} satisfied")).await;
    let closed = step.to(RESIDENT)[0].clone();
    assert_eq!(closed.buttons.len(), 2, "{:?}", closed.buttons);
    // Someone else cannot answer for the resident.
    live.press_data(DEPUTY, &closed, &format!("sv:{no}:y"))
        .await;
    assert_eq!(
        live.db
            .count("SELECT COUNT(*) FROM resident_requests WHERE solved IS NOT NULL")
            .await,
        0
    );
    // "No" is recorded and reaches the deputy; a second answer is refused.
    let step = live
        .press_data(RESIDENT, &closed, &format!("sv:{no}:n"))
        .await;
    assert!(step.text_to(DEPUTY).contains(&no), "the deputy hears it");
    assert_eq!(
        live.db
            .count("SELECT COUNT(*) FROM resident_requests WHERE NOT solved")
            .await,
        1
    );
    live.press_data(RESIDENT, &closed, &format!("sv:{no}:y"))
        .await;
    assert!(
        live.toasts().last().unwrap().contains("already"),
        "{:?}",
        live.toasts()
    );
    // Nothing a unit received names the resident or their account.
    for chat in [UNIT_C, U1_CHAT, UNIT] {
        for d in live.sandbox.delivered_to(chat) {
            assert!(
                !d.text.contains("5555") && !d.text.contains("User 5555"),
                "{}",
                d.text
            );
        }
    }
});

crate::live_test!(a_request_to_a_group_is_declined_with_a_reason, |live| {
    live.sandbox.set_user_lang(RESIDENT, "zh");
    live.say(LEADER, "/lang en").await;
    live.say(DEPUTY2, "/lang en").await;
    // An unknown code, and a link opened in a group, are answered without a request.
    assert!(
        live.say(RESIDENT, "/start d_NOPE")
            .await
            .text_to(RESIDENT)
            .contains("NOPE")
    );
    assert!(
        live.say_in(G1_CHAT, RESIDENT, "/start g_G1")
            .await
            .text_to(G1_CHAT)
            .contains("私聊")
    );
    live.say(RESIDENT, "/start g_G1").await;
    // A photo alone is kept until the words come.
    live.sandbox.photo_message(RESIDENT, RESIDENT, None);
    live.settle().await;
    let step = live.say(RESIDENT, "垃圾清运不及时").await;
    let rno = step.number_to(RESIDENT, "R-2026-");
    // A group request goes to the group's leader; any deputy of the group may decline it.
    let push = step.to(LEADER)[0].clone();
    assert!(push.text.contains(&rno));
    let refused = live
        .say(OTHER_DEPUTY, &format!("/decline {rno} Not ours"))
        .await;
    assert!(
        refused.text_to(OTHER_DEPUTY).contains(&rno),
        "another group's deputy: unknown request"
    );
    // Someone the request is not addressed to cannot even open the reason dialogue.
    live.press(OTHER_DEPUTY, &push, "Decline").await;
    assert_eq!(live.db.count("SELECT COUNT(*) FROM dialogues").await, 0);
    // Requests are not shown in a group chat.
    let hidden = live
        .say_in(G1_CHAT, DEPUTY2, "/inbox")
        .await
        .text_to(G1_CHAT);
    assert!(hidden.contains("private chat"), "{hidden}");
    let inbox = live.say(DEPUTY2, "/inbox").await;
    let item = inbox
        .to(DEPUTY2)
        .into_iter()
        .find(|d| d.text.contains(&rno))
        .unwrap()
        .clone();
    let step = live.press(DEPUTY2, &item, "Decline").await;
    assert!(step.text_to(DEPUTY2).contains("reason"));
    let step = live.say(DEPUTY2, "A matter for the property company").await;
    assert!(
        step.text_to(RESIDENT)
            .contains("A matter for the property company")
    );
    assert_eq!(live.db.count("SELECT COUNT(*) FROM resident_requests WHERE state = 'declined' AND photo_file_id IS NOT NULL").await, 1);
    // Handled: adopting it now is refused and changes nothing.
    let late = live
        .say(DEPUTY2, &format!("/adopt {rno}"))
        .await
        .text_to(DEPUTY2);
    assert!(late.contains("already"), "{late}");
    assert_eq!(live.db.count("SELECT COUNT(*) FROM suggestions").await, 0);
});
