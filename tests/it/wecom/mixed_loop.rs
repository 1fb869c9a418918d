//! The whole loop across two channels: the deputy and the leader on Telegram, the clerk and
//! the unit's contact on WeCom.

use minyi::i18n::html_to_plain;
use minyi::sandbox::wecom::Delivered;

use minyi::wecom::crypto::Keys;
use minyi::wecom::xml::{Value, document};

use super::{BOTH, CLERK, Mixed, STRANGER, UNIT, keys, post, read};
use crate::support::backends;

const DEPUTY: i64 = 1001;
const LEADER: i64 = 1003;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_runs_with_people_on_telegram_and_on_wecom() {
    for db in backends().await {
        let mut m = Mixed::start(db).await;
        let backend = m.db.name;

        // WeCom checks the callback URL when it is saved.
        let verified = m.wecom.verify_url(&m.callback).await;
        assert_eq!(verified.status, 200, "{backend}");
        assert_eq!(verified.body, verified.echo_plaintext, "{backend}");

        // The deputy files on Telegram; the leader accepts there.
        let answer = m
            .telegram_says(
                DEPUTY,
                "/suggest Streetlights on Elm Road\nHalf of them are out.",
            )
            .await;
        assert!(
            answer.iter().any(|d| d.text.contains("2026-0001")),
            "{answer:#?}"
        );
        let review = m
            .telegram
            .delivered_to(LEADER)
            .pop()
            .expect("the leader is told");
        m.telegram_presses(LEADER, &review, "ac:2026-0001").await;
        assert_eq!(m.state_of("2026-0001").await, "accepted", "{backend}");

        // The clerk, on WeCom only, gets a card to assign, in English (the roster's language).
        let clerk = m.wecom.delivered(CLERK);
        let card = clerk
            .iter()
            .rev()
            .find_map(|d| d.card.clone())
            .expect("a card");
        assert_eq!(keys(&card), ["pu:2026-0001"], "{backend}");
        assert!(read(&clerk).contains("2026-0001"), "{}", read(&clerk));
        assert!(
            m.telegram.delivered_to(1004).is_empty(),
            "no Telegram account"
        );

        // Assign from the card: the unit picker, then a unit; the card is marked done.
        let picker = m.wecom_clicks(CLERK, "pu:2026-0001").await;
        let units = picker.iter().find_map(|d| d.card.clone()).expect("units");
        assert!(
            keys(&units).contains(&"as:2026-0001:U3".to_string()),
            "{units}"
        );
        let updates_before = m.wecom.card_updates().len();
        let done = m.wecom_clicks(CLERK, "as:2026-0001:U3").await;
        assert_eq!(m.state_of("2026-0001").await, "assigned", "{backend}");
        assert!(
            read(&done).starts_with("Done: suggestion 2026-0001 is assigned to the unit"),
            "{}",
            read(&done)
        );
        let updates = m.wecom.card_updates();
        assert_eq!(updates.len(), updates_before + 1, "{backend}");
        assert_eq!(updates.last().unwrap().replace_name, "Done");

        // The unit, on WeCom, gets a card to post progress or reply; the group's chat and
        // the deputy hear of the assignment on Telegram.
        let unit = m.wecom.delivered(UNIT);
        let card = unit
            .iter()
            .rev()
            .find_map(|d| d.card.clone())
            .expect("a card");
        assert_eq!(keys(&card), ["pg:2026-0001", "rp:2026-0001"], "{backend}");
        // Read outside the group's chat, a push names the group.
        assert_eq!(card["main_title"]["desc"], "Renmin deputies", "{card}");
        assert!(
            m.telegram
                .delivered_to(-100)
                .iter()
                .any(|d| d.text.contains("2026-0001"))
        );
        let deputy_before = m.telegram.delivered_to(DEPUTY).len();

        // Progress: the card asks for the text, the next message is it.
        let asked = m.wecom_clicks(UNIT, "pg:2026-0001").await;
        let progress_click = m.wecom.last_posted().expect("the click was posted");
        assert!(read(&asked).contains("办理进展"), "{}", read(&asked));
        let recorded = m.wecom_says(UNIT, "路灯已订购").await;
        assert_eq!(
            read(&recorded),
            "建议 2026-0001 的办理进展已记录，已告知代表。"
        );
        let told = m.telegram.delivered_to(DEPUTY);
        assert!(
            told[deputy_before..]
                .iter()
                .any(|d| d.text.contains("路灯已订购"))
        );

        // A replayed callback (WeCom retries what it thinks was lost) changes nothing.
        let events = m.db.count("SELECT COUNT(*) FROM events").await;
        let sent = m.wecom.all_delivered().len();
        assert_eq!(m.wecom.replay(&m.callback).await, 200);
        m.settle().await;
        assert_eq!(
            m.db.count("SELECT COUNT(*) FROM events").await,
            events,
            "{backend}"
        );
        assert_eq!(m.wecom.all_delivered().len(), sent, "{backend}");

        // After a restart (nothing remembered in memory), WeCom delivers the Progress click
        // again: the database knows it, so no dialogue opens again and the unit's next text
        // is not taken as progress.
        m.restart().await;
        let (query, body) = progress_click;
        assert_eq!(post(&m.callback, &query, body).await, 200, "{backend}");
        m.settle().await;
        let events = m.db.count("SELECT COUNT(*) FROM events").await;
        let hint = m.wecom_says(UNIT, "谢谢").await;
        assert_eq!(
            m.db.count("SELECT COUNT(*) FROM events").await,
            events,
            "{backend}"
        );
        assert!(read(&hint).contains("/help"), "{}", read(&hint));

        // The reply, from the same card.
        m.wecom_clicks(UNIT, "rp:2026-0001").await;
        let replied = m.wecom_says(UNIT, "全部路灯已更换。").await;
        assert_eq!(m.state_of("2026-0001").await, "replied", "{backend}");
        assert!(
            read(&replied).contains("答复已送交代表"),
            "{}",
            read(&replied)
        );

        // The deputy rates on Telegram; unsatisfied puts it under key supervision, said to
        // the deputy in the second person, and the unit gets a new card.
        let rate = m
            .telegram
            .delivered_to(DEPUTY)
            .pop()
            .expect("rating buttons");
        assert!(
            rate.buttons.iter().any(|(_, d)| d == "ra:2026-0001:u"),
            "{rate:?}"
        );
        let unit_before = m.wecom.delivered(UNIT).len();
        m.telegram_presses(DEPUTY, &rate, "ra:2026-0001:u").await;
        let edits: Vec<String> = m
            .telegram
            .calls()
            .into_iter()
            .filter(|c| c.method == "editmessagetext")
            .filter_map(|c| c.text)
            .collect();
        assert!(
            edits
                .last()
                .unwrap()
                .contains("的办理结果评价为“不满意”：已列入重点督办"),
            "{edits:?}"
        );
        let again: Vec<Delivered> = m.wecom.delivered(UNIT)[unit_before..].to_vec();
        assert!(read(&again).contains("重点督办"), "{}", read(&again));

        // Deputy Two is on both channels. Filed from WeCom, the leader's acceptance reaches
        // them on both; after `/channel wecom`, the assignment on WeCom only.
        let filed = m
            .wecom_says(BOTH, "/suggest 公交站缺少座椅\n老人候车不便。")
            .await;
        assert!(read(&filed).contains("2026-0002"), "{}", read(&filed));
        let review = m
            .telegram
            .delivered_to(LEADER)
            .pop()
            .expect("the leader is told");
        let (telegram_before, wecom_before) = (
            m.telegram.delivered_to(1002).len(),
            m.wecom.delivered(BOTH).len(),
        );
        m.telegram_presses(LEADER, &review, "ac:2026-0002").await;
        let on_telegram = &m.telegram.delivered_to(1002)[telegram_before..];
        assert!(
            on_telegram.iter().any(|d| d.text.contains("2026-0002")),
            "{backend}"
        );
        assert!(read(&m.wecom.delivered(BOTH)[wecom_before..]).contains("2026-0002"));
        let chosen = m.telegram_says(1002, "/channel wecom").await;
        assert!(
            chosen.iter().any(|d| d.text.contains("企业微信")),
            "{chosen:#?}"
        );
        let (telegram_before, wecom_before) = (
            m.telegram.delivered_to(1002).len(),
            m.wecom.delivered(BOTH).len(),
        );
        m.wecom_clicks(CLERK, "pu:2026-0002").await;
        m.wecom_clicks(CLERK, "as:2026-0002:U3").await;
        assert_eq!(m.state_of("2026-0002").await, "assigned", "{backend}");
        assert_eq!(
            m.telegram.delivered_to(1002).len(),
            telegram_before,
            "{backend}"
        );
        assert!(read(&m.wecom.delivered(BOTH)[wecom_before..]).contains("2026-0002"));

        // Refusals read the same on both channels: Deputy Two may not assign, whichever
        // channel they write from, and nothing changes.
        let on_telegram = m.telegram_says(1002, "/assign 2026-0001 U3").await;
        let on_wecom = m.wecom_says(BOTH, "/assign 2026-0001 U3").await;
        assert_eq!(
            read(&on_wecom),
            html_to_plain(&on_telegram[0].text),
            "{backend}"
        );
        assert_eq!(m.state_of("2026-0001").await, "assigned", "{backend}");

        // A member the roster does not name is told so, and nothing changes.
        let stranger = m.wecom_says(STRANGER, "/queue").await;
        assert!(read(&stranger).contains("stranger"), "{}", read(&stranger));
        assert!(read(&stranger).contains("名册"), "{}", read(&stranger));

        // Signed with this app's keys but naming another app, or not signed: refused.
        let keys = Keys::new(
            "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo",
            "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
            "ww1436e0e65a779aee",
        )
        .unwrap();
        let plain = document(&[
            ("ToUserName", Value::Text("ww1436e0e65a779aee")),
            ("FromUserName", Value::Text(UNIT)),
            ("CreateTime", Value::Number(1_772_000_000)),
            ("MsgType", Value::Text("text")),
            ("Content", Value::Text("/assign 2026-0001 U3")),
            ("MsgId", Value::Number(77)),
            ("AgentID", Value::Number(999)),
        ]);
        let (encrypted, signature) = keys.seal(&plain, "1772000000", "n1");
        let body = document(&[("Encrypt", Value::Text(&encrypted))]);
        let query = format!("msg_signature={signature}&timestamp=1772000000&nonce=n1");
        assert_eq!(
            post(&m.callback, &query, body.clone()).await,
            401,
            "{backend}"
        );
        assert_eq!(post(&m.callback, "", body).await, 401, "{backend}");

        // A forged signature is refused.
        let events = m.db.count("SELECT COUNT(*) FROM events").await;
        let (query, body) = m.wecom.last_posted().expect("posted");
        let forged = query.replacen("msg_signature=", "msg_signature=0", 1);
        let status = reqwest::Client::new()
            .post(format!("{}?{forged}", m.callback))
            .body(body)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401, "{backend}");
        assert_eq!(m.db.count("SELECT COUNT(*) FROM events").await, events);

        m.finish().await;
    }
}
