//! Database outages (issue 15): a loopback TCP proxy between minyi and PostgreSQL is cut for
//! 10 s during traffic. Commands sent meanwhile are answered "nothing was changed, try
//! again"; the worker and the bot carry on by themselves once the database is back, and
//! nothing is lost or doubled. On SQLite, a reader holding the file in a long transaction
//! does not make commands fail.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use minyi::clock::FixedClock;
use minyi::config::Config;
use minyi::sandbox::{Sandbox, SandboxOptions};
use minyi::service::Service;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::support::{TestDb, postgres, roster, shanghai, sqlite};

/// Forwards loopback connections to PostgreSQL until cut: a cut closes every open
/// connection and refuses new ones until the proxy is restored.
struct Proxy {
    addr: String,
    cut: Arc<AtomicBool>,
    links: Arc<tokio::sync::Mutex<JoinSet<()>>>,
    accepting: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let cut = Arc::new(AtomicBool::new(false));
        let links = Arc::new(tokio::sync::Mutex::new(JoinSet::new()));
        let accepting = {
            let (cut, links) = (Arc::clone(&cut), Arc::clone(&links));
            tokio::spawn(async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    if cut.load(Ordering::SeqCst) {
                        continue; // dropped: the connection is refused
                    }
                    let upstream = upstream.clone();
                    links.lock().await.spawn(async move {
                        if let Ok(mut server) = TcpStream::connect(upstream).await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    });
                }
            })
        };
        Proxy {
            addr,
            cut,
            links,
            accepting,
        }
    }

    async fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        self.links.lock().await.abort_all();
    }

    fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

fn service(repo: Arc<dyn minyi::storage::Repository>, sandbox: &Sandbox) -> Service {
    let mut config = Config::default();
    config.delivery.per_chat_per_second = 100;
    config.delivery.per_group_per_minute = 1000;
    config.delivery.global_per_second = 1000;
    Service {
        repo,
        bot: sandbox.bot(),
        config: Arc::new(config),
        username: "minyi_sandbox_bot".into(),
        clock: Arc::new(FixedClock::new(shanghai(2026, 3, 2, 9, 0))),
        scheduler: true,
        http: None,
        webhook: None,
        metrics: minyi::metrics::Metrics::new(),
    }
}

async fn until(what: &str, patience: Duration, mut done: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < patience, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const DEPUTIES: [i64; 3] = [1001, 1002, 1003];

/// Each deputy files one suggestion, titled `{label} {deputy}`.
fn file_one_each(sandbox: &Sandbox, label: &str) {
    for deputy in DEPUTIES {
        sandbox.private_message(deputy, &format!("/suggest {label} {deputy}\nBody"));
    }
}

async fn open_rows(db: &TestDb) -> i64 {
    db.count("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')")
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_second_postgres_outage_loses_nothing_and_needs_no_restart() {
    let Some(db) = postgres().await else {
        return;
    };
    roster(&db).await;
    let server = std::env::var("MINYI_TEST_POSTGRES_URL").unwrap();
    let host = server
        .split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("host:port in MINYI_TEST_POSTGRES_URL")
        .to_owned();
    let proxy = Proxy::start(host.clone()).await;
    let through = db.url.replacen(&host, &proxy.addr, 1);
    let repo = minyi::storage::connect(&through).await.unwrap();
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let stop = CancellationToken::new();
    let running = tokio::spawn(service(repo, &sandbox).run(stop.clone()));
    let filed = || db.count("SELECT COUNT(*) FROM suggestions");

    // Before: filed and answered.
    file_one_each(&sandbox, "Before");
    until("three filings", Duration::from_secs(30), async || {
        filed().await == 3
    })
    .await;

    // The outage: every command is answered that nothing changed.
    proxy.cut().await;
    let cut_at = Instant::now();
    let answered_before = sandbox.delivered().len();
    file_one_each(&sandbox, "During");
    until("the outage answers", Duration::from_secs(30), async || {
        let told = sandbox.delivered()[answered_before..]
            .iter()
            .filter(|d| d.text.contains("nothing was changed") || d.text.contains("未作任何修改"))
            .count();
        told >= DEPUTIES.len()
    })
    .await;
    let told: Vec<String> = sandbox.delivered()[answered_before..]
        .iter()
        .map(|d| d.text.clone())
        .collect();
    tokio::time::sleep(Duration::from_secs(10).saturating_sub(cut_at.elapsed())).await;
    proxy.restore();

    // After: the same service takes commands again and delivers what waited. The poll lock's
    // session died with the cut: the lock holder notices within 15 s, ends its shift (its
    // long poll included) and takes the lock again, so this may take most of a minute.
    let restored = Instant::now();
    file_one_each(&sandbox, "After");
    until("the filings after", Duration::from_secs(180), async || {
        filed().await == 6 && open_rows(&db).await == 0 && sandbox.pending_updates() == 0
    })
    .await;
    println!(
        "after a 10 s outage, working again in {:.1} s",
        restored.elapsed().as_secs_f64()
    );
    assert_eq!(
        filed().await,
        6,
        "the three during the outage changed nothing: {told:?}"
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM suggestions WHERE title LIKE 'During%'")
            .await,
        0
    );
    assert_eq!(
        db.count("SELECT MAX(seq) FROM suggestions").await,
        6,
        "no gap"
    );
    assert_eq!(
        db.count("SELECT COUNT(DISTINCT title) FROM suggestions")
            .await,
        6,
        "none doubled"
    );
    for deputy in DEPUTIES {
        let filings = sandbox
            .delivered_to(deputy)
            .iter()
            .filter(|d| d.text.contains("2026-000"))
            .count();
        assert!(filings >= 2, "deputy {deputy} heard of both filings");
    }
    stop.cancel();
    running.await.unwrap();
    sandbox.shutdown().await;
    db.finish().await;
}

/// SQLite: another connection holding the file in a long read transaction (as a backup or
/// an analyst's query would) does not make commands fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_reader_on_the_sqlite_file_does_not_fail_commands() {
    let db = sqlite().await;
    roster(&db).await;
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let stop = CancellationToken::new();
    let running = tokio::spawn(service(Arc::clone(&db.repo), &sandbox).run(stop.clone()));
    // A reader of its own, outside minyi's pool, holding a read transaction throughout.
    let options: sqlx::sqlite::SqliteConnectOptions = db.url.parse().unwrap();
    let mut held = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    use sqlx::{Connection, Executor};
    held.execute("BEGIN").await.unwrap();
    held.execute("SELECT COUNT(*) FROM suggestions")
        .await
        .unwrap();
    file_one_each(&sandbox, "Read");
    until("filings while read", Duration::from_secs(30), async || {
        db.count("SELECT COUNT(*) FROM suggestions").await == 3
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    held.execute("COMMIT").await.unwrap();
    assert!(
        sandbox
            .delivered()
            .iter()
            .all(|d| !d.text.contains("nothing was changed") && !d.text.contains("未作任何修改")),
        "no command failed"
    );
    stop.cancel();
    running.await.unwrap();
    sandbox.shutdown().await;
    db.finish().await;
}
