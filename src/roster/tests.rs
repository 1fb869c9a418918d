//! The roster's parsing and checks, table-tested.

use std::collections::HashSet;

use super::*;
use crate::domain::ScopeKind;
use crate::i18n::{self, Lang};

fn problems(errors: &[LineError]) -> Vec<(u64, Vec<LineProblem>)> {
    errors
        .iter()
        .map(|e| (e.line, e.problems.clone()))
        .collect()
}

#[test]
fn every_bad_line_is_reported() {
    let csv = "code,name,roles,scope,telegram_id,lang\n\
               P1,Li,deputy,G1,100,zh\n\
               P2,Wang,mayor,G1,,\n\
               P1,Zhao,deputy,G1,,\n\
               P3,Sun,deputy,G1,abc,\n\
               P4,Qian,deputy\n\
               P5,Zhou,deputy,G1,100,\n\
               P6,Wu,deputy,G1,,fr\n\
               P7,,deputy,G1,,\n\
               P8,Zheng,deputy,G/1,,\n";
    let batch = parse(RosterKind::People, csv.as_bytes());
    assert_eq!(
        problems(&batch.errors),
        vec![
            (3, vec![LineProblem::UnknownRole("mayor".into())]),
            (
                4,
                vec![LineProblem::DuplicateCode {
                    code: "P1".into(),
                    first_line: 2
                }]
            ),
            (5, vec![LineProblem::BadTelegramId("abc".into())]),
            (6, vec![LineProblem::WrongColumnCount { got: 3, want: 6 }]),
            (
                7,
                vec![LineProblem::DuplicateTelegramId {
                    telegram_id: 100,
                    first_line: 2
                }]
            ),
            (8, vec![LineProblem::BadLang("fr".into())]),
            (9, vec![LineProblem::Empty("name")]),
            (
                10,
                vec![LineProblem::BadCode {
                    column: "scope",
                    value: "G/1".into()
                }]
            ),
        ],
    );
    assert_eq!(batch.rows.len(), 1);
    assert_eq!(
        batch.errors[0].to_string(),
        "line 3: unknown role \"mayor\" (expected one of deputy, leader, clerk, secretary, \
         chair, unit, admin)"
    );
    assert_eq!(
        batch.errors[3].to_string(),
        "line 6: wrong column count: 3 instead of 6"
    );
}

#[test]
fn not_utf8_and_missing_columns() {
    let mut bytes = b"code,name,org\nG1,ok,T1\nG2,".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b",T1\n");
    let batch = parse(RosterKind::Groups, &bytes);
    assert_eq!(
        batch.errors,
        vec![LineError {
            line: 3,
            problems: vec![LineProblem::NotUtf8]
        }]
    );
    let batch = parse(RosterKind::People, b"code,roles,lang\nP1,deputy,\n");
    let expected = RosterKind::People.columns();
    assert_eq!(
        problems(&batch.errors),
        vec![(
            1,
            ["name", "scope"]
                .map(|column| LineProblem::MissingColumn { column, expected })
                .to_vec()
        )],
        "one error for the header, with every missing column"
    );
    assert_eq!(
        batch.errors[0].to_string(),
        "line 1: missing column \"name\" (expected code,name,roles,scope,telegram_id,wecom_userid,lang); \
         missing column \"scope\" (expected code,name,roles,scope,telegram_id,wecom_userid,lang)"
    );
    let batch = parse(RosterKind::Orgs, b"");
    assert_eq!(
        problems(&batch.errors),
        vec![(1, vec![LineProblem::EmptyFile])]
    );
}

#[test]
fn org_cycles_are_refused() {
    let batch = parse(
        RosterKind::Orgs,
        b"code,name,parent\nA,a,B\nB,b,A\nC,c,\nD,d,D\nE,e,NONE\n",
    );
    assert_eq!(
        problems(&batch.errors),
        vec![(5, vec![LineProblem::OwnParent])]
    );
    let mut errors = Vec::new();
    plan(&batch, &Known::default(), &mut errors);
    assert_eq!(
        problems(&errors),
        vec![
            (2, vec![LineProblem::OwnAncestor("A".into())]),
            (3, vec![LineProblem::OwnAncestor("B".into())]),
            (6, vec![LineProblem::UnknownParentOrg("NONE".into())]),
        ]
    );
}

#[test]
fn a_line_gathers_all_its_problems_from_the_plan() {
    let mut known = Known::default();
    known.orgs.insert("T1".into(), (1, "Town".into(), None));
    known
        .groups
        .insert("G1".into(), (1, "Group".into(), "T1".into()));
    known.people.insert(
        "D1".into(),
        StoredPerson {
            id: 1,
            name: "Deputy".into(),
            roles_spec: "deputy".into(),
            scope_spec: "G1".into(),
            telegram_id: Some(1001),
            wecom_userid: Some("ZhangSan".into()),
            lang: None,
        },
    );
    let batch = parse(
        RosterKind::People,
        b"code,name,roles,scope,telegram_id,wecom_userid,lang\n\
          P1,One,unit,G1,1001,zhangsan,\n\
          P2,Two,deputy,G1;NOWHERE;ELSEWHERE,,,\n",
    );
    let mut errors = Vec::new();
    plan(&batch, &known, &mut errors);
    assert_eq!(
        problems(&errors),
        vec![
            (
                2,
                vec![
                    LineProblem::RoleNeedsScope {
                        role: Role::Unit,
                        kind: ScopeKind::Unit,
                        scope: "G1".into()
                    },
                    LineProblem::TelegramIdTaken {
                        telegram_id: 1001,
                        owner: "D1".into()
                    },
                    // WeCom ignores case: "zhangsan" is D1's "ZhangSan".
                    LineProblem::WeComUserIdTaken {
                        userid: "zhangsan".into(),
                        owner: "D1".into()
                    },
                ]
            ),
            (
                3,
                vec![
                    LineProblem::UnknownScopeCode("NOWHERE".into()),
                    LineProblem::UnknownScopeCode("ELSEWHERE".into()),
                ]
            ),
        ]
    );
    assert_eq!(
        errors[0].to_string(),
        "line 2: role unit needs a unit code in scope, none of \"G1\" is one; \
         telegram_id 1001 belongs to person \"D1\"; wecom_userid \"zhangsan\" belongs to person \"D1\""
    );
    let batch = parse(RosterKind::Groups, b"code,name,org\nG2,Two,NOORG\n");
    let mut errors = Vec::new();
    plan(&batch, &known, &mut errors);
    assert_eq!(
        problems(&errors),
        vec![(2, vec![LineProblem::UnknownOrg("NOORG".into())])]
    );
}

/// One of every problem, with arguments that show up in the text.
fn every_problem() -> Vec<LineProblem> {
    vec![
        LineProblem::UnreadableHeader("CSV error: record 1".into()),
        LineProblem::EmptyFile,
        LineProblem::MissingColumn {
            column: "scope",
            expected: RosterKind::People.columns(),
        },
        LineProblem::Unreadable("CSV error: record 7".into()),
        LineProblem::WrongColumnCount { got: 3, want: 6 },
        LineProblem::NotUtf8,
        LineProblem::DuplicateCode {
            code: "P1".into(),
            first_line: 2,
        },
        LineProblem::DuplicateTelegramId {
            telegram_id: 4242,
            first_line: 2,
        },
        LineProblem::DuplicateWeComUserId {
            userid: "lisi".into(),
            first_line: 2,
        },
        LineProblem::Empty("roles"),
        LineProblem::BadCode {
            column: "parent",
            value: "a b".into(),
        },
        LineProblem::OwnParent,
        LineProblem::UnknownRole("mayor".into()),
        LineProblem::BadTelegramId("-5".into()),
        LineProblem::BadWeComUserId("_li si".into()),
        LineProblem::BadLang("fr".into()),
        LineProblem::UnknownParentOrg("NOPARENT".into()),
        LineProblem::OwnAncestor("LOOP".into()),
        LineProblem::UnknownOrg("NOORG".into()),
        LineProblem::UnknownScopeCode("NOWHERE".into()),
        LineProblem::RoleNeedsScope {
            role: Role::Unit,
            kind: ScopeKind::Unit,
            scope: "G1;T1".into(),
        },
        LineProblem::TelegramIdTaken {
            telegram_id: 1001,
            owner: "D1".into(),
        },
        LineProblem::WeComUserIdTaken {
            userid: "zhangsan".into(),
            owner: "D1".into(),
        },
    ]
}

#[test]
fn every_problem_renders_in_both_languages_with_its_arguments() {
    let all = every_problem();
    let keys: HashSet<&str> = all.iter().map(LineProblem::key).collect();
    assert_eq!(keys.len(), all.len(), "one key per variant");
    for lang in Lang::ALL {
        for problem in &all {
            let key = problem.key();
            let out = i18n::plain(lang, key, &problem.args());
            assert_ne!(out, key, "{key} did not render in {lang}");
            assert!(!out.contains(['{', '}']), "{key} in {lang}: {out}");
            for (name, value) in problem.args() {
                // Kinds are words the locale turns into its own.
                if name != "kind" {
                    assert!(out.contains(&value), "{key} in {lang} lacks {value}: {out}");
                }
            }
        }
    }
    let zh = |key: &str| {
        let p = all.iter().find(|p| p.key() == key).unwrap();
        i18n::plain(Lang::ZhCn, p.key(), &p.args())
    };
    assert_eq!(zh("import-problem-not-utf8"), "不是 UTF-8 编码的文本");
    let role = zh("import-problem-unknown-role");
    assert!(role.starts_with("未知角色「mayor」"), "{role}");
    let scope = zh("import-problem-role-needs-scope");
    assert!(scope.contains("承办单位"), "{scope}");
    let en = |p: &LineProblem| i18n::plain(Lang::EnUs, p.key(), &p.args());
    for problem in &all {
        assert_eq!(en(problem), problem.to_string(), "{}", problem.key());
    }
}
