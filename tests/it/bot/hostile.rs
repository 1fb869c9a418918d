//! Hostile input on the webhook, as raw updates (issue 15): bodies that are not JSON or not
//! updates, kinds of update minyi does not read, channel posts, forwarded commands, texts of
//! 100,000 characters, a photo without a caption, a location with no concern to go with it.
//! No panic, a clear answer where a person should get one, and no change.

use minyi::bot::webhook::{SECRET_HEADER, secret};
use serde_json::{Value, json};

use super::*;

async fn counts(live: &Live) -> [i64; 5] {
    let mut counted = [0; 5];
    for (i, table) in [
        "suggestions",
        "events",
        "outbox",
        "dialogues",
        "resident_requests",
    ]
    .iter()
    .enumerate()
    {
        counted[i] = live
            .db
            .count(&format!("SELECT COUNT(*) FROM {table}"))
            .await;
    }
    counted
}

async fn post(url: &str, secret: &str, body: impl Into<reqwest::Body>) -> u16 {
    reqwest::Client::new()
        .post(url)
        .header(SECRET_HEADER, secret)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("the webhook answers")
        .status()
        .as_u16()
}

fn user(id: i64) -> Value {
    json!({ "id": id, "is_bot": false, "first_name": "P", "language_code": "en" })
}

/// A private message from `from`; `extra` fields are merged into the message.
fn private(update_id: i64, from: i64, extra: Value) -> Value {
    let mut message = json!({
        "message_id": update_id, "date": 1_770_000_000,
        "chat": { "id": from, "type": "private", "first_name": "P" },
        "from": user(from),
    });
    if let (Some(m), Some(extra)) = (message.as_object_mut(), extra.as_object()) {
        m.extend(extra.clone());
    }
    json!({ "update_id": update_id, "message": message })
}

fn command(text: &str) -> Value {
    let length = text
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .chars()
        .count();
    json!({ "text": text, "entities": [{ "type": "bot_command", "offset": 0, "length": length }] })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_updates_change_nothing_and_people_get_a_clear_answer() {
    for db in crate::support::backends().await {
        let (live, url) = Live::start_webhook(db).await;
        let name = live.db.name;
        let token = secret(live.sandbox.token());
        live.say(DEPUTY, "/lang en").await;
        live.say(RESIDENT, "/lang en").await;
        let before = counts(&live).await;
        let delivered = || live.sandbox.delivered().len();
        let sent_before = delivered();

        // Bodies that are not updates: taken (Telegram would post them again and again) and
        // dropped.
        let long_name = format!("{{\"update_id\": 1, \"{}\": 1}}", "k".repeat(100_000));
        let junk: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"{".to_vec(),
            b"null".to_vec(),
            b"[1,2,3]".to_vec(),
            "{\"update_id\": \"seven\"}".into(),
            "{\"update_id\": 99999999999999999999999}".into(),
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
            vec![0xff, 0xfe, 0x00, 0x7b],
            long_name.into_bytes(),
            "{\"update_id\": 5, \"message\": {\"message_id\": \"x\"}}".into(),
        ];
        for body in junk {
            assert_eq!(post(&url, &token, body).await, 200, "{name}");
        }
        // Kinds of update minyi does not read, and a channel's post of a command.
        let unread = [
            json!({ "update_id": 11, "poll": { "id": "1", "question": "?", "options": [],
                "total_voter_count": 0, "is_closed": false, "is_anonymous": true,
                "type": "regular", "allows_multiple_answers": false } }),
            json!({ "update_id": 12, "something_new": { "from": user(DEPUTY) } }),
            json!({ "update_id": 13, "channel_post": { "message_id": 1, "date": 1_770_000_000,
                "chat": { "id": -1_001_234, "type": "channel", "title": "News" },
                "sender_chat": { "id": -1_001_234, "type": "channel", "title": "News" },
                "text": "/suggest From a channel\nbody",
                "entities": [{ "type": "bot_command", "offset": 0, "length": 8 }] } }),
            json!({ "update_id": 14, "edited_channel_post": { "message_id": 1,
                "date": 1_770_000_000, "edit_date": 1_770_000_100,
                "chat": { "id": -1_001_234, "type": "channel", "title": "News" },
                "text": "/suggest Edited\nbody" } }),
        ];
        for update in &unread {
            assert_eq!(post(&url, &token, update.to_string()).await, 200, "{name}");
        }
        live.settle().await;
        assert_eq!(delivered(), sent_before, "{name}: nobody is answered");

        // A command forwarded from someone else: not run, and the person is told why.
        let forwarded = private(
            21,
            DEPUTY,
            json!({
                "text": "/suggest Forwarded\nSomeone else's words",
                "entities": [{ "type": "bot_command", "offset": 0, "length": 8 }],
                "forward_origin": { "type": "user", "date": 1_769_999_000,
                    "sender_user": user(DEPUTY2) },
            }),
        );
        assert_eq!(post(&url, &token, forwarded.to_string()).await, 200);
        live.settle().await;
        let told = live.last_to(DEPUTY).text;
        assert!(
            told.contains("forwarded message is not read"),
            "{name}: {told}"
        );

        // 100,000 characters: as a command's title and body, and as plain text.
        let huge = "字".repeat(100_000);
        let long_command = private(22, DEPUTY, command(&format!("/suggest {huge}")));
        assert_eq!(post(&url, &token, long_command.to_string()).await, 200);
        live.settle().await;
        let told = live.last_to(DEPUTY).text;
        assert!(
            told.chars().count() < 1_000,
            "{name}: a short answer, not an echo"
        );
        let long_text = private(23, DEPUTY, json!({ "text": huge }));
        assert_eq!(post(&url, &token, long_text.to_string()).await, 200);

        // A photo without a caption and a location, each with no dialogue open.
        let photo = json!({ "photo": [{ "file_id": "AgAD", "file_unique_id": "u",
            "width": 90, "height": 90 }] });
        assert_eq!(
            post(&url, &token, private(24, DEPUTY, photo).to_string()).await,
            200
        );
        live.settle().await;
        let location = json!({ "location": { "latitude": 39.12, "longitude": 117.2 } });
        assert_eq!(
            post(&url, &token, private(25, RESIDENT, location).to_string()).await,
            200
        );
        live.settle().await;
        assert!(
            !live.last_to(RESIDENT).text.is_empty(),
            "{name}: the resident is answered"
        );
        assert_eq!(counts(&live).await, before, "{name}: nothing changed");
        live.finish().await;
    }
}

// Emoji, right-to-left text and markup-like characters in a title are kept as written and
// shown back escaped.
crate::live_test!(titles_keep_emoji_rtl_and_markup_as_written, |live| {
    let title = "🚦 إشارة المرور <b>&amp; \u{202e}tnirp\u{202c} 红绿灯";
    let step = live
        .say(DEPUTY, &format!("/suggest {title}\nThe lights are broken."))
        .await;
    let no = step.number_to(DEPUTY, "2026-");
    let stored = live
        .db
        .count(&format!(
            "SELECT COUNT(*) FROM suggestions WHERE title = '{}'",
            title.replace('\'', "''")
        ))
        .await;
    assert_eq!(stored, 1, "stored as written");
    let shown = live.say(DEPUTY, &format!("/show {no}")).await;
    let text = shown.text_to(DEPUTY);
    assert!(text.contains("🚦 إشارة المرور"), "{text}");
    // The HTML sent escapes them, so Telegram shows them as written, not as markup.
    assert!(text.contains("&lt;b&gt;&amp;amp;"), "{text}");
});
