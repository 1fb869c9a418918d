//! The sandbox's members writing to a small callback that checks, opens and records what
//! they send, as minyi's callback will.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Query, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;

use super::*;
use crate::wecom::crypto::Keys;
use crate::wecom::xml::{self, Fields};

/// Each POST the callback opened: its raw query, its raw body, and the plaintext's fields.
type Received = Arc<Mutex<Vec<(String, String, Fields)>>>;
type Params = Query<HashMap<String, String>>;

/// Starts a callback for the sandbox's app: its URL and what it receives.
async fn callback(sandbox: &WeComSandbox) -> (String, Received) {
    let config = sandbox.config();
    let keys = Keys::new(
        config.token.expose(),
        config.encoding_aes_key.expose(),
        &config.corp_id,
    )
    .unwrap();
    let received = Received::default();
    let app = Router::new()
        .route("/wecom/callback", get(check_url).post(receive))
        .with_state((keys, Arc::clone(&received)));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let url = format!("http://{}/wecom/callback", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

fn param<'p>(params: &'p HashMap<String, String>, name: &str) -> &'p str {
    params.get(name).map_or("", String::as_str)
}

async fn check_url(
    State((keys, _)): State<(Keys, Received)>,
    Query(q): Params,
) -> Result<String, StatusCode> {
    let echo = keys.open(
        param(&q, "msg_signature"),
        param(&q, "timestamp"),
        param(&q, "nonce"),
        param(&q, "echostr"),
    );
    echo.map_err(|_| StatusCode::FORBIDDEN)
}

async fn receive(
    State((keys, received)): State<(Keys, Received)>,
    RawQuery(raw): RawQuery,
    Query(q): Params,
    body: String,
) -> Result<&'static str, StatusCode> {
    let envelope = xml::parse(&body).map_err(|_| StatusCode::BAD_REQUEST)?;
    let encrypted = envelope
        .required("Encrypt")
        .map_err(|_| StatusCode::BAD_REQUEST)?;
    let plain = keys
        .open(
            param(&q, "msg_signature"),
            param(&q, "timestamp"),
            param(&q, "nonce"),
            encrypted,
        )
        .map_err(|_| StatusCode::FORBIDDEN)?;
    let fields = xml::parse(&plain).map_err(|_| StatusCode::BAD_REQUEST)?;
    received
        .lock()
        .unwrap()
        .push((raw.unwrap_or_default(), body, fields));
    Ok("success")
}

fn last(received: &Received) -> Fields {
    received
        .lock()
        .unwrap()
        .last()
        .expect("a message arrived")
        .2
        .clone()
}

#[tokio::test]
async fn a_member_says_something_and_wecom_retries_it_byte_for_byte() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let (url, received) = callback(&sandbox).await;
    assert_eq!(
        sandbox.say(&url, "lisi", "路灯坏了 <b>&</b>").await,
        StatusCode::OK
    );
    let said = last(&received);
    let field = |name| said.get(name).unwrap_or_default().to_owned();
    assert_eq!(field("Content"), "路灯坏了 <b>&</b>");
    assert_eq!(
        (field("MsgType"), field("FromUserName")),
        ("text".to_owned(), "lisi".to_owned())
    );
    assert_eq!(
        (field("ToUserName"), field("AgentID")),
        ("ww1436e0e65a779aee".to_owned(), "1000002".to_owned())
    );
    assert!(field("MsgId").parse::<i64>().unwrap() > 0 && !field("CreateTime").is_empty());

    assert_eq!(sandbox.replay(&url).await, StatusCode::OK);
    let posts = received.lock().unwrap().clone();
    assert_eq!(posts.len(), 2);
    assert_eq!((&posts[0].0, &posts[0].1), (&posts[1].0, &posts[1].1));
    assert_eq!(
        sandbox.last_posted(),
        Some((posts[1].0.clone(), posts[1].1.clone()))
    );

    sandbox.say_with_id(&url, "lisi", "again", 42).await;
    assert_eq!(last(&received).get("MsgId"), Some("42"));
}

#[tokio::test]
async fn a_click_carries_a_response_code_that_updates_the_card() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let (url, received) = callback(&sandbox).await;
    let client = sandbox.client();
    client.send("lisi", &card("s-002", 2)).await.unwrap();
    assert_eq!(
        sandbox.click(&url, "lisi", "s-002", "k1").await,
        StatusCode::OK
    );
    let event = last(&received);
    assert_eq!(event.get("MsgType"), Some("event"));
    assert_eq!(event.get("Event"), Some("template_card_event"));
    assert_eq!(
        (event.get("EventKey"), event.get("TaskId")),
        (Some("k1"), Some("s-002"))
    );
    assert_eq!(event.get("CardType"), Some("button_interaction"));
    let code = event.required("ResponseCode").unwrap();
    client.update_card("lisi", code, "已受理").await.unwrap();
    assert_eq!(sandbox.card_updates()[0].task_id, "s-002");
}

#[tokio::test]
async fn a_member_clicks_only_a_button_on_a_card_they_hold_that_is_not_marked_done() {
    let sandbox = sandbox_with(&["lisi", "wangwu"]).await;
    let (url, received) = callback(&sandbox).await;
    let client = sandbox.client();
    client.send("lisi", &card("s-003", 2)).await.unwrap();
    let refused = |clicked: Result<StatusCode, String>, why: &str| {
        let why_not = clicked.expect_err("WeCom's client cannot send it");
        assert!(why_not.contains(why), "{why_not}");
    };
    refused(
        sandbox.try_click(&url, "wangwu", "s-003", "k1").await,
        "was delivered",
    );
    refused(
        sandbox.try_click(&url, "lisi", "s-003", "k9").await,
        "no button",
    );
    assert!(received.lock().unwrap().is_empty(), "nothing was posted");
    // WeCom compares userids without case.
    assert_eq!(
        sandbox.try_click(&url, "LiSi", "s-003", "k0").await,
        Ok(StatusCode::OK)
    );
    let code = last(&received).required("ResponseCode").unwrap().to_owned();
    client.update_card("lisi", &code, "已受理").await.unwrap();
    refused(
        sandbox.try_click(&url, "lisi", "s-003", "k1").await,
        "marked done",
    );
}

#[tokio::test]
async fn menu_clicks_locations_and_pictures_arrive_as_wecom_writes_them() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let (url, received) = callback(&sandbox).await;
    sandbox.menu_click(&url, "lisi", "mine").await;
    let click = last(&received);
    assert_eq!(
        (click.get("Event"), click.get("EventKey")),
        (Some("click"), Some("mine"))
    );

    sandbox
        .send_location(&url, "lisi", 23.134521, 113.358803)
        .await;
    let place = last(&received);
    assert_eq!(place.get("MsgType"), Some("location"));
    assert_eq!(
        (place.get("Location_X"), place.get("Location_Y")),
        (Some("23.134521"), Some("113.358803"))
    );

    sandbox
        .send_image(&url, "lisi", "https://example.org/p.jpg", "media-1")
        .await;
    let picture = last(&received);
    assert_eq!(
        (picture.get("MsgType"), picture.get("MediaId")),
        (Some("image"), Some("media-1"))
    );
    assert_eq!(picture.get("PicUrl"), Some("https://example.org/p.jpg"));
}

#[tokio::test]
async fn the_url_check_seals_an_echo_the_callback_can_open() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let (url, _) = callback(&sandbox).await;
    // Several rounds: most echostrs hold a `+`, a `/` or an `=` that must survive the query.
    for _ in 0..8 {
        let check = sandbox.verify_url(&url).await;
        assert_eq!(check.status, StatusCode::OK);
        assert_eq!(check.body, check.echo_plaintext);
    }
}
