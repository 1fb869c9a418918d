//! Roster import on both backends: one transaction per file, every bad line reported.

use minyi::domain::{Role, ScopeKind};
use minyi::roster::{self, LineError, LineProblem, RosterKind};
use minyi::storage::ImportFailure;

use crate::support::{GROUPS, ORGS, PEOPLE, UNITS, backends};

async fn import(
    db: &crate::support::TestDb,
    kind: RosterKind,
    csv: &str,
) -> Result<minyi::storage::ImportReport, ImportFailure> {
    db.repo
        .import_roster(&roster::parse(kind, csv.as_bytes()), None)
        .await
}

#[tokio::test]
async fn good_files_import_and_reimport_changes_nothing() {
    for db in backends().await {
        for (kind, csv, n) in [
            (RosterKind::Orgs, ORGS, 3),
            (RosterKind::Groups, GROUPS, 2),
            (RosterKind::Units, UNITS, 3),
            (RosterKind::People, PEOPLE, 12),
        ] {
            let first = import(&db, kind, csv).await.unwrap();
            assert_eq!(
                (first.inserted, first.updated, first.unchanged),
                (n, 0, 0),
                "{} {kind:?}",
                db.name
            );
            let again = import(&db, kind, csv).await.unwrap();
            assert!(again.changed_nothing(), "{} {kind:?}: {again:?}", db.name);
            assert_eq!(again.unchanged, n);
        }
        assert_eq!(
            db.count("SELECT COUNT(*) FROM person_roles").await,
            13,
            "L1 holds two roles"
        );
        // T2's parent is C; the chain of orgs is stored.
        assert_eq!(
            db.count(
                "SELECT COUNT(*) FROM orgs o JOIN orgs p ON p.id = o.parent_id WHERE p.code = 'C'"
            )
            .await,
            2
        );

        // A changed row updates that person only: D2 becomes a leader too and gets a language.
        let changed = PEOPLE.replace(
            "D2,Deputy Two,deputy,G1,1002,",
            "D2,Deputy Two,deputy;leader,G1,1002,en-US",
        );
        let report = import(&db, RosterKind::People, &changed).await.unwrap();
        assert_eq!(
            (report.inserted, report.updated, report.unchanged),
            (0, 1, 11),
            "{}",
            db.name
        );
        assert_eq!(db.count("SELECT COUNT(*) FROM person_roles r JOIN people p ON p.id = r.person_id WHERE p.code = 'D2'").await, 2);
        assert_eq!(
            db.count("SELECT COUNT(*) FROM people WHERE code = 'D2' AND lang = 'en-US'")
                .await,
            1
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn a_file_with_bad_lines_imports_nothing_and_reports_every_one() {
    for db in backends().await {
        import(&db, RosterKind::Orgs, ORGS).await.unwrap();
        import(&db, RosterKind::Groups, GROUPS).await.unwrap();
        import(&db, RosterKind::Units, UNITS).await.unwrap();
        let bad = "code,name,roles,scope,telegram_id,lang\n\
                   P1,Good Person,deputy,G1,2001,\n\
                   P2,Bad Role,mayor,G1,,\n\
                   P3,Bad Scope,deputy,NOWHERE,,\n\
                   P1,Duplicate,deputy,G1,,\n\
                   P4,Bad Telegram,deputy,G1,-5,\n\
                   P5,Short Line,deputy\n\
                   P6,Unit Without Unit,unit,G1,,\n\
                   P7,Good Too,clerk,T1,,\n";
        let Err(ImportFailure::Lines(errors)) = import(&db, RosterKind::People, bad).await else {
            panic!("{}: a bad file imported", db.name);
        };
        let bad_line = |line, problem| LineError {
            line,
            problems: vec![problem],
        };
        assert_eq!(
            errors,
            vec![
                bad_line(3, LineProblem::UnknownRole("mayor".into())),
                bad_line(4, LineProblem::UnknownScopeCode("NOWHERE".into())),
                bad_line(
                    5,
                    LineProblem::DuplicateCode {
                        code: "P1".into(),
                        first_line: 2
                    }
                ),
                bad_line(6, LineProblem::BadTelegramId("-5".into())),
                bad_line(7, LineProblem::WrongColumnCount { got: 3, want: 6 }),
                bad_line(
                    8,
                    LineProblem::RoleNeedsScope {
                        role: Role::Unit,
                        kind: ScopeKind::Unit,
                        scope: "G1".into()
                    }
                ),
            ],
            "{}",
            db.name
        );
        assert_eq!(
            db.count("SELECT COUNT(*) FROM people").await,
            0,
            "{}: nothing imported",
            db.name
        );

        let Err(ImportFailure::Lines(errors)) =
            import(&db, RosterKind::Groups, "code,name,org\nG9,Nine,NOORG\n").await
        else {
            panic!("unknown org imported");
        };
        assert_eq!(errors[0].line, 2);
        assert_eq!(
            errors[0].problems,
            [LineProblem::UnknownOrg("NOORG".into())]
        );
        let mut not_utf8 = b"code,name,org\nG8,".to_vec();
        not_utf8.extend_from_slice(&[0xc3, 0x28]);
        not_utf8.extend_from_slice(b",T1\n");
        let batch = roster::parse(RosterKind::Groups, &not_utf8);
        assert!(
            matches!(db.repo.import_roster(&batch, None).await, Err(ImportFailure::Lines(e)) if e[0].problems == [LineProblem::NotUtf8])
        );
        assert_eq!(db.count("SELECT COUNT(*) FROM deputy_groups").await, 2);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_telegram_id_cannot_belong_to_two_people() {
    for db in backends().await {
        import(&db, RosterKind::Orgs, ORGS).await.unwrap();
        import(&db, RosterKind::Groups, GROUPS).await.unwrap();
        import(&db, RosterKind::Units, UNITS).await.unwrap();
        import(&db, RosterKind::People, PEOPLE).await.unwrap();
        let taken = "code,name,roles,scope,telegram_id,lang\nNEW,New Person,deputy,G1,1001,\n";
        let Err(ImportFailure::Lines(errors)) = import(&db, RosterKind::People, taken).await else {
            panic!("{}: a taken telegram id imported", db.name);
        };
        assert_eq!(
            errors[0].problems,
            [LineProblem::TelegramIdTaken {
                telegram_id: 1001,
                owner: "D1".into()
            }],
            "{errors:?}"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn concurrent_imports_of_one_file_insert_once() {
    for db in backends().await {
        for (kind, csv) in [
            (RosterKind::Orgs, ORGS),
            (RosterKind::Groups, GROUPS),
            (RosterKind::Units, UNITS),
        ] {
            import(&db, kind, csv).await.unwrap();
        }
        let batch = std::sync::Arc::new(roster::parse(RosterKind::People, PEOPLE.as_bytes()));
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let (repo, batch) = (db.repo.clone(), batch.clone());
                tokio::spawn(async move { repo.import_roster(&batch, None).await })
            })
            .collect();
        let mut inserted = 0;
        for task in tasks {
            let report = task
                .await
                .unwrap()
                .unwrap_or_else(|e| panic!("{}: {e:?}", db.name));
            inserted += report.inserted;
        }
        assert_eq!(inserted, 12, "{}: exactly one import inserted", db.name);
        assert_eq!(db.count("SELECT COUNT(*) FROM person_roles").await, 13);
        db.finish().await;
    }
}

/// WeCom userids: the corporation's directory vouches for them, so they are imported as they
/// are; WeCom ignores letter case, and so does minyi when it compares them.
#[tokio::test]
async fn wecom_userids_import_and_stay_one_per_person() {
    for db in backends().await {
        import(&db, RosterKind::Orgs, ORGS).await.unwrap();
        import(&db, RosterKind::Groups, GROUPS).await.unwrap();
        import(&db, RosterKind::Units, UNITS).await.unwrap();
        let with_wecom = "code,name,roles,scope,telegram_id,wecom_userid,lang\n\
                          K9,Clerk Nine,clerk,T1,,LiSi,\n\
                          U9,Unit Nine,unit,U1,1099,wang.wu@town,\n";
        let first = import(&db, RosterKind::People, with_wecom).await.unwrap();
        assert_eq!(first.inserted, 2, "{}", db.name);
        assert_eq!(
            db.count("SELECT COUNT(*) FROM people WHERE wecom_userid = 'LiSi'")
                .await,
            1,
            "kept as written, for sending"
        );
        // A file without the column keeps what is stored.
        let without = "code,name,roles,scope\nK9,Clerk Nine,clerk,T1\n";
        assert!(
            import(&db, RosterKind::People, without)
                .await
                .unwrap()
                .changed_nothing()
        );
        assert_eq!(
            db.count("SELECT COUNT(*) FROM people WHERE code = 'K9' AND wecom_userid = 'LiSi'")
                .await,
            1
        );
        // Another person with the same userid in other letters: refused, nothing imported.
        let taken = "code,name,roles,scope,wecom_userid\nK8,Clerk Eight,clerk,T1,lisi\n";
        let Err(ImportFailure::Lines(errors)) = import(&db, RosterKind::People, taken).await else {
            panic!("{}: a taken userid imported", db.name);
        };
        assert_eq!(
            errors[0].problems,
            vec![LineProblem::WeComUserIdTaken {
                userid: "lisi".into(),
                owner: "K9".into()
            }]
        );
        // Bad ones and twice in one file.
        let bad = "code,name,roles,scope,wecom_userid\n\
                   K7,Seven,clerk,T1,_lisi\n\
                   K6,Six,clerk,T1,li si\n\
                   K5,Five,clerk,T1,ZhaoLiu\n\
                   K4,Four,clerk,T1,zhaoliu\n";
        let Err(ImportFailure::Lines(errors)) = import(&db, RosterKind::People, bad).await else {
            panic!("{}: bad userids imported", db.name);
        };
        let problems: Vec<(u64, LineProblem)> = errors
            .into_iter()
            .map(|e| (e.line, e.problems[0].clone()))
            .collect();
        assert_eq!(
            problems,
            vec![
                (2, LineProblem::BadWeComUserId("_lisi".into())),
                (3, LineProblem::BadWeComUserId("li si".into())),
                (
                    5,
                    LineProblem::DuplicateWeComUserId {
                        userid: "zhaoliu".into(),
                        first_line: 4
                    }
                ),
            ]
        );
        assert_eq!(db.count("SELECT COUNT(*) FROM people").await, 2);
        // The database itself refuses a second holder, whatever the letters.
        let twice = db
            .exec("UPDATE people SET wecom_userid = 'LISI' WHERE code = 'U9'")
            .await;
        assert!(twice.is_err(), "{}: the unique index", db.name);
        db.finish().await;
    }
}
