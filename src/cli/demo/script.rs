//! The story the demo plays: every person's part of the loop (PRODUCT.md §3, §4), each step
//! an update pushed to the sandbox, buttons found in what the bot really sent.

use crate::clock::{Clock, SystemClock};
use crate::domain::{ResidentNo, SuggestionNo};
use crate::i18n::{self, Lang};
use crate::storage::InviteToken;
use crate::storage::Who;

use super::stage::{Actor, Stage};

pub const GROUP_CHAT: i64 = -100_1001;
/// Who works in WeCom with `--wecom`: the town's clerk and the unit's contact, by person code,
/// with their WeCom userids.
pub const WECOM_PEOPLE: [(&str, &str); 2] = [("P03", "wangfang"), ("P07", "zhoutao")];
pub const UNIT_CHAT: i64 = -100_1002;

/// Everybody in the story.
pub struct Cast {
    pub deputy: Actor,
    pub leader: Actor,
    pub town_clerk: Actor,
    pub district_clerk: Actor,
    pub secretary: Actor,
    pub chair: Actor,
    pub unit: Actor,
    pub admin: Actor,
    pub resident: Actor,
}

impl Cast {
    /// The roster people of `examples/people.csv`, with the resident (not in the roster).
    /// With `wecom`, the town's clerk and the unit's contact work in WeCom ([`WECOM_PEOPLE`]).
    pub fn new(lang: Lang, wecom: bool) -> Cast {
        let who = |id: i64, code: &'static str, role: &str, name: &str| Actor {
            id,
            code,
            label: format!("{} {name}", i18n::plain(lang, role, &[])),
            wecom: WECOM_PEOPLE
                .iter()
                .find(|(c, _)| wecom && *c == code)
                .map(|(_, userid)| (*userid).to_owned()),
        };
        let resident_name = match lang {
            Lang::ZhCn => "黄阿姨",
            Lang::EnUs => "Mrs Huang",
        };
        Cast {
            deputy: who(10_001, "P01", "cli-demo-role-deputy", "张三"),
            leader: who(10_002, "P02", "cli-demo-role-leader", "李四"),
            town_clerk: who(10_003, "P03", "cli-demo-role-town-clerk", "王芳"),
            district_clerk: who(10_004, "P04", "cli-demo-role-district-clerk", "赵敏"),
            secretary: who(10_005, "P05", "cli-demo-role-secretary", "陈静"),
            chair: who(10_006, "P06", "cli-demo-role-chair", "刘强"),
            unit: who(10_007, "P07", "cli-demo-role-unit", "周涛"),
            admin: who(10_008, "P08", "cli-demo-role-admin", "孙丽"),
            resident: who(20_001, "", "cli-demo-role-resident", resident_name),
        }
    }

    pub fn people(&self) -> [&Actor; 8] {
        [
            &self.deputy,
            &self.leader,
            &self.town_clerk,
            &self.district_clerk,
            &self.secretary,
            &self.chair,
            &self.unit,
            &self.admin,
        ]
    }
}

/// What the people write, in the demo's language.
pub(super) struct Lines {
    suggestion: &'static str,
    progress: &'static str,
    reply: &'static str,
    second_reply: &'static str,
    concern: &'static str,
    resident_reply: &'static str,
    /// The titles of `--web`'s red, yellow and green suggestions.
    pub(super) board: [&'static str; 3],
}

pub(super) fn lines(lang: Lang) -> Lines {
    match lang {
        Lang::ZhCn => Lines {
            suggestion: "修复新华路人行道破损路面\n新华路 12 号至 30 号段人行道砖块松动、雨后积水，老人和孩子出行不便。建议尽快修复并加装排水。",
            progress: "已现场查看，正在编制维修方案。",
            reply: "已更换松动砖块 40 平方米。",
            second_reply: "已更换全部松动砖块并新增两处排水口，雨后复查无积水。",
            concern: "幸福小区门口的路灯坏了一个多月，晚上很黑，老人不敢出门。",
            resident_reply: "已更换幸福小区门口路灯 3 盏，并纳入每月巡查。",
            board: ["小区路灯坏了两周", "菜市场门口积水", "学校门口缺少斑马线"],
        },
        Lang::EnUs => Lines {
            suggestion: "Repair the broken pavement on Xinhua Road\nBetween No. 12 and No. 30 the pavement has loose bricks and standing water after rain; elderly people and children trip there. Please repair it and add drainage.",
            progress: "We inspected the site and are drawing up the repair plan.",
            reply: "40 square metres of loose bricks were replaced.",
            second_reply: "All loose bricks were replaced and two drains added; no standing water after the last rain.",
            concern: "The street lamp at the gate of Xingfu estate has been broken for over a month; it is dark at night and old people dare not go out.",
            resident_reply: "Three lamps at the gate of Xingfu estate were replaced and added to the monthly inspection.",
            board: [
                "Street lamps out for two weeks",
                "Water pools at the market gate",
                "No zebra crossing at the school",
            ],
        },
    }
}

/// The numbers the story produced.
pub struct Played {
    pub first: SuggestionNo,
    pub adopted: SuggestionNo,
    pub request: ResidentNo,
}

pub async fn play(stage: &mut Stage<'_>, cast: &Cast) -> anyhow::Result<Played> {
    let lines = lines(stage.lang);

    stage.heading("cli-demo-step-invites");
    // People on WeCom need no invite: the corporation's directory vouches for them.
    for person in cast.people().into_iter().filter(|p| p.wecom.is_none()) {
        let token = InviteToken::new();
        let now = SystemClock.now();
        let expires = now + chrono::Duration::days(14);
        stage
            .repo
            .create_invite(Who::System, person.code, &token.hash(), now, expires, None)
            .await
            .map_err(|e| anyhow::anyhow!("cannot invite {}: {e:?}", person.code))?;
        let payload = token.start_payload();
        let text = format!("/start {payload}");
        // The transcript shows the payload's start only: "inv_" and 8 characters.
        let shown = format!("/start {}…", &payload[..12]);
        stage.say_shown(person, person.id, &text, &shown).await?;
    }

    stage.heading("cli-demo-step-bind");
    let admin = &cast.admin;
    stage.add_bot(admin, GROUP_CHAT).await?;
    stage.say(admin, GROUP_CHAT, "/bind G01").await?;
    let adds = if cast.unit.wecom.is_some() {
        admin
    } else {
        &cast.unit
    };
    stage.add_bot(adds, UNIT_CHAT).await?;
    stage.say(admin, UNIT_CHAT, "/bind U-ROADS").await?;

    stage.heading("cli-demo-step-file");
    let suggest = format!("/suggest {}", lines.suggestion);
    stage.say(&cast.deputy, GROUP_CHAT, &suggest).await?;

    stage.heading("cli-demo-step-accept");
    let leader = &cast.leader;
    let data = stage.press(leader, leader.id, "ac:").await?;
    let first = number(&data)?;

    stage.heading("cli-demo-step-assign");
    let clerk = &cast.town_clerk;
    if clerk.wecom.is_some() {
        stage.wecom_click(clerk, &format!("pu:{first}")).await?;
        stage
            .wecom_click(clerk, &format!("as:{first}:U-ROADS"))
            .await?;
    } else {
        stage.press(clerk, clerk.id, &format!("pu:{first}")).await?;
        stage
            .press(clerk, clerk.id, &format!("as:{first}:U-ROADS"))
            .await?;
    }

    stage.heading("cli-demo-step-handle");
    let unit = &cast.unit;
    unit_writes(stage, unit, Handling::Progress, first, lines.progress).await?;
    unit_writes(stage, unit, Handling::Reply, first, lines.reply).await?;

    stage.heading("cli-demo-step-rate");
    let deputy = &cast.deputy;
    stage
        .press(deputy, deputy.id, &format!("ra:{first}:u"))
        .await?;
    unit_writes(stage, unit, Handling::Reply, first, lines.second_reply).await?;
    stage
        .press(deputy, deputy.id, &format!("ra:{first}:s"))
        .await?;

    stage.heading("cli-demo-step-resident");
    let resident = &cast.resident;
    let start = format!("/start d_{}", cast.deputy.code);
    stage.say(resident, resident.id, &start).await?;
    stage.location(resident, 39.1336, 117.2054).await?;
    stage.say(resident, resident.id, lines.concern).await?;
    stage.say(deputy, deputy.id, "/inbox").await?;
    let data = stage.press(deputy, deputy.id, "ad:").await?;
    let request = ResidentNo::parse(data.trim_start_matches("ad:"))
        .map_err(|_| anyhow::anyhow!("not a request number in {data:?}"))?;
    // The adopted request is a new suggestion: the leader reviews it like any other.
    let (_, _, data) = stage
        .button(leader.id, "ac:")
        .filter(|(_, _, d)| *d != format!("ac:{first}"))
        .ok_or_else(|| anyhow::anyhow!("the leader got no review push for the adopted request"))?;
    let adopted = number(&data)?;
    let review = format!("/review {adopted} accept district");
    stage.say(leader, leader.id, &review).await?;
    let district = &cast.district_clerk;
    let assign = format!("/assign {adopted} U-ROADS");
    stage.say(district, district.id, &assign).await?;
    unit_writes(stage, unit, Handling::Reply, adopted, lines.resident_reply).await?;
    stage
        .press(deputy, deputy.id, &format!("ra:{adopted}:s"))
        .await?;
    stage
        .press(resident, resident.id, &format!("sv:{adopted}:n"))
        .await?;

    Ok(Played {
        first,
        adopted,
        request,
    })
}

/// What the unit writes.
#[derive(Clone, Copy)]
enum Handling {
    Progress,
    Reply,
}

/// The unit's progress or reply: in the unit's group chat by command, or in WeCom from the
/// card's button and then the text.
async fn unit_writes(
    stage: &mut Stage<'_>,
    unit: &Actor,
    what: Handling,
    no: SuggestionNo,
    text: &str,
) -> anyhow::Result<()> {
    let (command, prefix) = match what {
        Handling::Progress => ("progress", "pg"),
        Handling::Reply => ("reply", "rp"),
    };
    if unit.wecom.is_some() {
        stage.wecom_click(unit, &format!("{prefix}:{no}")).await?;
        stage.wecom_say(unit, text).await
    } else {
        stage
            .say(unit, UNIT_CHAT, &format!("/{command} {no} {text}"))
            .await
    }
}

/// The suggestion number in a button's data (`ac:2026-0001`).
fn number(data: &str) -> anyhow::Result<SuggestionNo> {
    let no = data.split(':').nth(1).unwrap_or_default();
    SuggestionNo::parse(no).map_err(|_| anyhow::anyhow!("not a suggestion number in {data:?}"))
}
