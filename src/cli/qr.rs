//! `minyi qr deputy|group <code> -o poster.png`: the residents' poster (码上找代表) with the QR
//! code of the deputy's (`d_<code>`) or the group's (`g_<code>`) deep link.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::charts;
use crate::config::Config;
use crate::i18n::{self, Lang};
use crate::storage::{Repository, RequestTarget};

/// Whose deep link a poster carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PosterKind {
    Deputy,
    Group,
}

/// Looks the code up in the roster, draws the poster in `poster_lang` and writes it to
/// `output`; the operator's messages are in the configured default language. An unknown code
/// writes nothing and fails.
pub(super) async fn poster(
    repo: &dyn Repository,
    config: &Config,
    kind: PosterKind,
    code: &str,
    output: &Path,
    poster_lang: Lang,
) -> anyhow::Result<ExitCode> {
    let lang = config.default_lang;
    let (target, prefix, caption_key, unknown_key) = match kind {
        PosterKind::Deputy => (
            RequestTarget::Deputy(code.to_string()),
            "d",
            "poster-caption-deputy",
            "cli-qr-unknown-deputy",
        ),
        PosterKind::Group => (
            RequestTarget::Group(code.to_string()),
            "g",
            "poster-caption-group",
            "cli-qr-unknown-group",
        ),
    };
    let Some(name) = repo.request_target_name(&target).await? else {
        eprintln!(
            "{}",
            i18n::plain(lang, unknown_key, &[("code", code.to_string())])
        );
        return Ok(ExitCode::FAILURE);
    };
    let payload = format!("{prefix}_{code}");
    if !start_payload_ok(&payload) {
        eprintln!(
            "{}",
            i18n::plain(lang, "cli-qr-bad-code", &[("code", code.to_string())])
        );
        return Ok(ExitCode::FAILURE);
    }
    let link = crate::telegram::links::deep_link(&config.bot_username, &payload);
    let caption = i18n::plain(poster_lang, caption_key, &[("name", name.clone())]);
    let png = charts::qr_poster_png(&link, &name, &caption, poster_lang)?;
    std::fs::write(output, png).with_context(|| format!("cannot write {}", output.display()))?;
    println!(
        "{}",
        i18n::plain(
            lang,
            "cli-qr-written",
            &[("path", output.display().to_string()), ("link", link)]
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// Telegram passes a `start` parameter of up to 64 characters A–Z, a–z, 0–9, `_` and `-`
/// only; roster codes may also hold `.` and be 64 long, which a deep link cannot carry.
fn start_payload_ok(payload: &str) -> bool {
    payload.len() <= 64
        && payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::start_payload_ok;

    #[test]
    fn start_payloads_telegram_accepts() {
        assert!(start_payload_ok("d_D001"));
        assert!(start_payload_ok("g_G-01_a"));
        assert!(start_payload_ok(&format!("d_{}", "x".repeat(62))));
        assert!(!start_payload_ok(&format!("d_{}", "x".repeat(63))));
        assert!(!start_payload_ok("d_D.001"));
    }
}
