//! The demo's WeCom side (`minyi demo --wecom`): the town's clerk and the unit's contact work
//! in WeCom. Their part goes through the WeCom sandbox, which plays them (posting encrypted,
//! signed messages and card clicks to the service's callback); what minyi sends them is
//! printed like the Telegram side.

use std::time::{Duration, Instant};

use anyhow::Context;

use super::stage::{Actor, Stage};
use crate::i18n;
use crate::sandbox::wecom::WeComSandbox;

/// How long WeCom's answers (sent after the callback was answered) may take to settle.
const QUIET: Duration = Duration::from_millis(150);

pub struct WeComSide {
    pub sandbox: WeComSandbox,
    /// The app's callback on the service's HTTP server.
    pub callback: String,
    seen_delivered: usize,
    seen_updates: usize,
}

impl WeComSide {
    pub fn new(sandbox: WeComSandbox, callback: String) -> WeComSide {
        WeComSide {
            sandbox,
            callback,
            seen_delivered: 0,
            seen_updates: 0,
        }
    }
}

impl Stage<'_> {
    fn wecom(&self) -> anyhow::Result<&WeComSide> {
        self.wecom
            .as_ref()
            .context("the demo plays nobody on WeCom")
    }

    fn said_on_wecom(&mut self, who: &Actor, shown: &str) {
        let place = i18n::plain(self.lang, "cli-demo-wecom", &[]);
        let mut lines = shown.lines();
        self.line(&format!(
            "[{place} | {}] {}",
            who.label,
            lines.next().unwrap_or_default()
        ));
        for more in lines {
            self.line(&format!("    {more}"));
        }
    }

    /// `who` writes `text` to the app in WeCom.
    pub async fn wecom_say(&mut self, who: &Actor, text: &str) -> anyhow::Result<()> {
        let userid = who.wecom.clone().context("not on WeCom")?;
        self.said_on_wecom(who, text);
        let side = self.wecom()?;
        let status = side.sandbox.say(&side.callback, &userid, text).await;
        anyhow::ensure!(status == 200, "the callback answered {status}");
        self.settle(text).await
    }

    /// `who` clicks the newest card button whose key starts with `prefix`; answers the key.
    pub async fn wecom_click(&mut self, who: &Actor, prefix: &str) -> anyhow::Result<String> {
        let userid = who.wecom.clone().context("not on WeCom")?;
        let side = self.wecom()?;
        let (task, label, key) = side
            .sandbox
            .delivered(&userid)
            .into_iter()
            .rev()
            .filter_map(|d| d.card)
            .find_map(|card| {
                let button = card["button_list"]
                    .as_array()?
                    .iter()
                    .find(|b| b["key"].as_str().is_some_and(|k| k.starts_with(prefix)))?
                    .clone();
                Some((
                    card["task_id"].as_str()?.to_owned(),
                    button["text"].as_str()?.to_owned(),
                    button["key"].as_str()?.to_owned(),
                ))
            })
            .with_context(|| format!("no card button {prefix}… for {}", who.label))?;
        let shown = i18n::plain(self.lang, "cli-demo-presses", &[("label", label)]);
        self.said_on_wecom(who, &shown);
        let side = self.wecom()?;
        let status = side
            .sandbox
            .click(&side.callback, &userid, &task, &key)
            .await;
        anyhow::ensure!(status == 200, "the callback answered {status}");
        self.settle(&shown).await?;
        Ok(key)
    }

    /// Waits until WeCom's sandbox has taken nothing new for a moment, then prints it.
    pub(super) async fn settle_wecom(&mut self) {
        let Some(side) = &self.wecom else { return };
        let count = || side.sandbox.all_delivered().len() + side.sandbox.card_updates().len();
        let start = Instant::now();
        let mut last = count();
        loop {
            tokio::time::sleep(QUIET).await;
            let now = count();
            if now == last || start.elapsed() > Duration::from_secs(10) {
                break;
            }
            last = now;
        }
        self.print_wecom();
    }

    /// What minyi sent in WeCom since the last step: texts, cards with their buttons, and
    /// cards marked done.
    fn print_wecom(&mut self) {
        let Some(side) = &mut self.wecom else { return };
        let delivered = side.sandbox.all_delivered();
        let updates = side.sandbox.card_updates();
        let new = delivered[side.seen_delivered.min(delivered.len())..].to_vec();
        let done = updates[side.seen_updates.min(updates.len())..].to_vec();
        side.seen_delivered = delivered.len();
        side.seen_updates = updates.len();
        let wecom = i18n::plain(self.lang, "cli-demo-wecom", &[]);
        for d in new {
            let to = format!("{} ({wecom})", self.chat_name_of_member(&d.userid));
            match &d.card {
                Some(card) => {
                    let title = card["main_title"]["title"].as_str().unwrap_or_default();
                    self.line(&format!("  → {to}: {title}"));
                    let text = card["sub_title_text"].as_str().unwrap_or_default();
                    for line in text.lines().filter(|l| !l.trim().is_empty()) {
                        self.line(&format!("      {line}"));
                    }
                    let buttons: Vec<String> = card["button_list"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|b| b["text"].as_str().map(|t| format!("[{t}]")))
                        .collect();
                    self.line(&format!("      {}", buttons.join(" ")));
                }
                None => {
                    let mut lines = d.content.lines();
                    self.line(&format!("  → {to}: {}", lines.next().unwrap_or_default()));
                    for line in lines.filter(|l| !l.trim().is_empty()).take(4) {
                        self.line(&format!("      {line}"));
                    }
                }
            }
        }
        for update in done {
            let who = update
                .userids
                .first()
                .map(|u| self.chat_name_of_member(u))
                .unwrap_or_default();
            self.line(&format!("  ✎ {who} ({wecom}): [{}]", update.replace_name));
        }
    }
}
