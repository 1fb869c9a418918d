//! The sandbox driven by a real `teloxide::Bot` over HTTP: every answer must be one teloxide
//! parses, and every refusal must map to the error teloxide gives for Telegram's.

use std::time::{Duration, Instant};

use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, ChatAction, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, ParseMode,
    UpdateKind,
};
use teloxide::{ApiError, RequestError};

use super::state::State;
use super::*;

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxOptions::default())
        .await
        .expect("a sandbox starts")
}

fn keyboard(data: &str) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("OK", data)]])
}

/// The API error a call failed with; anything else fails the test.
fn api_error<T: std::fmt::Debug>(result: Result<T, RequestError>) -> ApiError {
    match result {
        Err(RequestError::Api(error)) => error,
        other => panic!("expected an API error, got {other:?}"),
    }
}

async fn send_html(bot: &Bot, text: &str) -> Result<Message, RequestError> {
    bot.send_message(ChatId(42), text)
        .parse_mode(ParseMode::Html)
        .await
}

#[tokio::test]
async fn get_me_and_the_other_plain_methods_parse() {
    let sandbox = sandbox().await;
    let bot = sandbox.bot();
    let me = bot.get_me().await.unwrap();
    assert_eq!(me.username(), "minyi_sandbox_bot");
    assert!(me.is_bot);
    let private = bot.get_chat(ChatId(42)).await.unwrap();
    assert!(private.is_private());
    let group = bot.get_chat(ChatId(-42)).await.unwrap();
    assert!(group.is_group());
    let supergroup = bot.get_chat(ChatId(-1001234567890)).await.unwrap();
    assert!(supergroup.is_supergroup());
    bot.set_my_commands([BotCommand::new("start", "Start")])
        .await
        .unwrap();
    bot.send_chat_action(ChatId(42), ChatAction::Typing)
        .await
        .unwrap();
    bot.set_webhook("https://example.org/hook".parse().unwrap())
        .await
        .unwrap();
    let info = bot.get_webhook_info().await.unwrap();
    assert_eq!(info.url.unwrap().as_str(), "https://example.org/hook");
    bot.delete_webhook().await.unwrap();
    assert_eq!(bot.get_webhook_info().await.unwrap().url, None);

    let methods: Vec<String> = sandbox.calls().into_iter().map(|c| c.method).collect();
    assert_eq!(&methods[..3], ["getme", "getchat", "getchat"]);
    assert_eq!(sandbox.count_status(200), methods.len());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_wrong_token_or_an_unknown_method_is_refused() {
    let sandbox = sandbox().await;
    let stranger = Bot::new("1:wrong").set_api_url(sandbox.api_url());
    let refused = stranger.get_me().await.unwrap_err();
    assert!(
        matches!(refused, RequestError::Api(ApiError::InvalidToken)),
        "{refused:?}"
    );

    // A relative `bot…:…` would parse as a scheme; the token has a colon.
    let url = format!("{}bot{}/noSuchMethod", sandbox.api_url(), sandbox.token());
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = client
        .post(url)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["description"], "Not Found: method not found");
    assert_eq!(sandbox.count_status(401), 1);
    assert_eq!(sandbox.calls()[1].method, "nosuchmethod");
}

#[tokio::test]
async fn send_message_is_delivered_and_answered_with_a_message() {
    let sandbox = sandbox().await;
    let bot = sandbox.bot();
    let first = bot
        .send_message(ChatId(42), "<b>Hi</b> &amp; welcome")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard("rate:1"))
        .await
        .unwrap();
    assert_eq!(
        first.text(),
        Some("Hi & welcome"),
        "the message shows the parsed text"
    );
    assert_eq!((first.chat.id, first.id.0), (ChatId(42), 1));
    assert_eq!(first.reply_markup(), Some(&keyboard("rate:1")));
    let second = bot.send_message(ChatId(42), "again").await.unwrap();
    let elsewhere = bot.send_message(ChatId(-7), "hello group").await.unwrap();
    assert_eq!(
        (second.id.0, elsewhere.id.0),
        (2, 1),
        "ids increase per chat"
    );

    let delivered = sandbox.delivered_to(42);
    assert_eq!(delivered.len(), 2);
    assert_eq!(delivered[0].text, "<b>Hi</b> &amp; welcome");
    assert_eq!(delivered[0].parse_mode.as_deref(), Some("HTML"));
    assert_eq!(
        delivered[0].buttons,
        [("OK".to_owned(), "rate:1".to_owned())]
    );
    assert_eq!(delivered[0].method, "sendmessage");
    assert_eq!(sandbox.delivered().len(), 3);
    let call = &sandbox.calls()[0];
    assert_eq!(
        (call.method.as_str(), call.chat_id, call.status),
        ("sendmessage", Some(42), 200)
    );
}

#[tokio::test]
async fn files_are_recorded_with_their_name_and_size() {
    let sandbox = sandbox().await;
    let bot = sandbox.bot();
    let file = InputFile::memory(vec![7u8; 1234]).file_name("ledger.xlsx");
    let document = bot
        .send_document(ChatId(5), file)
        .caption("<i>Ledger</i>")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();
    let sent = document.document().unwrap();
    assert_eq!(
        (sent.file_name.as_deref(), sent.file.size),
        (Some("ledger.xlsx"), 1234)
    );
    assert_eq!(document.caption(), Some("Ledger"));
    let photo = bot
        .send_photo(
            ChatId(5),
            InputFile::memory(vec![1u8; 99]).file_name("report.png"),
        )
        .await
        .unwrap();
    assert_eq!(photo.photo().unwrap()[0].file.size, 99);

    let calls = sandbox.calls();
    assert_eq!(
        (calls[0].file_name.as_deref(), calls[0].file_size),
        (Some("ledger.xlsx"), Some(1234))
    );
    assert_eq!(calls[0].text.as_deref(), Some("<i>Ledger</i>"));
    let delivered = sandbox.delivered();
    assert_eq!(delivered[1].file_name.as_deref(), Some("report.png"));
    assert_eq!(
        (delivered[1].method.as_str(), delivered[1].message_id),
        ("sendphoto", 2)
    );

    let long_caption = "x".repeat(1025);
    let refused = bot
        .send_photo(ChatId(5), InputFile::memory(vec![1u8]))
        .caption(long_caption)
        .await
        .unwrap_err();
    let RequestError::Api(ApiError::Unknown(description)) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(description, "Bad Request: message caption is too long");
}

#[tokio::test]
async fn refusals_map_to_teloxides_errors() {
    let sandbox = sandbox().await;
    let bot = sandbox.bot();

    bot.send_message(ChatId(42), "x".repeat(4096))
        .await
        .unwrap();
    let too_long = bot.send_message(ChatId(42), "x".repeat(4097)).await;
    assert_eq!(api_error(too_long), ApiError::MessageIsTooLong);

    send_html(&bot, "<b>x</b> &amp; ok").await.unwrap();
    for bad in ["<b>x", "a & b", "<script>"] {
        let error = api_error(send_html(&bot, bad).await);
        assert!(
            matches!(error, ApiError::CantParseEntities(_)),
            "{bad}: {error:?}"
        );
    }

    let with_data = |data: String| {
        bot.send_message(ChatId(42), "pick")
            .reply_markup(keyboard(&data))
    };
    with_data("d".repeat(64)).await.unwrap();
    assert_eq!(
        api_error(with_data("d".repeat(65)).await),
        ApiError::ButtonDataInvalid
    );

    assert_eq!(
        api_error(bot.send_message(ChatId(42), "").await),
        ApiError::MessageTextIsEmpty
    );

    sandbox.block_chat(43);
    assert_eq!(
        api_error(bot.send_message(ChatId(43), "hi").await),
        ApiError::BotBlocked
    );

    assert_eq!(sandbox.count_status(400), 6);
    assert_eq!(sandbox.count_status(403), 1);
    assert_eq!(sandbox.delivered().len(), 3);
}

#[tokio::test]
async fn edits_change_the_stored_message() {
    let sandbox = sandbox().await;
    let bot = sandbox.bot();
    let sent = bot
        .send_message(ChatId(42), "draft")
        .reply_markup(keyboard("a"))
        .await
        .unwrap();
    let edited = bot
        .edit_message_text(ChatId(42), sent.id, "<b>final</b>")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard("b"))
        .await
        .unwrap();
    assert_eq!(edited.text(), Some("final"));
    assert!(edited.edit_date().is_some());
    let unchanged = bot
        .edit_message_reply_markup(ChatId(42), sent.id)
        .reply_markup(keyboard("b"))
        .await;
    assert_eq!(api_error(unchanged), ApiError::MessageNotModified);
    let cleared = bot
        .edit_message_reply_markup(ChatId(42), sent.id)
        .await
        .unwrap();
    assert_eq!(cleared.reply_markup(), None);
    let missing = bot
        .edit_message_text(ChatId(42), teloxide::types::MessageId(99), "x")
        .await;
    assert_eq!(api_error(missing), ApiError::MessageToEditNotFound);
    let too_long = bot
        .edit_message_text(ChatId(42), sent.id, "x".repeat(4097))
        .await;
    assert_eq!(api_error(too_long), ApiError::EditedMessageIsTooLong);

    let call = &sandbox.calls()[1];
    assert_eq!(
        (call.method.as_str(), call.text.as_deref()),
        ("editmessagetext", Some("<b>final</b>"))
    );
    assert_eq!(call.buttons, [("OK".to_owned(), "b".to_owned())]);
    assert_eq!(sandbox.delivered().len(), 1, "edits are not deliveries");
}

#[tokio::test]
async fn a_burst_past_the_per_chat_limit_is_told_to_retry() {
    let options = SandboxOptions {
        enforce_limits: true,
        ..SandboxOptions::default()
    };
    let sandbox = Sandbox::start(options).await.unwrap();
    let bot = sandbox.bot();
    let mut results = Vec::new();
    for n in 0..5 {
        results.push(bot.send_message(ChatId(9), format!("message {n}")).await);
    }
    assert!(
        results[..3].iter().all(Result::is_ok),
        "a burst of 3 passes: {results:?}"
    );
    for refused in &results[3..] {
        let Err(RequestError::RetryAfter(after)) = refused else {
            panic!("{refused:?}")
        };
        assert_eq!(after.seconds(), 1);
    }
    assert_eq!(sandbox.count_status(429), 2);
    assert_eq!(sandbox.delivered_to(9).len(), 3);
    assert!(bot.send_message(ChatId(10), "another chat").await.is_ok());
}

#[tokio::test]
async fn gateway_and_server_errors_fail_the_send() {
    // teloxide itself sleeps 10 s after any 5xx before it returns; both run at once.
    let failing = |kind| async move {
        let faults = Faults {
            rate: 1.0,
            seed: 1,
            kinds: vec![kind],
        };
        let sandbox = Sandbox::start(SandboxOptions {
            faults: Some(faults),
            ..SandboxOptions::default()
        })
        .await
        .unwrap();
        let result = sandbox.bot().send_message(ChatId(1), "hi").await;
        (result, sandbox.calls()[0].status, sandbox.delivered().len())
    };
    let (gateway, server) = tokio::join!(
        failing(FaultKind::BadGateway),
        failing(FaultKind::ServerError)
    );
    assert!(
        matches!(
            gateway.0,
            Err(RequestError::InvalidJson { .. } | RequestError::Api(_))
        ),
        "{:?}",
        gateway.0
    );
    assert_eq!((gateway.1, gateway.2), (502, 0));
    assert!(
        matches!(server.0, Err(RequestError::Api(ApiError::Unknown(_)))),
        "{:?}",
        server.0
    );
    assert_eq!((server.1, server.2), (500, 0));
}

#[tokio::test]
async fn a_dropped_connection_is_a_network_error_and_slow_is_only_slow() {
    let faults = Faults {
        rate: 1.0,
        seed: 1,
        kinds: vec![FaultKind::Drop],
    };
    let sandbox = Sandbox::start(SandboxOptions {
        faults: Some(faults),
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let bot = sandbox.bot();
    let dropped = bot.send_message(ChatId(1), "hi").await;
    assert!(
        matches!(dropped, Err(RequestError::Network(_))),
        "{dropped:?}"
    );
    assert!(bot.get_me().await.is_ok(), "faults touch sends only");
    assert_eq!(sandbox.calls()[0].status, 0);

    sandbox.set_faults(Some(Faults {
        rate: 1.0,
        seed: 1,
        kinds: vec![FaultKind::Slow(Duration::from_millis(300))],
    }));
    let started = Instant::now();
    bot.send_message(ChatId(1), "hi").await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    sandbox.set_faults(None);
    bot.send_message(ChatId(1), "hi").await.unwrap();
    assert_eq!(sandbox.delivered().len(), 2);
}

#[test]
fn the_same_seed_fails_the_same_sends() {
    let faults = Faults {
        rate: 0.3,
        seed: 7,
        kinds: vec![FaultKind::ServerError, FaultKind::Drop],
    };
    let rolls = |faults: &Faults| {
        let mut state = State::new("t", Some(faults.clone()), 30);
        (0..200).map(|_| state.roll_fault()).collect::<Vec<_>>()
    };
    let first = rolls(&faults);
    assert_eq!(first, rolls(&faults));
    let failed = first.iter().flatten().count();
    assert!(
        (30..90).contains(&failed),
        "about 30% of 200 fail: {failed}"
    );
    assert!(
        first.contains(&Some(FaultKind::Drop)) && first.contains(&Some(FaultKind::ServerError))
    );
    assert_ne!(first, rolls(&Faults { seed: 8, ..faults }));
}

#[tokio::test]
async fn an_empty_long_poll_waits_and_a_push_wakes_it() {
    let sandbox = sandbox().await;
    let bot = sandbox.bot();
    let started = Instant::now();
    let nothing = bot.get_updates().timeout(1).await.unwrap();
    assert!(nothing.is_empty());
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );

    let started = Instant::now();
    let poll = tokio::spawn(bot.get_updates().timeout(5).send());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let id = sandbox.private_message(7, "/start hello");
    let updates = poll.await.unwrap().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "woken by the push"
    );
    assert_eq!(updates.len(), 1);
    assert_eq!(i64::from(updates[0].id.0), id);
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("{:?}", updates[0])
    };
    assert_eq!(
        (
            message.text(),
            message.chat.id,
            message.from.as_ref().unwrap().id.0
        ),
        (Some("/start hello"), ChatId(7), 7)
    );
}

#[tokio::test]
async fn confirming_an_offset_drops_older_updates() {
    let sandbox = sandbox().await;
    let bot = sandbox.bot();
    let sent = bot
        .send_message(ChatId(-5), "vote")
        .reply_markup(keyboard("yes"))
        .await
        .unwrap();
    let first = sandbox.private_message(7, "hello");
    let second = sandbox.group_message(-5, 7, "hi all");
    let third = sandbox.callback(7, -5, sent.id.0.into(), "yes");
    assert_eq!((first, second, third), (1, 2, 3));

    assert_eq!(
        bot.get_updates().await.unwrap().len(),
        3,
        "unconfirmed updates stay"
    );
    let rest = bot.get_updates().offset(3).await.unwrap();
    assert_eq!(rest.len(), 1);
    let UpdateKind::CallbackQuery(query) = &rest[0].kind else {
        panic!("{:?}", rest[0])
    };
    assert_eq!(query.data.as_deref(), Some("yes"));
    let pressed = query
        .regular_message()
        .expect("the bot's message is accessible");
    assert_eq!((pressed.id, pressed.text()), (sent.id, Some("vote")));
    assert_eq!(
        bot.get_updates().await.unwrap().len(),
        1,
        "1 and 2 were confirmed"
    );

    sandbox.push_update(serde_json::json!({ "update_id": 10, "message": { "bad": true } }));
    sandbox.private_message(8, "after");
    let ids: Vec<u32> = bot
        .get_updates()
        .offset(4)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id.0)
        .collect();
    assert_eq!(ids, [10, 11]);
}

#[tokio::test]
async fn a_teloxide_dispatcher_polls_and_replies() {
    let sandbox = sandbox().await;
    sandbox.private_message(7, "ping");
    let handler = Update::filter_message().endpoint(|bot: Bot, message: Message| async move {
        bot.send_message(message.chat.id, "pong").await?;
        respond(())
    });
    let mut dispatcher = Dispatcher::builder(sandbox.bot(), handler).build();
    let shutdown = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });
    let deadline = Instant::now() + Duration::from_secs(10);
    while sandbox.delivered().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(sandbox.delivered_to(7)[0].text, "pong");
    shutdown.shutdown().unwrap().await;
    running.await.unwrap();
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_newer_poll_ends_a_waiting_one_with_a_conflict() {
    let sandbox = sandbox().await;
    let bot = sandbox.bot();
    let waiting = tokio::spawn(bot.get_updates().timeout(5).send());
    // Recorded, then (a moment later) registered as the current poll.
    while sandbox.calls().is_empty() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    assert!(bot.get_updates().await.unwrap().is_empty());
    let ended = waiting.await.unwrap();
    assert_eq!(api_error(ended), ApiError::TerminatedByOtherGetUpdates);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(sandbox.count_status(409), 1);
}

/// Telegram makes no update of a kind the bot's last `allowed_updates` leaves out, and keeps
/// that list until the bot gives another.
#[tokio::test]
async fn updates_of_kinds_not_asked_for_are_not_made() {
    use teloxide::types::AllowedUpdate;
    let sandbox = sandbox().await;
    let bot = sandbox.bot();
    assert_eq!(sandbox.allowed_updates(), None);
    let asked = bot
        .get_updates()
        .allowed_updates([AllowedUpdate::Message])
        .timeout(0)
        .await
        .unwrap();
    assert!(asked.is_empty());
    assert_eq!(sandbox.allowed_updates().unwrap(), ["message"]);
    sandbox.private_message(7, "hello");
    sandbox.edit_last_message(7, 7, "hello again");
    // A poll without the parameter keeps the list.
    let updates = bot.get_updates().await.unwrap();
    assert_eq!(updates.len(), 1);
    assert!(matches!(
        updates[0].kind,
        teloxide::types::UpdateKind::Message(_)
    ));
    // An empty list is Telegram's default again: edits are made.
    bot.get_updates()
        .offset(updates[0].id.0 as i32 + 1)
        .allowed_updates([])
        .await
        .unwrap();
    assert_eq!(sandbox.allowed_updates(), None);
    sandbox.edit_last_message(7, 7, "hello once more");
    assert_eq!(sandbox.pending_updates(), 1);
}

#[tokio::test]
async fn the_board_button_opens_the_mini_app_over_https_only() {
    let sandbox = sandbox().await;
    let bot = sandbox.bot();
    assert_eq!(sandbox.menu_button(), None);
    let refused = crate::bot::menu::set_board_button(
        &bot,
        "http://127.0.0.1:8080/web/app",
        crate::i18n::Lang::EnUs,
    )
    .await;
    assert!(api_error(refused).to_string().contains("HTTPS"));
    assert_eq!(sandbox.menu_button(), None, "a refused button is not set");
    crate::bot::menu::set_board_button(
        &bot,
        "https://minyi.example.org/web/app",
        crate::i18n::Lang::ZhCn,
    )
    .await
    .unwrap();
    let button = sandbox.menu_button().expect("a menu button");
    assert_eq!(button["type"], "web_app");
    assert_eq!(button["text"], "看板");
    assert_eq!(
        button["web_app"]["url"],
        "https://minyi.example.org/web/app"
    );
}

#[tokio::test]
async fn a_mini_app_button_goes_to_private_chats_over_https_only() {
    use teloxide::types::WebAppInfo;
    let sandbox = sandbox().await;
    let bot = sandbox.bot();
    let button = |url: &str| {
        InlineKeyboardMarkup::new([[InlineKeyboardButton::web_app(
            "Board",
            WebAppInfo {
                url: url.parse().unwrap(),
            },
        )]])
    };
    let in_group = bot
        .send_message(ChatId(-42), "board")
        .reply_markup(button("https://minyi.example.org/web/app"))
        .await;
    assert!(
        api_error(in_group)
            .to_string()
            .contains("BUTTON_TYPE_INVALID")
    );
    let plain_http = bot
        .send_message(ChatId(42), "board")
        .reply_markup(button("http://minyi.example.org/web/app"))
        .await;
    assert!(api_error(plain_http).to_string().contains("HTTPS"));
    bot.send_message(ChatId(42), "board")
        .reply_markup(button("https://minyi.example.org/web/app"))
        .await
        .unwrap();
    let sent = sandbox.delivered_to(42);
    assert_eq!(sent.len(), 1, "only the good one is delivered");
    assert_eq!(
        sent[0].buttons,
        [(
            "Board".to_owned(),
            "https://minyi.example.org/web/app".to_owned()
        )]
    );
}

/// python-telegram-bot (httpx) posts every method as a URL-encoded form, each value a string
/// and lists as JSON text, and `getMe` with no body; the Bot API takes that as it takes JSON.
#[tokio::test]
async fn a_form_encoded_client_polls_and_answers_as_python_telegram_bot_does() {
    let sandbox = sandbox().await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let base = format!("{}bot{}", sandbox.api_url(), sandbox.token());
    let post = |method: &str, form: &str| {
        client
            .post(format!("{base}/{method}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_owned())
            .send()
    };
    let me: serde_json::Value = client
        .post(format!("{base}/getMe"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["result"]["username"], "minyi_sandbox_bot");

    sandbox.private_message(7, "/suggest Lights");
    let polled = post(
        "getUpdates",
        "offset=0&limit=100&timeout=10&allowed_updates=%5B%22message%22%2C+%22callback_query%22%5D",
    )
    .await
    .unwrap();
    let polled: serde_json::Value = polled.json().await.unwrap();
    assert_eq!(polled["result"][0]["message"]["text"], "/suggest Lights");
    assert_eq!(
        sandbox.allowed_updates(),
        Some(vec!["message".to_owned(), "callback_query".to_owned()])
    );

    let sent = post("sendMessage", "chat_id=7&text=Filed+2026-0001")
        .await
        .unwrap();
    assert_eq!(sent.status(), 200);
    let empty = post("sendMessage", "chat_id=7&text=").await.unwrap();
    assert_eq!(empty.status(), 400);
    assert_eq!(sandbox.delivered_to(7)[0].text, "Filed 2026-0001");
    assert_eq!(
        sandbox.delivered_count(),
        1,
        "a refused send is not delivered"
    );
}
