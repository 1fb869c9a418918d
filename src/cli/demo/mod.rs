//! `minyi demo`: the whole loop, offline. Starts the Bot API sandbox on loopback, a fresh
//! SQLite database (or the one `--db` names), imports the sample roster of `examples/`, runs
//! the bot and the delivery worker ([`Service`]) against them and plays every person's part
//! ([`script`]), printing a transcript ([`stage`]) and a summary.

mod script;
mod stage;
mod web;
mod wecom;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use teloxide::prelude::Requester;
use tokio_util::sync::CancellationToken;

use crate::clock::SystemClock;
use crate::config::Config;
use crate::domain::{Outcome, Rating, ResidentNo, State, SuggestionNo};
use crate::i18n::{self, Lang};
use crate::roster::{self, RosterKind};
use crate::sandbox::wecom::{WeComOptions, WeComSandbox};
use crate::sandbox::{Sandbox, SandboxOptions};
use crate::service::Service;
use crate::storage;

use script::{Cast, GROUP_CHAT, UNIT_CHAT};
use stage::Stage;
use wecom::WeComSide;

/// The sample roster, built into the binary so the demo runs from any directory.
const ROSTER: [(RosterKind, &[u8]); 4] = [
    (
        RosterKind::Orgs,
        include_bytes!("../../../examples/orgs.csv"),
    ),
    (
        RosterKind::Groups,
        include_bytes!("../../../examples/groups.csv"),
    ),
    (
        RosterKind::Units,
        include_bytes!("../../../examples/units.csv"),
    ),
    (
        RosterKind::People,
        include_bytes!("../../../examples/people.csv"),
    ),
];

#[derive(Debug, Clone)]
pub struct Options {
    /// The people's language and the transcript's.
    pub lang: Lang,
    /// A database URL instead of a fresh SQLite file (best an empty one).
    pub db: Option<String>,
    /// Keep the fresh SQLite file and say where it is.
    pub keep: bool,
    /// The town's clerk and the unit's contact work in WeCom (through the WeCom sandbox);
    /// everybody else in Telegram.
    pub wecom: bool,
    /// After the loop, keep the board up where this listens until `until` is cancelled.
    pub web: Option<WebDemo>,
}

/// `--web`: where the board listens, and what ends the demo (Ctrl-C in the CLI).
#[derive(Debug, Clone)]
pub struct WebDemo {
    pub listen: std::net::SocketAddr,
    pub until: CancellationToken,
}

/// How a suggestion ended.
#[derive(Debug, Clone)]
pub struct Final {
    pub no: SuggestionNo,
    pub title: String,
    pub state: State,
    pub outcome: Option<Outcome>,
    pub rating: Option<Rating>,
    pub supervised: bool,
}

#[derive(Debug, Clone)]
pub struct Summary {
    /// The deputy's own suggestion, then the one adopted from the resident's request.
    pub suggestions: Vec<Final>,
    pub request: ResidentNo,
    /// The resident's "no" to "was it solved?" was recorded and told to the deputy.
    pub unsolved_told: bool,
    /// Messages the bot sent, per chat as the transcript names it.
    pub messages: BTreeMap<String, usize>,
    pub dead_letters: i64,
    pub elapsed: Duration,
    /// The SQLite file, when kept.
    pub kept: Option<PathBuf>,
}

/// Plays the demo, writing the transcript and the summary to `out`.
pub async fn play(options: &Options, out: &mut (dyn Write + Send)) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let lang = options.lang;
    let (url, dir) = match &options.db {
        Some(url) => (url.clone(), None),
        None => {
            let dir =
                std::env::temp_dir().join(format!("minyi-demo-{:016x}", rand::random::<u64>()));
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            (
                format!("sqlite://{}", dir.join("minyi.db").display()),
                Some(dir),
            )
        }
    };
    let result = play_on(options, &url, started, out).await;
    match (&dir, options.keep) {
        (Some(dir), false) => {
            let _ = std::fs::remove_dir_all(dir);
        }
        (Some(dir), true) => {
            let path = dir.join("minyi.db");
            let _ = writeln!(
                out,
                "{}",
                i18n::plain(
                    lang,
                    "cli-demo-kept",
                    &[("path", path.display().to_string())]
                )
            );
        }
        (None, _) => {}
    }
    let mut summary = result?;
    summary.kept = dir.filter(|_| options.keep).map(|d| d.join("minyi.db"));
    Ok(summary)
}

async fn play_on(
    options: &Options,
    url: &str,
    started: Instant,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<Summary> {
    let lang = options.lang;
    let _ = writeln!(out, "{}", i18n::plain(lang, "cli-demo-title", &[]));
    let shown_url = if url.starts_with("sqlite:") {
        url
    } else {
        "postgres://…"
    };
    let _ = writeln!(
        out,
        "{}",
        i18n::plain(lang, "cli-demo-database", &[("url", shown_url.to_string())])
    );
    let repo = storage::connect(url)
        .await
        .context("cannot open the demo's database")?;
    repo.migrate()
        .await
        .context("cannot migrate the demo's database")?;
    for (kind, bytes) in ROSTER {
        let bytes = match kind {
            RosterKind::People if options.wecom => with_wecom_userids(bytes),
            _ => bytes.to_vec(),
        };
        repo.import_roster(&roster::parse(kind, &bytes), None)
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "the sample roster ({}) does not import: {e:?}",
                    kind.as_str()
                )
            })?;
    }
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let bot = sandbox.bot();
    let me = bot
        .get_me()
        .await
        .context("the sandbox does not answer getMe")?;
    let mut config = demo_config(lang);
    // One HTTP listener serves the board and WeCom's callback, whichever is wanted.
    let listener = match (&options.web, options.wecom) {
        (Some(web), _) => Some(tokio::net::TcpListener::bind(web.listen).await?),
        (None, true) => Some(tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?),
        (None, false) => None,
    };
    let base = match &listener {
        Some(listener) => format!("http://{}", listener.local_addr()?),
        None => String::new(),
    };
    if options.web.is_some() {
        config.web.public_url = Some(base.clone());
        config.web.public_wall = vec![web::WALL_ORG.to_owned()];
    }
    let policy = config.loop_policy();
    let wecom = if options.wecom {
        let members = script::WECOM_PEOPLE.map(|(_, userid)| userid.to_owned());
        let sandbox = WeComSandbox::start(WeComOptions {
            members: members.to_vec(),
            ..WeComOptions::default()
        })
        .await?;
        config.wecom = Some(sandbox.config());
        let callback = format!("{base}/wecom/callback");
        Some(WeComSide::new(sandbox, callback))
    } else {
        None
    };
    let service = Service {
        repo: Arc::clone(&repo),
        bot,
        config: Arc::new(config),
        username: me.username().to_string(),
        clock: Arc::new(SystemClock),
        scheduler: false,
        http: listener,
        webhook: None,
        metrics: crate::metrics::Metrics::off(),
    };
    let stop = CancellationToken::new();
    let running = tokio::spawn(service.run(stop.clone()));

    let cast = Cast::new(lang, options.wecom);
    let code = |code: &str| i18n::plain(lang, "cli-demo-group", &[("code", code.to_string())]);
    let mut stage = Stage::new(sandbox, Arc::clone(&repo), lang, out);
    stage.wecom = wecom;
    stage.name_chat(GROUP_CHAT, code("G01"));
    stage.name_chat(UNIT_CHAT, code("U-ROADS"));
    for person in cast.people().into_iter().chain([&cast.resident]) {
        if let Some(userid) = &person.wecom {
            stage.name_member(userid, person.label.clone());
        }
        stage.name_chat(person.id, person.label.clone());
        stage.sandbox.set_user_lang(person.id, lang.as_str());
    }
    let played = script::play(&mut stage, &cast).await;
    let summary = match played {
        Ok(played) => summarize(&mut stage, &repo, played, started).await,
        Err(e) => Err(e),
    };
    let opened = match (&summary, &options.web) {
        (Ok(_), Some(web)) => match web::open(&mut stage, &cast, &policy, &base).await {
            Ok(()) => {
                web.until.cancelled().await;
                Ok(())
            }
            Err(e) => Err(e),
        },
        _ => Ok(()),
    };
    stop.cancel();
    if let Err(e) = running.await {
        tracing::error!(error = %e, "the demo's service ended abnormally");
    }
    stage.sandbox.shutdown().await;
    if let Some(side) = stage.wecom.take() {
        side.sandbox.shutdown().await;
    }
    opened?;
    summary
}

/// How the loop ended, printed and returned.
async fn summarize(
    stage: &mut Stage<'_>,
    repo: &Arc<dyn storage::Repository>,
    played: script::Played,
    started: Instant,
) -> anyhow::Result<Summary> {
    let lang = stage.lang;

    let mut suggestions = Vec::new();
    for no in [played.first, played.adopted] {
        let s = repo
            .suggestion(no)
            .await?
            .with_context(|| format!("{no} is missing"))?;
        suggestions.push(Final {
            no,
            title: s.title,
            state: s.state,
            outcome: s.outcome,
            rating: s.rating,
            supervised: s.supervised,
        });
    }
    let rows = repo.outbox_after(0, 100_000).await?;
    let unsolved_told = rows.iter().any(|r| r.key == "notice-resident-unsolved");
    let mut messages = BTreeMap::new();
    for d in stage.sandbox.delivered() {
        *messages.entry(stage.chat_name(d.chat_id)).or_insert(0) += 1;
    }
    if let Some(side) = &stage.wecom {
        let wecom = i18n::plain(lang, "cli-demo-wecom", &[]);
        for d in side.sandbox.all_delivered() {
            let name = format!("{} ({wecom})", stage.chat_name_of_member(&d.userid));
            *messages.entry(name).or_insert(0) += 1;
        }
    }
    let status = repo.outbox_status().await?;
    let dead_letters = status
        .iter()
        .filter(|(s, _)| s == "dead")
        .map(|(_, n)| n)
        .sum();
    let summary = Summary {
        suggestions,
        request: played.request,
        unsolved_told,
        messages,
        dead_letters,
        elapsed: started.elapsed(),
        kept: None,
    };
    print_summary(stage, &summary, played.adopted);
    Ok(summary)
}

/// The sample roster's people with the WeCom userids of [`script::WECOM_PEOPLE`].
fn with_wecom_userids(csv: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(csv);
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split(',').next().unwrap_or_default();
        let userid = script::WECOM_PEOPLE
            .iter()
            .find(|(c, _)| *c == code)
            .map_or("", |(_, userid)| userid);
        let extra = if i == 0 { "wecom_userid" } else { userid };
        out.push_str(&format!("{line},{extra}\n"));
    }
    out.into_bytes()
}

/// Default settings, except that delivery is not paced like Telegram: the sandbox does not
/// enforce flood limits, and pacing one message a second per chat would make the demo slow.
fn demo_config(lang: Lang) -> Config {
    let mut config = Config::default();
    config.default_lang = lang;
    config.delivery.global_per_second = 1000;
    config.delivery.per_chat_per_second = 100;
    config.delivery.per_group_per_minute = 1000;
    config
}

fn print_summary(stage: &mut Stage<'_>, summary: &Summary, adopted: SuggestionNo) {
    let lang = stage.lang;
    stage.heading("cli-demo-summary");
    for s in &summary.suggestions {
        let mut end = vec![i18n::state_name(lang, s.state)];
        end.extend(s.outcome.map(|o| i18n::outcome_name(lang, o)));
        end.extend(s.rating.map(|r| i18n::rating_name(lang, r)));
        if s.supervised {
            end.push(i18n::plain(lang, "cli-demo-supervised", &[]));
        }
        let args = [
            ("no", s.no.to_string()),
            ("title", s.title.clone()),
            ("end", end.join(" · ")),
        ];
        stage.line(&i18n::plain(lang, "cli-demo-suggestion", &args));
    }
    let answer = if summary.unsolved_told {
        "cli-demo-answer-no"
    } else {
        "cli-demo-answer-none"
    };
    let args = [
        ("request", summary.request.to_string()),
        ("no", adopted.to_string()),
        ("answer", i18n::plain(lang, answer, &[])),
    ];
    stage.line(&i18n::plain(lang, "cli-demo-request", &args));
    let total: usize = summary.messages.values().sum();
    stage.line(&i18n::plain(
        lang,
        "cli-demo-messages",
        &[("total", total.to_string())],
    ));
    for (chat, count) in &summary.messages {
        stage.line(&format!("  {chat}: {count}"));
    }
    stage.line(&i18n::plain(
        lang,
        "cli-demo-dead",
        &[("count", summary.dead_letters.to_string())],
    ));
    let seconds = format!("{:.1}", summary.elapsed.as_secs_f64());
    stage.line(&i18n::plain(
        lang,
        "cli-demo-elapsed",
        &[("seconds", seconds)],
    ));
}
