//! minyi's WeCom client against the sandbox, over loopback HTTP: tokens, refusals and
//! WeCom's silent limits. The members' side is in `tests/members.rs`, calls the client
//! never makes in `tests/raw.rs`.

mod members;
mod raw;

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use super::*;
use crate::wecom::client::{Button, Card, INVALID_USER, Message, SendError};

async fn sandbox_with(members: &[&str]) -> WeComSandbox {
    let options = WeComOptions {
        members: members.iter().map(|m| m.to_string()).collect(),
        ..WeComOptions::default()
    };
    WeComSandbox::start(options)
        .await
        .expect("a sandbox starts")
}

fn text(s: &str) -> Message {
    Message::Text(s.to_owned())
}

fn card(task_id: &str, buttons: usize) -> Message {
    Message::Card(Card {
        task_id: task_id.to_owned(),
        title: "新建议 2024-001".to_owned(),
        desc: "东街道".to_owned(),
        text: "请受理或转交".to_owned(),
        buttons: (0..buttons)
            .map(|i| Button {
                text: format!("按钮{i}"),
                key: format!("k{i}"),
                style: 1,
            })
            .collect(),
    })
}

fn refused_code(result: Result<impl std::fmt::Debug, SendError>) -> i64 {
    match result {
        Err(SendError::Refused { code, .. }) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn the_token_is_fetched_once_for_five_sends() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let client = sandbox.client();
    client.token().await.unwrap();
    for i in 0..5 {
        let sent = client
            .send("lisi", &text(&format!("第{i}条")))
            .await
            .unwrap();
        assert!(sent.msgid.is_some() && sent.response_code.is_none());
    }
    assert_eq!(sandbox.tokens_fetched(), 1);
    let delivered = sandbox.delivered("lisi");
    assert_eq!(delivered.len(), 5);
    assert_eq!(
        (delivered[4].msgtype.as_str(), delivered[4].content.as_str()),
        ("text", "第4条")
    );
}

#[tokio::test]
async fn concurrent_senders_share_one_token_fetch() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let client = Arc::new(sandbox.client());
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..10 {
        let client = Arc::clone(&client);
        sends.spawn(async move { client.send("lisi", &text(&i.to_string())).await });
    }
    while let Some(sent) = sends.join_next().await {
        sent.unwrap().unwrap();
    }
    assert_eq!(sandbox.tokens_fetched(), 1);
    assert_eq!(sandbox.delivered("lisi").len(), 10);
}

#[tokio::test]
async fn an_expired_token_is_replaced_once_and_the_send_goes_through() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let client = sandbox.client();
    client.send("lisi", &text("一")).await.unwrap();
    sandbox.expire_token();
    client.send("lisi", &text("二")).await.unwrap();
    assert_eq!(sandbox.tokens_fetched(), 2);
    assert_eq!(sandbox.delivered("lisi").len(), 2);
}

#[tokio::test]
async fn a_token_is_replaced_before_wecom_says_it_expires() {
    let sandbox = WeComSandbox::start(WeComOptions {
        members: vec!["lisi".to_owned()],
        expires_in: 2,
        ..WeComOptions::default()
    })
    .await
    .unwrap();
    let client = sandbox.client();
    client.send("lisi", &text("一")).await.unwrap();
    // A 2 s token is used for 1 s; WeCom still answers the same one, unexpired.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.send("lisi", &text("二")).await.unwrap();
    assert_eq!(sandbox.tokens_fetched(), 2);
}

#[tokio::test]
async fn a_rate_limit_is_told_apart_and_passes() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let client = sandbox.client();
    sandbox.fail_rate(1);
    let limited = client.send("lisi", &text("一")).await.unwrap_err();
    assert_eq!(limited, SendError::RateLimited { code: 45009 });
    assert!(limited.retry());
    client.send("lisi", &text("一")).await.unwrap();
    assert_eq!(sandbox.delivered("lisi").len(), 1);
}

#[tokio::test]
async fn a_member_outside_the_visible_range_is_a_dead_letter() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let refused = sandbox
        .client()
        .send("wangwu", &text("你好"))
        .await
        .unwrap_err();
    assert!(!refused.retry());
    assert_eq!(refused_code(Err::<(), _>(refused)), INVALID_USER);
    assert!(sandbox.all_delivered().is_empty());
}

#[tokio::test]
async fn wrong_credentials_are_refused_without_showing_them() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut config = sandbox.config();
    config.secret = Secret::new("not-the-secret");
    let refused = Client::with_http(&config, http.clone()).token().await;
    assert_eq!(refused_code(refused), 40001);
    config.corp_id = "wwsomeoneelse".to_owned();
    assert_eq!(
        refused_code(Client::with_http(&config, http.clone()).token().await),
        40013
    );

    // Nothing listens here: the error must not carry the URL, which holds the secret.
    let closed = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    config.api_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let failed = Client::with_http(&config, http).token().await.unwrap_err();
    assert!(
        matches!(failed, SendError::Network(_)) && failed.retry(),
        "{failed:?}"
    );
    assert!(!failed.to_string().contains("not-the-secret"), "{failed}");
}

#[tokio::test]
async fn cards_are_checked_as_wecom_checks_them() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let client = sandbox.client();
    assert_eq!(
        refused_code(client.send("lisi", &card("t-7", 7)).await),
        40058
    );
    assert_eq!(
        refused_code(client.send("lisi", &card("t 1", 1)).await),
        42014
    );
    assert_eq!(
        refused_code(client.send("lisi", &card(&"t".repeat(129), 1)).await),
        42014
    );
    let Message::Card(mut twins) = card("t-twins", 2) else {
        unreachable!()
    };
    twins.buttons[1].key = twins.buttons[0].key.clone();
    assert_eq!(
        refused_code(client.send("lisi", &Message::Card(twins)).await),
        42018
    );

    let sent = client.send("lisi", &card("t-6@ok_", 6)).await.unwrap();
    assert!(sent.response_code.is_some());
    // A task_id is unique per app.
    assert_eq!(
        refused_code(client.send("lisi", &card("t-6@ok_", 1)).await),
        42014
    );
    let delivered = sandbox.delivered("lisi");
    assert_eq!(delivered.len(), 1);
    let card = delivered[0].card.as_ref().unwrap();
    assert_eq!(card["button_list"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn a_response_code_updates_its_card_once() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let client = sandbox.client();
    let sent = client.send("lisi", &card("s-001", 2)).await.unwrap();
    let code = sent.response_code.unwrap();
    client.update_card("lisi", &code, "已受理").await.unwrap();
    assert_eq!(
        refused_code(client.update_card("lisi", &code, "已受理").await),
        42022
    );
    assert_eq!(
        refused_code(client.update_card("lisi", "made-up", "x").await),
        40058
    );
    let updates = sandbox.card_updates();
    assert_eq!(updates.len(), 1);
    assert_eq!(
        (
            updates[0].task_id.as_str(),
            updates[0].replace_name.as_str()
        ),
        ("s-001", "已受理")
    );
    assert_eq!(updates[0].userids, ["lisi"]);
}

#[tokio::test]
async fn sends_past_thirty_a_minute_are_answered_ok_and_dropped() {
    let sandbox = sandbox_with(&["lisi", "wangwu"]).await;
    let client = sandbox.client();
    for i in 0..31 {
        client.send("lisi", &text(&i.to_string())).await.unwrap();
    }
    client.send("wangwu", &text("另一位")).await.unwrap();
    assert_eq!(sandbox.delivered("lisi").len(), 30);
    assert_eq!(sandbox.limit_violations(), 1);
    assert_eq!(
        sandbox.violations(),
        [Violation::PerMinute {
            userid: "lisi".to_owned()
        }]
    );
    assert_eq!(
        (
            sandbox.max_in_a_minute("lisi"),
            sandbox.max_in_a_minute("wangwu")
        ),
        (31, 1)
    );
}

#[tokio::test]
async fn content_over_2048_bytes_is_cut_and_counted() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let long = "议".repeat(1000); // 3000 bytes
    sandbox
        .client()
        .send("lisi", &Message::Markdown(long.clone()))
        .await
        .unwrap();
    let delivered = &sandbox.delivered("lisi")[0];
    assert_eq!(delivered.content, "议".repeat(682));
    assert_eq!(
        sandbox.violations(),
        [Violation::ContentTooLong {
            userid: "lisi".to_owned(),
            bytes: 3000
        }]
    );
    assert_eq!(sandbox.limit_violations(), 0);
}

#[tokio::test]
async fn a_menu_is_set_and_a_wrong_one_refused() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let client = sandbox.client();
    let menu = json!({ "button": [
        { "type": "click", "name": "我的建议", "key": "mine" },
        { "name": "更多", "sub_button": [{ "type": "view", "name": "说明", "url": "https://example.org" }] },
    ]});
    client.set_menu(&menu).await.unwrap();
    assert_eq!(sandbox.menus(), [menu]);
    let four = json!({ "button": vec![json!({ "type": "click", "name": "a", "key": "a" }); 4] });
    assert_eq!(refused_code(client.set_menu(&four).await), 40016);
}
