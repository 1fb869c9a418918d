//! `cargo bench --bench import`: how long a roster import of 100,000 people takes, on SQLite
//! and (with `MINYI_TEST_POSTGRES_URL`) on PostgreSQL: first import, then the same file again
//! (nothing changes). Prints figures; asserts nothing about time.

use std::fmt::Write as _;
use std::time::Instant;

use minyi::roster::{self, RosterKind};
use minyi::storage::Repository;

mod common;

const PEOPLE: usize = 100_000;
const GROUPS: usize = 2_000;

fn files() -> [(RosterKind, String); 4] {
    let orgs = "code,name,parent\nC,County,\nT1,Town,C\n".to_string();
    let mut groups = String::from("code,name,org\n");
    for g in 0..GROUPS {
        writeln!(groups, "G{g},Group {g},T1").unwrap();
    }
    let units = "code,name,org\nU1,Unit,C\n".to_string();
    let mut people = String::from("code,name,roles,scope,telegram_id,lang\n");
    for p in 0..PEOPLE {
        let roles = if p % 50 == 0 {
            "deputy;leader"
        } else {
            "deputy"
        };
        writeln!(
            people,
            "P{p},代表{p},{roles},G{},{},",
            p % GROUPS,
            10_000 + p
        )
        .unwrap();
    }
    [
        (RosterKind::Orgs, orgs),
        (RosterKind::Groups, groups),
        (RosterKind::Units, units),
        (RosterKind::People, people),
    ]
}

async fn run(name: &str, repo: &dyn Repository) {
    for (kind, csv) in files() {
        let batch = roster::parse(kind, csv.as_bytes());
        let first = Instant::now();
        let report = repo.import_roster(&batch, None).await.expect("import");
        let first = first.elapsed();
        let again = Instant::now();
        let unchanged = repo.import_roster(&batch, None).await.expect("re-import");
        let again = again.elapsed();
        assert!(unchanged.changed_nothing());
        println!(
            "{name:9} {:7} {:>7} rows: import {:>8.2?}, re-import {:>8.2?} ({} inserted)",
            kind.as_str(),
            batch.rows.len(),
            first,
            again,
            report.inserted
        );
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, _) = common::sqlite(dir.path()).await;
    run("sqlite", repo.as_ref()).await;
    match common::postgres().await {
        Some((repo, _, schema)) => {
            run("postgres", repo.as_ref()).await;
            schema.drop().await;
        }
        None => println!("postgres: skipped (set MINYI_TEST_POSTGRES_URL)"),
    }
}
