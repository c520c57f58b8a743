//! The search index of a first directory load into an empty store, written on a thread of its own.
//!
//! SQLite has one writer per database file, and a load's writer spends a third of its time in the
//! search index (FTS5) while the other core waits. So while the load's writer inserts the persons, a
//! second thread writes their search documents into a scratch database of its own (`<db>-index-load`,
//! no journal: it is thrown away if anything goes wrong), with the same `person_fts` and
//! `person_ids_fts` tables. Once every person is written the thread is told no more come
//! ([`SideIndex::end_input`]) and finishes while the groups are written; once it has (at the latest in
//! the load's last step), the index's rows are copied into the store in one transaction: the tables
//! have the same definition, so SQLite copies their records as they are.
//!
//! Persons indexed in the store itself meanwhile (written at the counter, or sent twice by the
//! directory) are indexed again from the view after the copy.
//!
//! Until that copy commits, a settings marker says the store's search index is incomplete; whatever
//! stops the load (error, cancel, killed process), the index is rebuilt from the persons by
//! [`Store::repair_search_index`], which `Store::open` and the end of every sync call.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use rusqlite::Connection;

use super::persons::Computed;
use super::search::NewDoc;
use super::{Result, Store, StoreError, search, settings};
use crate::domain::card::PersonId;

/// Settings key present while a first load's search index is written aside.
const PENDING: &str = "index.side_load";

/// The index tables written aside.
const TABLES: [&str; 2] = ["person_fts", "person_ids_fts"];

/// Persons indexed per transaction of the scratch database.
const TRANSACTION_DOCS: usize = 20_000;

/// Batches of documents the thread may be behind by (a sync sends 500 persons a batch, about 130 bytes
/// of document each: some 13 MB at most). When it is that far behind, the writer waits for it.
const QUEUE: usize = 200;

/// Lets the thread run only on a core nothing else wants (Linux `SCHED_IDLE`). While the persons are
/// read, the directory server, the reading side and the writer keep both cores busy; the index is
/// written in their gaps and while the writer builds the persons' indexes alone, instead of taking
/// turns with them. Measured on the 275,000-person bench, in alternated runs: a full load took 9.2 s
/// on average this way, 9.9 s at normal priority, which was no faster than indexing in the writer's
/// own transactions.
fn run_when_idle() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: plain system call on the calling thread (pid 0), with a valid parameter.
        let rc = unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) };
        if rc != 0 {
            tracing::debug!("search index thread: SCHED_IDLE refused");
        }
    }
}

/// One new person's search document, as [`search::index_new_persons`] writes it.
#[derive(Debug, Clone)]
pub struct SideDoc {
    id: PersonId,
    surname: String,
    given: String,
    other: String,
    ids: String,
}

impl SideDoc {
    /// Takes the document's texts out of a person already written (they are not needed after).
    pub fn take(id: PersonId, computed: &mut Computed, doc: &mut NewDoc) -> SideDoc {
        SideDoc {
            id,
            surname: std::mem::take(&mut computed.folded_surname),
            given: std::mem::take(&mut computed.folded_given),
            other: std::mem::take(&mut doc.other),
            ids: std::mem::take(&mut doc.ids),
        }
    }
}

/// The thread writing a load's search index aside, and its scratch database.
pub struct SideIndex {
    sender: Option<SyncSender<Vec<SideDoc>>>,
    thread: Option<JoinHandle<Result<()>>>,
    path: PathBuf,
}

/// The scratch database of the store at `db`.
fn scratch_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-index-load");
    PathBuf::from(name)
}

impl Store {
    /// Starts writing the search index aside, when the store holds no person at all (nothing in the
    /// index to keep); `None` otherwise, and the load indexes in its own transactions.
    pub fn start_side_index(&self) -> Result<Option<SideIndex>> {
        let empty = self.write(|tx| {
            let empty: bool =
                tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM persons)", [], |r| {
                    r.get(0)
                })?;
            if empty {
                settings::set(tx, PENDING, "1")?;
            }
            Ok(empty)
        })?;
        if !empty {
            return Ok(None);
        }
        let path = scratch_path(self.path());
        let ddl: Vec<String> = self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name IN (?1, ?2) ORDER BY name",
            )?;
            let rows = stmt.query_map(TABLES, |r| r.get(0))?;
            Ok(rows.collect::<std::result::Result<_, _>>()?)
        })?;
        let scratch = open_scratch(&path, &ddl)?;
        let (sender, receiver) = sync_channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("guichet-index-load".into())
            .spawn(move || {
                run_when_idle();
                let out = write_aside(scratch, receiver);
                tracing::debug!(
                    cpu_ms = ?crate::thread_cpu().map(|d| d.as_millis()),
                    "sync: search index thread done"
                );
                out
            })
            .map_err(|e| StoreError::Open {
                path: path.clone(),
                message: e.to_string(),
            })?;
        Ok(Some(SideIndex {
            sender: Some(sender),
            thread: Some(thread),
            path,
        }))
    }

    /// Rebuilds the search index when a first load stopped before its index was copied in (see the
    /// module's documentation), and removes the scratch database. Returns whether it did.
    pub fn repair_search_index(&self) -> Result<bool> {
        let pending = self.read(|c| {
            Ok(c.query_row(
                "SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?1)",
                [PENDING],
                |r| r.get::<_, bool>(0),
            )?)
        })?;
        let scratch = scratch_path(self.path());
        if scratch.exists() && in_use(&scratch) {
            // Another process is loading into this store right now; its copy will do.
            return Ok(false);
        }
        let _ = std::fs::remove_file(&scratch);
        if !pending {
            return Ok(false);
        }
        self.write_self_indexed(|tx| {
            search::rebuild_index(tx)?;
            tx.execute("DELETE FROM settings WHERE key = ?1", [PENDING])?;
            Ok(())
        })?;
        tracing::info!("search index rebuilt after an interrupted first load");
        Ok(true)
    }
}

impl SideIndex {
    /// Hands documents to the thread (waits while it is behind).
    pub fn send(&self, docs: Vec<SideDoc>) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let stopped = || StoreError::BadValue {
            column: "person_fts",
            value: "the search index thread stopped".into(),
        };
        self.sender
            .as_ref()
            .ok_or_else(stopped)?
            .send(docs)
            .map_err(|_| stopped())
    }

    /// Whether the thread still takes documents (until [`SideIndex::end_input`]). Persons written
    /// after that are indexed in the store, and again by the copy.
    pub fn accepting(&self) -> bool {
        self.sender.is_some()
    }

    /// Whether the thread has stopped (done, or failed: [`SideIndex::finish`] tells).
    pub fn finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Tells the thread no more documents come: it commits what it has and stops.
    pub fn end_input(&mut self) {
        self.sender = None;
    }

    /// Waits for the thread, then copies the index into `store` in one transaction and removes the
    /// marker and the scratch database. Call it outside any transaction of `store`.
    pub fn finish(mut self, store: &Store) -> Result<()> {
        self.join()?;
        // A connection of its own: the store's connections then see the index change (SQLite's
        // data_version), so FTS5 reads the new index instead of what it may hold in memory.
        let mut conn = Connection::open(store.path())?;
        // The store's settings and SQL functions: the search document view needs them below.
        super::configure(&conn)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.execute(
            "ATTACH DATABASE ?1 AS index_load",
            [self.path.to_string_lossy()],
        )?;
        let shadow: Vec<String> = {
            let mut stmt = conn.prepare(
                "SELECT name FROM index_load.sqlite_master
                  WHERE type = 'table' AND (name LIKE 'person\\_fts\\_%' ESCAPE '\\'
                        OR name LIKE 'person\\_ids\\_fts\\_%' ESCAPE '\\')
                    AND name NOT LIKE '%\\_config' ESCAPE '\\'
                  ORDER BY name",
            )?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        if shadow.is_empty() {
            // The scratch file went (another process opening the store removed it): ATTACH made an
            // empty one. Nothing is copied and the marker stays, so the index is rebuilt instead.
            drop(conn);
            let _ = std::fs::remove_file(&self.path);
            return Err(StoreError::BadValue {
                column: "person_fts",
                value: format!("{} is gone", self.path.display()),
            });
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Persons indexed in the store during the load: by the triggers (written at the counter
        // meanwhile: a guest, a card) or by the load itself (an entry sent twice). Indexed again from
        // the view once the copy has replaced their documents.
        // Read from the index's content table: the index itself must not be opened on this
        // connection before the copy, or FTS5 would keep the structure it read then.
        let mut others: Vec<PersonId> = {
            let mut stmt = tx.prepare("SELECT id FROM main.person_fts_content")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        // `OR IGNORE` into the emptied table, whose rows cannot meet another: the same rows, and no
        // statement journal (a copy of each page the statement changes that existed before it, which
        // SQLite keeps for a statement that may stop half-way on a rule).
        for table in &shadow {
            tx.execute_batch(&format!(
                "DELETE FROM main.\"{table}\";
                 INSERT OR IGNORE INTO main.\"{table}\" SELECT * FROM index_load.\"{table}\";"
            ))?;
        }
        if !others.is_empty() {
            search::index_persons(&tx, &mut others)?;
        }
        tx.execute("DELETE FROM main.settings WHERE key = ?1", [PENDING])?;
        tx.commit()?;
        conn.execute("DETACH DATABASE index_load", [])?;
        drop(conn);
        let _ = std::fs::remove_file(&self.path);
        Ok(())
    }

    fn join(&mut self) -> Result<()> {
        self.sender = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(out)) => out,
            Some(Err(_)) => Err(StoreError::BadValue {
                column: "person_fts",
                value: "the search index thread panicked".into(),
            }),
            None => Ok(()),
        }
    }
}

impl Drop for SideIndex {
    /// A load that stops without [`SideIndex::finish`] leaves the marker: the index is rebuilt.
    fn drop(&mut self) {
        let _ = self.join();
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A new scratch database with the index tables, without journal or sync: it is only ever read by
/// the copy, after its writer is done. Its connection keeps the file locked until it closes
/// (exclusive locking mode), which tells another process opening the store that a load is writing it
/// ([`in_use`]).
fn open_scratch(path: &Path, ddl: &[String]) -> Result<Connection> {
    let _ = std::fs::remove_file(path);
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    conn.pragma_update(None, "journal_mode", "OFF")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "cache_size", "-32768")?;
    for sql in ddl {
        conn.execute_batch(sql)?;
    }
    Ok(conn)
}

/// Whether the scratch database at `path` is locked by the load writing it.
fn in_use(path: &Path) -> bool {
    let Ok(conn) = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
    else {
        return false;
    };
    let _ = conn.busy_timeout(std::time::Duration::ZERO);
    matches!(
        conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;"),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy
    )
}

/// The thread's loop: documents in transactions of [`TRANSACTION_DOCS`].
fn write_aside(mut conn: Connection, receiver: Receiver<Vec<SideDoc>>) -> Result<()> {
    let mut pending = receiver.recv().ok();
    while pending.is_some() {
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(search::INSERT_DOC)?;
            let mut insert_ids = tx.prepare_cached(search::INSERT_IDS)?;
            let mut written = 0;
            while let Some(docs) = pending.take() {
                for d in &docs {
                    insert.execute(rusqlite::params![d.id, d.surname, d.given, d.other, d.ids])?;
                    insert_ids.execute(rusqlite::params![d.id, d.ids])?;
                }
                written += docs.len();
                if written >= TRANSACTION_DOCS {
                    break;
                }
                pending = receiver.recv().ok();
            }
        }
        tx.commit()?;
        if pending.is_none() {
            pending = receiver.recv().ok();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::search::quality::record;
    use crate::store::{persons, test_util};

    fn hits(store: &Store, q: &str) -> Vec<String> {
        store
            .read(|c| search::search(c, q, 10))
            .unwrap()
            .into_iter()
            .map(|h| h.surname)
            .collect()
    }

    /// Rows of the two index tables.
    fn indexed(store: &Store) -> (i64, i64) {
        store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT COUNT(*) FROM person_fts),
                            (SELECT COUNT(*) FROM person_ids_fts WHERE person_ids_fts MATCH 'aqu*')",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap()
    }

    fn integrity(store: &Store) {
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO person_fts(person_fts) VALUES ('integrity-check');
                     INSERT INTO person_ids_fts(person_ids_fts) VALUES ('integrity-check');",
                )?;
                Ok(())
            })
            .unwrap();
    }

    /// Persons written without triggers, their documents sent aside, as a first load does.
    fn load(store: &Store, side: &SideIndex, names: &[(&str, &str)]) {
        let now = jiff::Timestamp::now();
        store
            .write_self_indexed(|tx| {
                let mut docs = Vec::new();
                for (surname, eppn) in names {
                    let rec = record(surname, eppn);
                    let id = persons::insert(tx, &rec, now)?;
                    docs.push(SideDoc::take(
                        id,
                        &mut Computed::of(&rec),
                        &mut NewDoc::of(&rec),
                    ));
                }
                side.send(docs)
            })
            .unwrap();
    }

    /// A new store at `path` whose first load wrote one person aside and whose index thread is done,
    /// nothing copied yet.
    fn loaded_aside(path: &Path, surname: &str, eppn: &str) -> (Store, SideIndex) {
        let store = Store::open(path).unwrap();
        let mut side = store.start_side_index().unwrap().unwrap();
        load(&store, &side, &[(surname, eppn)]);
        side.join().unwrap();
        (store, side)
    }

    #[test]
    fn an_index_written_aside_is_copied_in_whole_and_stays_writable() {
        let (store, _dir) = test_util::temp_store();
        let side = store.start_side_index().unwrap().expect("empty store");
        let scratch = scratch_path(store.path());
        assert!(scratch.exists());
        load(
            &store,
            &side,
            &[
                ("Quessoy", "a.quessoy@univ.fr"),
                ("Quintin", "a.quintin@univ.fr"),
            ],
        );
        // Not in the store's index until the copy.
        assert_eq!(indexed(&store), (0, 0));
        load(&store, &side, &[("Quimper", "a.quimper@univ.fr")]);
        // A person written at the counter meanwhile, indexed by the triggers.
        store
            .write(|tx| {
                persons::insert(
                    tx,
                    &record("Quillivic", "c.quillivic@univ.fr"),
                    jiff::Timestamp::now(),
                )
            })
            .unwrap();
        assert_eq!(indexed(&store), (1, 0));
        // A person of the load changed again by it (an entry sent twice): the load indexes it in the
        // store, as `index_persons` does for changed persons.
        store
            .write_self_indexed(|tx| {
                let id: PersonId =
                    tx.query_row("SELECT id FROM persons WHERE surname = 'Quimper'", [], |r| {
                        r.get(0)
                    })?;
                tx.execute(
                    "UPDATE persons SET surname = 'Quimper-Le Goff', folded_surname = 'quimper le goff'
                      WHERE id = ?1",
                    [id],
                )?;
                search::index_persons(tx, &mut vec![id])
            })
            .unwrap();
        assert_eq!(indexed(&store), (2, 1));
        // The store's connections have read the index before the copy.
        integrity(&store);
        side.finish(&store).unwrap();
        assert!(!scratch.exists());
        assert_eq!(indexed(&store), (4, 3));
        assert_eq!(hits(&store, "quillivic"), ["Quillivic"]);
        assert_eq!(hits(&store, "le goff"), ["Quimper-Le Goff"]);
        assert_eq!(hits(&store, "quessoy"), ["Quessoy"]);
        assert_eq!(hits(&store, "a.quimper"), ["Quimper-Le Goff"]);
        assert_eq!(hits(&store, "qui").len(), 3);
        integrity(&store);
        // The triggers keep the copied index up to date on the same connections.
        let now = jiff::Timestamp::now();
        store
            .write(|tx| {
                tx.execute("UPDATE persons SET surname = 'Kermorvan', folded_surname = 'kermorvan' WHERE surname = 'Quintin'", [])?;
                persons::insert(tx, &record("Quéré", "b.quere@univ.fr"), now)?;
                Ok(())
            })
            .unwrap();
        integrity(&store);
        assert_eq!(hits(&store, "kermorvan"), ["Kermorvan"]);
        // Found by the eppn still, under the new name.
        assert_eq!(hits(&store, "quintin"), ["Kermorvan"]);
        assert_eq!(hits(&store, "quere"), ["Quéré"]);
        assert!(!store.repair_search_index().unwrap());
        // Not in a store that already holds persons.
        assert!(store.start_side_index().unwrap().is_none());
    }

    #[test]
    fn a_load_stopped_before_the_copy_gets_its_index_rebuilt() {
        let (store, dir) = test_util::temp_store();
        let side = store.start_side_index().unwrap().unwrap();
        load(
            &store,
            &side,
            &[
                ("Quessoy", "a.quessoy@univ.fr"),
                ("Quintin", "a.quintin@univ.fr"),
            ],
        );
        // The load stops (error, cancel): the thread and the scratch database go, the marker stays.
        drop(side);
        assert!(!scratch_path(store.path()).exists());
        assert_eq!(indexed(&store), (0, 0));
        assert!(store.repair_search_index().unwrap());
        assert_eq!(indexed(&store), (2, 2));
        assert_eq!(hits(&store, "quessoy"), ["Quessoy"]);
        integrity(&store);
        assert!(!store.repair_search_index().unwrap());

        // Another process opening the store during a load leaves the load's scratch file alone.
        let path = dir.path().join("shared.db");
        let shared = Store::open(&path).unwrap();
        let side = shared.start_side_index().unwrap().unwrap();
        load(&shared, &side, &[("Quéméner", "a.quemener@univ.fr")]);
        let other = Store::open(&path).unwrap();
        assert!(scratch_path(&path).exists());
        assert!(!other.repair_search_index().unwrap());
        load(&shared, &side, &[("Quentel", "a.quentel@univ.fr")]);
        side.finish(&shared).unwrap();
        assert_eq!(indexed(&other), (2, 2));
        assert_eq!(hits(&other, "quemener"), ["Quéméner"]);
        assert_eq!(hits(&other, "quentel"), ["Quentel"]);
        integrity(&shared);
        // A scratch file gone all the same: the copy fails instead of copying nothing, and the
        // marker stays for the rebuild.
        let path = dir.path().join("gone.db");
        let (gone, side) = loaded_aside(&path, "Quénéhervé", "a.queneherve@univ.fr");
        std::fs::remove_file(scratch_path(&path)).unwrap();
        assert!(side.finish(&gone).is_err());
        assert!(gone.repair_search_index().unwrap());
        assert_eq!(hits(&gone, "queneherve"), ["Quénéhervé"]);

        // A process killed mid-load: the next open repairs.
        let path = dir.path().join("killed.db");
        let (store, side) = loaded_aside(&path, "Quimper", "a.quimper@univ.fr");
        // Killed: the thread's connection is gone (and its lock), nothing cleaned up.
        std::mem::forget(side);
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(indexed(&store).0, 1);
        assert_eq!(hits(&store, "quimper"), ["Quimper"]);
        assert!(!scratch_path(&path).exists());
    }
}
