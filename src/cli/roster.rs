//! Roster commands: `minyi import` and `minyi invite`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::i18n::{self, Lang};
use crate::roster::{self, RosterKind};
use crate::storage::{ImportFailure, InviteError, InviteToken, Repository, Who};
use crate::telegram::links::invite_link;

pub(super) async fn invite(
    repo: &dyn Repository,
    config: &Config,
    person: &str,
) -> anyhow::Result<ExitCode> {
    let lang = config.default_lang;
    let person = person.to_string();
    let token = InviteToken::new();
    let now = SystemClock.now();
    let expires = now + chrono::Duration::days(config.invite_valid_days.into());
    let name = match repo
        .create_invite(Who::System, &person, &token.hash(), now, expires, None)
        .await
    {
        Ok(name) => name,
        Err(InviteError::Store(e)) => return Err(e.into()),
        Err(e) => {
            eprintln!("{}", i18n::plain(lang, e.key(), &e.args()));
            return Ok(ExitCode::FAILURE);
        }
    };
    let link = invite_link(&config.bot_username, &token);
    println!(
        "{}",
        i18n::plain(
            lang,
            "invite-link",
            &[("name", name), ("code", person), ("link", link)]
        )
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn import(
    repo: &dyn Repository,
    lang: Lang,
    kind: RosterKind,
    file: &PathBuf,
) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let batch = roster::parse(kind, &bytes);
    let progress = (std::io::stderr().is_terminal() && batch.rows.len() >= 1000).then(|| {
        let bar = indicatif::ProgressBar::new(batch.rows.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
                .expect("valid template"),
        );
        bar.set_message(file.display().to_string());
        bar
    });
    let tick = progress.clone();
    let on_progress = move |done: u64| {
        if let Some(bar) = &tick {
            bar.set_position(done);
        }
    };
    let result = repo.import_roster(&batch, Some(&on_progress)).await;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let name = kind.as_str().to_string();
    match result {
        Ok(report) if report.changed_nothing() => {
            let args = [("kind", name), ("count", report.unchanged.to_string())];
            println!("{}", i18n::plain(lang, "import-unchanged", &args));
            Ok(ExitCode::SUCCESS)
        }
        Ok(report) => {
            let args = [
                ("kind", name),
                ("inserted", report.inserted.to_string()),
                ("updated", report.updated.to_string()),
                ("unchanged", report.unchanged.to_string()),
            ];
            println!("{}", i18n::plain(lang, "import-done", &args));
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportFailure::Lines(errors)) => {
            let separator = match lang {
                Lang::ZhCn => "；",
                Lang::EnUs => "; ",
            };
            for e in &errors {
                let reason = e
                    .problems
                    .iter()
                    .map(|p| i18n::plain(lang, p.key(), &p.args()))
                    .collect::<Vec<_>>()
                    .join(separator);
                let args = [("line", e.line.to_string()), ("reason", reason)];
                eprintln!("{}", i18n::plain(lang, "import-bad-line", &args));
            }
            let args = [("kind", name), ("count", errors.len().to_string())];
            eprintln!("{}", i18n::plain(lang, "import-failed", &args));
            Ok(ExitCode::FAILURE)
        }
        Err(ImportFailure::Store(e)) => Err(e.into()),
    }
}
