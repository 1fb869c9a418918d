//! `cargo bench --bench peer`: minyi beside a peer, a minimal python-telegram-bot bot
//! (`benches/peers/ptb_suggest/`) that does the same work for `/suggest`: parse, one SQLite
//! transaction numbering the suggestion gaplessly per year, answer. Both run in the same run
//! against the same sandbox kind with the same workload (`common/suggest.rs`: 200 deputies,
//! 2,000 updates at once, then 1,500 at each offered rate), and the ratios minyi / peer are
//! printed (goal ≥ 5×).
//!
//! The peer runs as a subprocess in its own virtual environment, `target/peers/venv`, made
//! with `python3 -m venv` and `pip install -r requirements.txt` when missing or when the
//! requirements changed; if that fails the peer is skipped with the reason. It runs twice:
//! as PTB builds a bot by default (one update at a time) and with `concurrent_updates`.
//! minyi on SQLite always; on PostgreSQL too with `MINYI_TEST_POSTGRES_URL`.
//!
//! Then `PEER_ROUNDS` (default 5) more rounds of the burst alone, minyi on SQLite and the
//! peer's default back to back, the order alternating, and the median of their ratios: on a
//! machine shared with other work one run's ratio moves by 2-3x. Prints figures only.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use minyi::metrics::Metrics;
use minyi::sandbox::{Sandbox, SandboxOptions};

mod common;
#[path = "common/suggest.rs"]
mod suggest;

use suggest::{BURST, DEPUTIES, Figures, PACED, RATE, measure, ms};

/// 300/s as `ingest`; 100/s, which the peer keeps up with one update at a time, shows each
/// side's latency unqueued.
const RATES: [f64; 2] = [100.0, RATE];

/// Updates PTB handles at once with `concurrent_updates(true)`: its own default for `true`.
const PTB_CONCURRENT: usize = 256;

/// The peer's sources, in the repository.
fn peer_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers/ptb_suggest")
}

/// `target/peers/venv`, or under `CARGO_TARGET_DIR` when cargo builds elsewhere.
fn venv_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("peers/venv")
}

/// The venv's python, with the peer's requirements installed: made when missing, installed
/// again when `requirements.txt` differs from what was installed last.
fn venv() -> Result<PathBuf, String> {
    let dir = venv_dir();
    let python = dir.join("bin/python");
    let requirements = peer_dir().join("requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    let stamp = dir.join("installed-requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    if !python.exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&dir))?;
    }
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements))?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(python)
}

/// Runs a setup command; its output is the error when it fails.
fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let output = command
        .output()
        .map_err(|e| format!("{shown} did not start: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{shown} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    ))
}

/// The peer polling a fresh sandbox, on a fresh SQLite file, handling `concurrent` updates
/// at once (0: PTB's default, one at a time): measured, checked, then killed.
async fn peer_bot(
    name: &str,
    python: &Path,
    concurrent: usize,
    rates: &[f64],
) -> Result<Figures, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("peer.db");
    let log = dir.path().join("bot.log");
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .map_err(|e| format!("sandbox: {e}"))?;
    let mut bot = tokio::process::Command::new(python)
        .arg(peer_dir().join("bot.py"))
        .env("PEER_TOKEN", sandbox.token())
        .env("PEER_API_URL", sandbox.api_url().as_str())
        .env("PEER_DB", &db)
        .env("PEER_CONCURRENT", concurrent.to_string())
        // The sandbox is on loopback: no proxy between the bot and it, as for minyi's client.
        .env("NO_PROXY", "127.0.0.1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).map_err(|e| e.to_string())?)
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("{} did not start: {e}", python.display()))?;
    let why = |what: String| {
        let said = std::fs::read_to_string(&log).unwrap_or_default();
        let tail: Vec<&str> = said.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!("{what}\n{}", tail.join("\n"))
    };

    // Ready once it polls; PTB calls getMe and deleteWebhook first.
    let start = Instant::now();
    while !sandbox.calls().iter().any(|c| c.method == "getupdates") {
        if let Ok(Some(status)) = bot.try_wait() {
            return Err(why(format!("the peer exited ({status}) before polling:")));
        }
        if start.elapsed() > Duration::from_secs(60) {
            return Err(why("the peer did not poll within a minute:".to_owned()));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let figures = measure(&sandbox, rates).await;
    // Killed, not stopped: whatever it has not committed by now is missing from the count.
    bot.kill()
        .await
        .map_err(|e| format!("kill the peer: {e}"))?;

    let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .map_err(|e| format!("the peer's database: {e}"))?;
    let (filed, last): (i64, Option<i64>) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM suggestions), (SELECT MAX(last) FROM counters)",
    )
    .fetch_one(&raw)
    .await
    .map_err(|e| format!("the peer's database: {e}"))?;
    raw.close().await;
    let sent = (BURST + rates.len() * PACED) as i64;
    if filed != sent || last != Some(sent) {
        println!(
            "  ({name}: {filed} suggestions committed, last number {last:?}, expected {sent})"
        );
    }
    let refused: Vec<String> = sandbox
        .calls()
        .iter()
        .filter(|c| c.status >= 400)
        .map(|c| format!("{} {}", c.method, c.status))
        .collect();
    if !refused.is_empty() {
        println!("  ({name}: the sandbox refused {refused:?})");
    }
    sandbox.shutdown().await;
    figures.print(name);
    Ok(figures)
}

/// minyi / peer: how many times the peer's rate minyi reaches, and how many times minyi's
/// latency the peer's is.
fn ratios(name: &str, minyi: &Figures, peer: &Figures) {
    let paced: Vec<String> = minyi
        .paced
        .iter()
        .zip(&peer.paced)
        .map(|(m, p)| {
            format!(
                "at {:.0}/s achieved x{:.2}, p50 x{:.1}, p99 x{:.1}",
                m.rate,
                m.achieved / p.achieved,
                ms(p.p50) / ms(m.p50).max(0.001),
                ms(p.p99) / ms(m.p99).max(0.001)
            )
        })
        .collect();
    println!(
        "{name:32} burst x{:.2} (goal >= 5) | {}",
        minyi.per_second / peer.per_second,
        paced.join(" | ")
    );
}

/// `PEER_ROUNDS` rounds of the burst alone, minyi on SQLite and the peer's default, the
/// one that goes first alternating; prints each round's ratio and their median.
async fn rounds(python: &Path) {
    let rounds: usize = std::env::var("PEER_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let mut ratios = Vec::with_capacity(rounds);
    for round in 1..=rounds {
        let minyi_first = round % 2 == 1;
        let mut minyi = None;
        let mut peer = None;
        for minyi_turn in [minyi_first, !minyi_first] {
            if minyi_turn {
                let name = format!("round {round}: minyi sqlite");
                minyi = Some(
                    suggest::on_sqlite(&name, Metrics::off(), &[], nothing)
                        .await
                        .0,
                );
            } else {
                let name = format!("round {round}: ptb sequential");
                match peer_bot(&name, python, 0, &[]).await {
                    Ok(figures) => peer = Some(figures),
                    Err(why) => println!("{name}: skipped: {why}"),
                }
            }
        }
        if let (Some(minyi), Some(peer)) = (minyi, peer) {
            let ratio = minyi.per_second / peer.per_second;
            println!(
                "round {round}: minyi sqlite / ptb sequential, burst x{ratio:.2} (load {})",
                load()
            );
            ratios.push(ratio);
        }
    }
    ratios.sort_by(f64::total_cmp);
    if let (Some(low), Some(high)) = (ratios.first(), ratios.last()) {
        println!(
            "minyi sqlite / ptb sequential over {} rounds: burst x{:.2} median (x{low:.2} to x{high:.2}; goal >= 5)",
            ratios.len(),
            ratios[ratios.len() / 2]
        );
    }
}

/// The machine's load averages (1, 5, 15 min): the figures move with what else runs.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// Nothing more after minyi's figures: the peer has nothing to match it.
async fn nothing(_: &Sandbox, _: usize) -> (usize, ()) {
    (0, ())
}

#[tokio::main]
async fn main() {
    println!(
        "peer: /suggest from {DEPUTIES} deputies in private chats, minyi (listener + handlers, no delivery worker) and a python-telegram-bot peer, same sandbox; load {}",
        load()
    );
    // The venv first: pip's work does not fall between the figures compared.
    let python = match venv() {
        Ok(python) => Some(python),
        Err(why) => {
            println!("peer: skipped, its virtual environment failed: {why}");
            None
        }
    };
    // minyi on SQLite and the peer run back to back, so the machine's load (shared with
    // other work) changes as little as may be between the figures compared.
    let (minyi, ()) = suggest::on_sqlite("minyi sqlite", Metrics::off(), &RATES, nothing).await;
    let mut peers = Vec::new();
    for (name, concurrent) in [("ptb sequential", 0), ("ptb concurrent", PTB_CONCURRENT)] {
        let Some(python) = &python else { break };
        match peer_bot(name, python, concurrent, &RATES).await {
            Ok(peer) => {
                ratios(&format!("minyi sqlite / {name}"), &minyi, &peer);
                peers.push((name, peer));
            }
            Err(why) => println!("{name}: skipped: {why}"),
        }
    }
    if let Some(python) = &python {
        rounds(python).await;
    }
    match suggest::on_postgres("minyi postgres", &RATES, nothing).await {
        Some((pg, ())) => {
            for (name, peer) in &peers {
                ratios(&format!("minyi postgres / {name}"), &pg, peer);
            }
        }
        None => println!("postgres: skipped (set MINYI_TEST_POSTGRES_URL)"),
    }
    println!("load at the end {}", load());
}
