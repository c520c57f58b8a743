//! Checkpoints from a thread of their own during a directory load.
//!
//! In WAL mode each commit that leaves the log over 1,000 pages folds it back into the database
//! (SQLite's automatic checkpoint), on the committing thread: during a load, the writer, which is the
//! load's longest path, spent about a tenth of its time copying pages. While a
//! [`BackgroundCheckpoint`] lives, the writer's commits do not checkpoint; a second connection folds
//! the log back every quarter of a second (`PASSIVE`: it never blocks the writer nor waits for it),
//! on the other core.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use super::{Result, Store, StoreError};

/// How often the log is folded back.
const EVERY: Duration = Duration::from_millis(250);
/// SQLite's default automatic checkpoint (pages), put back when done.
const AUTOCHECKPOINT: i64 = 1000;

/// Checkpoints on a thread of their own until dropped; the writer's commits checkpoint again then.
pub struct BackgroundCheckpoint {
    store: Store,
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Store {
    /// Starts checkpointing from a thread of its own (see the module's documentation).
    pub fn background_checkpoint(&self) -> Result<BackgroundCheckpoint> {
        let conn = Connection::open(self.path()).map_err(|e| StoreError::Open {
            path: self.path().to_path_buf(),
            message: e.to_string(),
        })?;
        conn.busy_timeout(Duration::from_secs(5))?;
        set_autocheckpoint(self, 0)?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("guichet-checkpoint".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    // Busy or not, the next pass takes what this one could not.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            });
        let thread = match thread {
            Ok(t) => t,
            Err(e) => {
                set_autocheckpoint(self, AUTOCHECKPOINT)?;
                return Err(StoreError::Open {
                    path: self.path().to_path_buf(),
                    message: e.to_string(),
                });
            }
        };
        Ok(BackgroundCheckpoint {
            store: self.clone(),
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

fn set_autocheckpoint(store: &Store, pages: i64) -> Result<()> {
    let conn = store
        .inner
        .writer
        .lock()
        .map_err(|_| StoreError::Poisoned)?;
    conn.pragma_update(None, "wal_autocheckpoint", pages)?;
    Ok(())
}

impl Drop for BackgroundCheckpoint {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Err(e) = set_autocheckpoint(&self.store, AUTOCHECKPOINT) {
            tracing::warn!(error = %e, "cannot put the automatic checkpoint back");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_util::temp_store;

    fn autocheckpoint(store: &crate::store::Store) -> i64 {
        store
            .write(|tx| Ok(tx.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?))
            .unwrap()
    }

    fn wal_len(store: &crate::store::Store) -> u64 {
        std::fs::metadata(store.path().with_extension("db-wal"))
            .map(|m| m.len())
            .unwrap_or(0)
    }

    #[test]
    fn the_log_is_folded_back_by_the_other_thread_and_the_writer_does_it_again_after() {
        let (store, _dir) = temp_store();
        let next = std::cell::Cell::new(0);
        let write = |rows: i64| {
            store
                .write(|tx| {
                    let mut st = tx.prepare("INSERT INTO settings (key, value) VALUES (?1, ?2)")?;
                    for _ in 0..rows {
                        next.set(next.get() + 1);
                        st.execute((format!("k-{}", next.get()), "x".repeat(2000)))?;
                    }
                    Ok(())
                })
                .unwrap()
        };
        let bg = store.background_checkpoint().unwrap();
        assert_eq!(
            autocheckpoint(&store),
            0,
            "the writer's commits do not checkpoint"
        );
        write(3000);
        let grown = wal_len(&store);
        assert!(grown > 4_000_000, "{grown}");
        // Once the other connection has folded the log back, the next transaction starts it over:
        // the file no longer grows.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut restarted = false;
        while !restarted && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(300));
            write(1);
            restarted = wal_len(&store) == grown;
        }
        assert!(restarted, "the log was never folded back");
        drop(bg);
        assert_eq!(autocheckpoint(&store), 1000, "back to SQLite's default");
        let n: i64 = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT COUNT(*) FROM settings WHERE key LIKE 'k-%'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(n, next.get());
    }
}
