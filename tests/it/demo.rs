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
