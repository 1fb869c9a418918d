//! The board's sign-in as stored (issue 14): one-time links and sessions, on both backends.

use chrono::Duration;
use minyi::storage::{ActError, NewSession, SignInError, WebSecret};

use crate::support::people::tg;
use crate::support::{backends, roster, shanghai};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_link_works_once_and_until_it_expires_and_a_session_until_it_ends() {
    for db in backends().await {
        let name = db.name;
        roster(&db).await;
        let now = shanghai(2026, 3, 2, 9, 0);
        let link = WebSecret::new();
        let clerk = db
            .repo
            .create_web_link(tg(4), &link.hash(), now, now + Duration::minutes(10))
            .await
            .unwrap();
        // A resident has nothing to sign in to.
        let resident = minyi::storage::Who::Telegram(5555);
        let refused = db
            .repo
            .create_web_link(resident, &WebSecret::new().hash(), now, now)
            .await;
        assert!(matches!(refused, Err(ActError::UnknownPerson)), "{name}");

        // Signed in: the session knows the person and its form token.
        let session = NewSession {
            id: WebSecret::new(),
            csrf: "csrf-1".into(),
            expires_at: now + Duration::hours(12),
        };
        let at = now + Duration::minutes(9);
        let person = db
            .repo
            .sign_in_with_link(&link.hash(), &session, at)
            .await
            .unwrap();
        assert_eq!(person, clerk, "{name}");
        let found = db
            .repo
            .web_session(&session.id.hash(), at)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (found.person, found.csrf.as_str()),
            (clerk, "csrf-1"),
            "{name}"
        );

        // The same link again, an unknown one, an expired one: refused, no session made.
        let again = NewSession {
            id: WebSecret::new(),
            ..session.clone()
        };
        let used = db.repo.sign_in_with_link(&link.hash(), &again, at).await;
        assert!(matches!(used, Err(SignInError::Used)), "{name}");
        let unknown = db
            .repo
            .sign_in_with_link(&WebSecret::new().hash(), &again, at)
            .await;
        assert!(matches!(unknown, Err(SignInError::Unknown)), "{name}");
        let late = WebSecret::new();
        db.repo
            .create_web_link(tg(4), &late.hash(), now, now + Duration::minutes(10))
            .await
            .unwrap();
        let expired = db
            .repo
            .sign_in_with_link(&late.hash(), &again, now + Duration::minutes(10))
            .await;
        assert!(matches!(expired, Err(SignInError::Expired)), "{name}");
        assert_eq!(
            db.count("SELECT COUNT(*) FROM web_sessions").await,
            1,
            "{name}"
        );
        assert!(
            db.repo
                .web_session(&again.id.hash(), at)
                .await
                .unwrap()
                .is_none()
        );

        // A session ends at its end, or when its person signs out.
        let later = now + Duration::hours(12);
        assert!(
            db.repo
                .web_session(&session.id.hash(), later)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            db.repo
                .end_web_session(&session.id.hash(), at)
                .await
                .unwrap(),
            "{name}"
        );
        assert!(
            !db.repo
                .end_web_session(&session.id.hash(), at)
                .await
                .unwrap(),
            "{name}"
        );
        assert!(
            db.repo
                .web_session(&session.id.hash(), at)
                .await
                .unwrap()
                .is_none()
        );
        db.finish().await;
    }
}
