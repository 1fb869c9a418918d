//! Every command's happy path and its refusals: role, scope, state and arguments. A refusal
//! changes nothing.

use super::*;

/// Everyone in these tests reads English.
async fn english(live: &Live, people: &[i64]) {
    for p in people {
        let step = live.say(*p, "/lang en").await;
        assert!(step.text_to(*p).contains("English"));
    }
}

async fn counts(live: &Live) -> (i64, i64, i64) {
    (
        live.db.count("SELECT COUNT(*) FROM suggestions").await,
        live.db.count("SELECT COUNT(*) FROM events").await,
        live.db.count("SELECT COUNT(*) FROM outbox").await,
    )
}

crate::live_test!(bad_input_gets_a_clear_answer_and_changes_nothing, |live| {
    english(&live, &[DEPUTY, OTHER_DEPUTY, LEADER]).await;
    let step = live
        .say(DEPUTY, "/suggest Bus stop\nThe shelter is broken.")
        .await;
    let no = step.number_to(DEPUTY, "2026-");
    live.say(LEADER, &format!("/review {no} accept")).await;
    let before = counts(&live).await;
    let cases: &[(i64, String, &str)] = &[
        (
            DEPUTY,
            "/frobnicate".into(),
            "There is no command /frobnicate",
        ),
        (DEPUTY, "/show".into(), "/show <no>"),
        (DEPUTY, "/show 42".into(), "is not a number"),
        (DEPUTY, "/show 2026-0999".into(), "no suggestion"),
        // Someone who may not see it gets the same answer as for an unknown number.
        (OTHER_DEPUTY, format!("/show {no}"), "no suggestion"),
        (
            DEPUTY,
            format!("/rate {no} great"),
            "/rate <no> satisfied|basic|unsatisfied",
        ),
        (
            DEPUTY,
            format!("/rate {no} satisfied"),
            "Not possible while",
        ),
        (
            DEPUTY,
            format!("/assign {no} U3"),
            "not something your role does",
        ),
        (DEPUTY, format!("/withdraw {no}"), "Not possible while"),
        (DEPUTY, format!("/review {no} maybe"), "/review <no>"),
        (
            DEPUTY,
            format!("/extend {no} ten days"),
            "/extend <no> <days> <reason>",
        ),
        (DEPUTY, "/stats March".into(), "/stats [YYYY-MM]"),
        (DEPUTY, "/adopt 2026-0001".into(), "is not a number"),
        (LEADER, format!("/review {no} accept"), "Not possible while"),
        (OTHER_DEPUTY, "/queue".into(), "Nothing waits"),
    ];
    for (who, text, expected) in cases {
        let step = live.say(*who, text).await;
        let answer = step.text_to(*who);
        let plain = answer.replace("&lt;", "<").replace("&gt;", ">");
        assert!(plain.contains(expected), "{text}: {answer}");
        assert_eq!(step.0.len(), 1, "{text}: one answer only, to the asker");
    }
    assert_eq!(counts(&live).await, before, "a refusal changes nothing");
    // Group chats: a command for another bot is ignored; an unknown one is answered.
    let step = live.say_in(G1_CHAT, DEPUTY, "/help@some_other_bot").await;
    assert!(step.0.is_empty());
    let step = live
        .say_in(G1_CHAT, DEPUTY, "/help@minyi_sandbox_bot")
        .await;
    assert!(step.text_to(G1_CHAT).contains("/suggest"));
    assert_eq!(live.sandbox.count_status(400), 0);
});

crate::live_test!(every_role_works_its_steps_by_command, |live| {
    english(
        &live,
        &[DEPUTY, LEADER, COUNTY_CLERK, UNIT, SECRETARY, CHAIR],
    )
    .await;
    let step = live
        .say(DEPUTY, "/suggest Bridge repair\nCracks in the old bridge.")
        .await;
    let no = step.number_to(DEPUTY, "2026-");
    // Leader: the queue lists it; accept as a district-level matter.
    assert!(
        live.say(LEADER, "/queue")
            .await
            .text_to(LEADER)
            .contains(&no)
    );
    let step = live
        .say(LEADER, &format!("/review {no} accept district"))
        .await;
    assert!(step.text_to(LEADER).contains("accepted"));
    // A district matter is the county's to assign: its clerks and its bound chat hear it.
    assert!(step.chats().contains(&COUNTY_CLERK) && step.chats().contains(&C_CHAT));
    assert!(!step.chats().contains(&CLERK));
    // The county clerk assigns district matters: queue, key, assign with a co-unit.
    assert!(
        live.say(COUNTY_CLERK, "/queue")
            .await
            .text_to(COUNTY_CLERK)
            .contains(&no)
    );
    live.say(COUNTY_CLERK, &format!("/key {no}")).await;
    let step = live
        .say(COUNTY_CLERK, &format!("/assign {no} U1 U2 --days 45"))
        .await;
    assert!(
        step.text_to(COUNTY_CLERK).contains("assigned"),
        "{}",
        step.text_to(COUNTY_CLERK)
    );
    assert!(step.chats().contains(&U1_CHAT) && step.chats().contains(&UNIT));
    assert!(live.say(UNIT, "/queue").await.text_to(UNIT).contains(&no));
    let step = live
        .say(COUNTY_CLERK, &format!("/extend {no} 10 Budget approval"))
        .await;
    assert!(step.text_to(DEPUTY).contains("Budget approval"));
    // The unit: progress, reply; the deputy rates by command.
    live.say(UNIT, &format!("/progress {no} Engineers on site"))
        .await;
    live.say(UNIT, &format!("/reply {no} Bridge repaired"))
        .await;
    // A key suggestion: the rating is on the record, the committee's vote closes it.
    let step = live.say(DEPUTY, &format!("/rate {no} basic")).await;
    let answer = step.text_to(DEPUTY);
    assert!(answer.contains("waits for it"), "{answer}");
    assert_eq!(live.state_of(&no).await, "replied");
    live.say(CHAIR, &format!("/vote {no} pass")).await;
    assert_eq!(live.state_of(&no).await, "closed");
    // Lists and statistics.
    let my = live.say(DEPUTY, "/my").await.text_to(DEPUTY);
    assert!(my.contains(&no) && my.contains("closed"), "{my}");
    let stats = live
        .say(COUNTY_CLERK, "/stats 2026-03")
        .await
        .text_to(COUNTY_CLERK);
    assert!(
        stats.contains("Received: 1") && stats.contains("Closed: 1"),
        "{stats}"
    );
    assert!(stats.contains("100.0%"), "{stats}");
    // A unit contact may not see statistics.
    let refused = live.say(UNIT, "/stats").await.text_to(UNIT);
    assert!(
        refused.contains("not something your role does"),
        "{refused}"
    );
});

crate::live_test!(edit_withdraw_merge_transfer_decline_and_overdue, |live| {
    english(&live, &[DEPUTY, LEADER, CLERK, SECRETARY]).await;
    let mut nos = Vec::new();
    for title in ["One", "Two", "Three", "Four", "Five"] {
        let step = live
            .say(DEPUTY, &format!("/suggest {title}\nBody {title}"))
            .await;
        nos.push(step.number_to(DEPUTY, "2026-"));
    }
    // Returned, edited (resubmitted), then withdrawn.
    let step = live
        .say(LEADER, &format!("/review {} return Too vague", nos[0]))
        .await;
    assert!(step.text_to(DEPUTY).contains("Too vague"));
    let step = live
        .say(
            DEPUTY,
            &format!("/edit {} One, precisely\nWhere and when", nos[0]),
        )
        .await;
    assert!(step.text_to(DEPUTY).contains("submitted"));
    live.say(DEPUTY, &format!("/withdraw {}", nos[0])).await;
    assert_eq!(live.state_of(&nos[0]).await, "withdrawn");
    for no in &nos[1..] {
        live.say(LEADER, &format!("/review {no} accept")).await;
    }
    live.say(CLERK, &format!("/merge {} {}", nos[1], nos[2]))
        .await;
    assert_eq!(live.state_of(&nos[1]).await, "merged");
    live.say(CLERK, &format!("/transfer {} Provincial matter", nos[3]))
        .await;
    assert_eq!(live.state_of(&nos[3]).await, "transferred");
    let step = live
        .say(CLERK, &format!("/decline {} Already planned", nos[4]))
        .await;
    assert!(step.text_to(DEPUTY).contains("Already planned"));
    assert_eq!(live.state_of(&nos[4]).await, "declined");
    // The remaining accepted one is due for assignment in 3 days: yellow now, red later.
    let overdue = live.say(SECRETARY, "/overdue").await.text_to(SECRETARY);
    assert!(
        overdue.contains(&nos[2]) && overdue.contains("🟡"),
        "{overdue}"
    );
    live.clock.set(shanghai(2026, 3, 9, 9, 0));
    let overdue = live.say(SECRETARY, "/overdue").await.text_to(SECRETARY);
    assert!(overdue.contains("🔴"), "{overdue}");
});

crate::live_test!(start_help_bind_and_invite, |live| {
    english(&live, &[ADMIN, DEPUTY, CLERK]).await;
    // At start the bot put its commands in Telegram's menu: in Chinese (also the default
    // for other languages) and in English.
    let menus = live
        .sandbox
        .calls()
        .iter()
        .filter(|c| c.method == "setmycommands")
        .count();
    assert_eq!(menus, 3);
    // A stranger is a resident: greeted in their app's language, and /help lists the
    // common commands only.
    live.sandbox.set_user_lang(RESIDENT, "en-GB");
    let hello = live.say(RESIDENT, "/start").await.text_to(RESIDENT);
    assert!(hello.contains("minyi"), "{hello}");
    let help = live.say(RESIDENT, "/help").await.text_to(RESIDENT);
    assert!(
        help.contains("/lang") && !help.contains("/suggest"),
        "{help}"
    );
    let help = live.say(CLERK, "/help").await.text_to(CLERK);
    assert!(
        help.contains("/assign") && !help.contains("/rate"),
        "{help}"
    );
    // The bot added to a new group; only an admin or a clerk of the scope may bind it.
    let step = {
        live.sandbox.bot_membership(-900, ADMIN, true);
        live.settle().await;
        live.last_to(-900)
    };
    assert!(step.text.contains("/bind"), "{}", step.text);
    let refused = live.say_in(-900, DEPUTY, "/bind G1").await.text_to(-900);
    assert!(
        refused.contains("not something your role does"),
        "{refused}"
    );
    let unknown = live.say_in(-900, ADMIN, "/bind NOPE").await.text_to(-900);
    assert!(unknown.contains("NOPE"), "{unknown}");
    let bound = live.say_in(-900, ADMIN, "/bind U2").await.text_to(-900);
    assert!(bound.contains("U2"), "{bound}");
    assert_eq!(
        live.db
            .count("SELECT COUNT(*) FROM chat_bindings WHERE chat_id = -900")
            .await,
        1
    );
    let private = live.say(ADMIN, "/bind G1").await.text_to(ADMIN);
    assert!(private.contains("group chat"), "{private}");
    // An invite, asked for in a group, goes privately; it works once.
    let step = live.say_in(G1_CHAT, ADMIN, "/invite D2").await;
    assert!(step.text_to(G1_CHAT).contains("privately"));
    let link = step.text_to(ADMIN);
    let token = link
        .split("start=")
        .nth(1)
        .expect("a deep link")
        .split_whitespace()
        .next()
        .unwrap();
    let welcome = live
        .say(7777, &format!("/start {token}"))
        .await
        .text_to(7777);
    assert!(welcome.contains("Deputy Two"), "{welcome}");
    // Opened again by the same account: greeted again, not told the link is dead.
    let twice = live
        .say(7777, &format!("/start {token}"))
        .await
        .text_to(7777);
    assert!(twice.contains("Deputy Two"), "{twice}");
    let again = live
        .say(7778, &format!("/start {token}"))
        .await
        .text_to(7778);
    assert!(
        again.contains("邀请链接无效") || again.contains("does not work"),
        "{again}"
    );
    let refused = live.say(DEPUTY, "/invite D2").await.text_to(DEPUTY);
    assert!(
        refused.contains("Inviting people is not something your role does"),
        "{refused}"
    );
});

crate::live_test!(
    hostile_text_shows_back_literally_and_long_text_is_split,
    |live| {
        english(&live, &[DEPUTY]).await;
        let body = "Long body. ".repeat(460);
        assert!(body.chars().count() > 5000);
        let step = live
            .say(DEPUTY, &format!("/suggest <b>x</b> & <script>\n{body}"))
            .await;
        let no = step.number_to(DEPUTY, "2026-");
        assert!(
            step.text_to(DEPUTY)
                .contains("&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;")
        );
        let step = live.say(DEPUTY, &format!("/show {no}")).await;
        assert!(step.to(DEPUTY).len() >= 2, "shown in parts");
        let joined: String = step.to(DEPUTY).iter().map(|d| d.text.as_str()).collect();
        assert_eq!(joined.matches("Long body.").count(), 460, "nothing cut");
        assert_eq!(live.sandbox.count_status(400), 0);
    }
);

crate::live_test!(an_update_delivered_twice_changes_state_once, |live| {
    let update = serde_json::json!({
        "update_id": 700,
        "message": {
            "message_id": 1, "date": 1_770_000_000,
            "chat": { "id": DEPUTY, "type": "private", "first_name": "D" },
            "from": { "id": DEPUTY, "is_bot": false, "first_name": "D" },
            "text": "/suggest Once only\nBody",
            "entities": [{ "type": "bot_command", "offset": 0, "length": 8 }]
        }
    });
    live.sandbox.push_update(update.clone());
    live.settle().await;
    // A restart (or a webhook retry) delivers the same update again.
    live.restart().await;
    live.sandbox.push_update(update);
    live.settle().await;
    assert_eq!(live.db.count("SELECT COUNT(*) FROM suggestions").await, 1);
    assert_eq!(live.db.count("SELECT COUNT(*) FROM events").await, 1);
    let answers = live.sandbox.delivered_to(DEPUTY);
    assert!(
        answers.last().unwrap().text.contains("此操作已办理过"),
        "{:?}",
        answers
    );
});

/// Two replicas on one PostgreSQL database: only the one holding the poll lock polls and
/// delivers; the other takes over when it stops.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_replica_polls_at_a_time() {
    let Some(db) = crate::support::postgres().await else {
        return;
    };
    let live = Live::start(db).await;
    live.say(DEPUTY, "/help").await;
    // A second replica with a sandbox of its own: it waits for the lock, so its updates stay
    // unanswered.
    let other = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let stop = CancellationToken::new();
    let replica = spawn(&live.db, &other, &live.config, &live.clock, &stop);
    other.private_message(DEPUTY, "/help");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        other.pending_updates(),
        1,
        "the second replica does not poll"
    );
    assert!(other.delivered().is_empty());
    // The first stops: the second takes the lock (it retries every 5 s) and answers.
    live.stop.cancel();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while other.delivered_to(DEPUTY).is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the second replica took over"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.cancel();
    replica.await.unwrap();
    live.finish().await;
}
