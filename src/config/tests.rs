//! The configuration's reading: defaults, overrides, and each problem named at its place.

use super::*;

fn no_env(_: &str) -> Option<String> {
    None
}

/// The problems of a text that must fail to load.
fn problems(text: &str) -> Vec<String> {
    Config::from_toml_str(text, &no_env)
        .expect_err("should be refused")
        .lines(Lang::EnUs)
}

fn assert_one_problem_starting(text: &str, start: &str) {
    let found = problems(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with(start), "{found:#?}");
}

#[test]
fn an_empty_file_gives_the_defaults() {
    let config = Config::from_toml_str("", &no_env).unwrap();
    assert_eq!(config.rules(), Rules::default());
    assert_eq!(config.timezone(), chrono_tz::Asia::Shanghai);
    assert_eq!(config.bot_username, "minyi_bot");
    assert_eq!(config.default_lang, Lang::ZhCn);
    assert_eq!(config.monthly_quota, 1);
    assert_eq!(config.reception_days, [1, 20]);
    assert_eq!(config.jobs.quota_reminders.source(), "0 0 9 25 * *");
    assert_eq!(config.delivery.max_attempts, 20);
    assert_eq!(config.database_url.expose(), "sqlite://minyi.db");
    assert!(config.telegram_token.is_none() && config.mirrors.is_empty());
    assert_eq!(
        config.category_codes(),
        [
            "economy",
            "governance",
            "public_affairs",
            "environment",
            "livelihood",
            "other"
        ]
    );
    assert_eq!(config.category_name("environment", Lang::ZhCn), "环境资源");
    assert_eq!(config.category_name("other", Lang::EnUs), "Other");
    assert_eq!(config.category_name("gone", Lang::EnUs), "gone");
    assert_eq!(config.bot_username, "minyi_bot");
}

#[test]
fn the_example_file_spells_out_the_defaults() {
    let example = Config::from_toml_str(include_str!("../../minyi.example.toml"), &no_env).unwrap();
    assert_eq!(example, Config::default());
}

#[test]
fn a_file_overrides_and_the_environment_fills_in() {
    let text = r#"
        timezone = "Europe/Berlin"
        default_lang = "en-US"
        reception_days = [20, 5, 20]
        [deadlines]
        review_days = 4
        [[mirrors]]
        scope = "G01"
        kind = "feishu"
        url = "https://open.feishu.cn/open-apis/bot/v2/hook/x"
    "#;
    let env = |key: &str| (key == "MINYI_DATABASE_URL").then(|| "postgres://db/minyi".to_owned());
    let config = Config::from_toml_str(text, &env).unwrap();
    assert_eq!(config.timezone(), chrono_tz::Europe::Berlin);
    assert_eq!(config.rules().tz, chrono_tz::Europe::Berlin);
    assert_eq!(config.rules().review_days, 4);
    assert_eq!(config.default_lang, Lang::EnUs);
    assert_eq!(config.reception_days, [5, 20]);
    assert_eq!(config.mirrors[0].kind, MirrorKind::Feishu);
    assert_eq!(config.database_url.expose(), "postgres://db/minyi");
}

#[test]
fn a_bad_cron_names_the_job() {
    assert_one_problem_starting(
        "[jobs]\ndaily_report = \"0 8 * * *\"",
        "jobs.daily_report: not a valid cron expression with seconds (\"0 8 * * *\"): expected 6 or 7 fields",
    );
}

#[test]
fn a_cron_fault_reads_on_one_line() {
    let found = problems("[jobs]\nmonthly_report = \"0 0 25 1 * *\"");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("jobs.monthly_report: not a valid cron"),
        "{found:#?}"
    );
    assert!(
        !found[0].contains('\n') && !found[0].ends_with(": "),
        "{found:#?}"
    );
}

#[test]
fn an_unknown_time_zone_is_named() {
    let found = problems("timezone = \"Mars/Olympus\"");
    assert_eq!(found, [r#"timezone: unknown time zone "Mars/Olympus""#]);
}

#[test]
fn a_negative_deadline_reads_plainly() {
    let found = problems("[deadlines]\nreview_days = -3");
    assert_eq!(
        found,
        ["deadlines.review_days: must be a whole number from 1 to 365, got -3"]
    );
}

#[test]
fn an_unknown_key_is_a_typo() {
    assert_one_problem_starting(
        "[deadlines]\nreveiw_days = 3",
        "deadlines.reveiw_days: unknown key",
    );
    assert_one_problem_starting("colour = \"red\"", "colour: unknown key");
}

#[test]
fn a_bad_mirror_is_named_by_its_place() {
    let text = "[[mirrors]]\nscope = \"G01\"\nkind = \"slack\"\nurl = \"https://example.com/hook\"";
    let found = problems(text);
    assert_eq!(
        found,
        [r#"mirrors[0].kind: must be wecom, dingtalk or feishu, got "slack""#]
    );
    let text = "[[mirrors]]\nscope = \"G01\"\nkind = \"wecom\"\nurl = \"ftp://x?key=hidden\"";
    let found = problems(text);
    assert_eq!(
        found,
        ["mirrors[0].url: must be a URL starting with https:// or http://"]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = r#"
        timezone = "Mars/Olympus"
        default_lang = "fr"
        reception_days = [1, 32]
        [deadlines]
        review_days = -3
        joint_days = "two months"
        rating_days = 5
        [jobs]
        monthly_report = "monthly"
        [delivery]
        max_attemps = 3
        [[categories]]
        code = "Economy"
        zh = ""
    "#;
    let env = |key: &str| (key == "TELOXIDE_API_URL").then(|| "localhost:8081".to_owned());
    let error = Config::from_toml_str(text, &env).unwrap_err();
    let lines = error.lines(Lang::EnUs);
    let starts: Vec<&str> = (lines.iter())
        .map(|p| p.split(':').next().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "TELOXIDE_API_URL",
            "timezone",
            "default_lang",
            "reception_days[1]",
            "deadlines.review_days",
            "deadlines.joint_days",
            "categories[0].code",
            "categories[0].zh",
            "categories[0].en",
            "jobs.monthly_report",
            "delivery.max_attemps",
        ],
        "{error}"
    );
    assert_eq!(error.to_string().lines().count(), error.problems.len());
}

#[test]
fn the_rating_reminder_falls_inside_the_window() {
    let found = problems("[deadlines]\nrating_days = 7");
    assert_eq!(
        found,
        ["deadlines.rating_reminder_day: must be less than rating_days (7), got 7"]
    );
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let text = "[[mirrors]]\nscope = \"U01\"\nkind = \"dingtalk\"\nurl = \"https://oapi.dingtalk.com/robot/send?access_token=ROBOTKEY\"\nsecret = \"SIGNSECRET\"";
    let env = |key: &str| match key {
        "TELOXIDE_TOKEN" => Some("123456:BOTTOKEN".to_owned()),
        "MINYI_DATABASE_URL" => Some("postgres://minyi:DBPASSWORD@db/minyi".to_owned()),
        _ => None,
    };
    let config = Config::from_toml_str(text, &env).unwrap();
    assert_eq!(
        config.telegram_token.as_ref().unwrap().expose(),
        "123456:BOTTOKEN"
    );
    let shown = format!("{config:?}");
    for secret in ["BOTTOKEN", "ROBOTKEY", "SIGNSECRET", "DBPASSWORD"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
}

/// A secret written in the wrong place, or on a line TOML cannot read, is not quoted back:
/// problems go to logs and terminals others read.
#[test]
fn problems_name_a_misplaced_secret_by_its_type_only() {
    let misplaced = [
        "delivery = \"123456:BOTTOKEN\"",
        "mirrors = \"https://oapi.dingtalk.com/robot/send?access_token=BOTTOKEN\"",
        "reception_days = \"BOTTOKEN\"",
        "reception_days = [\"BOTTOKEN\"]",
        "monthly_quota = \"BOTTOKEN\"",
        "mirrors = [\"BOTTOKEN\"]",
        "[[mirrors]]\nscope = \"U01\"\nkind = \"wecom\"\nurl = [\"BOTTOKEN\"]",
        "token = 123456:BOTTOKEN",
        "token = \"123456:BOTTOKEN",
    ];
    for text in misplaced {
        let found = problems(text);
        assert!(!found.is_empty(), "{text}");
        for line in &found {
            assert!(!line.contains("BOTTOKEN"), "{text}: {line}");
        }
    }
    assert_eq!(
        problems(misplaced[0]),
        ["delivery: must be a table, got a string"]
    );
    let toml = problems(misplaced[7]);
    assert!(
        toml[0].starts_with("not valid TOML: TOML parse error at line 1, column"),
        "{toml:?}"
    );
}

#[test]
fn a_file_named_by_minyi_config_labels_its_problems() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minyi.toml");
    std::fs::write(&path, "monthly_quota = -1\n").unwrap();
    let named = path.to_str().unwrap().to_owned();
    let env = move |key: &str| (key == "MINYI_CONFIG").then(|| named.clone());
    let error = Config::load_with(&env).unwrap_err();
    let expected = format!(
        "{}: monthly_quota: must be a whole number from 0 to 100, got -1",
        path.display()
    );
    assert_eq!(error.lines(Lang::EnUs), [expected]);

    let missing = dir.path().join("nope.toml").to_str().unwrap().to_owned();
    let env = move |key: &str| (key == "MINYI_CONFIG").then(|| missing.clone());
    let error = Config::load_with(&env).unwrap_err();
    assert!(
        error.lines(Lang::EnUs)[0].contains("nope.toml: cannot read the file"),
        "{error}"
    );
}

#[test]
fn secrets_come_from_files_too_and_never_from_both() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "123:FILETOKEN\n").unwrap();
    let robot = dir.path().join("robot");
    std::fs::write(
        &robot,
        "https://oapi.dingtalk.com/robot/send?access_token=FILEKEY\n",
    )
    .unwrap();
    let token_path = token.to_str().unwrap().to_owned();
    let env = move |key: &str| (key == "TELOXIDE_TOKEN_FILE").then(|| token_path.clone());
    let text = format!(
        "[[mirrors]]\nscope = \"G01\"\nkind = \"dingtalk\"\nurl_file = {:?}\n",
        robot.to_str().unwrap()
    );
    let config = Config::from_toml_str(&text, &env).unwrap();
    assert_eq!(config.telegram_token.unwrap().expose(), "123:FILETOKEN");
    assert!(config.mirrors[0].url.expose().ends_with("FILEKEY"));
    assert_eq!(config.mirrors[0].name, "dingtalk-G01", "the default name");

    let both = |key: &str| match key {
        "TELOXIDE_TOKEN" => Some("123:x".to_owned()),
        "TELOXIDE_TOKEN_FILE" => Some("/nowhere".to_owned()),
        _ => None,
    };
    let error = Config::from_toml_str("", &both).unwrap_err();
    assert_eq!(
        error.lines(Lang::EnUs),
        ["TELOXIDE_TOKEN and TELOXIDE_TOKEN_FILE: set one of them, not both"]
    );
    let missing = |key: &str| (key == "MINYI_DATABASE_URL_FILE").then(|| "/nowhere/db".into());
    let error = Config::from_toml_str("", &missing).unwrap_err();
    assert!(
        error.lines(Lang::EnUs)[0]
            .starts_with("MINYI_DATABASE_URL_FILE: cannot read \"/nowhere/db\""),
        "{error}"
    );
}

#[test]
fn the_http_listener_and_mirror_names_are_checked() {
    let config = Config::from_toml_str("[http]\nlisten = \"127.0.0.1:9184\"\n", &no_env).unwrap();
    assert_eq!(config.http_listen, Some("127.0.0.1:9184".parse().unwrap()));
    assert_eq!(Config::default().http_listen, None);
    assert_one_problem_starting("[http]\nlisten = \"localhost\"\n", "http.listen: must be");
    let robot = |name: &str| {
        format!(
            "[[mirrors]]\n{name}scope = \"G01\"\nkind = \"wecom\"\nurl = \"https://qyapi.weixin.qq.com/x\"\n"
        )
    };
    let twice = format!("{}{}", robot(""), robot(""));
    assert_one_problem_starting(&twice, "mirrors: two mirrors are named \"wecom-G01\"");
    let named = format!("{}{}", robot("name = \"a\"\n"), robot("name = \"b\"\n"));
    let config = Config::from_toml_str(&named, &no_env).unwrap();
    let names: Vec<&str> = config.mirrors.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert_one_problem_starting(&robot("name = \"a b\"\n"), "mirrors[0].name: must be");
}

#[test]
fn problems_are_told_in_the_operators_language() {
    let error = Config::from_toml_str("monthly_quota = -1\ncolour = 1\n", &no_env).unwrap_err();
    assert_eq!(
        error.lines(Lang::ZhCn),
        [
            "monthly_quota: 应为 0 到 100 之间的整数，实为 -1",
            "colour: 未知的键（此处可用：timezone, bot_username, default_lang, invite_valid_days, \
             monthly_quota, reception_days, deadlines, categories, jobs, delivery, http, mirrors, wecom, web）"
        ]
    );
    // Every kind of problem has its words in both languages.
    let whys = [
        Why::FileUnreadable { error: "e".into() },
        Why::NotToml { error: "e".into() },
        Why::WholeNumber {
            min: 1,
            max: 2,
            got: "3".into(),
        },
        Why::NotNumberList { kind: "x".into() },
        Why::NotStringList { kind: "x".into() },
        Why::PublicUrl { got: "x".into() },
        Why::NotString {
            kind: "integer".into(),
        },
        Why::NotTable { kind: "x".into() },
        Why::NotTableList {
            key: "k".into(),
            kind: "x".into(),
        },
        Why::Missing,
        Why::UnknownKey { known: "a".into() },
        Why::OneOfThem,
        Why::SecretUnreadable {
            path: "p".into(),
            error: "e".into(),
        },
        Why::SecretEmpty { path: "p".into() },
        Why::NotHttpUrl,
        Why::DatabaseScheme,
        Why::TimeZone { got: "x".into() },
        Why::Lang { got: "x".into() },
        Why::NoCategory,
        Why::CategoryTwice { code: "c".into() },
        Why::ListenAddr { got: "x".into() },
        Why::MirrorKind { got: "x".into() },
        Why::ValueAndFile { key: "url".into() },
        Why::ValueMissing { key: "url".into() },
        Why::AgentId { got: "x".into() },
        Why::CallbackPath { got: "x".into() },
        Why::EncodingAesKey,
        Why::MirrorName { got: "x".into() },
        Why::MirrorNameTwice { name: "n".into() },
        Why::ReminderDay { days: 15, got: 20 },
        Why::CronFields {
            expr: "x".into(),
            fields: 5,
        },
        Why::Cron {
            expr: "x".into(),
            detail: "d".into(),
        },
        Why::Username { got: "x".into() },
        Why::CategoryCode { got: "x".into() },
        Why::Empty,
    ];
    for why in whys {
        for lang in Lang::ALL {
            let line = Problem {
                at: "k".into(),
                why: why.clone(),
            }
            .line(lang);
            assert!(!line.contains("config-") && !line.contains('{'), "{line}");
        }
    }
}

const WECOM: &str = "[wecom]\ncorp_id = \"ww1436e0e65a779aee\"\nagent_id = 1000002\n\
    secret = \"APPSECRET\"\ntoken = \"hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo\"\n\
    encoding_aes_key = \"6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt\"\n";

#[test]
fn a_wecom_app_is_read_with_its_defaults() {
    let config = Config::from_toml_str(WECOM, &no_env).unwrap();
    let wecom = config.wecom.as_ref().unwrap();
    assert_eq!(wecom.corp_id, "ww1436e0e65a779aee");
    assert_eq!(wecom.agent_id, 1000002);
    assert_eq!(wecom.secret.expose(), "APPSECRET");
    assert_eq!(wecom.api_url, "https://qyapi.weixin.qq.com");
    assert_eq!(wecom.callback_path, "/wecom/callback");
    assert_eq!(
        (wecom.per_member_per_minute, wecom.per_member_per_hour),
        (30, 1000)
    );
    let shown = format!("{config:?}");
    for secret in [
        "APPSECRET",
        "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo",
        "6qkdMrq68nTK",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked");
    }
    assert_eq!(Config::default().wecom, None);
}

#[test]
fn a_wecom_app_names_each_fault() {
    assert_eq!(
        problems("[wecom]\napi_url = \"ftp://x\"\n"),
        [
            "wecom.corp_id: is missing",
            "wecom.agent_id: is missing",
            "wecom.secret: is missing (or give secret_file)",
            "wecom.token: is missing (or give token_file)",
            "wecom.encoding_aes_key: is missing (or give encoding_aes_key_file)",
            "wecom.api_url: must be a URL starting with https:// or http://",
        ]
    );
    let text = WECOM
        .replace("agent_id = 1000002", "agent_id = \"1000002\"")
        .replace(
            "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
            "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhU+",
        )
        + "secret_file = \"/nowhere\"\ncallback_path = \"wecom\"\nper_member_per_minute = 60\n";
    let found = problems(&text);
    assert_eq!(found.len(), 5, "{found:#?}");
    assert_eq!(
        found[0],
        "wecom.agent_id: must be the app's AgentId, a positive whole number, got string"
    );
    assert_eq!(
        found[1],
        "wecom.secret: give secret or secret_file, not both"
    );
    assert!(found[2].starts_with("wecom.encoding_aes_key: must be the app's EncodingAESKey"));
    assert!(
        !found[2].contains("6qkd"),
        "the key is not echoed: {}",
        found[2]
    );
    assert!(found[3].starts_with("wecom.callback_path: must be a path"));
    assert!(
        found[4].starts_with("wecom.per_member_per_minute: must be a whole number from 1 to 30")
    );
}

#[test]
fn wecom_secrets_come_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let text = format!(
        "[wecom]\ncorp_id = \"ww1\"\nagent_id = 5\nsecret_file = {:?}\ntoken_file = {:?}\n\
         encoding_aes_key_file = {:?}\n",
        file("secret", "APPSECRET\n"),
        file("token", "TOKEN\n"),
        file("key", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt\n"),
    );
    let wecom = Config::from_toml_str(&text, &no_env)
        .unwrap()
        .wecom
        .unwrap();
    assert_eq!(wecom.secret.expose(), "APPSECRET");
    assert_eq!(wecom.token.expose(), "TOKEN");
    assert_eq!(
        wecom.encoding_aes_key.expose(),
        "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
    );
}

#[test]
fn the_board_is_off_until_its_address_is_set() {
    let config = Config::from_toml_str("", &no_env).unwrap();
    assert_eq!(config.web.public_url, None);
    assert_eq!(config.web.session_hours, 12);
    assert!(config.web.public_wall.is_empty());
    let set =
        "[web]\npublic_url = \"https://minyi.example.org:8443\"\npublic_wall = [\"XA\", \"XB\"]";
    let config = Config::from_toml_str(set, &no_env).unwrap();
    assert_eq!(
        config.web.public_url.as_deref(),
        Some("https://minyi.example.org:8443")
    );
    assert_eq!(config.web.public_wall, ["XA", "XB"]);
}

#[test]
fn a_board_address_with_a_path_or_another_scheme_is_refused() {
    for bad in [
        "https://minyi.example.org/",
        "https://minyi.example.org/board",
        "ftp://minyi.example.org",
        "https://",
        "https://x?y=1",
    ] {
        assert_one_problem_starting(
            &format!("[web]\npublic_url = \"{bad}\""),
            "web.public_url: must be the board's address",
        );
    }
    assert_one_problem_starting(
        "[web]\npublic_wall = \"XA\"",
        "web.public_wall: must be a list of strings",
    );
    assert_one_problem_starting("[web]\npublic_wall = [\"\"]", "web.public_wall[0]:");
    assert_one_problem_starting("[web]\nsession_hours = 0", "web.session_hours:");
}
