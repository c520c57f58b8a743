//! The desktop application (iced 0.14, tiny-skia). `app.rs` holds the state machine of the window
//! (`app_dir.rs` its directory part); `screens/` one module per screen; `jobs.rs` and `dir_jobs.rs`
//! the blocking work (SQLite, demo generation, keyring, LDAP) that runs on tokio's blocking pool,
//! never on the GUI thread; `sync.rs` the directory sync (worker thread, progress, background
//! schedule); `stems.rs` Grouper names as a tree; `prod_jobs.rs`, `printing.rs` and `app_prod.rs` card
//! production (photos, previews, printing on a worker thread, native dialogs); `encoding.rs` (a run on a
//! worker thread), `enc_jobs.rs` (profile, keyring, scan) and `app_enc.rs` encoding from the Desk,
//! Production's batch and Settings → Encoding; `queue_jobs.rs` (outbox, managers' tools, the queue worker
//! on its own thread) and `app_queue.rs` the Queue screen, Settings → Services and the status bar's badge; `library_jobs.rs` and `app_library.rs`
//! the Library screen (the librarian's BCDI update).

pub mod app;
mod app_dir;
mod app_enc;
mod app_imports;
mod app_keys;
mod app_library;
mod app_prod;
mod app_queue;
mod app_status;
pub mod dir_jobs;
pub mod enc_jobs;
pub mod encoding;
pub mod imports_jobs;
pub mod jobs;
pub mod library_jobs;
pub mod printing;
pub mod prod_jobs;
pub mod queue_jobs;
pub mod screens;
pub mod stems;
pub mod sync;
pub mod theme;
pub mod widgets;

use std::time::Instant;

use crate::cli::{CliResult, Env, Failure};

pub use app::{App, Effect, Message};
pub use jobs::{Job, Services};

/// Opens the main window and runs until it is closed.
pub fn run(env: Env, bench_startup: bool, started: Instant) -> CliResult {
    let services = Services::open(env.paths.clone(), env.config.clone()).map_err(Failure)?;
    let boot = move || App::boot(services.clone(), bench_startup, started);
    iced::application(boot, App::update_task, App::view)
        .title(App::title)
        .subscription(App::subscription)
        .theme(App::theme)
        .window_size(iced::Size::new(1280.0, 800.0))
        .centered()
        .run()
        .map_err(|e| Failure(e.to_string()))
}
