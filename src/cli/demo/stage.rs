//! The demo's stage: pushes what a scripted person does to the sandbox, waits until the bot
//! handled it and the outbox is drained, and prints who said what and what the bot sent.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::i18n::{self, Lang};
use crate::sandbox::Sandbox;
use crate::storage::Repository;

/// How long one step may take before the demo fails.
const STEP_TIMEOUT: Duration = Duration::from_secs(20);

/// Lines of a message shown below its first (a welcome lists every command).
const MAX_LINES: usize = 4;

/// A scripted person: their Telegram id (also their private chat's) and how the transcript
/// names them.
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: i64,
    pub code: &'static str,
    pub label: String,
    /// Their WeCom userid, when the demo plays them in WeCom.
    pub wecom: Option<String>,
}

pub struct Stage<'w> {
    pub sandbox: Sandbox,
    pub repo: Arc<dyn Repository>,
    pub lang: Lang,
    /// The WeCom side, when some people are played there.
    pub wecom: Option<super::wecom::WeComSide>,
    out: &'w mut (dyn Write + Send),
    /// Chat id → how the transcript names it.
    names: HashMap<i64, String>,
    /// WeCom userid → how the transcript names them.
    member_names: HashMap<String, String>,
    seen_calls: usize,
}

impl<'w> Stage<'w> {
    pub fn new(
        sandbox: Sandbox,
        repo: Arc<dyn Repository>,
        lang: Lang,
        out: &'w mut (dyn Write + Send),
    ) -> Self {
        Stage {
            sandbox,
            repo,
            lang,
            wecom: None,
            out,
            names: HashMap::new(),
            member_names: HashMap::new(),
            seen_calls: 0,
        }
    }

    pub fn line(&mut self, text: &str) {
        // A closed pipe (`minyi demo | head`) must not stop the demo.
        let _ = writeln!(self.out, "{text}");
    }

    pub fn heading(&mut self, key: &str) {
        let text = i18n::plain(self.lang, key, &[]);
        self.line(&format!("\n== {text} =="));
    }

    pub fn name_chat(&mut self, chat: i64, label: String) {
        self.names.insert(chat, label);
    }

    /// How the transcript names a WeCom member: the label of the chat named after them.
    pub fn chat_name_of_member(&self, userid: &str) -> String {
        self.member_names
            .get(userid)
            .cloned()
            .unwrap_or_else(|| userid.to_owned())
    }

    pub fn name_member(&mut self, userid: &str, label: String) {
        self.member_names.insert(userid.to_owned(), label);
    }

    pub fn chat_name(&self, chat: i64) -> String {
        self.names
            .get(&chat)
            .cloned()
            .unwrap_or_else(|| chat.to_string())
    }

    /// Where a person speaks: a group's name, or "private".
    fn place(&self, chat: i64) -> String {
        if chat < 0 {
            self.chat_name(chat)
        } else {
            i18n::plain(self.lang, "cli-demo-private", &[])
        }
    }

    fn said(&mut self, who: &Actor, chat: i64, shown: &str) {
        let place = self.place(chat);
        let mut lines = shown.lines();
        let first = lines.next().unwrap_or_default();
        self.line(&format!("[{place} | {}] {first}", who.label));
        for more in lines {
            self.line(&format!("    {more}"));
        }
    }

    /// `who` writes `text` in `chat` (their private chat when `chat == who.id`).
    pub async fn say(&mut self, who: &Actor, chat: i64, text: &str) -> anyhow::Result<()> {
        self.say_shown(who, chat, text, text).await
    }

    /// As [`Stage::say`], printing `shown` instead (a secret token shortened).
    pub async fn say_shown(
        &mut self,
        who: &Actor,
        chat: i64,
        text: &str,
        shown: &str,
    ) -> anyhow::Result<()> {
        self.said(who, chat, shown);
        if chat < 0 {
            self.sandbox.group_message(chat, who.id, text);
        } else {
            self.sandbox.private_message(who.id, text);
        }
        self.settle(shown).await
    }

    pub async fn location(&mut self, who: &Actor, lat: f64, lon: f64) -> anyhow::Result<()> {
        let args = [("lat", lat.to_string()), ("lon", lon.to_string())];
        let shown = i18n::plain(self.lang, "cli-demo-location", &args);
        self.said(who, who.id, &shown);
        self.sandbox.location_message(who.id, who.id, lat, lon);
        self.settle(&shown).await
    }

    pub async fn add_bot(&mut self, who: &Actor, chat: i64) -> anyhow::Result<()> {
        let shown = i18n::plain(self.lang, "cli-demo-adds-bot", &[]);
        self.said(who, chat, &shown);
        self.sandbox.bot_membership(chat, who.id, true);
        self.settle(&shown).await
    }

    /// `who` presses the newest button in `chat` whose callback data starts with `prefix`;
    /// answers the data.
    pub async fn press(&mut self, who: &Actor, chat: i64, prefix: &str) -> anyhow::Result<String> {
        let (message, label, data) = self.button(chat, prefix).with_context(|| {
            format!(
                "no button {prefix}… in the chat of {}",
                self.chat_name(chat)
            )
        })?;
        let shown = i18n::plain(self.lang, "cli-demo-presses", &[("label", label)]);
        self.said(who, chat, &shown);
        self.sandbox.callback(who.id, chat, message, &data);
        self.settle(&shown).await?;
        Ok(data)
    }

    /// The newest button in `chat` with data starting with `prefix`: (message id, label, data).
    pub fn button(&self, chat: i64, prefix: &str) -> Option<(i64, String, String)> {
        self.sandbox
            .delivered_to(chat)
            .into_iter()
            .rev()
            .find_map(|d| {
                let (label, data) = d
                    .buttons
                    .iter()
                    .find(|(_, data)| data.starts_with(prefix))?;
                Some((d.message_id, label.clone(), data.clone()))
            })
    }

    /// Waits until the bot handled every update and the outbox has nothing left to send,
    /// then prints what the bot did.
    pub(super) async fn settle(&mut self, what: &str) -> anyhow::Result<()> {
        let start = Instant::now();
        loop {
            let pending = self.sandbox.pending_updates();
            let status = self.repo.outbox_status().await?;
            let busy: i64 = status
                .iter()
                .filter(|(state, _)| state == "pending" || state == "sending")
                .map(|(_, n)| n)
                .sum();
            if pending == 0 && busy == 0 {
                break;
            }
            if start.elapsed() > STEP_TIMEOUT {
                anyhow::bail!(
                    "the step {what:?} did not finish within {} s: {pending} updates not handled, outbox {status:?}",
                    STEP_TIMEOUT.as_secs()
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.print_new();
        self.settle_wecom().await;
        Ok(())
    }

    /// The bot's sends, edits and toasts since the last step.
    fn print_new(&mut self) {
        let calls = self.sandbox.calls();
        let new = calls.get(self.seen_calls..).unwrap_or_default().to_vec();
        self.seen_calls = calls.len();
        for call in new {
            if call.status != 200 {
                continue;
            }
            let text = i18n::html_to_plain(call.text.as_deref().unwrap_or_default());
            let to = call.chat_id.map(|c| self.chat_name(c)).unwrap_or_default();
            match call.method.as_str() {
                "sendmessage" | "sendphoto" | "senddocument" => {
                    let mut lines = text.lines();
                    let first = lines.next().unwrap_or("📷");
                    self.line(&format!("  → {to}: {first}"));
                    let more: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
                    for line in more.iter().take(MAX_LINES) {
                        self.line(&format!("      {line}"));
                    }
                    if more.len() > MAX_LINES {
                        self.line(&format!("      … (+{})", more.len() - MAX_LINES));
                    }
                    if !call.buttons.is_empty() {
                        let buttons: Vec<String> =
                            call.buttons.iter().map(|(l, _)| format!("[{l}]")).collect();
                        self.line(&format!("      {}", buttons.join(" ")));
                    }
                }
                "editmessagetext" => {
                    // The edit appends what was done below the old text.
                    let last = text.rsplit("\n\n").next().unwrap_or_default();
                    self.line(&format!("  ✎ {to}: {}", last.replace('\n', " ")));
                }
                "answercallbackquery" if !text.is_empty() => {
                    self.line(&format!("  ⓘ {}", text.replace('\n', " ")));
                }
                _ => {}
            }
        }
    }
}
