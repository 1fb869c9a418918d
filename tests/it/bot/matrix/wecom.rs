//! The matrix's oracle through the WeCom app's callback: every step command (and `/show`)
//! by every actor, in and out of scope, in the states that let each command meet one it may
//! start from and one it may not. Everyone on the roster is a WeCom member too (userid: the
//! roster code in lower case) and hears pushes on Telegram only, so what a member reads on
//! WeCom is the answers to what they wrote, in order. The resident is a WeCom member the
//! roster does not know.
//!
//! Allowed: the suggestion moves to the state the step leads to, with one new event and a
//! push for someone else. Refused: the member reads why, and the database reads the same.

use std::collections::BTreeSet;

use minyi::config::Config;
use minyi::i18n;
use minyi::sandbox::wecom::{self as wecom_sandbox, WeComOptions};

use super::*;
use crate::support::backends;
use crate::wecom::Mixed;

/// The states each command is asked in: together, for each step, one it may start from and
/// one it may not (checked below).
const STATES: [State; 6] = [
    State::Submitted,
    State::Returned,
    State::Accepted,
    State::Assigned,
    State::Replied,
    State::Explaining,
];

/// A person's WeCom userid.
pub(super) fn userid(p: &Person) -> String {
    p.code.to_lowercase()
}

/// The fixture's people, L2 and all, reading English, with their Telegram ids and a userid.
pub(super) fn people() -> String {
    let roles = |p: &Person| {
        let roles: BTreeSet<&str> = p.grants.iter().map(|(r, _)| r.as_str()).collect();
        roles.into_iter().collect::<Vec<_>>().join(";")
    };
    let mut csv = String::from("code,name,roles,scope,telegram_id,lang,wecom_userid\n");
    for p in PEOPLE.iter().filter(|p| p.roster).chain([&LEADER_TWO]) {
        let scope = p.grants[0].1;
        let (code, tg, id) = (p.code, p.tg, userid(p));
        csv.push_str(&format!(
            "{code},Person {code},{},{scope},{tg},en-US,{id}\n",
            roles(p)
        ));
    }
    csv
}

/// What a member reads in one delivered message: a text, or a card's title and text.
pub(super) fn reads(d: &wecom_sandbox::Delivered) -> String {
    match &d.card {
        Some(card) => plain(&format!(
            "{}\n{}",
            card["main_title"]["title"].as_str().unwrap_or_default(),
            card["sub_title_text"].as_str().unwrap_or_default()
        )),
        None => plain(&d.content),
    }
}

/// Whether a message is (part of) the expected answer.
fn answers(expect: &Expect, combo: &Combo, text: &str) -> bool {
    let no = combo.no.to_string();
    match expect {
        // WeCom says so in its own words, in the default language (no account to choose).
        Expect::Refused(Why::NotOnRoster) => {
            let words = i18n::plain(
                Config::default().default_lang,
                "wecom-not-on-roster",
                &[("userid", userid(combo.who))],
            );
            text.contains(&plain(&words))
        }
        Expect::Refused(why) => text.contains(&why.words()),
        Expect::Shows => text.contains(&no) && text.contains(&combo.title),
        _ => text.contains(&no) && text.contains(combo.done_words()),
    }
}

/// Each member's answers, in order: a refusal is one message; a step's answer or a
/// suggestion shown may be several (a text too long for a card goes first as text), taken
/// up to the first that answers the next command.
fn check_answers(
    ledger: &mut Ledger,
    expected: &[(&Combo, Expect)],
    messages: &[wecom_sandbox::Delivered],
) {
    let one = |expect: &Expect| matches!(expect, Expect::Refused(_));
    let answer = |expect: &Expect, combo: &Combo, d: &wecom_sandbox::Delivered| {
        answers(expect, combo, &reads(d))
    };
    check_in_order(ledger, expected, messages, one, answer);
}

/// A member's messages against what they should read, in order: an item `one` says is a
/// single message takes one; any other may take several, up to the first that answers the
/// next item.
pub(super) fn check_in_order<T: std::fmt::Debug>(
    ledger: &mut Ledger,
    expected: &[(&Combo, T)],
    messages: &[wecom_sandbox::Delivered],
    one: impl Fn(&T) -> bool,
    answer: impl Fn(&T, &Combo, &wecom_sandbox::Delivered) -> bool,
) {
    let mut i = 0;
    for (k, (combo, expect)) in expected.iter().enumerate() {
        let Some(first) = messages.get(i) else {
            ledger.fail(combo, format!("no answer; expected {expect:?}"));
            return;
        };
        let mut end = i + 1;
        if !one(expect) {
            let next = expected.get(k + 1);
            while end < messages.len() && !next.is_some_and(|(c, e)| answer(e, c, &messages[end])) {
                end += 1;
            }
        }
        if !messages[i..end].iter().any(|d| answer(expect, combo, d)) {
            let first = reads(first);
            ledger.fail(combo, format!("expected {expect:?}, answered {first:?}"));
        }
        i = end;
    }
    if i < messages.len() {
        let (combo, _) = expected.last().expect("something was asked");
        let more: Vec<String> = messages[i..].iter().map(reads).collect();
        ledger.fail(combo, format!("more answers than asked: {more:#?}"));
    }
}

/// The ids of the WeCom inputs recorded as handled.
pub(super) async fn handled(ledger: &Ledger) -> HashSet<i64> {
    let sql = "SELECT CAST(update_id AS BIGINT), CAST(NULL AS BIGINT), CAST('' AS TEXT) \
               FROM handled_updates WHERE update_id < 0";
    let rows = ledger.dumper.pool.rows(sql).await;
    rows.into_iter().filter_map(|(id, _, _)| id).collect()
}

/// Sends a batch, each member's commands one after another and the members side by side,
/// and checks the answers and the database.
async fn batch(m: &Mixed, ledger: &mut Ledger, combos: &[&Combo]) {
    let before = Before::read(m, ledger).await;
    let Plan { sent, asked, from } = plan(m, ledger, combos);
    let targets = ledger.targets;
    let members = asked.iter().map(|(member, combos)| async move {
        for (combo, _) in combos {
            let What::Command(cmd) = combo.what else {
                unreachable!("commands only")
            };
            let text = cmd.text(combo.no, targets[combo.spot]);
            let status = m.wecom.say(&m.callback, member, &text).await;
            assert_eq!(status, 200, "{text}");
        }
    });
    futures_util::future::join_all(members).await;
    m.settle().await;
    for (member, expected) in &asked {
        let messages = m.wecom.delivered(member).split_off(from[member]);
        check_answers(ledger, expected, &messages);
    }
    // A step records its input's id, and only a step.
    check_handled_and_database(ledger, sent, before, 0).await;
}

/// What the database held before a batch, for [`check_handled_and_database`].
pub(super) struct Before {
    events: HashMap<i64, i64>,
    last_push: i64,
    handled: HashSet<i64>,
}

impl Before {
    pub(super) async fn read(m: &Mixed, ledger: &Ledger) -> Before {
        let sql = "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM outbox";
        Before {
            events: ledger.dumper.events().await,
            last_push: m.db.count(sql).await,
            handled: handled(ledger).await,
        }
    }
}

/// A batch counted and planned: the steps it should take, each member's combinations in
/// order with what should come of each, and how many messages each member had before.
pub(super) struct Plan<'c> {
    pub sent: Sent<'c>,
    pub asked: BTreeMap<String, Vec<(&'c Combo, Expect)>>,
    pub from: HashMap<String, usize>,
}

pub(super) fn plan<'c>(m: &Mixed, ledger: &mut Ledger, combos: &[&'c Combo]) -> Plan<'c> {
    let mut sent = Sent::default();
    let mut asked: BTreeMap<String, Vec<(&Combo, Expect)>> = BTreeMap::new();
    for &combo in combos {
        let expect = ledger.count(combo);
        if let Expect::Moves(to) | Expect::Asks(to) = expect {
            sent.moved.push((combo, to));
        }
        asked
            .entry(userid(combo.who))
            .or_default()
            .push((combo, expect));
    }
    let from = asked
        .keys()
        .map(|u| (u.clone(), m.wecom.delivered(u).len()))
        .collect();
    Plan { sent, asked, from }
}

/// The inputs recorded as handled since `before`: one a step taken, and `questions` more
/// (a click that asks records itself as well as the answer that takes the step). Then the
/// moved suggestions and every other row, as the ledger checks them.
pub(super) async fn check_handled_and_database(
    ledger: &mut Ledger,
    mut sent: Sent<'_>,
    before: Before,
    questions: usize,
) {
    let new: HashSet<i64> = handled(ledger)
        .await
        .difference(&before.handled)
        .copied()
        .collect();
    if new.len() != sent.moved.len() + questions {
        ledger.failures.push(format!(
            "{} inputs recorded as handled, {} steps taken, {questions} of them after a question",
            new.len(),
            sent.moved.len()
        ));
    }
    sent.updates = new;
    let outbox = ledger.dumper.outbox_after(before.last_push).await;
    ledger.check_database(&sent, &before.events, &outbox).await;
}

/// A WeCom whose members are `members`, sending them far more than WeCom's 30 messages a
/// minute: its limits are not under test in the matrices.
pub(super) fn unpaced(members: &[String]) -> WeComOptions {
    WeComOptions {
        members: members.to_vec(),
        per_member_per_minute: 100_000,
        per_member_per_hour: 100_000,
        ..WeComOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_step_command_by_every_role_in_and_out_of_scope_through_wecom() {
    // Each step meets a state it may start from and one it may not.
    for cmd in COMMANDS {
        if let Some(action) = cmd.action(SuggestionNo::new(0, 0)) {
            let starts = action.start_states();
            assert!(STATES.iter().any(|s| starts.contains(s)), "{cmd:?}");
            assert!(STATES.iter().any(|s| !starts.contains(s)), "{cmd:?}");
        }
    }
    let members: Vec<String> = PEOPLE.iter().map(userid).collect();
    for db in backends().await {
        let backend = db.name;
        let started = Instant::now();
        let mut m = Mixed::start_with(db, &people(), unpaced(&members)).await;
        // Pushes go to Telegram, so a member's WeCom chat holds only the answers.
        m.db.exec("UPDATE people SET channel = 'telegram'")
            .await
            .unwrap();
        // Each member's first input makes their WeCom account: before the first dump.
        for member in &members {
            m.wecom_says(member, "/help").await;
        }
        let mut all = Vec::new();
        for state in STATES {
            for actor in ACTORS {
                for cmd in COMMANDS {
                    all.push(combo(actor, state, What::Command(cmd)));
                }
            }
        }
        // Built with the service stopped; their pushes are not under test: dropped.
        m.stop_service().await;
        let policy = LoopPolicy::default();
        let targets = build_all(Arc::clone(&m.db.repo), &policy, &mut all).await;
        m.db.exec("DELETE FROM outbox").await.unwrap();
        m.start_service().await;
        m.settle().await;
        let built = started.elapsed();
        let mut ledger = Ledger::new(&m.db, targets).await;
        for state in STATES {
            let combos: Vec<&Combo> = all.iter().filter(|c| c.state == state).collect();
            batch(&m, &mut ledger, &combos).await;
        }
        let asked = started.elapsed() - built;
        let what = "permission matrix through WeCom";
        let (allowed, refused, failures) = ledger.end(what, backend).await;
        println!(
            "  built in {:.1} s, commands {:.1} s",
            built.as_secs_f64(),
            asked.as_secs_f64()
        );
        m.finish().await;
        assert_agrees(&failures, backend);
        assert_eq!(allowed + refused, 17 * 15 * STATES.len());
        // Counted by hand: /show by the 7 who see a suggestion before its assignment in 3
        // states and by 9 after it in 3; 36 steps (submitted 3, returned 2, accepted 13,
        // assigned 8, replied 4, explaining 6), as in the whole matrix.
        assert_eq!(allowed, 7 * 3 + 9 * 3 + 36);
    }
}
