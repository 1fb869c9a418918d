//! Tried as members of a busy group chat would, with other bots in it: other bots' commands
//! get no answer, bad input is quoted short, a refusal names its first reason, edits are not
//! read. Each in both languages (the deputy reads Chinese, the leader and the town's clerk
//! English).

use super::*;
use minyi::sandbox::FaultKind;

async fn counts(live: &Live) -> (i64, i64, i64, i64) {
    (
        live.db.count("SELECT COUNT(*) FROM suggestions").await,
        live.db.count("SELECT COUNT(*) FROM events").await,
        live.db.count("SELECT COUNT(*) FROM outbox").await,
        live.db.count("SELECT COUNT(*) FROM invites").await,
    )
}

/// An unbound group chat besides G1's bound one.
const OTHER_GROUP: i64 = -900;

crate::live_test!(other_bots_commands_in_groups_get_no_answer, |live| {
    live.say(LEADER, "/lang en").await;
    let before = counts(&live).await;
    let members = [DEPUTY, DEPUTY2, LEADER, OTHER_DEPUTY, RESIDENT];
    let talk = [
        "/ban @spammer",
        "/warn @spammer stop it",
        "/mute@modbot @spammer 1h",
        "/roll@dice_bot d20",
        "/kick",
        "/rules",
        "@modbot /ban please",
        "hello @minyi_sandbox_bot",
    ];
    for chat in [G1_CHAT, OTHER_GROUP] {
        let step = live
            .act(|sandbox| {
                for member in members {
                    for text in talk {
                        sandbox.group_message(chat, member, text);
                    }
                }
                // The two bots themselves, where Telegram shows their messages.
                sandbox.message_from_bot(chat, 7001, "modbot", "/ban@modbot @spammer");
                sandbox.message_from_bot(chat, 7001, "modbot", "@spammer was banned.");
                sandbox.message_from_bot(chat, 7002, "dice_bot", "/roll");
                sandbox.message_from_bot(chat, 7002, "dice_bot", "/help");
            })
            .await;
        assert!(step.0.is_empty(), "chat {chat}: {:#?}", step.0);
    }
    // Addressed to minyi by name: answered, in the sender's language.
    let step = live
        .say_in(G1_CHAT, LEADER, "/ban@minyi_sandbox_bot @spammer")
        .await;
    assert!(
        step.text_to(G1_CHAT).contains("There is no command /ban."),
        "{}",
        step.text_to(G1_CHAT)
    );
    let step = live
        .say_in(OTHER_GROUP, DEPUTY, "/Ban@Minyi_Sandbox_Bot")
        .await;
    assert!(step.text_to(OTHER_GROUP).contains("没有 /ban 这个命令"));
    // A reply to minyi's own message is addressed to it; a reply to a member's is not.
    let ours = live.last_to(G1_CHAT);
    let step = live
        .act(|sandbox| {
            sandbox.reply_message(G1_CHAT, DEPUTY, ours.message_id, "/frobnicate");
        })
        .await;
    assert!(step.text_to(G1_CHAT).contains("没有 /frobnicate 这个命令"));
    let step = live
        .act(|sandbox| {
            sandbox.reply_message(G1_CHAT, LEADER, 1, "/frobnicate");
        })
        .await;
    assert!(step.0.is_empty(), "{:#?}", step.0);
    // In a private chat an unknown command is always answered.
    let step = live.say(LEADER, "/ban @spammer").await;
    assert!(step.text_to(LEADER).contains("There is no command /ban."));
    let step = live.say(DEPUTY, "/ban @spammer").await;
    assert!(step.text_to(DEPUTY).contains("没有 /ban 这个命令"));
    assert_eq!(counts(&live).await, before, "the noise changed nothing");
});

crate::live_test!(bad_input_is_quoted_short_in_one_message, |live| {
    live.say(LEADER, "/lang en").await;
    live.say(CLERK, "/lang en").await;
    let step = live
        .say(DEPUTY, "/suggest Street lights\nHalf are out.")
        .await;
    let no = step.number_to(DEPUTY, "2026-");
    live.say(LEADER, &format!("/review {no} accept")).await;
    let before = counts(&live).await;
    let long = "x".repeat(10_000);
    let quoted = format!("{}…", "x".repeat(64));
    let over = "x".repeat(65);
    let cases: Vec<(i64, String, &str)> = vec![
        (DEPUTY, format!("/{long}"), "这个命令"),
        (LEADER, format!("/{long}"), "There is no command"),
        (DEPUTY, format!("/show {long}"), "不是有效编号"),
        (LEADER, format!("/show {long}"), "is not a number"),
        (DEPUTY, format!("/start d_{long}"), "二维码"),
        (LEADER, format!("/start d_{long}"), "QR code"),
        (CLERK, format!("/assign {no} {long}"), "no handling unit"),
        (CLERK, format!("/invite {long}"), "no person with the code"),
    ];
    for (who, text, expected) in &cases {
        let step = live.say(*who, text).await;
        assert_eq!(step.0.len(), 1, "{expected}: one message: {:#?}", step.0);
        let answer = &step.0[0].text;
        assert!(answer.contains(expected), "{answer}");
        assert!(answer.contains(&quoted), "{answer}");
        assert!(!answer.contains(&over), "{answer}");
    }
    // A 100,000-character word, and a bad code in a group.
    let huge = format!("/{}", "字".repeat(100_000));
    let step = live.say(DEPUTY, &huge).await;
    assert_eq!(step.0.len(), 1);
    assert!(step.0[0].text.contains(&format!("{}…", "字".repeat(64))));
    let step = live
        .say_in(OTHER_GROUP, ADMIN, &format!("/bind {long}"))
        .await;
    assert_eq!(step.0.len(), 1);
    assert!(step.0[0].text.contains(&quoted));
    assert_eq!(counts(&live).await, before, "bad input changed nothing");
    assert_eq!(live.sandbox.count_status(400), 0);
});

crate::live_test!(a_refusal_names_the_role_before_the_scope, |live| {
    live.say(LEADER, "/lang en").await;
    live.say(CLERK, "/lang en").await;
    let before = counts(&live).await;
    // D3 is a deputy of G2 in town T2. Inviting is not a deputy's or a leader's to do,
    // wherever the invitee is; for T1's clerk, D3 is outside their org.
    let cases = [
        (DEPUTY, "/invite D3", "您的角色不能邀请他人"),
        (DEPUTY, "/invite D1", "您的角色不能邀请他人"),
        (
            LEADER,
            "/invite D3",
            "Inviting people is not something your role does",
        ),
        (CLERK, "/invite D3", "they are outside your org"),
        (DEPUTY, "/overdue", "您的角色不能办理此项操作"),
        (LEADER, "/stats", "This is not something your role does"),
    ];
    for (who, text, expected) in cases {
        let answer = live.say(who, text).await.text_to(who);
        assert!(answer.contains(expected), "{text}: {answer}");
    }
    // T1's clerk binding a chat to G2 of town T2: the role fits, the scope does not.
    let answer = live
        .say_in(OTHER_GROUP, CLERK, "/bind G2")
        .await
        .text_to(OTHER_GROUP);
    assert!(answer.contains("and this is outside it"), "{answer}");
    let answer = live
        .say_in(OTHER_GROUP, DEPUTY, "/bind G2")
        .await
        .text_to(OTHER_GROUP);
    assert!(answer.contains("您的角色不能办理此项操作"), "{answer}");
    assert_eq!(counts(&live).await, before, "a refusal changes nothing");
    assert_eq!(
        live.db
            .count("SELECT COUNT(*) FROM chat_bindings WHERE chat_id = -900")
            .await,
        0
    );
});

crate::live_test!(
    edited_commands_are_not_read_and_answered_once_in_private,
    |live| {
        live.say(LEADER, "/lang en").await;
        let before = counts(&live).await;
        for (who, expected) in [
            (DEPUTY, "修改过的消息不会被读取"),
            (LEADER, "Edits are not read"),
        ] {
            live.say(who, "/show 2026-0001").await;
            let step = live
                .act(|sandbox| {
                    sandbox.edit_last_message(who, who, "/suggest Lights\nHalf are out.");
                })
                .await;
            assert_eq!(step.0.len(), 1, "{:#?}", step.0);
            assert!(
                step.text_to(who).contains(expected),
                "{}",
                step.text_to(who)
            );
            // The same message edited again: no second answer.
            let step = live
                .act(|sandbox| {
                    sandbox.edit_last_message(who, who, "/suggest Lights");
                })
                .await;
            assert!(step.0.is_empty(), "{:#?}", step.0);
            // Edited talk that is not a command, and edits in a group, stay unanswered.
            live.sandbox.private_message(who, "hello");
            live.sandbox.group_message(G1_CHAT, who, "/my");
            live.settle().await;
            let step = live
                .act(|sandbox| {
                    sandbox.edit_last_message(who, who, "hello again");
                    sandbox.edit_last_message(G1_CHAT, who, "/suggest Lights");
                })
                .await;
            assert!(step.0.is_empty(), "{:#?}", step.0);
        }
        assert_eq!(counts(&live).await, before, "an edit changes nothing");
    }
);

crate::live_test!(
    polling_asks_for_its_kinds_of_update_whatever_was_set_before,
    |live| {
        // An older version or another program with this token left Telegram sending only
        // messages: edits and button presses would never be made.
        live.stop_service().await;
        live.sandbox.set_allowed_updates(&["message"]);
        live.start_service();
        live.say(DEPUTY, "/show 2026-0001").await;
        assert_eq!(
            live.sandbox.allowed_updates().unwrap(),
            [
                "message",
                "edited_message",
                "callback_query",
                "my_chat_member"
            ]
        );
        let step = live
            .act(|sandbox| {
                sandbox.edit_last_message(DEPUTY, DEPUTY, "/suggest Lights");
            })
            .await;
        assert!(
            step.text_to(DEPUTY).contains("修改过的消息不会被读取"),
            "{:#?}",
            step.0
        );
    }
);

crate::live_test!(an_answer_lost_on_the_way_is_sent_again, |live| {
    live.say(LEADER, "/lang en").await;
    // The connection drops twice: the third try arrives. (A proxy's 5xx page is tried again
    // the same way, after teloxide's own 10-second wait: see tests/it/ops/logs.rs.)
    let step = live
        .act(|sandbox| {
            sandbox.fail_next_sends(&[FaultKind::Drop, FaultKind::Drop]);
            sandbox.private_message(LEADER, "/my");
        })
        .await;
    assert_eq!(step.to(LEADER).len(), 1, "{:#?}", step.0);
    // Three failures in a row: the person is not answered, and nothing else happens.
    let before = counts(&live).await;
    let step = live
        .act(|sandbox| {
            sandbox.fail_next_sends(&[FaultKind::Drop, FaultKind::Drop, FaultKind::Drop]);
            sandbox.private_message(LEADER, "/my");
        })
        .await;
    assert!(step.0.is_empty(), "{:#?}", step.0);
    assert_eq!(counts(&live).await, before);
});
