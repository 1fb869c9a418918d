//! WeCom two-way: the real `Service` with its HTTP server serving the app's callback, the
//! Telegram sandbox and the WeCom sandbox (a fake qyapi that also plays the members, posting
//! encrypted and signed messages and card clicks to the callback), on a fresh SQLite file and
//! a fresh PostgreSQL schema. The fixture roster and chats, except that the town's clerk (K1)
//! and the contact of the town's unit U3 (UC) are on WeCom only, and deputy D2 is on both.

mod mixed_loop;
mod outbox;

use std::sync::Arc;
use std::time::Duration;

use minyi::clock::FixedClock;
use minyi::config::Config;
use minyi::sandbox::wecom::{WeComOptions, WeComSandbox};
use minyi::sandbox::{Delivered, Sandbox, SandboxOptions};
use minyi::service::Service;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::support::{TestDb, roster_with_people, shanghai};

pub const CLERK: &str = "clerk_k1";
pub const UNIT: &str = "unit_c";
pub const BOTH: &str = "deputy_two";
/// In the app's visible range, not on the roster.
pub const STRANGER: &str = "stranger";

/// The fixture's people with WeCom userids: K1 and UC on WeCom only, D2 on both.
const PEOPLE: &str = "code,name,roles,scope,telegram_id,lang,wecom_userid\n\
D1,Deputy One,deputy,G1,1001,zh-CN,\n\
D2,Deputy Two,deputy,G1,1002,,deputy_two\n\
L1,Leader One,deputy;leader,G1,1003,,\n\
K1,Clerk Town,clerk,T1,,en-US,clerk_k1\n\
KC,Clerk County,clerk,C,1005,,\n\
S1,Secretary Town,secretary,T1,1006,,\n\
CH,Chair Town,chair,T1,1007,,\n\
UA,Unit A contact,unit,U1,1008,,\n\
UB,Unit B contact,unit,U2,1009,,\n\
AD,Admin,admin,C,1010,,\n\
D3,Deputy Three,deputy,G2,1011,,\n\
UC,Unit C contact,unit,U3,,,unit_c\n";

/// A running service with both channels.
pub struct Mixed {
    pub db: TestDb,
    pub telegram: Sandbox,
    pub wecom: WeComSandbox,
    /// The app's callback URL on the service's HTTP server.
    pub callback: String,
    config: Arc<Config>,
    stop: CancellationToken,
    service: JoinHandle<()>,
}

impl Mixed {
    pub async fn start(db: TestDb) -> Mixed {
        let options = WeComOptions {
            members: [CLERK, UNIT, BOTH, STRANGER].map(String::from).to_vec(),
            ..WeComOptions::default()
        };
        Mixed::start_with(db, PEOPLE, options).await
    }

    /// The same with another people file and another WeCom (its members, its limits, which
    /// the app's configuration takes on).
    pub async fn start_with(db: TestDb, people: &str, options: WeComOptions) -> Mixed {
        roster_with_people(&db, people).await;
        let telegram = Sandbox::start(SandboxOptions::default()).await.unwrap();
        let wecom = WeComSandbox::start(options).await.unwrap();
        let mut config = Config::default();
        config.delivery.per_chat_per_second = 100;
        config.delivery.per_group_per_minute = 1000;
        config.delivery.global_per_second = 1000;
        config.wecom = Some(wecom.config());
        let config = Arc::new(config);
        let stop = CancellationToken::new();
        let (service, callback) = serve(&db, &telegram, &config, &stop).await;
        Mixed {
            db,
            telegram,
            wecom,
            callback,
            config,
            stop,
            service,
        }
    }

    /// Stops the service and starts another on the same database (a restart, or another
    /// replica): nothing it remembered in memory carries over. Its callback has a new URL.
    pub async fn restart(&mut self) {
        self.stop_service().await;
        self.start_service().await;
    }

    /// Stops the service, as a restart's first half: the sandboxes keep what they have.
    pub async fn stop_service(&mut self) {
        self.stop.cancel();
        let old = std::mem::replace(&mut self.service, tokio::spawn(async {}));
        old.await.expect("the service ends cleanly");
    }

    /// Starts a service again after [`Mixed::stop_service`], its callback at a new URL.
    pub async fn start_service(&mut self) {
        self.stop = CancellationToken::new();
        let (service, callback) = serve(&self.db, &self.telegram, &self.config, &self.stop).await;
        self.service = service;
        self.callback = callback;
    }

    /// Waits until every update is handled, every push delivered, and WeCom's answers (sent
    /// after the callback was answered) are out.
    pub async fn settle(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        let mut last = usize::MAX;
        loop {
            let open = self
                .db
                .count("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')")
                .await;
            let delivered = self.wecom.all_delivered().len() + self.wecom.card_updates().len();
            if self.telegram.pending_updates() == 0 && open == 0 && delivered == last {
                return;
            }
            last = delivered;
            assert!(
                tokio::time::Instant::now() < deadline,
                "not settled: {open} pushes open"
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// `from` writes `text` privately on Telegram.
    pub async fn telegram_says(&self, from: i64, text: &str) -> Vec<Delivered> {
        let before = self.telegram.delivered().len();
        self.telegram.private_message(from, text);
        self.settle().await;
        self.telegram.delivered()[before..].to_vec()
    }

    /// `from` presses a button with this data under a Telegram message.
    pub async fn telegram_presses(&self, from: i64, message: &Delivered, data: &str) {
        self.telegram
            .callback(from, message.chat_id, message.message_id, data);
        self.settle().await;
    }

    /// A WeCom member writes; answers the texts and cards they got after.
    pub async fn wecom_says(
        &self,
        userid: &str,
        text: &str,
    ) -> Vec<minyi::sandbox::wecom::Delivered> {
        let before = self.wecom.delivered(userid).len();
        let status = self.wecom.say(&self.callback, userid, text).await;
        assert_eq!(status, 200, "{text}");
        self.settle().await;
        self.wecom.delivered(userid)[before..].to_vec()
    }

    /// A WeCom member clicks the button with `key` on the newest card that has one.
    pub async fn wecom_clicks(
        &self,
        userid: &str,
        key: &str,
    ) -> Vec<minyi::sandbox::wecom::Delivered> {
        let task = card_with(&self.wecom.delivered(userid), key);
        let before = self.wecom.delivered(userid).len();
        let status = self.wecom.click(&self.callback, userid, &task, key).await;
        assert_eq!(status, 200, "{key}");
        self.settle().await;
        self.wecom.delivered(userid)[before..].to_vec()
    }

    pub async fn state_of(&self, no: &str) -> String {
        self.db.state_of(no).await
    }

    pub async fn finish(self) {
        self.stop.cancel();
        tokio::time::timeout(Duration::from_secs(15), self.service)
            .await
            .expect("the service stops")
            .expect("the service ends cleanly");
        self.telegram.shutdown().await;
        self.wecom.shutdown().await;
        self.db.finish().await;
    }
}

/// A service with its HTTP server on a free port; answers it and its callback's URL.
async fn serve(
    db: &TestDb,
    telegram: &Sandbox,
    config: &Arc<Config>,
    stop: &CancellationToken,
) -> (JoinHandle<()>, String) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let callback = format!("http://{}/wecom/callback", listener.local_addr().unwrap());
    let service = Service {
        repo: Arc::clone(&db.repo),
        bot: telegram.bot(),
        config: Arc::clone(config),
        username: "minyi_sandbox_bot".into(),
        clock: Arc::new(FixedClock::new(shanghai(2026, 3, 2, 9, 0))),
        scheduler: false,
        http: Some(listener),
        webhook: None,
        metrics: minyi::metrics::Metrics::new(),
    };
    (tokio::spawn(service.run(stop.clone())), callback)
}

/// POSTs a callback as WeCom would, to `url` with this query; answers the status.
pub async fn post(url: &str, query: &str, body: String) -> reqwest::StatusCode {
    reqwest::Client::new()
        .post(format!("{url}?{query}"))
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
}

/// The task id of the newest card with a button of this key.
pub fn card_with(delivered: &[minyi::sandbox::wecom::Delivered], key: &str) -> String {
    delivered
        .iter()
        .rev()
        .filter_map(|d| d.card.as_ref())
        .find(|card| keys(card).iter().any(|k| k == key))
        .and_then(|card| card["task_id"].as_str().map(String::from))
        .unwrap_or_else(|| panic!("no card with {key:?} in {delivered:#?}"))
}

/// A card's button keys.
pub fn keys(card: &serde_json::Value) -> Vec<String> {
    card["button_list"]
        .as_array()
        .map(|buttons| {
            buttons
                .iter()
                .filter_map(|b| b["key"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Everything a member read, texts and cards' titles and texts, one line each.
pub fn read(delivered: &[minyi::sandbox::wecom::Delivered]) -> String {
    delivered
        .iter()
        .map(|d| match &d.card {
            Some(card) => format!(
                "[card] {} {}",
                card["main_title"]["title"].as_str().unwrap_or_default(),
                card["sub_title_text"].as_str().unwrap_or_default()
            ),
            None => d.content.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
