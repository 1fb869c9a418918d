//! The year's view in chat (issue 16): the committee's vote on a key suggestion across the
//! year end, reception days attended, reports to voters and the deputy's performance file,
//! with every refusal changing nothing.

use minyi::clock::Clock;
use minyi::domain::Rules;
use minyi::reports::daily;

use super::*;
use crate::support::shanghai;

/// The town's unit (Street Office, T1), which the town's clerk may assign to.
const UNIT3: i64 = 1012;

async fn english(live: &Live, people: &[i64]) {
    for p in people {
        live.say(*p, "/lang en").await;
    }
}

/// Rows of the tables the year's commands write, for "nothing changed".
async fn written(live: &Live) -> (i64, i64, i64, i64) {
    (
        live.db.count("SELECT COUNT(*) FROM events").await,
        live.db.count("SELECT COUNT(*) FROM outbox").await,
        live.db.count("SELECT COUNT(*) FROM receptions").await,
        live.db.count("SELECT COUNT(*) FROM voter_reports").await,
    )
}

/// `who` says `text` and is answered with `expected`, and nothing is written.
async fn refused(live: &Live, who: i64, text: &str, expected: &str) {
    let before = written(live).await;
    let step = live.say(who, text).await;
    let answer = step.text_to(who);
    assert!(answer.contains(expected), "{text}: {answer}");
    assert_eq!(written(live).await, before, "{text} changed something");
}

crate::live_test!(
    a_key_suggestion_closes_only_when_the_committees_vote_passes,
    |live| {
        english(&live, &[DEPUTY, LEADER, CLERK, CHAIR, UNIT3]).await;
        let step = live
            .say(
                DEPUTY,
                "/suggest Flood drains\nThe market floods every summer.",
            )
            .await;
        let no = step.number_to(DEPUTY, "2026-");
        live.say(LEADER, &format!("/review {no} accept")).await;
        live.say(CLERK, &format!("/assign {no} U3")).await;
        // Not key yet: the committee does not vote on it.
        refused(
            &live,
            CHAIR,
            &format!("/vote {no} pass"),
            "Only a key suggestion",
        )
        .await;
        live.say(CHAIR, &format!("/key {no}")).await;
        live.say(UNIT3, &format!("/reply {no} New drains are laid."))
            .await;
        // The deputy is satisfied, but a key suggestion waits for the committee.
        let step = live.say(DEPUTY, &format!("/rate {no} satisfied")).await;
        assert!(
            step.text_to(CHAIR).contains("waits for /vote"),
            "{}",
            step.text_to(CHAIR)
        );
        assert_eq!(live.state_of(&no).await, "replied");
        refused(
            &live,
            DEPUTY,
            &format!("/rate {no} basic"),
            "waits for the standing committee's vote",
        )
        .await;
        // Only a chair records the vote; the arguments are checked.
        refused(
            &live,
            CLERK,
            &format!("/vote {no} fail"),
            "not something your role does",
        )
        .await;
        refused(
            &live,
            DEPUTY,
            &format!("/vote {no} pass"),
            "not something your role does",
        )
        .await;
        refused(
            &live,
            CHAIR,
            &format!("/vote {no} perhaps"),
            "Please write it like this: /vote",
        )
        .await;
        refused(
            &live,
            CHAIR,
            &format!("/vote {no} pass 2099-01-01"),
            "has not come yet",
        )
        .await;
        let shown = live
            .say(DEPUTY, &format!("/show {no}"))
            .await
            .text_to(DEPUTY);
        assert!(
            shown.contains("Waiting for the standing committee's vote"),
            "{shown}"
        );

        // January: the committee's vote fails; the item is carried into 2027 with its number.
        live.clock.set(shanghai(2027, 1, 15, 10, 0));
        let step = live
            .say(
                CHAIR,
                &format!("/vote {no} fail 2027-01-14 Drains still block"),
            )
            .await;
        assert!(
            step.text_to(CHAIR).contains("failed"),
            "{}",
            step.text_to(CHAIR)
        );
        assert_eq!(live.state_of(&no).await, "assigned");
        for (who, words) in [
            (UNIT3, "did not pass. Please handle it on"),
            (CLERK, "did not pass"),
            (DEPUTY, "did not pass"),
        ] {
            let text = step.text_to(who);
            assert!(
                text.contains(words) && text.contains("2027-01-14"),
                "{who}: {text}"
            );
        }
        live.say(UNIT3, &format!("/reply {no} The drains are cleared."))
            .await;
        live.say(DEPUTY, &format!("/rate {no} satisfied")).await;
        let step = live.say(CHAIR, &format!("/vote {no} pass")).await;
        assert!(
            step.text_to(CHAIR).contains("passed"),
            "{}",
            step.text_to(CHAIR)
        );
        assert!(
            step.text_to(DEPUTY).contains("passed"),
            "{}",
            step.text_to(DEPUTY)
        );
        assert!(
            step.text_to(UNIT3).contains("passed"),
            "{}",
            step.text_to(UNIT3)
        );
        assert_eq!(live.state_of(&no).await, "closed");
        // Two votes on the record, in order, with the meetings' dates.
        let no = minyi::domain::SuggestionNo::parse(&no).unwrap();
        let rules = Rules::default();
        let year = |y| {
            (
                rules.start_of_day(chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap()),
                rules.start_of_day(chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1).unwrap()),
            )
        };
        let (from, to) = year(2027);
        let keys = live.db.repo.key_report(None, from, to).await.unwrap();
        assert_eq!(keys.len(), 1, "{keys:?}");
        let k = &keys[0];
        assert!(k.carried && k.no == no, "{k:?}");
        let votes: Vec<(String, minyi::domain::VoteResult, &str)> = k
            .votes
            .iter()
            .map(|v| (v.on.to_string(), v.result, v.note.as_str()))
            .collect();
        use minyi::domain::VoteResult::{Fail, Pass};
        assert_eq!(
            votes,
            [
                ("2027-01-14".to_string(), Fail, "Drains still block"),
                ("2027-01-15".to_string(), Pass, ""),
            ]
        );
        assert_eq!(
            live.db
                .count("SELECT COUNT(*) FROM suggestions WHERE outcome = 'passed'")
                .await,
            1
        );
        // In 2026 it was filed, not carried; the monthly statistics of January 2027 say it was
        // carried over, and that it is no longer open.
        let (from, to) = year(2026);
        let keys = live.db.repo.key_report(Some("T1"), from, to).await.unwrap();
        assert!(keys.len() == 1 && !keys[0].carried, "{keys:?}");
        let (from, to) = minyi::reports::month_period(rules.tz, (2027, 1));
        let stats = live
            .db
            .repo
            .monthly_stats(Some("T1"), from, to, live.clock.now())
            .await
            .unwrap();
        assert_eq!(
            (stats.key.filed, stats.key.carried, stats.key.carried_open),
            (0, 1, 0)
        );
        // Another town's chair may not vote on it.
        let other = live.db.repo.key_report(Some("T2"), from, to).await.unwrap();
        assert!(other.is_empty());
    }
);

crate::live_test!(
    reception_attendance_is_once_a_day_and_only_on_reception_days,
    |live| {
        english(&live, &[DEPUTY, DEPUTY2, LEADER, CLERK, OTHER_DEPUTY]).await;
        // 2 March is no reception day (the default ones are the 1st and the 20th).
        refused(&live, DEPUTY, "/received 5", "is not a reception day").await;
        live.clock.set(shanghai(2026, 3, 20, 10, 0));
        let step = live.say(DEPUTY, "/received 5 rain, few came").await;
        assert!(
            step.text_to(DEPUTY)
                .contains("attended the reception day 2026-03-20"),
            "{}",
            step.text_to(DEPUTY)
        );
        refused(&live, DEPUTY, "/received 3", "already recorded").await;
        live.say(DEPUTY2, "/received").await;
        // A deputy records only their own; a clerk records a past reception day for a deputy
        // of their org, never a day ahead or another town's deputy.
        refused(
            &live,
            DEPUTY,
            "/received L1 2026-03-20 2",
            "only within your own scope",
        )
        .await;
        refused(&live, CLERK, "/received D2 2026-03-20", "already recorded").await;
        refused(
            &live,
            CLERK,
            "/received L1 2026-03-02",
            "is not a reception day",
        )
        .await;
        refused(&live, CLERK, "/received L1 2026-04-01", "has not come yet").await;
        refused(
            &live,
            CLERK,
            "/received D3 2026-03-20",
            "only within your own scope",
        )
        .await;
        refused(
            &live,
            CLERK,
            "/received ZZ 2026-03-20",
            "no deputy with the code",
        )
        .await;
        refused(
            &live,
            CLERK,
            "/received K1 2026-03-20",
            "no deputy with the code",
        )
        .await;
        refused(&live, DEPUTY, "/received -2", "/received").await;
        let step = live.say(CLERK, "/received L1 2026-03-01 2").await;
        assert!(
            step.text_to(CLERK).contains("Leader One attended"),
            "{}",
            step.text_to(CLERK)
        );
        assert_eq!(live.db.count("SELECT COUNT(*) FROM receptions").await, 3);
        // The next morning's daily report says who attended the 20th.
        let rules = Rules::default();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 20).unwrap();
        let report = daily::gather(
            live.db.repo.as_ref(),
            &rules,
            &[1, 20],
            day,
            live.clock.now(),
        )
        .await
        .unwrap();
        let g1 = report.group("G1").expect("G1");
        let body = daily::group_body(minyi::i18n::Lang::EnUs, &rules, g1);
        assert!(
            body.contains(
                "Reception day: 2 of 3 deputies attended: Deputy One (5 residents), Deputy Two"
            ) && body.contains("Not recorded: Leader One"),
            "{body}"
        );
        let next = day + chrono::Days::new(1);
        let quiet = daily::gather(
            live.db.repo.as_ref(),
            &rules,
            &[1, 20],
            next,
            live.clock.now(),
        )
        .await
        .unwrap();
        assert!(quiet.group("G1").unwrap().reception.is_none());
    }
);

crate::live_test!(
    the_performance_file_counts_the_year_and_only_those_above_may_read_it,
    |live| {
        english(
            &live,
            &[
                DEPUTY,
                DEPUTY2,
                LEADER,
                CLERK,
                COUNTY_CLERK,
                CHAIR,
                SECRETARY,
                UNIT,
                UNIT3,
                OTHER_DEPUTY,
            ],
        )
        .await;
        // D1's year: three suggestions (one returned and resubmitted, one assigned and replied on
        // time and rated satisfied, one key), two reception days, one report to voters.
        let first = live
            .say(DEPUTY, "/suggest Bus shelter\nBroken glass.")
            .await
            .number_to(DEPUTY, "2026-");
        live.say(
            LEADER,
            &format!("/review {first} return Add the stop's name"),
        )
        .await;
        live.say(
            DEPUTY,
            &format!("/edit {first} Bus shelter at Renmin Rd\nBroken glass."),
        )
        .await;
        live.say(LEADER, &format!("/review {first} accept")).await;
        let second = live
            .say(DEPUTY, "/suggest Street lights\nHalf are out.")
            .await
            .number_to(DEPUTY, "2026-");
        live.say(LEADER, &format!("/review {second} accept")).await;
        live.say(CLERK, &format!("/assign {second} U3")).await;
        live.say(UNIT3, &format!("/reply {second} Fixed.")).await;
        live.say(DEPUTY, &format!("/rate {second} satisfied")).await;
        let third = live
            .say(DEPUTY, "/suggest Market drains\nFloods.")
            .await
            .number_to(DEPUTY, "2026-");
        live.say(LEADER, &format!("/review {third} accept")).await;
        live.say(CHAIR, &format!("/key {third}")).await;
        // D2 files one, not D1's.
        live.say(DEPUTY2, "/suggest Park benches\nToo few.").await;
        live.clock.set(shanghai(2026, 3, 20, 10, 0));
        live.say(DEPUTY, "/received 6").await;
        live.say(CLERK, "/received D1 2026-03-01 4").await;
        live.say(
            CLERK,
            "/voters D1 2026-03-10 85 Renmin community hall | satisfied 92%",
        )
        .await;
        // Refusals: the role, the scope, a day ahead, a missing place.
        refused(
            &live,
            DEPUTY,
            "/voters D1 2026-03-10 85 Hall",
            "not something your role does",
        )
        .await;
        refused(
            &live,
            CLERK,
            "/voters D3 2026-03-10 85 Hall",
            "only within your own scope",
        )
        .await;
        refused(
            &live,
            CLERK,
            "/voters D1 2026-12-10 85 Hall",
            "has not come yet",
        )
        .await;
        refused(
            &live,
            CLERK,
            "/voters D1 2026-03-10 85",
            "Please write it like this: /voters",
        )
        .await;

        let step = live.say(DEPUTY, "/record").await;
        let file = step.text_to(DEPUTY);
        for line in [
            "Performance file of Deputy One (D1), 2026",
            "Suggestions filed: 3",
            "Returned for revision: 1 · accepted: 3 · assigned: 1",
            "Replied: 1 (on time: 1) · closed: 1",
            "Ratings given: satisfied 1, basic 0, unsatisfied 0",
            "Key suggestions: 1",
            "Reception days attended: 2 (residents received: 10)",
            "Reports to voters: 1",
            "report to voters 2026-03-10, Renmin community hall, 85 voters satisfied 92%",
        ] {
            assert!(file.contains(line), "{line:?} not in {file}");
        }
        // Another year is empty; another deputy's file is not a deputy's to read.
        let step = live.say(DEPUTY, "/record 2025").await;
        assert!(
            step.text_to(DEPUTY).contains("Suggestions filed: 0"),
            "{}",
            step.text_to(DEPUTY)
        );
        refused(&live, DEPUTY, "/record D2", "only within your own scope").await;
        refused(
            &live,
            OTHER_DEPUTY,
            "/record D1",
            "only within your own scope",
        )
        .await;
        refused(
            &live,
            SECRETARY,
            "/record D1",
            "not something your role does",
        )
        .await;
        refused(&live, UNIT, "/record D1", "not something your role does").await;
        refused(
            &live,
            CLERK,
            "/record",
            "Please write it like this: /record",
        )
        .await;
        refused(
            &live,
            CLERK,
            "/record D1 D2",
            "/record [deputy code] [year]",
        )
        .await;
        // The town's clerk and chair, and the county's clerk, read it.
        for who in [CLERK, CHAIR, COUNTY_CLERK] {
            let step = live.say(who, "/record D1 2026").await;
            assert!(
                step.text_to(who).contains("Suggestions filed: 3"),
                "{who}: {}",
                step.text_to(who)
            );
        }
        let step = live.say(COUNTY_CLERK, "/record D2").await;
        assert!(
            step.text_to(COUNTY_CLERK).contains("Suggestions filed: 1"),
            "{}",
            step.text_to(COUNTY_CLERK)
        );
    }
);
