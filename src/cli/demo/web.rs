//! `minyi demo --web`: after the loop, the board stays up for a newcomer to look at. A few
//! suggestions are added so the board shows all three colours, the district clerk gets a
//! one-time sign-in link, and the wall of the district is open to all, until Ctrl-C.

use anyhow::Context;
use chrono::{Duration, Utc};

use super::script::Cast;
use super::stage::Stage;
use crate::domain::{Action, Attachment, Draft, SuggestionNo};
use crate::i18n;
use crate::storage::{Applied, LINK_VALID, LoopPolicy, Request, WebSecret, Who};

/// The district of the sample roster (`examples/orgs.csv`), whose wall the demo opens.
pub const WALL_ORG: &str = "D1";

/// The unit of the sample roster the district clerk assigns to in the demo.
const UNIT: &str = "U-ROADS";

/// Adds open suggestions in each colour, prints the sign-in link and the wall's address.
pub async fn open(
    stage: &mut Stage<'_>,
    cast: &Cast,
    policy: &LoopPolicy,
    base: &str,
) -> anyhow::Result<()> {
    let lang = stage.lang;
    let repo = std::sync::Arc::clone(&stage.repo);
    let now = Utc::now();
    let deputy = Who::Telegram(cast.deputy.id);
    let leader = Who::Telegram(cast.leader.id);
    let clerk = Who::Telegram(cast.district_clerk.id);
    let [red, yellow, green] = super::script::lines(lang).board;
    let accept = Request::Action(Action::Accept { level: None });
    // Accepted ten days ago and never assigned: red.
    let ten_days_ago = now - Duration::days(10);
    let no = file(repo.as_ref(), policy, deputy, red, ten_days_ago).await?;
    repo.act(policy, leader, no, accept.clone(), ten_days_ago, None)
        .await?;
    // Filed today: the leader's three days of review are yellow.
    file(repo.as_ref(), policy, deputy, yellow, now).await?;
    // Assigned today for thirty days: green.
    let no = file(repo.as_ref(), policy, deputy, green, now).await?;
    repo.act(policy, leader, no, accept, now, None).await?;
    let assign = Request::Assign {
        lead: UNIT.into(),
        co: Vec::new(),
        days: None,
        level: None,
    };
    repo.act(policy, clerk, no, assign, now, None).await?;

    let link = WebSecret::new();
    repo.create_web_link(clerk, &link.hash(), now, now + LINK_VALID)
        .await
        .context("cannot make the demo's sign-in link")?;
    stage.heading("cli-demo-web");
    let args = [
        ("name", cast.district_clerk.label.clone()),
        ("link", format!("{base}/web/in/{}", link.expose())),
        ("minutes", LINK_VALID.num_minutes().to_string()),
    ];
    stage.line(&i18n::plain(lang, "cli-demo-web-link", &args));
    let wall = format!("{base}/wall/{WALL_ORG}");
    stage.line(&i18n::plain(lang, "cli-demo-web-wall", &[("wall", wall)]));
    stage.line(&i18n::plain(lang, "cli-demo-web-stop", &[]));
    Ok(())
}

/// Files a suggestion as the deputy at `at`, in the default category.
async fn file(
    repo: &dyn crate::storage::Repository,
    policy: &LoopPolicy,
    deputy: Who,
    title: &str,
    at: chrono::DateTime<Utc>,
) -> anyhow::Result<SuggestionNo> {
    let draft = Draft {
        title: title.to_owned(),
        body: title.to_owned(),
        category: policy.default_category(),
        group: None,
        attachment: Attachment::default(),
    };
    match repo.file(policy, deputy, draft, at, None).await? {
        Applied::Done { no, .. } => Ok(no),
        Applied::Duplicate => anyhow::bail!("a demo suggestion was not filed"),
    }
}
