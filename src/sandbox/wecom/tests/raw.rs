//! Calls minyi's client never makes, made by hand: WeCom's errcodes for them.

use serde_json::{Value, json};

use super::*;

/// What the client never sends, sent by hand: WeCom's answers to it.
#[tokio::test]
async fn raw_calls_get_wecoms_errcodes() {
    let sandbox = sandbox_with(&["lisi"]).await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = |path: &str| format!("{}/cgi-bin/{path}", sandbox.url());
    let options = WeComOptions::default();
    let token: Value = http
        .get(url("gettoken"))
        .query(&[
            ("corpid", options.corp_id.as_str()),
            ("corpsecret", options.secret.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();
    let post = |path: &'static str, token: String, body: Value| {
        let request = http
            .post(url(path))
            .query(&[("access_token", token)])
            .json(&body);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let send = |touser: &str, msgtype: &str, agentid: i64| json!({ "touser": touser, "msgtype": msgtype, "agentid": agentid, msgtype: { "content": "" } });
    let mut partial = send("lisi|WangWu", "text", 1000002);
    partial["text"]["content"] = json!("你好");
    let answer = post("message/send", token.clone(), partial).await;
    assert_eq!(
        (answer["errcode"].clone(), answer["invaliduser"].clone()),
        (json!(0), json!("wangwu"))
    );
    assert_eq!(sandbox.delivered("lisi").len(), 1);

    let errcode = |answer: Value| answer["errcode"].as_i64().unwrap();
    assert_eq!(
        errcode(post("message/send", token.clone(), send("lisi", "text", 1000002)).await),
        44004
    );
    assert_eq!(
        errcode(
            post(
                "message/send",
                token.clone(),
                send("lisi", "voice", 1000002)
            )
            .await
        ),
        40008
    );
    assert_eq!(
        errcode(post("message/send", token.clone(), send("lisi", "text", 1)).await),
        40056
    );
    assert_eq!(
        errcode(post("message/send", "bogus".to_owned(), json!({})).await),
        40014
    );
    assert_eq!(
        errcode(post("message/send", String::new(), json!({})).await),
        41001
    );
    let as_string = json!({ "userids": "lisi", "agentid": 1000002, "response_code": "c",
                            "button": { "replace_name": "x" } });
    assert_eq!(
        errcode(post("message/update_template_card", token, as_string).await),
        40058
    );
}
