//! The `minyi` command line (PRODUCT.md §7). Each command loads and validates the
//! configuration once, opens the database and calls into the library: roster commands in
//! `roster`, the residents' QR posters in `qr`, the outbox in `outbox`, scheduled jobs in
//! `jobs`, reports and the ledger in `reports` (the year's reports in `year`), and `minyi run`
//! in `run`, which starts the [`crate::service`].

mod backup;
pub mod bench;
mod check;
pub mod demo;
mod jobs;
mod migrate_data;
mod operator_error;
mod outbox;
mod qr;
mod reports;
mod roster;
mod run;
mod wecom;
mod year;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::i18n;
use crate::roster::RosterKind;
use crate::storage::{self, Repository};

/// minyi (民意): the closed loop of deputies' suggestions, run from Telegram chats.
#[derive(Debug, Parser)]
#[command(name = "minyi", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create or upgrade the database schema.
    Migrate,
    /// Write a consistent copy of the SQLite database to FILE while minyi runs (for
    /// PostgreSQL: prints the pg_dump command to use).
    Backup {
        /// The new file (it must not exist).
        file: PathBuf,
    },
    /// Copy a SQLite database into an empty PostgreSQL database, every table in one
    /// transaction, with counts and checksums compared on both sides.
    MigrateData {
        /// The SQLite database, sqlite://… (it is only read).
        #[arg(long)]
        from: String,
        /// The PostgreSQL database, postgres://… (migrated first; it must be empty).
        #[arg(long)]
        to: String,
    },
    /// Check the installation: configuration, database, token, groups' chats, linked
    /// accounts, mirrors and the outbox; each ✔ or ✘ with what to do. Exit 1 if any fails.
    Check,
    /// Import a roster CSV file (one transaction: any bad line imports nothing).
    Import {
        /// What the file lists.
        kind: ImportKind,
        /// The CSV file (UTF-8, header row).
        file: PathBuf,
    },
    /// Print a one-time invite link that binds a Telegram account to a roster person.
    Invite {
        /// The person's code in the roster.
        person: String,
    },
    /// Write a printable poster (码上找代表) with the QR code of a deputy's or a group's deep
    /// link, for residents to scan.
    Qr {
        /// Whose link: a deputy's or a group's.
        kind: qr::PosterKind,
        /// The deputy's person code or the group's code in the roster.
        code: String,
        /// The PNG file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// The poster's language (default: the configured default_lang).
        #[arg(long)]
        lang: Option<LangArg>,
    },
    /// The outbox: counts by state, dead letters, sending dead letters again.
    Outbox {
        #[command(subcommand)]
        action: outbox::Action,
    },
    /// Reports for operators: the daily and monthly reports, the deputies' performance files
    /// and the key suggestions of a year.
    Report {
        #[command(subcommand)]
        report: reports::Report,
    },
    /// Exports: the ledger (台账) as .xlsx or .csv.
    Export {
        #[command(subcommand)]
        export: reports::Export,
    },
    /// The whole loop, offline: a built-in Bot API sandbox, a fresh database, the sample
    /// roster of examples/ and scripted people, with a transcript.
    Demo {
        /// The people's language and the transcript's.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
        /// A database URL (sqlite://… or postgres://…, best an empty one) instead of a
        /// fresh SQLite file in a temp directory.
        #[arg(long)]
        db: Option<String>,
        /// Keep the fresh SQLite file and print its path.
        #[arg(long)]
        keep: bool,
        /// Play the town's clerk and the unit's contact in WeCom (a built-in WeCom sandbox),
        /// everybody else in Telegram: the mixed loop.
        #[arg(long)]
        wecom: bool,
        /// After the loop, keep the board (看板) and the public wall up on a local port and
        /// print a one-time sign-in link for the district clerk; Ctrl-C ends it.
        #[arg(long)]
        web: bool,
        /// Where the board listens with --web.
        #[arg(long, default_value = "127.0.0.1:0", requires = "web")]
        listen: std::net::SocketAddr,
    },
    /// Scheduled jobs: list them, or run one now (as if at a time).
    Jobs {
        #[command(subcommand)]
        action: jobs::Action,
    },
    /// Run minyi: the bot (long polling), the scheduler and the delivery worker, until
    /// SIGINT or SIGTERM. With --webhook, updates come to a webhook instead: any number of
    /// replicas may serve it behind a load balancer (PostgreSQL); one of them delivers and
    /// schedules.
    Run {
        /// Serve HTTP on this address (e.g. 127.0.0.1:9184): /healthz, /readyz, /metrics,
        /// and the webhook with --webhook. Default: the configuration's http.listen.
        #[arg(long, value_name = "ADDR")]
        http: Option<std::net::SocketAddr>,
        /// Take updates by webhook at this public HTTPS URL (its path is served on the HTTP
        /// server) instead of polling.
        #[arg(long, value_name = "URL")]
        webhook: Option<reqwest::Url>,
    },
    /// Run the built-in fake Telegram Bot API (for trying `minyi check` and `minyi run` without
    /// Telegram): prints TELOXIDE_API_URL and TELOXIDE_TOKEN to use, until SIGINT or SIGTERM.
    Sandbox {
        /// Where to listen.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8081")]
        listen: std::net::SocketAddr,
    },
    /// The WeCom app (the [wecom] section): set its menu.
    Wecom {
        #[command(subcommand)]
        action: wecom::Action,
    },
    /// Benchmarks on generated data (figures, not pass or fail).
    Bench {
        #[command(subcommand)]
        which: Bench,
    },
}

/// A language on the command line: `zh` or `en`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for i18n::Lang {
    fn from(lang: LangArg) -> Self {
        match lang {
            LangArg::Zh => i18n::Lang::ZhCn,
            LangArg::En => i18n::Lang::EnUs,
        }
    }
}

/// The kind of a roster file on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ImportKind {
    Orgs,
    Groups,
    Units,
    People,
}

impl From<ImportKind> for RosterKind {
    fn from(kind: ImportKind) -> Self {
        match kind {
            ImportKind::Orgs => RosterKind::Orgs,
            ImportKind::Groups => RosterKind::Groups,
            ImportKind::Units => RosterKind::Units,
            ImportKind::People => RosterKind::People,
        }
    }
}

#[derive(Debug, Subcommand)]
enum Bench {
    /// The reports on 1,000,000 suggestions of 100,000 deputies: the monthly report of a town
    /// and of the whole deployment, the ledger of a month, the daily report, at 100k and 1M,
    /// on a fresh SQLite file (and a fresh PostgreSQL schema with --postgres). Takes minutes.
    Stats {
        /// A PostgreSQL server to measure too (a schema is made there and dropped after).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// The move to PostgreSQL (`minyi migrate-data`) of 100,000 suggestions with their
    /// deputies and events, from a fresh SQLite file into a fresh schema.
    MigrateData {
        /// The PostgreSQL server (a schema is made there and dropped after).
        #[arg(long)]
        postgres: String,
    },
}

/// Runs the command line; the exit code is non-zero on any failure.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs();
    let config = match Config::load() {
        Ok(config) => config,
        // `minyi check` reports it as its first failed check.
        Err(e) if matches!(cli.command, Command::Check) => {
            return check::bad_config(Config::intended_lang(), &e);
        }
        Err(e) => {
            let lang = Config::intended_lang();
            eprintln!("minyi: {}", i18n::plain(lang, "cli-bad-config", &[]));
            for line in e.lines(lang) {
                eprintln!("{line}");
            }
            return ExitCode::from(2);
        }
    };
    let lang = config.default_lang;
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let code = match runtime.block_on(run(cli, config)) {
        Ok(code) => code,
        Err(e) => {
            match e.downcast_ref::<operator_error::OperatorError>() {
                Some(error) => eprintln!("minyi: {}", error.render(lang)),
                None => eprintln!("minyi: {e:#}"),
            }
            ExitCode::FAILURE
        }
    };
    // Blocking work left behind (a DNS lookup) must not hold the exit.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    code
}

/// Logs to stderr, filtered by `RUST_LOG` (default `warn,minyi=info`): human-readable, or one
/// JSON object a line with `MINYI_LOG_FORMAT=json` (for journald or a log shipper). Spans name
/// the update, the suggestion and the job run each line belongs to.
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "warn,minyi=info".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match std::env::var("MINYI_LOG_FORMAT").as_deref() {
        Ok("json") => logs
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .init(),
        _ => logs.init(),
    }
}

async fn run(cli: Cli, config: Config) -> anyhow::Result<ExitCode> {
    // The demo brings its own database and sandbox: it must not touch MINYI_DATABASE_URL.
    if let Command::Demo {
        lang,
        db,
        keep,
        wecom,
        web,
        listen,
    } = &cli.command
    {
        let web = web.then(|| {
            let until = tokio_util::sync::CancellationToken::new();
            let stop = until.clone();
            tokio::spawn(async move {
                let _ = tokio::signal::ctrl_c().await;
                stop.cancel();
            });
            demo::WebDemo {
                listen: *listen,
                until,
            }
        });
        let options = demo::Options {
            lang: (*lang).into(),
            db: db.clone(),
            keep: *keep,
            wecom: *wecom,
            web,
        };
        demo::play(&options, &mut std::io::stdout()).await?;
        return Ok(ExitCode::SUCCESS);
    }
    // The check opens the database itself, to report when it cannot.
    if let Command::Check = &cli.command {
        return check::run(&config).await;
    }
    // The move between databases names both itself.
    if let Command::MigrateData { from, to } = &cli.command {
        return migrate_data::run(config.default_lang, from, to).await;
    }
    // The sandbox touches no database.
    if let Command::Sandbox { listen } = &cli.command {
        let sandbox = crate::sandbox::Sandbox::start_on(*listen, Default::default()).await?;
        println!("TELOXIDE_API_URL={}", sandbox.api_url());
        println!("TELOXIDE_TOKEN={}", sandbox.token());
        let stop = tokio_util::sync::CancellationToken::new();
        tokio::spawn(run::stop_on_signals(stop.clone(), run::Signals::new()?));
        stop.cancelled().await;
        sandbox.shutdown().await;
        return Ok(ExitCode::SUCCESS);
    }
    // The WeCom app's settings live in WeCom, not in the database.
    if let Command::Wecom { action } = cli.command {
        return wecom::run(&config, action).await;
    }
    // The benchmark, too, makes and removes its own databases.
    if let Command::Bench { which } = &cli.command {
        match which {
            Bench::Stats { postgres } => {
                bench::stats(postgres.as_deref(), &mut std::io::stdout()).await?
            }
            Bench::MigrateData { postgres } => {
                bench::migrate_data(postgres, &mut std::io::stdout()).await?
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let repo = open(&config).await?;
    let lang = config.default_lang;
    match cli.command {
        Command::Migrate => {
            println!("{}", i18n::plain(lang, "cli-migrated", &[]));
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { kind, file } => {
            roster::import(repo.as_ref(), lang, kind.into(), &file).await
        }
        Command::Invite { person } => roster::invite(repo.as_ref(), &config, &person).await,
        Command::Qr {
            kind,
            code,
            output,
            lang: poster_lang,
        } => {
            let poster_lang = poster_lang.map_or(lang, i18n::Lang::from);
            qr::poster(repo.as_ref(), &config, kind, &code, &output, poster_lang).await
        }
        Command::Outbox { action } => outbox::run(repo.as_ref(), lang, action).await,
        Command::Backup { file } => backup::run(repo.as_ref(), lang, &file).await,
        Command::Jobs { action } => jobs::run(repo.as_ref(), &config, action).await,
        Command::Report { report } => reports::report(repo.as_ref(), &config, report).await,
        Command::Export { export } => reports::export(repo.as_ref(), &config, export).await,
        Command::Run { http, webhook } => {
            run::run(repo, &config, run::RunArgs { http, webhook }).await
        }
        Command::Demo { .. }
        | Command::Wecom { .. }
        | Command::Sandbox { .. }
        | Command::Check
        | Command::MigrateData { .. } => {
            unreachable!("handled above")
        }
        Command::Bench { .. } => unreachable!("handled above"),
    }
}

/// Opens the configured database and brings its schema up to date.
pub async fn open(config: &Config) -> anyhow::Result<std::sync::Arc<dyn Repository>> {
    let url = config.database_url.expose();
    let repo = storage::connect(url)
        .await
        .map_err(|e| operator_error::OperatorError::because("cli-db-cannot-open", e))?;
    repo.migrate()
        .await
        .map_err(|e| operator_error::OperatorError::because("cli-db-cannot-migrate", e))?;
    Ok(repo)
}
