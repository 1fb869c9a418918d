//! The `minyi` binary as an operator runs it: real process, real SQLite file, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{GROUPS, ORGS, PEOPLE, UNITS};

struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new(config: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("minyi.toml"), config).unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn minyi(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_minyi"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("MINYI_CONFIG")
            .env_remove("TELOXIDE_TOKEN")
            .env(
                "MINYI_DATABASE_URL",
                format!("sqlite://{}", self.path("minyi.db").display()),
            )
            .output()
            .expect("run minyi")
    }

    /// Imports the fixture roster, each file checked.
    fn import_roster(&self) {
        for (kind, csv) in [
            ("orgs", ORGS),
            ("groups", GROUPS),
            ("units", UNITS),
            ("people", PEOPLE),
        ] {
            let imported = self.import(kind, csv);
            assert!(imported.status.success(), "{kind}: {}", err(&imported));
        }
    }

    fn import(&self, kind: &str, csv: &str) -> Output {
        let file = self.write(&format!("{kind}.csv"), csv.as_bytes());
        self.minyi(&["import", kind, file.to_str().unwrap()])
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn migrate_import_reimport_and_invite() {
    let site = Site::new("default_lang = \"en-US\"\nbot_username = \"xiangshan_minyi_bot\"\n");
    let migrated = site.minyi(&["migrate"]);
    assert!(migrated.status.success(), "{}", err(&migrated));
    assert!(Path::new(&site.path("minyi.db")).exists());

    for (kind, csv, n) in [
        ("orgs", ORGS, 3),
        ("groups", GROUPS, 2),
        ("units", UNITS, 3),
        ("people", PEOPLE, 12),
    ] {
        let first = site.import(kind, csv);
        assert!(first.status.success(), "{kind}: {}", err(&first));
        assert!(
            out(&first).contains(&format!("{n} new, 0 updated, 0 unchanged")),
            "{kind}: {}",
            out(&first)
        );
        let again = site.import(kind, csv);
        assert!(again.status.success());
        assert!(
            out(&again).contains("nothing was written"),
            "{kind}: {}",
            out(&again)
        );
    }

    let invite = site.minyi(&["invite", "D1"]);
    assert!(invite.status.success(), "{}", err(&invite));
    let text = out(&invite);
    assert!(text.contains("Deputy One"), "{text}");
    let link = text
        .lines()
        .find(|l| l.starts_with("https://"))
        .expect("a link line");
    let token = link
        .strip_prefix("https://t.me/xiangshan_minyi_bot?start=inv_")
        .expect("deep link");
    assert_eq!(token.len(), 43, "32 random bytes, URL-safe base64");
    assert!(
        token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    );
    assert!(
        link.len() - link.find("start=").unwrap() - 6 <= 64,
        "Telegram's start parameter limit"
    );

    let unknown = site.minyi(&["invite", "NOBODY"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(err(&unknown).contains("NOBODY"), "{}", err(&unknown));
}

#[test]
fn qr_writes_a_poster_that_scans_to_the_deep_link() {
    let site = Site::new("default_lang = \"en-US\"\nbot_username = \"xiangshan_minyi_bot\"\n");
    site.import_roster();

    let poster = site.path("poster.png");
    let written = site.minyi(&["qr", "deputy", "D1", "-o", poster.to_str().unwrap()]);
    assert!(written.status.success(), "{}", err(&written));
    let link = "https://t.me/xiangshan_minyi_bot?start=d_D1";
    let stdout = out(&written);
    assert!(
        stdout.contains(&format!("Poster written to {}", poster.display()))
            && stdout.contains(link),
        "{stdout}"
    );
    assert_eq!(
        crate::charts::scan(&std::fs::read(&poster).unwrap()),
        vec![link]
    );

    // A group's poster, in Chinese while the operator reads English.
    let group = site.path("group.png");
    let written = site.minyi(&[
        "qr",
        "group",
        "G2",
        "-o",
        group.to_str().unwrap(),
        "--lang",
        "zh",
    ]);
    assert!(written.status.success(), "{}", err(&written));
    assert_eq!(
        crate::charts::scan(&std::fs::read(&group).unwrap()),
        vec!["https://t.me/xiangshan_minyi_bot?start=g_G2"]
    );

    // Unknown codes (and a deputy's code given as a group) write nothing and fail.
    let nowhere = site.path("nowhere.png");
    for (kind, code) in [("deputy", "NOBODY"), ("group", "D1")] {
        let unknown = site.minyi(&["qr", kind, code, "-o", nowhere.to_str().unwrap()]);
        assert_eq!(unknown.status.code(), Some(1), "{kind} {code}");
        assert!(
            err(&unknown).contains(&format!("code \"{code}\"; no poster was written")),
            "{}",
            err(&unknown)
        );
        assert!(!nowhere.exists());
    }
}

#[test]
fn a_bad_file_imports_nothing_and_every_bad_line_is_printed() {
    let site = Site::new("");
    for (kind, csv) in [("orgs", ORGS), ("groups", GROUPS), ("units", UNITS)] {
        assert!(site.import(kind, csv).status.success());
    }
    let bad = "code,name,roles,scope,telegram_id,lang\nP1,Good,deputy,G1,,\nP2,Bad,mayor,G1,,\nP3,Worse,deputy,NOWHERE,,\n";
    let failed = site.import("people", bad);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = err(&failed);
    // Default language zh-CN: the operator reads Chinese, with the line numbers.
    assert!(
        stderr.contains("第 3 行") && stderr.contains("第 4 行"),
        "{stderr}"
    );
    assert!(stderr.contains("全部未导入"), "{stderr}");
    // The problems too: Chinese, not the English of the logs.
    assert!(stderr.contains("第 3 行：未知角色「mayor」"), "{stderr}");
    assert!(
        stderr.contains("第 4 行：scope 列中的编码「NOWHERE」不存在"),
        "{stderr}"
    );
    assert!(!stderr.contains("unknown"), "{stderr}");
    assert!(
        !stderr.contains("&quot;"),
        "terminal text is not HTML-escaped: {stderr}"
    );
    let missing = site.minyi(&[
        "import",
        "people",
        site.path("missing.csv").to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(1));
    let wrong_kind = site.minyi(&["import", "deputies", "x.csv"]);
    assert_eq!(
        wrong_kind.status.code(),
        Some(2),
        "clap refuses an unknown kind"
    );
}

#[test]
fn a_bad_configuration_is_reported_by_key_and_exits_2() {
    let site = Site::new(
        "timezone = \"Mars/Olympus\"\n[deadlines]\nreview_days = -3\n[jobs]\ndaily_report = \"0 8 * * *\"\n",
    );
    let run = site.minyi(&["migrate"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = err(&run);
    for key in ["timezone", "deadlines.review_days", "jobs.daily_report"] {
        assert!(stderr.contains(key), "{key} missing from: {stderr}");
    }
    assert!(
        !site.path("minyi.db").exists(),
        "nothing was opened or created"
    );
}

#[test]
fn outbox_status_dead_and_retry() {
    let site = Site::new("default_lang = \"en-US\"\n");
    assert!(site.minyi(&["migrate"]).status.success());
    let url = format!("sqlite://{}", site.path("minyi.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        for sql in [
            "INSERT INTO outbox (id, created_at, due_at, channel, target, lang, key, args, state) \
             VALUES (5, 0, 0, 'telegram', '42', 'en-US', 'outbox-retried', '[]', 'dead')",
            "INSERT INTO outbox (id, created_at, due_at, channel, target, lang, key, args, state) \
             VALUES (6, 0, 0, 'telegram', '43', 'en-US', 'outbox-retried', '[]', 'sent')",
            "INSERT INTO dead_letters (outbox_id, reason, died_at) \
             VALUES (5, 'Forbidden: bot was blocked by the user', 0)",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
    });
    let status = site.minyi(&["outbox", "status"]);
    assert!(
        out(&status).contains("0 pending, 0 being sent, 1 sent, 1 dead"),
        "{}",
        out(&status)
    );
    let dead = site.minyi(&["outbox", "dead"]);
    assert!(
        out(&dead).contains("#5") && out(&dead).contains("blocked by the user"),
        "{}",
        out(&dead)
    );
    let unknown = site.minyi(&["outbox", "retry", "99"]);
    assert_eq!(unknown.status.code(), Some(1), "no such dead letter");
    let retried = site.minyi(&["outbox", "retry", "5"]);
    assert!(
        retried.status.success() && out(&retried).contains("1 dead letter"),
        "{}",
        out(&retried)
    );
    let status = site.minyi(&["outbox", "status"]);
    assert!(out(&status).contains("1 pending"), "{}", out(&status));
    let no_arg = site.minyi(&["outbox", "retry"]);
    assert_eq!(no_arg.status.code(), Some(2), "an id or --all is required");
    let run = site.minyi(&["run"]);
    assert_eq!(run.status.code(), Some(1), "run without a token");
    assert!(err(&run).contains("TELOXIDE_TOKEN"), "{}", err(&run));
}

#[test]
fn run_refuses_a_mirror_whose_scope_is_unknown() {
    let config = "[[mirrors]]\nscope = \"NOWHERE\"\nkind = \"dingtalk\"\nurl = \"https://oapi.dingtalk.com/robot/send?access_token=x\"\n";
    let site = Site::new(config);
    let run = Command::new(env!("CARGO_BIN_EXE_minyi"))
        .arg("run")
        .current_dir(site.dir.path())
        .env_remove("MINYI_CONFIG")
        .env("TELOXIDE_TOKEN", "123:abc")
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9/")
        .env(
            "MINYI_DATABASE_URL",
            format!("sqlite://{}", site.path("minyi.db").display()),
        )
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(
        err(&run).contains("dingtalk-NOWHERE") && err(&run).contains("“NOWHERE”"),
        "{}",
        err(&run)
    );
    assert!(
        !err(&run).contains("access_token"),
        "the webhook URL is a secret"
    );
}

#[test]
fn jobs_list_and_a_manual_run_that_runs_once() {
    let site = Site::new("default_lang = \"en-US\"\n");
    site.import_roster();
    let at = "2026-03-19T18:00:00+08:00";
    let first = site.minyi(&["jobs", "run", "reception_reminders", "--at", at]);
    assert!(first.status.success(), "{}", err(&first));
    assert!(out(&first).contains("4 messages queued"), "{}", out(&first));
    let again = site.minyi(&["jobs", "run", "reception_reminders", "--at", at]);
    assert!(again.status.success());
    assert!(out(&again).contains("has already run"), "{}", out(&again));
    let list = site.minyi(&["jobs", "list"]);
    assert!(list.status.success(), "{}", err(&list));
    let list = out(&list);
    assert!(
        list.contains("reception_reminders: schedule \"0 0 18 * * *\", last run 2026-03-19 18:00"),
        "{list}"
    );
    assert!(
        list.contains("quota_reminders: schedule \"0 0 9 25 * *\", last run never"),
        "{list}"
    );
    let unknown = site.minyi(&["jobs", "run", "weekly_poem"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        err(&unknown).contains("deadline_reminders"),
        "{}",
        err(&unknown)
    );
    let bad = site.minyi(&["jobs", "run", "quota_reminders", "--at", "tomorrow"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(err(&bad).contains("RFC 3339"), "{}", err(&bad));
}
