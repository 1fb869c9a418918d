//! `cargo bench --bench migrate`: `minyi migrate-data` of 100,000 suggestions (with 100,000
//! deputies and their events) from SQLite into PostgreSQL; needs `MINYI_TEST_POSTGRES_URL`.
//! The benchmark itself is `minyi bench migrate-data`.

#[tokio::main]
async fn main() {
    match std::env::var("MINYI_TEST_POSTGRES_URL") {
        Ok(url) => minyi::cli::bench::migrate_data(&url, &mut std::io::stdout())
            .await
            .expect("the benchmark runs"),
        Err(_) => println!("migrate-data: skipped (set MINYI_TEST_POSTGRES_URL)"),
    }
}
