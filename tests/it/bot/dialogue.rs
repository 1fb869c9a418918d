//! The `/suggest` dialogue: complete with a photo and a location, cancelled by command and
//! by button, and started again after `/cancel` with nothing left over.

use super::*;

crate::live_test!(the_dialogue_files_with_a_photo_and_a_location, |live| {
    live.say(DEPUTY, "/lang en").await;
    assert!(
        live.say(DEPUTY, "/suggest")
            .await
            .text_to(DEPUTY)
            .contains("title")
    );
    assert!(
        live.say(DEPUTY, "Flooded underpass")
            .await
            .text_to(DEPUTY)
            .contains("text")
    );
    let step = live
        .say(DEPUTY, "After every storm the underpass floods.")
        .await;
    let categories = step.to(DEPUTY)[0].clone();
    assert!(categories.buttons.len() >= 6, "{:?}", categories.buttons);
    let step = live.press(DEPUTY, &categories, "Environment").await;
    let summary = step.to(DEPUTY)[0].clone();
    assert!(
        summary.text.contains("Flooded underpass"),
        "{}",
        summary.text
    );
    // A photo and a location are attached before filing.
    live.sandbox.photo_message(DEPUTY, DEPUTY, None);
    live.settle().await;
    assert!(live.last_to(DEPUTY).text.contains("photo is attached"));
    live.sandbox.location_message(DEPUTY, DEPUTY, 31.23, 121.47);
    live.settle().await;
    let summary = live.last_to(DEPUTY);
    assert!(summary.text.contains("31.23"), "{}", summary.text);
    // Text while the summary waits is answered with what to do.
    assert!(
        live.say(DEPUTY, "hello?")
            .await
            .text_to(DEPUTY)
            .contains("Press File")
    );
    live.press(DEPUTY, &summary, "File").await;
    let filed = live.edits().pop().unwrap();
    assert!(filed.contains("2026-0001"), "{filed}");
    let with_attachments = live
        .db
        .count("SELECT COUNT(*) FROM suggestions WHERE category = 'environment' AND photo_file_id IS NOT NULL AND latitude > 31 AND longitude > 121")
        .await;
    assert_eq!(with_attachments, 1);
    // The dialogue is over: plain text now gets a hint, not a step.
    assert!(
        live.say(DEPUTY, "thanks")
            .await
            .text_to(DEPUTY)
            .contains("/help")
    );
    assert_eq!(live.db.count("SELECT COUNT(*) FROM dialogues").await, 0);
    // The File button again (stale) files nothing more.
    live.press(DEPUTY, &summary, "File").await;
    assert_eq!(live.db.count("SELECT COUNT(*) FROM suggestions").await, 1);
});

crate::live_test!(
    cancel_leaves_the_dialogue_and_a_new_one_starts_clean,
    |live| {
        live.say(DEPUTY, "/lang en").await;
        live.say(DEPUTY, "/suggest").await;
        live.say(DEPUTY, "A title I regret").await;
        assert!(
            live.say(DEPUTY, "/cancel")
                .await
                .text_to(DEPUTY)
                .contains("Cancelled")
        );
        assert!(
            live.say(DEPUTY, "/cancel")
                .await
                .text_to(DEPUTY)
                .contains("nothing to cancel")
        );
        // Started again: it asks for the title first, not the body.
        assert!(
            live.say(DEPUTY, "/suggest")
                .await
                .text_to(DEPUTY)
                .contains("title")
        );
        live.say(DEPUTY, "Better title").await;
        let step = live.say(DEPUTY, "Body").await;
        let categories = step.to(DEPUTY)[0].clone();
        // A typed category code works like the button.
        let step = live.say(DEPUTY, "livelihood").await;
        let summary = step.to(DEPUTY)[0].clone();
        assert!(summary.text.contains("Better title") && !summary.text.contains("regret"));
        // Cancel by button; an old category button is stale afterwards.
        live.press(DEPUTY, &summary, "Cancel").await;
        live.press(DEPUTY, &categories, "Other").await;
        assert!(live.toasts().last().unwrap().contains("no longer valid"));
        assert_eq!(live.db.count("SELECT COUNT(*) FROM suggestions").await, 0);
        // In the group chat, the dialogue belongs to the group and files there.
        live.say_in(G1_CHAT, DEPUTY, "/suggest").await;
        live.say_in(G1_CHAT, DEPUTY, "From the group").await;
        live.say_in(G1_CHAT, DEPUTY, "Body").await;
        let step = live.say_in(G1_CHAT, DEPUTY, "other").await;
        let summary = step.to(G1_CHAT)[0].clone();
        live.press(DEPUTY, &summary, "✅").await;
        assert_eq!(
            live.db
                .count("SELECT COUNT(*) FROM suggestions WHERE title = 'From the group'")
                .await,
            1
        );
        // Another member's text in the group is not part of the deputy's dialogue.
        assert!(live.say_in(G1_CHAT, DEPUTY2, "chatting").await.0.is_empty());
    }
);

crate::live_test!(
    a_redelivered_step_is_not_taken_twice_and_a_captioned_photo_files,
    |live| {
        live.say(DEPUTY, "/lang en").await;
        live.say(DEPUTY, "/suggest").await;
        // The title arrives, then (after a restart) the same update again: it must not become
        // the body.
        let title = serde_json::json!({
            "update_id": 800,
            "message": {
                "message_id": 50, "date": 1_770_000_000,
                "chat": { "id": DEPUTY, "type": "private", "first_name": "D" },
                "from": { "id": DEPUTY, "is_bot": false, "first_name": "D" },
                "text": "Potholes"
            }
        });
        live.sandbox.push_update(title.clone());
        live.settle().await;
        live.restart().await;
        live.sandbox.push_update(title);
        live.settle().await;
        assert!(live.last_to(DEPUTY).text.contains("done already"));
        let state = live
            .db
            .count("SELECT COUNT(*) FROM dialogues WHERE state LIKE '%\"body\"%'")
            .await;
        assert_eq!(state, 1, "still waiting for the body");
        live.say(DEPUTY, "/cancel").await;
        // A photo captioned with the one-shot command files with the photo.
        live.sandbox
            .photo_message(DEPUTY, DEPUTY, Some("/suggest Broken sign\nAt the corner."));
        live.settle().await;
        assert!(live.last_to(DEPUTY).text.contains("2026-0001"));
        let with_photo = live
            .db
            .count("SELECT COUNT(*) FROM suggestions WHERE photo_file_id IS NOT NULL")
            .await;
        assert_eq!(with_photo, 1);
        // Someone who is not a deputy cannot start the dialogue at all.
        let refused = live.say(CLERK, "/suggest").await.text_to(CLERK);
        assert!(
            refused.contains("not something your role does") || refused.contains("您的角色不能"),
            "{refused}"
        );
        assert_eq!(live.db.count("SELECT COUNT(*) FROM dialogues").await, 0);
    }
);
