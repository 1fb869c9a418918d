//! `cargo bench --bench memory`: the resident memory of the real release binary `minyi`,
//! run as a child process and read from `/proc/<pid>/status` (`VmRSS`, and `VmHWM`, the
//! peak since its `exec`). Not `wait4`'s `ru_maxrss`: it counts the bench's own pages the
//! child shared between `fork` and `exec`.
//!
//! - idle: `minyi run` against the Telegram sandbox on a county's roster (SQLite), 10 s after
//!   its first `getUpdates`;
//! - after a day: the same process once a county's day has gone through it: 300 deputies in
//!   15 towns each file a suggestion, and each suggestion is accepted, assigned, replied to
//!   and rated by command (1,500 commands) and every notice delivered;
//! - the ledger export: 1,000,000 suggestions generated in SQL (as `minyi bench stats`
//!   does), then `minyi export ledger --from … --to … -o ledger.xlsx` of about 10,000,
//!   100,000 and 1,000,000 of them, RSS sampled every 50 ms; and the 1,000,000 as CSV.
//!
//! Cargo builds the `minyi` binary with the bench profile (release) for this bench
//! (`CARGO_BIN_EXE_minyi`); `MINYI_BIN=/path/to/minyi` measures another build instead (an
//! older one, to compare). `MEMORY_SKIP_LOOP=1` measures the export alone. Prints figures;
//! asserts nothing about memory or time. Linux only (`/proc`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use minyi::roster::{self, RosterKind};
use minyi::sandbox::{Sandbox, SandboxOptions};
use minyi::storage;

/// Towns of the county, each with one group of deputies, a clerk and a unit.
const TOWNS: i64 = 15;
/// Deputies a group (the first of each is also its leader): 300 in the county.
const PER_GROUP: i64 = 20;
const DEPUTY_TG: i64 = 10_000;
const CLERK_TG: i64 = 20_000;
const UNIT_TG: i64 = 30_000;

fn minyi_bin() -> PathBuf {
    std::env::var_os("MINYI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_minyi")))
}

/// `VmRSS` and `VmHWM` of a live process, in KiB.
fn status(pid: u32) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// The county: orgs, groups, units and people as roster files.
fn county() -> Vec<(RosterKind, String)> {
    let mut orgs = String::from("code,name,parent\nC,Hexi County,\n");
    let mut groups = String::from("code,name,org\n");
    let mut units = String::from("code,name,org\n");
    let mut people = String::from("code,name,roles,scope,telegram_id,lang\n");
    for t in 1..=TOWNS {
        orgs.push_str(&format!("T{t},Town {t},C\n"));
        groups.push_str(&format!("G{t},Town {t} deputies,T{t}\n"));
        units.push_str(&format!("U{t},Town {t} office,T{t}\n"));
        people.push_str(&format!("K{t},Clerk {t},clerk,T{t},{},\n", CLERK_TG + t));
        people.push_str(&format!("UC{t},Office {t},unit,U{t},{},\n", UNIT_TG + t));
        for d in 0..PER_GROUP {
            let n = (t - 1) * PER_GROUP + d;
            let roles = if d == 0 { "deputy;leader" } else { "deputy" };
            people.push_str(&format!(
                "D{n},Deputy {n},{roles},G{t},{},\n",
                DEPUTY_TG + n
            ));
        }
    }
    vec![
        (RosterKind::Orgs, orgs),
        (RosterKind::Groups, groups),
        (RosterKind::Units, units),
        (RosterKind::People, people),
    ]
}

/// Who takes a step on a deputy's suggestion, and the command: the group's leader accepts,
/// the town's clerk assigns it to the town's unit, whose contact replies; the deputy rates.
fn command(step: &str, no: &str, deputy: i64) -> (i64, String) {
    let town = 1 + (deputy - DEPUTY_TG) / PER_GROUP;
    match step {
        "review" => (
            DEPUTY_TG + (town - 1) * PER_GROUP,
            format!("/review {no} accept"),
        ),
        "assign" => (CLERK_TG + town, format!("/assign {no} U{town}")),
        "reply" => (
            UNIT_TG + town,
            format!("/reply {no} 已修复，感谢代表的建议。"),
        ),
        _ => (deputy, format!("/rate {no} satisfied")),
    }
}

async fn count(pool: &sqlx::SqlitePool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

async fn wait_until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !done().await {
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `minyi run` on the county, idle and after a day.
async fn the_loop(dir: &Path) {
    let db = dir.join("county.db");
    let url = format!("sqlite://{}", db.display());
    let repo = storage::connect(&url).await.expect("open sqlite");
    repo.migrate().await.expect("migrate");
    for (kind, csv) in county() {
        repo.import_roster(&roster::parse(kind, csv.as_bytes()), None)
            .await
            .expect("the county's roster");
    }
    drop(repo);
    let pool = sqlx::SqlitePool::connect(&url).await.expect("raw sqlite");
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let config = dir.join("minyi.toml");
    std::fs::write(&config, "bot_username = \"minyi_sandbox_bot\"\n").unwrap();
    let child = Command::new(minyi_bin())
        .arg("run")
        .current_dir(dir)
        .env("MINYI_CONFIG", &config)
        .env("MINYI_DATABASE_URL", &url)
        .env("TELOXIDE_TOKEN", sandbox.token())
        .env("TELOXIDE_API_URL", sandbox.api_url().as_str())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start minyi run");
    let pid = child.id();
    wait_until("the first getUpdates", async || {
        sandbox.calls().iter().any(|c| c.method == "getupdates")
    })
    .await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let (rss, hwm) = status(pid).expect("minyi run is alive");
    println!(
        "idle:         minyi run, 10 s after its first getUpdates: RSS {:6.1} MiB (peak so far {:6.1} MiB)",
        mib(rss),
        mib(hwm)
    );

    let start = Instant::now();
    let deputies = TOWNS * PER_GROUP;
    let events = async |n: i64| {
        wait_until("the step", async || {
            count(&pool, "SELECT COUNT(*) FROM events").await >= n
        })
        .await
    };
    for n in 0..deputies {
        let text = format!(
            "/suggest 第 {n} 号建议：修复人行道\n新华路 {n} 号门前人行道砖块松动、雨后积水，老人和孩子出行不便，建议尽快修复并加装排水。"
        );
        sandbox.private_message(DEPUTY_TG + n, &text);
    }
    events(deputies).await;
    // Who filed what: the number, the deputy and the town.
    let filed: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT s.year, s.seq, p.telegram_id FROM suggestions s JOIN people p ON p.id = s.deputy_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (i, step) in ["review", "assign", "reply", "rate"]
        .into_iter()
        .enumerate()
    {
        for (year, seq, deputy) in &filed {
            let (from, text) = command(step, &format!("{year}-{seq:04}"), *deputy);
            sandbox.private_message(from, &text);
        }
        events(deputies * (i as i64 + 2)).await;
    }
    wait_until("every notice sent", async || {
        count(&pool, "SELECT COUNT(*) FROM outbox WHERE state <> 'sent'").await == 0
            && sandbox.pending_updates() == 0
    })
    .await;
    let took = start.elapsed();
    let closed = count(
        &pool,
        "SELECT COUNT(*) FROM suggestions WHERE state = 'closed'",
    )
    .await;
    let sent = count(&pool, "SELECT COUNT(*) FROM outbox").await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let (rss, hwm) = status(pid).expect("minyi run is alive");
    println!(
        "after a day:  {deputies} filings, {} commands, {closed} closed, {sent} notices, {} answers in {:.1} s; \
         10 s later RSS {:6.1} MiB (peak {:6.1} MiB)",
        deputies * 5,
        sandbox.delivered().len(),
        took.as_secs_f64(),
        mib(rss),
        mib(hwm)
    );
    // SAFETY: a plain signal to our own child.
    unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
    let mut child = child;
    let status = child.wait().expect("minyi run ends");
    assert!(status.success(), "minyi run stopped on SIGTERM: {status}");
    sandbox.shutdown().await;
}

/// One `minyi export ledger` run: what it said, the peak of its 50 ms samples of `VmRSS`,
/// its last `VmHWM` (the peak up to 50 ms before it ended), and the time.
fn export(url: &str, dir: &Path, from: &str, to: &str, file: &str) -> (String, u64, u64, Duration) {
    let out = dir.join(file);
    let start = Instant::now();
    let mut child = Command::new(minyi_bin())
        .args(["export", "ledger", "--from", from, "--to", to, "-o"])
        .arg(&out)
        .current_dir(dir)
        .env_remove("MINYI_CONFIG")
        .env("MINYI_DATABASE_URL", url)
        // Not the slow-statement warnings: a query over 1,000,000 rows is slow by design.
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start minyi export ledger");
    let pid = child.id();
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let (mut rss_peak, mut hwm) = (0, 0);
            while !stop.load(Ordering::Relaxed) {
                if let Some((rss, high)) = status(pid) {
                    rss_peak = rss_peak.max(rss);
                    hwm = hwm.max(high);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            (rss_peak, hwm)
        })
    };
    let mut stdout = child.stdout.take().expect("piped");
    let status = child.wait().expect("minyi export ledger ends");
    let took = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    let (sampled, hwm) = sampler.join().unwrap();
    // One line: the pipe's buffer holds it until the child has ended.
    let mut said = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut said).expect("its output");
    assert!(status.success(), "minyi export ledger failed: {said}");
    let _ = std::fs::remove_file(&out);
    (said.trim().to_string(), sampled, hwm, took)
}

async fn the_ledger(dir: &Path) {
    let url = format!("sqlite://{}", dir.join("ledger.db").display());
    let start = Instant::now();
    minyi::cli::bench::generate_sqlite(&url, 1_000_000)
        .await
        .expect("generate 1,000,000 suggestions");
    println!(
        "ledger:       1,000,000 suggestions of 100,000 deputies over 2024-2026 generated in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    // The generator files about 913 a day from 2024-01-01.
    for (from, to, file) in [
        ("2024-01-01", "2024-01-11", "ledger.xlsx"),
        ("2024-01-01", "2024-04-19", "ledger.xlsx"),
        ("2024-01-01", "2026-12-31", "ledger.xlsx"),
        ("2024-01-01", "2026-12-31", "ledger.csv"),
    ] {
        let (said, sampled, hwm, took) = export(&url, dir, from, to, file);
        println!(
            "  {file:12} {from}..{to}: peak RSS {:7.1} MiB (VmHWM; the 50 ms samples of VmRSS: {:7.1} MiB) in {:6.1} s | {said}",
            mib(hwm),
            mib(sampled),
            took.as_secs_f64()
        );
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    println!("memory: {}", minyi_bin().display());
    if std::env::var_os("MEMORY_SKIP_LOOP").is_none() {
        the_loop(dir.path()).await;
    }
    the_ledger(dir.path()).await;
}
