//! `cargo bench --bench web`: the board's and the public wall's page times (issue 14) with
//! 100,000 suggestions, on SQLite (a temp file) and, with `MINYI_TEST_POSTGRES_URL`, on
//! PostgreSQL (a fresh schema, dropped at the end, after a panic or a Ctrl-C too).
//!
//! The deployment: one county with 12 towns, 60 deputy groups of 10 deputies, 30 handling
//! units, clerks of the county and of each town. 100,000 suggestions filed evenly from
//! 1 January 2025 to the clock's now (20 December 2025, 10:00 in Shanghai), seeded in SQL in
//! bulk (as `minyi bench stats` does): most closed with a reply event and a rating, a few
//! thousand open in the watched steps with deadlines that are red, yellow or green at now.
//!
//! The router is served on a loopback port with `[web] public_wall = ["C1"]`; the county's
//! clerk signs in with a one-time link; then each page is fetched 1,000 times one after the
//! other (reqwest, one kept-alive connection), after a few requests of warm-up. Prints, per
//! backend and page, the rows behind the page and those it lists, the number of requests,
//! p50, p99 and mean in ms, the response's size, and the p50 of the page's repository calls
//! timed alone in process (what the database takes of the page); and how long seeding took.
//! Prints figures only; asserts every answer is a 200.
//!
//! A page is timed for at most 60 s, so that the run stays within about ten minutes on two
//! cores: a page slower than 60 ms gets fewer than 1,000 requests (`n` says how many).
//! `MINYI_BENCH_WEB_REQUESTS` and `MINYI_BENCH_WEB_SECONDS` set other limits (a quick look:
//! `MINYI_BENCH_WEB_REQUESTS=20`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use minyi::cli::bench::Raw;
use minyi::clock::FixedClock;
use minyi::config::Config;
use minyi::domain::{Colour, PersonId, Rules, SuggestionNo};
use minyi::storage::postgres::PgRepo;
use minyi::storage::{self, BoardFilter, LINK_VALID, Repository, WebSecret, Who};
use minyi::web::{WebApp, router};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Executor};

const SUGGESTIONS: i64 = 100_000;
const TOWNS: i64 = 12;
const GROUPS_PER_TOWN: i64 = 5;
const GROUPS: i64 = TOWNS * GROUPS_PER_TOWN;
const DEPUTIES_PER_GROUP: i64 = 10;
const UNITS: i64 = 30;
const DAY_MS: i64 = 86_400_000;
/// The county's code: its wall is public.
const COUNTY: &str = "C1";
/// The county's clerk, who signs in to the board.
const CLERK: i64 = 1;
/// The unit of the filtered board.
const UNIT: &str = "U07";
/// The word searched on the wall: in the title and body of one topic in 24.
const WORD: &str = "路灯";
const REQUESTS: usize = 1_000;
/// The most a page is timed for, so that the whole run stays within about ten minutes on a
/// small machine: a page slower than 60 ms gets fewer than `REQUESTS` (the count is printed).
const PAGE_SECONDS: u64 = 60;
const WARM_UP: usize = 10;
/// How often a page's repository calls are timed alone.
const REPOSITORY_CALLS: usize = 20;

/// The titles people file (one topic each) and their categories.
const TOPICS: [(&str, &str); 24] = [
    ("关于修复新华路沿线路灯的建议", "public_affairs"),
    ("关于增设老旧小区停车位的建议", "livelihood"),
    ("关于推进生活垃圾分类的建议", "environment"),
    ("关于改善农村饮水安全的建议", "livelihood"),
    ("关于加快老旧小区加装电梯的建议", "livelihood"),
    ("关于规范校园周边交通秩序的建议", "governance"),
    ("关于整治河道黑臭水体的建议", "environment"),
    ("关于完善社区养老服务设施的建议", "livelihood"),
    ("关于拓宽乡村道路的建议", "public_affairs"),
    ("关于增加公交线路班次的建议", "public_affairs"),
    ("关于加强农贸市场食品安全监管的建议", "governance"),
    ("关于建设社区体育健身场地的建议", "public_affairs"),
    ("关于治理餐饮油烟扰民的建议", "environment"),
    ("关于支持小微企业融资的建议", "economy"),
    ("关于优化政务服务办事流程的建议", "governance"),
    ("关于增设便民摊位的建议", "economy"),
    ("关于加强电动自行车充电管理的建议", "governance"),
    ("关于改造雨污分流管网的建议", "environment"),
    ("关于提升乡镇卫生院服务能力的建议", "livelihood"),
    ("关于加强防汛排涝设施建设的建议", "public_affairs"),
    ("关于规范物业服务收费的建议", "livelihood"),
    ("关于保护古树名木的建议", "environment"),
    ("关于增加托育服务供给的建议", "livelihood"),
    ("关于推进农村人居环境整治的建议", "other"),
];

const UNIT_NAMES: [&str; UNITS as usize] = [
    "县发展和改革局",
    "县教育局",
    "县公安局",
    "县民政局",
    "县财政局",
    "县人力资源和社会保障局",
    "县自然资源局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县水利局",
    "县农业农村局",
    "县商务局",
    "县文化和旅游局",
    "县卫生健康委员会",
    "县应急管理局",
    "县市场监督管理局",
    "县城市管理局",
    "县生态环境局",
    "县医疗保障局",
    "县林业局",
    "县统计局",
    "县审计局",
    "县退役军人事务局",
    "县行政审批局",
    "县供电公司",
    "县自来水公司",
    "县公交公司",
    "县燃气公司",
    "县邮政分公司",
    "县融媒体中心",
];

const BODY: &str = "。群众反映该问题已持续较长时间，影响日常生活和出行安全。建议相关部门深入调研，制定工作方案，明确责任单位和完成时限，并及时向群众反馈办理进展。";
const REPLY: &str = "经研究，我单位已将该建议列入年度工作计划，现已完成现场勘查并制定整改方案，计划年内完成。感谢代表对我们工作的关心和支持。";

/// The clock of the board: 20 December 2025, 10:00 in Shanghai.
fn now() -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2025, 12, 20, 10, 0, 0)
        .unwrap()
        .to_utc()
}

/// 1 January 2025, 00:00 in Shanghai.
fn year_start() -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .unwrap()
        .to_utc()
}

/// The roster, in SQL both databases run. Ids: the county 1, towns 2..=13; groups 1..=60
/// (five a town); units 1..=30; people: the county's clerk 1, the towns' clerks 2..=13,
/// units' contacts 100 + unit, leaders 200 + group, deputies 1000 + 10 × (group − 1) + k.
fn roster_sql() -> Vec<String> {
    let mut sql = vec![format!(
        "INSERT INTO orgs (id, code, name, parent_id) VALUES (1, '{COUNTY}', '示范县', NULL)"
    )];
    sql.push(format!(
        "INSERT INTO orgs (id, code, name, parent_id) \
         SELECT 1 + i, 'T' || i, '第' || i || '镇', 1 FROM (SERIES({TOWNS})) n"
    ));
    sql.push(format!(
        "INSERT INTO deputy_groups (id, code, name, org_id) \
         SELECT i, 'G' || i, '第' || (1 + (i - 1) / {GROUPS_PER_TOWN}) || '镇代表联络站' || (1 + (i - 1) % {GROUPS_PER_TOWN}), \
         2 + (i - 1) / {GROUPS_PER_TOWN} FROM (SERIES({GROUPS})) n"
    ));
    let units: Vec<String> = UNIT_NAMES
        .iter()
        .enumerate()
        .map(|(k, name)| format!("({}, 'U{:02}', '{name}', 1)", k + 1, k + 1))
        .collect();
    sql.push(format!(
        "INSERT INTO units (id, code, name, org_id) VALUES {}",
        units.join(", ")
    ));
    // Clerks: the county's (on Telegram too) and one a town.
    sql.push(format!(
        "INSERT INTO people (id, code, name, roles_spec, scope_spec, telegram_id) \
         VALUES ({CLERK}, 'K0', '县人大办 王文书', 'clerk', '{COUNTY}', 1)"
    ));
    sql.push(format!(
        "INSERT INTO person_roles (person_id, role, org_id) VALUES ({CLERK}, 'clerk', 1)"
    ));
    sql.push(format!(
        "INSERT INTO people (id, code, name, roles_spec, scope_spec) \
         SELECT 1 + i, 'K' || i, '第' || i || '镇文书', 'clerk', 'T' || i FROM (SERIES({TOWNS})) n"
    ));
    sql.push(format!(
        "INSERT INTO person_roles (person_id, role, org_id) \
         SELECT 1 + i, 'clerk', 1 + i FROM (SERIES({TOWNS})) n"
    ));
    sql.push(format!(
        "INSERT INTO people (id, code, name, roles_spec, scope_spec) \
         SELECT 100 + i, 'UC' || i, '承办联络员' || i, 'unit', 'U' || i FROM (SERIES({UNITS})) n"
    ));
    sql.push(format!(
        "INSERT INTO person_roles (person_id, role, unit_id) \
         SELECT 100 + i, 'unit', i FROM (SERIES({UNITS})) n"
    ));
    sql.push(format!(
        "INSERT INTO people (id, code, name, roles_spec, scope_spec) \
         SELECT 200 + i, 'L' || i, '组长' || i, 'leader', 'G' || i FROM (SERIES({GROUPS})) n"
    ));
    sql.push(format!(
        "INSERT INTO person_roles (person_id, role, group_id) \
         SELECT 200 + i, 'leader', i FROM (SERIES({GROUPS})) n"
    ));
    let deputies = GROUPS * DEPUTIES_PER_GROUP;
    sql.push(format!(
        "INSERT INTO people (id, code, name, roles_spec, scope_spec) \
         SELECT 999 + i, 'P' || i, '代表' || i, 'deputy', 'G' || (1 + (i - 1) / {DEPUTIES_PER_GROUP}) \
         FROM (SERIES({deputies})) n"
    ));
    sql.push(format!(
        "INSERT INTO person_roles (person_id, role, group_id) \
         SELECT 999 + i, 'deputy', 1 + (i - 1) / {DEPUTIES_PER_GROUP} FROM (SERIES({deputies})) n"
    ));
    sql
}

/// `CASE <expr> WHEN 0 THEN … END` over the topics, of one column of [`TOPICS`].
fn topic_case(expr: &str, column: impl Fn(&(&str, &str)) -> String) -> String {
    let arms: Vec<String> = TOPICS
        .iter()
        .enumerate()
        .map(|(k, topic)| format!("WHEN {k} THEN {}", column(topic)))
        .collect();
    format!("CASE {expr} {} END", arms.join(" "))
}

/// A value in `0..n` spread over `column`'s values independently of `h` (below), which a
/// plain `column × k mod n` is not: a quadratic modulo a prime, then modulo `n`.
fn mix(column: &str, a: i64, n: i64) -> String {
    format!("((({column}) * ({column}) * {a} + ({column})) % 10007) % {n}")
}

/// The suggestions with their events, units and counter.
///
/// Suggestion `i` is filed at an even step from 1 January to now; `h = i × 7919 mod 1000`
/// picks its fate. Over the last 45 days: 2 % wait for review and 1.5 % for assignment
/// (their deadlines passed after 3–4 days: red), 1 % are explaining; the rest follow the
/// timeline: accepted after a day, assigned after three, replied after 10–25 days (40 for
/// the 2.5 % of slow units: red, then yellow before it), rated and closed 3 days after the
/// reply. Earlier: 0.5 % are still with the units and 0.3 % explaining (red), 2 % declined
/// and 2 % withdrawn, the rest closed. A tenth of those assigned have a co-unit.
fn suggestions_sql() -> Vec<String> {
    let start = year_start().timestamp_millis();
    let now = now().timestamp_millis();
    // Filed up to an hour before now.
    let step = (now - 3_600_000 - start) / SUGGESTIONS;
    let d = |days: i64| days * DAY_MS;
    let recent = d(45);
    let topic = mix("i", 13, 24);
    let title = topic_case(&topic, |(t, _)| format!("'{t}'"));
    let category = topic_case(&topic, |(_, c)| format!("'{c}'"));
    let g = mix("i", 7, GROUPS);
    let base = format!(
        "SELECT i, filed, h, g, {now} - filed AS age, \
         CASE WHEN h BETWEEN 55 AND 79 THEN {slow} ELSE (10 + h % 16) * {DAY_MS} END AS ra \
         FROM (SELECT i, {start} + (i - 1) * {step} AS filed, (i * 7919) % 1000 AS h, \
               1 + {g} AS g FROM (SERIES({SUGGESTIONS})) n) a",
        slow = d(40),
    );
    let state = format!(
        "CASE \
         WHEN age < {recent} AND h < 20 THEN 'submitted' \
         WHEN age < {recent} AND h < 35 THEN 'accepted' \
         WHEN age < {recent} AND h < 45 THEN 'explaining' \
         WHEN age >= {recent} AND h < 5 THEN 'assigned' \
         WHEN age >= {recent} AND h < 8 THEN 'explaining' \
         WHEN age >= {day} AND h >= 980 THEN 'declined' \
         WHEN age >= {day} AND h >= 960 THEN 'withdrawn' \
         WHEN age < {day} THEN 'submitted' \
         WHEN age < {three} THEN 'accepted' \
         WHEN age < ra THEN 'assigned' \
         WHEN age < ra + {three} THEN 'replied' \
         ELSE 'closed' END",
        day = d(1),
        three = d(3),
    );
    let deadline = format!(
        "CASE st \
         WHEN 'submitted' THEN filed + {three} \
         WHEN 'accepted' THEN filed + {four} \
         WHEN 'assigned' THEN filed + CASE WHEN h % 10 = 3 THEN {sixty_three} ELSE {thirty_three} END \
         WHEN 'replied' THEN filed + ra + {fifteen} \
         WHEN 'explaining' THEN filed + ra + {eighteen} \
         ELSE NULL END",
        three = d(3),
        four = d(4),
        sixty_three = d(63),
        thirty_three = d(33),
        fifteen = d(15),
        eighteen = d(18),
    );
    let updated = format!(
        "CASE st \
         WHEN 'submitted' THEN filed \
         WHEN 'assigned' THEN filed + {three} \
         WHEN 'replied' THEN filed + ra \
         WHEN 'explaining' THEN filed + ra + {three} \
         WHEN 'closed' THEN filed + ra + {three} \
         ELSE filed + {day} END",
        three = d(3),
        day = d(1),
    );
    let rating = "CASE WHEN st <> 'closed' THEN NULL WHEN h % 20 = 0 THEN 'unsatisfied' \
                  WHEN h % 10 < 7 THEN 'satisfied' ELSE 'basic' END";
    let outcome =
        "CASE WHEN st <> 'closed' THEN NULL WHEN h % 20 = 0 THEN 'explained' ELSE 'rated' END";
    let unsatisfied =
        "CASE WHEN st = 'explaining' OR (st = 'closed' AND h % 20 = 0) THEN 2 ELSE 0 END";
    let on_time = format!(
        "CASE WHEN st IN ('replied', 'explaining', 'closed') THEN CASE WHEN ra <= {thirty} THEN 1 ELSE 0 END ELSE NULL END",
        thirty = d(30)
    );
    let level = "CASE WHEN st IN ('submitted', 'declined', 'withdrawn') THEN NULL ELSE 'town' END";
    let deputies = DEPUTIES_PER_GROUP;
    let mut sql = vec![format!(
        "INSERT INTO suggestions (id, year, seq, deputy_id, group_id, title, body, category, state, level, \
         deadline, unsatisfied_count, rating, outcome, replied_on_time, filed_at, updated_at) \
         SELECT i, 2025, i, 1000 + (g - 1) * {deputies} + i % {deputies}, g, title, \
         '代表在联系群众时收集到以下意见：' || title || '{BODY}', category, st, {level}, {deadline}, \
         {unsatisfied}, {rating}, {outcome}, {on_time}, filed, {updated} \
         FROM (SELECT b.*, {state} AS st, {title} AS title, {category} AS category FROM ({base}) b) x"
    )];
    let three = d(3);
    let day = d(1);
    let reply = format!("'{REPLY}'");
    for (kind, to_state, at, when, text) in [
        ("filed", "submitted", "filed_at".to_owned(), "1 = 1", "NULL"),
        (
            "accepted",
            "accepted",
            format!("filed_at + {day}"),
            "state NOT IN ('submitted', 'declined', 'withdrawn')",
            "NULL",
        ),
        (
            "declined",
            "declined",
            format!("filed_at + {day}"),
            "state = 'declined'",
            "'不属于本级人大代表建议办理范围'",
        ),
        (
            "withdrawn",
            "withdrawn",
            format!("filed_at + {day}"),
            "state = 'withdrawn'",
            "NULL",
        ),
        (
            "assigned",
            "assigned",
            format!("filed_at + {three}"),
            "state IN ('assigned', 'replied', 'explaining', 'closed')",
            "NULL",
        ),
        (
            "replied",
            "replied",
            format!("CASE WHEN state = 'replied' THEN updated_at ELSE updated_at - {three} END"),
            "state IN ('replied', 'explaining', 'closed')",
            reply.as_str(),
        ),
        (
            "rated",
            "closed",
            "updated_at".to_owned(),
            "state = 'closed'",
            "NULL",
        ),
        (
            "explanation-required",
            "explaining",
            "updated_at".to_owned(),
            "state = 'explaining'",
            "NULL",
        ),
    ] {
        sql.push(format!(
            "INSERT INTO events (suggestion_id, at, kind, to_state, text) \
             SELECT id, {at}, '{kind}', '{to_state}', {text} FROM suggestions WHERE {when}"
        ));
    }
    let handled = "state IN ('assigned', 'replied', 'explaining', 'closed')";
    sql.push(format!(
        "INSERT INTO suggestion_units (suggestion_id, unit_id, lead) \
         SELECT id, 1 + {lead}, 1 = 1 FROM suggestions WHERE {handled}",
        lead = mix("id", 3, UNITS),
    ));
    sql.push(format!(
        "INSERT INTO suggestion_units (suggestion_id, unit_id, lead) \
         SELECT id, 1 + ({lead} + 7) % {UNITS}, 1 = 0 FROM suggestions \
         WHERE {handled} AND ((id * 7919) % 1000) % 10 = 3",
        lead = mix("id", 3, UNITS),
    ));
    sql.push(format!(
        "INSERT INTO counters (kind, year, last) VALUES ('suggestion', 2025, {SUGGESTIONS})"
    ));
    sql
}

/// A count the benchmark needs; a failure ends it with the statement.
async fn count(raw: &Raw, sql: &str) -> i64 {
    raw.count(sql)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{sql}"))
}

/// Runs seeding SQL; a failure ends the benchmark with the statement.
async fn run(raw: &Raw, sql: &str) {
    raw.run(sql)
        .await
        .unwrap_or_else(|e| panic!("seeding: {e}\n{sql}"));
}

/// Seeds the deployment; prints what and how long.
async fn seed(name: &str, raw: &Raw) {
    let start = Instant::now();
    for sql in roster_sql().into_iter().chain(suggestions_sql()) {
        run(raw, &sql).await;
    }
    // PostgreSQL's autovacuum vacuums and analyses a table after such a load (the test server
    // may run without it): statistics and the visibility map an index-only scan needs. SQLite
    // has statistics only when something runs ANALYZE, and minyi does not: its planner goes
    // without, as in a deployment.
    if let Raw::Postgres(_) = raw {
        run(
            raw,
            "VACUUM (ANALYZE) orgs, deputy_groups, units, people, person_roles, suggestions, \
             suggestion_units, events, counters",
        )
        .await;
    }
    let took = start.elapsed();
    let events = count(raw, "SELECT COUNT(*) FROM events").await;
    let watched = count(
        raw,
        "SELECT COUNT(*) FROM suggestions \
             WHERE state IN ('submitted', 'accepted', 'assigned', 'explaining')",
    )
    .await;
    let closed = count(
        raw,
        "SELECT COUNT(*) FROM suggestions WHERE state = 'closed'",
    )
    .await;
    println!(
        "{name:9} seeded {SUGGESTIONS} suggestions ({closed} closed, {watched} in watched steps) \
         and {events} events in SQL in {:.1} s",
        took.as_secs_f64()
    );
}

/// One page's figures.
struct Figures {
    page: &'static str,
    path: String,
    /// The rows behind the page: the board's selection, the wall's matches.
    rows: i64,
    /// The rows (or entries) the page lists.
    listed: usize,
    times: Vec<Duration>,
    /// The page's repository calls, timed alone.
    calls: Vec<Duration>,
    bytes: usize,
}

impl Figures {
    fn print(&self, name: &str) {
        let times = sorted(&self.times);
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        println!(
            "{name:9} {:16} rows {:>6} listed {:>3}  n {:>4}  p50 {:7.2} ms  p99 {:7.2} ms  \
             mean {:7.2} ms  {:>6.1} KiB  (repository p50 {:6.2} ms)  {}",
            self.page,
            self.rows,
            self.listed,
            times.len(),
            ms(percentile(&times, 50)),
            ms(percentile(&times, 99)),
            ms(mean),
            self.bytes as f64 / 1024.0,
            ms(percentile(&sorted(&self.calls), 50)),
            self.path
        );
    }
}

fn sorted(times: &[Duration]) -> Vec<Duration> {
    let mut times = times.to_vec();
    times.sort();
    times
}

/// The nearest-rank percentile of sorted times.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p).div_ceil(100).max(1) - 1]
}

/// One page: its address, the rows behind it, whether the clerk's cookie goes with it, and
/// the repository calls it makes (timed apart).
struct Page {
    name: &'static str,
    path: String,
    rows: i64,
    signed_in: bool,
    calls: Vec<Call>,
}

enum Call {
    Board(BoardFilter),
    /// The county's wall: words, or one entry; a page of 20.
    Wall(Vec<String>, Option<SuggestionNo>),
}

impl Call {
    async fn run(&self, repo: &dyn Repository, clerk: Who) {
        match self {
            Call::Board(filter) => {
                repo.board(clerk, filter).await.expect("the board");
            }
            Call::Wall(words, no) => {
                let limit = if no.is_some() { 1 } else { 20 };
                repo.wall(COUNTY, words, *no, 0, limit)
                    .await
                    .expect("the wall");
            }
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Serves the board over `repo`, signs the clerk in and times the pages.
async fn measure(name: &str, repo: Arc<dyn Repository>, raw: &Raw, budget: Budget) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let text = format!("[web]\npublic_url = \"{base}\"\npublic_wall = [\"{COUNTY}\"]\n");
    let config = Arc::new(Config::from_toml_str(&text, &|_: &str| None).expect("configuration"));
    let clock = FixedClock::new(now());
    let app = WebApp::new(Arc::clone(&repo), config, Arc::new(clock));
    let server = tokio::spawn(async move {
        axum::serve(listener, router(app)).await.unwrap();
    });
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // The clerk signs in with a one-time link.
    let clerk = Who::Person(PersonId(CLERK));
    let link = WebSecret::new();
    repo.create_web_link(clerk, &link.hash(), now(), now() + LINK_VALID)
        .await
        .expect("a link");
    let answer = client
        .post(format!("{base}/web/in/{}", link.expose()))
        .form(&[("", ""); 0])
        .send()
        .await
        .expect("the board answers");
    assert_eq!(answer.status().as_u16(), 303, "the sign-in");
    let cookie = answer
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("the session cookie")
        .to_owned();

    // The rows behind each page, from the repository.
    let everything = repo
        .board(clerk, &BoardFilter::default())
        .await
        .expect("the board");
    let rules = Rules::default();
    let colours = |rows: &[minyi::storage::BoardRow], colour: Colour| {
        rows.iter()
            .filter(|r| {
                r.listed
                    .deadline
                    .is_some_and(|d| rules.colour(d, now()) == colour)
            })
            .count()
    };
    println!(
        "{name:9} the county clerk's board: {} rows, {} red, {} yellow, {} green",
        everything.len(),
        colours(&everything, Colour::Red),
        colours(&everything, Colour::Yellow),
        colours(&everything, Colour::Green),
    );
    let unit_rows = repo
        .board(
            clerk,
            &BoardFilter {
                unit: Some(UNIT.to_owned()),
                ..BoardFilter::default()
            },
        )
        .await
        .expect("the unit's board");
    let red_of_unit = colours(&unit_rows, Colour::Red) as i64;
    let words = [WORD.to_owned()];
    let wall = repo.wall(COUNTY, &[], None, 0, 1).await.expect("the wall");
    let found = repo
        .wall(COUNTY, &words, None, 0, 1)
        .await
        .expect("the search");
    // An entry from the middle of the year.
    let no = count(
        raw,
        "SELECT MIN(seq) FROM suggestions WHERE state = 'closed' AND seq >= 50000",
    )
    .await;

    let unit = BoardFilter {
        unit: Some(UNIT.to_owned()),
        ..BoardFilter::default()
    };
    let entry = SuggestionNo::new(2025, no as u32);
    let pages = [
        Page {
            name: "board",
            path: "/board".to_owned(),
            rows: everything.len() as i64,
            signed_in: true,
            calls: vec![Call::Board(BoardFilter::default())],
        },
        Page {
            name: "board red + unit",
            path: format!("/board?colour=red&unit={UNIT}"),
            rows: red_of_unit,
            signed_in: true,
            // The page reads the whole board too, for its filters' options.
            calls: vec![Call::Board(unit), Call::Board(BoardFilter::default())],
        },
        Page {
            name: "wall",
            path: format!("/wall/{COUNTY}"),
            rows: wall.total,
            signed_in: false,
            calls: vec![Call::Wall(Vec::new(), None)],
        },
        Page {
            name: "wall search",
            path: format!("/wall/{COUNTY}?q={}", encode(WORD)),
            rows: found.total,
            signed_in: false,
            calls: vec![Call::Wall(words.to_vec(), None)],
        },
        Page {
            name: "wall entry",
            path: format!("/wall/{COUNTY}/{entry}"),
            rows: 1,
            signed_in: false,
            calls: vec![Call::Wall(Vec::new(), Some(entry))],
        },
    ];
    for page in pages {
        let url = format!("{base}{}", page.path);
        let get = || {
            let mut request = client.get(&url);
            if page.signed_in {
                request = request.header("cookie", &cookie);
            }
            request
        };
        let mut body = String::new();
        for _ in 0..WARM_UP {
            body = get().send().await.unwrap().text().await.unwrap();
        }
        let mut times = Vec::with_capacity(budget.requests);
        let mut bytes = 0;
        let began = Instant::now();
        while times.len() < budget.requests && began.elapsed() < budget.page {
            let started = Instant::now();
            let response = get().send().await.expect("the board answers");
            let status = response.status().as_u16();
            let got = response.bytes().await.expect("a body");
            times.push(started.elapsed());
            assert_eq!(
                status,
                200,
                "{}: {}",
                page.path,
                String::from_utf8_lossy(&got)
            );
            bytes = got.len();
        }
        // The page's main repository calls alone, in process: what the database takes.
        let mut calls = Vec::with_capacity(REPOSITORY_CALLS);
        for _ in 0..REPOSITORY_CALLS {
            let started = Instant::now();
            for call in &page.calls {
                call.run(repo.as_ref(), clerk).await;
            }
            calls.push(started.elapsed());
        }
        let listed = if page.signed_in {
            body.matches("<tr class=").count()
        } else {
            body.matches("<article").count()
        };
        Figures {
            page: page.name,
            path: page.path,
            rows: page.rows,
            listed,
            times,
            calls,
            bytes,
        }
        .print(name);
    }
    server.abort();
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn sqlite(budget: Budget) {
    let dir = tempfile::tempdir().expect("a temp directory");
    let url = format!("sqlite://{}", dir.path().join("web.db").display());
    let repo = storage::connect(&url).await.expect("open sqlite");
    repo.migrate().await.expect("migrate sqlite");
    // The seeding statements take seconds by design: no slow-statement warnings.
    let options: SqliteConnectOptions = url.parse().expect("sqlite url");
    let pool = sqlx::SqlitePool::connect_with(options.disable_statement_logging())
        .await
        .expect("raw sqlite");
    let raw = Raw::Sqlite(pool);
    seed("sqlite", &raw).await;
    measure("sqlite", repo, &raw, budget).await;
}

/// On a fresh schema of the server at `url`, dropped whatever happens to the run.
async fn postgres(url: &str, budget: Budget) {
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .expect("postgres");
    let schema = format!("minyi_bench_web_{:08x}", rand::random::<u32>());
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .await
        .expect("create schema");
    let options: PgConnectOptions = url.parse().expect("postgres url");
    let options = options
        .options([("search_path", schema.as_str())])
        .disable_statement_logging();
    // In a task of its own: a panic there comes back here as an error, after which the
    // schema is dropped and the panic resumed.
    let run = tokio::spawn(async move {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
            .await
            .expect("connect schema");
        let repo: Arc<dyn Repository> = Arc::new(PgRepo::with_pool(pool.clone()));
        repo.migrate().await.expect("migrate postgres");
        let raw = Raw::Postgres(pool);
        seed("postgres", &raw).await;
        measure("postgres", repo, &raw, budget).await;
    });
    let abort = run.abort_handle();
    let result = tokio::select! {
        result = run => result,
        _ = tokio::signal::ctrl_c() => {
            abort.abort();
            eprintln!("interrupted");
            Ok(())
        }
    };
    let drop = format!("DROP SCHEMA {schema} CASCADE");
    admin
        .execute(sqlx::AssertSqlSafe(drop))
        .await
        .expect("drop schema");
    if let Err(e) = result {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the postgres run: {e}"),
        }
    }
}

/// How long a page is timed: so many requests, unless its time runs out first.
#[derive(Debug, Clone, Copy)]
struct Budget {
    requests: usize,
    page: Duration,
}

impl Budget {
    fn from_env() -> Budget {
        let number = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|n| n.parse::<u64>().ok())
                .filter(|n| *n > 0)
        };
        Budget {
            requests: number("MINYI_BENCH_WEB_REQUESTS").map_or(REQUESTS, |n| n as usize),
            page: Duration::from_secs(number("MINYI_BENCH_WEB_SECONDS").unwrap_or(PAGE_SECONDS)),
        }
    }
}

#[tokio::main]
async fn main() {
    let budget = Budget::from_env();
    println!(
        "web: {SUGGESTIONS} suggestions in 1 county, {TOWNS} towns, {GROUPS} groups, {UNITS} units; \
         the county's clerk on the board, the county's public wall; {} sequential GETs a page \
         over loopback (or as many as {} s allow), after {WARM_UP} of warm-up",
        budget.requests,
        budget.page.as_secs()
    );
    let started = Instant::now();
    sqlite(budget).await;
    match std::env::var("MINYI_TEST_POSTGRES_URL") {
        Ok(url) => postgres(&url, budget).await,
        Err(_) => println!("postgres  skipped (set MINYI_TEST_POSTGRES_URL)"),
    }
    println!("web: done in {:.0} s", started.elapsed().as_secs_f64());
}
