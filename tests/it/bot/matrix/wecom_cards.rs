//! The matrix's oracle on WeCom's cards: every button a push carries, clicked by each member
//! the card reached, in the state whose push offers it and in the next, where it is stale.
//!
//! On WeCom a click comes only from a member the card reached, with a key the card carries:
//! WeCom signs the callback, and the sandbox refuses to send any other click. So the actors
//! here are each push's readers, found by a probe: a suggestion of each group taken to
//! "replied" with its pushes delivered, whose cards show who holds which button. (A button
//! pressed by anyone at all is the Telegram matrix's, where callback data can be forged.)
//! Everyone hears pushes on WeCom only. The unit picker's buttons are clicked on the picker a
//! clerk got by clicking Assign while the suggestion was accepted; for a stale one, the
//! county's clerk assigns the suggestion in between.
//!
//! Allowed: the step is taken (after a question, for Return, Progress and Reply), with one
//! new event and a push for someone else, and a step taken by the click marks its card done
//! for the member; Assign shows the units the clerk may assign to. Refused: the member reads
//! why, the card stays as it is, and the database reads the same.

use std::collections::BTreeSet;

use minyi::sandbox::wecom::Delivered as Message;

use super::wecom::{Before, Plan, check_handled_and_database, check_in_order, people, plan};
use super::wecom::{reads, unpaced, userid};
use super::*;
use crate::support::backends;
use crate::wecom::{Mixed, card_with, keys};

/// Steps taken with WeCom configured, so that pushes reach people's WeCom userids.
static POLICY: std::sync::LazyLock<LoopPolicy> = std::sync::LazyLock::new(|| LoopPolicy {
    wecom: true,
    ..LoopPolicy::default()
});

/// What a member should read after a click, in order.
#[derive(Debug)]
enum Heard {
    /// Why the click is refused.
    Refused(Why),
    /// The question the button asks, with the suggestion's number.
    Asked(&'static str),
    /// The step taken.
    Done,
    /// The unit picker: a card with these keys.
    Picker(Vec<String>),
}

impl Heard {
    /// The messages after a click the oracle expects to be answered so.
    fn of(combo: &Combo, expect: Expect) -> Vec<Heard> {
        match expect {
            Expect::Refused(why) => vec![Heard::Refused(why)],
            Expect::Moves(_) => vec![Heard::Done],
            Expect::Asks(_) => {
                let What::Button(btn) = combo.what else {
                    unreachable!("buttons only")
                };
                vec![Heard::Asked(btn.asks().expect("a question").0), Heard::Done]
            }
            Expect::Picks(units) => {
                let key = |unit: &str| Press::AssignTo(combo.no, unit.into()).data();
                vec![Heard::Picker(units.iter().filter_map(|u| key(u)).collect())]
            }
            Expect::Shows => unreachable!("buttons do not show"),
        }
    }

    fn answered_by(&self, combo: &Combo, message: &Message) -> bool {
        let text = reads(message);
        let no = combo.no.to_string();
        match self {
            Heard::Refused(why) => text.contains(&why.words()),
            Heard::Asked(question) => text.contains(&no) && text.contains(question),
            Heard::Done => text.contains(&no) && text.contains(combo.done_words()),
            Heard::Picker(expected) => message.card.as_ref().is_some_and(|c| keys(c) == *expected),
        }
    }
}

/// The fixture's deputy groups' names, as a push to a WeCom member names its group.
const GROUP_NAMES: [&str; 2] = ["Renmin deputies", "Dongshan deputies"];

/// Whether a message is a push rather than an answer: a push names the deputy group it is
/// about (`【name】` on a text's first line, or a card's helper line), an answer does not
/// (`src/wecom/render.rs`). Everyone reads English here, and no push is long enough to split.
fn pushed(message: &Message) -> bool {
    let desc = message
        .card
        .as_ref()
        .and_then(|card| card["main_title"]["desc"].as_str());
    GROUP_NAMES
        .iter()
        .any(|name| message.content.starts_with(&format!("【{name}】")) || desc == Some(name))
}

/// The key of a combination's button on its suggestion.
fn key(combo: &Combo) -> String {
    let What::Button(btn) = combo.what else {
        unreachable!("buttons only")
    };
    btn.press(combo.no).data().expect("fits")
}

/// Each button but the picker's, by each member holding a card with it on a probe, on that
/// probe's spot, in both of the button's states; and the picker's units by each holder of an
/// Assign card the oracle lets pick a unit.
fn combos(m: &Mixed, probes: [SuggestionNo; 2]) -> Vec<Combo> {
    let readers = || PEOPLE.iter().filter(|p| p.roster).chain([&LEADER_TWO]);
    let mut all = Vec::new();
    for btn in BUTTONS.into_iter().filter(|b| *b != Btn::AssignTo) {
        for (spot, no) in probes.iter().enumerate() {
            let key = btn.press(*no).data().expect("fits");
            for p in readers() {
                let cards = m.wecom.delivered(&userid(p));
                let holds = cards
                    .iter()
                    .filter_map(|d| d.card.as_ref())
                    .any(|card| keys(card).contains(&key));
                if !holds {
                    continue;
                }
                for state in btn.states() {
                    all.push(combo((p.tg, spot), state, What::Button(btn)));
                }
                let picks = combo((p.tg, spot), State::Accepted, What::Button(btn));
                if btn == Btn::PickUnit && matches!(picks.expect(*no), Expect::Picks(_)) {
                    for state in Btn::AssignTo.states() {
                        all.push(combo((p.tg, spot), state, What::Button(Btn::AssignTo)));
                    }
                }
            }
        }
    }
    all
}

/// Builds every combination's suggestion with its pushes delivered, so its cards reach their
/// readers; a picker's button's suggestion is built accepted, its clerk clicks Assign for the
/// picker, and a stale one is assigned after by the county's clerk. Answers the merge targets.
async fn build_with_cards(m: &Mixed, all: &mut [Combo]) -> [SuggestionNo; 2] {
    let stale: Vec<usize> = (0..all.len())
        .filter(|&i| all[i].what == What::Button(Btn::AssignTo) && all[i].state != State::Accepted)
        .collect();
    for &i in &stale {
        all[i].state = State::Accepted;
    }
    let targets = build_all(Arc::clone(&m.db.repo), &POLICY, all).await;
    m.settle().await;
    for c in all.iter().filter(|c| c.what == What::Button(Btn::AssignTo)) {
        let pick = Btn::PickUnit.press(c.no).data().expect("fits");
        let picker = m.wecom_clicks(&userid(c.who), &pick).await;
        assert!(
            picker.iter().any(|d| d
                .card
                .as_ref()
                .is_some_and(|card| keys(card).contains(&key(c)))),
            "{}: no picker with {}",
            c.title,
            key(c)
        );
    }
    for i in stale {
        let c = &mut all[i];
        let (who, request) = path(&SPOTS[c.spot], State::Assigned, targets[c.spot])
            .pop()
            .expect("the assignment");
        let at = shanghai(2026, 3, 2, 8, 30);
        match m
            .db
            .repo
            .act(&POLICY, Who::Telegram(who), c.no, request, at, None)
            .await
        {
            Ok(Applied::Done { state, .. }) => assert_eq!(state, State::Assigned, "{}", c.title),
            other => panic!("{}: the assignment gave {other:?}", c.title),
        }
        c.state = State::Assigned;
    }
    m.settle().await;
    targets
}

/// Clicks every combination's button, each member's one after another (answering a question
/// a button asks) and the members side by side; checks what each member read, the cards
/// marked done, and the database.
async fn batch(m: &Mixed, ledger: &mut Ledger, combos: &[&Combo]) {
    let before = Before::read(m, ledger).await;
    let marks_from = m.wecom.card_updates().len();
    let Plan { sent, asked, from } = plan(m, ledger, combos);
    let members = asked.iter().map(|(member, combos)| async move {
        let mut marked = BTreeSet::new();
        for (combo, expect) in combos {
            let key = key(combo);
            let task = card_with(&m.wecom.delivered(member), &key);
            let status = m.wecom.click(&m.callback, member, &task, &key).await;
            assert_eq!(status, 200, "{}", combo.title);
            match expect {
                Expect::Moves(_) => {
                    marked.insert((task, member.clone()));
                }
                Expect::Asks(_) => {
                    let What::Button(btn) = combo.what else {
                        unreachable!("buttons only")
                    };
                    let answer = btn.asks().expect("a question").1;
                    let status = m.wecom.say(&m.callback, member, answer).await;
                    assert_eq!(status, 200, "{}", combo.title);
                }
                Expect::Refused(_) | Expect::Picks(_) | Expect::Shows => {}
            }
        }
        marked
    });
    let marked: BTreeSet<(String, String)> = futures_util::future::join_all(members)
        .await
        .into_iter()
        .flatten()
        .collect();
    m.settle().await;
    for (member, expected) in &asked {
        let mut messages = m.wecom.delivered(member).split_off(from[member]);
        messages.retain(|d| !pushed(d));
        let heard: Vec<(&Combo, Heard)> = expected
            .iter()
            .flat_map(|(combo, expect)| {
                let heard = Heard::of(combo, expect.clone());
                heard.into_iter().map(move |h| (*combo, h))
            })
            .collect();
        // Every answer here is one message but the picker, whose long text may come first.
        let one = |h: &Heard| !matches!(h, Heard::Picker(_));
        let answer = |h: &Heard, combo: &Combo, d: &Message| h.answered_by(combo, d);
        check_in_order(ledger, &heard, &messages, one, answer);
    }
    // A card is marked done for its member when its click took the step, and only then.
    let marks: BTreeSet<(String, String)> = m.wecom.card_updates()[marks_from..]
        .iter()
        .flat_map(|u| u.userids.iter().map(|who| (u.task_id.clone(), who.clone())))
        .collect();
    if marks != marked {
        ledger.failures.push(format!(
            "cards marked done {marks:#?}, expected {marked:#?}"
        ));
    }
    // A step records its input's id, and only a step: a click that takes it, or a click
    // that asks and the text that answers.
    let questions = asked
        .values()
        .flatten()
        .filter(|(_, e)| matches!(e, Expect::Asks(_)))
        .count();
    check_handled_and_database(ledger, sent, before, questions).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_card_button_by_each_member_it_reached_fresh_and_stale_through_wecom() {
    let readers = PEOPLE.iter().filter(|p| p.roster).chain([&LEADER_TWO]);
    let members: Vec<String> = readers.map(userid).collect();
    for db in backends().await {
        let backend = db.name;
        let started = Instant::now();
        let m = Mixed::start_with(db, &people(), unpaced(&members)).await;
        m.db.exec("UPDATE people SET channel = 'wecom'")
            .await
            .unwrap();
        // Each member's account row, as a language chosen makes it: before the first dump.
        for member in &members {
            m.wecom_says(member, "/lang en").await;
        }
        let mut probes = [SuggestionNo::new(0, 0); 2];
        for (i, spot) in SPOTS.iter().enumerate() {
            let title = format!("Probe of {}", spot.group);
            let repo = &*m.db.repo;
            probes[i] = build(repo, &POLICY, spot, State::Replied, &title, probes[i]).await;
        }
        m.settle().await;
        let mut all = combos(&m, probes);
        let targets = build_with_cards(&m, &mut all).await;
        let built = started.elapsed();
        let mut ledger = Ledger::new(&m.db, targets).await;
        batch(&m, &mut ledger, &all.iter().collect::<Vec<_>>()).await;
        let clicked = started.elapsed() - built;
        let what = "permission matrix on WeCom's cards";
        let (allowed, refused, failures) = ledger.end(what, backend).await;
        println!(
            "  built in {:.1} s, clicks {:.1} s",
            built.as_secs_f64(),
            clicked.as_secs_f64()
        );
        m.finish().await;
        assert_agrees(&failures, backend);
        // A co-unit's card asks for progress only: UB holds G1's Progress card, not its Reply.
        let ub_holds = |btn| {
            all.iter()
                .any(|c| c.who.code == "UB" && c.spot == G1 && c.what == What::Button(btn))
        };
        assert!(ub_holds(Btn::Progress) && !ub_holds(Btn::Reply));
        // Every button has a reader in each group, and the stale state of each refuses it.
        for btn in BUTTONS {
            for spot in [G1, G2] {
                let of = |c: &&Combo| c.what == What::Button(btn) && c.spot == spot;
                assert!(all.iter().any(|c| of(&c)), "{btn:?} on {spot}");
            }
        }
        // Counted by hand from who the pushes reach: Accept and Return by L1 and L2; Assign and
        // a unit of the picker by K1 on G1's, KC on G2's; Progress by UA and UB on G1's (UB a
        // co-unit), UB on G2's; Reply by UA on G1's and UB on G2's (a co-unit's card has no
        // Reply: only the lead unit replies); the rating by D1 and D3. Each in two states, 30;
        // allowed only where the button is offered, 15.
        assert_eq!((allowed, refused), (15, 15));
        assert_eq!(allowed + refused, all.len());
    }
}
