//! The board in a real browser (issue 14): headless Chromium, driven over WebDriver by
//! chromedriver, against the whole service (its HTTP server, the bot on the Telegram
//! sandbox) on each backend. People seed it through chat; the county clerk signs in with
//! `/web`'s link, reads the traffic lights, filters, assigns from the item page (the unit
//! hears it in chat), and the public wall shows a closed suggestion's reply.
//!
//! Without chromedriver or Chromium the test says so and passes, unless
//! `MINYI_REQUIRE_BROWSER=1` (CI), where it fails. Screenshots of the board, the item page
//! after the step and the wall go to `target/browser/<backend>-<page>.png`.

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::bot::{COUNTY_CLERK, DEPUTY, LEADER, Live, U1_CHAT, UNIT};

/// The unit's reply to the closed suggestion, as the wall must show it.
const REPLY: &str = "The three potholes by the bus stop were filled on 20 March.";

/// How long the browser may take to reach a page or show an element.
const PATIENCE: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_works_the_board_in_a_real_browser() {
    let Some(programs) = Programs::find() else {
        return;
    };
    let driver = Driver::start(&programs).await;
    for db in crate::support::backends().await {
        let backend = db.name;
        let started = Instant::now();
        let (live, base) = Live::start_board(db).await;
        let live = Arc::new(live);
        let browser = driver.session(&programs).await;
        // The walk runs as a task of its own so that a failure in it still ends the browser
        // session, the service, the sandbox and the database here, then fails the test.
        let walk = tokio::spawn(walk(Arc::clone(&live), browser.clone(), base, backend)).await;
        if walk.is_err() {
            // What the browser showed when it failed, for whoever reads the failure.
            if let Ok(png) = browser.screenshot().await {
                save(backend, "failure", &png);
            }
        }
        let _ = browser.close().await;
        match Arc::try_unwrap(live) {
            Ok(live) => live.finish().await,
            Err(_) => panic!("{backend}: the walk still holds the service"),
        }
        match walk {
            Ok(()) => eprintln!(
                "{backend}: the board in a real browser took {:.1} s",
                started.elapsed().as_secs_f64()
            ),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => panic!("{backend}: the walk did not finish: {e}"),
        }
    }
}

/// The whole walk on one backend: seeding through chat, then the browser.
async fn walk(live: Arc<Live>, browser: Client, base: String, backend: &'static str) {
    // 1. Seeding, as people do it in chat. The first is accepted and left unassigned past
    // its deadline (red); the second goes all the way to closed, for the wall.
    let red = file(&live, "Street lights on Elm Road\nHalf of them are out.").await;
    accept(&live, &red).await;
    let closed = file(
        &live,
        "Potholes on Station Street\nThree deep ones by the bus stop.",
    )
    .await;
    accept(&live, &closed).await;
    live.say(COUNTY_CLERK, &format!("/assign {closed} U1"))
        .await;
    live.say(UNIT, &format!("/reply {closed} {REPLY}")).await;
    live.say(DEPUTY, &format!("/rate {closed} satisfied")).await;
    assert_eq!(live.state_of(&closed).await, "closed", "{backend}");
    // Ten days on: the red one's five days to be assigned are long gone. The second is
    // assigned with a month to go (green).
    live.clock.advance(chrono::Duration::days(10));
    let green = file(&live, "Bus shelter on Lake Road\nThe roof leaks.").await;
    accept(&live, &green).await;
    live.say(COUNTY_CLERK, &format!("/assign {green} U2 --days 30"))
        .await;
    assert_eq!(live.state_of(&green).await, "assigned", "{backend}");
    assert_eq!(live.state_of(&red).await, "accepted", "{backend}");

    // 2. The county clerk asks for a sign-in link.
    let step = live.say(COUNTY_CLERK, "/web").await;
    let link = sign_in_link(&step.text_to(COUNTY_CLERK), &base);

    // 3. The link's page has a button; it signs in and lands on the board.
    browser.goto(&link).await.expect("the link opens");
    find(&browser, r#"form[action^="/web/in/"] button"#)
        .await
        .click()
        .await
        .expect("the sign-in button is pressed");
    arrive(&browser, "/board", None).await;

    // 4. The board: oldest deadline first, so the red one leads; the closed one is not
    // watched.
    let rows = board_rows(&browser).await;
    assert_eq!(
        rows.iter().map(|r| r.no.as_str()).collect::<Vec<_>>(),
        [red.as_str(), green.as_str()],
        "{backend}: the board's rows"
    );
    assert!(rows[0].is("red"), "{backend}: first row {:?}", rows[0]);
    assert!(rows[1].is("green"), "{backend}: second row {:?}", rows[1]);
    shoot(&browser, backend, "board").await;

    // 5. Filtering by step: picking it submits the form (the page's script).
    find(&browser, "form.filters select[name=step]")
        .await
        .select_by_value("accepted")
        .await
        .expect("the step filter is picked");
    arrive(&browser, "/board", Some(("step", "accepted"))).await;
    let rows = board_rows(&browser).await;
    assert_eq!(rows.len(), 1, "{backend}: filtered rows {rows:?}");
    assert_eq!(rows[0].no, red, "{backend}");
    assert!(rows[0].is("red"), "{backend}: {:?}", rows[0]);

    // 6. The red one's page: assign it to the Housing Bureau.
    find(
        &browser,
        &format!(r#"table.board tbody tr a[href="/s/{red}"]"#),
    )
    .await
    .click()
    .await
    .expect("the number is clicked");
    arrive(&browser, &format!("/s/{red}"), None).await;
    let form = find(&browser, "form[data-step=assign]").await;
    form.find(Locator::Css("select[name=lead]"))
        .await
        .expect("the assign form has a lead unit")
        .select_by_value("U1")
        .await
        .expect("U1 is picked");
    form.find(Locator::Css("button[type=submit]"))
        .await
        .expect("the assign form has a button")
        .click()
        .await
        .expect("the assign form is sent");
    arrive(&browser, &format!("/s/{red}"), Some(("done", "assign"))).await;
    find(&browser, "p.flash").await;
    shoot(&browser, backend, "item").await;
    assert_eq!(live.state_of(&red).await, "assigned", "{backend}");

    // 7. The unit hears it in chat, as after `/assign`.
    live.settle().await;
    let told: Vec<String> = [UNIT, U1_CHAT]
        .into_iter()
        .flat_map(|chat| live.sandbox.delivered_to(chat))
        .map(|d| d.text)
        .filter(|text| text.contains(&red))
        .collect();
    assert!(
        !told.is_empty(),
        "{backend}: the unit was not told of {red}"
    );

    // 8. The public wall shows the closed one's reply, on the list and at its own address.
    browser
        .goto(&format!("{base}/wall/C"))
        .await
        .expect("the wall opens");
    let mut found = None;
    for article in browser
        .find_all(Locator::Css("div.wall article"))
        .await
        .expect("the wall's articles")
    {
        let Ok(reply) = article.find(Locator::Css(".reply")).await else {
            continue;
        };
        if reply.text().await.expect("a reply's text").contains(REPLY) {
            found = Some(article);
            break;
        }
    }
    let article = found.unwrap_or_else(|| panic!("{backend}: no reply {REPLY:?} on the wall"));
    assert_eq!(
        article.attr("id").await.expect("an id").as_deref(),
        Some(closed.as_str()),
        "{backend}"
    );
    shoot(&browser, backend, "wall").await;
    article
        .find(Locator::Css(&format!(r#"a[href^="/wall/C/{closed}"]"#)))
        .await
        .expect("the article links to itself")
        .click()
        .await
        .expect("the number is clicked");
    arrive(&browser, &format!("/wall/C/{closed}"), None).await;
    let reply = find(&browser, "div.wall article .reply").await;
    assert!(
        reply.text().await.expect("the reply").contains(REPLY),
        "{backend}: the entry's page"
    );
}

/// The deputy files `text` (title, then body) in chat; answers its number.
async fn file(live: &Live, text: &str) -> String {
    live.say(DEPUTY, &format!("/suggest {text}"))
        .await
        .number_to(DEPUTY, "2026-")
}

/// The group leader accepts it as a district matter: the county's clerk assigns it.
async fn accept(live: &Live, no: &str) {
    live.say(LEADER, &format!("/review {no} accept district"))
        .await;
    assert_eq!(live.state_of(no).await, "accepted", "{no}");
}

/// The `<base>/web/in/<token>` link in the bot's answer.
fn sign_in_link(answer: &str, base: &str) -> String {
    let start = format!("{base}/web/in/");
    let at = answer
        .find(&start)
        .unwrap_or_else(|| panic!("no sign-in link in {answer:?}"));
    let token: String = answer[at + start.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    assert!(!token.is_empty(), "an empty token in {answer:?}");
    format!("{start}{token}")
}

/// A row of the board as the browser shows it.
#[derive(Debug)]
struct Row {
    class: String,
    no: String,
}

impl Row {
    fn is(&self, class: &str) -> bool {
        self.class.split_whitespace().any(|c| c == class)
    }
}

async fn board_rows(browser: &Client) -> Vec<Row> {
    find(browser, "table.board tbody tr").await;
    let mut rows = Vec::new();
    for tr in browser
        .find_all(Locator::Css("table.board tbody tr"))
        .await
        .expect("the board's rows")
    {
        let class = tr.attr("class").await.expect("a class").unwrap_or_default();
        let no = tr
            .find(Locator::Css(r#"a[href^="/s/"]"#))
            .await
            .expect("a row links to its suggestion")
            .text()
            .await
            .expect("the number");
        rows.push(Row { class, no });
    }
    rows
}

/// The first element `css` selects, once the page shows it.
async fn find(browser: &Client, css: &str) -> fantoccini::elements::Element {
    match browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
    {
        Ok(element) => element,
        Err(e) => {
            let at = browser.current_url().await.map(|u| u.to_string());
            let page = browser.source().await.unwrap_or_default();
            panic!("no {css} on {at:?} ({e}); the page:\n{page}")
        }
    }
}

/// Waits until the browser is at `path`, with the query parameter `param` if given.
async fn arrive(browser: &Client, path: &str, param: Option<(&str, &str)>) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let url = browser.current_url().await.expect("the current address");
        let has =
            |(name, value): (&str, &str)| url.query_pairs().any(|(n, v)| n == name && v == value);
        if url.path() == path && param.is_none_or(has) {
            return;
        }
        if Instant::now() > deadline {
            let page = browser.source().await.unwrap_or_default();
            panic!("the browser is at {url}, not {path} with {param:?}; the page:\n{page}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A screenshot of what the browser shows, saved as `target/browser/<backend>-<page>.png`.
async fn shoot(browser: &Client, backend: &str, page: &str) {
    let png = browser.screenshot().await.expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a screenshot is a PNG");
    save(backend, page, &png);
}

fn save(backend: &str, page: &str, png: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&dir).expect("target/browser");
    let path = dir.join(format!("{backend}-{page}.png"));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// chromedriver and Chromium, found on the PATH.
struct Programs {
    chromedriver: PathBuf,
    chromium: PathBuf,
}

impl Programs {
    /// Both programs; `None` (the test skips) when one is missing, unless
    /// `MINYI_REQUIRE_BROWSER=1`, where that fails the test.
    fn find() -> Option<Programs> {
        let required = std::env::var("MINYI_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        match (on_path("chromedriver"), on_path("chromium")) {
            (Some(chromedriver), Some(chromium)) => Some(Programs {
                chromedriver,
                chromium,
            }),
            (driver, browser) => {
                let missing: Vec<&str> = [("chromedriver", driver), ("chromium", browser)]
                    .into_iter()
                    .filter(|(_, found)| found.is_none())
                    .map(|(name, _)| name)
                    .collect();
                let missing = missing.join(", ");
                assert!(
                    !required,
                    "MINYI_REQUIRE_BROWSER=1 but not installed: {missing} \
                     (Debian: apt-get install chromium chromium-driver)"
                );
                eprintln!("skipping the browser test; not installed: {missing}");
                None
            }
        }
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A chromedriver of the test's own on a free loopback port, shut down when this is dropped
/// (after the test, or while a failure unwinds).
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    async fn start(programs: &Programs) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(&programs.chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", programs.chromedriver.display()));
        let mut driver = Driver { child, port };
        let deadline = Instant::now() + PATIENCE;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver on port {port} ended at its start: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver does not listen on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        driver
    }

    /// A new browser: headless Chromium with a fresh profile.
    async fn session(&self, programs: &Programs) -> Client {
        let options = serde_json::json!({
            "binary": programs.chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"],
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        // chromedriver listens on loopback, so plain HTTP. (`ClientBuilder::rustls` would
        // panic: the build has two rustls crypto providers, ring through sqlx and reqwest,
        // aws-lc-rs through fantoccini's hyper-rustls, and none is installed.)
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .unwrap_or_else(|e| panic!("chromedriver cannot start Chromium: {e}"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver's own shutdown also ends any browser a failure left open; killing it
        // is the last resort.
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
            let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
            let _ = stream.write_all(
                b"GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            );
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
