//! The board and the public wall (issue 14): sign-in storage, the pages over real HTTP with
//! real databases, and a real browser.

mod browser;
mod pages;
mod reports;
mod storage;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use minyi::clock::FixedClock;
use minyi::config::Config;
use minyi::storage::{LINK_VALID, WebSecret, Who};
use minyi::web::{WebApp, router};
use reqwest::redirect::Policy;

use crate::support::TestDb;

/// The board's routes served on a loopback port, on a fixed clock.
pub struct Board {
    pub db: TestDb,
    pub base: String,
    pub clock: FixedClock,
    client: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
}

/// A signed-in browser: its cookie and its session's form token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// An answer: status, body and where a redirect points.
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
}

impl Board {
    /// Serves the board for `db` with `[web]` and the rest of `toml` (the board's address
    /// is set to where it listens), at `now`.
    pub async fn start(db: TestDb, toml: &str, now: DateTime<Utc>) -> Board {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let text = format!("{toml}\n[web]\npublic_url = \"{base}\"\npublic_wall = [\"C\"]\n");
        let env = |key: &str| (key == "TELOXIDE_TOKEN").then(|| TOKEN.to_owned());
        let config = Arc::new(Config::from_toml_str(&text, &env).expect("a valid configuration"));
        let clock = FixedClock::new(now);
        let app = WebApp::new(Arc::clone(&db.repo), config, Arc::new(clock.clone()));
        let server = tokio::spawn(async move {
            axum::serve(listener, router(app)).await.unwrap();
        });
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .unwrap();
        Board {
            db,
            base,
            clock,
            client,
            server,
        }
    }

    /// Signs `who` in with a one-time link, as a browser would.
    pub async fn sign_in(&self, who: Who) -> Session {
        let link = WebSecret::new();
        let now = self.clock_now();
        self.db
            .repo
            .create_web_link(who, &link.hash(), now, now + LINK_VALID)
            .await
            .unwrap();
        let answer = self
            .post(None, &format!("/web/in/{}", link.expose()), &[])
            .await;
        assert_eq!(answer.status, 303, "{}", answer.body);
        let cookie = answer.cookie.expect("the sign-in sets the session cookie");
        // The form token is in every signed-in page's sign-out form.
        let mut session = Session {
            cookie,
            csrf: String::new(),
        };
        let page = self.get(Some(&session), "/board").await;
        session.csrf = hidden(&page.body, "csrf").unwrap_or_default();
        session
    }

    fn clock_now(&self) -> DateTime<Utc> {
        use minyi::clock::Clock;
        self.clock.now()
    }

    pub async fn get(&self, session: Option<&Session>, path: &str) -> Answer {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(s) = session {
            request = request.header("cookie", &s.cookie);
        }
        read(request.send().await.expect("the board answers"))
            .await
            .0
    }

    pub async fn post(
        &self,
        session: Option<&Session>,
        path: &str,
        form: &[(&str, &str)],
    ) -> Posted {
        let mut request = self.client.post(format!("{}{path}", self.base)).form(form);
        if let Some(s) = session {
            request = request.header("cookie", &s.cookie);
        }
        let (answer, cookie) = read(request.send().await.expect("the board answers")).await;
        Posted {
            status: answer.status,
            body: answer.body,
            location: answer.location,
            cookie,
        }
    }

    pub async fn finish(self) {
        self.server.abort();
        self.db.finish().await;
    }
}

/// A posted form's answer, with the session cookie it set.
pub struct Posted {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub cookie: Option<String>,
}

async fn read(response: reqwest::Response) -> (Answer, Option<String>) {
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let location = header("location");
    let cookie = header("set-cookie").map(|c| c.split(';').next().unwrap_or_default().to_owned());
    let body = response.text().await.unwrap();
    (
        Answer {
            status,
            body,
            location,
        },
        cookie,
    )
}

/// The value of the first hidden input named `name` in a page.
pub fn hidden(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &page[at + name.len() + 15..];
    rest.split('"').next().map(str::to_owned)
}

/// The bot token the board checks Telegram's signatures with.
pub const TOKEN: &str = "123456:TEST-board-token";
