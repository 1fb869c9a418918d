//! `sqlx::migrate!` embeds `migrations/` at compile time: a migration added or changed must
//! rebuild the crate, which cargo does not know by itself.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
