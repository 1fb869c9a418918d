//! `minyi demo` plays the whole loop against the sandbox and ends where it should.

use minyi::cli::demo::{self, Options};
use minyi::domain::{Outcome, Rating, State};
use minyi::i18n::Lang;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_plays_the_whole_loop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let options = Options {
        lang: Lang::EnUs,
        db: Some(url.clone()),
        keep: false,
        wecom: false,
        web: None,
    };
    let mut transcript = Vec::new();
    let summary = demo::play(&options, &mut transcript)
        .await
        .expect("the demo completes");
    let transcript = String::from_utf8(transcript).expect("utf-8");

    let [first, adopted] = &summary.suggestions[..] else {
        panic!("two suggestions: {:?}", summary.suggestions);
    };
    assert_eq!(first.state, State::Closed);
    assert_eq!(first.outcome, Some(Outcome::Rated));
    assert_eq!(first.rating, Some(Rating::Satisfied));
    assert!(first.supervised, "the first reply was rated unsatisfied");
    assert_eq!(adopted.state, State::Closed);
    assert_eq!(adopted.outcome, Some(Outcome::Rated));
    assert!(summary.unsolved_told);
    assert_eq!(summary.dead_letters, 0);
    assert!(
        transcript.contains("[group G01 | deputy 张三] /suggest"),
        "{transcript}"
    );

    // The resident's request is adopted and its "was it solved?" answer is recorded as no.
    let pool = sqlx::SqlitePool::connect(&url).await.expect("raw sqlite");
    let (state, solved): (String, Option<bool>) =
        sqlx::query_as("SELECT state, solved FROM resident_requests")
            .fetch_one(&pool)
            .await
            .expect("one request");
    assert_eq!(state, "adopted");
    assert_eq!(solved, Some(false));
}

/// `minyi demo --wecom`: the town's clerk assigns and the unit handles from WeCom cards; the
/// loop ends as on Telegram alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_plays_the_mixed_loop_with_wecom() {
    let options = Options {
        lang: Lang::EnUs,
        db: None,
        keep: false,
        wecom: true,
        web: None,
    };
    let mut transcript = Vec::new();
    let summary = demo::play(&options, &mut transcript)
        .await
        .expect("the demo completes");
    let transcript = String::from_utf8(transcript).expect("utf-8");
    let [first, adopted] = &summary.suggestions[..] else {
        panic!("two suggestions: {:?}", summary.suggestions);
    };
    assert_eq!(first.state, State::Closed, "{transcript}");
    assert_eq!(first.rating, Some(Rating::Satisfied));
    assert!(first.supervised);
    assert_eq!(adopted.state, State::Closed, "{transcript}");
    assert_eq!(summary.dead_letters, 0);
    assert!(
        transcript.contains("[WeCom | town clerk 王芳] (presses [📤 Assign])"),
        "{transcript}"
    );
    assert!(transcript.contains("[WeCom | unit 周涛]"), "{transcript}");
    let on_wecom = |name: &str| {
        summary
            .messages
            .iter()
            .find(|(chat, _)| chat.contains(name) && chat.contains("WeCom"))
            .map_or(0, |(_, n)| *n)
    };
    assert!(on_wecom("王芳") >= 3, "{:?}", summary.messages);
    assert!(on_wecom("周涛") >= 6, "{:?}", summary.messages);
}

/// A writer the demo and the test share: the test reads the transcript while it plays.
#[derive(Clone, Default)]
struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `minyi demo --web`: after the loop the board stays up with all three colours, the printed
/// link signs the district clerk in, the wall shows the closed suggestions, and cancelling
/// (Ctrl-C) ends it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_keeps_the_board_up_with_a_sign_in_link() {
    let until = tokio_util::sync::CancellationToken::new();
    let options = Options {
        lang: Lang::EnUs,
        db: None,
        keep: false,
        wecom: false,
        web: Some(demo::WebDemo {
            listen: "127.0.0.1:0".parse().unwrap(),
            until: until.clone(),
        }),
    };
    let transcript = Shared::default();
    let mut out = transcript.clone();
    let playing = tokio::spawn(async move { demo::play(&options, &mut out).await });
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(120);
    let link = loop {
        let text = String::from_utf8_lossy(&transcript.0.lock().unwrap()).into_owned();
        if let Some(at) = text.find("http://127.0.0.1:") {
            let line = text[at..].lines().next().unwrap_or_default().to_owned();
            if line.contains("/web/in/") {
                break line;
            }
        }
        assert!(tokio::time::Instant::now() < deadline, "no link: {text}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let base = link.split("/web/in/").next().unwrap().to_owned();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let signed = client.post(&link).send().await.unwrap();
    assert_eq!(signed.status(), 303);
    let cookie = signed.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let board = client
        .get(format!("{base}/board"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for colour in ["light red", "light yellow", "light green"] {
        assert!(board.contains(colour), "{colour}: {board}");
    }
    let text = String::from_utf8_lossy(&transcript.0.lock().unwrap()).into_owned();
    let wall_url = text
        .lines()
        .find_map(|l| {
            l.find("http://")
                .filter(|_| l.contains("/wall/"))
                .map(|at| l[at..].to_owned())
        })
        .expect("the wall's address");
    let wall = reqwest::get(&wall_url).await.unwrap();
    assert_eq!(wall.status(), 200);
    assert!(wall.text().await.unwrap().contains("<article"));
    until.cancel();
    let summary = playing.await.unwrap().expect("the demo ends cleanly");
    assert_eq!(summary.dead_letters, 0);
}
