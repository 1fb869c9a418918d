//! The configuration (PRODUCT.md §5, §7): a TOML file (`MINYI_CONFIG`, else `./minyi.toml` if
//! present, else all defaults) plus the environment, validated once at start. Everything
//! downstream takes the typed values and never re-checks them.
//!
//! The file is walked by hand as a `toml::Table` rather than through `serde` derive, because
//! serde stops at the first unknown key, wrong type or negative number, and its messages do not
//! name the full key. Here every problem is collected, each naming its key (`deadlines.review_days:
//! must be a whole number from 1 to 365, got -3`), so an operator fixes the file in one pass.
//! `minyi.example.toml` shows every key with its default; a test keeps the two equal.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono_tz::Tz;
use cron::Schedule;
use toml::Table;

use crate::domain::Rules;
pub use problem::{Problem, Why};
use reader::Reader;

mod problem;
mod reader;

/// Looks up an environment variable; tests pass a closure instead of touching the process.
pub type Env<'e> = &'e dyn Fn(&str) -> Option<String>;

/// A value that must never be logged or printed: the bot token, webhook URLs (their query holds
/// the robot's key), the database URL (it may hold a password). `Debug` prints `***`, and there
/// is deliberately no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

pub use crate::i18n::Lang;

/// 分类: a category of suggestion, named in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// Lower-case ASCII, so it fits commands and button data.
    pub code: String,
    pub zh: String,
    pub en: String,
}

const DEFAULT_CATEGORIES: [(&str, &str, &str); 6] = [
    ("economy", "经济发展", "Economic development"),
    ("governance", "社会治理", "Social governance"),
    ("public_affairs", "公共事务", "Public affairs"),
    ("environment", "环境资源", "Environment and resources"),
    ("livelihood", "民生保障", "Livelihood and welfare"),
    ("other", "其他", "Other"),
];

/// When each scheduled job fires (cron with a seconds field, in the configured time zone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jobs {
    pub daily_report: Schedule,
    pub deadline_reminders: Schedule,
    pub quota_reminders: Schedule,
    /// "The day before each reception day, 18:00" is not one cron expression, so this fires
    /// every evening and the job sends only when tomorrow is one of `reception_days`.
    pub reception_reminders: Schedule,
    pub monthly_report: Schedule,
    /// Removes sent outbox rows older than `delivery.retention_days`.
    pub outbox_retention: Schedule,
}

impl Jobs {
    /// Every job by its name, for `minyi jobs list` and the scheduler loop.
    pub fn all(&self) -> [(&'static str, &Schedule); 6] {
        [
            ("daily_report", &self.daily_report),
            ("deadline_reminders", &self.deadline_reminders),
            ("quota_reminders", &self.quota_reminders),
            ("reception_reminders", &self.reception_reminders),
            ("monthly_report", &self.monthly_report),
            ("outbox_retention", &self.outbox_retention),
        ]
    }
}

/// The outbox worker's limits; the rates are Telegram's (PRODUCT.md §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Attempts before a message moves to dead letters.
    pub max_attempts: u32,
    /// How long a claimed outbox row stays with one worker before another may take it.
    pub lease_seconds: u32,
    pub global_per_second: u32,
    pub per_chat_per_second: u32,
    pub per_group_per_minute: u32,
    /// Sent outbox rows older than this many days are removed (events, suggestions and dead
    /// letters are kept).
    pub retention_days: u32,
}

pub use crate::storage::MirrorKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    /// How outbox rows name this robot: its own `name`, else `<kind>-<scope>`. Unique, so
    /// reordering `[[mirrors]]` does not send a queued message to another robot.
    pub name: String,
    /// A group, org or unit code; checked against the roster when pushes are routed, since the
    /// roster lives in the database, not here.
    pub scope: String,
    pub kind: MirrorKind,
    pub url: Secret,
    /// The signing secret (DingTalk, Feishu), if the robot has one.
    pub secret: Option<Secret>,
}

/// `[web]`: the board and the public wall (回音壁), served on the `[http]` listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Web {
    /// The address people open the board at, without a trailing slash (`https://…`; a Mini
    /// App must be https). `None`: `/web` answers that the board is not set up.
    pub public_url: Option<String>,
    /// How long a sign-in lasts.
    pub session_hours: u32,
    /// The orgs (by code) whose closed suggestions the public wall shows.
    pub public_wall: Vec<String>,
}

impl Web {
    /// Where the board opens as a Telegram Mini App: only over https, as Telegram requires,
    /// so a plain-http board (a test, the demo) has none.
    pub fn mini_app(&self) -> Option<String> {
        self.public_url
            .as_deref()
            .filter(|url| url.starts_with("https://"))
            .map(|url| format!("{url}/web/app"))
    }

    /// Whether the board is served over plain http (a test, the demo), where a browser does
    /// not keep a `Secure` cookie.
    pub fn plain_http(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("http://"))
    }
}

/// `[wecom]`: a WeCom (企业微信 / 政务微信) self-built app that people use minyi from. Its
/// callback settings are the ones entered in the admin console (应用 → 接收消息 → 设置API接收).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeCom {
    /// The corporation's CorpID (`ww…`): the receive id every callback message carries.
    pub corp_id: String,
    pub agent_id: i64,
    /// The app's Secret, for `gettoken`.
    pub secret: Secret,
    /// The callback's Token, for its signatures.
    pub token: Secret,
    /// The callback's EncodingAESKey (43 letters and digits).
    pub encoding_aes_key: Secret,
    /// `https://qyapi.weixin.qq.com` unless a test double or a proxy is configured.
    pub api_url: String,
    /// The path of the callback on minyi's HTTP server.
    pub callback_path: String,
    /// WeCom drops what a member receives beyond 30 messages a minute and 1,000 an hour, so
    /// the pacer stays at or under these.
    pub per_member_per_minute: u32,
    pub per_member_per_hour: u32,
}

/// Everything minyi is configured with, valid by construction: build it with [`Config::load`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `TELOXIDE_TOKEN`: absent for commands that never talk to Telegram (import, report).
    pub telegram_token: Option<Secret>,
    /// `TELOXIDE_API_URL`: a self-hosted Bot API server or a test double.
    pub telegram_api_url: Option<String>,
    /// `MINYI_DATABASE_URL`: `sqlite:…` or `postgres://…`.
    pub database_url: Secret,
    /// `timezone` and `[deadlines]`.
    rules: Rules,
    pub bot_username: String,
    pub default_lang: Lang,
    /// How long a `minyi invite` link works.
    pub invite_valid_days: u32,
    /// Suggestions a deputy is expected to file each month; 0 turns the reminder off.
    pub monthly_quota: u32,
    /// 接待日: days of the month, sorted, without repeats.
    pub reception_days: Vec<u32>,
    pub categories: Vec<Category>,
    pub jobs: Jobs,
    pub delivery: Delivery,
    pub mirrors: Vec<Mirror>,
    /// `[http] listen`: where `minyi run` serves /healthz, /readyz, /metrics and the webhook;
    /// none unless configured (or given with `--http`).
    pub http_listen: Option<std::net::SocketAddr>,
    /// `[wecom]`: none unless configured.
    pub wecom: Option<WeCom>,
    pub web: Web,
}

/// Every problem found, each naming its key (or file, or environment variable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub problems: Vec<Problem>,
}

impl ConfigError {
    fn one(at: String, why: Why) -> ConfigError {
        ConfigError {
            problems: vec![Problem { at, why }],
        }
    }

    /// The problems, one line each, in `lang`.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        self.problems.iter().map(|p| p.line(lang)).collect()
    }
}

/// In English, for logs; an operator is shown [`ConfigError::lines`] in their language.
impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines(Lang::EnUs).join("\n"))
    }
}

impl std::error::Error for ConfigError {}

impl Default for Config {
    fn default() -> Self {
        Self::from_toml_str("", &|_| None).expect("the defaults are valid")
    }
}

impl Config {
    /// Reads the process environment and the configuration file.
    pub fn load() -> Result<Self, ConfigError> {
        Self::load_with(&|key| std::env::var(key).ok())
    }

    /// The file the configuration comes from: the one `MINYI_CONFIG` names, else
    /// `./minyi.toml` if present, else none (all defaults).
    fn file(env: Env<'_>) -> Option<PathBuf> {
        match env("MINYI_CONFIG").filter(|p| !p.is_empty()) {
            Some(named) => Some(PathBuf::from(named)),
            None if Path::new("minyi.toml").exists() => Some(PathBuf::from("minyi.toml")),
            None => None,
        }
    }

    /// The language the operator asked for (`default_lang`), read on its own from a file
    /// that may not load as a whole, so its problems can be told in that language.
    pub fn intended_lang() -> Lang {
        let env = |key: &str| std::env::var(key).ok();
        Self::file(&env)
            .and_then(|file| std::fs::read_to_string(file).ok())
            .and_then(|text| text.parse::<Table>().ok())
            .and_then(|table| table.get("default_lang")?.as_str().and_then(Lang::parse))
            .unwrap_or_default()
    }

    /// As [`Config::load`], with the environment given.
    pub fn load_with(env: Env<'_>) -> Result<Self, ConfigError> {
        // Only a file that MINYI_CONFIG names must exist; ./minyi.toml is optional.
        let Some(file) = Self::file(env) else {
            return Self::parse("", "", env);
        };
        let label = format!("{}: ", file.display());
        match std::fs::read_to_string(&file) {
            Ok(text) => Self::parse(&text, &label, env),
            Err(e) => Err(ConfigError::one(
                file.display().to_string(),
                Why::FileUnreadable {
                    error: e.to_string(),
                },
            )),
        }
    }

    /// The configuration from TOML text and an environment; problems name bare keys.
    pub fn from_toml_str(text: &str, env: Env<'_>) -> Result<Self, ConfigError> {
        Self::parse(text, "", env)
    }

    /// `label` ("minyi.toml: ") starts every problem found in the text.
    fn parse(text: &str, label: &str, env: Env<'_>) -> Result<Self, ConfigError> {
        let table: Table = text.parse().map_err(|e: toml::de::Error| {
            // Where and why, without the quoted line: it may hold a secret written wrongly.
            let full = e.to_string();
            let place = full.lines().next().unwrap_or_default();
            let error = format!("{place}: {}", e.message().trim());
            ConfigError::one(
                label.trim_end_matches(": ").to_owned(),
                Why::NotToml { error },
            )
        })?;
        let mut problems = Vec::new();
        let (telegram_token, telegram_api_url, database_url) = read_env(env, &mut problems);
        let mut file = Reader::new(label.to_owned(), Some(&table));
        let config = read_file(&mut file, telegram_token, telegram_api_url, database_url);
        problems.extend(file.finish());
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError { problems })
        }
    }

    /// The time limits and the time zone, for the domain.
    pub fn rules(&self) -> Rules {
        self.rules.clone()
    }

    pub fn timezone(&self) -> Tz {
        self.rules.tz
    }

    /// What the loop's transactions need: rules, categories, the default language.
    pub fn loop_policy(&self) -> crate::storage::LoopPolicy {
        crate::storage::LoopPolicy {
            rules: self.rules(),
            categories: self.category_codes(),
            default_lang: self.default_lang,
            mirrors: self
                .mirrors
                .iter()
                .map(|m| crate::storage::MirrorRoute {
                    name: m.name.clone(),
                    scope: m.scope.clone(),
                    kind: m.kind,
                })
                .collect(),
            wecom: self.wecom.is_some(),
        }
    }

    pub fn category_codes(&self) -> Vec<String> {
        self.categories.iter().map(|c| c.code.clone()).collect()
    }

    /// A category's name in `lang`; an unknown code (say, from a since-removed category) is
    /// shown as itself.
    pub fn category_name<'a>(&'a self, code: &'a str, lang: Lang) -> &'a str {
        match self.categories.iter().find(|c| c.code == code) {
            Some(c) if lang == Lang::ZhCn => &c.zh,
            Some(c) => &c.en,
            None => code,
        }
    }
}

fn read_env(env: Env<'_>, problems: &mut Vec<Problem>) -> (Option<Secret>, Option<String>, Secret) {
    // An empty variable is how shells and compose files often say "unset".
    let var = |key: &str| env(key).filter(|v| !v.trim().is_empty());
    // A secret may also come from a file (`…_FILE`: systemd credentials, Docker secrets).
    let mut secret = |key: &str| {
        let file_key = format!("{key}_FILE");
        match (var(key), var(&file_key)) {
            (Some(_), Some(_)) => {
                let at = format!("{key} and {file_key}");
                problems.push(Problem {
                    at,
                    why: Why::OneOfThem,
                });
                None
            }
            (Some(value), None) => Some(value),
            (None, Some(path)) => match read_secret_file(&path) {
                Ok(value) => Some(value),
                Err(why) => {
                    problems.push(Problem { at: file_key, why });
                    None
                }
            },
            (None, None) => None,
        }
    };
    let token = secret("TELOXIDE_TOKEN").map(Secret::new);
    let database_url = secret("MINYI_DATABASE_URL");
    let api_url = var("TELOXIDE_API_URL");
    if let Some(Err(why)) = api_url.as_deref().map(http_url) {
        let at = "TELOXIDE_API_URL".to_owned();
        problems.push(Problem { at, why });
    }
    let database_url = database_url.unwrap_or_else(|| "sqlite://minyi.db".into());
    if !["sqlite:", "postgres://", "postgresql://"]
        .iter()
        .any(|scheme| database_url.starts_with(scheme))
    {
        // The URL itself is not echoed: it may hold a password.
        let at = "MINYI_DATABASE_URL".to_owned();
        problems.push(Problem {
            at,
            why: Why::DatabaseScheme,
        });
    }
    (token, api_url, Secret::new(database_url))
}

fn read_file(
    r: &mut Reader<'_>,
    telegram_token: Option<Secret>,
    telegram_api_url: Option<String>,
    database_url: Secret,
) -> Config {
    let tz = r.parse("timezone", "Asia/Shanghai", |s| {
        s.parse::<Tz>()
            .map_err(|_| Why::TimeZone { got: s.to_owned() })
    });
    let bot_username = r.parse("bot_username", "minyi_bot", bot_username);
    let default_lang = r.parse("default_lang", "zh-CN", |s| {
        Lang::parse(s).ok_or_else(|| Why::Lang { got: s.to_owned() })
    });
    let invite_valid_days = r.int("invite_valid_days", 14, 1..=365);
    let monthly_quota = r.int("monthly_quota", 1, 0..=100);
    let mut reception_days = r.int_list("reception_days", &[1, 20], 1..=31);
    reception_days.sort_unstable();
    reception_days.dedup();
    let rules = r.section("deadlines", |d| read_deadlines(d, tz));
    // An empty list is a problem only if it was written empty, not emptied by bad entries.
    let problems_before = r.problems.len();
    let categories = r.list("categories", |c| {
        let (code, zh, en) = (
            c.required("code", category_code),
            c.required("zh", not_empty),
            c.required("en", not_empty),
        );
        Some(Category {
            code: code?,
            zh: zh?,
            en: en?,
        })
    });
    let categories = categories.unwrap_or_else(|| {
        let own = |s: &str| s.to_owned();
        (DEFAULT_CATEGORIES.iter())
            .map(|(code, zh, en)| Category {
                code: own(code),
                zh: own(zh),
                en: own(en),
            })
            .collect()
    });
    if categories.is_empty() && r.problems.len() == problems_before {
        r.problem("categories", Why::NoCategory);
    }
    for (i, c) in categories.iter().enumerate() {
        if categories[..i].iter().any(|earlier| earlier.code == c.code) {
            let code = c.code.clone();
            r.problem("categories", Why::CategoryTwice { code });
        }
    }
    let jobs = r.section("jobs", |j| {
        let mut cron = |key, default| j.parse(key, default, cron_schedule);
        Jobs {
            daily_report: cron("daily_report", "0 0 8 * * *"),
            deadline_reminders: cron("deadline_reminders", "0 0 9 * * *"),
            quota_reminders: cron("quota_reminders", "0 0 9 25 * *"),
            reception_reminders: cron("reception_reminders", "0 0 18 * * *"),
            monthly_report: cron("monthly_report", "0 0 9 1 * *"),
            outbox_retention: cron("outbox_retention", "0 30 3 * * *"),
        }
    });
    let delivery = r.section("delivery", |d| Delivery {
        max_attempts: d.int("max_attempts", 20, 1..=100),
        lease_seconds: d.int("lease_seconds", 60, 5..=3600),
        global_per_second: d.int("global_per_second", 30, 1..=1000),
        per_chat_per_second: d.int("per_chat_per_second", 1, 1..=100),
        per_group_per_minute: d.int("per_group_per_minute", 20, 1..=1000),
        retention_days: d.int("retention_days", 90, 1..=3650),
    });
    let http_listen = r.section("http", |h| match h.text("listen").map(listen_addr) {
        Some(Ok(addr)) => Some(addr),
        Some(Err(why)) => {
            h.problem("listen", why);
            None
        }
        None => None,
    });
    let mirrors = r.list("mirrors", |m| {
        let scope = m.required("scope", not_empty);
        let kind = m.required("kind", |s| {
            MirrorKind::parse(s).ok_or_else(|| Why::MirrorKind { got: s.to_owned() })
        });
        let url = match given(m, "url", "url_file", http_url) {
            Given::Absent => {
                m.problem("url", Why::ValueMissing { key: "url".into() });
                None
            }
            Given::Refused => None,
            Given::Value(url) => Some(url),
        };
        let secret = match given(m, "secret", "secret_file", |s| Ok(s.to_owned())) {
            Given::Value(secret) => Some(secret),
            Given::Absent | Given::Refused => None,
        };
        let name = m.text("name").map(mirror_name);
        let name = match (name, &scope, kind) {
            (Some(Ok(name)), _, _) => Some(name),
            (Some(Err(why)), _, _) => {
                m.problem("name", why);
                None
            }
            (None, Some(scope), Some(kind)) => Some(format!("{}-{scope}", kind.as_str())),
            (None, _, _) => None,
        };
        Some(Mirror {
            name: name?,
            scope: scope?,
            kind: kind?,
            url: Secret::new(url?),
            secret: secret.map(Secret::new),
        })
    });
    let mirrors = mirrors.unwrap_or_default();
    for (i, m) in mirrors.iter().enumerate() {
        if mirrors[..i].iter().any(|earlier| earlier.name == m.name) {
            let name = m.name.clone();
            r.problem("mirrors", Why::MirrorNameTwice { name });
        }
    }
    let wecom = r.optional_section("wecom", read_wecom);
    let web = r.section("web", |w| Web {
        public_url: w.text("public_url").and_then(|s| match public_url(s) {
            Ok(url) => Some(url),
            Err(why) => {
                w.problem("public_url", why);
                None
            }
        }),
        session_hours: w.int("session_hours", 12, 1..=720),
        public_wall: w.text_list("public_wall", not_empty),
    });
    Config {
        telegram_token,
        telegram_api_url,
        database_url,
        rules,
        bot_username,
        default_lang,
        invite_valid_days,
        monthly_quota,
        reception_days,
        categories,
        jobs,
        delivery,
        mirrors,
        http_listen,
        wecom,
        web,
    }
}

/// `[wecom]`, all of whose keys but the last four are required.
fn read_wecom(w: &mut Reader<'_>) -> Option<WeCom> {
    let corp_id = w.required("corp_id", not_empty);
    let agent_id = w.required_int("agent_id", 1..=i64::from(i32::MAX), |got| Why::AgentId {
        got,
    });
    let secret =
        |w: &mut Reader<'_>, key, file_key, check: fn(&str) -> Result<String, Why>| match given(
            w, key, file_key, check,
        ) {
            Given::Value(value) => Some(Secret::new(value)),
            Given::Absent => {
                w.problem(key, Why::ValueMissing { key: key.into() });
                None
            }
            Given::Refused => None,
        };
    let app_secret = secret(w, "secret", "secret_file", not_empty);
    let token = secret(w, "token", "token_file", not_empty);
    let encoding_aes_key = secret(
        w,
        "encoding_aes_key",
        "encoding_aes_key_file",
        encoding_aes_key,
    );
    let api_url = w.parse("api_url", "https://qyapi.weixin.qq.com", |s| {
        http_url(s).map(|url| url.trim_end_matches('/').to_owned())
    });
    let callback_path = w.parse("callback_path", "/wecom/callback", callback_path);
    let per_member_per_minute = w.int("per_member_per_minute", 30, 1..=30);
    let per_member_per_hour = w.int("per_member_per_hour", 1000, 1..=1000);
    Some(WeCom {
        corp_id: corp_id?,
        agent_id: agent_id?,
        secret: app_secret?,
        token: token?,
        encoding_aes_key: encoding_aes_key?,
        api_url,
        callback_path,
        per_member_per_minute,
        per_member_per_hour,
    })
}

fn encoding_aes_key(s: &str) -> Result<String, Why> {
    crate::wecom::crypto::is_encoding_aes_key(s)
        .then(|| s.to_owned())
        .ok_or(Why::EncodingAesKey)
}

/// A path on minyi's HTTP server: `/` and then letters, digits, `-`, `_` and `/`.
fn callback_path(s: &str) -> Result<String, Why> {
    let valid = s.len() > 1
        && s.starts_with('/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_'));
    valid
        .then(|| s.to_owned())
        .ok_or_else(|| Why::CallbackPath { got: s.to_owned() })
}

/// `[deadlines]`, defaults from [`Rules::default`] so the seeds' numbers live in one place.
fn read_deadlines(d: &mut Reader<'_>, tz: Tz) -> Rules {
    let def = Rules::default();
    // A step with no days at all would be overdue the moment it starts.
    let days = 1..=365;
    let rules = Rules {
        tz,
        yellow_days: d.int("yellow_days", def.yellow_days, 0..=365),
        review_days: d.int("review_days", def.review_days, days.clone()),
        assign_town_days: d.int("assign_town_days", def.assign_town_days, days.clone()),
        assign_district_days: d.int(
            "assign_district_days",
            def.assign_district_days,
            days.clone(),
        ),
        transfer_days: d.int("transfer_days", def.transfer_days, days.clone()),
        single_unit_days: d.int("single_unit_days", def.single_unit_days, days.clone()),
        joint_days: d.int("joint_days", def.joint_days, days.clone()),
        key_supervision_days: d.int(
            "key_supervision_days",
            def.key_supervision_days,
            days.clone(),
        ),
        rating_days: d.int("rating_days", def.rating_days, days.clone()),
        rating_reminder_day: d.int("rating_reminder_day", def.rating_reminder_day, days.clone()),
        explanation_days: d.int("explanation_days", def.explanation_days, days),
    };
    // Compared only when both numbers were read cleanly, so one typo gives one message.
    if d.problems.is_empty() && rules.rating_reminder_day >= rules.rating_days {
        let why = Why::ReminderDay {
            days: rules.rating_days,
            got: rules.rating_reminder_day,
        };
        d.problem("rating_reminder_day", why);
    }
    rules
}

/// A value given in the file itself (`key`) or in a file it names (`file_key`), for systemd
/// credentials and Docker secrets.
enum Given {
    Absent,
    /// Given, and refused: the problem is recorded.
    Refused,
    Value(String),
}

/// Reads `key` or `file_key` (never both), checked by `check`; a problem names the key.
fn given(
    r: &mut Reader<'_>,
    key: &'static str,
    file_key: &'static str,
    check: impl Fn(&str) -> Result<String, Why>,
) -> Given {
    let result = match (r.text(key), r.text(file_key)) {
        (None, None) => return Given::Absent,
        (Some(_), Some(_)) => {
            let why = Why::ValueAndFile { key: key.into() };
            r.problem(key, why);
            return Given::Refused;
        }
        (Some(value), None) => check(value).map_err(|why| (key, why)),
        (None, Some(path)) => read_secret_file(path)
            .and_then(|value| check(&value))
            .map_err(|why| (file_key, why)),
    };
    match result {
        Ok(value) => Given::Value(value),
        Err((at, why)) => {
            r.problem(at, why);
            Given::Refused
        }
    }
}

/// A secret kept in a file: its text without the line break editors add. Neither the text
/// nor an error about it is echoed beyond the path.
fn read_secret_file(path: &str) -> Result<String, Why> {
    let text = std::fs::read_to_string(path).map_err(|e| Why::SecretUnreadable {
        path: path.to_owned(),
        error: e.to_string(),
    })?;
    let text = text.trim_end_matches(['\r', '\n']).to_owned();
    if text.trim().is_empty() {
        return Err(Why::SecretEmpty {
            path: path.to_owned(),
        });
    }
    Ok(text)
}

/// The board's address as people open it: a scheme and a host (with a port), nothing after.
fn public_url(s: &str) -> Result<String, Why> {
    let host = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => Ok(s.to_owned()),
        _ => Err(Why::PublicUrl { got: s.to_owned() }),
    }
}

fn listen_addr(s: &str) -> Result<std::net::SocketAddr, Why> {
    s.parse().map_err(|_| Why::ListenAddr { got: s.to_owned() })
}

/// A mirror's name: what outbox rows call it.
fn mirror_name(s: &str) -> Result<String, Why> {
    let valid = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid
        .then(|| s.to_owned())
        .ok_or_else(|| Why::MirrorName { got: s.to_owned() })
}

fn cron_schedule(s: &str) -> Result<Schedule, Why> {
    let fields = s.split_whitespace().count();
    let expr = s.to_owned();
    // cron says nothing useful about a five-field (seconds-less) expression, the likeliest slip.
    if !s.starts_with('@') && !(6..=7).contains(&fields) {
        return Err(Why::CronFields { expr, fields });
    }
    match Schedule::from_str(s) {
        Ok(schedule) => Ok(schedule),
        // cron repeats the expression with a caret under the fault; keep the words after it.
        Err(e) => {
            let text = e.to_string();
            let mut words = text
                .lines()
                .skip_while(|l| !l.trim().starts_with('^'))
                .skip(1);
            let detail = words.next().map_or("cannot be parsed".to_owned(), |first| {
                words.fold(first.to_owned(), |all, line| all + " " + line)
            });
            Err(Why::Cron { expr, detail })
        }
    }
}

fn bot_username(s: &str) -> Result<String, Why> {
    let valid =
        (5..=32).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid
        .then(|| s.to_owned())
        .ok_or_else(|| Why::Username { got: s.to_owned() })
}

fn category_code(s: &str) -> Result<String, Why> {
    let valid = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    valid
        .then(|| s.to_owned())
        .ok_or_else(|| Why::CategoryCode { got: s.to_owned() })
}

fn not_empty(s: &str) -> Result<String, Why> {
    (!s.trim().is_empty())
        .then(|| s.to_owned())
        .ok_or(Why::Empty)
}

/// The URL is not echoed back: a webhook URL carries its robot's key.
fn http_url(s: &str) -> Result<String, Why> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() => Ok(s.to_owned()),
        _ => Err(Why::NotHttpUrl),
    }
}

#[cfg(test)]
mod tests;
