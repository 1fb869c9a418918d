//! The members' side: what WeCom POSTs to an app's callback when a member writes, presses a
//! card's button or a menu item, sends a location or a picture (the plaintext XML of
//! documents 90239 and 90240), sealed and signed as 91144 says, and the GET with which WeCom
//! checks the callback's URL when an administrator saves it.
//!
//! Each call waits for the callback's answer and returns its status.
//!
//! # Panics
//! If `callback_url` is not a URL or nothing answers at it: a test's mistake.

use std::time::Instant;

use reqwest::header::CONTENT_TYPE;
use reqwest::{StatusCode, Url};

use super::{WeComSandbox, unix_seconds};
use crate::wecom::xml::{Value, document};

/// A URL check: what the callback answered, and what it had to answer.
#[derive(Debug, Clone)]
pub struct Verification {
    pub status: StatusCode,
    pub body: String,
    /// The plaintext sealed in `echostr`; the callback must answer exactly this.
    pub echo_plaintext: String,
}

impl WeComSandbox {
    /// A text message with a fresh MsgId.
    pub async fn say(&self, callback_url: &str, userid: &str, text: &str) -> StatusCode {
        let msg_id = self.next_msg_id();
        self.say_with_id(callback_url, userid, text, msg_id).await
    }

    /// A text message with this MsgId: WeCom's retry of an unanswered one carries the same.
    pub async fn say_with_id(
        &self,
        callback_url: &str,
        userid: &str,
        text: &str,
        msg_id: i64,
    ) -> StatusCode {
        let fields = [
            ("Content", Value::Text(text)),
            ("MsgId", Value::Number(msg_id)),
        ];
        self.post(callback_url, userid, "text", &fields).await
    }

    /// The member presses the button `key` of the card sent with `task_id`; the event carries
    /// a fresh ResponseCode for that card.
    ///
    /// # Panics
    /// If WeCom's client could not send that click (see [`WeComSandbox::try_click`]).
    pub async fn click(
        &self,
        callback_url: &str,
        userid: &str,
        task_id: &str,
        key: &str,
    ) -> StatusCode {
        let clicked = self.try_click(callback_url, userid, task_id, key).await;
        clicked.unwrap_or_else(|why| panic!("{why}"))
    }

    /// The same, or why WeCom's client could not send that click: no card with that task_id
    /// was delivered to the member, it has no button `key`, or its buttons were replaced for
    /// the member.
    pub async fn try_click(
        &self,
        callback_url: &str,
        userid: &str,
        task_id: &str,
        key: &str,
    ) -> Result<StatusCode, String> {
        let code = self
            .shared
            .state()
            .click_code(task_id, userid, key, Instant::now())?;
        let fields = [
            ("Event", Value::Text("template_card_event")),
            ("EventKey", Value::Text(key)),
            ("TaskId", Value::Text(task_id)),
            ("CardType", Value::Text("button_interaction")),
            ("ResponseCode", Value::Text(&code)),
        ];
        Ok(self.post(callback_url, userid, "event", &fields).await)
    }

    /// The member picks the app's menu item whose key is `key`.
    pub async fn menu_click(&self, callback_url: &str, userid: &str, key: &str) -> StatusCode {
        let fields = [
            ("Event", Value::Text("click")),
            ("EventKey", Value::Text(key)),
        ];
        self.post(callback_url, userid, "event", &fields).await
    }

    pub async fn send_location(
        &self,
        callback_url: &str,
        userid: &str,
        latitude: f64,
        longitude: f64,
    ) -> StatusCode {
        // WeCom writes the degrees as bare numbers; the XML helper writes text as CDATA,
        // which reads the same.
        let (x, y) = (latitude.to_string(), longitude.to_string());
        let fields = [
            ("Location_X", Value::Text(&x)),
            ("Location_Y", Value::Text(&y)),
            ("Scale", Value::Number(15)),
            ("Label", Value::Text("")),
            ("MsgId", Value::Number(self.next_msg_id())),
        ];
        self.post(callback_url, userid, "location", &fields).await
    }

    pub async fn send_image(
        &self,
        callback_url: &str,
        userid: &str,
        pic_url: &str,
        media_id: &str,
    ) -> StatusCode {
        let fields = [
            ("PicUrl", Value::Text(pic_url)),
            ("MediaId", Value::Text(media_id)),
            ("MsgId", Value::Number(self.next_msg_id())),
        ];
        self.post(callback_url, userid, "image", &fields).await
    }

    /// WeCom's URL check: a GET with a random plaintext sealed in `echostr`. Checks nothing;
    /// the caller compares [`Verification::body`] with [`Verification::echo_plaintext`].
    pub async fn verify_url(&self, callback_url: &str) -> Verification {
        // WeCom's samples echo a string of digits.
        let echo_plaintext = rand::random::<u64>().to_string();
        let timestamp = unix_seconds().to_string();
        let nonce = nonce();
        let (echostr, signature) = self.keys.seal(&echo_plaintext, &timestamp, &nonce);
        let url = with_query(
            callback_url,
            &[
                ("msg_signature", &signature),
                ("timestamp", &timestamp),
                ("nonce", &nonce),
                ("echostr", &echostr),
            ],
        );
        let response = self.http.get(url).send().await;
        let response = response.unwrap_or_else(|e| panic!("no answer at {callback_url}: {e}"));
        Verification {
            status: response.status(),
            body: response.text().await.unwrap_or_default(),
            echo_plaintext,
        }
    }

    /// The last request POSTed to a callback: its query and its body, byte for byte.
    pub fn last_posted(&self) -> Option<(String, String)> {
        self.shared.state().last_posted.clone()
    }

    /// POSTs the last request again, byte for byte, as WeCom does when an answer is late.
    ///
    /// # Panics
    /// If nothing was posted yet.
    pub async fn replay(&self, callback_url: &str) -> StatusCode {
        let (query, body) = self.last_posted().expect("a request was posted before");
        let mut url = Url::parse(callback_url).expect("a callback URL");
        url.set_query(Some(&query));
        self.deliver(url, body).await
    }

    /// Writes a member's message as WeCom does, seals it and POSTs it.
    async fn post(
        &self,
        callback_url: &str,
        userid: &str,
        msg_type: &str,
        fields: &[(&str, Value<'_>)],
    ) -> StatusCode {
        let options = &self.shared.options;
        let create_time = unix_seconds();
        let mut all = vec![
            ("ToUserName", Value::Text(&options.corp_id)),
            ("FromUserName", Value::Text(userid)),
            ("CreateTime", Value::Number(create_time)),
            ("MsgType", Value::Text(msg_type)),
        ];
        all.extend_from_slice(fields);
        all.push(("AgentID", Value::Number(options.agent_id)));
        let plaintext = document(&all);

        let timestamp = create_time.to_string();
        let nonce = nonce();
        let (encrypted, signature) = self.keys.seal(&plaintext, &timestamp, &nonce);
        let body = document(&[
            ("ToUserName", Value::Text(&options.corp_id)),
            ("AgentID", Value::Number(options.agent_id)),
            ("Encrypt", Value::Text(&encrypted)),
        ]);
        let url = with_query(
            callback_url,
            &[
                ("msg_signature", &signature),
                ("timestamp", &timestamp),
                ("nonce", &nonce),
            ],
        );
        let query = url.query().unwrap_or_default().to_owned();
        self.shared.state().last_posted = Some((query, body.clone()));
        self.deliver(url, body).await
    }

    async fn deliver(&self, url: Url, body: String) -> StatusCode {
        let shown = url.path().to_owned();
        let response = self
            .http
            .post(url)
            .header(CONTENT_TYPE, "text/xml")
            .body(body)
            .send()
            .await;
        let response = response.unwrap_or_else(|e| panic!("no answer at {shown}: {e}"));
        response.status()
    }

    fn next_msg_id(&self) -> i64 {
        let mut state = self.shared.state();
        state.next_msg_id += 1;
        state.next_msg_id
    }
}

/// `callback_url` with these query pairs added, percent-encoded (base64 has `+`, `/`, `=`).
fn with_query(callback_url: &str, pairs: &[(&str, &String)]) -> Url {
    let mut url = Url::parse(callback_url).expect("a callback URL");
    url.query_pairs_mut().extend_pairs(pairs);
    url
}

fn nonce() -> String {
    rand::random::<u32>().to_string()
}
