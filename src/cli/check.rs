//! `minyi check`: what an operator runs after installing minyi and whenever something seems
//! wrong. Each line is a check with ✔ or ✘ and, for a ✘, the one thing to do about it. Exit
//! code 0 when every check passes, 1 otherwise.

use std::process::ExitCode;

use teloxide::prelude::Requester;

use crate::clock::{Clock, SystemClock};
use crate::config::{Config, ConfigError};
use crate::i18n::{self, Lang};
use crate::storage::Repository;
use crate::telegram::client;

/// How many codes a line names before it says how many more there are.
const SHOWN: usize = 10;

/// Oldest due outbox row that is still fine: the worker looks every fraction of a second, so
/// ten minutes of waiting means it is not running or cannot send.
const STALE_SECONDS: i64 = 600;

/// The checklist as it is printed.
struct Checklist {
    lang: Lang,
    failed: usize,
}

impl Checklist {
    fn pass(&mut self, key: &str, args: &[(&str, String)]) {
        println!("✔ {}", i18n::plain(self.lang, key, args));
    }

    fn fail(&mut self, key: &str, args: &[(&str, String)]) {
        self.failed += 1;
        println!("✘ {}", i18n::plain(self.lang, key, args));
        let fix = i18n::plain(self.lang, &format!("{key}-fix"), args);
        println!("  → {fix}");
    }

    fn exit(self) -> ExitCode {
        let total = [("failed", self.failed.to_string())];
        if self.failed == 0 {
            println!("{}", i18n::plain(self.lang, "check-all-passed", &[]));
            ExitCode::SUCCESS
        } else {
            println!("{}", i18n::plain(self.lang, "check-some-failed", &total));
            ExitCode::FAILURE
        }
    }
}

/// A configuration that does not load: the first check fails and nothing else can be checked.
pub(super) fn bad_config(lang: Lang, error: &ConfigError) -> ExitCode {
    let mut list = Checklist { lang, failed: 0 };
    let problems = error.lines(lang).join("\n    ");
    list.fail("check-config-bad", &[("problems", problems)]);
    list.exit()
}

pub(super) async fn run(config: &Config) -> anyhow::Result<ExitCode> {
    let mut list = Checklist {
        lang: config.default_lang,
        failed: 0,
    };
    list.pass("check-config-ok", &[]);
    let repo = match crate::storage::connect(config.database_url.expose()).await {
        Ok(repo) => Some(repo),
        Err(e) => {
            list.fail("check-db-unreachable", &[("reason", e.to_string())]);
            None
        }
    };
    let ready = match &repo {
        Some(repo) => match repo.readiness().await {
            Ok(()) => {
                list.pass("check-db-ok", &[]);
                true
            }
            Err(why) => {
                let reason = i18n::plain(list.lang, why.key(), &why.args());
                list.fail("check-db-not-ready", &[("reason", reason)]);
                false
            }
        },
        None => false,
    };
    check_bot(config, &mut list).await;
    check_wecom(config, &mut list).await;
    if let Some(repo) = repo.filter(|_| ready) {
        check_roster(repo.as_ref(), config, &mut list).await?;
        check_outbox(repo.as_ref(), &mut list).await?;
    }
    Ok(list.exit())
}

/// The token, the bot's username, and what the bot may do in groups.
async fn check_bot(config: &Config, list: &mut Checklist) {
    let Some(token) = &config.telegram_token else {
        list.fail("check-token-missing", &[]);
        return;
    };
    let api_url = config
        .telegram_api_url
        .as_deref()
        .and_then(|u| reqwest::Url::parse(u).ok());
    let bot = client::bot(token.expose(), api_url);
    let me = match bot.get_me().await {
        Ok(me) => me,
        Err(e) => {
            list.fail("check-token-refused", &[("reason", e.to_string())]);
            return;
        }
    };
    let name = me.username().to_string();
    if name.eq_ignore_ascii_case(&config.bot_username) {
        list.pass("check-token-ok", &[("name", name)]);
    } else {
        let args = [("name", name), ("configured", config.bot_username.clone())];
        list.fail("check-username-differs", &args);
    }
    if !me.can_join_groups {
        list.fail("check-cannot-join-groups", &[]);
    } else if me.can_read_all_group_messages {
        list.pass("check-privacy-off", &[]);
    } else {
        list.pass("check-privacy-on", &[]);
    }
}

/// The WeCom app, when configured: its callback's keys, a token from WeCom with its secret,
/// and an HTTP listener for WeCom to call back.
async fn check_wecom(config: &Config, list: &mut Checklist) {
    let Some(wecom) = &config.wecom else {
        return;
    };
    let keys = crate::wecom::crypto::Keys::new(
        wecom.token.expose(),
        wecom.encoding_aes_key.expose(),
        &wecom.corp_id,
    );
    match keys {
        Ok(_) => list.pass("check-wecom-keys-ok", &[]),
        Err(e) => list.fail("check-wecom-keys-bad", &[("reason", e.to_string())]),
    }
    let agent = [
        ("corp", wecom.corp_id.clone()),
        ("agent", wecom.agent_id.to_string()),
    ];
    match crate::wecom::client::Client::new(wecom).token().await {
        Ok(()) => list.pass("check-wecom-token-ok", &agent),
        Err(e) => list.fail("check-wecom-token-refused", &[("reason", e.to_string())]),
    }
    let path = [("path", wecom.callback_path.clone())];
    match config.http_listen {
        Some(addr) => {
            let args = [
                ("path", wecom.callback_path.clone()),
                ("addr", addr.to_string()),
            ];
            list.pass("check-wecom-callback-ok", &args);
        }
        None => list.fail("check-wecom-callback-unserved", &path),
    }
}

/// Codes as a line shows them: the first few, then how many more.
fn listed(codes: &[String]) -> String {
    let mut shown = codes[..codes.len().min(SHOWN)].join(", ");
    if codes.len() > SHOWN {
        shown.push_str(&format!(" … (+{})", codes.len() - SHOWN));
    }
    shown
}

async fn check_roster(
    repo: &dyn Repository,
    config: &Config,
    list: &mut Checklist,
) -> anyhow::Result<()> {
    let gaps = repo.roster_gaps(config.wecom.is_some()).await?;
    match gaps.unbound_groups.as_slice() {
        [] => list.pass("check-groups-bound", &[]),
        codes => list.fail(
            "check-groups-unbound",
            &[
                ("count", codes.len().to_string()),
                ("codes", listed(codes)),
                ("first", codes[0].clone()),
            ],
        ),
    }
    match gaps.unlinked_people.as_slice() {
        [] => list.pass("check-people-linked", &[]),
        codes => list.fail(
            "check-people-unlinked",
            &[
                ("count", codes.len().to_string()),
                ("codes", listed(codes)),
                ("first", codes[0].clone()),
            ],
        ),
    }
    let mut unknown = Vec::new();
    for mirror in &config.mirrors {
        if !repo.scope_exists(&mirror.scope).await? {
            unknown.push(format!("{} ({})", mirror.name, mirror.scope));
        }
    }
    match (config.mirrors.len(), unknown.as_slice()) {
        (0, _) => {}
        (n, []) => list.pass("check-mirrors-ok", &[("count", n.to_string())]),
        (_, names) => list.fail("check-mirrors-unknown", &[("names", names.join(", "))]),
    }
    check_web(repo, config, list).await
}

/// The board's address is served, and every org with a public wall exists.
async fn check_web(
    repo: &dyn Repository,
    config: &Config,
    list: &mut Checklist,
) -> anyhow::Result<()> {
    if let Some(url) = &config.web.public_url {
        match config.http_listen {
            Some(addr) => list.pass(
                "check-web-ok",
                &[("url", url.clone()), ("addr", addr.to_string())],
            ),
            None => list.fail("check-web-unserved", &[("url", url.clone())]),
        }
    }
    let mut unknown = Vec::new();
    for code in &config.web.public_wall {
        match repo.org_groups(Some(code)).await {
            Ok(_) => {}
            Err(crate::storage::StoreError::UnknownOrg(_)) => unknown.push(code.clone()),
            Err(e) => return Err(e.into()),
        }
    }
    match (config.web.public_wall.as_slice(), unknown.as_slice()) {
        ([], _) => {}
        (codes, []) => list.pass("check-wall-ok", &[("codes", listed(codes))]),
        (_, codes) => list.fail("check-wall-unknown", &[("codes", listed(codes))]),
    }
    Ok(())
}

async fn check_outbox(repo: &dyn Repository, list: &mut Checklist) -> anyhow::Result<()> {
    let outbox = repo.outbox_gauges(SystemClock.now()).await?;
    // Two causes, two fixes: a dead letter waits for a person, a stale row for the service.
    if outbox.dead_letters > 0 {
        let args = [("count", outbox.dead_letters.to_string())];
        list.fail("check-outbox-dead", &args);
    } else {
        list.pass("check-outbox-no-dead", &[]);
    }
    if outbox.oldest_due_seconds > STALE_SECONDS {
        let args = [("minutes", (outbox.oldest_due_seconds / 60).to_string())];
        list.fail("check-outbox-stale", &args);
    } else {
        list.pass("check-outbox-moving", &[]);
    }
    Ok(())
}
