//! Rebuilds the crate when a migration is added or changed: `refinery::embed_migrations!` reads the
//! `migrations` folder at compile time, which Cargo does not watch by itself.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
