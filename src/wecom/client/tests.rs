//! The client's pure parts: splitting, JSON bodies and the judging of errcodes. The client
//! against WeCom over HTTP is tested with the sandbox (`sandbox::wecom::tests`).

use serde_json::json;

use super::answer::userids;
use super::*;

fn joined_without_newlines(parts: &[String]) -> String {
    parts.concat().replace('\n', "")
}

#[test]
fn split_content_keeps_every_part_within_the_limit_and_every_char_whole() {
    // CJK (3 bytes), emoji (4 bytes), ASCII, blank lines and one very long line.
    let long_line = "建议办理情况🙂abc".repeat(400);
    let text = format!("第一行\n\n{long_line}\nshort\n{}\n末行", "字".repeat(700));
    for limit in [4, 5, 7, 64, 1000, CONTENT_LIMIT] {
        let parts = split_content(&text, limit);
        assert!(
            parts.iter().all(|p| p.len() <= limit && !p.is_empty()),
            "{limit}"
        );
        assert_eq!(
            joined_without_newlines(&parts),
            text.replace('\n', ""),
            "{limit}"
        );
    }
    assert!(split_content("", CONTENT_LIMIT).is_empty());
    assert_eq!(split_content("一行", CONTENT_LIMIT), ["一行"]);
}

#[test]
fn split_content_breaks_between_lines_when_lines_fit() {
    let line = "议".repeat(300); // 900 bytes
    let text = [line.as_str(); 5].join("\n");
    let parts = split_content(&text, CONTENT_LIMIT);
    // Two lines and their newline (1801 bytes) fit; a third would not.
    assert_eq!(
        parts,
        [
            format!("{line}\n{line}"),
            format!("{line}\n{line}"),
            line.clone()
        ]
    );
}

#[test]
fn errcodes_are_judged_by_what_can_be_done_about_them() {
    let judged = |errcode: i64, errmsg: &str| {
        judge(
            Answer {
                errcode,
                errmsg: errmsg.to_owned(),
                ..Answer::default()
            },
            "TOKEN",
        )
        .map(drop)
    };
    assert_eq!(judged(0, "ok"), Ok(()));
    assert_eq!(
        judged(45009, ""),
        Err(SendError::RateLimited { code: 45009 })
    );
    assert_eq!(
        judged(45033, ""),
        Err(SendError::RateLimited { code: 45033 })
    );
    assert_eq!(judged(-1, "system busy"), Err(SendError::Busy));
    let refused = judged(40008, "invalid message type, token TOKEN").unwrap_err();
    assert!(!refused.retry());
    assert_eq!(
        refused,
        SendError::Refused {
            code: 40008,
            message: "invalid message type, token ***".to_owned()
        }
    );
    assert!(SendError::Busy.retry() && SendError::Network(String::new()).retry());
}

#[test]
fn a_card_is_written_as_a_button_interaction_template_card() {
    let card = Message::Card(Card {
        task_id: "s-2024-001-accept".to_owned(),
        title: "新建议".to_owned(),
        desc: String::new(),
        text: "请受理".to_owned(),
        buttons: vec![Button {
            text: "受理".to_owned(),
            key: "k1".to_owned(),
            style: 1,
        }],
    });
    let body = card.body("lisi", 1000002);
    assert_eq!(body["touser"], "lisi");
    assert_eq!(body["msgtype"], "template_card");
    assert_eq!(body["agentid"], 1000002);
    let card = &body["template_card"];
    assert_eq!(card["card_type"], "button_interaction");
    assert_eq!(card["main_title"], json!({ "title": "新建议" }));
    assert_eq!(card["sub_title_text"], "请受理");
    assert_eq!(
        card["button_list"],
        json!([{ "text": "受理", "style": 1, "key": "k1" }])
    );
    let text = Message::Markdown("**x**".to_owned()).body("lisi", 7);
    assert_eq!(text["markdown"], json!({ "content": "**x**" }));
}

#[test]
fn invalid_users_are_read_in_both_of_wecoms_shapes() {
    assert_eq!(userids(&json!("a|b")), ["a", "b"]);
    assert_eq!(userids(&json!(["a"])), ["a"]);
    assert!(userids(&json!("")).is_empty() && userids(&Value::Null).is_empty());
}
