//! `minyi outbox status|dead|retry`: what the operator sees of delivery.

use std::process::ExitCode;

use clap::Subcommand;

use crate::clock::{Clock, SystemClock};
use crate::i18n::{self, Lang};
use crate::storage::Repository;

#[derive(Debug, Subcommand)]
pub enum Action {
    /// How many messages are pending, being sent, sent and dead.
    Status,
    /// The newest dead letters, with their reasons.
    Dead {
        /// How many to list.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..))]
        limit: i64,
    },
    /// Send a dead letter again (by outbox id), or all of them.
    Retry {
        /// The outbox id of the dead letter.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        id: Option<i64>,
        #[arg(long)]
        all: bool,
    },
}

pub(super) async fn run(
    repo: &dyn Repository,
    lang: Lang,
    action: Action,
) -> anyhow::Result<ExitCode> {
    match action {
        Action::Status => {
            let counts = repo.outbox_status().await?;
            let count = |state: &str| {
                counts
                    .iter()
                    .find(|(s, _)| s == state)
                    .map_or(0, |(_, n)| *n)
                    .to_string()
            };
            let args = [
                ("pending", count("pending")),
                ("sending", count("sending")),
                ("sent", count("sent")),
                ("dead", count("dead")),
            ];
            println!("{}", i18n::plain(lang, "outbox-status", &args));
        }
        Action::Dead { limit } => {
            let dead = repo.dead_letters(limit).await?;
            if dead.is_empty() {
                println!("{}", i18n::plain(lang, "outbox-no-dead", &[]));
            }
            for d in dead {
                let args = [
                    ("id", d.outbox_id.to_string()),
                    ("channel", d.channel),
                    ("target", d.target),
                    ("key", d.key),
                    ("reason", d.reason),
                    ("at", d.died_at.to_rfc3339()),
                ];
                println!("{}", i18n::plain(lang, "outbox-dead-line", &args));
            }
        }
        Action::Retry { id, all } => {
            let id = if all { None } else { id };
            let n = repo.retry_dead(id, SystemClock.now()).await?;
            println!(
                "{}",
                i18n::plain(lang, "outbox-retried", &[("count", n.to_string())])
            );
            if n == 0 {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
