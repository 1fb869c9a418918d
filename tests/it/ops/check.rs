//! `minyi check` against the sandbox Bot API: everything in order passes with exit 0; each
//! thing out of order is a ✘ with its fix, and exit 1.

use minyi::sandbox::{Sandbox, SandboxOptions};
use minyi::storage::BindTarget;

use super::{minyi, stdout};
use crate::support::{ADMIN, backends, roster, shanghai};

fn config(dir: &std::path::Path, extra: &str) -> String {
    let path = dir.join("minyi.toml");
    let text = format!("default_lang = \"en-US\"\nbot_username = \"minyi_sandbox_bot\"\n{extra}");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

// The process blocks a worker thread; the sandbox answers on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_passes_when_all_is_in_order_and_names_each_fault_with_its_fix() {
    for db in backends().await {
        let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
        let api = sandbox.api_url().to_string();
        roster(&db).await;
        // Every group has its chat: G2's too.
        let t = shanghai(2026, 1, 5, 9, 0);
        db.repo
            .bind_chat(ADMIN, -300, BindTarget::Group("G2".into()), t)
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mirror = "[web]\npublic_wall = [\"C\"]\n[[mirrors]]\nscope = \"G1\"\nkind = \"wecom\"\nurl = \"https://qyapi.weixin.qq.com/x\"\n";
        let good = config(dir.path(), mirror);
        let env = [
            ("MINYI_CONFIG", good.as_str()),
            ("TELOXIDE_TOKEN", sandbox.token()),
            ("TELOXIDE_API_URL", api.as_str()),
        ];
        let passed = minyi(dir.path(), &db.url, &env, &["check"]);
        let text = stdout(&passed);
        assert_eq!(passed.status.code(), Some(0), "{}: {text}", db.name);
        assert!(!text.contains('✘'), "{}: {text}", db.name);
        for line in [
            "✔ Configuration: valid.",
            "✔ Database: reachable, every migration applied.",
            "✔ Telegram: the token works; the bot is @minyi_sandbox_bot.",
            "✔ Telegram: privacy mode is on",
            "✔ Groups: every deputy group has a bound chat.",
            "✔ People: everyone on the roster can be reached (a linked Telegram account or a WeCom userid).",
            "✔ Mirrors: 1 group robot(s), every scope code exists.",
            "✔ Public wall: open for C.",
            "✔ Outbox: no dead letters.",
            "✔ Outbox: nothing has waited too long to be sent.",
            "All checks passed.",
        ] {
            assert!(text.contains(line), "{}: {line:?} in {text}", db.name);
        }

        // Now everything out of order at once.
        db.exec("DELETE FROM chat_bindings WHERE chat_id = -300")
            .await
            .unwrap();
        db.exec("UPDATE people SET telegram_id = NULL WHERE code = 'D3'")
            .await
            .unwrap();
        db.exec(
            "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args, state) \
             VALUES (0, 0, 'telegram', '7', 'zh-CN', 'outbox-retried', '[]', 'dead')",
        )
        .await
        .unwrap();
        // And, apart from it, a message nobody has sent for an hour: no service is running.
        let hour_ago = chrono::Utc::now().timestamp_millis() - 3_600_000;
        db.exec(&format!(
            "INSERT INTO outbox (created_at, due_at, channel, target, lang, key, args, state) \
             VALUES ({hour_ago}, {hour_ago}, 'telegram', '7', 'zh-CN', 'outbox-retried', '[]', 'pending')"
        ))
        .await
        .unwrap();
        let bad = config(
            dir.path(),
            "[web]\npublic_url = \"https://bot.example.org\"\npublic_wall = [\"C\", \"NOWHERE\"]\n\
             [[mirrors]]\nname = \"office\"\nscope = \"NOPE\"\nkind = \"wecom\"\nurl = \"https://qyapi.weixin.qq.com/x\"\n",
        );
        let env = [
            ("MINYI_CONFIG", bad.as_str()),
            ("TELOXIDE_TOKEN", "123:wrong"),
            ("TELOXIDE_API_URL", api.as_str()),
        ];
        let failed = minyi(dir.path(), &db.url, &env, &["check"]);
        let text = stdout(&failed);
        assert_eq!(failed.status.code(), Some(1), "{}: {text}", db.name);
        for line in [
            "✘ Telegram: the Bot API refuses the token",
            "→ Copy the token again from BotFather",
            "✘ Groups: 1 deputy group(s) have no bound chat, so their notices reach no group chat: G2.",
            "→ Add the bot to each group's chat and send /bind G2 there",
            "✘ People: 1 on the roster have neither linked a Telegram account nor a WeCom userid",
            "→ Send each an invite: minyi invite D3",
            "✘ Mirrors: these mirrors name a scope no group, org or unit has: office (NOPE).",
            "✘ Outbox: 1 message(s) could not be delivered (dead letters).",
            "→ See them with minyi outbox dead",
            "✘ Outbox: the oldest message has waited 60 minutes to be sent.",
            "→ Make sure minyi run is running",
            "✘ Board: [web] public_url is https://bot.example.org, but there is no HTTP listener to serve it.",
            "✘ Public wall: no org has the code(s) NOWHERE in [web] public_wall.",
            "8 check(s) failed.",
        ] {
            assert!(text.contains(line), "{}: {line:?} in {text}", db.name);
        }
        sandbox.shutdown().await;
        db.finish().await;
    }
}

#[test]
fn check_reports_a_bad_configuration_and_an_unmigrated_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("fresh.db").display());
    let conf = config(dir.path(), "");
    let fresh = minyi(dir.path(), &url, &[("MINYI_CONFIG", &conf)], &["check"]);
    let text = stdout(&fresh);
    assert_eq!(fresh.status.code(), Some(1), "{text}");
    assert!(
        text.contains("✘ Database: it was never migrated."),
        "{text}"
    );
    assert!(text.contains("→ Run minyi migrate"), "{text}");
    assert!(text.contains("✘ Telegram: no bot token."), "{text}");

    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "default_lang = \"en-US\"\nmonthly_quota = -1\n").unwrap();
    let bad = minyi(
        dir.path(),
        &url,
        &[("MINYI_CONFIG", broken.to_str().unwrap())],
        &["check"],
    );
    let text = stdout(&bad);
    assert_eq!(bad.status.code(), Some(1), "{text}");
    // The configuration did not load, but its language is still the one it asks for.
    assert!(text.contains("✘ Configuration: does not load:"), "{text}");
    assert!(
        text.contains("monthly_quota: must be a whole number"),
        "{text}"
    );
}

/// What stops a command is said in the configured language (the default one: Chinese).
#[test]
fn what_stops_a_command_is_said_in_the_configured_language() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("m.db").display());
    let run = minyi(dir.path(), &url, &[], &["run"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        super::stderr(&run).contains("minyi: 未设置 TELOXIDE_TOKEN"),
        "{}",
        super::stderr(&run)
    );
    let conf = config(dir.path(), "");
    let run = minyi(dir.path(), &url, &[("MINYI_CONFIG", &conf)], &["run"]);
    assert!(super::stderr(&run).contains("minyi: TELOXIDE_TOKEN is not set"));
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "monthly_quota = -1\n").unwrap();
    let bad = minyi(
        dir.path(),
        &url,
        &[("MINYI_CONFIG", broken.to_str().unwrap())],
        &["run"],
    );
    assert_eq!(bad.status.code(), Some(2));
    let said = super::stderr(&bad);
    assert!(said.contains("minyi: 配置有误："), "{said}");
    assert!(
        said.contains("monthly_quota: 应为 0 到 100 之间的整数，实为 -1"),
        "{said}"
    );
}
