//! Invites and chat bindings on both backends: who may issue or bind, one use per invite.

use chrono::Duration;
use minyi::domain::Refusal;
use minyi::storage::{ActError, BindTarget, InviteError, Who};

use crate::support::{ADMIN, backends, roster, shanghai};

const DEPUTY: Who = Who::Telegram(1001);
const TOWN_CLERK: Who = Who::Telegram(1004);
const COUNTY_CLERK: Who = Who::Telegram(1005);

#[tokio::test]
async fn an_invite_binds_once_and_only_within_the_issuers_scope() {
    for db in backends().await {
        roster(&db).await;
        let t = shanghai(2026, 1, 5, 9, 0);
        let week = t + Duration::days(7);
        // D3 is a deputy of G2, in town T2: the county clerk may invite them, T1's clerk and a
        // deputy may not.
        // The first reason that applies is said: the deputy's role, the clerk's scope.
        for (who, invitee, role_refused) in [
            (DEPUTY, "D3", true),
            (DEPUTY, "D1", true),
            (TOWN_CLERK, "D3", false),
        ] {
            let got = db
                .repo
                .create_invite(who, invitee, "h0", t, week, None)
                .await;
            let reason_right = match got {
                Err(InviteError::NotYourRole) => role_refused,
                Err(InviteError::OutOfScope) => !role_refused,
                _ => false,
            };
            assert!(reason_right, "{}: {who:?} {invitee}: {got:?}", db.name);
        }
        let name = db
            .repo
            .create_invite(COUNTY_CLERK, "D3", "h1", t, week, None)
            .await
            .unwrap();
        assert_eq!(name, "Deputy Three");
        let unknown = db
            .repo
            .create_invite(Who::System, "NOBODY", "h2", t, week, None)
            .await;
        assert!(
            matches!(unknown, Err(InviteError::UnknownPerson(_))),
            "{unknown:?}"
        );

        // A newer invite replaces the unused older one.
        db.repo
            .create_invite(Who::System, "D3", "h3", t, week, None)
            .await
            .unwrap();
        let replaced = db.repo.redeem_invite("h1", 555, t).await;
        assert!(
            matches!(replaced, Err(InviteError::Invalid)),
            "{}: {replaced:?}",
            db.name
        );

        // An account bound to someone else cannot take the invite (and it stays unused).
        let taken = db.repo.redeem_invite("h3", 1001, t).await;
        assert!(matches!(taken, Err(InviteError::AccountTaken)), "{taken:?}");
        let person = db.repo.redeem_invite("h3", 555, t).await.unwrap();
        let again = db.repo.redeem_invite("h3", 556, t).await;
        assert!(matches!(again, Err(InviteError::Invalid)), "{again:?}");
        // The account that redeemed it may open it again (a second tap, or the update
        // delivered again after a restart): answered as the first time, nothing changes.
        let twice = db
            .repo
            .redeem_invite("h3", 555, t + Duration::hours(1))
            .await;
        assert_eq!(twice.unwrap(), person, "{}", db.name);

        // The same /invite update delivered twice makes one link; the first stays valid.
        let first = db
            .repo
            .create_invite(COUNTY_CLERK, "D2", "h5", t, week, Some(77))
            .await;
        assert!(first.is_ok(), "{first:?}");
        let repeated = db
            .repo
            .create_invite(COUNTY_CLERK, "D2", "h6", t, week, Some(77))
            .await;
        assert!(
            matches!(repeated, Err(InviteError::Repeated)),
            "{repeated:?}"
        );
        assert_eq!(
            db.count("SELECT COUNT(*) FROM invites WHERE token_hash = 'h6'")
                .await,
            0
        );
        let d2 = db.repo.redeem_invite("h5", 602, t).await;
        assert!(d2.is_ok(), "{}: {d2:?}", db.name);
        assert_eq!(
            db.count("SELECT COUNT(*) FROM people WHERE telegram_id = 555")
                .await,
            1
        );
        let found = db
            .count(&format!(
                "SELECT COUNT(*) FROM people WHERE id = {} AND telegram_id = 555",
                person.0
            ))
            .await;
        assert_eq!(found, 1);

        // Expired.
        db.repo
            .create_invite(Who::System, "D2", "h4", t, week, None)
            .await
            .unwrap();
        let late = db
            .repo
            .redeem_invite("h4", 777, week + Duration::seconds(1))
            .await;
        assert!(matches!(late, Err(InviteError::Invalid)), "{late:?}");
        db.finish().await;
    }
}

#[tokio::test]
async fn concurrent_redemptions_of_one_invite_bind_one_account() {
    for db in backends().await {
        roster(&db).await;
        let t = shanghai(2026, 1, 5, 9, 0);
        db.repo
            .create_invite(Who::System, "D2", "race", t, t + Duration::days(1), None)
            .await
            .unwrap();
        let tasks: Vec<_> = (0..10)
            .map(|i| {
                let repo = db.repo.clone();
                tokio::spawn(async move { repo.redeem_invite("race", 9000 + i, t).await })
            })
            .collect();
        let mut won = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => won += 1,
                Err(InviteError::Invalid) => {}
                Err(e) => panic!("{}: {e:?}", db.name),
            }
        }
        assert_eq!(won, 1, "{}", db.name);
        assert_eq!(
            db.count("SELECT COUNT(*) FROM people WHERE telegram_id >= 9000")
                .await,
            1
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn only_admins_and_clerks_above_a_scope_bind_its_chats() {
    for db in backends().await {
        roster(&db).await;
        let t = shanghai(2026, 1, 5, 9, 0);
        let deputy = db
            .repo
            .bind_chat(DEPUTY, -300, BindTarget::Group("G1".into()), t)
            .await;
        assert!(
            matches!(deputy, Err(ActError::Refused(Refusal::NotYourRole))),
            "{deputy:?}"
        );
        let other_town = db
            .repo
            .bind_chat(TOWN_CLERK, -300, BindTarget::Group("G2".into()), t)
            .await;
        assert!(
            matches!(other_town, Err(ActError::Refused(Refusal::OutOfScope))),
            "{other_town:?}"
        );
        let unknown = db
            .repo
            .bind_chat(ADMIN, -300, BindTarget::Unit("NOPE".into()), t)
            .await;
        assert!(matches!(unknown, Err(ActError::UnknownCode(code)) if code == "NOPE"));
        db.repo
            .bind_chat(TOWN_CLERK, -300, BindTarget::Group("G1".into()), t)
            .await
            .unwrap();
        // Binding again moves the chat: a chat is bound to one scope.
        db.repo
            .bind_chat(Who::System, -400, BindTarget::Org("T1".into()), t)
            .await
            .unwrap();
        let moved = "SELECT COUNT(*) FROM chat_bindings b JOIN orgs o ON o.id = b.org_id \
                     WHERE b.chat_id = -400 AND o.code = 'T1'";
        assert_eq!(db.count(moved).await, 1, "{}", db.name);
        assert_eq!(db.count("SELECT COUNT(*) FROM chat_bindings").await, 4);
        let stranger = db
            .repo
            .bind_chat(
                Who::Person(minyi::domain::PersonId(4242)),
                -500,
                BindTarget::Org("C".into()),
                t,
            )
            .await;
        assert!(
            matches!(stranger, Err(ActError::UnknownPerson)),
            "{stranger:?}"
        );
        db.finish().await;
    }
}
