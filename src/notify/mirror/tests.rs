use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::TimeZone;
use tokio::net::TcpListener;

use super::*;

/// A notice as the locales render it, with a deputy's text that looks like markup: the
/// `<b>x</b> &` they typed arrives escaped and must stay literal text.
const NOTICE: &str = "【交办】建议 <b>2026-0042</b>「修路 &lt;b&gt;x&lt;/b&gt; &amp; 排水_1」交由贵单位办理。\n\
    详情见 <a href=\"https://example.gov.cn/s?id=42&amp;lang=zh\">公示</a>。";

fn new_year() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

#[test]
fn plain_removes_tags_decodes_entities_and_spells_out_links() {
    assert_eq!(
        to_plain(NOTICE),
        "【交办】建议 2026-0042「修路 <b>x</b> & 排水_1」交由贵单位办理。\n\
         详情见 公示 (https://example.gov.cn/s?id=42&lang=zh)。"
    );
}

#[test]
fn markdown_marks_up_only_minyis_tags_and_escapes_user_text() {
    assert_eq!(
        to_markdown(NOTICE),
        "【交办】建议 **2026-0042**「修路 \\<b\\>x\\</b\\> & 排水\\_1」交由贵单位办理。\n\
         详情见 [公示](https://example.gov.cn/s?id=42&lang=zh)。"
    );
}

#[test]
fn conversions_of_the_other_tags() {
    let html = "<i>注意</i> <b> 红色 </b><code>a*b`c</code> <a href=\"https://x.cn/a (1)\">https://x.cn/a (1)</a>";
    assert_eq!(
        to_markdown(html),
        "*注意*  **红色** ``a*b`c`` [https://x.cn/a (1)](https://x.cn/a%20%281%29)"
    );
    assert_eq!(to_plain(html), "注意  红色 a*b`c https://x.cn/a (1)");
    // Nested tags, numeric entities, an empty bold and a tag Telegram has but robots lack.
    let html = "<b><a href='https://x.cn'>链接</a></b>&#20013;&#x6587;<b></b><u>下划线</u>";
    assert_eq!(to_markdown(html), "**[链接](https://x.cn)**中文下划线");
    assert_eq!(to_plain(html), "链接 (https://x.cn)中文下划线");
    let html = "<pre><code class=\"language-text\">a_b</code></pre>";
    assert_eq!(to_markdown(html), "`a_b`");
}

#[test]
fn links_outside_the_web_keep_only_their_text() {
    // A mention carries a Telegram id, which must not reach a unit's robot.
    let html = "<a href=\"tg://user?id=12345\">张三</a> 已答复";
    assert_eq!(to_plain(html), "张三 已答复");
    assert_eq!(to_markdown(html), "张三 已答复");
}

#[test]
fn malformed_html_loses_no_text() {
    assert_eq!(to_plain("a < b &unknown; &amp c"), "a < b &unknown; &amp c");
    assert_eq!(to_plain("<b>未闭合"), "未闭合");
    assert_eq!(to_markdown("<b>未闭合"), "**未闭合**");
    assert_eq!(to_plain("多余</b>的结束"), "多余的结束");
}

#[test]
fn wecom_payload_is_markdown_with_the_url_as_given() {
    let url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K";
    let push = request(MirrorKind::WeCom, url, None, NOTICE, new_year());
    assert_eq!(push.url, url);
    assert_eq!(
        push.body,
        json!({ "msgtype": "markdown", "markdown": { "content": to_markdown(NOTICE) } })
    );
}

#[test]
fn dingtalk_payload_has_a_title_and_hard_line_breaks() {
    let url = "https://oapi.dingtalk.com/robot/send?access_token=T";
    let push = request(MirrorKind::DingTalk, url, None, NOTICE, new_year());
    assert_eq!(push.url, url, "no secret, no timestamp or sign");
    assert_eq!(push.body["msgtype"], "markdown");
    assert_eq!(
        push.body["markdown"]["title"],
        "【交办】建议 2026-0042「修路 <b>x</b> & 排水_1」交由贵单位办理。"
    );
    assert_eq!(
        push.body["markdown"]["text"],
        to_markdown(NOTICE).replace('\n', "  \n")
    );
}

#[test]
fn dingtalk_signature_matches_the_documented_algorithm() {
    let secret = "SEC0123456789abcdef";
    let url = "https://oapi.dingtalk.com/robot/send?access_token=T";
    let push = request(MirrorKind::DingTalk, url, Some(secret), "hi", new_year());
    // Computed with DingTalk's own Python sample (hmac, base64, urllib.parse.quote_plus).
    let expected = "B0RWzLp5DJ68eWPlqN2is7j%2FCJw7WP3nV1RkTFHU%2BF4%3D";
    assert_eq!(
        push.url,
        format!("{url}&timestamp=1767225600000&sign={expected}")
    );
    // And again here, step by step: key = secret, message = "{ms}\n{secret}".
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(b"1767225600000\nSEC0123456789abcdef");
    let sign = BASE64.encode(mac.finalize().into_bytes());
    assert_eq!(form_encode(&sign), expected);
}

#[test]
fn feishu_payload_is_plain_text_and_unsigned_without_a_secret() {
    let url = "https://open.feishu.cn/open-apis/bot/v2/hook/H";
    let push = request(MirrorKind::Feishu, url, None, NOTICE, new_year());
    assert_eq!(push.url, url);
    assert_eq!(
        push.body,
        json!({ "msg_type": "text", "content": { "text": to_plain(NOTICE) } })
    );
}

#[test]
fn feishu_signature_matches_the_documented_algorithm() {
    let secret = "feishu-secret";
    let url = "https://open.feishu.cn/open-apis/bot/v2/hook/H";
    let push = request(MirrorKind::Feishu, url, Some(secret), "hi", new_year());
    assert_eq!(push.url, url, "Feishu signs in the body");
    assert_eq!(push.body["timestamp"], "1767225600", "seconds, as a string");
    // Computed with Feishu's own Python sample (hmac with an empty message, base64).
    let expected = "hm9QDKjC+ecxOxpTkx3o/E8TJDhB/Fq5pPz6i8mf5Lw=";
    assert_eq!(push.body["sign"], expected);
    // And again here: key = "{s}\n{secret}", message empty.
    let mac = Hmac::<Sha256>::new_from_slice(b"1767225600\nfeishu-secret").unwrap();
    assert_eq!(BASE64.encode(mac.finalize().into_bytes()), expected);
    assert_eq!(push.body["content"]["text"], "hi");
}

#[test]
fn debug_output_hides_the_url() {
    let push = request(
        MirrorKind::WeCom,
        "https://h/send?key=K3Y",
        None,
        "x",
        new_year(),
    );
    assert!(!format!("{push:?}").contains("K3Y"));
}

#[test]
fn which_errors_are_retried() {
    assert!(MirrorError::Network("x".into()).retryable());
    assert!(MirrorError::Http(500).retryable());
    assert!(MirrorError::Http(503).retryable());
    assert!(MirrorError::Http(429).retryable());
    assert!(!MirrorError::Http(400).retryable());
    assert!(!MirrorError::Http(404).retryable());
    let platform = |code| MirrorError::Platform {
        code,
        message: String::new(),
    };
    assert!(!platform(310000).retryable());
    assert!(!platform(93000).retryable());
    assert!(platform(130101).retryable());
    assert!(platform(45009).retryable());
}

/// One request as the fake robot saw it.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    query: Option<String>,
    content_type: Option<String>,
    body: Value,
}

type Seen = Arc<Mutex<Vec<Received>>>;

/// A robot on 127.0.0.1 whose answer depends on the path.
async fn fake_robot() -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new().fallback(answer).with_state(seen.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, seen)
}

async fn answer(State(seen): State<Seen>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    seen.lock().unwrap().push(Received {
        path: uri.path().to_string(),
        query: uri.query().map(str::to_string),
        content_type: headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    });
    let ok = json!({ "errcode": 0, "errmsg": "ok" });
    match uri.path() {
        "/refused" => axum::Json(json!({ "errcode": 310000, "errmsg": "keywords not in content" }))
            .into_response(),
        "/limited" => axum::Json(json!({
            "errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"
        }))
        .into_response(),
        "/busy" => (StatusCode::INTERNAL_SERVER_ERROR, "busy").into_response(),
        "/gone" => (StatusCode::NOT_FOUND, "no such robot").into_response(),
        "/proxy" => "<html>login first</html>".into_response(),
        "/open-apis/bot/v2/hook/H" => {
            axum::Json(json!({ "code": 0, "data": {}, "msg": "success" })).into_response()
        }
        "/old-feishu" => {
            axum::Json(json!({ "Extra": null, "StatusCode": 0, "StatusMessage": "success" }))
                .into_response()
        }
        "/feishu-bad-sign" => axum::Json(json!({
            "code": 19021, "data": {}, "msg": "sign match fail or timestamp is not within one hour from current time"
        }))
        .into_response(),
        _ => axum::Json(ok).into_response(),
    }
}

fn client() -> reqwest::Client {
    // A proxy from the environment must not stand between the test and 127.0.0.1.
    reqwest::Client::builder().no_proxy().build().unwrap()
}

#[tokio::test]
async fn each_platform_receives_its_payload_and_success_is_ok() {
    let (base, seen) = fake_robot().await;
    let client = client();
    let now = new_year();

    let wecom = format!("{base}/cgi-bin/webhook/send?key=K");
    send(&client, MirrorKind::WeCom, &wecom, None, NOTICE, now)
        .await
        .unwrap();
    let ding = format!("{base}/robot/send?access_token=T");
    send(
        &client,
        MirrorKind::DingTalk,
        &ding,
        Some("SEC0123456789abcdef"),
        NOTICE,
        now,
    )
    .await
    .unwrap();
    let feishu = format!("{base}/open-apis/bot/v2/hook/H");
    send(
        &client,
        MirrorKind::Feishu,
        &feishu,
        Some("feishu-secret"),
        NOTICE,
        now,
    )
    .await
    .unwrap();
    let old = format!("{base}/old-feishu");
    send(&client, MirrorKind::Feishu, &old, None, NOTICE, now)
        .await
        .unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 4);
    assert!(
        seen.iter()
            .all(|r| r.content_type.as_deref() == Some("application/json"))
    );

    assert_eq!(seen[0].path, "/cgi-bin/webhook/send");
    assert_eq!(seen[0].query.as_deref(), Some("key=K"));
    assert_eq!(seen[0].body["markdown"]["content"], to_markdown(NOTICE));

    assert_eq!(seen[1].path, "/robot/send");
    assert_eq!(
        seen[1].query.as_deref(),
        Some(
            "access_token=T&timestamp=1767225600000\
             &sign=B0RWzLp5DJ68eWPlqN2is7j%2FCJw7WP3nV1RkTFHU%2BF4%3D"
        )
    );
    assert_eq!(seen[1].body["msgtype"], "markdown");

    assert_eq!(seen[2].path, "/open-apis/bot/v2/hook/H");
    assert_eq!(seen[2].query, None);
    assert_eq!(seen[2].body["msg_type"], "text");
    assert_eq!(seen[2].body["content"]["text"], to_plain(NOTICE));
    assert_eq!(seen[2].body["timestamp"], "1767225600");
    assert_eq!(
        seen[2].body["sign"],
        "hm9QDKjC+ecxOxpTkx3o/E8TJDhB/Fq5pPz6i8mf5Lw="
    );
    assert_eq!(seen[3].body.get("sign"), None);
}

#[tokio::test]
async fn failures_are_judged_retryable_or_not() {
    let (base, _) = fake_robot().await;
    let client = client();
    let send_to = |kind, path: &str| {
        let url = format!("{base}{path}");
        let client = client.clone();
        async move { send(&client, kind, &url, None, "消息", new_year()).await }
    };

    let refused = send_to(MirrorKind::DingTalk, "/refused").await.unwrap_err();
    assert!(
        matches!(&refused, MirrorError::Platform { code: 310000, message } if message == "keywords not in content"),
        "{refused:?}"
    );
    assert!(!refused.retryable());

    let limited = send_to(MirrorKind::DingTalk, "/limited").await.unwrap_err();
    assert!(matches!(
        limited,
        MirrorError::Platform { code: 130101, .. }
    ));
    assert!(limited.retryable());

    let bad_sign = send_to(MirrorKind::Feishu, "/feishu-bad-sign")
        .await
        .unwrap_err();
    assert!(matches!(
        bad_sign,
        MirrorError::Platform { code: 19021, .. }
    ));
    assert!(!bad_sign.retryable());

    let busy = send_to(MirrorKind::WeCom, "/busy").await.unwrap_err();
    assert!(matches!(busy, MirrorError::Http(500)));
    assert!(busy.retryable());

    let gone = send_to(MirrorKind::WeCom, "/gone").await.unwrap_err();
    assert!(matches!(gone, MirrorError::Http(404)));
    assert!(!gone.retryable());

    let proxy = send_to(MirrorKind::WeCom, "/proxy").await.unwrap_err();
    assert!(matches!(proxy, MirrorError::Network(_)));
    assert!(proxy.retryable());
}

#[tokio::test]
async fn a_dropped_connection_is_a_retryable_network_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            drop(socket);
        }
    });
    let url = format!("http://{addr}/cgi-bin/webhook/send?key=DROPKEY");
    let error = send(&client(), MirrorKind::WeCom, &url, None, "x", new_year())
        .await
        .unwrap_err();
    assert!(matches!(error, MirrorError::Network(_)), "{error:?}");
    assert!(error.retryable());
    assert!(!error.to_string().contains("DROPKEY"), "{error}");
}

#[tokio::test]
async fn a_closed_port_is_a_retryable_network_error_that_names_no_secret() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = format!("http://{addr}/robot/send?access_token=TOKEN42");
    let error = send(
        &client(),
        MirrorKind::DingTalk,
        &url,
        Some("SECRET42"),
        "x",
        new_year(),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, MirrorError::Network(_)), "{error:?}");
    assert!(error.retryable());
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains("TOKEN42") && !shown.contains("SECRET42"),
        "{shown}"
    );
    assert!(shown.contains("connect"), "{shown}");
}
