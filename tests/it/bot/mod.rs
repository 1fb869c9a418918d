//! The bot end to end: the real `Service` (own long polling, handlers, delivery worker)
//! against the sandbox Bot API over HTTP, on a fresh SQLite file and a fresh PostgreSQL
//! schema. People are the fixture roster's (Telegram id = 1000 + their number).

mod commands;
mod dialogue;
mod full_loop;
mod hostile;
mod matrix;
mod noise;
mod presses;
mod residents;
mod webhook;
mod year;

use std::sync::Arc;
use std::time::Duration;

use minyi::clock::FixedClock;
use minyi::config::Config;
use minyi::sandbox::{Delivered, Sandbox, SandboxOptions};
use minyi::service::Service;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::support::{TestDb, roster, shanghai};

pub const DEPUTY: i64 = 1001;
pub const DEPUTY2: i64 = 1002;
pub const LEADER: i64 = 1003;
/// Clerk of town T1 (reads English).
pub const CLERK: i64 = 1004;
pub const COUNTY_CLERK: i64 = 1005;
pub const SECRETARY: i64 = 1006;
pub const CHAIR: i64 = 1007;
/// Contact of unit U1.
pub const UNIT: i64 = 1008;
pub const ADMIN: i64 = 1010;
/// A deputy of the other group, G2.
pub const OTHER_DEPUTY: i64 = 1011;
pub const RESIDENT: i64 = 5555;
/// Group G1's bound chat; U1's; county C's.
pub const G1_CHAT: i64 = -100;
pub const U1_CHAT: i64 = -200;
pub const C_CHAT: i64 = -400;

/// A running bot on one backend.
pub struct Live {
    pub db: TestDb,
    pub sandbox: Sandbox,
    pub clock: FixedClock,
    pub config: Arc<Config>,
    pub stop: CancellationToken,
    service: JoinHandle<()>,
    /// How many deliveries the last step had seen.
    seen: std::sync::Mutex<usize>,
}

impl Live {
    /// The fixture roster (with G1, U1 and C chats bound) and the bot running on it.
    pub async fn start(db: TestDb) -> Live {
        Live::start_with(db, None, |_| {}).await
    }

    /// The same in webhook mode: the sandbox posts updates to the service's webhook.
    pub async fn start_webhook(db: TestDb) -> (Live, String) {
        let (mode, url) = webhook_mode().await;
        (Live::start_with(db, Some(mode), |_| {}).await, url)
    }

    /// Long polling, with the HTTP server (health, readiness, metrics) at the URL answered.
    pub async fn start_http(db: TestDb) -> (Live, String) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("a free port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mode = WebhookMode {
            listener,
            public_url: None,
        };
        (Live::start_with(db, Some(mode), |_| {}).await, url)
    }

    /// Long polling, with the HTTP server at the URL answered serving the board and county
    /// C's public wall there: the board's address is that URL, so `/web` links to it.
    pub async fn start_board(db: TestDb) -> (Live, String) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("a free port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mode = WebhookMode {
            listener,
            public_url: None,
        };
        let base = url.clone();
        let live = Live::start_with(db, Some(mode), move |config| {
            config.web.public_url = Some(base);
            config.web.public_wall = vec!["C".into()];
        })
        .await;
        (live, url)
    }

    /// The bot on the fixture roster; `configure` changes the test configuration before the
    /// service starts.
    async fn start_with(
        db: TestDb,
        webhook: Option<WebhookMode>,
        configure: impl FnOnce(&mut Config),
    ) -> Live {
        roster(&db).await;
        let sandbox = Sandbox::start(SandboxOptions::default())
            .await
            .expect("sandbox starts");
        let mut config = Config::default();
        // Pushes are paced as in production only in the delivery tests; here they may go at
        // once so a step's pushes arrive before the next step.
        config.delivery.per_chat_per_second = 100;
        config.delivery.per_group_per_minute = 1000;
        config.delivery.global_per_second = 1000;
        configure(&mut config);
        let clock = FixedClock::new(shanghai(2026, 3, 2, 9, 0));
        let config = Arc::new(config);
        let stop = CancellationToken::new();
        let task = spawn_with(&db, &sandbox, &config, &clock, &stop, webhook);
        Live {
            db,
            sandbox,
            clock,
            config,
            stop,
            service: task,
            seen: std::sync::Mutex::new(0),
        }
    }

    /// Stops the bot and starts a new one on the same database and sandbox (a restart: the
    /// new poller starts from offset 0).
    pub async fn restart(&mut self) {
        self.stop_service().await;
        self.start_service();
    }

    /// Stops the bot, as a restart's first half: the sandbox keeps what it has.
    pub async fn stop_service(&mut self) {
        self.stop.cancel();
        let old = std::mem::replace(&mut self.service, tokio::spawn(async {}));
        old.await.expect("the service ends cleanly");
    }

    /// Starts a bot again after [`Live::stop_service`].
    pub fn start_service(&mut self) {
        self.stop = CancellationToken::new();
        self.service = spawn(
            &self.db,
            &self.sandbox,
            &self.config,
            &self.clock,
            &self.stop,
        );
    }

    /// Waits until every pushed update is handled and every push delivered.
    pub async fn settle(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let open = self
                .db
                .count("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')")
                .await;
            if self.sandbox.pending_updates() == 0 && open == 0 {
                // The confirming poll may come just before the last answer is sent, and on a
                // busy machine a handler's pushes may be committed a moment after: quiet
                // means quiet twice.
                tokio::time::sleep(Duration::from_millis(150)).await;
                let open = self
                    .db
                    .count("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')")
                    .await;
                if self.sandbox.pending_updates() == 0 && open == 0 {
                    return;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the bot did not settle: {} updates, {open} pushes open",
                self.sandbox.pending_updates()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// What the bot sent since the last step.
    fn news(&self) -> Vec<Delivered> {
        let all = self.sandbox.delivered();
        let mut seen = self.seen.lock().unwrap();
        let new = all[*seen..].to_vec();
        *seen = all.len();
        new
    }

    /// `from` writes `text` privately to the bot; answers everything the bot sent after.
    pub async fn say(&self, from: i64, text: &str) -> Step {
        self.news();
        self.sandbox.private_message(from, text);
        self.settle().await;
        Step(self.news())
    }

    /// `from` writes `text` in a group chat.
    pub async fn say_in(&self, chat: i64, from: i64, text: &str) -> Step {
        self.news();
        self.sandbox.group_message(chat, from, text);
        self.settle().await;
        Step(self.news())
    }

    /// Whatever `push` queues at the sandbox (several updates, a reply, an edit…); answers
    /// everything the bot sent after.
    pub async fn act(&self, push: impl FnOnce(&Sandbox)) -> Step {
        self.news();
        push(&self.sandbox);
        self.settle().await;
        Step(self.news())
    }

    /// `from` presses the button whose label contains `label` under `message`.
    pub async fn press(&self, from: i64, message: &Delivered, label: &str) -> Step {
        let data = button(message, label);
        self.press_data(from, message, &data).await
    }

    /// `from` presses a button with this callback data under `message`.
    pub async fn press_data(&self, from: i64, message: &Delivered, data: &str) -> Step {
        self.news();
        self.sandbox
            .callback(from, message.chat_id, message.message_id, data);
        self.settle().await;
        Step(self.news())
    }

    /// The last message the bot sent to a chat.
    pub fn last_to(&self, chat: i64) -> Delivered {
        self.sandbox
            .delivered_to(chat)
            .pop()
            .unwrap_or_else(|| panic!("nothing was sent to {chat}"))
    }

    /// Toasts (answerCallbackQuery texts), oldest first.
    pub fn toasts(&self) -> Vec<String> {
        self.sandbox
            .calls()
            .into_iter()
            .filter(|c| c.method == "answercallbackquery")
            .filter_map(|c| c.text)
            .collect()
    }

    /// Edited texts of the bot's messages, oldest first.
    pub fn edits(&self) -> Vec<String> {
        self.sandbox
            .calls()
            .into_iter()
            .filter(|c| c.method == "editmessagetext" && c.status == 200)
            .filter_map(|c| c.text)
            .collect()
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
        self.sandbox.shutdown().await;
        self.db.finish().await;
    }
}

pub fn spawn(
    db: &TestDb,
    sandbox: &Sandbox,
    config: &Arc<Config>,
    clock: &FixedClock,
    stop: &CancellationToken,
) -> JoinHandle<()> {
    spawn_with(db, sandbox, config, clock, stop, None)
}

/// A service in polling mode, or in webhook mode with `webhook`.
pub fn spawn_with(
    db: &TestDb,
    sandbox: &Sandbox,
    config: &Arc<Config>,
    clock: &FixedClock,
    stop: &CancellationToken,
    webhook: Option<WebhookMode>,
) -> JoinHandle<()> {
    let (http, webhook) = match webhook {
        Some(mode) => (Some(mode.listener), mode.public_url),
        None => (None, None),
    };
    let service = Service {
        repo: Arc::clone(&db.repo),
        bot: sandbox.bot(),
        config: Arc::clone(config),
        username: "minyi_sandbox_bot".into(),
        clock: Arc::new(clock.clone()),
        scheduler: false,
        http,
        webhook,
        metrics: minyi::metrics::Metrics::new(),
    };
    tokio::spawn(service.run(stop.clone()))
}

/// Where the HTTP server listens, and in webhook mode the public URL Telegram posts to (its
/// path is the path served).
pub struct WebhookMode {
    pub listener: tokio::net::TcpListener,
    pub public_url: Option<reqwest::Url>,
}

/// A webhook listener on a free loopback port and the URL Telegram (the sandbox) posts to.
pub async fn webhook_mode() -> (WebhookMode, String) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("a free port");
    let port = listener.local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/telegram/hook");
    let mode = WebhookMode {
        listener,
        public_url: Some(url.parse().unwrap()),
    };
    (mode, url)
}

/// The bot's messages of one step.
pub struct Step(pub Vec<Delivered>);

impl Step {
    /// Messages to one chat.
    pub fn to(&self, chat: i64) -> Vec<&Delivered> {
        self.0.iter().filter(|d| d.chat_id == chat).collect()
    }

    /// The one text to a chat in this step (several joined), panicking if none.
    pub fn text_to(&self, chat: i64) -> String {
        let texts: Vec<&str> = self.to(chat).iter().map(|d| d.text.as_str()).collect();
        assert!(!texts.is_empty(), "nothing to {chat}; sent: {:#?}", self.0);
        texts.join("\n---\n")
    }

    pub fn chats(&self) -> Vec<i64> {
        let mut chats: Vec<i64> = self.0.iter().map(|d| d.chat_id).collect();
        chats.sort();
        chats.dedup();
        chats
    }

    /// A suggestion or request number in the text to `chat` (the first `2026-…`/`R-2026-…`).
    pub fn number_to(&self, chat: i64, prefix: &str) -> String {
        let text = self.text_to(chat);
        let start = text
            .find(prefix)
            .unwrap_or_else(|| panic!("no {prefix} in {text}"));
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect()
    }
}

/// The callback data of the button whose label contains `label`.
pub fn button(message: &Delivered, label: &str) -> String {
    message
        .buttons
        .iter()
        .find(|(l, _)| l.contains(label))
        .map(|(_, d)| d.clone())
        .unwrap_or_else(|| panic!("no button {label:?} in {:?}", message.buttons))
}

/// Runs a test body on each backend with a live bot.
#[macro_export]
macro_rules! live_test {
    ($name:ident, |$live:ident| $body:block) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for db in $crate::support::backends().await {
                #[allow(unused_mut)]
                let mut $live = $crate::bot::Live::start(db).await;
                $body
                $live.finish().await;
            }
        }
    };
}
