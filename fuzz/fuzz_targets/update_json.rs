//! A Telegram update's JSON as it arrives on the webhook: any bytes POSTed with the secret
//! token are answered 200 (a body that does not parse is dropped by design) and panic nowhere
//! on the way: the webhook's router, teloxide's `Update`, the routing table, the front, the
//! SQLite repository and the answers sent to the Bot API sandbox.
//!
//! Once per process (a `OnceLock`), a multi-thread runtime. Then, every [`EPOCH`] inputs
//! (and before the first), a world built afresh: the sandbox, a new SQLite file in the temp
//! directory with the sample roster (`examples/`, its people given Telegram ids 1001…1009) and
//! three bound chats, the webhook's router, and four suggestions taken through the real path
//! ([`SETUP`]) so that there is something in each state to act on. Each input is POSTed to
//! `/hook` through `tower::ServiceExt::oneshot` (no socket on that side) and must be answered
//! 200.
//!
//! Within an epoch state carries over from one input to the next (suggestions filed,
//! dialogues begun), as it does for a running bot, except the applied update ids: they are
//! forgotten after each input, else a mutated input keeping its `update_id` would only meet
//! "already applied". The fresh worlds keep the database and the sandbox's records small and
//! the suggestions of the setup in their states.
//!
//! `UPDATE_JSON_SHOW=1` prints what the bot sent for each input (to read a crash's run).
#![no_main]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use minyi::bot::Telegram;
use minyi::bot::webhook::{self, SECRET_HEADER};
use minyi::clock::FixedClock;
use minyi::config::Config;
use minyi::metrics::Metrics;
use minyi::roster::{self, RosterKind};
use minyi::sandbox::{Sandbox, SandboxOptions};
use minyi::storage::{self, BindTarget, Who};
use minyi::telegram::pacer::Pacer;
use tower::ServiceExt;

/// The webhook's path.
const PATH: &str = "/hook";
/// The sandbox bot's username, as `getMe` answers it: `/cmd@minyi_sandbox_bot` is ours.
const USERNAME: &str = "minyi_sandbox_bot";
/// Inputs played in one world before the next is built.
const EPOCH: u64 = 5_000;
/// What the temp directory of a world's database is called, before `<process id>-<epoch>`.
const DIR_PREFIX: &str = "minyi-fuzz-update_json-";

/// The sample people with Telegram ids: deputies (P01 files, P02 leads group G01), the clerks
/// of the town and of the district, the town's secretary and chair, two units' contacts and
/// the admin.
const PEOPLE: &str = "code,name,roles,scope,telegram_id,lang\n\
P01,张三,deputy,G01,1001,\n\
P02,李四,deputy;leader,G01,1002,\n\
P03,王芳,clerk,T1,1003,en-US\n\
P04,赵敏,clerk,D1,1004,\n\
P05,陈静,secretary,T1,1005,\n\
P06,刘强,chair,T1,1006,\n\
P07,周涛,unit,U-ROADS,1007,\n\
P08,孙丽,admin,D1,1008,\n\
P09,吴磊,unit,U-WATER,1009,en-US\n";
const ADMIN: i64 = 1008;
/// Chats bound to group G01, unit U-ROADS and the district D1.
const CHATS: [(i64, &str); 3] = [(-1001001, "G01"), (-1001002, "U-ROADS"), (-1001003, "D1")];

/// Updates played in each new world, from whom: 2026-0001 stays submitted, 0002 is assigned
/// to U-ROADS, 0003 accepted, 0004 replied to.
const SETUP: [(i64, &str); 10] = [
    (
        1001,
        "/suggest 新华路路灯不亮\n东段的路灯坏了一个多月，晚上很黑。",
    ),
    (
        1001,
        "/suggest Potholes on Main Street\nThree deep potholes near the school.",
    ),
    (1001, "/suggest 小区垃圾清运不及时\n垃圾三天没人收。"),
    (1001, "/suggest 学校门口缺少斑马线\n上下学时车辆很多。"),
    (1002, "/review 2026-0002 accept"),
    (1002, "/review 2026-0003 accept district"),
    (1002, "/review 2026-0004 accept"),
    (1003, "/assign 2026-0002 U-ROADS --days 10"),
    (1003, "/assign 2026-0004 U-ROADS"),
    (1007, "/reply 2026-0004 斑马线已于三月一日施划完毕。"),
];
/// The states [`SETUP`] leaves its suggestions in.
const STATES: &str = "submitted,assigned,accepted,replied";

/// What lives for the whole process.
struct Process {
    runtime: tokio::runtime::Runtime,
    show: bool,
    /// `None` before the first input.
    world: Mutex<Option<World>>,
    inputs: AtomicU64,
}

/// One epoch's bot, database and sandbox.
struct World {
    router: axum::Router,
    secret: String,
    sandbox: Sandbox,
    /// A second pool on the database file, to forget applied update ids.
    db: sqlx::SqlitePool,
    dir: PathBuf,
}

fn process() -> &'static Process {
    static PROCESS: OnceLock<Process> = OnceLock::new();
    PROCESS.get_or_init(|| Process {
        runtime: tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime"),
        show: std::env::var_os("UPDATE_JSON_SHOW").is_some(),
        world: Mutex::new(None),
        inputs: AtomicU64::new(0),
    })
}

fuzz_target!(|data: &[u8]| {
    process().play(data);
});

impl Process {
    fn play(&self, body: &[u8]) {
        let n = self.inputs.fetch_add(1, Ordering::Relaxed);
        // libFuzzer calls from one thread: the world is taken out for the input's time.
        let mut world = self.world.lock().expect("world lock").take();
        self.runtime.block_on(async {
            if n % EPOCH == 0 {
                match world.take() {
                    Some(old) => old.end().await,
                    None => remove_stale_dirs(),
                }
                world = Some(World::build(n / EPOCH, self.show).await);
            }
            world.as_ref().expect("a world").post(body, self.show).await;
        });
        *self.world.lock().expect("world lock") = world;
    }
}

impl World {
    /// The world of an epoch. Each has its own directory: the last connection of the last
    /// world's pool, closing in the background, removes its WAL file by name.
    async fn build(epoch: u64, show: bool) -> World {
        let dir = std::env::temp_dir().join(format!("{DIR_PREFIX}{}-{epoch}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let url = format!("sqlite://{}", dir.join("minyi.db").display());
        let repo = storage::connect(&url).await.expect("the database opens");
        repo.migrate().await.expect("the database migrates");
        let roster: [(RosterKind, &[u8]); 4] = [
            (RosterKind::Orgs, include_bytes!("../../examples/orgs.csv")),
            (
                RosterKind::Groups,
                include_bytes!("../../examples/groups.csv"),
            ),
            (
                RosterKind::Units,
                include_bytes!("../../examples/units.csv"),
            ),
            (RosterKind::People, PEOPLE.as_bytes()),
        ];
        for (kind, bytes) in roster {
            repo.import_roster(&roster::parse(kind, bytes), None)
                .await
                .unwrap_or_else(|e| panic!("the roster ({kind:?}) imports: {e:?}"));
        }
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 1, 0, 0).unwrap();
        for (chat, code) in CHATS {
            let target = match code {
                "G01" => BindTarget::Group(code.into()),
                "D1" => BindTarget::Org(code.into()),
                _ => BindTarget::Unit(code.into()),
            };
            repo.bind_chat(Who::Telegram(ADMIN), chat, target, now)
                .await
                .unwrap_or_else(|e| panic!("chat {chat} binds to {code}: {e:?}"));
        }
        let sandbox = Sandbox::start(SandboxOptions::default())
            .await
            .expect("the sandbox starts");
        // Answers may go at once, as in the bot's tests.
        let mut config = Config::default();
        config.delivery.per_chat_per_second = 100;
        config.delivery.per_group_per_minute = 1000;
        config.delivery.global_per_second = 1000;
        let config = Arc::new(config);
        let clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap());
        let front = Arc::new(Telegram::new(
            repo,
            sandbox.bot(),
            Arc::clone(&config),
            USERNAME.to_owned(),
            Arc::new(clock),
            Metrics::off(),
            Arc::new(Pacer::new(&config.delivery)),
        ));
        let db = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .expect("a second pool opens");
        let world = World {
            secret: webhook::secret(sandbox.token()),
            router: webhook::router(front, PATH),
            sandbox,
            db,
            dir,
        };
        for (id, (from, text)) in (1..).zip(SETUP) {
            world
                .post(private_command(id, from, text).as_bytes(), show)
                .await;
        }
        let states: (String,) = sqlx::query_as(
            "SELECT group_concat(state, ',') FROM (SELECT state FROM suggestions ORDER BY id)",
        )
        .fetch_one(&world.db)
        .await
        .expect("the suggestions' states");
        if states.0 != STATES {
            let answers: Vec<_> = world
                .sandbox
                .delivered()
                .into_iter()
                .map(|d| d.text)
                .collect();
            panic!(
                "the setup left {} (not {STATES}); the bot answered {answers:#?}",
                states.0
            );
        }
        world
    }

    /// POSTs a body to the webhook with the secret; it must be answered 200.
    async fn post(&self, body: &[u8], show: bool) {
        let before = match show {
            true => self.sandbox.calls().len(),
            false => 0,
        };
        let request = Request::post(PATH)
            .header(SECRET_HEADER, &self.secret)
            .header("content-type", "application/json")
            .body(Body::from(body.to_vec()))
            .expect("a request");
        let response = match self.router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        assert_eq!(response.status(), StatusCode::OK);
        if show {
            for call in self.sandbox.calls().into_iter().skip(before) {
                eprintln!(
                    "{} {} chat {:?}: {:?} {:?}",
                    call.status, call.method, call.chat_id, call.text, call.buttons
                );
            }
        }
        sqlx::query("DELETE FROM handled_updates")
            .execute(&self.db)
            .await
            .expect("applied update ids are forgotten");
    }

    /// Stops the sandbox, closes the databases and removes the file.
    async fn end(self) {
        let World {
            router,
            sandbox,
            db,
            dir,
            ..
        } = self;
        // The router holds the front, which holds the repository's pool.
        drop(router);
        sandbox.shutdown().await;
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Removes what processes of this target that are gone left in the temp directory (nothing
/// runs when libFuzzer exits).
fn remove_stale_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX)) else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or_default();
        if !std::path::Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A private text message, with the command entity Telegram marks.
fn private_command(id: i64, from: i64, text: &str) -> String {
    let command = text.split_whitespace().next().unwrap_or_default().len();
    let text = text.replace('\n', "\\n");
    format!(
        r#"{{"update_id":{id},"message":{{"message_id":{id},"date":1772413200,
        "chat":{{"id":{from},"type":"private","first_name":"P"}},
        "from":{{"id":{from},"is_bot":false,"first_name":"P"}},
        "text":"{text}","entities":[{{"type":"bot_command","offset":0,"length":{command}}}]}}}}"#
    )
}
