//! Putting minyi into service: the HTTP server (health, readiness, metrics), `minyi check`,
//! backups and restores, the move to PostgreSQL, retention, several processes and the logs.

mod backup;
mod check;
mod http;
mod logs;
mod migrate_data;
mod processes;
mod retention;

use std::collections::BTreeMap;

/// One sample of a Prometheus text page.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// Reads a Prometheus text page (format 0.0.4) into samples; panics on a line that is not
/// one, so a malformed page fails the test that reads it.
pub fn parse_metrics(page: &str) -> Vec<Sample> {
    let mut samples = Vec::new();
    for line in page.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("not a sample: {line:?}"));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            v => v
                .parse()
                .unwrap_or_else(|_| panic!("not a value: {line:?}")),
        };
        let (name, labels) = match series.split_once('{') {
            None => (series.to_string(), BTreeMap::new()),
            Some((name, rest)) => {
                let inner = rest
                    .strip_suffix('}')
                    .unwrap_or_else(|| panic!("unclosed labels: {line:?}"));
                let mut labels = BTreeMap::new();
                for pair in inner.split(',').filter(|p| !p.is_empty()) {
                    let (k, v) = pair
                        .split_once('=')
                        .unwrap_or_else(|| panic!("not a label: {line:?}"));
                    let v = v
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .unwrap_or_else(|| panic!("unquoted label: {line:?}"));
                    labels.insert(k.to_string(), v.to_string());
                }
                (name.to_string(), labels)
            }
        };
        samples.push(Sample {
            name,
            labels,
            value,
        });
    }
    samples
}

/// The value of the sample `name` with exactly these labels (0 when absent).
pub fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    let want: BTreeMap<String, String> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    samples
        .iter()
        .find(|s| s.name == name && s.labels == want)
        .map_or(0.0, |s| s.value)
}

/// Runs the `minyi` binary in `dir` on the database at `url`, with `env` added to a clean
/// environment (no token, no configuration unless given).
pub fn minyi(
    dir: &std::path::Path,
    url: &str,
    env: &[(&str, &str)],
    args: &[&str],
) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_minyi"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("MINYI_CONFIG")
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("TELOXIDE_TOKEN_FILE")
        .env_remove("TELOXIDE_API_URL")
        .env_remove("RUST_LOG")
        .env("MINYI_DATABASE_URL", url);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run minyi")
}

pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A `minyi` process that is killed when dropped, so a failing test leaves none behind.
pub struct Running(pub std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
