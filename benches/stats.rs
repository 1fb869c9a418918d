//! `cargo bench --bench stats`: the statistics benchmark of `minyi bench stats` (see
//! `src/cli/bench.rs`), on SQLite and, with `MINYI_TEST_POSTGRES_URL`, on PostgreSQL.

#[tokio::main]
async fn main() {
    let postgres = std::env::var("MINYI_TEST_POSTGRES_URL").ok();
    minyi::cli::bench::stats(postgres.as_deref(), &mut std::io::stdout())
        .await
        .expect("stats benchmark");
}
